"""Reads for the prints: the region's layers (municipalities, the national border, villages) in ETRS89-LAEA metres,
and each map's rows — always through the owning app's own selectors, so that a print shows what that app's public
page shows and nothing more (published events, visible ideas, funded projects of published results)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import translation

from partons.core.cached import cached_value
from partons.core.geo import LAEA, WGS84, transformer
from partons.core.versions import reference_version
from partons.territory import selectors as territory

SIMPLIFY_M = 40  # boundaries are drawn simplified to this (invisible at print scale, a tenth of the points)
BORDER_GAP_M = 400  # two countries' boundaries this close count as the national border (sources differ slightly)


@dataclass
class Place:
    """A village: its name in the page's language and its point in LAEA metres."""

    pk: int
    name: str
    x: float
    y: float
    population: int
    country: str
    municipality_id: int
    synthetic: bool = False


@dataclass
class Area:
    """A municipality: its rings (exterior and holes, LAEA metres) or only its point when no boundary is known."""

    pk: int
    name: str
    country: str
    polygons: list = field(default_factory=list)  # [[exterior ring, hole, …], …], each ring a list of (x, y)
    point: tuple | None = None
    synthetic: bool = False


@dataclass
class Base:
    areas: list
    border: list  # lines of the national border, each a list of (x, y)
    villages: list
    extent: tuple  # (xmin, ymin, xmax, ymax) of the region, LAEA metres
    synthetic: bool = False


def project(lon: float, lat: float) -> tuple[float, float]:
    return transformer(WGS84, LAEA).transform(lon, lat)


def project_all(lons: list[float], lats: list[float]) -> tuple[list[float], list[float]]:
    """Many points at once (one call into PROJ, not one per point)."""
    if not lons:
        return [], []
    xs, ys = transformer(WGS84, LAEA).transform(lons, lats)
    return list(xs), list(ys)


def base_layers() -> Base:
    """The region's municipalities, border and villages: built once per change of the places (and per language:
    names are in it)."""
    region = territory.current_region()
    lang = translation.get_language() or "nl"
    return cached_value(f"prints:base:{getattr(region, 'pk', '')}:{lang}", lambda: _base_layers(region),
                        version=f"{reference_version()}")


def _polygons(geom) -> list:
    polys = [geom] if geom.geom_type == "Polygon" else list(getattr(geom, "geoms", []))
    out = []
    for p in polys:
        if p.geom_type != "Polygon" or p.is_empty:
            continue
        out.append([list(p.exterior.coords)] + [list(r.coords) for r in p.interiors])
    return out


