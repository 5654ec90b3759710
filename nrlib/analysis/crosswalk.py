"""A new unit's history (2025 list) from its predecessors' review data, side by side.

After 01/07/2025 a commune is often several communes of the review merged,
wholly or in part (:func:`nrlib.reference.load_crosswalk`). Its 2016-2020
figures are its predecessors' figures, which are only sometimes additive.

Method:

* every figure is shown **per predecessor**, one column each (the review's unit
  code), never replaced by a combined one;
* a **flow** or **stock** metric (``outline.metrics``) gets a ``combined``
  value, the sum over predecessors, only when the new unit is made of **whole**
  units only (every crosswalk row of it has ``extent == "whole"``), every
  predecessor is a unit of the data, and each has a value that year; else
  ``combined`` is blank and ``basis`` says why (:data:`BASES`). Part of a
  commune carries an unknown part of its households, roads and money, so no
  sum is right;
* a **rate** (``outline.rates`` and the derived indicators) is recomputed from
  the summed numerator and denominator under the same conditions, never
  averaged over predecessors;
* an indicator a unit types itself (a level such as income per head, or a
  rate typed as such) is never combined;
* a **criterion status** is never combined: "Đạt" of one commune and "Chưa
  đạt" of another are not a status of their union, so ``criteria`` has no
  combined column at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: why a combined figure is given or not (codes in the frames; the Vietnamese text for reports)
BASES = {
    "sum": "Cộng số liệu của các đơn vị cũ (sáp nhập toàn bộ)",
    "partial_merge": "Không cộng: có đơn vị cũ chỉ nhập một phần",
    "predecessor_outside": "Không cộng: có đơn vị cũ không có trong số liệu sơ kết",
    "value_missing": "Không cộng: có đơn vị cũ để trống số liệu năm này",
    "not_summable": "Không cộng: chỉ tiêu do đơn vị tự ghi (mức, tỷ lệ), chỉ so sánh từng đơn vị",
}

PREDECESSOR_COLUMNS = ["old_code", "old_name", "unit_code", "name", "extent", "note", "in_data"]


def _set_basis(predecessors: pd.DataFrame, ds) -> tuple[pd.DataFrame, str | None]:
    """The predecessors with ``in_data``, and the reason no sum can be made whatever the year (None: sums allowed)."""
    p = predecessors.copy()
    names = dict(zip(ds.units["unit_code"].astype(str), ds.units["name"]))
    p["unit_code"] = p["unit_code"].where(p["unit_code"].notna(), None)
    p["in_data"] = p["unit_code"].map(lambda c: c is not None and str(c) in names)
    p["name"] = p["unit_code"].map(lambda c: names.get(str(c)) if c is not None else None)
    if (p["extent"] != "whole").any():
        reason = "partial_merge"
    elif not p["in_data"].all():
        reason = "predecessor_outside"
    else:
        reason = None
    return p[PREDECESSOR_COLUMNS].reset_index(drop=True), reason


def _wide(long: pd.DataFrame, index: list[str], codes: list[str], value: str) -> pd.DataFrame:
    """``long`` (index columns, ``unit_code``, ``value``) as one column per predecessor code, in ``codes`` order."""
    if long.empty:
        return pd.DataFrame(columns=index + codes)
    w = long.pivot_table(index=index, columns="unit_code", values=value, aggfunc="first")
    w = w.reindex(columns=codes)
    w.columns = list(w.columns)
    return w.reset_index()


def successor_history(ds, predecessors: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Lay a new unit's predecessors' values side by side, with sums and rates only where they hold (module docstring).

    Parameters
    ----------
    ds : Dataset
        The review's data (units of the review's list).
    predecessors : DataFrame
        The crosswalk's rows of one new unit, each with the review's
        ``unit_code`` where known: :func:`nrlib.reference.predecessors`.

    Returns
    -------
    dict of DataFrame
        ``predecessors``
            ``old_code, old_name, unit_code, name, extent, note, in_data``.
        ``values``
            ``code, label, unit, kind, year``, one column per predecessor in
            the data (its unit code), ``combined``, ``basis`` (:data:`BASES`);
            metrics, then typed indicators, by code and year.
        ``rates``
            ``code, label, year``, one column per predecessor (its rate),
            ``numerator, denominator`` (sums), ``combined`` (the rate of the
            sums), ``basis``.
        ``criteria``
            ``criterion_no, year``, one column per predecessor (its declared
            status); no combined column, by design.
    """
    pred, reason = _set_basis(predecessors, ds)
    codes = [str(c) for c, inside in zip(pred["unit_code"], pred["in_data"]) if inside]
    codes = list(dict.fromkeys(codes))
    years = list(ds.outline.years)
    v = ds.values[ds.values["unit_code"].astype(str).isin(codes)].copy()
    v["unit_code"] = v["unit_code"].astype(str)
    v["value"] = pd.to_numeric(v["value"], errors="coerce")
    v = v[v["value"].notna()]

    metrics = ds.outline.metrics[["code", "label", "unit", "kind"]]
    typed = ds.outline.typed_indicators
    typed = pd.DataFrame({"code": typed["indicator_code"].astype(str),
                          "label": typed.get("indicator_name", typed["indicator_code"]).astype(str),
                          "unit": typed.get("unit", pd.Series("", index=typed.index)).fillna("").astype(str),
                          "kind": "typed"})
    elements = pd.concat([metrics, typed], ignore_index=True)
    grid = elements.merge(pd.DataFrame({"year": years}), how="cross")
    wide = grid.merge(_wide(v.rename(columns={"data_element": "code"}), ["code", "year"], codes, "value"),
                      on=["code", "year"], how="left")
    for c in codes:
        if c not in wide:
            wide[c] = np.nan
    values = wide[codes].to_numpy(dtype=float) if codes else np.empty((len(wide), 0))
    complete = ~np.isnan(values).any(axis=1) if codes else np.zeros(len(wide), dtype=bool)
    summable = wide["kind"].isin(["flow", "stock"]).to_numpy()
    basis = np.where(~summable, "not_summable", reason or "sum")
    basis = np.where(summable & (basis == "sum") & ~complete, "value_missing", basis)
    wide["combined"] = np.where(basis == "sum", values.sum(axis=1) if codes else np.nan, np.nan)
    wide["basis"] = basis
    wide = wide[wide[codes].notna().any(axis=1) | (wide["kind"] != "typed")] if codes else wide
    out_values = wide[["code", "label", "unit", "kind", "year", *codes, "combined", "basis"]].reset_index(drop=True)

    return {
        "predecessors": pred,
        "values": out_values,
        "rates": _rates(ds, v, codes, years, reason),
        "criteria": _criteria(ds, codes, years),
    }


