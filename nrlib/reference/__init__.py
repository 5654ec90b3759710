"""Reference data: the criteria set, the submission outline and the unit registry.

Everything here is read from files under ``data/reference`` (see
:func:`nrlib.config.reference_dir`); nothing of the domain is written in code.
Results are cached per file path, and callers get copies they may modify.
"""

from nrlib.reference.criteria import load_criteria, load_criteria_levels, pick_levels, resolve_levels
from nrlib.reference.outline import Outline, load_outline
from nrlib.reference.units import (
    find_unit,
    load_province_units,
    load_unit_history,
    load_units,
    registry_divisions,
    unit_types,
    unit_years,
)

__all__ = ["Outline", "find_unit", "load_criteria", "load_criteria_levels", "load_outline", "load_province_units",
           "load_unit_history", "load_units", "pick_levels", "registry_divisions", "resolve_levels", "unit_types", "unit_years"]
