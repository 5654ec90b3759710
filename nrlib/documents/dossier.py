"""The commendation dossier: the decisions workbook, one list per award form, one tờ trình per deciding body,
and the estimate of the money, written from the store and the district's decisions.

Method. Every proposal of the district's xã, thị trấn gets its identity and the district's decision
(:func:`nrlib.analysis.awards.numbered_proposals`, :func:`~nrlib.analysis.awards.apply_decisions`; decisions
from the workbook :mod:`nrlib.documents.decisions` reads, none meaning every proposal accepted as proposed).
The proposals still proposed are grouped by the award form finally proposed; each form of the award table
(``data/reference/awards.csv``) with at least one gets:

* a list, "Danh sách đề nghị tặng …" (.docx, A4 landscape, and the same table as .xlsx) in the columns of
  the practice (STT; Họ và tên / Tên tập thể; Năm sinh; Giới tính; Chức vụ, đơn vị công tác hoặc nơi cư
  trú; Tóm tắt thành tích; Hình thức đề nghị; Ghi chú), grouped "I. TẬP THỂ", "II. CÁ NHÂN", the first
  line saying that it holds personal data;
* when another body decides it, a tờ trình to that body (one per body, for every form it decides), with
  the number proposed and the money; a form the district's own Ban Thường trực decides needs none (its list
  is attached to its own decision).

An award form typed by a commune outside the award table keeps its proposals in no list until the district
changes it (the progress line says how many). The estimate ("Dự toán kinh phí khen thưởng") counts the
lists, by form and kind, at ``coefficient × base salary`` in đồng (:func:`nrlib.analysis.awards.award_budget`,
exact decimals), with the amount in words, and says the rates need checking while the award table marks
them unverified. The files are the only ones nrlib writes that name individuals; they sit in a folder of
their own (``khen-thuong``) so the báo cáo and the note can be shared without them.

:func:`dossier_lists` gives the lists as data (:class:`nrlib.documents.layout.Table`), so a test can compare
them with the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from nrlib import config
from nrlib.analysis.awards import apply_decisions, award_budget, budget_total, money, numbered_proposals
from nrlib.core import labels
from nrlib.core.textmatch import slugify
from nrlib.core.version import __version__
from nrlib.core.vnformat import amount_in_words, fmt_data_version, fmt_date_long, fmt_dong, fmt_number
from nrlib.documents import report
from nrlib.documents.decisions import row_height
from nrlib.documents.layout import OfficialDocument, Table, clean_text
from nrlib.documents.settings import DocumentSettings
from nrlib.reference.awards import fill_award_text, load_awards

KIND = "dossier"
TEMPLATE = config.PACKAGE_DIR / "templates" / "documents" / "dossier.yaml"


def load_template() -> dict:
    """The dossier's template (wording), cached while the file is unchanged."""
    return report.load_template(TEMPLATE)


@dataclass
class Dossier:
    """What the dossier is made of: the award table with names filled (``awards``: ``name`` and
    ``decided_by`` as the documents print them), every proposal with its decision (``decided``), and the
    decisions workbook's path when one was applied."""

    awards: pd.DataFrame
    decided: pd.DataFrame
    decisions_path: Path | None = None

    @property
    def form_names(self) -> dict[str, str]:
        return dict(zip(self.awards["award_form"], self.awards["name"]))

    def proposed(self, form: str) -> pd.DataFrame:
        """The proposals finally proposed for one award form, collectives first, by commune and place."""
        d = self.decided[self.decided["award_form"] == form]
        order = {"collective": 0, "individual": 1}
        return d.assign(_k=d["kind"].map(order).fillna(2)).sort_values(["_k", "unit_code", "proposal_id"],
                                                                         kind="stable").drop(columns="_k")

    @property
    def outside(self) -> pd.DataFrame:
        """Proposals still proposed under a form the award table does not have."""
        d = self.decided
        return d[d["award_form"].notna() & ~d["award_form"].isin(set(self.awards["award_form"]))]


