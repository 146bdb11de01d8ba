"""The production web tier as `make serve` runs it (gunicorn under the production settings on PostgreSQL and Redis),
measured with wrk from this machine: requests per second of /healthz (the trivial baseline) and of API answers,
with database connections closed after each request (CONN_MAX_AGE=0) and kept (600, the production default); the
bytes of the boundaries file the maps load, plain, compressed and revalidated.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partons_bench_http .venv/bin/python bench/http_stack.py [--quick]

Needs `wrk` (apt-get install wrk). The database is made if missing and the demo region loaded into it."""
import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _stack import PROXY, database, partons, production_env, serve, stop, wrk  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="5-second runs instead of 15")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/partons_bench_http")
    database(database_url, fresh=False)
    var = Path(tempfile.mkdtemp(prefix="partons-bench-"))
    env = production_env(database_url, var)
    partons(env, "migrate", "--noinput")
    partons(env, "collectstatic", "--noinput")
    partons(env, "load-demo")
    seconds = 5 if args.quick else 15
    paths = {"/healthz": "trivial baseline", "/api/villages?limit=100": "villages, 100 per page",
             "/api/municipalities?geometry=boundary&simplify=0.0008&limit=2000": "boundaries of the maps"}
    results = {}
    for age in (0, 600):
        proc, base = serve(env, CONN_MAX_AGE=str(age))
        try:
            for path in paths:
                results[(age, path)] = wrk(base, [path], seconds=seconds, connections=32)["rps"]
        finally:
            stop(proc)
    print(f"gunicorn 4 workers x 4 threads, wrk 2 threads x 32 connections, {seconds} s each, same machine:")
    for path, label in paths.items():
        closed, kept = results[(0, path)], results[(600, path)]
        print(f"  {label:28s} {closed:8.0f} req/s closed connections, {kept:8.0f} kept  (x{kept / closed:.2f}); "
              f"kept vs /healthz: {kept / results[(600, '/healthz')]:.2f}")
    proc, base = serve(env)
    try:
        url = base + "/api/municipalities?geometry=boundary&simplify=0.0008&limit=2000"
        plain = requests.get(url, headers={**PROXY, "Accept-Encoding": "identity"})
        zipped = requests.get(url, headers={**PROXY, "Accept-Encoding": "gzip"}, stream=True)
        zipped_bytes = len(zipped.raw.read())
        again = requests.get(url, headers={**PROXY, "If-None-Match": plain.headers["ETag"]})
        print(f"boundaries of the maps: {len(plain.content):,} bytes plain, {zipped_bytes:,} gzip "
              f"(x{len(plain.content) / zipped_bytes:.1f} smaller), a repeat visit: {again.status_code} with "
              f"{len(again.content)} bytes; Cache-Control: {plain.headers['Cache-Control']}")
    finally:
        stop(proc)
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
