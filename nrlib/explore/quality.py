"""The views of notebook 03 (data quality): completeness, timeliness, flags, disagreements, problems.

Each view is ``view(ds, **control_values) -> (figure, table)`` (see
:mod:`nrlib.explore`): :func:`completeness_view` (share of expected cells
filled), :func:`timeliness_view` (on time, late, missing),
:func:`flags_view` (values flagged for a person to check),
:func:`disagreement_view` (declared Đạt but measured below the level),
:func:`official_view` (declared status against the coordination office's, where they differ) and
:func:`problems_view` (errors and warnings of the latest workbooks). Flags and
tables come from :mod:`nrlib.analysis.quality`, :mod:`nrlib.analysis.thresholds` and
:mod:`nrlib.analysis.timeliness`; none changes the data.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from nrlib.analysis import partners, quality
from nrlib.analysis.timeliness import reporting_rates
from nrlib.core import labels
from nrlib.core.vnformat import MISSING, fmt_date, fmt_number, fmt_percent, unit_suffix
from nrlib.dataset import Dataset
from nrlib.explore.common import (
    analysis_cache,
    cached_dvm,
    cached_flags,
    count_axis,
    criteria_names,
    group_criteria,
    new_figure,
    style_figure,
    unit_names,
    unit_order,
)
from nrlib.present import partners as present_partners
from nrlib.present import theme
from nrlib.reference.partners import load_partners


def completeness_view(ds: Dataset) -> tuple[go.Figure, pd.DataFrame]:
    """Share of the cells the outline expects that each unit filled, per sheet (:func:`nrlib.analysis.quality.completeness`)."""
    c = quality.completeness(ds, cache=analysis_cache(ds))
    names, order = unit_names(ds), unit_order(ds)
    sheets = list(dict.fromkeys(c["sheet"]))
    fig = new_figure()
    table = pd.DataFrame({labels.EXPLORE["unit"]: [names[u] for u in order]})
    for sheet, colour in zip(sheets, theme.SEQUENCE):
        s = c[c["sheet"] == sheet].set_index("unit_code").reindex(order)
        fig.add_bar(x=[names[u] for u in order], y=s["completeness"].tolist(), name=f"Trang {sheet}",
                    marker={"color": colour}, customdata=list(zip(s["filled_cells"], s["expected_cells"])),
                    hovertemplate=f"%{{x}}<br>Trang {sheet}: %{{y:,.1f}}% "
                                  "(%{customdata[0]:,d}/%{customdata[1]:,d} ô)<extra></extra>")
        table[f"Trang {sheet}"] = [f"{fmt_percent(p, 1)} ({fmt_number(f)}/{fmt_number(e)} ô)" if pd.notna(p)
                                   else MISSING for p, f, e in zip(s["completeness"], s["filled_cells"],
                                                                   s["expected_cells"])]
    fig.update_layout(barmode="group", yaxis_range=[0, 105])
    style_figure(fig, ds, "Mức độ đầy đủ số liệu: tỷ lệ ô đã điền trên số ô đề cương yêu cầu", labels.EXPLORE["unit"], "%")
    return fig, table


def timeliness_view(ds: Dataset) -> tuple[go.Figure, pd.DataFrame]:
    """Who sent the workbook on time, late (days late) or not at all (:func:`nrlib.analysis.quality.timeliness_table`)."""
    t = quality.timeliness_table(ds, cache=analysis_cache(ds))
    rates = reporting_rates(t)
    names = unit_names(ds)
    t = t.set_index("unit_code").reindex(unit_order(ds, t["unit_code"])).reset_index()
    days = t["days_late"].astype("Float64").fillna(0).astype(float)
    status = [labels.late_text(x, d, c) for x, d, c in zip(t["timeliness"], days, t["days_counted"])]
    fig = new_figure(go.Bar(
        x=[names[u] for u in t["unit_code"]], y=days.tolist(), text=status, textposition="outside",
        marker={"color": [theme.TIMELINESS_COLORS[x] for x in t["timeliness"]]},
        hovertemplate="%{x}: %{text}<extra></extra>"))
    deadline = fmt_date(ds.deadline)
    style_figure(fig, ds, f"Thời hạn nộp báo cáo (hạn {deadline})<br><sup>Đã nộp {rates['received']}/"
                 f"{rates['expected']} đơn vị: đúng hạn {rates['on_time']}, trễ hạn {rates['late']}; "
                 f"chưa nộp {rates['missing']}</sup>", labels.EXPLORE["unit"],
                 f"Số {labels.DAYS_LATE_UNIT[t['days_counted'].iloc[0]]} trễ" if len(t) else "Số ngày trễ")
    count_axis(fig, "y", days.max())
    table = pd.DataFrame({
        labels.EXPLORE["unit"]: [names[u] for u in t["unit_code"]], "Thời hạn": status,
        "Ngày nhận lần đầu": [fmt_date(d) if d is not None and not pd.isna(d) else MISSING
                              for d in t["first_received_date"]],
        "Số phiên bản": [fmt_number(x) if pd.notna(x) else MISSING for x in t["n_versions"]],
        "Kết quả kiểm tra bản mới nhất": [labels.SUBMISSION_CELL.get(x, MISSING) if isinstance(x, str) else MISSING
                                          for x in t["latest_status"]],
        "Lỗi": [fmt_number(x) if pd.notna(x) else MISSING for x in t["n_errors"]],
        "Cảnh báo": [fmt_number(x) if pd.notna(x) else MISSING for x in t["n_warnings"]],
    })
    return fig, table


def flags_view(ds: Dataset, unit_code: str | None = None, flag: str | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """Values flagged for a person to check (outliers, year-over-year jumps, declared vs measured), by unit.

    Flags come from :func:`nrlib.analysis.quality.quality_flags`, highest score first; none changes the data.
    """
    f = cached_flags(ds)
    if unit_code:
        f = f[f["unit_code"] == unit_code]
    if flag:
        f = f[f["flag"] == flag]
    names = unit_names(ds)
    kinds = [(k, labels.FLAGS[k], colour) for k, colour in zip(labels.FLAGS, theme.SEQUENCE) if not flag or flag == k]
    where = names[unit_code] if unit_code else "toàn huyện"
    fig = _stacked_per_unit(ds, f, "flag", kinds, unit_code, " giá trị",
                            f"Số liệu cần kiểm tra lại ({where}): {fmt_number(len(f))} giá trị được đánh dấu",
                            "Số giá trị được đánh dấu")
    table = pd.DataFrame({
        labels.EXPLORE["unit"]: [names.get(u, u) for u in f["unit_code"]], labels.EXPLORE["year"]: [str(y) for y in f["year"]],
        "Mã": f["data_element"].astype(str).tolist(),
        labels.EXPLORE["value"]: [fmt_number(x, 2, trim=True) for x in f["value"]],
        labels.EXPLORE["flag"]: [labels.FLAGS.get(k, k) for k in f["flag"]], "Lý do": f["reason"].tolist(),
    })
    return fig, table


def disagreement_view(ds: Dataset, unit_code: str | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """Criteria declared Đạt whose measured indicator misses a known level (:func:`nrlib.analysis.thresholds.declared_vs_measured`)."""
    d = cached_dvm(ds)
    if unit_code:
        d = d[d["unit_code"] == unit_code]
    names, cnames = unit_names(ds), criteria_names(ds)
    ind = ds.criteria.drop_duplicates("indicator_code").set_index("indicator_code")
    per_crit = d.groupby("criterion_no")["unit_code"].nunique()
    crits = [c for c in group_criteria(ds, None) if c in per_crit.index]
    fig = new_figure(go.Bar(
        y=[f"{c}. {cnames[c]}" for c in crits], x=[int(per_crit[c]) for c in crits], orientation="h",
        marker={"color": theme.MAINTENANCE_COLORS["lost_and_regained"]},
        hovertemplate="%{y}<br>%{x:,d} đơn vị tự đánh giá Đạt nhưng chỉ tiêu chưa đạt mức<extra></extra>"))
    where = names[unit_code] if unit_code else "toàn huyện"
    style_figure(fig, ds, f"Tự đánh giá Đạt nhưng số liệu chưa đạt mức ({where}): {fmt_number(len(d))} trường hợp",
                 labels.EXPLORE["n_units"], labels.EXPLORE["criterion"], height=200 + 30 * max(len(crits), 1))
    count_axis(fig, "x", per_crit.max() if len(per_crit) else 0)
    fig.update_yaxes(autorange="reversed")

    def unit_of(code):
        return unit_suffix(ind["unit"].get(code, ""))

    table = pd.DataFrame({
        labels.EXPLORE["unit"]: [names.get(u, u) for u in d["unit_code"]], labels.EXPLORE["year"]: [str(y) for y in d["year"]],
        labels.EXPLORE["criterion"]: [f"{c}. {cnames.get(int(c), '')}" for c in d["criterion_no"]],
        "Chỉ tiêu": [f"{c}. {ind['indicator_name'].get(c, '')}" for c in d["indicator_code"]],
        labels.EXPLORE["value"]: [fmt_number(v, 2, trim=True) + unit_of(c) for v, c in zip(d["value"], d["indicator_code"])],
        "Mức đạt chuẩn": [f"{cmp_} {fmt_number(lv, 2, trim=True)}{unit_of(c)}"
                          for cmp_, lv, c in zip(d["comparison"], d["level"], d["indicator_code"])],
        "Nguồn số liệu": ["tính từ trang VanDong" if o == "derived" else labels.ORIGINS["typed"] for o in d["origin"]],
    })
    return fig, table


def _stacked_per_unit(ds: Dataset, rows: pd.DataFrame, column: str, kinds: list[tuple[str, str, str]],
                      unit_code: str | None, noun: str, title: str, y_title: str) -> go.Figure:
    """Stacked bars of ``rows`` counted per unit (one unit, or all in order) and per kind of ``column``.

    ``kinds`` lists ``(value, label, colour)``, one bar trace each; ``noun`` follows the count in the hover.
    """
    names = unit_names(ds)
    order = unit_order(ds, [unit_code] if unit_code else None)
    counts = rows.groupby(["unit_code", column]).size().unstack(fill_value=0).reindex(index=order, fill_value=0)
    fig = new_figure()
    for value, label, colour in kinds:
        fig.add_bar(x=[names[u] for u in order],
                    y=(counts[value] if value in counts else pd.Series(0, index=order)).tolist(),
                    name=label, marker={"color": colour}, hovertemplate=f"%{{x}}<br>{label}: %{{y:,d}}{noun}<extra></extra>")
    fig.update_layout(barmode="stack")
    style_figure(fig, ds, title, labels.EXPLORE["unit"], y_title)
    count_axis(fig, "y", counts.sum(axis=1).max() if len(counts) else 0)
    return fig


def problems_view(ds: Dataset, unit_code: str | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """Errors and warnings found when each unit's latest workbook was checked, with the cell to look at."""
    p = ds.problems
    if unit_code:
        p = p[p["unit_code"] == unit_code]
    names = unit_names(ds)
    kinds = [("error", labels.SEVERITY_CELL["error"], theme.SEVERITY_COLORS["error"]),
             ("warning", labels.SEVERITY_CELL["warning"], theme.SEVERITY_COLORS["warning"])]
    where = names[unit_code] if unit_code else "toàn huyện"
    fig = _stacked_per_unit(ds, p, "severity", kinds, unit_code, "",
                            f"Lỗi và cảnh báo khi kiểm tra biểu mẫu ({where}, bản gửi mới nhất): {fmt_number(len(p))}",
                            "Số lỗi, cảnh báo")
    table = pd.DataFrame({
        labels.EXPLORE["unit"]: [names.get(u, u) for u in p["unit_code"]],
        "Ô": [f"{sh}!{c}" if isinstance(c, str) and c else sh for sh, c in zip(p["sheet"], p["cell"])],
        "Mức độ": [labels.SEVERITY_CELL.get(x, x) for x in p["severity"]], "Nội dung": p["message"].tolist(),
    })
    return fig, table


