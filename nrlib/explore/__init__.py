"""Interactive exploration: the logic behind every control of the notebooks in ``notebooks/``.

A *view* is a pure function ``view(ds, **control_values) -> (figure, table)``:
``figure`` is a plotly ``Figure`` with a Vietnamese title, axis titles, units,
Vietnamese number separators (``layout.separators=",."``, hover templates
included) and the DỮ LIỆU MẪU marker when the data are sample data; ``table``
is a DataFrame of display strings (Vietnamese formats, Vietnamese headers)
that :func:`table_html` renders, escaped. Option functions give dropdown
options ``(label, value)`` sorted in Vietnamese dictionary order
(:func:`nrlib.core.vnformat.sort_key`). :class:`Panel` wires ipywidgets controls to a
view and redraws a ``FigureWidget`` and an HTML table in place when a control
changes, so a notebook cell only says which controls a view gets.

Analysis results (criteria matrix, maintenance classes, quality flags, ...)
are computed once per Dataset and reused by every view of that Dataset: a
control change then only filters and draws.

The views live with the notebook that uses them (:mod:`nrlib.explore.results`,
:mod:`nrlib.explore.criteria`, :mod:`nrlib.explore.quality`) and share the
labels, cached analyses and figure helpers of :mod:`nrlib.explore.common`;
this module holds what a notebook cell calls besides — opening the store,
the banner, the controls and their options, :class:`Panel` — and re-exports
the views, so ``from nrlib import explore`` is the one import a notebook needs.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path
from typing import Callable

import plotly.graph_objects as go

from nrlib import config
from nrlib.core import labels
from nrlib.core.vnformat import fmt_data_version, sort_vietnamese
from nrlib.dataset import Dataset
from nrlib.exceptions import StoreError
from nrlib.explore.common import (
    ALL,
    STATUS_ORDER,
    criteria_names,
    group_criteria,
    per_household_applies,
    status_label,
    table_html,
    unit_names,
    unit_order,
    year_bounds,
)
from nrlib.explore.criteria import criterion_view, maintenance_view, risk_view, scorecard_view
from nrlib.explore.quality import (completeness_view, disagreement_view, flags_view, official_view, problems_view,
                                   timeliness_view)
from nrlib.explore.results import campaign_view, overview_view, scoring_view, trend_view, unit_view
from nrlib.present.theme import PLOT_CONFIG

__all__ = [
    # opening the store, the banner
    "NoDataError", "banner", "banner_html", "load_dataset_or_stop", "no_data_message",
    # options and controls
    "ALL", "criterion_dropdown", "criterion_options", "flag_dropdown", "flag_options", "group_dropdown",
    "group_options", "metric_dropdown", "metric_options", "per_household_toggle", "relative_toggle", "top_slider",
    "unit_dropdown",
    "unit_options", "units_select", "year_bounds", "year_slider",
    # wiring controls to views
    "Panel", "update_figure", "table_html",
    # labels of a view's statuses
    "STATUS_ORDER", "status_label",
    # views: results (01), criteria (02), data quality (03)
    "overview_view", "unit_view", "campaign_view", "trend_view", "scoring_view",
    "scorecard_view", "criterion_view", "maintenance_view", "risk_view",
    "completeness_view", "timeliness_view", "flags_view", "disagreement_view", "official_view", "problems_view",
]


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
    from nrlib.store import load_dataset

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
                f'{html.escape(labels.sample_notice(ds.outline.sample_marker))}</span> ' + text)
    return f'<div style="font-size:14px;margin:4px 0">{text}</div>'


# --------------------------------------------------------------------------- options for the controls


def unit_options(ds: Dataset, *, include_all: bool = False) -> list[tuple[str, str | None]]:
    """Units as ``(label, unit_code)``, a former name in brackets
    (``Thị trấn Dầu Giây (trước đây: Xã Xuân Thạnh)``); with ``include_all``, first ``(Toàn huyện, ALL)``.

    Order: Vietnamese dictionary order of the proper name (:func:`nrlib.explore.common.unit_sort_name`), so
    "Xã Bàu Hàm 2" comes before "Thị trấn Dầu Giây" whatever the unit types.
    """
    former = {c: list(dict.fromkeys(g.sort_values("year")["name"])) for c, g in ds.unit_years.groupby("unit_code")}
    opts = []
    for code in unit_order(ds):
        name = unit_names(ds)[code]
        others = [n for n in former.get(code, []) if n != name]
        opts.append((f"{name} (trước đây: {', '.join(others)})" if others else name, code))
    return ([(labels.EXPLORE["all_units"], ALL)] if include_all else []) + opts


def group_options(ds: Dataset) -> list[tuple[str, str | None]]:
    """Criteria groups as ``(label, group_code)`` in the criteria set's order, after 'all groups'."""
    groups = ds.criteria[["group_code", "group_name"]].drop_duplicates()
    return [(labels.EXPLORE["all_groups"], ALL)] + [(f"{g.group_code}. {g.group_name}", g.group_code)
                                            for g in groups.itertuples()]


def criterion_options(ds: Dataset) -> list[tuple[str, int]]:
    """Criteria as ``(label, criterion_no)`` in their official (number) order."""
    return [(f"{no}. {name}", no) for no, name in criteria_names(ds).items()]


