"""The agenda, an event's page, registering and cancelling through the pages, the coordinators' participants page,
the calendar files and the API."""
import csv
import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar

from partons.events import services
from partons.events.models import Registration

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_agenda_lists_coming_events_with_filters(client, make_event, territory):
    make_event(slug="a", title_nl="Ontdekkingsdag Boeschepe")
    make_event(slug="b", type="brainstorm", title_nl="Brainstorm Kemmel", village=territory["villages"]["kemmel"], days=40)
    make_event(slug="hidden", title_nl="Niet gepubliceerd", published=False)
    make_event(slug="old", title_nl="Vroeger", days=-30)
    page = client.get("/nl/events/").content.decode()
    assert "Ontdekkingsdag Boeschepe" in page and "Brainstorm Kemmel" in page
    assert "Niet gepubliceerd" not in page and "Vroeger" not in page
    page = client.get("/nl/events/?type=brainstorm").content.decode()
    assert "Brainstorm Kemmel" in page and "Ontdekkingsdag Boeschepe" not in page
    page = client.get("/nl/events/?village=boeschepe").content.decode()
    assert "Ontdekkingsdag Boeschepe" in page and "Brainstorm Kemmel" not in page
    month = (timezone.localtime() + datetime.timedelta(days=40)).strftime("%Y-%m")
    page = client.get(f"/nl/events/?month={month}").content.decode()
    assert "Brainstorm Kemmel" in page
    assert "Vroeger" in client.get("/nl/events/?past=on").content.decode()
    bad = client.get("/en/events/?month=2026-13&type=party").content.decode()
    assert "YYYY-MM" in bad  # the bad month is named, the page still answers
    assert "JJJJ-MM" in client.get("/nl/events/?month=2026-13").content.decode()
    assert client.get("/fr/events/").status_code == 200


def test_event_page_in_nl_and_fr(client, event, pickup):
    nl = client.get("/nl/events/ontdekkingsdag/").content.decode()
    assert "Ontdekkingsdag" in nl and 'lang="fr"' in nl and "Kerkplein" in nl
    fr = client.get("/fr/events/ontdekkingsdag/").content.decode()
    assert "Journée de découverte" in fr
    assert client.get("/nl/events/nope/").status_code == 404


def test_register_and_cancel_through_the_pages(client, event, pickup, resident, django_capture_on_commit_callbacks):
    login(client, resident)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/nl/events/ontdekkingsdag/register", {"companions": "1", "pickup": str(pickup.pk), "needs": ""})
    assert r.status_code == 302
    reg = Registration.objects.get(user=resident)
    assert reg.status == "confirmed" and reg.companions == 1 and reg.pickup == pickup
    assert mail.outbox[0].to == ["resident@example.org"]
    page = client.get("/nl/events/ontdekkingsdag/").content.decode()
    assert 'data-testid="registration-status"' in page
    assert "Ontdekkingsdag" in client.get("/nl/events/mine/").content.decode()
    r = client.post(f"/nl/events/registrations/{reg.pk}/cancel")
    assert r.status_code == 302
    reg.refresh_from_db()
    assert reg.status == "cancelled"


def test_registration_errors_are_shown_next_to_the_field(client, event, resident):
    login(client, resident)
    r = client.post("/nl/events/ontdekkingsdag/register", {"companions": "12"})
    assert r.status_code == 400
    assert Registration.objects.count() == 0
    assert 'class="errorlist"' in r.content.decode()


def test_anonymous_must_log_in_and_others_cannot_cancel(client, event, resident):
    r = client.post("/nl/events/ontdekkingsdag/register", {"companions": "0"})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    reg = services.register(by=resident, event=event)
    login(client, make_user("other@example.org"))
    assert client.post(f"/nl/events/registrations/{reg.pk}/cancel").status_code == 404
    reg.refresh_from_db()
    assert reg.status == "confirmed"


def test_unpublished_event_hidden_except_for_coordinators(client, make_event, coordinator):
    make_event(slug="draft", published=False)
    assert client.get("/nl/events/draft/").status_code == 404
    assert client.get("/api/events/draft").status_code == 404
    login(client, coordinator)
    assert client.get("/nl/events/draft/").status_code == 200


