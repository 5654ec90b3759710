"""Notebook controls: time from a control change to the new chart and table (goal < 0,3 s per change).

On the sample store (Thống Nhất 738, seed 2021) built in a temporary folder,
each notebook panel is created as in the notebooks (:class:`nrlib.explore.Panel`
with its controls), then its main control is set to each of its values in turn;
a change's time is the panel's own measure (view + in-place update of the
FigureWidget + table HTML), reported as the median and the maximum.

Side by side, in the same run: the **naive** way a notebook callback would do
it — recomputing the analyses (criteria matrix, maintenance classes, flags, …)
from the Dataset on every change, i.e. the same redraw with nrlib's
per-Dataset cache emptied before each. ``ratio`` = naive / nrlib.

Outside a kernel the widget messages are not sent to a browser: the time to
draw in the browser (plotly.js, a few tens of ms for these charts) is not in
these numbers.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

DISTRICT = "738"
SEED = 2021
GOAL_SECONDS = 0.3


def _sample_store(work: Path) -> Path:
    """Sample workbooks → ingest → a store in ``work``; returns the store path."""
    from nrlib.ingest import ingest_sample_folder
    from nrlib.workbooks.sample import write_sample

    sample = work / "sample"
    write_sample(sample, DISTRICT, seed=SEED)
    return Path(ingest_sample_folder(sample, db_path=work / "nrlib.duckdb"))


def _cases(ds):
    """(label, view, controls, name of the control changed, values it takes)."""
    from nrlib import explore as ex

    units = [c for _, c in ex.unit_options(ds)]
    metric = ex.metric_dropdown(ds)
    lo, hi = ex.year_bounds(ds)
    ranges = [(lo, hi), (lo + 2, hi), (lo, lo + 1), (hi, hi), (lo + 1, hi - 1)]
    return [
        ("01 tổng quan: khoảng năm", ex.overview_view, {"years": ex.year_slider(ds)}, "years", ranges),
        ("01 đơn vị: đổi đơn vị", ex.unit_view, {"unit_code": ex.unit_dropdown(ds), "years": ex.year_slider(ds)},
         "unit_code", units),
        ("01 Cuộc vận động: đổi chỉ tiêu", ex.campaign_view,
         {"metric_code": metric, "years": ex.year_slider(ds), "per_household": ex.per_household_toggle(ds, metric)},
         "metric_code", [c for _, c in ex.metric_options(ds)]),
        ("01 xu hướng: đổi đơn vị", ex.trend_view,
         {"metric_code": ex.metric_dropdown(ds, "R_POOR"), "unit_codes": ex.units_select(ds)}, "unit_codes",
         [(), tuple(units[:1]), tuple(units[:3]), tuple(units)]),
        ("02 bảng kết quả: đổi đơn vị", ex.scorecard_view,
         {"unit_code": ex.unit_dropdown(ds), "years": ex.year_slider(ds), "group": ex.group_dropdown(ds)},
         "unit_code", units),
        ("02 bảng kết quả: đổi nhóm", ex.scorecard_view,
         {"unit_code": ex.unit_dropdown(ds), "years": ex.year_slider(ds), "group": ex.group_dropdown(ds)},
         "group", [g for _, g in ex.group_options(ds)]),
        ("02 một tiêu chí: đổi tiêu chí", ex.criterion_view, {"criterion_no": ex.criterion_dropdown(ds)},
         "criterion_no", [c for _, c in ex.criterion_options(ds)]),
        ("02 duy trì: đổi nhóm", ex.maintenance_view, {"group": ex.group_dropdown(ds)}, "group",
         [g for _, g in ex.group_options(ds)]),
        ("02 dễ bị mất: đổi nhóm", ex.risk_view, {"group": ex.group_dropdown(ds)}, "group",
         [g for _, g in ex.group_options(ds)]),
        ("03 đánh dấu: đổi đơn vị", ex.flags_view, {"unit_code": ex.unit_dropdown(ds, include_all=True)},
         "unit_code", [ex.ALL] + units),
        ("03 lỗi, cảnh báo: đổi đơn vị", ex.problems_view, {"unit_code": ex.unit_dropdown(ds, include_all=True)},
         "unit_code", [ex.ALL] + units),
        ("03 tự đánh giá/đo được: đổi đơn vị", ex.disagreement_view,
         {"unit_code": ex.unit_dropdown(ds, include_all=True)}, "unit_code", [ex.ALL] + units),
    ]


def _naive(ds, panel, name, values) -> list[float]:
    """The same redraws with the analyses recomputed every time (cache emptied before each)."""
    from nrlib.explore import common as explore_common

    times = []
    for v in values:
        panel.controls[name].value = v
        explore_common.forget_analyses(ds)
        panel.refresh(raise_errors=True)
        times.append(panel.last_seconds)
    return times


def run() -> list[dict]:
    from nrlib import explore as ex
    from nrlib.explore import common as explore_common
    from nrlib.store import load_dataset

    rows = []
    with tempfile.TemporaryDirectory(prefix="nrlib-bench-explore-") as tmp:
        db = _sample_store(Path(tmp))
        t0 = time.perf_counter()
        ds = load_dataset(db)
        t_load = time.perf_counter() - t0
        rows.append({"name": "open the store (load_dataset, first cell)", "value": round(t_load, 3), "unit": "s",
                     "note": f"{len(ds.units)} units"})
        ex.Panel(ex.overview_view, ds)  # the first FigureWidget loads plotly's widget bundle once per kernel
        for label, view, controls, name, values in _cases(ds):
            explore_common.forget_analyses(ds)
            t0 = time.perf_counter()
            panel = ex.Panel(view, ds, controls)
            t_first = time.perf_counter() - t0
            times = []
            for v in values + values[:1]:
                if controls[name].value == v:
                    continue
                controls[name].value = v
                assert not panel.message.value, panel.message.value
                times.append(panel.last_seconds)
            naive = _naive(ds, panel, name, values)
            median, worst = statistics.median(times), max(times)
            rows.append({
                "name": label, "value": round(median, 3), "unit": "s",
                "ratio": round(statistics.median(naive) / median, 2), "goal": f"< {GOAL_SECONDS} s", "holds": worst < GOAL_SECONDS,
                "note": f"max {worst:.3f} s over {len(times)} changes; first draw {t_first:.2f} s; naive "
                        f"(analyses recomputed per change) median {statistics.median(naive):.3f} s"
                        + ("" if worst < GOAL_SECONDS else " — OVER GOAL"),
            })
    return rows
