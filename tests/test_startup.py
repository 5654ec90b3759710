"""The command line starts light (issue 17): ``--help`` and ``nrlib status`` import none of the heavy libraries.

Timing is noisy and left to ``benchmarks/bench_startup.py``; what is checked here
is what makes it slow: in a fresh interpreter, after ``nrlib --help``, every
``nrlib COMMAND --help`` and ``nrlib status`` (in each format) on a small store,
none of :data:`HEAVY` is in ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nrlib.cli import build_parser
from nrlib.ingest import ingest_files

#: what the analyses, reports, documents and workbook readers import, and the command line must not
HEAVY = ("pandas", "numpy", "plotly", "papermill", "nbformat", "nbconvert", "nbclient", "jupyter_client", "IPython",
         "ipywidgets", "openpyxl", "python_calamine", "xlrd", "docx", "dask", "distributed")

_RUN = """
import contextlib, io, json, sys
import nrlib.cli
argv = json.loads(sys.argv[1])
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        code = nrlib.cli.main(argv)
    except SystemExit as exc:         # --help
        code = exc.code
heavy = json.loads(sys.argv[2])
print(json.dumps({"code": code, "out": out.getvalue(), "loaded": sorted(m for m in heavy if m in sys.modules),
                  "duckdb": "duckdb" in sys.modules}))
"""


def _run(argv: list[str], heavy=HEAVY) -> dict:
    proc = subprocess.run([sys.executable, "-c", _RUN, json.dumps(argv), json.dumps(list(heavy))],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(sub.choices)


@pytest.mark.parametrize("argv", [["--help"], ["--version"], []] + [[c, "--help"] for c in _commands()],
                         ids=lambda a: " ".join(a) or "no arguments")
def test_help_imports_no_heavy_library_and_not_the_store(argv):
    result = _run(argv)
    assert result["loaded"] == [] and not result["duckdb"], result
    assert result["code"] in (0, 2)
    assert "nrlib" in result["out"] or argv == ["--version"]


@pytest.fixture(scope="module")
def small_store(tmp_path_factory, books):
    db = tmp_path_factory.mktemp("startup") / "s.duckdb"
    ingest_files([books.good, books.other], db, received="2021-02-18")
    return db


def _duckdb_itself(db) -> set[str]:
    """What DuckDB's own module imports of :data:`HEAVY` to open a store and run a query with a parameter:
    releases before 2.0 (1.1 is the declared floor) import numpy and pandas to bind any Python parameter;
    nrlib must add nothing to that (with DuckDB 2, nothing at all)."""
    code = ("import duckdb, json, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "c.execute('select ?', ['x']).fetchall(); c.close(); "
            "print(json.dumps([m for m in json.loads(sys.argv[2]) if m in sys.modules]))")
    proc = subprocess.run([sys.executable, "-c", code, str(db), json.dumps(list(HEAVY))], capture_output=True,
                          text=True, timeout=120, check=True)
    return set(json.loads(proc.stdout))


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_status_answers_from_duckdb_without_pandas(small_store, fmt):
    result = _run(["status", "--db", str(small_store), "--format", fmt, "--deadline", "18/02/2021"])
    assert result["code"] == 0 and set(result["loaded"]) <= _duckdb_itself(small_store), result
    assert "26308" in result["out"] and "26311" in result["out"]


def test_status_errors_import_nothing_heavy_either(tmp_path):
    result = _run(["status", "--db", str(tmp_path / "none.duckdb")])
    assert result["code"] == 2 and result["loaded"] == [], result
    result = _run(["status", "--db", str(tmp_path / "none.duckdb"), "--deadline", "xx"])
    assert result["code"] == 2 and result["loaded"] == [], result


def test_import_nrlib_and_its_stages_stays_light():
    """``import nrlib``, ``nrlib.store`` and ``nrlib.reference`` load no heavy library; a name still resolves."""
    code = ("import sys, nrlib, nrlib.store, nrlib.reference, nrlib.status; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
    import nrlib.reference
    import nrlib.store

    assert callable(nrlib.store.load_dataset) and callable(nrlib.reference.load_units)
    assert nrlib.store.read.load_dataset is nrlib.store.load_dataset
    assert set(nrlib.store.__all__) <= set(dir(nrlib.store))
    assert set(nrlib.reference.__all__) <= set(dir(nrlib.reference))
    assert set(nrlib.store.__all__) == set(nrlib.store._API) | {"StoreError"}
    assert set(nrlib.reference.__all__) == set(nrlib.reference._API)
    for package in (nrlib.store, nrlib.reference):
        for name in package.__all__:
            assert getattr(package, name) is not None, (package.__name__, name)
        with pytest.raises(AttributeError):
            package.no_such_name  # noqa: B018


@pytest.mark.slow
def test_a_batch_of_reports_leaves_pandas_and_the_notebook_libraries_to_its_workers(small_store, tmp_path):
    """The batch process plans (plain registry rows), checks, hands out and indexes the reports: the heavy
    libraries are its workers' and its kernels', which start while it plans; importing them here too took CPU
    from them at the start (0,3 s on 2 cores) and delayed the index at the end."""
    out = tmp_path / "bao-cao"
    result = _run(["reports", "--db", str(small_store), "--out", str(out), "--jobs", "2"])
    assert result["code"] == 0, result
    assert set(result["loaded"]) <= _duckdb_itself(small_store), result
    assert (out / "index.html").is_file() and len(list((out / "units").glob("*.html"))) >= 2
