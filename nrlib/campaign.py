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

Column names ``value_2016_2020``, ``value_2016`` and ``value_2020`` follow the
2016-2020 outline; they hold the first and last years of ``ds.outline.years``
(``first_year``/``last_year`` columns say which).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LEVEL_KEYS = {
    "unit": ["unit_code", "name"],
    "district": ["district_code", "district_name"],
    "province": ["province_code", "province_name"],
}


def _check_level(level: str) -> list[str]:
    if level not in LEVEL_KEYS:
        raise ValueError(f"cấp tổng hợp không hợp lệ: {level!r} / unknown level {level!r}: expected one of "
                         f"{list(LEVEL_KEYS)}")
    return LEVEL_KEYS[level]


def household_metric(outline) -> str:
    """Code of the metric counting all households (VD11 in the 2016-2020 outline).

    Method: read from the outline, not written here: the ``stock`` metric in
    household units that the other household metrics are bounded by
    (their ``le_metric``) and that is the denominator of the most rates.
    """
    metrics = outline.metrics
    rates = outline.rates
    bounded = metrics["le_metric"].dropna().value_counts()
    stocks = metrics[(metrics["kind"] == "stock") & metrics["le_metric"].isna() & metrics["code"].isin(bounded.index)]
    if stocks.empty:
        raise ValueError("the outline has no stock metric that bounds the others: no household total")
    n_rates = rates["denominator"].value_counts()
    score = stocks["code"].map(lambda c: (int(n_rates.get(c, 0)), int(bounded.get(c, 0))))
    return str(stocks.loc[score.idxmax(), "code"])


def campaign_values(ds) -> pd.DataFrame:
    """The campaign metric values, numeric.

    Returns
    -------
    DataFrame
        ``unit_code, year, code, value`` (float) for every VanDong metric of
        the outline that has a value; blank cells are left out.
    """
    codes = set(ds.outline.metrics["code"])
    v = ds.values
    v = v[v["data_element"].isin(codes)]
    out = pd.DataFrame({
        "unit_code": v["unit_code"].to_numpy(),
        "year": v["year"].astype(int).to_numpy(),
        "code": v["data_element"].to_numpy(),
        "value": pd.to_numeric(v["value"], errors="coerce").astype(float).to_numpy(),
    })
    out = out[out["value"].notna()]
    return out.drop_duplicates(["unit_code", "year", "code"], keep="last").reset_index(drop=True)


def _with_units(df: pd.DataFrame, ds, level: str) -> pd.DataFrame:
    """Add the grouping columns of ``level`` (district, province codes and names) to a unit table."""
    keys = _check_level(level)
    if level == "unit":
        return df.merge(ds.units[["unit_code", "name"]], on="unit_code", how="left")
    return df.merge(ds.units[["unit_code"] + keys], on="unit_code", how="left")


def _unit_totals(ds, values: pd.DataFrame | None = None) -> pd.DataFrame:
    years = ds.outline.years
    first, last = years[0], years[-1]
    metrics = ds.outline.metrics[["code", "label", "unit", "kind"]]
    v = campaign_values(ds) if values is None else values
    v = v[v["year"].isin(years)]
    g = v.groupby(["unit_code", "code"], sort=False)
    tot = pd.DataFrame({"_sum": g["value"].sum(), "n_years": g["value"].size()})
    wide = v[v["year"].isin((first, last))].pivot_table(index=["unit_code", "code"], columns="year",
                                                         values="value", aggfunc="last")
    tot["value_2016"] = wide[first] if first in wide.columns else np.nan
    tot["value_2020"] = wide[last] if last in wide.columns else np.nan
    tot = tot.reset_index()
    grid = ds.units[["unit_code"]].merge(metrics, how="cross")
    out = grid.merge(tot, on=["unit_code", "code"], how="left")
    out["n_years"] = out["n_years"].fillna(0).astype(int)
    out["value_2016_2020"] = out["_sum"].where(out["kind"] == "flow")
    out["change_2016_2020"] = out["value_2020"] - out["value_2016"]
    out["first_year"], out["last_year"] = first, last
    return out.drop(columns="_sum")


TOTAL_COLUMNS = ["code", "label", "unit", "kind", "value_2016_2020", "value_2020", "value_2016", "change_2016_2020",
                 "n_years", "n_units", "first_year", "last_year"]


