"""Outline version 2 beside version 1 (issue #14): its contents and sources, the blank template it writes, how a
workbook's stated version picks the outline it is validated against, and a store of both versions analysed and
written up together (what version 1 lacks is missing, never zero)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

import nrlib
from nrlib.analysis import awards, campaign, quality, ranking, reviews
from nrlib.documents.settings import load_settings
from nrlib.intake.reader import read_workbook
from nrlib.intake.schema import compile_schemas
from nrlib.intake.validate import validate_workbook
from nrlib.reference import find_outline, load_outline, load_outlines
from nrlib.reference.awards import load_awards
from nrlib.store import load_dataset
from nrlib.workbooks.layout import cell_address, sheet_layout
from nrlib.workbooks.sample import sample_content
from nrlib.workbooks.template import write_workbook

UNIT, TOWN = "26308", "26326"      # Xã Gia Kiệm; Thị trấn Dầu Giây


@pytest.fixture(scope="module")
def v1():
    return load_outline(version="1.0")


@pytest.fixture(scope="module")
def v2():
    return load_outline()


# ----------------------------------------------------------------------------- the outline as data


def test_both_versions_are_shipped_and_new_templates_follow_version_2(v1, v2):
    assert list(load_outlines()) == ["1.0", "2.0"] and v2.version == "2.0" and v1.version == "1.0"
    assert find_outline("2") is load_outlines()["2.0"] and find_outline("0.9") is None
    assert v2.sheet_names == ["ThongTin", "TieuChi", "VanMinhDoThi", "ChiTieu", "VanDong", "KhenThuong", "SoKet",
                              "DanhGia", "TuCham"]


def test_version_2_keeps_every_version_1_metric_with_its_meaning(v1, v2):
    """Codes never change meaning: a metric version 1 typed is typed or computed (summed) in version 2."""
    m1, m2 = v1.metrics.set_index("code"), v2.metrics.set_index("code")
    assert set(m1.index) <= set(m2.index)
    for code in m1.index:
        assert (m1.loc[code, "unit"], m1.loc[code, "kind"]) == (m2.loc[code, "unit"], m2.loc[code, "kind"]) \
            or code in ("VD16", "VD17"), code           # the hamlets' unit follows the unit type
    assert v2.computed_metrics == {"VD03": ["VD24", "VD25"], "VD22": ["VD39", "VD40"]}
    # supervision and social criticism counted apart; land split residential / farm with its value
    labels = dict(zip(m2.index, m2["label"]))
    assert "giám sát" in labels["VD39"] and "phản biện" in labels["VD40"]
    assert "đất ở" in labels["VD24"] and "nông nghiệp" in labels["VD25"] and "Giá trị" in labels["VD26"]
    assert "Vì người nghèo" in labels["VD28"] and "Vì người nghèo" in labels["VD29"]
    assert "quốc gia" in labels["VD12"] and "của tỉnh" in labels["VD31"]
    assert {"VD32", "VD33", "VD34"} <= set(m2.index) and "Ngày hội Đại đoàn kết" in labels["VD36"]
    assert "hòa giải" in labels["VD41"] and "hài lòng" in labels["VD44"] and "tuyên truyền" in labels["VD37"]
    assert {"R_POOR_PROVINCE", "R_MEDIATION", "R_SATISFIED", "R_SURVEYED", "R_FESTIVAL"} <= set(v2.rates["code"])


def test_every_row_names_its_source_and_unverified_ones_say_so(v2):
    raw = v2.raw
    sources = raw["sources"]
    rows = [*v2.sheet("VanDong")["metrics"], *v2.sheet("VanDong")["rates"], *v2.sheet("KhenThuong")["columns"],
            *v2.sheet("SoKet")["fields"], *v2.sheet("ThongTin")["fields"], *v2.sheet("DanhGia")["sections"],
            *v2.sheet("TuCham")["fields"], v2.sheet("VanMinhDoThi")]
    assert all(r.get("source") in sources for r in rows), [r for r in rows if r.get("source") not in sources]
    assert set(raw["choice_sources"]) == set(raw["choices"])
    content5 = next(s for s in v2.sections if s["code"] == "II.5")
    assert "Thông tri 10" in content5["unverified"]
    assert raw["closed_days"][0]["unverified"] and "UNVERIFIED" in sources["FP-LIST"]


def test_the_five_contents_have_their_official_wording(v2):
    """The DanhGia titles of the five contents are Thông tri 10's, as the documents' settings quote them."""
    official = load_settings().raw["campaign_contents"]
    titles = {s["code"]: s["title"] for s in v2.sections}
    for code, text in official.items():
        assert titles[code] == " ".join(str(text).split()), code


def test_the_new_sections_are_there_numbered_as_a_real_review(v2):
    sec = {s["code"]: (s["number"], s["title"]) for s in v2.sections}
    assert sec["DD.1"] == ("I.1", "Đặc điểm tình hình: thuận lợi") and sec["DD.2"][1].endswith("khó khăn")
    assert sec["LD.1"][0] == "II.1" and "phối hợp" in sec["LD.2"][1]
    assert sec["III.3.1"][1] == "Nguyên nhân khách quan" and sec["III.3.2"][1] == "Nguyên nhân chủ quan"
    assert sec["I"][0] == "III" and sec["II.1"][0] == "IV.1" and sec["VI"][0] == "VIII"


def test_award_forms_carry_the_official_names_and_keep_their_keys(v1, v2):
    """The labels are awards.csv's names (the body deciding: the Chủ tịch's Giấy khen); the values do not change,
    so awards.csv and the proposals already stored still match; version 1's labels are aliases."""
    names = dict(zip(load_awards()["award_form"], load_awards()["name"]))
    for c in v2.choices("award_form"):
        assert c["label"] == names[c["value"]].replace("{district}", "huyện").replace("{province}", "tỉnh")
    assert [c["value"] for c in v1.choices("award_form")] == [c["value"] for c in v2.choices("award_form")]
    assert v2.choice_texts("award_form")["Giấy khen của UBND huyện"] == "district_certificate"
    assert "Giấy khen của Chủ tịch UBND huyện" in [c["label"] for c in v2.choices("award_form")]


