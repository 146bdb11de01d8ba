"""A coordinator without a second factor is sent to set one up, in a real browser: the page (QR code, secret, code
field) works under the site's Content-Security-Policy, passes WCAG 2.1 AA, and a code from the secret activates it."""
import os
import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from partons.core.roles import Role

from ..conftest import make_user
from .conftest import assert_wcag_aa
from .test_services import login

SHOTS = os.environ.get("PARTONS_SCREENSHOTS")  # a folder: also keep screenshots of the page (NL/FR, desktop/phone)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_a_coordinator_sets_up_the_second_factor(page, settings, lang):
    settings.MFA_REQUIRED = True
    settings.MFA_EXEMPT_EMAILS = []
    make_user("chef@example.org", role=Role.COORDINATOR)
    login(page, "chef@example.org", lang=lang)
    page.goto(f"/{lang}/ideas/")
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))  # allauth asks for the password once more
    page.fill("input[name=password]", "a-long-test-password")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    qr = page.locator("main img[src^='data:image/svg+xml']")
    expect(qr).to_be_visible()
    assert_wcag_aa(page)
    if SHOTS:
        for width in (1366, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{SHOTS}/mfa-{lang}-{width}.png", full_page=True)
    secret = qr.get_attribute("alt")
    page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.locator("main form button[type=submit]").click()
    page.goto(f"/{lang}/ideas/")
    expect(page).to_have_url(re.compile(rf"/{lang}/ideas/$"))  # in, with the second factor set up
