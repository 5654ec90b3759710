"""Where nrlib finds its files, and every setting it takes from the environment: the one place for both.

Every path is anchored on the project root (the folder holding ``data/``), so
notebooks, the command line and tests agree whatever the working directory is.
Environment variables override the defaults; they are read at call time, so a
test or a notebook can change them without re-importing. :data:`VARIABLES`
lists every ``NRLIB_*`` variable nrlib reads (the README's configuration
table is the same list; ``tests/test_config.py`` checks that no other module
reads the environment and that the README lists each one).

:func:`inputs_record` says which reference, local and limits files a run
used, with their checksums: every report and export records it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nrlib.core.files import sha256_file
from nrlib.exceptions import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, its default (as the README states it) and what it sets."""

    name: str
    default: str
    meaning: str


#: every NRLIB_* variable nrlib reads, in the order the README lists them
VARIABLES = (
    Variable("NRLIB_HOME", "the checkout holding the package", "project root: `data/`, `reports/` and `notebooks/` "
             "are found under it"),
    Variable("NRLIB_REFERENCE", "`data/reference`", "the reference data folder (criteria, levels, outline, units, "
             "scoring, settings, holidays, ranking)"),
    Variable("NRLIB_DB", "`data/nrlib.duckdb`", "the store used when no `--db` is given"),
    Variable("NRLIB_LEVELS", "`data/local/criteria_levels.csv` when present", "your province's own criteria levels "
             "(they replace or add to the reference levels)"),
    Variable("NRLIB_LIMITS", "`data/local/limits.yaml` when present", "a file of limits on received files "
             "(`SECURITY.md`)"),
    Variable("NRLIB_DOCUMENTS", "`data/local/documents.yaml` when present", "your district's settings for the "
             "official documents (recipients, signer, place name; they replace the defaults of "
             "`data/reference/documents.yaml`)"),
    Variable("NRLIB_DISTRICT_SETTINGS", "`data/local/district_settings.yaml` when present", "your district's "
             "choices for judging the review: working or calendar days late, the holiday calendar, the scoring "
             "table, the relative ranking (they replace the defaults of `data/reference/district_settings.yaml`)"),
    Variable("NRLIB_MAX_*, NRLIB_ALLOW_MACROS", "see `SECURITY.md`", "one limit on received files each, e.g. "
             "`NRLIB_MAX_FILE_MB=50` (they win over the limits file)"),
    Variable("NRLIB_LOCK_TIMEOUT", "120", "seconds a command waits for another one writing the store"),
    Variable("NRLIB_INGEST_WORKERS", "one per CPU, at most 4", "processes reading and validating files in "
             "`nrlib ingest` (`--workers` wins)"),
    Variable("NRLIB_START_METHOD", "`fork` for ingest workers, `forkserver` for report workers (Linux, macOS); "
             "`spawn` on Windows", "how worker processes start (`spawn`, `fork`, `forkserver`): `spawn` on any "
             "system behaves as on Windows"),
    Variable("NRLIB_STORE_SNAPSHOTS", "unset", "set by `nrlib reports --executor dask` for its kernels: where a "
             "store's read-only snapshot lies (JSON); not for users"),
    Variable("NRLIB_TEST_PAUSE_IN_TRANSACTION, NRLIB_TEST_PAUSE_RELEASE", "unset", "test hooks: an ingest pauses "
             "inside its transaction (the fault tests kill or race it there); never set them in use"),
)

#: the reference files, by role, under :func:`reference_dir`
REFERENCE_FILES = {
    # the outline new templates follow (and analyses use); every role starting with "outline" is an outline a
    # received workbook may follow (nrlib.reference.outline.load_outlines)
    "outline": "outline_2016_2020_v2.yaml",
    "outline_v1": "outline_2016_2020.yaml",
    "criteria": "criteria_2016_2020.csv",
    "levels": "criteria_levels.csv",
    "regions": "regions.csv",
    "unit_history": "unit_history.csv",
    "unit_types": "unit_types.csv",
    "unit_registry": "units/sources.yaml",
    "ranking": "ranking.yaml",
    "documents": "documents.yaml",
    "awards": "awards.csv",
    "urban_criteria": "urban_criteria_2013.csv",
    "urban_levels": "urban_levels_2013.csv",
    "district_settings": "district_settings.yaml",
    "holidays": "holidays.csv",
    "scoring": "scoring_2016_2020.yaml",
    # the layouts of the partners' review tables (coordination office, culture steering committee)
    "partners": "partners_2016_2020.yaml",
}


def env(name: str) -> str | None:
    """An ``NRLIB_*`` variable's value, or None when it is unset or blank (the one reader of the environment)."""
    if not name.startswith("NRLIB_"):
        raise ValueError(f"not an nrlib variable: {name!r}")
    value = os.environ.get(name)
    return value if value is not None and value.strip() else None


def _env_path(name: str) -> Path | None:
    value = env(name)
    return Path(value).expanduser().resolve() if value else None


def project_root() -> Path:
    """The project root: ``$NRLIB_HOME``, else the checkout holding the package."""
    return _env_path("NRLIB_HOME") or PACKAGE_DIR.parent


def data_dir() -> Path:
    return project_root() / "data"


def local_dir() -> Path:
    """An analyst's own files (``data/local``): local levels, limits; never written by nrlib."""
    return data_dir() / "local"


def reference_dir() -> Path:
    """The versioned reference data: criteria, outline, unit history, regions, ranking."""
    return _env_path("NRLIB_REFERENCE") or data_dir() / "reference"


