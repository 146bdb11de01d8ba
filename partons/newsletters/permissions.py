"""Who may do what with the newsletter. Services check these rules; the admin and the pages ask them too."""
from __future__ import annotations

from partons.core.roles import Role, has_role


def can_manage_newsletters(user) -> bool:
    """Write, preview, test and send issues; see the subscribers: coordinators."""
    return has_role(user, Role.COORDINATOR)
