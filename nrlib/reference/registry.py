"""The unit registry's vintages and the 2025 crosswalk, read from ``data/reference/units/``.

A **vintage** is one official list of commune-level units, named by its date
(``"2021-02-03"``); a unit is keyed by ``(vintage, unit_code)``, never by its
code alone: codes were reused with new meanings (26311 was Xã Quang Trung in
2021 and is Xã Gia Kiệm, which absorbed three communes, from 01/07/2025), and
even before 2025 a code could pass to a merged commune of another name.
``units/sources.yaml`` lists the vintages and where each file comes from
(:mod:`nrlib.reference.vendor` builds them).

Method of identity across vintages (:func:`same_unit`): two rows of two
pre-2025 lists are the same unit when they have the same code **and** the
same name once the type ("Xã", "Phường", "Thị trấn") and diacritics are set
aside (:func:`name_key`); a unit that went from xã to thị trấn keeps its
name, a commune merged under one of the old codes usually does not. A code
whose name changed is never taken for the same unit: the lists cannot tell a
rename from a merge or a reused code, so its history is unknown.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pandas as pd

from nrlib import config
from nrlib.core.textmatch import match_key
from nrlib.exceptions import ReferenceDataError
from nrlib.reference.files import read_csv, reference_file

#: columns of one vintage's units (:func:`load_vintage`)
VINTAGE_COLUMNS = ("vintage", "unit_code", "name", "unit_type", "district_code", "district_name", "province_code",
                   "province_name")


@functools.lru_cache(maxsize=4)
def _manifest(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return config.load_yaml(fh)


def registry_manifest() -> dict:
    """``units/sources.yaml``: the vintages (file, rows, SHA-256, source) and the crosswalk."""
    path = reference_file("unit_registry")
    return _manifest(str(path), path.stat().st_mtime)


def _units_dir() -> Path:
    return reference_file("unit_registry").parent


def vintages() -> list[str]:
    """The vintages of the registry, oldest first (``["2020-02-25", "2021-02-03", "2025-07-01"]``)."""
    return sorted(str(v["vintage"]) for v in registry_manifest()["vintages"])


def vintage_date(vintage: str) -> dt.date:
    return dt.date.fromisoformat(str(vintage))


def check_vintage(vintage: str) -> str:
    """``vintage`` as a known vintage's name; :class:`ReferenceDataError` naming the known ones otherwise."""
    v = str(vintage)
    if v not in vintages():
        raise ReferenceDataError(f"không có danh mục đơn vị hành chính ngày {v} (có: {', '.join(vintages())}) / "
                                 f"no unit list of vintage {v!r}; known: {vintages()}")
    return v


def vintage_on(date: dt.date | str) -> str:
    """The list in force on ``date``: the latest vintage dated on or before it.

    Raises :class:`ReferenceDataError` for a date before the earliest list:
    which units were in force then is not known here.
    """
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    earlier = [v for v in vintages() if vintage_date(v) <= d]
    if not earlier:
        raise ReferenceDataError(f"không có danh mục đơn vị hành chính nào có hiệu lực ngày {d:%d/%m/%Y} (danh mục "
                                 f"sớm nhất: {vintage_date(vintages()[0]):%d/%m/%Y}) / no unit list in force on {d}")
    return earlier[-1]


