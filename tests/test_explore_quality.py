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


def test_official_view_lists_where_the_communes_and_the_coordination_office_differ(ds, sample_dir, tmp_path):
    import shutil

    from nrlib.analysis import partners
    from nrlib.ingest import ingest_sample_folder
    from nrlib.store import load_dataset
    from nrlib.workbooks.partner_sample import PARTNER_FOLDER, write_partner_sample

    fig, table = explore.official_view(ds)               # no partner data: said, nothing listed
    assert table.empty and fig.layout.title.text.startswith("Chưa có số liệu của Văn phòng điều phối")
    shutil.copytree(sample_dir, tmp_path / "sample")      # the communes' sample and the partners' (as `nrlib sample`)
    write_partner_sample(tmp_path / "sample" / PARTNER_FOLDER, "738", seed=2021)
    sample = load_dataset(ingest_sample_folder(tmp_path / "sample", tmp_path / "nrlib.duckdb"))
    # the sample's office differs from the communes on purpose
    diff = partners.status_differences(sample)
    assert len(diff)
    fig, table = explore.official_view(sample)
    assert len(table) == len(diff) and f"{len(diff)} trường hợp" in fig.layout.title.text
    names = dict(zip(sample.units["unit_code"], sample.units["name"]))
    label = {s: sample.outline.choice_label("criterion_status", s) for s in ("reached", "not_reached")}
    for row, d in zip(table.to_dict("records"), diff.itertuples()):      # the reports' columns and words
        assert row == {"Đơn vị": names[d.unit_code], "Năm": str(d.year),
                       "Tiêu chí": f"{d.criterion_no}. {d.criterion_name}",
                       "Xã, thị trấn báo cáo": label[d.declared_status], "Số liệu chính thức": label[d.official_status]}
    one = diff["unit_code"].iloc[0]
    _, mine = explore.official_view(sample, one)
    assert set(mine["Đơn vị"]) == {names[one]} and len(mine) == (diff["unit_code"] == one).sum()
