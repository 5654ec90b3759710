"""SQL built from constants only, and the small statements every part of the store shares.

Values always go into SQL as ``?`` parameters; the few table and column
names put into SQL text pass :func:`sql_ident`.
"""

from __future__ import annotations

import datetime as dt
import re


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def sql_ident(name: str) -> str:
    """``name`` if it is a plain SQL identifier (letters, digits, ``_``), else ``ValueError``.

    SQL is built from constants only: values always go in as ``?``
    parameters; the few table and column names put into SQL text (they vary
    by table, and parameters cannot name tables) pass through this check,
    and ``tests/hostile/test_untrusted_text.py`` fails on any other SQL
    built from a variable.
    """
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not an SQL identifier: {name!r}")
    return name


def sql_idents(names, prefix: str = "") -> str:
    """``"t.a, t.b"``: :func:`sql_ident` of each name, with an optional table prefix (itself checked)."""
    if prefix:
        prefix = sql_ident(prefix.rstrip(".")) + "."
    return ", ".join(prefix + sql_ident(n) for n in names)


def has_table(con, name: str) -> bool:
    """Whether the store has a table (or view) of that name."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
                            ).fetchall()[0][0])


def audit(con, action: str, *, submission_id=None, unit_code=None, file_name=None, sha256=None, detail=None,
          at=None) -> int:
    """Append one row to the audit trail (inside the caller's transaction); returns its id, 0 before the table exists."""
    audit_id = con.execute("SELECT coalesce(max(audit_id), 0) + 1 FROM audit").fetchall()[0][0] \
        if has_table(con, "audit") else None
    if audit_id is None:
        return 0
    con.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [audit_id, at or now(), action, submission_id, unit_code, file_name, sha256, detail])
    return audit_id
