"""The small hand-built Dataset of the exploration tests (test_explore, test_explore_*).

The Dataset has four units of district 738 whose stories are known:
Gia Kiệm reached every criterion every year; Bàu Hàm 2 lost criterion 5 in
2018 and regained it in 2019, lost criterion 17 in 2020, left criterion 10
blank in 2017 and declared criterion 15 Đạt in 2020 with 15.1 below its
level; Dầu Giây (xã Xuân Thạnh until 2019) reached everything while a
commune and is outside the NTM criteria from 2019; Gia Tân 1 sent nothing.
A test module gets it by importing the ``ds`` fixture.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import nrlib
from nrlib.dataset import Dataset, empty_frame

YEARS = [2016, 2017, 2018, 2019, 2020]
GIA_KIEM, BAU_HAM_2, DAU_GIAY, GIA_TAN_1 = "26308", "26314", "26326", "26299"
HOUSEHOLDS = {GIA_KIEM: [4000, 4100, 4200, 4300, 4400], BAU_HAM_2: [3000, 3000, 3100, 3100, 3200],
              DAU_GIAY: [5000, 5100, 5200, 5300, 5400]}
POOR = {GIA_KIEM: [40, 30, 20, 10, 8], BAU_HAM_2: [60, 50, 40, 40, 32], DAU_GIAY: [50, 40, 30, 20, 10]}
MONEY = {GIA_KIEM: [100.0, 200.0, 300.0, 400.0, 500.0], BAU_HAM_2: [10.0, 20.0, 30.0, 40.0, 50.5],
         DAU_GIAY: [1000.0, 0.0, 0.0, 0.0, 2000.0]}


def _status(unit: str, year: int, no: int) -> str | None:
    if unit == DAU_GIAY and year >= 2019:
        return "not_applicable"
    if unit == BAU_HAM_2:
        if no == 5 and year == 2018:
            return "not_reached"
        if no == 17 and year == 2020:
            return "not_reached"
        if no == 10 and year == 2017:
            return None
    return "reached"


def make_dataset() -> Dataset:
    """The small Dataset of this module's docstring."""
    outline = nrlib.load_outline()
    criteria = nrlib.load_criteria()
    units = nrlib.load_units("738")
    units = units[units["unit_code"].isin([GIA_KIEM, BAU_HAM_2, DAU_GIAY, GIA_TAN_1])].reset_index(drop=True)
    uy = nrlib.unit_years(units, YEARS)
    reporting = [GIA_KIEM, BAU_HAM_2, DAU_GIAY]
    received = {GIA_KIEM: "2021-02-15", BAU_HAM_2: "2021-02-22", DAU_GIAY: "2021-02-18"}
    subs = pd.DataFrame([{
        "submission_id": i + 1, "unit_code": u, "version": 1, "file_name": f"{u}.xlsx", "sha256": "0" * 64,
        "size_bytes": 1000, "received_date": dt.date.fromisoformat(received[u]), "status": "accepted",
        "n_errors": 0, "n_warnings": 0, "is_sample": True, "outline_version": outline.version,
        "is_latest": True, "is_current": True} for i, u in enumerate(reporting)])
    sid = dict(zip(subs["unit_code"], subs["submission_id"]))
    status = [{"unit_code": u, "year": y, "criterion_no": no, "status": _status(u, y, no), "submission_id": sid[u]}
              for u in reporting for y in YEARS for no in range(1, 20)]
    values = []
    for u in reporting:
        for i, y in enumerate(YEARS):
            for code, series in (("VD11", HOUSEHOLDS), ("VD12", POOR), ("VD01", MONEY)):
                values.append({"unit_code": u, "year": y, "data_element": code, "value": float(series[u][i]),
                               "submission_id": sid[u]})
            health = 80.0 if (u == BAU_HAM_2 and y == 2020) else 92.0
            if not (u == DAU_GIAY and y >= 2019):
                values.append({"unit_code": u, "year": y, "data_element": "15.1", "value": health,
                               "submission_id": sid[u]})
    return Dataset(
        outline=outline, criteria=criteria, levels=nrlib.resolve_levels(["738", "75", "dnb"], YEARS),
        units=units, unit_years=uy, submissions=subs, values=pd.DataFrame(values),
        criteria_status=pd.DataFrame(status), problems=pd.DataFrame([{
            "submission_id": sid[BAU_HAM_2], "unit_code": BAU_HAM_2, "sheet": "VanDong", "cell": "D14",
            "rule": "W_OUTLIER", "severity": "warning", "message": "<b>VD12</b> khác xa các đơn vị khác", "value": 60}]),
        proposals=empty_frame("proposals"),
        narratives=empty_frame("narratives"), info=empty_frame("info"), deadline=outline.deadline,
        data_version="test")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return make_dataset()
