"""OpenStreetMap extracts (.osm XML or .osm.pbf) read with pyosmium: nodes and ways (their centroid)
whose tags match a category of the nomenclature."""
from __future__ import annotations

import datetime
from pathlib import Path

import osmium
import shapely
from django.db.models import Q

from partons.observatory.models import ServiceCategory
from partons.observatory.nomenclature import match_osm, osm_rules
from partons.observatory.services import FacilityRecord

from .base import FacilityImportError

SOURCE = "OpenStreetMap"
LICENCE = "ODbL 1.0"


def _address(tags) -> str:
    street = " ".join(p for p in (tags.get("addr:street"), tags.get("addr:housenumber")) if p)
    place = " ".join(p for p in (tags.get("addr:postcode"), tags.get("addr:city")) if p)
    return ", ".join(p for p in (street, place) if p)


class _Collector(osmium.SimpleHandler):
    def __init__(self, rules):
        super().__init__()
        self.rules = rules
        self.records: list[FacilityRecord] = []
        self.rejected: list[tuple[int, str]] = []
        self.newest = None

    def _stamp(self, obj):
        try:
            ts = obj.timestamp
        except Exception:  # noqa: BLE001 - objects without timestamps
            return
        if ts and ts.year > 1970 and (self.newest is None or ts > self.newest):
            self.newest = ts

    def _add(self, kind, obj, lon, lat):
        tags = {t.k: t.v for t in obj.tags}
        cat = match_osm(tags, self.rules)
        if cat is None:
            return
        self._stamp(obj)
        self.records.append(FacilityRecord(line=obj.id, source_id=f"{kind}/{obj.id}", category=cat, lon=lon, lat=lat,
                                           name=tags.get("name", ""), address=_address(tags),
                                           opening_hours=tags.get("opening_hours", "")[:300]))

    def node(self, n):
        if len(n.tags) and n.location.valid():
            self._add("node", n, n.location.lon, n.location.lat)

    def way(self, w):
        if not len(w.tags):
            return
        coords = [(nd.lon, nd.lat) for nd in w.nodes if nd.location.valid()]
        if not coords:
            tags = {t.k: t.v for t in w.tags}
            if match_osm(tags, self.rules) is not None:
                self.rejected.append((w.id, f"way/{w.id}: its nodes are missing from the extract"))
            return
        geom = shapely.Polygon(coords) if len(coords) >= 4 and coords[0] == coords[-1] else shapely.MultiPoint(coords)
        c = geom.centroid if geom.is_valid and not geom.is_empty else shapely.MultiPoint(coords).centroid
        self._add("way", w, c.x, c.y)


def parse(path: Path, *, snapshot_date: datetime.date | None = None):
    if not path.is_file():
        raise FacilityImportError(f"{path}: no such file")
    if not (path.name.endswith(".osm") or path.name.endswith(".osm.pbf") or path.name.endswith(".pbf")):
        raise FacilityImportError(f"{path}: expected an OpenStreetMap extract (.osm or .osm.pbf)")
    collector = _Collector(osm_rules(ServiceCategory.objects.all()))
    try:
        collector.apply_file(str(path), locations=True)
    except RuntimeError as exc:
        raise FacilityImportError(f"{path}: not a readable OpenStreetMap file ({exc})") from exc
    header_date, box = None, None
    try:
        reader = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING)
        header = reader.header()
        stamp = header.get("osmosis_replication_timestamp")
        box = header.box() if header.box().valid() else None
        reader.close()
        if stamp:
            header_date = datetime.date.fromisoformat(stamp[:10])
    except (RuntimeError, ValueError):
        header_date = None
    if snapshot_date is None:
        snapshot_date = header_date or (collector.newest.date() if collector.newest else None)
    if snapshot_date is None:
        raise FacilityImportError(f"{path}: the file does not say when it was extracted; give --snapshot-date")
    # An extract covers an area (its header's box, else the extent of what it holds): only OSM facilities
    # inside it may close.
    recs = collector.records
    scope = Q(pk__in=[])
    if box is not None:
        scope = Q(lon__gte=box.bottom_left.lon, lon__lte=box.top_right.lon, lat__gte=box.bottom_left.lat,
                  lat__lte=box.top_right.lat)
    elif recs:
        lons = [r.lon for r in recs]
        lats = [r.lat for r in recs]
        scope = Q(lon__gte=min(lons), lon__lte=max(lons), lat__gte=min(lats), lat__lte=max(lats))
    return recs, collector.rejected, snapshot_date, scope
