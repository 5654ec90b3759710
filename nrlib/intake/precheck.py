"""Check a received file before any spreadsheet parser reads it: its type, sizes and sheet extents.

A workbook is untrusted input, and the parser (calamine, in Rust) trusts it:
it expands every zipped part it reads, and holds each sheet as a dense
rectangle from ``A1`` to the last cell with a value. Two cells at ``A1`` and
``XFD1048576`` in a 10 KB file make it ask for 512 GB and abort the whole
process; 1,000,000 repeated rows in a 16 KB ``.ods`` cost 400 MB. So
:func:`check_file` looks at the container first, cheaply and in bounded
memory, and refuses a file over a limit of :mod:`nrlib.intake.limits` with a
:class:`~nrlib.exceptions.WorkbookReadError` carrying the rule code.

Method, by what the file *is* (its first bytes, whatever its name says):

* **zip** (``.xlsx``, ``.xlsm``, ``.ods``): the central directory gives each
  part's declared sizes, checked before anything is unzipped (file count,
  total unzipped size, compression ratio of any part over 1 MB). Then every
  XML part is streamed once through :mod:`zipfile` (which stops at the
  declared size and checks the CRC, so a lying header is caught as damage),
  looking for ``<!DOCTYPE``/``<!ENTITY`` (Office files never declare
  entities), and each sheet's tags are tokenised to find its extent
  (:mod:`nrlib.intake.extents`): the last
  row and column holding a value (``<v>``, ``<is>``, ``<f>`` in a ``<c>``;
  for ODS, cells with a value or content, with ``number-rows-repeated`` and
  ``number-columns-repeated`` applied). Encryption (ODS manifest) and macros
  (``vbaProject.bin``, XLM macro sheets, ODS ``Basic/``) are detected by
  part names.
* **OLE compound file** (``.xls``, and Excel's *encrypted* ``.xlsx``): an
  ``EncryptedPackage`` stream means a password-protected workbook; a
  ``_VBA_PROJECT_CUR`` storage means macros; the BIFF record stream is walked
  for ``FILEPASS`` (encrypted ``.xls``), the sheet names and each cell
  record's row and column.
* anything else is named for what it looks like (PDF, HTML, text) and refused.

Scanning is bounded: parts are streamed in 64 KB chunks through expat
(C speed; with no DTD allowed, no entity can expand), and the scan stops at
the first limit exceeded. A part of at most :data:`FAST_PART_BYTES` in UTF-8
whose every ``<c>`` tag is plain (no prefix, attributes in double quotes, an
explicit ``r="B12"``) is instead read whole and its extent bounded by regular
expressions: every ``<c>`` that is not self-closing counts as holding a value,
an upper bound of the extent expat would find (equal for the files Excel,
LibreOffice and openpyxl write). A part over a limit by that bound is scanned
again by expat, which decides and names the limit, so refusals are the same
either way; the whole check takes about 2,5 ms instead of 4 ms on an outline
workbook. A sheet is still parsed by expat (with no handlers) to prove it
well-formed: a sheet that is not is refused as damaged (Excel, LibreOffice and
WPS Office always write well-formed XML).
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from nrlib.core.vnformat import fmt_number
from nrlib.exceptions import WorkbookReadError
from nrlib.intake.extents import Extent, OdsScanner, XlsxSheetScanner, fast_extent, scan_biff, show_part
from nrlib.intake.limits import RATIO_MIN_BYTES, Limits, load_limits

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
CFB_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
CHUNK = 1 << 16

_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
#: parts up to this size (declared, unzipped) may take the fast path (read whole, bounded by regexes)
FAST_PART_BYTES = 4 << 20
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")

_ATTR = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


@dataclass
class FileCheck:
    """What :func:`check_file` found: the format the content is (``xlsx``, ``ods`` or ``xls``),
    each sheet's :class:`Extent` (by sheet name where known) and, for ``.xlsx``, each sheet's part."""

    format: str
    sheets: dict[str, Extent] = field(default_factory=dict)
    #: ``.xlsx``: each sheet's part in the package (``{"VanDong": "xl/worksheets/sheet5.xml"}``)
    parts: dict[str, str] = field(default_factory=dict)
    #: ``.xlsx``: the bytes of the sheet parts and styles already read whole (small parts), by part name
    part_data: dict[str, bytes] = field(default_factory=dict)


def _mb(n: float) -> str:
    return f"{fmt_number(n / 1_000_000, 1, trim=True)} MB"


def _unreadable(reason: str) -> WorkbookReadError:
    return WorkbookReadError(reason)


def check_file(path: str | Path, limits: Limits | None = None) -> FileCheck:
    """Check a received file against the limits before it is parsed (method in the module docstring).

    Parameters
    ----------
    path : str or Path
        The received file (only read).
    limits : Limits, optional
        Default :func:`nrlib.intake.limits.load_limits`.

    Returns
    -------
    FileCheck

    Raises
    ------
    WorkbookReadError
        With ``rule`` ``E_FILE_UNREADABLE``, ``E_FILE_TOO_LARGE``,
        ``E_FILE_COMPRESSION``, ``E_FILE_XML_DTD``, ``E_FILE_ENCRYPTED``,
        ``E_FILE_MACROS`` or ``E_SHEET_TOO_LARGE``.
    """
    limits = limits or load_limits()
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(512)
    except FileNotFoundError:
        raise _unreadable(f"không tìm thấy tệp {path.name}") from None
    except OSError as exc:
        raise _unreadable(f"không mở được tệp: {exc.strerror or exc}") from None
    if size == 0:
        raise _unreadable("tệp rỗng")
    if size > limits.max_file_bytes:
        raise WorkbookReadError.refuse("E_FILE_TOO_LARGE", what="dung lượng tệp", value=_mb(size),
                                       limit=_mb(limits.max_file_bytes))
    if head.startswith(ZIP_MAGIC):
        return _check_zip(path, limits)
    if head.startswith(CFB_MAGIC):
        return _check_cfb(path, size, limits)
    raise _unreadable(_looks_like(head))


def _looks_like(head: bytes) -> str:
    """A reason naming what a file that is no workbook seems to be."""
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith(b"%pdf"):
        what = "một tệp PDF"
    elif low.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in low[:512]:
        what = "một trang HTML (thường do phần mềm xuất ra rồi đặt đuôi .xls)"
    elif low.startswith(b"<?xml"):
        what = "một tệp XML (có thể là “XML Spreadsheet 2003”)"
    elif low.startswith((b"\x89png", b"\xff\xd8\xff", b"gif8")):
        what = "một tệp ảnh"
    elif low.startswith(b"{\\rtf"):
        what = "một tệp RTF"
    elif head.startswith(b"Rar!") or head.startswith(b"7z\xbc\xaf"):
        what = "một tệp nén RAR/7z"
    elif _is_text(head):
        what = "văn bản thường (có thể là CSV)"
    else:
        what = "dữ liệu không rõ loại"
    return f"tệp hỏng hoặc không phải bảng tính: nội dung là {what}; hãy mở bằng Excel và lưu lại dạng .xlsx"


def _is_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # a multi-byte character cut at the end of the sample is still text
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\t\r\n" for ch in text)


# ----------------------------------------------------------------------------- zip (xlsx, xlsm, ods)


def _check_zip(path: Path, limits: Limits) -> FileCheck:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable("tệp nén bị hỏng hoặc chưa tải về hết (không đọc được mục lục cuối tệp); "
                          f"hãy gửi lại tệp gốc [{type(exc).__name__}]") from None
    with zf:
        infos = zf.infolist()
        _check_directory(infos, limits)
        names = {i.filename for i in infos}
        if "xl/workbook.xml" in names or _office_document(zf, names):
            return _check_xlsx(zf, infos, limits)
        if "content.xml" in names and _mimetype(zf, names).startswith("application/vnd.oasis.opendocument"):
            return _check_ods(zf, infos, limits)
        if "EncryptedPackage" in names:
            raise WorkbookReadError.refuse("E_FILE_ENCRYPTED")
        if "word/document.xml" in names:
            raise _unreadable("tệp nén là văn bản Word (.docx), không phải bảng tính")
        raise _unreadable("tệp nén không chứa bảng tính Excel (.xlsx) hay ODS")


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Declared sizes only (nothing unzipped yet): part count, total size, compression ratio."""
    if len(infos) > limits.max_parts:
        raise WorkbookReadError.refuse("E_FILE_TOO_LARGE", what="số phần trong tệp nén", value=fmt_number(len(infos)),
                                       limit=fmt_number(limits.max_parts))
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise WorkbookReadError.refuse("E_FILE_TOO_LARGE", what="dung lượng sau khi giải nén", value=_mb(total),
                                       limit=_mb(limits.max_uncompressed_bytes))
    for i in infos:
        if i.file_size > RATIO_MIN_BYTES and i.file_size > limits.max_compression_ratio * max(i.compress_size, 1):
            raise WorkbookReadError.refuse(
                "E_FILE_COMPRESSION", part=show_part(i.filename), size=_mb(i.file_size),
                ratio=fmt_number(i.file_size / max(i.compress_size, 1)), limit=fmt_number(limits.max_compression_ratio))
        if i.flag_bits & 0x1:
            raise WorkbookReadError.refuse("E_FILE_ENCRYPTED")


