"""The hostile suite's shared parts: the figures table printed and written at the end of the run.

See :mod:`measure` for how cases are measured.
"""

from __future__ import annotations

import json
import sys

import pytest

from hostile.measure import FIGURES, RESULTS, ROOT


@pytest.fixture(scope="session")
def figures() -> dict:
    return FIGURES


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    rows = FIGURES["hostile_files"]
    props = FIGURES["properties"]
    faults = FIGURES["faults"]
    if not (rows or props or faults):
        return
    tr = terminalreporter
    tr.section("hostile files, generated cases, faults")
    if rows:
        tr.write_line(f"{'case':<28} {'size':>10} {'rule':<20} {'wall ms':>8} {'peak RSS MB':>11} {'+RSS MB':>8}")
        for r in rows:
            tr.write_line(f"{r['case']:<28} {r['file_bytes']:>10} {r['rule']:<20} {r['wall_ms']:>8.1f} "
                          f"{r['peak_rss_mb']:>11.1f} {r['rss_delta_mb']:>8.1f}")
        slow = max(rows, key=lambda r: r["wall_ms"])
        big = max(rows, key=lambda r: r["rss_delta_mb"])
        tr.write_line(f"slowest rejection: {slow['case']} {slow['wall_ms']:.1f} ms; "
                      f"most memory: {big['case']} +{big['rss_delta_mb']:.1f} MB (peak {big['peak_rss_mb']:.1f} MB)")
    for name, n in sorted(props.items()):
        tr.write_line(f"property {name}: {n} generated cases")
    for f in faults:
        tr.write_line(f"fault {f['case']}: {f['result']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(dict(FIGURES, python=sys.version.split()[0]), ensure_ascii=False, indent=2),
                       encoding="utf-8")
    tr.write_line(f"figures written to {RESULTS.relative_to(ROOT)}")
