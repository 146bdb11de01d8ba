"""Access indicators: travel times to everyday services per village and municipality, by mode, today and
in past years, the viability of village cores, and exports. Every figure says how it was computed:
``network`` (along the roads and paths of OpenStreetMap) or ``straight_line`` (the fallback without a
network: crow-flies distance × detour factor at the mode's speed)."""
from __future__ import annotations

import datetime
import json
from typing import Any, Literal

from django.utils import translation
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field, create_model

from partons.access import ACCESS_MODES
from partons.analysis import selectors as access
from partons.analysis import indicators
from partons.analysis.models import AccessSettings, VillageAccess, VillageTransit, VillageViability
from partons.core.geo import in_bbox
from partons.core import csvfile
from partons.observatory.models import ServiceCategory
from partons.territory import selectors as territory
from partons.territory.models import Village

from partons.core.cached import cached_json, cached_response
from .schemas import Answer, PointGeometry
from .throttling import EXPORT_THROTTLE
from .params import BBox, bbox_param, municipality_param

router = Router(tags=["access"])
Mode = Literal[ACCESS_MODES]  # the engine's travel modes and public transport


class AccessFilters(Schema):
    category: str = Field("basket", description="A category code (e.g. bakery) or `basket`: the mean over the INSEE everyday basket")
    mode: Mode = Field("car", description="walk, bike, car or transit (public transport, when a network is loaded)")
    year: int | None = Field(None, ge=1950, le=2100, description="A comparison year (figures of 1 January; see "
                             "/api/access/status for the computed years); default: today")
    compare: int | None = Field(None, ge=1950, le=2100, description="Also give the figures of this comparison year and "
                                "the change")
    bbox: BBox = None
    country: Literal["BE", "FR", "be", "fr"] | None = None
    municipality: str | None = Field(None, description="Municipality key, e.g. be-33011")
    lang: Literal["nl", "fr", "en"] | None = None


# The answers' figures: one field per indicator of the registry (analysis/indicators.py), in its exported unit.
UNITS = {"seconds": "minutes", "minutes": "whole minutes", "share": "0–1", "residents": "residents", "metres": "km"}
with translation.override("en"):
    FIGURE_FIELDS = {i.export: (float | None, Field(None, description=f"{str(i.label).capitalize()} ({UNITS[i.unit]})"))
                     for i in indicators.INDICATORS}


class NearestOut(Answer):
    id: int
    name: str
    url: str


FigureOut = create_model("FigureOut", __base__=Answer, as_of=(str, ...),
                         method=(str, Field(description="network or straight_line")),
                         nearest_facility=(NearestOut | None, None), **FIGURE_FIELDS)
# A place's figures where there may be none: every figure optional (`method` none when nothing was computed).
PlaceFigures = create_model("PlaceFigures", __base__=Answer, as_of=(str | None, None), method=(str | None, None),
                            nearest_facility=(NearestOut | None, None), then=(FigureOut | None, None),
                            **FIGURE_FIELDS)


class AccessVillageProperties(PlaceFigures):
    slug: str
    name: str
    country: str
    municipality_key: str
    population: float | None
    url: str
    viability: str | None = Field(description="viable, fragile or at_risk")
    share_change: float | None = Field(None, description="With `compare`: the change of share_within (0–1 points)")


class AccessVillageFeature(Answer):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: PointGeometry
    properties: AccessVillageProperties


class AccessVillages(Answer):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    category: str
    mode: str
    as_of: str | None
    compare: str | None
    features: list[AccessVillageFeature]


class AccessMunicipality(PlaceFigures):
    key: str
    name: str
    country: str
    url: str


class AccessMunicipalities(Answer):
    category: str
    mode: str
    as_of: str | None
    items: list[AccessMunicipality]


class AccessRegion(PlaceFigures):
    category: str
    mode: str
    villages: int


class CategoryFigures(FigureOut):
    category: str
    category_name: str
    mode: str


class TransitHere(Answer):
    service_day: str = Field(description="the day of the timetables (YYYY-MM-DD)")
    synthetic: bool = Field(description="the demo network: lines and timetables made up, not an operator's")
    stops: int = Field(description="stops within 1 km of the village centre")
    departures: int = Field(description="trips leaving those stops on the day (a trip calling at several counts once)")
    first_departure: str | None = Field(description="HH:MM")
    last_departure: str | None = Field(description="HH:MM")
    transit_desert: bool = Field(description=f"fewer than {VillageTransit.DESERT_BELOW} departures on the day")


