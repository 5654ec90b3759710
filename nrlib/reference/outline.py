"""The submission outline: sheets, rows, codes, labels, units, rules, choices and checks, from its YAML file.

pandas (and the criteria set) are imported by the tables that need them, not with this module, so the
command line reads the deadline (:func:`outline_deadline`) without them.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nrlib import config
from nrlib.core import labels
from nrlib.core.vnformat import unit_suffix
from nrlib.exceptions import ReferenceDataError
from nrlib.reference.files import reference_file

if TYPE_CHECKING:
    import pandas as pd

#: the unit words of an outline read for units of several types (a district's)
MIXED = "mixed"
#: the ``rows_from`` of a ``criteria_grid`` sheet: the new-rural criteria (TieuChi) or the urban standard's
ROWS_FROM_CRITERIA = "criteria"
ROWS_FROM_URBAN = "urban_criteria"
#: a sheet's ``only_for``: the sheet is in the workbook of a unit with a year under the urban standard only
ONLY_FOR = ("urban_years",)
#: the types a key / value field may have
FIELD_TYPES = ("code", "text", "integer", "number", "date", "choice")


@dataclass
class Outline:
    """The submission outline, as loaded from its YAML file.

    ``raw`` is the parsed YAML; the properties give the tables most callers need.
    """

    raw: dict[str, Any]
    path: Path
    #: the parsed YAML before its unit words (``{hamlet}``) were filled; None: ``raw`` has none to fill
    template: dict[str, Any] | None = field(default=None, repr=False)
    #: which words ``raw`` was filled with: a unit type (``xa``, ``thi_tran``) or ``mixed``
    words: str = MIXED
    _sheets: dict[str, dict] = field(init=False, repr=False)
    _worded: dict = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._sheets = {s["name"]: s for s in self.raw["sheets"]}

    def for_unit_types(self, unit_types) -> Outline:
        """The outline worded for units of these types (``unit_types.csv`` keys): ``{hamlet}`` is ``ấp`` for xã
        only, ``khu phố`` for thị trấn only, ``ấp, khu phố`` for a mixture (the ``unit_words`` of the outline).
        The same codes, rules and sheets; only the texts differ."""
        types = {str(t) for t in ([unit_types] if isinstance(unit_types, str) else unit_types) if t}
        hamlet = _unit_words(self.raw).get("hamlet") or {}
        key = next(iter(types)) if len(types) == 1 and next(iter(types)) in hamlet else MIXED
        if self.template is None or key == self.words:
            return self
        if key not in self._worded:
            self._worded[key] = Outline(raw=_fill_words(copy.deepcopy(self.template), key), path=self.path,
                                        template=self.template, words=key)
        return self._worded[key]

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

    @functools.cached_property
    def closed_days(self) -> set[dt.date]:
        """Days the offices were closed besides weekends (``closed_days``: the Tết break around the deadline)."""
        out: set[dt.date] = set()
        for span in self.raw.get("closed_days") or []:
            first, last = (d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))
                           for d in (span["from"], span.get("to", span["from"])))
            out |= {first + dt.timedelta(days=i) for i in range((last - first).days + 1)}
        return out

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Friday and not a :attr:`closed_days` day."""
        return day.weekday() < 5 and day not in self.closed_days

    def word(self, name: str, default: str = "") -> str:
        """A unit word (``hamlet``) as this outline is worded (:meth:`for_unit_types`); ``default`` where the outline
        has none (version 1 wrote "ấp, khu phố" in its labels)."""
        texts = _unit_words(self.raw).get(name)
        return str(texts.get(self.words, texts.get(MIXED, default))) if texts else default

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def sheet(self, name: str) -> dict:
        return self._sheets[name]

    def sheets_for(self, has_urban_years: bool) -> list[str]:
        """The sheets of a unit's workbook: every sheet, but one ``only_for: urban_years`` only when the unit has a
        year under the urban standard (a thị trấn, a phường; the years from ``unit_history.csv``)."""
        return [s["name"] for s in self.raw["sheets"] if has_urban_years or s.get("only_for") != "urban_years"]

    @property
    def urban_sheet(self) -> str | None:
        """The sheet where a town declares the urban standard's criteria (``rows_from: urban_criteria``), or None
        (version 1 has none)."""
        return next((s["name"] for s in self.raw["sheets"] if s.get("rows_from") == ROWS_FROM_URBAN), None)

    @property
    def fields(self) -> dict[str, dict]:
        """Every field of every key / value sheet (ThongTin, SoKet, TuCham) by key, each with its ``sheet``."""
        return {f["key"]: dict(f, sheet=s["name"]) for s in self.raw["sheets"] if s.get("layout") == "key_value"
                for f in s["fields"]}

    def choices(self, list_name: str) -> list[dict]:
        """``[{'value': ..., 'label': ...}, ...]`` of a choice list (an item may carry ``aliases``: earlier labels)."""
        return list(self.raw["choices"][list_name])

    def choice_label(self, list_name: str, value: str) -> str:
        return {c["value"]: c["label"] for c in self.choices(list_name)}[value]

    def choice_texts(self, list_name: str) -> dict[str, str]:
        """Every text that names a choice, ``{text: value}``: its label, its ``aliases`` (the labels of an earlier
        outline version: "Giấy khen của UBND huyện" is the Chủ tịch's Giấy khen) and its value."""
        out: dict[str, str] = {}
        for c in self.choices(list_name):
            for text in [c["label"], *(c.get("aliases") or []), c["value"]]:
                out.setdefault(str(text), c["value"])
        return out

    @property
    def sections(self) -> list[dict]:
        """DanhGia sections: ``code`` (the key stored and compiled across communes), ``number`` (what the
        workbook's Mục column shows; the code when the outline gives none) and ``title``."""
        return [dict(s, code=str(s["code"]), number=str(s.get("number", s["code"])))
                for s in self.sheet("DanhGia")["sections"]]

    @property
    def metrics(self) -> pd.DataFrame:
        """VanDong metrics: ``code, label, unit, kind, integer, ge, gt, le_metric, per_household``
        (``per_household``: a value per household means something — money, land, working days — so reports
        may show it; the outline marks them)."""
        import pandas as pd

        rows = []
        for m in self.sheet("VanDong")["metrics"]:
            r = m.get("rules", {})
            rows.append({"code": m["code"], "label": m["label"], "unit": m["unit"], "kind": m["kind"],
                         "integer": bool(r.get("integer", False)), "ge": r.get("ge"), "gt": r.get("gt"),
                         "le_metric": r.get("le_metric"), "per_household": bool(m.get("per_household", False)),
                         "computed": bool(m.get("sum_of"))})
        return pd.DataFrame(rows)

    @property
    def typed_metric_codes(self) -> list[str]:
        """The VanDong metrics a workbook of this outline has a row for (not the computed ones), in order."""
        return [m["code"] for m in self.sheet("VanDong")["metrics"] if not m.get("sum_of")]

    @property
    def computed_metrics(self) -> dict[str, list[str]]:
        """``{code: [part codes]}``: metrics nrlib computes as the sum of typed ones (``sum_of``), never typed."""
        return {m["code"]: list(m["sum_of"]) for m in self.sheet("VanDong")["metrics"] if m.get("sum_of")}

    @property
    def household_metric(self) -> str:
        """Code of the metric counting all households (``VanDong.household_metric``, VD11 in the 2016-2020 outline).

        The one denominator of every per-household value (the campaign's
        analyses, the outlier check at ingest and in the analysis, the
        ranking); :func:`load_outline` checks that it names a ``stock`` metric.
        """
        return str(self.sheet("VanDong")["household_metric"])

    @functools.cached_property
    def comparison_basis(self) -> dict[str, str | None]:
        """How each value is made comparable across units of different size, for the outlier check.

        ``{code: divisor code or None}`` for every VanDong metric and typed
        ChiTieu indicator. Method: a metric bounded by another (``le_metric``:
        poor households ≤ households, cultural hamlets ≤ hamlets) becomes a
        share of that whole in the same year; the household metric and the
        other wholes (the metrics some ``le_metric`` names: hamlets) are the
        units' sizes and are compared as they are; every other metric is
        counted per household (:attr:`household_metric`); typed indicators
        are rates or levels already and are compared as they are.
        """
        metrics = self.metrics
        wholes = set(metrics["le_metric"].dropna())
        hh = self.household_metric
        basis: dict[str, str | None] = {}
        for code, whole in zip(metrics["code"], metrics["le_metric"]):
            if isinstance(whole, str) and whole:
                basis[code] = whole
            elif code == hh or code in wholes:
                basis[code] = None
            else:
                basis[code] = hh
        for code in self.typed_indicators["indicator_code"]:
            basis[str(code)] = None
        return basis

    def element_label(self, code: str) -> str:
        """How messages name a data element: ``VD05 (Đường giao thông …)`` for a metric, ``chỉ tiêu 15.1`` else."""
        label = self._metric_labels.get(code)
        if label is not None:
            return labels.ELEMENT_LABELS["metric"].format(code=code, label=label)
        return labels.ELEMENT_LABELS["indicator"].format(code=code)

    @functools.cached_property
    def _metric_labels(self) -> dict[str, str]:
        return {m["code"]: m["label"] for m in self.sheet("VanDong")["metrics"]}

    def comparison_kind(self, code: str) -> str:
        """``raw``, ``per_household`` or ``share`` (of a ``le_metric`` whole): how :attr:`comparison_basis` makes
        ``code`` comparable."""
        divisor = self.comparison_basis.get(code)
        if divisor is None:
            return "raw"
        rules = next(m.get("rules") or {} for m in self.sheet("VanDong")["metrics"] if m["code"] == code)
        return "share" if rules.get("le_metric") == divisor else "per_household"

    def comparison_display(self, code: str, indicator_unit: str | None = None) -> tuple[float, str]:
        """``(factor, suffix)`` to show a comparable value (:attr:`comparison_basis`) to a reader.

        A share is shown in percent of its whole (``8,5% của VD11``), a count
        per household per 1.000 households (``12,3 km / 1.000 hộ``), other
        values in their unit (``indicator_unit`` for a typed indicator).
        """
        kind, divisor = self.comparison_kind(code), self.comparison_basis.get(code)
        units = {m["code"]: m["unit"] for m in self.sheet("VanDong")["metrics"]}
        if kind == "raw":
            unit = units.get(code, indicator_unit) or ""
            return 1.0, unit_suffix(unit)
        if kind == "per_household":
            return 1000.0, labels.COMPARISON_SUFFIX["per_household"].format(unit=units[code], whole_unit=units[divisor])
        return 100.0, labels.COMPARISON_SUFFIX["share"].format(whole=divisor)

    @property
    def rates(self) -> pd.DataFrame:
        """Rates recomputed from numerators and denominators: ``code, label, numerator, denominator, scale, unit``."""
        import pandas as pd

        return pd.DataFrame(self.sheet("VanDong")["rates"])

    @property
    def typed_indicators(self) -> pd.DataFrame:
        """ChiTieu rows joined with the criteria set: indicators a unit types in."""
        import pandas as pd

        from nrlib.reference.criteria import load_criteria

        rows = pd.DataFrame(self.sheet("ChiTieu")["rows"]).astype({"indicator_code": str})
        return rows.merge(load_criteria(), on="indicator_code", how="left", validate="1:1")

    @property
    def derived_indicators(self) -> pd.DataFrame:
        """Indicators computed from VanDong counts: ``indicator_code, numerator, denominator, scale``."""
        import pandas as pd

        return pd.DataFrame(self.sheet("ChiTieu")["derived"]).astype({"indicator_code": str})

    @property
    def checks(self) -> dict:
        return dict(self.raw.get("checks", {}))

    @property
    def sample_marker(self) -> str:
        return _sample_marker(self.raw)


