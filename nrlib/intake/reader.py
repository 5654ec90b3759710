"""Read received workbooks as grids of values, and parse what people type into them.

Reading uses python-calamine (Rust), which opens ``.xlsx``/``.xlsm`` from
Excel or LibreOffice, legacy ``.xls`` (BIFF) and ``.ods`` alike and returns
formula cells by their cached values. A :class:`Workbook` keeps each sheet as
rows of raw values anchored at A1 (empty cells are ``None``), so a problem can
always name its cell (``VanDong!D14``). Nothing here knows the outline: that
is :mod:`nrlib.intake.validate`.

Numbers typed as text
---------------------
:func:`parse_number` reads both Vietnamese (``1.234.567,5``) and English
(``1,234,567.5``) separators; spaces inside a number are ignored. The rule:

* both ``.`` and ``,`` present: the last one is the decimal separator, the
  other must group thousands (``1.234,5`` and ``1,234.5`` are 1234.5);
* the same separator twice or more: thousands (``1.234.567``, ``1,234,567``);
* one separator not followed by exactly three digits, or after a leading
  ``0``: the decimal separator (``12,5``, ``0.75``, ``0,500``);
* one separator followed by exactly three digits after 1-3 digits
  (``1.234``, ``1,234``) is **ambiguous**. The Vietnamese reading is taken
  (``1.234`` → 1234, ``1,234`` → 1,234), except that ``1,234`` in an
  integer field is read as 1234 (a fraction cannot be meant there). The
  reading is flagged so the validator reports ``W_NUMBER_AMBIGUOUS``.

Legacy encodings
----------------
Text typed with a TCVN3 (ABC, ``.VnTime``) or VNI font is stored as Latin-1
characters that never occur in Vietnamese (``Th«ng tin``, ``Thoâng tin``).
:func:`legacy_encoding` detects them by characteristic characters placed
inside words, so quotes and symbols between spaces are not mistaken.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from nrlib.core.textmatch import strip_invisible
from nrlib.core.vnformat import fmt_number
from nrlib.exceptions import WorkbookReadError  # noqa: F401  (callers catch it from here)
from nrlib.intake.cellfacts import CellFacts, read_cell_facts
from nrlib.intake.limits import Limits, load_limits

#: file types ingest reads
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


# ----------------------------------------------------------------------------- cells


def column_letter(col: int) -> str:
    """0-based column index → ``"A"``, ``"Z"``, ``"AA"``…"""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


@functools.lru_cache(maxsize=65536)
def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) → A1 reference: ``cell_ref(13, 3) == "D14"``."""
    return f"{column_letter(col)}{row + 1}"


@dataclass
class Sheet:
    """One sheet: ``rows[r][c]`` is the value at 0-based (r, c); blanks are ``None``.

    ``merged`` are its merged ranges ``((r0, c0), (r1, c1))``, inclusive;
    ``facts`` what its cells show beyond their values (percent formats,
    formulas without a result, error values: :mod:`nrlib.intake.cellfacts`).
    """

    name: str
    rows: list[list]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    facts: CellFacts = field(default_factory=CellFacts)
    _merge_at: dict | None = field(default=None, init=False, repr=False)

    def merge_at(self, row: int, col: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """The merged range holding the cell, if any."""
        if self._merge_at is None:
            self._merge_at = {(r, c): m for m in self.merged for r in range(m[0][0], m[1][0] + 1)
                              for c in range(m[0][1], m[1][1] + 1)}
        return self._merge_at.get((row, col))

    @property
    def nrows(self) -> int:
        return len(self.rows)

    def value(self, row: int, col: int):
        if 0 <= row < len(self.rows):
            r = self.rows[row]
            if 0 <= col < len(r):
                return r[col]
        return None

    def row_is_blank(self, row: int, cols=None) -> bool:
        r = self.rows[row] if 0 <= row < len(self.rows) else []
        idx = range(len(r)) if cols is None else cols
        return all(_blank(r[c]) if c < len(r) else True for c in idx)


@dataclass
class Workbook:
    """A workbook as read: its path, format (file suffix) and sheets in workbook order."""

    path: Path
    format: str
    sheets: dict[str, Sheet]


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def read_workbook(path: str | Path, keep=None, limits: Limits | None = None) -> Workbook:
    """Read every sheet of a workbook into memory, after checking it against the limits.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx``, ``.xlsm``, ``.xls`` or ``.ods`` file. The file is only
        read, never modified. It is first checked by
        :func:`nrlib.intake.precheck.check_file` (sizes, zip bombs, XML entities,
        encryption, macros, sheet extents), then read as what its content is
        (an ``.xls`` renamed ``.xlsx`` is read as ``.xls``).
    keep : callable, optional
        ``keep(sheet_name) -> bool``: sheets for which it is false are listed
        (with no rows) but not parsed, which saves time on sheets nobody reads.
    limits : Limits, optional
        Default :func:`nrlib.intake.limits.load_limits`.

    Returns
    -------
    Workbook
        Values as calamine gives them: ``float``/``int``, ``str``, ``bool``,
        ``date``/``datetime`` (date-formatted cells); formulas by their cached
        values; merged ranges as ``((r0, c0), (r1, c1))``, 0-based inclusive;
        and each sheet's :class:`~nrlib.intake.cellfacts.CellFacts` (what the
        values alone do not say: percent formats, formulas never computed,
        error values), which validation reads each data cell through.

    Raises
    ------
    WorkbookReadError
        When the file is missing, empty, of another type, encrypted, damaged,
        or over a limit; ``rule`` names which (``E_FILE_UNREADABLE``,
        ``E_FILE_TOO_LARGE``, ``E_SHEET_TOO_LARGE``, ``E_TEXT_TOO_LONG``...).
    """
    from nrlib.intake.precheck import check_file

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise WorkbookReadError(f"loại tệp {suffix or '(không có đuôi)'} không được hỗ trợ; cần .xlsx hoặc .xls")
    limits = limits or load_limits()
    checked = check_file(path, limits)
    try:
        sheets: dict[str, Sheet] = {}
        with _open(path, checked.format, suffix) as wb:
            for name in wb.sheet_names:
                if keep is not None and not keep(name):
                    sheets[name] = Sheet(name=name, rows=[])
                    continue
                sh = wb.get_sheet_by_name(name)
                _check_size(name, sh, limits)
                rows = _rows(name, sh.to_python(skip_empty_area=False), limits.max_text_chars)
                while rows and all(_blank(v) for v in rows[-1]):
                    rows.pop()
                merged = [tuple(map(tuple, m)) for m in sh.merged_cell_ranges or []]
                sheets[name] = Sheet(name=name, rows=rows, merged=merged)
        for name, facts in read_cell_facts(path, checked.format, checked.parts, keep, checked.part_data).items():
            if name in sheets:
                sheets[name].facts = facts
                sheets[name].merged = sheets[name].merged or facts.merged
    except WorkbookReadError:
        raise
    except FileNotFoundError as exc:
        raise WorkbookReadError(f"không tìm thấy tệp {path.name}") from exc
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # calamine raises its own types, plain ones and (Rust panics) BaseException
        raise WorkbookReadError(_reason(exc)) from exc
    return Workbook(path=path, format=suffix.lstrip("."), sheets=sheets)


#: file suffixes under which calamine finds each format by itself
_NATIVE = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "ods": (".ods",)}


