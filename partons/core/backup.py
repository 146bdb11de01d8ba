"""Back up and restore the whole site — the database and the uploaded files — as one .tar.gz archive.

The archive holds `manifest.json`, the database (`database.sqlite3`, a copy made with SQLite's online backup
API, or `database.pgdump`, pg_dump's custom format) and the uploaded files under `media/`. Both database
copies are consistent snapshots taken while the site keeps running.
"""
import gzip
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from contextlib import closing
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT_VERSION = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one sentence for the user."""


def default_path() -> Path:
    return Path(settings.VAR_DIR) / "backups" / f"partons-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def describe_database(connection) -> dict:
    """Applied migrations per app and rows per model, as the connection sees the database now."""
    with connection.cursor() as cursor:
        return _describe(cursor, set(connection.introspection.table_names(cursor)), connection.ops.quote_name)


def _describe(cursor, tables: set, quote) -> dict:
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in sorted(cursor.fetchall()):
            migrations.setdefault(app, []).append(name)
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(meta.db_table)}")
            rows[meta.label] = cursor.fetchone()[0]
    return {"migrations": migrations, "rows": dict(sorted(rows.items()))}


def make_backup(path=None, using="default") -> tuple[Path, dict]:
    """Write the archive (to a temporary name, renamed when complete); return its path and manifest."""
    connection = connections[using]
    vendor = _vendor(connection)
    path = Path(path) if path else default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".partons-backup-") as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        if vendor == "postgresql":
            with transaction.atomic(using=using), connection.cursor() as cursor:  # one snapshot for all that follows
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                state = describe_database(connection)
                _pg_run("pg_dump", connection, "--format=custom", "--no-owner", "--no-privileges",
                        f"--snapshot={snapshot}", f"--file={dump}")
        else:
            _sqlite_copy(str(connection.settings_dict["NAME"]), dump)
            with closing(sqlite3.connect(dump)) as copy:
                copy_cursor = copy.cursor()
                tables = {name for (name,) in copy_cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                state = _describe(copy_cursor, tables, connection.ops.quote_name)
        files = sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()) if media_root.is_dir() else []
        fd, part = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")  # mode 0600
        os.close(fd)
        try:
            with tarfile.open(part, "w:gz") as tar:
                tar.add(dump, arcname=dump.name)
                count = 0
                for file in files:
                    try:
                        tar.add(file, arcname=f"media/{file.relative_to(media_root).as_posix()}", recursive=False)
                    except FileNotFoundError:  # deleted by the site meanwhile
                        continue
                    count += 1
                manifest = {"format": FORMAT_VERSION, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                            "vendor": vendor, "partons_version": _version(), "database": dump.name, "files": count,
                            **state}
                _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            os.replace(part, path)
        except BaseException:
            Path(part).unlink(missing_ok=True)
            raise
    return path, manifest


def restore_backup(path, using="default", confirm=None) -> dict | None:
    """Check the archive, ask `confirm(manifest)` if given, then replace the database and the uploaded files.

    Returns the manifest, or None when `confirm` said no (nothing changed then)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no such backup file: {path}")
    connection = connections[using]
    vendor = _vendor(connection)
    media_root = Path(settings.MEDIA_ROOT)
    try:
        with tarfile.open(path, "r:gz") as tar:
            members, manifest = _check_archive(tar)
            if manifest.get("vendor") != vendor:
                raise BackupError(f"this backup is of a {manifest.get('vendor')} database; the current database is {vendor}")
            if DUMP_NAMES[vendor] not in {m.name for m in members}:
                raise BackupError(f"the archive has no {DUMP_NAMES[vendor]}")
            if confirm is not None and not confirm(manifest):
                return None
            media_root.parent.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".partons-restore-"))
            try:
                # The entries were checked above (no absolute path, no "..", no link); Python 3.11.4+ checks again.
                if hasattr(tarfile, "data_filter"):
                    tar.extractall(work, members=members, filter="data")
                else:
                    tar.extractall(work, members=members)
                _restore_database(connection, work / DUMP_NAMES[vendor])
                _swap_folder(work / "media", media_root, work / "media-before-restore")
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except (tarfile.TarError, gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise BackupError(f"{path} is not a readable .tar.gz archive ({e})") from None
    loader = MigrationLoader(None, ignore_no_migrations=True)
    manifest["missing_migrations"] = sorted(f"{app}.{name}" for app, name in loader.disk_migrations
                                            if name not in manifest.get("migrations", {}).get(app, []))
    return manifest


def _check_archive(tar) -> tuple[list, dict]:
    """Every entry safe and expected (no absolute path, no '..', no link); the manifest read and known."""
    members, manifest = [], None
    allowed = {"manifest.json", "media", *DUMP_NAMES.values()}
    for member in tar:
        parts = PurePosixPath(member.name).parts
        if member.name.startswith("/") or ".." in parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"unsafe entry in the archive: {member.name}")
        if not parts or parts[0] not in allowed:
            raise BackupError(f"unexpected entry in the archive: {member.name}")
        if member.name == "manifest.json":
            try:
                manifest = json.load(tar.extractfile(member))
            except ValueError:
                raise BackupError("the archive's manifest.json is not valid JSON") from None
        members.append(member)
    if manifest is None:
        raise BackupError("the archive has no manifest.json: not a Partons backup")
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this Partons reads format {FORMAT_VERSION})")
    if sum(m.isfile() and m.name.startswith("media/") for m in members) != manifest.get("files"):
        raise BackupError("the archive is incomplete: it holds fewer or more files than its manifest lists")
    return members, manifest


def _restore_database(connection, dump: Path):
    connections.close_all()
    if connection.vendor == "postgresql":
        _pg_run("pg_restore", connection, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                str(dump))
        return
    name = str(connection.settings_dict["NAME"])
    try:
        with closing(sqlite3.connect(dump)) as source, \
                closing(sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)) as target:
            source.backup(target)  # page by page into the live file, through SQLite (its WAL stays consistent)
    except sqlite3.Error as e:
        raise BackupError(f"could not restore the SQLite database: {e}") from None


def _swap_folder(new: Path, root: Path, old: Path):
    """Put `new` in the place of `root`; the former `root` is moved to `old` (removed by the caller)."""
    new.mkdir(exist_ok=True)
    if root.exists():
        root.rename(old)
    try:
        new.rename(root)
    except OSError:
        if old.exists():
            old.rename(root)
        raise


def _sqlite_copy(name: str, dest: Path):
    """Copy the live database with SQLite's online backup API, in one step: a consistent snapshot while others write."""
    try:
        with closing(sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)) as source, \
                closing(sqlite3.connect(dest)) as target:
            source.backup(target)
    except sqlite3.Error as e:
        raise BackupError(f"could not copy the SQLite database: {e}") from None


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client (apt-get install postgresql-client)")
    return found


def _pg_run(tool: str, connection, *args):
    """Run pg_dump / pg_restore on the connection's database; the password goes through the environment."""
    s = connection.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    if s.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = s["OPTIONS"]["sslmode"]
    result = subprocess.run([pg_tool(tool), f"--dbname={s['NAME']}", *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        raise BackupError(f"{tool} failed: {lines[-1] if lines else f'exit status {result.returncode}'}")


def _vendor(connection) -> str:
    if connection.vendor not in DUMP_NAMES:
        raise BackupError(f"backups support SQLite and PostgreSQL; the current database is {connection.vendor}")
    return connection.vendor


def _version() -> str:
    try:
        return metadata.version("partons")
    except metadata.PackageNotFoundError:
        return "unknown"


def _add_bytes(tar, name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
    tar.addfile(info, fileobj=io.BytesIO(data))
