"""Pages of the cross-border cooperation: the action plan, its actions and the partner organisations (public); the
groups (public: that they exist, their kind, organisations and number of meetings; members and coordinators: their
meetings, minutes, decisions and files); the monitoring of the plan (coordinators and steering groups)."""
from __future__ import annotations


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partons.core.forms import add_service_errors
from partons.core.ical import ics_response
from partons.core.files import file_response
from partons.core.csvfile import csv_response
from partons.core.text import posted_id

from . import permissions, selectors, services
from .forms import AttachmentForm, DecisionForm, MeetingForm
from .models import ActionStatus, Group, GroupKind, Membership


def _no_access(request):
    """What someone who may not see a group's documents gets: a 403 asking to sign in (whether the page exists or
    not) when signed out; a 404 when signed in."""
    if not request.user.is_authenticated:
        return render(request, "cooperation/sign_in.html", {"next": request.get_full_path()}, status=403)
    raise Http404


# --- the action plan --------------------------------------------------------------------------------------------

@require_GET
def action_plan(request):
    pillars = selectors.action_plan()
    for p in pillars:
        for a in p.action_list:
            a.progress = selectors.milestone_progress(a)
    return render(request, "cooperation/action_plan.html", {
        "pillars": pillars, "n_actions": sum(len(p.action_list) for p in pillars),
        "has_assumed_leads": any(a.lead_is_assumption for p in pillars for a in p.action_list),
        "can_monitor": permissions.can_monitor(request.user)})


@require_GET
def action_detail(request, slug):
    action = selectors.public_action(slug)
    if action is None:
        raise Http404
    events = [(e, selectors.event_url(e)) for e in action.public_events]
    return render(request, "cooperation/action_detail.html", {
        "action": action, "progress": selectors.milestone_progress(action), "events": events,
        "decisions": selectors.decisions_about(action, request.user),
        "has_synthetic_projects": any(p.synthetic for p in action.public_projects)})


@require_GET
def organisations(request):
    return render(request, "cooperation/organisations.html", {"countries": selectors.organisations_by_country()})


# --- groups and meetings ----------------------------------------------------------------------------------------

@require_GET
def group_list(request):
    groups = list(selectors.public_groups())
    kinds = [(value, label, [g for g in groups if g.kind == value]) for value, label in GroupKind.choices]
    return render(request, "cooperation/group_list.html", {"kinds": [k for k in kinds if k[2]],
                                                           "has_synthetic": any(g.synthetic for g in groups)})


@require_GET
def group_detail(request, slug):
    group = selectors.group_by_slug(slug)
    if group is None:
        raise Http404
    insider = permissions.can_see_documents(request.user, group)
    ctx = {"group": group, "insider": insider, "can_record": permissions.can_record(request.user, group),
           "actions": group.actions.filter(public=True).select_related("pillar").order_by("pillar__order", "number")}
    if insider:
        now = timezone.now()
        meetings = selectors.group_meetings(request.user, group)
        ctx.update(members=selectors.members_for(request.user, group),
                   upcoming=sorted([m for m in meetings if m.ends_at >= now], key=lambda m: m.starts_at),
                   past=[m for m in meetings if m.ends_at < now], decisions=selectors.group_decisions(request.user, group))
    return render(request, "cooperation/group_detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, slug):
    group = get_object_or_404(Group, slug=slug)
    if not permissions.can_record(request.user, group):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(by=request.user, group=group, **form.cleaned_data)
            messages.success(request, _("Meeting recorded."))
            return redirect(meeting)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "cooperation/meeting_form.html", {"form": form, "group": group, "meeting": None})


@require_GET
def meeting_detail(request, pk):
    meeting = selectors.meeting_for(request.user, pk)
    if meeting is None:
        return _no_access(request)
    can_record = permissions.can_record(request.user, meeting.group)
    return render(request, "cooperation/meeting_detail.html", {
        "meeting": meeting, "group": meeting.group, "can_record": can_record,
        "decision_form": DecisionForm() if can_record else None,
        "attachment_form": AttachmentForm() if can_record else None})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = selectors.meeting_for(request.user, pk)
    if meeting is None:
        raise Http404
    if not permissions.can_record(request.user, meeting.group):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(by=request.user, meeting=meeting, **form.cleaned_data)
            messages.success(request, _("Meeting saved."))
            return redirect(meeting)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "cooperation/meeting_form.html", {"form": form, "group": meeting.group, "meeting": meeting})