def campaign_totals(ds, level: str = "unit", values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Period totals of every campaign metric, per unit or summed over a district or province.

    Parameters
    ----------
    ds : Dataset
    level : {"unit", "district", "province"}
    values : DataFrame, optional
        Precomputed :func:`campaign_values`.

    Returns
    -------
    DataFrame
        ``level``, the group's code and name (``unit_code, name`` /
        ``district_code, district_name`` / ``province_code, province_name``),
        ``code, label, unit, kind, value_2016_2020`` (flows: sum over years;
        NA for stocks), ``value_2020`` (last year: a stock's year-end level,
        a flow's amount that year), ``value_2016`` (first year),
        ``change_2016_2020`` (last minus first year), ``n_years`` (unit rows:
        years with a value), ``n_units`` (units with a value for the period
        figure), ``first_year, last_year``. Group figures are sums of the
        unit figures (NA when no unit has one), so a district equals the sum
        of its units by construction; its change is its own last minus its
        own first year.
    """
    keys = _check_level(level)
    unit = _unit_totals(ds, values)
    if level == "unit":
        unit = _with_units(unit, ds, "unit")
        unit["n_units"] = (unit["value_2016_2020"].notna() | ((unit["kind"] == "stock") & unit["value_2020"].notna()))
        unit["n_units"] = unit["n_units"].astype(int)
        unit.insert(0, "level", "unit")
        return unit[["level"] + keys + TOTAL_COLUMNS].sort_values(["unit_code", "code"], ignore_index=True)
    unit = _with_units(unit, ds, level)
    unit["_has"] = unit["value_2016_2020"].notna() | ((unit["kind"] == "stock") & unit["value_2020"].notna())
    gcols = keys + ["code", "label", "unit", "kind", "first_year", "last_year"]
    g = unit.groupby(gcols, sort=True, dropna=False)
    out = pd.DataFrame({
        "value_2016_2020": g["value_2016_2020"].sum(min_count=1),
        "value_2020": g["value_2020"].sum(min_count=1),
        "value_2016": g["value_2016"].sum(min_count=1),
        "n_years": g["n_years"].max(),
        "n_units": g["_has"].sum().astype(int),
    }).reset_index()
    out["change_2016_2020"] = out["value_2020"] - out["value_2016"]
    out.insert(0, "level", level)
    return out[["level"] + keys + TOTAL_COLUMNS].reset_index(drop=True)


RATE_COLUMNS = ["year", "code", "label", "unit", "numerator", "denominator", "rate", "n_units"]


def rates(ds, by: str = "unit", years: list[int] | None = None, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rates of the outline (poor households, clean water, ...) per unit or group, per year.

    Method: per unit-year, ``rate = scale × numerator / denominator`` of the
    outline's metric codes; for a district or province, the numerators and
    denominators of the units having **both** values that year are summed
    first and the rate is computed from the sums (module docstring). A zero
    or missing denominator gives an NA rate.

    Parameters
    ----------
    by : {"unit", "district", "province"}
    years : list of int, optional
        Restrict to these years (default: all years of the outline).

    Returns
    -------
    DataFrame
        ``level``, group code and name, ``year, code, label, unit,
        numerator, denominator, rate, n_units`` (units entering the sums).
    """
    keys = _check_level(by)
    years = list(ds.outline.years if years is None else years)
    r = ds.outline.rates[["code", "label", "numerator", "denominator", "scale", "unit"]].rename(
        columns={"numerator": "num_code", "denominator": "den_code"})
    v = campaign_values(ds) if values is None else values
    v = v[v["year"].isin(years)]
    num = r.merge(v.rename(columns={"code": "num_code", "value": "numerator"}), on="num_code")
    pairs = num.merge(v.rename(columns={"code": "den_code", "value": "denominator"}),
                      on=["unit_code", "year", "den_code"])
    pairs = _with_units(pairs, ds, by)
    gcols = keys + ["year", "code", "label", "unit", "scale"]
    g = pairs.groupby(gcols, sort=True, dropna=False)
    out = pd.DataFrame({"numerator": g["numerator"].sum(), "denominator": g["denominator"].sum(),
                        "n_units": g.size()}).reset_index()
    den = out["denominator"].where(out["denominator"] != 0)
    out["rate"] = out["scale"].astype(float) * out["numerator"] / den
    out.insert(0, "level", by)
    return out[["level"] + keys + RATE_COLUMNS].reset_index(drop=True)


def per_household(ds, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each flow metric's period total per household, so small and large units compare fairly.

    Method: ``per_household = value_2016_2020 / households_2020``, where
    households are the household-total metric (:func:`household_metric`) in
    the last year of the period (NA when that is missing or zero).

    Returns
    -------
    DataFrame
        ``unit_code, code, label, unit, value_2016_2020, households_2020,
        per_household``, one row per unit and flow metric.
    """
    tot = campaign_totals(ds, "unit", values=values)
    hh_code = household_metric(ds.outline)
    hh = tot.loc[tot["code"] == hh_code, ["unit_code", "value_2020"]].rename(columns={"value_2020": "households_2020"})
    flows = tot[tot["kind"] == "flow"][["unit_code", "code", "label", "unit", "value_2016_2020"]]
    out = flows.merge(hh, on="unit_code", how="left")
    out["per_household"] = out["value_2016_2020"] / out["households_2020"].where(out["households_2020"] > 0)
    return out.reset_index(drop=True)
