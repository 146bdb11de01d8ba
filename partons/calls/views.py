"""Public pages of the calls for projects: the calls (open and past, with their results) and the portfolio."""
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from partons.core.maps import map_config

from . import selectors
from .models import ApplicantType, Call


@require_GET
def call_list(request):
    calls = list(selectors.public_calls())
    return render(request, "calls/list.html", {
        "open": [c for c in calls if c.phase in ("open", "upcoming")],
        "past": [c for c in calls if c.phase in ("review", "results")],
    })


@require_GET
def call_detail(request, slug):
    call = get_object_or_404(Call.objects.prefetch_related("criteria", "cost_categories", "documents"), slug=slug,
                             published=True)
    types = dict(ApplicantType.choices)
    municipalities = call.municipalities.select_related("country").order_by("country__code", "sort_nl")
    return render(request, "calls/detail.html", {
        "call": call, "applicant_types": [types.get(t, t) for t in call.applicant_types],
        "municipalities": municipalities, "projects": selectors.portfolio(call=call) if call.results_published_at else [],
        "total_weight": sum(c.weight for c in call.criteria.all()),
    })


@require_GET
def portfolio(request):
    projects = list(selectors.portfolio())
    return render(request, "calls/portfolio.html", {"projects": projects, "map": map_config(),
                                                    "has_synthetic": any(p.synthetic for p in projects)})
