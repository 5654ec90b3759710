"""The analysis tables ``nrlib export`` writes, computed once from a Dataset.

Each table is tidy (one row per observation, codes as well as labels) so it
can be written to CSV or a spreadsheet as it is.
"""

from __future__ import annotations

import pandas as pd

from nrlib.analysis.campaign import campaign_totals, rates
from nrlib.analysis.maintenance import classify_maintenance
from nrlib.analysis.quality import quality_flags
from nrlib.analysis.ranking import commendation_ranking
from nrlib.analysis.results import criteria_list
from nrlib.analysis.scoring import content_scores, rule_points, table_rows, unit_scores
from nrlib.core.memo import outline_table


def _totals_table(ds, level: str, cache: dict) -> pd.DataFrame:
    key = {"unit": ("unit_code", "name"), "district": ("district_code", "district_name")}[level]
    t = campaign_totals(ds, level, cache)
    value = t["value_period"].where(t["kind"] == "flow", t["value_last_year"])
    out = pd.DataFrame({
        "level": level, "code": t[key[0]], "name": t[key[1]], "data_element": t["code"], "label": t["label"],
        "unit": t["unit"], "kind": t["kind"], "value": value,
        "value_basis": t["kind"].map({"flow": "sum_of_years", "stock": "last_year"}),
        "value_period": t["value_period"], "value_last_year": t["value_last_year"],
    })
    last = ds.outline.years[-1]
    r = rates(ds, by=level, years=[last], cache=cache)
    r = r.merge(outline_table(ds, cache, "rates")[["code", "numerator"]].rename(columns={"numerator": "num_code"}),
                on="code")
    r = pd.DataFrame({"code": r[key[0]], "data_element": r["num_code"], "rate_code": r["code"],
                      "rate_label": r["label"], "rate": r["rate"], "rate_year": last})
    return out.merge(r, on=["code", "data_element"], how="left")


def analysis_tables(ds, cache: dict | None = None) -> dict[str, pd.DataFrame]:
    """The tables for export.

    Parameters
    ----------
    ds : Dataset
    cache : dict, optional
        Shares intermediate tables with other calls (:mod:`nrlib.core.memo`);
        one is made for this call when none is given.

    Returns
    -------
    dict of DataFrame
        ``maintenance``
            ``unit_code, name, criterion_no, criterion_name, class,
            first_reached_year, lost_year, regained_year``.
        ``campaign_totals``
            ``level`` (``unit``/``district``), ``code`` and ``name`` of the
            unit or district, ``data_element`` (metric code), ``label, unit,
            kind``, ``value`` (flows: the period total; stocks: the last
            year), ``value_basis``, ``value_period`` (flows) and
            ``value_last_year`` (the last year), and where the metric is the numerator of
            a rate: ``rate_code, rate_label, rate`` in ``rate_year`` (the last
            year; for a district recomputed from summed numerators and
            denominators).
        ``quality_flags``
            :func:`nrlib.analysis.quality.quality_flags`.
        ``scores``
            :func:`nrlib.analysis.scoring.unit_scores`: per unit the points, the
            score out of 100 and the class.
        ``score_contents``
            :func:`nrlib.analysis.scoring.content_scores`: per unit and content
            the maximum, the self-score and the verified points.
        ``score_rules``
            :func:`nrlib.analysis.scoring.rule_points`: per unit and rule the
            figure and its points.
        ``scoring_table``
            :func:`nrlib.analysis.scoring.table_rows`: the table itself.
        ``relative_ranking``
            :func:`nrlib.analysis.ranking.commendation_ranking` (default weights),
            the option labelled "Xếp hạng tương đối (tham khảo)".
    """
    cache = {} if cache is None else cache
    cls = classify_maintenance(ds, cache)
    crit = criteria_list(ds)[["criterion_no", "criterion_name"]]
    maint = (cls.merge(ds.units[["unit_code", "name"]], on="unit_code", how="left").merge(crit, on="criterion_no")
             .rename(columns={"maintenance_class": "class"}))
    maint = maint[["unit_code", "name", "criterion_no", "criterion_name", "class", "first_reached_year", "lost_year",
                   "regained_year"]].sort_values(["unit_code", "criterion_no"], ignore_index=True)
    totals = pd.concat([_totals_table(ds, "unit", cache), _totals_table(ds, "district", cache)], ignore_index=True)
    return {
        "maintenance": maint,
        "campaign_totals": totals,
        "quality_flags": quality_flags(ds, cache=cache),
        "scores": unit_scores(ds, cache),
        "score_contents": content_scores(ds, cache),
        "score_rules": rule_points(ds, cache),
        "scoring_table": table_rows(),
        "relative_ranking": commendation_ranking(ds, cache=cache),
    }
