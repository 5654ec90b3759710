"""How far each sheet of a workbook reaches, found from its XML tags or BIFF records before any parser reads it.

:mod:`nrlib.intake.precheck` feeds this module a sheet's tags (through expat) or
bytes, and each scanner here raises ``E_SHEET_TOO_LARGE`` as soon as an
:class:`Extent` passes a limit of :mod:`nrlib.intake.limits`. Methods:

* **xlsx, streamed** (:class:`XlsxSheetScanner`): start tags only; a ``<c>``
  (its ``r``, or its implicit position after the previous cell or row) holds
  a value when a ``<v>``, ``<is>`` or ``<f>`` opens inside it.
* **xlsx, fast path** (:func:`fast_extent`): a part whose every ``<c>`` tag is
  plain (no prefix, ``r="B12"`` first, attributes in double quotes) is bounded
  by regular expressions over its bytes: every ``<c>`` that is not
  self-closing counts as holding a value, an upper bound of what the streamed
  scan finds (equal for the files Excel, LibreOffice and openpyxl write).
  Anything else returns None and is streamed.
* **ods** (:class:`OdsScanner`): cells with a value type or any content, with
  ``number-rows-repeated`` and ``number-columns-repeated`` applied.
* **xls** (:func:`scan_biff`): the BIFF record stream, sheet by sheet (BOF ...
  EOF), each cell record's row and column; also the sheet names and
  ``FILEPASS`` (an encrypted workbook).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from nrlib.core.vnformat import fmt_number
from nrlib.exceptions import WorkbookReadError
from nrlib.intake.limits import Limits

#: other ways a cell's start tag can begin than "<c " (then the fast path does not apply)
_OTHER_CELL_START = re.compile(rb"<c[\t\n\r/>]")
_PREFIXED_START = re.compile(rb":c[\s/>]")
# a plain cell tag, as Excel, LibreOffice and openpyxl write it: r="B12" first (upper case, no "$", a row from
# 1), then attributes in double quotes with no "<", ">" or '"' inside; group 3 is "/" for an empty cell
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?:\s+[^\s=<>"/]+="[^"<>]*")*\s*(/?)>')


@dataclass
class Extent:
    """How far a sheet's values reach: ``rows`` and ``columns`` counted from A1 to the last value."""

    rows: int = 0
    columns: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def show_part(name: str) -> str:
    name = "".join(ch if ch.isprintable() else "?" for ch in name)
    return name if len(name) <= 80 else name[:77] + "…"


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


class LimitCheck:
    def __init__(self, limits: Limits):
        self.limits = limits

    def check(self, sheet: str, rows: int, cols: int) -> None:
        lim = self.limits
        for what, value, limit in (("số dòng", rows, lim.max_rows), ("số cột", cols, lim.max_columns),
                                   ("số ô (dòng × cột)", rows * cols, lim.max_cells)):
            if value > limit:
                raise WorkbookReadError.refuse("E_SHEET_TOO_LARGE", sheet=show_part(sheet), what=what,
                                               value=fmt_number(value), limit=fmt_number(limit))


_CELL_REF = re.compile(r"\$?([A-Za-z]{1,7})\$?(\d{1,9})")
#: element name -> what it is to a sheet scan ("row", "c", "value" or ""), with or without a prefix
_KINDS: dict[str, str] = {}


def _kind(name: str) -> str:
    local = name.rsplit(":", 1)[-1]
    kind = local if local in ("row", "c") else "value" if local in ("v", "is", "f") else ""
    if len(_KINDS) < 10000:
        _KINDS[name] = kind
    return kind


class XlsxSheetScanner(LimitCheck):
    """Extent of one worksheet part: ``<row r>``, ``<c r>`` (or their implicit positions) holding a value.

    Only start tags are watched (fast): a ``<v>``, ``<is>`` or ``<f>`` marks
    the last ``<c>`` opened as holding a value.
    """

    def __init__(self, sheet: str, limits: Limits):
        super().__init__(limits)
        self.sheet = sheet
        self.extent = Extent()
        self.row = 0
        self.col = 0
        self.cell: tuple[int, int] | None = None

    def start(self, name: str, attrs: dict) -> None:
        kind = _KINDS.get(name)
        if kind is None:
            kind = _kind(name)
        if not kind:
            return
        if kind == "c":
            r = attrs.get("r")
            m = _CELL_REF.fullmatch(r.strip()) if r else None
            if m:
                self.col = col_number(m.group(1).upper())
                self.row = int(m.group(2)) or max(self.row, 1)
            else:
                self.col += 1
            self.cell = (max(self.row, 1), self.col)
        elif kind == "value":
            if self.cell is not None:
                r, c = self.cell
                ext = self.extent
                if r > ext.rows or c > ext.columns:
                    ext.rows, ext.columns = max(ext.rows, r), max(ext.columns, c)
                    self.check(self.sheet, ext.rows, ext.columns)
                self.cell = None
        else:   # row
            r = attrs.get("r", "").strip()
            self.row = int(r) if r.isdigit() else self.row + 1
            self.col = 0
            self.cell = None

    end = None


