"""Small graphs, reference answers and OSM files shared by the access-engine tests."""
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from partons.access.graph import Graph
from partons.access.nearest import INF_DS, Sources

INF = int(INF_DS)


def edge(g, u, v):
    """(time_ds, length_m) of edge u→v, or None."""
    for k in range(g.indptr[u], g.indptr[u + 1]):
        if g.indices[k] == v:
            return int(g.time_ds[k]), float(g.length_m[k])
    return None


def graph_from(n, edges, mode="car"):
    """``edges``: (u, v, time_ds, length_m) in the road direction u→v."""
    u, v, t, length = (list(c) for c in zip(*edges))
    return Graph.from_edges(mode, np.arange(n, dtype=float), np.zeros(n), u, v, t, length)


def two_way(u, v, t, length):
    return [(u, v, t, length), (v, u, t, length)]


# The one-way test graph (car), seven nodes:
#
#     0 <=100=> 1 --50--> 2 <=100=> 3 <=400=> 4 <=3000=> 6        5 (no road)
#
# ``<=t=>`` a two-way road of t ds, ``--t-->`` a one-way street (1 to 2 only). Lengths: half the ds
# in metres (0–1 50 m, 1→2 25 m, 2–3 50 m, 3–4 200 m, 4–6 1500 m).
# Facility A (label 10) at node 0, B (label 20) at node 4.
ONE_WAY_EDGES = (two_way(0, 1, 100, 50) + [(1, 2, 50, 25)] + two_way(2, 3, 100, 50) + two_way(3, 4, 400, 200)
                 + two_way(4, 6, 3000, 1500))


def random_graph(seed=20240601, n=300, isolated=10, m=900, one_way_share=0.3):
    """A random directed graph: ``m`` random roads between the first n - isolated nodes, 30 % one-way,
    weights 1..400 ds, length = time (so a path's length must equal its time). Parallel edges are
    reduced here (fastest kept) so that the same edge list feeds the engine and SciPy."""
    rng = np.random.default_rng(seed)
    live = n - isolated
    u = rng.integers(0, live, m)
    v = rng.integers(0, live, m)
    w = rng.integers(1, 401, m)
    both = rng.random(m) >= one_way_share
    best = {}
    for a, b, t, two in zip(u.tolist(), v.tolist(), w.tolist(), both.tolist()):
        for x, y in ([(a, b), (b, a)] if two else [(a, b)]):
            if x != y and t < best.get((x, y), 10**9):
                best[(x, y)] = t
    src = np.array([k[0] for k in best])
    dst = np.array([k[1] for k in best])
    t = np.array(list(best.values()), dtype=float)
    g = Graph.from_edges("walk", rng.random(n), rng.random(n), src, dst, t, t)
    # Searching "to" the sources runs along the edges backwards: SciPy gets the transpose (dst→src).
    to_matrix = csr_matrix((t, (dst, src)), shape=(n, n))
    return g, to_matrix, rng


def source_matrix(to_matrix, sources: Sources):
    """Per source (rows) and node: its offset plus its network time to the node (inf if none)."""
    d = dijkstra(to_matrix, directed=True, indices=sources.node)
    return d + sources.offset_ds[:, None]


def check_against_reference(r, d, sources, limit_ds=None):
    """``r`` must hold the minimum over sources of ``d``, within the limit, and a label whose own
    time is that minimum; lengths equal times (offset_m = offset_ds, lengths = times)."""
    best = d.min(axis=0)
    if limit_ds is not None:
        best[best > limit_ds] = np.inf
    expected = np.where(np.isfinite(best), best, INF).astype(np.int64)
    assert r.time_ds.astype(np.int64).tolist() == expected.tolist()
    reached = np.flatnonzero(np.isfinite(best))
    assert (r.source[np.isinf(best)] == -1).all()
    row = {int(lab): i for i, lab in enumerate(sources.label)}
    own = np.array([d[row[int(r.source[v])], v] for v in reached])
    assert np.array_equal(own, best[reached])
    assert np.array_equal(r.length_m[reached], r.time_ds[reached].astype(np.float32))


def random_sources(rng, count, first_label=0):
    nodes = rng.choice(290, count, replace=False)
    nodes[1] = nodes[0]  # two facilities on one node
    offsets = rng.integers(0, 300, count)
    return Sources(node=nodes, offset_ds=offsets, offset_m=offsets.astype(float),
                   label=np.arange(first_label, first_label + count))


def without(s: Sources, labels) -> Sources:
    """The sources whose label is not in ``labels``."""
    keep = ~np.isin(s.label, labels)
    return Sources(s.node[keep], s.offset_ds[keep], s.offset_m[keep], s.label[keep])


def osm_xml(nodes, ways) -> str:
    """``nodes``: {id: (lon, lat)}; ``ways``: {id: (node ids, {tag: value})}."""
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", '<osm version="0.6" generator="partons-tests">']
    for nid, (lon, lat) in nodes.items():
        lines.append(f'  <node id="{nid}" version="1" lat="{lat:.7f}" lon="{lon:.7f}"/>')
    for wid, (refs, tags) in ways.items():
        lines.append(f'  <way id="{wid}" version="1">')
        lines.extend(f'    <nd ref="{r}"/>' for r in refs)
        lines.extend(f'    <tag k="{k}" v="{v}"/>' for k, v in tags.items())
        lines.append("  </way>")
    lines.append("</osm>")
    return "\n".join(lines) + "\n"
