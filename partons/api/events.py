"""Public events in the public API: GeoJSON with the places left, the same filters as the agenda. Never who registered."""
from __future__ import annotations

from typing import Literal

from django.utils import formats, timezone, translation
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from partons.events import selectors
from partons.events.models import Event, EventType

from .schemas import EventCollection, EventFeature
from .params import BBox, bbox_param, municipality_param, paging, village_param

router = Router(tags=["events"])
MAX_LIMIT = 500


class EventFilters(Schema):
    type: Literal[tuple(EventType.values)] | None = None  # type: ignore[valid-type]
    village: str | None = Field(None, description="Village slug")
    municipality: str | None = Field(None, description="Municipality key, e.g. be-33039")
    month: str | None = Field(None, description="YYYY-MM: events of that month")
    past: bool = Field(False, description="Past events (newest first) instead of coming ones")
    bbox: BBox = None
    lang: Literal["nl", "fr", "en"] | None = Field(None, description="Language of titles and labels")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=1_000_000)


def _feature(e: Event, type_labels: dict) -> dict:
    lon, lat = e.point
    return {"type": "Feature", "id": e.slug, "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": {
        "slug": e.slug, "type": e.type, "type_label": type_labels[e.type], "title": e.title, "title_nl": e.title_nl,
        "title_fr": e.title_fr, "description": e.description, "starts_at": e.starts_at.isoformat(),
        "ends_at": e.ends_at.isoformat(),
        "starts_label": formats.date_format(timezone.localtime(e.starts_at), "j F Y H:i"),
        "village": e.village.slug, "village_name": e.village.name, "municipality": e.village.municipality.key,
        "country": e.village.municipality.country.code, "venue": e.venue, "languages": e.languages,
        "organiser": e.organiser, "accessibility": e.accessibility, "registration": e.registration,
        "capacity": e.capacity, "places_left": e.places_left, "waiting_list": getattr(e, "waiting_count", 0),
        "full": e.is_full, "registration_state": e.registration_state(),
        "cancelled": e.cancelled, "synthetic": e.synthetic, "url": e.get_absolute_url(),
    }}


@router.get("/events", response=EventCollection,
            summary="Published events as GeoJSON, with the places left; coming ones first")
def list_events(request, f: Query[EventFilters]):
    with translation.override(f.lang or translation.get_language_from_request(request, check_path=False)):
        village, municipality = village_param(f.village), municipality_param(f.municipality)
        if f.month:
            try:
                selectors.month_range(f.month)
            except ValueError as exc:
                raise HttpError(400, f"month: {f.month!r} is not a month as YYYY-MM") from exc
        bbox = bbox_param(f.bbox)
        qs = selectors.agenda(type=f.type, village=village, municipality=municipality, month=f.month, past=f.past,
                              bbox=bbox)
        total = qs.count()
        labels = {k: str(v) for k, v in EventType.choices}
        features = [_feature(e, labels) for e in qs[f.offset:f.offset + f.limit]]
        return {"type": "FeatureCollection", **paging(request, total=total, returned=len(features), offset=f.offset,
                                                    limit=f.limit), "features": features}


@router.get("/events/{slug}", response=EventFeature, summary="One published event, with its programme "
            "and bus pick-up points")
def get_event(request, slug: str, lang: Literal["nl", "fr", "en"] | None = None):
    with translation.override(lang or translation.get_language_from_request(request, check_path=False)):
        e = selectors.with_waiting(Event.objects.public().select_related("village__municipality__country").defer(
            "village__municipality__boundary")).filter(
            slug=slug).first()
        if e is None:
            raise HttpError(404, f"event: no published event {slug!r}")
        out = _feature(e, {k: str(v) for k, v in EventType.choices})
        out["properties"]["programme"] = [{"time": i.time.strftime("%H:%M"), "title_nl": i.title_nl, "title_fr": i.title_fr}
                                          for i in e.programme.all()]
        out["properties"]["pickup_points"] = [{"time": p.time.strftime("%H:%M"), "name": p.name, "village": p.village.slug}
                                              for p in e.pickup_points.select_related("village")]
        return out
