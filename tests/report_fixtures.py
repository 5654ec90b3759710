"""Builders shared by the report tests (imported by test_reports.py and test_report_browser.py)."""

from __future__ import annotations

from pathlib import Path

import nbformat

#: text a commune could type into its narrative to attack the report
XSS_PAYLOADS = ('<script>window.__xss = 1</script>', '<img src=x onerror="window.__xss = 2">',
                '<a href="javascript:window.__xss=3">bấm</a>')

FIXTURE_CODE = '''
import plotly.graph_objects as go
from IPython.display import display
from nrlib import figures, present
from nrlib.html_export import record_output

display(record_output({"kind": kind, "code": code, "title": "Báo cáo thử " + code,
                       "parameters": {"code": code, "fail": fail}, "data_version": "dv-fixture",
                       "is_sample": True, "generated_at": "2021-02-18T14:05:00"}), raw=True)
present.show(present.heading("2. Biểu đồ"))
figures.show(figures.base_layout(go.Figure(go.Bar(x=[2016, 2017], y=[1500, 2250.5])), "Biểu đồ cột", y_title="triệu đồng"))
figures.show(figures.base_layout(go.Figure(go.Scatter(x=[2016, 2017], y=[3, 1])), "Biểu đồ đường"))
present.show(present.heading("3. Đánh giá của đơn vị"))
present.show(present.narrative([("I", "Tuyên truyền", narrative)]))
if fail:
    raise RuntimeError("lỗi thử / deliberate failure")
'''


def fixture_notebook(path: Path) -> Path:
    """A small report-like notebook: parameters, a record, two charts, a narrative, an optional failure."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('kind = "unit"\ncode = "26308"\nfail = False\n'
                                       f'narrative = {chr(10).join(XSS_PAYLOADS)!r}')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_markdown_cell("## 1. Mở đầu"), nbformat.v4.new_code_cell(FIXTURE_CODE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path
