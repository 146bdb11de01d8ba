"""Public transport in the access engine: from every stop, the earliest arrival at the nearest service of a category,
for every departure time at once (a profile), and from it, for every resident point, the travel time on each minute
of a departure window (walk to a stop, ride, change on foot, walk to the service; or walk all the way).

One search per category, never one per resident: the profile connection scan of Dibbelt, Pajor, Strasser and Wagner
("Connection Scan Algorithm", 2018) runs once over the day's connections, latest first, towards the category's
services, and keeps per stop the Pareto set of (departure, arrival) pairs. A resident point then reads the profiles of
the stops within walking distance, each at the minute it would reach them. Compiled with Numba, like the road search.

What a journey may do (the brute force in the tests follows the same rules): walk to one stop of the point's access
list, board a vehicle whose departure is not earlier than the arrival there, stay on board or alight, walk at most one
footpath to change (or change at the same stop), and after the last ride walk to the service from the stop where one
alights. Times are whole seconds after midnight of the service day (past 24:00 allowed, as in GTFS).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from scipy.spatial import cKDTree

from partons.access.model import Facilities, OriginTimes, State
from partons.access.modes import Mode

INF = np.int64(2**62)


@dataclass
class Timetable:
    """A day's public transport as elementary connections (one vehicle between two consecutive stops), sorted by
    departure, and the footpaths between stops (compressed rows: ``foot_start[s]:foot_start[s + 1]`` of ``foot_to``
    and ``foot_s`` leave stop ``s``)."""

    n_stops: int
    dep_stop: np.ndarray
    arr_stop: np.ndarray
    dep_s: np.ndarray
    arr_s: np.ndarray
    trip: np.ndarray
    n_trips: int
    foot_start: np.ndarray
    foot_to: np.ndarray
    foot_s: np.ndarray

    @classmethod
    def from_trips(cls, n_stops: int, trips, footpaths=()) -> "Timetable":
        """``trips``: for each trip, its stop calls in order as (stop, arrival s, departure s); ``footpaths``:
        (from stop, to stop, walking s), one direction each. Refuses times that go backwards along a trip."""
        rows = []
        for t, calls in enumerate(trips):
            for (s0, _a0, d0), (s1, a1, _d1) in zip(calls, calls[1:]):
                if not 0 <= s0 < n_stops or not 0 <= s1 < n_stops:
                    raise ValueError(f"trip {t}: stop outside 0..{n_stops - 1}")
                if a1 < d0:
                    raise ValueError(f"trip {t}: arrives at stop {s1} ({a1}) before leaving stop {s0} ({d0})")
                rows.append((d0, a1, s0, s1, t))
        for calls in trips:
            for _s, a, d in calls:
                if d < a:
                    raise ValueError(f"a call leaves ({d}) before it arrives ({a})")
        rows.sort(key=lambda r: (r[0], r[1]))
        arr = np.array(rows, dtype=np.int64).reshape(-1, 5)
        foot = sorted((int(a), int(b), int(w)) for a, b, w in footpaths if a != b)
        start = np.zeros(n_stops + 1, np.int64)
        for a, _b, _w in foot:
            start[a + 1] += 1
        return cls(n_stops, arr[:, 2].copy(), arr[:, 3].copy(), arr[:, 0].copy(), arr[:, 1].copy(), arr[:, 4].copy(),
                   len(trips), np.cumsum(start), np.array([b for _a, b, _w in foot], np.int64),
                   np.array([w for _a, _b, w in foot], np.int64))


@dataclass
class Profile:
    """Per stop, the Pareto set of (departure, arrival at a service) in order of decreasing departure:
    ``dep[start[s]:start[s] + count[s]]`` and ``arr[…]``; arrivals decrease with departures."""

    start: np.ndarray
    count: np.ndarray
    dep: np.ndarray
    arr: np.ndarray

    def arrival(self, stop: int, t: int) -> int:
        """The earliest arrival at a service when at ``stop`` from time ``t`` (INF when none)."""
        return int(_eval(self.start, self.count, self.dep, self.arr, stop, t))


@njit(cache=True)
def _eval(start, count, dep, arr, stop, t):
    lo = start[stop]
    n = count[stop]
    if n == 0 or dep[lo] < t:
        return INF
    # deps decrease along [lo, lo + n): the last index whose dep is >= t holds the best arrival.
    a, b = 0, n - 1
    while a < b:
        mid = (a + b + 1) // 2
        if dep[lo + mid] >= t:
            a = mid
        else:
            b = mid - 1
    return arr[lo + a]


@njit(cache=True)
def _profile(dep_stop, arr_stop, dep_s, arr_s, trip, n_trips, foot_start, foot_to, foot_s, egress, start, t_min):
    n_stops = start.size - 1
    count = np.zeros(n_stops, np.int64)
    dep = np.empty(start[-1], np.int64)
    arr = np.empty(start[-1], np.int64)
    on_trip = np.full(n_trips, INF, np.int64)
    for i in range(dep_s.size - 1, -1, -1):
        if dep_s[i] < t_min:
            break
        u, v = dep_stop[i], arr_stop[i]
        best = INF
        if egress[v] < INF:
            best = arr_s[i] + egress[v]  # alight and walk to the service
        if on_trip[trip[i]] < best:
            best = on_trip[trip[i]]  # stay on board
        t = _eval(start, count, dep, arr, v, arr_s[i])  # change at the same stop
        if t < best:
            best = t
        for k in range(foot_start[v], foot_start[v + 1]):  # change on foot
            t = _eval(start, count, dep, arr, foot_to[k], arr_s[i] + foot_s[k])
            if t < best:
                best = t
        if best >= INF:
            continue
        if best < on_trip[trip[i]]:
            on_trip[trip[i]] = best
        n = count[u]
        lo = start[u]
        if n > 0 and arr[lo + n - 1] <= best:
            continue  # a later or equal departure already arrives as early
        if n > 0 and dep[lo + n - 1] == dep_s[i]:
            arr[lo + n - 1] = best  # same departure, earlier arrival
        else:
            dep[lo + n] = dep_s[i]
            arr[lo + n] = best
            count[u] = n + 1
    return count, dep, arr


def profile(tt: Timetable, egress_s: np.ndarray, t_min: int = 0) -> Profile:
    """The profile of every stop towards a set of services: ``egress_s[s]`` is the walk from stop ``s`` to the
    nearest of them (``inf`` or negative: none within reach on foot). Departures before ``t_min`` are left out."""
    egress = np.asarray(egress_s, dtype=float)
    eg = np.where(np.isfinite(egress) & (egress >= 0), np.ceil(np.nan_to_num(egress, posinf=0)), -1).astype(np.int64)
    eg[eg < 0] = INF
    departures = np.bincount(tt.dep_stop, minlength=tt.n_stops) if tt.dep_stop.size else np.zeros(tt.n_stops, np.int64)
    start = np.zeros(tt.n_stops + 1, np.int64)
    start[1:] = np.cumsum(departures)
    count, dep, arr = _profile(tt.dep_stop, tt.arr_stop, tt.dep_s, tt.arr_s, tt.trip, tt.n_trips, tt.foot_start,
                               tt.foot_to, tt.foot_s, eg, start, int(t_min))
    return Profile(start, count, dep, arr)


@njit(cache=True)
def _window(start, count, dep, arr, acc_start, acc_stop, acc_s, walk_only, departures, out):
    for p in range(acc_start.size - 1):
        for j in range(departures.size):
            tau = departures[j]
            best = walk_only[p]
            for k in range(acc_start[p], acc_start[p + 1]):
                a = _eval(start, count, dep, arr, acc_stop[k], tau + acc_s[k])
                if a < INF and a - tau < best:
                    best = a - tau
            out[p, j] = best


def travel_times(prof: Profile, access_start: np.ndarray, access_stop: np.ndarray, access_s: np.ndarray,
                 walk_only_s: np.ndarray, departures: np.ndarray) -> np.ndarray:
    """Seconds from each resident point to the nearest service when leaving at each of ``departures``: the faster
    of walking all the way (``walk_only_s``, inf when too far) and public transport from the stops within walking
    distance (compressed rows: ``access_start[p]:access_start[p + 1]`` of ``access_stop``/``access_s``). Returns a
    float array (points × departures), inf where neither reaches a service."""
    n = access_start.size - 1
    walk = np.asarray(walk_only_s, dtype=float)
    walk_i = np.where(np.isfinite(walk), np.ceil(np.nan_to_num(walk, posinf=0)), INF).astype(np.int64)
    out = np.empty((n, len(departures)), np.int64)
    _window(prof.start, prof.count, prof.dep, prof.arr, np.asarray(access_start, np.int64),
            np.asarray(access_stop, np.int64), np.ceil(np.asarray(access_s, float)).astype(np.int64), walk_i,
            np.asarray(departures, np.int64), out)
    result = out.astype(float)
    result[out >= INF] = np.inf
    return result


def window_summary(times: np.ndarray, threshold_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Per point, the median travel time over the departure window (inf when more than half the minutes reach
    nothing) and the share of departure minutes that reach a service within ``threshold_s`` — as r5 reports them."""
    if times.shape[1] == 0:
        return np.full(times.shape[0], np.inf), np.zeros(times.shape[0])
    return np.median(times, axis=1), (times <= threshold_s).mean(axis=1)


