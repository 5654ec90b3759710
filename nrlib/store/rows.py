"""Reading the store as plain rows, without pandas: the district, the data version, who sent what and when.

:func:`nrlib.store.load_dataset` reads everything into frames; ``nrlib status``
needs only the submissions' bookkeeping, and answers from this module with
DuckDB alone (``import pandas`` costs more than the whole query).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from nrlib.exceptions import StoreError
from nrlib.reference.outline import outline_deadline
from nrlib.reference.unit_rows import unit_rows
from nrlib.store.connection import open_store, resolve_db_path

#: the columns of :attr:`SubmissionRows.submissions` (those :func:`nrlib.analysis.timeliness.timeliness_rows` reads)
SUBMISSION_COLUMNS = ("unit_code", "version", "received_date", "status", "n_errors", "n_warnings")
#: the columns of :attr:`SubmissionRows.unassigned`, as ``load_dataset``'s ``meta["unassigned"]`` has them
UNASSIGNED_COLUMNS = ("submission_id", "file_name", "received_date", "claimed_unit_code", "n_errors")
#: the columns of :attr:`SubmissionRows.partners`
PARTNER_COLUMNS = ("partner", "version", "received_date", "status", "n_errors", "n_warnings", "file_name")


def data_version(con) -> str:
    """``"audit 12 · 2021-02-20T10:15:00"``: the store's last change."""
    rows = con.execute("SELECT audit_id, changed_at FROM audit ORDER BY audit_id DESC LIMIT 1").fetchall()
    row = rows[0] if rows else None
    if not row:
        return "audit 0"
    return f"audit {row[0]} · {row[1].isoformat()}"


def district_of(con, district_code) -> str:
    """The district to read: ``district_code`` (3 digits), else the one district the store's submissions have.

    Raises :class:`StoreError` when the store holds no submission of a known
    unit, or several districts and no ``district_code``.
    """
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


@dataclass(frozen=True)
class SubmissionRows:
    """Who sent what and when, for one district: what ``nrlib status`` shows, as plain rows.

    Attributes
    ----------
    district_code : str
        The district read (:func:`district_of`).
    units : list of dict
        The expected units, every unit of the district in the registry
        (:func:`nrlib.reference.unit_rows.unit_rows`, sorted by unit code).
    submissions : list of dict
        Every version of the district's units (:data:`SUBMISSION_COLUMNS`;
        ``received_date`` a ``datetime.date``), by unit code and version.
    unassigned : list of dict
        Files whose unit could not be identified (:data:`UNASSIGNED_COLUMNS`),
        by submission id; ``received_date`` is a ``datetime.datetime`` at
        midnight, as the frame of ``load_dataset`` holds it.
    deadline : date
        The outline's deadline.
    data_version : str
        The store's last change (:func:`data_version`).
    """

    district_code: str
    units: list[dict]
    submissions: list[dict]
    unassigned: list[dict]
    deadline: dt.date
    data_version: str
    #: every version of the partners' workbooks for the district (:data:`PARTNER_COLUMNS`), by partner and version
    partners: tuple = ()


def _dicts(cursor, columns: tuple[str, ...]) -> list[dict]:
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def submission_rows(db_path: str | Path | None = None, district_code: str | int | None = None) -> SubmissionRows:
    """Read the submissions' bookkeeping of one district, with the checks and errors of
    :func:`nrlib.store.load_dataset` (a missing, foreign or outdated store, no district, an unknown district).

    Parameters
    ----------
    db_path : str or Path, optional
        The store (default :func:`nrlib.config.default_db_path`), opened read-only.
    district_code : str or int, optional
        GSO district code; default: the one district found in the store.
    """
    db_path = resolve_db_path(db_path)
    with open_store(db_path, read_only=True) as con:
        district = district_of(con, district_code)
        deadline = outline_deadline()
        units = unit_rows(district)
        codes = [u["unit_code"] for u in units]
        submissions = _dicts(con.execute("""
            SELECT unit_code, version, received_date, status, n_errors, n_warnings FROM submissions
            WHERE list_contains(?::VARCHAR[], unit_code) ORDER BY unit_code, version""", [codes]), SUBMISSION_COLUMNS)
        unassigned = _dicts(con.execute(
            "SELECT submission_id, file_name, CAST(received_date AS TIMESTAMP), claimed_unit_code, n_errors "
            "FROM submissions WHERE unit_code IS NULL AND (partner IS NULL OR district_code IS NULL) "
            "ORDER BY submission_id"), UNASSIGNED_COLUMNS)
        partners = _dicts(con.execute(
            "SELECT partner, version, received_date, status, n_errors, n_warnings, file_name FROM submissions "
            "WHERE partner IS NOT NULL AND district_code = ? ORDER BY partner, version", [district]), PARTNER_COLUMNS)
        version = data_version(con)
    return SubmissionRows(district_code=district, units=units, submissions=submissions, unassigned=unassigned,
                          deadline=deadline, data_version=version, partners=tuple(partners))
