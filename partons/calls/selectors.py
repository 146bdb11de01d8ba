"""Reading calls and applications: what the public sees, the jury's weighted scores (one query for a whole call),
the proposal and ranking behind the selection, the other jurors' scores a juror may see, and the follow-up of funded
projects."""
from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, Sum

from partons.territory.models import Village

from . import permissions, selection
from .models import Application, Call, Expense, JuryAssignment, ProgressReport, Score


def public_calls() -> QuerySet[Call]:
    return Call.objects.filter(published=True).order_by("-deadline")


def portfolio(*, call: Call | None = None) -> QuerySet[Application]:
    """Selected projects of calls whose results are published: what the public sees (no scores, no personal data)."""
    qs = Application.objects.filter(status=Application.Status.SELECTED, call__results_published_at__isnull=False)
    if call is not None:
        qs = qs.filter(call=call)
    return (qs.select_related("call").prefetch_related(Prefetch("villages", to_attr="village_list", queryset=Village.objects.select_related(
                "municipality__country").defer("municipality__boundary")))
            .order_by("-call__deadline", "title"))


# --- scores, ranking and proposal ------------------------------------------------------------------------------

def weighted_scores(call: Call, application_ids=None) -> dict[int, float]:
    """0–100 per application: each juror's weighted mean (×10), averaged over the jurors without a conflict who have
    scored. One query for the scores of the whole call (or of `application_ids`), whatever their number."""
    weights = {pk: w for pk, w in call.criteria.values_list("pk", "weight")}
    total_weight = sum(weights.values()) or 1
    scores = Score.objects.filter(assignment__application__call=call, assignment__conflict=False,
                                  assignment__completed_at__isnull=False)
    if application_ids is not None:
        scores = scores.filter(assignment__application_id__in=list(application_ids))
    per_juror: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for app_id, assignment_id, criterion_id, value in scores.values_list(
            "assignment__application_id", "assignment_id", "criterion_id", "value"):
        per_juror[app_id][assignment_id] += weights.get(criterion_id, 0) * value
    return {app_id: round(sum(10 * s / total_weight for s in jurors.values()) / len(jurors), 2)
            for app_id, jurors in per_juror.items()}


def weighted_score(application: Application) -> float | None:
    return weighted_scores(application.call, [application.pk]).get(application.pk)


def side_of(application: Application) -> str:
    """The country of the application's first village ("" without one)."""
    villages = sorted(application.villages.all(), key=lambda v: v.pk)  # prefetched by the callers that list many
    return villages[0].municipality.country.code if villages else ""


def propose(call: Call) -> tuple[selection.Selection, list]:
    """The optimal selection among the eligible, scored applications, and the ranking behind it."""
    scores = weighted_scores(call)
    apps = (call.applications.filter(status__in=[Application.Status.ELIGIBLE, Application.Status.SELECTED,
                                                 Application.Status.NOT_SELECTED], pk__in=list(scores))
            .prefetch_related("budget_lines", Prefetch("villages", queryset=Village.objects.select_related(
                "municipality__country").defer("municipality__boundary"))))
    rows = [(app, selection.Candidate(app.pk, scores[app.pk], min(app.requested_cents, call.ceiling_cents), side_of(app)))
            for app in apps]
    result = selection.select([c for _, c in rows], budget_cents=call.budget_cents, max_projects=call.expected_projects,
                              min_per_side=1 if call.balance_sides else 0, sides=("BE", "FR"))
    ranked = sorted(rows, key=lambda r: (-r[1].score, r[1].amount_cents, r[1].key))
    return result, ranked


def scores_for(*, viewer, application: Application) -> list[JuryAssignment]:
    """What a jury member may see of the other jurors' scores: nothing until they have scored themselves (or
    declared a conflict, then nothing at all); coordinators see everything."""
    if permissions.is_coordinator(viewer):
        return list(application.assignments.select_related("juror").prefetch_related("scores"))
    own = permissions.own_assignment(viewer, application)
    if own is None or not permissions.is_juror(viewer):
        raise PermissionDenied
    if not permissions.can_see_other_scores(viewer, application):
        return [own]
    return list(application.assignments.filter(conflict=False, completed_at__isnull=False)  # those who scored
                .select_related("juror").prefetch_related("scores"))


# --- funded projects -------------------------------------------------------------------------------------------

COUNTED = [Expense.Status.ACCEPTED, Expense.Status.APPROVED]  # expenses that count as spent


def spent_on_line(line) -> int:
    return line.expenses.filter(status__in=COUNTED).aggregate(s=Sum("amount_cents"))["s"] or 0


def portfolio_state(call=None) -> list[dict]:
    """Coordinators' view of the funded projects: granted, spent, awaiting approval, last report."""
    def total(statuses):
        # One subquery per figure: joining expenses and reports in one query would count each expense once per report.
        return Subquery(Expense.objects.filter(application=OuterRef("pk"), status__in=statuses).order_by()
                        .values("application").annotate(s=Sum("amount_cents")).values("s")[:1])

    reports = ProgressReport.objects.filter(application=OuterRef("pk"))
    qs = Application.objects.filter(status=Application.Status.SELECTED).select_related("call")
    if call is not None:
        qs = qs.filter(call=call)
    qs = qs.annotate(
        spent=total(COUNTED),
        pending=total([Expense.Status.NEEDS_APPROVAL]),
        last_report=Subquery(reports.order_by("-created_at").values("created_at")[:1]),
        final=Exists(reports.filter(final=True)),
    ).order_by("call__deadline", "title")
    return [{"app": a, "granted": a.granted_cents or 0, "spent": a.spent or 0, "pending": a.pending or 0,
             "share": round(100 * (a.spent or 0) / a.granted_cents) if a.granted_cents else 0, "last_report": a.last_report,
             "final": bool(a.final)} for a in qs]
