"""Demo cooperation: the partner organisations of the Interreg V programme "Partons 2.0" (2016–2021), standing groups
they meet in, and its action plan — four pillars of three actions — with the dates and figures the source documents
give (launch and closing events, the 2019 call's deadline and coaching dates, the six pilot villages, the numbers of
calls, selected project ideas, partners, steering groups, project groups and executive boards). Idempotent.

What is not in the sources is marked as such: the sources name no lead organisation per action (the programme's
project lead is assumed, `lead_is_assumption`), and the standing groups and their composition are examples
(`synthetic`). No person is created: organisations only, no names, e-mail addresses or phone numbers, so the
groups have no members in the demo."""
from __future__ import annotations

import datetime

from django.db import transaction

from partons.territory.models import Country

from .models import (Action, ActionStatus, Group, GroupKind, Indicator, Milestone, Organisation, OrganisationKind,
                     Pillar, ProgrammeRole)

LEAD = "Provincie West-Vlaanderen"
CLOSING = datetime.date(2021, 9, 28)

# (name, name in the other language, acronym, country code or None for a cross-border body, kind, role, website,
# contact role)
ORGANISATIONS = [
    (LEAD, "Province de Flandre-Occidentale", "", "BE", OrganisationKind.PROVINCE, ProgrammeRole.LEAD,
     "https://www.west-vlaanderen.be", "projectcoördinator / coordinateur de projet"),
    ("Regionaal Landschap Westhoek vzw", "", "RLW", "BE", OrganisationKind.NATURAL_PARK, ProgrammeRole.PARTNER, "", ""),
    ("Erfgoedcel C07", "", "C07", "BE", OrganisationKind.HERITAGE_CELL, ProgrammeRole.PARTNER, "", ""),
    ("EGTS West-Vlaanderen/Flandre-Dunkerque-Côte d'Opale", "GECT West-Vlaanderen/Flandre-Dunkerque-Côte d'Opale", "",
     None, OrganisationKind.EGTC, ProgrammeRole.PARTNER, "", ""),
    ("AGUR Dunkerque", "", "AGUR", "FR", OrganisationKind.PLANNING_AGENCY, ProgrammeRole.PARTNER, "", ""),
    ("Conseil d'Architecture, d'Urbanisme et de l'Environnement du Nord", "", "CAUE", "FR", OrganisationKind.ASSOCIATION,
     ProgrammeRole.PARTNER, "", ""),
    ("Conseil Départemental du Nord", "", "CD59", "FR", OrganisationKind.DEPARTMENT, ProgrammeRole.PARTNER, "", ""),
    ("Espaces naturels régionaux", "", "ENRx", "FR", OrganisationKind.NATURAL_PARK, ProgrammeRole.PARTNER, "", ""),
    ("Parc naturel régional des Caps et Marais d'Opale", "", "PNRCMO", "FR", OrganisationKind.NATURAL_PARK,
     ProgrammeRole.PARTNER, "", ""),
    ("Communauté de Communes de Flandre Intérieure", "", "CCFI", "FR", OrganisationKind.INTERMUNICIPAL,
     ProgrammeRole.PARTNER, "", ""),
    ("Communauté de Communes des Hauts de Flandre", "", "CCHF", "FR", OrganisationKind.INTERMUNICIPAL,
     ProgrammeRole.PARTNER, "", ""),
    ("Westhoekoverleg", "", "WHO", "BE", OrganisationKind.INTERMUNICIPAL, ProgrammeRole.ASSOCIATED, "", ""),
    ("Syndicat Mixte Pays Cœur de Flandre", "", "SMPCF", "FR", OrganisationKind.INTERMUNICIPAL, ProgrammeRole.ASSOCIATED,
     "", ""),
    ("Halle aux sucres", "", "", "FR", OrganisationKind.OTHER, ProgrammeRole.ASSOCIATED, "", ""),
]

COUNTRIES = {"BE": ("België", "Belgique", "Belgium", "NIS"), "FR": ("Frankrijk", "France", "France", "INSEE")}

