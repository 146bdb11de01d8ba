"""Any list of services, CSV or GeoJSON, with a column mapping (Belgian or municipal lists, rail stations…).

Mapping keys: id (required), name, lon, lat (CSV), address, opening_hours, category (a column holding category
codes or names) — or one --category for the whole file."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db.models import Q
from pyproj.exceptions import CRSError

from partons.core.geo import transformer
from partons.observatory.models import ServiceCategory
from partons.observatory.services import FacilityRecord

from .base import FacilityImportError, parse_float, read_csv, read_text

FIELDS = {"id", "name", "lon", "lat", "address", "opening_hours", "category"}


def _categories():
    index = {}
    for cat in ServiceCategory.objects.all():
        for key in (cat.code, cat.name_nl, cat.name_fr, cat.name_en):
            if key:
                index[key.strip().lower()] = cat
    return index


def _rows_geojson(path: Path):
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise FacilityImportError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise FacilityImportError(f"{path}: expected a GeoJSON FeatureCollection")
    rows = []
    for i, feat in enumerate(data.get("features") or [], start=1):
        props = dict(feat.get("properties") or {})
        geom = feat.get("geometry") or {}
        if geom.get("type") == "Point" and isinstance(geom.get("coordinates"), list) and len(geom["coordinates"]) >= 2:
            props["__lon"], props["__lat"] = geom["coordinates"][0], geom["coordinates"][1]
        rows.append((i, {k: "" if v is None else str(v) for k, v in props.items()}))
    header = sorted({k for _i, r in rows for k in r})
    return header, rows


def parse(path: Path, *, mapping: dict[str, str], category: str | None = None, srid: int | None = None,
          snapshot_date: datetime.date | None = None, source: str):
    unknown = set(mapping) - FIELDS
    if unknown:
        raise FacilityImportError(f"--map {', '.join(sorted(unknown))}: unknown field(s); use {', '.join(sorted(FIELDS))}")
    if "id" not in mapping:
        raise FacilityImportError("--map id=COLUMN is required: the column that identifies each service across snapshots")
    if bool(category) == bool(mapping.get("category")):
        raise FacilityImportError("give either --category CODE for the whole file or --map category=COLUMN")
    is_geojson = path.suffix.lower() in (".geojson", ".json")
    header, rows = _rows_geojson(path) if is_geojson else read_csv(path)
    if is_geojson:
        mapping = {**mapping, "lon": mapping.get("lon", "__lon"), "lat": mapping.get("lat", "__lat")}
    elif not ("lon" in mapping and "lat" in mapping):
        raise FacilityImportError("--map lon=COLUMN and --map lat=COLUMN are required for a CSV file")
    for field, column in mapping.items():
        if column not in header and not column.startswith("__"):
            raise FacilityImportError(f"--map {field}={column}: no such column in {path.name} (columns: {', '.join(header)})")
    cats = _categories()
    fixed = None
    if category:
        fixed = cats.get(category.lower())
        if fixed is None:
            raise FacilityImportError(f"--category {category}: no such category (codes: {', '.join(sorted(c.code for c in set(cats.values())))})")
    try:
        to_wgs84 = transformer(f"EPSG:{srid}", "EPSG:4326") if srid and srid != 4326 else None
    except CRSError as exc:
        raise FacilityImportError(f"--srid {srid}: not a coordinate system EPSG knows (e.g. 31370 Belgian Lambert 72, "
                                  f"2154 Lambert-93, 4326 longitude/latitude)") from exc
    records, rejected = [], []
    for line, row in rows:
        sid = row.get(mapping["id"], "")
        if not sid:
            rejected.append((line, f"empty {mapping['id']}"))
            continue
        cat = fixed or cats.get(row.get(mapping["category"], "").lower())
        if cat is None:
            rejected.append((line, f"unknown category {row.get(mapping['category'])!r}"))
            continue
        try:
            x, y = parse_float(row.get(mapping["lon"], "")), parse_float(row.get(mapping["lat"], ""))
        except ValueError:
            rejected.append((line, f"no usable coordinates ({mapping['lon']}={row.get(mapping['lon'])!r}, "
                                   f"{mapping['lat']}={row.get(mapping['lat'])!r})"))
            continue
        if to_wgs84 is not None:
            x, y = to_wgs84.transform(x, y)
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            rejected.append((line, f"coordinates ({x}, {y}) are not longitude/latitude: give --srid"))
            continue
        records.append(FacilityRecord(line=line, source_id=sid, category=cat, lon=x, lat=y,
                                      name=row.get(mapping.get("name", ""), ""), address=row.get(mapping.get("address", ""), ""),
                                      opening_hours=row.get(mapping.get("opening_hours", ""), "")[:300]))
    return records, rejected, snapshot_date or datetime.date.today(), Q()
