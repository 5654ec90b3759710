"""Fixed-point scoring and classes: each xã, thị trấn judged on its own figures against the scoring table.

Method (the table is data: ``data/reference/scoring_2016_2020.yaml``, read by
:mod:`nrlib.reference.scoring`; its header describes every field):

1. **Units scored**: those with an accepted submission or any data
   (:func:`scored_units`); a unit that sent nothing is not scored.
2. **Measures** (:data:`MEASURES`): each rule measures one figure of the unit
   alone, so no other unit's figures move its points:

   ===========================  =============================================================
   ``rate_last``                an outline rate (:func:`nrlib.analysis.campaign.rates`) in
                                the last year
   ``rate_fall``                that rate in the first year minus the last (percentage points)
   ``per_household``            Σ flow metrics over the period ÷ households in the last year
                                × ``per`` (:func:`nrlib.analysis.campaign.per_household`)
   ``metric_total``             flows summed over the period, a stock's last-year value
   ``criteria_reached_share``   Σ criterion-years reached ÷ Σ criterion-years applicable, over
                                the years the new-rural criteria apply to the unit (a blank
                                status is applicable and not reached)
   ``criteria_losses``          criteria lost at least once (classes ``lost``,
                                ``lost_and_regained`` of
                                :func:`nrlib.analysis.maintenance.classify_maintenance`) ×
                                (period years − 1) ÷ (applicable years − 1); 0 with one
                                applicable year
   ``days_late``                days late of the first version
                                (:func:`nrlib.analysis.quality.timeliness_table`: calendar or
                                working days, as the district's settings say)
   ``completeness``             100 × Σ cells filled ÷ Σ cells expected, all sheets
                                (:func:`nrlib.analysis.quality.completeness`)
   ===========================  =============================================================

   The two criteria measures are per applicable year: a town judged on its 3
   xã years (thị trấn Dầu Giây from 2019) stands on the same footing as a xã
   on 5; the same performance each year gives the same points.
3. **Rule points** (:func:`points_of`): ``steps`` (the first step met),
   ``proportional`` (``max × share``), ``deduction`` (``max − per × value``,
   never below 0); a rule that applies but has no figure gets ``if_missing``
   (0 by default); a rule with ``applies: ntm_years`` does not apply to a unit
   with no year under the new-rural criteria.
4. **Content points** (điểm thẩm định): the sum of its rules, within 0 and the
   content's maximum; a content with no rule is scored by the council
   (``council``: blank here); one whose every rule does not apply is
   ``not_applicable``. The self-score (điểm tự chấm) is the value the unit
   typed in the outline's cell ``self_score`` (outline 2's sheet TuCham, in
   ``ds.info``; or a data element, its last year with one): NA and
   ``blank`` when the unit left it empty, NA and ``not_asked`` for a
   version 1 workbook, which has no such cell. It is shown beside the
   verified points, never used in them.
5. **Total and class**: ``points`` = Σ verified points; ``max_points`` = Σ
   maximum of the contents scored; ``score_100 = 100 × points ÷ max_points``,
   so units are compared on what applies to them; the class is the table's
   first class whose threshold ``score_100`` reaches. While a content waits
   for the council, the class is ``provisional``.

Results are in ``ds.units`` order (GSO code): classes, not ranks.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from nrlib.analysis.campaign import metric_cube, rates
from nrlib.analysis.maintenance import classify_maintenance
from nrlib.analysis.quality import completeness, timeliness_table
from nrlib.analysis.results import NOT_APPLICABLE, REACHED, criteria_grid
from nrlib.core import labels
from nrlib.core.memo import memo
from nrlib.core.vnformat import fmt_quantity
from nrlib.exceptions import ReferenceDataError
from nrlib.reference.district_settings import day_count
from nrlib.reference.scoring import Rule, ScoringTable, load_scoring_table

#: the status of a rule's or a content's points
STATUSES = ("scored", "no_data", "not_applicable", "council")

RULE_COLUMNS = ["unit_code", "name", "content_code", "rule_code", "rule_label", "measure", "value", "value_unit",
                "max_points", "points", "status"]
CONTENT_COLUMNS = ["unit_code", "name", "content_code", "content_name", "section", "max_points", "self_points",
                   "self_status", "verified_points", "status"]
UNIT_COLUMNS = ["unit_code", "name", "points", "max_points", "score_100", "class_code", "class_label", "provisional",
                "n_contents_scored", "n_contents_council", "n_contents_not_applicable", "self_points"]


def scored_units(ds, cache: dict | None = None) -> pd.Series:
    """Codes of the units that are scored: any accepted submission or any data in the dataset."""
    tl = timeliness_table(ds, cache)
    codes = ds.units["unit_code"]
    have = (codes.isin(tl.loc[tl["has_accepted"].astype(bool), "unit_code"])
            | codes.isin(ds.values["unit_code"].unique()) | codes.isin(ds.criteria_status["unit_code"].unique()))
    return codes[have]


# --------------------------------------------------------------------------- measures (one value per ds.units row)

def _rate(ds, cache, code: str, year: int) -> np.ndarray:
    r = rates(ds, by="unit", years=[year], cache=cache)
    if code not in set(ds.outline.rates["code"]):
        raise ReferenceDataError(f"bảng điểm: tỷ lệ {code!r} không có trong đề cương / unknown rate {code!r}")
    r = r[r["code"] == code].set_index("unit_code")["rate"]
    return ds.units["unit_code"].map(r).to_numpy(dtype=float)


def _metrics(ds, cache, codes) -> list[np.ndarray]:
    cube = metric_cube(ds, cache)
    known = set(cube.metrics["code"])
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ReferenceDataError(f"bảng điểm: chỉ tiêu {unknown} không có trong đề cương / unknown metrics {unknown}")
    kind = cube.metrics.set_index("code")["kind"]
    out = []
    for c in codes:
        d = cube.get(c)
        if kind[c] == "flow":
            out.append(np.where((~np.isnan(d)).any(axis=1), np.nansum(d, axis=1), np.nan))
        else:
            out.append(d[:, -1])
    return out


def _sum(parts: list[np.ndarray]) -> np.ndarray:
    """Sum over metrics, NaN only where every part is NaN (``min_count=1``)."""
    a = np.vstack(parts)
    return np.where(np.isnan(a).all(axis=0), np.nan, np.nansum(a, axis=0))


def _rate_last(ds, cache, m):
    return _rate(ds, cache, m["rate"], ds.outline.years[-1])


def _rate_fall(ds, cache, m):
    return _rate(ds, cache, m["rate"], ds.outline.years[0]) - _rate(ds, cache, m["rate"], ds.outline.years[-1])


def _per_household(ds, cache, m):
    total = _sum(_metrics(ds, cache, m["metrics"]))
    hh = metric_cube(ds, cache).get(ds.outline.household_metric)[:, -1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(hh > 0, float(m.get("per", 1)) * total / hh, np.nan)


def _metric_total(ds, cache, m):
    return _sum(_metrics(ds, cache, m["metrics"]))


def _criteria_reached_share(ds, cache, m):
    g = criteria_grid(ds, cache)
    applicable = (g.status != NOT_APPLICABLE).sum(axis=(1, 2))
    reached = (g.status == REACHED).sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(applicable > 0, reached / applicable, np.nan)


def _criteria_losses(ds, cache, m):
    g = criteria_grid(ds, cache)
    n_years = g.ntm.sum(axis=1)
    cls = classify_maintenance(ds, cache)
    lost = cls["maintenance_class"].isin(["lost", "lost_and_regained"]).groupby(cls["unit_code"]).sum()
    n_lost = ds.units["unit_code"].map(lost).fillna(0).to_numpy(dtype=float)
    changes = len(ds.outline.years) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(n_years > 1, n_lost * changes / (n_years - 1), 0.0)
    return np.where(n_years > 0, scaled, np.nan)


def _days_late(ds, cache, m):
    t = timeliness_table(ds, cache).set_index("unit_code")["days_late"]
    return ds.units["unit_code"].map(pd.to_numeric(t, errors="coerce")).to_numpy(dtype=float)


def _completeness(ds, cache, m):
    c = completeness(ds, cache).groupby("unit_code")[["expected_cells", "filled_cells"]].sum()
    share = 100.0 * c["filled_cells"] / c["expected_cells"].where(c["expected_cells"] > 0)
    return ds.units["unit_code"].map(share).to_numpy(dtype=float)


#: measure kind → function (ds, cache, measure) → one value per row of ds.units (NaN: no figure)
MEASURES = {
    "rate_last": _rate_last, "rate_fall": _rate_fall, "per_household": _per_household,
    "metric_total": _metric_total, "criteria_reached_share": _criteria_reached_share,
    "criteria_losses": _criteria_losses, "days_late": _days_late, "completeness": _completeness,
}


def points_of(rule: Rule, values) -> np.ndarray:
    """The points ``rule`` gives each value (NaN values get ``rule.if_missing``): the one rule of points.

    ``steps``: the first step met (``at_least``: ≥, ``above``: >, ``at_most``: ≤,
    ``below``: <), else ``otherwise``; ``proportional``: ``max × value`` with the
    value within 0-1; ``deduction``: ``max − per × value``, within 0 and max.
    """
    x = np.asarray(values, dtype=float)
    if rule.kind == "proportional":
        pts = rule.max_points * np.clip(x, 0.0, 1.0)
    elif rule.kind == "deduction":
        pts = np.clip(rule.max_points - rule.per * np.clip(x, 0.0, None), 0.0, rule.max_points)
    else:
        tests = {"at_least": np.greater_equal, "above": np.greater, "at_most": np.less_equal, "below": np.less}
        with np.errstate(invalid="ignore"):
            conds = [tests[s.op](x, s.bound) for s in rule.steps]
        pts = np.select(conds, [s.points for s in rule.steps], default=rule.otherwise)
    return np.where(np.isnan(x), rule.if_missing, pts).astype(float)


# --------------------------------------------------------------------------- the three tables

def _table(table: ScoringTable | None) -> ScoringTable:
    return load_scoring_table() if table is None else table


def _key(name: str, table: ScoringTable) -> tuple:
    return (name, str(table.path), table.path.stat().st_mtime if table.path.exists() else None, day_count().key)


def rule_points(ds, cache: dict | None = None, table: ScoringTable | None = None) -> pd.DataFrame:
    """Every rule's figure and points, per scored unit (method: module docstring, steps 2-3).

    Returns
    -------
    DataFrame
        :data:`RULE_COLUMNS`: ``measure`` (the kind), ``value`` (the unit's
        figure, NA when none), ``value_unit``, ``max_points``, ``points`` (NA
        when the rule does not apply), ``status`` (``scored``, ``no_data``,
        ``not_applicable``); by unit (``ds.units`` order), then the table's order.
    """
    t = _table(table)
    cache = {} if cache is None else cache
    return memo(cache, ds, _key("rule_points", t), lambda: _rule_points(ds, cache, t))


def _rule_points(ds, cache, t: ScoringTable) -> pd.DataFrame:
    scored = ds.units["unit_code"].isin(scored_units(ds, cache)).to_numpy()
    names = ds.units["name"].to_numpy(dtype=object)[scored]
    codes = ds.units["unit_code"].to_numpy(dtype=object)[scored]
    ntm = criteria_grid(ds, cache).ntm.any(axis=1)[scored]
    days_unit = labels.DAYS_LATE_UNIT[day_count().mode]
    frames = []
    for content in t.contents:
        for rule in content.rules:
            value = MEASURES[rule.measure["kind"]](ds, cache, rule.measure)[scored]
            applies = ntm if rule.applies == "ntm_years" else np.ones(len(codes), dtype=bool)
            pts = np.where(applies, points_of(rule, value), np.nan)
            status = np.where(~applies, "not_applicable", np.where(np.isnan(value), "no_data", "scored"))
            frames.append(pd.DataFrame({
                "unit_code": codes, "name": names, "content_code": content.code, "rule_code": rule.code,
                "rule_label": rule.label, "measure": rule.measure["kind"], "value": np.where(applies, value, np.nan),
                "value_unit": days_unit if rule.measure["kind"] == "days_late" else rule.unit,
                "max_points": rule.max_points, "points": pts, "status": status}))
    if not frames or not len(codes):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in RULE_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    order = {c: i for i, c in enumerate(codes)}
    out = out.iloc[np.lexsort((np.arange(len(out)), out["unit_code"].map(order).to_numpy()))]
    return out[RULE_COLUMNS].reset_index(drop=True)


#: whether a unit scored itself on a content: it did, its workbook asked and it left the cell blank, or its
#: workbook never asked (an outline version without the cell, outline 1.0)
SELF_STATUSES = ("scored", "blank", "not_asked")


def self_scores(ds, table: ScoringTable | None = None) -> pd.DataFrame:
    """The units' own scores (điểm tự chấm), read where the content's ``self_score`` code lands: a key / value
    field (outline 2's sheet TuCham, ``ds.info``) or a data element (``ds.values``, its last year with a value).

    Returns
    -------
    DataFrame
        ``unit_code, content_code, self_points``: one row per unit and content its workbook asked for (a field
        left blank: ``self_points`` NaN); a unit whose workbook had no such cell (outline 1.0) has no row.
    """
    t = _table(table)
    codes = {c.self_score: c.code for c in t.contents if c.self_score}
    info = ds.info[ds.info["key"].isin(list(codes))]
    info = pd.DataFrame({"unit_code": info["unit_code"], "code": info["key"],
                         "self_points": pd.to_numeric(info["value"], errors="coerce")})
    v = ds.values[ds.values["data_element"].isin(list(codes))]
    v = v.assign(self_points=pd.to_numeric(v["value"], errors="coerce")).dropna(subset=["self_points"])
    v = v.sort_values("year").drop_duplicates(["unit_code", "data_element"], keep="last")
    v = pd.DataFrame({"unit_code": v["unit_code"], "code": v["data_element"], "self_points": v["self_points"]})
    both = pd.concat([info, v], ignore_index=True)
    # a figure wins over a blank of the same code; then one row per unit and content
    both = both.sort_values("self_points", na_position="first").drop_duplicates(["unit_code", "code"], keep="last")
    return pd.DataFrame({"unit_code": both["unit_code"].to_numpy(dtype=object),
                         "content_code": both["code"].map(codes).to_numpy(dtype=object),
                         "self_points": both["self_points"].to_numpy(dtype=float)})


def content_scores(ds, cache: dict | None = None, table: ScoringTable | None = None) -> pd.DataFrame:
    """Each content's maximum, self-score and verified points, per scored unit (module docstring, step 4).

    Returns
    -------
    DataFrame
        :data:`CONTENT_COLUMNS`; ``self_points`` NA where the unit has no
        self-score, ``self_status`` saying why (:data:`SELF_STATUSES`: a
        blank cell "chưa tự chấm", no cell in its outline "không có số liệu"),
        ``verified_points`` NA for a ``council`` or ``not_applicable``
        content; ``status`` ``scored``, ``council`` or ``not_applicable``.
    """
    t = _table(table)
    cache = {} if cache is None else cache
    return memo(cache, ds, _key("content_scores", t), lambda: _content_scores(ds, cache, t))


def _content_scores(ds, cache, t: ScoringTable) -> pd.DataFrame:
    rp = rule_points(ds, cache, t)
    units = ds.units[ds.units["unit_code"].isin(scored_units(ds, cache))][["unit_code", "name"]]
    nu, nc = len(units), len(t.contents)
    out = pd.DataFrame({
        "unit_code": np.repeat(units["unit_code"].to_numpy(dtype=object), nc),
        "name": np.repeat(units["name"].to_numpy(dtype=object), nc),
        "content_code": np.tile(np.array([c.code for c in t.contents], dtype=object), nu),
        "content_name": np.tile(np.array([c.name for c in t.contents], dtype=object), nu),
        "section": np.tile(np.array([c.section for c in t.contents], dtype=object), nu),
        "max_points": np.tile(np.array([c.max_points for c in t.contents], dtype=float), nu),
    })
    g = rp.assign(_applies=rp["status"] != "not_applicable").groupby(["unit_code", "content_code"], sort=False)
    agg = pd.DataFrame({"points": g["points"].sum(min_count=1), "applies": g["_applies"].any()})
    key = pd.MultiIndex.from_arrays([out["unit_code"], out["content_code"]])
    points = agg["points"].reindex(key).to_numpy(dtype=float)
    applies = agg["applies"].reindex(key).fillna(False).to_numpy(dtype=bool)
    council = np.tile(np.array([c.by_council for c in t.contents]), nu)
    out["verified_points"] = np.where(applies & ~council, np.clip(points, 0.0, out["max_points"].to_numpy()), np.nan)
    out["status"] = np.where(council, "council", np.where(applies, "scored", "not_applicable")).astype(object)
    own = self_scores(ds, t).assign(_asked=True)
    out = out.merge(own, on=["unit_code", "content_code"], how="left")
    out["self_points"] = out["self_points"].astype(float)
    asked = out["_asked"].eq(True).to_numpy()
    out["self_status"] = np.where(out["self_points"].notna(), "scored", np.where(asked, "blank", "not_asked"))
    return out[CONTENT_COLUMNS]


def unit_scores(ds, cache: dict | None = None, table: ScoringTable | None = None) -> pd.DataFrame:
    """Each scored unit's total, score out of 100 and class (module docstring, step 5).

    Returns
    -------
    DataFrame
        :data:`UNIT_COLUMNS`: ``points`` (Σ verified points), ``max_points``
        (Σ maximum of the contents scored), ``score_100``, ``class_code`` and
        ``class_label`` (the table's classes), ``provisional`` (a content
        waits for the council), the counts of contents scored, left to the
        council and not applicable, and ``self_points`` (Σ self-scores, NA
        when the unit has none); in ``ds.units`` order.
    """
    t = _table(table)
    cache = {} if cache is None else cache
    return memo(cache, ds, _key("unit_scores", t), lambda: _unit_scores(ds, cache, t))


def _unit_scores(ds, cache, t: ScoringTable) -> pd.DataFrame:
    cs = content_scores(ds, cache, t)
    if cs.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in UNIT_COLUMNS})
    scored = cs["status"] == "scored"
    g = cs.assign(_max=cs["max_points"].where(scored), _pts=cs["verified_points"].where(scored),
                  _s=scored, _c=cs["status"] == "council", _na=cs["status"] == "not_applicable")
    g = g.groupby("unit_code", sort=False).agg(name=("name", "first"), points=("_pts", "sum"),
                                               max_points=("_max", "sum"), n_contents_scored=("_s", "sum"),
                                               n_contents_council=("_c", "sum"),
                                               n_contents_not_applicable=("_na", "sum"),
                                               self_points=("self_points", lambda s: s.sum(min_count=1)))
    g = g.reset_index()
    g["score_100"] = 100.0 * g["points"] / g["max_points"].where(g["max_points"] > 0)
    classes = [t.class_for(s) if pd.notna(s) else None for s in g["score_100"]]
    g["class_code"] = [c.code if c else None for c in classes]
    g["class_label"] = [c.label if c else None for c in classes]
    g["provisional"] = g["n_contents_council"] > 0
    for col in ("n_contents_scored", "n_contents_council", "n_contents_not_applicable"):
        g[col] = g[col].astype(int)
    return g[UNIT_COLUMNS]


TABLE_COLUMNS = ["content_code", "section", "content_name", "content_max_points", "self_score_cell", "rule_code",
                 "rule_label", "measure", "unit", "applies", "rule_max_points", "how", "source"]


def table_rows(table: ScoringTable | None = None) -> pd.DataFrame:
    """The scoring table itself, one row per rule (one per content without rules), for a reader or an export.

    Returns
    -------
    DataFrame
        :data:`TABLE_COLUMNS`: ``how`` says in Vietnamese how the points follow
        (:meth:`nrlib.reference.scoring.Rule.how_text`; a deduction per day in
        the unit of the days counted), ``rule_code`` blank for a content the
        council scores; in the table's order.
    """
    t = _table(table)
    days_unit = labels.DAYS_LATE_UNIT[day_count().mode]
    rows = []
    for c in t.contents:
        base = {"content_code": c.code, "section": c.section, "content_name": c.name,
                "content_max_points": c.max_points, "self_score_cell": c.self_score, "source": c.source}
        if c.by_council:
            rows.append(base | {"rule_code": None, "rule_label": labels.SCORING_BY_COUNCIL, "measure": None,
                                "unit": None, "applies": None, "rule_max_points": c.max_points, "how": None})
        for r in c.rules:
            unit = days_unit if r.measure["kind"] == "days_late" else r.unit
            rows.append(base | {"rule_code": r.code, "rule_label": r.label, "measure": r.measure["kind"], "unit": unit,
                                "applies": r.applies, "rule_max_points": r.max_points, "how": r.how_text(unit)})
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def scoring_method_text(table: ScoringTable | None = None) -> str:
    """The scoring method in Vietnamese, for a report's methodology note."""
    t = _table(table)
    council = [f"{c.code} ({c.name})" for c in t.contents if c.by_council]
    pts = functools.partial(fmt_quantity, unit="điểm", trim=True)
    classes = "; ".join(f"{c.label}: từ {pts(c.at_least)}" for c in t.classes)
    classes += f"; {t.below.label}: dưới {pts(t.classes[-1].at_least)}"
    text = (f"Mỗi nội dung có điểm chuẩn cố định (tổng {pts(t.total_points)}); điểm thẩm định của huyện tính từ "
            "chính số liệu của xã, thị trấn theo các mức ghi trong bảng điểm, không so sánh với xã, thị trấn khác, "
            "nên số liệu của một xã, thị trấn không làm thay đổi điểm của xã, thị trấn khác. Kết quả xây dựng nông "
            "thôn mới tính theo từng năm áp dụng bộ tiêu chí: tỷ lệ tiêu chí đạt trên tiêu chí áp dụng của các năm áp "
            "dụng, và số tiêu chí sụt chuẩn quy về cả giai đoạn, nên thị trấn chỉ áp dụng bộ tiêu chí xã nông thôn mới "
            "một phần giai đoạn được so sánh như xã áp dụng cả giai đoạn. Điểm quy về thang 100 = tổng điểm thẩm định "
            f"÷ tổng điểm chuẩn của các nội dung đã chấm × 100; xếp loại theo điểm thang 100 ({classes}). ")
    if council:
        text += ("Nội dung chưa có số liệu trong biểu mẫu do Hội đồng Thi đua – Khen thưởng chấm theo báo cáo: "
                 + ", ".join(council) + "; khi chưa chấm, xếp loại là tạm xếp loại. ")
    if not any(c.self_score for c in t.contents):
        text += "Đề cương chưa có ô để xã, thị trấn tự chấm điểm: cột điểm tự chấm để trống (không có số liệu). "
    else:
        text += ("Điểm tự chấm là điểm xã, thị trấn tự ghi ở trang TuCham của biểu mẫu, ghi bên cạnh điểm thẩm định để "
                 "đối chiếu, không dùng để tính điểm thẩm định; nội dung để trống là chưa tự chấm; biểu mẫu theo đề cương "
                 "phiên bản 1 không có trang này (không có số liệu). ")
    if not t.verified:
        text += ("Điểm chuẩn, các mức và ngưỡng xếp loại là đề xuất của phần mềm, chưa được Hội đồng Thi đua – Khen "
                 "thưởng thông qua (cần đối chiếu trước khi sử dụng).")
    return text.strip()