def test_hamlet_words_follow_the_unit_type(v2):
    def label(o, code):
        m = o.metrics.set_index("code")
        return m.loc[code, "label"], m.loc[code, "unit"]

    assert label(v2.for_unit_types(["xa"]), "VD16") == ("Tổng số ấp", "ấp")
    assert label(v2.for_unit_types(["thi_tran"]), "VD16") == ("Tổng số khu phố", "khu phố")
    assert label(v2.for_unit_types(["xa", "thi_tran"]), "VD16") == ("Tổng số ấp, khu phố", "ấp, khu phố")
    assert label(v2, "VD17") == ("Số ấp, khu phố đạt danh hiệu văn hóa", "ấp, khu phố")    # a district: mixed


def test_working_days_leave_out_weekends_and_the_tet_break(v2):
    assert v2.is_working_day(dt.date(2021, 2, 18)) and v2.is_working_day(dt.date(2021, 2, 9))
    assert not v2.is_working_day(dt.date(2021, 2, 12)) and not v2.is_working_day(dt.date(2021, 2, 20))
    assert {d for d in v2.closed_days} == {dt.date(2021, 2, 10) + dt.timedelta(days=i) for i in range(7)}


# ----------------------------------------------------------------------------- the blank template


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    d = tmp_path_factory.mktemp("v2-templates")
    return {code: openpyxl.load_workbook(write_workbook(d / f"{code}.xlsx", nrlib.find_unit(code)))
            for code in (UNIT, TOWN)}


def _column(ws, col: int) -> list:
    return [ws.cell(r, col).value for r in range(1, ws.max_row + 1)]


def test_a_blank_template_holds_every_section_metric_and_column(blank, v2):
    wb = blank[UNIT]
    worded = v2.for_unit_types(["xa"])
    assert wb["ThongTin"][cell_address(v2, "ThongTin", "outline_version", "value")].value == "2.0"
    vd = wb["VanDong"]
    for code in worded.typed_metric_codes:
        row = sheet_layout(worded, "VanDong").row(code)
        assert vd.cell(row, 1).value == code
        assert vd.cell(row, 2).value == worded.metrics.set_index("code").loc[code, "label"]
    assert "VD03" not in _column(vd, 1) and "VD22" not in _column(vd, 1)     # nrlib adds them up
    kt = wb["KhenThuong"]
    assert [kt.cell(3, c).value for c in range(1, 11)] == [
        "STT", "Loại", "Đối tượng", "Tên tập thể / Họ và tên", "Năm sinh", "Giới tính",
        "Chức vụ, đơn vị công tác hoặc nơi cư trú", "Thành tích tóm tắt", "Hình thức khen thưởng đã nhận (năm)",
        "Hình thức đề nghị"]
    award = [dv for dv in kt.data_validations.dataValidation if "Giấy khen" in (dv.formula1 or "")][0]
    assert "Giấy khen của Chủ tịch UBND huyện" in award.formula1 and "Giấy khen của UBND huyện" not in award.formula1
    sk = wb["SoKet"]
    assert [f["label"] for f in v2.sheet("SoKet")["fields"]] == [v for v in _column(sk, 1)[3:] if v]
    dg = wb["DanhGia"]
    for s in v2.sections:
        row = sheet_layout(v2, "DanhGia").row(s["code"])
        assert (dg.cell(row, 1).value, dg.cell(row, 2).value) == (s["number"], s["title"])


