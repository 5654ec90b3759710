"""nrlib.intake.validate: one pass over a workbook, every problem at its SHEET!CELL."""

from __future__ import annotations

import unicodedata

import openpyxl
import openpyxl.utils
import pytest
from ingest_fixtures import (
    fixture_outline,
    MESSY_CHOICES,
    MESSY_NUMBERS,
    MESSY_STATUS,
    OTHER,
    TOWN,
    UNIT,
    addr,
    find_unit,
    good_content,
    problem_locations,
    schema,  # noqa: F401 (a fixture)
    validate_file,
    write_workbook,
)

from nrlib.core import labels


def test_good_workbook_has_no_problem_and_all_content(books, schema):
    res = validate_file(books.good, schema, claims=[("file_name", UNIT), ("manifest", UNIT)])
    assert res.problems == []
    assert res.accepted and res.unit_code == UNIT and res.outline_version == "1.0"
    content = good_content(UNIT)
    got = {(v["data_element"], v["year"]): v["value"] for v in res.values}
    assert got == pytest.approx(content["values"])
    assert {(c["criterion_no"], c["year"]): c["status"] for c in res.criteria_status} == content["criteria"]
    assert res.info["report_date"] == "2021-02-15"
    assert res.info["preparer_name"] == "Nguyễn Văn An"
    assert [p["kind"] for p in res.proposals] == ["collective", "individual"]
    assert res.proposals[1]["award_form"] == "Giấy khen của Ủy ban MTTQ huyện"
    assert {n["section_code"]: n["text"] for n in res.narratives} == content["narratives"]
    assert res.notes == [{"sheet": "TieuChi", "row_code": "1", "text": "Giữ vững"}]
    assert not res.is_sample


def test_messy_but_valid_workbook_reads_what_people_meant(books, schema):
    res = validate_file(books.messy, schema)
    assert res.accepted, [p.location + " " + p.message for p in res.problems]
    # "3.000" in an integer count reads as 3000, and says it guessed; the heading row the clerk inserted and
    # the signature under the table are not read, and say so
    vd11 = addr("VanDong", "VD11", 2016)
    ignored = {p.location for p in res.problems if p.rule == "W_TEXT_IGNORED"}
    assert problem_locations(res) - {("W_TEXT_IGNORED", x) for x in ignored} == {
        ("W_NUMBER_AMBIGUOUS", f"Vandong !{vd11[0]}{int(vd11[1:]) + 1}")}
    assert "Vandong !B8" in ignored and len(ignored) == 2
    assert {p.value for p in res.problems if p.rule == "W_TEXT_IGNORED"} == {"I. KINH PHÍ VÀ CÔNG TRÌNH", "Người lập biểu"}
    got = {(v["data_element"], v["year"]): v["value"] for v in res.values}
    for key, (_, value) in MESSY_NUMBERS.items():
        assert got[key] == value
    expected = dict(good_content(UNIT)["values"])
    for key, (_, value) in MESSY_NUMBERS.items():
        expected[key] = value
    assert got == pytest.approx(expected)
    status = {(c["criterion_no"], c["year"]): c["status"] for c in res.criteria_status}
    for key in MESSY_CHOICES:
        assert status[key] == MESSY_STATUS.get(key, "reached")
    assert res.info["report_date"] == "2021-02-15"            # typed as text dd/mm/yyyy
    texts = {n["section_code"]: n["text"] for n in res.narratives}
    assert texts["I"] == unicodedata.normalize("NFC", "Tuyên truyền, vận động sâu rộng")  # stored NFC
    assert res.proposals[0]["kind"] == "collective"
    assert res.proposals[0]["award_form"] == "Giấy khen của UBND huyện"       # open choice, canonical label


def test_broken_workbook_reports_every_problem_at_its_cell(books, schema):
    res = validate_file(books.broken, schema, claims=[("file_name", OTHER)])
    assert not res.accepted
    got = [(p.rule, p.location) for p in res.problems]
    assert sorted(got) == sorted(books.broken_expected)
    for p in res.problems:
        assert p.severity == labels.RULES[p.rule].severity
        assert p.message and "{" not in p.message
    by_rule = {p.rule: p for p in res.problems}
    assert by_rule["E_RANGE"].value in {"-100", "150"}
    assert "nhiều" in by_rule["E_TYPE_NUMBER"].message
    assert "26311" in by_rule["E_UNIT_MISMATCH"].message and "26308" in by_rule["E_UNIT_MISMATCH"].message


def test_unit_code_must_be_in_the_registry(tmp_path, schema):
    content = good_content(UNIT)
    content["overrides"] = {("ThongTin", addr("ThongTin", "unit_code", "value")): "99999"}
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    res = validate_file(path, schema)
    assert ("E_UNIT_UNKNOWN", f"ThongTin!{addr('ThongTin', 'unit_code', 'value')}") in problem_locations(res)
    assert res.unit_code is None and not res.accepted


