"""Who may see and do what in the events. Views ask these rules; templates get `can_…` booleans."""
from __future__ import annotations

from partons.core.roles import Role, has_role


def can_manage_events(user) -> bool:
    """Unpublished events, participants, messages, attendance: coordinators."""
    return has_role(user, Role.COORDINATOR)


def can_see_event(user, event) -> bool:
    return event.published or can_manage_events(user)


def can_cancel_registration(user, registration) -> bool:
    """A registration: the person who made it, or a coordinator."""
    return bool(getattr(user, "is_authenticated", False)) and (registration.user_id == user.pk
                                                               or can_manage_events(user))