@login_required
@require_POST
def meeting_decision(request, pk):
    meeting = selectors.meeting_for(request.user, pk)
    if meeting is None:
        raise Http404
    if request.POST.get("remove"):
        decision = get_object_or_404(meeting.decisions.all(), pk=posted_id(request.POST.get("remove")))
        services.remove_decision(by=request.user, decision=decision)
        messages.success(request, _("Decision removed."))
        return redirect(f"{meeting.get_absolute_url()}#decisions")
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        services.add_decision(by=request.user, meeting=meeting, text=form.cleaned_data["text"],
                              action=form.cleaned_data["action"])
        messages.success(request, _("Decision recorded."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{meeting.get_absolute_url()}#decisions")


@login_required
@require_POST
def meeting_attachment_upload(request, pk):
    meeting = selectors.meeting_for(request.user, pk)
    if meeting is None:
        raise Http404
    if request.POST.get("remove"):
        att = get_object_or_404(meeting.attachments.all(), pk=posted_id(request.POST.get("remove")))
        services.remove_attachment(by=request.user, attachment=att)
        messages.success(request, _("File removed."))
        return redirect(f"{meeting.get_absolute_url()}#files")
    form = AttachmentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        att = services.add_attachment(by=request.user, meeting=meeting, upload=form.cleaned_data["file"])
        messages.success(request, _("“%(name)s” added.") % {"name": att.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(meeting)  # the message stands at the top of the page: no jump past it
    return redirect(f"{meeting.get_absolute_url()}#files")


@require_GET
def attachment(request, pk, attachment_id):
    """A meeting's file, for the group's members and the coordinators only."""
    att = selectors.visible_attachments(request.user).filter(pk=attachment_id, meeting_id=pk).first()
    if att is None:
        return _no_access(request)
    return file_response(att.file, download_as=att.name)


@require_GET
def meeting_ics(request, pk):
    meeting = selectors.visible_meetings(request.user).filter(pk=pk).first()
    if meeting is None:
        return _no_access(request)
    return ics_response(services.meeting_ics(meeting), f"partons-meeting-{meeting.pk}.ics", private=True)


@login_required
@require_GET
def my_groups(request):
    return render(request, "cooperation/my_groups.html", {
        "memberships": selectors.my_memberships(request.user), "upcoming": selectors.upcoming_meetings(request.user),
        "can_monitor": permissions.can_monitor(request.user)})


@login_required
@require_POST
def my_contact(request, pk):
    membership = get_object_or_404(Membership, pk=pk, user=request.user)
    services.set_show_contact(by=request.user, membership=membership, show=request.POST.get("show") == "1")
    messages.success(request, _("Your choice is saved."))
    return redirect("cooperation:mine")


# --- monitoring -------------------------------------------------------------------------------------------------

def _monitor(request):
    if not permissions.can_monitor(request.user):
        raise PermissionDenied


@login_required
@require_GET
def monitoring(request):
    _monitor(request)
    rows = selectors.monitoring_rows()
    statuses = {value: sum(1 for r in rows if r["action"].status == value) for value in ActionStatus.values}
    return render(request, "cooperation/monitoring.html", {
        "rows": rows, "overdue": selectors.overdue_count(rows),
        "statuses": [(label, statuses[value]) for value, label in ActionStatus.choices]})


@login_required
@require_GET
def monitoring_csv(request):
    _monitor(request)
    rows = []
    for r in selectors.monitoring_rows():
        a = r["action"]
        indicators = "; ".join(
            f"{i.name}: {_num(i.current_value)}" + (f"/{_num(i.target_value)}" if i.target_value is not None else "")
            + (f" {i.unit}" if i.unit else "") + (f" ({i.percent} %)" if i.percent is not None else "")
            for i in r["indicators"])
        rows.append((a.code, a.pillar.name, a.title, a.lead.name if a.lead else "", a.get_status_display(),
                     _("yes") if a.public else _("no"), r["milestones"]["done"], r["milestones"]["total"],
                     "; ".join(f"{m.title} ({m.due_on.isoformat()})" for m in r["milestones"]["overdue"]), indicators,
                     r["last_update"].isoformat() if r["last_update"] else ""))
    return csv_response(f"partons-action-plan-{timezone.localdate():%Y-%m-%d}.csv",
                        [_("Action"), _("Pillar"), _("Title"), _("Lead organisation"), _("Status"), _("Public"),
                         _("Milestones done"), _("Milestones"), _("Overdue milestones"), _("Indicators"), _("Last update")],
                        rows)


def _num(value) -> str:
    return f"{value.normalize():f}" if value is not None else ""
