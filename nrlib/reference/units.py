"""The unit registry: communes of any district by GSO code, their types, regions and history in the period.

Units come from one vintage of the registry (:mod:`nrlib.reference.registry`),
by default the list in force at the review (03/02/2021, the last list before
the deadline of 18/02/2021); every function takes ``vintage`` to choose
another (``"2025-07-01"``: the list after the 2025 reorganisation, which has
no districts).
"""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd

from nrlib.exceptions import ReferenceDataError, UnknownDistrictError, UnknownUnitError
from nrlib.reference.files import read_csv, reference_file
from nrlib.reference.registry import (
    check_vintage,
    default_vintage,
    is_pre_reorganisation,
    unit_observations,
    vintage_date,
    vintage_rows,
)


def unit_types() -> pd.DataFrame:
    """The unit types (xã, thị trấn, phường): name prefix, label and whether the NTM criteria apply."""
    df = read_csv(str(reference_file("unit_types"))).copy()
    df["ntm_applies"] = df["ntm_applies"].str.lower() == "true"
    return df


#: the columns of :func:`load_units`, also of a district without units (Hoàng Sa, Bạch Long Vĩ…)
UNIT_COLUMNS = ("unit_code", "name", "unit_type", "unit_type_label", "district_code", "district_name",
                "province_code", "province_name", "region_code", "region_name", "vintage")


def _vintage(vintage: str | None) -> str:
    return default_vintage() if vintage is None else check_vintage(vintage)


def _regions() -> pd.DataFrame:
    return read_csv(str(reference_file("regions")))


@functools.lru_cache(maxsize=8)
def _unit_table(vintage: str, registry_path: str, types_path: str, regions_path: str) -> pd.DataFrame:
    """Every row of a vintage (districts without units too) with the type's label and the region."""
    df = vintage_rows(vintage).copy()
    types = read_csv(types_path)
    df["unit_type_label"] = df["unit_type"].map(dict(zip(types["unit_type"], types["label"]))).fillna("")
    # regions.csv is keyed by the provinces of the lists before the 2025 reorganisation (63 of them); a
    # province of a later list is another unit under a reused code, with no region of the 2016-2020 criteria
    regions = read_csv(regions_path).set_index("province_code")
    if is_pre_reorganisation(vintage):
        df["region_code"] = df["province_code"].map(regions["region_code"])
        df["region_name"] = df["province_code"].map(regions["region_name"])
    else:
        df["region_code"] = df["region_name"] = None
    for col in ("region_code", "region_name"):
        if df[col].isna().any():
            df[col] = df[col].astype(object).where(df[col].notna(), None)
    return df[list(UNIT_COLUMNS)]


def _units(vintage: str) -> pd.DataFrame:
    return _unit_table(vintage, str(reference_file("unit_registry")), str(reference_file("unit_types")),
                       str(reference_file("regions")))


def _list_label(vintage: str) -> str:
    return f"danh mục ngày {vintage_date(vintage):%d/%m/%Y}"


def _normalise_code(code: int | str, width: int, what: str) -> str:
    s = str(code).strip()
    if not (s.isdigit() and s.isascii()):
        raise UnknownDistrictError(f"mã {what} không hợp lệ: {code!r} (cần một số) / invalid {what} code {code!r}: expected digits")
    return str(int(s)).zfill(width)


def registry_divisions(vintage: str | None = None) -> list[dict]:
    """A vintage as nested records: provinces (``code`` int, ``name``), each with its ``districts`` and their
    ``wards`` (``code``, ``name``); a list without districts (2025) gives each province its ``wards`` directly
    and an empty ``districts``."""
    v = _vintage(vintage)
    return [dict(p) for p in _divisions(v, str(reference_file("unit_registry")))]


@functools.lru_cache(maxsize=8)
def _divisions(vintage: str, registry_path: str) -> tuple[dict, ...]:
    out = []
    for (pcode, pname), prov in vintage_rows(vintage).groupby(["province_code", "province_name"], sort=True):
        p = {"code": int(pcode), "name": pname, "districts": [], "wards": []}
        for (dcode, dname), dist in prov.groupby(["district_code", "district_name"], sort=True):
            wards = [{"code": int(c), "name": n, "unit_type": t}
                     for c, n, t in zip(dist["unit_code"], dist["name"], dist["unit_type"]) if c]
            if dcode:
                p["districts"].append({"code": int(dcode), "name": dname, "wards": wards})
            else:
                p["wards"] = wards
        out.append(p)
    return tuple(out)


