"""Sharing intermediate tables between analysis functions within one run.

Every analysis function takes an optional ``cache`` dict. Without one, a
function computes everything it needs from the Dataset. With one, tables
that several functions need (the criteria matrix, the campaign values, the
maintenance classes, ...) are computed once and reused, which is what a
report does: ``cache = {}`` then pass ``cache=cache`` to every call on the
same Dataset. A cache belongs to one Dataset (a cache used with another one
raises), lives as long as the caller keeps it, and is never global, so a
changed Dataset is never analysed with stale tables. Tables taken from a
cache are shared: treat them as read-only.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable


def memo(cache: dict | None, ds: Any, key: Any, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its earlier result stored under ``key`` in ``cache`` for this ``ds``."""
    if cache is None:
        return compute()
    owner = cache.setdefault("_dataset", weakref.ref(ds))
    if owner() is not ds:
        raise ValueError("this analysis cache was filled from another Dataset; use one cache per Dataset")
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def outline_table(ds: Any, cache: dict | None, name: str) -> Any:
    """``ds.outline.<name>`` (``metrics``, ``rates``, ``typed_indicators``, ...), built once per cache.

    The outline's properties build a fresh table on every access; analyses
    read them many times per run.
    """
    return memo(cache, ds, ("outline", name), lambda: getattr(ds.outline, name))
