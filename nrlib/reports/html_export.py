"""Executed report notebook → one self-contained, offline HTML file.

The known trap: plotly under papermill/nbconvert either draws nothing (its
notebook renderer expects require.js and a CDN copy of plotly.js) or pulls
scripts from CDNs, and nbconvert's ``lab`` template loads require.js and
MathJax from CDNs too. nrlib avoids all of it:

* figures are emitted by :func:`nrlib.present.figures.show` as plain ``text/html``
  (``fig.to_html(full_html=False, include_plotlyjs=False)``), a ``<div>``
  plus a ``Plotly.newPlot`` call;
* this exporter's template (``nrlib/templates/nrlib_report``) has no
  require.js, no MathJax, no web fonts, and carries plotly.js **once** in the
  page head, only when the report holds a chart. The bundle is the official
  ``plotly.js-basic-dist-min`` (bar, pie and scatter traces, 1,2 MB instead of
  4,6 MB for the full bundle shipped with plotly.py), vendored in
  ``nrlib/static`` at the same plotly.js version as the installed plotly.py
  (see ``nrlib/static/README.md``); :func:`nrlib.present.figures.check_trace_types`
  keeps figures to those trace types;
* the bundle is packed (gzip, base 85: :mod:`nrlib.reports.bundle`) and
  started in the browser by the template's ``plotly-loader.js``;
  the charts' ``Plotly.newPlot`` calls wait for it, and where the browser
  cannot unpack it each chart's place says so in Vietnamese
  (:data:`nrlib.core.labels.CHART_UNAVAILABLE`).

The page also carries the report's record (parameters, data version,
generated time): in ``<meta>`` tags, a JSON block
``<script type="application/json" id="nrlib-report">`` and a visible footer.
:func:`offline_violations` is the static check that nothing references the
network.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nrlib.config import PACKAGE_DIR
from nrlib.core import labels
from nrlib.core.files import atomic_write
from nrlib.core.version import __version__ as VERSION
from nrlib.core.vocab import RECORD_MIME
from nrlib.reference import load_outline
from nrlib.reports import bundle

if TYPE_CHECKING:  # nbformat costs 1,1 s to import (its validator): the batch process, which only writes the
    import nbformat  # index page with this module's write_html, never needs it

TEMPLATE_DIR = PACKAGE_DIR / "templates"
TEMPLATE_NAME = "nrlib_report"
STATIC_DIR = PACKAGE_DIR / "static"
PLOTLY_JS = bundle.PLOTLY_JS

TOC_MARKER = "<!-- nrlib:toc -->"


def plotly_resources() -> dict[str, Any]:
    """What the template needs to carry plotly.js: the packed bundle (:func:`nrlib.reports.bundle.packed_plotly_js`,
    packed once per process), its alphabet and the messages shown where a chart cannot be drawn."""
    packed = bundle.packed_plotly_js(PLOTLY_JS)
    return {"text": packed.text, "packed_bytes": packed.packed_bytes, "sha256": packed.sha256,
            "alphabet": bundle.ALPHABET, "message_unsupported": labels.CHART_UNAVAILABLE["unsupported"],
            "message_failed": labels.CHART_UNAVAILABLE["failed"]}


def lift_record(nb: nbformat.NotebookNode) -> dict[str, Any] | None:
    """Move the report record from the outputs into ``nb.metadata["nrlib"]``; return it.

    The output holding it is removed, so it is not rendered; an existing
    ``metadata.nrlib`` (e.g. set by the batch runner) is kept and updated.
    """
    found = None
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        keep = []
        for out in cell.get("outputs", []):
            data = out.get("data", {}) if out.get("output_type") in ("display_data", "execute_result") else {}
            if RECORD_MIME in data:
                found = dict(data[RECORD_MIME])
            else:
                keep.append(out)
        cell["outputs"] = keep
    if found is not None:
        meta = dict(nb.metadata.get("nrlib", {}))
        meta.update(found)
        nb.metadata["nrlib"] = meta
    return nb.metadata.get("nrlib")


def has_plotly(nb: nbformat.NotebookNode) -> bool:
    """True when an HTML output holds a plotly chart (``plotly-graph-div``)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            h = out.get("data", {}).get("text/html")
            if h and "plotly-graph-div" in ("".join(h) if isinstance(h, list) else h):
                return True
    return False