def load_units(district_code: int | str, vintage: str | None = None) -> pd.DataFrame:
    """Commune-level units (xã, thị trấn, phường) of a district, from the GSO registry.

    Source: the vendored GSO list of ``vintage`` (``data/reference/units/``,
    see its ``sources.yaml``), by default the list in force at the review
    (:func:`nrlib.reference.registry.default_vintage`: 03/02/2021); the
    region from ``regions.csv``.

    Parameters
    ----------
    district_code : int or str
        GSO district code, e.g. ``738`` or ``"738"`` (Thống Nhất, Đồng Nai).
    vintage : str, optional
        A vintage of :func:`nrlib.reference.registry.vintages`.

    Returns
    -------
    pandas.DataFrame
        ``unit_code`` (5-digit str), ``name``, ``unit_type`` (``xa``,
        ``thi_tran``, ``phuong``: the type in that list; see :func:`unit_years`
        for the type in a given year), ``unit_type_label``, ``district_code``,
        ``district_name``, ``province_code``, ``province_name``,
        ``region_code``, ``region_name``, ``vintage``; sorted by unit code.

    Raises
    ------
    UnknownDistrictError
        When no district of that list has that code (a list after 01/07/2025
        has no districts at all).
    """
    code = _normalise_code(district_code, 3, "huyện/district")
    v = _vintage(vintage)
    t = _units(v)
    rows = t[t["district_code"] == code]
    if rows.empty:
        raise UnknownDistrictError(
            f"không tìm thấy huyện có mã {district_code} trong {_list_label(v)} / "
            f"no district with GSO code {district_code!r} in the unit list of {v}")
    return rows[rows["unit_code"] != ""].sort_values("unit_code", ignore_index=True)


def load_province_units(province_code: int | str, vintage: str | None = None) -> pd.DataFrame:
    """Every commune-level unit of a province (same columns as :func:`load_units`)."""
    code = _normalise_code(province_code, 2, "tỉnh/province")
    v = _vintage(vintage)
    t = _units(v)
    rows = t[(t["province_code"] == code)]
    if rows.empty:
        raise UnknownDistrictError(
            f"không tìm thấy tỉnh có mã {province_code} trong {_list_label(v)} / no province with GSO code "
            f"{province_code!r} in the unit list of {v}")
    return rows[rows["unit_code"] != ""].sort_values("unit_code", ignore_index=True)


@functools.lru_cache(maxsize=8)
def _unit_index(vintage: str, registry_path: str) -> dict[str, dict]:
    t = _units(vintage)
    return {r["unit_code"]: r for r in t[t["unit_code"] != ""].to_dict("records")}


def find_unit(unit_code: int | str, vintage: str | None = None) -> dict:
    """One unit's registry row (as a dict) by its GSO code in a vintage; raises :class:`UnknownUnitError`."""
    s = str(unit_code).strip()
    v = _vintage(vintage)
    if s.isdigit() and s.isascii():
        row = _unit_index(v, str(reference_file("unit_registry"))).get(s.zfill(5))
        if row is not None:
            return dict(row)
    raise UnknownUnitError(f"không có đơn vị mã {unit_code!r} trong {_list_label(v)} / no unit with GSO code "
                           f"{unit_code!r} in the unit list of {v}")

def load_unit_history() -> pd.DataFrame:
    """A unit's name and type over dated spans, from a legal act or a checked source (``unit_history.csv``).

    Columns ``vintage`` (the list whose code ``unit_code`` is), ``unit_code,
    valid_from, valid_to`` (dates, either may be blank: open), ``name,
    unit_type, note, source``.
    """
    df = read_csv(str(reference_file("unit_history"))).copy()
    for col in ("valid_from", "valid_to"):
        df[col] = pd.to_datetime(df[col].replace("", None)).dt.date
    return df


#: how a unit's name and type in a year are known (:func:`unit_history_basis`)
BASES = {
    "history": "a dated record of unit_history.csv (a resolution or a checked source) covers the year's end",
    "lists": "two lists of the registry, one on each side of the year's end, show the same unit with the same "
             "name and type",
    "unknown": "no record, and the lists do not enclose the year's end with the same state: the name and type are "
               "those of the first list after it (or the last one before it)",
}


