"""The survey builder on the site: a question is changed or moved while the survey is being prepared; what was
answered stays as it was asked, and a question shown after an answer stays after the question that asks it."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from partons.surveys import services
from partons.surveys.models import Question

from ..conftest import url
from .test_permissions import project, times  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(project, territory):  # noqa: F811
    holder = project.applicant
    s = services.create_survey(by=holder, project=project, village=territory["villages"]["kemmel"],
                               title_nl="Plein", title_fr="Place", **times())
    shop = services.add_question(by=holder, survey=s, kind="single", text_nl="Winkel?", text_fr="Magasin ?",
                                 choices=[("Ja", "Oui"), ("Nee", "Non"), ("Soms", "Parfois")])
    why = services.add_question(by=holder, survey=s, kind="long_text", text_nl="Waarom niet?",
                                text_fr="Pourquoi pas ?", show_if_choice=shop.choices.get(text_nl="Soms"))
    age = services.add_question(by=holder, survey=s, kind="scale", text_nl="Hoe tevreden?", text_fr="Satisfait ?")
    return {"holder": holder, "survey": s, "shop": shop, "why": why, "age": age}


def order(survey):
    return list(survey.questions.order_by("order", "pk").values_list("text_nl", flat=True))


def test_questions_move_up_and_down_but_a_condition_stays_after_its_question(built):
    s, holder = built["survey"], built["holder"]
    services.move_question(by=holder, question=built["age"], up=True)
    assert order(s) == ["Winkel?", "Hoe tevreden?", "Waarom niet?"]
    services.move_question(by=holder, question=built["age"], up=True)
    assert order(s) == ["Hoe tevreden?", "Winkel?", "Waarom niet?"]
    services.move_question(by=holder, question=built["age"], up=True)  # already first: nothing changes
    assert order(s) == ["Hoe tevreden?", "Winkel?", "Waarom niet?"]
    with pytest.raises(ValidationError) as up:
        services.move_question(by=holder, question=built["why"], up=True)  # above the question it depends on
    with pytest.raises(ValidationError):
        services.move_question(by=holder, question=built["shop"], up=False)  # below its dependent
    assert "3" in up.value.messages[0] and "2" in up.value.messages[0]  # names both questions
    assert order(s) == ["Hoe tevreden?", "Winkel?", "Waarom niet?"]


def test_a_question_is_changed_until_it_has_answers(built, english):
    s, holder, shop = built["survey"], built["holder"], built["shop"]
    soms = shop.choices.get(text_nl="Soms")
    # the third answer is what question 2's condition reads: it cannot be dropped…
    with pytest.raises(ValidationError) as dropped:
        services.update_question(by=holder, question=shop, kind="single", text_nl="Winkel?", text_fr="Magasin ?",
                                 choices=[("Ja", "Oui"), ("Nee", "Non")])
    assert dropped.value.message_dict["choices"] == ["Question 2 is shown only after the answer “Soms”: change "
                                                     "that condition first."]
    with pytest.raises(ValidationError) as no_choice:  # …nor can the question stop offering answers
        services.update_question(by=holder, question=shop, kind="short_text", text_nl="Winkel?", text_fr="Magasin ?")
    assert list(no_choice.value.message_dict) == ["kind"]
    # …but each answer is rewritten in its place, and the condition still reads the third
    services.update_question(by=holder, question=shop, kind="multiple", text_nl="Welke winkel?",
                             text_fr="Quel magasin ?", required=True,
                             choices=[("Ja, dagelijks", "Oui, tous les jours"), ("Neen", "Non"),
                                      ("Af en toe", "De temps en temps"), ("Weet niet", "Ne sais pas")])
    shop.refresh_from_db()
    assert (shop.kind, shop.text_nl, shop.required) == ("multiple", "Welke winkel?", True)
    assert [c.text_fr for c in shop.choices.all()] == ["Oui, tous les jours", "Non", "De temps en temps", "Ne sais pas"]
    built["why"].refresh_from_db()
    assert built["why"].show_if_choice_id == soms.pk and built["why"].show_if_choice.text_nl == "Af en toe"

    services.set_published(by=holder, survey=s, published=True)
    services.enter_paper_answer(by=holder, survey=s, data={shop.field_name: [str(soms.pk)],
                                                            built["age"].field_name: ["4"]})
    with pytest.raises(ValidationError):
        services.update_question(by=holder, question=built["age"], kind="scale", text_nl="Anders?", text_fr="Autre ?")
    assert Question.objects.get(pk=built["age"].pk).text_nl == "Hoe tevreden?"


def test_a_condition_follows_its_answer_when_the_lines_are_reordered(built):
    holder, shop, why = built["holder"], built["shop"], built["why"]
    soms = shop.choices.get(text_nl="Soms")
    services.update_question(by=holder, question=shop, kind="single", text_nl="Winkel?", text_fr="Magasin ?",
                             choices=[("Soms", "Parfois"), ("Nee", "Non"), ("Ja", "Oui, toujours")])
    assert [c.text_nl for c in shop.choices.all()] == ["Soms", "Nee", "Ja"]
    why.refresh_from_db()
    assert why.show_if_choice_id == soms.pk and why.show_if_choice.text_nl == "Soms"  # moved with its line
    assert shop.choices.get(text_nl="Ja").text_fr == "Oui, toujours"  # one language corrected: the same answer


def test_a_question_a_condition_reads_is_not_removed(built, english):
    holder, shop, why = built["holder"], built["shop"], built["why"]
    with pytest.raises(ValidationError) as exc:
        services.delete_question(by=holder, question=shop)
    assert exc.value.messages == ["Question 2 is shown only after an answer to this one: change or remove that "
                                  "condition first."]
    services.delete_question(by=holder, question=why)  # positive control: the dependent goes, then its question can
    services.delete_question(by=holder, question=shop)
    assert order(built["survey"]) == ["Hoe tevreden?"]


def test_only_those_who_manage_the_survey_change_it(built, resident):
    with pytest.raises(PermissionDenied):
        services.update_question(by=resident, question=built["age"], kind="scale", text_nl="a", text_fr="b")
    with pytest.raises(PermissionDenied):
        services.move_question(by=resident, question=built["age"], up=True)
    assert order(built["survey"]) == ["Winkel?", "Waarom niet?", "Hoe tevreden?"]
    # positive control: the project's holder may
    services.move_question(by=built["holder"], question=built["age"], up=True)
    services.update_question(by=built["holder"], question=built["age"], kind="scale", text_nl="Tevreden?",
                             text_fr="Satisfait ?")
    assert order(built["survey"]) == ["Winkel?", "Tevreden?", "Waarom niet?"]


def test_the_builder_page_changes_and_moves_questions(client, built, resident):
    s, shop, age = built["survey"], built["shop"], built["age"]
    client.force_login(built["holder"])
    edit = url("surveys:edit", slug=s.slug)
    page = client.get(edit).content.decode()
    change = url("surveys:question", slug=s.slug, pk=shop.pk)
    assert f'href="{change}"' in page
    # question 2 reads question 1: it has no "up", question 1 no "down"; question 3 goes up, question 2 down
    assert page.count('value="up"') == 1 and page.count('value="down"') == 1

    form = client.get(change)
    assert form.status_code == 200 and "Ja | Oui\nNee | Non\nSoms | Parfois" in form.content.decode()
    bad = client.post(change, {"kind": "single", "text_nl": "", "text_fr": "Magasin ?", "choices": "Ja | Oui\nNee | Non"})
    assert bad.status_code == 400 and 'id="id_text_nl_error"' in bad.content.decode()
    dropped = client.post(change, {"kind": "single", "text_nl": "Winkel?", "text_fr": "Magasin ?",
                                   "choices": "Ja | Oui\nNee | Non"})
    assert dropped.status_code == 400 and 'id="id_choices_error"' in dropped.content.decode()  # the condition's answer
    ok = client.post(change, {"kind": "single", "text_nl": "Een winkel?", "text_fr": "Un magasin ?",
                              "choices": "Ja | Oui\nNee | Non\nSoms | Parfois"})
    assert ok.status_code == 302 and ok["Location"].endswith(f"#q-{shop.pk}")
    assert Question.objects.get(pk=shop.pk).text_nl == "Een winkel?"

    refused = client.post(edit, {"action": "up", "question": built["why"].pk}, follow=True)
    assert refused.status_code == 200 and order(s) == ["Een winkel?", "Waarom niet?", "Hoe tevreden?"]
    assert "Vraag 2 wordt getoond na een antwoord op vraag 1" in refused.content.decode()  # said on the page
    moved = client.post(edit, {"action": "up", "question": age.pk})
    assert moved.status_code == 302 and order(s) == ["Een winkel?", "Hoe tevreden?", "Waarom niet?"]

    client.force_login(resident)
    assert client.get(change).status_code == 403
    assert client.post(edit, {"action": "down", "question": shop.pk}).status_code == 403


def test_an_answered_question_has_no_change_link(client, built):
    s, holder, age = built["survey"], built["holder"], built["age"]
    services.set_published(by=holder, survey=s, published=True)
    services.enter_paper_answer(by=holder, survey=s, data={age.field_name: ["4"]})
    client.force_login(holder)
    page = client.get(url("surveys:edit", slug=s.slug)).content.decode()
    assert url("surveys:question", slug=s.slug, pk=age.pk) not in page
    assert url("surveys:question", slug=s.slug, pk=built["shop"].pk) in page  # positive control
    refused = client.get(url("surveys:question", slug=s.slug, pk=age.pk))
    assert refused.status_code == 302


def test_the_builder_page_takes_a_fixed_number_of_queries(client, built):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    s, holder, shop = built["survey"], built["holder"], built["shop"]
    client.force_login(holder)
    edit = url("surveys:edit", slug=s.slug)
    client.get(edit)
    with CaptureQueriesContext(connection) as few:
        client.get(edit)
    for i in range(4):
        services.add_question(by=holder, survey=s, kind="short_text", text_nl=f"Nog {i}?", text_fr=f"Encore {i} ?",
                              show_if_choice=shop.choices.get(text_nl="Ja"))
    with CaptureQueriesContext(connection) as many:
        page = client.get(edit).content.decode()
    assert page.count("alleen als “Ja”") == 4  # positive control: the conditions are shown
    assert len(many) == len(few)


def test_the_admins_condition_names_each_answer_with_its_question_in_the_admins_language(client, full_survey, coordinator):
    import re

    client.force_login(coordinator)
    html = client.get(f"/nl/admin/surveys/question/{full_survey['name'].pk}/change/").content.decode()
    assert re.search(r'<label[^>]*for="id_survey"[^>]*>Bevraging:</label>', html)  # not "Survey:"
    options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>',
                         html.split('name="show_if_choice"')[1].split("</select>")[0])
    # the answers of the earlier choice questions, in the survey's order, each after its question
    assert options == ["Is er een winkel? — Ja", "Is er een winkel? — Nee", "Wat mist u? — Bakker",
                       "Wat mist u? — Huisarts", "Wat mist u? — Bus"]
