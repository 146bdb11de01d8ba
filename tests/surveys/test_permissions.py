"""Who may build a survey, see its results and key in paper answers: coordinators everywhere; the holder of a funded
project only for its own villages; a resident nothing of it."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partons.calls.models import Application, Call
from partons.core.roles import Role
from partons.surveys import permissions, services
from partons.surveys.models import Survey

from ..conftest import make_user, url


@pytest.fixture
def project(territory):
    now = timezone.now()
    call = Call.objects.create(slug="oproep", title_nl="Oproep", title_fr="Appel", text_nl="t", text_fr="t",
                               budget_cents=100_000_00, ceiling_cents=10_000_00, expected_projects=5,
                               opens_at=now - datetime.timedelta(days=90), deadline=now - datetime.timedelta(days=30),
                               published=True)
    holder = make_user("holder@example.org", role=Role.RESIDENT)
    app = Application.objects.create(call=call, applicant=holder, organisation="Dorpsraad Kemmel",
                                     applicant_type="village_council", title="Dorpshuis", idea="i", participants="p",
                                     timeline="t", status=Application.Status.SELECTED)
    app.villages.add(territory["villages"]["kemmel"])
    return app


def times():
    now = timezone.now()
    return {"opens_at": now, "closes_at": now + datetime.timedelta(days=14)}


def test_the_holder_creates_a_survey_for_their_own_village(project, territory):
    holder = project.applicant
    s = services.create_survey(by=holder, project=project, village=territory["villages"]["kemmel"],
                               title_nl="Ons dorpshuis", title_fr="Notre maison de village", **times())
    assert (s.slug, s.published, s.created_by) == ("ons-dorpshuis", False, holder)
    assert permissions.can_manage_survey(holder, s)
    q = services.add_question(by=holder, survey=s, kind="single", text_nl="Komt u?", text_fr="Venez-vous ?",
                              choices=[("Ja", "Oui"), ("Nee", "Non")])
    follow = services.add_question(by=holder, survey=s, kind="long_text", text_nl="Waarom?", text_fr="Pourquoi ?",
                                   show_if_choice=q.choices.get(text_nl="Nee"))
    assert (follow.show_if_question, follow.order) == (q, 2)
    services.set_published(by=holder, survey=s, published=True)
    services.enter_paper_answer(by=holder, survey=s, data={q.field_name: [str(q.choices.first().pk)]})


def test_the_holder_is_refused_another_village(project, territory, english):
    with pytest.raises(ValidationError) as exc:
        services.create_survey(by=project.applicant, project=project, village=territory["villages"]["boeschepe"],
                               title_nl="x", title_fr="y", **times())
    assert list(exc.value.message_dict) == ["village"]


def test_a_project_not_funded_gives_no_right(project, territory):
    project.status = Application.Status.NOT_SELECTED
    project.save()
    with pytest.raises(PermissionDenied):
        services.create_survey(by=project.applicant, project=project, village=territory["villages"]["kemmel"],
                               title_nl="x", title_fr="y", **times())
    project.status = Application.Status.SELECTED  # positive control
    project.save()
    services.create_survey(by=project.applicant, project=project, village=territory["villages"]["kemmel"],
                           title_nl="x", title_fr="y", **times())


def test_the_holder_cannot_manage_other_surveys(project, make_survey, territory):
    other = make_survey(slug="andere", village=territory["villages"]["kemmel"], results_public=False)
    holder = project.applicant
    assert not permissions.can_manage_survey(holder, other)
    assert not permissions.can_see_results(holder, other)
    with pytest.raises(PermissionDenied):
        services.add_question(by=holder, survey=other, kind="short_text", text_nl="a", text_fr="b")
    # Attached to the project but about a village the project does not cover: not theirs either.
    other.project, other.village = project, territory["villages"]["loker"]
    other.save()
    assert not permissions.can_manage_survey(holder, other)
    other.village = territory["villages"]["kemmel"]  # positive control
    other.save()
    assert permissions.can_manage_survey(holder, other)


@pytest.mark.parametrize("role", ["anonymous", "resident", "moderator"])
def test_residents_and_others_may_not_manage(make_survey, role, coordinator):
    s = make_survey(results_public=False)
    user = None if role == "anonymous" else make_user(f"{role}@example.org",
                                                      role=None if role == "resident" else Role(role))
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    assert not permissions.can_manage_survey(user, s)
    assert not permissions.can_see_results(user, s)
    assert not permissions.can_create_survey(user)
    with pytest.raises(PermissionDenied):
        services.enter_paper_answer(by=user, survey=s, data={})
    assert permissions.can_manage_survey(coordinator, s)  # positive control


def test_builder_pages(client, project, territory, resident):
    client.force_login(resident)
    assert client.get(url("surveys:new")).status_code == 403
    client.force_login(project.applicant)
    assert client.get(url("surveys:mine")).status_code == 200
    now = timezone.localtime()
    response = client.post(url("surveys:new"), {
        "project": project.pk, "village": territory["villages"]["kemmel"].pk, "title_nl": "Ons plein",
        "title_fr": "Notre place", "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"), "access": "anonymous"})
    assert response.status_code == 302
    s = Survey.objects.get(slug="ons-plein")
    edit = url("surveys:edit", slug=s.slug)
    bad = client.post(edit, {"action": "add", "kind": "single", "text_nl": "Graag?", "text_fr": "Volontiers ?",
                             "choices": "Ja | Oui"})
    assert bad.status_code == 400 and "id_choices_error" in bad.content.decode()
    ok = client.post(edit, {"action": "add", "kind": "single", "text_nl": "Graag?", "text_fr": "Volontiers ?",
                            "choices": "Ja | Oui\nNee | Non", "required": "on"})
    assert ok.status_code == 302
    assert [c.text_fr for c in s.questions.get().choices.all()] == ["Oui", "Non"]
    assert client.post(edit, {"action": "publish"}).status_code == 302
    assert Survey.objects.get(pk=s.pk).published
    client.force_login(resident)
    assert client.get(edit).status_code == 403


def test_a_question_with_answers_stays(client, project, territory):
    holder = project.applicant
    s = services.create_survey(by=holder, project=project, village=territory["villages"]["kemmel"],
                               title_nl="Plein", title_fr="Place", **times())
    kept = services.add_question(by=holder, survey=s, kind="short_text", text_nl="Iets?", text_fr="Quelque chose ?")
    gone = services.add_question(by=holder, survey=s, kind="short_text", text_nl="Nog?", text_fr="Encore ?")
    services.set_published(by=holder, survey=s, published=True)
    services.enter_paper_answer(by=holder, survey=s, data={kept.field_name: ["ja"]})
    with pytest.raises(ValidationError):
        services.delete_question(by=holder, question=kept)
    services.delete_question(by=holder, question=gone)  # positive control: nobody answered it
    assert list(s.questions.all()) == [kept]
    client.force_login(holder)
    html = client.get(url("surveys:edit", slug=s.slug)).content.decode()
    assert 'value="delete"' not in html and "Al beantwoord" in html  # no button to remove it, and why


def test_open_surveys_show_on_the_call_page(client, project, make_survey):
    page = url("calls:detail", slug=project.call.slug)
    assert 'data-testid="open-surveys"' not in client.get(page).content.decode()
    s = make_survey(call=project.call)
    assert s.get_absolute_url() in client.get(page).content.decode()


def test_the_holder_changes_the_dates_and_not_who_answers_once_answered(client, project, territory, english):
    holder = project.applicant
    s = services.create_survey(by=holder, project=project, village=territory["villages"]["kemmel"],
                               title_nl="Plein", title_fr="Place", **times())
    client.force_login(holder)
    edit = url("surveys:edit", slug=s.slug)
    now = timezone.localtime()
    fields = {"action": "settings", "title_nl": "Ons plein", "title_fr": "Notre place", "access": "signed_in",
              "opens_at": now.strftime("%Y-%m-%dT%H:%M"), "closes_at": (now - datetime.timedelta(days=1)).strftime(
                  "%Y-%m-%dT%H:%M")}
    bad = client.post(edit, fields)
    assert bad.status_code == 400 and 'id="id_closes_at_error"' in bad.content.decode()
    fields["closes_at"] = (now + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(edit, fields).status_code == 302
    s.refresh_from_db()
    assert (s.title_nl, s.access) == ("Ons plein", "signed_in")
    services.add_question(by=holder, survey=s, kind="short_text", text_nl="a", text_fr="b")
    services.enter_paper_answer(by=holder, survey=s, data={})
    with pytest.raises(ValidationError) as exc:
        services.update_survey(by=holder, survey=s, title_nl="x", title_fr="y", opens_at=s.opens_at,
                               closes_at=s.closes_at, access="anonymous")
    assert list(exc.value.message_dict) == ["access"]
