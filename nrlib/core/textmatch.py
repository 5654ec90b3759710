"""Tolerant matching of what people type against the outline's labels.

Sheet names, header labels and choice values are typed by hand, so "Dat",
"đạt", " ĐẠT ", an NFD-encoded "Đạt" and "Đạt" followed by a zero-width space
pasted from a chat must all match the label "Đạt". :func:`match_key` reduces a
string to a comparison key: Unicode NFC, invisible characters removed
(:func:`strip_invisible`), case folded, diacritics removed (``đ`` → ``d``),
inner white space collapsed.

Two labels that differ only by diacritics would collide under that key; the
outline is checked for such collisions (:func:`build_lookup`) so a loose match
can never pick the wrong choice silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

_SPACES = re.compile(r"\s+")
#: characters that print as nothing: zero-width spaces and joiners, the byte-order mark, soft hyphens,
#: direction marks (text pasted from a web page or a chat carries them)
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def strip_invisible(text: str) -> str:
    """``text`` without the characters that print as nothing (``"Đạt\u200b"`` → ``"Đạt"``)."""
    return _INVISIBLE.sub("", text)


def show_invisible(text: str) -> str:
    """``text`` with each character that prints as nothing made visible: ``"Đạt⟨U+200B⟩"`` (for messages, so a
    value that looks right but is not can be seen to be not)."""
    return _INVISIBLE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; ``đ/Đ`` become ``d/D``."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", base).replace("đ", "d").replace("Đ", "D")


def match_key(text: object) -> str:
    """Comparison key: NFC, trimmed, inner spaces collapsed, case-folded, no diacritics."""
    if text is None:
        return ""
    s = strip_invisible(unicodedata.normalize("NFC", str(text))).replace("\u00a0", " ")
    s = _SPACES.sub(" ", s).strip()
    return strip_diacritics(s).casefold()


def build_lookup(labels: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    """Map the match key of each label to its canonical value.

    ``labels`` is either an iterable of labels (each maps to itself) or a
    mapping ``label -> value``. Raises ``ValueError`` when two labels share a
    key, since a loose match between them would be ambiguous.
    """
    pairs = labels.items() if isinstance(labels, Mapping) else ((x, x) for x in labels)
    lookup: dict[str, str] = {}
    for label, value in pairs:
        key = match_key(label)
        if key in lookup and lookup[key] != value:
            raise ValueError(f"labels {label!r} and another one collide once diacritics are ignored")
        lookup[key] = value
    return lookup


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII file-name slug: ``"Xã Gia Kiệm"`` → ``"xa-gia-kiem"`` (templates, reports, heading ids).

    Method: diacritics removed (``đ`` → ``d``), lower case, every run of
    characters outside ``[a-z0-9]`` becomes one ``-``, cut to ``max_length``.
    Only ``[a-z0-9-]`` survive, so a slug can never carry a path separator
    or a leading dash; an empty result becomes ``"x"``.
    """
    s = strip_diacritics(unicodedata.normalize("NFC", str(text))).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:max_length].rstrip("-") or "x"
