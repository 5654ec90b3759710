"""Data quality: completeness, timeliness, outliers, year-over-year jumps, one table of flags.

DHIS2-style checks that *flag* values for a person to look at; none of them
rejects or changes data. Thresholds come from ``ds.outline.checks``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from nrlib.core.memo import memo, outline_table
from nrlib.analysis.campaign import household_code, metric_cube
from nrlib.analysis.results import criteria_grid, unit_positions
from nrlib.analysis.thresholds import declared_vs_measured
from nrlib.analysis.timeliness import timeliness
from nrlib.core.vnformat import fmt_number, fmt_percent

#: robust z-scores need a few units; below this many, no outlier is flagged
MIN_UNITS_FOR_OUTLIERS = 5
_MAD_TO_SD = 0.6745


def completeness(ds, cache: dict | None = None) -> pd.DataFrame:
    """How many of the cells the outline expects each unit filled, per sheet.

    Method: expected cells come from the outline, for every expected unit
    (a unit that sent nothing has 0 filled cells):

    * ``VanDong``: every metric × every year of the period;
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

    vd_filled = (~np.isnan(cube.data)).sum(axis=(1, 2))

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
                                          np.full(nu, cube.data.shape[1] * cube.data.shape[2])]).astype(int),
        "filled_cells": np.concatenate([ct_filled, tc_filled, vd_filled]).astype(int),
    })
    exp = out["expected_cells"].where(out["expected_cells"] > 0)
    out["completeness"] = 100.0 * out["filled_cells"] / exp
    order = np.lexsort((np.repeat(np.arange(3), nu), np.tile(np.arange(nu), 3)))
    return out.iloc[order].reset_index(drop=True)


def timeliness_table(ds, cache: dict | None = None) -> pd.DataFrame:
    """Timeliness of each expected unit (:func:`nrlib.analysis.timeliness.timeliness` on the dataset)."""
    return memo(cache, ds, "timeliness", lambda: timeliness(ds.units, ds.submissions, ds.deadline))


def normalised_values(ds, cache: dict | None = None) -> pd.DataFrame:
    """Campaign values put on a scale comparable across units of different size.

    Method: a metric bounded by another (``le_metric``, e.g. poor households
    ≤ households, cultural hamlets ≤ hamlets) is divided by that metric's
    value the same year (``basis`` = ``share_of_<code>``); the household total
    itself is left as is (``raw``); every other metric is divided by the
    unit's households that year (``per_household``).

    Returns
    -------
    DataFrame
        ``unit_code, year, code, value, basis, normalised`` (NA where the
        divisor is missing or zero).
    """
    cube = normalised_cube(ds, cache)
    nu, ny, nm = cube["normalised"].shape
    values = metric_cube(ds, cache).data
    keep = ~np.isnan(values).ravel()
    out = pd.DataFrame({
        "unit_code": np.repeat(cube["unit_codes"], ny * nm),
        "year": np.tile(np.repeat(cube["years"], nm), nu),
        "code": np.tile(cube["codes"], nu * ny),
        "value": values.ravel(),
        "basis": np.tile(cube["basis"], nu * ny),
        "normalised": cube["normalised"].ravel(),
    })
    return out[keep].reset_index(drop=True)


def normalised_cube(ds, cache: dict | None = None) -> dict:
    """The arrays behind :func:`normalised_values`: ``normalised`` (units, years, metrics), ``basis`` per metric."""
    return memo(cache, ds, "normalised_cube", lambda: _normalised(metric_cube(ds, cache), household_code(ds, cache)))


def _normalised(cube, hh: str) -> dict:
    m = cube.metrics
    divisor = m["le_metric"].where(m["le_metric"].notna(), hh).to_numpy(dtype=object)
    divisor[(m["code"] == hh).to_numpy()] = None
    basis = np.array(["raw" if d is None else "per_household" if d == hh else f"share_of_{d}" for d in divisor],
                     dtype=object)
    norm = np.full(cube.data.shape, np.nan)
    for k, d in enumerate(divisor):
        x = cube.data[:, :, k]
        if d is None:
            norm[:, :, k] = x
        else:
            den = cube.get(d)
            with np.errstate(divide="ignore", invalid="ignore"):
                norm[:, :, k] = np.where(den > 0, x / den, np.nan)
    return {"unit_codes": cube.unit_codes, "years": cube.years, "codes": m["code"].to_numpy(dtype=object),
            "basis": basis, "normalised": norm}


