"""Calls for projects in the public API: the calls and their rules, and the selected projects with the amounts
granted. Never the jury's scores or applicants' personal data."""
from __future__ import annotations

from typing import Literal

from django.utils import translation
from ninja import Router
from ninja.errors import HttpError

from partons.calls import selectors
from partons.calls.models import Call
from .schemas import CallOut, ProjectOut

router = Router(tags=["calls"])


def _call(c: Call) -> dict:
    return {
        "slug": c.slug, "title_nl": c.title_nl, "title_fr": c.title_fr, "text_nl": c.text_nl, "text_fr": c.text_fr,
        "themes_nl": c.themes_nl, "themes_fr": c.themes_fr, "budget_eur": c.budget_cents / 100,
        "ceiling_eur": c.ceiling_cents / 100, "expected_projects": c.expected_projects,
        "applicant_types": c.applicant_types, "opens_at": c.opens_at.isoformat(), "deadline": c.deadline.isoformat(),
        "phase": c.phase, "results_published_at": c.results_published_at.isoformat() if c.results_published_at else None,
        "cost_categories": [{"code": k.code, "name_nl": k.name_nl, "name_fr": k.name_fr} for k in c.cost_categories.all()],
        "criteria": [{"name_nl": k.name_nl, "name_fr": k.name_fr, "weight": k.weight} for k in c.criteria.all()],
        "municipalities": [m.key for m in c.municipalities.select_related("country").only("code", "country__code")],
        "url": c.get_absolute_url(),
    }


def _project(a) -> dict:
    return {"id": a.pk, "title": a.title, "language": a.language, "call": a.call.slug, "granted_eur": (a.granted_cents or 0) / 100,
            "villages": [v.slug for v in a.village_list], "synthetic": a.synthetic}


@router.get("/calls", response=list[CallOut], summary="Published calls for projects, newest deadline first")
def list_calls(request, lang: Literal["nl", "fr", "en"] | None = None):
    with translation.override(lang or translation.get_language_from_request(request, check_path=False)):
        return [_call(c) for c in selectors.public_calls().prefetch_related("cost_categories", "criteria")]


@router.get("/calls/{slug}", response=CallOut, summary="One call, with its selected projects once "
            "the results are published")
def get_call(request, slug: str):
    c = selectors.public_calls().filter(slug=slug).first()
    if c is None:
        raise HttpError(404, f"call: no published call {slug!r}")
    out = _call(c)
    out["selected_projects"] = [_project(a) for a in selectors.portfolio(call=c)] if c.results_published_at else []
    return out


@router.get("/projects", response=list[ProjectOut], summary="The portfolio: selected projects and their granted amounts")
def list_projects(request):
    return [_project(a) for a in selectors.portfolio()]
