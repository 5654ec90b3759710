"""HTML building blocks of the report notebooks: title block, cards, tables, scorecard, narrative.

Every function returns an HTML string in which **all** text is escaped
(``html.escape``): names, labels, numbers and above all the text communes
typed into their workbooks (narratives, proposals, problem values), which is
untrusted. Nothing here builds markup by pasting a value unescaped; the
report template (:mod:`nrlib.reports.html_export`) renders these strings as they are.
:func:`show` displays one in a notebook.

Numbers and dates are formatted by :mod:`nrlib.core.vnformat` before they get
here; the labels users read come from the outline (choice labels) or are
written in Vietnamese in the notebooks.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any, Callable, Iterable, Mapping, Sequence

import pandas as pd

from nrlib import config
from nrlib.core.textmatch import slugify
from nrlib.core.version import __version__
from nrlib.core.vnformat import MISSING, fmt_date_long, fmt_number
from nrlib.core.vocab import RECORD_MIME, is_missing

__all__ = ["e", "show", "text", "anchor_id", "heading", "keep_units", "paragraph", "bullet_list", "callout", "title_block", "cards", "Formatter", "table", "number", "status_legend", "scorecard", "narrative_html", "RECORD_MIME", "record", "record_output", "short", "year_ranges"]

e = html.escape


def show(fragment: str) -> None:
    """Display an HTML fragment in the notebook (rendered as is by the report template)."""
    from IPython.display import HTML, display

    display(HTML(fragment))


def text(v: Any) -> str:
    """Any value as escaped text (missing: an en dash)."""
    return MISSING if is_missing(v) else e(str(v))


def anchor_id(label: str) -> str:
    """An ASCII id for a heading from its (trusted) label."""
    return slugify(label)


def heading(label: str, level: int = 2, ident: str | None = None) -> str:
    """``<h2 id=…>label</h2>``: a heading made in code, listed in the table of contents."""
    ident = ident or anchor_id(label)
    return f'<h{level} id="{e(ident, quote=True)}">{e(label)}</h{level}>'


def keep_units(text: str) -> str:
    """No line break between a number and its percent sign (``"90,5 %"``): a no-break space."""
    return str(text).replace(" %", "\u00a0%")


def paragraph(content: str, cls: str | None = None) -> str:
    c = f' class="{e(cls, quote=True)}"' if cls else ""
    return f"<p{c}>{e(keep_units(content))}</p>"


def bullet_list(items: Iterable[str]) -> str:
    lis = "".join(f"<li>{e(keep_units(i))}</li>" for i in items)
    return f"<ul>{lis}</ul>" if lis else ""


def callout(title: str | None, items: Iterable[str] = (), kind: str = "info", body: str | None = None) -> str:
    """A boxed note: ``kind`` ``info``, ``warn`` or ``bad``; ``items`` become a bullet list."""
    cls = {"info": "callout", "warn": "callout warn", "bad": "callout bad"}[kind]
    head = f"<strong>{e(title)}</strong>" if title else ""
    para = f"<div>{e(keep_units(body))}</div>" if body else ""
    return f'<div class="{cls}" role="note">{head}{para}{bullet_list(items)}</div>'


def title_block(*, org: str, title: str, subtitle: str, facts: Sequence[tuple[str, str]],
                place: str | None, date: dt.date) -> str:
    """The report's head: issuing body, title, subtitle, facts (label, value) and the formal date line."""
    rows = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts)
    return (f'<div class="title-block"><div class="org">{e(org)}</div>'
            f"<h1>{e(title)}</h1><div>{e(subtitle)}</div>"
            f'<dl class="meta-list">{rows}</dl>'
            f'<div class="date-line">{e(fmt_date_long(date, place))}</div></div>'
            "<!-- nrlib:toc -->")


def details(summary: str, body_html: str) -> str:
    """A block closed by default (``<details>``), for what only a specialist reads: the summary escaped, the
    body already HTML (built by these functions)."""
    return f'<details class="tech"><summary>{e(summary)}</summary>{body_html}</details>'


