"""Warm kernels: forked from a template, yet nothing of one report reaches the next."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from nrlib.reports import warmstart
from nrlib.reports.batch import plan_reports
from nrlib.reports.jobs import ReportJob
from nrlib.reports.render import render_report

pytestmark = pytest.mark.skipif(not warmstart.supported(), reason="warm start needs os.fork and Unix sockets")


def test_relay_command_wraps_only_this_pythons_ipykernel():
    cmd = [sys.executable, "-m", "ipykernel_launcher", "-f", "/tmp/k.json"]
    wrapped = warmstart.relay_command(cmd, "/tmp/t.sock")
    assert wrapped[:4] == [sys.executable, "-I", "-S", str(warmstart.RELAY)]
    assert wrapped[4:6] == ["/tmp/t.sock", "--"] and wrapped[6:] == cmd
    assert warmstart.relay_command(cmd, None) == cmd  # no template: cold
    other = ["/usr/bin/python3.9", "-m", "ipykernel_launcher", "-f", "k.json"]
    assert warmstart.relay_command(other, "/tmp/t.sock") == other  # another Python's kernel is not forked
    r = ["R", "--slave", "-e", "IRkernel::main()", "k.json"]
    assert warmstart.relay_command(r, "/tmp/t.sock") == r


def test_preloaded_dataset_is_dropped_when_the_store_changes(sample_store, tmp_path, monkeypatch):
    db = tmp_path / "store.duckdb"
    shutil.copyfile(sample_store, db)
    monkeypatch.setattr(warmstart, "_PRELOADED", {})
    assert warmstart.preloaded_dataset(db, "738") is None
    assert warmstart.preload_dataset(db, "738")
    ds = warmstart.preloaded_dataset(db, "738")
    assert ds is not None and len(ds.units) == 10 and ds.meta["db_path"] == str(db)
    assert warmstart.preloaded_dataset(db, "739") is None  # another district: not preloaded
    assert not warmstart.preload_dataset(tmp_path / "missing.duckdb", "738")  # quietly not preloaded
    st = db.stat()
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    assert warmstart.preloaded_dataset(db, "738") is None  # the store changed: the kernel reads it itself


def test_a_report_of_the_preloaded_dataset_starts_from_the_templates_analyses_and_any_other_computes_its_own(
        sample_store, tmp_path, monkeypatch):
    import dataclasses

    import pandas as pd

    from nrlib.reports.params import check
    from nrlib.reports.sections import run_analyses
    from nrlib.reports.unit import UnitReport

    db = tmp_path / "store.duckdb"
    shutil.copyfile(sample_store, db)
    monkeypatch.setattr(warmstart, "_PRELOADED", {})
    from nrlib.reports import sections

    monkeypatch.setattr(sections, "_PRECOMPUTED", {})
    assert warmstart.preload_dataset(db, "738")
    ds = warmstart.preloaded_dataset(db, "738")
    pre = warmstart.preloaded_analyses(ds)
    assert pre is not None and set(pre) >= {"matrix", "classes", "values"}
    params = check({"unit_code": "26308", "db_path": str(db), "deadline": None, "include_personal_data": False},
                   kind="unit")
    report = UnitReport(ds, params)
    assert report.matrix is pre["matrix"] and report.cache is pre["cache"]
    # the same tables as computing them afresh
    fresh = run_analyses(ds)
    for name in ("matrix", "classes", "values", "checks", "flags"):
        pd.testing.assert_frame_equal(pre[name], fresh[name])
    # another dataset (another deadline: a new object) is analysed on its own
    other = dataclasses.replace(ds, deadline=ds.deadline)
    assert warmstart.preloaded_analyses(other) is None
    assert UnitReport(other, params).matrix is not pre["matrix"]


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("db_path = None")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params] + [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, path)
    return path


FACTS = """
import json, os, sys
print("FACTS " + json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "pandas_before_import": "pandas" in sys.modules}))
"""

REPORT_A = FACTS + """
LEAKED_GLOBAL = "secret of report A"
import nrlib.reports.params, pandas as pd
nrlib.reports.params.LEAKED_MODULE_STATE = "A"
pd.set_option("display.max_rows", 3)
os.environ["NRLIB_LEAKED_ENV"] = "A"
from nrlib.reports.warmstart import preloaded_dataset
ds = preloaded_dataset(db_path, "738")
assert ds is not None, "the template preloaded the store"
ds.values.drop(ds.values.index, inplace=True)  # report A damages its own copy of the dataset
ds.meta["leak"] = "A"
"""

REPORT_B = FACTS + """
import nrlib.reports.params, pandas as pd
assert "LEAKED_GLOBAL" not in globals(), "a global of report A"
assert not hasattr(nrlib.reports.params, "LEAKED_MODULE_STATE"), "module state of report A"
assert pd.get_option("display.max_rows") != 3, "a pandas option of report A"
assert "NRLIB_LEAKED_ENV" not in os.environ, "the environment of report A"
from nrlib.reports.warmstart import preloaded_dataset
ds = preloaded_dataset(db_path, "738")
assert ds is not None and len(ds.values) > 0 and "leak" not in ds.meta, "report A's changes to the dataset"
"""


def _facts(job: ReportJob) -> dict:
    nb = nbformat.read(job.ipynb_path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return json.loads(re.search(r"FACTS (\{.*\})", text).group(1))


@pytest.mark.slow
def test_two_reports_on_one_template_share_nothing(sample_store, tmp_path):
    a = _notebook(tmp_path / "a.ipynb", REPORT_A)
    b = _notebook(tmp_path / "b.ipynb", REPORT_B)
    params = {"db_path": str(sample_store)}
    out = tmp_path / "out"
    with warmstart.KernelTemplate(None) as tpl:   # started before its stores are known, as a batch starts it
        assert tpl.ready and tpl.deferred
        tpl.preload([(str(sample_store), "738")])   # report A asserts that the template preloaded them
        job_a = ReportJob("unit", "11111", "A", params, out, notebook=a)
        job_b = ReportJob("unit", "22222", "B", params, out, notebook=b)
        ra = render_report(job_a, kernel_template=tpl.socket_path)
        rb = render_report(job_b, kernel_template=tpl.socket_path)
        template_pid = tpl._proc.pid
    assert ra.ok, ra.failure_text()
    assert rb.ok, rb.failure_text()  # every assertion of report B held
    fa, fb = _facts(job_a), _facts(job_b)
    assert fa["ppid"] == fb["ppid"] == template_pid  # both forked from the template ...
    assert fa["pid"] != fb["pid"]  # ... each in a process of its own
    assert fa["pandas_before_import"] and fb["pandas_before_import"]  # imports were done by the template


def _normalised(page: str) -> str:
    page = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", "T", page)
    return re.sub(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", "D", page)


@pytest.mark.slow
def test_real_reports_warm_equal_cold_and_b_holds_nothing_of_a(sample_store, tmp_path):
    jobs = {j.code: j for j in plan_reports(sample_store, ["26308", "26311"], out_dir=tmp_path / "warm")}
    with warmstart.KernelTemplate([(str(sample_store), "738")]) as tpl:
        for code in ("26308", "26311"):  # unit A, then unit B on the same template
            r = render_report(jobs[code], kernel_template=tpl.socket_path)
            assert r.ok, r.failure_text()
    warm_b = jobs["26311"].html_path.read_text(encoding="utf-8")
    assert "Xã Quang Trung" in warm_b
    assert "Gia Kiệm" not in warm_b and "26308" not in warm_b  # nothing of unit A
    [cold] = plan_reports(sample_store, ["26311"], out_dir=tmp_path / "cold")
    r = render_report(cold)
    assert r.ok, r.failure_text()
    assert _normalised(cold.html_path.read_text(encoding="utf-8")) == _normalised(warm_b)


@pytest.mark.slow
def test_no_template_listening_means_a_cold_kernel(sample_store, tmp_path):
    nb = _notebook(tmp_path / "c.ipynb", FACTS)
    job = ReportJob("unit", "33333", "C", {"db_path": str(sample_store)}, tmp_path / "out", notebook=nb)
    r = render_report(job, kernel_template=str(tmp_path / "nobody-listens.sock"))
    assert r.ok, r.failure_text()
    facts = _facts(job)
    assert facts["ppid"] == os.getpid()  # the relay became the kernel (exec): launched by this process
    assert not facts["pandas_before_import"]


REPORT_CHANNELS = """
import json
from ipykernel import get_connection_info
info = json.loads(get_connection_info())
print("FACTS " + json.dumps({"transport": info["transport"], "ip": info["ip"]}))
"""


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="Unix sockets: POSIX only (Windows kernels keep TCP)")
def test_kernels_talk_over_unix_sockets_in_a_folder_of_their_own(sample_store, tmp_path):
    """No TCP port is picked for a report's kernel (a port picked free could be taken by another report's kernel
    before it bound it: 'Address already in use', a report lost at random); the sockets' folder goes with it."""
    nb = _notebook(tmp_path / "channels.ipynb", REPORT_CHANNELS)
    out = tmp_path / "out"
    with warmstart.KernelTemplate([(str(sample_store), "738")]) as tpl:
        assert tpl.ready
        warm = ReportJob("unit", "11111", "A", {"db_path": str(sample_store)}, out, notebook=nb)
        assert render_report(warm, kernel_template=tpl.socket_path).ok
    cold = ReportJob("unit", "22222", "B", {"db_path": str(sample_store)}, out, notebook=nb)
    assert render_report(cold).ok
    for job in (warm, cold):
        facts = _facts(job)
        assert facts["transport"] == "ipc"
        folder = Path(facts["ip"]).parent
        assert folder.name.startswith("nrlib-kernel-") and not folder.exists()   # removed after the report


def test_report_kernel_managers_give_a_finished_kernel_little_time_to_exit(tmp_path):
    """ipykernel's shutdown can deadlock (an upstream race): a report's kernel, whose output is all in, is
    terminated after half of KERNEL_SHUTDOWN_WAIT instead of jupyter_client's 2,5 s; and on POSIX it uses
    Unix sockets in the folder it is given."""
    from nrlib.reports import render

    cls = render._kernel_manager_logging_to(tmp_path / "k.log", None, None, tmp_path / "sockets")
    km = cls(kernel_name="python3")
    assert km.shutdown_wait_time == render.KERNEL_SHUTDOWN_WAIT < 5.0
    assert km.transport == "ipc" and Path(km.ip).parent == tmp_path / "sockets"
    assert warmstart.EXIT_GRACE_SECONDS < render.KERNEL_SHUTDOWN_WAIT / 2   # the kernel ends itself first