def _year_states(units: pd.DataFrame, years: list[int], vintage: str | None) -> pd.DataFrame:
    """Each unit-year's name, type, basis and source (the method of :func:`unit_history_basis`)."""
    cols = ["unit_code", "year", "name", "unit_type", "basis", "source"]
    yrs = pd.DataFrame({"year": [int(y) for y in years]})
    base = units[["unit_code", "name", "unit_type"]].astype({"unit_code": str}).drop_duplicates("unit_code")
    base = base.merge(yrs, how="cross")
    if base.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    v = _vintage(vintage)
    base["end"] = [dt.date(y, 12, 31) for y in base["year"]]
    base["basis"], base["source"] = "unknown", ""
    # the lists: the first observation on or after the year's end gives the state, the last one before it
    # (or on it) tells whether the state is enclosed
    obs = unit_observations(v, set(base["unit_code"]))
    if not obs.empty:
        pairs = base[["unit_code", "year", "end"]].merge(obs, on="unit_code")
        after = pairs[pairs["date"] >= pairs["end"]].sort_values("date").drop_duplicates(["unit_code", "year"])
        before = pairs[pairs["date"] <= pairs["end"]].sort_values("date").drop_duplicates(
            ["unit_code", "year"], keep="last")
        last = pairs.sort_values("date").drop_duplicates(["unit_code", "year"], keep="last")
        state = pd.concat([after, last]).drop_duplicates(["unit_code", "year"])  # after first, else the last one
        both = after.merge(before, on=["unit_code", "year"], suffixes=("", "_b"))
        enclosed = both[(both["name"] == both["name_b"]) & (both["unit_type"] == both["unit_type_b"])]
        st = state.set_index(["unit_code", "year"])
        key = pd.MultiIndex.from_frame(base[["unit_code", "year"]])
        base["name"] = st["name"].reindex(key).fillna(pd.Series(base["name"].to_numpy(), index=key)).to_numpy()
        base["unit_type"] = st["unit_type"].reindex(key).fillna(
            pd.Series(base["unit_type"].to_numpy(), index=key)).to_numpy()
        ok = key.isin(pd.MultiIndex.from_frame(enclosed[["unit_code", "year"]]))
        base.loc[ok, "basis"] = "lists"
        base.loc[ok, "source"] = [f"{_list_label(a)}, {_list_label(b)}" for a, b in
                                  zip(enclosed.set_index(["unit_code", "year"]).reindex(key[ok])["observed_b"],
                                      enclosed.set_index(["unit_code", "year"]).reindex(key[ok])["observed"])]
    # a dated record wins over the lists
    history = load_unit_history()
    h = history[(history["vintage"] == v) & history["unit_code"].isin(set(base["unit_code"]))]
    if not h.empty:
        pairs = base[["unit_code", "year", "end"]].merge(h, on="unit_code")
        valid = (pairs["valid_from"].isna() | (pairs["valid_from"] <= pairs["end"])) & \
                (pairs["valid_to"].isna() | (pairs["end"] <= pairs["valid_to"]))
        hit = pairs[valid].drop_duplicates(["unit_code", "year"], keep="last").set_index(["unit_code", "year"])
        key = pd.MultiIndex.from_frame(base[["unit_code", "year"]])
        ok = key.isin(hit.index)
        base.loc[ok, "name"] = hit["name"].reindex(key[ok]).to_numpy()
        base.loc[ok, "unit_type"] = hit["unit_type"].reindex(key[ok]).to_numpy()
        base.loc[ok, "basis"] = "history"
        base.loc[ok, "source"] = hit["source"].reindex(key[ok]).to_numpy()
    return base[cols].reset_index(drop=True)


