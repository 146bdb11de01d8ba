"""Reading GTFS feeds (zip files) into the engine's timetable for one service day, in bounded memory.

Several feeds are read at once (one per operator on each side of the border); their stops are told apart by the feed's
name (``feed:stop_id``). Only what the region needs is kept: stops inside a box (with a margin across the border) and
the trips that run on the day and call at one of them. ``stop_times.txt`` is streamed twice — once to learn which trips
touch the region, once to keep their calls — so a whole country's feed never sits in memory. A trip that leaves the
region and comes back is cut there: no connection is made across stops that were not kept.

Services run on the day by ``calendar.txt`` and/or ``calendar_dates.txt`` (either may be missing, not both);
``frequencies.txt`` repeats a trip's pattern every ``headway_secs`` from ``start_time`` until before ``end_time``;
``transfers.txt`` (type 2, a minimum time) adds footpaths between stops; times may pass 24:00. Feeds whose agencies
keep another time zone than the first feed's are shifted to it.

A broken feed raises ``FeedError`` naming the file, the line and the field; nothing is half-read."""
from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from partons.access.transit import Timetable

REQUIRED = {
    "agency.txt": ("agency_timezone",),
    "stops.txt": ("stop_id", "stop_lat", "stop_lon"),
    "routes.txt": ("route_id",),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
}
TIME = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")


class FeedError(ValueError):
    def __init__(self, feed: str, file: str, line: int | None, field_name: str | None, message: str):
        where = f"{feed}: {file}" + (f", line {line}" if line else "") + (f", {field_name}" if field_name else "")
        super().__init__(f"{where}: {message}")
        self.feed, self.file, self.line, self.field, self.message = feed, file, line, field_name, message


@dataclass
class Stop:
    id: str  # feed:stop_id
    name: str
    lon: float
    lat: float


@dataclass
class Feed:
    """What was read: the kept stops, the day's trips as calls (stop index, arrival s, departure s), footpaths from
    transfers.txt, and per feed its agencies' time zone and counts."""

    stops: list[Stop] = field(default_factory=list)
    trips: list[list[tuple[int, int, int]]] = field(default_factory=list)
    trip_routes: list[str] = field(default_factory=list)  # feed:route_id of each trip
    route_names: dict[str, str] = field(default_factory=dict)  # feed:route_id → its short (or long) name
    footpaths: list[tuple[int, int, int]] = field(default_factory=list)
    summary: dict[str, dict] = field(default_factory=dict)

    def timetable(self, extra_footpaths=()) -> Timetable:
        return Timetable.from_trips(len(self.stops), self.trips, [*self.footpaths, *extra_footpaths])


def parse_time(value: str) -> int | None:
    """"HH:MM:SS" (hours past 24 allowed) → seconds; "" → None."""
    if value is None or not value.strip():
        return None
    m = TIME.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a time as HH:MM:SS")
    return int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value.strip(), "%Y%m%d").date()
    except (ValueError, AttributeError):
        raise ValueError(f"{value!r} is not a date as YYYYMMDD") from None


PROGRESS_ROWS = 100_000  # how often a long file reports how far it is


class _Reader:
    def __init__(self, path, name: str, advance: Callable[[str, int, int], None] | None = None):
        self.path, self.name, self.advance = path, name, advance
        self.passes: dict[str, int] = {}
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise FeedError(name, str(path), None, None, f"not a readable zip file ({exc})") from exc
        # feeds are sometimes zipped inside a folder: find the files wherever they are
        self.files = {n.rsplit("/", 1)[-1]: n for n in self.zip.namelist() if n.endswith(".txt")}

    def has(self, file: str) -> bool:
        return file in self.files

    def rows(self, file: str, required=()) -> Iterator[tuple[int, dict]]:
        if file not in self.files:
            raise FeedError(self.name, file, None, None, "the file is missing")
        with self.zip.open(self.files[file]) as raw:
            reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
            header = [h.strip() for h in (reader.fieldnames or [])]
            reader.fieldnames = header
            missing = [c for c in required or REQUIRED.get(file, ()) if c not in header]
            if missing:
                raise FeedError(self.name, file, 1, missing[0], "the column is missing")
            if self.advance is None:
                yield from enumerate(reader, start=2)
                return
            # long files (stop_times.txt: tens of millions of rows) say how far they are, in uncompressed bytes
            total = self.zip.getinfo(self.files[file]).file_size
            self.passes[file] = self.passes.get(file, 0) + 1
            label = f"{self.name}: {file}" + (f" (pass {self.passes[file]})" if self.passes[file] > 1 else "")
            for line, row in enumerate(reader, start=2):
                if line % PROGRESS_ROWS == 0:
                    self.advance(label, min(raw.tell(), total), total)
                yield line, row
            self.advance(label, total, total)


