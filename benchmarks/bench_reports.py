"""Report rendering: ``nrlib reports`` against the naive loop, and report size against the naive export.

Both sides run in the same session on the same sample store (Thống Nhất 738,
seed 2021, 10 units: 9 unit reports with data, 1 for the missing unit, and
the district report):

* **batch** — ``nrlib reports --jobs 2``: papermill in 2 worker processes,
  HTML exported in-process with nrlib's template;
* **naive** — what one would type: for each report, the ``papermill`` CLI
  then ``jupyter nbconvert --to html --no-input`` on the executed notebook,
  one after the other (a new Python process for each command).

Size: nrlib's unit report (plotly.js basic bundle inlined once) against the
naive export of the same executed notebook with nbconvert's default ``lab``
template, plus the full plotly.js that the naive route needs to draw the
charts offline (plotly.py's notebook renderer embeds it: ~4,6 MB) — the
naive HTML alone draws nothing without a network.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRICT = "738"
SEED = 2021
JOBS = 2


def _sample_store(work: Path) -> Path:
    """Sample workbooks → ingest → a store in ``work``; returns the store path."""
    from nrlib.sample import write_sample

    sample = work / "sample"
    write_sample(sample, DISTRICT, seed=SEED)
    db = work / "nrlib.duckdb"
    from nrlib.ingest import ingest_sample_folder

    return Path(ingest_sample_folder(sample, db_path=db))


def _naive(db: Path, plan, work: Path) -> float:
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


def run() -> list[dict]:
    import plotly.offline

    from nrlib.reports import build_reports, plan_reports

    rows = []
    with tempfile.TemporaryDirectory(prefix="nrlib-bench-reports-") as tmp:
        work = Path(tmp)
        db = _sample_store(work)
        out = work / "reports"
        t0 = time.perf_counter()
        batch = build_reports(db_path=db, jobs=JOBS, out_dir=out, progress=None)
        t_batch = time.perf_counter() - t0
        n = len(batch.results)
        assert batch.ok, [r.failure_text() for r in batch.failures]
        plan = plan_reports(db, out_dir=work / "unused")
        t_naive = _naive(db, plan, work)
        rows.append({"name": f"render {n} reports (nrlib reports --jobs {JOBS})", "value": round(t_batch, 1),
                     "unit": "s", "ratio": round(t_naive / t_batch, 2),
                     "note": f"naive loop (papermill CLI + jupyter nbconvert --no-input, one after the other): "
                             f"{t_naive:.1f} s; the ratio includes the {JOBS} worker processes"})
        units = [r for r in batch.results if r.kind == "unit" and r.ok]
        sizes = sorted(r.size_bytes for r in units)
        ours = sizes[len(sizes) // 2]
        sample = next(r for r in units if r.size_bytes == ours)
        naive_html = work / "naive" / f"{Path(sample.html).stem}.html"
        naive_size = naive_html.stat().st_size + len(plotly.offline.get_plotlyjs().encode("utf-8"))
        rows.append({"name": "unit report size (median)", "value": round(ours / 1e6, 2), "unit": "MB",
                     "ratio": round(naive_size / ours, 2), "goal": "<= 2 MB",
                     "note": f"naive lab export + full plotly.js: {naive_size / 1e6:.2f} MB; "
                             f"largest of ours {max(r.size_bytes for r in batch.results) / 1e6:.2f} MB"})
    return rows
