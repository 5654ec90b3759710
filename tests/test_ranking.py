"""Commendation ranking worked out by hand on the hand-made dataset.

Raw components (A, B, C):
  maintenance = (kept + gained) / classified: A 2/4, B 2/3 (no_data left out), C 3/4
  mobilisation per household = (VD01 + VD02) / households 2020: A 7000/10400, B 750/500, C 1000/2200
  poverty reduction (points): A 3 − 1 = 2, B 10 − 2 = 8, C 2 − 1 = 1
  days late: A 0, B 2, C 0
"""

import pandas as pd
import pytest
from fixtures_analysis import A, B, C, D, make_dataset

from nrlib.analysis import ranking

MOB_A = (7000 / 10400 - 1000 / 2200) / (1.5 - 1000 / 2200)


def test_raw_components_by_hand():
    r = ranking.ranking_components(make_dataset()).set_index("unit_code")
    assert r.loc[[A, B, C], "maintenance"].tolist() == pytest.approx([0.5, 2 / 3, 0.75])
    assert r.loc[[A, B, C], "mobilisation_per_household"].tolist() == pytest.approx([7000 / 10400, 1.5, 1000 / 2200])
    assert r.loc[[A, B, C], "poverty_reduction"].tolist() == pytest.approx([2.0, 8.0, 1.0])
    assert r.loc[[A, B, C], "timeliness"].tolist() == [0, 2, 0]


def test_ranking_by_hand():
    r = ranking.commendation_ranking(make_dataset())
    assert r["unit_code"].tolist() == [B, C, A]
    assert r["rank"].tolist() == [1, 2, 3]
    s = r.set_index("unit_code")
    assert s.loc[A, ["maintenance", "mobilisation_per_household", "poverty_reduction", "timeliness"]].tolist() == \
        pytest.approx([0.0, MOB_A, 1 / 7, 1.0])
    assert s.loc[B, "maintenance"] == pytest.approx(2 / 3)
    assert s.loc[A, "score"] == pytest.approx(100 * (0.25 * MOB_A + 0.25 / 7 + 0.15))
    assert s.loc[B, "score"] == pytest.approx(100 * (0.35 * 2 / 3 + 0.25 + 0.25))
    assert s.loc[C, "score"] == pytest.approx(100 * (0.35 + 0.15))
    assert s.loc[A, "maintenance_raw"] == pytest.approx(0.5)
    assert s.loc[A, "weight_maintenance"] == 0.35


def test_weights_change_the_ranking_and_are_relative():
    ds = make_dataset()
    r = ranking.commendation_ranking(ds, weights={"timeliness": 1})
    # only timeliness: A and C (on time) share rank 1, B is 3rd
    assert r.set_index("unit_code")["rank"].to_dict() == {A: 1, C: 1, B: 3}
    r2 = ranking.commendation_ranking(ds, weights={"maintenance": 2, "poverty_reduction": 2})
    r1 = ranking.commendation_ranking(ds, weights={"maintenance": 1, "poverty_reduction": 1})
    pd.testing.assert_series_equal(r1["score"], r2["score"])


def test_missing_component_is_left_out_not_zero():
    ds = make_dataset()
    ds.unit_years.loc[ds.unit_years["unit_code"] == C, "ntm_applies"] = False   # C: no applicable criterion
    s = ranking.commendation_ranking(ds).set_index("unit_code")
    assert pd.isna(s.loc[C, "maintenance"])
    # A 0.5 -> 0, B 2/3 -> 1 now; C scored on the three other components only
    assert s.loc[C, "score"] == pytest.approx(100 * 0.15 / (0.25 + 0.25 + 0.15))


def test_unit_without_submission_is_not_ranked():
    r = ranking.commendation_ranking(make_dataset(with_missing_unit=True))
    assert D not in set(r["unit_code"]) and len(r) == 3


@pytest.mark.parametrize("weights,match", [({"charm": 1}, "unknown"), ({"timeliness": -1}, ">= 0"),
                                           ({"timeliness": 0}, "zero"), ({"timeliness": "a"}, "number")])
def test_bad_weights_are_refused(weights, match):
    with pytest.raises(ValueError, match=match):
        ranking.commendation_ranking(make_dataset(), weights=weights)


def test_default_weights_come_from_the_reference_file():
    cfg = ranking.load_ranking_config()
    assert set(cfg["weights"]) == set(ranking.COMPONENTS)
    assert ranking.check_weights(None) == {k: float(v) for k, v in cfg["weights"].items()}


def test_method_text_in_vietnamese_with_weights():
    t = ranking.ranking_method_text()
    assert "Duy trì tiêu chí nông thôn mới (35%)" in t and "min-max" in t and "tham khảo" in t
    assert t.startswith("Xếp hạng tương đối (tham khảo)") and "mọi xã, thị trấn khác" in t
    t = ranking.ranking_method_text({"maintenance": 1, "timeliness": 1})
    assert "(50%)" in t and "Không tính" in t and "Giảm tỷ lệ hộ nghèo" in t


def test_proposals_hide_individual_names_unless_asked():
    p = ranking.proposals_table(make_dataset())        # by unit code: B (26302) before A (26308)
    assert p["unit_code"].tolist() == [B, A, A] and p["seq"].tolist() == [1, 1, 2]
    assert p["name"].tolist() == ["(ẩn tên cá nhân)", "Ấp 1, xã Gia Kiệm", "(ẩn tên cá nhân)"]
    assert "Nguyễn Văn An" not in p.to_string() and "Trần Thị Bình" not in p.to_string()
    # the label typed by B ("Cá nhân") is recognised as the kind "individual"
    assert p["kind"].tolist() == ["individual", "collective", "individual"]
    assert p["kind_label"].tolist() == ["Cá nhân", "Tập thể", "Cá nhân"]
    # an award form typed outside the list is kept as typed; version 1's label is the form under its official name
    assert p["award_form_label"].tolist()[:2] == ["Giấy khen của Chủ tịch UBND xã", "Giấy khen của Chủ tịch UBND huyện"]
    assert p["award_form"].tolist()[1] == "district_certificate"
    assert p["unit_name"].tolist()[0] == "Xã Gia Tân 2"
    full = ranking.proposals_table(make_dataset(), include_personal_data=True)
    assert full["name"].tolist() == ["Trần Thị Bình", "Ấp 1, xã Gia Kiệm", "Nguyễn Văn An"]
