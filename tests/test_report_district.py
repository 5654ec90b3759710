"""The district report's sections on the ingested sample, without a kernel."""

from __future__ import annotations

import report_fixtures as rf
from report_fixtures import all_figures, ds, report_params, roles  # noqa: F401 (ds, roles: fixtures)

from nrlib.present import figures
from nrlib.reports.district import DistrictReport


def test_district_sections(ds, roles):
    d = DistrictReport(ds, report_params("district", rf.DISTRICT))
    units = d.units_table()
    for name in ds.units["name"]:
        assert name in units
    assert "Chưa nộp" in units  # the missing unit is listed, not dropped
    risk = d.criteria_at_risk()
    assert "10. Thu nhập" in risk and "17. " in risk
    t = d.timeliness()
    assert "10 xã, thị trấn phải nộp, đã nộp 9" in t and "trễ hạn 1, chưa nộp 1" in t
    for fig in all_figures(d):
        figures.check_trace_types(fig)


def test_the_district_shows_the_towns_urban_evaluation_beside_the_xas(ds):
    """Issue #14: the town's 2019-2020 by its own standard, as it declared it (outline 2's VanMinhDoThi: VM1 not
    reached in 2019), beside the xã's new-rural counts and never summed."""
    d = DistrictReport(ds, report_params("district", rf.DISTRICT))
    frame = d.units_frame().set_index("unit_code")
    assert frame.loc["26326", "criteria"] == "Văn minh đô thị: 5/5"
    assert frame.drop("26326")["criteria"].str.contains("/19|–").all()     # the xã: their own "n/19"
    units = d.units_table()
    assert "Tiêu chuẩn văn minh đô thị: số tiêu chuẩn đạt theo năm" in units
    town_row = units.split("Tiêu chuẩn văn minh đô thị: số tiêu chuẩn đạt theo năm")[1]
    assert '<td>Thị trấn Dầu Giây</td><td class="num">4/5</td><td class="num">5/5</td>' in town_row
    assert "không có phần tự đánh giá" not in town_row
    key = d.key_figures()
    assert "Thị trấn đạt chuẩn văn minh đô thị năm 2020" in key
    assert "Xã đạt đủ tiêu chí năm 2020" in key and "/9" in key    # the xã's count leaves the town out
def test_scoring_section_shows_points_per_content_and_the_class(ds, tmp_path, monkeypatch):
    from nrlib.analysis import scoring

    d = DistrictReport(ds, report_params("district", rf.DISTRICT))
    html = d.scoring()
    us = scoring.unit_scores(ds)
    assert len(us) == 9                                               # the unit that sent nothing is not scored
    for label in us["class_label"]:
        assert f"{label} (tạm xếp loại)" in html
    for head in ("I (10)", "II.1 (20)", "II.5 (10)", "NTM (20)", "BC (5)", "Thang 100", "Chưa chấm"):
        assert head in html
    assert "Bảng điểm thi đua: điểm chuẩn và cách cho điểm" in html and "Cách chấm điểm" in html
    assert "Xếp hạng tương đối" not in html and "Hạng" not in html     # the relative ranking is an option
    f = tmp_path / "district_settings.yaml"
    f.write_text("scoring:\n  relative_ranking: true\n", encoding="utf-8")
    monkeypatch.setenv("NRLIB_DISTRICT_SETTINGS", str(f))
    html = DistrictReport(ds, report_params("district", rf.DISTRICT)).scoring()
    assert "Xếp hạng tương đối (tham khảo)" in html and "Điểm tương đối (thang 100)" in html
    assert html.index("Cách chấm điểm") < html.index("Xếp hạng tương đối (tham khảo)")


def test_reports_say_which_units_names_and_types_are_not_known_in_the_period(tmp_path, ds):
    """Outside district 738 no dated record gives the units' names and types before the first list (25/02/2020):
    the reports say so, for the district and for each unit, rather than guess (issue 15)."""
    from nrlib.ingest import ingest_sample_folder
    from nrlib.reports.params import ReportParameters
    from nrlib.reports.unit import UnitReport
    from nrlib.store import load_dataset
    from nrlib.workbooks.sample import write_sample

    write_sample(tmp_path / "sample", "84", seed=3)        # huyện Si Ma Cai, Lào Cai
    other = load_dataset(ingest_sample_folder(tmp_path / "sample", tmp_path / "nrlib.duckdb"))

    def params(kind, code):
        return ReportParameters(kind=kind, code=code, district_code="084", unit_code=code if kind == "unit" else None,
                                db_path="unused", deadline=None, include_personal_data=False)

    text = DistrictReport(other, params("district", "084")).methodology()
    assert f"Chưa rõ tên và loại hình của {len(other.units)} trên {len(other.units)} đơn vị" in text
    assert "25/02/2020" in text
    unit = UnitReport(other, params("unit", "02809")).methodology()       # a xã in 2020's list, a thị trấn in 2021's
    assert "các năm 2016–2020" in unit and "Xã Si Ma Cai, Thị trấn Si Ma Cai" in unit
    # district 738's units are known in every year: nothing said
    assert "Chưa rõ tên và loại hình" not in DistrictReport(ds, report_params("district", rf.DISTRICT)).methodology()
