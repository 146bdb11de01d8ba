"""An issue: ready only when written for its readers, sent to the audience it was given (language, themes, places),
each reader once, in their language, with an unsubscribe link; sending in batches, a failure never stopping the rest,
and a sending interrupted by a restart resumed without anyone getting the issue twice."""
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from partons.events.models import Event
from partons.newsletters import selectors, services
from partons.newsletters.models import Delivery, Issue, Subscription

from ..conftest import make_user, url

pytestmark = pytest.mark.django_db


def make_issue(**fields):
    values = {"subject_nl": "Nieuws uit de dorpen", "subject_fr": "Nouvelles des villages",
              "body_nl": "## Oproep\n\nDien uw **project** in.", "body_fr": "## Appel\n\nDéposez votre **projet**."}
    values.update(fields)
    return Issue.objects.create(**values)


@pytest.fixture
def readers(territory, subscribe_to):
    v = territory["villages"]
    return {
        "nl_all": subscribe_to("nl-all@example.org", "nl"),
        "fr_all": subscribe_to("fr-all@example.org", "fr"),
        "nl_mobility": subscribe_to("nl-mob@example.org", "nl", themes=["mobility"]),
        "nl_kemmel": subscribe_to("nl-kemmel@example.org", "nl", villages=[v["kemmel"]]),
        "fr_bergues": subscribe_to("fr-bergues@example.org", "fr", municipalities=[territory["bergues"]]),
        "fr_heuvelland": subscribe_to("fr-heuvelland@example.org", "fr", municipalities=[territory["heuvelland"]]),
    }


def emails(qs):
    return sorted(s.email for s in qs)


def test_audience_by_language_theme_and_place(territory, readers):
    everyone = make_issue()
    assert emails(selectors.audience(everyone)) == emails(readers.values())
    pending = Subscription.objects.create(email="pending@example.org", language="nl")
    assert pending not in selectors.audience(everyone)  # never confirmed: never sent anything

    dutch = make_issue(languages=Issue.Languages.NL)
    assert emails(selectors.audience(dutch)) == ["nl-all@example.org", "nl-kemmel@example.org", "nl-mob@example.org"]

    participation = make_issue(themes=["participation"])
    assert "nl-mob@example.org" not in emails(selectors.audience(participation))  # chose another theme
    assert "nl-all@example.org" in emails(selectors.audience(participation))  # chose none: every theme
    mobility = make_issue(themes=["mobility", "landscape_heritage"])
    assert "nl-mob@example.org" in emails(selectors.audience(mobility))

    # An issue about Kemmel (in Heuvelland): those following Kemmel, Heuvelland or the whole region.
    kemmel = make_issue()
    kemmel.villages.set([territory["villages"]["kemmel"]])
    assert emails(selectors.audience(kemmel)) == ["fr-all@example.org", "fr-heuvelland@example.org",
                                                  "nl-all@example.org", "nl-kemmel@example.org", "nl-mob@example.org"]
    # An issue about Heuvelland reaches those following one of its villages too; not Bergues'.
    heuvelland = make_issue()
    heuvelland.municipalities.set([territory["heuvelland"]])
    assert "nl-kemmel@example.org" in emails(selectors.audience(heuvelland))
    assert "fr-bergues@example.org" not in emails(selectors.audience(heuvelland))
    assert selectors.audience_counts(heuvelland) == {"nl": 3, "fr": 2}


def test_an_issue_needs_its_texts_and_images(db):
    issue = make_issue(body_fr="")
    with pytest.raises(ValidationError) as exc:
        services.check_ready(issue)
    assert list(exc.value.message_dict) == ["body_fr"]
    issue.languages = Issue.Languages.NL
    services.check_ready(issue)  # control: a Dutch-only issue needs no French
    issue.body_nl = "Zie ![de kaart](image:2)"
    with pytest.raises(ValidationError) as exc:
        services.check_ready(issue)
    assert "image:2" in exc.value.message_dict["body_nl"][0]


