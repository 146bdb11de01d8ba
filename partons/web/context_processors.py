"""What the site's navigation offers a visitor, as `can_…` booleans from each app's named permission rules."""
from __future__ import annotations

from django.db.models import prefetch_related_objects

from partons.analysis import permissions as analysis_rules
from partons.ideas import permissions as idea_rules
from partons.observatory import permissions as observatory_rules


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_moderate_reports": False, "can_moderate_ideas": False, "can_change_access_settings": False,
                "can_administer": False}
    person = getattr(user, "_wrapped", user)  # the account behind the request's lazy user
    if "groups" not in getattr(person, "_prefetched_objects_cache", {}):
        prefetch_related_objects([person], "groups")  # one query for every rule below (a change of roles clears it)
    return {
        "can_moderate_reports": observatory_rules.can_moderate(user),
        "can_moderate_ideas": idea_rules.is_team(user),
        "can_change_access_settings": analysis_rules.can_change_settings(user),
        "can_administer": user.is_staff,
    }
