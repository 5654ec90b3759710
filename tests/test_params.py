"""Report parameters: codes stay strings, unknown names and bad values stop the run with a clear message."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import papermill as pm
import pytest

from nrlib import StoreError, UnknownDistrictError, UnknownUnitError
from nrlib.reports import params
from nrlib.reports.params import REPORT_PARAMETERS, ParameterError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = {"unit": ROOT / "notebooks" / "report_unit.ipynb", "district": ROOT / "notebooks" / "report_district.ipynb"}


@pytest.mark.parametrize("value,width,expected", [
    ("26308", 5, "26308"), (26308, 5, "26308"), (1001, 5, "01001"), ("01001", 5, "01001"),
    (26308.0, 5, "26308"), (" 738 ", 3, "738"), (1, 3, "001"),
])
def test_normalise_code_keeps_codes_as_padded_strings(value, width, expected):
    assert params.normalise_code(value, width) == expected


@pytest.mark.parametrize("value", [True, None, -5, 26308.5, "26 308", "abc", "123456", "２６３０８", [1]])
def test_normalise_code_rejects_non_codes_bilingually(value):
    with pytest.raises(ParameterError) as exc:
        params.normalise_code(value, 5)
    assert "không hợp lệ" in str(exc.value) and "invalid" in str(exc.value)


def test_injected_names_read_from_papermill_cell_in_history():
    ns = {"In": ["", "unit_code = '26308'", "# Parameters\nunit_code = 1001\nunit_cod = 3\nx, y = 1, 2", "params.check()"]}
    assert params.injected_names(ns) == ["unit_code", "unit_cod", "x", "y"]
    assert params.injected_names({"In": ["a = 1"]}) is None  # run by hand: nothing injected
    assert params.injected_names({}) is None


def _ns(tmp_path, **kw):
    store = tmp_path / "store.duckdb"
    store.write_bytes(b"")
    ns = {"unit_code": "26308", "db_path": str(store), "deadline": None, "include_personal_data": False}
    ns.update(kw)
    return ns


def test_check_unit_parameters(tmp_path):
    ns = _ns(tmp_path, unit_code=26308, deadline="18/02/2021", include_personal_data="true")
    ns["In"] = ["", "# Parameters\nunit_code = 26308\n"]
    p = params.check(ns, kind="unit")
    assert p.unit_code == p.code == "26308" and ns["unit_code"] == "26308"
    assert p.district_code == "738"
    assert p.deadline == dt.date(2021, 2, 18) and p.include_personal_data is True
    rec = p.as_record()
    assert rec["deadline"] == "2021-02-18" and rec["db_path"].endswith("store.duckdb")


def test_check_pads_a_code_papermill_read_as_int(tmp_path):
    # `-p unit_code 01001` arrives as the int 1001: zero-padded back, then looked up
    ns = _ns(tmp_path, unit_code=1001)
    with pytest.raises(UnknownUnitError, match="'01001'"):
        params.check(ns, kind="unit")


def test_check_rejects_unknown_parameter_names_first(tmp_path):
    ns = _ns(tmp_path, unit_cod="26311")
    ns["In"] = ["", "# Parameters\nunit_cod = 26311\nunit_code = 26308\n"]
    with pytest.raises(ParameterError) as exc:
        params.check(ns, kind="unit")
    msg = str(exc.value)
    assert "tham số không xác định: unit_cod" in msg and "unknown parameter(s): unit_cod" in msg
    assert "unit_code, db_path, deadline, include_personal_data" in msg


def test_check_unknown_codes_and_missing_store(tmp_path):
    with pytest.raises(UnknownUnitError, match="không có đơn vị.*/ no unit"):
        params.check(_ns(tmp_path, unit_code="99999"), kind="unit")
    with pytest.raises(UnknownDistrictError, match="không tìm thấy huyện.*/ no district"):
        params.check({**_ns(tmp_path), "district_code": 999}, kind="district")
    with pytest.raises(StoreError, match="không tìm thấy kho dữ liệu.*/ store not found"):
        params.check(_ns(tmp_path, db_path=str(tmp_path / "none.duckdb")), kind="unit")
    with pytest.raises(ParameterError, match="deadline"):
        params.check(_ns(tmp_path, deadline="31/02/2021"), kind="unit")
    with pytest.raises(ParameterError, match="include_personal_data"):
        params.check(_ns(tmp_path, include_personal_data="maybe"), kind="unit")


def test_check_district(tmp_path):
    ns = {**_ns(tmp_path), "district_code": 738}
    del ns["unit_code"]
    p = params.check(ns, kind="district")
    assert p.code == p.district_code == "738" and p.unit_code is None


@pytest.mark.parametrize("kind", ["unit", "district"])
def test_notebook_parameters_cell_matches_report_parameters(kind):
    declared = pm.inspect_notebook(str(NOTEBOOKS[kind]))
    assert tuple(declared) == REPORT_PARAMETERS[kind]
    assert declared[f"{kind}_code"]["default"].startswith('"')  # a code is a string by default


def test_notebooks_committed_without_outputs():
    import nbformat

    for path in NOTEBOOKS.values():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


# --- real runs: each starts a kernel (a few seconds), so only the essential ones

def _papermill_cli(tmp_path, *args) -> subprocess.CompletedProcess:
    out = tmp_path / "out.ipynb"
    cmd = [sys.executable, "-m", "papermill", str(NOTEBOOKS["unit"]), str(out), "--no-progress-bar", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=180)


@pytest.mark.slow
def test_plain_papermill_stops_on_unknown_parameter_name(tmp_path):
    proc = _papermill_cli(tmp_path, "-p", "unit_cod", "26311", "-p", "db_path", str(tmp_path / "missing.duckdb"))
    assert proc.returncode != 0
    assert "ParameterError" in proc.stderr
    assert "tham số không xác định: unit_cod" in proc.stderr and "unknown parameter(s): unit_cod" in proc.stderr


@pytest.mark.slow
def test_papermill_stops_on_unknown_unit_code(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as exc:  # `-p unit_code 01001` arrives as the int 1001
        pm.execute_notebook(str(NOTEBOOKS["unit"]), str(tmp_path / "o.ipynb"), progress_bar=False,
                            parameters={"unit_code": 1001})
    assert exc.value.ename == "UnknownUnitError" and "'01001'" in exc.value.evalue
    assert "không có đơn vị" in exc.value.evalue and "no unit with GSO code" in exc.value.evalue


@pytest.mark.slow
def test_papermill_stops_on_missing_store(tmp_path):
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as exc:
        pm.execute_notebook(str(NOTEBOOKS["district"]), str(tmp_path / "o.ipynb"), progress_bar=False,
                            parameters={"district_code": 738, "db_path": str(tmp_path / "none.duckdb")})
    assert exc.value.ename == "StoreError"
    assert "không tìm thấy kho dữ liệu" in exc.value.evalue and "store not found" in exc.value.evalue
    assert "params.check" in exc.value.source  # it stopped in the check cell, before any work
