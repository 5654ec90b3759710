"""nrlib.store: schema and migrations, locking, read-only access, the Dataset it produces."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from ingest_fixtures import OTHER, UNIT

from nrlib import StoreError, load_outline, load_units
from nrlib import store as st
from nrlib.cli import main
from nrlib.dataset import COLUMNS, Dataset
from nrlib.ingest import ingest_files
from nrlib.store import migrations


def _tables(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def test_first_open_creates_the_schema(tmp_path):
    db = tmp_path / "s.duckdb"
    with st.open_store(db, read_only=False) as con:
        assert st.schema_version(con) == migrations.SCHEMA_VERSION
        assert {"schema_version", "submissions", "data_values", "criteria_status", "problems", "audit",
                "current_submissions", "latest_submissions"} <= _tables(con)
        actions = [r[0] for r in con.execute("SELECT action FROM audit").fetchall()]
        assert actions == ["schema_migrated"] * st.SCHEMA_VERSION


def test_read_only_open_of_a_missing_store_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="nrlib ingest") as exc:
        st.open_store(tmp_path / "none.duckdb", read_only=True)
    assert "make demo" in str(exc.value)
    assert not (tmp_path / "none.duckdb").exists()
    with pytest.raises(StoreError, match="nrlib ingest"):
        st.load_dataset(tmp_path / "none.duckdb")


def test_read_only_connection_cannot_write(tmp_path):
    db = tmp_path / "s.duckdb"
    st.open_store(db, read_only=False).close()
    with st.open_store(db) as con:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM audit")


def test_a_store_from_a_newer_nrlib_is_refused(tmp_path):
    db = tmp_path / "s.duckdb"
    with st.open_store(db, read_only=False) as con:
        con.execute("INSERT INTO schema_version VALUES (99, now(), 'from the future')")
    for ro in (True, False):
        with pytest.raises(StoreError, match="99"):
            st.open_store(db, read_only=ro)


def test_an_older_store_is_migrated_when_opened(tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    st.open_store(db, read_only=False).close()

    def _m_extra(con):
        """Add a table of comments."""
        con.execute("CREATE TABLE comments (submission_id INTEGER, text VARCHAR)")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, _m_extra])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(migrations.MIGRATIONS))
    before = db.read_bytes()
    # a reader never writes, not even to upgrade: it says which command does
    with pytest.raises(StoreError, match="nrlib upgrade") as exc:
        st.open_store(db, read_only=True)
    assert f"phiên bản {migrations.SCHEMA_VERSION - 1}" in str(exc.value) and db.read_bytes() == before
    assert main(["upgrade", "--db", str(db)]) == 0
    with st.open_store(db, read_only=True) as con:
        assert st.schema_version(con) == migrations.SCHEMA_VERSION
        assert "comments" in _tables(con)
        assert con.execute("SELECT description FROM schema_version WHERE version = ?",
                           [migrations.SCHEMA_VERSION]).fetchall() == [("Add a table of comments.",)]


def test_a_store_from_before_the_marker_is_still_recognised_and_upgraded(tmp_path, monkeypatch):
    """Stores made by the nrlib before the marker (schema version 1) are nrlib's: upgraded, never refused."""
    db = tmp_path / "s.duckdb"
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 1)
    st.open_store(db, read_only=False).close()
    monkeypatch.undo()
    with pytest.raises(StoreError, match="nrlib upgrade"):
        st.open_store(db)
    with st.open_store(db, read_only=False) as con:            # a writer (ingest) upgrades it
        assert st.schema_version(con) == migrations.SCHEMA_VERSION and migrations.is_nrlib_store(con)


