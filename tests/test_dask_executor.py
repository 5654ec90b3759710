"""`nrlib reports --executor dask` on a real dask.distributed cluster: same reports as the local executor.

The cluster is a ``dask scheduler`` and two ``dask worker`` processes on
loopback (127.0.0.1), each worker with a scratch folder of its own: the store
reaches them as a snapshot's bytes, the reports come back as bytes. The plan
holds a unit with data, the unit that sent nothing, a unit of another
district and the reports of both districts (the other district's reports
fail: it is not in the store).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import require_module

distributed = require_module("distributed", reason="dask.distributed is not installed (pip install 'nrlib[dask]')")

pytestmark = pytest.mark.slow

DISTRICT = "738"
UNIT = "26308"


def _start(args: list[str], log: Path) -> subprocess.Popen:
    """``dask ARGS...`` (the command line dask installs next to this Python), output to ``log``."""
    dask = Path(sys.executable).with_name("dask")
    with open(log, "wb") as fh:
        return subprocess.Popen([str(dask), *args], stdout=fh, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded worker processes on 127.0.0.1; yields the scheduler's address."""
    tmp = tmp_path_factory.mktemp("dask-cluster")
    sched_file = tmp / "scheduler.json"
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(sched_file)], tmp / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists():
            assert time.monotonic() < deadline, (tmp / "scheduler.log").read_text()
            assert procs[0].poll() is None, (tmp / "scheduler.log").read_text()
            time.sleep(0.2)
        time.sleep(0.2)  # the file is written in one go, but give it a moment
        address = json.loads(sched_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for n in (1, 2):
            procs.append(_start(["worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard", "--name", f"w{n}", "--local-directory", str(tmp / f"w{n}")],
                                tmp / f"worker{n}.log"))
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=90)
        yield {"address": address, "dir": tmp}
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def _nrlib_reports(db: Path, out: Path, units: list[str], *extra: str) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "nrlib.cli", "reports", "--db", str(db), "--out", str(out), "--district",
            "--jobs", "2", "--unit", *units, *extra]
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


def _index(out: Path) -> list[dict]:
    page = (out / "index.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'id="nrlib-report">(.*?)</script>', page, re.S).group(1))["reports"]


def _content(path: Path) -> str:
    """What a reader gets from a report file: the HTML page, or a notebook's cells and nrlib record.

    papermill's own metadata (paths of the temporary files, timings) is left out.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        nb = json.loads(text)
        text = json.dumps({"cells": [(c["source"], c.get("outputs")) for c in nb["cells"]],
                           "nrlib": nb["metadata"].get("nrlib")}, sort_keys=True, ensure_ascii=False)
    return _normalised(text)


def _normalised(text: str) -> str:
    """Timestamps and durations left out: what remains must be equal."""
    text = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?", "<T>", text)
    text = re.sub(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", "<D>", text)
    return re.sub(r'"(duration_s|render_seconds|duration|start_time|end_time)": [^,}]+', r'"\1": <t>', text)


def test_dask_executor_renders_the_same_reports_as_local_processes(cluster, sample_store, tmp_path):
    import report_fixtures as rf

    from nrlib.reference import find_unit, load_units
    from nrlib.workbooks.sample import sample_roles

    missing = sample_roles(load_units(DISTRICT))["missing"]
    foreign, _ = rf.foreign_unit()
    units = [UNIT, missing, foreign]
    local, remote = tmp_path / "local", tmp_path / "dask"
    p_local = _nrlib_reports(sample_store, local, units)
    p_dask = _nrlib_reports(sample_store, remote, units, "--executor", "dask", "--scheduler", cluster["address"])

    # same exit status (one report failed), same progress lines and failure report
    assert p_local.returncode == p_dask.returncode == 1, p_dask.stderr[-3000:]
    assert f"Dask ({cluster['address']})" in p_dask.stdout
    assert len(re.findall(r"^\[\d/5\] ", p_dask.stdout, re.M)) == 5
    for p in (p_local, p_dask):
        assert f"units/{foreign}" in p.stderr and "UnknownUnitError" in p.stderr
    # the same index: every report, same status, same failure text
    rows_l = {(r["kind"], r["code"]): r for r in _index(local)}
    rows_d = {(r["kind"], r["code"]): r for r in _index(remote)}
    assert rows_l.keys() == rows_d.keys() == {("unit", UNIT), ("unit", missing), ("unit", foreign),
                                              ("district", DISTRICT), ("district", find_unit(foreign)["district_code"])}
    assert [k for k, r in rows_d.items() if r["status"] == "ok"] == [("district", DISTRICT), ("unit", UNIT),
                                                                     ("unit", missing)]
    for key, rl in rows_l.items():
        rd = rows_d[key]
        for field in ("status", "html", "title", "data_version", "error_name", "error_value", "cell_index",
                      "failed_notebook"):
            assert rl[field] == rd[field], (key, field)
    # the same files, with the same content (timestamps and durations aside); a failed report's kernel log is
    # kept only when the kernel wrote something, which depends on timing (jupyter_client interrupts a kernel
    # before shutting it down, and ipykernel logs the interrupt only if it lands while it runs its loop)
    files_l = sorted(p.relative_to(local).as_posix() for p in local.rglob("*")
                     if p.is_file() and not p.name.endswith(".kernel.log"))
    files_d = sorted(p.relative_to(remote).as_posix() for p in remote.rglob("*")
                     if p.is_file() and not p.name.endswith(".kernel.log"))
    assert files_l == files_d
    assert f"failed/{foreign}_" in " ".join(files_d)  # the failed notebook came back from the worker
    for rel in files_l:
        if rel.endswith((".html", ".ipynb")) and rel != "index.html":
            assert _content(local / rel) == _content(remote / rel), rel
    page = (remote / f"units/{UNIT}_xa-gia-kiem.html").read_text(encoding="utf-8")
    assert str(Path(sample_store).resolve()) in page  # the report names the store, not the worker's snapshot
    # the workers read a snapshot they were sent, in their own scratch folders
    snaps = list(cluster["dir"].glob("w*/**/nrlib-snapshot-*.duckdb"))
    assert snaps, "no snapshot written on any worker"
