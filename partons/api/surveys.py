"""Aggregated results of public surveys (published, with public results): counts per answer, per side of the border
and per village. Never who answered, never the free texts (they may name people): those stay on the results page."""
from __future__ import annotations

from typing import Literal

from django.utils import translation
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from partons.surveys import selectors
from partons.surveys.models import Survey

from .params import paging
from .schemas import Paged

router = Router(tags=["surveys"])


class ResultRowOut(Schema):
    model_config = ConfigDict(extra="allow")
    key: int
    label: str
    total: int
    BE: int
    FR: int
    unknown: int


class QuestionResultOut(Schema):
    model_config = ConfigDict(extra="allow")
    number: int
    kind: str
    text: str
    text_nl: str
    text_fr: str
    required: bool
    answered: int
    mean: float | None = None
    rows: list[ResultRowOut]
    points: int


class SurveySummaryOut(Schema):
    model_config = ConfigDict(extra="allow")
    slug: str
    title: str
    title_nl: str
    title_fr: str
    opens_at: str
    closes_at: str
    village: str | None
    synthetic: bool
    url: str
    results_url: str


class SurveyPage(Paged):
    items: list[SurveySummaryOut]


class SurveyFilters(Schema):
    lang: Literal["nl", "fr", "en"] | None = Field(None, description="Language of `title`")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class SurveyResultsOut(SurveySummaryOut):
    responses: int
    online: int
    paper: int
    by_side: dict[str, int]
    by_village: list[dict]
    questions: list[QuestionResultOut]


def _public() -> object:
    return Survey.objects.filter(published=True, results_public=True).select_related("village")


def _summary(s: Survey) -> dict:
    return {"slug": s.slug, "title": s.title, "title_nl": s.title_nl, "title_fr": s.title_fr,
            "opens_at": s.opens_at.isoformat(), "closes_at": s.closes_at.isoformat(),
            "village": s.village.slug if s.village_id else None, "synthetic": s.synthetic, "url": s.get_absolute_url(),
            "results_url": f"/api/surveys/{s.slug}/results"}


@router.get("/surveys", response=SurveyPage,
            summary="Surveys whose results are public, newest first; paginated (limit/offset, `next`)")
def list_surveys(request, filters: Query[SurveyFilters]):
    qs = _public().order_by("-opens_at", "pk")  # type: ignore[attr-defined]
    total = qs.count()
    with translation.override(filters.lang or translation.get_language_from_request(request, check_path=False)):
        items = [_summary(s) for s in qs[filters.offset:filters.offset + filters.limit]]
    return {**paging(request, total=total, returned=len(items), offset=filters.offset, limit=filters.limit), "items": items}


@router.get("/surveys/{slug}/results", response=SurveyResultsOut,
            summary="The aggregated results of a survey with public results: per answer, side of the border and village")
def survey_results(request, slug: str, lang: Literal["nl", "fr", "en"] | None = None):
    with translation.override(lang or translation.get_language_from_request(request, check_path=False)):
        survey = _public().filter(slug=slug).first()  # type: ignore[attr-defined]
        if survey is None:
            raise HttpError(404, f"survey: no survey with public results {slug!r}")
        data = selectors.results(survey)
        return {
            **_summary(survey), "responses": data["responses"], "online": data["online"], "paper": data["paper"],
            "by_side": data["by_side"],
            "by_village": [{"village": r["village"].slug, "name": r["village"].name, "country": r["village"].country_code,
                            "respondents": r["n"]} for r in data["by_village"]],
            "questions": [{"number": i, "kind": item["question"].kind, "text": item["question"].text,
                           "text_nl": item["question"].text_nl, "text_fr": item["question"].text_fr,
                           "required": item["question"].required, "answered": item["answered"], "mean": item["mean"],
                           "rows": [{k: v for k, v in r.items()} for r in item["rows"]], "points": len(item["points"])}
                          for i, item in enumerate(data["questions"], 1)],
        }
