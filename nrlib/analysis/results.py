"""Criteria results: what each unit declared for each criterion and year, and counts of it.

Method: the grid is every expected unit (``ds.units``) times every year of
the outline times every criterion of the criteria set (``ds.criteria``).
The *declared* status is the unit's own entry in sheet TieuChi (blank where
the cell was left empty or the unit sent nothing). The *effective* status is
what the analyses use:

* ``not_applicable`` whenever the new-rural (NTM) criteria do not apply to the
  unit in that year (``unit_years.ntm_applies`` is False: a town, a ward, or
  thị trấn Dầu Giây from 2019), whatever was declared;
* otherwise the *counted* status (:func:`counted_status`): the official one of
  the district's new-rural coordination office (``ds.official_status``, its
  workbook: :mod:`nrlib.reference.partners`) where it gave one, else the
  declared one; and ``missing`` where neither exists or where
  ``not_applicable`` stands although the criteria apply (a xã's year: it
  says nothing about the criterion; ingest refuses it, ``E_NOT_APPLICABLE``).

With no official status at all the effective status is the declared one, as
it was before the partners' workbooks existed.

A unit-year absent from ``ds.unit_years`` is taken as one where the NTM
criteria apply. A criterion is *applicable* in a unit-year when its effective
status is not ``not_applicable``; ``missing`` counts as applicable but not
reached, and is counted separately so a report can say how much is unknown.

Internally the statuses are held as a dense array (units × years ×
criteria, :class:`CriteriaGrid`), so counting ten thousand units is array
arithmetic rather than joins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nrlib.core import vocab
from nrlib.core.memo import memo

#: effective status codes in :attr:`CriteriaGrid.status`
STATUS_NAMES = np.array([*vocab.CRITERION_STATUSES, vocab.MISSING], dtype=object)
REACHED, NOT_REACHED, NOT_APPLICABLE, MISSING = 0, 1, 2, 3
_CODE_OF = {vocab.REACHED: REACHED, vocab.NOT_REACHED: NOT_REACHED, vocab.NOT_APPLICABLE: NOT_APPLICABLE}

MATRIX_COLUMNS = ["unit_code", "year", "criterion_no", "criterion_name", "group_code", "declared_status",
                  "official_status", "status", "ntm_applies"]


@dataclass
class CriteriaGrid:
    """Criteria statuses as arrays: axis 0 units (``ds.units`` order), 1 years, 2 criteria."""

    unit_codes: np.ndarray
    years: np.ndarray
    criteria: pd.DataFrame       # criterion_no, criterion_name, group_code (axis 2 order)
    declared: np.ndarray         # object: declared status or None
    status: np.ndarray           # int8 effective status code (STATUS_NAMES)
    ntm: np.ndarray              # bool (units, years): the NTM criteria apply
    official: np.ndarray | None = None   # object: the coordination office's status or None


def counted_status(declared: np.ndarray, official: np.ndarray) -> np.ndarray:
    """The status that is counted, element by element: the official status where there is one, else the declared.

    The one rule for it (every count of criteria reached, kept, lost, the scores and the reports read the grid
    this builds): the coordination office's review table is the authoritative status, the commune's own
    declaration stands only where the office gave none.
    """
    declared = np.asarray(declared, dtype=object)
    official = np.asarray(official, dtype=object)
    return np.where(pd.isna(official), declared, official)


def criteria_list(ds) -> pd.DataFrame:
    """One row per criterion: ``criterion_no, criterion_name, group_code, group_name`` (sorted)."""
    cols = ["criterion_no", "criterion_name", "group_code", "group_name"]
    crit = ds.criteria[[c for c in cols if c in ds.criteria.columns]].drop_duplicates("criterion_no")
    return crit.sort_values("criterion_no", ignore_index=True)


def unit_positions(ds, codes) -> np.ndarray:
    """Position of each unit code in ``ds.units`` (-1 when not an expected unit)."""
    return pd.Index(ds.units["unit_code"].astype(str)).get_indexer(pd.Index(codes).astype(str))


def criteria_grid(ds, cache: dict | None = None) -> CriteriaGrid:
    """The criteria statuses of every unit, year and criterion as arrays (:class:`CriteriaGrid`)."""
    return memo(cache, ds, "criteria_grid", lambda: _grid(ds))


def _grid(ds) -> CriteriaGrid:
    units = ds.units["unit_code"].astype(str).to_numpy(dtype=object)
    years = np.asarray(ds.outline.years, dtype=int)
    crit = criteria_list(ds)[["criterion_no", "criterion_name", "group_code"]]
    crit = crit.assign(criterion_no=crit["criterion_no"].astype(int))
    shape = (len(units), len(years), len(crit))

    ntm = np.ones(shape[:2], dtype=bool)
    uy = ds.unit_years
    ui, yi = unit_positions(ds, uy["unit_code"]), pd.Index(years).get_indexer(uy["year"].astype(int))
    ok = (ui >= 0) & (yi >= 0)
    ntm[ui[ok], yi[ok]] = uy["ntm_applies"].fillna(True).astype(bool).to_numpy()[ok]

    declared = _status_array(ds, ds.criteria_status, years, crit, shape)
    official = _status_array(ds, ds.official_status, years, crit, shape)
    counted = counted_status(declared, official) if len(ds.official_status) else declared
    status = pd.Series(counted.ravel()).map(_CODE_OF).fillna(MISSING).to_numpy(dtype=np.int8).reshape(shape)
    # "Không áp dụng" declared where the criteria apply says nothing about the criterion: unknown, never
    # a year skipped (ingest refuses it, E_NOT_APPLICABLE; a dataset from elsewhere may hold it)
    status[(status == NOT_APPLICABLE) & ntm[:, :, None]] = MISSING
    status[~ntm] = NOT_APPLICABLE
    return CriteriaGrid(units, years, crit.reset_index(drop=True), declared, status, ntm, official)


def _status_array(ds, st: pd.DataFrame, years: np.ndarray, crit: pd.DataFrame, shape: tuple) -> np.ndarray:
    """A table of statuses (``unit_code, year, criterion_no, status``) as an object array on the grid's axes."""
    out = np.full(shape, None, dtype=object)
    if not len(st):
        return out
    ui = unit_positions(ds, st["unit_code"])
    yi = pd.Index(years).get_indexer(st["year"].astype(int))
    ci = pd.Index(crit["criterion_no"]).get_indexer(st["criterion_no"].astype(int))
    ok = (ui >= 0) & (yi >= 0) & (ci >= 0)
    values = st["status"].to_numpy(dtype=object)
    values = np.where(pd.isna(values), None, values)
    out[ui[ok], yi[ok], ci[ok]] = values[ok]
    return out


