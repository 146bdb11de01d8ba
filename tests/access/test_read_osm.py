"""Reading OpenStreetMap extracts into one graph per mode (partons.access.graph.read_osm) with the
rules of partons.access.modes, on tiny .osm files written by the tests.

Lengths by hand (haversine, R = 6 371 008.8 m):
- 0.001° of latitude along a meridian = R × 0.001 × π/180 = 111.195 m;
- 0.0010792° of latitude = 120.002 m (a "120 m" footway);
- along the parallel 50.82° N: 0.005° of longitude = 351.242 m, 0.010° = 702.485 m, 0.015° = 1053.727 m,
  0.045° = 3161.181 m.
Edge weights are tenths of a second (ds), rounded per edge: ds = length / (km/h / 3.6) × 10.
"""
import numpy as np
import pytest
from scipy.sparse.csgraph import connected_components

from partons.access.graph import NetworkError, project, read_osm
from partons.access.modes import BIKE, CAR, WALK
from partons.access.nearest import Sources, nearest

from tests.access.graphs import edge, osm_xml

MODES = [WALK, BIKE, CAR]


def node_at(g, lon, lat):
    """Index of the graph node at (lon, lat)."""
    x, y = project(lon, lat)
    hit = np.flatnonzero(np.isclose(g.x, x, atol=0.01) & np.isclose(g.y, y, atol=0.01))
    assert hit.size == 1, (lon, lat)
    return int(hit[0])


def ds(g, a, b):
    """Time of the edge from OSM point a to b (each (lon, lat)), None when the mode has no such edge."""
    e = edge(g, node_at(g, *a), node_at(g, *b))
    return None if e is None else e[0]


def close_to(value, expected, tol=1):
    return value is not None and abs(value - expected) <= tol


# --- access and speed rules ----------------------------------------------------------------------------
# One short way per column of longitude, each from 50.800° N to 50.801° N (111.195 m) unless said.
S, N = 50.800, 50.801
RULE_WAYS = {
    # key: (lon, tags)
    "footway": (2.601, {"highway": "footway"}),  # to 50.8010792: 120 m
    "motorway": (2.602, {"highway": "motorway"}),
    "oneway": (2.603, {"highway": "residential", "oneway": "yes"}),
    "oneway_bike_both": (2.604, {"highway": "residential", "oneway": "yes", "oneway:bicycle": "no"}),
    "private": (2.605, {"highway": "residential", "access": "private"}),
    "maxspeed20": (2.606, {"highway": "residential", "maxspeed": "20"}),
    "primary_maxspeed50": (2.607, {"highway": "primary", "maxspeed": "50"}),
    "motorway_maxspeed120": (2.608, {"highway": "motorway", "maxspeed": "120"}),
    "reverse": (2.609, {"highway": "residential", "oneway": "-1"}),
    "residential": (2.610, {"highway": "residential"}),
    "steps": (2.611, {"highway": "steps"}),
    "foot_no": (2.612, {"highway": "residential", "foot": "no"}),
    "private_foot_yes": (2.613, {"highway": "service", "access": "private", "foot": "yes"}),
    "roundabout": (2.614, {"highway": "residential", "junction": "roundabout"}),
    "area": (2.615, {"highway": "pedestrian", "area": "yes"}),
}
FOOTWAY_N = 50.8010792


def ends(key):
    lon = RULE_WAYS[key][0]
    return (lon, S), (lon, FOOTWAY_N if key == "footway" else N)


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    nodes, ways = {}, {}
    for i, (key, (lon, tags)) in enumerate(RULE_WAYS.items()):
        a, b = ends(key)
        nodes[100 + 2 * i], nodes[101 + 2 * i] = a, b
        ways[1000 + i] = ([100 + 2 * i, 101 + 2 * i], tags)
    path = tmp_path_factory.mktemp("osm") / "rules.osm"
    path.write_text(osm_xml(nodes, ways), encoding="utf-8")
    graphs, summary = read_osm([path], MODES)
    return graphs, summary


def both(g, key):
    a, b = ends(key)
    return ds(g, a, b), ds(g, b, a)


def test_footway_120_m_takes_90_s_on_foot(rules):
    # 120 m at 4.8 km/h (1.333 m/s) = 90 s = 900 ds, both ways.
    fw, bw = both(rules[0]["walk"], "footway")
    assert close_to(fw, 900) and close_to(bw, 900)
    a, b = (node_at(rules[0]["walk"], *p) for p in ends("footway"))
    assert abs(edge(rules[0]["walk"], a, b)[1] - 120.0) < 0.05  # length in metres