TRANSIT = "transit"


class TransitModel:
    """Public transport as a travel model, with the road models' interface: walk (as the crow flies × circuity, at
    walking speed) to a stop within ``access_m``, ride, change, walk to the service — or walk all the way when that is
    faster. An origin's time is the median over the departure window; ``per_origin["share"]`` is the share of its
    departure minutes that reach a service within ``threshold_s``."""

    method = TRANSIT

    def __init__(self, tt: Timetable, stop_x, stop_y, walk: Mode, departures, *, threshold_s: float,
                 access_m: float = 1000.0):
        self.tt = tt
        self.walk = walk
        self.mode = Mode(TRANSIT, "walk", walk.speed_kmh, circuity=walk.circuity, crow_speed_kmh=walk.crow_speed_kmh)
        self.stops = np.column_stack([np.asarray(stop_x, float), np.asarray(stop_y, float)])
        self.stop_tree = cKDTree(self.stops) if len(self.stops) else None
        self.departures = np.asarray(departures, np.int64)
        self.threshold_s = threshold_s
        self.access_m = access_m
        self.origins = np.zeros((0, 2))
        self.access = (np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0))

    def _walk_s(self, dist_m):
        return np.asarray(dist_m, float) * self.walk.circuity / self.walk.crow_speed_ms

    def set_origins(self, x, y) -> np.ndarray:
        self.origins = np.column_stack([np.asarray(x, float).ravel(), np.asarray(y, float).ravel()])
        n = len(self.origins)
        lists = (self.stop_tree.query_ball_point(self.origins, self.access_m) if self.stop_tree is not None and n
                 else [[] for _ in range(n)])
        start = np.zeros(n + 1, np.int64)
        start[1:] = np.cumsum([len(lst) for lst in lists])
        stops = np.array([s for lst in lists for s in lst], np.int64)
        dist = np.hypot(*(self.stops[stops] - np.repeat(self.origins, np.diff(start), axis=0)).T) if stops.size else np.zeros(0)
        self.access = (start, stops, self._walk_s(dist))
        return np.zeros(0, np.int64)  # every origin may walk

    def _walk_to(self, points, facilities: Facilities, limit_s):
        if facilities.x.size == 0 or len(points) == 0:
            return np.full(len(points), np.inf)
        dist, _ = cKDTree(np.column_stack([facilities.x, facilities.y])).query(points)
        t = self._walk_s(dist)
        if limit_s is not None:
            t[t > limit_s] = np.inf
        return t

    def search(self, facilities: Facilities, *, limit_s: float | None = None) -> State:
        egress = self._walk_to(self.stops, facilities, self._walk_s(self.access_m))
        walk_only = self._walk_to(self.origins, facilities, limit_s)
        prof = profile(self.tt, egress, t_min=int(self.departures[0]) if self.departures.size else 0)
        times = travel_times(prof, *self.access, walk_only, self.departures)
        median, share = window_summary(times, self.threshold_s)
        return State(facilities, limit_s, per_origin={"median_s": median, "share": share})

    def search_many(self, facilities, *, limit_s=None):
        return [self.search(f, limit_s=limit_s) for f in facilities]

    def at_origins(self, state: State) -> OriginTimes:
        t = np.array(state.per_origin["median_s"] if state.per_origin else np.zeros(0), float)
        if state.limit_s is not None:
            t[t > state.limit_s] = np.inf
        n = t.size
        return OriginTimes(t, np.full(n, np.nan), np.full(n, -1, np.int64), self.method)

    def mean_k(self, facilities: Facilities, k: int, *, limit_s=None) -> np.ndarray:
        """Not measured for public transport (the mean of the k nearest is Eurostat's measure by car)."""
        return np.full(len(self.origins), np.inf)

    def close(self, state: State, labels) -> State:
        return self.search(state.facilities.without(labels), limit_s=state.limit_s)

    def open(self, state: State, added: Facilities) -> State:
        return self.search(state.facilities.plus(added), limit_s=state.limit_s)