def outliers(ds, z: float | None = None, min_units: int = MIN_UNITS_FOR_OUTLIERS,
             cache: dict | None = None) -> pd.DataFrame:
    """Values far from those of the other units, by a robust z-score.

    Method: per metric and year, across all units of the dataset with a
    value, on the size-normalised value (:func:`normalised_values`; the
    household total itself, the unit's size, is not checked here but by
    :func:`yoy_flags`),
    ``robust_z = 0.6745 × (x − median) / MAD`` where MAD is the median absolute
    deviation (Iglewicz and Hoaglin). A value is flagged when
    ``|robust_z| > z`` (default ``outline.checks['outlier_robust_z']``). No
    flag is raised where fewer than ``min_units`` units have a value, or
    where MAD is 0 (most units equal: the score is undefined).

    Returns
    -------
    DataFrame
        Flagged values only: ``unit_code, year, data_element, value, basis,
        normalised, median, mad, robust_z, n_units, z_threshold``, largest
        ``|robust_z|`` first.
    """
    z = float(ds.outline.checks.get("outlier_robust_z", 3.5)) if z is None else float(z)
    cube = normalised_cube(ds, cache)
    x = cube["normalised"].copy()
    # the household total is the unit's size, not a figure that can be "far from the others"
    x[:, :, cube["basis"] == "raw"] = np.nan
    n_units = (~np.isnan(x)).sum(axis=0)                                   # years, metrics
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)                   # all-NaN slices
        median = np.nanmedian(x, axis=0)
        mad = np.nanmedian(np.abs(x - median[None]), axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rz = np.where(mad[None] > 0, _MAD_TO_SD * (x - median[None]) / mad[None], np.nan)
    flag = (np.abs(rz) > z) & (n_units[None] >= min_units)
    ui, yi, ci = np.nonzero(flag)
    values = metric_cube(ds, cache).data
    out = pd.DataFrame({
        "unit_code": cube["unit_codes"][ui], "year": cube["years"][yi], "data_element": cube["codes"][ci],
        "value": values[ui, yi, ci], "basis": cube["basis"][ci], "normalised": x[ui, yi, ci],
        "median": median[yi, ci], "mad": mad[yi, ci], "robust_z": rz[ui, yi, ci], "n_units": n_units[yi, ci],
        "z_threshold": z,
    })
    order = np.lexsort((out["unit_code"].to_numpy(dtype=str), -np.abs(out["robust_z"].to_numpy())))
    return out.iloc[order].reset_index(drop=True)


def yoy_flags(ds, cache: dict | None = None) -> pd.DataFrame:
    """Year-over-year jumps of a unit's own values beyond the outline's band.

    Method: for each metric with a band in ``outline.checks['yoy_band']``
    (its own entry, else ``default``; null means no check), each value is
    compared with the unit's previous year that has a value:
    ``change = value / previous − 1``; flagged when ``|change| > band``. A
    previous value of 0 gives no relative change and no flag.

    Returns
    -------
    DataFrame
        Flagged values only: ``unit_code, year, data_element, value,
        previous_year, previous_value, change, band``, by metric, unit and
        year.
    """
    bands = dict(ds.outline.checks.get("yoy_band") or {})
    default = bands.pop("default", None)
    cube = metric_cube(ds, cache)
    frames = []
    for code in cube.metrics["code"]:
        band = pd.to_numeric(pd.Series([bands.get(code, default)]), errors="coerce").iloc[0]
        if pd.isna(band):
            continue
        x = cube.get(code)
        prev_v = np.full(x.shape[0], np.nan)
        prev_y = np.full(x.shape[0], -1)
        for y in range(x.shape[1]):
            cur = x[:, y]
            with np.errstate(divide="ignore", invalid="ignore"):
                change = np.where(prev_v != 0, cur / prev_v - 1, np.nan)
            hit = np.flatnonzero(np.abs(change) > band)
            if len(hit):
                frames.append(pd.DataFrame({
                    "unit_code": cube.unit_codes[hit], "year": int(cube.years[y]), "data_element": code,
                    "value": cur[hit], "previous_year": cube.years[prev_y[hit]], "previous_value": prev_v[hit],
                    "change": change[hit], "band": float(band)}))
            has = ~np.isnan(cur)
            prev_v = np.where(has, cur, prev_v)
            prev_y = np.where(has, y, prev_y)
    cols = ["unit_code", "year", "data_element", "value", "previous_year", "previous_value", "change", "band"]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out = pd.concat(frames, ignore_index=True)
    pos = pd.Index(cube.unit_codes).get_indexer(out["unit_code"])
    order = np.lexsort((out["year"].to_numpy(), pos, out["data_element"].to_numpy(dtype=str)))
    return out.iloc[order][cols].reset_index(drop=True)


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
    z = float(ds.outline.checks.get("outlier_robust_z", 3.5)) if z is None else float(z)
    return memo(cache, ds, ("quality_flags", z), lambda: _flags(ds, z, cache))


def _flags(ds, z: float, cache: dict | None) -> pd.DataFrame:
    labels = outline_table(ds, cache, "metrics").set_index("code")[["label", "unit"]]
    frames = []

    o = outliers(ds, z=z, cache=cache)
    if len(o):
        lab = o["data_element"].map(labels["label"])
        unit = o["data_element"].map(labels["unit"])
        basis = {"per_household": "tính trên mỗi hộ", "raw": "giá trị"}
        basis.update({f"share_of_{c}": f"tỷ lệ so với {lb[0].lower() + lb[1:]}" for c, lb in labels["label"].items()})
        reasons = [
            f"Năm {yr} – {lb}: {fmt_number(val, 2, trim=True)}{_unit_text(un)}"
            f" ({basis.get(b, b)}: {fmt_number(x, 4, trim=True)})"
            f" khác xa mức chung của {n} đơn vị (trung vị {fmt_number(md, 4, trim=True)});"
            f" điểm z bền vững {fmt_number(zz, 1)}, vượt ngưỡng {fmt_number(t, 1, trim=True)}"
            for lb, yr, val, un, b, x, n, md, zz, t in zip(lab, o["year"], o["value"], unit, o["basis"],
                                                          o["normalised"], o["n_units"], o["median"],
                                                          o["robust_z"], o["z_threshold"])]
        frames.append(pd.DataFrame({"unit_code": o["unit_code"], "year": o["year"], "data_element": o["data_element"],
                                    "value": o["value"], "flag": "outlier", "reason": reasons,
                                    "score": o["robust_z"].abs() / o["z_threshold"]}))

    y = yoy_flags(ds, cache)
    if len(y):
        lab = y["data_element"].map(labels["label"])
        unit = y["data_element"].map(labels["unit"])
        reasons = [
            f"Năm {yr} – {lb}: {fmt_number(val, 2, trim=True)}{_unit_text(un)}, "
            f"{'tăng' if ch > 0 else 'giảm'} {fmt_percent(abs(ch) * 100, 1)} so với năm {py}"
            f" ({fmt_number(pv, 2, trim=True)}{_unit_text(un)}), vượt biên độ ±{fmt_percent(b * 100, 0)}"
            for lb, yr, val, un, ch, py, pv, b in zip(lab, y["year"], y["value"], unit, y["change"],
                                                      y["previous_year"], y["previous_value"], y["band"])]
        frames.append(pd.DataFrame({"unit_code": y["unit_code"], "year": y["year"], "data_element": y["data_element"],
                                    "value": y["value"], "flag": "yoy", "reason": reasons,
                                    "score": y["change"].abs() / y["band"]}))

    if ds.outline.checks.get("declared_vs_measured", True):
        d = declared_vs_measured(ds, cache)
        if len(d):
            ind = ds.criteria.drop_duplicates("indicator_code").set_index("indicator_code")
            unit = d["indicator_code"].map(ind["unit"])
            reasons = [
                f"Tiêu chí {cn} được tự đánh giá Đạt năm {yr}, nhưng chỉ tiêu {ic} là "
                f"{fmt_number(val, 2, trim=True)}{_unit_text(un)}, chưa đạt mức {cmp_} "
                f"{fmt_number(lv, 2, trim=True)}{_unit_text(un)}"
                + (" (giá trị tính từ số liệu Cuộc vận động)" if org == "derived" else "")
                for cn, yr, ic, val, un, cmp_, lv, org in zip(d["criterion_no"], d["year"], d["indicator_code"],
                                                             d["value"], unit, d["comparison"], d["level"],
                                                             d["origin"])]
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
