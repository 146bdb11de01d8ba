"""Each map page offers its prints with the page's current filters; village and municipality pages their dossier."""
import html
import re

import pytest

PAGES = [
    ("/nl/services/?categories=bakery&year=2018", "services", ["categories=bakery", "year=2018"]),
    ("/nl/access/?category=bakery&mode=walk&indicator=share&sort=name", "access",
     ["category=bakery", "mode=walk", "indicator=share"]),
    ("/fr/ideas/?theme=food&sort=supported", "ideas", ["theme=food"]),
    ("/nl/ideas/?country=FR&village=boeschepe&q=markt&language=fr", "ideas",
     ["country=FR", "village=boeschepe", "q=markt", "language=fr"]),
    ("/nl/calls/portfolio/", "portfolio", []),
    ("/fr/events/?type=launch", "agenda", ["type=launch"]),
    ("/nl/events/?village=boeschepe&past=on", "agenda", ["village=boeschepe", "past=on"]),
]


@pytest.mark.parametrize("path,kind,carried", PAGES)
def test_each_map_page_links_to_its_prints_with_its_filters(client, region, path, kind, carried):
    page = client.get(path).content.decode()
    lang = path[1:3]
    links = [html.unescape(h) for h in re.findall(r'href="([^"]+)"[^>]*data-print="([^"]+)"', page) for h in [h[0]]]
    assert len(links) == 3, links
    pdf_a4, pdf_a3, png_a4 = links
    assert pdf_a4.startswith(f"/{lang}/print/maps/{kind}.pdf?") and pdf_a4.endswith("size=a4")
    assert pdf_a3.startswith(f"/{lang}/print/maps/{kind}.pdf?") and pdf_a3.endswith("size=a3")
    assert png_a4.startswith(f"/{lang}/print/maps/{kind}.png?")
    for param in carried:
        assert param in pdf_a4 and param in png_a4
    assert "sort=" not in pdf_a4  # what the print does not use is left out
    r = client.get(pdf_a4)
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"


def test_village_and_municipality_pages_link_to_their_dossier(client, region):
    assert 'href="/nl/print/villages/kemmel.pdf"' in client.get("/nl/villages/kemmel/").content.decode()
    assert 'href="/fr/print/villages/boeschepe.pdf"' in client.get("/fr/villages/boeschepe/").content.decode()
    assert 'href="/nl/print/municipalities/be-33039.pdf"' in client.get("/nl/municipalities/be-33039/").content.decode()
    assert 'href="/fr/print/municipalities/fr-59086.pdf"' in client.get("/fr/municipalities/fr-59086/").content.decode()
