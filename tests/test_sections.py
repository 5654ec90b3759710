"""What both reports share: analyses run once, methodology and levels, ratios of sums."""

from __future__ import annotations

import pandas as pd
import pytest
import report_fixtures as rf
from report_fixtures import ds, report_params  # noqa: F401 (ds: a fixture)

from nrlib.core.vnformat import fmt_data_version
from nrlib.reports import sections
from nrlib.reports.district import DistrictReport
from nrlib.reports.unit import UnitReport


def test_run_analyses_once_shared_by_reports(ds):
    a = sections.run_analyses(ds)
    assert set(sections.ANALYSES) <= set(a)
    u = UnitReport(ds, report_params("unit", rf.XSS_UNIT), a)
    d = DistrictReport(ds, report_params("district", rf.DISTRICT), a)
    assert u.matrix is d.matrix is a["matrix"]  # computed once, not per report


def test_levels_and_methodology(ds):
    r = UnitReport(ds, report_params("unit", rf.XSS_UNIT))
    m = r.methodology()
    assert "Mức đạt chuẩn dùng để đối chiếu số liệu" in m and "Đông Nam Bộ" in m  # scope shown by name
    assert "≥ 59 triệu đồng/người" in m  # indicator 10's level in 2020 (Đông Nam Bộ)
    assert "Chỉ tiêu chưa biết mức đạt chuẩn" in m and "2016–2020" in m  # years as ranges
    assert "tổng tử số và tổng mẫu số" in m and fmt_data_version(ds.data_version) in m


def test_district_per_household_is_a_ratio_of_sums(ds):
    d = DistrictReport(ds, report_params("district", rf.DISTRICT))
    got = d._district_per_household().set_index("code")["per_household"]
    v = ds.values.assign(value=pd.to_numeric(ds.values["value"]))
    hh = v[(v["data_element"] == "VD11") & (v["year"] == 2020)].set_index("unit_code")["value"]
    money = v[v["data_element"] == "VD01"].groupby("unit_code")["value"].sum()
    both = money.index.intersection(hh.index)
    assert got["VD01"] == pytest.approx(money[both].sum() / hh[both].sum())
    assert got["VD01"] != pytest.approx((money[both] / hh[both]).mean())  # not the mean of ratios
