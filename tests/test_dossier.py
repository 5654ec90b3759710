"""The commendation dossier of nrlib documents: the decisions workbook written and read back, the lists by award
form (columns, grouping, every proposal in the list of its form), the tờ trình per deciding body, the estimate
recomputed from awards.csv by hand, names only where they belong, and the decisions workbook's refusals."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import require_program
from documents_fixtures import ds, settings  # noqa: F401 (fixtures)
from docx import Document
from docx.enum.section import WD_ORIENT

from nrlib import cli, config
from nrlib.analysis.awards import apply_decisions, numbered_proposals
from nrlib.analysis.ranking import personal_names
from nrlib.core import labels
from nrlib.core import vnformat as vf
from nrlib.documents import dossier
from nrlib.documents.build import write_documents
from nrlib.documents.settings import load_settings
from nrlib.reference import load_units
from nrlib.store import load_dataset

FOLDER = "khen-thuong"
DECISIONS_FILE = "quyet-dinh-khen-thuong_738_thong-nhat.xlsx"
LIST_COLUMNS = ["STT", "Họ và tên / Tên tập thể", "Năm sinh", "Giới tính", "Chức vụ, đơn vị công tác hoặc nơi cư trú",
                "Tóm tắt thành tích", "Hình thức đề nghị", "Ghi chú"]


@pytest.fixture(scope="module")
def written(sample_store, tmp_path_factory):
    """One run without decisions: the output folder."""
    out = tmp_path_factory.mktemp("dossier") / "out"
    write_documents(sample_store, out, date="05/03/2021", progress=None)
    return out


def _text(d) -> str:
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    for s in d.sections:
        parts += [p.text for p in s.header.paragraphs] + [p.text for p in s.first_page_header.paragraphs]
    return "\n".join(parts)


def _words() -> dict[str, str]:
    district = load_units("738").iloc[0]
    return {"{district}": "huyện " + district["district_name"].split(" ", 1)[1],
            "{province}": "tỉnh " + district["province_name"].split(" ", 1)[1]}


def _rates() -> dict[str, dict]:
    """awards.csv read with the csv module: the test's own names and rates."""
    with open(config.reference_dir() / "awards.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        name, body = r["name"], r["decided_by"]
        for k, v in _words().items():
            name, body = name.replace(k, v), body.replace(k, v)
        out[r["award_form"]] = {"name": name, "body": body, "ind": Decimal(r["coefficient_individual"]),
                                "col": Decimal(r["coefficient_collective"]), "base": Decimal(r["base_salary"])}
    return out


def _lists(folder: Path) -> dict[str, Document]:
    """The list documents by award name (read from the document's own title)."""
    out = {}
    for p in sorted(folder.glob("danh-sach-de-nghi_*.docx")):
        d = Document(str(p))
        title = next(x.text for x in d.paragraphs if x.text.startswith("DANH SÁCH ĐỀ NGHỊ TẶNG "))
        out[title.removeprefix("DANH SÁCH ĐỀ NGHỊ TẶNG ")] = d
    return out


def _list_rows(d: Document) -> list[list[str]]:
    t = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
    assert [c.text for c in t.rows[0].cells] == LIST_COLUMNS
    return [[c.text for c in row.cells] for row in t.rows[1:]]


def _entries(rows: list[list[str]]) -> dict[str, list[list[str]]]:
    """The list's rows under each group heading."""
    groups: dict[str, list[list[str]]] = {}
    current = None
    for r in rows:
        if len(set(r)) == 1:                      # a merged row: one cell across the table
            current = r[0]
            groups[current] = []
        else:
            groups[current].append(r)
    return groups


# ---------------------------------------------------------------------- the lists


def test_every_proposal_is_in_the_list_of_its_form_grouped_collectives_then_individuals(written, ds):
    rates = _rates()
    lists = _lists(written / FOLDER)
    p = numbered_proposals(ds)
    kinds = {"collective": "I. TẬP THỂ", "individual": "II. CÁ NHÂN"}
    seen = 0
    for form, r in rates.items():
        mine = p[p["award_form"] == form]
        if mine.empty:
            assert r["name"].upper() not in lists
            continue
        rows = _list_rows(lists[r["name"].upper()])
        groups = _entries(rows)
        assert list(groups) == [kinds[k] for k in kinds if (mine["kind"] == k).any()]
        for kind, heading in kinds.items():
            expected = mine[mine["kind"] == kind]
            got = groups.get(heading, [])
            assert [g[0] for g in got] == [str(i) for i in range(1, len(expected) + 1)]
            assert sorted(g[1] for g in got) == sorted(expected["name"])
            assert sorted(g[5] for g in got) == sorted(expected["achievement"])
            assert {g[6] for g in got} <= {r["name"]}
            # the commune that proposed it, in the note
            for g, (_, e) in zip(sorted(got, key=lambda g: (g[1], g[5])),
                                 expected.sort_values(["name", "achievement"]).iterrows()):
                assert g[7].startswith(f"{e['unit_name']} đề nghị")
                assert g[4] == e["address"]
            seen += len(got)
    assert seen == len(p) > 10


def test_a_list_is_landscape_a4_and_says_first_that_it_holds_personal_data(written):
    for d in _lists(written / FOLDER).values():
        s = d.sections[0]
        assert s.orientation == WD_ORIENT.LANDSCAPE
        assert (round(s.page_width.mm), round(s.page_height.mm)) == (297, 210)
        assert d.paragraphs[0].text == labels.PERSONAL_DATA_NOTICE
        assert d.paragraphs[0].runs[0].bold
        # the table fits the page's width
        t = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
        width = sum(c.width.cm for c in t.rows[0].cells)
        assert width <= (s.page_width.cm - s.left_margin.cm - s.right_margin.cm) + 0.01


def test_the_workbook_of_a_list_holds_the_same_rows(written):
    folder = written / FOLDER
    for p in sorted(folder.glob("danh-sach-de-nghi_*.xlsx")):
        ws = openpyxl.load_workbook(p).active
        rows = [[("" if v is None else str(v)) for v in r] for r in ws.iter_rows(values_only=True)]
        assert labels.PERSONAL_DATA_NOTICE in [r[0] for r in rows[:3]]
        head = next(i for i, r in enumerate(rows) if r[:len(LIST_COLUMNS)] == LIST_COLUMNS)
        body = [r[:len(LIST_COLUMNS)] for r in rows[head + 1:]]
        docx_rows = _list_rows(Document(str(p.with_suffix(".docx"))))
        # merged group rows: the workbook keeps the heading in the first cell only
        assert [r[0] for r in body] == [r[0] for r in docx_rows]
        assert [r[1:] for r, d in zip(body, docx_rows) if len(set(d)) > 1] == \
            [d[1:] for d in docx_rows if len(set(d)) > 1]


def test_names_of_individuals_are_only_in_the_dossier_lists_and_decisions(written, ds):
    names = personal_names(ds)
    assert len(names) >= 5
    folder = written / FOLDER
    in_lists = "\n".join(_text(d) for d in _lists(folder).values())
    assert all(n in in_lists for n in names)
    for p in list(folder.glob("to-trinh_*.docx")) + list(folder.glob("du-toan-*.docx")) + \
            list(written.glob("*.docx")):
        text = _text(Document(str(p)))
        assert not [n for n in names if n in text], p.name


# ---------------------------------------------------------------------- tờ trình and estimate


def test_a_submission_goes_to_each_deciding_body_but_the_districts_own(written, ds):
    rates = _rates()
    folder = written / FOLDER
    p = numbered_proposals(ds)
    own = f"Ban Thường trực Ủy ban MTTQ Việt Nam {_words()['{district}']}"
    expected = []
    for form, r in rates.items():
        if r["body"] != own and (p["award_form"] == form).any() and r["body"] not in expected:
            expected.append(r["body"])
    docs = [Document(str(x)) for x in sorted(folder.glob("to-trinh_*.docx"))]
    got = [next(x.text for x in d.paragraphs if x.text.startswith("Kính gửi: ")).removeprefix("Kính gửi: ")
           for d in docs]
    assert got == expected and own not in got
    for d, body in zip(docs, got):
        head = d.tables[0]
        assert head.rows[1].cells[0].text == "Số:      /TTr-MTTQ-BTT"
        texts = [x.text for x in d.paragraphs]
        assert "TỜ TRÌNH" in texts
        forms = [f for f, r in rates.items() if r["body"] == body and (p["award_form"] == f).any()]
        for f in forms:
            mine = p[p["award_form"] == f]
            n_c, n_i = int((mine["kind"] == "collective").sum()), int((mine["kind"] == "individual").sum())
            amount = int(n_c * rates[f]["col"] * rates[f]["base"] + n_i * rates[f]["ind"] * rates[f]["base"])
            body_text = "\n".join(texts)
            assert f"tặng {rates[f]['name']} cho" in body_text
            assert vf.fmt_dong(amount) in body_text
            assert vf.amount_in_words(amount).lower() in body_text
        assert "Kính trình" in texts[-1] or any(t.startswith("Kính trình") for t in texts)
    # the own body's form: its list is attached to its own decision
    own_forms = [r["name"] for f, r in rates.items() if r["body"] == own and (p["award_form"] == f).any()]
    for name in own_forms:
        d = _lists(folder)[name.upper()]
        assert any("Kèm theo Quyết định số" in x.text for x in d.paragraphs)


def test_the_estimate_equals_a_hand_computation_from_awards_csv(written, ds):
    rates = _rates()
    (path,) = (written / FOLDER).glob("du-toan-*.docx")
    d = Document(str(path))
    t = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
    rows = [[c.text for c in r.cells] for r in t.rows[1:]]
    p = numbered_proposals(ds)
    expected, total = [], 0
    for form, r in rates.items():
        mine = p[p["award_form"] == form]
        first = True
        for kind, label, coef in (("collective", "Tập thể", r["col"]), ("individual", "Cá nhân", r["ind"])):
            n = int((mine["kind"] == kind).sum())
            if not n:
                continue
            rate, amount = int(coef * r["base"]), int(n * coef * r["base"])
            expected.append([r["name"] if first else "", label, str(n), vf.fmt_number(rate, 0),
                             vf.fmt_number(amount, 0)])
            total += amount
            first = False
    assert [row[1:] for row in rows[:-1]] == expected
    assert rows[-1][1] == "Tổng cộng" and rows[-1][-1] == vf.fmt_number(total, 0) and rows[-1][3] == str(len(p))
    body = "\n".join(x.text for x in d.paragraphs)
    assert f"Tổng kinh phí: {vf.fmt_dong(total)} (Bằng chữ: {vf.amount_in_words(total).lower()})" in body
    assert "chưa được đối chiếu" in body and "91/2017/NĐ-CP" in body
    # the note to the Huyện ủy asks for the same money
    note = next(written.glob("bao-cao-thuong-truc-huyen-uy_*.docx"))
    assert vf.fmt_dong(total) in _text(Document(str(note)))


# ---------------------------------------------------------------------- the decisions workbook


def _decisions_sheet(path: Path):
    wb = openpyxl.load_workbook(path)
    ws = wb["QuyetDinh"]
    head = next(r for r in range(1, 12) if ws.cell(r, 1).value == "Mã đề xuất")
    cols = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
    return wb, ws, head, cols


def test_the_decisions_workbook_lists_every_proposal_with_the_districts_columns_open(written, ds):
    wb, ws, head, cols = _decisions_sheet(written / FOLDER / DECISIONS_FILE)
    p = numbered_proposals(ds)
    ids = [ws.cell(r, 1).value for r in range(head + 1, ws.max_row + 1)]
    assert ids == list(p["proposal_id"]) and len(set(ids)) == len(ids)
    assert labels.PERSONAL_DATA_NOTICE in [ws.cell(r, 1).value for r in range(1, head)]
    assert ws.protection.sheet
    first = head + 1
    for name in ("Quyết định", "Hình thức Ban Thường trực đề nghị", "Năm sinh", "Giới tính", "Ghi chú"):
        assert not ws.cell(first, cols[name]).protection.locked, name
    for name in ("Mã đề xuất", "Tên tập thể / Họ và tên", "Hình thức xã đề nghị"):
        assert ws.cell(first, cols[name]).protection.locked, name
    assert [ws.cell(r, cols["Tên tập thể / Họ và tên"]).value for r in range(first, ws.max_row + 1)] == list(p["name"])
    assert wb["ThongTin"]["B1"].value == "738"


def _fill(src: Path, dest: Path, edits) -> Path:
    """A copy of the decisions workbook with ``edits(ws, head, cols, rows_by_id)`` applied, as an officer would."""
    wb, ws, head, cols = _decisions_sheet(src)
    rows = {ws.cell(r, 1).value: r for r in range(head + 1, ws.max_row + 1)}
    edits(ws, head, cols, rows)
    wb.save(dest)
    return dest


def test_the_districts_decisions_shape_the_lists_the_estimate_and_the_note(written, sample_store, ds, tmp_path):
    rates = _rates()
    p = numbered_proposals(ds).set_index("proposal_id")
    dropped = p.index[0]
    moved = next(i for i in p.index[1:] if p.loc[i, "award_form"] != "province_merit")
    person = next(i for i in p.index if p.loc[i, "kind"] == "individual" and i not in (dropped, moved))

    def edits(ws, head, cols, rows):
        ws.cell(rows[dropped], cols["Quyết định"]).value = "Không đề nghị\u200b"   # pasted from a chat
        ws.cell(rows[moved], cols["Quyết định"]).value = "Đổi hình thức"
        ws.cell(rows[moved], cols["Hình thức Ban Thường trực đề nghị"]).value = rates["province_merit"]["name"]
        ws.cell(rows[person], cols["Năm sinh"]).value = 1975
        ws.cell(rows[person], cols["Giới tính"]).value = "nữ"           # any case
        ws.cell(rows[person], cols["Chức vụ, đơn vị công tác hoặc nơi cư trú"]).value = "Chi hội trưởng Phụ nữ"

    filled = _fill(written / FOLDER / DECISIONS_FILE, tmp_path / "filled.xlsx", edits)
    before = filled.read_bytes()
    out = tmp_path / "out"
    lines: list[str] = []
    write_documents(sample_store, out, decisions=filled, progress=lines.append)
    assert filled.read_bytes() == before                        # read, never modified
    assert any("áp dụng quyết định" in x and "2 đề xuất đã có quyết định" in x for x in lines)
    lists = _lists(out / FOLDER)
    everything = "\n".join(_text(d) for d in lists.values())
    assert p.loc[dropped, "name"] not in everything or (p["name"] == p.loc[dropped, "name"]).sum() > 1
    province = _entries(_list_rows(lists[rates["province_merit"]["name"].upper()]))
    flat = [r for rows in province.values() for r in rows]
    row = next(r for r in flat if r[1] == p.loc[moved, "name"])
    old = rates[p.loc[moved, "award_form"]]["name"] if p.loc[moved, "award_form"] in rates else p.loc[moved, "award_form"]
    assert f"xã, thị trấn đề nghị {old}" in row[7]
    form = "province_merit" if person == moved else p.loc[person, "award_form"]
    prow = next(r for rows in _entries(_list_rows(lists[rates[form]["name"].upper()])).values() for r in rows
                if r[1] == p.loc[person, "name"])
    assert prow[2:5] == ["1975", "Nữ", "Chi hội trưởng Phụ nữ"]
    # the estimate counts the decided list: the hand total without the dropped one, with the moved one moved
    decided = p.copy()
    decided.loc[moved, "award_form"] = "province_merit"
    decided = decided.drop(index=dropped)
    total = sum(int(((decided["award_form"] == f) & (decided["kind"] == "collective")).sum() * r["col"] * r["base"]
                    + ((decided["award_form"] == f) & (decided["kind"] == "individual")).sum() * r["ind"] * r["base"])
                for f, r in rates.items())
    (est,) = (out / FOLDER).glob("du-toan-*.docx")
    assert f"Tổng kinh phí: {vf.fmt_dong(total)}" in _text(Document(str(est)))
    note = next(out.glob("bao-cao-thuong-truc-huyen-uy_*.docx"))
    note_text = _text(Document(str(note)))
    assert f"đề nghị khen thưởng {len(p)} tập thể, cá nhân; sau khi xem xét" in note_text
    assert vf.fmt_dong(total) in note_text
    # a workbook named in the output folder is applied by a later run without --decisions, and never rewritten
    shutil.copy(filled, out / FOLDER / DECISIONS_FILE)
    kept = (out / FOLDER / DECISIONS_FILE).read_bytes()
    lines.clear()
    write_documents(sample_store, out, progress=lines.append)
    assert (out / FOLDER / DECISIONS_FILE).read_bytes() == kept
    assert any("áp dụng quyết định" in x for x in lines)
    assert f"Tổng kinh phí: {vf.fmt_dong(total)}" in _text(Document(str(est)))


def test_a_decisions_workbook_missing_proposals_is_kept_and_a_complete_one_written_beside(written, sample_store,
                                                                                           tmp_path):
    out = tmp_path / "out"
    write_documents(sample_store, out, progress=None)
    own = out / FOLDER / DECISIONS_FILE

    def drop_last(ws, head, cols, rows):
        ws.delete_rows(max(rows.values()))

    _fill(own, own, drop_last)
    kept = own.read_bytes()
    lines: list[str] = []
    write_documents(sample_store, out, progress=lines.append)
    assert own.read_bytes() == kept
    newer = [p for p in (out / FOLDER).glob("quyet-dinh-khen-thuong_*.xlsx") if p != own]
    assert len(newer) == 1 and "_du-lieu-" in newer[0].name
    assert any("đề xuất mới chưa có trong tệp: 1" in x and newer[0].name in x for x in lines)


def _run(capsys, *argv):
    code = cli.main(["documents", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", ["unknown proposal", "changed name", "bad decision", "change without form",
                                  "bad form", "bad year", "bad gender", "formula without value", "error value",
                                  "merged over rows", "listed twice", "another district", "missing file",
                                  "not a decisions workbook"])
def test_a_bad_decisions_workbook_is_one_line_naming_the_cell_and_nothing_is_written(case, written, sample_store,
                                                                                      tmp_path, capsys):
    src = written / FOLDER / DECISIONS_FILE
    cell = None

    def edits(ws, head, cols, rows):
        nonlocal cell
        first = head + 1
        col = {"bad decision": "Quyết định", "change without form": "Hình thức Ban Thường trực đề nghị", "bad form":
               "Hình thức Ban Thường trực đề nghị", "bad year": "Năm sinh", "bad gender": "Giới tính",
               "formula without value": "Năm sinh", "error value": "Năm sinh", "changed name":
               "Tên tập thể / Họ và tên", "unknown proposal": "Mã đề xuất", "listed twice": "Mã đề xuất",
               "merged over rows": "Quyết định"}.get(case)
        if col:
            cell = ws.cell(first + 1, cols[col]).coordinate
        target = ws.cell(first + 1, cols[col]) if col else None
        if case == "unknown proposal":
            target.value = "99999-01"
        elif case == "changed name":
            target.value = "Một tên khác"
        elif case == "bad decision":
            target.value = "Đồng ý lắm"
        elif case == "change without form":                  # the decision typed, its form left blank
            ws.cell(first + 1, cols["Quyết định"]).value = "Đổi hình thức"
        elif case == "bad form":
            target.value = "Huân chương Lao động"
        elif case == "bad year":
            target.value = "năm 75"
        elif case == "bad gender":
            target.value = "Khác"
        elif case == "formula without value":
            target.value = "=1900+75"                 # openpyxl writes no cached result
        elif case == "error value":
            target.value = "#DIV/0!"
            target.data_type = "e"
        elif case == "merged over rows":
            target.value = "Đồng ý"
            ws.merge_cells(f"{target.coordinate}:{ws.cell(first + 3, cols[col]).coordinate}")
        elif case == "listed twice":
            target.value = ws.cell(first, 1).value
            ws.cell(first + 1, cols["Tên tập thể / Họ và tên"]).value = ws.cell(first, cols["Tên tập thể / Họ và tên"]).value
        elif case == "another district":
            ws.parent["ThongTin"]["B1"].value = "731"

    if case == "missing file":
        bad = tmp_path / "khong-co.xlsx"
    elif case == "not a decisions workbook":
        bad = tmp_path / "khac.xlsx"
        wb = openpyxl.Workbook()
        wb.active.title = "Sheet1"
        wb.save(bad)
    else:
        bad = _fill(src, tmp_path / "bad.xlsx", edits)
    out = tmp_path / "out"
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    capsys.readouterr()                 # what openpyxl itself printed while the test filled the workbook (3.1.0 does)
    code, stdout, err = _run(capsys, "--db", sample_store, "--out", out, "--decisions", bad)
    assert code != 0 and not stdout
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỷỹđ]", lines[0].lower())
    if cell:
        assert f"QuyetDinh!{cell}" in lines[0], lines[0]
    if case == "bad decision":
        assert "“Đồng ý lắm”" in lines[0] and "Đổi hình thức" in lines[0]   # what it holds, what it may hold
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_apply_decisions_defaults_to_accept_and_refuses_unknown_ids(ds):
    p = numbered_proposals(ds)
    plain = apply_decisions(p)
    assert (plain["decision"] == "accept").all() and not plain["decided"].any()
    assert list(plain["award_form"]) == list(p["award_form"])
    assert list(plain["position"]) == list(p["address"])
    with pytest.raises(ValueError):
        apply_decisions(p, pd.DataFrame({"proposal_id": ["nope-01"], "decision": ["accept"]}))


