"""A batch of reports: plan them from the store, render them through an executor, index them."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

from nrlib import config
from nrlib.core import files
from nrlib.core.files import remove_stale_temporaries
from nrlib.exceptions import NrlibError
from nrlib.reports.index import earlier_results, write_index
from nrlib.reports.jobs import FOLDER_MARKER, KIND_DIR, WORK_DIR, BatchResult, ReportJob, ReportResult


def run_reports(jobs: list[ReportJob], n_jobs: int = 2, *, progress: Callable[[str], None] | None = print,
                cwd: str | Path | None = None, executor=None) -> list[ReportResult]:
    """Render ``jobs``; results in the order of ``jobs``.

    ``executor`` (:mod:`nrlib.reports.executors`) decides where: default ``n_jobs``
    worker processes on this machine, with warm kernels. One progress line
    per finished report (``[3/11] xong units/… (4,2 giây; 1,3 MB)``),
    whichever executor rendered it; a failing report is reported and the
    others go on.
    """
    from nrlib.core.vnformat import fmt_number
    from nrlib.reports.executors import LocalExecutor

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

    running = executor.run(jobs, cwd)
    try:
        for i, r in running:
            _report(i, r)
    except KeyboardInterrupt as exc:
        exc.partial = [results[i] for i in sorted(results)]   # what was done, for the index (build_reports)
        raise
    finally:
        # a Ctrl-C that lands here, not inside the executor, still ends its workers and its template now, in
        # that order (left to the garbage collector, the template went first and the reports still rendering
        # printed "Kernel died")
        close = getattr(running, "close", None)
        if close is not None:
            close()
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

    def find_unit(code):        # the registry with pandas only where a unit or district is named
        from nrlib.reference import find_unit

        return find_unit(code)

    def load_units(code):
        from nrlib.reference import load_units

        return load_units(code)

    out = Path(out_dir) if out_dir else config.reports_dir()
    db = resolve_db_path(db_path)
    common = {"db_path": str(db), "deadline": deadline, "include_personal_data": bool(include_personal_data)}
    codes = [normalise_code(c, CODE_WIDTH["unit"]) for c in (unit_codes or [])]
    jobs: list[ReportJob] = []
    names: dict[str, str] = {}
    of: dict[str, str] = {}
    if not codes and not district:
        names, districts = _store_units(db, district_code)
        codes = list(names)
        district = True
        of = dict.fromkeys(codes, next(iter(districts)))
    else:
        districts = {}
    for code in codes:
        name = names[code] if code in names else find_unit(code)["name"]
        jobs.append(ReportJob("unit", code, name, {"unit_code": code, **common}, out, district_code=of.get(code)))
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
    """``({unit_code: name}, {district_code: district_name})`` of the store's units: the registry's units of the
    store's district (those a report covers, :func:`nrlib.store.load_dataset`), without reading its data."""
    from nrlib.reference.unit_rows import unit_rows
    from nrlib.store import open_store
    from nrlib.store.rows import district_of

    with open_store(db, read_only=True) as con:
        district = district_of(con, district_code)
    units = unit_rows(district)     # plain rows: the batch process itself never needs pandas
    if not units:
        raise NrlibError(f"kho dữ liệu {db} chưa có đơn vị nào / the store {db} holds no units")
    return ({u["unit_code"]: u["name"] for u in units}, {u["district_code"]: u["district_name"] for u in units})


def _our_index(out: Path) -> bool:
    """Whether ``out/index.html`` is an index page nrlib wrote (its JSON record says ``"kind": "index"``)."""
    index = out / "index.html"
    try:
        head = index.read_text(encoding="utf-8", errors="replace")[:200_000] if index.is_file() else ""
    except OSError:
        return False
    return '<script type="application/json" id="nrlib-report">{"kind": "index"' in head


def claim_folder(out: Path) -> Path:
    """The output folder, made or checked before any report runs (:func:`nrlib.core.files.claim_folder`).

    Ours: a folder with the marker :data:`FOLDER_MARKER` (an earlier run's),
    one holding an index page nrlib wrote (a run before the marker), a new or
    empty one, or the project's own ``reports/``. Raises
    :class:`~nrlib.NrlibError` with one Vietnamese line saying what to do.
    """
    try:
        return files.claim_folder(out, marker=FOLDER_MARKER, what="báo cáo", is_ours=_our_index,
                                  own=(config.reports_dir(),),
                                  marker_text="Thư mục báo cáo do nrlib tạo / a reports folder made by nrlib\n")
    except files.FolderRefused as exc:
        raise NrlibError(str(exc)) from None


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
    if executor is None:
        from nrlib.reports.executors import LocalExecutor

        executor = LocalExecutor(jobs)
    unit_codes = None if unit_codes is None else list(unit_codes)
    try:
        # the kernel template and the workers start importing while the batch is planned and checked (no kernel
        # starts before the checks); a failed check ends them
        if hasattr(executor, "start"):
            executor.start(None if unit_codes is None else len(set(unit_codes)) + bool(district))
        return _build(executor, out, t0, db_path, unit_codes, district, deadline, include_personal_data,
                      district_code, progress)
    except KeyboardInterrupt as exc:
        if getattr(exc, "index", None) is None:   # stopped before a report was asked for: nothing was written
            exc.nothing_written = True
        raise
    finally:
        if hasattr(executor, "close"):
            executor.close()


def _build(executor, out: Path, t0: float, db_path, unit_codes, district, deadline, include_personal_data,
           district_code, progress) -> BatchResult:
    plan = plan_reports(db_path, unit_codes, district, out, deadline=deadline,
                        include_personal_data=include_personal_data, district_code=district_code)
    # the store opens before any kernel starts: missing, foreign or outdated, it is one line now; while an
    # ingest writes a batch, this says it waits, and for how long, instead of each kernel waiting silently
    from nrlib.store import open_store, resolve_db_path

    open_store(resolve_db_path(db_path)).close()
    claim_folder(out)           # after the plan (which writes nothing), before any kernel starts
    if progress:
        progress(f"nrlib reports: {len(plan)} báo cáo, {executor.describe()} → {out}")
    try:
        results = run_reports(plan, progress=progress, executor=executor)
    except KeyboardInterrupt as exc:
        # Ctrl-C: the index still lists what is done (and what earlier runs left), then the command says what to run
        done = getattr(exc, "partial", [])
        exc.index = write_index(done, out, duration_s=time.perf_counter() - t0,
                                earlier=earlier_results(out, exclude=done))
        shutil.rmtree(out / WORK_DIR, ignore_errors=True)
        raise
    duration = time.perf_counter() - t0
    index = write_index(results, out, duration_s=duration, earlier=earlier_results(out, exclude=results))
    shutil.rmtree(out / WORK_DIR, ignore_errors=True)
    remove_stale_temporaries(out, recursive=True)  # pages half-written by a killed earlier run
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


def main_reports(args) -> int:
    """``nrlib reports``: exit 0 when every report was rendered, 1 when any failed."""
    from nrlib.reports.executors import make_executor
    from nrlib.reports.lean import skip_slow_optional_imports

    skip_slow_optional_imports()   # this command's own process renders too (one report, or --jobs 1)

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
