"""What every exploration view shares: cached analyses, look-ups, figure and table helpers.

The views of :mod:`nrlib.explore.results`, :mod:`nrlib.explore.criteria` and
:mod:`nrlib.explore.quality` and the controls of :mod:`nrlib.explore` draw on
this module for:

* the labels and colours of the whole package (:mod:`nrlib.core.labels`,
  :mod:`nrlib.present.theme`), the same as the reports';
* the analyses, computed once per Dataset (:func:`analysis_cache`) so that a
  control change only filters and draws;
* look-ups of units (names, Vietnamese order), criteria, years and metrics
  (:func:`metric_info`, :func:`metric_values`, :func:`fmt_value`);
* the chart theme applied to a notebook's chart (:func:`style_figure`,
  traffic-light heatmaps) and the escaped HTML of a display table
  (:func:`table_html`).
"""

from __future__ import annotations

import html
import weakref

import pandas as pd
import plotly.graph_objects as go

from nrlib.analysis import campaign, maintenance, quality, results, thresholds, urban
from nrlib.core import labels
from nrlib.core.vnformat import MISSING, decimals_for, fmt_number, fmt_percent, sort_vietnamese
from nrlib.core.vocab import CRITERION_STATUSES
from nrlib.core.vocab import MISSING as MISSING_STATUS
from nrlib.dataset import Dataset
from nrlib.exceptions import NrlibError
from nrlib.present import theme
from nrlib.reference import unit_types

# --------------------------------------------------------------------------- labels

#: criterion statuses in the order the views list them (:mod:`nrlib.core.vocab`)
STATUS_ORDER = (*CRITERION_STATUSES, MISSING_STATUS)

#: the value of an "all units / all groups / all kinds" option (ipywidgets reads None as "nothing selected")
ALL = ""


def status_label(ds: Dataset, status) -> str:
    """Vietnamese label of a criterion status (the outline's choices; nothing declared: :data:`labels.STATUS_MISSING`)."""
    if not isinstance(status, str) or status == MISSING_STATUS:
        return labels.STATUS_MISSING
    return ds.outline.choice_label("criterion_status", status)


# --------------------------------------------------------------------------- analyses, computed once per Dataset

_CACHE: dict[int, dict] = {}


def analysis_cache(ds: Dataset) -> dict:
    """The analysis cache (:mod:`nrlib.core.memo`) of a Dataset, kept while the Dataset lives.

    Every view passes it to the analysis functions, so the criteria matrix,
    maintenance classes, flags ... are computed at the first drawing and a
    control change only filters and draws.
    """
    key = id(ds)
    if key not in _CACHE:
        _CACHE[key] = {}
        weakref.finalize(ds, _CACHE.pop, key, None)
    return _CACHE[key]


def forget_analyses(ds: Dataset) -> None:
    """Drop the analyses cached for ``ds`` (the next view computes them again; the benchmarks time that)."""
    _CACHE.pop(id(ds), None)


def cached_matrix(ds):
    return results.criteria_matrix(ds, cache=analysis_cache(ds))


def cached_reached(ds):
    return results.criteria_reached(ds, cache=analysis_cache(ds))


def cached_classes(ds):
    return maintenance.classify_maintenance(ds, cache=analysis_cache(ds))


def cached_at_risk(ds):
    return maintenance.criteria_at_risk(ds, cache=analysis_cache(ds))


def cached_values(ds):
    return campaign.campaign_values(ds, cache=analysis_cache(ds))


def cached_unit_rates(ds):
    return campaign.rates(ds, by="unit", cache=analysis_cache(ds))


def cached_dvm(ds):
    return thresholds.declared_vs_measured(ds, cache=analysis_cache(ds))


def cached_flags(ds):
    return quality.quality_flags(ds, cache=analysis_cache(ds))


def cached_urban_matrix(ds):
    return urban.urban_matrix(ds, cache=analysis_cache(ds))


def cached_urban_reached(ds):
    return urban.urban_reached(ds, cache=analysis_cache(ds))


def household_metric(ds) -> str:
    return ds.outline.household_metric


# --------------------------------------------------------------------------- units and years


def unit_names(ds: Dataset) -> dict[str, str]:
    """unit_code → current name."""
    return dict(zip(ds.units["unit_code"], ds.units["name"]))


def unit_sort_name(name: str) -> str:
    """A unit's name without its type prefix ("Xã ", "Thị trấn ", "Phường "), for ordering."""
    for prefix in sorted(unit_types()["name_prefix"], key=len, reverse=True):
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1:]
    return name


def year_bounds(ds: Dataset) -> tuple[int, int]:
    return min(ds.years), max(ds.years)


# --------------------------------------------------------------------------- metrics


