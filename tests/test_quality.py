"""Completeness, timeliness, outliers, year-over-year jumps and the flags table, worked out by hand."""

import math

import pandas as pd
import pytest
from fixtures_analysis import A, B, C, D, make_dataset, make_outlier_dataset

from nrlib.analysis import quality


def test_completeness_by_hand():
    ds = make_dataset(with_missing_unit=True)
    cur = ds.submissions["is_current"] & (ds.submissions["unit_code"] == C)
    ds.submissions.loc[cur, "outline_version"] = "1.0"                # C sent a version 1 workbook
    c = quality.completeness(ds).set_index(["unit_code", "sheet"])
    cols = ["expected_cells", "filled_cells"]
    # VanDong: the metrics a workbook of the unit's outline version has a row for × 5 years: version 2 types 41
    # (its VD03 and VD22 are sums nrlib computes), version 1 typed 23
    assert c.loc[(A, "VanDong"), cols].tolist() == [205, 20]      # VD11 5, VD12 5, VD01 5, VD02 4, VD19 1
    assert c.loc[(B, "VanDong"), cols].tolist() == [205, 21]
    assert c.loc[(C, "VanDong"), cols].tolist() == [115, 17]      # VD12 only 2016 and 2020
    assert c.loc[(A, "VanDong"), "completeness"] == pytest.approx(100 * 20 / 205)
    assert c.loc[(D, "VanDong"), "expected_cells"] == 205         # sent nothing: what a template asks now
    # ChiTieu: 18 typed indicators × years the NTM criteria apply (C: 2016-2018 only)
    assert c.loc[(A, "ChiTieu"), cols].tolist() == [90, 3]
    assert c.loc[(B, "ChiTieu"), cols].tolist() == [90, 2]
    assert c.loc[(C, "ChiTieu"), cols].tolist() == [54, 0]        # its 2019 value is a town year
    # TieuChi: 4 criteria × applicable years
    assert c.loc[(A, "TieuChi"), cols].tolist() == [20, 20]
    assert c.loc[(B, "TieuChi"), cols].tolist() == [20, 14]       # criterion 17 blank, 15 blank in 2017
    assert c.loc[(C, "TieuChi"), cols].tolist() == [12, 12]
    assert c.loc[(D, "TieuChi"), cols].tolist() == [20, 0] and c.loc[(D, "VanDong"), "completeness"] == 0


def test_completeness_na_when_nothing_expected():
    ds = make_dataset()
    ds.unit_years["ntm_applies"] = False
    c = quality.completeness(ds).set_index(["unit_code", "sheet"])
    assert c.loc[(A, "TieuChi"), "expected_cells"] == 0 and pd.isna(c.loc[(A, "TieuChi"), "completeness"])


def test_timeliness_table_wraps_timeliness():
    t = quality.timeliness_table(make_dataset(with_missing_unit=True)).set_index("unit_code")
    assert t.loc[A, "timeliness"] == "on_time"
    assert (t.loc[B, "timeliness"], t.loc[B, "days_late"], t.loc[B, "n_versions"]) == ("late", 2, 2)
    assert t.loc[C, "timeliness"] == "on_time"           # received on the deadline day
    assert t.loc[D, "timeliness"] == "missing"


def test_outliers_robust_z_by_hand():
    """Per household: 0,010 … 0,015 and 0,150 for the seventh unit, which is scored against the six others.

    Their logarithms have median (ln 0,012 + ln 0,013) / 2, i.e. 0,01249 once back on the scale, and MAD
    0,1206, floored at ln 1,5 = 0,4055: z = 0,6745 × (ln 0,15 − ln 0,01249) / 0,4055 = 4,135.
    """
    o = quality.outliers(make_outlier_dataset())
    assert len(o) == 1
    r = o.iloc[0]
    assert (r.unit_code, r.year, r.data_element, r.value) == ("90007", 2020, "VD01", 150.0)
    assert (r.basis, r.normalised) == ("per_household", pytest.approx(0.15))
    assert r["median"] == pytest.approx((0.012 * 0.013) ** 0.5)
    assert r["mad"] == pytest.approx(math.log(1.5))
    assert r.robust_z == pytest.approx(0.6745 * (math.log(0.15) - math.log((0.012 * 0.013) ** 0.5)) / math.log(1.5))
    assert r.robust_z == pytest.approx(4.135, abs=1e-3) and r.n_units == 6
    assert r.z_threshold == 3.5                          # outline.checks['outlier_robust_z']
    assert quality.outliers(make_outlier_dataset(), z=5).empty


def test_outliers_need_enough_other_units():
    ds = make_outlier_dataset()
    ds.outline.raw["checks"]["outlier_min_units"] = 7    # six others have a value
    assert quality.outliers(ds).empty
    assert quality.outliers(make_dataset()).empty        # 3 units: too few for a robust z


def test_an_extra_zero_in_a_size_is_an_outlier_and_shifts_the_per_household_values():
    """The household total is compared as it is: 10.000 among units of 1.000 is flagged; and the unit's
    VD01 per household (11 / 10.000) is then far below the others' too."""
    ds = make_outlier_dataset()
    ds.values.loc[(ds.values["unit_code"] == "90002") & (ds.values["data_element"] == "VD11"), "value"] = 10_000.0
    o = quality.outliers(ds).set_index(["unit_code", "data_element"])
    assert o.loc[("90002", "VD11"), "basis"] == "raw" and o.loc[("90002", "VD11"), "robust_z"] > 3.5
    assert o.loc[("90002", "VD01"), "robust_z"] < -3.5
    assert ("90007", "VD01") in o.index


