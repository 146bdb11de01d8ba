"""What each map of the site puts on paper: its filters read from the address (the same as the page's, checked
strictly: a bad one is refused, naming it), then its title, thematic marks, legend and sources — in the page's
language. `drawing.draw` turns the result into a PNG or a PDF."""
from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partons.analysis.indicators import NO_FIGURE_COLOUR as NO_FIGURE

from . import selectors
from .selectors import Base, project, project_all

KINDS = ("services", "access", "ideas", "portfolio", "agenda")
SIZES = ("a4", "a3")
ORIENTATIONS = ("portrait", "landscape")
FORMATS = ("png", "pdf")
BE, FR = "#1d4f91", "#b3261e"  # the site's blue and red (app.css): Belgium, France
COUNTRY_COLOURS = {"BE": BE, "FR": FR}
CATEGORY_PALETTE = ("#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
                    "#393b79", "#637939", "#1f77b4", "#d62728")
MAX_CATEGORY_COLOURS = len(CATEGORY_PALETTE)  # more categories shown: services are summed per village
BASE_SOURCES = ("GeoNames (CC BY 4.0)", "INSEE / IGN (Licence Ouverte)", "Statbel (CC BY 4.0)")
OSM = "© OpenStreetMap contributors (ODbL)"


class BadParameter(ValueError):
    """A filter of the address that cannot be read: `param` names it, the message says what is expected."""

    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param


@dataclass
class Mark:
    x: float
    y: float
    colour: str
    size: float = 30.0  # area in points²
    marker: str = "o"
    edge: str = "#ffffff"
    pk: int | None = None  # the village it stands for, if any (its label keeps clear of it)


@dataclass
class LegendItem:
    label: str
    colour: str = "#000000"
    kind: str = "dot"  # dot, square, diamond, patch, line, village, size (growing circles), size-square
    size: float = 30.0


@dataclass
class MapContent:
    kind: str
    title: str
    subtitle: str
    base: Base
    marks: list = field(default_factory=list)
    legend: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    synthetic: bool = False
    extent: tuple | None = None  # LAEA metres; None: the region's
    highlight: int | None = None  # a village's pk, drawn larger and always labelled
    highlight_area: int | None = None  # a municipality's pk, outlined
    area_fills: dict = field(default_factory=dict)  # {municipality pk: colour} instead of the country's tint
    made_on: str = ""
    notes: list = field(default_factory=list)


@dataclass
class Options:
    size: str = "a4"
    orientation: str | None = None  # None: as the map's shape asks
    filters: dict = field(default_factory=dict)


# --- the address --------------------------------------------------------------------------------------------

def _one(params, name: str, allowed, default=None):
    value = params.get(name, "")
    if value == "":
        return default
    if value not in allowed:
        shown = ", ".join(sorted(allowed))[:300]
        raise BadParameter(name, _("Unknown value “%(value)s” for “%(param)s”: use one of %(allowed)s.")
                           % {"value": value[:60], "param": name, "allowed": shown})
    return value


def _place(params, name: str):
    """A village (by slug) or municipality (by key, e.g. be-33039) named in the address, as the page names them."""
    value = params.get(name, "").strip()
    if not value:
        return None
    from django.http import Http404

    from partons.territory import selectors as territory

    try:
        place = territory.village_by_slug(value) if name == "village" else territory.municipality_by_key(value)
    except Http404:
        message = (_("No village is called “%(value)s” (“%(param)s” takes a village's address name, e.g. kemmel).")
                   if name == "village" else
                   _("No municipality has the key “%(value)s” (“%(param)s” takes a key such as be-33039)."))
        raise BadParameter(name, message % {"value": value[:60], "param": name}) from None
    return getattr(place, "merged_into", None) or place


def _yes(params, name: str) -> bool:
    value = params.get(name, "").strip().lower()
    if value in ("", "0", "false", "off", "no"):
        return False
    if value in ("1", "true", "on", "yes"):
        return True
    raise BadParameter(name, _("Unknown value “%(value)s” for “%(param)s”: use one of %(allowed)s.")
                       % {"value": value[:60], "param": name, "allowed": "true, false"})


