"""Scenarios: ``nearest.close`` and ``nearest.open_`` update a search around a closed or opened facility.
Checked against hand-computed answers and, on a random graph, against a search from scratch."""
import numpy as np
import pytest

from partons.access.graph import Graph
from partons.access.nearest import INF_DS, Sources, close, nearest, open_

from tests.access.graphs import check_against_reference, random_graph, random_sources, source_matrix, without

INF = int(INF_DS)


# A two-way line, times in ds (positions 0, 10, 30, 70, 100, 150), lengths 3 m per ds:
#     0 --10-- 1 --20-- 2 --40-- 3 --30-- 4 --50-- 5
# Facilities: A (label 0) at node 0, B (label 1) at node 3, C (label 2) at node 5.
# Nearest, by hand:  node 0 A 0 | 1 A 10 (B 60) | 2 A 30 (B 40) | 3 B 0 | 4 B 30 (C 50) | 5 C 0
def make_line():
    steps = [(0, 1, 10), (1, 2, 20), (2, 3, 40), (3, 4, 30), (4, 5, 50)]
    src = [a for a, b, _ in steps] + [b for a, b, _ in steps]
    dst = [b for a, b, _ in steps] + [a for a, b, _ in steps]
    t = [w for *_, w in steps] * 2
    return Graph.from_edges("walk", np.arange(6.0), np.zeros(6), src, dst, t, [3.0 * w for w in t])


LINE_abC = Sources(node=[0, 3, 5], label=[0, 1, 2])


@pytest.fixture
def line():
    return make_line()


def test_base_line_answer(line):
    r = nearest(line, LINE_abC)
    assert r.time_ds.tolist() == [0, 10, 30, 0, 30, 0]
    assert r.source.tolist() == [0, 0, 0, 1, 1, 2]
    assert r.length_m.tolist() == [0, 30, 90, 0, 90, 0]


def test_close_gives_the_nodes_it_served_their_next_nearest(line):
    # B closes: node 3 → A 70 (C 80); node 4 → C 50 (A 100). Nodes 0, 1, 2, 5 keep their answer.
    base = nearest(line, LINE_abC)
    r = close(line, base, [1], without(LINE_abC, [1]))
    assert r.time_ds.tolist() == [0, 10, 30, 70, 50, 0]
    assert r.source.tolist() == [0, 0, 0, 0, 2, 2]
    assert r.length_m.tolist() == [0, 30, 90, 210, 150, 0]
    assert base.time_ds.tolist() == [0, 10, 30, 0, 30, 0]  # the base is not changed in place


def test_close_first_facility(line):
    # A closes: node 0 → B 70 (C 150), node 1 → B 60, node 2 → B 40.
    base = nearest(line, LINE_abC)
    r = close(line, base, [0], without(LINE_abC, [0]))
    assert r.time_ds.tolist() == [70, 60, 40, 0, 30, 0]
    assert r.source.tolist() == [1, 1, 1, 1, 1, 2]


def test_close_two_facilities_at_once(line):
    # A and B close: everything goes to C at node 5: 150, 140, 120, 80, 50, 0.
    base = nearest(line, LINE_abC)
    r = close(line, base, [0, 1], without(LINE_abC, [0, 1]))
    assert r.time_ds.tolist() == [150, 140, 120, 80, 50, 0]
    assert r.source.tolist() == [2] * 6


def test_close_respects_the_limit(line):
    # limit 6 s = 60 ds. B closes: node 3's next nearest are A 70 and C 80, both beyond → INF, -1;
    # node 4 → C 50.
    base = nearest(line, LINE_abC, limit_s=6)
    r = close(line, base, [1], without(LINE_abC, [1]))
    assert r.time_ds.tolist() == [0, 10, 30, INF, 50, 0]
    assert r.source.tolist() == [0, 0, 0, -1, 2, 2]
    assert r.length_m[3] == np.inf


def test_closing_the_only_facility_leaves_nothing(line):
    only = Sources(node=[3], label=[1])
    r = close(line, nearest(line, only), [1], without(only, [1]))
    assert r.time_ds.tolist() == [INF] * 6
    assert r.source.tolist() == [-1] * 6
    assert np.isinf(r.length_m).all()
    assert np.isinf(r.time_s).all()


def test_closing_a_facility_that_serves_nobody_changes_nothing(line):
    # A second shop D (label 9) at node 3 with a 50 ds leg: B (0 ds) always beats it.
    s = Sources(node=[0, 3, 5, 3], offset_ds=[0, 0, 0, 50], label=[0, 1, 2, 9])
    base = nearest(line, s)
    r = close(line, base, [9], without(s, [9]))
    assert r.time_ds.tolist() == base.time_ds.tolist() == [0, 10, 30, 0, 30, 0]
    assert r.source.tolist() == base.source.tolist()


def test_close_hands_a_node_to_another_facility_on_the_same_node(line):
    # Same as above, then B closes: D (50 ds leg) takes node 3 (A would be 70, C 80) and node 4
    # (D 50 + 30 = 80 > C 50, so node 4 goes to C).
    s = Sources(node=[0, 3, 5, 3], offset_ds=[0, 0, 0, 50], label=[0, 1, 2, 9])
    r = close(line, nearest(line, s), [1], without(s, [1]))
    assert r.time_ds.tolist() == [0, 10, 30, 50, 50, 0]
    assert r.source.tolist() == [0, 0, 0, 9, 2, 2]


