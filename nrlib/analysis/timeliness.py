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

import numpy as np
import pandas as pd


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
    # vectorised (one pass over all versions, no per-unit loop): a province has ten thousand units
    cols = ["unit_code", "version", "received_date", "status", "n_errors", "n_warnings"]
    subs = submissions[cols].copy()
    subs["received_date"] = pd.to_datetime(subs["received_date"]).dt.normalize()
    subs = subs.sort_values(["unit_code", "version"], kind="stable")
    first = subs.drop_duplicates("unit_code", keep="first").set_index("unit_code")
    last = subs.drop_duplicates("unit_code", keep="last").set_index("unit_code")
    accepted = (subs["status"] == "accepted").groupby(subs["unit_code"]).any()

    out = units[["unit_code", "name"]].reset_index(drop=True)
    code = out["unit_code"]
    received = code.isin(first.index)
    out["n_versions"] = subs.groupby("unit_code").size().reindex(code, fill_value=0).to_numpy().astype(int)
    out["latest_version"] = pd.array(last["version"].reindex(code).to_numpy(), dtype="Int64")
    first_dt = pd.Series(pd.to_datetime(first["received_date"].reindex(code).to_numpy()), index=out.index)
    out["first_received_date"] = _dates(first_dt)
    out["latest_received_date"] = _dates(pd.Series(pd.to_datetime(last["received_date"].reindex(code).to_numpy()),
                                                   index=out.index))
    status = last["status"].reindex(code).to_numpy(dtype=object)
    out["latest_status"] = pd.Series(np.where(received.to_numpy(), status, None), index=out.index, dtype=object)
    out["n_errors"] = pd.array(last["n_errors"].reindex(code).to_numpy(), dtype="Int64")
    out["n_warnings"] = pd.array(last["n_warnings"].reindex(code).to_numpy(), dtype="Int64")
    late = (first_dt - pd.Timestamp(deadline)).dt.days
    out["timeliness"] = pd.Series("missing", index=out.index, dtype=object).mask(received & (late > 0), "late").mask(
        received & (late <= 0), "on_time")
    out["days_late"] = late.clip(lower=0).astype("Int64")
    out["has_accepted"] = code.isin(accepted.index[accepted.to_numpy()])
    return out


def _dates(ts: pd.Series) -> pd.Series:
    """Timestamps as ``datetime.date`` objects, None where missing."""
    return pd.Series([t.date() if pd.notna(t) else None for t in ts], index=ts.index, dtype=object)


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