def _active_services(r: _Reader, day: datetime.date) -> set[str]:
    if not r.has("calendar.txt") and not r.has("calendar_dates.txt"):
        raise FeedError(r.name, "calendar.txt", None, None, "the feed has neither calendar.txt nor calendar_dates.txt")
    weekday = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[day.weekday()]
    active: set[str] = set()
    if r.has("calendar.txt"):
        for line, row in r.rows("calendar.txt", ("service_id", weekday, "start_date", "end_date")):
            try:
                start, end = parse_date(row["start_date"]), parse_date(row["end_date"])
            except ValueError as exc:
                raise FeedError(r.name, "calendar.txt", line, "start_date/end_date", str(exc)) from None
            if end < start:
                raise FeedError(r.name, "calendar.txt", line, "end_date", "ends before it starts")
            if start <= day <= end and row[weekday].strip() == "1":
                active.add(row["service_id"])
    if r.has("calendar_dates.txt"):
        for line, row in r.rows("calendar_dates.txt", ("service_id", "date", "exception_type")):
            try:
                date = parse_date(row["date"])
            except ValueError as exc:
                raise FeedError(r.name, "calendar_dates.txt", line, "date", str(exc)) from None
            kind = row["exception_type"].strip()
            if kind not in ("1", "2"):
                raise FeedError(r.name, "calendar_dates.txt", line, "exception_type", f"{kind!r} is neither 1 nor 2")
            if date == day:
                (active.add if kind == "1" else active.discard)(row["service_id"])
    return active


