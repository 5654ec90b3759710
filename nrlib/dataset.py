"""The tidy tables every analysis reads: the contract between the store and the analyses.

The store (``nrlib.store``) produces a :class:`Dataset` from the latest accepted
version of each unit's submission; tests build one by hand from small frames.
Analyses are pure functions of a ``Dataset`` (or of its frames) and never touch
the store, files or the network.

Codes are strings (``unit_code`` ``"26308"``, ``indicator_code`` ``"17.1"``,
metric codes ``"VD11"``); years are ints; criterion status values are
``reached``, ``not_reached``, ``not_applicable`` (labels Đạt / Chưa đạt /
Không áp dụng live in the outline).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from nrlib.reference import Outline

#: required columns of each table (more columns are allowed)
COLUMNS: dict[str, list[str]] = {
    "units": ["unit_code", "name", "unit_type", "district_code", "district_name", "province_code",
              "province_name", "region_code"],
    "unit_years": ["unit_code", "year", "name", "unit_type", "ntm_applies"],
    "submissions": ["submission_id", "unit_code", "version", "file_name", "sha256", "size_bytes",
                    "received_date", "status", "n_errors", "n_warnings", "is_sample", "outline_version"],
    # one row per unit x year x data element; data_element is a VanDong metric
    # code (VD01..) or a typed ChiTieu indicator code ("10", "15.1", ...)
    "values": ["unit_code", "year", "data_element", "value", "submission_id"],
    # status is None where the cell was left blank
    "criteria_status": ["unit_code", "year", "criterion_no", "status", "submission_id"],
    "problems": ["submission_id", "unit_code", "sheet", "cell", "rule", "severity", "message", "value"],
    "proposals": ["submission_id", "unit_code", "seq", "kind", "name", "address", "achievement", "award_form"],
    "narratives": ["submission_id", "unit_code", "section_code", "text"],
    "info": ["submission_id", "unit_code", "key", "value"],
}
#: columns a table may have beyond :data:`COLUMNS`: the store reads them, analyses use them where present
#: (proposals of an outline version 2 workbook: đối tượng, năm sinh, giới tính, earlier awards)
PROPOSAL_DETAILS = ["subject", "birth_year", "gender", "earlier_awards"]

#: tables a Dataset may hold (empty when not given): a unit's declared status of each criterion of the urban
#: standard ("văn minh đô thị", :mod:`nrlib.analysis.urban`) in each year, for outlines that collect it
OPTIONAL_COLUMNS: dict[str, list[str]] = {
    "urban_status": ["unit_code", "year", "criterion_code", "status", "submission_id"],
    # the partners' latest accepted workbooks (nrlib.reference.partners): the coordination office's official
    # status of each criterion (statuses as in criteria_status) and its recognitions (title ntm, ntm_advanced,
    # ntm_model); the culture committee's counts, by the outline metric each states (VD11, VD15, VD16, VD17)
    "official_status": ["unit_code", "year", "criterion_no", "status", "submission_id"],
    "recognitions": ["unit_code", "title", "year", "decision_no", "decision_date", "submission_id"],
    "official_values": ["unit_code", "year", "data_element", "value", "submission_id"],
}

@dataclass
class Dataset:
    """Everything known about one set of units (a district, a province) for the period.

    Attributes
    ----------
    outline : Outline
        The submission outline (years, metrics, rates, derived indicators).
    criteria : DataFrame
        The criteria set (:func:`nrlib.load_criteria`).
    levels : DataFrame
        Levels that apply to these units (:func:`nrlib.resolve_levels`),
        one row per indicator and year with a known numeric level.
    units, unit_years : DataFrame
        The expected units (every unit of the scope, whether it submitted or
        not) and their name/type per year.
    submissions : DataFrame
        Every received version (accepted or rejected), with ``is_latest``
        (the latest version of its unit) and ``is_current`` (the latest
        *accepted* version, the one analyses use).
    values, criteria_status, proposals, narratives, info : DataFrame
        Content of the current (latest accepted) submission of each unit.
    urban_status : DataFrame, optional
        The current submission's declared status of each criterion of the
        urban standard (``criterion_code`` ``"VM1"`` …, statuses as in
        ``criteria_status``); empty when the outline has no such sheet (v1).
    official_status, recognitions, official_values : DataFrame, optional
        The partners' latest accepted workbooks: the coordination office's
        official status per unit, year and criterion (where both it and the
        unit's declaration exist, the official one is counted:
        :func:`nrlib.analysis.results.counted_status`) and recognitions; the
        culture committee's counts (``data_element`` the outline metric each
        states). Empty when no partner has sent one: every analysis is then
        the declarations' alone. ``meta["partners"]`` lists those workbooks.
    problems : DataFrame
        Problems of each unit's latest version (accepted or rejected).
    deadline : date
        Submission deadline for timeliness.
    data_version : str
        Identifies the data an output was computed from (the store's last
        change), recorded with every report.
    """

    outline: Outline
    criteria: pd.DataFrame
    levels: pd.DataFrame
    units: pd.DataFrame
    unit_years: pd.DataFrame
    submissions: pd.DataFrame
    values: pd.DataFrame
    criteria_status: pd.DataFrame
    problems: pd.DataFrame
    proposals: pd.DataFrame
    narratives: pd.DataFrame
    info: pd.DataFrame
    deadline: dt.date
    data_version: str = ""
    meta: dict = field(default_factory=dict)
    urban_status: pd.DataFrame | None = None
    official_status: pd.DataFrame | None = None
    recognitions: pd.DataFrame | None = None
    official_values: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        for name in OPTIONAL_COLUMNS:
            if getattr(self, name) is None:
                setattr(self, name, empty_frame(name))
        for name, cols in (COLUMNS | OPTIONAL_COLUMNS).items():
            df = getattr(self, name)
            missing = [c for c in cols if c not in df.columns]
            if missing:
                raise ValueError(f"Dataset.{name} lacks columns {missing}")

    @property
    def years(self) -> list[int]:
        return self.outline.years

    @property
    def is_sample(self) -> bool:
        """True when any current submission is marked as sample data (DỮ LIỆU MẪU)."""
        cur = self.submissions
        if "is_current" in cur.columns:
            cur = cur[cur["is_current"]]
        return bool(cur["is_sample"].any()) if len(cur) else False

    def for_units(self, unit_codes) -> "Dataset":
        """A copy restricted to some units (expected units included)."""
        codes = set(unit_codes)
        kw = {name: getattr(self, name) for name in ("outline", "criteria", "levels", "deadline", "data_version")}
        kw["meta"] = dict(self.meta)
        for name in (*COLUMNS, *OPTIONAL_COLUMNS):
            df = getattr(self, name)
            kw[name] = df[df["unit_code"].isin(codes)].reset_index(drop=True)
        return Dataset(**kw)


def empty_frame(name: str) -> pd.DataFrame:
    """An empty table with the columns of ``name`` (for tests and empty stores)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in (COLUMNS | OPTIONAL_COLUMNS)[name]})