def parse(kind: str, params) -> Options:
    """The print's size and the map's filters from the query string; BadParameter names the first bad one."""
    opts = Options(size=_one(params, "size", SIZES, "a4"), orientation=_one(params, "orientation", ORIENTATIONS))
    f = opts.filters
    if kind == "services":
        # as the services map writes them (categories=bakery,gp) or as its form sends them (one each)
        codes = [c.strip() for v in params.getlist("categories") + params.getlist("category") for c in v.split(",") if c.strip()]
        known = selectors.category_codes()
        for c in codes:
            if c not in known:
                raise BadParameter("categories", _("Unknown value “%(value)s” for “%(param)s”: use one of %(allowed)s.")
                                   % {"value": c[:60], "param": "categories", "allowed": ", ".join(sorted(known))})
        f["categories"] = sorted(set(codes))
        year = params.get("year", "")
        if year:
            this_year = datetime.date.today().year
            if not year.isdigit() or not 2000 <= int(year) <= this_year:
                raise BadParameter("year", _("“%(param)s” must be a year from %(first)s to %(last)s.")
                                   % {"param": "year", "first": 2000, "last": this_year})
            f["year"] = int(year) if int(year) != this_year else None
    elif kind == "access":
        from partons.analysis.indicators import MAP_VIEWS
        from partons.analysis.models import Mode

        f["category"] = _one(params, "category", {"basket", *selectors.category_codes()}, "basket")
        f["mode"] = _one(params, "mode", set(Mode.values), "car")
        f["indicator"] = _one(params, "indicator", set(MAP_VIEWS), "time")
        years = selectors.access_years()
        since = params.get("since", "")
        if since and (not since.isdigit() or int(since) not in years):
            raise BadParameter("since", _("“%(param)s” must be one of the comparison years: %(allowed)s.")
                               % {"param": "since", "allowed": ", ".join(map(str, years)) or "—"})
        f["since"] = int(since) if since else (years[0] if years else None)
        # combinations the map page itself falls back from (a valid value that does not apply): as the page does
        if f["indicator"] == "round_trip" and f["mode"] != "transit":
            f["indicator"] = "time"  # there and back: measured by public transport only
        if f["indicator"] == "change" and (f["since"] is None or f["mode"] == "transit"):
            f["indicator"] = "time"  # no comparison year, or public transport (no past timetables)
    elif kind == "ideas":
        themes, statuses = selectors.idea_choices()
        f["theme"] = _one(params, "theme", set(themes))
        f["status"] = _one(params, "status", set(statuses))
        # the idea box's other filters, read as its page reads them
        country = params.get("country", "").upper()
        f["country"] = _one({"country": country}, "country", {"BE", "FR"})
        f["language"] = _one(params, "language", {"nl", "fr"})
        f["village"] = _place(params, "village")
        f["municipality"] = _place(params, "municipality")
        f["q"] = params.get("q", "").strip()[:100] or None
    elif kind == "agenda":
        f["type"] = _one(params, "type", set(selectors.event_types()))
        month = params.get("month", "")
        if month:
            from partons.events.selectors import month_range

            try:
                month_range(month)
            except ValueError:
                raise BadParameter("month", _("“%(param)s” must be a month written YYYY-MM, e.g. 2026-05.")
                                   % {"param": "month"}) from None
        f["month"] = month or None
        f["village"] = _place(params, "village")
        f["past"] = _yes(params, "past")
    return opts


# --- what each map shows ---------------------------------------------------------------------------------------

def content(kind: str, opts: Options) -> MapContent:
    base = selectors.base_layers()
    c = BUILDERS[kind](base, opts.filters)
    c.made_on = formats.date_format(datetime.date.today(), "DATE_FORMAT")
    c.synthetic = c.synthetic or base.synthetic
    return c


def _village_index(base: Base) -> dict:
    return {v.pk: v for v in base.villages}


def _country_legend(label_be: str, label_fr: str, kind: str = "dot") -> list[LegendItem]:
    return [LegendItem(label_be, BE, kind), LegendItem(label_fr, FR, kind)]


