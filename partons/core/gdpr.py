"""Personal data: what we keep about a person, exported on request and erased on request (GDPR art. 15, 17, 20).

Each app that stores personal data declares here, once, what it holds, how it is exported and how it is erased, so
the "My data" page and account deletion cover everything without knowing each app. An eraser anonymises what a person wrote (it stays, unsigned)
rather than deleting it, so that other people's discussions are not broken.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

@dataclass(frozen=True)
class Declaration:
    """What one app holds about a person, in one place: how it is exported, how it is erased, and which models hold
    it (model label -> how that model is handled). A test fails when a model that points at a person, or stores an
    e-mail address or a phone number, is in no declaration."""

    section: str
    export: Callable
    erase: Callable
    covers: dict[str, str] = field(default_factory=dict)


DECLARATIONS: list[Declaration] = []


def declare(section: str, *, export: Callable, erase: Callable, covers: dict[str, str]) -> None:
    if any(d.section == section for d in DECLARATIONS):
        return  # ready() may run twice (tests, management commands): one declaration per section
    DECLARATIONS.append(Declaration(section, export, erase, dict(covers)))


def covered_models() -> dict[str, str]:
    return {label: how for d in DECLARATIONS for label, how in d.covers.items()}


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
    for d in DECLARATIONS:
        data[d.section] = d.export(user)
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
    for d in DECLARATIONS:
        d.erase(user)
    user.delete()
