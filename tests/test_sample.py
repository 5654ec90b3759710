"""Sample data: deterministic, realistic, valid, marked DỮ LIỆU MẪU, with its deliberate imperfections.

The workbooks are read back with openpyxl at the addresses of the outline
layout, so these tests check what a reader will find, not the generator's dict.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools

import openpyxl
import pytest

import nrlib
from nrlib.cli import main
from nrlib.workbooks.layout import sheet_layout, unit_scopes
from nrlib.workbooks.sample import sample_content, sample_roles, write_sample

OTHER_DISTRICT = "869"  # Tân Hồng, Đồng Tháp: another region, and a town with no NTM year at all
#: the satisfaction survey (outline version 2): held in the last year, and in some units once before
SURVEY = ("VD43", "VD44")


@pytest.fixture(scope="module")
def outline():
    return nrlib.load_outline()


@pytest.fixture(scope="module")
def units():
    return nrlib.load_units("738")


def _manifest(folder) -> list[dict]:
    with open(folder / "received.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _read(path, outline) -> dict:
    """Statuses, values and info of one workbook, located by the outline layout."""
    wb = openpyxl.load_workbook(path)
    labels = {c["label"]: c["value"] for c in outline.choices("criterion_status")}
    out = {"status": {}, "values": {}, "info": {}, "wb": wb}
    tc = sheet_layout(outline, "TieuChi")
    for key in tc.rows:
        for y in outline.years:
            v = wb["TieuChi"][tc.address(key, y)].value
            out["status"][(int(key), y)] = labels.get(v, v)
    for name in ("VanDong", "ChiTieu"):
        lay = sheet_layout(outline, name)
        for key in lay.rows:
            for y in outline.years:
                out["values"][(key, y)] = wb[name][lay.address(key, y)].value
    info = sheet_layout(outline, "ThongTin")
    for key in info.rows:
        out["info"][key] = wb["ThongTin"][info.address(key, "value")].value
    return out


@pytest.fixture(scope="module")
def read_back(sample_dir, outline):
    return {row["unit_code"]: _read(sample_dir / row["file_name"], outline) for row in _manifest(sample_dir)}


def _meets(value, comp, level) -> bool:
    return {"≥": value >= level - 1e-9, "≤": value <= level + 1e-9, "=": abs(value - level) < 1e-9}[comp]


@functools.lru_cache(maxsize=16)
def _levels(scopes: tuple, years: tuple):
    return nrlib.resolve_levels(list(scopes), list(years))


def _disagreements(status, values, unit, outline, extra_scopes=()) -> list[tuple[str, int]]:
    """(indicator, year) where the criterion is declared reached but a known level is missed."""
    criteria = nrlib.load_criteria()
    crit_of = dict(zip(criteria["indicator_code"], criteria["criterion_no"]))
    levels = _levels(tuple(unit_scopes(unit)) + tuple(extra_scopes), tuple(outline.years))
    derived = outline.derived_indicators.set_index("indicator_code")
    out = []
    for r in levels.itertuples():
        if status.get((crit_of[r.indicator_code], r.year)) != "reached":
            continue
        if r.indicator_code in derived.index:
            d = derived.loc[r.indicator_code]
            if d.get("bound") == "lower":
                continue  # can show a level met, never missed
            value = d["scale"] * values[(d["numerator"], r.year)] / values[(d["denominator"], r.year)]
        else:
            value = values.get((r.indicator_code, r.year))
        if value is not None and not _meets(value, r.comparison, r.level):
            out.append((r.indicator_code, int(r.year)))
    return out


def test_manifest_has_one_late_and_one_missing_unit(sample_dir, units, outline):
    rows = _manifest(sample_dir)
    roles = sample_roles(units, outline)
    assert list(rows[0]) == ["file_name", "unit_code", "received_date"]
    codes = [r["unit_code"] for r in rows]
    assert len(rows) == len(units) - 1 and codes == sorted(codes)
    missing = set(units["unit_code"]) - set(codes)
    assert missing == {roles["missing"]}
    assert not list(sample_dir.glob(f"{roles['missing']}_*.xlsx"))
    assert sorted(p.name for p in sample_dir.glob("*.xlsx")) == sorted(r["file_name"] for r in rows)
    days = {r["unit_code"]: (dt.date.fromisoformat(r["received_date"]) - outline.deadline).days for r in rows}
    late = {c: d for c, d in days.items() if d > 0}
    assert list(late) == [roles["late"]] and 3 <= late[roles["late"]] <= 7
    assert all(-10 <= d <= 0 for c, d in days.items() if c not in late)
    # received on working days: no weekend, no day of the Tết break (10-16/02/2021, UNVERIFIED exact days)
    for r in rows:
        day = dt.date.fromisoformat(r["received_date"])
        assert day.weekday() < 5 and not dt.date(2021, 2, 10) <= day <= dt.date(2021, 2, 16), r


def test_sample_is_marked_everywhere(read_back, outline):
    for code, wb in read_back.items():
        assert outline.sample_marker in wb["info"]["data_note"]
        top = " ".join(str(c.value) for row in wb["wb"]["HuongDan"].iter_rows(max_row=6) for c in row if c.value)
        assert outline.sample_marker in top
        assert wb["wb"].properties.keywords == outline.sample_marker
        assert wb["wb"].properties.modified == dt.datetime(2021, 1, 1)
        assert wb["info"]["unit_code"] == code and "(mẫu)" in wb["info"]["preparer_name"]


def test_report_dates_are_dates_except_the_late_units_typed_text(read_back, units, outline, sample_dir):
    roles = sample_roles(units, outline)
    received = {r["unit_code"]: dt.date.fromisoformat(r["received_date"]) for r in _manifest(sample_dir)}
    for code, wb in read_back.items():
        d = wb["info"]["report_date"]
        if code == roles["late"]:
            assert isinstance(d, str) and dt.datetime.strptime(d, "%d/%m/%Y").date() <= received[code]
        else:
            assert isinstance(d, dt.datetime) and d.date() <= received[code]


def test_declarations_agree_with_values_except_the_one_planted(read_back, units, outline):
    roles = sample_roles(units, outline)
    unit_rows = units.set_index("unit_code")
    found = {}
    for code, wb in read_back.items():
        unit = unit_rows.loc[code].to_dict() | {"unit_code": code}
        found[code] = _disagreements(wb["status"], wb["values"], unit, outline)
        # also with the national levels as a fallback: the sample is consistent under both readings
        assert _disagreements(wb["status"], wb["values"], unit, outline, ["national"]) == found[code]
    planted = {c: f for c, f in found.items() if f}
    assert planted == {roles["declared_below_level"]: [("15.1", outline.years[len(outline.years) // 2])]}
    value = read_back[roles["declared_below_level"]]["values"][("15.1", 2018)]
    assert 79 <= value < 85  # "Đạt" declared at a BHYT coverage below the 85 % level


def test_lost_regained_lost_and_gained_patterns(read_back, units, outline):
    roles = sample_roles(units, outline)
    R, N = "reached", "not_reached"

    def row(code, no):
        return [read_back[code]["status"][(no, y)] for y in outline.years]

    assert row(roles["lost_and_regained"], 17) == [R, R, N, R, R]
    assert row(roles["lost"], 10) == [R, R, R, R, N]
    assert read_back[roles["lost"]]["values"][("10", 2020)] < 59 <= read_back[roles["lost"]]["values"][("10", 2019)] + 20
    assert row(roles["gained"], 14) == [N, N, R, R, R]
    assert read_back[roles["gained"]]["values"][("14.3", 2016)] < 45 <= read_back[roles["gained"]]["values"][("14.3", 2020)]
    applicable = [s for wb in read_back.values() for s in wb["status"].values() if s != "not_applicable"]
    assert applicable.count(R) / len(applicable) > 0.9  # most units reach most criteria
    assert set(applicable) == {R, N}


def test_not_applicable_exactly_where_ntm_does_not_apply(read_back, units, outline):
    uy = nrlib.unit_years(units, outline.years)
    for r in uy.itertuples():
        if r.unit_code not in read_back:
            continue
        statuses = {read_back[r.unit_code]["status"][(no, r.year)] for no in range(1, 20)}
        chitieu = [read_back[r.unit_code]["values"][(c, r.year)] for c in outline.typed_indicators["indicator_code"]]
        # every metric the workbook has a row for but the satisfaction survey's, held in some years only
        vandong = [read_back[r.unit_code]["values"][(c, r.year)] for c in outline.typed_metric_codes
                   if c not in SURVEY]
        if r.ntm_applies:
            assert "not_applicable" not in statuses and None not in chitieu
        else:
            assert statuses == {"not_applicable"} and set(chitieu) == {None}
        assert None not in vandong  # the campaign applies to towns too
    dau_giay = read_back["26326"]["status"]
    assert {dau_giay[(no, y)] for no in range(1, 20) for y in (2019, 2020)} == {"not_applicable"}
    assert "not_applicable" not in {dau_giay[(no, y)] for no in range(1, 20) for y in (2016, 2017, 2018)}


def test_values_obey_the_outline_rules_and_look_real(read_back, outline):
    metrics = outline.metrics.set_index("code").loc[outline.typed_metric_codes]
    for code, wb in read_back.items():
        v = wb["values"]
        for m, rule in metrics.iterrows():
            for y in outline.years:
                x = v[(m, y)]
                if m in SURVEY and x is None:
                    continue
                assert isinstance(x, (int, float)) and not isinstance(x, bool), (code, m, y, x)
                if rule["integer"]:
                    assert isinstance(x, int), (code, m, y, x)
                if rule["gt"] is not None and rule["gt"] == rule["gt"]:
                    assert x > rule["gt"]
                if rule["ge"] is not None and rule["ge"] == rule["ge"]:
                    assert x >= rule["ge"]
                if isinstance(rule["le_metric"], str):
                    assert x <= v[(rule["le_metric"], y)], (code, m, y)
        # the totals version 1 typed are nrlib's sums now, so the parts are what the workbook holds
        assert ("VD03", 2016) not in v and ("VD24", 2016) in v and ("VD39", 2016) in v
        # poor households are last year's minus those who left poverty or moved away, plus the new ones
        for a, b in zip(outline.years, outline.years[1:]):
            assert v[("VD12", b)] == v[("VD12", a)] - v[("VD32", b)] + v[("VD33", b)] - v[("VD34", b)], (code, b)
        assert any(v[(c, outline.years[-1])] is not None for c in SURVEY)   # the survey of the last year
        years = outline.years
        hh = [v[("VD11", y)] for y in years]
        assert 3000 <= hh[0] <= 6000 and all(1.005 < b / a < 1.035 for a, b in zip(hh, hh[1:]))
        assert all(8 <= v[("VD16", y)] <= 16 for y in years)
        poor = [100 * v[("VD12", y)] / v[("VD11", y)] for y in years]
        assert 1 < poor[0] < 3 and poor[-1] < 0.6 and poor == sorted(poor, reverse=True)
        assert all(90 <= 100 * v[("VD15", y)] / v[("VD11", y)] <= 97.5 for y in years)
        assert all(500 <= v[("VD01", y)] <= 5000 for y in years)
        income = [v[("10", y)] for y in years]
        assert 35 <= income[0] <= 47 and (income[-1] is None or 54 <= income[-1] <= 66)
        for y in years:
            for c, lo, hi in (("15.1", 75, 100), ("15.3", 4, 17), ("14.3", 38, 72)):
                x = v[(c, y)]
                assert x is None or lo <= x <= hi, (code, c, y, x)


def test_proposals_and_narratives(read_back, outline):
    kinds = {c["label"] for c in outline.choices("proposal_kind")}
    for code, wb in read_back.items():
        kt = wb["wb"]["KhenThuong"]
        rows = [[c.value for c in r] for r in kt.iter_rows(min_row=4) if r[1].value]
        assert 2 <= len(rows) <= 5
        assert {r[1] for r in rows} == kinds  # both collective and individual proposals
        assert all(r[0] == i for i, r in enumerate(rows, start=1))
        col = {c.key: c.index - 1 for c in sheet_layout(outline, "KhenThuong").columns}
        individuals = [r for r in rows if r[1] == "Cá nhân"]
        assert all(r[col["name"]].endswith("(mẫu)") for r in individuals)
        # a person's year of birth, gender and đối tượng (outline version 2)
        assert all(1950 <= r[col["birth_year"]] <= 2000 and r[col["gender"]] in ("Nam", "Nữ")
                   and r[col["subject"]] == "Cá nhân" for r in individuals)
        dg = wb["wb"]["DanhGia"]
        lay = sheet_layout(outline, "DanhGia")
        texts = [dg[lay.address(k, "text")].value for k in lay.rows]
        assert all(t and t.count(". ") >= 1 for t in texts)
    narr = [read_back[c]["wb"]["DanhGia"]["C5"].value for c in read_back]
    assert len(set(narr)) > len(narr) // 2  # varied between units


def test_same_seed_same_cells_different_seed_different_values(tmp_path, units, outline):
    a = write_sample(tmp_path / "a", "738", seed=7)
    b = write_sample(tmp_path / "b", "738", seed=7)
    assert [p.name for p in a.paths] == [p.name for p in b.paths]
    assert a.manifest.read_text(encoding="utf-8") == b.manifest.read_text(encoding="utf-8")
    for pa, pb in zip(a.paths, b.paths):
        wa, wb = openpyxl.load_workbook(pa), openpyxl.load_workbook(pb)
        assert wa.sheetnames == wb.sheetnames
        for name in wa.sheetnames:
            va = [[c.value for c in row] for row in wa[name].iter_rows()]
            vb = [[c.value for c in row] for row in wb[name].iter_rows()]
            assert va == vb, (pa.name, name)
    c1, c2 = sample_content(units, 1, outline), sample_content(units, 2, outline)
    assert c1["26308"]["values"] != c2["26308"]["values"]
    assert c1["26308"]["narratives"] != c2["26308"]["narratives"] or c1["26308"]["proposals"] != c2["26308"]["proposals"]
    assert sample_content(units, 1, outline) == c1
    # a re-run into the same folder for another district leaves no stale workbook behind
    c = write_sample(tmp_path / "b", OTHER_DISTRICT, seed=7)
    assert sorted(p.name for p in (tmp_path / "b").glob("*.xlsx")) == sorted(p.name for p in c.paths)


@pytest.mark.parametrize("district", ["738", OTHER_DISTRICT])
def test_imperfections_exist_in_any_district_and_for_any_seed(outline, district):
    units = nrlib.load_units(district)
    uy = nrlib.unit_years(units, outline.years)
    roles = sample_roles(units, outline)
    own = {k: v for k, v in roles.items() if k != "wrong_unit"}
    assert len(set(own.values())) == len(own)
    assert roles["wrong_unit"] == roles["late"]                 # the last unit received holds the planted outlier
    for role in ("late", "declared_below_level", "lost_and_regained", "lost", "gained"):
        assert uy[uy["unit_code"] == roles[role]]["ntm_applies"].all()
    towns = uy.loc[~uy["ntm_applies"], ["unit_code", "year"]]
    for seed in (0, 99, 12345):
        content = sample_content(units, seed, outline)
        assert roles["missing"] in content
        found = {}
        for u in units.to_dict("records"):
            c = content[u["unit_code"]]
            found[u["unit_code"]] = _disagreements(c["criteria"], c["values"], u, outline)
        assert [k for k, f in found.items() if f] == [roles["declared_below_level"]], seed
        assert content[roles["lost_and_regained"]]["criteria"][(17, 2018)] == "not_reached"
        assert content[roles["lost"]]["criteria"][(10, 2020)] == "not_reached"
        assert content[roles["gained"]]["criteria"][(14, 2016)] == "not_reached"
        others = [content[c]["values"][("VD05", 2018)] for c in content if c not in (roles["wrong_unit"],)]
        assert content[roles["wrong_unit"]]["values"][("VD05", 2018)] > 100 * max(others)   # metres, not km
        assert len(towns)
        for t in towns.itertuples():
            assert {v for (no, y), v in content[t.unit_code]["criteria"].items() if y == t.year} == {"not_applicable"}


def test_sample_command(tmp_path, capsys):
    assert main(["sample", "--district", "738", "--seed", "3", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "DỮ LIỆU MẪU" in out and "received.csv" in out
    assert len(list(tmp_path.glob("*.xlsx"))) == 9
    assert main(["sample", "--district", "0", "--out", str(tmp_path / "x")]) == 2
