"""Plausibility checks at ingest: warnings, never rejections.

A workbook that passes validation can still hold values worth a second
look. Three checks, each configured in the outline's ``checks`` and each the
same code as the analysis's (:mod:`nrlib.core.checks`), so the district report
flags exactly what ingest warned about:

* **declared vs measured** (``declared_vs_measured``): a criterion declared
  "Đạt" while one of its indicators misses a known level
  (:func:`nrlib.core.checks.meets_level`). Levels are those that apply to the
  unit (:func:`nrlib.reference.resolve_levels` for its district, province and
  region); indicators are the typed ChiTieu values or, for derived ones,
  rates computed from VanDong counts (:func:`nrlib.core.checks.derived_value`);
  years where the NTM criteria do not apply to the unit are skipped.
* **year over year** (``yoy_band``): a value against the unit's previous
  year that has one, beyond the band of that element
  (:func:`nrlib.core.checks.yoy_changes`).
* **outliers** (``outlier_robust_z``): a value far from the same cell of the
  other units of the district already stored (their latest accepted
  versions), made comparable across sizes by the outline's comparison basis
  (:func:`nrlib.core.checks.outlier_scores`). It depends on what is stored,
  so ingest runs it in order, after validating files (possibly in
  parallel): :func:`check_outliers` with a :class:`Peers`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nrlib.core import checks, labels
from nrlib.intake.result import Result, show_number
from nrlib.intake.schema import Schema, registry_unit


def _values_map(res: Result) -> dict:
    return {(v["data_element"], v["year"]): v["value"] for v in res.values if v["value"] is not None}


def _cell(res: Result, key) -> tuple[str, str]:
    sheet, _, ref = res.cells.get(key, "").partition("!")
    return sheet, ref


def check_declared_vs_measured(res: Result, schema: Schema, unit: dict) -> None:
    """Warn where a criterion declared “Đạt” has an indicator that misses its known level."""
    s = schema
    if not s.declared_vs_measured:
        return
    levels = s.levels_for(unit)
    if not levels:
        return
    applies = s.ntm_applies(unit)
    values = _values_map(res)
    reached_label = s.choice_labels["criterion_status"]["reached"]
    by_criterion: dict = {}
    for (code, year), lv in levels.items():
        no = s.indicator_info.get(code, {}).get("criterion_no")
        if no is not None:
            by_criterion.setdefault((int(no), year), []).append((code, lv))
    # every indicator of every criterion declared reached, then one call of each rule over them all
    todo, num, den, scale = [], [], [], []
    for st in res.criteria_status:
        if st["status"] != "reached" or not applies.get(st["year"], True):
            continue
        for code, (comparison, level) in by_criterion.get((st["criterion_no"], st["year"]), []):
            derived = s.derived.get(code)
            if derived:
                num.append(values.get((derived["numerator"], st["year"]), np.nan))
                den.append(values.get((derived["denominator"], st["year"]), np.nan))
                scale.append(float(derived.get("scale", 1)))
            elif code in s.indicators:
                num.append(values.get((code, st["year"]), np.nan))
                den.append(np.nan)
                scale.append(np.nan)
            else:
                continue
            todo.append((st, code, comparison, level, bool(derived), bool(derived) and derived.get("bound") == "lower"))
    if not todo:
        return
    is_derived = np.array([t[4] for t in todo])
    value = np.where(is_derived, checks.derived_value(num, den, np.nan_to_num(np.array(scale), nan=1.0)),
                     np.array(num, dtype=float))
    met, proven = checks.meets_level(value, [t[2] for t in todo], np.array([t[3] for t in todo], dtype=float),
                                     np.array([t[5] for t in todo]))
    for (st, code, comparison, level, derived, _), v, m, p in zip(todo, value, met, proven):
        if not p or m:
            continue
        unit_text = s.indicator_info.get(code, {}).get("unit") or ""
        res.add("W_DECLARED_VS_MEASURED", "TieuChi", res.cells.get(("criterion", st["criterion_no"], st["year"]), ""),
                **labels.declared_vs_measured_params(
                    criterion_no=st["criterion_no"], year=st["year"], declared=reached_label, indicator_code=code,
                    value=float(v), unit=unit_text, comparison=comparison, level=level, derived=derived))


def check_yoy(res: Result, schema: Schema) -> None:
    """Warn where a value changes from one year to the next beyond its ``yoy_band``."""
    s = schema
    values = _values_map(res)
    bands = checks.yoy_bands(s.outline.checks, [*s.metrics, *s.indicators])
    for code in sorted(bands):
        x = np.array([[values.get((code, y), np.nan) for y in s.years]], dtype=float)
        change, previous = checks.yoy_changes(x)
        for yi in np.flatnonzero(np.abs(np.nan_to_num(change[0])) > bands[code]):
            y, py = s.years[yi], s.years[previous[0, yi]]
            sheet, ref = _cell(res, (code, y))
            res.add("W_YOY_JUMP", sheet, ref, x[0, yi], **labels.yoy_params(
                what=s.outline.element_label(code), year=y, prev_year=py, change=float(change[0, yi]),
                prev=show_number(x[0, previous[0, yi]]), value=show_number(x[0, yi]), band=bands[code]))


def check_stock_flows(res: Result, schema: Schema) -> None:
    """Warn where a year-end count differs from last year's plus its flows (the outline's ``checks.stock_flows``:
    poor households against thoát nghèo, phát sinh mới, chuyển đi; :func:`nrlib.core.checks.stock_flow_gaps`)."""
    s = schema
    values = _values_map(res)
    for rule in s.stock_flows:
        code, plus, minus = rule["stock"], list(rule.get("plus") or []), list(rule.get("minus") or [])
        if code not in s.typed_metrics or any(c not in s.typed_metrics for c in plus + minus):
            continue
        row = lambda c: np.array([values.get((c, y), np.nan) for y in s.years], dtype=float)  # noqa: E731
        expected, gap = checks.stock_flow_gaps(row(code), [row(c) for c in plus], [row(c) for c in minus])
        for i in np.flatnonzero(np.abs(np.nan_to_num(gap)) > 0.5):
            y, py = s.years[i], s.years[i - 1]
            flows = "".join(f" + {c} ({show_number(values[(c, y)])})" for c in plus) + \
                "".join(f" − {c} ({show_number(values[(c, y)])})" for c in minus)
            sheet, ref = _cell(res, (code, y))
            res.add("W_STOCK_FLOWS", sheet, ref, values[(code, y)], what=s.outline.element_label(code), year=y,
                    value=show_number(values[(code, y)]), prev_year=py, prev=show_number(values[(code, py)]),
                    flows=flows, expected=show_number(float(expected[i])))


def check_proposal_subjects(res: Result, schema: Schema) -> None:
    """Warn where a proposal's đối tượng goes with one kind and the proposal is of the other (a Cá nhân
    proposed as a Tập thể): the outline's ``proposal_subject`` choices name their ``kind``."""
    s = schema
    if not s.proposal_subject_kind or "proposal_subject" not in s.choice_items:
        return
    subjects, kinds = s.choice_items["proposal_subject"], s.choice_labels["proposal_kind"]
    for i, p in enumerate(res.proposals, 1):
        want = (subjects.get(p.get("subject")) or {}).get("kind")
        if want and p.get("kind") and p["kind"] != want:
            sheet, ref = _cell(res, ("proposal", i))
            res.add("W_PROPOSAL_SUBJECT", sheet, ref, n=p.get("seq", i), subject=subjects[p["subject"]]["label"],
                    kind=kinds.get(p["kind"], p["kind"]))


