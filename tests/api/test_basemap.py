"""The base map the app draws without a tile server: land and sea, the national border, village names."""
import pytest

from partons.territory.models import Village


@pytest.mark.django_db
def test_the_base_map_holds_land_the_border_and_the_village_names(client, territory):
    r = client.get("/api/basemap")
    assert r.status_code == 200
    features = r.json()["features"]
    kinds = {}
    for f in features:
        kinds.setdefault(f["properties"]["kind"], []).append(f)
    assert {f["properties"]["country"] for f in kinds["land"]} >= {"BE", "FR"}
    assert any(sorted(f["properties"]["countries"]) == ["BE", "FR"] for f in kinds["border"])
    names = {(f["properties"]["name_nl"], f["properties"]["name_fr"]) for f in kinds["place"]}
    assert ("Sint-Winoksbergen", "Bergues") in names or ("Ieper", "Ypres") in names
    assert len(kinds["place"]) == Village.objects.count()
    # the largest places come first: they are labelled first when names would overlap
    pops = [f["properties"]["population"] or 0 for f in kinds["place"]]
    assert pops == sorted(pops, reverse=True)


@pytest.mark.django_db
def test_a_renamed_village_shows_at_once_and_an_unchanged_map_is_not_sent_again(client, territory):
    first = client.get("/api/basemap")
    again = client.get("/api/basemap", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    kemmel = territory["villages"]["kemmel"]
    kemmel.name_fr = "Kemmel-village"
    kemmel.save()
    changed = client.get("/api/basemap", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert any(f["properties"].get("name_fr") == "Kemmel-village" for f in changed.json()["features"])


@pytest.mark.django_db
def test_a_missing_source_is_said_plainly(client, territory, settings, tmp_path):
    settings.BASEMAP_SOURCE = tmp_path / "nowhere.json"
    r = client.get("/api/basemap")
    assert r.status_code == 503 and "make assets" in r.json()["detail"]


@pytest.mark.django_db
def test_the_main_roads_of_an_imported_network_join_the_base_map(client, territory, tmp_path, settings):
    from django.core.management import call_command

    from tests.analysis.test_network import osm_road

    settings.VAR_DIR = tmp_path
    before = client.get("/api/basemap")
    assert not [f for f in before.json()["features"] if f["properties"]["kind"] == "road"]  # no network yet
    lons = [2.74 + 0.002 * i for i in range(50)]
    osm_road(tmp_path / "main.osm", lons, tags='<tag k="highway" v="primary"/>')
    # a lane and a footpath stay off the base map (they route, but would clutter the whole region's map)
    osm_road(tmp_path / "lane.osm", lons, first_id=1000, way_id=300, tags='<tag k="highway" v="residential"/>')
    call_command("import_network", str(tmp_path / "main.osm"), str(tmp_path / "lane.osm"), "--no-compute")
    after = client.get("/api/basemap", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200  # a new network is a new base map
    roads = [f for f in after.json()["features"] if f["properties"]["kind"] == "road"]
    assert [r["properties"]["class"] for r in roads] == ["primary"]
    coords = roads[0]["geometry"]["coordinates"]
    # one straight road: simplified to its two ends, drawn where it runs
    assert coords[0] == pytest.approx([2.74, 50.782], abs=1e-4) and coords[-1] == pytest.approx([2.838, 50.782], abs=1e-4)
    kinds = [f["properties"]["kind"] for f in after.json()["features"]]
    assert kinds.index("road") < kinds.index("place")  # labels are drawn over the roads
