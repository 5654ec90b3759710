"""The vendored unit registry: its files against their sources, its vintages, identity across them, the crosswalk.

The drift test works in two steps:

* always (no network, no source): every vendored file's SHA-256, row count
  and columns equal those ``data/reference/units/sources.yaml`` recorded when
  ``nrlib.reference.vendor`` built it (:func:`check_files`), so a file edited by
  hand fails; the counts and examples below pin what the lists say;
* when ``NRLIB_REGISTRY_SOURCES`` names a folder holding the source files
  (the wheels ``pip download`` gives, and the conversion table's CSV; the
  command is in ``nrlib/reference/vendor.py`` and ``data/reference/units/README.md``),
  the files are built again from them and must be byte for byte the vendored
  ones, and the crosswalk's pairs must be those of the table compiled into the
  package. A source that is not the recorded one is refused by its SHA-256.
  Without that folder these tests are skipped, saying so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

import nrlib
from nrlib import config
from nrlib.reference import registry, vendor
from nrlib.reference.units import history_unknown, load_province_units, load_units, unit_history_basis, unit_years

UNITS_DIR = config.reference_dir() / "units"
YEARS = [2016, 2017, 2018, 2019, 2020]


def test_vendored_files_match_their_manifest():
    assert vendor.check_files(UNITS_DIR) == []


def test_a_file_changed_by_hand_is_found(tmp_path):
    copy = tmp_path / "units"
    shutil.copytree(UNITS_DIR, copy)
    path = copy / "units_2021-02-03.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Xã Quang Trung", "Xã Quang Trung Mới"), encoding="utf-8")
    problems = vendor.check_files(copy)
    assert len(problems) == 1 and "units_2021-02-03.csv: SHA-256" in problems[0]


def test_each_vintage_has_the_counts_of_its_list():
    v21 = registry.load_vintage("2021-02-03")
    assert (len(v21), v21["province_code"].nunique(), v21["district_code"].nunique()) == (10603, 63, 700)
    assert v21["unit_type"].value_counts().to_dict() == {"xa": 8272, "phuong": 1723, "thi_tran": 608}
    # five island districts have no commune-level unit: one row each, blank code, as in the GSO list
    rows = registry.vintage_rows("2021-02-03")
    assert rows["district_code"].nunique() == 705 and (rows["unit_code"] == "").sum() == 5
    v25 = registry.load_vintage("2025-07-01")
    assert (len(v25), v25["province_code"].nunique()) == (3321, 34)
    assert set(v25["district_code"]) == {""}
    assert v25["unit_type"].value_counts().to_dict() == {"xa": 2621, "phuong": 687, "dac_khu": 13}
    assert len(registry.load_vintage("2020-02-25")) == 10767


def test_the_vintage_in_force_on_a_date():
    assert registry.vintages() == ["2020-02-25", "2021-02-03", "2025-07-01"]
    assert registry.default_vintage() == "2021-02-03"          # the review's deadline is 18/02/2021
    assert registry.vintage_on(dt.date(2021, 2, 18)) == "2021-02-03"
    assert registry.vintage_on("2025-07-01") == "2025-07-01"
    with pytest.raises(nrlib.ReferenceDataError, match="25/02/2020"):
        registry.vintage_on(dt.date(2016, 1, 1))              # no list of then: not guessed
    with pytest.raises(nrlib.ReferenceDataError, match="2019-01-01"):
        load_units(738, vintage="2019-01-01")


def test_a_code_is_not_a_unit_across_vintages():
    """26311 was Xã Quang Trung; from 01/07/2025 it is Xã Gia Kiệm, which absorbed Gia Tân 3, Gia Kiệm and Quang
    Trung; and 26308, Xã Gia Kiệm in 2021, is no unit of 2025."""
    assert nrlib.find_unit("26311")["name"] == "Xã Quang Trung"
    assert nrlib.find_unit("26311", vintage="2025-07-01")["name"] == "Xã Gia Kiệm"
    with pytest.raises(nrlib.UnknownUnitError, match="01/07/2025"):
        nrlib.find_unit("26308", vintage="2025-07-01")
    p = registry.predecessors("26311")
    assert list(zip(p["old_code"], p["old_name"], p["extent"])) == [
        ("26305", "Xã Gia Tân 3", "whole"), ("26308", "Xã Gia Kiệm", "whole"), ("26311", "Xã Quang Trung", "whole")]
    assert list(p["unit_code"]) == ["26305", "26308", "26311"]    # each the review's unit of that code and name
    assert set(p["new_name"]) == {"Xã Gia Kiệm"}


def test_the_review_units_of_738_and_where_they_went():
    s = registry.successors()
    s = s[s["unit_code"].isin(set(load_units(738)["unit_code"]))]
    assert set(s["link"]) == {"code_and_name"} and set(s["extent"]) == {"whole"}
    went = dict(zip(s["unit_code"], s["new_name"]))
    assert went["26299"] == went["26302"] == "Xã Thống Nhất"
    assert went["26314"] == went["26326"] == "Xã Dầu Giây"
    assert went["26323"] == "Phường Bình Lộc"


def test_the_crosswalk_covers_the_new_list_and_reads_its_notes():
    cw = registry.load_crosswalk()
    assert len(cw) == 10571 and not cw.duplicated(["old_code", "new_code"]).any()
    assert set(cw["new_code"]) == set(registry.load_vintage("2025-07-01")["unit_code"])
    assert set(cw["extent"]) == {"whole", "partial"}
    note = cw.set_index("note")
    assert note.loc["Nhập một phần diện tích, toàn bộ dân số"].iloc[0][["extent", "area", "population"]].tolist() == \
        ["partial", "partial", "whole"]
    assert set(note.loc["Giữ nguyên", "extent"]) == {"whole"}     # kept as it was: the whole unit
    # an old unit sent whole to two new units is not a whole merge into either
    split = cw[cw["old_code"] == "01615"]
    assert len(split) == 2 and set(split["extent"]) == {"partial"} and split["remark"].str.contains("2 new").all()
    islands = cw[cw["old_code"] == ""]
    assert len(islands) == 6 and set(islands["change"]) <= {"district_to_zone", "merge"}


def test_the_lists_show_the_changes_between_two_vintages():
    c = registry.list_changes("2020-02-25", "2021-02-03")
    counts = c["change"].value_counts().to_dict()
    assert counts == {"unchanged": 10277, "removed": 262, "added": 98, "retyped": 88, "renamed": 84, "moved": 56}
    row = c.set_index("unit_code").loc["02809"]        # xã Si Ma Cai became a thị trấn between the two lists
    assert (row["name_before"], row["name_after"], row["change"]) == ("Xã Si Ma Cai", "Thị trấn Si Ma Cai", "retyped")
    swap = c.set_index("unit_code").loc[["03003", "03019"], "change"]
    assert set(swap) == {"renamed"}   # two codes that swapped names: neither taken for the same unit


def test_738_is_known_in_every_year_and_dau_giay_changes_on_01_07_2019():
    u = load_units(738)
    basis = unit_history_basis(u, YEARS)
    assert set(basis["basis"]) == {"history"}
    dg = unit_years(u, YEARS).set_index(["unit_code", "year"])
    assert dg.loc[("26326", 2018), "name"] == "Xã Xuân Thạnh" and dg.loc[("26326", 2019), "unit_type"] == "thi_tran"
    assert history_unknown(u, YEARS).empty


def test_a_unit_retyped_between_the_lists_is_a_xa_before_and_its_history_unknown():
    """Thị trấn Si Ma Cai of the 2021 list was Xã Si Ma Cai in that of 25/02/2020: the NTM criteria applied then;
    no dated record says when it changed, so 2016–2020 are unknown and the report says so."""
    u = load_units(84)   # huyện Si Ma Cai, Lào Cai
    uy = unit_years(u, YEARS).set_index(["unit_code", "year"])
    assert uy.loc[("02809", 2019), "name"] == "Xã Si Ma Cai" and bool(uy.loc[("02809", 2019), "ntm_applies"])
    assert uy.loc[("02809", 2020), "unit_type"] == "thi_tran" and not bool(uy.loc[("02809", 2020), "ntm_applies"])
    b = unit_history_basis(u, YEARS).set_index(["unit_code", "year"])["basis"]
    assert set(b.loc["02809"]) == {"unknown"}
    gaps = history_unknown(u, YEARS).set_index("unit_code")
    assert gaps.loc["02809", "years"] == YEARS
    assert "các năm 2016–2020" in gaps.loc["02809", "message"] and "25/02/2020" in gaps.loc["02809", "message"]
    assert "Xã Si Ma Cai, Thị trấn Si Ma Cai" in gaps.loc["02809", "message"]   # what the years were taken as
    summary = nrlib.reference.history_unknown_summary(u, YEARS)
    assert summary.startswith(f"Chưa rõ tên và loại hình của {len(gaps)} trên {len(u)} đơn vị")
    assert nrlib.reference.history_unknown_summary(load_units(738), YEARS) is None


def test_a_unit_the_same_in_both_lists_is_known_for_2020_only():
    u = load_units(1)   # Quận Ba Đình
    b = unit_history_basis(u, YEARS).set_index(["unit_code", "year"])
    assert b.loc[("00001", 2020), "basis"] == "lists" and "25/02/2020" in b.loc[("00001", 2020), "source"]
    assert set(b.loc["00001"].loc[[2016, 2017, 2018, 2019], "basis"]) == {"unknown"}


def test_the_2025_list_has_provinces_and_no_districts():
    with pytest.raises(nrlib.UnknownDistrictError, match="01/07/2025"):
        load_units(738, vintage="2025-07-01")
    dn = load_province_units(75, vintage="2025-07-01")
    assert "Xã Gia Kiệm" in set(dn["name"]) and set(dn["vintage"]) == {"2025-07-01"}
    assert dn["region_code"].isna().all()    # the 2016-2020 regions are of the 63 provinces before 2025


def test_registry_divisions_keep_their_shape():
    d = nrlib.reference.registry_divisions()
    assert len(d) == 63 and sum(len(x["wards"]) for p in d for x in p["districts"]) == 10603
    d25 = nrlib.reference.registry_divisions("2025-07-01")
    assert len(d25) == 34 and all(not p["districts"] for p in d25) and sum(len(p["wards"]) for p in d25) == 3321


# --------------------------------------------------------------------------- the vendor's rules on small sources

def _wheel(path: Path, member: str, payload: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(member, payload)
    return path


def test_the_vendor_builds_a_list_and_refuses_another_source(tmp_path, monkeypatch):
    member = "vietnam_provinces/data/nested-divisions.json"
    divisions = [{"code": 75, "name": "Tỉnh  Đồng Nai", "districts": [
        {"code": 738, "name": "Huyện Thống Nhất", "wards": [
            {"code": 26326, "name": "Thị trấn Dầu Giây ", "division_type": "thị trấn"},
            {"code": 26299, "name": "Xã Gia Tân 1", "division_type": "xã"}]},
        {"code": 755, "name": "Huyện Côn Đảo", "wards": []}]}]
    src = tmp_path / "src"
    src.mkdir()
    wheel = _wheel(src / "w.whl", member, json.dumps(divisions, ensure_ascii=False).encode("utf-8"))
    spec = {"file": "units_x.csv", "what": "test", "package": "p", "version": "1", "artifact": "w.whl",
            "artifact_sha256": vendor.sha256_bytes(wheel.read_bytes()), "member": member, "member_sha256": None,
            "upstream": "test"}
    monkeypatch.setattr(vendor, "SOURCES", {"2021-02-03": spec})
    out = tmp_path / "out"
    out.mkdir()
    (out / "sources.yaml").write_text(yaml.safe_dump({"crosswalk": {"file": "c.csv", "rows": 0}}), encoding="utf-8")
    vendor.build(src, out, config.reference_dir() / "unit_types.csv")
    text = (out / "units_x.csv").read_text(encoding="utf-8").splitlines()
    assert text == ["unit_code,name,unit_type,district_code,district_name,province_code,province_name",
                    "26299,Xã Gia Tân 1,xa,738,Huyện Thống Nhất,75,Tỉnh Đồng Nai",
                    "26326,Thị trấn Dầu Giây,thi_tran,738,Huyện Thống Nhất,75,Tỉnh Đồng Nai",
                    ",,,755,Huyện Côn Đảo,75,Tỉnh Đồng Nai"]
    _wheel(src / "w.whl", member, b"[]")            # another file under the same name
    with pytest.raises(vendor.SourceError, match="SHA-256"):
        vendor.build(src, out, config.reference_dir() / "unit_types.csv")


def test_the_vendor_reads_the_conversion_notes():
    assert vendor.read_note("Nhập toàn bộ") == {"change": "merge", "extent": "whole", "area": "", "population": ""}
    assert vendor.read_note("Nhâp một phần  diện tích ")["extent"] == "partial"
    assert vendor.read_note("Nhập một phần diện tích, toàn bộ dân số") == {
        "change": "merge", "extent": "partial", "area": "partial", "population": "whole"}
    assert vendor.read_note("Giữ nguyên ")["extent"] == "whole"
    assert vendor.read_note("Phần còn lại sau khi tách một phần vào xã Canh Vinh")["change"] == "remainder"
    assert vendor.read_note("Đổi tên, đổi loại hình từ một phần thị trấn Lai Uyên") == {
        "change": "rename_retype", "extent": "partial", "area": "", "population": ""}
    with pytest.raises(vendor.SourceError, match="not understood"):
        vendor.read_note("Chia tách")
    table = ("Đơn vị hành chính từ ngày 01/7/2025,,,Đơn vị hành chính trước ngày 01/7/2025,,,,,\n"
             "\"Tỉnh, thành phố\",Tên Xã mới,Mã Xã mới,Tên Xã cũ,Mã Xã cũ,Ghi chú,Quận/huyện,Tỉnh cũ,\n"
             "ĐỒNG NAI,,,,,,,,\n"
             "Tỉnh Đồng Nai (75),Xã A,00002,Xã X,00001,Nhập toàn bộ,Huyện H (001),Tỉnh Đồng Nai (75),\n"
             "Tỉnh Đồng Nai (75),Xã B,00003,Xã X,00001,Nhập toàn bộ,Huyện H (001),Tỉnh Đồng Nai (75),\n"
             "Tỉnh Đồng Nai (75),Xã B,00003,Xã Y,00004,Nhập một phần,Huyện H (001),Tỉnh Đồng Nai (75),\n")
    rows = vendor.crosswalk_rows(table.encode("utf-8"))
    assert [(r["old_code"], r["new_code"], r["extent"]) for r in rows] == [
        ("00001", "00002", "partial"), ("00001", "00003", "partial"), ("00004", "00003", "partial")]
    assert "2 new units" in rows[0]["remark"] and rows[0]["old_district_name"] == "Huyện H"


# --------------------------------------------------------------------------- against the sources, when at hand

def _sources() -> Path:
    folder = os.environ.get("NRLIB_REGISTRY_SOURCES", "")
    if not folder:
        pytest.skip("NRLIB_REGISTRY_SOURCES is not set: the vendored registry was checked against its manifest only "
                    "(data/reference/units/README.md says how to fetch the sources)")
    return Path(folder)


def _rebuilt(tmp_path, src: Path) -> tuple[Path, dict, dict]:
    out = tmp_path / "units"
    shutil.copytree(UNITS_DIR, out)
    vendor.build(src, out, config.reference_dir() / "unit_types.csv")
    fresh = yaml.safe_load((out / "sources.yaml").read_text(encoding="utf-8"))
    return out, fresh, yaml.safe_load((UNITS_DIR / "sources.yaml").read_text(encoding="utf-8"))


def test_the_vendored_lists_are_what_their_sources_give(tmp_path):
    out, fresh, recorded = _rebuilt(tmp_path, _sources())
    assert fresh["vintages"] == recorded["vintages"]
    for v in recorded["vintages"]:
        assert (out / v["file"]).read_bytes() == (UNITS_DIR / v["file"]).read_bytes(), f"{v['file']} drifted"


def test_the_crosswalk_is_what_its_table_gives(tmp_path):
    src = _sources()
    if not (src / vendor.CROSSWALK["source_file"]).exists():
        pytest.skip(f"{vendor.CROSSWALK['source_file']} is not in NRLIB_REGISTRY_SOURCES (it is in the package's "
                    "repository, not its wheel): the crosswalk's notes were not rebuilt; its pairs are checked "
                    "against the wheel by the next test")
    out, fresh, recorded = _rebuilt(tmp_path, src)
    assert fresh["crosswalk"] == recorded["crosswalk"]
    name = recorded["crosswalk"]["file"]
    assert (out / name).read_bytes() == (UNITS_DIR / name).read_bytes(), f"{name} drifted from its source"


def test_the_crosswalk_pairs_are_the_packaged_table():
    """The pairs of the table compiled into vietnam-provinces 2026.9.0, and its partial flag, which differs from
    the crosswalk's only where that package's rule (partial unless the note says 'toàn bộ') misreads a note: a unit
    kept, renamed or retyped is whole; "một phần diện tích, toàn bộ dân số" is partial; so is an old unit sent
    'whole' to several new ones."""
    src = _sources()
    c = vendor.CROSSWALK["compiled"]
    code = vendor.read_member(src / c["artifact"], c["member"], None, c["member_sha256"]).decode("utf-8")
    ns: dict = {}
    exec(compile(code, c["member"], "exec"), ns)  # noqa: S102 - the recorded file (SHA-256 checked): data only
    packaged = {(f"{o.code:05d}", f"{e.new_ward.code:05d}"): o.is_partly_merged
                for e in ns["NEW_TO_OLD"].values() for o in e.old_wards}
    cw = registry.load_crosswalk()
    cw = cw[cw["old_code"] != ""]
    keys = list(zip(cw["old_code"], cw["new_code"]))
    assert set(keys) == set(packaged)
    ours = (cw["extent"] == "partial").to_numpy()
    theirs = pd.Series([packaged[k] for k in keys]).to_numpy()
    whole_here = cw[~ours & theirs]
    partial_here = cw[ours & ~theirs]
    assert set(whole_here["change"]) == {"keep", "rename", "retype"}
    assert ((partial_here["note"] == "Nhập một phần diện tích, toàn bộ dân số") | (partial_here["remark"] != "")).all()


def test_registry_paths_are_recorded_with_reports():
    roles = {r["role"]: r for r in config.inputs_record()}
    assert roles["unit_registry"]["sha256"] and roles["unit_registry"]["path"].endswith("sources.yaml")


def test_nothing_reads_the_package_at_run_time():
    import nrlib.reference.units as units

    text = Path(units.__file__).read_text(encoding="utf-8") + Path(registry.__file__).read_text(encoding="utf-8")
    assert "vietnam_provinces" not in text
