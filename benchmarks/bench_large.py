"""National scale: thousands of workbooks ingested, hundreds of reports rendered, and the country projected.

``make bench-large`` (``python -m benchmarks large``; not part of ``make
bench``: it takes about 10 minutes on 2 cores). Method, in one run:

1. **write** ``NRLIB_BENCH_LARGE_UNITS`` (default 3.000) filled workbooks for
   real units of whole districts across the country (a few more are written, since
   each district leaves out the unit that sends nothing, and the first 3.000 ingested)
   (:func:`nrlib.synthetic_workbooks`, ``province_code=None``; setup, not
   measured as ingest);
2. **ingest** them all into a fresh store with the default number of worker
   processes (:func:`nrlib.ingest.ingest_files`): throughput and peak memory
   (this process and the largest worker);
3. **render** ``NRLIB_BENCH_LARGE_REPORTS`` (default 300) reports — the unit
   reports of whole districts in the store and those districts' reports —
   with the local executor (``--jobs 2``, warm kernels), as ``nrlib
   reports`` does: reports per hour, cost per report (worker-seconds ÷
   reports), peak memory;
4. **Dask** — ``NRLIB_BENCH_LARGE_DASK`` (default 40) of those reports, side by
   side on the local executor and on the Dask executor with a local cluster
   of 2 worker processes (:class:`nrlib.reports.executors.DaskExecutor`, cluster
   start and the store's snapshot included): efficiency = local time ÷ Dask
   time (goal ≥ 80 %), and the Dask overhead per run (Dask time − the local
   time of the same reports);
5. **projection** for the country's ``NRLIB_BENCH_LARGE_COUNTRY`` (default
   10.000) communes on N Dask workers: ``communes × cost per report ÷ (N ×
   efficiency)``, from the measured numbers only. It is on the safe side in
   one way (the efficiency of a short run carries the cluster start and the
   snapshot, which a run of 10.000 reports pays once) and optimistic in
   another (it assumes each worker has a core of its own and that one
   scheduler keeps up with N workers, which a 2-worker run cannot show):
   treat it as the order of magnitude.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JOBS = 2
#: issue 17's goals at national scale
MIN_WORKBOOKS = 3000
MIN_REPORTS = 300
MIN_DASK_REPORTS = 40
MIN_DASK_EFFICIENCY = 0.8
PROJECTED_WORKERS = (2, 8, 32, 128)


def _peak_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of the largest child reaped so far."""
    scale = 1024 * 1024 if os.uname().sysname == "Darwin" else 1024
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale)


def _plan(db: Path, districts, n_reports: int, out: Path) -> list:
    """Whole districts' reports (every unit and the district's own), in code order, until at least ``n_reports``."""
    from nrlib.reports.batch import plan_reports

    jobs: list = []
    for district in sorted(set(districts)):
        jobs += plan_reports(db, out_dir=out, district_code=str(district))
        if len(jobs) >= n_reports:
            break
    return jobs


