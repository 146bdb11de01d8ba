"""The base map the app draws itself, with no tile server: land, sea and national borders around the region.

From Natural Earth's 1:10m countries as the npm package `world-atlas` ships them (TopoJSON, public domain / ISC),
read with GDAL, cut to the region's extent with a margin and simplified for the screen. The main roads come from the
road network in use, when one has been imported. Municipality boundaries and village names are drawn on top by the
map pages from the API. `MAP_TILE_URL` replaces all of it with a real tile server.
"""
from __future__ import annotations

import functools

from django.conf import settings
from django.db.models import Max, Min

ISO = {"056": "BE", "250": "FR", "528": "NL", "826": "GB", "276": "DE", "442": "LU"}
MARGIN_DEG = 1.5
SIMPLIFY_DEG = 0.001  # about 70 m: finer than a screen pixel at the zoom the whole region fits in


class BasemapUnavailable(Exception):
    pass


def region_extent() -> tuple[float, float, float, float] | None:
    from .models import Municipality

    ext = Municipality.objects.aggregate(w=Min("min_lon"), s=Min("min_lat"), e=Max("max_lon"), n=Max("max_lat"))
    if ext["w"] is None:
        ext = Municipality.objects.aggregate(w=Min("lon"), s=Min("lat"), e=Max("lon"), n=Max("lat"))
    if ext["w"] is None:
        return None
    return ext["w"] - MARGIN_DEG, ext["s"] - MARGIN_DEG, ext["e"] + MARGIN_DEG, ext["n"] + MARGIN_DEG


@functools.lru_cache(maxsize=4)
def _countries(path: str, extent: tuple[float, float, float, float]) -> dict:
    """{country code: geometry} of the countries that reach into `extent` (reading the 1:10m file takes seconds)."""
    import pyogrio
    import shapely
    from pyogrio.errors import DataSourceError

    try:
        meta, _fids, geoms, fields = pyogrio.raw.read(path, layer="countries", bbox=extent)
    except DataSourceError as exc:
        raise BasemapUnavailable(f"{path}: {exc}") from exc
    ids = fields[list(meta["fields"]).index("id")]
    countries = {}
    for code, wkb in zip(ids, geoms):
        geom = shapely.from_wkb(wkb)
        if geom is not None and not geom.is_empty:
            countries[ISO.get(str(code), str(code))] = geom if geom.is_valid else geom.buffer(0)
    return countries


def build(roads: list[dict] = ()) -> dict:
    """GeoJSON: one `land` feature per country (its `country` code), the `border` lines between them, the `road`
    features given (the main roads of an imported network, by `class`) and a `place` point per village (its names
    in both languages and its population, the largest first) for the labels."""
    import shapely
    from shapely.geometry import box, mapping

    extent = region_extent()
    if extent is None:
        return {"type": "FeatureCollection", "features": []}
    countries = _countries(str(settings.BASEMAP_SOURCE), tuple(round(x, 3) for x in extent))
    frame = box(*extent)
    features = []
    for code, geom in sorted(countries.items()):
        part = shapely.set_precision(shapely.simplify(geom.intersection(frame), SIMPLIFY_DEG), 0.0001)
        if not part.is_empty:
            features.append({"type": "Feature", "properties": {"kind": "land", "country": code}, "geometry": mapping(part)})
    codes = sorted(countries)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            line = countries[a].boundary.intersection(countries[b].buffer(1e-6)).intersection(frame)
            line = shapely.set_precision(shapely.simplify(shapely.line_merge(line) if line.geom_type == "MultiLineString"
                                                          else line, SIMPLIFY_DEG / 2), 0.0001)
            if not line.is_empty and line.length > 0:
                features.append({"type": "Feature", "properties": {"kind": "border", "countries": [a, b]},
                                 "geometry": mapping(line)})
    features.extend(roads)
    from .models import Village

    for v in Village.objects.filter(merged_into__isnull=True).order_by("-population").values_list(
            "name_nl", "name_fr", "lon", "lat", "population", "kind"):
        name_nl, name_fr, lon, lat, population, kind = v
        features.append({"type": "Feature", "properties": {"kind": "place", "name_nl": name_nl, "name_fr": name_fr,
                                                           "population": population, "seat": kind != "village"},
                         "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}})
    return {"type": "FeatureCollection", "bbox": [round(x, 4) for x in extent],
            "source": "Natural Earth 1:10m (world-atlas 2.0.2), public domain", "features": features}