class AccessOfVillage(Answer):
    village: str
    name: str
    country: str
    viability: dict[str, Any] | None = Field(description="level and, per criterion, its value and whether it passed")
    public_transport: TransitHere | None = Field(description="departures near the village (when public transport is "
                                                             "loaded)")
    figures: list[CategoryFigures]


class AccessOfMunicipality(Answer):
    municipality: str
    name: str
    country: str
    figures: list[CategoryFigures]


class RunOut(Answer):
    status: str
    progress: int
    message: str
    details: dict[str, Any]


class AccessStatus(Answer):
    thresholds_min: dict[str, int]
    search_limit_min: int
    comparison_years: list[int]
    k_nearest: int
    max_snap_m: int
    methods: dict[str, str]
    computed_at: str | None
    latest_run: RunOut | None
    synthetic_inputs: bool
    population: str


def _check(f: AccessFilters) -> tuple[datetime.date | None, datetime.date | None]:
    if f.category != "basket" and not ServiceCategory.objects.filter(code=f.category).exists():
        raise HttpError(404, f"category: no category {f.category!r} (see /api/categories)")
    years = AccessSettings.current().years()
    out = []
    for name, y in (("year", f.year), ("compare", f.compare)):
        if y is not None and y not in years:
            raise HttpError(400, f"{name}: {y} is not a comparison year; computed years: {', '.join(map(str, years)) or 'none'}")
        out.append(datetime.date(y, 1, 1) if y is not None else None)
    return out[0], out[1]


def _figure(f: access.Figure | None) -> dict | None:
    if f is None:
        return None
    return {"as_of": f.as_of.isoformat(), "method": f.method, **f.exported(),
            "nearest_facility": ({"id": f.nearest_facility.pk, "name": f.nearest_facility.name,
                                  "url": f.nearest_facility.get_absolute_url()} if f.nearest_facility else None)}


def _villages(f: AccessFilters):
    qs = territory.villages(region=territory.current_region())
    if f.country:
        qs = qs.filter(municipality__country__code=f.country.upper())
    if f.municipality:
        qs = qs.filter(municipality=municipality_param(f.municipality))
    if f.bbox:
        qs = qs.filter(in_bbox(bbox_param(f.bbox)))
    return qs


def _now_and_then(f: AccessFilters, villages, as_of, compare) -> tuple[dict, dict]:
    """The villages' figures on the date asked for (today by default) and, with `compare`, on that comparison date."""
    now = access.village_values(category=f.category, mode=f.mode, as_of=as_of, villages=villages)
    then = access.village_values(category=f.category, mode=f.mode, as_of=compare, villages=villages) if compare else {}
    return now, then


def _level_of(villages) -> dict[int, str]:
    return dict(VillageViability.objects.filter(village__in=villages).values_list("village_id", "level"))


@router.get("/access/villages", response=AccessVillages,
            summary="Access per village (GeoJSON points) for one category (or the basket) and mode")
def access_villages(request, filters: Query[AccessFilters]):
    as_of, compare = _check(filters)
    lang = filters.lang or translation.get_language_from_request(request, check_path=False)

    def build() -> dict:
        with translation.override(lang):
            villages = list(_villages(filters))
            values, before = _now_and_then(filters, villages, as_of, compare)
            levels = _level_of(villages)
            features = []
            for v in villages:
                fig = values.get(v.pk)
                props = {"slug": v.slug, "name": v.name, "country": v.municipality.country.code,
                         "municipality_key": v.municipality.key, "population": v.population, "url": v.get_absolute_url(),
                         "viability": levels.get(v.pk), **(_figure(fig) or {"method": None})}
                if compare:
                    props["then"] = _figure(before.get(v.pk))
                    change = access.share_change(fig, before.get(v.pk))
                    props["share_change"] = None if change is None else round(change, 3)
                features.append({"type": "Feature", "id": v.slug,
                                 "geometry": {"type": "Point", "coordinates": [round(v.lon, 6), round(v.lat, 6)]},
                                 "properties": props})
        return {"type": "FeatureCollection", "category": filters.category, "mode": filters.mode,
                "as_of": as_of.isoformat() if as_of else None, "compare": compare.isoformat() if compare else None,
                "features": features}

    return cached_json(request, build, version=access.answers_version())


