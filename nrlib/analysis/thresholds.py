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
  region code: :func:`nrlib.reference.pick_levels`, the resolution ingest
  uses too); a row whose scope matches none of the
  unit's is not used for it, and a row with no scope (a table already
  resolved for this dataset) holds for every unit, after all of those.
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

from nrlib.analysis.campaign import metric_cube
from nrlib.analysis.results import REACHED, criteria_grid, unit_positions
from nrlib.core import checks
from nrlib.core.memo import memo, outline_table
from nrlib.reference import pick_levels

VALUE_COLUMNS = ["unit_code", "year", "indicator_code", "value", "origin", "bound"]


def indicator_values(ds, cache: dict | None = None) -> pd.DataFrame:
    """Every quantitative indicator value, typed or derived from campaign counts.

    Returns
    -------
    DataFrame
        ``unit_code, year, indicator_code, value, origin ('typed'|'derived'),
        bound ('exact'|'lower')``; blank cells and zero denominators give no
        row. By unit (``ds.units`` order), year and indicator (outline
        order: typed, then derived).
    """
    c = indicator_cube(ds, cache)
    ui, yi, ii = np.nonzero(~np.isnan(c["data"]))
    return pd.DataFrame({"unit_code": c["unit_codes"][ui], "year": c["years"][yi], "indicator_code": c["codes"][ii],
                         "value": c["data"][ui, yi, ii], "origin": c["origin"][ii], "bound": c["bound"][ii]})


def indicator_cube(ds, cache: dict | None = None) -> dict:
    """Indicator values as arrays: ``data`` (units, years, indicators), with ``codes``, ``origin`` and ``bound``."""
    return memo(cache, ds, "indicator_cube", lambda: _indicator_cube(
        ds, metric_cube(ds, cache), outline_table(ds, cache, "typed_indicators"),
        outline_table(ds, cache, "derived_indicators")))


def _indicator_cube(ds, cube, typed: pd.DataFrame, der: pd.DataFrame) -> dict:
    typed_codes = typed["indicator_code"].astype(str).to_numpy(dtype=object)
    der = der.reset_index(drop=True)
    der_bound = der["bound"].fillna("exact") if "bound" in der.columns else pd.Series("exact", index=der.index)
    codes = np.concatenate([typed_codes, der["indicator_code"].astype(str).to_numpy(dtype=object)])
    origin = np.array(["typed"] * len(typed_codes) + ["derived"] * len(der), dtype=object)
    bound = np.concatenate([np.full(len(typed_codes), "exact", dtype=object), der_bound.to_numpy(dtype=object)])
    data = np.full((len(cube.unit_codes), len(cube.years), len(codes)), np.nan)

    v = ds.values[ds.values["data_element"].isin(typed_codes)]
    ui = unit_positions(ds, v["unit_code"])
    yi = pd.Index(cube.years).get_indexer(v["year"].astype(int))
    ii = pd.Index(typed_codes).get_indexer(v["data_element"])
    ok = (ui >= 0) & (yi >= 0) & (ii >= 0)
    data[ui[ok], yi[ok], ii[ok]] = pd.to_numeric(v["value"], errors="coerce").astype(float).to_numpy()[ok]
    for k, row in enumerate(der.itertuples(), start=len(typed_codes)):
        data[:, :, k] = checks.derived_value(cube.get(row.numerator), cube.get(row.denominator), float(row.scale))
    return {"unit_codes": cube.unit_codes, "years": cube.years, "codes": codes, "origin": origin, "bound": bound,
            "data": data}


_SCOPE_COLUMNS = ("district_code", "province_code", "region_code")
_ANY_SCOPE = "\x00any"


