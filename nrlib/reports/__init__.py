"""Batch rendering of the HTML reports: one per unit and one per district.

Method: each report is a run of a parameterised notebook
(``notebooks/report_unit.ipynb``, ``notebooks/report_district.ipynb``) with
papermill, then an in-process export to one self-contained HTML file
(:mod:`nrlib.reports.html_export`). Reports run in parallel, in worker processes
on this machine or on a Dask cluster (:mod:`nrlib.reports.executors`), each in a
fresh kernel forked from a warm template (:mod:`nrlib.reports.warmstart`); the parent
prints one line per finished report, carries on past a failing report,
keeps the failed notebook under ``failed/`` and finally writes ``index.html``
(each report's link, status, duration and size).

Output layout (paths from GSO codes and ASCII slugs only, never from
submission text)::

    reports/index.html
    reports/units/26308_xa-gia-kiem.html
    reports/district/738_huyen-thong-nhat.html
    reports/notebooks/units/26308_xa-gia-kiem.ipynb   (executed, with metadata.nrlib)
    reports/failed/26308_xa-gia-kiem.ipynb            (only when that report failed)
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from nrlib import config
from nrlib.exceptions import NrlibError

NOTEBOOKS = {"unit": "report_unit.ipynb", "district": "report_district.ipynb"}
KIND_DIR = {"unit": "units", "district": "district"}
KIND_LABEL = {"unit": "Đơn vị", "district": "Toàn huyện"}


def notebooks_dir() -> Path:
    """Folder of the report notebooks (``notebooks/`` of the project)."""
    return config.project_root() / "notebooks"


def slugify(text: str) -> str:
    """ASCII file-name slug of a Vietnamese name: ``"Xã Gia Kiệm"`` → ``"xa-gia-kiem"``.

    Method: NFD decomposition, combining marks dropped, ``đ`` → ``d``, then
    every run of characters outside ``[a-z0-9]`` becomes one ``-``.
    """
    s = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:60].rstrip("-") or "bao-cao"


@dataclass
class ReportJob:
    """One report to render."""

    kind: str  # "unit" | "district"
    code: str
    name: str
    parameters: dict
    out_dir: Path
    notebook: Path | None = None

    def __post_init__(self) -> None:
        if self.kind not in NOTEBOOKS:
            raise ValueError(f"kind must be one of {sorted(NOTEBOOKS)}")
        if not re.fullmatch(r"[0-9]{2,6}", self.code):
            raise ValueError(f"report code must be digits, not {self.code!r}")
        # absolute: papermill changes the process's working directory while it runs
        self.out_dir = Path(self.out_dir).resolve()
        self.notebook = Path(self.notebook or notebooks_dir() / NOTEBOOKS[self.kind]).resolve()

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


# --------------------------------------------------------------------------- one report


def render_report(job: ReportJob, *, cwd: str | Path | None = None, kernel_template: str | None = None,
                  kernel_env: dict[str, str] | None = None) -> ReportResult:
    """Run one report notebook with papermill and export it to HTML (in this process).

    ``kernel_template`` is the socket of a warm kernel template
    (:mod:`nrlib.reports.warmstart`): the kernel is forked from it instead of started
    cold. ``kernel_env`` adds variables to the kernel's environment. On success the executed notebook (with ``metadata.nrlib``: parameters,
    data version, timing) is kept under ``notebooks/`` and the HTML written;
    on failure the executed notebook goes to ``failed/`` (papermill marks the
    failing cell), a stale HTML of the same report is removed, and the
    result names the failing cell. Never raises for a failing notebook.
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from nrlib.reports.html_export import export_html, lift_record, write_html

    t0 = time.perf_counter()
    base = dict(kind=job.kind, code=job.code, name=job.name)
    work = job.out_dir / ".work"
    work.mkdir(parents=True, exist_ok=True)
    tmp = work / f"{job.kind}_{job.stem}.{os.getpid()}.ipynb"
    kernel_log = tmp.with_suffix(".kernel.log")
    try:
        pm.execute_notebook(str(job.notebook), str(tmp), parameters=dict(job.parameters),
                            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                            cwd=str(cwd or config.project_root()),
                            kernel_manager_class=_kernel_manager_logging_to(kernel_log, kernel_template, kernel_env))
        nb = nbformat.read(tmp, as_version=4)
        record = lift_record(nb) or {}
        page = export_html(nb, record=record)
        write_html(page, job.html_path)
        duration = time.perf_counter() - t0
        nb.metadata["nrlib"] = {**record, "job": {"kind": job.kind, "code": job.code, "html": job.rel_html,
                                                    "render_seconds": round(duration, 3)}}
        job.ipynb_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, job.ipynb_path)
        tmp.unlink(missing_ok=True)
        kernel_log.unlink(missing_ok=True)
        job.failed_path.unlink(missing_ok=True)
        job.failed_path.with_suffix(".kernel.log").unlink(missing_ok=True)
        return ReportResult(**base, status="ok", html=job.rel_html, size_bytes=job.html_path.stat().st_size,
                            duration_s=duration, title=record.get("title"), data_version=record.get("data_version"),
                            is_sample=bool(record.get("is_sample")))
    except PapermillExecutionError as exc:
        failed = _keep_failed(tmp, job)
        return ReportResult(**base, status="failed", html=None, size_bytes=None,
                            duration_s=time.perf_counter() - t0, error_name=exc.ename,
                            error_value=_one_line(exc.evalue), cell_index=exc.cell_index,
                            exec_count=exc.exec_count, cell_source=exc.source,
                            error_line=_failing_line(exc.traceback), failed_notebook=failed)
    except Exception as exc:  # kernel died, export failed, disk full: still one failed report, not a crash
        failed = _keep_failed(tmp, job)
        return ReportResult(**base, status="failed", html=None, size_bytes=None,
                            duration_s=time.perf_counter() - t0, error_name=type(exc).__name__,
                            error_value=_one_line(str(exc)), failed_notebook=failed)


