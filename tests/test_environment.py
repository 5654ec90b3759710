"""environment.yml must mirror pyproject.toml: same packages, same version constraints."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# PyPI name -> conda-forge name, where they differ
CONDA_NAMES = {"duckdb": "python-duckdb"}


def _split(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", req)
    assert m, req
    return m.group(1).lower(), m.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(meta["dependencies"])
    for extra in ("test",):
        reqs += meta["optional-dependencies"].get(extra, [])
    return dict(_split(r) for r in reqs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pairs: list[tuple[str, str]] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pairs += [_split(req) for req in dep.get("pip", []) if not req.startswith("-")]
        else:
            name, spec = _split(dep)
            if name not in ("python", "pip"):
                pairs.append((name, spec))
    names = [n for n, _ in pairs]
    twice = sorted({n for n in names if names.count(n) > 1})
    assert not twice, f"listed more than once in environment.yml: {twice}"
    return dict(pairs)


def test_environment_mirrors_pyproject():
    expected = {CONDA_NAMES.get(name, name): spec for name, spec in _pyproject().items()}
    assert _environment() == expected


def test_python_version_agrees():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert f"python{meta['requires-python']}" in env["dependencies"]
