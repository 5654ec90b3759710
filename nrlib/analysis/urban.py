"""The urban evaluation: a town's (ward's) years judged against "đạt chuẩn văn minh đô thị".

A unit-year is *urban* when the new-rural criteria do not apply to it
(``ds.unit_years.ntm_applies`` False: thị trấn Dầu Giây from 2019). Its
criteria are those of :func:`nrlib.reference.load_urban_criteria` (the five
tiêu chuẩn ``VM1`` … ``VM5`` of Thông tư 02/2013/TT-BVHTTDL); a xã's year has
none, so the two standards are never counted together.

Method, per urban unit-year and criterion:

* **Declared** status: the unit's own entry in ``ds.urban_status`` (an
  outline with an urban sheet, see :func:`collects_declarations`); blank,
  ``not_applicable`` or no sheet at all (outline 1.0) is no declaration.
* **Measured** indicators: a value typed by the unit under the indicator's
  code (``ds.values``, exact), else the outline rate named by the
  indicator's ``measure`` (:func:`nrlib.analysis.campaign.rates`; e.g. VM2.1
  by R_CULTURAL_FAMILY), with the file's ``bound``. The level is the most
  specific of district, province, region, then ``national``
  (:func:`nrlib.reference.pick_levels` on :func:`nrlib.reference.load_urban_levels`).
  ``meets`` is NA unless proven (:func:`nrlib.core.checks.meets_level`): the
  year's share of cultural families is an upper bound of the share holding
  the title "3 years running", so it can prove a miss, never a meet.
* **Effective** status, the one reports show:

  ================ ========================================================
  ``reached``       declared Đạt
  ``not_reached``   declared Chưa đạt, or nothing declared and a measured
                    indicator of the criterion proves a miss
  ``missing``       nothing declared and nothing proven: "chưa có số liệu"
  ================ ========================================================

  ``origin`` says which (``declared``, ``measured``, None). A declaration
  of Đạt that a measured miss contradicts stays Đạt, with ``conflict``
  True: a warning to verify, as for the new-rural criteria
  (:func:`nrlib.analysis.thresholds.declared_vs_measured`), not a verdict.

A unit-year is *recognised* (``all_reached``) only when every criterion is
reached; it is False when one is not reached, and NA while any is unknown.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nrlib.analysis.campaign import rates
from nrlib.core import checks, vocab
from nrlib.core.memo import memo
from nrlib.reference import pick_levels
from nrlib.reference.outline import ROWS_FROM_URBAN, find_outline
from nrlib.reference.urban import load_urban_criteria, load_urban_levels

#: the outline's ``rows_from`` that marks a sheet of declared urban statuses (outline 2's VanMinhDoThi)
ROWS_FROM = ROWS_FROM_URBAN
_SCOPES = ("district_code", "province_code", "region_code")

YEAR_COLUMNS = ["unit_code", "year", "name", "unit_type"]
CHECK_COLUMNS = ["unit_code", "year", "criterion_code", "indicator_code", "value", "origin", "measure", "bound",
                 "comparison", "level", "level_known", "meets", "gap", "scope", "confidence"]
MATRIX_COLUMNS = ["unit_code", "year", "name", "unit_type", "criterion_code", "criterion_no", "criterion_name",
                  "declared_status", "measured_status", "status", "origin", "conflict"]
REACHED_COLUMNS = ["unit_code", "year", "name", "unit_type", "n_reached", "n_not_reached", "n_missing", "n_criteria",
                   "all_reached"]


def urban_criteria_list(ds=None) -> pd.DataFrame:
    """One row per criterion of the urban standard: ``criterion_code, criterion_no, criterion_name``."""
    c = load_urban_criteria()
    return (c[["criterion_code", "criterion_no", "criterion_name"]].drop_duplicates("criterion_code")
            .sort_values("criterion_no", ignore_index=True))


def collects_declarations(outline) -> bool:
    """True when the outline has a sheet where towns declare the urban criteria (``rows_from: urban_criteria``)."""
    return any(s.get("rows_from") == ROWS_FROM for s in outline.raw.get("sheets", []))


def collects_for(ds, unit_codes) -> bool:
    """Whether any of these units' current workbooks followed an outline with the urban sheet: a town that sent
    a version 1 workbook was never asked (its reports say so), one that sent version 2 was. A unit without a
    current submission is judged by the dataset's outline."""
    codes = {str(unit_codes)} if isinstance(unit_codes, str) else {str(c) for c in unit_codes}
    versions = submitted_versions(ds, codes)
    if len(versions) < len(codes) and collects_declarations(ds.outline):
        return True
    return any(collects_declarations(find_outline(v) or ds.outline) for v in versions.values())


