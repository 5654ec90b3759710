"""The outline compiled for validation, and the look-ups of units it needs.

:func:`compile_schema` turns the outline (``outline_*.yaml``, see
:func:`nrlib.reference.load_outline`) into a :class:`Schema`: look-up tables
keyed by :func:`nrlib.core.textmatch.match_key` for sheet names, column labels, row
codes and choices; the rules of each sheet, row and column; and the settings
of the plausibility checks (``checks``). It is built once per run and passed
to every :func:`nrlib.intake.validate.validate_workbook` call (ingest's worker
processes inherit it).

Method: what depends on the unit is computed on first use and kept for the
process, as the reference data it comes from does not change during a run.
:func:`registry_unit` loads the registry rows of a unit's whole district at
once (:func:`nrlib.reference.load_units`); :meth:`Schema.ntm_applies` computes
the years the NTM criteria apply to every unit of a district at once
(:func:`nrlib.reference.unit_years`); :meth:`Schema.levels_for` resolves the
levels of a district, province and region once
(:func:`nrlib.reference.resolve_levels`); :func:`cached_match_key` keeps the
match keys of the texts that recur in every workbook (labels, codes, choices).
"""

from __future__ import annotations

import functools

import pandas as pd

from nrlib import config
from nrlib.core.checks import OutlierRule
from nrlib.core.textmatch import build_lookup, match_key
from nrlib.exceptions import UnknownUnitError
from nrlib.reference import (
    Outline,
    find_unit,
    load_criteria,
    load_outline,
    load_outlines,
    load_unit_history,
    load_units,
    resolve_levels,
    unit_types,
    unit_years,
)
from nrlib.reference.files import reference_file
from nrlib.reference.outline import same_version
from nrlib.reference.urban import load_urban_criteria


