"""The standard a town or ward is judged against instead of the new-rural criteria: "đạt chuẩn văn minh đô thị".

In 2016-2020 a thị trấn or phường is not a xã: the new-rural (NTM) criteria of
QĐ 1980/QĐ-TTg do not apply to it, and it is recognised "Thị trấn (Phường) đạt
chuẩn văn minh đô thị" under Thông tư 02/2013/TT-BVHTTDL (24/01/2013). The
standard's five *tiêu chuẩn* (criteria ``VM1`` … ``VM5``) and the indicators
whose text and level were seen in a source are data
(``data/reference/urban_criteria_2013.csv``, ``urban_levels_2013.csv``), each
row with its source and confidence; what no source seen confirms says
UNVERIFIED in its source.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nrlib import config
from nrlib.exceptions import ReferenceDataError
from nrlib.reference.files import LEVEL_COLUMNS, read_csv, reference_file

#: columns of the urban criteria file
URBAN_CRITERIA_COLUMNS = ["criterion_code", "criterion_no", "criterion_name", "indicator_code", "indicator_name",
                          "unit", "comparison", "measure", "bound", "note", "source", "confidence"]


def load_urban_criteria() -> pd.DataFrame:
    """The criteria of "phường, thị trấn đạt chuẩn văn minh đô thị", one row per indicator.

    Returns
    -------
    pandas.DataFrame
        :data:`URBAN_CRITERIA_COLUMNS`: ``criterion_code`` (``"VM1"`` …),
        ``criterion_no`` (int, 1-5), ``criterion_name``, ``indicator_code``
        (``"VM2.1"``; a criterion judged as a whole has one indicator coded
        like itself), ``indicator_name``, ``unit`` (``"%"`` or empty),
        ``comparison``, ``measure`` (the outline rate that measures the
        indicator from campaign counts, empty when none does), ``bound``
        (``"upper"``: the measure is at most the true value, it can show a
        miss but never prove a meet; empty: exact), ``note``, ``source``,
        ``confidence``; plus ``quantitative`` (bool: has a unit).
    """
    df = read_csv(str(reference_file("urban_criteria"))).copy()
    missing = [c for c in URBAN_CRITERIA_COLUMNS if c not in df.columns]
    if missing:
        raise ReferenceDataError(f"urban criteria: missing columns {missing}")
    df["criterion_no"] = df["criterion_no"].astype(int)
    df["quantitative"] = df["unit"] != ""
    bad = sorted(set(df["bound"]) - {"", "upper", "exact"})
    if bad or not df["indicator_code"].is_unique:
        raise ReferenceDataError(f"urban criteria: bound must be blank, 'exact' or 'upper' (found {bad}) and "
                                 "indicator codes unique")
    return df


def load_urban_levels(local_file: str | Path | None = None) -> pd.DataFrame:
    """The known levels of the urban indicators, with an analyst's own (a province's decision may differ).

    Method: that of :func:`nrlib.reference.load_criteria_levels` on the urban
    files: rows of the local file (``data/local/urban_levels.csv``, or
    ``local_file``; columns :data:`~nrlib.reference.files.LEVEL_COLUMNS`)
    replace reference rows of the same indicator, scope and year, marked
    ``origin='local'``; a blank level is never filled in.

    Returns
    -------
    pandas.DataFrame
        :data:`~nrlib.reference.files.LEVEL_COLUMNS` plus ``origin``;
        ``level`` float (NaN unknown), ``year`` Int64 (NA: every year).
    """
    ref = read_csv(str(reference_file("urban_levels"))).copy()
    ref["origin"] = "reference"
    frames = [ref]
    path = Path(local_file) if local_file else config.local_urban_levels_path()
    if local_file and not path.exists():
        raise ReferenceDataError(f"local urban levels file not found: {path}")
    if path is not None and path.exists():
        local = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        missing = [c for c in ("indicator_code", "scope", "comparison", "level") if c not in local.columns]
        if missing:
            raise ReferenceDataError(f"{path}: missing columns {missing}; expected {LEVEL_COLUMNS}")
        for col in LEVEL_COLUMNS:
            if col not in local.columns:
                local[col] = ""
        local = local[LEVEL_COLUMNS].assign(origin="local")
        local.loc[local["source"].str.strip() == "", "source"] = f"local file {path.name}"
        frames.append(local)
    df = pd.concat(frames, ignore_index=True).drop_duplicates(["indicator_code", "scope", "year"], keep="last")
    try:
        df["level"] = pd.to_numeric(df["level"].str.replace(",", ".", regex=False).replace("", None), errors="raise")
        df["year"] = pd.to_numeric(df["year"].replace("", None), errors="raise").astype("Int64")
    except (ValueError, TypeError) as exc:
        raise ReferenceDataError(f"urban levels: a level or year is not a number ({exc})") from exc
    unknown = sorted(set(df["indicator_code"]) - set(load_urban_criteria()["indicator_code"]))
    if unknown:
        raise ReferenceDataError(f"urban levels name unknown indicators: {unknown}")
    return df.reset_index(drop=True)