def criteria_matrix(ds, cache: dict | None = None) -> pd.DataFrame:
    """Declared and effective status of every criterion, unit and year.

    Parameters
    ----------
    ds : Dataset
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`).

    Returns
    -------
    DataFrame
        ``unit_code, year, criterion_no, criterion_name, group_code,
        declared_status, status, ntm_applies``, one row per expected unit,
        year and criterion, in unit (``ds.units``), year and criterion
        order. ``status`` is the effective status (module docstring):
        ``reached``, ``not_reached``, ``not_applicable`` or ``missing``.
    """
    return memo(cache, ds, "criteria_matrix", lambda: _matrix(criteria_grid(ds, cache)))


def _matrix(g: CriteriaGrid) -> pd.DataFrame:
    nu, ny, nc = g.status.shape
    return pd.DataFrame({
        "unit_code": np.repeat(g.unit_codes, ny * nc),
        "year": np.tile(np.repeat(g.years, nc), nu),
        "criterion_no": np.tile(g.criteria["criterion_no"].to_numpy(), nu * ny),
        "criterion_name": np.tile(g.criteria["criterion_name"].to_numpy(dtype=object), nu * ny),
        "group_code": np.tile(g.criteria["group_code"].to_numpy(dtype=object), nu * ny),
        "declared_status": pd.Series(g.declared.ravel(), dtype=object),
        "official_status": pd.Series((g.official if g.official is not None else np.full(g.declared.shape, None,
                                                                                        dtype=object)).ravel(),
                                     dtype=object),
        "status": STATUS_NAMES[g.status.ravel()],
        "ntm_applies": np.repeat(g.ntm.ravel(), nc),
    })[MATRIX_COLUMNS]


