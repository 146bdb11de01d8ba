"""Pages of the access indicators: the map of the region, scenarios, the settings."""
from __future__ import annotations

import dataclasses
import datetime
import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partons.core.csvfile import csv_response
from partons.core.cached import cached_value, public_page
from partons.core.maps import map_config
from partons.core.ratelimit import RateLimited, hit
from partons.observatory.models import ServiceCategory
from partons.territory import selectors as territory

from . import engine, permissions, selectors, services
from .forms import AccessSettingsForm, ScenarioSaveForm
from .indicators import MAP_VIEWS
from .models import AccessRun, AccessSettings, Mode, Scenario, TransitNetwork

def _choice(value, allowed, default):
    return value if value in allowed else default


def _mode_choices() -> list[tuple[str, str]]:
    """The modes to choose from: those the last computation measured (public transport once a network is loaded)."""
    computed = selectors.computed_modes()
    return [(m, label) for m, label in Mode.choices if m in computed]


def _map_params(request):
    s = AccessSettings.current()
    codes = list(ServiceCategory.objects.values_list("code", flat=True))
    category = _choice(request.GET.get("category", "basket"), ["basket", *codes], "basket")
    mode = _choice(request.GET.get("mode", "car"), list(Mode.values), "car")
    indicator = _choice(request.GET.get("indicator", "time"), MAP_VIEWS, "time")
    years = s.years()
    try:
        since = int(request.GET.get("since", years[0] if years else 0))
    except ValueError:
        since = years[0] if years else 0
    since = since if since in years else (years[0] if years else None)
    if indicator == "change" and (since is None or mode == "transit"):
        indicator = "time"  # no comparison year, or public transport (a timetable is today's: no past figures)
    if indicator == "round_trip" and mode != "transit":
        indicator = "time"  # there and back: measured by public transport only
    return s, category, mode, indicator, since, years


def _map_page_version() -> str:
    """The access map page: kept until a computation finishes, a place is renamed or the settings (thresholds,
    comparison years) change."""
    changed = AccessSettings.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return f"{selectors.answers_version()}:{changed.timestamp() if changed else 0}"


