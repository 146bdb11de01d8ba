"""Read queries of the events: the public agenda with its filters, one's registrations, participants."""
from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from partons.core.geo import placed_in_bbox
from partons.core.versions import latest_change

from .models import Event, Registration


def data_version() -> str:
    """Changes whenever an event is added or edited (published, moved, cancelled): pages listing events are kept
    under it. What is "coming" also changes with the clock: pages add their own time step."""
    return latest_change(Event)


def month_range(month: str) -> tuple[datetime.datetime, datetime.datetime]:
    """'2026-05' → the first instants of May and June 2026 in Brussels time. ValueError when malformed."""
    year, mon = (int(x) for x in month.split("-", 1))
    if not (2000 <= year <= 2100 and 1 <= mon <= 12) or len(month) != 7:
        raise ValueError(month)
    tz = timezone.get_default_timezone()
    start = datetime.datetime(year, mon, 1, tzinfo=tz)
    end = datetime.datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=tz)
    return start, end


def agenda(*, type: str | None = None, village=None, municipality=None, month: str | None = None, past: bool = False,
           bbox=None, now=None) -> QuerySet[Event]:
    """Published events, upcoming first (or past ones, newest first), filtered in SQL."""
    now = now or timezone.now()
    qs = with_waiting(Event.objects.public().select_related("village__municipality__country")
                      .defer("village__municipality__boundary"))
    if type:
        qs = qs.filter(type=type)
    if village is not None:
        qs = qs.filter(village=village)
    if municipality is not None:
        qs = qs.filter(village__municipality=municipality)
    if month:
        start, end = month_range(month)
        qs = qs.filter(starts_at__lt=end, ends_at__gte=start)
    elif past:
        qs = qs.filter(ends_at__lt=now)
    else:
        qs = qs.filter(ends_at__gte=now)
    if bbox is not None:
        qs = qs.filter(placed_in_bbox(bbox))
    return qs.order_by("-starts_at", "-pk") if past and not month else qs.order_by("starts_at", "pk")


def with_waiting(qs: QuerySet[Event]) -> QuerySet[Event]:
    return qs.annotate(waiting_count=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)))


def registrations_of(user) -> QuerySet[Registration]:
    return (Registration.objects.filter(user=user).select_related("event__village", "pickup")
            .order_by("-event__starts_at", "-pk"))


def active_registration(user, event: Event) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return event.registrations.filter(user=user).exclude(status=Registration.Status.CANCELLED).first()


def waiting_position(reg: Registration) -> int:
    """1 for the head of the waiting list."""
    return reg.event.registrations.filter(status=Registration.Status.WAITING).filter(
        Q(created_at__lt=reg.created_at) | Q(created_at=reg.created_at, pk__lt=reg.pk)).count() + 1


def participants(event: Event) -> QuerySet[Registration]:
    return event.registrations.select_related("user", "pickup__village").order_by("status", "created_at", "pk")


def counts(event: Event) -> dict:
    c = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
        attended=Count("pk", filter=Q(status=Registration.Status.CONFIRMED, attended=True)))
    return c


def upcoming_in_village(village, *, limit: int = 5) -> list[Event]:
    return list(with_waiting(Event.objects.public().upcoming().filter(village=village)).order_by("starts_at")[:limit])