def _sample_marker(raw: dict) -> str:
    return str(raw.get("sample_marker", "DỮ LIỆU MẪU"))


def sample_marker() -> str:
    """The review's outline's mark of sample data (:attr:`Outline.sample_marker`), read without checking the
    whole outline (and without pandas): what the reports' index needs of it."""
    return _sample_marker(_read_yaml(str(reference_file("outline"))))


def load_outline(path: str | Path | None = None, version: str | None = None) -> Outline:
    """Load the submission outline (sheets, rows, codes, labels, units, rules, choices).

    Parameters
    ----------
    path : str or Path, optional
        A YAML outline file; default the reference outline new templates follow (role ``outline``:
        ``data/reference/outline_2016_2020_v2.yaml``).
    version : str, optional
        Instead of ``path``: the shipped outline of this version (:func:`load_outlines`), e.g. ``"1.0"``.

    Returns
    -------
    Outline
        Checked for internal consistency: indicator codes exist in the
        criteria set, ``le_metric``, ``sum_of`` and rate codes name known metrics, choice
        lists referenced by columns exist, every ``source`` named is listed. Texts with unit words
        (``{hamlet}``) are worded for a mixture of unit types (:meth:`Outline.for_unit_types`).
    """
    if version is not None and path is None:
        outline = find_outline(version)
        if outline is None:
            raise ReferenceDataError(f"no shipped outline has version {version!r}; known: {sorted(load_outlines())}")
        return outline
    path = Path(path) if path else reference_file("outline")
    raw = _load_yaml(str(path))
    template = copy.deepcopy(raw) if raw.get("unit_words") else None
    outline = Outline(raw=_fill_words(raw, MIXED) if template else raw, path=path, template=template)
    _check_outline(outline)
    return outline


