"""Small geographic helpers shared by the apps (WGS84 in storage, metres in ETRS89-LAEA)."""
from __future__ import annotations

from functools import lru_cache

from django.db.models import Q

from pyproj import Transformer
from shapely.geometry import mapping, shape

WGS84 = "EPSG:4326"
LAEA = "EPSG:3035"  # ETRS89-LAEA: the border-neutral EU grid projection, in metres


@lru_cache(maxsize=32)
def transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def geojson_bounds(geometry: dict) -> tuple[float, float, float, float]:
    return shape(geometry).bounds


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    t = transformer(WGS84, LAEA)
    x1, y1 = t.transform(lon1, lat1)
    x2, y2 = t.transform(lon2, lat2)
    return ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5


def in_bbox(bbox: tuple[float, float, float, float], prefix: str = "") -> Q:
    """Rows whose `lon`/`lat` (or `<prefix>lon`/`<prefix>lat`, e.g. "village__") lie in (west, south, east, north)."""
    west, south, east, north = bbox
    return Q(**{f"{prefix}lon__gte": west, f"{prefix}lon__lte": east, f"{prefix}lat__gte": south, f"{prefix}lat__lte": north})


def placed_in_bbox(bbox: tuple[float, float, float, float]) -> Q:
    """Rows with a point of their own inside, or with none and their village inside (ideas, events)."""
    return in_bbox(bbox) | (Q(lon__isnull=True) & in_bbox(bbox, "village__"))


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """Parse "min_lon,min_lat,max_lon,max_lat"; raise ValueError with a readable message."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 4:
        raise ValueError("bbox needs four numbers: min_lon,min_lat,max_lon,max_lat")
    try:
        min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
    except ValueError as exc:
        raise ValueError("bbox values must be numbers: min_lon,min_lat,max_lon,max_lat") from exc
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise ValueError("bbox values are out of range for longitude/latitude (WGS84)")
    if min_lon > max_lon or min_lat > max_lat:
        raise ValueError("bbox minimum is greater than its maximum")
    return min_lon, min_lat, max_lon, max_lat


def simplify_geojson(geometry: dict, tolerance_deg: float) -> dict:
    return mapping(shape(geometry).simplify(tolerance_deg, preserve_topology=True))