def test_sending_reaches_each_reader_once_in_their_language(coordinator, readers, django_capture_on_commit_callbacks):
    issue = make_issue()
    with django_capture_on_commit_callbacks(execute=True):
        n = services.start_sending(by=coordinator, issue=issue)
    assert n == len(readers)
    assert sorted(m.to[0] for m in mail.outbox) == emails(readers.values())
    by_address = {m.to[0]: m for m in mail.outbox}
    nl, fr = by_address["nl-all@example.org"], by_address["fr-all@example.org"]
    assert nl.subject == "Nieuws uit de dorpen" and "Dien uw **project** in." in nl.body
    assert fr.subject == "Nouvelles des villages" and "<strong>projet</strong>" in fr.alternatives[0][0]
    sub = readers["fr_all"]
    assert f"/fr/newsletter/unsubscribe/{sub.token}/" in fr.body
    assert fr.extra_headers["List-Unsubscribe"].endswith(f"/fr/newsletter/unsubscribe/{sub.token}/>")
    assert fr.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert readers["nl_all"].token not in fr.body  # each message carries its reader's own link
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT and issue.sent_at and issue.sent_by == coordinator
    assert selectors.progress(issue)["sent"] == len(readers)
    with pytest.raises(ValidationError):  # an issue is sent once
        services.start_sending(by=coordinator, issue=issue)


def test_only_coordinators_send(readers, coordinator, django_capture_on_commit_callbacks):
    issue = make_issue()
    resident = make_user("someone@example.org")
    with pytest.raises(PermissionDenied):
        services.start_sending(by=resident, issue=issue)
    with pytest.raises(PermissionDenied):
        services.send_test(by=resident, issue=issue)
    assert not mail.outbox and not Delivery.objects.exists()
    services.send_test(by=coordinator, issue=issue)  # control
    assert [m.to for m in mail.outbox] == [["coord@example.org"]] * 2
    assert all(m.subject.startswith("[TEST] ") for m in mail.outbox)
    assert not Delivery.objects.exists()  # a test is not a sending
    # its links lead where a reader's would: the newsletter's page in each language (the coordinator subscribes to
    # nothing), the coordinator's own subscription page once they subscribe
    assert "/nl/newsletter/" in mail.outbox[0].body and "/fr/newsletter/" in mail.outbox[1].body
    own = Subscription.objects.create(email="coord@example.org", language="nl", status=Subscription.Status.CONFIRMED,
                                      consent_at=timezone.now())
    services.send_test(by=coordinator, issue=issue)
    assert own.get_manage_url() in mail.outbox[2].body and own.get_unsubscribe_url() in mail.outbox[2].body
    assert Subscription.objects.filter(pk=own.pk).exists()


def test_batches_follow_the_rate(settings, coordinator, readers, django_capture_on_commit_callbacks):
    settings.NEWSLETTER_RATE = "2/min"
    issue = make_issue()
    with mock.patch("partons.newsletters.services.enqueue_after") as later:
        with django_capture_on_commit_callbacks(execute=True):
            services.start_sending(by=coordinator, issue=issue)
    assert len(mail.outbox) == 2  # one batch of two, the next one queued a minute after the first began
    (task_, when), kwargs = later.call_args
    assert kwargs == {"issue_id": issue.pk}
    assert 59 <= (when - Issue.objects.get(pk=issue.pk).sending_started_at).total_seconds() <= 61
    # The embedded default cannot wait: it sends the next batches at once.
    services.send_batch.call(issue_id=issue.pk)
    assert len(mail.outbox) == len(readers)
    assert len({m.to[0] for m in mail.outbox}) == len(readers)


def test_one_failure_does_not_stop_the_others(coordinator, readers, django_capture_on_commit_callbacks):
    real_send = services.mail.send

    def flaky(to, *args, **kwargs):
        if to == "fr-bergues@example.org":
            raise smtplib.SMTPRecipientsRefused({to: (550, b"mailbox unavailable")})
        return real_send(to, *args, **kwargs)

    issue = make_issue()
    with mock.patch.object(services.mail, "send", side_effect=flaky):
        with django_capture_on_commit_callbacks(execute=True):
            services.start_sending(by=coordinator, issue=issue)
    assert len(mail.outbox) == len(readers) - 1
    failed = Delivery.objects.get(status=Delivery.Status.FAILED)
    assert failed.subscription == readers["fr_bergues"] and "mailbox unavailable" in failed.error
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    p = selectors.progress(issue)
    assert (p["sent"], p["failed"], p["done"], p["percent"]) == (len(readers) - 1, 1, len(readers), 100)


