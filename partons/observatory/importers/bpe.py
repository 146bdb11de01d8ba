"""INSEE Base permanente des équipements (BPE), in both layouts INSEE published.

- older geolocated file: AN, REG, DEP, DEPCOM, DCIRIS, TYPEQU, LAMBERT_X, LAMBERT_Y, QUALITE_XY
- newer detailed file: NOMRS, CNOMRS, DEPCOM, DOM, SDOM, TYPEQU, SIRET, LAMBERT_X, LAMBERT_Y, LONGITUDE, LATITUDE,
  QUALITE_XY, EPSG, … (often with AN too)
Coordinates are Lambert-93 unless the file's EPSG column says otherwise (or LONGITUDE/LATITUDE are given).
"""
from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
from django.db.models import Q
from pyproj.exceptions import CRSError

from partons.core.geo import transformer
from partons.observatory.models import ServiceCategory
from partons.observatory.services import FacilityRecord

from .base import FacilityImportError, parse_float, read_csv

SOURCE = "INSEE BPE"
LICENCE = "Licence Ouverte 2.0"
OLD_LAYOUT = {"DEPCOM", "TYPEQU", "LAMBERT_X", "LAMBERT_Y"}
NEW_LAYOUT = {"NOMRS", "DEPCOM", "TYPEQU", "LAMBERT_X", "LAMBERT_Y"}


def parse(path: Path, *, year: int | None = None):
    header, rows = read_csv(path)
    cols = set(header)
    if NEW_LAYOUT <= cols:
        layout = "detailed"
    elif OLD_LAYOUT <= cols:
        layout = "geolocated"
    else:
        missing = sorted(OLD_LAYOUT - cols)
        raise FacilityImportError(f"{path}: not an INSEE BPE file — missing column(s) {', '.join(missing)} "
                                  f"(found: {', '.join(header[:12])})")
    if year is None:
        years = {r["AN"] for _l, r in rows if r.get("AN")}
        if len(years) > 1:
            raise FacilityImportError(f"{path}: column AN holds several years ({', '.join(sorted(years))}); give --year")
        if not years:
            raise FacilityImportError(f"{path}: no column AN to date the snapshot; give --year")
        year = int(next(iter(years)))
    snapshot = datetime.date(year, 1, 1)

    by_code = {}
    for cat in ServiceCategory.objects.all():
        for code in cat.bpe_codes or []:
            by_code[code] = cat
    records, rejected, points = [], [], []
    skipped: dict[str, int] = {}
    for line, row in rows:
        typequ = row.get("TYPEQU", "")
        cat = by_code.get(typequ)
        if cat is None:  # a type that is not an everyday service of the nomenclature (or a code it does not know)
            skipped[typequ or "(empty)"] = skipped.get(typequ or "(empty)", 0) + 1
            continue
        try:
            if row.get("LONGITUDE") and row.get("LATITUDE"):
                lon, lat, epsg = parse_float(row["LONGITUDE"]), parse_float(row["LATITUDE"]), 4326
            else:
                lon, lat = parse_float(row["LAMBERT_X"]), parse_float(row["LAMBERT_Y"])
                epsg = int(row.get("EPSG") or 2154)
        except ValueError:
            rejected.append((line, f"no usable coordinates (LAMBERT_X={row.get('LAMBERT_X')!r}, LAMBERT_Y={row.get('LAMBERT_Y')!r})"))
            continue
        depcom = row.get("DEPCOM", "")
        if not depcom:
            rejected.append((line, "empty DEPCOM (commune code)"))
            continue
        # BPE has no stable identifier: the commune, the type and the SIRET make one; without a SIRET, the rank
        # among the same type in the commune (set below), so that a re-geocoded point is a move, not a closure.
        key = row.get("SIRET") or ""
        points.append((len(records), lon, lat, epsg))
        records.append(FacilityRecord(line=line, source_id=f"{depcom}/{typequ}/{key}", category=cat, lon=lon, lat=lat,
                                      name=(row.get("NOMRS") or "").title() if layout == "detailed" else "",
                                      address=""))
    # Reproject by EPSG code, in bulk.
    for epsg in {p[3] for p in points}:
        idx = [p[0] for p in points if p[3] == epsg]
        if epsg == 4326:
            continue
        try:
            t = transformer(f"EPSG:{epsg}", "EPSG:4326")
        except CRSError as exc:
            raise FacilityImportError(f"{path}: unknown EPSG code {epsg}") from exc
        xs = np.array([records[i].lon for i in idx])
        ys = np.array([records[i].lat for i in idx])
        lons, lats = t.transform(xs, ys)
        for i, lo, la in zip(idx, lons, lats):
            records[i].lon, records[i].lat = float(lo), float(la)
    ranks: dict[str, list[FacilityRecord]] = {}
    for rec in records:
        if rec.source_id.endswith("/"):
            ranks.setdefault(rec.source_id, []).append(rec)
    for prefix, group in ranks.items():
        for n, rec in enumerate(sorted(group, key=lambda r: (round(r.lon, 3), round(r.lat, 3), r.line)), start=1):
            rec.source_id = f"{prefix}{n}"
    good = []
    for rec in records:
        if not (-180 <= rec.lon <= 180 and -90 <= rec.lat <= 90) or not np.isfinite([rec.lon, rec.lat]).all():
            rejected.append((rec.line, "coordinates outside the world after reprojection (wrong EPSG?)"))
        else:
            good.append(rec)
    depcoms = {r.get("DEPCOM") for _l, r in rows if r.get("DEPCOM")}
    # The snapshot covers the communes present in the file: only their facilities may close.
    scope = Q(source_id__regex=r"^(" + "|".join(sorted(depcoms)) + r")/") if depcoms else Q(pk__in=[])
    return good, rejected, snapshot, scope, layout, skipped
