"""Validate a received workbook against the outline in one pass, collecting every problem.

Method (pandera-style lazy validation): the outline (``outline_*.yaml``) is
compiled once into a :class:`nrlib.intake.schema.Schema`; :func:`validate_workbook`
then walks the workbook sheet by sheet, reading each cell it expects and
checking it at the same time, and never stops at the first problem. The result
holds the tidy content (info, criteria status, values, proposals, narratives,
notes) and the list of :class:`Problem` s, each with its sheet, cell, rule
code (see :mod:`nrlib.core.labels`) and Vietnamese message. This module finds the
sheets, headers and rows (:class:`Run`) and checks the workbook as a whole
(unit, outline version, encoding, sample marker); the cells of each sheet are
read by the reader of its layout in :mod:`nrlib.intake.sheets`.

How cells are found (people insert rows and columns, retype labels):

* sheets are matched by name with :func:`nrlib.core.textmatch.match_key` (case,
  spaces, NFC/NFD, missing diacritics do not matter);
* the header row is searched near the outline's ``header_row`` by its labels;
  year columns by their year (``2016``, ``"Năm 2016"``); a two-row header
  (merged cells, e.g. "Năm" above the years) is read as one;
* data rows are identified by their code column, never by position. A row
  without a known code but with data in the year columns (a number, a
  status) is an error (``E_ROW_UNKNOWN``); text there that carries no data (a
  heading, a signature block, a note) is not read, with a warning at its cell
  (``W_TEXT_IGNORED``); a narrative continued on the rows below its section
  is joined to it (``W_TEXT_CONTINUED``);
* each data cell is read as the clerk sees it (:meth:`nrlib.intake.locate.Run.cell`):
  percent formats, formulas never computed, error values and merged ranges
  (:mod:`nrlib.intake.cellfacts`).

Plausibility checks (warnings that compare the values with known levels,
with earlier years and with other units) are in :mod:`nrlib.intake.plausibility`;
:func:`validate_workbook` runs them too.
"""

from __future__ import annotations

from nrlib.core import labels
from nrlib.core.textmatch import match_key, strip_invisible
from nrlib.core.vocab import NOT_APPLICABLE, NOT_REACHED, REACHED
from nrlib.intake import plausibility
from nrlib.intake.locate import Run
from nrlib.intake.reader import LEGACY_SUSPECT, Sheet, Workbook, cell_ref, legacy_encoding
from nrlib.intake.result import Result, show_value
from nrlib.intake.schema import Schema, Schemas, cached_match_key, compile_schemas, registry_unit
from nrlib.reference.outline import same_version
from nrlib.intake.sheets import READERS

# ----------------------------------------------------------------------------- workbook


def validate_workbook(book: Workbook, schema: Schema | None = None, *, claims: list[tuple[str, str]] | None = None,
                      peers=None) -> Result:
    """Read and check a workbook against the outline, collecting every problem.

    Parameters
    ----------
    book : Workbook
        From :func:`nrlib.intake.reader.read_workbook`.
    schema : Schema or Schemas, optional
        The compiled outline to validate against, or every shipped one (default:
        :func:`nrlib.intake.schema.compile_schemas`): then the workbook is validated against the outline
        version its ThongTin states (``Phiên bản đề cương``), and a version nrlib does not ship is
        ``E_OUTLINE_VERSION`` at that cell (the workbook is then read with the nearest shipped version, so
        every other problem is listed too).
    claims : list of (source, unit_code), optional
        Units the file is said to come from: ``("file_name", "26308")``,
        ``("manifest", "26308")``. Each must equal the workbook's own unit
        code (``E_UNIT_MISMATCH``).
    peers : nrlib.intake.plausibility.Peers, optional
        Latest accepted values of the other units of the district, for the
        outlier check (see :func:`nrlib.intake.plausibility.check_outliers`).

    Returns
    -------
    Result
        Content and problems; ``accepted`` when no problem is an error.
    """
    schemas = schema if isinstance(schema, Schemas) else None
    if schemas is None and schema is None:
        schemas = compile_schemas()
    if schemas is not None:
        schema, stated, cell = _stated_schema(book, schemas)
    run = Run(book, schema)
    if schemas is not None and stated is not None and schemas.get(stated) is None:
        # a version nrlib does not ship: read with the nearest one, so every other problem is listed too
        run.add("E_OUTLINE_VERSION", "ThongTin", cell, stated, value=stated,
                expected=" hoặc ".join(schemas.versions))
    sheets = _match_sheets(run)
    _check_encoding(run, sheets.values())
    for name, spec in schema.sheets.items():
        sheet = sheets.get(name)
        if sheet is not None:
            READERS[spec["layout"]](run, sheet, spec)
    _redact_personal(run)
    run.res.is_sample = _is_sample(run, sheets)
    unit = _check_unit_and_version(run, claims or [], known=schemas is not None)
    if unit is not None:
        _check_not_applicable(run, unit)
        _check_urban_years(run, unit, sheets)
        plausibility.check_declared_vs_measured(run.res, schema, unit)
    plausibility.check_yoy(run.res, schema)
    plausibility.check_stock_flows(run.res, schema)
    plausibility.check_proposal_subjects(run.res, schema)
    if peers is not None:
        # the other units' values, whatever outline each followed, are compared on the newest outline's terms
        plausibility.check_outliers(run.res, schemas.default if schemas is not None else schema, peers)
    return run.res


