"""Shared test helpers: external programs (skip or fail), LibreOffice conversion, a sample folder.

Tests that need an external program call :func:`require_program`. Where the
program is missing the test is skipped with the reason shown (``-ra`` prints
it), unless ``NRLIB_REQUIRE_EXTERNAL=1`` (set by ``.ci/run``): then it fails,
so CI can never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

#: Debian packages that provide the programs the tests use
PROGRAM_PACKAGES = {
    "soffice": "libreoffice-calc-nogui",
    "pdftotext": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "chromium": "chromium",
}


def external_required() -> bool:
    """True when external programs must be present (CI)."""
    return os.environ.get("NRLIB_REQUIRE_EXTERNAL", "") == "1"


def require_module(name: str, reason: str = ""):
    """Import a module a test needs; skip the test when it is missing, or fail under ``NRLIB_REQUIRE_EXTERNAL=1``
    (CI), where a skip would hide that the test never ran."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        if external_required():
            pytest.fail(f"{name} is required (NRLIB_REQUIRE_EXTERNAL=1): {exc}")
        pytest.skip(reason or f"{name} is not installed", allow_module_level=True)


def require_program(name: str) -> str:
    """Path of an external program; skip the test (or fail, in CI) when it is missing."""
    path = shutil.which(name)
    if path:
        return path
    package = PROGRAM_PACKAGES.get(name, name)
    reason = f"{name} not found on PATH (Debian package {package}; see README)"
    if external_required():
        pytest.fail(f"{reason}, and NRLIB_REQUIRE_EXTERNAL=1 requires it", pytrace=False)
    pytest.skip(reason)


def soffice_convert(src: Path, to: str, outdir: Path, timeout: int = 180) -> Path:
    """Convert a file with headless LibreOffice (``to``: ``pdf``, ``xls``, ``csv``, ...).

    Each call uses its own temporary user profile, so tests running in
    parallel (or next to a desktop LibreOffice) do not fight over one profile.
    Returns the converted file.
    """
    soffice = require_program("soffice")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / f".lo-profile-{uuid.uuid4().hex[:8]}"
    cmd = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
           "--convert-to", to, "--outdir", str(outdir), str(src)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / (src.stem + "." + to.split(":")[0])
    if proc.returncode != 0 or not out.exists():
        raise AssertionError(f"soffice failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}")
    return out


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """The Thống Nhất (738) sample, seed 2021, written once per test session (treat as read-only)."""
    from nrlib.workbooks.sample import write_sample

    out = tmp_path_factory.mktemp("sample-738-2021")
    write_sample(out, "738", seed=2021)
    return out


@pytest.fixture(scope="session")
def sample_store(sample_dir, tmp_path_factory) -> Path:
    """A store of the 738 sample (seed 2021), ingested once per test session; tests open it read-only."""
    from nrlib.ingest import ingest_sample_folder

    db = tmp_path_factory.mktemp("store-738-2021") / "nrlib.duckdb"
    ingest_sample_folder(sample_dir, db)
    return db


@pytest.fixture(scope="session")
def sample_dir_v1(tmp_path_factory) -> Path:
    """The 738 sample as the previous release's ``nrlib sample`` wrote it: workbooks of outline version 1
    (``write_sample(outline=load_outline(version="1.0"))``), what communes sent before version 2."""
    from nrlib.reference import load_outline
    from nrlib.workbooks.sample import write_sample

    out = tmp_path_factory.mktemp("sample-738-2021-v1")
    write_sample(out, "738", seed=2021, outline=load_outline(version="1.0"))
    return out


@pytest.fixture(scope="session")
def mixed_store(sample_dir, sample_dir_v1, tmp_path_factory) -> Path:
    """A store where every other commune (by code) sent a version 1 workbook and the others a version 2 one,
    ingested once per session; tests open it read-only."""
    import csv

    from nrlib.ingest import ingest_files

    rows = list(csv.DictReader(open(sample_dir / "received.csv", encoding="utf-8", newline="")))
    files = [(sample_dir_v1 if i % 2 == 0 else sample_dir) / r["file_name"] for i, r in enumerate(rows)]
    db = tmp_path_factory.mktemp("store-738-mixed") / "nrlib.duckdb"
    manifest = tmp_path_factory.mktemp("mixed-manifest") / "received.csv"
    with open(manifest, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file_name", "unit_code", "received_date"])
        w.writeheader()
        w.writerows(rows)
    ingest_files(files, db, manifest=manifest)
    return db


# the ingest tests' workbooks: good, messy-but-valid, broken, LibreOffice copies (tests/ingest_fixtures.py)
from ingest_fixtures import books, lo_copies  # noqa: E402,F401
