"""Citizen reports: residents report, duplicates merge, moderators accept (the facility changes) or reject."""
import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from partons.core.ratelimit import RateLimited
from partons.observatory import reports
from partons.observatory.models import Facility, FacilityChange, Report

from ..conftest import make_user


def test_closure_report_accepted_closes_the_facility_and_credits_the_report(bakery_in_kemmel, resident, moderator,
                                                                           django_capture_on_commit_callbacks):
    report, merged = reports.submit_report(by=resident, kind="closure", facility=bakery_in_kemmel,
                                           happened_on=datetime.date(2024, 9, 30), details="Gesloten sinds eind september.")
    assert not merged and report.status == Report.Status.OPEN
    other = make_user("other@example.org")
    again, merged = reports.submit_report(by=other, kind="closure", facility=bakery_in_kemmel, details="Dicht!")
    assert merged and again.duplicate_of == report  # kept apart: each reporter sees only their own words
    assert Report.objects.filter(duplicate_of__isnull=True).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        reports.accept_report(report, by=moderator, answer="Dank u!")
    bakery_in_kemmel.refresh_from_db()
    assert bakery_in_kemmel.closed_on == datetime.date(2024, 9, 30)
    change = bakery_in_kemmel.changes.get(kind=FacilityChange.Kind.CLOSED)
    assert change.report == report and change.by == moderator
    report.refresh_from_db()
    again.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED and report.handled_by == moderator
    assert again.status == Report.Status.ACCEPTED and again.reason == "Dank u!"
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.org", "resident@example.org"]
    assert "/services/reports/%d/" % report.pk in mail.outbox[0].body


def test_new_service_report_creates_a_facility(territory, cats, resident, moderator):
    report, _ = reports.submit_report(by=resident, kind="new", category=cats["grocery"], name="Buurtwinkel Loker",
                                      lon=2.7746, lat=50.7813, happened_on=datetime.date(2025, 3, 1))
    reports.accept_report(report, by=moderator)
    fac = Facility.objects.get(name="Buurtwinkel Loker")
    assert fac.village == territory["villages"]["loker"] and fac.opened_on == datetime.date(2025, 3, 1)
    assert fac.changes.get().report == report


def test_wrong_detail_report_changes_the_detail(bakery_in_kemmel, resident, moderator):
    report, _ = reports.submit_report(by=resident, kind="wrong", facility=bakery_in_kemmel, name="Bakkerij Het Molentje")
    reports.accept_report(report, by=moderator)
    bakery_in_kemmel.refresh_from_db()
    assert bakery_in_kemmel.name == "Bakkerij Het Molentje"
    assert bakery_in_kemmel.changes.get(kind="updated").changes == {"name": ["Bakkerij De Molen", "Bakkerij Het Molentje"]}


