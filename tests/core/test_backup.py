"""`partons backup` / `partons restore`: a real round trip on the database in force (SQLite or PostgreSQL, from
DATABASE_URL) and the uploaded files, and the refusals (each with a positive control: the good archive restores)."""
import io
import json
import sqlite3
import tarfile
from contextlib import closing

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from partons.core import backup
from partons.core.models import User
from partons.territory.models import Village
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)  # a real dump and restore: no test transaction around them

PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def live_db(transactional_db, tmp_path):
    """On SQLite the test database lives in memory: move it, for this test, into a WAL file like a real site's."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    path = tmp_path / "live.sqlite3"
    with closing(sqlite3.connect(path)) as target:
        memory.backup(target)
    connection.settings_dict["NAME"], connection.connection = str(path), None  # the next query opens the file
    assert connection.cursor().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    yield
    connection.close()
    connection.settings_dict["NAME"], connection.connection = name, memory


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return settings.MEDIA_ROOT


@pytest.fixture
def site(live_db, media, territory, tmp_path):
    """A site with data and files, its backup, and then changes made after the backup."""
    make_user("keeper@example.org")
    default_storage.save("reports/2026/05/photo.png", ContentFile(PHOTO))
    default_storage.save("ideas/note.txt", ContentFile(b"kept as it was"))
    at_backup = state(media)
    archive = tmp_path / "backups" / "site.tar.gz"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert f"Backup written: {archive}" in out.getvalue() and "2 uploaded files" in out.getvalue()
    # After the backup: a village gone, another added, a user renamed, a file gone, one altered, one added.
    Village.objects.get(slug="kemmel").delete()
    Village.objects.create(municipality=territory["heuvelland"], name_nl="Dranouter", name_fr="Dranoutre", slug="dranouter",
                           lon=2.78, lat=50.766)
    User.objects.filter(email="keeper@example.org").update(display_name="Renamed")
    default_storage.delete("reports/2026/05/photo.png")
    (media / "ideas" / "note.txt").write_bytes(b"altered")
    default_storage.save("ideas/after.txt", ContentFile(b"added after the backup"))
    after = state(media)
    assert after != at_backup
    return {"archive": archive, "at_backup": at_backup, "after": after, "media": media}


def state(media):
    return {
        "villages": sorted(Village.objects.values_list("slug", "name_nl", "population", "municipality__code", "lon")),
        "users": sorted(User.objects.values_list("email", "display_name", "password")),
        "rows": backup.describe_database(connection)["rows"],
        "files": {p.relative_to(media).as_posix(): p.read_bytes() for p in sorted(media.rglob("*")) if p.is_file()},
    }


def restore(archive, **options):
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out, **options)
    return out.getvalue()


def rewrite(archive, dest, manifest=None, extra=()):
    """A copy of `archive` with another manifest and/or extra entries."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(dest, "w:gz") as tar:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            add(tar, member.name, data)
        for name, data in extra:
            add(tar, name, data)
    return dest


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def test_round_trip_brings_back_the_database_and_the_files_as_they_were(site):
    with tarfile.open(site["archive"]) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names == {"manifest.json", backup.DUMP_NAMES[connection.vendor], "media/reports/2026/05/photo.png",
                     "media/ideas/note.txt"}
    assert manifest["format"] == 1 and manifest["vendor"] == connection.vendor and manifest["files"] == 2
    assert manifest["rows"] == site["at_backup"]["rows"] and manifest["rows"]["territory.Village"] == 5
    assert "0001_initial" in manifest["migrations"]["territory"]

    output = restore(site["archive"], yes=True)

    assert f"Restored {site['archive']}" in output and "2 uploaded files" in output
    assert state(site["media"]) == site["at_backup"]
    assert site["at_backup"]["files"]["reports/2026/05/photo.png"] == PHOTO
    assert not Village.objects.filter(slug="dranouter").exists()
    assert User.objects.get(email="keeper@example.org").display_name == ""
    # The restored database takes new rows as usual (its id sequences came back too).
    new = Village.objects.create(municipality=Village.objects.get(slug="loker").municipality, name_nl="Dranouter",
                                 slug="dranouter", lon=2.78, lat=50.766)
    assert new.pk > max(Village.objects.exclude(pk=new.pk).values_list("pk", flat=True))
    assert not list(site["media"].parent.glob(".partons-restore-*"))  # its work folder is gone


