"""Access along a road network loaded from OpenStreetMap: `partons import-network`, then figures that say so."""
import pytest
from django.utils import translation
from django.core.management import CommandError, call_command
from pyproj import Geod

from partons.analysis.models import AccessRun, RoadNetwork, VillageAccess

GEOD = Geod(ellps="GRS80")
LAT = 50.782  # a road running east–west between Loker (50.781) and Kemmel (50.783)


def osm_road(path, lons, first_id=1, way_id=100, tags='<tag k="highway" v="residential"/>'):
    nodes = "".join(f'<node id="{first_id + i}" lat="{LAT}" lon="{lon:.4f}" version="1"/>' for i, lon in enumerate(lons))
    refs = "".join(f'<nd ref="{first_id + i}"/>' for i in range(len(lons)))
    path.write_text(f'<?xml version="1.0"?><osm version="0.6" generator="test">{nodes}'
                    f'<way id="{way_id}" version="1">{refs}{tags}</way></osm>')
    return path


@pytest.fixture
def road(tmp_path):
    lons = [2.74 + 0.002 * i for i in range(50)]  # 2.740 … 2.838, one node every ~141 m
    return osm_road(tmp_path / "road.osm", lons), lons


@pytest.mark.django_db
def test_import_network_and_compute_along_it(territory, bakeries, road, tmp_path, settings, capsys):
    settings.VAR_DIR = tmp_path
    path, lons = road
    # Nearer the road node at 2.746 than the one at 2.744 (halfway would be a tie).
    type(bakeries["border"]).objects.filter(pk=bakeries["border"].pk).update(lon=2.7458)
    call_command("import_network", str(path))
    net = RoadNetwork.objects.get(active=True)
    assert net.summary["nodes"] == 50 and net.summary["edges_car"] == 98
    run = AccessRun.objects.filter(status="done").latest("finished_at")
    assert run.methods == {"walk": "network", "bike": "network", "car": "network"}
    loker = territory["villages"]["loker"]
    r = VillageAccess.objects.get(village=loker, category__code="bakery", mode="car", current=True)
    assert r.method == "network"
    assert r.nearest_facility == bakeries["border"]
    # Loker's centre (2.774, 50.781) snaps to the road node at 2.774 (111 m south of it); the French bakery
    # (2.7458, 50.785) to the node at 2.746 (~330 m away). Between the two nodes: 14 segments of the road at 30 km/h;
    # both snapping legs at 15 km/h.
    road_m = GEOD.inv(2.746, LAT, 2.774, LAT)[2]
    leg_village = GEOD.inv(2.774, 50.781, 2.774, LAT)[2]
    leg_bakery = GEOD.inv(2.7458, 50.785, 2.746, LAT)[2]
    expected_s = road_m / (30 / 3.6) + (leg_village + leg_bakery) / (15 / 3.6)
    assert r.centre_time_s == pytest.approx(expected_s, rel=0.02)
    assert r.centre_distance_m == pytest.approx(road_m + leg_village + leg_bakery, rel=0.02)
    # Ieper lies 7.7 km from this road, beyond the 500 m snapping distance: its residents are reported off the
    # network, not snapped onto it.
    ieper = VillageAccess.objects.get(village=territory["villages"]["ieper"], category__code="bakery", mode="car",
                                      current=True)
    assert ieper.off_network_population == pytest.approx(20601)
    assert ieper.centre_time_s is None and ieper.share_within is None
    assert run.details["points_off"] == {"walk": 116, "bike": 116, "car": 116}  # Ieper, Boeschepe, Bergues: 3 × 37 + …


@pytest.mark.django_db
def test_two_extracts_cut_at_the_border_make_one_network(territory, bakeries, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    # The French extract holds the road up to the border node; the Belgian one from there on: node 26 is in both.
    fr = osm_road(tmp_path / "fr.osm", [2.74 + 0.002 * i for i in range(26)], first_id=1, way_id=100)
    be = osm_road(tmp_path / "be.osm", [2.79 + 0.002 * i for i in range(25)], first_id=26, way_id=200)
    call_command("import_network", str(fr), str(be))
    kemmel = territory["villages"]["kemmel"]
    # Close Kemmel's own bakery: its residents' nearest is then the French one, reached across the border node.
    from partons.observatory.models import Facility

    Facility.objects.filter(pk=bakeries["kemmel"].pk).update(closed_on="2000-01-01")
    call_command("compute_access", "--category", "bakery")
    r = VillageAccess.objects.get(village=kemmel, category__code="bakery", mode="car", current=True)
    assert r.method == "network" and r.nearest_facility == bakeries["border"]
    assert r.cross_border_share == pytest.approx(1.0)
    assert r.centre_distance_m > GEOD.inv(2.746, LAT, 2.826, LAT)[2]


@pytest.mark.django_db
def test_import_network_errors_are_clear(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_network", str(tmp_path / "missing.osm.pbf"))
    bad = tmp_path / "roads.csv"
    bad.write_text("a,b\n")
    with pytest.raises(CommandError, match="expected an OpenStreetMap extract"):
        call_command("import_network", str(bad))
    empty = tmp_path / "empty.osm"
    empty.write_text('<?xml version="1.0"?><osm version="0.6"><node id="1" lat="50.8" lon="2.7" version="1"/></osm>')
    with pytest.raises(CommandError, match="no road or path"):
        call_command("import_network", str(empty))
    assert not RoadNetwork.objects.exists()


@pytest.mark.django_db
def test_compute_access_rejects_an_unknown_category():
    with pytest.raises(CommandError, match="unknown category 'bakkerij'"):
        call_command("compute_access", "--category", "bakkerij")


@pytest.mark.django_db
def test_services_beyond_the_snapping_distance_are_reported_not_snapped(territory, bakeries, road, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    from partons.observatory.models import Facility

    # A bakery 1.1 km north of the road (and of any other way): beyond the 500 m snapping distance.
    far = Facility.objects.create(category=bakeries["kemmel"].category, name="Far", lon=2.80, lat=50.792,
                                  village=territory["villages"]["kemmel"], source="test", source_id="far")
    call_command("import_network", str(road[0]))
    run = AccessRun.objects.filter(status="done").latest("finished_at")
    assert run.details["services_off"]["car"] == [far.pk]
    with translation.override("en"):
        assert "Services off the network" in run.summary() and str(far.pk) in run.summary()
    assert not VillageAccess.objects.filter(nearest_facility=far).exists()
