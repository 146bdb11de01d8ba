"""Smoke test of the production stack over HTTP: deploy checks, every public page in NL and FR with DEBUG off, the
site's own 404, hashed and compressed static files, and a background task queued by the web process and run by the
worker. Run with `make smoke` (CI does)."""
import re
import time
from html.parser import HTMLParser

import pytest
import requests
from django.urls import URLPattern, URLResolver, get_resolver

LANGUAGES = ("nl", "fr")
SKIP = ("/admin/", "/accounts/logout/", "/i18n/")


def totp_code(secret: str) -> str:
    """What an authenticator app shows now (RFC 6238, as allauth checks it)."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


class Visitor:
    """A browser's cookie jar, by hand: the site's cookies are Secure (the proxy speaks HTTPS to the visitor)."""

    def __init__(self, stack):
        self.stack = stack
        self.cookies = {}

    def _headers(self):
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def _keep(self, r):
        self.cookies.update(r.cookies.get_dict())
        return r

    def get(self, path, **kw):
        return self._keep(self.stack.get(path, headers={**self._headers(), **kw.pop("headers", {})}, **kw))

    def post(self, path, data):
        return self._keep(self.stack.post(path, requests, {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]},
                                          headers=self._headers()))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.assets = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"].split("#")[0])
        if tag in ("script", "link") and (a.get("src") or a.get("href", "")).startswith("/static/"):
            self.assets.append(a.get("src") or a.get("href"))


def _parameterless_paths():
    """Every page of the site's URLconf that takes no parameter, in each language."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                if "admin" in route:
                    continue
                walk(p.url_patterns, prefix + (route if route != "nl/" else "{lang}/"))
            elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route and "^" not in route:
                found.append("/" + prefix + route)

    resolver = get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver) and p.pattern.__class__.__name__ == "LocalePrefixPattern":
            walk(p.url_patterns, "{lang}/")
    return sorted({path for path in found if not any(s in path for s in SKIP)})


def test_deploy_checks_are_clean(stack):
    assert "System check identified no issues" in stack.check_output


def test_every_public_page_answers_in_nl_and_fr(stack):
    paths = _parameterless_paths()
    assert len(paths) > 30 and "/{lang}/services/" in paths  # the URLconf was read
    seen, failures, to_visit = set(), [], []
    public = 0
    for lang in LANGUAGES:
        for template in paths:
            to_visit.append(template.format(lang=lang))
    # Each parameterless page, then one level of links from them (villages, facilities, calls, events, …).
    budget = 500
    while to_visit and len(seen) < budget:
        path = to_visit.pop(0)
        if path in seen or any(s in path for s in SKIP):
            continue
        seen.add(path)
        r = stack.get(path)
        if r.status_code == 200:
            public += 1
            if "text/html" in r.headers.get("Content-Type", ""):
                lang = path.split("/")[1]
                if f'<html lang="{lang}"' not in r.text:
                    failures.append(f"{path}: not served in {lang}")
                parser = Links()
                parser.feed(r.text)
                to_visit += [h for h in parser.hrefs if h.startswith(f"/{lang}/") and h not in seen]
        elif r.status_code in (301, 302) and "/accounts/login/" in r.headers.get("Location", ""):
            pass  # a page for signed-in people
        elif r.status_code == 405:
            pass  # an action (POST only)
        else:
            failures.append(f"{path}: {r.status_code}")
    assert failures == [], "\n".join(failures) + "\n" + stack.log_tail()
    assert public > 100


@pytest.mark.parametrize("lang,title", [("nl", "Pagina niet gevonden"), ("fr", "Page introuvable")])
def test_a_missing_page_gets_the_site_404_in_its_language(stack, lang, title):
    r = stack.get(f"/{lang}/no-such-page/")
    assert r.status_code == 404
    assert title in r.text and f'<html lang="{lang}"' in r.text
    assert "URLconf" not in r.text and "DEBUG" not in r.text  # never Django's technical page


def test_static_files_are_hashed_compressed_and_cached_for_ever(stack):
    page = stack.get("/nl/services/")
    parser = Links()
    parser.feed(page.text)
    assert parser.assets, "the page links no static file"
    hashed = [a for a in parser.assets if re.search(r"\.[0-9a-f]{12}\.[a-z]+$", a)]
    assert len(hashed) == len(parser.assets), parser.assets  # every asset by its hashed name
    for asset in hashed:
        for encoding in ("br", "gzip"):
            r = stack.get(asset, headers={"Accept-Encoding": encoding})
            assert r.status_code == 200, asset
            assert r.headers.get("Content-Encoding") == encoding, (asset, r.headers)
            assert "immutable" in r.headers["Cache-Control"], (asset, r.headers)
    plain = stack.get(hashed[0], headers={"Accept-Encoding": "identity"})  # positive control
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers


def test_pages_are_compressed_and_carry_the_security_headers(stack):
    r = stack.get("/fr/", headers={"Accept-Encoding": "gzip"})
    assert r.headers["Content-Encoding"] == "gzip"
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "camera=()" in r.headers["Permissions-Policy"]
    assert "max-age=" in r.headers["Strict-Transport-Security"]
    api = stack.get("/api/villages?limit=5", headers={"Accept-Encoding": "gzip"})
    assert api.status_code == 200 and "max-age" in api.headers["Cache-Control"] and api.headers["ETag"]
    assert stack.get("/api/villages?limit=5", headers={"If-None-Match": api.headers["ETag"]}).status_code == 304


def test_a_task_queued_by_the_web_process_is_run_by_the_worker(stack):
    password = (stack.env["PARTONS_VAR_DIR"] + "/demo-coordinator.txt")
    with open(password, encoding="utf-8") as f:
        password = f.read().strip()
    coordinator = Visitor(stack)
    coordinator.get("/nl/accounts/login/")
    r = coordinator.post("/nl/accounts/login/", {"login": "coordinator@example.org", "password": password})
    assert r.status_code == 302, r.text[:2000]
    # A coordinator must set up a second factor first (production settings): the password again, then a code of
    # the authenticator app the page's QR code (or its secret) goes into.
    r = coordinator.get("/nl/access/settings/")
    assert r.status_code == 302 and "/2fa/totp/activate/" in r.headers["Location"]
    assert coordinator.post("/nl/accounts/reauthenticate/", {"password": password}).status_code == 302
    page = coordinator.get("/nl/accounts/2fa/totp/activate/").text
    secret = re.search(r'<img[^>]*src="data:image/svg\+xml;base64,[^"]+"\s+alt="([A-Z2-7]{16,})"', page).group(1)
    r = coordinator.post("/nl/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert r.status_code == 302, r.text[:2000]
    assert coordinator.get("/nl/access/settings/").status_code == 200
    before = coordinator.get("/nl/access/settings/status").json()
    r = coordinator.post("/nl/access/settings/", {"recompute": "1"})
    assert r.status_code == 302
    deadline = time.monotonic() + 240
    status = coordinator.get("/nl/access/settings/status").json()
    while status.get("status") != "done" or status == before:
        assert status.get("status") != "failed", status
        assert time.monotonic() < deadline, f"the worker did not run the computation: {status}\n{stack.log_tail()}"
        time.sleep(1)
        status = coordinator.get("/nl/access/settings/status").json()
    # the figures it computed are served
    assert coordinator.get("/api/access/region").status_code == 200
