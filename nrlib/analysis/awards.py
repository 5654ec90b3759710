"""The district's commendation proposals: their identity, the district's decisions on them, the count by award
form and the money they would cost.

Identity (:func:`numbered_proposals`): a proposal is ``<unit code>-<k>``, ``k`` its place in its commune's
current list (by the STT typed, then the name and the achievement, so a tie is ordered the same way on every
run). The district decides on each (:func:`apply_decisions`): accept it as proposed, change its award form,
or not propose it; it may add or correct the facts a list needs (năm sinh, giới tính, chức vụ or nơi cư trú:
a version 2 workbook gives them, a version 1 workbook does not) and a note. A proposal without a decision is
accepted as proposed, and a fact the district left blank is the commune's.

Method (:func:`award_budget`): the proposals of every xã, thị trấn (:func:`nrlib.analysis.ranking.proposals_table`,
award forms and kinds matched to the outline's choices), or the list the district decided, are counted per
award form and per kind (tập thể, cá nhân). The amount of a form is ``n_collective × coefficient_collective × base_salary + n_individual ×
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


#: what the district may decide on a proposal (the labels are :data:`nrlib.core.labels.DECISIONS`)
DECISIONS = ("accept", "change", "not_proposed")

#: the columns of :func:`apply_decisions`, in order
DECIDED_COLUMNS = ["proposal_id", "unit_code", "unit_name", "seq", "kind", "name", "address", "achievement",
                   "proposed_form", "decision", "decided", "award_form", "birth_year", "gender", "position", "note",
                   "subject", "earlier_awards"]
#: the facts the district may add to a proposal, and the decision's own columns
DECISION_FIELDS = ("decision", "award_form", "birth_year", "gender", "position", "note")


def numbered_proposals(ds) -> pd.DataFrame:
    """Every proposal with its identity ``proposal_id`` (``<unit code>-<k>``), names included.

    Returns
    -------
    DataFrame
        :func:`nrlib.analysis.ranking.proposals_table` (``include_personal_data=True``) with ``proposal_id``
        first, by unit and place in its list.
    """
    p = proposals_table(ds, include_personal_data=True)
    if p.empty:
        return p.assign(proposal_id=pd.Series(dtype=str))[["proposal_id", *p.columns]]
    order = p.assign(_n=p["name"].fillna(""), _a=p["achievement"].fillna(""))
    order = order.sort_values(["unit_code", "seq", "_n", "_a"], kind="stable", na_position="last")
    k = order.groupby("unit_code", sort=False).cumcount() + 1
    order.insert(0, "proposal_id", order["unit_code"].astype(str) + "-" + k.map("{:02d}".format))
    return order.drop(columns=["_n", "_a"]).reset_index(drop=True)


def apply_decisions(proposals: pd.DataFrame, decisions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The proposals with the district's decision on each.

    Parameters
    ----------
    proposals : DataFrame
        :func:`numbered_proposals`.
    decisions : DataFrame, optional
        One row per decided proposal: ``proposal_id`` and any of :data:`DECISION_FIELDS` (``decision`` one of
        :data:`DECISIONS` or None; ``award_form`` the form the district proposes, a key of the award table;
        ``birth_year`` int; ``gender``, ``position``, ``note`` text). Its ids must be proposals' ids (the
        reader of the decisions workbook checks that, cell by cell).

    Returns
    -------
    DataFrame
        :data:`DECIDED_COLUMNS`: ``proposed_form`` as the commune proposed it; ``decision`` (a proposal with
        none, or with a blank one, is ``accept``); ``decided`` whether the district recorded a decision;
        ``award_form`` the form finally proposed (the commune's unless changed; None when not proposed);
        ``position``, ``birth_year`` and ``gender`` the district's, else the commune's (``address``, and the
        year of birth and gender of a version 2 workbook); ``subject`` and ``earlier_awards`` the commune's
        (None for a version 1 workbook).
    """
    out = proposals.rename(columns={"award_form": "proposed_form"}).copy()
    d = (decisions if decisions is not None else pd.DataFrame(columns=["proposal_id"])).copy()
    for col in DECISION_FIELDS:
        if col not in d.columns:
            d[col] = None
    unknown = sorted(set(d["proposal_id"]) - set(out["proposal_id"]))
    if unknown:
        raise ValueError(f"decisions on proposals that do not exist: {unknown}")
    d = d.set_index("proposal_id")[list(DECISION_FIELDS)].rename(columns=lambda c: f"d_{c}")
    out = out.join(d, on="proposal_id")
    given = [v if isinstance(v, str) else None for v in out["d_decision"]]
    out["decided"] = [v is not None for v in given]
    changed = out["d_award_form"].notna() & (out["d_award_form"] != out["proposed_form"])
    out["decision"] = [g if g is not None else ("change" if c else "accept") for g, c in zip(given, changed)]
    bad = sorted(set(out["decision"]) - set(DECISIONS))
    if bad:
        raise ValueError(f"unknown decisions {bad}; expected one of {DECISIONS}")
    out["award_form"] = [None if dec == "not_proposed" else (new if pd.notna(new) else old)
                         for dec, new, old in zip(out["decision"], out["d_award_form"], out["proposed_form"])]
    for col in ("birth_year", "gender", "subject", "earlier_awards"):
        if col not in out.columns:          # proposals of a version 1 workbook, or a Dataset made without them
            out[col] = None
    own_year = pd.to_numeric(out["birth_year"], errors="coerce").astype("Int64")
    d_year = pd.to_numeric(out["d_birth_year"], errors="coerce").astype("Int64")
    out["birth_year"] = d_year.fillna(own_year) if len(out) else pd.Series(dtype="Int64")
    out["gender"] = [d if _given(d) else own if _given(own) else None for d, own in zip(out["d_gender"], out["gender"])]
    out["position"] = [own if isinstance(own, str) and own.strip() else addr
                       for own, addr in zip(out["d_position"], out["address"])]
    out["note"] = out["d_note"]
    out["subject"] = [v if _given(v) else None for v in out["subject"]]
    out["earlier_awards"] = [v if _given(v) else None for v in out["earlier_awards"]]
    return out[DECIDED_COLUMNS].reset_index(drop=True)