def metric_options(ds: Dataset) -> list[tuple[str, str]]:
    """Campaign metrics, then rates, as ``(label (unit), code)``, each list in Vietnamese order."""
    out = []
    for table in (ds.outline.metrics, ds.outline.rates):
        out += sort_vietnamese([(f"{x.label} ({x.unit})", x.code) for x in table.itertuples()], key=lambda o: o[0])
    return out


def flag_options(ds: Dataset) -> list[tuple[str, str | None]]:
    """Kinds of quality flag, as ``(label, flag)``, after 'all flags'."""
    return [(labels.EXPLORE["all_flags"], ALL)] + [(label, flag) for flag, label in labels.FLAGS.items()]


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


class FigureWidget(go.FigureWidget):
    """A plotly ``FigureWidget`` whose channel to the browser opens with its whole state: the figure, the
    chart config and the view counter.

    plotly's widget opens its comm inside ipywidgets' constructor, before it sets the traits the browser draws
    from (``_widget_data``, ``_widget_layout``, ``_view_count``): the ``comm_open`` message carries an empty
    figure, and the figure follows as separate updates. plotly's browser view draws from those traits once,
    when it renders, and never listens to their later changes (its ``do_data``/``do_layout`` are empty), so a
    view rendered between the two messages — which happens when the browser is slow, e.g. while it loads the
    widget's 5 MB bundle on a busy laptop — shows empty axes for good; ``_view_count`` is still unset then,
    so the view does not even count itself. Here the comm opens only once the state is complete, so every
    view renders the figure, however late the messages arrive (``tests/test_explore.py`` checks the
    ``comm_open`` message).
    """

    def __init__(self, figure: dict, plot_config: dict) -> None:
        self._nrlib_hold_comm = True
        super().__init__(figure)
        self._config = dict(plot_config)
        self._nrlib_hold_comm = False
        self.open()

    def open(self) -> None:
        if not getattr(self, "_nrlib_hold_comm", False):
            super().open()


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
        # The first drawing is the widget's initial state, sent when its channel opens (FigureWidget), not an
        # update; the reports' chart config: Vietnamese, and no "Share chart..." button (it uploads to Plotly Cloud)
        self.figure = FigureWidget(_strict_json(fig), PLOT_CONFIG)
        self.table = widgets.HTML(table_html(table))
        self.message = widgets.HTML()
        self.last_seconds = time.perf_counter() - t0
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
        self.table.value = table_html(table)
        self.message.value = ""
        self.last_seconds = time.perf_counter() - t0

    def _on_change(self, change) -> None:
        self.refresh()

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
                            description=labels.EXPLORE["unit"], style=_style(), layout=widgets.Layout(width="380px"))


def units_select(ds: Dataset, value=()):
    import ipywidgets as widgets

    return widgets.SelectMultiple(options=unit_options(ds), value=tuple(value), rows=6,
                                  description=labels.EXPLORE["units"], style=_style(), layout=widgets.Layout(width="420px"))


def year_slider(ds: Dataset):
    """Year range over the outline's years."""
    import ipywidgets as widgets

    lo, hi = year_bounds(ds)
    return widgets.IntRangeSlider(min=lo, max=hi, value=(lo, hi), step=1, description=labels.EXPLORE["year"],
                                  style=_style(), continuous_update=False, layout=widgets.Layout(width="320px"))


def group_dropdown(ds: Dataset):
    import ipywidgets as widgets

    return widgets.Dropdown(options=group_options(ds), value=ALL, description=labels.EXPLORE["group"], style=_style(),
                            layout=widgets.Layout(width="380px"))


def criterion_dropdown(ds: Dataset):
    import ipywidgets as widgets

    opts = criterion_options(ds)
    return widgets.Dropdown(options=opts, value=opts[0][1], description=labels.EXPLORE["criterion"], style=_style(),
                            layout=widgets.Layout(width="420px"))


def metric_dropdown(ds: Dataset, value: str | None = None):
    import ipywidgets as widgets

    opts = metric_options(ds)
    return widgets.Dropdown(options=opts, value=value or opts[0][1], description=labels.EXPLORE["metric"], style=_style(),
                            layout=widgets.Layout(width="480px"))


def per_household_toggle(ds: Dataset, metric: "object | None" = None):
    """A checkbox, disabled while ``metric`` (a dropdown) shows a rate or the household count itself."""
    import ipywidgets as widgets

    box = widgets.Checkbox(value=False, description=labels.EXPLORE["per_household"], style=_style(), indent=False)
    if metric is not None:
        def sync(*_):
            box.disabled = not per_household_applies(ds, metric.value)
        metric.observe(sync, names="value")
        sync()
    return box


def relative_toggle(ds: Dataset):
    """A checkbox adding the relative ranking, labelled "tham khảo", beside the points and classes; ticked at first
    when the district's settings show it (``scoring.relative_ranking``)."""
    import ipywidgets as widgets

    from nrlib.reference.district_settings import load_district_settings

    return widgets.Checkbox(value=load_district_settings().relative_ranking, description=labels.EXPLORE["relative"],
                            style=_style(), indent=False)


def top_slider(ds: Dataset, value: int = 10):
    import ipywidgets as widgets

    n = len(group_criteria(ds, None))
    return widgets.IntSlider(min=1, max=n, value=min(value, n), description=labels.EXPLORE["top"], style=_style(),
                             continuous_update=False)


def flag_dropdown(ds: Dataset):
    import ipywidgets as widgets

    return widgets.Dropdown(options=flag_options(ds), value=ALL, description=labels.EXPLORE["flag"], style=_style(),
                            layout=widgets.Layout(width="420px"))
