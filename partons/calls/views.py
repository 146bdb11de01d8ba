"""Pages of the calls for projects: the calls and the portfolio (public), applications (applicants), review and
selection (coordinators), scoring (jury members)."""
import hashlib
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partons.core.forms import add_service_errors
from partons.core.ical import ics_response
from partons.core.cached import cached_value
from partons.core.files import file_response
from partons.core.maps import map_config
from partons.core.roles import Role
from partons.core.text import posted_id
from partons.core.versions import reference_version
from partons.territory.models import Municipality, Village

from . import permissions, selectors, services
from .forms import ApplicationForm, BudgetLineFormSet
from .models import ApplicantType, Application, Call, JuryAssignment


@require_GET
def call_list(request):
    calls = list(selectors.public_calls())
    return render(request, "calls/list.html", {
        "open": [c for c in calls if c.phase in ("open", "upcoming")],
        "past": [c for c in calls if c.phase in ("review", "results")],
        "can_open_jury": permissions.is_juror(request.user),
    })


AREA_LISTED_WHOLE = 12  # an area of more municipalities is summed up per country, each list opened on request


def _by_country(municipalities) -> list[dict]:
    groups: dict[str, dict] = {}
    for name, code, country in municipalities:
        groups.setdefault(code, {"code": code, "country": country, "names": []})["names"].append(name)
    return list(groups.values()) if len(municipalities) > AREA_LISTED_WHOLE else []


@require_GET
def call_detail(request, slug):
    call = get_object_or_404(Call.objects.prefetch_related("criteria", "cost_categories", "documents"), slug=slug,
                             published=True)
    types = dict(ApplicantType.choices)
    ids = sorted(call.municipalities.values_list("pk", flat=True))

    def area() -> list[tuple[str, str, str]]:  # hundreds of municipalities: named once per language and change of places
        qs = Municipality.objects.filter(pk__in=ids).select_related("country").defer("boundary")
        return [(m.name, m.country.code, m.country.name) for m in qs.order_by("country__code", Municipality.sort_field())]

    municipalities = cached_value(f"call-area:{call.pk}:{translation.get_language()}:v2", area,
                                  version=f"{reference_version()}:{hashlib.sha256(repr(ids).encode()).hexdigest()[:16]}")
    return render(request, "calls/detail.html", {
        "can_review": permissions.can_review(request.user), "call": call, "applicant_types": [types.get(t, t) for t in call.applicant_types],
        "municipalities": municipalities, "area_by_country": _by_country(municipalities), "projects": selectors.portfolio(call=call) if call.results_published_at else [],
        "total_weight": sum(c.weight for c in call.criteria.all()),
        "sessions": call.sessions.select_related("host", "village"),
    })


@require_GET
def portfolio(request):
    import json

    projects = list(selectors.portfolio())
    points = [{"title": p.title, "language": p.language, "call": p.call.title, "lon": p.village_list[0].lon, "lat": p.village_list[0].lat,
               "village": p.village_list[0].name, "country": p.village_list[0].municipality.country_code,
               "url": p.call.get_absolute_url()} for p in projects if p.village_list]
    return render(request, "calls/portfolio.html", {"projects": projects, "map": map_config(),
                                                    "has_synthetic": any(p.synthetic for p in projects),
                                                    "points": json.dumps(points, ensure_ascii=False)})


