"""nrlib documents: the báo cáo sơ kết read back with python-docx — layout, header blocks, date line, every table
number against the analyses, no personal name, the compiled narratives — and the command's refusals."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess

import pandas as pd
import pytest
from conftest import require_program
from documents_fixtures import ds, settings  # noqa: F401 (fixtures)
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from nrlib import cli
from nrlib.analysis import campaign, maintenance, results, urban
from nrlib.analysis.quality import timeliness_table
from nrlib.analysis.awards import award_budget, budget_total
from nrlib.analysis.ranking import personal_names
from nrlib.core import labels
from nrlib.core import vnformat as vf
from nrlib.documents import layout, note, report
from nrlib.documents.build import write_documents
from nrlib.documents.settings import load_settings
from nrlib.exceptions import ConfigError, ReferenceDataError
from nrlib.reference import load_units
from nrlib.reference.awards import load_awards
from nrlib.reference.files import reference_file
from nrlib.store import load_dataset

TNR = "Times New Roman"

#: the note to the Thường trực Huyện ủy of the sample district
NOTE_FILE = "bao-cao-thuong-truc-huyen-uy_738_thong-nhat.docx"


@pytest.fixture(scope="module")
def written(sample_store, tmp_path_factory):
    """The command's document for the sample district, dated 05/03/2021."""
    out = tmp_path_factory.mktemp("documents") / "out"
    result = write_documents(sample_store, out, date="05/03/2021", progress=None)
    (docx,) = [p for p in result.files if p.suffix == ".docx" and p.name.startswith("bao-cao-so-ket")]
    return docx


@pytest.fixture(scope="module")
def note_doc(written):
    """The note the same run wrote beside the báo cáo."""
    return Document(str(written.parent / NOTE_FILE))


@pytest.fixture(scope="module")
def doc(written):
    return Document(str(written))


def _read(document) -> Document:
    buf = io.BytesIO()
    document.save(buf)
    buf.seek(0)
    return Document(buf)


def _all_text(d) -> str:
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    for s in d.sections:
        for h in (s.header, s.first_page_header, s.footer, s.first_page_footer):
            parts += [p.text for p in h.paragraphs]
    return "\n".join(parts)


def _table(d, first_header: str, second_header: str, nth: int = 0):
    hits = [t for t in d.tables if len(t.columns) > 1 and t.rows[0].cells[1].text == second_header
            and t.rows[0].cells[0].text == first_header]
    return hits[nth] if nth < len(hits) else None


def _cells(t) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in t.rows]


# ---------------------------------------------------------------------- layout


def test_page_is_a4_portrait_with_the_decree_margins(doc):
    s = doc.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1) and abs(s.page_height - Mm(297)) < Mm(0.1)
    assert s.page_width < s.page_height
    for got, mm in ((s.top_margin, 20), (s.bottom_margin, 20), (s.left_margin, 30), (s.right_margin, 15)):
        assert abs(got - Mm(mm)) < Mm(0.1), (got, mm)


def test_body_is_times_new_roman_14_justified_with_its_indent(doc):
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(14)
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(normal.paragraph_format.first_line_indent - Cm(1.27)) < Cm(0.01)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert [fonts.get(qn(slot)) for slot in layout.FONT_SLOTS] == [TNR] * 4
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert [defaults.find(qn("w:rFonts")).get(qn(slot)) for slot in layout.FONT_SLOTS] == [TNR] * 4
    # no style or run falls back on the theme's font (which would be Calibri or Cambria)
    for el in doc.element.body.iter(qn("w:rFonts")):
        assert [el.get(qn(slot)) for slot in layout.FONT_SLOTS] == [TNR] * 4
        assert el.get(qn("w:asciiTheme")) is None
    for el in doc.styles.element.iter(qn("w:rFonts")):
        assert el.get(qn("w:asciiTheme")) is None and el.get(qn("w:ascii")) == TNR


