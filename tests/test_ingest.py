"""nrlib.ingest and ``nrlib ingest``: raw copies, versions, no-op re-ingest, crashes, concurrency."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from ingest_fixtures import OTHER, UNIT, addr, good_content, wait_for

from nrlib import store as st
from nrlib.cli import main
from nrlib.exceptions import NrlibError
from nrlib.ingest import IngestUsageError, ingest_files, ingest_sample_folder, read_manifest
from nrlib.intake.reader import read_workbook
from nrlib.intake.validate import validate_workbook

ALL_TABLES = ("submissions", "problems", "audit") + st.ANALYSIS_TABLES


def digests(db: Path, tables=ALL_TABLES) -> dict:
    with st.open_store(db) as con:
        return {t: st.table_digest(con, t) for t in tables}


def nrlib_cli(*args, env=None, **kw) -> subprocess.Popen:
    """Run ``python -m nrlib.cli ARGS`` in a subprocess."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.Popen([sys.executable, "-m", "nrlib.cli", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=full_env, **kw)


# ----------------------------------------------------------------------------- versions and the raw copies


def test_resubmission_keeps_both_versions_and_analyses_read_the_latest_accepted(tmp_path, books):
    db = tmp_path / "s.duckdb"
    [v1] = ingest_files([books.good], db, received="15/02/2021")
    [v2] = ingest_files([books.good_v2], db, received="2021-02-17")
    assert (v1.outcome, v1.version, v2.outcome, v2.version) == ("accepted", 1, "accepted", 2)
    ds = st.load_dataset(db)
    vd01 = ds.values.query("data_element == 'VD01' and year == 2017")["value"].item()
    assert vd01 == pytest.approx(good_content(UNIT, shift=1.0)["values"][("VD01", 2017)])
    with st.open_store(db) as con:   # the earlier version stays queryable
        old = con.execute("SELECT value FROM data_values WHERE submission_id = ? AND data_element = 'VD01' "
                          "AND year = 2017", [v1.submission_id]).fetchall()
        assert old == [(pytest.approx(good_content(UNIT)["values"][("VD01", 2017)]),)]
        audit = con.execute("SELECT action, submission_id, file_name FROM audit WHERE submission_id IS NOT NULL "
                            "ORDER BY audit_id").fetchall()
    assert audit == [("submission_accepted", v1.submission_id, books.good.name),
                     ("submission_accepted", v2.submission_id, books.good_v2.name)]


def test_a_broken_workbook_is_rejected_and_analysis_tables_stay_byte_for_byte(tmp_path, books):
    db = tmp_path / "s.duckdb"
    ingest_files([books.good, books.other], db, received="2021-02-15")
    before = digests(db, st.ANALYSIS_TABLES)
    [out] = ingest_files([books.broken], db, received="2021-02-16")
    # its name says OTHER sent it (the workbook inside is UNIT's): it counts for OTHER, the sender
    assert out.outcome == "rejected" and out.unit_code == OTHER and out.version == 2
    assert sorted((p.rule, p.location) for p in out.problems) == sorted(books.broken_expected)
    assert digests(db, st.ANALYSIS_TABLES) == before
    with st.open_store(db) as con:
        rows = con.execute("SELECT rule, sheet, cell FROM problems WHERE submission_id = ? ORDER BY seq",
                           [out.submission_id]).fetchall()
        assert len(rows) == len(books.broken_expected)
        raw = con.execute("SELECT raw_path, status FROM submissions WHERE submission_id = ?",
                          [out.submission_id]).fetchall()[0]
    assert raw[1] == "rejected"
    assert (db.parent / raw[0]).read_bytes() == books.broken.read_bytes()   # the raw file is kept


def test_the_same_file_again_changes_nothing_and_says_so(tmp_path, books, capsys):
    db = tmp_path / "s.duckdb"
    ingest_files([books.good], db, received="2021-02-15")
    before = digests(db)
    [again] = ingest_files([books.good], db, received="2021-02-20")
    assert again.outcome == "duplicate" and again.version == 1 and again.status == "accepted"
    assert "không có gì thay đổi" in again.summary_line() and "15/02/2021" in again.summary_line()
    assert digests(db) == before
    # a copy under another name is the same file
    copy = tmp_path / "copy of it.xlsx"
    copy.write_bytes(books.good.read_bytes())
    assert main(["ingest", str(copy), "--db", str(db)]) == 0
    assert "không có gì thay đổi" in capsys.readouterr().out
    assert digests(db) == before