def _licence_text(source: str, licence: str) -> str | None:
    s, lic = (source or "").strip(), (licence or "").strip()
    if "odbl" in lic.lower() or "openstreetmap" in s.lower() or s.lower() == "osm":
        return OSM
    if not s and not lic:
        return None
    from partons.observatory import sources as facility_sources

    return facility_sources.text(s, lic)


def services(base: Base, f: dict) -> MapContent:
    year = f.get("year")
    on = datetime.date(year, 1, 1) if year else None
    rows = selectors.facility_rows(category_codes=f.get("categories"), on=on)
    cats = {c.pk: c for c in selectors.categories()}
    shown = sorted({r["category_id"] for r in rows}, key=lambda pk: (cats[pk].order, cats[pk].code))
    chosen = [c for c in cats.values() if c.code in set(f.get("categories") or ())]
    subtitle = ", ".join(c.name for c in chosen) if chosen else _("All categories")
    subtitle += " — " + (_("on 1 January %(year)s") % {"year": year} if year else capfirst(_("today")))
    c = MapContent("services", _("Everyday services"), subtitle, base, synthetic=any(r["synthetic"] for r in rows))
    if len(shown) <= MAX_CATEGORY_COLOURS:
        colour = {pk: CATEGORY_PALETTE[i] for i, pk in enumerate(shown)}
        xs, ys = project_all([r["lon"] for r in rows], [r["lat"] for r in rows])
        c.marks += [Mark(x, y, colour[r["category_id"]], 14) for x, y, r in zip(xs, ys, rows)]
        c.legend = [LegendItem(f"{cats[pk].name} ({n})", colour[pk]) for pk, n in
                    sorted(Counter(r["category_id"] for r in rows).items(), key=lambda t: shown.index(t[0]))]
    else:  # many categories: the number of services per village, as the on-screen map shows large areas
        villages = _village_index(base)
        per_village = Counter(r["village_id"] for r in rows if r["village_id"] in villages)
        for vid, n in per_village.most_common():
            v = villages[vid]
            c.marks.append(Mark(v.x, v.y, COUNTRY_COLOURS.get(v.country, "#555555"), 8 + 22 * math.sqrt(n), pk=v.pk))
        c.legend = [*_country_legend(_("Services of a village in Belgium"), _("Services of a village in France")),
                    LegendItem(_("Circle size: number of services (large areas)"), "#777777", "size")]
        c.notes.append(ngettext("%(n)s service in %(v)s villages", "%(n)s services in %(v)s villages",
                                  sum(per_village.values())) % {"n": sum(per_village.values()), "v": len(per_village)})
    sources = []
    for r in rows:
        text = _licence_text(r["source"], r["licence"])
        if text and text not in sources and len(sources) < 4:
            sources.append(text)
    c.sources = [*sources, *BASE_SOURCES]
    return c


