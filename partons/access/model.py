"""Travel models: how long from each origin (a resident) to the nearest facility of a category.

Two models share one interface, so pages and scenarios do not care which one answered:
- ``NetworkModel``: a road/path graph of one mode (``nearest`` searches on it);
- ``StraightLineModel``: without a network, the straight-line distance times a circuity factor,
  at the mode's speed; every figure it gives is marked ``straight_line``.
- ``transit.TransitModel``: public transport (GTFS timetables) with walking to and from the stops.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from scipy.spatial import cKDTree

from partons.access import nearest as nr
from partons.access.graph import Graph
from partons.access.modes import Mode
from partons.access.snap import Snapped, Snapper

NETWORK = "network"
STRAIGHT_LINE = "straight_line"


@dataclass
class Facilities:
    """Facilities of one category, in metres (EPSG:3035). ``label`` identifies each (e.g. its id)."""

    x: np.ndarray
    y: np.ndarray
    label: np.ndarray

    def __post_init__(self):
        self.x = np.asarray(self.x, dtype=float).ravel()
        self.y = np.asarray(self.y, dtype=float).ravel()
        self.label = np.asarray(self.label, dtype=np.int64).ravel()

    def without(self, labels) -> "Facilities":
        keep = ~np.isin(self.label, np.asarray(list(labels), dtype=np.int64))
        return Facilities(self.x[keep], self.y[keep], self.label[keep])

    def plus(self, other: "Facilities") -> "Facilities":
        return Facilities(np.concatenate([self.x, other.x]), np.concatenate([self.y, other.y]),
                          np.concatenate([self.label, other.label]))


@dataclass
class OriginTimes:
    """Per origin: time (s, inf when none within the limit or the origin is off the network),
    distance travelled (m) and the label of the nearest facility (-1 when none)."""

    time_s: np.ndarray
    length_m: np.ndarray
    facility: np.ndarray
    method: str


@dataclass
class State:
    """What a model keeps of one category's search, to read origins from and to update in scenarios."""

    facilities: Facilities
    limit_s: float | None
    nearest: nr.Nearest | None = None  # network: per node
    unsnapped: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # facility labels off the network
    tree: cKDTree | None = None  # straight line
    closed: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # network: positions closed since
    per_origin: dict | None = None  # public transport: per origin, its times over the departure window

    def network(self) -> nr.Nearest:
        """The per-node result of a network search (a straight-line state has none)."""
        if self.nearest is None:
            raise TypeError("not a network search")
        return self.nearest


class TravelModel(Protocol):
    method: str
    mode: Mode

    def set_origins(self, x, y) -> np.ndarray: ...
    def search(self, facilities: Facilities, *, limit_s: float | None) -> State: ...
    def search_many(self, facilities: list[Facilities], *, limit_s: float | None) -> list[State]: ...
    def at_origins(self, state: State) -> OriginTimes: ...
    def mean_k(self, facilities: Facilities, k: int, *, limit_s: float | None) -> np.ndarray: ...
    def close(self, state: State, labels) -> State: ...
    def open(self, state: State, added: Facilities) -> State: ...


class StraightLineModel:
    """Crow-flies distance × circuity at the mode's speed: the fallback without a network."""

    method = STRAIGHT_LINE

    def __init__(self, mode: Mode):
        self.mode = mode
        self.ox = self.oy = np.zeros(0)

    def set_origins(self, x, y) -> np.ndarray:
        self.ox = np.asarray(x, dtype=float).ravel()
        self.oy = np.asarray(y, dtype=float).ravel()
        return np.zeros(0, dtype=np.int64)  # every origin is usable

    def search(self, facilities: Facilities, *, limit_s=None) -> State:
        tree = cKDTree(np.column_stack([facilities.x, facilities.y])) if facilities.x.size else None
        return State(facilities, limit_s, tree=tree)

    def search_many(self, facilities, *, limit_s=None):
        return [self.search(f, limit_s=limit_s) for f in facilities]

    def _times(self, state: State, k: int = 1):
        n = self.ox.size
        if state.tree is None or n == 0:
            shape = (n, k)
            return np.full(shape, np.inf), np.full(shape, np.inf), np.full(shape, -1, np.int64)
        kk = min(k, state.facilities.x.size)
        dist, idx = state.tree.query(np.column_stack([self.ox, self.oy]), k=kk)
        dist = dist.reshape(n, kk)
        idx = idx.reshape(n, kk)
        length = dist * self.mode.circuity
        t = length / self.mode.crow_speed_ms
        lab = state.facilities.label[idx]
        if state.limit_s is not None:
            far = t > state.limit_s
            t[far], length[far], lab[far] = np.inf, np.inf, -1
        if kk < k:
            pad = k - kk
            t = np.hstack([t, np.full((n, pad), np.inf)])
            length = np.hstack([length, np.full((n, pad), np.inf)])
            lab = np.hstack([lab, np.full((n, pad), -1)])
        return t, length, lab

    def at_origins(self, state: State) -> OriginTimes:
        t, length, lab = self._times(state)
        return OriginTimes(t[:, 0], length[:, 0], lab[:, 0], self.method)

    def mean_k(self, facilities: Facilities, k: int, *, limit_s=None) -> np.ndarray:
        t, _, _ = self._times(self.search(facilities, limit_s=limit_s), k)
        return t.mean(axis=1)

    def close(self, state: State, labels) -> State:
        return self.search(state.facilities.without(labels), limit_s=state.limit_s)

    def open(self, state: State, added: Facilities) -> State:
        return self.search(state.facilities.plus(added), limit_s=state.limit_s)


