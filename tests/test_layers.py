"""Who may import whom: the rule of the README's layout section, checked on the code itself.

The checker reads every module of the package with ``ast`` (imports inside
functions and ``if TYPE_CHECKING`` blocks included, since they are imports
all the same) and reports:

* an import of a stage the importing stage may not use (:data:`ALLOWED`);
* an import cycle between modules;
* a private name (``_name``) of one module used in another, imported or
  reached as an attribute of an imported module.

The last tests run the checker on a small package written for the purpose,
with a forbidden import, a cycle and a private import, to show it fails.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nrlib"

#: modules at the package root: the commands and the shared contracts
COMMANDS = {"cli", "ingest", "status", "export", "demo", "__main__"}
CONTRACTS = {"config", "exceptions", "dataset"}

_BASE = {"core", "config", "exceptions"}
#: stage -> the stages (and root contracts) it may import; a stage may always import itself
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "config": {"core", "exceptions"},
    "exceptions": {"core"},
    "dataset": _BASE | {"reference"},
    "reference": _BASE,
    "workbooks": _BASE | {"reference", "dataset"},
    "intake": _BASE | {"reference"},
    "store": _BASE | {"reference", "dataset"},
    "analysis": _BASE | {"reference", "dataset"},
    "present": _BASE | {"reference", "dataset", "analysis"},
    "explore": _BASE | {"reference", "dataset", "analysis", "present", "store"},
    "reports": _BASE | {"reference", "dataset", "analysis", "present", "store"},
    # documents read the decisions workbook a district fills through intake's reader (the same checks as a
    # received workbook)
    "documents": _BASE | {"reference", "dataset", "analysis", "present", "store", "intake"},
}


def stage_of(module: str) -> str:
    """``nrlib.intake.reader`` → ``intake``; root modules are their own stage (``ingest``, ``config``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path, root: Path) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of ``from <level dots><target> import ...`` written in ``module``."""
    if level == 0:
        return target or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


class _Imports(ast.NodeVisitor):
    """Every import of the package's own modules in one file, with the names taken from them."""

    def __init__(self, module: str, is_package: bool, modules: set[str], top: str):
        self.module, self.is_package, self.modules, self.top = module, is_package, modules, top
        self.edges: list[tuple[str, int]] = []              # (imported module, line)
        self.private: list[tuple[str, str, int]] = []       # (module, private name, line)
        self.aliases: dict[str, str] = {}                   # local name -> imported nrlib module

    def _known(self, name: str) -> str | None:
        """The longest prefix of ``name`` that is a module of the package."""
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            cand = ".".join(parts[:i])
            if cand in self.modules:
                return cand
        return None

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            if a.name == self.top or a.name.startswith(self.top + "."):
                mod = self._known(a.name)
                if mod:
                    self.edges.append((mod, node.lineno))
                    if a.asname:
                        self.aliases[a.asname] = mod

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = _resolve(self.module, self.is_package, node.level, node.module)
        if not (base == self.top or base.startswith(self.top + ".")):
            return
        for a in node.names:
            sub = f"{base}.{a.name}"
            if sub in self.modules:                         # from pkg import module
                self.edges.append((sub, node.lineno))
                self.aliases[a.asname or a.name] = sub
                continue
            mod = self._known(base)
            if mod:
                self.edges.append((mod, node.lineno))
                if a.name.startswith("_") and not a.name.startswith("__"):
                    self.private.append((mod, a.name, node.lineno))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if isinstance(node.value, ast.Name) and node.value.id in self.aliases:
            if node.attr.startswith("_") and not node.attr.startswith("__"):
                self.private.append((self.aliases[node.value.id], node.attr, node.lineno))
        self.generic_visit(node)


def scan(package: Path) -> tuple[dict[str, list[tuple[str, int]]], list[tuple[str, str, str, int]]]:
    """``({module: [(imported module, line)]}, [(module, other module, private name, line)])`` of a package."""
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    modules = set(files)
    graph, private = {}, []
    for mod, path in sorted(files.items()):
        v = _Imports(mod, path.name == "__init__.py", modules, package.name)
        v.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        graph[mod] = [(t, line) for t, line in v.edges if t != mod]
        private += [(mod, other, name, line) for other, name, line in v.private if other != mod]
    return graph, private


