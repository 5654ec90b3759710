"""What every exploration view shares: labels, colours, cached analyses, look-ups, figure and table helpers.

The views of :mod:`nrlib.explore.results`, :mod:`nrlib.explore.criteria` and
:mod:`nrlib.explore.quality` and the controls of :mod:`nrlib.explore` draw on
this module for:

* the notebooks' Vietnamese labels and colours that are not in the reference
  data (:data:`LABELS`, :data:`STATUS_COLOURS`, ...);
* the analyses, computed once per Dataset (:func:`analysis_cache`) so that a
  control change only filters and draws;
* look-ups of units (names, Vietnamese order), criteria, years and metrics
  (:func:`metric_info`, :func:`metric_values`, :func:`fmt_value`);
* the look shared by every chart (:func:`style_figure`, a light template,
  traffic-light heatmaps) and the escaped HTML of a display table
  (:func:`table_html`).
"""

from __future__ import annotations

import html
import weakref

import pandas as pd
import plotly.graph_objects as go

from nrlib.analysis import campaign

from nrlib.analysis import maintenance

from nrlib.analysis import quality

from nrlib.analysis import results

from nrlib.analysis import thresholds
from nrlib.dataset import Dataset
from nrlib.exceptions import NrlibError
from nrlib.reference import unit_types
from nrlib.core.vnformat import MISSING, fmt_number, fmt_percent, sort_vietnamese

# --------------------------------------------------------------------------- labels and colours

FONT = "Segoe UI, Roboto, Noto Sans, DejaVu Sans, Arial, sans-serif"
#: criterion status -> colour of the scorecard cells (traffic lights; missing data is white)
STATUS_COLOURS = {"reached": "#2e7d32", "not_reached": "#c62828", "not_applicable": "#90a4ae",
                  "missing": "#ffffff"}
STATUS_ORDER = ("reached", "not_reached", "not_applicable", "missing")
MAINTENANCE_COLOURS = {"kept": "#2e7d32", "gained": "#66bb6a", "lost_and_regained": "#f9a825",
                       "lost": "#c62828", "never": "#8d6e63", "not_applicable": "#90a4ae", "no_data": "#eeeeee"}
COLOURS = {"unit": "#0b5394", "on_time": "#2e7d32", "late": "#f9a825", "missing": "#c62828"}
SEQUENCE = ["#0b5394", "#e69138", "#6aa84f", "#a64d79", "#3d85c6", "#cc0000"]

#: user-facing labels of the notebooks that are not in the reference data
#: (the outline holds Đạt / Chưa đạt / Không áp dụng and the metric labels)
LABELS = {
    "missing": "Thiếu số liệu", "all_units": "Toàn huyện (tất cả đơn vị)", "all_groups": "Tất cả các nhóm",
    "all_flags": "Tất cả các loại", "unit": "Đơn vị", "year": "Năm", "criterion": "Tiêu chí",
    "group": "Nhóm tiêu chí", "metric": "Chỉ tiêu", "per_household": "Bình quân trên 1 hộ",
    "units": "Đơn vị (giữ Ctrl để chọn nhiều)", "flag": "Loại đánh dấu", "top": "Số tiêu chí",
    "n_units": "Số đơn vị", "value": "Giá trị",
}
MAINTENANCE_LABELS = {
    "kept": "Duy trì đạt", "gained": "Mới đạt", "lost": "Bị mất, chưa đạt lại", "lost_and_regained": "Mất rồi đạt lại",
    "never": "Chưa đạt năm nào", "not_applicable": "Không áp dụng", "no_data": "Không có số liệu",
}
FLAG_LABELS = {"outlier": "Khác xa các đơn vị khác", "yoy": "Thay đổi bất thường so với năm trước",
               "declared_vs_measured": "Tự đánh giá Đạt nhưng số liệu chưa đạt mức"}
TIMELINESS_LABELS = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa nộp"}
SUBMISSION_LABELS = {"accepted": "Đã chấp nhận", "rejected": "Bị từ chối"}
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}

#: the value of an "all units / all groups / all kinds" option (ipywidgets reads None as "nothing selected")
ALL = ""


def status_label(ds: Dataset, status) -> str:
    """Vietnamese label of a criterion status (the outline's choices; 'missing' → Thiếu số liệu)."""
    if not isinstance(status, str) or status == "missing":
        return LABELS["missing"]
    return ds.outline.choice_label("criterion_status", status)


