"""Citizen reports: submitted by residents, merged when they repeat an open one, handled by moderators."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from partons.core import mail
from partons.core.ratelimit import hit
from partons.core.roles import Role, require_role

from . import services
from .models import Facility, Report
from .spatial import VillageLocator

REPORTS_PER_HOUR = 10


@transaction.atomic
def submit_report(*, by, kind: str, facility: Facility | None = None, category=None, name: str = "",
                  lon: float | None = None, lat: float | None = None, address: str = "",
                  happened_on: datetime.date | None = None, details: str = "", photo=None) -> tuple[Report, bool]:
    """Record a report; (report, merged) — merged when the same facility already has an open report of that kind."""
    if not getattr(by, "is_authenticated", False):
        raise ValidationError(_("Log in to report."))
    hit(f"report:{by.pk}", limit=REPORTS_PER_HOUR, window_s=3600)
    if kind in (Report.Kind.CLOSURE, Report.Kind.WRONG) and facility is None:
        raise ValidationError({"facility": _("Say which service this is about.")})
    if kind == Report.Kind.NEW and (category is None or lon is None or lat is None):
        raise ValidationError({"category": _("A new service needs a category and a place on the map.")})
    _check_report(kind=kind, facility=facility, lon=lon, lat=lat, happened_on=happened_on)
    duplicate_of = None
    if facility is not None:
        duplicate_of = Report.objects.select_for_update().filter(
            facility=facility, kind=kind, status=Report.Status.OPEN, duplicate_of__isnull=True).first()
    report = Report(kind=kind, facility=facility, category=category, name=name, lon=lon, lat=lat, address=address,
                    happened_on=happened_on, details=details, photo=photo, reporter=by, duplicate_of=duplicate_of,
                    language=(translation.get_language() or "")[:2])
    report.full_clean()
    report.save()
    # A report saying the same as an open one is kept (each reporter sees only their own) and handled with it.
    return report, duplicate_of is not None


def _check_report(*, kind, facility, lon, lat, happened_on) -> None:
    """What a report says must be possible: in the region, not in the future, not closing what is closed."""
    today = timezone.localdate()
    if happened_on and happened_on > today:
        raise ValidationError({"happened_on": _("This date is in the future.")})
    if kind == Report.Kind.CLOSURE and facility is not None:
        if facility.closed_on is not None:
            raise ValidationError(_("This service is already recorded as closed since %(day)s.") % {
                "day": formats.date_format(facility.closed_on, "DATE_FORMAT")})
        if happened_on and facility.opened_on and happened_on < facility.opened_on:
            raise ValidationError({"happened_on": _("This service only opened on %(day)s.") % {
                "day": formats.date_format(facility.opened_on, "DATE_FORMAT")}})
    if lon is not None and lat is not None and VillageLocator().locate(lon, lat) is None:
        raise ValidationError({"lon": _("This place lies outside the region: place the service in one of its villages.")})


def _notify(report: Report) -> None:
    for each in [report, *report.duplicates.select_related("reporter")]:
        mail.send_to_user(each.reporter, "observatory/email/report_handled.txt",
                          lambda: _("[Partons] Your report: %(status)s") % {"status": each.get_status_display()},
                          lambda: {"report": each, "url": mail.absolute_url(reverse("observatory:report", kwargs={"pk": each.pk}))},
                          language=each.language)


def _close_duplicates(report: Report) -> None:
    report.duplicates.update(status=report.status, reason=report.reason, handled_by=report.handled_by,
                             handled_at=report.handled_at, facility=report.facility)


@transaction.atomic
def accept_report(report: Report, *, by, answer: str = "") -> Report:
    """Apply the report to the facility (its history credits the report) and tell the reporters."""
    require_role(by, Role.MODERATOR, Role.COORDINATOR)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.OPEN:
        raise ValidationError(_("This report has already been handled."))
    if report.duplicate_of_id:
        raise ValidationError(_("This report is handled together with the one it repeats."))
    if report.facility_id:
        report.facility.refresh_from_db()
    # The facility may have changed since the report was sent: check again.
    _check_report(kind=report.kind, facility=report.facility, lon=report.lon, lat=report.lat, happened_on=report.happened_on)
    when = report.happened_on or report.created_at.date()
    if report.kind == Report.Kind.NEW:
        fac = services.create_facility(by=by, category=report.category, lon=report.lon, lat=report.lat, name=report.name,
                                       address=report.address, opened_on=when, report=report,
                                       source="Partons (citizen report)", licence="CC BY 4.0")
        report.facility = fac
    elif report.kind == Report.Kind.CLOSURE:
        services.change_facility(report.facility, by=by, report=report, effective_on=when, closed_on=when)
    else:
        values = {}
        if report.name:
            values["name"] = report.name
        if report.address:
            values["address"] = report.address
        if report.category_id:
            values["category"] = report.category
        if report.lon is not None and report.lat is not None:
            values["lon"], values["lat"] = report.lon, report.lat
        services.change_facility(report.facility, by=by, report=report, effective_on=when, **values)
    report.status = Report.Status.ACCEPTED
    report.reason = answer
    report.handled_by, report.handled_at = by, timezone.now()
    report.save()
    _close_duplicates(report)
    transaction.on_commit(lambda: _notify(report))
    return report


@transaction.atomic
def reject_report(report: Report, *, by, reason: str) -> Report:
    require_role(by, Role.MODERATOR, Role.COORDINATOR)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reporter a reason.")})
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.OPEN:
        raise ValidationError(_("This report has already been handled."))
    if report.duplicate_of_id:
        raise ValidationError(_("This report is handled together with the one it repeats."))
    report.status = Report.Status.REJECTED
    report.reason = reason.strip()
    report.handled_by, report.handled_at = by, timezone.now()
    report.save()
    _close_duplicates(report)
    transaction.on_commit(lambda: _notify(report))
    return report
