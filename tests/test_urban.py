"""nrlib.analysis.urban: the town's years judged against "đạt chuẩn văn minh đô thị", on hand-made data.

Unit C of ``fixtures_analysis`` is xã Xuân Thạnh 2016-2018 and thị trấn Dầu Giây 2019-2020. Added here:

======  ==========================================  ============================================
year    campaign counts                             declared (ds.urban_status)
======  ==========================================  ============================================
2019    VD15 1.470 / VD11 2.100 = 70 % (< 80 %)      VM1 Đạt, VM3 Chưa đạt, VM4 "Không áp dụng"
2020    VD15 1.980 / VD11 2.200 = 90 %; VD17 8 / 10  VM1-VM5 Đạt; VM2.3 typed 70 (< 80 %)
======  ==========================================  ============================================

Expected, by hand: 2019 VM1 reached (declared), VM2 not_reached (measured: 70 % of households this year, so at
most 70 % "3 years running"), VM3 not_reached (declared), VM4 and VM5 missing ("Không áp dụng" says nothing) →
not the standard (all_reached False). 2020: VM2.1 (90 %) and VM2.2 (80 %) prove nothing (upper bounds at or above
80 %); VM2.3 typed 70 % is exact and a miss, which contradicts VM2's Đạt: status stays Đạt, ``conflict`` True.
"""

from __future__ import annotations

import pandas as pd
import pytest
from fixtures_analysis import A, C, make_dataset, make_town_dataset

from nrlib.analysis import urban


def test_urban_years_are_the_towns_years_only():
    uy = urban.urban_years(make_dataset())
    assert list(zip(uy["unit_code"], uy["year"], uy["name"])) == [(C, 2019, "Thị trấn Dầu Giây"),
                                                                   (C, 2020, "Thị trấn Dầu Giây")]


def test_measured_indicators_are_upper_bounds_unless_typed():
    chk = urban.urban_checks(make_town_dataset()).set_index(["year", "indicator_code"])
    assert chk.loc[(2019, "VM2.1"), "value"] == pytest.approx(70.0)
    assert chk.loc[(2019, "VM2.1"), "bound"] == "upper" and not chk.loc[(2019, "VM2.1"), "meets"]
    assert chk.loc[(2019, "VM2.1"), "level"] == 80 and chk.loc[(2019, "VM2.1"), "scope"] == "national"
    assert chk.loc[(2020, "VM2.1"), "value"] == pytest.approx(90.0) and pd.isna(chk.loc[(2020, "VM2.1"), "meets"])
    assert chk.loc[(2020, "VM2.2"), "value"] == pytest.approx(80.0) and pd.isna(chk.loc[(2020, "VM2.2"), "meets"])
    typed = chk.loc[(2020, "VM2.3")]
    assert (typed["origin"], typed["bound"], bool(typed["meets"])) == ("typed", "exact", False)
    assert pd.isna(chk.loc[(2019, "VM1.1"), "value"])          # nothing measures it: no value, no verdict
    assert set(chk.reset_index()["year"]) == {2019, 2020}         # a xã's years have no urban check


def test_status_declared_first_then_a_proven_miss_then_missing():
    m = urban.urban_matrix(make_town_dataset()).set_index(["year", "criterion_code"])
    got = {k: (r["status"], r["origin"]) for k, r in m.iterrows()}
    assert got[(2019, "VM1")] == ("reached", "declared")
    assert got[(2019, "VM2")] == ("not_reached", "measured")
    assert got[(2019, "VM3")] == ("not_reached", "declared")
    assert got[(2019, "VM4")][0] == "missing" and got[(2019, "VM5")][0] == "missing"
    assert all(got[(2020, f"VM{i}")] == ("reached", "declared") for i in range(1, 6))
    assert bool(m.loc[(2020, "VM2"), "conflict"]) and not m["conflict"].drop((2020, "VM2")).any()
    assert set(m["unit_code"]) == {C}