def test_page_numbers_from_the_second_page(doc):
    s = doc.sections[0]
    assert s.different_first_page_header_footer
    first = "".join(p._p.xml for p in s.first_page_header.paragraphs)
    assert "PAGE" not in first
    other = "".join(p._p.xml for p in s.header.paragraphs)
    assert "fldChar" in other and re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", other)
    assert s.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_header_blocks_side_by_side(doc, ds):
    district = load_units("738")["district_name"].iloc[0]
    head = doc.tables[0]
    _, left, right = None, head.rows[0].cells[0], head.rows[0].cells[1]
    lines = [p.text for p in left.paragraphs if p.text]
    assert lines == ["ỦY BAN MTTQ VIỆT NAM", district.upper(), "BAN THƯỜNG TRỰC"]
    body = next(p for p in left.paragraphs if p.text == "BAN THƯỜNG TRỰC")
    assert all(r.bold for r in body.runs)
    after = left.paragraphs[[p.text for p in left.paragraphs].index("BAN THƯỜNG TRỰC") + 1]
    # the rule under the body: an empty line's bottom border (a top border sits on the descenders above)
    assert after.text == "" and after._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None
    assert [p.text for p in right.paragraphs if p.text] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                           "Độc lập - Tự do - Hạnh phúc"]
    motto = right.paragraphs[1]
    assert all(r.bold for r in motto.runs) and motto.runs[0].font.size in (Pt(13), Pt(14))
    assert right.paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")) is not None   # under the motto
    assert right.paragraphs[0].runs[0].font.size in (Pt(12), Pt(13)) and right.paragraphs[0].runs[0].bold
    assert head.rows[1].cells[0].text == "Số:      /BC-MTTQ-BTT"
    # a header table has no borders
    assert head._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"


def test_date_line_names_the_place_without_its_type_and_pads_as_decree_30(doc, ds, settings):
    district = load_units("738")["district_name"].iloc[0]
    line = doc.tables[0].rows[1].cells[1].paragraphs[0]
    place = settings.place(district)
    assert line.text == f"{place}, ngày 05 tháng 3 năm 2021"
    assert "Huyện" not in line.text and district.endswith(place) and place != district
    assert all(r.italic for r in line.runs)
    d = _read(report.build_report(ds, settings, dt.date(2021, 1, 29)))
    assert d.tables[0].rows[1].cells[1].text == f"{place}, ngày 29 tháng 01 năm 2021"
    blank = _read(report.build_report(ds, settings, None))
    assert blank.tables[0].rows[1].cells[1].text == f"{place}, {vf.DATE_LONG_BLANK}"


def test_title_and_subject_come_from_the_outline(doc, ds):
    texts = [p.text for p in doc.paragraphs]
    i = texts.index("BÁO CÁO")
    years = ds.outline.years
    assert texts[i + 1] == (f"Sơ kết {len(years):02d} năm thực hiện Cuộc vận động “{ds.outline.raw['campaign']}” "
                            f"giai đoạn {years[0]} – {years[-1]}")
    assert doc.paragraphs[i].runs[0].bold and doc.paragraphs[i + 1].runs[0].bold
    assert doc.paragraphs[i].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_signature_and_recipients(doc, settings):
    sig = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    left, right = sig.rows[0].cells
    heading = left.paragraphs[0]
    assert heading.runs[0].bold and heading.runs[0].italic and heading.runs[0].font.size == Pt(12)
    entries = [p for p in left.paragraphs[1:] if p.text]
    assert [p.text for p in entries] == [f"- {r}" for r in settings.recipients("report")]
    assert "- Lưu: VT." in [p.text for p in entries] and all(p.runs[0].font.size == Pt(11) for p in entries)
    lines = [p for p in right.paragraphs if p.text]
    assert [p.text for p in lines] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]      # no signer's name by default
    assert all(r.bold for p in lines for r in p.runs)