def maintenance_label(cls: str) -> str:
    return MAINTENANCE_LABELS.get(cls, cls)


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


def _matrix(ds):
    return results.criteria_matrix(ds, cache=analysis_cache(ds))


def _reached(ds):
    return results.criteria_reached(ds, cache=analysis_cache(ds))


def _classes(ds):
    return maintenance.classify_maintenance(ds, cache=analysis_cache(ds))


def _at_risk(ds):
    return maintenance.criteria_at_risk(ds, cache=analysis_cache(ds))


def _values(ds):
    return campaign.campaign_values(ds, cache=analysis_cache(ds))


def _unit_rates(ds):
    return campaign.rates(ds, by="unit", cache=analysis_cache(ds))


def _dvm(ds):
    return thresholds.declared_vs_measured(ds, cache=analysis_cache(ds))


def _flags(ds):
    return quality.quality_flags(ds, cache=analysis_cache(ds))


def _households(ds) -> str:
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
    """Whether 'per household' means something for a metric (not for rates nor the household count)."""
    return metric_info(ds, code)["kind"] != "rate" and code != _households(ds)


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
        r = _unit_rates(ds)
        out = r[r["code"] == code][["unit_code", "year", "numerator", "denominator"]].copy()
        out["value"] = r.loc[out.index, "rate"]
    else:
        v = _values(ds)
        out = v[v["code"] == code][["unit_code", "year", "value"]].rename(columns={"value": "numerator"})
        if per_household and per_household_applies(ds, code):
            hh = v[v["code"] == _households(ds)][["unit_code", "year", "value"]].rename(columns={"value": "denominator"})
            out = out.merge(hh, on=["unit_code", "year"], how="left")
            out["value"] = out["numerator"] / out["denominator"].where(out["denominator"] > 0)
        else:
            out = out.assign(denominator=1.0, value=out["numerator"])
    if years:
        out = out[out["year"].between(years[0], years[1])]
    return out[["unit_code", "year", "value", "numerator", "denominator"]].reset_index(drop=True)


def _value_unit(info: dict, per_household: bool) -> str:
    return f"{info['unit']}/hộ" if per_household else info["unit"]


def _digits(info: dict, per_household: bool) -> int:
    if info["kind"] == "rate":
        return 2
    return 3 if per_household else (0 if info["integer"] else 1)


def fmt_value(x, info: dict, per_household: bool = False, *, with_unit: bool = True) -> str:
    """A metric value in Vietnamese format (``1.234,5 triệu đồng``, ``89,96 %``)."""
    if x is None or pd.isna(x):
        return MISSING
    if info["kind"] == "rate":
        return fmt_percent(x, 2)
    text = fmt_number(x, _digits(info, per_household), trim=True)
    return f"{text} {_value_unit(info, per_household)}" if with_unit else text


# --------------------------------------------------------------------------- figure and table helpers


def _years_list(ds: Dataset, years) -> list[int]:
    lo, hi = years if years else year_bounds(ds)
    ys = [y for y in ds.years if lo <= y <= hi]
    if not ys:
        raise NrlibError(f"không có năm nào trong khoảng {lo}–{hi} / no year in {lo}-{hi}")
    return ys