def unit_levels(ds, cache: dict | None = None) -> pd.DataFrame:
    """The level that applies to each unit, indicator and year (method in the module docstring).

    Returns
    -------
    DataFrame
        ``unit_code, indicator_code, year, comparison, level, scope,
        confidence``; only rows with a numeric level.
    """
    profile, levels = _profile_levels(ds, cache)
    units = pd.DataFrame({"unit_code": profile.index, "_profile": profile.to_numpy()})
    out = units.merge(levels, on="_profile")
    return out[["unit_code", "indicator_code", "year", "comparison", "level", "scope", "confidence"]]


def _profile_levels(ds, cache: dict | None) -> tuple[pd.Series, pd.DataFrame]:
    """Units grouped by their scope codes (district, province, region), and the levels of each group.

    Units of one district share their levels, so levels are resolved once
    per distinct (district, province, region) rather than once per unit.
    """
    return memo(cache, ds, "profile_levels", lambda: _resolve_profiles(ds))


def _resolve_profiles(ds) -> tuple[pd.Series, pd.DataFrame]:
    cols = [c for c in _SCOPE_COLUMNS if c in ds.units.columns]
    scope_codes = ds.units[cols].astype(object).where(ds.units[cols].notna(), None)
    if cols:
        profile_id = scope_codes.fillna("").groupby(cols, sort=False).ngroup()
    else:
        profile_id = pd.Series(0, index=ds.units.index)
    profile = pd.Series(profile_id.to_numpy(), index=ds.units["unit_code"].to_numpy())
    out_cols = ["_profile", "indicator_code", "year", "comparison", "level", "scope", "confidence"]
    lv = ds.levels
    if lv is None or lv.empty or not len(profile):
        return profile, pd.DataFrame(columns=out_cols)
    firsts = scope_codes.assign(_profile=profile_id.to_numpy()).drop_duplicates("_profile").sort_values("_profile")
    chains = [[str(v) for v in row if v is not None] for row in firsts[cols].itertuples(index=False)] if cols \
        else [[]]
    m = pick_levels(lv.assign(confidence=lv["confidence"] if "confidence" in lv.columns else None), chains,
                    ds.outline.years)
    m = m.rename(columns={"chain": "_profile"})
    m["_profile"] = firsts["_profile"].to_numpy()[m["_profile"].to_numpy(dtype=int)]
    m["year"] = m["year"].astype(int)
    return profile, m[out_cols].reset_index(drop=True)


CHECK_COLUMNS = ["unit_code", "year", "indicator_code", "value", "origin", "bound", "comparison", "level",
                 "level_known", "meets", "gap", "confidence", "scope"]


def threshold_checks(ds, cache: dict | None = None) -> pd.DataFrame:
    """Each indicator value against the level that applies to it.

    Returns
    -------
    DataFrame
        ``unit_code, year, indicator_code, value, origin, bound, comparison,
        level, level_known, meets (boolean, NA when unknown), gap, confidence,
        scope, ntm_applies`` (whether the NTM criteria applied to the unit that
        year: a check in a year they did not apply is informative only).
        ``comparison`` is the level's, else the criteria set's. Method and
        sign of ``gap``: module docstring. Same rows and order as
        :func:`indicator_values`.
    """
    return memo(cache, ds, "threshold_checks", lambda: _checks(ds, cache))


def _level_arrays(ds, cache: dict | None, codes: np.ndarray, years: np.ndarray) -> dict:
    """Levels as arrays (profiles, years, indicators): level, comparison, scope, confidence."""
    profile, lv = _profile_levels(ds, cache)
    n_prof = int(profile.max()) + 1 if len(profile) else 0
    shape = (n_prof, len(years), len(codes))
    out = {"level": np.full(shape, np.nan), "comparison": np.full(shape, None, dtype=object),
           "scope": np.full(shape, None, dtype=object), "confidence": np.full(shape, None, dtype=object)}
    pi = lv["_profile"].to_numpy(dtype=int)
    yi = pd.Index(years).get_indexer(lv["year"].astype(int))
    ii = pd.Index(codes).get_indexer(lv["indicator_code"])
    ok = (yi >= 0) & (ii >= 0)
    for name in out:
        out[name][pi[ok], yi[ok], ii[ok]] = lv[name].to_numpy()[ok]
    return out


