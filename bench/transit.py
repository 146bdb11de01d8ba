"""How fast the public-transport search (partons.access.transit) answers a region, against a plain baseline.

    .venv/bin/python bench/transit.py            # the issue's size: ~2,000 stops, 200 routes, 20,000 trips
    .venv/bin/python bench/transit.py --quick    # a tenth of it, in seconds

The feed and the residents are generated (nothing here is real data): ``--stops`` stops scattered over a 60 × 40 km
region with a few towns, ``--routes`` routes that each chain 8 to 30 nearby stops, ``--trips`` trips spread over the
routes from 05:00 to 23:00 (buses at 30 km/h between stops plus a minute's dwell), changes on foot between stops
within 400 m; ``--points`` resident points around 400 villages; 20 categories of services (30 to 300 each).

Measured in the same run:
- ours: ``TransitModel`` — for every category, one profile connection scan and every point's travel time on each
  minute of 07:00–09:00 (120 departures), the median and the share within 30 minutes;
- the baseline: what one would do without profiles — a forward connection scan per origin and per departure minute
  (compiled with Numba too), run on a sample of origins and one category, extrapolated (the output says so);
- a check: on a small feed, the profile's answers equal a brute force (every trip relaxed until nothing changes).

Prints times, peak memory (the resident set's high-water mark) and the ratio to the baseline; the issue's goals are
printed as reference lines, nothing about timing is asserted. Numba compiles on the first call: a warm-up on a tiny
feed comes first and is not counted. ferrobus (RAPTOR in Rust) needs an OpenStreetMap street network of the region
and is not measured yet.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np
from numba import njit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from partons.access import gtfs, transit  # noqa: E402
from partons.access.graph import Graph  # noqa: E402
from partons.access.model import Facilities, NetworkModel  # noqa: E402
from partons.access.modes import MODES, Mode  # noqa: E402

W, H = 60_000.0, 40_000.0
WINDOW = np.arange(7 * 3600, 9 * 3600, 60)


def generate(rng, n_stops, n_routes, n_trips):
    towns = rng.uniform([0, 0], [W, H], size=(12, 2))
    near_town = towns[rng.integers(0, len(towns), n_stops // 2)] + rng.normal(0, 2500, (n_stops // 2, 2))
    spread = rng.uniform([0, 0], [W, H], size=(n_stops - n_stops // 2, 2))
    stops = np.clip(np.vstack([near_town, spread]), 0, [W, H])
    from scipy.spatial import cKDTree

    tree = cKDTree(stops)
    routes = []
    for _ in range(n_routes):
        length = int(rng.integers(8, 31))
        seq = [int(rng.integers(n_stops))]
        for _ in range(length - 1):
            _d, near = tree.query(stops[seq[-1]], k=8)
            options = [int(s) for s in near if int(s) not in seq]
            if not options:
                break
            seq.append(options[int(rng.integers(len(options)))])
        routes.append(seq)
    trips = []
    per_route = np.full(n_routes, n_trips // n_routes)
    per_route[: n_trips - per_route.sum()] += 1
    for seq, count in zip(routes, per_route):
        if rng.random() < 0.5:
            seq = seq[::-1]
        for start in np.sort(rng.integers(5 * 3600, 23 * 3600, count)):
            t = int(start)
            calls = []
            for a, b in zip(seq, seq[1:] + [None]):
                calls.append((a, t, t + 60))
                if b is None:
                    break
                t += 60 + int(np.hypot(*(stops[a] - stops[b])) * 1.3 / (30 / 3.6))
            calls[-1] = (calls[-1][0], calls[-1][1], calls[-1][1])
            trips.append(calls)
    walks = gtfs.footpaths_within(stops[:, 0], stops[:, 1], 400, MODES["walk"].speed_kmh / 3.6)
    trip_route = np.repeat(np.arange(n_routes), per_route)
    return stops, transit.Timetable.from_trips(n_stops, trips, walks), trips, walks, trip_route


def residents(rng, n_points):
    villages = rng.uniform([0, 0], [W, H], size=(400, 2))
    pick = rng.integers(0, len(villages), n_points)
    return villages[pick] + rng.normal(0, 600, (n_points, 2))


@njit(cache=True)
def _forward(dep_stop, arr_stop, dep_s, arr_s, trip, n_trips, foot_start, foot_to, foot_s, egress, acc_stop, acc_s, tau,
             n_stops, limit, first):
    """Earliest arrival at a service from one origin leaving at ``tau`` (forward connection scan)."""
    INF = 2**62
    reach = np.full(n_stops, INF, np.int64)
    for k in range(acc_stop.size):
        reach[acc_stop[k]] = min(reach[acc_stop[k]], tau + acc_s[k])
    on = np.zeros(n_trips, np.bool_)
    best = INF
    for i in range(first, dep_s.size):  # from the first connection leaving at tau (found by binary search)
        if dep_s[i] > tau + limit or dep_s[i] >= best:
            break
        if on[trip[i]] or reach[dep_stop[i]] <= dep_s[i]:
            on[trip[i]] = True
            v = arr_stop[i]
            if egress[v] < INF and arr_s[i] + egress[v] < best:
                best = arr_s[i] + egress[v]
            if arr_s[i] < reach[v]:
                reach[v] = arr_s[i]
            for k in range(foot_start[v], foot_start[v + 1]):
                t = arr_s[i] + foot_s[k]
                if t < reach[foot_to[k]]:
                    reach[foot_to[k]] = t
    return best


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--stops", type=int, default=2000)
    ap.add_argument("--routes", type=int, default=200)
    ap.add_argument("--trips", type=int, default=20000)
    ap.add_argument("--points", type=int, default=40000)
    ap.add_argument("--categories", type=int, default=20)
    ap.add_argument("--baseline-origins", type=int, default=40)
    ap.add_argument("--ferrobus-origins", type=int, default=20,
                    help="origins sampled for the comparison with ferrobus (0: skip it)")
    args = ap.parse_args()
    if args.quick:
        args.stops, args.routes, args.trips, args.points, args.categories = 300, 30, 2000, 4000, 4
    rng = np.random.default_rng(7)
    walk = MODES["walk"]

    # warm-up: compile once on a tiny feed (not counted)
    tiny = transit.Timetable.from_trips(2, [[(0, 25200, 25200), (1, 25800, 25800)]])
    warm = transit.TransitModel(tiny, [0, 500], [0, 0], walk, WINDOW, threshold_s=1800)
    warm.set_origins([0], [0])
    warm.search(Facilities([500], [0], [1]), limit_s=2700)
    _forward(tiny.dep_stop, tiny.arr_stop, tiny.dep_s, tiny.arr_s, tiny.trip, tiny.n_trips, tiny.foot_start, tiny.foot_to,
             tiny.foot_s, np.zeros(2, np.int64), np.zeros(1, np.int64), np.zeros(1, np.int64), 25200, 2, 5400, 0)

    print("Check on a small feed: the profile against a brute force")
    checked = _check(np.random.default_rng(1))
    print(f"  {checked} (stop, departure) pairs: identical")

    t0 = time.perf_counter()
    stops, tt, trips, walks, trip_route = generate(rng, args.stops, args.routes, args.trips)
    print(f"\nGenerated feed (synthetic): {args.stops} stops, {args.routes} routes, {len(trips)} trips, "
          f"{tt.dep_s.size} connections, {tt.foot_to.size} footpaths ({time.perf_counter() - t0:.1f} s)")
    pts = residents(rng, args.points)
    cats = []
    for c in range(args.categories):
        n = int(rng.integers(30, 301))
        xy = rng.uniform([0, 0], [W, H], size=(n, 2))
        cats.append(Facilities(xy[:, 0], xy[:, 1], np.arange(n) + 1000 * c))
    model = transit.TransitModel(tt, stops[:, 0], stops[:, 1], walk, WINDOW, threshold_s=1800, access_m=1000)
    t0 = time.perf_counter()
    model.set_origins(pts[:, 0], pts[:, 1])
    t_origins = time.perf_counter() - t0
    t0 = time.perf_counter()
    medians = []
    for f in cats:
        state = model.search(f, limit_s=5400)
        medians.append(model.at_origins(state).time_s)
    t_ours = time.perf_counter() - t0
    reached = np.mean([np.isfinite(m).mean() for m in medians])
    print(f"Ours: {args.points} points × {args.categories} categories × {WINDOW.size} departures in "
          f"{t_ours:.1f} s (+ {t_origins:.1f} s finding the stops within reach); peak memory {peak_mb():.0f} MB; "
          f"{100 * reached:.0f} % of point-category pairs reach a service within 90 min")

    # baseline: forward scan per origin and departure, on a sample, one category
    f = cats[0]
    egress, _which = model._walk_to(model.stops, f, model._walk_s(model.access_m))
    eg = np.where(np.isfinite(egress), np.ceil(np.nan_to_num(egress, posinf=0)), 2**62).astype(np.int64)
    start, acc_stop, acc_s = model.access
    acc_i = np.ceil(acc_s).astype(np.int64)
    sample = rng.choice(args.points, size=min(args.baseline_origins, args.points), replace=False)
    t0 = time.perf_counter()
    for p in sample:
        a, b = start[p], start[p + 1]
        for tau in WINDOW:
            _forward(tt.dep_stop, tt.arr_stop, tt.dep_s, tt.arr_s, tt.trip, tt.n_trips, tt.foot_start, tt.foot_to,
                     tt.foot_s, eg, acc_stop[a:b], acc_i[a:b], int(tau), tt.n_stops, 5400,
                     int(np.searchsorted(tt.dep_s, tau)))
    t_sample = time.perf_counter() - t0
    t_base = t_sample / len(sample) * args.points * args.categories
    print(f"Baseline (a forward scan per origin and minute): {len(sample)} origins × 1 category in {t_sample:.2f} s, "
          f"extrapolated to {args.points} × {args.categories}: {t_base:.0f} s")
    print(f"Ratio: ours is {t_base / t_ours:.0f}× faster than the baseline")
    if args.ferrobus_origins:
        versus_ferrobus(args, rng, stops, trips, trip_route, pts, cats[0], model, t_ours)
    print("Goal (reference, not asserted): the whole computation under 60 s on 2 cores; memory linear in the feed.")


# --- ferrobus ------------------------------------------------------------------------------------------------
# The same feed, written as GTFS, and a street grid (every 250 m, as an OpenStreetMap PBF) for its walking; the same
# origins, one category's services as destinations, every minute of the window: ferrobus answers point to point
# (RAPTOR, one search per origin and minute, to all the category's services at once), we answer per category.

GRID_M = 250
WESTHOEK = (2.6, 50.85)  # where the generated region is put on the map (lon, lat of its south-west corner)


def _to_lonlat(x, y):
    from pyproj import Transformer

    from partons.access.graph import project

    x0, y0 = project(np.array([WESTHOEK[0]]), np.array([WESTHOEK[1]]))
    back = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)
    return back.transform(np.asarray(x, float) + x0[0], np.asarray(y, float) + y0[0])


FERROBUS_WALK = Mode("walk", "walk", 5.0, circuity=1.0)  # ferrobus walks its streets at about 5 km/h


def street_grid_graph(mode: Mode) -> Graph:
    """The street grid of ``write_street_grid`` as our walking graph (both ways along each street)."""
    xs, ys = np.arange(0, W + 1, GRID_M), np.arange(0, H + 1, GRID_M)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    ids = np.arange(gx.size).reshape(gx.shape)
    a = np.concatenate([ids[:-1, :].ravel(), ids[:, :-1].ravel()])
    b = np.concatenate([ids[1:, :].ravel(), ids[:, 1:].ravel()])
    src, dst = np.concatenate([a, b]), np.concatenate([b, a])
    t_ds = np.full(src.size, GRID_M / (mode.speed_kmh / 3.6) * 10)
    return Graph.from_edges("walk", gx.ravel(), gy.ravel(), src, dst, t_ds, np.full(src.size, float(GRID_M)))


def write_street_grid(path) -> int:
    """Residential streets every GRID_M metres over the region, as an OpenStreetMap PBF; returns the node count."""
    import osmium

    xs, ys = np.arange(0, W + 1, GRID_M), np.arange(0, H + 1, GRID_M)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    lon, lat = _to_lonlat(gx.ravel(), gy.ravel())
    ids = np.arange(1, gx.size + 1).reshape(gx.shape)
    writer = osmium.SimpleWriter(str(path))
    for i, (lo, la) in enumerate(zip(lon, lat)):
        writer.add_node(osmium.osm.mutable.Node(id=i + 1, location=osmium.osm.Location(float(lo), float(la))))
    way = 1
    for line in [*ids, *ids.T]:
        writer.add_way(osmium.osm.mutable.Way(id=way, nodes=[int(n) for n in line], tags={"highway": "residential"}))
        way += 1
    writer.close()
    return gx.size


def write_gtfs(folder, stops, trips, trip_route, day) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lon, lat = _to_lonlat(stops[:, 0], stops[:, 1])

    def hms(s):
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"

    (folder / "agency.txt").write_text("agency_id,agency_name,agency_url,agency_timezone\n"
                                       "a,Generated,https://example.org,Europe/Brussels\n")
    (folder / "stops.txt").write_text("stop_id,stop_name,stop_lat,stop_lon\n" + "".join(
        f"s{i},S{i},{la:.7f},{lo:.7f}\n" for i, (lo, la) in enumerate(zip(lon, lat))))
    (folder / "routes.txt").write_text("route_id,agency_id,route_short_name,route_type\n" + "".join(
        f"r{r},a,{r},3\n" for r in sorted(set(trip_route.tolist()))))
    (folder / "calendar.txt").write_text("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                                         f"start_date,end_date\nd,1,1,1,1,1,1,1,{day:%Y%m%d},{day:%Y%m%d}\n")
    (folder / "trips.txt").write_text("route_id,service_id,trip_id\n" + "".join(
        f"r{r},d,t{k}\n" for k, r in enumerate(trip_route.tolist())))
    with open(folder / "stop_times.txt", "w") as f:
        f.write("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
        for k, calls in enumerate(trips):
            for n, (s, a, d) in enumerate(calls):
                f.write(f"t{k},{hms(a)},{hms(d)},s{s},{n + 1}\n")


def versus_ferrobus(args, rng, stops, trips, trip_route, pts, cat, ours, t_ours) -> None:
    import datetime
    import tempfile
    from pathlib import Path

    try:
        import ferrobus
    except ImportError:
        print("\nferrobus: not installed (pip install -e '.[bench]'), not measured")
        return
    day = datetime.date(2026, 3, 10)
    sample = rng.choice(len(pts), size=min(args.ferrobus_origins, len(pts)), replace=False)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        nodes = write_street_grid(Path(tmp) / "streets.osm.pbf")
        write_gtfs(Path(tmp) / "gtfs", stops, trips, trip_route, day)
        t_write = time.perf_counter() - t0
        t0 = time.perf_counter()
        fm = ferrobus.create_transit_model(str(Path(tmp) / "streets.osm.pbf"), [str(Path(tmp) / "gtfs")], day, 400)
        t_model = time.perf_counter() - t0
    olon, olat = _to_lonlat(pts[sample, 0], pts[sample, 1])
    slon, slat = _to_lonlat(cat.x, cat.y)
    # walking to and from the stops: ours within ours.access_m as the crow flies (× circuity, at walking speed)
    walk_s = int(ours.access_m * MODES["walk"].circuity / MODES["walk"].crow_speed_ms)
    t0 = time.perf_counter()
    origins = [ferrobus.create_transit_point(float(la), float(lo), fm, walk_s, 10) for lo, la in zip(olon, olat)]
    targets = [ferrobus.create_transit_point(float(la), float(lo), fm, walk_s, 10) for lo, la in zip(slon, slat)]
    t_points = time.perf_counter() - t0
    theirs = np.full((len(sample), WINDOW.size), np.inf)
    t0 = time.perf_counter()
    for i, o in enumerate(origins):
        for j, tau in enumerate(WINDOW):
            found = [r["travel_time_seconds"] for r in ferrobus.find_routes_one_to_many(fm, o, targets, int(tau), 3) if r]
            theirs[i, j] = min(found, default=np.inf)
    t_theirs = time.perf_counter() - t0
    mine = ours.at_origins(ours.search(cat, limit_s=5400)).time_s[sample]
    # the same answers, walking the same streets: ours along the street grid too, at ferrobus' walking speed
    streets = street_grid_graph(FERROBUS_WALK)
    along = transit.TransitModel(ours.tt, ours.stops[:, 0], ours.stops[:, 1], FERROBUS_WALK, WINDOW,
                                 threshold_s=ours.threshold_s, access_m=walk_s * FERROBUS_WALK.speed_kmh / 3.6,
                                 paths=NetworkModel(streets, FERROBUS_WALK, max_snap_m=GRID_M))
    along.set_origins(pts[sample, 0], pts[sample, 1])
    mine_along = along.at_origins(along.search(cat, limit_s=5400)).time_s
    median_theirs = np.median(theirs, axis=1)
    both = np.isfinite(mine) & np.isfinite(median_theirs)
    diff = np.abs(mine[both] - median_theirs[both]) / 60
    per_pair = t_theirs / len(sample)
    from importlib.metadata import version

    print(f"\nferrobus {version('ferrobus')} (RAPTOR in Rust) on the same "
          f"feed as GTFS and a street grid every {GRID_M} m ({nodes} nodes, written in {t_write:.1f} s; model built "
          f"in {t_model:.1f} s; {len(origins) + len(targets)} points connected in {t_points:.1f} s)")
    print(f"  {len(sample)} origins × 1 category ({cat.x.size} services) × {WINDOW.size} minutes: {t_theirs:.1f} s, "
          f"extrapolated to {len(pts)} points × {args.categories} categories: {per_pair * len(pts) * args.categories:.0f} s "
          f"(ours, all of them: {t_ours:.1f} s) → ours {per_pair * len(pts) * args.categories / t_ours:.0f}× faster")
    if both.any():
        print(f"  Same answers? median travel time of the {both.sum()} origins both reach: differ by {np.median(diff):.1f} "
              f"min in the median, within 3 min for {100 * np.mean(diff <= 3):.0f} %; reached by one only: "
              f"{(~both).sum()} (ferrobus walks the street grid at its own speed and at most {walk_s // 60} min to "
              f"and from the stops and all the way; we walk the straight line × {MODES['walk'].circuity} at "
              f"{MODES['walk'].speed_kmh} km/h, all the way up to the search limit)")
    both = np.isfinite(mine_along) & np.isfinite(median_theirs)
    if both.any():
        diff = np.abs(mine_along[both] - median_theirs[both]) / 60
        print(f"  Walking the same street grid at {FERROBUS_WALK.speed_kmh} km/h (ours along its paths too): medians differ "
              f"by {np.median(diff):.1f} min in the median, within 1 min for {100 * np.mean(diff <= 1):.0f} %, within 3 min "
              f"for {100 * np.mean(diff <= 3):.0f} %; reached by one only: {(~both).sum()}")
    print("  Goal (reference, not asserted): at least as fast as ferrobus for the same answers.")


def _check(rng) -> int:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "brute", os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "access",
                              "test_transit.py"))
    brute = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(brute)
    checked = 0
    for seed in range(20):
        trips, footpaths, egress = brute.random_network(np.random.default_rng(seed))
        tt = transit.Timetable.from_trips(7, trips, footpaths)
        prof = transit.profile(tt, np.array(egress))
        for stop in range(7):
            for tau in sorted({d for calls in trips for _s, _a, d in calls}):
                expected = brute.brute_arrival(tt, trips, footpaths, egress, stop, tau)
                got = prof.arrival(stop, tau)
                assert (got if got < transit.INF else float("inf")) == expected
                checked += 1
    return checked


if __name__ == "__main__":
    main()
