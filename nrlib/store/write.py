"""Writing received files into the store: one transaction per batch, versions numbered per unit."""

from __future__ import annotations

import contextlib
import os
import sys
import time

import duckdb
import pandas as pd

from nrlib import config
from nrlib.store.sql import now, sql_ident, sql_idents

#: analysis tables: what an accepted submission adds (rejected ones add nothing here)
ANALYSIS_TABLES = ("data_values", "criteria_status", "urban_status", "proposals", "narratives", "info", "notes")
#: what an accepted partner's workbook adds (its rows carry their own ``unit_code``)
PARTNER_TABLES = ("partner_criteria_status", "partner_recognitions", "partner_values")


def known_checksums(con, sha256: str | None = None) -> dict[str, dict]:
    """``{sha256: submission row}`` of every stored file (or of one checksum)."""
    sql = "SELECT * FROM submissions" + (" WHERE sha256 = ?" if sha256 else "")
    cur = con.execute(sql, [sha256] if sha256 else [])
    cols = [d[0] for d in cur.description]
    return {row[cols.index("sha256")]: dict(zip(cols, row)) for row in cur.fetchall()}


def _columns(table) -> dict[str, list]:
    """Rows as ``{column: values}``, from a DataFrame, a list of dicts or such a dict already."""
    if table is None:
        return {}
    if isinstance(table, pd.DataFrame):
        return {c: table[c].tolist() for c in table.columns}
    if isinstance(table, dict):
        return table
    rows = list(table)
    cols = list(dict.fromkeys(k for r in rows for k in r))
    return {c: [r.get(c) for r in rows] for c in cols}


def _extend(acc: dict[str, list], cols: dict[str, list], **const) -> None:
    n = len(next(iter(cols.values()))) if cols else 0
    if not n:
        return
    filled = sum(len(v) for v in acc.values()) and len(next(iter(acc.values())))
    for c in set(acc) | set(cols) | set(const):
        acc.setdefault(c, [None] * filled)
    for c, v in acc.items():
        v.extend(cols[c] if c in cols else [const[c]] * n if c in const else [None] * n)


def _insert_frame(con, table: str, df: pd.DataFrame) -> None:
    if df.empty:
        return
    con.register("_nrlib_frame", df)
    try:
        con.execute(f"INSERT INTO {sql_ident(table)} ({sql_idents(df.columns)}) SELECT {sql_idents(df.columns)} "
                    "FROM _nrlib_frame")
    finally:
        with contextlib.suppress(duckdb.Error):     # fails in an aborted transaction; keep the first error
            con.unregister("_nrlib_frame")


def add_submissions(con, batch: list[tuple[dict, dict, pd.DataFrame]]) -> list[dict]:
    """Store received files in ONE transaction; returns each one's ``submission_id`` and ``version``.

    Parameters
    ----------
    batch : list of (record, tables, problems)
        ``record``: ``unit_code`` (or None), ``district_code``, ``file_name``,
        ``raw_path``, ``file_format``, ``size_bytes``, ``sha256``,
        ``received_date``, ``status``, ``n_errors``, ``n_warnings``,
        ``is_sample``, ``outline_version``, ``claimed_unit_code``.
        ``tables``: rows (DataFrames, lists of dicts or dicts of columns) for the
        :data:`ANALYSIS_TABLES`, without ``submission_id`` and ``unit_code``,
        which are added; stored only when the status is ``accepted``.
        ``problems``: rows of ``sheet, cell, rule, severity, message, value``.

    Notes
    -----
    Versions are numbered per unit in batch order after those already
    stored. Rows of all files go in with one INSERT of one DataFrame per
    table (DuckDB is fast on whole frames, slow row by row), and everything
    commits or nothing does. Tests pause the writer just before it commits
    (:func:`_test_pause`) to kill it or race it there.
    """
    if not batch:
        return []
    con.begin()
    try:
        sid = con.execute("SELECT coalesce(max(submission_id), 0) FROM submissions").fetchall()[0][0]
        audit_id = con.execute("SELECT coalesce(max(audit_id), 0) FROM audit").fetchall()[0][0]
        units = sorted({r["unit_code"] for r, _, _ in batch if r.get("unit_code")})
        versions = dict(con.execute("SELECT unit_code, max(version) FROM submissions "
                                    "WHERE list_contains(?::VARCHAR[], unit_code) GROUP BY unit_code",
                                    [units]).fetchall()) if units else {}
        pversions = {(p, d): v for p, d, v in con.execute(
            "SELECT partner, district_code, max(version) FROM submissions WHERE partner IS NOT NULL "
            "GROUP BY partner, district_code").fetchall()}
        at = now()
        subs, audits, ids = [], [], []
        columns: dict[str, dict[str, list]] = {name: {} for name in ANALYSIS_TABLES + PARTNER_TABLES + ("problems",)}
        for record, tables, problems in batch:
            sid += 1
            audit_id += 1
            unit = record.get("unit_code")
            version = None
            if unit:
                version = versions.get(unit, 0) + 1
                versions[unit] = version
            elif record.get("partner") and record.get("district_code"):
                # a partner's workbook: versions per partner and district
                key = (record["partner"], record["district_code"])
                version = pversions.get(key, 0) + 1
                pversions[key] = version
            subs.append(dict(record, submission_id=sid, version=version, ingested_at=at))
            p = _columns(problems)
            if p:
                p = dict(p, seq=list(range(1, len(next(iter(p.values()))) + 1)))
            _extend(columns["problems"], p, submission_id=sid, unit_code=unit)
            if record["status"] == "accepted":
                for name in ANALYSIS_TABLES + PARTNER_TABLES:
                    _extend(columns[name], _columns(tables.get(name)), submission_id=sid, unit_code=unit)
            audits.append({"audit_id": audit_id, "changed_at": at,
                           "action": f"{'partner_' if record.get('partner') else ''}submission_{record['status']}",
                           "submission_id": sid, "unit_code": unit, "file_name": record["file_name"],
                           "sha256": record["sha256"],
                           "detail": f"version {version}; {record['n_errors']} errors, "
                                     f"{record['n_warnings']} warnings"})
            ids.append({"submission_id": int(sid), "version": None if version is None else int(version)})
        _insert_frame(con, "submissions", pd.DataFrame(subs))
        for name, cols in columns.items():
            if cols and len(next(iter(cols.values()))):
                _insert_frame(con, name, pd.DataFrame(cols))
        _insert_frame(con, "audit", pd.DataFrame(audits))
        _test_pause()
        con.commit()
    except BaseException:
        # a failed commit (disk full) has already ended the transaction: nothing to roll back then
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        raise
    return ids


def _test_pause() -> None:
    """Test hook: ``NRLIB_TEST_PAUSE_IN_TRANSACTION=SECONDS`` sleeps inside the transaction, ending
    early once the file named by ``NRLIB_TEST_PAUSE_RELEASE`` exists. Unset in normal use."""
    pause = config.env("NRLIB_TEST_PAUSE_IN_TRANSACTION")
    if not pause:
        return
    print(f"nrlib: pausing {pause} s inside the transaction", file=sys.stderr, flush=True)
    release = config.env("NRLIB_TEST_PAUSE_RELEASE")
    end = time.monotonic() + float(pause)
    while time.monotonic() < end and not (release and os.path.exists(release)):
        time.sleep(0.05)


def add_submission(con, record: dict, tables: dict[str, pd.DataFrame], problems: pd.DataFrame) -> dict:
    """Store one received file in ONE transaction (see :func:`add_submissions`)."""
    return add_submissions(con, [(record, tables, problems)])[0]
