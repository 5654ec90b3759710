"""Validate a received workbook against the outline in one pass, collecting every problem.

Method (pandera-style lazy validation): the outline (``outline_*.yaml``) is
compiled once into a :class:`nrlib.schema.Schema`; :func:`validate_workbook` then walks the
workbook sheet by sheet, reading each cell it expects and checking it at the
same time, and never stops at the first problem. The result holds the tidy
content (info, criteria status, values, proposals, narratives, notes) and the
list of :class:`Problem` s, each with its sheet, cell, rule code (see
:mod:`nrlib.labels`) and Vietnamese message.

How cells are found (people insert rows and columns, retype labels):

* sheets are matched by name with :func:`nrlib.textmatch.match_key` (case,
  spaces, NFC/NFD, missing diacritics do not matter);
* the header row is searched near the outline's ``header_row`` by its labels;
  year columns by their year (``2016``, ``"Năm 2016"``); a two-row header
  (merged cells, e.g. "Năm" above the years) is read as one;
* data rows are identified by their code column, never by position. A row
  without a known code but with values in the year columns is an error
  (``E_ROW_UNKNOWN``); one without values (a heading, a signature) is ignored.

Plausibility checks (warnings that compare the values with known levels,
with earlier years and with other units) are in :mod:`nrlib.plausibility`;
:func:`validate_workbook` runs them too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from . import labels
from .reader import LEGACY_SUSPECT, Sheet, Workbook, cell_ref, legacy_encoding, parse_date, parse_number
from .schema import Schema, cached_match_key, compile_schema, registry_unit
from .textmatch import match_key
from .vnformat import fmt_date, fmt_number

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


@dataclass
class Result:
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
    def n_errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def n_warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def accepted(self) -> bool:
        return self.n_errors == 0

    def problems_frame(self) -> pd.DataFrame:
        cols = ["sheet", "cell", "rule", "severity", "message", "value"]
        return pd.DataFrame([p.as_dict() for p in self.problems], columns=cols)


# ----------------------------------------------------------------------------- cell helpers


def _text(v) -> str | None:
    """A cell as trimmed NFC text; whole floats without ``.0``; blanks None."""
    import unicodedata

    if v is None:
        return None
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.15g}"
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    s = unicodedata.normalize("NFC", str(v)).strip()
    return s or None


def _bounds(rules: dict) -> list[tuple[str, float]]:
    """The range rules that apply (``ge``, ``min``, ``gt``, ``max``) as ``(name, bound)`` pairs."""
    return [(name, float(rules[name])) for name in ("ge", "min", "gt", "max") if rules.get(name) is not None]


def _show(v) -> str:
    """A raw cell value as a user sees it, shortened for messages."""
    if isinstance(v, float):
        return fmt_number(v, 6, trim=True)
    if isinstance(v, (dt.date, dt.datetime)):
        return fmt_date(v)
    s = _text(v) or ""
    return s if len(s) <= 60 else s[:57] + "…"


def _num(x: float) -> str:
    return fmt_number(x, 6, trim=True)


@dataclass
class _Header:
    row: int
    data_start: int
    cols: dict          # column key -> col index
    years: dict         # year -> col index


class Run:
    """State of one validation: the workbook, the schema, the result and problems found so far
    (:mod:`nrlib.plausibility` adds its warnings through :meth:`add`)."""

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
                                         value=None if raw is None else _text(raw)))

    # -- header
    def header(self, sheet: Sheet, spec: dict) -> _Header | None:
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
            return _Header(row=r, data_start=data_start, cols=cols, years=years)
        label = next((c["label"] for c in columns if c["key"] == key), columns[0]["label"] if columns else "")
        self.add("E_HEADER_MISSING", sheet.name, "", label=label)
        return None

    def _map_row(self, sheet: Sheet, r: int, lookup: dict, has_years: bool) -> tuple[dict, dict, list]:
        cols: dict = {}
        years: dict = {}
        dups: list = []
        row = sheet.rows[r] if r < sheet.nrows else []
        for c, v in enumerate(row):
            t = _text(v)
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

    def check_years(self, sheet: Sheet, hdr: _Header) -> None:
        for y in self.s.years:
            if y not in hdr.years:
                self.add("E_YEAR_MISSING", sheet.name, f"{hdr.row + 1}:{hdr.row + 1}", year=y)

    # -- rows by code
    def rows_by_code(self, sheet: Sheet, hdr: _Header, key: str, lookup: dict, what: str,
                     data_cols: list[int], expected) -> dict:
        """``{canonical code: row index}``; reports unknown, duplicated and missing rows."""
        code_col = hdr.cols[key]
        found: dict = {}
        for r in range(hdr.data_start, sheet.nrows):
            raw = sheet.value(r, code_col)
            t = _text(raw)
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

    def note(self, sheet: Sheet, hdr: _Header, r: int, row_code) -> None:
        c = hdr.cols.get("note")
        if c is not None:
            t = _text(sheet.value(r, c))
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
            self.add("E_TYPE_NUMBER", sheet.name, ref, raw, what=what, value=_show(raw))
            return None
        if reading.ambiguous:
            self.add("W_NUMBER_AMBIGUOUS", sheet.name, ref, raw, what=what, value=_show(raw),
                     reading=_num(reading.value), why=labels.AMBIGUOUS_WHY[reading.ambiguous])
        v = reading.value
        if integer and abs(v - round(v)) > 1e-9:
            self.add("E_INTEGER", sheet.name, ref, raw, what=what, value=_num(v))
        return v

    def bounds(self, sheet: str, ref: str, v: float | None, bounds: list, what: str, raw=None) -> None:
        """``E_RANGE`` unless ``v`` is within ``bounds`` (from :func:`_bounds`)."""
        if v is None:
            return
        for name, b in bounds:
            if not (v > b if name == "gt" else v <= b if name == "max" else v >= b):
                self.add("E_RANGE", sheet, ref, raw if raw is not None else v, what=what, value=_num(v),
                         bound=labels.BOUNDS[name].format(x=_num(b)))


# ----------------------------------------------------------------------------- sheets


def _read_info(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    hdr = run.header(sheet, spec)
    label_col = hdr.cols.get("label", 0) if hdr else 0
    value_col = hdr.cols.get("value", label_col + 1) if hdr else 1
    start = hdr.data_start if hdr else 0
    lookup = s.row_lookup("ThongTin", {f["label"]: f["key"] for f in s.fields.values()} | {k: k for k in s.fields})
    found = run.rows_by_code(sheet, _Header(row=start - 1, data_start=start, cols={"label": label_col}, years={}),
                             "label", lookup, labels.ROW_KINDS["key_value"], [value_col],
                             expected=[])
    for key, f in s.fields.items():
        if key not in found:
            run.add("E_ROW_MISSING", sheet.name, "", what=labels.ROW_KINDS["key_value"], code=f["label"])
            continue
        r = found[key]
        raw = sheet.value(r, value_col)
        ref = cell_ref(r, value_col)
        run.res.cells[("info", key)] = ref
        if f.get("personal"):
            run.personal.add((sheet.name, ref))
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.get("required"):
                run.add("E_REQUIRED", sheet.name, ref, what=f["label"])
            run.res.info[key] = None
            continue
        if f.get("type") == "date":
            try:
                run.res.info[key] = parse_date(raw).isoformat()
            except ValueError:
                run.add("E_TYPE_DATE", sheet.name, ref, raw, what=f["label"], value=_show(raw))
                run.res.info[key] = None
        else:
            run.res.info[key] = _text(raw)


def _read_criteria(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    hdr = run.header(sheet, spec)
    if hdr is None:
        return
    run.check_years(sheet, hdr)
    year_col = spec_years_col(spec)
    nos = sorted(s.criterion_names)
    lookup = {str(n): n for n in nos}
    found = run.rows_by_code(sheet, hdr, "criterion_no", lookup, labels.ROW_KINDS["criteria_grid"],
                             list(hdr.years.values()), expected=nos)
    choices = s.choice_lookup[year_col["choices"]]
    listed = ", ".join(s.choice_labels[year_col["choices"]].values())
    for no in nos:
        r = found.get(no)
        if r is None:
            continue
        run.note(sheet, hdr, r, no)
        for y in s.years:
            c = hdr.years.get(y)
            if c is None:
                continue
            raw = sheet.value(r, c)
            ref = cell_ref(r, c)
            what = f"tiêu chí {no} năm {y}"
            run.res.cells[("criterion", no, y)] = ref
            t = _text(raw)
            status = None
            if t is None:
                if year_col.get("required"):
                    run.add("E_REQUIRED", sheet.name, ref, what=what)
            else:
                status = choices.get(cached_match_key(t))
                if status is None:
                    run.add("E_CHOICE", sheet.name, ref, raw, what=what, value=_show(raw), choices=listed)
            run.res.criteria_status.append({"year": y, "criterion_no": int(no), "status": status})


def spec_years_col(spec: dict) -> dict:
    return next(c for c in spec["columns"] if c["key"] == "years")


def _grid_rows(run: Run, sheet: Sheet, spec: dict, rows: dict, lookup_name: str, key: str, kind: str):
    """Each code of ``rows`` found on a code × year sheet (ChiTieu, VanDong): ``(code, row spec, row index, header)``.

    Missing year columns and unknown, duplicated or missing rows are reported
    first, and each row's note is recorded before the row is yielded; nothing
    is yielded when the header cannot be found (reported too).
    """
    hdr = run.header(sheet, spec)
    if hdr is None:
        return
    run.check_years(sheet, hdr)
    lookup = run.s.row_lookup(lookup_name, list(rows))
    found = run.rows_by_code(sheet, hdr, key, lookup, labels.ROW_KINDS[kind], list(hdr.years.values()),
                             expected=list(rows))
    for code, row in rows.items():
        r = found.get(code)
        if r is None:
            continue
        run.note(sheet, hdr, r, code)
        yield code, row, r, hdr


def _read_years(run: Run, sheet: Sheet, hdr: _Header, r: int, code: str, what: str, bounds: list,
                **number_options) -> dict[int, tuple[float | None, int]]:
    """One code's row of a code × year sheet: each year's number read, checked against ``bounds``, recorded.

    ``number_options`` go to :meth:`Run.number`. Returns ``{year: (value, column)}``.
    """
    read = {}
    for y in run.s.years:
        c = hdr.years.get(y)
        if c is None:
            continue
        what_year = f"{what} năm {y}"
        v = run.number(sheet, r, c, what_year, **number_options)
        run.bounds(sheet.name, cell_ref(r, c), v, bounds, what_year, sheet.value(r, c))
        run.res.cells[(code, y)] = f"{sheet.name}!{cell_ref(r, c)}"
        run.res.values.append({"year": y, "data_element": code, "value": v})
        read[y] = (v, c)
    return read


def _read_indicators(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    ycol = spec_years_col(spec)
    for code, row, r, hdr in _grid_rows(run, sheet, spec, s.indicators, "ChiTieu", "indicator_code", "indicator_grid"):
        info = s.indicator_info.get(code, {})
        rules = _bounds({"min": ycol.get("min"), "max": row.get("max")})
        _read_years(run, sheet, hdr, r, code, f"chỉ tiêu {code}", rules, percent=info.get("unit") == "%",
                    required=bool(ycol.get("required")))


def _read_metrics(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    ycol = spec_years_col(spec)
    got: dict = {}
    for code, m, r, hdr in _grid_rows(run, sheet, spec, s.metrics, "VanDong", "code", "metric_grid"):
        rules = m.get("rules", {})
        read = _read_years(run, sheet, hdr, r, code, f"{code} ({m['label']})", _bounds(rules),
                           integer=bool(rules.get("integer")), required=bool(ycol.get("required")))
        for y, (v, c) in read.items():
            got[(code, y)] = (v, r, c)
    for code, m in s.metrics.items():
        whole = (m.get("rules") or {}).get("le_metric")
        if not whole:
            continue
        for y in s.years:
            part, w = got.get((code, y)), got.get((whole, y))
            if part and w and part[0] is not None and w[0] is not None and part[0] > w[0]:
                run.add("E_RELATION", sheet.name, cell_ref(part[1], part[2]), part[0],
                        what=f"{code} ({m['label']}) năm {y}", value=_num(part[0]), other_code=whole,
                        other_what=s.metrics[whole]["label"], other_value=_num(w[0]))


def _read_proposals(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    hdr = run.header(sheet, spec)
    if hdr is None:
        return
    cols = {c["key"]: c for c in spec["columns"]}
    content_cols = [hdr.cols[k] for k in cols if k != "seq" and k in hdr.cols]
    for k, c in cols.items():
        if k not in hdr.cols and c.get("required"):
            run.add("E_HEADER_MISSING", sheet.name, f"{hdr.row + 1}:{hdr.row + 1}", label=c["label"])
    n = 0
    for r in range(hdr.data_start, sheet.nrows):
        if sheet.row_is_blank(r, content_cols):
            continue
        n += 1
        rec: dict = {"seq": n}
        for key, col in cols.items():
            ci = hdr.cols.get(key)
            if ci is None:
                rec[key] = None
                continue
            raw = sheet.value(r, ci)
            ref = cell_ref(r, ci)
            if col.get("personal_if") or col.get("personal"):
                run.personal.add((sheet.name, ref))
            what = f"đề xuất dòng {r + 1}, cột “{col['label']}”"
            t = _text(raw)
            if t is None:
                if col.get("required"):
                    run.add("E_REQUIRED", sheet.name, ref, what=what)
                rec[key] = None
                continue
            if key == "seq":
                v = parse_number(raw)
                rec["seq"] = int(v.value) if v.ok and v.value is not None and float(v.value).is_integer() else n
                continue
            if col.get("type") == "choice":
                value = s.choice_lookup[col["choices"]].get(cached_match_key(t))
                if col.get("open_choice"):
                    rec[key] = s.choice_labels[col["choices"]][value] if value else t
                    continue
                if value is None:
                    listed = ", ".join(s.choice_labels[col["choices"]].values())
                    run.add("E_CHOICE", sheet.name, ref, raw, what=what, value=_show(raw), choices=listed)
                rec[key] = value
            else:
                rec[key] = t
        if rec.get("seq") is None:      # no STT column, or a blank STT: the row's order
            rec["seq"] = n
        run.res.proposals.append(rec)


def _read_sections(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    hdr = run.header(sheet, spec)
    if hdr is None:
        return
    text_col = hdr.cols.get("text")
    if text_col is None:
        run.add("E_HEADER_MISSING", sheet.name, f"{hdr.row + 1}:{hdr.row + 1}",
                label=next(c["label"] for c in spec["columns"] if c["key"] == "text"))
        return
    lookup = s.row_lookup("DanhGia", list(s.sections))
    found = run.rows_by_code(sheet, hdr, "section_code", lookup, labels.ROW_KINDS["sections"], [text_col],
                             expected=list(s.sections))
    for code in s.sections:
        r = found.get(code)
        if r is not None:
            run.res.narratives.append({"section_code": code, "text": _text(sheet.value(r, text_col))})


_READERS = {"key_value": _read_info, "criteria_grid": _read_criteria, "indicator_grid": _read_indicators,
            "metric_grid": _read_metrics, "table": _read_proposals, "sections": _read_sections}


# ----------------------------------------------------------------------------- workbook


def validate_workbook(book: Workbook, schema: Schema | None = None, *, claims: list[tuple[str, str]] | None = None,
                      peers=None) -> Result:
    """Read and check a workbook against the outline, collecting every problem.

    Parameters
    ----------
    book : Workbook
        From :func:`nrlib.reader.read_workbook`.
    schema : Schema, optional
        The compiled outline (default: :func:`nrlib.schema.compile_schema` of the reference outline).
    claims : list of (source, unit_code), optional
        Units the file is said to come from: ``("file_name", "26308")``,
        ``("manifest", "26308")``. Each must equal the workbook's own unit
        code (``E_UNIT_MISMATCH``).
    peers : nrlib.plausibility.Peers, optional
        Latest accepted values of the other units of the district, for the
        outlier check (see :func:`nrlib.plausibility.check_outliers`).

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
            _READERS[spec["layout"]](run, sheet, spec)
    _redact_personal(run)
    run.res.is_sample = _is_sample(run, sheets)
    unit = _check_unit_and_version(run, claims or [])
    from .plausibility import check_declared_vs_measured, check_outliers, check_yoy

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
                                encoding=labels.LEGACY_ENCODINGS[enc], text=_show(v))


def _redact_personal(run: Run) -> None:
    """Problems at personal cells (preparer's name and phone, a person's name in KhenThuong) do not
    quote the cell: problems reach exports and reports, personal data must not."""
    import dataclasses

    for i, p in enumerate(run.res.problems):
        if p.value is not None and (p.sheet, p.cell) in run.personal:
            quoted = _show(p.value)
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