def test_the_town_s_template_says_khu_pho(blank):
    vd, xa = blank[TOWN]["VanDong"], blank[UNIT]["VanDong"]
    assert "Tổng số khu phố" in _column(vd, 2) and "khu phố" in _column(vd, 3)
    assert "Tổng số ấp" in _column(xa, 2) and not any("khu phố" in str(v) for v in _column(xa, 2))


# ----------------------------------------------------------------------------- validation picks the outline


@pytest.fixture(scope="module")
def schemas():
    return compile_schemas()


@pytest.fixture(scope="module")
def contents(v1, v2):
    units = nrlib.load_units("738")
    return {"1.0": sample_content(units, 2021, v1), "2.0": sample_content(units, 2021, v2)}


def _validate(tmp_path, content, outline, schemas, name="x.xlsx", unit=UNIT, **overrides):
    content = dict(content, overrides=overrides.get("cells", {}))
    path = write_workbook(tmp_path / name, nrlib.find_unit(unit), outline=outline, content=content)
    return validate_workbook(read_workbook(path, keep=schemas.reads_sheet), schemas)


def test_each_workbook_is_validated_against_the_version_it_states(tmp_path, contents, v1, v2, schemas):
    r2 = _validate(tmp_path, contents["2.0"][UNIT], v2, schemas, "v2.xlsx")
    r1 = _validate(tmp_path, contents["1.0"][UNIT], v1, schemas, "v1.xlsx")
    assert r2.accepted and r2.outline_version == "2.0", r2.problems
    assert r1.accepted and r1.outline_version == "1.0", r1.problems
    v = {(x["data_element"], x["year"]): x["value"] for x in r2.values}
    assert v[("VD03", 2017)] == v[("VD24", 2017)] + v[("VD25", 2017)]            # computed, never typed
    assert v[("VD22", 2017)] == v[("VD39", 2017)] + v[("VD40", 2017)]
    assert r2.info["review_form"] in ("conference", "written_report") and r2.info["review_date"]
    assert {p["subject"] for p in r2.proposals} and all(p.get("birth_year") for p in r2.proposals
                                                         if p["kind"] == "individual")
    assert not {"VD24", "VD39"} & {x["data_element"] for x in r1.values}
    assert "review_form" not in r1.info


def test_an_unknown_version_is_refused_at_its_cell_naming_the_known_ones(tmp_path, contents, v2, schemas):
    cell = cell_address(v2, "ThongTin", "outline_version", "value")
    res = _validate(tmp_path, contents["2.0"][UNIT], v2, schemas, cells={("ThongTin", cell): "3.0"})
    [p] = [p for p in res.problems if p.rule == "E_OUTLINE_VERSION"]
    assert p.location == f"ThongTin!{cell}" and not res.accepted
    assert "“3.0”" in p.message and "1.0 hoặc 2.0" in p.message and "biểu mẫu mới" in p.message
    assert [q.rule for q in res.problems] == ["E_OUTLINE_VERSION"]     # read with the nearest: nothing else


def test_a_blank_part_leaves_its_total_without_data_never_a_partial_sum(tmp_path, contents, v2, schemas):
    content = dict(contents["2.0"][UNIT])
    content["values"] = {k: v for k, v in content["values"].items() if k != ("VD25", 2018)}
    res = _validate(tmp_path, content, v2, schemas)
    got = {(x["data_element"], x["year"]) for x in res.values if x["value"] is not None}
    assert ("VD03", 2018) not in got and ("VD03", 2019) in got


