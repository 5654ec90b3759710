"""Pure functions of a :class:`nrlib.dataset.Dataset`: criteria results, maintenance, thresholds,
campaign totals and rates, data quality, scoring (points and classes), the relative ranking, roll-ups, a town's
urban years (urban), a 2025 unit's history from its predecessors (crosswalk), the partners' figures beside the
communes' declarations (partners). No files, no store, no presentation.
"""
