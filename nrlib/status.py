"""``nrlib status``: who has reported, when, and with what result (DHIS2-style reporting rates).

The per-unit table and the totals come from :mod:`nrlib.analysis.timeliness` (the one
definition of on time / late / missing, shared with the quality analysis);
this module only reads the store and presents the result in Vietnamese.

The command answers from DuckDB without pandas (:func:`render_status` reads
:func:`nrlib.store.rows.submission_rows` and applies
:func:`nrlib.analysis.timeliness.timeliness_rows`): a status of ten lines
should not cost the import of the analyses. :func:`unit_status` is the same
table from a loaded :class:`nrlib.dataset.Dataset`, for notebooks and code
that have one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from nrlib.analysis.timeliness import (
    TIMELINESS_COLUMNS,
    reporting_rates,
    reporting_rates_rows,
    timeliness,
    timeliness_rows,
)
from nrlib.core import labels
from nrlib.core.vnformat import MISSING, fmt_date, fmt_percent
from nrlib.core.vocab import is_missing
from nrlib.reference.district_settings import day_count
from nrlib.store.rows import SubmissionRows, submission_rows

if TYPE_CHECKING:
    import pandas as pd

    from nrlib.dataset import Dataset

FORMATS = ("table", "csv", "json")


def _totals(totals: dict, deadline: dt.date, units: list[dict], data_version: str) -> dict:
    totals.update({"deadline": deadline.isoformat(),
                   "district_code": str(units[0]["district_code"]) if units else None,
                   "district_name": str(units[0]["district_name"]) if units else None,
                   "data_version": data_version})
    return totals


def unit_status(dataset: Dataset, deadline: dt.date | None = None) -> tuple[pd.DataFrame, dict]:
    """Per expected unit: latest version, received date, timeliness, result; and the totals.

    Parameters
    ----------
    dataset : Dataset
        From :func:`nrlib.store.load_dataset`.
    deadline : date, optional
        Default: the outline's deadline (``dataset.deadline``).

    Returns
    -------
    (DataFrame, dict)
        :func:`nrlib.analysis.timeliness.timeliness` of the dataset's units and
        submissions (days late counted as the district's settings say), and
        :func:`nrlib.analysis.timeliness.reporting_rates` of it plus ``deadline``, ``district_code``,
        ``district_name``, ``data_version``.
    """
    deadline = deadline or dataset.deadline
    table = timeliness(dataset.units, dataset.submissions, deadline, day_count())
    units = dataset.units[["district_code", "district_name"]].head(1).to_dict("records")
    return table, _totals(reporting_rates(table), deadline, units, dataset.data_version)


def unit_status_rows(rows: SubmissionRows, deadline: dt.date | None = None) -> tuple[list[dict], dict]:
    """:func:`unit_status` from the store's plain rows (:func:`nrlib.store.rows.submission_rows`), without pandas:
    the table as a list of rows (:func:`nrlib.analysis.timeliness.timeliness_rows`) and the same totals."""
    deadline = deadline or rows.deadline
    table = timeliness_rows(rows.units, rows.submissions, deadline, day_count())
    return table, _totals(reporting_rates_rows(table), deadline, rows.units, rows.data_version)


def _records(table) -> list[dict]:
    """A table's rows as plain dicts: a list of rows as it is, a DataFrame's records."""
    return table if isinstance(table, list) else table.to_dict("records")


def _timeliness_text(row) -> str:
    if row["timeliness"] == "late":
        return labels.STATUS_LATE_DAYS.format(days=int(row["days_late"]),
                                              unit=labels.DAYS_LATE_UNIT[row.get("days_counted") or "calendar"])
    return labels.TIMELINESS[row["timeliness"]]


def _cell(x) -> str:
    if x is None or (not isinstance(x, str) and is_missing(x)):
        return MISSING
    return str(x)


def format_table(table: pd.DataFrame | list[dict], totals: dict,
                 unassigned: pd.DataFrame | list[dict] | None = None, partners=()) -> str:
    """The status as a plain-text table with Vietnamese labels, dates and percentages.

    ``table`` and ``unassigned`` are frames (:func:`unit_status`) or lists of rows (:func:`unit_status_rows`).
    """
    cols = labels.STATUS_COLUMNS
    rows = []
    for r in _records(table):
        rows.append([
            r["unit_code"], r["name"], _cell(r["latest_version"]), fmt_date(r["first_received_date"])
            if r["first_received_date"] is not None else MISSING, _timeliness_text(r),
            labels.SUBMISSION_STATUS.get(r["latest_status"], MISSING) if r["latest_status"] else MISSING,
            _cell(r["n_errors"]), _cell(r["n_warnings"]),
        ])
    header = [cols[k] for k in ("unit_code", "name", "latest_version", "first_received_date", "timeliness",
                                "latest_status", "n_errors", "n_warnings")]
    widths = [max([len(h)] + [len(str(row[i])) for row in rows]) for i, h in enumerate(header)]
    right = {2, 6, 7}

    def line(values) -> str:
        return "  ".join(str(v).rjust(w) if i in right else str(v).ljust(w)
                         for i, (v, w) in enumerate(zip(values, widths))).rstrip()

    title = labels.STATUS_TITLE.format(district=totals.get("district_name") or "",
                                       deadline=fmt_date(totals["deadline"]))
    out = [title, "", line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out += ["", labels.STATUS_TOTALS.format(
        expected=totals["expected"], received=totals["received"], on_time=totals["on_time"], late=totals["late"],
        missing=totals["missing"], accepted=totals["accepted"],
        reporting_rate=fmt_percent(totals["reporting_rate"], 1), on_time_rate=fmt_percent(totals["on_time_rate"], 1))]
    if unassigned is not None and len(unassigned):
        names = [r["file_name"] for r in _records(unassigned)]
        out.append(labels.STATUS_UNASSIGNED.format(n=len(names), files=labels.printable(", ".join(names))))
    out += partner_lines(partners)
    return "\n".join(out)


def partner_lines(partners) -> list[str]:
    """One line per received version of a partner's workbook (none when no partner has sent one)."""
    if not partners:
        return []
    from nrlib.reference import load_partners

    known = load_partners()
    out = ["", labels.STATUS_PARTNERS_TITLE]
    for r in partners:
        name = known.partner(r["partner"])["name"] if r["partner"] in known.keys else r["partner"]
        out.append(labels.STATUS_PARTNER.format(
            partner=name, version=_cell(r["version"]), received=fmt_date(r["received_date"]),
            status=labels.SUBMISSION_STATUS.get(r["status"], MISSING), n_errors=r["n_errors"],
            n_warnings=r["n_warnings"]))
    return out


def _json_records(table) -> list[dict]:
    out = []
    for rec in _records(table):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, (dt.date, dt.datetime)):
                v = v.isoformat()
            elif v is not None and not isinstance(v, (str, bool)) and is_missing(v):
                v = None
            elif hasattr(v, "item"):
                v = v.item()
            clean[k] = v
        out.append(clean)
    return out


def _csv(table: list[dict]) -> str:
    """The table as CSV, as ``DataFrame.to_csv(index=False)`` writes it: a blank cell for a missing value."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(TIMELINESS_COLUMNS)
    writer.writerows([["" if r[c] is None else r[c] for c in TIMELINESS_COLUMNS] for r in table])
    return buf.getvalue()


def render_status(db_path: str | Path | None = None, *, district_code=None, deadline: dt.date | None = None,
                  fmt: str = "table") -> str:
    """``nrlib status`` output in ``fmt`` (``table``, ``csv`` or ``json``)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    rows = submission_rows(db_path, district_code=district_code)
    table, totals = unit_status_rows(rows, deadline)
    if fmt == "table":
        return format_table(table, totals, rows.unassigned, rows.partners)
    if fmt == "csv":
        return _csv(table)
    out = {"totals": totals, "units": _json_records(table), "unassigned": _json_records(rows.unassigned)}
    if rows.partners:       # a store without partners' files gives what it gave before they existed
        out["partners"] = _json_records(list(rows.partners))
    return json.dumps(out, ensure_ascii=False, indent=2)
