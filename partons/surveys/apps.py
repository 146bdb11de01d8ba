from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "partons.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from partons.core import gdpr

        gdpr.declare("survey_responses", export=_export, erase=_erase, covers={
            "surveys.Response": "user: answers exported; on erasure detached from the account (they stay, anonymous); "
                                "entered_by: who keyed in a paper answer, emptied",
            "surveys.Survey": "created_by: who created the survey, emptied",
        })


def _export(user) -> list[dict]:
    from .selectors import responses_of

    out = []
    for r in responses_of(user):
        answers: dict[str, list] = {}
        for a in r.answers.all():
            value = (a.choice.text if a.choice_id else a.number if a.number is not None
                     else a.village.name if a.village_id and a.lon is None
                     else [a.lon, a.lat] if a.lon is not None else a.text)
            answers.setdefault(a.question.text, []).append(value)
        out.append({"survey": r.survey.slug, "title": r.survey.title, "answered_at": r.created_at.isoformat(),
                    "source": r.source, "language": r.language, "answers": answers})
    return out


def _erase(user) -> None:
    """The answers stay (the results do not change) but no longer point at the account."""
    from .models import Response, Survey

    Response.objects.filter(user=user).update(user=None)
    Response.objects.filter(entered_by=user).update(entered_by=None)
    Survey.objects.filter(created_by=user).update(created_by=None)