def test_new_fields_are_checked_at_their_cells(tmp_path, contents, v2, schemas):
    content = dict(contents["2.0"][UNIT])
    person = next(i for i, p in enumerate(content["proposals"], 1) if p["kind"] == "individual")
    cells = {("SoKet", cell_address(v2, "SoKet", "review_form", "value")): "Họp mặt",
             ("SoKet", cell_address(v2, "SoKet", "review_attendance", "value")): "nhiều",
             ("KhenThuong", cell_address(v2, "KhenThuong", person, "birth_year")): 1850,
             ("KhenThuong", cell_address(v2, "KhenThuong", person, "subject")): "Doanh nghiệp"}
    res = _validate(tmp_path, content, v2, schemas, cells=cells)
    found = {(p.rule, p.location) for p in res.problems}
    sheet_cell = {(s, c) for s, c in cells}
    assert ("E_CHOICE", "SoKet!" + cell_address(v2, "SoKet", "review_form", "value")) in found
    assert ("E_TYPE_NUMBER", "SoKet!" + cell_address(v2, "SoKet", "review_attendance", "value")) in found
    year_cell = cell_address(v2, "KhenThuong", person, "birth_year")
    assert ("E_RANGE", f"KhenThuong!{year_cell}") in found
    assert ("W_PROPOSAL_SUBJECT", f"KhenThuong!{cell_address(v2, 'KhenThuong', person, 'kind')}") in found
    # a person's year of birth is personal: its problem does not quote it
    assert all("1850" not in p.message for p in res.problems) and sheet_cell


def test_poor_households_their_flows_do_not_explain_are_flagged(tmp_path, contents, v2, schemas):
    content = dict(contents["2.0"][UNIT])
    content["values"] = dict(content["values"])
    content["values"][("VD33", 2019)] = content["values"][("VD33", 2019)] + 40
    res = _validate(tmp_path, content, v2, schemas)
    [w] = [p for p in res.problems if p.rule == "W_STOCK_FLOWS"]
    assert w.location == f"VanDong!{cell_address(v2, 'VanDong', 'VD12', 2019)}" and res.accepted
    assert "VD33" in w.message and "2018" in w.message


# ----------------------------------------------------------------------------- version 1 and 2 together


@pytest.fixture(scope="module")
def mixed(mixed_store):
    return load_dataset(mixed_store)


def test_a_store_of_both_versions_keeps_each_submission_s_version(mixed):
    cur = mixed.submissions[mixed.submissions["is_current"]]
    assert set(cur["outline_version"]) == {"1.0", "2.0"} and mixed.outline.version == "2.0"


def test_metrics_a_version_1_workbook_lacks_are_missing_never_zero(mixed):
    cur = mixed.submissions[mixed.submissions["is_current"]]
    old = set(cur.loc[cur["outline_version"] == "1.0", "unit_code"])
    new = set(cur.loc[cur["outline_version"] == "2.0", "unit_code"])
    tot = campaign.campaign_totals(mixed, "unit").set_index(["unit_code", "code"])
    for code in ("VD24", "VD39", "VD41", "VD28"):
        assert all(np.isnan(tot.loc[(u, code), "value_period"]) for u in old), code
        assert all(tot.loc[(u, code), "value_period"] > 0 for u in new), code
    for code in ("VD03", "VD22", "VD01"):     # typed in version 1, computed or typed in version 2: everyone
        assert all(tot.loc[(u, code), "value_period"] > 0 for u in old | new), code
    dist = campaign.campaign_totals(mixed, "district").set_index("code")
    assert dist.loc["VD24", "n_units"] == len(new) and dist.loc["VD03", "n_units"] == len(old | new)
    rt = campaign.rates(mixed, "unit", years=[2020]).set_index(["unit_code", "code"])
    assert not any((u, "R_MEDIATION") in rt.index for u in old)


def test_completeness_counts_the_cells_each_version_asked_for(mixed, v1, v2):
    c = quality.completeness(mixed).query("sheet == 'VanDong'").set_index("unit_code")
    cur = mixed.submissions[mixed.submissions["is_current"]].set_index("unit_code")["outline_version"]
    for unit, version in cur.items():
        asked = len((v1 if version == "1.0" else v2).typed_metric_codes) * 5
        assert c.loc[unit, "expected_cells"] == asked and c.loc[unit, "completeness"] > 90, unit