def _kernel_manager_logging_to(log_path: Path, template: str | None = None, env: dict[str, str] | None = None):
    """A kernel manager class whose kernel process writes its stderr to ``log_path``.

    The kernel's own log lines (e.g. ipykernel's warning about TCP transport)
    would otherwise interleave with the progress lines; cell outputs are not
    affected (they travel over the kernel protocol). The log is kept next to
    a failed notebook, since it holds the cause when a kernel dies. With
    ``template``, the kernel is forked from that warm template
    (:func:`nrlib.reports.warmstart.relay_command`); ``env`` is added to the kernel's
    environment.
    """
    from jupyter_client import AsyncKernelManager

    from nrlib.reports.warmstart import relay_command

    class _LoggingKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if env:
                kw["env"] = {**(kw.get("env") or os.environ), **env}
            with open(log_path, "ab") as fh:  # the child keeps its own copy of the descriptor
                kw["stderr"] = fh
                return await super()._async_launch_kernel(relay_command(kernel_cmd, template), **kw)

    return _LoggingKernelManager


def _failing_line(traceback: list[str] | None) -> str | None:
    """The cell's line that raised, from IPython's traceback (``----> 3 ds = ...``)."""
    from papermill.exceptions import strip_color

    for block in traceback or []:
        for line in strip_color(block).splitlines():
            m = re.match(r"^-+>\s*\d+\s(.*)$", line)
            if m:
                return m.group(1).strip()
    return None


def _one_line(text: str, limit: int = 500) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _keep_failed(tmp: Path, job: ReportJob) -> str | None:
    job.html_path.unlink(missing_ok=True)  # never leave an old report looking current
    job.ipynb_path.unlink(missing_ok=True)
    job.failed_path.parent.mkdir(parents=True, exist_ok=True)
    log = tmp.with_suffix(".kernel.log")
    if log.exists():
        if log.stat().st_size:
            shutil.move(str(log), job.failed_path.with_suffix(".kernel.log"))
        else:
            log.unlink()
    if not tmp.exists():
        return None
    shutil.move(str(tmp), job.failed_path)
    return job.failed_path.relative_to(job.out_dir).as_posix()


def failed_result(job: ReportJob, exc: BaseException) -> ReportResult:
    """The result of a report whose worker died or could not run it (no notebook to show)."""
    return ReportResult(kind=job.kind, code=job.code, name=job.name, status="failed", html=None, size_bytes=None,
                        duration_s=0.0, error_name=type(exc).__name__, error_value=_one_line(str(exc)))


# --------------------------------------------------------------------------- batch