# slug, kind, NL, FR, description NL, FR, organisations (acronyms or names; "*partners" = the lead and the partners,
# "*all" = with the associated partners too)
GROUPS = [
    ("stuurgroep", GroupKind.STEERING, "Stuurgroep Partons", "Comité de pilotage Partons",
     "Politici en ambtenaren van alle partners bepalen de koers en volgen het actieplan op.",
     "Élus et techniciens de tous les partenaires fixent le cap et suivent le plan d'action.", ["*all"]),
    ("projectgroep", GroupKind.PROJECT, "Projectgroep Partons", "Groupe projet Partons",
     "De ambtenaren van de partners bereiden de acties voor en stemmen ze over de grens af.",
     "Les techniciens des partenaires préparent les actions et les coordonnent de part et d'autre de la frontière.",
     ["*partners"]),
    ("dagelijks-bestuur", GroupKind.EXECUTIVE, "Dagelijks bestuur Partons", "Bureau exécutif Partons",
     "Volgt het programma van dag tot dag op tussen twee stuurgroepen.",
     "Suit le programme au quotidien entre deux comités de pilotage.", ["*partners"]),
    ("werkgroep-observatorium", GroupKind.WORKING, "Werkgroep observatorium", "Groupe de travail observatoire",
     "Werkt de grensoverschrijdende analyse en het gebiedsobservatorium uit.",
     "Prépare l'analyse transfrontalière et l'observatoire du territoire.",
     [LEAD, "AGUR", "EGTS West-Vlaanderen/Flandre-Dunkerque-Côte d'Opale", "CAUE"]),
    ("werkgroep-projectenoproepen", GroupKind.WORKING, "Werkgroep projectenoproepen", "Groupe de travail appels à projets",
     "Bereidt de projectenoproepen en het begeleidingstraject van de geselecteerde projecten voor.",
     "Prépare les appels à projets et l'accompagnement des projets retenus.", [LEAD, "CCFI", "CCHF", "PNRCMO"]),
]

PILLARS = [
    (1, "Grensoverschrijdend samenwerken", "Dépasser les frontières",
     "Partners uit België en Frankrijk sturen het programma samen aan, van politieke stuurgroepen tot kleine werkgroepen.",
     "Les partenaires belges et français pilotent ensemble le programme, des comités de pilotage aux petits groupes de "
     "travail."),
    (2, "Communicatieacties", "Actions de communication",
     "Gedeelde hulpmiddelen, publicaties en kaarten, communicatie naar het brede publiek, een start- en een slotmoment.",
     "Des outils, publications et cartes partagés, une communication vers le grand public, un lancement et une clôture."),
    (3, "Participatieve ontwikkeling", "Développement participatif",
     "Bewoners leren hun streek over de grens kennen, volgen haar evolutie in een gebiedsobservatorium en brengen hun "
     "ideeën aan.",
     "Les habitants découvrent leur territoire de part et d'autre de la frontière, suivent son évolution dans un "
     "observatoire et proposent leurs idées."),
    (4, "Innovatie in dienstverlening", "Réinventer les services",
     "Een analyse van de dienstverlening, pilootprojecten om participatieve methoden te testen en projectenoproepen voor "
     "initiatieven uit de dorpen.",
     "Une analyse des services, des projets pilotes pour tester des méthodes participatives et des appels à projets pour "
     "les initiatives des villages."),
]

