"""Pure functions of a :class:`nrlib.dataset.Dataset`: criteria results, maintenance, thresholds,
campaign totals and rates, data quality, scoring (points and classes), the relative ranking, roll-ups.
No files, no store, no presentation.
"""
