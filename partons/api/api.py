"""The public API: JSON / GeoJSON with an OpenAPI schema at /api/openapi.json and docs at /api/docs."""
from __future__ import annotations

from typing import Literal

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import translation
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as InputError
from pydantic import Field

from partons.core.geo import simplify_geojson
from partons.territory import selectors
from partons.territory.models import Municipality, Village

from .params import BBox, Lang, bbox_param, paging
from .throttling import API_THROTTLE
from .schemas import ErrorOut, MunicipalityCollection, MunicipalityFeature, RegionOut, VillageCollection, VillageFeature

class PartonsAPI(NinjaAPI):
    """Every operation answers errors in one shape, `{"detail": …}` naming the parameter: 400 (a value the server
    refuses: a bounding box upside down, a code or a year that does not exist), 404 (nothing by that key), 422 (a
    parameter that does not match the schema) and 429 (too many requests); the schema says so for every operation."""

    ERRORS = {"400": "A parameter's value is refused (see `detail`)", "404": "Not found (see `detail`)",
              "422": "A parameter does not match the schema (see `detail`)", "429": "Too many requests: wait and retry"}

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = ErrorOut.model_json_schema()
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for path in schema["paths"].values():
            for operation in path.values():
                for code, description in self.ERRORS.items():
                    operation["responses"].setdefault(code, {"description": description, **error})
        return schema


