"""Vietnamese presentation of numbers, money, percentages and dates — the one place for it.

Conventions (Nghị định 30/2020/NĐ-CP and common administrative practice):
decimal comma and thousands dot (``1.234.567,5``), the percent sign right after
the number (``89,96%``, as official texts print it), dates ``dd/mm/yyyy`` and the
formal date line of Nghị định 30/2020/NĐ-CP (``ngày 05 tháng 3 năm 2021``: the day
padded below 10, the month only for 1 and 2). Missing values print as an en dash.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal

from nrlib.core.vocab import is_missing

MISSING = "–"

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# tone marks, in the order dictionaries use: none, huyền, hỏi, ngã, sắc, nặng
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_VOWEL_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn (on a/e/o/u)


#: from this magnitude on, numbers are written as a mantissa and a power of ten (no real figure is
#: that large: such a value comes from a typing error or a hostile file, and must still print)
LARGE = 1e15


def _round(x: float, digits: int) -> Decimal:
    q = Decimal(1).scaleb(-digits)
    return Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP, context=Context(prec=40 + digits))


def fmt_number(x: float | int | None, digits: int = 0, *, trim: bool = False) -> str:
    """``1234567.5`` → ``"1.234.567,5"`` (``digits`` decimals, rounded half up).

    With ``trim=True`` trailing zero decimals are dropped (``12,50`` → ``12,5``).
    Infinite values print as ``∞``/``-∞``; magnitudes from :data:`LARGE` on
    as ``1,5 × 10^20``.
    """
    if is_missing(x):
        return MISSING
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if abs(x) >= LARGE:
        exp = math.floor(math.log10(abs(x)))
        mantissa = float(x) / 10 ** exp
        if abs(round(mantissa, 3)) >= 10:       # 9,9996 rounds up to 10
            mantissa, exp = mantissa / 10, exp + 1
        return f"{fmt_number(mantissa, 3, trim=True)} × 10^{exp}"
    d = _round(x, digits)
    sign = "-" if d < 0 else ""
    d = abs(d)
    text = f"{d:.{digits}f}"
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if trim:
        frac = frac.rstrip("0")
    if frac:
        out += "," + frac
    if out in ("0", "0," + "0" * digits):
        sign = ""
    return sign + out


def unit_suffix(unit: str | None) -> str:
    """What follows a number for its unit: ``"%"`` with no space, as official texts write it (``"89,96%"``),
    any other unit after a space (``" km"``), nothing for no unit."""
    if not isinstance(unit, str) or not unit.strip():
        return ""
    return "%" if unit.strip() == "%" else f" {unit.strip()}"


#: the decimals of a figure by its unit: the one rule for cards, sentences, tables and documents, so a
#: figure is rounded once (a card and a sentence never show 2.157,58 km and 2.157,6 km for one number)
#: and a column or a row of one metric always shows the same number of decimals. Counts have none.
DECIMALS = {"triệu đồng": 1, "km": 1, "m²": 0, "%": 2, "triệu đồng/hộ": 2, "m²/hộ": 1, "ngày công/hộ": 2,
            "ngày công": 0, "điểm": 2}
#: any other unit of a metric that is not a count
DECIMALS_DEFAULT = 1


def decimals_for(unit: str | None, integer: bool = False) -> int:
    """How many decimals a figure of ``unit`` shows (:data:`DECIMALS`); none for a count (``integer``)."""
    if integer:
        return 0
    return int(DECIMALS.get(str(unit or "").strip(), DECIMALS_DEFAULT))


def fmt_quantity(x: float | None, unit: str | None, *, integer: bool = False, with_unit: bool = True,
                 trim: bool = False) -> str:
    """A metric's figure with the decimals of its unit (:func:`decimals_for`): ``2157.58, "km"`` →
    ``"2.157,6 km"``; ``%`` without a space (``"89,96%"``). ``trim`` drops trailing zeros (prose and cards:
    ``"2.398 triệu đồng"``; the value is the same, rounded once); tables keep them, so a column aligns."""
    if is_missing(x):
        return MISSING
    text = fmt_number(x, decimals_for(unit, integer), trim=trim)
    return text + unit_suffix(unit) if with_unit else text


def fmt_percent(x: float | None, digits: int = 2, *, trim: bool = True) -> str:
    """A percentage already scaled to 0-100: ``89.96`` → ``"89,96%"`` (no space, as official texts write it)."""
    if is_missing(x):
        return MISSING
    return fmt_number(x, digits, trim=trim) + "%"


def fmt_money_million(x: float | None, *, digits: int = 1) -> str:
    """Money given in triệu đồng, shown in the unit a reader expects.

    Below 1.000 triệu: ``"850,5 triệu đồng"``; from 1.000 triệu: in tỷ đồng
    (``12.300`` → ``"12,3 tỷ đồng"``).
    """
    if is_missing(x):
        return MISSING
    if abs(x) >= 1000:
        return fmt_number(x / 1000, digits, trim=True) + " tỷ đồng"
    return fmt_number(x, digits, trim=True) + " triệu đồng"


def fmt_dong(x: float | None) -> str:
    """Money in đồng, whole: ``19365884000`` → ``"19.365.884.000 đồng"``."""
    if is_missing(x):
        return MISSING
    return fmt_number(x, 0) + " đồng"


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ")


def _three(n: int, inner: bool) -> list[str]:
    """One group of three digits as read aloud; ``inner`` when a higher group precedes it (then its hundreds
    are read even when zero: "không trăm", and its tens: "lẻ")."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if h or inner:
        out += [_DIGITS[h], "trăm"]
    if t == 0:
        if u and out:
            out.append("lẻ")
    elif t == 1:
        out.append("mười")
    else:
        out += [_DIGITS[t], "mươi"]
    if u:
        out.append("mốt" if u == 1 and t > 1 else "lăm" if u == 5 and t > 0 else _DIGITS[u])
    return out