def access(base: Base, f: dict) -> MapContent:
    from partons.analysis.indicators import MAP_VIEWS
    from partons.analysis.models import MODE_LABELS

    view = MAP_VIEWS[f["indicator"]]
    legend = view.legend()
    values = selectors.access_values(category=f["category"], mode=f["mode"])
    before = (selectors.access_values(category=f["category"], mode=f["mode"], as_of=datetime.date(f["since"], 1, 1))
              if view.change and f.get("since") else {})
    levels = selectors.viability_levels() if view.key == "viability" else {}
    cat_name = _("everyday basket") if f["category"] == "basket" else next(
        (c.name for c in selectors.categories() if c.code == f["category"]), f["category"])
    what = {"time": _("mean time to the nearest"), "share": _("residents within the threshold"),
            "change": _("residents within the threshold"), "round_trip": _("residents who can go there and back within the threshold"),
            "viability": _("viability of the village")}[view.key]
    thresholds = {round(fig.threshold_s / 60) for fig in values.values() if fig.threshold_s}
    if view.key in ("share", "change", "round_trip") and len(thresholds) == 1:  # say what the threshold is
        what = {"round_trip": _("residents who can go there and back within %(n)s min")}.get(
            view.key, _("Residents within %(n)s min")) % {"n": thresholds.pop()}
    subtitle = f"{capfirst(what)} — {cat_name} — {MODE_LABELS[f['mode']]}"
    if view.change:
        subtitle += " — " + _("change since %(year)s") % {"year": f["since"]}
    c = MapContent("access", _("Access to everyday services"), subtitle, base, synthetic=selectors.access_synthetic())
    def exported(fig):
        return None if fig is None else fig.exported()

    for v in sorted(base.villages, key=lambda v: -v.population):
        if view.key == "viability":
            colour = view.colour(level=levels.get(v.pk))
        else:
            colour = view.colour(view.value(exported(values.get(v.pk)), exported(before.get(v.pk))))
        c.marks.append(Mark(v.x, v.y, colour, 18 + 150 * math.sqrt(max(v.population, 1) / 20000), edge="#5a5a5a", pk=v.pk))
    if view.prop:  # as on the page: each municipality coloured by its villages' figures together
        per_area: dict[int, list] = {}
        for v in base.villages:
            per_area.setdefault(v.municipality_id, []).append(v.pk)
        for area_pk, village_pks in per_area.items():
            now = [values[pk] for pk in village_pks if pk in values]
            then = [before[pk] for pk in village_pks if pk in before]
            value = view.value(exported(selectors.access_aggregate(now)), exported(selectors.access_aggregate(then)))
            c.area_fills[area_pk] = view.colour(value)
        c.notes.append(_("Municipalities are coloured by the figures of their villages together, circles by each "
                         "village's."))
    c.legend = [LegendItem(str(i["label"]), i["colour"]) for i in legend]
    c.legend += [LegendItem(capfirst(_("no figure")), NO_FIGURE), LegendItem(_("Circle size: residents"), "#777777", "size")]
    if any(fig.straight_line for fig in values.values()):
        c.notes.append(_("Straight-line estimates: no road network was loaded."))
        c.sources = [_("Access figures: Partons, estimated from the services as the crow flies"), *BASE_SOURCES]
    else:
        c.sources = [_("Access figures: Partons, computed from the services and the road network"), OSM, *BASE_SOURCES]
    return c


def ideas(base: Base, f: dict) -> MapContent:
    themes, statuses = selectors.idea_choices()
    rows = selectors.idea_rows(theme=f.get("theme"), status=f.get("status"), village=f.get("village"),
                               municipality=f.get("municipality"), country=f.get("country"),
                               language=f.get("language"), q=f.get("q"))
    parts = [themes[f["theme"]]] if f.get("theme") else []
    parts += [statuses[f["status"]]] if f.get("status") else []
    parts += _place_parts(f)
    if f.get("language"):
        parts.append(_("ideas in Dutch") if f["language"] == "nl" else _("ideas in French"))
    if f.get("q"):
        parts.append(_("search: “%(q)s”") % {"q": f["q"]})
    subtitle = " — ".join(parts) or _("All ideas")
    c = MapContent("ideas", _("Map of the ideas"), subtitle, base, synthetic=any(i.synthetic for i in rows))
    _highlight(c, f)
    for idea in rows:
        point = idea.point
        if point is None:
            continue
        x, y = project(*point)
        country = idea.village.municipality.country.code if idea.village_id else ""
        c.marks.append(Mark(x, y, COUNTRY_COLOURS.get(country, "#555555"), 16 + 6 * min(idea.supports_count, 60)))
    c.legend = [*_country_legend(_("Idea in Belgium"), _("Idea in France")),
                LegendItem(_("Circle size: number of supports"), "#777777", "size")]
    c.notes.append(ngettext("%(n)s idea", "%(n)s ideas", len(rows)) % {"n": len(rows)})
    c.sources = [_("Ideas: residents, through the Partons idea box"), *BASE_SOURCES]
    return c