@contextlib.contextmanager
def _open(path: Path, fmt: str, suffix: str):
    """Open with calamine by the format the content has, whatever the name says."""
    from python_calamine import CalamineWorkbook

    if suffix in _NATIVE.get(fmt, ()):
        with CalamineWorkbook.from_path(str(path)) as wb:
            yield wb
        return
    with open(path, "rb") as fh, CalamineWorkbook.from_filelike(fh) as wb:
        yield wb


def _check_size(name: str, sheet, limits: Limits) -> None:
    """Second line of defence after :mod:`nrlib.intake.precheck`: a sheet's size as parsed, before it
    becomes Python objects (several times larger)."""
    rows, cols = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end else (0, 0)
    for what, value, limit in (("số dòng", rows, limits.max_rows), ("số cột", cols, limits.max_columns),
                               ("số ô (dòng × cột)", rows * cols, limits.max_cells)):
        if value > limit:
            raise WorkbookReadError.refuse("E_SHEET_TOO_LARGE", sheet=name, what=what, value=fmt_number(value),
                                           limit=fmt_number(limit))


def _rows(name: str, raw: list[list], max_chars: int) -> list[list]:
    """Rows with ``""`` as ``None``; a text longer than ``max_chars`` is refused with its cell."""
    rows = []
    for r, row in enumerate(raw):
        out = []
        for c, v in enumerate(row):
            if v.__class__ is str:
                if not v:
                    v = None
                elif len(v) > max_chars:
                    raise WorkbookReadError.refuse("E_TEXT_TOO_LONG", sheet=name, cell=cell_ref(r, c),
                                                   n=fmt_number(len(v)), limit=fmt_number(max_chars))
            out.append(v)
        rows.append(out)
    return rows


