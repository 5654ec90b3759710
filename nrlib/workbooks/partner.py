"""The partners' workbooks: one per partner and district, blank or filled.

Method: the layout is :mod:`nrlib.reference.partners`' (``data/reference/partners_2016_2020.yaml``); the units
are the registry's for the district (:func:`nrlib.load_units`), in code order, and the years the outline's. A
sheet of kind ``criteria`` or ``counts`` has one row per unit and year, ``recognitions`` one row per unit and
title; the identity cells (code, name, year or title) are grey and locked, the input cells yellow and
unlocked, and the sheet is protected without a password, as the communes' templates are
(:mod:`nrlib.workbooks.template`, whose styles, page setup and save this module shares). The years a unit is a
town (the new-rural criteria do not apply) hold "Không áp dụng", locked.

Where each cell sits is computed by :func:`partner_rows` and :func:`partner_columns`, which the writer and
:func:`cell_address` share, so tests name the cell they change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from nrlib.core.vnformat import fmt_date
from nrlib.reference import Outline, load_criteria, load_outline, load_partners, load_units, unit_years
from nrlib.reference.partners import Partners, criteria_columns
from nrlib.workbooks.template import (FIXED_TIMESTAMP, instructions_sheet, print_setup, save_workbook, styles,
                                     text_lines)

#: the first column of a sheet, 1-based (the identity columns start there)
FIRST_COLUMN = 1


def partner_columns(partners: Partners, sheet: Mapping, criteria=None) -> list[dict]:
    """The columns of a partner sheet, in order: identity, then year (or nothing), then its own."""
    cols = [dict(c, prefilled=True) for c in partners.identity_columns]
    if sheet["kind"] in ("criteria", "counts"):
        cols.append(dict(partners.raw["year_column"], prefilled=True))
    if sheet["kind"] == "criteria":
        cols += criteria_columns(criteria if criteria is not None else load_criteria())
        cols.append({"key": "note", "label": "Ghi chú", "type": "text", "width": 24})
    else:
        cols += [dict(c) for c in sheet["columns"]]
    for i, c in enumerate(cols):
        c["index"] = FIRST_COLUMN + i
        c["letter"] = get_column_letter(FIRST_COLUMN + i)
    return cols


def partner_rows(partners: Partners, sheet: Mapping, units: list[dict], years: list[int]) -> list[tuple]:
    """The row keys of a partner sheet in order: ``(unit_code, year)`` or ``(unit_code, title)``."""
    if sheet["kind"] == "recognitions":
        titles = [c["value"] for c in partners.choices(sheet["choices"])]
        return [(u["unit_code"], t) for u in units for t in titles]
    return [(u["unit_code"], y) for u in units for y in years]


def cell_address(partner: str, sheet_name: str, row_key: tuple, column_key, district_code: str | int) -> str:
    """Where a cell of a partner workbook is, ``"D7"``: its row ``(unit_code, year | title)``, its column key
    (``"unit_code"``, ``"year"``, a criterion number, ``"households"`` …)."""
    partners = load_partners()
    sheet = next(s for s in partners.sheets(partner) if s["name"] == sheet_name)
    units = load_units(district_code).to_dict("records")
    rows = partner_rows(partners, sheet, units, load_outline().years)
    col = next(c for c in partner_columns(partners, sheet) if c["key"] == column_key)
    return f"{col['letter']}{int(sheet['header_row']) + 1 + rows.index(tuple(row_key))}"


def partner_filename(partner: str, district_code: str | int, partners: Partners | None = None) -> str:
    """``"738_van-phong-dieu-phoi-ntm.xlsx"``: the district's code and the partner's slug (ASCII)."""
    partners = partners or load_partners()
    return f"{district_code}_{partners.partner(partner)['file_slug']}.xlsx"


def write_partner_workbook(path: str | Path, partner: str, district_code: str | int, *,
                           content: Mapping | None = None, banner: str | None = None,
                           outline: Outline | None = None) -> Path:
    """Write a partner's workbook for a district: the blank template, or filled with ``content``.

    Parameters
    ----------
    content : mapping, optional
        ``{"info": {field key: value}, "criteria": {(unit_code, year, criterion_no): "reached" | raw},
        "recognitions": {(unit_code, title): {"year": …, "decision_no": …, "decision_date": date}},
        "counts": {(unit_code, year, column key): number | raw}, "overrides": {(sheet, "D7"): raw}}``.
        Status values are written as their labels (``"Đạt"``), any other string unchanged.
    banner : str, optional
        A line in red under the instructions' title (the sample's "DỮ LIỆU MẪU" statement).
    """
    partners = load_partners()
    p = partners.partner(partner)
    outline = outline or load_outline()
    units_df = load_units(district_code)
    units = units_df.sort_values("unit_code").to_dict("records")
    if not units:
        raise ValueError(f"no units in district {district_code}")
    first = units[0]
    district = {"unit_code": str(first["district_code"]), "name": p["name"]}
    ntm = {(r.unit_code, int(r.year)): bool(r.ntm_applies)
           for r in unit_years(units_df, outline.years).itertuples()}
    content = content or {}
    st = styles()
    wb = Workbook()
    wb.remove(wb.active)
    _instructions(wb, partners, p, first, outline, banner, district)
    _info(wb, partners, p, first, content.get("info") or {}, district)
    criteria = load_criteria()
    for sheet in p["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        cols = partner_columns(partners, sheet, criteria)
        _frame(ws, sheet, cols, district)
        validations: dict[str, DataValidation] = {}
        for i, key in enumerate(partner_rows(partners, sheet, units, outline.years)):
            r = int(sheet["header_row"]) + 1 + i
            unit = next(u for u in units if u["unit_code"] == key[0])
            for c in cols:
                value, locked = _cell(partners, sheet, c, unit, key, ntm, content)
                cell = ws.cell(r, c["index"], value)
                cell.font, cell.border = st.font, st.border
                cell.fill = st.grey if locked else st.yellow
                cell.protection = st.locked if locked else st.unlocked
                cell.alignment = st.center if c.get("criterion") or c["key"] == "year" else st.wrap
                if c["key"] == "unit_code":
                    cell.number_format = "@"
                elif c.get("type") == "date":
                    cell.number_format = "DD/MM/YYYY"
                elif c.get("type") == "integer":
                    cell.number_format = "#,##0" if c.get("metric") else "0"
                if not locked:
                    dv = _validation(partners, sheet, c, outline, validations)
                    if dv is not None:
                        dv.add(cell.coordinate)
        for dv in validations.values():
            ws.add_data_validation(dv)
    for (sheet_name, addr), value in (content.get("overrides") or {}).items():
        wb[sheet_name][addr].value = value
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = "nrlib"
    props.title = p["name"]
    props.subject = f"{first['district_code']} {first['district_name']}"
    props.identifier = f"{p['form_code']} {p['layout_version']}"
    if banner:
        props.keywords = outline.sample_marker
    props.created = props.modified = FIXED_TIMESTAMP
    path = Path(path)
    save_workbook(wb, path)
    return path


def _cell(partners: Partners, sheet: Mapping, col: dict, unit: dict, key: tuple, ntm: dict,
          content: Mapping) -> tuple[object, bool]:
    """A cell's value and whether it is locked (prefilled)."""
    k = col["key"]
    if k == "unit_code":
        return unit["unit_code"], True
    if k == "unit_name":
        return unit["name"], True
    if k == "year" and sheet["kind"] != "recognitions":
        return key[1], True
    if sheet["kind"] == "criteria":
        if col.get("criterion"):
            if not ntm.get((unit["unit_code"], key[1]), True):
                return partners.choice_label(sheet["choices"], "not_applicable"), True
            v = (content.get("criteria") or {}).get((unit["unit_code"], key[1], k))
            return _label(partners, sheet["choices"], v), False
        return (content.get("criteria_notes") or {}).get((unit["unit_code"], key[1])), False
    if sheet["kind"] == "recognitions":
        if k == "title":
            return partners.choice_label(sheet["choices"], key[1]), True
        return ((content.get("recognitions") or {}).get((unit["unit_code"], key[1])) or {}).get(k), False
    return (content.get("counts") or {}).get((unit["unit_code"], key[1], k)), False


