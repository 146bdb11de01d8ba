"""Reading a country-size GTFS feed keeps memory bounded: only the region's stops and trips are kept.

    .venv/bin/python bench/gtfs_import.py            # feeds of 1 and 4 million stop_times rows
    .venv/bin/python bench/gtfs_import.py --quick    # 200,000 and 800,000 rows

A feed is generated (synthetic, not an operator's): the region (a 35 × 28 km box) has the same 300 stops and 2,000 trips
in every size, and the rest of the country (a 280 × 200 km box) grows with the feed: stops and trips of 20 calls. Each size is read
by ``partons.access.gtfs.read_feeds`` in its own process, which prints its peak memory (the resident set's high-water
mark) and time; the same process first measures a trivial baseline (Python with the modules imported, reading
nothing). The goal (printed, not asserted): the memory above the baseline grows far less than the feed (what is kept
is the region's; what grows is one entry per trip of the country, to check that stop_times.txt names known trips).
"""
from __future__ import annotations

import argparse
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DAY = datetime.date(2026, 3, 10)
COUNTRY = (2.0, 49.5, 6.0, 51.3)  # lon/lat box of the generated stops
REGION = (3.8, 50.3, 4.3, 50.55)


REGION_STOPS, REGION_TRIPS = 300, 2_000  # the same in every feed: only the rest of the country grows


def write_feed(path, rows: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    n_stops = max(rows // 200, 100)
    lon = rng.uniform(COUNTRY[0], COUNTRY[2], n_stops)
    lat = rng.uniform(COUNTRY[1], COUNTRY[3], n_stops)
    away = ~((lon >= REGION[0]) & (lon <= REGION[2]) & (lat >= REGION[1]) & (lat <= REGION[3]))
    lon, lat = np.concatenate([rng.uniform(REGION[0], REGION[2], REGION_STOPS), lon[away]]), \
        np.concatenate([rng.uniform(REGION[1], REGION[3], REGION_STOPS), lat[away]])
    n_stops = lon.size
    n_trips = rows // 20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\na,A,https://example.org,Europe/Brussels\n")
        z.writestr("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(
            f"s{i},S{i},{la:.6f},{lo:.6f}\n" for i, (lo, la) in enumerate(zip(lon, lat))))
        z.writestr("routes.txt", "route_id,route_short_name,route_type\nr,1,3\n")
        z.writestr("calendar.txt", "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
                                   "end_date\nd,1,1,1,1,1,0,0,20260101,20261231\n")
        z.writestr("trips.txt", "route_id,service_id,trip_id\n" + "".join(f"r,d,t{k}\n" for k in range(n_trips)))
        with z.open("stop_times.txt", "w") as f:
            f.write(b"trip_id,arrival_time,departure_time,stop_id,stop_sequence\n")
            times = rng.integers(5 * 3600, 22 * 3600, n_trips)
            for k in range(n_trips):
                # the first REGION_TRIPS trips call at the region's stops, the others elsewhere in the country
                calls = (rng.choice(REGION_STOPS, 20, replace=False) if k < REGION_TRIPS
                         else REGION_STOPS + rng.choice(n_stops - REGION_STOPS, 20, replace=False))
                t = int(times[k])
                lines = []
                for n, stop in enumerate(calls):
                    hms = f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"
                    lines.append(f"t{k},{hms},{hms},s{stop},{n + 1}\n")
                    t += 120
                f.write("".join(lines).encode())


def read_one(path) -> None:
    """In its own process: the baseline's and the reading's peak memory, and the time."""
    from partons.access import gtfs

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    feed = gtfs.read_feeds([path], day=DAY, names=["big"],
                           inside=lambda lo, la: (lo >= REGION[0]) & (lo <= REGION[2]) & (la >= REGION[1]) & (la <= REGION[3]))
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{base:.0f} {peak:.0f} {elapsed:.1f} {len(feed.stops)} {len(feed.trips)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--read", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.read:
        read_one(args.read)
        return
    sizes = (200_000, 800_000) if args.quick else (1_000_000, 4_000_000)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            path = os.path.join(tmp, f"feed-{rows}.zip")
            t0 = time.perf_counter()
            write_feed(path, rows)
            made = time.perf_counter() - t0
            out = subprocess.run([sys.executable, __file__, "--read", path], capture_output=True, text=True, check=True)
            base, peak, elapsed, stops, trips = out.stdout.split()
            results.append((rows, float(base), float(peak)))
            print(f"{rows:>9,} stop_times rows ({os.path.getsize(path) / 1e6:.0f} MB zipped, made in {made:.0f} s): "
                  f"read in {elapsed} s, {stops} stops and {trips} trips kept for the region; peak memory {peak} MB "
                  f"(baseline {base} MB: {float(peak) - float(base):.0f} MB for the reading)")
    (r1, b1, p1), (r2, b2, p2) = results
    grow = (p2 - b2) / max(p1 - b1, 1)
    print(f"Feed × {r2 / r1:.0f}: memory for the reading × {grow:.1f} "
          f"(goal, not asserted: bounded — far less than the feed's growth)")


if __name__ == "__main__":
    main()
