"""Hostile and damaged files: each is rejected with its rule code and a Vietnamese message, measured.

Every case is built once per session (:func:`hostile`), then:

* read and validated in a forked child under a memory and time cap (see
  :mod:`measure`): wall time and peak RSS are recorded for the summary table;
* ingested (the whole folder in one run) into a store already holding an
  accepted submission: each file is rejected with the expected rule, its raw
  copy is kept byte for byte, and the analysis tables are unchanged.

Times are recorded, never asserted (benchmarks own performance goals); the
memory cap and the alarm are what fail a case that would allocate without
bound or hang.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from ingest_fixtures import OTHER, UNIT, write_good

from hostile.builders import (
    DANHGIA_PART,
    VANDONG_PART,
    Raw,
    billion_laughs,
    far_cell,
    many_sheets,
    million_rows,
    read_parts,
    replace_parts,
    sheet_xml,
    spaces_bomb,
    with_vba,
    write_zip,
)
from hostile.measure import baseline_rss_mb, run_in_child
from nrlib import store as st
from nrlib.core import labels
from nrlib.ingest import analyse_file, ingest_files
from nrlib.intake.limits import load_limits
from nrlib.intake.schema import compile_schemas

VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def _minimal_ods(path: Path, tables: str) -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    return write_zip(path, [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                            ("META-INF/manifest.xml", manifest.encode()), ("content.xml", content.encode())])


def _bad_local_name(data: bytes, part: str) -> bytes:
    """The workbook with one part's local header flagged UTF-8 (bit 11) and its name's first byte made 0xE4,
    which starts no valid UTF-8 sequence there: zipfile raised UnicodeDecodeError on it (found by the
    damaged-bytes property test in CI)."""
    import struct

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        at = zf.getinfo(part).header_offset
    raw = bytearray(data)
    flags, = struct.unpack_from("<H", raw, at + 6)
    struct.pack_into("<H", raw, at + 6, flags | 0x800)
    raw[at + 30] = 0xE4
    return bytes(raw)


#: case id -> (file name, expected rule, expected sheet or None)
CASES = {
    "empty file": ("26308_rong.xlsx", "E_FILE_UNREADABLE", None),
    "text renamed .xlsx": ("26308_khong-phai-zip.xlsx", "E_FILE_UNREADABLE", None),
    "HTML saved as .xls": ("26308_xuat-tu-web.xls", "E_FILE_UNREADABLE", None),
    "PDF renamed .xlsx": ("26308_scan.xlsx", "E_FILE_UNREADABLE", None),
    "Word .docx renamed": ("26308_van-ban.xlsx", "E_FILE_UNREADABLE", None),
    "truncated .xlsx": ("26308_tai-thieu.xlsx", "E_FILE_UNREADABLE", None),
    "local name flagged UTF-8, not UTF-8": ("26308_ten-hong.xlsx", "E_FILE_UNREADABLE", None),
    "zip bomb 1 GB": ("26308_bom-1gb.xlsx", "E_FILE_TOO_LARGE", None),
    "zip bomb ratio 90 MB": ("26308_bom-90mb.xlsx", "E_FILE_COMPRESSION", None),
    "zip header lies on size": ("26308_bom-khai-sai.xlsx", "E_FILE_UNREADABLE", None),
    "billion laughs (strings)": ("26308_laughs-sst.xlsx", "E_FILE_XML_DTD", None),
    "billion laughs (sheet)": ("26308_laughs-sheet.xlsx", "E_FILE_XML_DTD", None),
    "external entity (XXE)": ("26308_xxe.xlsx", "E_FILE_XML_DTD", None),
    "million rows": ("26308_trieu-dong.xlsx", "E_SHEET_TOO_LARGE", "VanDong"),
    "cells at A1 and XFD1048576": ("26308_o-xa.xlsx", "E_SHEET_TOO_LARGE", "VanDong"),
    "ods repeated rows": ("26308_lap-dong.ods", "E_SHEET_TOO_LARGE", "VanDong"),
    "150 sheets": ("26308_nhieu-trang.xlsx", "E_FILE_TOO_LARGE", None),
    "password-protected .xlsx": ("26308_mat-khau.xlsx", "E_FILE_ENCRYPTED", None),
    "macro-enabled .xlsm": ("26308_macro.xlsm", "E_FILE_MACROS", None),
    "40,000-character cell": ("26308_chu-dai.xlsx", "E_TEXT_TOO_LONG", "DanhGia"),
}


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> SimpleNamespace:
    """Every hostile file of :data:`CASES` in one folder (plus a good workbook to start from)."""
    import time

    from msoffcrypto.format.ooxml import OOXMLFile

    t0 = time.perf_counter()
    work = tmp_path_factory.mktemp("hostile-src")
    d = tmp_path_factory.mktemp("hostile")
    good = write_good(work / f"{UNIT}_good.xlsx")
    p = {case: d / name for case, (name, _, _) in CASES.items()}
    p["empty file"].write_bytes(b"")
    p["text renamed .xlsx"].write_text("Mã đơn vị;Năm;Giá trị\n26308;2016;1500\n", encoding="utf-8")
    p["HTML saved as .xls"].write_text('<html><body><table><tr><td>VD01</td><td>1500</td></tr></table></body></html>',
                                       encoding="utf-8")
    p["PDF renamed .xlsx"].write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    write_zip(p["Word .docx renamed"], [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])
    data = good.read_bytes()
    p["truncated .xlsx"].write_bytes(data[:len(data) // 2])
    p["local name flagged UTF-8, not UTF-8"].write_bytes(_bad_local_name(data, "docProps/core.xml"))
    replace_parts(good, p["zip bomb 1 GB"], {VANDONG_PART: spaces_bomb(1024)})
    replace_parts(good, p["zip bomb ratio 90 MB"], {VANDONG_PART: spaces_bomb(90)})
    # the same bomb, its headers declaring 1,000 bytes (with the CRC of those 1,000 bytes)
    bomb = spaces_bomb(90)
    first = sheet_xml(b"")[:-len(b"</sheetData></worksheet>")] + b" " * 1000
    replace_parts(good, p["zip header lies on size"], {VANDONG_PART: Raw(bomb.data, __import__("zlib").crc32(
        first[:1000]), 1000)})
    replace_parts(good, p["billion laughs (strings)"], {}, add=[("xl/sharedStrings.xml", billion_laughs())])
    replace_parts(good, p["billion laughs (sheet)"], {VANDONG_PART: billion_laughs(b"worksheet")})
    xxe = sheet_xml(b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                    prolog=b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    replace_parts(good, p["external entity (XXE)"], {VANDONG_PART: xxe})
    replace_parts(good, p["million rows"], {VANDONG_PART: million_rows()})
    replace_parts(good, p["cells at A1 and XFD1048576"], {VANDONG_PART: far_cell()})
    _minimal_ods(p["ods repeated rows"],
                 '<table:table table:name="VanDong"><table:table-row table:number-rows-repeated="1000000">'
                 '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
                 "</table:table-row></table:table>")
    many_sheets(good, p["150 sheets"], 150)
    with open(good, "rb") as fh, open(p["password-protected .xlsx"], "wb") as out:
        OOXMLFile(fh).encrypt("matkhau2021", out)
    with_vba(good, p["macro-enabled .xlsm"])
    # Excel stops at 32,767 characters a cell (and so does the template writer): only a crafted file has more
    danhgia = dict(read_parts(good))[DANHGIA_PART]
    long_row = ('<row r="200"><c r="C200" t="inlineStr"><is><t>' + "Nội dung rất dài. " * 2300 + "</t></is></c></row>")
    replace_parts(good, p["40,000-character cell"], {DANHGIA_PART: danhgia.replace(b"</sheetData>",
                                                                                   long_row.encode() + b"</sheetData>")})
    return SimpleNamespace(dir=d, paths=p, good=good, build_s=time.perf_counter() - t0)


def _problems(path: str, claims, schema) -> list[dict]:
    """Read and validate one file (run in the measured child)."""
    sha, size, res = analyse_file(Path(path), claims, schema)
    return [p.as_dict() for p in res.problems if p.severity == "error"]


@pytest.fixture(scope="module")
def schema(hostile):
    """The compiled outline, its caches (units, levels) warmed by one validation in this process,
    so that children measure the file, not the first-use costs."""
    s = compile_schemas()      # every shipped outline, as ingest: the good workbook is a version 1 one
    analyse_file(hostile.good, [("file_name", UNIT)], s)
    return s


#: memory (MB, peak RSS above a child that does nothing) a file refused by its checks may cost. The checks
#: read at most a part of ``FAST_PART_BYTES`` (4 MB) whole and stream the rest, and cost 1–3 MB on these
#: files; parsing them instead costs 270 MB (1.000.000 repeated ODS rows) and 310 MB (a million xlsx rows),
#: and a lying zip header cost 173 MB when a part was inflated whole: a bound that tells the two apart
REFUSAL_RSS_MB = 32


@pytest.mark.parametrize("case", list(CASES))
def test_each_hostile_file_is_refused_with_its_rule_in_bounded_memory(case, hostile, schema, figures):
    path = hostile.paths[case]
    _, rule, sheet = CASES[case]
    base = baseline_rss_mb()
    run = run_in_child(lambda: _problems(str(path), [("file_name", UNIT)], schema))
    assert run["exit"] == 0, run            # not killed by the memory cap or the alarm, no exception
    errors = run["result"]
    assert [p["rule"] for p in errors] == [rule], errors
    problem = errors[0]
    assert labels.RULES[rule].severity == "error"
    assert VIETNAMESE.search(problem["message"]) and len(problem["message"]) > 20
    if sheet:
        assert problem["sheet"] == sheet
    if rule == "E_TEXT_TOO_LONG":
        assert re.fullmatch(r"[A-Z]+\d+", problem["cell"])
    assert run["peak_rss_mb"] - base <= REFUSAL_RSS_MB, (run["peak_rss_mb"], base)   # refused before parsing
    figures["hostile_files"].append({
        "case": case, "file_bytes": path.stat().st_size, "rule": rule, "wall_ms": run["wall_s"] * 1000,
        "peak_rss_mb": run["peak_rss_mb"], "rss_delta_mb": max(0.0, run["peak_rss_mb"] - base)})


def test_the_good_workbook_measured_the_same_way_is_accepted(hostile, schema, figures):
    """The reference line of the table: an ordinary workbook, read and validated in a child."""
    base = baseline_rss_mb()
    run = run_in_child(lambda: _problems(str(hostile.good), [("file_name", UNIT)], schema))
    assert run["exit"] == 0 and run["result"] == []
    figures["hostile_files"].insert(0, {
        "case": "(good workbook)", "file_bytes": hostile.good.stat().st_size, "rule": "accepted",
        "wall_ms": run["wall_s"] * 1000, "peak_rss_mb": run["peak_rss_mb"],
        "rss_delta_mb": max(0.0, run["peak_rss_mb"] - base)})


# ----------------------------------------------------------------------------- through ingest


ALL_TABLES = ("submissions", "problems", "audit") + st.ANALYSIS_TABLES


def _digests(db: Path, tables=st.ANALYSIS_TABLES) -> dict:
    with st.open_store(db) as con:
        return {t: st.table_digest(con, t) for t in tables}


@pytest.fixture(scope="module")
def ingested(hostile, tmp_path_factory):
    """The hostile folder ingested in one run into a store holding one accepted submission."""
    db = tmp_path_factory.mktemp("hostile-store") / "s.duckdb"
    other = write_good(hostile.good.parent / f"{OTHER}_quang-trung.xlsx", OTHER, shift=2.0)
    [first] = ingest_files([other], db, received="2021-02-10")
    assert first.outcome == "accepted"
    before = _digests(db)
    outcomes = ingest_files([hostile.dir], db, received="2021-02-15")
    return SimpleNamespace(db=db, before=before, after=_digests(db), by_name={o.path.name: o for o in outcomes})


def test_no_hostile_file_reaches_the_analysis_tables(ingested):
    assert len(ingested.by_name) == len(CASES)
    assert {o.outcome for o in ingested.by_name.values()} == {"rejected"}
    assert ingested.after == ingested.before


@pytest.mark.parametrize("case", list(CASES))
def test_each_hostile_file_is_kept_unchanged_and_its_rejection_stored(case, hostile, ingested):
    path = hostile.paths[case]
    out = ingested.by_name[path.name]
    assert out.outcome == "rejected" and [p.rule for p in out.problems if p.severity == "error"] == [CASES[case][1]]
    kept = ingested.db.parent / out.stored_as
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
    assert re.fullmatch(r"submissions/raw/(\d{5}|unknown)_20210215_[0-9a-f]{12}\.(xlsx|xlsm|xls|ods)", out.stored_as)
    with st.open_store(ingested.db) as con:
        rows = con.execute("SELECT s.status, p.rule FROM submissions s JOIN problems p USING (submission_id) "
                           "WHERE s.submission_id = ? AND p.severity = 'error'", [out.submission_id]).fetchall()
    assert rows == [("rejected", CASES[case][1])]


def test_the_command_line_rejects_the_folder_without_a_traceback(hostile, tmp_path):
    db = tmp_path / "s.duckdb"
    proc = subprocess.run([sys.executable, "-m", "nrlib.cli", "ingest", str(hostile.dir), "--db", str(db),
                           "--received", "2021-02-15", "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    got = {Path(f["file"]).name: [p["rule"] for p in f["problems"] if p["severity"] == "error"] for f in data["files"]}
    assert got == {name: [rule] for name, rule, _ in CASES.values()}


def test_a_limit_raised_by_environment_lets_a_file_through(hostile, monkeypatch, schema):
    """Limits are configuration: the 150-sheet workbook passes once max_sheets allows it (then validation
    speaks: those sheets are unknown to the outline, a warning)."""
    path = hostile.paths["150 sheets"]
    monkeypatch.setenv("NRLIB_MAX_SHEETS", "500")
    assert load_limits().max_sheets == 500
    _, _, res = analyse_file(path, [], schema)
    assert res.accepted and {p.rule for p in res.problems} == {"W_SHEET_UNKNOWN"}


def test_an_xlsm_without_macros_is_read_like_an_xlsx(hostile, tmp_path, schema):
    """The suffix is not the offence: a macro-free workbook saved as .xlsm is accepted."""
    path = tmp_path / f"{UNIT}_khong-macro.xlsm"
    path.write_bytes(hostile.good.read_bytes())
    _, _, res = analyse_file(path, [("file_name", UNIT)], schema)
    assert res.accepted and res.problems == []


@pytest.mark.slow
def test_an_xls_renamed_xlsx_is_read_by_its_content(lo_copies, tmp_path, schema):
    path = tmp_path / f"{UNIT}_doi-ten.xlsx"
    path.write_bytes(lo_copies.xls.read_bytes())
    _, _, res = analyse_file(path, [("file_name", UNIT)], schema)
    assert res.accepted, res.problems


@pytest.mark.slow
def test_an_xls_with_a_far_cell_is_refused_before_parsing(lo_copies, tmp_path, schema, figures):
    """BIFF (.xls) holds up to 65,536 x 256 cells a sheet: one value at IV65536 made calamine use 1.2 GB.
    The record scan finds it first. (The .xls is LibreOffice's; one NUMBER record is moved.)"""
    data = bytearray(lo_copies.xls.read_bytes())
    # a cell record (NUMBER, RK or LABELSST: type, length, then row and column)
    at = max(data.find(header) for header in (b"\x03\x02\x0e\x00", b"\x7e\x02\x0a\x00", b"\xfd\x00\x0a\x00"))
    assert at > 0
    data[at + 4:at + 8] = (65535).to_bytes(2, "little") + (255).to_bytes(2, "little")
    path = tmp_path / f"{UNIT}_o-xa.xls"
    path.write_bytes(bytes(data))
    base = baseline_rss_mb()
    run = run_in_child(lambda: _problems(str(path), [("file_name", UNIT)], schema))
    assert run["exit"] == 0, run
    assert [p["rule"] for p in run["result"]] == ["E_SHEET_TOO_LARGE"], run["result"]
    figures["hostile_files"].append({
        "case": ".xls cell at IV65536", "file_bytes": path.stat().st_size, "rule": "E_SHEET_TOO_LARGE",
        "wall_ms": run["wall_s"] * 1000, "peak_rss_mb": run["peak_rss_mb"],
        "rss_delta_mb": max(0.0, run["peak_rss_mb"] - base)})


def test_zip_bomb_sizes_are_what_the_case_claims(hostile):
    """The generated bomb really is small on disk and huge unzipped (so the test tests what it says)."""
    path = hostile.paths["zip bomb 1 GB"]
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(VANDONG_PART)
    assert path.stat().st_size < 5_000_000 and info.file_size > 1_000_000_000
    assert dict(read_parts(hostile.paths["million rows"]))[VANDONG_PART].count(b"<row ") == 1_000_000
    assert os.path.getsize(hostile.paths["ods repeated rows"]) < 5_000
