"""Access figures on a village page, and a what-if scenario whose count of affected residents changes."""
import datetime

import pytest
from playwright.sync_api import expect

from partons.analysis.services import compute_access
from partons.core.roles import Role
from partons.observatory.models import Facility, ServiceCategory

from ..conftest import make_user
from .conftest import assert_wcag_aa
from .test_services import login

pytestmark = pytest.mark.e2e


@pytest.fixture
def computed(territory):
    bakery = ServiceCategory.objects.get(code="bakery")
    v = territory["villages"]
    Facility.objects.create(category=bakery, name="Bakkerij Kemmel", lon=2.8275, lat=50.7835, village=v["kemmel"],
                            source="test", source_id="b1", opened_on=datetime.date(1990, 1, 1))
    border = Facility.objects.create(category=bakery, name="Boulangerie de la frontière", lon=2.745, lat=50.785,
                                     village=v["boeschepe"], source="test", source_id="b2", opened_on=datetime.date(2000, 1, 1))
    compute_access()
    return border


def test_village_page_shows_its_access_figures(page, computed):
    page.goto("/fr/villages/loker/")
    table = page.get_by_test_id("access-table")
    expect(table).to_be_visible()
    cell = table.locator('td[data-category="bakery"][data-mode="bike"]')
    expect(cell).to_contain_text("min")
    expect(cell).to_contain_text("100 %")  # all of Loker within 15 minutes by bike, thanks to the French bakery
    expect(page.locator('[data-method="straight_line"]')).to_be_visible()
    expect(page.get_by_role("link", name="Boulangerie de la frontière").first).to_be_visible()


def test_a_scenario_changes_the_number_of_affected_residents(page, computed):
    make_user("analyst@example.org", role=Role.ANALYST)
    login(page, "analyst@example.org")
    page.goto("/nl/access/scenarios/?category=bakery&mode=bike")
    page.wait_for_function("() => document.getElementById('scenario-map').dataset.loaded === 'true'")
    # Click the French bakery on the map: it closes in the scenario.
    point = page.evaluate("""() => {
        const el = document.getElementById('scenario-map'), map = el._partonsMap;
        el.scrollIntoView({block: 'center'});
        map.setView([50.785, 2.745], 14, {animate: false});
        const p = map.latLngToContainerPoint([50.785, 2.745]);
        const box = el.getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""")
    page.mouse.click(point["x"], point["y"])
    expect(page.get_by_test_id("lost")).to_have_text("564")
    expect(page.locator("#sc-closed")).to_have_value(str(computed.pk))
    expect(page.locator("#sc-result")).to_contain_text("Loker")
    # What closes is listed by name beside the map, with a way back
    expect(page.locator("#sc-closed-list")).to_contain_text("Boulangerie de la frontière")
    expect(page.locator("#sc-closed-list").get_by_role("button", name="Heropenen")).to_be_visible()
    # A new bakery in Loker, typed in (the keyboard route): nobody loses access any more.
    page.locator("#scenario-panel details summary").click()
    page.fill("#sc-lat", "50.781")
    page.fill("#sc-lon", "2.774")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_test_id("lost")).to_have_text("0")
    # Save it and open it by its address.
    page.fill("input[name=name]", "Grensbakker sluit, nieuwe bakker in Loker")
    page.get_by_role("button", name="Scenario bewaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grensbakker sluit, nieuwe bakker in Loker")
    expect(page.get_by_test_id("scenario-summary")).to_contain_text("0")


@pytest.mark.parametrize("path", ["/nl/access/", "/fr/access/?indicator=change&category=bakery&mode=bike",
                                  "/nl/access/?indicator=viability", "/fr/villages/loker/", "/nl/municipalities/be-33039/",
                                  "/nl/access/scenarios/?category=bakery&mode=bike", "/fr/access/settings/"])
def test_access_pages_pass_axe_wcag_aa(page, computed, path):
    make_user("coordinator@example.org", role=Role.COORDINATOR)
    login(page, "coordinator@example.org")
    page.goto(path)
    assert_wcag_aa(page)


@pytest.mark.parametrize("lang,word", [("nl", "Tonen"), ("fr", "Afficher")])
def test_a_changed_filter_says_the_map_waits_for_show(page, computed, lang, word):
    page.goto(f"/{lang}/access/")
    note = page.locator("#access-filters .pending-choice")
    assert note.inner_text() == ""  # positive control: nothing is pending on arrival
    page.locator("input[name=mode][value=bike]").check()
    expect(note).to_contain_text(word)
    assert_wcag_aa(page)
    with page.expect_navigation():
        page.locator("#access-filters button[type=submit]").click()
    assert "mode=bike" in page.url and page.locator("#access-filters .pending-choice").inner_text() == ""


@pytest.fixture
def by_bus(computed, tmp_path, settings):
    from django.core.management import call_command

    from ..access.test_gtfs import DAY
    from ..analysis.test_transit_figures import bus_feed

    settings.VAR_DIR = tmp_path / "var"
    call_command("import_gtfs", str(bus_feed(tmp_path / "bus.zip")), "--day", DAY.isoformat())
    compute_access()


def test_a_scenario_stops_a_bus_line_and_runs_a_new_one(page, by_bus):
    make_user("analyst@example.org", role=Role.ANALYST)
    login(page, "analyst@example.org")
    page.goto("/fr/access/scenarios/?category=bakery&mode=transit")
    page.get_by_label("70").check()  # line 70 between Ieper station and Kemmel stops running
    expect(page.get_by_test_id("lost")).not_to_have_text("0")
    lost = int(page.get_by_test_id("lost").inner_text().replace("\u202f", "").replace("\u00a0", "").replace(" ", ""))
    assert lost > 1000
    expect(page.locator("#sc-result")).to_contain_text("Ypres")
    # a new line through the same two stops, chosen in order, every 10 minutes: some of it comes back
    page.select_option("#sc-line-stop", label="Ieper Station")
    page.get_by_role("button", name="Ajouter à la ligne").click()
    page.select_option("#sc-line-stop", label="Kemmel Dorp")
    page.get_by_role("button", name="Ajouter à la ligne").click()
    page.fill("#sc-line-headway", "10")
    page.locator("#sc-line-headway").dispatch_event("change")
    expect(page.locator("#sc-line-stops li")).to_have_count(2)
    page.wait_for_function(f"() => parseInt(document.querySelector('[data-testid=lost]').textContent.replace(/\\D/g, '')) < {lost}")
    assert_wcag_aa(page)


@pytest.mark.parametrize("path", ["/nl/villages/loker/", "/fr/municipalities/be-33039/"])
def test_public_transport_on_place_pages_passes_axe_wcag_aa(page, by_bus, path):
    page.goto(path)
    expect(page.get_by_test_id("transit-here")).to_be_visible()
    assert_wcag_aa(page)
