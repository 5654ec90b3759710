"""Cells read as the clerk sees them (nrlib.intake.cellfacts and the sheet readers), on real files.

One workbook holds each everyday misread: a percentage typed the Excel way
(``94,2%`` in a % indicator, and in a count), formulas whose result was
never computed (a file written by a program, not an office suite), a value
merged across the five year columns, a status merged across them, a formula
that gives ``#DIV/0!``, and "Không áp dụng" declared by a xã. The file written
by the program (openpyxl) is then opened and saved by LibreOffice as
``.xlsx``, ``.ods`` and ``.xls``: the office suite computes the formulas and
stores the percentage, the merge and the error value its own way, and every
copy must be read the same way, each misread refused or read right at its
own cell, never stored silently.
"""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import openpyxl
import pytest
from ingest_fixtures import fixture_outline, UNIT, addr, find_unit, good_content, schema, validate_file  # noqa: F401 (fixture)

from nrlib.intake.cellfacts import is_percent_format
from nrlib.reference import load_outline
from nrlib.workbooks.template import write_workbook

PERCENT_CELL = ("ChiTieu", "15.1", 2018)        # unit %: "94,2%" typed
PERCENT_IN_COUNT = ("VanDong", "VD14", 2017)    # unit thẻ: "5%" typed
FORMULA_REQUIRED = ("VanDong", "VD01", 2016)    # =1500+0,5, required cell
FORMULA_OPTIONAL = ("ChiTieu", "15.1", 2019)    # =80+5, optional cell
DIV_ZERO = ("VanDong", "VD02", 2017)            # =1/0
MERGED_VALUE = ("VanDong", "VD05")              # one value over the five years
MERGED_STATUS = 3                               # "Đạt" over the five years
NOT_APPLICABLE_XA = (5, 2018)                   # a xã says "Không áp dụng"


def _ref(sheet, key, year):
    return addr(sheet, key, year)


def _loc(sheet, key, year):
    return f"{sheet}!{_ref(sheet, key, year)}"