def test_outliers_are_scored_within_each_district():
    """The same values split over two districts of too few units each: nothing to compare with."""
    ds = make_outlier_dataset()
    ds.units.loc[ds.units.index[:4], "district_code"] = "739"
    assert quality.outliers(ds).empty


def test_yoy_flags_by_hand():
    y = quality.yoy_flags(make_dataset())
    got = [(r.unit_code, r.year, r.data_element, r.previous_year, r.previous_value) for r in y.itertuples()]
    assert got == [(B, 2019, "VD11", 2018, 500.0), (B, 2020, "VD11", 2019, 800.0)]
    assert y["change"].tolist() == pytest.approx([0.6, -0.375])
    assert y["band"].tolist() == [0.3, 0.3]


def test_yoy_compares_with_the_previous_year_that_has_a_value():
    ds = make_dataset()
    ds.outline.raw["checks"]["yoy_band"]["VD12"] = 0.3
    y = quality.yoy_flags(ds)
    v12 = y[y["data_element"] == "VD12"].set_index(["unit_code", "year"])
    # C typed VD12 in 2016 (40) and 2020 (22) only: -45 % against 2016
    assert v12.loc[(C, 2020), "previous_year"] == 2016
    assert v12.loc[(C, 2020), "change"] == pytest.approx(22 / 40 - 1)
    # A: 150 -> 104 is -30,7 %, the only step beyond 30 %
    assert [k for k in v12.index if k[0] == A] == [(A, 2020)]
    assert [k for k in v12.index if k[0] == B] == [(B, 2019), (B, 2020)]


def test_quality_flags_one_table_with_reasons():
    f = quality.quality_flags(make_dataset())
    assert list(f.columns) == ["unit_code", "year", "data_element", "value", "flag", "reason", "score"]
    assert f["flag"].tolist() == ["yoy", "yoy", "declared_vs_measured", "declared_vs_measured",
                                  "declared_vs_measured"]
    assert f["score"].tolist() == pytest.approx([2.0, 1.25, 1 + 4 / 59, 1 + 5 / 85, 1 + 0.7 / 14.3])
    assert (f["score"] >= 1).all()
    yoy = f.iloc[0]
    assert (yoy.unit_code, yoy.year, yoy.value) == (B, 2019, 800.0)
    # the wording of the warning ingest gives for the same value (one template, nrlib.core.labels)
    assert yoy.reason == ("VD11 (Tổng số hộ dân cuối năm) năm 2019 thay đổi +60% so với năm 2018 (500 → 800), "
                          "vượt ngưỡng ±30%")
    dvm = f.iloc[2]
    assert (dvm.unit_code, dvm.data_element) == (A, "10")
    assert dvm.reason.startswith("Tiêu chí 10 năm 2020 tự đánh giá “Đạt” nhưng chỉ tiêu 10 = ")
    assert "chưa đạt mức ≥ 59 triệu đồng/người" in dvm.reason


def test_quality_flags_outlier_reason_and_switch():
    f = quality.quality_flags(make_outlier_dataset())
    assert f["flag"].tolist() == ["outlier"]
    assert f.iloc[0].reason == ("VD01 (Kinh phí nhân dân đóng góp xây dựng NTM, ĐTVM) năm 2020 = 150 triệu đồng / "
                                "1.000 hộ khác xa các đơn vị khác (trung vị 12,49 triệu đồng / 1.000 hộ, 6 đơn vị; "
                                "điểm z bền vững 4,1)")
    assert f.iloc[0].score == pytest.approx(quality.outliers(make_outlier_dataset()).iloc[0].robust_z / 3.5)
    ds = make_dataset()
    ds.outline.raw["checks"]["declared_vs_measured"] = False
    assert set(quality.quality_flags(ds)["flag"]) == {"yoy"}


def _timeliness_by_loop(units, submissions, deadline):
    """The straightforward per-unit definition, to check the vectorised nrlib.analysis.timeliness against."""
    rows = []
    for u in units.itertuples():
        s = submissions[submissions["unit_code"] == u.unit_code].sort_values("version", kind="stable")
        if s.empty:
            rows.append((u.unit_code, 0, None, None, None, "missing", None, False))
            continue
        first, last = s.iloc[0], s.iloc[-1]
        late = (pd.Timestamp(first["received_date"]) - pd.Timestamp(deadline)).days
        rows.append((u.unit_code, len(s), int(last["version"]), pd.Timestamp(first["received_date"]).date(),
                     last["status"], "late" if late > 0 else "on_time", max(late, 0),
                     bool((s["status"] == "accepted").any())))
    return rows


def test_vectorised_timeliness_equals_the_per_unit_definition():
    from nrlib.workbooks.synthetic import synthetic_dataset

    for ds in (make_dataset(with_missing_unit=True), synthetic_dataset(n_units=80, seed=3)):
        t = quality.timeliness_table(ds)
        got = [(r.unit_code, r.n_versions, None if pd.isna(r.latest_version) else int(r.latest_version),
                r.first_received_date, r.latest_status, r.timeliness,
                None if pd.isna(r.days_late) else int(r.days_late), r.has_accepted) for r in t.itertuples()]
        assert got == _timeliness_by_loop(ds.units, ds.submissions, ds.deadline)
    assert {"late", "on_time", "missing"} <= set(t["timeliness"])
    assert str(t["days_late"].dtype) == "Int64" and str(t["n_errors"].dtype) == "Int64"
