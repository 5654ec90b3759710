"""Reference data: the criteria set, the submission outline and the unit registry (its vintages and crosswalk).

Everything here is read from files under ``data/reference`` (see
:func:`nrlib.config.reference_dir`); nothing of the domain is written in code.
Results are cached per file path, and callers get copies they may modify.
"""

from nrlib.reference.criteria import load_criteria, load_criteria_levels, pick_levels, resolve_levels
from nrlib.reference.outline import Outline, load_outline
from nrlib.reference.registry import (
    default_vintage,
    list_changes,
    load_crosswalk,
    load_vintage,
    predecessors,
    successors,
    vintage_on,
    vintages,
)
from nrlib.reference.units import (
    find_unit,
    history_unknown,
    history_unknown_summary,
    load_province_units,
    load_unit_history,
    load_units,
    registry_divisions,
    unit_history_basis,
    unit_types,
    unit_years,
)

__all__ = ["Outline", "default_vintage", "find_unit", "history_unknown", "history_unknown_summary", "list_changes",
           "load_criteria", "load_criteria_levels", "load_crosswalk", "load_outline", "load_province_units",
           "load_unit_history", "load_units", "load_vintage", "pick_levels", "predecessors", "registry_divisions",
           "resolve_levels", "successors", "unit_history_basis", "unit_types", "unit_years", "vintage_on",
           "vintages"]
