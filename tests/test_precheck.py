"""nrlib.intake.precheck: what a file is, declared sizes before unzipping, DTDs, damage, encryption and macros."""

from __future__ import annotations

import pytest
from hostile.builders import VANDONG_PART, Raw, read_parts, replace_parts, sheet_xml, write_zip
from precheck_fixtures import refused, with_sheet

from nrlib.intake.limits import Limits
from nrlib.intake.precheck import CHUNK, check_file

# ----------------------------------------------------------------------------- what the file is


@pytest.mark.parametrize("content, words", [
    (b"%PDF-1.7 ...", "PDF"),
    (b"<!DOCTYPE html><html><body><table>", "HTML"),
    (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">', "XML"),
    (b"\x89PNG\r\n\x1a\n....", "ảnh"),
    ("Mã;Giá trị\n26308;1.500\n".encode(), "văn bản"),
    (bytes(range(256)), "không rõ"),
])
def test_a_file_that_is_no_workbook_is_named_for_what_it_looks_like(tmp_path, content, words):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    err = refused(path)
    assert err.rule == "E_FILE_UNREADABLE" and words in err.message and "hỏng" in err.message


@pytest.mark.slow
def test_the_format_is_the_contents_not_the_name(books, lo_copies, tmp_path):
    assert check_file(books.good).format == "xlsx"
    renamed = tmp_path / "x.xls"
    renamed.write_bytes(books.good.read_bytes())
    assert check_file(renamed).format == "xlsx"
    assert check_file(lo_copies.xls).format == "xls"


# ----------------------------------------------------------------------------- zip: declared sizes first


def test_declared_sizes_are_refused_before_anything_is_unzipped(books, tmp_path):
    # garbage "compressed" bytes: unzipping would fail, so a size refusal proves nothing was unzipped
    garbage = Raw(b"\x00" * 64, 0, 500_000_000)
    path = replace_parts(books.good, tmp_path / "big.xlsx", {VANDONG_PART: garbage})
    err = refused(path)
    assert err.rule == "E_FILE_TOO_LARGE" and "giải nén" in err.message
    ratio = Raw(b"\x00" * 64, 0, 5_000_000)        # 5 MB from 64 bytes: ratio 78,125
    err = refused(replace_parts(books.good, tmp_path / "ratio.xlsx", {VANDONG_PART: ratio}))
    assert err.rule == "E_FILE_COMPRESSION" and VANDONG_PART in err.message


def test_a_part_that_does_not_unzip_is_damage(books, tmp_path):
    bad = Raw(b"\xff" * 200, 0, 1000)
    err = refused(replace_parts(books.good, tmp_path / "bad.xlsx", {VANDONG_PART: bad}))
    assert err.rule == "E_FILE_UNREADABLE" and "không giải nén được" in err.message


def test_too_many_parts(books, tmp_path):
    path = replace_parts(books.good, tmp_path / "parts.xlsx", {}, add=[(f"x/{i}.txt", b"") for i in range(30)])
    assert refused(path, Limits(max_parts=20)).rule == "E_FILE_TOO_LARGE"
    assert check_file(path, Limits(max_parts=100)).format == "xlsx"


# ----------------------------------------------------------------------------- XML: DTDs


def test_a_dtd_cut_across_two_chunks_is_still_found(books, tmp_path):
    # the first chunk ends inside "<!DOCTYPE": the parser must see it whole
    prolog = b"<!--" + b" " * (CHUNK - 60) + b"-->"
    data = sheet_xml(b"", prolog=prolog + b"<!DOCTYPE worksheet []>")
    assert CHUNK - 10 < data.index(b"<!DOCTYPE") < CHUNK + 10
    err = refused(replace_parts(books.good, tmp_path / "dtd.xlsx", {VANDONG_PART: data}))
    assert err.rule == "E_FILE_XML_DTD" and VANDONG_PART in err.message


def test_a_dtd_in_a_part_that_is_not_xml_is_found_by_its_bytes(books, tmp_path):
    vml = b"<xml><v:shape><br></v:shape><!ENTITY a 'b'>"
    path = replace_parts(books.good, tmp_path / "vml.xlsx", {}, add=[("xl/drawings/vmlDrawing1.xml", vml)])
    assert refused(path).rule == "E_FILE_XML_DTD"
    ok = replace_parts(books.good, tmp_path / "vml2.xlsx", {}, add=[("xl/drawings/vmlDrawing1.vml",
                                                                     b"<xml><br><o:p></xml>")])
    assert check_file(ok).format == "xlsx"      # malformed legacy VML is not a reason to refuse


def test_a_sheet_that_is_not_well_formed_is_damage(books, tmp_path):
    path = with_sheet(books, tmp_path, b'<row r="1"><c r="A1"><v>1</v></row>')
    err = refused(path)
    assert err.rule == "E_FILE_UNREADABLE" and "XML" in err.message


# ----------------------------------------------------------------------------- encryption and macros


def test_macros_are_found_by_their_parts_and_can_be_allowed(books, tmp_path):
    path = replace_parts(books.good, tmp_path / "m.xlsx", {}, add=[("xl/macrosheets/sheet1.xml", b"<xm/>")])
    err = refused(path)
    assert err.rule == "E_FILE_MACROS" and "macrosheets" in err.message
    assert check_file(path, Limits(allow_macros=True)).format == "xlsx"


def test_an_encrypted_ods_is_named_so(tmp_path):
    manifest = b'<manifest:manifest><manifest:file-entry><manifest:encryption-data/></manifest:file-entry>' \
               b'</manifest:manifest>'
    path = write_zip(tmp_path / "e.ods", [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                                          ("META-INF/manifest.xml", manifest), ("content.xml", b"\x00garbage")])
    assert refused(path).rule == "E_FILE_ENCRYPTED"


def test_the_zip_writer_of_the_tests_writes_what_zipfile_reads(books, tmp_path):
    path = replace_parts(books.good, tmp_path / "copy.xlsx", {})
    assert read_parts(path) == read_parts(books.good)
