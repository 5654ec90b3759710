"""The public API of ``nrlib`` (its ``__init__``): every name resolves, lazily, from the module that defines it."""

import subprocess
import sys

import nrlib


def test_every_public_name_resolves():
    for name in nrlib.__all__:
        assert getattr(nrlib, name) is not None, name
    assert nrlib.__version__ and set(nrlib.__all__) <= set(dir(nrlib))


def test_importing_nrlib_loads_no_stage_until_a_name_is_used():
    code = ("import sys, nrlib; heavy = [m for m in sys.modules if m.startswith(('nrlib.analysis', 'nrlib.store', "
            "'nrlib.reports', 'pandas'))]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
