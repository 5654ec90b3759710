"""A new unit's history from its predecessors (nrlib.analysis.crosswalk), on the hand-made dataset.

A = 26308 (10.000 households in 2016, 300 poor), B = 26302 (500 households, 50 poor); see fixtures_analysis.
"""

import numpy as np
import pandas as pd
import pytest
from fixtures_analysis import A, B, C, make_dataset

import nrlib
from nrlib.analysis.crosswalk import BASES, successor_history


def _pred(*rows):
    """Crosswalk rows of one new unit: (old_code, unit_code or None, extent)."""
    return pd.DataFrame([{"old_code": o, "old_name": f"Xã {o}", "unit_code": u, "extent": e, "note": "",
                          "new_code": "99999"} for o, u, e in rows])


@pytest.fixture(scope="module")
def ds():
    return make_dataset()


def _at(frame, code, year):
    return frame[(frame["code"] == code) & (frame["year"] == year)].iloc[0]


def test_whole_merges_are_summed_and_shown_side_by_side(ds):
    h = successor_history(ds, _pred((A, A, "whole"), (B, B, "whole")))
    v = h["values"]
    assert [c for c in v.columns if c in (A, B)] == [A, B]
    row = _at(v, "VD01", 2016)                      # a flow: 1.000 + 100
    assert (row[A], row[B], row["combined"], row["basis"]) == (1000, 100, 1100, "sum")
    row = _at(v, "VD11", 2020)                      # a stock at the year's end: 10.400 + 500 households
    assert row["combined"] == 10900 and row["basis"] == "sum"
    row = _at(v, "VD02", 2020)                      # A left it blank: no sum, B's value still shown
    assert np.isnan(row["combined"]) and row["basis"] == "value_missing" and row[B] == 50


def test_a_rate_is_recomputed_from_the_sums_never_averaged(ds):
    """Poor households 2016: A 300/10.000 = 3 %, B 50/500 = 10 %; the new unit is 350/10.500 = 3,33 %, not the
    6,5 % of the mean of the two rates."""
    r = successor_history(ds, _pred((A, A, "whole"), (B, B, "whole")))["rates"]
    row = _at(r, "R_POOR", 2016)
    assert row[A] == pytest.approx(3.0) and row[B] == pytest.approx(10.0)
    assert (row["numerator"], row["denominator"]) == (350, 10500)
    assert row["combined"] == pytest.approx(100 * 350 / 10500)
    assert row["combined"] != pytest.approx((row[A] + row[B]) / 2)
    assert _at(r, "11", 2016)["combined"] == pytest.approx(row["combined"])    # the derived indicator, same sums


def test_typed_indicators_and_criteria_are_never_combined(ds):
    h = successor_history(ds, _pred((A, A, "whole"), (B, B, "whole")))
    row = _at(h["values"], "10", 2020)              # income per head typed by A: a level, not a sum
    assert row[A] == 55 and np.isnan(row["combined"]) and row["basis"] == "not_summable"
    c = h["criteria"].set_index(["criterion_no", "year"])
    assert list(c.columns) == [A, B]                # no combined status column, by design
    assert (c.loc[(10, 2016), A], c.loc[(10, 2016), B]) == ("reached", "not_reached")
    assert c.loc[(15, 2017), B] is None              # B left it blank: shown blank, not filled from A


def test_a_partial_merge_is_shown_but_never_summed(ds):
    h = successor_history(ds, _pred((A, A, "whole"), (B, B, "partial")))
    assert set(h["values"].loc[h["values"]["kind"] != "typed", "basis"]) == {"partial_merge"}
    assert h["values"]["combined"].isna().all() and h["rates"]["combined"].isna().all()
    assert _at(h["values"], "VD01", 2016)[B] == 100  # the predecessors' own figures stay
    assert _at(h["rates"], "R_POOR", 2016)[A] == pytest.approx(3.0)


def test_a_predecessor_outside_the_data_stops_the_sums(ds):
    h = successor_history(ds, _pred((A, A, "whole"), ("26311", None, "whole"), (C, C, "whole")))
    p = h["predecessors"].set_index("old_code")
    assert not p.loc["26311", "in_data"] and p.loc[A, "in_data"] and p.loc[C, "name"] == "Thị trấn Dầu Giây"
    assert set(h["values"].loc[h["values"]["kind"] != "typed", "basis"]) == {"predecessor_outside"}
    assert [c for c in h["values"].columns if c.isdigit()] == [A, C]


def test_with_the_real_crosswalk(ds):
    """Xã Gia Kiệm of 2025 (26311) is Gia Tân 3, Gia Kiệm and Quang Trung, all whole; only Gia Kiệm (A) is in the
    hand-made data, so nothing is summed and A's figures are shown as its own."""
    p = nrlib.reference.predecessors("26311")
    h = successor_history(ds, p)
    assert list(h["predecessors"]["unit_code"]) == ["26305", "26308", "26311"]
    assert list(h["predecessors"]["in_data"]) == [False, True, False]
    assert _at(h["values"], "VD01", 2016)[A] == 1000 and h["values"]["combined"].isna().all()


def test_every_basis_has_its_vietnamese_text():
    assert set(BASES) == {"sum", "partial_merge", "predecessor_outside", "value_missing", "not_summable"}
    assert all(any(ch in t for ch in "ăâđêôơư") for t in BASES.values())
