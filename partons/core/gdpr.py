"""Personal data: what we keep about a person, exported on request and erased on request (GDPR art. 15, 17, 20).

Apps that store personal data register an exporter and an eraser here, so the "My data" page covers
everything without knowing each app. An eraser anonymises what a person wrote (it stays, unsigned)
rather than deleting it, so that other people's discussions are not broken.
"""
from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction

EXPORTERS: list[tuple[str, Callable]] = []
ERASERS: list[Callable] = []


def register_exporter(section: str, fn: Callable) -> None:
    EXPORTERS.append((section, fn))


def register_eraser(fn: Callable) -> None:
    ERASERS.append(fn)


def export_personal_data(user) -> dict:
    from allauth.account.models import EmailAddress

    from .roles import roles_of

    data = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": [r.value for r in roles_of(user)],
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user).order_by("email")
            ],
        }
    }
    for section, fn in EXPORTERS:
        data[section] = fn(user)
    return data


@transaction.atomic
def erase_account(user, *, password: str) -> None:
    """Delete the account after checking the password; registered erasers anonymise what the person wrote."""
    if not user.check_password(password):
        raise PermissionDenied("wrong password")
    delete_user(user)


@transaction.atomic
def delete_user(user) -> None:
    """Every way an account is deleted (the person's request, a coordinator in the admin) goes through the erasers
    first: their places at events go to the waiting list, what they wrote stays unsigned, their personal data goes."""
    for fn in ERASERS:
        fn(user)
    user.delete()