def run_reports(jobs: list[ReportJob], n_jobs: int = 2, *, progress: Callable[[str], None] | None = print,
                cwd: str | Path | None = None, executor=None) -> list[ReportResult]:
    """Render ``jobs``; results in the order of ``jobs``.

    ``executor`` (:mod:`nrlib.reports.executors`) decides where: default ``n_jobs``
    worker processes on this machine, with warm kernels. One progress line
    per finished report (``[3/11] xong units/… (4,2 giây; 1,3 MB)``),
    whichever executor rendered it; a failing report is reported and the
    others go on.
    """
    from nrlib.reports.executors import LocalExecutor
    from nrlib.core.vnformat import fmt_number

    cwd = str(cwd or config.project_root())
    executor = executor or LocalExecutor(n_jobs)
    results: dict[int, ReportResult] = {}
    total = len(jobs)

    def _report(i: int, r: ReportResult) -> None:
        results[i] = r
        if progress is None:
            return
        n = len(results)
        if r.ok:
            progress(f"[{n}/{total}] xong  {r.html} ({fmt_number(r.duration_s, 1)} giây; "
                     f"{fmt_number((r.size_bytes or 0) / 1e6, 2)} MB)")
        else:
            progress(f"[{n}/{total}] LỖI   {KIND_DIR[r.kind]}/{r.code} {r.name}: {r.failure_text()}")

    for i, r in executor.run(jobs, cwd):
        _report(i, r)
    return [results[i] for i in range(total)]


def plan_reports(db_path: str | Path | None = None, unit_codes: Iterable[str] | None = None,
                 district: bool = False, out_dir: str | Path | None = None, *,
                 deadline: str | None = None, include_personal_data: bool = False,
                 district_code: str | None = None) -> list[ReportJob]:
    """The reports to render: chosen units and/or the district report.

    Method: with neither ``unit_codes`` nor ``district``, every unit of the
    store plus its district report; ``unit_codes`` selects units (codes are
    normalised and looked up in the registry: an unknown code is an error
    before anything runs); ``district`` adds the district report of the
    store's district (or of ``district_code``). Names come from the registry.
    """
    from nrlib.reports.params import CODE_WIDTH, normalise_code, resolve_db_path
    from nrlib.reference import find_unit, load_units

    out = Path(out_dir) if out_dir else config.reports_dir()
    db = resolve_db_path(db_path)
    common = {"db_path": str(db), "deadline": deadline, "include_personal_data": bool(include_personal_data)}
    codes = [normalise_code(c, CODE_WIDTH["unit"]) for c in (unit_codes or [])]
    jobs: list[ReportJob] = []
    if not codes and not district:
        units, districts = _store_units(db, district_code)
        codes = list(units)
        district = True
    else:
        districts = {}
    for code in codes:
        name = find_unit(code)["name"]
        jobs.append(ReportJob("unit", code, name, {"unit_code": code, **common}, out))
    if district:
        if district_code:
            dcode = normalise_code(district_code, CODE_WIDTH["district"], "huyện/district")
            districts = {dcode: load_units(dcode)["district_name"].iloc[0]}
        elif not districts:
            if codes:
                districts = {}
                for code in codes:
                    u = find_unit(code)
                    districts[u["district_code"]] = u["district_name"]
            else:
                _, districts = _store_units(db, None)
        for dcode, dname in districts.items():
            jobs.append(ReportJob("district", dcode, dname, {"district_code": dcode, **common}, out))
    return jobs