def unit_years(units: pd.DataFrame, years: list[int], vintage: str | None = None) -> pd.DataFrame:
    """Each unit's name and type in each year, with whether the NTM criteria apply.

    Method: a unit's name and type in a year are those on 31 December of that
    year: from ``unit_history.csv`` where a record of the unit (in the list
    ``vintage``, default the review's) is valid on that date, else from the
    first list of the registry dated on or after it that holds the same unit
    (same code and name, :func:`nrlib.reference.registry.same_unit`), else
    from the last one before it; a unit found in no list keeps its own row's.
    The NTM criteria apply in a year where the unit is of a type they apply
    to (``unit_types.csv``). Thị trấn Dầu Giây (formed 01/07/2019) is therefore
    xã Xuân Thạnh for 2016-2018 and a town, outside the NTM criteria, from
    2019; a unit that was a xã in the list of 25/02/2020 and a thị trấn in that
    of 03/02/2021 is a xã for 2016-2019. :func:`unit_history_basis` says how
    each year is known.

    Returns
    -------
    pandas.DataFrame
        ``unit_code, year, name, unit_type, ntm_applies``.
    """
    types = unit_types().set_index("unit_type")
    base = _year_states(units, years, vintage)
    base["ntm_applies"] = base["unit_type"].map(types["ntm_applies"]).astype(bool)
    return base[["unit_code", "year", "name", "unit_type", "ntm_applies"]]


def unit_history_basis(units: pd.DataFrame, years: list[int], vintage: str | None = None) -> pd.DataFrame:
    """How each unit's name and type in each year are known: ``history``, ``lists`` or ``unknown`` (:data:`BASES`).

    Returns
    -------
    pandas.DataFrame
        ``unit_code, year, name, unit_type, basis, source`` (the record's
        source, or the two lists that enclose the year; blank when unknown).
    """
    return _year_states(units, years, vintage)


#: what a report says of a unit whose name and type are not known in some years (Vietnamese, for users)
HISTORY_UNKNOWN_TEXT = ("Chưa rõ tên và loại hình của {unit} trong {years} (không có văn bản nào về đơn vị này trong "
                        "dữ liệu tham chiếu; danh mục đơn vị hành chính sớm nhất có được là {first}): {years_again} "
                        "được tính là {used}.")


#: the same, once for a whole district (Vietnamese, for users)
HISTORY_UNKNOWN_SUMMARY = ("Chưa rõ tên và loại hình của {n} trên {total} đơn vị trong một số năm (không có văn bản nào "
                           "về các đơn vị này trong dữ liệu tham chiếu; danh mục đơn vị hành chính sớm nhất có được là "
                           "{first}): các năm đó được tính theo danh mục gần nhất, xã nào là thị trấn, phường trong "
                           "năm nào có thể chưa đúng. Đơn vị: {units}.")


def history_unknown_summary(units: pd.DataFrame, years: list[int], vintage: str | None = None) -> str | None:
    """One sentence for a district's report on the units of :func:`history_unknown` (None when every unit-year
    is known): how many, the earliest list, their names."""
    from nrlib.reference.registry import vintages

    gaps = history_unknown(units, years, vintage)
    if gaps.empty:
        return None
    return HISTORY_UNKNOWN_SUMMARY.format(n=len(gaps), total=units["unit_code"].nunique(),
                                          first=_list_label(vintages()[0]), units=", ".join(gaps["name"]))


def history_unknown(units: pd.DataFrame, years: list[int], vintage: str | None = None) -> pd.DataFrame:
    """The units whose name and type are not known in some years, each with the sentence a report shows.

    Returns
    -------
    pandas.DataFrame
        ``unit_code, name, years`` (a list of ints), ``message``
        (:data:`HISTORY_UNKNOWN_TEXT`); no row for a unit known in every year.
    """
    from nrlib.reference.registry import vintages

    basis = _year_states(units, years, vintage)
    gaps = basis[basis["basis"] == "unknown"]
    first = _list_label(next(v for v in vintages()))
    rows = []
    names = dict(zip(units["unit_code"].astype(str), units["name"]))
    for code, g in gaps.groupby("unit_code", sort=True):
        ys = sorted(int(y) for y in g["year"])
        span = f"năm {ys[0]}" if len(ys) == 1 else (
            f"các năm {ys[0]}–{ys[-1]}" if ys == list(range(ys[0], ys[-1] + 1)) else "các năm " + ", ".join(map(str, ys)))
        used = ", ".join(dict.fromkeys(g["name"]))
        rows.append({"unit_code": code, "name": names.get(code, code), "years": ys,
                     "message": HISTORY_UNKNOWN_TEXT.format(unit=names.get(code, code), years=span, first=first,
                                                            years_again="năm đó" if len(ys) == 1 else "các năm đó",
                                                            used=used)})
    return pd.DataFrame(rows, columns=["unit_code", "name", "years", "message"])
