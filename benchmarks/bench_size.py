"""Report size: nrlib's unit report against the naive export of the same notebook (issue 17).

On the sample store (Thống Nhất 738, seed 2021) ``nrlib reports --jobs 2``
renders every report as a user runs it; then, side by side:

* **ours** — the unit reports that hold charts (median and largest), and the
  district report: one self-contained file each, plotly.js carried packed
  (gzip, base 85: :mod:`nrlib.reports.bundle`);
* **inlined** — the same page with the bundle as plain text instead (what
  reports were before issue 17): its size less the packed text plus the bundle;
* **naive** — ``jupyter nbconvert --to html --no-input`` on the same executed
  notebook (nbconvert's default ``lab`` template), plus the full plotly.js
  that plotly.py's notebook renderer embeds so that the charts draw offline
  (the nbconvert page alone draws nothing without a network).

Goals: a unit report with all its charts ≤ 0,6 MB, and the naive export ≥ 8×
its size; the notes say whether each holds in this run.

Runtime: under a minute on 2 cores (the sample, one ``nrlib reports`` run, one
``nbconvert``). ``run(reports_dir=...)`` measures a folder already rendered by
``nrlib reports`` instead (the test suite passes its own).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTRICT = "738"
SEED = 2021
#: issue 17's goals
MAX_UNIT_MB = 0.6
MIN_NAIVE_RATIO = 8.0


def _render(work: Path) -> Path:
    """Sample workbooks → store → ``nrlib reports --jobs 2`` (a new process, as a user runs it); the reports folder."""
    from nrlib.ingest import ingest_sample_folder
    from nrlib.workbooks.sample import write_sample

    write_sample(work / "sample", DISTRICT, seed=SEED)
    db = ingest_sample_folder(work / "sample", db_path=work / "nrlib.duckdb")
    out = work / "reports"
    nrlib = Path(sys.executable).with_name("nrlib")
    proc = subprocess.run([str(nrlib), "reports", "--db", str(db), "--out", str(out), "--jobs", "2"],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"nrlib reports failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return out


def _naive_html(notebook: Path, work: Path) -> Path:
    """``jupyter nbconvert --to html --no-input`` of an executed notebook; the HTML file it wrote."""
    jupyter = Path(sys.executable).with_name("jupyter")
    subprocess.run([str(jupyter), "nbconvert", "--to", "html", "--no-input", "--output-dir", str(work), str(notebook)],
                   check=True, capture_output=True, cwd=ROOT)
    return work / notebook.with_suffix(".html").name


def _carried_text_bytes(page: str) -> int:
    m = re.search(r'<script[^>]*\bid="nrlib-plotly"[^>]*>(.*?)</script>', page, re.S)
    return len(m.group(1).encode("utf-8")) if m else 0


def _verdict(ok: bool) -> str:
    return "goal met" if ok else "GOAL MISSED"


def run(reports_dir: str | Path | None = None) -> list[dict]:
    import base64
    import gzip

    import plotly.offline

    from nrlib.reports import bundle

    with tempfile.TemporaryDirectory(prefix="nrlib-bench-size-") as tmp:
        work = Path(tmp)
        out = Path(reports_dir) if reports_dir is not None else _render(work)
        page = (out / "index.html").read_text("utf-8")
        index = json.loads(re.search(r'id="nrlib-report">(.*?)</script>', page, re.S).group(1))
        ok = [r for r in index["reports"] if r["status"] == "ok"]
        pages = {r["html"]: (out / r["html"]).read_text("utf-8") for r in ok}
        charted = sorted(((out / r["html"]).stat().st_size, r["html"]) for r in ok
                         if r["kind"] == "unit" and "Plotly.newPlot(" in pages[r["html"]])
        if not charted:
            raise RuntimeError(f"no unit report with charts in {out}")
        ours, median_html = charted[(len(charted) - 1) // 2]
        largest = charted[-1][0]
        raw = bundle.PLOTLY_JS.stat().st_size
        inlined = ours - _carried_text_bytes(pages[median_html]) + raw
        full_plotly = len(plotly.offline.get_plotlyjs().encode("utf-8"))
        nbconvert = _naive_html(out / "notebooks" / Path(median_html).with_suffix(".ipynb"), work).stat().st_size
        naive = nbconvert + full_plotly
        district = [(out / r["html"]).stat().st_size for r in ok if r["kind"] == "district"]

        packed = bundle.packed_plotly_js()
        gz = gzip.compress(bundle.PLOTLY_JS.read_bytes(), compresslevel=9, mtime=0)
        as_base64 = len(base64.b64encode(gz))
        mb = 1e6
        rows = [
            {"name": f"unit report size, with its charts (median of the {len(charted)} sample units with charts)",
             "value": round(ours / mb, 3), "unit": "MB", "ratio": round(naive / ours, 2), "goal": f"≤ {MAX_UNIT_MB} MB",
             "holds": largest <= MAX_UNIT_MB * mb, "note": f"{_verdict(largest <= MAX_UNIT_MB * mb)} (largest {largest / mb:.3f} MB); ratio: naive ÷ ours; "
                     f"with the bundle inlined as text it would be {inlined / mb:.2f} MB ({inlined / ours:.2f}×)"},
            {"name": "naive export of the same unit: jupyter nbconvert --to html --no-input + the full plotly.js",
             "value": round(naive / mb, 2), "unit": "MB", "ratio": round(naive / ours, 2), "goal": f"≥ {MIN_NAIVE_RATIO:g}× ours",
             "holds": naive / ours >= MIN_NAIVE_RATIO, "note": f"{_verdict(naive / ours >= MIN_NAIVE_RATIO)}; nbconvert's lab page {nbconvert / mb:.2f} MB "
                     f"(draws nothing offline by itself) + plotly.js {full_plotly / mb:.2f} MB"},
            {"name": "plotly.js basic bundle as a page carries it (gzip, base 85)",
             "value": round(len(packed.text.encode("ascii")) / mb, 3), "unit": "MB",
             "ratio": round(raw / len(packed.text), 2),
             "note": f"ratio: the bundle ({raw / mb:.2f} MB) ÷ its packed text; gzip {packed.packed_bytes / mb:.3f} MB; "
                     f"in base 64 it would take {as_base64 / mb:.3f} MB"},
        ]
        if district:
            rows.append({"name": "district report size, with its charts", "value": round(district[0] / mb, 3),
                         "unit": "MB", "note": "same packing; no goal of its own"})
    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
