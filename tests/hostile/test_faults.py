"""Faults: a killed ingest, a full disk, two ingests at once, old and foreign stores, bugs on one file.

Each case checks the same three things: the store stays consistent (it opens,
and every accepted submission committed before the fault is still there,
byte for byte), nothing accepted is lost (a re-run stores what the fault
interrupted), and the user is told what happened and what to run next (a
Vietnamese message on stderr, a non-zero exit, no traceback).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from ingest_fixtures import OTHER, TOWN, UNIT, wait_for, write_good

import nrlib.ingest as ingest_module
from nrlib import StoreError
from nrlib import store as st
from nrlib.ingest import ingest_files

ALL_TABLES = ("submissions", "problems", "audit") + st.ANALYSIS_TABLES


def digests(db: Path, tables=ALL_TABLES) -> dict:
    with st.open_store(db) as con:
        return {t: st.table_digest(con, t) for t in tables}


def cli(*args, env=None, preexec_fn=None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nrlib.cli", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ, **(env or {})),
                            preexec_fn=preexec_fn, **kw)


def record(figures, case: str, result: str) -> None:
    figures["faults"].append({"case": case, "result": result})


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Four good workbooks of four units and a store already holding the first one."""
    d = tmp_path_factory.mktemp("fault-books")
    paths = [write_good(d / f"{code}_bao-cao.xlsx", code, shift=i) for i, code in
             enumerate((UNIT, OTHER, TOWN, "26299"))]
    return paths


@pytest.fixture
def started(files, tmp_path):
    db = tmp_path / "data" / "s.duckdb"
    [first] = ingest_files(files[:1], db, received="2021-02-10")
    assert first.outcome == "accepted"
    return db


def _raw_names(db: Path) -> list[str]:
    return sorted(p.name for p in (db.parent / "submissions" / "raw").iterdir())


# ----------------------------------------------------------------------------- a killed ingest


def _dead_pid() -> int:
    """The id of a process that has ended (a killed writer's)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _sigkill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)


def _reap(proc: subprocess.Popen) -> None:
    """However the test went: the process is not left running, and its pipes are closed."""
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


def test_sigkill_mid_batch_keeps_the_last_commit_and_a_rerun_stores_the_rest(files, started, figures):
    db = started
    before = digests(db)
    proc = cli("ingest", *files[1:], "--db", db, "--received", "2021-02-12",
               env={"NRLIB_TEST_PAUSE_IN_TRANSACTION": "60"})
    try:
        wait_for(proc, "pausing")
        # the raw copies are already kept (before the transaction); a copy killed half-way would look like this
        gone = _dead_pid()
        (db.parent / "submissions" / "raw" / f".{OTHER}_20210212_0123456789ab.xlsx.{gone}.0123abcd.tmp").write_bytes(b"PK")
        _sigkill(proc)
    finally:
        _reap(proc)
    assert proc.returncode == -signal.SIGKILL
    assert digests(db) == before                       # exactly the last commit
    kept = _raw_names(db)
    assert len([n for n in kept if not n.startswith(".")]) == len(files)   # received files kept, even uncommitted
    again = cli("ingest", *files, "--db", db, "--received", "2021-02-12")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert "đã được nhận trước đây" in out                # the first file: a no-op
    subs = st.load_dataset(db).submissions
    assert sorted(subs["unit_code"]) == sorted(p.name[:5] for p in files) and set(subs["status"]) == {"accepted"}
    assert not [n for n in _raw_names(db) if n.startswith(".")]     # the half-written copy is gone
    record(figures, "SIGKILL inside an ingest transaction", "store at last commit; re-run stored the other 3")


_KILLABLE = """
import sys
from pathlib import Path
from nrlib.ingest import ingest_files
folder = Path(sys.argv[1])
ingest_files([folder], sys.argv[2], manifest=folder / "received.csv", batch_size=2, workers=1,
             on_file=lambda o: print("stored", o.path.name, flush=True))
"""
_BY_SUBMISSION = ("problems",) + st.ANALYSIS_TABLES
_SUBMISSION_COLUMNS = "submission_id, unit_code, version, sha256, status, n_errors, n_warnings, raw_path"


def _stored(db: Path) -> tuple[list, dict]:
    """The submissions of a store (in id order, without their times) and each table's rows by submission."""
    with st.open_store(db) as con:
        subs = con.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions ORDER BY submission_id").fetchall()
        rows = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in _BY_SUBMISSION}
    return subs, rows


