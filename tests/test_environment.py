"""environment.yml must mirror pyproject.toml: same packages, same version constraints."""

import re
import tomllib
from pathlib import Path

import pytest
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


def _floors():
    import importlib.util

    spec = importlib.util.spec_from_file_location("floors", ROOT / ".ci" / "floors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_declared_dependency_has_a_floor_to_pin():
    """``make test-min`` pins each dependency to its floor (.ci/floors.py); one without a floor is an error."""
    floors = _floors()
    pins = floors.constraints(ROOT / "pyproject.toml", ["test"])
    assert {p.split("==")[0] for p in pins} == {re.sub(r"[-_.]+", "-", n) for n in _pyproject()}
    assert floors.floor("dask[distributed]>=2024.1") == ("dask", "2024.1", None)  # pip refuses extras in constraints
    assert floors.floor('foo>=1.2,<2; python_version < "3.12"') == ("foo", "1.2", 'python_version < "3.12"')
    assert floors.floor("foo==0.6.0") == ("foo", "0.6.0", None)
    for req in ("foo", "foo<2", "foo>1", "foo==1.*"):
        with pytest.raises(ValueError):
            floors.floor(req)
