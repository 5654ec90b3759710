"""Read each sheet of a workbook by its layout, checking every cell as it is read.

One reader per sheet layout of the outline (:data:`READERS`): ``key_value``
(ThongTin, SoKet, TuCham), ``criteria_grid`` (TieuChi, VanMinhDoThi), ``indicator_grid`` (ChiTieu),
``metric_grid`` (VanDong), ``table`` (KhenThuong) and ``sections`` (DanhGia).
Each takes the :class:`nrlib.intake.locate.Run` of the workbook, the sheet and its
outline spec; it adds what it reads to the run's result (info, criteria
status, values, proposals, narratives, notes, and the cell each value came
from) and a problem for every cell that breaks a rule, and goes on to the next
cell.

Method: a reader finds the header and the rows through the run
(:meth:`nrlib.intake.locate.Run.header`, :meth:`nrlib.intake.locate.Run.rows_by_code`),
so rows are found by their code and year columns by their year, never by
position; values are parsed as people type them (:func:`nrlib.intake.reader.parse_number`,
:func:`nrlib.core.vnformat.parse_date`, choices by :func:`nrlib.intake.schema.cached_match_key`)
and checked against the outline's rules: required cells, ranges
(:func:`range_rules`), integers, choices, and one metric not exceeding the
metric it is part of (``le_metric``). The cell helpers that the run's messages
share (:func:`cell_text`, :func:`show_value`, :func:`show_number`) live here too.
"""

from __future__ import annotations

from nrlib.core import labels
from nrlib.core.vnformat import parse_date
from nrlib.intake.locate import UNREADABLE, Header, Run
from nrlib.intake.reader import Sheet, cell_ref, parse_number
from nrlib.intake.result import cell_text, show_number, show_value
from nrlib.intake.schema import cached_match_key
from nrlib.reference.outline import ROWS_FROM_URBAN


def range_rules(rules: dict) -> list[tuple[str, float]]:
    """The range rules that apply (``ge``, ``min``, ``gt``, ``max``, ``le``) as ``(name, bound)`` pairs."""
    return [(name, float(rules[name])) for name in ("ge", "min", "gt", "max", "le") if rules.get(name) is not None]


# ----------------------------------------------------------------------------- sheets


def _read_info(run: Run, sheet: Sheet, spec: dict) -> None:
    """A key / value sheet (ThongTin, SoKet, TuCham): each field's value by its label, into the result's ``info``.

    A ``number`` field (a self-score) is read as the numeric grids read a cell (:meth:`Run.number`: text that is
    not a number, a percent-formatted cell, a formula never computed, an error value are each refused at the
    cell) and kept as its text (``"8.5"``)."""
    s = run.s
    fields = {f["key"]: f for f in spec["fields"]}
    hdr = run.header(sheet, spec)
    label_col = hdr.cols.get("label", 0) if hdr else 0
    value_col = hdr.cols.get("value", label_col + 1) if hdr else 1
    start = hdr.data_start if hdr else 0
    lookup = s.row_lookup(spec["name"], {f["label"]: f["key"] for f in fields.values()} | {k: k for k in fields})
    # a row whose label is not one of the outline's (a signature, a note) is not read, and says so
    found = run.rows_by_code(sheet, Header(row=start - 1, data_start=start, cols={"label": label_col}, years={}),
                             "label", lookup, labels.ROW_KINDS["key_value"], [value_col],
                             expected=[], is_data=lambda v: False)
    for key, f in fields.items():
        if key not in found:
            run.add("E_ROW_MISSING", sheet.name, "", what=labels.ROW_KINDS["key_value"], code=f["label"])
            continue
        r = found[key]
        ref = cell_ref(r, value_col)
        run.res.cells[("info", key)] = ref
        if f.get("personal"):
            run.personal.add((sheet.name, ref))
        raw = run.cell(sheet, r, value_col, f["label"])
        if raw is UNREADABLE:
            run.res.info[key] = None
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.get("required"):
                run.add("E_REQUIRED", sheet.name, ref, what=f["label"])
            run.res.info[key] = None
            continue
        if f.get("type") == "date":
            try:
                run.res.info[key] = parse_date(raw).isoformat()
            except ValueError:
                run.add("E_TYPE_DATE", sheet.name, ref, raw, what=f["label"], value=show_value(raw))
                run.res.info[key] = None
        elif f.get("type") == "integer":
            v = run.number(sheet, r, value_col, f["label"], integer=True)
            run.bounds(sheet.name, ref, v, range_rules(f.get("rules") or {}), f["label"], raw)
            run.res.info[key] = None if v is None else str(int(round(v)))
        elif f.get("type") == "number":
            v = run.number(sheet, r, value_col, f["label"], unit=f.get("unit"))
            run.bounds(sheet.name, ref, v, range_rules(f.get("rules") or {}), f["label"], raw)
            run.res.info[key] = None if v is None else cell_text(float(v))
        elif f.get("type") == "choice":
            run.res.info[key] = _choice(run, sheet.name, ref, raw, f["choices"], f["label"])
        else:
            run.res.info[key] = cell_text(raw)


