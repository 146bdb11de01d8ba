"""Graph building and nearest-facility searches (partons.access.graph / .nearest), checked against
answers worked out by hand on small graphs, and against SciPy's Dijkstra on a random graph.

Times are integer tenths of a second ("ds"); "to" means the time *from* each node *to* the nearest
source (what a resident travels), so a one-way street must be followed in its own direction.

The one-way graph (fixtures ``one_way`` and ``ab``, see tests/access/graphs.py), car, seven nodes:

    0 <=100=> 1 --50--> 2 <=100=> 3 <=400=> 4 <=3000=> 6        5 (no road)

``<=t=>`` a two-way road of t ds, ``--t-->`` a one-way street (1 to 2 only). Lengths: half the ds in
metres (0–1 50 m, 1→2 25 m, 2–3 50 m, 3–4 200 m, 4–6 1500 m). Facility A (label 10) at node 0, B
(label 20) at node 4.
"""
import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from partons.access.graph import Graph
from partons.access.nearest import INF_DS, Sources, nearest, nearest_k, nearest_many

from tests.access.graphs import (ONE_WAY_EDGES, check_against_reference, edge, graph_from, random_graph,
                                 random_sources, source_matrix, two_way)

INF = int(INF_DS)


# --- Graph.from_edges ----------------------------------------------------------------------------

def test_from_edges_keeps_fastest_parallel_edge_drops_loops_and_rounds_times():
    # 0→1 twice (120.4 ds / 60 m and 90 ds / 40 m): the 90 ds one stays with its own length;
    # 0→0 is a loop (dropped); 1→2 of 0 ds becomes 1 ds (weights >= 1); 2→0 of 33.6 ds rounds to 34.
    g = Graph.from_edges("walk", [0.0, 1.0, 2.0], [0.0, 0.0, 0.0], [0, 0, 0, 1, 2], [1, 1, 0, 2, 0],
                         [120.4, 90.0, 5.0, 0.0, 33.6], [60.0, 40.0, 1.0, 10.0, 20.0])
    assert g.n_nodes == 3
    assert g.n_edges == 3
    assert edge(g, 0, 1) == (90, 40.0)
    assert edge(g, 0, 0) is None
    assert edge(g, 1, 2) == (1, 10.0)
    assert edge(g, 2, 0) == (34, 20.0)
    assert edge(g, 1, 0) is None  # directed: no edge back unless given


def test_transpose_reverses_every_edge_with_its_weight():
    g = graph_from(7, ONE_WAY_EDGES)
    t = g.transpose()
    assert edge(t, 2, 1) == (50, 25.0)  # the one-way 1→2 read backwards
    assert edge(t, 1, 2) is None
    assert edge(t, 6, 4) == (3000, 1500.0)
    assert t.n_edges == g.n_edges == 9
    assert t.transpose() is g


def test_from_edges_rejects_an_edge_end_outside_the_nodes():
    with pytest.raises(ValueError):
        Graph.from_edges("walk", [0.0, 1.0], [0.0, 0.0], [0], [2], [10], [1.0])


def test_main_component_is_the_largest_strongly_connected_part(one_way):
    # {0, 1} is strongly connected (0<=>1) but 1→2 has no way back; {2, 3, 4, 6} is the largest
    # strongly connected part (four nodes); 5 has no road.
    assert one_way.main_component().tolist() == [False, False, True, True, True, False, True]


def test_save_and_load_round_trip(one_way, tmp_path):
    path = tmp_path / "car.npz"
    one_way.save(path)
    g = Graph.load(path)
    assert g.mode == "car"
    assert np.array_equal(g.indptr, one_way.indptr)
    assert np.array_equal(g.indices, one_way.indices)
    assert np.array_equal(g.time_ds, one_way.time_ds)
    assert np.array_equal(g.length_m, one_way.length_m)


# --- nearest ---------------------------------------------------------------------------------------

def test_nearest_to_follows_one_way_streets_in_their_direction(one_way, ab):
    # Time from each node TO the nearest facility (the search runs on the transpose):
    # node 0: at A                                   0 ds,    0 m, A
    # node 1: 1→0                                  100 ds,   50 m, A   (to B 1→2→3→4 = 550)
    # node 2: cannot take 1→2 backwards, so 2→3→4  500 ds,  250 m, B   (NOT A in 150 via 2→1→0)
    # node 3: 3→4                                  400 ds,  200 m, B
    # node 4: at B                                   0 ds,    0 m, B
    # node 5: no road                              INF,     inf,  -1
    # node 6: 6→4                                 3000 ds, 1500 m, B
    r = nearest(one_way, ab)
    assert r.time_ds.tolist() == [0, 100, 500, 400, 0, INF, 3000]
    assert r.source.tolist() == [10, 10, 20, 20, 20, -1, 20]
    assert r.length_m.tolist() == [0, 50, 250, 200, 0, np.inf, 1500]
    assert r.time_s.tolist() == [0, 10, 50, 40, 0, np.inf, 300]


