"""The public pages of the calls for projects pass the WCAG 2.1 AA checks."""
import pytest
from playwright.sync_api import expect

from .conftest import assert_wcag_aa


pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/nl/calls/", "/fr/calls/maak-werk-van-je-buurt-2019/", "/nl/calls/portfolio/"])
def test_call_pages_pass_axe_wcag_aa(page, territory, path):
    from partons.calls.demo import load_demo_calls

    load_demo_calls(log=lambda m: None)
    page.goto(path)
    assert_wcag_aa(page)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_from_application_to_published_decision(page, territory, coordinator, lang):
    import datetime

    from django.utils import timezone

    from partons.calls.models import Call, CostCategory, Criterion
    from partons.core.roles import Role

    from ..conftest import make_user
    from .test_ideas import logout
    from .test_services import login

    t = {"nl": {"save": "Het concept bewaren", "submit": "De aanvraag indienen", "scores": "Mijn scores bewaren",
                "record": "De selectie vastleggen", "publish": "De resultaten publiceren en de aanvragers verwittigen",
                "selected": "Geselecteerd"},
         "fr": {"save": "Enregistrer le brouillon", "submit": "Déposer la candidature", "scores": "Enregistrer mes notes",
                "record": "Enregistrer la sélection", "publish": "Publier les résultats et prévenir les candidats",
                "selected": "Sélectionnée"}}[lang]
    costs = CostCategory.objects.create(code="study", name_nl="Studie", name_fr="Étude")
    now = timezone.now()
    call = Call.objects.create(slug="oproep", title_nl="Leefbare dorpen", title_fr="Villages vivants", text_nl="…", text_fr="…",
                               budget_cents=100_000_00, ceiling_cents=10_000_00, expected_projects=10,
                               applicant_types=["village_council"], opens_at=now - datetime.timedelta(days=1),
                               deadline=now + datetime.timedelta(days=1), published=True, balance_sides=False)
    call.municipalities.set([territory["heuvelland"], territory["boeschepe"]])
    call.cost_categories.set([costs])
    crit = Criterion.objects.create(call=call, name_nl="Participatie", name_fr="Participation", weight=1)
    make_user("applicant@example.org", role=Role.RESIDENT)
    make_user("juror@example.org", role=Role.JURY_MEMBER)
    # The applicant drafts and submits.
    login(page, "applicant@example.org", lang=lang)
    page.goto(f"/{lang}/calls/oproep/apply/")
    page.fill("#id_organisation", "Dorpsraad Loker")
    page.select_option("#id_applicant_type", "village_council")
    page.fill("#id_title", "Dorpsontmoetingspunt")
    page.fill("#id_idea", "Een plek voor iedereen")
    page.select_option("#id_villages", str(territory["villages"]["loker"].pk))
    page.fill("#id_participants", "Alle bewoners")
    page.fill("#id_timeline", "Najaar")
    page.select_option("#id_lines-0-category", str(costs.pk))
    page.fill("#id_lines-0-description", "Enquête")
    page.fill("#id_lines-0-amount", "8000")
    page.get_by_role("button", name=t["save"]).click()
    page.get_by_role("button", name=t["submit"]).click()
    expect(page.get_by_test_id("application-status")).to_be_visible()
    app_url = page.url
    logout(page, lang)
    # The coordinator finds it eligible and assigns the juror.
    login(page, "coord@example.org", lang=lang)
    page.goto(f"/{lang}/calls/oproep/review/")
    page.locator("button[value=eligible]").click()
    page.select_option("select[name=jurors]", label="juror@example.org")
    page.locator("button[value=assign]").click()
    logout(page, lang)
    # The juror scores.
    login(page, "juror@example.org", lang=lang)
    page.goto(f"/{lang}/calls/jury/")
    page.locator("main li a").first.click()
    page.fill(f"#criterion_{crit.pk}", "8")
    page.get_by_role("button", name=t["scores"]).click()
    logout(page, lang)
    # The coordinator records the proposed selection and publishes.
    login(page, "coord@example.org", lang=lang)
    page.goto(f"/{lang}/calls/oproep/review/")
    expect(page.get_by_test_id("ranking")).to_contain_text("Dorpsontmoetingspunt")
    page.get_by_role("button", name=t["record"]).click()
    page.get_by_role("button", name=t["publish"]).click()
    logout(page, lang)
    # The applicant sees the decision.
    login(page, "applicant@example.org", lang=lang)
    page.goto(app_url)
    expect(page.get_by_test_id("application-status")).to_have_text(t["selected"])
