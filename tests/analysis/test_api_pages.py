"""The access figures in the public API, the exports, the pages, scenarios and the settings page."""
import csv
import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partons.analysis.models import AccessRun, AccessSettings, Scenario
from partons.analysis.services import compute_access
from partons.observatory.models import Facility
from partons.core.roles import Role

from ..conftest import make_user


@pytest.fixture
def computed(territory, bakeries):
    s = AccessSettings.current()
    s.comparison_years = "2010"
    s.save()
    return compute_access()


@pytest.fixture
def analyst(db):
    return make_user("analyst@example.org", role=Role.ANALYST)


@pytest.mark.django_db
def test_api_villages_figures_say_their_method(client, computed):
    r = client.get("/api/access/villages?category=bakery&mode=bike&compare=2010")
    assert r.status_code == 200
    loker = next(f for f in r.json()["features"] if f["id"] == "loker")
    p = loker["properties"]
    assert p["method"] == "straight_line" and p["share_within"] == 1.0 and p["threshold_min"] == 15
    assert p["nearest_facility"]["name"] == "Boulangerie de la frontière"
    assert p["then"]["as_of"] == "2010-01-01" and p["share_change"] == 0
    basket = client.get("/api/access/villages?category=basket&mode=car").json()
    assert {f["id"] for f in basket["features"]} >= {"loker", "kemmel", "boeschepe"}


@pytest.mark.django_db
def test_api_errors_name_the_parameter(client, computed):
    r = client.get("/api/access/villages?year=1999")
    assert r.status_code == 400 and r.json()["detail"].startswith("year: 1999 is not a comparison year")
    r = client.get("/api/access/villages?category=bakkerij")
    assert r.status_code == 404 and "category" in r.json()["detail"]
    assert client.get("/api/access/villages?mode=plane").status_code == 422
    assert client.get("/api/access/villages?bbox=1,2,3").status_code == 400
    assert client.get("/api/access/villages/nowhere").status_code == 404


@pytest.mark.django_db
def test_api_municipalities_are_weighted_by_residents(client, computed, territory):
    items = {i["key"]: i for i in client.get("/api/access/municipalities?category=bakery&mode=bike").json()["items"]}
    heuvelland = items["be-33039"]
    # Kemmel (1157 residents, its own bakery: all within) and Loker (564, all within thanks to France).
    assert heuvelland["population"] == 1157 + 564
    assert heuvelland["share_within"] == 1.0
    detail = client.get("/api/access/municipalities/be-33039").json()
    assert {f["mode"] for f in detail["figures"]} == {"walk", "bike", "car"}


