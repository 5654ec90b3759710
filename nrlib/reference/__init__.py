"""Reference data: the criteria sets (new-rural; văn minh đô thị), the submission outline and the unit registry
(its vintages and crosswalk).

Everything here is read from files under ``data/reference`` (see
:func:`nrlib.config.reference_dir`); nothing of the domain is written in code.
Results are cached per file path, and callers get copies they may modify.

Each public name is imported from its module on first use (PEP 562), so a
command that needs only the registry's rows or the deadline (``nrlib
status``) does not import pandas.
"""

from __future__ import annotations

from nrlib.core.lazy import lazy_names

# public name -> the submodule that defines it
_API = {
    "load_criteria": "criteria", "load_criteria_levels": "criteria", "pick_levels": "criteria",
    "resolve_levels": "criteria",
    "Outline": "outline", "find_outline": "outline", "load_outline": "outline", "load_outlines": "outline",
    "default_vintage": "registry", "list_changes": "registry", "load_crosswalk": "registry",
    "load_vintage": "registry", "predecessors": "registry", "successors": "registry", "vintage_on": "registry",
    "vintages": "registry",
    "find_unit": "units", "history_unknown": "units", "history_unknown_summary": "units",
    "load_province_units": "units", "load_unit_history": "units", "load_units": "units",
    "registry_divisions": "units", "unit_history_basis": "units", "unit_types": "units", "unit_years": "units",
    "load_partners": "partners", "Partners": "partners",
    "load_urban_criteria": "urban", "load_urban_levels": "urban",
}
#: the submodules the package imported when it imported everything at once: still attributes of it
_SUBMODULES = ("criteria", "files", "outline", "registry", "units", "urban")

__all__ = sorted(_API)


__getattr__, __dir__ = lazy_names(__name__, _API, _SUBMODULES)
