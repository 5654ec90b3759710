"""Interactive exploration: the logic behind every control of the notebooks in ``notebooks/``.

A *view* is a pure function ``view(ds, **control_values) -> (figure, table)``:
``figure`` is a plotly ``Figure`` with a Vietnamese title, axis titles, units,
Vietnamese number separators (``layout.separators=",."``, hover templates
included) and the DỮ LIỆU MẪU marker when the data are sample data; ``table``
is a DataFrame of display strings (Vietnamese formats, Vietnamese headers)
that :func:`table_html` renders, escaped. Option functions give dropdown
options ``(label, value)`` sorted in Vietnamese dictionary order
(:func:`nrlib.vnformat.sort_key`). :class:`Panel` wires ipywidgets controls to a
view and redraws a ``FigureWidget`` and an HTML table in place when a control
changes, so a notebook cell only says which controls a view gets.

Analysis results (criteria matrix, maintenance classes, quality flags, ...)
are computed once per Dataset and reused by every view of that Dataset: a
control change then only filters and draws.
"""

from __future__ import annotations

import html
import json
import time
import weakref
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go

from . import campaign, config, maintenance, quality, results, thresholds
from .dataset import Dataset
from .exceptions import NrlibError, StoreError
from .reference import _unit_types
from .timeliness import reporting_rates
from .vnformat import MISSING, fmt_data_version, fmt_date, fmt_number, fmt_percent, sort_vietnamese

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


# --------------------------------------------------------------------------- opening the store


class NoDataError(StoreError):
    """No data to explore yet. Rendered in a notebook as one short line, not a traceback."""

    def _render_traceback_(self) -> list[str]:  # IPython calls this instead of printing the traceback
        return [f"\x1b[1;31mDừng sổ tay: {self}\x1b[0m"]


def no_data_message(db_path: Path, reason: str) -> str:
    """What to tell an analyst who has no data to explore yet, and which command provides it."""
    return (f"Chưa có dữ liệu để phân tích ({reason}). Kho dữ liệu cần mở: {db_path}. "
            "Cách khắc phục: nhập các báo cáo đã nhận bằng lệnh "
            "`.venv/bin/nrlib ingest thu-muc/*.xlsx --received 2021-02-18` "
            "(hoặc `--manifest received.csv`), hoặc chạy `make demo` để tạo DỮ LIỆU MẪU; nếu kho có số liệu "
            "của nhiều huyện, ghi mã huyện vào tham số `district_code` ở ô tham số đầu sổ tay. "
            "Sau đó chạy lại sổ tay từ đầu (Kernel → Restart Kernel and Run All Cells).")


def load_dataset_or_stop(db_path: str | Path | None = None, district_code: str | None = None) -> Dataset:
    """Open the store read-only and return its Dataset, or stop the notebook with a clear message.

    Method: the store is ``db_path``, else :func:`nrlib.config.default_db_path`
    (``$NRLIB_DB`` or ``data/nrlib.duckdb``). When it is missing or unreadable,
    or holds no accepted submission, the Vietnamese message of
    :func:`no_data_message` is displayed (when running under IPython) and
    :class:`NoDataError` is raised; IPython renders it as one line, so the
    notebook stops at that cell without a traceback wall.
    """
    from .store import load_dataset

    path = Path(db_path) if db_path else config.default_db_path()
    try:
        ds = load_dataset(path, district_code=district_code)
    except StoreError as exc:
        _stop(path, f"không mở được kho dữ liệu: {exc}")
    subs = ds.submissions
    current = subs[subs["is_current"]] if "is_current" in subs.columns else subs[subs["status"] == "accepted"]
    if current.empty:
        _stop(path, "kho dữ liệu chưa có báo cáo nào được chấp nhận")
    return ds


def _stop(path: Path, reason: str):
    message = no_data_message(path, reason)
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display

        if get_ipython() is not None:
            display(HTML('<div style="border-left:6px solid #c62828;background:#fdecea;padding:10px 14px;'
                         f'font-size:14px"><b>Chưa có dữ liệu</b><br>{_md_code(message)}</div>'))
    except ImportError:  # pragma: no cover - IPython ships with the notebooks' dependencies
        pass
    raise NoDataError(message)


def _md_code(text: str) -> str:
    parts = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def banner(ds: Dataset):
    """The banner of :func:`banner_html` as a displayable object (the notebooks' first output)."""
    from IPython.display import HTML

    return HTML(banner_html(ds))


def banner_html(ds: Dataset) -> str:
    """One line saying which data a notebook shows (units, submissions, data version, sample marker)."""
    subs = ds.submissions
    current = subs[subs["is_current"]] if "is_current" in subs.columns else subs
    district = ds.units["district_name"].iloc[0] if len(ds.units) else ""
    parts = [f"<b>{html.escape(str(district))}</b>: {len(ds.units)} đơn vị, "
             f"{current['unit_code'].nunique()} đơn vị có báo cáo được chấp nhận"]
    if ds.data_version:
        parts.append(f"phiên bản dữ liệu {html.escape(fmt_data_version(ds.data_version))}")
    text = "; ".join(parts) + "."
    if ds.is_sample:
        text = (f'<span style="background:#c62828;color:#fff;padding:2px 6px;font-weight:bold">'
                f'{html.escape(ds.outline.sample_marker)}</span> ' + text)
    return f'<div style="font-size:14px;margin:4px 0">{text}</div>'


