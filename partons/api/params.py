"""Query parameters every API module reads the same way: a bad one answers 400 or 404 with the parameter's name."""
from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from django.http import Http404
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field

from partons.core.geo import parse_bbox
from partons.territory import selectors as territory


def _iso_date(value):
    """Only a calendar date as YYYY-MM-DD: pydantic alone would read `0` or `1700000000` as a Unix time."""
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError("a date is written YYYY-MM-DD, e.g. 2015-01-01")
    return value.strip()


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


def paging(request, *, total: int, returned: int, offset: int, limit: int) -> dict:
    """The one pagination shape of every collection: how many match, how many are in this answer, and the address of
    the next page (None on the last one), with the same filters."""
    from urllib.parse import urlencode

    nxt = None
    if offset + limit < total:
        params = request.GET.copy()
        params["offset"] = str(offset + limit)
        params["limit"] = str(limit)
        nxt = request.build_absolute_uri(request.path + "?" + urlencode(params, doseq=True))
    return {"numberMatched": total, "numberReturned": returned, "next": nxt}


# Four decimal numbers (or nothing): the schema says so (a pattern), the server checks it and the ranges (a 400 naming `bbox`).
BBOX_PATTERN = r"^( *-?[0-9]+(\.[0-9]+)? *(, *-?[0-9]+(\.[0-9]+)? *){3})?$"  # empty: no box
BBox = Annotated[str | None, Field(description="min_lon,min_lat,max_lon,max_lat (WGS84), e.g. 2.5,50.7,3.0,51.0",
                                   json_schema_extra={"pattern": BBOX_PATTERN})]
Lang = Literal["nl", "fr", "en"]
LangParam = Annotated[Lang | None, Field(description="Language of names and labels: nl, fr or en (default: the "
                                                           "Accept-Language header)")]


def bbox_param(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    if not re.fullmatch(BBOX_PATTERN, value):
        raise HttpError(400, "bbox: four numbers are needed: min_lon,min_lat,max_lon,max_lat (WGS84)")
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


# --- plain-values answers (maps of thousands of points read without model objects) --------------------------------

def url_prefix(viewname: str) -> str:
    """The address of the detail page of `viewname` without its id, in the active language: prefix + f"{pk}/"."""
    from django.urls import reverse

    url0 = reverse(viewname, kwargs={"pk": 0})
    return url0[: url0.rindex("0/")]


def name_in(names: dict[str, str], lang: str) -> str | None:
    """{"nl": …, "fr": …, "en": …} read as a place's or category's name is: the language, then its fallbacks."""
    from partons.core.translated import first_written

    found = first_written(names, language=lang)
    return names[found] if found else None