def reference_path(role: str) -> Path:
    """The path of one reference file (:data:`REFERENCE_FILES`), whether or not it exists."""
    return reference_dir() / REFERENCE_FILES[role]


def default_db_path() -> Path:
    """The store used when no ``--db`` is given: ``$NRLIB_DB`` or ``data/nrlib.duckdb``."""
    return _env_path("NRLIB_DB") or data_dir() / "nrlib.duckdb"


def reports_dir() -> Path:
    return project_root() / "reports"


def documents_dir() -> Path:
    """Where ``nrlib documents`` writes when no ``--out`` is given: ``reports/documents``."""
    return reports_dir() / "documents"


def notebooks_dir() -> Path:
    """Folder of the notebooks, the report notebooks among them (``notebooks/`` of the project)."""
    return project_root() / "notebooks"


def local_levels_path() -> Path | None:
    """Analysts' own criteria levels, if any: ``$NRLIB_LEVELS``, else ``data/local/criteria_levels.csv`` when present."""
    path = _env_path("NRLIB_LEVELS")
    if path:
        return path
    path = local_dir() / "criteria_levels.csv"
    return path if path.exists() else None


def local_urban_levels_path() -> Path | None:
    """Analysts' own levels of the urban standard (a province's decision), if any: ``data/local/urban_levels.csv``."""
    path = local_dir() / "urban_levels.csv"
    return path if path.exists() else None


def limits_file() -> Path | None:
    """The limits file in use: ``$NRLIB_LIMITS``, else ``data/local/limits.yaml`` when present."""
    path = _env_path("NRLIB_LIMITS")
    if path:
        return path
    path = local_dir() / "limits.yaml"
    return path if path.exists() else None


def documents_settings_path() -> Path | None:
    """The district's settings for the official documents: ``$NRLIB_DOCUMENTS``, else
    ``data/local/documents.yaml`` when present (they override ``data/reference/documents.yaml``)."""
    path = _env_path("NRLIB_DOCUMENTS")
    if path:
        return path
    path = local_dir() / "documents.yaml"
    return path if path.exists() else None


def district_settings_path() -> Path | None:
    """The district's choices for judging the review: ``$NRLIB_DISTRICT_SETTINGS``, else
    ``data/local/district_settings.yaml`` when present (they override ``data/reference/district_settings.yaml``)."""
    path = _env_path("NRLIB_DISTRICT_SETTINGS")
    if path:
        return path
    path = local_dir() / "district_settings.yaml"
    return path if path.exists() else None


def local_holidays_path() -> Path | None:
    """The district's own days off and working days, ``data/local/holidays.csv`` when present (rows added to
    ``data/reference/holidays.csv``)."""
    path = local_dir() / "holidays.csv"
    return path if path.exists() else None


def limit_variable(name: str) -> str:
    """The variable that sets one limit: ``max_file_mb`` → ``NRLIB_MAX_FILE_MB``."""
    return f"NRLIB_{name.upper()}"


#: seconds a writer waits for the lock, or a reader for the writer, by default
DEFAULT_LOCK_TIMEOUT = 120.0


def lock_timeout() -> float:
    """``$NRLIB_LOCK_TIMEOUT`` (seconds, a number ≥ 0), else :data:`DEFAULT_LOCK_TIMEOUT`."""
    raw = env("NRLIB_LOCK_TIMEOUT")
    if raw is None:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value >= 0:
        raise ConfigError(f"NRLIB_LOCK_TIMEOUT={raw!r}: cần một số giây (ví dụ 120) / must be a number of seconds")
    return value


def start_method(*preferred: str) -> str:
    """How worker processes start: ``$NRLIB_START_METHOD``, else the first of ``preferred`` this system has,
    else ``spawn`` (the only one on Windows).

    Every process pool of nrlib starts its workers this way, so setting
    ``NRLIB_START_METHOD=spawn`` on Linux runs them as Windows does (the
    tests do). An unknown method is a :class:`ConfigError` naming the
    variable and the methods this system has.
    """
    import multiprocessing

    have = multiprocessing.get_all_start_methods()
    raw = env("NRLIB_START_METHOD")
    if raw is not None:
        if raw.strip() not in have:
            raise ConfigError(f"NRLIB_START_METHOD={raw!r}: cần một trong {', '.join(have)} / must be one of "
                              f"{', '.join(have)}")
        return raw.strip()
    return next((m for m in preferred if m in have), "spawn")


def ingest_workers() -> str | None:
    """``$NRLIB_INGEST_WORKERS`` as given (``nrlib.ingest`` parses it), or None."""
    return env("NRLIB_INGEST_WORKERS")


def inputs_record() -> list[dict]:
    """The reference, local and limits files in force, each ``{"role", "path", "sha256"}``, for a report's or
    an export's record (``sha256`` None for a file that does not exist)."""
    files = [(role, reference_path(role)) for role in REFERENCE_FILES]
    files += [("local_levels", local_levels_path()), ("local_urban_levels", local_urban_levels_path()),
              ("limits", limits_file()),
              ("local_documents", documents_settings_path()), ("local_district_settings", district_settings_path()),
              ("local_holidays", local_holidays_path())]
    out = []
    for role, path in files:
        if path is None:
            continue
        digest = sha256_file(path)[0] if path.is_file() else None
        out.append({"role": role, "path": str(path), "sha256": digest})
    return out


def load_yaml(stream):
    """``yaml.safe_load`` with libyaml's C loader when PyYAML has it; the same safe subset of YAML either way."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    return yaml.load(stream, Loader=loader)  # noqa: S506 - a safe loader, chosen above
