"""Edit a workbook written by nrlib's template writer at the XML level: fast enough for property tests.

:class:`Book` parses each sheet's ``<sheetData>`` into rows of cells (the
writer's output is regular: inline strings, numbers, self-closing blanks),
lets a test change cells, insert or delete rows and columns, shuffle rows,
rename, reorder, add or delete sheets, and writes the result as a new
``.xlsx`` in a few milliseconds (openpyxl takes ~0.4 s to load and save one).
Cells keep their style; a new value is written as Excel writes it (a number
as ``<v>``, text as an inline string, a boolean as ``t="b"``, an error as
``t="e"``).
"""

from __future__ import annotations

import math
import re
from copy import deepcopy
from pathlib import Path
from xml.sax.saxutils import escape

from hostile.builders import read_parts, write_zip

_ROW = re.compile(rb'<row r="(\d+)"([^>]*?)(?:/>|>(.*?)</row>)', re.S)
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_STYLE = re.compile(rb'\ss="\d+"')
# attributes in any order: openpyxl writes them differently when lxml is installed (python-docx brings it)
_SHEET = re.compile(rb'<sheet\b(?=[^>]*\sname="([^"]*)")(?=[^>]*\ssheetId="(\d+)")(?=[^>]*\sr:id="([^"]+)")[^>]*/>')


def col_letters(n: int) -> str:
    """1-based column number -> letters."""
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def xml_text(value: str) -> str:
    """Text as Excel writes it into XML: escaped, and characters XML 1.0 forbids as ``_xHHHH_``."""
    out = []
    for ch in value:
        o = ord(ch)
        if (o < 0x20 and ch not in "\t\n\r") or 0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF):
            out.append(f"_x{o:04X}_")
        else:
            out.append(ch)
    return escape("".join(out))


