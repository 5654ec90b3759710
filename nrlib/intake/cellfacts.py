"""What a cell shows that its value does not say: a percent format, a formula never computed, an error, a merge.

The reader (python-calamine, :mod:`nrlib.intake.reader`) gives each cell's
value only. That is not always the cell as the clerk sees it:

* **percent format**: ``94,2%`` typed in Excel or LibreOffice is stored as
  the number 0,942 in a cell formatted as a percentage;
* **formula without a result**: a file written by a program (not an office
  suite) may hold ``=SUM(D5:D9)`` with no computed value; the reader sees a
  blank;
* **error value**: ``#DIV/0!``, ``#VALUE!``, ``#REF!`` … read as a blank;
* **merged range**: a value typed once across the five year columns sits in
  the first cell only (ODS merges are not reported by the reader at all).

:func:`read_cell_facts` collects these for the sheets the outline reads, from
the file itself: for ``.xlsx`` the sheet parts and ``styles.xml`` (cells'
style index → number format), for ``.ods`` ``content.xml`` (value types,
formulas, ``calcext:value-type="error"``, spanned cells), for ``.xls`` the
BIFF records through xlrd. The file has passed :mod:`nrlib.intake.precheck`
(sizes, zip bombs, entities, extents) before anything here reads it. The
sheet readers then read each data cell through these facts
(:meth:`nrlib.intake.locate.Run.cell`).
"""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

