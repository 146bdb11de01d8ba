from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "partons.calls"
    label = "calls"
    verbose_name = _("Calls for projects")

    def ready(self):
        from partons.core import gdpr

        gdpr.declare("calls", export=_export, erase=_erase, covers={
            "calls.Application": "applicant: exported whole (texts, villages, budget lines, files, status, decision); "
                                 "drafts are deleted with their files; submitted ones stay in the call's history "
                                 "without their applicant, their files deleted",
            "calls.Attachment": "an application's files: listed in the export; deleted on erasure",
            "calls.BudgetLine": "an application's budget: exported; follows its application",
            "calls.JuryAssignment": "juror: exported with the scores, comments and conflicts; on erasure the juror is "
                                    "set empty and the scores stay, so no ranking changes",
            "calls.Score": "a juror's scores and comments: exported; kept, unsigned",
            "calls.AuditEntry": "by: the steps a person took in a call; kept, unsigned",
            "calls.ProgressReport": "by: exported; the project's reports stay, unsigned",
            "calls.Expense": "by, decided_by: exported; the project's accounts stay, unsigned",
            "calls.BrainstormRequest": "requester: exported; the request stays without its requester",
        })


def _export(user) -> dict:
    """Everything a person did in the calls for projects: their applications whole, their jury work, their requests."""
    from .models import Application, BrainstormRequest, Expense, JuryAssignment, ProgressReport

    def when(value):
        return value.isoformat() if value else None

    apps = (Application.objects.filter(applicant=user).select_related("call")
            .prefetch_related("villages", "budget_lines__category", "attachments"))
    return {
        "applications": [{
            "id": a.pk, "call": a.call.slug, "organisation": a.organisation, "applicant_type": a.applicant_type,
            "title": a.title, "language": a.language, "idea": a.idea, "participants": a.participants, "partners": a.partners,
            "cross_border": a.cross_border, "timeline": a.timeline, "status": a.status,
            "submitted_at": when(a.submitted_at), "decision_reason": a.decision_reason, "granted_cents": a.granted_cents,
            "villages": [v.slug for v in a.villages.all()],
            "budget": [{"category": b.category.code, "description": b.description, "amount_cents": b.amount_cents}
                       for b in a.budget_lines.all()],
            "files": [{"name": f.name, "size": f.size, "sent_at": when(f.created_at)} for f in a.attachments.all()],
        } for a in apps],
        "jury": [{
            "application": j.application_id, "call": j.application.call.slug, "conflict": j.conflict,
            "conflict_note": j.conflict_note, "completed_at": when(j.completed_at),
            "scores": [{"criterion": s.criterion.name, "score": s.value, "comment": s.comment}
                       for s in j.scores.select_related("criterion")],
        } for j in JuryAssignment.objects.filter(juror=user).select_related("application__call")],
        "progress_reports": [{"application": r.application_id, "text": r.text, "final": r.final,
                              "created_at": when(r.created_at)} for r in ProgressReport.objects.filter(by=user)],
        "expenses": [{"application": e.application_id, "description": e.description, "amount_cents": e.amount_cents,
                      "spent_on": when(e.spent_on), "status": e.status} for e in Expense.objects.filter(by=user)],
        "brainstorm_requests": [{"group": b.group, "message": b.message, "status": b.status,
                                 "created_at": when(b.created_at)} for b in BrainstormRequest.objects.filter(requester=user)],
    }


def _erase(user) -> None:
    """Drafts go with their files. Submitted applications are part of a call's history (its ranking, its decisions,
    the money granted): they stay, without their applicant, and their files (letters, quotes that may name people) are
    deleted. Jury work stays unsigned, so that no ranking changes. Other links to the person are emptied by the
    database (SET_NULL) when the account goes."""
    from .models import Application, Attachment, JuryAssignment

    for att in Attachment.objects.filter(application__applicant=user):
        att.file.delete(save=False)
        att.delete()
    Application.objects.filter(applicant=user, status=Application.Status.DRAFT).delete()
    JuryAssignment.objects.filter(juror=user).update(juror=None)
