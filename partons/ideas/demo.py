"""Demo ideas (synthetic, flagged as such): what residents of the Westhoek might drop in the idea box, in Dutch and
French, on both sides of the border — some supported, commented and answered by the programme team, one turned
into a project of the 2019 call. Written through the idea box's own services, so counters, history and follows
are what a real idea would have. Idempotent: nothing is added once demo ideas exist."""
from __future__ import annotations

from django.db import transaction

from partons.territory.selectors import village_named

from . import services
from .models import Idea

# village, language, theme, title, description, (status, answer) or None, supported by (indexes of residents),
# comment or None
IDEAS = [
    ("Kemmel", "nl", "services", "Een pakjespunt in het dorp",
     "Sinds het postkantoor dicht is, moeten we voor elk pakje naar Ieper. Kan de bakker of het café een pakjespunt worden?",
     ("under_review", "We bekijken met de gemeente en de postdiensten welke handelaar een punt wil openen."), [0, 1],
     "De bakker zei me dat hij ervoor openstaat."),
    ("Boeschepe", "fr", "meeting_places", "Un café associatif sur la place",
     "Le dernier café a fermé. Un café tenu par des bénévoles, ouvert le week-end, ferait revivre la place.",
     ("project", "Cette idée rejoint le projet de zone naturelle franco-belge de 2019 : le café y a trouvé sa place."),
     [0, 1], "Je veux bien tenir le bar un samedi par mois."),
    ("Loker", "nl", "mobility", "Een belbus naar de markt van Ieper",
     "Wie geen auto heeft, raakt op zaterdag niet naar de markt. Een belbus op vaste uren zou veel ouderen helpen.",
     ("sent_to_municipality", "Doorgegeven aan de gemeente Heuvelland, die het vervoer op maat organiseert."), [0], None),
    ("Steenvoorde", "fr", "food", "Un marché de producteurs le vendredi soir",
     "Les fermes autour du village vendent en direct ; un petit marché hebdomadaire les réunirait au centre.",
     None, [1], "Les producteurs belges de l’autre côté seraient-ils les bienvenus ?"),
    ("Westouter", "nl", "elderly", "Een wekelijkse koffietafel voor ouderen",
     "Veel ouderen zitten alleen thuis. Een vaste koffietafel in de parochiezaal, met vervoer voor wie niet mobiel is.",
     ("realised", "Sinds september elke dinsdag in de parochiezaal, met vrijwilligers die chauffeur zijn."), [0, 1], None),
    ("Godewaersvelde", "fr", "heritage", "Un sentier du patrimoine transfrontalier",
     "Relier le Mont des Cats et le Mont Noir par un sentier balisé qui raconte l’histoire de la frontière.",
     ("under_review", "Nous en parlons avec les offices de tourisme des deux côtés de la frontière."), [0, 1], None),
    ("Dranouter", "nl", "youth", "Een speelplein bij de school",
     "De kinderen spelen op straat. Het grasveld naast de school kan een speelplein worden.", None, [], None),
    ("Bailleul", "fr", "services", "Une permanence de médecin dans les villages",
     "Depuis le départ du médecin, il faut aller en ville. Une permanence une demi-journée par semaine dans les "
     "villages autour aiderait les personnes âgées.", None, [0], None),
    ("Poperinge", "nl", "nature", "Fruitbomen langs de trage wegen",
     "Plant hoogstamfruitbomen langs de wandelwegen: mooi, goed voor de bijen en iedereen mag plukken.",
     ("declined", "Niet mogelijk langs deze wegen (eigendom en onderhoud), maar we zoeken samen met de gemeente "
                  "een andere plaats."), [], None),
    ("Hondschoote", "fr", "mobility", "Des vélos partagés entre Hondschoote et Houtem",
     "Quelques vélos à assistance électrique à partager entre les deux villages pour aller à la gare.", None, [1],
     "Bonne idée, la gare d’Adinkerke est à vingt minutes à vélo."),
]


INTERIM = {"nl": "We bekijken uw idee samen met de gemeente.", "fr": "Nous étudions votre idée avec la commune."}


def load_demo_ideas(*, residents, team, log=print) -> int:
    if Idea.objects.filter(synthetic=True).exists() or not residents:
        return 0
    from partons.calls.models import Application

    from partons.core import mail

    made = 0
    with mail.held(), transaction.atomic():  # held until after the commit, when the notifications go
        for i, (village, language, theme, title, description, answered, supporters, comment) in enumerate(IDEAS):
            v = village_named(village)
            if v is None:
                continue
            author = residents[0] if language == "nl" else residents[-1]
            idea = services.submit_idea(by=author, title=title, description=description, theme=theme,
                                        language=language, village=v)
            Idea.objects.filter(pk=idea.pk).update(synthetic=True)
            for r in supporters:
                if residents[r % len(residents)] != author:
                    services.support(idea=idea, by=residents[r % len(residents)])
            services.support(idea=idea, by=author)
            if comment:
                other = residents[-1] if author == residents[0] else residents[0]
                services.comment(idea=idea, by=other, body=comment)
            if answered:
                status, answer = answered
                path = {"under_review": ["under_review"], "project": ["under_review", "project"],
                        "sent_to_municipality": ["under_review", "sent_to_municipality"],
                        "realised": ["under_review", "project", "realised"], "declined": ["declined"]}[status]
                for step in path:
                    idea.refresh_from_db()
                    services.change_status(idea=idea, by=team, status=step,
                                           answer=answer if step == status else INTERIM[language])
                if status == "project":
                    project = Application.objects.filter(call__slug="maak-werk-van-je-buurt-2019",
                                                         villages=v, status="selected").first()
                    if project is not None:
                        project.ideas.add(idea)
            made += 1
    log(f"  ideas: {made} demo ideas in Dutch and French (synthetic), with supports, comments and answers")
    return made
