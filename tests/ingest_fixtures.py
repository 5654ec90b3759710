"""Workbooks for the ingest tests — good, messy-but-valid, broken — built with the template writer.

Every workbook is written by :func:`nrlib.workbooks.template.write_workbook` from a
content dict (so tests and templates never drift apart), then, for the messy
and broken ones, edited with openpyxl the way people edit them: renamed
sheets, inserted rows and columns, merged headers, extra and deleted sheets.
The session fixture :func:`books` writes them once; tests treat them as
read-only. :data:`BROKEN_EXPECTED` lists every problem of the broken
workbook, with its location. The validation tests (test_validate,
test_plausibility) share the ``schema`` fixture and :func:`validate_file`,
:func:`problem_locations`.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import time
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from nrlib import find_unit, load_criteria, load_outline, unit_years
from nrlib.workbooks.layout import cell_address
from nrlib.workbooks.template import write_workbook

UNIT = "26308"      # Xã Gia Kiệm
OTHER = "26311"     # Xã Quang Trung
TOWN = "26326"      # Thị trấn Dầu Giây (NTM criteria stop applying in 2019)


#: the fixtures are workbooks of outline version 1, as communes sent them before version 2: they must keep being
#: accepted (ingest validates each workbook against the version it states); version 2's own are in test_outline_v2
OUTLINE_VERSION = "1.0"


def fixture_outline():
    return load_outline(version=OUTLINE_VERSION)


def addr(sheet: str, row_key, col_key) -> str:
    return cell_address(fixture_outline(), sheet, row_key, col_key)


def good_content(unit_code: str = UNIT, shift: float = 0.0) -> dict:
    """A complete, valid submission: every rule holds, every declared "Đạt" is backed by its values.

    ``shift`` changes the values a little (a resubmission, another unit).
    """
    outline = fixture_outline()
    years = outline.years
    unit = find_unit(unit_code)
    import pandas as pd

    ntm = dict(zip(*[unit_years(pd.DataFrame([unit]), years)[c] for c in ("year", "ntm_applies")]))
    values: dict = {}
    for i, y in enumerate(years):
        k = i + shift
        households = 3000 + 40 * i + int(10 * shift)
        v = {"VD01": 1500.5 + 10 * k, "VD02": 2300.25 + 5 * k, "VD03": 12345 + 100 * k, "VD04": 5000 + 10 * i,
             "VD05": 7.5 + k, "VD06": 1.25 + 0.5 * k, "VD07": 2, "VD08": 5 + i, "VD09": 3, "VD10": 450.5 + 20 * k,
             "VD11": households, "VD12": 30 - 5 * i, "VD13": 60 - 2 * i, "VD14": 100 + i, "VD15": 2500 + 20 * i,
             "VD16": 10, "VD17": 8, "VD18": 3, "VD19": households - 50, "VD20": 2000 + 30 * i, "VD21": 500,
             "VD22": 4, "VD23": 6}
        if i == 0:
            v["VD01"], v["VD02"], v["VD03"], v["VD05"] = 1500.5 + shift, 2300.25 + shift, 12345 + shift, 7.5
        for code, x in v.items():
            values[(code, y)] = x
        for row in outline.sheet("ChiTieu")["rows"]:
            code = str(row["indicator_code"])
            if not ntm[y]:
                continue
            values[(code, y)] = 80.0 + k if code == "10" else (5.0 if code == "15.3" else
                                                              (100.0 if code == "17.8" else 99.0 - 0.1 * k))
    criteria = {(no, y): ("reached" if ntm[y] else "not_applicable")
                for no in sorted(set(load_criteria()["criterion_no"])) for y in years}
    return {
        "info": {"preparer_name": "Nguyễn Văn An", "preparer_title": "Chủ tịch Ủy ban MTTQ xã",
                 "phone": "0251 3 123 456", "report_date": dt.date(2021, 2, 15)},
        "criteria": criteria,
        "criteria_notes": {1: "Giữ vững"},
        "values": values,
        "proposals": [
            {"kind": "collective", "name": "Ban công tác Mặt trận ấp 1", "address": "Ấp 1",
             "achievement": "Vận động hiến đất làm đường", "award_form": "Giấy khen của UBND huyện"},
            {"kind": "individual", "name": "Trần Thị Bình", "address": "@Ấp 2",
             "achievement": "-Tích cực vận động", "award_form": "Giấy khen của Ủy ban MTTQ huyện"},
        ],
        "narratives": {s["code"]: f"Nội dung mục {s['code']}." for s in outline.sheet("DanhGia")["sections"]},
    }


def write_good(path: Path, unit_code: str = UNIT, shift: float = 0.0, **edit) -> Path:
    content = good_content(unit_code, shift)
    for key, val in edit.items():
        content[key] = val
    return write_workbook(path, find_unit(unit_code), content=content, outline=fixture_outline())


# ----------------------------------------------------------------------------- messy but valid

#: raw text typed in the messy workbook → the value it must be read as
MESSY_NUMBERS = {("VD01", 2016): ("1.500,5", 1500.5), ("VD02", 2016): ("2,300.25", 2300.25),
                 ("VD11", 2016): ("3.000", 3000.0), ("VD03", 2016): ("  12 345 ", 12345.0),
                 ("VD05", 2016): ("7,5", 7.5)}
#: raw text typed for a criterion → the status it must be read as
MESSY_CHOICES = {(1, 2016): "Dat", (2, 2016): " ĐẠT ", (3, 2016): unicodedata.normalize("NFD", "Đạt"),
                 (4, 2016): "chua dat", (5, 2016): "CHƯA  ĐẠT"}
MESSY_STATUS = {(4, 2016): "not_reached", (5, 2016): "not_reached"}


def write_messy(path: Path) -> Path:
    """Valid content typed the way people type it, in a workbook people have edited."""
    content = good_content(UNIT)
    for key, (raw, _) in MESSY_NUMBERS.items():
        content["values"][key] = raw
    for key, raw in MESSY_CHOICES.items():
        content["criteria"][key] = raw
    content["info"]["report_date"] = "15/02/2021"
    content["narratives"]["I"] = unicodedata.normalize("NFD", "Tuyên truyền, vận động sâu rộng")
    content["proposals"][0]["kind"] = "tap the"
    content["proposals"][0]["award_form"] = "giay khen cua ubnd huyen"
    write_workbook(path, find_unit(UNIT), content=content, outline=fixture_outline())
    wb = openpyxl.load_workbook(path)
    # sheet names retyped
    for old, new in (("ThongTin", "THONGTIN"), ("TieuChi", "tieuchi"), ("VanDong", "Vandong ")):
        wb[old].title = "_tmp"
        wb["_tmp"].title = new  # openpyxl refuses a case-only rename in one step
    # VanDong: a heading row without a code in the middle, a signature and blank rows below
    vd = wb["Vandong "]
    vd.insert_rows(8)
    vd["B8"] = "I. KINH PHÍ VÀ CÔNG TRÌNH"
    last = vd.max_row
    vd.cell(last + 2, 1).value = "   "
    vd.cell(last + 4, 2).value = "Người lập biểu"
    vd.cell(last + 6, 8).value = ""
    # ChiTieu: a two-row header, "Năm" merged above the year columns and "Mã chỉ tiêu" merged down
    ct = wb["ChiTieu"]
    ct.insert_rows(4)
    years = {str(y) for y in fixture_outline().years}
    year_cols = [c for c in range(1, ct.max_column + 1) if str(ct.cell(3, c).value) in years]
    for c in year_cols:
        ct.cell(4, c).value = ct.cell(3, c).value
        ct.cell(3, c).value = None
    ct.cell(3, year_cols[0]).value = "Năm"
    ct.merge_cells(start_row=3, start_column=year_cols[0], end_row=3, end_column=year_cols[-1])
    ct.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    # TieuChi: a column inserted before the years
    tc = wb["tieuchi"]
    tc.insert_cols(3)
    tc.cell(3, 3).value = "Người phụ trách"
    tc.cell(5, 3).value = "Phó Chủ tịch"
    wb.save(path)
    return path


# ----------------------------------------------------------------------------- broken

BROKEN_NAME = f"{OTHER}_bao-cao.xlsx"   # the file name claims another unit
BROKEN_EXPECTED = [
    ("E_UNIT_MISMATCH", "ThongTin", ("ThongTin", "unit_code", "value")),
    ("E_OUTLINE_VERSION", "ThongTin", ("ThongTin", "outline_version", "value")),
    ("E_TYPE_DATE", "ThongTin", ("ThongTin", "report_date", "value")),
    ("E_ENCODING_LEGACY", "ThongTin", ("ThongTin", "preparer_name", "value")),
    ("E_CHOICE", "TieuChi", ("TieuChi", 3, 2017)),
    ("E_RANGE", "ChiTieu", ("ChiTieu", "2.1", 2016)),
    ("E_RANGE", "VanDong", ("VanDong", "VD01", 2016)),
    ("E_TYPE_NUMBER", "VanDong", ("VanDong", "VD04", 2019)),
    ("E_INTEGER", "VanDong", ("VanDong", "VD08", 2018)),
    ("E_RELATION", "VanDong", ("VanDong", "VD12", 2017)),
    ("E_ROW_UNKNOWN", "VanDong", "A{vd23}"),        # VD23's code erased, its values left
    ("E_ROW_MISSING", "VanDong", ""),               # ... so VD23 is missing
    ("E_ROW_DUPLICATE", "VanDong", "A{dup}"),       # VD03 typed a second time
    ("E_ROW_UNKNOWN", "VanDong", "A{unknown}"),     # VD99 is no code of the outline
    ("E_SHEET_MISSING", "DanhGia", ""),
    ("W_SHEET_UNKNOWN", "Ghi chu rieng", ""),
]


def write_broken(path: Path) -> list[tuple[str, str]]:
    """A workbook with one problem of each kind; returns ``[(rule, "SHEET!CELL"), ...]`` expected."""
    content = good_content(UNIT)
    content["values"][("VD01", 2016)] = -100
    content["values"][("VD04", 2019)] = "nhiều"
    del content["values"][("VD05", 2020)]          # a blank: no data, as the instructions allow (not an error)
    content["values"][("VD08", 2018)] = 2.5
    content["values"][("VD12", 2017)] = 99999
    content["values"][("2.1", 2016)] = 150
    content["criteria"][(3, 2017)] = "Gần đạt"
    content["info"]["report_date"] = "ngày mai"
    content["info"]["preparer_name"] = "NguyÔn V¨n An"     # typed with a TCVN3 font
    content["overrides"] = {("ThongTin", addr("ThongTin", "outline_version", "value")): "0.9"}
    write_workbook(path, find_unit(UNIT), content=content, outline=fixture_outline())
    wb = openpyxl.load_workbook(path)
    del wb["DanhGia"]
    wb.create_sheet("Ghi chu rieng")["A1"] = "ghi chú"
    vd = wb["VanDong"]
    vd23 = int(addr("VanDong", "VD23", 2016)[1:])
    vd.cell(vd23, 1).value = None
    dup, unknown = vd23 + 1, vd23 + 2
    for r, code in ((dup, "VD03"), (unknown, "VD99")):
        vd.cell(r, 1).value = code
        for c in range(4, 9):
            vd.cell(r, c).value = 1
    wb.save(path)
    rows = {"vd23": vd23, "dup": dup, "unknown": unknown}
    out = []
    for rule, sheet, where in BROKEN_EXPECTED:
        if isinstance(where, tuple):
            loc = f"{sheet}!{addr(*where)}"
        elif where:
            loc = f"{sheet}!{where.format(**rows)}"
        else:
            loc = sheet
        out.append((rule, loc))
    return out


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def books(tmp_path_factory) -> SimpleNamespace:
    """The test workbooks, written once per session (read-only)."""
    d = tmp_path_factory.mktemp("books")
    ns = SimpleNamespace(dir=d)
    ns.good = write_good(d / f"{UNIT}_gia-kiem.xlsx")
    ns.good_v2 = write_good(d / f"{UNIT}_gia-kiem_v2.xlsx", shift=1.0)
    ns.other = write_good(d / f"{OTHER}_quang-trung.xlsx", OTHER, shift=2.0)
    ns.town = write_good(d / f"{TOWN}_dau-giay.xlsx", TOWN, shift=0.5)
    ns.messy = write_messy(d / "Bao cao xa Gia Kiem (sua lan 2).xlsx")
    ns.broken_expected = write_broken(d / BROKEN_NAME)
    ns.broken = d / BROKEN_NAME
    ns.unreadable = d / f"{UNIT}_hong.xlsx"
    ns.unreadable.write_bytes(b"this is not a zip file, just text typed into a file named .xlsx")
    # the source of the LibreOffice copies: the good content, with a formula where the good one has a number
    src = d / "lo-src"
    src.mkdir()
    content = good_content(UNIT)
    content["overrides"] = {("VanDong", addr("VanDong", "VD10", 2016)): "=400+50.5"}
    ns.formula_source = write_workbook(src / f"{UNIT}_formula.xlsx", find_unit(UNIT), content=content,
                                       outline=fixture_outline())
    return ns


@pytest.fixture(scope="session")
def lo_copies(books, tmp_path_factory) -> SimpleNamespace:
    """The formula workbook re-saved by LibreOffice headless as .xlsx and as .xls (two conversions per run)."""
    from conftest import soffice_convert

    out = tmp_path_factory.mktemp("lo")
    xlsx = soffice_convert(books.formula_source, "xlsx", out / "xlsx")
    xls = soffice_convert(books.formula_source, "xls:MS Excel 97", out / "xls")
    return SimpleNamespace(xlsx=xlsx, xls=xls)


@pytest.fixture(scope="module")
def schema():
    """Every shipped outline compiled, as ingest does: each workbook is validated against the one it states."""
    from nrlib.intake.schema import compile_schemas

    return compile_schemas()


def validate_file(path, schema, **kw):
    """A workbook file read and validated in one pass (the ValidationResult)."""
    from nrlib.intake.reader import read_workbook
    from nrlib.intake.validate import validate_workbook

    return validate_workbook(read_workbook(path), schema, **kw)


def problem_locations(res, rule=None):
    """``{(rule, location)}`` of a validation result's problems, of one rule when given."""
    return {(p.rule, p.location) for p in res.problems if rule is None or p.rule == rule}


def wait_for(proc: subprocess.Popen, text: str, timeout: float = 120) -> None:
    """Read ``proc``'s stderr until a line holds ``text`` (a process paused where a test wants it)."""
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        seen += line
        if text in line:
            return
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"never saw {text!r}; stderr: {seen}")
