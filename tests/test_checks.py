"""nrlib.core.checks: the statistical checks ingest and the analysis share, against plain restatements."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from hypothesis.extra import numpy as hnp

from nrlib.core.checks import (
    OutlierRule,
    derived_value,
    level_gap,
    median_of_others,
    meets_level,
    outlier_scores,
    yoy_bands,
    yoy_changes,
)

_CELLS = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=9),
                    elements=hs.sampled_from([np.nan, 0.0, -1.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 100.0, 1e4]))


def _plain_others(col: np.ndarray, i: int) -> np.ndarray:
    others = np.delete(col, i)
    return others[~np.isnan(others)]


@settings(max_examples=150, deadline=None)
@given(_CELLS)
def test_median_of_others_is_the_median_without_the_row(x):
    med, count = median_of_others(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            others = _plain_others(x[:, j], i)
            assert count[i, j] == len(others)
            if np.isnan(x[i, j]) or not len(others):
                assert np.isnan(med[i, j])
            else:
                assert med[i, j] == pytest.approx(np.median(others))


@settings(max_examples=150, deadline=None)
@given(_CELLS, hs.sampled_from([0.0, 0.5]))
def test_outlier_scores_restate_the_definition(x, floor):
    """z of each positive value: 0,6745 (ln x − median) / max(MAD, ln(1 + floor)) over the *other* units' logs."""
    rule = OutlierRule(z=3.5, min_peers=2, mad_floor=floor)
    s = outlier_scores(x, rule)
    lx = np.log(np.where(x > 0, x, np.nan))
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            others = _plain_others(lx[:, j], i)
            assert s.n_peers[i, j] == len(others)
            if np.isnan(lx[i, j]) or len(others) < 2:
                assert np.isnan(s.z[i, j]) and not s.flagged[i, j]
                continue
            m = np.median(others)
            mad = max(np.median(np.abs(others - m)), np.log1p(floor))
            with np.errstate(divide="ignore", invalid="ignore"):
                z = 0.6745 * (lx[i, j] - m) / mad
            if np.isnan(z):
                assert np.isnan(s.z[i, j])
            else:
                assert s.z[i, j] == pytest.approx(z)
                assert s.flagged[i, j] == (abs(z) > 3.5)
            assert s.median[i, j] == pytest.approx(np.exp(m))


def test_an_extra_zero_is_an_outlier_and_ordinary_differences_are_not():
    x = np.array([[100.0], [180.0], [250.0], [320.0], [400.0], [150.0], [2600.0]])  # last: an extra zero on 260
    s = outlier_scores(x, OutlierRule())
    assert list(np.flatnonzero(s.flagged[:, 0])) == [6]
    assert outlier_scores(x[:6], OutlierRule()).flagged.sum() == 0       # ×4 between communes: ordinary
    assert not outlier_scores(x[:4], OutlierRule()).flagged.any()        # 3 peers: too few to say


def test_no_threshold_no_flag():
    x = np.array([[1.0], [1.0], [1.0], [1.0], [1.0], [1.0], [1000.0]])
    assert not outlier_scores(x, OutlierRule(z=None)).flagged.any()


def test_outlier_rule_from_the_outline_checks():
    assert OutlierRule.from_checks({"outlier_robust_z": 3}) == OutlierRule(z=3.0, min_peers=5, mad_floor=0.5)
    assert OutlierRule.from_checks({"outlier_robust_z": 4, "outlier_min_units": 8, "outlier_mad_floor": 0.25}) == \
        OutlierRule(z=4.0, min_peers=8, mad_floor=0.25)
    assert OutlierRule.from_checks({}).z is None


def test_yoy_changes_compare_with_the_previous_year_that_has_a_value():
    x = np.array([[100.0, np.nan, 150.0, 0.0, 10.0],
                  [np.nan, 50.0, 55.0, np.nan, np.nan]])
    change, previous = yoy_changes(x)
    assert change[0, 2] == pytest.approx(0.5) and previous[0, 2] == 0          # 2016 → 2018 over the gap
    assert change[0, 3] == pytest.approx(-1.0)
    assert np.isnan(change[0, 4])                                              # from 0: no relative change
    assert change[1, 2] == pytest.approx(0.1) and previous[1, 2] == 1
    assert np.isnan(change[1, 1]) and previous[1, 1] == -1


