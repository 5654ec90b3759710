"""The codes every stage shares, and what counts as a missing value.

Codes are stored and computed with; their Vietnamese wording is in
:mod:`nrlib.core.labels` (one wording each).
"""

from __future__ import annotations

import math

#: a criterion's status, as declared in sheet TieuChi (the outline's ``criterion_status`` choices)
REACHED, NOT_REACHED, NOT_APPLICABLE = "reached", "not_reached", "not_applicable"
CRITERION_STATUSES = (REACHED, NOT_REACHED, NOT_APPLICABLE)
#: the effective status of a unit-year-criterion nobody declared (a blank cell, no submission)
MISSING = "missing"

#: MIME type of the record a report notebook displays (:func:`nrlib.present.fragments.record_output`) and the
#: HTML export lifts out of it
RECORD_MIME = "application/vnd.nrlib.report+json"

#: how each unit kept each criterion over the period (:mod:`nrlib.analysis.maintenance`)
MAINTENANCE_CLASSES = ("kept", "gained", "lost", "lost_and_regained", "never", "not_applicable", "no_data")

#: a received file's result, and a unit's timeliness against the deadline
ACCEPTED, REJECTED = "accepted", "rejected"
SUBMISSION_STATUSES = (ACCEPTED, REJECTED)
ON_TIME, LATE = "on_time", "late"
TIMELINESS = (ON_TIME, LATE, MISSING)

#: kinds of flag in the data-quality table (:func:`nrlib.analysis.quality.quality_flags`)
FLAGS = ("outlier", "yoy", "declared_vs_measured")


def is_missing(x: object) -> bool:
    """None, NaN, ``pandas.NA`` or ``NaT``: a value that is not there (text, including ``""``, is there)."""
    if x is None:
        return True
    if isinstance(x, float):
        return math.isnan(x)
    if isinstance(x, (str, bytes, bool, int)):
        return False
    try:
        import pandas as pd

        return bool(pd.isna(x)) if pd.api.types.is_scalar(x) else False
    except (TypeError, ValueError):
        return False