# --------------------------------------------------------------------------- analyses, computed once per Dataset

_CACHE: dict[int, dict] = {}


def analysis_cache(ds: Dataset) -> dict:
    """The analysis cache (:mod:`nrlib._memo`) of a Dataset, kept while the Dataset lives.

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
    return campaign.household_code(ds, cache=analysis_cache(ds))


# --------------------------------------------------------------------------- options for the controls


def unit_names(ds: Dataset) -> dict[str, str]:
    """unit_code → current name."""
    return dict(zip(ds.units["unit_code"], ds.units["name"]))


def unit_options(ds: Dataset, *, include_all: bool = False) -> list[tuple[str, str | None]]:
    """Units as ``(label, unit_code)``, a former name in brackets
    (``Thị trấn Dầu Giây (trước đây: Xã Xuân Thạnh)``); with ``include_all``, first ``(Toàn huyện, ALL)``.

    Order: Vietnamese dictionary order of the proper name (:func:`unit_sort_name`), so
    "Xã Bàu Hàm 2" comes before "Thị trấn Dầu Giây" whatever the unit types.
    """
    former = {c: list(dict.fromkeys(g.sort_values("year")["name"])) for c, g in ds.unit_years.groupby("unit_code")}
    opts = []
    for code in _unit_order(ds):
        name = unit_names(ds)[code]
        others = [n for n in former.get(code, []) if n != name]
        opts.append((f"{name} (trước đây: {', '.join(others)})" if others else name, code))
    return ([(LABELS["all_units"], ALL)] if include_all else []) + opts


def unit_sort_name(name: str) -> str:
    """A unit's name without its type prefix ("Xã ", "Thị trấn ", "Phường "), for ordering."""
    for prefix in sorted(_unit_types()["name_prefix"], key=len, reverse=True):
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1:]
    return name


def group_options(ds: Dataset) -> list[tuple[str, str | None]]:
    """Criteria groups as ``(label, group_code)`` in the criteria set's order, after 'all groups'."""
    groups = ds.criteria[["group_code", "group_name"]].drop_duplicates()
    return [(LABELS["all_groups"], ALL)] + [(f"{g.group_code}. {g.group_name}", g.group_code)
                                            for g in groups.itertuples()]


def criterion_options(ds: Dataset) -> list[tuple[str, int]]:
    """Criteria as ``(label, criterion_no)`` in their official (number) order."""
    return [(f"{no}. {name}", no) for no, name in _criteria_names(ds).items()]


def metric_options(ds: Dataset) -> list[tuple[str, str]]:
    """Campaign metrics, then rates, as ``(label (unit), code)``, each list in Vietnamese order."""
    out = []
    for table in (ds.outline.metrics, ds.outline.rates):
        out += sort_vietnamese([(f"{x.label} ({x.unit})", x.code) for x in table.itertuples()], key=lambda o: o[0])
    return out


def flag_options(ds: Dataset) -> list[tuple[str, str | None]]:
    """Kinds of quality flag, as ``(label, flag)``, after 'all flags'."""
    return [(LABELS["all_flags"], ALL)] + [(label, flag) for flag, label in FLAG_LABELS.items()]


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

    Method: metric values are :func:`nrlib.campaign.campaign_values`; a rate
    is :func:`nrlib.campaign.rates` (``scale × numerator / denominator`` of the
    unit-year); with ``per_household`` a count or amount is divided by the
    unit's households (:func:`nrlib.campaign.household_metric`) of the same
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


# --------------------------------------------------------------------------- views: results (notebook 01)


def overview_view(ds: Dataset, years=None) -> tuple[go.Figure, pd.DataFrame]:
    """District overview: criteria reached per unit and year, ``n_reached/n_applicable``.

    A unit-year where no criterion applies (a town) shows "Không áp dụng" and
    one with no declared status at all "Thiếu số liệu", both uncoloured: the
    first is outside the new-rural standard, the second unknown, neither is
    "0 reached". Blank declarations are counted (``thiếu k``), never as reached.
    """
    ys = _years_list(ds, years)
    names, order = unit_names(ds), _unit_order(ds)
    r = _reached(ds)
    r = r[r["year"].isin(ys)]

    def grid(col):
        return r.pivot_table(index="unit_code", columns="year", values=col, aggfunc="first").reindex(
            index=order, columns=ys)

    n, a, miss = grid("n_reached"), grid("n_applicable"), grid("n_missing")
    text = pd.DataFrame(LABELS["missing"], index=order, columns=ys)
    text = text.mask(a.eq(0), status_label(ds, "not_applicable"))
    known = a.gt(0) & miss.lt(a)
    count = n.fillna(0).astype(int).astype(str) + "/" + a.fillna(0).astype(int).astype(str)
    count = count.where(miss.fillna(0).eq(0), count + ", thiếu " + miss.fillna(0).astype(int).astype(str))
    text = text.mask(known, count)
    fig = _figure(go.Heatmap(
        z=n.where(known).values.tolist(), x=_years_axis(ys), y=[names[u] for u in order],
        text=text.values.tolist(), texttemplate="%{text}", colorscale="Greens", zmin=0,
        zmax=len(_group_criteria(ds, None)), xgap=2, ygap=2,
        hovertemplate="%{y}<br>Năm %{x}: %{text}<extra></extra>", colorbar={"title": {"text": "Số tiêu chí đạt"}}))
    style_figure(fig, ds, f"Số tiêu chí nông thôn mới đạt / áp dụng theo đơn vị, {_span(ys)}", LABELS["year"],
                 LABELS["unit"], height=150 + 34 * len(order))
    fig.update_yaxes(autorange="reversed")
    table = text.copy()
    table.columns = _years_axis(ys)
    table.insert(0, LABELS["unit"], [names[u] for u in order])
    full = r[r["all_reached"].fillna(False).astype(bool)].groupby("year")["unit_code"].nunique()
    foot = {LABELS["unit"]: "Số đơn vị đạt đủ các tiêu chí áp dụng",
            **{str(y): fmt_number(full.get(y, 0)) for y in ys}}
    return fig, pd.concat([table, pd.DataFrame([foot])], ignore_index=True)