def amount_in_words(x: int) -> str:
    """A whole amount in đồng in words, as an accounting document writes it after "Bằng chữ:": the first
    letter capitalised, every group after the first read in full (``2010005`` → "Hai triệu không trăm mười
    nghìn không trăm lẻ năm đồng"), groups of zero left out, "tỷ" repeated past a thousand tỷ.

    (The accounting style is why this is not num2words, which reads "hai triệu mười nghìn lẻ năm".)
    """
    n = int(x)
    if n < 0:
        raise ValueError("an amount in words is not negative")
    if n == 0:
        return "Không đồng"
    groups: list[int] = []
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    words: list[str] = []
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if not g:
            if i and i % 3 == 0 and any(groups[i + 1:i + 3]):   # a thousand tỷ: "nghìn tỷ"
                words.append("tỷ")
            continue
        words += _three(g, inner=bool(words))
        if i:
            words.append(_GROUPS[i % 3 or 3] if i % 3 == 0 else _GROUPS[i % 3])
    text = " ".join(words) + " đồng"
    return text[:1].upper() + text[1:]


def fmt_date(d: dt.date | dt.datetime | str | None) -> str:
    """``2021-02-18`` → ``"18/02/2021"``."""
    if d is None or (not isinstance(d, (str, dt.date)) and is_missing(d)):
        return MISSING
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


#: the date line of a document the office dates when it signs (Nghị định 30/2020/NĐ-CP leaves it to be filled by hand)
DATE_LONG_BLANK = "ngày     tháng     năm 20…"


def fmt_date_long(d: dt.date | dt.datetime | str | None, place: str | None = None) -> str:
    """The formal date line: ``"ngày 05 tháng 3 năm 2021"``, or ``"Thống Nhất, ngày …"`` with ``place``.

    Method (Nghị định 30/2020/NĐ-CP, Phụ lục I): the day is padded with a zero
    below 10, the month only when it is 1 or 2 (``tháng 01``, ``tháng 02``,
    ``tháng 3`` … ``tháng 12``), so no one can add a digit in front of it.
    ``None`` gives :data:`DATE_LONG_BLANK`, for the office to fill.
    """
    if d is None:
        text = DATE_LONG_BLANK
    else:
        if isinstance(d, str):
            d = dt.date.fromisoformat(d[:10])
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        text = f"ngày {d.day:02d} tháng {month} năm {d.year:04d}"
    return f"{place}, {text}" if place else text


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LONG = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date_or_none(text) -> dt.date | None:
    """:func:`parse_date` of an option's text, None when it is not a date (the caller says so in its words)."""
    try:
        return parse_date(str(text))
    except ValueError:
        return None


