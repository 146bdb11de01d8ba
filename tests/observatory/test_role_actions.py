"""Who may send, see and handle a citizen report, role by role: every role tries every action, the allowed ones
succeed and change the database, the others are refused (403, the login page for anonymous visitors, 404 for the
photo, whose existence is not told) and change nothing. The services refuse by themselves too."""
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from partons.core.roles import Role
from partons.observatory import reports
from partons.observatory.models import Facility, FacilityChange, Report

from ..conftest import make_user, person, sign_in, url

ROLES = ["anonymous", "resident", "owner", "moderator", "coordinator", "analyst", "jury_member"]
TEAM = {"moderator", "coordinator"}


def jpeg():
    buf = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(buf, format="JPEG")
    return SimpleUploadedFile("p.jpg", buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def owner(db):
    return make_user("owner@example.org", role=Role.RESIDENT)


@pytest.fixture
def report(bakery_in_kemmel, owner):
    """The owner's open report that the bakery closed, with a photo."""
    made, merged = reports.submit_report(by=owner, kind="closure", facility=bakery_in_kemmel, details="Dicht sinds maandag",
                                         photo=jpeg())
    assert not merged and made.photo
    return made


def assert_status(response, expected):
    """`expected` is a status code, or "login": a redirect to the login page."""
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(url("account_login"))
    else:
        assert response.status_code == expected


# --- sending a report -------------------------------------------------------------------------------------------

NEW_SHOP = {"kind": "new", "name": "Buurtwinkel Loker", "lon": 2.7746, "lat": 50.7813}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_person_sends_a_report_and_anonymous_visitors_are_sent_to_log_in(client, territory, cats, owner,
                                                                                          role):
    actor = sign_in(client, role, owner)
    r = client.post(url("observatory:report_new"), {**NEW_SHOP, "category": cats["grocery"].pk})
    if role == "anonymous":
        assert_status(r, "login")
        assert not Report.objects.exists()
    else:
        sent = Report.objects.get(name="Buurtwinkel Loker")
        assert r.status_code == 302 and r["Location"] == url("observatory:report", pk=sent.pk)
        assert sent.reporter == actor and sent.status == Report.Status.OPEN


# --- handling a report (its page, POST) ---------------------------------------------------------------------------

# decision: (what is posted, did the decision reach the report and the service?)
DECISIONS = {
    "accept": ({"decision": "accept", "answer": "Dank u"},
               lambda rep, fac: rep.status == "accepted" and fac.closed_on is not None
               and fac.changes.filter(kind=FacilityChange.Kind.CLOSED, report=rep).exists()),
    "reject": ({"decision": "reject", "answer": "De bakkerij is nog open"},
               lambda rep, fac: rep.status == "rejected" and rep.reason == "De bakkerij is nog open"),
}


def untouched(report_, facility):
    return (report_.status == Report.Status.OPEN and report_.handled_by is None and report_.reason == ""
            and facility.closed_on is None and facility.changes.count() == 1)


@pytest.mark.django_db
@pytest.mark.parametrize("decision", list(DECISIONS))
@pytest.mark.parametrize("role", ROLES)
def test_only_moderators_and_coordinators_handle_a_report(client, report, owner, role, decision):
    data, decided = DECISIONS[decision]
    actor = sign_in(client, role, owner)
    r = client.post(url("observatory:report", pk=report.pk), data)
    rep, fac = Report.objects.get(pk=report.pk), Facility.objects.get(pk=report.facility_id)
    if role in TEAM:
        assert r.status_code == 302 and r["Location"] == url("observatory:moderation")
        assert decided(rep, fac) and rep.handled_by == actor
    else:  # the reporter too: they see their report, they do not decide on it
        assert_status(r, "login" if role == "anonymous" else 403)
        assert untouched(rep, fac)


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["open", "already_handled"])
@pytest.mark.parametrize("decision", list(DECISIONS))
@pytest.mark.parametrize("role", ROLES)
def test_the_report_services_refuse_everyone_but_the_team_by_themselves(report, owner, moderator, role, decision, state):
    """Behind the page: accept_report and reject_report check the role themselves (a script, a command, a future view),
    before anything else: a report already handled tells the team so, and everyone else only that they may not."""
    data, decided = DECISIONS[decision]
    actor = person(role, owner) or AnonymousUser()
    if state == "already_handled":
        reports.reject_report(report, by=moderator, reason="Al bekeken")
    before = Report.objects.values().get(pk=report.pk), list(FacilityChange.objects.values())

    def handle():
        if decision == "accept":
            reports.accept_report(Report.objects.get(pk=report.pk), by=actor, answer=data["answer"])
        else:
            reports.reject_report(Report.objects.get(pk=report.pk), by=actor, reason=data["answer"])

    if role in TEAM and state == "open":
        handle()
        assert decided(Report.objects.get(pk=report.pk), Facility.objects.get(pk=report.facility_id))
        return
    with pytest.raises(ValidationError if role in TEAM else PermissionDenied):
        handle()
    assert (Report.objects.values().get(pk=report.pk), list(FacilityChange.objects.values())) == before


