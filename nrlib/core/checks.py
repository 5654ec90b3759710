"""The statistical checks of the data, one implementation for ingest and for the analysis.

Ingest (:mod:`nrlib.intake.plausibility`) runs them on one workbook against
the units already stored; the analysis (:mod:`nrlib.analysis.quality`,
:mod:`nrlib.analysis.thresholds`) runs them on a whole dataset. Both call the
functions below with the same inputs, so a unit gets at ingest exactly the
warnings the district's analysis shows for it.

**Outliers** (:func:`outlier_scores`). A value is compared with the same
cell (data element and year) of the *other* units of its district: the
peers, never the unit itself. Values are first made comparable across
communes of different sizes (the outline's comparison basis: a share of a
whole, a count per household, or the value as it is; see
:attr:`nrlib.reference.outline.Outline.comparison_basis`). The score is a
robust z-score on the logarithms::

    z = 0.6745 × (ln x − median of the peers' ln x) / max(MAD of the peers' ln x, ln(1 + mad_floor))

Why logarithms: these are amounts and counts, positive and skewed, and what
makes a value suspect is how many *times* larger or smaller it is than the
others' (an extra zero typed is ×10), not by how much: on a linear scale one
large commune sets the spread for all and a small one is never flagged. Why
the floor: with five to twenty communes the raw MAD is unstable and often
tiny, and every ordinary difference would be called an outlier; at the
default floor (0,5, i.e. 50 %) and threshold (3,5) a value is flagged when
it is about 8 times above or below the peers' median: an extra zero is, the
×2–×5 differences between real communes are not. Zeros and negative values
are left out (a year without a new house is ordinary, and has no logarithm);
no score is given with fewer than ``min_peers`` peers.

**Year-over-year jumps** (:func:`yoy_changes`): a unit's value against its
own previous year that has a value, ``change = value / previous − 1``,
flagged beyond the outline's band for that element; a previous value of 0 or
less gives no relative change and no flag.

**A stock against its flows** (:func:`stock_flow_gaps`): a year-end count
that flows explain (poor households: last year's, minus those that left
poverty or moved away, plus the new ones) against what the flows give;
a difference is flagged, never corrected (the flows may miss a cause).

**A value against a level** (:func:`meets_level`): ``≥``, ``≤`` or ``=`` a
known level; a value that is only a lower bound of the true one (a rate
derived from counts that miss part of the numerator) proves a ``≥`` level
met and a ``≤`` or ``=`` level missed, nothing else.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

#: the robust z-score's constant: 0.6745 × (x − median) / MAD is a z-score for normal data (Iglewicz and Hoaglin)
MAD_TO_SD = 0.6745
#: defaults of the outline's ``checks`` settings
DEFAULT_Z = 3.5
DEFAULT_MIN_PEERS = 5
DEFAULT_MAD_FLOOR = 0.5
#: tolerance of an ``=`` level
EQ_TOL = 1e-9


@dataclass(frozen=True)
class OutlierRule:
    """The outlier check's settings: flag ``|z| > z`` when at least ``min_peers`` peers have a value."""

    z: float | None = DEFAULT_Z
    min_peers: int = DEFAULT_MIN_PEERS
    mad_floor: float = DEFAULT_MAD_FLOOR

    @classmethod
    def from_checks(cls, checks: dict) -> OutlierRule:
        """From the outline's ``checks``: ``outlier_robust_z`` (absent or null: no check),
        ``outlier_min_units``, ``outlier_mad_floor``."""
        z = checks.get("outlier_robust_z")
        return cls(z=None if z is None else float(z),
                   min_peers=int(checks.get("outlier_min_units") or DEFAULT_MIN_PEERS),
                   mad_floor=float(DEFAULT_MAD_FLOOR if checks.get("outlier_mad_floor") is None
                                   else checks["outlier_mad_floor"]))


@dataclass
class OutlierScores:
    """Each unit's cells scored against its peers; arrays shaped (units, cells).

    ``z`` is NaN where no score exists (no value, a value ≤ 0, too few
    peers); ``median`` is the peers' median on the value's own scale
    (``exp`` of the median logarithm), ``mad`` the MAD of the logarithms
    as used (floored), ``n_peers`` the peers with a positive value.
    """

    z: np.ndarray
    median: np.ndarray
    mad: np.ndarray
    n_peers: np.ndarray
    flagged: np.ndarray


