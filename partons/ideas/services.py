"""Every write of the idea box, in one transaction each, with its permission check, its history and its
e-mails (sent after the commit, in each reader's language)."""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partons.core import mail
from partons.core.ratelimit import hit
from partons.core.roles import Role, require_role
from partons.core.tasks import task
from partons.core.text import fold

from . import permissions
from .models import (NEEDS_ANSWER, TRANSITIONS, Comment, Flag, Follow, Idea, IdeaPhoto, ModerationAction, Source, Status,
                     StatusChange, Support)

MAX_PHOTOS = 3


def _search_text(idea: Idea) -> str:
    parts = [idea.title, idea.description]
    v = idea.village
    if v is not None:
        parts += [v.name_nl or "", v.name_fr or "", v.municipality.name_nl or "", v.municipality.name_fr or ""]
    return fold(" ".join(parts))


def submit_idea(*, by, photos=(), ip: str = "", **fields) -> Idea:
    """A resident's idea, online (``fields``: the idea's own, as the form cleans them). The author follows it."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    hit(f"idea:user:{by.pk}", limit=10, window_s=3600)
    if ip:
        hit(f"idea:ip:{ip}", limit=30, window_s=3600)
    return _create(by=by, photos=photos, source=Source.ONLINE, **fields)


def record_paper_idea(*, by, paper_box, received_on: datetime.date | None, photos=(), **fields) -> Idea:
    """An idea that came in on paper, in the idea box of a village, recorded by a coordinator."""
    require_role(by, Role.COORDINATOR)
    if paper_box is None:
        raise ValidationError({"paper_box": _("Say which village's idea box it came from.")})
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Give the day it was found in the box (not in the future).")})
    fields["village"] = fields.get("village") or paper_box
    return _create(by=None, photos=photos, source=Source.PAPER, paper_box=paper_box, received_on=received_on,
                   recorded_by=by, **fields)


def _create(*, by, photos, source, paper_box=None, received_on=None, recorded_by=None, **fields) -> Idea:
    unknown = sorted(set(fields) - set(Idea.SUBMITTED_FIELDS))
    if unknown:
        raise TypeError(f"not written by an idea's author: {', '.join(unknown)}")
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}})
    idea = Idea(author=by, source=source, paper_box=paper_box, received_on=received_on, recorded_by=recorded_by, **fields)
    if idea.lon is None and idea.village is None:
        raise ValidationError({"village": _("Choose a village or click a point on the map.")})
    _place(idea)
    idea.full_clean(exclude=["search_text"])
    with transaction.atomic():
        idea.search_text = _search_text(idea)
        idea.save()
        for photo in photos:
            IdeaPhoto.objects.create(idea=idea, image=photo)
        StatusChange.objects.create(idea=idea, old="", new=Status.RECEIVED, by=by)
        if by is not None:
            Follow.objects.get_or_create(idea=idea, user=by)
    return idea


def _place(idea: Idea) -> None:
    """A point must lie in the region, and in the chosen village's municipality; without a village, the village is
    the one the point lies in (the same rule as citizen reports and imported services)."""
    if idea.lon is None or idea.lat is None:
        return
    from partons.observatory.spatial import VillageLocator
    from partons.territory.models import Village

    found = VillageLocator().locate(idea.lon, idea.lat)
    if found is None:
        raise ValidationError({"lon": _("This point lies outside the region: place it in one of its villages.")})
    located = Village.objects.select_related("municipality").get(pk=found)
    if idea.village is None:
        idea.village = located
    elif located.municipality_id != idea.village.municipality_id:
        raise ValidationError({"village": _(
            "The point on the map lies in %(there)s (%(muni)s), not in the municipality of %(village)s: move the point "
            "or choose %(there)s.") % {"there": located.name, "muni": located.municipality.name,
                                       "village": idea.village.name}})


def _require_visible(idea: Idea) -> None:
    """Checked against the database, not the (possibly stale) object in hand."""
    if Idea.objects.filter(pk=idea.pk, hidden=True).exists():
        raise ValidationError(_("This idea is hidden."))


def support(*, idea: Idea, by) -> bool:
    """Support an idea once; True when this call added the support (a second call changes nothing)."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    hit(f"support:{by.pk}", limit=300, window_s=3600)
    try:
        with transaction.atomic():
            _require_visible(idea)
            Support.objects.create(idea=idea, user=by)
            Idea.objects.filter(pk=idea.pk).update(supports_count=F("supports_count") + 1, updated_at=timezone.now())
    except IntegrityError:
        return False
    return True


