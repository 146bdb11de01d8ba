"""The public API: OpenAPI schema, GeoJSON with a bounding-box filter, in the language asked for."""
import pytest


@pytest.fixture
def api(client):
    return client


def test_openapi_schema_and_docs_are_published(api, territory):
    r = api.get("/api/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/villages", "/api/villages/{slug}", "/api/municipalities", "/api/municipalities/{key}"} <= set(schema["paths"])
    docs = api.get("/api/docs")
    assert docs.status_code == 200
    # Served by the app itself, no CDN.
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content and b"cdn" not in docs.content.lower()


def test_villages_as_geojson_in_both_countries(api, territory):
    data = api.get("/api/villages").json()
    assert data["type"] == "FeatureCollection"
    assert data["numberMatched"] == 5
    countries = {f["properties"]["country"] for f in data["features"]}
    assert countries == {"BE", "FR"}
    kemmel = next(f for f in data["features"] if f["id"] == "kemmel")
    assert kemmel["geometry"] == {"type": "Point", "coordinates": [2.827, 50.783]}
    assert kemmel["properties"]["municipality_key"] == "be-33039"
    assert kemmel["properties"]["population"] == 1157


def test_villages_named_by_their_slugs(api, territory):
    data = api.get("/api/villages", {"slugs": "loker, bergues,nowhere"}).json()
    assert sorted(f["id"] for f in data["features"]) == ["bergues", "loker"]  # an unknown slug is simply not there
    assert api.get("/api/villages", {"slugs": ""}).json()["numberMatched"] == 5  # positive control: no filter


def test_bbox_filter_keeps_only_what_is_inside(api, territory):
    # A box around Kemmel and Loker only.
    data = api.get("/api/villages", {"bbox": "2.75,50.77,2.85,50.80"}).json()
    assert sorted(f["id"] for f in data["features"]) == ["kemmel", "loker"]
    data = api.get("/api/municipalities", {"bbox": "2.42,50.95,2.44,50.98"}).json()
    assert [f["id"] for f in data["features"]] == ["fr-59067"]


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "3,50,2,51", "2,50,3,95"])
def test_bad_bbox_is_a_clear_400(api, territory, bbox):
    r = api.get("/api/villages", {"bbox": bbox})
    assert r.status_code == 400
    assert r.json()["detail"].startswith("bbox:")


def test_language_by_parameter_or_header(api, territory):
    fr = api.get("/api/villages/loker", {"lang": "fr"}).json()
    nl = api.get("/api/villages/loker", {"lang": "nl"}).json()
    assert (fr["properties"]["name"], nl["properties"]["name"]) == ("Locre", "Loker")
    by_header = api.get("/api/municipalities/fr-59067", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert by_header["properties"]["name"] == "Sint-Winoksbergen"
    by_header = api.get("/api/municipalities/fr-59067", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert by_header["properties"]["name"] == "Bergues"
    r = api.get("/api/villages", {"lang": "de", "limit": 0})
    assert r.status_code == 422
    assert r.json()["detail"] == "lang: Input should be 'nl', 'fr' or 'en'; limit: Input should be greater than or equal to 1"


def test_municipality_boundary_point_and_pagination(api, territory):
    data = api.get("/api/municipalities", {"limit": 2}).json()
    assert data["numberMatched"] == 4 and data["numberReturned"] == 2
    assert "offset=2" in data["next"]
    page2 = api.get(data["next"]).json()
    assert page2["next"] is None and len(page2["features"]) == 2
    bergues = api.get("/api/municipalities/fr-59067").json()
    assert bergues["geometry"]["type"] == "Polygon" and bergues["properties"]["has_boundary"]
    assert bergues["properties"]["villages"] == 1
    ieper = api.get("/api/municipalities/be-33011").json()
    assert ieper["geometry"] == {"type": "Point", "coordinates": [2.885, 50.851]}
    assert api.get("/api/municipalities/be-99999").status_code == 404
    assert api.get("/api/municipalities/nonsense").status_code == 404


def test_filters_by_country_municipality_and_name(api, territory):
    assert api.get("/api/villages", {"country": "fr"}).json()["numberMatched"] == 2
    data = api.get("/api/villages", {"municipality": "be-33039"}).json()
    assert sorted(f["id"] for f in data["features"]) == ["kemmel", "loker"]
    assert api.get("/api/villages", {"municipality": "be-00000"}).status_code == 404
    assert [f["id"] for f in api.get("/api/villages", {"q": "locre"}).json()["features"]] == ["loker"]


def test_merged_villages_are_not_published(api, territory, coordinator):
    from partons.territory.services import merge_villages

    v = territory["villages"]
    merge_villages(sources=[v["loker"]], target=v["kemmel"], by=coordinator)
    ids = [f["id"] for f in api.get("/api/villages").json()["features"]]
    assert "loker" not in ids and "kemmel" in ids
    r = api.get("/api/villages/loker", {"lang": "fr"})
    assert r.status_code == 308 and r["Location"] == "/api/villages/kemmel?lang=fr"
    assert api.get("/api/villages/nowhere").status_code == 404


def test_regions(api, territory):
    assert api.get("/api/regions", {"lang": "fr"}).json() == [
        {"slug": "westhoek", "name": "Westhoek transfrontalier", "municipalities": 4}]


def test_every_api_error_is_json_naming_what_is_wrong(api, territory):
    r = api.get("/api/ideas/-1")  # no such address (an id is a positive number)
    assert r.status_code == 404 and r.json()["detail"].startswith("no such address in the API: /api/ideas/-1")
    r = api.get("/api/facilities", {"on": "0"})  # not read as 1 January 1970
    assert r.status_code == 422 and r.json()["detail"] == "on: a date is written YYYY-MM-DD, e.g. 2015-01-01"
    assert api.get("/api/facilities", {"on": "2015-01-01"}).status_code == 200  # positive control
    # the site's pages keep the site's own 404 page
    page = api.get("/nl/nowhere/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/villages", "/api/facilities", "/api/ideas", "/api/events", "/api/publications",
                                  "/api/municipalities"])
def test_every_collection_pages_the_same_way(api, territory, path):
    data = api.get(path, {"limit": 1}).json()
    assert {"numberMatched", "numberReturned", "next"} <= set(data)
    assert data["numberReturned"] <= 1
    if data["numberMatched"] > 1:  # the villages and municipalities of the test region: a next page, with the filters
        assert "offset=1" in data["next"] and "limit=1" in data["next"]
    else:
        assert data["next"] is None