def award_words(ds, settings: DocumentSettings) -> dict[str, str]:
    """``{district}`` and ``{province}`` of the award names, as prose writes them (registry names)."""
    names = report.district_words(ds, settings)
    return {"district": names["district_in_text"], "province": names["province_in_text"]}


def named_awards(ds, settings: DocumentSettings, awards: pd.DataFrame | None = None) -> pd.DataFrame:
    """The award table with ``name`` and ``decided_by`` filled for this district."""
    a = (load_awards(outline=ds.outline) if awards is None else awards).copy()
    w = award_words(ds, settings)
    a["name"] = [fill_award_text(x, w) for x in a["name"]]
    a["decided_by"] = [fill_award_text(x, w) for x in a["decided_by"]]
    return a


def own_body(ds, settings: DocumentSettings) -> str:
    """The district's own Ban Thường trực as a deciding body is named (``Ban Thường trực Ủy ban MTTQ Việt Nam
    huyện …``)."""
    return f"{settings.front['body_in_text']} {report.district_words(ds, settings)['district_in_text']}"


def make_dossier(ds, settings: DocumentSettings, decisions=None, awards: pd.DataFrame | None = None) -> Dossier:
    """The proposals with the district's decisions (a :class:`nrlib.documents.decisions.Decisions`, or None)."""
    named = named_awards(ds, settings, awards)
    decided = apply_decisions(numbered_proposals(ds), decisions.table if decisions is not None else None)
    return Dossier(named, decided, decisions.path if decisions is not None else None)


# ---------------------------------------------------------------------- the lists as data


def _words(ds, settings: DocumentSettings, date: dt.date | None) -> dict[str, str]:
    w = report.words(ds, settings, date)
    t = settings.document_type("submission")
    return {**w, "doc_code": f"{t['code']}-{settings.front['body_code']}", "body_code": settings.front["body_code"]}


def _blank(v) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else clean_text(v)


def dossier_lists(ds, settings: DocumentSettings, dossier: Dossier) -> dict[str, Table]:
    """One table per award form with at least one proposal: a group row per kind present, then its rows.

    Returns
    -------
    dict
        Award form key → :class:`~nrlib.documents.layout.Table` (caption: the list's title), in the award
        table's order.
    """
    spec = load_template()["list"]
    w = _words(ds, settings, None)
    names = dossier.form_names
    out: dict[str, Table] = {}
    for form in dossier.awards["award_form"]:
        d = dossier.proposed(form)
        if d.empty:
            continue
        rows, groups = [], set()
        for kind, heading in spec["groups"].items():
            part = d[d["kind"] == kind]
            if part.empty:
                continue
            groups.add(len(rows))
            rows.append([heading] + [""] * (len(spec["columns"]) - 1))
            for i, r in enumerate(part.itertuples(), 1):
                rows.append([str(i), _blank(r.name), str(int(r.birth_year)) if pd.notna(r.birth_year) else "",
                             _blank(r.gender), _blank(r.position), _blank(r.achievement), names[form],
                             _note(r, names, spec)])
        title = spec["title"].format(award_caps=names[form].upper(), **w)
        out[form] = Table(title, list(spec["columns"]), rows, list(spec["widths_cm"]), centered={2, 3},
                          group_rows=groups)
    return out


def _note(r, names: dict[str, str], spec: dict) -> str:
    parts = [spec["proposed_by"].format(unit=_blank(r.unit_name))]
    if r.decision == "change":
        parts.append(spec["changed_from"].format(form=names.get(r.proposed_form, _blank(r.proposed_form))))
    if _blank(r.note):
        parts.append(_blank(r.note))
    if _blank(getattr(r, "earlier_awards", None)):      # what the commune listed (outline version 2)
        parts.append(spec["earlier_awards"].format(awards=_blank(r.earlier_awards)))
    return "; ".join(parts)


def _counts(d: pd.DataFrame) -> tuple[int, int]:
    return int((d["kind"] == "collective").sum()), int((d["kind"] == "individual").sum())


def _who(n_c: int, n_i: int) -> str:
    parts = ([f"{n_c:02d} tập thể"] if n_c else []) + ([f"{n_i:02d} cá nhân"] if n_i else [])
    return " và ".join(parts)


