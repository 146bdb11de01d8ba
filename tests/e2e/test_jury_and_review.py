"""The juror's and the coordinator's story in a browser, in NL and FR, on a computer and on a phone: the juror reads
the whole application and scores it; the coordinator opens it from the review, sees the ranking and the proposal;
the pages fit the screen and pass axe (WCAG 2.1 AA)."""
import datetime

import pytest
from django.utils import timezone

from .conftest import assert_wcag_aa

pytestmark = pytest.mark.e2e


@pytest.fixture
def submitted(territory, resident, coordinator):
    from partons.calls import services
    from partons.calls.models import Call, CostCategory, Criterion
    from partons.core.roles import Role

    from ..conftest import make_user

    costs = CostCategory.objects.create(code="study", name_nl="Studie", name_fr="Étude")
    now = timezone.now()
    call = Call.objects.create(slug="oproep", title_nl="Leefbare dorpen", title_fr="Villages vivants", text_nl="…",
                               text_fr="…", budget_cents=100_000_00, ceiling_cents=10_000_00, expected_projects=10,
                               applicant_types=["village_council"], opens_at=now - datetime.timedelta(days=5),
                               deadline=now + datetime.timedelta(days=5), published=True, balance_sides=True)
    call.municipalities.set([territory["heuvelland"], territory["boeschepe"]])
    call.cost_categories.set([costs])
    Criterion.objects.create(call=call, name_nl="Participatie", name_fr="Participation", weight=2)
    Criterion.objects.create(call=call, name_nl="Haalbaarheid", name_fr="Faisabilité", weight=1)
    app = services.save_draft(by=resident, call=call, organisation="Dorpsraad Loker", applicant_type="village_council",
                              title="Dorpsontmoetingspunt", idea="Een plek voor iedereen", participants="Alle bewoners",
                              partners="Centre social de Boeschepe", timeline="Voorjaar: bouw; zomer: opening",
                              villages=[territory["villages"]["loker"]], lines=[(costs, "Haalbaarheidsstudie", 6_000_00)])
    services.submit(by=resident, application=app)
    app = services.check_eligibility(by=coordinator, application=app, eligible=True)
    juror = make_user("jury@example.org", role=Role.JURY_MEMBER)
    (assignment,) = services.assign_jurors(by=coordinator, application=app, jurors=[juror])
    return call, app, assignment


@pytest.mark.parametrize("lang, width", [("nl", 1366), ("fr", 390)])
def test_the_juror_reads_everything_and_scores(page, submitted, lang, width):
    from .test_services import login

    call, app, assignment = submitted
    login(page, "jury@example.org", lang=lang)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/{lang}/calls/jury/{assignment.pk}/")
    body = page.locator("main").inner_text()
    for fact in ("Centre social de Boeschepe", "Voorjaar: bouw", "Haalbaarheidsstudie", "Loker"):
        assert fact in body  # partners, timeline, budget line, village
    # the project's villages on a map
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.getElementById('application-map')._partonsDrawn.getLayers()"
                         ".map(l => [l.getLatLng().lat, l.getLatLng().lng])") == [[50.781, 2.774]]  # Loker
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_wcag_aa(page)
    for i, criterion in enumerate(call.criteria.all()):
        page.fill(f"#criterion_{criterion.pk}", str(7 + i))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert assignment.scores.count() == 2


@pytest.mark.parametrize("lang, width", [("fr", 1366), ("nl", 390)])
def test_the_coordinator_opens_an_application_from_the_review_and_sees_the_proposal(page, submitted, coordinator, lang,
                                                                                     width):
    from partons.calls import services

    from .test_services import login

    call, app, assignment = submitted
    services.score(by=assignment.juror, assignment=assignment,
                   values={c.pk: (8, "") for c in call.criteria.all()})
    login(page, coordinator.email, lang=lang)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/{lang}/calls/{call.slug}/review/")
    assert page.get_by_test_id("ranking").locator("tbody tr").count() == 1
    # only Belgian candidates: the page says the one-per-side rule was relaxed, and why
    assert page.get_by_test_id("relaxed-rule").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_wcag_aa(page)
    page.locator(f'a[href="/{lang}/calls/applications/{app.pk}/"]').first.click()
    page.wait_for_url(f"**/calls/applications/{app.pk}/")
    assert "Centre social de Boeschepe" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_wcag_aa(page)