# pillar, number, slug, NL, FR, description NL, FR, group slug, (starts_on, ends_on)
ACTIONS = [
    (1, 1, "steering-groups", "Stuurgroepen met politici en ambtenaren", "Pilotage politique et technique",
     "Politici en ambtenaren van de partners bepalen samen de koers van het programma en volgen de acties op.",
     "Élus et techniciens des partenaires fixent ensemble le cap du programme et suivent les actions.",
     "stuurgroep", None),
    (1, 2, "project-groups", "Projectgroepen met ambtenaren", "Groupes de projet avec techniciens",
     "Ambtenaren van de partners bereiden de acties voor en stemmen het werk over de grens af.",
     "Les techniciens des partenaires préparent les actions et coordonnent le travail de part et d'autre de la frontière.",
     "projectgroep", None),
    (1, 3, "working-groups", "Kleine werkgroepen", "Réunions en petits groupes de travail",
     "Kleine groepen werken een thema of een actie concreet uit.",
     "De petits groupes approfondissent un thème ou une action.", None, None),
    (2, 1, "cross-border-resource", "Hulpmiddelen en instrumenten", "Ressource transfrontalière",
     "Gedeelde hulpmiddelen: grensoverschrijdende kaarten en publicaties over de dienstverlening in de streek.",
     "Des outils communs : cartes transfrontalières et publications sur les services du territoire.", None, None),
    (2, 2, "external-communication", "Externe communicatie", "Communication externe",
     "Een tweetalige website, drukwerk, video's en contacten met de pers.",
     "Un site bilingue, des imprimés, des vidéos et des relations avec la presse.", None, None),
    (2, 3, "launch-and-closing", "Start- en slotmoment", "Lancement et clôture du projet",
     "Het programma ging van start in Méteren en werd afgesloten in Diksmuide.",
     "Le programme a été lancé à Méteren et clôturé à Dixmude.", None,
     (datetime.date(2016, 11, 25), CLOSING)),
    (3, 1, "discovery-days", "Ontdekkingsdagen", "Journées de découverte",
     "Bewoners bezoeken samen diensten en plekken aan de andere kant van de grens.",
     "Les habitants visitent ensemble des services et des lieux de l'autre côté de la frontière.", None, None),
    (3, 2, "observatory", "Gebiedsobservatorium", "Observatoire du territoire",
     "Een participatief gebiedsobservatorium brengt de dienstverlening in kaart, met de hulp van de bewoners.",
     "Un observatoire participatif du territoire cartographie les services, avec l'aide des habitants.",
     "werkgroep-observatorium", None),
    (3, 3, "idea-box", "Ideeënbus", "Boîte à idées",
     "Bewoners brengen hun ideeën voor hun dorp aan, in een ideeënbus of online.",
     "Les habitants déposent leurs idées pour leur village, dans une boîte à idées ou en ligne.", None, None),
    (4, 1, "cross-border-analysis", "Grensoverschrijdende analyse", "Analyse transfrontalière",
     "Een analyse van de bestaande dienstverlening aan beide kanten van de grens, als basis voor de volgende stappen.",
     "Une analyse des services existants des deux côtés de la frontière, base des étapes suivantes.",
     "werkgroep-observatorium", None),
    (4, 2, "pilot-projects", "Pilootprojecten", "Projets pilotes",
     "In zes dorpen werden participatieve methoden uitgetest, op basis van de analyse.",
     "Des méthodes participatives ont été testées dans six villages, à partir de l'analyse.", "projectgroep", None),
    (4, 3, "calls-for-projects", "Projectenoproepen", "Appels à projets",
     "Drie projectenoproepen steunden initiatieven van bewoners, verenigingen en besturen, met een begeleidingstraject.",
     "Trois appels à projets ont soutenu des initiatives d'habitants, d'associations et de collectivités, avec un "
     "accompagnement.", "werkgroep-projectenoproepen", None),
]

# slug: [(NL, FR, due_on, done_on)] — every milestone is done (the programme ended in 2021); done_on where known.
MILESTONES = {
    "launch-and-closing": [
        ("Startevenement in Méteren", "Lancement à Méteren", datetime.date(2016, 11, 25), datetime.date(2016, 11, 25)),
        ("Slotmoment in Diksmuide", "Moment de clôture à Dixmude", CLOSING, CLOSING),
    ],
    "pilot-projects": [(f"Pilootproject {v}", f"Projet pilote {v}", None, None)
                       for v in ("Bainghen", "Esquelbecq", "Callicanes", "Winnezeele", "Sint-Juliaan", "Wylder")],
    "calls-for-projects": [
        ("Deadline van de projectenoproep 2019", "Date limite de l'appel à projets 2019", datetime.date(2019, 6, 16),
         datetime.date(2019, 6, 16)),
        ("Selectie van de projecten 2019", "Sélection des projets 2019", datetime.date(2019, 6, 30), None),
        ("Eerste sessie van het begeleidingstraject", "Première séance d'accompagnement", datetime.date(2019, 9, 26), None),
        ("Laatste sessie van het begeleidingstraject", "Dernière séance d'accompagnement", datetime.date(2020, 1, 30), None),
    ],
}

# slug: [(NL, FR, target or None, value)] — figures as the sources give them at the closing (28/09/2021).
INDICATORS = {
    "steering-groups": [
        ("Acties van het actieplan", "Actions du plan d'action", 12, 12),
        ("Projectpartners", "Partenaires du projet", None, 10),
        ("Geassocieerde partners", "Partenaires associés", None, 3),
        ("Stuurgroepen", "Comités de pilotage", None, 5),
        ("Dagelijks besturen", "Bureaux exécutifs", None, 17),
    ],
    "project-groups": [("Projectgroepen", "Groupes projet", None, 13)],
    "pilot-projects": [("Pilootprojecten", "Projets pilotes", 6, 6)],
    "calls-for-projects": [
        ("Projectenoproepen", "Appels à projets", 3, 3),
        ("Geselecteerde projectideeën", "Idées de projets sélectionnées", None, 32),
    ],
}

DEMO_CALL = "maak-werk-van-je-buurt-2019"  # partons.calls.demo
# The events demo's: the launch and closing events, and its discovery days and brainstorm (flagged synthetic there).
EVENTS = {"launch-and-closing": ("launch-2016", "closing-2021"),
          "discovery-days": ("ontdekkingsdag-westhoek-2018", "ontdekkingsdag-heuvelland-boeschepe",
                             "ontdekkingsdag-abele-steenvoorde"),
          "calls-for-projects": ("brainstorm-loker",)}


