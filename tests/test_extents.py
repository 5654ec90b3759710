"""nrlib.intake.extents: how far each sheet reaches (xlsx streamed and fast path, ods, BIFF), through check_file."""

from __future__ import annotations

import struct

import pytest
from hostile.builders import VANDONG_PART, replace_parts, sheet_xml, write_zip
from hostile.xlsx_edit import col_letters
from precheck_fixtures import SMALL, refused, with_sheet

from nrlib.exceptions import WorkbookReadError
from nrlib.intake.extents import scan_biff
from nrlib.intake.precheck import check_file

# ----------------------------------------------------------------------------- extents


@pytest.mark.parametrize("rows, extent", [
    (b'<row r="3"><c r="B3"><v>1</v></c><c r="E3" s="2"/></row>', (3, 2)),               # styled empty: no value
    (b'<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="inlineStr"><is><t>x</t></is></c></row>', (2, 2)),
    (b'<row r="5"><c r="C5"/><c><v>1</v></c></row>', (5, 4)),                             # implicit after explicit
    (b'<x:row r="7"><x:c r="D7"><x:v>1</x:v></x:c></x:row>', (7, 4)),                     # prefixed names
    (b'<row r="2"><c r="F2"><f>1+1</f></c></row>', (2, 6)),                               # a formula counts
])
def test_xlsx_extents(books, tmp_path, rows, extent):
    if b"x:" in rows:
        rows = rows.replace(b'<x:row', b'<x:row xmlns:x="urn:x"', 1)
    got = check_file(with_sheet(books, tmp_path, rows)).sheets["VanDong"]
    assert (got.rows, got.columns) == extent


def test_a_quoted_angle_bracket_does_not_hide_a_far_cell(books, tmp_path):
    path = with_sheet(books, tmp_path, b'<row r="1"><c x="&gt;" y=">" r="XFD1048576"><v>1</v></c></row>')
    err = refused(path)
    assert err.rule == "E_SHEET_TOO_LARGE" and err.sheet == "VanDong"


@pytest.mark.parametrize("limit, what", [("max_rows", "số dòng"), ("max_columns", "số cột"),
                                         ("max_cells", "số ô")])
def test_each_sheet_limit_names_itself(books, tmp_path, limit, what):
    cell = {"max_rows": b'<row r="101"><c r="A101"><v>1</v></c></row>',
            "max_columns": b'<row r="1"><c r="U1"><v>1</v></c></row>',
            "max_cells": b'<row r="60"><c r="T60"><v>1</v></c></row>'}[limit]
    err = refused(with_sheet(books, tmp_path, cell), SMALL)
    assert err.rule == "E_SHEET_TOO_LARGE" and what in err.message and err.sheet == "VanDong"


def _ods(tmp_path, table: str):
    content = ('<?xml version="1.0"?><office:document-content xmlns:office="urn:o" xmlns:table="urn:t" '
               f'xmlns:text="urn:x"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body>'
               "</office:document-content>")
    return write_zip(tmp_path / "t.ods", [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                                          ("content.xml", content.encode())])


@pytest.mark.parametrize("table, extent", [
    # LibreOffice's trailing formatted-but-empty rows and columns do not count
    ('<table:table table:name="S"><table:table-row><table:table-cell office:value-type="float" office:value="1"/>'
     '<table:table-cell table:number-columns-repeated="1020"/></table:table-row>'
     '<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/>'
     "</table:table-row></table:table>", (1, 1)),
    # empty rows and columns before a value do count (the parser fills them)
    ('<table:table table:name="S"><table:table-row table:number-rows-repeated="40"><table:table-cell/>'
     '</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="9"/>'
     "<table:table-cell><text:p>x</text:p></table:table-cell></table:table-row></table:table>", (41, 10)),
])
def test_ods_extents(tmp_path, table, extent):
    got = check_file(_ods(tmp_path, table)).sheets["S"]
    assert (got.rows, got.columns) == extent


def test_ods_repeated_valued_cells_are_multiplied(tmp_path):
    table = ('<table:table table:name="S"><table:table-row table:number-rows-repeated="50">'
             '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="30"/>'
             "</table:table-row></table:table>")
    err = refused(_ods(tmp_path, table), SMALL)
    assert err.rule == "E_SHEET_TOO_LARGE" and err.sheet == "S"


# ----------------------------------------------------------------------------- BIFF (.xls)


def _rec(rtype: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(body)) + body


def _boundsheet(offset: int, name: str) -> bytes:
    return _rec(0x0085, struct.pack("<IBB", offset, 0, 0) + bytes([len(name), 0]) + name.encode("latin-1"))


def _biff(cells: list[bytes], name="Data") -> bytes:
    """Globals (BOF, BOUNDSHEET, EOF) then one sheet substream holding ``cells``."""
    bof = _rec(0x0809, struct.pack("<HH", 0x0600, 0x0005) + b"\x00" * 12)
    globals_len = len(bof) + len(_boundsheet(0, name)) + 4
    return bof + _boundsheet(globals_len, name) + _rec(0x000A) + \
        _rec(0x0809, struct.pack("<HH", 0x0600, 0x0010) + b"\x00" * 12) + b"".join(cells) + _rec(0x000A)


def _number(row: int, col: int) -> bytes:
    return _rec(0x0203, struct.pack("<HHHd", row, col, 0, 1.0))


