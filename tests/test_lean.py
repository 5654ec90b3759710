"""Report workers skip rfc3987_syntax (nrlib.reports.lean): notebooks are still validated, the user's own
process is left alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nrlib.reports import executors

CHECK = r"""
import sys
from nrlib.reports.lean import skip_slow_optional_imports
done = skip_slow_optional_imports()
import nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(nb)
bad = nbformat.v4.new_notebook()
bad.cells.append({"cell_type": "code", "source": 3})
try:
    nbformat.validate(bad)
    invalid = "accepted"
except nbformat.ValidationError:
    invalid = "refused"
print(done, "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is not None, invalid)
"""


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


def test_a_worker_validates_notebooks_without_loading_rfc3987_syntax():
    assert _run(CHECK) == ["True", "False", "refused"]


def test_too_late_once_jsonschema_formats_are_loaded_and_then_nothing_is_changed():
    code = "import jsonschema._format, sys\nn = len(sys.modules)\n" + CHECK.replace(
        "done = skip_slow_optional_imports()", "done = skip_slow_optional_imports(); assert 'rfc3987_syntax' "
        "not in sys.modules or sys.modules['rfc3987_syntax'] is not None")
    done, loaded, invalid = _run(code)
    assert done == "False" and invalid == "refused"


def test_the_fork_server_skips_them_before_it_imports_papermill():
    ctx = executors._pool_context()
    if ctx.get_start_method() != "forkserver":
        pytest.skip("workers start by spawn here: their initializer skips the modules (checked above)")
    preload = ctx._forkserver._preload_modules if hasattr(ctx, "_forkserver") else None
    from multiprocessing import forkserver

    preload = preload or forkserver._forkserver._preload_modules
    assert preload[0] == "nrlib.reports._worker_preload"
    assert preload.index("papermill") > 0 and preload.index("nbformat") > 0
