"""Snapping (partons.access.snap) and the two travel models (partons.access.model): the network model on a
small hand-made graph, and the straight-line fallback.

The network (metres, walking edges of 100 m at 4.8 km/h = 100 / 1.3333 = 75 s = 750 ds):

       5 (0, 60) <=> 6 (40, 60)                       an island of two nodes, strongly connected
       0 (0, 0) <=> 1 (100, 0) <=> 2 (200, 0) <=> 3 (300, 0) <=> 4 (400, 0)     the main part

Origins:   O0 (0, 50) → node 0 at 50 m (island node 5 is only 10 m away: not used)
           O1 (400, -30) → node 4 at 30 m;  O2 (0, -800) → 800 m from node 0: beyond 500 m, rejected
           O3 (200, 0) → node 2 at 0 m
Facilities: F (label 101) at (100, 20) → node 1 at 20 m;  G (label 102) at (400, 40) → node 4 at 40 m
            H (label 103) at (0, -10) → node 0 at 10 m (opened in scenarios)
"""
import numpy as np
import pytest

from partons.access.graph import Graph
from partons.access.model import STRAIGHT_LINE, Facilities, NetworkModel, StraightLineModel
from partons.access.modes import BIKE, CAR, WALK
from partons.access.snap import Snapper

X = [0.0, 100.0, 200.0, 300.0, 400.0, 0.0, 40.0]
Y = [0.0, 0.0, 0.0, 0.0, 0.0, 60.0, 60.0]
ORIGINS_X = [0.0, 400.0, 0.0, 200.0]
ORIGINS_Y = [50.0, -30.0, -800.0, 0.0]
F = Facilities([100.0], [20.0], [101])
G = Facilities([400.0], [40.0], [102])
H = Facilities([0.0], [-10.0], [103])
FG = F.plus(G)


def make_graph():
    src, dst = [], []
    for a, b in [(0, 1), (1, 2), (2, 3), (3, 4), (5, 6)]:
        src += [a, b]
        dst += [b, a]
    length = [100.0] * 8 + [40.0] * 2
    t = [750] * 8 + [300] * 2  # 40 m at 4.8 km/h = 30 s
    return Graph.from_edges("walk", X, Y, src, dst, t, length)


@pytest.fixture
def graph():
    return make_graph()


def walk_model(graph, **kw):
    m = NetworkModel(graph, WALK, **kw)
    m.set_origins(ORIGINS_X, ORIGINS_Y)
    return m


# --- snapping --------------------------------------------------------------------------------------------

def test_main_component_leaves_out_the_island(graph):
    assert graph.main_component().tolist() == [True] * 5 + [False, False]


def test_snap_goes_to_the_main_network_not_to_a_nearer_island(graph):
    # (0, 50): island node 5 is 10 m away, node 0 of the main part 50 m. (40, 70): island node 6 at 10 m,
    # node 0 at √(40² + 70²) = 80.62 m, node 1 at √(60² + 70²) = 92.20 m.
    s = Snapper(graph, 500).snap([0.0, 40.0], [50.0, 70.0])
    assert s.node.tolist() == [0, 0]
    assert s.distance_m == pytest.approx([50.0, 80.6226])
    assert s.ok.tolist() == [True, True]
    assert s.rejected.tolist() == []


def test_point_beyond_the_snapping_distance_is_rejected_not_snapped(graph):
    # (0, -800) is 800 m from node 0, the nearest: beyond 500 m.
    s = Snapper(graph, 500).snap([0.0, 0.0], [-800.0, -499.0])
    assert s.ok.tolist() == [False, True]
    assert s.node.tolist() == [-1, 0]
    assert s.rejected.tolist() == [0]


def test_island_within_reach_does_not_rescue_a_point_too_far_from_the_main_network(graph):
    # Max 30 m: (0, 50) is 10 m from island node 5 but 50 m from the main part → rejected.
    s = Snapper(graph, 30).snap([0.0], [50.0])
    assert s.rejected.tolist() == [0]
    assert s.node.tolist() == [-1]