def parse_date(raw) -> dt.date | None:
    """Read a date cell: a real date, ``dd/mm/yyyy`` (also ``-`` or ``.``, two-digit
    years as 20yy), ISO ``yyyy-mm-dd``, ``ngày 15 tháng 02 năm 2021``, or an
    unformatted Excel serial number between 2000 and 2099.

    Returns ``None`` for a blank; raises ``ValueError`` when it is not a date.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 36526 <= raw < 73051 and float(raw).is_integer():  # 2000-01-01 .. 2099-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise ValueError(f"not a date: {raw!r}")
    s = unicodedata.normalize("NFC", str(raw)).strip()
    for rx, order in ((_DMY, "dmy"), (_YMD, "ymd"), (_LONG, "dmy")):
        m = rx.fullmatch(s)
        if m:
            a, b, c = (int(x) for x in m.groups())
            d, mth, y = (a, b, c) if order == "dmy" else (c, b, a)
            if y < 100:
                y += 2000
            return dt.date(y, mth, d)  # ValueError on 31/02
    raise ValueError(f"not a date: {raw!r}")


def fmt_datetime(t: dt.datetime) -> str:
    """``"18/02/2021 14:05"``."""
    return f"{fmt_date(t)} {t.hour:02d}:{t.minute:02d}"


def fmt_data_version(version: str | None) -> str:
    """A store's data version for readers: ``"audit 12 · 2021-02-20T10:15:00"`` → ``"số 12, lúc 20/02/2021 10:15"``.

    The machine form (:func:`nrlib.store.data_version`) stays in a report's
    metadata; this is what a page prints. Any other text is returned as it is.
    """
    if not version:
        return MISSING
    text = str(version)
    head, sep, when = text.partition(" · ")
    if not head.startswith("audit ") or not head[6:].isdigit():
        return text
    if not sep:
        return f"số {head[6:]}"
    try:
        stamp = dt.datetime.fromisoformat(when)
    except ValueError:
        return text
    return f"số {head[6:]}, lúc {fmt_datetime(stamp)}"


def _letter_key(ch: str) -> tuple[int, int]:
    """(base letter rank, tone) of one character."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base, marks = decomposed[0], decomposed[1:]
    tone = 0
    for m in marks:
        if m in _TONES:
            tone = _TONES[m]
        elif m in _VOWEL_MARKS:
            base = {"a\u0306": "ă", "a\u0302": "â", "e\u0302": "ê", "o\u0302": "ô", "o\u031b": "ơ", "u\u031b": "ư"}.get(base + m, base)
    if base in _LETTER_RANK:
        return (_LETTER_RANK[base] + 1000, tone)
    if base.isdigit():
        return (ord(base), 0)
    if base.isspace():
        return (0, 0)
    return (ord(base) + 2000, tone)


def sort_key(text: str) -> tuple:
    """Key that orders Vietnamese text as a dictionary does.

    Method: compare letter by letter on the base letter of the Vietnamese
    alphabet (``a ă â b c d đ e ê …``, so ``Đ`` comes right after ``D``, not
    after ``Z`` as in code-point order), with the tone as a secondary key
    taken only after all base letters (``ca`` < ``cà`` < ``cả`` < ``cá`` …
    and ``ba`` < ``bà`` < ``bác``). Case is ignored. Digits sort before letters
    by numeric value, so ``Gia Tân 2`` < ``Gia Tân 10``.
    """
    text = unicodedata.normalize("NFC", str(text)).strip()
    primary: list[tuple[int, ...]] = []
    tones: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isdecimal():
            j = i
            while j < len(text) and text[j].isdecimal():
                j += 1
            primary.append((500, int(text[i:j])))
            i = j
            continue
        rank, tone = _letter_key(ch)
        primary.append((rank,))
        tones.append(tone)
        i += 1
    return (tuple(primary), tuple(tones))


def sort_vietnamese(items, key=None) -> list:
    """``sorted`` with :func:`sort_key`; ``key`` extracts the text from each item."""
    return sorted(items, key=lambda x: sort_key(key(x) if key else x))
