"""Reference data: the criteria set, the submission outline and the unit registry.

Everything here is read from files under ``data/reference`` (see
:func:`nrlib.config.reference_dir`); nothing of the domain is written in code.
Results are cached per file path, and callers get copies they may modify.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from nrlib import config
from nrlib.exceptions import ReferenceDataError, UnknownDistrictError, UnknownUnitError

CRITERIA_FILE = "criteria_2016_2020.csv"
LEVELS_FILE = "criteria_levels.csv"
OUTLINE_FILE = "outline_2016_2020.yaml"
REGIONS_FILE = "regions.csv"
UNIT_HISTORY_FILE = "unit_history.csv"
UNIT_TYPES_FILE = "unit_types.csv"

#: columns of the levels table, in the reference file and in a local override
LEVEL_COLUMNS = ["indicator_code", "scope", "year", "comparison", "level", "level_text", "note", "source", "confidence"]


def _ref(name: str) -> Path:
    path = config.reference_dir() / name
    if not path.exists():
        raise ReferenceDataError(f"reference file not found: {path}")
    return path


@functools.lru_cache(maxsize=16)
def _read_csv(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


# --------------------------------------------------------------------------- criteria


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
    df = _read_csv(str(_ref(CRITERIA_FILE))).copy()
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
    ref = _read_csv(str(_ref(LEVELS_FILE))).copy()
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
    """The numeric level that applies to each quantitative indicator and year.

    Method: for each indicator and year, take the row of the most specific
    scope in ``scopes`` (ordered most specific first, e.g. ``[district_code,
    province_code, region_code]``) whose year equals that year, else whose
    year is blank. The national column is not used unless ``"national"`` is
    listed: QĐ 1980 differentiates many levels by region, and a national
    level applied to a region would be a guess.

    Returns
    -------
    pandas.DataFrame
        ``indicator_code``, ``year``, ``comparison``, ``level`` (float),
        ``scope``, ``confidence``, ``source``, ``origin``, ``note``; only
        rows with a numeric level.
    """
    levels = load_criteria_levels(local_file)
    levels = levels[levels["level"].notna()]
    rank = {s: i for i, s in enumerate(scopes)}
    levels = levels[levels["scope"].isin(rank)]
    cols = ["indicator_code", "year", "comparison", "level", "scope", "confidence", "source", "origin", "note"]
    if levels.empty:
        return pd.DataFrame(columns=cols)
    # every candidate row paired with every year it covers: a blank year covers all
    grid = pd.DataFrame({"_year": [int(y) for y in years]})
    cand = levels.rename(columns={"year": "_row_year"}).merge(grid, how="cross")
    cand = cand[cand["_row_year"].isna() | (cand["_row_year"] == cand["_year"])].copy()
    # most specific scope first; within a scope, a year-specific row beats a blank year
    cand["_rank"] = cand["scope"].map(rank) * 2 + cand["_row_year"].isna().astype(int)
    best = cand.sort_values(["indicator_code", "_year", "_rank"]).drop_duplicates(["indicator_code", "_year"])
    best = best.rename(columns={"_year": "year"})
    best["level"] = best["level"].astype(float)
    return best[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- outline


@dataclass
class Outline:
    """The submission outline, as loaded from its YAML file.

    ``raw`` is the parsed YAML; the properties give the tables most callers need.
    """

    raw: dict[str, Any]
    path: Path
    _sheets: dict[str, dict] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sheets = {s["name"]: s for s in self.raw["sheets"]}

    @property
    def version(self) -> str:
        return str(self.raw["version"])

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.raw["years"]]

    @property
    def deadline(self) -> dt.date:
        d = self.raw["deadline"]
        return d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def sheet(self, name: str) -> dict:
        return self._sheets[name]

    def choices(self, list_name: str) -> list[dict]:
        """``[{'value': ..., 'label': ...}, ...]`` of a choice list."""
        return list(self.raw["choices"][list_name])

    def choice_label(self, list_name: str, value: str) -> str:
        return {c["value"]: c["label"] for c in self.choices(list_name)}[value]

    @property
    def metrics(self) -> pd.DataFrame:
        """VanDong metrics: ``code, label, unit, kind, integer, ge, gt, le_metric``."""
        rows = []
        for m in self.sheet("VanDong")["metrics"]:
            r = m.get("rules", {})
            rows.append({"code": m["code"], "label": m["label"], "unit": m["unit"], "kind": m["kind"],
                         "integer": bool(r.get("integer", False)), "ge": r.get("ge"), "gt": r.get("gt"),
                         "le_metric": r.get("le_metric")})
        return pd.DataFrame(rows)

    @property
    def rates(self) -> pd.DataFrame:
        """Rates recomputed from numerators and denominators: ``code, label, numerator, denominator, scale, unit``."""
        return pd.DataFrame(self.sheet("VanDong")["rates"])

    @property
    def typed_indicators(self) -> pd.DataFrame:
        """ChiTieu rows joined with the criteria set: indicators a unit types in."""
        rows = pd.DataFrame(self.sheet("ChiTieu")["rows"]).astype({"indicator_code": str})
        return rows.merge(load_criteria(), on="indicator_code", how="left", validate="1:1")

    @property
    def derived_indicators(self) -> pd.DataFrame:
        """Indicators computed from VanDong counts: ``indicator_code, numerator, denominator, scale``."""
        return pd.DataFrame(self.sheet("ChiTieu")["derived"]).astype({"indicator_code": str})

    @property
    def checks(self) -> dict:
        return dict(self.raw.get("checks", {}))

    @property
    def sample_marker(self) -> str:
        return str(self.raw.get("sample_marker", "DỮ LIỆU MẪU"))


def load_outline(path: str | Path | None = None) -> Outline:
    """Load the submission outline (sheets, rows, codes, labels, units, rules, choices).

    Parameters
    ----------
    path : str or Path, optional
        A YAML outline file; default ``data/reference/outline_2016_2020.yaml``.

    Returns
    -------
    Outline
        Checked for internal consistency: indicator codes exist in the
        criteria set, ``le_metric`` and rate codes name known metrics, choice
        lists referenced by columns exist.
    """
    path = Path(path) if path else _ref(OUTLINE_FILE)
    raw = _load_yaml(str(path))
    outline = Outline(raw=raw, path=path)
    _check_outline(outline)
    return outline


@functools.lru_cache(maxsize=8)
def _load_yaml_cached(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return config.load_yaml(fh)


def _load_yaml(path: str) -> dict:
    import copy

    try:
        return copy.deepcopy(_load_yaml_cached(path, Path(path).stat().st_mtime))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"cannot read outline {path}: {exc}") from exc


def _check_outline(outline: Outline) -> None:
    expected = {"ThongTin", "TieuChi", "ChiTieu", "VanDong", "KhenThuong", "DanhGia"}
    missing = expected - set(outline.sheet_names)
    if missing:
        raise ReferenceDataError(f"{outline.path}: sheets missing: {sorted(missing)}")
    criteria = load_criteria()
    known_ind = set(criteria["indicator_code"])
    for code in list(outline.typed_indicators["indicator_code"]) + list(outline.derived_indicators["indicator_code"]):
        if code not in known_ind:
            raise ReferenceDataError(f"{outline.path}: indicator {code!r} is not in the criteria set")
    metrics = outline.metrics
    codes = set(metrics["code"])
    if len(codes) != len(metrics):
        raise ReferenceDataError(f"{outline.path}: duplicated VanDong metric codes")
    refs = set(metrics["le_metric"].dropna())
    for df, cols in ((outline.rates, ("numerator", "denominator")), (outline.derived_indicators, ("numerator", "denominator"))):
        for c in cols:
            refs |= set(df[c])
    if refs - codes:
        raise ReferenceDataError(f"{outline.path}: rules name unknown metrics {sorted(refs - codes)}")
    for sheet in outline.raw["sheets"]:
        for col in sheet.get("columns", []):
            if "choices" in col and col["choices"] not in outline.raw["choices"]:
                raise ReferenceDataError(f"{outline.path}: {sheet['name']}: unknown choice list {col['choices']!r}")


# --------------------------------------------------------------------------- units


@functools.lru_cache(maxsize=1)
def _divisions() -> list[dict]:
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        return json.load(fh)


def _unit_types() -> pd.DataFrame:
    df = _read_csv(str(_ref(UNIT_TYPES_FILE))).copy()
    df["ntm_applies"] = df["ntm_applies"].str.lower() == "true"
    return df


@functools.lru_cache(maxsize=4)
def _type_prefixes(path: str) -> tuple[tuple[str, str], ...]:
    """(name prefix + space, unit_type), longest prefix first."""
    df = _read_csv(path)
    pairs = sorted(zip(df["name_prefix"], df["unit_type"]), key=lambda p: -len(p[0]))
    return tuple((prefix + " ", utype) for prefix, utype in pairs)


def _type_from_name(name: str) -> str:
    # vietnam-provinces 0.6.0 labels every ward-level unit 'xã'; the name's
    # prefix ("Thị trấn ...", "Phường ...") is the reliable source.
    for prefix, utype in _type_prefixes(str(_ref(UNIT_TYPES_FILE))):
        if name.startswith(prefix):
            return utype
    raise ReferenceDataError(f"unit {name!r}: type not recognised from its name")


def _regions() -> pd.DataFrame:
    return _read_csv(str(_ref(REGIONS_FILE)))


def _unit_rows(province: dict, district: dict) -> list[dict]:
    return [dict(r) for r in _unit_rows_cached(province["code"], district["code"])]


@functools.lru_cache(maxsize=1024)
def _unit_rows_cached(province_code: int, district_code: int) -> tuple[dict, ...]:
    province = next(p for p in _divisions() if p["code"] == province_code)
    district = next(d for d in province["districts"] if d["code"] == district_code)
    return tuple(_build_unit_rows(province, district))


def _build_unit_rows(province: dict, district: dict) -> list[dict]:
    types = _unit_types()
    regions = _regions().set_index("province_code")
    pcode = f"{province['code']:02d}"
    region = regions.loc[pcode] if pcode in regions.index else None
    label = dict(zip(types["unit_type"], types["label"]))
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
    code = int(_normalise_code(district_code, 3, "huyện/district"))
    for p in _divisions():
        for d in p["districts"]:
            if d["code"] == code:
                return pd.DataFrame(_unit_rows(p, d)).sort_values("unit_code", ignore_index=True)
    raise UnknownDistrictError(
        f"không tìm thấy huyện có mã {district_code} trong danh mục đơn vị hành chính / "
        f"no district with GSO code {district_code!r} in the unit registry (vietnam-provinces 0.6.0)")


def load_province_units(province_code: int | str) -> pd.DataFrame:
    """Every commune-level unit of a province (same columns as :func:`load_units`)."""
    code = int(_normalise_code(province_code, 2, "tỉnh/province"))
    for p in _divisions():
        if p["code"] == code:
            rows = [r for d in p["districts"] for r in _unit_rows(p, d)]
            return pd.DataFrame(rows).sort_values("unit_code", ignore_index=True)
    raise UnknownDistrictError(
        f"không tìm thấy tỉnh có mã {province_code} / no province with GSO code {province_code!r}")


@functools.lru_cache(maxsize=1)
def _ward_index() -> dict[int, tuple[dict, dict]]:
    """ward code -> (province, district) records of the registry."""
    return {w["code"]: (p, d) for p in _divisions() for d in p["districts"] for w in d["wards"]}


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
    df = _read_csv(str(_ref(UNIT_HISTORY_FILE))).copy()
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
    history = load_unit_history()
    types = _unit_types().set_index("unit_type")
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
