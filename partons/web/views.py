"""Thin views: parse input, call a selector, render."""
import datetime
import time

from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partons.core.cached import cached_sections, public_page
from partons.core.maps import map_config
from partons.events.selectors import agenda, upcoming_in_village
from partons.territory import selectors
from partons.territory.models import Country, Municipality, Village

PAGE_SIZE = 50
COMING_STEP_S = 300
# A village's or municipality's figures (access, services today and lost, over time, across the border).
PLACE_SECTIONS = {"access": "analysis/_access.html", "services": "web/_services.html",
                  "across_border": "web/_across_border.html"}
DEFAULT_SINCE = 2010


@require_GET
def home(request):
    """The front door: what Partons is, then what a visitor can do today — apply to the open call, share an idea,
    come to an event — the latest answers to ideas, the region's key access figure, and the map."""
    from partons.calls.selectors import public_calls
    from partons.ideas import selectors as ideas

    region = selectors.current_region()
    open_calls = [c for c in public_calls() if c.phase == "open"]
    public_ideas = ideas.public_ideas()
    return render(request, "web/home.html", {
        "region": region,
        "summary": selectors.region_summary(region),
        "map": map_config(),
        "events": list(agenda()[:3]),
        "open_call": min(open_calls, key=lambda c: c.deadline) if open_calls else None,
        "ideas_count": public_ideas.count(),
        "answered_ideas": list(public_ideas.exclude(answer="").select_related("village__municipality__country")
                               .order_by("-updated_at")[:3]),
        "key_figure": _key_figure(),
    })


def _key_figure() -> dict | None:
    """The share of the region's residents within the walking threshold of a general practitioner (and of the
    everyday basket), as the access page computes it; None before any computation."""
    from partons.analysis import selectors as access
    from partons.analysis.models import AccessSettings

    def build():
        out = {}
        for key in ("gp", "basket"):
            values = access.village_values(category=key, mode="walk")
            figure = access.aggregate(list(values.values())) if values else None
            if figure is None or figure.share_within is None:
                return None
            out[key] = round(100 * figure.share_within)
        out["threshold_min"] = AccessSettings.current().threshold_min("walk")
        out["synthetic"] = access.synthetic_inputs()
        return out

    from partons.core.cached import cached_value

    return cached_value("home:key-figure", build, version=access.answers_version())


@require_GET
def village_list(request):
    country = request.GET.get("country", "").upper()
    country = country if country in ("BE", "FR") else ""
    q = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "name")
    sort = sort if sort in selectors.VILLAGE_SORTS else "name"
    qs = selectors.villages(region=selectors.current_region(), country=country or None, q=q or None)
    qs = qs.order_by(*selectors.village_ordering(sort), "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "web/village_list.html", {
        "page": page, "country": country, "q": q, "sort": sort, "countries": Country.objects.all(),
        "querystring": params.urlencode(),
    })


def _since_year(request) -> int:
    try:
        year = int(request.GET.get("since", DEFAULT_SINCE))
    except ValueError:
        year = DEFAULT_SINCE
    return min(max(year, 2000), datetime.date.today().year)


def _services_context(*, village=None, municipality=None, since: int) -> dict:
    """What a village or municipality page shows of its services: today, lost since a year, over time."""
    from partons.observatory import selectors as obs

    today = obs.facilities(village=village, municipality=municipality).order_by("category__order", "name")
    lost = obs.lost_since(since=datetime.date(since, 1, 1), village=village, municipality=municipality) \
        .select_related("category")
    years = sorted({2000, 2005, 2010, 2015, 2020, datetime.date.today().year})
    series = obs.counts_by_year(years=years, village=village, municipality=municipality)
    today_list = list(today)
    lost_list = list(lost)
    return {
        "services_today": today_list, "services_lost": lost_list, "since": since,
        "since_choices": list(range(2000, datetime.date.today().year + 1, 5)),
        "over_time": list(zip(years, series["total"])),
        "has_synthetic": any(f.synthetic for f in today_list + lost_list),
    }


def _figures_version() -> str:
    from partons.analysis import selectors as access
    from partons.observatory import selectors as obs

    return f"{obs.answers_version()}:{access.answers_version()}"


