"""Names of a package imported from their modules on first use (PEP 562), so importing the package stays cheap.

A package calls :func:`lazy_names` with its ``__name__``, a map from each public name to the submodule that
defines it, and the submodules that are attributes of it; it binds the two functions returned to its own
``__getattr__`` and ``__dir__``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping


def lazy_names(package: str, api: Mapping[str, str], submodules: Iterable[str] = ()
               ) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: a public name is imported from its submodule once, then
    kept in the package's namespace; a listed submodule is imported when asked for."""
    subs = tuple(submodules)
    module = importlib.import_module(package)

    def getattr_(name: str):
        if name in subs:
            return importlib.import_module(f".{name}", package)
        where = api.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{where}", package), name)
        setattr(module, name, value)
        return value

    def dir_() -> list[str]:
        return sorted(set(vars(module)) | set(api) | set(subs))

    return getattr_, dir_