def test_reject_needs_a_reason_and_tells_the_reporter(bakery_in_kemmel, resident, moderator,
                                                      django_capture_on_commit_callbacks):
    report, _ = reports.submit_report(by=resident, kind="closure", facility=bakery_in_kemmel)
    with pytest.raises(ValidationError):
        reports.reject_report(report, by=moderator, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        reports.reject_report(report, by=moderator, reason="De bakkerij is nog open, wij zijn gaan kijken.")
    bakery_in_kemmel.refresh_from_db()
    assert bakery_in_kemmel.closed_on is None
    assert mail.outbox[0].to == ["resident@example.org"] and "nog open" in mail.outbox[0].body
    with pytest.raises(ValidationError):
        reports.accept_report(report, by=moderator)


def test_residents_cannot_moderate(bakery_in_kemmel, resident):
    report, _ = reports.submit_report(by=resident, kind="closure", facility=bakery_in_kemmel)
    with pytest.raises(PermissionDenied):
        reports.accept_report(report, by=resident)


def test_reports_are_rate_limited(bakery_in_kemmel, cats, resident):
    for i in range(reports.REPORTS_PER_HOUR):
        reports.submit_report(by=resident, kind="new", category=cats["cafe"], name=f"Café {i}", lon=2.82, lat=50.78)
    with pytest.raises(RateLimited):
        reports.submit_report(by=resident, kind="new", category=cats["cafe"], name="One too many", lon=2.82, lat=50.78)


def test_report_pages_flow(client, bakery_in_kemmel, resident, moderator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # Anonymous: the facility page invites to log in; the report form redirects to the login page.
    page = client.get(f"/nl/services/{bakery_in_kemmel.pk}/").content.decode()
    assert "Bakkerij De Molen" in page and "/nl/accounts/login/" in page
    assert client.get(f"/nl/services/report/?facility={bakery_in_kemmel.pk}").status_code == 302
    client.force_login(resident)
    r = client.post("/fr/services/report/", {"facility": bakery_in_kemmel.pk, "kind": "closure", "happened_on": "2024-10-01",
                                             "photo": SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")})
    assert r.status_code == 400 and "photo" in r.content.decode().lower()
    r = client.post("/fr/services/report/", {"facility": bakery_in_kemmel.pk, "kind": "closure", "happened_on": "2024-10-01"})
    report = Report.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/fr/services/reports/{report.pk}/"
    assert client.get("/fr/services/reports/").status_code == 403  # the queue is for moderators
    assert client.get(f"/fr/services/reports/{report.pk}/").status_code == 200
    assert client.get("/fr/services/reports/mine/").status_code == 200
    client.force_login(moderator)
    queue = client.get("/nl/services/reports/").content.decode()
    assert f"/nl/services/reports/{report.pk}/" in queue
    r = client.post(f"/nl/services/reports/{report.pk}/", {"decision": "reject", "answer": ""})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    r = client.post(f"/nl/services/reports/{report.pk}/", {"decision": "accept", "answer": ""})
    assert r.status_code == 302
    bakery_in_kemmel.refresh_from_db()
    assert bakery_in_kemmel.closed_on == datetime.date(2024, 10, 1)
    history = client.get(f"/nl/services/{bakery_in_kemmel.pk}/").content.decode()
    assert f"/nl/services/reports/{report.pk}/" in history  # the history credits the report
    other = make_user("nosy@example.org")
    client.force_login(other)
    assert client.get(f"/nl/services/reports/{report.pk}/").status_code == 403


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_impossible_reports_are_refused(bakery_in_kemmel, cats, resident, moderator, english):
    bakery_in_kemmel.closed_on = datetime.date(2020, 1, 1)
    bakery_in_kemmel.save()
    with pytest.raises(ValidationError, match="already recorded as closed"):
        reports.submit_report(by=resident, kind="closure", facility=bakery_in_kemmel)
    with pytest.raises(ValidationError, match="outside the region"):
        reports.submit_report(by=resident, kind="new", category=cats["bakery"], lon=5.0, lat=45.0)
    with pytest.raises(ValidationError, match="future"):
        reports.submit_report(by=resident, kind="new", category=cats["bakery"], lon=2.8275, lat=50.7835,
                              happened_on=datetime.date.today() + datetime.timedelta(days=3))


def test_a_closure_is_checked_again_when_it_is_accepted(bakery_in_kemmel, resident, moderator, english):
    report, _ = reports.submit_report(by=resident, kind="closure", facility=bakery_in_kemmel)
    Facility.objects.filter(pk=bakery_in_kemmel.pk).update(closed_on=datetime.date(2021, 1, 1))
    with pytest.raises(ValidationError, match="already recorded as closed"):
        reports.accept_report(report, by=moderator)
    assert bakery_in_kemmel.changes.filter(kind="closed").count() == 0


def test_photos_lose_their_metadata_and_name(bakery_in_kemmel, resident, client):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make: any EXIF would do
    Image.new("RGB", (40, 30), "red").save(buf, format="JPEG", exif=exif)
    client.force_login(resident)
    r = client.post("/nl/services/report/", {"facility": bakery_in_kemmel.pk, "kind": "closure",
                                             "photo": SimpleUploadedFile("home-of-anne.jpg", buf.getvalue(), "image/jpeg")})
    assert r.status_code == 302
    photo = Report.objects.get().photo
    assert "home-of-anne" not in photo.name and photo.name.endswith(".jpg")
    with Image.open(photo) as img:
        assert dict(img.getexif()) == {}


def test_a_reports_photo_is_served_to_its_sender_and_the_moderators_only(bakery_in_kemmel, resident, moderator, client,
                                                                          settings):
    """Through an access-checked view, as idea photos: under production settings nothing serves the media folder."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buf, format="JPEG")
    client.force_login(resident)
    client.post("/nl/services/report/", {"facility": bakery_in_kemmel.pk, "kind": "closure",
                                         "photo": SimpleUploadedFile("p.jpg", buf.getvalue(), "image/jpeg")})
    report = Report.objects.get()
    url = f"/nl/services/reports/{report.pk}/photo"
    page = client.get(f"/nl/services/reports/{report.pk}/").content.decode()
    assert f'src="{url}"' in page and settings.MEDIA_URL + "reports/" not in page
    r = client.get(url)  # the sender
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg" and r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content)[:2] == b"\xff\xd8"
    client.force_login(moderator)
    assert client.get(url).status_code == 200
    client.force_login(make_user("someone@example.org"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_co_reporter_sees_only_their_own_report(client, bakery_in_kemmel, resident):
    first, _ = reports.submit_report(by=resident, kind="closure", facility=bakery_in_kemmel, details="Bel me: 0470 00 00 00")
    bob = make_user("bob@example.org")
    mine, merged = reports.submit_report(by=bob, kind="closure", facility=bakery_in_kemmel, details="Ook dicht.")
    client.force_login(bob)
    assert client.get(f"/nl/services/reports/{first.pk}/").status_code == 403
    page = client.get(f"/nl/services/reports/{mine.pk}/").content.decode()
    assert "Ook dicht." in page and "0470" not in page


def test_erasing_an_account_erases_what_its_reports_said(client, bakery_in_kemmel, resident, django_capture_on_commit_callbacks):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buf, format="PNG")
    client.force_login(resident)
    client.post("/nl/services/report/", {"facility": bakery_in_kemmel.pk, "kind": "closure", "details": "Mijn gsm: 0470",
                                         "photo": SimpleUploadedFile("p.png", buf.getvalue(), "image/png")})
    report = Report.objects.get()
    storage, name = report.photo.storage, report.photo.name
    assert storage.exists(name)
    client.post("/nl/accounts/my-data/delete/", {"password": "a-long-test-password", "confirm": "on"})
    report.refresh_from_db()
    assert report.reporter is None and report.details == "" and not report.photo and not storage.exists(name)
    assert report.kind == "closure" and report.facility == bakery_in_kemmel  # what it said about the service stays


def test_photos_of_too_many_pixels_are_refused_before_decoding(client, bakery_in_kemmel, resident):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (7000, 7000)).save(buf, format="PNG")  # 49 megapixels in a few kilobytes
    client.force_login(resident)
    r = client.post("/fr/services/report/", {"facility": bakery_in_kemmel.pk, "kind": "closure",
                                             "photo": SimpleUploadedFile("big.png", buf.getvalue(), "image/png")})
    assert r.status_code == 400 and "40" in r.content.decode() and not Report.objects.exists()


def test_a_wrong_category_report_changes_the_category(bakery_in_kemmel, cats, resident, moderator):
    report, _ = reports.submit_report(by=resident, kind="wrong", facility=bakery_in_kemmel, category=cats["butcher"])
    reports.accept_report(report, by=moderator)
    bakery_in_kemmel.refresh_from_db()
    assert bakery_in_kemmel.category.code == "butcher"
    assert bakery_in_kemmel.changes.get(kind="updated").changes == {"category": ["bakery", "butcher"]}


def test_an_admin_edit_is_in_the_history(client, bakery_in_kemmel, coordinator):
    client.force_login(coordinator)
    url = f"/nl/admin/observatory/facility/{bakery_in_kemmel.pk}/change/"
    data = {"category": bakery_in_kemmel.category_id, "name": "Bakkerij De Molen", "lon": 2.8275, "lat": 50.7835,
            "address": "", "village": bakery_in_kemmel.village_id, "opening_hours": "", "opened_on": "1990-05-01",
            "closed_on": "2023-04-01", "source": "test", "source_id": "b1", "licence": "",
            "changes-TOTAL_FORMS": 1, "changes-INITIAL_FORMS": 1, "changes-MIN_NUM_FORMS": 0, "changes-MAX_NUM_FORMS": 1000,
            "changes-0-id": bakery_in_kemmel.changes.get().pk, "changes-0-facility": bakery_in_kemmel.pk}
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    change = bakery_in_kemmel.changes.get(kind="closed")
    assert change.by == coordinator and change.effective_on == datetime.date(2023, 4, 1)
    assert change.changes == {"closed_on": [None, "2023-04-01"]}


def test_the_history_shows_categories_by_name_in_the_page_language(client, bakery_in_kemmel, cats, resident, moderator):
    report, _ = reports.submit_report(by=resident, kind="wrong", facility=bakery_in_kemmel, category=cats["butcher"])
    reports.accept_report(report, by=moderator)
    assert "Boulangerie → Boucherie" in client.get(f"/fr/services/{bakery_in_kemmel.pk}/").content.decode()
