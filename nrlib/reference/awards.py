"""The award forms a district deals with and the money each carries (``data/reference/awards.csv``).

One row per award form, keyed by the outline's ``award_form`` choice values: its official name and the
body that decides it, both with ``{district}`` / ``{province}`` placeholders filled from the registry at run
time (:func:`fill_award_text`), the coefficients of the base salary for a person and for a collective, the base
salary in đồng, the legal ``source`` and whether the rule was ``verified`` (``yes``/``no``). The money rules
shipped are UNVERIFIED (``verified = no``): every document that uses them says so.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from nrlib.exceptions import ReferenceDataError
from nrlib.reference.files import read_csv, reference_file

#: the columns of awards.csv, in order
AWARD_COLUMNS = ["award_form", "name", "decided_by", "level", "coefficient_individual", "coefficient_collective",
                 "base_salary", "source", "verified"]
_NUMBERS = ("coefficient_individual", "coefficient_collective", "base_salary")
_PLACEHOLDERS = ("{district}", "{province}")


def load_awards(path: str | Path | None = None, outline=None) -> pd.DataFrame:
    """The award forms and their money rules.

    Parameters
    ----------
    path : str or Path, optional
        Default the reference file (role ``awards``).
    outline : Outline, optional
        When given, every ``award_form`` choice of the outline must have a row.

    Returns
    -------
    DataFrame
        :data:`AWARD_COLUMNS`; the coefficients and the base salary as :class:`decimal.Decimal` (exact money),
        ``verified`` as bool; in the file's order.

    Raises
    ------
    ReferenceDataError
        The file is missing or unreadable, lacks a column, repeats or leaves blank an award form, has a
        coefficient or base salary that is not a non-negative number, a ``verified`` other than yes/no, a
        placeholder other than ``{district}``/``{province}``, or misses an outline choice.
    """
    p = Path(path) if path else reference_file("awards")
    if not p.is_file():
        raise ReferenceDataError(f"award forms file not found: {p}")
    try:
        df = read_csv(str(p)).copy()
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ReferenceDataError(f"cannot read award forms file {p}: {exc}") from None
    missing = [c for c in AWARD_COLUMNS if c not in df.columns]
    if missing:
        raise ReferenceDataError(f"{p}: missing columns {missing}; expected {AWARD_COLUMNS}")
    df = df[AWARD_COLUMNS].copy()
    for col in ("award_form", "name", "decided_by"):
        df[col] = df[col].str.strip()
        if (df[col] == "").any():
            raise ReferenceDataError(f"{p}: a blank {col} (row {int((df[col] == '').idxmax()) + 2})")
    dup = sorted(set(df.loc[df["award_form"].duplicated(), "award_form"]))
    if dup:
        raise ReferenceDataError(f"{p}: award forms listed twice: {dup}")
    for col in _NUMBERS:
        df[col] = [_number(v, col, p, i) for i, v in enumerate(df[col], 2)]
    verified = df["verified"].str.strip().str.lower()
    bad = sorted(set(verified) - {"yes", "no"})
    if bad:
        raise ReferenceDataError(f"{p}: verified must be yes or no, not {bad}")
    df["verified"] = verified == "yes"
    for col in ("name", "decided_by"):
        for text in df[col]:
            rest = text
            for ph in _PLACEHOLDERS:
                rest = rest.replace(ph, "")
            if "{" in rest or "}" in rest:
                raise ReferenceDataError(f"{p}: {col} {text!r} has a placeholder other than {list(_PLACEHOLDERS)}")
    if outline is not None:
        wanted = [c["value"] for c in outline.choices("award_form")]
        absent = [c for c in wanted if c not in set(df["award_form"])]
        if absent:
            raise ReferenceDataError(f"{p}: no row for the outline's award forms {absent}")
    return df.reset_index(drop=True)


def _number(value, col: str, path: Path, row: int) -> Decimal:
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite() or d < 0:
        raise ReferenceDataError(f"{path}: row {row}: {col} {value!r} is not a non-negative number")
    return d


def fill_award_text(text: str, words: dict[str, str]) -> str:
    """An award name or deciding body with its placeholders filled: ``words`` maps ``district`` and ``province``
    to their names as prose writes them (``huyện …``, ``tỉnh …``, from the registry)."""
    out = str(text)
    for key, value in words.items():
        out = out.replace("{" + key + "}", value)
    return out
