"""The store's schema as migrations: each a function, applied in order in one transaction."""

from __future__ import annotations

import contextlib

import duckdb

from nrlib.exceptions import StoreError
from nrlib.store.sql import audit, now


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
    _submission_views(con)


def _submission_views(con: duckdb.DuckDBPyConnection) -> None:
    """The views of each unit's current (latest accepted) and latest submission."""
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


#: the row that marks a database as an nrlib store (table ``nrlib_store``, migration 2)
STORE_MARKER = "nrlib store"


def _m2_marker(con: duckdb.DuckDBPyConnection) -> None:
    """Mark the database as an nrlib store.

    nrlib writes only into a store it made: a database holding tables, in any
    schema, and no marker is someone else's (:func:`foreign_tables`).
    """
    con.execute("CREATE TABLE nrlib_store (marker VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)")
    con.execute("INSERT INTO nrlib_store VALUES (?, ?)", [STORE_MARKER, now()])


def _m3_proposal_details(con: duckdb.DuckDBPyConnection) -> None:
    """Proposals carry what a commendation list needs (outline version 2): đối tượng, năm sinh, giới tính, earlier awards.

    The columns stay empty for proposals of version 1 workbooks, which never asked for them.
    """
    for column, kind in (("subject", "VARCHAR"), ("birth_year", "INTEGER"), ("gender", "VARCHAR"),
                         ("earlier_awards", "VARCHAR")):
        con.execute(f"ALTER TABLE proposals ADD COLUMN {column} {kind}")


def _m4_urban_status(con: duckdb.DuckDBPyConnection) -> None:
    """A town's declared status of each criterion of the urban standard (outline version 2, sheet VanMinhDoThi).

    One row per criterion (``VM1`` …) and year of an accepted submission; empty for a xã's and for every version 1
    workbook, which never asked for it. Statuses as in ``criteria_status``.
    """
    con.execute("""
        CREATE TABLE urban_status (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, year INTEGER NOT NULL,
            criterion_code VARCHAR NOT NULL,
            status VARCHAR CHECK (status IN ('reached', 'not_reached', 'not_applicable')))""")


def _m5_partners(con: duckdb.DuckDBPyConnection) -> None:
    """The partners' workbooks: the coordination office's official criteria status and recognitions, the culture committee's counts.

    A partner's file is a row of ``submissions`` like a commune's, with ``partner`` set (the partner's key,
    ``nrlib.reference.partners``), no ``unit_code`` and its versions numbered per partner and district; its
    content goes to three tables keyed by submission and unit as the communes' are. ``partner`` is NULL for a
    commune's file, so every view of the communes' submissions (they require a ``unit_code``) is unchanged.
    """
    # DuckDB before 2.0 binds a view's ``s.*`` to the columns it had: the views over submissions are made again
    # with the new column (else every read of them fails: "Contents of view were altered")
    con.execute("DROP VIEW current_submissions")
    con.execute("DROP VIEW latest_submissions")
    con.execute("ALTER TABLE submissions ADD COLUMN partner VARCHAR")
    _submission_views(con)
    con.execute("""
        CREATE TABLE partner_criteria_status (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, year INTEGER NOT NULL,
            criterion_no INTEGER NOT NULL,
            status VARCHAR NOT NULL CHECK (status IN ('reached', 'not_reached', 'not_applicable')))""")
    con.execute("""
        CREATE TABLE partner_recognitions (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, title VARCHAR NOT NULL, year INTEGER NOT NULL,
            decision_no VARCHAR, decision_date DATE)""")
    con.execute("""
        CREATE TABLE partner_values (
            submission_id INTEGER NOT NULL, unit_code VARCHAR NOT NULL, year INTEGER NOT NULL,
            data_element VARCHAR NOT NULL, value DOUBLE)""")
    con.execute("""
        CREATE VIEW current_partner_submissions AS
        SELECT s.* FROM submissions s
        WHERE s.status = 'accepted' AND s.partner IS NOT NULL AND s.district_code IS NOT NULL
          AND s.version = (SELECT max(t.version) FROM submissions t
                           WHERE t.partner = s.partner AND t.district_code = s.district_code
                             AND t.status = 'accepted')""")


