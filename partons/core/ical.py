"""iCalendar files (RFC 5545) for events, meetings and coaching sessions: times in UTC (…Z), which every calendar
reads right whatever zone they were entered in."""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone


@dataclass
class Entry:
    uid: str
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    geo: tuple[float, float] | None = None  # (lat, lon)
    cancelled: bool = False
    stamp: datetime.datetime | None = None


def calendar(entries: Iterable[Entry], *, prodid: str, name: str = "") -> bytes:
    from icalendar import Calendar, Event

    utc = datetime.timezone.utc
    cal = Calendar()
    cal.add("prodid", f"-//Partons//{prodid}//")
    cal.add("version", "2.0")
    if name:
        cal.add("x-wr-calname", name)
    for e in entries:
        ev = Event()
        ev.add("uid", f"{e.uid}@partons")
        ev.add("dtstamp", (e.stamp or timezone.now()).astimezone(utc))
        ev.add("dtstart", e.start.astimezone(utc))
        ev.add("dtend", e.end.astimezone(utc))
        ev.add("summary", e.summary)
        if e.location.strip():
            ev.add("location", e.location.strip())
        if e.description:
            ev.add("description", e.description)
        if e.url:
            ev.add("url", e.url)
        if e.geo is not None:
            ev.add("geo", e.geo)
        if e.cancelled:
            ev.add("status", "CANCELLED")
        cal.add_component(ev)
    return cal.to_ical()


def ics_response(body: bytes, filename: str, *, inline: bool = False, private: bool = False):
    """A calendar file: downloaded (or `inline`, for a feed a calendar program subscribes to); `private` for one that
    only its readers may see (never kept by a shared cache)."""
    from django.http import HttpResponse

    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
