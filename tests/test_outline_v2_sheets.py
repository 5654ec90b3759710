"""Outline version 2's two sheets of issue #14: the self-score (TuCham) and the town's urban declaration
(VanMinhDoThi). Each from the reference data to the template, the reading at the cell, the store and what the
reports show; a version 1 workbook, which has neither, still accepted with "không có số liệu"."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import nrlib
from nrlib.analysis import scoring, urban
from nrlib.intake.reader import read_workbook
from nrlib.intake.schema import compile_schemas
from nrlib.intake.validate import validate_workbook
from nrlib.present import scoring as present_scoring
from nrlib.present.narrative import urban_sentences
from nrlib.reference import load_outline
from nrlib.reference.scoring import load_scoring_table
from nrlib.reference.urban import load_urban_criteria
from nrlib.store import load_dataset
from nrlib.workbooks.layout import cell_address
from nrlib.workbooks.sample import sample_content, sample_roles
from nrlib.workbooks.template import write_workbook

XA, TOWN = "26308", "26326"         # Xã Gia Kiệm; Thị trấn Dầu Giây (xã Xuân Thạnh until 01/07/2019)
XA_YEARS, TOWN_YEARS = (2016, 2017, 2018), (2019, 2020)


@pytest.fixture(scope="module")
def v2():
    return load_outline()


@pytest.fixture(scope="module")
def schemas():
    return compile_schemas()


@pytest.fixture(scope="module")
def contents(v2):
    return sample_content(nrlib.load_units("738"), 2021, v2)


def _tc(v2, key: str) -> str:
    return "TuCham!" + cell_address(v2, "TuCham", key, "value")


def _vm(v2, code: str, year: int) -> str:
    return "VanMinhDoThi!" + cell_address(v2, "VanMinhDoThi", code, year)


def _write(tmp_path, content, unit=XA, name="x.xlsx", cells=None, edit=None):
    path = write_workbook(tmp_path / name, nrlib.find_unit(unit), content=dict(content, overrides=cells or {}))
    if edit:
        wb = openpyxl.load_workbook(path)
        edit(wb)
        wb.save(path)
    return path


def _validate(path, schemas):
    return validate_workbook(read_workbook(path, keep=schemas.reads_sheet), schemas)


def _found(res) -> set[tuple[str, str]]:
    return {(p.rule, p.location) for p in res.problems}


# ----------------------------------------------------------------------------- one source of truth


def test_every_content_of_the_scoring_table_has_a_tucham_field_bounded_by_its_points(v2):
    """The scoring table names each content's cell (``self_score``); that cell is a TuCham field labelled with
    the content's name, from 0 to the content's điểm chuẩn; TuCham has no field naming no content."""
    table = load_scoring_table()
    fields = {f["key"]: f for f in v2.sheet("TuCham")["fields"]}
    by_cell = {c.self_score: c for c in table.contents}
    assert None not in by_cell and len(by_cell) == len(table.contents)
    assert set(by_cell) == set(fields)
    for key, f in fields.items():
        content = by_cell[key]
        assert f["label"] == content.name, key
        assert f["type"] == "number" and not f.get("required") and not (f.get("rules") or {}).get("integer")
        assert f["rules"]["ge"] == 0 and f["rules"]["le"] == content.max_points, key


# ----------------------------------------------------------------------------- templates


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    d = tmp_path_factory.mktemp("v2-sheets")
    return {code: openpyxl.load_workbook(write_workbook(d / f"{code}.xlsx", nrlib.find_unit(code)))
            for code in (XA, TOWN)}


def test_a_town_s_template_has_the_urban_sheet_its_xa_years_locked_a_xa_s_has_none(blank, v2):
    assert "VanMinhDoThi" not in blank[XA].sheetnames and "TuCham" in blank[XA].sheetnames
    names = blank[TOWN].sheetnames
    assert names.index("VanMinhDoThi") == names.index("TieuChi") + 1
    ws = blank[TOWN]["VanMinhDoThi"]
    codes = list(dict.fromkeys(load_urban_criteria().sort_values("criterion_no")["criterion_code"]))
    assert codes == ["VM1", "VM2", "VM3", "VM4", "VM5"]
    for code in codes:
        for y in XA_YEARS:
            c = ws[cell_address(v2, "VanMinhDoThi", code, y)]
            assert c.value == "Không áp dụng" and c.protection.locked, (code, y)
        for y in TOWN_YEARS:
            c = ws[cell_address(v2, "VanMinhDoThi", code, y)]
            assert c.value is None and not c.protection.locked, (code, y)
    [dv] = [d for d in ws.data_validations.dataValidation if "Đạt" in (d.formula1 or "")]
    town_cells = {cell_address(v2, "VanMinhDoThi", c, y) for c in codes for y in TOWN_YEARS}
    assert {str(r) for r in dv.sqref.ranges} and all(dv.sqref.__contains__(a) for a in town_cells)
    assert not any(dv.sqref.__contains__(cell_address(v2, "VanMinhDoThi", "VM1", y)) for y in XA_YEARS)


def test_the_self_score_sheet_shows_each_content_and_its_points_and_takes_decimals(blank, v2):
    ws = blank[XA]["TuCham"]
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == ["Nội dung chấm điểm", "Điểm chuẩn", "Điểm tự chấm"]
    table = load_scoring_table()
    for content in table.contents:
        value = ws[cell_address(v2, "TuCham", content.self_score, "value")]
        row = value.row
        assert (ws.cell(row, 1).value, ws.cell(row, 2).value) == (content.name, content.max_points)
        assert ws.cell(row, 2).protection.locked and not value.protection.locked
    dvs = {(d.type, d.formula1, d.formula2) for d in ws.data_validations.dataValidation}
    assert ("decimal", "0", "20") in dvs and ("decimal", "0", "5") in dvs


# ----------------------------------------------------------------------------- reading at the cell


def test_a_filled_town_workbook_is_read_whole(tmp_path, contents, v2, schemas):
    content = dict(contents[TOWN])
    content["info"] = dict(content["info"], **{"TC.II.1": "17,5", "TC.I": None})      # typed as text, and blank
    res = _validate(_write(tmp_path, content, TOWN), schemas)
    assert res.accepted, res.problems
    assert res.info["TC.II.1"] == "17.5" and res.info["TC.I"] is None
    got = {(u["criterion_code"], u["year"]): u["status"] for u in res.urban_status}
    assert got[("VM1", 2019)] == "not_reached" and got[("VM2", 2020)] == "reached"
    assert {got[(c, y)] for c in ("VM1", "VM5") for y in XA_YEARS} == {"not_applicable"}
    assert len(got) == 5 * 5


def test_bad_self_scores_are_refused_at_their_cells(tmp_path, contents, v2, schemas):
    def edit(wb):
        ws = wb["TuCham"]
        pct = ws[cell_address(v2, "TuCham", "TC.II.3", "value")]
        pct.value, pct.number_format = 0.085, "0.0%"                # "8,5%" typed in a points cell
        ws[cell_address(v2, "TuCham", "TC.NTM", "value")].value = "#DIV/0!"

    cells = {("TuCham", cell_address(v2, "TuCham", "TC.II.1", "value")): 20.5,        # above its 20 points
             ("TuCham", cell_address(v2, "TuCham", "TC.II.2", "value")): -1,
             ("TuCham", cell_address(v2, "TuCham", "TC.I", "value")): "tám điểm",
             ("TuCham", cell_address(v2, "TuCham", "TC.II.5", "value")): "=5+3",       # never computed
             ("TuCham", cell_address(v2, "TuCham", "TC.BC", "value")): 5}              # at its maximum: fine
    res = _validate(_write(tmp_path, contents[XA], cells=cells, edit=edit), schemas)
    found = _found(res)
    assert ("E_RANGE", _tc(v2, "TC.II.1")) in found and ("E_RANGE", _tc(v2, "TC.II.2")) in found
    assert ("E_TYPE_NUMBER", _tc(v2, "TC.I")) in found
    assert ("E_PERCENT_UNIT", _tc(v2, "TC.II.3")) in found
    assert ("E_FORMULA_NO_VALUE", _tc(v2, "TC.II.5")) in found
    assert ("E_CELL_ERROR", _tc(v2, "TC.NTM")) in found
    assert not {loc for _, loc in found if loc == _tc(v2, "TC.BC")} and not res.accepted
    [above] = [p for p in res.problems if p.location == _tc(v2, "TC.II.1")]
    assert "20,5" in above.message and "≤ 20" in above.message
    assert {p.sheet for p in res.problems if p.severity == "error"} == {"TuCham"}


def test_urban_statuses_are_refused_where_the_unit_was_a_xa(tmp_path, contents, v2, schemas):
    """The town's locked xã years, unlocked and filled; a xã that sends the sheet all the same (a town's workbook
    with the xã's code and name); a status outside the list."""
    cells = {("VanMinhDoThi", cell_address(v2, "VanMinhDoThi", "VM2", 2017)): "Đạt",
             ("VanMinhDoThi", cell_address(v2, "VanMinhDoThi", "VM3", 2020)): "Có"}
    res = _validate(_write(tmp_path, contents[TOWN], TOWN, cells=cells), schemas)
    found = _found(res)
    assert ("E_URBAN_NOT_APPLICABLE", _vm(v2, "VM2", 2017)) in found
    assert ("E_CHOICE", _vm(v2, "VM3", 2020)) in found and not res.accepted
    [p] = [p for p in res.problems if p.rule == "E_URBAN_NOT_APPLICABLE"]
    assert "VM2 năm 2017" in p.message and "Không áp dụng" in p.message

    xa = nrlib.find_unit(XA)
    cells = {("ThongTin", cell_address(v2, "ThongTin", "unit_code", "value")): XA,
             ("ThongTin", cell_address(v2, "ThongTin", "unit_name", "value")): xa["name"]}
    res = _validate(_write(tmp_path, contents[TOWN], TOWN, "xa.xlsx", cells=cells), schemas)
    found = _found(res)
    assert res.unit_code == XA and not res.accepted
    assert {("E_URBAN_NOT_APPLICABLE", _vm(v2, c, y)) for c in ("VM1", "VM5") for y in TOWN_YEARS
            if (c, y) != ("VM1", 2019)} <= found


