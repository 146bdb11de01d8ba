"""In a real browser: people register for a discovery day until it is full, the next one joins the waiting list, and
gets the place when someone cancels; the agenda and an event page pass the WCAG 2.1 AA checks."""
import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from partons.core.roles import Role
from partons.events.models import Event, Registration

from ..conftest import make_user
from .conftest import assert_wcag_aa
from .test_ideas import logout
from .test_services import login

pytestmark = pytest.mark.e2e


@pytest.fixture
def discovery_day(territory):
    start = timezone.now() + datetime.timedelta(days=12)
    return Event.objects.create(
        slug="ontdekkingsdag", type="discovery_day", title_nl="Ontdekkingsdag over de grens",
        title_fr="Journée de découverte transfrontalière", starts_at=start, ends_at=start + datetime.timedelta(hours=7),
        village=territory["villages"]["boeschepe"], languages=["nl", "fr"], capacity=3, published=True)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_full_waiting_list_and_promotion(page, discovery_day, lang):
    t = {"nl": {"left": "1 plaats over van 3", "full": "volzet", "waiting": "wachtlijst", "registered": "ingeschreven"},
         "fr": {"left": "1 place restante sur 3", "full": "complet", "waiting": "liste d'attente", "registered": "inscrit"}}[lang]
    for email in ("anna@example.org", "bert@example.org", "chloe@example.org"):
        make_user(email, role=Role.RESIDENT)
    url = f"/{lang}/events/ontdekkingsdag/"
    # Anna registers with one companion: two of the three places.
    login(page, "anna@example.org", lang=lang)
    page.goto(url)
    page.fill("#id_companions", "1")
    page.locator("form[action$='/register'] button[type=submit]").click()
    expect(page.get_by_test_id("registration-status")).to_be_visible()
    expect(page.get_by_test_id("places")).to_contain_text(t["left"])
    logout(page, lang)
    # Bert takes the last place.
    login(page, "bert@example.org", lang=lang)
    page.goto(url)
    page.locator("form[action$='/register'] button[type=submit]").click()
    expect(page.get_by_test_id("registration-status")).to_contain_text(t["registered"])
    logout(page, lang)
    # Chloé finds it full and joins the waiting list.
    login(page, "chloe@example.org", lang=lang)
    page.goto(url)
    expect(page.locator("main")).to_contain_text(t["full"])
    page.locator("form[action$='/register'] button[type=submit]").click()
    expect(page.get_by_test_id("registration-status")).to_contain_text(t["waiting"])
    assert Registration.objects.get(user__email="chloe@example.org").status == "waiting"
    logout(page, lang)
    # Anna cancels: Chloé is promoted and told by e-mail.
    mail.outbox.clear()
    login(page, "anna@example.org", lang=lang)
    page.goto(url)
    page.locator("form[action*='/cancel'] button[type=submit]").click()
    expect(page.get_by_test_id("places")).to_be_visible()
    logout(page, lang)
    login(page, "chloe@example.org", lang=lang)
    page.goto(url)
    expect(page.get_by_test_id("registration-status")).to_contain_text(t["registered"])
    expect(page.get_by_test_id("registration-status")).not_to_contain_text(t["waiting"])
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "chloe@example.org"]  # done / promoted
    promoted = next(m for m in mail.outbox if m.to == ["chloe@example.org"])
    assert promoted.attachments[0][0].endswith(".ics")
    # And her page of registrations says where she came from.
    page.goto(f"/{lang}/events/mine/")
    expect(page.locator("main table")).to_contain_text("Journée" if lang == "fr" else "Ontdekkingsdag")


def test_agenda_map_shows_the_events(page, discovery_day):
    with page.expect_response(lambda r: "/api/events" in r.url and "bbox=" in r.url) as response:
        page.goto("/nl/events/")
    features = response.value.json()["features"]  # the map asks for what its view holds
    assert [f["properties"]["title"] for f in features] == ["Ontdekkingsdag over de grens"]
    assert features[0]["properties"]["places_left"] == 3
    expect(page.locator("#events-map .leaflet-overlay-pane canvas")).to_have_count(1)
    expect(page.locator("#event-list")).to_contain_text("Ontdekkingsdag over de grens")


@pytest.mark.parametrize("path", ["/nl/events/", "/fr/events/ontdekkingsdag/", "/nl/events/ontdekkingsdag/"])
def test_event_pages_pass_axe_wcag_aa(page, discovery_day, path):
    page.goto(path)
    assert_wcag_aa(page)
