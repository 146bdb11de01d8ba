"""Every write of the calls for projects, in transactions, with permission checks and the audit trail."""
from __future__ import annotations


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partons.core.text import one_line
from partons.core.roles import Role, has_role, require_role
from partons.core.tasks import task
from partons.core.uploads import check_document, stored_copy

from . import permissions, selectors
from .models import Application, AuditEntry, BudgetLine, Call, JuryAssignment, Score

REQUIRED = ("organisation", "applicant_type", "title", "idea", "participants", "timeline")


def _eur(cents: int) -> str:
    from django.utils.formats import number_format

    return number_format(cents / 100, decimal_pos=0 if cents % 100 == 0 else 2, use_l10n=True, force_grouping=True)


def _audit(call, action, *, by=None, application=None, **details):
    AuditEntry.objects.create(call=call, application=application, action=action, by=by, details=details)


# What an applicant writes in an application (the form's fields of the same names).
EDITABLE = ("organisation", "applicant_type", "title", "language", "idea", "participants", "partners", "cross_border", "timeline")


def save_draft(*, by, call: Call, application: Application | None = None, villages=(), lines=(), ideas=None,
               **fields) -> Application:
    """Create or update a draft application (nothing is checked beyond lengths: it is a draft).
    ``lines``: [(CostCategory, description, amount_cents)]; ``ideas``: the public ideas the project comes from (None:
    unchanged); ``fields``: any of EDITABLE."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"save_draft: not an applicant's field: {', '.join(sorted(unknown))}")
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    if application is not None and application.applicant_id != by.pk:
        raise PermissionDenied
    if application is not None and application.status != Application.Status.DRAFT:
        raise ValidationError(_("This application has been submitted: it can no longer be changed."))
    if not call.published:
        raise ValidationError(_("This call is not published."))
    with transaction.atomic():
        app = application or Application(call=call, applicant=by)
        for k, v in fields.items():
            setattr(app, k, v)
        app.full_clean(exclude=[f for f in REQUIRED if not getattr(app, f)] + ["call", "applicant"])
        app.save()
        app.villages.set(villages)
        if ideas is not None:
            from partons.ideas.models import Idea

            app.ideas.set(Idea.objects.visible().filter(pk__in=[getattr(i, "pk", i) for i in ideas]))
        app.budget_lines.all().delete()
        BudgetLine.objects.bulk_create([BudgetLine(application=app, category=c, description=d[:300], amount_cents=int(a))
                                        for c, d, a in lines])
    return app


def submit(*, by, application: Application, now=None) -> Application:
    """Submit before the deadline; every rule of the call is checked, each error naming its field."""
    now = now or timezone.now()
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        if app.applicant_id != by.pk:
            raise PermissionDenied
        call = app.call
        if not app.can_move_to(Application.Status.SUBMITTED):
            raise ValidationError(_("This application has already been submitted."))
        if not call.is_open(now):
            raise ValidationError(_("The deadline has passed (%(deadline)s): applications can no longer be submitted.")
                                  % {"deadline": timezone.localtime(call.deadline).strftime("%d/%m/%Y %H:%M")}
                                  if now >= call.deadline else _("This call is not open yet."))
        errors: dict[str, list[str]] = {}
        for f in REQUIRED:
            if not getattr(app, f):
                errors.setdefault(f, []).append(_("This field is required."))
        if call.applicant_types and app.applicant_type and app.applicant_type not in call.applicant_types:
            errors.setdefault("applicant_type", []).append(_("This call is not open to this kind of applicant."))
        villages = list(app.villages.select_related("municipality"))
        if not villages:
            errors.setdefault("villages", []).append(_("Choose at least one village."))
        area = set(call.municipalities.values_list("pk", flat=True))
        outside = [v.name for v in villages if v.municipality_id not in area]
        if outside:
            errors.setdefault("villages", []).append(_("Outside the area of the call: %(names)s.") % {"names": ", ".join(outside)})
        lines = list(app.budget_lines.select_related("category"))
        eligible = set(call.cost_categories.values_list("pk", flat=True))
        if not lines:
            errors.setdefault("budget", []).append(_("Add at least one budget line."))
        for i, line in enumerate(lines, start=1):
            if line.category_id not in eligible:
                errors.setdefault("budget", []).append(_("Line %(n)s: “%(cat)s” is not an eligible cost in this call.")
                                                       % {"n": i, "cat": line.category.name})
            if line.amount_cents <= 0:
                errors.setdefault("budget", []).append(_("Line %(n)s: give an amount.") % {"n": i})
        total = sum(line.amount_cents for line in lines)
        if total > call.ceiling_cents:
            errors.setdefault("budget", []).append(_("The total (€ %(total)s) is above the ceiling of € %(ceiling)s.")
                                                   % {"total": _eur(total), "ceiling": _eur(call.ceiling_cents)})
        if errors:
            raise ValidationError(errors)
        app.status = Application.Status.SUBMITTED
        app.submitted_at = now
        app.save(update_fields=["status", "submitted_at", "updated_at"])
        _audit(call, "submitted", by=by, application=app, total_cents=total)
    return app


def check_eligibility(*, by, application: Application, eligible: bool, note: str = "") -> Application:
    require_role(by, Role.COORDINATOR)
    if not eligible and not note.strip():
        raise ValidationError({"note": _("Say why the application is not eligible.")})
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        target = Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE
        if not application.can_move_to(target):
            raise ValidationError(_("Only submitted applications are checked."))
        application.status = target
        application.eligibility_note = note
        application.save(update_fields=["status", "eligibility_note", "updated_at"])
        _audit(application.call, "eligible" if eligible else "ineligible", by=by, application=application, note=note)
    return application


def assign_jurors(*, by, application: Application, jurors) -> list[JuryAssignment]:
    require_role(by, Role.COORDINATOR)
    if application.status != Application.Status.ELIGIBLE:
        raise ValidationError(_("Only eligible applications go to the jury."))
    out = []
    with transaction.atomic():
        for juror in jurors:
            if not has_role(juror, Role.JURY_MEMBER):
                raise ValidationError(_("%(who)s is not a jury member.") % {"who": juror.display_name or juror.email})
            if juror.pk == application.applicant_id:  # a conflict of interest built into the rules
                raise ValidationError(_("%(who)s applied: they cannot judge their own application.")
                                      % {"who": juror.display_name or juror.email})
            a, _created = JuryAssignment.objects.get_or_create(application=application, juror=juror)
            out.append(a)
        _audit(application.call, "jurors_assigned", by=by, application=application, jurors=[j.pk for j in jurors])
    return out


def declare_conflict(*, by, assignment: JuryAssignment, note: str) -> JuryAssignment:
    """Keep a juror out of an application. Scores already given stay on record (the audit trail and the ranking's
    history do not change behind anyone's back) but no longer count."""
    if not permissions.can_declare_conflict(by, assignment):
        raise PermissionDenied
    with transaction.atomic():
        assignment.conflict = True
        assignment.conflict_note = note[:500]
        assignment.save(update_fields=["conflict", "conflict_note"])
        _audit(assignment.application.call, "conflict_declared", by=by, application=assignment.application,
               after_scoring=assignment.completed_at is not None, note=note[:500])
    return assignment


def score(*, by, assignment: JuryAssignment, values: dict) -> JuryAssignment:
    """values: {criterion_id: (score 0–10, comment)} for every criterion of the call."""
    if not permissions.can_open_assignment(by, assignment):
        raise PermissionDenied
    if assignment.conflict:
        raise ValidationError(_("You declared a conflict of interest for this application."))
    if assignment.completed_at is not None:
        raise ValidationError(_("Your scores are final: they were saved and the other jury members' scores shown to you."))
    if assignment.application.call.results_published_at is not None:
        raise ValidationError(_("The results of this call are published: scoring is over."))
    criteria = list(assignment.application.call.criteria.all())
    errors = {}
    for c in criteria:
        v = values.get(c.pk)
        if v is None or v[0] is None or not 0 <= int(v[0]) <= 10:
            errors[f"criterion_{c.pk}"] = [_("Give a score from 0 to 10.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = JuryAssignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.completed_at is not None:  # the same form posted twice at once
            raise ValidationError(_("Your scores are final: they were saved and the other jury members' scores shown to you."))
        given = {}
        for c in criteria:
            value, comment = values[c.pk]
            Score.objects.create(assignment=assignment, criterion=c, value=int(value), comment=(comment or "")[:2000])
            given[str(c.pk)] = int(value)
        assignment.completed_at = timezone.now()
        assignment.save(update_fields=["completed_at"])
        _audit(assignment.application.call, "scored", by=by, application=assignment.application, scores=given)
    return assignment


def decide(*, by, call: Call, selected_ids, justification: str = "", reasons: dict | None = None) -> None:
    """Record the selection: the proposal, or the coordinators' own choice with a written justification. Never
    above the budget or the ceiling."""
    require_role(by, Role.COORDINATOR)
    proposal, ranked = selectors.propose(call)
    chosen = set(int(i) for i in selected_ids)
    known = {app.pk: (app, c) for app, c in ranked}
    if chosen - set(known):
        raise ValidationError(_("Only eligible, scored applications can be selected."))
    total = sum(known[i][1].amount_cents for i in chosen)
    if total > call.budget_cents:
        raise ValidationError(_("The selection costs more than the call's budget."))
    if len(chosen) > call.expected_projects:
        raise ValidationError(_("More projects than the call expects."))
    overridden = chosen != set(proposal.selected)
    if overridden and not justification.strip():
        raise ValidationError({"justification": _("The selection differs from the proposal: write why.")})
    reasons = reasons or {}
    with transaction.atomic():
        for pk, (app, c) in known.items():
            target = Application.Status.SELECTED if pk in chosen else Application.Status.NOT_SELECTED
            if not app.can_move_to(target):  # the ranking holds only applications that may be decided on
                raise ValidationError(_("Only eligible, scored applications can be selected."))
            app.status = target
            app.granted_cents = c.amount_cents if pk in chosen else None
            app.decision_reason = reasons.get(pk, app.decision_reason)
            app.save(update_fields=["status", "granted_cents", "decision_reason", "updated_at"])
        _audit(call, "selection_decided", by=by, selected=sorted(chosen), proposal=proposal.selected,
               overridden=overridden, justification=justification, total_cents=total)


def publish_results(*, by, call: Call) -> int:
    """Publish the decisions: the portfolio shows the selected projects, every applicant gets an e-mail with the
    decision and its reasons, in their language."""
    require_role(by, Role.COORDINATOR)
    decided = call.applications.filter(status__in=[Application.Status.SELECTED, Application.Status.NOT_SELECTED,
                                                   Application.Status.INELIGIBLE])
    if not decided.filter(status=Application.Status.SELECTED).exists():
        raise ValidationError(_("Decide the selection before publishing the results."))
    with transaction.atomic():
        call.results_published_at = timezone.now()
        call.save(update_fields=["results_published_at"])
        _audit(call, "results_published", by=by, selected=list(decided.filter(status="selected").values_list("pk", flat=True)))
    ids = list(decided.values_list("pk", flat=True))
    transaction.on_commit(lambda: notify_decisions.enqueue(ids))
    return len(ids)




@task()
def notify_decisions(application_ids: list[int]) -> None:
    from django.urls import reverse

    from partons.core import mail

    for app in Application.objects.filter(pk__in=application_ids).select_related("applicant", "call"):
        mail.send_to_user(app.applicant, "calls/email/decision.txt",
                          lambda: _("[Partons] Your application “%(title)s”: %(status)s") % {
                              "title": one_line(app.title)[:60], "status": app.get_status_display()},
                          lambda: {"app": app, "sessions": list(app.call.sessions.all()),
                                   "url": mail.absolute_url(reverse("calls:application", kwargs={"pk": app.pk}))})


# --- coaching and follow-up -------------------------------------------------------------------------------------

def record_attendance(*, by, session, present_ids) -> None:
    """Record who came: every selected project of the call is invited; those ticked were there."""
    require_role(by, Role.COORDINATOR)
    from .models import Attendance

    invited = session.call.applications.filter(status=Application.Status.SELECTED)
    present = {int(i) for i in present_ids}
    with transaction.atomic():
        for app in invited:
            Attendance.objects.update_or_create(session=session, application=app, defaults={"present": app.pk in present})
        _audit(session.call, "attendance", by=by, session=session.pk, present=sorted(present))


def session_ics(session) -> bytes:
    """One coaching session as an iCalendar file, in the language of the request."""
    from partons.core.ical import Entry, calendar

    return calendar([Entry(uid=f"coaching-session-{session.pk}", start=session.starts_at, end=session.ends_at,
                           summary=_("Coaching session: %(call)s") % {"call": session.call.title},
                           location=session.place + (f" ({session.village.name})" if session.village_id else ""),
                           description=session.agenda or "")], prodid="calls")


def _own_selected(by, application: Application) -> Application:
    if not permissions.is_applicant(by, application):
        raise PermissionDenied
    if not permissions.can_report_progress(by, application):
        raise ValidationError(_("Only selected projects report on their progress."))
    return application


def add_report(*, by, application: Application, text: str, final: bool = False, photo=None):
    from .models import ProgressReport

    _own_selected(by, application)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write how the project is going.")})
    with transaction.atomic():  # the report and its audit entry, together
        r = ProgressReport.objects.create(application=application, text=text[:5000], final=final, photo=photo or "", by=by)
        _audit(application.call, "final_report" if final else "progress_report", by=by, application=application)
    return r


def add_expense(*, by, application: Application, line, description: str, amount_cents: int, spent_on):
    """An expense against a granted budget line. Within what the line holds it is accepted; beyond it, it waits for
    a coordinator's approval (nothing is spent over a line without one)."""
    from .models import Expense

    _own_selected(by, application)
    if line.application_id != application.pk:
        raise ValidationError({"line": _("That budget line belongs to another project.")})
    if amount_cents <= 0:
        raise ValidationError({"amount": _("Give an amount.")})
    if spent_on > timezone.localdate():
        raise ValidationError({"spent_on": _("This day is in the future.")})
    with transaction.atomic():
        BudgetLine.objects.select_for_update().get(pk=line.pk)  # one expense at a time per line
        over = selectors.spent_on_line(line) + amount_cents > line.amount_cents
        e = Expense.objects.create(application=application, line=line, description=description[:300],
                                   amount_cents=amount_cents, spent_on=spent_on, by=by,
                                   status=Expense.Status.NEEDS_APPROVAL if over else Expense.Status.ACCEPTED)
        _audit(application.call, "expense", by=by, application=application, amount_cents=amount_cents, over_line=over)
    return e


def decide_expense(*, by, expense, approve: bool):
    from .models import Expense

    require_role(by, Role.COORDINATOR)
    with transaction.atomic():  # decided once, even by two coordinators at the same time, and audited with it
        expense = Expense.objects.select_for_update().select_related("application__call").get(pk=expense.pk)
        if expense.status != Expense.Status.NEEDS_APPROVAL:
            raise ValidationError(_("This expense does not wait for an approval."))
        expense.status = Expense.Status.APPROVED if approve else Expense.Status.REFUSED
        expense.decided_by = by
        expense.save(update_fields=["status", "decided_by"])
        _audit(expense.application.call, "expense_approved" if approve else "expense_refused", by=by,
               application=expense.application, expense=expense.pk)
    return expense


def request_brainstorm(*, by, village, group: str, message: str):
    from partons.core.ratelimit import hit

    from .models import BrainstormRequest

    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied
    hit(f"brainstorm:{by.pk}", limit=5, window_s=3600)
    if not (group or "").strip() or not (message or "").strip():
        raise ValidationError({"message": _("Say who you are and what you would like to talk about.")})
    return BrainstormRequest.objects.create(village=village, requester=by, group=group[:200], message=message[:2000])


def schedule_brainstorm(*, by, request_, when):
    from .models import BrainstormRequest

    require_role(by, Role.COORDINATOR)
    request_.status = BrainstormRequest.Status.SCHEDULED
    request_.scheduled_at = when
    request_.save(update_fields=["status", "scheduled_at"])
    return request_


# --- attachments -------------------------------------------------------------------------------------------------

MAX_ATTACHMENTS = 5


def add_attachment(*, by, application: Application, upload):
    from .models import Attachment

    if application.applicant_id != by.pk:
        raise PermissionDenied
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("This application has been submitted: it can no longer be changed."))
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("At most %(n)s files.") % {"n": MAX_ATTACHMENTS})
    name = check_document(upload)
    return Attachment.objects.create(application=application, file=stored_copy(upload, name), name=name, size=upload.size)