# ---------------------------------------------------------------------- the documents


def _header(doc: OfficialDocument, ds, settings: DocumentSettings, w: dict, kind: str, date) -> None:
    front, nat = settings.front, settings.national
    code = settings.document_type(kind)["code"]
    notice = labels.sample_notice(ds.outline.sample_marker) if ds.is_sample else None
    doc.header(parent_lines=[front["parent"], w["district_caps"]], body=front["body"],
               number=f"Số:      /{code}-{front['body_code']}" if code else "", national=nat["title"],
               motto=nat["motto"], date_line=fmt_date_long(date, w["place"]), notice=notice)


def build_list(ds, settings: DocumentSettings, dossier: Dossier, form: str, table: Table,
               date: dt.date | None = None) -> OfficialDocument:
    """The list of one award form (A4 landscape), the personal-data notice first."""
    spec = load_template()["list"]
    w = _words(ds, settings, date)
    a = dossier.awards.set_index("award_form").loc[form]
    doc = OfficialDocument(settings.layout, landscape=True)
    doc.paragraph(labels.PERSONAL_DATA_NOTICE, bold=True, align="center", indent=False,
                  size=settings.layout["recipients"]["entries_size_pt"] + 1, space_after=6,
                  ).runs[0].font.color.rgb = _red()
    _header(doc, ds, settings, w, "list", date)
    doc.title(table.caption, " ".join(spec["subtitle"].format(**w).split()))
    attached = spec["attached_own"] if a["decided_by"] == own_body(ds, settings) else spec["attached"]
    doc.paragraph(" ".join(attached.format(**w).split()), italic=True, align="center", indent=False)
    shown = Table("", table.columns, table.rows, table.widths_cm, centered=table.centered,
                  group_rows=table.group_rows)
    doc.table(shown)
    n_c, n_i = _counts(dossier.proposed(form))
    doc.paragraph(spec["closing"].format(n_collective=f"{n_c:02d}", n_individual=f"{n_i:02d}"), italic=True)
    doc.properties(title=table.caption, subject=labels.PERSONAL_DATA_NOTICE,
                   comments=_made_from(ds))
    return doc


def _red():
    from docx.shared import RGBColor

    return RGBColor.from_string("C00000")


def _made_from(ds) -> str:
    return f"Lập bằng nrlib {__version__} từ kho dữ liệu, phiên bản dữ liệu {fmt_data_version(ds.data_version)}"


def write_list_xlsx(path: str | Path, ds, settings: DocumentSettings, form: str, table: Table,
                    dossier: Dossier) -> Path:
    """The same list as a workbook: the notice, the title, the table (groups merged across), for the office
    to sort, merge or send on."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    spec = load_template()["list"]
    w = _words(ds, settings, None)
    font = str(settings.layout["font"])
    wb = Workbook()
    ws = wb.active
    ws.title = "DanhSach"
    ncol = len(table.columns)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    a = dossier.awards.set_index("award_form").loc[form]
    attached = spec["attached_own"] if a["decided_by"] == own_body(ds, settings) else spec["attached"]
    head = [(labels.PERSONAL_DATA_NOTICE, Font(name=font, size=11, bold=True, color="C00000")),
            (table.caption, Font(name=font, size=13, bold=True)),
            (" ".join(spec["subtitle"].format(**w).split()), Font(name=font, size=12, bold=True)),
            (" ".join(attached.format(**w).split()), Font(name=font, size=12, italic=True))]
    if ds.is_sample:
        head.insert(0, (labels.sample_notice(ds.outline.sample_marker), Font(name=font, size=12, bold=True,
                                                                             color="C00000")))
    for r, (text, f) in enumerate(head, 1):
        c = ws.cell(row=r, column=1, value=text)
        c.font, c.alignment = f, Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        ws.row_dimensions[r].height = 30
    hr = len(head) + 2
    for j, (label, width) in enumerate(zip(table.columns, table.widths_cm), 1):
        c = ws.cell(row=hr, column=j, value=label)
        c.font, c.border = Font(name=font, size=11, bold=True), border
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[c.column_letter].width = round(width * 4.6, 1)
    ws.row_dimensions[hr].height = 32
    for i, row in enumerate(table.rows):
        r = hr + 1 + i
        group = i in table.group_rows
        for j, value in enumerate(row, 1):
            c = ws.cell(row=r, column=j, value=_cell_value(value, j - 1))
            c.font, c.border = Font(name=font, size=11, bold=group), border
            c.alignment = Alignment(vertical="top", wrap_text=True,
                                    horizontal="center" if (j - 1) in ({0} | table.centered) and not group
                                    else "left")
        if group:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        else:
            ws.row_dimensions[r].height = row_height(row, [ws.column_dimensions[ws.cell(row=hr, column=j).column_letter]
                                                           .width for j in range(1, ncol + 1)])
    ws.freeze_panes = ws.cell(row=hr + 1, column=1)
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    path = Path(path)
    wb.save(path)
    return path


def _cell_value(value: str, j: int):
    """A list's cell in the workbook: STT and Năm sinh as numbers (a sheet sorts them), the rest as text."""
    if j in (0, 2) and value.isdigit():
        return int(value)
    return value or None


