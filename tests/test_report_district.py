"""The district report's sections on the ingested sample, without a kernel."""

from __future__ import annotations

import report_fixtures as rf
from report_fixtures import all_figures, ds, report_params, roles  # noqa: F401 (ds, roles: fixtures)

from nrlib.present import figures
from nrlib.reports.district import DistrictReport


def test_district_sections(ds, roles):
    d = DistrictReport(ds, report_params("district", rf.DISTRICT))
    units = d.units_table()
    for name in ds.units["name"]:
        assert name in units
    assert "Chưa nộp" in units  # the missing unit is listed, not dropped
    risk = d.criteria_at_risk()
    assert "10. Thu nhập" in risk and "17. " in risk
    t = d.timeliness()
    assert "10 xã, thị trấn phải nộp, đã nộp 9" in t and "trễ hạn 1, chưa nộp 1" in t
    for fig in all_figures(d):
        figures.check_trace_types(fig)
