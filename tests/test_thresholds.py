"""Indicator values against levels, on the hand-made dataset (levels of region dnb: 10 ≥ 59 in 2020,
15.1 ≥ 85, 15.3 ≤ 14,3, 17.1 ≥ 98)."""

import pandas as pd
import pytest
from fixtures_analysis import A, B, C, make_dataset

from nrlib.analysis import thresholds


def _one(df, unit, year, code):
    rows = df[(df["unit_code"] == unit) & (df["year"] == year) & (df["indicator_code"] == code)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_indicator_values_typed_and_derived():
    iv = thresholds.indicator_values(make_dataset())
    assert (iv["origin"] == "typed").sum() == 6
    # 11 = 100 × VD12 / VD11 where both exist: A 5 years, B 5, C 2016 and 2020
    assert (iv["indicator_code"] == "11").sum() == 12
    assert _one(iv, A, 2016, "11").value == pytest.approx(3.0)
    assert _one(iv, B, 2019, "11").value == pytest.approx(2.5)
    r = _one(iv, A, 2020, "17.1")
    assert (r.value, r.origin, r.bound) == (pytest.approx(95.0), "derived", "lower")
    assert _one(iv, B, 2020, "17.1").value == pytest.approx(99.0)
    assert _one(iv, A, 2020, "10").bound == "exact"
    assert len(iv) == 6 + 12 + 2


def test_threshold_checks_by_hand():
    ch = thresholds.threshold_checks(make_dataset())
    r = _one(ch, A, 2020, "10")
    assert (r.level, r.comparison, bool(r.level_known), r.meets, r.gap) == (59, "≥", True, False, pytest.approx(-4))
    r = _one(ch, A, 2020, "15.1")
    assert (r.meets, r.gap) == (True, pytest.approx(5))
    r = _one(ch, B, 2020, "15.3")        # a ceiling: 15 is 0,7 over 14,3
    assert (r.comparison, r.meets, r.gap) == ("≤", False, pytest.approx(-0.7))
    r = _one(ch, C, 2019, "15.3")        # measured, but the criteria did not apply that year
    assert r.meets == False and r.ntm_applies == False  # noqa: E712


def test_unknown_level_gives_na_not_a_guess():
    ch = thresholds.threshold_checks(make_dataset())
    r = _one(ch, A, 2019, "10")          # income level known for 2020 only
    assert not r.level_known and pd.isna(r.meets) and pd.isna(r.gap) and pd.isna(r.level)
    assert r.comparison == "≥"           # from the criteria set
    eleven = ch[ch["indicator_code"] == "11"]
    assert not eleven["level_known"].any() and eleven["meets"].isna().all()


def test_lower_bound_cannot_prove_a_miss():
    ch = thresholds.threshold_checks(make_dataset())
    r = _one(ch, A, 2020, "17.1")        # 95 % is a lower bound of 17.1; level 98
    assert r.level_known and pd.isna(r.meets) and r.gap == pytest.approx(-3)
    assert _one(ch, B, 2020, "17.1").meets == True  # noqa: E712  99 ≥ 98 is proven


def test_lower_bound_against_a_ceiling_can_only_prove_a_miss():
    ds = make_dataset()
    ds.levels.loc[ds.levels["indicator_code"] == "17.1", ["comparison", "level"]] = ["≤", 96.0]
    ch = thresholds.threshold_checks(ds)
    assert pd.isna(_one(ch, A, 2020, "17.1").meets)          # 95 ≤ 96 but the true value may be higher
    assert _one(ch, B, 2020, "17.1").meets == False  # noqa: E712  ≥ 99 > 96 is proven


def test_most_specific_scope_wins_and_foreign_scopes_are_ignored():
    ds = make_dataset()
    extra = pd.DataFrame([
        {"indicator_code": "15.1", "year": 2020, "comparison": "≥", "level": 92.0, "scope": "738", "confidence": "V"},
        {"indicator_code": "15.1", "year": 2018, "comparison": "≥", "level": 50.0, "scope": "999", "confidence": "V"},
        {"indicator_code": "15.3", "year": None, "comparison": "≤", "level": 16.0, "scope": "75", "confidence": "V"},
    ])
    ds.levels = pd.concat([ds.levels, extra], ignore_index=True)
    ch = thresholds.threshold_checks(ds)
    r = _one(ch, A, 2020, "15.1")        # district 738 level 92 beats region dnb 85
    assert (r.level, r.scope, r.meets) == (92.0, "738", False)
    assert _one(ch, B, 2018, "15.1").level == 85.0        # scope 999 is another district
    r = _one(ch, B, 2020, "15.3")        # a province level without a year beats the region's
    assert (r.level, r.scope, r.meets) == (16.0, "75", True)


def test_declared_vs_measured_by_hand():
    d = thresholds.declared_vs_measured(make_dataset())
    got = [(r.unit_code, r.year, r.criterion_no, r.indicator_code, r.value, r.level) for r in d.itertuples()]
    assert got == [(B, 2018, 15, "15.1", 80.0, 85.0), (B, 2020, 15, "15.3", 15.0, 14.3),
                   (A, 2020, 10, "10", 55.0, 59.0)]
    assert d["gap"].tolist() == pytest.approx([-5.0, -0.7, -4.0])
    assert set(d["declared_status"]) == {"reached"}
    # C's 2019 miss is in a year the criteria did not apply: not a contradiction
    assert C not in set(d["unit_code"])


def test_unknown_levels_lists_what_cannot_be_checked():
    u = thresholds.unknown_levels(make_dataset())
    assert u["indicator_code"].tolist() == ["10", "11", "17.2", "17.6", "17.7", "17.8"]
    ten = u.iloc[0]
    assert (ten.years_with_level, ten.years_without_level) == ("2020", "2016, 2017, 2018, 2019")
    assert u.set_index("indicator_code").loc["11", "origin"] == "derived"


def test_levels_without_scope_hold_for_every_unit():
    ds = make_dataset()
    ds.levels = ds.levels.drop(columns=["scope"])
    r = _one(thresholds.threshold_checks(ds), A, 2020, "10")
    assert (r.level, r.meets) == (59.0, False) and pd.isna(r.scope)
