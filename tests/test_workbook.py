"""Submission workbooks: layout from the outline, protection, drop-downs, formats, CLI, LibreOffice rendering."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import unicodedata

import openpyxl
import pytest
from conftest import require_program, soffice_convert
from openpyxl.worksheet.cell_range import CellRange
from workbook_fixtures import gia_kiem, outline, templates  # noqa: F401 (fixtures)

import nrlib
from nrlib.cli import main
from nrlib.workbooks.layout import cell_address, sheet_layout
from nrlib.workbooks.template import template_filename, write_templates, write_workbook

# a xã's workbook: no VanMinhDoThi (a town's has it after TieuChi, tests/test_outline_v2.py)
SHEETS = ["HuongDan", "ThongTin", "TieuChi", "ChiTieu", "VanDong", "KhenThuong", "SoKet", "DanhGia", "TuCham"]
THONG_NHAT_FILES = [
    "26299_gia-tan-1.xlsx", "26302_gia-tan-2.xlsx", "26305_gia-tan-3.xlsx", "26308_gia-kiem.xlsx",
    "26311_quang-trung.xlsx", "26314_bau-ham-2.xlsx", "26317_hung-loc.xlsx", "26320_lo-25.xlsx",
    "26323_xuan-thien.xlsx", "26326_dau-giay.xlsx",
]


def _validated(ws) -> dict[str, list]:
    """cell coordinate -> the data validations covering it."""
    out: dict[str, list] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in CellRange(rng.coord).cells:
                out.setdefault(openpyxl.utils.get_column_letter(row[1]) + str(row[0]), []).append(dv)
    return out


def test_template_command_writes_one_named_workbook_per_unit(templates, capsys):
    assert sorted(p.name for p in templates.glob("*.xlsx")) == THONG_NHAT_FILES
    assert template_filename({"unit_code": "26308", "name": "Xã Gia Kiệm", "unit_type_label": "xã"}) == "26308_gia-kiem.xlsx"
    assert template_filename({"unit_code": "26326", "name": "Thị trấn Dầu Giây", "unit_type_label": "thị trấn"}) \
        == "26326_dau-giay.xlsx"


def test_template_for_listed_units_only(tmp_path):
    paths = write_templates(tmp_path, unit_codes=["26326", "26308", "26308"])
    assert [p.name for p in paths] == ["26308_gia-kiem.xlsx", "26326_dau-giay.xlsx"]


def test_sheet_order_and_instructions_first(gia_kiem, outline):
    assert gia_kiem.sheetnames == SHEETS
    assert gia_kiem.active.title == "HuongDan"
    ws = gia_kiem["HuongDan"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert outline.raw["instructions"]["title"] in text
    assert "Xã Gia Kiệm" in text and "26308" in text
    for line in outline.for_unit_types(["xa"]).raw["instructions"]["lines"]:    # worded for a xã: "số ấp"
        assert line in text
    assert outline.sample_marker not in text  # a template is not sample data


def test_prefilled_cells_locked_grey_and_input_cells_unlocked_yellow(gia_kiem):
    for ws in gia_kiem.worksheets:
        assert ws.protection.sheet, f"{ws.title} not protected"
        assert not ws.protection.password
    info = gia_kiem["ThongTin"]
    assert [info[f"A{r}"].value for r in range(3, 6)] == ["Thông tin", "Mã đơn vị", "Tên đơn vị"]
    code, name, preparer = info["B4"], info["B5"], info["B8"]
    assert code.value == "26308" and name.value == "Xã Gia Kiệm" and info["B7"].value == "2.0"
    assert code.protection.locked and name.protection.locked
    assert not preparer.protection.locked and preparer.value is None
    grey, yellow = code.fill.start_color.rgb, preparer.fill.start_color.rgb
    assert grey != yellow
    vd = gia_kiem["VanDong"]
    a, d = (cell_address(None, "VanDong", "VD11", k) for k in ("code", 2016))
    assert vd[a].value == "VD11" and vd[a].protection.locked and vd[a].fill.start_color.rgb == grey
    assert not vd[d].protection.locked and vd[d].fill.start_color.rgb == yellow
    assert vd["D3"].value == "2016" and vd["H3"].value == "2020" and vd["I3"].value == "Ghi chú"
    tc = gia_kiem["TieuChi"]
    assert tc["A4"].value == 1 and tc["A22"].value == 19 and tc["B22"].protection.locked
    assert not tc["C4"].protection.locked and not tc["H22"].protection.locked


def test_every_choice_cell_has_a_dropdown_of_vietnamese_labels(gia_kiem, outline):
    for name in ("TieuChi", "KhenThuong"):
        layout = sheet_layout(outline, name)
        covered = _validated(gia_kiem[name])
        for col in layout.columns:
            if col.spec.get("type") != "choice":
                continue
            labels = [c["label"] for c in outline.choices(col.spec["choices"])]
            for r in layout.rows.values():
                dvs = [dv for dv in covered.get(f"{col.letter}{r}", []) if dv.type == "list"]
                assert dvs, f"{name}!{col.letter}{r} has no drop-down"
                assert dvs[0].formula1 == '"' + ",".join(labels) + '"'
    # the award form is an open choice: other text is accepted after a message
    award_cell = cell_address(outline, "KhenThuong", 1, "award_form")
    award = [dv for dv in _validated(gia_kiem["KhenThuong"])[award_cell] if dv.type == "list"][0]
    status = [dv for dv in _validated(gia_kiem["TieuChi"])["C4"] if dv.type == "list"][0]
    assert award.errorStyle == "information" and status.errorStyle == "stop"
    assert "Đạt" in status.formula1 and "Không áp dụng" in status.formula1


def test_numeric_cells_have_formats_and_validations(gia_kiem):
    vd, ct, info = gia_kiem["VanDong"], gia_kiem["ChiTieu"], gia_kiem["ThongTin"]
    hh, code = cell_address(None, "VanDong", "VD11", 2016), cell_address(None, "VanDong", "VD11", "code")
    assert vd[hh].number_format == "#,##0"          # VD11 households: integer
    assert vd["D4"].number_format == "#,##0.0#"        # VD01 money
    assert info["B11"].number_format == "DD/MM/YYYY"   # report date
    covered = _validated(vd)
    assert [dv.type for dv in covered[hh]] == ["whole"] and covered[hh][0].operator == "greaterThan"
    assert [dv.type for dv in covered["D4"]] == ["decimal"]
    assert code not in covered  # locked cells carry no validation
    # a year of birth: a whole number between 1900 and the last year; the form of the review: a drop-down
    kt = _validated(gia_kiem["KhenThuong"])[cell_address(None, "KhenThuong", 1, "birth_year")]
    assert [(dv.type, dv.formula1, dv.formula2) for dv in kt] == [("whole", "1900", "2021")]
    sk = _validated(gia_kiem["SoKet"])[cell_address(None, "SoKet", "review_form", "value")]
    assert [dv.type for dv in sk] == ["list"] and "Tổ chức hội nghị sơ kết" in sk[0].formula1
    chi = _validated(ct)
    row10 = ct["A12"]
    assert row10.value == "10" and chi["E12"][0].formula2 == "1000"


def test_codes_are_text(gia_kiem, outline):
    ct = gia_kiem["ChiTieu"]
    codes = [ct.cell(r, 1) for r in range(4, 4 + len(outline.typed_indicators))]
    assert [c.value for c in codes] == list(outline.typed_indicators["indicator_code"])
    for c in codes + [gia_kiem["ThongTin"]["B4"], gia_kiem["ThongTin"]["B7"]]:
        assert c.data_type == "s" and c.number_format == "@", c.coordinate
    assert "5" in [c.value for c in codes] and "10" in [c.value for c in codes]


def test_frozen_panes_print_setup_and_widths(gia_kiem, outline):
    expected = {"ThongTin": "B4", "TieuChi": "C4", "ChiTieu": "E4", "VanDong": "D4", "KhenThuong": "A4",
                "SoKet": "B4", "DanhGia": "C4"}
    for name, cell in expected.items():
        ws = gia_kiem[name]
        assert ws.freeze_panes == cell, name
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.orientation == ("portrait" if name in ("ThongTin", "SoKet") else "landscape")
    assert gia_kiem["VanDong"].column_dimensions["B"].width == 56
    assert gia_kiem["DanhGia"]["C4"].alignment.wrap_text


def test_content_is_written_as_labels_numbers_or_raw_text(tmp_path, outline):
    unit = nrlib.find_unit("26308")
    content = {
        "info": {"preparer_name": "Nguyễn Văn A (mẫu)", "report_date": dt.date(2021, 2, 15)},
        "criteria": {(1, 2016): "reached", (2, 2016): "not_applicable", (3, 2016): " ĐẠT ", (4, 2017): "Dat"},
        "criteria_notes": {5: "ghi chú"},
        "values": {("VD11", 2016): 4321, ("VD01", 2017): 1234.5, ("VD12", 2018): "1.234,5", ("15.1", 2020): 91.2},
        "proposals": [{"kind": "individual", "name": "Trần Thị B (mẫu)", "achievement": "x",
                       "award_form": "district_certificate"},
                      {"kind": "Tap the", "name": "Ấp 1", "achievement": "y", "award_form": "Giấy khen khác"}],
        "narratives": {"III.2": "Hạn chế <b>không</b> phải markup"},
        "overrides": {("VanDong", cell_address(outline, "VanDong", "VD11", 2017)): "không có"},
    }
    path = write_workbook(tmp_path / "x.xlsx", unit, outline=outline, content=content)
    wb = openpyxl.load_workbook(path)
    tc, vd, ct, kt, dg, info = (wb[n] for n in ("TieuChi", "VanDong", "ChiTieu", "KhenThuong", "DanhGia", "ThongTin"))
    assert [tc["C4"].value, tc["C5"].value, tc["C6"].value, tc["D7"].value] == ["Đạt", "Không áp dụng", " ĐẠT ", "Dat"]
    assert tc["H8"].value == "ghi chú"
    at = lambda code, year: cell_address(outline, "VanDong", code, year)  # noqa: E731
    assert vd[at("VD11", 2016)].value == 4321 and vd[at("VD11", 2016)].data_type == "n"
    assert vd["E4"].value == 1234.5 and vd[at("VD12", 2018)].value == "1.234,5"
    assert vd[at("VD11", 2017)].value == "không có"
    assert ct[cell_address(outline, "ChiTieu", "15.1", 2020)].value == 91.2
    assert info["B11"].value == dt.datetime(2021, 2, 15) and info["B11"].is_date
    form = lambda i: kt[cell_address(outline, "KhenThuong", i, "award_form")].value  # noqa: E731
    assert [kt["A4"].value, kt["B4"].value, form(1)] == [1, "Cá nhân", "Giấy khen của Chủ tịch UBND huyện"]
    assert [kt["A5"].value, kt["B5"].value, form(2)] == [2, "Tap the", "Giấy khen khác"]
    assert dg[cell_address(outline, "DanhGia", "III.2", "text")].value == "Hạn chế <b>không</b> phải markup"
    # a date typed as text stays text for the reader to parse
    path = write_workbook(tmp_path / "y.xlsx", unit, outline=outline, content={"info": {"report_date": "15/02/2021"}})
    assert openpyxl.load_workbook(path)["ThongTin"]["B11"].value == "15/02/2021"


def test_more_proposals_than_template_rows_extend_the_table(tmp_path, outline):
    n = outline.sheet("KhenThuong")["template_rows"] + 3
    props = [{"kind": "collective", "name": f"Tập thể {i}", "achievement": "a", "award_form": "province_merit"}
             for i in range(n)]
    path = write_workbook(tmp_path / "p.xlsx", nrlib.find_unit("26308"), outline=outline, content={"proposals": props})
    kt = openpyxl.load_workbook(path)["KhenThuong"]
    last = 3 + n
    name = f"{sheet_layout(outline, 'KhenThuong').column('name').letter}{last}"
    assert kt[name].value == f"Tập thể {n - 1}" and not kt[name].protection.locked
    assert any(dv.type == "list" for dv in _validated(kt)[f"B{last}"])


def test_unknown_content_keys_are_rejected(tmp_path, outline):
    unit = nrlib.find_unit("26308")
    with pytest.raises(KeyError, match="VD99"):
        write_workbook(tmp_path / "x.xlsx", unit, outline=outline, content={"values": {("VD99", 2016): 1}})
    with pytest.raises(KeyError):
        write_workbook(tmp_path / "x.xlsx", unit, outline=outline, content={"criteria": {(20, 2016): "reached"}})
    with pytest.raises(KeyError):
        write_workbook(tmp_path / "x.xlsx", unit, outline=outline, content={"values": {("VD01", 2015): 1}})
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("args, needle", [
    (["--district", "999"], "999"),
    (["--district", "abc"], "abc"),
    (["--unit", "99999"], "99999"),
])
def test_unknown_codes_exit_2_with_a_clear_message(tmp_path, capsys, args, needle):
    assert main(["template", *args, "--out", str(tmp_path / "t")]) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err and err.startswith("nrlib: ")
    assert not list((tmp_path).rglob("*.xlsx"))


def _pdf_text(pdf) -> str:
    pdftotext = require_program("pdftotext")
    out = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, timeout=60, check=True)
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


@pytest.mark.slow
def test_libreoffice_renders_a_readable_pdf_with_vietnamese_text(templates, tmp_path):
    pdf = soffice_convert(templates / "26308_gia-kiem.xlsx", "pdf", tmp_path)
    text = _pdf_text(pdf)
    for needle in ("HƯỚNG DẪN ĐIỀN BIỂU MẪU", "Xã Gia Kiệm", "Mã đơn vị", "Đạt", "Không áp dụng",
                   "Tổng số hộ dân cuối năm", "Đơn vị tính", "≤ 14,3%", "Nguyên nhân khách quan",
                   "Hình thức đề nghị", "Năm sinh", "Tổng số ấp", "TỔ CHỨC SƠ KẾT"):
        assert needle in text, needle
    # every sheet is printed: one title per sheet
    for title in ("THÔNG TIN CHUNG", "KẾT QUẢ THỰC HIỆN CUỘC VẬN ĐỘNG", "ĐỀ XUẤT KHEN THƯỞNG"):
        assert title in text
    assert re.search(r"VD11\s+Tổng số hộ dân cuối năm", text)  # code and label on one printed line
