"""What every official document shares: the page, the fonts, the header blocks, the date line, the title, numbered
tables, the signature and "Nơi nhận", after Nghị định 30/2020/NĐ-CP, Phụ lục I.

Every value comes from the settings' ``layout`` (``data/reference/documents.yaml``, with its sources): A4
portrait, margins, Times New Roman in all four font slots (Latin, East Asian, complex script, and the default
of every style, so Word and LibreOffice render Vietnamese in it), body size, indent and spacing; this module
only places them. A document is built as an :class:`OfficialDocument`: ``header`` → ``title`` → body
(``addressee``, ``heading``, ``paragraph``, ``table``, ``compiled``) → ``signature`` → ``annex`` → ``save``.

Text from submissions is untrusted: python-docx escapes XML, and :func:`clean_text` removes what XML cannot
hold (control characters) and what would reorder a line (bidirectional overrides) before it is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

#: the font slots of a run (``w:rFonts``): Latin, the rest of Latin, East Asian, complex script
FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
#: paragraph styles nrlib adds (names are Word's internal ones, never shown to a reader)
CELL_STYLE, ANNEX_CELL_STYLE, BLOCK_STYLE = "nrlib Table", "nrlib Annex Table", "nrlib Block"
LANGUAGE = "vi-VN"

# what XML 1.0 cannot hold, C1 controls, and the bidirectional controls that reorder a line
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def clean_text(text, *, strip: bool = True) -> str:
    """Text from a submission made safe for a document: NFC, line breaks kept (``\\r\\n`` → ``\\n``), tabs as
    spaces, control and bidirectional-override characters removed, surrounding blanks trimmed (unless
    ``strip`` is False: a run's own spacing)."""
    s = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    s = _UNSAFE.sub("", s)
    return s.strip() if strip else s


@dataclass
class Table:
    """A numbered table as data: what :meth:`OfficialDocument.table` writes, and what a test compares.

    ``rows`` are cells already formatted (:mod:`nrlib.core.vnformat`); ``numeric`` the column positions
    aligned right, ``centered`` those centred (short statuses); ``bold_rows`` the row positions in bold (a
    total row).
    """

    caption: str
    columns: list[str]
    rows: list[list[str]]
    widths_cm: list[float]
    numeric: set[int] = field(default_factory=set)
    note: str = ""
    bold_rows: set[int] = field(default_factory=set)
    annex: bool = False
    centered: set[int] = field(default_factory=set)
    #: rows that are one cell across the table, in bold at the left (a group's heading: "I. TẬP THỂ")
    group_rows: set[int] = field(default_factory=set)


class OfficialDocument:
    """A Word document in the official layout, built top to bottom.

    Parameters
    ----------
    layout : dict
        The settings' ``layout`` (:class:`nrlib.documents.settings.DocumentSettings`).
    landscape : bool
        The page turned (a list of eight columns); the margins stay those of the layout.
    """

    def __init__(self, layout: dict, *, landscape: bool = False) -> None:
        self.layout = layout
        self.landscape = landscape
        self.doc = Document()
        self.font = str(layout["font"])
        self._page_setup()
        self._styles()

    # ------------------------------------------------------------------ page, fonts, styles

    def _page_setup(self) -> None:
        page, margins = self.layout["page"], self.layout["margins_mm"]
        s = self.doc.sections[0]
        turned = self.landscape != (page["orientation"] != "portrait")
        s.orientation = WD_ORIENT.LANDSCAPE if turned else WD_ORIENT.PORTRAIT
        short, long_ = sorted((page["width_mm"], page["height_mm"]))
        s.page_width, s.page_height = (Mm(long_), Mm(short)) if turned else (Mm(short), Mm(long_))
        s.top_margin, s.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
        s.left_margin, s.right_margin = Mm(margins["left"]), Mm(margins["right"])
        s.header_distance = Mm(self.layout["header_distance_mm"])
        s.footer_distance = Mm(self.layout["header_distance_mm"])
        # the page number from page 2 on: page 1 has a header of its own, left empty
        s.different_first_page_header_footer = True
        p = s.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Cm(0)
        _page_field(p, self.font, self.layout["page_number"]["size_pt"])

    @property
    def text_width_cm(self) -> float:
        page, m = self.layout["page"], self.layout["margins_mm"]
        width = max(page["width_mm"], page["height_mm"]) if self.landscape else page["width_mm"]
        return (width - m["left"] - m["right"]) / 10

    def _styles(self) -> None:
        body = self.layout["body"]
        styles = self.doc.styles
        # every style's and the defaults' font slots name the font (python-docx sets only two of four)
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr, self.font)
        _set_language(rpr)
        for fonts in list(self.doc.styles.element.iter(qn("w:rFonts"))):   # table styles' parts included
            _set_fonts(fonts.getparent(), self.font)
        normal = styles["Normal"]
        normal.font.size = Pt(body["size_pt"])
        _set_fonts(normal.element.get_or_add_rPr(), self.font)
        pf = normal.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.first_line_indent = Cm(body["first_line_indent_cm"])
        pf.space_before, pf.space_after = Pt(0), Pt(body["space_after_pt"])
        pf.line_spacing = float(body["line_spacing"])
        pf.widow_control = True
        for name, size in ((CELL_STYLE, self.layout["table"]["size_pt"]),
                           (ANNEX_CELL_STYLE, self.layout["table"]["annex_size_pt"]),
                           (BLOCK_STYLE, self.layout["header"]["parent_size_pt"])):
            st = styles.add_style(name, 1)          # 1: a paragraph style
            st.base_style = normal
            st.font.size = Pt(size)
            _set_fonts(st.element.get_or_add_rPr(), self.font)
            f = st.paragraph_format
            f.first_line_indent, f.space_before, f.space_after, f.line_spacing = Cm(0), Pt(1), Pt(1), 1.0
            f.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for sec in self.doc.sections:
            for part in (sec.header, sec.first_page_header, sec.footer, sec.first_page_footer):
                for p in part.paragraphs:
                    p.paragraph_format.first_line_indent = Cm(0)

    # ------------------------------------------------------------------ runs and paragraphs

    def _run(self, p, text: str, *, size: float | None = None, bold: bool = False, italic: bool = False,
             highlight: bool = False, color: str | None = None):
        run = p.add_run(clean_text(text, strip=False) if text else "")
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
        if highlight:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
        _set_fonts(run._r.get_or_add_rPr(), self.font)
        return run

    def paragraph(self, text: str = "", *, bold: bool = False, italic: bool = False, align: str | None = None,
                  indent: bool = True, size: float | None = None, highlight: bool = False, keep_with_next=False,
                  container=None, style: str | None = None, space_after: float | None = None):
        """One paragraph of body text (justified, first-line indent) unless told otherwise."""
        where = container if container is not None else self.doc
        p = where.add_paragraph(style=style)
        if text:
            self._run(p, text, bold=bold, italic=italic, size=size, highlight=highlight)
        f = p.paragraph_format
        if align:
            p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                           "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        if not indent:
            f.first_line_indent = Cm(0)
        if keep_with_next:
            f.keep_with_next = True
        if space_after is not None:
            f.space_after = Pt(space_after)
        return p

    def heading(self, text: str) -> None:
        """A part or item heading (``I. …``, ``1. …``): bold, with the body's indent, kept with what follows."""
        self.paragraph(text, bold=True, keep_with_next=True)

    def compiled(self, note: str, passages: Sequence[tuple[str, str]], empty: str) -> None:
        """What the communes wrote for one section, for the officer to edit: ``note`` in brackets and italics,
        then each passage as its own paragraph, the commune's name first, highlighted."""
        self.paragraph(note, italic=True, highlight=True)
        if not passages:
            self.paragraph(empty, italic=True, highlight=True)
        for unit, text in passages:
            p = self.paragraph()
            self._run(p, f"{unit}: ", bold=True, highlight=True)
            self._run(p, text, highlight=True)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # ------------------------------------------------------------------ header blocks, title

    def header(self, *, parent_lines: Sequence[str], body: str, number: str, national: str, motto: str,
               date_line: str, notice: str | None = None) -> None:
        """The two blocks side by side (a table without borders): the issuing body and its number at the
        left, the national title, the motto and the place-and-date line at the right; rules under the body's
        name and under the motto."""
        h = self.layout["header"]
        if notice:
            self.paragraph(notice, bold=True, align="center", indent=False, size=h["number_size_pt"],
                           space_after=6).runs[0].font.color.rgb = RGBColor.from_string("C00000")
        left_w = float(h["left_width_cm"])
        widths = [left_w, self.text_width_cm - left_w]
        t = self.doc.add_table(rows=2, cols=2)
        _no_borders(t)
        _set_widths(t, widths)
        (l1, r1), (l2, r2) = t.rows[0].cells, t.rows[1].cells
        for cell in (l1, r1, l2, r2):
            cell.paragraphs[0].style = self.doc.styles[BLOCK_STYLE]
        for i, line in enumerate(parent_lines):
            self._centred(l1, line, first=i == 0, size=h["parent_size_pt"])
        self._centred(l1, body, size=h["body_size_pt"], bold=True)
        _rule(l1.add_paragraph(style=BLOCK_STYLE), h["body_rule_cm"], widths[0])
        self._centred(r1, national, first=True, size=h["national_size_pt"], bold=True)
        self._centred(r1, motto, size=h["motto_size_pt"], bold=True)
        _rule(r1.add_paragraph(style=BLOCK_STYLE), h["motto_rule_cm"], widths[1])
        # second row: the number under the body, the date line under the motto, on one line with each other
        self._centred(l2, number, first=True, size=h["number_size_pt"])
        self._centred(r2, date_line, first=True, size=h["date_size_pt"], italic=True)
        if notice:
            for part in (self.doc.sections[0].header,):
                q = part.add_paragraph()
                q.alignment = WD_ALIGN_PARAGRAPH.CENTER
                q.paragraph_format.first_line_indent = Cm(0)
                self._run(q, notice, size=self.layout["recipients"]["entries_size_pt"], bold=True, color="C00000")

    def _centred(self, cell, text: str, *, first: bool = False, **run):
        """A centred line of a header cell: its first paragraph, or a new one in the block style."""
        p = cell.paragraphs[0] if first else cell.add_paragraph(style=BLOCK_STYLE)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(p, text, **run)
        return p

    def title(self, type_name: str, subject: str) -> None:
        """Tên loại (caps, bold, centred) and trích yếu (bold, centred) under the header blocks."""
        t = self.layout["title"]
        p = self.paragraph(type_name, bold=True, align="center", indent=False, size=t["type_size_pt"],
                           space_after=0, keep_with_next=True)
        p.paragraph_format.space_before = Pt(12)
        self.paragraph(subject, bold=True, align="center", indent=False, size=t["subject_size_pt"],
                       keep_with_next=True, space_after=2)
        _rule(self.paragraph(indent=False), self.layout["header"]["body_rule_cm"] * 1.5,
              self.text_width_cm, cell=False, after_pt=12)

    def addressee(self, text: str) -> None:
        """"Kính gửi: …" under the title (ND30 I.5.i), centred in the body size."""
        self.paragraph(text, align="center", indent=False, keep_with_next=True, space_after=12)

    # ------------------------------------------------------------------ tables

    def table(self, spec: Table) -> None:
        """A numbered table: its caption above (bold, centred), a header row repeated on every page, cells
        in the table size (the annex's smaller), numbers at the right, a note under it in italics."""
        style = ANNEX_CELL_STYLE if spec.annex else CELL_STYLE
        cap = self.paragraph(spec.caption, bold=True, align="center", indent=False, keep_with_next=True,
                             size=self.layout["table"]["size_pt"] + 1, space_after=3)
        cap.paragraph_format.space_before = Pt(6)
        t = self.doc.add_table(rows=1 + len(spec.rows), cols=len(spec.columns))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        _set_widths(t, spec.widths_cm)
        head = t.rows[0]
        _repeat_header(head)
        for j, label in enumerate(spec.columns):
            p = head.cells[j].paragraphs[0]
            p.style = self.doc.styles[style]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.keep_with_next = True       # the caption, the header and a first row stay together
            self._run(p, label, bold=True)
        for i, row in enumerate(spec.rows):
            cells = t.rows[i + 1].cells
            _cant_split(t.rows[i + 1])
            if i in spec.group_rows:
                merged = cells[0].merge(cells[-1])
                p = merged.paragraphs[0]
                p.style = self.doc.styles[style]
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT
                p.paragraph_format.keep_with_next = True        # a group's heading stays with its first row
                self._run(p, " ".join(v for v in row if v), bold=True)
                continue
            for j, value in enumerate(row):
                p = cells[j].paragraphs[0]
                p.style = self.doc.styles[style]
                p.alignment = (WD_ALIGN_PARAGRAPH.RIGHT if j in spec.numeric else
                               WD_ALIGN_PARAGRAPH.CENTER if j == 0 or j in spec.centered else
                               WD_ALIGN_PARAGRAPH.LEFT)
                self._run(p, value, bold=i in spec.bold_rows)
        if spec.note:
            self.paragraph(spec.note, italic=True, indent=False, size=self.layout["table"]["annex_size_pt"])
        else:
            self.paragraph(indent=False, space_after=0)

    # ------------------------------------------------------------------ the end of a document

    def signature(self, *, recipients: Sequence[str], on_behalf: str, title: str, signer_name: str) -> None:
        """"Nơi nhận" at the left (bold italic heading, entries smaller), the signature block at the right:
        on whose behalf and the title in bold capitals, room to sign, the signer's name in bold."""
        r, s = self.layout["recipients"], self.layout["signature"]
        left = float(s["left_width_cm"])
        t = self.doc.add_table(rows=1, cols=2)
        _no_borders(t)
        _set_widths(t, [left, self.text_width_cm - left])
        lc, rc = t.rows[0].cells
        p = lc.paragraphs[0]
        p.style = self.doc.styles[BLOCK_STYLE]
        self._run(p, "Nơi nhận:", bold=True, italic=True, size=r["heading_size_pt"])
        for entry in recipients:
            q = lc.add_paragraph(style=BLOCK_STYLE)
            q.paragraph_format.space_before = q.paragraph_format.space_after = Pt(0)
            self._run(q, f"- {entry}", size=r["entries_size_pt"])
        lines = [(on_behalf, True), (title, True)] + [("", False)] * int(s["space_for_signature_lines"])
        lines.append((signer_name, True))
        for i, (text, bold) in enumerate(lines):
            q = rc.paragraphs[0] if i == 0 else rc.add_paragraph(style=BLOCK_STYLE)
            q.style = self.doc.styles[BLOCK_STYLE]
            q.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._run(q, text, size=s["size_pt"], bold=bold)

    def annex(self, heading: str, subtitle: str, attached: str) -> None:
        """The annex's title page top: a page break, its heading and what it is attached to."""
        self.page_break()
        size = self.layout["title"]["type_size_pt"]
        self.paragraph(heading, bold=True, align="center", indent=False, size=size, space_after=0)
        self.paragraph(subtitle, bold=True, align="center", indent=False, size=size, space_after=0)
        self.paragraph(attached, italic=True, align="center", indent=False, size=size - 1)

    def properties(self, *, title: str, subject: str, comments: str) -> None:
        """The file's own properties (what a file manager shows): title, subject, and the data it came from."""
        cp = self.doc.core_properties
        cp.title, cp.subject, cp.comments, cp.author = title, subject, comments, "nrlib"
        cp.language = LANGUAGE

    def save(self, path) -> None:
        """Write the .docx to a path or an open binary file."""
        self.doc.save(path if hasattr(path, "write") else str(path))


