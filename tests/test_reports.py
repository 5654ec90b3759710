"""The batch runner: parallel papermill runs, carries on past a failure, index page, exit status."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from nrlib import cli, reports
from nrlib.html_export import offline_violations
from nrlib.reports import ReportJob, ReportResult, slugify, write_index
from report_fixtures import fixture_notebook

MAX_REPORT_BYTES = 2_000_000


def test_slugify_ascii_from_vietnamese_names():
    assert slugify("Xã Gia Kiệm") == "xa-gia-kiem"
    assert slugify("Huyện Thống Nhất") == "huyen-thong-nhat"
    assert slugify("Thị trấn Dầu Giây") == "thi-tran-dau-giay"
    assert slugify("../../etc/passwd <script>") == "etc-passwd-script"
    assert slugify("Đ") == "d" and slugify("***") == "bao-cao"


def test_report_job_paths_from_codes_and_slugs(tmp_path):
    job = ReportJob("unit", "26308", "Xã Gia Kiệm", {}, tmp_path)
    assert job.html_path == tmp_path.resolve() / "units" / "26308_xa-gia-kiem.html"
    assert job.failed_path == tmp_path.resolve() / "failed" / "26308_xa-gia-kiem.ipynb"
    assert job.notebook.name == "report_unit.ipynb" and job.notebook.exists()
    d = ReportJob("district", "738", "Huyện Thống Nhất", {}, tmp_path)
    assert d.rel_html == "district/738_huyen-thong-nhat.html"
    with pytest.raises(ValueError):
        ReportJob("unit", "../x", "x", {}, tmp_path)


def test_index_page_escapes_everything(tmp_path):
    bad = "<script>window.__x=1</script>"
    results = [
        ReportResult(kind="unit", code="26308", name=bad, status="ok", html="units/26308_x.html",
                     size_bytes=1_234_567, duration_s=4.25, title=bad, data_version=bad, is_sample=True),
        ReportResult(kind="unit", code="26311", name="Xã Quang Trung", status="failed", html=None,
                     size_bytes=None, duration_s=1.0, error_name="ValueError", error_value=bad, cell_index=4,
                     exec_count=3, cell_source="R.narrative()", failed_notebook="failed/26311_x.ipynb"),
    ]
    page = write_index(results, tmp_path).read_text(encoding="utf-8")
    assert "<script>window.__x" not in page.replace('<script type="application/json" id="nrlib-report">', "")
    assert page.count("&lt;script&gt;window.__x=1&lt;/script&gt;") >= 3
    assert 'href="units/26308_x.html"' in page and 'href="failed/26311_x.ipynb"' in page
    assert "1/2 báo cáo hoàn thành" in page and "1,23 MB" in page and "4,3 giây" in page
    assert "ô (cell) số 4 [In 3]" in page and "R.narrative()" in page
    assert "DỮ LIỆU MẪU" in page
    assert offline_violations(page) == []
    rec = json.loads(re.search(r'id="nrlib-report">(.*?)</script>', page, re.S).group(1))
    assert [r["code"] for r in rec["reports"]] == ["26308", "26311"]


@pytest.mark.slow
def test_batch_carries_on_past_a_failure_and_exits_non_zero(tmp_path, monkeypatch, capsys):
    nb = fixture_notebook(tmp_path / "fixture.ipynb")
    out = tmp_path / "out"
    stale = out / "units" / "26311_xa-quang-trung.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old report", encoding="utf-8")
    jobs = [
        ReportJob("unit", "26311", "Xã Quang Trung", {"code": "26311", "fail": True}, out, notebook=nb),
        ReportJob("unit", "26308", "Xã Gia Kiệm", {"code": "26308"}, out, notebook=nb),
        ReportJob("district", "738", "Huyện Thống Nhất", {"code": "738", "kind": "district"}, out, notebook=nb),
    ]
    monkeypatch.setattr(reports, "plan_reports", lambda *a, **k: jobs)
    code = cli.main(["reports", "--jobs", "2", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    # one progress line per report, with count/total
    progress = [line for line in captured.out.splitlines() if re.match(r"\[\d/3\]", line)]
    assert len(progress) == 3 and {p[:5] for p in progress} == {"[1/3]", "[2/3]", "[3/3]"}
    # the failure is listed with its failing cell, and its notebook kept
    assert "26311 Xã Quang Trung" in captured.err and "RuntimeError: lỗi thử / deliberate failure" in captured.err
    assert "ô (cell) số 3" in captured.err and "import plotly.graph_objects as go" in captured.err
    failed_nb = out / "failed" / "26311_xa-quang-trung.ipynb"
    assert failed_nb.exists() and not stale.exists()  # no old HTML left looking current
    assert any(o.get("ename") == "RuntimeError" for c in nbformat.read(failed_nb, 4).cells for o in c.get("outputs", []))
    # the others were rendered
    for rel in ("units/26308_xa-gia-kiem.html", "district/738_huyen-thong-nhat.html"):
        page = (out / rel).read_text(encoding="utf-8")
        assert (out / rel).stat().st_size <= MAX_REPORT_BYTES
        assert offline_violations(page) == []
        assert page.count("Plotly.newPlot(") == 2 and page.count("plotly.js (basic - minified)") == 1
        assert 'name="nrlib-data-version"' in page and "dv-fixture" in page
    # executed notebook keeps the record and the job in its metadata
    ex = nbformat.read(out / "notebooks" / "units" / "26308_xa-gia-kiem.ipynb", 4)
    assert ex.metadata["nrlib"]["data_version"] == "dv-fixture"
    assert ex.metadata["nrlib"]["job"]["html"] == "units/26308_xa-gia-kiem.html"
    assert ex.metadata["papermill"]["parameters"]["code"] == "26308"
    # the index lists all three
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="units/26308_xa-gia-kiem.html"' in index and 'href="district/738_huyen-thong-nhat.html"' in index
    assert "Xã Quang Trung" in index and "Lỗi" in index and "2/3 báo cáo hoàn thành" in index
    assert not (out / ".work").exists()