@require_GET
@public_page(_map_page_version)
def access_map(request):
    """A choropleth of the municipalities and proportional symbols of the villages, with a legend and the
    same figures as a table."""
    s, category, mode, indicator, since, years = _map_params(request)
    sort = _choice(request.GET.get("sort", "value"), ["value", "name", "population"], "value")

    def build() -> tuple:  # the table of every village, sorted: built once per computation and language
        villages = territory.villages(region=territory.current_region())
        values = selectors.village_values(category=category, mode=mode)
        before = selectors.village_values(category=category, mode=mode, as_of=datetime.date(since, 1, 1)) if since else {}
        from .models import VillageViability

        levels = dict(VillageViability.objects.values_list("village_id", "level"))
        level_names = dict(VillageViability.Level.choices)
        table = []
        for v in villages:
            f = values.get(v.pk)
            b = before.get(v.pk)
            change = selectors.share_change(f, b)
            change = None if change is None else round(100 * change)
            table.append({"village": {"name": v.name, "get_absolute_url": v.get_absolute_url(),
                                      "country": v.municipality.country.code, "population": v.population},
                          "figure": f, "change": change, "level": levels.get(v.pk),
                          "level_name": level_names.get(levels.get(v.pk), "")})
        if sort == "name":
            table.sort(key=lambda r: r["village"]["name"].lower())
        elif sort == "population":
            table.sort(key=lambda r: -(r["village"]["population"] or 0))
        else:
            def key(r):
                f = r["figure"]
                if indicator in ("share", "round_trip"):
                    v = f and (f.share_within if indicator == "share" else f.round_trip_share)
                    return v if v is not None else 2
                if indicator == "change":
                    return r["change"] if r["change"] is not None else 999
                if indicator == "viability":
                    return {"at_risk": 0, "fragile": 1, "viable": 2}.get(r["level"], 3)
                return -(f.mean_time_s or 0) if f else 0
            table.sort(key=key)
        figs = [f for f in values.values() if f is not None]
        region = selectors.aggregate(figs) if figs else None
        region_then = selectors.aggregate(list(before.values())) if before else None
        for row in table:  # what a row shows is kept, not the nearest facility's whole record
            if row["figure"] is not None:
                row["figure"] = dataclasses.replace(row["figure"], nearest_facility=None)
        return table, region, region_then

    table, region, region_then = cached_value(
        f"access-table:{category}:{mode}:{indicator}:{since}:{sort}:{translation.get_language()}", build,
        version=selectors.answers_version())
    page = Paginator(table, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("sort", None)
    run = selectors.last_done_run()
    methods = set((run.methods or {}).values()) if run else set()
    return render(request, "analysis/map.html", {
        "categories": ServiceCategory.objects.all(), "no_data": selectors.categories_without_data(), "category": category, "mode": mode, "indicator": indicator,
        "since": since, "years": years, "settings": s, "page": page, "querystring": params.urlencode(),
        "threshold_min": s.threshold_min(mode), "map": map_config(), "run": run,
        "straight_line": "straight_line" in methods, "modes": _mode_choices(), "can_scenario": permissions.can_run_scenarios(request.user),
        "region": region, "region_then": region_then, "region_population": _region_population(),
        "legend": MAP_VIEWS[indicator].legend(), "synthetic": selectors.synthetic_inputs(),
        "transit": TransitNetwork.in_use(),
        "view_json": json.dumps(MAP_VIEWS[indicator].script(), ensure_ascii=False),
    })


# --- scenarios -------------------------------------------------------------------------------------------

@login_required
@require_GET
def scenario_new(request):
    if not permissions.can_run_scenarios(request.user):
        raise PermissionDenied
    s = AccessSettings.current()
    codes = list(ServiceCategory.objects.values_list("code", flat=True))
    category = _choice(request.GET.get("category", "bakery"), codes, codes[0] if codes else "")
    mode = _choice(request.GET.get("mode", "walk"), list(Mode.values), "walk")
    closed = _ids(request.GET.get("closed", ""))
    net = TransitNetwork.in_use() if mode == "transit" else None
    try:
        transit = json.loads(request.GET.get("transit") or "{}")
    except ValueError:
        transit = {}
    return render(request, "analysis/scenario.html", {
        "transit_lines": engine.transit_lines(net) if net else None, "transit_network": net,
        "transit": transit if isinstance(transit, dict) else {},
        "categories": ServiceCategory.objects.all(), "no_data": selectors.categories_without_data(), "category": category, "mode": mode, "modes": _mode_choices(),
        "settings": s, "threshold_min": s.threshold_min(mode), "map": map_config(), "closed": closed,
        "scenarios": Scenario.objects.select_related("category")[:20], "form": ScenarioSaveForm(),
    })


def _ids(text: str) -> list[int]:
    out = []
    for part in (text or "").split(","):
        part = part.strip()
        if part.isdigit():
            out.append(int(part))
    return out[:200]


def _parse_scenario(data) -> tuple[ServiceCategory, str, list[int], list[dict], dict]:
    category = ServiceCategory.objects.filter(code=str(data.get("category", ""))).first()
    if category is None:
        raise services.ScenarioError(_("category: choose a category of services."))
    mode = str(data.get("mode", ""))
    if mode not in Mode.values:
        raise services.ScenarioError(_("mode: choose on foot, by bike, by car or by public transport."))
    closed = data.get("closed") or []
    if isinstance(closed, str):
        closed = _ids(closed)
    try:
        closed = [int(i) for i in closed][:200]
    except (TypeError, ValueError) as exc:
        raise services.ScenarioError(_("closed: give the ids of the services that close.")) from exc
    added = data.get("added") or []
    if isinstance(added, str):
        try:
            added = json.loads(added or "[]")
        except ValueError as exc:
            raise services.ScenarioError(_("added: not a list of points.")) from exc
    clean = []
    for i, a in enumerate(added if isinstance(added, list) else []):
        try:
            lon, lat = float(a["lon"]), float(a["lat"])
        except (KeyError, TypeError, ValueError) as exc:
            raise services.ScenarioError(_("added: point %(n)s has no valid longitude/latitude.") % {"n": i + 1}) from exc
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise services.ScenarioError(_("added: point %(n)s has no valid longitude/latitude.") % {"n": i + 1})
        clean.append({"lon": lon, "lat": lat, "name": str(a.get("name", ""))[:100]})
    transit = data.get("transit") or {}
    if isinstance(transit, str):
        try:
            transit = json.loads(transit or "{}")
        except ValueError as exc:
            raise services.ScenarioError(_("transit: not a description of changes to lines and stops.")) from exc
    if not isinstance(transit, dict) or not isinstance(transit.get("line") or {}, dict) or any(
            not isinstance(transit.get(k) or [], list) for k in ("routes", "stops")):
        raise services.ScenarioError(_("transit: not a description of changes to lines and stops."))
    return category, mode, closed, clean, transit


@require_POST
def scenario_evaluate(request):
    """JSON: the effect of a scenario, not saved."""
    if not permissions.can_run_scenarios(request.user):
        return JsonResponse({"detail": _("Only coordinators and analysts run scenarios.")}, status=403)
    try:
        hit(f"scenario:{request.user.pk}", limit=120, window_s=60)
    except RateLimited:
        return JsonResponse({"detail": _("Too many scenarios in a minute; wait a moment.")}, status=429)
    try:
        data = json.loads(request.body or b"{}")
        category, mode, closed, added, transit = _parse_scenario(data)
        result = services.evaluate_scenario(user=request.user, category=category, mode=mode, closed_ids=closed,
                                            added=added, transit=transit)
    except ValueError as exc:  # ScenarioError and bad JSON
        return JsonResponse({"detail": str(exc)}, status=400)
    return JsonResponse(result)


@login_required
@require_POST
def scenario_save(request):
    if not permissions.can_run_scenarios(request.user):
        raise PermissionDenied
    form = ScenarioSaveForm(request.POST)
    try:
        category, mode, closed, added, transit = _parse_scenario(request.POST)
    except services.ScenarioError as exc:
        messages.error(request, str(exc))
        return redirect("analysis:scenario_new")
    if not form.is_valid():
        messages.error(request, _("Give the scenario a name."))
        return redirect(f"{reverse('analysis:scenario_new')}?category={category.code}&mode={mode}"
                        f"&closed={','.join(map(str, closed))}")
    try:
        sc = services.save_scenario(user=request.user, name=form.cleaned_data["name"],
                                    description=form.cleaned_data["description"], category=category, mode=mode,
                                    closed_ids=closed, added=added, transit=transit)
    except services.ScenarioError as exc:
        messages.error(request, str(exc))
        return redirect("analysis:scenario_new")
    messages.success(request, _("Scenario saved. Share its address with colleagues."))
    return redirect(sc)


@require_GET
def scenario_detail(request, key):
    """A saved scenario, readable by whoever has its address; re-run on today's figures on demand."""
    sc = get_object_or_404(Scenario.objects.select_related("category", "created_by"), key=key)
    closed = list(sc.closed.select_related("village").all())
    return render(request, "analysis/scenario_detail.html", {
        "scenario": sc, "result": sc.result, "closed": closed, "map": map_config(),
        "can_scenario": permissions.can_run_scenarios(request.user),
        "rerun_url": f"?category={sc.category.code}&mode={sc.mode}&closed={','.join(str(f.pk) for f in closed)}"
                     + (f"&transit={quote(json.dumps(sc.transit))}" if sc.transit else ""),
    })


@require_GET
def scenario_export(request, key, fmt):
    sc = get_object_or_404(Scenario, key=key)
    if fmt == "json":
        body = {"name": sc.name, "description": sc.description, "created_at": sc.created_at.isoformat(),
                "url": request.build_absolute_uri(sc.get_absolute_url()), **sc.result}
        response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
        response["Content-Disposition"] = f'attachment; filename="scenario-{sc.key}.json"'
        return response
    if fmt != "csv":
        raise Http404
    header = ["slug", "name", "country", "population", "within_before", "within_after", "lost", "gained",
              "mean_before_min", "mean_after_min"]
    return csv_response(f"scenario-{sc.key}.csv", ["village", *header[1:], "method"],
                        [[v.get(name) for name in header] + [sc.result.get("method")] for v in sc.result.get("villages", [])])


# --- settings and runs ------------------------------------------------------------------------------------

def _region_population() -> int:
    """The region's population as every page gives it: the official figures of its municipalities."""
    from partons.territory.selectors import current_region, region_summary

    return sum(row["population"] or 0 for row in region_summary(current_region()))


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    if not permissions.can_change_settings(request.user):
        raise PermissionDenied
    s = AccessSettings.current()
    if request.method == "POST" and "recompute" in request.POST:
        from .services import schedule_recompute

        schedule_recompute(reason="asked by a coordinator")
        messages.success(request, _("The figures are being computed again."))
        return redirect("analysis:settings")
    form = AccessSettingsForm(request.POST or None, instance=s)
    if request.method == "POST" and form.is_valid():
        services.update_settings(by=request.user, **{f: form.cleaned_data[f] for f in form.fields})
        messages.success(request, _("Settings saved; the figures are being computed again."))
        return redirect("analysis:settings")
    runs = AccessRun.objects.select_related("network")[:10]
    from .models import RoadNetwork

    return render(request, "analysis/settings.html", {"form": form, "runs": runs,
                                                      "networks": RoadNetwork.objects.all()[:5],
                                                      "transit_networks": TransitNetwork.objects.all()[:5]})


@require_GET
def run_status(request):
    """The progress of the latest computation (polled by the settings page)."""
    run = selectors.last_run()
    if run is None:
        return JsonResponse({"status": None})
    return JsonResponse({"status": run.status, "status_display": run.get_status_display(), "progress": run.progress,
                         "message": run.summary()})
