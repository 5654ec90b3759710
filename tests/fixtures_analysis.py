"""A small hand-made Dataset for the analysis tests; every number below is chosen to be worked out by hand.

Units (Thống Nhất codes, region Đông Nam Bộ):

* ``A`` 26308 Xã Gia Kiệm — large: 10.000 households in 2016, 10.400 in 2020;
* ``B`` 26302 Xã Gia Tân 2 — small: 500 households (800 typed in 2019, a jump);
* ``C`` 26326 — xã Xuân Thạnh 2016-2018, thị trấn Dầu Giây 2019-2020: the NTM
  criteria do not apply in 2019-2020 (it even declares 2020 "not_reached" for
  criterion 10, which must not count as a loss);
* ``D`` 26299 Xã Gia Tân 1 — sent nothing (only with ``with_missing_unit``).

:func:`make_town_dataset` adds C's urban years' data (cultural families, khu phố, declared urban statuses): the
table is in ``test_urban``'s docstring.

Criteria: only 10, 11, 15 and 17 (groups III and IV). Declared statuses:

====  =========  =================  ==========================  =====================
crit  A          B                  C (2019-20 not applicable)  expected class A/B/C
====  =========  =================  ==========================  =====================
10    R R R R R  N N N N N          R R R na N(declared)        kept / never / kept
11    N N R R R  R R R R R          R R R na na                 gained / kept / kept
15    R R N N R  R - R R R          N R R na na                 lost_and_regained /
                                                                kept (2017 missing) /
                                                                gained
17    R R R R N  - - - - -          R N R na na                 lost / no_data /
                                                                lost_and_regained
====  =========  =================  ==========================  =====================
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

import nrlib
from nrlib.dataset import Dataset, empty_frame

A, B, C, D = "26308", "26302", "26326", "26299"
YEARS = [2016, 2017, 2018, 2019, 2020]
CRITERIA = [10, 11, 15, 17]
SID = {A: 1, B: 3, C: 4}  # current submission of each unit (B's version 1, id 2, was rejected)

_UNITS = [
    (A, "Xã Gia Kiệm", "xa"), (B, "Xã Gia Tân 2", "xa"), (C, "Thị trấn Dầu Giây", "thi_tran"),
    (D, "Xã Gia Tân 1", "xa"),
]

_STATUS = {
    A: {10: "RRRRR", 11: "NNRRR", 15: "RRNNR", 17: "RRRRN"},
    B: {10: "NNNNN", 11: "RRRRR", 15: "R-RRR", 17: "-----"},
    C: {10: "RRRaN", 11: "RRRaa", 15: "NRRaa", 17: "RNRaa"},
}
_CODE = {"R": "reached", "N": "not_reached", "a": "not_applicable", "-": None}

# campaign metrics: unit -> code -> values 2016..2020 (None: blank cell)
_METRICS = {
    A: {"VD11": [10000, 10100, 10200, 10300, 10400], "VD12": [300, 250, 200, 150, 104],
        "VD01": [1000, 1000, 1000, 1000, 1000], "VD02": [500, 500, 500, 500, None],
        "VD19": [None, None, None, None, 9880]},
    B: {"VD11": [500, 500, 500, 800, 500], "VD12": [50, 40, 30, 20, 10],
        "VD01": [100, 100, 100, 100, 100], "VD02": [50, 50, 50, 50, 50],
        "VD19": [None, None, None, None, 495]},
    C: {"VD11": [2000, 2000, 2000, 2100, 2200], "VD12": [40, None, None, None, 22],
        "VD01": [200, 200, 200, 200, 200], "VD02": [0, 0, 0, 0, 0]},
}
# typed ChiTieu indicators: (unit, year, indicator, value)
_TYPED = [(A, 2019, "10", 50.0), (A, 2020, "10", 55.0), (A, 2020, "15.1", 90.0),
          (B, 2020, "15.3", 15.0), (B, 2018, "15.1", 80.0), (C, 2019, "15.3", 20.0)]

# levels for region Đông Nam Bộ (scope "dnb"), as resolve_levels returns them
_LEVELS = ([("10", 2020, "≥", 59.0)] + [("15.1", y, "≥", 85.0) for y in YEARS]
           + [("15.3", y, "≤", 14.3) for y in YEARS] + [("17.1", y, "≥", 98.0) for y in YEARS])


def make_dataset(with_missing_unit: bool = False, b_district: str | None = None) -> Dataset:
    """The hand-made dataset; ``b_district`` moves unit B to another district (for roll-ups)."""
    outline = nrlib.load_outline()
    criteria = nrlib.load_criteria()
    criteria = criteria[criteria["criterion_no"].isin(CRITERIA)].reset_index(drop=True)
    rows = _UNITS if with_missing_unit else _UNITS[:3]
    units = pd.DataFrame([{
        "unit_code": code, "name": name, "unit_type": utype, "district_code": "738", "district_name": "Thống Nhất",
        "province_code": "75", "province_name": "Đồng Nai", "region_code": "dnb",
    } for code, name, utype in rows])
    if b_district:
        units.loc[units["unit_code"] == B, ["district_code", "district_name"]] = [b_district, "Huyện Thử"]
    unit_years = pd.DataFrame([{
        "unit_code": code, "year": y,
        "name": ("Xã Xuân Thạnh" if code == C and y < 2019 else name),
        "unit_type": ("xa" if code != C or y < 2019 else "thi_tran"),
        "ntm_applies": not (code == C and y >= 2019),
    } for code, name, _ in rows for y in YEARS])
    submissions = pd.DataFrame([
        (1, A, 1, dt.date(2021, 2, 10), "accepted", 0, True, True),
        (2, B, 1, dt.date(2021, 2, 20), "rejected", 3, False, False),
        (3, B, 2, dt.date(2021, 2, 25), "accepted", 0, True, True),
        (4, C, 1, dt.date(2021, 2, 18), "accepted", 0, True, True),
    ], columns=["submission_id", "unit_code", "version", "received_date", "status", "n_errors", "is_latest",
                "is_current"])
    submissions["file_name"] = submissions["unit_code"] + ".xlsx"
    submissions["sha256"] = "0" * 64
    submissions["size_bytes"] = 50_000
    submissions["n_warnings"] = 0
    submissions["is_sample"] = False
    submissions["outline_version"] = outline.version

    values = [{"unit_code": u, "year": y, "data_element": code, "value": float(v), "submission_id": SID[u]}
              for u, metrics in _METRICS.items() for code, vals in metrics.items()
              for y, v in zip(YEARS, vals) if v is not None]
    values += [{"unit_code": u, "year": y, "data_element": code, "value": v, "submission_id": SID[u]}
               for u, y, code, v in _TYPED]
    status = [{"unit_code": u, "year": y, "criterion_no": c, "status": _CODE[s[i]], "submission_id": SID[u]}
              for u, crit in _STATUS.items() for c, s in crit.items() for i, y in enumerate(YEARS)]
    levels = pd.DataFrame(_LEVELS, columns=["indicator_code", "year", "comparison", "level"])
    levels["scope"], levels["confidence"], levels["source"] = "dnb", "V", "test"
    proposals = pd.DataFrame([
        (1, A, 1, "collective", "Ấp 1, xã Gia Kiệm", "Ấp 1", "Dẫn đầu phong trào", "district_certificate"),
        (1, A, 2, "individual", "Nguyễn Văn An", "Ấp 2", "Hiến 500 m² đất làm đường", "mttq_district_certificate"),
        (3, B, 1, "Cá nhân", "Trần Thị Bình", "Ấp 3", "Vận động 50 hộ", "Giấy khen của Chủ tịch UBND xã"),
    ], columns=["submission_id", "unit_code", "seq", "kind", "name", "address", "achievement", "award_form"])
    return Dataset(
        outline=outline, criteria=criteria, levels=levels, units=units, unit_years=unit_years,
        submissions=submissions, values=pd.DataFrame(values), criteria_status=pd.DataFrame(status),
        problems=empty_frame("problems"), proposals=proposals, narratives=empty_frame("narratives"),
        info=empty_frame("info"), deadline=dt.date(2021, 2, 18), data_version="test",
    )


def make_town_dataset(declare: bool = True, typed: bool = True) -> Dataset:
    """:func:`make_dataset` with the town's urban data of ``test_urban`` (its docstring has the table): cultural
    families and khu phố of Dầu Giây in 2019-2020, its declared urban statuses (``declare``) and a typed VM2.3
    (``typed``); a xã's stray urban row that must be ignored."""
    ds = make_dataset()
    extra = [(2019, "VD15", 1470.0), (2020, "VD15", 1980.0), (2020, "VD16", 10.0), (2020, "VD17", 8.0)]
    extra += [(2020, "VM2.3", 70.0)] if typed else []
    values = pd.concat([ds.values, pd.DataFrame([{"unit_code": C, "year": y, "data_element": k, "value": v,
                                                  "submission_id": 4} for y, k, v in extra])], ignore_index=True)
    status = [(C, 2019, "VM1", "reached"), (C, 2019, "VM3", "not_reached"), (C, 2019, "VM4", "not_applicable"),
              *[(C, 2020, f"VM{i}", "reached") for i in range(1, 6)],
              (A, 2020, "VM1", "not_reached")]  # a xã's stray row: a xã has no urban year
    kw = {k: getattr(ds, k) for k in ("outline", "criteria", "levels", "units", "unit_years", "submissions",
                                       "criteria_status", "problems", "proposals", "narratives", "info", "deadline")}
    us = pd.DataFrame(status, columns=["unit_code", "year", "criterion_code", "status"]).assign(submission_id=4)
    return Dataset(**kw, values=values, urban_status=us if declare else None)


