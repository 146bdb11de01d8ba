"""Answering: each question type, required questions, conditions, the opening window, one answer per person,
paper answers, the link to an event's participants."""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from partons.core.roles import Role
from partons.events.models import Event, Registration
from partons.surveys import services
from partons.surveys.models import Answer, Response, Survey

from ..conftest import make_user
from .conftest import add_question, answers

ANON = AnonymousUser()


def submit(survey, data, by=ANON, **kw):
    return services.submit(survey=survey, by=by, data=data, client_key="127.0.0.1", **kw)


def test_every_question_type_is_stored(full_survey, territory):
    qs = full_survey
    kemmel = territory["villages"]["kemmel"]
    r = submit(qs["survey"], answers(qs, shop="Nee", why="  Te ver  ", services=["Bakker", "Bus"], scale="2",
                                     name="Dorpsraad\nKemmel", village=kemmel, point=("2.80", "50,79")))
    by_q = {}
    for a in r.answers.all():
        by_q.setdefault(a.question_id, []).append(a)
    assert by_q[qs["shop"].pk][0].choice.text_nl == "Nee"
    assert by_q[qs["why"].pk][0].text == "Te ver"
    assert sorted(a.choice.text_nl for a in by_q[qs["services"].pk]) == ["Bakker", "Bus"]
    assert by_q[qs["scale"].pk][0].number == 2
    assert by_q[qs["name"].pk][0].text == "Dorpsraad Kemmel"  # a short text is one line
    assert by_q[qs["village"].pk][0].village == kemmel
    point = by_q[qs["point"].pk][0]
    assert (point.lon, point.lat) == (2.80, 50.79)  # a decimal comma is read
    assert r.village == kemmel and r.source == "online" and r.user is None


def test_point_from_the_village_fallback(full_survey, territory):
    qs = full_survey
    loker = territory["villages"]["loker"]
    data = answers(qs)
    data[qs["point"].field_name + "_village"] = [str(loker.pk)]
    r = submit(qs["survey"], data)
    a = r.answers.get(question=qs["point"])
    assert (a.village, a.lon, a.lat) == (loker, loker.lon, loker.lat)


@pytest.mark.parametrize("field,value,message", [
    ("shop", ["999999"], "Choose one of the answers given."),
    ("scale", ["9"], "Choose a value from 1 to 5."),
    ("scale", ["vier"], "Choose a value from 1 to 5."),
    ("services", ["abc"], "Choose among the answers given."),
    ("village", ["999999"], "Choose a village from the list."),
    ("name", ["x" * 301], "At most 300 characters (this answer has 301)."),
])
def test_bad_values_get_a_message_naming_the_field(full_survey, english, field, value, message):
    qs = full_survey
    data = answers(qs)
    data[qs[field].field_name] = value
    with pytest.raises(ValidationError) as exc:
        submit(qs["survey"], data)
    assert exc.value.message_dict == {qs[field].field_name: [message]}
    assert Response.objects.count() == 0
    submit(qs["survey"], answers(qs))  # positive control: the same survey takes a good answer
    assert Response.objects.count() == 1


@pytest.mark.parametrize("lon,lat,message", [
    ("abc", "50.8", "Give both longitude and latitude as numbers (e.g. 2.8271 and 50.7833)."),
    ("2.8", "", "Give both longitude and latitude as numbers (e.g. 2.8271 and 50.7833)."),
    ("50.8", "2.8", "This point lies outside the region: check the longitude and the latitude."),
    ("nan", "50.8", "Give both longitude and latitude as numbers (e.g. 2.8271 and 50.7833)."),
])
def test_bad_points_are_refused(full_survey, english, lon, lat, message):
    qs = full_survey
    data = answers(qs)
    data[qs["point"].field_name + "_lon"], data[qs["point"].field_name + "_lat"] = [lon], [lat]
    with pytest.raises(ValidationError) as exc:
        submit(qs["survey"], data)
    assert exc.value.message_dict == {qs["point"].field_name: [message]}


def test_required_questions(full_survey, english):
    qs = full_survey
    with pytest.raises(ValidationError) as exc:
        submit(qs["survey"], answers(qs, shop=None, scale=None))
    assert exc.value.message_dict == {qs["shop"].field_name: ["Answer this question."],
                                      qs["scale"].field_name: ["Answer this question."]}
    qs["services"].required = True
    qs["services"].save()
    with pytest.raises(ValidationError) as exc:
        submit(qs["survey"], answers(qs))
    assert exc.value.message_dict == {qs["services"].field_name: ["Tick at least one answer."]}
    submit(qs["survey"], answers(qs, services=["Bus"]))
    assert Response.objects.count() == 1


