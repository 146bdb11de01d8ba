"""A demo survey, made up and flagged synthetic (its pages say so): "Living in your village", open around today so
that residents can try it, one question of every type and a condition, with a few dozen made-up answers from
villages on both sides of the border (some keyed in from paper) so that the results page has something to show.
Idempotent: nothing is added once the survey exists."""
from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from partons.territory.models import Village
from partons.territory.selectors import village_named

from .models import Answer, Choice, Question, Response, Survey

SLUG = "demo-leven-in-uw-dorp"
VILLAGES = ["Kemmel", "Loker", "Westouter", "Poperinge", "Boeschepe", "Godewaersvelde", "Steenvoorde", "Bailleul"]
ANSWERS = 36
TEXTS = [("Er is geen bakker meer sinds vorig jaar.", "nl"), ("Le bus ne passe plus le samedi.", "fr"),
         ("Een ontmoetingsplaats voor jong en oud.", "nl"), ("Il faudrait un distributeur de billets.", "fr"),
         ("De huisarts is met pensioen.", "nl")]


@transaction.atomic
def load_demo_surveys(log=print) -> dict:
    out = {"surveys": 0, "responses": 0}
    if Survey.objects.filter(slug=SLUG).exists():
        return out
    places = [v for v in (village_named(name) for name in VILLAGES) if v is not None]
    if not places:
        places = list(Village.objects.filter(merged_into=None).order_by("pk")[:8])
    if not places:
        log("  surveys: no village loaded, demo survey skipped")
        return out
    now = timezone.now()
    survey = Survey.objects.create(
        slug=SLUG, title_nl="Leven in uw dorp (demo)", title_fr="Vivre dans votre village (démo)",
        intro_nl="Een voorbeeld van een bevraging, met verzonnen antwoorden: probeer het gerust.",
        intro_fr="Un exemple d'enquête, avec des réponses inventées : essayez-la sans crainte.",
        village=places[0], opens_at=now - datetime.timedelta(days=7), closes_at=now + datetime.timedelta(days=90),
        access=Survey.Access.ANONYMOUS, published=True, results_public=True, synthetic=True)

    def question(kind, nl, fr, required=False, choices=(), **kw):
        q = Question.objects.create(survey=survey, order=survey.questions.count() + 1, kind=kind, text_nl=nl, text_fr=fr,
                                    required=required, **kw)
        Choice.objects.bulk_create([Choice(question=q, order=i, text_nl=c_nl, text_fr=c_fr)
                                    for i, (c_nl, c_fr) in enumerate(choices)])
        return q

    where = question("village", "In welk dorp woont u?", "Dans quel village habitez-vous ?", required=True)
    shop = question("single", "Kunt u te voet een bakker bereiken?", "Pouvez-vous rejoindre une boulangerie à pied ?",
                    required=True, choices=[("Ja", "Oui"), ("Nee", "Non")])
    no = shop.choices.get(text_nl="Nee")
    how = question("single", "Hoe gaat u dan naar de bakker?", "Comment allez-vous alors à la boulangerie ?",
                   choices=[("Met de auto", "En voiture"), ("Met de fiets", "À vélo"), ("Met de bus", "En bus"),
                            ("Iemand brengt het mee", "Quelqu'un me l'apporte")],
                   show_if_question=shop, show_if_choice=no)
    missing = question("multiple", "Wat mist u het meest in uw dorp?", "Que vous manque-t-il le plus au village ?",
                       choices=[("Bakker", "Boulangerie"), ("Huisarts", "Médecin généraliste"), ("Bus", "Bus"),
                                ("Café", "Café"), ("Geldautomaat", "Distributeur de billets")])
    happy = question("scale", "Hoe tevreden bent u over het leven in uw dorp?",
                     "Êtes-vous satisfait·e de la vie dans votre village ?", required=True, scale_min=1, scale_max=5,
                     help_nl="1 = helemaal niet, 5 = heel tevreden", help_fr="1 = pas du tout, 5 = très satisfait·e")
    idea = question("long_text", "Wat zou u graag zien veranderen?", "Que voudriez-vous voir changer ?")
    spot = question("point", "Waar zou een ontmoetingsplaats moeten komen?", "Où faudrait-il un lieu de rencontre ?")
    question("short_text", "Bent u lid van een vereniging? Welke?", "Êtes-vous membre d'une association ? Laquelle ?")

    rng = random.Random(2026)
    shop_choices, how_choices = list(shop.choices.all()), list(how.choices.all())
    missing_choices = list(missing.choices.all())
    for i in range(ANSWERS):
        village = rng.choice(places)
        paper = i % 6 == 5
        side_language = "fr" if village.municipality.country_code == "FR" else "nl"  # made up: the side's language
        language = TEXTS[i][1] if i < len(TEXTS) else "" if paper else side_language
        r = Response.objects.create(survey=survey, village=village, language=language,
                                    source=Response.Source.PAPER if paper else Response.Source.ONLINE)
        rows = [Answer(response=r, question=where, village=village)]
        got = rng.choice(shop_choices)
        rows.append(Answer(response=r, question=shop, choice=got))
        if got.pk == no.pk:
            rows.append(Answer(response=r, question=how, choice=rng.choice(how_choices)))
        rows += [Answer(response=r, question=missing, choice=c) for c in rng.sample(missing_choices, rng.randint(0, 3))]
        rows.append(Answer(response=r, question=happy, number=rng.choice([2, 3, 3, 4, 4, 4, 5])))
        if i < len(TEXTS):
            rows.append(Answer(response=r, question=idea, text=TEXTS[i][0]))
        if i % 4 == 0:
            rows.append(Answer(response=r, question=spot, lon=round(village.lon + rng.uniform(-0.004, 0.004), 5),
                               lat=round(village.lat + rng.uniform(-0.003, 0.003), 5)))
        Answer.objects.bulk_create(rows)
    out["surveys"], out["responses"] = 1, ANSWERS
    log(f"  surveys: 1 synthetic demo survey with {ANSWERS} made-up answers")
    return out
