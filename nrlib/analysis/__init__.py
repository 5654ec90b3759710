"""Pure functions of a :class:`nrlib.dataset.Dataset`: criteria results, maintenance, thresholds,
campaign totals and rates, data quality, scoring (points and classes), the relative ranking, roll-ups, a town's
urban years (urban), a 2025 unit's history from its predecessors (crosswalk). No files, no store, no presentation.
"""
