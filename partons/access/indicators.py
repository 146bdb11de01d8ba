"""Indicators from per-origin times: per village (or any grouping), weighted by residents."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def weighted_mean(group, weight, values, n_groups: int, valid=None) -> np.ndarray:
    """Residents-weighted mean of finite values per group (NaN where no resident has one)."""
    values = np.asarray(values, dtype=float)
    ok = np.isfinite(values) & (weight > 0)
    if valid is not None:
        ok &= valid
    num = np.bincount(group[ok], weights=weight[ok] * values[ok], minlength=n_groups)
    den = np.bincount(group[ok], weights=weight[ok], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def share_within(group, weight, time_s, threshold_s: float, n_groups: int, valid=None) -> np.ndarray:
    """Share (0–1) of a group's residents within ``threshold_s`` of the nearest facility. Residents
    beyond the search limit count as not within; those marked not ``valid`` (off the network) are
    left out of both sides. NaN for groups without residents."""
    ok = weight > 0 if valid is None else (weight > 0) & valid
    within = ok & (np.asarray(time_s) <= threshold_s)
    num = np.bincount(group[within], weights=weight[within], minlength=n_groups)
    den = np.bincount(group[ok], weights=weight[ok], minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def total(group, weight, n_groups: int, mask=None) -> np.ndarray:
    m = weight > 0 if mask is None else (weight > 0) & mask
    return np.bincount(group[m], weights=weight[m], minlength=n_groups)


@dataclass(frozen=True)
class Criterion:
    """One test of the viability classification: ``value >= minimum`` (or ``<= maximum``)."""

    key: str
    minimum: float | None = None
    maximum: float | None = None

    def passes(self, value) -> bool | None:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None  # unknown: neither for nor against
        if self.minimum is not None and value < self.minimum:
            return False
        if self.maximum is not None and value > self.maximum:
            return False
        return True


def classify(values: dict, criteria: list[Criterion], *, fragile_after: int = 1, at_risk_after: int = 2):
    """A village's class from its values: ``viable`` when no known criterion fails, ``at_risk`` when
    at least ``at_risk_after`` fail, ``fragile`` in between (from ``fragile_after`` failures).
    Returns the class and, per criterion, (value, passed) so pages can say why."""
    detail = {c.key: (values.get(c.key), c.passes(values.get(c.key))) for c in criteria}
    failed = sum(1 for _, ok in detail.values() if ok is False)
    if failed >= at_risk_after:
        cls = "at_risk"
    elif failed >= fragile_after:
        cls = "fragile"
    else:
        cls = "viable"
    return cls, detail