def test_a_district_file_sets_signer_and_recipients_and_refuses_unknown_keys(ds, tmp_path):
    own = tmp_path / "documents.yaml"
    own.write_text("district:\n  signer_name: Trần Văn Bình\n  recipients:\n    report: [\"Thường trực Huyện ủy;\", "
                   "\"Lưu: VT.\"]\n  place: Dầu Giây\n", encoding="utf-8")
    s = load_settings(own)
    d = _read(report.build_report(ds, s, dt.date(2021, 3, 5)))
    sig = next(t for t in d.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    assert [p.text for p in sig.rows[0].cells[1].paragraphs if p.text][-1] == "Trần Văn Bình"
    assert [p.text for p in sig.rows[0].cells[0].paragraphs[1:]] == ["- Thường trực Huyện ủy;", "- Lưu: VT."]
    assert d.tables[0].rows[1].cells[1].text.startswith("Dầu Giây, ngày 05")
    own.write_text("district:\n  signer: X\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="district.signer"):
        load_settings(own)
    own.write_text("district:\n  recipients:\n    report: một dòng\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="danh sách"):
        load_settings(own)


# ---------------------------------------------------------------------- every figure equals the analyses


def _metric(v, unit, integer, settings) -> str:
    if pd.isna(v):
        return vf.MISSING
    if integer:
        return vf.fmt_number(v, 0)
    return vf.fmt_number(v, vf.DECIMALS.get(unit, vf.DECIMALS_DEFAULT))


def test_campaign_table_equals_the_district_totals(doc, ds, settings):
    t = _table(doc, "STT", "Nội dung")
    assert t is not None
    y0, y1 = ds.outline.years[0], ds.outline.years[-1]
    assert _cells(t)[0] == ["STT", "Nội dung", "Đơn vị tính", f"Năm {y0}", f"Năm {y1}", f"Tổng {y0} – {y1}"]
    tot = campaign.campaign_totals(ds, "district")
    integer = ds.outline.metrics.set_index("code")["integer"]
    expected = [[str(i), r.label, r.unit, _metric(r.value_first_year, r.unit, integer[r.code], settings),
                 _metric(r.value_last_year, r.unit, integer[r.code], settings),
                 _metric(r.value_period, r.unit, integer[r.code], settings) if r.kind == "flow" else ""]
                for i, r in enumerate(tot.itertuples(), 1)]
    assert _cells(t)[1:] == expected
    money = next(r for r in _cells(t)[1:] if r[2] == "triệu đồng")
    assert re.fullmatch(r"[\d.]+,\d", money[5])                    # triệu đồng with one decimal


def test_rates_table_equals_the_recomputed_district_rates(doc, ds):
    t = _table(doc, "STT", "Chỉ tiêu")
    rt = campaign.rates(ds, "district")
    years = ds.outline.years
    expected = []
    for i, r in enumerate(ds.outline.rates.itertuples(), 1):
        got = rt[rt["code"] == r.code].set_index("year")["rate"]
        expected.append([str(i), r.label] + [vf.fmt_percent(got.get(y), 2, trim=False) if y in got.index
                                             else vf.MISSING for y in years])
    assert _cells(t)[1:] == expected
    assert all(re.fullmatch(r"\d+,\d\d%", c) for row in expected for c in row[2:] if c != vf.MISSING)


def test_criteria_table_counts_xa_reaching_and_losing_each_criterion(doc, ds):
    t = _table(doc, "STT", "Tiêu chí")
    m = results.criteria_matrix(ds)
    cls = maintenance.classify_maintenance(ds)
    y0, y1 = ds.outline.years[0], ds.outline.years[-1]
    assert _cells(t)[0][4:] == [labels.MAINTENANCE[k] for k in ("kept", "gained", "lost", "lost_and_regained")]
    assert "Sụt chuẩn" in _cells(t)[0][6]
    for row, c in zip(_cells(t)[1:], results.criteria_list(ds).itertuples()):
        n = int(c.criterion_no)
        here = m[m["criterion_no"] == n]
        k = cls[cls["criterion_no"] == n]["maintenance_class"]
        assert row == [str(n), c.criterion_name,
                       str(int(((here["year"] == y0) & (here["status"] == "reached")).sum())),
                       str(int(((here["year"] == y1) & (here["status"] == "reached")).sum())),
                       *(str(int((k == x).sum())) for x in ("kept", "gained", "lost", "lost_and_regained"))]


def test_annex_campaign_and_rates_per_commune_with_the_district_total(doc, ds, settings):
    metrics = ds.outline.metrics.set_index("code")
    flows = [c for c in metrics.index if metrics.loc[c, "kind"] == "flow"]
    unit_tot = campaign.campaign_totals(ds, "unit").set_index(["unit_code", "code"])["value_period"]
    dist = campaign.campaign_totals(ds, "district").set_index("code")["value_period"]
    annex = [t for t in doc.tables if len(t.columns) > 2 and t.rows[0].cells[1].text == "Xã, thị trấn"]
    by_header = {}
    for t in annex:
        for j, h in enumerate(t.rows[0].cells[2:], 2):
            by_header[h.text] = (t, j)
    seen = 0
    for code in flows:
        head = f"{metrics.loc[code, 'label'].split(' (')[0]} ({metrics.loc[code, 'unit']})"
        t, j = by_header[head]
        col = [row.cells[j].text for row in t.rows[1:]]
        u, integer = metrics.loc[code, "unit"], bool(metrics.loc[code, "integer"])
        assert col[:-1] == [_metric(unit_tot.get((c, code)), u, integer, settings) for c in ds.units["unit_code"]]
        assert col[-1] == _metric(dist[code], u, integer, settings)
        assert t.rows[-1].cells[1].text.startswith("Toàn ")
        seen += 1
    assert seen == len(flows) > 0
    last = ds.outline.years[-1]
    unit_rt = campaign.rates(ds, "unit", years=[last]).set_index(["unit_code", "code"])["rate"]
    for r in ds.outline.rates.itertuples():
        t, j = by_header[r.label]
        col = [row.cells[j].text for row in t.rows[1:-1]]
        assert col == [vf.fmt_percent(unit_rt[(c, r.code)], 2, trim=False) if (c, r.code) in unit_rt.index
                       else vf.MISSING for c in ds.units["unit_code"]]


def test_annex_scores_give_the_commune_s_own_score_beside_the_district_s(doc, ds):
    """Every commune's self-score (TuCham), verified points, score out of 100 and class, as the district report
    has them; the unit that sent nothing has dashes, the one that left TuCham blank "Chưa tự chấm"."""
    from nrlib.analysis import scoring
    from nrlib.workbooks.sample import sample_roles

    t = next(t for t in doc.tables if len(t.columns) > 2 and t.rows[0].cells[2].text == "Điểm tự chấm")
    rows = {r[1]: r for r in _cells(t)[1:]}
    us = scoring.unit_scores(ds).set_index("unit_code")
    names = dict(zip(ds.units["unit_code"], ds.units["name"]))
    assert len(rows) == len(ds.units) and len(us) == len(ds.units) - 1
    for code, r in us.iterrows():
        row = rows[names[code]]
        assert row[3] == vf.fmt_quantity(r["points"], "điểm", with_unit=False) and row[6].startswith(r["class_label"])
        if pd.notna(r["self_points"]):
            assert row[2] == vf.fmt_quantity(r["self_points"], "điểm", with_unit=False)
    roles = sample_roles(ds.units)
    assert rows[names[roles["late"]]][2] == "Chưa tự chấm"
    assert rows[names[roles["missing"]]][2:] == [vf.MISSING] * 5


def test_annex_submissions_and_criteria_by_year(doc, ds):
    t = next(t for t in doc.tables if len(t.columns) > 2 and t.rows[0].cells[2].text == "Ngày nhận lần đầu")
    tl = timeliness_table(ds)
    for row, r in zip(_cells(t)[1:], tl.itertuples()):
        assert row[1] == r.name and row[3] == labels.TIMELINESS_CELL[r.timeliness]
        if r.timeliness == "missing":
            assert row[2] == row[4] == vf.MISSING
        else:
            assert row[2] == vf.fmt_date(r.first_received_date) and row[4] == str(int(r.days_late))
    assert {r[3] for r in _cells(t)[1:]} >= {labels.TIMELINESS_CELL["late"], labels.TIMELINESS_CELL["missing"]}
    years = [str(y) for y in ds.outline.years]
    t = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][2:] == years and
             t.rows[0].cells[1].text == "Xã, thị trấn")
    reached = results.criteria_reached(ds).set_index(["unit_code", "year"])
    town = urban.urban_reached(ds).set_index(["unit_code", "year"])
    assert len(town)                                            # the sample has a town: the test can fail
    for row, code in zip(_cells(t)[1:], ds.units["unit_code"]):
        for cell, y in zip(row[2:], ds.outline.years):
            r = reached.loc[(code, y)]
            if r.n_applicable == 0:                             # the town's years, by its own standard
                u = town.loc[(code, y)]
                want = labels.urban_cell(u.n_reached, u.n_criteria, u.n_missing)
                assert want.startswith("Văn minh đô thị")
            else:
                want = (labels.STATUS_MISSING if r.n_missing == r.n_applicable
                        else f"{int(r.n_reached)}/{int(r.n_applicable)}")
            assert cell == want
    na = ds.outline.choice_label("criterion_status", "not_applicable")
    assert not any(na in row for row in _cells(t))              # never "Không áp dụng" for the town's years
    # the town's row spans its xã years: the name it had then is given beside today's
    names = dict(zip(ds.units["unit_code"], (row[1] for row in _cells(t)[1:])))
    town_code = town.index.get_level_values("unit_code")[0]
    assert names[town_code] == "Thị trấn Dầu Giây (các năm 2016–2018: xã Xuân Thạnh)"
    assert all(name == n for code, name in names.items() if code != town_code
               for n in ds.units.loc[ds.units["unit_code"] == code, "name"])


# ---------------------------------------------------------------------- text: personal names, compilations


def test_no_individual_from_the_proposals_is_named(doc, ds):
    names = personal_names(ds)
    assert len(names) >= 5                              # the sample proposes individuals: the test can fail
    text = _all_text(doc)
    assert not [n for n in names if n in text]


def test_a_name_written_in_a_narrative_is_redacted(ds, settings):
    name = personal_names(ds)[0]
    n = ds.narratives.copy()
    i = n.index[n["section_code"] == "III.1"][0]
    n.loc[i, "text"] = f"Biểu dương ông {name.upper()} và bà {name}\x07 đã hiến đất\u202e."
    d = _read(report.build_report(dataclasses.replace(ds, narratives=n), settings))
    text = _all_text(d)
    assert name not in text and name.upper() not in text and "\x07" not in text and "\u202e" not in text
    assert f"Biểu dương ông {labels.PERSONAL_REDACTED} và bà {labels.PERSONAL_REDACTED} đã hiến đất." in text


def test_each_section_compiles_what_every_commune_wrote_marked_for_editing(doc, ds):
    names = dict(zip(ds.units["unit_code"], ds.units["name"]))
    texts = [p.text for p in doc.paragraphs]
    wrote = ds.narratives[ds.narratives["section_code"] == "III.2"]
    assert len(wrote) >= 5
    head = texts.index("2. Hạn chế")        # outline version 2: its khó khăn are under Đặc điểm tình hình
    note = doc.paragraphs[head + 1]
    assert note.text == "[Tổng hợp từ báo cáo của các xã, thị trấn — cần biên tập]" and note.runs[0].italic
    following = texts[head + 2: head + 2 + len(wrote)]
    expected = [f"{names[r.unit_code]}: {layout.clean_text(r.text)}" for r in wrote.itertuples()]
    assert following == [e for c, e in sorted(zip(wrote["unit_code"], expected))]
    for p in doc.paragraphs[head + 1: head + 2 + len(wrote)]:
        assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in p.runs)
    assert "Xã Xuân Thiện:" not in "\n".join(texts)                 # sent nothing: nothing compiled under it


