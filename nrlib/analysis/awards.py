"""The district's commendation proposals counted by award form, and the money they would cost.

Method (:func:`award_budget`): the proposals of every xã, thị trấn (:func:`nrlib.analysis.ranking.proposals_table`,
award forms and kinds matched to the outline's choices) are counted per award form and per kind (tập thể,
cá nhân). The amount of a form is ``n_collective × coefficient_collective × base_salary + n_individual ×
coefficient_individual × base_salary`` in đồng, computed exactly (decimal) from the award table
(:func:`nrlib.reference.awards.load_awards`). Rows follow the award table's order; an award form typed
outside the outline's list keeps its own row, after them, with no amount (its rate is not known).
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from nrlib.analysis.ranking import proposals_table

#: the columns of :func:`award_budget`
BUDGET_COLUMNS = ["award_form", "n_collective", "n_individual", "n", "amount_collective", "amount_individual",
                  "amount", "known"]


def award_budget(ds, awards: pd.DataFrame) -> pd.DataFrame:
    """Proposals by award form and kind, and their amount in đồng.

    Parameters
    ----------
    ds : Dataset
        Proposals of one district (or any set of units).
    awards : DataFrame
        :func:`nrlib.reference.awards.load_awards`.

    Returns
    -------
    DataFrame
        :data:`BUDGET_COLUMNS`: counts (int), amounts in whole đồng (int; None for a form outside the award
        table), ``known`` (the form has a row in the award table). Every award form of the table has a row,
        with zero counts when nobody proposed it.
    """
    p = proposals_table(ds)
    counts = p.groupby(["award_form", "kind"]).size()
    rows = []
    for a in awards.itertuples():
        n_c, n_i = int(counts.get((a.award_form, "collective"), 0)), int(counts.get((a.award_form, "individual"), 0))
        am_c = _money(n_c, a.coefficient_collective, a.base_salary)
        am_i = _money(n_i, a.coefficient_individual, a.base_salary)
        rows.append([a.award_form, n_c, n_i, n_c + n_i, am_c, am_i, am_c + am_i, True])
    known = set(awards["award_form"])
    for form in sorted(set(p["award_form"].astype(str)) - known):
        n_c, n_i = int(counts.get((form, "collective"), 0)), int(counts.get((form, "individual"), 0))
        rows.append([form, n_c, n_i, n_c + n_i, None, None, None, False])
    return pd.DataFrame(rows, columns=BUDGET_COLUMNS)


def _money(n: int, coefficient: Decimal, base_salary: Decimal) -> int:
    return int((Decimal(n) * Decimal(coefficient) * Decimal(base_salary)).to_integral_value())


def budget_total(budget: pd.DataFrame) -> int:
    """The amount of every form with a known rate, in đồng."""
    return int(sum(int(v) for v in budget.loc[budget["known"], "amount"]))
