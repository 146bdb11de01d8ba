"""Demo calls for projects: the programme's second call (2019), with projects it supported — facts from the source
documents: the call's budget, ceiling, deadline, coaching dates and example project ideas; the applicants and
amounts are made up and flagged synthetic — and an open call. Idempotent."""
from __future__ import annotations

import datetime
import zlib
import zoneinfo

from django.db import transaction
from django.utils import timezone

from partons.territory.models import Municipality
from partons.territory.selectors import village_named

from .models import (Application, AuditEntry, BudgetLine, Call, CoachingSession, CostCategory, Criterion, JuryAssignment,
                     Score)

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
EUR = 100

COSTS = [  # the eligible costs the 2019 call listed
    ("study", "Enquêtes en haalbaarheidsstudies", "Enquêtes et études de faisabilité"),
    ("participation_expert", "Ondersteuning door een participatie-expert", "Accompagnement par un expert en participation"),
    ("designer", "Landschapsarchitect, planner of architect", "Paysagiste, urbaniste ou architecte"),
    ("materials", "Kleine materialen voor het project", "Petit matériel pour le projet"),
    ("communication", "Begeleiding bij communicatie", "Accompagnement en communication"),
    ("residents_meeting", "Moment met inwoners en vrijwilligers", "Rencontre avec les habitants et les bénévoles"),
    ("event", "Evenement in de buurt", "Événement dans le quartier"),
]

CRITERIA = [("Participatie van de bewoners", "Participation des habitants", 3),
            ("Bijdrage aan een leefbaar dorp", "Contribution à un village vivant", 2),
            ("Haalbaarheid en draagvlak", "Faisabilité et soutien local", 2),
            ("Grensoverschrijdende samenwerking", "Coopération transfrontalière", 1)]

# (village name as in the demo region, NL title, FR title): example projects of the programme's calls whose village
# the source names (those it lists without a place are left out rather than placed by us).
PROJECTS_2019 = [
    ("Kemmel", "Nieuwe bestemming voor de kerk van Kemmel", "Nouvelle destination pour l’église de Kemmel"),
    ("Abele", "Een Frans-Vlaamse ontmoetingsplek in het centrum van Abele", "Un lieu de rencontre franco-flamand au centre d’Abele"),
    ("Pervijze", "Een dorpspunt in Pervijze", "Un point village à Pervijze"),
    ("Leke", "Een bar-a-van en een bibliotheek voor ontmoeting in Leke", "Un bar-a-van et une bibliothèque pour se rencontrer à Leke"),
    ("Baincthun", "Ecologisch toerisme in Baincthun", "Tourisme écologique à Baincthun"),
    ("Bergues", "De centrale pleinen van Bergues herinrichten", "Réaménager les places centrales de Bergues"),
    ("Boeschepe", "Een Frans-Belgische natuurzone voor recreatie en ontmoeting in Boeschepe",
     "Une zone naturelle franco-belge de loisirs et de rencontre à Boeschepe"),
    ("Nieppe", "De vijvers van Nieppe als recreatiegebied bij de natuur", "Les étangs de Nieppe, une zone de loisirs proche de la nature"),
]
NOT_SELECTED_2019 = [("Loker", "Een moestuin om samen te tuinieren", "Un potager à cultiver ensemble"),
                     ("Wulvergem", "Straatmeesters in het dorp", "Des référents de rue dans le village")]


SESSIONS_2019 = [(_s, _e) for _s, _e in [
    (datetime.datetime(2019, 9, 26, 10, tzinfo=BRUSSELS), datetime.datetime(2019, 9, 26, 14, tzinfo=BRUSSELS)),
    (datetime.datetime(2019, 11, 7, 10, tzinfo=BRUSSELS), datetime.datetime(2019, 11, 7, 14, tzinfo=BRUSSELS)),
    (datetime.datetime(2019, 11, 28, 18, tzinfo=BRUSSELS), datetime.datetime(2019, 11, 28, 21, tzinfo=BRUSSELS)),
    (datetime.datetime(2019, 12, 19, 10, tzinfo=BRUSSELS), datetime.datetime(2019, 12, 19, 14, tzinfo=BRUSSELS)),
    (datetime.datetime(2020, 1, 30, 18, tzinfo=BRUSSELS), datetime.datetime(2020, 1, 30, 21, tzinfo=BRUSSELS)),
]]


def _place_of(application) -> str:
    village = application.villages.first()
    return f"{village.name_nl} / {village.name_fr}" if village and village.name_nl != village.name_fr else (
        village.name_nl if village else "—")


def _dt(y, m, d, h=0, mi=0):
    return datetime.datetime(y, m, d, h, mi, tzinfo=BRUSSELS)


