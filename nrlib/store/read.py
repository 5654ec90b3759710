"""Reading the store into frames: the latest accepted version of each unit as a Dataset."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from nrlib.dataset import COLUMNS, OPTIONAL_COLUMNS, PROPOSAL_DETAILS, Dataset
from nrlib.reference import load_criteria, load_outline, load_units, resolve_levels, unit_years
from nrlib.store.connection import open_store, resolve_db_path
from nrlib.store.migrations import schema_version
from nrlib.store.rows import data_version, district_of
from nrlib.store.sql import sql_ident, sql_idents


def table_digest(con, table: str) -> str:
    """SHA-256 of a table's rows in sorted order: equal digests, equal content."""
    df = con.execute(f"SELECT * FROM {sql_ident(table)}").df()
    df = df.sort_values(list(df.columns), ignore_index=True) if len(df) else df
    return hashlib.sha256(df.to_csv(index=False).encode("utf-8")).hexdigest()


def _frame(con, sql: str, params: list) -> pd.DataFrame:
    df = con.execute(sql, params).df()
    if df.empty:
        df = pd.DataFrame({c: pd.Series(dtype=object) for c in df.columns})
    return df


def load_dataset(db_path: str | Path | None = None, district_code: str | int | None = None) -> Dataset:
    """Read the latest accepted version of each unit's submission into a :class:`nrlib.dataset.Dataset`.

    Parameters
    ----------
    db_path : str or Path, optional
        The store (default :func:`nrlib.config.default_db_path`), opened read-only.
    district_code : str or int, optional
        GSO district code; default: the one district found in the store.

    Returns
    -------
    Dataset
        Expected units are every unit of the district in the registry
        (:func:`nrlib.load_units`), whether they sent anything or not;
        ``submissions`` has every version of the district's units with
        ``is_latest`` and ``is_current``; content tables come from
        ``current_submissions``; ``problems`` are those of each unit's latest
        version; ``data_version`` names the store's last audited change.
        ``meta`` holds ``db_path``, ``schema_version``, ``notes`` (Ghi chú
        cells) and ``unassigned`` (files whose unit could not be identified).

    Raises
    ------
    StoreError
        No store yet (run ``nrlib ingest`` or ``make demo``), or an empty or
        ambiguous store with no ``district_code``.
    """
    db_path = resolve_db_path(db_path)
    with open_store(db_path, read_only=True) as con:
        district = district_of(con, district_code)
        outline = load_outline()
        units = load_units(district)
        codes = list(units["unit_code"])
        first = units.iloc[0]
        scopes = [s for s in (first["district_code"], first["province_code"], first["region_code"]) if s]
        subs = _frame(con, """
            SELECT s.*, (l.submission_id IS NOT NULL) AS is_latest, (c.submission_id IS NOT NULL) AS is_current
            FROM submissions s
            LEFT JOIN latest_submissions l USING (submission_id)
            LEFT JOIN current_submissions c USING (submission_id)
            WHERE list_contains(?::VARCHAR[], s.unit_code)
            ORDER BY s.unit_code, s.version""", [codes])
        if len(subs):
            subs["received_date"] = pd.to_datetime(subs["received_date"]).dt.date
            subs["is_latest"] = subs["is_latest"].astype(bool)
            subs["is_current"] = subs["is_current"].astype(bool)

        def current(table: str, cols: list[str], order: list[str]) -> pd.DataFrame:
            return _frame(con, f"""
                SELECT {sql_idents(cols, "t")} FROM {sql_ident(table)} t JOIN current_submissions c USING (submission_id)
                WHERE list_contains(?::VARCHAR[], c.unit_code) ORDER BY {sql_idents(order, "t")}""", [codes])

        values = current("data_values", COLUMNS["values"], ["unit_code", "data_element", "year"])
        criteria_status = current("criteria_status", COLUMNS["criteria_status"], ["unit_code", "criterion_no", "year"])
        urban_status = current("urban_status", OPTIONAL_COLUMNS["urban_status"], ["unit_code", "criterion_code", "year"])
        proposals = current("proposals", COLUMNS["proposals"] + PROPOSAL_DETAILS, ["unit_code", "seq"])
        narratives = current("narratives", COLUMNS["narratives"], ["unit_code", "section_code"])
        info = current("info", COLUMNS["info"], ["unit_code", "key"])
        notes = current("notes", ["submission_id", "unit_code", "sheet", "row_code", "text"],
                        ["unit_code", "sheet", "row_code"])
        problems = _frame(con, """
            SELECT p.submission_id, p.unit_code, p.sheet, p.cell, p.rule, p.severity, p.message, p.value
            FROM problems p JOIN latest_submissions l USING (submission_id)
            WHERE list_contains(?::VARCHAR[], l.unit_code) ORDER BY p.unit_code, p.submission_id, p.seq""",
                          [codes])
        unassigned = _frame(con, "SELECT submission_id, file_name, received_date, claimed_unit_code, n_errors "
                                 "FROM submissions WHERE unit_code IS NULL AND (partner IS NULL OR district_code IS NULL) "
                                 "ORDER BY submission_id", [])
        official = _partner_frames(con, district, codes)
        version = data_version(con)
        sv = schema_version(con)
    if len(values):
        values["year"] = values["year"].astype(int)
        values["value"] = values["value"].astype(float)
    if len(criteria_status):
        criteria_status["year"] = criteria_status["year"].astype(int)
        criteria_status["criterion_no"] = criteria_status["criterion_no"].astype(int)
        criteria_status["status"] = criteria_status["status"].astype(object).where(
            criteria_status["status"].notna(), None)
    if len(urban_status):
        urban_status["year"] = urban_status["year"].astype(int)
        urban_status["status"] = urban_status["status"].astype(object).where(urban_status["status"].notna(), None)
    return Dataset(
        outline=outline, criteria=load_criteria(), levels=resolve_levels(scopes, outline.years),
        units=units, unit_years=unit_years(units, outline.years), submissions=subs, values=values,
        criteria_status=criteria_status, urban_status=urban_status, problems=problems, proposals=proposals, narratives=narratives, info=info,
        deadline=outline.deadline, data_version=version,
        meta={"db_path": str(db_path), "schema_version": sv, "district_code": district, "notes": notes,
              "unassigned": unassigned, "partners": official.pop("partners")},
        **official)