def _span(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


#: a small template (white background, light grid, colours), cheap to validate on every redraw:
#: plotly's own "plotly_white" is expanded for every trace type and costs ~0,1 s per figure
_GRID = "#e5ebf2"
TEMPLATE = {"layout": {
    "paper_bgcolor": "white", "plot_bgcolor": "white", "colorway": SEQUENCE, "hovermode": "closest",
    "font": {"color": "#2a3f5f"},
    "xaxis": {"gridcolor": _GRID, "linecolor": _GRID, "zerolinecolor": _GRID, "ticks": "", "automargin": True,
              "title": {"standoff": 15}},
    "yaxis": {"gridcolor": _GRID, "linecolor": _GRID, "zerolinecolor": _GRID, "ticks": "", "automargin": True,
              "title": {"standoff": 15}},
}}


def _figure(data=None) -> go.Figure:
    return go.Figure(data=data, layout={"template": TEMPLATE})


def style_figure(fig: go.Figure, ds: Dataset, title: str, x_title: str, y_title: str, *,
                 height: int | None = None) -> go.Figure:
    """The look shared by every chart: Vietnamese title and axis titles, separators ``,.``, sample marker.

    The legend sits at the foot of the figure, under the x-axis title, in trace order.
    """
    if ds.is_sample:
        marker = html.escape(ds.outline.sample_marker)
        first, sep, rest = title.partition("<br>")
        title = f'{first} <span style="color:{STATUS_COLOURS["not_reached"]}"><b>· {marker}</b></span>{sep}{rest}'
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"}, separators=",.",
        font={"family": FONT, "size": 13}, margin={"l": 10, "r": 10, "t": 70, "b": 10}, height=height or 440,
        hoverlabel={"font_size": 13},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "traceorder": "normal"},
    )
    fig.update_xaxes(title_text=x_title, automargin=True)
    fig.update_yaxes(title_text=y_title, automargin=True)
    if x_title == LABELS["year"]:
        # years are categories: a numeric axis would tick "2.016,5" with Vietnamese separators
        fig.update_xaxes(type="category")
    return fig


def _count_axis(fig: go.Figure, axis: str, max_value) -> None:
    """Whole numbers on a count axis (no "0,5 đơn vị")."""
    small = max_value is not None and not pd.isna(max_value) and max_value <= 10
    fig.update_layout({f"{axis}axis": {"tickformat": ",d", "rangemode": "tozero", **({"dtick": 1} if small else {})}})


def _status_heatmap(ds: Dataset, grid: pd.DataFrame, x_labels, y_labels, hover: pd.DataFrame) -> list:
    """Traffic-light heatmap traces: the heatmap (one discrete colour per status) and a legend entry per status.

    Cells say Đạt / Chưa đạt; grey (Không áp dụng) and white (thiếu số liệu)
    speak through the legend; the full label is in the hover text.
    """
    n = len(STATUS_ORDER)
    index = {s: i for i, s in enumerate(STATUS_ORDER)}
    scale = [pair for i, s in enumerate(STATUS_ORDER) for pair in ([i / n, STATUS_COLOURS[s]],
                                                                   [(i + 1) / n, STATUS_COLOURS[s]])]
    short = {"reached": status_label(ds, "reached"), "not_reached": status_label(ds, "not_reached")}
    traces = [go.Heatmap(
        z=grid.apply(lambda col: col.map(index)).values.tolist(), x=list(x_labels), y=list(y_labels),
        text=grid.apply(lambda col: col.map(lambda s: short.get(s, ""))).values.tolist(),
        customdata=hover.values.tolist(), zmin=-0.5, zmax=n - 0.5, colorscale=scale, showscale=False,
        xgap=2, ygap=2, texttemplate="%{text}", textfont={"size": 11}, hovertemplate="%{customdata}<extra></extra>")]
    for s in STATUS_ORDER:
        traces.append(go.Scatter(x=[None], y=[None], mode="markers", name=status_label(ds, s), hoverinfo="skip",
                                 marker={"symbol": "square", "size": 14, "color": STATUS_COLOURS[s],
                                         "line": {"color": "#777", "width": 1}}))
    return traces


def _status_layout(fig: go.Figure) -> go.Figure:
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


def _unit_order(ds: Dataset, codes=None) -> list[str]:
    names = unit_names(ds)
    return sort_vietnamese([c for c in (names if codes is None else codes) if c in names],
                           key=lambda c: unit_sort_name(names[c]))


def _criteria_names(ds: Dataset) -> dict[int, str]:
    c = results.criteria_list(ds)
    return dict(zip(c["criterion_no"].astype(int), c["criterion_name"]))


def _group_criteria(ds: Dataset, group: str | None) -> list[int]:
    c = ds.criteria if not group else ds.criteria[ds.criteria["group_code"] == group]
    return sorted(int(x) for x in c["criterion_no"].unique())


def _group_title(ds: Dataset, group: str | None) -> str:
    if not group:
        return f"{len(_group_criteria(ds, None))} tiêu chí"
    return f"nhóm {group}. {ds.criteria.loc[ds.criteria['group_code'] == group, 'group_name'].iloc[0]}"


def _years_axis(years: list[int]) -> list[str]:
    return [str(y) for y in years]
