"""Where the reference files are and how they are read: one path check, one cached CSV reader."""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from nrlib import config
from nrlib.exceptions import ReferenceDataError

CRITERIA_FILE = "criteria_2016_2020.csv"
LEVELS_FILE = "criteria_levels.csv"
OUTLINE_FILE = "outline_2016_2020.yaml"
REGIONS_FILE = "regions.csv"
UNIT_HISTORY_FILE = "unit_history.csv"
UNIT_TYPES_FILE = "unit_types.csv"

#: columns of the levels table, in the reference file and in a local override
LEVEL_COLUMNS = ["indicator_code", "scope", "year", "comparison", "level", "level_text", "note", "source", "confidence"]

def reference_file(name: str) -> Path:
    """The path of a reference file under :func:`nrlib.config.reference_dir`; raises when it is missing."""
    path = config.reference_dir() / name
    if not path.exists():
        raise ReferenceDataError(f"reference file not found: {path}")
    return path


@functools.lru_cache(maxsize=16)
def read_csv(path: str) -> pd.DataFrame:
    """A reference CSV as text columns (blank cells stay ``""``), cached per path: callers copy before changing it."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
