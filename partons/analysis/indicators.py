"""The access indicators, each declared once: the stored field, its unit, how it is computed from the resident
points, how villages add up to a municipality or the region, how the basket (the mean over the everyday basket's
categories) reads it, and its name and unit in the API and the exports. The computation (services), the figures
(selectors), the API, the exports and the map read this list; adding an indicator is a line here, a field of
``VillageAccess`` and its migration (and, for new arithmetic, a function in ``partons.access.indicators``).

The map's views (time, share, change, viability) are declared below too, with their legends: the page shows them as
choices and the map's JavaScript receives them as data (which property to read, its scale, the classes)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from django.utils.translation import gettext_lazy as _
from django.utils.functional import Promise

from partons.access import indicators as ind

from .models import VillageViability


@dataclass(frozen=True)
class Points:
    """One category, mode and date: every resident point's nearest service, and what the indicators need."""

    group: np.ndarray  # the village (index) of each point
    weight: np.ndarray  # residents of each point
    n: int  # villages
    valid: np.ndarray  # on the network (within the snapping distance)
    time_s: np.ndarray  # to the nearest (inf beyond the search limit)
    length_m: np.ndarray
    facility: np.ndarray  # the nearest (id, -1 when none)
    crossing: np.ndarray  # the nearest lies in the other country
    centre: np.ndarray  # per village, the index of its centre point
    threshold_s: float
    limit_s: float
    # today only: "mean_k" (time to the k nearest), "domestic" (nearest of the own country), "return" (public
    # transport: the way back in the afternoon)
    extra: dict

    def capped(self, time_s):
        """Times beyond the search limit count as the limit in means."""
        return np.where(np.isfinite(time_s), time_s, self.limit_s)

    def mean(self, time_s):
        return ind.weighted_mean(self.group, self.weight, self.capped(time_s), self.n, valid=self.valid)

    def total(self, mask=None):
        return ind.total(self.group, self.weight, self.n, mask=mask)

    def at_centre(self, values):
        c = self.centre
        on = self.valid[c] & np.isfinite(self.time_s[c])
        return np.where(on, np.asarray(values, dtype=float)[c], np.nan)


def _cross_border_share(p: Points):
    reached = p.valid & (p.facility >= 0)
    num, den = p.total(p.crossing & reached), p.total(reached)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _round_trip_share(p: Points):
    """Public transport: there in the morning and back in the afternoon, each within the threshold."""
    if "return" not in p.extra:
        return None
    both = np.maximum(p.time_s, p.extra["return"])
    return ind.share_within(p.group, p.weight, both, p.threshold_s, p.n, valid=p.valid)


Unit = Literal["seconds", "minutes", "share", "residents", "metres"]
EXPORT: dict[str, Callable] = {  # the stored unit → the API's and the exports'
    "seconds": lambda v: round(v / 60, 1),
    "minutes": lambda v: round(v / 60),  # thresholds: whole minutes
    "share": lambda v: round(v, 3),
    "residents": round,
    "metres": lambda v: round(v / 1000, 2),
}


@dataclass(frozen=True)
class Indicator:
    field: str  # of VillageAccess and of selectors.Figure
    label: Promise
    unit: Unit
    compute: Callable[[Points], np.ndarray | None]  # one value per village (NaN: unknown), or None when not computed
    # Villages → municipality or region: "sum", "mean" (weighted by the residents on the network), "first" (the
    # same for all), "village" (a village's own, not aggregated).
    aggregate: Literal["sum", "mean", "first", "village"]
    # Categories → the everyday basket of a village: "mean" of the categories, "first" (the same for all), or None.
    basket: Literal["mean", "first"] | None
    export: str  # its name in the API and the exports

    def exported(self, value):
        return None if value is None else EXPORT[self.unit](value)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("population", _("residents"), "residents", lambda p: p.total(), "sum", "first", "population"),
    Indicator("mean_time_s", _("mean time to the nearest"), "seconds", lambda p: p.mean(p.time_s), "mean", "mean",
              "mean_time_min"),
    Indicator("share_within", _("residents within the threshold"), "share",
              lambda p: ind.share_within(p.group, p.weight, p.time_s, p.threshold_s, p.n, valid=p.valid),
              "mean", "mean", "share_within"),
    Indicator("threshold_s", _("threshold"), "minutes", lambda p: np.full(p.n, p.threshold_s), "first", "first",
              "threshold_min"),
    Indicator("beyond_limit_population", _("residents beyond the search limit"), "residents",
              lambda p: p.total(p.valid & ~np.isfinite(p.time_s)), "sum", None, "beyond_limit_population"),
    Indicator("off_network_population", _("residents off the network"), "residents", lambda p: p.total(~p.valid),
              "sum", "first", "off_network_population"),
    Indicator("mean_k_time_s", _("mean time to the nearest few"), "seconds",
              lambda p: p.mean(p.extra["mean_k"]) if "mean_k" in p.extra else None, "mean", None, "mean_k_time_min"),
    Indicator("cross_border_share", _("residents whose nearest is across the border"), "share", _cross_border_share,
              "mean", "mean", "cross_border_share"),
    Indicator("domestic_time_s", _("mean time with the own country's services only"), "seconds",
              lambda p: p.mean(p.extra["domestic"]) if "domestic" in p.extra else None, "mean", None,
              "domestic_time_min"),
    Indicator("return_time_s", _("mean time back home in the afternoon"), "seconds",
              lambda p: p.mean(p.extra["return"]) if "return" in p.extra else None, "mean", "mean", "return_time_min"),
    Indicator("round_trip_share", _("residents who can go there and back within the threshold"), "share",
              _round_trip_share, "mean", "mean", "round_trip_share"),
    Indicator("centre_time_s", _("time from the village centre"), "seconds", lambda p: p.at_centre(p.time_s),
              "village", None, "centre_time_min"),
    Indicator("centre_distance_m", _("distance from the village centre"), "metres", lambda p: p.at_centre(p.length_m),
              "village", None, "centre_distance_km"),
)
BY_FIELD = {i.field: i for i in INDICATORS}
FIELDS = tuple(BY_FIELD)