def unit_view(ds: Dataset, unit_code: str, years=None) -> tuple[go.Figure, pd.DataFrame]:
    """One unit: its criteria by status each year (stacked bars) and its campaign results each year."""
    ys = _years_list(ds, years)
    name = unit_names(ds)[unit_code]
    m = _matrix(ds)
    m = m[(m["unit_code"] == unit_code) & m["year"].isin(ys)]
    counts = m.groupby(["year", "status"]).size().unstack(fill_value=0).reindex(index=ys, fill_value=0)
    fig = _figure()
    for s in STATUS_ORDER:
        fig.add_bar(x=_years_axis(ys), y=(counts[s] if s in counts else pd.Series(0, index=ys)).tolist(),
                    name=status_label(ds, s), marker={"color": STATUS_COLOURS[s], "line": {"color": "#777", "width": 1}},
                    hovertemplate=f"Năm %{{x}}: %{{y:,d}} tiêu chí {status_label(ds, s)}<extra></extra>")
    fig.update_layout(barmode="stack")
    style_figure(fig, ds, f"{name}: kết quả các tiêu chí theo năm, {_span(ys)}", LABELS["year"], "Số tiêu chí")
    _count_axis(fig, "y", None)
    v = _values(ds)
    v = v[(v["unit_code"] == unit_code) & v["year"].isin(ys)]
    grid = v.pivot_table(index="code", columns="year", values="value", aggfunc="first")
    rows = []
    for code in ds.outline.metrics["code"]:
        info = metric_info(ds, code)
        got = grid.loc[code] if code in grid.index else pd.Series(dtype=float)
        rows.append({LABELS["metric"]: f"{code}. {info['label']}", "Đơn vị tính": info["unit"],
                     **{str(y): fmt_value(got.get(y), info, with_unit=False) for y in ys}})
    return fig, pd.DataFrame(rows)


def campaign_view(ds: Dataset, metric_code: str, years=None, per_household: bool = False
                  ) -> tuple[go.Figure, pd.DataFrame]:
    """A campaign result over the chosen years, one bar per unit, the district figure in the title.

    Method (that of :mod:`nrlib.campaign`, on the chosen years): a flow is
    summed over the years, a stock is its last chosen year's level, a rate is
    recomputed from numerator and denominator of the last chosen year; per
    household divides by the households of the last chosen year. The
    district figure sums numerators and denominators over the units having
    both, never averaging units.
    """
    ys = _years_list(ds, years)
    info = metric_info(ds, metric_code)
    per_household = bool(per_household) and per_household_applies(ds, metric_code)
    v = metric_values(ds, metric_code, (ys[0], ys[-1]))
    last = v[v["year"] == ys[-1]].set_index("unit_code")
    order = _unit_order(ds)
    if info["kind"] == "flow":
        num = v.groupby("unit_code")["numerator"].sum(min_count=1).reindex(order)
    else:
        num = last["numerator"].reindex(order)
    den = None
    if info["kind"] == "rate":
        den = last["denominator"].reindex(order)
    elif per_household:
        den = metric_values(ds, _households(ds), (ys[-1], ys[-1])).set_index("unit_code")["value"].reindex(order)
    scale = info.get("scale", 1.0)
    if den is None:
        value, district = num, num.sum(min_count=1)
    else:
        ok = num.notna() & den.gt(0)
        value = scale * num / den.where(den > 0)
        district = scale * num[ok].sum() / den[ok].sum() if ok.any() else float("nan")
    unit = _value_unit(info, per_household)
    how = {"flow": f"cộng {_span(ys)}", "stock": f"cuối năm {ys[-1]}", "rate": f"năm {ys[-1]}"}[info["kind"]]
    label = f"{info['label']} ({how}{', bình quân 1 hộ' if per_household else ''})"
    names = unit_names(ds)
    fig = _figure(go.Bar(x=[names[u] for u in order], y=value.tolist(), marker={"color": COLOURS["unit"]},
                           hovertemplate=f"%{{x}}<br>%{{y:,.{_digits(info, per_household)}f}} {unit}<extra></extra>"))
    style_figure(fig, ds, f"{label}<br><sup>Toàn huyện: {fmt_value(district, info, per_household)}</sup>",
                 LABELS["unit"], unit)
    table = pd.DataFrame({LABELS["unit"]: [names[u] for u in order] + ["Toàn huyện"],
                          label: [fmt_value(x, info, per_household) for x in list(value) + [district]]})
    return fig, table


