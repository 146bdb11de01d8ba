"""Roles are Django groups with a fixed meaning. Permissions are checked in services with `require_role`."""
from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    RESIDENT = "resident"
    MODERATOR = "moderator"
    COORDINATOR = "coordinator"
    JURY_MEMBER = "jury_member"
    ANALYST = "analyst"  # policy makers and analysts: scenarios on the access indicators


ROLE_LABELS = {Role.RESIDENT: _("resident"), Role.MODERATOR: _("moderator"), Role.COORDINATOR: _("coordinator"),
               Role.JURY_MEMBER: _("jury member"), Role.ANALYST: _("analyst")}


def role_label(name: str) -> str:
    """A role (group) name as people read it, in the page's language; other groups keep their name."""
    try:
        return str(ROLE_LABELS[Role(name)])
    except ValueError:
        return name


# Apps whose every permission a coordinator holds: they manage everything in the admin.
COORDINATOR_APPS = ("core", "territory", "observatory", "analysis", "ideas", "calls", "events", "cooperation", "publications",
                    "surveys", "newsletters", "account")
# Roles that work in the Django admin (and so need is_staff).
STAFF_ROLES = {Role.COORDINATOR, Role.MODERATOR}


def sync_role_groups() -> dict[Role, Group]:
    """Create the role groups and give them their permissions (idempotent)."""
    groups = {}
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        groups[role] = group
    # Coordinators manage the apps and the users' roles, but not what a role may do (no escalation through groups).
    coordinator_perms = Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS) | Permission.objects.filter(
        content_type__app_label="auth", codename="view_group")
    groups[Role.COORDINATOR].permissions.set(coordinator_perms)
    moderator_perms = Permission.objects.filter(content_type__app_label__in=("territory", "observatory", "ideas"),
                                                codename__startswith="view_")
    groups[Role.MODERATOR].permissions.set(moderator_perms)
    return groups


def sync_role_groups_after_migrate(**kwargs):
    sync_role_groups()
    from django.contrib.sites.models import Site

    from urllib.parse import urlsplit

    from django.conf import settings

    # The site's name is what e-mails greet with (a flush recreates Django's "example.com"); its domain, which the
    # account e-mails name, is the one SITE_URL gives, unless someone set another one.
    Site.objects.filter(pk=1, name="example.com").update(name="Partons")
    host = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.filter(pk=1, domain__in=["example.com", "localhost"]).exclude(domain=host).update(domain=host)


def has_role(user, role: Role) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser and role != Role.JURY_MEMBER:
        return True
    return any(g.name == role.value for g in user.groups.all())


def roles_of(user) -> list[Role]:
    if not getattr(user, "is_authenticated", False):
        return []
    names = {g.name for g in user.groups.all()}
    return [r for r in Role if r.value in names]


def require_role(user, *roles: Role) -> None:
    if not any(has_role(user, r) for r in roles):
        raise PermissionDenied(", ".join(r.value for r in roles))


@transaction.atomic
def grant_role(user, role: Role, *, by=None) -> None:
    """Give a role. Coordinators and moderators get admin access; only coordinators may grant roles."""
    if by is not None:
        require_role(by, Role.COORDINATOR)
    group = sync_role_groups()[role]
    user.groups.add(group)
    if role in STAFF_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def revoke_role(user, role: Role, *, by=None) -> None:
    if by is not None:
        require_role(by, Role.COORDINATOR)
    user.groups.remove(*Group.objects.filter(name=role.value))
    if user.is_staff and not user.is_superuser and not any(has_role(user, r) for r in STAFF_ROLES):
        user.is_staff = False
        user.save(update_fields=["is_staff"])


def sync_staff_flag(user) -> None:
    """Keep is_staff in line with the roles (after an edit of the groups in the admin)."""
    should = user.is_superuser or any(has_role(user, r) for r in STAFF_ROLES)
    if user.is_staff != should:
        user.is_staff = should
        user.save(update_fields=["is_staff"])


def on_user_signed_up(request, user, **kwargs):
    """Everyone who signs up is a resident; e-mails to them use the language they signed up in."""
    grant_role(user, Role.RESIDENT)
    language = getattr(request, "LANGUAGE_CODE", "") if request is not None else ""
    if language and not user.preferred_language:
        user.preferred_language = language[:2]
        user.save(update_fields=["preferred_language"])
