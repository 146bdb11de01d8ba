"""Nearest-facility searches on a graph: one multi-source search per category, never one per resident.

The searches run on integer tenths of a second with a bucket queue (Dial's algorithm), stop at
the largest time anyone asks about (``limit_s``), release the GIL so that categories run in
parallel on all cores, and can be updated in place around a change (a closed or opened facility)
instead of starting over. ``nearest_k`` gives the k nearest distinct facilities (Eurostat's mean of
the three nearest).
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numba import njit

from partons.access.graph import Graph

INF_DS = np.int32(2**31 - 1)


@dataclass
class Sources:
    """Where the facilities of one category join the graph: node, and the time and distance from the
    facility's door to that node (its snapping leg). ``label`` names each facility (default 0..n-1)."""

    node: np.ndarray
    # None (or left out): no leg, no leg, 0..n-1 — arrays once built, whatever was given.
    offset_ds: np.ndarray = None  # type: ignore[assignment]
    offset_m: np.ndarray = None  # type: ignore[assignment]
    label: np.ndarray = None  # type: ignore[assignment]

    def __post_init__(self):
        self.node = np.asarray(self.node, dtype=np.int32).ravel()
        n = self.node.size
        self.offset_ds = (np.zeros(n, np.int32) if self.offset_ds is None
                          else np.rint(np.asarray(self.offset_ds, dtype=float)).astype(np.int32).ravel())
        self.offset_m = np.zeros(n, np.float32) if self.offset_m is None else np.asarray(self.offset_m, np.float32).ravel()
        self.label = np.arange(n, dtype=np.int32) if self.label is None else np.asarray(self.label, np.int32).ravel()


@dataclass
class Nearest:
    """Per node: travel time to the nearest source (tenths of a second, INF_DS beyond the limit),
    the distance travelled (m) and which source (its label, -1 when none within the limit)."""

    time_ds: np.ndarray
    length_m: np.ndarray
    source: np.ndarray
    limit_ds: int

    @property
    def time_s(self) -> np.ndarray:
        t = self.time_ds.astype(float) / 10
        t[self.time_ds == INF_DS] = np.inf
        return t

    def copy(self) -> "Nearest":
        return Nearest(self.time_ds.copy(), self.length_m.copy(), self.source.copy(), self.limit_ds)


@njit(nogil=True, cache=True)
def _dial(indptr, indices, w, length, t, d, lab, seed_node, seed_t, seed_d, seed_lab, limit, nb):  # pragma: no cover - compiled
    """Dial's algorithm: a circular array of ``nb`` buckets (more than the largest edge weight and
    seed spread), each a doubly linked list of queued nodes, so a node is queued at most once and
    an improvement moves it. Works in place on t, d, lab, which may hold answers already (updates)."""
    n = t.size
    nxt = np.empty(n, np.int32)
    prv = np.empty(n, np.int32)
    inq = np.zeros(n, np.bool_)
    head = np.full(nb, -1, np.int32)
    queued = 0
    cur = limit + 1
    for i in range(seed_node.size):
        v = seed_node[i]
        tt = seed_t[i]
        if tt <= limit and tt < t[v]:
            if inq[v]:
                b = t[v] % nb
                if prv[v] == -1:
                    head[b] = nxt[v]
                else:
                    nxt[prv[v]] = nxt[v]
                if nxt[v] != -1:
                    prv[nxt[v]] = prv[v]
                queued -= 1
            t[v] = tt
            d[v] = seed_d[i]
            lab[v] = seed_lab[i]
            b = tt % nb
            nxt[v] = head[b]
            prv[v] = -1
            if head[b] != -1:
                prv[head[b]] = v
            head[b] = v
            inq[v] = True
            queued += 1
            if tt < cur:
                cur = tt
    settled = 0
    while queued > 0:
        b = cur % nb
        while head[b] != -1:
            v = head[b]
            head[b] = nxt[v]
            if nxt[v] != -1:
                prv[nxt[v]] = -1
            inq[v] = False
            queued -= 1
            settled += 1
            tv = t[v]
            dv = d[v]
            lv = lab[v]
            for k in range(indptr[v], indptr[v + 1]):
                u = indices[k]
                nt = tv + w[k]
                if nt <= limit and nt < t[u]:
                    if inq[u]:
                        ob = t[u] % nb
                        if prv[u] == -1:
                            head[ob] = nxt[u]
                        else:
                            nxt[prv[u]] = nxt[u]
                        if nxt[u] != -1:
                            prv[nxt[u]] = prv[u]
                    else:
                        inq[u] = True
                        queued += 1
                    t[u] = nt
                    d[u] = dv + length[k]
                    lab[u] = lv
                    bb = nt % nb
                    nxt[u] = head[bb]
                    prv[u] = -1
                    if head[bb] != -1:
                        prv[head[bb]] = u
                    head[bb] = u
        cur += 1
    return settled