def trend_view(ds: Dataset, metric_code: str, unit_codes=(), per_household: bool = False, years=None
               ) -> tuple[go.Figure, pd.DataFrame]:
    """A metric year by year: one line per chosen unit, or the district's line when none is chosen.

    Method: the district line sums numerators and denominators of the units
    having both that year (rates recomputed, never averaged).
    """
    ys = _years_list(ds, years)
    info = metric_info(ds, metric_code)
    per_household = bool(per_household) and per_household_applies(ds, metric_code)
    v = metric_values(ds, metric_code, (ys[0], ys[-1]), per_household=per_household)
    names = unit_names(ds)
    series: dict[str, pd.Series] = {}
    for u in _unit_order(ds, unit_codes or ()):
        series[names[u]] = v[v["unit_code"] == u].set_index("year")["value"].reindex(ys)
    if not series:
        ok = v[v["numerator"].notna() & v["denominator"].gt(0)]
        g = ok.groupby("year")[["numerator", "denominator"]].sum().reindex(ys)
        divided = info["kind"] == "rate" or per_household
        series["Toàn huyện"] = info.get("scale", 1.0) * g["numerator"] / g["denominator"] if divided \
            else g["numerator"]
    unit = _value_unit(info, per_household)
    fig = _figure()
    for label, s in series.items():
        fig.add_scatter(x=_years_axis(ys), y=s.tolist(), mode="lines+markers", name=label,
                        hovertemplate=f"{html.escape(label)}<br>Năm %{{x}}: "
                                      f"%{{y:,.{_digits(info, per_household)}f}} {unit}<extra></extra>")
    style_figure(fig, ds, f"{info['label']}{', bình quân 1 hộ' if per_household else ''}, {_span(ys)}",
                 LABELS["year"], unit)
    fig.update_layout(showlegend=True)
    rows = [{LABELS["unit"]: label, **{str(y): fmt_value(s.get(y), info, per_household) for y in ys}}
            for label, s in series.items()]
    return fig, pd.DataFrame(rows)


# --------------------------------------------------------------------------- views: criteria (notebook 02)


def scorecard_view(ds: Dataset, unit_code: str, years=None, group: str | None = None
                   ) -> tuple[go.Figure, pd.DataFrame]:
    """One unit's scorecard: criterion × year in traffic-light colours, and each criterion's maintenance class.

    Colours: Đạt green, Chưa đạt red, Không áp dụng grey, thiếu số liệu
    white (statuses of :func:`nrlib.results.criteria_matrix`).
    """
    ys = _years_list(ds, years)
    crits, cnames = _group_criteria(ds, group), _criteria_names(ds)
    name = unit_names(ds)[unit_code]
    m = _matrix(ds)
    m = m[(m["unit_code"] == unit_code) & m["year"].isin(ys) & m["criterion_no"].isin(crits)]
    grid = m.pivot_table(index="criterion_no", columns="year", values="status", aggfunc="first")
    grid = grid.reindex(index=crits, columns=ys).fillna("missing")
    ylab = [f"{c}. {cnames[c]}" for c in crits]
    hover = pd.DataFrame({y: [f"{html.escape(name)}<br>Tiêu chí {html.escape(lab)}<br>Năm {y}: "
                              f"{status_label(ds, grid.at[c, y])}" for c, lab in zip(crits, ylab)] for y in ys},
                         index=crits)
    fig = _figure(_status_heatmap(ds, grid, _years_axis(ys), ylab, hover))
    fig.data[0].meta = {"unit_code": unit_code}
    style_figure(fig, ds, f"Kết quả {_group_title(ds, group)} — {name}, {_span(ys)}", LABELS["year"],
                 LABELS["criterion"], height=190 + 30 * len(crits))
    _status_layout(fig)
    cls = _classes(ds)
    cls = cls[cls["unit_code"] == unit_code].set_index("criterion_no")["maintenance_class"]
    table = pd.DataFrame({LABELS["criterion"]: ylab})
    for y in ys:
        table[str(y)] = [status_label(ds, grid.at[c, y]) for c in crits]
    table[f"Duy trì {_span(ds.years)}"] = [maintenance_label(cls[c]) if c in cls.index else MISSING for c in crits]
    return fig, table


def criterion_view(ds: Dataset, criterion_no: int, years=None) -> tuple[go.Figure, pd.DataFrame]:
    """One criterion across units: unit × year in traffic-light colours."""
    ys = _years_list(ds, years)
    names, order = unit_names(ds), _unit_order(ds)
    no = int(criterion_no)
    m = _matrix(ds)
    m = m[(m["criterion_no"] == no) & m["year"].isin(ys)]
    grid = m.pivot_table(index="unit_code", columns="year", values="status", aggfunc="first")
    grid = grid.reindex(index=order, columns=ys).fillna("missing")
    hover = pd.DataFrame({y: [f"{html.escape(names[u])}<br>Năm {y}: {status_label(ds, grid.at[u, y])}"
                              for u in order] for y in ys}, index=order)
    fig = _figure(_status_heatmap(ds, grid, _years_axis(ys), [names[u] for u in order], hover))
    style_figure(fig, ds, f"Tiêu chí {no}. {_criteria_names(ds)[no]}: kết quả các đơn vị, {_span(ys)}",
                 LABELS["year"], LABELS["unit"], height=190 + 34 * len(order))
    _status_layout(fig)
    table = pd.DataFrame({LABELS["unit"]: [names[u] for u in order]})
    for y in ys:
        table[str(y)] = [status_label(ds, grid.at[u, y]) for u in order]
    return fig, table


