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

import copy
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


    def reversed(self, leave_from: int, arrive_by: int) -> "Timetable":
        """The timetable backwards in time (each connection's arrival becomes its departure, times negated, footpaths
        turned round), keeping the connections that leave at or after ``leave_from`` and arrive by ``arrive_by``. Its
        profile towards the services holds, per stop, the journeys *from* the services: see ``return_times``."""
        keep = (self.dep_s >= leave_from) & (self.arr_s <= arrive_by)
        dep_s, arr_s = -self.arr_s[keep], -self.dep_s[keep]
        order = np.lexsort((arr_s, dep_s))
        foot_from = np.repeat(np.arange(self.n_stops), np.diff(self.foot_start))
        turned = np.lexsort((foot_from, self.foot_to))  # grouped by the stop they now leave
        start = np.zeros(self.n_stops + 1, np.int64)
        start[1:] = np.cumsum(np.bincount(self.foot_to, minlength=self.n_stops))
        return Timetable(self.n_stops, self.arr_stop[keep][order], self.dep_stop[keep][order], dep_s[order],
                         arr_s[order], self.trip[keep][order], self.n_trips, start, foot_from[turned],
                         self.foot_s[turned])

    def departures_near(self, stop_lists) -> np.ndarray:
        """Per group of stops (e.g. those within walking distance of a village), the trips that leave one of them on
        the day (a trip calling at several counts once) and the first and last of those departures (s, -1 when
        none): an array (groups × 3)."""
        order = np.argsort(self.dep_stop, kind="stable")
        start = np.zeros(self.n_stops + 1, np.int64)
        start[1:] = np.cumsum(np.bincount(self.dep_stop, minlength=self.n_stops))
        out = np.full((len(stop_lists), 3), -1, np.int64)
        for g, stops in enumerate(stop_lists):
            idx = np.concatenate([order[start[s]:start[s + 1]] for s in stops]) if len(stops) else np.zeros(0, int)
            trips = np.unique(self.trip[idx])
            out[g] = (trips.size, self.dep_s[idx].min(), self.dep_s[idx].max()) if idx.size else (0, -1, -1)
        return out


    def edited(self, *, drop_trips=None, drop_stops=(), add_trips=()) -> "Timetable":
        """A what-if: without the trips marked in ``drop_trips`` (a boolean per trip), with the vehicles no longer
        calling at ``drop_stops`` (they drive on to the next stop), plus ``add_trips`` (calls, as in ``from_trips``;
        numbered after the existing trips). Only the trips touched are rebuilt."""
        keep = np.ones(self.dep_s.size, bool) if drop_trips is None else ~np.asarray(drop_trips, bool)[self.trip]
        drop = np.zeros(self.n_stops, bool)
        drop[np.asarray(list(drop_stops), np.int64)] = True
        touched = np.unique(self.trip[keep & (drop[self.dep_stop] | drop[self.arr_stop])])
        rebuilt = np.isin(self.trip, touched)
        parts = [(self.dep_stop, self.arr_stop, self.dep_s, self.arr_s, self.trip, keep & ~rebuilt)]
        rows = []
        for t in touched:
            idx = np.flatnonzero(self.trip == t)
            idx = idx[np.lexsort((self.arr_s[idx], self.dep_s[idx]))]
            calls = [(int(self.dep_stop[idx[0]]), int(self.dep_s[idx[0]]), int(self.dep_s[idx[0]]))]
            leave = [*self.dep_s[idx[1:]], self.arr_s[idx[-1]]]  # a call's departure: the next connection's
            calls += [(int(self.arr_stop[i]), int(self.arr_s[i]), int(d)) for i, d in zip(idx, leave)]
            calls = [c for c in calls if not drop[c[0]]]
            rows += [(d0, a1, s0, s1, t) for (s0, _a0, d0), (s1, a1, _d1) in zip(calls, calls[1:])]
        for k, calls in enumerate(add_trips):
            rows += [(d0, a1, s0, s1, self.n_trips + k) for (s0, _a0, d0), (s1, a1, _d1) in zip(calls, calls[1:])]
        extra = np.array(rows, np.int64).reshape(-1, 5)
        parts.append((extra[:, 2], extra[:, 3], extra[:, 0], extra[:, 1], extra[:, 4], np.ones(len(extra), bool)))
        cols = [np.concatenate([p[c][p[5]] for p in parts]) for c in range(5)]
        order = np.lexsort((cols[3], cols[2]))
        return Timetable(self.n_stops, cols[0][order], cols[1][order], cols[2][order], cols[3][order], cols[4][order],
                         self.n_trips + len(add_trips), self.foot_start, self.foot_to, self.foot_s)