def comparable(values: dict, schema: Schema) -> dict:
    """Values made comparable across units of different sizes (the outline's
    :attr:`~nrlib.reference.outline.Outline.comparison_basis`): ``{(data_element, year): value}`` in and out;
    blanks and zero or missing wholes are dropped."""
    out = {}
    basis = schema.comparison_basis
    for (code, year), v in values.items():
        if v is None or v != v:
            continue
        whole = basis.get(code)
        if whole:
            w = values.get((whole, year))
            if not w or w != w:
                continue
            v = v / w
        out[(code, year)] = v
    return out


class Peers:
    """The district's units' latest accepted values, as one row of comparable values per unit.

    Columns are the outline's data elements × years (:attr:`keys`), the
    same cells the analysis scores. Ingest builds one per district from the
    store and updates it as workbooks are accepted, in received order.
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


def check_outliers(res: Result, schema: Schema, peers: Peers) -> Result:
    """Add ``W_OUTLIER`` warnings to a validated workbook's result, against the other units in ``peers``.

    Method: the unit's comparable values are scored together with the other
    units' by :func:`nrlib.core.checks.outlier_scores`, which scores each unit
    against the others only; the unit's own row is kept.
    """
    if res.unit_code is None or registry_unit(res.unit_code) is None:
        return res
    rule = schema.outlier_rule
    if rule.z is None:
        return res
    others = peers.matrix(exclude=res.unit_code)
    if others.shape[0] < rule.min_peers:
        return res
    values = _values_map(res)
    block = np.vstack([others, peers.vector(values)[None, :]])
    scores = checks.outlier_scores(block, rule, rows=[len(block) - 1])    # the workbook's unit only
    for i in np.flatnonzero(scores.flagged[-1]):
        element, year = peers.keys[i]
        sheet, ref = _cell(res, (element, year))
        res.add("W_OUTLIER", sheet, ref, values[(element, year)], **labels.outlier_params(
            what=schema.outline.element_label(element), year=year, value=float(block[-1, i]),
            median=float(scores.median[-1, i]), n=int(scores.n_peers[-1, i]), z=float(scores.z[-1, i]),
            display=schema.comparison_display(element)))
    return res
