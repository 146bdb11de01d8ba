"""The production stack, built from this checkout as the README's "Deploying" says and started from the Procfile
(gunicorn with several workers + `partons db_worker`) under the production settings, on PostgreSQL and Redis.

The tests talk to it over HTTP as the TLS proxy in front of it would (X-Forwarded-Proto: https). Where to find the
services: STACK_POSTGRES_URL (an administrator's connection, default postgres://postgres@127.0.0.1:5432/postgres; a
database `partons_smoke` is made afresh beside it) and STACK_REDIS_URL (default redis://127.0.0.1:6379/15, emptied)."""
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("STACK_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/15")
DB_NAME = "partons_smoke"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fresh_database() -> str:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    parts = urlsplit(ADMIN_URL)
    return urlunsplit(parts._replace(path=f"/{DB_NAME}"))


@dataclass
class Stack:
    url: str
    env: dict
    log: Path
    check_output: str
    database_url: str

    def get(self, path, session=None, **kw):
        headers = {"X-Forwarded-Proto": "https", **kw.pop("headers", {})}
        return (session or requests).get(self.url + path, headers=headers, allow_redirects=False, timeout=60, **kw)

    def post(self, path, session, data, **kw):
        headers = {"X-Forwarded-Proto": "https", "Origin": "https://" + urlsplit(self.url).netloc,
                   "Referer": "https://" + urlsplit(self.url).netloc + path, **kw.pop("headers", {})}
        return session.post(self.url + path, data=data, headers=headers, allow_redirects=False, timeout=60, **kw)

    def partons(self, *args, timeout=600):
        r = subprocess.run([str(BIN / "partons"), *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
                           timeout=timeout)
        assert r.returncode == 0, f"partons {' '.join(args)} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        return r.stdout

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    import redis

    var = tmp_path_factory.mktemp("stack-var")
    database_url = _fresh_database()
    redis.Redis.from_url(REDIS_URL).flushdb()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CACHE_URL")}
    env.update({
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        "DJANGO_SETTINGS_MODULE": "partons.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "CACHE_URL": REDIS_URL,
        "PARTONS_VAR_DIR": str(var),
        "SITE_URL": f"https://127.0.0.1:{port}",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "3",
        "WEB_THREADS": "4",
        "ACCESS_LOG": "",  # keep the log to errors and the worker
    })
    log = var / "stack.log"
    s = Stack(url=f"http://127.0.0.1:{port}", env=env, log=log, check_output="", database_url=database_url)
    # What the README's "Deploying" section says, in its order.
    s.check_output = s.partons("check", "--deploy", "--fail-level", "WARNING")
    s.partons("migrate", "--noinput")
    s.partons("collectstatic", "--noinput")
    s.partons("compile-translations")
    s.partons("load-demo")
    s.partons("demo-coordinator")
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(BIN / "honcho"), "start", "-f", "Procfile"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if s.get("/healthz").status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the stack did not start:\n{s.log_tail()}")
            time.sleep(0.5)
        yield s
    finally:
        _stop(proc)


def _stop(proc):
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