def _shift_s(r: _Reader, day: datetime.date, reference: str | None) -> tuple[str, int]:
    zones = set()
    for line, row in r.rows("agency.txt"):
        zones.add(row["agency_timezone"].strip())
        try:
            ZoneInfo(row["agency_timezone"].strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise FeedError(r.name, "agency.txt", line, "agency_timezone",
                            f"{row['agency_timezone']!r} is not a time zone") from None
    if not zones:
        raise FeedError(r.name, "agency.txt", None, None, "no agency")
    zone = sorted(zones)[0]
    if reference is None or reference == zone:
        return zone, 0
    noon = datetime.datetime.combine(day, datetime.time(12))
    zero = datetime.timedelta(0)
    offset = ((noon.replace(tzinfo=ZoneInfo(reference)).utcoffset() or zero)
              - (noon.replace(tzinfo=ZoneInfo(zone)).utcoffset() or zero))
    return zone, int(offset.total_seconds())


def read_feeds(paths, *, day: datetime.date, inside: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
               names: list[str] | None = None, progress: Callable[[str], None] | None = None,
               advance: Callable[[str, int, int], None] | None = None) -> Feed:
    """Read the GTFS zip files in ``paths`` for the service ``day``. ``inside(lon, lat)`` says which stops the region
    keeps (arrays in, booleans out; all when None). ``names`` name the feeds in stop ids (default: feed1, feed2…).
    ``progress`` receives a line of text per step, ``advance(label, bytes read, bytes in all)`` how far each file
    is read (stop_times.txt is read twice, streamed: only the region's calls are kept)."""
    feed = Feed()
    reference = None
    for n, path in enumerate(paths):
        name = names[n] if names else f"feed{n + 1}"
        r = _Reader(path, name, advance)
        zone, shift = _shift_s(r, day, reference)
        reference = reference or zone
        services = _active_services(r, day)
        stop_index = _read_stops(r, feed, inside)
        routes = set()
        for _line, row in r.rows("routes.txt"):
            routes.add(row["route_id"])
            feed.route_names[f"{name}:{row['route_id']}"] = (row.get("route_short_name") or row.get("route_long_name")
                                                             or row["route_id"]).strip()
        trips: dict[str, str] = {}  # running trips of the day → route
        known_trips: set[str] = set()
        for line, row in r.rows("trips.txt"):
            if row["route_id"] not in routes:
                raise FeedError(name, "trips.txt", line, "route_id", f"unknown route {row['route_id']!r}")
            known_trips.add(row["trip_id"])
            if row["service_id"] in services:
                trips[row["trip_id"]] = row["route_id"]
        if progress:
            progress(f"{name}: {len(trips)} trips run on {day:%Y-%m-%d}, {len(stop_index[0])} stops in the region")
        touching = _trips_touching(r, trips, known_trips, stop_index)
        calls = _calls(r, touching, stop_index)
        frequencies = _frequencies(r, touching)
        kept = 0
        for trip_id, rows in calls.items():
            rows.sort()
            pattern = [(stop, arr, dep) for _seq, stop, arr, dep in rows]
            starts = [0] if trip_id not in frequencies else frequencies[trip_id]
            first = pattern[0][2]
            for start in starts:
                delta = (start - first if trip_id in frequencies else 0) + shift
                run: list[tuple[int, int, int]] = []
                for stop, arr, dep in [*pattern, (-1, 0, 0)]:
                    if stop < 0:  # outside the region (or the end): the kept run ends here
                        if len(run) >= 2:
                            feed.trips.append(run)
                            feed.trip_routes.append(f"{name}:{trips[trip_id]}")
                            kept += 1
                        run = []
                    else:
                        run.append((stop, arr + delta, dep + delta))
        feed.footpaths.extend(_transfers(r, stop_index))
        feed.summary[name] = {"time_zone": zone, "trips_running": len(trips), "trips_kept": kept,
                              "stops_kept": len(stop_index[0])}
    return feed


def _read_stops(r: _Reader, feed: Feed, inside) -> tuple[dict[str, int], set[str]]:
    ids, lons, lats, names, all_ids = [], [], [], [], set()
    for line, row in r.rows("stops.txt"):
        all_ids.add(row["stop_id"])
        if row.get("location_type", "").strip() not in ("", "0"):
            continue  # stations, entrances…: vehicles call at platforms and stops
        try:
            lat, lon = float(row["stop_lat"]), float(row["stop_lon"])
        except ValueError:
            raise FeedError(r.name, "stops.txt", line, "stop_lat/stop_lon", "not a number") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise FeedError(r.name, "stops.txt", line, "stop_lat/stop_lon", "outside the earth's coordinates")
        ids.append(row["stop_id"])
        lons.append(lon)
        lats.append(lat)
        names.append(row.get("stop_name", "").strip())
    keep = np.ones(len(ids), bool) if inside is None else np.asarray(inside(np.array(lons), np.array(lats)), bool)
    index = {}
    for k in np.flatnonzero(keep):
        index[ids[k]] = len(feed.stops)
        feed.stops.append(Stop(f"{r.name}:{ids[k]}", names[k], lons[k], lats[k]))
    return index, all_ids


def _trips_touching(r: _Reader, trips: dict, known: set, stop_index) -> set[str]:
    index, all_ids = stop_index
    touching = set()
    for line, row in r.rows("stop_times.txt"):
        trip = row["trip_id"]
        if trip not in known:
            raise FeedError(r.name, "stop_times.txt", line, "trip_id", f"unknown trip {trip!r}")
        if row["stop_id"] not in all_ids:
            raise FeedError(r.name, "stop_times.txt", line, "stop_id", f"unknown stop {row['stop_id']!r}")
        if trip in trips and row["stop_id"] in index:
            touching.add(trip)
    return touching


def _calls(r: _Reader, touching: set, stop_index) -> dict[str, list]:
    index, _all = stop_index
    calls: dict[str, list] = {t: [] for t in touching}
    for line, row in r.rows("stop_times.txt"):
        rows = calls.get(row["trip_id"])
        if rows is None:
            continue
        try:
            seq = int(row["stop_sequence"])
        except ValueError:
            raise FeedError(r.name, "stop_times.txt", line, "stop_sequence", "not a whole number") from None
        try:
            arr, dep = parse_time(row["arrival_time"]), parse_time(row["departure_time"])
        except ValueError as exc:
            raise FeedError(r.name, "stop_times.txt", line, "arrival_time/departure_time", str(exc)) from None
        if arr is None:
            if dep is None:
                continue  # a timepoint without a time: interpolation is not done, the call is left out
            arr = dep
        if dep is None:
            dep = arr
        if dep < arr:
            raise FeedError(r.name, "stop_times.txt", line, "departure_time", "leaves before it arrives")
        rows.append((seq, index.get(row["stop_id"], -1), arr, dep, line))
    out = {}
    for trip, rows in calls.items():
        rows.sort()
        for (s0, _st0, _a0, d0, _l0), (s1, _st1, a1, _d1, l1) in zip(rows, rows[1:]):
            if s0 == s1:
                raise FeedError(r.name, "stop_times.txt", l1, "stop_sequence", f"trip {trip!r} repeats {s1}")
            if a1 < d0:
                raise FeedError(r.name, "stop_times.txt", l1, "arrival_time", f"trip {trip!r} goes back in time")
        out[trip] = [(seq, stop, arr, dep) for seq, stop, arr, dep, _line in rows]
    return out


def _frequencies(r: _Reader, touching: set) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    if not r.has("frequencies.txt"):
        return out
    for line, row in r.rows("frequencies.txt", ("trip_id", "start_time", "end_time", "headway_secs")):
        try:
            start, end = parse_time(row["start_time"]), parse_time(row["end_time"])
            headway = int(row["headway_secs"])
        except ValueError as exc:
            raise FeedError(r.name, "frequencies.txt", line, "start_time/end_time/headway_secs", str(exc)) from None
        if start is None or end is None or headway <= 0 or end < start:
            raise FeedError(r.name, "frequencies.txt", line, "headway_secs", "needs a start, a later end and a headway")
        if row["trip_id"] in touching:
            out.setdefault(row["trip_id"], []).extend(range(start, end, headway))
    return out


def _transfers(r: _Reader, stop_index) -> list[tuple[int, int, int]]:
    index, all_ids = stop_index
    out: list[tuple[int, int, int]] = []
    if not r.has("transfers.txt"):
        return out
    for line, row in r.rows("transfers.txt", ("from_stop_id", "to_stop_id", "transfer_type")):
        a, b = row["from_stop_id"], row["to_stop_id"]
        for col, sid in (("from_stop_id", a), ("to_stop_id", b)):
            if sid and sid not in all_ids:
                raise FeedError(r.name, "transfers.txt", line, col, f"unknown stop {sid!r}")
        if row["transfer_type"].strip() == "2" and a in index and b in index and a != b:
            try:
                out.append((index[a], index[b], int(row.get("min_transfer_time") or 0)))
            except ValueError:
                raise FeedError(r.name, "transfers.txt", line, "min_transfer_time", "not a whole number") from None
    return out


def footpaths_within(x: np.ndarray, y: np.ndarray, max_m: float, speed_m_s: float, detour: float = 1.3):
    """Footpaths between stops closer than ``max_m`` (projected metres) as the crow flies, both ways, timed at
    ``speed_m_s`` with a detour factor — stops of different feeds (and across the border) become changes."""
    from scipy.spatial import cKDTree

    pts = np.column_stack([x, y])
    if len(pts) < 2:
        return []
    pairs = cKDTree(pts).query_pairs(max_m, output_type="ndarray")
    out = []
    for a, b in pairs:
        s = int(np.ceil(np.hypot(*(pts[a] - pts[b])) * detour / speed_m_s))
        out += [(int(a), int(b), s), (int(b), int(a), s)]
    return out
