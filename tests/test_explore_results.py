"""nrlib.explore.results: the views of notebook 01 (results, campaign), on the Dataset of explore_fixtures."""

from __future__ import annotations

import math

import pytest
from explore_fixtures import BAU_HAM_2, GIA_KIEM, ds  # noqa: F401 (ds is a fixture)

import nrlib
from nrlib import explore
from nrlib.core import labels

# ----------------------------------------------------------------------------- results and campaign views


def test_overview_counts_reached_and_marks_towns(ds):
    fig, table = explore.overview_view(ds, (2016, 2020))
    t = table.set_index("Đơn vị")
    assert t.loc["Xã Gia Kiệm", "2016"] == "19/19"
    assert t.loc["Xã Bàu Hàm 2", "2018"] == "18/19"
    assert t.loc["Xã Bàu Hàm 2", "2017"] == "18/19, thiếu 1"  # criterion 10 blank: not counted as reached
    # the town's years by its own standard (outline 1.0 collects nothing of it), never "0/19" nor a grey blank
    assert t.loc["Thị trấn Dầu Giây", "2020"] == "Văn minh đô thị: chưa có số liệu"
    assert t.loc["Thị trấn Dầu Giây", "2018"] == "19/19"
    assert t.loc["Xã Gia Tân 1", "2016"] == labels.STATUS_MISSING  # sent nothing: unknown, not 0/19
    assert t.loc["Số đơn vị đạt đủ các tiêu chí áp dụng", "2016"] == "3"
    assert t.loc["Số đơn vị đạt đủ các tiêu chí áp dụng", "2019"] == "2"
    z = dict(zip(fig.data[0].y, fig.data[0].z))
    assert z["Xã Gia Kiệm"][0] == 19
    for unit in ("Thị trấn Dầu Giây", "Xã Gia Tân 1"):  # no colour where nothing applies or nothing is known
        assert z[unit][-1] is None or math.isnan(z[unit][-1])


def test_campaign_view_sums_flows_and_recomputes_rates(ds):
    fig, table = explore.campaign_view(ds, "VD01", (2016, 2020))
    t = dict(zip(table["Đơn vị"], table.iloc[:, 1]))
    assert t["Xã Gia Kiệm"] == "1.500 triệu đồng"
    assert t["Xã Bàu Hàm 2"] == "150,5 triệu đồng"
    assert t["Toàn huyện"] == "4.650,5 triệu đồng"
    assert t["Xã Gia Tân 1"] == "–"
    assert "4.650,5" in fig.layout.title.text
    # the poor-household rate of the district is Σpoor / Σhouseholds of 2020, not a mean of unit rates
    _, rt = explore.campaign_view(ds, "R_POOR", (2016, 2020))
    district = dict(zip(rt["Đơn vị"], rt.iloc[:, 1]))["Toàn huyện"]
    expected = 100 * (8 + 32 + 10) / (4400 + 3200 + 5400)
    assert district == nrlib.core.vnformat.fmt_percent(expected, 2)


def test_campaign_view_per_household_and_year_range(ds):
    _, table = explore.campaign_view(ds, "VD01", (2019, 2020), per_household=True)
    t = dict(zip(table["Đơn vị"], table.iloc[:, 1]))
    # the decimals of money per household (one rule with the reports: nrlib.core.vnformat.DECIMALS)
    assert t["Xã Gia Kiệm"] == nrlib.core.vnformat.fmt_quantity(900 / 4400, "triệu đồng/hộ", trim=True) == "0,2 triệu đồng/hộ"
    assert "bình quân 1 hộ" in table.columns[1]
    # per household is meaningless for a rate: ignored, not applied twice
    _, rate_table = explore.campaign_view(ds, "R_POOR", (2020, 2020), per_household=True)
    assert "bình quân" not in rate_table.columns[1]


def test_trend_view_units_and_district(ds):
    fig, table = explore.trend_view(ds, "VD11", [GIA_KIEM, BAU_HAM_2], years=(2016, 2018))
    assert [tr.name for tr in fig.data] == ["Xã Bàu Hàm 2", "Xã Gia Kiệm"]
    assert list(fig.data[1].y) == [4000, 4100, 4200]
    assert table.iloc[1]["2018"] == "4.200 hộ"
    assert fig.layout.yaxis.title.text == "hộ"
    fig, table = explore.trend_view(ds, "R_POOR", [])
    assert [tr.name for tr in fig.data] == ["Toàn huyện"]
    assert fig.data[0].y[0] == pytest.approx(100 * (40 + 60 + 50) / (4000 + 3000 + 5000))
    assert "%{y:,.2f}" in fig.data[0].hovertemplate
    assert fig.layout.xaxis.type == "category"  # no "2.016,5" ticks between years