def test_manifest_claim_is_checked_too(books, schema):
    res = validate_file(books.good, schema, claims=[("manifest", OTHER)])
    assert problem_locations(res) == {("E_UNIT_MISMATCH", f"ThongTin!{addr('ThongTin', 'unit_code', 'value')}")}
    assert "manifest" in res.problems[0].message


def test_a_unit_code_changed_while_its_name_is_left_is_refused(tmp_path, schema):
    """26308 Xã Gia Kiệm's template with the code changed to 26311 (Xã Quang Trung): two units, say so."""
    content = good_content(UNIT)
    content["overrides"] = {("ThongTin", addr("ThongTin", "unit_code", "value")): OTHER}
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    res = validate_file(path, schema)
    cell = f"ThongTin!{addr('ThongTin', 'unit_name', 'value')}"
    assert ("E_UNIT_NAME_MISMATCH", cell) in problem_locations(res) and not res.accepted
    msg = next(p.message for p in res.problems if p.rule == "E_UNIT_NAME_MISMATCH")
    assert OTHER in msg and "Xã Quang Trung" in msg and "Xã Gia Kiệm" in msg


@pytest.mark.parametrize("unit, typed", [(UNIT, "gia kiem"), (UNIT, "XÃ  GIA KIỆM"), (TOWN, "Xã Xuân Thạnh"),
                                         (TOWN, "Dầu Giây")])
def test_a_unit_may_be_named_without_its_type_or_by_a_former_name(tmp_path, schema, unit, typed):
    content = good_content(unit)
    content["overrides"] = {("ThongTin", addr("ThongTin", "unit_name", "value")): typed}
    path = write_workbook(tmp_path / "x.xlsx", find_unit(unit), content=content, outline=fixture_outline())
    assert "E_UNIT_NAME_MISMATCH" not in {p.rule for p in validate_file(path, schema).problems}


def test_invisible_characters_are_read_through_and_shown_in_messages(tmp_path, schema):
    content = good_content(UNIT)
    content["overrides"] = {
        ("TieuChi", addr("TieuChi", 1, 2016)): "Đạt\u200b",           # pasted from a chat: still Đạt
        ("VanDong", addr("VanDong", "VD01", 2016)): "1.500,5\u2060",    # a word joiner after a number
        ("TieuChi", addr("TieuChi", 2, 2016)): "Đạt\u200bx",          # wrong, and the message shows why
        ("ThongTin", addr("ThongTin", "unit_code", "value")): "\ufeff" + UNIT,
    }
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    res = validate_file(path, schema)
    status = {(c["criterion_no"], c["year"]): c["status"] for c in res.criteria_status}
    assert status[(1, 2016)] == "reached" and res.unit_code == UNIT
    assert {(v["data_element"], v["year"]): v["value"] for v in res.values}[("VD01", 2016)] == 1500.5
    [choice] = [p for p in res.problems if p.rule == "E_CHOICE"]
    assert choice.location == f"TieuChi!{addr('TieuChi', 2, 2016)}" and "Đạt⟨U+200B⟩x" in choice.message
    assert [p.rule for p in res.problems] == ["E_CHOICE"]