def test_nearest_from_follows_one_way_streets_from_the_sources(one_way, ab):
    # Time FROM the nearest facility to each node (no transpose):
    # node 2: 0→1→2 = 100 + 50 = 150 ds, 75 m, A (B: 4→3→2 = 500)
    # node 3: 0→1→2→3 = 250 ds, 125 m, A (B: 4→3 = 400)
    r = nearest(one_way, ab, direction="from")
    assert r.time_ds.tolist() == [0, 100, 150, 250, 0, INF, 3000]
    assert r.source.tolist() == [10, 10, 10, 10, 20, -1, 20]
    assert r.length_m.tolist() == [0, 50, 75, 125, 0, np.inf, 1500]


def test_nearest_beyond_limit_is_inf_and_has_no_source(one_way, ab):
    # limit 200 s = 2000 ds: node 6 (3000 ds) is beyond it, node 5 stays unreachable; the rest as without limit.
    r = nearest(one_way, ab, limit_s=200)
    assert r.time_ds.tolist() == [0, 100, 500, 400, 0, INF, INF]
    assert r.source.tolist() == [10, 10, 20, 20, 20, -1, -1]
    assert r.length_m[5] == np.inf and r.length_m[6] == np.inf
    assert r.time_s[6] == np.inf


def test_nearest_limit_is_inclusive(one_way, ab):
    # 6→4 takes exactly 3000 ds = 300 s: a limit of 300 s keeps it.
    r = nearest(one_way, ab, limit_s=300)
    assert r.time_ds[6] == 3000 and r.source[6] == 20


def test_nearest_adds_the_facility_snapping_leg(one_way):
    # A's door is 30 ds / 12 m from node 0, B's 700 ds / 280 m from node 4:
    # node 1: to A 100 + 30 = 130 ds, 50 + 12 = 62 m
    # node 3: to B 400 + 700 = 1100 ds; A unreachable from 3 → B, 200 + 280 = 480 m
    # node 4: B itself 700 ds, 280 m
    r = nearest(one_way, Sources(node=[0, 4], offset_ds=[30, 700], offset_m=[12, 280], label=[10, 20]))
    assert r.time_ds[[0, 1, 3, 4]].tolist() == [30, 130, 1100, 700]
    assert r.length_m[[0, 1, 3, 4]].tolist() == [12, 62, 480, 280]
    assert r.source[[0, 1, 3, 4]].tolist() == [10, 10, 20, 20]


def test_nearest_default_labels_are_source_positions(one_way):
    r = nearest(one_way, Sources(node=[0, 4]))
    assert r.source.tolist() == [0, 0, 1, 1, 1, -1, 1]


def test_nearest_rejects_an_unknown_direction(one_way, ab):
    with pytest.raises(ValueError):
        nearest(one_way, ab, direction="sideways")


def test_nearest_many_equals_one_search_per_category(one_way):
    cats = [Sources(node=[0, 4], label=[10, 20]), Sources(node=[3], label=[7]), Sources(node=[6], label=[8])]
    many = nearest_many(one_way, cats, limit_s=200, workers=3)
    for s, r in zip(cats, many):
        alone = nearest(one_way, s, limit_s=200)
        assert r.time_ds.tolist() == alone.time_ds.tolist()
        assert r.source.tolist() == alone.source.tolist()
    # Facility 7 at node 3: node 2 → 2→3 = 100 ds; node 1 → 1→2→3 = 150; node 0 → 250.
    assert many[1].time_ds[[0, 1, 2, 3]].tolist() == [250, 150, 100, 0]


# --- nearest_k -------------------------------------------------------------------------------------
# A two-way line; positions (ds from node 0) 0, 10, 30, 60, 100:
#     0 --10-- 1 --20-- 2 --30-- 3 --40-- 4
# Facilities: label 0 at node 0, label 1 at node 2, labels 2 AND 3 both at node 4 (two shops, one node).

@pytest.fixture
def line():
    edges = two_way(0, 1, 10, 1) + two_way(1, 2, 20, 2) + two_way(2, 3, 30, 3) + two_way(3, 4, 40, 4)
    return graph_from(5, edges, mode="walk")


LINE_SOURCES = Sources(node=[0, 2, 4, 4], label=[0, 1, 2, 3])


def test_nearest_k_two_nearest(line):
    # node 0: label 0 at 0, label 1 at 30               → [0, 30]
    # node 1: label 0 at 10, label 1 at 20              → [10, 20]
    # node 2: label 1 at 0, label 0 at 30 (4: 70)       → [0, 30]
    # node 3: label 1 at 30, labels 2 and 3 at 40       → [30, 40] (second is 2 or 3)
    # node 4: labels 2 and 3 both at 0 (two facilities) → [0, 0]
    t, lab = nearest_k(line, LINE_SOURCES, 2)
    assert t.tolist() == [[0, 30], [10, 20], [0, 30], [30, 40], [0, 0]]
    assert lab[:3].tolist() == [[0, 1], [0, 1], [1, 0]]
    assert lab[3, 0] == 1 and lab[3, 1] in (2, 3)
    assert sorted(lab[4]) == [2, 3]