def _choice(run: Run, sheet: str, ref: str, raw, list_name: str, what: str) -> str | None:
    """A choice cell's value (its label, an earlier label or its value, as typed), or ``E_CHOICE`` and None."""
    s = run.s
    value = s.choice_lookup[list_name].get(cached_match_key(cell_text(raw) or ""))
    if value is None:
        run.add("E_CHOICE", sheet, ref, raw, what=what, value=show_value(raw),
                choices=", ".join(s.choice_labels[list_name].values()))
    return value


def _read_criteria(run: Run, sheet: Sheet, spec: dict) -> None:
    """A criteria × years sheet: the new-rural criteria (TieuChi, rows by STT, into the result's
    ``criteria_status``) or, ``rows_from: urban_criteria``, the urban standard's (VanMinhDoThi, rows by code
    ``VM1`` …, into ``urban_status``; whether a year may hold a status — the unit was a town then — is checked
    once the unit is known, :mod:`nrlib.intake.validate`). A status merged across years holds for each of them."""
    s = run.s
    if spec.get("rows_from") == ROWS_FROM_URBAN:
        codes = list(s.urban_criteria)
        _read_status_grid(run, sheet, spec, codes, s.row_lookup(spec["name"], codes), "criterion_code",
                          "tiêu chuẩn {code} năm {year}", "urban", run.res.urban_status)
    else:
        nos = sorted(s.criterion_names)
        _read_status_grid(run, sheet, spec, nos, {str(n): n for n in nos}, "criterion_no",
                          "tiêu chí {code} năm {year}", "criterion", run.res.criteria_status)


def _read_status_grid(run: Run, sheet: Sheet, spec: dict, codes: list, lookup: dict, code_column: str,
                      what: str, cell_key: str, out: list) -> None:
    """One status (a choice) per row code and year: each cell read as the clerk sees it, a blank no status
    (``E_REQUIRED`` where the outline requires one), an unknown word ``E_CHOICE``; rows ``{year, <code_column>,
    status}`` appended to ``out``."""
    s = run.s
    hdr = run.header(sheet, spec)
    if hdr is None:
        return
    run.check_years(sheet, hdr)
    year_col = spec_years_col(spec)
    choices = s.choice_lookup[year_col["choices"]]
    found = run.rows_by_code(sheet, hdr, code_column, lookup, labels.ROW_KINDS["criteria_grid"],
                             list(hdr.years.values()), expected=codes,
                             is_data=lambda v: cached_match_key(cell_text(v) or "") in choices)
    listed = ", ".join(s.choice_labels[year_col["choices"]].values())
    for code in codes:
        r = found.get(code)
        if r is None:
            continue
        run.note(sheet, hdr, r, code)
        for y in s.years:
            c = hdr.years.get(y)
            if c is None:
                continue
            ref = cell_ref(r, c)
            label = what.format(code=code, year=y)
            run.res.cells[(cell_key, code, y)] = ref
            raw = run.cell(sheet, r, c, label)      # a status merged across years holds for each of them
            t = None if raw is UNREADABLE else cell_text(raw)
            status = None
            if t is not None:
                status = choices.get(cached_match_key(t))
                if status is None:
                    run.add("E_CHOICE", sheet.name, ref, raw, what=label, value=show_value(raw), choices=listed)
            elif raw is not UNREADABLE and year_col.get("required"):
                run.add("E_REQUIRED", sheet.name, ref, what=label)
            out.append({"year": y, code_column: code, "status": status})


def spec_years_col(spec: dict) -> dict:
    return next(c for c in spec["columns"] if c["key"] == "years")


def _grid_rows(run: Run, sheet: Sheet, spec: dict, rows: dict, lookup_name: str, key: str, kind: str):
    """Each code of ``rows`` found on a code × year sheet (ChiTieu, VanDong): ``(code, row spec, row index, header)``.

    Missing year columns and unknown, duplicated or missing rows are reported
    first, and each row's note is recorded before the row is yielded; nothing
    is yielded when the header cannot be found (reported too).
    """
    hdr = run.header(sheet, spec)
    if hdr is None:
        return
    run.check_years(sheet, hdr)
    lookup = run.s.row_lookup(lookup_name, list(rows))
    found = run.rows_by_code(sheet, hdr, key, lookup, labels.ROW_KINDS[kind], list(hdr.years.values()),
                             expected=list(rows), is_data=lambda v: parse_number(v).value is not None)
    for code, row in rows.items():
        r = found.get(code)
        if r is None:
            continue
        run.note(sheet, hdr, r, code)
        yield code, row, r, hdr