def test_participants_page_export_attendance_message(client, event, coordinator, resident, django_capture_on_commit_callbacks):
    a = make_user("anna@example.org")
    a.display_name = "=HYPERLINK(1)"
    a.save()
    ra = services.register(by=a, event=event, companions=1, needs="rolstoel")
    services.register(by=resident, event=event)
    services.register(by=make_user("late@example.org"), event=event)  # waiting
    login(client, resident)
    assert client.get("/nl/events/ontdekkingsdag/participants/").status_code == 403
    assert client.get("/nl/events/ontdekkingsdag/participants.csv").status_code == 403
    login(client, coordinator)
    page = client.get("/nl/events/ontdekkingsdag/participants/").content.decode()
    assert "anna@example.org" in page and "late@example.org" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/nl/events/ontdekkingsdag/participants.csv").content.decode("utf-8-sig"))))
    assert [(r["email"], r["status"], r["places"]) for r in rows] == [
        ("anna@example.org", "confirmed", "2"), ("resident@example.org", "confirmed", "1"), ("late@example.org", "waiting", "1")]
    assert rows[0]["name"] == "'=HYPERLINK(1)" and rows[2]["position"] == "1"
    r = client.post("/nl/events/ontdekkingsdag/participants/", {"action": "attendance", "present": [str(ra.pk)]})
    assert r.status_code == 302
    ra.refresh_from_db()
    assert ra.attended is True
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/nl/events/ontdekkingsdag/participants/", {"action": "message", "subject": "Bus", "body": "Om 8u30"})
    assert r.status_code == 302 and len(mail.outbox) == 2
    r = client.post("/nl/events/ontdekkingsdag/participants/", {"action": "message", "subject": "", "body": ""})
    assert r.status_code == 400


def test_ics_files(client, event, make_event):
    make_event(slug="brainstorm", type="brainstorm", title_nl="Brainstorm", title_fr="Remue-méninges", days=20)
    r = client.get("/nl/events/ontdekkingsdag/event.ics")
    assert r["Content-Type"].startswith("text/calendar")
    assert str(Calendar.from_ical(r.content).walk("VEVENT")[0]["SUMMARY"]) == "Ontdekkingsdag"
    fr = Calendar.from_ical(client.get("/fr/events/agenda.ics").content)
    assert sorted(str(e["SUMMARY"]) for e in fr.walk("VEVENT")) == ["Journée de découverte", "Remue-méninges"]
    only = Calendar.from_ical(client.get("/nl/events/agenda.ics?type=brainstorm").content)
    assert [str(e["SUMMARY"]) for e in only.walk("VEVENT")] == ["Brainstorm"]


def test_api_events_with_places_left(client, event, make_event, resident, territory):
    services.register(by=resident, event=event, companions=1)
    make_event(slug="open", capacity=None, registration=True, days=30, village=territory["villages"]["kemmel"])
    make_event(slug="hidden", published=False)
    data = client.get("/api/events?lang=fr").json()
    assert data["numberMatched"] == 2 and data["numberReturned"] == len(data["features"])
    first = data["features"][0]["properties"]
    assert first["slug"] == "ontdekkingsdag" and first["places_left"] == 1 and first["title"] == "Journée de découverte"
    assert first["capacity"] == 3 and first["country"] == "FR"
    assert data["features"][1]["properties"]["places_left"] is None
    assert "registrations" not in first and resident.email not in str(data)
    box = client.get("/api/events?bbox=2.80,50.77,2.84,50.80").json()
    assert [f["id"] for f in box["features"]] == ["open"]
    assert client.get("/api/events?bbox=1,2,3").status_code == 400
    assert "bbox" in client.get("/api/events?bbox=1,2,3").json()["detail"]
    assert "month" in client.get("/api/events?month=2026-1").json()["detail"]
    assert client.get("/api/events?type=party").status_code == 422
    assert client.get("/api/events?village=nowhere").status_code == 404
    one = client.get("/api/events/ontdekkingsdag").json()
    assert one["properties"]["pickup_points"] == []


def test_village_page_shows_its_coming_events(client, event):
    page = client.get("/nl/villages/boeschepe/").content.decode()
    assert "Ontdekkingsdag" in page


def test_agenda_queries_do_not_grow_with_events(client, make_event, django_assert_max_num_queries):
    for i in range(25):
        make_event(slug=f"e{i}", days=i + 1)
    with django_assert_max_num_queries(8):
        client.get("/nl/events/")