def _label(partners: Partners, choices: str, v):
    known = {c["value"]: c["label"] for c in partners.choices(choices)}
    return known.get(v, v)


def _validation(partners: Partners, sheet: Mapping, col: dict, outline: Outline,
                cache: dict) -> DataValidation | None:
    if col.get("criterion"):
        key = "status"
        if key not in cache:
            labels = [c["label"] for c in partners.choices(sheet["choices"]) if c["value"] != "not_applicable"]
            cache[key] = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True,
                                        showErrorMessage=True, errorTitle="Chọn trong danh sách",
                                        error="Chọn một giá trị trong danh sách.")
        return cache[key]
    if col.get("type") == "integer":
        key = f"int-{col['key']}"
        if key not in cache:
            if col["key"] == "year":
                lo, hi = int(sheet.get("earliest_year", outline.years[0])), outline.years[-1]
            else:
                lo, hi = 0, 10_000_000
            cache[key] = DataValidation(type="whole", operator="between", formula1=str(lo), formula2=str(hi),
                                        allow_blank=True, showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                                        error=f"Nhập một số nguyên từ {lo} đến {hi}.")
        return cache[key]
    if col.get("type") == "date":
        if "date" not in cache:
            cache["date"] = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                                           showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                                           error="Nhập một ngày dạng ngày/tháng/năm, ví dụ 15/02/2021.")
        return cache["date"]
    return None