def median_of_others(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every cell of ``x`` (rows, columns), the median of the *other* rows' values of its column.

    NaN is absent. Returns ``(median, count)`` shaped like ``x``: the median
    of the other rows with a value (NaN where there is none, or where the
    row itself has no value) and how many there are.

    Method: each column is sorted once (NaN last); a row at rank ``r`` among
    the ``m`` values of its column has ``k = m − 1`` others, whose median
    sits at positions ``(k − 1) // 2`` and ``k // 2`` of the sorted column
    with the row's own element taken out (a position ``p`` of the others is
    ``p`` below ``r``, ``p + 1`` from ``r`` on).
    """
    n, c = x.shape
    present = ~np.isnan(x)
    m = present.sum(axis=0)
    count = np.where(present, m - 1, m)
    if n == 0:
        return np.full(x.shape, np.nan), count
    order = np.argsort(x, axis=0, kind="stable")          # NaN last
    srt = np.take_along_axis(x, order, axis=0)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(n)[:, None], axis=0)
    k = m - 1

    def at(pos: np.ndarray) -> np.ndarray:
        p = np.broadcast_to(pos[None, :], (n, c))
        idx = np.clip(np.where(p < rank, p, p + 1), 0, n - 1)
        return np.take_along_axis(srt, idx, axis=0)

    lo, hi = np.maximum((k - 1) // 2, 0), np.maximum(k // 2, 0)
    med = (at(lo) + at(hi)) / 2
    return np.where(present & (k >= 1)[None, :], med, np.nan), count


def outlier_scores(x: np.ndarray, rule: OutlierRule, rows: list[int] | None = None) -> OutlierScores:
    """Score every cell of ``x`` (units, cells: comparable values) against the other units (module docstring).

    The median absolute deviation of the others is exact, not approximated:
    the others' median of a unit takes one of three values per column (its
    rank below, at or above the middle), so the others' MAD is the
    :func:`median_of_others` of the deviations from each of the three,
    picked per unit.

    ``rows``: score only these units (each still against every other row;
    the rest get no score): what an ingest needs of the one workbook it
    checks, by the others' medians taken directly instead of three sorts of
    every column. The numbers are those of scoring every unit (tested).
    """
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        lx = np.log(np.where(x > 0, x, np.nan))
        present = ~np.isnan(lx)
        if rows is None:
            med, n_peers = median_of_others(lx)
            # the others' MAD: deviations from the others' median, of every other unit
            mad = np.full(lx.shape, np.nan)
            for centre in _candidate_medians(lx):
                dev_med, _ = median_of_others(np.abs(lx - centre[None, :]))
                pick = np.isclose(med, centre[None, :], rtol=0, atol=1e-12) & np.isnan(mad)
                mad = np.where(pick, dev_med, mad)
        else:
            med, mad = np.full(lx.shape, np.nan), np.full(lx.shape, np.nan)
            n_peers = np.zeros(lx.shape, dtype=int)
            present = present & np.isin(np.arange(len(lx)), np.asarray(rows, dtype=int) % max(len(lx), 1))[:, None]
            for i in rows:
                others = np.delete(lx, i, axis=0)
                centre, n_peers[i] = _column_medians(others)
                scored = present[i] & (n_peers[i] >= 1)
                med[i] = np.where(scored, centre, np.nan)
                mad[i] = np.where(scored, _column_medians(np.abs(others - centre[None, :]))[0], np.nan)
        mad = np.maximum(mad, np.log1p(rule.mad_floor))
        z = MAD_TO_SD * (lx - med) / mad
    enough = n_peers >= rule.min_peers
    z = np.where(enough & present, z, np.nan)
    flagged = np.zeros(z.shape, bool) if rule.z is None else np.abs(np.nan_to_num(z)) > rule.z
    return OutlierScores(z=z, median=np.exp(med), mad=mad, n_peers=n_peers, flagged=flagged)


def _column_medians(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column's median and count of its values, NaN absent (NaN where a column has none); as
    :func:`median_of_others` takes it: the mean of the sorted values at ``(k − 1) // 2`` and ``k // 2``."""
    n, c = a.shape
    k = (~np.isnan(a)).sum(axis=0)
    if n == 0:
        return np.full(c, np.nan), k
    srt = np.sort(a, axis=0)                                  # NaN last
    lo, hi = np.maximum((k - 1) // 2, 0), np.maximum(k // 2, 0)
    med = (np.take_along_axis(srt, lo[None, :], axis=0)[0] + np.take_along_axis(srt, hi[None, :], axis=0)[0]) / 2
    return np.where(k >= 1, med, np.nan), k


def _candidate_medians(lx: np.ndarray) -> list[np.ndarray]:
    """Per column, the (at most three) values the others' median can take: a unit ranked above, below or
    at the middle of its column (see :func:`outlier_scores`)."""
    n = len(lx)
    srt = np.sort(lx, axis=0)
    m = (~np.isnan(lx)).sum(axis=0)
    k = m - 1
    a, b = np.maximum((k - 1) // 2, 0), np.maximum(k // 2, 0)

    def s(i: np.ndarray) -> np.ndarray:
        return np.take_along_axis(srt, np.clip(i, 0, max(n - 1, 0))[None, :], axis=0)[0]

    if n == 0:
        return []
    return [(s(a) + s(b)) / 2, (s(a + 1) + s(b + 1)) / 2, (s(a) + s(b + 1)) / 2]


def yoy_bands(checks: dict, codes) -> dict[str, float]:
    """The year-over-year band of each code: its own entry of the outline's ``checks.yoy_band``, else
    ``default``; codes whose band is null are left out (not checked)."""
    bands = dict(checks.get("yoy_band") or {})
    default = bands.pop("default", None)
    out = {}
    for code in codes:
        band = bands.get(code, default)
        if band is not None:
            out[code] = float(band)
    return out


def yoy_changes(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value against the unit's previous year that has a value; ``x`` is (units, years).

    Returns ``(change, previous)`` shaped like ``x``: ``value / previous − 1``
    (NaN where there is no value, no earlier value, or the earlier one is
    ≤ 0) and the index of the year compared with (−1 when none).
    """
    n, ny = x.shape
    change = np.full(x.shape, np.nan)
    previous = np.full(x.shape, -1, dtype=int)
    prev_v = np.full(n, np.nan)
    prev_i = np.full(n, -1, dtype=int)
    for y in range(ny):
        cur = x[:, y]
        with np.errstate(divide="ignore", invalid="ignore"):
            change[:, y] = np.where(prev_v > 0, cur / prev_v - 1, np.nan)
        previous[:, y] = prev_i
        has = ~np.isnan(cur)
        prev_v = np.where(has, cur, prev_v)
        prev_i = np.where(has, y, prev_i)
    return change, previous


def derived_value(numerator, denominator, scale):
    """``scale × numerator / denominator`` where the denominator is > 0, else NaN (arrays or numbers, ``scale``
    too)."""
    num, den = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.asarray(scale, dtype=float) * num / den, np.nan)


def meets_level(value, comparison, level, lower_bound=False, upper_bound=False) -> tuple[np.ndarray, np.ndarray]:
    """Whether each value meets its level: ``(met, proven)``, boolean arrays shaped like ``value``.

    ``met`` is meaningful only where ``proven``: a known level (not NaN) of
    comparison ``≥``, ``≤`` or ``=``, and a value; ``lower_bound`` marks
    values that are only a lower bound of the true one, which prove a ``≥``
    level met and a ``≤`` or ``=`` level missed, nothing else;
    ``upper_bound`` values that are only an upper bound, which prove a ``≥``
    or ``=`` level missed and a ``≤`` level met, nothing else. A proven miss
    is ``proven & ~met``.
    """
    v = np.asarray(value, dtype=float)
    lv = np.asarray(level, dtype=float)
    cmp_ = np.asarray(comparison, dtype=object)
    lower = np.broadcast_to(np.asarray(lower_bound, dtype=bool), v.shape)
    upper = np.broadcast_to(np.asarray(upper_bound, dtype=bool), v.shape)
    ge, le, eq = cmp_ == "≥", cmp_ == "≤", cmp_ == "="
    with np.errstate(invalid="ignore"):
        met = np.where(eq, np.abs(v - lv) <= EQ_TOL, np.where(ge, v >= lv, v <= lv))
    proven = ~np.isnan(lv) & ~np.isnan(v) & (ge | le | eq)
    proven &= ~(lower & ((ge & ~met) | ((le | eq) & met)))
    # an upper bound below a floor (or below an exact level) is a miss; at or above it, the true value may
    # be anything lower: nothing is proven
    with np.errstate(invalid="ignore"):
        below = v < lv - EQ_TOL
    proven &= ~(upper & ((ge & met) | (le & ~met) | (eq & ~below)))
    return met & proven, proven


def level_gap(value, comparison, level) -> np.ndarray:
    """Signed so that negative is short of the level: ``value − level`` (≥), ``level − value`` (≤), ``−|value − level|`` (=)."""
    v = np.asarray(value, dtype=float)
    lv = np.asarray(level, dtype=float)
    cmp_ = np.asarray(comparison, dtype=object)
    with np.errstate(invalid="ignore"):
        return np.where(cmp_ == "≥", v - lv, np.where(cmp_ == "≤", lv - v,
                                                       np.where(cmp_ == "=", -np.abs(v - lv), np.nan)))


def stock_flow_gaps(stock: np.ndarray, plus: list[np.ndarray], minus: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """How far a stock is from what its flows give: ``(expected, gap)`` per year (arrays of the years' length).

    Method: ``expected[t] = stock[t-1] + Σ plus[t] − Σ minus[t]`` and ``gap = stock[t] − expected[t]``, for
    years where the stock of both years and every flow of year ``t`` have a value; NaN elsewhere (the first
    year has no previous one).
    """
    stock = np.asarray(stock, dtype=float)
    expected = np.full(stock.shape, np.nan)
    flows = sum((np.asarray(p, dtype=float) for p in plus), np.zeros(stock.shape)) - \
        sum((np.asarray(m, dtype=float) for m in minus), np.zeros(stock.shape))
    expected[1:] = stock[:-1] + flows[1:]
    return expected, stock - expected
