"""Ingest throughput: workbooks per second, end to end, against reading the same files with openpyxl.

Method: write a few hundred filled workbooks with the template writer
(:func:`nrlib.workbooks.synthetic.synthetic_workbooks`: the sample generator's content
for the communes of whole districts of Đồng Nai, two versions each, so each
file differs and communes have several versions), then, side by side in the
same run:

* ``openpyxl read``: ``openpyxl.load_workbook(read_only=True, data_only=True)``
  iterating every cell value of every sheet — the fastest way openpyxl reads,
  and the least a pure-openpyxl ingest would have to do;
* ``calamine read``: :func:`nrlib.intake.reader.read_workbook` alone;
* ``registry warm-up``: loading the unit registry rows, unit years and levels
  of the units the files claim (done once per process; it grows with the
  number of districts, here a whole province);
* ``ingest``: :func:`nrlib.ingest.ingest_files` into a fresh store —
  checksum, read, validate (every rule and warning), raw copy, store — with
  one process, then with two worker processes.

The headline row is a fresh ``nrlib ingest`` of the files: warm-up plus the
ingest with the default number of processes (:func:`nrlib.ingest.default_workers`:
the CPUs this process may use, at most 4). Goals: ≥ 100 workbooks/s and ≥ 5× the openpyxl rate
(``ratio``). CPU seconds (this process and its workers) are reported too:
the machines these run on are shared, and wall-clock time moves with the
load. Environment: ``NRLIB_BENCH_INGEST_N`` (default 300) workbooks.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

CACHE = Path(__file__).resolve().parent / "results" / "cache"
#: issue 17's goals, one process: against reading with openpyxl, and against reading with calamine alone
MIN_OPENPYXL_RATIO = 5.0
MIN_CALAMINE_SHARE = 0.6
#: two worker processes against one, on an otherwise idle 2-core machine
MIN_WORKER_SPEEDUP = 1.6


def _generator_key(n: int) -> str:
    """Checksum of everything the generated workbooks depend on (generator code, reference data, openpyxl)."""
    import hashlib

    import openpyxl

    import nrlib

    pkg = Path(nrlib.__file__).parent
    h = hashlib.sha256(f"{n} {openpyxl.__version__}".encode())
    for f in [*sorted((pkg / "workbooks").glob("*.py")), *sorted((pkg.parent / "data" / "reference").glob("*"))]:
        if f.is_file():
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()[:16]


def _write_workbooks(out: Path, n: int) -> tuple[list[Path], bool]:
    """``n`` workbooks of Đồng Nai's communes, two (or more) versions each (:func:`nrlib.workbooks.synthetic.synthetic_workbooks`).

    Written once and kept in ``benchmarks/results/cache/`` under a checksum of
    their generator and the reference data (writing them is slow and not
    what is measured); returns the paths and whether they came from there.
    """
    import shutil

    from nrlib import load_province_units
    from nrlib.workbooks.synthetic import synthetic_workbooks

    cached = CACHE / f"ingest-{_generator_key(n)}"
    if cached.is_dir() and len(list(cached.glob("*.xlsx"))) == n:
        shutil.copytree(cached, out, dirs_exist_ok=True)
        return sorted(out.glob("*.xlsx")), True
    size = len(load_province_units("75"))
    books = synthetic_workbooks(out, n_units=min(n // 2 + 12, size), seed=1, province_code="75",
                                versions=max(2, -(-n // (size - 12))), workers=2)
    if len(books.paths) < n:
        raise RuntimeError(f"only {len(books.paths)} workbooks written, {n} wanted")
    paths = sorted(books.paths)[:n]
    for extra in sorted(books.paths)[n:]:
        extra.unlink()
    shutil.rmtree(CACHE, ignore_errors=True)  # one cached set is enough
    cached.mkdir(parents=True)
    for p in paths:
        shutil.copy2(p, cached / p.name)
    return paths, False


class _Clock:
    """Wall and CPU time (this process and reaped children) of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, self._cpu() - self.cpu

    @staticmethod
    def _cpu() -> float:
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + kids.ru_utime + kids.ru_stime


def _openpyxl_read(paths: list[Path]) -> None:
    import openpyxl

    for p in paths:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()


