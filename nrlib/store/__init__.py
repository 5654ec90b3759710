"""The embedded store: every received version of every workbook, in one DuckDB file.

Layout (schema version :data:`SCHEMA_VERSION`):

==================  ==================================================================
table / view        holds
==================  ==================================================================
schema_version      one row per applied migration
nrlib_store         the marker row: this database is an nrlib store (nrlib writes into no other)
submissions         one row per received file (accepted or rejected): unit, version,
                    file name, stored copy, size, sha256, received date, result; a
                    partner's workbook has ``partner`` and no unit (versions per
                    partner and district)
data_values         values of accepted submissions (VanDong metrics, ChiTieu indicators)
criteria_status     declared criterion status of accepted submissions
urban_status        a town's declared status of the urban standard's criteria (VanMinhDoThi)
proposals           commendation proposals (KhenThuong) of accepted submissions
narratives          DanhGia texts of accepted submissions
info                key / value fields of accepted submissions (ThongTin, SoKet, TuCham)
notes               "Ghi chú" cells of accepted submissions
partner_criteria_status  the coordination office's official status of each criterion
partner_recognitions     its recognitions (xã đạt chuẩn NTM, nâng cao, kiểu mẫu)
partner_values      the culture committee's counts, by the outline metric each states
problems            every problem of every submission (accepted or rejected)
audit               every change to the store: what, when, which file
current_submissions VIEW: the latest *accepted* version of each unit — what analyses use
latest_submissions  VIEW: the latest version of each unit, whatever its result
current_partner_submissions  VIEW: the latest accepted version of each partner's workbook per district
==================  ==================================================================

Rejected workbooks leave their ``submissions``, ``problems`` and ``audit`` rows
and their raw copy, and nothing in the analysis tables.

Concurrency: DuckDB lets one process write. Writers hold an exclusive lock
file beside the store (``nrlib.duckdb.lock``, :func:`store_lock`), waiting up
to a timeout with a message, and readers open the store read-only
(:func:`open_store`), retrying while a writer has it open. Every write is one
transaction, so a killed process leaves the store at its last commit.

Schema changes are migrations: functions in :data:`MIGRATIONS`, applied in
order inside one transaction when a writer (``nrlib ingest``, ``nrlib
upgrade``) opens an older store; readers never write, and name that command. A store made by
a newer nrlib (unknown version) is refused with a :class:`StoreError`.
"""

from __future__ import annotations

from nrlib.core.lazy import lazy_names

from nrlib.exceptions import StoreError

# public name -> the submodule that defines it. Each is imported on first use (PEP 562), so a command that
# only opens the store and queries it (``nrlib status``) does not import what reading it into pandas needs.
_API = {
    "DEFAULT_TIMEOUT": "connection", "check_writable": "connection", "lock_path": "connection",
    "missing_store_message": "connection", "open_store": "connection", "resolve_db_path": "connection",
    "store_lock": "connection",
    "MIGRATIONS": "migrations", "SCHEMA_VERSION": "migrations", "migrate": "migrations",
    "schema_version": "migrations",
    "data_version": "rows", "load_dataset": "read", "table_digest": "read",
    "sql_ident": "sql", "sql_idents": "sql",
    "ANALYSIS_TABLES": "write", "add_submission": "write", "add_submissions": "write", "known_checksums": "write",
}
#: the submodules the package imported when it imported everything at once: still attributes of it
_SUBMODULES = ("connection", "migrations", "read", "rows", "sql", "write")

__all__ = [
    "ANALYSIS_TABLES",
    "DEFAULT_TIMEOUT",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "StoreError",
    "add_submission",
    "add_submissions",
    "check_writable",
    "data_version",
    "known_checksums",
    "load_dataset",
    "lock_path",
    "migrate",
    "missing_store_message",
    "open_store",
    "resolve_db_path",
    "schema_version",
    "sql_ident",
    "sql_idents",
    "store_lock",
    "table_digest",
]


__getattr__, __dir__ = lazy_names(__name__, _API, _SUBMODULES)
