"""The demo action plan (real facts from the sources, assumptions marked) and the personal data of members."""
import datetime
import re

import pytest
from django.utils import timezone

from partons.cooperation import selectors, services
from partons.cooperation.demo import load_demo_cooperation
from partons.cooperation.models import Action, Group, Meeting, Membership, Organisation, Pillar
from partons.core.models import User

from .conftest import MINUTES


def _quiet(message):
    pass


@pytest.mark.django_db
def test_demo_action_plan_is_idempotent_and_linked(client, territory):
    from partons.calls.demo import load_demo_calls
    from partons.events.models import Event

    load_demo_calls(log=_quiet)
    now = timezone.now()
    for slug in ("launch-2016", "closing-2021"):
        Event.objects.create(slug=slug, type="launch", title_nl=slug, title_fr=slug, starts_at=now, ends_at=now,
                             village=territory["villages"]["kemmel"], published=True)
    users_before = User.objects.count()
    out = load_demo_cooperation(log=_quiet)
    assert out["pillars"] == 4 and out["actions"] == 12 and out["organisations"] == 14 and out["groups"] == 5
    assert Pillar.objects.count() == 4 and Action.objects.count() == 12
    assert [len(p.action_list) for p in selectors.action_plan()] == [3] * 4
    assert Organisation.objects.filter(programme_role="lead").get().name == "Provincie West-Vlaanderen"
    assert Organisation.objects.filter(programme_role="partner").count() == 10
    assert Organisation.objects.filter(programme_role="associated").count() == 3
    assert set(Group.objects.values_list("kind", flat=True)) == {"steering", "project", "executive", "working"}
    assert all(g.synthetic for g in Group.objects.all())
    # No people: no accounts, no members, and nothing that looks like a personal e-mail address or phone number.
    assert User.objects.count() == users_before and not Membership.objects.exists()
    for o in Organisation.objects.all():
        text = " ".join([o.name, o.name_other, o.contact_role, o.website])
        assert "@" not in text and not re.search(r"\d{2,3} \d{2} \d{2}", text), text
    # Every action is done, with the lead marked as an assumption; real dates and figures.
    assert set(Action.objects.values_list("status", flat=True)) == {"done"}
    assert not Action.objects.filter(lead_is_assumption=False).exists()
    launch = Action.objects.get(slug="launch-and-closing")
    assert list(launch.milestones.values_list("done_on", flat=True)) == [datetime.date(2016, 11, 25),
                                                                         datetime.date(2021, 9, 28)]
    assert set(launch.events.values_list("slug", flat=True)) == {"launch-2016", "closing-2021"}
    pilots = Action.objects.get(slug="pilot-projects")
    assert [m.title_nl for m in pilots.milestones.all()] == [f"Pilootproject {v}" for v in (
        "Bainghen", "Esquelbecq", "Callicanes", "Winnezeele", "Sint-Juliaan", "Wylder")]
    figures = {i.name_nl: int(i.current_value) for a in Action.objects.all() for i in a.indicators.all()}
    assert figures == {"Acties van het actieplan": 12, "Projectpartners": 10, "Geassocieerde partners": 3, "Stuurgroepen": 5,
                       "Dagelijks besturen": 17, "Projectgroepen": 13, "Pilootprojecten": 6, "Projectenoproepen": 3,
                       "Geselecteerde projectideeën": 32}
    calls = Action.objects.get(slug="calls-for-projects")
    assert list(calls.calls.values_list("slug", flat=True)) == ["maak-werk-van-je-buurt-2019"]
    assert calls.milestones.filter(due_on=datetime.date(2019, 6, 16)).exists()
    assert calls.projects.count() == 3 and not calls.projects.exclude(status="selected").exists()
    # Idempotent.
    assert load_demo_cooperation(log=_quiet) == {"organisations": 0, "groups": 0, "pillars": 0, "actions": 0,
                                                "milestones": 0, "indicators": 0, "links": 0}
    assert Action.objects.count() == 12 and Organisation.objects.count() == 14
    # The pages show it, the assumption said.
    html = client.get("/nl/cooperation/").content.decode()
    assert html.count("/nl/cooperation/actions/") == 12 and "Grensoverschrijdend samenwerken" in html
    assert "notice synthetic" in html
    page = client.get("/fr/cooperation/actions/launch-and-closing/").content.decode()
    assert "Lancement à Méteren" in page and "Moment de clôture à Dixmude" in page and "closing-2021" in page
    assert client.get("/nl/cooperation/organisations/").content.decode().count('<th scope="row">') == 14


@pytest.mark.django_db
def test_demo_without_calls_or_events_still_loads(territory):
    out = load_demo_cooperation(log=_quiet)
    assert out["actions"] == 12 and out["links"] == 0
    assert not Action.objects.get(slug="calls-for-projects").calls.exists()


@pytest.mark.django_db
def test_gdpr_export_and_erasure(meeting, members, people, coordinator, steering):
    from partons.core.gdpr import erase_account, export_personal_data

    chair = people["chair"]
    data = export_personal_data(chair)["cooperation"]
    assert data["memberships"] == [{"group": "stuurgroep", "group_name": "Stuurgroep Westhoek", "kind": "steering",
                                    "organisation": "Provincie West-Vlaanderen", "role": "deputy", "is_chair": True,
                                    "show_contact": False, "joined": members["chair"].joined.isoformat()}]
    assert data["minutes_written"] == [{"meeting": meeting.pk, "group": "stuurgroep",
                                        "starts_at": meeting.starts_at.isoformat()}]
    assert export_personal_data(people["outsider"])["cooperation"] == {"memberships": [], "minutes_written": []}
    erase_account(chair, password="a-long-test-password")
    assert not Membership.objects.filter(user__email="chair@example.org").exists()
    m = Meeting.objects.get(pk=meeting.pk)
    assert m.minutes == MINUTES and m.minutes_by is None and m.created_by is None  # the group keeps its minutes
    assert list(steering.memberships.values_list("user__email", flat=True)) == ["member@example.org"]
    services.add_decision(by=coordinator, meeting=m, text="still works")
