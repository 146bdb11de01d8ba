"""The idea box's rules: submission, supports counted once, comments and replies with e-mails to followers,
the public status workflow, moderation that hides (never deletes) with a reason, paper ideas, GDPR."""
import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from partons.core.gdpr import erase_account, export_personal_data
from partons.core.roles import Role
from partons.ideas import services
from partons.ideas.models import Comment, Idea, ModerationAction, Status, Support

from ..conftest import make_user


@pytest.fixture
def idea(territory, resident):
    return services.submit_idea(by=resident, title="Een buurtwinkel in Loker", description="Sinds de bakker dicht is…",
                                theme="services", language="nl", village=territory["villages"]["loker"])


@pytest.fixture
def neighbour(db):
    u = make_user("neighbour@example.org", role=Role.RESIDENT)
    u.preferred_language = "fr"
    u.save()
    return u


@pytest.mark.django_db
def test_submitting_an_idea(idea, resident):
    assert idea.status == Status.RECEIVED and idea.source == "online" and idea.language == "nl"
    assert list(idea.status_changes.values_list("new", flat=True)) == ["received"]
    assert idea.follows.filter(user=resident).exists()  # the author follows their idea
    assert "loker" in idea.search_text and "buurtwinkel" in idea.search_text


@pytest.mark.django_db
def test_an_idea_needs_a_place_and_valid_fields(territory, resident):
    with pytest.raises(ValidationError) as exc:
        services.submit_idea(by=resident, title="x", description="y", theme="services", language="nl")
    assert "village" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.submit_idea(by=resident, title="x" * 151, description="y", theme="nope", language="de",
                             village=territory["villages"]["loker"])
    assert {"title", "theme", "language"} <= set(exc.value.message_dict)
    # A point on the map is enough.
    idea = services.submit_idea(by=resident, title="Bankje", description="Aan de kerk", theme="meeting_places",
                                language="nl", lon=2.77, lat=50.78)
    assert idea.point == (2.77, 50.78)


@pytest.mark.django_db
def test_anonymous_visitors_cannot_submit(territory):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.submit_idea(by=AnonymousUser(), title="x", description="y", theme="other", language="nl",
                             village=territory["villages"]["loker"])


@pytest.mark.django_db
def test_support_once_and_withdraw(idea, neighbour):
    assert services.support(idea=idea, by=neighbour) is True
    assert services.support(idea=idea, by=neighbour) is False  # a second time changes nothing
    idea.refresh_from_db()
    assert idea.supports_count == 1 == Support.objects.filter(idea=idea).count()
    assert services.withdraw_support(idea=idea, by=neighbour) is True
    assert services.withdraw_support(idea=idea, by=neighbour) is False
    idea.refresh_from_db()
    assert idea.supports_count == 0