def test_proposals_of_both_versions_name_the_same_award_forms(mixed):
    p = ranking.proposals_table(mixed, include_personal_data=True)
    keys = set(load_awards()["award_form"])
    assert set(p["award_form"]) <= keys                 # version 1's labels too ("Giấy khen của UBND huyện")
    hidden = ranking.proposals_table(mixed)
    people = hidden[hidden["kind"] == "individual"]
    assert people["birth_year"].isna().all() and people["gender"].isna().all()    # hidden with the names
    cur = mixed.submissions[mixed.submissions["is_current"]]
    new = set(cur.loc[cur["outline_version"] == "2.0", "unit_code"])
    mine = p[(p["kind"] == "individual") & p["unit_code"].isin(new)]
    assert mine["birth_year"].notna().all() and set(mine["gender"]) <= {"Nam", "Nữ"}


def test_the_district_decides_over_the_commune_and_fills_what_it_left_blank(mixed):
    props = awards.numbered_proposals(mixed)
    person = props[(props["kind"] == "individual") & props["birth_year"].notna()].iloc[0]
    other = props[(props["kind"] == "individual") & props["birth_year"].notna()].iloc[1]
    decided = awards.apply_decisions(props, pd.DataFrame([
        {"proposal_id": person["proposal_id"], "birth_year": 1970, "gender": None},
        {"proposal_id": other["proposal_id"], "birth_year": None, "gender": None}])).set_index("proposal_id")
    assert decided.loc[person["proposal_id"], "birth_year"] == 1970
    assert decided.loc[person["proposal_id"], "gender"] == person["gender"]
    assert decided.loc[other["proposal_id"], "birth_year"] == other["birth_year"]
    assert {"subject", "earlier_awards"} <= set(decided.columns)


def test_each_commune_s_own_review_is_a_row_version_1_ones_without_data(mixed):
    r = reviews.own_reviews(mixed).set_index("unit_code")
    cur = mixed.submissions[mixed.submissions["is_current"]].set_index("unit_code")["outline_version"]
    for unit, version in cur.items():
        assert bool(r.loc[unit, "reported"]) == (version == "2.0"), unit
    s = reviews.own_reviews_summary(mixed)
    assert s["n_reported"] == (cur == "2.0").sum() == s["n_conference"] + s["n_written_report"]


def test_the_district_report_follows_the_new_parts_with_both_versions(mixed, tmp_path):
    import docx

    from nrlib.documents.report import build_report

    path = tmp_path / "r.docx"
    build_report(mixed, load_settings()).save(path)
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    order = ["I. ĐẶC ĐIỂM TÌNH HÌNH", "1. Thuận lợi", "2. Khó khăn", "II. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
             "3. Công tác phối hợp", "4. Công tác tuyên truyền, vận động",
             "III. KẾT QUẢ THỰC HIỆN CÁC NỘI DUNG", "IV. ĐÁNH GIÁ CHUNG", "a) Nguyên nhân khách quan",
             "b) Nguyên nhân chủ quan", "c) Nguyên nhân (báo cáo theo đề cương phiên bản 1", "V. BÀI HỌC KINH NGHIỆM",
             "VII. KIẾN NGHỊ, ĐỀ XUẤT"]
    at = [text.index(h) for h in order]
    assert at == sorted(at)
    assert "tổ chức hội nghị sơ kết" in text and "lượt đại biểu" in text
    assert "(số liệu của 4/9 xã, thị trấn)" in text or "(số liệu của 5/9 xã, thị trấn)" in text
    tables = [[c.text for c in t.rows[0].cells] for t in docx.Document(path).tables]
    assert ["STT", "Xã, thị trấn", "Hình thức", "Ngày", "Số đại biểu", "Tập thể được xã khen",
            "Cá nhân được xã khen", "Đề cương"] in tables


def test_a_list_gives_the_commune_s_facts_and_notes_its_earlier_awards(mixed):
    from nrlib.documents.dossier import dossier_lists, make_dossier

    settings = load_settings()
    dossier = make_dossier(mixed, settings)
    d = dossier.decided
    row = d[d["earlier_awards"].notna() & (d["kind"] == "individual") & d["birth_year"].notna()].iloc[0]
    rows = dossier_lists(mixed, settings, dossier)[row["award_form"]].rows
    [mine] = [r for r in rows if r[1] == row["name"]]
    assert mine[2] == str(int(row["birth_year"])) and mine[3] == row["gender"] and mine[4] == row["position"]
    assert mine[-1].endswith(f"đã được khen: {row['earlier_awards']}")