@pytest.mark.django_db
def test_the_report_service_refuses_an_anonymous_sender(territory, cats):
    with pytest.raises(ValidationError):
        reports.submit_report(by=AnonymousUser(), kind="new", category=cats["grocery"], lon=2.7746, lat=50.7813)
    assert not Report.objects.exists()


# --- who sees a report, its photo, the queue, "my reports" --------------------------------------------------------

# Status of: the report's page, its photo, the moderation queue, "my reports". The photo answers 404 to everyone
# else, signed in or not: it does not say that the report exists.
PAGES = {
    "anonymous":   ("login", 404, "login", "login"),
    "resident":    (403, 404, 403, 200),
    "owner":       (200, 200, 403, 200),
    "moderator":   (200, 200, 200, 200),
    "coordinator": (200, 200, 200, 200),
    "analyst":     (403, 404, 403, 200),
    "jury_member": (403, 404, 403, 200),
}
# What those pages show: the handling form on the report's page, the report in the queue, the report in "my reports".
SHOWN = {
    "owner":       (False, False, True),
    "moderator":   (True, True, False),
    "coordinator": (True, True, False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_report_its_photo_and_the_moderation_queue(client, report, owner, role):
    sign_in(client, role, owner)
    detail, photo, queue, mine = (client.get(url("observatory:report", pk=report.pk)),
                                  client.get(url("observatory:report_photo", pk=report.pk)),
                                  client.get(url("observatory:moderation")), client.get(url("observatory:my_reports")))
    for response, expected in zip((detail, photo, queue, mine), PAGES[role]):
        assert_status(response, expected)
    if photo.status_code == 200:
        assert photo["Content-Type"] == "image/jpeg" and b"".join(photo.streaming_content)[:2] == b"\xff\xd8"
    link = f'href="{url("observatory:report", pk=report.pk)}"'
    shown = (detail.status_code == 200 and 'name="decision"' in detail.content.decode(),
             queue.status_code == 200 and link in queue.content.decode(),
             mine.status_code == 200 and link in mine.content.decode())
    assert shown == SHOWN.get(role, (False, False, False))
    assert Report.objects.get(pk=report.pk).status == Report.Status.OPEN  # looking changes nothing


@pytest.mark.django_db
def test_a_reports_photo_stays_private_when_its_reporter_is_gone(client, report, moderator):
    """An account deleted without the erasure (the report keeps its photo, its reporter is empty): an anonymous visitor,
    who has no account either, does not count as its sender."""
    Report.objects.filter(pk=report.pk).update(reporter=None)
    photo = url("observatory:report_photo", pk=report.pk)
    assert client.get(photo).status_code == 404
    client.force_login(moderator)
    assert client.get(photo).status_code == 200  # positive control: the photo is there