def test_set_origins_returns_the_rejected_origins(graph):
    m = NetworkModel(graph, WALK, max_snap_m=500)
    assert m.set_origins(ORIGINS_X, ORIGINS_Y).tolist() == [2]


# --- network model -----------------------------------------------------------------------------------------
# Per node, walking, to F or G (facility legs at 4.8 km/h: F 20 m = 15 s = 150 ds, G 40 m = 30 s = 300 ds):
#   node 0: F 750 + 150 = 900 ds (G 3000 + 300 = 3300)     node 1: F 150
#   node 2: F 750 + 150 = 900 ds (G 1500 + 300 = 1800)     node 3: G 750 + 300 = 1050 (F 1500 + 150 = 1650)
#   node 4: G 300
# Origins add their own leg at 4.8 km/h:
#   O0: 90 s + 50 m / 1.3333 = 37.5 s → 127.5 s, 100 + 20 + 50 = 170 m, F
#   O1: 30 s + 30 m → 22.5 s → 52.5 s, 40 + 30 = 70 m, G
#   O2: off the network → inf, -1
#   O3: 90 s + 0 → 90 s, 120 m, F

def test_network_times_at_origins(graph):
    m = walk_model(graph)
    r = m.at_origins(m.search(FG))
    assert r.time_s.tolist() == pytest.approx([127.5, 52.5, np.inf, 90.0])
    assert r.length_m.tolist() == pytest.approx([170.0, 70.0, np.inf, 120.0])
    assert r.facility.tolist() == [101, 102, -1, 101]
    assert r.method == "network"


@pytest.mark.parametrize("mode, expected", [
    # O0 with each mode's connector speed (F's leg and O0's leg), the graph's 750 ds edge unchanged:
    (WALK, 127.5),  # 4.8 km/h: F 20 m = 15 s, O0 50 m = 37.5 s → 75 + 15 + 37.5
    (BIKE, 100.2),  # 10 km/h (2.778 m/s): F 7.2 s, O0 18 s → 75 + 7.2 + 18
    (CAR, 91.8),  # 15 km/h (4.167 m/s): F 4.8 s, O0 12 s → 75 + 4.8 + 12
])
def test_connector_legs_use_the_mode_connector_speed(graph, mode, expected):
    m = NetworkModel(graph, mode)
    m.set_origins([0.0], [50.0])
    assert m.at_origins(m.search(FG)).time_s[0] == pytest.approx(expected)


def test_facility_off_the_network_is_reported_and_serves_nobody(graph):
    # A facility 900 m below node 2 cannot be snapped within 500 m.
    far = Facilities([200.0], [-900.0], [555])
    m = walk_model(graph)
    state = m.search(G.plus(far))
    assert state.unsnapped.tolist() == [555]
    assert m.at_origins(state).facility.tolist() == [102, 102, -1, 102]


def test_network_limit_applies_to_the_whole_trip(graph):
    # Limit 100 s: O0 needs 127.5 s (90 s to node 0 is within, its 37.5 s leg is not) → inf.
    m = walk_model(graph)
    r = m.at_origins(m.search(FG, limit_s=100))
    assert r.time_s.tolist() == pytest.approx([np.inf, 52.5, np.inf, 90.0])
    assert r.facility.tolist() == [-1, 102, -1, 101]


def test_search_many_equals_separate_searches(graph):
    m = walk_model(graph)
    states = m.search_many([F, G, FG])
    for facilities, state in zip([F, G, FG], states):
        alone = m.at_origins(m.search(facilities))
        assert m.at_origins(state).time_s.tolist() == pytest.approx(alone.time_s.tolist())
    # G alone: O3 → node 2, G 1500 + 300 = 1800 ds = 180 s.
    assert m.at_origins(states[1]).time_s[3] == pytest.approx(180.0)