class Schema:
    """The outline compiled for validation: lookups by match key, rules per row.

    Build it once per run (:func:`compile_schema`) and pass it to every
    :func:`nrlib.intake.validate.validate_workbook` call.
    """

    def __init__(self, outline: Outline):
        self.outline = outline
        self.years = outline.years
        raw = outline.raw
        self.sheets = {s["name"]: s for s in raw["sheets"]}
        self.sheet_lookup = build_lookup(list(self.sheets))
        self.instructions_sheet = (raw.get("instructions") or {}).get("sheet")
        # a choice is known by its label, an earlier version's label (aliases) or its value
        self.choice_lookup = {name: build_lookup(outline.choice_texts(name)) for name in raw["choices"]}
        self.choice_labels = {name: {c["value"]: c["label"] for c in items} for name, items in raw["choices"].items()}
        self.choice_items = {name: {c["value"]: c for c in items} for name, items in raw["choices"].items()}
        criteria = load_criteria()
        self.criteria = criteria
        self.criterion_names = (criteria.drop_duplicates("criterion_no").set_index("criterion_no")["criterion_name"]
                                .to_dict())
        #: every metric, typed or computed: what the checks compare
        self.metrics = {m["code"]: m for m in self.sheets["VanDong"]["metrics"]}
        #: the metrics a workbook has a row for, and those nrlib adds up from them (``sum_of``)
        self.typed_metrics = {c: self.metrics[c] for c in outline.typed_metric_codes}
        self.computed_metrics = outline.computed_metrics
        self.indicators = {str(r["indicator_code"]): dict(r) for r in self.sheets["ChiTieu"]["rows"]}
        self.indicator_info = criteria.set_index("indicator_code")[["indicator_name", "unit", "comparison",
                                                                     "criterion_no"]].to_dict("index")
        self.derived = {str(d["indicator_code"]): dict(d) for d in self.sheets["ChiTieu"].get("derived", [])}
        self.fields = {f["key"]: f for f in self.sheets["ThongTin"]["fields"]}
        #: the urban standard's criteria (code → name), for an outline with a sheet where towns declare them
        self.urban_sheet = outline.urban_sheet
        self.urban_criteria = {}
        if self.urban_sheet:
            crit = load_urban_criteria().drop_duplicates("criterion_code").sort_values("criterion_no")
            self.urban_criteria = dict(zip(crit["criterion_code"], crit["criterion_name"]))
        #: sheets only a unit with a year under the urban standard has (``only_for: urban_years``)
        self.urban_only = {s["name"] for s in raw["sheets"] if s.get("only_for") == "urban_years"}
        #: DanhGia sections by code (what is stored); the workbook shows each one's ``number``
        self.sections = {s["code"]: s for s in outline.sections}
        self.stock_flows = list(outline.checks.get("stock_flows") or [])
        self.proposal_subject_kind = bool(outline.checks.get("proposal_subject_kind", False))
        checks = outline.checks
        self.outlier_rule = OutlierRule.from_checks(checks)
        self.comparison_basis = outline.comparison_basis
        self._display = {code: outline.comparison_display(code, self.indicator_info.get(code, {}).get("unit"))
                         for code in self.comparison_basis}
        self.declared_vs_measured = bool(checks.get("declared_vs_measured", True))
        self.sample_key = match_key(outline.sample_marker)
        self._levels: dict = {}
        self._headers: dict = {}
        self._rows: dict = {}

    def prepare_units(self, codes) -> None:
        """Load the registry rows, unit years and levels of these units now (ingest does it before
        starting worker processes, which then inherit them instead of each loading them again)."""
        for code in codes:
            unit = registry_unit(str(code).strip().zfill(5)) if str(code).strip().isdigit() else None
            if unit is not None:
                self.ntm_applies(unit)
                self.levels_for(unit)

    def comparison_display(self, code: str) -> tuple[float, str]:
        """How a comparable value of ``code`` is shown in messages (:meth:`Outline.comparison_display`)."""
        return self._display[code]

    def reads_sheet(self, name: str) -> bool:
        """Whether a workbook sheet of this name is one of the outline's (and must be parsed)."""
        return cached_match_key(name) in self.sheet_lookup

    def header_lookup(self, spec: dict) -> dict:
        """Match key of each column label of a sheet → column key (cached)."""
        name = spec["name"]
        if name not in self._headers:
            self._headers[name] = build_lookup({c["label"]: c["key"] for c in spec["columns"] if c.get("label")})
        return self._headers[name]

    def row_lookup(self, name: str, codes) -> dict:
        """Match key of each row code of a sheet → canonical code (cached)."""
        if name not in self._rows:
            self._rows[name] = build_lookup(codes)
        return self._rows[name]

    def levels_for(self, unit: dict) -> dict:
        """``{(indicator_code, year): (comparison, level)}`` for a unit's district, province, region."""
        scopes = tuple(s for s in (unit.get("district_code"), unit.get("province_code"), unit.get("region_code")) if s)
        if scopes not in self._levels:
            key = (scopes, tuple(self.years), *_levels_files())
            if key not in _LEVELS:     # kept for the process, as the registry is: every outline's schema shares it
                lv = resolve_levels(list(scopes), self.years)
                _LEVELS[key] = {(r.indicator_code, int(r.year)): (r.comparison, float(r.level))
                                for r in lv.itertuples()}
            self._levels[scopes] = _LEVELS[key]
        return self._levels[scopes]

    def names_unit(self, typed: str, unit: dict) -> bool:
        """Whether ``typed`` names the unit: its registry name or a former one (``unit_history.csv``), with or
        without the type (``Xã``, ``Thị trấn``), whatever the case, spacing and diacritics."""
        key = cached_match_key(typed)
        return key in _unit_name_keys(unit["unit_code"], unit["name"])

    def ntm_applies(self, unit: dict) -> dict:
        """``{year: bool}``: whether the NTM criteria apply to the unit that year (see :func:`_ntm_applies`)."""
        return _ntm_applies(unit["unit_code"], unit["district_code"], tuple(self.years))


def compile_schema(outline: Outline | None = None) -> Schema:
    """Compile the outline (default: the reference one) for :func:`nrlib.intake.validate.validate_workbook`."""
    return Schema(outline or load_outline())


class Schemas:
    """Every outline a received workbook may follow, compiled: the workbook's ThongTin says which
    (``Phiên bản đề cương``) and it is validated against that one (:func:`nrlib.intake.validate.validate_workbook`).

    ``default`` is the newest (the one new templates follow): what the checks across units compare (a unit's
    values against the other units', whatever version each sent) and what a workbook naming no known
    version is read with.
    """

    def __init__(self, outlines: dict[str, Outline]):
        self.by_version = {v: Schema(o) for v, o in outlines.items()}
        self.default = self.by_version[next(reversed(self.by_version))]

    @property
    def versions(self) -> list[str]:
        return list(self.by_version)

    def get(self, version: str | None) -> Schema | None:
        """The schema of the version a workbook states (``"2.0"``, or ``"2"``: the same number), or None."""
        if version is None:
            return None
        return next((s for v, s in self.by_version.items() if same_version(v, version)), None)

    def nearest(self, version) -> Schema | None:
        """The schema whose version is nearest by number to one nrlib does not ship (None if not a number)."""
        try:
            x = float(str(version).strip())
        except (TypeError, ValueError):
            return None
        numbered = []
        for v, s in self.by_version.items():
            try:
                numbered.append((abs(float(v) - x), -float(v), s))
            except ValueError:
                continue
        return min(numbered, key=lambda t: t[:2])[2] if numbered else None

    def reads_sheet(self, name: str) -> bool:
        """Whether a workbook sheet of this name is one of any outline's (and must be parsed)."""
        return any(s.reads_sheet(name) for s in self.by_version.values())

    def prepare_units(self, codes) -> None:
        """:meth:`Schema.prepare_units` for every version (the registry rows are shared; the levels are per years)."""
        for s in self.by_version.values():
            s.prepare_units(codes)


