"""Maintenance of criteria over the period: kept, gained, lost, lost and regained, never.

Method: for each unit and criterion, take the effective statuses of
:func:`nrlib.analysis.results.criteria_matrix` in year order and keep only the years
where the status is *known and applicable* (``reached`` or ``not_reached``).

* Years where the criterion does not apply (``not_applicable``: the unit is a
  town or ward that year, e.g. thị trấn Dầu Giây from 2019) are skipped: they
  are never counted as a loss, nor as a year the criterion was kept.
* Years with no declaration (``missing``: a blank cell, no submission, or
  "Không áp dụng" declared in a year the criteria apply, which says nothing
  of the criterion) are skipped too, because nothing is known about them; they are counted in
  ``n_years_missing`` so a reader can see how much of a sequence is unknown.
  A criterion reached in 2016 and 2020 with 2018 missing is therefore
  ``kept``: the data show no loss, and ``n_years_missing`` = 1 says why that
  is less certain.

On the remaining sequence (first to last known year):

==================== ==========================================================
``kept``              reached in every known applicable year
``gained``            not reached at first, reached at the end, never lost
                      after it was first reached
``lost``              reached in some year, not reached at the end
``lost_and_regained`` reached, then not reached in a later year, reached at the
                      end
``never``             never reached in any known applicable year
``not_applicable``    no applicable year at all
``no_data``           applicable years exist but none has a declared status
==================== ==========================================================

A *loss* is a year not reached right after a known year reached.
Rows are in unit (``ds.units``) and criterion order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nrlib.analysis.results import (
    MISSING,
    NOT_APPLICABLE,
    NOT_REACHED,
    REACHED,
    CriteriaGrid,
    criteria_grid,
    criteria_list,
)
from nrlib.core import vocab
from nrlib.core.memo import memo
from nrlib.core.vocab import MAINTENANCE_CLASSES

CLASSES = MAINTENANCE_CLASSES

CLASS_COLUMNS = ["unit_code", "criterion_no", "maintenance_class", "first_reached_year", "lost_year",
                 "regained_year", "n_years_applicable", "n_years_known", "n_years_missing"]


def _classify(g: CriteriaGrid) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The class table and the loss events (unit_code, criterion_no, year) of a criteria grid.

    Vectorised over all units and criteria at once: the statuses are an
    array (units, criteria, years) and each step below works on the year
    axis; the only Python loop is over the (five) years.
    """
    s = np.transpose(g.status, (0, 2, 1))            # units, criteria, years
    nu, nc, ny = s.shape
    years = g.years
    reached = s == REACHED
    known = reached | (s == NOT_REACHED)

    # a loss: not reached in a year whose previous *known* year was reached
    loss = np.zeros_like(known)
    prev = np.zeros((nu, nc), dtype=np.int8)          # 0 nothing known yet, 1 reached, 2 not reached
    for y in range(ny):
        loss[:, :, y] = known[:, :, y] & ~reached[:, :, y] & (prev == 1)
        prev = np.where(known[:, :, y], np.where(reached[:, :, y], 1, 2), prev).astype(np.int8)

    n_known = known.sum(axis=2)
    has = n_known > 0
    first_idx = np.argmax(known, axis=2)
    last_idx = ny - 1 - np.argmax(known[:, :, ::-1], axis=2)
    first = np.take_along_axis(reached, first_idx[:, :, None], axis=2)[:, :, 0] & has
    last = np.take_along_axis(reached, last_idx[:, :, None], axis=2)[:, :, 0] & has
    any_r = reached.any(axis=2)
    any_loss = loss.any(axis=2)

    lost_idx = np.where(any_loss, np.argmax(loss, axis=2), ny)
    after = reached & (np.arange(ny)[None, None, :] > lost_idx[:, :, None])

    cls = np.full((nu, nc), "no_data", dtype=object)
    cls[has & last & any_loss] = "lost_and_regained"
    cls[has & last & ~any_loss & ~first] = "gained"
    cls[has & last & ~any_loss & first] = "kept"
    cls[has & ~last & any_r] = "lost"
    cls[has & ~last & ~any_r] = "never"
    n_app = (s != NOT_APPLICABLE).sum(axis=2)
    cls[n_app == 0] = vocab.NOT_APPLICABLE

    out = pd.DataFrame({
        "unit_code": np.repeat(g.unit_codes, nc),
        "criterion_no": np.tile(g.criteria["criterion_no"].to_numpy(), nu),
        "maintenance_class": cls.ravel(),
        "first_reached_year": _year_of_first(reached, years),
        "lost_year": _year_of_first(loss, years),
        "regained_year": _year_of_first(after, years),
        "n_years_applicable": n_app.ravel(),
        "n_years_known": n_known.ravel(),
        "n_years_missing": (s == MISSING).sum(axis=2).ravel(),
    })
    ui, ci, yi = np.nonzero(loss)
    events = pd.DataFrame({"unit_code": g.unit_codes[ui], "criterion_no": g.criteria["criterion_no"].to_numpy()[ci],
                           "year": years[yi]})
    return out[CLASS_COLUMNS], events


