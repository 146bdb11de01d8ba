"""The media library in a real browser, in Dutch and French: search and filter, open a publication, follow its
download; and its pages pass the WCAG 2.1 AA checks."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_wcag_aa


pytestmark = pytest.mark.e2e


@pytest.fixture
def library(db):
    from partons.publications.demo import load_demo_publications

    from ..publications.conftest import make, upload

    load_demo_publications(log=lambda m: None)
    return make(slug="kaart-van-de-scholen", kind="map", title_nl="Kaart van de scholen", title_fr="Carte des écoles",
                summary_nl="Alle basisscholen van de streek.", summary_fr="Toutes les écoles primaires du territoire.",
                theme="everyday_services", language="bilingual", upload=upload("scholen.pdf"))


def search(page, **values):
    form = page.get_by_test_id("publication-filters")
    for name, value in values.items():
        if name == "q":
            form.locator("#id_q").fill(value)
        else:
            form.locator(f"#id_{name}").select_option(value)
    form.locator("button[type=submit]").click()


def listed(page):
    return page.locator(".publication-list h3 a")


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_search_filter_and_open_a_publication(page, library, lang):
    page.goto(f"/{lang}/publications/")
    expect(listed(page)).to_have_count(10)
    # Accents do not matter: "ecoles" finds "Carte des écoles".
    search(page, q="ecoles")
    expect(listed(page)).to_have_count(1)
    expect(page).to_have_url(re.compile(r"[?&]q=ecoles(&|$)"))
    listed(page).first.click()
    title = {"nl": "Kaart van de scholen", "fr": "Carte des écoles"}[lang]
    other = {"nl": "Carte des écoles", "fr": "Kaart van de scholen"}[lang]
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("h1 [lang]").first).to_have_attribute("lang", lang)
    expect(page.get_by_test_id("other-title").locator("span")).to_have_text(other)
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    assert download.value.suggested_filename == "scholen.pdf"
    # Back through the breadcrumbs, then the videos in Dutch (or bilingual) of the programme.
    page.locator("nav.breadcrumbs a").click()
    search(page, kind="video", language="nl")
    expect(listed(page)).to_have_text(["De Pastorietuin van Kortemark"])
    # Filters stay chosen.
    expect(page.locator("#id_kind")).to_have_value("video")
    expect(page.locator("#id_language")).to_have_value("nl")
    listed(page).first.click()
    link = page.get_by_test_id("external-link")
    expect(link).to_have_attribute("href", "https://www.partons2-0.eu/")
    expect(link).to_contain_text("partons2-0.eu")
    expect(page.locator("iframe, video, embed, object")).to_have_count(0)
    # A synthetic record says so.
    page.goto(f"/{lang}/publications/")
    search(page, year="2017")
    expect(listed(page)).to_have_count(1)
    listed(page).first.click()
    expect(page.get_by_test_id("synthetic")).to_be_visible()
    expect(page.get_by_test_id("summary-by-platform")).to_be_visible()


@pytest.mark.parametrize("path", ["/nl/publications/", "/fr/publications/?q=kiosque",
                                  "/fr/publications/masterplan-callicanes-2018/",
                                  "/nl/publications/le-kiosque-de-poix-du-nord/",
                                  "/en/publications/kaart-van-de-scholen/"])
def test_publication_pages_pass_axe_wcag_aa(page, library, path):
    page.goto(path)
    assert_wcag_aa(page)
