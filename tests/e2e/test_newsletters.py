"""In a real browser: a visitor subscribes in Dutch and in French on a phone, confirms from the e-mail and later
unsubscribes from the link in a message; a coordinator writes an issue in the admin, previews it, sends a test and
sends it to the console e-mail backend, following the progress."""
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from partons.newsletters.models import Issue, Subscription

from ..newsletters.conftest import subscribe_to  # noqa: F401 - a fixture
from .conftest import assert_wcag_aa
from .test_services import login

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_subscribe_confirm_and_unsubscribe_on_a_phone(page, territory, lang):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/{lang}/newsletter/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_wcag_aa(page)
    page.fill("#id_email", "lucie@example.org")
    page.check(f"input[name=language][value={lang}]")
    page.check("input[name=themes][value=mobility]")
    # two villages, one after the other: after a choice the typed words go and the list closes
    control = page.locator("#id_villages-ts-control")
    control.press_sequentially("Kemm", delay=40)
    page.locator(".ts-dropdown .option", has_text="Kemmel").first.click()
    assert control.input_value() == ""
    control.press_sequentially("Boesch", delay=40)
    page.locator(".ts-dropdown .option", has_text="Boeschepe").first.click()
    assert page.evaluate("document.getElementById('id_villages').selectedOptions.length") == 2
    page.locator("main form button[type=submit]").click()
    # Without the consent box ticked, nothing is sent and the box says why.
    expect(page.locator("div#id_consent_error")).to_be_visible()
    # …and the summary at the top takes the focus, with a link to the field
    expect(page.locator('#error-summary a[href="#id_consent"]')).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()  # once the page's script has run
    assert not Subscription.objects.exists()
    page.fill("#id_email", "lucie@example.org")
    page.locator("#id_consent").click()  # one click ticks it (the form does not move under the pointer)
    assert page.locator("#id_consent").is_checked()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/newsletter/check-your-inbox/$"))
    sub = Subscription.objects.get()
    assert sub.status == "pending" and sub.language == lang and sub.themes == ["mobility"]
    assert sorted(v.slug for v in sub.villages.all()) == ["boeschepe", "kemmel"]

    confirm = re.search(r"https?://\S+(/" + lang + r"/newsletter/confirm/[\w-]+/)", mail.outbox[-1].body).group(1)
    page.goto(confirm)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/newsletter/subscription/"))
    sub.refresh_from_db()
    assert sub.status == "confirmed" and sub.consent_at is not None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(sub.get_unsubscribe_url().replace("/nl/", f"/{lang}/"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_be_visible()
    assert not Subscription.objects.exists()


def test_a_tap_after_choosing_a_village_by_keyboard_lands_where_it_was_aimed(page, territory):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/nl/newsletter/")
    page.locator("#id_villages-ts-control").press_sequentially("Kemm", delay=40)
    page.keyboard.press("Enter")  # chosen; the typing space stays in the box
    assert page.evaluate("document.getElementById('id_villages').selectedOptions.length") == 1
    consent = page.locator("#id_consent")
    before = consent.bounding_box()
    page.mouse.move(before["x"] + before["width"] / 2, before["y"] + before["height"] / 2)
    page.mouse.down()  # the village box loses the focus: it keeps its height, the form does not move
    assert consent.bounding_box()["y"] == before["y"]
    page.mouse.up()
    assert consent.is_checked()


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_a_coordinator_writes_tests_and_sends_an_issue(page, territory, coordinator, subscribe_to, settings, capfd, lang):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    subscribe_to("nl-reader@example.org", "nl")
    subscribe_to("fr-reader@example.org", "fr")
    login(page, "coord@example.org", lang=lang)
    page.goto(f"/{lang}/admin/newsletters/issue/add/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.fill("#id_subject_nl", "Nieuws van de lente")
    page.fill("#id_subject_fr", "Nouvelles du printemps")
    page.fill("#id_body_nl", "## Oproep\n\nDien uw **project** in vóór 1 juni.")
    page.fill("#id_body_fr", "## Appel\n\nDéposez votre **projet** avant le 1er juin.")
    page.locator("input[name=_continue]").click()
    issue = Issue.objects.get()

    with page.context.expect_page() as preview:
        page.locator(f'a[href="/fr/newsletter/issues/{issue.pk}/"]').click()
    preview.value.wait_for_load_state()
    expect(preview.value.locator("article.newsletter-issue strong")).to_have_text("projet")
    preview.value.close()

    page.locator("button[form=newsletter-test]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    out = capfd.readouterr().out
    assert out.count("To: coord@example.org") == 2 and "[TEST] Nouvelles du printemps" in out

    page.locator(f'a[href$="/admin/newsletters/issue/{issue.pk}/send/"]').click()
    expect(page.locator("tfoot td")).to_have_text("2")
    page.locator("input[type=submit].default").click()
    expect(page).to_have_url(re.compile(r"/progress/$"))
    expect(page.locator("progress")).to_have_attribute("value", "2")
    out = capfd.readouterr().out
    assert "To: nl-reader@example.org" in out and "To: fr-reader@example.org" in out
    assert "Subject: Nieuws van de lente" in out and "Subject: Nouvelles du printemps" in out
    assert Issue.objects.get().status == "sent"
