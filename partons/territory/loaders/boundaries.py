"""Import municipality boundaries from GeoJSON or TopoJSON files (read with GDAL through pyogrio).

The file is validated whole before anything is written; the write is one transaction. The report says
which features matched a municipality, which did not and why, and which municipalities got no boundary.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyogrio
import shapely
import shapely.ops
from django.db import transaction
from django.utils import timezone
from pyproj import CRS
from pyproj.exceptions import CRSError
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.geometry import mapping

from partons.core.geo import distance_m, transformer

from ..models import Country, Municipality

# A boundary further than this from what we know of its municipality means a wrong projection or code.
MAX_OFFSET_M = 25_000


class BoundaryImportError(Exception):
    """The file cannot be imported; the message says why (and nothing was written)."""


@dataclass
class BoundaryImportReport:
    path: str
    layer: str
    crs: str
    features: int = 0
    matched: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (code, reason)
    missing: list[tuple[str, str]] = field(default_factory=list)  # municipalities of the country with no feature
    repaired: list[str] = field(default_factory=list)
    population_updated: int = 0
    dry_run: bool = False

    def lines(self, limit: int = 15) -> list[str]:
        out = [
            f"{self.path} — layer {self.layer!r}, {self.features} features, CRS {self.crs}",
            f"matched: {len(self.matched)} municipalities" + (" (dry run: nothing written)" if self.dry_run else ""),
        ]
        if self.repaired:
            out.append(f"repaired {len(self.repaired)} invalid geometries (self-intersections…): {', '.join(self.repaired)}")
        if self.population_updated:
            out.append(f"population updated: {self.population_updated}")
        if self.unmatched:
            reasons: dict[str, list[str]] = {}
            for code, reason in self.unmatched:
                reasons.setdefault(reason, []).append(code)
            for reason, codes in reasons.items():
                shown = ", ".join(codes[:limit]) + (f" … (+{len(codes) - limit})" if len(codes) > limit else "")
                out.append(f"not matched ({reason}): {len(codes)} — {shown}")
        if self.missing:
            shown = ", ".join(f"{n} ({c})" for c, n in self.missing[:limit])
            more = f" … (+{len(self.missing) - limit})" if len(self.missing) > limit else ""
            out.append(f"municipalities of the region without a feature in the file: {len(self.missing)} — {shown}{more}")
        return out


def _normalise_code(value, country: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        value = int(value)
    code = str(value).strip()
    if country == "BE" and code.isdigit():
        code = code.zfill(5)
    return code


def _polygonal(geom):
    """Keep the polygonal part of a (repaired) geometry; None if there is none."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    if geom.geom_type == "GeometryCollection":
        polys = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        if polys:
            return shapely.union_all(polys)
    return None


