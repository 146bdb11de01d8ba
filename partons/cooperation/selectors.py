"""Reads of the cooperation app. What belongs to a group (meetings, minutes, decisions, files, members) is filtered
here by who is asking: members of the group and coordinators, nobody else."""
from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone

from partons.calls.models import Application, Call
from partons.events.models import Event

from . import permissions
from .models import (PROGRAMME_ROLE_ORDER, Action, Decision, Group, Indicator, Meeting, MeetingAttachment, Membership,
                     Milestone, Organisation, Pillar)


# --- the action plan (public) ------------------------------------------------------------------------------------

def _public_projects() -> QuerySet[Application]:
    """The portfolio's rule: selected in a call whose results are published."""
    return (Application.objects.filter(status=Application.Status.SELECTED, call__results_published_at__isnull=False)
            .select_related("call").prefetch_related(Prefetch("villages", to_attr="village_list")).order_by("title"))


def _action_prefetches(*, links: bool) -> list:
    out = [Prefetch("milestones", queryset=Milestone.objects.order_by("order", "due_on", "pk")),
           Prefetch("indicators", queryset=Indicator.objects.order_by("order", "pk"))]
    if links:
        out += [Prefetch("projects", queryset=_public_projects(), to_attr="public_projects"),
                Prefetch("calls", queryset=Call.objects.filter(published=True).order_by("-deadline"), to_attr="public_calls"),
                Prefetch("events", queryset=Event.objects.filter(published=True).select_related("village")
                         .order_by("starts_at"), to_attr="public_events")]
    return out


def public_actions(*, links: bool = False) -> QuerySet[Action]:
    return (Action.objects.filter(public=True).select_related("pillar", "lead__country", "working_group")
            .prefetch_related(*_action_prefetches(links=links)).order_by("pillar__order", "number"))


def action_plan(*, links: bool = False) -> list[Pillar]:
    """The pillars in order, each with `.action_list`: its public actions, their lead, milestones and indicators."""
    return list(Pillar.objects.order_by("order").prefetch_related(
        Prefetch("actions", queryset=public_actions(links=links), to_attr="action_list")))


def public_action(slug: str) -> Action | None:
    return public_actions(links=True).filter(slug=slug).first()


def event_url(event) -> str:
    """An event's page, or "" while the events app has no page for it."""
    try:
        return event.get_absolute_url()
    except NoReverseMatch:
        return ""


def milestone_progress(action: Action, today=None) -> dict:
    """Done and total milestones of a (prefetched) action, the percent done and the overdue ones."""
    today = today or timezone.localdate()
    ms = list(action.milestones.all())
    done = sum(1 for m in ms if m.done)
    return {"done": done, "total": len(ms), "percent": round(100 * done / len(ms)) if ms else None,
            "overdue": [m for m in ms if m.is_overdue(today)]}


def decisions_about(action: Action, viewer) -> list[Decision]:
    """Decisions taken about an action, only from the groups whose documents the viewer may see."""
    qs = Decision.objects.filter(action=action).select_related("meeting__group").order_by("-meeting__starts_at", "order")
    if permissions.is_coordinator(viewer):
        return list(qs)
    if not getattr(viewer, "is_authenticated", False):
        return []
    return list(qs.filter(meeting__group__memberships__user=viewer))


# --- organisations and groups ------------------------------------------------------------------------------------

def organisations_by_country() -> list[tuple[str, list[Organisation]]]:
    """[(country code or "", organisations)]: Belgium, France, then cross-border bodies; the lead first in each."""
    orgs = list(Organisation.objects.select_related("country", "municipality"))
    orgs.sort(key=lambda o: (PROGRAMME_ROLE_ORDER.get(o.programme_role, 9), o.name.lower()))
    out: dict[str, list[Organisation]] = {}
    for o in orgs:
        out.setdefault(o.country.code if o.country else "", []).append(o)
    order = {"BE": 0, "FR": 1, "": 9}
    return sorted(out.items(), key=lambda kv: (order.get(kv[0], 5), kv[0]))


