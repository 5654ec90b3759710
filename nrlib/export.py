"""``nrlib export``: tidy CSV files of the latest accepted data, safe to open in Excel.

Each exported table is a function ``(dataset, cache) -> DataFrame`` registered
under its file name with :func:`register_export` (``cache`` is a dict shared
by the tables of one export, for work they have in common). The store's
tables (values, criteria status, problems, submissions) and the analysis
tables (:func:`nrlib.analysis.tables.analysis_tables`: maintenance, campaign
totals, quality flags, the scores, points per content and per rule, the scoring
table, the relative ranking) are registered here; more can be added from
anywhere without touching this module. The relative ranking is written only
when the district's settings ask for it (:data:`OPTIONAL_EXPORTS`):

>>> from nrlib.export import register_export
>>> @register_export("units.csv")
... def units_table(ds, cache):
...     return ds.units

Files are UTF-8 with a byte-order mark (Excel then reads Vietnamese correctly)
and every text cell that a spreadsheet would take for a formula (starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with
``'`` (CSV/formula injection). A ``metadata.json`` beside them records the
data version, the district and whether the data are sample data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from nrlib import config
from nrlib.dataset import Dataset

EXPORTS: dict[str, Callable[[Dataset, dict], pd.DataFrame]] = {}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def register_export(file_name: str):
    """Decorator: export ``func(dataset, cache) -> DataFrame`` as ``file_name`` (a plain ``*.csv`` name)."""
    if "/" in file_name or "\\" in file_name or not file_name.endswith(".csv"):
        raise ValueError(f"export file name must be a plain *.csv name, not {file_name!r}")

    def deco(func):
        EXPORTS[file_name] = func
        return func
    return deco


def _versions(ds: Dataset) -> pd.DataFrame:
    return ds.submissions[["submission_id", "version"]].rename(columns={"version": "submission_version"})


@register_export("values.csv")
def values_table(ds: Dataset, cache: dict | None = None) -> pd.DataFrame:
    """``unit_code, year, data_element, value, submission_version`` of each unit's current submission."""
    df = ds.values.merge(_versions(ds), on="submission_id", how="left")
    return df[["unit_code", "year", "data_element", "value", "submission_version"]]


@register_export("criteria_status.csv")
def criteria_status_table(ds: Dataset, cache: dict | None = None) -> pd.DataFrame:
    """``unit_code, year, criterion_no, status`` as declared in each unit's current submission."""
    return ds.criteria_status[["unit_code", "year", "criterion_no", "status"]]


@register_export("urban_status.csv")
def urban_status_table(ds: Dataset, cache: dict | None = None) -> pd.DataFrame:
    """``unit_code, year, criterion_code, status``: a town's declared urban standard (VanMinhDoThi, outline 2)."""
    return ds.urban_status[["unit_code", "year", "criterion_code", "status"]]


@register_export("problems.csv")
def problems_table(ds: Dataset, cache: dict | None = None) -> pd.DataFrame:
    """Problems of each unit's latest version: where, which rule, how bad, the message, the value read."""
    df = ds.problems.merge(_versions(ds), on="submission_id", how="left")
    return df[["unit_code", "submission_version", "sheet", "cell", "rule", "severity", "message", "value"]]


@register_export("submissions.csv")
def submissions_table(ds: Dataset, cache: dict | None = None) -> pd.DataFrame:
    """Every received version: file, checksum, received date, result, latest/current flags."""
    cols = ["unit_code", "version", "file_name", "received_date", "status", "n_errors", "n_warnings", "is_latest",
            "is_current", "is_sample", "outline_version", "size_bytes", "sha256", "submission_id"]
    return ds.submissions[[c for c in cols if c in ds.submissions.columns]]


def _analysis(name: str):
    """An analysis table, all of them computed once per export (they share intermediate tables)."""
    def table(ds: Dataset, cache: dict | None = None) -> pd.DataFrame:
        cache = {} if cache is None else cache
        if "analysis_tables" not in cache:
            from nrlib.analysis.tables import analysis_tables

            cache["analysis_tables"] = analysis_tables(ds, cache={})
        return cache["analysis_tables"][name]
    table.__doc__ = f"The ``{name}`` table of :func:`nrlib.analysis.tables.analysis_tables`."
    return table


