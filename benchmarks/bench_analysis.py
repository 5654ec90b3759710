"""Benchmark of the analysis library: a district of 10 units, and a synthetic 10.000-unit province.

Run ``python benchmarks/bench_analysis.py`` (``--units N`` for another size,
``--json PATH`` to keep the rows). :func:`run` returns rows
``{name, value, unit, ratio, note}`` where ``ratio`` is value / target (below
1 meets the target; None when there is no target).

Method: every public analysis function is timed once on each dataset with
``time.perf_counter`` (wall time: the machine may be shared, so compare
runs on the same machine; the whole-analysis rows also give the process's
CPU time, which a busy machine disturbs less). Peak memory is the process's peak resident size
(``resource.getrusage``), which includes the dataset itself, and the peak of
Python allocations during the full 10.000-unit analysis measured by
``tracemalloc`` in a separate pass (tracing slows the code, so it is not
timed).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

TARGET_DISTRICT_S = 1.0      # whole-district analysis, 10 units: "well under a second"
TARGET_FUNCTION_S = 5.0      # any one function on 10.000 units: "in seconds"
TARGET_BUILD_S = 10.0        # building the 10.000-unit synthetic dataset


def _functions(ds):
    """(name, call) of every public analysis function, in pipeline order."""
    from nrlib.analysis import campaign, maintenance, quality, ranking, results, rollup, scoring, thresholds
    from nrlib.analysis import tables as analysis_exports
    from nrlib.present import narrative

    unit = str(ds.units["unit_code"].iloc[0])
    return [
        ("results.criteria_matrix", lambda: results.criteria_matrix(ds)),
        ("results.criteria_reached", lambda: results.criteria_reached(ds)),
        ("results.criteria_by_group", lambda: results.criteria_by_group(ds)),
        ("results.units_all_reached", lambda: results.units_all_reached(ds)),
        ("maintenance.classify_maintenance", lambda: maintenance.classify_maintenance(ds)),
        ("maintenance.maintenance_summary", lambda: maintenance.maintenance_summary(ds)),
        ("maintenance.criteria_at_risk", lambda: maintenance.criteria_at_risk(ds)),
        ("campaign.campaign_values", lambda: campaign.campaign_values(ds)),
        ("campaign.campaign_totals(unit)", lambda: campaign.campaign_totals(ds, "unit")),
        ("campaign.campaign_totals(district)", lambda: campaign.campaign_totals(ds, "district")),
        ("campaign.rates(unit)", lambda: campaign.rates(ds, "unit")),
        ("campaign.rates(district)", lambda: campaign.rates(ds, "district")),
        ("campaign.per_household", lambda: campaign.per_household(ds)),
        ("thresholds.indicator_values", lambda: thresholds.indicator_values(ds)),
        ("thresholds.threshold_checks", lambda: thresholds.threshold_checks(ds)),
        ("thresholds.declared_vs_measured", lambda: thresholds.declared_vs_measured(ds)),
        ("thresholds.unknown_levels", lambda: thresholds.unknown_levels(ds)),
        ("quality.completeness", lambda: quality.completeness(ds)),
        ("quality.timeliness_table", lambda: quality.timeliness_table(ds)),
        ("quality.outliers", lambda: quality.outliers(ds)),
        ("quality.yoy_flags", lambda: quality.yoy_flags(ds)),
        ("quality.quality_flags", lambda: quality.quality_flags(ds)),
        ("scoring.rule_points", lambda: scoring.rule_points(ds)),
        ("scoring.content_scores", lambda: scoring.content_scores(ds)),
        ("scoring.unit_scores", lambda: scoring.unit_scores(ds)),
        ("ranking.commendation_ranking", lambda: ranking.commendation_ranking(ds)),
        ("ranking.proposals_table", lambda: ranking.proposals_table(ds)),
        ("rollup.rollup(district)", lambda: rollup.rollup(ds, "district")),
        ("rollup.rollup(province)", lambda: rollup.rollup(ds, "province")),
        ("analysis_exports.analysis_tables", lambda: analysis_exports.analysis_tables(ds)),
        ("narrative.unit_sentences", lambda: narrative.unit_sentences(ds, unit)),
    ]


def _district_analysis(ds):
    """What a district report computes: every table once, the sentences of the district and of each unit.

    One cache is shared by all calls, as a report does (:mod:`nrlib.core.memo`).
    """
    from nrlib.analysis import quality, results, rollup, thresholds
    from nrlib.analysis import tables as analysis_exports
    from nrlib.present import narrative

    cache: dict = {}
    tables = analysis_exports.analysis_tables(ds, cache)
    tables.update(rollup.rollup(ds, "district", cache))
    tables["unknown_levels"] = thresholds.unknown_levels(ds, cache)
    tables["completeness"] = quality.completeness(ds, cache)
    tables["criteria_by_group"] = results.criteria_by_group(ds, cache)
    sentences = narrative.district_sentences(ds, cache=cache)
    for code in ds.units["unit_code"]:
        sentences += narrative.unit_sentences(ds, code, cache=cache)
    return tables, sentences


def _district_analysis_big(ds):
    """The whole analysis of a large dataset: every table and both roll-ups, one shared cache."""
    from nrlib.analysis import maintenance, quality, results, rollup, thresholds
    from nrlib.analysis import tables as analysis_exports

    cache: dict = {}
    tables = analysis_exports.analysis_tables(ds, cache)
    tables.update({f"district_{k}": v for k, v in rollup.rollup(ds, "district", cache).items()})
    tables.update({f"province_{k}": v for k, v in rollup.rollup(ds, "province", cache).items()})
    tables["unknown_levels"] = thresholds.unknown_levels(ds, cache)
    tables["completeness"] = quality.completeness(ds, cache)
    tables["criteria_by_group"] = results.criteria_by_group(ds, cache)
    tables["criteria_at_risk"] = maintenance.criteria_at_risk(ds, cache)
    return tables


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _cpu_timed(fn):
    """(wall seconds, CPU seconds of this process, result): CPU time is less affected by a busy machine."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def _maxrss_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run(n_units: int = 10_000, n_districts: int = 100, memory: bool = True) -> list[dict]:
    """Run the benchmark; return rows ``{name, value, unit, ratio, note}``."""
    from nrlib.workbooks.synthetic import synthetic_dataset

    rows: list[dict] = []

    def row(name, value, unit, target=None, note=""):
        rows.append({"name": name, "value": round(value, 3), "unit": unit,
                     "ratio": None if target is None else round(value / target, 3), "note": note})

    small = synthetic_dataset(n_units=10, n_districts=1, seed=0)
    _district_analysis(small)  # warm-up: imports, reference files, caches
    t, cpu, (tables, sentences) = _cpu_timed(lambda: _district_analysis(small))
    row("district_10_units.full_analysis", t, "s", TARGET_DISTRICT_S,
        f"every table + rollup + {len(sentences)} sentences (district and each unit) on a 10-unit district")
    row("district_10_units.full_analysis_cpu", cpu, "s", TARGET_DISTRICT_S, "same, CPU time of the process")
    for name, fn in _functions(small):
        t, _ = _timed(fn)
        row(f"district_10_units.{name}", t, "s", None, "")

    t, big = _timed(lambda: synthetic_dataset(n_units=n_units, n_districts=n_districts, seed=0))
    row(f"synthetic_{n_units}.build", t, "s", TARGET_BUILD_S,
        f"{len(big.values):,} values, {len(big.criteria_status):,} criteria cells, {n_districts} districts")
    total = 0.0
    for name, fn in _functions(big):
        t, _ = _timed(fn)
        total += t
        row(f"synthetic_{n_units}.{name}", t, "s", TARGET_FUNCTION_S, "")
    row(f"synthetic_{n_units}.all_functions_total", total, "s", None,
        "sum of the rows above; each function recomputes its inputs (no shared cache)")
    t, cpu, _ = _cpu_timed(lambda: _district_analysis_big(big))
    row(f"synthetic_{n_units}.full_analysis_shared_cache", t, "s", None,
        f"every table + district and province rollups, one shared cache (CPU {cpu:.1f} s)")
    row(f"synthetic_{n_units}.peak_rss", _maxrss_mb(), "MB", None, "process peak resident size, dataset included")
    if memory:
        tracemalloc.start()
        _district_analysis_big(big)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        row(f"synthetic_{n_units}.analysis_peak_traced", peak, "MB", None,
            "tracemalloc peak during the full shared-cache analysis (allocations on top of the dataset)")
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--units", type=int, default=10_000)
    p.add_argument("--districts", type=int, default=100)
    p.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    p.add_argument("--json", type=Path, help="also write the rows to this JSON file")
    args = p.parse_args(argv)
    rows = run(args.units, args.districts, memory=not args.no_memory)
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        ratio = "" if r["ratio"] is None else f"  ratio {r['ratio']:.2f}"
        print(f"{r['name']:<{width}}  {r['value']:>10.3f} {r['unit']:<3}{ratio}  {r['note']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
