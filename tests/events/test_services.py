"""Registrations, the waiting list and its promotions, capacity changes, attendance, messages, e-mails, GDPR."""
import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from partons.core import gdpr
from partons.core.roles import Role
from partons.events import services
from partons.events.models import Event, Registration

from ..conftest import make_user

pytestmark = pytest.mark.django_db(transaction=False)


def people(n, prefix="p"):
    return [make_user(f"{prefix}{i}@example.org", role=Role.RESIDENT) for i in range(n)]


def seats(event):
    event.refresh_from_db()
    return event.seats_taken


def test_register_until_full_then_waiting_list_in_order(event, django_capture_on_commit_callbacks):
    a, b, c, d = people(4)
    with django_capture_on_commit_callbacks(execute=True):
        r1 = services.register(by=a, event=event, companions=1)  # 2 places
        r2 = services.register(by=b, event=event)                # 3: full
        r3 = services.register(by=c, event=event)
        r4 = services.register(by=d, event=event)
    assert [r.status for r in (r1, r2, r3, r4)] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert seats(event) == 3
    # Confirmation e-mails carry the event as an iCalendar file; the waiting ones say so and carry none.
    by_to = {m.to[0]: m for m in mail.outbox}
    ics = by_to["p0@example.org"].attachments[0]
    assert ics[0].endswith(".ics") and ics[2] == "text/calendar"
    vevent = Calendar.from_ical(ics[1]).walk("VEVENT")[0]
    assert vevent["SUMMARY"] == "Ontdekkingsdag"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert by_to["p2@example.org"].attachments == []
    assert "wachtlijst" in by_to["p2@example.org"].subject


