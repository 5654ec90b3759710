"""The unit report's sections on the ingested sample, without a kernel: content, escaping, edge units."""

from __future__ import annotations

import re

import pytest
import report_fixtures as rf
from report_fixtures import DISTRICT_SECTIONS, UNIT_SECTIONS, all_figures, all_html, analyses, ds, report_params, roles  # noqa: F401 (ds, analyses, roles: fixtures)

from nrlib.core import labels
from nrlib.present import figures
from nrlib.reports.district import DistrictReport
from nrlib.reports.unit import UnitReport


def test_untrusted_text_is_escaped_everywhere(ds):
    r = UnitReport(ds, report_params("unit", rf.XSS_UNIT))
    page = all_html(r, UNIT_SECTIONS)
    assert "<script" not in page and "<img" not in page and "<a " not in page
    # the javascript: link is shown as text, never as a link (its payload is not taken out before looking)
    assert "&lt;a href=&quot;javascript:window.__xss=3&quot;&gt;bấm&lt;/a&gt;" in r.narrative()
    assert 'href="javascript:' not in page and "href='javascript:" not in page
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in r.narrative()
    assert "Dòng 1\nDòng 2 &amp; &lt;b&gt;không đậm&lt;/b&gt;" in r.narrative()  # line breaks kept, markup shown
    assert "&lt;img src=x onerror=&quot;window.__xss = 2&quot;&gt;" in r.proposals()
    d = DistrictReport(ds, report_params("district", rf.DISTRICT))
    dpage = all_html(d, DISTRICT_SECTIONS)
    assert "<script" not in dpage and "<img" not in dpage


def test_every_unit_renders_including_edge_units(ds, roles, analyses):
    for code in sorted(ds.units["unit_code"]):
        r = UnitReport(ds, report_params("unit", code), analyses)
        assert all_html(r, UNIT_SECTIONS)
        if code != roles["missing"]:
            assert len(all_figures(r)) >= 4
        for fig in all_figures(r):
            figures.check_trace_types(fig)
            assert fig.layout.separators == ",." and fig.layout.title.text


def test_unit_that_sent_nothing(ds, roles):
    r = UnitReport(ds, report_params("unit", roles["missing"]))
    assert "chưa gửi biểu mẫu" in r.header()
    assert "Chưa nộp" in r.key_figures()
    assert "chưa gửi phần đánh giá" in r.narrative()
    assert "chưa khai kết quả" in r.criteria_scorecard() and "<table" not in r.criteria_scorecard()
    assert "0/19" not in r.key_figures()  # nothing declared is not "0 reached"
    assert all_figures(r) == []  # no empty charts


def test_scorecard_and_maintenance_of_a_lost_criterion(ds, roles):
    r = UnitReport(ds, report_params("unit", roles["lost"]))
    card = r.criteria_scorecard()
    row10 = re.search(r"<tr><th scope=\"row\">10\. .*?</tr>", card).group(0)
    assert row10.count("st-not_reached") == 1 and row10.endswith("Chưa đạt</td></tr>")
    m = r.maintenance()
    assert labels.MAINTENANCE["lost"] in m and "Tiêu chí 10 (Thu nhập) bị mất từ năm 2020" in m


def test_declared_reached_below_level_is_flagged(ds, roles):
    r = UnitReport(ds, report_params("unit", roles["declared_below_level"]))
    assert "⚠" in r.criteria_scorecard()
    assert "cần xác minh" in r.maintenance()


#: the sample's town: xã Xuân Thạnh 2016-2018, thị trấn Dầu Giây from 2019
TOWN = "26326"


