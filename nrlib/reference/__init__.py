"""Reference data: the criteria set, the submission outline and the unit registry.

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
    "Outline": "outline", "load_outline": "outline", "load_outlines": "outline", "find_outline": "outline",
    "find_unit": "units", "load_province_units": "units", "load_unit_history": "units", "load_units": "units",
    "registry_divisions": "units", "unit_types": "units", "unit_years": "units",
}
#: the submodules the package imported when it imported everything at once: still attributes of it
_SUBMODULES = ("criteria", "files", "outline", "units")

__all__ = ["Outline", "find_outline", "find_unit", "load_criteria", "load_criteria_levels", "load_outline",
           "load_outlines", "load_province_units",
           "load_unit_history", "load_units", "pick_levels", "registry_divisions", "resolve_levels", "unit_types",
           "unit_years"]


__getattr__, __dir__ = lazy_names(__name__, _API, _SUBMODULES)