def _rate_specs(ds) -> pd.DataFrame:
    r = ds.outline.rates[["code", "label", "numerator", "denominator", "scale"]]
    d = ds.outline.derived_indicators
    names = dict(zip(ds.criteria["indicator_code"].astype(str), ds.criteria.get("indicator_name", ds.criteria["indicator_code"])))
    d = pd.DataFrame({"code": d["indicator_code"].astype(str), "label": d["indicator_code"].astype(str).map(names),
                      "numerator": d["numerator"], "denominator": d["denominator"], "scale": d["scale"]})
    d["label"] = d["label"].fillna(d["code"])
    return pd.concat([r, d], ignore_index=True)


def _rates(ds, v: pd.DataFrame, codes: list[str], years: list[int], reason: str | None) -> pd.DataFrame:
    specs = _rate_specs(ds)
    cols = ["code", "label", "year", *codes, "numerator", "denominator", "combined", "basis"]
    cube = {c: v[v["data_element"] == c].pivot_table(index="year", columns="unit_code", values="value",
                                                     aggfunc="first").reindex(index=years, columns=codes)
            for c in set(specs["numerator"]) | set(specs["denominator"])}
    rows = []
    for s in specs.itertuples(index=False):
        num, den = cube[s.numerator].to_numpy(dtype=float), cube[s.denominator].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            each = np.where(den > 0, float(s.scale) * num / den, np.nan)
        for i, y in enumerate(years):
            if codes and np.isnan(num[i]).all() and np.isnan(den[i]).all():
                continue
            both = ~np.isnan(num[i]) & ~np.isnan(den[i])
            basis = reason or ("sum" if codes and both.all() else "value_missing")
            n_sum, d_sum = (num[i].sum(), den[i].sum()) if basis == "sum" else (np.nan, np.nan)
            rate = float(s.scale) * n_sum / d_sum if basis == "sum" and d_sum > 0 else np.nan
            rows.append({"code": s.code, "label": s.label, "year": y, **dict(zip(codes, each[i])),
                         "numerator": n_sum, "denominator": d_sum, "combined": rate, "basis": basis})
    return pd.DataFrame(rows, columns=cols)


def _criteria(ds, codes: list[str], years: list[int]) -> pd.DataFrame:
    st = ds.criteria_status[ds.criteria_status["unit_code"].astype(str).isin(codes)].copy()
    st["unit_code"] = st["unit_code"].astype(str)
    crits = sorted(set(ds.criteria["criterion_no"].astype(int)))
    grid = pd.DataFrame({"criterion_no": crits}).merge(pd.DataFrame({"year": years}), how="cross")
    if st.empty:
        for c in codes:
            grid[c] = None
        return grid
    st["criterion_no"] = st["criterion_no"].astype(int)
    w = st.pivot_table(index=["criterion_no", "year"], columns="unit_code", values="status", aggfunc="first")
    w = w.reindex(columns=codes)
    w.columns = list(w.columns)
    out = grid.merge(w.reset_index(), on=["criterion_no", "year"], how="left")
    return out.astype({c: object for c in codes}).where(out.notna(), None)