def _store_units(db: Path, district_code: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """``({unit_code: name}, {district_code: district_name})`` of the store's units."""
    from nrlib.store import load_dataset

    ds = load_dataset(db, district_code=district_code)
    units = ds.units.sort_values("unit_code")
    if units.empty:
        raise NrlibError(f"kho dữ liệu {db} chưa có đơn vị nào / the store {db} holds no units")
    return (dict(zip(units["unit_code"], units["name"])),
            dict(zip(units["district_code"], units["district_name"])))


def build_reports(db_path: str | Path | None = None, unit_codes: Iterable[str] | None = None,
                  district: bool = False, jobs: int = 2, out_dir: str | Path | None = None, *,
                  deadline: str | None = None, include_personal_data: bool = False,
                  district_code: str | None = None,
                  progress: Callable[[str], None] | None = print, executor=None) -> BatchResult:
    """Plan, render and index the reports (what ``nrlib reports`` does).

    ``executor``: where to render (:func:`nrlib.reports.executors.make_executor`);
    default ``jobs`` worker processes on this machine.

    Returns
    -------
    BatchResult
        ``results`` (one per report), ``failures``, ``index`` (path of
        ``index.html``), ``duration_s``.
    """
    out = Path(out_dir) if out_dir else config.reports_dir()
    t0 = time.perf_counter()
    plan = plan_reports(db_path, unit_codes, district, out, deadline=deadline,
                        include_personal_data=include_personal_data, district_code=district_code)
    if executor is None:
        from nrlib.reports.executors import LocalExecutor

        executor = LocalExecutor(jobs)
    if progress:
        progress(f"nrlib reports: {len(plan)} báo cáo, {executor.describe()} → {out}")
    results = run_reports(plan, jobs, progress=progress, executor=executor)
    duration = time.perf_counter() - t0
    index = write_index(results, out, duration_s=duration, earlier=earlier_results(out, exclude=results))
    shutil.rmtree(out / ".work", ignore_errors=True)
    return BatchResult(results=results, index=index, duration_s=duration, out_dir=out)


def build_demo_reports(district_code: str, jobs: int = 2) -> Path:
    """All reports of the demo district from the default store, into ``reports/``; returns ``index.html``.

    Called by ``make demo`` (:func:`nrlib.demo.run_demo_steps`). Raises
    :class:`~nrlib.NrlibError` when any report failed (the index still lists
    every report and its failure).
    """
    batch = build_reports(jobs=jobs, district_code=str(district_code))
    if not batch.ok:
        raise NrlibError(f"{len(batch.failures)} báo cáo lỗi / {len(batch.failures)} report(s) failed; "
                         f"see {batch.index} and {batch.out_dir / 'failed'}")
    return batch.index


# --------------------------------------------------------------------------- index page


_HTML_PATH = re.compile(r"^(units|district)/[0-9]{2,6}_[a-z0-9-]+\.html$")


def earlier_results(out_dir: str | Path, exclude: Iterable[ReportResult] = ()) -> list[ReportResult]:
    """Reports of an earlier run still in ``out_dir``, from the old ``index.html`` (so a partial run keeps them listed).

    Method: read the JSON record of the previous index page; keep the
    successful reports whose HTML file is still there and that this run did
    not render again (``exclude``: same kind and code). The record is our
    own file but is read as data: a malformed one is ignored, and a path
    that is not a report path of this layout is dropped.
    """
    out = Path(out_dir)
    index = out / "index.html"
    if not index.is_file():
        return []
    m = re.search(r'<script type="application/json" id="nrlib-report">(.*?)</script>',
                  index.read_text(encoding="utf-8"), re.S)
    try:
        rows = json.loads(m.group(1))["reports"] if m else []
    except (ValueError, KeyError, TypeError):
        return []
    seen = {(r.kind, r.code) for r in exclude}
    fields = set(ReportResult.__dataclass_fields__)
    kept = []
    for row in rows if isinstance(rows, list) else []:
        try:
            r = ReportResult(**{k: v for k, v in row.items() if k in fields})
        except TypeError:
            continue
        if (r.ok and r.kind in NOTEBOOKS and (r.kind, r.code) not in seen and isinstance(r.html, str)
                and _HTML_PATH.match(r.html) and (out / r.html).is_file()):
            kept.append(r)
    return kept


def write_index(results: list[ReportResult], out_dir: str | Path, *, duration_s: float | None = None,
                now: dt.datetime | None = None, earlier: list[ReportResult] = ()) -> Path:
    """Write ``index.html``: every report with its link, status, duration and size (all text escaped).

    ``earlier`` are reports of a previous run still on disk (:func:`earlier_results`): listed too, marked so.
    """
    from nrlib.reports.html_export import TEMPLATE_DIR, TEMPLATE_NAME, write_html
    from nrlib.core.vnformat import fmt_data_version, fmt_datetime, fmt_number

    out = Path(out_dir)
    now = now or dt.datetime.now()
    css = (TEMPLATE_DIR / TEMPLATE_NAME / "report.css").read_text(encoding="utf-8")
    e = html.escape
    n_ok = sum(r.ok for r in results)
    old = {id(r) for r in earlier}
    listed = list(results) + list(earlier)
    versions = sorted({r.data_version for r in listed if r.data_version})
    sample = any(r.is_sample for r in listed)
    order = sorted(listed, key=lambda r: (r.kind != "district", r.code))
    rows, failures = [], []
    for r in order:
        if r.ok:
            link = f'<a href="{e(r.html, quote=True)}">{e(r.name)}</a>'
            status = '<span class="status-ok">Hoàn thành</span>'
            if id(r) in old:
                status += ' <span class="tag">lần chạy trước</span>'
        else:
            link = e(r.name)
            status = f'<a class="status-failed" href="#loi-{e(r.kind, quote=True)}-{e(r.code, quote=True)}">Lỗi</a>'
            nb = (f' <a href="{e(r.failed_notebook, quote=True)}">Notebook lỗi</a>.' if r.failed_notebook else "")
            failures.append(f'<li id="loi-{e(r.kind, quote=True)}-{e(r.code, quote=True)}"><strong>{e(r.name)} '
                            f"({e(r.code)})</strong>: {e(r.failure_text())}.{nb}</li>")
        size = f"{fmt_number((r.size_bytes or 0) / 1e6, 2)} MB" if r.size_bytes else "–"
        rows.append(f"<tr><td class=\"num\">{e(r.code)}</td><td>{link}</td><td>{e(KIND_LABEL[r.kind])}</td>"
                    f"<td>{status}</td><td class=\"num\">{fmt_number(r.duration_s, 1)} giây</td>"
                    f"<td class=\"num\">{size}</td></tr>")
    failure_block = (f'<div class="callout bad" role="note"><strong>Báo cáo lỗi</strong><ul>{"".join(failures)}</ul>'
                     "</div>") if failures else ""
    banner = ('<div class="sample-banner" role="note">DỮ LIỆU MẪU — số liệu giả lập để minh họa, '
              'không phải số liệu thật</div>') if sample else ""
    summary = f"Lần chạy này: {n_ok}/{len(results)} báo cáo hoàn thành"
    if duration_s is not None:
        summary += f" trong {fmt_number(duration_s, 1)} giây"
    if earlier:
        summary += f"; danh sách giữ thêm {len(earlier)} báo cáo của lần chạy trước"
    record = {"kind": "index", "generated_at": now.isoformat(timespec="seconds"), "data_versions": versions,
              "reports": [dict(asdict(r), earlier=id(r) in old) for r in order]}
    record_json = json.dumps(record, ensure_ascii=False, default=str).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Danh sách báo cáo</title>
<style>
{css}
</style>
<script type="application/json" id="nrlib-report">{record_json}</script>
</head>
<body>
{banner}
<main class="report">
<h1>Danh sách báo cáo</h1>
<p>{e(summary)}. Phiên bản dữ liệu: {e(", ".join(fmt_data_version(v) for v in versions) or "–")}. Lập lúc {e(fmt_datetime(now))}.</p>
<div class="table-wrap"><table>
<thead><tr><th class="num">Mã</th><th>Báo cáo</th><th>Loại</th><th>Trạng thái</th><th class="num">Thời gian chạy</th><th class="num">Dung lượng</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table></div>
{failure_block}
</main>
</body>
</html>
"""
    return write_html(page, out / "index.html")


def main_reports(args) -> int:
    """``nrlib reports``: exit 0 when every report was rendered, 1 when any failed."""
    from nrlib.reports.executors import make_executor

    executor = make_executor(getattr(args, "executor", "local"), jobs=args.jobs, scheduler=getattr(args, "scheduler", None),
                             warm=getattr(args, "kernels", "warm") == "warm", shared_dir=getattr(args, "snapshot_dir", None))
    batch = build_reports(db_path=args.db, unit_codes=args.unit, district=args.district, jobs=args.jobs,
                          out_dir=args.out, deadline=args.deadline,
                          include_personal_data=args.include_personal_data, district_code=args.district_code,
                          executor=executor)
    from nrlib.core.vnformat import fmt_number

    print(f"nrlib reports: {len(batch.results) - len(batch.failures)}/{len(batch.results)} báo cáo hoàn thành "
          f"trong {fmt_number(batch.duration_s, 1)} giây; mục lục: {batch.index}")
    if batch.failures:
        print(f"nrlib reports: {len(batch.failures)} báo cáo lỗi / report(s) failed:", file=sys.stderr)
        for r in batch.failures:
            print(f"  - {KIND_DIR[r.kind]}/{r.code} {r.name}: {r.failure_text()}", file=sys.stderr)
            if r.failed_notebook:
                print(f"    notebook: {batch.out_dir / r.failed_notebook}", file=sys.stderr)
        return 1
    return 0
