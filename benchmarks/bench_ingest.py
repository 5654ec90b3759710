"""Ingest throughput: workbooks per second, end to end, against reading the same files with openpyxl.

Method: write a few hundred filled workbooks with the template writer (the
sample generator's content for every commune of a province, for several
seeds, so each file is different and each commune has several versions),
then, side by side in the same run:

* ``ingest``: :func:`nrlib.ingest.ingest_files` into a fresh store — checksum,
  read (calamine), validate (every rule and warning), raw copy, store;
* ``calamine read``: :func:`nrlib.reader.read_workbook` alone;
* ``openpyxl read``: ``openpyxl.load_workbook(read_only=True, data_only=True)``
  iterating every cell value — the fastest way openpyxl reads, and what a
  pure-Python ingest would at least have to do.

Goals: ingest ≥ 100 workbooks/s and ≥ 5× the openpyxl read rate. The
``ratio`` column of the ``ingest`` row is ingest rate / openpyxl rate.
Environment: ``NRLIB_BENCH_INGEST_N`` (default 300) workbooks.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


def _write_workbooks(out: Path, n: int) -> list[Path]:
    from nrlib import load_outline, load_province_units
    from nrlib.sample import sample_content
    from nrlib.workbook import template_filename, unit_scopes, write_workbook
    from nrlib.reference import resolve_levels

    outline = load_outline()
    units = load_province_units("75")  # Đồng Nai: every commune of the province
    paths: list[Path] = []
    levels: dict = {}
    seed = 1
    while len(paths) < n:
        contents = sample_content(units, seed, outline)
        for unit in units.to_dict("records"):
            if len(paths) >= n:
                break
            scopes = tuple(unit_scopes(unit))
            if scopes not in levels:
                levels[scopes] = resolve_levels(list(scopes), outline.years)
            name = f"s{seed}_" + template_filename(unit)
            paths.append(write_workbook(out / name, unit, outline=outline, content=contents[unit["unit_code"]],
                                        levels=levels[scopes]))
        seed += 1
    return paths


def _openpyxl_read(paths: list[Path]) -> float:
    import openpyxl

    t0 = time.perf_counter()
    n_cells = 0
    for p in paths:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                n_cells += len(row)
        wb.close()
    return time.perf_counter() - t0


def _calamine_read(paths: list[Path]) -> float:
    from nrlib.reader import read_workbook

    t0 = time.perf_counter()
    for p in paths:
        read_workbook(p)
    return time.perf_counter() - t0


def _ingest(paths: list[Path], db: Path) -> tuple[float, list]:
    from nrlib.ingest import ingest_files

    t0 = time.perf_counter()
    outcomes = ingest_files(paths, db, received="2021-02-15")
    return time.perf_counter() - t0, outcomes


def run() -> list[dict]:
    n = int(os.environ.get("NRLIB_BENCH_INGEST_N", "300"))
    with tempfile.TemporaryDirectory(prefix="nrlib-bench-ingest-") as tmp:
        tmp = Path(tmp)
        books = tmp / "books"
        books.mkdir()
        t0 = time.perf_counter()
        paths = _write_workbooks(books, n)
        t_write = time.perf_counter() - t0
        _calamine_read(paths[:5])  # warm the file cache and imports for everyone alike
        _openpyxl_read(paths[:5])
        t_openpyxl = _openpyxl_read(paths)
        t_calamine = _calamine_read(paths)
        t_ingest, outcomes = _ingest(paths, tmp / "bench.duckdb")
        accepted = sum(o.outcome == "accepted" for o in outcomes)
        warnings = sum(o.n_warnings for o in outcomes)
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
    rate_ingest, rate_openpyxl, rate_calamine = n / t_ingest, n / t_openpyxl, n / t_calamine
    return [
        {"name": "ingest (read + validate + store)", "value": rate_ingest, "unit": "workbooks/s",
         "ratio": rate_ingest / rate_openpyxl, "goal": "≥ 100 wb/s; ≥ 5× openpyxl",
         "note": f"{n} workbooks ({size_mb:.1f} MB), {accepted} accepted, {warnings} warnings; "
                 f"{1000 * t_ingest / n:.1f} ms each"},
        {"name": "calamine read alone", "value": rate_calamine, "unit": "workbooks/s",
         "ratio": rate_calamine / rate_openpyxl, "note": f"{1000 * t_calamine / n:.1f} ms each"},
        {"name": "openpyxl read alone (read_only)", "value": rate_openpyxl, "unit": "workbooks/s", "ratio": 1.0,
         "note": f"{1000 * t_openpyxl / n:.1f} ms each"},
        {"name": "writing the test workbooks (openpyxl)", "value": n / t_write, "unit": "workbooks/s",
         "note": "setup, not part of ingest"},
    ]


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