@njit(nogil=True, cache=True)
def _boundary(indptr, indices, w, length, affected, t, d, lab, limit):  # pragma: no cover - compiled
    """Seeds for re-searching the affected nodes: for each affected node v and each edge v→u of the
    *road* direction graph whose end u keeps its answer, v can be reached through u."""
    count = 0
    for v in np.nonzero(affected)[0]:
        for k in range(indptr[v], indptr[v + 1]):
            if not affected[indices[k]] and t[indices[k]] <= limit:
                count += 1
    node = np.empty(count, np.int32)
    st = np.empty(count, np.int32)
    sd = np.empty(count, np.float32)
    sl = np.empty(count, np.int32)
    i = 0
    for v in np.nonzero(affected)[0]:
        for k in range(indptr[v], indptr[v + 1]):
            u = indices[k]
            if not affected[u] and t[u] <= limit:
                node[i] = v
                st[i] = min(np.int64(t[u]) + w[k], np.int64(2**31 - 2))
                sd[i] = d[u] + length[k]
                sl[i] = lab[u]
                i += 1
    return node, st, sd, sl


@njit(nogil=True, cache=True)
def _grow(a, size):  # pragma: no cover - compiled
    b = np.empty(size, a.dtype)
    b[:a.size] = a
    return b


@njit(nogil=True, cache=True)
def _k_nearest(indptr, indices, w, seed_node, seed_t, seed_lab, k, limit, n, nb):  # pragma: no cover - compiled
    """The k nearest distinct sources of every node: a bucket queue of (node, source) labels; a node settles at
    most k labels, each from a different source (a source that is not among a node's k nearest is not among its
    neighbours' either, so the search stays exact)."""
    kt = np.full((n, k), 2**31 - 1, np.int32)
    ks = np.full((n, k), -1, np.int32)
    kc = np.zeros(n, np.int32)
    cap = max(1024, 4 * seed_node.size)
    e_node = np.empty(cap, np.int32)
    e_src = np.empty(cap, np.int32)
    e_t = np.empty(cap, np.int32)
    e_next = np.empty(cap, np.int32)
    free = np.empty(cap, np.int32)
    n_free = 0
    used = 0
    head = np.full(nb, -1, np.int32)
    live = 0
    cur = limit + 1
    for i in range(seed_node.size):
        if seed_t[i] > limit:
            continue
        if used == cap:
            cap *= 2
            e_node, e_src, e_t, e_next = _grow(e_node, cap), _grow(e_src, cap), _grow(e_t, cap), _grow(e_next, cap)
            free = _grow(free, cap)
        e = used
        used += 1
        b = seed_t[i] % nb
        e_node[e], e_src[e], e_t[e], e_next[e] = seed_node[i], seed_lab[i], seed_t[i], head[b]
        head[b] = e
        live += 1
        if seed_t[i] < cur:
            cur = seed_t[i]
    while live > 0:
        b = cur % nb
        e = head[b]
        head[b] = -1
        while e != -1:
            nxt = e_next[e]
            live -= 1
            v, s, tt = e_node[e], e_src[e], e_t[e]
            free[n_free] = e
            n_free += 1
            c = kc[v]
            dup = c >= k
            for j in range(c):
                if ks[v, j] == s:
                    dup = True
                    break
            if not dup:
                kt[v, c] = tt
                ks[v, c] = s
                kc[v] = c + 1
                for q in range(indptr[v], indptr[v + 1]):
                    u = indices[q]
                    nt = tt + w[q]
                    cu = kc[u]
                    if nt > limit or cu >= k:
                        continue
                    known = False
                    for j in range(cu):
                        if ks[u, j] == s:
                            known = True
                            break
                    if known:
                        continue
                    if n_free > 0:
                        n_free -= 1
                        f = free[n_free]
                    else:
                        if used == cap:
                            cap *= 2
                            e_node, e_src, e_t = _grow(e_node, cap), _grow(e_src, cap), _grow(e_t, cap)
                            e_next, free = _grow(e_next, cap), _grow(free, cap)
                        f = used
                        used += 1
                    bb = nt % nb
                    e_node[f], e_src[f], e_t[f], e_next[f] = u, s, nt, head[bb]
                    head[bb] = f
                    live += 1
            e = nxt
        cur += 1
    return kt, ks


