"""Indicator values against the criteria levels, and declarations the numbers contradict.

Method:

* **Indicator values** are either typed by the unit (sheet ChiTieu, origin
  ``typed``) or derived from campaign counts (origin ``derived``:
  ``scale × numerator / denominator`` of the outline's
  ``ChiTieu.derived`` rows, e.g. 11 poor-household rate = 100 × VD12 / VD11).
  A derived value marked ``bound: lower`` in the outline (17.1: VD19 counts
  only clean water, the indicator also admits hygienic water) is a lower
  bound of the true value.
* **Levels** come from ``ds.levels`` (:func:`nrlib.resolve_levels`). When the
  table holds several scopes for one indicator and year, the most specific
  scope that matches the unit wins (district code, then province code, then
  region code, then ``national``); a row whose scope matches none of the
  unit's is not used for it.
* **Checks**: ``meets`` is True/False when a numeric level is known, and NA
  when it is not (``level_known`` False): no level is ever guessed. A
  lower-bound value below a ``≥`` level cannot prove a miss, so ``meets`` is
  NA there too (and for ``≤``/``=`` a lower bound can only prove a miss).
* **Gap** is signed so that a negative gap always means "short of the
  level": ``value − level`` for ``≥``, ``level − value`` for ``≤`` (negative:
  over the ceiling), and ``−|value − level|`` for ``=``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .campaign import campaign_values
from .results import criteria_matrix

VALUE_COLUMNS = ["unit_code", "year", "indicator_code", "value", "origin", "bound"]
_EQ_TOL = 1e-9


def indicator_values(ds, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every quantitative indicator value, typed or derived from campaign counts.

    Returns
    -------
    DataFrame
        ``unit_code, year, indicator_code, value, origin ('typed'|'derived'),
        bound ('exact'|'lower')``; blank cells and zero denominators give no row.
    """
    typed_codes = set(ds.outline.typed_indicators["indicator_code"])
    v = ds.values[ds.values["data_element"].astype(str).isin(typed_codes)]
    typed = pd.DataFrame({
        "unit_code": v["unit_code"].to_numpy(), "year": v["year"].astype(int).to_numpy(),
        "indicator_code": v["data_element"].astype(str).to_numpy(),
        "value": pd.to_numeric(v["value"], errors="coerce").astype(float).to_numpy(),
    })
    typed = typed[typed["value"].notna()].drop_duplicates(["unit_code", "year", "indicator_code"], keep="last")
    typed["origin"], typed["bound"] = "typed", "exact"

    der = ds.outline.derived_indicators.copy()
    if "bound" not in der.columns:
        der["bound"] = None
    der["bound"] = der["bound"].fillna("exact")
    cv = campaign_values(ds) if values is None else values
    num = der.merge(cv.rename(columns={"code": "numerator", "value": "_num"}), on="numerator")
    both = num.merge(cv.rename(columns={"code": "denominator", "value": "_den"}),
                     on=["unit_code", "year", "denominator"])
    both = both[both["_den"] > 0]
    derived = pd.DataFrame({
        "unit_code": both["unit_code"], "year": both["year"].astype(int), "indicator_code": both["indicator_code"],
        "value": both["scale"].astype(float) * both["_num"] / both["_den"], "origin": "derived",
        "bound": both["bound"],
    })
    out = pd.concat([typed, derived], ignore_index=True)
    return out[VALUE_COLUMNS].sort_values(["unit_code", "indicator_code", "year"], ignore_index=True)


def unit_levels(ds) -> pd.DataFrame:
    """The level that applies to each unit, indicator and year (method in the module docstring).

    Returns
    -------
    DataFrame
        ``unit_code, indicator_code, year, comparison, level, scope,
        confidence``; only rows with a numeric level.
    """
    lv = ds.levels
    cols = ["unit_code", "indicator_code", "year", "comparison", "level", "scope", "confidence"]
    if lv is None or lv.empty:
        return pd.DataFrame(columns=cols)
    lv = lv[pd.to_numeric(lv["level"], errors="coerce").notna()].copy()
    lv["level"] = lv["level"].astype(float)
    lv["indicator_code"] = lv["indicator_code"].astype(str)
    # a level without a year holds for every year, below a year-specific one
    yr = pd.to_numeric(lv["year"], errors="coerce") if "year" in lv.columns else pd.Series(np.nan, index=lv.index)
    lv["_any_year"] = yr.isna().astype(int)
    lv = pd.concat([lv[yr.notna()].assign(year=yr[yr.notna()].astype(int)),
                    lv[yr.isna()].drop(columns="year", errors="ignore").merge(
                        pd.DataFrame({"year": ds.outline.years}), how="cross")], ignore_index=True)
    for c in ("scope", "confidence"):
        if c not in lv.columns:
            lv[c] = None
    scopes = []
    for rank, col in enumerate(("district_code", "province_code", "region_code")):
        if col in ds.units.columns:
            s = ds.units[["unit_code", col]].rename(columns={col: "scope"}).dropna()
            scopes.append(s.assign(scope=s["scope"].astype(str), _rank=rank))
    scopes.append(ds.units[["unit_code"]].assign(scope="national", _rank=3))
    us = pd.concat(scopes, ignore_index=True)
    lv["scope"] = lv["scope"].astype(str)
    m = us.merge(lv, on="scope")
    m = m.sort_values(["_rank", "_any_year"]).drop_duplicates(["unit_code", "indicator_code", "year"], keep="first")
    return m[cols].reset_index(drop=True)


CHECK_COLUMNS = ["unit_code", "year", "indicator_code", "value", "origin", "bound", "comparison", "level",
                 "level_known", "meets", "gap", "confidence", "scope"]