def test_raw_copies_are_unchanged_read_only_and_named_by_codes(tmp_path, books):
    db = tmp_path / "s.duckdb"
    outs = ingest_files([books.messy, books.unreadable], db, received="2021-02-15")
    by_name = {o.path.name: o for o in outs}
    messy = by_name[books.messy.name]
    assert re.fullmatch(rf"submissions/raw/{UNIT}_20210215_[0-9a-f]{{12}}\.xlsx", messy.stored_as)
    assert messy.stored_as.split("_")[-1][:12] == messy.sha256[:12]
    kept = db.parent / messy.stored_as
    assert kept.read_bytes() == books.messy.read_bytes()
    assert not kept.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    bad = by_name[books.unreadable.name]
    assert bad.outcome == "rejected"
    assert [p.rule for p in bad.problems] == ["E_FILE_UNREADABLE"]
    assert bad.stored_as.startswith(f"submissions/raw/{UNIT}_20210215_")
    assert bad.unit_code == UNIT            # attributed to the unit its file name claims
    with st.open_store(db) as con:
        names = [r[0] for r in con.execute("SELECT file_name FROM submissions ORDER BY 1").fetchall()]
    assert names == sorted([books.messy.name, books.unreadable.name])   # received names kept as data


def test_manifest_gives_received_dates_and_claimed_units(tmp_path, books):
    db = tmp_path / "s.duckdb"
    manifest = books.dir / "received_test.csv"
    with open(manifest, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file_name", "unit_code", "received_date"])
        w.writerow([books.good.name, UNIT, "2021-02-25"])
        w.writerow([books.other.name, UNIT, "17/02/2021"])       # the district logged the wrong unit
    outs = ingest_files([books.good, books.other], db, manifest=manifest)
    assert [o.path.name for o in outs] == [books.other.name, books.good.name]   # in order received
    assert [str(o.received_date) for o in outs] == ["2021-02-17", "2021-02-25"]
    assert outs[0].outcome == "rejected"
    assert [p.rule for p in outs[0].problems] == ["E_UNIT_MISMATCH"]
    assert "manifest" in outs[0].problems[0].message
    assert outs[0].unit_code == UNIT             # the file counts for the unit the district logged as its sender
    assert outs[1].outcome == "accepted"


def test_a_commune_that_filled_another_communes_template_counts_as_the_sender(tmp_path, books, capsys):
    """OTHER sent UNIT's workbook (UNIT's code and name inside), and the district's received.csv says OTHER sent it:
    rejected, naming both units, and recorded for OTHER; UNIT has sent nothing."""
    db = tmp_path / "s.duckdb"
    manifest = books.dir / "received_wrong_commune.csv"
    with open(manifest, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["file_name", "unit_code", "received_date"],
                                  [books.good.name, OTHER, "2021-02-15"]])
    [out] = ingest_files([books.good], db, manifest=manifest)
    assert out.outcome == "rejected" and out.unit_code == OTHER and out.version == 1
    [problem] = out.problems
    assert problem.rule == "E_UNIT_MISMATCH" and "Xã Gia Kiệm" in problem.message and "Xã Quang Trung" in problem.message
    assert main(["status", "--db", str(db), "--format", "csv"]) == 0
    rows = {r["unit_code"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert (rows[OTHER]["timeliness"], rows[OTHER]["latest_status"]) == ("on_time", "rejected")
    assert (rows[UNIT]["timeliness"], rows[UNIT]["latest_status"]) == ("missing", "")


def test_usage_errors_store_nothing(tmp_path, books):
    db = tmp_path / "s.duckdb"
    with pytest.raises(IngestUsageError, match="không tìm thấy"):
        ingest_files([tmp_path / "nope.xlsx"], db)
    manifest = tmp_path / "received.csv"
    manifest.write_text("file_name,unit_code,received_date\nother.xlsx,26308,2021-02-10\n", encoding="utf-8")
    with pytest.raises(IngestUsageError, match="danh sách nhận"):
        ingest_files([books.good], db, manifest=manifest)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,date\n", encoding="utf-8")
    with pytest.raises(IngestUsageError, match="thiếu cột"):
        read_manifest(bad)
    with pytest.raises(IngestUsageError, match="ngày nhận"):
        ingest_files([books.good], db, received="hôm qua")
    assert not db.exists()


# ----------------------------------------------------------------------------- the command line


def test_cli_prints_one_line_per_file_then_each_problem(tmp_path, books, capsys):
    db = tmp_path / "s.duckdb"
    code = main(["ingest", str(books.good), str(books.broken), "--db", str(db), "--received", "2021-02-15"])
    assert code == 1
    out = capsys.readouterr().out.splitlines()
    good_line = [line for line in out if line.startswith(f"{books.good}: ")]
    assert good_line == [f"{books.good}: đã chấp nhận — đơn vị {UNIT}, phiên bản 1"]
    assert f"{books.broken}: bị từ chối: 15 lỗi, 1 cảnh báo — đơn vị {OTHER}, phiên bản 1" in out
    loc = f"VanDong!{addr('VanDong', 'VD01', 2016)}"
    assert any(line.startswith(f"{books.broken}: {loc}: [E_RANGE] ") for line in out)
    assert any(line.startswith(f"{books.broken}: DanhGia: [E_SHEET_MISSING] ") for line in out)
    problem_lines = [line for line in out if line.startswith(f"{books.broken}: ") and "[" in line]
    assert len(problem_lines) == len(books.broken_expected)
    assert out[-1].startswith("2 tệp: 1 chấp nhận, 1 bị từ chối")


def test_cli_json_and_exit_codes(tmp_path, books, capsys):
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(books.good), str(books.messy), "--db", str(db), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["n_accepted"] == 2
    messy = next(f for f in data["files"] if f["file"] == str(books.messy))
    assert messy["n_warnings"] == 3 and {p["rule"] for p in messy["problems"]} == {"W_NUMBER_AMBIGUOUS", "W_TEXT_IGNORED"}
    assert main(["ingest", str(tmp_path / "missing.xlsx"), "--db", str(db)]) == 2
    assert "không tìm thấy" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["ingest", "--received", "2021-01-01", "--manifest", "x.csv", str(books.good)])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["ingest", "--workers", "0", str(books.good), "--db", str(db)])
    assert exc.value.code == 2 and "số nguyên dương" in capsys.readouterr().err