def test_a_town_s_workbook_needs_the_urban_sheet_a_xa_s_does_not(tmp_path, contents, schemas):
    res = _validate(_write(tmp_path, contents[XA]), schemas)
    assert res.accepted and res.urban_status == [], res.problems
    res = _validate(_write(tmp_path, contents[TOWN], TOWN, edit=lambda wb: wb.remove(wb["VanMinhDoThi"])), schemas)
    assert ("E_SHEET_MISSING", "VanMinhDoThi") in _found(res) and not res.accepted


def test_a_rejected_workbook_stores_no_self_score_nor_urban_status(tmp_path, contents, v2):
    from nrlib.ingest import ingest_files

    db = tmp_path / "s.duckdb"
    bad = {("TuCham", cell_address(v2, "TuCham", "TC.II.1", "value")): 25,
           ("VanMinhDoThi", cell_address(v2, "VanMinhDoThi", "VM1", 2016)): "Đạt"}
    [out] = ingest_files([_write(tmp_path, contents[TOWN], TOWN, f"{TOWN}_dau-giay.xlsx", cells=bad)], db,
                         received="2021-02-17")
    assert out.status == "rejected"
    ds = load_dataset(db)
    assert ds.urban_status.empty and ds.info.empty
    assert ds.problems["rule"].isin(["E_RANGE", "E_URBAN_NOT_APPLICABLE"]).sum() == 2


