"""Read public transport from GTFS feeds (one per operator, on both sides of the border) and use it from now on."""
import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from tqdm import tqdm

from partons.access.gtfs import FeedError
from partons.analysis.services import default_service_day, import_transit


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--day: {value!r} is not a date as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = ("Read GTFS feeds (zip files), e.g. De Lijn, SNCB/NMBS and the French regional networks, for one service day: "
            "the stops of the region (and a margin across the border), the trips that run that day, changes on foot "
            "between nearby stops of any feed. A broken feed is refused with its file, line and field; nothing is "
            "written then.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="GTFS .zip files")
        parser.add_argument("--day", type=_day, default=None,
                            help="The service day to read, YYYY-MM-DD (default: the next Tuesday)")
        parser.add_argument("--names", default="", help="Comma-separated short names of the feeds (default: the file names)")
        parser.add_argument("--licence", default="", help="The feeds' licence, e.g. 'CC BY 4.0 (De Lijn)'")
        parser.add_argument("--name", default="", help="A name for this network (default: the feeds' names)")

    def handle(self, *args, files, day=None, names="", licence="", name="", **options):
        day = day or default_service_day()
        self.stdout.write(f"Reading {len(files)} feed(s) for {day:%A %Y-%m-%d}…")
        bars: dict[str, tqdm] = {}

        def advance(label, done, total):  # a progress bar per file read (on a terminal)
            bar = bars.get(label)
            if bar is None:
                bar = bars[label] = tqdm(total=total, desc=label, unit="B", unit_scale=True, file=sys.stderr,
                                         disable=not sys.stderr.isatty(), leave=False)
            bar.update(done - bar.n)

        try:
            net = import_transit(files, day=day, names=[n.strip() for n in names.split(",")] if names else None,
                                 licence=licence, name=name, progress=lambda line: self.stdout.write(f"  {line}"),
                                 advance=advance)
        except FeedError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars.values():
                bar.close()
        s = net.summary
        self.stdout.write(f"Public transport “{net.name}” for {net.service_day:%Y-%m-%d}: {s['stops']} stops, "
                          f"{s['routes']} routes, {s['trips']} trips, {s['connections']} connections, "
                          f"{s['footpaths']} changes on foot.")