@router.get("/access/municipalities", response=AccessMunicipalities,
            summary="Access per municipality (residents-weighted over its villages), without geometry: join on `key`")
def access_municipalities(request, filters: Query[AccessFilters]):
    as_of, compare = _check(filters)
    lang = filters.lang or translation.get_language_from_request(request, check_path=False)

    def build() -> dict:
        villages = list(_villages(filters))
        values, before = _now_and_then(filters, villages, as_of, compare)
        groups: dict[int, list] = {}
        for v in villages:
            groups.setdefault(v.municipality_id, []).append(v)
        items = []
        with translation.override(lang):
            for vs in groups.values():
                m = vs[0].municipality
                figs = [values[v.pk] for v in vs if v.pk in values]
                row = {"key": m.key, "name": m.name, "country": m.country.code, "url": m.get_absolute_url(),
                       **(_figure(access.aggregate(figs)) if figs else {"method": None})}
                if compare:
                    then = [before[v.pk] for v in vs if v.pk in before]
                    row["then"] = _figure(access.aggregate(then)) if then else None
                items.append(row)
        items.sort(key=lambda r: r["key"])
        return {"category": filters.category, "mode": filters.mode, "as_of": as_of.isoformat() if as_of else None,
                "items": items}

    return cached_json(request, build, version=access.answers_version())


@router.get("/access/region", response=AccessRegion,
            summary="Access of the whole region (residents-weighted over its villages) for one category (or the basket) and mode")
def access_region(request, filters: Query[AccessFilters]):
    as_of, compare = _check(filters)

    def build() -> dict:
        villages = list(_villages(filters))
        values, then = _now_and_then(filters, villages, as_of, compare)
        out = {"category": filters.category, "mode": filters.mode, "villages": len(values),
               **(_figure(access.aggregate(list(values.values()))) if values else {"method": None})}
        if compare:
            out["then"] = _figure(access.aggregate(list(then.values()))) if then else None
        return out

    return cached_json(request, build, version=access.answers_version())


def _all_figures(qs, with_facility: bool = False):
    figs = access.figures_by_key(qs, with_facility=with_facility)
    cats = {c.pk: c for c in ServiceCategory.objects.all()}
    out = []
    for (cid, mode, as_of), f in sorted(figs.items(), key=lambda kv: (cats[kv[0][0]].order, kv[0][1], kv[0][2])):
        out.append({"category": cats[cid].code, "category_name": cats[cid].name, "mode": mode, **_figure(f)})
    return out


@router.get("/access/villages/{slug}", response=AccessOfVillage,
            summary="All access figures of one village: every category and mode, today and in the comparison years")
def access_village(request, slug: str, lang: Literal["nl", "fr", "en"] | None = None):
    v = Village.objects.filter(slug=slug).select_related("municipality__country").defer("municipality__boundary").first()
    if v is None:
        raise HttpError(404, f"village: no village {slug!r}")
    with translation.override(lang or translation.get_language_from_request(request, check_path=False)):
        via = VillageViability.objects.filter(village=v).first()
        here = VillageTransit.objects.filter(village=v, network__active=True).select_related("network").first()
        return {"village": v.slug, "name": v.name, "country": v.municipality.country.code,
                "viability": {"level": via.level, "criteria": via.criteria} if via else None,
                "public_transport": {"service_day": here.network.service_day.isoformat(),
                                     "synthetic": here.network.synthetic, "stops": here.stops,
                                     "departures": here.departures, "first_departure": here.first,
                                     "last_departure": here.last, "transit_desert": here.desert} if here else None,
                "figures": _all_figures(access.rows(villages=[v], current=None), with_facility=True)}


@router.get("/access/municipalities/{key}", response=AccessOfMunicipality,
            summary="All access figures of one municipality (residents-weighted over its villages)")