def metric_info(ds: Dataset, code: str) -> dict:
    """``code, label, unit, kind ('flow'|'stock'|'rate'), integer`` (+ ``numerator, denominator, scale`` of a rate)."""
    for table, is_rate in ((ds.outline.metrics, False), (ds.outline.rates, True)):
        row = table[table["code"] == code]
        if len(row):
            r = row.iloc[0]
            if is_rate:
                return {"code": code, "label": r["label"], "unit": r["unit"], "kind": "rate", "integer": False,
                        "numerator": r["numerator"], "denominator": r["denominator"], "scale": float(r["scale"])}
            return {"code": code, "label": r["label"], "unit": r["unit"], "kind": r["kind"],
                    "integer": bool(r["integer"])}
    raise NrlibError(f"chỉ tiêu không có trong đề cương: {code!r} / unknown metric code {code!r}")


def per_household_applies(ds: Dataset, code: str) -> bool:
    """Whether 'per household' means something for a metric: the outline marks it (money, land, working
    days); never a rate nor the household count."""
    if metric_info(ds, code)["kind"] == "rate" or code == household_metric(ds):
        return False
    m = ds.outline.metrics.set_index("code")
    return bool(m["per_household"].get(code, False))


def metric_values(ds: Dataset, code: str, years: tuple[int, int] | None = None, *,
                  per_household: bool = False) -> pd.DataFrame:
    """Per unit and year: ``unit_code, year, value, numerator, denominator``.

    Method: metric values are :func:`nrlib.analysis.campaign.campaign_values`; a rate
    is :func:`nrlib.analysis.campaign.rates` (``scale × numerator / denominator`` of the
    unit-year); with ``per_household`` a count or amount is divided by the
    unit's households (``outline.household_metric``) of the same
    year. Without a divisor, ``denominator`` is 1.
    """
    info = metric_info(ds, code)
    if info["kind"] == "rate":
        r = cached_unit_rates(ds)
        out = r[r["code"] == code][["unit_code", "year", "numerator", "denominator"]].copy()
        out["value"] = r.loc[out.index, "rate"]
    else:
        v = cached_values(ds)
        out = v[v["code"] == code][["unit_code", "year", "value"]].rename(columns={"value": "numerator"})
        if per_household and per_household_applies(ds, code):
            hh = v[v["code"] == household_metric(ds)][["unit_code", "year", "value"]].rename(columns={"value": "denominator"})
            out = out.merge(hh, on=["unit_code", "year"], how="left")
            out["value"] = out["numerator"] / out["denominator"].where(out["denominator"] > 0)
        else:
            out = out.assign(denominator=1.0, value=out["numerator"])
    if years:
        out = out[out["year"].between(years[0], years[1])]
    return out[["unit_code", "year", "value", "numerator", "denominator"]].reset_index(drop=True)


def value_unit(info: dict, per_household: bool) -> str:
    return f"{info['unit']}/hộ" if per_household else info["unit"]


def digits_of(info: dict, per_household: bool) -> int:
    """Decimals of a metric's values (:func:`nrlib.core.vnformat.decimals_for`, the reports' rule)."""
    if info["kind"] == "rate":
        return decimals_for("%")
    return decimals_for(value_unit(info, per_household), bool(info["integer"]) and not per_household)


def fmt_value(x, info: dict, per_household: bool = False, *, with_unit: bool = True) -> str:
    """A metric value in Vietnamese format (``1.234,5 triệu đồng``, ``89,96%``)."""
    if x is None or pd.isna(x):
        return MISSING
    if info["kind"] == "rate":
        return fmt_percent(x, 2)
    text = fmt_number(x, digits_of(info, per_household), trim=True)
    return f"{text} {value_unit(info, per_household)}" if with_unit else text


# --------------------------------------------------------------------------- figure and table helpers


def years_in(ds: Dataset, years) -> list[int]:
    lo, hi = years if years else year_bounds(ds)
    ys = [y for y in ds.years if lo <= y <= hi]
    if not ys:
        raise NrlibError(f"không có năm nào trong khoảng {lo}–{hi} / no year in {lo}-{hi}")
    return ys


def span_text(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def new_figure(data=None) -> go.Figure:
    return go.Figure(data=data, layout={"template": theme.TEMPLATE})


def style_figure(fig: go.Figure, ds: Dataset, title: str, x_title: str, y_title: str, *,
                 height: int | None = None) -> go.Figure:
    """The look shared by every chart: Vietnamese title and axis titles, separators ``,.``, sample marker.

    The legend sits at the foot of the figure, under the x-axis title, in trace order.
    """
    if ds.is_sample:
        marker = html.escape(ds.outline.sample_marker)
        first, sep, rest = title.partition("<br>")
        title = f'{first} <span style="color:{theme.STATUS_COLORS["not_reached"]}"><b>· {marker}</b></span>{sep}{rest}'
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"}, separators=theme.SEPARATORS,
        font={"family": theme.FONT, "size": 13}, margin={"l": 10, "r": 10, "t": 70, "b": 10}, height=height or 440,
        hoverlabel={"font_size": 13},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "traceorder": "normal"},
    )
    fig.update_xaxes(title_text=x_title, automargin=True)
    fig.update_yaxes(title_text=y_title, automargin=True)
    if x_title == labels.EXPLORE["year"]:
        # years are categories: a numeric axis would tick "2.016,5" with Vietnamese separators
        fig.update_xaxes(type="category")
    return fig


