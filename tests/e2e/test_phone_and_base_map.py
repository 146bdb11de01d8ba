"""On a phone (390 px) no page scrolls sideways and the menu folds behind a button; every map draws its own base
(sea, land, the national border), names its places as one zooms in and has a scale — with no tile server."""
import datetime

import pytest
from django.utils import timezone

from partons.events.models import Event

from .conftest import assert_wcag_aa, wait_until_idle

pytestmark = pytest.mark.e2e

PAGES = ["/{lang}/", "/{lang}/services/", "/{lang}/services/list/", "/{lang}/ideas/", "/{lang}/calls/", "/{lang}/access/",
         "/{lang}/events/", "/{lang}/action-plan/", "/{lang}/publications/", "/{lang}/villages/",
         "/{lang}/municipalities/", "/{lang}/villages/kemmel/", "/{lang}/municipalities/fr-59086/", "/{lang}/data/"]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    wait_until_idle()


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_no_page_scrolls_sideways_on_a_phone(phone, territory, lang):
    now = timezone.now()
    Event.objects.create(slug="launch", type="launch", title_nl="Start van het programma met een lange titel",
                         title_fr="Lancement du programme avec un titre assez long", published=True,
                         starts_at=now + datetime.timedelta(days=5), ends_at=now + datetime.timedelta(days=5, hours=2),
                         village=territory["villages"]["kemmel"])
    wide = {}
    for path in PAGES:
        phone.goto(path.format(lang=lang))
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    assert wide == {}


def test_the_menu_folds_behind_a_button_on_a_phone_and_not_on_a_computer(phone, page, territory):
    phone.goto("/fr/")
    menu = phone.get_by_role("button", name="Menu")
    ideas = phone.locator(".main-nav").get_by_role("link", name="Idées")
    assert menu.is_visible() and not ideas.is_visible()
    assert menu.get_attribute("aria-expanded") == "false"
    menu.click()
    assert ideas.is_visible() and menu.get_attribute("aria-expanded") == "true"
    assert_wcag_aa(phone)
    phone.keyboard.press("Escape")
    assert not ideas.is_visible()
    # positive control: on a computer the menu is simply there, without a button
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/nl/")
    assert page.locator(".main-nav").get_by_role("link", name="Ideeën").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()


def test_a_map_draws_its_own_base_names_places_with_zoom_and_has_a_scale(page, territory):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/nl/services/")
    page.wait_for_function("() => document.querySelector('#services-map .leaflet-basemap-pane canvas')")
    assert page.locator("#services-map.map-drawn").count() == 1  # the sea is the map's background
    assert page.locator("#services-map .leaflet-control-scale").is_visible()
    assert "Natural Earth" in page.locator("#services-map .leaflet-control-attribution").inner_text()
    labels = "() => Array.from(document.querySelectorAll('#services-map .place-label')).map(e => e.textContent)"
    page.evaluate("() => document.getElementById('services-map')._partonsMap.setView([50.783, 2.827], 14, {animate: false})")
    page.wait_for_function(f"() => ({labels})().length > 0")
    assert "Kemmel" in page.evaluate(labels)
    page.evaluate("() => document.getElementById('services-map')._partonsMap.setView([50.783, 2.827], 7, {animate: false})")
    page.wait_for_timeout(300)
    assert "Kemmel" not in page.evaluate(labels)  # a village of 1,157 waits for a closer zoom
    # in French, the French names
    page.goto("/fr/services/")
    page.wait_for_function("() => document.querySelector('#services-map .leaflet-basemap-pane canvas')")
    page.evaluate("() => document.getElementById('services-map')._partonsMap.setView([50.851, 2.886], 13, {animate: false})")
    page.wait_for_function(f"() => ({labels})().includes('Ypres')")