#: built-in number formats that are percentages (ECMA-376, 18.8.30: 9 ``0%``, 10 ``0.00%``)
_BUILTIN_PERCENT = {9, 10}
_CELL = re.compile(rb"<c\b([^>]*?)(/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb"""\b([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REF = re.compile(rb"^([A-Z]{1,3})([0-9]+)$")
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v\b[^>]*?(?:/>|>(.*?)</v>)", re.S)
#: bytes without which a sheet part holds no formula cell and no error value (``<formula1>`` of a drop-down
#: is not a formula cell); plain substring searches, much faster than a regex over the part
_TRIGGERS = (b"<f>", b"<f ", b"<f/>", b":f>", b":f ", b't="e"', b"t='e'")
_XF_BLOCK = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b([^>]*?)(?:/>|>)")
_NUMFMT = re.compile(rb"<numFmt\b([^>]*?)/?>")


@dataclass
class CellFacts:
    """Facts about one sheet's cells, by 0-based ``(row, col)``."""

    #: numeric cells shown as a percentage (their value is the fraction: 94,2 % is 0,942)
    percent: set = field(default_factory=set)
    #: formula cells without a computed result: ``{(r, c): formula text}`` (``""`` when not stored)
    formulas: dict = field(default_factory=dict)
    #: cells holding an error value: ``{(r, c): "#DIV/0!"}``
    errors: dict = field(default_factory=dict)
    #: merged ranges ``((r0, c0), (r1, c1))``, inclusive (where the reader gives none: ODS)
    merged: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.percent or self.formulas or self.errors or self.merged)


def is_percent_format(code: str) -> bool:
    """Whether a number-format code shows a percentage: a ``%`` outside quotes, ``\\`` escapes and ``[...]``."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in code


def column_number(letters: bytes | str) -> int:
    """``"A"`` → 0, ``"AA"`` → 26."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _position(ref: bytes) -> tuple[int, int] | None:
    m = _REF.match(ref)
    return (int(m.group(2)) - 1, column_number(m.group(1))) if m else None


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {k.split(b":")[-1]: (v1 if v1 is not None else v2) for k, v1, v2 in _ATTR.findall(raw)}


def read_cell_facts(path: str | Path, fmt: str, parts: dict[str, str], keep=None,
                    part_data: dict[str, bytes] | None = None) -> dict[str, CellFacts]:
    """The :class:`CellFacts` of each sheet (by name) of a checked workbook.

    ``fmt`` is the format the content is (``xlsx``, ``ods``, ``xls``, from
    :func:`nrlib.intake.precheck.check_file`); ``parts`` maps an ``.xlsx``
    sheet's name to its part (the pre-check's reading of the workbook's
    relationships), ``part_data`` the bytes of parts it read already;
    ``keep(name)`` says which sheets are needed. A sheet without any such
    cell is left out.
    """
    keep = keep or (lambda name: True)
    if fmt == "xlsx":
        return _xlsx_facts(Path(path), parts, keep, part_data or {})
    if fmt == "ods":
        return _ods_facts(Path(path), keep)
    if fmt == "xls":
        return _xls_facts(Path(path), keep)
    return {}


# --------------------------------------------------------------------------- xlsx


def _percent_styles(read, names: set[str]) -> set[int]:
    """Indices of the cell formats (``cellXfs``) that show numbers as percentages."""
    styles = "xl/styles.xml" if "xl/styles.xml" in names else next((n for n in names if n.endswith("styles.xml")),
                                                                      None)
    if styles is None:
        return set()
    data = read(styles)
    custom = {}
    for m in _NUMFMT.finditer(data):
        a = _attrs(m.group(1))
        if b"numFmtId" in a and b"formatCode" in a and a[b"numFmtId"].isdigit():
            custom[int(a[b"numFmtId"])] = unescape(a[b"formatCode"].decode("utf-8", "replace"))
    block = _XF_BLOCK.search(data)
    out = set()
    for i, m in enumerate(_XF.finditer(block.group(1) if block else b"")):
        raw = _attrs(m.group(1)).get(b"numFmtId", b"0")
        fid = int(raw) if raw.isdigit() else 0
        if fid in _BUILTIN_PERCENT or (fid in custom and is_percent_format(custom[fid])):
            out.add(i)
    return out


class _Package:
    """The parts of an ``.xlsx``: those the pre-check already read, else from the zip, opened only when needed."""

    def __init__(self, path: Path, part_data: dict[str, bytes]):
        self.path, self.part_data, self._zip = path, part_data, None

    @functools.cached_property
    def names(self) -> set[str]:
        return set(self.part_data) | set(self._open().namelist())

    def _open(self) -> zipfile.ZipFile:
        if self._zip is None:
            self._zip = zipfile.ZipFile(self.path)
        return self._zip

    def has(self, part: str) -> bool:
        return part in self.part_data or part in self.names

    def read(self, part: str) -> bytes:
        return self.part_data[part] if part in self.part_data else self._open().read(part)

    def styles(self) -> set[str]:
        known = {p for p in self.part_data if p.endswith("styles.xml")}
        return known or self.names

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _xlsx_facts(path: Path, parts: dict[str, str], keep, part_data: dict[str, bytes]) -> dict[str, CellFacts]:
    out: dict[str, CellFacts] = {}
    package = _Package(path, part_data)
    try:
        percent_xf = None
        for sheet, part in parts.items():
            if not keep(sheet) or not package.has(part):
                continue
            data = package.read(part)
            facts = CellFacts()        # merges: the reader gives those of an xlsx
            has_styles = b' s="' in data or b" s='" in data
            if has_styles and percent_xf is None:
                percent_xf = _percent_styles(package.read, package.styles())
            if not (any(t in data for t in _TRIGGERS) or (has_styles and percent_xf)):
                continue        # almost every sheet: no formula (``<formula1>`` of a drop-down is not one), no error
            for m in _CELL.finditer(data):
                a = _attrs(m.group(1))
                pos = _position(a.get(b"r", b""))
                if pos is None:
                    continue
                body = m.group(3) or b""
                kind = a.get(b"t", b"n")
                value = _VALUE.search(body)
                has_value = value is not None and (value.group(1) or b"").strip() != b""
                if kind == b"e":
                    facts.errors[pos] = unescape((value.group(1) or b"").decode("utf-8", "replace")) if value else ""
                    continue
                formula = _FORMULA.search(body)
                if formula is not None and not has_value and kind not in (b"inlineStr",):
                    facts.formulas[pos] = "=" + unescape((formula.group(1) or b"").decode("utf-8", "replace")) \
                        if formula.group(1) else ""
                    continue
                style = a.get(b"s")
                if percent_xf and style and style.isdigit() and int(style) in percent_xf and kind == b"n" \
                        and has_value:
                    facts.percent.add(pos)
            if facts:
                out[sheet] = facts
    finally:
        package.close()
    return out


# --------------------------------------------------------------------------- ods


def _ods_facts(path: Path, keep) -> dict[str, CellFacts]:
    import xml.parsers.expat

    out: dict[str, CellFacts] = {}
    state = {"table": None, "depth": 0, "row": 0, "row_rep": 1, "col": 0, "cell": None, "text": []}

    def rep(attrs, key):
        raw = str(attrs.get(key, "1")).strip()
        return max(1, int(raw)) if raw.isdigit() else 1

    def start(name, attrs):
        if name == "table:table":
            state["depth"] += 1
            if state["depth"] == 1:
                state["table"] = attrs.get("table:name", "")
                state["row"] = 0
            return
        if state["depth"] != 1 or not keep(state["table"]):
            return
        if name == "table:table-row":
            state["row_rep"] = rep(attrs, "table:number-rows-repeated")
            state["col"] = 0
        elif name in ("table:table-cell", "table:covered-table-cell"):
            state["cell"] = (state["col"], rep(attrs, "table:number-columns-repeated"), attrs, name)
            state["text"] = []
        elif name == "text:p" and state["cell"] is not None:
            state["text"].append("")

    def chars(data):
        if state["cell"] is not None and state["text"]:
            state["text"][-1] += data

    def end(name):
        if name == "table:table":
            state["depth"] -= 1
            return
        if state["depth"] != 1 or not keep(state["table"]):
            return
        if name in ("table:table-cell", "table:covered-table-cell") and state["cell"] is not None:
            col, n, attrs, kind = state["cell"]
            state["col"] = col + n
            state["cell"] = None
            if kind != "table:table-cell":
                return
            cells = [(state["row"] + dr, col + dc) for dr in range(min(state["row_rep"], 1000))
                     for dc in range(min(n, 1000))]
            vtype = attrs.get("office:value-type")
            facts = out.setdefault(state["table"], CellFacts())
            if attrs.get("calcext:value-type") == "error":
                for pos in cells:
                    facts.errors[pos] = " ".join(state["text"]).strip() or "#ERR"
            elif "table:formula" in attrs and vtype is None:
                for pos in cells:
                    facts.formulas[pos] = re.sub(r"^of:", "", attrs["table:formula"])
            elif vtype == "percentage" and attrs.get("office:value") not in (None, ""):
                facts.percent.update(cells)
            spans = (rep(attrs, "table:number-rows-spanned"), rep(attrs, "table:number-columns-spanned"))
            if spans != (1, 1):
                for r, c in cells:
                    facts.merged.append(((r, c), (r + spans[0] - 1, c + spans[1] - 1)))
        elif name == "table:table-row":
            state["row"] += state["row_rep"]
            state["row_rep"] = 1

    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, chars
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        parser.ParseFile(fh)
    return {name: f for name, f in out.items() if f}


# --------------------------------------------------------------------------- xls


def _xls_facts(path: Path, keep) -> dict[str, CellFacts]:
    import xlrd

    out: dict[str, CellFacts] = {}
    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        percent_xf = {i for i, xf in enumerate(book.xf_list)
                      if xf.format_key in book.format_map
                      and is_percent_format(book.format_map[xf.format_key].format_str)}
        for name in book.sheet_names():
            if not keep(name):
                continue
            sheet = book.sheet_by_name(name)
            facts = CellFacts()
            for r in range(sheet.nrows):
                for c, cell in enumerate(sheet.row(r)):
                    if cell.ctype == xlrd.XL_CELL_ERROR:
                        facts.errors[(r, c)] = xlrd.error_text_from_code.get(cell.value, "#ERR")
                    elif cell.ctype == xlrd.XL_CELL_NUMBER and cell.xf_index in percent_xf:
                        facts.percent.add((r, c))
            if facts:
                out[name] = facts
            book.unload_sheet(name)
    finally:
        book.release_resources()
    return out