def test_a_hidden_question_is_not_required_and_its_answer_is_dropped(full_survey, english):
    qs = full_survey
    # "Ja": the follow-up question is hidden — not required, and what was typed into it is ignored.
    r = submit(qs["survey"], answers(qs, shop="Ja", why="typed before changing my mind"))
    assert not r.answers.filter(question=qs["why"]).exists()
    # "Nee": it is shown, and required.
    with pytest.raises(ValidationError) as exc:
        submit(qs["survey"], answers(qs, shop="Nee", why=""), answered_here=False)
    assert exc.value.message_dict == {qs["why"].field_name: ["Answer this question."]}


def test_a_condition_on_a_hidden_question_hides_its_own_followers(full_survey, english):
    qs = full_survey
    s = qs["survey"]
    extra = add_question(s, "single", "Hoe ver?", required=True, choices=["Ver", "Dichtbij"])
    # chained: shown only if "why"... conditions read choice questions, so chain on a choice question shown under "Nee"
    extra.show_if_question, extra.show_if_choice = qs["shop"], qs["shop"].choices.get(text_nl="Nee")
    extra.save()
    deeper = add_question(s, "short_text", "Hoeveel km?", required=True, show_if_question=extra,
                          show_if_choice=extra.choices.get(text_nl="Ver"))
    data = answers(qs, shop="Ja")
    data[extra.field_name] = [str(extra.choices.get(text_nl="Ver").pk)]  # sent, but its question is hidden
    r = submit(s, data)
    assert not r.answers.filter(question__in=[extra, deeper]).exists()


def test_opening_and_closing(make_survey, english):
    s = make_survey(days_open=(1, 5))
    q = add_question(s, "short_text", "Iets?")
    with pytest.raises(ValidationError, match="This survey opens on"):
        submit(s, {q.field_name: ["x"]})
    s.opens_at, s.closes_at = timezone.now() - datetime.timedelta(days=5), timezone.now() - datetime.timedelta(seconds=1)
    s.save()
    with pytest.raises(ValidationError, match="This survey is closed."):
        submit(s, {q.field_name: ["x"]})
    s.closes_at = timezone.now() + datetime.timedelta(hours=1)
    s.save()
    submit(s, {q.field_name: ["x"]})  # positive control: open now
    assert Response.objects.count() == 1


def test_an_unpublished_survey_takes_no_answer(make_survey, coordinator):
    s = make_survey(published=False)
    with pytest.raises(PermissionDenied):
        submit(s, {})
    with pytest.raises(PermissionDenied):  # not even from a coordinator: it is not out yet
        submit(s, {}, by=coordinator)
    s.published = True
    s.save()
    submit(s, {})


def test_anonymous_survey_one_answer_per_browser_and_no_account_kept(make_survey, resident, english):
    s = make_survey()
    submit(s, {}, by=resident)
    assert Response.objects.get().user is None  # anonymous: the account is not kept even when signed in
    with pytest.raises(ValidationError, match="already answered"):
        submit(s, {}, answered_here=True)
    submit(s, {}, answered_here=False)  # another browser
    assert Response.objects.count() == 2


def test_signed_in_survey_needs_an_account_and_takes_one_answer(make_survey, resident, english):
    s = make_survey(access=Survey.Access.SIGNED_IN)
    with pytest.raises(PermissionDenied):
        submit(s, {})
    submit(s, {}, by=resident)
    with pytest.raises(ValidationError, match="You have already answered this survey"):
        submit(s, {}, by=resident)
    other = make_user("other@example.org", role=Role.RESIDENT)
    submit(s, {}, by=other)  # positive control
    assert Response.objects.filter(survey=s).count() == 2


def test_the_database_refuses_a_second_answer_of_the_same_person(make_survey, resident):
    s = make_survey(access=Survey.Access.SIGNED_IN)
    Response.objects.create(survey=s, user=resident)
    with pytest.raises(IntegrityError):
        Response.objects.create(survey=s, user=resident)


