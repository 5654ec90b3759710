"""The embedded store: every received version of every workbook, in one DuckDB file.

Layout (schema version :data:`SCHEMA_VERSION`):

==================  ==================================================================
table / view        holds
==================  ==================================================================
schema_version      one row per applied migration
submissions         one row per received file (accepted or rejected): unit, version,
                    file name, stored copy, size, sha256, received date, result
data_values         values of accepted submissions (VanDong metrics, ChiTieu indicators)
criteria_status     declared criterion status of accepted submissions
proposals           commendation proposals (KhenThuong) of accepted submissions
narratives          DanhGia texts of accepted submissions
info                ThongTin fields of accepted submissions
notes               "Ghi chú" cells of accepted submissions
problems            every problem of every submission (accepted or rejected)
audit               every change to the store: what, when, which file
current_submissions VIEW: the latest *accepted* version of each unit — what analyses use
latest_submissions  VIEW: the latest version of each unit, whatever its result
==================  ==================================================================

Rejected workbooks leave their ``submissions``, ``problems`` and ``audit`` rows
and their raw copy, and nothing in the analysis tables.

Concurrency: DuckDB lets one process write. Writers hold an exclusive lock
file beside the store (``nrlib.duckdb.lock``, :func:`store_lock`), waiting up
to a timeout with a message, and readers open the store read-only
(:func:`open_store`), retrying while a writer has it open. Every write is one
transaction, so a killed process leaves the store at its last commit.

Schema changes are migrations: functions in :data:`MIGRATIONS`, applied in
order inside one transaction when an older store is opened. A store made by
a newer nrlib (unknown version) is refused with a :class:`StoreError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd

from nrlib import config

from nrlib.core import labels
from nrlib.dataset import COLUMNS, Dataset
from nrlib.exceptions import StoreError
from nrlib.reference import load_criteria, load_outline, load_units, resolve_levels, unit_years

#: seconds a writer waits for the lock, or a reader for the writer (``$NRLIB_LOCK_TIMEOUT``)
DEFAULT_TIMEOUT = 120.0

#: analysis tables: what an accepted submission adds (rejected ones add nothing here)
ANALYSIS_TABLES = ("data_values", "criteria_status", "proposals", "narratives", "info", "notes")


# ----------------------------------------------------------------------------- migrations


def _m1_initial(con: duckdb.DuckDBPyConnection) -> None:
    """Initial schema.

    Content tables carry no primary key: validation yields one row per cell,
    and DuckDB's per-row indexes would make the bulk inserts several times
    slower (tests check the uniqueness instead).
    """
    con.execute("""
        CREATE TABLE submissions (
            submission_id INTEGER PRIMARY KEY,
            unit_code VARCHAR,              -- NULL when no unit could be identified
            district_code VARCHAR,
            version INTEGER,                -- 1, 2, ... per unit, in order of ingestion
            file_name VARCHAR NOT NULL,     -- the name it was received under (untrusted text)
            raw_path VARCHAR NOT NULL,      -- the unchanged copy, relative to the store's folder
            file_format VARCHAR NOT NULL,
            size_bytes BIGINT NOT NULL,
            sha256 VARCHAR NOT NULL UNIQUE,
            received_date DATE NOT NULL,
            ingested_at TIMESTAMP NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('accepted', 'rejected')),
            n_errors INTEGER NOT NULL,
            n_warnings INTEGER NOT NULL,
            is_sample BOOLEAN NOT NULL,
            outline_version VARCHAR,
            claimed_unit_code VARCHAR,      -- the manifest's or the file name's unit, if any
            UNIQUE (unit_code, version)
        )""")
    con.execute("""
        CREATE TABLE data_values (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, year INTEGER NOT NULL,
            data_element VARCHAR NOT NULL, value DOUBLE)""")
    con.execute("""
        CREATE TABLE criteria_status (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, year INTEGER NOT NULL,
            criterion_no INTEGER NOT NULL,
            status VARCHAR CHECK (status IN ('reached', 'not_reached', 'not_applicable')))""")
    con.execute("""
        CREATE TABLE proposals (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, seq INTEGER NOT NULL,
            kind VARCHAR, name VARCHAR, address VARCHAR, achievement VARCHAR, award_form VARCHAR)""")
    con.execute("""
        CREATE TABLE narratives (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, section_code VARCHAR NOT NULL,
            text VARCHAR)""")
    con.execute("""
        CREATE TABLE info (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR)""")
    con.execute("""
        CREATE TABLE notes (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, sheet VARCHAR NOT NULL,
            row_code VARCHAR NOT NULL, text VARCHAR NOT NULL)""")
    con.execute("""
        CREATE TABLE problems (
            submission_id INTEGER NOT NULL, seq INTEGER NOT NULL, unit_code VARCHAR,
            sheet VARCHAR, cell VARCHAR, rule VARCHAR NOT NULL, severity VARCHAR NOT NULL,
            message VARCHAR NOT NULL, value VARCHAR)""")
    con.execute("""
        CREATE TABLE audit (
            audit_id INTEGER PRIMARY KEY, changed_at TIMESTAMP NOT NULL, action VARCHAR NOT NULL,
            submission_id INTEGER, unit_code VARCHAR, file_name VARCHAR, sha256 VARCHAR, detail VARCHAR)""")
    con.execute("""
        CREATE VIEW current_submissions AS
        SELECT s.* FROM submissions s
        WHERE s.status = 'accepted' AND s.unit_code IS NOT NULL
          AND s.version = (SELECT max(t.version) FROM submissions t
                           WHERE t.unit_code = s.unit_code AND t.status = 'accepted')""")
    con.execute("""
        CREATE VIEW latest_submissions AS
        SELECT s.* FROM submissions s
        WHERE s.unit_code IS NOT NULL
          AND s.version = (SELECT max(t.version) FROM submissions t WHERE t.unit_code = s.unit_code)""")


#: schema migrations, in order; migration ``i`` (0-based) brings a store to version ``i + 1``
MIGRATIONS = [_m1_initial]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The store's schema version (0 for an empty file)."""
    has = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
                      ).fetchall()[0][0]
    if not has:
        return 0
    return int(con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0])


