"""The idea box in the public API: public ideas (never hidden ones), their supports, status and history,
statistics and exports. Nothing personal: authors appear only by the display name they chose."""
from __future__ import annotations


import json
from typing import Literal

from django.utils import translation
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from partons.core import csvfile
from partons.core.text import plain
from partons.ideas import selectors
from partons.ideas.models import Idea, Status, Theme

from partons.core.cached import cached_json, cached_response
from .schemas import ErrorOut, IdeaCollection, IdeaFeature, IdeaStats
from .throttling import EXPORT_THROTTLE
from .params import BBox, bbox_param, municipality_param, name_in, paging, url_prefix, village_param

router = Router(tags=["ideas"])
MAX_LIMIT = 1000


class IdeaFilters(Schema):
    village: str | None = Field(None, description="Village slug")
    municipality: str | None = Field(None, description="Municipality key, e.g. be-33039")
    theme: Literal[tuple(Theme.values)] | None = None  # type: ignore[valid-type]
    status: Literal[tuple(Status.values)] | None = None  # type: ignore[valid-type]
    language: Literal["nl", "fr"] | None = Field(None, description="The language the idea is written in")
    country: Literal["BE", "FR", "be", "fr"] | None = Field(None, description="Side of the border")
    q: str | None = Field(None, max_length=100, description="Words in the title, text or place")
    sort: Literal["newest", "supported", "discussed"] = "newest"
    bbox: BBox = None
    lang: Literal["nl", "fr", "en"] | None = Field(None, description="Language of labels (themes, statuses)")
    compact: bool = Field(False, description="Only what a map needs (no text or answer)")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


def _qs(f: IdeaFilters):
    village, municipality, bbox = village_param(f.village), municipality_param(f.municipality), bbox_param(f.bbox)
    return selectors.public_ideas(village=village, municipality=municipality, theme=f.theme, status=f.status,
                                  language=f.language, country=f.country.upper() if f.country else None, q=f.q, bbox=bbox,
                                  sort=f.sort)


def _author(idea: Idea) -> str | None:
    return idea.author.display_name or None if idea.author_id else None


def _labels() -> dict:
    """Theme and status names in the active language, looked up once per request."""
    return {"theme": {k: str(v) for k, v in Theme.choices}, "status": {k: str(v) for k, v in Status.choices}}


def _place(v_slug, v_name, muni_key, country, point, pk, prefix) -> dict:
    """What the API and the exports add to an idea's own fields: its place, its address and its point."""
    return {"village": v_slug, "village_name": v_name, "municipality": muni_key, "country": country,
            "url": f"{prefix}{pk}/", "lon": round(point[0], 6) if point else None,
            "lat": round(point[1], 6) if point else None}


def _row(idea: Idea, labels: dict | None = None) -> dict:
    labels = labels or _labels()
    v = idea.village
    return {"id": idea.pk, **{f: plain(getattr(idea, f)) for f in Idea.PUBLIC_FIELDS},
            "theme_name": labels["theme"].get(idea.theme, idea.theme),
            "status_name": labels["status"].get(idea.status, idea.status),
            **_place(v.slug if v else None, v.name if v else None, v.municipality.key if v else None,
                     v.municipality.country.code if v else None, idea.point, idea.pk, url_prefix("ideas:detail"))}


_PLACE_COLUMNS = ("village__slug", "village__name_nl", "village__name_fr", "village__name_en", "village__municipality__code",
                  "village__municipality__country__code", "lon", "lat", "village__lon", "village__lat")


def _export_rows(qs, labels: dict):
    """The same rows as `_row`, read as plain values a chunk at a time (no model objects): an export of every idea
    is built in seconds, not minutes."""
    prefix = url_prefix("ideas:detail")
    lang = translation.get_language()
    for r in qs.values("pk", *Idea.PUBLIC_FIELDS, *_PLACE_COLUMNS).iterator(chunk_size=2000):
        slug, country = r["village__slug"], r["village__municipality__country__code"]
        point = ((r["lon"], r["lat"]) if r["lon"] is not None
                 else ((r["village__lon"], r["village__lat"]) if slug else None))
        yield {"id": r["pk"], **{f: plain(r[f]) for f in Idea.PUBLIC_FIELDS},
               "theme_name": labels["theme"].get(r["theme"], r["theme"]),
               "status_name": labels["status"].get(r["status"], r["status"]),
               **_place(slug, name_in({"nl": r["village__name_nl"], "fr": r["village__name_fr"],
                                       "en": r["village__name_en"]}, lang) if slug else None,
                        f"{country.lower()}-{r['village__municipality__code']}" if slug else None,
                        country if slug else None, point, r["pk"], prefix)}


def _feature(idea: Idea, labels: dict | None = None) -> dict:
    row = _row(idea, labels)
    lon, lat = row.pop("lon"), row.pop("lat")
    return {"type": "Feature", "id": idea.pk,
            "geometry": {"type": "Point", "coordinates": [lon, lat]} if lon is not None else None, "properties": row}