def cell_xml(value, style: bytes = b"") -> tuple[bytes, bytes]:
    """``(attributes, inner XML)`` of a cell holding ``value``."""
    if value is None:
        return style, b""
    if isinstance(value, bool):
        return style + b' t="b"', b"<v>%d</v>" % int(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            text = "NaN"
        elif isinstance(value, float) and math.isinf(value):
            text = "INF" if value > 0 else "-INF"
        else:
            text = repr(value)
        return style + b' t="n"', b"<v>" + text.encode() + b"</v>"
    if isinstance(value, tuple) and value[0] == "error":
        return style + b' t="e"', b"<v>" + escape(value[1]).encode() + b"</v>"
    if isinstance(value, tuple) and value[0] == "formula":
        return style, b"<f>" + escape(value[1]).encode() + b"</f><v>" + str(value[2]).encode() + b"</v>"
    return style + b' t="inlineStr"', b"<is><t xml:space=\"preserve\">" + xml_text(str(value)).encode() + b"</t></is>"


class Sheet:
    """One worksheet part: the XML before and after ``<sheetData>``, and ``rows[r][c] = (attrs, inner)``."""

    def __init__(self, xml: bytes):
        start = xml.index(b"<sheetData")
        body_start = xml.index(b">", start) + 1
        if xml[body_start - 2:body_start] == b"/>":
            self.head, body, self.tail = xml[:start] + b"<sheetData>", b"", b"</sheetData>" + xml[body_start:]
        else:
            end = xml.index(b"</sheetData>")
            self.head, body, self.tail = xml[:body_start], xml[body_start:end], xml[end:]
        self.rows: dict[int, dict[int, tuple[bytes, bytes]]] = {}
        self.row_attrs: dict[int, bytes] = {}
        for m in _ROW.finditer(body):
            r = int(m.group(1))
            self.row_attrs[r] = m.group(2)
            cells = {}
            for c in _CELL.finditer(m.group(3) or b""):
                cells[col_number(c.group(1).decode())] = (c.group(3).rstrip(), c.group(4) or b"")
            self.rows[r] = cells

    def refs(self) -> list[tuple[int, int]]:
        return [(r, c) for r, cells in sorted(self.rows.items()) for c in sorted(cells)]

    def value_refs(self) -> list[tuple[int, int]]:
        """Cells holding something (not styled blanks)."""
        return [(r, c) for r, cells in sorted(self.rows.items()) for c, (_, inner) in sorted(cells.items()) if inner]

    def set(self, r: int, c: int, value) -> None:
        cells = self.rows.setdefault(r, {})
        self.row_attrs.setdefault(r, b"")
        style = _STYLE.search(cells[c][0]).group(0) if c in cells and _STYLE.search(cells[c][0]) else b""
        attrs, inner = cell_xml(value, style)
        cells[c] = (attrs, inner)

    def max_row(self) -> int:
        return max(self.rows, default=0)

    def max_col(self) -> int:
        return max((c for cells in self.rows.values() for c in cells), default=0)

    def insert_row(self, at: int) -> None:
        """A blank row at ``at``; rows from ``at`` down move one down."""
        self.rows = {(r + 1 if r >= at else r): v for r, v in self.rows.items()}
        self.row_attrs = {(r + 1 if r >= at else r): v for r, v in self.row_attrs.items()}
        self.rows[at], self.row_attrs[at] = {}, b""

    def delete_row(self, at: int) -> None:
        self.rows = {(r - 1 if r > at else r): v for r, v in self.rows.items() if r != at}
        self.row_attrs = {(r - 1 if r > at else r): v for r, v in self.row_attrs.items() if r != at}

    def insert_col(self, at: int) -> None:
        self.rows = {r: {(c + 1 if c >= at else c): v for c, v in cells.items()} for r, cells in self.rows.items()}

    def delete_col(self, at: int) -> None:
        self.rows = {r: {(c - 1 if c > at else c): v for c, v in cells.items() if c != at}
                     for r, cells in self.rows.items()}

    def permute_rows(self, order: dict[int, int]) -> None:
        """Move row ``old`` to ``order[old]`` (a permutation of some rows)."""
        rows, attrs = dict(self.rows), dict(self.row_attrs)
        for old, new in order.items():
            rows[new], attrs[new] = self.rows.get(old, {}), self.row_attrs.get(old, b"")
        self.rows, self.row_attrs = rows, attrs

    def xml(self) -> bytes:
        out = [self.head]
        for r in sorted(self.rows):
            cells = self.rows[r]
            if not cells:
                continue
            out.append(b'<row r="%d"%s>' % (r, self.row_attrs.get(r, b"")))
            for c in sorted(cells):
                attrs, inner = cells[c]
                ref = col_letters(c).encode() + str(r).encode()
                out.append(b'<c r="%s"%s>%s</c>' % (ref, attrs, inner) if inner else b'<c r="%s"%s/>' % (ref, attrs))
            out.append(b"</row>")
        out.append(self.tail)
        return b"".join(out)


class Book:
    """A workbook's parts, its sheets by name (in workbook order) as :class:`Sheet` s."""

    def __init__(self, path: Path | None = None, parts: list | None = None):
        self.parts = dict(read_parts(path) if path else parts)
        self.order = [name for name in self.parts]
        rels = self.parts["xl/_rels/workbook.xml.rels"]
        targets = {m.group(1): m.group(2) for m in re.finditer(rb'Id="([^"]+)"[^>]*Target="([^"]+)"', rels)}
        targets.update({m.group(2): m.group(1) for m in re.finditer(rb'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
        self.sheet_entries = []       # [name, sheetId, rId]
        self.sheets: dict[str, Sheet] = {}
        self.part_of: dict[str, str] = {}
        for m in _SHEET.finditer(self.parts["xl/workbook.xml"]):
            name, sid, rid = m.group(1).decode(), m.group(2), m.group(3)
            target = targets[rid].decode()
            part = target[1:] if target.startswith("/") else "xl/" + target
            self.sheet_entries.append([name, sid, rid])
            self.sheets[name] = Sheet(self.parts[part])
            self.part_of[name] = part

    def copy(self) -> Book:
        return deepcopy(self)

    def rename(self, old: str, new: str) -> None:
        for e in self.sheet_entries:
            if e[0] == old:
                e[0] = new
        self.sheets[new] = self.sheets.pop(old)
        self.part_of[new] = self.part_of.pop(old)

    def delete(self, name: str) -> None:
        self.sheet_entries = [e for e in self.sheet_entries if e[0] != name]
        del self.sheets[name]
        self.parts.pop(self.part_of.pop(name))

    def reorder(self, names: list[str]) -> None:
        by = {e[0]: e for e in self.sheet_entries}
        self.sheet_entries = [by[n] for n in names]

    def add(self, name: str, copy_of: str | None = None) -> Sheet:
        """A new sheet (empty, or a copy of another's cells)."""
        n = len(self.part_of) + 100
        part, rid = f"xl/worksheets/added{n}.xml", f"rIdAdded{n}"
        sheet = deepcopy(self.sheets[copy_of]) if copy_of else Sheet(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
        self.sheets[name], self.part_of[name] = sheet, part
        self.sheet_entries.append([name, str(n).encode(), rid.encode()])
        self.parts[part] = b""
        self.order.append(part)
        rels = self.parts["xl/_rels/workbook.xml.rels"]
        self.parts["xl/_rels/workbook.xml.rels"] = rels.replace(
            b"</Relationships>", b'<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                                 b'relationships/worksheet" Target="%s"/></Relationships>'
                                 % (rid.encode(), part[3:].encode()))
        ct = self.parts["[Content_Types].xml"]
        self.parts["[Content_Types].xml"] = ct.replace(
            b"</Types>", b'<Override PartName="/%s" ContentType="application/vnd.openxmlformats-officedocument.'
                         b'spreadsheetml.worksheet+xml"/></Types>' % part.encode())
        return sheet

    def write(self, path: Path) -> Path:
        parts = dict(self.parts)
        for name, part in self.part_of.items():
            parts[part] = self.sheets[name].xml()
        book = parts["xl/workbook.xml"]
        entries = b"".join(b'<sheet name="%s" sheetId="%s" state="visible" r:id="%s"/>'
                           % (escape(name, {'"': "&quot;"}).encode(), sid, rid) for name, sid, rid in self.sheet_entries)
        start, end = book.index(b"<sheets>") + len(b"<sheets>"), book.index(b"</sheets>")
        parts["xl/workbook.xml"] = book[:start] + entries + book[end:]
        # print titles name sheets by index; they are not part of the content and go stale with edits
        parts["xl/workbook.xml"] = re.sub(rb"<definedNames>.*?</definedNames>", b"", parts["xl/workbook.xml"], flags=re.S)
        return write_zip(path, [(n, parts[n]) for n in self.order if n in parts], level=1)