def test_a_second_answer_slipping_past_the_check_gets_a_clear_message(make_survey, resident, monkeypatch, english):
    """Two tabs at the same instant: both pass the "already answered?" check, the database keeps one, the other
    gets the message (not an error page). Proven with real threads on PostgreSQL in test_concurrency.py."""
    s = make_survey(access=Survey.Access.SIGNED_IN)
    submit(s, {}, by=resident)
    monkeypatch.setattr(services.selectors, "has_answered", lambda user, survey: False)
    with pytest.raises(ValidationError) as exc:
        submit(s, {}, by=resident)
    assert exc.value.messages == ["You have already answered this survey: one answer per person."]
    assert Response.objects.filter(survey=s, user=resident).count() == 1


def test_paper_answers_are_marked_and_taken_after_closing(full_survey, coordinator, resident, english):
    qs = full_survey
    s = qs["survey"]
    s.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    s.opens_at = s.closes_at - datetime.timedelta(days=3)
    s.save()
    r = services.enter_paper_answer(by=coordinator, survey=s, data=answers(qs))
    assert (r.source, r.on_paper, r.user, r.entered_by) == ("paper", True, None, coordinator)
    services.enter_paper_answer(by=coordinator, survey=s, data=answers(qs))  # many forms, no account: no limit
    with pytest.raises(ValidationError):  # checked like the ones on line
        services.enter_paper_answer(by=coordinator, survey=s, data=answers(qs, shop=None))
    with pytest.raises(PermissionDenied):
        services.enter_paper_answer(by=resident, survey=s, data=answers(qs))
    assert Response.objects.filter(source="paper").count() == 2


def test_rate_limit_per_address(make_survey, settings):
    from partons.core.ratelimit import RateLimited

    s = make_survey()
    for _ in range(services.ANSWERS_PER_HOUR):
        submit(s, {})
    with pytest.raises(RateLimited):
        submit(s, {})
    services.submit(survey=s, by=ANON, data={}, client_key="10.0.0.2")  # another address is not held back


@pytest.fixture
def past_event(territory):
    start = timezone.now() - datetime.timedelta(days=2)
    return Event.objects.create(slug="dag", type="discovery_day", title_nl="Dag", title_fr="Journée", starts_at=start,
                                ends_at=start + datetime.timedelta(hours=5), village=territory["villages"]["kemmel"],
                                published=True, capacity=None)


def test_event_participants_get_the_link_once(make_survey, past_event, coordinator, resident, english,
                                             django_capture_on_commit_callbacks):
    s = make_survey(event=past_event)
    anna = make_user("anna@example.org", role=Role.RESIDENT)
    bert = make_user("bert@example.org", role=Role.RESIDENT)
    Registration.objects.create(event=past_event, user=anna, status="confirmed")
    Registration.objects.create(event=past_event, user=bert, status="cancelled")
    with pytest.raises(PermissionDenied):
        services.invite_participants(by=resident, survey=s)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        n = services.invite_participants(by=coordinator, survey=s)
    assert n == 1
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert "/surveys/leefbaarheid/" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="already sent"):
        services.invite_participants(by=coordinator, survey=s)


def test_no_link_before_the_event_is_over(make_survey, past_event, coordinator, english):
    past_event.ends_at = timezone.now() + datetime.timedelta(hours=1)
    past_event.save()
    s = make_survey(event=past_event)
    with pytest.raises(ValidationError, match="not over yet"):
        services.invite_participants(by=coordinator, survey=s)
    assert Survey.objects.get(pk=s.pk).participants_invited_at is None
    assert Answer.objects.count() == 0


def test_demo_survey_is_synthetic_and_loads_once(territory):
    from partons.surveys.demo import load_demo_surveys
    from partons.surveys.selectors import results

    assert load_demo_surveys(log=lambda m: None)["surveys"] == 1
    assert load_demo_surveys(log=lambda m: None)["surveys"] == 0
    s = Survey.objects.get()
    assert s.synthetic and s.published and s.state() == "open"
    res = results(s)
    assert res["responses"] == 36 and res["paper"] == 6
    assert res["by_side"]["BE"] > 0 and res["by_side"]["FR"] > 0


def test_a_condition_whose_choice_was_deleted_hides_nothing(full_survey, english):
    qs = full_survey
    qs["shop"].choices.get(text_nl="Nee").delete()
    with pytest.raises(ValidationError) as exc:  # the follow-up is shown (and required) whatever the answer
        submit(qs["survey"], answers(qs, shop="Ja"))
    assert list(exc.value.message_dict) == [qs["why"].field_name]