def test_cli_workers_option_reaches_the_ingest(tmp_path, books, monkeypatch):
    import nrlib.ingest as ing

    seen = []
    real = ing.ingest_files
    monkeypatch.setattr(ing, "ingest_files", lambda *a, **kw: seen.append(kw["workers"]) or real(*a, **kw))
    assert main(["ingest", str(books.good), "--db", str(tmp_path / "s.duckdb"), "--workers", "3"]) == 0
    assert main(["ingest", str(books.good), "--db", str(tmp_path / "s.duckdb")]) == 0
    assert seen == [3, None]


def test_cli_ingests_a_folder(tmp_path, books):
    db = tmp_path / "s.duckdb"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / books.good.name).write_bytes(books.good.read_bytes())
    (folder / books.other.name).write_bytes(books.other.read_bytes())
    (folder / "~$lockfile.xlsx").write_bytes(b"x")     # Excel's lock file is not a submission
    (folder / "notes.txt").write_text("ghi chú")
    assert main(["ingest", str(folder), "--db", str(db)]) == 0
    assert len(st.load_dataset(db).submissions) == 2


# ----------------------------------------------------------------------------- LibreOffice copies


@pytest.mark.slow
def test_libreoffice_xlsx_and_xls_copies_ingest_to_identical_values(tmp_path, books, lo_copies):
    """Re-saved by LibreOffice (formula cells read by their cached values), as .xlsx and legacy .xls."""
    ref = validate_workbook(read_workbook(books.good))
    for path in (lo_copies.xlsx, lo_copies.xls):
        res = validate_workbook(read_workbook(path))
        assert res.problems == [], path
        assert res.values == ref.values
        assert res.criteria_status == ref.criteria_status
        assert res.info == ref.info and res.proposals == ref.proposals and res.narratives == ref.narratives
    db = tmp_path / "s.duckdb"
    outs = ingest_files([lo_copies.xls], db, received="2021-02-15")
    assert outs[0].outcome == "accepted" and outs[0].stored_as.endswith(".xls")
    vals = st.load_dataset(db).values
    got = dict(zip(zip(vals["data_element"], vals["year"]), vals["value"]))
    want = {(v["data_element"], v["year"]): v["value"] for v in ref.values}
    assert got == pytest.approx(want, nan_ok=True)


