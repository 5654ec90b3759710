"""nrlib.status and ``nrlib status``: per-unit timeliness and the reporting rates."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from ingest_fixtures import OTHER, UNIT

from nrlib import load_units, store
from nrlib.cli import main
from nrlib.ingest import ingest_files, ingest_sample_folder
from nrlib.status import format_table, render_status, unit_status


@pytest.fixture(scope="module")
def db(tmp_path_factory, books):
    """UNIT on time then corrected after the deadline, OTHER late, TOWN rejected, seven units missing."""
    path = tmp_path_factory.mktemp("status") / "s.duckdb"
    ingest_files([books.good], path, received="2021-02-18")
    ingest_files([books.good_v2], path, received="2021-02-22")
    ingest_files([books.other], path, received="2021-02-23")
    ingest_files([books.unreadable], path, received="2021-02-10")   # claims UNIT by its file name
    return path


def test_unit_status_judges_timeliness_on_the_first_version(db):
    table, totals = unit_status(store.load_dataset(db))
    t = table.set_index("unit_code")
    assert t.loc[UNIT, "timeliness"] == "on_time"       # the first version came in by the deadline
    assert t.loc[UNIT, "n_versions"] == 3 and t.loc[UNIT, "latest_status"] == "rejected"
    assert t.loc[OTHER, "timeliness"] == "late" and t.loc[OTHER, "days_late"] == 5
    assert (t["timeliness"] == "missing").sum() == 8
    assert totals["expected"] == 10 and totals["received"] == 2 and totals["on_time"] == 1
    assert totals["reporting_rate"] == pytest.approx(20.0) and totals["on_time_rate"] == pytest.approx(10.0)
    assert totals["accepted"] == 1


def test_a_later_deadline_changes_timeliness(db):
    table, totals = unit_status(store.load_dataset(db), deadline=dt.date(2021, 3, 1))
    assert totals["late"] == 0 and totals["on_time"] == 2


def test_table_output_is_vietnamese(db):
    text = render_status(db)
    assert "hạn nộp 18/02/2021" in text and "Huyện Thống Nhất" in text
    lines = {line.split()[0]: line for line in text.splitlines() if line[:5].isdigit()}
    assert "trễ hạn 5 ngày" in lines[OTHER] and "23/02/2021" in lines[OTHER]
    assert "đúng hạn" in lines[UNIT] and "bị từ chối" in lines[UNIT]
    assert "chưa nộp" in lines["26299"]
    assert "đã nộp 2 (20%)" in text and "đúng hạn 1 (10%)" in text


def test_csv_and_json_outputs(db):
    df = pd.read_csv(io.StringIO(render_status(db, fmt="csv")), dtype={"unit_code": str})
    assert len(df) == 10 and set(df["timeliness"]) == {"on_time", "late", "missing"}
    data = json.loads(render_status(db, fmt="json"))
    assert data["totals"]["expected"] == 10
    assert {u["unit_code"]: u["timeliness"] for u in data["units"]}[OTHER] == "late"
    assert data["units"][0]["first_received_date"] is None or isinstance(data["units"][0]["first_received_date"], str)


def test_format_table_handles_no_submission_at_all():
    units = load_units("738")
    from nrlib.analysis.timeliness import reporting_rates, timeliness

    table = timeliness(units, pd.DataFrame(columns=["unit_code", "version", "received_date", "status",
                                                    "n_errors", "n_warnings"]), dt.date(2021, 2, 18))
    totals = dict(reporting_rates(table), deadline="2021-02-18", district_name="Huyện Thống Nhất")
    text = format_table(table, totals)
    assert text.count("chưa nộp") == 11   # ten rows and the totals line
    assert "đã nộp 0 (0%)" in text


def test_cli_status(db, capsys):
    assert main(["status", "--db", str(db), "--deadline", "01/03/2021", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["late"] == 0
    assert main(["status", "--db", str(db.parent / "none.duckdb")]) == 2
    assert "nrlib ingest" in capsys.readouterr().err


def test_status_on_the_sample_shows_the_late_and_the_missing_unit(tmp_path, sample_dir, capsys):
    from nrlib.workbooks.sample import sample_roles

    db = tmp_path / "nrlib.duckdb"
    ingest_sample_folder(sample_dir, db)
    roles = sample_roles(load_units("738"))
    capsys.readouterr()
    assert main(["status", "--db", str(db)]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line[:5].isdigit()}
    assert len(lines) == 10
    assert "chưa nộp" in lines[roles["missing"]]
    assert "trễ hạn" in lines[roles["late"]]
    others = set(lines) - {roles["missing"], roles["late"]}
    assert all("đúng hạn" in lines[c] and "đã chấp nhận" in lines[c] for c in others)