def test_cancellation_promotes_the_next_and_tells_them(event, django_capture_on_commit_callbacks):
    a, b, c, d = people(4)
    r1 = services.register(by=a, event=event, companions=2)  # 3: full
    r2 = services.register(by=b, event=event)
    r3 = services.register(by=c, event=event, companions=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(by=a, registration=r1)
    assert [r.pk for r in promoted] == [r2.pk, r3.pk]  # 1 + 2 places = the 3 freed, in the order they came
    assert seats(event) == 3
    r2.refresh_from_db()
    assert r2.status == "confirmed" and r2.promoted_at is not None
    promoted_mail = [m for m in mail.outbox if m.to != ["p0@example.org"]]
    assert sorted(m.to[0] for m in promoted_mail) == ["p1@example.org", "p2@example.org"]
    assert all(m.attachments for m in promoted_mail)
    # …and the one who cancelled gets a word that it is done (no calendar file)
    assert [m.attachments for m in mail.outbox if m.to == ["p0@example.org"]] == [[]]
    # Someone who comes now waits, even if a place were free for them: nobody overtakes the list.
    assert services.register(by=d, event=event).status == "waiting"


def test_the_head_of_the_list_keeps_its_turn(event):
    a, b, c = people(3)
    r1 = services.register(by=a, event=event)
    services.register(by=b, event=event, companions=1)       # full (3)
    r3 = services.register(by=c, event=event, companions=2)  # needs 3: waits
    services.cancel(by=a, registration=r1)                  # 1 place free: not enough for the head
    r3.refresh_from_db()
    assert r3.status == "waiting" and seats(event) == 2
    assert services.register(by=make_user("late@example.org"), event=event).status == "waiting"


def test_rules_name_the_field(event, pickup, make_event, english):
    a = people(1)[0]
    with pytest.raises(ValidationError) as exc:
        services.register(by=a, event=event, companions=9)
    assert "companions" in exc.value.message_dict
    other = make_event(slug="andere")
    from partons.events.models import PickupPoint
    foreign = PickupPoint.objects.create(event=other, name="X", village=pickup.village, time=pickup.time)
    with pytest.raises(ValidationError) as exc:
        services.register(by=a, event=event, pickup=foreign)
    assert "pickup" in exc.value.message_dict
    services.register(by=a, event=event, pickup=pickup)
    with pytest.raises(ValidationError, match="already registered"):
        services.register(by=a, event=event)


@pytest.mark.parametrize("change, message", [
    ({"registration_opens_at": "future"}, "opens on"),
    ({"starts_at": "past"}, "closed"),
    ({"registration_closes_at": "past"}, "closed"),
    ({"cancelled": True}, "cancelled"),
    ({"registration": False}, "no registration"),
])
def test_registration_window(make_event, change, message, english):
    now = timezone.now()
    values = {k: (now + datetime.timedelta(days=1) if v == "future" else now - datetime.timedelta(hours=1) if v == "past" else v)
              for k, v in change.items()}
    if "starts_at" in values:
        values["ends_at"] = values["starts_at"] + datetime.timedelta(hours=4)
    event = make_event(**values)
    with pytest.raises(ValidationError, match=message):
        services.register(by=people(1)[0], event=event)
    assert seats(event) == 0


def test_unpublished_and_anonymous_refused(make_event):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.register(by=people(1)[0], event=make_event(published=False))
    with pytest.raises(PermissionDenied):
        services.register(by=AnonymousUser(), event=make_event(slug="x"))


def test_only_the_holder_or_a_coordinator_cancels(event, coordinator):
    a, b = people(2)
    r = services.register(by=a, event=event)
    with pytest.raises(PermissionDenied):
        services.cancel(by=b, registration=r)
    services.cancel(by=coordinator, registration=r)
    assert seats(event) == 0
    assert services.cancel(by=a, registration=r) == []  # twice: nothing more happens


def test_no_cancelling_once_begun(make_event, coordinator, english):
    a = people(1)[0]
    event = make_event()
    r = services.register(by=a, event=event)
    later = event.starts_at + datetime.timedelta(minutes=5)
    with pytest.raises(ValidationError, match="begun"):
        services.cancel(by=a, registration=r, now=later)
    services.cancel(by=coordinator, registration=r, now=later)


def test_more_places_promote_fewer_than_taken_refused(event, coordinator, resident):
    a, b, c, d = people(4)
    for u in (a, b, c):
        services.register(by=u, event=event)
    w = services.register(by=d, event=event)
    with pytest.raises(PermissionDenied):
        services.set_capacity(by=resident, event=event, capacity=10)
    with pytest.raises(ValidationError) as exc:
        services.set_capacity(by=coordinator, event=event, capacity=2)
    assert "capacity" in exc.value.message_dict
    assert [r.pk for r in services.set_capacity(by=coordinator, event=event, capacity=4)] == [w.pk]
    assert seats(event) == 4


def test_the_database_refuses_more_seats_than_places(event):
    from django.db import IntegrityError, transaction
    from django.db.models import F

    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(seats_taken=F("capacity") + 1)


def test_a_stale_form_does_not_write_back_the_count(event):
    stale = Event.objects.get(pk=event.pk)
    services.register(by=people(1)[0], event=event)
    stale.title_nl = "Nieuwe titel"
    stale.save()
    event.refresh_from_db()
    assert event.seats_taken == 1 and event.title_nl == "Nieuwe titel"


def test_attendance_and_message(event, coordinator, resident, django_capture_on_commit_callbacks):
    a, b, c, d = people(4)
    ra, rb, _rc = (services.register(by=u, event=event) for u in (a, b, c))
    services.register(by=d, event=event)  # waiting
    with pytest.raises(PermissionDenied):
        services.record_attendance(by=resident, event=event, present_ids=[ra.pk])
    assert services.record_attendance(by=coordinator, event=event, present_ids=[ra.pk, rb.pk]) == 2
    assert list(event.registrations.order_by("pk").values_list("attended", flat=True)) == [True, True, False, None]
    with pytest.raises(ValidationError) as exc:
        services.message_participants(by=coordinator, event=event, subject="", body="")
    assert set(exc.value.message_dict) == {"subject", "body"}
    a.preferred_language = "fr"
    a.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        msg = services.message_participants(by=coordinator, event=event, subject="Bus", body="De bus vertrekt om 8u30.")
    assert msg.recipients == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", "p1@example.org", "p2@example.org"]
    fr = next(m for m in mail.outbox if m.to == ["p0@example.org"])
    assert "De bus vertrekt" in fr.body and "Journée de découverte" in fr.body  # the event named in the reader's language
    with django_capture_on_commit_callbacks(execute=True):
        assert services.message_participants(by=coordinator, event=event, subject="x", body="y",
                                             include_waiting=True).recipients == 4


def test_calendar_feed_is_valid_icalendar(event, make_event):
    make_event(slug="later", days=20, title_nl="Later")
    from django.utils import translation

    with translation.override("nl"):
        cal = Calendar.from_ical(services.calendar(Event.objects.order_by("starts_at")))
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["Ontdekkingsdag", "Later"]
    assert all(e.decoded("DTSTART").tzinfo is not None for e in cal.walk("VEVENT"))


def test_gdpr_export_and_erasure_free_the_place(event, django_capture_on_commit_callbacks):
    a, b = people(2)
    services.register(by=a, event=event, companions=2, needs="rolstoel")
    waiting = services.register(by=b, event=event)
    exported = gdpr.export_personal_data(a)["event_registrations"]
    assert exported[0]["event"] == event.slug and exported[0]["needs"] == "rolstoel"
    with django_capture_on_commit_callbacks(execute=True):
        gdpr.erase_account(a, password="a-long-test-password")
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert not Registration.objects.filter(needs="rolstoel").exists()
    assert seats(event) == 1


def test_calling_an_event_on_again_moves_the_waiting_list_up(event, coordinator, resident,
                                                              django_capture_on_commit_callbacks):
    a, b, c, d = people(4)
    regs = [services.register(by=u, event=event) for u in (a, b, c)]
    waiting = services.register(by=d, event=event)
    with pytest.raises(PermissionDenied):
        services.set_cancelled(by=resident, event=event, cancelled=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_cancelled(by=coordinator, event=event, cancelled=True)
    assert sorted(m.to[0] for m in mail.outbox if "Afgelast" in m.subject) == [f"p{i}@example.org" for i in range(4)]
    cancelled_ics = next(m for m in mail.outbox if "Afgelast" in m.subject).attachments[0][1]
    assert Calendar.from_ical(cancelled_ics).walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    services.cancel(by=a, registration=regs[0])  # nobody is promoted into a cancelled event
    waiting.refresh_from_db()
    assert waiting.status == "waiting"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert [r.pk for r in services.set_cancelled(by=coordinator, event=event, cancelled=False)] == [waiting.pk]
    assert seats(event) == 3
    # The two still registered hear it takes place after all; the promoted one that a place came free.
    assert sorted((m.to[0], "toch door" in m.subject) for m in mail.outbox) == [
        ("p1@example.org", True), ("p2@example.org", True), ("p3@example.org", False)]


def test_a_capacity_someone_waiting_could_never_fit_in_is_refused(make_event, coordinator):
    event = make_event(capacity=6, max_companions=4)
    a, b = people(2)
    services.register(by=a, event=event, companions=1)
    services.register(by=make_user("x@example.org"), event=event, companions=3)   # 6: full
    services.register(by=b, event=event, companions=4)                            # waits for 5 places
    with pytest.raises(ValidationError) as exc:
        services.set_capacity(by=coordinator, event=event, capacity=4 + 2 - 2)    # 4 < 5: B could never come
    assert "capacity" in exc.value.message_dict


def test_no_promotion_once_the_event_has_begun(make_event, coordinator, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    a, b = people(2)
    ra = services.register(by=a, event=event)
    rb = services.register(by=b, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel(by=coordinator, registration=ra, now=event.starts_at + datetime.timedelta(hours=1)) == []
    rb.refresh_from_db()
    assert rb.status == "waiting"
    assert [m.to for m in mail.outbox] == [["p0@example.org"]]  # only the person removed is told
    assert "organisatoren" in mail.outbox[0].subject


def test_a_subject_is_one_line(event, coordinator, django_capture_on_commit_callbacks):
    services.register(by=people(1)[0], event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        msg = services.message_participants(by=coordinator, event=event, subject="Bus\r\nBcc: x@example.org", body="b")
    assert msg.subject == "Bus Bcc: x@example.org"
    assert [m.subject for m in mail.outbox] == ["[Partons] Bus Bcc: x@example.org"] and mail.outbox[0].bcc == []


def test_deleting_an_account_in_the_admin_frees_its_places(client, event, coordinator, django_capture_on_commit_callbacks):
    a, b = people(2)
    services.register(by=a, event=event, companions=2, needs="rolstoel")
    waiting = services.register(by=b, event=event)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/en/admin/core/user/{a.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and seats(event) == 1
    assert not Registration.objects.filter(needs="rolstoel").exists()