def build_submission(ds, settings: DocumentSettings, dossier: Dossier, body: str,
                     date: dt.date | None = None) -> OfficialDocument:
    """The tờ trình to one deciding body: the forms it decides, the number proposed for each, the money."""
    tpl = load_template()["submission"]
    w = _words(ds, settings, date)
    forms = [f for f, b in zip(dossier.awards["award_form"], dossier.awards["decided_by"])
             if b == body and not dossier.proposed(f).empty]
    names = dossier.form_names
    award = "; ".join(names[f] for f in forms)
    doc = OfficialDocument(settings.layout)
    _header(doc, ds, settings, w, "submission", date)
    t = settings.document_type("submission")
    subject = " ".join(tpl["subject"].format(award=award, **w).split())
    doc.title(t["name"], subject)
    doc.addressee(tpl["addressee"].format(decided_by=body))
    for line in settings.basis("report") + settings.basis("submission"):
        doc.paragraph(line, italic=True)
    budget = award_budget(ds, dossier.awards, dossier.decided).set_index("award_form")
    for f in forms:
        n_c, n_i = _counts(dossier.proposed(f))
        doc.paragraph(" ".join(tpl["body"].format(decided_by=body, award=names[f], who=_who(n_c, n_i),
                                                  **w).split()))
        row = budget.loc[f]
        if bool(row["known"]):
            doc.paragraph(tpl["money"].format(amount=fmt_dong(int(row["amount"])),
                                              words=amount_in_words(int(row["amount"])).lower()))
        else:
            doc.paragraph(tpl["money_unknown"])
    doc.paragraph(tpl["closing"].format(decided_by=body))
    return _sign(doc, ds, settings, "submission", subject)


def _sign(doc: OfficialDocument, ds, settings: DocumentSettings, kind: str, subject: str) -> OfficialDocument:
    """The end of a document of ``kind``: the signature and "Nơi nhận", and the file's own properties."""
    front, t = settings.front, settings.document_type(kind)
    doc.signature(recipients=settings.recipients(kind), on_behalf=front["on_behalf"], title=front["signer_title"],
                  signer_name=str(settings.district.get("signer_name") or ""))
    doc.properties(title=f"{t['name'].capitalize()} {subject[:1].lower()}{subject[1:]}", subject=subject,
                   comments=_made_from(ds))
    return doc


