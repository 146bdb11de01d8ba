"""Every notification is sent whatever the title it is about: a line break (or a header smuggled after one) in an
idea's, an application's or an event's title never makes a message fail or add a header."""
import datetime

import pytest
from django.core import mail as outbox
from django.utils import timezone

from partons.calls.models import Application, Call
from partons.calls.services import notify_decisions
from partons.core import mail
from partons.core.roles import Role
from partons.events import services as event_services
from partons.events.models import Event
from partons.ideas import services as idea_services
from partons.ideas.models import Follow, Idea

from ..conftest import make_user

HOSTILE = "Een bank\r\nBcc: victim@example.org\nbij de kerk"


def check_sent(expected: int):
    assert len(outbox.outbox) == expected
    for message in outbox.outbox:
        headers = message.message()  # what would go over the wire: Django raises BadHeaderError here on a line break
        assert "\n" not in message.subject and "\r" not in message.subject
        assert "Een bank Bcc: victim@example.org bij de kerk" in message.subject
        assert headers["Bcc"] is None and message.bcc == []


@pytest.mark.django_db
def test_the_sender_makes_any_subject_one_line():
    mail.send("someone@example.org", "[Partons] " + HOSTILE, "Body")
    check_sent(1)
    assert outbox.outbox[0].subject == "[Partons] Een bank Bcc: victim@example.org bij de kerk"


@pytest.mark.django_db
def test_idea_notifications_with_a_hostile_title(territory, resident, moderator, django_capture_on_commit_callbacks):
    idea = Idea.objects.create(title=HOSTILE, description="x", theme="services", language="nl",
                               village=territory["villages"]["kemmel"], author=resident)
    follower = make_user("follower@example.org", role=Role.RESIDENT)
    Follow.objects.create(idea=idea, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        idea_services.comment(idea=idea, by=make_user("talker@example.org", role=Role.RESIDENT), body="Goed idee")
        idea_services.change_status(by=moderator, idea=idea, status="under_review", answer="We kijken ernaar")
    assert {m.to[0] for m in outbox.outbox} >= {"follower@example.org"}
    check_sent(len(outbox.outbox))
    assert len(outbox.outbox) >= 2  # the comment and the status change both reached the follower


@pytest.mark.django_db
def test_call_decision_and_event_mails_with_a_hostile_title(territory, resident, django_capture_on_commit_callbacks):
    now = timezone.now()
    call = Call.objects.create(slug="c", title_nl=HOSTILE, title_fr=HOSTILE, text_nl="t", text_fr="t", budget_cents=100,
                               ceiling_cents=100, expected_projects=1, opens_at=now - datetime.timedelta(days=60),
                               deadline=now - datetime.timedelta(days=30), published=True, results_published_at=now)
    app = Application.objects.create(call=call, applicant=resident, organisation="Dorpsraad",
                                     applicant_type="village_council", title=HOSTILE, idea="i", participants="p",
                                     timeline="t", status="selected")
    notify_decisions.call([app.pk])
    event = Event.objects.create(slug="e", type="meeting", title_nl=HOSTILE, title_fr=HOSTILE,
                                 starts_at=now + datetime.timedelta(days=3), ends_at=now + datetime.timedelta(days=3, hours=2),
                                 village=territory["villages"]["kemmel"], published=True)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.register(by=make_user("guest@example.org", role=Role.RESIDENT), event=event)
    check_sent(2)


@pytest.mark.django_db
def test_a_message_to_an_account_is_in_its_language_and_an_inactive_account_gets_none(territory):
    now = timezone.now()
    call = Call.objects.create(slug="c", title_nl="Leefbare dorpen", title_fr="Villages vivants", text_nl="t", text_fr="t",
                               budget_cents=100, ceiling_cents=100, expected_projects=1,
                               opens_at=now - datetime.timedelta(days=60), deadline=now - datetime.timedelta(days=30),
                               published=True, results_published_at=now)
    chloe = make_user("chloe@example.org")
    chloe.preferred_language = "fr"
    chloe.save()
    gone = make_user("gone@example.org")
    gone.is_active = False  # an account closed by its owner or blocked
    gone.save()
    apps = [Application.objects.create(call=call, applicant=user, organisation="Comité", applicant_type="village_council",
                                       title="Un café", idea="i", participants="p", timeline="t", status="selected")
            for user in (chloe, gone)]
    notify_decisions.call([a.pk for a in apps])
    assert [m.to for m in outbox.outbox] == [["chloe@example.org"]]
    message = outbox.outbox[0]
    assert message.subject == "[Partons] Votre candidature « Un café » : sélectionnée".replace(" »", "\u00a0»").replace(
        "« ", "«\u00a0").replace(" :", "\u00a0:")
    assert f"/fr/calls/applications/{apps[0].pk}/" in message.body  # the link opens the page in French


def test_account_emails_name_the_sites_own_address_not_localhost(settings, db):
    from django.contrib.sites.models import Site

    from partons.core.roles import sync_role_groups_after_migrate

    settings.SITE_URL = "https://partons.example.org"
    Site.objects.filter(pk=1).update(name="example.com", domain="example.com")  # as a flush leaves it
    sync_role_groups_after_migrate()
    site = Site.objects.get(pk=1)
    assert (site.name, site.domain) == ("Partons", "partons.example.org")
    # an address an operator chose is left as it is
    Site.objects.filter(pk=1).update(domain="westhoek.example")
    sync_role_groups_after_migrate()
    assert Site.objects.get(pk=1).domain == "westhoek.example"