_COMPACT_COLUMNS = ("pk", "title", "language", "theme", "status", "supports_count", "comments_count", "lon", "lat",
                    "village__slug", "village__name_nl", "village__name_fr", "village__name_en", "village__lon",
                    "village__lat", "village__municipality__country__code")


def _compact_features(qs, labels: dict) -> list[dict]:
    """What the idea map needs (no text, answer or dates), read as plain values: no model objects, no extra query."""
    prefix = url_prefix("ideas:detail")
    lang = translation.get_language()
    out = []
    for (pk, title, language, theme, status, supports, comments, lon, lat, slug, v_nl, v_fr, v_en, v_lon, v_lat,
         country) in qs.values_list(*_COMPACT_COLUMNS):
        point = (lon, lat) if lon is not None else ((v_lon, v_lat) if slug else None)
        out.append({"type": "Feature", "id": pk,
                    "geometry": {"type": "Point", "coordinates": [round(point[0], 6), round(point[1], 6)]} if point else None,
                    "properties": {
                        "id": pk, "title": title, "language": language, "theme": theme,
                        "theme_name": labels["theme"].get(theme, theme), "status": status,
                        "status_name": labels["status"].get(status, status), "village": slug,
                        "village_name": name_in({"nl": v_nl, "fr": v_fr, "en": v_en}, lang) if slug else None,
                        "country": country, "supports_count": supports, "comments_count": comments,
                        "url": f"{prefix}{pk}/"}})
    return out


def _lang(request, lang):
    return lang or translation.get_language_from_request(request, check_path=False)


@router.get("/ideas", response=IdeaCollection,
            summary="Public ideas as GeoJSON, filtered and sorted, paginated (limit/offset, `next`)")
def list_ideas(request, filters: Query[IdeaFilters]):
    qs = _qs(filters)

    def build() -> dict:
        total = qs.count()
        with translation.override(_lang(request, filters.lang)):
            labels = _labels()
            page = qs[filters.offset:filters.offset + filters.limit]
            items = (_compact_features(page, labels) if filters.compact else [_feature(i, labels) for i in page])
        return {"type": "FeatureCollection", **paging(request, total=total, returned=len(items), offset=filters.offset,
                                                    limit=filters.limit), "features": items}

    return cached_json(request, build, version=selectors.data_version())


@router.get("/ideas/stats", response=IdeaStats, summary="Number of public ideas per theme, status, source and village")
def idea_stats(request):
    return selectors.stats()


@router.get("/ideas/{int:idea_id}", response=IdeaFeature,
            summary="One public idea with its status history and the team's answers")
def get_idea(request, idea_id: int, lang: Literal["nl", "fr", "en"] | None = None):
    idea = Idea.objects.visible().select_related("village__municipality__country", "author").filter(pk=idea_id).first()
    if idea is None:
        raise HttpError(404, f"idea: no public idea {idea_id}")
    with translation.override(_lang(request, lang)):
        out = _feature(idea)
        out["properties"]["author"] = _author(idea)
        out["properties"]["history"] = [{"status": h.new, "status_name": h.get_new_display(), "answer": h.answer,
                                         "at": h.created_at.isoformat()} for h in idea.status_changes.all()]
        out["properties"]["merged_into"] = idea.merged_into_id if idea.merged_into_id and not idea.merged_into.hidden else None
        out["properties"]["facilities"] = list(idea.facilities.values_list("pk", flat=True))
    return out


EXPORT_FIELDS = ["id", *Idea.PUBLIC_FIELDS, "village", "municipality", "country", "lon", "lat", "url"]


@router.get("/ideas.csv", throttle=EXPORT_THROTTLE, response={200: None, 400: ErrorOut, 404: ErrorOut},
            summary="Export the public ideas (same filters) as CSV; built once per change of the ideas")
def export_csv(request, filters: Query[IdeaFilters]):
    def build() -> bytes:
        return csvfile.csv_bytes(EXPORT_FIELDS, _export_rows(_qs(filters), _labels()))

    return cached_response(request, build, filename="partons-ideas.csv", content_type=csvfile.CONTENT_TYPE,
                           version=selectors.data_version())


@router.get("/ideas.geojson", throttle=EXPORT_THROTTLE, response={200: None, 400: ErrorOut, 404: ErrorOut},
            summary="Export the public ideas (same filters) as GeoJSON; built once per change of the ideas")
def export_geojson(request, filters: Query[IdeaFilters]):
    def build() -> bytes:
        labels = _labels()
        features = []
        for row in _export_rows(_qs(filters), labels):
            lon, lat = row.pop("lon"), row.pop("lat")
            features.append({"type": "Feature", "id": row["id"], "properties": row,
                             "geometry": {"type": "Point", "coordinates": [lon, lat]} if lon is not None else None})
        return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")

    return cached_response(request, build, filename="partons-ideas.geojson", content_type="application/geo+json",
                           version=selectors.data_version())
