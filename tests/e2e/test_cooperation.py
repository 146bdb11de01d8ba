"""Cross-border cooperation in a real browser: a group's member signs in and reads a meeting's minutes, which an
outsider (signed in) cannot open; the public pages of the action plan pass the WCAG 2.1 AA checks."""
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partons.core.roles import Role

from ..conftest import make_user
from .conftest import assert_wcag_aa
from .test_ideas import logout
from .test_services import login

pytestmark = pytest.mark.e2e

MINUTES = "The partners agree to hold the next discovery day in Boeschepe."


@pytest.fixture
def group_meeting(territory, coordinator):
    from partons.cooperation import services
    from partons.cooperation.models import Group, Organisation

    prov = Organisation.objects.create(name="Provincie West-Vlaanderen", country=territory["be"], kind="province",
                                       programme_role="lead")
    group = Group.objects.create(kind="steering", slug="stuurgroep", name_nl="Stuurgroep Westhoek",
                                 name_fr="Comité de pilotage Westhoek")
    group.organisations.set([prov])
    member = make_user("member@example.org", role=Role.RESIDENT)
    make_user("outsider@example.org", role=Role.RESIDENT)
    services.add_member(by=coordinator, group=group, user=member, organisation=prov, role="project officer")
    start = timezone.now() - datetime.timedelta(days=3)
    meeting = services.record_meeting(by=coordinator, group=group, title="Spring meeting", starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=2), place="Provinciehuis",
                                      agenda="The action plan", minutes=MINUTES)
    return meeting


def test_a_member_reads_the_minutes_an_outsider_cannot_open(page, group_meeting):
    login(page, "member@example.org")
    page.goto("/nl/cooperation/mine/")
    page.get_by_role("link", name="Stuurgroep Westhoek").click()
    page.locator(f'a[href="/nl/cooperation/meetings/{group_meeting.pk}/"]').click()
    expect(page.get_by_test_id("minutes")).to_contain_text(MINUTES)
    meeting_url = page.url
    logout(page, "nl")
    login(page, "outsider@example.org")
    response = page.goto(meeting_url)
    assert response.status == 404
    expect(page.get_by_test_id("minutes")).to_have_count(0)
    assert MINUTES not in page.content()
    # The group's public page says the group exists, not what it discussed.
    page.goto("/nl/cooperation/groups/stuurgroep/")
    expect(page.locator("h1")).to_have_text("Stuurgroep Westhoek")
    assert MINUTES not in page.content() and "Spring meeting" not in page.content()
    logout(page, "nl")
    response = page.goto(meeting_url)  # signed out: asked to sign in, shown nothing
    assert response.status == 403 and MINUTES not in page.content()


@pytest.mark.parametrize("path", ["/nl/cooperation/", "/fr/cooperation/", "/nl/cooperation/actions/calls-for-projects/",
                                  "/fr/cooperation/actions/launch-and-closing/", "/nl/cooperation/organisations/",
                                  "/fr/cooperation/organisations/", "/nl/cooperation/groups/",
                                  "/fr/cooperation/groups/stuurgroep/"])
def test_cooperation_pages_pass_axe_wcag_aa(page, territory, path):
    from partons.calls.demo import load_demo_calls
    from partons.cooperation.demo import load_demo_cooperation

    load_demo_calls(log=lambda m: None)
    load_demo_cooperation(log=lambda m: None)
    page.goto(path)
    assert_wcag_aa(page)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_member_pages_pass_axe_wcag_aa(page, group_meeting, coordinator, lang):
    """The pages with forms: a meeting for its recorder (decisions, files), the monitoring table."""
    from partons.cooperation.demo import load_demo_cooperation

    load_demo_cooperation(log=lambda m: None)
    login(page, "coord@example.org", lang=lang)
    for path in (f"/{lang}/cooperation/meetings/{group_meeting.pk}/", f"/{lang}/cooperation/monitoring/",
                 f"/{lang}/cooperation/groups/stuurgroep/meetings/new/"):
        page.goto(path)
        assert_wcag_aa(page)
