"""Completeness and timeliness of submissions against the deadline (DHIS2-style reporting rates).

Method: a unit is *received* when any version of its workbook was received,
whatever its validation result. Timeliness is judged on the **first** version
received (the unit met the deadline if it sent its report by then, even if a
corrected version came later); ``days_late`` counts calendar days after the
deadline. Acceptance is that of the **latest** version. Expected units are
all units of the registry scope, so a unit that sent nothing is *missing*.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

TIMELINESS_VALUES = ("on_time", "late", "missing")


def timeliness(units: pd.DataFrame, submissions: pd.DataFrame, deadline: dt.date) -> pd.DataFrame:
    """Per expected unit: what was received, when, and whether it was on time.

    Parameters
    ----------
    units : DataFrame
        Expected units, with ``unit_code`` and ``name``.
    submissions : DataFrame
        Every received version: ``unit_code``, ``version``, ``received_date``,
        ``status`` (``accepted``/``rejected``), ``n_errors``, ``n_warnings``.
    deadline : date

    Returns
    -------
    DataFrame
        ``unit_code, name, n_versions, latest_version, first_received_date,
        latest_received_date, latest_status, n_errors, n_warnings, timeliness
        (on_time/late/missing), days_late`` (0 when on time, NA when missing),
        ``has_accepted`` (any version accepted).
    """
    subs = submissions.copy()
    subs["received_date"] = pd.to_datetime(subs["received_date"]).dt.date
    rows = []
    for u in units.itertuples():
        s = subs[subs["unit_code"] == u.unit_code].sort_values("version")
        if s.empty:
            rows.append({"unit_code": u.unit_code, "name": u.name, "n_versions": 0, "latest_version": pd.NA,
                         "first_received_date": None, "latest_received_date": None, "latest_status": None,
                         "n_errors": pd.NA, "n_warnings": pd.NA, "timeliness": "missing", "days_late": pd.NA,
                         "has_accepted": False})
            continue
        first, last = s.iloc[0], s.iloc[-1]
        late = (first["received_date"] - deadline).days
        rows.append({"unit_code": u.unit_code, "name": u.name, "n_versions": len(s),
                     "latest_version": int(last["version"]), "first_received_date": first["received_date"],
                     "latest_received_date": last["received_date"], "latest_status": last["status"],
                     "n_errors": int(last["n_errors"]), "n_warnings": int(last["n_warnings"]),
                     "timeliness": "late" if late > 0 else "on_time", "days_late": max(late, 0),
                     "has_accepted": bool((s["status"] == "accepted").any())})
    out = pd.DataFrame(rows)
    for col in ("latest_version", "n_errors", "n_warnings", "days_late"):
        out[col] = out[col].astype("Int64")
    return out


def reporting_rates(table: pd.DataFrame) -> dict:
    """Totals of a :func:`timeliness` table.

    Returns a dict: ``expected``, ``received``, ``on_time``, ``late``,
    ``missing``, ``accepted`` (units whose latest version is accepted),
    ``reporting_rate`` and ``on_time_rate`` (percent of expected units,
    0-100; ``None`` when nothing is expected).
    """
    expected = len(table)
    received = int((table["timeliness"] != "missing").sum())
    on_time = int((table["timeliness"] == "on_time").sum())
    out = {
        "expected": expected, "received": received, "on_time": on_time,
        "late": int((table["timeliness"] == "late").sum()), "missing": expected - received,
        "accepted": int((table["latest_status"] == "accepted").sum()),
    }
    out["reporting_rate"] = 100.0 * received / expected if expected else None
    out["on_time_rate"] = 100.0 * on_time / expected if expected else None
    return out
