"""Where nrlib finds its files.

Every path is anchored on the project root (the folder holding ``data/``), so
notebooks, the command line and tests agree whatever the working directory is.
Environment variables override the defaults; they are read at call time so a
test or a notebook can change them without re-importing.

==================  ===============================================
variable            meaning
==================  ===============================================
``NRLIB_HOME``      project root (``data/``, ``reports/`` live here)
``NRLIB_REFERENCE`` reference data folder (default ``data/reference``)
``NRLIB_DB``        the embedded store (default ``data/nrlib.duckdb``)
``NRLIB_LEVELS``    local file of criteria levels overriding the
                    reference ones (default
                    ``data/local/criteria_levels.csv`` when present)
==================  ===============================================
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    """Return the project root: ``$NRLIB_HOME``, else the checkout holding the package."""
    env = os.environ.get("NRLIB_HOME")
    if env:
        return Path(env).expanduser().resolve()
    return PACKAGE_DIR.parent


def data_dir() -> Path:
    return project_root() / "data"


def reference_dir() -> Path:
    """The versioned reference data: criteria, outline, unit history, regions."""
    env = os.environ.get("NRLIB_REFERENCE")
    if env:
        return Path(env).expanduser().resolve()
    return data_dir() / "reference"


def default_db_path() -> Path:
    """The store used when no ``--db`` is given: ``$NRLIB_DB`` or ``data/nrlib.duckdb``."""
    env = os.environ.get("NRLIB_DB")
    if env:
        return Path(env).expanduser().resolve()
    return data_dir() / "nrlib.duckdb"


def submissions_dir() -> Path:
    """Where received files are copied, unchanged and read-only."""
    return data_dir() / "submissions"


def sample_dir() -> Path:
    return data_dir() / "sample"


def reports_dir() -> Path:
    return project_root() / "reports"


def local_levels_path() -> Path | None:
    """Analysts' own criteria levels, if any (see ``load_criteria``)."""
    env = os.environ.get("NRLIB_LEVELS")
    if env:
        return Path(env).expanduser().resolve()
    path = data_dir() / "local" / "criteria_levels.csv"
    return path if path.exists() else None


def load_yaml(stream):
    """``yaml.safe_load`` with libyaml's C loader when PyYAML has it (about 9× faster on the outline,
    which every process, worker and report kernel reads); the same safe subset of YAML either way."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return yaml.load(stream, Loader=loader)  # noqa: S506 - a safe loader, chosen above
