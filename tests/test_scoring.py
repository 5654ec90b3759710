"""Fixed-point scoring worked out by hand on the hand-made dataset (tests/fixtures_analysis.py), with the
reference table (data/reference/scoring_2016_2020.yaml).

Figures of A (xã Gia Kiệm), B (xã Gia Tân 2), C (thị trấn Dầu Giây, xã years 2016-2018) and their points:

==========================  =====================  =====================  =====================
rule                        A                      B                      C
==========================  =====================  =====================  =====================
money per household         7000/10400=0,67 → 2    750/500=1,5 → 4        1000/2200=0,45 → 2
poor-household rate 2020    104/10400=1% → 5       10/500=2% → 4          22/2200=1% → 5
fall of that rate           3−1=2 → 5              10−2=8 → 5             2−1=1 → 4
II.1                        12                     13                     11
clean water 2020            9880/10400=95% → 5     495/500=99% → 5        no figure → 0
II.2, II.5                  no figure → 0          0                      0
criteria reached            15/20 → 15×0,75=11,25  9/20 → 6,75            10/12 → 12,5
criteria lost, to 4 steps   2×4/4=2 → 5−2=3        0 → 5                  1×4/2=2 → 3
NTM                         14,25                  11,75                  15,5
days late (calendar)        0 → 3                  2 (20/02) → 1          0 → 3
completeness                43/225 → 0             37/225 → 0             29/181 → 0
total / 80                  34,25 → 42,81          30,75 → 38,44          29,5 → 36,88
==========================  =====================  =====================  =====================

I and II.4 have no figure in the outline (the council scores them): every class is provisional.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from fixtures_analysis import A, B, C, D, YEARS, make_dataset

from nrlib.analysis import ranking, scoring
from nrlib.reference.scoring import load_scoring_table, parse_rule


def _pivot(df, values):
    return df.pivot(index="unit_code", columns="content_code", values=values)


def test_content_points_by_hand():
    cs = _pivot(scoring.content_scores(make_dataset()), "verified_points")
    assert cs.loc[A, ["II.1", "II.2", "II.3", "II.5", "NTM", "BC"]].tolist() == pytest.approx([12, 0, 5, 0, 14.25, 3])
    assert cs.loc[B, ["II.1", "II.2", "II.3", "II.5", "NTM", "BC"]].tolist() == pytest.approx([13, 0, 5, 0, 11.75, 1])
    assert cs.loc[C, ["II.1", "II.2", "II.3", "II.5", "NTM", "BC"]].tolist() == pytest.approx([11, 0, 0, 0, 15.5, 3])
    assert cs[["I", "II.4"]].isna().all().all()                      # left to the council


def test_rule_figures_by_hand():
    rp = scoring.rule_points(make_dataset())
    v = rp.pivot(index="rule_code", columns="unit_code", values="value")
    assert v.loc["mobilisation_per_household", [A, B, C]].tolist() == pytest.approx([7000 / 10400, 1.5, 1000 / 2200])
    assert v.loc["poverty_rate_fall", [A, B, C]].tolist() == pytest.approx([2, 8, 1])
    assert v.loc["criteria_reached", [A, B, C]].tolist() == pytest.approx([0.75, 0.45, 10 / 12])
    assert v.loc["criteria_losses", [A, B, C]].tolist() == pytest.approx([2, 0, 2])
    assert v.loc["days_late", [A, B, C]].tolist() == [0, 2, 0]
    # the cells outline version 2 asks for: 90 more than version 1's (18 more typed VanDong metrics × 5 years)
    assert v.loc["completeness", [A, B, C]].tolist() == pytest.approx([100 * 43 / 315, 100 * 37 / 315, 100 * 29 / 271])
    s = rp.set_index(["unit_code", "rule_code"])["status"]
    assert s[(C, "clean_water_rate")] == "no_data" and s[(A, "clean_water_rate")] == "scored"


def test_totals_score_out_of_100_and_provisional_class():
    u = scoring.unit_scores(make_dataset()).set_index("unit_code")
    assert u.index.tolist() == [A, B, C]                              # ds.units order: classes, not ranks
    assert u.loc[[A, B, C], "points"].tolist() == pytest.approx([34.25, 30.75, 29.5])
    assert (u["max_points"] == 80).all() and (u["n_contents_council"] == 2).all() and u["provisional"].all()
    assert u.loc[A, "score_100"] == pytest.approx(100 * 34.25 / 80)
    assert u["class_label"].tolist() == ["Yếu"] * 3 and u["self_points"].isna().all()


def test_classes_and_their_thresholds_come_from_the_table(tmp_path):
    text = load_scoring_table().path.read_text(encoding="utf-8")
    head, _ = text.split("\nclasses:", 1)
    own = tmp_path / "scoring.yaml"
    own.write_text(head + "\nclasses:\n  - {code: a, label: Loại A, at_least: 40}\n"
                   "  - {code: b, label: Loại B, at_least: 37}\nbelow: {code: c, label: Loại C}\n", encoding="utf-8")
    u = scoring.unit_scores(make_dataset(), table=load_scoring_table(own)).set_index("unit_code")
    # 42,81 ≥ 40; 38,44 ≥ 37; 36,88 < 37
    assert u.loc[[A, B, C], "class_label"].tolist() == ["Loại A", "Loại B", "Loại C"]
    assert u.loc[[A, B, C], "class_code"].tolist() == ["a", "b", "c"]


def _twins():
    """A and C (the town) with the same figures, and each year 3 of the 4 criteria reached; 2 criteria lost over
    A's 4 year-to-year changes, 1 over C's 2: the same per-year performance."""
    ds = make_dataset()
    pattern = {A: {10: "RRRNR", 11: "RRNRR", 15: "RNRRR", 17: "NRRRN"},      # 10, 11, 15 l&r; 17 lost
               C: {10: "RRRaa", 11: "RRNaa", 15: "RNRaa", 17: "NRRaa"}}      # 11 lost; 15 l&r; 17 gained
    code = {"R": "reached", "N": "not_reached", "a": "not_applicable"}
    st = ds.criteria_status[ds.criteria_status["unit_code"] == B].copy()
    rows = [{"unit_code": u, "year": y, "criterion_no": c, "status": code[s[i]], "submission_id": 1}
            for u, crit in pattern.items() for c, s in crit.items() for i, y in enumerate(YEARS)]
    ds.criteria_status = pd.concat([st, pd.DataFrame(rows)], ignore_index=True)
    va = ds.values[ds.values["unit_code"] == A]
    ds.values = pd.concat([ds.values[ds.values["unit_code"] != C], va.assign(unit_code=C)], ignore_index=True)
    ds.submissions.loc[ds.submissions["unit_code"] == C, "received_date"] = dt.date(2021, 2, 10)
    return ds


def test_the_town_is_not_favoured_for_having_fewer_applicable_years():
    ds = _twins()
    rp = scoring.rule_points(ds).set_index(["unit_code", "rule_code"])
    # criteria reached: A 15/20, C 9/12, both 0,75 → 11,25; criteria lost: A 4 × 4/4, C 2 × 4/2, both 4 → 5 − 4 = 1
    for rule, value, points in (("criteria_reached", 0.75, 11.25), ("criteria_losses", 4, 1)):
        assert rp.loc[(A, rule), ["value", "points"]].tolist() == pytest.approx([value, points])
        assert rp.loc[(C, rule), ["value", "points"]].tolist() == pytest.approx([value, points])
    u = scoring.unit_scores(ds).set_index("unit_code")
    assert u.loc[C, "score_100"] == pytest.approx(u.loc[A, "score_100"])
    assert u.loc[C, "class_code"] == u.loc[A, "class_code"]
    # the relative ranking's maintenance share (kept + gained ÷ classified) favours the town: A 0/4, C 2/4
    raw = ranking.ranking_components(ds).set_index("unit_code")["maintenance"]
    assert raw[C] > raw[A]


def test_one_units_outlier_moves_no_other_units_points():
    ds, big = make_dataset(), make_dataset()
    big.values.loc[(big.values["unit_code"] == B) & (big.values["data_element"] == "VD01"), "value"] *= 1000
    before = scoring.content_scores(ds).set_index(["unit_code", "content_code"])["verified_points"]
    after = scoring.content_scores(big).set_index(["unit_code", "content_code"])["verified_points"]
    pd.testing.assert_series_equal(before.drop(B, level=0), after.drop(B, level=0))
    # while the relative ranking moves A and C (their money component is rescaled against B's)
    r0 = ranking.commendation_ranking(ds).set_index("unit_code")
    r1 = ranking.commendation_ranking(big).set_index("unit_code")
    assert r0.loc[A, "mobilisation_per_household"] != pytest.approx(r1.loc[A, "mobilisation_per_household"])


def test_working_days_late_across_the_weekend_change_the_deduction(tmp_path, monkeypatch):
    ds = make_dataset()
    ds.submissions.loc[ds.submissions["submission_id"] == 2, "received_date"] = dt.date(2021, 2, 22)   # B, Monday
    rp = scoring.rule_points(ds).set_index(["unit_code", "rule_code"])
    assert rp.loc[(B, "days_late"), ["value", "points", "value_unit"]].tolist() == [4, 0, "ngày"]   # 19..22
    f = tmp_path / "district_settings.yaml"
    f.write_text("timeliness:\n  count_days: working\n", encoding="utf-8")
    monkeypatch.setenv("NRLIB_DISTRICT_SETTINGS", str(f))
    rp = scoring.rule_points(ds).set_index(["unit_code", "rule_code"])
    # Friday 19 and Monday 22: 2 working days, 3 − 2 = 1 point
    assert rp.loc[(B, "days_late"), ["value", "points", "value_unit"]].tolist() == [2, 1, "ngày làm việc"]


def test_a_unit_that_sent_nothing_is_not_scored_and_a_town_throughout_is_compared_on_what_applies():
    ds = make_dataset(with_missing_unit=True)
    assert D not in set(scoring.unit_scores(ds)["unit_code"])
    ds.unit_years.loc[ds.unit_years["unit_code"] == C, "ntm_applies"] = False
    cs = scoring.content_scores(ds).set_index(["unit_code", "content_code"])
    assert cs.loc[(C, "NTM"), "status"] == "not_applicable" and pd.isna(cs.loc[(C, "NTM"), "verified_points"])
    u = scoring.unit_scores(ds).set_index("unit_code")
    # C without the NTM content: 11 + 0 + 0 + 0 + 3 = 14 of 60
    assert u.loc[C, ["points", "max_points"]].tolist() == [14, 60] and u.loc[C, "n_contents_not_applicable"] == 1
    assert u.loc[C, "score_100"] == pytest.approx(100 * 14 / 60)


def test_self_scores_are_read_where_the_outline_has_a_cell(tmp_path):
    text = load_scoring_table().path.read_text(encoding="utf-8")
    own = tmp_path / "scoring.yaml"
    own.write_text(text.replace("  - code: II.1\n    section: II.1\n    name: Phát triển kinh tế, giảm nghèo bền "
                                "vững\n    max_points: 20\n    self_score: TC.II.1",
                                "  - code: II.1\n    section: II.1\n    name: Phát triển kinh tế, giảm nghèo bền "
                                "vững\n    max_points: 20\n    self_score: DG_II1"), encoding="utf-8")
    t = load_scoring_table(own)
    ds = make_dataset()
    ds.values = pd.concat([ds.values, pd.DataFrame([{"unit_code": A, "year": 2020, "data_element": "DG_II1",
                                                     "value": 18.0, "submission_id": 1}])], ignore_index=True)
    cs = scoring.content_scores(ds, table=t).set_index(["unit_code", "content_code"])
    assert cs.loc[(A, "II.1"), "self_points"] == 18 and np.isnan(cs.loc[(B, "II.1"), "self_points"])
    assert cs.loc[(A, "NTM"), "self_points"] != cs.loc[(A, "NTM"), "self_points"]          # NaN: no cell
    assert cs.loc[(A, "NTM"), "self_status"] == "not_asked" and cs.loc[(A, "II.1"), "self_status"] == "scored"
    assert scoring.unit_scores(ds, table=t).set_index("unit_code").loc[A, "self_points"] == 18


def test_self_scores_are_read_from_the_key_value_fields_of_outline_2():
    """TuCham lands in ds.info (key, value as text): A scored two contents, B left II.1 blank (its workbook asked:
    "chưa tự chấm"), C sent a version 1 workbook (no TuCham rows: "không có số liệu"). Self-scores never move the
    verified points."""
    ds = make_dataset()
    before = scoring.content_scores(ds)["verified_points"].tolist()
    ds.info = pd.DataFrame([{"submission_id": 1, "unit_code": A, "key": "TC.II.1", "value": "18.5"},
                            {"submission_id": 1, "unit_code": A, "key": "TC.NTM", "value": "20"},
                            {"submission_id": 1, "unit_code": A, "key": "preparer_name", "value": "x"},
                            {"submission_id": 2, "unit_code": B, "key": "TC.II.1", "value": None}])
    cs = scoring.content_scores(ds).set_index(["unit_code", "content_code"])
    assert cs.loc[(A, "II.1"), "self_points"] == 18.5 and cs.loc[(A, "NTM"), "self_points"] == 20
    assert np.isnan(cs.loc[(B, "II.1"), "self_points"]) and cs.loc[(B, "II.1"), "self_status"] == "blank"
    assert cs.loc[(C, "II.1"), "self_status"] == "not_asked" and cs.loc[(A, "BC"), "self_status"] == "not_asked"
    assert scoring.content_scores(ds)["verified_points"].tolist() == pytest.approx(before, nan_ok=True)
    u = scoring.unit_scores(ds).set_index("unit_code")
    assert u.loc[A, "self_points"] == 38.5 and np.isnan(u.loc[B, "self_points"]) and np.isnan(u.loc[C, "self_points"])


@pytest.mark.parametrize("kind,steps,values,expected", [
    ("steps", [{"at_least": 5, "points": 10}, {"above": 0, "points": 2}], [6, 5, 4.9, 0, -1, np.nan], [10, 10, 2, 0, 0, 0]),
    ("steps", [{"at_most": 1, "points": 5}, {"below": 3, "points": 3}], [0.5, 1, 2.9, 3, np.nan], [5, 5, 3, 0, 0]),
])
def test_points_of_steps(kind, steps, values, expected):
    rule = parse_rule({"code": "x", "label": "x", "measure": {"kind": "days_late"}, "max_points": 10,
                  "points": {"kind": kind, "steps": steps}}, "test")
    assert scoring.points_of(rule, values).tolist() == expected


def test_method_text_says_fixed_points_per_year_footing_and_unverified():
    t = scoring.scoring_method_text()
    assert "điểm chuẩn cố định" in t and "một phần giai đoạn" in t and "tạm xếp loại" in t
    assert "Xuất sắc: từ 90 điểm" in t and "Yếu: dưới 50 điểm" in t and "tổng 100 điểm" in t
    assert "trang TuCham" in t and "không dùng để tính điểm thẩm định" in t and "phiên bản 1" in t
    assert "chưa được Hội đồng Thi đua – Khen thưởng thông qua" in t


def test_every_measure_the_table_may_name_is_computed():
    from nrlib.reference.scoring import MEASURE_KINDS

    assert set(scoring.MEASURES) == set(MEASURE_KINDS)


def test_the_total_column_keeps_its_decimals_so_it_aligns():
    from nrlib.present.scoring import scores_frame

    frame, _ = scores_frame(make_dataset())
    totals = frame["total"].tolist()
    assert totals == ["34,25/80", "30,75/80", "29,50/80"]          # 29,5 shown as the column's 2 decimals
