"""The batch runner: parallel papermill runs, carries on past a failure, index page, exit status."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from nrlib import config
from nrlib.core.files import sha256_file
from nrlib.core.vnformat import fmt_data_version
from nrlib.reports.html_export import offline_violations, remote_references
from nrlib.reports.index import write_index
from nrlib.reports.jobs import ReportJob, ReportResult

#: a unit report with all its charts, plotly.js included (issue 17: it was 1,26 MB with the bundle inlined as text)
MAX_UNIT_REPORT_BYTES = 600_000
MAX_REPORT_BYTES = 2_000_000
#: a script or stylesheet loaded from the network, whatever the attribute order
REMOTE_LOAD = re.compile(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)


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
    assert page.count("&lt;script&gt;window.__x=1&lt;/script&gt;") >= 3  # name, data version, failure
    assert 'href="units/26308_x.html"' in page and 'href="failed/26311_x.ipynb"' in page
    assert "1/2 báo cáo hoàn thành" in page and "1,23 MB" in page and "4,3 giây" in page
    assert "ô (cell) số 4 [In 3]" in page and "R.narrative()" in page
    assert "DỮ LIỆU MẪU" in page
    assert offline_violations(page) == []
    rec = json.loads(re.search(r'id="nrlib-report">(.*?)</script>', page, re.S).group(1))
    assert [r["code"] for r in rec["reports"]] == ["26308", "26311"]


def test_a_partial_run_keeps_earlier_reports_listed(tmp_path):
    from nrlib.reports.index import earlier_results

    (tmp_path / "units").mkdir()
    (tmp_path / "units" / "26308_xa-gia-kiem.html").write_text("x", encoding="utf-8")
    (tmp_path / "evil.html").write_text("x", encoding="utf-8")

    def ok(code, html):
        return ReportResult(kind="unit", code=code, name=f"Xã {code}", status="ok", html=html, size_bytes=1,
                            duration_s=1.0)

    write_index([ok("26308", "units/26308_xa-gia-kiem.html"), ok("26311", "units/26311_gone.html"),
                 ok("26314", "../evil.html")], tmp_path)
    kept = earlier_results(tmp_path)
    assert [r.code for r in kept] == ["26308"]  # file gone, or not a report path: dropped
    assert earlier_results(tmp_path, exclude=kept) == []  # rendered again: the new result wins
    page = write_index([ok("26311", "units/26311_xa-quang-trung.html")], tmp_path, earlier=kept).read_text("utf-8")
    assert "Lần chạy này: 1/1 báo cáo hoàn thành" in page and "giữ thêm 1 báo cáo của lần chạy trước" in page
    assert page.count("lần chạy trước</span>") == 1 and 'href="units/26308_xa-gia-kiem.html"' in page
    (tmp_path / "index.html").write_text('<script type="application/json" id="nrlib-report">{oops', encoding="utf-8")
    assert earlier_results(tmp_path) == []


# --- the real notebooks on the ingested sample (three kernel runs, shared with the browser test)

@pytest.fixture(scope="module")
def sample(sample_dir, tmp_path_factory):
    import report_fixtures as rf

    db = rf.sample_store(sample_dir, tmp_path_factory.mktemp("report-store"))
    rendered = rf.sample_reports(db, tmp_path_factory.mktemp("sample-reports"))
    return {"db": db, **rendered, "ds": rf.load_sample_dataset(db)}


@pytest.mark.slow
def test_batch_carries_on_past_a_failure_and_exits_non_zero(sample):
    out, foreign = sample["out"], sample["foreign"]
    assert sample["exit"] == 1
    # one progress line per report, with count/total
    progress = [line for line in sample["stdout"].splitlines() if re.match(r"\[\d/4\]", line)]
    assert sorted(p[:5] for p in progress) == ["[1/4]", "[2/4]", "[3/4]", "[4/4]"]
    # the failure is listed with its failing cell and the reason, and its notebook kept
    err = sample["stderr"]
    assert f"units/{foreign}" in err and "UnknownUnitError" in err and "không có biểu mẫu nào của huyện" in err
    assert "ô (cell) số" in err and "params.load_report_dataset(P)" in err
    failed = [r for r in sample["results"] if r["status"] == "failed"]
    assert [r["code"] for r in failed] == [foreign]
    nb = nbformat.read(out / failed[0]["failed_notebook"], 4)
    assert any(o.get("ename") == "UnknownUnitError" for c in nb.cells for o in c.get("outputs", []))
    assert not sample["stale"].exists()  # no old HTML of a failed report left looking current
    # the others were rendered and the index lists every report
    ok = [r for r in sample["results"] if r["status"] == "ok"]
    assert len(ok) == 3 and {r["kind"] for r in ok} == {"unit", "district"}
    index = (out / "index.html").read_text(encoding="utf-8")
    for r in ok:
        assert f'href="{r["html"]}"' in index
    assert "Lỗi" in index and "3/4 báo cáo hoàn thành" in index
    assert not (out / ".nrlib-work").exists()


@pytest.mark.slow
def test_sample_reports_render_within_budget_offline_with_record(sample):
    out, ds = sample["out"], sample["ds"]
    for r in (r for r in sample["results"] if r["status"] == "ok"):
        path = out / r["html"]
        page = path.read_text(encoding="utf-8")
        budget = MAX_UNIT_REPORT_BYTES if r["kind"] == "unit" else MAX_REPORT_BYTES
        assert path.stat().st_size <= budget, (r["html"], path.stat().st_size)
        assert offline_violations(page) == [] and remote_references(page) == []
        assert not REMOTE_LOAD.search(page) and "https://cdn" not in page
        n_charts = page.count("Plotly.newPlot(")
        assert n_charts >= (0 if r["code"] == sample["missing"] else 3)
        assert len(re.findall(r'<script[^>]*\bid="nrlib-plotly"', page)) == (1 if n_charts else 0)
        assert f'content="{ds.data_version}"' in page and "Phiên bản dữ liệu" in page
        # readers see the version as a Vietnamese date, the ISO form only in the metadata
        assert fmt_data_version(ds.data_version) in page and ds.data_version.split(" · ")[1] not in page.split("<footer")[1]
        assert "DỮ LIỆU MẪU" in page  # sample data is labelled
        rec = json.loads(re.search(r'id="nrlib-report"[^>]*>(.*?)</script>', page, re.S).group(1))
        assert rec["data_version"] == ds.data_version and rec["parameters"]["db_path"] == str(sample["db"])
        # which reference files the report was computed with, and their checksums
        inputs = {i["role"]: i for i in rec["inputs"]}
        assert {"outline", "criteria", "levels", "ranking"} <= set(inputs)
        assert inputs["ranking"]["sha256"] == sha256_file(config.reference_path("ranking"))[0]
        assert "Tệp tham chiếu" in page and inputs["outline"]["sha256"][:8] in page.split("<footer")[1]
        nb = nbformat.read(out / "notebooks" / Path(r["html"]).with_suffix(".ipynb"), 4)
        assert nb.metadata["nrlib"]["data_version"] == ds.data_version
        assert nb.metadata["nrlib"]["parameters"]["include_personal_data"] is False
        assert "params.check" not in page and "load_report_dataset" not in page  # no code in the report
    import report_fixtures as rf

    xss = next(r for r in sample["results"] if r["code"] == rf.XSS_UNIT)
    unit_page = (out / xss["html"]).read_text(encoding="utf-8")
    for heading in ("Số liệu chính", "Kết quả thực hiện các tiêu chí", "Duy trì tiêu chí", "Cuộc vận động",
                    "Tiến độ nộp báo cáo", "Nội dung tự đánh giá", "Đề xuất khen thưởng", "Phương pháp"):
        assert heading in unit_page
    assert "<script>window.__xss" not in unit_page and "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in unit_page


@pytest.mark.slow
def test_plain_papermill_renders_a_unit(sample, tmp_path):
    """`papermill notebooks/report_unit.ipynb out.ipynb -p unit_code 26308` with no nrlib around it."""
    import subprocess
    import sys

    out = tmp_path / "out.ipynb"
    nb_path = Path(__file__).resolve().parents[1] / "notebooks" / "report_unit.ipynb"
    proc = subprocess.run([sys.executable, "-m", "papermill", str(nb_path), str(out), "--no-progress-bar",
                           "-p", "unit_code", "26308", "-p", "db_path", str(sample["db"])],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    nb = nbformat.read(out, 4)
    assert nb.metadata["papermill"]["parameters"]["unit_code"] == 26308  # what papermill passed ...
    html_out = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})]
    assert any("Xã Gia Kiệm (mã 26308)" in h for h in html_out)  # ... read back as the string "26308"
    assert any("plotly-graph-div" in h for h in html_out)


def test_reports_never_write_into_a_folder_nrlib_did_not_make(tmp_path):
    """An analyst's folder (their own index.html and work folder) is refused before anything runs, and left as
    it was; so is a file given as --out."""
    mine = tmp_path / "ban-cua-toi"
    (mine / ".work").mkdir(parents=True)
    (mine / ".work" / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    (mine / "index.html").write_text("<p>trang của tôi</p>", encoding="utf-8")
    from nrlib.exceptions import NrlibError
    from nrlib.reports.batch import claim_folder

    with pytest.raises(NrlibError, match="không do nrlib tạo"):
        claim_folder(mine)
    assert (mine / "index.html").read_text(encoding="utf-8") == "<p>trang của tôi</p>"
    assert sorted(p.name for p in mine.rglob("*")) == [".work", "ghi-chu.txt", "index.html"]
    a_file = tmp_path / "bao-cao.html"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(NrlibError, match="là một tệp"):
        claim_folder(a_file)
    fresh = claim_folder(tmp_path / "moi")
    assert (fresh / ".nrlib-reports").is_file() and claim_folder(fresh) == fresh    # ours from now on
    earlier = tmp_path / "lan-truoc"                  # written by an nrlib from before the marker: its index says so
    write_index([], earlier)
    assert claim_folder(earlier) == earlier

@pytest.mark.slow
def test_the_command_refuses_a_foreign_out_folder_before_any_kernel_starts(sample, tmp_path, capsys, monkeypatch):
    from nrlib.cli import main
    from nrlib.reports import executors

    def no_kernel(self, jobs, cwd):
        raise AssertionError("a report was started")

    monkeypatch.setattr(executors.LocalExecutor, "run", no_kernel)
    mine = tmp_path / "ban-cua-toi"
    mine.mkdir()
    (mine / "index.html").write_text("<p>trang của tôi</p>", encoding="utf-8")
    assert main(["reports", "--db", str(sample["db"]), "--out", str(mine)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "không do nrlib tạo" in err
    assert [p.name for p in mine.iterdir()] == ["index.html"]


@pytest.mark.slow
def test_ctrl_c_leaves_an_index_of_the_reports_done(sample, tmp_path):
    """A batch stopped with Ctrl-C after its first report: the index lists that report, then Ctrl-C goes on up."""
    from nrlib.reports.batch import build_reports

    class StoppedAfterOne:
        def describe(self):
            return "một tiến trình"

        def run(self, jobs, cwd):
            job = jobs[0]
            yield 0, ReportResult(kind=job.kind, code=job.code, name=job.name, status="ok", html=job.rel_html,
                                  size_bytes=10, duration_s=1.0)
            raise KeyboardInterrupt

    out = tmp_path / "bao-cao"
    with pytest.raises(KeyboardInterrupt):
        build_reports(sample["db"], unit_codes=["26308", "26311"], out_dir=out, executor=StoppedAfterOne(),
                      progress=None)
    index = (out / "index.html").read_text(encoding="utf-8")
    rec = json.loads(re.search(r'id="nrlib-report">(.*?)</script>', index, re.S).group(1))
    assert [r["code"] for r in rec["reports"]] == ["26308"] and not (out / ".nrlib-work").exists()


def test_the_failing_line_is_the_cells_even_when_the_error_is_chained():
    """``raise StoreError(…) from exc`` puts the library's frames first: the line named is the cell's."""
    from nrlib.reports import render

    chained = [
        "-" * 75, "IOException                               Traceback (most recent call last)",
        "File /x/nrlib/store/connection.py:100, in _connect(db_path)\n     99 try:\n"
        "--> 100     return duckdb.connect(str(db_path))\n    101 except duckdb.IOException as exc:\n",
        "IOException: IO Error: Could not set lock", "\nThe above exception was the direct cause of the following "
        "exception:\n", "StoreError                                Traceback (most recent call last)",
        "\x1b[0;31mCell In[4], line 5\x1b[0m\n      4 \n----> 5 ds = params.load_report_dataset(P)\n",
        "File /x/nrlib/store/connection.py:106, in _connect(db_path)\n--> 106         raise StoreError(\n",
        "StoreError: kho dữ liệu vẫn đang được một lệnh khác ghi"]
    assert render._failing_line(chained) == "ds = params.load_report_dataset(P)"
    library_only = chained[:4]
    assert render._failing_line(library_only) == "return duckdb.connect(str(db_path))"
    assert render._failing_line(None) is None


def test_reports_wait_for_an_ingest_before_any_kernel_starts_and_say_so(sample_store, tmp_path, capsys, monkeypatch):
    """A store being written: `nrlib reports` says it waits, and for how long, before starting anything;
    still busy after the timeout, it stops with one line and no kernel has started."""
    import os
    import shutil
    import subprocess
    import sys

    from ingest_fixtures import wait_for, write_good

    from nrlib.cli import main
    from nrlib.reports import executors

    def no_kernel(self, jobs, cwd):
        raise AssertionError("a report was started")

    monkeypatch.setattr(executors.LocalExecutor, "run", no_kernel)
    db = tmp_path / "s.duckdb"
    shutil.copy(sample_store, db)
    book = write_good(tmp_path / "26308_gia-kiem.xlsx", shift=7.0)
    writer = subprocess.Popen([sys.executable, "-m", "nrlib", "ingest", str(book), "--db", str(db), "--received",
                               "2021-03-01"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, NRLIB_TEST_PAUSE_IN_TRANSACTION="60"))
    try:
        wait_for(writer, "pausing")
        monkeypatch.setenv("NRLIB_LOCK_TIMEOUT", "2")
        assert main(["reports", "--db", str(db), "--unit", "26308", "--out", str(tmp_path / "out")]) == 2
    finally:
        writer.kill()
        writer.communicate()
    err = capsys.readouterr().err
    assert "đang chờ để đọc, tối đa 2 giây" in err and "vẫn đang được một lệnh khác ghi sau 2 giây" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()
