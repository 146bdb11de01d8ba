"""SQLite, the embedded default, under concurrent use: readers never block the writer, a second writer waits for the
lock instead of failing with "database is locked"."""
import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import threading, time, django
    django.setup()
    from django.db import connection, transaction

    with connection.cursor() as c:
        mode = c.execute("PRAGMA journal_mode").fetchone()[0]
        c.execute("CREATE TABLE t (x INTEGER)")
    results = {}
    writing = threading.Event()

    def first_writer():
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("INSERT INTO t VALUES (1)")
            writing.set()
            time.sleep(1.0)  # a long write: an import, a recomputation
        connection.close()

    def reader():
        writing.wait()
        start = time.monotonic()
        with connection.cursor() as c:
            results["read"] = c.execute("SELECT count(*) FROM t").fetchone()[0]
        results["read_s"] = time.monotonic() - start
        connection.close()

    def second_writer():
        writing.wait()
        try:
            with transaction.atomic():
                with connection.cursor() as c:
                    c.execute("INSERT INTO t VALUES (2)")
            results["second"] = "ok"
        except Exception as exc:
            results["second"] = str(exc)
        connection.close()

    threads = [threading.Thread(target=f) for f in (first_writer, reader, second_writer)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    with connection.cursor() as c:
        total = c.execute("SELECT count(*) FROM t").fetchone()[0]
    print(mode, results["read"], round(results["read_s"], 2), results["second"], total)
''')


def _run(tmp_path, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    full_env.update({"DJANGO_SETTINGS_MODULE": "partons.config.settings.test",
                     "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env})
    r = subprocess.run([sys.executable, "-c", SCRIPT], env=full_env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


def test_sqlite_readers_do_not_block_and_writers_wait_for_each_other(tmp_path):
    mode, read, read_s, second, total = _run(tmp_path)
    assert mode == "wal"
    assert read == "0" and float(read_s) < 0.5  # read the last committed state at once, during the write
    assert second == "ok" and total == "2"  # waited for the first writer, then wrote


def test_without_these_settings_the_second_writer_fails(tmp_path):
    """Positive control: the same two writers with SQLite's defaults (no waiting) end in "database is locked"."""
    import sqlite3

    path = tmp_path / "plain.sqlite3"
    first = sqlite3.connect(path, timeout=0, isolation_level=None)
    first.execute("CREATE TABLE t (x INTEGER)")
    first.execute("BEGIN IMMEDIATE")
    first.execute("INSERT INTO t VALUES (1)")
    second = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        second.execute("BEGIN IMMEDIATE")
        failed = ""
    except sqlite3.OperationalError as exc:
        failed = str(exc)
    first.execute("COMMIT")
    assert "locked" in failed