def _newer_store(current: int, known: int) -> StoreError:
    return StoreError(
        f"kho dữ liệu dùng lược đồ phiên bản {current}, mới hơn phiên bản {known} mà nrlib này biết; "
        f"hãy cập nhật nrlib / the store has schema version {current}, newer than this nrlib ({known}): "
        "upgrade nrlib")


def migrate(con: duckdb.DuckDBPyConnection, migrations=None) -> int:
    """Bring the store to the latest schema in one transaction; returns the version reached.

    Raises :class:`StoreError` when the store is newer than this nrlib knows.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    current = schema_version(con)
    if current > len(migrations):
        raise _newer_store(current, len(migrations))
    if current == len(migrations):
        return current
    if current == 0:
        _refuse_foreign(con)
    con.begin()
    try:
        if current == 0:
            con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL, "
                        "description VARCHAR NOT NULL)")
        for i in range(current, len(migrations)):
            fn = migrations[i]
            fn(con)
            now = _now()
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                        [i + 1, now, (fn.__doc__ or fn.__name__).strip().splitlines()[0]])
            _audit(con, "schema_migrated", detail=f"schema version {i} -> {i + 1}", at=now)
        con.commit()
    except duckdb.Error as exc:
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        raise StoreError(f"không nâng cấp được kho dữ liệu lên phiên bản {len(migrations)}: {exc}; kho được giữ "
                         f"nguyên như trước / could not migrate the store; it is unchanged") from exc
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        raise
    return len(migrations)


def _refuse_foreign(con: duckdb.DuckDBPyConnection) -> None:
    """A database with tables but no ``schema_version`` is someone else's: never write into it."""
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'main' ORDER BY 1 LIMIT 5").fetchall()]
    if tables:
        path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                           ).fetchall()
        where = path[0][0] if path and path[0][0] else "này"
        raise StoreError(f"tệp {where} là một cơ sở dữ liệu khác (có bảng {', '.join(tables)}), không phải kho dữ liệu "
                         "của nrlib; nrlib không ghi vào đó. Hãy chỉ --db tới kho của nrlib hoặc tới một tệp mới / "
                         f"{where} is another database (tables {', '.join(tables)}), not an nrlib store: nrlib "
                         "leaves it untouched; point --db at an nrlib store or a new file")


