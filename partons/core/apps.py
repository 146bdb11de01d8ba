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
        from django.core import checks

        checks.register(check_second_factor, checks.Tags.security, deploy=True)


def check_second_factor(app_configs=None, **kwargs):
    """A deployed site requires a second factor of its staff and exempts nobody."""
    from django.conf import settings
    from django.core import checks

    errors = []
    if not settings.MFA_REQUIRED:
        errors.append(checks.Error("MFA_REQUIRED is off: staff accounts (coordinators, moderators, analysts, jury "
                                   "members) must use a second factor on a deployed site.", id="partons.E002"))
    if settings.MFA_EXEMPT_EMAILS:
        errors.append(checks.Error(f"MFA_EXEMPT_EMAILS exempts {', '.join(settings.MFA_EXEMPT_EMAILS)} from the second "
                                   f"factor: for the demo of `make run` only, never on a deployed site.",
                                   id="partons.E002"))
    return errors
