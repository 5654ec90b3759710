"""Builders shared by the report tests (test_reports, test_report_browser, test_sections, test_report_*).

Costly things are built once per test session and cached here (a plain
module, so the cache is shared across test modules without touching
``conftest.py``):

* :func:`sample_store` — the Thống Nhất sample (seed 2021) ingested into a
  store, with one unit's workbook rewritten so that its narrative and a
  commendation proposal hold HTML/script payloads (:data:`XSS_PAYLOADS`);
* :func:`sample_reports` — one real ``nrlib reports`` run on that store: the
  payload unit, the unit that sent nothing, a unit that fails, the district.

The section tests (test_report_unit, test_report_district, test_sections)
also share the module-scoped fixtures ``ds`` (the sample's Dataset),
``analyses`` and ``roles`` — a test module gets them by importing them — and
the helpers :func:`report_params`, :func:`all_html` and :func:`all_figures`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DISTRICT = "738"
SEED = 2021
#: the unit whose workbook carries the payloads (present in the 738 sample)
XSS_UNIT = "26308"
#: text a commune could type into its workbook to attack the report
XSS_PAYLOADS = ('<script>window.__xss = 1</script>', '<img src=x onerror="window.__xss = 2">',
                '<a href="javascript:window.__xss=3">bấm</a>')

_cache: dict[str, object] = {}


def sample_store(sample_dir: Path, root: Path) -> Path:
    """The sample ingested into ``root/nrlib.duckdb`` (built once per session)."""
    if "store" in _cache:
        return _cache["store"]
    from nrlib.ingest import ingest_sample_folder
    from nrlib.reference import load_outline, load_units
    from nrlib.workbooks.sample import sample_content
    from nrlib.workbooks.template import template_filename, write_workbook

    work = root / "sample"
    shutil.copytree(sample_dir, work)
    units = load_units(DISTRICT)
    unit = units[units["unit_code"] == XSS_UNIT].iloc[0].to_dict()
    content = sample_content(units, SEED)[XSS_UNIT]
    text = "\n".join(XSS_PAYLOADS)
    content["narratives"] = {**content["narratives"], "I": text, "VI": "Dòng 1\nDòng 2 & <b>không đậm</b>"}
    content["proposals"] = [dict(content["proposals"][0], achievement=text)] + list(content["proposals"][1:])
    write_workbook(work / template_filename(unit), unit, outline=load_outline(), content=content)
    _cache["store"] = Path(ingest_sample_folder(work, db_path=root / "nrlib.duckdb"))
    return _cache["store"]


def foreign_unit() -> tuple[str, str]:
    """A unit of the registry outside the sample's district: its report must fail (not in the store)."""
    from nrlib.reference import load_province_units, load_units

    here = load_units(DISTRICT)
    others = load_province_units(here["province_code"].iloc[0])
    other = others[others["district_code"] != DISTRICT].iloc[0]
    return str(other["unit_code"]), str(other["name"])


def sample_reports(db: Path, out: Path) -> dict:
    """One real ``nrlib reports`` run on the sample store (built once per session).

    Reports: the payload unit, the unit that sent nothing, a unit of another
    district (fails: not in the store; a stale HTML of it is planted first)
    and the district — four kernel runs on 2 workers. The plan is fixed by
    patching ``plan_reports`` (the CLI would refuse no such mix by itself).
    Returns ``exit``, ``stdout``, ``stderr``, ``out``, ``results`` (the
    index page's records), ``missing`` and ``foreign`` codes.
    """
    if "reports" in _cache:
        return _cache["reports"]
    import contextlib
    import io
    import json
    import re
    from unittest import mock

    from nrlib import cli
    from nrlib.reference import load_units
    from nrlib.reports import batch
    from nrlib.reports.jobs import ReportJob
    from nrlib.workbooks.sample import sample_roles

    missing = sample_roles(load_units(DISTRICT))["missing"]
    foreign, foreign_name = foreign_unit()
    jobs = batch.plan_reports(db, [XSS_UNIT, missing], district=True, out_dir=out)
    jobs.insert(2, ReportJob("unit", foreign, foreign_name, dict(jobs[0].parameters, unit_code=foreign), out))
    stale = jobs[2].html_path
    stale.parent.mkdir(parents=True, exist_ok=True)
    (out / ".nrlib-reports").write_text("an earlier run's folder", encoding="utf-8")
    stale.write_text("an old report", encoding="utf-8")
    o, e = io.StringIO(), io.StringIO()
    with mock.patch.object(batch, "plan_reports", return_value=jobs), contextlib.redirect_stdout(o), \
            contextlib.redirect_stderr(e):
        code = cli.main(["reports", "--db", str(db), "--jobs", "2", "--out", str(out)])
    index = (out / "index.html").read_text(encoding="utf-8")
    record = json.loads(re.search(r'id="nrlib-report">(.*?)</script>', index, re.S).group(1))
    _cache["reports"] = {"exit": code, "stdout": o.getvalue(), "stderr": e.getvalue(), "out": out,
                         "results": record["reports"], "missing": missing, "foreign": foreign, "stale": stale}
    return _cache["reports"]


def load_sample_dataset(db: Path):
    if "dataset" not in _cache:
        from nrlib.store import load_dataset

        _cache["dataset"] = load_dataset(db)
    return _cache["dataset"]


# ----------------------------------------------------------------------------- the section tests' fixtures


@pytest.fixture(scope="module")
def ds(sample_dir, tmp_path_factory):
    db = sample_store(sample_dir, tmp_path_factory.mktemp("report-store"))
    return load_sample_dataset(db)


@pytest.fixture(scope="module")
def analyses(ds):
    from nrlib.reports import sections

    return sections.run_analyses(ds)


@pytest.fixture(scope="module")
def roles():
    from nrlib.reference import load_units
    from nrlib.workbooks.sample import sample_roles

    return sample_roles(load_units(DISTRICT))


def report_params(kind: str, code: str, personal: bool = False):
    """The ReportParameters of a unit or district report on the sample, without a store path or deadline."""
    from nrlib.reports.params import ReportParameters

    return ReportParameters(kind=kind, code=code, district_code=DISTRICT, unit_code=code if kind == "unit" else None,
                            db_path="unused", deadline=None, include_personal_data=personal)


UNIT_SECTIONS = ["header", "key_figures", "criteria_scorecard", "maintenance", "campaign_table",
                 "per_household_table", "data_quality", "narrative", "proposals", "methodology"]
DISTRICT_SECTIONS = ["header", "key_figures", "units_table", "campaign_table", "criteria_at_risk", "scoring",
                     "timeliness", "proposals", "methodology"]


def all_html(report, names) -> str:
    return "\n".join(getattr(report, n)() for n in names)


def all_figures(report) -> list:
    from nrlib.reports.unit import UnitReport

    if isinstance(report, UnitReport):
        figs = [report.criteria_trend_figure(), *report.campaign_figures(), report.per_household_figure()]
    else:
        figs = [*report.units_figures(), *report.campaign_figures(), report.timeliness_figure()]
    return [f for f in figs if f is not None]
