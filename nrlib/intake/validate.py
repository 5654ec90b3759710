"""Validate a received workbook against the outline in one pass, collecting every problem.

Method (pandera-style lazy validation): the outline (``outline_*.yaml``) is
compiled once into a :class:`nrlib.intake.schema.Schema`; :func:`validate_workbook`
then walks the workbook sheet by sheet, reading each cell it expects and
checking it at the same time, and never stops at the first problem. The result
holds the tidy content (info, criteria status, values, proposals, narratives,
notes) and the list of :class:`Problem` s, each with its sheet, cell, rule
code (see :mod:`nrlib.core.labels`) and Vietnamese message. This module finds the
sheets, headers and rows (:class:`Run`) and checks the workbook as a whole
(unit, outline version, encoding, sample marker); the cells of each sheet are
read by the reader of its layout in :mod:`nrlib.intake.sheets`.

How cells are found (people insert rows and columns, retype labels):

* sheets are matched by name with :func:`nrlib.core.textmatch.match_key` (case,
  spaces, NFC/NFD, missing diacritics do not matter);
* the header row is searched near the outline's ``header_row`` by its labels;
  year columns by their year (``2016``, ``"Năm 2016"``); a two-row header
  (merged cells, e.g. "Năm" above the years) is read as one;
* data rows are identified by their code column, never by position. A row
  without a known code but with values in the year columns is an error
  (``E_ROW_UNKNOWN``); one without values (a heading, a signature) is ignored.

Plausibility checks (warnings that compare the values with known levels,
with earlier years and with other units) are in :mod:`nrlib.intake.plausibility`;
:func:`validate_workbook` runs them too.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pandas as pd

from nrlib.core import labels
from nrlib.intake.reader import LEGACY_SUSPECT, Sheet, Workbook, cell_ref, legacy_encoding, parse_number
from nrlib.intake.schema import Schema, cached_match_key, compile_schema, registry_unit
from nrlib.core.textmatch import match_key
from nrlib.intake.sheets import READERS, Header, cell_text, show_number, show_value

#: how far below the outline's header_row the header may have moved
HEADER_SEARCH_ROWS = 12
_YEAR_HEADER = re.compile(r"(?:nam\s*)?(\d{4})")
_KEY_COLUMN = {"key_value": "label", "criteria_grid": "criterion_no", "indicator_grid": "indicator_code",
               "metric_grid": "code", "sections": "section_code", "table": None}


@dataclass(frozen=True)
class Problem:
    """One problem of a workbook: where (sheet, cell), which rule, how bad, what to do."""

    sheet: str
    cell: str
    rule: str
    severity: str
    message: str
    value: str | None = None

    @property
    def location(self) -> str:
        """``"VanDong!D14"``, or the sheet alone for a sheet-level problem."""
        if self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or "(tệp)"

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "cell": self.cell, "rule": self.rule, "severity": self.severity,
                "message": self.message, "value": self.value}


class ProblemCounts:
    """``n_errors`` and ``n_warnings`` of an object holding ``problems`` (a result, a file's outcome)."""

    problems: list[Problem]

    @property
    def n_errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def n_warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


@dataclass
class Result(ProblemCounts):
    """What a workbook holds and what is wrong with it.

    ``unit_code`` is the unit the workbook names (ThongTin), when it is in the
    registry; ``values`` has one dict per outline row and year (``value`` None
    when blank); ``cells`` maps ``(data_element, year)`` and
    ``("criterion", no, year)`` to the cell they were read from.
    """

    unit_code: str | None = None
    outline_version: str | None = None
    is_sample: bool = False
    info: dict = field(default_factory=dict)
    values: list[dict] = field(default_factory=list)
    criteria_status: list[dict] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    narratives: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cells: dict = field(default_factory=dict)


    @property
    def accepted(self) -> bool:
        return self.n_errors == 0

    def problems_frame(self) -> pd.DataFrame:
        cols = ["sheet", "cell", "rule", "severity", "message", "value"]
        return pd.DataFrame([p.as_dict() for p in self.problems], columns=cols)


class Run:
    """State of one validation: the workbook, the schema, the result and problems found so far
    (:mod:`nrlib.intake.plausibility` adds its warnings through :meth:`add`)."""

    def __init__(self, book: Workbook, schema: Schema):
        self.book = book
        self.s = schema
        self.res = Result()
        #: (sheet, cell) of cells holding personal data (outline: ``personal``, ``personal_if``)
        self.personal: set[tuple[str, str]] = set()

    # -- problems
    def add(self, rule: str, sheet: str, cell: str = "", raw=None, /, **params) -> None:
        """Record a problem; ``raw`` is the cell's value as read, ``params`` fill the message."""
        r = labels.rule(rule)
        self.res.problems.append(Problem(sheet=sheet, cell=cell, rule=rule, severity=r.severity,
                                         message=r.template.format(**params),
                                         value=None if raw is None else cell_text(raw)))

    # -- header
    def header(self, sheet: Sheet, spec: dict) -> Header | None:
        """Find the header row by its labels (and year columns), near the outline's ``header_row``."""
        columns = [c for c in spec["columns"] if c.get("label")]
        lookup = self.s.header_lookup(spec)
        key = _KEY_COLUMN[spec["layout"]]
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
                     data_cols: list[int], expected) -> dict:
        """``{canonical code: row index}``; reports unknown, duplicated and missing rows."""
        code_col = hdr.cols[key]
        found: dict = {}
        for r in range(hdr.data_start, sheet.nrows):
            raw = sheet.value(r, code_col)
            t = cell_text(raw)
            has_data = not sheet.row_is_blank(r, data_cols)
            canon = lookup.get(cached_match_key(t)) if t is not None else None
            if canon is None:
                if has_data:
                    self.add("E_ROW_UNKNOWN", sheet.name, cell_ref(r, code_col), raw, code=t or labels.NO_CODE)
                continue
            if canon in found:
                self.add("E_ROW_DUPLICATE", sheet.name, cell_ref(r, code_col), raw, what=what, code=t,
                         first_row=found[canon] + 1)
                continue
            found[canon] = r
        for code in expected:
            if code not in found:
                self.add("E_ROW_MISSING", sheet.name, "", what=what, code=str(code))
        return found

    def note(self, sheet: Sheet, hdr: Header, r: int, row_code) -> None:
        c = hdr.cols.get("note")
        if c is not None:
            t = cell_text(sheet.value(r, c))
            if t:
                self.res.notes.append({"sheet": sheet.name, "row_code": str(row_code), "text": t})

    def number(self, sheet: Sheet, r: int, c: int, what: str, *, integer=False, percent=False,
               required=False) -> float | None:
        raw = sheet.value(r, c)
        ref = cell_ref(r, c)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.add("E_REQUIRED", sheet.name, ref, what=what)
            return None
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
            if not (v > b if name == "gt" else v <= b if name == "max" else v >= b):
                self.add("E_RANGE", sheet, ref, raw if raw is not None else v, what=what, value=show_number(v),
                         bound=labels.BOUNDS[name].format(x=show_number(b)))