def submitted_versions(ds, unit_codes) -> dict[str, str]:
    """The outline version of each unit's current submission (``{unit_code: "1.0"}``; units without one left out)."""
    codes = {str(unit_codes)} if isinstance(unit_codes, str) else {str(c) for c in unit_codes}
    sub = ds.submissions
    if "is_current" in sub.columns:
        sub = sub[sub["is_current"].astype(bool)]
    sub = sub[sub["unit_code"].isin(codes) & sub["outline_version"].notna()]
    return dict(zip(sub["unit_code"], sub["outline_version"].astype(str)))


def urban_years(ds) -> pd.DataFrame:
    """The urban unit-years: ``unit_code, year, name, unit_type`` where the new-rural criteria do not apply,
    in unit (``ds.units``) and year order; only expected units."""
    uy = ds.unit_years
    uy = uy[~uy["ntm_applies"].fillna(True).astype(bool) & uy["unit_code"].isin(set(ds.units["unit_code"]))]
    order = {c: i for i, c in enumerate(ds.units["unit_code"])}
    uy = uy.assign(year=uy["year"].astype(int), _o=uy["unit_code"].map(order))
    return uy.sort_values(["_o", "year"])[YEAR_COLUMNS].reset_index(drop=True)


def urban_checks(ds, cache: dict | None = None) -> pd.DataFrame:
    """Each measurable urban indicator of each urban unit-year against its level (method: module docstring).

    Returns
    -------
    DataFrame
        :data:`CHECK_COLUMNS`: ``value`` (NaN when nothing measures it that
        year), ``origin`` (``typed``/``derived``/None), ``measure`` (the rate
        code, or the typed element's code), ``bound`` (``exact``/``upper``),
        ``level`` (NaN unknown), ``meets`` (boolean, NA unless proven),
        ``gap`` (negative: short of the level). One row per urban unit-year
        and quantitative indicator, in unit, year and indicator order.
    """
    return memo(cache, ds, "urban_checks", lambda: _checks(ds, cache))


def _checks(ds, cache) -> pd.DataFrame:
    crit = load_urban_criteria()
    inds = crit[crit["quantitative"]].reset_index(drop=True)
    uy = urban_years(ds)
    if uy.empty or inds.empty:
        return pd.DataFrame(columns=CHECK_COLUMNS)
    grid = uy[["unit_code", "year"]].merge(inds[["criterion_code", "indicator_code", "comparison", "measure",
                                                 "bound"]], how="cross")
    # a typed value (an outline that collects it under the indicator's code) is exact; else the rate's
    typed = ds.values.rename(columns={"data_element": "indicator_code", "value": "_typed"})
    typed = typed[typed["indicator_code"].isin(set(inds["indicator_code"]))]
    typed = typed.assign(year=typed["year"].astype(int))[["unit_code", "year", "indicator_code", "_typed"]]
    grid = grid.merge(typed.drop_duplicates(["unit_code", "year", "indicator_code"]), how="left",
                      on=["unit_code", "year", "indicator_code"])
    rt = rates(ds, "unit", cache=cache)
    rt = rt[["unit_code", "year", "code", "rate"]].rename(columns={"code": "measure", "rate": "_rate"})
    grid = grid.merge(rt, how="left", on=["unit_code", "year", "measure"])
    has_typed = grid["_typed"].notna()
    grid["value"] = grid["_typed"].where(has_typed, grid["_rate"]).astype(float)
    grid["origin"] = np.where(has_typed, "typed", np.where(grid["_rate"].notna(), "derived", None))
    grid["measure"] = grid["measure"].where(~has_typed, grid["indicator_code"]).replace("", None)
    grid["bound"] = np.where(has_typed | grid["bound"].isin(["", "exact"]), "exact", grid["bound"])

    lv = _unit_levels(ds, sorted(set(uy["year"])))
    grid = grid.merge(lv, how="left", on=["unit_code", "year", "indicator_code"], suffixes=("", "_lv"))
    cmp_ = grid["comparison_lv"].where(grid["comparison_lv"].notna(), grid["comparison"]).to_numpy(dtype=object)
    val, lev = grid["value"].to_numpy(float), grid["level"].astype(float).to_numpy()
    met, proven = checks.meets_level(val, cmp_, lev, upper_bound=(grid["bound"] == "upper").to_numpy())
    grid["comparison"] = cmp_
    grid["level"] = lev
    grid["level_known"] = ~np.isnan(lev)
    grid["meets"] = pd.arrays.BooleanArray(met, ~proven)
    grid["gap"] = checks.level_gap(val, cmp_, lev)
    return grid[CHECK_COLUMNS].reset_index(drop=True)