def test_network_mean_of_two_nearest(graph):
    # O0: node 0, F 900 and G 3300 → mean 2100 ds = 210 s, + 37.5 s = 247.5 s
    # O1: node 4, G 300 and F 2250 + 150 = 2400 → 1350 ds = 135 s, + 22.5 s = 157.5 s
    # O2: off the network → inf;  O3: node 2, F 900 and G 1800 → 135 s
    m = walk_model(graph)
    assert m.mean_k(FG, 2).tolist() == pytest.approx([247.5, 157.5, np.inf, 135.0])


def test_network_mean_with_fewer_facilities_than_k_is_inf(graph):
    m = walk_model(graph)
    assert np.isinf(m.mean_k(FG, 3)).all()


def test_network_mean_of_one_agrees_with_the_nearest_under_a_limit(graph):
    # k = 1 is the nearest facility: with a 100 s limit, O0 (127.5 s in all) is beyond it, as at_origins says.
    m = walk_model(graph)
    nearest_one = m.at_origins(m.search(FG, limit_s=100)).time_s
    assert nearest_one.tolist() == pytest.approx([np.inf, 52.5, np.inf, 90.0])
    assert m.mean_k(FG, 1, limit_s=100).tolist() == pytest.approx(nearest_one.tolist())


# --- network scenarios ---------------------------------------------------------------------------------------

def test_network_close_gives_the_next_nearest(graph):
    # F closes: O0 → G via node 0: 3300 ds = 330 s + 37.5 = 367.5 s; O3 → G 1800 ds = 180 s; O1 unchanged.
    m = walk_model(graph)
    closed = m.close(m.search(FG), [101])
    r = m.at_origins(closed)
    assert r.time_s.tolist() == pytest.approx([367.5, 52.5, np.inf, 180.0])
    assert r.facility.tolist() == [102, 102, -1, 102]
    assert r.length_m.tolist() == pytest.approx([40 + 400 + 50, 70.0, np.inf, 40 + 200])


def test_network_open_only_improves(graph):
    # H opens (node 0, 10 m leg = 7.5 s = 75 ds): O0 → 7.5 + 37.5 = 45 s, H, 60 m;
    # O3 keeps F (900 < 75 + 1500); O1 keeps G.
    m = walk_model(graph)
    base = m.search(FG)
    opened = m.at_origins(m.open(base, H))
    assert opened.time_s.tolist() == pytest.approx([45.0, 52.5, np.inf, 90.0])
    assert opened.facility.tolist() == [103, 102, -1, 101]
    assert opened.length_m[0] == pytest.approx(60.0)
    before = m.at_origins(base).time_s
    assert (opened.time_s[np.isfinite(before)] <= before[np.isfinite(before)]).all()


def test_network_close_then_open(graph):
    # F closes, H opens: O0 → H 45 s; O3 → H 75 + 1500 = 1575 ds = 157.5 s (G 180 s), 210 m.
    m = walk_model(graph)
    state = m.open(m.close(m.search(FG), [101]), H)
    r = m.at_origins(state)
    assert r.time_s.tolist() == pytest.approx([45.0, 52.5, np.inf, 157.5])
    assert r.facility.tolist() == [103, 102, -1, 103]
    assert r.length_m[3] == pytest.approx(210.0)


def test_network_close_then_reopen_returns_the_original(graph):
    m = walk_model(graph)
    base = m.search(FG)
    again = m.at_origins(m.open(m.close(base, [101]), F))
    first = m.at_origins(base)
    assert again.time_s.tolist() == pytest.approx(first.time_s.tolist())
    assert again.facility.tolist() == first.facility.tolist()


def test_network_close_after_reopen_closes_again(graph):
    # F closed, reopened, closed again: as after the first close.
    m = walk_model(graph)
    state = m.close(m.open(m.close(m.search(FG), [101]), F), [101])
    assert m.at_origins(state).time_s.tolist() == pytest.approx([367.5, 52.5, np.inf, 180.0])


def test_network_closing_every_facility_leaves_inf(graph):
    m = walk_model(graph)
    r = m.at_origins(m.close(m.close(m.search(FG), [101]), [102]))
    assert np.isinf(r.time_s).all()
    assert r.facility.tolist() == [-1] * 4