def test_backup_is_a_snapshot_of_committed_data_while_another_connection_writes(live_db, media, territory, tmp_path):
    """A 'site' connection holds an uncommitted change during the backup: the backup neither waits nor sees it."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        other = sqlite3.connect(s["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        other = psycopg.connect(dbname=s["NAME"], host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                                password=s["PASSWORD"] or None)
    other.execute("UPDATE territory_village SET population = 1 WHERE slug = 'kemmel'")
    archive = tmp_path / "site.tar.gz"
    try:
        call_command("backup", output=str(archive), stdout=io.StringIO())
    finally:
        other.commit() if connection.vendor == "postgresql" else other.execute("COMMIT")
        other.close()
    assert Village.objects.get(slug="kemmel").population == 1

    restore(archive, yes=True)

    assert Village.objects.get(slug="kemmel").population == 1157


def test_default_archive_name_in_var_backups(live_db, media, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    call_command("backup", stdout=io.StringIO())
    (archive,) = (tmp_path / "var" / "backups").iterdir()  # no temporary file left beside it
    assert archive.name.startswith("partons-") and archive.name.endswith(".tar.gz")
    assert archive.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only


def refused(archive, match, site, **options):
    """The restore is refused with `match`, nothing changed; then the good archive restores (positive control)."""
    with pytest.raises(CommandError, match=match):
        restore(archive, **{"yes": True, **options})
    assert state(site["media"]) == site["after"]
    restore(site["archive"], yes=True)
    assert state(site["media"]) == site["at_backup"]


def test_restore_refuses_a_backup_of_another_database_vendor(site, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = rewrite(site["archive"], tmp_path / "other.tar.gz", manifest=lambda m: {**m, "vendor": other})
    refused(archive, f"this backup is of a {other} database; the current database is {connection.vendor}", site)


def test_restore_refuses_an_unknown_format(site, tmp_path):
    archive = rewrite(site["archive"], tmp_path / "future.tar.gz", manifest=lambda m: {**m, "format": 99})
    refused(archive, "unknown backup format 99", site)


@pytest.mark.parametrize("name", ["../evil", "media/../../evil", "/tmp/evil"])
def test_restore_refuses_an_entry_outside_its_folder(site, tmp_path, name):
    archive = rewrite(site["archive"], tmp_path / "evil.tar.gz", extra=[(name, b"pwned")])
    refused(archive, "unsafe entry in the archive", site)
    assert not list(tmp_path.parent.glob("evil")) and not list(tmp_path.glob("**/evil"))


def test_restore_without_yes_and_no_terminal_is_refused(site):
    refused(site["archive"], "pass --yes to confirm", site, yes=False)


@pytest.mark.parametrize("kind, match", [
    ("missing", "no such backup file"), ("text", "is not a readable .tar.gz archive"),
    ("truncated", "is not a readable .tar.gz archive"), ("no manifest", "no manifest.json"),
    ("one file more", "the archive is incomplete")])
def test_restore_refuses_a_missing_damaged_or_foreign_archive(site, tmp_path, kind, match):
    archive = tmp_path / "other.tar.gz"
    if kind == "text":
        archive.write_text("not an archive")
    elif kind == "truncated":
        archive.write_bytes(site["archive"].read_bytes()[:site["archive"].stat().st_size // 2])
    elif kind == "no manifest":
        with tarfile.open(archive, "w:gz") as tar:
            add(tar, "media/a.txt", b"a")
    elif kind == "one file more":
        rewrite(site["archive"], archive, extra=[("media/slipped-in.txt", b"x")])
    refused(archive, match, site)


def test_a_damaged_database_dump_is_refused_before_anything_changes(site, tmp_path):
    dump = backup.DUMP_NAMES[connection.vendor]
    with tarfile.open(site["archive"]) as src, tarfile.open(tmp_path / "damaged.tar.gz", "w:gz") as tar:
        for member in src:
            add(tar, member.name, b"garbage" * 100 if member.name == dump else src.extractfile(member).read())
    tool = "pg_restore failed: " if connection.vendor == "postgresql" else "could not restore the SQLite database"
    refused(tmp_path / "damaged.tar.gz", tool, site)


def test_missing_postgresql_client_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    message = r"pg_dump not found: install the PostgreSQL client \(apt-get install postgresql-client\)"
    with pytest.raises(backup.BackupError, match=message):
        backup.pg_tool("pg_dump")
    if connection.vendor == "postgresql":
        with pytest.raises(CommandError, match=message):
            call_command("backup", output=str(tmp_path / "b.tar.gz"), stdout=io.StringIO())
        assert not list(tmp_path.glob("*.tar.gz*"))