def maintenance_view(ds: Dataset, group: str | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """Kept / gained / lost / lost and regained ...: number of units per criterion and class over the period."""
    crits, cnames = _group_criteria(ds, group), _criteria_names(ds)
    cls = _classes(ds)
    counts = cls[cls["criterion_no"].isin(crits)].groupby(["criterion_no", "maintenance_class"]).size()
    counts = counts.unstack(fill_value=0).reindex(index=crits, columns=list(MAINTENANCE_COLOURS), fill_value=0)
    ylab = [f"{c}. {cnames[c]}" for c in crits]
    fig = _figure()
    for k in MAINTENANCE_COLOURS:
        if counts[k].sum() == 0 and k in ("no_data", "not_applicable"):
            continue
        fig.add_bar(y=ylab, x=counts[k].tolist(), orientation="h", name=maintenance_label(k),
                    marker={"color": MAINTENANCE_COLOURS[k], "line": {"color": "#777", "width": 0.5}},
                    hovertemplate=f"%{{y}}<br>{maintenance_label(k)}: %{{x:,d}} đơn vị<extra></extra>")
    fig.update_layout(barmode="stack")
    style_figure(fig, ds, f"Duy trì {_group_title(ds, group)}, {_span(ds.years)} (số đơn vị theo loại)",
                 LABELS["n_units"], LABELS["criterion"], height=170 + 26 * len(crits))
    _count_axis(fig, "x", len(ds.units))
    fig.update_yaxes(autorange="reversed")
    table = pd.DataFrame({LABELS["criterion"]: ylab})
    for k in MAINTENANCE_COLOURS:
        table[maintenance_label(k)] = [fmt_number(x) for x in counts[k]]
    return fig, table


def risk_view(ds: Dataset, group: str | None = None, top: int = 10) -> tuple[go.Figure, pd.DataFrame]:
    """The criteria most at risk: units that lost them (and did or did not regain them), most first."""
    crits = _group_criteria(ds, group)
    risk = _at_risk(ds)
    risk = risk[risk["criterion_no"].isin(crits) & risk["n_units_at_risk"].gt(0)].head(int(top))
    ylab = [f"{int(r.criterion_no)}. {r.criterion_name}" for r in risk.itertuples()]
    fig = _figure()
    for k, col in (("lost", "n_units_lost"), ("lost_and_regained", "n_units_lost_and_regained")):
        fig.add_bar(y=ylab, x=risk[col].tolist(), orientation="h", name=maintenance_label(k),
                    marker={"color": MAINTENANCE_COLOURS[k]},
                    hovertemplate=f"%{{y}}<br>{maintenance_label(k)}: %{{x:,d}} đơn vị<extra></extra>")
    fig.update_layout(barmode="stack")
    style_figure(fig, ds, f"Các tiêu chí dễ bị mất nhất ({_group_title(ds, group)}, {_span(ds.years)})",
                 LABELS["n_units"], LABELS["criterion"], height=170 + 30 * max(len(ylab), 1))
    _count_axis(fig, "x", risk["n_units_at_risk"].max() if len(risk) else 0)
    fig.update_yaxes(autorange="reversed")
    table = pd.DataFrame({
        LABELS["criterion"]: ylab,
        maintenance_label("lost"): [fmt_number(x) for x in risk["n_units_lost"]],
        maintenance_label("lost_and_regained"): [fmt_number(x) for x in risk["n_units_lost_and_regained"]],
        "Tổng số đơn vị": [fmt_number(x) for x in risk["n_units_at_risk"]],
        "Năm bị mất": [x or MISSING for x in risk["years_lost"]],
    })
    return fig, table


# --------------------------------------------------------------------------- views: data quality (notebook 03)


def completeness_view(ds: Dataset) -> tuple[go.Figure, pd.DataFrame]:
    """Share of the cells the outline expects that each unit filled, per sheet (:func:`nrlib.quality.completeness`)."""
    c = quality.completeness(ds, cache=analysis_cache(ds))
    names, order = unit_names(ds), _unit_order(ds)
    sheets = list(dict.fromkeys(c["sheet"]))
    fig = _figure()
    table = pd.DataFrame({LABELS["unit"]: [names[u] for u in order]})
    for sheet, colour in zip(sheets, SEQUENCE):
        s = c[c["sheet"] == sheet].set_index("unit_code").reindex(order)
        fig.add_bar(x=[names[u] for u in order], y=s["completeness"].tolist(), name=f"Trang {sheet}",
                    marker={"color": colour}, customdata=list(zip(s["filled_cells"], s["expected_cells"])),
                    hovertemplate=f"%{{x}}<br>Trang {sheet}: %{{y:,.1f}} % "
                                  "(%{customdata[0]:,d}/%{customdata[1]:,d} ô)<extra></extra>")
        table[f"Trang {sheet}"] = [f"{fmt_percent(p, 1)} ({fmt_number(f)}/{fmt_number(e)} ô)" if pd.notna(p)
                                   else MISSING for p, f, e in zip(s["completeness"], s["filled_cells"],
                                                                   s["expected_cells"])]
    fig.update_layout(barmode="group", yaxis_range=[0, 105])
    style_figure(fig, ds, "Mức độ đầy đủ số liệu: tỷ lệ ô đã điền trên số ô đề cương yêu cầu", LABELS["unit"], "%")
    return fig, table


def timeliness_view(ds: Dataset) -> tuple[go.Figure, pd.DataFrame]:
    """Who sent the workbook on time, late (days late) or not at all (:func:`nrlib.quality.timeliness_table`)."""
    t = quality.timeliness_table(ds, cache=analysis_cache(ds))
    rates = reporting_rates(t)
    names = unit_names(ds)
    t = t.set_index("unit_code").reindex(_unit_order(ds, t["unit_code"])).reset_index()
    days = t["days_late"].astype("Float64").fillna(0).astype(float)
    status = [TIMELINESS_LABELS[x] + (f" {int(d)} ngày" if x == "late" else "") for x, d in zip(t["timeliness"], days)]
    fig = _figure(go.Bar(
        x=[names[u] for u in t["unit_code"]], y=days.tolist(), text=status, textposition="outside",
        marker={"color": [COLOURS[x] for x in t["timeliness"]]},
        hovertemplate="%{x}: %{text}<extra></extra>"))
    deadline = fmt_date(ds.deadline)
    style_figure(fig, ds, f"Thời hạn nộp báo cáo (hạn {deadline})<br><sup>Đã nộp {rates['received']}/"
                 f"{rates['expected']} đơn vị: đúng hạn {rates['on_time']}, trễ hạn {rates['late']}; "
                 f"chưa nộp {rates['missing']}</sup>", LABELS["unit"], "Số ngày trễ")
    _count_axis(fig, "y", days.max())
    table = pd.DataFrame({
        LABELS["unit"]: [names[u] for u in t["unit_code"]], "Thời hạn": status,
        "Ngày nhận lần đầu": [fmt_date(d) if d is not None and not pd.isna(d) else MISSING
                              for d in t["first_received_date"]],
        "Số phiên bản": [fmt_number(x) if pd.notna(x) else MISSING for x in t["n_versions"]],
        "Kết quả kiểm tra bản mới nhất": [SUBMISSION_LABELS.get(x, MISSING) if isinstance(x, str) else MISSING
                                          for x in t["latest_status"]],
        "Lỗi": [fmt_number(x) if pd.notna(x) else MISSING for x in t["n_errors"]],
        "Cảnh báo": [fmt_number(x) if pd.notna(x) else MISSING for x in t["n_warnings"]],
    })
    return fig, table


def flags_view(ds: Dataset, unit_code: str | None = None, flag: str | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """Values flagged for a person to check (outliers, year-over-year jumps, declared vs measured), by unit.

    Flags come from :func:`nrlib.quality.quality_flags`, highest score first; none changes the data.
    """
    f = _flags(ds)
    if unit_code:
        f = f[f["unit_code"] == unit_code]
    if flag:
        f = f[f["flag"] == flag]
    names = unit_names(ds)
    order = _unit_order(ds, [unit_code] if unit_code else None)
    counts = f.groupby(["unit_code", "flag"]).size().unstack(fill_value=0).reindex(index=order, fill_value=0)
    fig = _figure()
    for k, colour in zip(FLAG_LABELS, SEQUENCE):
        if not flag or flag == k:
            fig.add_bar(x=[names[u] for u in order], y=(counts[k] if k in counts else pd.Series(0, index=order)).tolist(),
                        name=FLAG_LABELS[k], marker={"color": colour},
                        hovertemplate=f"%{{x}}<br>{FLAG_LABELS[k]}: %{{y:,d}} giá trị<extra></extra>")
    fig.update_layout(barmode="stack")
    where = names[unit_code] if unit_code else "toàn huyện"
    style_figure(fig, ds, f"Số liệu cần kiểm tra lại ({where}): {fmt_number(len(f))} giá trị được đánh dấu",
                 LABELS["unit"], "Số giá trị được đánh dấu")
    _count_axis(fig, "y", counts.sum(axis=1).max() if len(counts) else 0)
    table = pd.DataFrame({
        LABELS["unit"]: [names.get(u, u) for u in f["unit_code"]], LABELS["year"]: [str(y) for y in f["year"]],
        "Mã": f["data_element"].astype(str).tolist(),
        LABELS["value"]: [fmt_number(x, 2, trim=True) for x in f["value"]],
        LABELS["flag"]: [FLAG_LABELS.get(k, k) for k in f["flag"]], "Lý do": f["reason"].tolist(),
    })
    return fig, table


def disagreement_view(ds: Dataset, unit_code: str | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """Criteria declared Đạt whose measured indicator misses a known level (:func:`nrlib.thresholds.declared_vs_measured`)."""
    d = _dvm(ds)
    if unit_code:
        d = d[d["unit_code"] == unit_code]
    names, cnames = unit_names(ds), _criteria_names(ds)
    ind = ds.criteria.drop_duplicates("indicator_code").set_index("indicator_code")
    per_crit = d.groupby("criterion_no")["unit_code"].nunique()
    crits = [c for c in _group_criteria(ds, None) if c in per_crit.index]
    fig = _figure(go.Bar(
        y=[f"{c}. {cnames[c]}" for c in crits], x=[int(per_crit[c]) for c in crits], orientation="h",
        marker={"color": MAINTENANCE_COLOURS["lost_and_regained"]},
        hovertemplate="%{y}<br>%{x:,d} đơn vị tự đánh giá Đạt nhưng chỉ tiêu chưa đạt mức<extra></extra>"))
    where = names[unit_code] if unit_code else "toàn huyện"
    style_figure(fig, ds, f"Tự đánh giá Đạt nhưng số liệu chưa đạt mức ({where}): {fmt_number(len(d))} trường hợp",
                 LABELS["n_units"], LABELS["criterion"], height=200 + 30 * max(len(crits), 1))
    _count_axis(fig, "x", per_crit.max() if len(per_crit) else 0)
    fig.update_yaxes(autorange="reversed")

    def unit_of(code):
        u = ind["unit"].get(code, "")
        return f" {u}" if isinstance(u, str) and u else ""

    table = pd.DataFrame({
        LABELS["unit"]: [names.get(u, u) for u in d["unit_code"]], LABELS["year"]: [str(y) for y in d["year"]],
        LABELS["criterion"]: [f"{c}. {cnames.get(int(c), '')}" for c in d["criterion_no"]],
        "Chỉ tiêu": [f"{c}. {ind['indicator_name'].get(c, '')}" for c in d["indicator_code"]],
        LABELS["value"]: [fmt_number(v, 2, trim=True) + unit_of(c) for v, c in zip(d["value"], d["indicator_code"])],
        "Mức đạt chuẩn": [f"{cmp_} {fmt_number(lv, 2, trim=True)}{unit_of(c)}"
                          for cmp_, lv, c in zip(d["comparison"], d["level"], d["indicator_code"])],
        "Nguồn số liệu": ["tính từ trang VanDong" if o == "derived" else "đơn vị nhập" for o in d["origin"]],
    })
    return fig, table


def problems_view(ds: Dataset, unit_code: str | None = None) -> tuple[go.Figure, pd.DataFrame]:
    """Errors and warnings found when each unit's latest workbook was checked, with the cell to look at."""
    p = ds.problems
    if unit_code:
        p = p[p["unit_code"] == unit_code]
    names = unit_names(ds)
    order = _unit_order(ds, [unit_code] if unit_code else None)
    counts = p.groupby(["unit_code", "severity"]).size().unstack(fill_value=0).reindex(index=order, fill_value=0)
    fig = _figure()
    for sev, colour in (("error", STATUS_COLOURS["not_reached"]), ("warning", MAINTENANCE_COLOURS["lost_and_regained"])):
        fig.add_bar(x=[names[u] for u in order], y=(counts[sev] if sev in counts else pd.Series(0, index=order)).tolist(),
                    name=SEVERITY_LABELS[sev], marker={"color": colour},
                    hovertemplate=f"%{{x}}<br>{SEVERITY_LABELS[sev]}: %{{y:,d}}<extra></extra>")
    fig.update_layout(barmode="stack")
    where = names[unit_code] if unit_code else "toàn huyện"
    style_figure(fig, ds, f"Lỗi và cảnh báo khi kiểm tra biểu mẫu ({where}, bản gửi mới nhất): {fmt_number(len(p))}",
                 LABELS["unit"], "Số lỗi, cảnh báo")
    _count_axis(fig, "y", counts.sum(axis=1).max() if len(counts) else 0)
    table = pd.DataFrame({
        LABELS["unit"]: [names.get(u, u) for u in p["unit_code"]],
        "Ô": [f"{sh}!{c}" if isinstance(c, str) and c else sh for sh, c in zip(p["sheet"], p["cell"])],
        "Mức độ": [SEVERITY_LABELS.get(x, x) for x in p["severity"]], "Nội dung": p["message"].tolist(),
    })
    return fig, table


# --------------------------------------------------------------------------- wiring controls to views


def _strict_json(fig: go.Figure) -> dict:
    """The figure through plotly's JSON encoder: widget messages must be strict JSON (NaN becomes null,
    which plotly draws as a gap)."""
    return json.loads(fig.to_json())


def update_figure(widget: go.FigureWidget, fig: go.Figure) -> None:
    """Replace a displayed FigureWidget's traces and layout by those of ``fig``, in one message to the browser."""
    clean = _strict_json(fig)
    with widget.batch_update():
        widget.data = []
        widget.layout = clean["layout"]
        if clean["data"]:
            widget.add_traces(clean["data"])


class Panel:
    """Controls wired to a view: changing any control redraws the chart and the table in place.

    Parameters
    ----------
    view : callable
        ``view(ds, **values) -> (figure, table)``, one of the ``*_view`` functions.
    ds : Dataset
    controls : dict
        Keyword argument of the view → ipywidgets control whose ``value`` is passed.
    fixed : dict, optional
        Keyword arguments passed unchanged.

    The first drawing happens in the constructor, so a broken view fails the
    notebook cell; later failures (a control change) are shown in Vietnamese
    under the controls instead of disappearing into the browser's log.
    ``last_seconds`` is the time of the last redraw (view + update).
    """

    def __init__(self, view: Callable, ds: Dataset, controls: dict | None = None, fixed: dict | None = None):
        import ipywidgets as widgets

        self.view, self.ds = view, ds
        self.controls = dict(controls or {})
        self.fixed = dict(fixed or {})
        t0 = time.perf_counter()
        fig, table = self.view(self.ds, **self.values(), **self.fixed)
        # The first drawing is the widget's initial state, not an update: updates sent before the
        # browser has rendered the widget can be lost (anywidget renders lazily), an initial state cannot.
        self.figure = go.FigureWidget(_strict_json(fig))
        self._shown = fig
        self.table = widgets.HTML(table_html(table))
        self.message = widgets.HTML()
        self.last_seconds = time.perf_counter() - t0
        # plotly's widget sends its figure to the browser right after opening the widget's channel; a
        # view rendered before that state lands in the browser draws an empty chart (seen while the
        # first widget of a kernel loads plotly.js). The browser reports each new view
        # (``_view_count``): the figure is sent again then, as an update the view applies.
        self.figure.observe(self._on_view_count, names="_view_count")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([widgets.HBox(list(self.controls.values()),
                                                 layout=widgets.Layout(flex_flow="row wrap")),
                                    self.message, self.figure, self.table])

    def values(self) -> dict:
        return {name: c.value for name, c in self.controls.items()}

    def refresh(self, raise_errors: bool = False) -> None:
        t0 = time.perf_counter()
        try:
            fig, table = self.view(self.ds, **self.values(), **self.fixed)
        except Exception as exc:
            if raise_errors:
                raise
            self.message.value = ('<div style="color:#c62828">Không vẽ được biểu đồ với lựa chọn này: '
                                  f'{html.escape(str(exc))}</div>')
            return
        update_figure(self.figure, fig)
        self._shown = fig
        self.table.value = table_html(table)
        self.message.value = ""
        self.last_seconds = time.perf_counter() - t0

    def _on_change(self, change) -> None:
        self.refresh()

    def _on_view_count(self, change) -> None:
        if (change["new"] or 0) > (change["old"] or 0):
            update_figure(self.figure, self._shown)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


# --------------------------------------------------------------------------- controls


def _style():
    return {"description_width": "initial"}


def unit_dropdown(ds: Dataset, *, include_all: bool = False, value: str | None = None):
    """A unit selector (Vietnamese order); the first unit is chosen unless ``value`` is given."""
    import ipywidgets as widgets

    opts = unit_options(ds, include_all=include_all)
    return widgets.Dropdown(options=opts, value=value if value is not None else opts[0][1],
                            description=LABELS["unit"], style=_style(), layout=widgets.Layout(width="380px"))


def units_select(ds: Dataset, value=()):
    import ipywidgets as widgets

    return widgets.SelectMultiple(options=unit_options(ds), value=tuple(value), rows=6,
                                  description=LABELS["units"], style=_style(), layout=widgets.Layout(width="420px"))


def year_slider(ds: Dataset):
    """Year range over the outline's years."""
    import ipywidgets as widgets

    lo, hi = year_bounds(ds)
    return widgets.IntRangeSlider(min=lo, max=hi, value=(lo, hi), step=1, description=LABELS["year"],
                                  style=_style(), continuous_update=False, layout=widgets.Layout(width="320px"))


def group_dropdown(ds: Dataset):
    import ipywidgets as widgets

    return widgets.Dropdown(options=group_options(ds), value=ALL, description=LABELS["group"], style=_style(),
                            layout=widgets.Layout(width="380px"))


def criterion_dropdown(ds: Dataset):
    import ipywidgets as widgets

    opts = criterion_options(ds)
    return widgets.Dropdown(options=opts, value=opts[0][1], description=LABELS["criterion"], style=_style(),
                            layout=widgets.Layout(width="420px"))


def metric_dropdown(ds: Dataset, value: str | None = None):
    import ipywidgets as widgets

    opts = metric_options(ds)
    return widgets.Dropdown(options=opts, value=value or opts[0][1], description=LABELS["metric"], style=_style(),
                            layout=widgets.Layout(width="480px"))


def per_household_toggle(ds: Dataset, metric: "object | None" = None):
    """A checkbox, disabled while ``metric`` (a dropdown) shows a rate or the household count itself."""
    import ipywidgets as widgets

    box = widgets.Checkbox(value=False, description=LABELS["per_household"], style=_style(), indent=False)
    if metric is not None:
        def sync(*_):
            box.disabled = not per_household_applies(ds, metric.value)
        metric.observe(sync, names="value")
        sync()
    return box


def top_slider(ds: Dataset, value: int = 10):
    import ipywidgets as widgets

    n = len(_group_criteria(ds, None))
    return widgets.IntSlider(min=1, max=n, value=min(value, n), description=LABELS["top"], style=_style(),
                             continuous_update=False)


def flag_dropdown(ds: Dataset):
    import ipywidgets as widgets

    return widgets.Dropdown(options=flag_options(ds), value=ALL, description=LABELS["flag"], style=_style(),
                            layout=widgets.Layout(width="420px"))