def _unit_levels(ds, years: list[int]) -> pd.DataFrame:
    """The urban level of each unit, indicator and year: the most specific scope of the unit's chain, then national."""
    cols = [c for c in _SCOPES if c in ds.units.columns]
    units = ds.units[["unit_code", *cols]].drop_duplicates("unit_code").reset_index(drop=True)
    chains = [[str(v) for v in row if v is not None and not pd.isna(v)] + ["national"]
              for row in units[cols].itertuples(index=False)] if cols else [["national"]] * len(units)
    m = pick_levels(load_urban_levels(), chains, years)
    out = m.assign(unit_code=units["unit_code"].to_numpy()[m["chain"].to_numpy(dtype=int)] if len(m) else [])
    out = out.rename(columns={"comparison": "comparison_lv"})
    keep = ["unit_code", "indicator_code", "year", "comparison_lv", "level", "scope", "confidence"]
    for c in keep:
        if c not in out.columns:
            out[c] = None
    return out[keep].assign(year=out["year"].astype(int)) if len(out) else out[keep]


def urban_matrix(ds, cache: dict | None = None) -> pd.DataFrame:
    """Declared, measured and effective status of every urban criterion in every urban unit-year.

    Returns
    -------
    DataFrame
        :data:`MATRIX_COLUMNS`: ``name`` and ``unit_type`` as the unit was
        that year, ``declared_status`` (``reached``/``not_reached``/None),
        ``measured_status`` (``not_reached`` where a measured indicator
        proves a miss, else None), ``status`` (``reached``, ``not_reached``,
        ``missing``), ``origin``, ``conflict``; module docstring. Empty for a
        dataset without towns or wards.
    """
    return memo(cache, ds, "urban_matrix", lambda: _matrix(ds, urban_checks(ds, cache)))


def _matrix(ds, chk: pd.DataFrame) -> pd.DataFrame:
    uy = urban_years(ds)
    crit = urban_criteria_list(ds)
    if uy.empty:
        return pd.DataFrame(columns=MATRIX_COLUMNS)
    m = uy.merge(crit, how="cross")
    st = ds.urban_status
    st = st[st["status"].isin([vocab.REACHED, vocab.NOT_REACHED])]
    st = st.assign(year=st["year"].astype(int))[["unit_code", "year", "criterion_code", "status"]]
    st = st.drop_duplicates(["unit_code", "year", "criterion_code"]).rename(columns={"status": "declared_status"})
    m = m.merge(st, how="left", on=["unit_code", "year", "criterion_code"])
    miss = chk[chk["meets"].eq(False).fillna(False).astype(bool)][["unit_code", "year", "criterion_code"]]
    miss = miss.drop_duplicates().assign(measured_status=vocab.NOT_REACHED)
    m = m.merge(miss, how="left", on=["unit_code", "year", "criterion_code"])
    m["declared_status"] = m["declared_status"].astype(object).where(m["declared_status"].notna(), None)
    m["measured_status"] = m["measured_status"].astype(object).where(m["measured_status"].notna(), None)
    declared = m["declared_status"].notna()
    measured = m["measured_status"].notna()
    m["status"] = np.where(declared, m["declared_status"], np.where(measured, vocab.NOT_REACHED, vocab.MISSING))
    m["origin"] = np.where(declared, "declared", np.where(measured, "measured", None))
    m["conflict"] = (m["declared_status"] == vocab.REACHED) & measured
    return m[MATRIX_COLUMNS].reset_index(drop=True)


def urban_reached(ds, cache: dict | None = None) -> pd.DataFrame:
    """How many urban criteria each urban unit-year reached, and whether it reached the standard.

    Returns
    -------
    DataFrame
        :data:`REACHED_COLUMNS`: counts of ``reached``, ``not_reached`` and
        ``missing`` criteria out of ``n_criteria``; ``all_reached`` True when
        every criterion is reached, False when one is not, NA while one is
        unknown (never False for want of data).
    """
    return memo(cache, ds, "urban_reached", lambda: _reached(ds, urban_matrix(ds, cache)))


def _reached(ds, m: pd.DataFrame) -> pd.DataFrame:
    uy = urban_years(ds)
    if uy.empty:
        return pd.DataFrame(columns=REACHED_COLUMNS)
    g = m.assign(_r=m["status"].eq(vocab.REACHED), _n=m["status"].eq(vocab.NOT_REACHED),
                 _m=m["status"].eq(vocab.MISSING)).groupby(["unit_code", "year"], sort=False)
    counts = pd.DataFrame({"n_reached": g["_r"].sum(), "n_not_reached": g["_n"].sum(), "n_missing": g["_m"].sum(),
                           "n_criteria": g.size()}).reset_index()
    out = uy.merge(counts, how="left", on=["unit_code", "year"])
    for c in ("n_reached", "n_not_reached", "n_missing", "n_criteria"):
        out[c] = out[c].fillna(0).astype(int)
    all_reached = pd.array([pd.NA] * len(out), dtype="boolean")
    all_reached[(out["n_not_reached"] > 0).to_numpy()] = False
    all_reached[((out["n_reached"] == out["n_criteria"]) & (out["n_criteria"] > 0)).to_numpy()] = True
    out["all_reached"] = all_reached
    return out[REACHED_COLUMNS]
