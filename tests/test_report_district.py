"""The district report's sections on the ingested sample, without a kernel."""

from __future__ import annotations


import pytest

import report_fixtures as rf
from nrlib import figures, sections
from nrlib.report_district import DistrictReport
from nrlib.report_unit import UnitReport
from nrlib.params import ReportParameters
from nrlib.reference import load_units
from nrlib.sample import sample_roles


@pytest.fixture(scope="module")
def ds(sample_dir, tmp_path_factory):
    db = rf.sample_store(sample_dir, tmp_path_factory.mktemp("report-store"))
    return rf.load_sample_dataset(db)


@pytest.fixture(scope="module")
def analyses(ds):
    return sections.run_analyses(ds)


@pytest.fixture(scope="module")
def roles():
    return sample_roles(load_units(rf.DISTRICT))


def _params(kind: str, code: str, personal: bool = False) -> ReportParameters:
    return ReportParameters(kind=kind, code=code, district_code=rf.DISTRICT, unit_code=code if kind == "unit" else None,
                            db_path="unused", deadline=None, include_personal_data=personal)


UNIT_SECTIONS = ["header", "key_figures", "criteria_scorecard", "maintenance", "campaign_table",
                 "per_household_table", "data_quality", "narrative", "proposals", "methodology"]
DISTRICT_SECTIONS = ["header", "key_figures", "units_table", "campaign_table", "criteria_at_risk", "ranking",
                     "timeliness", "proposals", "methodology"]


def _all_html(report, names) -> str:
    return "\n".join(getattr(report, n)() for n in names)


def _all_figures(report) -> list:
    if isinstance(report, UnitReport):
        figs = [report.criteria_trend_figure(), *report.campaign_figures(), report.per_household_figure()]
    else:
        figs = [*report.units_figures(), *report.campaign_figures(), report.timeliness_figure()]
    return [f for f in figs if f is not None]


def test_district_sections(ds, roles):
    d = DistrictReport(ds, _params("district", rf.DISTRICT))
    units = d.units_table()
    for name in ds.units["name"]:
        assert name in units
    assert "Chưa nộp" in units  # the missing unit is listed, not dropped
    risk = d.criteria_at_risk()
    assert "10. Thu nhập" in risk and "17. " in risk
    t = d.timeliness()
    assert "10 đơn vị phải nộp, đã nộp 9" in t and "trễ hạn 1, chưa nộp 1" in t
    for fig in _all_figures(d):
        figures.check_trace_types(fig)
