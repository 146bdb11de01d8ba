"""The dossier of a village or a municipality: a PDF in the page's language with its people, services and their
history, access figures, ideas, projects and events, sources and page numbers — for a Belgian and a French place."""
import io
import re
from unittest import mock

from pypdf import PdfReader

from partons.prints import dossier

from .conftest import SYNTHETIC_NL, pdf_text


def get(client, path):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    assert r["Content-Type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    return r


def test_a_belgian_villages_dossier_in_dutch(client, region):
    r = get(client, "/nl/print/villages/kemmel.pdf")
    assert re.fullmatch(r'attachment; filename="partons-dossier-kemmel-nl-\d{4}-\d\d-\d\d\.pdf"', r["Content-Disposition"])
    reader = PdfReader(io.BytesIO(r.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)  # A4
    text = pdf_text(r.content)
    assert "Kemmel" in text and "Heuvelland" in text and "België" in text and "1.157" in text  # residents
    assert "Basisvoorzieningen" in text and "Bakkerij Kemmel" in text and "Apotheek Kemmel" in text
    assert "Café De Lokerhof" not in text  # Loker's, and closed
    assert "Bereikbaarheid van de basisvoorzieningen" in text and "Te voet" in text and "Met de auto" in text
    assert re.search(r"Bakker\s+\d+ min", text)  # minutes to the nearest bakery
    assert re.search(r"\d+,\d km", text)  # and the distance from the village centre
    assert "Een bankje aan de kerk van Kemmel" in text  # its idea
    assert "Verborgen idee" not in text
    assert "Speelplein Kemmel" in text and "Nog niet bekend project" not in text  # the funded project only
    assert "Ontdekkingsdag Kemmelberg" in text and "Geheime dag" not in text  # the published event only
    assert "© OpenStreetMap contributors (ODbL)" in text and "GeoNames (CC BY 4.0)" in text
    n = len(reader.pages)
    assert f"Page 1 of {n}" in text or f"1 van {n}" in text
    assert SYNTHETIC_NL not in text


def test_a_french_villages_dossier_in_french(client, region):
    text = pdf_text(get(client, "/fr/print/villages/boeschepe.pdf").content)
    assert "Boeschepe" in text and "France" in text and "Boeschepe (INSEE 59086)" in text  # its commune and code
    assert "Boulangerie de Boeschèpe" in text and "Cabinet médical Boeschèpe" in text  # accents survive
    assert "Accessibilité des services de la vie courante" in text and "En voiture" in text
    assert "Boulangerie" in text and re.search(r"Médecin généraliste\s+\d+ min", text)
    assert "Un marché du dimanche à Boeschèpe" in text
    assert "Jardin partagé de Boeschèpe" in text and "Lancement à Boeschèpe" in text
    assert "Bereikbaarheid" not in text  # nothing in Dutch


def test_a_municipalitys_dossier_gathers_its_villages(client, region):
    text = pdf_text(get(client, "/nl/print/municipalities/be-33039.pdf").content)
    assert "Heuvelland" in text and "NIS 33039" in text and "7.926" in text
    assert "Kemmel" in text and "Loker" in text
    assert "Bakkerij Kemmel (Kemmel)" in text
    assert "Café De Lokerhof" in text and "gesloten" in text  # its history: the café of Loker closed in 2019
    assert "Ontdekkingsdag Kemmelberg" in text and "Speelplein Kemmel" in text
    text = pdf_text(get(client, "/fr/print/municipalities/fr-59086.pdf").content)
    assert "Boeschepe" in text and "INSEE 59086" in text and "Commune" in text


def test_history_of_the_services_is_in_the_dossier(client, region):
    import datetime

    from partons.observatory.models import Facility, FacilityChange

    # a grocery opened in Loker in 2022, after the source's first inventory (2001)
    shop = Facility.objects.create(category=Facility.objects.filter(name="Café De Lokerhof").get().category,
                                   name="Dorpswinkel Loker", village=region["villages"]["loker"], lon=2.775, lat=50.781,
                                   source="OpenStreetMap", source_id="loker-shop")
    FacilityChange.objects.create(facility=shop, kind="created", effective_on=datetime.date(2022, 3, 1))
    text = pdf_text(get(client, "/nl/print/villages/loker.pdf").content)
    flowing = " ".join(text.split())  # table cells wrap their words over lines
    history = flowing.split("Openingen en sluitingen")[-1].split("Ideeën")[0]
    assert "Café De Lokerhof" in history and "gesloten" in history  # closed in 2019
    assert "Dorpswinkel Loker" in history and "geopend (of voor het eerst opgetekend)" in history
    # the café's first record is its source's first inventory (2001): summed up, not listed as an opening
    assert "1 voorziening werd opgetekend bij de eerste inventaris van haar bron (1 januari 2001)" in history
    assert history.count("geopend (of voor het eerst opgetekend)") == 1
    assert "Bakkerij Kemmel" not in history


def test_synthetic_records_are_said_so(client, region):
    assert SYNTHETIC_NL not in pdf_text(get(client, "/nl/print/villages/kemmel.pdf").content)
    event = region["events"]["published"]
    event.synthetic = True
    event.save()
    assert SYNTHETIC_NL in pdf_text(get(client, "/nl/print/villages/kemmel.pdf").content)


def test_unknown_places_are_not_found(client, region):
    assert client.get("/nl/print/villages/nowhere.pdf").status_code == 404
    assert client.get("/nl/print/municipalities/be-00000.pdf").status_code == 404
    assert client.get("/nl/print/municipalities/garbage.pdf").status_code == 404


def test_a_dossier_is_built_once_per_change_of_its_data(client, region):
    with mock.patch("partons.prints.dossier.build", wraps=dossier.build) as build:
        first = get(client, "/nl/print/villages/kemmel.pdf").content
        assert get(client, "/nl/print/villages/kemmel.pdf").content == first
        assert build.call_count == 1
        idea = region["ideas"]["visible"]
        idea.title = "Een bank aan de kerk van Kemmel"
        idea.save()
        assert "Een bank aan de kerk" in pdf_text(get(client, "/nl/print/villages/kemmel.pdf").content)
        assert build.call_count == 2


def test_a_dossier_before_any_access_figure_says_so(client, territory):
    text = pdf_text(get(client, "/en/print/villages/kemmel.pdf").content)
    assert "Kemmel" in text and "No access figures have been computed yet." in text
