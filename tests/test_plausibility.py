"""nrlib.intake.plausibility: warnings against known levels, earlier years and other units."""

from __future__ import annotations

import pytest
from ingest_fixtures import (
    fixture_outline,  # noqa: F401 (schema is a fixture)
    UNIT,
    addr,
    find_unit,
    good_content,
    problem_locations,
    schema,
    validate_file,
    write_workbook,
)

from nrlib.intake.plausibility import Peers, comparable
from nrlib.intake.schema import compile_schema


def test_declared_reached_but_measured_below_the_level_is_a_warning(tmp_path, schema):
    content = good_content(UNIT)
    content["values"][("15.1", 2018)] = 50.0          # Đông Nam Bộ level: ≥ 85 %
    content["values"][("15.3", 2019)] = 30.0          # a ceiling: ≤ 14,3 %
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    res = validate_file(path, schema)
    assert res.accepted
    assert problem_locations(res) == {("W_DECLARED_VS_MEASURED", f"TieuChi!{addr('TieuChi', 15, 2018)}"),
                          ("W_DECLARED_VS_MEASURED", f"TieuChi!{addr('TieuChi', 15, 2019)}")}
    msg = next(p.message for p in res.problems if "2018" in p.message)
    assert "15.1" in msg and "85" in msg and "50" in msg


def test_derived_lower_bound_below_the_level_proves_nothing(tmp_path, schema):
    """17.1 (clean water) is computed from VD19/VD11 as a lower bound: below the level, no warning."""
    content = good_content(UNIT)
    for y in range(2016, 2021):
        content["values"][("VD19", y)] = 1000      # a third of households: far below 98 %
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    assert validate_file(path, schema).problems == []


def test_not_applicable_years_are_not_checked(books, schema):
    """Dầu Giây is a town from 2019: criteria "Không áp dụng", ChiTieu blank — no problem."""
    res = validate_file(books.town, schema)
    assert res.problems == []
    status = {(c["criterion_no"], c["year"]): c["status"] for c in res.criteria_status}
    assert status[(10, 2019)] == "not_applicable" and status[(10, 2018)] == "reached"


def test_year_over_year_jump_is_a_warning(tmp_path, schema):
    content = good_content(UNIT)
    content["values"][("VD11", 2018)] = 6000       # households double, then fall back
    for code in ("VD19",):
        content["values"][(code, 2018)] = 2900
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    res = validate_file(path, schema)
    assert res.accepted
    assert problem_locations(res) == {("W_YOY_JUMP", f"VanDong!{addr('VanDong', 'VD11', 2018)}"),
                          ("W_YOY_JUMP", f"VanDong!{addr('VanDong', 'VD11', 2019)}")}


def _peer_values(n: int, scale: float = 1.0) -> Peers:
    schema = compile_schema()
    peers = Peers(schema)
    base = good_content(UNIT)["values"]
    for i in range(n):
        vals = {k: (v * (1 + 0.01 * i) if isinstance(v, (int, float)) else v) for k, v in base.items()}
        peers.set_unit(f"9{i:04d}", vals)
    return peers


def test_outlier_against_other_units_is_a_warning(tmp_path, schema):
    content = good_content(UNIT)
    content["values"][("VD01", 2017)] = 150000.0    # a hundred times the others (an extra zero or two)
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    res = validate_file(path, schema, peers=_peer_values(6))
    assert res.accepted
    assert problem_locations(res) == {("W_OUTLIER", f"VanDong!{addr('VanDong', 'VD01', 2017)}")}
    assert res.problems[0].value == "150000"


def test_ordinary_differences_between_units_are_not_outliers(tmp_path, schema):
    content = good_content(UNIT)
    content["values"][("VD01", 2017)] *= 3          # three times the others: communes differ that much
    content["values"][("VD08", 2018)] = 0          # no house built that year: ordinary
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    assert validate_file(path, schema, peers=_peer_values(6)).problems == []


def test_outlier_check_needs_enough_other_units(tmp_path, schema):
    content = good_content(UNIT)
    content["values"][("VD01", 2017)] = 150000.0
    path = write_workbook(tmp_path / "x.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    assert validate_file(path, schema, peers=_peer_values(4)).problems == []


def test_comparable_divides_parts_by_their_whole_and_counts_per_household(schema):
    vals = {("VD12", 2016): 30.0, ("VD11", 2016): 3000.0, ("VD17", 2016): 8.0, ("VD16", 2016): 10.0,
            ("VD01", 2016): 1500.0, ("10", 2016): 60.0}
    out = comparable(vals, schema.default)
    assert out[("VD12", 2016)] == pytest.approx(0.01)
    assert out[("VD17", 2016)] == pytest.approx(0.8)
    assert out[("VD01", 2016)] == pytest.approx(0.5)     # per household
    assert out[("VD11", 2016)] == 3000.0 and out[("VD16", 2016)] == 10.0
    assert out[("10", 2016)] == 60.0
