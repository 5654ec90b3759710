"""Data quality: completeness, timeliness, outliers, year-over-year jumps, one table of flags.

DHIS2-style checks that *flag* values for a person to look at; none of them
rejects or changes data. Thresholds come from ``ds.outline.checks``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .campaign import campaign_values, household_metric
from .results import criteria_matrix
from .thresholds import declared_vs_measured
from .timeliness import timeliness
from .vnformat import fmt_number, fmt_percent

#: robust z-scores need a few units; below this many, no outlier is flagged
MIN_UNITS_FOR_OUTLIERS = 5
_MAD_TO_SD = 0.6745


def completeness(ds, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
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
        (percent 0-100; NA when nothing is expected).
    """
    years = ds.outline.years
    units = ds.units[["unit_code"]]
    uy = ds.unit_years[["unit_code", "year", "ntm_applies"]].astype({"year": int})
    uy = uy[uy["year"].isin(years)]
    n_app_years = uy[uy["ntm_applies"].astype(bool)].groupby("unit_code").size()

    metrics = set(ds.outline.metrics["code"])
    cv = campaign_values(ds)
    cv = cv[cv["year"].isin(years) & cv["code"].isin(metrics)]
    vd = units.assign(sheet="VanDong", expected_cells=len(metrics) * len(years),
                      filled_cells=units["unit_code"].map(cv.groupby("unit_code").size()))

    typed = set(ds.outline.typed_indicators["indicator_code"])
    v = ds.values[ds.values["data_element"].astype(str).isin(typed)]
    v = v[pd.to_numeric(v["value"], errors="coerce").notna()][["unit_code", "year", "data_element"]]
    v = v.astype({"year": int}).drop_duplicates()
    v = v.merge(uy[uy["ntm_applies"].astype(bool)][["unit_code", "year"]], on=["unit_code", "year"])
    ct = units.assign(sheet="ChiTieu",
                      expected_cells=units["unit_code"].map(n_app_years).fillna(0).astype(int) * len(typed),
                      filled_cells=units["unit_code"].map(v.groupby("unit_code").size()))

    matrix = criteria_matrix(ds) if matrix is None else matrix
    app = matrix[matrix["ntm_applies"]]
    tc = app.assign(_f=app["declared_status"].notna()).groupby("unit_code").agg(
        expected_cells=("_f", "size"), filled_cells=("_f", "sum"))
    tcu = units.assign(sheet="TieuChi",
                       expected_cells=units["unit_code"].map(tc["expected_cells"]).fillna(0).astype(int),
                       filled_cells=units["unit_code"].map(tc["filled_cells"]))

    out = pd.concat([vd, ct, tcu], ignore_index=True)
    out["filled_cells"] = out["filled_cells"].fillna(0).astype(int)
    out["expected_cells"] = out["expected_cells"].astype(int)
    exp = out["expected_cells"].where(out["expected_cells"] > 0)
    out["completeness"] = 100.0 * out["filled_cells"] / exp
    return out.sort_values(["unit_code", "sheet"], ignore_index=True)


def timeliness_table(ds) -> pd.DataFrame:
    """Timeliness of each expected unit (:func:`nrlib.timeliness.timeliness` on the dataset)."""
    return timeliness(ds.units, ds.submissions, ds.deadline)


def normalised_values(ds, values: pd.DataFrame | None = None) -> pd.DataFrame:
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
    v = campaign_values(ds) if values is None else values
    m = ds.outline.metrics[["code", "le_metric"]]
    hh = household_metric(ds.outline)
    m = m.assign(divisor=m["le_metric"].where(m["le_metric"].notna(), hh))
    m.loc[m["code"] == hh, "divisor"] = None
    out = v.merge(m[["code", "divisor"]], on="code", how="left")
    div = v.rename(columns={"code": "divisor", "value": "_div"})
    out = out.merge(div, on=["unit_code", "year", "divisor"], how="left")
    out["basis"] = np.where(out["divisor"].isna(), "raw",
                            np.where(out["divisor"] == hh, "per_household", "share_of_" + out["divisor"].astype(str)))
    d = out["_div"].where(out["_div"] > 0)
    out["normalised"] = np.where(out["divisor"].isna(), out["value"], out["value"] / d)
    return out[["unit_code", "year", "code", "value", "basis", "normalised"]]