def threshold_checks(ds, ivalues: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each indicator value against the level that applies to it.

    Returns
    -------
    DataFrame
        ``unit_code, year, indicator_code, value, origin, bound, comparison,
        level, level_known, meets (boolean, NA when unknown), gap, confidence,
        scope, ntm_applies`` (whether the NTM criteria applied to the unit that
        year: a check in a year they did not apply is informative only).
        ``comparison`` is the level's, else the criteria set's. Method and
        sign of ``gap``: module docstring.
    """
    iv = indicator_values(ds) if ivalues is None else ivalues
    lv = unit_levels(ds)
    out = iv.merge(lv, on=["unit_code", "indicator_code", "year"], how="left")
    crit_cmp = ds.criteria.drop_duplicates("indicator_code").set_index("indicator_code")["comparison"]
    out["comparison"] = out["comparison"].fillna(out["indicator_code"].map(crit_cmp)).replace("", None)
    out["level_known"] = out["level"].notna()
    val, lev, cmp_ = out["value"].to_numpy(float), out["level"].to_numpy(float), out["comparison"].to_numpy(object)
    ge, le, eq = cmp_ == "≥", cmp_ == "≤", cmp_ == "="
    with np.errstate(invalid="ignore"):
        gap = np.where(ge, val - lev, np.where(le, lev - val, np.where(eq, -np.abs(val - lev), np.nan)))
    meets = pd.Series(pd.NA, index=out.index, dtype="boolean")
    known = out["level_known"].to_numpy() & (ge | le | eq)
    ok = np.where(eq, np.abs(val - lev) <= _EQ_TOL, gap >= 0)
    meets[known] = ok[known]
    lower = out["bound"].eq("lower").to_numpy()
    # a lower bound proves a >= level met, and a <= or = level missed; nothing else
    unprovable = lower & known & ((ge & ~ok) | ((le | eq) & ok))
    meets[unprovable] = pd.NA
    out["gap"] = gap
    out["meets"] = meets
    uy = ds.unit_years[["unit_code", "year", "ntm_applies"]].astype({"year": int})
    out = out.merge(uy, on=["unit_code", "year"], how="left")
    out["ntm_applies"] = out["ntm_applies"].astype("boolean")
    return out[CHECK_COLUMNS + ["ntm_applies"]]


def declared_vs_measured(ds, checks: pd.DataFrame | None = None, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Criteria declared reached (Đạt) whose measured indicator misses a known level.

    Method: a threshold check with ``meets`` False (a known level, proven
    missed) joined to the unit's declaration for the indicator's criterion
    in the same year, kept where the declared and effective status are both
    ``reached``. A warning for the district to verify, not a verdict: the
    unit may hold evidence the workbook does not show.

    Returns
    -------
    DataFrame
        ``unit_code, year, criterion_no, indicator_code, declared_status,
        value, level, comparison, gap, origin, confidence``.
    """
    checks = threshold_checks(ds) if checks is None else checks
    matrix = criteria_matrix(ds) if matrix is None else matrix
    miss = checks[checks["meets"].eq(False).fillna(False).astype(bool)]
    crit = ds.criteria[["indicator_code", "criterion_no"]].drop_duplicates("indicator_code")
    miss = miss.merge(crit, on="indicator_code", how="inner")
    decl = matrix[(matrix["declared_status"] == "reached") & (matrix["status"] == "reached")]
    out = miss.merge(decl[["unit_code", "year", "criterion_no", "declared_status"]],
                     on=["unit_code", "year", "criterion_no"])
    cols = ["unit_code", "year", "criterion_no", "indicator_code", "declared_status", "value", "level", "comparison",
            "gap", "origin", "confidence"]
    return out[cols].sort_values(["unit_code", "year", "criterion_no", "indicator_code"], ignore_index=True)


def unknown_levels(ds) -> pd.DataFrame:
    """Indicators the outline collects for which no numeric level is known (for methodology notes).

    Method: every typed or derived indicator of the outline (of the
    criteria in ``ds.criteria``), checked against the levels that apply to
    the dataset's units in each year of the period; a level known for at
    least one unit counts as known.

    Returns
    -------
    DataFrame
        ``indicator_code, indicator_name, criterion_no, comparison, origin,
        years_with_level`` (str, ``"2020"``, empty when none),
        ``years_without_level`` (str); only indicators lacking a level in at
        least one year, ordered as in the criteria set.
    """
    crit = ds.criteria.drop_duplicates("indicator_code").reset_index(drop=True)
    order = {c: i for i, c in enumerate(crit["indicator_code"])}
    inds = pd.concat([
        ds.outline.typed_indicators[["indicator_code"]].assign(origin="typed"),
        ds.outline.derived_indicators[["indicator_code"]].assign(origin="derived"),
    ], ignore_index=True).drop_duplicates("indicator_code")
    years = ds.outline.years
    lv = unit_levels(ds)
    known = lv.groupby("indicator_code")["year"].agg(lambda s: sorted(set(int(y) for y in s)))
    rows = []
    for code, origin in zip(inds["indicator_code"], inds["origin"]):
        have = known.get(code, [])
        missing = [y for y in years if y not in have]
        if missing:
            rows.append({"indicator_code": code, "origin": origin,
                         "years_with_level": ", ".join(map(str, have)),
                         "years_without_level": ", ".join(map(str, missing))})
    out = pd.DataFrame(rows, columns=["indicator_code", "origin", "years_with_level", "years_without_level"])
    out = out.merge(crit[["indicator_code", "indicator_name", "criterion_no", "comparison"]], on="indicator_code",
                    how="inner")
    out["_o"] = out["indicator_code"].map(order)
    out = out.sort_values("_o", ignore_index=True)
    return out[["indicator_code", "indicator_name", "criterion_no", "comparison", "origin", "years_with_level",
                "years_without_level"]]
