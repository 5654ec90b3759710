"""nrlib: communes' 5-year review workbooks → validated data → analysis → offline HTML reports.

The public API is available from the package (``nrlib.load_units(738)``) but
each name is imported from its module on first use, so ``import nrlib`` and
the command line stay fast whatever the analyses import.
"""

from __future__ import annotations


from nrlib.core.lazy import lazy_names
from nrlib.core.version import __version__  # noqa: F401 (nrlib.__version__)
from nrlib.exceptions import NrlibError, ReferenceDataError, StoreError, UnknownDistrictError, UnknownUnitError

# public name -> module that defines it
_API = {
    # reference data
    "find_unit": "reference", "load_criteria": "reference", "load_criteria_levels": "reference",
    "load_outline": "reference", "load_province_units": "reference", "load_unit_history": "reference",
    "load_units": "reference", "resolve_levels": "reference", "unit_years": "reference",
    "load_crosswalk": "reference", "predecessors": "reference", "successors": "reference", "vintages": "reference",
    "unit_history_basis": "reference", "history_unknown": "reference",
    "load_urban_criteria": "reference", "load_urban_levels": "reference",
    # workbooks
    "cell_address": "workbooks.layout", "template_filename": "workbooks.template", "write_templates": "workbooks.template",
    "write_workbook": "workbooks.template", "sample_content": "workbooks.sample", "write_sample": "workbooks.sample",
    # ingest and the store
    "ingest_files": "ingest", "ingest_sample_folder": "ingest", "validate_workbook": "intake.validate",
    "load_dataset": "store", "open_store": "store", "export_tables": "export", "register_export": "export",
    # analysis
    "analysis_tables": "analysis.tables", "campaign_totals": "analysis.campaign", "per_household": "analysis.campaign",
    "classify_maintenance": "analysis.maintenance", "criteria_at_risk": "analysis.maintenance", "Sentence": "present.narrative",
    "district_sentences": "present.narrative", "unit_sentences": "present.narrative", "completeness": "analysis.quality",
    "quality_flags": "analysis.quality", "commendation_ranking": "analysis.ranking", "proposals_table": "analysis.ranking",
    "ranking_method_text": "analysis.ranking", "unit_scores": "analysis.scoring", "content_scores": "analysis.scoring",
    "rule_points": "analysis.scoring", "scoring_method_text": "analysis.scoring", "criteria_matrix": "analysis.results", "criteria_reached": "analysis.results",
    "synthetic_dataset": "workbooks.synthetic", "synthetic_units": "workbooks.synthetic", "synthetic_workbooks": "workbooks.synthetic",
    "declared_vs_measured": "analysis.thresholds", "threshold_checks": "analysis.thresholds",
    "successor_history": "analysis.crosswalk",
    "urban_checks": "analysis.urban", "urban_matrix": "analysis.urban", "urban_reached": "analysis.urban",
    # reports
    "build_reports": "reports.batch", "build_demo_reports": "reports.batch",
}

__all__ = ["NrlibError", "ReferenceDataError", "StoreError", "UnknownDistrictError", "UnknownUnitError",
           *sorted(_API)]


__getattr__, __dir__ = lazy_names(__name__, _API)