def _render(jobs: list, executor, out: Path) -> float:
    from nrlib.reports.batch import run_reports

    out.mkdir(parents=True, exist_ok=True)
    jobs = [job.__class__(job.kind, job.code, job.name, job.parameters, out) for job in jobs]
    t0 = time.perf_counter()
    results = run_reports(jobs, JOBS, progress=None, cwd=ROOT, executor=executor)
    wall = time.perf_counter() - t0
    failed = [r for r in results if not r.ok]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(results)} reports failed, first: {failed[0].failure_text()}")
    return wall


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def run() -> list[dict]:
    from nrlib.ingest import default_workers, ingest_files
    from nrlib.reports.executors import make_executor
    from nrlib.workbooks.synthetic import synthetic_workbooks

    n_units = int(os.environ.get("NRLIB_BENCH_LARGE_UNITS", str(MIN_WORKBOOKS)))
    n_reports = int(os.environ.get("NRLIB_BENCH_LARGE_REPORTS", str(MIN_REPORTS)))
    n_dask = int(os.environ.get("NRLIB_BENCH_LARGE_DASK", str(MIN_DASK_REPORTS)))
    country = int(os.environ.get("NRLIB_BENCH_LARGE_COUNTRY", "10000"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="nrlib-bench-large-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        # each district leaves out the unit that sends nothing: ask for more units, ingest the first n_units files
        books = synthetic_workbooks(work / "books", n_units=n_units + n_units // 4 + 12, seed=1, workers=JOBS)
        t_write = time.perf_counter() - t0
        paths = sorted(books.paths)[:n_units]

        workers = default_workers()
        t0 = time.perf_counter()
        outcomes = ingest_files(paths, work / "nrlib.duckdb", received="2021-02-15", workers=workers)
        t_ingest = time.perf_counter() - t0
        peak_self, peak_child = _peak_mb()
        accepted = sum(o.outcome == "accepted" for o in outcomes)
        rows.append({"name": f"ingest {len(paths)} workbooks of the whole country ({workers} worker processes)",
                     "value": round(len(paths) / t_ingest, 1), "unit": "workbooks/s",
                     "goal": f"≥ {MIN_WORKBOOKS} workbooks", "holds": len(paths) >= MIN_WORKBOOKS,
                     "note": f"{t_ingest:.0f} s; {accepted} accepted; peak RSS {peak_self:.0f} MB here, "
                             f"{peak_child:.0f} MB the largest worker; store "
                             f"{(work / 'nrlib.duckdb').stat().st_size / 1e6:.0f} MB; writing them took "
                             f"{t_write:.0f} s (setup); load average {load:.1f} on {os.cpu_count()} CPUs"})

        jobs = _plan(work / "nrlib.duckdb", books.units["district_code"], n_reports, work / "plan")
        t_local = _render(jobs, make_executor("local", jobs=JOBS), work / "local")
        cost = t_local * JOBS / len(jobs)
        peak_self, peak_child = _peak_mb()
        districts = len({j.parameters.get("district_code") for j in jobs if j.kind == "district"})
        rows.append({"name": f"render {len(jobs)} reports of {districts} district{'s' if districts > 1 else ''} (local, --jobs {JOBS}, warm)",
                     "value": round(len(jobs) / t_local * 3600), "unit": "reports/h",
                     "goal": f"≥ {MIN_REPORTS} reports", "holds": len(jobs) >= MIN_REPORTS,
                     "note": f"{t_local:.0f} s; cost per report {cost:.2f} worker-s; peak RSS {peak_self:.0f} MB "
                             f"here, {peak_child:.0f} MB the largest kernel or worker"})

        sample = jobs[:n_dask]
        t_local_n = _render(sample, make_executor("local", jobs=JOBS), work / "local-n")
        t_dask = _render(sample, make_executor("dask", jobs=JOBS), work / "dask")
        efficiency = t_local_n / t_dask
        overhead = max(0.0, t_dask - t_local_n)
        rows.append({"name": f"Dask executor, local cluster of {JOBS} workers, {len(sample)} reports, against local",
                     "value": round(100 * efficiency, 1), "unit": "%", "ratio": round(efficiency, 2),
                     "goal": f"≥ {100 * MIN_DASK_EFFICIENCY:g} % of local, ≥ {MIN_DASK_REPORTS} reports",
                     "holds": efficiency >= MIN_DASK_EFFICIENCY and len(sample) >= MIN_DASK_REPORTS,
                     "note": f"local {t_local_n:.0f} s, Dask {t_dask:.0f} s (cluster start and store snapshot "
                             f"included): overhead {overhead:.0f} s a run"})
        for n in PROJECTED_WORKERS:
            seconds = country * cost / (n * efficiency)
            rows.append({"name": f"projected: {country} communes' reports on {n} Dask workers",
                         "value": round(seconds / 3600, 2), "unit": "h",
                         "note": f"{_hours(seconds)} = {country} × {cost:.2f} s ÷ ({n} × {efficiency:.2f}); "
                                 f"a core per worker assumed"})
    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
