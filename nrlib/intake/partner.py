"""Validate a partner's workbook (the coordination office's, the culture committee's) in one pass.

A received workbook is a partner's when its ThongTin has the row *Mã biểu mẫu* (:func:`partner_form`); the
partner is the one whose ``form_code`` it states (:mod:`nrlib.reference.partners`). Validation uses the
communes' machinery: the same :class:`~nrlib.intake.locate.Run` finds headers by their labels and reads each
cell as the clerk sees it (formulas never computed, error values, merged ranges: ``E_FORMULA_NO_VALUE``,
``E_CELL_ERROR``, ``E_MERGED_CELLS``), numbers are parsed and checked by :meth:`Run.number` and
:meth:`Run.bounds` (``E_TYPE_NUMBER``, ``E_INTEGER``, ``E_RANGE``), ThongTin by the key/value reader of the
communes' ThongTin, and units by the registry (``E_UNIT_UNKNOWN``, ``E_UNIT_NAME_MISMATCH``). What is the
partners' own: a unit of another district (``E_UNIT_OTHER_DISTRICT``), a year outside the review
(``E_YEAR_OUTSIDE``), the form and layout version (``E_PARTNER_FORM``, ``E_PARTNER_VERSION``), and a count
above the count it is part of (``E_RELATION``, as on VanDong).

Rows are found by their unit code and year (or title), never by position; a row whose cells are all blank
is skipped, and a unit-year typed twice is ``E_ROW_DUPLICATE``.
"""

from __future__ import annotations

import functools

from nrlib.core import labels
from nrlib.core.textmatch import build_lookup, strip_invisible
from nrlib.core.vnformat import parse_date
from nrlib.core.vocab import NOT_APPLICABLE, NOT_REACHED, REACHED
from nrlib.intake.locate import UNREADABLE, Run
from nrlib.intake.reader import Workbook, cell_ref
from nrlib.intake.result import Result, cell_text, show_number, show_value
from nrlib.intake.schema import Schema, cached_match_key, registry_unit
from nrlib.intake.sheets import READERS, range_rules
from nrlib.reference import load_partners, load_units
from nrlib.reference.files import reference_file
from nrlib.reference.outline import same_version
from nrlib.reference.partners import Partners

#: the ThongTin field whose row marks a partner's workbook
FORM_FIELD = "form_code"


def partner_form(book: Workbook, partners: Partners | None = None) -> str | None:
    """The form code a workbook's ThongTin states (``"VPDP-NTM"``), or None for a commune's workbook.

    Method: the row of ThongTin whose first non-blank cell is the label of the partners' ``form_code`` field;
    its value is the next non-blank cell on that row (``""`` when there is none, still a partner's workbook).
    """
    if partners is None:
        path = reference_file("partners")
        sheet_key, label = _form_keys(str(path), path.stat().st_mtime)
    else:
        sheet_key, label = _form_keys_of(partners)
    sheet = next((s for n, s in book.sheets.items() if cached_match_key(n) == sheet_key), None)
    if sheet is None:
        return None
    for row in sheet.rows[:40]:
        texts = [cell_text(v) for v in row]
        texts = [t for t in texts if t]
        if texts and cached_match_key(texts[0]) == label:
            return strip_invisible(texts[1]).strip() if len(texts) > 1 else ""
    return None


def _form_keys_of(partners: Partners) -> tuple[str, str]:
    """Match keys of the partners' ThongTin sheet name and of the label of its form-code row."""
    info = partners.info
    return (cached_match_key(info["name"]),
            cached_match_key(next(f["label"] for f in info["fields"] if f["key"] == FORM_FIELD)))


@functools.lru_cache(maxsize=4)
def _form_keys(path: str, mtime: float) -> tuple[str, str]:
    """:func:`_form_keys_of` the layouts file at ``path``, read once (it is asked for every received file)."""
    return _form_keys_of(load_partners(path))


def partner_sheets() -> set[str]:
    """Match keys of every sheet a partner workbook has (what the reader must parse)."""
    partners = load_partners()
    names = {partners.info["name"], partners.raw["instructions"]["sheet"]} | {
        s["name"] for k in partners.keys for s in partners.sheets(k)}
    return {cached_match_key(n) for n in names}


