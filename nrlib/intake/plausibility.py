"""Plausibility checks: warnings, never rejections.

A workbook that passes validation can still hold values worth a second
look. Three checks, each configured in the outline's ``checks``:

* **declared vs measured** (``declared_vs_measured``): a criterion declared
  "Đạt" while one of its indicators misses a known level. Levels are those
  that apply to the unit (:func:`nrlib.resolve_levels` for its district,
  province and region); indicators are the typed ChiTieu values or, for
  derived ones, rates computed from VanDong counts. A derived indicator with
  ``bound: lower`` below its level proves nothing and is skipped; years where
  the NTM criteria do not apply to the unit are skipped.
* **year over year** (``yoy_band``): a change from one year to the next
  beyond the relative band of that metric.
* **outliers** (``outlier_robust_z``): a value far from the other units of
  the district, already stored (the latest accepted versions). Values are
  first made comparable across communes of different sizes
  (:func:`comparable`: shares of their whole, or per household). The robust
  z-score is ``0.6745 (ln x - median) / MAD`` of the logarithms over the
  other units (at least ``outlier_min_units``, default 5): amounts are
  positive and skewed, and what matters is how many times larger or smaller
  a value is (an extra zero is ×10), not by how much. Zeros are left out (a
  year without a new house is ordinary). The MAD is floored at
  ``ln(1 + outlier_mad_floor)`` (default 0,5, i.e. 50 %): with five to ten
  communes the raw MAD is unstable and often tiny, and every ordinary
  difference would be called an outlier. At the floor a value is flagged
  when it is about 8 times above or below the median: an extra zero is,
  the ×2-×5 differences between real communes are not.

The outlier check depends on what is stored, so ingest runs it in order,
after validating files (possibly in parallel): :func:`check_outliers`.
"""

from __future__ import annotations

import warnings
import weakref

import numpy as np
import pandas as pd

from nrlib.core import labels
from nrlib.intake.schema import Schema, registry_unit
from nrlib.intake.validate import Result, Run
from nrlib.intake.sheets import show_number
from nrlib.core.vnformat import fmt_number

#: fewer peer units than this and the outlier check is skipped (outline ``checks.outlier_min_units``)
MIN_PEERS = 5
#: the MAD of the logarithms is floored at ln(1 + this) (outline ``checks.outlier_mad_floor``)
MAD_FLOOR = 0.5

_WHOLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _whole_of(schema: Schema) -> dict:
    """For the outlier check: the metric each metric is divided by (see :func:`comparable`), per schema."""
    if schema not in _WHOLES:
        _WHOLES[schema] = _wholes(schema.metrics)
    return _WHOLES[schema]


def _min_units(schema: Schema) -> int:
    return int(schema.outlier_min_units or MIN_PEERS)


def _mad_floor(schema: Schema) -> float:
    return float(MAD_FLOOR if schema.outlier_mad_floor is None else schema.outlier_mad_floor)


def _wholes(metrics: dict) -> dict:
    """For the outlier check: the metric each metric is divided by (see :func:`comparable`)."""
    parts = {c: (m.get("rules") or {}).get("le_metric") for c, m in metrics.items()}
    targets = [w for w in parts.values() if w]
    if not targets:
        return {}
    households = max(set(targets), key=targets.count)  # the whole most metrics refer to
    out = {}
    for code, whole in parts.items():
        if whole:
            out[code] = whole
        elif code not in targets:
            out[code] = households
    return out


def check_outliers(result: Result, schema: Schema, peers: Peers) -> Result:
    """Add ``W_OUTLIER`` warnings to a validated workbook's result (see :class:`Peers`).

    Separate from :func:`validate_workbook` because it depends on what is
    already stored: ingest validates workbooks in parallel, then checks
    outliers in order against the units accepted so far.
    """
    if result.unit_code is not None and registry_unit(result.unit_code) is not None:
        run = Run(None, schema)
        run.res = result
        _check_outliers(run, peers)
    return result


def _values_map(res: Result) -> dict:
    return {(v["data_element"], v["year"]): v["value"] for v in res.values if v["value"] is not None}


