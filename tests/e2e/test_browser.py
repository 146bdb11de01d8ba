"""End to end in a real browser: languages, the map of both countries, sign-up, coordinator log-in, accessibility."""
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .conftest import assert_wcag_aa


pytestmark = pytest.mark.e2e



def map_countries(page):
    page.wait_for_function("() => { const el = document.getElementById('region-map');"
                           " return el && el._partonsVillages && el._partonsVillages.getLayers().length > 0; }")
    return page.evaluate("() => document.getElementById('region-map')._partonsVillages.getLayers()"
                         ".map(l => l.feature.properties.country)")


def test_home_languages_and_map_of_both_countries(page, territory):
    page.goto("/")
    assert page.url.endswith("/nl/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Grensoverschrijdende Westhoek"
    countries = map_countries(page)
    assert sorted(countries) == ["BE", "BE", "BE", "FR", "FR"]
    # Every municipality is drawn: the two French communes by their boundary, the two Belgian ones (no boundary
    # in this fixture) as a ring at their seat.
    assert page.evaluate("() => document.getElementById('region-map')._partonsBoundaries.getLayers().length") == 2
    assert page.evaluate("() => document.getElementById('region-map')._partonsMunicipalityPoints.getLayers().length") == 2
    assert page.locator("#region-map .leaflet-overlay-pane canvas").count() == 1
    # Switch to French from the header: same page, other language.
    page.get_by_role("link", name="français").click()
    page.wait_for_url(re.compile(r"/fr/$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Westhoek transfrontalier"
    assert sorted(map_countries(page)) == ["BE", "BE", "BE", "FR", "FR"]


def test_language_switch_keeps_the_page_and_table_alternative(page, territory):
    page.goto("/fr/villages/")
    page.get_by_role("link", name="Locre", exact=True).click()
    expect(page).to_have_url(re.compile(r"/fr/villages/loker/$"))
    page.get_by_role("link", name="Nederlands").click()
    expect(page).to_have_url(re.compile(r"/nl/villages/loker/$"))
    expect(page.locator("h1")).to_contain_text("Loker")


def test_keyboard_skip_link_reaches_the_content(page, territory):
    page.goto("/nl/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.className")
    assert focused == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_sign_up_confirm_and_log_in(page, territory):
    page.goto("/fr/accounts/signup/")
    page.fill("input[name=email]", "marie@example.org")
    page.fill("input[name=password1]", "bergues-velo-2024!")
    page.fill("input[name=password2]", "bergues-velo-2024!")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/fr/accounts/confirm-email/$"))
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    # After confirming, the login page comes in the same language.
    expect(page).to_have_url(re.compile(r"/fr/accounts/login/$"))
    page.fill("input[name=login]", "marie@example.org")
    page.fill("input[name=password]", "bergues-velo-2024!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator('a[href="/fr/accounts/logout/"]')).to_be_visible()


def test_coordinator_logs_in_and_reaches_the_admin(page, territory, coordinator):
    page.goto("/nl/accounts/login/")
    page.fill("input[name=login]", "coord@example.org")
    page.fill("input[name=password]", "a-long-test-password")
    page.locator("main form button[type=submit]").click()
    page.get_by_text("Team", exact=True).click()  # the team's pages are grouped in the menu
    page.locator('a[href="/nl/admin/"]').click()
    expect(page).to_have_url(re.compile(r"/nl/admin/$"))
    page.locator('a[href="/nl/admin/territory/village/"]').first.click()
    expect(page.get_by_role("link", name="Kemmel", exact=True)).to_be_visible()


@pytest.mark.parametrize("url", ["/nl/", "/fr/villages/", "/nl/villages/kemmel/", "/fr/municipalities/fr-59067/",
                                 "/fr/accounts/signup/", "/nl/accounts/login/"])
def test_pages_pass_axe_wcag_aa(page, territory, url):
    page.goto(url)
    assert_wcag_aa(page)


def test_municipality_page_map_draws_boundary_and_villages(page, territory):
    def drawn(map_id):
        page.wait_for_function(f"() => document.getElementById('{map_id}')._partonsDrawn")
        return page.evaluate(f"() => document.getElementById('{map_id}')._partonsDrawn.getLayers().length")

    page.goto("/fr/municipalities/fr-59067/")
    page.wait_for_load_state("networkidle")
    assert drawn("municipality-map") == 2  # the commune's boundary and its village
    page.goto("/nl/villages/kemmel/")
    page.wait_for_load_state("networkidle")
    assert drawn("village-map") == 1  # Heuvelland has no boundary in this fixture: the village point only
    expect(page.locator("#village-map .leaflet-tooltip")).to_have_text("Kemmel")