# ----------------------------------------------------------------------------- opening, locking


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return float(timeout)
    return float(os.environ.get("NRLIB_LOCK_TIMEOUT", DEFAULT_TIMEOUT))


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextlib.contextmanager
def store_lock(db_path: str | Path | None = None, timeout: float | None = None, *, quiet: bool = False):
    """Hold the store's exclusive writer lock (a ``flock`` on ``<store>.lock``).

    Waits up to ``timeout`` seconds (default ``$NRLIB_LOCK_TIMEOUT`` or
    :data:`DEFAULT_TIMEOUT`), printing once that it waits, then raises
    :class:`StoreError` asking to re-run. The lock dies with its process, so
    a killed ingest never leaves the store locked.
    """
    db_path = resolve_db_path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    limit = _timeout(timeout)
    fh = open(lock_path(db_path), "a+")
    try:
        deadline = time.monotonic() + limit
        told = False
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"kho dữ liệu {db_path} vẫn đang được một lệnh khác ghi sau {limit:g} giây; hãy chạy lại lệnh "
                        f"sau ít phút / the store is still being written by another command after {limit:g} s: "
                        "re-run later") from None
                if not told and not quiet:
                    print(labels.LOCK_WAITING.format(db=db_path, timeout=f"{limit:g}"), file=sys.stderr, flush=True)
                    told = True
                time.sleep(0.1)
        yield db_path
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        fh.close()


def resolve_db_path(db_path: str | Path | None) -> Path:
    return Path(db_path).expanduser().resolve() if db_path else config.default_db_path()


def _connect(db_path: Path, read_only: bool, timeout: float | None) -> duckdb.DuckDBPyConnection:
    limit = _timeout(timeout)
    deadline = time.monotonic() + limit
    while True:
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"không mở được kho dữ liệu {db_path}: {exc} / cannot open the store") from exc
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"kho dữ liệu {db_path} đang bận sau {limit:g} giây; hãy chạy lại lệnh / the store is busy "
                    f"after {limit:g} s: re-run") from exc
            time.sleep(0.1)
        except duckdb.Error as exc:
            raise StoreError(f"không mở được kho dữ liệu {db_path}: {exc} / cannot open the store") from exc


def missing_store_message(db_path: Path) -> str:
    return (f"chưa có kho dữ liệu {db_path}: hãy chạy `nrlib ingest THƯ_MỤC_BIỂU_MẪU` hoặc `make demo` / "
            f"no store at {db_path}: run `nrlib ingest FOLDER` or `make demo` first")


