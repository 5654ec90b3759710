"""Executors: what comes back from a worker is written where a local run writes it, from this machine's plan."""

from __future__ import annotations

import pytest

from nrlib.exceptions import NrlibError
from nrlib.reports.executors import LocalExecutor, RemoteOutcome, make_executor, preload_targets, write_outcome
from nrlib.reports.jobs import ReportJob, ReportResult, failed_result


def _job(tmp_path, code="26308", name="Xã Gia Kiệm"):
    return ReportJob("unit", code, name, {"unit_code": code, "db_path": "/x/nrlib.duckdb"}, tmp_path)


def _result(status="ok", **kw):
    base = dict(kind="unit", code="26308", name="Xã Gia Kiệm", status=status, html=None, size_bytes=None,
                duration_s=2.5)
    return ReportResult(**{**base, **kw})


def test_a_returned_report_is_written_from_the_local_plan(tmp_path):
    job = _job(tmp_path)
    job.failed_path.parent.mkdir(parents=True)
    job.failed_path.write_text("old failure")
    r = write_outcome(job, RemoteOutcome(_result(html="../../evil.html", size_bytes=1), {"html": b"<p>ok</p>",
                                                                                      "ipynb": b"{}"}))
    assert r.ok and r.html == "units/26308_xa-gia-kiem.html" and r.size_bytes == len(b"<p>ok</p>")
    assert job.html_path.read_bytes() == b"<p>ok</p>" and job.ipynb_path.read_bytes() == b"{}"
    assert not job.failed_path.exists()  # an old failure no longer applies
    assert not (tmp_path.parent / "evil.html").exists()


def test_a_returned_failure_removes_the_stale_report_and_keeps_the_notebook(tmp_path):
    job = _job(tmp_path)
    for p in (job.html_path, job.ipynb_path):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("an old report")
    failed = _result("failed", error_name="UnknownUnitError", error_value="no", cell_index=3,
                     failed_notebook="/worker/tmp/failed/x.ipynb")
    r = write_outcome(job, RemoteOutcome(failed, {"failed": b"{}", "kernel_log": b"Traceback"}))
    assert not r.ok and r.failed_notebook == "failed/26308_xa-gia-kiem.ipynb"
    assert job.failed_path.read_bytes() == b"{}"
    assert job.failed_path.with_suffix(".kernel.log").read_bytes() == b"Traceback"
    assert not job.html_path.exists() and not job.ipynb_path.exists()  # nothing stale looks current
    r = write_outcome(_job(tmp_path / "b"), RemoteOutcome(_result(), {}))  # "ok" with no HTML is no report
    assert not r.ok and r.error_name == "MissingOutput"


def test_a_dead_worker_is_one_failed_report(tmp_path):
    r = failed_result(_job(tmp_path), RuntimeError("worker  died\nabruptly"))
    assert not r.ok and r.error_name == "RuntimeError" and r.error_value == "worker died abruptly"
    assert "ngoài notebook" in r.failure_text()


def test_preload_targets_one_per_store_and_district(tmp_path):
    jobs = [_job(tmp_path), _job(tmp_path, "26311", "Xã Quang Trung"),
            ReportJob("district", "738", "Huyện Thống Nhất", {"district_code": "738", "db_path": "/x/nrlib.duckdb"},
                      tmp_path),
            ReportJob("unit", "99999", "?", {"unit_code": "99999", "db_path": "/x/nrlib.duckdb"}, tmp_path)]
    assert preload_targets(jobs) == [("/x/nrlib.duckdb", "738")]  # the unknown unit's own kernel reports it


def test_make_executor():
    ex = make_executor("local", jobs=3, warm=False)
    assert isinstance(ex, LocalExecutor) and ex.n_jobs == 3 and not ex.warm
    assert "3 tiến trình" in ex.describe()
    with pytest.raises(NrlibError, match="--scheduler"):
        make_executor("local", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(NrlibError):
        make_executor("spark")
    dask = make_executor("dask", scheduler="tcp://10.0.0.5:8786")
    assert "tcp://10.0.0.5:8786" in dask.describe()


def test_an_executor_started_before_its_jobs_preloads_them_and_one_never_run_leaves_nothing(sample_store, tmp_path):
    """``start`` launches the template (stores to come) and the workers; ``run`` hands the template its stores;
    ``close`` without ``run`` (a check failed) ends both."""
    from nrlib.reports import warmstart

    if not warmstart.supported():
        pytest.skip("no fork here: kernels start cold")
    ex = LocalExecutor(2)
    ex.start(expected_jobs=None)
    ex._started()
    template, pool = ex._template, ex._pool
    assert template is not None and template.deferred and pool is not None
    proc = template._proc
    ex.close()
    assert proc.wait(timeout=10) == 0 and not template.alive()      # it exits before it was given any store
    assert ex._template is None and ex._pool is None
    ex.close()                                                        # idempotent

    one = LocalExecutor(2)
    one.start(expected_jobs=1)                                        # one report: rendered here, no workers
    one._started()
    assert one._pool is None
    one.close()

    tpl = warmstart.KernelTemplate([])                               # given its stores at the start: no second time
    try:
        with pytest.raises(RuntimeError):
            tpl.preload([(str(sample_store), "738")])
    finally:
        tpl.close()