def outliers(ds, z: float | None = None, values: pd.DataFrame | None = None,
             min_units: int = MIN_UNITS_FOR_OUTLIERS) -> pd.DataFrame:
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
    nv = normalised_values(ds, values)
    # the household total is the unit's size, not a figure that can be "far from the others"
    nv = nv[nv["normalised"].notna() & (nv["basis"] != "raw")].copy()
    g = nv.groupby(["code", "year"])["normalised"]
    nv["median"] = g.transform("median")
    nv["_dev"] = (nv["normalised"] - nv["median"]).abs()
    nv["mad"] = nv.groupby(["code", "year"])["_dev"].transform("median")
    nv["n_units"] = g.transform("size")
    mad = nv["mad"].where(nv["mad"] > 0)
    nv["robust_z"] = _MAD_TO_SD * (nv["normalised"] - nv["median"]) / mad
    flag = (nv["robust_z"].abs() > z) & (nv["n_units"] >= min_units)
    out = nv[flag].rename(columns={"code": "data_element"})
    out = out.assign(z_threshold=z, _a=out["robust_z"].abs()).sort_values(["_a", "unit_code"], ascending=[False, True])
    return out[["unit_code", "year", "data_element", "value", "basis", "normalised", "median", "mad", "robust_z",
                "n_units", "z_threshold"]].reset_index(drop=True)


def yoy_flags(ds, values: pd.DataFrame | None = None) -> pd.DataFrame:
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
        previous_year, previous_value, change, band``.
    """
    bands = dict(ds.outline.checks.get("yoy_band") or {})
    default = bands.pop("default", None)
    codes = ds.outline.metrics["code"]
    band = codes.map(lambda c: bands.get(c, default))
    band = pd.Series(pd.to_numeric(band, errors="coerce").to_numpy(), index=codes.to_numpy()).dropna()
    cols = ["unit_code", "year", "data_element", "value", "previous_year", "previous_value", "change", "band"]
    if band.empty:
        return pd.DataFrame(columns=cols)
    v = campaign_values(ds) if values is None else values
    v = v[v["code"].isin(band.index)].sort_values(["unit_code", "code", "year"])
    g = v.groupby(["unit_code", "code"], sort=False)
    v = v.assign(previous_year=g["year"].shift(), previous_value=g["value"].shift(), band=v["code"].map(band))
    prev = v["previous_value"].where(v["previous_value"] != 0)
    v["change"] = v["value"] / prev - 1
    out = v[v["change"].abs() > v["band"]].rename(columns={"code": "data_element"})
    out = out.assign(previous_year=out["previous_year"].astype(int))
    return out[cols].reset_index(drop=True)


FLAG_COLUMNS = ["unit_code", "year", "data_element", "value", "flag", "reason", "score"]


def _unit_text(unit: str) -> str:
    return "" if unit in (None, "") or pd.isna(unit) else f" {unit}"


def quality_flags(ds, z: float | None = None, values: pd.DataFrame | None = None,
                  dvm: pd.DataFrame | None = None) -> pd.DataFrame:
    """All flagged values in one table, each with its reason in Vietnamese.

    Method: the union of :func:`outliers` (flag ``outlier``), :func:`yoy_flags`
    (``yoy``) and :func:`nrlib.thresholds.declared_vs_measured`
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
    values = campaign_values(ds) if values is None else values
    labels = ds.outline.metrics.set_index("code")[["label", "unit"]]
    frames = []

    o = outliers(ds, z=z, values=values)
    if len(o):
        lab = o["data_element"].map(labels["label"])
        unit = o["data_element"].map(labels["unit"])
        basis = {"per_household": "tính trên mỗi hộ", "raw": "giá trị"}
        reasons = [
            f"Năm {yr} – {lb}: {fmt_number(val, 2, trim=True)}{_unit_text(un)}"
            f" ({basis.get(b, 'tỷ lệ so với ' + b.removeprefix('share_of_'))}: {fmt_number(x, 4, trim=True)})"
            f" khác xa mức chung của {n} đơn vị (trung vị {fmt_number(md, 4, trim=True)});"
            f" điểm z bền vững {fmt_number(zz, 1)}, vượt ngưỡng {fmt_number(t, 1, trim=True)}"
            for lb, yr, val, un, b, x, n, md, zz, t in zip(lab, o["year"], o["value"], unit, o["basis"],
                                                          o["normalised"], o["n_units"], o["median"],
                                                          o["robust_z"], o["z_threshold"])]
        frames.append(pd.DataFrame({"unit_code": o["unit_code"], "year": o["year"], "data_element": o["data_element"],
                                    "value": o["value"], "flag": "outlier", "reason": reasons,
                                    "score": o["robust_z"].abs() / o["z_threshold"]}))

    y = yoy_flags(ds, values=values)
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
        d = declared_vs_measured(ds) if dvm is None else dvm
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
