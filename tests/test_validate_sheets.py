"""nrlib.intake.sheets: each sheet read by its layout's reader, every cell checked as it is read."""

from __future__ import annotations

import datetime as dt

from ingest_fixtures import (
    schema,  # noqa: F401 (a fixture)
    validate_file,
)

from nrlib.intake.result import cell_text, show_number, show_value
from nrlib.intake.schema import compile_schema
from nrlib.intake.sheets import READERS, range_rules


def test_every_layout_of_the_outline_has_a_reader():
    assert {spec["layout"] for spec in compile_schema().sheets.values()} <= set(READERS)


def test_cells_read_as_text_the_way_people_see_them():
    assert cell_text(12.0) == "12" and cell_text(1.5) == "1.5" and cell_text(True) == "TRUE"
    assert cell_text("  Đa\u0323t ") == "Đạt"          # trimmed, NFC
    assert cell_text("   ") is None and cell_text(None) is None
    assert cell_text(dt.date(2021, 2, 15)) == "2021-02-15"


def test_values_in_messages_are_shown_in_vietnamese_format_and_shortened():
    assert show_value(1234.5) == "1.234,5" and show_value(dt.date(2021, 2, 15)) == "15/02/2021"
    assert show_value("x" * 80) == "x" * 57 + "…"
    assert show_number(0.1234567) == "0,123457" and show_number(3000.0) == "3.000"


def test_range_rules_keep_only_the_bounds_given():
    assert range_rules({"min": 0, "max": 100, "gt": None, "le_metric": "VD11"}) == [("min", 0.0), ("max", 100.0)]


def test_a_proposal_without_a_number_gets_its_row_order(tmp_path, schema):
    """People leave the STT column blank or delete it: every proposal still has a sequence number
    (the store requires one; a missing one once failed the whole ingest batch)."""
    import openpyxl
    from ingest_fixtures import write_good

    path = write_good(tmp_path / "stt.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["KhenThuong"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "STT")
    for r in range(header + 1, ws.max_row + 1):
        ws.cell(r, 1).value = None
    wb.save(path)
    res = validate_file(path, schema)
    assert [p["seq"] for p in res.proposals] == [1, 2]
    ws.delete_cols(1)
    wb.save(path)
    res = validate_file(path, schema)
    assert [p["seq"] for p in res.proposals] == [1, 2] and res.accepted


def test_a_proposal_number_too_large_for_the_store_is_its_row_order(tmp_path, schema):
    """An STT of 2147483648 (beyond the store's 32-bit column) once failed the file as an internal error; the STT
    only orders the rows, so such a number (or 0, or a negative one) is replaced by the row's order."""
    import openpyxl
    from ingest_fixtures import write_good

    from nrlib.ingest import ingest_files

    path = write_good(tmp_path / "26308_stt.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["KhenThuong"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "STT")
    ws.cell(header + 1, 1).value = 2147483648
    ws.cell(header + 2, 1).value = -3
    wb.save(path)
    assert [p["seq"] for p in validate_file(path, schema).proposals] == [1, 2]
    [out] = ingest_files([path], tmp_path / "s.duckdb", received="2021-02-15")
    assert out.outcome == "accepted" and "E_INTERNAL" not in {p.rule for p in out.problems}