def _year_of_first(mask: np.ndarray, years: np.ndarray) -> pd.array:
    """Year of the first True along the last axis, NA where there is none (flattened)."""
    idx = np.argmax(mask, axis=2).ravel()
    found = mask.any(axis=2).ravel()
    out = pd.array(years[idx] if len(years) else np.zeros(len(idx), int), dtype="Int64")
    out[~found] = pd.NA
    return out


def _classified(ds, cache: dict | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    return memo(cache, ds, "maintenance", lambda: _classify(criteria_grid(ds, cache)))


def classify_maintenance(ds, cache: dict | None = None) -> pd.DataFrame:
    """Classify how each unit maintained each criterion over the period.

    Parameters
    ----------
    ds : Dataset
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`).

    Returns
    -------
    DataFrame
        ``unit_code, criterion_no, maintenance_class, first_reached_year,
        lost_year, regained_year, n_years_applicable, n_years_known,
        n_years_missing`` (one row per unit and criterion). ``lost_year`` is
        the first year of a loss; ``regained_year`` the first year reached
        after it. Classes and the handling of not-applicable and missing
        years: see the module docstring.
    """
    return _classified(ds, cache)[0]


def maintenance_summary(ds, cache: dict | None = None) -> pd.DataFrame:
    """Number of criteria of each maintenance class, per unit.

    Returns
    -------
    DataFrame
        ``unit_code, kept, gained, lost, lost_and_regained, never,
        not_applicable, no_data`` (counts of criteria; they add up to the
        number of criteria).
    """
    classes = classify_maintenance(ds, cache)
    counts = classes.groupby(["unit_code", "maintenance_class"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(CLASSES), fill_value=0).astype(int)
    counts.columns.name = None
    return counts.reset_index()


def criteria_at_risk(ds, cache: dict | None = None) -> pd.DataFrame:
    """Criteria that units lost during the period, most at risk first.

    Method: per criterion, count units whose class is ``lost`` (not reached
    at the end) and ``lost_and_regained``; ``n_units_at_risk`` is their sum
    (units where the criterion proved fragile). ``years_lost`` lists the
    years of every loss (a year not reached right after one reached),
    ``"2018, 2019"``. Sorted by ``n_units_lost``, then ``n_units_at_risk``
    (both descending), then criterion number; every criterion is listed,
    zeros included.

    Returns
    -------
    DataFrame
        ``criterion_no, criterion_name, n_units_lost,
        n_units_lost_and_regained, n_units_at_risk, years_lost`` (str, empty
        when never lost), ``n_loss_events``.
    """
    classes, events = _classified(ds, cache)
    crit = criteria_list(ds)[["criterion_no", "criterion_name"]]
    c = classes.assign(_lost=classes["maintenance_class"].eq("lost"),
                       _lr=classes["maintenance_class"].eq("lost_and_regained"))
    g = c.groupby("criterion_no")
    out = crit.merge(pd.DataFrame({"n_units_lost": g["_lost"].sum(),
                                   "n_units_lost_and_regained": g["_lr"].sum()}).reset_index(),
                     on="criterion_no", how="left")
    out[["n_units_lost", "n_units_lost_and_regained"]] = (
        out[["n_units_lost", "n_units_lost_and_regained"]].fillna(0).astype(int))
    out["n_units_at_risk"] = out["n_units_lost"] + out["n_units_lost_and_regained"]
    years = (events.drop_duplicates(["criterion_no", "year"]).sort_values("year")
             .groupby("criterion_no")["year"].agg(lambda s: ", ".join(str(int(y)) for y in s)))
    out["years_lost"] = [years.get(c, "") for c in out["criterion_no"]]
    out["n_loss_events"] = out["criterion_no"].map(events.groupby("criterion_no").size()).fillna(0).astype(int)
    out = out.sort_values(["n_units_lost", "n_units_at_risk", "criterion_no"], ascending=[False, False, True],
                          ignore_index=True)
    return out
