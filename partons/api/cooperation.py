"""The cross-border cooperation in the public API: the partner organisations and the regional action plan (pillars,
actions, their lead, status, milestones, indicators and links to projects, calls and events). Public data only:
never a group's members, meetings, minutes or decisions, and no personal data."""
from __future__ import annotations

from ninja import Router
from ninja.errors import HttpError

from partons.cooperation import selectors
from .schemas import ActionOut, OrganisationOut, PillarOut

router = Router(tags=["cooperation"])


def _num(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _organisation(o) -> dict:
    return {"name": o.name, "name_other": o.name_other, "acronym": o.acronym,
            "country": o.country.code if o.country_id else None, "kind": o.kind, "programme_role": o.programme_role,
            "website": o.website, "contact_role": o.contact_role,
            "municipality": o.municipality.key if o.municipality_id else None}


def _lead(o) -> dict | None:
    if o is None:
        return None
    return {"name": o.name, "acronym": o.acronym, "country": o.country.code if o.country_id else None, "kind": o.kind}


def _action(a) -> dict:
    progress = selectors.milestone_progress(a)
    wg = a.working_group
    return {
        "code": a.code, "number": a.number, "slug": a.slug, "pillar": a.pillar.order,
        "title_nl": a.title_nl, "title_fr": a.title_fr, "description_nl": a.description_nl,
        "description_fr": a.description_fr, "status": a.status,
        "starts_on": a.starts_on.isoformat() if a.starts_on else None,
        "ends_on": a.ends_on.isoformat() if a.ends_on else None,
        "lead": _lead(a.lead), "lead_is_assumption": a.lead_is_assumption,
        "working_group": {"slug": wg.slug, "kind": wg.kind, "name_nl": wg.name_nl, "name_fr": wg.name_fr,
                          "url": wg.get_absolute_url()} if wg else None,
        "milestones": [{"title_nl": m.title_nl, "title_fr": m.title_fr,
                        "due_on": m.due_on.isoformat() if m.due_on else None, "done": m.done,
                        "done_on": m.done_on.isoformat() if m.done_on else None, "overdue": m in progress["overdue"]}
                       for m in a.milestones.all()],
        "milestones_done_percent": progress["percent"],
        "indicators": [{"name_nl": i.name_nl, "name_fr": i.name_fr, "unit": i.unit, "target": _num(i.target_value),
                        "current": _num(i.current_value), "percent": i.percent,
                        "updated_on": i.updated_on.isoformat() if i.updated_on else None} for i in a.indicators.all()],
        "projects": [{"id": p.pk, "title": p.title, "call": p.call.slug, "villages": [v.slug for v in p.village_list],
                      "synthetic": p.synthetic} for p in a.public_projects],
        "calls": [{"slug": c.slug, "title_nl": c.title_nl, "title_fr": c.title_fr, "url": c.get_absolute_url()}
                  for c in a.public_calls],
        "events": [{"slug": e.slug, "title_nl": e.title_nl, "title_fr": e.title_fr, "starts_at": e.starts_at.isoformat(),
                    "url": selectors.event_url(e) or None} for e in a.public_events],
        "url": a.get_absolute_url(),
    }


@router.get("/organisations", response=list[OrganisationOut], summary="The partner organisations of the cross-border cooperation "
            "(contacts are roles, never persons)")
def list_organisations(request):
    return [_organisation(o) for _code, orgs in selectors.organisations_by_country() for o in orgs]


@router.get("/action-plan", response=list[PillarOut], summary="The regional action plan: pillars with their public actions, "
            "lead organisations, status, milestones, indicators and linked projects, calls and events")
def action_plan(request):
    return [{"order": p.order, "name_nl": p.name_nl, "name_fr": p.name_fr, "description_nl": p.description_nl,
             "description_fr": p.description_fr, "actions": [_action(a) for a in p.action_list]}
            for p in selectors.action_plan(links=True)]


@router.get("/actions/{slug}", response=ActionOut, summary="One public action of the plan")
def get_action(request, slug: str):
    a = selectors.public_action(slug)
    if a is None:
        raise HttpError(404, f"action: no public action {slug!r}")
    return _action(a)