def test_yoy_bands_take_the_own_entry_then_the_default():
    assert yoy_bands({"yoy_band": {"default": None, "VD11": 0.3}}, ["VD11", "VD12"]) == {"VD11": 0.3}
    assert yoy_bands({"yoy_band": {"default": 0.5, "VD11": 0.3}}, ["VD11", "VD12"]) == {"VD11": 0.3, "VD12": 0.5}
    assert yoy_bands({}, ["VD11"]) == {}


def test_meets_level_with_lower_bounds():
    met, proven = meets_level([90, 80, 10, 20, 5, np.nan, 7], ["≥", "≥", "≤", "≤", "=", "≥", "?"],
                              [85, 85, 14.3, 14.3, 5, 85, 5], [False, False, False, False, False, False, False])
    assert list(proven) == [True, True, True, True, True, False, False]
    assert list(met[proven]) == [True, False, True, False, True]
    # a lower bound proves a >= level met, and a <= or = level missed, nothing else
    met, proven = meets_level([90, 80, 10, 20], ["≥", "≥", "≤", "≤"], [85, 85, 14.3, 14.3], True)
    assert list(proven) == [True, False, False, True] and list(met) == [True, False, False, False]


def test_meets_level_with_upper_bounds():
    """An upper bound (the year's share of cultural families for "3 years running") proves a >= level missed
    and a <= level met, an = level missed only from below, nothing else."""
    met, proven = meets_level([90, 70, 10, 20, 4, 6, 5], ["≥", "≥", "≤", "≤", "=", "=", "="],
                              [80, 80, 14.3, 14.3, 5, 5, 5], upper_bound=True)
    assert list(proven) == [False, True, True, False, True, False, False]
    assert list(met[proven]) == [False, True, False]


def test_level_gap_is_negative_when_short():
    assert list(level_gap([80, 20, 6], ["≥", "≤", "="], [85, 14.3, 5])) == pytest.approx([-5, -5.7, -1])


def test_derived_value_needs_a_positive_denominator():
    assert list(derived_value([30, 30, 30], [3000, 0, np.nan], 100)) == pytest.approx([1.0, np.nan, np.nan],
                                                                                       nan_ok=True)


@settings(max_examples=200, deadline=None)
@given(_CELLS, hs.sampled_from([0.0, 0.5]), hs.integers(min_value=1, max_value=4), hs.data())
def test_scoring_some_units_gives_their_numbers_of_scoring_all(x, floor, min_peers, data):
    """What an ingest asks (its one unit, ``rows=[-1]``, or any rows) is what scoring every unit gives them."""
    rule = OutlierRule(z=1.0, min_peers=min_peers, mad_floor=floor)
    rows = sorted(data.draw(hs.sets(hs.integers(0, x.shape[0] - 1), min_size=1)))
    every, some = outlier_scores(x, rule), outlier_scores(x, rule, rows=rows)
    for i in rows:
        np.testing.assert_array_equal(some.n_peers[i], every.n_peers[i])
        np.testing.assert_allclose(some.z[i], every.z[i], rtol=1e-9, atol=1e-12, equal_nan=True)
        np.testing.assert_array_equal(some.flagged[i], every.flagged[i])
        scored = ~np.isnan(every.z[i])
        np.testing.assert_allclose(some.median[i][scored], every.median[i][scored], rtol=1e-9)
    rest = [i for i in range(x.shape[0]) if i not in rows]
    assert np.isnan(some.z[rest]).all() and not some.flagged[rest].any()
    last = outlier_scores(x, rule, rows=[-1])
    np.testing.assert_allclose(last.z[-1], every.z[-1], rtol=1e-9, atol=1e-12, equal_nan=True)