# ----------------------------------------------------------------------------- workbook


def validate_workbook(book: Workbook, schema: Schema | None = None, *, claims: list[tuple[str, str]] | None = None,
                      peers=None) -> Result:
    """Read and check a workbook against the outline, collecting every problem.

    Parameters
    ----------
    book : Workbook
        From :func:`nrlib.intake.reader.read_workbook`.
    schema : Schema, optional
        The compiled outline (default: :func:`nrlib.intake.schema.compile_schema` of the reference outline).
    claims : list of (source, unit_code), optional
        Units the file is said to come from: ``("file_name", "26308")``,
        ``("manifest", "26308")``. Each must equal the workbook's own unit
        code (``E_UNIT_MISMATCH``).
    peers : nrlib.intake.plausibility.Peers, optional
        Latest accepted values of the other units of the district, for the
        outlier check (see :func:`nrlib.intake.plausibility.check_outliers`).

    Returns
    -------
    Result
        Content and problems; ``accepted`` when no problem is an error.
    """
    schema = schema or compile_schema()
    run = Run(book, schema)
    sheets = _match_sheets(run)
    _check_encoding(run, sheets.values())
    for name, spec in schema.sheets.items():
        sheet = sheets.get(name)
        if sheet is not None:
            READERS[spec["layout"]](run, sheet, spec)
    _redact_personal(run)
    run.res.is_sample = _is_sample(run, sheets)
    unit = _check_unit_and_version(run, claims or [])
    from nrlib.intake.plausibility import check_declared_vs_measured, check_outliers, check_yoy

    if unit is not None:
        check_declared_vs_measured(run, unit)
    check_yoy(run)
    if peers is not None:
        check_outliers(run.res, schema, peers)
    return run.res


