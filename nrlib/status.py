"""``nrlib status``: who has reported, when, and with what result (DHIS2-style reporting rates).

The per-unit table and the totals come from :mod:`nrlib.analysis.timeliness` (the one
definition of on time / late / missing, shared with the quality analysis);
this module only reads the store and presents the result in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from nrlib.analysis.timeliness import reporting_rates, timeliness
from nrlib.core import labels
from nrlib.core.vnformat import MISSING, fmt_date, fmt_percent
from nrlib.dataset import Dataset
from nrlib.store import load_dataset

FORMATS = ("table", "csv", "json")


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
        submissions, and :func:`nrlib.analysis.timeliness.reporting_rates` of it plus
        ``deadline``, ``district_code``, ``district_name``, ``data_version``.
    """
    deadline = deadline or dataset.deadline
    table = timeliness(dataset.units, dataset.submissions, deadline)
    totals = reporting_rates(table)
    units = dataset.units
    totals.update({"deadline": deadline.isoformat(),
                   "district_code": str(units["district_code"].iloc[0]) if len(units) else None,
                   "district_name": str(units["district_name"].iloc[0]) if len(units) else None,
                   "data_version": dataset.data_version})
    return table, totals


def _timeliness_text(row) -> str:
    if row["timeliness"] == "late":
        return labels.STATUS_LATE_DAYS.format(days=int(row["days_late"]))
    return labels.TIMELINESS[row["timeliness"]]


def _cell(x) -> str:
    if x is None or (not isinstance(x, str) and pd.isna(x)):
        return MISSING
    return str(x)


def format_table(table: pd.DataFrame, totals: dict, unassigned: pd.DataFrame | None = None) -> str:
    """The status as a plain-text table with Vietnamese labels, dates and percentages."""
    cols = labels.STATUS_COLUMNS
    rows = []
    for _, r in table.iterrows():
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
        out.append(labels.STATUS_UNASSIGNED.format(n=len(unassigned), files=labels.printable(", ".join(unassigned["file_name"]))))
    return "\n".join(out)


def _records(table: pd.DataFrame) -> list[dict]:
    out = []
    for rec in table.to_dict("records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, (dt.date, dt.datetime)):
                v = v.isoformat()
            elif v is not None and not isinstance(v, (str, bool)) and pd.isna(v):
                v = None
            elif hasattr(v, "item"):
                v = v.item()
            clean[k] = v
        out.append(clean)
    return out


def render_status(db_path: str | Path | None = None, *, district_code=None, deadline: dt.date | None = None,
                  fmt: str = "table") -> str:
    """``nrlib status`` output in ``fmt`` (``table``, ``csv`` or ``json``)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    ds = load_dataset(db_path, district_code=district_code)
    table, totals = unit_status(ds, deadline)
    if fmt == "table":
        return format_table(table, totals, ds.meta.get("unassigned"))
    if fmt == "csv":
        return table.to_csv(index=False, lineterminator="\n")
    return json.dumps({"totals": totals, "units": _records(table),
                       "unassigned": _records(ds.meta.get("unassigned", pd.DataFrame()))},
                      ensure_ascii=False, indent=2)
