"""Plotly figures of the reports, with Vietnamese titles, axes, units and number format.

Every figure is built from an analysis table (a pure function's output) and
returned as a ``plotly.graph_objects.Figure``; :func:`show` displays it in a
notebook as self-contained ``text/html`` (no plotly.js inside: the report
exporter inlines plotly.js once per page, see :mod:`nrlib.reports.html_export`).

Conventions: decimal comma and thousands dot (``layout.separators``),
Vietnamese toolbar texts (``config.locale = "vi"``), only the trace types of
the vendored plotly.js *basic* bundle (bar, scatter, pie:
:func:`check_trace_types`), no LaTeX (plotly would fetch MathJax), figure
element ids derived from the content (reproducible pages).
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable

import plotly.graph_objects as go

from nrlib.present.theme import FONT, PLOT_CONFIG, SEPARATORS, TEMPLATE

#: trace types the vendored plotly.js basic bundle can draw
BASIC_TRACE_TYPES = frozenset({"bar", "scatter", "pie"})


def base_layout(fig: go.Figure, title: str, *, y_title: str | None = None, x_title: str | None = None,
                height: int = 380, legend: bool = True) -> go.Figure:
    """Apply the report look: title, axis titles, Vietnamese separators, legend below."""
    fig.layout.template = go.layout.Template(TEMPLATE)  # replace, not merge into plotly's default
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        separators=SEPARATORS,
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 56, "r": 16, "t": 56, "b": 40},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.14, "xanchor": "left", "x": 0, "traceorder": "normal"},
        hoverlabel={"font": {"family": FONT}},
    )
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    return fig


def check_trace_types(fig: go.Figure) -> None:
    """Raise ``ValueError`` if ``fig`` uses a trace type the basic bundle cannot draw."""
    bad = sorted({t.type for t in fig.data} - BASIC_TRACE_TYPES)
    if bad:
        raise ValueError(f"trace types {bad} are not in the vendored plotly.js basic bundle "
                         f"({sorted(BASIC_TRACE_TYPES)}): the chart would not be drawn")


def _div_id(fig: go.Figure) -> str:
    digest = hashlib.sha1(json.dumps(fig.to_plotly_json(), sort_keys=True, default=str).encode()).hexdigest()
    return f"fig-{digest[:12]}"


def figure_html(fig: go.Figure, *, note: str | None = None) -> str:
    """The chart as an HTML fragment: a ``<div class="chart">`` holding its title, plotly's div and call.

    plotly.js itself is not included (``include_plotlyjs=False``). The
    title is taken out of the figure and written as HTML above it, so it
    wraps on a narrow phone (plotly never wraps titles); ``note`` (plain
    text) is printed under the chart. Both are escaped.
    """
    import html

    check_trace_types(fig)
    _no_latex(fig)
    title = fig.layout.title.text or ""
    div_id = _div_id(fig)
    if title:
        fig = go.Figure(fig)  # a copy: the caller's figure keeps its title
        fig.update_layout(title_text=None, margin_t=16)
    inner = fig.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                        config=PLOT_CONFIG, div_id=div_id, default_height=f"{fig.layout.height or 380}px")
    title_html = f'<div class="chart-title">{html.escape(title)}</div>' if title else ""
    note_html = f'<div class="chart-note">{html.escape(note)}</div>' if note else ""
    return f'<div class="chart">{title_html}{inner}{note_html}</div>'


def _no_latex(fig: go.Figure) -> None:
    # plotly.js typesets "$...$" strings with MathJax, which it would try to load
    texts = json.dumps(fig.to_plotly_json(), default=str, ensure_ascii=False)
    if "$" in texts:
        raise ValueError("figure text contains '$': plotly.js would load MathJax; use plain text")


def show(fig: go.Figure | None, *, note: str | None = None) -> None:
    """Display ``fig`` in the notebook: ``text/html`` for the report, plotly's own MIME for JupyterLab.

    ``None`` (a section with no data to chart) displays nothing.
    """
    from IPython.display import display

    if fig is None:
        return
    bundle = {"text/html": figure_html(fig, note=note),
              "application/vnd.plotly.v1+json": fig.to_plotly_json(),
              "text/plain": f"<biểu đồ: {fig.layout.title.text or ''}>"}
    display(bundle, raw=True)


def warm_up() -> None:
    """Build and render one small chart of each trace type, with the report look, a shape and an annotation.

    plotly loads its figure classes and builds their validators on first use: about 0,1 s of the first
    chart in a new process. The kernel template (:mod:`nrlib.reports.warmstart`) calls this before it forks
    report kernels, so that each of them starts with plotly warm. No report data is involved.
    """
    import pandas as pd

    x, y = pd.Series([2020]), pd.Series([1.5])     # the reports pass pandas columns (plotly reads them via narwhals)
    fig = go.Figure([go.Bar(x=x, y=y, name="a", marker={"color": "#1f4e79"}, text=["1,5"]),
                     go.Scatter(x=x, y=y, mode="lines+markers", name="b", line={"width": 2}, marker={"size": 6})])
    base_layout(fig, "warm-up", y_title="y", x_title="x")
    fig.add_shape(type="line", x0=0, x1=1, y0=0, y1=0, line={"dash": "dot"})
    fig.add_annotation(x=0, y=0, text="a", showarrow=False, font={"size": 11})
    year_axis(fig, [2020])
    figure_html(fig)
    figure_html(go.Figure(go.Pie(labels=["a"], values=[1])))


# --------------------------------------------------------------------------- figures


def wrap(text: str, width: int = 40) -> str:
    """Break a long label into lines for plotly (``<br>``): legends and axis labels do not wrap by themselves.

    Only for trusted labels (outline, registry): plotly reads a few tags in texts.
    """
    import textwrap

    return "<br>".join(textwrap.wrap(str(text), width)) or str(text)


def year_axis(fig: go.Figure, years: Iterable[int]) -> go.Figure:
    """Show each year as a category tick (2016 … 2020), never 2016,5."""
    years = list(years)
    fig.update_xaxes(tickmode="array", tickvals=years, ticktext=[str(y) for y in years])
    return fig