def count_axis(fig: go.Figure, axis: str, max_value) -> None:
    """Whole numbers on a count axis (no "0,5 đơn vị")."""
    small = max_value is not None and not pd.isna(max_value) and max_value <= 10
    fig.update_layout({f"{axis}axis": {"tickformat": ",d", "rangemode": "tozero", **({"dtick": 1} if small else {})}})


def status_heatmap(ds: Dataset, grid: pd.DataFrame, x_labels, y_labels, hover: pd.DataFrame) -> list:
    """Traffic-light heatmap traces: the heatmap (one discrete colour per status) and a legend entry per status.

    Cells say Đạt / Chưa đạt; grey (Không áp dụng) and white (thiếu số liệu)
    speak through the legend; the full label is in the hover text.
    """
    n = len(STATUS_ORDER)
    index = {s: i for i, s in enumerate(STATUS_ORDER)}
    scale = [pair for i, s in enumerate(STATUS_ORDER) for pair in ([i / n, theme.STATUS_COLORS[s]],
                                                                   [(i + 1) / n, theme.STATUS_COLORS[s]])]
    short = {"reached": status_label(ds, "reached"), "not_reached": status_label(ds, "not_reached")}
    traces = [go.Heatmap(
        z=grid.apply(lambda col: col.map(index)).values.tolist(), x=list(x_labels), y=list(y_labels),
        text=grid.apply(lambda col: col.map(lambda s: short.get(s, ""))).values.tolist(),
        customdata=hover.values.tolist(), zmin=-0.5, zmax=n - 0.5, colorscale=scale, showscale=False,
        xgap=2, ygap=2, texttemplate="%{text}", textfont={"size": 11}, hovertemplate="%{customdata}<extra></extra>")]
    for s in STATUS_ORDER:
        traces.append(go.Scatter(x=[None], y=[None], mode="markers", name=status_label(ds, s), hoverinfo="skip",
                                 marker={"symbol": "square", "size": 14, "color": theme.STATUS_COLORS[s],
                                         "line": {"color": "#777", "width": 1}}))
    return traces


def status_layout(fig: go.Figure) -> go.Figure:
    """Rows top to bottom, years on top (the legend is below), room for the title above the years."""
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    fig.update_layout(showlegend=True, margin={"t": 120, "b": 40})
    return fig


def table_html(table: pd.DataFrame, *, max_height: int = 420) -> str:
    """A display table as escaped HTML (text from submissions is shown as text, never as markup)."""
    if table is None or table.empty:
        return '<p style="color:#555"><i>Không có dòng nào phù hợp với lựa chọn.</i></p>'
    body = table.to_html(index=False, escape=True, border=0, classes="nrlib-table", na_rep=MISSING)
    style = ("<style>.nrlib-table{border-collapse:collapse;font-size:13px}"
             ".nrlib-table th,.nrlib-table td{border:1px solid #ddd;padding:3px 8px;text-align:left}"
             ".nrlib-table th{background:#f3f3f3;position:sticky;top:0}</style>")
    return f'{style}<div style="max-height:{max_height}px;overflow:auto">{body}</div>'


def unit_order(ds: Dataset, codes=None) -> list[str]:
    names = unit_names(ds)
    return sort_vietnamese([c for c in (names if codes is None else codes) if c in names],
                           key=lambda c: unit_sort_name(names[c]))


def criteria_names(ds: Dataset) -> dict[int, str]:
    c = results.criteria_list(ds)
    return dict(zip(c["criterion_no"].astype(int), c["criterion_name"]))


def group_criteria(ds: Dataset, group: str | None) -> list[int]:
    c = ds.criteria if not group else ds.criteria[ds.criteria["group_code"] == group]
    return sorted(int(x) for x in c["criterion_no"].unique())


def group_title(ds: Dataset, group: str | None) -> str:
    if not group:
        return f"{len(group_criteria(ds, None))} tiêu chí"
    return f"nhóm {group}. {ds.criteria.loc[ds.criteria['group_code'] == group, 'group_name'].iloc[0]}"


def years_axis(years: list[int]) -> list[str]:
    return [str(y) for y in years]