def load_outlines() -> dict[str, Outline]:
    """Every outline a received workbook may follow, ``{version: Outline}``, newest last.

    They are the review's reference files whose role starts with ``outline`` (:func:`nrlib.config.reference_roles`,
    from ``reviews.yaml``); the one of role ``outline`` is the newest, the one new templates follow and analyses use. Checked that versions
    differ and that the newest holds every metric code of the others (typed or computed): submissions of every
    version add up in the analyses, and what an older version lacks is missing, never zero.
    """
    paths = [config.reference_path(role) for role in config.reference_roles() if role.startswith("outline")]
    key = tuple((str(p), p.stat().st_mtime if p.exists() else 0.0) for p in paths)
    return dict(_outlines_cached(key))


@functools.lru_cache(maxsize=4)
def _outlines_cached(key: tuple) -> tuple:
    newest = load_outline(key[0][0])
    out: dict[str, Outline] = {}
    for path, _ in key[1:]:
        if Path(path).exists():
            o = load_outline(path)
            out[o.version] = o
    if newest.version in out:
        raise ReferenceDataError(f"{newest.path}: version {newest.version} is also {out[newest.version].path}'s")
    have = set(newest.metrics["code"])
    for o in out.values():
        lacking = sorted(set(o.metrics["code"]) - have)
        if lacking:
            raise ReferenceDataError(f"{newest.path}: lacks the metrics {lacking} of outline version {o.version} "
                                     f"({o.path}); keep them, typed or computed (sum_of)")
    out = dict(sorted(out.items(), key=lambda kv: _version_key(kv[0])))
    out[newest.version] = newest            # last: the one of role ``outline``, whatever its number
    return tuple(out.items())


