"""Reference data loaders: criteria, levels, outline, unit registry and its history."""

import textwrap

import pandas as pd
import pytest

import nrlib
from nrlib import config
from nrlib.cli import main


def test_criteria_has_19_criteria_in_5_groups_and_49_indicators():
    c = nrlib.load_criteria()
    assert len(c) == 49
    assert c["indicator_code"].is_unique
    assert sorted(c["criterion_no"].unique()) == list(range(1, 20))
    assert list(c["group_code"].unique()) == ["I", "II", "III", "IV", "V"]
    assert set(c["comparison"]) <= {"≥", "≤", "=", ""}
    # a blank comparison is left blank (not seen in a source), and never has a level
    blank = set(c.loc[c["comparison"] == "", "indicator_code"])
    lv = nrlib.load_criteria_levels()
    assert blank and lv[lv["indicator_code"].isin(blank) & lv["level"].notna()].empty
    row = c.set_index("indicator_code").loc["15.3"]
    assert row["comparison"] == "≤" and row["unit"] == "%"


def test_blank_levels_stay_blank_and_sources_are_kept():
    lv = nrlib.load_criteria_levels()
    assert lv["source"].str.strip().ne("").all()
    # 2.1 has no level seen in any source: it must not appear with a number
    assert lv[(lv["indicator_code"] == "2.1") & lv["level"].notna()].empty
    dnb = lv[(lv["scope"] == "dnb")].set_index("indicator_code")
    assert dnb.loc["15.3", "level"] == pytest.approx(14.3)
    assert dnb.loc["10", "level"] == 59 and dnb.loc["10", "year"] == 2020


def test_resolve_levels_prefers_region_and_ignores_national_by_default():
    lv = nrlib.resolve_levels(["738", "75", "dnb"], [2019, 2020])
    by = lv.set_index(["indicator_code", "year"])
    assert by.loc[("14.2", 2020), "level"] == 90  # regional, not the national 85
    assert ("10", 2019) not in by.index  # income level is for 2020 only
    assert by.loc[("10", 2020), "level"] == 59
    assert "4.2" not in set(lv["indicator_code"])  # national-only level: not applied to ĐNB
    with_nat = nrlib.resolve_levels(["dnb", "national"], [2020]).set_index("indicator_code")
    assert with_nat.loc["4.2", "scope"] == "national"


def test_local_levels_override_without_code_changes(tmp_path, monkeypatch):
    local = tmp_path / "levels.csv"
    local.write_text(textwrap.dedent("""\
        indicator_code,scope,year,comparison,level,source
        15.1,75,,≥,"90,5",QĐ của UBND tỉnh (ví dụ)
        2.1,dnb,,≥,100,
    """), encoding="utf-8")
    monkeypatch.setenv("NRLIB_LEVELS", str(local))
    lv = nrlib.resolve_levels(["738", "75", "dnb"], [2020]).set_index("indicator_code")
    assert lv.loc["15.1", "level"] == pytest.approx(90.5)
    assert lv.loc["15.1", "origin"] == "local"
    assert lv.loc["2.1", "level"] == 100 and "levels.csv" in lv.loc["2.1", "source"]


def test_local_levels_with_unknown_indicator_is_a_clear_error(tmp_path, monkeypatch):
    local = tmp_path / "levels.csv"
    local.write_text("indicator_code,scope,comparison,level\n99.9,dnb,≥,1\n", encoding="utf-8")
    monkeypatch.setenv("NRLIB_LEVELS", str(local))
    with pytest.raises(nrlib.ReferenceDataError, match="99.9"):
        nrlib.load_criteria_levels()


def test_outline_is_consistent_and_complete():
    """Version 1, as shipped before version 2 (workbooks made from it are still accepted)."""
    o = nrlib.load_outline(version="1.0")
    assert o.sheet_names == ["ThongTin", "TieuChi", "ChiTieu", "VanDong", "KhenThuong", "DanhGia"]
    assert o.years == [2016, 2017, 2018, 2019, 2020]
    assert str(o.deadline) == "2021-02-18"
    m = o.metrics.set_index("code")
    assert len(m) == 23 and m.loc["VD12", "le_metric"] == "VD11" and m.loc["VD01", "kind"] == "flow"
    assert m.loc["VD11", "gt"] == 0 and bool(m.loc["VD11", "integer"])
    assert [c["label"] for c in o.choices("criterion_status")] == ["Đạt", "Chưa đạt", "Không áp dụng"]
    assert set(o.derived_indicators["indicator_code"]) == {"11", "16", "17.1"}
    # typed and derived indicators never overlap: rates are never typed twice
    assert not set(o.typed_indicators["indicator_code"]) & set(o.derived_indicators["indicator_code"])


def test_each_value_is_compared_as_a_share_per_household_or_as_it_is():
    """The comparison basis and its display follow one rule (Outline.comparison_kind) for the outlier check."""
    o = nrlib.load_outline()
    assert (o.comparison_kind("VD12"), o.comparison_basis["VD12"]) == ("share", "VD11")   # poor households ≤ households
    assert (o.comparison_kind("VD05"), o.comparison_basis["VD05"]) == ("per_household", o.household_metric)
    assert o.comparison_kind(o.household_metric) == "raw" and o.comparison_kind("VD16") == "raw"  # sizes, and a whole
    assert o.comparison_kind("2.1") == "raw"                                               # a typed rate
    assert o.comparison_display("VD12") == (100.0, "% của VD11")
    assert o.comparison_display("VD05") == (1000.0, " km / 1.000 hộ")
    assert o.comparison_display("2.1", "%") == (1.0, "%")


