"""The production web tier as `make serve` runs it (gunicorn under the production settings on PostgreSQL and Redis),
measured with wrk from this machine: requests per second of /healthz (the trivial baseline) and of API answers,
with database connections closed after each request (CONN_MAX_AGE=0) and kept (600, the production default); the
bytes of the boundaries file the maps load, plain, compressed and revalidated.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/partons_bench_http .venv/bin/python bench/http_stack.py [--quick]

Needs `wrk` (apt-get install wrk). The database is made afresh (demo region loaded) unless it already holds it."""
import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROXY = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run(env, *args):
    subprocess.run([str(BIN / "partons"), *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", "X-Forwarded-Proto: https",
                          "-H", "Accept-Encoding: gzip", url], capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"    ({errors.group(1)} non-2xx answers)")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def serve(env, conn_max_age: int):
    port = free_port()
    proc = subprocess.Popen([str(BIN / "gunicorn"), "--config", "python:partons.config.gunicorn",
                             "partons.config.wsgi:application"], cwd=ROOT, start_new_session=True,
                            env={**env, "CONN_MAX_AGE": str(conn_max_age), "BIND": f"127.0.0.1:{port}"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if requests.get(base + "/healthz", headers=PROXY, timeout=10).status_code == 200:
                return proc, base
        except requests.RequestException:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="5-second runs instead of 15")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/partons_bench_http")
    ensure_database(database_url)
    var = Path(tempfile.mkdtemp(prefix="partons-bench-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "partons.config.settings.production",
           "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": database_url,
           "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/14"), "PARTONS_VAR_DIR": str(var),
           "WEB_CONCURRENCY": "4", "WEB_THREADS": "4", "ACCESS_LOG": "", "LOG_LEVEL": "WARNING",
           "API_RATE_ANONYMOUS": "10000000/m", "API_RATE_EXPORT": "10000000/m"}
    run(env, "migrate", "--noinput")
    run(env, "collectstatic", "--noinput")
    run(env, "load-demo")
    seconds = 5 if args.quick else 15
    paths = {"/healthz": "trivial baseline", "/api/villages?limit=100": "villages, 100 per page",
             "/api/municipalities?geometry=boundary&simplify=0.0008&limit=2000": "boundaries of the maps"}
    results = {}
    for age in (0, 600):
        proc, base = serve(env, age)
        try:
            for path in paths:
                results[(age, path)] = wrk(base + path, seconds, 32)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    print(f"gunicorn 4 workers x 4 threads, wrk 2 threads x 32 connections, {seconds} s each, same machine:")
    for path, label in paths.items():
        closed, kept = results[(0, path)], results[(600, path)]
        print(f"  {label:28s} {closed:8.0f} req/s closed connections, {kept:8.0f} kept  (x{kept / closed:.2f}); "
              f"kept vs /healthz: {kept / results[(600, '/healthz')]:.2f}")
    proc, base = serve(env, 600)
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
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
