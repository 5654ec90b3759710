"""Sheet layout: every cell_address is where the writer puts things; the level column's texts."""

from __future__ import annotations

from workbook_fixtures import gia_kiem, outline, templates  # noqa: F401 (fixtures)

from nrlib import load_outline
from nrlib.workbooks.layout import cell_address, sheet_layout


def test_cell_address_is_where_the_writer_puts_things(gia_kiem, outline):
    assert cell_address(outline, "VanDong", "VD11", 2016) == "D20"
    assert cell_address(load_outline(version="1.0"), "VanDong", "VD11", 2016) == "D14"
    assert cell_address(outline, "ThongTin", "report_date", "value") == "B11"
    assert cell_address(outline, "TieuChi", 17, 2018) == "E20"
    for name in ("TieuChi", "ChiTieu", "VanDong", "DanhGia"):
        layout = sheet_layout(outline, name)
        ws = gia_kiem[name]
        first = layout.columns[0]
        for key in layout.rows:
            # a DanhGia row is keyed by its section's code and shows its number (I.1, IV.1 …)
            shown = layout.row_specs[key]["section_code"] if name == "DanhGia" else key
            assert str(ws[cell_address(outline, name, key, first.key)].value) == shown
        for col in layout.columns:
            assert ws[f"{col.letter}{layout.header_row}"].value == col.label
    layout = sheet_layout(outline, "ThongTin")
    for field in outline.sheet("ThongTin")["fields"]:
        assert gia_kiem["ThongTin"][cell_address(outline, "ThongTin", field["key"], "label")].value == field["label"]


def test_level_column_shows_the_levels_that_apply(gia_kiem):
    ct = gia_kiem["ChiTieu"]
    level = {ct.cell(r, 1).value: ct.cell(r, 4).value for r in range(4, ct.max_row + 1) if ct.cell(r, 1).value}
    assert level["15.3"] == "≤ 14,3%"
    assert level["15.1"] == "≥ 85%"
    assert level["10"] == "≥ 59 (2020)"
    assert level["2.1"] == "chưa xác định"   # no level seen in any source
    assert level["17.6"] == "chưa xác định"  # only a national level: not applied to a region
