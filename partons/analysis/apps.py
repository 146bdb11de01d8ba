from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "partons.analysis"
    label = "analysis"
    verbose_name = _("Access and viability")

    def ready(self):
        from partons.observatory.signals import facility_changed

        from . import tasks

        facility_changed.connect(tasks.on_facility_changed, dispatch_uid="partons-access-recompute")
