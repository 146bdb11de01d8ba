"""Who may see and do what with the access figures. Views ask these rules; templates get `can_…` booleans."""
from __future__ import annotations

from partons.core.roles import Role, has_role


def can_run_scenarios(user) -> bool:
    """What-if scenarios on the access figures: coordinators and analysts."""
    return has_role(user, Role.COORDINATOR) or has_role(user, Role.ANALYST)


def can_change_settings(user) -> bool:
    """Thresholds, comparison years, a new computation: coordinators."""
    return has_role(user, Role.COORDINATOR)
