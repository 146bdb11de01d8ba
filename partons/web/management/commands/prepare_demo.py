"""Prepare the embedded demo in one go (what `make run` does before serving): migrate, load the demo region and the
reference files when anything they come from changed, compute the access figures when stale, create the demo
coordinator. A second run with nothing changed only checks, in a few seconds."""
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from partons.observatory import sources as facility_sources
from partons.territory.models import Village

# The reference files that `make run` imports when the read-only reference folder is there.
BOUNDARIES = "be-municipalities-2020.topojson"
STATIONS = "be-rail-stations.csv"
# Without it, the Belgian municipalities of the demo region come from the project's simplified extract of the same
# source (scripts/extract_be_municipalities.py), so a fresh clone draws them as areas, as it does the French ones.
BOUNDARIES_EXTRACT = settings.PACKAGE_DIR / "territory" / "data" / "be-westhoek-municipalities.geojson"
BOUNDARIES_SOURCE = "Statbel / bmesuere belgium-topojson 2020 (CC0)"


def _fingerprint(reference: Path | None) -> str:
    """What the demo is built from: the loaders and their data, the pinned packages, the migrations, the reference
    files (by name, size and date)."""
    root = settings.PACKAGE_DIR
    files = sorted([*root.rglob("demo.py"), *(root / "territory" / "loaders").glob("*.py"),
                    *(root / "territory" / "data").glob("*"), *root.glob("*/migrations/0*.py"),
                    settings.BASE_DIR / "requirements.txt", settings.BASE_DIR / "package-lock.json"])
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
            digest.update(path.read_bytes())
    for name in (BOUNDARIES, STATIONS):
        path = reference / name if reference else None
        if path and path.is_file():
            stat = path.stat()
            digest.update(f"{name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = ("Prepare the demo site: migrate, load the demo region (and the reference files when --reference names a "
            "folder holding them) if anything changed since the last time, compute stale access figures, create the "
            "demo coordinator.")

    def add_arguments(self, parser):
        parser.add_argument("--reference", help="Folder of the read-only reference files (optional)")
        parser.add_argument("--force", action="store_true", help="Load the demo again even if nothing changed")

    def handle(self, *args, reference=None, force=False, **options):
        reference_dir = Path(reference) if reference and Path(reference).is_dir() else None
        call_command("migrate", interactive=False, verbosity=0)
        stamp_path = settings.VAR_DIR / "demo-loaded.json"
        fingerprint = _fingerprint(reference_dir)
        try:
            stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stamp = {}
        villages = Village.objects.count()
        if not force and stamp.get("fingerprint") == fingerprint and stamp.get("villages") == villages and villages:
            self.stdout.write("The demo region is up to date (nothing it is made from changed).")
        else:
            self._load(reference_dir)
            stamp_path.parent.mkdir(parents=True, exist_ok=True)
            stamp_path.write_text(json.dumps({"fingerprint": fingerprint, "villages": Village.objects.count()}),
                                  encoding="utf-8")
        call_command("compute_access", if_stale=True)
        call_command("demo_coordinator")

    def _load(self, reference: Path | None):
        call_command("load_demo")
        if reference and (reference / BOUNDARIES).is_file():
            self.stdout.write(f"Importing the Belgian municipality boundaries from {reference}…")
            call_command("import_boundaries", str(reference / BOUNDARIES), country="BE", layer="municipalities",
                         code_field="nis", source=BOUNDARIES_SOURCE)
        else:
            self.stdout.write("Importing the Belgian municipality boundaries (the project's simplified extract)…")
            call_command("import_boundaries", str(BOUNDARIES_EXTRACT), country="BE", code_field="nis",
                         source=f"{BOUNDARIES_SOURCE}, simplified extract")
        if reference and (reference / STATIONS).is_file():
            self.stdout.write(f"Importing the real rail stations from {reference}…")
            call_command("import_facilities", "generic", str(reference / STATIONS), "--source", facility_sources.STATIONS,
                         "--licence", "CC0 1.0", "--category", "rail_station", "--map", "id=URI", "--map", "name=name",
                         "--map", "lon=longitude", "--map", "lat=latitude")