def check_declared_vs_measured(run: Run, unit: dict) -> None:
    """Warn where a criterion declared \u201cĐạt\u201d has an indicator that misses its known level."""
    s = run.s
    if not s.declared_vs_measured:
        return
    levels = s.levels_for(unit)
    if not levels:
        return
    applies = s.ntm_applies(unit)
    values = _values_map(run.res)
    reached_label = s.choice_labels["criterion_status"]["reached"]
    by_criterion: dict = {}
    for (code, year), lv in levels.items():
        no = s.indicator_info.get(code, {}).get("criterion_no")
        if no is not None:
            by_criterion.setdefault((int(no), year), []).append((code, lv))
    for st in run.res.criteria_status:
        if st["status"] != "reached" or not applies.get(st["year"], True):
            continue
        for code, (comparison, level) in by_criterion.get((st["criterion_no"], st["year"]), []):
            derived = s.derived.get(code)
            if derived:
                num = values.get((derived["numerator"], st["year"]))
                den = values.get((derived["denominator"], st["year"]))
                if num is None or not den:
                    continue
                value = num / den * float(derived.get("scale", 1))
            elif code in s.indicators:
                value = values.get((code, st["year"]))
                if value is None:
                    continue
            else:
                continue
            missed = (comparison == "≥" and value < level) or (comparison == "≤" and value > level)
            if not missed:
                continue
            if derived and derived.get("bound") == "lower" and comparison == "≥":
                continue  # a lower bound below the level proves nothing
            unit_text = s.indicator_info.get(code, {}).get("unit") or ""
            run.add("W_DECLARED_VS_MEASURED", "TieuChi", run.res.cells.get(("criterion", st["criterion_no"],
                                                                            st["year"]), ""),
                    criterion_no=st["criterion_no"], year=st["year"], declared=reached_label,
                    indicator_code=code, value=fmt_number(value, 2, trim=True),
                    unit=(" " + unit_text) if unit_text and unit_text != "%" else (" %" if unit_text == "%" else ""),
                    comparison=comparison, level=fmt_number(level, 2, trim=True),
                    bound_note=labels.DERIVED_BOUND_NOTE if derived else "")


def _split(cell: str) -> tuple[str, str]:
    sheet, _, ref = cell.partition("!")
    return sheet, ref


def _label(s: Schema, code: str) -> str:
    if code in s.metrics:
        return f"{code} ({s.metrics[code]['label']})"
    return f"chỉ tiêu {code}"


def check_yoy(run: Run) -> None:
    """Warn where a value changes from one year to the next beyond its ``yoy_band``."""
    s = run.s
    values = _values_map(run.res)
    codes = set(s.yoy_band) | (set(s.metrics) | set(s.indicators) if s.yoy_default is not None else set())
    for code in sorted(codes):
        band = s.yoy_band.get(code, s.yoy_default)
        if band is None:
            continue
        for prev_y, y in zip(s.years, s.years[1:]):
            prev, v = values.get((code, prev_y)), values.get((code, y))
            if prev is None or v is None or prev <= 0:
                continue
            change = (v - prev) / prev
            if abs(change) > float(band):
                sheet, ref = _split(run.res.cells.get((code, y), ""))
                run.add("W_YOY_JUMP", sheet, ref, v, what=_label(s, code), year=y, prev_year=prev_y,
                        change=("+" if change > 0 else "") + fmt_number(100 * change, 1, trim=True) + " %",
                        prev=show_number(prev), value=show_number(v), band=fmt_number(100 * float(band), 0) + " %")


def comparable(values: dict, schema: Schema) -> dict:
    """Values made comparable across units of different sizes, for the outlier check.

    Method: a metric with a ``le_metric`` rule (a part of a whole) becomes a
    share of that whole in the same year (poor households / households,
    cultural hamlets / hamlets); any other VanDong metric except the size
    metrics themselves (the wholes: households, hamlets) is counted per
    household — the whole most metrics refer to — as the outline's
    ``checks`` comment asks; size metrics and ChiTieu indicators (already
    rates) are kept as they are. ``values`` and the result map
    ``(data_element, year)`` to a number; blanks and zero wholes are dropped.
    """
    out = {}
    wholes = _whole_of(schema)
    for (code, year), v in values.items():
        if v is None or v != v:
            continue
        whole = wholes.get(code)
        if whole:
            w = values.get((whole, year))
            if not w or w != w:
                continue
            v = v / w
        out[(code, year)] = v
    return out