class Crash(BaseException):
    """The worker's process killed in the middle of a message (not an error the sending loop would catch)."""


def test_interrupted_and_resumed_without_duplicates(coordinator, readers, django_capture_on_commit_callbacks):
    issue = make_issue()
    with django_capture_on_commit_callbacks(execute=False):  # the queue has not run the first batch yet
        services.start_sending(by=coordinator, issue=issue)
    assert Delivery.objects.filter(issue=issue, status=Delivery.Status.PENDING).count() == len(readers)
    real_send, calls = services.mail.send, []

    def dies_on_the_third(to, *args, **kwargs):
        calls.append(to)
        if len(calls) == 3:
            real_send(to, *args, **kwargs)  # handed to the mail server…
            raise Crash  # …and the process dies before writing it down
        return real_send(to, *args, **kwargs)

    with mock.patch.object(services.mail, "send", side_effect=dies_on_the_third), pytest.raises(Crash):
        services.send_batch.call(issue_id=issue.pk)
    assert len(mail.outbox) == 3
    assert Delivery.objects.filter(status=Delivery.Status.CLAIMED).count() == 1
    # After the restart: the worker resumes every issue left sending.
    call_command("resume_newsletters", stdout=open("/dev/null", "w"))
    received = [m.to[0] for m in mail.outbox]
    assert sorted(received) == emails(readers.values())  # everyone got it…
    assert len(received) == len(set(received))  # …once
    p = selectors.progress(Issue.objects.get(pk=issue.pk))
    assert (p["sent"], p["interrupted"], p["pending"], p["claimed"]) == (len(readers) - 1, 1, 0, 0)
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT


def test_an_unsubscribed_reader_is_skipped(coordinator, readers, client, django_capture_on_commit_callbacks):
    issue = make_issue()
    with django_capture_on_commit_callbacks(execute=False):
        services.start_sending(by=coordinator, issue=issue)
    client.post(readers["nl_all"].get_unsubscribe_url())
    services.send_batch.call(issue_id=issue.pk)
    assert "nl-all@example.org" not in [m.to[0] for m in mail.outbox]
    assert len(mail.outbox) == len(readers) - 1


def test_what_was_sent_stays_counted_after_the_reader_leaves(coordinator, readers, client,
                                                             django_capture_on_commit_callbacks):
    issue = make_issue()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(by=coordinator, issue=issue)
    sent = selectors.progress(Issue.objects.get(pk=issue.pk))["sent"]
    assert sent == len(readers)  # positive control: everyone got it
    client.post(readers["nl_all"].get_unsubscribe_url())
    assert not Subscription.objects.filter(email="nl-all@example.org").exists()
    p = selectors.progress(Issue.objects.get(pk=issue.pk))
    assert (p["sent"], p["total"]) == (sent, sent)  # the figures of the issue stay…
    assert Delivery.objects.filter(issue=issue, subscription=None).count() == 1  # …without the address


def test_the_text_is_cleaned_and_links_point_at_public_pages(coordinator, territory, readers):
    issue = make_issue(body_nl="Kom <script>alert(1)</script> [kijken](https://example.org/a) "
                               "[hier](javascript:alert(1))")
    shown = Event.objects.create(slug="ontdekkingsdag", title_nl="Ontdekkingsdag", title_fr="Journée découverte",
                                 village=territory["villages"]["kemmel"], starts_at="2027-05-01T10:00Z",
                                 ends_at="2027-05-01T16:00Z", published=True)
    hidden = Event.objects.create(slug="geheim", title_nl="Nog geheim", title_fr="Encore secret",
                                  village=territory["villages"]["kemmel"], starts_at="2027-06-01T10:00Z",
                                  ends_at="2027-06-01T16:00Z", published=False)
    issue.events.set([shown, hidden])
    rendered = services.render(issue, "nl")
    assert "<script>" not in rendered["html"] and "javascript:" not in rendered["html"]
    assert '<a href="https://example.org/a" rel="noopener">kijken</a>' in rendered["html"]
    assert [link["title"] for link in rendered["links"]] == ["Ontdekkingsdag"]
    assert rendered["links"][0]["url"].endswith(url("events:detail", slug="ontdekkingsdag"))


