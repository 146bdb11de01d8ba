"""Every write of the events: registrations, the waiting list, attendance, messages. One transaction each, with the
event's row locked while places are counted — so that people registering at the same moment never get more places
than there are — and e-mails sent once the change is committed."""
from __future__ import annotations


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from partons.core import mail
from partons.core.ratelimit import hit
from partons.core.roles import Role, has_role, require_role
from partons.core.tasks import task
from partons.core.text import one_line

from . import permissions
from .models import Event, EventMessage, PickupPoint, Registration

Status = Registration.Status
REGISTRATIONS_PER_HOUR = 20
MESSAGES_PER_HOUR = 10


def register(*, by, event: Event, companions: int = 0, pickup: PickupPoint | None = None, needs: str = "",
             now=None) -> Registration:
    """Register `by` (plus companions). Confirmed when the places allow it and nobody is waiting before them,
    otherwise on the waiting list. Errors name the field."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    now = now or timezone.now()
    hit(f"events:register:{by.pk}", limit=REGISTRATIONS_PER_HOUR, window_s=3600)
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.published:
            raise PermissionDenied
        state = event.registration_state(now)
        if state != "open":
            raise ValidationError({
                "none": _("This event needs no registration."),
                "not_yet": _("Registration opens on %(when)s.") % {
                    "when": timezone.localtime(event.registration_opens_at).strftime("%d/%m/%Y %H:%M")
                    if event.registration_opens_at else ""},
                "closed": _("Registration for this event is closed."),
                "cancelled": _("This event is cancelled."),
            }[state])
        errors = {}
        if companions < 0 or companions > event.max_companions:
            errors["companions"] = ngettext("At most %(n)s companion per registration.",
                                            "At most %(n)s companions per registration.",
                                            event.max_companions) % {"n": event.max_companions}
        if pickup is not None and pickup.event_id != event.pk:
            errors["pickup"] = _("This pick-up point belongs to another event.")
        if len(needs) > 500:
            errors["needs"] = _("At most 500 characters.")
        if event.capacity is not None and 1 + companions > event.capacity:
            errors["companions"] = ngettext("This event has %(n)s place in all.", "This event has %(n)s places in all.",
                                            event.capacity) % {"n": event.capacity}
        if errors:
            raise ValidationError(errors)
        if event.registrations.filter(user=by).exclude(status=Status.CANCELLED).exists():
            raise ValidationError(_("You are already registered for this event."))
        seats = 1 + companions
        someone_waiting = event.registrations.filter(status=Status.WAITING).exists()
        fits = event.capacity is None or event.seats_taken + seats <= event.capacity
        reg = Registration(event=event, user=by, companions=companions, pickup=pickup, needs=needs.strip())
        if fits and not someone_waiting:
            reg.status, reg.confirmed_at = Status.CONFIRMED, now
            Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + seats)
        else:
            reg.status = Status.WAITING
        try:
            with transaction.atomic():
                reg.save()
        except IntegrityError as exc:  # a double click from another tab got there first
            raise ValidationError(_("You are already registered for this event.")) from exc
    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id=reg.pk, kind=reg.status))
    return reg


def cancel(*, by, registration: Registration, now=None) -> list[Registration]:
    """Cancel a registration (its holder or a coordinator). Places it freed go to the waiting list, in order;
    returns the registrations promoted (they are told by e-mail)."""
    now = now or timezone.now()
    if not permissions.can_cancel_registration(by, registration):  # a registration without an account is nobody's
        raise PermissionDenied
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        reg = Registration.objects.get(pk=registration.pk)
        if reg.status == Status.CANCELLED:
            return []
        if event.starts_at <= now and not has_role(by, Role.COORDINATOR):
            raise ValidationError(_("The event has begun: a registration can no longer be cancelled."))
        was_confirmed = reg.status == Status.CONFIRMED
        reg.status, reg.cancelled_at = Status.CANCELLED, now
        reg.save(update_fields=["status", "cancelled_at"])
        if was_confirmed:
            Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") - reg.seats)
            event.seats_taken -= reg.seats
        promoted = _promote(event, now)
        kind = "cancelled" if reg.user_id == getattr(by, "pk", None) else "removed"
        transaction.on_commit(lambda: send_registration_email.enqueue(registration_id=reg.pk, kind=kind))
    return promoted


def _promote(event: Event, now) -> list[Registration]:
    """Confirm people from the head of the waiting list while their places fit (the event row is locked).
    Strict order: someone who needs more places than are free keeps their turn, nobody overtakes them. Nobody is
    promoted into a cancelled event or one that has begun."""
    if event.cancelled or event.starts_at <= now:
        return []
    promoted = []
    free = None if event.capacity is None else event.capacity - event.seats_taken
    for reg in event.registrations.filter(status=Status.WAITING).order_by("created_at", "pk"):
        if free is not None and reg.seats > free:
            break
        reg.status, reg.confirmed_at, reg.promoted_at = Status.CONFIRMED, now, now
        reg.save(update_fields=["status", "confirmed_at", "promoted_at"])
        if free is not None:
            free -= reg.seats
        promoted.append(reg)
    if promoted:
        Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + sum(r.seats for r in promoted))
        ids = [r.pk for r in promoted]
        transaction.on_commit(lambda: [send_registration_email.enqueue(registration_id=i, kind="promoted") for i in ids])
    return promoted


def check_capacity(event: Event, capacity: int | None) -> None:
    """Fewer places than are taken, or than someone on the waiting list needs, is refused (naming the field)."""
    if capacity is None:
        return
    if capacity < event.seats_taken:
        raise ValidationError({"capacity": _("%(n)s places are already taken: cancel registrations first.")
                               % {"n": event.seats_taken}})
    largest = max((r.seats for r in event.registrations.filter(status=Status.WAITING)), default=0)
    if capacity < largest:
        raise ValidationError({"capacity": _("A registration on the waiting list needs %(n)s places: it could never "
                                             "get them.") % {"n": largest}})


def set_capacity(*, by, event: Event, capacity: int | None, now=None) -> list[Registration]:
    """Change the number of places. More places go to the waiting list at once; fewer than are taken is refused."""
    require_role(by, Role.COORDINATOR)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        check_capacity(locked, capacity)
        locked.capacity = capacity
        locked.save(update_fields=["capacity", "updated_at"])
        return _promote(locked, now or timezone.now())


def set_cancelled(*, by, event: Event, cancelled: bool, now=None) -> list[Registration]:
    """Cancel an event (registrations are kept, so that it can be held after all) or call it on again: then the places
    free go to the waiting list at once."""
    require_role(by, Role.COORDINATOR)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.cancelled == cancelled:
            return []
        locked.cancelled = cancelled
        locked.save(update_fields=["cancelled", "updated_at"])
        promoted = [] if cancelled else _promote(locked, now)
        if locked.ends_at > now:  # everyone registered or waiting is told (the promoted get their own e-mail)
            told = list(locked.registrations.filter(status__in=[Status.CONFIRMED, Status.WAITING])
                        .exclude(pk__in=[r.pk for r in promoted]).values_list("pk", flat=True))
            kind = "event_cancelled" if cancelled else "event_on"
            transaction.on_commit(lambda: [send_registration_email.enqueue(registration_id=i, kind=kind) for i in told])
        return promoted


def record_attendance(*, by, event: Event, present_ids) -> int:
    """Who came: the confirmed registrations ticked attended, the others not. Returns how many were there."""
    require_role(by, Role.COORDINATOR)
    present = {int(i) for i in present_ids}
    with transaction.atomic():
        confirmed = event.registrations.filter(status=Status.CONFIRMED)
        confirmed.filter(pk__in=present).update(attended=True)
        confirmed.exclude(pk__in=present).update(attended=False)
    return event.registrations.filter(status=Status.CONFIRMED, attended=True).count()


def message_participants(*, by, event: Event, subject: str, body: str, include_waiting: bool = False) -> EventMessage:
    require_role(by, Role.COORDINATOR)
    subject, body = one_line(subject), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Write a subject.")
    if not body:
        errors["body"] = _("Write the message.")
    if errors:
        raise ValidationError(errors)
    hit(f"events:message:{by.pk}", limit=MESSAGES_PER_HOUR, window_s=3600)
    statuses = [Status.CONFIRMED] + ([Status.WAITING] if include_waiting else [])
    with transaction.atomic():
        n = event.registrations.filter(status__in=statuses, user__isnull=False).count()
        msg = EventMessage.objects.create(event=event, subject=subject[:200], body=body[:5000], include_waiting=include_waiting,
                                          recipients=n, by=by)
    transaction.on_commit(lambda: send_event_message.enqueue(message_id=msg.pk))
    return msg


# --- iCalendar ---------------------------------------------------------------------------------------------------

def calendar(events) -> bytes:
    """Events as an iCalendar file in the active language."""
    from django.conf import settings

    from partons.core import ical

    site = settings.SITE_URL.rstrip("/")
    return ical.calendar([ical.Entry(
        uid=f"event-{e.pk}", start=e.starts_at, end=e.ends_at, summary=e.title, stamp=e.updated_at,
        location=", ".join(p for p in (e.venue, e.village.name) if p), description=e.description or "",
        url=site + e.get_absolute_url(), geo=(e.point[1], e.point[0]), cancelled=e.cancelled) for e in events],
        prodid="events", name=_("Partons agenda"))


# --- e-mails -----------------------------------------------------------------------------------------------------

# The subject of each registration e-mail (translated when sent, in the reader's language).
REGISTRATION_SUBJECTS = {
    "confirmed": gettext_lazy("[Partons] You are registered: %(title)s"),
    "waiting": gettext_lazy("[Partons] You are on the waiting list: %(title)s"),
    "promoted": gettext_lazy("[Partons] A place came free, you are registered: %(title)s"),
    "cancelled": gettext_lazy("[Partons] Your registration is cancelled: %(title)s"),
    "removed": gettext_lazy("[Partons] The organisers cancelled your registration: %(title)s"),
    "event_cancelled": gettext_lazy("[Partons] Cancelled: %(title)s"),
    "event_on": gettext_lazy("[Partons] It takes place after all: %(title)s"),
}


@task()
def send_registration_email(registration_id: int, kind: str) -> None:
    """kind: 'confirmed' (with the event as an .ics file), 'waiting', 'promoted' (a place came free), 'cancelled' (by the
    person), 'removed' (by the organisers), 'event_cancelled' or 'event_on' (called off, or on again)."""
    reg = Registration.objects.select_related("event__village", "user", "pickup__village").filter(pk=registration_id).first()
    if reg is None:
        return
    subject = REGISTRATION_SUBJECTS[kind]
    with_ics = kind in ("confirmed", "promoted", "event_cancelled") or (kind == "event_on" and reg.status == Status.CONFIRMED)
    mail.send_to_user(reg.user, "events/email/registration.txt",
                      lambda: str(subject) % {"title": one_line(reg.event.title)[:80]},
                      lambda: {"reg": reg, "event": reg.event, "kind": kind,
                               "url": mail.absolute_url(reg.event.get_absolute_url())},
                      attachments=lambda: [(f"{reg.event.slug}.ics", calendar([reg.event]), "text/calendar")] if with_ics else [])


@task()
def send_event_message(message_id: int) -> None:
    msg = EventMessage.objects.select_related("event").get(pk=message_id)
    statuses = [Status.CONFIRMED] + ([Status.WAITING] if msg.include_waiting else [])
    for reg in msg.event.registrations.filter(status__in=statuses, user__isnull=False).select_related("user"):
        mail.send_to_user(reg.user, "events/email/message.txt", f"[Partons] {msg.subject}",
                          lambda: {"msg": msg, "event": msg.event, "url": mail.absolute_url(msg.event.get_absolute_url())})