#: schema migrations, in order; migration ``i`` (0-based) brings a store to version ``i + 1``
MIGRATIONS = [_m1_initial, _m2_marker, _m3_proposal_details, _m4_urban_status, _m5_partners]
SCHEMA_VERSION = len(MIGRATIONS)


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """``(schema, name)`` of every table and view of the connection's own database, any schema."""
    return [tuple(r) for r in con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_catalog = current_database() "
        "ORDER BY 1, 2").fetchall()]


def is_nrlib_store(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database is an nrlib store: its marker row, or (a store from before the marker) nrlib's
    first migration recorded in ``schema_version`` beside a ``submissions`` table of checksums."""
    tables = set(_tables(con))
    if ("main", "nrlib_store") in tables:
        rows = con.execute("SELECT marker FROM main.nrlib_store LIMIT 1").fetchall()
        return bool(rows) and rows[0][0] == STORE_MARKER
    if not {("main", "schema_version"), ("main", "submissions")} <= tables:
        return False
    first = con.execute("SELECT description FROM main.schema_version WHERE version = 1").fetchall()
    columns = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                         "table_catalog = current_database() AND table_schema = 'main' AND "
                                         "table_name = 'submissions'").fetchall()}
    return bool(first) and first[0][0] == _first_line(_m1_initial) and "sha256" in columns


def foreign_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables of a database that is not an nrlib store (empty: an nrlib store, or an empty database)."""
    if is_nrlib_store(con):
        return []
    return [name if schema == "main" else f"{schema}.{name}" for schema, name in _tables(con)]


def _first_line(fn) -> str:
    return (fn.__doc__ or fn.__name__).strip().splitlines()[0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The store's schema version (0 for an empty database, or one that is not an nrlib store)."""
    if not is_nrlib_store(con):
        return 0
    return int(con.execute("SELECT coalesce(max(version), 0) FROM main.schema_version").fetchall()[0][0])


def newer_store(current: int, known: int) -> StoreError:
    """The error for a store made by a newer nrlib than this one."""
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
        raise newer_store(current, len(migrations))
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
            at = now()
            con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [i + 1, at, _first_line(fn)])
            audit(con, "schema_migrated", detail=f"schema version {i} -> {i + 1}", at=at)
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
    """A database with tables (in any schema) that is not an nrlib store is someone else's: never write into it."""
    tables = foreign_tables(con)
    if tables:
        path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                           ).fetchall()
        raise foreign_store(path[0][0] if path and path[0][0] else "này", tables)


def foreign_store(where, tables: list[str]) -> StoreError:
    """The error for a database that is not an nrlib store (nrlib neither reads nor writes it)."""
    shown = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
    return StoreError(f"tệp {where} là một cơ sở dữ liệu khác (có bảng {shown}), không phải kho dữ liệu của nrlib; "
                      "nrlib không đọc, không ghi vào đó. Hãy chỉ --db tới kho của nrlib hoặc tới một tệp mới / "
                      f"{where} is another database (tables {shown}), not an nrlib store: nrlib leaves it untouched; "
                      "point --db at an nrlib store or a new file")


def outdated_store(where, current: int) -> StoreError:
    """The error of a read-only command on a store of an older schema: it says which command upgrades it."""
    return StoreError(f"kho dữ liệu {where} dùng lược đồ phiên bản {current}, nrlib này dùng phiên bản "
                      f"{SCHEMA_VERSION}. Lệnh này chỉ đọc nên không sửa kho; hãy chạy `nrlib upgrade --db {where}` "
                      f"(hoặc một lần `nrlib ingest`) để nâng cấp / the store {where} has schema version {current}, "
                      f"this nrlib uses {SCHEMA_VERSION}: this command only reads; run `nrlib upgrade --db {where}`")
