from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "partons.analysis"
    label = "analysis"
    verbose_name = _("Access and viability")

    def ready(self):
        from partons.observatory.signals import facility_changed

        from . import services

        facility_changed.connect(services.on_facility_changed, dispatch_uid="partons-access-recompute")
        from django.db.models.signals import post_delete, post_save

        from partons.territory.models import Village

        post_save.connect(services.on_village_changed, sender=Village, dispatch_uid="partons-access-village")
        post_delete.connect(services.on_village_changed, sender=Village, dispatch_uid="partons-access-village-deleted")
        from partons.core import gdpr

        gdpr.declare("scenarios", export=_export_scenarios, erase=_erase, covers={
            "analysis.Scenario": "created_by: the scenarios a person saved, exported; erased with the account",
            "analysis.AccessSettings": "updated_by: the coordinator who last changed the settings; set empty on erasure",
            "analysis.RoadNetwork": "imported_by: who imported a network (staff); set empty on erasure",
            "analysis.TransitNetwork": "imported_by: who imported public transport (staff); set empty on erasure",
        })


def _export_scenarios(user) -> list[dict]:
    from .models import Scenario

    return [{"name": s.name, "description": s.description, "category": s.category.code, "mode": s.mode,
             "created_at": s.created_at.isoformat(), "key": str(s.key)}
            for s in Scenario.objects.filter(created_by=user).select_related("category").order_by("created_at")]


def _erase(user) -> None:
    """Scenarios, settings and networks stay (they are the programme's work), without the person's name."""
    from .models import AccessSettings, RoadNetwork, Scenario, TransitNetwork

    Scenario.objects.filter(created_by=user).update(created_by=None)
    AccessSettings.objects.filter(updated_by=user).update(updated_by=None)
    RoadNetwork.objects.filter(imported_by=user).update(imported_by=None)
    TransitNetwork.objects.filter(imported_by=user).update(imported_by=None)
