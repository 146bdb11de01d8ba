"""Who may see and do what in the groups. Services and selectors call these; templates never decide."""
from __future__ import annotations

from partons.core.roles import Role, has_role

from .models import Group, GroupKind, Membership


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR)


def is_member(user, group: Group) -> bool:
    return _signed_in(user) and Membership.objects.filter(group=group, user=user).exists()


def is_chair(user, group: Group) -> bool:
    return _signed_in(user) and Membership.objects.filter(group=group, user=user, is_chair=True).exists()


def can_see_documents(user, group: Group) -> bool:
    """A group's meetings, agendas, minutes, decisions and files: its members and the coordinators."""
    return is_coordinator(user) or is_member(user, group)


def can_record(user, group: Group) -> bool:
    """Record meetings, write minutes and decisions, upload files: the group's chair and the coordinators."""
    return is_coordinator(user) or is_chair(user, group)


def can_monitor(user) -> bool:
    """The monitoring of the action plan: coordinators and the members of an active steering group."""
    return is_coordinator(user) or (_signed_in(user) and Membership.objects.filter(
        user=user, group__kind=GroupKind.STEERING, group__active=True).exists())