def test_a_map_keeps_the_view_a_person_chose_while_its_boundaries_loaded(page, territory):
    """The boundaries arrive after the base map: the map fits itself to them only if no one has moved it meanwhile."""
    held = []
    page.route("**/api/municipalities?**", lambda route: held.append(route))  # the boundaries wait until the test lets them through
    page.set_viewport_size({"width": 1366, "height": 900})
    view = "() => { const m = document.getElementById('services-map')._partonsMap; return [m.getZoom(), m.getCenter()]; }"

    def boundaries_held():
        for _ in range(100):
            if held:
                return held.pop()
            page.wait_for_timeout(50)
        raise AssertionError("the map never asked for its boundaries")

    # positive control: left alone, the map fits itself to the boundaries when they come
    page.goto("/nl/services/")
    boundaries_held().continue_()
    page.wait_for_function("() => document.getElementById('services-map').dataset.ready === 'true'")
    fitted_zoom = page.evaluate(view)[0]
    page.goto("/nl/services/")
    route = boundaries_held()
    before = page.evaluate(view)[0]
    assert before != fitted_zoom  # the region's view first, then the boundaries' own
    # a window resized meanwhile (a phone turned round, a scroll bar appearing) is not a move: the map still fits
    page.set_viewport_size({"width": 1300, "height": 900})
    route.continue_()
    page.wait_for_function("() => document.getElementById('services-map').dataset.ready === 'true'")
    assert page.evaluate(view)[0] == fitted_zoom
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/nl/services/")
    route = boundaries_held()
    # a person zooms in on Kemmel before the boundaries arrive: the map stays where they are
    page.evaluate("() => document.getElementById('services-map')._partonsMap.setView([50.783, 2.827], 14, {animate: false})")
    route.continue_()
    page.wait_for_function("() => document.getElementById('services-map').dataset.ready === 'true'")
    zoom, centre = page.evaluate(view)
    assert zoom == 14 and abs(centre["lat"] - 50.783) < 0.001 and abs(centre["lng"] - 2.827) < 0.001


def test_a_village_or_a_service_is_found_from_the_map_itself(page, territory):
    from partons.observatory.models import Facility, ServiceCategory

    pharmacy, _ = ServiceCategory.objects.update_or_create(code="pharmacy", defaults=dict(
        name_nl="Apotheek", name_fr="Pharmacie", name_en="Pharmacy"))
    Facility.objects.create(category=pharmacy, name="Apotheek De Kemmelberg", lon=2.8291, lat=50.7841,
                            village=territory["villages"]["kemmel"], source="test", source_id="ph-1")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/fr/services/")
    search = page.locator("#services-map .map-search")
    search.get_by_role("searchbox", name="Trouver un village ou un service").fill("Xyzzy")
    search.get_by_role("button", name="Rechercher").click()
    assert search.get_by_role("status").inner_text() == "Rien dans le territoire ne porte ce nom."
    search.get_by_role("searchbox").fill("Locre")
    search.get_by_role("button", name="Rechercher").click()
    page.wait_for_function("() => document.getElementById('services-map')._partonsMap.getZoom() >= 13")
    centre = page.evaluate("() => document.getElementById('services-map')._partonsMap.getCenter()")
    assert abs(centre["lat"] - 50.781) < 0.01 and abs(centre["lng"] - 2.774) < 0.01  # Loker, found by its French name
    # a service, by its category in the page's language and its village: the map goes to it
    search.get_by_role("searchbox").fill("pharmacie kemmel")
    search.get_by_role("button", name="Rechercher").click()
    page.wait_for_function("() => document.getElementById('services-map')._partonsMap.getZoom() >= 16")
    centre = page.evaluate("() => document.getElementById('services-map')._partonsMap.getCenter()")
    assert abs(centre["lat"] - 50.7841) < 0.001 and abs(centre["lng"] - 2.8291) < 0.001
    assert search.get_by_role("status").inner_text() == "Apotheek De Kemmelberg (Pharmacie, Kemmel)"
    # several answers are listed to choose from, by keyboard too
    search.get_by_role("searchbox").fill("kemmel")
    search.get_by_role("button", name="Rechercher").click()
    choices = search.get_by_role("list", name="Résultats").get_by_role("button")
    choices.first.wait_for()
    assert [c.inner_text() for c in choices.all()] == ["Kemmel — village", "Apotheek De Kemmelberg — Pharmacie, Kemmel"]
    choices.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('services-map')._partonsMap.getZoom() >= 16")
    assert_wcag_aa(page)