def ride_s(x, y, speed_kmh: float, detour: float = 1.25) -> np.ndarray:
    """Seconds between consecutive places (metres) by a vehicle at ``speed_kmh`` on roads ``detour`` times longer
    than the straight line, plus a minute to start and stop: how made-up lines (the demo, a scenario's) run."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    return (np.hypot(np.diff(x), np.diff(y)) * detour / (speed_kmh / 3.6)).astype(np.int64) + 60


def line_trips(x, y, first_s: int, last_s: int, headway_s: int, *, speed_kmh: float = 35, dwell_s: int = 30,
               stops=None) -> list[list[tuple[int, int, int]]]:
    """The trips of a new line through places ``x, y`` (in order, ``stops`` their indices) both ways, leaving
    each end every ``headway_s`` from ``first_s`` to ``last_s``: calls as in ``Timetable.from_trips``."""
    stops = np.arange(len(x)) if stops is None else np.asarray(stops)
    hops = ride_s(x, y, speed_kmh)
    trips = []
    for seq, legs in ((stops, hops), (stops[::-1], hops[::-1])):
        for start in range(int(first_s), int(last_s) + 1, int(headway_s)):
            t, calls = start, []
            for i, s in enumerate(seq):
                dwell = dwell_s if 0 < i < len(seq) - 1 else 0
                calls.append((int(s), t, t + dwell))
                if i < len(legs):
                    t += dwell + int(legs[i])
            trips.append(calls)
    return trips


@dataclass
class Profile:
    """Per stop, the Pareto set of (departure, arrival at a service) in order of decreasing departure:
    ``dep[start[s]:start[s] + count[s]]`` and ``arr[…]``; arrivals decrease with departures. ``fac[…]``: the service
    each journey ends at (its index in the egress, -1 when unknown)."""

    start: np.ndarray
    count: np.ndarray
    dep: np.ndarray
    arr: np.ndarray
    fac: np.ndarray

    def arrival(self, stop: int, t: int) -> int:
        """The earliest arrival at a service when at ``stop`` from time ``t`` (INF when none)."""
        k = _pos(self.start, self.count, self.dep, stop, t)
        return int(self.arr[k]) if k >= 0 else int(INF)

    def service(self, stop: int, t: int) -> int:
        """The service reached by that earliest arrival (-1 when none)."""
        k = _pos(self.start, self.count, self.dep, stop, t)
        return int(self.fac[k]) if k >= 0 else -1

    def arrival_from(self, stop: int, t: int) -> int:
        """On the profile of a reversed timetable: the earliest arrival (on board) at ``stop`` when leaving a service
        at ``t`` or later (INF when none)."""
        k = _pos_from(self.start, self.count, self.arr, stop, t)
        return int(-self.dep[k]) if k >= 0 else int(INF)


@njit(cache=True)
def _pos(start, count, dep, stop, t):
    """The entry of ``stop``'s profile for a departure at ``t`` or later that arrives first (-1 when none)."""
    lo = start[stop]
    n = count[stop]
    if n == 0 or dep[lo] < t:
        return -1
    # deps decrease along [lo, lo + n): the last index whose dep is >= t holds the best arrival.
    a, b = 0, n - 1
    while a < b:
        mid = (a + b + 1) // 2
        if dep[lo + mid] >= t:
            a = mid
        else:
            b = mid - 1
    return lo + a


@njit(cache=True)
def _pos_from(start, count, arr, stop, t):
    """On a profile of the reversed timetable (pairs (-arrival at the stop, -departure from a service)): the entry
    that arrives first at ``stop`` when leaving a service at ``t`` or later (-1 when none)."""
    lo = start[stop]
    n = count[stop]
    if n == 0 or arr[lo + n - 1] > -t:
        return -1
    # -departures decrease along [lo, lo + n): the first index whose departure is >= t arrives first.
    a, b = 0, n - 1
    while a < b:
        mid = (a + b) // 2
        if arr[lo + mid] <= -t:
            b = mid
        else:
            a = mid + 1
    return lo + a


