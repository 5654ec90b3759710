"""The exploration notebooks run top to bottom headless (papermill) on the sample store, and stop clearly without one.

Each run starts a fresh kernel, as an analyst's "Restart Kernel and Run All"
does. The committed notebooks must carry no outputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
EXPLORATION = ["01_explore_results.ipynb", "02_criteria_maintenance.ipynb", "03_data_quality.ipynb"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _run(name: str, out: Path, **parameters):
    import papermill as pm

    # store_widget_state=False: plotly's FigureWidget state embeds plotly.js (megabytes per chart)
    return pm.execute_notebook(str(NOTEBOOK_DIR / name), str(out), parameters=parameters, kernel_name="python3",
                               cwd=str(NOTEBOOK_DIR), progress_bar=False, store_widget_state=False)


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPLORATION)
def test_notebook_runs_on_the_sample_store(name, sample_store, tmp_path, monkeypatch):
    # no parameter: the notebook finds the store through nrlib's configuration, as after `make demo`
    monkeypatch.setenv("NRLIB_DB", str(sample_store))
    nb = _run(name, tmp_path / name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "every cell ran"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"warnings or errors printed: {stderr}"
    banner = json.dumps([o.get("data", {}) for o in code[1].outputs], ensure_ascii=False)
    assert "DỮ LIỆU MẪU" in banner, "sample data are labelled as such"
    panels = [c for c in code if "explore.Panel(" in c.source]
    assert len(panels) >= 3
    for cell in panels:  # each control panel displayed its widget (chart, table and controls)
        assert any(WIDGET_VIEW in o.get("data", {}) for o in cell.outputs), cell.source


@pytest.mark.slow
def test_notebook_without_a_store_says_what_to_run(tmp_path):
    import papermill as pm

    missing = tmp_path / "chua-co.duckdb"
    out = tmp_path / "out.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as info:
        _run("02_criteria_maintenance.ipynb", out, db_path=str(missing))
    assert info.value.ename == "NoDataError"
    nb = nbformat.read(out, as_version=4)
    failed = next(c for c in nb.cells if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs))
    shown = json.dumps([o.get("data", {}) for o in failed.outputs if o.output_type == "display_data"],
                       ensure_ascii=False)
    assert "Chưa có dữ liệu" in shown and "nrlib ingest" in shown and "make demo" in shown
    assert str(missing) in shown
    error = next(o for o in failed.outputs if o.output_type == "error")
    assert len(error.traceback) == 1, "one line, not a traceback wall"
    assert "Traceback" not in error.traceback[0] and "File " not in error.traceback[0]
    later = nb.cells[nb.cells.index(failed) + 1:]
    assert not any(c.get("outputs") for c in later if c.cell_type == "code"), "the notebook stopped there"


@pytest.mark.parametrize("path", sorted(NOTEBOOK_DIR.glob("*.ipynb")), ids=lambda p: p.name)
def test_committed_notebooks_have_no_outputs(path):
    assert path.name.isascii()
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: outputs committed"
    assert "widgets" not in nb.metadata, f"{path.name}: widget state committed"


def test_exploration_notebooks_are_in_vietnamese_with_a_parameters_cell():
    for name in EXPLORATION:
        nb = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and "db_path = None" in params[0].source
        heading = nb.cells[0].source
        assert heading.startswith("# ") and any(ch in heading for ch in "ạảãáàặẳẵắằậẩẫấầệểễếềịỉĩíìọỏõóòộổỗốồợởỡớờụủũúùựửữứừỵỷỹýỳđ")