@pytest.mark.parametrize("command", [["status"], ["export", "--out", "x"], ["upgrade"], ["ingest", "FILE"]])
def test_a_database_that_is_not_nrlibs_is_left_alone_whatever_schema_its_tables_are_in(tmp_path, books, command,
                                                                                      capsys):
    db = tmp_path / "other.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE SCHEMA accounts")
        con.execute("CREATE TABLE accounts.ledger (id INTEGER, amount DOUBLE)")
        con.execute("INSERT INTO accounts.ledger VALUES (1, 2.5)")
    before = db.read_bytes()
    args = [str(books.good) if a == "FILE" else str(tmp_path / a) if a == "x" else a for a in command]
    assert main([*args, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "không phải kho dữ liệu của nrlib" in err and "accounts.ledger" in err
    assert db.read_bytes() == before


def test_a_failing_migration_changes_nothing(tmp_path, monkeypatch):
    db = tmp_path / "s.duckdb"
    st.open_store(db, read_only=False).close()

    def _m_broken(con):
        con.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, _m_broken])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(migrations.MIGRATIONS))
    with pytest.raises(RuntimeError, match="migration bug"):
        st.open_store(db, read_only=False)
    monkeypatch.undo()
    with st.open_store(db) as con:
        assert st.schema_version(con) == migrations.SCHEMA_VERSION
        assert "half_done" not in _tables(con)


