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