def validate_partner(book: Workbook, schema: Schema, partners: Partners | None = None) -> Result:
    """Read and check a partner's workbook, collecting every problem.

    Returns a :class:`Result` with ``partner`` (the partner's key), ``district_code``, ``outline_version`` (the
    layout version as stated), ``info`` and ``partner_tables``: ``partner_criteria_status`` (``unit_code, year,
    criterion_no, status``), ``partner_recognitions`` (``unit_code, title, year, decision_no, decision_date``)
    and ``partner_values`` (``unit_code, year, data_element, value``: the outline metric each count states).
    """
    partners = partners or load_partners()
    run = Run(book, schema)
    res = run.res
    res.partner_form = ""
    spec = dict(partners.info, name=f"{partners.info['name']}#partner")   # the key of the readers' caches
    info_sheet = _sheet(book, partners.info["name"])
    if info_sheet is None:
        run.add("E_SHEET_MISSING", partners.info["name"], "", sheet=partners.info["name"])
        return res
    READERS["key_value"](run, info_sheet, spec)
    info = res.info
    form = info.get(FORM_FIELD)
    res.partner_form = form or ""
    key = partners.by_form_code(form)
    if key is None:
        run.add("E_PARTNER_FORM", info_sheet.name, res.cells.get(("info", FORM_FIELD), ""), form,
                value=form or labels.NO_CODE, expected=" hoặc ".join(partners.partner(k)["form_code"]
                                                                    for k in partners.keys))
        return res
    p = partners.partner(key)
    res.partner = key
    version = info.get("layout_version")
    res.outline_version = version
    if version is not None and not same_version(version, p["layout_version"]):
        run.add("E_PARTNER_VERSION", info_sheet.name, res.cells.get(("info", "layout_version"), ""), version,
                partner=p["name"], value=version, expected=p["layout_version"])
    district = _district(run, info_sheet.name)
    sample_key = schema.sample_key
    res.is_sample = any(sample_key in cached_match_key(v) for v in info.values() if isinstance(v, str)) or any(
        isinstance(v, str) and sample_key in cached_match_key(v) for s in book.sheets.values() for row in s.rows[:6]
        for v in row)
    for sheet_spec in p["sheets"]:
        sheet = _sheet(book, sheet_spec["name"])
        if sheet is None:
            run.add("E_SHEET_MISSING", sheet_spec["name"], "", sheet=sheet_spec["name"])
            continue
        _read_sheet(run, partners, sheet_spec, sheet, district)
    known = partner_sheets()
    for name in book.sheets:
        if cached_match_key(name) not in known:
            run.add("W_SHEET_UNKNOWN", name, "", sheet=name)
    return res


def _sheet(book: Workbook, name: str):
    return next((s for n, s in book.sheets.items() if cached_match_key(n) == cached_match_key(name)), None)


def _district(run: Run, sheet_name: str) -> dict | None:
    """The district the workbook names (ThongTin, Mã huyện): ``{district_code, district_name, codes}``."""
    raw = run.res.info.get("district_code")
    if raw is None:
        return None
    code = strip_invisible(str(raw)).strip()
    try:
        units = load_units(code) if code.isdigit() else None
    except LookupError:
        units = None
    if units is None or not len(units):
        run.add("E_DISTRICT_UNKNOWN", sheet_name, run.res.cells.get(("info", "district_code"), ""), raw, value=raw)
        return None
    code = str(units.iloc[0]["district_code"])     # the registry's spelling, never the typed one
    run.res.district_code = code
    return {"district_code": code, "district_name": units.iloc[0]["district_name"],
            "codes": set(units["unit_code"])}


def _columns(partners: Partners, spec: dict, schema: Schema) -> list[dict]:
    """The sheet's columns as :meth:`Run.header` finds them (the writer's, :mod:`nrlib.workbooks`, are the same
    list: identity, year, then the sheet's own)."""
    cols = list(partners.identity_columns)
    if spec["kind"] in ("criteria", "counts"):
        cols.append(partners.raw["year_column"])
    if spec["kind"] == "criteria":
        crit = schema.criterion_names
        cols += [{"key": int(no), "label": f"TC{int(no)}. {name}"} for no, name in sorted(crit.items())]
        cols.append({"key": "note", "label": "Ghi chú"})
    else:
        cols += spec["columns"]
    return cols


