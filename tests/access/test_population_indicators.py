"""Spreading a village's residents over points (partons.access.population) and the indicators computed
from per-resident times (partons.access.indicators)."""
import math

import numpy as np
import pytest

from partons.access.indicators import Criterion, classify, share_within, total, weighted_mean
from partons.access.population import radius_m, spread

# --- population ---------------------------------------------------------------------------------------------
# Radius = 250 + 8 √population, clipped to 300 .. 1500 m:
#   0 → 250 → 300;  100 → 330;  625 → 450;  10 000 → 1050;  40 000 → 1850 → 1500.


def test_radius_grows_with_population_and_is_clipped():
    assert radius_m([0, 100, 625, 10_000, 40_000]).tolist() == pytest.approx([300, 330, 450, 1050, 1500])


@pytest.fixture
def villages():
    # Four villages: 625 residents, none, 40 000, unknown (NaN).
    return spread([0.0, 10_000.0, 20_000.0, 30_000.0], [0.0, 0.0, 0.0, 5_000.0], [625, 0, 40_000, np.nan], rings=3)


def test_three_rings_give_37_points_per_village(villages):
    # Centre + 6 + 12 + 18 = 37 (hexagonal rings 1, 2, 3).
    assert villages.x.size == 4 * 37
    assert np.bincount(villages.group).tolist() == [37, 37, 37, 37]


@pytest.mark.parametrize("rings, count", [(1, 7), (2, 19), (3, 37)])
def test_point_count_per_ring_setting(rings, count):
    p = spread([0.0], [0.0], [1000], rings=rings)
    assert p.x.size == count


def test_weights_sum_to_the_population(villages):
    sums = np.bincount(villages.group, weights=villages.weight)
    assert sums.tolist() == pytest.approx([625, 0, 40_000, 0])  # unknown population weighs nothing
    # Equal shares: 625 / 37 per point.
    assert villages.weight[villages.group == 0] == pytest.approx(np.full(37, 625 / 37))


def test_points_fill_a_disc_of_the_village_radius(villages):
    cx = np.array([0.0, 10_000.0, 20_000.0, 30_000.0])
    cy = np.array([0.0, 0.0, 0.0, 5_000.0])
    d = np.hypot(villages.x - cx[villages.group], villages.y - cy[villages.group])
    for g, radius in enumerate([450, 300, 1500, 300]):
        mine = d[villages.group == g]
        assert mine.max() == pytest.approx(radius)
        assert np.isclose(mine, radius).sum() == 6  # the six corners of the outer hexagon
        # Triangular lattice: the nearest points to the centre are one step (radius / 3) away, six of them.
        assert np.isclose(mine, radius / 3).sum() == 6
        assert (np.sort(mine)[1:] > radius / 3 - 1e-6).all()


def test_lattice_points_are_distinct_and_evenly_spaced():
    p = spread([0.0], [0.0], [625], rings=3)  # radius 450: spacing 150 m
    pts = np.column_stack([p.x, p.y])
    gaps = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    assert gaps.min(axis=1) == pytest.approx(np.full(37, 150.0))


def test_one_centre_point_per_village_at_the_centre(villages):
    assert villages.centre.sum() == 4
    assert villages.group[villages.centre].tolist() == [0, 1, 2, 3]
    assert villages.x[villages.centre].tolist() == pytest.approx([0, 10_000, 20_000, 30_000])
    assert villages.y[villages.centre].tolist() == pytest.approx([0, 0, 0, 5_000])


# --- indicators ------------------------------------------------------------------------------------------------
# Six residents' points in three villages (a fourth without any):
#   point   0    1    2    3    4    5
#   group   0    0    0    1    1    2
#   weight  10   20   30   5    5    0
GROUP = np.array([0, 0, 0, 1, 1, 2])
WEIGHT = np.array([10.0, 20.0, 30.0, 5.0, 5.0, 0.0])


def test_weighted_mean_ignores_inf_and_nan_and_empty_groups():
    # group 0: (10 × 100 + 20 × 200) / 30 = 166.67 (point 2 at inf left out); group 1: 50 (NaN left out);
    # group 2: only weight 0 → NaN; group 3: nobody → NaN.
    values = np.array([100.0, 200.0, np.inf, 50.0, np.nan, 7.0])
    m = weighted_mean(GROUP, WEIGHT, values, 4)
    assert m[:2].tolist() == pytest.approx([5000 / 30, 50.0])
    assert np.isnan(m[2]) and np.isnan(m[3])


