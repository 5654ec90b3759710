"""nrlib: communes' 5-year review workbooks → validated data → analysis → offline HTML reports.

The public API is available from the package (``nrlib.load_units(738)``) but
each name is imported from its module on first use, so ``import nrlib`` and
the command line stay fast whatever the analyses import.
"""

from __future__ import annotations

import importlib

from .exceptions import NrlibError, ReferenceDataError, StoreError, UnknownDistrictError, UnknownUnitError

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    # reference data
    "find_unit": "reference", "load_criteria": "reference", "load_criteria_levels": "reference",
    "load_outline": "reference", "load_province_units": "reference", "load_unit_history": "reference",
    "load_units": "reference", "resolve_levels": "reference", "unit_years": "reference",
    # workbooks
    "cell_address": "layout", "template_filename": "workbook", "write_templates": "workbook",
    "write_workbook": "workbook", "sample_content": "sample", "write_sample": "sample",
    # ingest and the store
    "ingest_files": "ingest", "ingest_sample_folder": "ingest", "validate_workbook": "validate",
    "load_dataset": "store", "open_store": "store", "export_tables": "export", "register_export": "export",
    # analysis
    "analysis_tables": "analysis_exports", "campaign_totals": "campaign", "per_household": "campaign",
    "classify_maintenance": "maintenance", "criteria_at_risk": "maintenance", "Sentence": "narrative",
    "district_sentences": "narrative", "unit_sentences": "narrative", "completeness": "quality",
    "quality_flags": "quality", "commendation_ranking": "ranking", "proposals_table": "ranking",
    "ranking_method_text": "ranking", "criteria_matrix": "results", "criteria_reached": "results",
    "synthetic_dataset": "synthetic", "synthetic_units": "synthetic", "synthetic_workbooks": "synthetic",
    "declared_vs_measured": "thresholds", "threshold_checks": "thresholds",
    # reports
    "build_reports": "reports", "build_demo_reports": "reports",
}

__all__ = ["NrlibError", "ReferenceDataError", "StoreError", "UnknownDistrictError", "UnknownUnitError",
           *sorted(_API)]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'nrlib' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