def _read_sheet(run: Run, partners: Partners, spec: dict, sheet, district: dict | None) -> None:
    s = run.s
    cols = _columns(partners, spec, s)
    hdr = run.header(sheet, {"name": f"{spec['name']}#partner", "layout": "table", "columns": cols,
                             "header_row": spec["header_row"]})
    if hdr is None:
        return
    for c in cols:
        if c["key"] not in hdr.cols:
            run.add("E_HEADER_MISSING", sheet.name, f"{hdr.row + 1}:{hdr.row + 1}", label=c["label"])
            return
    data_keys = [c["key"] for c in cols if c["key"] not in ("unit_code", "unit_name", "year", "title")]
    data_cols = [hdr.cols[k] for k in data_keys]
    years = s.years
    seen: dict = {}
    tables = run.res.partner_tables
    for r in range(hdr.data_start, sheet.nrows):
        if sheet.row_is_blank(r):
            continue
        unit = _unit(run, sheet, r, hdr.cols["unit_code"], hdr.cols["unit_name"], district)
        if spec["kind"] == "recognitions":
            _recognition(run, partners, spec, sheet, r, hdr, unit, years, seen)
            continue
        y_ref = cell_ref(r, hdr.cols["year"])
        year = run.number(sheet, r, hdr.cols["year"], partners.raw["year_column"]["label"], integer=True,
                          required=True)
        if year is not None and int(year) not in years:
            run.add("E_YEAR_OUTSIDE", sheet.name, y_ref, year, what=partners.raw["year_column"]["label"],
                    value=_year_text(year), first=years[0], last=years[-1])
            year = None
        if unit is None or year is None:
            continue
        year = int(year)
        if (unit["unit_code"], year) in seen:
            run.add("E_ROW_DUPLICATE", sheet.name, y_ref, year, what="đơn vị, năm",
                    code=f"{unit['unit_code']} {year}", first_row=seen[(unit["unit_code"], year)] + 1)
            continue
        seen[(unit["unit_code"], year)] = r
        where = f"{unit['name']} năm {year}"
        if spec["kind"] == "criteria":
            choices = build_lookup({c["label"]: c["value"] for c in partners.choices(spec["choices"])}
                                   | {c["value"]: c["value"] for c in partners.choices(spec["choices"])})
            listed = ", ".join(c["label"] for c in partners.choices(spec["choices"]))
            status_labels = {c["value"]: c["label"] for c in partners.choices(spec["choices"])}
            applies = s.ntm_applies(unit)
            for no in (k for k in data_keys if isinstance(k, int)):
                c = hdr.cols[no]
                what = f"{where}, tiêu chí {no}"
                raw = run.cell(sheet, r, c, what, data_cols=data_cols)
                t = None if raw is UNREADABLE else cell_text(raw)
                if t is None:
                    continue
                status = choices.get(cached_match_key(t))
                if status is None:
                    run.add("E_CHOICE", sheet.name, cell_ref(r, c), raw, what=what, value=show_value(raw),
                            choices=listed)
                    continue
                if status == NOT_APPLICABLE and not applies.get(year, True):
                    continue        # the registry says so already (the template's locked cells)
                if status == NOT_APPLICABLE:
                    # the communes' rule: "Không áp dụng" only in the years a unit is a town
                    run.add("E_NOT_APPLICABLE", sheet.name, cell_ref(r, c), raw, criterion_no=no, year=year,
                            value=show_value(raw), unit=unit["name"], reached=status_labels[REACHED],
                            not_reached=status_labels[NOT_REACHED])
                    continue
                tables.setdefault("partner_criteria_status", []).append(
                    {"unit_code": unit["unit_code"], "year": year, "criterion_no": no, "status": status})
        else:
            got = {}
            for col in (c for c in cols if c.get("metric")):
                c = hdr.cols[col["key"]]
                what = f"{col['label']} của {where}"
                v = run.number(sheet, r, c, what, integer=col.get("type") == "integer", data_cols=data_cols)
                run.bounds(sheet.name, cell_ref(r, c), v, range_rules(col.get("rules") or {}), what,
                           sheet.value(r, c))
                got[col["key"]] = (v, c)
            for col in (c for c in cols if c.get("le")):
                part, whole = got.get(col["key"]), got.get(col["le"])
                if part and whole and part[0] is not None and whole[0] is not None and part[0] > whole[0]:
                    other = next(c for c in cols if c["key"] == col["le"])
                    run.add("E_RELATION", sheet.name, cell_ref(r, part[1]), part[0], what=f"{col['label']} của {where}",
                            value=show_number(part[0]), other_code=other["label"],
                            other_what=f"ô {cell_ref(r, whole[1])}", other_value=show_number(whole[0]))
            for col in (c for c in cols if c.get("metric")):
                v = got[col["key"]][0]
                if v is not None:
                    tables.setdefault("partner_values", []).append(
                        {"unit_code": unit["unit_code"], "year": year, "data_element": col["metric"], "value": v})


def _year_text(year: float) -> str:
    return str(int(year)) if float(year).is_integer() else show_number(year)


