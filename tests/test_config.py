"""nrlib.config: every path and NRLIB_* variable in one place, each documented, and the inputs a run records."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from nrlib import config
from nrlib.core.files import sha256_file

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nrlib"


def _documented() -> list[str]:
    return [n.strip() for v in config.VARIABLES for n in v.name.split(",")]


def _covered(name: str) -> bool:
    return any(name == d or (d.endswith("*") and name.startswith(d[:-1])) for d in _documented())


def test_only_config_reads_the_environment():
    """``os.environ.get``, ``os.getenv`` and ``os.environ[...]`` appear in config.py only (copying the whole
    environment for a kernel is not reading a setting)."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "config.py" and path.parent == PACKAGE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                f = node.func
                if (f.attr == "get" and ast.unparse(f.value) == "os.environ") or ast.unparse(f) == "os.getenv":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ" \
                    and isinstance(node.ctx, ast.Load):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, f"read the environment through nrlib.config: {found}"


def test_every_variable_named_in_the_code_is_documented_in_config_and_the_readme():
    names = set()
    for path in PACKAGE.rglob("*.py"):
        names |= set(re.findall(r"\bNRLIB_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8")))
    undocumented = sorted(n for n in names if not _covered(n))
    assert not undocumented, f"add to nrlib.config.VARIABLES: {undocumented}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [n for n in _documented() if f"`{n}`" not in readme]
    assert not missing, f"the README's configuration table lacks {missing}"


def test_paths_follow_the_environment(tmp_path, monkeypatch):
    import shutil

    (tmp_path / "data" / "reference").mkdir(parents=True)     # the review names its outline and criteria files
    shutil.copy(config.reference_dir() / config.REVIEWS_FILE, tmp_path / "data" / "reference")
    monkeypatch.setenv("NRLIB_HOME", str(tmp_path))
    assert config.default_db_path() == tmp_path.resolve() / "data" / "nrlib.duckdb"
    assert config.reference_path("outline") == tmp_path.resolve() / "data" / "reference" / "outline_2016_2020_v2.yaml"
    assert config.reference_path("outline_v1") == tmp_path.resolve() / "data" / "reference" / "outline_2016_2020.yaml"
    assert config.notebooks_dir() == tmp_path.resolve() / "notebooks"
    monkeypatch.setenv("NRLIB_DB", str(tmp_path / "x.duckdb"))
    assert config.default_db_path() == (tmp_path / "x.duckdb").resolve()
    monkeypatch.setenv("NRLIB_DB", "  ")                       # blank is unset
    assert config.default_db_path() == tmp_path.resolve() / "data" / "nrlib.duckdb"


def test_a_bad_lock_timeout_is_a_named_error(monkeypatch):
    import pytest

    from nrlib.exceptions import ConfigError

    monkeypatch.setenv("NRLIB_LOCK_TIMEOUT", "soon")
    with pytest.raises(ConfigError, match="NRLIB_LOCK_TIMEOUT"):
        config.lock_timeout()
    monkeypatch.setenv("NRLIB_LOCK_TIMEOUT", "2.5")
    assert config.lock_timeout() == 2.5


def test_inputs_record_names_local_levels_and_limits_with_checksums(tmp_path, monkeypatch):
    before = {i["role"] for i in config.inputs_record()}
    assert {"outline", "outline_v1", "criteria", "levels", "regions", "unit_history", "unit_types", "ranking"} <= before
    local = tmp_path / "levels.csv"
    local.write_text("indicator_code,scope,year,comparison,level,source\n10,75,,≥,60,test\n", encoding="utf-8")
    limits = tmp_path / "limits.yaml"
    limits.write_text("max_file_mb: 30\n", encoding="utf-8")
    monkeypatch.setenv("NRLIB_LEVELS", str(local))
    monkeypatch.setenv("NRLIB_LIMITS", str(limits))
    rec = {i["role"]: i for i in config.inputs_record()}
    assert rec["local_levels"] == {"role": "local_levels", "path": str(local.resolve()), "sha256": sha256_file(local)[0]}
    assert rec["limits"]["sha256"] == sha256_file(limits)[0]
    monkeypatch.setenv("NRLIB_LEVELS", str(tmp_path / "missing.csv"))
    assert {i["role"]: i for i in config.inputs_record()}["local_levels"]["sha256"] is None