def test_a_link_to_a_page_of_the_site_written_as_its_path_leads_there_from_a_mail_program(coordinator, readers, settings):
    settings.SITE_URL = "https://partons.example.org"
    issue = make_issue(body_nl="Lees [de oproep](/nl/calls/oproep/) of [de agenda][a].\n\n[a]: /nl/events/\n\n"
                               "[Elders](https://example.org/nl/) en [een gedeelde map](//example.org/x)\n\n"
                               'Of <a href="/nl/ideas/">de ideeënbus</a>, in HTML geschreven.')
    rendered = services.render(issue, "nl")
    assert '<a href="https://partons.example.org/nl/ideas/" rel="noopener">de ideeënbus</a>' in rendered["html"]
    assert '<a href="https://partons.example.org/nl/calls/oproep/" rel="noopener">de oproep</a>' in rendered["html"]
    assert '<a href="https://partons.example.org/nl/events/" rel="noopener">de agenda</a>' in rendered["html"]
    assert "(https://partons.example.org/nl/calls/oproep/)" in rendered["text"]
    assert "[a]: https://partons.example.org/nl/events/" in rendered["text"]
    # positive controls: an address of another site, or one without its scheme, is left as written
    assert '<a href="https://example.org/nl/" rel="noopener">Elders</a>' in rendered["html"]
    assert "(//example.org/x)" in rendered["text"]


def test_archive_and_preview(client, coordinator, readers, django_capture_on_commit_callbacks):
    sent = make_issue()
    dutch_only = make_issue(languages=Issue.Languages.NL, subject_nl="Alleen in het Nederlands", subject_fr="")
    draft = make_issue(subject_nl="Nog niet verstuurd")
    with django_capture_on_commit_callbacks(execute=True):
        services.start_sending(by=coordinator, issue=sent)
        services.start_sending(by=coordinator, issue=dutch_only)
    nl = client.get("/nl/newsletter/").content.decode()
    fr = client.get("/fr/newsletter/").content.decode()
    assert "Nieuws uit de dorpen" in nl and "Alleen in het Nederlands" in nl and "Nog niet verstuurd" not in nl
    assert "Nouvelles des villages" in fr and "Alleen in het Nederlands" not in fr
    page = client.get(f"/fr/newsletter/issues/{sent.pk}/").content.decode()
    assert "Déposez votre <strong>projet</strong>" in page
    assert f'href="/nl/newsletter/issues/{sent.pk}/" hreflang="nl"' in page  # the other language's version
    assert client.get(f"/nl/newsletter/issues/{draft.pk}/").status_code == 404  # not sent: not public
    client.force_login(coordinator)
    preview = client.get(f"/nl/newsletter/issues/{draft.pk}/")
    assert preview.status_code == 200 and preview.context["is_preview"]


def test_an_image_of_the_issue_in_its_text(client, coordinator, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from partons.newsletters.models import IssueImage

    settings.MEDIA_ROOT = tmp_path
    buf = io.BytesIO()
    Image.new("RGB", (40, 20), "#1d4f91").save(buf, format="PNG")
    issue = make_issue(body_nl="Zie ![de kaart](image:1)", languages=Issue.Languages.NL)
    image = IssueImage.objects.create(issue=issue, number=1, alt_nl="de kaart", alt_fr="la carte",
                                      image=SimpleUploadedFile("kaart.png", buf.getvalue(), content_type="image/png"))
    services.check_ready(issue)  # the number the text names exists
    html = services.render(issue, "nl")["html"]
    assert 'src="http://' in html and image.get_absolute_url() in html and 'alt="de kaart"' in html
    assert client.get(image.get_absolute_url()).status_code == 404  # a draft's image is not public…
    client.force_login(coordinator)
    assert client.get(image.get_absolute_url())["Content-Type"] == "image/png"  # …but its writer previews it
    client.logout()
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT)
    response = client.get(image.get_absolute_url())
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"  # sent: public
