"""Completeness and timeliness of submissions against the deadline (DHIS2-style reporting rates).

Method: a unit is *received* when any version of its workbook was received,
whatever its validation result. Timeliness is judged on the **first** version
received (the unit met the deadline if it sent its report by then, even if a
corrected version came later); ``days_late`` counts calendar days after the
deadline, or working days when the district's settings say so
(``timeliness.count_days``: :class:`nrlib.reference.district_settings.DayCount`,
the holidays kept as data in ``data/reference/holidays.csv``), and
``days_counted`` says which. A unit is late when ``days_late`` > 0: in working
days, a deadline on a day off moves to the next working day, so a report
received on it is on time (:mod:`nrlib.reference.calendar`). Acceptance is that
of the **latest** version. Expected units are
all units of the registry scope, so a unit that sent nothing is *missing*.

:func:`timeliness` and :func:`reporting_rates` work on frames (vectorised: a
province has ten thousand units); :func:`timeliness_rows` and
:func:`reporting_rates_rows` are the same rules on plain rows, for ``nrlib
status``, which answers without importing pandas (``tests/test_status.py``
checks that both give the same result). numpy and pandas are imported by the
frame functions, not with this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from nrlib.reference.district_settings import CALENDAR_DAYS, DayCount

if TYPE_CHECKING:
    import pandas as pd

#: the columns of :func:`timeliness`, in order (also the keys of each row of :func:`timeliness_rows`)
TIMELINESS_COLUMNS = ("unit_code", "name", "n_versions", "latest_version", "first_received_date",
                      "latest_received_date", "latest_status", "n_errors", "n_warnings", "timeliness", "days_late",
                      "days_counted", "has_accepted")


def timeliness(units: pd.DataFrame, submissions: pd.DataFrame, deadline: dt.date,
               count: DayCount = CALENDAR_DAYS) -> pd.DataFrame:
    """Per expected unit: what was received, when, and whether it was on time.

    Parameters
    ----------
    units : DataFrame
        Expected units, with ``unit_code`` and ``name``.
    submissions : DataFrame
        Every received version: ``unit_code``, ``version``, ``received_date``,
        ``status`` (``accepted``/``rejected``), ``n_errors``, ``n_warnings``.
    deadline : date
    count : DayCount, optional
        How days late are counted; default calendar days (the district's
        choice is :func:`nrlib.reference.district_settings.day_count`).

    Returns
    -------
    DataFrame
        ``unit_code, name, n_versions, latest_version, first_received_date,
        latest_received_date, latest_status, n_errors, n_warnings, timeliness
        (on_time/late/missing), days_late`` (0 when on time, NA when missing),
        ``days_counted`` (``calendar``/``working``), ``has_accepted`` (any
        version accepted).
    """
    import numpy as np
    import pandas as pd

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
    # the rule is DayCount.days_late, applied once per distinct day received (a province's ten thousand units
    # were received on a few dozen days), so frames and plain rows count alike
    days = {d: count.days_late(deadline, d.date()) for d in first_dt.dropna().drop_duplicates()}
    late = pd.Series([days[d] if pd.notna(d) else np.nan for d in first_dt], index=out.index, dtype=float)
    out["timeliness"] = pd.Series("missing", index=out.index, dtype=object).mask(received & (late > 0), "late").mask(
        received & (late <= 0), "on_time")
    out["days_late"] = late.clip(lower=0).astype("Int64")
    out["days_counted"] = count.mode
    out["has_accepted"] = code.isin(accepted.index[accepted.to_numpy()])
    return out


def _dates(ts: pd.Series) -> pd.Series:
    """Timestamps as ``datetime.date`` objects, None where missing."""
    import pandas as pd

    return pd.Series([t.date() if pd.notna(t) else None for t in ts], index=ts.index, dtype=object)


def reporting_rates(table: pd.DataFrame) -> dict:
    """Totals of a :func:`timeliness` table.

    Returns a dict: ``expected``, ``received``, ``on_time``, ``late``,
    ``missing``, ``accepted`` (units whose latest version is accepted),
    ``reporting_rate`` and ``on_time_rate`` (percent of expected units,
    0-100; ``None`` when nothing is expected).
    """
    return _rates(expected=len(table), received=int((table["timeliness"] != "missing").sum()),
                  on_time=int((table["timeliness"] == "on_time").sum()),
                  late=int((table["timeliness"] == "late").sum()),
                  accepted=int((table["latest_status"] == "accepted").sum()))


def _rates(*, expected: int, received: int, on_time: int, late: int, accepted: int) -> dict:
    out = {"expected": expected, "received": received, "on_time": on_time, "late": late,
           "missing": expected - received, "accepted": accepted}
    out["reporting_rate"] = 100.0 * received / expected if expected else None
    out["on_time_rate"] = 100.0 * on_time / expected if expected else None
    return out


def _day(d) -> dt.date | None:
    """A received date as a ``datetime.date`` (a datetime at midnight of its day), None where missing."""
    if d is None:
        return None
    return d.date() if isinstance(d, dt.datetime) else d


def timeliness_rows(units: Iterable[Mapping], submissions: Iterable[Mapping], deadline: dt.date,
                    count: DayCount = CALENDAR_DAYS) -> list[dict]:
    """:func:`timeliness` on plain rows: the same rules, the same columns (:data:`TIMELINESS_COLUMNS`), no pandas.

    Parameters
    ----------
    units : iterable of mappings
        Expected units, each with ``unit_code`` and ``name``, in the order of the result.
    submissions : iterable of mappings
        Every received version: ``unit_code``, ``version``, ``received_date``
        (a ``datetime.date``), ``status``, ``n_errors``, ``n_warnings``.
    deadline : date
    count : DayCount, optional
        How days late are counted (as :func:`timeliness`).

    Returns
    -------
    list of dict
        One row per expected unit; where :func:`timeliness` has NA, the row
        has None; numbers are ``int``, dates ``datetime.date``.
    """
    versions: dict[str, list[Mapping]] = {}
    for s in submissions:
        versions.setdefault(s["unit_code"], []).append(s)
    out = []
    for unit in units:
        code = unit["unit_code"]
        subs = sorted(versions.get(code, []), key=lambda s: s["version"])   # stable, as the frame's sort
        first, last = (subs[0], subs[-1]) if subs else (None, None)
        first_day = _day(first["received_date"]) if first else None
        late = count.days_late(deadline, first_day) if first_day is not None else None
        if late is None:
            status = "missing"
        else:
            status = "late" if late > 0 else "on_time"
        out.append({
            "unit_code": code, "name": unit["name"], "n_versions": len(subs),
            "latest_version": _int(last["version"]) if last else None,
            "first_received_date": first_day,
            "latest_received_date": _day(last["received_date"]) if last else None,
            "latest_status": last["status"] if last else None,
            "n_errors": _int(last["n_errors"]) if last else None,
            "n_warnings": _int(last["n_warnings"]) if last else None,
            "timeliness": status, "days_late": max(late, 0) if late is not None else None,
            "days_counted": count.mode, "has_accepted": any(s["status"] == "accepted" for s in subs),
        })
    return out


def _int(x) -> int | None:
    return None if x is None else int(x)


def reporting_rates_rows(rows: Iterable[Mapping]) -> dict:
    """:func:`reporting_rates` of :func:`timeliness_rows`: the same totals, without pandas."""
    rows = list(rows)
    count = {k: sum(1 for r in rows if r["timeliness"] == k) for k in ("on_time", "late", "missing")}
    return _rates(expected=len(rows), received=len(rows) - count["missing"], on_time=count["on_time"],
                  late=count["late"], accepted=sum(1 for r in rows if r["latest_status"] == "accepted"))