def _given(v) -> bool:
    return isinstance(v, str) and bool(v.strip())


def award_budget(ds, awards: pd.DataFrame, proposals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Proposals by award form and kind, and their amount in đồng.

    Parameters
    ----------
    ds : Dataset
        Proposals of one district (or any set of units).
    awards : DataFrame
        :func:`nrlib.reference.awards.load_awards`.
    proposals : DataFrame, optional
        The list to count (``kind`` and ``award_form``, e.g. :func:`apply_decisions`; a row whose
        ``award_form`` is None is not counted); default every proposal of ``ds`` as the communes made it.

    Returns
    -------
    DataFrame
        :data:`BUDGET_COLUMNS`: counts (int), amounts in whole đồng (int; None for a form outside the award
        table), ``known`` (the form has a row in the award table). Every award form of the table has a row,
        with zero counts when nobody proposed it.
    """
    p = proposals_table(ds) if proposals is None else proposals[proposals["award_form"].notna()]
    counts = p.groupby(["award_form", "kind"]).size()
    rows = []
    for a in awards.itertuples():
        n_c, n_i = int(counts.get((a.award_form, "collective"), 0)), int(counts.get((a.award_form, "individual"), 0))
        am_c = money(n_c, a.coefficient_collective, a.base_salary)
        am_i = money(n_i, a.coefficient_individual, a.base_salary)
        rows.append([a.award_form, n_c, n_i, n_c + n_i, am_c, am_i, am_c + am_i, True])
    known = set(awards["award_form"])
    for form in sorted(set(p["award_form"].astype(str)) - known):
        n_c, n_i = int(counts.get((form, "collective"), 0)), int(counts.get((form, "individual"), 0))
        rows.append([form, n_c, n_i, n_c + n_i, None, None, None, False])
    return pd.DataFrame(rows, columns=BUDGET_COLUMNS)


def money(n: int, coefficient: Decimal, base_salary: Decimal) -> int:
    """``n × coefficient × base_salary`` in whole đồng, computed in decimals and rounded once."""
    return int((Decimal(n) * Decimal(coefficient) * Decimal(base_salary)).to_integral_value())


def budget_total(budget: pd.DataFrame) -> int:
    """The amount of every form with a known rate, in đồng."""
    return int(sum(int(v) for v in budget.loc[budget["known"], "amount"]))