class NetworkModel:
    """Travel on a graph of one mode; origins and facilities snap to it within ``max_snap_m``."""

    method = NETWORK

    def __init__(self, graph: Graph, mode: Mode, *, max_snap_m: float = 500.0, workers: int | None = None):
        self.graph = graph
        self.mode = mode
        self.snapper = Snapper(graph, max_snap_m)
        self.workers = workers
        self.origins: Snapped | None = None

    def _origins(self) -> Snapped:
        if self.origins is None:
            raise RuntimeError("set_origins() comes first")
        return self.origins

    def set_origins(self, x, y) -> np.ndarray:
        """Snap the origins; returns the indexes of those beyond the snapping distance."""
        self.origins = self.snapper.snap(x, y)
        return self.origins.rejected

    def _sources(self, facilities: Facilities):
        s = self.snapper.snap(facilities.x, facilities.y)
        ok = s.ok
        offset_ds = s.distance_m[ok] / self.mode.connector_speed_ms * 10
        # Labels inside the search are positions in ``facilities``; they map back to its labels.
        src = nr.Sources(s.node[ok], offset_ds, s.distance_m[ok], np.flatnonzero(ok).astype(np.int32))
        return src, facilities.label[~ok]

    def search(self, facilities: Facilities, *, limit_s=None) -> State:
        src, off = self._sources(facilities)
        return State(facilities, limit_s, nr.nearest(self.graph, src, limit_s=limit_s), off)

    def search_many(self, facilities, *, limit_s=None):
        prepared = [self._sources(f) for f in facilities]
        results = nr.nearest_many(self.graph, [p[0] for p in prepared], limit_s=limit_s, workers=self.workers)
        return [State(f, limit_s, r, p[1]) for f, p, r in zip(facilities, prepared, results)]

    def _read(self, per_node_t, per_node_len, per_node_src, facilities: Facilities):
        o = self._origins()
        n = o.node.size
        t = np.full(n, np.inf)
        length = np.full(n, np.inf)
        lab = np.full(n, -1, np.int64)
        ok = o.ok.copy()
        ok[ok] &= per_node_src[o.node[ok]] >= 0
        leg_s = o.distance_m[ok] / self.mode.connector_speed_ms
        t[ok] = per_node_t[o.node[ok]] / 10.0 + leg_s
        length[ok] = per_node_len[o.node[ok]] + o.distance_m[ok]
        lab[ok] = facilities.label[per_node_src[o.node[ok]]]
        return t, length, lab

    def at_origins(self, state: State) -> OriginTimes:
        r = state.network()
        t, length, lab = self._read(r.time_ds, r.length_m, r.source, state.facilities)
        if state.limit_s is not None:
            far = t > state.limit_s
            t[far], length[far], lab[far] = np.inf, np.inf, -1
        return OriginTimes(t, length, lab, self.method)

    def mean_k(self, facilities: Facilities, k: int, *, limit_s=None) -> np.ndarray:
        src, _ = self._sources(facilities)
        kt, _ = nr.nearest_k(self.graph, src, k, limit_s=limit_s)
        o = self._origins()
        out = np.full(o.node.size, np.inf)
        ok = o.ok
        times = kt[o.node[ok]].astype(float)
        times[times >= nr.INF_DS] = np.inf
        # Each of the k trips, from the door: the leg to the road and the network time, within the limit.
        trips = times / 10.0 + (o.distance_m[ok] / self.mode.connector_speed_ms)[:, None]
        if limit_s is not None:
            trips[trips > limit_s] = np.inf
        out[ok] = trips.mean(axis=1)
        return out

    def close(self, state: State, labels) -> State:
        labels = np.asarray(list(labels), dtype=np.int64)
        positions = np.flatnonzero(np.isin(state.facilities.label, labels)).astype(np.int32)
        closed = np.union1d(state.closed, positions).astype(np.int32)
        src, _ = self._sources(state.facilities)
        keep = ~np.isin(src.label, closed)
        remaining = nr.Sources(src.node[keep], src.offset_ds[keep], src.offset_m[keep], src.label[keep])
        # Positions stay those of the full list, so the facility labels still read back.
        res = nr.close(self.graph, state.network(), positions, remaining)
        return State(state.facilities, state.limit_s, res, state.unsnapped, closed=closed)

    def open(self, state: State, added: Facilities) -> State:
        merged = state.facilities.plus(added)
        s = self.snapper.snap(added.x, added.y)
        base = state.facilities.x.size
        src = nr.Sources(s.node[s.ok], s.distance_m[s.ok] / self.mode.connector_speed_ms * 10, s.distance_m[s.ok],
                         (base + np.flatnonzero(s.ok)).astype(np.int32))
        res = nr.open_(self.graph, state.network(), src)
        return State(merged, state.limit_s, res, np.concatenate([state.unsnapped, added.label[~s.ok]]),
                     closed=state.closed)
