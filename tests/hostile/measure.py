"""Measuring hostile cases: memory and time of one file, in a forked child; the figures of the run.

Measuring: each hostile file is read and validated (:func:`nrlib.ingest.analyse_file`)
in a forked child process, so the child's own peak resident memory
(``wait4``'s ``ru_maxrss``) belongs to that one file. A child with nothing to
do gives the baseline (the parent's memory as the child inherits it), measured
just before each case. The child runs under an address-space limit (its size
at fork + :data:`HEADROOM`) and an alarm (:data:`CHILD_TIMEOUT`): a file that
makes the reader allocate without bound or loop fails the test instead of
taking the machine down.

Figures (cases, wall time, memory; generated cases of the property tests;
fault cases) are printed as a table at the end of the run and written to
``benchmarks/results/hostile.json`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import resource
import signal
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results" / "hostile.json"
#: address space a measured child may add to what it inherited
HEADROOM = 1 << 30
#: seconds a measured child may run
CHILD_TIMEOUT = 60

FIGURES: dict = {"hostile_files": [], "properties": {}, "faults": []}


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def run_in_child(fn, timeout: int = CHILD_TIMEOUT) -> dict:
    """Run ``fn()`` in a forked child; returns ``{"result": ..., "wall_s", "peak_rss_mb", "exit"}``.

    ``fn`` returns something JSON-serialisable. The child is limited in
    address space and time (see module docstring); ``exit`` is its exit
    status (0 when ``fn`` returned).
    """
    if not hasattr(os, "fork"):
        pytest.skip("measuring needs os.fork (Linux)")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 0
        try:
            os.close(read_end)
            limit = _vm_size() + HEADROOM
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            signal.alarm(timeout)
            t0 = time.perf_counter()
            result = fn()
            wall = time.perf_counter() - t0
            with os.fdopen(write_end, "w") as fh:
                json.dump({"result": result, "wall_s": wall}, fh, default=str)
        except BaseException as exc:  # noqa: BLE001 - report anything to the parent
            code = 3
            try:
                os.write(write_end, json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())
            except OSError:
                pass
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end) as fh:
        data = fh.read()
    _, status, usage = os.wait4(pid, 0)
    out = json.loads(data) if data else {}
    out["exit"] = os.waitstatus_to_exitcode(status)
    out["peak_rss_mb"] = usage.ru_maxrss / 1024
    return out


def baseline_rss_mb() -> float:
    """Peak RSS of a child that does nothing: what every measured child starts from."""
    return run_in_child(lambda: None)["peak_rss_mb"]
