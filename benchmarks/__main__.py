"""Run every ``benchmarks/bench_*.py`` and print one table.

Each module exposes ``run() -> list[dict]`` whose rows have ``name``,
``value``, ``unit`` and optionally ``ratio`` (measured side by side in the same
run: these machines are noisy, so no number from another run is compared),
``goal`` and ``note``. ``python -m benchmarks NAME ...`` runs only the named
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


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"
    return "" if x is None else str(x)


def main(argv: list[str]) -> int:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if argv:
        names = [n for n in names if n.removeprefix("bench_") in argv or n in argv]
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
    cols = ["bench", "name", "value", "unit", "ratio", "goal", "note"]
    table = [[_fmt(r.get(c)) for c in cols] for r in rows]
    widths = [max([len(c)] + [len(t[i]) for t in table]) for i, c in enumerate(cols)]
    print()
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print("  ".join("-" * w for w in widths))
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)))
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(rows, indent=2, default=str), encoding="utf-8")
    if failed:
        print(f"\nfailed benchmarks: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