@transaction.atomic
def load_demo_calls(log=print) -> dict:
    costs = []
    for i, (code, nl, fr) in enumerate(COSTS):
        c, _created = CostCategory.objects.get_or_create(code=code, defaults={"name_nl": nl, "name_fr": fr, "order": i})
        costs.append(c)
    area = list(Municipality.objects.filter(regions__slug="westhoek"))
    out = {"calls": 0, "applications": 0}
    past, created = Call.objects.get_or_create(slug="maak-werk-van-je-buurt-2019", defaults=dict(
        title_nl="Maak werk van je buurt (2019)", title_fr="Faites vivre votre village (2019)",
        text_nl=("Tweede grensoverschrijdende projectenoproep voor leefbare dorpen en buurten in de Westhoek en "
                 "Noord-Frankrijk: steun voor kleinschalige (burger)initiatieven die samen met de bewoners een "
                 "aangename woon- en leefomgeving maken. Wie geselecteerd is, volgt een begeleidingstraject van vijf "
                 "sessies, telkens bij een van de projecten."),
        text_fr=("Deuxième appel à projets transfrontalier pour des villages et quartiers vivants dans le Westhoek et le "
                 "Nord de la France : un soutien à de petites initiatives, citoyennes ou locales, menées avec les "
                 "habitants pour un cadre de vie agréable. Les projets retenus suivent un accompagnement de cinq "
                 "séances, chacune chez l’un des projets."),
        themes_nl="ontmoetingsplekken, buurtdiensten, mobiliteit, lokale voeding, groen en openbare ruimte, erfgoed",
        themes_fr="lieux de rencontre, services de proximité, mobilité, alimentation locale, nature et espace public, patrimoine",
        budget_cents=100_000 * EUR, ceiling_cents=10_000 * EUR, expected_projects=10,
        applicant_types=["residents_platform", "village_council", "association", "community_centre", "local_trader",
                         "municipality", "residents_group"],
        opens_at=_dt(2019, 4, 1), deadline=_dt(2019, 6, 16, 23, 59), published=True,
        results_published_at=_dt(2019, 6, 30, 12)))
    if created:
        out["calls"] += 1
        past.municipalities.set(area)
        past.cost_categories.set(costs)
        for i, (nl, fr, w) in enumerate(CRITERIA):
            Criterion.objects.create(call=past, name_nl=nl, name_fr=fr, weight=w, order=i)
        amounts = [9_500, 8_000, 10_000, 7_500, 9_000, 10_000, 10_000, 9_000, 8_500, 8_500]
        for (village, nl, fr), amount in zip(PROJECTS_2019, amounts):
            v = village_named(village)
            if v is None:
                continue
            _application(past, v, nl, fr, amount, costs, Application.Status.SELECTED)
            out["applications"] += 1
        # The coaching trajectory of the 2019 call: five sessions, each at one of the selected projects.
        hosts = list(past.applications.filter(status="selected").order_by("pk"))
        for i, (start, end) in enumerate(SESSIONS_2019):
            host = hosts[i % len(hosts)] if hosts else None
            CoachingSession.objects.create(call=past, starts_at=start, ends_at=end, host=host,
                                           village=host.villages.first() if host else None,
                                           place=_place_of(host) if host else "—",
                                           agenda_nl="Uitwisseling tussen de projecten en bezoek ter plaatse",
                                           agenda_fr="Échanges entre les projets et visite sur place")
        for village, nl, fr in NOT_SELECTED_2019:
            v = village_named(village)
            if v is not None:
                _application(past, v, nl, fr, 9_000, costs, Application.Status.NOT_SELECTED)
                out["applications"] += 1
    this_year = timezone.localdate().year
    current, created = Call.objects.get_or_create(slug=f"leefbare-dorpen-{this_year}", defaults=dict(
        title_nl=f"Leefbare dorpen {this_year}", title_fr=f"Villages vivants {this_year}",
        text_nl=("Projectenoproep voor initiatieven van bewoners, dorpsraden, verenigingen, lokale handelaars en besturen "
                 "die diensten en ontmoeting in hun dorp terugbrengen, aan beide kanten van de grens."),
        text_fr=("Appel à projets pour les initiatives d’habitants, de conseils de village, d’associations, de commerçants "
                 "et de communes qui ramènent services et rencontres dans leur village, des deux côtés de la frontière."),
        themes_nl="diensten in het dorp, ontmoetingsplekken, mobiliteit", themes_fr="services au village, lieux de rencontre, mobilité",
        budget_cents=100_000 * EUR, ceiling_cents=10_000 * EUR, expected_projects=10,
        applicant_types=["residents_platform", "village_council", "association", "community_centre", "local_trader",
                         "municipality", "residents_group"],
        opens_at=timezone.now() - datetime.timedelta(days=30),
        deadline=(timezone.localtime() + datetime.timedelta(days=60)).replace(hour=17, minute=0, second=0, microsecond=0),
        published=True))
    if created:
        out["calls"] += 1
        current.municipalities.set(area)
        current.cost_categories.set(costs)
        for i, (nl, fr, w) in enumerate(CRITERIA):
            Criterion.objects.create(call=current, name_nl=nl, name_fr=fr, weight=w, order=i)
    log(f"  calls: {out['calls']} created, {out['applications']} demo applications (synthetic applicants and amounts)")
    return out


