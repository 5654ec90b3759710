"""nrlib.intake.schema: the outline compiled once for validation, and the unit look-ups it keeps."""

from __future__ import annotations

from nrlib.intake.schema import cached_match_key, compile_schema, compile_schemas, registry_unit

UNIT = "26308"      # Xã Gia Kiệm
OTHER = "26311"     # Xã Quang Trung, same district
TOWN = "26326"      # Thị trấn Dầu Giây (NTM criteria stop applying in 2019)


def test_sheets_are_matched_loosely_and_only_the_outline_ones_are_read():
    s = compile_schema()
    assert list(s.sheets) == ["ThongTin", "TieuChi", "VanMinhDoThi", "ChiTieu", "VanDong", "KhenThuong", "SoKet",
                              "DanhGia", "TuCham"]
    assert s.urban_only == {"VanMinhDoThi"} and list(s.urban_criteria) == ["VM1", "VM2", "VM3", "VM4", "VM5"]
    assert s.reads_sheet("VanDong") and s.reads_sheet(" vandong ") and s.reads_sheet("THONGTIN")
    assert not s.reads_sheet(s.instructions_sheet) and not s.reads_sheet("Ghi chu rieng")


def test_every_shipped_outline_is_compiled_the_newest_last():
    s = compile_schemas()
    assert s.versions == ["1.0", "2.0"] and s.default is s.by_version["2.0"]
    assert s.get("1") is s.by_version["1.0"] and s.get(" 2.0 ") is s.default and s.get("3.0") is None
    assert s.reads_sheet("SoKet") and not s.by_version["1.0"].reads_sheet("SoKet")
    # version 2 types the parts; the totals version 1 typed are computed from them
    assert "VD03" in s.default.metrics and "VD03" not in s.default.typed_metrics
    assert s.default.computed_metrics == {"VD03": ["VD24", "VD25"], "VD22": ["VD39", "VD40"]}
    assert "VD03" in s.by_version["1.0"].typed_metrics


def test_an_award_form_is_known_by_its_official_name_and_by_version_1_s_label():
    forms = compile_schema().choice_lookup["award_form"]
    assert forms[cached_match_key("Giấy khen của Chủ tịch UBND huyện")] == "district_certificate"
    assert forms[cached_match_key("Giấy khen của UBND huyện")] == "district_certificate"


def test_choices_are_looked_up_by_label_or_value_typed_loosely():
    s = compile_schema()
    status = s.choice_lookup["criterion_status"]
    for typed, value in (("Đạt", "reached"), ("chua dat", "not_reached"), (" KHÔNG ÁP DỤNG", "not_applicable"),
                         ("reached", "reached")):
        assert status.get(cached_match_key(typed)) == value, typed
    assert status.get(cached_match_key("Gần đạt")) is None
    assert s.choice_labels["criterion_status"]["not_reached"] == "Chưa đạt"


def test_registry_unit_is_the_registry_row_or_none():
    unit = registry_unit(UNIT)
    assert unit["name"] == "Xã Gia Kiệm" and unit["district_code"] == "738"
    assert registry_unit(OTHER)["district_code"] == "738"
    assert registry_unit("99999") is None


def test_ntm_applies_follows_the_unit_history():
    s = compile_schema()
    assert s.ntm_applies(registry_unit(UNIT)) == {y: True for y in s.years}
    assert s.ntm_applies(registry_unit(TOWN)) == {2016: True, 2017: True, 2018: True, 2019: False, 2020: False}


def test_levels_are_resolved_once_per_district_province_region():
    s = compile_schema()
    levels = s.levels_for(registry_unit(UNIT))
    assert levels and all(isinstance(y, int) and isinstance(level, float) for (_, y), (_, level) in levels.items())
    assert s.levels_for(registry_unit(OTHER)) is levels      # same scopes, same table