@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_the_resident_and_analyst_pages_fit_a_phone_and_pass_axe(page, territory, coordinator, lang):
    from .test_services import login

    login(page, coordinator.email, lang=lang)  # a coordinator may open all of them: the idea form and scenarios too
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/{lang}/", "/{lang}/services/", "/{lang}/villages/kemmel/", "/{lang}/ideas/new/",
                 "/{lang}/access/scenarios/"):
        page.goto(path.format(lang=lang))
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert page.locator(".leaflet-container").count() >= 1, path  # each has its map
        assert_wcag_aa(page)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_every_map_has_its_base_a_scale_and_a_legend(page, territory, coordinator, lang):
    from .test_services import login

    login(page, coordinator.email, lang=lang)  # the scenario map is for the programme team
    page.set_viewport_size({"width": 1366, "height": 900})
    maps = {"/{lang}/": "#region-map", "/{lang}/services/": "#services-map", "/{lang}/ideas/": "#ideas-map",
            "/{lang}/access/": "#access-map", "/{lang}/access/scenarios/": "#scenario-map", "/{lang}/events/": "#events-map"}
    for path, map_id in maps.items():
        page.goto(path.format(lang=lang))
        page.wait_for_function(f"() => document.querySelector('{map_id} .leaflet-basemap-pane canvas')")
        assert page.locator(f"{map_id} .leaflet-control-scale").is_visible(), path
        legend = page.locator(".legend").first
        assert legend.is_visible() and legend.inner_text().strip(), path


def test_on_a_phone_the_service_categories_fold_away_and_the_map_comes_into_view(phone, page, territory):
    phone.goto("/fr/services/")
    phone.wait_for_function("() => document.getElementById('services-map')._partonsMap")
    details = phone.locator("details.category-details")
    assert details.get_attribute("open") is None  # folded: the group buttons and the slider stay in view
    folded = phone.locator("#services-map").bounding_box()["y"]
    phone.locator("details.category-details > summary").click()
    assert phone.get_by_label("Boulangerie").is_visible()  # one by one, still there
    assert phone.locator("#services-map").bounding_box()["y"] - folded > 300  # the list no longer pushes the map down
    # positive control: on a computer the list is open beside the map
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/fr/services/")
    page.wait_for_function("() => document.getElementById('services-map')._partonsMap")
    assert page.locator("details.category-details").get_attribute("open") is not None


def test_the_teams_pages_are_one_menu_entry_that_the_keyboard_opens_and_closes(page, phone, territory, coordinator):
    from .test_services import login

    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "coord@example.org", lang="fr")
    team = page.locator(".main-nav .nav-group summary")
    admin = page.locator(".main-nav").get_by_role("link", name="Administration")
    assert team.inner_text() == "Équipe" and not admin.is_visible()
    # the whole menu of a coordinator holds on two lines of a computer's screen
    assert page.locator(".main-nav > .wrap > ul").evaluate("ul => ul.getBoundingClientRect().height") < 100
    team.focus()
    page.keyboard.press("Enter")
    assert admin.is_visible()
    assert_wcag_aa(page)
    page.keyboard.press("Escape")
    assert not admin.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"  # focus back where it was
    team.click()
    page.locator("h1").first.click()  # a click elsewhere closes it
    assert not admin.is_visible()
    # on a phone the group opens in the folded menu
    phone.goto("/nl/accounts/login/")
    phone.fill("input[name=login]", "coord@example.org")
    phone.fill("input[name=password]", "a-long-test-password")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/nl/")
    phone.get_by_role("button", name="Menu").click()
    phone.locator(".main-nav .nav-group summary").click()
    assert phone.locator(".main-nav").get_by_role("link", name="Beheer").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_resident_has_no_team_entry(page, territory, resident):
    from .test_services import login

    login(page, "resident@example.org")
    assert page.locator(".main-nav .nav-group").count() == 0
    assert page.locator(".main-nav").get_by_role("link", name="Mijn account").count() == 1  # positive control
