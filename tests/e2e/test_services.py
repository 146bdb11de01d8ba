"""The services map, its filters and date slider, and a citizen report from submission to the changed facility."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from partons.observatory.models import Facility, FacilityChange, ServiceCategory

from .conftest import assert_wcag_aa


pytestmark = pytest.mark.e2e


@pytest.fixture
def services(territory):
    cats = {c.code: c for c in ServiceCategory.objects.all()}
    v = territory["villages"]
    rows = [("Bakkerij Kemmel", "bakery", v["kemmel"], 2.8275, 50.7835, None),
            ("Postpunt Kemmel", "post", v["kemmel"], 2.8280, 50.7830, datetime.date(2012, 6, 30)),
            ("Pharmacie de Boeschepe", "pharmacy", v["boeschepe"], 2.6905, 50.8005, None)]
    made = {}
    for name, cat, village, lon, lat, closed in rows:
        made[cat] = Facility.objects.create(category=cats[cat], name=name, lon=lon, lat=lat, village=village, closed_on=closed,
                                            source="test", source_id=cat)
        FacilityChange.objects.create(facility=made[cat], kind="created", effective_on=datetime.date(2000, 1, 1))
    return made


def shown(page):
    page.wait_for_function("() => document.getElementById('services-map').dataset.loaded === 'true'")
    return sorted(page.evaluate("() => document.getElementById('services-map')._partonsServices.getLayers()"
                                ".map(m => m.feature.properties.name)"))


def test_a_large_area_shows_every_service_counted_per_village(page, services):
    page.goto("/fr/services/")
    page.wait_for_function("() => document.getElementById('services-map').dataset.loaded === 'true'")
    assert page.evaluate("() => document.getElementById('services-map').dataset.mode") == "villages"
    assert page.evaluate("() => document.getElementById('services-map').dataset.shown") == "2"
    expect(page.locator("#year-output")).to_have_text(re.compile(r"aujourd.hui"))


def test_filter_the_map_and_move_the_date_slider(page, services):
    page.goto("/nl/services/")
    page.wait_for_function("() => document.getElementById('services-map').dataset.ready === 'true'")
    page.evaluate("() => document.getElementById('services-map')._partonsMap.setView([50.79, 2.76], 12.5, {animate: false})")
    page.wait_for_function("() => document.getElementById('services-map').dataset.mode === 'services'")
    assert shown(page) == ["Bakkerij Kemmel", "Pharmacie de Boeschepe"]
    # Only the Flemish basic set minus pharmacies: untick the pharmacy.
    page.get_by_label("Apotheek").uncheck()
    assert shown(page) == ["Bakkerij Kemmel"]
    page.get_by_role("button", name="Alle").click()
    assert shown(page) == ["Bakkerij Kemmel", "Pharmacie de Boeschepe"]
    # Back to 2010: the post office of Kemmel was still open.
    page.locator("#year").fill("2010")
    page.locator("#year").dispatch_event("change")
    assert shown(page) == ["Bakkerij Kemmel", "Pharmacie de Boeschepe", "Postpunt Kemmel"]
    expect(page.locator("#year-output")).to_have_text("2010")


def login(page, email, password="a-long-test-password", lang="nl"):
    page.goto(f"/{lang}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(f'a[href="/{lang}/accounts/logout/"]')).to_be_visible()


def test_report_a_closure_accept_it_and_see_the_facility_change(page, services, resident, moderator):
    bakery = services["bakery"]
    login(page, "resident@example.org")
    page.goto(f"/nl/services/{bakery.pk}/")
    page.locator(f'a[href$="facility={bakery.pk}&kind=closure"]').click()
    page.fill("input[name=happened_on]", "2025-02-28")
    page.fill("textarea[name=details]", "De bakker is met pensioen.")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/nl/services/reports/\d+/$"))
    report_url = page.url
    page.locator('a[href="/nl/accounts/logout/"]').click()
    page.locator("main form button[type=submit]").click()  # allauth asks to confirm the log-out
    login(page, "moderator@example.org", lang="fr")
    page.goto("/fr/services/reports/")
    report_path = re.search(r"/nl(/services/reports/\d+/)$", report_url).group(1)
    page.locator(f'a[href="/fr{report_path}"]').click()
    page.locator("input[name=decision][value=accept]").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/fr/services/reports/$"))
    page.goto(f"/fr/services/{bakery.pk}/")
    expect(page.locator(".notice.closed")).to_contain_text("2025")
    expect(page.locator("#history-title + .table-scroll")).to_contain_text("2025")
    bakery.refresh_from_db()
    assert bakery.closed_on == datetime.date(2025, 2, 28)


def test_filters_are_kept_in_the_address_and_the_download_links(page, services):
    page.goto("/fr/services/?year=2010&categories=post")
    page.wait_for_function("() => document.getElementById('services-map').dataset.loaded === 'true'")
    assert page.locator("input[name=categories][value=post]").is_checked()
    assert not page.locator("input[name=categories][value=bakery]").is_checked()
    expect(page.locator("#year-output")).to_have_text("2010")
    assert page.evaluate("() => document.getElementById('services-map').dataset.shown") == "1"  # Kemmel's post, in 2010
    expect(page.locator("a[data-export='/api/facilities.csv']")).to_have_attribute(
        "href", "/api/facilities.csv?categories=post&on=2010-01-01")


@pytest.mark.parametrize("path", ["/nl/services/", "/fr/services/list/", "/fr/services/{bakery}/",
                                  "/nl/services/report/?facility={bakery}&kind=closure", "/nl/services/report/",
                                  "/fr/villages/kemmel/"])
def test_service_pages_pass_axe_wcag_aa(page, services, resident, path):
    login(page, "resident@example.org")
    page.goto(path.format(bakery=services["bakery"].pk))
    assert_wcag_aa(page)


def test_the_region_chart_follows_the_category_filters(page, services):
    page.goto("/nl/services/?categories=bakery")
    page.wait_for_function("() => document.getElementById('services-chart').dataset.shownUrl")
    assert page.evaluate("() => document.getElementById('services-chart').dataset.shownUrl") == \
        "/api/facilities/over-time?categories=bakery"
    page.get_by_role("button", name="Alle").click()
    page.wait_for_function("() => document.getElementById('services-chart').dataset.shownUrl === '/api/facilities/over-time'")


def test_village_page_draws_its_chart(page, services):
    page.goto("/fr/villages/kemmel/")
    page.wait_for_function("() => document.getElementById('services-chart')._partonsChart")
    assert page.evaluate("() => document.getElementById('services-chart').dataset.shownUrl") == \
        "/api/facilities/over-time?village=kemmel"