def test_weighted_mean_leaves_out_invalid_points():
    values = np.array([100.0, 200.0, np.inf, 50.0, np.nan, 7.0])
    valid = np.array([False, True, True, True, True, True])
    assert weighted_mean(GROUP, WEIGHT, values, 4, valid=valid)[0] == pytest.approx(200.0)


TIMES = np.array([100.0, 150.0, np.inf, 50.0, 300.0, 7.0])


def test_share_within_counts_beyond_limit_as_not_within():
    # Threshold 150 s (inclusive). group 0: 10 + 20 within of 60 (point 2 beyond the limit, inf, counts
    # in the total) → 0.5; group 1: 5 of 10 → 0.5; groups 2 and 3: no residents → NaN.
    s = share_within(GROUP, WEIGHT, TIMES, 150, 4)
    assert s[:2].tolist() == pytest.approx([0.5, 0.5])
    assert np.isnan(s[2]) and np.isnan(s[3])


def test_share_within_leaves_off_network_residents_out_of_both_sides():
    # Point 4 (300 s) off the network: group 1 → 5 of 5 = 1.0. Point 1 off the network instead:
    # group 0 → 10 of 40 = 0.25 (the inf point still counts as not within).
    valid = np.array([True, True, True, True, False, True])
    assert share_within(GROUP, WEIGHT, TIMES, 150, 4, valid=valid)[1] == pytest.approx(1.0)
    valid = np.array([True, False, True, True, True, True])
    assert share_within(GROUP, WEIGHT, TIMES, 150, 4, valid=valid)[0] == pytest.approx(0.25)


def test_share_within_of_a_group_entirely_off_the_network_is_nan():
    valid = np.array([True, True, True, False, False, True])
    assert math.isnan(share_within(GROUP, WEIGHT, TIMES, 150, 4, valid=valid)[1])


def test_total_residents_per_group():
    assert total(GROUP, WEIGHT, 4).tolist() == [60, 10, 0, 0]
    assert total(GROUP, WEIGHT, 4, mask=np.array([True, True, False, True, False, True])).tolist() == [30, 5, 0, 0]


# --- classification -------------------------------------------------------------------------------------------
CRITERIA = [Criterion("population", minimum=200), Criterion("basket_car_min", maximum=10),
            Criterion("basket_services", minimum=1)]


def test_classify_viable_when_nothing_fails():
    level, detail = classify({"population": 500, "basket_car_min": 8.0, "basket_services": 2}, CRITERIA)
    assert level == "viable"
    assert detail == {"population": (500, True), "basket_car_min": (8.0, True), "basket_services": (2, True)}


def test_classify_limits_are_inclusive():
    level, _ = classify({"population": 200, "basket_car_min": 10.0, "basket_services": 1}, CRITERIA)
    assert level == "viable"


def test_classify_fragile_with_one_failure():
    level, detail = classify({"population": 150, "basket_car_min": 8.0, "basket_services": 2}, CRITERIA)
    assert level == "fragile"
    assert detail["population"] == (150, False)


def test_classify_at_risk_with_two_failures():
    level, _ = classify({"population": 150, "basket_car_min": 12.5, "basket_services": 2}, CRITERIA)
    assert level == "at_risk"


def test_classify_thresholds_are_settings():
    values = {"population": 150, "basket_car_min": 12.5, "basket_services": 2}  # two failures
    assert classify(values, CRITERIA, at_risk_after=3)[0] == "fragile"
    assert classify(values, CRITERIA, fragile_after=3, at_risk_after=3)[0] == "viable"


def test_classify_unknown_values_count_neither_way():
    # population unknown (None), car time NaN, one real failure (no service) → fragile, not at_risk.
    level, detail = classify({"population": None, "basket_car_min": float("nan"), "basket_services": 0}, CRITERIA)
    assert level == "fragile"
    assert detail["population"] == (None, None)
    assert detail["basket_car_min"][1] is None
    assert detail["basket_services"] == (0, False)


def test_classify_with_nothing_known_is_viable():
    level, detail = classify({}, CRITERIA)
    assert level == "viable"
    assert all(ok is None for _, ok in detail.values())