def _unit(run: Run, sheet, r: int, code_col: int, name_col: int, district: dict | None) -> dict | None:
    """The unit a row names, checked: in the registry, in the workbook's district, its name its code's."""
    ref = cell_ref(r, code_col)
    raw = run.cell(sheet, r, code_col, "Mã đơn vị")
    if raw is UNREADABLE:
        return None
    t = cell_text(raw)
    if t is None:
        run.add("E_REQUIRED", sheet.name, ref, what="Mã đơn vị")
        return None
    code = strip_invisible(t).strip()
    if isinstance(raw, float) and raw.is_integer():
        code = str(int(raw))
    code = code.zfill(5) if code.isdigit() and code.isascii() else code
    unit = registry_unit(code) if code.isdigit() else None
    if unit is None:
        run.add("E_UNIT_UNKNOWN", sheet.name, ref, raw, value=t)
        return None
    if district is not None and unit["unit_code"] not in district["codes"]:
        run.add("E_UNIT_OTHER_DISTRICT", sheet.name, ref, raw, unit_code=code, unit_name=unit["name"],
                other_district=unit.get("district_name") or unit["district_code"], district=district["district_name"])
        return None
    typed = cell_text(run.cell(sheet, r, name_col, "Tên đơn vị"))
    if typed and not run.s.names_unit(typed, unit):
        run.add("E_UNIT_NAME_MISMATCH", sheet.name, cell_ref(r, name_col), typed, unit_code=code,
                unit_name=unit["name"], typed=typed)
        return None
    return unit


def _recognition(run: Run, partners: Partners, spec: dict, sheet, r: int, hdr, unit: dict | None, years,
                 seen: dict) -> None:
    cols = {c["key"]: c for c in spec["columns"]}
    title_raw = run.cell(sheet, r, hdr.cols["title"], cols["title"]["label"])
    choices = build_lookup({c["label"]: c["value"] for c in partners.choices(spec["choices"])})
    title = None if title_raw is UNREADABLE else choices.get(cached_match_key(cell_text(title_raw) or ""))
    if title is None and title_raw is not UNREADABLE:
        run.add("E_CHOICE", sheet.name, cell_ref(r, hdr.cols["title"]), title_raw, what=cols["title"]["label"],
                value=show_value(title_raw), choices=", ".join(c["label"] for c in partners.choices(spec["choices"])))
    data = [hdr.cols[k] for k in ("year", "decision_no", "decision_date")]
    where = f"{cols['year']['label']} ({unit['name'] if unit else ''})"
    n_before = len(run.res.problems)
    year = run.number(sheet, r, hdr.cols["year"], where, integer=True, data_cols=data)
    first, last = int(spec.get("earliest_year", years[0])), years[-1]
    if year is not None and not first <= year <= last:
        run.add("E_YEAR_OUTSIDE", sheet.name, cell_ref(r, hdr.cols["year"]), year, what=where,
                value=_year_text(year), first=first, last=last)
        year = None
    year_problem = len(run.res.problems) > n_before
    number = run.cell(sheet, r, hdr.cols["decision_no"], cols["decision_no"]["label"], data_cols=data)
    number = None if number is UNREADABLE else cell_text(number)
    d_ref = cell_ref(r, hdr.cols["decision_date"])
    raw_date = run.cell(sheet, r, hdr.cols["decision_date"], cols["decision_date"]["label"], data_cols=data)
    date = None
    if raw_date is not UNREADABLE and cell_text(raw_date) is not None:
        try:
            date = parse_date(raw_date)
        except ValueError:
            run.add("E_TYPE_DATE", sheet.name, d_ref, raw_date, what=cols["decision_date"]["label"],
                    value=show_value(raw_date))
    if year is None and not year_problem and (number or date):
        # a decision without its year: the recognition cannot be placed in the period
        run.add("E_REQUIRED", sheet.name, cell_ref(r, hdr.cols["year"]), what=where)
    if unit is None or title is None or year is None:
        return
    if (unit["unit_code"], title) in seen:
        run.add("E_ROW_DUPLICATE", sheet.name, cell_ref(r, hdr.cols["title"]), title_raw, what="đơn vị, danh hiệu",
                code=f"{unit['unit_code']} {cell_text(title_raw)}", first_row=seen[(unit["unit_code"], title)] + 1)
        return
    seen[(unit["unit_code"], title)] = r
    run.res.partner_tables.setdefault("partner_recognitions", []).append(
        {"unit_code": unit["unit_code"], "title": title, "year": int(year), "decision_no": number,
         "decision_date": date})