def _partner_frames(con, district: str, codes: list[str]) -> dict:
    """The partners' latest accepted workbooks for the district, as the Dataset's optional tables, and the list of
    those workbooks (``partner, submission_id, version, received_date, is_sample``)."""
    subs = _frame(con, "SELECT partner, submission_id, version, received_date, is_sample FROM current_partner_submissions "
                       "WHERE district_code = ? ORDER BY partner", [district])

    def rows(table: str, cols: list[str], order: list[str]) -> pd.DataFrame:
        return _frame(con, f"""
            SELECT {sql_idents(cols, "t")} FROM {sql_ident(table)} t
            JOIN current_partner_submissions c USING (submission_id)
            WHERE c.district_code = ? AND list_contains(?::VARCHAR[], t.unit_code) ORDER BY {sql_idents(order, "t")}""",
                      [district, codes])

    out = {"official_status": rows("partner_criteria_status", OPTIONAL_COLUMNS["official_status"],
                                   ["unit_code", "criterion_no", "year"]),
           "recognitions": rows("partner_recognitions", OPTIONAL_COLUMNS["recognitions"], ["unit_code", "title"]),
           "official_values": rows("partner_values", OPTIONAL_COLUMNS["official_values"],
                                   ["unit_code", "data_element", "year"])}
    for name in ("official_status", "official_values"):
        if len(out[name]):
            out[name]["year"] = out[name]["year"].astype(int)
    if len(out["official_values"]):
        out["official_values"]["value"] = out["official_values"]["value"].astype(float)
    if len(out["official_status"]):
        out["official_status"]["criterion_no"] = out["official_status"]["criterion_no"].astype(int)
    out["partners"] = subs.to_dict("records")
    return out
