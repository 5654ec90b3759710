"""nrlib: communes' 5-year review workbooks → validated data → analysis → offline HTML reports.

The public API is re-exported here; see the README for the workflow.
"""

from .exceptions import NrlibError, ReferenceDataError, StoreError, UnknownDistrictError, UnknownUnitError
from .reference import (
    find_unit,
    load_criteria,
    load_criteria_levels,
    load_outline,
    load_province_units,
    load_unit_history,
    load_units,
    resolve_levels,
    unit_years,
)

from .analysis_exports import analysis_tables
from .campaign import campaign_totals, per_household
from .maintenance import classify_maintenance, criteria_at_risk
from .narrative import Sentence, district_sentences, unit_sentences
from .quality import completeness, quality_flags
from .ranking import commendation_ranking, proposals_table, ranking_method_text
from .results import criteria_matrix, criteria_reached
from .synthetic import synthetic_dataset
from .thresholds import declared_vs_measured, threshold_checks

__version__ = "0.1.0"

__all__ = [
    "NrlibError", "ReferenceDataError", "StoreError", "UnknownDistrictError", "UnknownUnitError",
    "find_unit", "load_criteria", "load_criteria_levels", "load_outline", "load_province_units",
    "load_unit_history", "load_units", "resolve_levels", "unit_years",
    # analysis (modules: results, maintenance, thresholds, campaign, quality, ranking, rollup, narrative)
    "Sentence", "analysis_tables", "campaign_totals", "classify_maintenance", "commendation_ranking", "completeness",
    "criteria_at_risk", "criteria_matrix", "criteria_reached", "declared_vs_measured", "district_sentences",
    "per_household", "proposals_table", "quality_flags", "ranking_method_text", "synthetic_dataset",
    "threshold_checks", "unit_sentences",
]
