"""nrlib.intake.limits: defaults, the limits file, NRLIB_* variables, bad values refused with their name."""

from __future__ import annotations

import dataclasses
import re

import pytest

from nrlib.ingest import ingest_files
from nrlib.intake.limits import DEFAULTS, Limits, LimitsConfigError, load_limits


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    for f in dataclasses.fields(Limits):
        monkeypatch.delenv(f"NRLIB_{f.name.upper()}", raising=False)
    monkeypatch.delenv("NRLIB_LIMITS", raising=False)
    from nrlib import config

    monkeypatch.setenv("NRLIB_REFERENCE", str(config.reference_dir()))
    monkeypatch.setenv("NRLIB_HOME", str(tmp_path))     # no data/local/limits.yaml here


def test_defaults_are_documented_in_the_module_docstring():
    import nrlib.intake.limits as mod

    assert load_limits() == DEFAULTS
    for f in dataclasses.fields(Limits):
        shown = str(getattr(DEFAULTS, f.name)).lower()
        assert re.search(rf"``{f.name}``\s+{re.escape(shown)}\s", mod.__doc__), (f.name, shown)


def test_a_limits_file_then_the_environment_override_the_defaults(tmp_path, monkeypatch):
    (tmp_path / "data" / "local").mkdir(parents=True)
    (tmp_path / "data" / "local" / "limits.yaml").write_text("max_rows: 500\nmax_file_mb: 2.5\nallow_macros: true\n",
                                                             encoding="utf-8")
    got = load_limits()
    assert (got.max_rows, got.max_file_mb, got.allow_macros, got.max_cells) == (500, 2.5, True, DEFAULTS.max_cells)
    assert got.max_file_bytes == 2_500_000
    monkeypatch.setenv("NRLIB_MAX_ROWS", "700")
    monkeypatch.setenv("NRLIB_ALLOW_MACROS", "no")
    got = load_limits()
    assert (got.max_rows, got.allow_macros) == (700, False)
    other = tmp_path / "other.yaml"
    other.write_text("max_sheets: 3\n", encoding="utf-8")
    monkeypatch.setenv("NRLIB_LIMITS", str(other))
    assert load_limits().max_sheets == 3 and load_limits().max_file_mb == DEFAULTS.max_file_mb


@pytest.mark.parametrize("name, value, match", [
    ("NRLIB_MAX_ROWS", "-5", "số dương"),
    ("NRLIB_MAX_ROWS", "nhiều", "số dương"),
    ("NRLIB_MAX_COMPRESSION_RATIO", "inf", "số dương"),
    ("NRLIB_MAX_CELLS", "nan", "số dương"),
    ("NRLIB_ALLOW_MACROS", "maybe", "true hoặc false"),
])
def test_bad_values_are_refused_with_their_name(monkeypatch, name, value, match):
    monkeypatch.setenv(name, value)
    with pytest.raises(LimitsConfigError, match=match) as exc:
        load_limits()
    assert name in str(exc.value)


def test_an_unknown_name_in_the_file_is_refused(tmp_path):
    path = tmp_path / "limits.yaml"
    path.write_text("max_rowz: 10\n", encoding="utf-8")
    with pytest.raises(LimitsConfigError, match="max_rowz"):
        load_limits(path)
    with pytest.raises(LimitsConfigError, match="không tìm thấy"):
        load_limits(tmp_path / "none.yaml")
    path.write_text("max_rows: [10\n", encoding="utf-8")      # not YAML: named, not a traceback
    with pytest.raises(LimitsConfigError, match="không đọc được YAML"):
        load_limits(path)


def test_a_bad_setting_stops_ingest_before_anything_is_stored(tmp_path, books, monkeypatch):
    monkeypatch.setenv("NRLIB_MAX_FILE_MB", "0")
    db = tmp_path / "s.duckdb"
    with pytest.raises(LimitsConfigError):
        ingest_files([books.good], db)
    assert not db.exists()


def test_a_lower_limit_rejects_an_ordinary_workbook_with_its_rule(tmp_path, books, monkeypatch):
    monkeypatch.setenv("NRLIB_MAX_ROWS", "10")
    [out] = ingest_files([books.good], tmp_path / "s.duckdb", received="2021-02-15")
    assert out.outcome == "rejected"
    assert [(p.rule, p.sheet) for p in out.problems] == [("E_SHEET_TOO_LARGE", "HuongDan")]
    assert "10" in out.problems[0].message
