"""A person's own data, role by role: editing the profile, downloading the data and erasing the account reach the
signed-in person themself and nobody else, whatever their role and whatever they post; anonymous visitors are sent to
log in; the writes are CSRF-protected POSTs."""
import json

import pytest
from django.test import Client

from partons.core.models import User
from partons.core.roles import Role
from partons.observatory.models import Report, ServiceCategory

from ..conftest import is_login_redirect, make_user, sign_in, url

ROLES = ["anonymous", "resident", "owner", "moderator", "coordinator", "analyst", "jury_member"]
OWNERS_PASSWORD = "the-owners-own-password"  # the others sign in with make_user's default one


@pytest.fixture
def owner(db):
    """The account holder: a profile, a report, a password of their own."""
    user = make_user("owner@example.org", password=OWNERS_PASSWORD, role=Role.RESIDENT)
    User.objects.filter(pk=user.pk).update(display_name="Anne uit Kemmel", preferred_language="nl")
    Report.objects.create(kind="new", category=ServiceCategory.objects.get(code="cafe"), name="Café De Kring", lon=2.82,
                          lat=50.78, reporter=user)
    return User.objects.get(pk=user.pk)


def owner_untouched(owner):
    fresh = User.objects.filter(pk=owner.pk).first()
    return (fresh is not None and (fresh.display_name, fresh.preferred_language) == ("Anne uit Kemmel", "nl")
            and fresh.check_password(OWNERS_PASSWORD) and Report.objects.get().reporter_id == owner.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_profile_form_changes_the_signed_in_persons_profile_and_nobody_elses(client, owner, role):
    actor = sign_in(client, role, owner)
    # Naming the owner in the form (their address, their number) changes nothing: the profile is the signed-in one's.
    r = client.post(url("core:my_data"), {"display_name": "Nieuwe naam", "preferred_language": "fr",
                                          "email": owner.email, "id": owner.pk, "pk": owner.pk, "user": owner.pk})
    if role == "anonymous":
        assert is_login_redirect(r) and owner_untouched(owner)
        return
    assert r.status_code == 302 and r["Location"] == url("core:my_data")
    actor.refresh_from_db()
    assert (actor.display_name, actor.preferred_language) == ("Nieuwe naam", "fr")
    assert actor.email != owner.email or role == "owner"  # nobody took the owner's address
    if role != "owner":
        assert owner_untouched(owner)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_export_holds_the_signed_in_persons_data_and_nobody_elses(client, owner, role):
    actor = sign_in(client, role, owner)
    r = client.get(url("core:export_my_data"), {"user": owner.pk, "email": owner.email})
    if role == "anonymous":
        assert is_login_redirect(r)
        return
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    text = r.content.decode()
    data = json.loads(text)
    assert data["account"]["email"] == actor.email
    if role == "owner":
        assert [x["name"] for x in data["reports"]] == ["Café De Kring"]
    else:
        assert owner.email not in text and "Anne uit Kemmel" not in text and "Café De Kring" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_account_holder_erases_their_account_with_their_password(client, owner, role):
    """Everyone posts the owner's password: it erases the owner's account only when the owner is signed in; for anyone
    else it is the wrong password for their own account, and nobody is erased."""
    actor = sign_in(client, role, owner)
    r = client.post(url("core:erase_my_account"), {"password": OWNERS_PASSWORD, "confirm": "on"})
    if role == "owner":
        assert r.status_code == 302 and r["Location"] == url("web:home")
        assert not User.objects.filter(pk=owner.pk).exists() and "_auth_user_id" not in client.session
        assert Report.objects.get().reporter is None  # what they said stays, unsigned
        return
    if role == "anonymous":
        assert is_login_redirect(r)
    else:
        assert r.status_code == 400 and "errorlist" in r.content.decode()
        assert User.objects.filter(pk=actor.pk).exists()
    assert owner_untouched(owner)


# --- CSRF and methods -------------------------------------------------------------------------------------------

# action: (address, what is posted, did it happen?)
WRITES = {
    "profile": ("core:my_data", {"display_name": "Nieuwe naam", "preferred_language": "fr"},
                lambda owner: User.objects.get(pk=owner.pk).display_name == "Nieuwe naam"),
    "erase": ("core:erase_my_account", {"password": OWNERS_PASSWORD, "confirm": "on"},
              lambda owner: not User.objects.filter(pk=owner.pk).exists()),
}


@pytest.mark.django_db
@pytest.mark.parametrize("with_token", [True, False], ids=["with-csrf-token", "without-csrf-token"])
@pytest.mark.parametrize("action", list(WRITES))
def test_the_account_writes_need_the_csrf_token(owner, action, with_token):
    name, data, happened = WRITES[action]
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.get(url("core:my_data")).status_code == 200  # the page that holds both forms sets the token
    token = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value} if with_token else {}
    r = client.post(url(name), {**data, **token})
    if with_token:
        assert r.status_code == 302 and happened(owner)
    else:
        assert r.status_code == 403 and owner_untouched(owner)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_erasing_is_a_post_only(client, owner, method):
    client.force_login(owner)
    r = getattr(client, method)(url("core:erase_my_account"), {"password": OWNERS_PASSWORD, "confirm": "on"})
    assert r.status_code == 405 and owner_untouched(owner)
