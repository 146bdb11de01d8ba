"""Who may see and handle citizen reports. Views and file views ask these rules; templates get `can_…` booleans."""
from __future__ import annotations

from partons.core.roles import Role, has_role


def can_moderate(user) -> bool:
    """The queue of reports and their handling: moderators and coordinators."""
    return has_role(user, Role.MODERATOR) or has_role(user, Role.COORDINATOR)


def can_see_report(user, report) -> bool:
    """A report, its details and its photo: the person who sent it and the moderators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_moderate(user) or report.reporter_id == user.pk
