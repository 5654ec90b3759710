"""The partners' official figures beside the communes' declarations, and where they differ.

Method:

* **criteria** — :func:`nrlib.analysis.results.criteria_matrix` holds, per unit, year and criterion, the
  declared status (sheet TieuChi) and the coordination office's (``ds.official_status``); the status counted
  is the official one where it exists (:func:`nrlib.analysis.results.counted_status`, the one rule).
  :func:`status_differences` lists the unit-years where both exist, the criteria apply, and they differ;
  :func:`status_sources` counts, per unit, how many criterion-years rest on each source.
* **culture** — the culture committee's counts state outline metrics (``VD11`` households, ``VD15`` cultural
  families, ``VD16`` hamlets, ``VD17`` cultural hamlets: ``ds.official_values``); :func:`culture_comparison`
  lays each beside the commune's own value (``ds.values``), and the outline's rates built from them
  (``R_CULTURAL_FAMILY`` = VD15 / VD11, ``R_CULTURAL_HAMLET`` = VD17 / VD16, each from its own source's
  numerator and denominator, never mixed); :func:`culture_differences` keeps the rows where both exist and
  differ. The commune's values are not replaced: the campaign's totals stay the communes' reports.

With no partner data every table here is empty, and every other analysis is what it was without them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nrlib.analysis.results import criteria_matrix
from nrlib.core.memo import memo

DIFFERENCE_COLUMNS = ["unit_code", "name", "year", "criterion_no", "criterion_name", "declared_status",
                      "official_status"]
SOURCE_COLUMNS = ["unit_code", "name", "n_official", "n_declared_only", "n_differences"]
CULTURE_COLUMNS = ["unit_code", "name", "year", "element", "declared", "official", "difference"]


def has_official_status(ds) -> bool:
    """Whether the coordination office's status is in the data (the reports then say it is the one counted)."""
    return bool(len(ds.official_status))


def has_official_values(ds) -> bool:
    return bool(len(ds.official_values))


def _names(ds) -> pd.Series:
    return ds.units.set_index(ds.units["unit_code"].astype(str))["name"]


def status_differences(ds, cache: dict | None = None) -> pd.DataFrame:
    """Unit, year and criterion where the declared and the official status both exist and differ.

    Returns
    -------
    DataFrame
        :data:`DIFFERENCE_COLUMNS` (statuses as codes: ``reached``, ``not_reached``), in unit, year and
        criterion order; only years the new-rural criteria apply to the unit.
    """
    return memo(cache, ds, "status_differences", lambda: _differences(ds, cache))


def _differences(ds, cache) -> pd.DataFrame:
    if not has_official_status(ds):
        return pd.DataFrame(columns=DIFFERENCE_COLUMNS)
    m = criteria_matrix(ds, cache)
    both = m["declared_status"].notna() & m["official_status"].notna() & m["ntm_applies"].astype(bool)
    out = m[both & (m["declared_status"] != m["official_status"])].copy()
    out["name"] = out["unit_code"].map(_names(ds))
    return out[DIFFERENCE_COLUMNS].reset_index(drop=True)


def status_sources(ds, cache: dict | None = None) -> pd.DataFrame:
    """Per unit: criterion-years counted from the official status, from the declaration alone, and how many
    of the official ones differ from the declaration (:data:`SOURCE_COLUMNS`; applicable years only)."""
    def build() -> pd.DataFrame:
        m = criteria_matrix(ds, cache)
        m = m[m["ntm_applies"].astype(bool)]
        off = m["official_status"].notna()
        dec = m["declared_status"].notna()
        diff = off & dec & (m["declared_status"] != m["official_status"])
        g = pd.DataFrame({"unit_code": m["unit_code"], "n_official": off, "n_declared_only": dec & ~off,
                          "n_differences": diff}).groupby("unit_code", sort=False).sum().reset_index()
        g["name"] = g["unit_code"].map(_names(ds))
        return g[SOURCE_COLUMNS].astype({c: int for c in SOURCE_COLUMNS[2:]})
    return memo(cache, ds, "status_sources", build)


def _culture_rates(ds, official_codes: set[str]) -> pd.DataFrame:
    r = ds.outline.rates
    return r[r["numerator"].isin(official_codes) & r["denominator"].isin(official_codes)]


def culture_comparison(ds, cache: dict | None = None) -> pd.DataFrame:
    """The culture committee's counts and the rates built from them beside the commune's own.

    Returns
    -------
    DataFrame
        :data:`CULTURE_COLUMNS`: per unit, year and element (an outline metric ``VD15`` … or rate
        ``R_CULTURAL_FAMILY`` …) with an official value, the declared value (NaN where the commune has none),
        the official one and ``official - declared``; rates in % (the outline's scale).
    """
    return memo(cache, ds, "culture_comparison", lambda: _culture(ds))


def _culture(ds) -> pd.DataFrame:
    if not has_official_values(ds):
        return pd.DataFrame(columns=CULTURE_COLUMNS)
    off = ds.official_values[["unit_code", "year", "data_element", "value"]].copy()
    codes = set(off["data_element"])
    dec = ds.values[ds.values["data_element"].isin(codes)][["unit_code", "year", "data_element", "value"]]

    def wide(df: pd.DataFrame) -> pd.DataFrame:
        return df.pivot_table(index=["unit_code", "year"], columns="data_element", values="value", aggfunc="first")

    w_off, w_dec = wide(off), wide(dec).reindex(columns=sorted(codes))
    w_dec = w_dec.reindex(w_off.index)
    frames = []
    for code in sorted(codes):
        frames.append(pd.DataFrame({"element": code, "declared": w_dec.get(code), "official": w_off.get(code)},
                                   index=w_off.index))
    for r in _culture_rates(ds, codes).itertuples():
        def rate(w):
            num, den = w.get(r.numerator), w.get(r.denominator)
            if num is None or den is None:
                return pd.Series(np.nan, index=w.index)
            return (num / den.where(den > 0)) * float(r.scale)
        frames.append(pd.DataFrame({"element": r.code, "declared": rate(w_dec), "official": rate(w_off)},
                                   index=w_off.index))
    out = pd.concat(frames).reset_index()
    out = out[out["official"].notna()]
    out["difference"] = out["official"] - out["declared"]
    out["name"] = out["unit_code"].map(_names(ds))
    order = {c: i for i, c in enumerate(out["element"].drop_duplicates())}
    out = out.assign(_o=out["element"].map(order)).sort_values(["unit_code", "year", "_o"])
    return out[CULTURE_COLUMNS].reset_index(drop=True)


def culture_differences(ds, cache: dict | None = None, tolerance: float = 1e-9) -> pd.DataFrame:
    """The rows of :func:`culture_comparison` where the commune's value exists and differs from the official."""
    c = culture_comparison(ds, cache)
    return c[c["declared"].notna() & (c["difference"].abs() > tolerance)].reset_index(drop=True)


def recognitions(ds) -> pd.DataFrame:
    """The coordination office's recognitions: ``unit_code, name, title, year, decision_no, decision_date``."""
    r = ds.recognitions.copy()
    r["name"] = r["unit_code"].map(_names(ds))
    return r[["unit_code", "name", "title", "year", "decision_no", "decision_date"]].sort_values(
        ["unit_code", "year"]).reset_index(drop=True)