def _match_sheets(run: Run) -> dict[str, Sheet]:
    s = run.s
    matched: dict[str, list[Sheet]] = {}
    instr = match_key(s.instructions_sheet) if s.instructions_sheet else None
    for name, sheet in run.book.sheets.items():
        k = cached_match_key(name)
        canon = s.sheet_lookup.get(k)
        if canon:
            matched.setdefault(canon, []).append(sheet)
        elif k != instr:
            run.add("W_SHEET_UNKNOWN", name, "", sheet=name)
    out = {}
    for name in s.sheets:
        got = matched.get(name, [])
        if not got:
            run.add("E_SHEET_MISSING", name, "", sheet=name)
        elif len(got) > 1:
            run.add("E_SHEET_DUPLICATE", name, "", sheet=name, names=", ".join(f"“{g.name}”" for g in got))
        else:
            out[name] = got[0]
    return out


def _check_encoding(run: Run, sheets) -> None:
    for sheet in sheets:
        # one search over the whole sheet first: almost every sheet is clean
        if not LEGACY_SUSPECT.search("\x00".join(v for row in sheet.rows for v in row if isinstance(v, str))):
            continue
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if isinstance(v, str) and not v.isascii() and LEGACY_SUSPECT.search(v):
                    enc = legacy_encoding(v)
                    if enc:
                        run.add("E_ENCODING_LEGACY", sheet.name, cell_ref(r, c), v,
                                encoding=labels.LEGACY_ENCODINGS[enc], text=show_value(v))


def _redact_personal(run: Run) -> None:
    """Problems at personal cells (preparer's name and phone, a person's name in KhenThuong) do not
    quote the cell: problems reach exports and reports, personal data must not."""
    import dataclasses

    for i, p in enumerate(run.res.problems):
        if p.value is not None and (p.sheet, p.cell) in run.personal:
            quoted = show_value(p.value)
            message = p.message.replace(quoted, labels.PERSONAL_REDACTED) if quoted in p.message \
                else labels.rule(p.rule).template.split(":")[0] + ": " + labels.PERSONAL_REDACTED
            run.res.problems[i] = dataclasses.replace(p, message=message, value=None)


def _is_sample(run: Run, sheets: dict[str, Sheet]) -> bool:
    key = run.s.sample_key
    if any(key in match_key(v) for v in run.res.info.values() if v):
        return True
    for sheet in sheets.values():
        for row in sheet.rows[:2]:
            if any(isinstance(v, str) and key in match_key(v) for v in row):
                return True
    return False


def _check_unit_and_version(run: Run, claims: list[tuple[str, str]]) -> dict | None:
    info = run.res.info
    version = info.get("outline_version")
    if version is not None:
        run.res.outline_version = version
        expected = run.s.outline.version
        if version != expected and not _same_number(version, expected):
            run.add("E_OUTLINE_VERSION", "ThongTin", run.res.cells.get(("info", "outline_version"), ""), version,
                    value=version, expected=expected)
        else:
            run.res.outline_version = expected
    raw = info.get("unit_code")
    if raw is None:
        return None
    code = raw.zfill(5) if raw.isdigit() else raw
    cell = run.res.cells.get(("info", "unit_code"), "")
    unit = registry_unit(code) if code.isdigit() else None
    if unit is None:
        run.add("E_UNIT_UNKNOWN", "ThongTin", cell, raw, value=raw)
        return None
    info["unit_code"] = code
    run.res.unit_code = code
    for source, claimed in claims:
        if claimed and str(claimed).strip().zfill(5) != code:
            run.add("E_UNIT_MISMATCH", "ThongTin", cell, raw, unit_code=code,
                    source=labels.CLAIM_SOURCES.get(source, source), claimed=str(claimed).strip())
    return unit


def _same_number(a: str, b: str) -> bool:
    try:
        return float(a) == float(b)
    except ValueError:
        return False
