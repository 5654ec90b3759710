"""Finding what a sheet holds: its header row (moved, retyped, two rows high), its year columns, its rows by code.

A :class:`Run` is the state of one validation (the workbook, the compiled
outline, the :class:`~nrlib.intake.result.Result` so far); the sheet readers of
:mod:`nrlib.intake.sheets` call it to find headers and rows and to read and
check numbers, so rows are found by their code and years by their label,
never by position.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from nrlib.core import labels
from nrlib.core.vnformat import fmt_percent
from nrlib.intake.reader import Sheet, Workbook, cell_ref, parse_number
from nrlib.intake.result import Result, cell_text, show_number, show_value
from nrlib.intake.schema import Schema, cached_match_key
from nrlib.reference.outline import ROWS_FROM_URBAN

#: how far below the outline's header_row the header may have moved
HEADER_SEARCH_ROWS = 12
_YEAR_HEADER = re.compile(r"(?:nam\s*)?(\d{4})")
_KEY_COLUMN = {"key_value": "label", "criteria_grid": "criterion_no", "indicator_grid": "indicator_code",
               "metric_grid": "code", "sections": "section_code", "table": None}



def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


class _Unreadable:
    """What :meth:`Run.cell` returns for a cell whose value cannot be read as the clerk sees it."""

    def __repr__(self) -> str:
        return "UNREADABLE"


UNREADABLE = _Unreadable()


@dataclass
class Header:
    """Where a sheet's header was found (0-based): its row, the first data row, the column of each
    column key and of each year."""

    row: int
    data_start: int
    cols: dict          # column key -> col index
    years: dict         # year -> col index



class Run:
    """State of one validation: the workbook, the schema, the result and problems found so far
    (problems go to the result, :meth:`nrlib.intake.result.Result.add`)."""

    def __init__(self, book: Workbook, schema: Schema):
        self.book = book
        self.s = schema
        self.res = Result()
        #: (sheet, cell) of cells holding personal data (outline: ``personal``, ``personal_if``)
        self.personal: set[tuple[str, str]] = set()
        self._merges_told: set = set()

    # -- problems
    def add(self, rule: str, sheet: str, cell: str = "", raw=None, /, **params) -> None:
        """Record a problem; ``raw`` is the cell's value as read, ``params`` fill the message."""
        self.res.add(rule, sheet, cell, raw, **params)

    # -- header
    def header(self, sheet: Sheet, spec: dict) -> Header | None:
        """Find the header row by its labels (and year columns), near the outline's ``header_row``."""
        columns = [c for c in spec["columns"] if c.get("label")]
        lookup = self.s.header_lookup(spec)
        # the urban standard's criteria are found by their code (VM1), the new-rural ones by their STT
        key = "criterion_code" if spec.get("rows_from") == ROWS_FROM_URBAN else _KEY_COLUMN[spec["layout"]]
        has_years = any(c["key"] == "years" for c in spec["columns"])
        need = max(1, math.ceil(len(columns) / 2))
        last = min(sheet.nrows, int(spec.get("header_row", 1)) + HEADER_SEARCH_ROWS)
        for r in range(last):
            cols, years, dups = self._map_row(sheet, r, lookup, has_years)
            if (key not in cols) if key else (len(cols) < need):
                continue
            data_start = r + 1
            incomplete = (has_years and any(y not in years for y in self.s.years)) or len(cols) < len(columns)
            if incomplete and r + 1 < sheet.nrows and sheet.value(r + 1, cols.get(key, 0)) is None:
                # a two-row header (e.g. "Năm" merged above the years): the row below holds labels, not data
                cols2, years2, dups2 = self._map_row(sheet, r + 1, lookup, has_years)
                added = {k: v for k, v in cols2.items() if k not in cols}
                added_years = {k: v for k, v in years2.items() if k not in years}
                if added or added_years:
                    cols.update(added)
                    years.update(added_years)
                    dups += dups2
                    data_start = r + 2
            for ref, label in dups:
                self.add("E_COLUMN_DUPLICATE", sheet.name, ref, label=label)
            return Header(row=r, data_start=data_start, cols=cols, years=years)
        label = next((c["label"] for c in columns if c["key"] == key), columns[0]["label"] if columns else "")
        self.add("E_HEADER_MISSING", sheet.name, "", label=label)
        return None

    def _map_row(self, sheet: Sheet, r: int, lookup: dict, has_years: bool) -> tuple[dict, dict, list]:
        cols: dict = {}
        years: dict = {}
        dups: list = []
        row = sheet.rows[r] if r < sheet.nrows else []
        for c, v in enumerate(row):
            t = cell_text(v)
            if t is None:
                continue
            k = cached_match_key(t)
            target, key = (cols, lookup[k]) if k in lookup else (years, None)
            if key is None:
                m = _YEAR_HEADER.fullmatch(k) if has_years else None
                if not (m and int(m.group(1)) in self.s.years):
                    continue
                key = int(m.group(1))
            if key in target:
                dups.append((cell_ref(r, c), t))
            else:
                target[key] = c
        return cols, years, dups

    def check_years(self, sheet: Sheet, hdr: Header) -> None:
        for y in self.s.years:
            if y not in hdr.years:
                self.add("E_YEAR_MISSING", sheet.name, f"{hdr.row + 1}:{hdr.row + 1}", year=y)

    # -- rows by code
    def rows_by_code(self, sheet: Sheet, hdr: Header, key: str, lookup: dict, what: str,
                     data_cols: list[int], expected, *, is_data=None, loose: list | None = None,
                     shown: dict | None = None) -> dict:
        """``{canonical code: row index}``; reports unknown, duplicated and missing rows.

        A row without a known code is an error (``E_ROW_UNKNOWN``) only when
        its data cells hold data (``is_data(value)``: a number in a numeric
        grid, a status in the criteria grid; default any value). Text that
        carries no data there, or anywhere else on a row without a code (a
        signature block under the table, "TM. BAN THƯỜNG TRỰC", a note), is
        not read: ``W_TEXT_IGNORED`` at its first cell. With ``loose``, such
        rows are listed there instead (continuation lines of a narrative). ``shown``: how a missing row's code
        is named to the clerk, when the workbook shows another text than the code (a section's number).
        """
        code_col = hdr.cols[key]
        found: dict = {}
        for r in range(hdr.data_start, sheet.nrows):
            raw = sheet.value(r, code_col)
            t = cell_text(raw)
            canon = lookup.get(cached_match_key(t)) if t is not None else None
            if canon is None:
                values = [sheet.value(r, c) for c in data_cols]
                if any(not _blank(v) and (is_data is None or is_data(v)) for v in values):
                    self.add("E_ROW_UNKNOWN", sheet.name, cell_ref(r, code_col), raw, code=t or labels.NO_CODE)
                elif loose is not None and any(not _blank(v) for v in values):
                    loose.append(r)
                else:
                    self._ignored_text(sheet, r)
                continue
            if canon in found:
                self.add("E_ROW_DUPLICATE", sheet.name, cell_ref(r, code_col), raw, what=what, code=t,
                         first_row=found[canon] + 1)
                continue
            found[canon] = r
        for code in expected:
            if code not in found:
                self.add("E_ROW_MISSING", sheet.name, "", what=what, code=str((shown or {}).get(code, code)))
        return found

    def _ignored_text(self, sheet: Sheet, r: int) -> None:
        """``W_TEXT_IGNORED`` at the first cell of row ``r`` holding text (a blank template has none below
        its header)."""
        for c, v in enumerate(sheet.rows[r] if r < sheet.nrows else []):
            if cell_text(v) is not None:
                self.add("W_TEXT_IGNORED", sheet.name, cell_ref(r, c), v, text=show_value(v))
                return

    def note(self, sheet: Sheet, hdr: Header, r: int, row_code) -> None:
        c = hdr.cols.get("note")
        if c is not None:
            t = cell_text(sheet.value(r, c))
            if t:
                self.res.notes.append({"sheet": sheet.name, "row_code": str(row_code), "text": t})

    def cell(self, sheet: Sheet, r: int, c: int, what: str, *, data_cols=None):
        """A data cell's value as the clerk sees it, or :data:`UNREADABLE` once its problem is recorded.

        Method (the cell's facts, :mod:`nrlib.intake.cellfacts`): a formula
        never computed is ``E_FORMULA_NO_VALUE``, an error value
        ``E_CELL_ERROR``; a cell inside a merged range reads the range's
        value, unless the range spans several data cells (``data_cols``, the
        columns of this row's data cells: the years of a grid), when the one
        value cannot be placed: ``E_MERGED_CELLS``, once per range.
        """
        span = sheet.merge_at(r, c)
        if span is not None:
            (r0, c0), (r1, c1) = span
            if data_cols is not None and (r1 - r0 + 1) * sum(c0 <= x <= c1 for x in data_cols) > 1:
                if span not in self._merges_told:
                    self._merges_told.add(span)
                    self.add("E_MERGED_CELLS", sheet.name, cell_ref(r0, c0), sheet.value(r0, c0), what=what,
                             range=f"{cell_ref(r0, c0)}:{cell_ref(r1, c1)}", first=cell_ref(r0, c0))
                return UNREADABLE
            r, c = r0, c0
        facts = sheet.facts
        if (r, c) in facts.formulas:
            formula = facts.formulas[(r, c)]
            self.add("E_FORMULA_NO_VALUE", sheet.name, cell_ref(r, c), formula or None, what=what,
                     formula=f" “{show_value(formula)}”" if formula else "")
            return UNREADABLE
        if (r, c) in facts.errors:
            self.add("E_CELL_ERROR", sheet.name, cell_ref(r, c), facts.errors[(r, c)], what=what,
                     error=facts.errors[(r, c)])
            return UNREADABLE
        return sheet.value(r, c)

    def number(self, sheet: Sheet, r: int, c: int, what: str, *, integer=False, percent=False,
               required=False, unit: str | None = None, data_cols=None) -> float | None:
        """A number cell read and checked (type, integer, ambiguity), as the clerk sees it.

        ``percent``: the row's unit is % — a cell formatted as a percentage
        holds the fraction (94,2 % is stored as 0,942) and is read as 94,2, and
        a text ``94,2%`` is read as 94,2; in a row of another ``unit`` a
        percentage is ``E_PERCENT_UNIT``.
        """
        raw = self.cell(sheet, r, c, what, data_cols=data_cols)
        if raw is UNREADABLE:
            return None
        ref = cell_ref(r, c)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.add("E_REQUIRED", sheet.name, ref, what=what)
            return None
        if (r, c) in sheet.facts.percent and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            if not percent:
                self.add("E_PERCENT_UNIT", sheet.name, ref, raw, what=what, value=fmt_percent(100 * raw, 6),
                         unit=unit or "")
                return None
            raw = round(100 * raw, 9)     # as shown: 0,942 formatted as a percentage is 94,2 %
        reading = parse_number(raw, integer=integer, allow_percent=percent)
        if not reading.ok:
            self.add("E_TYPE_NUMBER", sheet.name, ref, raw, what=what, value=show_value(raw))
            return None
        if reading.ambiguous:
            self.add("W_NUMBER_AMBIGUOUS", sheet.name, ref, raw, what=what, value=show_value(raw),
                     reading=show_number(reading.value), why=labels.AMBIGUOUS_WHY[reading.ambiguous])
        v = reading.value
        if integer and abs(v - round(v)) > 1e-9:
            self.add("E_INTEGER", sheet.name, ref, raw, what=what, value=show_number(v))
        return v

    def bounds(self, sheet: str, ref: str, v: float | None, bounds: list, what: str, raw=None) -> None:
        """``E_RANGE`` unless ``v`` is within ``bounds`` (from :func:`nrlib.intake.sheets.range_rules`)."""
        if v is None:
            return
        for name, b in bounds:
            if not (v > b if name == "gt" else v <= b if name in ("max", "le") else v >= b):
                self.add("E_RANGE", sheet, ref, raw if raw is not None else v, what=what, value=show_number(v),
                         bound=labels.BOUNDS[name].format(x=show_number(b)))
