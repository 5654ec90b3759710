"""Run every ``benchmarks/bench_*.py`` and print one table.

Each module exposes ``run() -> list[dict]`` whose rows have ``name``,
``value``, ``unit`` and optionally ``ratio`` (measured side by side in the same
run: these machines are noisy, so no number from another run is compared),
``goal``, ``holds`` (whether the goal holds in this run) and ``note``. After the
table of every row comes the table of goals: each row with a goal, its measure
and whether it holds. Modules in :data:`ON_REQUEST` (``large``: national scale,
about 10 minutes) run only when named. ``python -m benchmarks NAME ...`` runs only the named
modules (e.g. ``ingest``). Rows are also written to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: benchmarks that run only when named (``make bench-large``)
ON_REQUEST = {"bench_large"}


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"
    return "" if x is None else str(x)


def _measure(r: dict) -> str:
    value = f"{_fmt(r.get('value'))} {r.get('unit') or ''}".strip()
    return value if r.get("ratio") is None else f"{value} (ratio {_fmt(r['ratio'])})"


def _holds(h) -> str:
    return {True: "yes", False: "NO"}.get(h, "?")


def main(argv: list[str]) -> int:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if argv:
        names = [n for n in names if n.removeprefix("bench_") in argv or n in argv]
    else:
        names = [n for n in names if n not in ON_REQUEST]
    rows, failed = [], []
    for name in names:
        t0 = time.perf_counter()
        print(f"[bench] {name} …", flush=True)
        try:
            mod = importlib.import_module(f"benchmarks.{name}")
            for r in mod.run():
                rows.append({"bench": name.removeprefix("bench_"), **r})
        except Exception:  # a failing benchmark is reported, the others still run
            failed.append(name)
            traceback.print_exc()
        print(f"[bench] {name} done in {time.perf_counter() - t0:.1f} s", flush=True)
    cols = ["bench", "name", "value", "unit", "ratio", "goal", "holds", "note"]
    table = [[_holds(r.get(c)) if c == "holds" and r.get("goal") else _fmt(r.get(c)) if c != "holds" else ""
              for c in cols] for r in rows]
    widths = [max([len(c)] + [len(t[i]) for t in table]) for i, c in enumerate(cols)]
    print()
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print("  ".join("-" * w for w in widths))
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)))
    goals = [r for r in rows if r.get("goal")]
    if goals:
        print("\nGoals (issue 17), as measured in this run:")
        gcols = ["bench", "name", "measured", "goal", "holds"]
        gtable = [[r["bench"], r["name"], _measure(r), str(r["goal"]), _holds(r.get("holds"))] for r in goals]
        gw = [max([len(c)] + [len(t[i]) for t in gtable]) for i, c in enumerate(gcols)]
        print("  ".join(c.ljust(w) for c, w in zip(gcols, gw)))
        print("  ".join("-" * w for w in gw))
        for t in gtable:
            print("  ".join(v.ljust(w) for v, w in zip(t, gw)))
        held = sum(r.get("holds") is True for r in goals)
        print(f"{held} of {len(goals)} goals hold in this run.")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(rows, indent=2, default=str), encoding="utf-8")
    if failed:
        print(f"\nfailed benchmarks: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