def default_vintage() -> str:
    """The review's unit list: its ``registry_vintage`` (``reviews.yaml``), else :func:`vintage_on` the outline's
    deadline (18/02/2021: ``2021-02-03``)."""
    named = config.review_entry().get("registry_vintage")
    if named not in (None, ""):
        return check_vintage(str(named))
    outline, manifest = reference_file("outline"), reference_file("unit_registry")
    return _default_vintage(str(outline), outline.stat().st_mtime, str(manifest), manifest.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _default_vintage(outline: str, outline_mtime: float, manifest: str, manifest_mtime: float) -> str:
    from nrlib.reference.outline import load_outline

    return vintage_on(load_outline(outline).deadline)


def reorganisation_date() -> dt.date:
    """The day the 2025 reorganisation came into force (the crosswalk's ``to_vintage``: 01/07/2025)."""
    return vintage_date(registry_manifest()["crosswalk"]["to_vintage"])


def is_pre_reorganisation(vintage: str) -> bool:
    """Whether a vintage is a list of before the 2025 reorganisation (63 provinces, districts, the old codes)."""
    return vintage_date(vintage) < reorganisation_date()


def _entry(vintage: str) -> dict:
    return next(v for v in registry_manifest()["vintages"] if str(v["vintage"]) == vintage)


@functools.lru_cache(maxsize=8)
def _vintage_rows(path: str, vintage: str) -> pd.DataFrame:
    df = read_csv(path).copy()
    df.insert(0, "vintage", vintage)
    return df


def vintage_rows(vintage: str) -> pd.DataFrame:
    """Every row of a vintage's file, the districts without units included (blank ``unit_code``); cached: copy it."""
    v = check_vintage(vintage)
    return _vintage_rows(str(_units_dir() / _entry(v)["file"]), v)


def load_vintage(vintage: str) -> pd.DataFrame:
    """The commune-level units of one vintage: :data:`VINTAGE_COLUMNS`, sorted by unit code."""
    df = vintage_rows(vintage)
    return df[df["unit_code"] != ""].sort_values("unit_code", ignore_index=True)[list(VINTAGE_COLUMNS)]


@functools.lru_cache(maxsize=1)
def _type_prefix_keys() -> tuple[str, ...]:
    prefixes = read_csv(str(reference_file("unit_types")))["name_prefix"]
    return tuple(sorted((match_key(p) + " " for p in prefixes), key=len, reverse=True))


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A unit's name without its type and diacritics, for identity (``"Thị trấn Si Ma Cai"`` → ``"si ma cai"``)."""
    k = match_key(name)
    for p in _type_prefix_keys():
        if k.startswith(p):
            return k[len(p):]
    return k


def same_unit(code_a: str, name_a: str, code_b: str, name_b: str) -> bool:
    """Whether two rows of two pre-2025 lists are one unit (module docstring: same code, same name key)."""
    return str(code_a) == str(code_b) and name_key(name_a) == name_key(name_b)


CHANGES = ("unchanged", "retyped", "moved", "renamed", "added", "removed")


def list_changes(earlier: str, later: str) -> pd.DataFrame:
    """What the lists show between two pre-2025 vintages, one row per code of either.

    Method: codes are matched; ``change`` is ``unchanged`` (same name, type and
    district), ``retyped`` (same name key, another type: xã → thị trấn…),
    ``moved`` (same name and type, another district), ``renamed`` (the code
    has another name: a rename, a merge under that code or a reused code —
    the lists cannot tell, so it is not taken for the same unit),
    ``added`` (a code only in the later list), ``removed`` (only in the
    earlier one). The date of a change is not in the lists: it lies between
    the two vintages.

    Returns
    -------
    DataFrame
        ``unit_code, name_before, type_before, district_before, name_after,
        type_after, district_after, change, same_unit``; sorted by code.
    """
    a = load_vintage(earlier)[["unit_code", "name", "unit_type", "district_code"]]
    b = load_vintage(later)[["unit_code", "name", "unit_type", "district_code"]]
    m = a.merge(b, on="unit_code", how="outer", suffixes=("_before", "_after"))
    m = m.rename(columns={"unit_type_before": "type_before", "unit_type_after": "type_after",
                          "district_code_before": "district_before", "district_code_after": "district_after"})
    kb = m["name_before"].fillna("").map(name_key)
    ka = m["name_after"].fillna("").map(name_key)
    both = m["name_before"].notna() & m["name_after"].notna()
    same = both & (kb == ka)
    change = pd.Series("unchanged", index=m.index, dtype=object)
    change[same & (m["district_before"] != m["district_after"])] = "moved"
    change[same & (m["type_before"] != m["type_after"])] = "retyped"
    change[both & ~same] = "renamed"
    change[m["name_before"].isna()] = "added"
    change[m["name_after"].isna()] = "removed"
    m["change"] = change
    m["same_unit"] = same
    cols = ["unit_code", "name_before", "type_before", "district_before", "name_after", "type_after",
            "district_after", "change", "same_unit"]
    return m[cols].sort_values("unit_code", ignore_index=True)


def unit_observations(vintage: str, unit_codes=None) -> pd.DataFrame:
    """Each unit of ``vintage`` as every pre-2025 list shows it, where that list holds the same unit.

    Method: from ``vintage``, step to each neighbouring list (earlier, then
    later) while :func:`same_unit` holds; a break (a renamed or missing code)
    ends the chain. 2025 and later lists are never chained: the district level
    ended and codes took new meanings.

    Returns
    -------
    DataFrame
        ``unit_code`` (the code in ``vintage``), ``observed`` (a vintage),
        ``date``, ``name``, ``unit_type``, ``district_code``.
    """
    v = check_vintage(vintage)
    chain = [x for x in vintages() if is_pre_reorganisation(x)]
    if v not in chain:
        chain = [v]
    base = load_vintage(v)
    if unit_codes is not None:
        base = base[base["unit_code"].isin(set(map(str, unit_codes)))]
    base = base[["unit_code", "name", "unit_type", "district_code"]]
    frames = [base.assign(observed=v)]
    i = chain.index(v)
    for step in (-1, 1):
        cur = base.assign(key=base["name"].map(name_key))
        j = i + step
        while 0 <= j < len(chain) and not cur.empty:
            other = load_vintage(chain[j])[["unit_code", "name", "unit_type", "district_code"]]
            other = other.assign(key=other["name"].map(name_key))
            hit = cur[["unit_code", "key"]].merge(other, on=["unit_code", "key"])
            frames.append(hit.drop(columns="key").assign(observed=chain[j]))
            cur = hit
            j += step
    out = pd.concat(frames, ignore_index=True)
    out["date"] = out["observed"].map(vintage_date)
    return out[["unit_code", "observed", "date", "name", "unit_type", "district_code"]].sort_values(
        ["unit_code", "date"], ignore_index=True)


# --------------------------------------------------------------------------- the 2025 crosswalk

#: columns of :func:`load_crosswalk`
CROSSWALK_COLUMNS = ("old_code", "old_name", "old_district_code", "old_district_name", "old_province_code",
                     "new_code", "new_name", "new_province_code", "change", "extent", "area", "population", "note",
                     "remark")


def load_crosswalk() -> pd.DataFrame:
    """The statistics office's conversion table, old units (before 01/07/2025) → new ones.

    One row per (old, new) pair: ``extent`` is ``whole`` (the whole old unit
    went into the new one) or ``partial`` (part of it: the note says "một
    phần", or the old unit went to several new ones); ``area`` and
    ``population`` say ``whole``/``partial`` where the note names them;
    ``note`` is the table's own words, ``change`` their kind (merge, keep,
    rename, retype…). ``new_name`` is the new unit's name in the official
    list (vintage of ``manifest["crosswalk"]["to_vintage"]``). Six rows have no
    old unit: island districts without communes that became special zones,
    and a coastal area. Columns :data:`CROSSWALK_COLUMNS`.
    """
    entry = registry_manifest()["crosswalk"]
    df = read_csv(str(_units_dir() / entry["file"])).copy()
    new = load_vintage(str(entry["to_vintage"])).set_index("unit_code")["name"]
    df["new_name"] = df["new_code"].map(new)
    if df["new_name"].isna().any():
        missing = sorted(df.loc[df["new_name"].isna(), "new_code"])[:5]
        raise ReferenceDataError(f"crosswalk: new units {missing} are not in the list {entry['to_vintage']}")
    return df[list(CROSSWALK_COLUMNS)]


#: how a unit of a pre-2025 vintage is found in the crosswalk (:func:`successors`)
LINKS = {
    "code_and_name": "the crosswalk's old unit has the unit's code and name: the same unit",
    "code_only": "the code is in the crosswalk under another name (a merge, a rename or a reused code between "
                 "the list and 01/07/2025): not taken for the same unit",
    "none": "the code is not in the crosswalk: the unit was merged or dissolved between the list and 01/07/2025",
}


def successors(vintage: str | None = None) -> pd.DataFrame:
    """Each unit of a pre-2025 vintage with the new units (01/07/2025) it went into.

    Method: a unit is found among the crosswalk's old units by
    :func:`same_unit` (``link = "code_and_name"``); a unit whose code is
    there under another name (``code_only``) or not at all (``none``) has no
    successor here (:data:`LINKS`): which new unit holds it is not known from
    these sources.

    Returns
    -------
    DataFrame
        ``unit_code, name, link, old_name`` (the crosswalk's name for the
        code, where there is one), then the crosswalk's ``new_code, new_name,
        change, extent, area, population, note, remark`` (blank when
        ``link`` is not ``code_and_name``); one row per (unit, new unit).
    """
    v = check_vintage(vintage or default_vintage())
    units = load_vintage(v)[["unit_code", "name"]]
    cw = load_crosswalk()
    cw = cw[cw["old_code"] != ""]
    m = units.merge(cw, left_on="unit_code", right_on="old_code", how="left")
    linked = m["old_name"].notna() & (m["name"].map(name_key) == m["old_name"].fillna("").map(name_key))
    m["link"] = "none"
    m.loc[m["old_name"].notna(), "link"] = "code_only"
    m.loc[linked, "link"] = "code_and_name"
    keep = ["new_code", "new_name", "change", "extent", "area", "population", "note", "remark"]
    m.loc[~linked, keep] = None
    m = m.drop_duplicates(["unit_code", "link", "new_code"])
    return m[["unit_code", "name", "link", "old_name", *keep]].sort_values(["unit_code", "new_code"],
                                                                             ignore_index=True)


def predecessors(new_code: str, vintage: str | None = None) -> pd.DataFrame:
    """The old units a new unit (01/07/2025) was made of, each with the unit of ``vintage`` it is, where known.

    Returns
    -------
    DataFrame
        The crosswalk's rows of ``new_code`` (:func:`load_crosswalk`) with
        ``unit_code``: the unit of ``vintage`` (default: the review's list)
        that is the old unit by :func:`same_unit`, blank where none is (the
        old unit was formed after that list, or its code changed meaning).
    """
    code = str(new_code).strip().zfill(5)
    cw = load_crosswalk()
    rows = cw[cw["new_code"] == code].reset_index(drop=True)
    if rows.empty:
        raise ReferenceDataError(f"không có đơn vị mới mã {new_code} trong bảng chuyển đổi / no new unit {new_code!r} "
                                 "in the crosswalk")
    units = load_vintage(check_vintage(vintage or default_vintage())).set_index("unit_code")["name"]
    rows["unit_code"] = [c if c in units.index and same_unit(c, units[c], c, n) else None
                         for c, n in zip(rows["old_code"], rows["old_name"])]
    return rows
