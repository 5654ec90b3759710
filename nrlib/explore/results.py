"""The views of notebook 01 (results): district overview, one unit, campaign results, their trends, the scores.

Each view is ``view(ds, **control_values) -> (figure, table)`` (see
:mod:`nrlib.explore`): :func:`overview_view` (criteria reached per unit and
year), :func:`unit_view` (one unit's criteria and campaign results),
:func:`campaign_view` (a campaign result per unit over the chosen years),
:func:`trend_view` (a metric year by year, per unit or for the district) and
:func:`scoring_view` (points per content and the class, by the scoring table of
:mod:`nrlib.analysis.scoring`; the relative ranking beside them on request).
Numbers come from :mod:`nrlib.analysis.results` and :mod:`nrlib.analysis.campaign` through the
per-Dataset cache of :mod:`nrlib.explore.common`.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from nrlib.analysis import scoring
from nrlib.analysis.ranking import commendation_ranking
from nrlib.core import labels, vocab
from nrlib.core.vnformat import MISSING, fmt_number, fmt_percent, fmt_quantity
from nrlib.dataset import Dataset
from nrlib.explore.common import (
    ALL,
    STATUS_ORDER,
    analysis_cache,
    cached_matrix,
    cached_reached,
    cached_urban_reached,
    cached_values,
    count_axis,
    digits_of,
    fmt_value,
    group_criteria,
    household_metric,
    metric_info,
    metric_values,
    new_figure,
    per_household_applies,
    span_text,
    status_label,
    style_figure,
    unit_names,
    unit_order,
    value_unit,
    years_axis,
    years_in,
)
from nrlib.present import theme
from nrlib.present.scoring import class_text, content_cell, points_text, scores_frame, self_cell


def overview_view(ds: Dataset, years=None) -> tuple[go.Figure, pd.DataFrame]:
    """District overview: criteria reached per unit and year, ``n_reached/n_applicable``.

    A unit-year where no criterion applies (a town) shows its result by its own
    standard ("Văn minh đô thị: 3/5", or "… chưa có số liệu",
    :func:`nrlib.analysis.urban.urban_reached`) and one with no declared
    status at all "Thiếu số liệu", both uncoloured: the first is outside the
    new-rural standard, the second unknown, neither is "0 reached". Blank
    declarations are counted (``thiếu k``), never as reached.
    """
    ys = years_in(ds, years)
    names, order = unit_names(ds), unit_order(ds)
    r = cached_reached(ds)
    r = r[r["year"].isin(ys)]

    def grid(col):
        return r.pivot_table(index="unit_code", columns="year", values=col, aggfunc="first").reindex(
            index=order, columns=ys)

    n, a, miss = grid("n_reached"), grid("n_applicable"), grid("n_missing")
    text = pd.DataFrame(labels.STATUS_MISSING, index=order, columns=ys)
    text = text.mask(a.eq(0), status_label(ds, vocab.NOT_APPLICABLE))
    ur = cached_urban_reached(ds)
    for u in ur[ur["year"].isin(ys) & ur["unit_code"].isin(order)].itertuples():
        text.loc[u.unit_code, u.year] = labels.urban_cell(u.n_reached, u.n_criteria, u.n_missing)
    known = a.gt(0) & miss.lt(a)
    count = n.fillna(0).astype(int).astype(str) + "/" + a.fillna(0).astype(int).astype(str)
    count = count.where(miss.fillna(0).eq(0), count + ", thiếu " + miss.fillna(0).astype(int).astype(str))
    text = text.mask(known, count)
    fig = new_figure(go.Heatmap(
        z=n.where(known).values.tolist(), x=years_axis(ys), y=[names[u] for u in order],
        text=text.values.tolist(), texttemplate="%{text}", colorscale="Greens", zmin=0,
        zmax=len(group_criteria(ds, None)), xgap=2, ygap=2,
        hovertemplate="%{y}<br>Năm %{x}: %{text}<extra></extra>", colorbar={"title": {"text": "Số tiêu chí đạt"}}))
    style_figure(fig, ds, f"Số tiêu chí nông thôn mới đạt / áp dụng theo đơn vị, {span_text(ys)}", labels.EXPLORE["year"],
                 labels.EXPLORE["unit"], height=150 + 34 * len(order))
    fig.update_yaxes(autorange="reversed")
    table = text.copy()
    table.columns = years_axis(ys)
    table.insert(0, labels.EXPLORE["unit"], [names[u] for u in order])
    full = r[r["all_reached"].fillna(False).astype(bool)].groupby("year")["unit_code"].nunique()
    foot = {labels.EXPLORE["unit"]: "Số đơn vị đạt đủ các tiêu chí áp dụng",
            **{str(y): fmt_number(full.get(y, 0)) for y in ys}}
    return fig, pd.concat([table, pd.DataFrame([foot])], ignore_index=True)


def unit_view(ds: Dataset, unit_code: str, years=None) -> tuple[go.Figure, pd.DataFrame]:
    """One unit: its criteria by status each year (stacked bars) and its campaign results each year."""
    ys = years_in(ds, years)
    name = unit_names(ds)[unit_code]
    m = cached_matrix(ds)
    m = m[(m["unit_code"] == unit_code) & m["year"].isin(ys)]
    counts = m.groupby(["year", "status"]).size().unstack(fill_value=0).reindex(index=ys, fill_value=0)
    fig = new_figure()
    for s in STATUS_ORDER:
        fig.add_bar(x=years_axis(ys), y=(counts[s] if s in counts else pd.Series(0, index=ys)).tolist(),
                    name=status_label(ds, s), marker={"color": theme.STATUS_COLORS[s], "line": {"color": "#777", "width": 1}},
                    hovertemplate=f"Năm %{{x}}: %{{y:,d}} tiêu chí {status_label(ds, s)}<extra></extra>")
    fig.update_layout(barmode="stack")
    style_figure(fig, ds, f"{name}: kết quả các tiêu chí theo năm, {span_text(ys)}", labels.EXPLORE["year"], "Số tiêu chí")
    count_axis(fig, "y", None)
    v = cached_values(ds)
    v = v[(v["unit_code"] == unit_code) & v["year"].isin(ys)]
    grid = v.pivot_table(index="code", columns="year", values="value", aggfunc="first")
    rows = []
    for code in ds.outline.metrics["code"]:
        info = metric_info(ds, code)
        got = grid.loc[code] if code in grid.index else pd.Series(dtype=float)
        rows.append({labels.EXPLORE["metric"]: f"{code}. {info['label']}", "Đơn vị tính": info["unit"],
                     **{str(y): fmt_value(got.get(y), info, with_unit=False) for y in ys}})
    return fig, pd.DataFrame(rows)


def campaign_view(ds: Dataset, metric_code: str, years=None, per_household: bool = False
                  ) -> tuple[go.Figure, pd.DataFrame]:
    """A campaign result over the chosen years, one bar per unit, the district figure in the title.

    Method (that of :mod:`nrlib.analysis.campaign`, on the chosen years): a flow is
    summed over the years, a stock is its last chosen year's level, a rate is
    recomputed from numerator and denominator of the last chosen year; per
    household divides by the households of the last chosen year. The
    district figure sums numerators and denominators over the units having
    both, never averaging units.
    """
    ys = years_in(ds, years)
    info = metric_info(ds, metric_code)
    per_household = bool(per_household) and per_household_applies(ds, metric_code)
    v = metric_values(ds, metric_code, (ys[0], ys[-1]))
    last = v[v["year"] == ys[-1]].set_index("unit_code")
    order = unit_order(ds)
    if info["kind"] == "flow":
        num = v.groupby("unit_code")["numerator"].sum(min_count=1).reindex(order)
    else:
        num = last["numerator"].reindex(order)
    den = None
    if info["kind"] == "rate":
        den = last["denominator"].reindex(order)
    elif per_household:
        den = metric_values(ds, household_metric(ds), (ys[-1], ys[-1])).set_index("unit_code")["value"].reindex(order)
    scale = info.get("scale", 1.0)
    if den is None:
        value, district = num, num.sum(min_count=1)
    else:
        ok = num.notna() & den.gt(0)
        value = scale * num / den.where(den > 0)
        district = scale * num[ok].sum() / den[ok].sum() if ok.any() else float("nan")
    unit = value_unit(info, per_household)
    how = {"flow": f"cộng {span_text(ys)}", "stock": f"cuối năm {ys[-1]}", "rate": f"năm {ys[-1]}"}[info["kind"]]
    label = f"{info['label']} ({how}{', bình quân 1 hộ' if per_household else ''})"
    names = unit_names(ds)
    fig = new_figure(go.Bar(x=[names[u] for u in order], y=value.tolist(), marker={"color": theme.SERIES["unit"]},
                           hovertemplate=f"%{{x}}<br>%{{y:,.{digits_of(info, per_household)}f}} {unit}<extra></extra>"))
    style_figure(fig, ds, f"{label}<br><sup>Toàn huyện: {fmt_value(district, info, per_household)}</sup>",
                 labels.EXPLORE["unit"], unit)
    table = pd.DataFrame({labels.EXPLORE["unit"]: [names[u] for u in order] + ["Toàn huyện"],
                          label: [fmt_value(x, info, per_household) for x in list(value) + [district]]})
    return fig, table


def trend_view(ds: Dataset, metric_code: str, unit_codes=(), per_household: bool = False, years=None
               ) -> tuple[go.Figure, pd.DataFrame]:
    """A metric year by year: one line per chosen unit, or the district's line when none is chosen.

    Method: the district line sums numerators and denominators of the units
    having both that year (rates recomputed, never averaged).
    """
    ys = years_in(ds, years)
    info = metric_info(ds, metric_code)
    per_household = bool(per_household) and per_household_applies(ds, metric_code)
    v = metric_values(ds, metric_code, (ys[0], ys[-1]), per_household=per_household)
    names = unit_names(ds)
    series: dict[str, pd.Series] = {}
    for u in unit_order(ds, unit_codes or ()):
        series[names[u]] = v[v["unit_code"] == u].set_index("year")["value"].reindex(ys)
    if not series:
        ok = v[v["numerator"].notna() & v["denominator"].gt(0)]
        g = ok.groupby("year")[["numerator", "denominator"]].sum().reindex(ys)
        divided = info["kind"] == "rate" or per_household
        series["Toàn huyện"] = info.get("scale", 1.0) * g["numerator"] / g["denominator"] if divided \
            else g["numerator"]
    unit = value_unit(info, per_household)
    fig = new_figure()
    for label, s in series.items():
        fig.add_scatter(x=years_axis(ys), y=s.tolist(), mode="lines+markers", name=label,
                        hovertemplate=f"{html.escape(label)}<br>Năm %{{x}}: "
                                      f"%{{y:,.{digits_of(info, per_household)}f}} {unit}<extra></extra>")
    style_figure(fig, ds, f"{info['label']}{', bình quân 1 hộ' if per_household else ''}, {span_text(ys)}",
                 labels.EXPLORE["year"], unit)
    fig.update_layout(showlegend=True)
    rows = [{labels.EXPLORE["unit"]: label, **{str(y): fmt_value(s.get(y), info, per_household) for y in ys}}
            for label, s in series.items()]
    return fig, pd.DataFrame(rows)


def scoring_view(ds: Dataset, unit_code: str = ALL, relative: bool = False) -> tuple[go.Figure, pd.DataFrame]:
    """Points and classes by the scoring table (:mod:`nrlib.analysis.scoring`): for the whole district, each unit's
    verified points per content stacked (the table: points per content, total, score out of 100, class; with
    ``relative``, the relative ranking beside them, labelled "tham khảo"); for one unit, each content's points
    against its maximum (the table: every rule's figure and points).

    Units are listed in the notebooks' order, not by score: the result is a class, not a rank.
    """
    cache = analysis_cache(ds)
    cs = scoring.content_scores(ds, cache)
    names = unit_names(ds)
    contents = scoring.table_rows().drop_duplicates("content_code")
    if unit_code:
        return _unit_scoring(ds, unit_code, cs, contents, cache)
    order = [u for u in unit_order(ds) if u in set(cs["unit_code"])]
    fig = new_figure()
    for code, name in zip(contents["content_code"], contents["content_name"]):
        c = cs[cs["content_code"] == code].set_index("unit_code").reindex(order)
        if (c["status"] != "scored").all():
            continue                                        # the council's content: nothing to draw yet
        fig.add_bar(y=[names[u] for u in order], x=c["verified_points"].tolist(), orientation="h",
                    name=f"{code}. {name}", customdata=c["max_points"].tolist(),
                    hovertemplate=f"%{{y}}<br>{html.escape(code)}: %{{x:,.2f}}/%{{customdata}} điểm<extra></extra>")
    fig.update_layout(barmode="stack")
    style_figure(fig, ds, "Điểm thẩm định theo nội dung của bảng điểm thi đua<br><sup>Chưa gồm các nội dung Hội đồng "
                 "Thi đua – Khen thưởng chấm; xếp loại theo điểm quy về thang 100</sup>", "Điểm",
                 labels.EXPLORE["unit"], height=180 + 34 * len(order))
    fig.update_yaxes(autorange="reversed")
    wide, headers = scores_frame(ds, cache, order)
    table = wide.drop(columns="unit_code").rename(columns={"name": labels.EXPLORE["unit"], **headers})
    if relative:
        rk = commendation_ranking(ds, cache=cache).set_index("unit_code").reindex(wide["unit_code"])
        table[f"Hạng – {labels.RELATIVE_RANKING.lower()}"] = [fmt_number(x) if pd.notna(x) else MISSING
                                                            for x in rk["rank"]]
        table[f"Điểm – {labels.RELATIVE_RANKING.lower()}"] = [fmt_number(x, 1) if pd.notna(x) else MISSING
                                                            for x in rk["score"]]
    return fig, table


def _unit_scoring(ds: Dataset, unit_code: str, cs: pd.DataFrame, contents: pd.DataFrame, cache: dict):
    name = unit_names(ds)[unit_code]
    if unit_code not in set(cs["unit_code"]):
        fig = style_figure(new_figure(), ds, f"{name}: chưa được chấm điểm", "Nội dung", "Điểm")
        return fig, pd.DataFrame({labels.EXPLORE["unit"]: [name],
                                  "Điểm thi đua": ["Chưa được chấm điểm: chưa có biểu mẫu được chấp nhận"]})
    mine = cs[cs["unit_code"] == unit_code].set_index("content_code").reindex(contents["content_code"])
    fig = new_figure()
    x = contents["content_code"].tolist()
    fig.add_bar(x=x, y=mine["max_points"].tolist(), name="Điểm chuẩn", marker={"color": theme.SERIES["district"]},
                hovertemplate="%{x}: điểm chuẩn %{y:,.2f}<extra></extra>")
    fig.add_bar(x=x, y=mine["verified_points"].tolist(), name="Điểm thẩm định", marker={"color": theme.SERIES["unit"]},
                hovertemplate="%{x}: %{y:,.2f} điểm<extra></extra>")
    asked = (mine["self_status"] != "not_asked").any()
    if asked:
        fig.add_bar(x=x, y=mine["self_points"].tolist(), name="Điểm tự chấm", marker={"color": theme.SERIES["self"]},
                    hovertemplate="%{x}: tự chấm %{y:,.2f} điểm<extra></extra>")
    us = scoring.unit_scores(ds, cache).set_index("unit_code")
    sub = ""
    if unit_code in us.index:
        r = us.loc[unit_code]
        sub = (f"<br><sup>{points_text(r['points'])}/{points_text(r['max_points'])} điểm ở các nội dung đã chấm, thang "
               f"100: {points_text(r['score_100'])}, xếp loại {class_text(r['class_label'], r['provisional'])}</sup>")
    style_figure(fig, ds, f"{name}: điểm thi đua theo nội dung{sub}", "Nội dung", "Điểm")
    fig.update_layout(barmode="group", showlegend=True)
    rp = scoring.rule_points(ds, cache)
    rp = rp[rp["unit_code"] == unit_code]
    rows = []
    for c in contents.itertuples():
        st = mine.loc[c.content_code, "status"] if c.content_code in mine.index else None
        own = {} if not asked else {labels.SELF_SCORE: self_cell(mine.loc[c.content_code, "self_status"],
                                                                 mine.loc[c.content_code, "self_points"])}
        rules = rp[rp["content_code"] == c.content_code]
        if rules.empty:
            rows.append({"Nội dung": f"{c.content_code}. {c.content_name}", "Tiêu chí chấm": labels.SCORING_BY_COUNCIL,
                         "Số liệu": MISSING, "Điểm chuẩn": points_text(c.content_max_points),
                         "Điểm": content_cell(st, None) if isinstance(st, str) else MISSING, **own})
        for k, r in enumerate(rules.itertuples()):
            if k:                                           # the content's self-score once, on its first rule
                own = {key: "" for key in own}
            rows.append({"Nội dung": f"{c.content_code}. {c.content_name}", "Tiêu chí chấm": r.rule_label,
                         "Số liệu": _figure_text(r.value, r.value_unit, r.status),
                         "Điểm chuẩn": points_text(r.max_points),
                         "Điểm": points_text(r.points) if r.status != "not_applicable"
                         else labels.cell(labels.SCORING_STATUS["not_applicable"]), **own})
    return fig, pd.DataFrame(rows)


def _figure_text(value, unit: str, status: str) -> str:
    """A rule's figure: in its unit (``5,64 triệu đồng/hộ``), a share without a unit as a percentage, no figure
    "Không có số liệu"."""
    if status == "no_data":
        return labels.cell(labels.SCORING_STATUS["no_data"])
    if pd.isna(value):
        return MISSING
    return fmt_quantity(value, unit, trim=True) if unit else fmt_percent(100 * value, 2)