@njit(cache=True)
def _profile(dep_stop, arr_stop, dep_s, arr_s, trip, n_trips, foot_start, foot_to, foot_s, egress, egress_fac, start,
             t_min):
    n_stops = start.size - 1
    count = np.zeros(n_stops, np.int64)
    dep = np.empty(start[-1], np.int64)
    arr = np.empty(start[-1], np.int64)
    fac = np.empty(start[-1], np.int64)
    on_trip = np.full(n_trips, INF, np.int64)
    on_trip_fac = np.full(n_trips, -1, np.int64)
    for i in range(dep_s.size - 1, -1, -1):
        if dep_s[i] < t_min:
            break
        u, v = dep_stop[i], arr_stop[i]
        best = INF
        best_fac = -1
        if egress[v] < INF:
            best = arr_s[i] + egress[v]  # alight and walk to the service
            best_fac = egress_fac[v]
        if on_trip[trip[i]] < best:
            best = on_trip[trip[i]]  # stay on board
            best_fac = on_trip_fac[trip[i]]
        k = _pos(start, count, dep, v, arr_s[i])  # change at the same stop
        if k >= 0 and arr[k] < best:
            best = arr[k]
            best_fac = fac[k]
        for f in range(foot_start[v], foot_start[v + 1]):  # change on foot
            k = _pos(start, count, dep, foot_to[f], arr_s[i] + foot_s[f])
            if k >= 0 and arr[k] < best:
                best = arr[k]
                best_fac = fac[k]
        if best >= INF:
            continue
        if best < on_trip[trip[i]]:
            on_trip[trip[i]] = best
            on_trip_fac[trip[i]] = best_fac
        n = count[u]
        lo = start[u]
        if n > 0 and arr[lo + n - 1] <= best:
            continue  # a later or equal departure already arrives as early
        if n > 0 and dep[lo + n - 1] == dep_s[i]:
            arr[lo + n - 1] = best  # same departure, earlier arrival
            fac[lo + n - 1] = best_fac
        else:
            dep[lo + n] = dep_s[i]
            arr[lo + n] = best
            fac[lo + n] = best_fac
            count[u] = n + 1
    return count, dep, arr, fac


def profile(tt: Timetable, egress_s: np.ndarray, t_min: int = 0, egress_service=None) -> Profile:
    """The profile of every stop towards a set of services: ``egress_s[s]`` is the walk from stop ``s`` to the
    nearest of them (``inf`` or negative: none within reach on foot), ``egress_service[s]`` which one (an index, to
    know which service each journey reaches). Departures before ``t_min`` are left out."""
    egress = np.asarray(egress_s, dtype=float)
    eg = np.where(np.isfinite(egress) & (egress >= 0), np.ceil(np.nan_to_num(egress, posinf=0)), -1).astype(np.int64)
    eg[eg < 0] = INF
    which = np.full(tt.n_stops, -1, np.int64) if egress_service is None else np.asarray(egress_service, np.int64)
    departures = np.bincount(tt.dep_stop, minlength=tt.n_stops) if tt.dep_stop.size else np.zeros(tt.n_stops, np.int64)
    start = np.zeros(tt.n_stops + 1, np.int64)
    start[1:] = np.cumsum(departures)
    count, dep, arr, fac = _profile(tt.dep_stop, tt.arr_stop, tt.dep_s, tt.arr_s, tt.trip, tt.n_trips, tt.foot_start,
                                    tt.foot_to, tt.foot_s, eg, which, start, int(t_min))
    return Profile(start, count, dep, arr, fac)


@njit(cache=True)
def _window(start, count, dep, arr, fac, acc_start, acc_stop, acc_s, walk_only, walk_fac, departures, out, out_fac,
            back):
    """Per point and departure: the faster of walking all the way and of each stop within walking distance — on the
    way there, walking to the stop first (and which service it reaches); on the way ``back`` (a reversed profile),
    walking home from it last."""
    for p in range(acc_start.size - 1):
        for j in range(departures.size):
            tau = departures[j]
            best = walk_only[p]
            best_fac = walk_fac[p]
            for k in range(acc_start[p], acc_start[p + 1]):
                if back:
                    e = _pos_from(start, count, arr, acc_stop[k], tau)
                    t = -dep[e] + acc_s[k] - tau if e >= 0 else INF
                else:
                    e = _pos(start, count, dep, acc_stop[k], tau + acc_s[k])
                    t = arr[e] - tau if e >= 0 else INF
                if e >= 0 and t < best:
                    best = t
                    best_fac = fac[e]
            out[p, j] = best
            out_fac[p, j] = best_fac


def _int_s(values) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    return np.where(np.isfinite(v), np.ceil(np.nan_to_num(v, posinf=0)), INF).astype(np.int64)


