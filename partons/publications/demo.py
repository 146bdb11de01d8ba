"""Demo media library, from what the programme's source documents (``shared/seeds``) say about its publications.
Idempotent: a publication whose address exists is left alone.

What is real and what is not:

- ``synthetic=False`` — the publication itself, its title, its maker (an organisation, never a person), its kind and
  its date are in the sources: the final report of the Callicanes masterplan (2018, by Maat-ontwerpers; the sources
  give its page on the programme website, used as the link, and a bilingual title, hence "Dutch and French"), the
  two videos shown at the closing event in Diksmuide on 28 September 2021 ("De Pastorietuin van Kortemark" by the
  Province of West Flanders, "Le Kiosque de Poix-du-Nord" by ENRx; dated by that showing, their language read from
  their titles) and the presentations of that closing event (bilingual slides). The sources give no address for the
  videos or the slides: their link is the programme website, where the sources say the publications can be consulted,
  and the page says which site the link leads to.
- ``synthetic=True`` — records the sources only hint at (the "cross-border maps" they list among the programme's
  tools, with no date) or that we made up around real facts (a brochure on the six real pilot projects, the analysis
  report that the sources say preceded them, a discovery-days brochure, an idea-box flyer): their date, language
  and existence as a document are ours. They have no link and no file, and the pages say they are synthetic.
- Every summary is written by us, in our own words, in Dutch and French (``summary_by_platform=True``: the page says
  so). No sentence is copied from the sources. No licence is known: the default, "All rights reserved", applies.
- No file: the demo ships no documents.
"""
from __future__ import annotations

import datetime

from django.db import transaction

from . import services
from .models import DatePrecision, Kind, Language, Publication, Theme

SITE = "https://www.partons2-0.eu/"
CALLICANES_PAGE = ("https://www.partons2-0.eu/fr/portail/108/mediatheque/38993/"
                   "masterplan-callicanes-2018-rapport-final-rapport-finaal-partons-2-0-maat-ontwerpers.html")
CLOSING_DAY = datetime.date(2021, 9, 28)