def _unit_year_frame(g: CriteriaGrid, **arrays) -> pd.DataFrame:
    """A long (unit, year) table from arrays shaped (units, years)."""
    nu, ny = g.ntm.shape
    out = pd.DataFrame({"unit_code": np.repeat(g.unit_codes, ny), "year": np.tile(g.years, nu)})
    for name, arr in arrays.items():
        out[name] = np.asarray(arr).ravel()
    return out


def criteria_reached(ds, cache: dict | None = None) -> pd.DataFrame:
    """How many criteria each unit reached each year.

    Returns
    -------
    DataFrame
        ``unit_code, year, n_reached, n_applicable, all_reached, n_missing``.
        ``all_reached`` is True when every applicable criterion is reached,
        and NA (not False) when no criterion applies that year: a town is
        not "short" of the new-rural standard, it is outside it.
    """
    return memo(cache, ds, "criteria_reached", lambda: _reached(criteria_grid(ds, cache)))


def _reached(g: CriteriaGrid) -> pd.DataFrame:
    s = g.status
    n_reached = (s == REACHED).sum(axis=2)
    n_applicable = (s != NOT_APPLICABLE).sum(axis=2)
    out = _unit_year_frame(g, n_reached=n_reached, n_applicable=n_applicable)
    all_reached = pd.array(n_reached.ravel() == n_applicable.ravel(), dtype="boolean")
    all_reached[n_applicable.ravel() == 0] = pd.NA
    out["all_reached"] = all_reached
    out["n_missing"] = (s == MISSING).sum(axis=2).ravel()
    return out


def criteria_by_group(ds, cache: dict | None = None) -> pd.DataFrame:
    """Criteria reached per unit, year and criteria group (I-V).

    Returns
    -------
    DataFrame
        ``unit_code, year, group_code, n_reached, n_criteria, n_in_group``:
        ``n_criteria`` counts the group's criteria that apply that year
        (0 for a unit outside the NTM criteria), ``n_in_group`` all of them.
    """
    g = criteria_grid(ds, cache)
    groups = pd.unique(g.criteria["group_code"])
    frames = []
    for grp in groups:
        cols = (g.criteria["group_code"] == grp).to_numpy()
        s = g.status[:, :, cols]
        frames.append(_unit_year_frame(g, n_reached=(s == REACHED).sum(axis=2),
                                       n_criteria=(s != NOT_APPLICABLE).sum(axis=2)).assign(
            group_code=grp, n_in_group=int(cols.sum())))
    cols = ["unit_code", "year", "group_code", "n_reached", "n_criteria", "n_in_group"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    order = np.lexsort((out["group_code"].map({k: i for i, k in enumerate(groups)}).to_numpy(),
                        np.tile(np.arange(len(out) // len(groups)), len(groups))))
    return out.iloc[order][cols].reset_index(drop=True)


def units_all_reached(ds, cache: dict | None = None) -> pd.DataFrame:
    """Per year: how many units reached every applicable criterion.

    Returns
    -------
    DataFrame
        ``year, n_units_all_reached, n_units_applicable, n_units_reporting``:
        ``n_units_applicable`` counts units for which at least one criterion
        applies; ``n_units_reporting`` those of them that declared at least
        one status (a unit that sent nothing cannot be "all reached").
    """
    g = criteria_grid(ds, cache)
    s = g.status
    n_reached = (s == REACHED).sum(axis=2)
    n_app = (s != NOT_APPLICABLE).sum(axis=2)
    n_miss = (s == MISSING).sum(axis=2)
    app = n_app > 0
    return pd.DataFrame({
        "year": g.years,
        "n_units_all_reached": (app & (n_reached == n_app)).sum(axis=0),
        "n_units_applicable": app.sum(axis=0),
        "n_units_reporting": (app & (n_miss < n_app)).sum(axis=0),
    })