def compile_schemas() -> Schemas:
    """Compile every shipped outline (:func:`nrlib.reference.outline.load_outlines`) for ingest."""
    return Schemas(load_outlines())


_UNITS: dict[str, dict | None] = {}
#: :meth:`Schema.levels_for` of each (scopes, years, levels files as they were)
_LEVELS: dict[tuple, dict] = {}


def _levels_files() -> tuple:
    """What the levels are read from (:func:`nrlib.reference.criteria.load_criteria_levels`), with the files'
    modification times: a level edited between two ingests of one process (a notebook) is read again."""
    out = []
    for path in (reference_file("levels"), config.local_levels_path()):
        try:
            out += [str(path), path.stat().st_mtime_ns] if path is not None else [None, None]
        except OSError:
            out += [str(path), None]
    return tuple(out)


@functools.lru_cache(maxsize=64)
def _district_units(district_code: str) -> pd.DataFrame:
    return load_units(district_code)


def registry_unit(code: str) -> dict | None:
    """Registry row of a unit code (None if unknown); a district's units are loaded together."""
    if code not in _UNITS:
        try:
            row = find_unit(code)
        except UnknownUnitError:
            _UNITS[code] = None
            return None
        for r in _district_units(row["district_code"]).to_dict("records"):
            _UNITS.setdefault(r["unit_code"], r)
        _UNITS.setdefault(code, row)
    return _UNITS[code]


_NTM: dict[tuple, dict] = {}


def _ntm_applies(unit_code: str, district_code: str, years: tuple) -> dict:
    """Per year, whether the NTM criteria apply to a unit; computed for its whole district at once
    (:func:`nrlib.unit_years`) and kept for the process, as the registry and unit history are."""
    if (unit_code, years) not in _NTM:
        units = _district_units(district_code)
        if unit_code not in set(units["unit_code"]):
            units = pd.DataFrame([registry_unit(unit_code)])
        uy = unit_years(units, list(years))
        for u, g in uy.groupby("unit_code"):
            _NTM[(u, years)] = dict(zip(g["year"].astype(int), g["ntm_applies"].astype(bool)))
    return _NTM[(unit_code, years)]


@functools.lru_cache(maxsize=1)
def _history_names() -> dict[str, tuple[str, ...]]:
    """The names each unit went by in ``unit_history.csv``, read once per process (not once per unit)."""
    history = load_unit_history()
    return {str(u): tuple(g) for u, g in history.groupby("unit_code")["name"]}


@functools.lru_cache(maxsize=4)
def _type_prefixes(types_path: str) -> tuple[str, ...]:
    """The unit types' name prefixes, longest first, read once per types file (not once per unit)."""
    return tuple(sorted(unit_types()["name_prefix"], key=len, reverse=True))


def _unit_name_keys(unit_code: str, name: str) -> frozenset:
    """Match keys of the names a unit goes by (the registry's and the history's), with and without their type."""
    return _name_keys(unit_code, name, _type_prefixes(str(reference_file("unit_types"))))


@functools.lru_cache(maxsize=4096)
def _name_keys(unit_code: str, name: str, prefixes: tuple[str, ...]) -> frozenset:
    names = {name, *_history_names().get(unit_code, ())}
    keys = set()
    for n in names:
        keys.add(match_key(n))
        for p in prefixes:
            if n.startswith(p + " "):
                keys.add(match_key(n[len(p) + 1:]))
                break
    return frozenset(keys)


@functools.lru_cache(maxsize=65536)
def cached_match_key(text: str) -> str:
    """:func:`nrlib.core.textmatch.match_key` of a text, kept: the same labels, codes and choices recur in every workbook."""
    return match_key(text)
