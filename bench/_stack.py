"""What the web-tier benches share: a PostgreSQL database of their own, the production settings, the stack started
as `make serve` starts it (honcho + Procfile: gunicorn and the worker), and wrk as the load generator."""
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROXY = {"X-Forwarded-Proto": "https"}  # the benches speak to the app as its TLS proxy does
WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database(url: str, *, fresh: bool) -> None:
    """Create the database of `url` (dropped first when `fresh`)."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def production_env(database_url: str, var_dir: Path, **extra) -> dict:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "partons.config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": database_url,
            "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/14"), "PARTONS_VAR_DIR": str(var_dir),
            "WEB_CONCURRENCY": "4", "WEB_THREADS": "4", "ACCESS_LOG": "", "LOG_LEVEL": "WARNING",
            # the load generator is one address: throttling would measure itself
            "API_RATE_ANONYMOUS": "100000000/m", "API_RATE_ACCOUNT": "100000000/m", "API_RATE_EXPORT": "100000000/m",
            **extra}


def partons(env, *args, quiet=True):
    subprocess.run([str(BIN / "partons"), *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL if quiet else None)


def wait_ready(base: str, proc, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", headers=PROXY, timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    stop(proc)
    raise SystemExit("the stack did not start")


def serve(env, *, procfile=False, **extra):
    """Start gunicorn alone, or the whole Procfile (gunicorn + worker) with honcho; return (process, base URL)."""
    port = free_port()
    env = {**env, "BIND": f"127.0.0.1:{port}", "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", **extra}
    command = ([str(BIN / "honcho"), "start", "-f", "Procfile"] if procfile else
               [str(BIN / "gunicorn"), "--config", "python:partons.config.gunicorn", "partons.config.wsgi:application"])
    proc = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_ready(base, proc)
    return proc, base


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def wrk(base: str, paths: list[str], *, seconds: int, connections: int) -> dict:
    """Drive the paths (one, or a mix picked at random per request) for `seconds`; throughput, latency percentiles
    (ms) and errors (connection errors, timeouts and answers other than 2xx/3xx)."""
    env = {**os.environ, "WRK_PATHS": "\n".join(paths)}
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(WRK_SCRIPT),
                          "-H", "X-Forwarded-Proto: https", "-H", "Accept-Encoding: gzip", base],
                         capture_output=True, text=True, env=env, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    requests_, seconds_us, p50, p95, p99, errors = line.split()[1:]
    return {"rps": int(requests_) / (int(seconds_us) / 1e6), "p50": float(p50), "p95": float(p95), "p99": float(p99),
            "errors": int(errors), "requests": int(requests_)}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