def _reason(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "PasswordError":
        return "tệp có đặt mật khẩu"
    if isinstance(exc, MemoryError):
        return "không đủ bộ nhớ để đọc tệp"
    text = str(exc).splitlines()[0] if str(exc) else name
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return f"tệp hỏng hoặc không phải bảng tính: {text[:120]}"


# ----------------------------------------------------------------------------- numbers


@dataclass(frozen=True)
class NumberReading:
    """Result of :func:`parse_number`: ``value`` (None when blank or invalid), ``ok``,
    and for an ambiguous text the reason key (see ``nrlib.core.labels.AMBIGUOUS_WHY``)."""

    value: float | None
    ok: bool = True
    ambiguous: str | None = None


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_DIGITS_SEPS = re.compile(r"\d(?:[\d.,]*\d)?")
_GROUPED = {".": re.compile(r"\d{1,3}(?:\.\d{3})+"), ",": re.compile(r"\d{1,3}(?:,\d{3})+")}


def parse_number(raw, *, integer: bool = False, allow_percent: bool = False) -> NumberReading:
    """Read a cell as a number, accepting numbers typed as text (rule in the module docstring).

    ``allow_percent`` drops a trailing ``%`` from text (for indicators whose
    unit is the percent). Booleans and dates are not numbers.
    """
    if raw is None:
        return NumberReading(None)
    if isinstance(raw, bool) or isinstance(raw, (dt.date, dt.time, dt.timedelta)):
        return NumberReading(None, ok=False)
    if isinstance(raw, (int, float)):
        return NumberReading(float(raw)) if raw == raw and abs(raw) != float("inf") else NumberReading(None, ok=False)
    s = strip_invisible(unicodedata.normalize("NFC", str(raw))).strip()
    if not s:
        return NumberReading(None)
    s = _SPACES.sub("", s)
    if allow_percent and s.endswith("%"):
        s = s[:-1]
    sign = 1.0
    if s[:1] in ("-", "\u2212"):
        sign, s = -1.0, s[1:]
    elif s[:1] == "+":
        s = s[1:]
    elif s.startswith("(") and s.endswith(")"):
        sign, s = -1.0, s[1:-1]
    if not _DIGITS_SEPS.fullmatch(s):
        return NumberReading(None, ok=False)
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        if s.count(dec) > 1:
            return NumberReading(None, ok=False)
        whole, frac = s.rsplit(dec, 1)
        if not _GROUPED[thou].fullmatch(whole):
            return NumberReading(None, ok=False)
        return NumberReading(sign * float(whole.replace(thou, "") + "." + frac))
    if not dots and not commas:
        return NumberReading(sign * float(s))
    sep = "." if dots else ","
    if dots + commas > 1:
        if not _GROUPED[sep].fullmatch(s):
            return NumberReading(None, ok=False)
        return NumberReading(sign * float(s.replace(sep, "")))
    left, right = s.split(sep)
    if len(right) == 3 and 1 <= len(left) <= 3 and left != "0":
        thousands = sign * float(left + right)
        decimal = sign * float(left + "." + right)
        if sep == ".":
            return NumberReading(thousands, ambiguous="vn_thousands")
        if integer:
            return NumberReading(thousands, ambiguous="en_thousands")
        return NumberReading(decimal, ambiguous="vn_decimal")
    return NumberReading(sign * float(left + "." + right))


# ----------------------------------------------------------------------------- legacy encodings

# Latin-1 characters that never occur in Vietnamese text but that TCVN3 (ABC)
# and VNI fonts use for Vietnamese letters. Superscripts, the degree sign and
# the micro sign are left out: "m²", "25°C" are ordinary.
_TCVN3_ONLY = "¡¢£¤¥¦§¨©ª«¬\u00ad®µ¶·¸¹»¼½¾ÆÇËÎÏÐÑÖ×ØÞßäåæçëîïñö÷øûüþ"
_VNI_ONLY = "ÄÅÆÇËÎÏÑÖØÛÜäåæçëîïñöøûü"
_TCVN3_MARKERS = "«¬©®¸µ¶·¹¾»¼½¨ª¡¢£¤¥¦§"
_LEGACY_CLASS = f"[{re.escape(_TCVN3_ONLY)}]"
_LETTER = rf"(?:[^\W\d_]|{_LEGACY_CLASS})"
_LEGACY_IN_WORD = re.compile(rf"(?<={_LETTER}){_LEGACY_CLASS}|{_LEGACY_CLASS}(?={_LETTER})")
# VNI writes â/ê/ô as a separate mark after the base vowel: "Thoâng", "Vieät".
_VNI_PAIRS = re.compile(r"[aeoAEO][âêÂÊ]")
#: quick test: can this text hold a legacy encoding at all?
LEGACY_SUSPECT = re.compile(rf"{_LEGACY_CLASS}|[aeoAEO][âêÂÊ]")


def legacy_encoding(text: str) -> str | None:
    """``"TCVN3"``, ``"VNI"`` or ``"legacy"`` when ``text`` looks like a legacy Vietnamese
    encoding shown as Latin-1 mojibake, else ``None``.

    Method: a hit is a character of the TCVN3/VNI-only set sitting inside a
    word (a Latin letter right before or after it), or a VNI vowel-plus-mark
    pair that no Vietnamese syllable contains (``oâ``, ``eâ``, ``aê``…).
    Guillemets count only between two letters, so «quoted» text is not a hit.
    """
    if not isinstance(text, str) or text.isascii() or not LEGACY_SUSPECT.search(text):
        return None
    hits = [m for m in _LEGACY_IN_WORD.finditer(text)
            if m.group() not in "«»" or _letters_around(text, m.start())]
    vni_pairs = _VNI_PAIRS.search(text)
    if not hits and not vni_pairs:
        return None
    chars = {m.group() for m in hits}
    if chars & set(_TCVN3_MARKERS):
        return "TCVN3"
    if vni_pairs or chars <= set(_VNI_ONLY):
        return "VNI"
    return "legacy"


def _letters_around(text: str, i: int) -> bool:
    return 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
