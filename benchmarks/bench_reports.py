"""Report rendering: ``nrlib reports`` against the loop a user would write by hand, and the cost per report.

Everything runs in the same session on the same sample store (Thống Nhất 738,
seed 2021, 10 units: 9 with data and the one that sent nothing, plus the
district report: the 11 reports ``nrlib reports`` renders for the sample):

* **batch, warm** — ``nrlib reports --jobs 2`` as a user types it (a new
  process: Python start, planning, 2 worker processes, index page), each
  report's kernel forked from a template that imported nrlib and read the
  store once (:mod:`nrlib.reports.warmstart`);
* **batch, cold** — the same with ``--kernels cold``: every kernel started
  from scratch (what the batch runner did before the warm path);
* **batch, Dask** — with ``NRLIB_BENCH_DASK=1``: ``--executor dask`` on a
  local cluster of 2 worker processes (cluster start included);
* **naive** — for each report, the ``papermill`` CLI then ``jupyter
  nbconvert --to html --no-input`` on the executed notebook, one after the
  other (a new Python process for each command);
* **floor** — a bare kernel start plus the imports a report needs
  (``jupyter_client``: start, wait until ready, import what the report
  notebooks import, shut down), median of 3: the least a report costs when
  each report has a cold kernel of its own.

Cost per report is the batch's worker-seconds per report (wall time × the
2 workers ÷ 11 reports), set against the floor; the notes also give the
mean time each report took inside the batch and how much of it was the
notebook's cells. Report size is measured by ``bench_size``.

Runtime: about 3-5 minutes on 2 cores, most of it the naive loop (11 × two
new processes and a cold kernel).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRICT = "738"
SEED = 2021
JOBS = 2
#: issue 17's goals: the batch against the naive loop, the cost of a report inside it against the floor
MIN_BATCH_RATIO = 10.0
MAX_COST_RATIO = 1.0
#: what the report notebooks import (their first code cells)
REPORT_IMPORTS = ("from nrlib import present\n"
                  "from nrlib.present import figures\n"
                  "from nrlib.reports import params\n"
                  "from nrlib.reports.unit import UnitReport\n"
                  "from nrlib.reports.district import DistrictReport\n")


def _sample_store(work: Path) -> Path:
    """Sample workbooks → ingest → a store in ``work``; returns the store path."""
    from nrlib.ingest import ingest_sample_folder
    from nrlib.workbooks.sample import write_sample

    sample = work / "sample"
    write_sample(sample, DISTRICT, seed=SEED)
    return Path(ingest_sample_folder(sample, db_path=work / "nrlib.duckdb"))


def _cli_reports(db: Path, out: Path, *extra: str) -> float:
    """Wall time of ``nrlib reports --jobs 2 ...`` in a new process (as a user runs it)."""
    nrlib = Path(sys.executable).with_name("nrlib")
    t0 = time.perf_counter()
    proc = subprocess.run([str(nrlib), "reports", "--db", str(db), "--out", str(out), "--jobs", str(JOBS), *extra],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"nrlib reports {' '.join(extra)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return wall


def _naive(plan, work: Path) -> float:
    bin_dir = Path(sys.executable).parent
    t0 = time.perf_counter()
    for job in plan:
        executed = work / "naive" / f"{job.stem}.ipynb"
        executed.parent.mkdir(parents=True, exist_ok=True)
        args = [str(bin_dir / "papermill"), str(job.notebook), str(executed), "--no-progress-bar"]
        for k, v in job.parameters.items():
            args += ["-r", k, str(v)] if isinstance(v, str) else ["-p", k, str(v)]
        subprocess.run(args, check=True, capture_output=True, cwd=ROOT)
        subprocess.run([str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                       check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t0


def _floor_once() -> float:
    from jupyter_client import KernelManager

    t0 = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(ROOT), stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        reply = kc.execute_interactive(REPORT_IMPORTS, timeout=120, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel()
    return time.perf_counter() - t0


def _inside(out: Path) -> tuple[float, float]:
    """Mean seconds per report inside the batch (render) and in the notebook's cells, from the executed notebooks."""
    render, cells = [], []
    for path in (out / "notebooks").rglob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        render.append(nb["metadata"]["nrlib"]["job"]["render_seconds"])
        cells.append(sum((c.get("metadata", {}).get("papermill", {}).get("duration") or 0) for c in nb["cells"]))
    return statistics.fmean(render), statistics.fmean(cells)


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def run() -> list[dict]:
    from nrlib.reports.batch import plan_reports

    rows = []
    with tempfile.TemporaryDirectory(prefix="nrlib-bench-reports-") as tmp:
        work = Path(tmp)
        db = _sample_store(work)
        plan = plan_reports(db, out_dir=work / "unused")
        n = len(plan)
        load_before = _load()
        floor = statistics.median(_floor_once() for _ in range(3))
        t_warm = _cli_reports(db, work / "warm")
        t_cold = _cli_reports(db, work / "cold", "--kernels", "cold")
        t_dask = (_cli_reports(db, work / "dask", "--executor", "dask")
                  if os.environ.get("NRLIB_BENCH_DASK") == "1" else None)
        t_naive = _naive(plan, work)
        load = f"load average {load_before} → {_load()} on {os.cpu_count()} CPUs"
        page = (work / "warm" / "index.html").read_text("utf-8")
        index = json.loads(re.search(r'id="nrlib-report">(.*?)</script>', page, re.S).group(1))
        assert len(index["reports"]) == n and all(r["status"] == "ok" for r in index["reports"]), index
        (warm_render, warm_cells), (cold_render, cold_cells) = _inside(work / "warm"), _inside(work / "cold")

        naive_note = (f"naive loop (papermill CLI, then jupyter nbconvert --to html --no-input, per report, one after "
                      f"the other): {t_naive:.1f} s")
        rows.append({"name": f"render the {n} sample reports: nrlib reports --jobs {JOBS} (warm kernels)",
                     "value": round(t_warm, 1), "unit": "s", "ratio": round(t_naive / t_warm, 2),
                     "goal": f"≥ {MIN_BATCH_RATIO:g}× naive", "holds": t_naive / t_warm >= MIN_BATCH_RATIO,
                     "note": f"{naive_note}; whole command incl. Python start, planning, index; {load}"})
        rows.append({"name": "same, --kernels cold (every kernel from scratch: the runner before warm start)",
                     "value": round(t_cold, 1), "unit": "s", "ratio": round(t_naive / t_cold, 2),
                     "note": f"warm start is {t_cold / t_warm:.2f}× faster than cold in this run"})
        if t_dask is not None:
            rows.append({"name": "same, --executor dask (local cluster, 2 worker processes, warm)",
                         "value": round(t_dask, 1), "unit": "s", "ratio": round(t_naive / t_dask, 2),
                         "note": "cluster start, store snapshot sent as bytes, HTML returned as bytes"})

        def per_report(label, wall, note, goal=False):
            cost = wall * JOBS / n
            rows.append({"name": f"cost per report, {label}", "value": round(cost, 2), "unit": "s",
                         "ratio": round(cost / floor, 2), "note": note,
                         **({"goal": f"≤ {MAX_COST_RATIO:g}× floor", "holds": cost / floor <= MAX_COST_RATIO}
                            if goal else {})})

        per_report("warm (batch worker-seconds ÷ reports)", t_warm,
                   f"ratio: ÷ floor; inside the batch a report took {warm_render:.2f} s, {warm_cells:.2f} s of it "
                   f"in the notebook's cells (imports and store already in the template)", goal=True)
        per_report("cold", t_cold, f"inside the batch a report took {cold_render:.2f} s, {cold_cells:.2f} s of it "
                                   f"in the cells (imports and store opening included)")
        rows.append({"name": "cost per report, naive loop", "value": round(t_naive / n, 2), "unit": "s",
                     "ratio": round(t_naive / n / floor, 2), "note": "one report after the other, one core"})
        rows.append({"name": "floor: bare kernel start + the imports a report needs", "value": round(floor, 2),
                     "unit": "s", "note": "jupyter_client start → ready → import nrlib report modules → shutdown; "
                                          "median of 3, one at a time"})

    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
