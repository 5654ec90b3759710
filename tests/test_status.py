"""nrlib.status and ``nrlib status``: per-unit timeliness and the reporting rates."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
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


# ------------------------------------------------------------------ the pandas-free path of `nrlib status`
#
# `nrlib status` reads the store as plain rows (nrlib.store.rows) and applies the timeliness rules row by row
# (timeliness_rows), so that it never imports pandas. What it prints must be what the frames give: the
# oracle below is the output as it was computed from a loaded Dataset (unit_status, DataFrame.to_csv).


def _from_dataset(db, fmt, district_code=None, deadline=None) -> str:
    """``nrlib status`` output computed from frames: load_dataset, unit_status, pandas' CSV."""
    from nrlib.status import _json_records

    ds = store.load_dataset(db, district_code=district_code)
    table, totals = unit_status(ds, deadline)
    if fmt == "table":
        return format_table(table, totals, ds.meta["unassigned"])
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    return json.dumps({"totals": totals, "units": _json_records(table),
                       "unassigned": _json_records(ds.meta["unassigned"])}, ensure_ascii=False, indent=2)


@pytest.fixture(scope="module")
def db_with_unassigned(tmp_path_factory, books):
    """Two units (one of them twice, the second version rejected, another late) and two files of no known unit
    (one with a comma and quotes in its name)."""
    folder = tmp_path_factory.mktemp("unassigned-books")
    junk = folder / 'bao cao, "khong ro".xlsx'
    junk.write_bytes(b"not a workbook")
    other_junk = folder / "khac.xlsx"
    other_junk.write_bytes(b"not a workbook either")
    path = folder / "u.duckdb"
    ingest_files([books.good], path, received="2021-02-18")
    ingest_files([junk], path, received="2021-02-11")
    ingest_files([books.other], path, received="2021-02-23")
    ingest_files([books.unreadable], path, received="2021-02-10")
    ingest_files([other_junk], path, received="2021-03-01")
    return path


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("deadline", [None, dt.date(2021, 2, 1), dt.date(2021, 2, 23), dt.date(2021, 3, 1)])
def test_status_from_the_store_is_what_the_frames_give(db, db_with_unassigned, fmt, deadline):
    for path in (db, db_with_unassigned):
        assert render_status(path, fmt=fmt, deadline=deadline) == _from_dataset(path, fmt, deadline=deadline)
    assert render_status(db, fmt=fmt, district_code="738") == _from_dataset(db, fmt, district_code="738")


def test_status_lists_the_files_of_no_known_unit(db_with_unassigned):
    text = render_status(db_with_unassigned)
    assert text.splitlines()[-1] == ('Ngoài ra 2 tệp không xác định được đơn vị (bị từ chối): '
                                     'bao cao, "khong ro".xlsx, khac.xlsx')
    data = json.loads(render_status(db_with_unassigned, fmt="json"))
    assert [u["file_name"] for u in data["unassigned"]] == ['bao cao, "khong ro".xlsx', "khac.xlsx"]
    assert data["unassigned"][0]["received_date"] == "2021-02-11T00:00:00"   # as the frame's timestamp printed


def test_status_refuses_what_load_dataset_refuses(tmp_path, db, books):
    from nrlib.exceptions import StoreError, UnknownDistrictError

    with pytest.raises(StoreError, match="chưa có kho dữ liệu"):
        render_status(tmp_path / "none.duckdb")
    with pytest.raises(UnknownDistrictError, match="999"):
        render_status(db, district_code="999")
    only_unknown = tmp_path / "junk.duckdb"
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    ingest_files([junk], only_unknown, received="2021-02-11")
    for call in (lambda: render_status(only_unknown), lambda: store.load_dataset(only_unknown)):
        with pytest.raises(StoreError, match="chưa có báo cáo của đơn vị nào"):
            call()


_CODES = ["26299", "26302", "26305", "26308"]
_submission = hs.fixed_dictionaries({
    "unit_code": hs.sampled_from(_CODES + ["99999"]),       # one unit that is not expected
    "version": hs.integers(1, 4),
    "received_date": hs.dates(dt.date(2021, 1, 1), dt.date(2021, 4, 30)),
    "status": hs.sampled_from(["accepted", "rejected"]),
    "n_errors": hs.integers(0, 5), "n_warnings": hs.integers(0, 5),
})


@settings(max_examples=150, deadline=None)
@given(subs=hs.lists(_submission, max_size=12), deadline=hs.dates(dt.date(2021, 1, 15), dt.date(2021, 3, 31)),
       n_units=hs.integers(0, len(_CODES)))
def test_timeliness_rows_follow_the_rules_of_the_frames(subs, deadline, n_units):
    from nrlib.analysis.timeliness import (
        TIMELINESS_COLUMNS,
        reporting_rates,
        reporting_rates_rows,
        timeliness,
        timeliness_rows,
    )
    from nrlib.status import _json_records

    units = [{"unit_code": c, "name": f"Xã {c}"} for c in _CODES[:n_units]]
    frame = timeliness(pd.DataFrame(units, columns=["unit_code", "name"]),
                       pd.DataFrame(subs, columns=["unit_code", "version", "received_date", "status", "n_errors",
                                                   "n_warnings"]), deadline)
    rows = timeliness_rows(units, subs, deadline)
    assert tuple(frame.columns) == TIMELINESS_COLUMNS
    assert _json_records(rows) == _json_records(frame)
    assert reporting_rates_rows(rows) == reporting_rates(frame)


def test_the_registry_and_the_deadline_read_without_pandas_are_the_frames():
    from nrlib import config
    from nrlib.reference import load_outline
    from nrlib.reference.files import read_csv, read_csv_rows
    from nrlib.reference.outline import outline_deadline
    from nrlib.reference.unit_rows import unit_rows

    for code in ("738", 738, "1", "0738"):
        assert unit_rows(code) == load_units(code).to_dict("records")
    assert outline_deadline() == load_outline().deadline
    for path in sorted(config.reference_dir().glob("*.csv")):
        assert list(read_csv_rows(str(path))) == read_csv(str(path)).to_dict("records"), path.name


def test_working_days_when_the_district_counts_them(db, tmp_path, monkeypatch):
    """OTHER was received Tuesday 23/02/2021 against Thursday 18/02: 5 calendar days, 3 working days (19, 22, 23)."""
    f = tmp_path / "district_settings.yaml"
    f.write_text("timeliness:\n  count_days: working\n", encoding="utf-8")
    monkeypatch.setenv("NRLIB_DISTRICT_SETTINGS", str(f))
    lines = {line.split()[0]: line for line in render_status(db).splitlines() if line[:5].isdigit()}
    assert "trễ hạn 3 ngày làm việc" in lines[OTHER]
    units = {u["unit_code"]: u for u in json.loads(render_status(db, fmt="json"))["units"]}
    assert units[OTHER]["days_late"] == 3 and units[OTHER]["days_counted"] == "working"
    table, _ = unit_status(store.load_dataset(db))
    assert table.set_index("unit_code").loc[OTHER, "days_late"] == 3
