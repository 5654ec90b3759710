"""Campaign results (sheet VanDong): totals over the period, rates, values per household.

Method, from the outline (``ds.outline.metrics`` and ``ds.outline.rates``):

* a ``flow`` metric (money mobilised, km of road built, ...) happens in each
  year; its period total is the **sum** of the years that have a value;
* a ``stock`` metric (households, poor households, hamlets, ...) is a
  year-end level; its period figure is the **last year's** value, and it is
  never summed over years;
* over a group of units (a district, a province) both are **summed over
  units**, so a district total always equals the sum of its units;
* a rate (poor-household rate, ...) of a group is recomputed from the summed
  numerator and summed denominator, ``rate = scale × Σnumerator /
  Σdenominator``, never averaged over units: a unit of 500 households and one
  of 10.000 weigh by their households, not equally. Only units with both the
  numerator and the denominator in that year enter the sums, so a unit with a
  blank cell does not distort the rate.

Column names say the role of a year, never the year: ``value_period`` (a flow summed over the review's
years), ``value_first_year`` and ``value_last_year`` (the first and last years of ``ds.outline.years``;
``first_year``/``last_year`` columns say which), so the next review's data fits the same columns.

Internally the values are held as a dense array (units × years × metrics,
:class:`MetricCube`), built once; totals, rates and ratios are array
arithmetic on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nrlib.core.memo import memo, outline_table

LEVEL_KEYS = {
    "unit": ["unit_code", "name"],
    "district": ["district_code", "district_name"],
    "province": ["province_code", "province_name"],
}


def level_keys(level: str) -> list[str]:
    """The code and name columns of an aggregation level (``unit``, ``district``, ``province``); ``ValueError`` else."""
    if level not in LEVEL_KEYS:
        raise ValueError(f"cấp tổng hợp không hợp lệ: {level!r} / unknown level {level!r}: expected one of "
                         f"{list(LEVEL_KEYS)}")
    return LEVEL_KEYS[level]


def campaign_values(ds, cache: dict | None = None) -> pd.DataFrame:
    """The campaign metric values, numeric.

    Parameters
    ----------
    ds : Dataset
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`).

    Returns
    -------
    DataFrame
        ``unit_code, year, code, value`` (float) for every VanDong metric of
        the outline that has a value; blank cells are left out.
    """
    return memo(cache, ds, "campaign_values", lambda: _values(ds, outline_table(ds, cache, "metrics")))


def _values(ds, metrics: pd.DataFrame) -> pd.DataFrame:
    codes = metrics["code"].unique()
    v = ds.values
    v = v[v["data_element"].isin(codes)]
    out = pd.DataFrame({
        "unit_code": v["unit_code"].to_numpy(),
        "year": v["year"].astype(int).to_numpy(),
        "code": v["data_element"].to_numpy(),
        "value": pd.to_numeric(v["value"], errors="coerce").astype(float).to_numpy(),
    })
    # the Dataset contract holds one row per unit, year and data element, so no de-duplication here
    return out[out["value"].notna()].reset_index(drop=True)


def typed_metrics_by_unit(ds) -> dict[str, list[str]]:
    """The VanDong metrics each unit's current workbook had a row for: those of the outline version it followed
    (``submissions.outline_version``; :func:`nrlib.reference.find_outline`), else of ``ds.outline``.

    A unit that sent a version 1 workbook was never asked for the metrics version 2 added: they are missing
    for it ("không có số liệu"), never zero, and not counted against its completeness.
    """
    from nrlib.reference import find_outline

    subs = ds.submissions
    if "is_current" in subs.columns:
        subs = subs[subs["is_current"].astype(bool)]
    versions = dict(zip(subs["unit_code"], subs["outline_version"]))
    cache: dict = {}
    out = {}
    for code in ds.units["unit_code"]:
        v = versions.get(code)
        if v not in cache:
            o = find_outline(v) if isinstance(v, str) and v else None
            cache[v] = (o or ds.outline).typed_metric_codes
        out[code] = cache[v]
    return out


@dataclass
class MetricCube:
    """Metric values as an array: axis 0 units (``ds.units`` order), 1 outline years, 2 metrics; NaN = blank."""

    unit_codes: np.ndarray
    years: np.ndarray
    metrics: pd.DataFrame        # the outline's metrics, in axis-2 order
    data: np.ndarray

    def get(self, code: str) -> np.ndarray:
        """The (units, years) values of one metric."""
        return self.data[:, :, self.index(code)]

    def index(self, code: str) -> int:
        return int(np.flatnonzero(self.metrics["code"].to_numpy() == code)[0])


def metric_cube(ds, cache: dict | None = None) -> MetricCube:
    """Campaign values of the expected units and outline years as a :class:`MetricCube`."""
    return memo(cache, ds, "metric_cube", lambda: _cube(ds, campaign_values(ds, cache),
                                                         outline_table(ds, cache, "metrics")))


def _cube(ds, v: pd.DataFrame, metrics: pd.DataFrame) -> MetricCube:
    units = ds.units["unit_code"].astype(str).to_numpy(dtype=object)
    years = np.asarray(ds.outline.years, dtype=int)
    metrics = metrics.reset_index(drop=True)
    data = np.full((len(units), len(years), len(metrics)), np.nan)
    ui = pd.Index(units).get_indexer(v["unit_code"].astype(str))
    yi = pd.Index(years).get_indexer(v["year"])
    ci = pd.Index(metrics["code"]).get_indexer(v["code"])
    ok = (ui >= 0) & (yi >= 0) & (ci >= 0)
    data[ui[ok], yi[ok], ci[ok]] = v["value"].to_numpy()[ok]
    return MetricCube(units, years, metrics, data)


def group_index(ds, level: str, cache: dict | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """Each unit's group position at ``level``, and the groups' codes and names.

    Units keep the ``ds.units`` order; districts and provinces are sorted by code.
    """
    keys = level_keys(level)
    return memo(cache, ds, ("group_index", level), lambda: _group_index(ds, level, keys))


def _group_index(ds, level: str, keys: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    if level == "unit":
        return np.arange(len(ds.units)), ds.units[keys].reset_index(drop=True)
    codes, uniques = pd.factorize(ds.units[keys[0]], sort=True, use_na_sentinel=False)
    first_name = ds.units.drop_duplicates(keys[0]).set_index(keys[0])[keys[1]]
    names = pd.DataFrame({keys[0]: np.asarray(uniques, dtype=object),
                          keys[1]: first_name.reindex(uniques).to_numpy(dtype=object)})
    return codes, names


def _sum_by_group(arr: np.ndarray, gidx: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum over units (axis 0) per group, NaN counted as absent: (sums, counts), NaN sum where count is 0."""
    valid = ~np.isnan(arr)
    sums = np.zeros((n_groups,) + arr.shape[1:])
    counts = np.zeros((n_groups,) + arr.shape[1:], dtype=int)
    np.add.at(sums, gidx, np.where(valid, arr, 0.0))
    np.add.at(counts, gidx, valid.astype(int))
    return np.where(counts > 0, sums, np.nan), counts


TOTAL_COLUMNS = ["code", "label", "unit", "kind", "value_period", "value_last_year", "value_first_year", "change_period",
                 "n_years", "n_units", "first_year", "last_year"]


def campaign_totals(ds, level: str = "unit", cache: dict | None = None) -> pd.DataFrame:
    """Period totals of every campaign metric, per unit or summed over a district or province.

    Parameters
    ----------
    ds : Dataset
    level : {"unit", "district", "province"}
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`).

    Returns
    -------
    DataFrame
        ``level``, the group's code and name (``unit_code, name`` /
        ``district_code, district_name`` / ``province_code, province_name``),
        ``code, label, unit, kind, value_period`` (flows: sum over years;
        NA for stocks), ``value_last_year`` (last year: a stock's year-end level,
        a flow's amount that year), ``value_first_year`` (first year),
        ``change_period`` (last minus first year), ``n_years`` (years with
        a value; for a group, the most any of its units has), ``n_units``
        (units with a value for the period figure), ``first_year,
        last_year``; one row per group and metric, in outline order. Group
        figures are sums of the unit figures (NA when no unit has one), so a
        district equals the sum of its units by construction; its change is
        its own last minus its own first year.
    """
    keys = level_keys(level)
    return memo(cache, ds, ("campaign_totals", level), lambda: _totals(ds, level, keys, metric_cube(ds, cache), cache))


def _totals(ds, level: str, keys: list[str], cube: MetricCube, cache: dict | None) -> pd.DataFrame:
    d = cube.data
    m = cube.metrics
    flow = (m["kind"] == "flow").to_numpy()
    n_years = (~np.isnan(d)).sum(axis=1)                                   # units, metrics
    period = np.where(n_years > 0, np.nansum(d, axis=1), np.nan)
    period = np.where(flow[None, :], period, np.nan)
    first, last = d[:, 0, :], d[:, -1, :]
    has = ~np.isnan(np.where(flow[None, :], period, last))
    gidx, groups = group_index(ds, level, cache)
    if level != "unit":
        n = len(groups)
        period = _sum_by_group(period, gidx, n)[0]
        last_s = _sum_by_group(last, gidx, n)[0]
        first = _sum_by_group(first, gidx, n)[0]
        last = last_s
        n_units = np.zeros((n, d.shape[2]), dtype=int)
        np.add.at(n_units, gidx, has.astype(int))
        years_max = np.zeros((n, d.shape[2]), dtype=int)
        np.maximum.at(years_max, gidx, n_years)
        n_years, has = years_max, n_units
    ng, nm = period.shape
    out = pd.DataFrame({
        "level": np.full(ng * nm, level, dtype=object),
        keys[0]: np.repeat(groups[keys[0]].to_numpy(dtype=object), nm),
        keys[1]: np.repeat(groups[keys[1]].to_numpy(dtype=object), nm),
        "code": np.tile(m["code"].to_numpy(dtype=object), ng),
        "label": np.tile(m["label"].to_numpy(dtype=object), ng),
        "unit": np.tile(m["unit"].to_numpy(dtype=object), ng),
        "kind": np.tile(m["kind"].to_numpy(dtype=object), ng),
        "value_period": period.ravel(),
        "value_last_year": last.ravel(),
        "value_first_year": first.ravel(),
        "change_period": (last - first).ravel(),
        "n_years": n_years.ravel(),
        "n_units": np.asarray(has, dtype=int).ravel(),
        "first_year": int(cube.years[0]),
        "last_year": int(cube.years[-1]),
    })
    return out[["level"] + keys + TOTAL_COLUMNS]


RATE_COLUMNS = ["year", "code", "label", "unit", "numerator", "denominator", "rate", "n_units"]


def rates(ds, by: str = "unit", years: list[int] | None = None, cache: dict | None = None) -> pd.DataFrame:
    """Rates of the outline (poor households, clean water, ...) per unit or group, per year.

    Method: per unit-year, ``rate = scale × numerator / denominator`` of the
    outline's metric codes; for a district or province, the numerators and
    denominators of the units having **both** values that year are summed
    first and the rate is computed from the sums (module docstring). A zero
    or missing denominator gives an NA rate; a unit-year (or group-year)
    without any pair gives no row.

    Parameters
    ----------
    by : {"unit", "district", "province"}
    years : list of int, optional
        Restrict to these years (default: all years of the outline).
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`).

    Returns
    -------
    DataFrame
        ``level``, group code and name, ``year, code, label, unit,
        numerator, denominator, rate, n_units`` (units entering the sums),
        by group, year and rate code.
    """
    keys = level_keys(by)
    years = tuple(ds.outline.years if years is None else years)
    return memo(cache, ds, ("rates", by, years), lambda: _rates(ds, by, keys, years, metric_cube(ds, cache),
                                                               outline_table(ds, cache, "rates"), cache))


def _rates(ds, by: str, keys: list[str], years: tuple, cube: MetricCube, r: pd.DataFrame, cache) -> pd.DataFrame:
    r = r.sort_values("code", kind="stable").reset_index(drop=True)
    yi = np.flatnonzero(np.isin(cube.years, years))
    gidx, groups = group_index(ds, by, cache)
    n_groups, ny, nr = len(groups), len(yi), len(r)
    num = np.full((n_groups, ny, nr), np.nan)
    den = np.full((n_groups, ny, nr), np.nan)
    cnt = np.zeros((n_groups, ny, nr), dtype=int)
    for k, rate in enumerate(r.itertuples()):
        a, b = cube.get(rate.numerator)[:, yi], cube.get(rate.denominator)[:, yi]
        pair = ~np.isnan(a) & ~np.isnan(b)
        a, b = np.where(pair, a, np.nan), np.where(pair, b, np.nan)
        if by == "unit":
            num[:, :, k], den[:, :, k], cnt[:, :, k] = a, b, pair
        else:
            num[:, :, k], cnt[:, :, k] = _sum_by_group(a, gidx, n_groups)
            den[:, :, k] = _sum_by_group(b, gidx, n_groups)[0]
    scale = r["scale"].astype(float).to_numpy()[None, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(den != 0, scale * num / den, np.nan)
    keep = (cnt > 0).ravel()
    out = pd.DataFrame({
        "level": by,
        keys[0]: np.repeat(groups[keys[0]].to_numpy(dtype=object), ny * nr),
        keys[1]: np.repeat(groups[keys[1]].to_numpy(dtype=object), ny * nr),
        "year": np.tile(np.repeat(cube.years[yi], nr), n_groups),
        "code": np.tile(r["code"].to_numpy(dtype=object), n_groups * ny),
        "label": np.tile(r["label"].to_numpy(dtype=object), n_groups * ny),
        "unit": np.tile(r["unit"].to_numpy(dtype=object), n_groups * ny),
        "numerator": num.ravel(), "denominator": den.ravel(), "rate": rate.ravel(), "n_units": cnt.ravel(),
    })[keep]
    return out[["level"] + keys + RATE_COLUMNS].reset_index(drop=True)


def per_household(ds, cache: dict | None = None) -> pd.DataFrame:
    """Each flow metric's period total per household, so small and large units compare fairly.

    Method: ``per_household = value_period / households_last_year``, where
    households are the household-total metric (``ds.outline.household_metric``) in
    the last year of the period (NA when that is missing or zero).

    Returns
    -------
    DataFrame
        ``unit_code, code, label, unit, value_period, households_last_year,
        per_household``, one row per unit and flow metric.
    """
    return memo(cache, ds, "per_household", lambda: _per_household(ds, cache))


def _per_household(ds, cache: dict | None) -> pd.DataFrame:
    cube = metric_cube(ds, cache)
    m = cube.metrics
    flows = np.flatnonzero((m["kind"] == "flow").to_numpy())
    d = cube.data[:, :, flows]
    total = np.where((~np.isnan(d)).any(axis=1), np.nansum(d, axis=1), np.nan)      # units, flow metrics
    hh = cube.get(ds.outline.household_metric)[:, -1]
    nu, nf = total.shape
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(hh[:, None] > 0, total / hh[:, None], np.nan)
    return pd.DataFrame({
        "unit_code": np.repeat(cube.unit_codes, nf),
        "code": np.tile(m["code"].to_numpy(dtype=object)[flows], nu),
        "label": np.tile(m["label"].to_numpy(dtype=object)[flows], nu),
        "unit": np.tile(m["unit"].to_numpy(dtype=object)[flows], nu),
        "value_period": total.ravel(),
        "households_last_year": np.repeat(hh, nf),
        "per_household": ratio.ravel(),
    })