def _read_small(zf: zipfile.ZipFile, name: str, limit: int = 4 << 20) -> str:
    """A small XML part as text (after its DTD check), for the sheet list and relationships."""
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise WorkbookReadError.refuse("E_FILE_TOO_LARGE", what=f"phần “{show_part(name)}”", value=_mb(info.file_size),
                                       limit=_mb(limit))
    data = _read_part(zf, info)
    _no_dtd(data, name)
    return data.decode("utf-8", errors="replace")


# What reading a damaged part can raise: zipfile's own errors, zlib's, a truncated file's, the features
# zipfile refuses, and a local header flagged UTF-8 whose name bytes are not (UnicodeDecodeError).
_ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError,
                    UnicodeDecodeError)


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, never more than its declared (and checked) size.

    ``zf.read`` inflates the whole compressed stream before cutting it to the
    declared size: a part whose header declares 1.000 bytes over 90 MB of
    deflated spaces cost 170 MB. Reading exactly the declared size inflates
    only that much.
    """
    try:
        with zf.open(info) as fh:
            return fh.read(info.file_size)
    except _ZIP_READ_ERRORS as exc:
        raise _damaged(info.filename, exc) from None


def _damaged(name: str, exc: Exception) -> WorkbookReadError:
    return _unreadable(f"tệp bị hỏng: phần “{show_part(name)}” không giải nén được [{type(exc).__name__}]")


def _no_dtd(data: bytes, name: str) -> None:
    m = _DTD.search(data) if b"<!" in data else None
    if m:
        raise WorkbookReadError.refuse("E_FILE_XML_DTD", part=show_part(name), found=f"<!{m.group(1).decode()}")


def _mimetype(zf: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" not in names:
        return ""
    return _read_small(zf, "mimetype", 1024).strip()


def _office_document(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The main part named by ``_rels/.rels`` (``officeDocument`` relationship), if it is a workbook."""
    if "_rels/.rels" not in names:
        return None
    for rel in _relationships(_read_small(zf, "_rels/.rels")):
        if rel.get("Type", "").endswith("/officeDocument"):
            target = rel.get("Target", "").lstrip("/")
            if target in names and target.endswith(".xml"):
                return target
    return None