def withdraw_support(*, idea: Idea, by) -> bool:
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    with transaction.atomic():
        deleted, _x = Support.objects.filter(idea=idea, user=by).delete()
        if deleted:
            Idea.objects.filter(pk=idea.pk).update(supports_count=F("supports_count") - 1, updated_at=timezone.now())
    return bool(deleted)


def follow(*, idea: Idea, by) -> None:
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    Follow.objects.get_or_create(idea=idea, user=by)


def unfollow(*, idea: Idea, by) -> None:
    Follow.objects.filter(idea=idea, user=by).delete()


def comment(*, idea: Idea, by, body: str, parent: Comment | None = None) -> Comment:
    """A comment or a reply. Followers (and the author of the comment replied to) get an e-mail; the writer
    follows the idea from then on. Comments by the programme team are marked as official."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if parent is not None and parent.idea_id != idea.pk:
        raise ValidationError({"parent": _("That comment belongs to another idea.")})
    hit(f"comment:{by.pk}", limit=30, window_s=3600)
    c = Comment(idea=idea, author=by, body=body, parent=parent, official=permissions.is_team(by))
    c.full_clean()
    with transaction.atomic():
        _require_visible(idea)
        c.save()
        Idea.objects.filter(pk=idea.pk).update(comments_count=F("comments_count") + 1, updated_at=timezone.now())
        Follow.objects.get_or_create(idea=idea, user=by)
    transaction.on_commit(lambda: notify_comment.enqueue(c.pk))
    return c


def change_status(*, idea: Idea, by, status: str, answer: str = "", merged_into: Idea | None = None) -> Idea:
    """Move an idea along the public workflow, with the team's answer; followers get an e-mail."""
    require_role(by, Role.MODERATOR, Role.COORDINATOR)
    answer = (answer or "").strip()
    with transaction.atomic():
        idea = Idea.objects.select_for_update().get(pk=idea.pk)
        old = Status(idea.status)
        new = Status(status)
        if new not in TRANSITIONS[old]:
            raise ValidationError({"status": _("An idea that is “%(old)s” cannot become “%(new)s”.") % {
                "old": old.label, "new": new.label}})
        if new in NEEDS_ANSWER and not answer:
            raise ValidationError({"answer": _("Give the residents an answer: why, and what happens next.")})
        if new == Status.MERGED:
            if merged_into is None or merged_into.pk == idea.pk or merged_into.hidden:
                raise ValidationError({"merged_into": _("Choose the (visible) idea it is merged into.")})
            idea.merged_into = merged_into
        elif idea.merged_into_id:
            idea.merged_into = None
        StatusChange.objects.create(idea=idea, old=old, new=new, answer=answer, by=by)
        idea.status = new
        if answer:
            idea.answer = answer
        idea.save(update_fields=["status", "answer", "merged_into", "updated_at"])
    transaction.on_commit(lambda: notify_status.enqueue(idea.pk))
    return idea


def _locked(idea, comment_):
    return (Idea.objects.select_for_update().get(pk=idea.pk) if idea is not None
            else Comment.objects.select_for_update().get(pk=comment_.pk))


def hide(*, by, reason: str, idea: Idea | None = None, comment_: Comment | None = None) -> bool:
    """Hide an idea or comment (never delete it) with a reason its author can read. Hiding what is already hidden
    changes nothing (two moderators on the same flag, a double click)."""
    require_role(by, Role.MODERATOR, Role.COORDINATOR)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the author a reason.")})
    with transaction.atomic():
        target = _locked(idea, comment_)
        if target.hidden:
            return False
        target.hidden = True
        target.hidden_reason = reason[:1000]
        target.save(update_fields=["hidden", "hidden_reason", "updated_at"] if comment_ is None else ["hidden", "hidden_reason"])
        in_hand = idea if idea is not None else comment_  # the caller's object says what the database now says
        if in_hand is not None:
            in_hand.hidden, in_hand.hidden_reason = True, target.hidden_reason
        if comment_ is not None:
            Idea.objects.filter(pk=target.idea_id).update(comments_count=F("comments_count") - 1, updated_at=timezone.now())
        ModerationAction.objects.create(idea=idea, comment=comment_, action="hide", reason=reason, by=by)
        _flags_of(idea, comment_).update(handled_at=timezone.now(), handled_by=by)
    return True