def test_proposal_ids_follow_the_communes_list_and_are_stable(ds):
    a, b = numbered_proposals(ds), numbered_proposals(ds)
    assert list(a["proposal_id"]) == list(b["proposal_id"])
    for unit, part in a.groupby("unit_code"):
        assert list(part["proposal_id"]) == [f"{unit}-{k:02d}" for k in range(1, len(part) + 1)]
        assert list(part["seq"]) == sorted(part["seq"])


def test_a_district_with_no_proposals_gets_an_estimate_saying_so(ds, settings):
    empty = dossier.make_dossier(ds.__class__(**{**ds.__dict__, "proposals": ds.proposals.iloc[0:0]}), settings)
    table, figures = dossier.estimate_table(ds, settings, empty)
    assert figures["total"] == 0 and len(table.rows) == 1
    assert dossier.dossier_lists(ds, settings, empty) == {}


@pytest.mark.slow
def test_a_decisions_workbook_saved_by_libreoffice_reads_back_the_same(written, sample_store, ds, tmp_path):
    """An officer fills the workbook in LibreOffice Calc and saves it: the decisions read back are the ones
    typed (here typed by openpyxl, then opened and saved by LibreOffice as .xlsx)."""
    office = require_program("soffice")
    p = numbered_proposals(ds).set_index("proposal_id")
    person = next(i for i in p.index if p.loc[i, "kind"] == "individual")

    def edits(ws, head, cols, rows):
        ws.cell(rows[person], cols["Quyết định"]).value = "Không đề nghị"
        ws.cell(rows[person], cols["Năm sinh"]).value = 1980

    typed = _fill(written / FOLDER / DECISIONS_FILE, tmp_path / "typed.xlsx", edits)
    (tmp_path / "lo").mkdir()
    subprocess.run([office, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"), str(typed)],
                   check=True, capture_output=True, timeout=180)
    saved = tmp_path / "lo" / "typed.xlsx"
    lines: list[str] = []
    write_documents(sample_store, tmp_path / "out", decisions=saved, progress=lines.append)
    assert any("1 đề xuất đã có quyết định" in x for x in lines)
    everything = "\n".join(_text(d) for d in _lists(tmp_path / "out" / FOLDER).values())
    if (p["name"] == p.loc[person, "name"]).sum() == 1:
        assert p.loc[person, "name"] not in everything


@pytest.mark.slow
def test_the_dossier_converts_to_pdf_with_its_notice_and_header(sample_store, tmp_path):
    require_program("soffice")
    pdftotext = require_program("pdftotext")
    result = write_documents(sample_store, tmp_path / "out", date="05/03/2021", pdf=True, progress=None)
    pdfs = [p for p in result.files if p.suffix == ".pdf" and p.parent.name == FOLDER]
    docx = [p for p in result.files if p.suffix == ".docx" and p.parent.name == FOLDER]
    assert pdfs and {p.stem for p in pdfs} == {p.stem for p in docx}
    for pdf in pdfs:
        text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        flat = " ".join(text.split())
        assert "ỦY BAN MTTQ VIỆT NAM" in flat and "Độc lập - Tự do - Hạnh phúc" in flat, pdf.name
        if pdf.name.startswith("danh-sach"):
            assert "TÀI LIỆU CÓ DỮ LIỆU CÁ NHÂN" in flat.split("ỦY BAN MTTQ")[0]
