"""Every write of the access indicators: computing them, the viability of villages, settings,
road networks and scenarios. Permissions are checked here."""
from __future__ import annotations

import datetime
import logging
import shutil
import threading
import time
import uuid

import numpy as np
from django.conf import settings as dj_settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from partons.access import indicators as ind
from partons.access import gtfs
from partons.access.graph import read_osm
from partons.access.model import Facilities
from partons.access.modes import ACCESS_MODES, MODES, TRANSIT
from partons.access.graph import project
from partons.core.roles import Role, require_role
from partons.core.tasks import task
from partons.observatory.models import CategoryGroup, Facility, ServiceCategory
from partons.observatory.nomenclature import EVERYDAY_BASKET as BASKET_GROUP
from partons.territory.models import Village

from . import engine, indicators, selectors
from .models import (AccessRun, AccessSettings, RoadNetwork, Scenario, TransitNetwork, VillageAccess, VillageTransit,
                     VillageViability)

CATEGORY_BATCH = 6


def _batches(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def comparison_dates(settings: AccessSettings) -> list[datetime.date]:
    return [datetime.date(y, 1, 1) for y in settings.years()]


def compute_access(*, run: AccessRun | None = None, categories: list[str] | None = None, progress=None) -> AccessRun:
    """Compute and store the indicators of every village for ``categories`` (codes; all when None), by
    every mode, today and in each comparison year; then the viability of every village. The
    figures are written in one transaction, replacing those of the same categories."""
    if run is None:
        run = AccessRun.objects.create(reason="command", categories=categories or [])
    settings = AccessSettings.current()
    run.status = AccessRun.Status.RUNNING
    run.save(update_fields=["status"])
    try:
        _compute(run, settings, categories, progress)
    except Exception as exc:
        run.status = AccessRun.Status.FAILED
        run.message = f"{type(exc).__name__}: {exc}"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        raise
    return run


def _set_progress(run, pct, progress):
    pct = int(min(max(pct, 0), 100))
    if pct != run.progress:
        run.progress = pct
        AccessRun.objects.filter(pk=run.pk).update(progress=pct)
    if progress:
        progress(pct)


def _compute(run: AccessRun, settings: AccessSettings, categories, progress):
    today = timezone.localdate()
    cats = list(ServiceCategory.objects.filter(code__in=categories) if categories else ServiceCategory.objects.all())
    cat_ids = [c.pk for c in cats]
    network = RoadNetwork.in_use()
    transit = TransitNetwork.in_use()
    models = engine.travel_models(network, settings.max_snap_m, transit=transit,
                                  transit_threshold_s=settings.threshold_min(TRANSIT) * 60)
    vs = engine.load_villages()
    pts = vs.points
    n = vs.n
    off_network = {m: model.set_origins(pts.x, pts.y) for m, model in models.items()}
    limit_s = settings.search_limit_min * 60.0
    dates = [today] + comparison_dates(settings)
    steps = len(dates) * len(models) + len(models)  # + today's nearest-k and domestic searches
    step = 0
    rows: list[VillageAccess] = []
    point_country = vs.country[pts.group] if n else np.zeros(0, dtype=object)
    services_off: dict[str, set] = {}
    for day in dates:
        fs = engine.facilities_on(day, cat_ids)
        for mode, model in models.items():
            if mode == TRANSIT and day != today:
                continue  # a timetable is today's: past years have none
            valid = np.ones(pts.x.size, bool)
            valid[off_network[mode]] = False
            threshold_s = settings.threshold_min(mode) * 60
            # Categories go in small batches: each search keeps three arrays of the network's size.
            for batch in _batches(cat_ids, CATEGORY_BATCH):
                states = model.search_many([fs.by_category[c] for c in batch], limit_s=limit_s)
                extra = {}
                if day == today:
                    extra = _today_extras(model, fs, batch, settings, limit_s, point_country)
                for cat_id, state in zip(batch, states):
                    if day == today and len(state.unsnapped):
                        services_off.setdefault(mode, set()).update(int(i) for i in state.unsnapped)
                    ot = model.at_origins(state)
                    ex = extra.get(cat_id, {})
                    if state.per_origin and "return_s" in state.per_origin:  # public transport: the way back
                        back = state.per_origin["return_s"]
                        ex = {**ex, "return": np.where(back <= limit_s, back, np.inf)}
                    rows.extend(_village_rows(vs, cat_id, mode, day, day == today, model.method, ot, valid,
                                              threshold_s, limit_s, fs, run, ex))
                del states
            step += 1
            _set_progress(run, 90 * step / steps, progress)
    stops_near = _village_transit(vs, models.get(TRANSIT), transit)
    with transaction.atomic():
        VillageAccess.objects.filter(category_id__in=cat_ids).delete()
        VillageAccess.objects.bulk_create(rows, batch_size=2000)
        VillageTransit.objects.all().delete()
        VillageTransit.objects.bulk_create(stops_near, batch_size=2000)
        compute_viability()
        run.status = AccessRun.Status.DONE
        run.methods = {m: model.method for m, model in models.items()}
        run.network = network
        run.finished_at = timezone.now()
        run.progress = 100
        run.details = {"rows": len(rows), "villages": n, "cats": len(cat_ids), "dates": len(dates),
                       "points_off": {m: int(len(v)) for m, v in off_network.items() if len(v)},
                       "services_off": {m: sorted(ids) for m, ids in services_off.items()}}
        run.save()
    engine.CACHE.clear()
    _warm_figures(models)
    if progress:
        progress(100)


def _village_transit(vs, model, network) -> list[VillageTransit]:
    """The departures near each village's centre on the service day (none without public transport)."""
    if model is None or not vs.n:
        return []
    c = vs.centre_index
    near = model.departures_near(vs.points.x[c], vs.points.y[c])
    return [VillageTransit(village_id=int(vid), network=network, departures=int(n), stops=int(k),
                           first_departure_s=int(first) if n else None, last_departure_s=int(last) if n else None)
            for vid, (n, first, last, k) in zip(vs.ids, near)]


def _warm_figures(models) -> None:
    """Build today's figures per village of every category (and the basket) and mode now, in the worker, so that the
    first visitors after a computation find the access map and API ready instead of waiting for them."""
    from . import selectors

    codes = ["basket", *ServiceCategory.objects.values_list("code", flat=True)]
    for mode in models:
        for code in codes:
            selectors.village_values(category=code, mode=mode)


def _today_extras(model, fs, cat_ids, settings, limit_s, point_country):
    """Today only: the mean of the k nearest, and the time if only the own country's services counted."""
    extras = {c: {} for c in cat_ids}
    if model.mode.name == "car":  # Eurostat's measure: the drive time to the k nearest
        for c in cat_ids:
            extras[c]["mean_k"] = model.mean_k(fs.by_category[c], settings.k_nearest, limit_s=limit_s)
    countries = sorted({v for v in point_country if v})
    domestic = {c: np.full(point_country.size, np.inf) for c in cat_ids}
    for country in countries:
        subsets = []
        for c in cat_ids:
            f = fs.by_category[c]
            keep = fs.country_of(f.label) == country
            subsets.append(Facilities(f.x[keep], f.y[keep], f.label[keep]))
        states = model.search_many(subsets, limit_s=limit_s)
        mine = point_country == country
        for c, state in zip(cat_ids, states):
            domestic[c][mine] = model.at_origins(state).time_s[mine]
    for c in cat_ids:
        extras[c]["domestic"] = domestic[c]
    return extras


def _none(v):
    return None if v is None or not np.isfinite(v) else float(v)


def _village_rows(vs, cat_id, mode, day, current, method, ot, valid, threshold_s, limit_s, fs, run, extra):
    """The stored figures of every village for one category, mode and date: the indicators of the registry."""
    g = vs.points.group
    fac_country = fs.country_of(ot.facility)
    p = indicators.Points(group=g, weight=vs.points.weight, n=vs.n, valid=valid, time_s=ot.time_s,
                          length_m=ot.length_m, facility=ot.facility,
                          crossing=(fac_country != "") & (fac_country != vs.country[g]), centre=vs.centre_index,
                          threshold_s=threshold_s, limit_s=limit_s, extra=extra)
    values = {f: a for f, a in indicators.per_village(p).items() if a is not None}
    nearest = p.at_centre(ot.facility)  # NaN when the centre reaches none
    return [VillageAccess(village_id=int(vs.ids[i]), category_id=cat_id, mode=mode, as_of=day, current=current,
                          method=method, run=run, nearest_facility_id=int(nearest[i]) if nearest[i] >= 0 else None,
                          **{f: _none(a[i]) for f, a in values.items()})
            for i in range(vs.n)]


# --- viability -------------------------------------------------------------------------------------------

def viability_criteria(settings: AccessSettings) -> list[ind.Criterion]:
    return [
        ind.Criterion("population", minimum=settings.viability_min_population),
        ind.Criterion("population_trend_pct", minimum=0),
        ind.Criterion("basket_services", minimum=settings.viability_min_services),
        ind.Criterion("basket_car_min", maximum=settings.viability_max_basket_car_min),
        ind.Criterion("basket_services_lost", maximum=settings.viability_max_services_lost),
        *([ind.Criterion("basket_transit_min", maximum=settings.viability_max_basket_transit_min)]
          if settings.viability_max_basket_transit_min is not None else []),
    ]


def _basket_present(day: datetime.date, basket_ids) -> dict[int, set[int]]:
    present: dict[int, set[int]] = {}
    for village_id, cat_id in (Facility.objects.open_on(day).filter(category_id__in=basket_ids, village__isnull=False)
                               .values_list("village_id", "category_id").distinct()):
        present.setdefault(village_id, set()).add(cat_id)
    return present


def compute_viability() -> int:
    """Classify every village from its population, its services, its access and what it lost."""
    settings = AccessSettings.current()
    basket = CategoryGroup.objects.filter(code=BASKET_GROUP).first()
    basket_ids = list(basket.categories.values_list("pk", flat=True)) if basket else []
    today = timezone.localdate()
    now_present = _basket_present(today, basket_ids)
    years = settings.years()
    then_present = _basket_present(datetime.date(years[0], 1, 1), basket_ids) if years else None
    mean: dict[str, dict[int, list[float]]] = {"car": {}, TRANSIT: {}}
    for vid, mode, t in VillageAccess.objects.filter(current=True, mode__in=list(mean), category_id__in=basket_ids) \
            .values_list("village_id", "mode", "mean_time_s"):
        if t is not None:
            mean[mode].setdefault(vid, []).append(t)

    def basket_min(mode, vid):
        times = mean[mode].get(vid)
        return round(sum(times) / len(times) / 60, 1) if times else None
    criteria = viability_criteria(settings)
    rows = []
    for v in Village.objects.filter(merged_into=None).only("pk", "population"):
        values = {
            "population": v.population,
            "population_trend_pct": None,  # no past population in the data yet: unknown, counts neither way
            "basket_services": len(now_present.get(v.pk, ())),
            "basket_car_min": basket_min("car", v.pk),
            "basket_transit_min": basket_min(TRANSIT, v.pk),
            "basket_services_lost": (len(then_present.get(v.pk, set()) - now_present.get(v.pk, set()))
                                     if then_present is not None else None),
        }
        level, detail = ind.classify(values, criteria, fragile_after=1, at_risk_after=settings.viability_at_risk_after)
        rows.append(VillageViability(village=v, level=level, criteria={
            k: {"value": val, "passed": ok} for k, (val, ok) in detail.items()}))
    VillageViability.objects.all().delete()
    VillageViability.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- settings -------------------------------------------------------------------------------------------

def update_settings(*, by, **values) -> AccessSettings:
    require_role(by, Role.COORDINATOR)
    with transaction.atomic():
        s = AccessSettings.objects.select_for_update().get(pk=AccessSettings.current().pk)
        for k, v in values.items():
            setattr(s, k, v)
        s.full_clean()
        s.updated_by = by
        s.save()
    schedule_recompute(reason="settings")
    return s


# --- road networks ------------------------------------------------------------------------------------

def import_network(paths, *, name: str = "", by=None, progress=None) -> RoadNetwork:
    """Build the graphs of every mode from OSM extracts, store them, make this network the one in use."""
    if by is not None:
        require_role(by, Role.COORDINATOR)
    roads: list = []
    graphs, summary = read_osm(paths, list(MODES.values()), progress=progress, roads=roads)
    directory = uuid.uuid4().hex
    folder = engine.network_dir() / directory
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for mode, g in graphs.items():
            summary[f"main_{mode}"] = int(g.main_component().sum())
            g.save(folder / f"{mode}.npz")
        summary["map_roads"] = engine.save_map_roads(folder, roads)
        with transaction.atomic():
            RoadNetwork.objects.filter(active=True).update(active=False)
            net = RoadNetwork.objects.create(name=name or ", ".join(p.name for p in map(_path, paths)),
                                             files=[_path(p).name for p in paths], summary=summary,
                                             directory=directory, imported_by=by, active=True)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    engine.CACHE.clear()
    return net


TRANSIT_FILE = engine.TRANSIT_FILE
REGION_MARGIN_DEG = 0.1  # the region's box and about 7 to 11 km around it: stops across the border and the coast
CHANGE_WALK_M = 400  # stops this close (as the crow flies), of any feed and on either side, are a change on foot


def default_service_day(today: datetime.date | None = None) -> datetime.date:
    """The next Tuesday: a weekday in the middle of the week (school terms are the coordinators' to choose)."""
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


def _region_box():
    box = Village.objects.filter(merged_into=None).aggregate(w=Min("lon"), s=Min("lat"), e=Max("lon"), n=Max("lat"))
    if box["w"] is None:
        raise gtfs.FeedError("region", "villages", None, None, "the region has no villages yet: load the places first")
    w, s_, e, n = (box["w"] - REGION_MARGIN_DEG, box["s"] - REGION_MARGIN_DEG, box["e"] + REGION_MARGIN_DEG,
                   box["n"] + REGION_MARGIN_DEG)
    return lambda lon, lat: (lon >= w) & (lon <= e) & (lat >= s_) & (lat <= n)


def import_transit(paths, *, day: datetime.date | None = None, names: list[str] | None = None, licence: str = "",
                   name: str = "", by=None, progress=None, advance=None, synthetic: bool = False) -> TransitNetwork:
    """Read GTFS feeds (zip files) for one service day, keep the region's stops and trips, join nearby stops by
    footpaths and store it all as the public transport in use. Every feed is read and checked before anything is
    written; a broken one raises ``gtfs.FeedError`` (its file, line and field) and nothing changes."""
    if by is not None:
        require_role(by, Role.COORDINATOR)
    day = day or default_service_day()
    paths = [_path(p) for p in paths]
    names = names or [p.name.removesuffix(".zip") for p in paths]
    if len(set(names)) != len(names):
        raise gtfs.FeedError(names[0], "", None, None, "two feeds have the same name: give each its own (--names)")
    feed = gtfs.read_feeds(paths, day=day, inside=_region_box(), names=names, progress=progress, advance=advance)
    if not feed.trips:
        raise gtfs.FeedError(", ".join(names), "trips.txt", None, None,
                             f"no trip calls at two stops of the region on {day:%Y-%m-%d} (is that a service day?)")
    lon = np.array([st.lon for st in feed.stops])
    lat = np.array([st.lat for st in feed.stops])
    x, y = project(lon, lat)
    walks = gtfs.footpaths_within(x, y, CHANGE_WALK_M, MODES["walk"].speed_kmh / 3.6)
    tt = feed.timetable(walks)
    summary = {**{"stops": len(feed.stops), "trips": len(feed.trips), "connections": int(tt.dep_s.size),
                  "footpaths": int(tt.foot_to.size), "routes": len(set(feed.trip_routes))},
               "feeds": feed.summary}
    directory = uuid.uuid4().hex
    folder = engine.network_dir() / directory
    folder.mkdir(parents=True, exist_ok=True)
    try:
        np.savez_compressed(folder / TRANSIT_FILE, lon=lon, lat=lat, stop_id=np.array([st.id for st in feed.stops]),
                            stop_name=np.array([st.name for st in feed.stops]), dep_stop=tt.dep_stop,
                            arr_stop=tt.arr_stop, dep_s=tt.dep_s, arr_s=tt.arr_s, trip=tt.trip,
                            foot_start=tt.foot_start, foot_to=tt.foot_to, foot_s=tt.foot_s,
                            trip_route=np.array(feed.trip_routes),
                            route_id=np.array(list(feed.route_names), dtype=str),
                            route_name=np.array(list(feed.route_names.values()), dtype=str))
        with transaction.atomic():
            TransitNetwork.objects.filter(active=True).update(active=False)
            net = TransitNetwork.objects.create(
                name=name or ", ".join(names), service_day=day, summary=summary, directory=directory, imported_by=by,
                synthetic=synthetic,
                files=[{"file": p.name, "feed": n, "licence": licence} for p, n in zip(paths, names)], active=True)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return net


def _path(p):
    from pathlib import Path

    return Path(p)


# --- scenarios --------------------------------------------------------------------------------------------

class ScenarioError(ValueError):
    pass


def _last_run_key():
    run = selectors.last_done_run()
    net = RoadNetwork.in_use()
    return (run.pk if run else None, net.pk if net else None)


MAX_NEW_LINE_STOPS = 40


def _clock_s(value, field_name: str) -> int:
    try:
        h, m = str(value).strip().split(":")
        s = int(h) * 3600 + int(m) * 60
    except ValueError:
        s = -1
    if not 0 <= s < 27 * 3600 or not 0 <= int(m) < 60:
        raise ScenarioError(_("%(field)s: give a time of day as HH:MM, e.g. 06:30.") % {"field": field_name})
    return s


def _transit_edit(changes: dict) -> tuple[dict, dict]:
    """A scenario's changes to public transport, checked against the network in use: lines that stop (route ids),
    stops no longer served and a new line through stops (stop ids) with its headway and hours. Returns them
    cleaned (for the result) and as the engine's edit."""
    net = TransitNetwork.in_use()
    if net is None:
        raise ScenarioError(_("transit: no public transport network is loaded."))
    lines = engine.transit_lines(net)
    route_ids = {r["id"] for r in lines.routes}
    stop_index = {st["id"]: st["index"] for st in lines.stops}
    routes = [str(r) for r in changes.get("routes") or []]
    for r in routes:
        if r not in route_ids:
            raise ScenarioError(_("transit.routes: no line %(id)s in the network in use.") % {"id": r})
    stops = [str(st) for st in changes.get("stops") or []]
    for st in stops:
        if st not in stop_index:
            raise ScenarioError(_("transit.stops: no stop %(id)s in the network in use.") % {"id": st})
    clean: dict = {"routes": sorted(set(routes)), "stops": sorted(set(stops)), "line": None}
    edit: dict = {"routes": clean["routes"], "stops": [stop_index[st] for st in clean["stops"]]}
    line = changes.get("line") or {}
    if line.get("stops"):
        through = [str(st) for st in line["stops"]]
        for st in through:
            if st not in stop_index:
                raise ScenarioError(_("transit.line.stops: no stop %(id)s in the network in use.") % {"id": st})
        if len(through) < 2 or len(set(through)) != len(through) or len(through) > MAX_NEW_LINE_STOPS:
            raise ScenarioError(_("transit.line.stops: a new line calls at 2 to %(n)s different stops.") % {
                "n": MAX_NEW_LINE_STOPS})
        try:
            headway = int(line.get("headway_min", 30))
        except (TypeError, ValueError):
            headway = 0
        if not 5 <= headway <= 240:
            raise ScenarioError(_("transit.line.headway_min: give the minutes between departures, from 5 to 240."))
        first = _clock_s(line.get("first", "06:00"), "transit.line.first")
        last = _clock_s(line.get("last", "20:00"), "transit.line.last")
        if last < first:
            raise ScenarioError(_("transit.line.last: the last departure comes after the first."))
        clean["line"] = {"stops": through, "headway_min": headway, "first": f"{first // 3600:02d}:{first % 3600 // 60:02d}",
                         "last": f"{last // 3600:02d}:{last % 3600 // 60:02d}"}
        edit["new_line"] = ([stop_index[st] for st in through], first, last, headway * 60)
    return clean, edit


def evaluate_scenario(*, user, category: ServiceCategory, mode: str, closed_ids=(), added=(), transit=None) -> dict:
    """What closing ``closed_ids`` and opening ``added`` ([{lon, lat, name}]) changes for the residents:
    per village, residents within the threshold before and after. Only what the change touches is
    searched again. By public transport, ``transit`` may also stop lines, stops or run a new line (see
    ``_transit_edit``)."""
    require_role(user, Role.COORDINATOR, Role.ANALYST)
    if mode not in ACCESS_MODES:
        raise ScenarioError(_("Unknown mode “%(mode)s”.") % {"mode": mode})
    transit = transit or {}
    if any(transit.get(k) for k in ("routes", "stops", "line")) and mode != TRANSIT:
        raise ScenarioError(_("transit: lines and stops change the figures by public transport only."))
    t0 = time.perf_counter()
    settings = AccessSettings.current()
    limit_s = settings.search_limit_min * 60.0
    threshold_s = settings.threshold_min(mode) * 60.0
    cache = engine.CACHE.get(_last_run_key(), settings.max_snap_m)
    model = cache.models[mode]
    base = cache.state(mode, category.pk, limit_s)
    closed_ids = sorted({int(i) for i in closed_ids})
    known = set(int(i) for i in base.facilities.label)
    unknown = [i for i in closed_ids if i not in known]
    if unknown:
        raise ScenarioError(_("Service %(id)s is not an open service of this category.") % {"id": unknown[0]})
    if len(added) > 50:
        raise ScenarioError(_("At most 50 new services in one scenario."))
    new = Facilities(*project(np.array([float(a["lon"]) for a in added]), np.array([float(a["lat"]) for a in added])),
                     -1 - np.arange(len(added), dtype=np.int64)) if added else None
    changes, edit = _transit_edit(transit) if mode == TRANSIT and any(transit.get(k) for k in ("routes", "stops", "line")) else ({}, {})
    if edit:
        facilities = base.facilities.without(closed_ids)
        state = model.edited(**edit).search(facilities.plus(new) if new else facilities, limit_s=base.limit_s)
    else:
        state = model.close(base, closed_ids) if closed_ids else base
        if new is not None:
            state = model.open(state, new)
    before = model.at_origins(base)
    after = model.at_origins(state)
    vs = cache.villages
    pts = vs.points
    valid = np.ones(pts.x.size, bool)
    valid[cache.off_network[mode]] = False
    w = np.where(valid, pts.weight, 0.0)
    was = before.time_s <= threshold_s
    now = after.time_s <= threshold_s
    lost_w = np.bincount(pts.group, weights=w * (was & ~now), minlength=vs.n)
    gained_w = np.bincount(pts.group, weights=w * (~was & now), minlength=vs.n)
    within_before = np.bincount(pts.group, weights=w * was, minlength=vs.n)
    within_after = np.bincount(pts.group, weights=w * now, minlength=vs.n)
    cap_b = np.where(np.isfinite(before.time_s), before.time_s, limit_s)
    cap_a = np.where(np.isfinite(after.time_s), after.time_s, limit_s)
    mean_b = ind.weighted_mean(pts.group, pts.weight, cap_b, vs.n, valid=valid)
    mean_a = ind.weighted_mean(pts.group, pts.weight, cap_a, vs.n, valid=valid)
    changed = np.flatnonzero((np.abs(np.nan_to_num(mean_a) - np.nan_to_num(mean_b)) >= 1) | (lost_w > 0) | (gained_w > 0))
    names = {v.pk: v for v in Village.objects.filter(pk__in=[int(vs.ids[i]) for i in changed])
             .select_related("municipality__country").defer("municipality__boundary")}
    villages = []
    for i in changed:
        v = names.get(int(vs.ids[i]))
        if v is None:
            continue
        villages.append({
            "id": v.pk, "name": v.name, "slug": v.slug, "lon": v.lon, "lat": v.lat,
            "country": v.municipality.country.code, "population": round(float(vs.population[i])),
            "within_before": round(float(within_before[i])), "within_after": round(float(within_after[i])),
            "lost": round(float(lost_w[i])), "gained": round(float(gained_w[i])),
            "mean_before_min": _none(round(mean_b[i] / 60, 1)), "mean_after_min": _none(round(mean_a[i] / 60, 1)),
        })
    villages.sort(key=lambda r: (-r["lost"], -r["gained"], r["name"]))
    unsnapped = [int(i) for i in getattr(state, "unsnapped", []) if i < 0]
    return {
        "category": category.code, "mode": mode, "method": model.method, "threshold_min": threshold_s / 60,
        "closed": closed_ids, "added": [{"lon": float(a["lon"]), "lat": float(a["lat"]), "name": str(a.get("name", ""))[:100]}
                                         for a in added],
        "added_off_network": [-1 - i for i in unsnapped], "transit": changes,
        "lost": round(float(lost_w.sum())), "gained": round(float(gained_w.sum())),
        "within_before": round(float(within_before.sum())), "within_after": round(float(within_after.sum())),
        "population": round(float(w.sum())), "villages": villages,
        "elapsed_ms": round((time.perf_counter() - t0) * 1000, 1),
    }


def save_scenario(*, user, name: str, description: str = "", category: ServiceCategory, mode: str, closed_ids=(),
                  added=(), transit=None) -> Scenario:
    name = (name or "").strip()
    if not name:
        raise ScenarioError(_("Give the scenario a name."))
    result = evaluate_scenario(user=user, category=category, mode=mode, closed_ids=closed_ids, added=added,
                               transit=transit)
    with transaction.atomic():
        sc = Scenario.objects.create(name=name[:200], description=description[:5000], category=category, mode=mode,
                                     added=result["added"], transit=result["transit"], result=result, created_by=user)
        sc.closed.set(Facility.objects.filter(pk__in=result["closed"]))
    return sc


# --- background recomputation -----------------------------------------------------------------------------
# After imports and edits. With the embedded default the task runs at once, after the change is committed (one
# process, SQLite); with TASKS_BACKEND=database it is queued and run by `partons db_worker`. Changes within one
# transaction (an import of thousands of services) lead to one computation, of the categories they touched only.

log = logging.getLogger(__name__)
_pending = threading.local()


@task()
def recompute_access(run_id: int, categories: list[str] | None = None) -> int:
    run = AccessRun.objects.get(pk=run_id)
    compute_access(run=run, categories=categories or None)
    return run.pk


def schedule_recompute(*, categories=None, reason: str = ""):
    """Queue a computation (of some category codes, or all), run after the current transaction commits."""
    def go():
        with transaction.atomic():
            queued = AccessRun.objects.select_for_update().filter(status=AccessRun.Status.QUEUED).first()
            if queued is not None and dj_settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend"):
                # Not started yet: widen it rather than queue another computation.
                if not categories or not queued.categories:
                    queued.categories = []
                else:
                    queued.categories = sorted(set(queued.categories) | set(categories))
                queued.save(update_fields=["categories"])
                return
            run = AccessRun.objects.create(reason=reason[:200], categories=sorted(categories or []))
        try:
            recompute_access.enqueue(run.pk, run.categories or None)
        except Exception:  # the change itself is saved; the computation can be run again by hand
            log.exception("could not run the access computation %s", run.pk)

    transaction.on_commit(go)


ALL = "*"


class recompute_suspended:
    """Within this block, changes ask for no computation (a bulk load that computes once at its end)."""

    def __enter__(self):
        _pending.suspended = getattr(_pending, "suspended", 0) + 1

    def __exit__(self, *exc):
        _pending.suspended -= 1


def request_recompute(codes, reason: str) -> None:
    """Ask for a computation once the current transaction commits; requests made within one transaction are
    merged into one (``ALL`` in ``codes``: every category)."""
    suspended = getattr(_pending, "suspended", 0)
    if not dj_settings.PARTONS.get("ACCESS_AUTO_RECOMPUTE", True) or suspended:
        return
    if getattr(_pending, "codes", None) is None:
        _pending.codes, _pending.reasons = set(), set()
    _pending.codes |= set(codes)
    _pending.reasons.add(reason)

    def flush():
        # The first callback to run after the commit takes every request; the others find nothing left. (A
        # rolled-back transaction drops its callbacks: what it asked for goes with the next computation.)
        todo, reasons = _pending.codes, _pending.reasons
        if not todo:
            return
        _pending.codes, _pending.reasons = set(), set()
        schedule_recompute(categories=None if ALL in todo else sorted(todo), reason=", ".join(sorted(reasons)))

    transaction.on_commit(flush)


def on_facility_changed(sender, facility, changes, **kwargs):
    from partons.observatory.models import ServiceCategory

    codes = {facility.category.code}
    if "category" in changes:
        for old in changes["category"]:
            codes.add(old.code if isinstance(old, ServiceCategory) else str(old))
    request_recompute(codes, "facility changes")


def on_village_changed(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """A village added, moved, merged or given another population: every figure may change."""
    if raw:
        return
    if update_fields is not None and not set(update_fields) & {"lon", "lat", "population", "merged_into", "municipality"}:
        return
    request_recompute({ALL}, "village changes")