def per_village(p: Points) -> dict[str, np.ndarray | None]:
    """Every indicator of every village (arrays of ``p.n``; None for those not computed on this date)."""
    return {i.field: i.compute(p) for i in INDICATORS}


def exported(values: dict) -> dict:
    """Stored values ({field: value}) as the API and the exports give them ({export name: value})."""
    return {i.export: i.exported(values.get(i.field)) for i in INDICATORS}


# --- the map's views ---------------------------------------------------------------------------------------

# Classes of each view: (upper bound, colour); the darkest red is always the worst.
RED5 = ["#fff7bc", "#fec44f", "#fb8c2f", "#d7301f", "#7f0000"]
NO_FIGURE_COLOUR = "#bdbdbd"  # access.js's NONE
VIABILITY_COLOURS = {"viable": "#1a9850", "fragile": "#fdae61", "at_risk": "#d7301f"}


@dataclass(frozen=True)
class MapView:
    key: str
    prop: str | None  # the property of /api/access/villages and /municipalities the map colours by
    scale: float = 1  # × the property (shares are shown in %)
    change: bool = False  # the difference with the comparison year's `then`
    # {upper bound: label} in order, and their colours; None: the classes of viability
    classes: tuple = ()
    colours: tuple = ()

    def legend(self) -> list[dict]:
        if self.key == "viability":
            return [{"level": k, "colour": VIABILITY_COLOURS[k], "label": str(v)} for k, v in VillageViability.Level.choices]
        return [{"max": b, "colour": c, "label": str(lab)} for (b, lab), c in zip(self.classes, self.colours)]

    def script(self) -> dict:
        """What the map's JavaScript needs: which property to read and how, and the legend."""
        return {"key": self.key, "prop": self.prop, "scale": self.scale, "change": self.change, "legend": self.legend()}

    # The server's side of access.js's valueOf and classColour (the printed maps colour as the page does).
    def value(self, now: dict | None, then: dict | None = None) -> float | None:
        """The number the view colours by, from figures as exported (`Figure.exported()`): the property × scale,
        or its change since `then`; None when unknown."""
        if not self.prop or now is None or now.get(self.prop) is None:
            return None
        if not self.change:
            return self.scale * now[self.prop]
        if then is None or then.get(self.prop) is None:
            return None
        return self.scale * (now[self.prop] - then[self.prop])

    def colour(self, value: float | None = None, level: str | None = None) -> str:
        """The legend's colour of a value (or, for viability, of a level); NO_FIGURE_COLOUR when unknown."""
        if not self.prop:
            return VIABILITY_COLOURS.get(level or "", NO_FIGURE_COLOUR)
        if value is None or value != value:  # NaN
            return NO_FIGURE_COLOUR
        return next((c for (bound, _label), c in zip(self.classes, self.colours) if bound is None or value < bound),
                    NO_FIGURE_COLOUR)


MAP_VIEWS: dict[str, MapView] = {v.key: v for v in (
    MapView("time", "mean_time_min", classes=(
        (5, _("under 5 min")), (10, _("5 to 10 min")), (15, _("10 to 15 min")), (30, _("15 to 30 min")),
        (None, _("30 min or more"))), colours=tuple(RED5)),
    MapView("share", "share_within", scale=100, classes=(
        (20, _("under 20 %")), (40, _("20 to 40 %")), (60, _("40 to 60 %")), (80, _("60 to 80 %")),
        (None, _("80 % or more"))), colours=tuple(reversed(RED5))),
    MapView("change", "share_within", scale=100, change=True, classes=(
        (-30, _("lost 30 points or more")), (-10, _("lost 10 to 30 points")), (10, _("about the same")),
        (30, _("gained 10 to 30 points")), (None, _("gained 30 points or more"))),
        colours=("#7f0000", "#d7301f", "#f0f0f0", "#92c5de", "#2166ac")),
    MapView("round_trip", "round_trip_share", scale=100, classes=(
        (20, _("under 20 %")), (40, _("20 to 40 %")), (60, _("40 to 60 %")), (80, _("60 to 80 %")),
        (None, _("80 % or more"))), colours=tuple(reversed(RED5))),  # public transport: there and back
    MapView("viability", None),
)}