class Peers:
    """Other units' latest accepted values, indexed for the outlier check.

    Each unit is one row of comparable values (:func:`comparable`) over the
    outline's data elements and years, so the medians and MADs of all cells
    are computed at once (numpy) rather than cell by cell. Ingest builds one
    per district from the store and updates it as workbooks are accepted.
    """

    def __init__(self, schema: Schema):
        self.schema = schema
        self.keys = [(code, y) for code in [*schema.metrics, *schema.indicators] for y in schema.years]
        self.index = {k: i for i, k in enumerate(self.keys)}
        self._pos: dict[str, int] = {}
        self._m = np.empty((16, len(self.keys)))

    @classmethod
    def from_frame(cls, values: pd.DataFrame, schema: Schema) -> "Peers":
        """From ``unit_code, year, data_element, value`` rows."""
        peers = cls(schema)
        for code, g in values.groupby("unit_code"):
            peers.set_unit(code, dict(zip(zip(g["data_element"], g["year"].astype(int)), g["value"])))
        return peers

    @property
    def units(self) -> set:
        return set(self._pos)

    def vector(self, values: dict) -> np.ndarray:
        """Comparable values of one unit (``{(data_element, year): value}``) as a row."""
        row = np.full(len(self.keys), np.nan)
        for k, x in comparable(values, self.schema).items():
            i = self.index.get(k)
            if i is not None:
                row[i] = x
        return row

    def set_unit(self, unit_code: str, values: dict) -> None:
        """Replace a unit's values (``{(data_element, year): value}``)."""
        i = self._pos.get(unit_code)
        if i is None:
            i = self._pos[unit_code] = len(self._pos)
            if i >= len(self._m):
                self._m = np.vstack([self._m, np.empty_like(self._m)])
        self._m[i] = self.vector(values)

    def matrix(self, exclude: str | None = None) -> np.ndarray:
        """One row per unit (except ``exclude``), one column per ``keys`` item."""
        m = self._m[:len(self._pos)]
        i = self._pos.get(exclude)
        return m if i is None else np.delete(m, i, axis=0)


def _column_medians(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median of each column ignoring NaN, and the count of non-NaN values (NaN median when none).

    Sorting once puts NaN last in every column, so the median sits at
    positions ``(n-1)//2`` and ``n//2`` — much faster than ``np.nanmedian``.
    """
    n = np.sum(~np.isnan(m), axis=0)
    if m.shape[0] == 0:
        return np.full(m.shape[1], np.nan), n
    srt = np.sort(m, axis=0)
    cols = np.arange(m.shape[1])
    last = m.shape[0] - 1
    lo = srt[np.clip((n - 1) // 2, 0, last), cols]
    hi = srt[np.clip(n // 2, 0, last), cols]
    med = np.where(n % 2 == 1, lo, (lo + hi) / 2)
    return np.where(n > 0, med, np.nan), n


def _check_outliers(run: Run, peers: Peers) -> None:
    s = run.s
    z_max = s.outlier_z
    code = run.res.unit_code
    n_min = _min_units(s)
    if z_max is None:
        return
    m = peers.matrix(exclude=code)
    if m.shape[0] < n_min:
        return
    values = _values_map(run.res)
    x = peers.vector(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # log of 0, columns without peers: NaN, never flagged
        lm, lx = np.log(np.where(m > 0, m, np.nan)), np.log(np.where(x > 0, x, np.nan))
        lmed, n = _column_medians(lm)
        lmad = np.maximum(_column_medians(np.abs(lm - lmed))[0], np.log1p(_mad_floor(s)))
        z = 0.6745 * (lx - lmed) / lmad
    med = _column_medians(m)[0]
    flagged = np.flatnonzero((n >= n_min) & ~np.isnan(z) & (np.abs(np.nan_to_num(z)) > float(z_max)))
    for i in flagged:
        element, year = peers.keys[i]
        whole = _whole_of(s).get(element)
        if whole and (s.metrics[element].get("rules") or {}).get("le_metric"):
            shown, med_shown, per = 100 * x[i], 100 * med[i], f" % của {whole}"
        elif whole:
            shown, med_shown = 1000 * x[i], 1000 * med[i]
            per = f" {s.metrics[element]['unit']} / 1.000 {s.metrics[whole]['unit']}"
        else:
            shown, med_shown = x[i], med[i]
            unit = (s.metrics.get(element) or {}).get("unit") or s.indicator_info.get(element, {}).get("unit")
            per = f" {unit}" if unit else ""
        sheet, ref = _split(run.res.cells.get((element, year), ""))
        run.add("W_OUTLIER", sheet, ref, values[(element, year)], what=_label(s, element), year=year,
                value=fmt_number(float(shown), 2, trim=True), per=per,
                median=fmt_number(float(med_shown), 2, trim=True), n=int(n[i]), z=fmt_number(float(z[i]), 1, trim=True))