def portfolio(base: Base, f: dict) -> MapContent:
    rows = selectors.project_rows()
    c = MapContent("portfolio", _("Portfolio of supported projects"), _("Funded projects by village"), base,
                   synthetic=any(p.synthetic for p in rows))
    per_village: Counter = Counter()
    places = {}
    for p in rows:
        for v in p.village_list:
            per_village[v.pk] += 1
            places[v.pk] = v
    for pk, n in per_village.items():
        v = places[pk]
        x, y = project(v.lon, v.lat)
        c.marks.append(Mark(x, y, COUNTRY_COLOURS.get(v.municipality.country.code, "#555555"), 30 + 25 * n, "s", pk=v.pk))
    c.legend = [*_country_legend(_("Project in Belgium"), _("Project in France"), "square"),
                LegendItem(_("Square size: number of projects"), "#777777", "size-square")]
    c.notes.append(ngettext("%(n)s funded project", "%(n)s funded projects", len(rows)) % {"n": len(rows)})
    c.sources = [_("Projects: calls for projects of the programme"), *BASE_SOURCES]
    return c


def agenda(base: Base, f: dict) -> MapContent:
    types = selectors.event_types()
    rows = selectors.event_rows(type=f.get("type"), month=f.get("month"), village=f.get("village"),
                                past=f.get("past", False))
    parts = [capfirst(types[f["type"]])] if f.get("type") else []
    if f.get("month"):
        year, month = map(int, f["month"].split("-"))
        parts.append(formats.date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT"))
    else:
        parts.append(_("Past events") if f.get("past") else _("Coming events"))
    parts += _place_parts(f)
    c = MapContent("agenda", _("Map of the events"), " — ".join(parts), base, synthetic=any(e.synthetic for e in rows))
    _highlight(c, f)
    for e in rows:
        x, y = project(*e.point)
        c.marks.append(Mark(x, y, COUNTRY_COLOURS.get(e.village.municipality.country.code, "#555555"), 70, "D"))
    c.legend = _country_legend(_("Event in Belgium"), _("Event in France"), "diamond")
    c.notes.append(ngettext("%(n)s event", "%(n)s events", len(rows)) % {"n": len(rows)})
    c.sources = [_("Events: the programme's agenda"), *BASE_SOURCES]
    return c


def _place_parts(f: dict) -> list[str]:
    """The place a map is narrowed to, for its subtitle."""
    parts = []
    if f.get("country"):
        parts.append(_("Belgium") if f["country"] == "BE" else _("France"))
    if f.get("municipality") is not None:
        parts.append(f["municipality"].name)
    if f.get("village") is not None:
        parts.append(f["village"].name)
    return parts


def _highlight(c: MapContent, f: dict) -> None:
    """A map narrowed to a village or municipality shows it outlined / labelled, on the whole region."""
    if f.get("village") is not None:
        c.highlight = f["village"].pk
    if f.get("municipality") is not None:
        c.highlight_area = f["municipality"].pk


BUILDERS = {"services": services, "access": access, "ideas": ideas, "portfolio": portfolio, "agenda": agenda}


def place_map(*, village=None, municipality=None) -> MapContent:
    """A dossier's map: the services of a village or municipality and around it, the place highlighted."""
    base = selectors.base_layers()
    c = services(base, {"categories": []})
    c.title = village.name if village is not None else municipality.name
    c.made_on = formats.date_format(datetime.date.today(), "DATE_FORMAT")
    c.synthetic = c.synthetic or base.synthetic
    if village is not None:
        x, y = project(village.lon, village.lat)
        c.highlight = village.pk
        half = 6000
        c.extent = (x - half, y - half, x + half, y + half)
    else:
        c.highlight_area = municipality.pk
        area = next((a for a in base.areas if a.pk == municipality.pk), None)
        pts = [p for poly in (area.polygons if area else []) for p in poly[0]]
        pts += [(v.x, v.y) for v in base.villages if v.municipality_id == municipality.pk]
        if area is not None and area.point:
            pts.append(area.point)
        if pts:
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            pad = max(2500.0, 0.15 * max(max(xs) - min(xs), max(ys) - min(ys)))
            c.extent = (min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)
    return c