for _name in ("maintenance", "campaign_totals", "quality_flags", "scores", "score_contents", "score_rules",
              "scoring_table", "relative_ranking"):
    register_export(f"{_name}.csv")(_analysis(_name))


def _relative_ranking_on() -> bool:
    from nrlib.reference.district_settings import load_district_settings

    return load_district_settings().relative_ranking


#: exports written by default only when a setting asks for them: file name → the test of that setting
OPTIONAL_EXPORTS: dict[str, Callable[[], bool]] = {"relative_ranking.csv": _relative_ranking_on}


def _partners(ds: Dataset | None) -> bool:
    return ds is not None and bool(len(ds.official_status) or len(ds.official_values) or len(ds.recognitions))


def _partner_table(name: str):
    def table(ds: Dataset, cache: dict | None = None) -> pd.DataFrame:
        from nrlib.analysis import partners

        return getattr(partners, name)(ds, cache) if name != "recognitions" else partners.recognitions(ds)
    table.__doc__ = f"The partners' figures beside the declarations: :func:`nrlib.analysis.partners.{name}`."
    return table


#: exports of the partners' figures (:mod:`nrlib.analysis.partners`), written only when the data hold some, so an
#: export without partner data is what it was before them
PARTNER_EXPORTS = {f"{name}.csv": _partner_table(name)
                   for name in ("status_differences", "culture_comparison", "recognitions")}
EXPORTS.update(PARTNER_EXPORTS)


def default_exports(ds: Dataset | None = None) -> list[str]:
    """The exports ``nrlib export`` writes: every registered one, the optional ones when their setting is on, the
    partners' (:data:`PARTNER_EXPORTS`) when ``ds`` holds partner data."""
    return [n for n in EXPORTS if (n not in OPTIONAL_EXPORTS or OPTIONAL_EXPORTS[n]())
            and (n not in PARTNER_EXPORTS or _partners(ds))]


def export_tables(dataset: Dataset, names: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Every default export (:func:`default_exports`), or those in ``names``, computed from ``dataset``."""
    chosen = names or default_exports(dataset)
    unknown = [n for n in chosen if n not in EXPORTS]
    if unknown:
        raise KeyError(f"unknown export(s) {unknown}; known: {sorted(EXPORTS)}")
    cache: dict = {}
    return {name: EXPORTS[name](dataset, cache) for name in chosen}


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells that a spreadsheet would run as formulas start with ``'``."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path, meta: dict | None = None) -> list[Path]:
    """Write each table as ``out_dir/<name>`` (UTF-8 with BOM, neutralised) plus ``metadata.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in tables.items():
        path = out_dir / name
        # 12 significant digits: more than any typed figure has, and no binary
        # noise such as 15777.699999999999 from sums of decimals
        neutralise(df).to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n", float_format="%.12g")
        paths.append(path)
    if meta is not None:
        info = dict(meta, files=list(tables), exported_at=dt.datetime.now().replace(microsecond=0).isoformat())
        (out_dir / "metadata.json").write_text(json.dumps(info, ensure_ascii=False, indent=2, default=str),
                                               encoding="utf-8")
    return paths


def export_store(out_dir: str | Path, db_path: str | Path | None = None, district_code=None) -> list[Path]:
    """``nrlib export``: load the store read-only and write every registered table to ``out_dir``."""
    from nrlib.store import load_dataset

    ds = load_dataset(db_path, district_code=district_code)
    meta = {"data_version": ds.data_version, "district_code": ds.meta.get("district_code"),
            "inputs": config.inputs_record(), "db_path": str(ds.meta.get("db_path")),
            "is_sample": ds.is_sample, "outline_version": ds.outline.version}
    if ds.is_sample:
        meta["note"] = ds.outline.sample_marker
    return write_tables(export_tables(ds), out_dir, meta)
