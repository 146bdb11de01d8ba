"""Personal data: a person's answers are exported; erasing the account detaches them (the results stay the same)."""
from django.contrib.auth.models import AnonymousUser

from partons.core import gdpr
from partons.surveys import selectors, services
from partons.surveys.models import Response, Survey

from .conftest import answers


def test_export_and_erase(full_survey, resident, coordinator, territory):
    qs = full_survey
    s = qs["survey"]
    s.access = Survey.Access.SIGNED_IN
    s.save()
    services.submit(survey=s, by=resident, client_key="x", data=answers(
        qs, shop="Nee", why="Geen winkel meer", services=["Bus"], village=territory["villages"]["kemmel"],
        point=("2.8", "50.8")))
    services.enter_paper_answer(by=coordinator, survey=s, data=answers(qs))
    exported = gdpr.export_personal_data(resident)["survey_responses"]
    assert len(exported) == 1 and exported[0]["survey"] == s.slug
    assert exported[0]["answers"]["Waarom niet?"] == ["Geen winkel meer"]
    assert exported[0]["answers"]["Waar woont u?"] == ["Kemmel"]
    assert exported[0]["answers"]["Waar ontbreekt iets?"] == [[2.8, 50.8]]
    assert gdpr.export_personal_data(coordinator)["survey_responses"] == []  # paper answers are nobody's
    before = selectors.results(s)["by_side"]
    gdpr.delete_user(resident)
    gdpr.delete_user(coordinator)
    assert Response.objects.count() == 2
    assert not Response.objects.filter(user__isnull=False).exists()
    assert not Response.objects.filter(entered_by__isnull=False).exists()
    assert selectors.results(s)["by_side"] == before


def test_the_models_are_declared():
    covered = gdpr.covered_models()
    assert "surveys.Response" in covered and "surveys.Survey" in covered


def test_anonymous_answers_hold_no_account(full_survey, resident):
    services.submit(survey=full_survey["survey"], by=resident, client_key="x", data=answers(full_survey))
    assert gdpr.export_personal_data(resident)["survey_responses"] == []
    assert services.submit(survey=full_survey["survey"], by=AnonymousUser(), client_key="y",
                           data=answers(full_survey)).user is None
