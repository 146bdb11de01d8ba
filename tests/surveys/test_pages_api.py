"""Pages and the public API: the answer page without JavaScript (conditions on the server), the cookie, the results
page and its visibility, the JSON of public results."""
import datetime

import pytest
from django.utils import timezone

from partons.surveys.models import Response, Survey

from ..conftest import url
from .conftest import answers


def test_answer_page_shows_every_question_with_a_label(client, full_survey):
    response = client.get(url("surveys:answer", slug="leefbaarheid"))
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("shop", "why", "services", "scale", "name", "village", "point"):
        q = full_survey[key]
        assert f'id="{q.field_name}-title"' in html  # a legend or a label per question
    assert f'<label for="{full_survey["name"].field_name}"' in html
    assert f'<label for="{full_survey["point"].field_name}_lon"' in html
    assert "Alleen als u “Nee” antwoordde op vraag 1." in html  # "only if you answered … to question 1", in Dutch


def test_answer_then_the_cookie_keeps_a_second_one_out(client, full_survey, territory):
    qs = full_survey
    page = url("surveys:answer", slug="leefbaarheid")
    response = client.post(page, answers(qs, shop="Nee", why="Geen bakker", village=territory["villages"]["kemmel"]))
    assert response.status_code == 302
    assert Response.objects.count() == 1
    assert "partons_survey_%s" % qs["survey"].pk in response.cookies
    html = client.get(page).content.decode()
    assert 'data-testid="survey-status"' in html and 'id="survey-form"' not in html
    again = client.post(page, answers(qs))
    assert again.status_code == 400
    assert Response.objects.count() == 1
    client.cookies.clear()  # positive control: another browser
    assert client.post(page, answers(qs)).status_code == 302
    assert Response.objects.count() == 2


def test_a_forged_cookie_is_not_read(client, full_survey):
    client.cookies["partons_survey_%s" % full_survey["survey"].pk] = "1"
    assert client.post(url("surveys:answer", slug="leefbaarheid"), answers(full_survey)).status_code == 302