def _json_for_script(obj: Any) -> str:
    # JSON inside <script>: "<", ">" and "&" escaped so no text can close the element
    s = json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _footer_rows(record: dict[str, Any]) -> list[tuple[str, str]]:
    from nrlib.core.vnformat import fmt_data_version, fmt_datetime

    rows = []
    if record.get("title"):
        rows.append(("Báo cáo", str(record["title"])))
    params = record.get("parameters") or {}
    if params:
        rows.append(("Tham số", "; ".join(f"{k} = {'' if v is None else v}" for k, v in params.items())))
    if record.get("data_version"):
        rows.append(("Phiên bản dữ liệu", fmt_data_version(record["data_version"])))
    gen = record.get("generated_at")
    if gen:
        try:
            gen = fmt_datetime(dt.datetime.fromisoformat(str(gen)))
        except ValueError:
            pass
        rows.append(("Thời điểm lập", str(gen)))
    inputs = record.get("inputs") or []
    if inputs:
        rows.append(("Tệp tham chiếu", "; ".join(labels.input_text(i) for i in inputs)))
    rows.append(("Công cụ", f"nrlib {record.get('nrlib_version', VERSION)}"))
    return rows


def _meta_rows(record: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key in ("kind", "code", "data_version", "generated_at"):
        if record.get(key) not in (None, ""):
            rows.append((f"nrlib-{key.replace('_', '-')}", str(record[key])))
    if record.get("parameters"):
        rows.append(("nrlib-parameters", json.dumps(record["parameters"], ensure_ascii=False, sort_keys=True, default=str)))
    return rows


@functools.lru_cache(maxsize=1)
def _exporter():
    """One HTML exporter per process: each new one loaded and compiled its Jinja templates again (some 0,07 s of
    every report); an exporter keeps no state from one notebook to the next (nbconvert's converters reuse theirs)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIR)],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                        anchor_link_text="")


def export_html(nb: nbformat.NotebookNode, *, record: dict[str, Any] | None = None,
                title: str | None = None) -> str:
    """Render an executed report notebook as one self-contained HTML page.

    Parameters
    ----------
    nb : NotebookNode
        The executed notebook (not modified; see :func:`lift_record`).
    record : dict, optional
        The report's record; default: the one the notebook displayed.
        Keys used: ``title``, ``kind``, ``code``, ``parameters``,
        ``data_version``, ``generated_at``, ``is_sample``, ``sample_marker``.
    title : str, optional
        Page title (default: the record's).

    Returns
    -------
    str
        The HTML page: no input cells, no prompts, stderr left out, a table
        of contents built from the ``<h2>``/``<h3>`` headings, plotly.js
        carried once (packed) when a chart is present, and the record in ``<meta>``,
        JSON and the footer.
    """
    nb = copy.deepcopy(nb)
    lifted = lift_record(nb) or {}
    record = {**lifted, **(record or {})}
    record.setdefault("nrlib_version", VERSION)
    page_title = title or record.get("title") or "Báo cáo"
    banner = None
    if record.get("is_sample"):
        banner = labels.sample_notice(record.get("sample_marker") or load_outline().sample_marker)
    resources = {"nrlib": {
        "title": page_title,
        "plotly": plotly_resources() if has_plotly(nb) else None,
        "record_json": _json_for_script(record),
        "footer": _footer_rows({**record, "title": page_title}),
        "meta": _meta_rows(record),
        "sample_banner": banner,
        "nrlib_version": VERSION,
    }}
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return insert_toc(body)


class _Headings(HTMLParser):
    """Collect (level, id, text) of h2/h3 elements carrying an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[int, str, str]] = []
        self._cur: list | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h2", "h3"):
            ident = dict(attrs).get("id")
            self._cur = [int(tag[1]), ident, []] if ident else None

    def handle_endtag(self, tag):
        if tag in ("h2", "h3") and self._cur is not None:
            text = " ".join("".join(self._cur[2]).split()).rstrip("¶").strip()
            self.items.append((self._cur[0], self._cur[1], text))
            self._cur = None

    def handle_data(self, data):
        if self._cur is not None:
            self._cur[2].append(data)


def headings(page: str) -> list[tuple[int, str, str]]:
    """``(level, id, text)`` of each ``<h2>``/``<h3>`` with an id, in order."""
    p = _Headings()
    p.feed(page)
    return p.items


def insert_toc(page: str) -> str:
    """Put a "Mục lục" list linking every h2/h3 at the last TOC marker; drop the other markers.

    The template puts a marker at the top of the page; a report's title
    block (:func:`nrlib.present.fragments.title_block`) ends with one, so the table
    of contents comes right after the title. Markers cannot come from
    submission text, which is escaped.
    """
    if TOC_MARKER not in page:
        return page
    items = headings(page)
    head, _, tail = page.rpartition(TOC_MARKER)
    page = head.replace(TOC_MARKER, "") + TOC_MARKER + tail
    if not items:
        return page.replace(TOC_MARKER, "", 1)
    lis = "\n".join(
        f'<li class="h{level}"><a href="#{html.escape(ident, quote=True)}">{html.escape(text)}</a></li>'
        for level, ident, text in items)
    nav = f'<nav class="toc" aria-label="Mục lục"><details open><summary>Mục lục</summary><ul>\n{lis}\n</ul></details></nav>'
    return page.replace(TOC_MARKER, nav, 1)


def write_html(page: str, path: str | Path) -> Path:
    """Write ``page`` atomically (:func:`nrlib.core.files.atomic_write`)."""
    return atomic_write(path, page)


# --------------------------------------------------------------------------- offline check

_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*([^'")\s]+)""", re.IGNORECASE)
_LOCAL_OK = re.compile(r"^\s*(?:data:|#|about:blank)", re.IGNORECASE)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attr in ("src", "href", "srcset", "poster", "data", "action", "formaction", "background"):
            v = a.get(attr)
            if v is None:
                continue
            if tag == "a" and attr == "href":
                continue  # a link the reader may follow is not a load
            self.refs.append((f"<{tag} {attr}>", v))
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.refs.append(("<meta refresh>", a.get("content") or ""))
        if a.get("style"):
            for m in _CSS_URL.finditer(a["style"]):
                self.refs.append((f"<{tag} style>", m.group(1)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            for m in _CSS_URL.finditer(data):
                self.refs.append(("<style>", m.group(1)))


def offline_violations(page: str) -> list[str]:
    """Everything in ``page`` that would make the browser load something from elsewhere.

    Method: parse the page; every ``src``/``href`` (except ``<a href>``,
    which only navigates when clicked) and every CSS ``url()``/``@import``
    must be a ``data:`` URI or an in-page ``#fragment``. Script *contents*
    are not scanned (the plotly.js bundle mentions URLs in comments and error
    texts): the browser test checks that no request leaves the page.

    Returns
    -------
    list of str
        ``"<script src>: https://..."`` style descriptions; empty when offline.
    """
    p = _Refs()
    p.feed(page)
    return [f"{where}: {ref}" for where, ref in p.refs if not _LOCAL_OK.match(ref)]


def remote_references(page: str) -> list[str]:
    """The subset of :func:`offline_violations` that are network URLs (``http(s)://``, ``//host``)."""
    return [v for v in offline_violations(page) if _URL.match(v.split(": ", 1)[1])]