api = PartonsAPI(
    title="Partons API",
    version="1",
    description=(
        "Open data of the Partons platform for the cross-border Westhoek (BE/FR): villages and municipalities, "
        "everyday services and their history, access figures per village, public ideas, calls and funded projects, "
        "events, the action plan and the media library — places as GeoJSON (WGS84), exports as CSV and GeoJSON. "
        "Ask for a language with `lang` (nl, fr, en) or the Accept-Language header. Collections page with `limit` and "
        "`offset` and say `numberMatched`, `numberReturned` and `next`; errors are `{\"detail\": …}`. "
        "Data keeps its own licence, given on every feature."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=API_THROTTLE,
)

MAX_LIMIT = 2000


def _language(request, lang: str | None) -> str:
    if lang:
        return lang
    return translation.get_language_from_request(request, check_path=False)


def _village_feature(v: Village) -> dict:
    m = v.municipality
    return {
        "type": "Feature",
        "id": v.slug,
        "geometry": {"type": "Point", "coordinates": [round(v.lon, 6), round(v.lat, 6)]},
        "properties": {
            "slug": v.slug, "name": v.name, "name_nl": v.name_nl, "name_fr": v.name_fr, "kind": v.kind,
            "population": v.population, "population_year": v.population_year, "population_source": v.population_source,
            "municipality_key": m.key, "municipality_name": m.name, "country": m.country.code,
            "source": v.source, "licence": v.licence, "synthetic": v.synthetic, "url": v.get_absolute_url(),
        },
    }


def _municipality_feature(m: Municipality, geometry: str, simplify: float) -> dict:
    geom = None
    if geometry == "boundary" and m.boundary:
        geom = simplify_geojson(m.boundary, simplify) if simplify > 0 else m.boundary
    elif m.lon is not None:
        geom = {"type": "Point", "coordinates": [round(m.lon, 6), round(m.lat, 6)]}
    return {
        "type": "Feature",
        "id": m.key,
        "geometry": geom,
        "properties": {
            "key": m.key, "code": m.code, "name": m.name, "name_nl": m.name_nl, "name_fr": m.name_fr,
            "country": m.country.code, "arrondissement": m.arrondissement_name, "population": m.population,
            "population_year": m.population_year, "population_source": m.population_source,
            "villages": getattr(m, "n_villages", 0), "has_boundary": m.boundary is not None,
            "source": m.source, "licence": m.licence, "url": m.get_absolute_url(),
        },
    }


class VillageFilters(Schema):
    bbox: BBox = None
    country: Literal["BE", "FR", "be", "fr"] | None = None
    municipality: str | None = Field(None, description="Municipality key, e.g. be-33039")
    q: str | None = Field(None, max_length=100, description="Part of a name")
    slugs: str | None = Field(None, max_length=2000, description="Comma-separated village slugs, e.g. kemmel,loker")
    lang: Lang | None = None
    limit: int = Field(500, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


@api.get("/villages", response={200: VillageCollection, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut}, tags=["territory"],
         summary="Villages as GeoJSON points")
def list_villages(request, filters: Query[VillageFilters]):
    muni = None
    if filters.municipality:
        try:
            muni = selectors.municipality_by_key(filters.municipality)
        except Http404 as exc:
            raise HttpError(404, f"municipality: no municipality with key {filters.municipality!r}") from exc
    qs = selectors.villages(country=filters.country, municipality=muni, q=filters.q, bbox=bbox_param(filters.bbox),
                            slugs=[s.strip() for s in filters.slugs.split(",") if s.strip()] if filters.slugs else None)
    qs = qs.order_by("-population", "pk")
    total = qs.count()
    with translation.override(_language(request, filters.lang)):
        features = [_village_feature(v) for v in qs[filters.offset: filters.offset + filters.limit]]
        return {"type": "FeatureCollection", **paging(request, total=total, returned=len(features), offset=filters.offset,
                                                        limit=filters.limit), "features": features}


@api.get("/villages/{slug}", response={200: VillageFeature, 308: None, 404: ErrorOut, 422: ErrorOut}, tags=["territory"],
         summary="One village (a merged village redirects to the one it was merged into)")
def get_village(request, slug: str, lang: Lang | None = None):
    village = selectors.villages().filter(slug=slug).first()
    if village is None:
        merged = Village.objects.filter(slug=slug, merged_into__isnull=False).select_related("merged_into").first()
        if merged is not None:
            query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
            return HttpResponsePermanentRedirect(f"/api/villages/{merged.merged_into.slug}{query}", preserve_request=True)
        raise HttpError(404, f"no village with slug {slug!r}")
    with translation.override(_language(request, lang)):
        return _village_feature(village)


class MunicipalityFilters(Schema):
    bbox: BBox = None
    country: Literal["BE", "FR", "be", "fr"] | None = None
    q: str | None = Field(None, max_length=100)
    geometry: Literal["boundary", "point"] = Field("boundary", description="Boundary polygon (where known) or a point")
    simplify: float = Field(0.0, ge=0, le=0.05, description="Simplification tolerance in degrees (0: full detail)")
    lang: Lang | None = None
    limit: int = Field(500, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


@api.get("/municipalities", response={200: MunicipalityCollection, 400: ErrorOut, 422: ErrorOut}, tags=["territory"],
         summary="Municipalities as GeoJSON (boundaries where known)")
def list_municipalities(request, filters: Query[MunicipalityFilters]):
    qs = selectors.with_village_counts(
        selectors.municipalities(country=filters.country, q=filters.q, bbox=bbox_param(filters.bbox),
                                 with_boundary=filters.geometry == "boundary")
    ).order_by("country__code", "code")
    total = qs.count()
    with translation.override(_language(request, filters.lang)):
        features = [_municipality_feature(m, filters.geometry, filters.simplify)
                    for m in qs[filters.offset: filters.offset + filters.limit]]
        return {"type": "FeatureCollection", **paging(request, total=total, returned=len(features), offset=filters.offset,
                                                        limit=filters.limit), "features": features}


@api.get("/municipalities/{key}", response={200: MunicipalityFeature, 404: ErrorOut, 422: ErrorOut}, tags=["territory"],
         summary="One municipality, by country and official code (e.g. be-33011, fr-59067)")
def get_municipality(request, key: str, lang: Lang | None = None, geometry: Literal["boundary", "point"] = "boundary"):
    try:
        muni = selectors.municipality_by_key(key)
    except Http404 as exc:
        raise HttpError(404, f"no municipality with key {key!r}") from exc
    muni = selectors.with_village_counts(Municipality.objects.filter(pk=muni.pk).select_related("country")).get()
    with translation.override(_language(request, lang)):
        return _municipality_feature(muni, geometry, 0.0)


@api.get("/basemap", response={200: None, 503: ErrorOut}, tags=["territory"],
         summary="The base map the app draws without a tile server: land, national borders, main roads and village names (GeoJSON)")
def get_basemap(request):
    from partons.analysis import engine
    from partons.analysis.models import RoadNetwork
    from partons.core.cached import cached_json
    from partons.core.versions import reference_version
    from partons.territory import basemap

    network = RoadNetwork.in_use()
    try:
        return cached_json(request, lambda: basemap.build(roads=engine.map_roads(network)),
                           version=f"basemap:{reference_version()}:{network.pk if network else ''}")
    except basemap.BasemapUnavailable as exc:
        raise HttpError(503, f"the base map's source is missing ({exc}); run `make assets`") from exc


@api.get("/regions", response={200: list[RegionOut], 422: ErrorOut}, tags=["territory"], summary="Configured regions")
def list_regions(request, lang: Lang | None = None):
    from django.db.models import Count

    from partons.territory.models import Region

    with translation.override(_language(request, lang)):
        return [{"slug": r.slug, "name": r.name, "municipalities": r.n}
                for r in Region.objects.annotate(n=Count("municipalities"))]


from .observatory import router as observatory_router  # noqa: E402

api.add_router("/", observatory_router)
from .access import router as access_router  # noqa: E402

api.add_router("/", access_router)
from .ideas import router as ideas_router  # noqa: E402

api.add_router("/", ideas_router)
from .calls import router as calls_router  # noqa: E402

api.add_router("/", calls_router)
from .events import router as events_router  # noqa: E402

api.add_router("/", events_router)
from .cooperation import router as cooperation_router  # noqa: E402

api.add_router("/", cooperation_router)
from .publications import router as publications_router  # noqa: E402

api.add_router("/", publications_router)
from .surveys import router as surveys_router  # noqa: E402
api.add_router("/", surveys_router)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(InputError)
def input_error(request, exc: InputError):
    """Every error has the same shape, {"detail": "..."}, naming the parameter at fault."""
    parts = []
    for err in exc.errors:
        where = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body", "filters")]
        parts.append(f"{'.'.join(where) or 'request'}: {str(err.get('msg', 'invalid')).removeprefix('Value error, ')}")
    return api.create_response(request, {"detail": "; ".join(parts)}, status=422)
