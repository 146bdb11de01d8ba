"""Every map of the site as a print: PNG and PDF at A4 and A3, in the page's language, with the region's layers, the
legend, the scale bar, the sources and licences, the date, and the synthetic note when a shown record is synthetic;
the same filters as the page, a bad one refused by name; only what the public page shows."""
import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import ngettext

from partons.prints import drawing

from .conftest import SYNTHETIC_NL, pdf_text, png_size

TITLES = {  # the map's title in each language, from the site's catalogues
    "services": ("Basisvoorzieningen", "Services de la vie courante"),
    "access": ("Bereikbaarheid van de basisvoorzieningen", "Accessibilité des services de la vie courante"),
    "ideas": ("Kaart van de ideeën", "Carte des idées"),
    "portfolio": ("Portefeuille van gesteunde projecten", "Portefeuille des projets soutenus"),
    "agenda": ("Kaart van de evenementen", "Carte des événements"),
}
LEGEND = {  # a legend entry of each map, in Dutch and French
    "services": ("Bakker", "Boulangerie"),
    "access": ("minder dan 5 min", "moins de 5 min"),
    "ideas": ("Idee in België", "Idée en Belgique"),
    "portfolio": ("Project in België", "Projet en Belgique"),
    "agenda": ("Evenement in België", "Événement en Belgique"),
}


def count(lang: str, singular: str, plural: str, n: int) -> str:
    """A count as the print writes it in `lang` (the catalogues may word it anew)."""
    with translation.override(lang):
        return ngettext(singular, plural, n) % {"n": n}


def get(client, path):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.content[:300])
    return r


@pytest.mark.parametrize("kind", list(TITLES))
def test_each_map_prints_as_pdf_in_the_pages_language(client, region, kind):
    nl = get(client, f"/nl/print/maps/{kind}.pdf")
    assert nl["Content-Type"] == "application/pdf" and nl.content[:5] == b"%PDF-"
    assert re.fullmatch(rf'attachment; filename="partons-{kind}-nl-a4-\d{{4}}-\d\d-\d\d\.pdf"', nl["Content-Disposition"])
    text_nl = pdf_text(nl.content)
    text_fr = pdf_text(get(client, f"/fr/print/maps/{kind}.pdf").content)
    title_nl, title_fr = TITLES[kind]
    legend_nl, legend_fr = LEGEND[kind]
    assert title_nl in text_nl and title_fr not in text_nl
    assert title_fr in text_fr and title_nl not in text_fr
    assert legend_nl in text_nl and legend_fr in text_fr and legend_fr not in text_nl
    # the region's layers in the legend: both countries and their border
    assert "België" in text_nl and "Frankrijk" in text_nl and "Landsgrens" in text_nl
    assert "Belgique" in text_fr and "Frontière nationale" in text_fr
    assert re.search(r"\b\d+(\.\d)? km\b", text_nl)  # the scale bar
    assert "GeoNames (CC BY 4.0)" in text_nl and "INSEE / IGN (Licence Ouverte)" in text_nl
    assert "Gegevens:" in text_nl and re.search(r"Données\s?:", text_fr)
    assert "EPSG:3035" in text_nl
    assert SYNTHETIC_NL not in text_nl  # nothing synthetic here (see the test below)


@pytest.mark.parametrize("kind", list(TITLES))
def test_each_map_prints_as_png_a4_and_a3(client, region, kind):
    a4 = get(client, f"/nl/print/maps/{kind}.png")
    assert a4["Content-Type"] == "image/png"
    landscape_a4 = png_size(a4.content)
    assert landscape_a4 in {drawing.pixel_size("a4", "landscape"), drawing.pixel_size("a4", "portrait")}
    assert drawing.pixel_size("a4", "landscape") == (2338, 1653)  # 200 dpi
    portrait = png_size(get(client, f"/nl/print/maps/{kind}.png?size=a3&orientation=portrait").content)
    assert portrait == drawing.pixel_size("a3", "portrait") == (2338, 3307)
    a3 = get(client, f"/fr/print/maps/{kind}.pdf?size=a3")
    assert a3.content[:5] == b"%PDF-" and "Content-Disposition" in a3 and "-fr-a3-" in a3["Content-Disposition"]