def test_footway_is_pushed_by_bike_and_closed_to_cars(rules):
    # Bikes push at 15 / 3 = 5 km/h: 120 m / 1.389 m/s = 86.4 s = 864 ds.
    fw, bw = both(rules[0]["bike"], "footway")
    assert close_to(fw, 864) and close_to(bw, 864)
    assert both(rules[0]["car"], "footway") == (None, None)


def test_motorway_is_not_walkable_nor_cyclable(rules):
    assert both(rules[0]["walk"], "motorway") == (None, None)
    assert both(rules[0]["bike"], "motorway") == (None, None)


def test_motorway_is_one_way_for_cars_at_110(rules):
    # Implied one-way, 111.195 m at 110 km/h (30.556 m/s) = 3.639 s = 36 ds.
    fw, bw = both(rules[0]["car"], "motorway")
    assert close_to(fw, 36) and bw is None


def test_oneway_street_is_one_way_for_cars_and_bikes_not_for_walkers(rules):
    # 111.195 m: car 30 km/h → 133.4 ds; bike 15 km/h → 266.9 ds; walk 4.8 km/h → 834.0 ds.
    fw, bw = both(rules[0]["car"], "oneway")
    assert close_to(fw, 133) and bw is None
    fw, bw = both(rules[0]["bike"], "oneway")
    assert close_to(fw, 267) and bw is None
    fw, bw = both(rules[0]["walk"], "oneway")
    assert close_to(fw, 834) and close_to(bw, 834)


def test_oneway_bicycle_no_lets_bikes_go_both_ways(rules):
    fw, bw = both(rules[0]["bike"], "oneway_bike_both")
    assert close_to(fw, 267) and close_to(bw, 267)
    fw, bw = both(rules[0]["car"], "oneway_bike_both")
    assert close_to(fw, 133) and bw is None


def test_oneway_minus_one_runs_backwards(rules):
    fw, bw = both(rules[0]["car"], "reverse")
    assert fw is None and close_to(bw, 133)
    fw, bw = both(rules[0]["bike"], "reverse")
    assert fw is None and close_to(bw, 267)
    fw, bw = both(rules[0]["walk"], "reverse")
    assert close_to(fw, 834) and close_to(bw, 834)


def test_roundabout_is_one_way_for_cars_and_bikes(rules):
    assert both(rules[0]["car"], "roundabout")[1] is None
    assert both(rules[0]["bike"], "roundabout")[1] is None
    assert close_to(both(rules[0]["walk"], "roundabout")[1], 834)


def test_private_access_is_excluded_for_every_mode(rules):
    for mode in ("walk", "bike", "car"):
        assert both(rules[0][mode], "private") == (None, None), mode


def test_private_way_open_to_walkers_by_foot_yes(rules):
    fw, bw = both(rules[0]["walk"], "private_foot_yes")
    assert close_to(fw, 834) and close_to(bw, 834)
    assert both(rules[0]["car"], "private_foot_yes") == (None, None)
    assert both(rules[0]["bike"], "private_foot_yes") == (None, None)


def test_foot_no_closes_a_street_to_walkers_only(rules):
    assert both(rules[0]["walk"], "foot_no") == (None, None)
    assert close_to(both(rules[0]["bike"], "foot_no")[0], 267)
    assert close_to(both(rules[0]["car"], "foot_no")[0], 133)


def test_steps_are_for_walkers_only(rules):
    assert close_to(both(rules[0]["walk"], "steps")[0], 834)
    assert both(rules[0]["bike"], "steps") == (None, None)
    assert both(rules[0]["car"], "steps") == (None, None)


def test_area_is_not_a_way(rules):
    for mode in ("walk", "bike", "car"):
        assert both(rules[0][mode], "area") == (None, None), mode


def test_residential_car_speed_is_30_without_maxspeed(rules):
    fw, bw = both(rules[0]["car"], "residential")
    assert close_to(fw, 133) and close_to(bw, 133)


def test_maxspeed_lowers_the_car_speed(rules):
    # maxspeed=20 on a residential street: min(30, 0.9 × 20) = 18 km/h (5 m/s): 111.195 m = 22.24 s = 222 ds.
    fw, bw = both(rules[0]["car"], "maxspeed20")
    assert close_to(fw, 222) and close_to(bw, 222)
    # maxspeed=50 on a primary road: min(70, 45) = 45 km/h (12.5 m/s): 8.896 s = 89 ds.
    fw, bw = both(rules[0]["car"], "primary_maxspeed50")
    assert close_to(fw, 89) and close_to(bw, 89)
    # Walkers and cyclists keep their own speed on the maxspeed=20 street.
    assert close_to(both(rules[0]["walk"], "maxspeed20")[0], 834)
    assert close_to(both(rules[0]["bike"], "maxspeed20")[0], 267)


