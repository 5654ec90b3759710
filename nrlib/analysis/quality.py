"""Data quality: completeness, timeliness, outliers, year-over-year jumps, one table of flags.

DHIS2-style checks that *flag* values for a person to look at; none of them
rejects or changes data. Thresholds come from ``ds.outline.checks``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from nrlib.analysis.campaign import metric_cube, typed_metrics_by_unit
from nrlib.analysis.results import criteria_grid, unit_positions
from nrlib.analysis.thresholds import declared_vs_measured, indicator_cube
from nrlib.analysis.timeliness import timeliness
from nrlib.core import checks, labels
from nrlib.core.memo import memo, outline_table
from nrlib.core.vnformat import fmt_number
from nrlib.reference.district_settings import DayCount, day_count


def completeness(ds, cache: dict | None = None) -> pd.DataFrame:
    """How many of the cells the outline expects each unit filled, per sheet.

    Method: expected cells come from the outline, for every expected unit
    (a unit that sent nothing has 0 filled cells):

    * ``VanDong``: every metric the unit's workbook had a row for (those of the outline version it
      followed, :func:`nrlib.analysis.campaign.typed_metrics_by_unit`; a unit that sent nothing: the
      outline's) × every year of the period; a total nrlib computes is not a cell;
    * ``ChiTieu``: every typed indicator × every year in which the NTM
      criteria apply to the unit (the indicators belong to those criteria,
      so a town is not expected to fill them for its town years);
    * ``TieuChi``: every criterion × every year in which the NTM criteria
      apply (a blank status is unfilled).

    Returns
    -------
    DataFrame
        ``unit_code, sheet, expected_cells, filled_cells, completeness``
        (percent 0-100; NA when nothing is expected), by unit (``ds.units``
        order) and sheet.
    """
    g = criteria_grid(ds, cache)
    cube = metric_cube(ds, cache)
    units = g.unit_codes
    nu = len(units)
    n_app_years = g.ntm.sum(axis=1)

    typed_of = typed_metrics_by_unit(ds)
    col = {c: i for i, c in enumerate(cube.metrics["code"])}
    asked = np.zeros((nu, cube.data.shape[2]), dtype=bool)
    for i, code in enumerate(cube.unit_codes):
        asked[i, [col[c] for c in typed_of.get(code, ()) if c in col]] = True
    vd_filled = ((~np.isnan(cube.data)) & asked[:, None, :]).sum(axis=(1, 2))
    vd_expected = asked.sum(axis=1) * cube.data.shape[1]

    typed = outline_table(ds, cache, "typed_indicators")["indicator_code"].unique()
    v = ds.values[ds.values["data_element"].isin(typed)]
    v = v[pd.to_numeric(v["value"], errors="coerce").notna()]
    ui = unit_positions(ds, v["unit_code"])
    yi = pd.Index(g.years).get_indexer(v["year"].astype(int))
    ok = (ui >= 0) & (yi >= 0)
    ok[ok] = g.ntm[ui[ok], yi[ok]]
    ct_filled = np.bincount(ui[ok], minlength=nu)

    nc = g.status.shape[2]
    tc_filled = (pd.notna(g.declared) & g.ntm[:, :, None]).sum(axis=(1, 2))

    out = pd.DataFrame({
        "unit_code": np.tile(units, 3),
        "sheet": np.repeat(np.array(["ChiTieu", "TieuChi", "VanDong"], dtype=object), nu),
        "expected_cells": np.concatenate([n_app_years * len(typed), n_app_years * nc,
                                          vd_expected]).astype(int),
        "filled_cells": np.concatenate([ct_filled, tc_filled, vd_filled]).astype(int),
    })
    exp = out["expected_cells"].where(out["expected_cells"] > 0)
    out["completeness"] = 100.0 * out["filled_cells"] / exp
    order = np.lexsort((np.repeat(np.arange(3), nu), np.tile(np.arange(nu), 3)))
    return out.iloc[order].reset_index(drop=True)


def timeliness_table(ds, cache: dict | None = None, count: DayCount | None = None) -> pd.DataFrame:
    """Timeliness of each expected unit (:func:`nrlib.analysis.timeliness.timeliness` on the dataset), days late
    counted as ``count`` says, by default as the district's settings say
    (:func:`nrlib.reference.district_settings.day_count`)."""
    count = day_count() if count is None else count
    return memo(cache, ds, ("timeliness", count.key),
                lambda: timeliness(ds.units, ds.submissions, ds.deadline, count))


def comparable_cube(ds, cache: dict | None = None) -> dict:
    """The values the outlier check compares: every VanDong metric and typed ChiTieu indicator, made
    comparable across units of different size by the outline's comparison basis
    (:attr:`nrlib.reference.outline.Outline.comparison_basis`, the basis ingest uses too).

    Returns a dict of arrays: ``unit_codes``, ``years``, ``codes`` (metrics then typed indicators),
    ``basis`` per code (``raw``, ``per_household`` or ``share_of_<code>``), ``values`` and
    ``comparable`` (units, years, codes; NaN where blank or where the whole is missing or zero).
    """
    return memo(cache, ds, "comparable_cube", lambda: _comparable(ds, metric_cube(ds, cache), indicator_cube(ds, cache)))


def _comparable(ds, cube, ind) -> dict:
    basis_of = ds.outline.comparison_basis
    typed = ind["origin"] == "typed"
    codes = np.concatenate([cube.metrics["code"].to_numpy(dtype=object), ind["codes"][typed]])
    values = np.concatenate([cube.data, ind["data"][:, :, typed]], axis=2)
    comp = values.copy()
    basis = np.empty(len(codes), dtype=object)
    for k, code in enumerate(codes):
        kind, whole = ds.outline.comparison_kind(code), basis_of.get(code)
        basis[k] = f"share_of_{whole}" if kind == "share" else kind
        if whole is not None:
            comp[:, :, k] = checks.derived_value(values[:, :, k], cube.get(whole), 1.0)
    return {"unit_codes": cube.unit_codes, "years": cube.years, "codes": codes, "basis": basis, "values": values,
            "comparable": comp}


OUTLIER_COLUMNS = ["unit_code", "year", "data_element", "value", "basis", "normalised", "median", "mad", "robust_z",
                   "n_units", "z_threshold"]


def outliers(ds, z: float | None = None, cache: dict | None = None) -> pd.DataFrame:
    """Values far from the same cell of the other units of their district.

    Method: :func:`nrlib.core.checks.outlier_scores` (a robust z-score of
    the logarithms against the other units, MAD floored; the method and why
    in that module) on :func:`comparable_cube`, district by district, with
    the outline's settings (``checks.outlier_robust_z``, ``outlier_min_units``,
    ``outlier_mad_floor``): the same function, values and peers as the check
    at ingest, so the unit received last got at ingest exactly these flags.
    ``z`` replaces the outline's threshold.

    Returns
    -------
    DataFrame
        Flagged values only: ``unit_code, year, data_element, value, basis,
        normalised`` (the comparable value), ``median`` (the other units'
        median, same scale), ``mad`` (of the logarithms, floored),
        ``robust_z, n_units`` (other units with a value), ``z_threshold``;
        largest ``|robust_z|`` first.
    """
    rule = checks.OutlierRule.from_checks(ds.outline.checks)
    if z is not None:
        rule = dataclasses.replace(rule, z=float(z))
    if rule.z is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in OUTLIER_COLUMNS})
    cube = comparable_cube(ds, cache)
    x = cube["comparable"]
    nu, ny, nc = x.shape
    flat = x.reshape(nu, ny * nc)
    frames = []
    districts = ds.units["district_code"].astype(str).to_numpy() if "district_code" in ds.units.columns \
        else np.zeros(nu, dtype=object)
    for district in pd.unique(districts):
        rows = np.flatnonzero(districts == district)
        s = checks.outlier_scores(flat[rows], rule)
        ri, ci = np.nonzero(s.flagged)
        if not len(ri):
            continue
        yi, ki = np.divmod(ci, nc)
        u = rows[ri]
        frames.append(pd.DataFrame({
            "unit_code": cube["unit_codes"][u], "year": cube["years"][yi], "data_element": cube["codes"][ki],
            "value": cube["values"][u, yi, ki], "basis": cube["basis"][ki], "normalised": x[u, yi, ki],
            "median": s.median[ri, ci], "mad": s.mad[ri, ci], "robust_z": s.z[ri, ci],
            "n_units": s.n_peers[ri, ci], "z_threshold": rule.z}))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in OUTLIER_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    order = np.lexsort((out["unit_code"].to_numpy(dtype=str), -np.abs(out["robust_z"].to_numpy())))
    return out.iloc[order][OUTLIER_COLUMNS].reset_index(drop=True)


def yoy_flags(ds, cache: dict | None = None) -> pd.DataFrame:
    """Year-over-year jumps of a unit's own values beyond the outline's band.

    Method: :func:`nrlib.core.checks.yoy_changes` (each value against the
    unit's previous year that has a value, ``change = value / previous − 1``;
    no change from a previous value ≤ 0) for every metric and typed
    indicator with a band (:func:`nrlib.core.checks.yoy_bands` of
    ``outline.checks['yoy_band']``), flagged when ``|change| > band``: the
    check ingest runs on each workbook.

    Returns
    -------
    DataFrame
        Flagged values only: ``unit_code, year, data_element, value,
        previous_year, previous_value, change, band``, by element (outline
        order), unit and year.
    """
    cube = comparable_cube(ds, cache)
    bands = checks.yoy_bands(ds.outline.checks, list(cube["codes"]))
    frames = []
    for k, code in enumerate(cube["codes"]):
        if code not in bands:
            continue
        x = cube["values"][:, :, k]
        change, previous = checks.yoy_changes(x)
        ui, yi = np.nonzero(np.abs(np.nan_to_num(change)) > bands[code])
        if len(ui):
            pi = previous[ui, yi]
            frames.append(pd.DataFrame({
                "unit_code": cube["unit_codes"][ui], "year": cube["years"][yi], "data_element": code,
                "value": x[ui, yi], "previous_year": cube["years"][pi], "previous_value": x[ui, pi],
                "change": change[ui, yi], "band": bands[code]}))
    cols = ["unit_code", "year", "data_element", "value", "previous_year", "previous_value", "change", "band"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return pd.concat(frames, ignore_index=True)[cols]


FLAG_COLUMNS = ["unit_code", "year", "data_element", "value", "flag", "reason", "score"]


def _unit_text(unit: str) -> str:
    return "" if unit in (None, "") or pd.isna(unit) else f" {unit}"


def quality_flags(ds, z: float | None = None, cache: dict | None = None) -> pd.DataFrame:
    """All flagged values in one table, each with its reason in Vietnamese.

    Method: the union of :func:`outliers` (flag ``outlier``), :func:`yoy_flags`
    (``yoy``) and :func:`nrlib.analysis.thresholds.declared_vs_measured`
    (``declared_vs_measured``, only when ``outline.checks`` enables it).
    ``score`` says how far past its own threshold a value is, so flags of
    different kinds sort together (every flag has score ≥ 1): ``|z| /
    z_threshold``, ``|change| / band``, and ``1 + |gap| / |level|``.

    Returns
    -------
    DataFrame
        ``unit_code, year, data_element, value, flag, reason, score``,
        highest score first.
    """
    return memo(cache, ds, ("quality_flags", z), lambda: _flags(ds, z, cache))


def _flags(ds, z: float | None, cache: dict | None) -> pd.DataFrame:
    outline = ds.outline
    indicator_units = ds.criteria.drop_duplicates("indicator_code").set_index("indicator_code")["unit"]
    frames = []

    o = outliers(ds, z=z, cache=cache)
    if len(o):
        elements = pd.unique(o["data_element"])
        what = {el: outline.element_label(el) for el in elements}
        display = {el: outline.comparison_display(el, indicator_units.get(el)) for el in elements}
        reasons = [labels.problem_message("W_OUTLIER", **labels.outlier_params(
            what=what[el], year=int(yr), value=float(x), median=float(md), n=int(n), z=float(zz), display=display[el]))
            for el, yr, x, md, n, zz in zip(o["data_element"], o["year"], o["normalised"], o["median"], o["n_units"],
                                            o["robust_z"])]
        frames.append(pd.DataFrame({"unit_code": o["unit_code"], "year": o["year"], "data_element": o["data_element"],
                                    "value": o["value"], "flag": "outlier", "reason": reasons,
                                    "score": o["robust_z"].abs() / o["z_threshold"]}))

    y = yoy_flags(ds, cache)
    if len(y):
        what = {el: outline.element_label(el) for el in pd.unique(y["data_element"])}
        reasons = [labels.problem_message("W_YOY_JUMP", **labels.yoy_params(
            what=what[el], year=int(yr), prev_year=int(py), change=float(ch),
            prev=fmt_number(pv, 6, trim=True), value=fmt_number(val, 6, trim=True), band=float(b)))
            for el, yr, val, ch, py, pv, b in zip(y["data_element"], y["year"], y["value"], y["change"],
                                                  y["previous_year"], y["previous_value"], y["band"])]
        frames.append(pd.DataFrame({"unit_code": y["unit_code"], "year": y["year"], "data_element": y["data_element"],
                                    "value": y["value"], "flag": "yoy", "reason": reasons,
                                    "score": y["change"].abs() / y["band"]}))

    if outline.checks.get("declared_vs_measured", True):
        d = declared_vs_measured(ds, cache)
        if len(d):
            declared = outline.choice_label("criterion_status", "reached")
            reasons = [labels.problem_message("W_DECLARED_VS_MEASURED", **labels.declared_vs_measured_params(
                criterion_no=int(cn), year=int(yr), declared=declared, indicator_code=ic, value=float(val),
                unit=indicator_units.get(ic, ""), comparison=cmp_, level=float(lv), derived=org == "derived"))
                for cn, yr, ic, val, cmp_, lv, org in zip(d["criterion_no"], d["year"], d["indicator_code"],
                                                          d["value"], d["comparison"], d["level"], d["origin"])]
            lvl = d["level"].abs().where(d["level"] != 0)
            frames.append(pd.DataFrame({"unit_code": d["unit_code"], "year": d["year"],
                                        "data_element": d["indicator_code"], "value": d["value"],
                                        "flag": "declared_vs_measured", "reason": reasons,
                                        "score": 1 + (d["gap"].abs() / lvl).fillna(0)}))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FLAG_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out.sort_values(["score", "unit_code"], ascending=[False, True], ignore_index=True)[FLAG_COLUMNS]