def find_outline(version: str) -> Outline | None:
    """The shipped outline of a version as a workbook states it (``"2.0"``, or ``"2"``: the same number), or None."""
    outlines = load_outlines()
    return next((o for v, o in outlines.items() if same_version(v, version)), None)


def same_version(a, b) -> bool:
    """Whether two outline versions are the same: the same text, or the same number (``"2"`` is ``"2.0"``)."""
    a, b = str(a).strip(), str(b).strip()
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except ValueError:
        return False


def _version_key(v: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in str(v).split("."))


def _unit_words(raw: dict) -> dict[str, dict[str, str]]:
    """The outline's ``unit_words``, ``{word: {unit type or mixed: text}}``; a word given ``from: <column>`` takes
    its text per unit type from that column of ``unit_types.csv`` (``hamlet_label``: ấp, khu phố), the one place
    it is kept, and only its ``mixed`` text from the outline."""
    out = {}
    for name, texts in (raw.get("unit_words") or {}).items():
        texts = dict(texts)
        column = texts.pop("from", None)
        out[name] = {**_unit_type_column(column), **texts} if column else texts
    return out


@functools.lru_cache(maxsize=8)
def _unit_type_column(column: str) -> dict[str, str]:
    """``{unit_type: value}`` of one column of ``unit_types.csv`` (read without pandas: the outline loads at startup)."""
    import csv

    with open(reference_file("unit_types"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if rows and column not in rows[0]:
        raise ReferenceDataError(f"unit_types.csv has no column {column!r} (outline unit_words)")
    return {r["unit_type"]: r[column] for r in rows if r.get(column)}


def _fill_words(raw: dict, key: str) -> dict:
    """``raw`` with every ``{word}`` of ``unit_words`` replaced by its text for ``key`` (a unit type or ``mixed``)."""
    words = {name: texts.get(key, texts.get(MIXED, "")) for name, texts in _unit_words(raw).items()}

    def fill(x):
        if isinstance(x, str):
            for name, text in words.items():
                x = x.replace("{" + name + "}", text)
            return x
        if isinstance(x, list):
            return [fill(v) for v in x]
        if isinstance(x, dict):
            return {k: (v if k == "unit_words" else fill(v)) for k, v in x.items()}
        return x

    return fill(raw)


def outline_deadline(path: str | Path | None = None) -> dt.date:
    """The submission deadline: without ``path``, the review's (``reviews.yaml``; its outlines state the same,
    ``tests/test_reviews.py``), read without parsing the outline at all; with ``path``, that outline's
    (:attr:`Outline.deadline`, the same error as :func:`load_outline` when it cannot be read, without the checks
    against the criteria set, which need pandas). What ``nrlib status`` shows needs nothing else of the outline."""
    if path is None:
        from nrlib.reference.reviews import current_review

        return current_review().deadline
    path = Path(path)
    return Outline(raw=_read_yaml(str(path)), path=path).deadline


@functools.lru_cache(maxsize=8)
def _load_yaml_cached(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return config.load_yaml(fh)


def _read_yaml(path: str) -> dict:
    """The parsed outline, cached and shared: callers read it and never change it (:func:`_load_yaml` copies it)."""
    import yaml  # with the first outline read, not with this module

    try:
        return _load_yaml_cached(path, Path(path).stat().st_mtime)
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"cannot read outline {path}: {exc}") from exc


def _load_yaml(path: str) -> dict:
    return copy.deepcopy(_read_yaml(path))


def _check_outline(outline: Outline) -> None:
    expected = {"ThongTin", "TieuChi", "ChiTieu", "VanDong", "KhenThuong", "DanhGia"}
    missing = expected - set(outline.sheet_names)
    if missing:
        raise ReferenceDataError(f"{outline.path}: sheets missing: {sorted(missing)}")
    from nrlib.reference.criteria import load_criteria

    criteria = load_criteria()
    known_ind = set(criteria["indicator_code"])
    for code in list(outline.typed_indicators["indicator_code"]) + list(outline.derived_indicators["indicator_code"]):
        if code not in known_ind:
            raise ReferenceDataError(f"{outline.path}: indicator {code!r} is not in the criteria set")
    metrics = outline.metrics
    codes = set(metrics["code"])
    if len(codes) != len(metrics):
        raise ReferenceDataError(f"{outline.path}: duplicated VanDong metric codes")
    hh = outline.sheet("VanDong").get("household_metric")
    if hh is None or hh not in codes or metrics.set_index("code").loc[hh, "kind"] != "stock":
        raise ReferenceDataError(f"{outline.path}: VanDong.household_metric must name a stock metric of the sheet, "
                                 f"not {hh!r}")
    computed = outline.computed_metrics
    typed = set(outline.typed_metric_codes)
    for code, parts in computed.items():
        if not parts or set(parts) - typed:
            raise ReferenceDataError(f"{outline.path}: {code}: sum_of must name typed metrics, not {parts}")
    refs = set(metrics["le_metric"].dropna()) | {p for parts in computed.values() for p in parts}
    for df, cols in ((outline.rates, ("numerator", "denominator")), (outline.derived_indicators, ("numerator", "denominator"))):
        for c in cols:
            refs |= set(df[c])
    if refs - codes:
        raise ReferenceDataError(f"{outline.path}: rules name unknown metrics {sorted(refs - codes)}")
    for sheet in outline.raw["sheets"]:
        for col in [*sheet.get("columns", []), *sheet.get("fields", [])]:
            if "choices" in col and col["choices"] not in outline.raw["choices"]:
                raise ReferenceDataError(f"{outline.path}: {sheet['name']}: unknown choice list {col['choices']!r}")
    keys: list[str] = []
    for sheet in outline.raw["sheets"]:
        if sheet.get("only_for") is not None and sheet["only_for"] not in ONLY_FOR:
            raise ReferenceDataError(f"{outline.path}: {sheet['name']}: only_for {sheet['only_for']!r}; known: "
                                     f"{list(ONLY_FOR)}")
        if sheet.get("layout") == "criteria_grid" and sheet.get("rows_from", ROWS_FROM_CRITERIA) not in (
                ROWS_FROM_CRITERIA, ROWS_FROM_URBAN):
            raise ReferenceDataError(f"{outline.path}: {sheet['name']}: rows_from {sheet['rows_from']!r}")
        for f in sheet.get("fields", []) if sheet.get("layout") == "key_value" else []:
            keys.append(f["key"])
            if f.get("type", "text") not in FIELD_TYPES:
                raise ReferenceDataError(f"{outline.path}: {sheet['name']}.{f['key']}: type {f.get('type')!r}; "
                                         f"known: {list(FIELD_TYPES)}")
    if len(set(keys)) != len(keys):
        raise ReferenceDataError(f"{outline.path}: key / value fields must have keys unique across sheets")
    numbers = [s["number"] for s in outline.sections]
    if len(set(numbers)) != len(numbers) or len({s["code"] for s in outline.sections}) != len(numbers):
        raise ReferenceDataError(f"{outline.path}: DanhGia: section codes and numbers must each be unique")
    _check_sources(outline)


def _check_sources(outline: Outline) -> None:
    """Where an outline lists its ``sources``, every ``source`` a row names must be one of them."""
    sources = outline.raw.get("sources")
    if sources is None:
        return
    named: list[tuple[str, str]] = []

    def walk(x, where: str) -> None:
        if isinstance(x, dict):
            if "source" in x:
                named.append((where, str(x["source"])))
            for k, v in x.items():
                if k != "sources":
                    walk(v, f"{where}.{k}" if where else str(k))
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{where}[{i}]")

    walk(outline.raw, "")
    unknown = sorted({f"{where}: {s}" for where, s in named if s not in sources})
    if unknown:
        raise ReferenceDataError(f"{outline.path}: sources not listed in `sources`: {unknown[:5]}")
