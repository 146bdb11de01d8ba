"""Query parameters every API module reads the same way: a bad one answers 400 or 404 with the parameter's name."""
from __future__ import annotations

from django.http import Http404
from ninja.errors import HttpError

from partons.core.geo import parse_bbox
from partons.territory import selectors as territory


def bbox_param(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        return parse_bbox(value)
    except ValueError as exc:
        raise HttpError(400, f"bbox: {exc}") from exc


def village_param(slug: str | None, *, name: str = "village"):
    if not slug:
        return None
    village = territory.villages().filter(slug=slug).first()
    if village is None:
        raise HttpError(404, f"{name}: no village {slug!r}")
    return village


def municipality_param(key: str | None, *, name: str = "municipality"):
    if not key:
        return None
    try:
        return territory.municipality_by_key(key)
    except Http404 as exc:
        raise HttpError(404, f"{name}: no municipality {key!r}") from exc
