from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "partons.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from partons.core import gdpr

        gdpr.declare("event_registrations", export=_export, erase=_erase, covers={
            "events.Registration": "user: exported; coming ones cancelled, past ones kept as anonymous counts",
            "events.EventMessage": "by: the organiser who wrote to participants; the message stays, unsigned",
        })


def _export(user) -> list[dict]:
    from .models import Registration

    return [{"event": r.event.slug, "title": r.event.title, "starts_at": r.event.starts_at.isoformat(), "status": r.status,
             "companions": r.companions, "pickup": str(r.pickup) if r.pickup_id else None, "needs": r.needs,
             "attended": r.attended, "registered_at": r.created_at.isoformat(),
             "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None}
            for r in Registration.objects.filter(user=user).select_related("event", "pickup__village")]


def _erase(user) -> None:
    """Registrations for coming events are cancelled (their places go to the waiting list); past ones stay as
    anonymous counts for the attendance figures, without the needs the person wrote."""
    from django.utils import timezone

    from . import services
    from .models import Registration

    now = timezone.now()
    for reg in Registration.objects.filter(user=user, event__starts_at__gt=now).exclude(status=Registration.Status.CANCELLED):
        services.cancel(by=user, registration=reg, now=now)
    Registration.objects.filter(user=user).update(user=None, needs="")