def access_municipality(request, key: str, lang: Literal["nl", "fr", "en"] | None = None):
    m = municipality_param(key)
    with translation.override(lang or translation.get_language_from_request(request, check_path=False)):
        return {"municipality": m.key, "name": m.name, "country": m.country.code,
                "figures": _all_figures(access.rows(municipality=m, current=None))}


@router.get("/access/status", response=AccessStatus, summary="How the figures were computed: thresholds, method per mode, last run")
def access_status(request):
    s = AccessSettings.current()
    run = access.last_done_run()
    latest = access.last_run()
    return {
        "thresholds_min": {m: s.threshold_min(m) for m in ACCESS_MODES},
        "search_limit_min": s.search_limit_min, "comparison_years": s.years(), "k_nearest": s.k_nearest,
        "max_snap_m": s.max_snap_m,
        "methods": run.methods if run else {}, "computed_at": run.finished_at.isoformat() if run else None,
        "latest_run": ({"status": latest.status, "progress": latest.progress, "message": latest.summary(),
                        "details": latest.details} if latest else None),
        "synthetic_inputs": access.synthetic_inputs(),
        "population": "Residents are spread evenly over a disc around each village centre (300 m to 1.5 km, growing with "
                      "the population): an estimate.",
    }


PLACE_FIELDS = ["village", "village_name", "municipality", "country"]
EXPORT_FIELDS = [*PLACE_FIELDS, "category", "mode", "as_of", "current", "method",
                 *(i.export for i in indicators.INDICATORS), "nearest_facility_id"]


def _export_rows(current_only: bool):
    """Every village's figures as plain values (no model objects); villages and categories are looked up once."""
    villages = {v.pk: v for v in Village.objects.filter(merged_into=None).select_related("municipality__country")
                .defer("municipality__boundary")}
    codes = dict(ServiceCategory.objects.values_list("pk", "code"))
    qs = (VillageAccess.objects.filter(village__merged_into=None)
          .order_by("village__municipality_id", "village_id", "category__order", "mode", "as_of"))
    if current_only:
        qs = qs.filter(current=True)
    columns = ("village_id", "category_id", "mode", "as_of", "current", "method", "nearest_facility_id",
               *indicators.FIELDS)
    for row in qs.values(*columns).iterator(chunk_size=5000):
        v = villages[row["village_id"]]
        yield {
            "village": v.slug, "village_name": v.name, "municipality": v.municipality.key,
            "country": v.municipality.country.code, "category": codes[row["category_id"]], "mode": row["mode"],
            "as_of": row["as_of"].isoformat(), "current": row["current"], "method": row["method"],
            **indicators.exported(row), "nearest_facility_id": row["nearest_facility_id"],
        }


@router.get("/access/villages.csv", throttle=EXPORT_THROTTLE, response={200: None}, summary="Export every village's figures as CSV (built once per computation)")
def export_csv(request, current_only: bool = False):
    def build() -> bytes:
        return csvfile.csv_bytes(EXPORT_FIELDS, _export_rows(current_only))

    return cached_response(request, build, filename="partons-access.csv", content_type=csvfile.CONTENT_TYPE,
                           version=access.answers_version())


@router.get("/access/villages.geojson", throttle=EXPORT_THROTTLE, response={200: None},
            summary="Export every village with today's figures (and with `years=true` those of the comparison years) as "
                    "GeoJSON (built once per computation)")
def export_geojson(request, years: bool = False):
    def build() -> bytes:
        features: dict[str, dict] = {}
        coords = {v.slug: (v.lon, v.lat) for v in Village.objects.filter(merged_into=None).only("slug", "lon", "lat")}
        for row in _export_rows(not years):
            slug = row["village"]
            feat = features.get(slug)
            if feat is None:
                lon, lat = coords[slug]
                feat = features[slug] = {"type": "Feature", "id": slug,
                                         "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                                         "properties": {k: row[k] for k in (*PLACE_FIELDS, "population")} | {"figures": []}}
            feat["properties"]["figures"].append({k: row[k] for k in EXPORT_FIELDS[len(PLACE_FIELDS):]})
        return json.dumps({"type": "FeatureCollection", "licence": "Computed by Partons from the facilities' own licences",
                           "features": list(features.values())}, ensure_ascii=False).encode("utf-8")

    return cached_response(request, build, filename="partons-access.geojson", content_type="application/geo+json",
                           version=access.answers_version())