def _relationships(text: str) -> list[dict]:
    return [_attrs(m.group(0)) for m in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", text)]


def _attrs(tag: str) -> dict:
    return {k.split(":")[-1]: unescape(v1 if v1 is not None else v2) for k, v1, v2 in _ATTR.findall(tag)}


def _macro_parts(names: set[str]) -> list[str]:
    low = {n.lower(): n for n in names}
    found = [n for k, n in low.items() if k.endswith("vbaproject.bin") or k.startswith(("xl/macrosheets/",
                                                                                       "basic/", "scripts/"))]
    return sorted(found)


def _refuse_macros(found: list[str], limits: Limits) -> None:
    if found and not limits.allow_macros:
        raise WorkbookReadError.refuse("E_FILE_MACROS", what=", ".join(show_part(n) for n in found[:3]))


def _check_xlsx(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits) -> FileCheck:
    names = {i.filename for i in infos}
    _refuse_macros(_macro_parts(names), limits)
    main = "xl/workbook.xml" if "xl/workbook.xml" in names else _office_document(zf, names)
    book = _read_small(zf, main)
    sheets = [_attrs(m.group(0)) for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", book)]
    if len(sheets) > limits.max_sheets:
        raise WorkbookReadError.refuse("E_FILE_TOO_LARGE", what="số trang tính", value=fmt_number(len(sheets)),
                                       limit=fmt_number(limits.max_sheets))
    rels_name = posixpath.join(posixpath.dirname(main), "_rels", posixpath.basename(main) + ".rels")
    targets = {}
    if rels_name in names:
        for rel in _relationships(_read_small(zf, rels_name)):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(posixpath.dirname(main), target))
            targets[rel.get("Id")] = target
    part_sheet = {targets.get(s.get("id")): s.get("name", "") for s in sheets if targets.get(s.get("id"))}
    out = FileCheck(format="xlsx", parts={sheet: part for part, sheet in part_sheet.items()})
    for info in infos:
        name = info.filename
        if not name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        # every XML part is scanned as if it were a sheet (a part the parser finds under another
        # spelling than the relationship's must not escape the limits); only the parts known to be
        # sheets must be well-formed
        sheet = part_sheet.get(name)
        scanner = XlsxSheetScanner(sheet or name, limits) if name.lower().endswith(".xml") else None
        data = _scan_part(zf, info, scanner, strict=sheet is not None)
        if sheet is not None:
            out.sheets[sheet] = scanner.extent
        if data is not None and (sheet is not None or name.endswith("styles.xml")):
            out.part_data[name] = data
    return out


def _check_ods(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits) -> FileCheck:
    names = {i.filename for i in infos}
    if "META-INF/manifest.xml" in names and "encryption-data" in _read_small(zf, "META-INF/manifest.xml"):
        raise WorkbookReadError.refuse("E_FILE_ENCRYPTED")
    _refuse_macros([n for n in _macro_parts(names) if not n.endswith("/")], limits)
    out = FileCheck(format="ods")
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rdf")):
            continue
        scanner = OdsScanner(limits) if info.filename == "content.xml" else None
        _scan_part(zf, info, scanner, strict=scanner is not None)
        if scanner is not None:
            out.sheets.update(scanner.extents)
    return out


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, scanner, strict: bool = False) -> bytes | None:
    """Stream one XML part through expat: refuse a DTD, feed its tags to ``scanner`` (if any).

    A ``strict`` part (a sheet) that is not well-formed XML is refused as
    damaged, since its extent cannot be bounded; any other part that is not
    is searched for a DTD by its bytes and left to the parser. Returns the
    part's bytes when it was read whole (small parts), so later readers need
    not unzip it again.
    """
    from xml.parsers import expat

    name = info.filename
    data = None
    if info.file_size <= FAST_PART_BYTES:
        data = _read_part(zf, info)
        if _fast_scan(data, name, scanner, strict):
            return data
        chunks = iter((data, b""))
    else:
        chunks = None

    def dtd(*_args):
        raise WorkbookReadError.refuse("E_FILE_XML_DTD", part=show_part(name), found="<!DOCTYPE")

    def entity(*_args):
        raise WorkbookReadError.refuse("E_FILE_XML_DTD", part=show_part(name), found="<!ENTITY")

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = dtd
    parser.EntityDeclHandler = entity
    if scanner is not None:
        parser.StartElementHandler = scanner.start
        if scanner.end is not None:
            parser.EndElementHandler = scanner.end
    try:
        with contextlib.ExitStack() as stack:
            if chunks is None:
                fh = stack.enter_context(zf.open(info))
                chunks = iter(lambda: fh.read(CHUNK), None)
            while True:
                chunk = next(chunks)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    break
    except WorkbookReadError:
        raise
    except expat.ExpatError as exc:
        if strict:
            raise _not_xml(name, exc) from None
        _search_dtd(zf, info)
    except _ZIP_READ_ERRORS as exc:
        raise _damaged(name, exc) from None
    return data