def test_biff_extents_and_sheet_names():
    got = scan_biff(_biff([_number(0, 0), _number(9, 3)]), SMALL)
    assert {k: (v.rows, v.columns) for k, v in got.items()} == {"Data": (10, 4)}
    mulrk = _rec(0x00BD, struct.pack("<HH", 2, 1) + b"\x00" * 18 + struct.pack("<H", 7))   # cols 1..7
    got = scan_biff(_biff([mulrk]), SMALL)["Data"]
    assert (got.rows, got.columns) == (3, 8)


def test_biff_cells_after_a_nested_chart_still_count_for_their_sheet():
    chart = _rec(0x0809, struct.pack("<HH", 0x0600, 0x0020) + b"\x00" * 12) + _number(0, 0) + _rec(0x000A)
    got = scan_biff(_biff([_number(0, 0), chart, _number(99, 0)]), SMALL)["Data"]
    assert got.rows == 100


def test_biff_far_cell_and_password_are_refused():
    with pytest.raises(WorkbookReadError) as exc:
        scan_biff(_biff([_number(0, 0), _number(65535, 255)]), SMALL)
    assert exc.value.rule == "E_SHEET_TOO_LARGE" and exc.value.sheet == "Data"
    filepass = _rec(0x002F, b"\x01\x00" + b"\x00" * 52)
    bof = _rec(0x0809, struct.pack("<HH", 0x0600, 0x0005) + b"\x00" * 12)
    with pytest.raises(WorkbookReadError) as exc:
        scan_biff(bof + filepass + _rec(0x000A), SMALL)
    assert exc.value.rule == "E_FILE_ENCRYPTED"


# ----------------------------------------------------------------------------- agreement with the reader


@pytest.mark.slow
def test_extents_never_understate_what_the_reader_holds(books, lo_copies):
    """For real workbooks (ours, LibreOffice's .xlsx and .xls), every sheet as calamine reads it fits
    inside the extent found before reading."""
    from python_calamine import CalamineWorkbook

    for path in (books.good, books.messy, books.broken, lo_copies.xlsx, lo_copies.xls):
        extents = check_file(path).sheets
        with CalamineWorkbook.from_path(str(path)) as wb:
            for name in wb.sheet_names:
                sh = wb.get_sheet_by_name(name)
                if sh.end is None:
                    continue
                assert sh.end[0] + 1 <= extents[name].rows and sh.end[1] + 1 <= extents[name].columns, (path, name)


# ----------------------------------------------------------------------------- the fast path


def _cell_xml(ref: str, form: str) -> bytes:
    return {"value": f'<c r="{ref}" s="1"><v>1</v></c>', "formula": f'<c r="{ref}"><f>1+1</f></c>',
            "inline": f'<c r="{ref}" t="inlineStr"><is><t>x &gt; y</t></is></c>',
            "styled": f'<c r="{ref}" s="2"/>', "open-empty": f'<c r="{ref}"></c>',
            "r-last": f'<c s="1" r="{ref}"><v>1</v></c>', "implicit": '<c><v>1</v></c>',
            "quoted-gt": f'<c r="{ref}" x="/>"><v>1</v></c>', "single-quotes": f"<c r='{ref}'><v>1</v></c>",
            "prefixed": f'<x:c xmlns:x="urn:x" r="{ref}"><x:v>1</x:v></x:c>',
            "newline": f'<c\nr="{ref}"><v>1</v></c>'}[form].encode()


def test_fast_and_streaming_scans_agree_on_what_they_refuse(books, tmp_path, monkeypatch):
    """The regex fast path may only overstate an extent (an open, empty ``<c></c>``), never understate it,
    and every refusal and its message come from the streaming expat scan."""
    import random

    import nrlib.intake.precheck as pc

    forms = ["value", "formula", "inline", "styled", "open-empty", "r-last", "implicit", "quoted-gt",
             "single-quotes", "prefixed", "newline"]
    rng = random.Random(20210218)
    for i in range(60):
        cells = []
        for _ in range(rng.randint(1, 6)):
            row = rng.choice([1, 3, 50, 99, 100, 101, 20000, 1048576])
            col = rng.choice([1, 2, 20, 21, 26, 27, 500, 16384])
            cells.append(_cell_xml(f"{col_letters(col)}{row}", rng.choice(forms)))
        path = with_sheet(books, tmp_path, b'<row r="1">' + b"".join(cells) + b"</row>", name=f"f{i}.xlsx")
        got = {}
        for fast in (True, False):
            monkeypatch.setattr(pc, "FAST_PART_BYTES", 4 << 20 if fast else -1)
            for limits in (None, SMALL):
                try:
                    ext = check_file(path, limits).sheets["VanDong"]
                    got[fast, limits] = ("ok", ext.rows, ext.columns)
                except WorkbookReadError as exc:
                    got[fast, limits] = ("refused", exc.rule, exc.message)
        for limits in (None, SMALL):
            fast, slow = got[True, limits], got[False, limits]
            assert fast[0] == slow[0], (cells, fast, slow)
            if fast[0] == "refused":
                assert fast == slow, cells
            else:
                assert fast[1] >= slow[1] and fast[2] >= slow[2], (cells, fast, slow)
                if not any(b"></c>" in c for c in cells):
                    assert fast == slow, cells


def test_the_fast_path_does_not_apply_to_utf16_parts(books, tmp_path):
    xml = sheet_xml(b'<row r="1"><c r="XFD1048576"><v>1</v></c></row>').replace(b'encoding="UTF-8"', b'encoding="UTF-16"')
    path = replace_parts(books.good, tmp_path / "u16.xlsx", {VANDONG_PART: b"\xff\xfe" + xml.decode().encode("utf-16-le")})
    assert refused(path).rule == "E_SHEET_TOO_LARGE"