def public_groups() -> QuerySet[Group]:
    """What anyone may know of a group: that it exists, its kind, its organisations and how many times it met."""
    return (Group.objects.annotate(n_meetings=Count("meetings"))
            .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.select_related("country")))
            .order_by("-active", "kind", "name_nl"))


def group_by_slug(slug: str) -> Group | None:
    return public_groups().filter(slug=slug).first()


def visible_meetings(viewer) -> QuerySet[Meeting]:
    """The meetings whose agenda, minutes, decisions and files the viewer may see: every meeting for a coordinator,
    the meetings of their groups for a member, none for anyone else."""
    qs = Meeting.objects.select_related("group", "village")
    if permissions.is_coordinator(viewer):
        return qs
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return qs.none()
    return qs.filter(group__in=Group.objects.filter(memberships__user=viewer))


def visible_attachments(viewer) -> QuerySet[MeetingAttachment]:
    return MeetingAttachment.objects.filter(meeting__in=visible_meetings(viewer)).select_related("meeting")


def meeting_for(viewer, pk: int) -> Meeting | None:
    return (visible_meetings(viewer).filter(pk=pk)
            .prefetch_related(Prefetch("decisions", queryset=Decision.objects.select_related("action__pillar")),
                              "attachments").first())


def group_meetings(viewer, group: Group) -> list[Meeting]:
    """The group's meetings (newest first) for someone who may see them; [] for anyone else."""
    return list(visible_meetings(viewer).filter(group=group).annotate(n_decisions=Count("decisions")))


def group_decisions(viewer, group: Group) -> list[Decision]:
    return list(Decision.objects.filter(meeting__in=visible_meetings(viewer).filter(group=group))
                .select_related("meeting", "action__pillar").order_by("-meeting__starts_at", "order", "pk"))


def members_for(viewer, group: Group) -> list[dict]:
    """The group's members as the viewer may see them: organisation, role and chair for every member; the name and
    e-mail address only of those who agreed to show them (coordinators, who manage the groups, and the person
    themself see them always). Nothing for someone who is not a member or a coordinator."""
    if not permissions.can_see_documents(viewer, group):
        return []
    coordinator = permissions.is_coordinator(viewer)
    out = []
    for m in Membership.objects.filter(group=group).select_related("organisation", "user"):
        shown = m.show_contact or coordinator or m.user_id == viewer.pk
        out.append({"pk": m.pk, "organisation": m.organisation, "role": m.role, "is_chair": m.is_chair,
                    "is_me": m.user_id == viewer.pk, "show_contact": m.show_contact,
                    "name": (m.user.display_name if shown else ""), "email": (m.user.email if shown else "")})
    return out


def my_memberships(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("group", "organisation").order_by("group__kind",
                                                                                                      "group__name_nl"))


def upcoming_meetings(user, now=None) -> list[Meeting]:
    """The coming meetings of the groups the person belongs to."""
    now = now or timezone.now()
    return list(Meeting.objects.filter(group__memberships__user=user, ends_at__gte=now).select_related("group", "village")
                .order_by("starts_at"))


# --- monitoring (coordinators and steering groups) ---------------------------------------------------------------

def monitoring_rows(today: datetime.date | None = None) -> list[dict]:
    """Every action (public or not) with its status, lead, milestones (overdue ones marked), indicators against their
    targets and the date of its last update — in a constant number of queries, whatever the number of actions."""
    today = today or timezone.localdate()
    actions = (Action.objects.select_related("pillar", "lead", "working_group")
               .prefetch_related(*_action_prefetches(links=False)).order_by("pillar__order", "number"))
    rows = []
    for a in actions:
        indicators = list(a.indicators.all())
        milestones = milestone_progress(a, today)
        dates = [timezone.localtime(a.updated_at).date() if a.updated_at else None] + [i.updated_on for i in indicators] + [
            m.done_on for m in a.milestones.all()]
        dates = [d for d in dates if d]
        rows.append({"action": a, "milestones": milestones, "indicators": indicators,
                     "last_update": max(d for d in dates if d) if dates else None})
    return rows


def overdue_count(rows) -> int:
    return sum(len(r["milestones"]["overdue"]) for r in rows)