def _stated_schema(book: Workbook, schemas: Schemas) -> tuple[Schema, str | None, str]:
    """The schema of the outline version the workbook states (ThongTin, ``Phiên bản đề cương``), the version as
    typed and its cell. A workbook stating none is read with the newest; one stating a version nrlib does not
    ship, with the nearest shipped one by number (a "0.9" or a "1.1" is most like 1.0), else the newest.

    Method: ThongTin is read with the newest outline's reader on a scratch run (its problems are dropped: the
    real run reads the sheet again with the schema chosen); the version field has the same label in every
    outline."""
    default = schemas.default
    scratch = Run(book, default)
    spec = default.sheets["ThongTin"]
    sheet = next((s for name, s in book.sheets.items() if cached_match_key(name) == cached_match_key(spec["name"])),
                 None)
    if sheet is None:
        return default, None, ""
    READERS[spec["layout"]](scratch, sheet, spec)
    stated = scratch.res.info.get("outline_version")
    chosen = schemas.get(stated) or schemas.nearest(stated)
    return chosen or default, stated, scratch.res.cells.get(("info", "outline_version"), "")


def _check_not_applicable(run: Run, unit: dict) -> None:
    """"Không áp dụng" is for the years the NTM criteria do not apply to the unit (a town, a ward); in a year
    they apply it would hide a criterion lost, so it is refused at its cell (``E_NOT_APPLICABLE``)."""
    applies = run.s.ntm_applies(unit)
    labels_of = run.s.choice_labels["criterion_status"]
    for st in run.res.criteria_status:
        if st["status"] == NOT_APPLICABLE and applies.get(st["year"], True):
            cell = run.res.cells.get(("criterion", st["criterion_no"], st["year"]), "")
            run.add("E_NOT_APPLICABLE", "TieuChi", cell, labels_of[NOT_APPLICABLE], criterion_no=st["criterion_no"],
                    year=st["year"], value=labels_of[NOT_APPLICABLE], unit=unit["name"],
                    reached=labels_of[REACHED], not_reached=labels_of[NOT_REACHED])


def _check_urban_years(run: Run, unit: dict, sheets: dict[str, Sheet]) -> None:
    """The urban sheet (``only_for: urban_years``) belongs to a unit with a year under the urban standard: such a
    unit's workbook must have it (``E_SHEET_MISSING``, checked here once the unit is known); in a year the unit was
    a xã only a blank or "Không áp dụng" may stand there (``E_URBAN_NOT_APPLICABLE`` at the cell), whatever the
    workbook (a xã's that has the sheet all the same)."""
    applies = run.s.ntm_applies(unit)
    if not all(applies.get(y, True) for y in run.s.years):
        for name in sorted(run.s.urban_only - set(sheets)):
            run.add("E_SHEET_MISSING", name, "", sheet=name)
    labels_of = run.s.choice_labels["criterion_status"]
    for st in run.res.urban_status:
        if st["status"] in (REACHED, NOT_REACHED) and applies.get(st["year"], True):
            cell = run.res.cells.get(("urban", st["criterion_code"], st["year"]), "")
            run.add("E_URBAN_NOT_APPLICABLE", run.s.urban_sheet or "", cell, labels_of[st["status"]],
                    criterion_code=st["criterion_code"], year=st["year"], value=labels_of[st["status"]],
                    unit=unit["name"], not_applicable=labels_of[NOT_APPLICABLE])