def _read_years(run: Run, sheet: Sheet, hdr: Header, r: int, code: str, what: str, bounds: list,
                **number_options) -> dict[int, tuple[float | None, int]]:
    """One code's row of a code × year sheet: each year's number read, checked against ``bounds``, recorded.

    ``number_options`` go to :meth:`nrlib.intake.locate.Run.number`. Returns ``{year: (value, column)}``.
    """
    read = {}
    year_cols = list(hdr.years.values())
    for y in run.s.years:
        c = hdr.years.get(y)
        if c is None:
            continue
        what_year = f"{what} năm {y}"
        v = run.number(sheet, r, c, what_year, data_cols=year_cols, **number_options)
        run.bounds(sheet.name, cell_ref(r, c), v, bounds, what_year, sheet.value(r, c))
        run.res.cells[(code, y)] = f"{sheet.name}!{cell_ref(r, c)}"
        run.res.values.append({"year": y, "data_element": code, "value": v})
        read[y] = (v, c)
    return read


def _read_indicators(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    ycol = spec_years_col(spec)
    for code, row, r, hdr in _grid_rows(run, sheet, spec, s.indicators, "ChiTieu", "indicator_code", "indicator_grid"):
        info = s.indicator_info.get(code, {})
        rules = range_rules({"min": ycol.get("min"), "max": row.get("max")})
        _read_years(run, sheet, hdr, r, code, f"chỉ tiêu {code}", rules, percent=info.get("unit") == "%",
                    unit=info.get("unit"), required=bool(ycol.get("required")))


def _read_metrics(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    ycol = spec_years_col(spec)
    got: dict = {}
    for code, m, r, hdr in _grid_rows(run, sheet, spec, s.typed_metrics, "VanDong", "code", "metric_grid"):
        rules = m.get("rules", {})
        n_problems = len(run.res.problems)
        read = _read_years(run, sheet, hdr, r, code, f"{code} ({m['label']})", range_rules(rules),
                           integer=bool(rules.get("integer")), unit=m.get("unit"),
                           required=bool(ycol.get("required")))
        for y, (v, c) in read.items():
            got[(code, y)] = (v, r, c)
        if read and len(run.res.problems) == n_problems and all(v is None for v, _ in read.values()):
            first = min(c for _, c in read.values())
            run.add("W_ROW_BLANK", sheet.name, cell_ref(r, first), what=f"{code} ({m['label']})", n=len(read))
    for code, m in s.metrics.items():
        whole = (m.get("rules") or {}).get("le_metric")
        if not whole:
            continue
        for y in s.years:
            part, w = got.get((code, y)), got.get((whole, y))
            if part and w and part[0] is not None and w[0] is not None and part[0] > w[0]:
                run.add("E_RELATION", sheet.name, cell_ref(part[1], part[2]), part[0],
                        what=f"{code} ({m['label']}) năm {y}", value=show_number(part[0]), other_code=whole,
                        other_what=s.metrics[whole]["label"], other_value=show_number(w[0]))
    _add_computed(run, sheet, got)


def _add_computed(run: Run, sheet: Sheet, got: dict) -> None:
    """The metrics nrlib adds up (``sum_of``): a year's total when every part has a value that year (a part
    left blank leaves the total without data, never a partial sum), its cell the parts' range."""
    for code, parts in run.s.computed_metrics.items():
        for y in run.s.years:
            read = [got.get((p, y)) for p in parts]
            if any(x is None or x[0] is None for x in read):
                continue
            rows, col = [x[1] for x in read], read[0][2]
            run.res.values.append({"year": y, "data_element": code, "value": float(sum(x[0] for x in read))})
            run.res.cells[(code, y)] = f"{sheet.name}!{cell_ref(min(rows), col)}:{cell_ref(max(rows), col)}"


#: the largest STT kept as typed (the store's column is a 32-bit integer; no list has a million proposals)
MAX_SEQ = 1_000_000


def _read_proposals(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    hdr = run.header(sheet, spec)
    if hdr is None:
        return
    cols = {c["key"]: c for c in spec["columns"]}
    content_cols = [hdr.cols[k] for k in cols if k != "seq" and k in hdr.cols]
    for k, c in cols.items():
        if k not in hdr.cols and c.get("required"):
            run.add("E_HEADER_MISSING", sheet.name, f"{hdr.row + 1}:{hdr.row + 1}", label=c["label"])
    n = 0
    for r in range(hdr.data_start, sheet.nrows):
        if sheet.row_is_blank(r, content_cols):
            continue
        n += 1
        rec: dict = {"seq": n}
        for key, col in cols.items():
            ci = hdr.cols.get(key)
            if ci is None:
                rec[key] = None
                continue
            ref = cell_ref(r, ci)
            if col.get("personal_if") or col.get("personal") or col.get("personal_detail_if"):
                run.personal.add((sheet.name, ref))
            what = f"đề xuất dòng {r + 1}, cột “{col['label']}”"
            raw = run.cell(sheet, r, ci, what)
            if raw is UNREADABLE:
                rec[key] = None
                continue
            t = cell_text(raw)
            if t is None:
                if col.get("required"):
                    run.add("E_REQUIRED", sheet.name, ref, what=what)
                rec[key] = None
                continue
            if key == "seq":
                v = parse_number(raw)
                # the STT only orders the rows: one that is not a row number (a fraction, 2147483648) is the row's order
                ok = v.ok and v.value is not None and float(v.value).is_integer() and 0 < v.value <= MAX_SEQ
                rec["seq"] = int(v.value) if ok else n
                continue
            if col.get("type") == "integer":       # a year of birth
                v = run.number(sheet, r, ci, what, integer=True)
                run.bounds(sheet.name, ref, v, range_rules({"min": col.get("min"), "max": col.get("max")}), what, raw)
                rec[key] = None if v is None else int(round(v))
                continue
            if col.get("type") == "choice":
                value = s.choice_lookup[col["choices"]].get(cached_match_key(t))
                if col.get("open_choice"):
                    rec[key] = s.choice_labels[col["choices"]][value] if value else t
                    continue
                rec[key] = _choice(run, sheet.name, ref, raw, col["choices"], what)
                if key == "kind":
                    run.res.cells[("proposal", n)] = f"{sheet.name}!{ref}"
            else:
                rec[key] = t
        if rec.get("seq") is None:      # no STT column, or a blank STT: the row's order
            rec["seq"] = n
        run.res.proposals.append(rec)


def _read_sections(run: Run, sheet: Sheet, spec: dict) -> None:
    s = run.s
    hdr = run.header(sheet, spec)
    if hdr is None:
        return
    text_col = hdr.cols.get("text")
    if text_col is None:
        run.add("E_HEADER_MISSING", sheet.name, f"{hdr.row + 1}:{hdr.row + 1}",
                label=next(c["label"] for c in spec["columns"] if c["key"] == "text"))
        return
    # rows are found by the number the Mục column shows (the code where the outline gives no number)
    lookup = s.row_lookup("DanhGia", {sec["number"]: code for code, sec in s.sections.items()})
    loose: list[int] = []
    found = run.rows_by_code(sheet, hdr, "section_code", lookup, labels.ROW_KINDS["sections"], [text_col],
                             expected=list(s.sections), is_data=lambda v: False, loose=loose,
                             shown={code: sec["number"] for code, sec in s.sections.items()})
    # a narrative continued on the rows below its section (no code there) belongs to that section
    starts = sorted((r, code) for code, r in found.items())
    more: dict[str, list[int]] = {}
    for r in loose:
        owner = next((code for start, code in reversed(starts) if start < r), None)
        if owner is None:
            run.add("W_TEXT_IGNORED", sheet.name, cell_ref(r, text_col), sheet.value(r, text_col),
                    text=show_value(sheet.value(r, text_col)))
        else:
            more.setdefault(owner, []).append(r)
    for code in s.sections:
        r = found.get(code)
        if r is None:
            continue
        what = f"mục {s.sections[code]['number']} ({s.sections[code].get('title', '')})"
        parts = []
        for row in [r, *more.get(code, [])]:
            raw = run.cell(sheet, row, text_col, what)
            if raw is not UNREADABLE and cell_text(raw):
                parts.append(cell_text(raw))
        if more.get(code):
            run.add("W_TEXT_CONTINUED", sheet.name, cell_ref(more[code][0], text_col), None,
                    code=s.sections[code]["number"])
        run.res.narratives.append({"section_code": code, "text": "\n".join(parts) or None})


READERS = {"key_value": _read_info, "criteria_grid": _read_criteria, "indicator_grid": _read_indicators,
            "metric_grid": _read_metrics, "table": _read_proposals, "sections": _read_sections}