def official_view(ds: Dataset, unit_code: str | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """The communes' declared criteria status beside the coordination office's, where they differ
    (:func:`nrlib.analysis.partners.status_differences`); the office's status is the one counted."""
    d = partners.status_differences(ds, cache=analysis_cache(ds))
    if unit_code:
        d = d[d["unit_code"] == unit_code]
    names, cnames = unit_names(ds), criteria_names(ds)
    office = load_partners().partner("coordination")["name"]
    per_crit = d.groupby("criterion_no")["unit_code"].nunique()
    crits = [c for c in group_criteria(ds, None) if c in per_crit.index]
    fig = new_figure(go.Bar(
        y=[f"{c}. {cnames[c]}" for c in crits], x=[int(per_crit[c]) for c in crits], orientation="h",
        marker={"color": theme.MAINTENANCE_COLORS["lost"]},
        hovertemplate="%{y}<br>%{x:,d} đơn vị báo cáo khác " + office + "<extra></extra>"))
    where = names[unit_code] if unit_code else "toàn huyện"
    if partners.has_official_status(ds):
        title = f"Tự đánh giá khác số liệu của {office} ({where}): {fmt_number(len(d))} trường hợp"
    else:
        title = labels.EXPLORE["no_official"].format(office=office)
    style_figure(fig, ds, title, labels.EXPLORE["n_units"], labels.EXPLORE["criterion"],
                 height=200 + 30 * max(len(crits), 1))
    count_axis(fig, "x", per_crit.max() if len(per_crit) else 0)
    fig.update_yaxes(autorange="reversed")
    shown = present_partners.status_difference_table(ds, [unit_code] if unit_code else None,
                                                    cache=analysis_cache(ds))
    table = shown.assign(year=shown["year"].astype(int).astype(str)).rename(columns=labels.STATUS_DIFFERENCE_COLUMNS)
    return fig, table
