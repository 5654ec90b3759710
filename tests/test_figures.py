"""Figures: Vietnamese look, only trace types the vendored bundle draws, self-contained HTML fragments."""

from __future__ import annotations

import json
import re
from unittest import mock

import plotly.graph_objects as go
import pytest

from nrlib.present import figures


def _bar(title: str = "Kinh phí huy động theo năm") -> go.Figure:
    fig = go.Figure(go.Bar(x=[2016, 2017, 2018], y=[1500.5, 2250, 30000], name="Kinh phí"))
    return figures.year_axis(figures.base_layout(fig, title, y_title="triệu đồng"), [2016, 2017, 2018])


def test_base_layout_vietnamese_numbers_and_a_small_template():
    fig = _bar()
    assert fig.layout.separators == ",."  # decimal comma, thousands dot
    axis = fig.layout.template.layout.yaxis
    assert axis.separatethousands is True and axis.exponentformat == "none"  # 30.000, not 30k
    assert fig.layout.yaxis.title.text == "triệu đồng"
    assert list(fig.layout.xaxis.ticktext) == ["2016", "2017", "2018"]
    # plotly's default template would add ~7 KB of trace defaults to every chart
    assert len(json.dumps(fig.to_plotly_json()["layout"]["template"])) < 1000


@pytest.mark.parametrize("trace,ok", [(go.Bar(), True), (go.Scatter(), True), (go.Pie(), True),
                                      (go.Heatmap(z=[[1]]), False), (go.Scattergeo(), False)])
def test_only_trace_types_of_the_basic_bundle(trace, ok):
    fig = go.Figure(trace)
    if ok:
        figures.check_trace_types(fig)
    else:
        with pytest.raises(ValueError, match="basic bundle"):
            figures.figure_html(fig)


def test_figure_html_is_a_fragment_without_plotlyjs_and_with_an_html_title():
    fig = _bar("Kinh phí <b>huy động</b> & xã hội hóa")
    out = figures.figure_html(fig, note="Nguồn: <biểu mẫu>")
    assert "Plotly.newPlot(" in out and 'class="plotly-graph-div"' in out
    assert "plotly.js v" not in out and "<script src" not in out and len(out) < 10_000
    assert '<div class="chart-title">Kinh phí &lt;b&gt;huy động&lt;/b&gt; &amp; xã hội hóa</div>' in out
    assert '<div class="chart-note">Nguồn: &lt;biểu mẫu&gt;</div>' in out
    spec = re.search(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*(\{.*?\}),\s*(\{.*?\})\s*\)", out, re.S)
    layout, config = json.loads(spec.group(2)), json.loads(spec.group(3))
    assert "title" not in layout or not layout["title"].get("text")  # drawn in HTML, not by plotly
    assert config["locale"] == "vi" and config["displaylogo"] is False
    assert fig.layout.title.text.startswith("Kinh phí")  # the caller's figure is unchanged


def test_figure_ids_are_reproducible():
    a, b = figures.figure_html(_bar()), figures.figure_html(_bar())
    c = figures.figure_html(_bar("Khác"))
    ident = re.search(r'id="(fig-[0-9a-f]+)"', a).group(1)
    assert ident in b and ident not in c


def test_latex_text_refused():
    with pytest.raises(ValueError, match="MathJax"):
        figures.figure_html(_bar("Tỷ lệ $x$"))


def test_wrap_long_labels():
    label = "Kinh phí xã hội hóa (doanh nghiệp, mạnh thường quân, con em xa quê)"
    out = figures.wrap(label, 30)
    assert "<br>" in out and out.replace("<br>", " ") == label
    assert figures.wrap("ngắn") == "ngắn"


def test_show_displays_html_and_plotly_mime_or_nothing():
    with mock.patch("IPython.display.display") as display:
        figures.show(None)
        display.assert_not_called()
        figures.show(_bar())
    bundle = display.call_args.args[0]
    assert set(bundle) == {"text/html", "application/vnd.plotly.v1+json", "text/plain"}
    assert bundle["application/vnd.plotly.v1+json"]["layout"]["title"]["text"] == "Kinh phí huy động theo năm"
    assert display.call_args.kwargs == {"raw": True}


def test_no_chart_offers_to_upload_its_data():
    """plotly.js 4 shows a "Share chart..." button by default that sends the chart to Plotly Cloud: every chart
    of nrlib (reports' HTML and the notebooks' widgets) turns it off."""
    from nrlib.present.theme import PLOT_CONFIG

    assert PLOT_CONFIG["showSendToCloud"] is False and "sendChartToCloud" in PLOT_CONFIG["modeBarButtonsToRemove"]
    out = figures.figure_html(_bar("Kinh phí"))
    spec = re.search(r"Plotly\.newPlot\(\s*\"[^\"]+\",\s*(\[.*?\]),\s*(\{.*?\}),\s*(\{.*?\})\s*\)", out, re.S)
    config = json.loads(spec.group(3))
    assert config["showSendToCloud"] is False and "sendChartToCloud" in config["modeBarButtonsToRemove"]


def test_a_chart_renders_without_warnings_and_warm_up_draws_every_basic_trace_type():
    """plotly warns (into each report kernel's stderr) about a config option plotly.js does not know; and the
    kernel template's warm-up must keep to the vendored bundle's trace types."""
    import warnings

    fig = figures.base_layout(go.Figure(go.Bar(x=[2020], y=[1])), "Biểu đồ")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figures.figure_html(fig)
        figures.warm_up()