def restore(*, by, idea: Idea | None = None, comment_: Comment | None = None, reason: str = "") -> bool:
    require_role(by, Role.MODERATOR, Role.COORDINATOR)
    with transaction.atomic():
        target = _locked(idea, comment_)
        if not target.hidden:
            return False
        target.hidden = False
        target.save(update_fields=["hidden", "updated_at"] if comment_ is None else ["hidden"])
        in_hand = idea if idea is not None else comment_
        if in_hand is not None:
            in_hand.hidden = False
        if comment_ is not None:
            Idea.objects.filter(pk=target.idea_id).update(comments_count=F("comments_count") + 1, updated_at=timezone.now())
        ModerationAction.objects.create(idea=idea, comment=comment_, action="restore", reason=reason, by=by)
    return True


def _flags_of(idea, comment_):
    return Flag.objects.filter(idea=idea, handled_at__isnull=True) if idea else \
        Flag.objects.filter(comment=comment_, handled_at__isnull=True)


def flag(*, by, reason: str, idea: Idea | None = None, comment_: Comment | None = None) -> Flag:
    if not permissions.can_flag(by):  # the moderators hide or answer; they do not report to themselves
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong.")})
    hit(f"flag:{by.pk}", limit=20, window_s=3600)
    return Flag.objects.create(by=by, reason=reason[:500], idea=idea, comment=comment_)


def dismiss_flags(*, by, idea: Idea | None = None, comment_: Comment | None = None) -> int:
    """The content is fine: the flags leave the queue."""
    require_role(by, Role.MODERATOR, Role.COORDINATOR)
    return _flags_of(idea, comment_).update(handled_at=timezone.now(), handled_by=by)


def link(*, by, idea: Idea, facilities=None, category=None, project_url: str | None = None) -> Idea:
    """Link an idea to the services (and kind of service) it is about, and later to its project."""
    require_role(by, Role.MODERATOR, Role.COORDINATOR)
    with transaction.atomic():
        if facilities is not None:
            idea.facilities.set(facilities)
        idea.category = category
        if project_url is not None:
            idea.project_url = project_url
        idea.full_clean(exclude=["search_text"])
        idea.save(update_fields=["category", "project_url", "updated_at"])
    return idea


# --- e-mails ------------------------------------------------------------------------------------------------

def _url(idea) -> str:
    return mail.absolute_url(reverse("ideas:detail", kwargs={"pk": idea.pk}))


@task()
def notify_status(idea_id: int) -> None:
    idea = Idea.objects.get(pk=idea_id)
    change = idea.status_changes.last()
    for f in Follow.objects.filter(idea=idea).select_related("user"):
        mail.send_to_user(f.user, "ideas/email/status_changed.txt",
                          lambda: _("[Partons] Idea “%(title)s”: %(status)s") % {
                              "title": idea.title[:60], "status": idea.get_status_display()},
                          lambda: {"idea": idea, "change": change, "url": _url(idea)})


@task()
def notify_comment(comment_id: int) -> None:
    c = Comment.objects.select_related("idea", "author", "parent__author").get(pk=comment_id)
    to = {f.user for f in Follow.objects.filter(idea=c.idea).select_related("user")}
    if c.parent is not None and c.parent.author is not None:
        to.add(c.parent.author)
    if c.author is not None:
        to.discard(c.author)
    for user in to:
        mail.send_to_user(user, "ideas/email/new_comment.txt",
                          lambda: _("[Partons] New answer on the idea “%(title)s”") % {"title": c.idea.title[:60]},
                          lambda: {"idea": c.idea, "comment": c, "url": _url(c.idea)})