def _frame(ws, sheet: Mapping, cols: list[dict], district: dict) -> None:
    st = styles()
    last = len(cols)
    ws.cell(1, 1, sheet["title"]).font = st.title
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.row_dimensions[1].height = 22
    note = ws.cell(2, 1, sheet.get("note"))
    note.font, note.alignment = st.note, st.wrap
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    total = sum(c.get("width") or 10 for c in cols)
    ws.row_dimensions[2].height = 16 * text_lines(sheet.get("note"), total)
    hr = int(sheet["header_row"])
    lines = 1
    for c in cols:
        cell = ws.cell(hr, c["index"], c["label"])
        cell.number_format = "@"
        cell.font, cell.fill, cell.border, cell.protection = st.bold, st.header_fill, st.border, st.locked
        cell.alignment = st.header_align
        ws.column_dimensions[c["letter"]].width = c.get("width") or 10
        lines = max(lines, text_lines(c["label"], c.get("width") or 10))
    ws.row_dimensions[hr].height = 16 * lines
    n_identity = 3 if sheet["kind"] in ("criteria", "counts") else 2
    ws.freeze_panes = f"{get_column_letter(FIRST_COLUMN + n_identity)}{hr + 1}"
    print_setup(ws, landscape=True, unit=district)
    ws.print_title_rows = f"{hr}:{hr}"
    if sheet["kind"] == "criteria":
        # 19 criteria do not fit one landscape page at a readable size: two pages wide, the unit and the year
        # repeated on each
        ws.page_setup.fitToWidth = 2
        ws.print_title_cols = f"A:{get_column_letter(FIRST_COLUMN + n_identity - 1)}"


def _info(wb: Workbook, partners: Partners, p: Mapping, first: Mapping, info: Mapping, district: dict) -> None:
    spec = partners.info
    st = styles()
    ws = wb.create_sheet(spec["name"])
    ws.cell(1, 1, spec["title"]).font = st.title
    ws.merge_cells("A1:B1")
    hr = int(spec["header_row"])
    for col, c_spec in enumerate(spec["columns"], start=1):
        ws.column_dimensions[get_column_letter(col)].width = c_spec["width"]
        c = ws.cell(hr, col, c_spec["label"])
        c.font, c.fill, c.border, c.alignment = st.bold, st.header_fill, st.border, st.header_align
    prefilled = {"form_code": p["form_code"], "partner_name": p["name"], "district_code": str(first["district_code"]),
                 "district_name": first["district_name"], "layout_version": p["layout_version"]}
    for i, f in enumerate(spec["fields"]):
        r = hr + 1 + i
        label = ws.cell(r, 1, f["label"])
        label.font, label.border, label.fill, label.protection = st.bold, st.border, st.grey, st.locked
        locked = bool(f.get("prefilled"))
        value = prefilled.get(f["key"]) if locked else info.get(f["key"])
        if f["key"] in info and locked:
            value = info[f["key"]]          # a test writes a wrong version or form code on purpose
        if isinstance(value, dt.date) and f.get("type") != "date":
            value = fmt_date(value)
        c = ws.cell(r, 2, value)
        c.font, c.border = st.font, st.border
        c.fill, c.protection = (st.grey, st.locked) if locked else (st.yellow, st.unlocked)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        c.number_format = "DD/MM/YYYY" if f.get("type") == "date" else "@"
    print_setup(ws, landscape=False, unit=district)


def _field_label(partners: Partners, key: str) -> str:
    return next(f["label"] for f in partners.info["fields"] if f["key"] == key)


def _instructions(wb: Workbook, partners: Partners, p: Mapping, first: Mapping, outline: Outline,
                  banner: str | None, district: dict) -> None:
    spec = partners.raw["instructions"]
    words = {"partner": p["name"], "district": first["district_name"], "deadline": fmt_date(outline.deadline)}
    rows = [(spec["title"], "title"), (p["name"], "bold"),
            (f"{first['district_name']} – {_field_label(partners, 'layout_version')}: {p['layout_version']}", "font")]
    instructions_sheet(wb, spec["sheet"], rows, [line.format(**words) for line in spec["lines"]], banner=banner,
                       unit=district)


def write_partner_templates(out_dir: str | Path, district_code: str | int, partners: list[str] | None = None
                            ) -> list[Path]:
    """Write the blank workbook of each partner (default: every partner) for a district."""
    known = load_partners()
    keys = partners or known.keys
    for k in keys:
        known.partner(k)            # an unknown partner raises before anything is written
    load_units(district_code)       # an unknown district raises before anything is written
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_partner_workbook(out_dir / partner_filename(k, district_code, known), k, district_code)
            for k in keys]