# --- applicants ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    """Start an application (or continue one's draft) for an open call."""
    call = get_object_or_404(Call, slug=slug, published=True)
    existing = call.applications.filter(applicant=request.user, status=Application.Status.DRAFT).first()
    if existing:
        return redirect("calls:edit", pk=existing.pk)
    if not call.is_open():
        messages.error(request, _("This call is not open for applications."))
        return redirect(call)
    return _edit(request, call, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    app = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    if not permissions.is_applicant(request.user, app):
        raise Http404
    if not permissions.can_edit_application(request.user, app):
        return redirect(app)
    return _edit(request, app.call, app)


def _edit(request, call, app):
    initial_lines = [{"category": line.category_id, "description": line.description, "amount": Decimal(line.amount_cents) / 100}
                     for line in app.budget_lines.all()] if app else []
    form = ApplicationForm(request.POST or None, instance=app, call=call,
                           initial={"idea_numbers": ", ".join(str(i.pk) for i in app.ideas.all())} if app else None)
    lines = BudgetLineFormSet(request.POST or None, initial=initial_lines, form_kwargs={"call": call}, prefix="lines")
    budget_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        d = form.cleaned_data
        budget = [(f.cleaned_data["category"], f.cleaned_data["description"], int(f.cleaned_data["amount"] * 100))
                  for f in lines.forms if f.cleaned_data.get("category")]
        try:
            app = services.save_draft(by=request.user, call=call, application=app, villages=d["villages"], lines=budget,
                                      ideas=d.get("idea_numbers") or [], **{k: d[k] for k in services.EDITABLE})
            for upload in request.FILES.getlist("attachments"):
                services.add_attachment(by=request.user, application=app, upload=upload)
            if "submit" in request.POST:
                services.submit(by=request.user, application=app)
                messages.success(request, _("Your application is submitted. You will be told the decision and its reasons."))
                return redirect(app)
            messages.success(request, _("Draft saved. You can come back to it until the deadline."))
            return redirect("calls:edit", pk=app.pk)
        except ValidationError as exc:
            budget_errors.extend(add_service_errors(form, exc, elsewhere=("budget",)).get("budget", []))
            if app is not None and app.pk:
                messages.info(request, _("Your draft is saved; correct what is marked to submit it."))
    total = sum(line.amount_cents for line in app.budget_lines.all()) if app and app.pk else 0
    return render(request, "calls/apply.html", {"call": call, "app": app, "form": form, "lines": lines, "total_cents": total,
                                                "budget_errors": budget_errors})


@login_required
def application_detail(request, pk):
    """The applicant's page of their application; the coordinators' and assigned jurors' view of everything it holds
    (one rule, `can_read_application`, as for its files)."""
    app = get_object_or_404(Application.objects.select_related("call").prefetch_related(
        Prefetch("villages", queryset=Village.objects.select_related("municipality__country").defer("municipality__boundary")),
        "budget_lines__category", "attachments", "ideas"), pk=pk)
    if not permissions.can_read_application(request.user, app):
        raise Http404
    can_see_decision = permissions.can_see_decision(request.user, app)
    return render(request, "calls/application.html", {
        "app": app, "can_see_decision": can_see_decision, "status_label": status_label(request.user, app), "map": map_config(),
        "is_applicant": permissions.is_applicant(request.user, app),
        "can_review": permissions.can_review(request.user),
        "can_edit": permissions.can_edit_application(request.user, app),
        "can_report_progress": permissions.can_report_progress(request.user, app),
    })


def status_label(user, app) -> str:
    """What a person is told of an application's status: the decision only to those who may see it (an applicant
    reads "under review" until the results are published, whatever was decided)."""
    return app.status_for(may_see_decision=permissions.can_see_decision(user, app))


@login_required
def my_applications(request):
    apps = Application.objects.filter(applicant=request.user).select_related("call").order_by("-created_at")
    return render(request, "calls/mine.html", {"rows": [(a, status_label(request.user, a)) for a in apps]})


# --- coordinators and jury --------------------------------------------------------------------------------------


def _coordinator(request):
    if not permissions.can_review(request.user):
        raise PermissionDenied


@login_required
def review(request, slug):
    """The coordinators' view of a call: eligibility, jury, ranking, the optimal proposal, the decision."""
    _coordinator(request)
    call = get_object_or_404(Call, slug=slug)
    apps = list(call.applications.exclude(status=Application.Status.DRAFT).prefetch_related(
        Prefetch("villages", queryset=Village.objects.select_related("municipality__country").defer("municipality__boundary")),
        "budget_lines", "assignments__juror", "attachments", "ideas"))
    proposal, ranked = selectors.propose(call)
    scores = {app.pk: c.score for app, c in ranked}
    decided = any(app.status in (Application.Status.SELECTED, Application.Status.NOT_SELECTED) for app, _c in ranked)
    checked = {app.pk for app, _c in ranked if app.status == Application.Status.SELECTED} if decided else set(proposal.selected)
    jurors = [u for u in get_user_model().objects.filter(groups__name=Role.JURY_MEMBER.value, is_active=True)]
    return render(request, "calls/review.html", {
        "call": call, "apps": apps, "scores": scores, "ranked": ranked,
        "compare": [(app, scores.get(app.pk)) for app in apps], "proposal": set(proposal.selected), "checked": checked,
        "proposal_result": proposal, "jurors": jurors, "audit": call.audit.select_related("by", "application")[:50],
    })


@login_required
@require_POST
def review_action(request, slug):
    _coordinator(request)
    call = get_object_or_404(Call, slug=slug)
    action = request.POST.get("action")
    try:
        if action in ("eligible", "ineligible"):
            app = get_object_or_404(Application, pk=posted_id(request.POST.get("application")), call=call)
            services.check_eligibility(by=request.user, application=app, eligible=action == "eligible",
                                       note=request.POST.get("note", ""))
        elif action == "assign":
            app = get_object_or_404(Application, pk=posted_id(request.POST.get("application")), call=call)
            ids = [i for i in (posted_id(x) for x in request.POST.getlist("jurors")) if i]
            services.assign_jurors(by=request.user, application=app, jurors=list(get_user_model().objects.filter(pk__in=ids)))
        elif action == "decide":
            ids = [i for i in (posted_id(x) for x in request.POST.getlist("selected")) if i]
            reasons = {int(k.split("_", 1)[1]): v.strip()[:3000] for k, v in request.POST.items()
                       if k.startswith("reason_") and k.split("_", 1)[1].isdigit() and v.strip()}
            services.decide(by=request.user, call=call, selected_ids=ids, justification=request.POST.get("justification", ""),
                            reasons=reasons)
        elif action == "publish":
            n = services.publish_results(by=request.user, call=call)
            messages.success(request, _("Results published; %(n)s applicants are told the decision.") % {"n": n})
        else:
            raise ValidationError(_("Unknown action."))
        if action != "publish":
            messages.success(request, _("Saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("calls:review", slug=call.slug)


@login_required
def jury_home(request):
    if not permissions.is_juror(request.user):
        raise PermissionDenied
    assignments = JuryAssignment.objects.filter(juror=request.user).select_related("application__call")
    return render(request, "calls/jury.html", {"assignments": assignments})


@login_required
@require_http_methods(["GET", "POST"])
def jury_score(request, pk):
    a = get_object_or_404(JuryAssignment.objects.select_related("application__call"), pk=pk)
    if not permissions.can_open_assignment(request.user, a):
        raise Http404
    criteria = list(a.application.call.criteria.all())
    errors = {}
    if request.method == "POST":
        try:
            if "conflict" in request.POST:
                services.declare_conflict(by=request.user, assignment=a, note=request.POST.get("conflict_note", ""))
                messages.success(request, _("Conflict of interest declared: you are kept out of this application."))
            else:
                values = {c.pk: (posted_id(request.POST.get(f"criterion_{c.pk}")), request.POST.get(f"comment_{c.pk}", ""))
                          for c in criteria}
                services.score(by=request.user, assignment=a, values=values)
                messages.success(request, _("Scores saved."))
            return redirect("calls:jury_score", pk=a.pk)
        except ValidationError as exc:
            errors = getattr(exc, "message_dict", {"__all__": exc.messages})
    own = {s.criterion_id: s for s in a.scores.all()}
    visible = selectors.scores_for(viewer=request.user, application=a.application)
    return render(request, "calls/jury_score.html", {
        "a": a, "app": a.application, "map": map_config(), "criteria": [(c, own.get(c.pk), errors.get(f"criterion_{c.pk}")) for c in criteria],
        "others": [x for x in visible if x.pk != a.pk], "errors": errors.get("__all__"),
        "can_read": permissions.can_read_application(request.user, a.application),
        "can_score": permissions.can_score(request.user, a), "can_declare_conflict": permissions.can_declare_conflict(request.user, a),
        "can_see_others": permissions.can_see_other_scores(request.user, a.application),
    })


# --- coaching and follow-up --------------------------------------------------------------------------------------

def session_ics(request, pk):
    from .models import CoachingSession

    session = get_object_or_404(CoachingSession.objects.select_related("call", "village"), pk=pk, call__published=True)
    return ics_response(services.session_ics(session), f"partons-session-{session.pk}.ics")


@login_required
@require_POST
def follow_up(request, pk):
    """A selected project reports its progress or an expense."""
    import datetime as dt

    app = get_object_or_404(Application.objects.select_related("call"), pk=pk)
    if not permissions.can_report_progress(request.user, app):
        raise Http404
    try:
        if request.POST.get("kind") == "report":
            from partons.core.photos import clean_photo

            photo = request.FILES.get("photo")
            if photo:
                from django import forms as djforms

                photo = clean_photo(djforms.ImageField().clean(photo))
            services.add_report(by=request.user, application=app, text=request.POST.get("text", ""),
                                final=bool(request.POST.get("final")), photo=photo)
            messages.success(request, _("Report saved."))
        elif request.POST.get("kind") == "expense":
            line = app.budget_lines.filter(pk=posted_id(request.POST.get("line"))).first()
            if line is None:
                raise ValidationError(_("Choose a budget line."))
            try:
                amount = int(round(float(request.POST.get("amount", "").replace(",", ".")) * 100))
                day = dt.date.fromisoformat(request.POST.get("spent_on", ""))
            except ValueError as exc:
                raise ValidationError(_("Give an amount in euros and a date.")) from exc
            e = services.add_expense(by=request.user, application=app, line=line,
                                     description=request.POST.get("description", ""), amount_cents=amount, spent_on=day)
            if e.status == "needs_approval":
                messages.info(request, _("This expense goes over its budget line: it waits for a coordinator's approval."))
            else:
                messages.success(request, _("Expense recorded."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{app.get_absolute_url()}#follow-up")


@login_required
@require_http_methods(["GET", "POST"])
def projects_state(request, slug):
    """Coordinators: every funded project's spend and reports at a glance; approvals; attendance."""
    _coordinator(request)
    from .models import CoachingSession, Expense

    call = get_object_or_404(Call, slug=slug)
    if request.method == "POST":
        try:
            if request.POST.get("action") in ("approve", "refuse"):
                e = get_object_or_404(Expense, pk=posted_id(request.POST.get("expense")), application__call=call)
                services.decide_expense(by=request.user, expense=e, approve=request.POST["action"] == "approve")
            elif request.POST.get("action") == "attendance":
                s = get_object_or_404(CoachingSession, pk=posted_id(request.POST.get("session")), call=call)
                services.record_attendance(by=request.user, session=s,
                                           present_ids=[i for i in (posted_id(x) for x in request.POST.getlist("present")) if i])
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("calls:projects", slug=call.slug)
    sessions = list(call.sessions.select_related("host", "village").prefetch_related("attendance"))
    for s in sessions:
        s.present_ids = {a.application_id for a in s.attendance.all() if a.present}
    return render(request, "calls/projects.html", {
        "call": call, "rows": selectors.portfolio_state(call), "sessions": sessions,
        "selected": call.applications.filter(status=Application.Status.SELECTED).order_by("title"),
        "pending": Expense.objects.filter(application__call=call, status=Expense.Status.NEEDS_APPROVAL)
        .select_related("application", "line__category"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def brainstorm(request):
    from partons.core.ratelimit import RateLimited

    from .models import BrainstormRequest

    villages = Village.objects.filter(merged_into=None).order_by("sort_nl")
    if request.method == "POST":
        village = villages.filter(pk=posted_id(request.POST.get("village"))).first()
        try:
            if village is None:
                raise ValidationError(_("Choose your village."))
            services.request_brainstorm(by=request.user, village=village, group=request.POST.get("group", ""),
                                        message=request.POST.get("message", ""))
            messages.success(request, _("Thank you: the programme team will contact you to plan the session."))
            return redirect("calls:list")
        except RateLimited:
            messages.error(request, _("Too many requests in a short time. Please wait a moment."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    requests_ = BrainstormRequest.objects.select_related("village", "requester") if permissions.is_coordinator(request.user) else None
    return render(request, "calls/brainstorm.html", {"villages": villages, "requests": requests_, "post": request.POST})


@login_required
def attachment(request, pk, attachment_id):
    """An application's file, for the applicant, the coordinators and its (unconflicted) jury members only."""
    from .models import Attachment

    att = get_object_or_404(Attachment.objects.select_related("application"), pk=attachment_id, application_id=pk)
    if not permissions.can_read_application(request.user, att.application):
        raise Http404
    return file_response(att.file, download_as=att.name)


@require_GET
def document(request, slug, pk):
    """A call's document (public, as the call is): served by the app, whatever serves the media folder."""
    from .models import CallDocument

    doc = get_object_or_404(CallDocument, pk=pk, call__slug=slug, call__published=True)
    name = doc.title + doc.file.name[doc.file.name.rfind("."):] if "." in doc.file.name else doc.title
    return file_response(doc.file, download_as=name, cache="no-cache")
