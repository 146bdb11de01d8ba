"""Who may see and do what with surveys. Services and views ask these rules; templates get `can_…` booleans.

Coordinators manage every survey (in the admin and on the site). The holder of a funded project (an application of
a call with the status "selected") manages the surveys of that project, each about one of the project's own
villages — nothing else."""
from __future__ import annotations

from partons.calls.models import Application
from partons.core.roles import Role, has_role

FUNDED = Application.Status.SELECTED


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def is_coordinator(user) -> bool:
    return has_role(user, Role.COORDINATOR)


def funded_projects_of(user):
    """The funded projects `user` holds (none for someone not signed in)."""
    if not _signed_in(user):
        return Application.objects.none()
    return Application.objects.filter(applicant=user, status=FUNDED)


def holds_project_for(user, project, village) -> bool:
    """`user` holds `project`, it is funded, and `village` is one of its villages."""
    return (_signed_in(user) and project is not None and village is not None and project.applicant_id == user.pk
            and project.status == FUNDED and project.villages.filter(pk=village.pk).exists())


def can_create_survey(user, *, project=None, village=None) -> bool:
    """Coordinators: any survey. A project holder: one about their funded project, in one of its villages."""
    return is_coordinator(user) or holds_project_for(user, project, village)


def can_manage_survey(user, survey) -> bool:
    """Edit its questions, read its results (public or not), key in paper answers, export them."""
    return is_coordinator(user) or holds_project_for(user, survey.project, survey.village)


def can_see_survey(user, survey) -> bool:
    return survey.published or can_manage_survey(user, survey)


def can_see_results(user, survey) -> bool:
    return (survey.published and survey.results_public) or can_manage_survey(user, survey)


def can_invite_participants(user, survey) -> bool:
    """E-mail an event's participants a link to the survey: coordinators."""
    return is_coordinator(user) and survey.event_id is not None
