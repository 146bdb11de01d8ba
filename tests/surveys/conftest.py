import datetime

import pytest
from django.utils import timezone

from partons.surveys.models import Choice, Question, Survey


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def make_survey(territory):
    def make(slug="leefbaarheid", access=Survey.Access.ANONYMOUS, days_open=(-1, 10), **kw):
        now = timezone.now()
        defaults = dict(title_nl="Leven in het dorp", title_fr="Vivre au village", intro_nl="Zeg het ons",
                        intro_fr="Dites-le nous", opens_at=now + datetime.timedelta(days=days_open[0]),
                        closes_at=now + datetime.timedelta(days=days_open[1]), access=access, published=True,
                        results_public=True)
        defaults.update(kw)
        return Survey.objects.create(slug=slug, **defaults)
    return make


def add_question(survey, kind, text="Vraag", required=False, choices=(), order=None, **kw):
    q = Question.objects.create(survey=survey, kind=kind, text_nl=text, text_fr=f"{text} (fr)", required=required,
                                order=order if order is not None else survey.questions.count() + 1, **kw)
    for i, c in enumerate(choices):
        Choice.objects.create(question=q, order=i, text_nl=c, text_fr=f"{c} (fr)")
    return q


@pytest.fixture
def full_survey(make_survey):
    """One question of each type; question 'why' is shown only when 'shop' got 'Nee'."""
    s = make_survey()
    shop = add_question(s, "single", "Is er een winkel?", required=True, choices=["Ja", "Nee"])
    why = add_question(s, "long_text", "Waarom niet?", required=True,
                       show_if_question=shop, show_if_choice=shop.choices.get(text_nl="Nee"))
    services = add_question(s, "multiple", "Wat mist u?", choices=["Bakker", "Huisarts", "Bus"])
    scale = add_question(s, "scale", "Hoe tevreden?", required=True, scale_min=1, scale_max=5)
    name = add_question(s, "short_text", "Uw vereniging")
    village = add_question(s, "village", "Waar woont u?")
    point = add_question(s, "point", "Waar ontbreekt iets?")
    return {"survey": s, "shop": shop, "why": why, "services": services, "scale": scale, "name": name,
            "village": village, "point": point}


def answers(qs, shop="Ja", why="", services=(), scale="4", name="", village=None, point=None):
    """POST data for `full_survey`."""
    data = {qs["shop"].field_name: [str(qs["shop"].choices.get(text_nl=shop).pk)] if shop else [],
            qs["why"].field_name: [why], qs["scale"].field_name: [scale] if scale else [],
            qs["name"].field_name: [name],
            qs["services"].field_name: [str(qs["services"].choices.get(text_nl=s).pk) for s in services]}
    if village is not None:
        data[qs["village"].field_name] = [str(village.pk)]
    if point is not None:
        data[qs["point"].field_name + "_lon"], data[qs["point"].field_name + "_lat"] = [point[0]], [point[1]]
    return data
