"""nrlib.export and ``nrlib export``: tidy CSVs of the latest accepted data, safe in Excel."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from ingest_fixtures import OTHER, UNIT

from nrlib import store
from nrlib.cli import main
from nrlib.export import EXPORTS, default_exports, export_tables, neutralise, register_export, write_tables
from nrlib.ingest import ingest_files


@pytest.fixture(scope="module")
def db(tmp_path_factory, books):
    path = tmp_path_factory.mktemp("export") / "s.duckdb"
    ingest_files([books.good, books.other], path, received="2021-02-15")
    ingest_files([books.good_v2, books.broken], path, received="2021-02-17")
    # a received file name is untrusted text: one that a spreadsheet would run as a formula
    evil = books.dir / "=HYPERLINK(1).xlsx"
    evil.write_bytes(books.town.read_bytes())
    ingest_files([evil], path, received="2021-02-17")
    return path


def test_export_tables_hold_the_latest_accepted_data(db):
    ds = store.load_dataset(db)
    tables = export_tables(ds)
    assert list(tables) == ["values.csv", "criteria_status.csv", "urban_status.csv", "problems.csv", "submissions.csv",
                            "maintenance.csv", "campaign_totals.csv", "quality_flags.csv", "scores.csv",
                            "score_contents.csv", "score_rules.csv", "scoring_table.csv"]
    assert set(tables["maintenance.csv"]["unit_code"]) == set(ds.units["unit_code"])   # every expected unit
    values = tables["values.csv"]
    assert list(values.columns) == ["unit_code", "year", "data_element", "value", "submission_version"]
    assert set(zip(values["unit_code"], values["submission_version"])) == {(UNIT, 2), (OTHER, 1), ("26326", 1)}
    assert list(tables["criteria_status.csv"].columns) == ["unit_code", "year", "criterion_no", "status"]
    problems = tables["problems.csv"]
    # the broken file's name says OTHER sent it: OTHER's second version, rejected
    assert set(problems["unit_code"]) == {OTHER} and set(problems["submission_version"]) == {2}
    subs = tables["submissions.csv"]
    assert len(subs) == 5 and subs["is_current"].sum() == 3


def test_the_relative_ranking_is_exported_only_when_the_district_asks(db, tmp_path, monkeypatch):
    ds = store.load_dataset(db)
    assert "relative_ranking.csv" in EXPORTS and "relative_ranking.csv" not in default_exports()
    f = tmp_path / "district_settings.yaml"
    f.write_text("scoring:\n  relative_ranking: true\n", encoding="utf-8")
    monkeypatch.setenv("NRLIB_DISTRICT_SETTINGS", str(f))
    tables = export_tables(ds)
    assert list(tables)[-1] == "relative_ranking.csv" and "rank" in tables["relative_ranking.csv"].columns
    assert set(tables["scores.csv"]["unit_code"]) == set(tables["relative_ranking.csv"]["unit_code"])


def test_neutralise_prefixes_formula_like_text_only():
    df = pd.DataFrame({"text": ["=1+1", "+84 123", "-5", "@SUM(A1)", "\tx", "\rx", "an toàn", None],
                       "number": [-5.0, 1, 2, 3, 4, 5, 6, 7]})
    out = neutralise(df)
    assert list(out["text"][:7]) == ["'=1+1", "'+84 123", "'-5", "'@SUM(A1)", "'\tx", "'\rx", "an toàn"]
    assert pd.isna(out["text"][7])
    assert list(out["number"]) == list(df["number"])      # numbers stay numbers
    assert df["text"][0] == "=1+1"                         # the input is not modified


def test_cli_export_writes_utf8_bom_csvs_and_metadata(db, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", "--db", str(db), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(printed) == sorted(str(out / n) for n in default_exports())
    raw = (out / "submissions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    subs = pd.read_csv(out / "submissions.csv", encoding="utf-8-sig", dtype=str)
    assert "'=HYPERLINK(1).xlsx" in set(subs["file_name"])
    problems = pd.read_csv(out / "problems.csv", encoding="utf-8-sig", dtype=str)
    assert "'-100" in set(problems["value"])              # the raw "-100" typed in a cell
    assert not any(str(v).startswith(("=", "+", "-", "@")) for col in problems for v in problems[col].dropna())
    values = pd.read_csv(out / "values.csv", encoding="utf-8-sig", dtype={"unit_code": str})
    assert values["value"].dtype.kind == "f"
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert meta["district_code"] == "738" and meta["data_version"].startswith("audit ")
    assert meta["files"] == default_exports() and meta["is_sample"] is False
    assert {i["role"] for i in meta["inputs"]} >= {"outline", "criteria", "levels", "ranking"}
    assert all(len(i["sha256"]) == 64 for i in meta["inputs"])


def test_more_tables_can_be_registered(db, tmp_path):
    @register_export("units_test.csv")
    def units_table(ds, cache):
        return ds.units[["unit_code", "name"]]

    try:
        tables = export_tables(store.load_dataset(db))
        assert len(tables["units_test.csv"]) == 10
        paths = write_tables({"units_test.csv": tables["units_test.csv"]}, tmp_path)
        assert paths == [tmp_path / "units_test.csv"]
    finally:
        EXPORTS.pop("units_test.csv")
    for bad in ("../x.csv", "x.txt", "a/b.csv"):
        with pytest.raises(ValueError):
            register_export(bad)


def test_unknown_export_name_is_an_error(db):
    with pytest.raises(KeyError, match="nope.csv"):
        export_tables(store.load_dataset(db), ["nope.csv"])
