"""Builders of hostile and damaged workbooks, written fast (raw XML and a small zip writer, no openpyxl).

Each builder starts from a valid workbook written by the template writer
(:func:`ingest_fixtures.write_good`) and changes as little as needed, so the
only reason to reject the result is the hostile part. Big files are built by
streaming: the 1 GB zip bomb is one compressed 1 MB block of spaces repeated
(``Z_FULL_FLUSH`` makes every block's compressed bytes identical), so it
takes about a second, not a minute of zlib.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: the VanDong sheet's part in workbooks from nrlib.workbooks.template (sheet order: HuongDan, ThongTin, ... VanDong = 5th)
VANDONG_PART = "xl/worksheets/sheet5.xml"
DANHGIA_PART = "xl/worksheets/sheet7.xml"


@dataclass
class Raw:
    """A zip member given already compressed (deflate, raw stream)."""

    data: bytes
    crc: int
    size: int


def read_parts(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def write_zip(path: Path, parts: list[tuple[str, bytes | Raw]], level: int = 6) -> Path:
    """A minimal zip writer (deflate, no zip64): members in order, ``Raw`` ones as given."""
    out = bytearray()
    central = bytearray()
    for name, data in parts:
        if isinstance(data, Raw):
            comp, crc, size = data.data, data.crc, data.size
        else:
            c = zlib.compressobj(level, zlib.DEFLATED, -15)
            comp = c.compress(data) + c.flush()
            crc, size = zlib.crc32(data), len(data)
        encoded = name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x0800, 8, 0, 0x21, crc, len(comp), size, len(encoded), 0)
        out += encoded + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x0800, 8, 0, 0x21, crc, len(comp), size,
                               len(encoded), 0, 0, 0, 0, 0, offset)
        central += encoded
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(central), len(out) - len(central), 0)
    path.write_bytes(bytes(out))
    return path


def replace_parts(src: Path, dst: Path, new: dict[str, bytes | Raw], add: list[tuple[str, bytes | Raw]] = ()) -> Path:
    parts = [(n, new.get(n, d)) for n, d in read_parts(src)] + list(add)
    return write_zip(dst, parts)


def sheet_xml(rows_xml: bytes, prolog: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + prolog
            + f'<worksheet xmlns="{SHEET_NS}"><sheetData>'.encode() + rows_xml + b"</sheetData></worksheet>")


def spaces_bomb(total_mb: int) -> Raw:
    """``total_mb`` MB of spaces (inside a sheet element), deflated into a few KB per 1 MB block."""
    head = sheet_xml(b"")[:-len(b"</sheetData></worksheet>")]
    tail = b"</sheetData></worksheet>"
    block = b" " * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    body = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(total_mb):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return Raw(first + body * total_mb + last, crc, len(head) + total_mb * len(block) + len(tail))


def million_rows(n: int = 1_000_000) -> bytes:
    """``n`` rows of one number each (values vary, so it compresses like real data, about 10:1)."""
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, (i * 7919) % 100003)
                    for i in range(1, n + 1))
    return sheet_xml(rows)


def far_cell() -> bytes:
    """Two values: A1 and XFD1048576. The parser would hold the 2^34-cell rectangle between them."""
    return sheet_xml(b'<row r="1"><c r="A1"><v>1</v></c></row>'
                     b'<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>')


def billion_laughs(root: bytes = b"sst") -> bytes:
    """The classic entity expansion: 10 levels of 10 references, 10^9 ``lol`` once expanded."""
    ents = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    return (b'<?xml version="1.0"?><!DOCTYPE ' + root + b" [" + ents + b"]>"
            + b'<sst xmlns="' + SHEET_NS.encode() + b'" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')


def with_vba(src: Path, dst: Path) -> Path:
    """A macro-enabled workbook: a ``vbaProject.bin`` part, its relationship and content type."""
    parts = dict(read_parts(src))
    ct = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    ct = ct.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    rels = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                             b'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
    # an OLE header and a module name: enough to be what Excel writes there, never executed by anyone
    vba = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + b"Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()"
    return replace_parts(src, dst, {"[Content_Types].xml": ct, "xl/_rels/workbook.xml.rels": rels},
                         add=[("xl/vbaProject.bin", vba)])


def many_sheets(src: Path, dst: Path, n: int) -> Path:
    """``n`` extra (empty) sheets listed in the workbook."""
    parts = dict(read_parts(src))
    book = parts["xl/workbook.xml"]
    extra = b"".join(b'<sheet name="Extra%d" sheetId="%d" r:id="rIdX%d"/>' % (i, 100 + i, i) for i in range(n))
    book = book.replace(b"</sheets>", extra + b"</sheets>")
    rels = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", b"".join(
        b'<Relationship Id="rIdX%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'worksheet" Target="worksheets/extra%d.xml"/>' % (i, i) for i in range(n)) + b"</Relationships>")
    add = [(f"xl/worksheets/extra{i}.xml", sheet_xml(b"")) for i in range(n)]
    return replace_parts(src, dst, {"xl/workbook.xml": book, "xl/_rels/workbook.xml.rels": rels}, add=add)


def ods_repeated_rows(ods: Path, dst: Path, sheet: str = "VanDong", n: int = 1_000_000) -> Path:
    """An .ods whose sheet is one valued row repeated ``n`` times (16 KB on disk)."""
    parts = read_parts(ods)
    content = dict(parts)["content.xml"].decode()
    start = content.index(f'<table:table table:name="{sheet}"')
    end = content.index("</table:table>", start) + len("</table:table>")
    hostile = (f'<table:table table:name="{sheet}"><table:table-row table:number-rows-repeated="{n}">'
               '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
               "</table:table-row></table:table>")
    new = (content[:start] + hostile + content[end:]).encode()
    return write_zip(dst, [(n_, new if n_ == "content.xml" else d) for n_, d in parts])
