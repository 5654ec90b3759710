"""The unit registry: communes of any district by GSO code, their types, regions and history in the period."""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING

from nrlib.exceptions import ReferenceDataError, UnknownDistrictError, UnknownUnitError
from nrlib.reference.files import read_csv, read_csv_rows, reference_file

if TYPE_CHECKING:
    import pandas as pd


def _registry_path():
    import vietnam_provinces

    return vietnam_provinces.NESTED_DIVISIONS_JSON_PATH


@functools.lru_cache(maxsize=1)
def registry_divisions() -> list[dict]:
    """The registry as ``vietnam-provinces`` ships it: provinces, each with its districts and their wards."""
    with open(_registry_path(), encoding="utf-8") as fh:
        return json.load(fh)


def _one_district(code: int) -> tuple[dict, dict] | None:
    """``(province, district)`` records of district ``code`` as :func:`registry_divisions` has them, parsing only
    that province's part of the registry file; None when that part is not found (then read the whole registry).

    Method: the file is ``json.dump(..., indent=2)`` output (2 MB, 63 provinces), so a district's code is a line
    ``"code": N,`` indented 8 spaces (a province's is indented 4, a ward's 12) and a province opens with a line
    ``{`` indented 2 and closes with a line ``}`` indented 2. JSON strings hold no raw line break, so these lines
    are structure, never text. The province object around the district's code line is parsed alone (the same
    parser) and the district is then found in it by its code, as in the whole registry. A command that needs one
    district (``nrlib status``) is spared parsing the country: some 40 ms and 30 MB.
    """
    with open(_registry_path(), "rb") as fh:
        data = fh.read()
    at = data.find(b'\n        "code": %d,\n' % code)
    start = data.rfind(b"\n  {\n", 0, at) if at >= 0 else -1
    end = data.find(b"\n  }", at) if start >= 0 else -1       # the province's closing brace, indented 2
    if end < 0:
        return None
    try:
        province = json.loads(data[start + 3:end + 4].decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(province, dict) or not isinstance(province.get("districts"), list):
        return None
    district = next((d for d in province["districts"] if isinstance(d, dict) and d.get("code") == code), None)
    return None if district is None else (province, district)


def unit_types() -> pd.DataFrame:
    """The unit types (xã, thị trấn, phường): name prefix, label and whether the NTM criteria apply."""
    df = read_csv(str(reference_file("unit_types"))).copy()
    df["ntm_applies"] = df["ntm_applies"].str.lower() == "true"
    return df


@functools.lru_cache(maxsize=4)
def _type_prefixes(path: str) -> tuple[tuple[str, str], ...]:
    """(name prefix + space, unit_type), longest prefix first."""
    pairs = sorted(((r["name_prefix"], r["unit_type"]) for r in read_csv_rows(path)), key=lambda p: -len(p[0]))
    return tuple((prefix + " ", utype) for prefix, utype in pairs)


def _type_from_name(name: str) -> str:
    # vietnam-provinces 0.6.0 labels every ward-level unit 'xã'; the name's
    # prefix ("Thị trấn ...", "Phường ...") is the reliable source.
    for prefix, utype in _type_prefixes(str(reference_file("unit_types"))):
        if name.startswith(prefix):
            return utype
    raise ReferenceDataError(f"unit {name!r}: type not recognised from its name")


def _unit_rows(province: dict, district: dict) -> list[dict]:
    return [dict(r) for r in _unit_rows_cached(province["code"], district["code"])]


@functools.lru_cache(maxsize=1024)
def _unit_rows_cached(province_code: int, district_code: int) -> tuple[dict, ...]:
    province = next(p for p in registry_divisions() if p["code"] == province_code)
    district = next(d for d in province["districts"] if d["code"] == district_code)
    return tuple(_build_unit_rows(province, district))


#: the columns of :func:`load_units`, also of a district without units (Hoàng Sa, Bạch Long Vĩ…)
UNIT_COLUMNS = ("unit_code", "name", "unit_type", "unit_type_label", "district_code", "district_name",
                "province_code", "province_name", "region_code", "region_name")


def _build_unit_rows(province: dict, district: dict) -> list[dict]:
    # plain rows of the reference files (no pandas: ``nrlib status`` reads the registry without it)
    pcode = f"{province['code']:02d}"
    label = {r["unit_type"]: r["label"] for r in read_csv_rows(str(reference_file("unit_types")))}
    region = next((r for r in read_csv_rows(str(reference_file("regions"))) if r["province_code"] == pcode), None)
    rows = []
    for w in district["wards"]:
        utype = _type_from_name(w["name"])
        rows.append({
            "unit_code": f"{w['code']:05d}", "name": w["name"], "unit_type": utype, "unit_type_label": label[utype],
            "district_code": f"{district['code']:03d}", "district_name": district["name"],
            "province_code": pcode, "province_name": province["name"],
            "region_code": None if region is None else region["region_code"],
            "region_name": None if region is None else region["region_name"],
        })
    return rows


def _normalise_code(code: int | str, width: int, what: str) -> str:
    s = str(code).strip()
    if not s.isdigit():
        raise UnknownDistrictError(f"mã {what} không hợp lệ: {code!r} (cần một số) / invalid {what} code {code!r}: expected digits")
    return s.zfill(width)


def load_units(district_code: int | str) -> pd.DataFrame:
    """Commune-level units (xã, thị trấn, phường) of a district, from the GSO registry.

    Source: ``vietnam-provinces`` 0.6.0 (administrative divisions before the
    2025 reorganisation), with unit types taken from the names (the package
    calls every unit 'xã') and the region from ``regions.csv``.

    Parameters
    ----------
    district_code : int or str
        GSO district code, e.g. ``738`` or ``"738"`` (Thống Nhất, Đồng Nai).

    Returns
    -------
    pandas.DataFrame
        ``unit_code`` (5-digit str), ``name``, ``unit_type`` (``xa``,
        ``thi_tran``, ``phuong``: the type today; see :func:`unit_years` for
        the type in a given year), ``unit_type_label``, ``district_code``,
        ``district_name``, ``province_code``, ``province_name``,
        ``region_code``, ``region_name``; sorted by unit code.

    Raises
    ------
    UnknownDistrictError
        When no district has that code.
    """
    import pandas as pd

    return pd.DataFrame(unit_rows(district_code), columns=list(UNIT_COLUMNS))


def unit_rows(district_code: int | str) -> list[dict]:
    """:func:`load_units` as plain rows (a dict per unit, the keys :data:`UNIT_COLUMNS`), sorted by unit code.

    What the command line reads where pandas is not needed (``nrlib status``);
    the same rows, the same errors as :func:`load_units`.
    """
    code = int(_normalise_code(district_code, 3, "huyện/district"))
    if not registry_divisions.cache_info().currsize:          # the whole registry not read yet: read one province
        hit = _one_district(code)
        if hit is not None:
            return sorted(_build_unit_rows(*hit), key=lambda r: r["unit_code"])
    for p in registry_divisions():
        for d in p["districts"]:
            if d["code"] == code:
                return sorted(_unit_rows(p, d), key=lambda r: r["unit_code"])
    raise UnknownDistrictError(
        f"không tìm thấy huyện có mã {district_code} trong danh mục đơn vị hành chính / "
        f"no district with GSO code {district_code!r} in the unit registry (vietnam-provinces 0.6.0)")


def load_province_units(province_code: int | str) -> pd.DataFrame:
    """Every commune-level unit of a province (same columns as :func:`load_units`)."""
    import pandas as pd

    code = int(_normalise_code(province_code, 2, "tỉnh/province"))
    for p in registry_divisions():
        if p["code"] == code:
            rows = [r for d in p["districts"] for r in _unit_rows(p, d)]
            return pd.DataFrame(rows).sort_values("unit_code", ignore_index=True)
    raise UnknownDistrictError(
        f"không tìm thấy tỉnh có mã {province_code} / no province with GSO code {province_code!r}")


@functools.lru_cache(maxsize=1)
def _ward_index() -> dict[int, tuple[dict, dict]]:
    """ward code -> (province, district) records of the registry."""
    return {w["code"]: (p, d) for p in registry_divisions() for d in p["districts"] for w in d["wards"]}


@functools.lru_cache(maxsize=4096)
def _find_unit_cached(code: int) -> dict | None:
    hit = _ward_index().get(code)
    if hit is None:
        return None
    return next(r for r in _unit_rows(*hit) if r["unit_code"] == f"{code:05d}")


def find_unit(unit_code: int | str) -> dict:
    """One unit's registry row (as a dict) by its GSO code; raises :class:`UnknownUnitError`."""
    s = str(unit_code).strip()
    if s.isdigit() and s.isascii():
        row = _find_unit_cached(int(s))
        if row is not None:
            return dict(row)
    raise UnknownUnitError(f"không có đơn vị mã {unit_code!r} trong danh mục / no unit with GSO code {unit_code!r} in the registry")


def load_unit_history() -> pd.DataFrame:
    """Changes of units inside the period: ``unit_code, valid_from, valid_to, name, unit_type, note, source``."""
    import pandas as pd

    df = read_csv(str(reference_file("unit_history"))).copy()
    for col in ("valid_from", "valid_to"):
        df[col] = pd.to_datetime(df[col].replace("", None)).dt.date
    return df


def unit_years(units: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """Each unit's name and type in each year, with whether the NTM criteria apply.

    Method: a unit's type in a year is its type on 31 December of that year,
    from ``unit_history.csv`` where the unit has a record valid on that date,
    else the registry's. Thị trấn Dầu Giây (formed 01/07/2019) is therefore
    xã Xuân Thạnh for 2016-2018 and a town, outside the NTM criteria, from 2019.

    Returns
    -------
    pandas.DataFrame
        ``unit_code, year, name, unit_type, ntm_applies``.
    """
    import pandas as pd

    history = load_unit_history()
    types = unit_types().set_index("unit_type")
    cols = ["unit_code", "year", "name", "unit_type", "ntm_applies"]
    base = units[["unit_code", "name", "unit_type"]].merge(pd.DataFrame({"year": [int(y) for y in years]}), how="cross")
    if not history.empty and not base.empty:
        # the history record valid on 31 December of each year, where there is one
        h = history[history["unit_code"].isin(set(base["unit_code"]))]
        if not h.empty:
            pairs = base[["unit_code", "year"]].merge(h, on="unit_code")
            end = pd.to_datetime(pairs["year"].astype(str) + "-12-31").dt.date
            valid = (pairs["valid_from"].isna() | (pairs["valid_from"] <= end)) & \
                    (pairs["valid_to"].isna() | (end <= pairs["valid_to"]))
            hit = pairs[valid].drop_duplicates(["unit_code", "year"], keep="last")
            hit = hit[["unit_code", "year", "name", "unit_type"]].rename(columns={"name": "_n", "unit_type": "_t"})
            base = base.merge(hit, on=["unit_code", "year"], how="left")
            base["name"] = base["_n"].fillna(base["name"])
            base["unit_type"] = base["_t"].fillna(base["unit_type"])
            base = base.drop(columns=["_n", "_t"])
    base["ntm_applies"] = base["unit_type"].map(types["ntm_applies"]).astype(bool)
    return base[cols].reset_index(drop=True)
