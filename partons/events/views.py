"""Pages of the events: the public agenda (list and map), a page per event with registration, one's registrations,
and the coordinators' participants page (list, export, attendance, message)."""
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partons.core.forms import add_service_errors
from partons.core.ical import ics_response
from partons.core.maps import map_config
from partons.core.ratelimit import RateLimited
from partons.core.csvfile import csv_response
from partons.core.text import posted_id
from partons.territory.models import Village

from . import permissions, selectors, services
from .forms import AgendaFilterForm, MessageForm, RegistrationForm
from .models import Event, Registration

PAGE_SIZE = 20


def _filters(request):
    """The agenda's filters from the address; a bad value is dropped with a message naming it."""
    form = AgendaFilterForm(request.GET)
    villages = list(Village.objects.filter(events__published=True).distinct()
                    .select_related("municipality__country").defer("municipality__boundary").order_by("sort_nl"))
    form.fields["village"].widget.choices = [("", _("All villages"))] + [(v.slug, v.name) for v in villages]
    form.is_valid()
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    village = next((v for v in villages if v.slug == data.get("village")), None)
    month = data.get("month") or ""
    if month:
        try:
            selectors.month_range(month)
        except ValueError:
            form.add_error("month", _("Give a month as YYYY-MM."))
            month = ""
    if data.get("village") and village is None:
        form.add_error("village", _("No event in this village."))
    return form, {"type": data.get("type") or None, "village": village, "month": month or None,
                  "past": bool(data.get("past"))}


@require_GET
def agenda(request):
    form, f = _filters(request)
    qs = selectors.agenda(**f)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    api_params = {k: v for k, v in (("type", f["type"]), ("village", f["village"].slug if f["village"] else None),
                                     ("month", f["month"]), ("past", "true" if f["past"] else None)) if v}
    return render(request, "events/agenda.html", {
        "form": form, "page": page, "querystring": params.urlencode(), "map": map_config(), "filters": f,
        "api_query": urlencode(api_params), "has_synthetic": any(e.synthetic for e in page),
        "can_manage_events": permissions.can_manage_events(request.user),
    })


def _event_or_404(request, slug) -> Event:
    event = get_object_or_404(selectors.with_waiting(Event.objects.select_related("village__municipality__country")),
                              slug=slug)
    if not permissions.can_see_event(request.user, event):
        raise Http404
    return event


@require_GET
def detail(request, slug):
    event = _event_or_404(request, slug)
    reg = selectors.active_registration(request.user, event)
    form = RegistrationForm(event=event) if request.user.is_authenticated and reg is None else None
    return render(request, "events/detail.html", _detail_context(request, event, reg, form))


def _detail_context(request, event, reg, form) -> dict:
    pickups = list(event.pickup_points.select_related("village"))
    return {
        "event": event, "reg": reg, "position": selectors.waiting_position(reg) if reg and reg.status == "waiting" else None,
        "form": form, "state": event.registration_state(), "started": event.starts_at <= timezone.now(),
        "programme": event.programme.all(), "pickups": pickups, "map": map_config(),
        "pickup_points": [{"lon": p.village.lon, "lat": p.village.lat, "label": f"{p.time:%H:%M} {p.name} ({p.village.name})"}
                          for p in pickups],
        "can_manage_events": permissions.can_manage_events(request.user),
    }


@login_required
@require_POST
def register(request, slug):
    event = _event_or_404(request, slug)
    form = RegistrationForm(request.POST, event=event)
    if form.is_valid():
        d = form.cleaned_data
        try:
            reg = services.register(by=request.user, event=event, companions=d["companions"], pickup=d.get("pickup"),
                                    needs=d["needs"])
        except RateLimited:
            messages.error(request, _("Too many registrations in a short time: try again later."))
            return redirect(event)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if reg.status == Registration.Status.CONFIRMED:
                messages.success(request, _("You are registered. A confirmation with a calendar file is on its way by e-mail."))
            else:
                messages.info(request, _("The event is full: you are on the waiting list. We will e-mail you as soon as a "
                                         "place comes free."))
            return redirect(event)
    return render(request, "events/detail.html", _detail_context(request, event, None, form), status=400)