PUBLICATIONS = [
    dict(
        slug="masterplan-callicanes-2018", kind=Kind.REPORT, theme=Theme.VILLAGE_CENTRES,
        title_nl="Masterplan Callicanes 2018 – eindrapport", title_fr="Masterplan Callicanes 2018 – rapport final",
        summary_nl=("Het eindrapport van het pilootproject in Callicanes, het gehucht op de grens. Het plan geeft de "
                    "leegstaande douanepost een nieuwe rol en kwam tot stand met overheden en bewoners van beide "
                    "landen."),
        summary_fr=("Le rapport final du projet pilote de Callicanes, hameau à cheval sur la frontière. Le plan donne "
                    "un nouveau rôle à l’ancien poste de douane inoccupé ; il a été construit avec des institutions et "
                    "des habitants des deux pays."),
        published_on=datetime.date(2018, 1, 1), date_precision=DatePrecision.YEAR, language=Language.BILINGUAL,
        author_organisation="Maat-ontwerpers; Partons 2.0", url=CALLICANES_PAGE, synthetic=False,
    ),
    dict(
        slug="de-pastorietuin-van-kortemark", kind=Kind.VIDEO, theme=Theme.EVERYDAY_SERVICES,
        title_nl="De Pastorietuin van Kortemark", title_fr="De Pastorietuin van Kortemark",
        summary_nl=("Een korte film over de pastorietuin in Kortemark, getoond op het slotmoment van Partons 2.0 in "
                    "Diksmuide."),
        summary_fr=("Un court film sur le jardin du presbytère de Kortemark, projeté lors du moment de clôture de "
                    "Partons 2.0 à Dixmude."),
        published_on=CLOSING_DAY, date_precision=DatePrecision.DAY, language=Language.NL,
        author_organisation="Provincie West-Vlaanderen", url=SITE, synthetic=False,
    ),
    dict(
        slug="le-kiosque-de-poix-du-nord", kind=Kind.VIDEO, theme=Theme.EVERYDAY_SERVICES,
        title_nl="Le Kiosque de Poix-du-Nord", title_fr="Le Kiosque de Poix-du-Nord",
        summary_nl=("Een film over de kiosk van Poix-du-Nord, getoond op het slotmoment van Partons 2.0 in "
                    "Diksmuide."),
        summary_fr="Un film sur le kiosque de Poix-du-Nord, projeté lors du moment de clôture de Partons 2.0 à Dixmude.",
        published_on=CLOSING_DAY, date_precision=DatePrecision.DAY, language=Language.FR,
        author_organisation="Espaces naturels régionaux (ENRx)", url=SITE, synthetic=False,
    ),
    dict(
        slug="slotmoment-partons-2-0-presentaties", kind=Kind.OTHER, theme=Theme.CROSS_BORDER,
        title_nl="Slotmoment Partons 2.0 – presentaties", title_fr="Moment de clôture Partons 2.0 – présentations",
        summary_nl=("De presentaties van het slotmoment in Diksmuide: de twaalf acties van het programma in vier "
                    "luiken, wat ze opleverden, en lessen voor de toekomst van de dorpen en hun voorzieningen."),
        summary_fr=("Les présentations du moment de clôture à Dixmude : les douze actions du programme en quatre "
                    "volets, leurs résultats, et des leçons pour l’avenir des villages et de leurs services."),
        published_on=CLOSING_DAY, date_precision=DatePrecision.DAY, language=Language.BILINGUAL,
        author_organisation="Provincie West-Vlaanderen, Espaces naturels régionaux (ENRx)", url=SITE, synthetic=False,
    ),
    # --- synthetic: hinted at or made up around real facts (see the docstring) ---
    dict(
        slug="grensoverschrijdende-kaarten", kind=Kind.MAP, theme=Theme.CROSS_BORDER,
        title_nl="Grensoverschrijdende kaarten van de Westhoek", title_fr="Cartes transfrontalières du Westhoek",
        summary_nl=("Kaarten die de streek aan weerszijden van de grens in één beeld brengen, als hulpmiddel voor wie "
                    "over dorpen en voorzieningen nadenkt."),
        summary_fr=("Des cartes qui montrent le territoire des deux côtés de la frontière d’un seul tenant, comme outil "
                    "pour réfléchir aux villages et à leurs services."),
        published_on=datetime.date(2021, 1, 1), date_precision=DatePrecision.YEAR, language=Language.BILINGUAL,
        author_organisation="Partenaires de Partons 2.0", synthetic=True,
    ),
    dict(
        slug="zes-pilootprojecten", kind=Kind.BROCHURE, theme=Theme.PROJECTS,
        title_nl="Zes pilootprojecten in de grensoverschrijdende Westhoek",
        title_fr="Six projets pilotes dans le Westhoek transfrontalier",
        summary_nl=("Bainghen, Esquelbecq, Callicanes, Winnezeele, Sint-Juliaan en Wylder: zes plaatsen waar "
                    "participatieve methoden werden uitgetest, van landschap en molensite tot gemeentehuis, "
                    "voorzieningen op maat en een tweetalige school."),
        summary_fr=("Bainghen, Esquelbecq, Callicanes, Winnezeele, Saint-Julien et Wylder : six lieux où des méthodes "
                    "participatives ont été mises à l’épreuve, du paysage et du site du moulin à la mairie, aux "
                    "services sur mesure et à une école bilingue."),
        published_on=datetime.date(2019, 1, 1), date_precision=DatePrecision.YEAR, language=Language.BILINGUAL,
        author_organisation="Partons 2.0", synthetic=True,
    ),
    dict(
        slug="analyse-dienstverlening", kind=Kind.REPORT, theme=Theme.EVERYDAY_SERVICES,
        title_nl="Grensoverschrijdende analyse van de dienstverlening",
        title_fr="Analyse transfrontalière des services",
        summary_nl=("Een stand van zaken van de voorzieningen in de landelijke grensstreek, die de keuze van de "
                    "pilootprojecten en de projectenoproepen onderbouwde."),
        summary_fr=("Un état des lieux des services dans le territoire rural frontalier, sur lequel se sont appuyés le "
                    "choix des projets pilotes et les appels à projets."),
        published_on=datetime.date(2017, 1, 1), date_precision=DatePrecision.YEAR, language=Language.BILINGUAL,
        author_organisation="Partons 2.0", synthetic=True,
    ),
    dict(
        slug="ontdekkingsdagen", kind=Kind.BROCHURE, theme=Theme.PARTICIPATION,
        title_nl="Grensoverschrijdende ontdekkingsdagen", title_fr="Journées de découverte transfrontalières",
        summary_nl=("Een folder bij de ontdekkingsdagen: bewoners leren de voorzieningen aan de andere kant van de "
                    "grens kennen."),
        summary_fr=("Un dépliant pour les journées de découverte : les habitants découvrent les services de l’autre "
                    "côté de la frontière."),
        published_on=datetime.date(2018, 1, 1), date_precision=DatePrecision.YEAR, language=Language.BILINGUAL,
        author_organisation="Partons 2.0", synthetic=True,
    ),
    dict(
        slug="ideeenbus-folder", kind=Kind.BROCHURE, theme=Theme.PARTICIPATION,
        title_nl="Ideeënbus: jouw idee voor het dorp", title_fr="Boîte à idées : votre idée pour le village",
        summary_nl="Een folder die uitlegt hoe je een idee voor je dorp in een ideeënbus of online indient.",
        summary_fr="Un dépliant qui explique comment déposer une idée pour son village dans une boîte à idées ou en ligne.",
        published_on=datetime.date(2019, 1, 1), date_precision=DatePrecision.YEAR, language=Language.BILINGUAL,
        author_organisation="Partons 2.0", synthetic=True,
    ),
]


def load_demo_publications(log=print) -> dict:
    """Create the demo publications that are missing; returns how many were created."""
    created = 0
    with transaction.atomic():
        existing = set(Publication.objects.filter(slug__in=[p["slug"] for p in PUBLICATIONS]).values_list("slug", flat=True))
        for fields in PUBLICATIONS:
            if fields["slug"] in existing:
                continue
            services.create_publication(by=services.SYSTEM, published=True, summary_by_platform=True, **fields)
            created += 1
    log(f"  publications: {created} created ({len(PUBLICATIONS) - created} already there)")
    return {"publications": created}
