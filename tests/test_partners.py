"""The partners' workbooks: template → filled with openpyxl → ingested → beside the communes' declarations.

The coordination office's status is counted where it exists (one rule, ``results.counted_status``); each
bad input is rejected at its cell with nothing stored; with no partner data every analysis and report is the
declarations' alone.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest import require_program, soffice_convert
from nrlib import store as st
from nrlib.analysis import maintenance, partners as pa, results
from nrlib.cli import main
from nrlib.ingest import ingest_files, ingest_sample_folder
from nrlib.reference import load_partners, load_units
from nrlib.workbooks.partner import cell_address, partner_filename, write_partner_templates
from nrlib.workbooks.sample import sample_roles
from nrlib.store.write import PARTNER_TABLES

DISTRICT = "738"
UNITS = load_units(DISTRICT)
FIRST = sorted(UNITS["unit_code"])[0]           # 26299 Xã Gia Tân 1
SECOND = sorted(UNITS["unit_code"])[1]          # 26302 Xã Gia Tân 2
TOWN = "26326"                                  # thị trấn Dầu Giây from 2019


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _html_text(fragment: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("partner-templates")
    paths = write_partner_templates(out, DISTRICT)
    return {"coordination": paths[0], "culture": paths[1]}


@pytest.fixture(scope="module")
def communes_store(sample_dir, tmp_path_factory) -> Path:
    """The communes' sample (no partner data), ingested once; tests copy it before adding a partner's file."""
    db = tmp_path_factory.mktemp("partners-communes") / "nrlib.duckdb"
    ingest_sample_folder(sample_dir, db)
    return db


def _copy_store(src: Path, tmp_path: Path) -> Path:
    db = tmp_path / "store" / "nrlib.duckdb"
    db.parent.mkdir(parents=True)
    shutil.copy2(src, db)
    return db


def _fill(template: Path, out: Path, sheet: str, cells: dict[str, object], merge: str | None = None) -> Path:
    """Open the blank template with openpyxl, type values as a clerk would, save under ``out``."""
    wb = openpyxl.load_workbook(template)
    ws = wb[sheet]
    for ref, value in cells.items():
        ws[ref] = value
    if merge:
        ws.merge_cells(merge)
    wb.save(out)
    return out


def _addr(partner: str, sheet: str, row_key, column) -> str:
    return cell_address(partner, sheet, row_key, column, DISTRICT)


# ----------------------------------------------------------------------------- templates


def test_templates_are_prefilled_locked_and_identify_partner_district_and_version(templates):
    partners = load_partners()
    for key, path in templates.items():
        assert path.name == partner_filename(key, DISTRICT)
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames[:2] == ["HuongDan", "ThongTin"]
        info = {wb["ThongTin"].cell(r, 1).value: wb["ThongTin"].cell(r, 2) for r in range(4, 14)}
        assert info["Mã biểu mẫu"].value == partners.partner(key)["form_code"]
        assert info["Mã huyện"].value == DISTRICT and info["Tên huyện"].value == "Huyện Thống Nhất"
        assert info["Phiên bản biểu mẫu"].value == partners.partner(key)["layout_version"]
        assert info["Mã biểu mẫu"].protection.locked and not info["Người lập biểu"].protection.locked
        for name in (s["name"] for s in partners.sheets(key)):
            ws = wb[name]
            assert ws.protection.sheet
            codes = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]
            assert set(codes) == set(UNITS["unit_code"])            # every unit of the district, from the registry
            assert ws.cell(4, 1).protection.locked and ws.cell(4, 2).protection.locked
            assert not ws.cell(4, 4).protection.locked               # the first input cell
            assert ws.data_validations.dataValidation                 # drop-downs and whole-number checks


def test_the_criteria_template_prefills_not_applicable_in_the_towns_years_only(templates):
    ws = openpyxl.load_workbook(templates["coordination"])["TieuChiChinhThuc"]
    town_2019 = ws[_addr("coordination", "TieuChiChinhThuc", (TOWN, 2019), 1)]
    town_2018 = ws[_addr("coordination", "TieuChiChinhThuc", (TOWN, 2018), 1)]
    assert town_2019.value == "Không áp dụng" and town_2019.protection.locked
    assert town_2018.value is None and not town_2018.protection.locked
    status_lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert status_lists and "Không áp dụng" not in status_lists[0].formula1 and "Chưa đạt" in status_lists[0].formula1


def test_template_command_writes_both_partners(tmp_path, capsys):
    assert main(["template", "--partner", "all", "--district", DISTRICT, "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.xlsx")) == sorted(
        partner_filename(k, DISTRICT) for k in load_partners().keys)


def test_blank_templates_are_accepted_and_hold_no_data(templates, tmp_path):
    db = tmp_path / "nrlib.duckdb"
    outcomes = ingest_files(list(templates.values()), db, received="2021-02-18")
    assert [o.outcome for o in outcomes] == ["accepted", "accepted"] and not any(o.problems for o in outcomes)
    with duckdb.connect(str(db), read_only=True) as con:
        for table in PARTNER_TABLES:
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


# ----------------------------------------------------------------------------- round trip


@pytest.fixture(scope="module")
def partner_store(templates, communes_store, tmp_path_factory) -> Path:
    """The communes' sample plus both partners' workbooks filled with openpyxl: the coordination office says
    the opposite of the first unit's declaration for criterion 1 in 2018, the culture committee counts fewer
    cultural families for the first unit in 2018."""
    tmp = tmp_path_factory.mktemp("partners-round-trip")
    db = _copy_store(communes_store, tmp)
    ds = st.load_dataset(db)
    declared = ds.criteria_status.set_index(["unit_code", "year", "criterion_no"])["status"]
    label = {"reached": "Đạt", "not_reached": "Chưa đạt"}
    cells = {}
    for no in range(1, 20):
        for y in (2017, 2018):
            v = declared.get((FIRST, y, no))
            if v in label:
                cells[_addr("coordination", "TieuChiChinhThuc", (FIRST, y), no)] = label[v]
    flipped = {"reached": "Chưa đạt", "not_reached": "Đạt"}[declared[(FIRST, 2018, 1)]]
    cells[_addr("coordination", "TieuChiChinhThuc", (FIRST, 2018), 1)] = flipped
    coordination = _fill(templates["coordination"], tmp / templates["coordination"].name, "TieuChiChinhThuc", cells)
    wb = openpyxl.load_workbook(coordination)
    wb["CongNhan"][_addr("coordination", "CongNhan", (SECOND, "ntm"), "year")] = 2017
    wb["CongNhan"][_addr("coordination", "CongNhan", (SECOND, "ntm"), "decision_no")] = "<b>12/QĐ-UBND</b>"
    wb.save(coordination)
    values = ds.values.set_index(["unit_code", "year", "data_element"])["value"]
    households, families = values[(FIRST, 2018, "VD11")], values[(FIRST, 2018, "VD15")]
    culture = _fill(templates["culture"], tmp / templates["culture"].name, "VanHoa", {
        _addr("culture", "VanHoa", (FIRST, 2018), "households"): int(households),
        _addr("culture", "VanHoa", (FIRST, 2018), "cultural_families"): int(families) - 40,
        _addr("culture", "VanHoa", (FIRST, 2018), "hamlets"): int(values[(FIRST, 2018, "VD16")]),
        _addr("culture", "VanHoa", (FIRST, 2018), "cultural_hamlets"): int(values[(FIRST, 2018, "VD17")]),
    })
    before = {p: _sha(p) for p in (coordination, culture)}
    outcomes = ingest_files([coordination, culture], db, received="2021-02-20")
    assert [o.outcome for o in outcomes] == ["accepted", "accepted"], [o.lines() for o in outcomes]
    assert {p: _sha(p) for p in before} == before                  # received files are never modified
    for o in outcomes:
        assert _sha(db.parent / o.stored_as) == before[o.path]     # kept unchanged
    return db


def test_round_trip_shows_declared_and_official_side_by_side(partner_store, communes_store):
    ds = st.load_dataset(partner_store)
    assert {p["partner"] for p in ds.meta["partners"]} == {"coordination", "culture"}
    m = results.criteria_matrix(ds).set_index(["unit_code", "year", "criterion_no"])
    row = m.loc[(FIRST, 2018, 1)]
    assert row["official_status"] != row["declared_status"]
    diff = pa.status_differences(ds)
    assert list(diff[["unit_code", "year", "criterion_no"]].itertuples(index=False, name=None)) == [(FIRST, 2018, 1)]
    assert diff.iloc[0]["name"] == "Xã Gia Tân 1"
    culture = pa.culture_differences(ds)
    assert set(culture["element"]) == {"VD15", "R_CULTURAL_FAMILY"}
    assert float(culture.loc[culture["element"] == "VD15", "difference"].iloc[0]) == -40
    assert pa.recognitions(ds)[["unit_code", "year"]].values.tolist() == [[SECOND, 2017]]


def test_official_status_is_the_one_counted(partner_store, communes_store):
    with_official, without = st.load_dataset(partner_store), st.load_dataset(communes_store)
    m = results.criteria_matrix(with_official).set_index(["unit_code", "year", "criterion_no"])
    assert m.loc[(FIRST, 2018, 1), "status"] == m.loc[(FIRST, 2018, 1), "official_status"]
    r1 = results.criteria_reached(with_official).set_index(["unit_code", "year"])
    r0 = results.criteria_reached(without).set_index(["unit_code", "year"])
    step = 1 if m.loc[(FIRST, 2018, 1), "official_status"] == "reached" else -1
    assert r1.loc[(FIRST, 2018), "n_reached"] - r0.loc[(FIRST, 2018), "n_reached"] == step
    others = r1.index != (FIRST, 2018)
    assert (r1.loc[others, "n_reached"] == r0.loc[others, "n_reached"]).all()
    # the maintenance classes read the same grid: the flipped year changes the first unit's class of criterion 1
    c1 = maintenance.classify_maintenance(with_official).set_index(["unit_code", "criterion_no"])
    c0 = maintenance.classify_maintenance(without).set_index(["unit_code", "criterion_no"])
    assert c1.loc[(FIRST, 1), "maintenance_class"] != c0.loc[(FIRST, 1), "maintenance_class"]


def test_counted_status_prefers_the_official_one_element_by_element():
    declared = np.array(["reached", "not_reached", None, "reached"], dtype=object)
    official = np.array([None, "reached", "not_reached", np.nan], dtype=object)
    assert results.counted_status(declared, official).tolist() == ["reached", "reached", "not_reached", "reached"]


def test_reports_say_which_status_is_counted_and_list_the_differences(partner_store):
    from nrlib.reports import params
    from nrlib.reports.district import DistrictReport
    from nrlib.reports.unit import UnitReport

    ds = st.load_dataset(partner_store)
    P = params.check({"district_code": DISTRICT, "db_path": str(partner_store), "deadline": None,
                      "include_personal_data": False}, kind="district")
    district = DistrictReport(ds, P)
    text = _html_text(district.criteria_at_risk())
    assert "Tình trạng tiêu chí theo số liệu của Văn phòng điều phối nông thôn mới huyện" in text
    assert "Có 1 trường hợp khác với báo cáo của xã, thị trấn: Xã Gia Tân 1, tiêu chí 1 năm 2018" in text
    assert "12/QĐ-UBND" in text
    html = district.criteria_at_risk()
    assert "<b>12/QĐ-UBND</b>" not in html and "&lt;b&gt;12/QĐ-UBND&lt;/b&gt;" in html   # submitted text escaped
    culture = _html_text(district.campaign_table())
    assert "Ban Chỉ đạo phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” huyện" in culture
    assert "Có 2 số liệu khác với báo cáo của xã, thị trấn" in culture
    P = params.check({"unit_code": FIRST, "db_path": str(partner_store), "deadline": None,
                      "include_personal_data": False}, kind="unit")
    unit = _html_text(UnitReport(ds, P).criteria_scorecard())
    assert "Có 1 trường hợp khác với báo cáo của xã: tiêu chí 1 năm 2018" in unit
    assert "theo số liệu chính thức nơi có" in unit
    other = _html_text(UnitReport(ds, params.check({"unit_code": SECOND, "db_path": str(partner_store),
                                                     "deadline": None, "include_personal_data": False},
                                                    kind="unit")).criteria_scorecard())
    assert "Số liệu này không khác với báo cáo của xã" in other


def test_no_partner_data_leaves_every_criteria_analysis_and_report_as_it_was(communes_store):
    from nrlib.reports import params
    from nrlib.reports.district import DistrictReport

    ds = st.load_dataset(communes_store)
    assert ds.official_status.empty and ds.official_values.empty and ds.meta["partners"] == []
    m = results.criteria_matrix(ds)
    assert m["official_status"].isna().all()
    effective = m["declared_status"].where(m["declared_status"].isin(["reached", "not_reached"]), "missing")
    effective = effective.where(m["ntm_applies"].astype(bool), "not_applicable")
    assert (m["status"] == effective).all()
    assert pa.status_differences(ds).empty and pa.culture_comparison(ds).empty
    P = params.check({"district_code": DISTRICT, "db_path": str(communes_store), "deadline": None,
                      "include_personal_data": False}, kind="district")
    R = DistrictReport(ds, P)
    assert "số liệu của Văn phòng điều phối" not in R.criteria_at_risk()
    assert "Ban Chỉ đạo" not in R.campaign_table()


def test_status_lists_the_partners_files(partner_store, capsys):
    assert main(["status", "--db", str(partner_store)]) == 0
    out = capsys.readouterr().out
    assert "Số liệu của các cơ quan phối hợp:" in out
    assert "Văn phòng điều phối nông thôn mới huyện: phiên bản 1, nhận ngày 20/02/2021, đã chấp nhận" in out
    assert "không xác định được đơn vị" not in out          # a partner's file is not an unidentified commune's


def test_a_new_version_replaces_the_old_one_and_both_are_kept(partner_store, templates, tmp_path):
    db = _copy_store(partner_store, tmp_path)
    again = _fill(templates["culture"], tmp_path / "culture-v2.xlsx", "VanHoa",
                  {_addr("culture", "VanHoa", (SECOND, 2020), "households"): 5000})
    [o] = ingest_files([again], db, received="2021-02-25")
    assert o.outcome == "accepted" and o.version == 2
    ds = st.load_dataset(db)
    assert ds.official_values[["unit_code", "year", "data_element"]].values.tolist() == [[SECOND, 2020, "VD11"]]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM submissions WHERE partner = 'culture'").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM audit WHERE action = 'partner_submission_accepted'"
                           ).fetchone()[0] == 3


# ----------------------------------------------------------------------------- bad inputs


def _bad(partner, sheet, row_key, column, value):
    return partner, sheet, {_addr(partner, sheet, row_key, column): value}, None, _addr(partner, sheet, row_key, column)


BAD = {
    "unknown unit code": (*_bad("culture", "VanHoa", (FIRST, 2018), "unit_code", "26001")[:4], "E_UNIT_UNKNOWN"),
    "unit of another district": (*_bad("culture", "VanHoa", (FIRST, 2018), "unit_code", "26203")[:4],
                                 "E_UNIT_OTHER_DISTRICT"),
    "name not matching the code": (*_bad("culture", "VanHoa", (FIRST, 2018), "unit_name", "Xã Hưng Lộc")[:4],
                                   "E_UNIT_NAME_MISMATCH"),
    "status not in the list": (*_bad("coordination", "TieuChiChinhThuc", (FIRST, 2018), 3, "Dat roi")[:4],
                               "E_CHOICE"),
    "not applicable in a xã's year": (*_bad("coordination", "TieuChiChinhThuc", (FIRST, 2018), 3,
                                            "Không áp dụng")[:4], "E_NOT_APPLICABLE"),
    "count not whole": (*_bad("culture", "VanHoa", (FIRST, 2018), "hamlets", 7.5)[:4], "E_INTEGER"),
    "negative count": (*_bad("culture", "VanHoa", (FIRST, 2018), "cultural_hamlets", -3)[:4], "E_RANGE"),
    "count typed as words": (*_bad("culture", "VanHoa", (FIRST, 2018), "households", "ba nghìn")[:4],
                             "E_TYPE_NUMBER"),
    "year outside the review": (*_bad("culture", "VanHoa", (FIRST, 2018), "year", 2021)[:4], "E_YEAR_OUTSIDE"),
    "recognition before the programme": (*_bad("coordination", "CongNhan", (FIRST, "ntm"), "year", 2005)[:4],
                                         "E_YEAR_OUTSIDE"),
    "formula never computed": (*_bad("culture", "VanHoa", (FIRST, 2018), "households", "=2000+1000")[:4],
                               "E_FORMULA_NO_VALUE"),
    "error value": (*_bad("culture", "VanHoa", (FIRST, 2018), "households", "#DIV/0!")[:4], "E_CELL_ERROR"),
}


def _cases():
    for name, (partner, sheet, cells, merge, rule) in BAD.items():
        yield pytest.param(partner, sheet, cells, merge, rule, next(iter(cells)), id=name)
    fam = _addr("culture", "VanHoa", (FIRST, 2018), "cultural_families")
    hh = _addr("culture", "VanHoa", (FIRST, 2018), "households")
    yield pytest.param("culture", "VanHoa", {hh: 1000, fam: 1200}, None, "E_RELATION", fam,
                       id="cultural families above households")
    ch = _addr("culture", "VanHoa", (FIRST, 2018), "cultural_hamlets")
    hm = _addr("culture", "VanHoa", (FIRST, 2018), "hamlets")
    yield pytest.param("culture", "VanHoa", {hm: 5, ch: 6}, None, "E_RELATION", ch,
                       id="cultural hamlets above hamlets")
    a = _addr("coordination", "TieuChiChinhThuc", (FIRST, 2018), 1)
    b = _addr("coordination", "TieuChiChinhThuc", (FIRST, 2018), 2)
    yield pytest.param("coordination", "TieuChiChinhThuc", {a: "Đạt"}, f"{a}:{b}", "E_MERGED_CELLS", a,
                       id="one value merged over two criteria")
    yield pytest.param("culture", "ThongTin", {"B8": "0.9"}, None, "E_PARTNER_VERSION", "B8",
                       id="wrong layout version")
    yield pytest.param("culture", "ThongTin", {"B4": "XYZ"}, None, "E_PARTNER_FORM", "B4", id="unknown form code")


@pytest.mark.parametrize("partner, sheet, cells, merge, rule, cell", list(_cases()))
def test_bad_input_is_rejected_at_its_cell_and_nothing_is_stored(partner, sheet, cells, merge, rule, cell,
                                                                 templates, tmp_path):
    db = tmp_path / "nrlib.duckdb"
    path = _fill(templates[partner], tmp_path / templates[partner].name, sheet, cells, merge)
    before = _sha(path)
    [o] = ingest_files([path], db, received="2021-02-18")
    assert o.outcome == "rejected"
    hits = [p for p in o.problems if p.rule == rule]
    assert hits and hits[0].sheet == sheet and hits[0].cell == cell, o.lines()
    assert f"{sheet}!{cell}: [{rule}]" in "\n".join(o.lines())         # the line names file, sheet and cell
    assert _sha(path) == before and _sha(db.parent / o.stored_as) == before
    with duckdb.connect(str(db), read_only=True) as con:
        for table in PARTNER_TABLES:
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM current_partner_submissions").fetchone()[0] == 0
        assert con.execute("SELECT status FROM submissions").fetchall() == [("rejected",)]


def test_a_rejected_new_version_leaves_the_accepted_one_in_use(partner_store, templates, tmp_path):
    db = _copy_store(partner_store, tmp_path)
    before = st.load_dataset(db).official_values
    bad = _fill(templates["culture"], tmp_path / "bad.xlsx", "VanHoa",
                {_addr("culture", "VanHoa", (FIRST, 2018), "households"): -1})
    [o] = ingest_files([bad], db, received="2021-02-25")
    assert o.outcome == "rejected" and o.version == 2
    pd.testing.assert_frame_equal(st.load_dataset(db).official_values, before)


# ----------------------------------------------------------------------------- sample and LibreOffice


def test_sample_partners_differ_from_the_declarations_where_the_module_says(tmp_path, sample_dir):
    from nrlib.workbooks.partner_sample import write_partner_sample

    folder = tmp_path / "sample"
    shutil.copytree(sample_dir, folder)
    paths = write_partner_sample(folder / "partners", DISTRICT)
    assert len(paths) == 2
    db = ingest_sample_folder(folder, tmp_path / "nrlib.duckdb")
    ds = st.load_dataset(db)
    roles = sample_roles(UNITS)
    diff = pa.status_differences(ds)
    assert set(diff["unit_code"]) == {roles["declared_below_level"], roles["gained"]}
    assert set(pa.culture_differences(ds)["unit_code"]) == {roles["lost_and_regained"], roles["lost"]}
    assert not (ds.official_status["unit_code"] == roles["missing"]).any()
    assert all(p["is_sample"] for p in ds.meta["partners"])


@pytest.mark.slow
def test_a_template_reads_well_in_libreoffice(templates, tmp_path):
    pdftotext = require_program("pdftotext")
    import subprocess

    pdf = soffice_convert(templates["coordination"], "pdf", tmp_path)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("HƯỚNG DẪN ĐIỀN BIỂU MẪU", "Mã biểu mẫu", "VPDP-NTM", "Huyện Thống Nhất",
                     "KẾT QUẢ ĐÁNH GIÁ CÁC TIÊU CHÍ XÃ NÔNG THÔN MỚI", "Xã Gia Tân 1", "Không áp dụng",
                     "Xã đạt chuẩn nông thôn mới nâng cao"):
        assert expected in text, expected


def test_status_json_lists_the_partners_files(partner_store, capsys):
    import json

    assert main(["status", "--db", str(partner_store), "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert [(p["partner"], p["version"], p["status"]) for p in got["partners"]] == [
        ("coordination", 1, "accepted"), ("culture", 1, "accepted")]
    assert got["unassigned"] == []


def test_export_writes_the_differences(partner_store, tmp_path):
    from nrlib.export import export_store

    paths = {p.name: p for p in export_store(tmp_path / "csv", partner_store)}
    diff = pd.read_csv(paths["status_differences.csv"], dtype={"unit_code": str}, encoding="utf-8-sig")
    assert diff[["unit_code", "year", "criterion_no"]].values.tolist() == [[FIRST, 2018, 1]]
    culture = pd.read_csv(paths["culture_comparison.csv"], dtype={"unit_code": str}, encoding="utf-8-sig")
    assert set(culture["element"]) == {"VD11", "VD15", "VD16", "VD17", "R_CULTURAL_FAMILY", "R_CULTURAL_HAMLET"}
    assert pd.read_csv(paths["recognitions.csv"], dtype={"unit_code": str}, encoding="utf-8-sig")[
        "unit_code"].tolist() == [SECOND]


def test_the_district_report_document_says_which_status_is_counted(partner_store, communes_store, tmp_path):
    from docx import Document

    from nrlib.documents.build import write_documents

    def body(db, out):
        docs = write_documents(db, out, district_code=DISTRICT, progress=None)
        report = next(p for p in docs.files if p.name.startswith("bao-cao-so-ket"))
        return "\n".join(p.text for p in Document(report).paragraphs)

    text = body(partner_store, tmp_path / "with")
    assert "Tình trạng tiêu chí theo số liệu của Văn phòng điều phối nông thôn mới huyện" in text
    assert "Xã Gia Tân 1, tiêu chí 1 năm 2018" in text
    assert "Tình trạng tiêu chí theo số liệu" not in body(communes_store, tmp_path / "without")


@pytest.mark.slow
def test_a_partner_workbook_saved_by_libreoffice_is_read_the_same(tmp_path):
    from nrlib.workbooks.partner_sample import write_partner_sample

    [coordination, culture] = write_partner_sample(tmp_path / "written", DISTRICT)
    resaved = [soffice_convert(p, "xlsx", tmp_path / "lo") for p in (coordination, culture)]
    a = ingest_files([coordination, culture], tmp_path / "a.duckdb", received="2021-02-18")
    b = ingest_files(resaved, tmp_path / "b.duckdb", received="2021-02-18")
    assert [o.outcome for o in a + b] == ["accepted"] * 4, [o.lines() for o in b]
    for name in ("official_status", "official_values", "recognitions"):
        x = getattr(st.load_dataset(tmp_path / "a.duckdb"), name).drop(columns="submission_id")
        y = getattr(st.load_dataset(tmp_path / "b.duckdb"), name).drop(columns="submission_id")
        pd.testing.assert_frame_equal(x, y)
