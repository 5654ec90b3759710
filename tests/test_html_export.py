"""The exporter: one self-contained offline page, plotly.js once, record, TOC, nothing from the network."""

from __future__ import annotations

import html
import json
import re

import nbformat
import plotly
import plotly.graph_objects as go
import pytest

from nrlib.present import figures
from nrlib.present import fragments as present
from nrlib.present.fragments import RECORD_MIME, record_output
from nrlib.reports import html_export
from nrlib.reports.html_export import export_html, offline_violations, remote_references

BUNDLE_BANNER = "plotly.js (basic - minified)"


def _fig(title: str) -> go.Figure:
    return figures.base_layout(go.Figure(go.Bar(x=[2016, 2017], y=[1.5, 2.25], name="Kinh phí")), title)


def _nb(n_figures: int = 2, record: dict | None = None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    rec = record if record is not None else {
        "kind": "unit", "code": "26308", "title": "Báo cáo thử", "parameters": {"unit_code": "26308"},
        "data_version": "dv-123", "is_sample": True, "generated_at": "2021-02-18T14:05:00"}
    outputs = [nbformat.v4.new_output("display_data", data=record_output(rec))]
    for i in range(n_figures):
        outputs.append(nbformat.v4.new_output("display_data", data={"text/html": figures.figure_html(_fig(f"Biểu đồ {i}"))}))
    outputs += [
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noisy\n"),
        nbformat.v4.new_output("stream", name="stdout", text="dòng in ra\n"),
        nbformat.v4.new_output("display_data", data={"application/javascript": "window.__ran = 1", "text/plain": "js"}),
        nbformat.v4.new_output("display_data", data={"text/html": present.heading("3. Mục sinh bởi mã")}),
    ]
    code = nbformat.v4.new_code_cell("secret_source_code = 1", outputs=outputs, execution_count=1)
    nb.cells = [nbformat.v4.new_markdown_cell("## 1. Thông tin chung\nĐoạn văn."), code,
                nbformat.v4.new_markdown_cell("### 3.1 Mục con")]
    return nb


def test_plotly_js_carried_once_packed_and_only_when_needed():
    page = export_html(_nb(n_figures=3))
    assert len(re.findall(r'<script[^>]*\bid="nrlib-plotly"', page)) == 1
    assert BUNDLE_BANNER not in page  # packed, never as source text
    assert page.count("Plotly.newPlot(") == 3
    assert page.count("Plotly.register(") == 1  # Vietnamese toolbar locale, once plotly.js has started
    # the bundle, then its loader, then the locale, then the charts that wait for them
    assert (re.search(r'<script[^>]*\bid="nrlib-plotly"', page).start() < page.index("window.nrlibAfterPlotly =")
            < page.index("Plotly.register(") < page.index("Plotly.newPlot("))
    no_chart = export_html(_nb(n_figures=0))
    assert 'id="nrlib-plotly"' not in no_chart and "nrlibAfterPlotly" not in no_chart
    assert len(no_chart) < 60_000


def _carried(page: str) -> tuple[dict[str, str], str]:
    """The attributes and the text of the page's packed bundle element."""
    m = re.search(r'<script([^>]*\bid="nrlib-plotly"[^>]*)>(.*?)</script>', page, re.S)
    attrs = {k: html.unescape(v) for k, v in re.findall(r'([a-z0-9-]+)="([^"]*)"', m.group(1))}
    assert attrs["type"] == "application/octet-stream"  # inert: the browser never runs it as a script
    return attrs, m.group(2)


def test_the_carried_bundle_is_the_vendored_one_and_the_messages_are_vietnamese():
    from nrlib.core import labels
    from nrlib.reports import bundle

    attrs, text = _carried(export_html(_nb(n_figures=1)))
    packed = bundle.PackedBundle(sha256=attrs["data-sha256"], size=0, packed_bytes=int(attrs["data-bytes"]), text=text)
    assert bundle.unpack(packed) == html_export.PLOTLY_JS.read_bytes()
    assert attrs["data-alphabet"] == bundle.ALPHABET
    assert attrs["data-message-unsupported"] == labels.CHART_UNAVAILABLE["unsupported"]
    assert "Trình duyệt này quá cũ để vẽ biểu đồ" in attrs["data-message-unsupported"]
    assert attrs["data-message-failed"] == labels.CHART_UNAVAILABLE["failed"]


def test_a_page_with_charts_stays_small():
    """The bundle is most of a report: packed, a page with three charts is well under the unit report's 0,6 MB."""
    assert len(export_html(_nb(n_figures=3)).encode("utf-8")) < 560_000


def test_no_network_references_no_requirejs_no_mathjax():
    page = export_html(_nb())
    assert offline_violations(page) == []
    lower = page.lower()
    for needle in ("require.min.js", "requirejs.config", "mathjax.js", "cdn.jsdelivr", "cdnjs", "fonts.googleapis", "@import"):
        assert needle not in lower, needle
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", page, re.I)


def test_no_code_no_prompts_no_stderr_no_script_outputs():
    page = export_html(_nb())
    assert "secret_source_code" not in page
    assert "In&nbsp;[" not in page and "Out[" not in page
    assert "noisy" not in page
    assert "window.__ran" not in page
    assert "dòng in ra" in page


def test_record_in_meta_json_footer_and_lifted_from_outputs():
    nb = _nb()
    page = export_html(nb)
    m = re.search(r'<script id="nrlib-report" type="application/json">(.*?)</script>', page, re.S) or \
        re.search(r'<script type="application/json" id="nrlib-report">(.*?)</script>', page, re.S)
    rec = json.loads(m.group(1))
    assert rec["data_version"] == "dv-123" and rec["parameters"] == {"unit_code": "26308"}
    assert re.search(r'<meta[^>]*name="nrlib-data-version"', page) and 'content="dv-123"' in page
    footer = page[page.index("<footer"):]
    assert "Phiên bản dữ liệu" in footer and "dv-123" in footer and "unit_code = 26308" in footer
    assert "18/02/2021 14:05" in footer
    # the record output is not rendered as text, and lift_record moves it to metadata
    assert "nrlib report record" not in page
    meta = html_export.lift_record(nb)
    assert nb.metadata["nrlib"]["code"] == "26308" == meta["code"]
    assert not any(RECORD_MIME in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def test_sample_banner_only_for_sample_data():
    assert "DỮ LIỆU MẪU" in export_html(_nb())
    rec = {"kind": "unit", "code": "26308", "title": "T", "is_sample": False}
    assert '<div class="sample-banner"' not in export_html(_nb(record=rec))


def test_record_text_cannot_break_out_of_its_script_block():
    rec = {"kind": "unit", "code": "26308", "title": "</script><script>window.__x=1</script>",
           "data_version": "<b>v</b>"}
    page = export_html(_nb(record=rec))
    assert "<script>window.__x=1" not in page
    assert "&lt;/script&gt;&lt;script&gt;window.__x=1" in page  # <title> and footer: escaped text
    assert "<b>v</b>" not in page


def test_table_of_contents_lists_markdown_and_code_headings():
    page = export_html(_nb())
    toc = page[page.index('<nav class="toc"'):page.index("</nav>")]
    assert "Mục lục" in toc
    for text in ("1. Thông tin chung", "3. Mục sinh bởi mã", "3.1 Mục con"):
        assert text in toc
    ids = [i for _, i, _ in html_export.headings(page)]
    for ident in ids:
        assert f'href="#{ident}"' in toc


def test_offline_violations_finds_every_kind_of_remote_load():
    page = """<html><head>
    <script src="https://cdn.plot.ly/plotly.min.js"></script>
    <link rel="stylesheet" href="//fonts.googleapis.com/css?family=Roboto">
    <style>@import 'https://x.example/a.css'; body { background: url(http://x.example/b.png) }</style>
    </head><body>
    <img src="data:image/png;base64,AAAA"><a href="https://example.org/ok">a link is not a load</a>
    <div style="background-image: url('https://x.example/c.png')"></div>
    <iframe src="page.html"></iframe><a href="#top">top</a>
    </body></html>"""
    found = offline_violations(page)
    assert len(found) == 6, found
    assert "<iframe src>: page.html" in found  # a relative file is not self-contained either
    assert len(remote_references(page)) == 5


def test_vendored_plotly_matches_plotly_py():
    """plotly.py's figures are written for its own plotly.js; the vendored bundle must be the same release."""
    ours = re.search(r"v(\d+\.\d+\.\d+)", html_export.PLOTLY_JS.read_text(encoding="utf-8")[:300]).group(1)
    from pathlib import Path

    theirs_file = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    with open(theirs_file, encoding="utf-8") as fh:
        theirs = re.search(r"v(\d+\.\d+\.\d+)", fh.read(300)).group(1)
    assert ours.split(".")[0] == theirs.split(".")[0], (
        f"vendored plotly.js {ours} vs plotly.py's {theirs}: update nrlib/static (see its README)")
    assert (html_export.STATIC_DIR / "plotly-basic.LICENSE").exists()
    assert html_export.PLOTLY_JS.stat().st_size < 1_250_000


@pytest.mark.parametrize("bad", ["<script src='https://a.example/x.js'></script>", "<link href='http://a/b.css'>"])
def test_remote_references_flags_scripts_and_styles(bad):
    assert remote_references(f"<html><head>{bad}</head></html>")