def _country(code):
    if code is None:
        return None
    nl, fr, en, system = COUNTRIES[code]
    country, _created = Country.objects.get_or_create(code=code, defaults={"name_nl": nl, "name_fr": fr, "name_en": en,
                                                                           "code_system": system})
    return country


@transaction.atomic
def load_demo_cooperation(log=print) -> dict:
    out = {"organisations": 0, "groups": 0, "pillars": 0, "actions": 0, "milestones": 0, "indicators": 0, "links": 0}
    orgs: dict[str, Organisation] = {}
    for name, other, acronym, country, kind, role, website, contact in ORGANISATIONS:
        o, created = Organisation.objects.get_or_create(name=name, defaults=dict(
            name_other=other, acronym=acronym, country=_country(country), kind=kind, programme_role=role, website=website,
            contact_role=contact))
        out["organisations"] += created
        orgs[name] = o
        if acronym:
            orgs[acronym] = o
    partners = [o for o in orgs.values() if o.programme_role in (ProgrammeRole.LEAD, ProgrammeRole.PARTNER)]
    everyone = [o for o in orgs.values() if o.programme_role != ProgrammeRole.OTHER]
    groups: dict[str, Group] = {}
    for slug, kind, nl, fr, dnl, dfr, members in GROUPS:
        g, created = Group.objects.get_or_create(slug=slug, defaults=dict(
            kind=kind, name_nl=nl, name_fr=fr, description_nl=dnl, description_fr=dfr, synthetic=True))
        if created:
            out["groups"] += 1
            chosen = everyone if members == ["*all"] else partners if members == ["*partners"] else [orgs[m] for m in members]
            g.organisations.set(set(chosen))
        groups[slug] = g
    pillars = {}
    for order, nl, fr, dnl, dfr in PILLARS:
        p, created = Pillar.objects.get_or_create(order=order, defaults=dict(name_nl=nl, name_fr=fr, description_nl=dnl,
                                                                             description_fr=dfr))
        out["pillars"] += created
        pillars[order] = p
    lead = orgs[LEAD]
    for pillar, number, slug, nl, fr, dnl, dfr, group, period in ACTIONS:
        a, created = Action.objects.get_or_create(slug=slug, defaults=dict(
            pillar=pillars[pillar], number=number, title_nl=nl, title_fr=fr, description_nl=dnl, description_fr=dfr,
            lead=lead, lead_is_assumption=True, working_group=groups.get(group), status=ActionStatus.DONE,
            starts_on=period[0] if period else None, ends_on=period[1] if period else None, public=True))
        if not created:
            continue
        out["actions"] += 1
        for i, (mnl, mfr, due, done_on) in enumerate(MILESTONES.get(slug, [])):
            Milestone.objects.create(action=a, title_nl=mnl, title_fr=mfr, due_on=due, done=True, done_on=done_on, order=i)
            out["milestones"] += 1
        for i, (inl, ifr, target, value) in enumerate(INDICATORS.get(slug, [])):
            Indicator.objects.create(action=a, name_nl=inl, name_fr=ifr, target_value=target, current_value=value,
                                     updated_on=CLOSING, order=i)
            out["indicators"] += 1
    out["links"] = _link(log)
    log(f"  cooperation: {out['organisations']} organisations, {out['groups']} groups (examples), {out['actions']} "
        f"actions in {out['pillars']} pillars, {out['links']} links to calls, projects and events; no members "
        "(the demo has no people)")
    return out


def _link(log) -> int:
    """Links to the demo call and its selected projects, and to the launch and closing events, where they exist
    (counted when new, so a second run adds nothing)."""
    from partons.calls.models import Application, Call
    from partons.events.models import Event

    added = 0
    calls_action = Action.objects.filter(slug="calls-for-projects").first()
    call = Call.objects.filter(slug=DEMO_CALL).first()
    if calls_action and call:
        if not calls_action.calls.filter(pk=call.pk).exists():
            calls_action.calls.add(call)
            added += 1
        have = set(calls_action.projects.values_list("pk", flat=True))
        new = [a for a in call.applications.filter(status=Application.Status.SELECTED) if a.pk not in have]
        calls_action.projects.add(*new)
        added += len(new)
    elif calls_action:
        log(f"  cooperation: no call {DEMO_CALL!r} to link (load the demo calls first)")
    for slug, event_slugs in EVENTS.items():
        action = Action.objects.filter(slug=slug).first()
        if action is None:
            continue
        for event in Event.objects.filter(slug__in=event_slugs):
            if not action.events.filter(pk=event.pk).exists():
                action.events.add(event)
                added += 1
    return added
