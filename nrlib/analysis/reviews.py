"""How each xã, thị trấn held its own review (sheet SoKet of outline version 2): form, date, attendance, what it
commended itself.

Method: the SoKet fields are stored with the ThongTin ones in ``ds.info`` (key / value, one row per field of
each unit's current submission). :func:`own_reviews` pivots them to one row per expected unit; a unit that sent
a version 1 workbook (which never asked) or nothing has no data there, never zeros. :func:`own_reviews_summary`
counts the units by form and sums attendance and the units' own awards over the units that gave them, saying
how many did.
"""

from __future__ import annotations

import pandas as pd

#: the SoKet fields, in the outline's order: (key, kind)
FIELDS = (("review_form", "choice"), ("review_date", "date"), ("review_attendance", "count"),
          ("own_awards_collective", "count"), ("own_awards_individual", "count"), ("own_awards_forms", "text"))
#: the columns of :func:`own_reviews`
REVIEW_COLUMNS = ["unit_code", "name", *(k for k, _ in FIELDS), "reported"]


def own_reviews(ds) -> pd.DataFrame:
    """One row per expected unit: :data:`REVIEW_COLUMNS`.

    ``review_form`` is the outline's choice value (``conference``, ``written_report``) or None; ``review_date`` a
    date or None; counts are floats (NaN: not given); ``reported`` whether the unit's current submission has
    any SoKet field (False for a version 1 workbook and for a unit that sent nothing).
    """
    keys = [k for k, _ in FIELDS]
    info = ds.info[ds.info["key"].isin(keys)]
    wide = info.pivot_table(index="unit_code", columns="key", values="value", aggfunc="first") if len(info) \
        else pd.DataFrame(index=pd.Index([], name="unit_code"))
    out = ds.units[["unit_code", "name"]].merge(wide.reset_index(), on="unit_code", how="left")
    for key, kind in FIELDS:
        if key not in out.columns:
            out[key] = None
        if kind == "count":
            out[key] = pd.to_numeric(out[key], errors="coerce").astype(float)
        elif kind == "date":
            out[key] = [pd.Timestamp(v).date() if isinstance(v, str) and v else None for v in out[key]]
        else:
            out[key] = [v if isinstance(v, str) and v.strip() else None for v in out[key]]
    out["reported"] = out[keys].notna().any(axis=1)
    return out[REVIEW_COLUMNS].reset_index(drop=True)


def own_reviews_summary(ds) -> dict:
    """Counts over the units that reported how they held their review.

    Returns
    -------
    dict
        ``n_reported`` (units with SoKet data), ``n_conference``, ``n_written_report``, ``attendance`` (sum over
        the conferences that gave it; None when none did) and ``n_attendance`` (how many gave it),
        ``own_collective``, ``own_individual`` (sums; None when none gave one) and ``n_own`` (units that gave either).
    """
    r = own_reviews(ds)
    r = r[r["reported"]]
    given = r[["own_awards_collective", "own_awards_individual"]].notna().any(axis=1)

    def total(col: str, rows=r) -> float | None:
        s = rows[col].dropna()
        return float(s.sum()) if len(s) else None

    return {"n_reported": int(len(r)), "n_conference": int((r["review_form"] == "conference").sum()),
            "n_written_report": int((r["review_form"] == "written_report").sum()),
            "attendance": total("review_attendance"), "n_attendance": int(r["review_attendance"].notna().sum()),
            "own_collective": total("own_awards_collective"), "own_individual": total("own_awards_individual"),
            "n_own": int(given.sum())}
