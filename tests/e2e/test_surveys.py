"""In a real browser on a 390 px phone screen, in Dutch and in French: a resident answers a survey — the follow-up
question appears only after the answer that calls for it, errors are named on the page, a point is placed on the map,
the scale is answered with the keyboard — and the results page draws its charts. Both pass the WCAG 2.1 AA checks."""
import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partons.surveys.models import Answer, Choice, Question, Response, Survey

from .conftest import assert_wcag_aa

pytestmark = pytest.mark.e2e


@pytest.fixture
def survey(territory):
    now = timezone.now()
    s = Survey.objects.create(slug="dorpsleven", title_nl="Leven in het dorp", title_fr="Vivre au village",
                              opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=9),
                              published=True, results_public=True)

    def q(kind, nl, fr, choices=(), **kw):
        question = Question.objects.create(survey=s, order=s.questions.count() + 1, kind=kind, text_nl=nl, text_fr=fr,
                                           **kw)
        for i, (c_nl, c_fr) in enumerate(choices):
            Choice.objects.create(question=question, order=i, text_nl=c_nl, text_fr=c_fr)
        return question

    shop = q("single", "Is er een bakker in uw dorp?", "Y a-t-il une boulangerie au village ?", required=True,
             choices=[("Ja", "Oui"), ("Nee", "Non")])
    q("long_text", "Waar koopt u dan brood?", "Où achetez-vous alors votre pain ?", required=True,
      show_if_question=shop, show_if_choice=shop.choices.get(text_nl="Nee"))
    q("scale", "Hoe tevreden bent u?", "Êtes-vous satisfait ?", required=True)
    q("village", "Waar woont u?", "Où habitez-vous ?")
    q("point", "Waar mist u iets?", "Où manque-t-il quelque chose ?")
    return s


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_answer_a_survey_on_a_phone(page, survey, territory, lang):
    yes, no = {"nl": ("Ja", "Nee"), "fr": ("Oui", "Non")}[lang]
    questions = list(survey.questions.order_by("order"))
    shop, follow, scale, village, point = (x.field_name for x in questions)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/{lang}/surveys/dorpsleven/")
    expect(page.locator("h1")).to_contain_text(survey.title_fr if lang == "fr" else survey.title_nl)
    # The follow-up question waits for its answer.
    expect(page.locator(f"#{follow}-block")).to_be_hidden()
    no_horizontal_scroll(page)
    assert_wcag_aa(page)
    # Sent empty: the server names each question that needs an answer; nothing is recorded.
    page.locator("#survey-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator(f'#error-summary a[href="#{shop}-title"]')).to_be_visible()
    expect(page.locator(f"#{scale}-error")).to_be_visible()
    assert Response.objects.count() == 0
    no_horizontal_scroll(page)
    # "No" shows the follow-up question.
    page.get_by_label(no, exact=True).check()
    expect(page.locator(f"#{follow}-block")).to_be_visible()
    page.get_by_label(questions[1].text_fr if lang == "fr" else questions[1].text_nl).fill("Bij de bakker in Loker")
    if lang == "nl":  # changing one's mind hides it again, and what was typed there is not kept
        page.get_by_label(yes, exact=True).check()
        expect(page.locator(f"#{follow}-block")).to_be_hidden()
    # The scale with the keyboard: focus the first step, then the arrow keys.
    page.locator(f"#{scale}_1").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#{scale}_4")).to_be_checked()
    page.locator(f"#{village}").select_option(str(territory["villages"]["boeschepe"].pk))
    # A point: a village chosen in the list takes the map there, then a click on the map fills the coordinates.
    page.locator(f"#{point}_village").select_option(str(territory["villages"]["kemmel"].pk))
    page.wait_for_function(f"() => document.getElementById('{point}-map')._partonsMap.getZoom() === 13")
    centre = page.evaluate(f"(() => {{ const c = document.getElementById('{point}-map')._partonsMap.getCenter(); "
                           "return [c.lng, c.lat]; })()")
    kemmel = territory["villages"]["kemmel"]
    assert abs(centre[0] - kemmel.lon) < 1e-3 and abs(centre[1] - kemmel.lat) < 1e-3
    page.locator(f"#{point}-map").click(position={"x": 150, "y": 100})
    expect(page.locator(f"#{point}_lon")).not_to_have_value("")
    page.locator("#survey-form button[type=submit]").click()
    expect(page.get_by_test_id("survey-status")).to_be_visible()
    no_horizontal_scroll(page)
    response = Response.objects.get()
    assert response.village == territory["villages"]["boeschepe"]
    by_question = {a.question_id: a for a in Answer.objects.filter(response=response)}
    assert by_question[questions[2].pk].number == 4
    assert by_question[questions[4].pk].lon is not None
    if lang == "nl":
        assert by_question[questions[0].pk].choice.text_nl == "Ja" and questions[1].pk not in by_question
    else:
        assert by_question[questions[0].pk].choice.text_nl == "Nee"
        assert by_question[questions[1].pk].text == "Bij de bakker in Loker"
    # A second answer from the same browser is refused.
    page.goto(f"/{lang}/surveys/dorpsleven/")
    expect(page.locator("#survey-form")).to_have_count(0)
    # The results: a chart per question, drawn by Chart.js, with its table.
    page.goto(f"/{lang}/surveys/dorpsleven/results/")
    canvas = page.locator(f"#chart-q{questions[0].pk}")
    expect(canvas).to_be_visible()
    page.wait_for_function(f"() => !!document.getElementById('chart-q{questions[0].pk}')._partonsChart")
    expect(page.get_by_test_id(f"table-q{questions[0].pk}")).to_contain_text(yes if lang == "nl" else no)
    page.wait_for_function(f"() => !!document.getElementById('points-q{questions[4].pk}')._partonsMap")
    no_horizontal_scroll(page)
    assert_wcag_aa(page)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_build_a_survey_with_the_keyboard(page, survey, coordinator, lang):
    from .test_services import login

    login(page, "coord@example.org", lang=lang)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/{lang}/surveys/dorpsleven/edit/")
    form = page.locator("form.question-form")
    choices, scale = form.locator("[data-field=choices]"), form.locator("[data-field=scale_min]")
    # the form shows what the type of question uses
    form.locator("select[name=kind]").select_option("scale")
    assert scale.is_visible() and not choices.is_visible()
    form.locator("select[name=kind]").select_option("multiple")
    assert choices.is_visible() and not scale.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_wcag_aa(page)
    # question 4 goes up with the keyboard; the focus comes back to it, so it can go on moving
    up = {"nl": "Hoger (vraag 4)", "fr": "Monter (question 4)"}[lang]
    page.get_by_role("button", name=up).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert list(survey.questions.order_by("order").values_list("kind", flat=True)) == [
        "single", "long_text", "village", "scale", "point"]
    assert page.evaluate("document.activeElement.id") == f"q-{survey.questions.get(kind='village').pk}"
    # question 2 is shown after an answer to question 1: it has no button to go above it, and says why
    second = page.locator(f"#q-{survey.questions.get(kind='long_text').pk}")
    assert second.locator("button[value=up]").count() == 0 and second.locator(".muted").first.is_visible()
