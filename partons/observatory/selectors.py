"""Read queries on facilities: by bounding box, category and date; counts over time."""
from __future__ import annotations

import datetime

from django.db.models import Case, Count, DateField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from partons.core.geo import in_bbox
from partons.core.cached import cached_value
from partons.core.text import fold
from partons.core.versions import latest_change, reference_version

from .models import CategoryGroup, Facility, ServiceCategory


def categories() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.all()


def groups() -> QuerySet[CategoryGroup]:
    return CategoryGroup.objects.prefetch_related("categories")


def facilities(*, on: datetime.date | None = None, category_codes: list[str] | None = None, group: str | None = None,
               bbox=None, village=None, municipality=None, include_closed: bool = False,
               q: str | None = None) -> QuerySet[Facility]:
    """Facilities open on `on` (today by default), unless include_closed. `q`: every word in the name, the address,
    the category's name (in any language) or the village's name ("apotheek kemmel", "boulangerie Hondschoote")."""
    # The municipality comes along for its key and country, never its boundary (a polygon per row).
    qs = Facility.objects.select_related("category", "village__municipality__country").defer(
        "village__municipality__boundary")
    if not include_closed:
        qs = qs.open_on(on or datetime.date.today())
    if category_codes:
        qs = qs.filter(category__code__in=category_codes)
    if group:
        qs = qs.filter(category__groups__code=group)
    if bbox is not None:
        qs = qs.filter(in_bbox(bbox))
    if village is not None:
        qs = qs.filter(village=village)
    if municipality is not None:
        qs = qs.filter(village__municipality=municipality)
    for word in (q or "").split()[:6]:
        qs = qs.filter(Q(name__icontains=word) | Q(address__icontains=word) | Q(category__name_nl__icontains=word)
                       | Q(category__name_fr__icontains=word) | Q(category__name_en__icontains=word)
                       | Q(village__search_text__contains=fold(word)))
    return qs


def lost_since(*, since: datetime.date, village=None, municipality=None) -> QuerySet[Facility]:
    """Facilities that were open on `since` and have closed since."""
    qs = facilities(on=since, village=village, municipality=municipality).filter(closed_on__isnull=False)
    return qs.order_by("-closed_on")


def data_version() -> str:
    """Changes whenever a facility is added or changed (facilities are never deleted): the latest change and the
    highest id, both read from an index. What is derived from the facilities is kept under it."""
    return latest_change(Facility)


def answers_version() -> str:
    """What answers about the services (map answers, exports) are kept under: the facilities, today's date (a service
    closes on its day) and the place and category names."""
    return f"{data_version()}:{datetime.date.today()}:{reference_version()}"


def counts_by_year(*, years: list[int], village=None, municipality=None, region=None, category_codes=None) -> dict:
    """The same as `_counts_by_year`, kept in the shared cache until the facilities change."""
    what = ":".join(str(x) for x in (",".join(map(str, years)), getattr(village, "pk", ""), getattr(municipality, "pk", ""),
                                      getattr(region, "pk", ""), ",".join(sorted(category_codes or []))))
    return cached_value(f"facilities:by-year:{what}", version=data_version(), build=lambda: _counts_by_year(
        years=years, village=village, municipality=municipality, region=region, category_codes=category_codes))


def _counts_by_year(*, years: list[int], village=None, municipality=None, region=None, category_codes=None) -> dict:
    """{category code: [number open on 1 January of each year]} plus "total", in one query.

    The database groups the facilities by the first and the last year they are open on 1 January (as
    `FacilityQuerySet.open_on` decides: opened — or known — on or before that day, not closed by then); each group
    then counts for the years between."""
    base = Facility.objects.all()
    if village is not None:
        base = base.filter(village=village)
    if municipality is not None:
        base = base.filter(village__municipality=municipality)
    if region is not None:
        base = base.filter(village__municipality__regions=region)
    if category_codes:
        base = base.filter(category__code__in=category_codes)
    start = Coalesce("opened_on", "known_since", output_field=DateField())
    groups = (base.annotate(start=start)
              .annotate(first=Case(When(start__isnull=True, then=Value(None)),
                                   When(start__month=1, start__day=1, then=ExtractYear("start")),
                                   default=ExtractYear("start") + 1, output_field=IntegerField()),
                        last=Case(When(closed_on__isnull=True, then=Value(None)),
                                  When(closed_on__month=1, closed_on__day=1, then=ExtractYear("closed_on") - 1),
                                  default=ExtractYear("closed_on"), output_field=IntegerField()))
              .values("category__code", "first", "last").annotate(n=Count("pk")).order_by())
    series: dict[str, list[int]] = {}
    totals = [0] * len(years)
    for g in groups:
        counts = series.setdefault(g["category__code"], [0] * len(years))
        for i, year in enumerate(years):
            if (g["first"] is None or g["first"] <= year) and (g["last"] is None or year <= g["last"]):
                counts[i] += g["n"]
                totals[i] += g["n"]
    series["total"] = totals
    return series


def nearest_across_border(village, *, on: datetime.date | None = None, limit_km: float = 15.0) -> list[dict]:
    """Per category, the nearest open facility on the other side of the border (straight-line distance).

    Two queries whatever the number of facilities around: the candidates' coordinates (measured together, in
    metres in ETRS89-LAEA), then the nearest one of each category with what the page shows of it."""
    import numpy as np

    from partons.core.geo import LAEA, WGS84, transformer

    country = village.municipality.country.code
    dlat = limit_km / 110.5
    dlon = limit_km / (111.3 * 0.63)
    candidates = list(
        facilities(on=on, bbox=(village.lon - dlon, village.lat - dlat, village.lon + dlon, village.lat + dlat))
        .exclude(village__municipality__country__code=country).exclude(village__isnull=True)
        .values_list("pk", "category_id", "lon", "lat"))
    if not candidates:
        return []
    pks, cats, lons, lats = (np.array(col) for col in zip(*candidates))
    t = transformer(WGS84, LAEA)
    x0, y0 = t.transform(village.lon, village.lat)
    xs, ys = t.transform(lons, lats)
    dist = np.hypot(np.asarray(xs) - x0, np.asarray(ys) - y0)
    best: dict[int, tuple[float, int]] = {}
    for i in np.argsort(dist, kind="stable"):
        if dist[i] > limit_km * 1000:
            break
        best.setdefault(int(cats[i]), (float(dist[i]), int(pks[i])))
    chosen = Facility.objects.select_related("category", "village").in_bulk([pk for _, pk in best.values()])
    rows = [{"category": chosen[pk].category, "facility": chosen[pk], "distance_km": round(d / 1000, 1)}
            for d, pk in best.values()]
    return sorted(rows, key=lambda r: (r["category"].order, r["distance_km"]))