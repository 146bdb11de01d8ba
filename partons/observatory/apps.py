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
        # Also after a database flush (tests), the standard nomenclature is there.
        post_migrate.connect(_sync_nomenclature, sender=self, dispatch_uid="partons-nomenclature")
