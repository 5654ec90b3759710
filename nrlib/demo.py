"""``make demo``: the main job on the sample data: ingest the sample workbooks, render the reports.

The closing line says exactly what was produced and where.
"""

from __future__ import annotations

from pathlib import Path

from nrlib.ingest import ingest_sample_folder
from nrlib.reports.batch import build_demo_reports


def run_demo_steps(sample_dir: Path, district_code: str, jobs: int = 2) -> int:
    """Ingest ``sample_dir`` (its ``received.csv``) into the default store, render every report; print one line."""
    from nrlib.documents.build import write_documents

    db = ingest_sample_folder(sample_dir)
    index = build_demo_reports(district_code=district_code, jobs=jobs)
    # the Word documents only: a PDF needs LibreOffice, which the demo does not ask for (`nrlib documents --pdf`)
    docs = write_documents(db, district_code=district_code)
    top = [str(p) for p in docs.files if p.parent == docs.out_dir]
    dossier = sorted({p.parent for p in docs.files} - {docs.out_dir})
    shown = top + [f"{d}/ (commendation dossier, {sum(p.parent == d for p in docs.files)} files)" for d in dossier]
    print(f"nrlib demo: produced sample workbooks in {sample_dir}/; store {db}; reports: open {index}; "
          f"documents: {', '.join(shown)}")
    return 0
