"""nrlib.intake.reader: reading workbooks into grids, and parsing what people type."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from nrlib import load_criteria, load_outline
from nrlib.intake.reader import WorkbookReadError, cell_ref, column_letter, legacy_encoding, parse_number, read_workbook


def test_cell_ref_and_column_letters():
    assert cell_ref(13, 3) == "D14"
    assert cell_ref(0, 0) == "A1"
    assert column_letter(25) == "Z"
    assert column_letter(26) == "AA"
    assert column_letter(701) == "ZZ"
    assert column_letter(702) == "AAA"


@pytest.mark.parametrize("text, value", [
    ("1.234,5", 1234.5),          # Vietnamese
    ("1,234.5", 1234.5),          # English
    ("1.234.567", 1234567.0),
    ("1,234,567", 1234567.0),
    ("1.234.567,25", 1234567.25),
    ("12,5", 12.5),               # one separator, not three digits after: decimal
    ("0.75", 0.75),
    ("0,500", 0.5),               # a thousands group never follows a lone 0
    ("1234.567", 1234.567),       # four digits before: not a thousands group
    (" 12 345 ", 12345.0),        # spaces group thousands
    ("1\u00a0234", 1234.0),       # no-break space
    ("-5", -5.0),
    ("\u22125", -5.0),            # the typographic minus sign
    ("(3)", -3.0),
    ("+7", 7.0),
    (2016.0, 2016.0),
    (3, 3.0),
])
def test_parse_number_unambiguous(text, value):
    r = parse_number(text)
    assert r.ok and r.ambiguous is None
    assert r.value == pytest.approx(value)


@pytest.mark.parametrize("text, integer, value, why", [
    ("1.234", False, 1234.0, "vn_thousands"),
    ("1.234", True, 1234.0, "vn_thousands"),
    ("1,234", False, 1.234, "vn_decimal"),
    ("1,234", True, 1234.0, "en_thousands"),   # a count cannot hold a fraction
    ("-12.500", True, -12500.0, "vn_thousands"),
])
def test_parse_number_ambiguous_follows_the_documented_rule(text, integer, value, why):
    r = parse_number(text, integer=integer)
    assert r.ok
    assert r.value == pytest.approx(value)
    assert r.ambiguous == why


@pytest.mark.parametrize("text", ["abc", "1.23.4", "1,2,3", "1.234,5,6", "12a", "--5", "1.234.56", True,
                                  dt.date(2021, 1, 1), "5 hộ", "x"])
def test_parse_number_rejects_what_is_not_a_number(text):
    r = parse_number(text)
    assert not r.ok and r.value is None


def test_parse_number_blank_and_percent():
    assert parse_number(None).value is None and parse_number(None).ok
    assert parse_number("   ").ok and parse_number("   ").value is None
    assert not parse_number("95 %").ok
    assert parse_number("95 %", allow_percent=True).value == 95.0
    assert parse_number("89,96%", allow_percent=True).value == pytest.approx(89.96)


@pytest.mark.parametrize("text, encoding", [
    ("Th«ng tin chung", "TCVN3"),
    ("Nhµ v¨n hãa Êp 1", "TCVN3"),
    ("§ång Nai", "TCVN3"),
    ("NguyÔn V¨n An", "TCVN3"),
    ("Thoâng tin chung", "VNI"),
    ("Vieät Nam", "VNI"),
    ("Ñoàng Nai", "VNI"),
])
def test_legacy_encodings_are_detected(text, encoding):
    assert legacy_encoding(text) == encoding


@pytest.mark.parametrize("text", ["Thông tin chung", "Xã Xuân Thiện", "Khoẻ", "«Dân vận khéo»", "m²", "25°C",
                                  "© 2021", "a · b", "Hưng Lộc", "Thị trấn Dầu Giây", "plain ascii"])
def test_ordinary_vietnamese_is_not_mistaken_for_a_legacy_encoding(text):
    assert legacy_encoding(text) is None


def test_no_reference_text_looks_like_a_legacy_encoding():
    """Every label the outline and the criteria set hold is Unicode Vietnamese: none may be flagged."""
    outline = load_outline()
    texts = [line for line in outline.path.read_text(encoding="utf-8").splitlines()]
    crit = load_criteria()
    texts += list(crit["criterion_name"]) + list(crit["indicator_name"])
    flagged = [t for t in texts if legacy_encoding(t)]
    assert flagged == []


def test_read_workbook_keeps_absolute_positions_and_types(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "VanDong"
    ws["C3"] = "Mã"
    ws["D5"] = 1.5
    ws["E5"] = "1.234,5"
    ws["F5"] = dt.date(2021, 2, 15)
    ws.merge_cells("C1:H1")
    ws["C1"] = "Tiêu đề"
    ws["A9"] = "   "       # a trailing row of spaces is dropped
    wb.create_sheet("Trống")
    path = tmp_path / "t.xlsx"
    wb.save(path)
    book = read_workbook(path)
    assert list(book.sheets) == ["VanDong", "Trống"]
    sh = book.sheets["VanDong"]
    assert sh.value(2, 2) == "Mã"          # C3, though columns A-B and rows 1-2 are empty
    assert sh.value(4, 3) == 1.5
    assert sh.value(4, 4) == "1.234,5"
    assert sh.value(4, 5) == dt.date(2021, 2, 15)
    assert sh.value(1, 1) is None and sh.value(100, 100) is None
    assert sh.nrows == 5
    assert ((0, 2), (0, 7)) in sh.merged
    assert book.sheets["Trống"].nrows == 0
    assert book.format == "xlsx"


@pytest.mark.parametrize("content, suffix, reason", [
    (b"", ".xlsx", "rỗng"),
    (b"not a zip file at all", ".xlsx", "hỏng"),
    (b"PK\x03\x04garbage", ".xlsx", "hỏng"),
    (b"some text", ".txt", "không được hỗ trợ"),
])
def test_unreadable_files_raise_a_clear_error(tmp_path, content, suffix, reason):
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    with pytest.raises(WorkbookReadError, match=reason):
        read_workbook(path)


def test_missing_file_raises(tmp_path):
    with pytest.raises(WorkbookReadError, match="không tìm thấy"):
        read_workbook(tmp_path / "nope.xlsx")


def test_reading_never_modifies_the_file(books):
    before = books.good.read_bytes()
    mtime = books.good.stat().st_mtime_ns
    read_workbook(books.good)
    assert books.good.read_bytes() == before
    assert books.good.stat().st_mtime_ns == mtime
