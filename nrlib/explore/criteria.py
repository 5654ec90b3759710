"""The views of notebook 02 (criteria maintenance): scorecards, one criterion, maintenance classes, risk.

Each view is ``view(ds, **control_values) -> (figure, table)`` (see
:mod:`nrlib.explore`): :func:`scorecard_view` (one unit, criterion × year in
traffic-light colours), :func:`criterion_view` (one criterion across units),
:func:`maintenance_view` (units per criterion and maintenance class) and
:func:`risk_view` (the criteria most often lost). Statuses and classes come
from :mod:`nrlib.analysis.results` and :mod:`nrlib.analysis.maintenance` through the
per-Dataset cache of :mod:`nrlib.explore.common`.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from nrlib.core import labels, vocab
from nrlib.core.vnformat import MISSING, fmt_number
from nrlib.dataset import Dataset
from nrlib.explore.common import (
    cached_at_risk,
    cached_classes,
    cached_matrix,
    cached_urban_matrix,
    count_axis,
    criteria_names,
    group_criteria,
    group_title,
    new_figure,
    span_text,
    status_heatmap,
    status_label,
    status_layout,
    style_figure,
    unit_names,
    unit_order,
    years_axis,
    years_in,
)
from nrlib.present import theme


def scorecard_view(ds: Dataset, unit_code: str, years=None, group: str | None = None
                   ) -> tuple[go.Figure, pd.DataFrame]:
    """One unit's scorecard: criterion × year in traffic-light colours, and each criterion's maintenance class.

    Colours: Đạt green, Chưa đạt red, Không áp dụng grey, thiếu số liệu
    white (statuses of :func:`nrlib.analysis.results.criteria_matrix`). A
    town's urban years (all groups shown) add the rows of its own standard
    below the new-rural ones ("VM1. …", :func:`nrlib.analysis.urban.urban_matrix`):
    grey in the years it was a xã, as the new-rural rows are grey in its
    town years; "Chưa có số liệu" where nothing was declared nor proven.
    """
    ys = years_in(ds, years)
    crits, cnames = group_criteria(ds, group), criteria_names(ds)
    name = unit_names(ds)[unit_code]
    m = cached_matrix(ds)
    m = m[(m["unit_code"] == unit_code) & m["year"].isin(ys) & m["criterion_no"].isin(crits)]
    grid = m.pivot_table(index="criterion_no", columns="year", values="status", aggfunc="first")
    grid = grid.reindex(index=crits, columns=ys).fillna("missing")
    ylab = [f"{c}. {cnames[c]}" for c in crits]
    hover = pd.DataFrame({y: [f"{html.escape(name)}<br>Tiêu chí {html.escape(lab)}<br>Năm {y}: "
                              f"{status_label(ds, grid.at[c, y])}" for c, lab in zip(crits, ylab)] for y in ys},
                         index=crits)
    cls = cached_classes(ds)
    cls = cls[cls["unit_code"] == unit_code].set_index("criterion_no")["maintenance_class"]
    table = pd.DataFrame({labels.EXPLORE["criterion"]: ylab})
    for y in ys:
        table[str(y)] = [status_label(ds, grid.at[c, y]) for c in crits]
    table[f"Duy trì {span_text(ds.years)}"] = [labels.MAINTENANCE.get(cls[c], cls[c]) if c in cls.index else MISSING for c in crits]

    um = cached_urban_matrix(ds)
    um = um[(um["unit_code"] == unit_code) & um["year"].isin(ys)]
    if not group and len(um):
        ucrit = um.drop_duplicates("criterion_code").sort_values("criterion_no")
        ukeys = list(ucrit["criterion_code"])
        ugrid = um.pivot_table(index="criterion_code", columns="year", values="status", aggfunc="first")
        ugrid = ugrid.reindex(index=ukeys, columns=ys).astype(object)
        ugrid = ugrid.where(ugrid.notna(), vocab.NOT_APPLICABLE)   # a xã's year: not this standard
        ulab = [f"{k}. {n}" for k, n in zip(ukeys, ucrit["criterion_name"])]

        def ulabel(st):
            return labels.URBAN_MISSING if st == vocab.MISSING else status_label(ds, st)
        uhover = pd.DataFrame({y: [f"{html.escape(name)}<br>Tiêu chuẩn {html.escape(lab)}<br>Năm {y}: "
                                   f"{ulabel(ugrid.at[k, y])}" for k, lab in zip(ukeys, ulab)] for y in ys},
                              index=ukeys)
        grid, ylab = pd.concat([grid, ugrid]), ylab + ulab
        hover = pd.concat([hover, uhover])
        urows = pd.DataFrame({labels.EXPLORE["criterion"]: ulab,
                              **{str(y): [ulabel(ugrid.at[k, y]) for k in ukeys] for y in ys},
                              f"Duy trì {span_text(ds.years)}": MISSING})
        table = pd.concat([table, urows], ignore_index=True)
    fig = new_figure(status_heatmap(ds, grid, years_axis(ys), ylab, hover))
    fig.data[0].meta = {"unit_code": unit_code}
    style_figure(fig, ds, f"Kết quả {group_title(ds, group)} — {name}, {span_text(ys)}", labels.EXPLORE["year"],
                 labels.EXPLORE["criterion"], height=190 + 30 * len(ylab))
    status_layout(fig)
    return fig, table


def criterion_view(ds: Dataset, criterion_no: int, years=None) -> tuple[go.Figure, pd.DataFrame]:
    """One criterion across units: unit × year in traffic-light colours."""
    ys = years_in(ds, years)
    names, order = unit_names(ds), unit_order(ds)
    no = int(criterion_no)
    m = cached_matrix(ds)
    m = m[(m["criterion_no"] == no) & m["year"].isin(ys)]
    grid = m.pivot_table(index="unit_code", columns="year", values="status", aggfunc="first")
    grid = grid.reindex(index=order, columns=ys).fillna("missing")
    hover = pd.DataFrame({y: [f"{html.escape(names[u])}<br>Năm {y}: {status_label(ds, grid.at[u, y])}"
                              for u in order] for y in ys}, index=order)
    fig = new_figure(status_heatmap(ds, grid, years_axis(ys), [names[u] for u in order], hover))
    style_figure(fig, ds, f"Tiêu chí {no}. {criteria_names(ds)[no]}: kết quả các đơn vị, {span_text(ys)}",
                 labels.EXPLORE["year"], labels.EXPLORE["unit"], height=190 + 34 * len(order))
    status_layout(fig)
    table = pd.DataFrame({labels.EXPLORE["unit"]: [names[u] for u in order]})
    for y in ys:
        table[str(y)] = [status_label(ds, grid.at[u, y]) for u in order]
    return fig, table


def maintenance_view(ds: Dataset, group: str | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """Kept / gained / lost / lost and regained ...: number of units per criterion and class over the period."""
    crits, cnames = group_criteria(ds, group), criteria_names(ds)
    cls = cached_classes(ds)
    counts = cls[cls["criterion_no"].isin(crits)].groupby(["criterion_no", "maintenance_class"]).size()
    counts = counts.unstack(fill_value=0).reindex(index=crits, columns=list(theme.MAINTENANCE_COLORS), fill_value=0)
    ylab = [f"{c}. {cnames[c]}" for c in crits]
    fig = new_figure()
    for k in theme.MAINTENANCE_COLORS:
        if counts[k].sum() == 0 and k in ("no_data", vocab.NOT_APPLICABLE):
            continue
        fig.add_bar(y=ylab, x=counts[k].tolist(), orientation="h", name=labels.MAINTENANCE.get(k, k),
                    marker={"color": theme.MAINTENANCE_COLORS[k], "line": {"color": "#777", "width": 0.5}},
                    hovertemplate=f"%{{y}}<br>{labels.MAINTENANCE.get(k, k)}: %{{x:,d}} đơn vị<extra></extra>")
    fig.update_layout(barmode="stack")
    style_figure(fig, ds, f"Duy trì {group_title(ds, group)}, {span_text(ds.years)} (số đơn vị theo loại)",
                 labels.EXPLORE["n_units"], labels.EXPLORE["criterion"], height=170 + 26 * len(crits))
    count_axis(fig, "x", len(ds.units))
    fig.update_yaxes(autorange="reversed")
    table = pd.DataFrame({labels.EXPLORE["criterion"]: ylab})
    for k in theme.MAINTENANCE_COLORS:
        table[labels.MAINTENANCE.get(k, k)] = [fmt_number(x) for x in counts[k]]
    return fig, table


def risk_view(ds: Dataset, group: str | None = None, top: int = 10) -> tuple[go.Figure, pd.DataFrame]:
    """The criteria most at risk: units that lost them (and did or did not regain them), most first."""
    crits = group_criteria(ds, group)
    risk = cached_at_risk(ds)
    risk = risk[risk["criterion_no"].isin(crits) & risk["n_units_at_risk"].gt(0)].head(int(top))
    ylab = [f"{int(r.criterion_no)}. {r.criterion_name}" for r in risk.itertuples()]
    fig = new_figure()
    for k, col in (("lost", "n_units_lost"), ("lost_and_regained", "n_units_lost_and_regained")):
        fig.add_bar(y=ylab, x=risk[col].tolist(), orientation="h", name=labels.MAINTENANCE.get(k, k),
                    marker={"color": theme.MAINTENANCE_COLORS[k]},
                    hovertemplate=f"%{{y}}<br>{labels.MAINTENANCE.get(k, k)}: %{{x:,d}} đơn vị<extra></extra>")
    fig.update_layout(barmode="stack")
    style_figure(fig, ds, f"Các tiêu chí dễ bị mất nhất ({group_title(ds, group)}, {span_text(ds.years)})",
                 labels.EXPLORE["n_units"], labels.EXPLORE["criterion"], height=170 + 30 * max(len(ylab), 1))
    count_axis(fig, "x", risk["n_units_at_risk"].max() if len(risk) else 0)
    fig.update_yaxes(autorange="reversed")
    table = pd.DataFrame({
        labels.EXPLORE["criterion"]: ylab,
        labels.MAINTENANCE.get("lost", "lost"): [fmt_number(x) for x in risk["n_units_lost"]],
        labels.MAINTENANCE.get("lost_and_regained", "lost_and_regained"): [fmt_number(x) for x in risk["n_units_lost_and_regained"]],
        "Tổng số xã": [fmt_number(x) for x in risk["n_units_at_risk"]],
        "Năm bị mất": [x or MISSING for x in risk["years_lost"]],
    })
    return fig, table
