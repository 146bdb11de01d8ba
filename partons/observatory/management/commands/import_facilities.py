import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from partons.observatory.importers import bpe, generic, osm
from partons.observatory.importers.base import FacilityImportError
from partons.observatory.services import TooManyClosures, apply_snapshot


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = (
        "Import everyday services from a real file. A newer snapshot updates facilities in place (by source id) "
        "and closes, dated at the snapshot, what is no longer there; nothing is ever deleted.\n"
        "  partons import-facilities bpe bpe21_ensemble_xy.csv [--year 2021]\n"
        "  partons import-facilities osm westhoek.osm.pbf [--snapshot-date 2024-01-01]\n"
        "  partons import-facilities generic stations.csv --source iRail --licence CC0-1.0 --category rail_station "
        "--map id=URI --map name=name --map lon=longitude --map lat=latitude"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True)
        for name in ("bpe", "osm", "generic"):
            p = sub.add_parser(name)
            p.add_argument("file")
            p.add_argument("--dry-run", action="store_true", help="Show what would change, write nothing")
            p.add_argument("--confirm-closures", action="store_true",
                           help="Write even if the snapshot closes more than IMPORT_MAX_CLOSE_SHARE (20 %%) of the open "
                                "services it covers (a truncated file is refused otherwise)")
            if name == "bpe":
                p.add_argument("--year", type=int, help="Snapshot year, when the file has no AN column")
            if name in ("osm", "generic"):
                p.add_argument("--snapshot-date", help="YYYY-MM-DD (osm: default from the file; generic: today)")
            if name == "generic":
                p.add_argument("--source", required=True, help="Source name, e.g. 'iRail stations'")
                p.add_argument("--licence", default="", help="Licence of the data, e.g. CC0-1.0")
                p.add_argument("--category", help="Category code for every row, e.g. rail_station")
                p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                               help="id, name, lon, lat, address, opening_hours, category")
                p.add_argument("--srid", type=int, help="EPSG code of projected coordinates (e.g. 31370, 2154)")

    def handle(self, *args, **o):
        path = Path(o["file"])
        kind = o["kind"]
        snapshot = _date(o["snapshot_date"]) if o.get("snapshot_date") else None
        skipped = {}
        try:
            if kind == "bpe":
                records, rejected, snapshot, scope, layout, skipped = bpe.parse(path, year=o["year"])
                source, licence = bpe.SOURCE, bpe.LICENCE
                self.stdout.write(f"INSEE BPE, {layout} layout")
            elif kind == "osm":
                records, rejected, snapshot, scope = osm.parse(path, snapshot_date=snapshot)
                source, licence = osm.SOURCE, osm.LICENCE
            else:
                mapping = {}
                for item in o["map"]:
                    field, sep, column = item.partition("=")
                    if not sep or not column:
                        raise CommandError(f"--map {item}: use FIELD=COLUMN")
                    mapping[field.strip()] = column.strip()
                records, rejected, snapshot, scope = generic.parse(
                    path, mapping=mapping, category=o["category"], srid=o["srid"], snapshot_date=snapshot, source=o["source"])
                source, licence = o["source"], o["licence"]
        except FacilityImportError as exc:
            raise CommandError(str(exc)) from exc
        bar = tqdm(total=len(records), desc="writing", unit="facility", file=sys.stderr,
                   disable=o["dry_run"] or len(records) < 500 or not sys.stderr.isatty())
        try:
            summary = apply_snapshot(records, kind=kind, source=source, licence=licence, file_name=path.name,
                                     snapshot_date=snapshot, scope=scope, rejected=rejected, skipped=skipped,
                                     dry_run=o["dry_run"], progress=bar.update, confirm_closures=o["confirm_closures"])
        except TooManyClosures as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Done." if not o["dry_run"] else "Dry run done: nothing was written."))