def test_the_writer_lock_times_out_with_a_clear_message(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    with st.store_lock(db):
        with pytest.raises(StoreError, match="chạy lại"):
            with st.store_lock(db, timeout=0.3):
                pass
    assert "đang chờ" in capsys.readouterr().err
    with st.store_lock(db, timeout=0.3):   # released: taken at once
        pass


def _record(sha: str, unit: str | None = UNIT, status: str = "accepted") -> dict:
    return {"unit_code": unit, "district_code": "738", "file_name": f"{sha}.xlsx", "raw_path": f"raw/{sha}.xlsx",
            "file_format": "xlsx", "size_bytes": 10, "sha256": sha, "received_date": dt.date(2021, 2, 1),
            "status": status, "n_errors": 0, "n_warnings": 0, "is_sample": False, "outline_version": "1.0",
            "claimed_unit_code": None}


def _values(v: float) -> dict:
    return {"data_values": pd.DataFrame({"year": [2016, 2017], "data_element": ["VD11", "VD11"],
                                         "value": [v, v + 1]})}


_NO_PROBLEMS = pd.DataFrame(columns=["sheet", "cell", "rule", "severity", "message", "value"])


def test_versions_are_numbered_per_unit_and_a_batch_is_one_transaction(tmp_path):
    db = tmp_path / "s.duckdb"
    with st.open_store(db, read_only=False) as con:
        ids = st.add_submissions(con, [(_record("a"), _values(1), _NO_PROBLEMS),
                                       (_record("b", OTHER), _values(2), _NO_PROBLEMS),
                                       (_record("c"), _values(3), _NO_PROBLEMS),
                                       (_record("d", None, "rejected"), {}, _NO_PROBLEMS)])
        assert [i["version"] for i in ids] == [1, 1, 2, None]
        before = {t: st.table_digest(con, t) for t in ("submissions", "data_values", "audit")}
        # a batch whose second file repeats a checksum fails as a whole: the first file is not kept either
        with pytest.raises(duckdb.Error):
            st.add_submissions(con, [(_record("e"), _values(4), _NO_PROBLEMS),
                                     (_record("a"), _values(5), _NO_PROBLEMS)])
        assert {t: st.table_digest(con, t) for t in before} == before
        cur = con.execute("SELECT unit_code, version FROM current_submissions ORDER BY 1").fetchall()
        assert cur == [(UNIT, 2), (OTHER, 1)]


def test_rejected_submission_adds_nothing_to_analysis_tables(tmp_path):
    db = tmp_path / "s.duckdb"
    with st.open_store(db, read_only=False) as con:
        st.add_submission(con, _record("a"), _values(1), _NO_PROBLEMS)
        before = {t: st.table_digest(con, t) for t in st.ANALYSIS_TABLES}
        problems = pd.DataFrame([{"sheet": "VanDong", "cell": "D14", "rule": "E_RANGE", "severity": "error",
                                  "message": "m", "value": "-5"}])
        rec = dict(_record("b", status="rejected"), n_errors=1)
        got = st.add_submission(con, rec, _values(9), problems)
        assert got["version"] == 2
        assert {t: st.table_digest(con, t) for t in st.ANALYSIS_TABLES} == before
        assert con.execute("SELECT rule, cell FROM problems").fetchall() == [("E_RANGE", "D14")]
        assert con.execute("SELECT version FROM current_submissions").fetchall() == [(1,)]
        assert con.execute("SELECT version FROM latest_submissions").fetchall() == [(2,)]


def test_load_dataset_meets_the_dataset_contract(tmp_path, books):
    db = tmp_path / "s.duckdb"
    ingest_files([books.good, books.other], db, received="2021-02-15")
    ingest_files([books.good_v2, books.broken], db, received="2021-02-20")
    ds = st.load_dataset(db)
    assert isinstance(ds, Dataset)
    for name, cols in COLUMNS.items():
        assert set(cols) <= set(getattr(ds, name).columns), name
    assert list(ds.units["unit_code"]) == list(load_units("738")["unit_code"])   # expected: all ten
    assert len(ds.unit_years) == 10 * 5
    assert not ds.levels.empty and set(ds.levels["scope"]) <= {"738", "75", "dnb"}
    subs = ds.submissions.set_index(["unit_code", "version"])
    assert subs.loc[(UNIT, 2), "is_current"] and not subs.loc[(UNIT, 1), "is_current"]
    # the broken file's name says OTHER sent it: OTHER's second version, rejected, its first still current
    assert subs.loc[(OTHER, 2), "status"] == "rejected" and subs.loc[(OTHER, 2), "is_latest"]
    assert not subs.loc[(OTHER, 2), "is_current"] and subs.loc[(OTHER, 1), "is_current"]
    assert set(ds.values["submission_id"]) == {int(subs.loc[(UNIT, 2), "submission_id"]),
                                               int(subs.loc[(OTHER, 1), "submission_id"])}
    assert ds.values["year"].dtype.kind == "i" and ds.values["value"].dtype.kind == "f"
    assert set(ds.criteria_status["status"]) <= {"reached", "not_reached", "not_applicable", None}
    # problems are those of each unit's latest version: the rejected one for OTHER
    assert set(ds.problems["submission_id"]) == {int(subs.loc[(OTHER, 2), "submission_id"])}
    assert ds.data_version.startswith("audit ")
    assert ds.deadline == dt.date(2021, 2, 18)
    assert ds.meta["district_code"] == "738"
    assert len(ds.meta["notes"]) == 2   # one "Ghi chú" per current submission


def test_load_dataset_needs_a_district_when_the_store_is_empty(tmp_path):
    db = tmp_path / "s.duckdb"
    st.open_store(db, read_only=False).close()
    with pytest.raises(StoreError, match="nrlib ingest"):
        st.load_dataset(db)
    ds = st.load_dataset(db, district_code="738")       # every unit expected, none received
    assert len(ds.units) == 10 and ds.submissions.empty and ds.values.empty


def test_content_tables_hold_one_row_per_cell(tmp_path, books):
    """No primary keys on the content tables (bulk inserts): the uniqueness is checked here instead."""
    db = tmp_path / "s.duckdb"
    ingest_files([books.good, books.messy, books.other, books.town], db, received="2021-02-15")
    keys = {"data_values": "submission_id, year, data_element", "criteria_status": "submission_id, year, criterion_no",
            "problems": "submission_id, seq", "info": "submission_id, key",
            "narratives": "submission_id, section_code", "proposals": "submission_id, seq"}
    with st.open_store(db) as con:
        for table, key in keys.items():
            dup = con.execute(f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
                              ).fetchall()[0][0]
            assert dup == 0, table
        n_values = con.execute("SELECT count(*) FROM data_values").fetchall()[0][0]
    outline = load_outline(version="1.0")      # the books are version 1 workbooks
    per_book = (len(outline.sheet("VanDong")["metrics"]) + len(outline.sheet("ChiTieu")["rows"])) * 5
    assert n_values == 4 * per_book


def test_nothing_unix_only_is_imported_with_the_commands_and_the_notebooks():
    """On Windows there is no fcntl, resource or termios: the commands, the store and the notebooks still load."""
    import subprocess
    import sys

    code = ("import sys\n"
            "for name in ('fcntl', 'resource', 'termios'): sys.modules[name] = None\n"
            "import nrlib.cli, nrlib.ingest, nrlib.status, nrlib.export, nrlib.store, nrlib.explore\n"
            "import nrlib.reports.batch, nrlib.reports.params\n"
            "from nrlib.store import store_lock\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]
