"""Groups, meetings and their documents: members and coordinators see a meeting's agenda, minutes, decisions and files;
anyone else — signed in or not — gets nothing of them. Chairs and coordinators record; coordinators manage members."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partons.cooperation import selectors, services
from partons.cooperation.models import Decision, Meeting, MeetingAttachment, Membership

from .conftest import MINUTES, pdf


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.django_db
def test_meeting_page_shows_minutes_to_members_and_coordinators_only(client, meeting, people, coordinator, working):
    url = f"/nl/cooperation/meetings/{meeting.pk}/"
    for user in (people["chair"], people["member"], coordinator):
        r = _get(client, user, url)
        assert r.status_code == 200 and MINUTES in r.content.decode(), user
    r = _get(client, people["outsider"], url)
    assert r.status_code == 404 and MINUTES not in r.content.decode()
    r = _get(client, None, url)
    assert r.status_code == 403 and MINUTES not in r.content.decode() and "/accounts/login/" in r.content.decode()
    # Signed out, a meeting that does not exist looks the same as one that does (nothing given away).
    assert _get(client, None, "/nl/cooperation/meetings/999999/").status_code == 403
    assert _get(client, people["outsider"], "/nl/cooperation/meetings/999999/").status_code == 404
    # Membership of another group opens nothing here.
    services.add_member(by=coordinator, group=working, user=people["outsider"])
    r = _get(client, people["outsider"], url)
    assert r.status_code == 404 and MINUTES not in r.content.decode()


@pytest.mark.django_db
def test_the_selectors_filter_by_viewer(meeting, people, coordinator):
    from django.contrib.auth.models import AnonymousUser

    assert selectors.meeting_for(people["member"], meeting.pk) == meeting
    assert selectors.meeting_for(coordinator, meeting.pk) == meeting
    assert selectors.meeting_for(people["outsider"], meeting.pk) is None
    assert selectors.meeting_for(AnonymousUser(), meeting.pk) is None
    people["member"].is_active = False
    people["member"].save()
    assert selectors.meeting_for(people["member"], meeting.pk) is None


@pytest.mark.django_db
def test_the_public_sees_that_a_group_exists_not_its_documents(client, meeting, steering, people):
    services.add_decision(by=people["chair"], meeting=meeting, text="Decision: publish the observatory")
    for user in (None, people["outsider"]):
        r = _get(client, user, f"/nl/cooperation/groups/{steering.slug}/")
        html = r.content.decode()
        assert r.status_code == 200
        assert "Stuurgroep Westhoek" in html and "Provincie West-Vlaanderen" in html and "Conseil Départemental du Nord" in html
        for secret in (MINUTES, "The action plan", "Spring meeting", "publish the observatory", "member@example.org",
                       "chair@example.org", f"/cooperation/meetings/{meeting.pk}/"):
            assert secret not in html, secret
    html = _get(client, None, "/nl/cooperation/groups/").content.decode()
    assert "Stuurgroep Westhoek" in html and MINUTES not in html
    member_html = _get(client, people["member"], f"/nl/cooperation/groups/{steering.slug}/").content.decode()
    assert f"/nl/cooperation/meetings/{meeting.pk}/" in member_html and "publish the observatory" in member_html
    assert "Comité de pilotage Westhoek" in _get(client, None, f"/fr/cooperation/groups/{steering.slug}/").content.decode()


@pytest.mark.django_db
def test_members_see_each_others_name_and_email_only_when_agreed(client, members, steering, people, coordinator):
    people["chair"].display_name = "Chair Person"
    people["chair"].save()
    html = _get(client, people["member"], f"/nl/cooperation/groups/{steering.slug}/").content.decode()
    assert "Provincie West-Vlaanderen" in html and "deputy" in html  # organisation and role
    assert "chair@example.org" not in html and "Chair Person" not in html
    with pytest.raises(PermissionDenied):
        services.set_show_contact(by=people["member"], membership=members["chair"], show=True)  # only the person
    _get(client, people["chair"], "/nl/cooperation/mine/")
    r = client.post(f"/nl/cooperation/mine/{members['chair'].pk}/contact", {"show": "1"})
    assert r.status_code == 302
    html = _get(client, people["member"], f"/nl/cooperation/groups/{steering.slug}/").content.decode()
    assert "chair@example.org" in html and "Chair Person" in html
    # Someone else's membership cannot be switched through the page either.
    assert client.post(f"/nl/cooperation/mine/{members['chair'].pk}/contact", {"show": "0"}).status_code == 404
    assert Membership.objects.get(pk=members["chair"].pk).show_contact is True
    # Coordinators, who manage the groups, see every member.
    Membership.objects.filter(pk=members["member"].pk).update(show_contact=False)
    assert "member@example.org" in _get(client, coordinator, f"/nl/cooperation/groups/{steering.slug}/").content.decode()
    assert selectors.members_for(people["outsider"], steering) == []


@pytest.mark.django_db
def test_one_chair_per_group(steering, members, people, coordinator):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=members["member"].pk).update(is_chair=True)  # the database refuses a second chair
    services.set_chair(by=coordinator, group=steering, membership=members["member"])
    assert list(steering.memberships.filter(is_chair=True)) == [members["member"]]
    third = services.add_member(by=coordinator, group=steering, user=people["outsider"], is_chair=True)
    assert list(steering.memberships.filter(is_chair=True)) == [third]
    services.set_chair(by=coordinator, group=steering, membership=None)
    assert not steering.memberships.filter(is_chair=True).exists()


@pytest.mark.django_db
def test_only_coordinators_manage_members(steering, members, people):
    for by in (people["chair"], people["member"], people["outsider"]):
        with pytest.raises(PermissionDenied):
            services.add_member(by=by, group=steering, user=people["outsider"])
        with pytest.raises(PermissionDenied):
            services.set_chair(by=by, group=steering, membership=members["member"])
        with pytest.raises(PermissionDenied):
            services.remove_member(by=by, membership=members["member"])
    assert steering.memberships.count() == 2


@pytest.mark.django_db
def test_add_member_checks_the_organisation_and_duplicates(steering, members, people, orgs, coordinator, working):
    with pytest.raises(ValidationError):
        services.add_member(by=coordinator, group=steering, user=people["outsider"], organisation=orgs["egtc"])
    with pytest.raises(ValidationError):
        services.add_member(by=coordinator, group=steering, user=people["member"])
    services.remove_member(by=coordinator, membership=members["member"])
    assert not Membership.objects.filter(group=steering, user=people["member"]).exists()


@pytest.mark.django_db
def test_only_the_chair_and_coordinators_record(client, steering, meeting, people, coordinator):
    start = timezone.now()
    for by in (people["member"], people["outsider"]):
        with pytest.raises(PermissionDenied):
            services.record_meeting(by=by, group=steering, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
        with pytest.raises(PermissionDenied):
            services.update_meeting(by=by, meeting=meeting, minutes="rewritten")
        with pytest.raises(PermissionDenied):
            services.add_decision(by=by, meeting=meeting, text="no")
        with pytest.raises(PermissionDenied):
            services.add_attachment(by=by, meeting=meeting, upload=pdf())
    assert Meeting.objects.get(pk=meeting.pk).minutes == MINUTES and not Decision.objects.exists()
    # The pages refuse too.
    client.force_login(people["member"])
    assert client.get(f"/nl/cooperation/groups/{steering.slug}/meetings/new/").status_code == 403
    assert client.post(f"/nl/cooperation/meetings/{meeting.pk}/edit/", {"minutes": "x"}).status_code == 403
    assert client.post(f"/nl/cooperation/meetings/{meeting.pk}/decisions/", {"text": "x"}).status_code == 403
    client.force_login(people["outsider"])
    assert client.post(f"/nl/cooperation/meetings/{meeting.pk}/decisions/", {"text": "x"}).status_code == 404
    assert not Decision.objects.exists()
    # The coordinator may, and becomes the minutes' author.
    services.update_meeting(by=coordinator, meeting=meeting, minutes="Corrected minutes")
    meeting.refresh_from_db()
    assert meeting.minutes == "Corrected minutes" and meeting.minutes_by == coordinator


@pytest.mark.django_db
def test_chair_records_a_meeting_in_brussels_time_with_decisions(client, steering, members, people):
    client.force_login(people["chair"])
    r = client.post(f"/nl/cooperation/groups/{steering.slug}/meetings/new/", {
        "title": "Autumn meeting", "starts_at": "2030-05-02T10:00", "ends_at": "2030-05-02T09:00", "place": "Ieper"})
    assert r.status_code == 200 and not Meeting.objects.exists()  # ends before it starts: refused, said on the form
    r = client.post(f"/nl/cooperation/groups/{steering.slug}/meetings/new/", {
        "title": "Autumn meeting", "starts_at": "2030-05-02T10:00", "ends_at": "2030-05-02T12:00", "place": "Ieper",
        "agenda": "Budget", "minutes": ""})
    m = Meeting.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/cooperation/meetings/{m.pk}/")
    assert m.starts_at == datetime.datetime(2030, 5, 2, 8, 0, tzinfo=datetime.timezone.utc)  # 10:00 CEST, stored UTC
    client.post(f"/nl/cooperation/meetings/{m.pk}/decisions/", {"text": "First decision"})
    client.post(f"/nl/cooperation/meetings/{m.pk}/decisions/", {"text": "Second decision"})
    assert list(m.decisions.values_list("text", "order")) == [("First decision", 0), ("Second decision", 1)]
    html = client.get(f"/nl/cooperation/meetings/{m.pk}/").content.decode()
    assert "10:00" in html and html.index("First decision") < html.index("Second decision")
    assert 'value="2030-05-02T10:00"' in client.get(f"/nl/cooperation/meetings/{m.pk}/edit/").content.decode()
    r = client.post(f"/nl/cooperation/meetings/{m.pk}/edit/", {
        "title": "Autumn meeting", "starts_at": "2030-05-02T10:00", "ends_at": "2030-05-02T12:30", "place": "Ieper",
        "agenda": "Budget", "minutes": "Written afterwards"})
    m.refresh_from_db()
    assert r.status_code == 302 and m.minutes == "Written afterwards" and m.minutes_by == people["chair"]
    assert m.ends_at == datetime.datetime(2030, 5, 2, 10, 30, tzinfo=datetime.timezone.utc)
    client.post(f"/nl/cooperation/meetings/{m.pk}/decisions/", {"remove": str(m.decisions.first().pk)})
    assert list(m.decisions.values_list("text", flat=True)) == ["Second decision"]


@pytest.mark.django_db
def test_attachments_are_checked_and_served_only_to_members(client, meeting, people, coordinator):
    client.force_login(people["chair"])
    fake = pdf("verslag.pdf", b"MZ\x90\x00 an executable")
    r = client.post(f"/nl/cooperation/meetings/{meeting.pk}/files/", {"file": fake}, follow=True)
    assert "verslag.pdf" in r.content.decode() and not MeetingAttachment.objects.exists()  # refused, named
    with pytest.raises(ValidationError):
        services.add_attachment(by=people["chair"], meeting=meeting, upload=pdf("script.exe", b"%PDF-1.7"))
    big = pdf("groot.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        services.add_attachment(by=people["chair"], meeting=meeting, upload=big)
    assert "groot.pdf" in str(exc.value) and "10 MB" in str(exc.value)
    r = client.post(f"/nl/cooperation/meetings/{meeting.pk}/files/", {"file": pdf()})
    att = MeetingAttachment.objects.get()
    assert att.name == "verslag.pdf" and "verslag" not in att.file.name and att.size == len(pdf().read())
    url = f"/nl/cooperation/meetings/{meeting.pk}/files/{att.pk}"
    for user in (people["member"], coordinator):
        r = _get(client, user, url)
        assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
        assert 'filename="verslag.pdf"' in r["Content-Disposition"] and r["Content-Disposition"].startswith("attachment")
        assert r["X-Content-Type-Options"] == "nosniff"
    assert _get(client, people["outsider"], url).status_code == 404
    r = _get(client, None, url)
    assert r.status_code == 403 and not r.content.startswith(b"%PDF")
    # An attachment asked for under another meeting's address is not found.
    other = services.record_meeting(by=coordinator, group=meeting.group, starts_at=meeting.starts_at,
                                    ends_at=meeting.ends_at)
    assert _get(client, people["member"], f"/nl/cooperation/meetings/{other.pk}/files/{att.pk}").status_code == 404
    # A member who is not the chair cannot upload through the page.
    r = _get(client, people["member"], f"/nl/cooperation/meetings/{meeting.pk}/")
    assert 'name="file"' not in r.content.decode()
    assert client.post(f"/nl/cooperation/meetings/{meeting.pk}/files/", {"file": pdf()}).status_code == 403
    assert MeetingAttachment.objects.count() == 1


@pytest.mark.django_db
def test_my_groups_lists_groups_and_coming_meetings_with_a_calendar_file(client, meeting, steering, people):
    past_start = timezone.now() - datetime.timedelta(days=30)
    past = services.record_meeting(by=people["chair"], group=steering, title="Old meeting", starts_at=past_start,
                                   ends_at=past_start + datetime.timedelta(hours=1))
    client.force_login(people["member"])
    html = client.get("/nl/cooperation/mine/").content.decode()
    assert "Stuurgroep Westhoek" in html and "Spring meeting" in html and "Old meeting" not in html
    assert f"/nl/cooperation/meetings/{meeting.pk}.ics" in html
    r = client.get(f"/nl/cooperation/meetings/{meeting.pk}.ics")
    assert r["Content-Type"].startswith("text/calendar")
    start = meeting.starts_at.astimezone(datetime.timezone.utc)
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z".encode() in r.content and b"SUMMARY:Spring meeting" in r.content
    assert past.pk  # listed on the group's page as a past meeting instead
    assert "Old meeting" in client.get(f"/nl/cooperation/groups/{steering.slug}/").content.decode()
    client.force_login(people["outsider"])
    assert client.get(f"/nl/cooperation/meetings/{meeting.pk}.ics").status_code == 404
    assert "Spring meeting" not in client.get("/nl/cooperation/mine/").content.decode()
    client.logout()
    assert client.get("/nl/cooperation/mine/").status_code == 302


@pytest.mark.django_db
def test_admin_refuses_two_chairs_in_one_save(client, steering, people, coordinator):
    client.force_login(coordinator)
    data = {"kind": "steering", "slug": steering.slug, "name_nl": steering.name_nl, "name_fr": steering.name_fr,
            "active": "on", "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000"}
    for i, who in enumerate(("chair", "member")):
        data.update({f"memberships-{i}-user": str(people[who].pk), f"memberships-{i}-is_chair": "on",
                     f"memberships-{i}-joined": "2024-01-01", f"memberships-{i}-role": ""})
    r = client.post(f"/en/admin/cooperation/group/{steering.pk}/change/", data)
    assert r.status_code == 200 and "one chair" in r.content.decode()
    assert not Membership.objects.exists()
    data["memberships-1-is_chair"] = ""
    r = client.post(f"/en/admin/cooperation/group/{steering.pk}/change/", data)
    assert r.status_code == 302 and list(Membership.objects.filter(is_chair=True).values_list("user__email", flat=True)) == [
        "chair@example.org"]



def test_a_meetings_files_go_with_it(meeting, coordinator, django_capture_on_commit_callbacks):
    from partons.cooperation import services as coop

    from .conftest import pdf

    att = coop.add_attachment(by=coordinator, meeting=meeting, upload=pdf())
    name, storage = att.file.name, att.file.storage
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.delete()  # as the admin does, with its group or on its own
    assert not storage.exists(name)