def test_motorway_maxspeed_sets_the_car_speed(rules):
    # maxspeed=120 on a motorway: 0.9 × 120 = 108 km/h (30 m/s): 111.195 m = 3.7065 s = 37 ds (not 36 at 110).
    fw, bw = both(rules[0]["car"], "motorway_maxspeed120")
    assert close_to(fw, 37, tol=0) and bw is None


def test_every_way_node_is_in_every_mode_graph(rules):
    graphs, summary = rules
    assert summary["ways"] == len(RULE_WAYS)
    assert summary["nodes"] == 2 * len(RULE_WAYS)
    for g in graphs.values():
        assert g.n_nodes == 2 * len(RULE_WAYS)
    # Edge counts, way by way from the rules above. walk (not motorway ×2, private, foot_no, area):
    # footway 2, oneway 2, oneway_bike_both 2, maxspeed20 2, primary 2, reverse 2, residential 2, steps 2,
    # private_foot_yes 2, roundabout 2 = 20.
    assert graphs["walk"].n_edges == 20
    # bike: footway 2, oneway 1, oneway_bike_both 2, maxspeed20 2, primary 2, reverse 1, residential 2,
    # foot_no 2, roundabout 1 = 15.
    assert graphs["bike"].n_edges == 15
    # car: motorway 1, oneway 1, oneway_bike_both 1, maxspeed20 2, primary 2, motorway 120 1, reverse 1,
    # residential 2, foot_no 2, roundabout 1 = 14.
    assert graphs["car"].n_edges == 14


# --- across the border ----------------------------------------------------------------------------------
# Along the parallel 50.82° N, between Steenvoorde (France, west) and Poperinge (Belgium, east); the border
# is taken at 2.660° E here:
#
#   1 (2.640, FR) --way 100-- 2 (2.655, FR) --way 200-- 3 (2.665, BE) --way 300-- 4 (2.675, BE) -- 5 (2.720, BE)
#   French shop                                                         resident     Belgian shop
#
# Walking (4.8 km/h), rounded per edge: 1–2 0.015° = 1053.727 m = 7902.95 → 7903 ds; 2–3 and 3–4 0.010°
# = 702.485 m = 5268.63 → 5269 ds; 4–5 0.045° = 3161.181 m = 23708.86 → 23709 ds.
# Resident at 4: to the French shop 4→3→2→1 = 5269 + 5269 + 7903 = 18441 ds (30.7 min, 2458.70 m);
# to the Belgian shop 4→5 = 23709 ds. The nearest is in France.
LAT = 50.82
BORDER_NODES = {1: (2.640, LAT), 2: (2.655, LAT), 3: (2.665, LAT), 4: (2.675, LAT), 5: (2.720, LAT)}
FR_SHOP, RESIDENT, BE_SHOP = BORDER_NODES[1], BORDER_NODES[4], BORDER_NODES[5]
WAY_FR = (100, ([1, 2], {"highway": "residential"}))
WAY_BORDER = (200, ([2, 3], {"highway": "residential"}))
WAY_BE = (300, ([3, 4, 5], {"highway": "residential", "name": "Abeelseweg"}))


def pick(d, keys):
    return {k: d[k] for k in keys}


def shops_and_resident(g):
    """Nearest shop (label 1 France, 2 Belgium) and its time for the resident, walking."""
    r = nearest(g, Sources(node=[node_at(g, *FR_SHOP), node_at(g, *BE_SHOP)], label=[1, 2]))
    v = node_at(g, *RESIDENT)
    return int(r.source[v]), int(r.time_ds[v]), float(r.length_m[v])


def test_nearest_shop_of_a_belgian_resident_is_in_france(write_osm):
    path = write_osm("westhoek.osm", BORDER_NODES, dict([WAY_FR, WAY_BORDER, WAY_BE]))
    graphs, _ = read_osm([path], [WALK])
    source, t, length = shops_and_resident(graphs["walk"])
    assert source == 1
    assert abs(t - 18441) <= 3
    assert abs(length - 2458.70) < 0.5


