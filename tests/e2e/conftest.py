"""Browser tests: Playwright drives Debian's chromium (/usr/bin/chromium), headless, against the live server."""
import os
import threading

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("PARTONS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


class SerialLiveServer(WSGIServer):
    """The live server answering one request at a time. On SQLite the test database lives in memory and every request
    thread shares the test's one connection: two requests of the same page at once (a map's villages and its chart)
    could then wait on each other for ever. Browsers are told to close each connection, so nothing queues behind one."""

    serving = threading.Lock()  # held while a request is answered

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self.serving:
            super().process_request(request, client_address)


def wait_until_idle():
    """Let the request being answered finish (a map's last fetch after the test has moved on) before the database is
    used or flushed from the test's thread: on SQLite both threads share one connection."""
    if connection.vendor == "sqlite":
        with SerialLiveServer.serving:
            pass


if connection.vendor == "sqlite":
    LiveServerThread.server_class = SerialLiveServer


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are still plain sync code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="nl-BE", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked = []  # every page a browser test visits must work under the site's Content-Security-Policy
    page.on("console", lambda m: blocked.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    wait_until_idle()
    assert blocked == [], "blocked by the Content-Security-Policy:\n" + "\n".join(blocked)


def assert_wcag_aa(page):
    """Run axe-core (served from node_modules, no CDN) on the page as it is and fail on any WCAG 2.1 A/AA violation."""
    import json

    from django.conf import settings

    page.wait_for_load_state("networkidle")
    # Loaded as a script of the site's own origin (the browser answers it from node_modules), so that the page's
    # Content-Security-Policy lets it run as it stands.
    axe = settings.NODE_MODULES_DIR / "axe-core" / "axe.min.js"
    page.route("**/__test-axe.js", lambda route: route.fulfill(path=str(axe), content_type="text/javascript"))
    page.add_script_tag(url="/__test-axe.js")
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert violations == [], json.dumps(violations, indent=1)
