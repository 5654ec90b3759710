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
from .sample import sample_content, write_sample
from .workbook import cell_address, template_filename, write_templates, write_workbook

__version__ = "0.1.0"

__all__ = [
    "NrlibError", "ReferenceDataError", "StoreError", "UnknownDistrictError", "UnknownUnitError",
    "find_unit", "load_criteria", "load_criteria_levels", "load_outline", "load_province_units",
    "load_unit_history", "load_units", "resolve_levels", "unit_years",
    "cell_address", "template_filename", "write_templates", "write_workbook", "sample_content", "write_sample",
]