# ----------------------------------------------------------------------------- crashes and concurrency


def test_an_ingest_killed_inside_its_transaction_leaves_the_last_committed_state(tmp_path, books):
    db = tmp_path / "s.duckdb"
    ingest_files([books.good], db, received="2021-02-15")
    before = digests(db)
    proc = nrlib_cli("ingest", books.other, "--db", db, env={"NRLIB_TEST_PAUSE_IN_TRANSACTION": "60"})
    try:
        wait_for(proc, "pausing")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert digests(db) == before                       # opens, and is exactly as last committed
    [again] = ingest_files([books.other], db, received="2021-02-15")   # nothing half-done blocks a re-run
    assert again.outcome == "accepted" and again.version == 1


def test_two_concurrent_ingests_both_end_up_stored(tmp_path, books):
    db = tmp_path / "s.duckdb"
    release = tmp_path / "release"
    a = nrlib_cli("ingest", books.good, "--db", db, "--received", "2021-02-15",
                  env={"NRLIB_TEST_PAUSE_IN_TRANSACTION": "60", "NRLIB_TEST_PAUSE_RELEASE": str(release)})
    try:
        wait_for(a, "pausing")                 # a is inside its transaction, holding the store
        b = nrlib_cli("ingest", books.other, "--db", db, "--received", "2021-02-16")
        try:
            wait_for(b, "đang chờ")            # b waits for a, and says so
        finally:
            release.touch()
            outs = [p.communicate(timeout=120) for p in (a, b)]
    finally:
        if a.poll() is None:
            a.kill()
    assert (a.returncode, b.returncode) == (0, 0), outs
    subs = st.load_dataset(db).submissions
    assert sorted(subs["unit_code"]) == [UNIT, OTHER] and set(subs["status"]) == {"accepted"}


def test_a_reader_waits_for_the_writer(tmp_path, books, capsys):
    """The writer is held inside its transaction until the test releases it: the reader must be waiting then
    (and say so), and must see the commit once it is let through."""
    import threading

    db = tmp_path / "s.duckdb"
    release = tmp_path / "release"
    ingest_files([books.good], db, received="2021-02-15")
    proc = nrlib_cli("ingest", books.other, "--db", db, env={"NRLIB_TEST_PAUSE_IN_TRANSACTION": "120",
                                                             "NRLIB_TEST_PAUSE_RELEASE": str(release)})
    got: dict = {}
    reader = threading.Thread(target=lambda: got.setdefault("ds", st.load_dataset(db)))
    try:
        wait_for(proc, "pausing")
        reader.start()
        reader.join(2)
        assert reader.is_alive() and "ds" not in got        # still waiting: the writer holds the store
        release.write_text("go")
        reader.join(120)
        assert set(got["ds"].submissions["unit_code"]) == {UNIT, OTHER}
    finally:
        release.write_text("go")
        proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "đang chờ để đọc" in capsys.readouterr().err