def test_prose_says_xa_thi_tran_and_sut_chuan(doc):
    body = "\n".join(p.text for p in doc.paragraphs if not p.runs or not p.runs[0].font.highlight_color)
    assert "xã, thị trấn" in body and "sụt chuẩn" in body
    assert " đơn vị " not in body
    assert not re.search(r"\d %", body)                  # percentages without a space


def test_sample_data_are_marked(doc, ds):
    assert ds.is_sample
    assert doc.paragraphs[0].text == labels.sample_notice(ds.outline.sample_marker)
    assert labels.sample_notice(ds.outline.sample_marker) in "".join(p.text for p in doc.sections[0].header.paragraphs)


# ---------------------------------------------------------------------- the command


def _run(capsys, *argv):
    code = cli.main(["documents", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def _one_vietnamese_line(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỷỹđ]", lines[0].lower()), lines[0]


def test_the_command_writes_the_document_and_says_so(sample_store, tmp_path, capsys):
    out = tmp_path / "vb"
    code, stdout, _ = _run(capsys, "--db", sample_store, "--out", out, "--date", "05/03/2021")
    assert code == 0
    lines = stdout.strip().splitlines()
    assert lines[0].startswith("[1/3] Báo cáo sơ kết") and "DỮ LIỆU MẪU" in lines[0]
    assert lines[1].startswith("[2/3] Báo cáo Thường trực Huyện ủy") and "DỮ LIỆU MẪU" in lines[1]
    assert lines[2].startswith("[3/3] Hồ sơ đề nghị khen thưởng") and "khen-thuong/" in lines[2]
    n_dossier = len(list((out / "khen-thuong").iterdir()))
    assert lines[-1].startswith("nrlib documents: đã ghi 3 văn bản vào") and "bao-cao-so-ket_738_thong-nhat.docx" \
        in lines[-1] and NOTE_FILE in lines[-1] and f"khen-thuong/ ({n_dossier} tệp)" in lines[-1]
    assert sorted(p.name for p in out.iterdir()) == [".nrlib-documents", "bao-cao-so-ket_738_thong-nhat.docx",
                                                     NOTE_FILE, "khen-thuong"]
    code, _, _ = _run(capsys, "--db", sample_store, "--out", out)              # ours now: written again
    assert code == 0


def _empty_store(path):
    from nrlib.store import open_store

    open_store(path, read_only=False).close()
    return path


@pytest.mark.parametrize("case", ["missing store", "empty store", "district without submissions", "bad date",
                                  "out is a file", "foreign out", "out under a file"])
def test_bad_input_is_one_vietnamese_line_and_nothing_written(case, sample_store, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["--db", sample_store, "--out", out]
    if case == "missing store":
        args[1] = tmp_path / "none.duckdb"
    elif case == "empty store":
        args[1] = _empty_store(tmp_path / "empty.duckdb")
    elif case == "district without submissions":
        args += ["--district", "001"]                   # in the registry (Ba Đình), nothing of it in the store
    elif case == "bad date":
        args += ["--date", "31/02/2021"]
    elif case == "out is a file":
        out.write_text("x", encoding="utf-8")
    elif case == "foreign out":
        out.mkdir()
        (out / "ghi-chu.docx").write_text("của tôi", encoding="utf-8")
    elif case == "out under a file":
        (tmp_path / "f").write_text("x", encoding="utf-8")
        args[3] = out = tmp_path / "f" / "out"
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    code, stdout, err = _run(capsys, *args)
    assert code != 0 and not stdout
    _one_vietnamese_line(err)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_pdf_without_libreoffice_says_what_to_install(sample_store, tmp_path, capsys, monkeypatch):
    bare = tmp_path / "bin"
    bare.mkdir()
    monkeypatch.setenv("PATH", str(bare))
    code, _, err = _run(capsys, "--db", sample_store, "--out", tmp_path / "out", "--pdf")
    assert code != 0
    _one_vietnamese_line(err)
    assert "LibreOffice" in err and "libreoffice-writer-nogui" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_libreoffice_converts_it_and_the_pdf_holds_the_header(sample_store, tmp_path, ds, settings):
    require_program("soffice")
    pdftotext = require_program("pdftotext")
    result = write_documents(sample_store, tmp_path / "out", date="05/03/2021", pdf=True, progress=None)
    (pdf,) = [p for p in result.files if p.suffix == ".pdf" and p.name.startswith("bao-cao-so-ket")]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert not list((tmp_path / "out").glob(".*.tmp"))

    def page(n: int) -> str:
        return subprocess.run([pdftotext, "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout

    first = page(1)
    district = load_units("738")["district_name"].iloc[0]
    for line in ("ỦY BAN MTTQ VIỆT NAM", district.upper(), "BAN THƯỜNG TRỰC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "/BC-MTTQ-BTT", f"{settings.place(district)}, ngày 05 tháng 3 năm 2021",
                 "BÁO CÁO"):
        assert line in first, line
    # the page number: none on page 1, "2" alone on the first line of page 2
    assert first.strip().splitlines()[0].strip() != "1"
    assert page(2).strip().splitlines()[0].strip() == "2"
    assert shutil.which("soffice") or shutil.which("libreoffice")


def test_the_demo_writes_the_documents_and_names_them_in_its_last_line(sample_dir, tmp_path, monkeypatch, capsys):
    """``make demo``'s last step: the sample ingested, the reports (not rendered here: their own tests do),
    then the district's documents, each named in the one line the demo ends with."""
    import nrlib.demo as demo
    from nrlib import config

    monkeypatch.setenv("NRLIB_REFERENCE", str(config.reference_dir()))
    monkeypatch.setenv("NRLIB_HOME", str(tmp_path))
    monkeypatch.setenv("NRLIB_DB", str(tmp_path / "data" / "nrlib.duckdb"))
    monkeypatch.setattr(demo, "build_demo_reports", lambda district_code, jobs: tmp_path / "reports" / "index.html")
    assert demo.run_demo_steps(sample_dir, "738") == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    written = sorted((tmp_path / "reports" / "documents").glob("*.docx"))
    assert written and all(str(p) in last for p in written)
    dossier = tmp_path / "reports" / "documents" / "khen-thuong"
    assert f"{dossier}/ (commendation dossier, {len(list(dossier.iterdir()))} files)" in last
    assert Document(str(written[0])).paragraphs      # a document Word can open


# ---------------------------------------------------------------------- the note to the Thường trực Huyện ủy

AWARDS_CSV = "awards.csv"


def _awards_by_hand() -> dict[str, dict]:
    """awards.csv read with the csv module, not the loader: the test's own recomputation of the rates."""
    import csv
    from decimal import Decimal

    from nrlib import config

    with open(config.reference_dir() / AWARDS_CSV, encoding="utf-8", newline="") as fh:
        return {r["award_form"]: {"name": r["name"], "ind": Decimal(r["coefficient_individual"]),
                                  "col": Decimal(r["coefficient_collective"]), "base": Decimal(r["base_salary"]),
                                  "verified": r["verified"]} for r in csv.DictReader(fh)}


def test_award_budget_equals_a_hand_computation_on_a_small_frame(ds):
    rows = [("collective", "Giấy khen của UBND huyện"), ("individual", "Giấy khen của UBND huyện"),
            ("individual", "district_certificate"), ("collective", "Bằng khen của Ủy ban MTTQ tỉnh"),
            ("individual", "Tập thể lao động xuất sắc")]
    unit = ds.units["unit_code"].iloc[0]
    small = pd.DataFrame([{"submission_id": 1, "unit_code": unit, "seq": i, "kind": k, "name": f"N{i}",
                           "address": "", "achievement": "x", "award_form": f} for i, (k, f) in enumerate(rows, 1)])
    b = award_budget(dataclasses.replace(ds, proposals=small), load_awards()).set_index("award_form")
    # Giấy khen UBND huyện: 1 tập thể × 0,6 × 1.490.000 + 2 cá nhân × 0,3 × 1.490.000
    assert (b.loc["district_certificate", "n_collective"], b.loc["district_certificate", "n_individual"]) == (1, 2)
    assert b.loc["district_certificate", "amount"] == 894_000 + 2 * 447_000
    # Bằng khen Ủy ban MTTQ tỉnh: 1 tập thể × 2,0 × 1.490.000
    assert b.loc["mttq_province_merit", "amount"] == 2_980_000
    assert b.loc["province_merit", "n"] == 0 and b.loc["province_merit", "amount"] == 0
    # a form typed outside the list is counted, not costed
    assert b.loc["Tập thể lao động xuất sắc", "n_individual"] == 1 and not b.loc["Tập thể lao động xuất sắc", "known"]
    assert budget_total(b.reset_index()) == 894_000 + 894_000 + 2_980_000


def test_every_outline_award_form_has_a_rate_marked_unverified(ds):
    a = load_awards(outline=ds.outline)
    assert set(a["award_form"]) == {c["value"] for c in ds.outline.choices("award_form")}
    assert not a["verified"].any() and a["source"].str.contains("91/2017/NĐ-CP").all()
    # names are generic: the registry fills the district and the province at run time
    assert not a["name"].str.contains("Thống Nhất|Đồng Nai").any()


@pytest.mark.parametrize("bad", ["missing column", "bad number", "bad verified", "duplicate", "placeholder",
                                 "outline form missing"])
def test_a_bad_awards_file_is_a_reference_error(bad, ds, tmp_path):
    text = reference_file("awards").read_text(encoding="utf-8")
    lines = text.splitlines()
    if bad == "missing column":
        lines = [ln.rsplit(",", 1)[0] for ln in lines]
    elif bad == "bad number":
        lines[1] = lines[1].replace(",0.3,0.6,", ",ba,0.6,", 1)
    elif bad == "bad verified":
        lines[1] = lines[1][: lines[1].rindex(",")] + ",chưa"
    elif bad == "duplicate":
        lines.append(lines[1])
    elif bad == "placeholder":
        lines[1] = lines[1].replace("{district}", "{huyen}", 1)
    elif bad == "outline form missing":
        lines = lines[:-1]
    path = tmp_path / "awards.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError):
        load_awards(path, outline=ds.outline)


def test_note_header_title_and_addressee(note_doc, ds, settings):
    district = load_units("738")["district_name"].iloc[0]
    place = settings.place(district)
    head = note_doc.tables[0]
    assert [p.text for p in head.rows[0].cells[0].paragraphs if p.text] == ["ỦY BAN MTTQ VIỆT NAM", district.upper(),
                                                                           "BAN THƯỜNG TRỰC"]
    assert head.rows[1].cells[0].text == "Số:      /BC-MTTQ-BTT"
    assert head.rows[1].cells[1].text == f"{place}, ngày 05 tháng 3 năm 2021"
    texts = [p.text for p in note_doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert f"Kính gửi: Thường trực Huyện ủy {place}" in texts
    body = "\n".join(texts)
    # what was received: the narrative's sentence, not a copy of it
    from nrlib.present import narrative

    assert narrative.reporting_sentence(ds).text in body
    assert narrative.money_sentence(ds).text in body
    assert f"đề xuất hình thức sơ kết {ds.outline.years[-1] - ds.outline.years[0] + 1:02d} năm" in body
    assert settings.district["review_form"] in body
    assert "cần đối chiếu" in "\n".join([body, _all_text(note_doc)])
    # the signature and Nơi nhận of the note
    assert "TM. BAN THƯỜNG TRỰC" in _all_text(note_doc) and "- Lưu: VT." in _all_text(note_doc)


def test_note_table_counts_equal_the_analysis_and_the_budget_a_recomputation(note_doc, ds):
    t = _table(note_doc, "STT", "Hình thức khen thưởng")
    assert t is not None
    cells = _cells(t)[1:]
    budget = award_budget(ds, load_awards())
    rates = _awards_by_hand()
    district = load_units("738").iloc[0]
    words = {"{district}": "huyện " + district["district_name"].split(" ", 1)[1],
             "{province}": "tỉnh " + district["province_name"].split(" ", 1)[1]}
    total = 0
    assert len(cells) == len(budget) + 1
    for row, b in zip(cells, budget.itertuples()):
        r = rates[b.award_form]
        name = r["name"]
        for k, v in words.items():
            name = name.replace(k, v)
        assert row[1] == name
        assert (int(row[2]), int(row[3])) == (b.n_collective, b.n_individual)
        amount = int(b.n_collective * r["col"] * r["base"] + b.n_individual * r["ind"] * r["base"])
        assert row[4] == vf.fmt_number(amount, 0)
        total += amount
    assert cells[-1][1:] == ["Tổng cộng", str(int(budget["n_collective"].sum())),
                             str(int(budget["n_individual"].sum())), vf.fmt_number(total, 0)]
    assert total > 0 and vf.fmt_dong(total) in "\n".join(p.text for p in note_doc.paragraphs)


def test_note_names_no_individual(note_doc, ds):
    names = personal_names(ds)
    assert len(names) >= 5
    text = _all_text(note_doc)
    assert not [n for n in names if n in text]


def test_the_review_form_is_a_district_setting(ds, tmp_path):
    own = tmp_path / "documents.yaml"
    own.write_text("district:\n  review_form: xây dựng báo cáo sơ kết bằng văn bản\n", encoding="utf-8")
    d = _read(note.build_note(ds, load_settings(own)))
    assert "xây dựng báo cáo sơ kết bằng văn bản" in "\n".join(p.text for p in d.paragraphs)


@pytest.mark.slow
def test_the_note_is_at_most_two_pages_and_its_pdf_holds_the_header(sample_store, tmp_path, settings):
    require_program("soffice")
    pdftotext, pdfinfo = require_program("pdftotext"), require_program("pdfinfo")
    result = write_documents(sample_store, tmp_path / "out", date="05/03/2021", pdf=True, progress=None)
    (pdf,) = [p for p in result.files if p.name == NOTE_FILE.replace(".docx", ".pdf")]
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 1 <= pages <= 2
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    district = load_units("738")["district_name"].iloc[0]
    place = settings.place(district)
    for line in ("ỦY BAN MTTQ VIỆT NAM", district.upper(), "BAN THƯỜNG TRỰC", "/BC-MTTQ-BTT",
                 f"{place}, ngày 05 tháng 3 năm 2021", "BÁO CÁO", f"Kính gửi: Thường trực Huyện ủy {place}",
                 "Tổng cộng", "TM. BAN THƯỜNG TRỰC"):
        assert line in text, line
