"""Who may see and do what in the idea box. Views ask these rules; templates get `can_…` booleans."""
from __future__ import annotations

from partons.core.roles import Role, has_role


def is_team(user) -> bool:
    """The moderators and coordinators: they answer ideas, change their status, hide and restore."""
    return has_role(user, Role.MODERATOR) or has_role(user, Role.COORDINATOR)


def can_record_paper_ideas(user) -> bool:
    """Ideas that came in on paper: coordinators record them."""
    return has_role(user, Role.COORDINATOR)


def can_take_part(user, idea) -> bool:
    """Support, comment, reply: any signed-in person, on an idea that is not hidden (the services check the
    database again, so a page opened before the idea was hidden cannot add to it)."""
    return getattr(user, "is_authenticated", False) and not idea.hidden


def can_flag(user) -> bool:
    """Reporting an idea or a comment to the moderators: signed-in people who are not moderators themselves."""
    return getattr(user, "is_authenticated", False) and not is_team(user)