def test_unit_view(ds):
    fig, table = explore.unit_view(ds, BAU_HAM_2)
    by_name = {tr.name: list(tr.y) for tr in fig.data}
    assert by_name["Chưa đạt"] == [0, 0, 1, 0, 1]
    assert by_name[labels.STATUS_MISSING] == [0, 1, 0, 0, 0]
    households = table[table["Chỉ tiêu"].str.startswith("VD11")].iloc[0]
    assert households["2016"] == "3.000"


# ----------------------------------------------------------------------------- points and classes


def test_scoring_view_shows_points_per_content_and_the_class(ds):
    """NTM: Gia Kiệm 95/95 criterion-years → 15, nothing lost → 5; Bàu Hàm 2 92/95 (5 in 2018, 17 in 2020 and 10
    left blank in 2017 not reached) → 15 × 92/95 = 14,53, criteria 5 and 17 lost → 5 − 2 = 3; Dầu Giây 57/57 over
    its xã years → 20. Gia Tân 1 sent nothing: not scored."""
    fig, table = explore.scoring_view(ds)
    t = table.set_index("Đơn vị")
    assert "Xã Gia Tân 1" not in t.index
    assert t.loc["Xã Gia Kiệm", "NTM (20)"] == "20" and t.loc["Thị trấn Dầu Giây", "NTM (20)"] == "20"
    assert t.loc["Xã Bàu Hàm 2", "NTM (20)"] == "17,53"
    assert t.loc["Xã Gia Kiệm", "I (10)"] == "Chưa chấm" and t["Xếp loại"].str.endswith("(tạm xếp loại)").all()
    assert not [c for c in table.columns if "tương đối" in c]                 # the relative ranking: on request
    assert [tr.name.split(". ")[0] for tr in fig.data] == ["II.1", "II.2", "II.3", "II.5", "NTM", "BC"]
    _, rel = explore.scoring_view(ds, relative=True)
    assert [c for c in rel.columns if "tương đối" in c] == ["Hạng – xếp hạng tương đối (tham khảo)",
                                                              "Điểm – xếp hạng tương đối (tham khảo)"]
    fig, one = explore.scoring_view(ds, BAU_HAM_2)
    rows = one.set_index("Tiêu chí chấm")
    assert rows.loc["Số tiêu chí sụt chuẩn trong giai đoạn, quy về 5 năm", ["Số liệu", "Điểm"]].tolist() == \
        ["2 tiêu chí", "3"]
    assert "xếp loại" in fig.layout.title.text
    _, none = explore.scoring_view(ds, "26299")
    assert "Chưa được chấm điểm" in none.iloc[0, 1]
    assert "Tự chấm" not in table.columns and "Tự chấm" not in one.columns       # no workbook asked for them


def test_scoring_view_sets_the_self_score_beside_the_verified_points(ds):
    """Gia Kiệm scored itself (outline 2's TuCham, in ds.info) on II.1, left NTM blank; Bàu Hàm 2 had no TuCham."""
    import dataclasses

    import pandas as pd

    own = pd.DataFrame([{"submission_id": 1, "unit_code": GIA_KIEM, "key": "TC.II.1", "value": "18.5"},
                        {"submission_id": 1, "unit_code": GIA_KIEM, "key": "TC.NTM", "value": None}])
    mine = dataclasses.replace(ds, info=pd.concat([ds.info, own], ignore_index=True), meta={})
    _, table = explore.scoring_view(mine)
    t = table.set_index("Đơn vị")
    assert t.loc["Xã Gia Kiệm", "Tự chấm"] == "18,5" and t.loc["Xã Bàu Hàm 2", "Tự chấm"] == "Không có số liệu"
    fig, one = explore.scoring_view(mine, GIA_KIEM)
    assert [tr.name for tr in fig.data] == ["Điểm chuẩn", "Điểm thẩm định", "Điểm tự chấm"]
    ii1 = one[one["Nội dung"].str.startswith("II.1.")]["Tự chấm"].tolist()
    assert ii1 == ["18,5", "", ""]                     # once per content, on its first rule
    assert one[one["Nội dung"].str.startswith("NTM.")]["Tự chấm"].iloc[0] == "Chưa tự chấm"
