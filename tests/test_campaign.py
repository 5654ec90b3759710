"""Campaign totals, rates and values per household on the hand-made dataset."""

import math

import pandas as pd
import pytest
from fixtures_analysis import A, B, C, make_dataset

from nrlib.analysis import campaign


def _get(df, key, code, col, keycol="unit_code"):
    return df.loc[(df[keycol] == key) & (df["code"] == code), col].item()


def test_household_metric_comes_from_the_outline():
    assert make_dataset().outline.household_metric == "VD11"


def test_campaign_values_numeric_and_blank_free():
    v = campaign.campaign_values(make_dataset())
    assert v["value"].dtype == float
    assert len(v[(v["unit_code"] == A) & (v["code"] == "VD02")]) == 4   # 2020 was blank
    assert not v["code"].isin(["10", "15.1"]).any()                     # typed indicators are not metrics


def test_unit_totals_flows_sum_stocks_last_year():
    t = campaign.campaign_totals(make_dataset(), "unit")
    assert _get(t, A, "VD01", "value_period") == 5000
    assert _get(t, A, "VD02", "value_period") == 2000 and _get(t, A, "VD02", "n_years") == 4
    assert pd.isna(_get(t, A, "VD02", "value_last_year"))
    # a stock is never summed over years
    assert pd.isna(_get(t, A, "VD11", "value_period"))
    assert _get(t, A, "VD11", "value_last_year") == 10400
    assert _get(t, A, "VD11", "value_first_year") == 10000
    assert _get(t, A, "VD11", "change_period") == 400
    # a metric nobody filled is NA, not 0
    assert pd.isna(_get(t, A, "VD05", "value_period"))
    assert set(t["level"]) == {"unit"} and {"label", "unit", "kind"} <= set(t.columns)


def test_district_totals_by_hand_and_equal_to_sum_of_units():
    ds = make_dataset()
    d = campaign.campaign_totals(ds, "district")
    assert list(d["district_code"].unique()) == ["738"]
    assert _get(d, "738", "VD01", "value_period", "district_code") == 5000 + 500 + 1000
    assert _get(d, "738", "VD02", "value_period", "district_code") == 2000 + 250 + 0
    assert _get(d, "738", "VD11", "value_last_year", "district_code") == 10400 + 500 + 2200
    assert _get(d, "738", "VD11", "value_first_year", "district_code") == 10000 + 500 + 2000
    assert _get(d, "738", "VD11", "change_period", "district_code") == 600
    assert _get(d, "738", "VD01", "n_units", "district_code") == 3
    u = campaign.campaign_totals(ds, "unit")
    for col in ("value_period", "value_last_year", "value_first_year"):
        sums = u.groupby("code")[col].sum(min_count=1)
        got = d.set_index("code")[col]
        pd.testing.assert_series_equal(got.sort_index(), sums.sort_index(), check_names=False)


def test_unit_rates_by_hand():
    r = campaign.rates(make_dataset(), by="unit")
    poor = r[r["code"] == "R_POOR"].set_index(["unit_code", "year"])
    assert poor.loc[(A, 2016), "rate"] == pytest.approx(3.0)
    assert poor.loc[(B, 2016), "rate"] == pytest.approx(10.0)
    assert poor.loc[(C, 2016), "rate"] == pytest.approx(2.0)
    assert poor.loc[(B, 2019), "rate"] == pytest.approx(100 * 20 / 800)
    assert (C, 2017) not in poor.index      # numerator blank: no rate rather than 0


def test_district_rate_recomputed_from_sums_not_averaged():
    """A (10.000 households, 3 %), B (500, 10 %), C (2.000, 2 %): the mean of rates would say 5 %."""
    r = campaign.rates(make_dataset(), by="district")
    poor = r[r["code"] == "R_POOR"].set_index("year")
    assert poor.loc[2016, "numerator"] == 300 + 50 + 40
    assert poor.loc[2016, "denominator"] == 10000 + 500 + 2000
    assert poor.loc[2016, "rate"] == pytest.approx(100 * 390 / 12500)    # 3,12 %
    assert poor.loc[2016, "rate"] != pytest.approx((3 + 10 + 2) / 3)
    # 2017: C left VD12 blank, so C's households do not enter the denominator either
    assert poor.loc[2017, "denominator"] == 10100 + 500 and poor.loc[2017, "n_units"] == 2
    assert poor.loc[2020, "rate"] == pytest.approx(100 * 136 / 13100)


def test_rates_years_filter_and_zero_denominator():
    ds = make_dataset()
    assert set(campaign.rates(ds, years=[2020])["year"]) == {2020}
    ds.values.loc[(ds.values["unit_code"] == B) & (ds.values["data_element"] == "VD11") & (ds.values["year"] == 2020),
                  "value"] = 0.0
    r = campaign.rates(ds, by="unit", years=[2020])
    assert pd.isna(r.loc[(r["unit_code"] == B) & (r["code"] == "R_POOR"), "rate"].item())


def test_per_household_by_hand():
    p = campaign.per_household(make_dataset())
    assert set(p["code"]) == set(make_dataset().outline.metrics.query("kind == 'flow'")["code"])
    row = p[(p["unit_code"] == A) & (p["code"] == "VD01")].iloc[0]
    assert (row.value_period, row.households_last_year) == (5000, 10400)
    assert row.per_household == pytest.approx(5000 / 10400)
    assert _get(p, B, "VD01", "per_household") == pytest.approx(1.0)
    assert _get(p, C, "VD01", "per_household") == pytest.approx(1000 / 2200)
    assert math.isnan(_get(p, C, "VD05", "per_household"))


def test_bad_level_is_refused():
    with pytest.raises(ValueError, match="level"):
        campaign.campaign_totals(make_dataset(), "commune")