def return_times(tt: Timetable, egress_s: np.ndarray, access_start: np.ndarray, access_stop: np.ndarray,
                 access_s: np.ndarray, walk_only_s: np.ndarray, departures: np.ndarray,
                 horizon_s: int = 3 * 3600) -> np.ndarray:
    """The way back: seconds from the services (``egress_s[s]``: the walk between stop ``s`` and the nearest) to
    each resident point when leaving a service at each of ``departures`` — walking from the service to a stop,
    riding, changing, walking home from the last stop (``access_*`` as in ``travel_times``), or walking all the way.
    The journeys leave from any service of the category (normally the one reached on the way there). Points ×
    departures, inf where nothing arrives within ``horizon_s`` of the last departure."""
    departures = np.asarray(departures, np.int64)
    if departures.size == 0:
        return np.zeros((access_start.size - 1, 0))
    back = tt.reversed(int(departures[0]), int(departures[-1]) + horizon_s)
    prof = profile(back, egress_s, t_min=-int(departures[-1]) - horizon_s)
    return _times(prof, access_start, access_stop, access_s, walk_only_s, departures, back=True)[0]


def travel_times(prof: Profile, access_start: np.ndarray, access_stop: np.ndarray, access_s: np.ndarray,
                 walk_only_s: np.ndarray, departures: np.ndarray, walk_service=None, *, services: bool = False):
    """Seconds from each resident point to the nearest service when leaving at each of ``departures``: the faster
    of walking all the way (``walk_only_s``, inf when too far; ``walk_service``: to which service) and public
    transport from the stops within walking distance (compressed rows: ``access_start[p]:access_start[p + 1]`` of
    ``access_stop``/``access_s``). Returns a float array (points × departures), inf where neither reaches a service;
    with ``services``, also which service each reaches (an index, -1 when none)."""
    times, which = _times(prof, access_start, access_stop, access_s, walk_only_s, departures, walk_service, back=False)
    return (times, which) if services else times


def _times(prof: Profile, access_start, access_stop, access_s, walk_only_s, departures, walk_service=None, *,
           back: bool) -> tuple[np.ndarray, np.ndarray]:
    n = access_start.size - 1
    out = np.empty((n, len(departures)), np.int64)
    out_fac = np.empty((n, len(departures)), np.int64)
    walk_fac = np.full(n, -1, np.int64) if walk_service is None else np.asarray(walk_service, np.int64)
    _window(prof.start, prof.count, prof.dep, prof.arr, prof.fac, np.asarray(access_start, np.int64),
            np.asarray(access_stop, np.int64), np.ceil(np.asarray(access_s, float)).astype(np.int64),
            _int_s(walk_only_s), walk_fac, np.asarray(departures, np.int64), out, out_fac, back)
    result = out.astype(float)
    result[out >= INF] = np.inf
    out_fac[out >= INF] = -1
    return result, out_fac