@pytest.mark.django_db
def test_exports_have_a_method_per_figure(client, computed):
    r = client.get("/api/access/villages.csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and {row["method"] for row in rows} == {"straight_line"}
    assert {row["as_of"] for row in rows} == {datetime.date.today().isoformat(), "2010-01-01"}
    g = json.loads(client.get("/api/access/villages.geojson").content)
    assert g["features"][0]["properties"]["figures"][0]["method"] == "straight_line"
    status = client.get("/api/access/status").json()
    assert status["methods"]["car"] == "straight_line" and status["thresholds_min"] == {"walk": 15, "bike": 15, "car": 7, "transit": 30}


@pytest.mark.django_db
def test_village_and_municipality_pages_show_access(client, computed):
    html = client.get("/nl/villages/loker/").content.decode()
    assert 'data-testid="access-table"' in html and 'data-method="straight_line"' in html
    assert "Boulangerie de la frontière" in html
    assert 'id="viability"' in html and "level-at_risk" in html  # Loker: few residents, no services of its own
    html_fr = client.get("/fr/municipalities/be-33039/").content.decode()
    assert 'data-testid="access-table"' in html_fr


@pytest.mark.django_db
def test_access_map_page_has_a_table_and_a_legend(client, computed):
    for indicator in ("time", "share", "change", "viability"):
        r = client.get(f"/nl/access/?indicator={indicator}&category=bakery&mode=bike")
        assert r.status_code == 200
        html = r.content.decode()
        assert 'id="access-legend"' in html and 'id="access-table"' in html
        assert "/nl/villages/loker/" in html
    # Unknown choices fall back to the defaults instead of failing.
    assert client.get("/nl/access/?indicator=x&category=y&mode=z&since=abc").status_code == 200


@pytest.mark.django_db
def test_a_category_with_no_service_anywhere_is_offered_as_no_data(client, computed, analyst):
    client.force_login(analyst)
    for path in ("/fr/access/", "/fr/access/scenarios/"):
        html = client.get(path).content.decode()
        # no rail station is known in the region: its figures would say nothing about the villages
        assert '<option value="rail_station" disabled>Gare (pas de données)</option>' in html
        # positive control: bakeries, which the region has, can be chosen
        assert '<option value="bakery" disabled' not in html and '<option value="bakery"' in html


@pytest.mark.django_db
def test_scenarios_are_for_coordinators_and_analysts(client, computed, resident, analyst, bakeries):
    url = "/nl/access/scenarios/evaluate"
    body = json.dumps({"category": "bakery", "mode": "bike", "closed": [bakeries["border"].pk]})
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(resident)
    assert client.get("/nl/access/scenarios/").status_code == 403
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(analyst)
    assert client.get("/nl/access/scenarios/").status_code == 200
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 200
    result = r.json()
    # All of Loker's 564 residents reached the French bakery within 15 minutes by bike; Kemmel's is 3.8 km away.
    assert result["lost"] == 564 and result["gained"] == 0
    assert result["villages"][0]["slug"] == "loker" and result["villages"][0]["within_after"] == 0
    # Opening a new bakery in Loker itself brings them back, and more.
    body2 = json.dumps({"category": "bakery", "mode": "bike", "closed": [bakeries["border"].pk],
                        "added": [{"lon": 2.774, "lat": 50.781}]})
    assert client.post(url, body2, content_type="application/json").json()["lost"] == 0


@pytest.mark.django_db
def test_scenario_input_errors_are_named(client, computed, analyst, bakeries):
    client.force_login(analyst)
    url = "/nl/access/scenarios/evaluate"

    def post(data):
        return client.post(url, json.dumps(data), content_type="application/json")

    assert "category" in post({"category": "x", "mode": "bike"}).json()["detail"]
    assert "mode" in post({"category": "bakery", "mode": "plane"}).json()["detail"]
    r = post({"category": "bakery", "mode": "bike", "closed": [999999]})
    assert r.status_code == 400 and "999999" in r.json()["detail"]
    r = post({"category": "bakery", "mode": "bike", "added": [{"lon": "east", "lat": 50}]})
    assert r.status_code == 400 and "added" in r.json()["detail"]
    assert client.post(url, "not json", content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_saved_scenario_is_shared_by_url_and_exported(client, computed, analyst, bakeries):
    client.force_login(analyst)
    r = client.post("/nl/access/scenarios/save", {"name": "Bakkerij aan de grens sluit", "category": "bakery",
                                                  "mode": "bike", "closed": str(bakeries["border"].pk), "added": "[]"})
    sc = Scenario.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/access/scenarios/{sc.key}/")
    assert sc.result["lost"] == 564 and list(sc.closed.all()) == [bakeries["border"]]
    client.logout()
    page = client.get(f"/fr/access/scenarios/{sc.key}/")
    assert page.status_code == 200 and "Bakkerij aan de grens sluit" in page.content.decode()
    rows = list(csv.reader(io.StringIO(client.get(f"/nl/access/scenarios/{sc.key}/export.csv").content.decode("utf-8-sig"))))
    assert rows[0][0] == "village" and rows[1][0] == "loker" and rows[1][6] == "564"
    data = json.loads(client.get(f"/nl/access/scenarios/{sc.key}/export.json").content)
    assert data["name"] == "Bakkerij aan de grens sluit" and data["lost"] == 564
    # A name is required.
    client.force_login(analyst)
    client.post("/nl/access/scenarios/save", {"name": "", "category": "bakery", "mode": "bike", "closed": ""})
    assert Scenario.objects.count() == 1


@pytest.mark.django_db
def test_settings_page_for_coordinators(client, computed, coordinator, resident, django_capture_on_commit_callbacks):
    client.force_login(resident)
    assert client.get("/nl/access/settings/").status_code == 403
    client.force_login(coordinator)
    page = client.get("/nl/access/settings/")
    assert page.status_code == 200 and "<progress" in page.content.decode()
    from partons.analysis.forms import AccessSettingsForm

    data = {f: "" if (v := getattr(AccessSettings.current(), f)) is None else v for f in AccessSettingsForm.Meta.fields}  # empty: as a browser sends it
    bad = client.post("/nl/access/settings/", {**data, "search_limit_min": 5})
    assert bad.status_code == 200 and "search_limit_min" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post("/nl/access/settings/", {**data, "walk_threshold_min": 10})
    assert ok.status_code == 302 and AccessSettings.current().walk_threshold_min == 10
    # Saving the settings computed the figures again with the new threshold.
    last = AccessRun.objects.order_by("-created_at").first()
    assert last.reason == "settings" and last.status == "done"
    from partons.analysis.models import VillageAccess

    assert set(VillageAccess.objects.filter(mode="walk", current=True).values_list("threshold_s", flat=True)) == {600}
    status = client.get("/nl/access/settings/status").json()
    assert status["status"] == "done" and status["progress"] == 100


@pytest.mark.django_db
def test_region_figures_are_weighted_by_residents(client, computed, territory):
    r = client.get("/api/access/region?category=bakery&mode=bike&compare=2010").json()
    pops = {"kemmel": 1157, "loker": 564, "ieper": 20601, "boeschepe": 2100, "bergues": 3525}
    assert r["population"] == sum(pops.values()) and r["villages"] == 5
    # Within 15 minutes by bike of a bakery: Kemmel and Loker entirely; Ieper, Bergues (no bakery within 2.8 km) not.
    # Boeschepe's residents live 3.3–4.5 km from the border bakery: none within.
    assert r["share_within"] == pytest.approx((1157 + 564) / sum(pops.values()), abs=0.001)
    assert r["then"]["as_of"] == "2010-01-01"
    html = client.get("/nl/access/?category=bakery&mode=bike").content.decode()
    assert 'data-testid="region-summary"' in html


def test_access_map_page_before_any_figure_is_computed(client, territory):
    """A new site (production, before the first computation) shows the page with dashes, not an error."""
    r = client.get("/nl/access/")
    assert r.status_code == 200
    assert "–" in r.content.decode()


@pytest.mark.django_db
def test_village_figures_are_built_once_per_computation_and_renewed_by_the_next(computed, territory, bakeries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partons.analysis import selectors

    first = selectors.village_values(category="bakery", mode="bike")
    with CaptureQueriesContext(connection) as again:
        assert selectors.village_values(category="bakery", mode="bike") == first
    assert len(again) == 1  # only "which computation is the latest": the figures come from the cache
    loker = territory["villages"]["loker"].pk
    # A new bakery in Loker and a new computation: the figures read afterwards are the new ones.
    Facility.objects.create(category=bakeries["kemmel"].category, name="Bakkerij Loker", lon=2.774, lat=50.781,
                            village=territory["villages"]["loker"], source="test", source_id="b-loker")
    compute_access()
    renewed = selectors.village_values(category="bakery", mode="bike")
    assert renewed[loker].mean_time_s < first[loker].mean_time_s
    # Restricted to some villages: the same figures.
    only = selectors.village_values(category="bakery", mode="bike", villages=[territory["villages"]["loker"]])
    assert list(only) == [loker] and only[loker] == renewed[loker]


def test_a_finished_computation_leaves_the_figures_ready_for_the_first_visitor(computed, django_assert_num_queries):
    from partons.analysis import selectors

    # only "which computation is the latest?": the figures of each category and mode were built by the computation
    for category, mode in (("basket", "car"), ("bakery", "walk"), ("gp", "bike")):
        with django_assert_num_queries(1):
            values = selectors.village_values(category=category, mode=mode)
        assert values  # and they are there
    cache.clear()  # positive control: without them, the first visitor's request reads the rows
    with CaptureQueriesContext(connection) as ctx:
        selectors.village_values(category="basket", mode="car")
    assert any("analysis_villageaccess" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_the_region_has_one_population_on_the_home_and_the_access_pages(client, territory, bakeries):
    from partons.analysis.services import compute_access
    from partons.territory.models import Municipality

    compute_access()
    official = sum(Municipality.objects.values_list("population", flat=True))
    home = client.get("/nl/").content.decode()
    access = client.get("/nl/access/").content.decode()
    shown = access.split('data-testid="region-population">')[1].split("<")[0]
    assert int(shown.replace(".", "").replace("\u202f", "").replace(" ", "")) == official
    per_country = [int(x.replace(".", "")) for x in __import__("re").findall(r"([\d.]+) inwoners", home)]
    assert sum(per_country) == official