# ----------------------------------------------------------------------------- stored and shown


@pytest.fixture(scope="module")
def ds(sample_store):
    return load_dataset(sample_store)


def test_the_town_s_declared_urban_years_are_stored_and_shown(ds):
    assert set(ds.urban_status["unit_code"]) == {TOWN}
    r = urban.urban_reached(ds).set_index("year")
    assert r.loc[2019, ["n_reached", "n_not_reached", "n_missing"]].tolist() == [4, 1, 0]
    assert r.loc[2020, "n_reached"] == 5 and bool(r.loc[2020, "all_reached"])
    m = urban.urban_matrix(ds)
    assert set(m["origin"]) == {"declared"} and set(m["year"]) == set(TOWN_YEARS)
    [s, *_] = urban_sentences(ds, TOWN)
    assert "Năm 2020" in s.text and "đạt đủ 5/5 tiêu chuẩn" in s.text and "chưa có số liệu" not in s.text


def test_self_scores_are_stored_and_shown_beside_the_verified_points(ds):
    roles = sample_roles(ds.units)
    late = roles["late"]
    cs = scoring.content_scores(ds)
    mine = cs[cs["unit_code"] == late]
    assert (mine["self_status"] == "blank").all() and mine["self_points"].isna().all()
    others = cs[cs["unit_code"] != late]
    assert (others["self_status"] != "not_asked").all() and (others["self_status"] == "scored").mean() > 0.7
    assert (others["self_points"].dropna() <= others.loc[others["self_points"].notna(), "max_points"]).all()
    wide, headers = present_scoring.scores_frame(ds)
    assert headers["self_points"] == "Tự chấm"
    assert wide.set_index("unit_code").loc[late, "self_points"] == "Chưa tự chấm"
    own, h = present_scoring.self_vs_verified_frame(ds)
    row = own.set_index("unit_code").loc[TOWN]
    town = cs[(cs["unit_code"] == TOWN) & (cs["content_code"] == "II.1")].iloc[0]
    expected = present_scoring.self_cell(town["self_status"], town["self_points"])
    assert row["c_II.1"] == f"{expected} / {present_scoring.points_text(town['verified_points'])}"
    assert own.set_index("unit_code").loc[late, "c_II.1"].startswith("Chưa tự chấm / ")
    assert h["c_II.1"] == "II.1 (20)"


def test_version_1_workbooks_have_no_self_score_nor_urban_sheet_and_say_so(mixed_store):
    ds = load_dataset(mixed_store)
    v1_units = set(ds.submissions.loc[ds.submissions["is_current"] & (ds.submissions["outline_version"] == "1.0"),
                                      "unit_code"])
    assert v1_units
    cs = scoring.content_scores(ds)
    assert (cs.loc[cs["unit_code"].isin(v1_units), "self_status"] == "not_asked").all()
    wide, _ = present_scoring.scores_frame(ds)
    shown = wide.set_index("unit_code").loc[sorted(v1_units & set(wide["unit_code"])), "self_points"]
    assert set(shown) == {"Không có số liệu"}
    if TOWN in v1_units:
        assert ds.urban_status[ds.urban_status["unit_code"] == TOWN].empty
    assert isinstance(ds.urban_status, pd.DataFrame)
