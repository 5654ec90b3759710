"""Property-based tests of reading and validation: generated corruptions of a valid workbook.

The base is the sample workbook of Xã Gia Kiệm (:func:`nrlib.workbooks.sample.sample_content`,
written by the template writer), accepted with no problem. Hypothesis then
generates changes, applied at the XML level by :mod:`hostile.xlsx_edit`:

1. **random corruptions** (cells set to wrong types, blanks, huge, negative,
   NaN/inf, text, wrong codes, formulas, errors; rows and columns inserted and
   deleted; sheets deleted, renamed, added, reordered), ingested into a
   store: never a traceback; accepted exactly when no problem is an error;
   every problem has a known rule, its sheet and a cell reference; a
   rejection leaves the analysis tables byte for byte, an acceptance adds
   only the new submission's rows; the raw file is kept.
2. **order-preserving edits** (rows shuffled, blank rows and columns
   inserted, sheets renamed the way people retype them, reordered, an extra
   sheet): the workbook is still accepted and its content is unchanged.
3. **one typed value**: a VanDong or TieuChi cell gets a value whose verdict
   the outline's rules give (not a number, negative, zero where > 0 is
   required, a fraction in a count, blank, NaN, a part larger than its whole,
   a choice typed loosely or wrongly): the expected rule is reported at that
   very cell, and nothing else is an error.
4. **damaged bytes** (truncated, bytes flipped, inserted or zeroed): never a
   traceback; if still accepted, the content is exactly the base's (damage
   is never read as other data).

Example counts are moderate (the suite must stay fast); each test counts the
cases it ran into the summary table.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import nrlib.ingest as ingest_module
from hostile.xlsx_edit import Book, col_letters, col_number
from nrlib import find_unit, load_outline, load_units, sample_content, write_workbook
from nrlib import store as st_
from nrlib.core import labels
from nrlib.core.textmatch import match_key, strip_diacritics
from nrlib.ingest import analyse_file, ingest_files
from nrlib.intake.reader import legacy_encoding
from nrlib.intake.schema import compile_schemas
from nrlib.workbooks.layout import cell_address

UNIT, OTHER = "26308", "26311"
OUTLINE = load_outline()
#: the sheets of UNIT's workbook: a xã's has no urban sheet (``only_for: urban_years``)
OUTLINE_SHEETS = OUTLINE.sheets_for(has_urban_years=False)
FILE_RULES = {"E_FILE_UNREADABLE", "E_FILE_TOO_LARGE", "E_FILE_COMPRESSION", "E_FILE_XML_DTD", "E_FILE_ENCRYPTED",
              "E_FILE_MACROS", "E_INTERNAL"}
CELL_OR_ROWS = re.compile(r"([A-Z]{1,3}\d+|\d+:\d+)?")
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                       HealthCheck.function_scoped_fixture])


# ----------------------------------------------------------------------------- the base and the store


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    d = tmp_path_factory.mktemp("prop-base")
    contents = sample_content(load_units("738"), 2021)
    path = write_workbook(d / f"{UNIT}_base.xlsx", find_unit(UNIT), content=contents[UNIT])
    other = write_workbook(d / f"{OTHER}_other.xlsx", find_unit(OTHER), content=contents[OTHER])
    schema = compile_schemas()      # every shipped outline, as ingest
    _, _, res = analyse_file(path, [("file_name", UNIT)], schema)
    assert res.accepted and res.problems == [], res.problems     # the base is clean
    db = d / "store" / "s.duckdb"
    outs = ingest_files([other, path], db, received="2021-02-15")
    assert [o.outcome for o in outs] == ["accepted", "accepted"]
    with st_.open_store(db) as con:
        digests = {t: _rows_digest(con, t) for t in st_.ANALYSIS_TABLES}
    return type("Base", (), {"path": path, "book": Book(path), "schema": schema, "result": res, "db": db,
                             "digests": digests, "dir": d})


def _rows_digest(con, table: str, without: int | None = None) -> str:
    """SHA-256 of a table's rows in sorted order (leaving out one submission's rows)."""
    rows = con.execute(f"SELECT * FROM {table} WHERE submission_id IS DISTINCT FROM ? ORDER BY ALL",
                       [without]).fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _content(res) -> dict:
    """What a validated workbook holds, in a form that ignores row order."""
    return {
        "values": {(v["data_element"], v["year"]): v["value"] for v in res.values},
        "criteria": {(c["criterion_no"], c["year"]): c["status"] for c in res.criteria_status},
        "info": dict(res.info),
        "proposals": sorted(tuple(sorted((k, str(v)) for k, v in p.items() if k != "seq")) for p in res.proposals),
        "narratives": {n["section_code"]: n["text"] for n in res.narratives},
        "notes": sorted((n["sheet"], n["row_code"], n["text"]) for n in res.notes),
    }


def _same(a: dict, b: dict) -> bool:
    def eq(x, y):
        if isinstance(x, float) and isinstance(y, float):
            return (math.isnan(x) and math.isnan(y)) or x == y
        return x == y
    return a.keys() == b.keys() and all(
        (a[k].keys() == b[k].keys() and all(eq(a[k][i], b[k][i]) for i in a[k])) if isinstance(a[k], dict)
        else a[k] == b[k] for k in a)


def _count(figures, name: str) -> None:
    figures["properties"][name] = figures["properties"].get(name, 0) + 1


def _check_problems(problems, sheet_names) -> None:
    for p in problems:
        assert p.rule in labels.RULES, p
        assert p.severity == labels.RULES[p.rule].severity, p
        assert isinstance(p.message, str) and p.message.strip(), p
        assert p.rule != "E_INTERNAL", p.message
        if p.rule not in FILE_RULES:
            assert p.sheet and (p.sheet in sheet_names or p.sheet in OUTLINE_SHEETS), p
        assert CELL_OR_ROWS.fullmatch(p.cell), p


# ----------------------------------------------------------------------------- strategies

MESSY_TEXT = ["1.234", "1,5", "12 345", "(100)", "1e5", "10%", "abc", "", "  ", "Đạt", "Dat", "chưa đạt", "x",
              "VD01", "VD99", "26308", "26311", "99999", "../../x", "=1+1", "#N/A", "<script>alert(1)</script>",
              "15/02/2021", "31/02/2021", "ngày 15 tháng 02 năm 2021", "Th«ng tin", "\u202eabc", "1.0", "0.9",
              "Tập thể", "Cá nhân", "Giấy khen của UBND huyện", "\x1b[2J"]

VALUES = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10 ** 18, max_value=10 ** 18),
    st.sampled_from([1e308, -1e308, 5e-324, -0.0, 0, 2 ** 53 + 1, 0.1 + 0.2]),
    st.text(max_size=30),
    st.sampled_from(MESSY_TEXT),
    st.booleans(),
    st.tuples(st.just("error"), st.sampled_from(["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?"])),
    st.tuples(st.just("formula"), st.just("SUM(D4:D5)"), st.integers(-5, 5000)),
)
KINDS = ["set", "set", "set", "set", "insert_row", "delete_row", "insert_col", "delete_col", "shuffle",
         "delete_sheet", "rename_sheet", "add_sheet", "reorder"]


def _renamed(name: str):
    return st.sampled_from([name.upper(), name.lower(), f" {name} ", unicodedata.normalize("NFD", name),
                            strip_diacritics(name), *OUTLINE_SHEETS, "Sheet1", "Trang tính 1", "../../x", "<b>x</b>"])


def _mutate(book: Book, data) -> list:
    """Apply 1-6 random changes to ``book``; returns what was done (for the failure report)."""
    done = []
    for _ in range(data.draw(st.integers(1, 6), label="n_changes")):
        names = list(book.sheets)
        kind = data.draw(st.sampled_from(KINDS), label="kind")
        if kind in ("delete_sheet", "rename_sheet", "reorder") and not names:
            continue
        if kind == "add_sheet":
            new = data.draw(st.one_of(st.sampled_from(OUTLINE_SHEETS), st.text(min_size=1, max_size=20)), label="new")
            if new in book.sheets:
                continue
            book.add(new, copy_of=data.draw(st.sampled_from([None, *names]), label="copy_of"))
            done.append((kind, new))
            continue
        if kind == "reorder":
            book.reorder(data.draw(st.permutations(names), label="order"))
            done.append((kind,))
            continue
        if not names:
            continue
        name = data.draw(st.sampled_from(names), label="sheet")
        sheet = book.sheets[name]
        if kind == "set":
            refs = sheet.value_refs()
            if refs and data.draw(st.booleans(), label="existing"):
                r, c = data.draw(st.sampled_from(refs), label="ref")
            else:
                r = data.draw(st.integers(1, sheet.max_row() + 3), label="row")
                c = data.draw(st.integers(1, sheet.max_col() + 2), label="col")
            value = data.draw(VALUES, label="value")
            sheet.set(r, c, value)
            done.append((kind, name, f"{col_letters(c)}{r}", value))
        elif kind in ("insert_row", "delete_row"):
            r = data.draw(st.integers(1, max(1, sheet.max_row())), label="row")
            getattr(sheet, kind)(r)
            done.append((kind, name, r))
        elif kind in ("insert_col", "delete_col"):
            c = data.draw(st.integers(1, max(1, sheet.max_col())), label="col")
            getattr(sheet, kind)(c)
            done.append((kind, name, c))
        elif kind == "shuffle":
            rows = sorted(sheet.rows)
            order = data.draw(st.permutations(rows), label="perm")
            sheet.permute_rows(dict(zip(rows, order)))
            done.append((kind, name))
        elif kind == "delete_sheet":
            book.delete(name)
            done.append((kind, name))
        elif kind == "rename_sheet":
            new = data.draw(_renamed(name), label="new_name")
            if new != name and new not in book.sheets:
                book.rename(name, new)
                done.append((kind, name, new))
    return done


# ----------------------------------------------------------------------------- 1. random corruptions


@settings(max_examples=80, **SETTINGS)
@given(data=st.data())
def test_random_corruptions_are_accepted_or_rejected_with_located_problems(base, figures, data):
    _count(figures, "random corruptions, ingested")
    book = base.book.copy()
    done = _mutate(book, data)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = book.write(tmp / f"{UNIT}_bien-doi.xlsx")
        db = tmp / "store" / "s.duckdb"
        shutil.copytree(base.db.parent, db.parent)
        with mock.patch.object(ingest_module, "compile_schemas", lambda: base.schema):   # compiled once
            [out] = ingest_files([path], db, received="2021-02-20")
        assert out.outcome in ("accepted", "rejected", "duplicate"), done
        event(f"outcome: {out.outcome}")
        for rule in sorted({p.rule for p in out.problems}):
            event(f"rule: {rule}")
        if out.outcome == "duplicate":          # the changes cancelled out: the base itself again
            return
        _check_problems(out.problems, set(book.sheets))
        assert (out.outcome == "accepted") == (out.n_errors == 0), (done, out.problems)
        assert (db.parent / out.stored_as).read_bytes() == path.read_bytes()
        with st_.open_store(db) as con:
            for t in st_.ANALYSIS_TABLES:
                assert _rows_digest(con, t, out.submission_id) == base.digests[t], (t, done)
                if out.outcome == "rejected":
                    n = con.execute(f"SELECT count(*) FROM {t} WHERE submission_id = ?", [out.submission_id]
                                    ).fetchall()[0][0]
                    assert n == 0, (t, done)
            stored = con.execute("SELECT count(*) FROM problems WHERE submission_id = ?", [out.submission_id]
                                 ).fetchall()[0][0]
        assert stored == len(out.problems)


# ----------------------------------------------------------------------------- 2. order-preserving edits


@functools.lru_cache(maxsize=None)
def _data_rows(sheet: str) -> list[int]:
    spec = next(s for s in OUTLINE.raw["sheets"] if s["name"] == sheet)
    if spec["layout"] == "metric_grid":
        keys = OUTLINE.typed_metric_codes      # a computed total (sum_of) has no row
    elif spec["layout"] == "indicator_grid":
        keys = [str(r["indicator_code"]) for r in spec["rows"]]
    elif spec["layout"] == "criteria_grid":
        keys = sorted(int(n) for n in compile_schemas().default.criterion_names)
    elif spec["layout"] == "sections":
        keys = [s["code"] for s in spec["sections"]]
    elif spec["layout"] == "key_value":
        keys = [f["key"] for f in spec["fields"]]
    else:
        return []
    col = {"metric_grid": 2016, "indicator_grid": 2016, "criteria_grid": 2016, "sections": "text",
           "key_value": "value"}[spec["layout"]]
    return sorted(int(re.sub(r"[A-Z]+", "", cell_address(OUTLINE, sheet, k, col))) for k in keys)


@settings(max_examples=60, **SETTINGS)
@given(data=st.data())
def test_order_preserving_edits_keep_the_workbook_and_its_content(base, figures, data):
    _count(figures, "order-preserving edits")
    book = base.book.copy()
    done = []
    for name in OUTLINE_SHEETS:
        sheet = book.sheets[name]
        rows = _data_rows(name)
        if rows and data.draw(st.booleans(), label=f"shuffle {name}"):
            sheet.permute_rows(dict(zip(rows, data.draw(st.permutations(rows), label="perm"))))
            done.append(("shuffle", name))
        for _ in range(data.draw(st.integers(0, 2), label="blank rows")):
            at = data.draw(st.integers(2, sheet.max_row() + 1), label="at")
            sheet.insert_row(at)
            done.append(("insert_row", name, at))
        if data.draw(st.booleans(), label="blank col"):
            at = data.draw(st.integers(1, sheet.max_col() + 1), label="col")
            sheet.insert_col(at)
            done.append(("insert_col", name, at))
    for name in list(OUTLINE_SHEETS):
        new = data.draw(st.sampled_from([name, name.upper(), name.lower(), f" {name} ",
                                         unicodedata.normalize("NFD", name)]), label="rename")
        if new != name:
            book.rename(name, new)
            done.append(("rename", name, new))
    book.reorder(data.draw(st.permutations(list(book.sheets)), label="order"))
    extra = data.draw(st.booleans(), label="extra sheet")
    if extra:
        book.add("Ghi chú riêng").set(1, 1, "ghi chú của xã")
    with tempfile.TemporaryDirectory() as tmp:
        path = book.write(Path(tmp) / f"{UNIT}_sap-xep.xlsx")
        _, _, res = analyse_file(path, [("file_name", UNIT)], base.schema)
    errors = [p for p in res.problems if p.severity == "error"]
    assert errors == [], (done, errors)
    assert {p.rule for p in res.problems} <= {"W_SHEET_UNKNOWN"}, (done, res.problems)
    assert _same(_content(res), _content(base.result)), done


# ----------------------------------------------------------------------------- 3. one typed value


# the metrics a workbook has a row for (a total nrlib computes, sum_of, has none)
METRICS = {m["code"]: m for m in next(s for s in OUTLINE.raw["sheets"] if s["name"] == "VanDong")["metrics"]
           if not m.get("sum_of")}
NOT_NUMBERS = st.one_of(
    st.text(alphabet="abcdđeghiklmnoôơpqrstuưvxyĐẠÁ ", min_size=1, max_size=12).filter(
        lambda s: s.strip() and legacy_encoding(s) is None),
    st.sampled_from(["1..2", "--5", "1.2.3,4,5", "12,34,5", "năm trăm", "5 hộ", "N/A", "không có"]),
    st.sampled_from([float("nan"), float("inf"), float("-inf")]),
    st.booleans(),
)


@settings(max_examples=150, **SETTINGS)
@given(data=st.data())
def test_one_typed_value_is_reported_at_its_own_cell(base, figures, data):
    _count(figures, "one typed value")
    book = base.book.copy()
    year = data.draw(st.sampled_from(OUTLINE.years), label="year")
    where = data.draw(st.sampled_from(["VanDong", "TieuChi"]), label="sheet")
    expected: set[str] = set()
    others_may: set[str] = set()
    if where == "VanDong":
        code = data.draw(st.sampled_from(sorted(METRICS)), label="code")
        rules = METRICS[code].get("rules", {})
        category = data.draw(st.sampled_from(["not_number", "negative", "zero", "fraction", "blank", "valid"]),
                             label="category")
        if category == "not_number":
            value = data.draw(NOT_NUMBERS, label="value")
            expected = {"E_TYPE_NUMBER"}
        elif category == "blank":
            value, expected = None, set()      # "Để trống ô khi không có số liệu": the instructions allow it
        else:
            if category == "negative":
                x = -data.draw(st.floats(min_value=1e-6, max_value=1e12), label="x")
            elif category == "zero":
                x = 0.0
            elif category == "fraction":
                x = data.draw(st.integers(0, 10 ** 6), label="n") + data.draw(st.sampled_from([0.5, 0.25, 0.75]))
            else:
                x = float(data.draw(st.integers(1, 10 ** 9) if rules.get("integer") else
                                    st.floats(min_value=0, max_value=1e12), label="x"))
            value = x
            if rules.get("integer") and abs(x - round(x)) > 1e-9:
                expected.add("E_INTEGER")
            if ("ge" in rules and x < rules["ge"]) or ("gt" in rules and x <= rules["gt"]):
                expected.add("E_RANGE")
            whole = rules.get("le_metric")
            if whole:
                base_whole = next(v["value"] for v in base.result.values
                                  if v["data_element"] == whole and v["year"] == year)
                if base_whole is not None and x > base_whole:     # a blank whole (a survey not held) bounds nothing
                    expected.add("E_RELATION")
            if any((m.get("rules") or {}).get("le_metric") == code for m in METRICS.values()):
                others_may.add("E_RELATION")        # a whole made smaller than its parts: reported at the parts
        ref = cell_address(OUTLINE, "VanDong", code, year)
    else:
        no = data.draw(st.sampled_from(sorted(base.schema.default.criterion_names)), label="criterion")
        labels_ = [c["label"] for c in OUTLINE.raw["choices"]["criterion_status"]]
        keys = {match_key(t) for t in labels_} | {match_key(c["value"]) for c in
                                                   OUTLINE.raw["choices"]["criterion_status"]}
        category = data.draw(st.sampled_from(["loose", "wrong", "blank"]), label="category")
        if category == "loose":
            label = data.draw(st.sampled_from(labels_), label="label")
            value = data.draw(st.sampled_from([label.upper(), label.lower(), f"  {label} ", strip_diacritics(label),
                                               unicodedata.normalize("NFD", label)]), label="value")
            if match_key(label) == match_key(OUTLINE.choice_label("criterion_status", "not_applicable")):
                expected = {"E_NOT_APPLICABLE"}          # UNIT is a xã every year: the NTM criteria apply
        elif category == "wrong":
            value = data.draw(st.one_of(st.sampled_from(["Gần đạt", "Có", "X", "1", "Đạt một phần", "?"]),
                                        st.text(min_size=1, max_size=15)).filter(
                lambda t: t.strip() and match_key(t) not in keys and legacy_encoding(t) is None), label="value")
            expected = {"E_CHOICE"}
        else:
            value, expected = None, {"E_REQUIRED"}
        ref = cell_address(OUTLINE, "TieuChi", no, year)
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    book.sheets[where].set(int(m.group(2)), col_number(m.group(1)), value)
    with tempfile.TemporaryDirectory() as tmp:
        path = book.write(Path(tmp) / f"{UNIT}_mot-o.xlsx")
        _, _, res = analyse_file(path, [("file_name", UNIT)], base.schema)
    event(f"{where}: {category} -> {sorted(expected) or 'accepted'}")
    here = {p.rule for p in res.problems if p.severity == "error" and p.sheet == where and p.cell == ref}
    assert here == expected, (where, ref, value, res.problems)
    elsewhere = {p.rule for p in res.problems if p.severity == "error" and not (p.sheet == where and p.cell == ref)}
    assert elsewhere <= others_may, (where, ref, value, res.problems)
    assert res.accepted == (not expected and not elsewhere)


# ----------------------------------------------------------------------------- 4. damaged bytes


@settings(max_examples=100, **SETTINGS)
@given(data=st.data())
def test_damaged_bytes_never_crash_and_never_change_the_data_silently(base, figures, data):
    _count(figures, "damaged bytes")
    raw = bytearray(base.path.read_bytes())
    kind = data.draw(st.sampled_from(["truncate", "flip", "insert", "zero"]), label="kind")
    at = data.draw(st.integers(0, len(raw) - 1), label="at")
    if kind == "truncate":
        raw = raw[:at]
    elif kind == "flip":
        for i in data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=8), label="positions"):
            raw[i] ^= data.draw(st.integers(1, 255), label="mask")
    elif kind == "insert":
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=64), label="bytes")
    else:
        end = at + data.draw(st.integers(1, 4096), label="length")
        raw[at:end] = bytes(len(raw[at:end]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{UNIT}_hong.xlsx"
        path.write_bytes(bytes(raw))
        _, _, res = analyse_file(path, [("file_name", UNIT)], base.schema)
    _check_problems(res.problems, set(OUTLINE_SHEETS) | {""})
    event(f"{kind}: {'accepted' if res.accepted else 'rejected'}")
    for rule in sorted({p.rule for p in res.problems}):
        event(f"rule: {rule}")
    if res.accepted:
        assert _same(_content(res), _content(base.result)), (kind, at)