def _access_year(request) -> int | None:
    try:
        return int(request.GET.get("access_since", ""))
    except ValueError:
        return None


def _village_ideas(village) -> list:
    from partons.ideas.selectors import public_ideas

    return list(public_ideas(village=village, sort="supported")[:5])


def _village_page_version() -> str:
    """A village page shows services, access figures, ideas, coming events and open surveys: kept until one of them
    changes, and five minutes at most (an event that has started is no longer "coming", a survey closes)."""
    from partons.events.selectors import data_version as events_version
    from partons.ideas.selectors import data_version as ideas_version
    from partons.surveys.selectors import data_version as surveys_version

    return (f"{_figures_version()}:{ideas_version()}:{events_version()}:{surveys_version()}:"
            f"{int(time.time() // COMING_STEP_S)}")


@require_GET
@public_page(_village_page_version)
def village_detail(request, slug):
    village = selectors.village_by_slug(slug)
    if village.merged_into_id:
        return redirect(village.merged_into, permanent=False)
    from partons.observatory import selectors as obs

    neighbours = selectors.villages(municipality=village.municipality).exclude(pk=village.pk).order_by(Village.sort_field())
    from partons.analysis import selectors as access
    from partons.analysis.models import VillageViability

    def figures() -> dict:  # the costly parts: built once per change of the services or the access figures
        viability = VillageViability.objects.filter(village=village).first()
        return {"village": village, "place": village, "across_border": obs.nearest_across_border(village),
                "access": access.place_access(village=village, since_year=_access_year(request)), "show_nearest": True,
                "viability": viability, "viability_rows": access.viability_rows(viability),
                "chart_url": f"/api/facilities/over-time?village={village.slug}",
                **_services_context(village=village, since=_since_year(request))}

    context = {"village": village, "neighbours": neighbours, "map": map_config(),
               "ideas": _village_ideas(village), "events": upcoming_in_village(village),
               "sections": cached_sections(request, f"village:{village.pk}", version=_figures_version(),
                                           templates=PLACE_SECTIONS, context=figures)}
    return render(request, "web/village_detail.html", context)


@require_GET
def municipality_list(request):
    country = request.GET.get("country", "").upper()
    country = country if country in ("BE", "FR") else ""
    q = request.GET.get("q", "").strip()[:100]
    qs = selectors.with_village_counts(
        selectors.municipalities(region=selectors.current_region(), country=country or None, q=q or None)
    ).order_by(Municipality.sort_field(), "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "web/municipality_list.html", {
        "page": page, "country": country, "q": q, "countries": Country.objects.all(), "querystring": params.urlencode(),
    })


@require_GET
def municipality_detail(request, key):
    muni = selectors.municipality_by_key(key)
    villages = selectors.villages(municipality=muni).order_by(*selectors.village_ordering("-population"))
    from partons.observatory import selectors as obs

    main_village = villages.first()
    from partons.analysis import selectors as access

    def figures() -> dict:  # the costly parts: built once per change of the services or the access figures
        return {"municipality": muni, "place": main_village,
                "access": access.place_access(municipality=muni, since_year=_access_year(request)),
                "across_border": obs.nearest_across_border(main_village) if main_village else [],
                "chart_url": f"/api/facilities/over-time?municipality={muni.key}",
                **_services_context(municipality=muni, since=_since_year(request))}

    context = {"municipality": muni, "villages": villages, "map": map_config(), "main_village": main_village,
               "sections": cached_sections(request, f"municipality:{muni.pk}", version=_figures_version(),
                                           templates=PLACE_SECTIONS, context=figures)}
    return render(request, "web/municipality_detail.html", context)


@require_GET
def data_sources(request):
    return render(request, "web/data_sources.html")


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise (for load balancers and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "unavailable", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def not_found(request, exception):
    """The site's 404 page; under /api/ the API's own shape, `{"detail": …}` in JSON, as every API answer is."""
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": f"no such address in the API: {request.path} (see /api/docs)"}, status=404)
    return page_not_found(request, exception)