def make_outlier_dataset() -> Dataset:
    """Seven units of 1.000 households; VD01 in 2020 is 10..15 triệu đồng, and 150 for the seventh (×12)."""
    ds = make_dataset()
    codes = [f"9000{i}" for i in range(1, 8)]
    units = pd.DataFrame([{"unit_code": c, "name": f"Xã {i}", "unit_type": "xa", "district_code": "738",
                           "district_name": "Thống Nhất", "province_code": "75", "province_name": "Đồng Nai",
                           "region_code": "dnb"} for i, c in enumerate(codes, 1)])
    uy = pd.DataFrame([{"unit_code": c, "year": y, "name": f"Xã {i}", "unit_type": "xa", "ntm_applies": True}
                       for i, c in enumerate(codes, 1) for y in YEARS])
    vd01 = [10, 11, 12, 13, 14, 15, 150]
    values = pd.DataFrame(
        [{"unit_code": c, "year": 2020, "data_element": "VD11", "value": 1000.0, "submission_id": i}
         for i, c in enumerate(codes, 1)]
        + [{"unit_code": c, "year": 2020, "data_element": "VD01", "value": float(v), "submission_id": i}
           for i, (c, v) in enumerate(zip(codes, vd01), 1)])
    return Dataset(outline=ds.outline, criteria=ds.criteria, levels=ds.levels, units=units, unit_years=uy,
                   submissions=empty_frame("submissions"), values=values,
                   criteria_status=empty_frame("criteria_status"),
                   problems=empty_frame("problems"), proposals=empty_frame("proposals"),
                   narratives=empty_frame("narratives"), info=empty_frame("info"), deadline=ds.deadline)