def _limit_ds(limit_s: float | None) -> int:
    if limit_s is None or not np.isfinite(limit_s):
        return int(INF_DS) - 1
    return max(0, int(round(limit_s * 10)))


def _search_graph(graph: Graph, direction: str) -> Graph:
    if direction == "to":
        return graph.transpose()
    if direction == "from":
        return graph
    raise ValueError("direction is 'to' (times from each node to the sources) or 'from'")


def _run(g: Graph, res: Nearest, seed_node, seed_t, seed_d, seed_lab) -> int:
    limit = res.limit_ds
    max_w = int(g.time_ds.max()) if g.n_edges else 1
    spread = int(seed_t.max() - seed_t.min()) if seed_t.size else 0
    nb = max_w + 1 + min(spread, limit)
    return _dial(g.indptr, g.indices, g.time_ds, g.length_m, res.time_ds, res.length_m, res.source,
                 seed_node, seed_t, seed_d, seed_lab, limit, nb)


def nearest(graph: Graph, sources: Sources, *, limit_s: float | None = None, direction: str = "to") -> Nearest:
    """For every node, the time and distance to the nearest source (``direction='to'``, the default:
    what a resident at that node travels), searching no further than ``limit_s``."""
    g = _search_graph(graph, direction)
    n = g.n_nodes
    res = Nearest(np.full(n, INF_DS, np.int32), np.full(n, np.inf, np.float32), np.full(n, -1, np.int32),
                  _limit_ds(limit_s))
    _run(g, res, sources.node, sources.offset_ds, sources.offset_m, sources.label)
    return res


def nearest_many(graph: Graph, sources: list[Sources], *, limit_s: float | None = None, direction: str = "to",
                 workers: int | None = None) -> list[Nearest]:
    """``nearest`` for several categories at once, in parallel threads (the searches release the GIL)."""
    g = _search_graph(graph, direction)  # built once, before the threads start
    workers = workers or min(len(sources), os.cpu_count() or 1) or 1
    if workers == 1:
        return [nearest(g, s, limit_s=limit_s, direction="from") for s in sources]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda s: nearest(g, s, limit_s=limit_s, direction="from"), sources))


def nearest_k(graph: Graph, sources: Sources, k: int, *, limit_s: float | None = None,
              direction: str = "to") -> tuple[np.ndarray, np.ndarray]:
    """The k nearest distinct sources of every node: times (tenths of a second, INF_DS where fewer
    than k are within the limit) and labels, each of shape (nodes, k), nearest first."""
    g = _search_graph(graph, direction)
    limit = _limit_ds(limit_s)
    max_w = int(g.time_ds.max()) if g.n_edges else 1
    seed_t = sources.offset_ds
    spread = int(seed_t.max() - seed_t.min()) if seed_t.size else 0
    return _k_nearest(g.indptr, g.indices, g.time_ds, sources.node, seed_t, sources.label, int(k), limit, g.n_nodes,
                      max_w + 1 + min(spread, limit))


def close(graph: Graph, base: Nearest, closed_labels, remaining: Sources, *, direction: str = "to") -> Nearest:
    """``base`` after the sources labelled ``closed_labels`` close. Only the nodes they served are
    searched again, from the edge of that area and from the remaining sources inside it."""
    g = _search_graph(graph, direction)
    back = _search_graph(graph, "from" if direction == "to" else "to")
    res = base.copy()
    affected = np.isin(res.source, np.asarray(closed_labels, dtype=np.int32))
    if not affected.any():
        return res
    res.time_ds[affected] = INF_DS
    res.length_m[affected] = np.inf
    res.source[affected] = -1
    node, st, sd, sl = _boundary(back.indptr, back.indices, back.time_ds, back.length_m, affected,
                                 res.time_ds, res.length_m, res.source, res.limit_ds)
    inside = affected[remaining.node]
    node = np.concatenate([node, remaining.node[inside]])
    st = np.concatenate([st, remaining.offset_ds[inside]])
    sd = np.concatenate([sd, remaining.offset_m[inside]])
    sl = np.concatenate([sl, remaining.label[inside]])
    _run(g, res, node, st, sd, sl)
    return res


def open_(graph: Graph, base: Nearest, added: Sources, *, direction: str = "to") -> Nearest:
    """``base`` after new sources open: the search spreads from them only as far as they are nearer."""
    g = _search_graph(graph, direction)
    res = base.copy()
    _run(g, res, added.node, added.offset_ds, added.offset_m, added.label)
    return res