def test_open_only_improves(line):
    # D (label 3) opens at node 1: node 1 → D 0, node 2 → D 20 (A was 30); node 0 keeps A 0
    # (D would be 10); nodes 3, 4, 5 unchanged.
    base = nearest(line, LINE_abC)
    r = open_(line, base, Sources(node=[1], label=[3]))
    assert r.time_ds.tolist() == [0, 0, 20, 0, 30, 0]
    assert r.source.tolist() == [0, 3, 3, 1, 1, 2]
    assert (r.time_ds <= base.time_ds).all()


def test_close_then_reopen_returns_the_original(line):
    base = nearest(line, LINE_abC)
    closed = close(line, base, [1], without(LINE_abC, [1]))
    back = open_(line, closed, Sources(node=[3], label=[1]))
    assert back.time_ds.tolist() == base.time_ds.tolist()
    assert back.source.tolist() == base.source.tolist()
    assert back.length_m.tolist() == base.length_m.tolist()


def test_open_on_nothing_equals_a_search(line):
    empty = nearest(line, Sources(node=np.zeros(0, int)))
    assert empty.time_ds.tolist() == [INF] * 6
    r = open_(line, empty, Sources(node=[3], label=[1]))
    # From node 3: 70, 60, 40, 0, 30, 80.
    assert r.time_ds.tolist() == [70, 60, 40, 0, 30, 80]
    assert r.source.tolist() == [1] * 6


# --- one-way streets ("to": the time from each node to the facilities) -----------------------------------
#     0 <=100=> 1 --50--> 2 <=100=> 3 <=400=> 4 <=3000=> 6        5
# A (10) at node 0, B (20) at node 4 (fixtures one_way, ab). Base: 0 A 0 | 1 A 100 | 2 B 500 | 3 B 400 | 4 B 0 | 5 - | 6 B 3000


def test_close_on_one_way_streets(one_way, ab):
    # A closes: node 1 → 1→2→3→4 = 50 + 100 + 400 = 550 (25 + 50 + 200 = 275 m);
    # node 0 → 0→1 then the same = 650 ds, 325 m.
    base = nearest(one_way, ab)
    r = close(one_way, base, [10], without(ab, [10]))
    assert r.time_ds.tolist() == [650, 550, 500, 400, 0, INF, 3000]
    assert r.source.tolist() == [20, 20, 20, 20, 20, -1, 20]
    assert r.length_m[[0, 1]].tolist() == [325, 275]


def test_close_on_one_way_streets_cuts_off_what_cannot_reach_the_rest(one_way, ab):
    # B closes: nodes 2, 3, 4, 6 cannot reach A (1→2 is one-way the other way) → INF.
    r = close(one_way, nearest(one_way, ab), [20], without(ab, [20]))
    assert r.time_ds.tolist() == [0, 100, INF, INF, INF, INF, INF]
    assert r.source.tolist() == [10, 10, -1, -1, -1, -1, -1]


def test_open_on_one_way_streets(one_way, ab):
    # C (30) opens at node 2: node 1 → 1→2 = 50 (A 100); node 3 → 3→2 = 100 (B 400);
    # node 0 keeps A 0; node 4 keeps B 0 (C: 4→3→2 = 500); node 6 keeps B 3000.
    r = open_(one_way, nearest(one_way, ab), Sources(node=[2], label=[30]))
    assert r.time_ds.tolist() == [0, 50, 0, 100, 0, INF, 3000]
    assert r.source.tolist() == [10, 30, 30, 30, 20, -1, 20]


# --- random graph: incremental == from scratch ---------------------------------------------------------

@pytest.mark.parametrize("direction", ["to", "from"])
@pytest.mark.parametrize("limit_s", [None, 120.0])
def test_close_and_open_equal_a_search_from_scratch(direction, limit_s):
    g, to_matrix, rng = random_graph(seed=3)
    matrix = to_matrix if direction == "to" else to_matrix.T.tocsr()
    limit_ds = None if limit_s is None else limit_s * 10
    s = random_sources(rng, 20)
    base = nearest(g, s, limit_s=limit_s, direction=direction)
    check_against_reference(base, source_matrix(matrix, s), s, limit_ds)

    shut = np.array([0, 3, 4, 5, 11])  # label 0 shares its node with label 1
    rest = without(s, shut)
    closed = close(g, base, shut, rest, direction=direction)
    check_against_reference(closed, source_matrix(matrix, rest), rest, limit_ds)
    scratch = nearest(g, rest, limit_s=limit_s, direction=direction)
    assert closed.time_ds.tolist() == scratch.time_ds.tolist()

    added = random_sources(rng, 6, first_label=100)
    both = Sources(np.concatenate([rest.node, added.node]), np.concatenate([rest.offset_ds, added.offset_ds]),
                   np.concatenate([rest.offset_m, added.offset_m]), np.concatenate([rest.label, added.label]))
    opened = open_(g, closed, added, direction=direction)
    check_against_reference(opened, source_matrix(matrix, both), both, limit_ds)
    assert opened.time_ds.tolist() == nearest(g, both, limit_s=limit_s, direction=direction).time_ds.tolist()

    reopened = open_(g, closed, Sources(s.node[shut], s.offset_ds[shut], s.offset_m[shut], s.label[shut]),
                     direction=direction)
    assert reopened.time_ds.tolist() == base.time_ds.tolist()
    check_against_reference(reopened, source_matrix(matrix, s), s, limit_ds)


def test_closing_every_facility_one_by_one_on_a_random_graph():
    g, to_matrix, rng = random_graph(seed=5)
    s = random_sources(rng, 8)
    r = nearest(g, s)
    remaining = s
    for label in s.label.tolist():
        remaining = without(remaining, [label])
        r = close(g, r, [label], remaining)
        if remaining.node.size:
            check_against_reference(r, source_matrix(to_matrix, remaining), remaining)
    assert (r.time_ds == INF).all() and (r.source == -1).all()