def test_demo_events(territory):
    from partons.events.demo import load_demo_events
    from partons.events.models import Event
    from partons.territory.models import Village

    Village.objects.create(municipality=territory["boeschepe"], name_nl="Diksmuide", name_fr="Dixmude", slug="diksmuide",
                           lon=2.69, lat=50.80)
    first = load_demo_events(log=lambda m: None)
    assert load_demo_events(log=lambda m: None) == {"events": 0}
    closing = Event.objects.get(slug="closing-2021")
    assert not closing.synthetic and closing.programme.count() == 9
    assert timezone.localtime(closing.starts_at).strftime("%Y-%m-%d %H:%M") == "2021-09-28 09:30"
    assert first["events"] == Event.objects.count()
    assert all(e.synthetic for e in Event.objects.filter(type="discovery_day"))


def test_text_in_another_language_is_marked(client, event):
    page = client.get("/en/events/ontdekkingsdag/").content.decode()
    assert ('<h1><span lang="nl">Ontdekkingsdag</span> <span class="lang-tag" lang="en">(in Dutch)</span></h1>'
            in page)  # an English page showing the Dutch title says so
    assert '<h1><span lang="fr">Journée de découverte</span></h1>' in client.get("/fr/events/ontdekkingsdag/").content.decode()


def test_admin_calls_an_event_off_and_on(client, event, coordinator):
    a, b, c, d = (make_user(f"p{i}@example.org") for i in range(4))
    regs = [services.register(by=u, event=event) for u in (a, b, c)]
    waiting = services.register(by=d, event=event)
    services.set_cancelled(by=coordinator, event=event, cancelled=True)
    services.cancel(by=a, registration=regs[0])
    client.force_login(coordinator)
    form = client.get(f"/en/admin/events/event/{event.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dict))}
    data.update({"starts_at_0": timezone.localtime(event.starts_at).strftime("%Y-%m-%d"),
                 "starts_at_1": timezone.localtime(event.starts_at).strftime("%H:%M:%S"),
                 "ends_at_0": timezone.localtime(event.ends_at).strftime("%Y-%m-%d"),
                 "ends_at_1": timezone.localtime(event.ends_at).strftime("%H:%M:%S"),
                 "village": event.village_id, "languages": ["nl", "fr"], "cancelled": "", "published": "on",
                 "registration": "on", "capacity": "3"})
    for prefix in ("programme", "pickup_points"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    for k in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at", "lon", "lat"):
        data.pop(k, None)
    r = client.post(f"/en/admin/events/event/{event.pk}/change/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert not event.cancelled and waiting.status == "confirmed"


def test_a_waiting_list_means_full_even_with_a_place_left(client, event, resident):
    services.register(by=make_user("a@example.org"), event=event, companions=1)
    services.register(by=make_user("b@example.org"), event=event, companions=1)  # needs 2, 1 left: waits
    login(client, resident)
    with translation.override("en"):
        page = client.get("/en/events/ontdekkingsdag/").content.decode()
    assert "1 place left of 3 · 1 person on the waiting list" in page
    assert "Join the waiting list" in page and "The event is full" in page
    props = client.get("/api/events/ontdekkingsdag").json()["properties"]
    assert (props["places_left"], props["waiting_list"], props["full"]) == (1, 1, True)
    assert "full — waiting list" in client.get("/en/events/").content.decode()


def test_past_events_say_nothing_of_places(client, make_event):
    make_event(slug="old", days=-3)
    page = client.get("/en/events/old/").content.decode()
    assert "places left" not in page and 'data-testid="places"' not in page


def test_forbidden_pages_explain_in_the_site(client, event, resident):
    login(client, resident)
    r = client.get("/fr/events/ontdekkingsdag/participants/")
    assert r.status_code == 403 and "Accès refusé" in r.content.decode() and 'lang="fr"' in r.content.decode()


def test_admin_refuses_to_drop_registration_while_people_are_registered(client, event, coordinator, resident):
    from partons.events.admin import EventForm

    services.register(by=resident, event=event)
    data = {f: getattr(event, f) for f in ("slug", "type", "title_nl", "title_fr", "starts_at", "ends_at", "village",
                                            "capacity", "max_companions")}
    data.update(village=event.village_id, registration=False, published=True)
    with translation.override("en"):
        form = EventForm(data, instance=event)
        assert not form.is_valid()
        assert "1 person is registered or waiting" in form.errors["registration"][0]
