"""Bilingual pages: language prefixes and switching, the map and table pages, village and municipality pages."""
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import translation


@pytest.mark.parametrize("accept,expected", [("fr-BE,fr;q=0.9", "/fr/"), ("nl-BE,nl;q=0.9", "/nl/"), ("en-GB,en", "/en/"),
                                             ("de-DE", "/nl/")])
def test_root_follows_the_browsers_language(client, territory, accept, expected):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert r.status_code == 302 and r["Location"] == expected


@pytest.mark.parametrize("lang,title,word", [("nl", "Grensoverschrijdende Westhoek", "Gemeenten"),
                                             ("fr", "Westhoek transfrontalier", "Communes"),
                                             ("en", "Cross-border Westhoek", "Municipalities")])
def test_home_in_each_language(client, territory, lang, title, word):
    r = client.get(f"/{lang}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert title in html and word in html
    assert 'id="region-map"' in html and 'href="/%s/villages/"' % lang in html  # map plus its table alternative


def test_every_page_links_to_itself_in_the_other_languages(client, territory):
    for url, fr in [("/nl/", "/fr/"), ("/nl/villages/kemmel/", "/fr/villages/kemmel/"),
                    ("/nl/municipalities/?country=BE&q=heu", "/fr/municipalities/?country=BE&amp;q=heu"),
                    ("/nl/municipalities/be-33039/", "/fr/municipalities/be-33039/"),
                    ("/nl/accounts/login/", "/fr/accounts/login/"), ("/nl/about/data/", "/fr/about/data/")]:
        html = client.get(url).content.decode()
        assert f'<a href="{fr}" lang="fr" hreflang="fr"' in html, url
        assert 'hreflang="nl" title="Nederlands" aria-label="Nederlands" aria-current="true"' in html, url
    # the other way round, and a switch link never carries a form token: pages stay shareable
    r = client.get("/fr/villages/kemmel/")
    assert '<a href="/nl/villages/kemmel/" lang="nl" hreflang="nl"' in r.content.decode()
    assert "csrfmiddlewaretoken" not in r.content.decode() and "csrftoken" not in r.cookies


def test_village_page(client, territory):
    html = client.get("/fr/villages/loker/").content.decode()
    assert "Locre" in html and '<span lang="nl">Loker</span>' in html
    assert "Heuvelland" in html and "564" in html
    assert "Kemmel" in html  # the other village of the municipality
    assert client.get("/fr/villages/nowhere/").status_code == 404


def test_municipality_page_lists_its_villages(client, territory):
    html = client.get("/nl/municipalities/be-33039/").content.decode()
    assert "Heuvelland" in html and "NIS 33039" in html and "7.926" in html
    assert html.index("Kemmel") < html.index("Loker")  # most residents first
    assert client.get("/nl/municipalities/fr-59067/").status_code == 200
    assert client.get("/nl/municipalities/be-00000/").status_code == 404
    assert client.get("/nl/municipalities/garbage/").status_code == 404


def test_village_table_filters_sorts_and_paginates(client, territory):
    html = client.get("/nl/villages/", {"country": "FR"}).content.decode()
    assert "Sint-Winoksbergen" in html and "Kemmel" not in html
    html = client.get("/nl/villages/", {"sort": "-population"}).content.decode()
    assert html.index("Ieper") < html.index("Sint-Winoksbergen") < html.index("Boeschepe") < html.index("Kemmel")
    html = client.get("/nl/villages/", {"q": "kem"}).content.decode()
    assert "Kemmel" in html and "Loker" not in html
    # Bad values fall back to defaults rather than failing.
    assert client.get("/nl/villages/", {"sort": "evil", "country": "XX", "page": "999"}).status_code == 200


def test_village_table_paginates(client, territory):
    from partons.territory.models import Village

    muni = territory["heuvelland"]
    Village.objects.bulk_create([Village(municipality=muni, name_nl=f"Gehucht {i:03d}", slug=f"gehucht-{i}", lon=2.8, lat=50.78)
                                 for i in range(60)])
    page1 = client.get("/nl/villages/").content.decode()
    assert "Pagina 1 van 2" in page1 and 'rel="next"' in page1
    page2 = client.get("/nl/villages/", {"page": 2}).content.decode()
    assert "Pagina 2 van 2" in page2


def test_a_merged_village_redirects_to_the_one_it_was_merged_into(client, territory, coordinator):
    from partons.territory.services import merge_villages

    v = territory["villages"]
    merge_villages(sources=[v["loker"]], target=v["kemmel"], by=coordinator)
    r = client.get("/nl/villages/loker/")
    assert r.status_code == 302 and r["Location"] == "/nl/villages/kemmel/"


def test_healthz(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["status"] == "unavailable"


def test_no_page_loads_anything_from_another_host(client, territory):
    for url in ["/nl/", "/fr/villages/kemmel/", "/nl/municipalities/fr-59067/", "/fr/accounts/signup/"]:
        html = client.get(url).content.decode()
        for attr in ('src="http', "src='http", 'href="http'):
            for chunk in html.split(attr)[1:]:
                assert chunk.startswith("s://leafletjs.com") or chunk.startswith("://testserver"), (url, chunk[:60])


def test_reverse_names_are_stable():
    with translation.override("fr"):
        assert reverse("web:village", kwargs={"slug": "kemmel"}) == "/fr/villages/kemmel/"
        assert reverse("web:municipality", kwargs={"key": "be-33011"}) == "/fr/municipalities/be-33011/"


def test_lists_sort_by_the_name_in_the_language_shown(client, territory):
    from partons.territory.models import Village

    Village.objects.create(municipality=territory["bergues"], name_nl="Meteren", name_fr="Méteren", slug="meteren",
                           lon=2.432, lat=50.968, population=None)
    fr = client.get("/fr/villages/").content.decode()
    nl = client.get("/nl/villages/").content.decode()
    # Bergues sorts under B in French, Sint-Winoksbergen under S in Dutch; accents do not push Méteren to the end.
    assert fr.index("Bergues") < fr.index("Boeschepe") < fr.index("Kemmel") < fr.index("Locre") < fr.index("Méteren") < fr.index("Ypres")
    assert nl.index("Ieper") < nl.index("Kemmel") < nl.index("Loker") < nl.index("Meteren") < nl.index("Sint-Winoksbergen")
    # Unknown populations come last, whichever the direction.
    for sort in ("population", "-population"):
        html = client.get("/fr/villages/", {"sort": sort}).content.decode()
        assert html.index("Kemmel") < html.index("Méteren")


def test_search_ignores_accents_and_case(client, territory):
    from partons.territory.models import Village

    Village.objects.create(municipality=territory["bergues"], name_nl="Meteren", name_fr="Méteren", slug="meteren",
                           lon=2.432, lat=50.968)
    assert "Méteren" in client.get("/fr/villages/", {"q": "meteren"}).content.decode()
    assert "Meteren" in client.get("/nl/villages/", {"q": "MÉTER"}).content.decode()
    assert "Ypres" in client.get("/fr/municipalities/", {"q": "ieper"}).content.decode()


@pytest.mark.parametrize("lang,text", [("nl", "Pagina niet gevonden"), ("fr", "Page introuvable")])
def test_not_found_page_is_in_the_site_and_its_language(client, territory, lang, text):
    r = client.get(f"/{lang}/villages/nowhere/")
    assert r.status_code == 404
    html = r.content.decode()
    assert f'<html lang="{lang}">' in html and text in html and 'href="/%s/villages/"' % lang in html


def test_login_required_pages_keep_the_language(client, db):
    r = client.get("/fr/accounts/my-data/")
    assert r.status_code == 302 and r["Location"].startswith("/fr/accounts/login/")


def test_every_pages_title_is_plain_text():
    """What a template puts in the <title> is text (the browser shows any markup there as it is written)."""
    import re
    from pathlib import Path

    import partons

    block = re.compile(r"{% block head_title %}(.*?){% endblock", re.S)
    titles = {path: m.group(1) for path in Path(partons.__file__).parent.rglob("templates/**/*.html")
              for m in block.finditer(path.read_text(encoding="utf-8"))}
    assert len(titles) > 50  # positive control: the pages' titles were found
    with_markup = [str(path) for path, title in titles.items() if re.search(r"<\w", title)]
    assert not with_markup
