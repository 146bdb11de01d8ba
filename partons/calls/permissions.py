"""Who may see and do what in the calls for projects. Services, views, file views and the API ask these rules;
templates receive their answers as `can_…` booleans and never decide.

The jury rule: a juror scores an application once. Their scores are final as soon as they are saved, because that is
when the other jurors' scores are shown to them; a juror who then finds a conflict of interest declares it, and their
scores stay on record but no longer count."""
from __future__ import annotations

from partons.core.roles import Role, has_role

from .models import Application, JuryAssignment


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR)


def is_juror(user) -> bool:
    """A jury member now: the role is checked at every request, so a revoked juror loses access at once."""
    return _signed_in(user) and has_role(user, Role.JURY_MEMBER)


def own_assignment(user, application: Application) -> JuryAssignment | None:
    if not _signed_in(user):
        return None
    return application.assignments.filter(juror=user).first()


def can_read_application(user, application: Application) -> bool:
    """Its text, budget and files: the applicant, the coordinators, and the jurors assigned to it who are jury members
    now and have declared no conflict of interest (a conflicted juror sees the title and nothing else)."""
    if not _signed_in(user):
        return False
    if application.applicant_id == user.pk or is_coordinator(user):
        return True
    assignment = own_assignment(user, application)
    return assignment is not None and not assignment.conflict and is_juror(user)


def can_open_assignment(user, assignment: JuryAssignment) -> bool:
    """The scoring page of an assignment: its own juror, while a jury member."""
    return _signed_in(user) and assignment.juror_id == user.pk and is_juror(user)


def can_score(user, assignment: JuryAssignment) -> bool:
    """Score: its own juror, a jury member now, no conflict declared, not scored yet (scores are final), and the
    call's results not published."""
    return (can_open_assignment(user, assignment) and not assignment.conflict and assignment.completed_at is None
            and assignment.application.call.results_published_at is None)


def can_declare_conflict(user, assignment: JuryAssignment) -> bool:
    return can_open_assignment(user, assignment) and not assignment.conflict


def can_see_other_scores(user, application: Application) -> bool:
    """The other jurors' scores: coordinators; a juror once they have scored (never with a conflict)."""
    if is_coordinator(user):
        return True
    assignment = own_assignment(user, application)
    return (assignment is not None and is_juror(user) and not assignment.conflict
            and assignment.completed_at is not None)


def is_applicant(user, application: Application) -> bool:
    return _signed_in(user) and application.applicant_id == user.pk


def can_see_decision(user, application: Application) -> bool:
    """Whether an application was selected, with the amount and the reasons: coordinators at once; its applicant only
    once the call's results are published (before that they see "under review", whatever was decided)."""
    return is_coordinator(user) or (is_applicant(user, application)
                                    and application.call.results_published_at is not None)


def can_edit_application(user, application: Application) -> bool:
    return is_applicant(user, application) and application.status == Application.Status.DRAFT


def can_report_progress(user, application: Application) -> bool:
    """Progress reports and expenses: the applicant of a selected project, once the results are published (earlier,
    an accepted report would tell them the decision)."""
    return (is_applicant(user, application) and application.status == Application.Status.SELECTED
            and application.call.results_published_at is not None)


def can_review(user) -> bool:
    """A call's review page (eligibility, jury, ranking, audit trail) and its decisions: coordinators."""
    return is_coordinator(user)
