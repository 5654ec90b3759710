"""The main flows with worker processes started by ``spawn``, as on Windows (``NRLIB_START_METHOD=spawn``).

Under ``spawn`` a worker is a fresh interpreter: it imports the module of the
function it runs and unpickles what it is given, and the command's own main
module is imported again. These tests run on Linux what a Windows laptop
does: ingest with workers (in process and from the command line), the
reports' worker pool, and the synthetic workbook writer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

import nrlib.ingest as ing
from nrlib import config
from nrlib import store as st
from nrlib.exceptions import ConfigError
from nrlib.ingest import ingest_files

SPAWN = {"NRLIB_START_METHOD": "spawn"}
TABLES = ("problems",) + st.ANALYSIS_TABLES


def _digests(db) -> dict:
    with st.open_store(db) as con:
        return {t: st.table_digest(con, t) for t in TABLES}


def test_the_start_method_is_the_setting_else_the_preferred_one(monkeypatch):
    monkeypatch.delenv("NRLIB_START_METHOD", raising=False)
    assert config.start_method("fork") == "fork"                  # Linux has it
    assert config.start_method("no-such-method") == "spawn"
    monkeypatch.setenv("NRLIB_START_METHOD", "spawn")
    assert config.start_method("fork") == "spawn"
    monkeypatch.setenv("NRLIB_START_METHOD", "thread")
    with pytest.raises(ConfigError, match="NRLIB_START_METHOD='thread'.*spawn"):
        config.start_method("fork")


#: changed by the test below before it starts a pool: a forked worker sees the change, a spawned one
#: imports this module afresh and sees this value
_STATE = "as imported"


def _state() -> str:
    return _STATE


def test_the_setting_starts_workers_the_windows_way(monkeypatch):
    """The pools of nrlib really spawn under the setting (not a silent fork)."""
    import multiprocessing

    monkeypatch.setattr(sys.modules[__name__], "_STATE", "changed in the parent")
    monkeypatch.setenv("NRLIB_START_METHOD", "spawn")
    with multiprocessing.get_context(config.start_method("fork")).Pool(1) as pool:
        assert pool.apply(_state) == "as imported"
    monkeypatch.setenv("NRLIB_START_METHOD", "fork")
    with multiprocessing.get_context(config.start_method("fork")).Pool(1) as pool:
        assert pool.apply(_state) == "changed in the parent"   # the check can tell the two apart


def test_ingest_with_spawned_workers_gives_the_store_of_one_process(sample_dir, tmp_path, monkeypatch):
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    a = ingest_files([sample_dir], one, manifest=sample_dir / "received.csv", workers=1)
    monkeypatch.setenv("NRLIB_START_METHOD", "spawn")
    monkeypatch.setattr(ing, "PARALLEL_MIN_FILES", 1)
    b = ingest_files([sample_dir], two, manifest=sample_dir / "received.csv", workers=2)
    assert [(o.path.name, o.outcome, o.version, o.n_warnings) for o in a] == \
           [(o.path.name, o.outcome, o.version, o.n_warnings) for o in b]
    assert _digests(one) == _digests(two)


def test_nrlib_ingest_and_reports_from_the_command_line_under_spawn(sample_dir, tmp_path):
    """The commands as a Windows user runs them: ``python -m nrlib`` with two ingest workers (18 files,
    enough for the pool), then two reports rendered by two spawned workers with cold kernels."""
    folder = tmp_path / "nhan"
    for copy in ("a", "b"):
        shutil.copytree(sample_dir, folder / copy, ignore=shutil.ignore_patterns("*.csv"))
    db = tmp_path / "s.duckdb"
    env = dict(os.environ, **SPAWN)
    ingest = subprocess.run([sys.executable, "-m", "nrlib", "ingest", str(folder), "--db", str(db), "--received",
                             "2021-02-18", "--workers", "2", "--json"], capture_output=True, text=True, env=env,
                            timeout=600)
    assert ingest.returncode in (0, 1), ingest.stderr            # 1: the sample's planted rejections
    assert "Traceback" not in ingest.stderr
    files = json.loads(ingest.stdout)["files"]
    assert len(files) == 18 and {f["outcome"] for f in files} >= {"accepted", "duplicate"}
    out = tmp_path / "reports"
    reports = subprocess.run([sys.executable, "-m", "nrlib", "reports", "--db", str(db), "--unit", "26308", "26311",
                              "--jobs", "2", "--kernels", "cold", "--out", str(out)], capture_output=True, text=True,
                             env=env, timeout=900)
    assert reports.returncode == 0, reports.stderr[-3000:]
    assert len(list((out / "units").glob("*.html"))) == 2 and (out / "index.html").is_file()


def test_synthetic_workbooks_with_spawned_workers(tmp_path, monkeypatch):
    from nrlib import synthetic_workbooks

    monkeypatch.setenv("NRLIB_START_METHOD", "spawn")
    got = synthetic_workbooks(tmp_path / "syn", 12, seed=3, workers=2)
    assert len(list((tmp_path / "syn").glob("*.xlsx"))) == len(got.paths) >= 10