@pytest.fixture(scope="module")
def misread(tmp_path_factory):
    d = tmp_path_factory.mktemp("misread")
    outline = load_outline()
    content = good_content(UNIT)
    content["criteria"][NOT_APPLICABLE_XA] = "not_applicable"
    content["overrides"] = {
        (FORMULA_REQUIRED[0], _ref(*FORMULA_REQUIRED)): "=1500+0.5",
        (FORMULA_OPTIONAL[0], _ref(*FORMULA_OPTIONAL)): "=80+5",
        (DIV_ZERO[0], _ref(*DIV_ZERO)): "=1/0",
    }
    program = write_workbook(d / "src" / f"{UNIT}_chuong-trinh.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    wb = openpyxl.load_workbook(program)
    for (sheet, key, year), value in ((PERCENT_CELL, 0.942), (PERCENT_IN_COUNT, 0.05)):
        cell = wb[sheet][_ref(sheet, key, year)]
        cell.value, cell.number_format = value, "0.0%"
    years = outline.years
    first, last = _ref("VanDong", MERGED_VALUE[1], years[0]), _ref("VanDong", MERGED_VALUE[1], years[-1])
    wb["VanDong"].merge_cells(f"{first}:{last}")
    first, last = _ref("TieuChi", MERGED_STATUS, years[0]), _ref("TieuChi", MERGED_STATUS, years[-1])
    wb["TieuChi"][first] = "Đạt"
    wb["TieuChi"].merge_cells(f"{first}:{last}")
    wb.save(program)
    from conftest import soffice_convert

    copies = {"program": program}
    for fmt, to in (("xlsx", "xlsx"), ("ods", "ods"), ("xls", "xls:MS Excel 97")):
        out = soffice_convert(program, to, d / fmt)
        copies[fmt] = shutil.copy(out, d / f"{UNIT}_libreoffice.{fmt}")
    return SimpleNamespace(**copies)


def _values(res) -> dict:
    return {(v["data_element"], v["year"]): v["value"] for v in res.values}


def _status(res) -> dict:
    return {(c["criterion_no"], c["year"]): c["status"] for c in res.criteria_status}


@pytest.mark.slow
@pytest.mark.parametrize("copy", ["program", "xlsx", "ods", "xls"])
def test_every_misread_is_read_right_or_refused_at_its_own_cell(misread, schema, copy):
    res = validate_file(getattr(misread, copy), schema)
    problems = {(p.rule, p.location) for p in res.problems}
    values, status = _values(res), _status(res)
    years = load_outline().years
    # 94,2 % in a % indicator is 94,2, as shown; a percentage in a count is refused
    assert values[PERCENT_CELL[1:]] == pytest.approx(94.2)
    assert ("E_PERCENT_UNIT", _loc(*PERCENT_IN_COUNT)) in problems and values[PERCENT_IN_COUNT[1:]] is None
    # one value over five years cannot be placed: refused once, at its first cell; nothing stored for those years
    assert ("E_MERGED_CELLS", _loc("VanDong", MERGED_VALUE[1], years[0])) in problems
    assert all(values[(MERGED_VALUE[1], y)] is None for y in years)
    # a status over five years holds for each of them
    assert all(status[(MERGED_STATUS, y)] == "reached" for y in years)
    # "Không áp dụng" from a xã
    assert ("E_NOT_APPLICABLE", f"TieuChi!{addr('TieuChi', *NOT_APPLICABLE_XA)}") in problems
    if copy == "program":
        # formulas nobody computed: refused at their cells, required or not, never read as blank
        for cell in (FORMULA_REQUIRED, FORMULA_OPTIONAL, DIV_ZERO):
            assert ("E_FORMULA_NO_VALUE", _loc(*cell)) in problems
        assert not any(p.rule == "E_REQUIRED" and p.location == _loc(*FORMULA_REQUIRED) for p in res.problems)
        msg = next(p.message for p in res.problems if p.location == _loc(*FORMULA_REQUIRED))
        assert "=1500+0.5" in msg and "Excel hoặc LibreOffice" in msg
    else:
        # the office suite computed them: read by their results; the division by zero is an error value
        assert values[FORMULA_REQUIRED[1:]] == pytest.approx(1500.5)
        assert values[FORMULA_OPTIONAL[1:]] == pytest.approx(85)
        assert ("E_CELL_ERROR", _loc(*DIV_ZERO)) in problems and values[DIV_ZERO[1:]] is None
        assert "#DIV/0!" in next(p.message for p in res.problems if p.location == _loc(*DIV_ZERO))
    # nothing else is wrong with the workbook
    expected_rules = {"E_PERCENT_UNIT", "E_MERGED_CELLS", "E_NOT_APPLICABLE",
                      "E_FORMULA_NO_VALUE" if copy == "program" else "E_CELL_ERROR"}
    assert {p.rule for p in res.problems if p.severity == "error"} == expected_rules
    assert not res.accepted


@pytest.mark.parametrize("code, percent", [
    ("0%", True), ("0.00%", True), ('0.0"%"', False), ("0.0\\%", False), ("[Red]0.0%", True), ("#,##0", False),
    ('"tỷ lệ "0.0%', True), ("[$%-409]0", False),
])
def test_percent_formats(code, percent):
    assert is_percent_format(code) is percent


def test_a_good_workbook_has_no_cell_facts_to_report(tmp_path, schema):
    """The template writer's own workbook: no percent, formula or error cell, and no merge over data cells."""
    from nrlib.intake.reader import read_workbook

    path = write_workbook(tmp_path / f"{UNIT}_tot.xlsx", find_unit(UNIT), content=good_content(UNIT), outline=fixture_outline())
    book = read_workbook(path)
    assert not any(s.facts.percent or s.facts.formulas or s.facts.errors for s in book.sheets.values())
    assert validate_file(path, schema).problems == []
