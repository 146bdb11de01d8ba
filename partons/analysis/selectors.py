"""Reading the stored access figures: per village, aggregated per municipality or region (weighted by
residents), the everyday-basket summary, what was lost since a comparison year."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from partons.core.cached import cached_value
from partons.core.versions import reference_version
from partons.access.modes import ACCESS_MODES
from partons.observatory.models import CategoryGroup, ServiceCategory
from partons.observatory.nomenclature import EVERYDAY_BASKET as BASKET_GROUP

from . import indicators
from .models import AccessRun, AccessSettings, Method, TransitNetwork, VillageAccess, VillageTransit

MODES = ACCESS_MODES


@dataclass
class Figure:
    """Access of a place (village or aggregate) to a category by a mode, on a date: the indicators of the registry
    (``figure.mean_time_s``, ``figure.share_within``… read ``values``)."""

    category_id: int
    mode: str
    as_of: datetime.date
    method: str
    values: dict = field(default_factory=dict)  # {indicator field: value or None}
    nearest_facility: object = None
    villages: int = 1

    def __getattr__(self, name):
        if name in indicators.BY_FIELD:
            return self.__dict__.get("values", {}).get(name)
        raise AttributeError(name)

    @property
    def mean_min(self):
        return None if self.mean_time_s is None else self.mean_time_s / 60

    @property
    def share_pct(self):
        return None if self.share_within is None else round(100 * self.share_within)

    @property
    def border_gain_min(self):
        """Minutes the residents would lose on average if services across the border did not count."""
        if self.domestic_time_s is None or self.mean_time_s is None:
            return None
        return max(0.0, (self.domestic_time_s - self.mean_time_s) / 60)

    @property
    def straight_line(self) -> bool:
        return self.method == Method.STRAIGHT_LINE

    def exported(self) -> dict:
        """The figures as the API and the exports give them."""
        return indicators.exported(self.values)


def share_change(now: Figure | None, then: Figure | None) -> float | None:
    """The change of the share of residents within the threshold (0–1 points; negative: lost), None when unknown."""
    if now is None or then is None or now.share_within is None or then.share_within is None:
        return None
    return now.share_within - then.share_within


def _from_row(r: VillageAccess, with_facility: bool = True) -> Figure:
    return Figure(r.category_id, r.mode, r.as_of, r.method, {f: getattr(r, f) for f in indicators.FIELDS},
                  r.nearest_facility if with_facility and r.nearest_facility_id else None)


def _wavg(pairs):
    pairs = [(v, w) for v, w in pairs if v is not None and w > 0]
    tot = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / tot if tot else None


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def aggregate(figures: list[Figure]) -> Figure:
    """Residents-weighted figures of several villages (same category, mode and date), each indicator as the registry
    says it adds up."""
    f0 = figures[0]
    weights = [(f.population or 0) - (f.off_network_population or 0) for f in figures]
    values = {}
    for i in indicators.INDICATORS:
        vals = [f.values.get(i.field) for f in figures]
        if i.aggregate == "sum":
            values[i.field] = sum(v for v in vals if v is not None)
        elif i.aggregate == "mean":
            values[i.field] = _wavg(zip(vals, weights))
        elif i.aggregate == "first":
            values[i.field] = vals[0]
    methods = {f.method for f in figures}
    return Figure(f0.category_id, f0.mode, f0.as_of, f0.method if len(methods) == 1 else Method.STRAIGHT_LINE, values,
                  villages=len(figures))


def basket(figures: list[Figure]) -> Figure:
    """One village's figures over the everyday basket (one per category, same mode and date), each indicator as the
    registry says the basket reads it."""
    f0 = figures[0]
    values = {}
    for i in indicators.INDICATORS:
        if i.basket == "mean":
            values[i.field] = _mean(f.values.get(i.field) for f in figures)
        elif i.basket == "first":
            values[i.field] = f0.values.get(i.field)
    method = Method.STRAIGHT_LINE if any(f.straight_line for f in figures) else f0.method
    return Figure(-1, f0.mode, f0.as_of, method, values)


def rows(*, villages=None, municipality=None, current: bool | None = True, as_of=None,
         categories=None, modes=None) -> QuerySet[VillageAccess]:
    qs = VillageAccess.objects.all()
    if villages is not None:
        qs = qs.filter(village__in=villages)
    if municipality is not None:
        qs = qs.filter(village__municipality=municipality, village__merged_into=None)
    if current is not None:
        qs = qs.filter(current=current)
    if as_of is not None:
        qs = qs.filter(as_of=as_of)
    if categories is not None:
        qs = qs.filter(category__in=categories)
    if modes is not None:
        qs = qs.filter(mode__in=modes)
    return qs


def figures_by_key(qs, *, with_facility: bool = False) -> dict[tuple, Figure]:
    """{(category_id, mode, as_of): Figure}, aggregating when the rows span several villages."""
    if with_facility:
        qs = qs.select_related("nearest_facility__village")
    groups: dict[tuple, list[Figure]] = {}
    for r in qs:
        groups.setdefault((r.category_id, r.mode, r.as_of), []).append(_from_row(r, with_facility))
    return {k: (v[0] if len(v) == 1 else aggregate(v)) for k, v in groups.items()}


def basket_ids() -> list[int]:
    group = CategoryGroup.objects.filter(code=BASKET_GROUP).first()
    return list(group.categories.values_list("pk", flat=True)) if group else []


@dataclass
class PlaceAccess:
    """Everything a village or municipality page shows about access."""

    categories: list  # [(category, {mode: Figure})]
    basket: dict  # mode → {"mean_min", "score", "method"}
    thresholds: dict  # mode → minutes
    methods: set
    since_year: int | None
    losses: list  # [(category, mode, Figure then, Figure now)]
    gains: list
    border: list  # [(category, Figure car)] where a share of residents depends on the other side
    run: AccessRun | None
    settings: AccessSettings
    k: int = 3
    synthetic: bool = False
    no_data: set = field(default_factory=set)  # categories with no service known anywhere: "no data", not "unreachable"
    modes: tuple = MODES
    years: list = field(default_factory=list)
    transit: object = None  # the public transport network in use (TransitNetwork), if any
    stops_near: list = field(default_factory=list)  # VillageTransit of the place's villages (public transport)

    @property
    def straight_line(self) -> bool:
        return Method.STRAIGHT_LINE in self.methods


def place_access(*, village=None, municipality=None, since_year: int | None = None) -> PlaceAccess | None:
    settings = AccessSettings.current()
    if village is not None:
        qs = rows(villages=[village], current=None)
    else:
        qs = rows(municipality=municipality, current=None)
    current = figures_by_key(qs.filter(current=True), with_facility=village is not None)
    if not current:
        return None
    years = settings.years()
    if since_year not in years:
        since_year = years[0] if years else None
    then = figures_by_key(qs.filter(as_of=datetime.date(since_year, 1, 1)),
                          with_facility=village is not None) if since_year else {}
    now = {(k[0], k[1]): f for k, f in current.items()}
    cats = list(ServiceCategory.objects.filter(pk__in={k[0] for k in current}))
    no_data = categories_without_data()
    cat_by_id = {c.pk: c for c in cats}
    by_cat = [(c, {m: now.get((c.pk, m)) for m in MODES}) for c in cats]
    in_basket = set(basket_ids())
    summary = {}
    for m in MODES:
        figs = [f for c, fm in by_cat if c.pk in in_basket and (f := fm.get(m)) is not None]
        b = basket(figs) if figs else None
        summary[m] = {"mean_min": b and b.mean_min, "score": b and b.share_pct, "n": len(figs),
                      "round_trip": b and b.round_trip_share,
                      "back_min": b and b.return_time_s is not None and b.return_time_s / 60}
    losses, gains = [], []
    for (cid, m, _d), f_then in then.items():
        f_now = now.get((cid, m))
        cat = cat_by_id.get(cid)
        delta = share_change(f_now, f_then)
        if cat is None or cid in no_data or delta is None:
            continue
        if delta <= -0.1:
            losses.append((cat, m, f_then, f_now))
        elif delta >= 0.1:
            gains.append((cat, m, f_then, f_now))
    order = {m: i for i, m in enumerate(MODES)}
    losses.sort(key=lambda t: (share_change(t[3], t[2]) or 0.0, order[t[1]]))
    gains.sort(key=lambda t: (-(share_change(t[3], t[2]) or 0.0), order[t[1]]))
    border = [(c, car) for c, fm in by_cat if (car := fm.get("car")) is not None and (car.cross_border_share or 0) >= 0.01]
    run = last_done_run()
    return PlaceAccess(by_cat, summary, {m: settings.threshold_min(m) for m in MODES},
                       {f.method for f in current.values()}, since_year, losses, gains, border, run, settings,
                       k=settings.k_nearest, synthetic=synthetic_inputs(), years=years, no_data=no_data,
                       modes=tuple(m for m in MODES if any(fm.get(m) for _c, fm in by_cat)),
                       transit=(transit := TransitNetwork.in_use()),
                       stops_near=list(VillageTransit.objects.filter(
                           network=transit, **({"village": village} if village is not None else {"village__municipality": municipality}))
                           .select_related("village").order_by("village__name_nl")) if transit else [])


def categories_without_data() -> set[int]:
    """Categories of which no service is open anywhere today (no data imported, e.g. rail stations without the
    reference file): their figures would read "beyond reach" for everyone, which says nothing about the villages."""
    from partons.observatory.models import Facility

    def build():
        present = set(Facility.objects.open_on(datetime.date.today()).values_list("category_id", flat=True).distinct())
        return set(ServiceCategory.objects.exclude(pk__in=present).values_list("pk", flat=True))

    from partons.observatory.selectors import data_version

    return cached_value("access:categories-without-data", build, version=f"{figures_version()}:{data_version()}")


def viability_rows(viability, settings: AccessSettings | None = None) -> list[dict]:
    """The criteria of a village's class, with what each one asks, in the page's language."""
    from django.utils.translation import gettext as _

    if viability is None:
        return []
    s = settings or AccessSettings.current()
    first = s.years()[0] if s.years() else None
    labels = {
        "population": (_("Residents"), _("at least %(n)s") % {"n": s.viability_min_population}),
        "population_trend_pct": (_("Population trend (%)"), _("not falling")),
        "basket_services": (_("Everyday-basket services in the village"), _("at least %(n)s") % {"n": s.viability_min_services}),
        "basket_car_min": (_("Mean car time to the everyday basket (min)"),
                           _("at most %(n)s") % {"n": s.viability_max_basket_car_min}),
        "basket_services_lost": (_("Basket services lost since %(year)s") % {"year": first} if first else _("Basket services lost"),
                                 _("at most %(n)s") % {"n": s.viability_max_services_lost}),
    }
    if s.viability_max_basket_transit_min is not None:
        labels["basket_transit_min"] = (_("Mean public transport time to the everyday basket (min)"),
                                        _("at most %(n)s") % {"n": s.viability_max_basket_transit_min})
    out = []
    for key, (label, rule) in labels.items():
        c = viability.criteria.get(key, {})
        out.append({"key": key, "label": label, "rule": rule, "value": c.get("value"), "passed": c.get("passed")})
    return out


def village_values(*, category: str, mode: str, as_of: datetime.date | None = None, villages=None) -> dict[int, Figure]:
    """{village id: Figure} of one category (or ``basket``: the mean over the everyday basket) and mode,
    today (``as_of`` None) or on a comparison date.

    The figures of every village change only when a computation finishes: they are built once per finished run
    and kept in the shared cache (Redis in production) for every worker; `villages` (objects or a queryset) keeps
    those villages' figures."""
    values = cached_value(f"access:village-values:{category}:{mode}:{as_of or 'now'}", version=figures_version(),
                          build=lambda: _village_values(category=category, mode=mode, as_of=as_of))
    if villages is not None:
        wanted = set(villages.values_list("pk", flat=True)) if isinstance(villages, QuerySet) else {v.pk for v in villages}
        values = {vid: f for vid, f in values.items() if vid in wanted}
    return values


