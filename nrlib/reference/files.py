"""Where the reference files are and how they are read: one path check, one cached CSV reader."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from nrlib import config
from nrlib.exceptions import ReferenceDataError

#: columns of the levels table, in the reference file and in a local override
LEVEL_COLUMNS = ["indicator_code", "scope", "year", "comparison", "level", "level_text", "note", "source", "confidence"]

def reference_file(role: str) -> Path:
    """The path of a reference file by its role (:data:`nrlib.config.REFERENCE_FILES`); raises when it is missing."""
    path = config.reference_path(role)
    if not path.exists():
        raise ReferenceDataError(f"reference file not found: {path}")
    return path


@functools.lru_cache(maxsize=16)
def read_csv(path: str) -> pd.DataFrame:
    """A reference CSV as text columns (blank cells stay ``""``), cached per path: callers copy before changing it."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
