"""Print a pip constraints file pinning every declared dependency to its floor.

    python3 .ci/floors.py > constraints.txt
    pip install -c constraints.txt -e '.[test]'

Reads ``pyproject.toml`` (``[project] dependencies`` and the extras named on the
command line, ``test`` by default): ``name>=X`` becomes ``name==X``, ``name==X``
stays, ``name~=X`` becomes ``name==X``. Installing with these constraints proves
that the floors are true (``make test-min``). A dependency without a floor is an
error: every dependency must say the oldest version it works with.

Extras are dropped (pip refuses them in constraints): ``dask[distributed]>=X``
becomes ``dask==X``, and the packages the extra brings are pinned by dask itself
(dask X requires ``distributed==X``). Environment markers are kept. Standard
library only, so it runs before anything is installed.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name, [extras], version specifiers, ; marker
REQ = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._\-]*)\s*(?:\[[^\]]*\])?\s*(?P<spec>[^;]*?)\s*(?:;\s*(?P<marker>.*))?$")
FLOOR_OPS = (">=", "==", "~=")


def floor(req: str) -> tuple[str, str, str | None]:
    """``(name, floor version, marker)`` of one requirement; ``ValueError`` when it has no floor."""
    m = REQ.match(req)
    if not m:
        raise ValueError(f"cannot parse requirement {req!r}")
    found = []
    for clause in filter(None, (c.strip() for c in m["spec"].split(","))):
        op = clause[:2]
        if op in FLOOR_OPS and not clause.startswith("==="):
            version = clause[2:].strip()
            if "*" in version:
                raise ValueError(f"{req!r}: wildcard {clause!r} is not a floor")
            found.append(version)
    if len(found) != 1:
        raise ValueError(f"{req!r}: needs exactly one floor (>=, == or ~=), found {len(found)}")
    return m["name"], found[0], m["marker"]


def constraints(pyproject: Path, extras: list[str]) -> list[str]:
    meta = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    optional = meta.get("optional-dependencies", {})
    reqs = list(meta.get("dependencies", []))
    for extra in extras:
        if extra not in optional:
            raise ValueError(f"no extra {extra!r} in {pyproject}")
        reqs += optional[extra]
    pins: dict[tuple[str, str | None], str] = {}
    errors = []
    for req in reqs:
        try:
            name, version, marker = floor(req)
        except ValueError as exc:
            errors.append(str(exc))
            continue
        key = (re.sub(r"[-_.]+", "-", name).lower(), marker)
        if pins.setdefault(key, version) != version:
            errors.append(f"{name}: two floors, {pins[key]} and {version}")
    if errors:
        raise ValueError("\n".join(errors))
    return [f"{name}=={version}" + (f"; {marker}" if marker else "") for (name, marker), version in pins.items()]


def main(argv: list[str]) -> int:
    extras = argv or ["test"]
    try:
        lines = constraints(ROOT / "pyproject.toml", extras)
    except ValueError as exc:
        print(f"floors: {exc}", file=sys.stderr)
        return 1
    print(f"# floors of pyproject.toml (dependencies + {', '.join(extras)}), by .ci/floors.py")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
