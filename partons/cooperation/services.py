"""Every write of the cooperation app, in transactions, with the permission checked here: coordinators manage the
groups and their members; a group's chair and the coordinators record its meetings, minutes, decisions and files;
a member decides alone whether the others see their name and e-mail address."""
from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from partons.core.roles import Role, require_role
from partons.core.uploads import check_document, stored_copy

from . import permissions
from .models import Action, Decision, Group, Indicator, Meeting, MeetingAttachment, Membership, Milestone

MAX_ATTACHMENTS_PER_MEETING = 20
MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "village", "agenda", "minutes")


# --- members ----------------------------------------------------------------------------------------------------

def add_member(*, by, group: Group, user, organisation=None, role: str = "", is_chair: bool = False) -> Membership:
    """A coordinator adds a member; whether the others see their name and e-mail is the member's own choice
    (`set_show_contact`), off until they say so."""
    require_role(by, Role.COORDINATOR)
    if not getattr(user, "is_active", False):
        raise ValidationError(_("This account is not active."))
    if organisation is not None and group.organisations.exists() and not group.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("%(org)s is not one of this group's organisations.")
                                               % {"org": organisation.short_name}})
    with transaction.atomic():
        Group.objects.select_for_update().get(pk=group.pk)  # one change of the group's members at a time
        if Membership.objects.filter(group=group, user=user).exists():
            raise ValidationError(_("This person is already a member of the group."))
        if is_chair:
            Membership.objects.filter(group=group, is_chair=True).update(is_chair=False)
        return Membership.objects.create(group=group, user=user, organisation=organisation, role=role[:150],
                                         is_chair=is_chair)


def remove_member(*, by, membership: Membership) -> None:
    require_role(by, Role.COORDINATOR)
    with transaction.atomic():
        membership.delete()


def set_chair(*, by, group: Group, membership: Membership | None) -> Membership | None:
    """Make a member the group's chair (the previous chair becomes a member), or leave the group without a chair."""
    require_role(by, Role.COORDINATOR)
    if membership is not None and membership.group_id != group.pk:
        raise ValidationError(_("Only a member of the group can chair it."))
    with transaction.atomic():
        Group.objects.select_for_update().get(pk=group.pk)
        others = Membership.objects.filter(group=group, is_chair=True)
        (others.exclude(pk=membership.pk) if membership else others).update(is_chair=False)
        if membership is not None:
            Membership.objects.filter(pk=membership.pk).update(is_chair=True)
            membership.is_chair = True
    return membership


def set_show_contact(*, by, membership: Membership, show: bool) -> Membership:
    """Only the person decides whether the other members see their name and e-mail address."""
    if not getattr(by, "is_authenticated", False) or membership.user_id != by.pk:
        raise PermissionDenied
    membership.show_contact = bool(show)
    membership.save(update_fields=["show_contact"])
    return membership


# --- meetings ---------------------------------------------------------------------------------------------------

def _require_recorder(by, group: Group) -> None:
    if not permissions.can_record(by, group):
        raise PermissionDenied


def _check_times(starts_at, ends_at) -> None:
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at" if starts_at is None else "ends_at": _("This field is required.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})


def record_meeting(*, by, group: Group, starts_at: datetime.datetime, ends_at: datetime.datetime, title: str = "",
                   place: str = "", village=None, agenda: str = "", minutes: str = "") -> Meeting:
    """Record a meeting of the group (before or after it was held): its chair or a coordinator."""
    _require_recorder(by, group)
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        meeting = Meeting(group=group, title=title[:200], starts_at=starts_at, ends_at=ends_at, place=place[:300],
                          village=village, agenda=agenda, minutes=minutes, created_by=by,
                          minutes_by=by if minutes.strip() else None)
        meeting.full_clean(exclude=["created_by", "minutes_by"])
        meeting.save()
    return meeting


def update_meeting(*, by, meeting: Meeting, **fields) -> Meeting:
    """Change a meeting (its agenda, minutes, place, times…): the group's chair or a coordinator. Whoever changes
    the minutes is recorded as their author."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not a meeting field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)
        _require_recorder(by, meeting.group)
        minutes_changed = "minutes" in fields and (fields["minutes"] or "") != meeting.minutes
        for name, value in fields.items():
            if value is None and name in ("title", "place", "agenda", "minutes"):
                value = ""
            setattr(meeting, name, value)
        _check_times(meeting.starts_at, meeting.ends_at)
        if minutes_changed:
            meeting.minutes_by = by
        meeting.full_clean(exclude=["created_by", "minutes_by"])
        meeting.save()
    return meeting


def add_decision(*, by, meeting: Meeting, text: str, action: Action | None = None) -> Decision:
    _require_recorder(by, meeting.group)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the decision.")})
    if len(text) > 3000:
        raise ValidationError({"text": _("At most %(n)s characters.") % {"n": 3000}})
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        last = meeting.decisions.aggregate(m=Max("order"))["m"]
        return Decision.objects.create(meeting=meeting, text=text, action=action, order=0 if last is None else last + 1)


def remove_decision(*, by, decision: Decision) -> None:
    _require_recorder(by, decision.meeting.group)
    decision.delete()


def add_attachment(*, by, meeting: Meeting, upload) -> MeetingAttachment:
    """A file for the meeting (PDF, image or office document, checked by its content and size)."""
    _require_recorder(by, meeting.group)
    name = check_document(upload)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.attachments.count() >= MAX_ATTACHMENTS_PER_MEETING:
            raise ValidationError(_("At most %(n)s files.") % {"n": MAX_ATTACHMENTS_PER_MEETING})
        return MeetingAttachment.objects.create(meeting=meeting, file=stored_copy(upload, name), name=name,
                                                size=upload.size, uploaded_by=by)


def remove_attachment(*, by, attachment: MeetingAttachment) -> None:
    _require_recorder(by, attachment.meeting.group)
    attachment.delete()  # the file goes once the deletion is committed (models.py)


def meeting_ics(meeting: Meeting) -> bytes:
    """One meeting as an iCalendar file. Only served to those who may see the meeting."""
    from partons.core.ical import Entry, calendar

    return calendar([Entry(uid=f"cooperation-meeting-{meeting.pk}", start=meeting.starts_at, end=meeting.ends_at,
                           summary=meeting.title or _("Meeting: %(group)s") % {"group": meeting.group.name},
                           location=meeting.place + (f" ({meeting.village.name})" if meeting.village else ""),
                           description=meeting.agenda or "")], prodid="cooperation")


# --- the action plan --------------------------------------------------------------------------------------------

def update_indicator(*, by, indicator: Indicator, current_value, on: datetime.date | None = None) -> Indicator:
    require_role(by, Role.COORDINATOR)
    if current_value is None or current_value < 0:
        raise ValidationError({"current_value": _("Give a value of zero or more.")})
    with transaction.atomic():
        indicator.current_value = current_value
        indicator.updated_on = on or timezone.localdate()
        indicator.save(update_fields=["current_value", "updated_on"])
        Action.objects.filter(pk=indicator.action_id).update(updated_at=timezone.now())
    return indicator


def complete_milestone(*, by, milestone: Milestone, on: datetime.date | None = None) -> Milestone:
    require_role(by, Role.COORDINATOR)
    with transaction.atomic():
        milestone.done = True
        milestone.done_on = on or timezone.localdate()
        milestone.save(update_fields=["done", "done_on"])
        Action.objects.filter(pk=milestone.action_id).update(updated_at=timezone.now())
    return milestone