def open_store(db_path: str | Path | None = None, *, read_only: bool = True,
               timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store, migrating an older schema first.

    Parameters
    ----------
    db_path : str or Path, optional
        Default :func:`nrlib.config.default_db_path`.
    read_only : bool
        Reports and notebooks open read-only (default). A read-write
        connection creates the store if needed; hold :func:`store_lock`
        around it, as :mod:`nrlib.ingest` does.
    timeout : float, optional
        Seconds to wait while another process holds the store.

    Raises
    ------
    StoreError
        Missing store (read-only), a store from a newer nrlib, or a store
        still busy after ``timeout``.
    """
    db_path = resolve_db_path(db_path)
    if read_only:
        if not db_path.exists():
            raise StoreError(missing_store_message(db_path))
        con = _connect(db_path, True, timeout)
        try:
            version = schema_version(con)
        except BaseException:
            con.close()
            raise
        if version == SCHEMA_VERSION:
            return con
        con.close()
        if version > SCHEMA_VERSION:
            raise _newer_store(version, SCHEMA_VERSION)
        with store_lock(db_path, timeout):
            with _connect(db_path, False, timeout) as c:
                migrate(c)
        return _connect(db_path, True, timeout)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(db_path, False, timeout)
    try:
        migrate(con)
    except BaseException:
        con.close()
        raise
    return con


# ----------------------------------------------------------------------------- writing


def _audit(con, action: str, *, submission_id=None, unit_code=None, file_name=None, sha256=None, detail=None,
           at=None) -> int:
    audit_id = con.execute("SELECT coalesce(max(audit_id), 0) + 1 FROM audit").fetchall()[0][0] \
        if _has_table(con, "audit") else None
    if audit_id is None:
        return 0
    con.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [audit_id, at or _now(), action, submission_id, unit_code, file_name, sha256, detail])
    return audit_id


def _has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
                            ).fetchall()[0][0])


def find_sha256(con, sha256: str) -> dict | None:
    """The submission already stored with this checksum, if any."""
    return known_checksums(con, sha256).get(sha256)


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
        now = _now()
        subs, audits, ids = [], [], []
        columns: dict[str, dict[str, list]] = {name: {} for name in ANALYSIS_TABLES + ("problems",)}
        for record, tables, problems in batch:
            sid += 1
            audit_id += 1
            unit = record.get("unit_code")
            version = None
            if unit:
                version = versions.get(unit, 0) + 1
                versions[unit] = version
            subs.append(dict(record, submission_id=sid, version=version, ingested_at=now))
            p = _columns(problems)
            if p:
                p = dict(p, seq=list(range(1, len(next(iter(p.values()))) + 1)))
            _extend(columns["problems"], p, submission_id=sid, unit_code=unit)
            if record["status"] == "accepted":
                for name in ANALYSIS_TABLES:
                    _extend(columns[name], _columns(tables.get(name)), submission_id=sid, unit_code=unit)
            audits.append({"audit_id": audit_id, "changed_at": now, "action": f"submission_{record['status']}",
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
    pause = os.environ.get("NRLIB_TEST_PAUSE_IN_TRANSACTION")
    if not pause:
        return
    print(f"nrlib: pausing {pause} s inside the transaction", file=sys.stderr, flush=True)
    release = os.environ.get("NRLIB_TEST_PAUSE_RELEASE")
    end = time.monotonic() + float(pause)
    while time.monotonic() < end and not (release and os.path.exists(release)):
        time.sleep(0.05)


def add_submission(con, record: dict, tables: dict[str, pd.DataFrame], problems: pd.DataFrame) -> dict:
    """Store one received file in ONE transaction (see :func:`add_submissions`)."""
    return add_submissions(con, [(record, tables, problems)])[0]


# ----------------------------------------------------------------------------- reading


def table_digest(con, table: str) -> str:
    """SHA-256 of a table's rows in sorted order: equal digests, equal content."""
    import hashlib

    df = con.execute(f"SELECT * FROM {sql_ident(table)}").df()
    df = df.sort_values(list(df.columns), ignore_index=True) if len(df) else df
    return hashlib.sha256(df.to_csv(index=False).encode("utf-8")).hexdigest()


def data_version(con) -> str:
    """``"audit 12 · 2021-02-20T10:15:00"``: the store's last change."""
    rows = con.execute("SELECT audit_id, changed_at FROM audit ORDER BY audit_id DESC LIMIT 1").fetchall()
    row = rows[0] if rows else None
    if not row:
        return "audit 0"
    return f"audit {row[0]} · {row[1].isoformat()}"


def _district_of(con, district_code) -> str:
    if district_code is not None:
        return str(district_code).strip().zfill(3)
    codes = [r[0] for r in con.execute("SELECT DISTINCT district_code FROM submissions "
                                       "WHERE district_code IS NOT NULL ORDER BY 1").fetchall()]
    if len(codes) == 1:
        return codes[0]
    if not codes:
        raise StoreError("kho dữ liệu chưa có báo cáo của đơn vị nào; hãy chạy `nrlib ingest` / "
                         "the store holds no submission from a known unit: run `nrlib ingest`")
    raise StoreError(f"kho dữ liệu có báo cáo của nhiều huyện ({', '.join(codes)}); hãy chỉ rõ mã huyện / "
                     f"the store holds several districts ({', '.join(codes)}): pass district_code")


def _frame(con, sql: str, params: list) -> pd.DataFrame:
    df = con.execute(sql, params).df()
    if df.empty:
        df = pd.DataFrame({c: pd.Series(dtype=object) for c in df.columns})
    return df


def load_dataset(db_path: str | Path | None = None, district_code: str | int | None = None) -> Dataset:
    """Read the latest accepted version of each unit's submission into a :class:`nrlib.dataset.Dataset`.

    Parameters
    ----------
    db_path : str or Path, optional
        The store (default :func:`nrlib.config.default_db_path`), opened read-only.
    district_code : str or int, optional
        GSO district code; default: the one district found in the store.

    Returns
    -------
    Dataset
        Expected units are every unit of the district in the registry
        (:func:`nrlib.load_units`), whether they sent anything or not;
        ``submissions`` has every version of the district's units with
        ``is_latest`` and ``is_current``; content tables come from
        ``current_submissions``; ``problems`` are those of each unit's latest
        version; ``data_version`` names the store's last audited change.
        ``meta`` holds ``db_path``, ``schema_version``, ``notes`` (Ghi chú
        cells) and ``unassigned`` (files whose unit could not be identified).

    Raises
    ------
    StoreError
        No store yet (run ``nrlib ingest`` or ``make demo``), or an empty or
        ambiguous store with no ``district_code``.
    """
    db_path = resolve_db_path(db_path)
    with open_store(db_path, read_only=True) as con:
        district = _district_of(con, district_code)
        outline = load_outline()
        units = load_units(district)
        codes = list(units["unit_code"])
        first = units.iloc[0]
        scopes = [s for s in (first["district_code"], first["province_code"], first["region_code"]) if s]
        subs = _frame(con, """
            SELECT s.*, (l.submission_id IS NOT NULL) AS is_latest, (c.submission_id IS NOT NULL) AS is_current
            FROM submissions s
            LEFT JOIN latest_submissions l USING (submission_id)
            LEFT JOIN current_submissions c USING (submission_id)
            WHERE list_contains(?::VARCHAR[], s.unit_code)
            ORDER BY s.unit_code, s.version""", [codes])
        if len(subs):
            subs["received_date"] = pd.to_datetime(subs["received_date"]).dt.date
            subs["is_latest"] = subs["is_latest"].astype(bool)
            subs["is_current"] = subs["is_current"].astype(bool)

        def current(table: str, cols: list[str], order: list[str]) -> pd.DataFrame:
            return _frame(con, f"""
                SELECT {sql_idents(cols, "t")} FROM {sql_ident(table)} t JOIN current_submissions c USING (submission_id)
                WHERE list_contains(?::VARCHAR[], c.unit_code) ORDER BY {sql_idents(order, "t")}""", [codes])

        values = current("data_values", COLUMNS["values"], ["unit_code", "data_element", "year"])
        criteria_status = current("criteria_status", COLUMNS["criteria_status"], ["unit_code", "criterion_no", "year"])
        proposals = current("proposals", COLUMNS["proposals"], ["unit_code", "seq"])
        narratives = current("narratives", COLUMNS["narratives"], ["unit_code", "section_code"])
        info = current("info", COLUMNS["info"], ["unit_code", "key"])
        notes = current("notes", ["submission_id", "unit_code", "sheet", "row_code", "text"],
                        ["unit_code", "sheet", "row_code"])
        problems = _frame(con, """
            SELECT p.submission_id, p.unit_code, p.sheet, p.cell, p.rule, p.severity, p.message, p.value
            FROM problems p JOIN latest_submissions l USING (submission_id)
            WHERE list_contains(?::VARCHAR[], l.unit_code) ORDER BY p.unit_code, p.submission_id, p.seq""",
                          [codes])
        unassigned = _frame(con, "SELECT submission_id, file_name, received_date, claimed_unit_code, n_errors "
                                 "FROM submissions WHERE unit_code IS NULL ORDER BY submission_id", [])
        version = data_version(con)
        sv = schema_version(con)
    if len(values):
        values["year"] = values["year"].astype(int)
        values["value"] = values["value"].astype(float)
    if len(criteria_status):
        criteria_status["year"] = criteria_status["year"].astype(int)
        criteria_status["criterion_no"] = criteria_status["criterion_no"].astype(int)
        criteria_status["status"] = criteria_status["status"].astype(object).where(
            criteria_status["status"].notna(), None)
    return Dataset(
        outline=outline, criteria=load_criteria(), levels=resolve_levels(scopes, outline.years),
        units=units, unit_years=unit_years(units, outline.years), submissions=subs, values=values,
        criteria_status=criteria_status, problems=problems, proposals=proposals, narratives=narratives, info=info,
        deadline=outline.deadline, data_version=version,
        meta={"db_path": str(db_path), "schema_version": sv, "district_code": district, "notes": notes,
              "unassigned": unassigned})