def _application(call, village, title_nl, title_fr, amount, costs, status):
    # The applicants are made up (flagged synthetic): a village council writing in its own language.
    be = village.municipality.country.code == "BE"
    name, municipality = (village.name_nl, village.municipality.name_nl) if be else (village.name_fr, village.municipality.name_fr)
    words = {
        True: {"organisation": f"Dorpsraad {name}",
               "participants": f"De bewoners van {name}: een open dorpsavond om het plan te kiezen, daarna een werkgroep "
                               "die het samen met de dorpsraad uitvoert.",
               "partners": f"De gemeente {municipality}, de school en de verenigingen van het dorp.",
               "timeline": "Najaar 2019: werkgroep en plan. Voorjaar 2020: uitvoering. Zomer 2020: opening met het dorp.",
               "lines": ("Begeleiding van de dorpsavonden", "Materiaal voor de inrichting")},
        False: {"organisation": f"Conseil de village de {name}",
                "participants": f"Les habitants de {name} : une réunion publique pour choisir le projet, puis un groupe de "
                                "travail qui le réalise avec le conseil de village.",
                "partners": f"La commune de {municipality}, l’école et les associations du village.",
                "timeline": "Automne 2019 : groupe de travail et plan. Printemps 2020 : réalisation. Été 2020 : "
                            "inauguration avec le village.",
                "lines": ("Animation des réunions d’habitants", "Matériel pour l’aménagement")},
    }[be]
    app = Application.objects.create(
        call=call, organisation=words["organisation"], applicant_type="village_council",
        title=title_nl if be else title_fr, language="nl" if be else "fr", idea=f"{title_nl}\n\n{title_fr}", participants=words["participants"],
        partners=words["partners"], timeline=words["timeline"], status=status,
        submitted_at=_dt(2019, 6, 14), synthetic=True, granted_cents=amount * EUR if status == "selected" else None)
    app.villages.set([village])
    BudgetLine.objects.create(application=app, category=costs[1], description=words["lines"][0],
                              amount_cents=amount * EUR // 2)
    BudgetLine.objects.create(application=app, category=costs[3], description=words["lines"][1],
                              amount_cents=amount * EUR - amount * EUR // 2)
    return app


def _audit_at(when, **fields) -> None:
    """An audit entry dated when it happened (the field is set on creation, so it is dated afterwards)."""
    entry = AuditEntry.objects.create(**fields)
    AuditEntry.objects.filter(pk=entry.pk).update(at=when)


def load_demo_jury(*, jurors, coordinator, log=print) -> int:
    """The 2019 call's jury (synthetic): every demo jury member scored every application in June 2019, one of them
    kept out of one application by a declared conflict, so the review page shows a ranking and the optimal proposal.
    The scores are made up so that the selected projects rank first, as they were chosen. Idempotent."""
    call = Call.objects.filter(slug="maak-werk-van-je-buurt-2019").first()
    if call is None or not jurors or JuryAssignment.objects.filter(application__call=call).exists():
        return 0
    criteria = list(call.criteria.all())
    apps = list(call.applications.order_by("pk"))
    with transaction.atomic():
        for i, app in enumerate(apps):
            assigned = _dt(2019, 6, 18, 10)
            _audit_at(assigned, call=call, application=app, action="jurors_assigned", by=coordinator,
                      details={"jurors": [j.pk for j in jurors]})
            base = 7 if app.status == Application.Status.SELECTED else 5
            for j, juror in enumerate(jurors):
                a = JuryAssignment.objects.create(application=app, juror=juror)
                if i == 0 and j == len(jurors) - 1:  # a juror who lives in the village of the first project
                    a.conflict, a.conflict_note = True, "Lid van de dorpsraad die de aanvraag indient (demo)"
                    a.save(update_fields=["conflict", "conflict_note"])
                    _audit_at(assigned + datetime.timedelta(hours=2), call=call, application=app,
                              action="conflict_declared", by=juror, details={"after_scoring": False, "note": a.conflict_note})
                    continue
                given = {}
                for k, c in enumerate(criteria):
                    value = max(0, min(10, base + zlib.crc32(f"{app.title}|{j}|{k}".encode()) % 5 - 2))
                    Score.objects.create(assignment=a, criterion=c, value=value)
                    given[str(c.pk)] = value
                done = _dt(2019, 6, 20 + j, 9 + i % 8)
                JuryAssignment.objects.filter(pk=a.pk).update(completed_at=done)
                _audit_at(done, call=call, application=app, action="scored", by=juror, details={"scores": given})
    log(f"  jury: {len(jurors)} demo jury members scored {len(apps)} applications of the 2019 call (synthetic scores)")
    return len(apps)