def _base_layers(region) -> Base:
    import numpy as np
    import shapely
    from shapely.geometry import shape
    from shapely.ops import unary_union

    t = transformer(WGS84, LAEA)
    areas: list[Area] = []
    by_country: dict[str, list] = {}
    for m in territory.municipalities(region=region, with_boundary=True):
        area = Area(m.pk, m.name, m.country.code, synthetic=m.synthetic)
        if m.boundary:
            geom = shapely.transform(shape(m.boundary), lambda xy: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
            if not geom.is_valid:
                geom = geom.buffer(0)
            geom = geom.simplify(SIMPLIFY_M, preserve_topology=True)
            area.polygons = _polygons(geom)
            by_country.setdefault(m.country.code, []).append(geom)
        elif m.lon is not None and m.lat is not None:
            area.point = t.transform(m.lon, m.lat)
        areas.append(area)
    border = []
    if len(by_country) == 2:
        one, other = (unary_union(g) for g in by_country.values())
        line = one.boundary.intersection(other.buffer(BORDER_GAP_M))
        for part in getattr(line, "geoms", [line]):
            if part.geom_type == "LineString" and part.length > 2 * SIMPLIFY_M:
                border.append(list(part.coords))
    villages = [Place(v.pk, v.name, *t.transform(v.lon, v.lat), v.population or 0, v.municipality.country.code,
                      v.municipality_id, v.synthetic) for v in territory.villages(region=region)]
    xs = [x for a in areas for poly in a.polygons for x, _y in poly[0]] + [v.x for v in villages]
    ys = [y for a in areas for poly in a.polygons for _x, y in poly[0]] + [v.y for v in villages]
    xs += [a.point[0] for a in areas if a.point]
    ys += [a.point[1] for a in areas if a.point]
    extent = (min(xs), min(ys), max(xs), max(ys)) if xs else (3.80e6, 3.10e6, 3.86e6, 3.16e6)
    return Base(areas, border, villages, extent,
                synthetic=any(a.synthetic for a in areas) or any(v.synthetic for v in villages))


# --- each map's rows ---------------------------------------------------------------------------------------


def facility_rows(*, category_codes: list[str] | None, on: datetime.date | None = None, village=None,
                  municipality=None) -> list[dict]:
    """The services the services map shows (open on `on`, today by default), one query."""
    from partons.observatory import selectors as obs

    qs = obs.facilities(on=on, category_codes=category_codes or None, village=village, municipality=municipality)
    return [{"lon": lon, "lat": lat, "category_id": cat, "village_id": vid, "synthetic": syn, "country": country,
             "source": source, "licence": licence, "name": name}
            for lon, lat, cat, vid, syn, country, source, licence, name in qs.values_list(
                "lon", "lat", "category_id", "village_id", "synthetic", "village__municipality__country__code",
                "source", "licence", "name")]


def categories() -> list:
    from partons.observatory import selectors as obs

    return list(obs.categories())


def category_codes() -> set[str]:
    from partons.observatory.models import ServiceCategory

    return set(ServiceCategory.objects.values_list("code", flat=True))


def access_values(*, category: str, mode: str, as_of: datetime.date | None = None) -> dict:
    from partons.analysis import selectors as access

    return access.village_values(category=category, mode=mode, as_of=as_of)


def access_aggregate(figures: list):
    """The figures of several villages together (residents-weighted, as the API's municipalities), None for none."""
    from partons.analysis import selectors as access

    return access.aggregate(figures) if figures else None


def viability_levels() -> dict[int, str]:
    from partons.analysis.models import VillageViability

    return dict(VillageViability.objects.values_list("village_id", "level"))


def access_synthetic() -> bool:
    from partons.analysis import selectors as access

    return access.synthetic_inputs()


def access_years() -> list[int]:
    from partons.analysis.models import AccessSettings

    return AccessSettings.current().years()


def computed_modes() -> tuple[str, ...]:
    from partons.analysis import selectors as access

    return access.computed_modes()


def idea_rows(*, theme: str | None = None, status: str | None = None, village=None, municipality=None,
              country: str | None = None, language: str | None = None, q: str | None = None,
              limit: int | None = None) -> list:
    """Ideas the idea box shows the public (hidden ones never), with their village: one query."""
    from partons.ideas.selectors import public_ideas

    qs = public_ideas(theme=theme, status=status, village=village, municipality=municipality, country=country,
                      language=language, q=q, sort="supported")
    return list(qs[:limit] if limit else qs)


def project_rows(*, village=None, municipality=None) -> list:
    """Funded projects of calls whose results are published (the public portfolio), with their villages."""
    from partons.calls.selectors import portfolio

    qs = portfolio()
    if village is not None:
        qs = qs.filter(villages=village).distinct()
    if municipality is not None:
        qs = qs.filter(villages__municipality=municipality).distinct()
    return list(qs)


def event_rows(*, type: str | None = None, month: str | None = None, village=None, municipality=None,
               past: bool = False) -> list:
    """Published events of the agenda (coming ones, past ones, or those of a month), with their village."""
    from partons.events.selectors import agenda

    return list(agenda(type=type, month=month, village=village, municipality=municipality, past=past))


def event_types() -> dict[str, str]:
    from partons.events.models import EventType

    return {k: str(v) for k, v in EventType.choices}


def idea_choices() -> tuple[dict[str, str], dict[str, str]]:
    from partons.ideas.models import Status, Theme

    return {k: str(v) for k, v in Theme.choices}, {k: str(v) for k, v in Status.choices}


def data_version(kind: str) -> str:
    """What a print of `kind` is kept under: its data, the places' names and shapes, and today's date (printed on it)."""
    today = datetime.date.today().isoformat()
    if kind == "services":
        from partons.observatory.selectors import answers_version
        version = answers_version()
    elif kind == "access":
        from partons.analysis.models import AccessSettings
        from partons.analysis.selectors import answers_version as access_version

        changed = AccessSettings.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
        version = f"{access_version()}:{changed.timestamp() if changed else 0}"
    elif kind == "ideas":
        from partons.ideas.selectors import data_version as ideas_version
        version = ideas_version()
    elif kind == "portfolio":
        from partons.calls.models import Application, Call
        from partons.core.versions import latest_change

        version = f"{latest_change(Application)}:{latest_change(Call, 'results_published_at')}"
    elif kind == "agenda":
        from partons.events.selectors import data_version as events_version
        version = f"{events_version()}:{datetime.datetime.now(datetime.UTC):%Y%m%d%H}"  # "coming" moves with the clock
    else:
        raise ValueError(kind)
    return f"{kind}:{version}:{reference_version()}:{today}"


def dossier_version() -> str:
    """A dossier shows every kind of data: kept until any of them changes (hashed: a cache key stays short)."""
    import hashlib

    joined = "|".join(data_version(k) for k in ("services", "access", "ideas", "portfolio", "agenda"))
    return "dossier:" + hashlib.sha256(joined.encode()).hexdigest()[:32]


def _place_changes(village=None, municipality=None):
    from django.db.models import Min, OuterRef, Subquery

    from partons.observatory.models import FacilityChange

    qs = FacilityChange.objects.filter(kind__in=[FacilityChange.Kind.CREATED, FacilityChange.Kind.CLOSED,
                                                 FacilityChange.Kind.REOPENED])
    if village is not None:
        qs = qs.filter(facility__village=village)
    if municipality is not None:
        qs = qs.filter(facility__village__municipality=municipality)
    # A source's first inventory records every service it found as "created" on one date: that says when the
    # source began, not that the services opened then.
    first = (FacilityChange.objects.filter(kind=FacilityChange.Kind.CREATED, facility__source=OuterRef("facility__source"))
             .order_by().values("facility__source").annotate(first=Min("effective_on")).values("first"))
    return qs.annotate(first_of_source=Subquery(first[:1]))


def facility_history(*, village=None, municipality=None, limit: int = 40) -> list:
    """Openings, closings and reopenings of the place's services, newest first (the observatory's history), one query;
    without the services recorded by their source's first inventory (see `first_inventory`)."""
    from django.db.models import F, Q

    from partons.observatory.models import FacilityChange

    inventory = Q(kind=FacilityChange.Kind.CREATED, effective_on=F("first_of_source"))
    return list(_place_changes(village, municipality).exclude(inventory)
                .select_related("facility__category", "facility__village")
                .only("kind", "effective_on", "facility__name", "facility__synthetic", "facility__category",
                      "facility__village", "facility__category__name_nl", "facility__category__name_fr",
                      "facility__category__name_en", "facility__village__name_nl", "facility__village__name_fr",
                      "facility__village__name_en")
                .order_by("-effective_on", "-pk")[:limit])


def first_inventory(*, village=None, municipality=None) -> tuple[int, list]:
    """How many of the place's services were recorded by their source's first inventory, and on which dates."""
    from django.db.models import F

    from partons.observatory.models import FacilityChange

    rows = (_place_changes(village, municipality).filter(kind=FacilityChange.Kind.CREATED, effective_on=F("first_of_source"))
            .values_list("effective_on", flat=True))
    dates = list(rows)
    return len(dates), sorted(set(dates))


def place_services(*, village=None, municipality=None) -> list:
    from partons.observatory import selectors as obs

    return list(obs.facilities(village=village, municipality=municipality).order_by("category__order", "name"))


def place_access(*, village=None, municipality=None):
    from partons.analysis import selectors as access

    return access.place_access(village=village, municipality=municipality)


def municipality_villages(municipality) -> list:
    return list(territory.villages(municipality=municipality).order_by(*territory.village_ordering("-population")))
