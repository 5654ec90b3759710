"""Criteria results: what each unit declared for each criterion and year, and counts of it.

Method: the grid is every expected unit-year (``ds.unit_years``) times every
criterion of the criteria set (``ds.criteria``). The *declared* status is the
unit's own entry in sheet TieuChi (``None`` where the cell was blank or the
unit sent nothing). The *effective* status is what the analyses use:

* ``not_applicable`` whenever the new-rural (NTM) criteria do not apply to the
  unit in that year (``unit_years.ntm_applies`` is False: a town, a ward, or
  thị trấn Dầu Giây from 2019), whatever was declared;
* otherwise the declared status, and ``missing`` where nothing was declared.

A criterion is *applicable* in a unit-year when its effective status is not
``not_applicable``; ``missing`` counts as applicable but not reached, and is
counted separately so a report can say how much is unknown.
"""

from __future__ import annotations

import pandas as pd

MATRIX_COLUMNS = ["unit_code", "year", "criterion_no", "criterion_name", "group_code", "declared_status", "status",
                  "ntm_applies"]


def criteria_list(ds) -> pd.DataFrame:
    """One row per criterion: ``criterion_no, criterion_name, group_code, group_name`` (sorted)."""
    cols = ["criterion_no", "criterion_name", "group_code", "group_name"]
    crit = ds.criteria[[c for c in cols if c in ds.criteria.columns]].drop_duplicates("criterion_no")
    return crit.sort_values("criterion_no", ignore_index=True)


def criteria_matrix(ds) -> pd.DataFrame:
    """Declared and effective status of every criterion, unit and year.

    Returns
    -------
    DataFrame
        ``unit_code, year, criterion_no, criterion_name, group_code,
        declared_status, status, ntm_applies``, one row per expected
        unit-year and criterion, sorted. ``status`` is the effective status
        (module docstring): ``reached``, ``not_reached``, ``not_applicable``
        or ``missing``.
    """
    uy = ds.unit_years[["unit_code", "year", "ntm_applies"]].copy()
    uy["year"] = uy["year"].astype(int)
    uy["ntm_applies"] = uy["ntm_applies"].fillna(True).astype(bool)
    crit = criteria_list(ds)[["criterion_no", "criterion_name", "group_code"]]
    grid = uy.merge(crit, how="cross")
    st = ds.criteria_status[["unit_code", "year", "criterion_no", "status"]].copy()
    st["year"] = st["year"].astype(int)
    st["criterion_no"] = st["criterion_no"].astype(int)
    st = st.drop_duplicates(["unit_code", "year", "criterion_no"], keep="last").rename(
        columns={"status": "declared_status"})
    out = grid.merge(st, on=["unit_code", "year", "criterion_no"], how="left")
    declared = out["declared_status"].astype(object).where(out["declared_status"].notna(), None)
    out["declared_status"] = declared
    out["status"] = declared.where(declared.notna(), "missing")
    out.loc[~out["ntm_applies"], "status"] = "not_applicable"
    out = out.sort_values(["unit_code", "year", "criterion_no"], ignore_index=True)
    return out[MATRIX_COLUMNS]


def _counts(matrix: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    m = matrix.assign(
        _reached=matrix["status"].eq("reached"),
        _applicable=matrix["status"].ne("not_applicable"),
        _missing=matrix["status"].eq("missing"),
    )
    g = m.groupby(keys, sort=True)
    return pd.DataFrame({
        "n_reached": g["_reached"].sum(),
        "n_applicable": g["_applicable"].sum(),
        "n_missing": g["_missing"].sum(),
        "n_total": g.size(),
    }).reset_index()


def criteria_reached(ds, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many criteria each unit reached each year.

    Returns
    -------
    DataFrame
        ``unit_code, year, n_reached, n_applicable, all_reached, n_missing``.
        ``all_reached`` is True when every applicable criterion is reached,
        and NA (not False) when no criterion applies that year: a town is
        not "short" of the new-rural standard, it is outside it.
    """
    matrix = criteria_matrix(ds) if matrix is None else matrix
    c = _counts(matrix, ["unit_code", "year"])
    all_reached = (c["n_reached"] == c["n_applicable"]).astype("boolean")
    all_reached[c["n_applicable"] == 0] = pd.NA
    c["all_reached"] = all_reached
    for col in ("n_reached", "n_applicable", "n_missing"):
        c[col] = c[col].astype(int)
    return c[["unit_code", "year", "n_reached", "n_applicable", "all_reached", "n_missing"]]


def criteria_by_group(ds, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Criteria reached per unit, year and criteria group (I-V).

    Returns
    -------
    DataFrame
        ``unit_code, year, group_code, n_reached, n_criteria, n_in_group``:
        ``n_criteria`` counts the group's criteria that apply that year
        (0 for a unit outside the NTM criteria), ``n_in_group`` all of them.
    """
    matrix = criteria_matrix(ds) if matrix is None else matrix
    c = _counts(matrix, ["unit_code", "year", "group_code"])
    c = c.rename(columns={"n_applicable": "n_criteria", "n_total": "n_in_group"})
    return c[["unit_code", "year", "group_code", "n_reached", "n_criteria", "n_in_group"]].astype(
        {"n_reached": int, "n_criteria": int, "n_in_group": int})


def units_all_reached(ds, reached: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per year: how many units reached every applicable criterion.

    Returns
    -------
    DataFrame
        ``year, n_units_all_reached, n_units_applicable, n_units_reporting``:
        ``n_units_applicable`` counts units for which at least one criterion
        applies; ``n_units_reporting`` those of them that declared at least
        one status (a unit that sent nothing cannot be "all reached").
    """
    reached = criteria_reached(ds) if reached is None else reached
    r = reached.assign(
        _all=reached["all_reached"].fillna(False).astype(bool),
        _app=reached["n_applicable"] > 0,
        _rep=(reached["n_applicable"] > 0) & (reached["n_missing"] < reached["n_applicable"]),
    )
    g = r.groupby("year", sort=True)
    out = pd.DataFrame({
        "n_units_all_reached": g["_all"].sum().astype(int),
        "n_units_applicable": g["_app"].sum().astype(int),
        "n_units_reporting": g["_rep"].sum().astype(int),
    }).reset_index()
    return out
