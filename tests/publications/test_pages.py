"""The media library's pages: search and filters, pagination, the page per publication in each language, the file."""
import datetime
import re

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from partons.core.roles import Role

from ..conftest import make_user
from .conftest import PDF, make, upload


def titles(html: str) -> list[str]:
    """The titles of the listed publications, in order."""
    return re.findall(r'<h3><a href="[^"]+"><span lang="\w\w">([^<]+)</span>', html)


@pytest.fixture
def library(db):
    return {
        "callicanes": make(title_nl="Masterplan Callicanes – eindrapport", title_fr="Masterplan Callicanes – rapport final",
                           summary_fr="Un nouveau rôle pour l’ancien poste de douane.", theme="village_centres",
                           language="bilingual", published_on=datetime.date(2018, 1, 1), date_precision="year",
                           upload=upload("callicanes.pdf")),
        "kiosque": make(kind="video", title_nl="De kiosk van Poix-du-Nord", title_fr="Le Kiosque de Poix-du-Nord",
                        summary_fr="Un film sur le kiosque, projeté à Dixmude.", language="fr",
                        published_on=datetime.date(2021, 9, 28), url="https://www.partons2-0.eu/"),
        "kaart": make(kind="map", title_nl="Kaart van de scholen", title_fr="Carte des écoles", theme="cross_border",
                      language="nl", published_on=datetime.date(2021, 3, 1)),
        "draft": make(title_nl="Kladversie", title_fr="Brouillon", published=False, upload=upload("klad.pdf")),
    }


def test_list_shows_the_published_ones_newest_first_with_what_they_are(client, library):
    html = client.get("/nl/publications/").content.decode()
    assert titles(html) == ["De kiosk van Poix-du-Nord", "Kaart van de scholen", "Masterplan Callicanes – eindrapport"]
    assert "Kladversie" not in html
    with translation.override("nl"):
        size = filesizeformat(len(PDF))
    assert f"PDF, {size}" in html
    assert '<time datetime="2018">2018</time>' in html and "28 september 2021" in html
    fr = client.get("/fr/publications/").content.decode()
    assert titles(fr) == ["Le Kiosque de Poix-du-Nord", "Carte des écoles", "Masterplan Callicanes – rapport final"]


@pytest.mark.parametrize("query, expected", [
    ("q=ecoles", ["Kaart van de scholen"]),          # "écoles", without its accent
    ("q=%C3%89COLES", ["Kaart van de scholen"]),     # "ÉCOLES"
    ("q=douane+role", ["Masterplan Callicanes – eindrapport"]),  # every word, in the French summary ("rôle")
    ("q=douane+kiosk", []),
    ("kind=video", ["De kiosk van Poix-du-Nord"]),
    ("theme=cross_border", ["Kaart van de scholen"]),
    ("language=fr", ["De kiosk van Poix-du-Nord", "Masterplan Callicanes – eindrapport"]),  # bilingual counts
    ("language=bilingual", ["Masterplan Callicanes – eindrapport"]),
    ("year=2021", ["De kiosk van Poix-du-Nord", "Kaart van de scholen"]),
    ("year=2021&kind=map", ["Kaart van de scholen"]),
    ("kind=nonsense&year=soon", ["De kiosk van Poix-du-Nord", "Kaart van de scholen", "Masterplan Callicanes – eindrapport"]),
])
def test_search_and_filters(client, library, query, expected):
    r = client.get(f"/nl/publications/?{query}")
    assert r.status_code == 200
    assert titles(r.content.decode()) == expected


def test_the_filters_offer_the_years_there_are_and_keep_their_values(client, library):
    html = client.get("/nl/publications/?kind=map&year=2021&q=kaart").content.decode()
    years = re.findall(r'<option value="(\d{4})"', html)
    assert years == ["2021", "2018"]
    assert '<option value="2021" selected>' in html and '<option value="map" selected>' in html
    assert 'value="kaart"' in html
    for field in ("q", "kind", "theme", "language", "year"):
        assert f'<label for="id_{field}">' in html, field


def test_pagination_keeps_the_filters(client, db):
    for i in range(25):
        make(title_nl=f"Rapport {i:02d}", title_fr=f"Rapport {i:02d}", published_on=datetime.date(2020, 1, 1) +
             datetime.timedelta(days=i))
    make(kind="map", title_nl="Kaart", title_fr="Carte")
    first = client.get("/nl/publications/?kind=report").content.decode()
    assert len(titles(first)) == 20 and titles(first)[0] == "Rapport 24"
    assert "25 publicaties" in first or "25 publications" in first
    assert 'href="?kind=report&amp;page=2"' in first
    second = client.get("/nl/publications/?kind=report&page=2").content.decode()
    assert titles(second) == ["Rapport 04", "Rapport 03", "Rapport 02", "Rapport 01", "Rapport 00"]
    assert client.get("/nl/publications/?kind=report&page=99").status_code == 200  # the last page, not an error


