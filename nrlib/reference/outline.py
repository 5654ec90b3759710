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
        """VanDong metrics: ``code, label, unit, kind, integer, ge, gt, le_metric, per_household``
        (``per_household``: a value per household means something — money, land, working days — so reports
        may show it; the outline marks them)."""
        import pandas as pd

        rows = []
        for m in self.sheet("VanDong")["metrics"]:
            r = m.get("rules", {})
            rows.append({"code": m["code"], "label": m["label"], "unit": m["unit"], "kind": m["kind"],
                         "integer": bool(r.get("integer", False)), "ge": r.get("ge"), "gt": r.get("gt"),
                         "le_metric": r.get("le_metric"), "per_household": bool(m.get("per_household", False))})
        return pd.DataFrame(rows)

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
    path = Path(path) if path else reference_file("outline")
    raw = _load_yaml(str(path))
    outline = Outline(raw=raw, path=path)
    _check_outline(outline)
    return outline


def outline_deadline(path: str | Path | None = None) -> dt.date:
    """The outline's submission deadline (:attr:`Outline.deadline`), read from the same file as :func:`load_outline`
    and with the same error when it cannot be read, but without the consistency checks against the criteria set
    (they need pandas): what ``nrlib status`` shows needs nothing else of the outline."""
    path = Path(path) if path else reference_file("outline")
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
