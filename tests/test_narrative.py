"""Generated sentences state the figures of the tables, formatted the Vietnamese way."""

import pytest
from fixtures_analysis import A, C, D, make_dataset, make_town_dataset

from nrlib.analysis import campaign
from nrlib.present import narrative
from nrlib.present.narrative import Sentence


def _find(sentences, source_part, text_part=""):
    hits = [s for s in sentences if source_part in s.source and text_part in s.text]
    assert hits, [s.text for s in sentences]
    return hits[0]


@pytest.fixture(scope="module")
def district():
    return narrative.district_sentences(make_dataset())


def test_money_sentence_traces_to_campaign_totals(district):
    ds = make_dataset()
    totals = campaign.campaign_totals(ds, "district").set_index("code")["value_period"]
    s = _find(district, "campaign_totals", "vận động được")
    assert isinstance(s, Sentence)
    assert s.figures["VD01"] == totals["VD01"] == 6500
    assert s.figures["VD02"] == totals["VD02"] == 2250
    assert s.figures["total"] == totals["VD01"] + totals["VD02"]
    assert s.text.startswith("Trong 5 năm (2016 – 2020), toàn huyện đã vận động được 8,8 tỷ đồng")
    assert "6,5 tỷ đồng" in s.text and "2,3 tỷ đồng" in s.text


def test_rate_sentence_uses_recomputed_district_rate(district):
    s = _find(district, "code=R_POOR")
    assert s.text == "Tỷ lệ hộ nghèo (chuẩn quốc gia) giảm từ 3,12% năm 2016 xuống 1,04% năm 2020."
    assert s.figures["rate_2016"] == pytest.approx(100 * 390 / 12500)
    assert (s.figures["numerator_2020"], s.figures["denominator_2020"]) == (136, 13100)
    # clean water has a 2020 value but none in 2016: no sentence rather than a half-empty one
    assert not [x for x in district if "R_CLEAN_WATER" in x.source]


def test_reporting_criteria_maintenance_and_flags_sentences(district):
    assert district[0].text == ("Đã nhận báo cáo của 3/3 xã, thị trấn; 2 báo cáo gửi đúng hạn (ngày 18/02/2021), "
                                "1 báo cáo gửi chậm.")
    s = _find(district, "units_all_reached")
    assert s.figures["n_units_applicable_2020"] == 2 and s.figures["n_units_all_reached_2016"] == 0
    assert "0/2 xã" in s.text and "đạt đủ 4 tiêu chí" in s.text
    s = _find(district, "n_applicable = 0")
    assert s.figures["n_units_not_applicable_2020"] == 1 and s.figures["n_urban_units_2020"] == 1
    # the town by its own standard, beside the xã's count and never in it; outline 1.0 collects nothing of it
    assert s.text.startswith("Năm 2020, thị trấn Dầu Giây được đánh giá theo tiêu chuẩn “Thị trấn đạt chuẩn văn "
                             "minh đô thị”, không theo bộ tiêu chí xã nông thôn mới")
    assert "chưa có số liệu đánh giá" in s.text
    s = _find(district, "criteria_at_risk")
    assert (s.figures["n_lost"], s.figures["n_lost_and_regained"], s.figures["top_criterion_no"]) == (1, 2, 17)
    assert "tiêu chí 17 (Môi trường và an toàn thực phẩm)" in s.text
    s = _find(district, "quality_flags")
    assert s.figures == {"n_flags": 5, "outlier": 0, "yoy": 2, "declared_vs_measured": 3}


def test_a_sentence_without_figures_is_left_out(district):
    # no flow besides the money metrics has a value in the fixture
    assert not [s for s in district if s.text.startswith("Các kết quả khác")]


def test_unit_sentences_by_hand():
    s = narrative.unit_sentences(make_dataset(), A)
    assert s[0].text == "Xã Gia Kiệm gửi báo cáo ngày 10/02/2021, đúng hạn."
    money = _find(s, "campaign_totals")
    assert money.figures["total"] == 7000 and money.figures["households"] == 10400
    assert money.figures["per_household"] == pytest.approx(7000 / 10400)
    assert "xã Gia Kiệm đã vận động được 7 tỷ đồng, bình quân 0,67 triệu đồng mỗi hộ" in money.text
    assert _find(s, "criteria_reached").text == "Năm 2020, xã Gia Kiệm đạt 3/4 tiêu chí xã nông thôn mới."
    m = _find(s, "classify_maintenance")
    assert m.figures["lost_criteria"] == [17] and "(tiêu chí 17)" in m.text
    assert _find(s, "code=R_POOR").text == "Tỷ lệ hộ nghèo (chuẩn quốc gia) giảm từ 3% năm 2016 xuống 1% năm 2020."
    r = _find(s, "scoring.unit_scores")
    assert r.figures["points"] == 34.25 and r.figures["max_points"] == 80 and r.figures["provisional"]
    assert r.text == ("Theo bảng điểm thi đua, xã Gia Kiệm được 34,25/80 điểm ở các nội dung chấm từ số liệu (quy về "
                      "thang 100: 42,81 điểm), tạm xếp loại Yếu; nội dung I, II.4 do Hội đồng Thi đua – Khen thưởng "
                      "chấm.")
    assert "xếp thứ" not in " ".join(x.text for x in s)


