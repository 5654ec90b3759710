"""Deterministic synthetic data for benchmarks and tests: datasets built as frames, or real workbooks.

:func:`synthetic_dataset` builds a Dataset directly as frames (no workbooks,
synthetic codes): 10.000 units in seconds, for the analyses.
:func:`synthetic_workbooks` writes filled workbooks for real units of the
registry across real districts of a province or of the whole country
(:func:`synthetic_units`), with the sample generator's content, for
everything upstream of the store (ingest, validation) and for reports.

Every figure here is invented (seeded) and the submissions are marked as
sample data (``is_sample``), so a report built from them says DỮ LIỆU MẪU.
Magnitudes follow the public orders of magnitude of a district of Đồng Nai
(a commune of about 3.000 households mobilising a few hundred triệu đồng a
year, some 10 km of rural road a year, a poor-household rate of a few percent
falling over the period; see ``shared/reference/README.md``). Metric codes,
kinds, rules, indicators and levels are read from the outline and the
reference data; only the magnitudes below are the generator's own.

What a synthetic dataset exercises: towns outside the NTM criteria, one unit
per district turning into a town in the middle of the period (like thị trấn
Dầu Giây from 2019), units that sent nothing, late and rejected versions,
blank cells, criteria kept/gained/lost/regained/never reached, a few gross
outliers, and commendation proposals with individual names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nrlib import config
from nrlib.core import vocab
from nrlib.dataset import Dataset, empty_frame
from nrlib.reference import load_criteria, load_outline, resolve_levels

# Magnitudes of the 2016-2020 outline's metrics. ``per_hh``: a flow's yearly
# amount per household; ``share``: a bounded stock's share of its bound in the
# first and last year; ``count``: a small count. Metrics not listed here get a
# generic profile from their kind and rules.
_PROFILE = {
    "VD01": {"per_hh": 0.08}, "VD02": {"per_hh": 0.06}, "VD03": {"per_hh": 0.5}, "VD04": {"per_hh": 0.6},
    "VD05": {"per_hh": 0.0035}, "VD06": {"per_hh": 0.001}, "VD07": {"per_hh": 0.0005},
    "VD08": {"per_hh": 0.001}, "VD09": {"per_hh": 0.0007}, "VD10": {"per_hh": 0.05},
    "VD12": {"share": (0.035, 0.008)}, "VD13": {"share": (0.045, 0.02)}, "VD15": {"share": (0.88, 0.94)},
    "VD17": {"share": (0.8, 0.97)}, "VD18": {"share": (0.15, 0.45)}, "VD19": {"share": (0.7, 0.93)},
    "VD20": {"share": (0.55, 0.9)}, "VD14": {"per_hh": 0.03}, "VD21": {"per_hh": 0.3},
    "VD22": {"count": 4}, "VD23": {"count": 3},
    # outline version 2 (VD03 and VD22 are then the sums of VD24 + VD25 and VD39 + VD40)
    "VD24": {"per_hh": 0.15}, "VD25": {"per_hh": 0.35}, "VD26": {"per_hh": 0.05}, "VD27": {"count": 6},
    "VD28": {"per_hh": 0.05}, "VD29": {"per_hh": 0.04}, "VD30": {"per_hh": 0.1}, "VD31": {"share": (0.06, 0.015)},
    "VD32": {"per_hh": 0.004}, "VD33": {"per_hh": 0.001}, "VD34": {"count": 0.2}, "VD36": {"share": (0.9, 0.97)},
    "VD37": {"per_hh": 0.01}, "VD38": {"per_hh": 0.6}, "VD39": {"count": 3}, "VD40": {"count": 1.5},
    "VD41": {"per_hh": 0.004}, "VD42": {"share": (0.75, 0.85)}, "VD43": {"share": (0.7, 0.8)},
    "VD44": {"share": (0.9, 0.95)},
}
_HOUSEHOLDS_PER_HAMLET = 400
_MAINTENANCE_P = {"kept": 0.75, "gained": 0.12, "lost": 0.03, "lost_and_regained": 0.04, "never": 0.06}


def _codes(prefix: str, n: int, min_width: int) -> np.ndarray:
    width = max(min_width, len(str(max(n - 1, 0))))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(n)], dtype=object)


def _units(n_units: int, n_districts: int, n_provinces: int, rng: np.random.Generator, years: list[int]):
    idx = np.arange(n_units)
    district = idx * n_districts // n_units
    province = district * n_provinces // n_districts
    ucode = _codes("9", n_units, 4)
    dcode = _codes("9", n_districts, 2)[district]
    pcode = _codes("9", n_provinces, 1)[province]
    # one unit per district becomes a town mid-period (its last unit), ~5 % are towns throughout
    last_of_district = np.r_[district[1:] != district[:-1], True]
    converted = last_of_district & (n_units >= 2)
    town = (rng.random(n_units) < 0.05) & ~converted
    utype = np.where(town | converted, "thi_tran", "xa")
    name = np.where(utype == "thi_tran", "Thị trấn Mẫu ", "Xã Mẫu ") + (idx + 1).astype(str)
    units = pd.DataFrame({
        "unit_code": ucode, "name": name, "unit_type": utype,
        "unit_type_label": np.where(utype == "thi_tran", "thị trấn", "xã"),
        "district_code": dcode, "district_name": "Huyện Mẫu " + pd.Series(district + 1).astype(str).to_numpy(),
        "province_code": pcode, "province_name": "Tỉnh Mẫu " + pd.Series(province + 1).astype(str).to_numpy(),
        "region_code": "dnb", "region_name": "Đông Nam Bộ",
    })
    ny = len(years)
    change_at = years[min(3, ny - 1)]  # like Dầu Giây: a town from the fourth year
    yr = np.tile(np.array(years), n_units)
    u = np.repeat(idx, ny)
    is_town = town[u] | (converted[u] & (yr >= change_at))
    uy = pd.DataFrame({
        "unit_code": ucode[u], "year": yr,
        "name": np.where(converted[u] & ~is_town, "Xã Mẫu " + (u + 1).astype(str) + " (cũ)", name[u]),
        "unit_type": np.where(is_town, "thi_tran", "xa"), "ntm_applies": ~is_town,
    })
    return units, uy


def _submissions(units: pd.DataFrame, deadline: dt.date, rng: np.random.Generator, outline_version: str):
    n = len(units)
    sent = rng.random(n) >= 0.05
    two = sent & (rng.random(n) < 0.2)
    only_rejected = sent & ~two & (rng.random(n) < 0.01)
    first_late = np.clip(np.round(rng.normal(-3, 4, n)), -14, 30).astype(int)
    u1 = np.flatnonzero(sent)
    u2 = np.flatnonzero(two)
    unit_idx = np.r_[u1, u2]
    version = np.r_[np.ones(len(u1), int), np.full(len(u2), 2)]
    offset = np.r_[first_late[u1], first_late[u2] + rng.integers(1, 10, len(u2))]
    # a unit with two versions: the first was rejected (corrected later) or the second was (a broken resend)
    second_rejected = rng.random(n) < 0.3
    status = np.where(version == 1, np.where(two[unit_idx] & ~second_rejected[unit_idx], "rejected", "accepted"),
                      np.where(second_rejected[unit_idx], "rejected", "accepted"))
    status = np.where(only_rejected[unit_idx], "rejected", status)
    order = np.lexsort((version, unit_idx))
    unit_idx, version, offset, status = unit_idx[order], version[order], offset[order], status[order]
    codes = units["unit_code"].to_numpy()[unit_idx]
    sid = np.arange(1, len(unit_idx) + 1)
    n_err = np.where(status == "rejected", rng.integers(1, 6, len(sid)), 0)
    subs = pd.DataFrame({
        "submission_id": sid, "unit_code": codes, "version": version,
        "file_name": [f"{c}_v{v}.xlsx" for c, v in zip(codes, version)],
        "sha256": [f"{s:064x}" for s in sid], "size_bytes": rng.integers(40_000, 90_000, len(sid)),
        "received_date": pd.to_datetime(deadline) + pd.to_timedelta(offset, unit="D"),
        "status": status, "n_errors": n_err, "n_warnings": rng.integers(0, 4, len(sid)),
        "is_sample": True, "outline_version": outline_version,
    })
    subs["received_date"] = subs["received_date"].dt.date
    last = subs.groupby("unit_code")["version"].transform("max") == subs["version"]
    subs["is_latest"] = last
    acc = subs[subs["status"] == "accepted"]
    cur_v = acc.groupby("unit_code")["version"].max()
    subs["is_current"] = subs["version"].eq(subs["unit_code"].map(cur_v))
    return subs


def _bound_order(bounds_of: dict[str, str]) -> list[str]:
    """The bounded metrics, each after the metric bounding it when that is bounded too (VD44 ≤ VD43 ≤ VD11)."""
    done: list[str] = []

    def visit(code: str) -> None:
        if code in done or code not in bounds_of:
            return
        visit(bounds_of[code])
        done.append(code)

    for code in bounds_of:
        visit(code)
    return done


def _campaign_values(outline, units, years, rng):
    """Metric values (n_units, n_years) per code."""
    n, ny = len(units), len(years)
    t = np.arange(ny)[None, :]
    frac = t / max(ny - 1, 1)
    metrics = outline.metrics.set_index("code")
    hh_code = outline.household_metric
    h0 = np.clip(rng.lognormal(np.log(3000), 0.5, n), 400, 25_000)[:, None]
    hh = np.round(h0 * (1 + rng.uniform(0.005, 0.03, n)[:, None]) ** t)
    out = {hh_code: hh}
    bounds_of = {}
    unit_effect = rng.lognormal(0, 0.3, n)[:, None]
    for code in metrics.index:
        if code == hh_code:
            continue
        m = metrics.loc[code]
        prof = _PROFILE.get(code, {})
        bound = m["le_metric"] if isinstance(m["le_metric"], str) else None
        noise = rng.lognormal(0, 0.2, (n, ny)) * unit_effect
        if m["kind"] == "stock" and bound is None and "count" not in prof:  # a total like hamlets
            base = np.maximum(3, np.round(h0 / _HOUSEHOLDS_PER_HAMLET))
            v = base + (rng.random((n, ny)) < 0.05).cumsum(axis=1)
        elif bound is not None:
            bounds_of[code] = bound
            lo, hi = prof.get("share", (0.5, 0.8))
            s0 = np.clip(lo * rng.lognormal(0, 0.3, n), 0, 1)[:, None]
            s1 = np.clip(hi * rng.lognormal(0, 0.1, n), 0, 1)[:, None]
            v = s0 + (s1 - s0) * frac  # the bound is filled in below
        elif "count" in prof:
            v = rng.poisson(prof["count"], (n, ny)).astype(float)
            if m["kind"] == "stock":
                v = np.maximum.accumulate(v, axis=1)
        else:
            v = hh * prof.get("per_hh", 0.001) * noise
        out[code] = v
    for code in _bound_order(bounds_of):
        bound = bounds_of[code]
        out[code] = np.minimum(out[code] * out[bound], out[bound])
    # a few gross outliers in flows (a misplaced decimal, a figure typed in đồng)
    # (not in a part bounded by its whole, nor in a total nrlib computes)
    computed = outline.computed_metrics
    flows = [c for c in metrics.index if metrics.loc[c, "kind"] == "flow" and c not in bounds_of and c not in computed]
    for code in flows:
        hit = rng.random((n, ny)) < 0.002
        out[code] = np.where(hit, out[code] * 25, out[code])
    # a household total typed wrong in one year (a jump the year-over-year check should catch)
    jump = rng.random((n, ny)) < 0.003
    jump[:, 0] = False
    out[hh_code] = np.where(jump, out[hh_code] * 1.8, out[hh_code])
    for code in metrics.index:
        if metrics.loc[code, "integer"]:
            out[code] = np.round(out[code])
        else:
            out[code] = np.round(out[code], 1)
    for code, parts in computed.items():     # totals nrlib computes: the sum of their parts, as typed
        out[code] = sum(out[p] for p in parts)
    return out


def _long(codes_units: np.ndarray, years: list[int], arrays: dict, sid: np.ndarray, blank: float, rng) -> pd.DataFrame:
    n, ny = len(codes_units), len(years)
    frames = []
    for code, arr in arrays.items():
        keep = rng.random((n, ny)) >= blank
        keep &= ~np.isnan(arr)
        ui, yi = np.nonzero(keep)
        frames.append(pd.DataFrame({"unit_code": codes_units[ui], "year": np.asarray(years)[yi], "data_element": code,
                                    "value": arr[ui, yi], "submission_id": sid[ui]}))
    return pd.concat(frames, ignore_index=True)


def _typed_values(outline, levels: pd.DataFrame, ntm: np.ndarray, years, rng) -> dict:
    n, ny = ntm.shape
    out = {}
    typed = outline.typed_indicators
    lv = levels.set_index(["indicator_code", "year"])["level"] if len(levels) else pd.Series(dtype=float)
    for row in typed.itertuples():
        code, cmp_, unit = row.indicator_code, row.comparison, row.unit
        level = np.broadcast_to(np.array([lv.get((code, y), np.nan) for y in years])[None, :], (n, ny))
        known = ~np.isnan(level)
        lvl = np.nan_to_num(level)
        short = known & (rng.random((n, ny)) < 0.05)
        if unit == "%":
            if cmp_ == "≤":
                v = np.where(known, lvl - rng.uniform(0.5, 6, (n, ny)), rng.uniform(5, 20, (n, 1)))
                v = np.where(short, lvl + rng.uniform(0.5, 5, (n, ny)), v)
            else:
                v = np.where(known, lvl + rng.uniform(0, 1, (n, ny)) * (100 - lvl), rng.uniform(70, 100, (n, 1)))
                v = np.where(short, lvl - rng.uniform(1, 10, (n, ny)), v)
            v = np.clip(v, 0, 100)
        else:  # income per person: rising about 8 % a year, a few units short of the level
            v = rng.uniform(45, 60, (n, 1)) * 1.08 ** np.arange(ny)[None, :]
            v = np.where(short, np.minimum(v, lvl - 1), v)
        v = np.round(np.broadcast_to(v, (n, ny)).astype(float), 1)
        out[code] = np.where(ntm, v, np.nan)
    return out


def _criteria_status(criteria: pd.DataFrame, ntm: np.ndarray, rng) -> np.ndarray:
    """Status codes (n_units, n_criteria, n_years): 0 not reached, 1 reached, 2 not applicable, 3 blank."""
    n, ny = ntm.shape
    nc = criteria["criterion_no"].nunique()
    cls = rng.choice(list(_MAINTENANCE_P), size=(n, nc), p=list(_MAINTENANCE_P.values()))
    k = rng.integers(1, max(ny - 1, 2), (n, nc))[:, :, None]
    t = np.arange(ny)[None, None, :]
    c = cls[:, :, None]
    reached = np.select(
        [c == "kept", c == "gained", c == "lost", c == "lost_and_regained", c == "never"],
        [t >= 0, t >= k, t < k, t != k, t < 0])
    st = reached.astype(np.int8)
    st = np.where(ntm[:, None, :], st, 2)
    blank = rng.random(st.shape) < 0.005
    return np.where(blank & (st != 2), 3, st).astype(np.int8)


def _proposals(cur_units: pd.DataFrame, sid: np.ndarray, outline, rng) -> pd.DataFrame:
    n_each = rng.integers(0, 5, len(cur_units))
    ui = np.repeat(np.arange(len(cur_units)), n_each)
    if not len(ui):
        return empty_frame("proposals")
    seq = np.concatenate([np.arange(1, k + 1) for k in n_each if k])
    kinds = [c["value"] for c in outline.choices("proposal_kind")]
    forms = [c["value"] for c in outline.choices("award_form")]
    kind = rng.choice(kinds, len(ui))
    unit_names = cur_units["name"].to_numpy()[ui]
    names = np.where(kind == kinds[-1], "Nguyễn Văn Mẫu " + pd.Series(np.arange(len(ui)) + 1).astype(str).to_numpy(),
                     "Ấp Mẫu " + seq.astype(str) + ", " + unit_names)
    return pd.DataFrame({
        "submission_id": sid[ui], "unit_code": cur_units["unit_code"].to_numpy()[ui], "seq": seq, "kind": kind,
        "name": names, "address": unit_names,
        "achievement": "Có thành tích tiêu biểu trong Cuộc vận động (dữ liệu mẫu)",
        "award_form": rng.choice(forms, len(ui)),
    })


def synthetic_dataset(n_units: int = 10, n_districts: int = 1, n_provinces: int = 1, seed: int = 0) -> Dataset:
    """A deterministic synthetic Dataset of ``n_units`` units in ``n_districts`` districts.

    Parameters
    ----------
    n_units, n_districts, n_provinces : int
        Units are split into districts in contiguous blocks, districts into
        provinces likewise (``n_units >= n_districts >= n_provinces >= 1``).
        Codes are synthetic (units ``9xxxx``, districts ``9xx``, provinces
        ``9x``), all in region Đông Nam Bộ so the reference levels apply.
    seed : int
        Same arguments, same dataset.

    Returns
    -------
    Dataset
        With the real outline, criteria set and levels; ``meta`` has
        ``synthetic=True`` and the arguments. 10.000 units build in a few
        seconds.
    """
    if not (n_units >= n_districts >= n_provinces >= 1):
        raise ValueError("need n_units >= n_districts >= n_provinces >= 1")
    rng = np.random.default_rng(seed)
    outline = load_outline()
    criteria = load_criteria()
    years = outline.years
    levels = resolve_levels(["dnb"], years)
    units, uy = _units(n_units, n_districts, n_provinces, rng, years)
    subs = _submissions(units, outline.deadline, rng, outline.version)

    cur = subs[subs["is_current"]][["unit_code", "submission_id"]]
    pos = pd.Series(np.arange(n_units), index=units["unit_code"])
    cur_idx = pos[cur["unit_code"]].to_numpy()
    cur_codes = units["unit_code"].to_numpy()[cur_idx]
    cur_sid = cur["submission_id"].to_numpy()
    ntm_all = uy["ntm_applies"].to_numpy().reshape(n_units, len(years))
    ntm = ntm_all[cur_idx]

    metric_arrays = _campaign_values(outline, units, years, rng)
    metric_arrays = {k: v[cur_idx] for k, v in metric_arrays.items()}
    typed = _typed_values(outline, levels, ntm, years, rng)
    values = pd.concat([_long(cur_codes, years, metric_arrays, cur_sid, 0.01, rng),
                        _long(cur_codes, years, typed, cur_sid, 0.02, rng)], ignore_index=True)

    crit_nos = np.sort(criteria["criterion_no"].unique())
    st = _criteria_status(criteria, ntm, rng)
    labels = np.array([vocab.NOT_REACHED, vocab.REACHED, vocab.NOT_APPLICABLE, None], dtype=object)
    nu, nc, ny = st.shape
    criteria_status = pd.DataFrame({
        "unit_code": np.repeat(cur_codes, nc * ny),
        "year": np.tile(np.asarray(years), nu * nc),
        "criterion_no": np.tile(np.repeat(crit_nos, ny), nu),
        "status": labels[st.ravel()],
        "submission_id": np.repeat(cur_sid, nc * ny),
    })

    cur_units = units.iloc[cur_idx].reset_index(drop=True)
    proposals = _proposals(cur_units, cur_sid, outline, rng)
    narratives = pd.DataFrame({"submission_id": cur_sid, "unit_code": cur_codes, "section_code": "I",
                               "text": "Nội dung đánh giá mẫu (dữ liệu mẫu)."})
    info = pd.DataFrame({"submission_id": np.repeat(cur_sid, 2), "unit_code": np.repeat(cur_codes, 2),
                         "key": np.tile(["preparer_name", "report_date"], len(cur_sid)),
                         "value": np.tile(["Người lập mẫu", "15/02/2021"], len(cur_sid))})
    latest_bad = subs[subs["is_latest"] & (subs["status"] == "rejected")]
    problems = pd.DataFrame({
        "submission_id": latest_bad["submission_id"].to_numpy(), "unit_code": latest_bad["unit_code"].to_numpy(),
        "sheet": "VanDong", "cell": "D14", "rule": "ge", "severity": "error",
        "message": "Giá trị phải lớn hơn hoặc bằng 0 (dữ liệu mẫu)", "value": "-5",
    })
    return Dataset(
        outline=outline, criteria=criteria, levels=levels, units=units, unit_years=uy, submissions=subs,
        values=values, criteria_status=criteria_status, problems=problems, proposals=proposals,
        narratives=narratives, info=info, deadline=outline.deadline,
        data_version=f"synthetic-{n_units}-{n_districts}-{n_provinces}-{seed}",
        meta={"synthetic": True, "seed": seed, "n_units": n_units, "n_districts": n_districts,
              "n_provinces": n_provinces},
    )


# --------------------------------------------------------------------------- real workbooks for real units


@dataclass
class SyntheticWorkbooks:
    """What :func:`synthetic_workbooks` wrote: the workbooks, the manifest of received dates, the units."""

    paths: list[Path]
    manifest: Path
    units: pd.DataFrame


def synthetic_units(n_units: int, *, province_code: str | int | None = None, seed: int = 0) -> pd.DataFrame:
    """``n_units`` real units of the registry, in whole districts, of one province or of the whole country.

    Method: the districts (of ``province_code``, or of every province) are
    put in a seeded random order and taken whole until ``n_units`` units are
    reached; the last district taken is cut to fit. Same arguments, same
    units. Columns as :func:`nrlib.load_units`, sorted by unit code.
    """
    from nrlib.reference import load_province_units, load_units, registry_divisions

    if n_units < 1:
        raise ValueError("n_units must be at least 1")
    provinces = registry_divisions()
    if province_code is not None:
        code = int(load_province_units(province_code)["province_code"].iloc[0])  # the registry's error if unknown
        provinces = [p for p in provinces if p["code"] == code]
    sizes = {f"{d['code']:03d}": len(d["wards"]) for p in provinces for d in p["districts"] if d["wards"]}
    if n_units > sum(sizes.values()):
        where = f"province {province_code}" if province_code is not None else "the country"
        raise ValueError(f"{where} has {sum(sizes.values())} units, fewer than n_units={n_units}")
    districts = sorted(sizes)
    chosen, total = [], 0
    for i in np.random.default_rng([seed, 738]).permutation(len(districts)):
        chosen.append(districts[i])
        total += sizes[districts[i]]
        if total >= n_units:
            break
    units = pd.concat([load_units(d) for d in chosen], ignore_index=True).head(n_units)
    return units.sort_values("unit_code", ignore_index=True)


def _write_one(task: tuple) -> Path:
    from nrlib.workbooks.template import write_workbook

    path, unit, content, levels, banner = task
    return write_workbook(path, unit, content=content, levels=levels, banner=banner)


def synthetic_workbooks(out_dir: str | Path, n_units: int, seed: int = 0, *, province_code: str | int | None = None,
                        versions: int = 1, missing: bool = True, workers: int = 1) -> SyntheticWorkbooks:
    """Write filled workbooks (marked DỮ LIỆU MẪU) for ``n_units`` real units across real districts.

    Parameters
    ----------
    out_dir : str or Path
        Output folder; ``received.csv`` (``file_name, unit_code,
        received_date``) is written beside the workbooks.
    n_units : int
        Units taken by :func:`synthetic_units` (a province's, or the
        country's with ``province_code=None``).
    seed : int
        Same arguments, same workbooks (cell by cell) and manifest.
    versions : int
        Workbooks per unit: version ``k`` is the sample content of seed
        ``seed + k - 1``, received ``k - 1`` days after the first, named
        ``<code>_v<k>_<slug>.xlsx`` (one version: the template's name).
    missing : bool
        Leave out each district's unit that sends nothing (as ``nrlib sample`` does).
    workers : int
        Processes writing in parallel (openpyxl writing is the slow part).

    Method: per district and version, :func:`nrlib.workbooks.sample.sample_content`'s
    generator (each unit's data from its own seeded generator, the
    district's deliberate imperfections, the levels that apply), written by
    :func:`nrlib.workbooks.template.write_workbook`, exactly like ``nrlib sample``.
    """
    import concurrent.futures as cf
    import csv
    import multiprocessing

    from nrlib.workbooks.sample import MANIFEST_NAME, data_note, generate
    from nrlib.workbooks.template import template_filename

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    outline = load_outline()
    banner = data_note(outline)
    units = synthetic_units(n_units, province_code=province_code, seed=seed)
    tasks, rows = [], []
    for _, group in units.groupby("district_code", sort=True):
        group = group.reset_index(drop=True)
        for k in range(1, versions + 1):
            contents, received, levels, roles = generate(group, seed + k - 1, outline)
            for unit in group.to_dict("records"):
                code = unit["unit_code"]
                if missing and code == roles["missing"]:
                    continue
                name = template_filename(unit)
                if versions > 1:
                    name = f"{code}_v{k}_" + name.split("_", 1)[1]
                day = received.get(code, outline.deadline) + dt.timedelta(days=k - 1)
                tasks.append((out / name, unit, contents[code], levels[code], banner))
                rows.append({"file_name": name, "unit_code": code, "received_date": day.isoformat()})
    if workers > 1 and len(tasks) > 1:
        ctx = multiprocessing.get_context(config.start_method("forkserver"))
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            paths = list(pool.map(_write_one, tasks, chunksize=max(1, len(tasks) // (4 * workers))))
    else:
        paths = [_write_one(t) for t in tasks]
    manifest = out / MANIFEST_NAME
    with open(manifest, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file_name", "unit_code", "received_date"])
        w.writeheader()
        w.writerows(rows)
    return SyntheticWorkbooks(paths=paths, manifest=manifest, units=units)