def test_a_pdf_page_has_the_papers_size(client, region):
    from pypdf import PdfReader
    import io

    box = PdfReader(io.BytesIO(get(client, "/nl/print/maps/services.pdf?size=a3&orientation=landscape").content)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (420, 297)
    box = PdfReader(io.BytesIO(get(client, "/nl/print/maps/services.pdf?orientation=portrait").content)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_the_synthetic_note_appears_when_a_shown_record_is_synthetic(client, region):
    assert SYNTHETIC_NL not in pdf_text(get(client, "/nl/print/maps/services.pdf").content)
    bakery = region["facilities"]["kemmel_bakery"]
    bakery.synthetic = True
    bakery.save()  # saved as the services save it: the data version moves
    text = pdf_text(get(client, "/nl/print/maps/services.pdf").content)
    assert SYNTHETIC_NL in text and SYNTHETIC_NL.lower() != "synthetic demo data"  # in Dutch
    # a map that does not show that service says nothing of it
    assert SYNTHETIC_NL not in pdf_text(get(client, "/nl/print/maps/agenda.pdf").content)


def test_the_sources_are_credited_in_the_pages_language(client, region):
    from partons.observatory import sources

    bakery = region["facilities"]["kemmel_bakery"]
    bakery.source, bakery.licence, bakery.synthetic = sources.GENERATOR, sources.GENERATOR_LICENCE, True
    bakery.save()
    hall = region["facilities"]["boeschepe_bakery"]
    hall.source, hall.licence = "Provincie West-Vlaanderen", "CC BY 4.0"  # a source named by its import
    hall.save()
    nl = " ".join(pdf_text(get(client, "/nl/print/maps/services.pdf").content).split())
    assert "demogenerator van Partons (CC0 1.0, synthetische gegevens)" in nl and "demo generator" not in nl
    assert "Provincie West-Vlaanderen (CC BY 4.0)" in nl  # positive control: any other source as it was named
    fr = " ".join(pdf_text(get(client, "/fr/print/villages/kemmel.pdf").content).split())
    assert "générateur de démonstration de Partons (CC0 1.0, données synthétiques)" in fr and "synthetic)" not in fr
    from django.utils import translation

    with translation.override("fr"):
        page = client.get(bakery.get_absolute_url()).content.decode()
    assert "générateur de démonstration de Partons (CC0 1.0, données synthétiques)" in page


def test_the_filters_of_the_page_are_the_prints(client, region):
    bakeries = pdf_text(get(client, "/nl/print/maps/services.pdf?categories=bakery").content)
    assert "Bakker (3)" in bakeries and "Apotheek" not in bakeries
    two = pdf_text(get(client, "/nl/print/maps/services.pdf?categories=bakery,gp").content)  # as the map writes them
    assert "Bakker (3)" in two and "Huisarts (1)" in two and "Apotheek" not in two
    everything = pdf_text(get(client, "/nl/print/maps/services.pdf").content)
    assert "Bakker (3)" in everything and "Apotheek (1)" in everything
    # 2018: the café of Loker was still open
    assert "Café (1)" in pdf_text(get(client, "/nl/print/maps/services.pdf?year=2018").content)
    assert "Café" not in everything
    walk = pdf_text(get(client, "/nl/print/maps/access.pdf?category=bakery&mode=walk&indicator=share").content)
    assert "te voet" in walk and "Bakker" in walk and "minder dan 20 %" in walk
    assert re.search(r"Inwoners binnen \d+ min", walk)  # the threshold itself, as the page says it
    # no road network in this region: the figures are estimates as the crow flies, and the print says so
    assert "vogelvlucht" in walk and "wegennet" not in walk.split("Gegevens:")[1]
    assert "met de auto" in pdf_text(get(client, "/nl/print/maps/access.pdf").content)
    # a valid view that does not apply to the mode falls back as the page does: there and back is by public transport
    by_car = pdf_text(get(client, "/nl/print/maps/access.pdf?indicator=round_trip&mode=car").content)
    assert "minder dan 5 min" in by_car and "Gemiddelde tijd tot de dichtstbijzijnde" in by_car
    change = pdf_text(get(client, "/en/print/maps/access.pdf?indicator=change").content)
    assert "about the same" in change and "change since" in change and "under 5 min" not in change
    launch = pdf_text(get(client, "/fr/print/maps/agenda.pdf?type=launch").content)
    assert count("fr", "%(n)s event", "%(n)s events", 1) in launch  # the launch in Boeschèpe, not the discovery day
    assert count("fr", "%(n)s event", "%(n)s events", 2) in pdf_text(get(client, "/fr/print/maps/agenda.pdf").content)


def test_the_idea_box_and_agenda_filters_narrow_their_prints(client, region):
    one_idea = count("nl", "%(n)s idea", "%(n)s ideas", 1)
    all_ideas = pdf_text(get(client, "/nl/print/maps/ideas.pdf").content)
    assert count("nl", "%(n)s idea", "%(n)s ideas", 2) in all_ideas  # positive control: both visible ideas
    for query in ("country=fr", "village=boeschepe", "municipality=fr-59086", "language=fr", "q=marché"):
        text = pdf_text(get(client, f"/nl/print/maps/ideas.pdf?{query}").content)
        assert one_idea in text, query
    assert "Frankrijk" in pdf_text(get(client, "/nl/print/maps/ideas.pdf?country=FR").content)  # said in the subtitle
    assert "Boeschepe" in pdf_text(get(client, "/fr/print/maps/ideas.pdf?village=boeschepe").content)
    assert count("nl", "%(n)s idea", "%(n)s ideas", 0) in pdf_text(get(client, "/nl/print/maps/ideas.pdf?q=zwembad").content)

    coming_fr = pdf_text(get(client, "/fr/print/maps/agenda.pdf?village=boeschepe").content)
    assert count("fr", "%(n)s event", "%(n)s events", 1) in coming_fr
    assert "januari 2027" in pdf_text(get(client, "/nl/print/maps/agenda.pdf?month=2027-01").content)  # not 2027-01
    assert "janvier 2027" in pdf_text(get(client, "/fr/print/maps/agenda.pdf?month=2027-01").content)
    past = pdf_text(get(client, "/nl/print/maps/agenda.pdf?past=true").content)
    assert count("nl", "%(n)s event", "%(n)s events", 0) in past and "Voorbije evenementen" in past  # none is over yet


@pytest.mark.parametrize("query,param", [
    ("services.pdf?categories=bakerz", "categories"), ("services.png?year=1850", "year"), ("services.pdf?size=a5", "size"),
    ("access.pdf?mode=rocket", "mode"), ("access.pdf?indicator=happiness", "indicator"),
    ("access.pdf?category=unicorns", "category"),
    ("access.pdf?since=1999", "since"), ("agenda.pdf?month=2026-13", "month"), ("agenda.pdf?type=party", "type"),
    ("ideas.pdf?theme=weather", "theme"), ("ideas.png?orientation=diagonal", "orientation"),
    ("ideas.pdf?village=atlantis", "village"), ("ideas.pdf?municipality=be-00000", "municipality"),
    ("ideas.pdf?country=de", "country"), ("ideas.pdf?language=de", "language"), ("agenda.pdf?past=maybe", "past"),
    ("agenda.pdf?village=atlantis", "village"),
])
def test_a_bad_parameter_is_a_400_naming_it(client, region, query, param):
    r = client.get(f"/nl/print/maps/{query}")
    assert r.status_code == 400
    body = r.content.decode()
    assert body.startswith(f"{param}:") and f"“{param}”" in body and "Traceback" not in body


def test_an_unknown_map_or_format_is_not_found(client, region):
    assert client.get("/nl/print/maps/weather.pdf").status_code == 404
    assert client.get("/nl/print/maps/services.svg").status_code == 404


def test_hidden_ideas_and_unpublished_events_never_print(client, region):
    ideas = pdf_text(get(client, "/nl/print/maps/ideas.pdf").content)
    assert count("nl", "%(n)s idea", "%(n)s ideas", 2) in ideas  # the visible Belgian and French ones, not the hidden one
    agenda = pdf_text(get(client, "/nl/print/maps/agenda.pdf").content)
    assert count("nl", "%(n)s event", "%(n)s events", 2) in agenda  # the two published ones
    portfolio = pdf_text(get(client, "/nl/print/maps/portfolio.pdf").content)
    assert count("nl", "%(n)s funded project", "%(n)s funded projects", 2) in portfolio  # selected, results out
    # positive controls: once shown on the public pages, they are on the prints too
    region["ideas"]["hidden"].hidden = False
    region["ideas"]["hidden"].save()
    region["events"]["unpublished"].published = True
    region["events"]["unpublished"].save()
    assert count("nl", "%(n)s idea", "%(n)s ideas", 3) in pdf_text(get(client, "/nl/print/maps/ideas.pdf").content)
    assert count("nl", "%(n)s event", "%(n)s events", 3) in pdf_text(get(client, "/nl/print/maps/agenda.pdf").content)


def test_a_second_request_is_not_drawn_again_until_the_data_changes(client, region):
    with mock.patch("partons.prints.drawing.draw", wraps=drawing.draw) as draw:
        first = get(client, "/nl/print/maps/services.pdf?categories=bakery").content
        second = get(client, "/nl/print/maps/services.pdf?categories=bakery").content
        assert draw.call_count == 1 and first == second
        get(client, "/fr/print/maps/services.pdf?categories=bakery")  # another language: another print
        get(client, "/nl/print/maps/services.pdf?categories=bakery&size=a3")  # another size too
        assert draw.call_count == 3
        f = region["facilities"]["kemmel_pharmacy"]
        f.name = "Apotheek Kemmelberg"
        f.save()  # the services changed: drawn again
        get(client, "/nl/print/maps/services.pdf?categories=bakery")
        assert draw.call_count == 4


def test_queries_do_not_grow_with_the_rows(client, region):
    from tests.web.test_query_counts import grow

    paths = [f"/nl/print/maps/{k}.png" for k in TITLES] + ["/nl/print/villages/kemmel.pdf",
                                                            "/nl/print/municipalities/be-33039.pdf"]
    from django.core.cache import cache

    def count(path):
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(path)
        assert r.status_code == 200
        return len(ctx.captured_queries)

    grow(region, 2)
    for path in paths:
        client.get(path)  # what is read once per process
    few = {p: count(p) for p in paths}
    grow(region, 8)
    many = {p: count(p) for p in paths}
    assert many == few


def test_drawing_is_rate_limited_per_visitor_but_the_cache_is_not(client, region, monkeypatch):
    from partons.prints import views

    monkeypatch.setattr(views, "RENDERS_PER_WINDOW", 2)
    assert client.get("/nl/print/maps/agenda.pdf").status_code == 200
    assert client.get("/nl/print/maps/agenda.pdf?size=a3").status_code == 200
    refused = client.get("/nl/print/maps/ideas.pdf")  # a third print to draw in the window
    assert refused.status_code == 429 and refused["Retry-After"] == str(views.WINDOW_S)
    from django.utils import translation

    with translation.override("nl"):  # a sentence in the page's language, not a traceback
        assert refused.content.decode() == translation.gettext(
            "Many prints were drawn for you in a short time. Please wait a few minutes.")
    assert client.get("/nl/print/maps/agenda.pdf").status_code == 200  # control: one already drawn is served
    other = client.get("/nl/print/maps/ideas.pdf", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200  # control: another visitor is not held back


def test_village_names_on_the_map_are_text_in_the_pdf(client, region):
    """Labels keep their white halo and stay text: the PDF's names can be searched, copied and read aloud."""
    text = pdf_text(get(client, "/nl/print/maps/ideas.pdf").content)
    assert "Alle ideeën" in text  # positive control: the page's text is read
    names = [v.name for v in region["villages"].values()]
    assert all(text.count(name) == 1 for name in names), (names, text)


@pytest.mark.parametrize("query", ["category=bakery&mode=walk&indicator=share", "indicator=time",
                                   "indicator=change"])
def test_the_access_print_colours_municipalities_and_villages_as_the_page_does(client, region, query):
    """The page colours by what /api/access/villages and /municipalities answer, through the view's legend: the
    print's colours are those of the same answers."""
    from django.http import QueryDict

    from partons.analysis.indicators import MAP_VIEWS
    from partons.prints import maps

    opts = maps.parse("access", QueryDict(query))
    f = opts.filters
    view = MAP_VIEWS[f["indicator"]]
    api = f"/api/access/%s?category={f['category']}&mode={f['mode']}" + (f"&compare={f['since']}" if view.change else "")
    municipalities = client.get(api % "municipalities").json()["items"]
    villages = client.get(api % "villages").json()["features"]
    with translation.override("nl"):
        c = maps.content("access", opts)
    areas = {a.pk: a.name for a in c.base.areas}
    by_name = {areas[pk]: colour for pk, colour in c.area_fills.items()}
    expected = {m["name"]: view.colour(view.value(m, m.get("then"))) for m in municipalities}
    assert by_name == expected and len(expected) >= 3
    slugs = {v.pk: slug for slug, v in region["villages"].items()}
    marks = {slugs[m.pk]: m.colour for m in c.marks}
    for v in villages:
        p = v["properties"]
        assert marks[p["slug"]] == view.colour(view.value(p, p.get("then"))), p["name"]
    assert any(colour != maps.NO_FIGURE for colour in marks.values())  # positive control: figures were coloured
