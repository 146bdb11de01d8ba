"""HTTP done right: client addresses read one way behind proxies, API throttling, cache headers, compression,
security headers and a request size cap."""
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory, override_settings
from django.urls import reverse

from partons.core.clientip import client_ip

from ..conftest import make_user

rf = RequestFactory()


def _request(remote="10.0.0.9", xff=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return rf.get("/", **meta)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_x_forwarded_for_is_ignored():
    assert client_ip(_request("10.0.0.9", xff="203.0.113.7")) == "10.0.0.9"
    assert get_adapter().get_client_ip(_request("10.0.0.9", xff="203.0.113.7")) == "10.0.0.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_entry_it_appended_is_the_client():
    # the visitor may send a header of their own: only the last entry, written by our proxy, counts
    assert client_ip(_request("127.0.0.1", xff="198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    assert get_adapter().get_client_ip(_request("127.0.0.1", xff="198.51.100.1, 203.0.113.7")) == "203.0.113.7"
    # no entry (the proxy was bypassed) or garbage: the connection's address
    assert client_ip(_request("127.0.0.1")) == "127.0.0.1"
    assert client_ip(_request("127.0.0.1", xff="not-an-address")) == "127.0.0.1"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_last_entry_is_the_client():
    assert client_ip(_request("127.0.0.1", xff="198.51.100.1, 203.0.113.7, 10.1.1.1")) == "203.0.113.7"
    assert client_ip(_request("127.0.0.1", xff="10.1.1.1")) == "127.0.0.1"


LOGIN_LIMIT = {"login_failed": "3/m/ip"}  # per address only, so that the address is what is tested


def _failed_logins(client, addresses):
    """Fail a login from each address in turn (as the same person); which attempts were refused as too many."""
    refused = []
    for xff in addresses:
        r = client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong-password-1"},
                        HTTP_X_FORWARDED_FOR=xff)
        codes = {e.code for errors in r.context["form"].errors.as_data().values() for e in errors}
        refused.append(r.status_code == 429 or "too_many_login_attempts" in codes)
    return refused


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS=LOGIN_LIMIT, TRUSTED_PROXY_COUNT=0)
def test_rotating_x_forwarded_for_does_not_escape_the_login_limit(client):
    assert _failed_logins(client, [f"203.0.113.{i}" for i in range(5)]) == [False, False, False, True, True]


@pytest.mark.django_db
@override_settings(ACCOUNT_RATE_LIMITS=LOGIN_LIMIT, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_visitor_has_a_login_limit_of_their_own(client):
    # positive control: five visitors behind our proxy are five addresses
    assert _failed_logins(client, [f"203.0.113.{i}" for i in range(5)]) == [False] * 5


RATES = {"anonymous": "3/m", "account": "5/m", "export": "1/m"}
WINDOW_START = 1_800_000_000.0  # a multiple of 60: a minute's window starts here


@pytest.fixture
def one_window(monkeypatch):
    """The throttle's windows start at whole minutes: hold its clock 10 s into one, so that a slow run cannot
    cross into the next window between two requests (and Retry-After is known)."""
    monkeypatch.setattr("partons.core.ratelimit.time", SimpleNamespace(time=lambda: WINDOW_START + 10))


@pytest.mark.django_db
@override_settings(API_THROTTLE_RATES=RATES)
def test_api_throttles_anonymous_clients_by_address_with_retry_after(client, territory, one_window):
    codes = [client.get("/api/villages", REMOTE_ADDR="192.0.2.1").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = client.get("/api/villages", REMOTE_ADDR="192.0.2.1")
    assert r.status_code == 429 and int(r["Retry-After"]) == 50  # the rest of the window
    # another client is not held back by the first
    assert client.get("/api/villages", REMOTE_ADDR="192.0.2.2").status_code == 200


@pytest.mark.django_db
@override_settings(API_THROTTLE_RATES=RATES)
def test_api_throttles_signed_in_clients_by_account(client, territory, one_window):
    client.force_login(make_user("api-user@example.org"))
    codes = [client.get("/api/villages", REMOTE_ADDR=f"192.0.2.{i}").status_code for i in range(6)]
    assert codes == [200] * 5 + [429]  # the account's rate, whatever the address


@pytest.mark.django_db
@override_settings(API_THROTTLE_RATES=RATES)
def test_exports_are_throttled_more_strictly(client, territory, one_window):
    assert client.get("/api/facilities.csv", REMOTE_ADDR="192.0.2.5").status_code == 200
    assert client.get("/api/facilities.csv", REMOTE_ADDR="192.0.2.5").status_code == 429
    assert client.get("/api/villages", REMOTE_ADDR="192.0.2.5").status_code == 200  # the rest of the API still answers


@pytest.mark.django_db
def test_api_answers_carry_cache_headers_and_revalidate_with_304(client, territory):
    r = client.get("/api/municipalities?geometry=boundary")
    assert r.status_code == 200
    assert "public" in r["Cache-Control"] and "max-age=300" in r["Cache-Control"]
    etag = r["ETag"]
    again = client.get("/api/municipalities?geometry=boundary", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    # positive control: a changed answer is sent again in full
    territory["bergues"].population += 1
    territory["bergues"].save()
    changed = client.get("/api/municipalities?geometry=boundary", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.content


@pytest.mark.django_db
def test_api_answers_for_a_signed_in_person_stay_private(client, territory):
    client.force_login(make_user("private@example.org"))
    r = client.get("/api/villages")
    assert "private" in r["Cache-Control"] and "public" not in r["Cache-Control"]


@pytest.mark.django_db
def test_pages_and_json_are_compressed(client, territory):
    page = client.get("/nl/villages/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert page.status_code == 200 and page["Content-Encoding"] == "gzip"
    api = client.get("/api/villages", HTTP_ACCEPT_ENCODING="gzip")
    assert api["Content-Encoding"] == "gzip"
    plain = client.get("/api/villages")  # positive control: no compression when the client did not ask
    assert not plain.has_header("Content-Encoding")


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_and_a_permissions_policy(client, territory):
    r = client.get("/nl/")
    csp = dict(part.strip().split(" ", 1) for part in r["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'" and csp["object-src"] == "'none'"
    assert "unsafe" not in r["Content-Security-Policy"]
    assert "camera=()" in r["Permissions-Policy"] and "microphone=()" in r["Permissions-Policy"]


# Pages only: an e-mail's HTML is read by mail programs, which ignore stylesheets and know no CSP (its styles are inline).
TEMPLATES = sorted(p for p in Path(__file__).resolve().parents[2].joinpath("partons").rglob("templates/**/*.html")
                   if "email" not in p.parent.parts)


def test_templates_hold_no_inline_script_style_or_handler():
    """Under the CSP (self only) an inline script, style or event handler would silently not work."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I)
    offending = []
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, re.compile(r"<style\b", re.I), re.compile(r"\sstyle=\"", re.I),
                        re.compile(r"\son[a-z]+=\"", re.I), re.compile(r"href=\"javascript:", re.I)):
            if pattern.search(text):
                offending.append(f"{path.name}: {pattern.pattern}")
    assert len(TEMPLATES) > 50  # the scan sees the templates
    assert offending == []


@pytest.mark.django_db
@override_settings(MAX_REQUEST_BYTES=1000)
def test_a_too_large_request_is_refused_with_413_in_the_page_language(client, territory):
    resident = make_user("big@example.org")
    client.force_login(resident)
    r = client.post("/fr/ideas/new/", {"title": "x" * 2000})
    assert r.status_code == 413
    assert "trop" in r.content.decode().lower() and '<html lang="fr"' in r.content.decode()
    nl = client.post("/nl/ideas/new/", {"title": "x" * 2000})
    assert nl.status_code == 413 and "te groot" in nl.content.decode().lower()
    api = client.post("/api/ideas", data="x" * 2000, content_type="application/json")
    assert api.status_code == 413 and "1000" in api.json()["detail"]
    # positive control: a request within the cap reaches the form
    small = client.post("/fr/ideas/new/", {"title": "x"})
    assert small.status_code != 413


def test_a_mistyped_api_rate_is_said_at_start_up(settings):
    from partons.api.apps import check_throttle_rates

    settings.API_THROTTLE_RATES = {"anonymous": "600/5m", "account": "1000/hour", "export": "30/min"}
    assert check_throttle_rates() == []  # the notations of the README and of django-ninja
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "export": "10/week"}
    errors = check_throttle_rates()
    assert [e.id for e in errors] == ["partons.E001"] and "API_RATE_EXPORT" in errors[0].msg
