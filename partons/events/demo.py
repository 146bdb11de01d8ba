"""Demo events. Real: the programme's launch (25 November 2016, Méteren) and closing event (28 September 2021, in
't Land van Vlierbos, Diksmuide, with the order of its programme) — facts from the source documents, the wording
ours, no names of speakers. The discovery days took place, but the sources give neither their dates nor their
villages: the ones here are placed in real border villages on dates of our choosing, some still to come so that
residents can try the registration, and all flagged synthetic (the pages say so). Idempotent."""
from __future__ import annotations

import datetime
import zoneinfo

from django.db import transaction
from django.utils import timezone

from partons.territory.selectors import village_named

from .models import Event, EventType, PickupPoint, ProgrammeItem

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
ORGANISER = "Partons 2.0 (Interreg V France-Wallonie-Vlaanderen)"

CLOSING_PROGRAMME = [  # the closing event's programme, in the sources' order and times (speakers left out)
    ("09:30", "Ontvangst", "Accueil"),
    ("10:00", "Ervaring en visie: het platteland over twintig jaar", "Expérience et vision : le monde rural dans vingt ans"),
    ("10:20", "Vragen uit de zaal", "Questions de la salle"),
    ("10:30", "Video: de pastorietuin van Kortemark", "Vidéo : le jardin du presbytère de Kortemark"),
    ("10:35", "Wat Partons 2.0 heeft gerealiseerd", "Les réalisations de Partons 2.0"),
    ("10:55", "Video: de kiosk van Poix-du-Nord", "Vidéo : le kiosque de Poix-du-Nord"),
    ("11:00", "Conclusie door de provincie West-Vlaanderen", "Conclusion par la province de Flandre-Occidentale"),
    ("11:15", "Rondleiding in 't Land van Vlierbos", "Visite guidée de 't Land van Vlierbos"),
    ("12:00", "Lunch", "Déjeuner"),
]

ACCESSIBILITY_NL = "Toegankelijk met een rolstoel; vraag ons gerust naar vervoer als u minder mobiel bent."
ACCESSIBILITY_FR = "Accessible en fauteuil roulant ; demandez-nous un transport si vous êtes moins mobile."


def _t(s):
    h, m = s.split(":")
    return datetime.time(int(h), int(m))


def _saturday_after(days: int) -> datetime.date:
    d = timezone.localdate() + datetime.timedelta(days=days)
    return d + datetime.timedelta(days=(5 - d.weekday()) % 7)


def _at(day: datetime.date, hh: int, mm: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hh, mm, tzinfo=BRUSSELS)


def _discovery_days():
    """(slug, village, NL title, FR title, NL text, FR text, day, capacity, pick-ups [(village, stop, time)])."""
    first, second = _saturday_after(38), _saturday_after(66)
    return [
        ("ontdekkingsdag-heuvelland-boeschepe", "Boeschepe",
         "Ontdekkingsdag: diensten over de grens tussen Heuvelland en Boeschepe",
         "Journée de découverte : les services de part et d'autre de la frontière, de Heuvelland à Boeschepe",
         "Een dag met de bus langs winkels, een dokterspraktijk, een school en ontmoetingsplekken aan beide kanten van "
         "de grens, met bewoners die vertellen hoe zij ze gebruiken.",
         "Une journée en bus à la rencontre des commerces, d'un cabinet médical, d'une école et de lieux de rencontre "
         "des deux côtés de la frontière, racontés par les habitants qui les fréquentent.",
         first, 30, [("Kemmel", "Kerkplein", "08:45"), ("Loker", "Dorpsplein", "09:00")]),
        ("ontdekkingsdag-abele-steenvoorde", "Abele",
         "Ontdekkingsdag: Abele en Steenvoorde, één dorp met een grens erdoor",
         "Journée de découverte : Abele et Steenvoorde, un village traversé par la frontière",
         "Wandeling en gesprekken over de diensten die de twee kanten van de grens delen.",
         "Promenade et échanges sur les services que partagent les deux côtés de la frontière.",
         second, 12, [("Poperinge", "Station", "09:15")]),
        ("brainstorm-loker", "Loker",
         "Brainstorm: wat heeft ons dorp nodig?", "Remue-méninges : de quoi notre village a-t-il besoin ?",
         "Een avond met een begeleider om samen ideeën voor het dorp te verzamelen, voor de projectenoproep.",
         "Une soirée avec un animateur pour réunir ensemble des idées pour le village, en vue de l'appel à projets.",
         _saturday_after(10) - datetime.timedelta(days=2), 25, []),
        ("ontdekkingsdag-westhoek-2018", "Hondschoote",
         "Ontdekkingsdag: dorpswinkels in de grensstreek", "Journée de découverte : les commerces de village du territoire",
         "Bezoek aan dorpswinkels en een boerenmarkt aan beide kanten van de grens.",
         "Visite de commerces de village et d'un marché de producteurs des deux côtés de la frontière.",
         datetime.date(2018, 5, 26), 40, [("Alveringem", "Kerk", "09:00")]),
    ]