def test_nearest_k_three_nearest(line):
    # node 0: 0, 30, 100 (2 or 3)   node 1: 10, 20, 90   node 2: 0, 30, 70
    # node 3: 30 (1), 40 (2), 40 (3)                     node 4: 0 (2), 0 (3), 70 (1)
    t, lab = nearest_k(line, LINE_SOURCES, 3)
    assert t.tolist() == [[0, 30, 100], [10, 20, 90], [0, 30, 70], [30, 40, 40], [0, 0, 70]]
    assert lab[0, :2].tolist() == [0, 1] and lab[0, 2] in (2, 3)
    assert lab[2, :2].tolist() == [1, 0] and lab[2, 2] in (2, 3)
    assert lab[3, 0] == 1 and sorted(lab[3, 1:]) == [2, 3]
    assert sorted(lab[4, :2]) == [2, 3] and lab[4, 2] == 1


def test_nearest_k_labels_are_distinct_per_node(line):
    # Four facilities (two on node 4) and k=4: every node lists all four, each once.
    _, lab = nearest_k(line, LINE_SOURCES, 4)
    for row in lab:
        assert sorted(row.tolist()) == [0, 1, 2, 3]


def test_nearest_k_beyond_limit_is_inf(line):
    # limit 5 s = 50 ds: third nearest of nodes 0, 1, 2, 4 is 100, 90, 70, 70 ds → INF, label -1;
    # node 3 has all three within (30, 40, 40).
    t, lab = nearest_k(line, LINE_SOURCES, 3, limit_s=5)
    assert t.tolist() == [[0, 30, INF], [10, 20, INF], [0, 30, INF], [30, 40, 40], [0, 0, INF]]
    assert lab[[0, 1, 2, 4], 2].tolist() == [-1, -1, -1, -1]
    assert sorted(lab[3, 1:]) == [2, 3]


def test_nearest_k_to_follows_one_way_streets(one_way, ab):
    # node 0: A 0, B via 0→1→2→3→4 = 100 + 50 + 100 + 400 = 650
    # node 1: A 100, B 550; node 2: B 500 only (A not reachable from 2) → second INF
    # node 5: nothing; node 6: B 3000 only
    t, lab = nearest_k(one_way, ab, 2)
    assert t.tolist() == [[0, 650], [100, 550], [500, INF], [400, INF], [0, INF], [INF, INF], [3000, INF]]
    assert lab.tolist() == [[10, 20], [10, 20], [20, -1], [20, -1], [20, -1], [-1, -1], [20, -1]]


# --- against SciPy on a random graph ------------------------------------------------------------------

def test_nearest_equals_scipy_dijkstra_min_only_on_the_transpose():
    g, to_matrix, rng = random_graph()
    nodes = rng.choice(290, 12, replace=False)
    ref = dijkstra(to_matrix, directed=True, indices=nodes, min_only=True)
    r = nearest(g, Sources(node=nodes))
    expected = np.where(np.isfinite(ref), ref, INF).astype(np.int64)
    assert r.time_ds.astype(np.int64).tolist() == expected.tolist()
    assert (r.time_ds == INF).sum() >= 10  # the isolated nodes at least
    # Length = time on this graph, whichever of equal paths was taken.
    reached = r.time_ds != INF
    assert np.array_equal(r.length_m[reached], r.time_ds[reached].astype(np.float32))


@pytest.mark.parametrize("limit_s", [None, 150.0])
def test_nearest_with_offsets_and_limit_equals_reference(limit_s):
    g, to_matrix, rng = random_graph(seed=7)
    s = random_sources(rng, 15)
    r = nearest(g, s, limit_s=limit_s)
    check_against_reference(r, source_matrix(to_matrix, s), s, None if limit_s is None else limit_s * 10)


@pytest.mark.parametrize("k", [2, 3])
def test_nearest_k_equals_reference_on_random_graph(k):
    g, to_matrix, rng = random_graph(seed=11)
    s = random_sources(rng, 9)
    d = source_matrix(to_matrix, s)
    t, lab = nearest_k(g, s, k)
    expected = np.sort(d, axis=0)[:k].T
    expected = np.where(np.isfinite(expected), expected, INF).astype(np.int64)
    assert t.astype(np.int64).tolist() == expected.tolist()
    assert np.array_equal(lab == -1, t == INF)
    row = {int(x): i for i, x in enumerate(s.label)}
    for v in range(g.n_nodes):
        listed = [x for x in lab[v].tolist() if x != -1]
        assert len(set(listed)) == len(listed)
        assert [d[row[x], v] for x in listed] == t[v, :len(listed)].astype(float).tolist()