class OdsScanner(LimitCheck):
    """Extents of the tables of an ODS ``content.xml``, with repeated rows and columns applied."""

    def __init__(self, limits: Limits):
        super().__init__(limits)
        self.extents: dict[str, Extent] = {}
        self.table = ""
        self.ext = Extent()
        self.depth = 0            # table nesting (a table inside a cell is part of its cell)
        self.row_index = 0
        self.row_rep = 1
        self.row_has_value = False
        self.col = 0
        self.cell: list | None = None   # [first column, repeat, has value]

    @staticmethod
    def _repeat(attrs: dict, key: str) -> int:
        raw = str(attrs.get(key, "1")).strip()
        return max(1, int(raw)) if raw.isdigit() else 1

    def start(self, name: str, attrs: dict) -> None:
        if name == "table:table":
            self.depth += 1
            if self.depth == 1:
                self.table = attrs.get("table:name") or f"#{len(self.extents) + 1}"
                self.ext = self.extents.setdefault(self.table, Extent())
                self.row_index = 0
                return
        if self.depth != 1:
            return
        if name == "table:table-row":
            self.row_rep = self._repeat(attrs, "table:number-rows-repeated")
            self.row_has_value = False
            self.col = 0
        elif name in ("table:table-cell", "table:covered-table-cell"):
            self.cell = [self.col, self._repeat(attrs, "table:number-columns-repeated"),
                         "office:value-type" in attrs]
        elif self.cell is not None:
            self.cell[2] = True        # any content inside a cell (text:p, annotation...) counts

    def end(self, name: str) -> None:
        if name == "table:table":
            self.depth -= 1
            return
        if self.depth != 1:
            return
        if name in ("table:table-cell", "table:covered-table-cell") and self.cell is not None:
            first, rep, has_value = self.cell
            self.col = first + rep
            if has_value:
                self.row_has_value = True
                self.ext.columns = max(self.ext.columns, self.col)
            self.cell = None
        elif name == "table:table-row":
            self.row_index += self.row_rep
            if self.row_has_value:
                self.ext.rows = max(self.ext.rows, self.row_index)
                self.check(self.table, self.ext.rows, self.ext.columns)
            self.row_rep = 1


def fast_extent(data: bytes) -> tuple[int, int] | None:
    """(rows, columns) reached by the part's non-empty plain cells, or None when a ``<c>`` tag is not plain."""
    if b":c" in data and _PREFIXED_START.search(data):
        return None
    if b"<c" not in data:
        return 0, 0
    if _OTHER_CELL_START.search(data):
        return None
    cells = _PLAIN_CELL.findall(data)
    if len(cells) != data.count(b"<c "):
        return None
    valued = [(letters, digits) for letters, digits, empty in cells if not empty]
    if not valued:
        return 0, 0
    letters = max({c[0] for c in valued}, key=lambda col: (len(col), col))
    return max(map(int, {c[1] for c in valued})), col_number(letters.decode("ascii"))


_BIFF_CELLS = {0x0006, 0x0203, 0x0204, 0x00FD, 0x027E, 0x0205, 0x00D6, 0x0201}
_BIFF_MULTI = {0x00BD, 0x00BE}     # MULRK, MULBLANK: first column at 2, last column in the last two bytes
_BOF, _EOF, _BOUNDSHEET, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x002F


def scan_biff(data: bytes, limits: Limits) -> dict[str, Extent]:
    """Walk the BIFF records: sheet names (BOUNDSHEET), encryption (FILEPASS), cell positions per sheet.

    Each BOF opens a substream (the workbook globals first, then one per
    sheet; a chart inside a sheet nests its own BOF ... EOF); cell records
    extend the extent of the substream they are in.
    """
    names: dict[int, str] = {}
    extents: dict[int, Extent] = {}
    checker = LimitCheck(limits)
    biff8 = True
    seen_globals = False
    stack: list[int | None] = []
    current: int | None = None        # stream offset of the open sheet substream's BOF
    pos, n = 0, len(data)
    unpack = struct.unpack_from
    while pos + 4 <= n:
        rtype, rlen = unpack("<HH", data, pos)
        body = pos + 4
        if rtype == _BOF:
            if not seen_globals:        # the first BOF opens the workbook globals and gives the version
                seen_globals = True
                biff8 = rlen >= 2 and unpack("<H", data, body)[0] >= 0x0600
                stack.append(None)
            else:
                stack.append(current)
                current = pos
                extents[pos] = Extent()
        elif rtype == _EOF:
            current = stack.pop() if stack else None
        elif rtype == _FILEPASS:
            raise WorkbookReadError.refuse("E_FILE_ENCRYPTED")
        elif rtype == _BOUNDSHEET and rlen >= 8:
            names[unpack("<I", data, body)[0]] = _biff_name(data[body + 6:body + rlen], biff8)
            if len(names) > limits.max_sheets:
                raise WorkbookReadError.refuse("E_FILE_TOO_LARGE", what="số trang tính", value=fmt_number(len(names)),
                                               limit=fmt_number(limits.max_sheets))
        elif current is not None and rlen >= 4 and (rtype in _BIFF_CELLS or rtype in _BIFF_MULTI):
            row, col = unpack("<HH", data, body)
            if rtype in _BIFF_MULTI and rlen >= 6:
                col = max(col, unpack("<H", data, body + rlen - 2)[0])
            ext = extents[current]
            if row + 1 > ext.rows or col + 1 > ext.columns:
                ext.rows, ext.columns = max(ext.rows, row + 1), max(ext.columns, col + 1)
                checker.check(names.get(current, "?"), ext.rows, ext.columns)
        pos = body + rlen
    return {names.get(at, f"#{i + 1}"): ext for i, (at, ext) in enumerate(sorted(extents.items()))}


def _biff_name(raw: bytes, biff8: bool) -> str:
    if not raw:
        return ""
    cch = raw[0]
    if biff8 and len(raw) >= 2:
        if raw[1] & 0x1:
            return raw[2:2 + 2 * cch].decode("utf-16-le", "replace")
        return raw[2:2 + cch].decode("latin-1")
    return raw[1:1 + cch].decode("cp1252", "replace")
