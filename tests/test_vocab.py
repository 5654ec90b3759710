"""nrlib.core.vocab: the shared codes, and the one test of a missing value."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from nrlib.core import labels, vocab


@pytest.mark.parametrize("value, missing", [
    (None, True), (float("nan"), True), (np.float64("nan"), True), (pd.NA, True), (pd.NaT, True),
    (np.nan, True), (0, False), (0.0, False), ("", False), ("–", False), (False, False),
    (dt.date(2021, 2, 18), False), (np.int64(3), False), (math.inf, False), ([1], False),
])
def test_is_missing(value, missing):
    assert vocab.is_missing(value) is missing


def test_every_code_has_one_wording():
    assert set(labels.MAINTENANCE) == set(vocab.MAINTENANCE_CLASSES)
    assert set(labels.FLAGS) == set(vocab.FLAGS)
    assert set(labels.TIMELINESS) == set(vocab.TIMELINESS)
    assert set(labels.SUBMISSION_STATUS) == set(vocab.SUBMISSION_STATUSES)
    assert labels.TIMELINESS_CELL["late"] == "Trễ hạn" and labels.cell("đã chấp nhận") == "Đã chấp nhận"