def _village_values(*, category: str, mode: str, as_of: datetime.date | None = None) -> dict[int, Figure]:
    if category == "basket":
        cat_ids = basket_ids()
    else:
        cat_ids = list(ServiceCategory.objects.filter(code=category).values_list("pk", flat=True))
    qs = VillageAccess.objects.filter(category_id__in=cat_ids, mode=mode)
    qs = qs.filter(current=True) if as_of is None else qs.filter(as_of=as_of)
    if category != "basket":
        return {r.village_id: _from_row(r) for r in qs.select_related("nearest_facility")}
    per_village: dict[int, list[Figure]] = {}
    for r in qs:
        per_village.setdefault(r.village_id, []).append(_from_row(r, with_facility=False))
    return {vid: basket(figs) for vid, figs in per_village.items()}


def computed_modes() -> tuple[str, ...]:
    """The modes the last finished computation measured, in the usual order: public transport only once a network
    of it was loaded (the road modes always, along the roads or as the crow flies)."""
    run = last_done_run()
    done = set(run.methods) if run and run.methods else set()
    return tuple(m for m in MODES if m in done or m != "transit")


def last_run() -> AccessRun | None:
    return AccessRun.objects.order_by("-created_at").first()


def figures_version() -> str:
    """Changes when a computation finishes: what is derived from the stored figures is kept under it."""
    run = last_done_run()
    return f"{run.pk}.{run.finished_at.timestamp()}" if run and run.finished_at else "none"


def answers_version() -> str:
    """What the access answers (maps, tables, exports) are kept under: the figures and the place names."""
    return f"{figures_version()}:{reference_version()}"


def last_done_run() -> AccessRun | None:
    return AccessRun.objects.filter(status=AccessRun.Status.DONE).order_by("-finished_at").first()


def synthetic_inputs() -> bool:
    """Whether the figures are computed from services of which some are synthetic demo data."""
    from partons.observatory.models import Facility

    return Facility.objects.filter(synthetic=True).exists()
