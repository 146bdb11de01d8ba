"""The platform under load, served as production serves it: the stack `make serve` starts (honcho + Procfile:
gunicorn 4 workers x 4 threads and the worker, production settings, PostgreSQL, Redis) over the demo region filled
up to 100,000 facilities and 100,000 ideas (the extra ones synthetic), driven from 127.0.0.1 by wrk with 50
concurrent connections: each endpoint alone for a fixed time, then all of them mixed. Prints throughput, p50/p95/p99
and errors per endpoint with the ratio to /healthz measured in the same run, and the goals as reference lines.
Timings are printed, never asserted.

    .venv/bin/python bench/load.py [--seconds 15] [--connections 50] [--reuse]

Needs wrk (apt-get install wrk), PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/partons_bench_load, made afresh unless --reuse) and Redis (CACHE_URL, default
redis://127.0.0.1:6379/14)."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import PROXY, ROOT, database, load_average, partons, production_env, serve, stop, wrk  # noqa: E402

FACILITIES = 100_000
IDEAS = 100_000
GOALS = ["Goals: each map/list API within 3x /healthz throughput; /nl/ideas/, a village page and /nl/access/ within 6x;",
         "       the seven mixed with p95 under 1 s at 50 concurrent clients; no errors."]


def populate():
    """Run inside the production environment (a subprocess): fill up to FACILITIES and IDEAS."""
    import random

    import django

    django.setup()
    from django.db import connection

    from partons.observatory.models import Facility, ServiceCategory
    from partons.territory.models import Village

    rng = random.Random(42)
    villages = list(Village.objects.filter(merged_into=None).select_related("municipality__country")
                    .defer("municipality__boundary"))
    cats = list(ServiceCategory.objects.all())
    missing = FACILITIES - Facility.objects.count()
    batch = []
    for i in range(max(0, missing)):
        v = villages[rng.randrange(len(villages))]
        closed = None if rng.random() > 0.2 else __import__("datetime").date(rng.randint(2001, 2025), rng.randint(1, 12), 1)
        batch.append(Facility(category=cats[rng.randrange(len(cats))], name=f"Bench {i}", lon=v.lon + rng.gauss(0, 0.008),
                              lat=v.lat + rng.gauss(0, 0.005), village=v, closed_on=closed, source="bench load",
                              source_id=f"bench-{i}", synthetic=True, licence="synthetic"))
        if len(batch) == 10_000:
            Facility.objects.bulk_create(batch)
            batch = []
    Facility.objects.bulk_create(batch)
    sys.argv = [sys.argv[0]]
    import ideas as ideas_bench  # bench/ideas.py: its generator of realistic ideas
    from partons.ideas.models import Idea

    if Idea.objects.count() < IDEAS:
        residents = ideas_bench.make_residents(300)
        ideas_bench.populate(IDEAS, villages, residents, rng)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"{Facility.objects.count():,} facilities, {Idea.objects.count():,} ideas")


def prepare(*, reuse: bool) -> tuple[dict, Path]:
    """The production environment over the bench database, filled (afresh unless `reuse`), migrated and computed;
    static files collected into a new temporary folder (returned, for the caller to remove)."""
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/partons_bench_load")
    database(database_url, fresh=not reuse)
    var = Path(tempfile.mkdtemp(prefix="partons-load-"))
    env = production_env(database_url, var, ACCESS_AUTO_RECOMPUTE="false")
    t0 = time.monotonic()
    partons(env, "migrate", "--noinput")
    partons(env, "collectstatic", "--noinput")
    partons(env, "load-demo")
    subprocess.run([sys.executable, __file__, "--populate"], cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, check=True)
    partons(env, "compute-access", "--if-stale")
    print(f"set-up {time.monotonic() - t0:.0f} s")
    return env, var


def endpoints(base: str) -> dict[str, str]:
    """The seven endpoints of the issue, the services map page, an event page, a call page and one export."""
    events = requests.get(base + "/api/events?past=true&limit=1", headers=PROXY).json()["features"]
    calls = requests.get(base + "/api/calls", headers=PROXY).json()
    call = (calls if isinstance(calls, list) else calls.get("items", calls.get("calls", [])))[0]
    return {
        "/healthz": "trivial baseline",
        "/api/facilities?bbox=2.6,50.75,2.95,50.95&compact=true&limit=5000": "services map API (bbox)",
        "/api/ideas?bbox=1.6,50.5,3.1,51.2&compact=true&limit=1000": "idea map API (bbox)",
        "/nl/ideas/": "idea list page",
        "/nl/villages/poperinge/": "village page (largest)",
        "/nl/access/": "access page",
        "/api/access/villages": "access API",
        "/nl/services/": "services map page",
        f"/nl/events/{events[0]['properties']['slug']}/": "an event page",
        f"/nl/calls/{call['slug']}/": "a call page",
        "/api/facilities.csv": "export (facilities CSV)",
    }


MIXED = ["/api/facilities?bbox=2.6,50.75,2.95,50.95&compact=true&limit=5000", "/api/ideas?bbox=1.6,50.5,3.1,51.2&compact=true&limit=1000",
         "/nl/ideas/", "/nl/villages/poperinge/", "/nl/access/", "/api/access/villages"]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--populate":
        return populate()
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    env, var = prepare(reuse=args.reuse)
    proc, base = serve(env, procfile=True)
    try:
        paths = endpoints(base)
        for path in paths:  # each answers, and what is built once per data change is built now
            r = requests.get(base + path, headers=PROXY, timeout=120)
            assert r.status_code == 200, (path, r.status_code)
        print(f"gunicorn 4 workers x 4 threads + worker, PostgreSQL, Redis; wrk 2 threads, {args.connections} "
              f"connections, {args.seconds} s per endpoint; load average before: {load_average()}")
        print(f"{'endpoint':32s} {'req/s':>8s} {'x /healthz':>10s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'errors':>7s}")
        baseline = None
        for path, label in paths.items():
            r = wrk(base, [path], seconds=args.seconds, connections=args.connections)
            baseline = baseline or r["rps"]
            print(f"{label:32s} {r['rps']:8.1f} {baseline / r['rps']:10.1f} {r['p50']:8.0f} {r['p95']:8.0f} "
                  f"{r['p99']:8.0f} {r['errors']:7d}")
        r = wrk(base, MIXED + ["/healthz"], seconds=2 * args.seconds, connections=args.connections)
        print(f"{'the seven mixed':32s} {r['rps']:8.1f} {'':10s} {r['p50']:8.0f} {r['p95']:8.0f} {r['p99']:8.0f} "
              f"{r['errors']:7d}")
        print(f"load average after: {load_average()}")
        print("\n".join(GOALS))
    finally:
        stop(proc)
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
