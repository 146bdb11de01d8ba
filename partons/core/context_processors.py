from django.conf import settings

from .roles import Role, has_role


def site(request):
    user = getattr(request, "user", None)
    return {
        "is_coordinator": has_role(user, Role.COORDINATOR) if user else False,
        "is_moderator": has_role(user, Role.MODERATOR) if user else False,
        "debug": settings.DEBUG,
    }