@transaction.atomic
def load_demo_events(log=print) -> dict:
    out = {"events": 0}
    meteren, diksmuide = village_named("Méteren") or village_named("Meteren"), village_named("Diksmuide")
    if meteren is not None:
        _, created = Event.objects.get_or_create(slug="launch-2016", defaults=dict(
            type=EventType.LAUNCH, title_nl="Startevenement Partons 2.0", title_fr="Lancement de Partons 2.0",
            description_nl=("De start van het vijfjarige grensoverschrijdende project voor de participatieve ontwikkeling "
                            "van de Westhoek. Het uur staat niet in onze bronnen: enkel de datum en de plaats."),
            description_fr=("Le lancement du projet transfrontalier de cinq ans pour le développement participatif du "
                            "Westhoek. L'heure ne figure pas dans nos sources : seulement la date et le lieu."),
            starts_at=datetime.datetime(2016, 11, 25, 10, tzinfo=BRUSSELS), ends_at=datetime.datetime(2016, 11, 25, 16, tzinfo=BRUSSELS),
            village=meteren, languages=["nl", "fr"], organiser=ORGANISER, registration=False, published=True))
        out["events"] += created
    if diksmuide is not None:
        closing, created = Event.objects.get_or_create(slug="closing-2021", defaults=dict(
            type=EventType.CLOSING, title_nl="Slotmoment Partons 2.0", title_fr="Moment de clôture de Partons 2.0",
            description_nl=("Vijf jaar Partons 2.0 afgesloten: wat tien partners in twaalf acties met de bewoners van de "
                            "grensoverschrijdende Westhoek hebben gedaan, met twee van de projecten in beeld."),
            description_fr=("Cinq ans de Partons 2.0 : ce que dix partenaires ont réalisé en douze actions avec les "
                            "habitants du Westhoek transfrontalier, avec deux des projets en images."),
            starts_at=datetime.datetime(2021, 9, 28, 9, 30, tzinfo=BRUSSELS),
            ends_at=datetime.datetime(2021, 9, 28, 13, 0, tzinfo=BRUSSELS),
            village=diksmuide, venue="'t Land van Vlierbos", languages=["nl", "fr"], organiser=ORGANISER,
            registration=True, capacity=120, published=True,
            registration_closes_at=datetime.datetime(2021, 9, 24, 12, tzinfo=BRUSSELS)))
        if created:
            out["events"] += 1
            ProgrammeItem.objects.bulk_create([ProgrammeItem(event=closing, time=_t(t), title_nl=nl, title_fr=fr)
                                               for t, nl, fr in CLOSING_PROGRAMME])
    for slug, village, tnl, tfr, dnl, dfr, day, capacity, pickups in _discovery_days():
        v = village_named(village)
        if v is None or Event.objects.filter(slug=slug).exists():
            continue
        is_brainstorm = slug.startswith("brainstorm")
        start = _at(day, 19, 30) if is_brainstorm else _at(day, 9, 30)
        end = _at(day, 22) if is_brainstorm else _at(day, 17)
        event = Event.objects.create(
            slug=slug, type=EventType.BRAINSTORM if is_brainstorm else EventType.DISCOVERY_DAY, title_nl=tnl, title_fr=tfr,
            description_nl=dnl, description_fr=dfr, starts_at=start, ends_at=end, village=v,
            languages=["nl", "fr"], organiser=ORGANISER, accessibility_nl=ACCESSIBILITY_NL, accessibility_fr=ACCESSIBILITY_FR,
            registration=True, capacity=capacity, max_companions=3, published=True, synthetic=True,
            registration_opens_at=start - datetime.timedelta(days=60))
        out["events"] += 1
        for pv, stop, time in pickups:
            pvillage = village_named(pv)
            if pvillage is not None:
                PickupPoint.objects.create(event=event, name=stop, village=pvillage, time=_t(time))
        if not is_brainstorm:
            ProgrammeItem.objects.bulk_create([
                ProgrammeItem(event=event, time=datetime.time(9, 30), title_nl="Ontvangst met koffie", title_fr="Accueil café"),
                ProgrammeItem(event=event, time=datetime.time(10, 0), title_nl="Bezoeken met de bus", title_fr="Visites en bus"),
                ProgrammeItem(event=event, time=datetime.time(12, 30), title_nl="Lunch bij een lokale handelaar",
                              title_fr="Déjeuner chez un commerçant local"),
                ProgrammeItem(event=event, time=datetime.time(14, 0), title_nl="Gesprek met bewoners", title_fr="Échange avec les habitants"),
                ProgrammeItem(event=event, time=datetime.time(16, 30), title_nl="Terug naar de opstapplaatsen",
                              title_fr="Retour aux points de départ"),
            ])
    log(f"  events: {out['events']} created (launch and closing events real; discovery days and the brainstorm synthetic)")
    return out