def _not_xml(name: str, exc) -> WorkbookReadError:
    return _unreadable(f"tệp bị hỏng: phần “{show_part(name)}” không phải XML hợp lệ "
                       f"(dòng {exc.lineno}, cột {exc.offset})")


def _fast_scan(data: bytes, name: str, scanner, strict: bool) -> bool:
    """The fast path of :func:`_scan_part` (module docstring); False when it does not apply or finds a limit
    exceeded, so that expat scans the part."""
    from xml.parsers import expat

    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return False        # UTF-16/32: tags are not ASCII bytes
    m = _ENCODING.match(data)
    if m and m.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return False
    _no_dtd(data, name)
    if scanner is not None:
        if not isinstance(scanner, XlsxSheetScanner):
            return False
        extent = fast_extent(data)
        if extent is None:
            return False
        rows, cols = extent
        lim = scanner.limits
        if rows > lim.max_rows or cols > lim.max_columns or rows * cols > lim.max_cells:
            return False
        scanner.extent = Extent(rows=rows, columns=cols)
    if strict:
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        try:
            parser.Parse(data, True)
        except expat.ExpatError as exc:
            raise _not_xml(name, exc) from None
    return True


def _search_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """A DTD in a part expat could not parse, found by its bytes."""
    tail = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                _no_dtd(tail + chunk, info.filename)
                tail = chunk[-16:]
    except _ZIP_READ_ERRORS as exc:
        raise _damaged(info.filename, exc) from None