def import_boundaries(
    path: str | Path, *, country: str, code_field: str, layer: str | None = None, srid: int | None = None,
    population_field: str | None = None, population_year: int | None = None, source: str | None = None,
    dry_run: bool = False,
) -> BoundaryImportReport:
    path = Path(path)
    country = country.upper()
    if not path.is_file():
        raise BoundaryImportError(f"{path}: no such file")
    if population_field and not population_year:
        raise BoundaryImportError("--population-field needs --population-year (the year the figures refer to)")
    country_obj = Country.objects.filter(code=country).first()
    if country_obj is None:
        raise BoundaryImportError(f"--country {country}: no such country loaded (load the region first: partons load-demo)")

    try:
        layers = [str(name) for name, _geom_type in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError, OSError) as exc:
        raise BoundaryImportError(f"{path}: not a GeoJSON or TopoJSON file that can be read") from exc
    if layer is None:
        if len(layers) != 1:
            raise BoundaryImportError(f"{path} has several layers ({', '.join(layers)}): choose one with --layer")
        layer = layers[0]
    elif layer not in layers:
        raise BoundaryImportError(f"--layer {layer}: no such layer in {path} (layers: {', '.join(layers)})")

    try:
        info = pyogrio.read_info(path, layer=layer)
        meta, _fids, wkb, field_data = pyogrio.raw.read(path, layer=layer)
    except (DataSourceError, DataLayerError, OSError, RuntimeError) as exc:
        raise BoundaryImportError(f"{path}: cannot read layer {layer!r} ({exc})") from exc
    if wkb is None or info.get("geometry_type") in (None, "None"):
        raise BoundaryImportError(f"{path}: layer {layer!r} has no geometries (a table, not a map layer)")
    fields = [str(f) for f in meta["fields"]]
    for name, option in ((code_field, "--code-field"), (population_field, "--population-field")):
        if name and name not in fields:
            raise BoundaryImportError(f"{option} {name}: no such field in layer {layer!r} (fields: {', '.join(fields) or 'none'})")
    codes_col = field_data[fields.index(code_field)]
    pop_col = field_data[fields.index(population_field)] if population_field else None

    # Which coordinate system: --srid wins, then what the file declares, else GeoJSON's WGS84.
    try:
        if srid:
            src_crs = CRS.from_epsg(srid)
        elif info.get("crs"):
            src_crs = CRS.from_user_input(info["crs"])
        else:
            src_crs = CRS.from_epsg(4326)
    except CRSError as exc:
        raise BoundaryImportError(f"unknown coordinate system {srid or info.get('crs')!r}: {exc}") from exc
    crs_label = f"EPSG:{src_crs.to_epsg()}" if src_crs.to_epsg() else src_crs.name
    report = BoundaryImportReport(path=str(path), layer=layer, crs=crs_label, features=len(wkb), dry_run=dry_run)

    known = {m.code: m for m in Municipality.objects.filter(country=country_obj).select_related("country")}
    village_points = _village_points(known.values())
    to_wgs84 = None if src_crs.equals(CRS.from_epsg(4326)) else transformer(src_crs.to_string(), "EPSG:4326")

    errors: list[str] = []
    updates: dict[str, tuple[dict, int | None]] = {}
    for i, raw in enumerate(wkb):
        code = _normalise_code(codes_col[i], country)
        where = f"feature {i + 1} ({code_field}={code or 'empty'})"
        if not code:
            report.unmatched.append((f"#{i + 1}", "empty code"))
            continue
        muni = known.get(code)
        if muni is None:
            report.unmatched.append((code, f"no {country} municipality with this code loaded"))
            continue
        if code in updates:
            errors.append(f"{where}: code {code} appears twice in the file")
            continue
        if raw is None:
            errors.append(f"{where}: no geometry")
            continue
        try:
            geom = shapely.from_wkb(raw)
        except shapely.errors.GEOSException as exc:
            errors.append(f"{where}: broken geometry ({exc})")
            continue
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            errors.append(f"{where}: expected a Polygon or MultiPolygon, found {geom.geom_type}{' (empty)' if geom.is_empty else ''}")
            continue
        if to_wgs84 is None:
            minx, miny, maxx, maxy = geom.bounds
            if not (-180 <= minx <= 180 and -180 <= maxx <= 180 and -90 <= miny <= 90 and -90 <= maxy <= 90):
                errors.append(
                    f"{where}: coordinates such as ({minx:.0f}, {miny:.0f}) are not longitude/latitude — the file is "
                    "projected but does not say so; give its projection with --srid (2154 for Lambert-93, "
                    "31370 for Belgian Lambert 72, 3812 for Belgian Lambert 2008)"
                )
                continue
        else:
            geom = shapely.transform(geom, lambda xy: np.column_stack(to_wgs84.transform(xy[:, 0], xy[:, 1])))
        if not geom.is_valid:
            repaired = _polygonal(shapely.make_valid(geom))
            if repaired is None or repaired.is_empty:
                errors.append(f"{where}: broken geometry that cannot be repaired ({shapely.is_valid_reason(geom)})")
                continue
            geom = repaired
            report.repaired.append(f"{muni.local_name()} ({code})")
        anchor = village_points.get(muni.pk) or ((muni.lon, muni.lat) if muni.lon is not None else None)
        if anchor is not None and not geom.contains(shapely.Point(anchor)):
            nearest = shapely.ops.nearest_points(geom, shapely.Point(anchor))[0]
            offset = distance_m(anchor[0], anchor[1], nearest.x, nearest.y)
            if offset > MAX_OFFSET_M:
                errors.append(
                    f"{where}: the boundary of {muni.local_name()} lies {offset / 1000:.0f} km from its villages — wrong "
                    "projection (see --srid) or wrong code field?"
                )
                continue
        population = None
        if pop_col is not None:
            value = pop_col[i]
            try:
                population = int(value) if value is not None and not (isinstance(value, float) and math.isnan(value)) else None
            except (TypeError, ValueError):
                errors.append(f"{where}: {population_field}={value!r} is not a whole number")
                continue
            if population is not None and population < 0:
                errors.append(f"{where}: {population_field}={population} is negative")
                continue
        geojson = json.loads(json.dumps(mapping(shapely.set_precision(geom, 1e-6))))
        updates[code] = (geojson, population)
        report.matched.append((code, muni.local_name()))

    if not errors and not updates and report.features:
        sample = ", ".join(repr(_normalise_code(v, country)) for v in list(codes_col)[:5])
        raise BoundaryImportError(
            f"none of the {report.features} features matches a {country} municipality of the database on "
            f"--code-field {code_field} (values such as {sample}): check --country and --code-field"
        )
    if errors:
        shown = errors[:20] + ([f"… and {len(errors) - 20} more"] if len(errors) > 20 else [])
        raise BoundaryImportError("the file was not imported, nothing changed:\n  " + "\n  ".join(shown))
    in_a_region = set(Municipality.objects.filter(country=country_obj, regions__isnull=False).values_list("code", flat=True))
    report.missing = sorted((m.code, m.local_name()) for code, m in known.items() if code not in updates and code in in_a_region)
    if dry_run:
        return report

    label = source or path.name
    now = timezone.now()
    with transaction.atomic():
        for code, (geojson, population) in updates.items():
            muni = known[code]
            muni.set_boundary(geojson)
            muni.boundary_source = label
            fields_to_save = ["boundary", "boundary_source", "min_lon", "min_lat", "max_lon", "max_lat"]
            if population is not None:
                muni.population, muni.population_year, muni.population_source = population, population_year, label
                fields_to_save += ["population", "population_year", "population_source"]
                report.population_updated += 1
            if muni.lon is None:
                point = shapely.geometry.shape(geojson).representative_point()
                muni.lon, muni.lat = point.x, point.y
                fields_to_save += ["lon", "lat"]
            muni.imported_at = muni.imported_at or now
            muni.save(update_fields=fields_to_save + ["imported_at"])
    return report


def _village_points(munis) -> dict[int, tuple[float, float]]:
    """Mean village location per municipality, to check that a boundary lands where it should."""
    from ..models import Village

    sums: dict[int, list[float]] = {}
    for muni_id, lon, lat in Village.objects.filter(municipality__in=list(munis), merged_into__isnull=True).values_list(
        "municipality_id", "lon", "lat"
    ):
        s = sums.setdefault(muni_id, [0.0, 0.0, 0])
        s[0] += lon
        s[1] += lat
        s[2] += 1
    return {k: (v[0] / v[2], v[1] / v[2]) for k, v in sums.items()}
