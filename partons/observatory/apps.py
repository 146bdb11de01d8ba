from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_nomenclature(sender, **kwargs):
    from .models import CategoryGroup, ServiceCategory
    from .nomenclature import sync_nomenclature

    sync_nomenclature(ServiceCategory, CategoryGroup)


class ObservatoryConfig(AppConfig):
    name = "partons.observatory"
    label = "observatory"
    verbose_name = _("Observatory of everyday services")

    def ready(self):
        from partons.core import gdpr

        # Also after a database flush (tests), the standard nomenclature is there.
        post_migrate.connect(_sync_nomenclature, sender=self, dispatch_uid="partons-nomenclature")
        gdpr.declare("reports", export=_export_reports, erase=_erase_reports, covers={
            "observatory.Report": "reporter: exported; the report stays without its name; handled_by (staff): set empty",
            "observatory.ImportRun": "by: who ran an import (staff); set empty on erasure",
            "observatory.FacilityChange": "by: who changed a service (staff); the history stays, unsigned",
        })


def _export_reports(user) -> list[dict]:
    """A person's reports, for the "download my data" file. On erasure the reports stay, without their name."""
    from .models import Report

    return [{"kind": r.kind, "facility": str(r.facility) if r.facility_id else None, "name": r.name, "details": r.details,
             "lon": r.lon, "lat": r.lat, "happened_on": r.happened_on.isoformat() if r.happened_on else None,
             "status": r.status, "answer": r.reason, "created_at": r.created_at.isoformat(),
             "photo": r.photo.name if r.photo else None}
            for r in Report.objects.filter(reporter=user).select_related("facility").order_by("created_at")]


def _erase_reports(user) -> None:
    """What a person wrote in their reports goes, photos included; what the report said about a service stays."""
    from .models import Report

    for report in Report.objects.filter(reporter=user):
        if report.photo:
            report.photo.delete(save=False)
        report.details = ""
        report.reporter = None
        report.save(update_fields=["details", "photo", "reporter"])
