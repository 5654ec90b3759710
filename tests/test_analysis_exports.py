"""The tables handed to `nrlib export`."""

import pandas as pd
import pytest
from fixtures_analysis import A, B, C, make_dataset

from nrlib.analysis import quality
from nrlib.analysis import tables as analysis_exports


@pytest.fixture(scope="module")
def tables():
    return analysis_exports.analysis_tables(make_dataset())


def test_table_names(tables):
    assert set(tables) == {"maintenance", "campaign_totals", "quality_flags", "scores", "score_contents",
                           "score_rules", "scoring_table", "relative_ranking"}


def test_maintenance_table(tables):
    m = tables["maintenance"]
    assert {"unit_code", "criterion_no", "class"} <= set(m.columns) and len(m) == 3 * 4
    row = m[(m["unit_code"] == A) & (m["criterion_no"] == 15)].iloc[0]
    assert (row["class"], row["lost_year"], row["regained_year"]) == ("lost_and_regained", 2018, 2020)
    assert m.loc[(m["unit_code"] == C) & (m["criterion_no"] == 10), "class"].item() == "kept"


def test_campaign_totals_table(tables):
    t = tables["campaign_totals"]
    assert set(t["level"]) == {"unit", "district"}
    d = t[t["level"] == "district"].set_index("data_element")
    assert (d.loc["VD01", "code"], d.loc["VD01", "value"]) == ("738", 6500)
    assert d.loc["VD01", "value_basis"] == "sum_of_years"
    assert (d.loc["VD11", "value"], d.loc["VD11", "value_basis"]) == (13100, "last_year")
    # the poor-household rate rides on its numerator, recomputed from district sums
    assert (d.loc["VD12", "rate_code"], d.loc["VD12", "rate_year"]) == ("R_POOR", 2020)
    assert d.loc["VD12", "rate"] == pytest.approx(100 * 136 / 13100)
    assert pd.isna(d.loc["VD11", "rate"])
    u = t[(t["level"] == "unit") & (t["code"] == B)].set_index("data_element")
    assert u.loc["VD01", "value"] == 500 and u.loc["VD12", "rate"] == pytest.approx(2.0)
    # district equals sum of units for every flow
    units = t[t["level"] == "unit"].groupby("data_element")["value"].sum(min_count=1)
    pd.testing.assert_series_equal(d["value"].sort_index(), units.sort_index(), check_names=False)


def test_flags_and_ranking_tables(tables):
    pd.testing.assert_frame_equal(tables["quality_flags"], quality.quality_flags(make_dataset()))
    assert tables["relative_ranking"]["unit_code"].tolist() == [B, C, A]


def test_scoring_tables(tables):
    """Points per content and the class of each unit, as tests/test_scoring.py works them out by hand."""
    s = tables["scores"].set_index("unit_code")
    assert s.loc[[A, B, C], "points"].tolist() == pytest.approx([34.25, 30.75, 29.5])
    assert set(s["class_label"]) == {"Yếu"} and s["provisional"].all()
    c = tables["score_contents"]
    assert len(c) == 3 * 8 and set(c["status"]) == {"scored", "council"}
    assert c.set_index(["unit_code", "content_code"]).loc[(C, "NTM"), "verified_points"] == pytest.approx(15.5)
    r = tables["score_rules"]
    assert r.set_index(["unit_code", "rule_code"]).loc[(B, "days_late"), "value"] == 2
    t = tables["scoring_table"]
    assert t.groupby("content_code", sort=False)["content_max_points"].first().sum() == 100
    assert t.groupby("content_code", sort=False)["rule_max_points"].sum().tolist() == [10, 20, 15, 10, 10, 10, 20, 5]
    assert t.loc[t["content_code"] == "I", "rule_label"].item() == "Hội đồng Thi đua – Khen thưởng chấm theo báo cáo"


def test_nothing_received_yet_and_no_units_at_all():
    """Before the first workbook arrives every analysis still runs, and says so."""
    import dataclasses

    from nrlib.analysis import rollup
    from nrlib.dataset import empty_frame
    from nrlib.present import narrative

    base = make_dataset()
    blank = {n: empty_frame(n) for n in ("submissions", "values", "criteria_status", "proposals")}
    nothing = dataclasses.replace(base, **blank)
    t = analysis_exports.analysis_tables(nothing)
    assert set(t["maintenance"]["class"]) <= {"no_data", "not_applicable"}
    assert t["campaign_totals"]["value"].isna().all() and t["relative_ranking"].empty and t["scores"].empty
    assert t["quality_flags"].empty
    assert narrative.district_sentences(nothing)[0].figures == {"expected": 3, "received": 0, "on_time": 0,
                                                                 "late": 0, "missing": 3}
    no_units = dataclasses.replace(nothing, units=base.units.iloc[:0], unit_years=empty_frame("unit_years"))
    empty = analysis_exports.analysis_tables(no_units)
    assert all(len(v) == 0 for k, v in empty.items() if k != "scoring_table") and len(empty["scoring_table"])
    assert rollup.rollup(no_units, "province")["criteria"].empty
