"""Where the reference files are and how they are read: one path check, one cached CSV reader.

pandas is imported when a CSV is first read as a frame, not with this module: the plain-rows reader
(:func:`read_csv_rows`) serves the command line without it.
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from nrlib import config
from nrlib.exceptions import ReferenceDataError

if TYPE_CHECKING:
    import pandas as pd

#: columns of the levels table, in the reference file and in a local override
LEVEL_COLUMNS = ["indicator_code", "scope", "year", "comparison", "level", "level_text", "note", "source", "confidence"]

def reference_file(role: str) -> Path:
    """The path of a reference file by its role (:func:`nrlib.config.reference_roles`); raises when it is missing."""
    path = config.reference_path(role)
    if not path.exists():
        raise ReferenceDataError(f"reference file not found: {path}")
    return path


@functools.lru_cache(maxsize=16)
def read_csv(path: str) -> pd.DataFrame:
    """A reference CSV as text columns (blank cells stay ``""``), cached per path: callers copy before changing it."""
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@functools.lru_cache(maxsize=16)
def read_csv_rows(path: str) -> tuple[dict[str, str], ...]:
    """A reference CSV as plain rows, ``{column: text}`` each: what :func:`read_csv` reads, without pandas.

    The same cells as :func:`read_csv` (every cell text, a blank cell ``""``,
    blank lines skipped), cached per path: callers copy a row before changing it.
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:    # a byte-order mark dropped, as pandas does
        reader = csv.reader(fh)
        header = next(reader, [])
        return tuple(dict(zip(header, row)) for row in reader if row)
