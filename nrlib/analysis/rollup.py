"""Roll units up to districts and provinces: the same code serves a district and a province office.

Method: every figure of a group is computed from its units, never from
figures of other groups: campaign totals are sums over units
(:func:`nrlib.analysis.campaign.campaign_totals`), rates are recomputed from summed
numerators and denominators (:func:`nrlib.analysis.campaign.rates`), and criteria
counts are counts of units. So a province equals the sum of its districts,
which equal the sums of their units, whatever the grouping.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nrlib.analysis.campaign import LEVEL_KEYS, campaign_totals, group_index, level_keys, rates
from nrlib.analysis.maintenance import CLASSES, classify_maintenance
from nrlib.analysis.quality import timeliness_table
from nrlib.analysis.results import NOT_APPLICABLE, REACHED, criteria_grid


def _named(df: pd.DataFrame, groups: pd.DataFrame, level: str, keys: list[str]) -> pd.DataFrame:
    """``level``, the group's code and name (from the group position ``_g``), then the table's own columns."""
    head = pd.DataFrame({"level": level, keys[0]: groups[keys[0]].to_numpy(dtype=object)[df["_g"].to_numpy()],
                         keys[1]: groups[keys[1]].to_numpy(dtype=object)[df["_g"].to_numpy()]}, index=df.index)
    return pd.concat([head, df.drop(columns="_g")], axis=1)


def rollup(ds, level: str = "district", cache: dict | None = None) -> dict[str, pd.DataFrame]:
    """Campaign totals, rates and criteria counts of each district (or province).

    Parameters
    ----------
    ds : Dataset
        Units of one or many districts (``ds.units`` has ``district_code`` and
        ``province_code``).
    level : {"district", "province"}
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`).

    Returns
    -------
    dict of DataFrame
        Each table starts with ``level`` and the group's code and name:

        ``campaign_totals``
            :func:`nrlib.analysis.campaign.campaign_totals` at that level.
        ``rates``
            :func:`nrlib.analysis.campaign.rates` at that level, every year.
        ``criteria``
            per year: ``n_units``, ``n_units_applicable`` (some criterion
            applies), ``n_units_all_reached``, ``n_criteria_reached`` and
            ``n_criteria_applicable`` (sums over units), ``share_reached``
            (percent of applicable unit-criteria reached).
        ``criteria_by_criterion``
            per year and criterion: ``n_units_reached``,
            ``n_units_applicable``.
        ``maintenance``
            per criterion: number of units in each maintenance class.
        ``reporting``
            ``n_units`` expected, ``n_received``, ``n_on_time``,
            ``n_missing``.
    """
    if level not in ("district", "province"):
        level_keys(level)
        raise ValueError(f"rollup level must be 'district' or 'province', not {level!r}")
    keys = LEVEL_KEYS[level]
    gidx, groups = group_index(ds, level, cache)
    ng = len(groups)
    g = criteria_grid(ds, cache)
    s = g.status
    years, crit_no = g.years, g.criteria["criterion_no"].to_numpy()
    ny, nc = len(years), len(crit_no)

    def by_group(arr: np.ndarray) -> np.ndarray:
        out = np.zeros((ng,) + arr.shape[1:], dtype=np.int64)
        np.add.at(out, gidx, arr.astype(np.int64))
        return out

    reached, applicable = s == REACHED, s != NOT_APPLICABLE
    n_reached, n_app = reached.sum(axis=2), applicable.sum(axis=2)                 # units, years
    unit_app = n_app > 0
    crit = pd.DataFrame({
        "_g": np.repeat(np.arange(ng), ny), "year": np.tile(years, ng),
        "n_units": np.repeat(np.bincount(gidx, minlength=ng), ny),
        "n_units_applicable": by_group(unit_app).ravel(),
        "n_units_all_reached": by_group(unit_app & (n_reached == n_app)).ravel(),
        "n_criteria_reached": by_group(n_reached).ravel(),
        "n_criteria_applicable": by_group(n_app).ravel(),
    })
    crit["share_reached"] = 100.0 * crit["n_criteria_reached"] / crit["n_criteria_applicable"].where(
        crit["n_criteria_applicable"] > 0)

    by_crit = pd.DataFrame({
        "_g": np.repeat(np.arange(ng), ny * nc), "year": np.tile(np.repeat(years, nc), ng),
        "criterion_no": np.tile(crit_no, ng * ny),
        "n_units_reached": by_group(reached).ravel(), "n_units_applicable": by_group(applicable).ravel(),
    })

    cls = classify_maintenance(ds, cache)["maintenance_class"].to_numpy(dtype=object).reshape(len(gidx), nc)
    maint = pd.DataFrame({"_g": np.repeat(np.arange(ng), nc), "criterion_no": np.tile(crit_no, ng)})
    for k in CLASSES:
        maint[k] = by_group(cls == k).ravel()

    tl = timeliness_table(ds, cache)
    status = tl.set_index("unit_code")["timeliness"].reindex(g.unit_codes).to_numpy(dtype=object)
    rep = pd.DataFrame({"_g": np.arange(ng), "n_units": np.bincount(gidx, minlength=ng),
                        "n_received": by_group((status != "missing") & pd.notna(status)),
                        "n_on_time": by_group(status == "on_time")})
    rep["n_missing"] = rep["n_units"] - rep["n_received"]

    crit, by_crit, maint, rep = (_named(df, groups, level, keys) for df in (crit, by_crit, maint, rep))
    totals = campaign_totals(ds, level, cache)
    rt = rates(ds, by=level, cache=cache)
    return {"campaign_totals": totals, "rates": rt, "criteria": crit, "criteria_by_criterion": by_crit,
            "maintenance": maint, "reporting": rep}
