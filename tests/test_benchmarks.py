"""benchmarks/: each benchmark still runs and returns well-formed rows (at a small size; numbers are not judged here).

``make bench`` is not part of ``make test`` (it takes minutes and measures
time); this keeps a refactor from breaking it unnoticed. The report
benchmark (minutes of kernels and the naive loop) is left to ``make bench``;
the size benchmark measures the reports the report tests render anyway.
"""

from __future__ import annotations

import math

import pytest

pytestmark = pytest.mark.slow


def _check_rows(rows: list[dict]) -> None:
    assert rows
    for r in rows:
        assert {"name", "value", "unit"} <= set(r), r
        assert isinstance(r["value"], (int, float)) and math.isfinite(r["value"]) and r["value"] >= 0, r
        if r.get("goal"):        # the goals table says whether each goal holds in the run
            assert isinstance(r.get("holds"), bool), r


def test_analysis_benchmark_runs_small():
    from benchmarks import bench_analysis

    rows = bench_analysis.run(n_units=120, n_districts=3, memory=False)
    _check_rows(rows)
    assert any(r["name"].endswith("full_analysis_shared_cache") for r in rows)


def test_ingest_benchmark_runs_small(monkeypatch, tmp_path):
    from benchmarks import bench_ingest

    monkeypatch.setenv("NRLIB_BENCH_INGEST_N", "24")
    monkeypatch.setattr(bench_ingest, "CACHE", tmp_path / "cache")   # the real cache keeps make bench's 300 files
    rows = bench_ingest.run()
    _check_rows(rows)
    head = rows[0]
    assert "24 workbooks" in head["note"] and "24 accepted" in head["note"] and head["ratio"] > 0
    # a second run takes the written workbooks from the cache
    assert "copied from benchmarks/results/cache" in bench_ingest.run()[-1]["note"]


def test_explore_benchmark_runs():
    from benchmarks import bench_explore

    _check_rows(bench_explore.run())


def test_size_benchmark_measures_rendered_reports(sample_dir, tmp_path_factory):
    import report_fixtures as rf
    from benchmarks import bench_size

    db = rf.sample_store(sample_dir, tmp_path_factory.mktemp("report-store"))
    rendered = rf.sample_reports(db, tmp_path_factory.mktemp("sample-reports"))
    rows = bench_size.run(reports_dir=rendered["out"])
    _check_rows(rows)
    unit, naive = rows[0], rows[1]
    assert unit["unit"] == "MB" and unit["goal"] == "≤ 0.6 MB" and naive["goal"] == "≥ 8× ours"
    assert naive["value"] > unit["value"] and unit["ratio"] == naive["ratio"] > 1
    assert unit["note"].startswith(("goal met", "GOAL MISSED"))


def test_the_table_prints_every_row_then_the_goals(capsys, monkeypatch, tmp_path):
    import benchmarks.__main__ as runner

    class Fake:
        @staticmethod
        def run():
            return [{"name": "x", "value": 1234.5, "unit": "s", "ratio": 2.0, "goal": "≥ 1×", "holds": True, "note": "n"},
                    {"name": "y", "value": 0.5, "unit": "MB"},
                    {"name": "z", "value": 3.0, "unit": "s", "ratio": 0.5, "goal": "≥ 4×", "holds": False}]

    monkeypatch.setattr(runner, "HERE", tmp_path)
    (tmp_path / "bench_fake.py").write_text("", encoding="utf-8")
    (tmp_path / "bench_large.py").write_text("", encoding="utf-8")
    seen = []
    monkeypatch.setattr(runner.importlib, "import_module", lambda name: seen.append(name) or Fake)
    assert runner.main([]) == 0
    assert seen == ["benchmarks.bench_fake"]          # the national-scale run only when named
    lines = capsys.readouterr().out.splitlines()
    head = lines.index(next(l for l in lines if l.startswith("bench ")))
    assert lines[head].split() == ["bench", "name", "value", "unit", "ratio", "goal", "holds", "note"]
    assert lines[head + 2].split() == ["fake", "x", "1,234", "s", "2", "≥", "1×", "yes", "n"]
    assert lines[head + 3].split() == ["fake", "y", "0.5", "MB"]
    goals = lines.index("Goals (issue 17), as measured in this run:")
    assert lines[goals + 1].split() == ["bench", "name", "measured", "goal", "holds"]
    assert lines[goals + 3].split() == ["fake", "x", "1,234", "s", "(ratio", "2)", "≥", "1×", "yes"]
    assert lines[goals + 4].split() == ["fake", "z", "3", "s", "(ratio", "0.5)", "≥", "4×", "NO"]
    assert lines[goals + 5] == "1 of 2 goals hold in this run."
    assert (tmp_path / "results" / "latest.json").exists()
    assert runner.main(["large"]) == 0 and seen[-1] == "benchmarks.bench_large"


def test_startup_benchmark_runs_small():
    from benchmarks import bench_startup

    rows = bench_startup.run(rounds=2)
    _check_rows(rows)
    assert rows[0]["name"] == bench_startup.BASELINE and rows[0]["ratio"] == 1.0
    assert {r["name"].split(" (")[0] for r in rows[1:]} == {"nrlib --help", "nrlib reports --help", "nrlib status"}
    assert all(r["goal"] and ("holds" in r["note"] or "OVER GOAL" in r["note"]) for r in rows[1:])


def test_large_benchmark_runs_small(monkeypatch):
    from benchmarks import bench_large

    monkeypatch.setenv("NRLIB_BENCH_LARGE_UNITS", "24")
    monkeypatch.setenv("NRLIB_BENCH_LARGE_REPORTS", "3")
    monkeypatch.setenv("NRLIB_BENCH_LARGE_DASK", "2")
    rows = bench_large.run()
    _check_rows(rows)
    ingest, render, dask, *projected = rows
    assert ingest["holds"] is False and render["holds"] is False     # 24 workbooks are not national scale
    assert dask["unit"] == "%" and 0 < dask["ratio"]
    assert [r["name"].split(" on ")[1] for r in projected] == [f"{n} Dask workers" for n in bench_large.PROJECTED_WORKERS]
    hours = [r["value"] for r in projected]
    assert hours == sorted(hours, reverse=True) and hours[0] > 0    # more workers, less time


def test_the_floor_imports_what_the_report_notebooks_import():
    """The report benchmark's floor runs the report notebooks' imports: they must be those the notebooks have
    (they moved once, and the floor failed only under `make bench`)."""
    import json
    import subprocess
    import sys

    from benchmarks import bench_reports

    root = bench_reports.ROOT
    wanted = set()
    for name in ("report_unit.ipynb", "report_district.ipynb"):
        nb = json.loads((root / "notebooks" / name).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                wanted |= {line.strip() for line in "".join(cell["source"]).splitlines()
                           if line.startswith(("from nrlib", "import nrlib"))}
    assert wanted and wanted <= set(bench_reports.REPORT_IMPORTS.splitlines())
    subprocess.run([sys.executable, "-c", bench_reports.REPORT_IMPORTS], check=True, cwd=root)
