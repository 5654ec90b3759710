"""Command-line start-up: ``nrlib --help``, ``nrlib reports --help`` and ``nrlib status`` against importing DuckDB.

Issue 17: a ten-line ``nrlib status`` took about 1,5 s and 150 MB, nearly all of
it imports (pandas and what the analyses need). The floor of any command that
reads the store is starting Python and importing ``duckdb``, so that is the
baseline, measured side by side in the same run:

* ``import duckdb``: ``python -c "import duckdb"`` with the venv's interpreter;
* ``nrlib --help`` and ``nrlib reports --help``: the console script, as a user
  types it (argparse set-up only: no command's implementation is imported);
* ``nrlib status``: the console script on a small store made here (the
  Thống Nhất sample, seed 2021: 9 workbooks of 10 units, ingested into a
  temporary folder): the ten-line table, read from DuckDB without pandas.

Method: one discarded round (it also writes the bytecode caches, as any run
without ``PYTHONDONTWRITEBYTECODE`` would), then ``NRLIB_BENCH_STARTUP_N``
(default 11) rounds, each running every command once in a rotating order, so
the machine's load falls on all of them alike. Each row gives the median wall
time, its ratio to the median of ``import duckdb`` (goal: at most 2×) and, as
a note, the minimum and the command's peak resident size
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` in a small launcher of its
own: a child's peak starts from its parent's size, and this process holds
the store's ingest).

Runtime: about half a minute on 2 cores, most of it making the store.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DISTRICT = "738"
SEED = 2021
GOAL = 2.0
BASELINE = "python -c 'import duckdb'"


def _sample_store(work: Path) -> Path:
    """Sample workbooks → ingest → a store in ``work``; returns the store path."""
    from nrlib.ingest import ingest_sample_folder
    from nrlib.workbooks.sample import write_sample

    sample = work / "sample"
    write_sample(sample, DISTRICT, seed=SEED)
    return Path(ingest_sample_folder(sample, db_path=work / "nrlib.duckdb"))


def _nrlib() -> list[str]:
    """The ``nrlib`` console script beside this interpreter, else ``python -m nrlib``."""
    script = Path(sys.executable).with_name("nrlib")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nrlib"]


def _wall(cmd: list[str], env: dict) -> float:
    """Wall seconds of one run of ``cmd``; raises if it fails."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        err = proc.stderr[-2000:].decode(errors="replace")
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return wall


#: runs the command given as its arguments and prints its peak resident size in KB (Linux) or bytes (macOS).
#: A small launcher of its own: a child's ru_maxrss starts from its parent's size when it is started.
_PEAK = ("import resource, subprocess, sys\n"
         "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)\n"
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")


def _peak_mb(cmd: list[str], env: dict) -> float | None:
    """Peak resident size of ``cmd`` in MB (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``), None without
    the resource module (Windows)."""
    try:
        import resource  # noqa: F401
    except ImportError:
        return None
    out = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True, env=env, check=True)
    return int(out.stdout.strip()) / (1024 * 1024 if sys.platform == "darwin" else 1024)


def run(rounds: int | None = None) -> list[dict]:
    """Run the benchmark; return rows ``{name, value, unit, ratio, goal, note}``."""
    rounds = rounds or int(os.environ.get("NRLIB_BENCH_STARTUP_N", "11"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    nrlib = _nrlib()
    with tempfile.TemporaryDirectory(prefix="nrlib-bench-startup-") as tmp:
        db = _sample_store(Path(tmp))
        commands = {
            BASELINE: [sys.executable, "-c", "import duckdb"],
            "nrlib --help": [*nrlib, "--help"],
            "nrlib reports --help": [*nrlib, "reports", "--help"],
            "nrlib status (sample store, 10 units)": [*nrlib, "status", "--db", str(db)],
        }
        names = list(commands)
        walls: dict[str, list[float]] = {n: [] for n in names}
        for i in range(rounds + 1):
            order = names[i % len(names):] + names[:i % len(names)]
            for name in order:
                wall = _wall(commands[name], env)
                if i:                                   # round 0 warms the caches and is not counted
                    walls[name].append(wall)
        peaks = {name: _peak_mb(cmd, env) for name, cmd in commands.items()}
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs" if hasattr(os, "getloadavg") else ""
    base = statistics.median(walls[BASELINE])
    rows = []
    for name in names:
        median = statistics.median(walls[name])
        ratio = median / base
        memory = f"peak RSS {peaks[name]:.0f} MB; " if peaks[name] is not None else ""
        if name == BASELINE:
            verdict, goal = f"the baseline; {load}", None
        else:
            verdict = f"≤ {GOAL:g}× holds" if ratio <= GOAL else f"OVER GOAL (> {GOAL:g}×)"
            goal = f"≤ {GOAL:g}× import duckdb"
        rows.append({"name": name, "value": round(median, 3), "unit": "s", "ratio": round(ratio, 2), "goal": goal,
                     "holds": None if goal is None else ratio <= GOAL, "note": f"{memory}min {min(walls[name]):.3f} s over {len(walls[name])} runs; {verdict}"})
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in run():
        print(row)