def test_errors_are_shown_on_the_page_naming_the_question(client, full_survey):
    qs = full_survey
    response = client.post(url("surveys:answer", slug="leefbaarheid"), answers(qs, shop="Nee", why="", scale="12"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert f'href="#{qs["why"].field_name}-title"' in html and f'href="#{qs["scale"].field_name}-title"' in html
    assert f'id="{qs["why"].field_name}-error"' in html
    assert Response.objects.count() == 0


def test_signed_in_survey_sends_the_visitor_to_log_in(client, make_survey, resident):
    make_survey(access=Survey.Access.SIGNED_IN)
    page = url("surveys:answer", slug="leefbaarheid")
    response = client.post(page, {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(resident)
    assert client.post(page, {}).status_code == 302
    again = client.post(page, {})
    assert again.status_code == 400 and Response.objects.count() == 1


def test_closed_survey_page_says_so(client, make_survey):
    make_survey(days_open=(-10, -1))
    response = client.get(url("surveys:answer", slug="leefbaarheid"))
    assert response.status_code == 200 and 'data-testid="survey-status"' in response.content.decode()
    assert 'id="survey-form"' not in response.content.decode()


def test_unpublished_survey_is_not_found(client, make_survey, coordinator):
    make_survey(published=False)
    assert client.get(url("surveys:answer", slug="leefbaarheid")).status_code == 404
    client.force_login(coordinator)
    assert client.get(url("surveys:answer", slug="leefbaarheid")).status_code == 200


def test_results_page_public_or_for_managers(client, full_survey, coordinator, resident):
    s = full_survey["survey"]
    page = url("surveys:results", slug=s.slug)
    response = client.get(page)
    assert response.status_code == 200 and 'id="survey-charts"' in response.content.decode()
    assert "vendor/chart.js/chart.umd.min.js" in response.content.decode()
    s.results_public = False
    s.save()
    assert client.get(page).status_code == 404
    client.force_login(resident)
    assert client.get(page).status_code == 404
    client.force_login(coordinator)
    assert client.get(page).status_code == 200


def test_results_filters_name_a_bad_value(client, full_survey, territory):
    page = url("surveys:results", slug=full_survey["survey"].slug)
    assert client.post(url("surveys:answer", slug="leefbaarheid"),
                       answers(full_survey, village=territory["villages"]["kemmel"])).status_code == 302
    bad = client.get(page, {"village": "nowhere", "side": "XX"})
    assert bad.status_code == 400
    assert 'id="id_village_error"' in bad.content.decode() and 'id="id_side_error"' in bad.content.decode()
    ok = client.get(page, {"village": "kemmel", "side": "BE"})
    assert ok.status_code == 200
    # the villages offered are those of the respondents, not the whole region's
    assert [v.slug for v in ok.context["form"].villages] == ["kemmel"]


def test_open_surveys_show_on_the_village_page(client, full_survey, territory):
    s = full_survey["survey"]
    s.village = territory["villages"]["kemmel"]
    s.save()
    html = client.get(url("web:village", slug="kemmel")).content.decode()
    assert 'data-testid="open-surveys"' in html and s.get_absolute_url() in html
    s.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    s.opens_at = s.closes_at - datetime.timedelta(days=1)
    s.save()
    from django.core.cache import cache

    cache.clear()  # the village page is kept until its data changes, five minutes at most (see the README)
    assert 'data-testid="open-surveys"' not in client.get(url("web:village", slug="kemmel")).content.decode()


def test_open_surveys_show_on_the_event_and_call_pages(client, make_survey, territory):
    from partons.events.models import Event

    start = timezone.now() + datetime.timedelta(days=3)
    event = Event.objects.create(slug="dag", type="discovery_day", title_nl="Dag", title_fr="Journée", starts_at=start,
                                 ends_at=start + datetime.timedelta(hours=2), village=territory["villages"]["kemmel"],
                                 published=True)
    page = url("events:detail", slug="dag")
    assert 'data-testid="open-surveys"' not in client.get(page).content.decode()
    s = make_survey(event=event)
    assert s.get_absolute_url() in client.get(page).content.decode()


def test_api_gives_public_results_only(client, full_survey, territory):
    from partons.surveys import services
    from django.contrib.auth.models import AnonymousUser

    qs = full_survey
    services.submit(survey=qs["survey"], by=AnonymousUser(), client_key="x",
                    data=answers(qs, shop="Nee", why="secret text", village=territory["villages"]["boeschepe"]))
    response = client.get("/api/surveys/leefbaarheid/results?lang=fr")
    assert response.status_code == 200
    data = response.json()
    assert data["responses"] == 1 and data["by_side"] == {"BE": 0, "FR": 1, "unknown": 0}
    assert data["title"] == "Vivre au village"
    first = data["questions"][0]
    assert [(r["label"], r["total"], r["FR"]) for r in first["rows"]] == [("Ja (fr)", 0, 0), ("Nee (fr)", 1, 1)]
    assert "secret text" not in response.content.decode()  # free texts stay on the results page
    listing = client.get("/api/surveys").json()
    assert [s["slug"] for s in listing["items"]] == ["leefbaarheid"]
    assert (listing["numberMatched"], listing["numberReturned"], listing["next"]) == (1, 1, None)
    qs["survey"].results_public = False
    qs["survey"].save()
    refused = client.get("/api/surveys/leefbaarheid/results")
    assert refused.status_code == 404 and "detail" in refused.json()
    assert client.get("/api/surveys").json()["items"] == []


def test_api_refuses_an_unpublished_survey(client, make_survey):
    s = make_survey(published=False, results_public=True)
    assert client.get(f"/api/surveys/{s.slug}/results").status_code == 404
    s.published = True
    s.save()
    assert client.get(f"/api/surveys/{s.slug}/results").status_code == 200


@pytest.mark.parametrize("lang,title", [("nl", "Leven in het dorp"), ("fr", "Vivre au village")])
def test_pages_in_each_language(client, full_survey, lang, title):
    html = client.get(f"/{lang}/surveys/leefbaarheid/").content.decode()
    assert f"<h1>{title}" in html or title in html.split("<h1>")[1].split("</h1>")[0]


def test_admin_builds_the_questionnaire(client, full_survey, coordinator):
    from django.urls import reverse

    client.force_login(coordinator)
    s, why = full_survey["survey"], full_survey["why"]
    assert client.get(reverse("admin:surveys_survey_change", args=[s.pk])).status_code == 200
    assert client.get(reverse("admin:surveys_survey_add")).status_code == 200
    page = client.get(reverse("admin:surveys_question_change", args=[why.pk]))
    assert page.status_code == 200
    # A condition on an answer of another question is refused, naming the field.
    other = full_survey["services"].choices.first()
    response = client.post(reverse("admin:surveys_question_change", args=[why.pk]), {
        "survey": s.pk, "order": why.order, "kind": "long_text", "text_nl": "Waarom niet?", "text_fr": "Pourquoi ?",
        "scale_min": 1, "scale_max": 5, "show_if_question": full_survey["shop"].pk, "show_if_choice": other.pk,
        "choices-TOTAL_FORMS": 0, "choices-INITIAL_FORMS": 0})
    assert response.status_code == 200 and "show_if_choice" in response.context["adminform"].form.errors


def test_paper_page_for_managers(client, full_survey, coordinator, resident):
    page = url("surveys:paper", slug=full_survey["survey"].slug)
    client.force_login(resident)
    assert client.get(page).status_code == 403
    client.force_login(coordinator)
    response = client.get(page)
    assert response.status_code == 200 and 'data-testid="paper-mode"' in response.content.decode()
    assert client.post(page, answers(full_survey)).status_code == 302
    assert Response.objects.get().source == "paper"
    bad = client.post(page, answers(full_survey, shop=None))
    assert bad.status_code == 400 and Response.objects.count() == 1


def test_coordinator_sends_the_link_to_the_event_participants(client, make_survey, territory, coordinator, resident,
                                                              django_capture_on_commit_callbacks):
    from django.core import mail

    from partons.events.models import Event, Registration

    start = timezone.now() - datetime.timedelta(days=1)
    event = Event.objects.create(slug="dag", type="discovery_day", title_nl="Dag", title_fr="Journée", starts_at=start,
                                 ends_at=start + datetime.timedelta(hours=2), village=territory["villages"]["kemmel"],
                                 published=True)
    Registration.objects.create(event=event, user=resident, status="confirmed")
    s = make_survey(event=event)
    invite = url("surveys:invite", slug=s.slug)
    client.force_login(resident)
    assert client.post(invite).status_code == 403
    client.force_login(coordinator)
    assert "surveys/leefbaarheid/invite" in client.get(url("surveys:results", slug=s.slug)).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(invite).status_code == 302
    assert [m.to for m in mail.outbox] == [["resident@example.org"]]
    assert client.post(invite).status_code == 302  # a second time: refused with a message, nothing sent
    assert len(mail.outbox) == 1


def test_an_unpublished_survey_previewed_by_a_coordinator_takes_no_answer(client, make_survey, coordinator):
    make_survey(published=False)
    client.force_login(coordinator)
    response = client.post(url("surveys:answer", slug="leefbaarheid"), {})
    assert response.status_code == 302 and Response.objects.count() == 0


def test_index_lists_open_surveys(client, make_survey, coordinator):
    make_survey()
    make_survey(slug="later", days_open=(2, 9))
    html = client.get(url("surveys:index")).content.decode()
    assert "/nl/surveys/leefbaarheid/" in html and "/nl/surveys/later/" not in html
    assert url("surveys:mine") not in html
    client.force_login(coordinator)
    assert url("surveys:mine") in client.get(url("surveys:index")).content.decode()


def test_answer_page_queries_do_not_grow_with_the_questions(client, full_survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import add_question

    page = url("surveys:answer", slug="leefbaarheid")
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    shop = full_survey["shop"]
    for i in range(5):
        add_question(full_survey["survey"], "single", f"Extra {i}", choices=["a", "b"], show_if_question=shop,
                     show_if_choice=shop.choices.first())
    with CaptureQueriesContext(connection) as many:
        client.get(page)
    assert len(many) == len(few)


def test_free_texts_are_marked_with_the_language_they_were_written_in(client, full_survey):
    qs = full_survey
    nl_page = url("surveys:answer", slug="leefbaarheid")
    fr_page = "/fr" + nl_page[len("/nl"):]
    assert client.post(nl_page, answers(qs, shop="Nee", why="Geen bakker meer")).status_code == 302
    client.cookies.clear()  # another browser
    assert client.post(fr_page, answers(qs, shop="Nee", why="Plus de boulanger")).status_code == 302
    assert sorted(Response.objects.values_list("language", flat=True)) == ["fr", "nl"]
    html = client.get("/fr" + url("surveys:results", slug="leefbaarheid")[len("/nl"):]).content.decode()
    assert '<q lang="nl">Geen bakker meer</q> <span class="lang-tag">(en néerlandais)</span>' in html
    assert '<q lang="fr">Plus de boulanger</q></li>' in html  # on the page of its own language, no mention