def test_unit_that_became_a_town_and_unit_that_sent_nothing():
    s = narrative.unit_sentences(make_dataset(), C)
    c = _find(s, "criteria_reached")
    assert c.figures == {"year": 2018, "n_reached": 4, "n_applicable": 4}
    # 2018 was xã Xuân Thạnh's year, not the town's: named as it was then
    assert c.text == ("Năm 2018 (năm cuối cùng áp dụng bộ tiêu chí xã nông thôn mới), xã Xuân Thạnh (nay là thị trấn "
                      "Dầu Giây) đạt 4/4 tiêu chí; từ năm 2019, thị trấn Dầu Giây được đánh giá theo tiêu chuẩn "
                      "“Thị trấn đạt chuẩn văn minh đô thị”.")
    m = _find(s, "classify_maintenance")
    assert m.text.startswith("Trong các năm 2016–2018, xã Xuân Thạnh (nay là thị trấn Dầu Giây) giữ vững")
    assert "không có tiêu chí nào sụt chuẩn mà chưa đạt lại" in m.text
    u = _find(s, "urban_reached")
    assert u.figures == {"year": 2020, "n_reached": 0, "n_not_reached": 0, "n_missing": 5, "n_criteria": 5}
    # its workbook followed outline 2, which has the urban sheet: left blank, nothing more to say
    assert u.text == ("Năm 2020, chưa có số liệu để đánh giá thị trấn Dầu Giây theo 5 tiêu chuẩn “Thị trấn đạt chuẩn "
                      "văn minh đô thị”.")
    # a version 1 workbook was never asked: the sentence says so
    v1 = make_dataset()
    v1.submissions.loc[v1.submissions["unit_code"] == C, "outline_version"] = "1.0"
    u = _find(narrative.unit_sentences(v1, C), "urban_reached")
    assert u.text == ("Năm 2020, chưa có số liệu để đánh giá thị trấn Dầu Giây theo 5 tiêu chuẩn “Thị trấn đạt chuẩn "
                      "văn minh đô thị” (biểu mẫu sơ kết không có phần tự đánh giá các tiêu chuẩn này).")
    assert not [x for x in narrative.unit_sentences(make_dataset(), A) if "urban" in x.source]  # a xã: none
    missing = narrative.unit_sentences(make_dataset(with_missing_unit=True), D)
    assert [x.text for x in missing] == ["Xã Gia Tân 1 chưa gửi báo cáo."]


def test_scope_errors():
    with pytest.raises(ValueError, match="district_code"):
        narrative.district_sentences(make_dataset(b_district="999"))
    sub = narrative.district_sentences(make_dataset(b_district="999"), district_code="999")
    assert _find(sub, "campaign_totals", "vận động").figures["VD01"] == 500
    with pytest.raises(ValueError, match="no unit"):
        narrative.unit_sentences(make_dataset(), "00000")


def test_the_towns_urban_sentences_with_declarations_and_measures():
    s = narrative.unit_sentences(make_town_dataset(), C)
    assert _find(s, "urban_reached").text == "Năm 2020, thị trấn Dầu Giây đạt đủ 5/5 tiêu chuẩn “Thị trấn đạt chuẩn " \
                                              "văn minh đô thị”."
    m = _find(s, "urban_checks")
    # the town's hamlets are khu phố; 90 % and 80 % prove nothing (3 and 6 years running), the typed 70 % does
    assert m.text == ("Số liệu năm 2020: tỷ lệ hộ đạt Gia đình văn hóa 90%, tỷ lệ khu phố văn hóa 80% (mức của tiêu "
                      "chuẩn: ≥ 80%, xét nhiều năm liên tục, nên số liệu một năm chưa đủ để kết luận đạt); tỷ lệ cơ "
                      "quan, đơn vị, doanh nghiệp trên địa bàn đạt chuẩn văn hóa liên tục từ 5 năm trở lên là 70%, "
                      "chưa đạt mức ≥ 80%.")
    assert m.figures == pytest.approx({"VM2.1": 90.0, "VM2.2": 80.0, "VM2.3": 70.0})


def test_history_names_each_span_as_the_unit_was_then():
    ds = make_dataset()
    assert narrative.name_in(ds, C, 2018) == "xã Xuân Thạnh (nay là thị trấn Dầu Giây)"
    assert narrative.name_in(ds, C, 2019) == "thị trấn Dầu Giây" and narrative.name_in(ds, A, 2016) == "xã Gia Kiệm"
    assert narrative.history_text(ds, C) == (
        "Các năm 2016–2018, xã Xuân Thạnh (nay là thị trấn Dầu Giây) được đánh giá theo bộ tiêu chí xã nông thôn mới "
        "(Quyết định 1980/QĐ-TTg ngày 17/10/2016); từ năm 2019, thị trấn Dầu Giây được đánh giá theo tiêu chuẩn "
        "“Thị trấn đạt chuẩn văn minh đô thị” (Thông tư 02/2013/TT-BVHTTDL ngày 24/01/2013).")
    assert narrative.history_text(ds, A) is None
    assert [(p["first"], p["last"], p["ntm_applies"]) for p in narrative.unit_periods(ds, C)] == [
        (2016, 2018, True), (2019, 2020, False)]


def test_a_towns_hamlets_are_khu_pho():
    ds = make_dataset()
    assert (narrative.hamlet_word(ds, C), narrative.hamlet_word(ds, A)) == ("khu phố", "ấp")
    assert narrative.for_unit_type("Tỷ lệ ấp, khu phố văn hóa", "thi_tran") == "Tỷ lệ khu phố văn hóa"
    assert narrative.for_unit_type("Tổng số ấp, khu phố", "xa") == "Tổng số ấp"