def test_outline_with_unknown_metric_reference_is_rejected(tmp_path):
    text = (nrlib.load_outline().path).read_text(encoding="utf-8").replace("le_metric: VD16}", "le_metric: VD99}", 1)
    bad = tmp_path / "outline.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(nrlib.ReferenceDataError, match="VD99"):
        nrlib.load_outline(bad)


def test_load_units_738_gives_the_ten_units_with_types():
    u = nrlib.load_units(738)
    expected = {
        "26299": "Xã Gia Tân 1", "26302": "Xã Gia Tân 2", "26305": "Xã Gia Tân 3", "26308": "Xã Gia Kiệm",
        "26311": "Xã Quang Trung", "26314": "Xã Bàu Hàm 2", "26317": "Xã Hưng Lộc", "26320": "Xã Lộ 25",
        "26323": "Xã Xuân Thiện", "26326": "Thị trấn Dầu Giây",
    }
    assert dict(zip(u["unit_code"], u["name"])) == expected
    types = dict(zip(u["unit_code"], u["unit_type"]))
    assert types.pop("26326") == "thi_tran" and set(types.values()) == {"xa"}
    assert set(u["district_code"]) == {"738"} and set(u["province_code"]) == {"75"}
    assert set(u["region_code"]) == {"dnb"}
    assert nrlib.load_units("738").equals(u)


def test_any_district_loads_by_code():
    u = nrlib.load_units(1)  # Quận Ba Đình, Hà Nội
    assert len(u) > 5 and set(u["unit_type"]) == {"phuong"} and set(u["region_code"]) == {"dbsh"}


@pytest.mark.parametrize("bad", [999, "abc", "", -1])
def test_wrong_district_code_is_a_clear_error(bad):
    with pytest.raises(nrlib.UnknownDistrictError) as exc:
        nrlib.load_units(bad)
    assert "district" in str(exc.value) and "huyện" in str(exc.value)


def test_wrong_district_code_on_the_command_line_exits_2_without_traceback(tmp_path, capsys):
    assert main(["template", "--district", "999", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "999" in err and "Traceback" not in err


def test_unit_history_makes_dau_giay_a_commune_until_2018():
    u = nrlib.load_units(738)
    uy = nrlib.unit_years(u, [2016, 2017, 2018, 2019, 2020])
    dg = uy[uy["unit_code"] == "26326"].set_index("year")
    assert list(dg["ntm_applies"]) == [True, True, True, False, False]
    assert dg.loc[2016, "name"] == "Xã Xuân Thạnh" and dg.loc[2020, "name"] == "Thị trấn Dầu Giây"
    others = uy[uy["unit_code"] != "26326"]
    assert others["ntm_applies"].all() and len(others) == 45


def test_find_unit():
    assert nrlib.find_unit("26308")["name"] == "Xã Gia Kiệm"
    assert nrlib.find_unit(26308)["district_code"] == "738"
    with pytest.raises(nrlib.UnknownUnitError):
        nrlib.find_unit("99999")


def test_every_province_has_a_region():
    from nrlib.reference import load_vintage

    codes = set(load_vintage("2021-02-03")["province_code"])
    regions = pd.read_csv(config.reference_dir() / "regions.csv", dtype=str)
    assert set(regions["province_code"]) == codes
    assert regions["region_code"].nunique() == 7


def test_yaml_is_read_with_the_safe_loader_only():
    """The C loader when there is one, never a loader that builds Python objects from tags."""
    import yaml

    from nrlib.config import load_yaml

    assert load_yaml("a: [1, 2]\nb: ngày 18/02/2021\n") == {"a": [1, 2], "b": "ngày 18/02/2021"}
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['echo pwned']")


def test_a_district_without_units_has_the_columns_of_any_other():
    """Island districts (Hoàng Sa, Trường Sa…) have no commune in the registry: an empty table, not an error."""
    from nrlib.reference import load_units, registry_divisions
    from nrlib.reference.units import UNIT_COLUMNS

    empty = [d["code"] for p in registry_divisions() for d in p["districts"] if not d["wards"]]
    assert empty, "the registry has no district without units any more: pick another case"
    units = load_units(empty[0])
    assert units.empty and tuple(units.columns) == UNIT_COLUMNS


def test_the_status_rows_of_every_district_are_load_units_rows():
    """`unit_rows` (what `nrlib status` reads, without pandas) gives, for every district of the review's list, the
    records `load_units` gives, in the same order and with the same keys; an unknown code the same refusal."""
    from nrlib.reference import load_units, registry_divisions
    from nrlib.reference.unit_rows import UNIT_KEYS, unit_rows
    from nrlib.reference.units import UNIT_COLUMNS

    assert UNIT_KEYS == UNIT_COLUMNS
    for p in registry_divisions():
        for d in p["districts"]:
            expected = [{k: (None if v is None or (isinstance(v, float) and v != v) else v) for k, v in r.items()}
                        for r in load_units(d["code"]).to_dict("records")]
            assert unit_rows(d["code"]) == expected, d["code"]
    with pytest.raises(nrlib.UnknownDistrictError):
        unit_rows("999")
