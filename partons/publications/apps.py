from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "partons.publications"
    label = "publications"
    verbose_name = _("Media library")

    def ready(self):
        from partons.core import gdpr

        gdpr.declare("publications", export=_export, erase=_erase, covers={
            "publications.Publication": "created_by: exported; the publication stays, unsigned",
        })


def _export(user) -> dict:
    """The only personal link: which publication records a person created (as a coordinator)."""
    from .models import Publication

    return {"created": [{"slug": p.slug, "title_nl": p.title_nl, "created_at": p.created_at.isoformat()}
                        for p in Publication.objects.filter(created_by=user).order_by("created_at")]}


def _erase(user) -> None:
    """Publications are the programme's, not the person's: they stay, without who entered them."""
    from .models import Publication

    Publication.objects.filter(created_by=user).update(created_by=None)
