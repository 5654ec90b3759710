"""Criteria matrix and counts on the hand-made dataset (tests/fixtures_analysis.py)."""

import pandas as pd
from fixtures_analysis import A, B, C, D, make_dataset

from nrlib.analysis import results


def _status(m, unit, year, crit, col="status"):
    return m.loc[(m["unit_code"] == unit) & (m["year"] == year) & (m["criterion_no"] == crit), col].item()


def test_matrix_grid_and_effective_status():
    m = results.criteria_matrix(make_dataset())
    assert len(m) == 3 * 5 * 4
    assert list(m.columns[:6]) == ["unit_code", "year", "criterion_no", "criterion_name", "group_code",
                                   "declared_status"]
    # Dầu Giây 2020 declared not_reached, but the NTM criteria do not apply to a town
    assert _status(m, C, 2020, 10, "declared_status") == "not_reached"
    assert _status(m, C, 2020, 10) == "not_applicable"
    assert _status(m, C, 2018, 10) == "reached"
    # blank cell -> declared None, effective "missing"
    assert pd.isna(_status(m, B, 2017, 15, "declared_status"))
    assert _status(m, B, 2017, 15) == "missing"
    assert _status(m, A, 2018, 15) == "not_reached"
    assert _status(m, A, 2016, 10, "group_code") == "III"
    assert _status(m, A, 2016, 17, "group_code") == "IV"


def test_unit_without_submission_is_missing_everywhere():
    m = results.criteria_matrix(make_dataset(with_missing_unit=True))
    d = m[m["unit_code"] == D]
    assert len(d) == 20 and set(d["status"]) == {"missing"}


def test_criteria_reached_by_hand():
    r = results.criteria_reached(make_dataset()).set_index(["unit_code", "year"])
    assert r.loc[(A, 2016), ["n_reached", "n_applicable", "n_missing"]].tolist() == [3, 4, 0]
    assert r.loc[(A, 2018), "n_reached"] == 3 and not r.loc[(A, 2018), "all_reached"]
    assert r.loc[(B, 2016), ["n_reached", "n_applicable", "n_missing"]].tolist() == [2, 4, 1]
    assert r.loc[(B, 2017), ["n_reached", "n_applicable", "n_missing"]].tolist() == [1, 4, 2]
    assert r.loc[(C, 2018), ["n_reached", "n_applicable"]].tolist() == [4, 4]
    assert r.loc[(C, 2018), "all_reached"] == True  # noqa: E712 (pandas BooleanDtype scalar)
    # a town year: nothing applies, so "all reached" is unknown, not False
    assert r.loc[(C, 2019), "n_applicable"] == 0
    assert pd.isna(r.loc[(C, 2019), "all_reached"])


def test_criteria_by_group_by_hand():
    g = results.criteria_by_group(make_dataset()).set_index(["unit_code", "year", "group_code"])
    # A 2016: group III = criteria 10 (R) and 11 (N); group IV = 15 (R), 17 (R)
    assert g.loc[(A, 2016, "III"), ["n_reached", "n_criteria", "n_in_group"]].tolist() == [1, 2, 2]
    assert g.loc[(A, 2016, "IV"), ["n_reached", "n_criteria"]].tolist() == [2, 2]
    assert g.loc[(C, 2020, "III"), ["n_reached", "n_criteria", "n_in_group"]].tolist() == [0, 0, 2]


def test_units_all_reached_by_hand():
    u = results.units_all_reached(make_dataset()).set_index("year")
    assert u.loc[2018].tolist() == [1, 3, 3]      # only C, in its last NTM year
    assert u.loc[2016].tolist() == [0, 3, 3]
    assert u.loc[2019].tolist() == [0, 2, 2]      # C is a town: not applicable
    u4 = results.units_all_reached(make_dataset(with_missing_unit=True)).set_index("year")
    assert u4.loc[2016, "n_units_applicable"] == 4 and u4.loc[2016, "n_units_reporting"] == 3


def test_not_applicable_declared_where_the_criteria_apply_is_unknown_not_skipped():
    """A xã's year is never "not applicable": such a declaration (ingest refuses it, E_NOT_APPLICABLE) counts as
    nothing declared, so a lost criterion cannot hide behind it."""
    ds = make_dataset()
    st = ds.criteria_status
    row = st.index[(st["unit_code"] == A) & (st["year"] == 2019)][0]
    st.loc[row, "status"] = "not_applicable"
    no = int(st.loc[row, "criterion_no"])
    m = results.criteria_matrix(ds).set_index(["unit_code", "year", "criterion_no"])
    assert m.loc[(A, 2019, no), "declared_status"] == "not_applicable"
    assert m.loc[(A, 2019, no), "status"] == "missing"