def _cycles(graph: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w, _ in graph.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def violations(package: Path = PACKAGE) -> list[str]:
    """Every breach of the layering rule in ``package``, as readable lines (empty: none)."""
    graph, private = scan(package)
    top = package.name
    out = []
    for mod, edges in sorted(graph.items()):
        src = stage_of(mod)
        if src in COMMANDS or src == "__init__":
            continue
        allowed = ALLOWED.get(src)
        if allowed is None:
            out.append(f"{mod}: stage {src!r} is not in the layering rule (tests/test_layers.py ALLOWED)")
            continue
        for target, line in edges:
            dst = stage_of(target)
            if target == top:
                dst = "__init__"
            if dst != src and dst not in allowed:
                out.append(f"{mod}:{line} imports {target}: {src} may not import {dst}")
    for comp in _cycles(graph):
        out.append("import cycle: " + " -> ".join(comp))
    for mod, other, name, line in private:
        out.append(f"{mod}:{line} uses {other}.{name}, a private name of another module")
    return out


def test_the_package_keeps_the_layering_rule():
    found = violations()
    assert not found, "layering rule broken (README, Layout):\n" + "\n".join(found)


def test_every_stage_package_says_what_it_owns():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 5, f"{init.parent.name}/__init__.py needs a docstring saying what it owns"
        assert init.parent.name in ALLOWED, f"{init.parent.name}: a stage the layering rule does not know"


# --------------------------------------------------------------------------- the checker itself


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "nrlib"
    for rel, body in {"__init__.py": "", "core/__init__.py": '"""core"""', "analysis/__init__.py": "",
                      "intake/__init__.py": "", "store/__init__.py": "", **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body), encoding="utf-8")
    return root


def test_a_clean_package_passes(tmp_path):
    root = _package(tmp_path, {
        "core/vnformat.py": "X = 1\n",
        "analysis/results.py": "from nrlib.core.vnformat import X\nfrom ..core import vnformat\n",
    })
    assert violations(root) == []


@pytest.mark.parametrize("module, body, expected", [
    # analysis reaching into the store, at module level and inside a function
    ("analysis/results.py", "from nrlib.store import read\n", "analysis may not import store"),
    ("analysis/results.py", "def f():\n    from ..store.read import load\n", "analysis may not import store"),
    # core importing anything of nrlib; intake importing the store sideways
    ("core/vnformat.py", "import nrlib.analysis.results\n", "core may not import analysis"),
    ("intake/reader.py", "if True:\n    from nrlib.store import write\n", "intake may not import store"),
])
def test_a_forbidden_import_is_reported(tmp_path, module, body, expected):
    root = _package(tmp_path, {"analysis/results.py": "", "store/read.py": "load = 1\n", "store/write.py": "",
                               "core/vnformat.py": "", "intake/reader.py": "", module: body})
    found = violations(root)
    assert any(expected in line for line in found), found


def test_a_cycle_is_reported(tmp_path):
    root = _package(tmp_path, {"analysis/a.py": "from nrlib.analysis import b\n",
                               "analysis/b.py": "def f():\n    from nrlib.analysis.a import g\n"})
    assert "import cycle: nrlib.analysis.a -> nrlib.analysis.b" in violations(root)


def test_a_private_name_of_another_module_is_reported(tmp_path):
    root = _package(tmp_path, {"analysis/a.py": "_hidden = 1\n",
                               "analysis/b.py": "from nrlib.analysis.a import _hidden\n",
                               "analysis/c.py": "from nrlib.analysis import a\ny = a._hidden\n"})
    found = violations(root)
    assert any("nrlib.analysis.b:1 uses nrlib.analysis.a._hidden" in f for f in found), found
    assert any("nrlib.analysis.c:2 uses nrlib.analysis.a._hidden" in f for f in found), found