def estimate_table(ds, settings: DocumentSettings, dossier: Dossier) -> tuple[Table, dict]:
    """The estimate as data: a row per award form and kind in the lists, the rate and the amount, a total.

    Returns
    -------
    (Table, dict)
        The table (caption's ``{n}`` unfilled); ``total`` (đồng, forms with a known rate), ``verified``
        (every rate used is verified), ``used`` (the award table's rows of the forms in the lists).
    """
    spec = load_template()["estimate"]
    budget = award_budget(ds, dossier.awards, dossier.decided)
    a = dossier.awards.set_index("award_form")
    rows, k = [], 0
    for r in budget.itertuples():
        if not r.n or not r.known:
            continue
        k += 1
        first = True
        for kind, n, coef in (("collective", r.n_collective, "coefficient_collective"),
                              ("individual", r.n_individual, "coefficient_individual")):
            if not n:
                continue
            rate = money(1, a.loc[r.award_form, coef], a.loc[r.award_form, "base_salary"])
            amount = money(n, a.loc[r.award_form, coef], a.loc[r.award_form, "base_salary"])
            rows.append([str(k) if first else "", a.loc[r.award_form, "name"] if first else "",
                         spec["kinds"][kind], str(n), fmt_number(rate, 0), fmt_number(amount, 0)])
            first = False
    total = budget_total(budget[budget["n"] > 0])
    rows.append(["", spec["total_row"], "", str(int(budget.loc[budget["known"], "n"].sum())), "",
                 fmt_number(total, 0)])
    used = dossier.awards[dossier.awards["award_form"].isin(budget.loc[budget["n"] > 0, "award_form"])]
    table = Table(spec["caption"], list(spec["columns"]), rows, list(spec["widths_cm"]), numeric={3, 4, 5},
                  bold_rows={len(rows) - 1}, centered={2})
    return table, {"total": total, "verified": bool(used["verified"].all()), "used": used}


def build_estimate(ds, settings: DocumentSettings, dossier: Dossier, date: dt.date | None = None) -> OfficialDocument:
    """The estimate of the money of the whole dossier, with its sources and the amount in words."""
    spec = load_template()["estimate"]
    w = {**_words(ds, settings, date),
         "addressee": str((settings.district.get("addressee") or {}).get("note") or "").strip()}
    doc = OfficialDocument(settings.layout)
    _header(doc, ds, settings, w, "estimate", date)
    t = settings.document_type("estimate")
    subject = " ".join(spec["subject"].format(**w).split())
    doc.title(t["name"], subject)
    table, figures = estimate_table(ds, settings, dossier)
    if len(table.rows) == 1:
        doc.paragraph(spec["none"])
    else:
        doc.paragraph(" ".join(spec["opening"].format(**w).split()))
        table.caption = table.caption.format(n=1)
        doc.table(table)
        doc.paragraph(spec["in_words"].format(amount=fmt_dong(figures["total"]),
                                              words=amount_in_words(figures["total"]).lower()))
        for a in figures["used"].itertuples():
            doc.paragraph(spec["rate_line"].format(
                award=a.name, coefficient_individual=fmt_number(float(a.coefficient_individual), 2, trim=True),
                coefficient_collective=fmt_number(float(a.coefficient_collective), 2, trim=True),
                base_salary=fmt_dong(float(a.base_salary))), italic=True)
        for source in dict.fromkeys(figures["used"]["source"]):
            doc.paragraph(spec["source_line"].format(source=clean_text(source).rstrip(".")), italic=True)
        if not figures["verified"]:
            doc.paragraph(spec["unverified"], italic=True, highlight=True)
    doc.paragraph(spec["closing"].format(**w))
    return _sign(doc, ds, settings, "estimate", subject)


def file_stem(stem: str, district_code: str, place: str, part: str | None = None) -> str:
    """``danh-sach-de-nghi_2-giay-khen-cua-chu-tich-ubnd-huyen-thong-nhat_738_thong-nhat``."""
    return "_".join(x for x in (stem, part, district_code, slugify(place)) if x)


def file_part(n: int, name: str, max_length: int = 48) -> str:
    """A numbered name in a file name, cut at a word: ``2-giay-khen-cua-chu-tich-ubnd-huyen-thong-nhat``."""
    slug = slugify(name, 200)
    if len(slug) > max_length:
        slug = slug[:max_length + 1].rsplit("-", 1)[0]
    return f"{n}-{slug}"


def bodies(dossier: Dossier, own: str) -> list[str]:
    """The deciding bodies other than the district's own Ban Thường trực with at least one proposal, in the
    award table's order."""
    out: list[str] = []
    for form, body in zip(dossier.awards["award_form"], dossier.awards["decided_by"]):
        if body != own and body not in out and not dossier.proposed(form).empty:
            out.append(body)
    return out
