import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partons.core.files import file_response
from partons.core.ratelimit import RateLimited, hit
from partons.core.maps import map_config

from . import permissions, reports, selectors
from .forms import HandleReportForm, ReportForm
from .models import Facility, Report

FIRST_YEAR = 2000


@require_GET
def services_map(request):
    from partons.territory.selectors import current_region

    this_year = datetime.date.today().year
    years = sorted({2000, 2005, 2010, 2015, 2020, this_year})
    totals = selectors.counts_by_year(years=years, region=current_region())["total"]
    return render(request, "observatory/services_map.html", {
        "categories": selectors.categories(), "groups": selectors.groups(), "first_year": FIRST_YEAR,
        "this_year": this_year, "map": map_config(), "over_time": list(zip(years, totals)),
    })


@require_GET
def services_table(request):
    """The table alternative of the services map: the same filters, every service reachable by keyboard."""
    this_year = datetime.date.today().year
    codes = [c for c in request.GET.getlist("categories") if c]
    try:
        year = min(max(int(request.GET.get("year", this_year)), FIRST_YEAR), this_year)
    except ValueError:
        year = this_year
    q = request.GET.get("q", "").strip()[:100]
    on = None if year == this_year else datetime.date(year, 1, 1)
    qs = selectors.facilities(on=on, category_codes=codes or None).order_by(
        "village__municipality__sort_nl", "village__sort_nl", "category__order", "name")
    if q:
        from partons.core.text import fold

        qs = qs.filter(Q(village__search_text__contains=fold(q)) | Q(village__municipality__search_text__contains=fold(q)))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "observatory/services_table.html", {
        "page": page, "categories": selectors.categories(), "selected": set(codes), "year": year, "this_year": this_year,
        "first_year": FIRST_YEAR, "q": q, "querystring": params.urlencode(),
        "has_synthetic": any(f.synthetic for f in page)})


@require_GET
def facility_detail(request, pk):
    facility = get_object_or_404(Facility.objects.select_related("category", "village__municipality__country"), pk=pk)
    history = list(facility.changes.select_related("by", "import_run", "report").order_by("-effective_on", "-recorded_at"))
    category_names = {c.code: c.name for c in selectors.categories()}
    for change in history:
        change.readable_changes = [
            (_field_label(f), *(category_names.get(v, v) if f in ("category", "category_id") else v for v in values))
            for f, values in change.changes.items() if isinstance(values, list)]
    open_reports = facility.reports.filter(status=Report.Status.OPEN).count()
    closed_by_snapshot = bool(facility.closed_on) and any(
        c.kind == c.Kind.CLOSED and c.import_run_id and c.effective_on == facility.closed_on for c in history)
    return render(request, "observatory/facility_detail.html", {
        "facility": facility, "history": history, "open_reports": open_reports, "map": map_config(),
        "closed_by_snapshot": closed_by_snapshot, "can_see_reports": permissions.can_moderate(request.user)})


def _field_label(name: str) -> str:
    try:
        return str(Facility._meta.get_field(name.removesuffix("_id")).verbose_name)
    except Exception:  # noqa: BLE001 - a key that is not a field (e.g. source_id of the first entry)
        return name


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    facility = None
    facility_id = request.POST.get("facility") or request.GET.get("facility")
    if facility_id:
        facility = get_object_or_404(Facility, pk=facility_id if str(facility_id).isdigit() else 0)
    initial = {"kind": request.GET.get("kind") or (Report.Kind.CLOSURE if facility else Report.Kind.NEW)}
    for key in ("lon", "lat"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    if request.method == "POST":
        try:  # every attempt counts, valid or not: the form decodes photos
            hit(f"report-attempt:{request.user.pk}", limit=30, window_s=3600)
        except RateLimited:
            messages.error(request, _("You have sent many reports in a short time. Please try again in an hour."))
            return redirect("observatory:map")
    form = ReportForm(request.POST or None, request.FILES or None, facility=facility, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report, merged = reports.submit_report(by=request.user, facility=facility, **form.cleaned_data)
        except RateLimited:
            form.add_error(None, _("You have sent many reports in a short time. Please try again in an hour."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. Someone already reported this: your report was added to theirs.")
                             if merged else _("Thank you. A moderator will look at your report."))
            return redirect(report)
    return render(request, "observatory/report_form.html", {"form": form, "facility": facility, "map": map_config()},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    report = get_object_or_404(Report.objects.select_related("facility__category", "category", "reporter", "handled_by"), pk=pk)
    moderator = permissions.can_moderate(request.user)
    if not permissions.can_see_report(request.user, report):
        raise PermissionDenied
    can_handle = moderator and report.status == Report.Status.OPEN and not report.duplicate_of_id
    form = HandleReportForm(request.POST or None) if can_handle else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "accept":
                    reports.accept_report(report, by=request.user, answer=form.cleaned_data["answer"])
                    messages.success(request, _("The report was accepted and the service updated."))
                else:
                    reports.reject_report(report, by=request.user, reason=form.cleaned_data["answer"])
                    messages.success(request, _("The report was rejected; the reporter gets your answer."))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("observatory:moderation")
    point = None
    if report.lon is not None and report.lat is not None:
        point = (report.lon, report.lat)
    elif report.facility is not None:
        point = (report.facility.lon, report.facility.lat)
    duplicates = list(report.duplicates.select_related("reporter").order_by("created_at")) if moderator else []
    return render(request, "observatory/report_detail.html", {"report": report, "form": form, "moderator": moderator,
                                                              "map": map_config(), "point": point, "duplicates": duplicates})


@login_required
@require_GET
def moderation_queue(request):
    if not permissions.can_moderate(request.user):
        raise PermissionDenied
    status = request.GET.get("status", Report.Status.OPEN)
    status = status if status in Report.Status.values else Report.Status.OPEN
    qs = Report.objects.filter(status=status, duplicate_of__isnull=True) \
        .select_related("facility__category", "category", "reporter").annotate(n_duplicates=Count("duplicates")) \
        .order_by("-created_at")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "observatory/moderation_queue.html", {"page": page, "status": status, "statuses": Report.Status.choices,
                                                                  "querystring": f"status={status}"})


@login_required
@require_GET
def my_reports(request):
    qs = Report.objects.filter(reporter=request.user).select_related("facility__category", "category").order_by("-created_at")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "observatory/my_reports.html", {"page": page})


@require_GET
def report_photo(request, pk):
    """The photo sent with a report: for its sender and the moderators only, as the report itself."""
    report = get_object_or_404(Report, pk=pk)
    if not permissions.can_see_report(request.user, report):
        raise Http404
    return file_response(report.photo)