@login_required
@require_POST
def cancel(request, pk):
    reg = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    if not permissions.can_cancel_registration(request.user, reg):
        raise Http404
    try:
        services.cancel(by=request.user, registration=reg)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration is cancelled.") if reg.user_id == request.user.pk
                         else _("The registration is cancelled."))
    nxt = request.POST.get("next", "")
    if nxt == "participants" and permissions.can_manage_events(request.user):
        return redirect("events:participants", slug=reg.event.slug)
    if nxt == "mine":
        return redirect("events:mine")
    return redirect(reg.event)


@login_required
@require_GET
def mine(request):
    regs = list(selectors.registrations_of(request.user))
    active = {r.event_id for r in regs if r.status != Registration.Status.CANCELLED}
    seen, shown = set(), []
    for r in regs:  # one line per event: the active registration, else the latest cancelled one
        if r.event_id in seen or (r.status == Registration.Status.CANCELLED and r.event_id in active):
            continue
        seen.add(r.event_id)
        shown.append(r)
    regs = shown
    now = timezone.now()
    return render(request, "events/mine.html", {
        "upcoming": [r for r in regs if r.event.ends_at >= now], "past": [r for r in regs if r.event.ends_at < now],
        "now": now})


@require_GET
def event_ics(request, slug):
    event = _event_or_404(request, slug)
    return ics_response(services.calendar([event]), f"{event.slug}.ics")


@require_GET
def feed(request):
    """The agenda as a calendar feed (the same filters as the page; upcoming and the last year's events)."""
    form, f = _filters(request)
    qs = selectors.agenda(**{**f, "past": False}) if not f["month"] else selectors.agenda(**f)
    if not f["month"]:
        past = selectors.agenda(**{**f, "past": True}).filter(starts_at__gte=timezone.now() - datetime.timedelta(days=365))
        events = list(past[:200]) + list(qs[:500])
    else:
        events = list(qs[:500])
    return ics_response(services.calendar(events), "partons-agenda.ics", inline=True)


# --- coordinators ------------------------------------------------------------------------------------------------

def _coordinator_event(request, slug) -> Event:
    if not permissions.can_manage_events(request.user):
        raise PermissionDenied
    return get_object_or_404(Event.objects.select_related("village"), slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def participants(request, slug):
    event = _coordinator_event(request, slug)
    message_form = MessageForm(request.POST if request.POST.get("action") == "message" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "attendance":
            n = services.record_attendance(by=request.user, event=event, present_ids=[
                i for i in (posted_id(x) for x in request.POST.getlist("present")) if i])
            messages.success(request, ngettext("Attendance recorded: %(n)s person present.",
                                                "Attendance recorded: %(n)s people present.", n) % {"n": n})
            return redirect("events:participants", slug=slug)
        if action == "message" and message_form.is_valid():
            try:
                msg = services.message_participants(by=request.user, event=event, **message_form.cleaned_data)
            except RateLimited:
                messages.error(request, _("Too many messages in a short time: try again later."))
            except ValidationError as exc:
                for field, msgs in exc.message_dict.items():
                    message_form.add_error(field if field in message_form.fields else None, msgs)
            else:
                messages.success(request, ngettext("Message sent to %(n)s person.", "Message sent to %(n)s people.",
                                                   msg.recipients) % {"n": msg.recipients})
                return redirect("events:participants", slug=slug)
    regs = list(selectors.participants(event))
    return render(request, "events/participants.html", {
        "event": event, "confirmed": [r for r in regs if r.status == "confirmed"],
        "waiting": [r for r in regs if r.status == "waiting"], "cancelled": [r for r in regs if r.status == "cancelled"],
        "counts": selectors.counts(event), "message_form": message_form, "sent": event.messages.select_related("by")[:20],
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def participants_csv(request, slug):
    event = _coordinator_event(request, slug)
    rows, position = [], 0
    for r in selectors.participants(event):
        position = position + 1 if r.status == "waiting" else position
        user = r.user
        rows.append((r.status, position if r.status == "waiting" else "", (user.display_name if user else _("(account deleted)")),
                     user.email if user else "", r.companions, r.seats, str(r.pickup) if r.pickup_id else "", r.needs,
                     timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                     timezone.localtime(r.promoted_at).strftime("%Y-%m-%d %H:%M") if r.promoted_at else "",
                     {True: "yes", False: "no", None: ""}[r.attended]))
    return csv_response(f"participants-{event.slug}.csv",
                        ["status", "position", "name", "email", "companions", "places", "pickup", "needs", "registered_at",
                         "promoted_at", "attended"], rows)
