"""The index page of a reports folder: every report with its link, status, duration and size."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Iterable

from nrlib.core import labels
from nrlib.reference.outline import sample_marker
from nrlib.reports.jobs import KIND_LABEL, NOTEBOOKS, ReportResult

_HTML_PATH = re.compile(r"^(units|district)/[0-9]{2,6}_[a-z0-9-]+\.html$")


def earlier_results(out_dir: str | Path, exclude: Iterable[ReportResult] = ()) -> list[ReportResult]:
    """Reports of an earlier run still in ``out_dir``, from the old ``index.html`` (so a partial run keeps them listed).

    Method: read the JSON record of the previous index page; keep the
    successful reports whose HTML file is still there and that this run did
    not render again (``exclude``: same kind and code). The record is our
    own file but is read as data: a malformed one is ignored, and a path
    that is not a report path of this layout is dropped.
    """
    out = Path(out_dir)
    index = out / "index.html"
    if not index.is_file():
        return []
    m = re.search(r'<script type="application/json" id="nrlib-report">(.*?)</script>',
                  index.read_text(encoding="utf-8"), re.S)
    try:
        rows = json.loads(m.group(1))["reports"] if m else []
    except (ValueError, KeyError, TypeError):
        return []
    seen = {(r.kind, r.code) for r in exclude}
    fields = set(ReportResult.__dataclass_fields__)
    kept = []
    for row in rows if isinstance(rows, list) else []:
        try:
            r = ReportResult(**{k: v for k, v in row.items() if k in fields})
        except TypeError:
            continue
        if (r.ok and r.kind in NOTEBOOKS and (r.kind, r.code) not in seen and isinstance(r.html, str)
                and _HTML_PATH.match(r.html) and (out / r.html).is_file()):
            kept.append(r)
    return kept


def write_index(results: list[ReportResult], out_dir: str | Path, *, duration_s: float | None = None,
                now: dt.datetime | None = None, earlier: list[ReportResult] = ()) -> Path:
    """Write ``index.html``: every report with its link, status, duration and size (all text escaped).

    ``earlier`` are reports of a previous run still on disk (:func:`earlier_results`): listed too, marked so.
    """
    from nrlib.core.vnformat import fmt_data_version, fmt_datetime, fmt_number
    from nrlib.reports.html_export import TEMPLATE_DIR, TEMPLATE_NAME, write_html

    out = Path(out_dir)
    now = now or dt.datetime.now()
    css = (TEMPLATE_DIR / TEMPLATE_NAME / "report.css").read_text(encoding="utf-8")
    e = html.escape
    n_ok = sum(r.ok for r in results)
    old = {id(r) for r in earlier}
    listed = list(results) + list(earlier)
    versions = sorted({r.data_version for r in listed if r.data_version})
    sample = any(r.is_sample for r in listed)
    order = sorted(listed, key=lambda r: (r.kind != "district", r.code))
    rows, failures = [], []
    for r in order:
        if r.ok:
            link = f'<a href="{e(r.html, quote=True)}">{e(r.name)}</a>'
            status = '<span class="status-ok">Hoàn thành</span>'
            if id(r) in old:
                status += ' <span class="tag">lần chạy trước</span>'
        else:
            link = e(r.name)
            status = f'<a class="status-failed" href="#loi-{e(r.kind, quote=True)}-{e(r.code, quote=True)}">Lỗi</a>'
            nb = (f' <a href="{e(r.failed_notebook, quote=True)}">Notebook lỗi</a>.' if r.failed_notebook else "")
            failures.append(f'<li id="loi-{e(r.kind, quote=True)}-{e(r.code, quote=True)}"><strong>{e(r.name)} '
                            f"({e(r.code)})</strong>: {e(r.failure_text())}.{nb}</li>")
        size = f"{fmt_number((r.size_bytes or 0) / 1e6, 2)} MB" if r.size_bytes else "–"
        rows.append(f"<tr><td class=\"num\">{e(r.code)}</td><td>{link}</td><td>{e(KIND_LABEL[r.kind])}</td>"
                    f"<td>{status}</td><td class=\"num\">{fmt_number(r.duration_s, 1)} giây</td>"
                    f"<td class=\"num\">{size}</td></tr>")
    failure_block = (f'<div class="callout bad" role="note"><strong>Báo cáo lỗi</strong><ul>{"".join(failures)}</ul>'
                     "</div>") if failures else ""
    banner = (f'<div class="sample-banner" role="note">{e(labels.sample_notice(sample_marker()))}</div>'
              if sample else "")
    summary = f"Lần chạy này: {n_ok}/{len(results)} báo cáo hoàn thành"
    if duration_s is not None:
        summary += f" trong {fmt_number(duration_s, 1)} giây"
    if earlier:
        summary += f"; danh sách giữ thêm {len(earlier)} báo cáo của lần chạy trước"
    record = {"kind": "index", "generated_at": now.isoformat(timespec="seconds"), "data_versions": versions,
              "reports": [dict(asdict(r), earlier=id(r) in old) for r in order]}
    record_json = json.dumps(record, ensure_ascii=False, default=str).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Danh sách báo cáo</title>
<style>
{css}
</style>
<script type="application/json" id="nrlib-report">{record_json}</script>
</head>
<body>
{banner}
<main class="report">
<h1>Danh sách báo cáo</h1>
<p>{e(summary)}. Phiên bản dữ liệu: {e(", ".join(fmt_data_version(v) for v in versions) or "–")}. Lập lúc {e(fmt_datetime(now))}.</p>
<div class="table-wrap"><table>
<thead><tr><th class="num">Mã</th><th>Báo cáo</th><th>Loại</th><th>Trạng thái</th><th class="num">Thời gian chạy</th><th class="num">Dung lượng</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table></div>
{failure_block}
</main>
</body>
</html>
"""
    return write_html(page, out / "index.html")