def test_sigkill_at_random_points_of_a_multi_batch_ingest_keeps_whole_batches(sample_dir, tmp_path, figures):
    """An ingest of the 9 sample workbooks in batches of 2 (5 batches) is killed at random points (after a
    random number of stored files, then a random delay: inside reading, copying or a commit). Each time the
    store opens and holds exactly the whole batches committed before the kill, each file as a clean run
    stores it; re-running the same command then gives exactly the store of a run never killed."""
    import random
    import time

    seed = random.SystemRandom().randrange(1 << 32)
    rng = random.Random(seed)
    clean = tmp_path / "clean.duckdb"
    done = subprocess.run([sys.executable, "-c", _KILLABLE, str(sample_dir), str(clean)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    order = [line.split(" ", 1)[1] for line in done.stdout.splitlines() if line.startswith("stored ")]
    want_subs, want_rows = _stored(clean)
    assert len(order) == len(want_subs) == 9
    kills = []
    for trial in range(5):
        db = tmp_path / f"killed-{trial}" / "s.duckdb"
        after, delay = rng.randrange(len(order) - 1), rng.uniform(0, 0.08)
        where = f"seed {seed}, trial {trial}: killed {delay * 1000:.0f} ms after file {after + 1} was stored"
        proc = subprocess.Popen([sys.executable, "-c", _KILLABLE, str(sample_dir), str(db)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(after + 1):
                assert proc.stdout.readline().startswith("stored "), where
            time.sleep(delay)
            _sigkill(proc)
        finally:
            _reap(proc)
        if proc.returncode == -signal.SIGKILL:
            kills.append(after)
        subs, rows = _stored(db)
        n = len(subs)
        assert n >= after + 1 and (n % 2 == 0 or n == len(order)), where     # whole batches only
        assert subs == want_subs[:n], where                 # the files committed first, each as a clean run stores it
        ids = {s[0] for s in subs}
        for table in _BY_SUBMISSION:
            with st.open_store(clean) as con:
                kept = sorted(map(repr, con.execute(f"SELECT * FROM {table} WHERE list_contains(?, submission_id)",
                                                    [sorted(ids)]).fetchall()))
            assert rows[table] == kept, (where, table)
        again = subprocess.run([sys.executable, "-c", _KILLABLE, str(sample_dir), str(db)], capture_output=True,
                               text=True, timeout=300)
        assert again.returncode == 0, (where, again.stderr)
        got_subs, got_rows = _stored(db)
        assert got_subs == want_subs, where
        assert got_rows == want_rows, where
    assert len(kills) >= 3, f"seed {seed}: only {len(kills)} of 5 runs were killed before they ended"
    record(figures, "SIGKILL at 5 random points of a 5-batch ingest",
           f"whole batches kept each time; re-runs equal a clean run (seed {seed})")


# ----------------------------------------------------------------------------- a full disk


def _file_size_limit(limit: int):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)     # writes beyond the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


@pytest.mark.parametrize("where", ["raw copy", "store commit"])
def test_a_full_disk_stops_with_a_message_and_loses_nothing(files, started, figures, where):
    """RLIMIT_FSIZE makes every write past the limit of a file fail as a full disk would: below the
    workbooks' size the raw copy of the first file fails; a little above it, the copies succeed and
    the store's write-ahead log (three files' rows) fails at commit."""
    db = started
    before = digests(db)
    biggest = max(f.stat().st_size for f in files)
    limit = biggest // 2 if where == "raw copy" else biggest + 4096
    proc = cli("ingest", *files[1:], "--db", db, "--received", "2021-02-12", preexec_fn=_file_size_limit(limit))
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 2, (out, err)
    assert "Traceback" not in err
    assert (".tmp" if where == "raw copy" else ".wal") in err, err      # it failed where the case says
    assert "ổ đĩa đã đầy" in err and "chạy lại đúng lệnh này" in err and "Đã lưu 0 tệp" in err, err
    assert digests(db) == before
    assert not [n for n in _raw_names(db) if n.startswith(".")]
    proc = cli("ingest", *files[1:], "--db", db, "--received", "2021-02-12")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert len(st.load_dataset(db).submissions) == len(files)
    record(figures, f"disk full at the {where}", "exit 2 with what to run next; store unchanged; re-run stored all")


# ----------------------------------------------------------------------------- two at once


def test_two_ingests_of_the_same_files_at_once_store_each_file_once(files, tmp_path, figures):
    db = tmp_path / "s.duckdb"
    release = tmp_path / "release"
    env = {"NRLIB_TEST_PAUSE_IN_TRANSACTION": "60", "NRLIB_TEST_PAUSE_RELEASE": str(release)}
    a = cli("ingest", *files, "--db", db, "--received", "2021-02-12", env=env)
    try:
        wait_for(a, "pausing")
        b = cli("ingest", *reversed(files), "--db", db, "--received", "2021-02-13")
        wait_for(b, "đang chờ")
    finally:
        release.touch()
    out_a, _ = a.communicate(timeout=300)
    out_b, err_b = b.communicate(timeout=300)
    assert (a.returncode, b.returncode) == (0, 0), err_b
    assert out_b.count("đã được nhận trước đây") == len(files)
    with st.open_store(db) as con:
        rows = con.execute("SELECT unit_code, version, count(*) FROM submissions GROUP BY ALL ORDER BY 1").fetchall()
    assert rows == [(p.name[:5], 1, 1) for p in sorted(files)]
    record(figures, "two ingests of the same 4 files at once", "second waited, found 4 duplicates; 4 rows")


# ----------------------------------------------------------------------------- old, foreign and future stores


def _rows_of(db: Path, submission_id: int) -> dict:
    """Every analysis-table row of one submission, read with a plain DuckDB connection."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} WHERE submission_id = ? ORDER BY ALL", [submission_id]).fetchall()
                for t in st.ANALYSIS_TABLES}
    finally:
        con.close()


MIGRATING_INGEST = '''
import sys
from nrlib.store import migrations as store
def _m2_comments(con):
    """Add a table of reviewer comments."""
    con.execute("CREATE TABLE comments (submission_id INTEGER, text VARCHAR)")
store.MIGRATIONS = [*store.MIGRATIONS, _m2_comments]
store.SCHEMA_VERSION = len(store.MIGRATIONS)
from nrlib.cli import main
sys.exit(main(sys.argv[1:]))
'''


def test_a_store_of_an_older_schema_is_migrated_and_keeps_its_data(files, started, figures):
    """The store is at this nrlib's schema version; an nrlib with one more migration opens it for an ingest."""
    import duckdb

    db = started
    before = _rows_of(db, 1)
    assert before["data_values"]
    proc = subprocess.run([sys.executable, "-c", MIGRATING_INGEST, "ingest", str(files[1]), "--db", str(db),
                           "--received", "2021-02-12"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert _rows_of(db, 1) == before                     # the first submission, untouched
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT version, description FROM schema_version ORDER BY 1").fetchall()[-1] == \
            (st.SCHEMA_VERSION + 1, "Add a table of reviewer comments.")
        assert con.execute("SELECT count(*) FROM comments").fetchall() == [(0,)]
        assert con.execute("SELECT unit_code, status FROM submissions ORDER BY 1").fetchall() == \
            [(UNIT, "accepted"), (OTHER, "accepted")]
        assert con.execute("SELECT count(*) FROM audit WHERE action = 'schema_migrated'").fetchall() == \
            [(st.SCHEMA_VERSION + 1,)]
    finally:
        con.close()
    with pytest.raises(StoreError, match="cập nhật nrlib"):   # and this nrlib (one version behind) refuses it
        st.open_store(db)
    record(figures, "store of an older schema version", "migrated in one transaction; data kept; ingest done")


def test_a_foreign_database_is_never_written_into(files, tmp_path, figures):
    import hashlib

    import duckdb

    db = tmp_path / "ke-toan.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE submissions (id INTEGER, amount DOUBLE)")
    con.execute("INSERT INTO submissions VALUES (1, 2.5)")
    con.close()
    sha = hashlib.sha256(db.read_bytes()).hexdigest()
    proc = cli("ingest", files[0], "--db", db)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 2 and "Traceback" not in err
    assert "không phải kho dữ liệu của nrlib" in err and "--db" in err, err
    assert hashlib.sha256(db.read_bytes()).hexdigest() == sha
    not_db = tmp_path / "notes.duckdb"
    not_db.write_text("ghi chú", encoding="utf-8")
    proc = cli("ingest", files[0], "--db", not_db)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 2 and "không mở được kho dữ liệu" in err and "Traceback" not in err, err
    assert not_db.read_text(encoding="utf-8") == "ghi chú"
    record(figures, "a foreign DuckDB file / a text file as --db", "exit 2, named; files unchanged")


def test_a_store_from_a_newer_nrlib_is_refused_with_what_to_do(started, files):
    db = started
    with st.open_store(db, read_only=False) as con:
        con.execute("INSERT INTO schema_version VALUES (7, now(), 'from the future')")
    proc = cli("ingest", files[1], "--db", db)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 2 and "cập nhật nrlib" in err and "Traceback" not in err, err


# ----------------------------------------------------------------------------- bugs on one file


def test_a_validation_bug_on_one_file_rejects_that_file_only(files, tmp_path, capsys, figures):
    real = ingest_module.validate_workbook

    def buggy(book, schema, **kw):
        if book.path.name.startswith(OTHER):
            raise ZeroDivisionError("a bug")
        return real(book, schema, **kw)

    db = tmp_path / "s.duckdb"
    with mock.patch.object(ingest_module, "validate_workbook", buggy):
        outs = ingest_files(files, db, received="2021-02-12")
    by = {o.path.name[:5]: o for o in outs}
    assert by[OTHER].outcome == "rejected" and [p.rule for p in by[OTHER].problems] == ["E_INTERNAL"]
    assert "ZeroDivisionError" in by[OTHER].problems[0].message
    assert all(o.outcome == "accepted" for k, o in by.items() if k != OTHER)
    assert "Traceback" in capsys.readouterr().err        # for whoever fixes the bug
    [again] = ingest_files([files[1]], db, received="2021-02-12")
    assert again.outcome == "duplicate"                   # the same file stays rejected: a fixed nrlib needs a copy
    record(figures, "validation raising on 1 of 4 files", "that file rejected (E_INTERNAL); 3 accepted")


def test_content_the_store_refuses_rejects_that_file_not_the_batch(files, tmp_path, figures):
    real = ingest_module._tables

    def broken(res):
        tables = real(res)
        if res.unit_code == OTHER:
            tables["proposals"]["seq"] = [None] * len(tables["proposals"]["seq"])
        return tables

    db = tmp_path / "s.duckdb"
    with mock.patch.object(ingest_module, "_tables", broken):
        outs = ingest_files(files, db, received="2021-02-12")
    by = {o.path.name[:5]: o for o in outs}
    assert by[OTHER].outcome == "rejected" and by[OTHER].problems[-1].rule == "E_INTERNAL"
    assert "NOT NULL" in by[OTHER].problems[-1].message
    ds = st.load_dataset(db)
    assert set(ds.values["unit_code"]) == {p.name[:5] for p in files} - {OTHER}
    with st.open_store(db) as con:
        assert con.execute("SELECT status, n_errors FROM submissions WHERE unit_code = ?", [OTHER]).fetchall() == \
            [("rejected", 1)]
    record(figures, "store constraint failing for 1 of 4 files", "that file rejected (E_INTERNAL); 3 stored")


# ----------------------------------------------------------------------------- reports


def _descendants(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        x = todo.pop()
        out += kids.get(x, [])
        todo += kids.get(x, [])
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def report_store(sample_dir, tmp_path_factory):
    import report_fixtures as rf

    return rf.sample_store(sample_dir, tmp_path_factory.mktemp("fault-reports"))


REPORT_UNITS = ["26299", "26302", "26305", "26311"]


@pytest.mark.slow
def test_sigkill_mid_batch_of_reports_leaves_no_process_and_a_rerun_completes(report_store, tmp_path, figures):
    """``nrlib reports`` killed after its first report: its workers, kernel template and kernels go
    with it (they used to wait forever), and a re-run renders every report and a consistent index."""
    import json
    import re
    import time

    out = tmp_path / "reports"
    args = ["reports", "--db", report_store, "--jobs", "2", "--out", out, *[x for u in REPORT_UNITS for x in
                                                                           ("--unit", u)]]
    proc = cli(*args, start_new_session=True)
    try:
        while True:
            line = proc.stdout.readline()
            if "xong" in line or (not line and proc.poll() is not None):
                break
        assert "xong" in line, proc.stderr.read()
        family = [p for p in _descendants(proc.pid) if _alive(p)]
        assert family                                   # workers, template, kernels
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(p) for p in family):
            time.sleep(0.5)
        left = [p for p in family if _alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert left == [], f"processes left running after the batch was killed: {left}"
    again = cli(*args)
    stdout, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr[-3000:]
    index = (out / "index.html").read_text(encoding="utf-8")
    rec = json.loads(re.search(r'id="nrlib-report">(.*?)</script>', index, re.S).group(1))
    assert sorted(r["code"] for r in rec["reports"]) == sorted(REPORT_UNITS)
    assert all(r["status"] == "ok" and (out / r["html"]).is_file() for r in rec["reports"])
    assert not (out / ".nrlib-work").exists() and not list(out.rglob("*.tmp"))
    record(figures, f"SIGKILL of nrlib reports after 1 of {len(REPORT_UNITS)} reports",
           f"{len(family)} child processes gone; re-run rendered all, index consistent")



def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


@pytest.mark.slow
@pytest.mark.parametrize("when", ["while the workers start", "after the first report"])
def test_ctrl_c_during_a_batch_of_reports_stops_it_quietly_and_leaves_nothing(report_store, tmp_path, figures,
                                                                               when):
    """Ctrl-C (SIGINT to the terminal's process group) while the fork server imports, or while reports render:
    exit 130 with the one line saying what to run, no traceback or kernel message from any process, an index
    of what is done, and no process or temporary folder left behind."""
    import json
    import re
    import time

    out, tmp = tmp_path / "reports", tmp_path / "tmp"
    tmp.mkdir()
    args = ["reports", "--db", report_store, "--jobs", "2", "--out", out, *[x for u in REPORT_UNITS for x in
                                                                           ("--unit", u)]]
    proc = cli(*args, env={"TMPDIR": str(tmp)}, start_new_session=True, preexec_fn=_as_from_a_terminal)
    family: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        if when == "while the workers start":    # the fork server is importing papermill and nbconvert
            while time.monotonic() < deadline and proc.poll() is None:
                kids = _descendants(proc.pid)
                family.update(kids)
                if any("forkserver" in _cmdline(k) for k in kids):
                    break
                time.sleep(0.005)
        else:
            while time.monotonic() < deadline:
                line = proc.stdout.readline()
                if "xong" in line or (not line and proc.poll() is not None):
                    break
            family.update(_descendants(proc.pid))
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGINT)
        stdout, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    for noise in ("Traceback", "Kernel died", "Error occurred", "Exception in thread"):
        assert noise not in err, err
    assert err.count("\n") == 1 and "đã dừng (Ctrl-C)" in err, err
    if (out / "index.html").exists():      # the batch had begun: the index lists what is done
        assert "chạy lại đúng lệnh này" in err, err
        index = (out / "index.html").read_text(encoding="utf-8")
        rec = json.loads(re.search(r'id="nrlib-report">(.*?)</script>', index, re.S).group(1))
        assert all(r["status"] == "ok" and (out / r["html"]).is_file() for r in rec["reports"])
    else:                                  # stopped while it was planned: nothing written, and it says so
        assert "không có gì bị ghi dở" in err and when == "while the workers start", err
        rec = {"reports": []}
    if when == "after the first report":
        assert rec["reports"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(p) for p in family):
        time.sleep(0.2)
    assert not [p for p in family if _alive(p)], "processes left running after Ctrl-C"
    assert not list(tmp.iterdir()), sorted(p.name for p in tmp.iterdir())
    assert not (out / ".nrlib-work").exists()
    record(figures, f"Ctrl-C of nrlib reports {when}", f"exit 130, one line; {len(rec['reports'])} in the index, "
                                                       "no process or temporary folder left")


RAISING_NOTEBOOK = {
    "cells": [
        {"id": "params", "cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None,
         "outputs": [],
         "source": "unit_code = None\ndb_path = None\ndeadline = None\ninclude_personal_data = False"},
        {"id": "start", "cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "print('Bắt đầu báo cáo', unit_code)"},
        {"id": "fails", "cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": f"if str(unit_code) == '{OTHER}':\n    raise RuntimeError('hỏng giữa chừng')\nprint('xong')"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def test_a_report_notebook_that_raises_fails_alone_and_says_where(report_store, tmp_path, monkeypatch, capsys,
                                                                  figures):
    import json
    import re

    from nrlib import config
    from nrlib.cli import main

    nb_dir = tmp_path / "nb"
    nb_dir.mkdir()
    (nb_dir / "report_unit.ipynb").write_text(json.dumps(RAISING_NOTEBOOK), encoding="utf-8")
    monkeypatch.setattr(config, "notebooks_dir", lambda: nb_dir)
    out = tmp_path / "reports"
    stale = out / "units" / f"{OTHER}_xa-quang-trung.html"     # an old report of an earlier run into this folder
    stale.parent.mkdir(parents=True)
    stale.write_text("báo cáo cũ", encoding="utf-8")
    (out / ".nrlib-reports").write_text("an earlier run's folder", encoding="utf-8")
    code = main(["reports", "--db", str(report_store), "--unit", UNIT, "--unit", OTHER, "--jobs", "1",
                 "--kernels", "cold", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert f"units/{OTHER}" in err and "RuntimeError: hỏng giữa chừng" in err and "ô (cell) số" in err, err
    assert "raise RuntimeError('hỏng giữa chừng')" in err
    assert "notebook:" in err and (out / "failed" / f"{OTHER}_xa-quang-trung.ipynb").is_file()
    assert not stale.exists()                             # no old report left looking current
    index = (out / "index.html").read_text(encoding="utf-8")
    rec = json.loads(re.search(r'id="nrlib-report">(.*?)</script>', index, re.S).group(1))
    assert {r["code"]: r["status"] for r in rec["reports"]} == {UNIT: "ok", OTHER: "failed"}
    assert (out / f"units/{UNIT}_xa-gia-kiem.html").is_file()
    record(figures, "a report notebook raising in 1 of 2 reports", "exit 1; cell and error named; the other rendered")


# ----------------------------------------------------------------------------- setup mistakes and Ctrl-C


def _as_from_a_terminal() -> None:
    """SIGINT as a command typed at a terminal has it: Python's own handler (set up at start when SIGINT is at
    its default). A suite started as a background job of a non-interactive shell (``make test &``, ``nohup``)
    inherits SIGINT *ignored*, Python keeps an inherited ignore, and the child passed it on would never see
    the Ctrl-C: that, not nrlib, was the "Ctrl-C lost under load" of issue 16 (every such run failed here;
    no run from a terminal or CI did)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_during_an_ingest_with_workers_says_what_to_run_and_keeps_the_store(sample_dir, tmp_path, figures):
    """Ctrl-C (SIGINT to the terminal's process group) while an ingest with worker processes commits: no
    worker traceback, one Vietnamese line saying what to run next, the store at its last commit."""
    import shutil

    folder = tmp_path / "nhan"
    for copy in ("a", "b"):                       # 18 files: enough for worker processes
        shutil.copytree(sample_dir, folder / copy, ignore=shutil.ignore_patterns("*.csv"))
    db = tmp_path / "s.duckdb"
    ingest_files(sorted((folder / "a").glob("*.xlsx"))[:1], db, received="2021-02-10")
    before = digests(db)
    # PYTHONFAULTHANDLER: should the ingest ever not stop, SIGABRT makes it print every thread's stack, and the
    # failure shows where it hung
    proc = cli("ingest", folder, "--db", db, "--received", "2021-02-12", "--workers", "2",
               env={"NRLIB_TEST_PAUSE_IN_TRANSACTION": "60", "PYTHONFAULTHANDLER": "1"}, start_new_session=True,
               preexec_fn=_as_from_a_terminal)
    try:
        wait_for(proc, "pausing")
        os.killpg(proc.pid, signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGABRT)
            out, err = proc.communicate(timeout=30)
            raise AssertionError(f"the ingest did not stop within 60 s of Ctrl-C; its threads:\n{err[-6000:]}") \
                from None
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "đã dừng (Ctrl-C)" in err and "chạy lại đúng lệnh này" in err
    assert digests(db) == before
    record(figures, "Ctrl-C during an ingest with 2 workers", "exit 130, one line saying what to run; store unchanged")


@pytest.mark.parametrize("where", ["parent is a file", "store is a folder"])
def test_a_store_path_that_cannot_be_one_is_a_single_line_before_any_work(tmp_path, files, where):
    blocker = tmp_path / "bao-cao.xlsx"
    blocker.write_bytes(b"x")
    db = blocker / "s.duckdb" if where == "parent is a file" else tmp_path
    proc = cli("ingest", files[0], "--db", db, "--received", "2021-02-12")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    assert "không tạo được kho dữ liệu" in err or "là một thư mục" in err
    assert blocker.read_bytes() == b"x"