def cards(items: Iterable[tuple[str, str] | tuple[str, str, str]]) -> str:
    """Key figures as cards: ``(label, value)`` or ``(label, value, sub)``."""
    out = []
    for item in items:
        label, value, *rest = item
        sub = f'<div class="sub">{e(rest[0])}</div>' if rest and rest[0] else ""
        value = keep_units(value)
        out.append(f'<div class="card"><div class="value">{e(value)}</div><div class="label">{e(label)}</div>{sub}</div>')
    return f'<div class="cards">{"".join(out)}</div>'


Formatter = Callable[[Any], str]


def table(df: pd.DataFrame, columns: Mapping[str, str] | None = None, *, caption: str | None = None,
          formats: Mapping[str, Formatter] | None = None, numeric: Iterable[str] = (),
          cell_class: Mapping[str, Callable[[Any], str | None]] | None = None,
          empty: str = "Không có dữ liệu.") -> str:
    """A DataFrame as an escaped HTML table in a horizontally scrollable box.

    Parameters
    ----------
    df : DataFrame
    columns : mapping, optional
        ``{column: header label}``, in display order (default: every column, its name as label).
    caption : str, optional
    formats : mapping, optional
        ``{column: function(value) -> str}`` (e.g. :func:`nrlib.core.vnformat.fmt_number`);
        other values are shown with ``str``. The result is escaped.
    numeric : iterable of str
        Columns right-aligned (numbers).
    cell_class : mapping, optional
        ``{column: function(value) -> css class or None}`` (e.g. status colours).
    empty : str
        Shown instead of the table when ``df`` has no rows.
    """
    if columns is None:
        columns = {c: str(c) for c in df.columns}
    if df.empty:
        cap = f"<strong>{e(caption)}</strong> " if caption else ""
        return f'<p class="muted">{cap}{e(empty)}</p>'
    formats = dict(formats or {})
    numeric = set(numeric)
    cell_class = dict(cell_class or {})
    num_cls = ' class="num"'
    head = "".join(f'<th scope="col"{num_cls if c in numeric else ""}><span class="h">{e(str(lbl))}</span></th>'
                   for c, lbl in columns.items())
    body = []
    for row in df.itertuples(index=False):
        rec = dict(zip(df.columns, row))
        tds = []
        for c in columns:
            v = rec.get(c)
            s = MISSING if is_missing(v) else (formats[c](v) if c in formats else str(v))
            classes = []
            if c in numeric:
                classes.append("num")
            if c in cell_class:
                extra = cell_class[c](v)
                if extra:
                    classes.append(extra)
            cls = f' class="{e(" ".join(classes), quote=True)}"' if classes else ""
            tds.append(f"<td{cls}>{e(s)}</td>")
        body.append(f"<tr>{''.join(tds)}</tr>")
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    # many columns: keep a readable width and let the box scroll sideways on a phone
    cls = ' class="wide xwide"' if len(columns) >= 8 else ' class="wide"' if len(columns) >= 5 else ""
    return (f'<div class="table-wrap"><table{cls}>{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def number(digits: int = 0) -> Formatter:
    """Formatter: a Vietnamese number with ``digits`` decimals (trailing zeros dropped)."""
    return lambda v: fmt_number(v, digits, trim=True)


def status_legend(labels: Mapping[str, str]) -> str:
    """Colour legend of criterion statuses (``{status value: label}``)."""
    spans = "".join(f'<span class="st-{e(k, quote=True)}">{e(v)}</span>' for k, v in labels.items())
    return f'<div class="legend">{spans}</div>'


def scorecard(matrix: pd.DataFrame, names: Mapping[int, str], years: Sequence[int],
              labels: Mapping[str, str], *, marks: Mapping[tuple[int, int], str] | None = None,
              caption: str | None = None, row_label: str = "Tiêu chí") -> str:
    """The criteria scorecard: one row per criterion, one colour-coded cell per year.

    Parameters
    ----------
    matrix : DataFrame
        ``criterion_no, year, status`` (``reached``/``not_reached``/``not_applicable``/missing).
    names : mapping
        ``{criterion_no: criterion name}``.
    years : sequence of int
    labels : mapping
        ``{status value: label}`` (the outline's ``criterion_status`` choices).
    marks : mapping, optional
        ``{(criterion_no, year): short text}`` appended to a cell (e.g. a
        disagreement with the measured value), escaped.
    row_label : str
        Header of the rows' column ("Tiêu chí"; "Tiêu chuẩn" for the urban standard).
    """
    marks = dict(marks or {})
    status = {(int(r.criterion_no), int(r.year)): r.status for r in matrix.itertuples()}
    head = f"<th scope=\"col\">{e(row_label)}</th>" + "".join(f'<th scope="col" class="num">{e(str(y))}</th>' for y in years)
    rows = []
    for no in sorted(names):
        tds = []
        for y in years:
            st = status.get((no, int(y)))
            key = st if isinstance(st, str) and st in labels else "missing"
            label = labels.get(key, MISSING)
            mark = marks.get((no, int(y)))
            extra = f" {e(mark)}" if mark else ""
            tds.append(f'<td class="st st-{e(key, quote=True)}">{e(label)}{extra}</td>')
        rows.append(f'<tr><th scope="row">{e(str(no))}. {e(names[no])}</th>{"".join(tds)}</tr>')
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    return (f'<div class="table-wrap"><table class="scorecard">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def narrative_html(sections: Iterable[tuple[str, str, str | None]]) -> str:
    """The commune's own words, section by section: ``(code, title, text)``; text shown as text.

    Untrusted: escaped, line breaks kept by CSS (``white-space: pre-wrap``),
    never interpreted as markup or Markdown.
    """
    out = []
    for code, title, body in sections:
        content = ('<div class="body">' + e(str(body).strip()) + "</div>") if body and str(body).strip() \
            else '<div class="empty">(Đơn vị không viết nội dung mục này.)</div>'
        out.append(f'<div class="narrative"><h4>{e(code)}. {e(title)}</h4>{content}</div>')
    return "".join(out)




def record_output(record: dict[str, Any]) -> dict[str, Any]:
    """The display bundle a notebook shows to record its parameters and data version.

    The exporter lifts it from the outputs into ``nb.metadata["nrlib"]`` (and
    from there into the HTML); in a notebook opened by hand it reads as one
    line of text.
    """
    text = ("nrlib report record: "
            + ", ".join(f"{k}={v}" for k, v in record.items() if k in ("kind", "code", "data_version")))
    return {RECORD_MIME: record, "text/plain": text}



def record(params, ds, title: str) -> dict:
    """Display the report's record (parameters, data version, time) for the exporter; return it.

    Recorded in the executed notebook's metadata (``metadata.nrlib``) and in
    the HTML (``<meta>`` tags, a JSON block, the footer) by
    :mod:`nrlib.reports.html_export`.
    """
    from IPython.display import display

    rec = {
        "kind": params.kind,
        "code": params.code,
        "title": title,
        "parameters": params.as_record(),
        "data_version": ds.data_version,
        "is_sample": bool(ds.is_sample),
        "sample_marker": ds.outline.sample_marker,
        "outline_version": ds.outline.version,
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
        "nrlib_version": __version__,
        "inputs": config.inputs_record(),
    }
    display(record_output(rec), raw=True)
    return rec


_WS = re.compile(r"\s+")


def short(text_value: Any, limit: int = 160) -> str:
    """A value shortened to ``limit`` characters on one line (for table cells)."""
    if is_missing(text_value):
        return MISSING
    s = _WS.sub(" ", str(text_value)).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"


def year_ranges(years: Iterable[Any]) -> str:
    """``[2016, 2017, 2018, 2020]`` → ``"2016–2018, 2020"``."""
    ys = sorted({int(y) for y in years})
    parts, i = [], 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        parts.append(str(ys[i]) if i == j else f"{ys[i]}–{ys[j]}")
        i = j + 1
    return ", ".join(parts)
