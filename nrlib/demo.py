"""``make demo``: the main job on the sample data, each step run only if it exists.

The closing line says exactly what was produced; a step that is not built yet
is reported as such, never as done.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _have(module: str) -> bool:
    return importlib.util.find_spec(f"nrlib.{module}") is not None


def run_demo_steps(sample_dir: Path, district_code: str, jobs: int = 2) -> int:
    produced = [f"sample workbooks in {sample_dir}/"]
    missing = []
    if _have("ingest"):
        from nrlib.ingest import ingest_sample_folder

        db = ingest_sample_folder(sample_dir)
        produced.append(f"store {db}")
    else:
        missing.append("ingest")
    if _have("reports"):
        from nrlib.reports.batch import build_demo_reports

        index = build_demo_reports(district_code=district_code, jobs=jobs)
        produced.append(f"reports: open {index}")
    else:
        missing.append("reports")
    line = "nrlib demo: produced " + "; ".join(produced)
    if missing:
        line += f" (not built yet: {', '.join(missing)})"
    print(line)
    return 0
