from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "partons.newsletters"
    label = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        from partons.core import gdpr

        gdpr.declare("newsletter", export=_export, erase=_erase, covers={
            "newsletters.Subscription": "email, choices and consent date: exported; deleted with the account (and by "
                                        "unsubscribing, without one)",
            "newsletters.Delivery": "which issues went to a subscriber: exported; on erasure the waiting ones are deleted, "
                                    "the sent ones stay counted without the address",
            "newsletters.Issue": "created_by / sent_by: the coordinator who wrote or sent it; the issue stays, unsigned",
        })


def _subscriptions(user):
    from django.db.models import Q

    from .models import Subscription

    return Subscription.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def _export(user) -> list[dict]:
    from . import services

    return [services.export(sub) for sub in _subscriptions(user)]


def _erase(user) -> None:
    from .models import Issue

    from . import services

    services.forget(_subscriptions(user))
    Issue.objects.filter(created_by=user).update(created_by=None)
    Issue.objects.filter(sent_by=user).update(sent_by=None)