def test_two_overlapping_extracts_make_one_connected_graph(write_osm):
    # France's extract holds its street and the border way (nodes 1, 2, 3); Belgium's holds the border way
    # too and its own street (nodes 2, 3, 4, 5). Way 200 is read once, nodes 2 and 3 are shared by id.
    fr = write_osm("fr.osm", pick(BORDER_NODES, [1, 2, 3]), dict([WAY_FR, WAY_BORDER]))
    be = write_osm("be.osm", pick(BORDER_NODES, [2, 3, 4, 5]), dict([WAY_BORDER, WAY_BE]))
    graphs, summary = read_osm([fr, be], [WALK])
    g = graphs["walk"]
    assert summary["ways"] == 3
    assert summary["nodes"] == 5
    assert [f["ways"] for f in summary["files"]] == [2, 1]  # the border way counted once, in the first file
    assert g.n_nodes == 5
    assert g.n_edges == 8  # four segments, both ways
    n_parts, _ = connected_components(g.csr(), directed=True, connection="strong")
    assert n_parts == 1
    source, t, _ = shops_and_resident(g)
    assert source == 1 and abs(t - 18441) <= 3


def test_extract_order_does_not_matter(write_osm):
    fr = write_osm("fr.osm", pick(BORDER_NODES, [1, 2, 3]), dict([WAY_FR, WAY_BORDER]))
    be = write_osm("be.osm", pick(BORDER_NODES, [2, 3, 4, 5]), dict([WAY_BORDER, WAY_BE]))
    a = read_osm([fr, be], [WALK])[0]["walk"]
    b = read_osm([be, fr], [WALK])[0]["walk"]
    assert a.n_nodes == b.n_nodes == 5 and a.n_edges == b.n_edges == 8
    assert shops_and_resident(a)[:2] == shops_and_resident(b)[:2]


def test_belgian_extract_alone_knows_only_the_belgian_shop(write_osm):
    # Without the French extract the French shop is not on the map: the resident walks 4→5, 23709 ds.
    be = write_osm("be.osm", pick(BORDER_NODES, [2, 3, 4, 5]), dict([WAY_BORDER, WAY_BE]))
    g = read_osm([be], [WALK])[0]["walk"]
    assert g.n_nodes == 4
    r = nearest(g, Sources(node=[node_at(g, *BE_SHOP)], label=[2]))
    assert abs(int(r.time_ds[node_at(g, *RESIDENT)]) - 23709) <= 1


def test_border_way_cut_short_in_one_extract_is_completed_by_the_other(write_osm):
    # Extracts cut at the border (no complete ways): the border way 200 runs 2 (2.655, FR) – 6 (2.660,
    # on the border) – 3 (2.665, BE). France's file lacks node 3, Belgium's lacks node 2; together they
    # hold the whole way. The resident at 4 then walks 4→3→6→2→1:
    # 5269 + 2634 (0.005° = 351.242 m = 2634.32 ds) + 2634 + 7903 = 18440 ds, to the French shop.
    nodes = {**BORDER_NODES, 6: (2.660, LAT)}
    border = (200, ([2, 6, 3], {"highway": "residential"}))
    fr = write_osm("fr.osm", pick(nodes, [1, 2, 6]), dict([WAY_FR, border]))
    be = write_osm("be.osm", pick(nodes, [6, 3, 4, 5]), dict([border, WAY_BE]))
    g = read_osm([fr, be], [WALK])[0]["walk"]
    assert g.n_nodes == 6
    n_parts, _ = connected_components(g.csr(), directed=True, connection="strong")
    assert n_parts == 1
    source, t, _ = shops_and_resident(g)
    assert source == 1 and abs(t - 18440) <= 4


# --- unusable files --------------------------------------------------------------------------------------

def test_missing_file_is_a_network_error(tmp_path):
    with pytest.raises(NetworkError, match="no such file"):
        read_osm([tmp_path / "westhoek.osm"], [WALK])


def test_file_that_is_not_an_osm_extract_by_name_is_a_network_error(tmp_path):
    path = tmp_path / "roads.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(NetworkError, match="expected an OpenStreetMap extract"):
        read_osm([path], [WALK])


def test_unreadable_osm_file_is_a_network_error(tmp_path):
    path = tmp_path / "westhoek.osm"
    path.write_text("this is not XML", encoding="utf-8")
    with pytest.raises(NetworkError, match="not a readable"):
        read_osm([path], [WALK])


def test_osm_file_without_any_highway_is_a_network_error(write_osm):
    path = write_osm("buildings.osm", {1: (2.70, 50.80), 2: (2.701, 50.80), 3: (2.701, 50.801)},
                     {10: ([1, 2, 3, 1], {"building": "yes"})})
    with pytest.raises(NetworkError, match="no road or path"):
        read_osm([path], [WALK, CAR])


def test_network_error_is_a_value_error():
    assert issubclass(NetworkError, ValueError)
