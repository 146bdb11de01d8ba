"""The coordinator's side, in the admin: write an issue, preview it, send a test, see the audience, send, follow the
progress; what was sent cannot be changed; the subscribers are listed but not added by hand."""
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partons.newsletters.models import Delivery, Issue

from .test_sending import make_issue

pytestmark = pytest.mark.django_db


def test_write_test_and_send(client, coordinator, subscribe_to, django_capture_on_commit_callbacks):
    subscribe_to("nl@example.org", "nl")
    subscribe_to("fr@example.org", "fr")
    client.force_login(coordinator)
    response = client.post("/nl/admin/newsletters/issue/add/", {
        "subject_nl": "Lente", "subject_fr": "Printemps", "body_nl": "Tekst", "body_fr": "Texte", "languages": "both",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0"})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    issue = Issue.objects.get()
    assert issue.created_by == coordinator and issue.status == Issue.Status.DRAFT
    change = client.get(f"/nl/admin/newsletters/issue/{issue.pk}/change/").content.decode()
    assert f"/fr/newsletter/issues/{issue.pk}/" in change and f"/nl/newsletter/issues/{issue.pk}/" in change  # previews

    tested = client.post(f"/nl/admin/newsletters/issue/{issue.pk}/test/", follow=True)
    assert [m.to for m in mail.outbox] == [["coord@example.org"], ["coord@example.org"]]
    assert "(Nederlands, Frans)" in tested.content.decode()  # the languages by their names

    confirm = client.get(f"/nl/admin/newsletters/issue/{issue.pk}/send/")
    assert confirm.context["counts"] == {"nl": 1, "fr": 1}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/nl/admin/newsletters/issue/{issue.pk}/send/")
    assert response["Location"] == f"/nl/admin/newsletters/issue/{issue.pk}/progress/"
    assert sorted(m.to[0] for m in mail.outbox[2:]) == ["fr@example.org", "nl@example.org"]
    progress = client.get(response["Location"])
    assert progress.context["p"]["sent"] == 2 and progress.context["p"]["percent"] == 100

    # Sent: the issue stays as it was sent.
    client.post(f"/nl/admin/newsletters/issue/{issue.pk}/change/", {"subject_nl": "Anders"})
    assert Issue.objects.get().subject_nl == "Lente"
    client.post(f"/nl/admin/newsletters/issue/{issue.pk}/send/")
    assert Delivery.objects.count() == 2


def test_an_unfinished_issue_is_not_sent(client, coordinator, subscribe_to):
    subscribe_to("fr@example.org", "fr")
    issue = make_issue(body_fr="")
    client.force_login(coordinator)
    page = client.get(f"/nl/admin/newsletters/issue/{issue.pk}/send/")
    assert len(page.context["problems"]) == 1 and "(Frans)" in page.context["problems"][0]  # names the field
    client.post(f"/nl/admin/newsletters/issue/{issue.pk}/send/")
    assert Issue.objects.get().status == Issue.Status.DRAFT and not mail.outbox


def test_others_cannot_send(client, subscribe_to, moderator, resident):
    subscribe_to("nl@example.org", "nl")
    issue = make_issue()
    for user in (moderator, resident):
        client.force_login(user)
        response = client.post(f"/nl/admin/newsletters/issue/{issue.pk}/send/")
        assert response.status_code in (302, 403)
        assert Issue.objects.get().status == Issue.Status.DRAFT and not mail.outbox


def test_subscribers_are_not_added_by_hand(client, coordinator, subscribe_to):
    subscribe_to("nl@example.org", "nl")
    client.force_login(coordinator)
    listing = client.get("/nl/admin/newsletters/subscription/")
    assert listing.status_code == 200 and b"nl@example.org" in listing.content
    assert client.get("/nl/admin/newsletters/subscription/add/").status_code == 403


def test_the_list_of_issues_shows_each_ones_progress_in_a_fixed_number_of_queries(client, coordinator, subscribe_to):
    readers = [subscribe_to(f"reader{i}@example.org", "nl") for i in range(3)]
    client.force_login(coordinator)

    def listed():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/nl/admin/newsletters/issue/")
        assert page.status_code == 200
        return page.content.decode(), len(queries)

    sent = make_issue(subject_nl="Verzonden", status=Issue.Status.SENT)
    Delivery.objects.bulk_create([
        Delivery(issue=sent, subscription=reader, status=status)
        for reader, status in zip(readers, [Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.PENDING])])
    content, one = listed()
    assert "2 / 3" in content  # sent and failed are done, the pending one is not
    for i in range(4):
        other = make_issue(subject_nl=f"Nummer {i}", status=Issue.Status.SENT)
        Delivery.objects.create(issue=other, subscription=readers[0], status=Delivery.Status.SENT)
    make_issue(subject_nl="Concept")
    content, six = listed()
    assert six == one and content.count("1 / 1") == 4 and "Concept" in content
