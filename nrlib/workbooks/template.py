"""Submission workbooks: each unit's blank template and, given content, a filled copy.

Method: each sheet is written where :func:`nrlib.workbooks.layout.sheet_layout` puts its
title, header, rows and columns (derived from the outline YAML), the same
layout :func:`nrlib.workbooks.layout.cell_address` reads, so a cell's nominal address
(``VanDong!D14``) has one source of truth.

Cells are styled from the outline's column and field flags: pre-filled cells
are grey and locked, input cells light yellow and unlocked, and each sheet is
protected without a password, so an officer can type only in input cells.
Choice cells get a drop-down of the Vietnamese labels; numeric cells a number
format and a numeric data validation; codes are written as text (``"26308"``,
``"17.1"``) so a spreadsheet never turns them into numbers.

The same writer fills a workbook from a ``content`` dict (the sample generator
and tests use it, see :func:`write_workbook`), so sample, template and test
workbooks never drift apart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from nrlib.core.files import atomic_write
from nrlib.core.textmatch import slugify
from nrlib.core.vocab import NOT_APPLICABLE
from nrlib.reference import Outline, find_unit, load_outline, load_units, resolve_levels, unit_years
from nrlib.reference.outline import ROWS_FROM_URBAN
from nrlib.workbooks.layout import Column, SheetLayout, level_groups, level_text, sheet_layout, unit_scopes

#: workbook timestamps are fixed so that the same content gives the same file content
FIXED_TIMESTAMP = dt.datetime(2021, 1, 1)

# The few user-facing texts the outline does not hold (shown by spreadsheet programs).
_TEXT = {
    "number_error_title": "Giá trị không hợp lệ",
    "number_error": "Nhập một số (không nhập chữ). Số thập phân dùng dấu phẩy.",
    "integer_error": "Nhập một số nguyên không âm.",
    "integer_between_error": "Nhập một số nguyên từ {lo} đến {hi}.",
    "choice_error_title": "Chọn trong danh sách",
    "choice_error": "Chọn một giá trị trong danh sách.",
    "page_footer": "Trang &P / &N",
}

_FONT_NAME = "Times New Roman"  # the official-document font (Nghị định 30/2020/NĐ-CP)
_GREY = "D9D9D9"
_YELLOW = "FFF9DB"
_HEADER = "DCE6F1"

# Layouts that print landscape (wide grids); the others print portrait.
_PORTRAIT_LAYOUTS = {"key_value"}


# --------------------------------------------------------------------------- styles


class _Styles:
    """Style objects built once per process; openpyxl shares them between cells."""

    def __init__(self) -> None:
        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=_FONT_NAME, size=12)
        self.bold = Font(name=_FONT_NAME, size=12, bold=True)
        self.title = Font(name=_FONT_NAME, size=13, bold=True)
        self.note = Font(name=_FONT_NAME, size=11, italic=True)
        self.banner = Font(name=_FONT_NAME, size=13, bold=True, color="C00000")
        self.grey = PatternFill("solid", start_color=_GREY, end_color=_GREY)
        self.yellow = PatternFill("solid", start_color=_YELLOW, end_color=_YELLOW)
        self.header_fill = PatternFill("solid", start_color=_HEADER, end_color=_HEADER)
        self.locked = Protection(locked=True)
        self.unlocked = Protection(locked=False)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.top = Alignment(vertical="top")


_STYLES: _Styles | None = None


def _styles() -> _Styles:
    global _STYLES
    if _STYLES is None:
        _STYLES = _Styles()
    return _STYLES


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True)
class _CellKind:
    type: str                  # code, text, integer, number, date, choice
    locked: bool
    choices: str | None = None
    open_choice: bool = False
    minimum: float | None = None
    maximum: float | None = None
    strict_minimum: bool = False


def _cell_kind(layout: SheetLayout, row_key: str, col: Column, locked_years: frozenset = frozenset()) -> _CellKind:
    spec = col.spec
    if layout.layout == "key_value" and col.key == "value":
        spec = layout.row_specs[row_key]
    elif layout.layout == "key_value" and col.key == "bound":
        le = (layout.row_specs[row_key].get("rules") or {}).get("le")
        return _CellKind("integer" if le is None or float(le).is_integer() else "number", True)
    elif layout.layout == "key_value":
        return _CellKind("text", True)
    if col.year in locked_years:                # a year the sheet does not ask of this unit
        return _CellKind("choice", True, spec.get("choices"))
    ctype = spec.get("type", "text")
    locked = bool(spec.get("locked") or (spec.get("prefilled") and "locked" not in spec))
    if ctype == "integer" and not locked:      # a count or a year typed in a field or a table column
        rules = spec.get("rules", {})
        return _CellKind("integer", locked, minimum=rules.get("gt", rules.get("ge", spec.get("min"))),
                         maximum=spec.get("max"), strict_minimum="gt" in rules)
    if ctype == "number":
        row = layout.row_specs[row_key]
        rules = row.get("rules", {})
        lo = rules.get("gt", rules.get("ge", spec.get("min")))
        if rules.get("integer"):
            return _CellKind("integer", locked, minimum=lo, strict_minimum="gt" in rules)
        hi = rules.get("le", row.get("max", spec.get("max")))
        hi = None if hi is None or (isinstance(hi, float) and math.isnan(hi)) else hi
        return _CellKind("number", locked, minimum=lo, maximum=hi, strict_minimum="gt" in rules)
    return _CellKind(ctype, locked, spec.get("choices"), bool(spec.get("open_choice")))


_NUMBER_FORMAT = {"code": "@", "integer": "#,##0", "number": "#,##0.0#", "date": "DD/MM/YYYY"}


def _validation_key(kind: _CellKind) -> tuple | None:
    if kind.locked:
        return None
    if kind.type == "choice":
        return ("list", kind.choices, kind.open_choice)
    if kind.type in ("integer", "number"):
        return (kind.type, kind.minimum, kind.maximum, kind.strict_minimum)
    return None


def _make_validation(key: tuple, outline: Outline) -> DataValidation:
    if key[0] == "list":
        labels = [c["label"] for c in outline.choices(key[1])]
        if any("," in x or '"' in x for x in labels) or sum(len(x) + 1 for x in labels) > 250:
            raise ValueError(f"choice list {key[1]!r}: labels must be short and without commas for a drop-down")
        dv = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
        # an open choice accepts other text after an information message
        dv.errorStyle = "information" if key[2] else "stop"
        dv.error, dv.errorTitle = _TEXT["choice_error"], _TEXT["choice_error_title"]
    else:
        kind, lo, hi, strict = key
        vtype = "whole" if kind == "integer" else "decimal"
        if lo is not None and hi is not None:
            dv = DataValidation(type=vtype, operator="between", formula1=str(lo), formula2=str(hi), allow_blank=True)
        elif lo is not None:
            op = "greaterThan" if strict else "greaterThanOrEqual"
            dv = DataValidation(type=vtype, operator=op, formula1=str(lo), allow_blank=True)
        else:
            dv = DataValidation(type=vtype, operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True)
        if kind == "integer" and lo is not None and hi is not None:
            dv.error = _TEXT["integer_between_error"].format(lo=lo, hi=hi)
        else:
            dv.error = _TEXT["integer_error"] if kind == "integer" else _TEXT["number_error"]
        dv.errorTitle = _TEXT["number_error_title"]
        dv.errorStyle = "stop"
    dv.showErrorMessage = True
    return dv


def _ranges(cells: list[tuple[int, int]]) -> list[str]:
    """``[(row, col), ...]`` → ``["C4:G22", ...]``: row runs per column, adjacent equal runs merged."""
    by_col: dict[int, list[int]] = {}
    for r, c in cells:
        by_col.setdefault(c, []).append(r)
    runs: list[tuple[int, int, int, int]] = []  # (first_row, last_row, first_col, last_col)
    for c, rows in sorted(by_col.items()):
        rows.sort()
        start = prev = rows[0]
        for r in rows[1:] + [None]:
            if r is not None and r == prev + 1:
                prev = r
                continue
            same = [i for i, x in enumerate(runs) if x[0] == start and x[1] == prev and x[3] == c - 1]
            if same:
                i = same[0]
                runs[i] = (start, prev, runs[i][2], c)
            else:
                runs.append((start, prev, c, c))
            if r is not None:
                start = prev = r
    out = []
    for r0, r1, c0, c1 in runs:
        a, b = f"{get_column_letter(c0)}{r0}", f"{get_column_letter(c1)}{r1}"
        out.append(a if a == b else f"{a}:{b}")
    return out


def _as_cell_value(value: object, kind: _CellKind, outline: Outline) -> object:
    """Choice values become their labels; numbers stay numbers; anything else is written raw."""
    if value is None:
        return None
    if kind.type == "choice" and isinstance(value, str):
        labels = {c["value"]: c["label"] for c in outline.choices(kind.choices)}
        return labels.get(value, value)
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalars
        value = value.item()
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind.type == "code" and isinstance(value, (int, float)):
        return str(value)
    return value


def _lines(text: object, width: float | None) -> int:
    if text is None or not width:
        return 1
    s = str(text)
    per_line = max(1.0, width * 0.95)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in s.split("\n"))


# --------------------------------------------------------------------------- sheets


def _frame(ws, layout: SheetLayout, unit: Mapping) -> None:
    """Title, note, header row, widths, freeze panes, print setup, protection."""
    st = _styles()
    last = len(layout.columns)
    ws.cell(1, 1, layout.title).font = st.title
    ws.cell(1, 1).alignment = Alignment(vertical="center")
    if last > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    ws.row_dimensions[1].height = 22
    if layout.note:
        c = ws.cell(2, 1, layout.note)
        c.font, c.alignment = st.note, st.wrap
        if last > 1:
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
        total = sum(col.width or 10 for col in layout.columns)
        ws.row_dimensions[2].height = 16 * _lines(layout.note, total)
    hr = layout.header_row
    header_lines = 1
    for col in layout.columns:
        c = ws.cell(hr, col.index, col.label)
        c.number_format = "@"
        c.font, c.fill, c.border, c.alignment, c.protection = st.bold, st.header_fill, st.border, st.header_align, st.locked
        if col.width:
            ws.column_dimensions[col.letter].width = col.width
        header_lines = max(header_lines, _lines(col.label, col.width))
    ws.row_dimensions[hr].height = 17 * header_lines
    ws.freeze_panes = layout.freeze_cell
    _print_setup(ws, landscape=layout.layout not in _PORTRAIT_LAYOUTS, unit=unit)
    ws.print_title_rows = f"{hr}:{hr}"


def _print_setup(ws, *, landscape: bool, unit: Mapping) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    # '&' starts a header/footer code; the unit name is escaped
    ws.oddHeader.right.text = f"{unit.get('unit_code', '')} – {unit.get('name', '')}".replace("&", "&&")
    ws.oddFooter.center.text = _TEXT["page_footer"]
    # protected without a password: only unlocked (input) cells can be edited;
    # rows and columns may still be resized for long text
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _write_grid(ws, layout: SheetLayout, cells: dict[tuple[str, str], object], outline: Outline,
                style_cache: dict, locked_years: frozenset = frozenset()) -> None:
    """Write every data row: values from ``cells[(row_key, col_key)]``, style from the cell kind.

    Setting six style attributes per cell costs most of the writing time, so the
    first cell of each style combination is styled attribute by attribute and
    later cells copy its style record (what openpyxl's own sheet copy does).
    """
    st = _styles()
    validations: dict[tuple, list[tuple[int, int]]] = {}
    for row_key, r in layout.rows.items():
        height = 1
        for col in layout.columns:
            kind = _cell_kind(layout, row_key, col, locked_years)
            value = _as_cell_value(cells.get((row_key, col.key)), kind, outline)
            c = ws.cell(r, col.index)
            if value is not None:
                c.value = value
            if kind.type == "choice" and layout.layout == "criteria_grid":
                align = "center"
            elif kind.type in ("text", "choice"):
                align = "wrap"
                if isinstance(value, str):
                    height = max(height, _lines(value, col.width))
            else:
                align = "center" if kind.type in ("code", "integer") and col.index == 1 else "top"
            skey = (kind.locked, kind.type, align)
            if skey in style_cache:
                c._style = copy(style_cache[skey])
            else:
                c.border, c.font = st.border, st.font
                c.fill, c.protection = (st.grey, st.locked) if kind.locked else (st.yellow, st.unlocked)
                c.number_format = _NUMBER_FORMAT.get(kind.type, "General")
                c.alignment = getattr(st, align)
                style_cache[skey] = copy(c._style)
            vkey = _validation_key(kind)
            if vkey is not None:
                validations.setdefault(vkey, []).append((r, col.index))
        if height > 1:
            ws.row_dimensions[r].height = 15.75 * height
    for key, where in validations.items():
        dv = _make_validation(key, outline)
        for rng in _ranges(where):
            dv.add(rng)
        ws.add_data_validation(dv)


def _instructions(wb: Workbook, outline: Outline, unit: Mapping, banner: str | None) -> None:
    spec = outline.raw["instructions"]
    fields = {f["key"]: f["label"] for f in outline.sheet("ThongTin")["fields"]}
    rows = [(spec["title"], "title"), (outline.raw["title"], "bold"),
            (f"{fields.get('unit_name', '')}: {unit.get('name', '')} – "
             f"{fields.get('unit_code', '')}: {unit.get('unit_code', '')} – "
             f"{fields.get('outline_version', '')}: {outline.version}", "font")]
    instructions_sheet(wb, spec["sheet"], rows, spec["lines"], banner=banner, unit=unit)


def instructions_sheet(wb: Workbook, name: str, rows: list[tuple[str, str]], lines: list[str], *,
                       banner: str | None, unit: Mapping) -> None:
    """An instructions sheet: heading ``rows`` (text, style name of :func:`styles`: ``title``, ``bold``,
    ``font``) across both columns, the sample banner when given, then the numbered ``lines``; printed portrait,
    with ``unit`` in the page header (a commune's workbook and a partner's alike)."""
    st = _styles()
    ws = wb.create_sheet(name)
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 100
    rows = list(rows) + ([(banner, "banner")] if banner else [])
    for i, (text, font) in enumerate(rows, start=1):
        c = ws.cell(i, 1, text)
        c.font, c.alignment = getattr(st, font), st.wrap
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=2)
        ws.row_dimensions[i].height = 18 * _lines(text, 100)
    start = len(rows) + 2
    for i, line in enumerate(lines, start=1):
        r = start + i - 1
        ws.cell(r, 1, f"{i}.").font = st.font
        ws.cell(r, 1).alignment = st.top
        c = ws.cell(r, 2, line)
        c.font, c.alignment = st.font, st.wrap
        ws.row_dimensions[r].height = 16 * _lines(line, 100)
    _print_setup(ws, landscape=False, unit=unit)


def _prefill(layout: SheetLayout, unit: Mapping, outline: Outline, levels: dict) -> dict:
    cells: dict[tuple[str, str], object] = {}
    prefilled_cols = [c for c in layout.columns if c.spec.get("prefilled")]
    if layout.layout == "key_value":
        known = {"unit_code": unit.get("unit_code"), "unit_name": unit.get("name"),
                 "unit_type": unit.get("unit_type_label"), "outline_version": outline.version}
        for key, f in layout.row_specs.items():
            cells[(key, "label")] = f["label"]
            cells[(key, "bound")] = (f.get("rules") or {}).get("le")    # the most a field takes (a điểm chuẩn)
            if f.get("prefilled"):
                cells[(key, "value")] = known.get(key)
        return cells
    for key, spec in layout.row_specs.items():
        for col in prefilled_cols:
            if col.key == "level" and layout.layout == "indicator_grid":
                cells[(key, col.key)] = level_text(levels, key, spec.get("unit", ""), outline.years)
            elif col.key in spec:
                cells[(key, col.key)] = spec[col.key]
    return cells


def _content_cells(layout: SheetLayout, content: Mapping, outline: Outline) -> dict:
    """Map the ``content`` dict onto ``(row_key, col_key)`` cells of one sheet."""
    cells: dict[tuple[str, str], object] = {}
    kind = layout.layout
    if kind == "key_value":         # the info fields of this sheet (ThongTin, SoKet); _check_value_codes checks the rest
        for key, value in (content.get("info") or {}).items():
            if key in layout.rows:
                cells[(key, "value")] = value
    elif kind == "criteria_grid" and outline.sheet(layout.name).get("rows_from") == ROWS_FROM_URBAN:
        for (code, year), value in (content.get("urban") or {}).items():
            layout.address(code, year)
            cells[(str(code), str(year))] = value
    elif kind == "criteria_grid":
        for (no, year), value in (content.get("criteria") or {}).items():
            layout.address(no, year)
            cells[(str(no), str(year))] = value
        for no, text in (content.get("criteria_notes") or {}).items():
            cells[(str(no), "note")] = text
    elif kind in ("metric_grid", "indicator_grid"):
        for (code, year), value in (content.get("values") or {}).items():
            if str(code) in layout.rows:
                layout.column(year)
                cells[(str(code), str(year))] = value
    elif kind == "table":
        for i, p in enumerate(content.get("proposals") or [], start=1):
            cells[(str(i), "seq")] = p.get("seq", i)
            for k, v in p.items():
                if k != "seq":
                    layout.column(k)
                    cells[(str(i), k)] = v
    elif kind == "sections":
        for code, text in (content.get("narratives") or {}).items():
            layout.row(code)
            cells[(str(code), "text")] = text
    return cells


# --------------------------------------------------------------------------- public


def write_workbook(path: str | Path, unit: Mapping, *, outline: Outline | None = None,
                   content: Mapping | None = None, levels: pd.DataFrame | None = None,
                   banner: str | None = None) -> Path:
    """Write one unit's workbook: the blank template, or filled with ``content``.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write (written to a temporary name, then renamed).
    unit : mapping
        A row of :func:`nrlib.load_units` (``unit_code``, ``name``,
        ``unit_type_label``, ``district_code``, ``province_code``, ``region_code``).
    outline : Outline, optional
        Default :func:`nrlib.load_outline`.
    content : mapping, optional
        What to fill in (the writer puts each item in its cell)::

            {"info": {"preparer_name": ..., "report_date": date | str, ...},   # ThongTin field keys
             "criteria": {(criterion_no, year): "reached" | "not_reached" | "not_applicable" | raw str},
             "criteria_notes": {criterion_no: str},
             "urban": {(criterion_code, year): "reached" | "not_reached" | raw str},   # VanMinhDoThi (a town's)
             "values": {(code, year): number | raw str},   # VanDong "VD01".. and ChiTieu "10", "15.1"..
             "proposals": [{"kind": ..., "name": ..., "address": ..., "achievement": ..., "award_form": ...}],
             "narratives": {section_code: str},
             "overrides": {(sheet_name, "D14"): raw value}}   # written last, anywhere

        Choice values (``"reached"``) are written as their Vietnamese labels
        (``"Đạt"``); any other string is written unchanged, so tests can write
        ``"Dat"`` or ``"1.234,5"``. A key naming no row or column raises
        ``KeyError``.
    levels : DataFrame, optional
        :func:`nrlib.resolve_levels` for the unit's scopes and the outline's
        years (computed when not given; pass it when writing many workbooks).
    banner : str, optional
        A line shown in red under the title of the instructions sheet (the
        sample generator puts the "DỮ LIỆU MẪU" statement there).

    Returns
    -------
    Path
    """
    # the texts follow the unit's type: ấp in a xã, khu phố in a thị trấn
    outline = (outline or load_outline()).for_unit_types([unit.get("unit_type")])
    content = content or {}
    if levels is None:
        levels = resolve_levels(unit_scopes(unit), outline.years)
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    _instructions(wb, outline, unit, banner)
    n_proposals = len(content.get("proposals") or [])
    layouts = _layouts(outline, n_proposals)
    _check_value_codes(layouts, content)
    groups = level_groups(levels)
    style_cache: dict = {}
    xa_years = _xa_years(unit, outline)
    for name in outline.sheets_for(has_urban_years=len(xa_years) < len(outline.years)):
        layout = layouts[name]
        ws = wb.create_sheet(name)
        _frame(ws, layout, unit)
        cells = _prefill(layout, unit, outline, groups)
        locked = frozenset()
        if outline.sheet(name).get("only_for") == "urban_years":
            # the years the unit was a xã: "Không áp dụng", locked (the urban standard judges its town years)
            locked = xa_years
            cells.update({(key, str(y)): NOT_APPLICABLE for key in layout.rows for y in xa_years})
        cells.update(_content_cells(layout, content, outline))
        _write_grid(ws, layout, cells, outline, style_cache, locked)
    for (sheet, addr), value in (content.get("overrides") or {}).items():
        if sheet not in wb.sheetnames:
            raise KeyError(f"override: no sheet {sheet!r}")
        wb[sheet][addr].value = value
    wb.active = 0
    props = wb.properties
    props.creator = props.lastModifiedBy = "nrlib"
    props.title = outline.raw.get("short_title", outline.raw["title"])
    props.subject = f"{unit.get('unit_code', '')} {unit.get('name', '')}"
    props.identifier = f"{outline.raw.get('outline_id', '')} {outline.version}"
    if banner:
        props.keywords = outline.sample_marker
    props.created = props.modified = FIXED_TIMESTAMP
    _save(wb, path)
    return path


def _xa_years(unit: Mapping, outline: Outline) -> frozenset:
    """The years the new-rural criteria apply to the unit (it was a xã), from the registry and ``unit_history.csv``
    (:func:`nrlib.reference.unit_years`); a unit the registry does not know (a test's) by its own type."""
    row = {k: unit.get(k) for k in ("unit_code", "name", "unit_type", "district_code", "province_code")}
    try:
        uy = unit_years(pd.DataFrame([row]), outline.years)
    except (KeyError, ValueError):
        return frozenset(outline.years) if unit.get("unit_type", "xa") == "xa" else frozenset()
    return frozenset(int(y) for y, a in zip(uy["year"], uy["ntm_applies"]) if a)


_LAYOUT_CACHE: dict[tuple[int, int], tuple[Outline, dict[str, SheetLayout]]] = {}


def _layouts(outline: Outline, n_rows: int) -> dict[str, SheetLayout]:
    """Every sheet's layout, cached per outline object (many workbooks share one outline)."""
    key = (id(outline), n_rows)
    hit = _LAYOUT_CACHE.get(key)
    if hit is None or hit[0] is not outline:
        if len(_LAYOUT_CACHE) > 32:
            _LAYOUT_CACHE.clear()
        hit = (outline, {s["name"]: sheet_layout(outline, s["name"], n_rows=n_rows) for s in outline.raw["sheets"]})
        _LAYOUT_CACHE[key] = hit
    return hit[1]


def _check_value_codes(layouts: dict[str, SheetLayout], content: Mapping) -> None:
    known = {k for lay in layouts.values() if lay.layout in ("metric_grid", "indicator_grid") for k in lay.rows}
    unknown = sorted({str(code) for code, _ in (content.get("values") or {})} - known)
    if unknown:
        raise KeyError(f"content values: codes {unknown} are neither VanDong metrics nor ChiTieu indicators "
                       f"(a metric the outline computes, sum_of, has no row)")
    fields = {k for lay in layouts.values() if lay.layout == "key_value" for k in lay.rows}
    unknown = sorted(set(content.get("info") or {}) - fields)
    if unknown:
        raise KeyError(f"content info: fields {unknown} are on no key/value sheet of the outline")


def _save(wb: Workbook, path: Path) -> None:
    # ExcelWriter directly: openpyxl's save() stamps the current time as 'modified'
    def write(tmp: Path) -> None:
        with ZipFile(tmp, "w", ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(wb, archive).write_data()

    atomic_write(path, writer=write)


def template_filename(unit: Mapping) -> str:
    """``"26308_gia-kiem.xlsx"``: unit code and the slug of the name without its type prefix."""
    name = str(unit["name"])
    label = str(unit.get("unit_type_label") or "")
    for prefix in (label, label.capitalize()):
        if prefix and name.casefold().startswith(prefix.casefold() + " "):
            name = name[len(prefix) + 1:]
            break
    return f"{unit['unit_code']}_{slugify(name)}.xlsx"


def write_templates(out_dir: str | Path, district_code: str | int | None = None,
                    unit_codes: list[str] | None = None) -> list[Path]:
    """Write a blank workbook for each unit of a district, or for the listed units.

    Returns the paths, in unit-code order. Raises
    :class:`~nrlib.exceptions.UnknownDistrictError` or
    :class:`~nrlib.exceptions.UnknownUnitError` for unknown codes (before
    anything is written).
    """
    if district_code is None and not unit_codes:
        raise ValueError("write_templates: give a district code or unit codes")
    units = load_units(district_code).to_dict("records") if district_code is not None else []
    units += [find_unit(c) for c in unit_codes or []]
    units = list({u["unit_code"]: u for u in units}.values())
    outline = load_outline()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    levels_by_scope: dict[tuple, pd.DataFrame] = {}
    paths = []
    for unit in sorted(units, key=lambda u: u["unit_code"]):
        scopes = tuple(unit_scopes(unit))
        if scopes not in levels_by_scope:
            levels_by_scope[scopes] = resolve_levels(list(scopes), outline.years)
        paths.append(write_workbook(out_dir / template_filename(unit), unit, outline=outline,
                                    levels=levels_by_scope[scopes]))
    return paths


# The seams the partners' workbooks (:mod:`nrlib.workbooks.partner`) share with the communes': one look, one
# page setup, one deterministic save.
styles = _styles
print_setup = _print_setup
save_workbook = _save
text_lines = _lines
