"""In a real browser: a map page offers its print; following the link downloads a PDF in the page's language, with the
filters chosen on the page."""
import pytest
from playwright.sync_api import expect

from ..prints.conftest import pdf_text, region  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang,title,legend", [("nl", "Basisvoorzieningen", "Apotheek"),
                                               ("fr", "Services de la vie courante", "Pharmacie")])
def test_the_services_map_downloads_its_print_with_the_filters(page, region, lang, title, legend):
    page.goto(f"/{lang}/services/?categories=pharmacy")
    page.wait_for_function("() => document.getElementById('services-map').dataset.loaded === 'true'")
    with page.expect_download() as info:
        page.locator("a[data-print='pdf-a4']").click()
    download = info.value
    assert download.suggested_filename.startswith(f"partons-services-{lang}-a4-") and download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as f:
        content = f.read()
    assert content[:5] == b"%PDF-"
    text = pdf_text(content)
    assert title in text and legend in text
    bakery = "Bakker" if lang == "nl" else "Boulangerie"
    assert bakery not in text  # only the chosen category
    # a category ticked on the map (the address follows, without a reload): the print follows too
    page.locator("input[name=categories][value=bakery]").check()
    page.wait_for_function("() => window.location.search.indexOf('bakery') >= 0")
    page.wait_for_function("() => document.getElementById('services-map').dataset.loaded === 'true'")
    with page.expect_download() as info:
        page.locator("a[data-print='pdf-a4']").click()
    with open(info.value.path(), "rb") as f:
        text = pdf_text(f.read())
    assert bakery in text and legend in text


def test_the_agenda_downloads_its_print(page, region):
    page.goto("/fr/events/")
    with page.expect_download() as info:
        page.locator("a[data-print='pdf-a3']").click()
    with open(info.value.path(), "rb") as f:
        text = pdf_text(f.read())
    assert "Carte des événements" in text and "Kaart van de evenementen" not in text


def test_the_village_page_downloads_its_dossier(page, region):
    page.goto("/nl/villages/kemmel/")
    with page.expect_download() as info:
        page.locator("a[data-print='dossier']").click()
    with open(info.value.path(), "rb") as f:
        content = f.read()
    assert content[:5] == b"%PDF-"
    text = pdf_text(content)
    assert "Kemmel" in text and "Bakkerij Kemmel" in text and "Bereikbaarheid van de basisvoorzieningen" in text


def test_a_print_refused_says_why_on_the_page_instead_of_a_failed_download(page, region, monkeypatch):
    from partons.prints import views

    monkeypatch.setattr(views, "RENDERS_PER_WINDOW", 1)
    page.goto("/fr/events/")
    status = page.locator(".print-export .print-status")
    with page.expect_download() as info:  # positive control: the first print is drawn and saved
        page.locator("a[data-print='pdf-a4']").click()
    assert info.value.suggested_filename.startswith("partons-agenda-fr-a4-")
    expect(status).to_have_text(f"Enregistré\u00a0: {info.value.suggested_filename}")
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    page.locator("a[data-print='pdf-a3']").click()  # a second one to draw in the window: refused
    expect(status).to_have_text("Beaucoup d’impressions ont été réalisées pour vous en peu de temps. "
                                "Patientez quelques minutes.")
    assert "print-refused" in status.get_attribute("class") and downloads == []
    assert page.url.endswith("/fr/events/")  # still on the page, its map and filters as they were


@pytest.mark.parametrize("width", [390, 1366])
def test_the_print_links_fit_a_phone(browser, live_server, region, width):
    context = browser.new_context(locale="nl-BE", base_url=live_server.url, viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for path in ("/nl/services/", "/fr/access/", "/nl/ideas/", "/fr/calls/portfolio/", "/nl/events/",
                     "/fr/villages/boeschepe/", "/nl/municipalities/be-33039/"):
            page.goto(path)
            assert page.locator("a[data-print]").first.is_visible(), path
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, path
    finally:
        context.close()
