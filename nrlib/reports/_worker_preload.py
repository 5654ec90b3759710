"""Imported first by the report workers' fork server (nrlib.reports.executors): what every worker skips
(:mod:`nrlib.reports.lean`), before the fork server imports papermill, nbformat and nbconvert."""

from nrlib.reports.lean import skip_slow_optional_imports

skip_slow_optional_imports()
