"""Maintenance of criteria over the period: kept, gained, lost, lost and regained, never.

Method: for each unit and criterion, take the effective statuses of
:func:`nrlib.results.criteria_matrix` in year order and keep only the years
where the status is *known and applicable* (``reached`` or ``not_reached``).

* Years where the criterion does not apply (``not_applicable``: the unit is a
  town or ward that year, e.g. thị trấn Dầu Giây from 2019, or the unit
  declared it so) are skipped: they are never counted as a loss, nor as a
  year the criterion was kept.
* Years with no declaration (``missing``: a blank cell or no submission) are
  skipped too, because nothing is known about them; they are counted in
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
"""

from __future__ import annotations

import pandas as pd

from .results import criteria_list, criteria_matrix

CLASSES = ("kept", "gained", "lost", "lost_and_regained", "never", "not_applicable", "no_data")

CLASS_COLUMNS = ["unit_code", "criterion_no", "maintenance_class", "first_reached_year", "lost_year",
                 "regained_year", "n_years_applicable", "n_years_known", "n_years_missing"]


def _classify(matrix: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The class table and the loss events (unit_code, criterion_no, year) of a criteria matrix."""
    keys = ["unit_code", "criterion_no"]
    m = matrix[keys + ["year", "status"]].sort_values(keys + ["year"])
    base = m.assign(_app=m["status"].ne("not_applicable"), _miss=m["status"].eq("missing"))
    g0 = base.groupby(keys, sort=True)
    out = pd.DataFrame({"n_years_applicable": g0["_app"].sum(), "n_years_missing": g0["_miss"].sum()})

    known = m[m["status"].isin(("reached", "not_reached"))].copy()
    known["r"] = known["status"].eq("reached")
    g = known.groupby(keys, sort=False)
    prev = g["r"].shift()
    known["loss"] = (~known["r"]) & prev.eq(True)
    gk = known.groupby(keys, sort=True)
    agg = pd.DataFrame({
        "n_years_known": gk.size(),
        "_first": gk["r"].first(),
        "_last": gk["r"].last(),
        "_any": gk["r"].any(),
        "_any_loss": gk["loss"].any(),
    })
    agg["first_reached_year"] = known[known["r"]].groupby(keys)["year"].min()
    agg["lost_year"] = known[known["loss"]].groupby(keys)["year"].min()
    after = known.merge(agg["lost_year"].dropna().rename("_ly").reset_index(), on=keys)
    agg["regained_year"] = after[after["r"] & (after["year"] > after["_ly"])].groupby(keys)["year"].min()

    out = out.join(agg, how="left")
    cls = pd.Series("no_data", index=out.index, dtype=object)
    has = out["n_years_known"].notna() & (out["n_years_known"] > 0)
    last = out["_last"].astype("boolean").fillna(False).astype(bool)
    first = out["_first"].astype("boolean").fillna(False).astype(bool)
    anyr = out["_any"].astype("boolean").fillna(False).astype(bool)
    anyloss = out["_any_loss"].astype("boolean").fillna(False).astype(bool)
    cls[has & last & anyloss] = "lost_and_regained"
    cls[has & last & ~anyloss & ~first] = "gained"
    cls[has & last & ~anyloss & first] = "kept"
    cls[has & ~last & anyr] = "lost"
    cls[has & ~last & ~anyr] = "never"
    cls[out["n_years_applicable"] == 0] = "not_applicable"
    out["maintenance_class"] = cls
    for col in ("first_reached_year", "lost_year", "regained_year"):
        out[col] = out[col].astype("Int64")
    for col in ("n_years_applicable", "n_years_known", "n_years_missing"):
        out[col] = out[col].fillna(0).astype(int)
    out = out.reset_index()[CLASS_COLUMNS]
    events = known.loc[known["loss"], keys + ["year"]].reset_index(drop=True)
    return out, events


def classify_maintenance(ds, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Classify how each unit maintained each criterion over the period.

    Parameters
    ----------
    ds : Dataset
    matrix : DataFrame, optional
        A precomputed :func:`nrlib.results.criteria_matrix`.

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
    matrix = criteria_matrix(ds) if matrix is None else matrix
    return _classify(matrix)[0]


def maintenance_summary(ds, classes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of criteria of each maintenance class, per unit.

    Returns
    -------
    DataFrame
        ``unit_code, kept, gained, lost, lost_and_regained, never,
        not_applicable, no_data`` (counts of criteria; they add up to the
        number of criteria).
    """
    classes = classify_maintenance(ds) if classes is None else classes
    counts = classes.groupby(["unit_code", "maintenance_class"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(CLASSES), fill_value=0).astype(int)
    counts.columns.name = None
    return counts.reset_index()


def criteria_at_risk(ds, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
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
    matrix = criteria_matrix(ds) if matrix is None else matrix
    classes, events = _classify(matrix)
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
    out["years_lost"] = out["criterion_no"].map(years).fillna("")
    out["n_loss_events"] = out["criterion_no"].map(events.groupby("criterion_no").size()).fillna(0).astype(int)
    out = out.sort_values(["n_units_lost", "n_units_at_risk", "criterion_no"], ascending=[False, False, True],
                          ignore_index=True)
    return out