def test_network_scenarios_equal_a_new_search(graph):
    m = walk_model(graph)
    after = m.at_origins(m.open(m.close(m.search(FG), [102]), H))
    fresh = m.at_origins(m.search(F.plus(H)))
    assert after.time_s.tolist() == pytest.approx(fresh.time_s.tolist())
    assert after.facility.tolist() == fresh.facility.tolist()


# --- straight-line model -----------------------------------------------------------------------------------
# Walking: crow-flies × 1.3 at 4.8 km/h (1.3333 m/s). Origin (0, 0):
#   P (label 1) at (1000, 0):  1000 × 1.3 = 1300 m → 975 s
#   Q (label 2) at (0, 2000):  2600 m → 1950 s
#   R (label 3) at (300, 400): 500 m crow-flies → 650 m → 487.5 s (opened in scenarios)
P = Facilities([1000.0], [0.0], [1])
Q = Facilities([0.0], [2000.0], [2])
R = Facilities([300.0], [400.0], [3])
PQ = P.plus(Q)


def straight(mode=WALK, x=(0.0,), y=(0.0,)):
    m = StraightLineModel(mode)
    assert m.set_origins(list(x), list(y)).tolist() == []  # every origin is usable
    return m


def test_straight_line_time_is_distance_times_circuity_over_speed():
    m = straight()
    r = m.at_origins(m.search(PQ))
    assert r.time_s.tolist() == pytest.approx([975.0])
    assert r.length_m.tolist() == pytest.approx([1300.0])
    assert r.facility.tolist() == [1]
    assert r.method == STRAIGHT_LINE


def test_straight_line_car_uses_its_circuity_and_speed():
    # Car: 1000 m × 1.35 = 1350 m at 50 km/h (13.889 m/s) = 97.2 s.
    m = straight(CAR)
    assert m.at_origins(m.search(P)).time_s.tolist() == pytest.approx([97.2])


def test_straight_line_mean_of_k_nearest():
    # Origin (0, 0): P 975 s, Q 1950 s. Origin (1000, 2000): Q 1000 m away → 975 s, P 2000 m → 1950 s.
    # k = 2: (975 + 1950) / 2 = 1462.5 s for both; k = 1: 975 s for both.
    m = straight(x=(0.0, 1000.0), y=(0.0, 2000.0))
    assert m.mean_k(PQ, 2).tolist() == pytest.approx([1462.5, 1462.5])
    assert m.mean_k(PQ, 1).tolist() == pytest.approx([975.0, 975.0])


def test_straight_line_mean_with_fewer_facilities_than_k_is_inf():
    m = straight()
    assert np.isinf(m.mean_k(PQ, 3)).all()


def test_straight_line_limit_gives_inf():
    m = straight()
    assert m.at_origins(m.search(PQ, limit_s=1000)).time_s.tolist() == pytest.approx([975.0])
    beyond = m.at_origins(m.search(PQ, limit_s=900))
    assert np.isinf(beyond.time_s).all() and beyond.facility.tolist() == [-1]
    # The mean of two with a 1000 s limit: Q (1950 s) is beyond → inf.
    assert np.isinf(m.mean_k(PQ, 2, limit_s=1000)).all()


def test_straight_line_close_and_open():
    m = straight()
    base = m.search(PQ)
    closed = m.close(base, [1])
    assert m.at_origins(closed).time_s.tolist() == pytest.approx([1950.0])
    assert m.at_origins(closed).facility.tolist() == [2]
    opened = m.open(closed, R)
    assert m.at_origins(opened).time_s.tolist() == pytest.approx([487.5])
    assert m.at_origins(opened).facility.tolist() == [3]
    back = m.open(m.close(base, [1]), P)
    assert m.at_origins(back).time_s.tolist() == pytest.approx([975.0])
    assert m.at_origins(back).facility.tolist() == [1]


def test_straight_line_closing_every_facility_leaves_inf():
    m = straight()
    r = m.at_origins(m.close(m.search(PQ), [1, 2]))
    assert np.isinf(r.time_s).all() and r.facility.tolist() == [-1]