def test_the_signature_block_under_a_table_is_not_read_as_data(tmp_path, schema):
    """The usual signature under the VanDong table, typed across the year columns: a complete report, accepted."""
    import datetime as dt

    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=good_content(UNIT), outline=fixture_outline())
    wb = openpyxl.load_workbook(path)
    ws = wb["VanDong"]
    col = openpyxl.utils.column_index_from_string(addr("VanDong", "VD01", 2019)[0])
    last = ws.max_row
    for i, text in enumerate(["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "(đã ký)", "Nguyễn Văn A"]):
        ws.cell(last + 2 + i, col).value = text
    ws.cell(last + 7, col).value = dt.datetime(2021, 2, 15)          # the date, typed as a date
    ws.cell(last + 9, 1).value = "Ghi chú: số liệu đến 31/12/2020"    # a note in the code column
    # a continuation of narrative II.1 on the row below it
    dg = wb["DanhGia"]
    row = next(r for r in range(1, dg.max_row + 1) if dg.cell(r, 1).value == "II.1")
    text_col = next(c for c in range(1, dg.max_column + 1) if dg.cell(row, c).value and c > 2)
    dg.insert_rows(row + 1)
    dg.cell(row + 1, text_col).value = "Tiếp theo: các mô hình giảm nghèo."
    wb.save(path)
    res = validate_file(path, schema)
    assert res.accepted, [(p.location, p.message) for p in res.problems if p.severity == "error"]
    ignored = [p for p in res.problems if p.rule == "W_TEXT_IGNORED"]
    assert [p.cell for p in ignored][:1] == [f"{addr('VanDong', 'VD01', 2019)[0]}{last + 2}"]
    assert len(ignored) == 6 and "TM. BAN THƯỜNG TRỰC" in ignored[0].message
    texts = {n["section_code"]: n["text"] for n in res.narratives}
    assert texts["II.1"].endswith("\nTiếp theo: các mô hình giảm nghèo.")
    assert [p.rule for p in res.problems if p.rule == "W_TEXT_CONTINUED"] == ["W_TEXT_CONTINUED"]


def test_a_row_without_a_code_that_holds_numbers_is_still_an_error(tmp_path, schema):
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=good_content(UNIT), outline=fixture_outline())
    wb = openpyxl.load_workbook(path)
    ws = wb["VanDong"]
    col = openpyxl.utils.column_index_from_string(addr("VanDong", "VD01", 2019)[0])
    ws.cell(ws.max_row + 1, col).value = 125
    wb.save(path)
    res = validate_file(path, schema)
    assert "E_ROW_UNKNOWN" in {p.rule for p in res.problems} and not res.accepted


def test_a_number_left_blank_as_the_instructions_say_is_accepted(tmp_path, schema):
    """"Để trống ô khi không có số liệu": one blank year is no data, silently; a row blank every year, a warning."""
    from nrlib.reference import load_outline

    assert any("Để trống ô khi không có số liệu" in line for line in load_outline().raw["instructions"]["lines"])
    content = good_content(UNIT)
    del content["values"][("VD06", 2018)]
    for y in range(2016, 2021):
        del content["values"][("VD21", y)]
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    res = validate_file(path, schema)
    assert res.accepted
    assert problem_locations(res) == {("W_ROW_BLANK", f"VanDong!{addr('VanDong', 'VD21', 2016)}")}
    values = {(v["data_element"], v["year"]): v["value"] for v in res.values}
    assert values[("VD06", 2018)] is None and values[("VD06", 2017)] is not None


def test_required_info_blank_and_missing_year_column(tmp_path, schema):
    content = good_content(UNIT)
    content["info"]["preparer_name"] = None
    content["overrides"] = {("VanDong", addr("VanDong", "VD01", 2018)[0] + "3"): "Năm sau"}
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    res = validate_file(path, schema)
    assert ("E_REQUIRED", f"ThongTin!{addr('ThongTin', 'preparer_name', 'value')}") in problem_locations(res)
    assert ("E_YEAR_MISSING", "VanDong!3:3") in problem_locations(res)


def test_sample_marker_is_detected(tmp_path, schema):
    content = good_content(UNIT)
    content["info"]["data_note"] = "DỮ LIỆU MẪU – không phải số liệu thật"
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    assert validate_file(path, schema).is_sample


def test_duplicate_sheet_after_loose_matching(tmp_path, schema, books):
    import openpyxl

    wb = openpyxl.load_workbook(books.good)
    wb.copy_worksheet(wb["VanDong"]).title = "VANDONG "  # Excel forbids only case-only twins
    path = tmp_path / "dup.xlsx"
    wb.save(path)
    res = validate_file(path, schema)
    assert ("E_SHEET_DUPLICATE", "VanDong") in problem_locations(res)


def test_every_rule_has_a_vietnamese_message_and_a_severity():
    for code, r in labels.RULES.items():
        assert code.startswith(("E_", "W_"))
        assert r.severity == ("error" if code.startswith("E_") else "warning")
        assert r.template and r.description
    # the module docstring documents every rule (the table users read)
    for code in labels.RULES:
        assert code in labels.__doc__, code


def test_problems_at_personal_cells_do_not_quote_them(tmp_path, schema):
    """A name or phone typed in a legacy encoding is reported at its cell without being quoted:
    problems go into exports and reports, personal data must not (the outline marks those cells)."""
    content = good_content(UNIT)
    content["info"]["preparer_name"] = "NguyÔn V¨n An"
    content["info"]["phone"] = "Th«ng 0251 3"
    content["proposals"][1]["name"] = "TrÇn ThÞ B×nh"
    content["narratives"]["I"] = "Th«ng tin chung"            # not personal: quoted as usual
    path = write_workbook(tmp_path / "p.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    res = validate_file(path, schema)
    legacy = [p for p in res.problems if p.rule == "E_ENCODING_LEGACY"]
    assert sorted(p.sheet for p in legacy) == ["DanhGia", "KhenThuong", "ThongTin", "ThongTin"]
    assert {p.cell for p in legacy if p.sheet == "ThongTin"} == {addr("ThongTin", "preparer_name", "value"),
                                                                 addr("ThongTin", "phone", "value")}
    for p in legacy:
        if p.sheet == "DanhGia":
            assert "Th«ng tin chung" in p.message and p.value == "Th«ng tin chung"
        else:
            assert p.value is None and labels.PERSONAL_REDACTED in p.message and p.cell
            assert not any(x in p.message for x in ("NguyÔn", "0251", "TrÇn"))