def test_reached_counts_and_the_standard_never_false_for_want_of_data():
    r = urban.urban_reached(make_town_dataset()).set_index("year")
    assert r.loc[2019, ["n_reached", "n_not_reached", "n_missing", "n_criteria"]].tolist() == [1, 2, 2, 5]
    assert not pd.isna(r.loc[2019, "all_reached"]) and not r.loc[2019, "all_reached"]
    assert bool(r.loc[2020, "all_reached"]) and r.loc[2020, "n_reached"] == 5
    # outline 1.0 (no urban sheet): nothing declared, nothing proven in 2020 -> unknown, never "not reached"
    v1 = urban.urban_reached(make_town_dataset(declare=False, typed=False)).set_index("year")
    assert v1.loc[2020, "n_missing"] == 5 and pd.isna(v1.loc[2020, "all_reached"])
    # ... but the 70 % of cultural families of 2019 is a measured miss of VM2 even so
    assert v1.loc[2019, "n_not_reached"] == 1 and not pd.isna(v1.loc[2019, "all_reached"])


def test_a_dataset_without_towns_has_no_urban_rows():
    ds = make_dataset()
    xa = ds.for_units([A])
    assert urban.urban_matrix(xa).empty and urban.urban_reached(xa).empty and urban.urban_checks(xa).empty


def test_the_v1_outline_collects_no_declarations_and_v2_does():
    from nrlib.reference.outline import load_outlines

    v1, v2 = load_outlines()["1.0"], load_outlines()["2.0"]
    assert not urban.collects_declarations(v1) and v1.urban_sheet is None
    assert urban.collects_declarations(v2) and v2.urban_sheet == "VanMinhDoThi"


def test_the_urban_standard_is_data_with_sources_and_its_doubts_marked():
    import nrlib
    from nrlib.reference import load_urban_criteria, load_urban_levels

    c = load_urban_criteria()
    assert list(c["criterion_code"].unique()) == ["VM1", "VM2", "VM3", "VM4", "VM5"]
    assert c["source"].str.strip().ne("").all() and c["indicator_code"].is_unique
    # nothing seen only in a press summary passes for the Thông tư's text
    assert c.loc[c["confidence"] == "S", "source"].str.contains("UNVERIFIED").all()
    rate_codes = set(nrlib.load_outline().rates["code"])
    assert set(c["measure"]) - {""} <= rate_codes
    lv = load_urban_levels()
    assert set(lv["indicator_code"]) <= set(c["indicator_code"]) and lv["source"].str.contains("UNVERIFIED").all()
    assert lv.set_index("indicator_code").loc["VM2.1", "level"] == 80


def test_a_local_file_overrides_an_urban_level(tmp_path, monkeypatch):
    from nrlib.reference import load_urban_levels

    local = tmp_path / "urban_levels.csv"
    local.write_text("indicator_code,scope,year,comparison,level,source\nVM2.1,75,,≥,\"85,5\",\n", encoding="utf-8")
    lv = load_urban_levels(local)
    row = lv[(lv["indicator_code"] == "VM2.1") & (lv["scope"] == "75")].iloc[0]
    assert row["level"] == pytest.approx(85.5) and row["origin"] == "local" and "urban_levels.csv" in row["source"]
    ds = make_dataset()            # the province's level (scope 75) beats the national one for its units
    ds.values = pd.concat([ds.values, pd.DataFrame([{"unit_code": C, "year": 2020, "data_element": "VD15",
                                                     "value": 1870.0, "submission_id": 4}])], ignore_index=True)
    monkeypatch.setattr(urban, "load_urban_levels", lambda: load_urban_levels(local))
    chk = urban.urban_checks(ds).set_index(["year", "indicator_code"])
    assert chk.loc[(2020, "VM2.1"), "level"] == pytest.approx(85.5) and chk.loc[(2020, "VM2.1"), "scope"] == "75"
    assert not chk.loc[(2020, "VM2.1"), "meets"]              # 85 % of households < 85,5 %: a proven miss