def median_service(times: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Per point, the service reached on the departure minute of median travel time (-1 when none): the nearest by
    public transport, as the median time is its time."""
    if times.shape[1] == 0:
        return np.full(times.shape[0], -1, np.int64)
    k = np.argsort(times, axis=1, kind="stable")[:, (times.shape[1] - 1) // 2]
    return which[np.arange(times.shape[0]), k]


def window_summary(times: np.ndarray, threshold_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Per point, the median travel time over the departure window (inf when more than half the minutes reach
    nothing) and the share of departure minutes that reach a service within ``threshold_s`` — as r5 reports them."""
    if times.shape[1] == 0:
        return np.full(times.shape[0], np.inf), np.zeros(times.shape[0])
    return np.median(times, axis=1), (times <= threshold_s).mean(axis=1)


TRANSIT = "transit"


ACCESS_STOPS = 10  # along the paths, the nearest stops a resident may walk to


class TransitModel:
    """Public transport as a travel model, with the road models' interface: walk to a stop within ``access_m`` (as
    the crow flies: ``access_m`` × circuity at walking speed), ride, change, walk to the service — or walk all the way
    when that is faster. An origin's time is the median over the departure window; ``per_origin["share"]`` is the
    share of its departure minutes that reach a service within ``threshold_s``.

    With ``paths`` (the walking ``NetworkModel``), the walks follow the footpaths and streets instead: stops, residents
    and services are snapped to them, each resident may walk to its ``ACCESS_STOPS`` nearest stops within the same
    walking time, and residents beyond the snapping distance are off the network, as on foot."""

    method = TRANSIT

    def __init__(self, tt: Timetable, stop_x, stop_y, walk: Mode, departures, *, threshold_s: float,
                 access_m: float = 1000.0, return_departures=(), trip_route=None, paths=None):
        self.tt = tt
        self.paths = paths
        self.trip_route = np.asarray(trip_route if trip_route is not None else np.full(tt.n_trips, ""), dtype=str)
        self.walk = walk
        self.mode = Mode(TRANSIT, "walk", walk.speed_kmh, circuity=walk.circuity, crow_speed_kmh=walk.crow_speed_kmh)
        self.stops = np.column_stack([np.asarray(stop_x, float), np.asarray(stop_y, float)])
        self.stop_tree = cKDTree(self.stops) if len(self.stops) else None
        self.departures = np.asarray(departures, np.int64)
        self.return_departures = np.asarray(return_departures, np.int64)
        self.threshold_s = threshold_s
        self.access_m = access_m
        self.origins = np.zeros((0, 2))
        self.access = (np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0))
        self.access_s = self._walk_s(access_m)
        self.stop_snap = paths.snapper.snap(self.stops[:, 0], self.stops[:, 1]) if paths is not None else None

    def _walk_s(self, dist_m):
        return np.asarray(dist_m, float) * self.walk.circuity / self.walk.crow_speed_ms

    def set_origins(self, x, y) -> np.ndarray:
        self.origins = np.column_stack([np.asarray(x, float).ravel(), np.asarray(y, float).ravel()])
        if self.paths is not None:
            return self._access_along_paths()
        n = len(self.origins)
        lists = (self.stop_tree.query_ball_point(self.origins, self.access_m) if self.stop_tree is not None and n
                 else [[] for _ in range(n)])
        start = np.zeros(n + 1, np.int64)
        start[1:] = np.cumsum([len(lst) for lst in lists])
        stops = np.array([s for lst in lists for s in lst], np.int64)
        dist = np.hypot(*(self.stops[stops] - np.repeat(self.origins, np.diff(start), axis=0)).T) if stops.size else np.zeros(0)
        self.access = (start, stops, self._walk_s(dist))
        return np.zeros(0, np.int64)  # every origin may walk

    def _access_along_paths(self) -> np.ndarray:
        from partons.access import nearest as nr

        paths, stop = self.paths, self.stop_snap
        assert stop is not None  # snapped with the paths
        off = paths.set_origins(self.origins[:, 0], self.origins[:, 1])
        o = paths.origins
        leg = paths.mode.connector_speed_ms
        ok = np.flatnonzero(stop.ok)
        src = nr.Sources(stop.node[ok], stop.distance_m[ok] / leg * 10, stop.distance_m[ok], ok.astype(np.int32))
        kt, kl = nr.nearest_k(paths.graph, src, ACCESS_STOPS, limit_s=self.access_s)
        n = len(self.origins)
        t = np.full((n, ACCESS_STOPS), np.inf)
        lab = np.full((n, ACCESS_STOPS), -1, np.int64)
        on = o.ok
        t[on] = np.where(kt[o.node[on]] < nr.INF_DS, kt[o.node[on]] / 10.0, np.inf) + (o.distance_m[on] / leg)[:, None]
        lab[on] = kl[o.node[on]]
        keep = np.isfinite(t) & (t <= self.access_s) & (lab >= 0)
        start = np.zeros(n + 1, np.int64)
        start[1:] = np.cumsum(keep.sum(axis=1))
        self.access = (start, lab[keep], t[keep])
        return off

    def _walk_along_paths(self, facilities: Facilities, limit_s):
        """One walking search from the services: the walk from each stop (within the access time) and from each
        resident (within the limit) to the nearest, and which one (its index)."""
        state = self.paths.search(facilities, limit_s=limit_s)
        r = state.network()
        leg = self.paths.mode.connector_speed_ms

        def read(snapped, budget):
            t = np.full(snapped.node.size, np.inf)
            which = np.full(snapped.node.size, -1, np.int64)
            ok = snapped.ok.copy()
            ok[ok] &= r.source[snapped.node[ok]] >= 0
            t[ok] = r.time_ds[snapped.node[ok]] / 10.0 + snapped.distance_m[ok] / leg
            which[ok] = r.source[snapped.node[ok]]
            far = t > budget if budget is not None else np.zeros(t.size, bool)
            t[far], which[far] = np.inf, -1
            return t, which

        return read(self.stop_snap, self.access_s), read(self.paths.origins, limit_s)

    def _walk_to(self, points, facilities: Facilities, limit_s):
        """Walking time from each point to the nearest service and which one (its index; inf and -1 beyond)."""
        if facilities.x.size == 0 or len(points) == 0:
            return np.full(len(points), np.inf), np.full(len(points), -1, np.int64)
        dist, idx = cKDTree(np.column_stack([facilities.x, facilities.y])).query(points)
        t = self._walk_s(dist)
        if limit_s is not None:
            t[t > limit_s] = np.inf
        return t, np.where(np.isfinite(t), idx, -1).astype(np.int64)

    def search(self, facilities: Facilities, *, limit_s: float | None = None) -> State:
        if self.paths is not None:
            (egress, egress_service), (walk_only, walk_service) = self._walk_along_paths(facilities, limit_s)
        else:
            egress, egress_service = self._walk_to(self.stops, facilities, self.access_s)
            walk_only, walk_service = self._walk_to(self.origins, facilities, limit_s)
        prof = profile(self.tt, egress, t_min=int(self.departures[0]) if self.departures.size else 0,
                       egress_service=egress_service)
        times, which = travel_times(prof, *self.access, walk_only, self.departures, walk_service, services=True)
        median, share = window_summary(times, self.threshold_s)
        nearest = median_service(times, which)
        label = np.where(nearest >= 0, facilities.label[np.maximum(nearest, 0)] if facilities.label.size else -1, -1)
        per_origin = {"median_s": median, "share": share, "facility": label}
        if self.return_departures.size:
            back = return_times(self.tt, egress, *self.access, walk_only, self.return_departures)
            per_origin["return_s"] = window_summary(back, self.threshold_s)[0]
        return State(facilities, limit_s, per_origin=per_origin)

    def edited(self, *, routes=(), stops=(), new_line=None, speed_kmh: float = 35) -> "TransitModel":
        """A what-if copy (the way there only): without the trips of ``routes``, with vehicles no longer calling at
        ``stops`` (indices), plus ``new_line`` = (stop indices in order, first departure s, last s, headway s) run
        both ways at ``speed_kmh``. The residents and their stops within walking distance stay the same."""
        add = []
        if new_line is not None:
            idx, first_s, last_s, headway_s = new_line
            idx = np.asarray(idx, np.int64)
            add = line_trips(self.stops[idx, 0], self.stops[idx, 1], first_s, last_s, headway_s, stops=idx,
                             speed_kmh=speed_kmh)
        m = copy.copy(self)
        m.tt = self.tt.edited(drop_trips=np.isin(self.trip_route, list(routes)), drop_stops=stops, add_trips=add)
        m.trip_route = np.concatenate([self.trip_route, np.full(len(add), "new")])
        m.return_departures = np.zeros(0, np.int64)
        return m

    def departures_near(self, x, y) -> np.ndarray:
        """Per place (e.g. a village centre), the trips leaving the stops within walking distance on the day, the
        first and last departure and the number of those stops: (places × 4), times in s (-1 when none)."""
        pts = np.column_stack([np.asarray(x, float).ravel(), np.asarray(y, float).ravel()])
        lists = (self.stop_tree.query_ball_point(pts, self.access_m) if self.stop_tree is not None and len(pts)
                 else [[] for _ in range(len(pts))])
        return np.column_stack([self.tt.departures_near(lists), [len(lst) for lst in lists]])

    def search_many(self, facilities, *, limit_s=None):
        return [self.search(f, limit_s=limit_s) for f in facilities]

    def at_origins(self, state: State) -> OriginTimes:
        t = np.array(state.per_origin["median_s"] if state.per_origin else np.zeros(0), float)
        if state.limit_s is not None:
            t[t > state.limit_s] = np.inf
        n = t.size
        facility = np.array(state.per_origin["facility"] if state.per_origin else np.zeros(0), np.int64)
        facility[~np.isfinite(t)] = -1
        return OriginTimes(t, np.full(n, np.nan), facility, self.method)

    def mean_k(self, facilities: Facilities, k: int, *, limit_s=None) -> np.ndarray:
        """Not measured for public transport (the mean of the k nearest is Eurostat's measure by car)."""
        return np.full(len(self.origins), np.inf)

    def close(self, state: State, labels) -> State:
        return self.search(state.facilities.without(labels), limit_s=state.limit_s)

    def open(self, state: State, added: Facilities) -> State:
        return self.search(state.facilities.plus(added), limit_s=state.limit_s)