def test_the_towns_report_shows_its_urban_evaluation_for_2019_2020(ds):
    """Issue #14: a town is judged by "Thị trấn đạt chuẩn văn minh đô thị", not left with a grey "Không áp dụng"."""
    r = UnitReport(ds, report_params("unit", TOWN))
    card = r.criteria_scorecard()
    assert "st-not_applicable" not in card          # no grey column for the town's years
    ntm, urban_part = card.split("Kết quả 5 tiêu chuẩn Thị trấn đạt chuẩn văn minh đô thị, 2019–2020")
    # the new-rural scorecard covers xã Xuân Thạnh's years only, named as it was then
    assert "19 tiêu chí xã nông thôn mới của xã Xuân Thạnh (nay là thị trấn Dầu Giây), 2016–2018" in ntm
    assert ">2019<" not in ntm and ">2020<" not in ntm
    urban_rows = re.findall(r'<tr><th scope="row">\d\. .*?</tr>', urban_part)
    # as the town declared them in VanMinhDoThi (outline 2): VM1 not reached in 2019, every other one reached
    assert len(urban_rows) == 5 and "st st-missing" not in urban_part
    assert urban_rows[0].count("st st-not_reached") == 1 and urban_rows[0].count("st st-reached") == 1
    assert all(row.count("st st-reached") == 2 for row in urban_rows[1:])
    assert "không có phần tự đánh giá" not in urban_part
    # what the campaign counts measure of it: the cultural families and khu phố of 2019 and 2020
    assert "VM2.1. Hộ gia đình được công nhận" in urban_part and "Tỷ lệ khu phố văn hóa" in urban_part
    header = r.header()
    assert "xã Xuân Thạnh (nay là thị trấn Dầu Giây)" in header and "văn minh đô thị" in header
    figures_html = r.key_figures()
    assert "Tiêu chuẩn văn minh đô thị đạt năm 2020" in figures_html and "Không áp dụng" not in figures_html
    assert "3/3" in figures_html                     # years all reached out of its 3 new-rural years, not of 5
    assert "5/5" in figures_html                     # its urban standard in 2020, as declared
    assert labels.MAINTENANCE["lost"] not in r.maintenance()  # town years are never losses
    # its texts say khu phố, as a town's do
    campaign = r.campaign_table()
    assert "Tổng số khu phố" in campaign and "Tổng số ấp" not in campaign and "số khu phố…" in campaign


def test_a_xa_report_has_no_urban_part(ds):
    r = UnitReport(ds, report_params("unit", rf.XSS_UNIT))
    assert '<th scope="col">Tiêu chuẩn</th>' not in r.criteria_scorecard()
    assert "Tiêu chuẩn văn minh đô thị" not in r.key_figures() and "Tổng số ấp" in r.campaign_table()


def test_personal_names_only_when_asked(ds):
    ind = ds.proposals[(ds.proposals["kind"] == "individual")]
    assert len(ind), "the sample has individual proposals"
    name = ind.iloc[0]["name"]
    code = ind.iloc[0]["unit_code"]
    assert name not in UnitReport(ds, report_params("unit", code)).proposals()
    assert name not in DistrictReport(ds, report_params("district", rf.DISTRICT)).proposals()
    assert name in UnitReport(ds, report_params("unit", code, personal=True)).proposals()


def test_criteria_trend_compares_with_the_mean_of_reporting_units(ds, roles, analyses):
    r = UnitReport(ds, report_params("unit", rf.XSS_UNIT), analyses)
    fig = r.criteria_trend_figure()
    mean_line = dict(zip(fig.data[1].x, fig.data[1].y))
    reached = analyses["reached"]
    last = reached[(reached["year"] == 2020) & (reached["n_applicable"] > 0)]
    reporting = last[last["unit_code"] != roles["missing"]]  # the unit that sent nothing is not a zero
    assert mean_line[2020] == pytest.approx(reporting["n_reached"].mean())
    assert mean_line[2020] != pytest.approx(last["n_reached"].mean())


def test_the_urban_method_is_told_where_a_town_is_reported(ds):
    town = UnitReport(ds, report_params("unit", TOWN)).methodology()
    assert "Phường, thị trấn đạt chuẩn văn minh đô thị" in town and "chưa đối chiếu văn bản gốc" in town
    assert "baokontum.com.vn" in town and "S – chỉ thấy trong bài báo" in town
    xa = UnitReport(ds, report_params("unit", rf.XSS_UNIT)).methodology()
    assert "văn minh đô thị" not in xa
