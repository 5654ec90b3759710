"""Fixtures shared by the tests of the official documents: the sample store's dataset and the settings."""

from __future__ import annotations

import pytest

from nrlib.documents.settings import load_settings
from nrlib.store import load_dataset


@pytest.fixture(scope="module")
def ds(sample_store):
    return load_dataset(sample_store)


@pytest.fixture(scope="module")
def settings():
    return load_settings()