# ---------------------------------------------------------------------- XML details python-docx has no API for


def _set_fonts(rpr, font: str) -> None:
    """Name ``font`` in all four slots of a ``w:rPr`` and drop the theme's, which would win over them."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in _THEME_SLOTS:
        if fonts.get(qn(slot)) is not None:
            del fonts.attrib[qn(slot)]
    for slot in FONT_SLOTS:
        fonts.set(qn(slot), font)


def _set_language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _page_field(p, font: str, size: float) -> None:
    """A PAGE field (the page's number, computed by Word or LibreOffice) in paragraph ``p``."""
    def run():
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        _set_fonts(rpr, font)
        sz = OxmlElement("w:sz")
        sz.set(qn("w:val"), str(int(round(size * 2))))
        rpr.append(sz)
        r.append(rpr)
        p._p.append(r)
        return r

    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        r = run()
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        r.append(el)


def _rule(p, length_cm: float, width_cm: float, cell: bool = True, after_pt: float = 0) -> None:
    """Make ``p`` a short centred rule: an empty, tiny paragraph whose bottom border is ``length_cm`` long.

    The border is the paragraph's *bottom* one: Word and LibreOffice put a
    paragraph's space before above its top border, so a top border sat on
    the descenders of the line above (seen in the PDF: "THƯỜNG TRỰC"
    underlined through); under a 4 pt empty line it clears them.
    """
    margin = 0.38 if cell else 0.0                   # a cell's default left and right margins (0,19 cm each)
    side = max(0.0, (width_cm - margin - length_cm) / 2)
    f = p.paragraph_format
    f.left_indent = f.right_indent = Cm(side)
    f.first_line_indent = Cm(0)
    f.space_before, f.space_after, f.line_spacing = Pt(0), Pt(after_pt), Pt(4)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        top.set(qn(k), v)
    borders.append(top)
    ppr.append(borders)
    mark = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "4")
    mark.append(sz)
    ppr.append(mark)


def _no_borders(table) -> None:
    tpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tpr.append(borders)


def _set_widths(table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths, in the grid (LibreOffice reads it) and in every cell (Word reads those)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for j, w in enumerate(widths_cm):
        table.columns[j].width = Cm(w)
        for cell in table.columns[j].cells:
            cell.width = Cm(w)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)