# ----------------------------------------------------------------------------- OLE compound files (xls, encrypted)


def _check_cfb(path: Path, size: int, limits: Limits) -> FileCheck:
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except Exception as exc:  # olefile raises plain and its own errors for damaged containers
        raise _unreadable(f"tệp Excel 97-2003 (.xls) bị hỏng hoặc chưa tải về hết [{type(exc).__name__}]") from None
    with ole:
        entries = ["/".join(e) for e in ole.listdir(streams=True, storages=True)]
        lower = {e.lower() for e in entries}
        if "encryptedpackage" in lower or "encryptioninfo" in lower:
            raise WorkbookReadError.refuse("E_FILE_ENCRYPTED")
        macros = [e for e in entries if e.lower().startswith(("_vba_project_cur", "macros"))]
        _refuse_macros(macros[:1], limits)
        stream = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
        if stream is None:
            if "worddocument" in lower:
                raise _unreadable("tệp là văn bản Word 97-2003 (.doc), không phải bảng tính")
            raise _unreadable("tệp Office 97-2003 này không chứa bảng tính")
        if ole.get_size(stream) > size:
            raise _unreadable("tệp Excel 97-2003 (.xls) bị hỏng (kích thước khai báo lớn hơn tệp)")
        try:
            data = ole.openstream(stream).read()
        except Exception as exc:
            raise _unreadable(f"tệp Excel 97-2003 (.xls) bị hỏng [{type(exc).__name__}]") from None
    return FileCheck(format="xls", sheets=scan_biff(data, limits))


