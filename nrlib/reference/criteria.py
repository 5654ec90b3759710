"""The criteria set and the known levels of its indicators, with an analyst's local levels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from nrlib import config
from nrlib.exceptions import ReferenceDataError
from nrlib.reference.files import LEVEL_COLUMNS, read_csv, reference_file


def load_criteria() -> pd.DataFrame:
    """Load the national new-rural criteria set 2016-2020 (QĐ 1980/QĐ-TTg).

    Returns
    -------
    pandas.DataFrame
        One row per indicator (49 rows): ``group_code`` (I-V), ``group_name``,
        ``criterion_no`` (int, 1-19), ``criterion_name``, ``indicator_code``
        (str, e.g. ``"17.1"``), ``indicator_name``, ``unit`` (``"%"``,
        ``"triệu đồng/người"`` or empty for yes/no indicators), ``comparison``
        (``≥``, ``≤``, ``=``), ``quantitative`` (bool: has a unit), ``source``
        and ``confidence`` as in the reference file. Levels are in
        :func:`load_criteria_levels`.
    """
    df = read_csv(str(reference_file("criteria"))).copy()
    df["criterion_no"] = df["criterion_no"].astype(int)
    df["quantitative"] = df["unit"] != ""
    return df


def load_criteria_levels(local_file: str | Path | None = None) -> pd.DataFrame:
    """Load the known levels (thresholds) of the indicators, with any local override.

    Method: the reference file lists each level that was seen in a source,
    per ``scope`` (``national``, a region code such as ``dnb``, a province
    code, or a district code) and optionally per ``year`` (blank: every year).
    A blank ``level`` and ``level_text`` is never filled in: no numeric check
    is possible then. Rows of the local file (``$NRLIB_LEVELS`` or
    ``data/local/criteria_levels.csv``, same columns) replace reference rows
    with the same ``indicator_code``, ``scope`` and ``year``, or add new ones;
    they are marked ``origin='local'``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LEVEL_COLUMNS` plus ``origin`` (``reference``/``local``);
        ``level`` is a float (NaN when not known), ``year`` an Int64 (NA: all years).
    """
    ref = read_csv(str(reference_file("levels"))).copy()
    ref["origin"] = "reference"
    frames = [ref]
    path = Path(local_file) if local_file else config.local_levels_path()
    if path is not None:
        if not path.exists():
            raise ReferenceDataError(f"local levels file not found: {path}")
        local = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        missing = [c for c in ("indicator_code", "scope", "comparison", "level") if c not in local.columns]
        if missing:
            raise ReferenceDataError(f"{path}: missing columns {missing}; expected {LEVEL_COLUMNS}")
        for col in LEVEL_COLUMNS:
            if col not in local.columns:
                local[col] = ""
        local = local[LEVEL_COLUMNS].copy()
        local["origin"] = "local"
        if not local["source"].str.strip().all():
            local.loc[local["source"].str.strip() == "", "source"] = f"local file {path.name}"
        frames.append(local)
    df = pd.concat(frames, ignore_index=True)
    df = df.drop_duplicates(["indicator_code", "scope", "year"], keep="last").reset_index(drop=True)
    try:
        df["level"] = pd.to_numeric(df["level"].str.replace(",", ".", regex=False).replace("", None), errors="raise")
        df["year"] = pd.to_numeric(df["year"].replace("", None), errors="raise").astype("Int64")
    except (ValueError, TypeError) as exc:
        raise ReferenceDataError(f"criteria levels: a level or year is not a number ({exc})") from exc
    known = set(load_criteria()["indicator_code"])
    unknown = sorted(set(df["indicator_code"]) - known)
    if unknown:
        raise ReferenceDataError(f"criteria levels name unknown indicators: {unknown}")
    return df


def resolve_levels(scopes: list[str], years: list[int], local_file: str | Path | None = None) -> pd.DataFrame:
    """The numeric level that applies to each quantitative indicator and year, for one chain of scopes.

    :func:`pick_levels` of the reference levels (with the local override,
    :func:`load_criteria_levels`) for ``scopes``, ordered most specific first
    (``[district_code, province_code, region_code]``). The national column
    is not used unless ``"national"`` is listed: QĐ 1980 differentiates many
    levels by region, and a national level applied to a region would be a
    guess.

    Returns
    -------
    pandas.DataFrame
        ``indicator_code``, ``year``, ``comparison``, ``level`` (float),
        ``scope``, ``confidence``, ``source``, ``origin``, ``note``; only
        rows with a numeric level.
    """
    out = pick_levels(load_criteria_levels(local_file), [list(scopes)], years)
    return out.drop(columns="chain").reset_index(drop=True)


def pick_levels(levels: pd.DataFrame, chains: list[list[str]], years: list[int]) -> pd.DataFrame:
    """The one level resolution: for each chain of scopes, the row that applies to each indicator and year.

    Method: for each indicator and year, the row of the most specific scope
    of the chain (its first scope first) whose year equals that year, else
    whose year is blank; a row with a blank scope (a table resolved already)
    holds after every scope of the chain. Rows without a numeric level are
    never used. Used by :func:`resolve_levels`, the check at ingest
    (:meth:`nrlib.intake.schema.Schema.levels_for`) and the analysis
    (:mod:`nrlib.analysis.thresholds`), which resolves every district of a
    dataset in one call.

    Parameters
    ----------
    levels : DataFrame
        ``indicator_code, scope, year, comparison, level`` and any other columns.
    chains : list of list of str
        Scope chains, most specific scope first.
    years : list of int

    Returns
    -------
    DataFrame
        ``chain`` (position in ``chains``), ``indicator_code``, ``year``,
        ``comparison``, ``level`` (float), ``scope`` (None for a blank one) and
        the other columns of ``levels``.
    """
    cols = ["chain", "indicator_code", "year", "comparison", "level", "scope"]
    extra = [c for c in ("confidence", "source", "origin", "note") if c in levels.columns]
    lv = levels[pd.to_numeric(levels["level"], errors="coerce").notna()].copy()
    if lv.empty or not chains or not len(years):
        return pd.DataFrame(columns=cols + extra)
    lv["level"] = pd.to_numeric(lv["level"]).astype(float)
    lv["indicator_code"] = lv["indicator_code"].astype(str)
    blank = lv["scope"].isna() | (lv["scope"].astype(str).str.strip() == "") if "scope" in lv.columns \
        else pd.Series(True, index=lv.index)
    lv["scope"] = lv["scope"].astype(object).where(~blank, None) if "scope" in lv.columns else None
    lv["_scope"] = lv["scope"].where(~blank, "\x00blank").astype(str)
    lv["_row_year"] = pd.to_numeric(lv["year"], errors="coerce") if "year" in lv.columns else float("nan")
    ranks = pd.DataFrame([(i, str(s), r) for i, chain in enumerate(chains)
                          for r, s in enumerate([*chain, "\x00blank"]) if s is not None and str(s) != ""],
                         columns=["chain", "_scope", "_rank"]).drop_duplicates(["chain", "_scope"])
    cand = ranks.merge(lv.drop(columns=["year"], errors="ignore"), on="_scope")
    cand = cand.merge(pd.DataFrame({"year": [int(y) for y in years]}), how="cross")
    cand = cand[cand["_row_year"].isna() | (cand["_row_year"] == cand["year"])]
    # most specific scope first; within a scope, a year-specific row beats a blank year
    cand = cand.assign(_order=cand["_rank"] * 2 + cand["_row_year"].isna().astype(int))
    best = cand.sort_values(["chain", "indicator_code", "year", "_order"], kind="stable")
    best = best.drop_duplicates(["chain", "indicator_code", "year"])
    return best[cols + extra].reset_index(drop=True)
