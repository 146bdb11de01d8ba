"""A second factor (an authenticator app's codes) for every account whose role sees personal data or decides: until
they set one up they are sent to its page; residents are not; a deployed site exempts nobody."""
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value

from partons.core.apps import check_second_factor
from partons.core.roles import Role

from ..conftest import make_user, url


def code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED = True
    settings.MFA_EXEMPT_EMAILS = []


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MODERATOR, Role.ANALYST, Role.JURY_MEMBER])
def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, required, role):
    client.force_login(make_user(f"{role}@example.org", role=role))
    r = client.get("/nl/ideas/")
    assert r.status_code == 302 and r["Location"] == url("mfa_activate_totp")
    r = client.get("/api/ideas", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 403 and "second factor" in r.json()["detail"]
    # the way to set it up stays open (allauth first asks for the password again after a while)
    r = client.get(url("mfa_activate_totp"))
    assert r.status_code == 200 or r["Location"].startswith(url("account_reauthenticate"))
    assert client.get(url("account_reauthenticate")).status_code == 200


@pytest.mark.django_db
def test_residents_are_offered_a_second_factor_but_not_held_to_it(client, required):
    make_user("anne@example.org", password="a-long-test-password", role=Role.RESIDENT)
    client.post(url("account_login"), {"login": "anne@example.org", "password": "a-long-test-password"})
    assert client.get("/nl/ideas/").status_code == 200
    client.post(url("account_reauthenticate"), {"password": "a-long-test-password"})  # allauth asks for it first
    assert client.get(url("mfa_activate_totp")).status_code == 200


@pytest.mark.django_db
def test_a_coordinator_sets_up_an_authenticator_then_signs_in_with_a_code(client, required):
    coordinator = make_user("coord@example.org", password="a-long-test-password", role=Role.COORDINATOR)
    r = client.post(url("account_login"), {"login": "coord@example.org", "password": "a-long-test-password"})
    assert client.get(r["Location"])["Location"] == url("mfa_activate_totp")  # straight to the setup
    r = client.get(url("mfa_activate_totp"))  # which first asks for the password again, as allauth does
    assert r["Location"].startswith(url("account_reauthenticate"))
    client.post(url("account_reauthenticate"), {"password": "a-long-test-password"})
    assert client.get(url("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    r = client.post(url("mfa_activate_totp"), {"code": "000000" if code(secret) != "000000" else "111111"})
    assert r.status_code == 200 and not Authenticator.objects.filter(user=coordinator).exists()  # a wrong code
    client.post(url("mfa_activate_totp"), {"code": code(secret)})
    assert Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists()
    assert client.get("/nl/ideas/").status_code == 200  # now allowed
    # Signing in again: the password alone is not enough.
    client.logout()
    r = client.post(url("account_login"), {"login": "coord@example.org", "password": "a-long-test-password"})
    assert r.status_code == 302 and "_auth_user_id" not in client.session
    r = client.post(r["Location"], {"code": code(secret)})
    assert client.session.get("_auth_user_id") == str(coordinator.pk)


@pytest.mark.django_db
def test_the_demo_exemption_works_on_this_machine_and_a_deployed_site_refuses_it(client, settings):
    settings.MFA_REQUIRED = True
    settings.MFA_EXEMPT_EMAILS = ["coordinator@example.org"]
    client.force_login(make_user("coordinator@example.org", role=Role.COORDINATOR))
    assert client.get("/nl/ideas/").status_code == 200
    assert [e.id for e in check_second_factor()] == ["partons.E002"]
    settings.MFA_EXEMPT_EMAILS = []
    assert check_second_factor() == []  # positive control: the production defaults pass
    settings.MFA_REQUIRED = False
    assert [e.id for e in check_second_factor()] == ["partons.E002"]


@pytest.mark.django_db
def test_the_admin_signs_in_through_the_sites_login_never_by_password_alone(client, required):
    make_user("boss@example.org", password="a-long-test-password", role=Role.COORDINATOR)
    r = client.get("/nl/admin/login/?next=/nl/admin/")
    assert r.status_code == 302 and r["Location"].startswith(url("account_login"))
    r = client.post("/nl/admin/login/", {"username": "boss@example.org", "password": "a-long-test-password"})
    assert "_auth_user_id" not in client.session  # the admin's own form signs nobody in