def _checks(ds, cache: dict | None) -> pd.DataFrame:
    c = indicator_cube(ds, cache)
    profile, _ = _profile_levels(ds, cache)
    lv = _level_arrays(ds, cache, c["codes"], c["years"])
    ui, yi, ii = np.nonzero(~np.isnan(c["data"]))
    pi = profile.to_numpy()[ui]
    val = c["data"][ui, yi, ii]
    lev = lv["level"][pi, yi, ii] if len(pi) else np.array([], float)
    crit_cmp = ds.criteria.drop_duplicates("indicator_code").set_index("indicator_code")["comparison"]
    default_cmp = pd.Series(c["codes"]).map(crit_cmp).replace("", None).to_numpy(dtype=object)
    cmp_ = lv["comparison"][pi, yi, ii] if len(pi) else np.array([], object)
    cmp_ = np.where(pd.isna(cmp_), default_cmp[ii], cmp_)
    lower = c["bound"][ii] == "lower"
    met, proven = checks.meets_level(val, cmp_, lev, lower)
    meets = pd.arrays.BooleanArray(met, ~proven)
    gap = checks.level_gap(val, cmp_, lev)
    level_known = ~np.isnan(lev)
    g = criteria_grid(ds, cache)
    return pd.DataFrame({
        "unit_code": c["unit_codes"][ui], "year": c["years"][yi], "indicator_code": c["codes"][ii], "value": val,
        "origin": c["origin"][ii], "bound": c["bound"][ii], "comparison": cmp_, "level": lev,
        "level_known": level_known, "meets": meets, "gap": gap,
        "confidence": lv["confidence"][pi, yi, ii] if len(pi) else np.array([], object),
        "scope": lv["scope"][pi, yi, ii] if len(pi) else np.array([], object),
        "ntm_applies": pd.array(g.ntm[ui, yi], dtype="boolean"),
    })


def declared_vs_measured(ds, cache: dict | None = None) -> pd.DataFrame:
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
    return memo(cache, ds, "declared_vs_measured", lambda: _dvm(ds, threshold_checks(ds, cache),
                                                                 criteria_grid(ds, cache)))


def _dvm(ds, checks: pd.DataFrame, g) -> pd.DataFrame:
    miss = checks[checks["meets"].eq(False).fillna(False).astype(bool)]
    crit = ds.criteria[["indicator_code", "criterion_no"]].drop_duplicates("indicator_code")
    miss = miss.merge(crit, on="indicator_code", how="inner")
    ui = unit_positions(ds, miss["unit_code"])
    yi = pd.Index(g.years).get_indexer(miss["year"])
    ci = pd.Index(g.criteria["criterion_no"]).get_indexer(miss["criterion_no"].astype(int))
    declared = g.declared[ui, yi, ci] if len(miss) else np.array([], object)
    keep = (declared == "reached") & (g.status[ui, yi, ci] == REACHED) if len(miss) else np.array([], bool)
    out = miss[keep].assign(declared_status="reached")
    cols = ["unit_code", "year", "criterion_no", "indicator_code", "declared_status", "value", "level", "comparison",
            "gap", "origin", "confidence"]
    return out[cols].sort_values(["unit_code", "year", "criterion_no", "indicator_code"], ignore_index=True)


def unknown_levels(ds, cache: dict | None = None) -> pd.DataFrame:
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
        outline_table(ds, cache, "typed_indicators")[["indicator_code"]].assign(origin="typed"),
        outline_table(ds, cache, "derived_indicators")[["indicator_code"]].assign(origin="derived"),
    ], ignore_index=True).drop_duplicates("indicator_code")
    years = ds.outline.years
    lv = _profile_levels(ds, cache)[1]
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