def test_readers_run_between_the_batches_of_a_long_ingest(tmp_path, books, monkeypatch, capsys):
    """The writer holds the store only while it writes a batch: while it reads the next batch's files,
    ``nrlib status`` (another process) opens the store at once and sees the batches committed so far; the
    writer then waits for a reader still holding the store and says so."""
    import threading

    import nrlib.ingest as ing

    db = tmp_path / "s.duckdb"
    reading_third, go_on = threading.Event(), threading.Event()
    real = ing.analyse_file

    def slow(path, claims, schema):
        if path == books.other:            # the third file (received together: by name), first of the second batch
            reading_third.set()
            assert go_on.wait(120)
        return real(path, claims, schema)

    monkeypatch.setattr(ing, "analyse_file", slow)
    got: dict = {}
    run = threading.Thread(target=lambda: got.setdefault("out", ingest_files(
        [books.good, books.other, books.good_v2], db, received="2021-02-15", batch_size=2, timeout=60)))
    run.start()
    try:
        assert reading_third.wait(120)
        status = subprocess.run([sys.executable, "-m", "nrlib.cli", "status", "--db", str(db), "--district", "738"],
                                capture_output=True, text=True, timeout=120, env=dict(os.environ, NRLIB_LOCK_TIMEOUT="5"))
        assert status.returncode == 0, status.stderr
        assert "đang chờ" not in status.stderr            # it did not have to wait for the writer
        ds = st.load_dataset(db)
        assert sorted(zip(ds.submissions["unit_code"], ds.submissions["version"])) == [(UNIT, 1), (UNIT, 2)]
        holder = subprocess.Popen(        # another program that keeps the store open for a while…
            [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
             "print('open', flush=True); time.sleep(3); c.close()", str(db)], stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "open"
    finally:
        go_on.set()
        run.join(120)
    holder.communicate(timeout=60)
    assert "đang chờ để ghi" in capsys.readouterr().err       # the writer waited for it, and said so
    assert [(o.unit_code, o.version) for o in got["out"]] == [(UNIT, 1), (UNIT, 2), (OTHER, 1)]  # …only delays
    assert sorted(st.load_dataset(db).submissions["unit_code"]) == [UNIT, UNIT, OTHER]        # the last batch


def test_a_file_that_cannot_be_opened_is_named_before_any_work(tmp_path, books, monkeypatch):
    """A received file nrlib may not read (permissions, another program holding it) stops the run before
    anything is read or stored, with one line naming it; it is not a failed *write*."""
    import builtins

    import nrlib.ingest as ing

    real = builtins.open

    def guarded(file, *a, **kw):
        if Path(file) == books.other:
            raise PermissionError(13, "Permission denied", str(file))
        return real(file, *a, **kw)

    monkeypatch.setattr(ing, "open", guarded, raising=False)     # the module's own lookups of open()
    db = tmp_path / "s.duckdb"
    with pytest.raises(IngestUsageError, match=r"không mở được để đọc 1 tệp \(Permission denied\): .*quang-trung"):
        ingest_files([books.good, books.other], db, received="2021-02-15")
    assert not db.exists()


def test_a_file_gone_in_the_middle_of_a_run_says_what_was_stored(tmp_path, books, monkeypatch):
    import nrlib.ingest as ing

    real = ing.sha256_file

    def vanishing(path):
        if path == books.other:
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real(path)

    monkeypatch.setattr(ing, "sha256_file", vanishing)
    db = tmp_path / "s.duckdb"
    with pytest.raises(IngestUsageError, match="Lần chạy này đã lưu 2 tệp; 1 tệp chưa được lưu"):
        ingest_files([books.good, books.good_v2, books.other], db, received="2021-02-15", batch_size=2)
    assert len(st.load_dataset(db).submissions) == 2


def test_worker_processes_give_the_same_store_as_one_process(tmp_path, sample_dir, monkeypatch):
    """Reading and validating in parallel must not change any outcome (outliers and versions stay ordered)."""
    import shutil

    import nrlib.ingest as ing
    from nrlib import find_unit, load_units, sample_content, write_workbook

    folder = tmp_path / "in"
    shutil.copytree(sample_dir, folder)
    # the unit the sample leaves out sends a workbook with an extra zero or two, last
    missing = "26323"
    content = sample_content(load_units("738"), 2021)[missing]
    content["values"][("VD01", 2018)] *= 100
    write_workbook(folder / f"{missing}_late.xlsx", find_unit(missing), content=content)
    with open(folder / "received.csv", "a", encoding="utf-8") as fh:
        fh.write(f"{missing}_late.xlsx,{missing},2021-03-01\n")
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    a = ingest_files([folder], one, manifest=folder / "received.csv", workers=1)
    monkeypatch.setattr(ing, "PARALLEL_MIN_FILES", 1)
    b = ingest_files([folder], two, manifest=folder / "received.csv", workers=2)
    assert [(o.path.name, o.outcome, o.version, o.n_warnings) for o in a] == \
           [(o.path.name, o.outcome, o.version, o.n_warnings) for o in b]
    assert [(p.rule, p.location) for p in b[-1].problems] == [("W_OUTLIER", f"VanDong!{addr('VanDong', 'VD01', 2018)}")]
    tables = ("problems",) + st.ANALYSIS_TABLES
    assert digests(one, tables) == digests(two, tables)


# ----------------------------------------------------------------------------- the demo


def test_ingest_sample_folder_is_idempotent(tmp_path, sample_dir, monkeypatch, capsys):
    db = tmp_path / "data" / "nrlib.duckdb"
    monkeypatch.setenv("NRLIB_DB", str(db))
    assert ingest_sample_folder(sample_dir) == db
    first = digests(db)
    n = len(read_manifest(sample_dir / "received.csv"))
    assert len(st.load_dataset(db).submissions) == n
    assert ingest_sample_folder(sample_dir) == db
    assert digests(db) == first
    assert f"{n} đã có từ trước" in capsys.readouterr().out
    assert st.load_dataset(db).is_sample


def test_default_workers_follow_the_cpus_not_the_load(monkeypatch):
    import nrlib.ingest as ing

    monkeypatch.delenv("NRLIB_INGEST_WORKERS", raising=False)
    monkeypatch.setattr(ing.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    monkeypatch.setattr(ing.os, "getloadavg", lambda: (7.5, 7.5, 7.5), raising=False)
    assert ing.default_workers() == 2        # a busy machine still gets both CPUs' worth of workers
    monkeypatch.setattr(ing.os, "sched_getaffinity", lambda _pid: set(range(32)), raising=False)
    assert ing.default_workers() == 4
    monkeypatch.setenv("NRLIB_INGEST_WORKERS", "3")
    assert ing.default_workers() == 3
    monkeypatch.setenv("NRLIB_INGEST_WORKERS", "1000")
    assert ing.default_workers() == ing.MAX_WORKERS
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("NRLIB_INGEST_WORKERS", bad)
        with pytest.raises(ing.IngestUsageError, match="NRLIB_INGEST_WORKERS"):
            ing.default_workers()


def test_an_ingest_leaves_the_garbage_collector_as_it_found_it(tmp_path, books):
    import gc

    before = gc.get_threshold()
    ingest_files([books.good, books.broken], tmp_path / "s.duckdb", received="2021-02-15")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    foreign = tmp_path / "notes.duckdb"
    foreign.write_text("not a store", encoding="utf-8")
    with pytest.raises(NrlibError):         # refused inside the run, after the collector was changed
        ingest_files([books.good], foreign, received="2021-02-15")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_ingest_warns_about_exactly_what_the_analysis_flags_by_cell(sample_store):
    """The sample ingested in received order: the unit received last was checked at ingest against every
    other unit, so its W_OUTLIER warnings are the analysis's outlier flags, cell for cell; the unit's own
    checks (year-over-year, declared vs measured) agree for every unit."""
    from nrlib.analysis import quality
    from nrlib.analysis.thresholds import declared_vs_measured
    from nrlib.store import load_dataset
    from nrlib.workbooks.layout import cell_address
    from nrlib.workbooks.sample import sample_roles

    ds = load_dataset(sample_store)
    metrics = set(ds.outline.metrics["code"])

    def cells(table, unit, sheet_of=lambda el: "VanDong" if el in metrics else "ChiTieu"):
        t = table[table["unit_code"] == unit]
        return {(sheet_of(el), cell_address(ds.outline, sheet_of(el), el, int(y)))
                for el, y in zip(t["data_element"], t["year"])}

    def warned(unit, rule):
        p = ds.problems[(ds.problems["unit_code"] == unit) & (ds.problems["rule"] == rule)]
        return set(zip(p["sheet"], p["cell"]))

    subs = ds.submissions.sort_values(["received_date", "submission_id"])
    last = subs["unit_code"].iloc[-1]
    assert last == sample_roles(ds.units)["wrong_unit"]       # the planted error sits in the last unit
    outliers = quality.outliers(ds)
    assert warned(last, "W_OUTLIER") == cells(outliers, last) != set()
    flags = quality.quality_flags(ds)
    mine = flags[(flags["unit_code"] == last) & (flags["flag"] == "outlier")]
    messages = set(ds.problems.loc[(ds.problems["unit_code"] == last) & (ds.problems["rule"] == "W_OUTLIER"),
                                   "message"])
    assert set(mine["reason"]) == messages                      # one wording too
    yoy, dvm = quality.yoy_flags(ds), declared_vs_measured(ds)
    dvm_cells = dvm.assign(data_element=dvm["criterion_no"])
    for unit in subs["unit_code"].unique():
        assert warned(unit, "W_YOY_JUMP") == cells(yoy, unit), unit
        assert warned(unit, "W_DECLARED_VS_MEASURED") == cells(dvm_cells, unit, lambda el: "TieuChi"), unit
    assert len(dvm) == 1                                        # the sample's one planted disagreement


def test_a_report_dated_after_it_was_received_is_a_warning(tmp_path, books):
    [out] = ingest_files([books.good], tmp_path / "s.duckdb", received="2021-02-10")   # dated 15/02/2021
    assert out.outcome == "accepted"
    assert [(p.rule, p.location) for p in out.problems] == [
        ("W_REPORT_DATE_AFTER_RECEIVED", f"ThongTin!{addr('ThongTin', 'report_date', 'value')}")]
    assert "15/02/2021" in out.problems[0].message and "10/02/2021" in out.problems[0].message


def test_what_a_folder_held_that_is_not_a_workbook_is_named(tmp_path, books, capsys):
    only = tmp_path / "nhan"
    only.mkdir()
    (only / "danh-sach.csv").write_text("a,b\n", encoding="utf-8")
    (only / "cong-van.pdf").write_bytes(b"%PDF-1.4")
    assert main(["ingest", str(only), "--db", str(tmp_path / "s.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "không có tệp bảng tính" in err and "danh-sach.csv" in err and "cong-van.pdf" in err
    assert not (tmp_path / "s.duckdb").exists()                  # nothing written
    shutil.copy(books.good, only / books.good.name)
    assert main(["ingest", str(only), "--db", str(tmp_path / "s.duckdb"), "--received", "2021-02-15"]) == 0
    err = capsys.readouterr().err
    assert "bỏ qua 2 tệp" in err and "cong-van.pdf" in err


def test_a_decomposed_file_name_matches_its_manifest_line(tmp_path, books):
    """macOS and some zip tools write names decomposed (NFD): they look like the manifest's, and are matched."""
    folder = tmp_path / "nhan"
    folder.mkdir()
    name = f"{UNIT}_báo cáo xã Gia Kiệm.xlsx"
    shutil.copy(books.good, folder / unicodedata.normalize("NFD", name))
    manifest = folder / "received.csv"
    manifest.write_text(f"file_name,unit_code,received_date\n{unicodedata.normalize('NFC', name)},{UNIT},15/02/2021\n",
                        encoding="utf-8")
    [out] = ingest_files([folder], tmp_path / "s.duckdb", manifest=manifest)
    assert out.outcome == "accepted" and str(out.received_date) == "2021-02-15"


def test_python_dash_m_nrlib_is_the_command():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "nrlib", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("nrlib ")


@pytest.mark.parametrize("interrupt", ["duckdb", "runtime"])
def test_a_ctrl_c_that_duckdb_reports_stops_the_ingest_and_stores_nothing(sample_dir, tmp_path, monkeypatch, interrupt):
    """A Ctrl-C landing inside a DuckDB statement comes back as DuckDB's own error (InterruptException in 1.x,
    RuntimeError('Query interrupted') in 2.x): the ingest stops as for any Ctrl-C; it is not taken for a file the
    store refuses (which retried the batch file by file: a Ctrl-C that did not stop, seen in the fault test)."""
    import duckdb

    from nrlib import ingest as ing

    files = sorted(sample_dir.glob("*.xlsx"))[:3]
    db = tmp_path / "s.duckdb"
    calls = []

    def interrupted(con, batch):
        calls.append(len(batch))
        raise (duckdb.InterruptException("INTERRUPT Error: Interrupted!") if interrupt == "duckdb"
               else RuntimeError("Query interrupted"))

    monkeypatch.setattr(ing.store, "add_submissions", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest_files(files, db, received="2021-02-12", workers=1)
    assert calls == [3]                              # once, the whole batch: no retry file by file
    monkeypatch.undo()
    if db.exists():
        with st.open_store(db, read_only=True) as con:
            assert con.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