def _match_sheets(run: Run) -> dict[str, Sheet]:
    s = run.s
    matched: dict[str, list[Sheet]] = {}
    instr = match_key(s.instructions_sheet) if s.instructions_sheet else None
    for name, sheet in run.book.sheets.items():
        k = cached_match_key(name)
        canon = s.sheet_lookup.get(k)
        if canon:
            matched.setdefault(canon, []).append(sheet)
        elif k != instr:
            run.add("W_SHEET_UNKNOWN", name, "", sheet=name)
    out = {}
    for name in s.sheets:
        got = matched.get(name, [])
        if not got:
            if name not in s.urban_only:        # a xã's workbook has no urban sheet: checked with the unit
                run.add("E_SHEET_MISSING", name, "", sheet=name)
        elif len(got) > 1:
            run.add("E_SHEET_DUPLICATE", name, "", sheet=name, names=", ".join(f"“{g.name}”" for g in got))
        else:
            out[name] = got[0]
    return out


def _check_encoding(run: Run, sheets) -> None:
    for sheet in sheets:
        # one search over the whole sheet first: almost every sheet is clean
        if not LEGACY_SUSPECT.search("\x00".join(v for row in sheet.rows for v in row if isinstance(v, str))):
            continue
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if isinstance(v, str) and not v.isascii() and LEGACY_SUSPECT.search(v):
                    enc = legacy_encoding(v)
                    if enc:
                        run.add("E_ENCODING_LEGACY", sheet.name, cell_ref(r, c), v,
                                encoding=labels.LEGACY_ENCODINGS[enc], text=show_value(v))


def _redact_personal(run: Run) -> None:
    """Problems at personal cells (preparer's name and phone, a person's name in KhenThuong) do not
    quote the cell: problems reach exports and reports, personal data must not."""
    import dataclasses

    for i, p in enumerate(run.res.problems):
        if p.value is not None and (p.sheet, p.cell) in run.personal:
            quoted = show_value(p.value)
            message = p.message.replace(quoted, labels.PERSONAL_REDACTED) if quoted in p.message \
                else labels.rule(p.rule).template.split(":")[0] + ": " + labels.PERSONAL_REDACTED
            run.res.problems[i] = dataclasses.replace(p, message=message, value=None)


def _is_sample(run: Run, sheets: dict[str, Sheet]) -> bool:
    key = run.s.sample_key
    if any(key in match_key(v) for v in run.res.info.values() if v):
        return True
    for sheet in sheets.values():
        for row in sheet.rows[:2]:
            if any(isinstance(v, str) and key in match_key(v) for v in row):
                return True
    return False


def _check_unit_and_version(run: Run, claims: list[tuple[str, str]], known: bool = False) -> dict | None:
    """The unit the workbook names, checked against the registry and the claims; and its outline version
    (``known``: it was checked when the schema was chosen, else it must be the one schema's)."""
    info = run.res.info
    version = info.get("outline_version")
    if version is not None:
        run.res.outline_version = version
        expected = run.s.outline.version
        if not same_version(version, expected):
            if not known:
                run.add("E_OUTLINE_VERSION", "ThongTin", run.res.cells.get(("info", "outline_version"), ""), version,
                        value=version, expected=expected)
        else:
            run.res.outline_version = expected
    raw = info.get("unit_code")
    if raw is None:
        return None
    code = strip_invisible(raw).strip()
    code = code.zfill(5) if code.isdigit() and code.isascii() else raw
    cell = run.res.cells.get(("info", "unit_code"), "")
    unit = registry_unit(code) if code.isdigit() else None
    if unit is None:
        run.add("E_UNIT_UNKNOWN", "ThongTin", cell, raw, value=raw)
        return None
    info["unit_code"] = code
    run.res.unit_code = code
    for source, claimed in claims:
        claimed = str(claimed).strip()
        if claimed and claimed.zfill(5) != code:
            other = registry_unit(claimed.zfill(5)) if claimed.isdigit() else None
            run.add("E_UNIT_MISMATCH", "ThongTin", cell, raw, unit_code=code, unit_name=unit["name"],
                    source=labels.CLAIM_SOURCES.get(source, source), claimed=claimed,
                    claimed_name=f" ({other['name']})" if other else "")
    typed = info.get("unit_name")
    if typed and not run.s.names_unit(typed, unit):
        run.add("E_UNIT_NAME_MISMATCH", "ThongTin", run.res.cells.get(("info", "unit_name"), ""), typed,
                unit_code=code, unit_name=unit["name"], typed=typed)
    return unit

