"""Roll-ups: B moved to a second district ("999"), so district 738 = A + C, district 999 = B, province 75 = all."""

import pandas as pd
import pytest
from fixtures_analysis import make_dataset

from nrlib.analysis import rollup


@pytest.fixture(scope="module")
def two_districts():
    return make_dataset(b_district="999")


def test_campaign_totals_district_and_province_by_hand(two_districts):
    d = rollup.rollup(two_districts, "district")["campaign_totals"].set_index(["district_code", "code"])
    assert d.loc[("738", "VD01"), "value_period"] == 5000 + 1000
    assert d.loc[("999", "VD01"), "value_period"] == 500
    assert d.loc[("738", "VD11"), "value_last_year"] == 10400 + 2200
    p = rollup.rollup(two_districts, "province")["campaign_totals"].set_index(["province_code", "code"])
    assert p.loc[("75", "VD01"), "value_period"] == 6500
    # province = sum of districts, metric by metric
    sums = d.groupby("code")[["value_period", "value_last_year", "value_first_year"]].sum(min_count=1)
    got = p.droplevel(0)[["value_period", "value_last_year", "value_first_year"]].loc[sums.index]
    pd.testing.assert_frame_equal(got, sums, check_names=False)


def test_rates_recomputed_at_each_level(two_districts):
    d = rollup.rollup(two_districts, "district")["rates"]
    d = d[(d["code"] == "R_POOR") & (d["year"] == 2016)].set_index("district_code")
    assert d.loc["738", "rate"] == pytest.approx(100 * 340 / 12000)
    assert d.loc["999", "rate"] == pytest.approx(10.0)
    p = rollup.rollup(two_districts, "province")["rates"]
    p = p[(p["code"] == "R_POOR") & (p["year"] == 2016)].iloc[0]
    assert p["rate"] == pytest.approx(100 * 390 / 12500)
    assert p["rate"] != pytest.approx((d.loc["738", "rate"] + d.loc["999", "rate"]) / 2)


def test_criteria_counts_by_hand(two_districts):
    r = rollup.rollup(two_districts, "district")
    c = r["criteria"].set_index(["district_code", "year"])
    cols = ["n_units", "n_units_applicable", "n_units_all_reached", "n_criteria_reached", "n_criteria_applicable"]
    assert c.loc[("738", 2018), cols].tolist() == [2, 2, 1, 7, 8]
    assert c.loc[("738", 2018), "share_reached"] == pytest.approx(87.5)
    assert c.loc[("738", 2019), cols].tolist() == [2, 1, 0, 3, 4]      # Dầu Giây is a town
    assert c.loc[("999", 2018), cols].tolist() == [1, 1, 0, 2, 4]
    bc = r["criteria_by_criterion"].set_index(["district_code", "year", "criterion_no"])
    assert bc.loc[("738", 2019, 10), ["n_units_reached", "n_units_applicable"]].tolist() == [1, 1]
    m = r["maintenance"].set_index(["district_code", "criterion_no"])
    assert m.loc[("738", 17), ["lost", "lost_and_regained"]].tolist() == [1, 1]
    assert m.loc[("999", 17), "no_data"] == 1
    rep = r["reporting"].set_index("district_code")
    assert rep.loc["738", ["n_units", "n_received", "n_on_time", "n_missing"]].tolist() == [2, 2, 2, 0]
    assert rep.loc["999", ["n_units", "n_received", "n_on_time", "n_missing"]].tolist() == [1, 1, 0, 0]


def test_province_counts_equal_sum_of_districts(two_districts):
    d = rollup.rollup(two_districts, "district")
    p = rollup.rollup(two_districts, "province")
    cols = ["n_units", "n_units_applicable", "n_units_all_reached", "n_criteria_reached", "n_criteria_applicable"]
    pd.testing.assert_frame_equal(d["criteria"].groupby("year")[cols].sum(),
                                  p["criteria"].set_index("year")[cols], check_dtype=False)
    assert set(p["criteria"]["level"]) == {"province"}


def test_unit_level_is_refused(two_districts):
    with pytest.raises(ValueError):
        rollup.rollup(two_districts, "unit")
