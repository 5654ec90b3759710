"""nrlib.explore.quality: the views of notebook 03 (data quality), on the Dataset of explore_fixtures."""

from __future__ import annotations

from explore_fixtures import GIA_KIEM, ds  # noqa: F401 (ds is a fixture)

from nrlib import explore

# ----------------------------------------------------------------------------- data quality views


def test_timeliness_view(ds):
    fig, table = explore.timeliness_view(ds)
    t = dict(zip(table["Đơn vị"], table["Thời hạn"]))
    assert t == {"Xã Bàu Hàm 2": "Trễ hạn 4 ngày", "Thị trấn Dầu Giây": "Đúng hạn", "Xã Gia Kiệm": "Đúng hạn",
                 "Xã Gia Tân 1": "Chưa nộp"}
    assert "18/02/2021" in fig.layout.title.text


def test_completeness_view(ds):
    fig, table = explore.completeness_view(ds)
    assert {tr.name for tr in fig.data} >= {"Trang VanDong", "Trang TieuChi"}
    row = table.set_index("Đơn vị").loc["Xã Gia Tân 1"]
    assert row["Trang TieuChi"].startswith("0%")


def test_disagreements_and_flags(ds):
    fig, table = explore.disagreement_view(ds)
    assert list(table["Đơn vị"]) == ["Xã Bàu Hàm 2"] and list(table["Năm"]) == ["2020"]
    assert table.iloc[0]["Giá trị"] == "80%" and table.iloc[0]["Mức đạt chuẩn"] == "≥ 85%"
    _, none = explore.disagreement_view(ds, GIA_KIEM)
    assert none.empty
    ffig, ftable = explore.flags_view(ds, flag="declared_vs_measured")
    assert list(ftable["Đơn vị"]) == ["Xã Bàu Hàm 2"]
    assert "80" in ftable.iloc[0]["Lý do"]


def test_problems_view_points_to_the_cell(ds):
    fig, table = explore.problems_view(ds)
    assert table.to_dict("records") == [{"Đơn vị": "Xã Bàu Hàm 2", "Ô": "VanDong!D14", "Mức độ": "Cảnh báo",
                                         "Nội dung": "<b>VD12</b> khác xa các đơn vị khác"}]
    assert "&lt;b&gt;VD12" in explore.table_html(table)  # a message quoting a cell stays text
    warnings = next(tr for tr in fig.data if tr.name == "Cảnh báo")
    assert dict(zip(warnings.x, warnings.y))["Xã Bàu Hàm 2"] == 1
    assert explore.problems_view(ds, GIA_KIEM)[1].empty
