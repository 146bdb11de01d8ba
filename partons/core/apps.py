from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "partons.core"
    label = "core"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from django.apps import apps

        from . import roles, versions

        from allauth.account.signals import user_signed_up

        post_migrate.connect(roles.sync_role_groups_after_migrate, sender=self)
        user_signed_up.connect(roles.on_user_signed_up, dispatch_uid="partons-resident-on-signup")
        versions.connect_reference_signals(apps)