def run() -> list[dict]:
    from nrlib.ingest import _claims, default_workers, ingest_files
    from nrlib.intake.reader import read_workbook
    from nrlib.intake.schema import compile_schema

    n = int(os.environ.get("NRLIB_BENCH_INGEST_N", "300"))
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    workers = default_workers()
    with tempfile.TemporaryDirectory(prefix="nrlib-bench-ingest-") as tmp:
        tmp = Path(tmp)
        (tmp / "books").mkdir()
        with _Clock() as t_write:
            paths, from_cache = _write_workbooks(tmp / "books", n)
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        for p in paths[:5]:  # warm the page cache and imports for every reader alike
            read_workbook(p)
        _openpyxl_read(paths[:5])
        with _Clock() as t_openpyxl:
            _openpyxl_read(paths)
        with _Clock() as t_calamine:
            for p in paths:
                read_workbook(p)
        with _Clock() as t_warm:
            compile_schema().prepare_units({code for p in paths for _, code in _claims(p, None)})
        with _Clock() as t_one:
            one = ingest_files(paths, tmp / "one.duckdb", received="2021-02-15", workers=1)
        with _Clock() as t_par:
            par = ingest_files(paths, tmp / "par.duckdb", received="2021-02-15", workers=2)
    assert [o.outcome for o in one] == [o.outcome for o in par]
    accepted = sum(o.outcome == "accepted" for o in par)
    warned = sum(o.n_warnings for o in par)
    t_default = t_one if workers == 1 else t_par
    r_openpyxl = n / t_openpyxl.wall

    def row(name, clock, note="", goal=None, holds=None, extra=0.0):
        wall = clock.wall + extra
        return {"name": name, "value": n / wall, "unit": "workbooks/s", "ratio": (n / wall) / r_openpyxl,
                "goal": goal, "holds": holds,
                "note": (f"{1000 * wall / n:.1f} ms/wb wall, {1000 * clock.cpu / n:.1f} ms/wb cpu"
                         + (f"; {note}" if note else ""))}

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    load_note = f"load average {load_before:.1f} → {load:.1f} on {os.cpu_count()} CPUs"
    fresh = n / (t_default.wall + t_warm.wall)
    one_vs_openpyxl = (n / t_one.wall) / r_openpyxl
    one_vs_calamine = t_calamine.wall / t_one.wall
    speedup = t_one.wall / t_par.wall
    return [
        row(f"fresh `nrlib ingest` (default: {workers} process{'es' if workers > 1 else ''}, incl. warm-up)",
            t_default, extra=t_warm.wall, goal="≥ 100 wb/s", holds=fresh >= 100,
            note=f"{n} workbooks, {size_mb:.1f} MB, {accepted} accepted, {warned} warnings; {load_note}"),
        row("ingest, 1 process (warm)", t_one, goal=f"≥ {MIN_OPENPYXL_RATIO:g}× openpyxl",
            holds=one_vs_openpyxl >= MIN_OPENPYXL_RATIO),
        {"name": "ingest, 1 process, against calamine read alone", "value": round(100 * one_vs_calamine, 1),
         "unit": "%", "ratio": round(one_vs_calamine, 2), "goal": f"≥ {100 * MIN_CALAMINE_SHARE:g} % of calamine",
         "holds": one_vs_calamine >= MIN_CALAMINE_SHARE,
         "note": "ratio: ingest's throughput ÷ the throughput of reading the same files with calamine alone"},
        row("ingest, 2 worker processes (warm)", t_par),
        {"name": "ingest, 2 worker processes against 1", "value": round(speedup, 2), "unit": "×",
         "ratio": round(speedup, 2), "goal": f"≥ {MIN_WORKER_SPEEDUP:g}× one process (idle 2 cores)",
         "holds": speedup >= MIN_WORKER_SPEEDUP,
         "note": f"{load_note} (the goal is for an otherwise idle machine: a load well above 0 before the run "
                 f"means other work shared the cores)"},
        {"name": "registry warm-up (once per process)", "value": t_warm.wall, "unit": "s",
         "note": "find_unit/load_units/unit_years/resolve_levels for the claimed units' districts"},
        row("calamine read alone", t_calamine),
        row("openpyxl read alone (read_only, data_only)", t_openpyxl),
        {"name": "writing the test workbooks (openpyxl, 2 processes)", "value": n / t_write.wall, "unit": "workbooks/s",
         "note": "setup, not part of ingest" + ("; copied from benchmarks/results/cache (same generator and "
                                                  "reference data as when written)" if from_cache else "")},
    ]


if __name__ == "__main__":  # pragma: no cover
    for r in run():
        print(r)