@pytest.mark.django_db
def test_comments_replies_and_e_mails_to_followers(idea, resident, neighbour, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        c = services.comment(idea=idea, by=neighbour, body="Bonne idée, je participe !")
    # The author (a follower) is told, in their language; the writer follows from now on.
    assert [m.to for m in mail.outbox] == [["resident@example.org"]]
    assert "Bonne idée" in mail.outbox[0].body
    assert idea.follows.filter(user=neighbour).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.comment(idea=idea, by=resident, body="Merci!", parent=c)
    assert [m.to for m in mail.outbox] == [["neighbour@example.org"]]
    assert mail.outbox[0].subject.startswith("[Partons] Nouvelle réponse")  # in the reader's language
    idea.refresh_from_db()
    assert idea.comments_count == 2
    with pytest.raises(ValidationError):
        services.comment(idea=idea, by=resident, body="   ")


@pytest.mark.django_db
def test_status_workflow_with_a_public_history(idea, moderator, resident, neighbour, django_capture_on_commit_callbacks):
    services.follow(idea=idea, by=neighbour)
    with pytest.raises(PermissionDenied):
        services.change_status(idea=idea, by=resident, status="under_review")
    with django_capture_on_commit_callbacks(execute=True):
        services.change_status(idea=idea, by=moderator, status="under_review")
    assert sorted(m.to[0] for m in mail.outbox) == ["neighbour@example.org", "resident@example.org"]
    # Declining needs a reason; a jump the workflow does not allow is refused.
    with pytest.raises(ValidationError) as exc:
        services.change_status(idea=idea, by=moderator, status="declined")
    assert "answer" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.change_status(idea=idea, by=moderator, status="realised")
    assert "status" in exc.value.message_dict
    services.change_status(idea=idea, by=moderator, status="sent_to_municipality",
                           answer="De gemeente Heuvelland bekijkt het.")
    services.change_status(idea=idea, by=moderator, status="realised", answer="Open sinds maart!")
    idea.refresh_from_db()
    assert [h.new for h in idea.status_changes.all()] == ["received", "under_review", "sent_to_municipality", "realised"]
    assert idea.answer == "Open sinds maart!"


@pytest.mark.django_db
def test_merging_into_another_idea(idea, moderator, resident, territory):
    other = services.submit_idea(by=resident, title="Winkel", description="…", theme="services", language="nl",
                                 village=territory["villages"]["loker"])
    with pytest.raises(ValidationError):
        services.change_status(idea=other, by=moderator, status="merged", answer="Zelfde idee")
    services.change_status(idea=other, by=moderator, status="merged", answer="Zelfde idee", merged_into=idea)
    assert list(idea.merged_ideas.all()) == [other]


@pytest.mark.django_db
def test_moderation_hides_with_a_reason_and_never_deletes(idea, moderator, neighbour):
    c = services.comment(idea=idea, by=neighbour, body="spam spam")
    f = services.flag(by=idea.author, reason="Reclame", comment_=c)
    with pytest.raises(ValidationError):
        services.hide(by=moderator, reason="", comment_=c)
    services.hide(by=moderator, reason="Reclame is niet toegelaten", comment_=c)
    c.refresh_from_db()
    f.refresh_from_db()
    assert c.hidden and c.body == "spam spam" and c.hidden_reason == "Reclame is niet toegelaten"
    assert f.handled_at is not None
    idea.refresh_from_db()
    assert idea.comments_count == 0
    services.restore(by=moderator, comment_=c)
    c.refresh_from_db()
    assert not c.hidden
    services.hide(by=moderator, reason="Dubbel", idea=idea)
    assert not Idea.objects.visible().filter(pk=idea.pk).exists() and Idea.objects.filter(pk=idea.pk).exists()
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["hide", "restore", "hide"]
    with pytest.raises(PermissionDenied):
        services.hide(by=neighbour, reason="x", idea=idea)


@pytest.mark.django_db
def test_paper_ideas_are_recorded_by_coordinators(territory, coordinator, resident):
    box = territory["villages"]["kemmel"]
    with pytest.raises(PermissionDenied):
        services.record_paper_idea(by=resident, title="t", description="d", theme="other", language="nl",
                                   paper_box=box, received_on=datetime.date(2019, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.record_paper_idea(by=coordinator, title="t", description="d", theme="other", language="nl",
                                   paper_box=box, received_on=datetime.date.today() + datetime.timedelta(days=2))
    assert "received_on" in exc.value.message_dict
    idea = services.record_paper_idea(by=coordinator, title="Speeltuin", description="Voor de kinderen", theme="youth",
                                      language="nl", paper_box=box, received_on=datetime.date(2019, 5, 1))
    assert idea.source == "paper" and idea.village == box and idea.author is None and idea.recorded_by == coordinator


@pytest.mark.django_db
def test_personal_data_export_and_erasure(idea, resident, neighbour):
    services.support(idea=idea, by=neighbour)
    services.comment(idea=idea, by=neighbour, body="Goed idee")
    data = export_personal_data(neighbour)
    assert data["ideas"]["supports"][0]["idea"] == idea.pk and data["ideas"]["comments"][0]["body"] == "Goed idee"
    erase_account(neighbour, password="a-long-test-password")
    idea.refresh_from_db()
    assert idea.supports_count == 0 and not Support.objects.exists()
    assert Comment.objects.get().author is None and Comment.objects.get().body == "Goed idee"
    erase_account(resident, password="a-long-test-password")
    assert Idea.objects.get(pk=idea.pk).author is None


@pytest.mark.django_db
def test_hiding_or_restoring_twice_keeps_the_count(idea, moderator, neighbour):
    c = services.comment(idea=idea, by=neighbour, body="a")
    services.comment(idea=idea, by=neighbour, body="b")
    assert services.hide(by=moderator, reason="r", comment_=c) is True
    assert services.hide(by=moderator, reason="r", comment_=Comment.objects.get(pk=c.pk)) is False  # a stale page
    idea.refresh_from_db()
    assert idea.comments_count == 1
    stale = Comment.objects.get(pk=c.pk)
    assert services.restore(by=moderator, comment_=stale) is True
    assert services.restore(by=moderator, comment_=stale) is False
    idea.refresh_from_db()
    assert idea.comments_count == 2
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["hide", "restore"]


@pytest.mark.django_db
def test_a_stale_page_cannot_support_or_comment_a_hidden_idea(idea, moderator, neighbour):
    stale = Idea.objects.get(pk=idea.pk)
    services.hide(by=moderator, reason="Dubbel", idea=Idea.objects.get(pk=idea.pk))
    with pytest.raises(ValidationError):
        services.support(idea=stale, by=neighbour)
    with pytest.raises(ValidationError):
        services.comment(idea=stale, by=neighbour, body="toch")
    assert not Support.objects.exists() and not Comment.objects.exists()