def test_page_in_dutch_and_french_marks_the_other_language(client, library):
    slug = library["callicanes"].slug
    nl = client.get(f"/nl/publications/{slug}/").content.decode()
    assert '<h1><span lang="nl">Masterplan Callicanes – eindrapport</span></h1>' in nl
    assert '<span lang="fr">Masterplan Callicanes – rapport final</span>' in nl
    assert 'href="/nl/publications/"' in nl and 'class="breadcrumbs"' in nl
    # The summary exists only in French: a Dutch page shows it, marked as French.
    assert '<div lang="fr"><p>Un nouveau rôle pour l’ancien poste de douane.</p></div>' in nl
    fr = client.get(f"/fr/publications/{slug}/").content.decode()
    assert '<h1><span lang="fr">Masterplan Callicanes – rapport final</span></h1>' in fr
    assert '<span lang="nl">Masterplan Callicanes – eindrapport</span>' in fr
    en = client.get(f"/en/publications/{slug}/").content.decode()
    assert ('<h1><span lang="nl">Masterplan Callicanes – eindrapport</span> <span class="lang-tag" lang="en">(in Dutch)</span></h1>'
            in en)  # English pages read the Dutch title, marked
    for text in ("Village centres and spatial planning", "Dutch and French", "All rights reserved", "Report"):
        assert text in en, text
    assert f'href="/en/publications/{slug}/file"' in en
    with translation.override("en"):
        assert f"Download (PDF, {filesizeformat(len(PDF))})" in en


def test_a_video_is_a_marked_external_link_never_embedded(client, library):
    html = client.get(f"/nl/publications/{library['kiosque'].slug}/").content.decode()
    assert 'href="https://www.partons2-0.eu/" rel="external noopener noreferrer"' in html
    assert "partons2-0.eu)" in html  # the link says where it leads
    for tag in ("<iframe", "<video", "<embed", "<object"):
        assert tag not in html


def test_synthetic_records_and_platform_summaries_say_so(client, db):
    pub = make(title_nl="Folder", title_fr="Dépliant", summary_nl="Door ons geschreven.", synthetic=True,
               summary_by_platform=True)
    real = make(title_nl="Echt", title_fr="Vrai", summary_nl="Door de auteurs.")
    page = client.get(f"/en/publications/{pub.slug}/").content.decode()
    assert 'data-testid="synthetic"' in page and 'data-testid="summary-by-platform"' in page
    assert "synthetic demo" in client.get("/en/publications/").content.decode()
    plain = client.get(f"/en/publications/{real.slug}/").content.decode()
    assert 'data-testid="synthetic"' not in plain and 'data-testid="summary-by-platform"' not in plain
    assert "not available online" in plain


def test_file_is_served_with_its_name_type_and_no_sniffing(client, library):
    r = client.get(f"/nl/publications/{library['callicanes'].slug}/file")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="callicanes.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PDF
    assert client.get(f"/nl/publications/{library['kaart'].slug}/file").status_code == 404  # no file
    assert client.post(f"/nl/publications/{library['callicanes'].slug}/file").status_code == 405


def test_unpublished_is_hidden_from_the_public_but_not_from_coordinators(client, library, resident, coordinator):
    slug = library["draft"].slug
    for path in (f"/nl/publications/{slug}/", f"/nl/publications/{slug}/file"):
        assert client.get(path).status_code == 404
    client.force_login(resident)
    for path in (f"/nl/publications/{slug}/", f"/nl/publications/{slug}/file"):
        assert client.get(path).status_code == 404
    client.force_login(coordinator)
    page = client.get(f"/en/publications/{slug}/")
    assert page.status_code == 200 and "only coordinators see this page" in page.content.decode()
    r = client.get(f"/nl/publications/{slug}/file")
    assert r.status_code == 200 and r["Content-Disposition"] == 'attachment; filename="klad.pdf"'
    assert "no-store" in r["Cache-Control"]
    assert "Kladversie" not in client.get("/nl/publications/").content.decode()  # the list stays public-only


def test_moderators_do_not_see_unpublished_ones(client, library):
    client.force_login(make_user("mod2@example.org", role=Role.MODERATOR))
    assert client.get(f"/nl/publications/{library['draft'].slug}/").status_code == 404


def test_coordinators_find_the_way_to_edit(client, library, coordinator, resident):
    slug = library["callicanes"].slug
    edit = f'/nl/admin/publications/publication/{library["callicanes"].pk}/change/'
    client.force_login(resident)
    assert edit not in client.get(f"/nl/publications/{slug}/").content.decode()
    client.force_login(coordinator)
    assert edit in client.get(f"/nl/publications/{slug}/").content.decode()
    assert "/nl/admin/publications/publication/add/" in client.get("/nl/publications/").content.decode()
    assert client.get(edit).status_code == 200
