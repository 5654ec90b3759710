"""What one report is (its job) and what happened to it (its result), and where its files go."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from nrlib import config
from nrlib.core.textmatch import slugify

#: the file that marks a folder as one nrlib writes reports into (nrlib writes into no other)
FOLDER_MARKER = ".nrlib-reports"
#: the scratch folder of a batch, inside its output folder (removed when the batch ends)
WORK_DIR = ".nrlib-work"

NOTEBOOKS = {"unit": "report_unit.ipynb", "district": "report_district.ipynb"}
KIND_DIR = {"unit": "units", "district": "district"}
KIND_LABEL = {"unit": "Đơn vị", "district": "Toàn huyện"}


@dataclass
class ReportJob:
    """One report to render."""

    kind: str  # "unit" | "district"
    code: str
    name: str
    parameters: dict
    out_dir: Path
    notebook: Path | None = None
    #: the district whose data the report reads, where the plan knew it (a kernel template preloads it); not a
    #: notebook parameter
    district_code: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in NOTEBOOKS:
            raise ValueError(f"kind must be one of {sorted(NOTEBOOKS)}")
        if not re.fullmatch(r"[0-9]{2,6}", self.code):
            raise ValueError(f"report code must be digits, not {self.code!r}")
        # absolute: papermill changes the process's working directory while it runs
        self.out_dir = Path(self.out_dir).resolve()
        self.notebook = Path(self.notebook or config.notebooks_dir() / NOTEBOOKS[self.kind]).resolve()

    @property
    def stem(self) -> str:
        return f"{self.code}_{slugify(self.name)}"

    @property
    def rel_html(self) -> str:
        return f"{KIND_DIR[self.kind]}/{self.stem}.html"

    @property
    def html_path(self) -> Path:
        return self.out_dir / self.rel_html

    @property
    def ipynb_path(self) -> Path:
        return self.out_dir / "notebooks" / KIND_DIR[self.kind] / f"{self.stem}.ipynb"

    @property
    def failed_path(self) -> Path:
        return self.out_dir / "failed" / f"{self.stem}.ipynb"


@dataclass
class ReportResult:
    """What happened to one report."""

    kind: str
    code: str
    name: str
    status: str  # "ok" | "failed"
    html: str | None  # path relative to the output folder
    size_bytes: int | None
    duration_s: float
    title: str | None = None
    data_version: str | None = None
    is_sample: bool = False
    error_name: str | None = None
    error_value: str | None = None
    cell_index: int | None = None
    exec_count: int | None = None
    cell_source: str | None = None
    error_line: str | None = None
    failed_notebook: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def failure_text(self) -> str:
        """One paragraph saying where and why the report failed."""
        where = (f"ô (cell) số {self.cell_index}" + (f" [In {self.exec_count}]" if self.exec_count else "")
                 if self.cell_index is not None else "ngoài notebook (outside the notebook)")
        line = self.error_line or next(iter((self.cell_source or "").strip().splitlines()), "")
        src = f" — `{line[:120]}`" if line else ""
        return f"{where}{src}: {self.error_name}: {self.error_value}"


@dataclass
class BatchResult:
    """All reports of one run, with the index page."""

    results: list[ReportResult]
    index: Path
    duration_s: float
    out_dir: Path
    failures: list[ReportResult] = field(init=False)

    def __post_init__(self) -> None:
        self.failures = [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.failures


def one_line(text: str, limit: int = 500) -> str:
    """``text`` on one line, white space collapsed, cut to ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def failed_result(job: ReportJob, exc: BaseException) -> ReportResult:
    """The result of a report whose worker died or could not run it (no notebook to show)."""
    return ReportResult(kind=job.kind, code=job.code, name=job.name, status="failed", html=None, size_bytes=None,
                        duration_s=0.0, error_name=type(exc).__name__, error_value=one_line(str(exc)))
