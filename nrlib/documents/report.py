"""The district's báo cáo sơ kết: its body written from the store's data, in the official layout.

Method. The wording and the order of the parts are the template ``templates/documents/report.yaml``; the
parts follow the outline's DanhGia sections. Every figure comes from the analyses of
:mod:`nrlib.analysis` (``campaign_totals`` and ``rates`` at district and unit level, ``criteria_matrix``,
``criteria_reached``, ``classify_maintenance``, ``maintenance_summary``, ``timeliness_table``) and is
formatted by :mod:`nrlib.core.vnformat` with a fixed number of decimals per column (by the metric's unit,
:func:`nrlib.core.vnformat.decimals_for`, as in the HTML reports; counts none). Sentences are the narrative module's
(:mod:`nrlib.present.narrative`). The qualitative parts (ưu điểm, hạn chế, nguyên nhân, bài học, phương
hướng, kiến nghị, and what each content achieved) are pre-filled with what every xã, thị trấn wrote for
that section, each passage under its commune's name, highlighted and introduced by a bracketed note for
the officer to edit. No individual's name from a commendation proposal is printed: such a name found in a
commune's text is replaced by :data:`nrlib.core.labels.PERSONAL_REDACTED`.

:func:`report_tables` gives the tables as data (:class:`nrlib.documents.layout.Table`), so a test can
compare them with the analyses cell by cell; :func:`build_report` writes the document.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata

import pandas as pd

from nrlib import config
from nrlib.analysis import campaign, maintenance, results, reviews, scoring, urban
from nrlib.analysis.quality import timeliness_table
from nrlib.analysis.ranking import personal_names
from nrlib.core import labels
from nrlib.core.version import __version__
from nrlib.core.vnformat import (MISSING, decimals_for, fmt_data_version, fmt_date, fmt_date_long, fmt_number,
                                 fmt_percent, fmt_quantity)
from nrlib.documents.layout import OfficialDocument, Table, clean_text
from nrlib.documents.settings import DocumentSettings
from nrlib.present import narrative, partners
from nrlib.present.scoring import class_text, points_text, self_cell, unit_self_status
from nrlib.reference.scoring import load_scoring_table

KIND = "report"
TEMPLATE = config.PACKAGE_DIR / "templates" / "documents" / "report.yaml"


@functools.lru_cache(maxsize=2)
def _template_cached(path: str, mtime: float) -> dict:
    with open(path, encoding="utf-8") as fh:
        return config.load_yaml(fh)


def load_template(path=TEMPLATE) -> dict:
    """The report's template (wording and structure), cached while the file is unchanged."""
    import copy
    from pathlib import Path

    return copy.deepcopy(_template_cached(str(path), Path(path).stat().st_mtime))


# ---------------------------------------------------------------------- names of the district in prose


def district_words(ds, settings: DocumentSettings) -> dict[str, str]:
    """How the district is named: ``district_name`` (registry), ``district_caps`` (the header's line),
    ``district_in_text`` (``huyện Thống Nhất``), ``district_short`` (``huyện``: its type), ``place``, and its
    province as prose names it (``province_in_text``: ``tỉnh Đồng Nai``)."""
    name = str(ds.units["district_name"].iloc[0])
    place = settings.place(name)
    kind = name[: len(name) - len(place)].strip() if name.endswith(place) else ""
    return {"district_name": name, "district_caps": name.upper(), "district_in_text": _lower_first(name),
            "district_short": kind.lower() or _lower_first(name), "place": place,
            "province_in_text": _lower_first(str(ds.units["province_name"].iloc[0]))}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if len(text) > 1 and text[1:2].islower() else text


def words(ds, settings: DocumentSettings, date: dt.date | None = None) -> dict[str, str]:
    """Every placeholder of the template: period, campaign, the district's names, the body, the date."""
    years = ds.outline.years
    doc_type = settings.document_type(KIND)
    return {**district_words(ds, settings), "n_years": f"{len(years):02d}", "first": str(years[0]),
            "last": str(years[-1]), "campaign": str(ds.outline.raw["campaign"]),
            "body_in_text": settings.front["body_in_text"], "deadline": fmt_date(ds.deadline),
            "doc_code": f"{doc_type['code']}-{settings.front['body_code']}", "date": fmt_date_long(date)}


# ---------------------------------------------------------------------- numbers


def decimals(unit: str, integer: bool, layout: dict | None = None) -> int:
    """Decimals of a metric's column: none for a count, else by its unit (:func:`nrlib.core.vnformat.decimals_for`,
    the rule the HTML reports follow too)."""
    return decimals_for(unit, integer)


def metric_text(value, unit: str, integer: bool, layout: dict) -> str:
    """A metric's figure in a table cell (its unit is in the column or row header)."""
    if value is None or pd.isna(value):
        return MISSING
    return fmt_number(float(value), decimals(unit, integer, layout))


def rate_text(value, layout: dict) -> str:
    """A rate in a table cell: ``89,96%``."""
    if value is None or pd.isna(value):
        return MISSING
    return fmt_percent(float(value), decimals_for("%"), trim=False)


# ---------------------------------------------------------------------- the tables


def _fill(text: str, **kw) -> str:
    return text.format(**kw)


def report_tables(ds, settings: DocumentSettings, cache: dict | None = None) -> dict[str, list[Table]]:
    """The report's tables as data, captions without their numbers filled (``{n}``).

    Returns
    -------
    dict
        ``campaign``, ``rates``, ``criteria`` (the body's, one table each) and ``annex`` (the per-commune
        tables in order: criteria by year, maintenance, campaign results in parts, rates in parts,
        submissions), each a list of :class:`~nrlib.documents.layout.Table`.
    """
    cache = {} if cache is None else cache
    tpl, layout = load_template(), settings.layout
    w = words(ds, settings)
    first, last = ds.outline.years[0], ds.outline.years[-1]
    metrics = ds.outline.metrics.set_index("code")
    unit_names = dict(zip(ds.units["unit_code"], ds.units["name"]))
    order = list(ds.units["unit_code"])
    m_labels = labels.MAINTENANCE
    classes = {k: m_labels[k] for k in maintenance.CLASSES}
    out: dict[str, list[Table]] = {}

    # Bảng: the campaign's results for the district (flows: the period's total; stocks: year-end levels)
    spec = tpl["tables"]["campaign"]
    tot = campaign.campaign_totals(ds, "district", cache)
    n_with_data = narrative.n_reporting(ds)
    rows = []
    for i, r in enumerate(tot.itertuples(), 1):
        integer, unit = bool(metrics.loc[r.code, "integer"]), str(r.unit)
        label = str(r.label) + _partial(tpl, r.n_units, n_with_data)
        rows.append([str(i), label, unit, metric_text(r.value_first_year, unit, integer, layout),
                     metric_text(r.value_last_year, unit, integer, layout),
                     metric_text(r.value_period, unit, integer, layout) if r.kind == "flow" else ""])
    out["campaign"] = [Table(_fill(spec["caption"], n="{n}", **w), [_fill(c, **w) for c in spec["columns"]], rows,
                             spec["widths_cm"], numeric={3, 4, 5}, note=spec["note"])]

    # Bảng: the district's rates by year, recomputed from summed numerators and denominators
    spec = tpl["tables"]["rates"]
    rt = campaign.rates(ds, "district", cache=cache)
    years = list(ds.outline.years)
    rows = []
    for i, r in enumerate(ds.outline.rates.itertuples(), 1):
        mine = rt[rt["code"] == r.code].set_index("year")
        got = mine["rate"]
        n_last = int(mine["n_units"].get(years[-1], 0)) if len(mine) else 0
        label = str(r.label) + (_partial(tpl, n_last, n_with_data) if n_last else "")
        rows.append([str(i), label] + [rate_text(got.get(y), layout) for y in years])
    cols = [spec["columns"][0], spec["columns"][1]] + [_fill(spec["columns"][2], year=y) for y in years]
    widths = spec["widths_cm"][:2] + [spec["widths_cm"][2]] * len(years)
    out["rates"] = [Table(_fill(spec["caption"], n="{n}", **w), cols, rows, widths,
                          numeric=set(range(2, 2 + len(years))), note=spec["note"])]

    # Bảng: per criterion, how many xã reached it in the first and last year, and how they maintained it
    spec = tpl["tables"]["criteria"]
    matrix = results.criteria_matrix(ds, cache)
    reached = matrix[matrix["status"] == "reached"].groupby(["criterion_no", "year"]).size()
    cls = maintenance.classify_maintenance(ds, cache)
    counts = cls.groupby(["criterion_no", "maintenance_class"]).size()
    crit = results.criteria_list(ds)
    rows = []
    shown = ("kept", "gained", "lost", "lost_and_regained")
    for r in crit.itertuples():
        c = int(r.criterion_no)
        rows.append([str(c), str(r.criterion_name), str(int(reached.get((c, first), 0))),
                     str(int(reached.get((c, last), 0)))] + [str(int(counts.get((c, k), 0))) for k in shown])
    out["criteria"] = [Table(_fill(spec["caption"], n="{n}", n_criteria=len(crit), **w),
                             [_fill(col, **w, **classes) for col in spec["columns"]], rows, spec["widths_cm"],
                             numeric=set(range(2, 8)), note=spec["note"])]

    out["annex"] = _annex_tables(ds, settings, cache, tpl, w, order, unit_names, classes)
    return out


def _annex_tables(ds, settings, cache, tpl, w, order, unit_names, classes) -> list[Table]:
    layout = settings.layout
    spec_all = tpl["annex"]["tables"]
    years = list(ds.outline.years)
    last = years[-1]
    metrics = ds.outline.metrics.set_index("code")
    na_label = ds.outline.choice_label("criterion_status", "not_applicable")
    total_label = _fill(tpl["annex"]["total_row"], **w)
    tables: list[Table] = []

    spec = spec_all["criteria_by_year"]
    reached = results.criteria_reached(ds, cache).set_index(["unit_code", "year"])
    # a town's (ward's) urban years by its own standard, as the reports show them, never "Không áp dụng"
    town = urban.urban_reached(ds, cache).set_index(["unit_code", "year"])
    rows = []
    for i, code in enumerate(order, 1):
        row = [str(i), narrative.with_former_names(ds, code)]     # the row spans years the unit had another name
        for y in years:
            r = reached.loc[(code, y)]
            if r["n_applicable"] == 0 and (code, y) in town.index:
                u = town.loc[(code, y)]
                row.append(labels.urban_cell(u["n_reached"], u["n_criteria"], u["n_missing"]))
            elif r["n_applicable"] == 0:
                row.append(na_label)
            elif r["n_missing"] == r["n_applicable"]:
                row.append(labels.STATUS_MISSING)
            else:
                row.append(_fill(spec["reached"], n_reached=int(r["n_reached"]), n_applicable=int(r["n_applicable"])))
        rows.append(row)
    cols = spec["columns"][:2] + [_fill(spec["columns"][2], year=y) for y in years]
    tables.append(Table(_fill(spec["caption"], n="{n}", **w), cols, rows,
                        spec["widths_cm"][:2] + [spec["widths_cm"][2]] * len(years),
                        centered=set(range(2, 2 + len(years))), annex=True))

    spec = spec_all["maintenance"]
    ms = maintenance.maintenance_summary(ds, cache).set_index("unit_code")
    cls = maintenance.classify_maintenance(ds, cache)
    n_crit = len(results.criteria_list(ds))
    lost = (cls[cls["maintenance_class"].isin(["lost", "lost_and_regained"])].sort_values("criterion_no")
            .groupby("unit_code")["criterion_no"].agg(lambda s: ", ".join(str(int(c)) for c in s)))
    shown = ("kept", "gained", "lost", "lost_and_regained", "never")
    rows = []
    for i, code in enumerate(order, 1):
        known = code in ms.index and ms.loc[code, "no_data"] < n_crit - ms.loc[code, "not_applicable"]
        row = [str(i), unit_names[code]] + [str(int(ms.loc[code, k])) if known else MISSING for k in shown]
        row.append(lost.get(code, "") if known else MISSING)
        rows.append(row)
    tables.append(Table(_fill(spec["caption"], n="{n}", **w), [_fill(c, **classes) for c in spec["columns"]], rows,
                        spec["widths_cm"], numeric=set(range(2, 7)), annex=True))

    spec = spec_all["campaign"]
    flows = [c for c in metrics.index if metrics.loc[c, "kind"] == "flow"]
    unit_tot = campaign.campaign_totals(ds, "unit", cache).set_index(["unit_code", "code"])["value_period"]
    dist_tot = campaign.campaign_totals(ds, "district", cache).set_index("code")["value_period"]
    parts = [flows[i:i + spec["per_table"]] for i in range(0, len(flows), spec["per_table"])]
    for k, part in enumerate(parts, 1):
        fmt = {c: (str(metrics.loc[c, "unit"]), bool(metrics.loc[c, "integer"])) for c in part}
        rows = [[str(i), unit_names[code]] + [metric_text(unit_tot.get((code, c)), *fmt[c], layout) for c in part]
                for i, code in enumerate(order, 1)]
        rows.append(["", total_label] + [metric_text(dist_tot.get(c), *fmt[c], layout) for c in part])
        cols = spec["columns"][:2] + [_fill(spec["columns"][2], metric=_short(metrics.loc[c, "label"]),
                                            unit=metrics.loc[c, "unit"]) for c in part]
        tables.append(Table(_fill(spec["caption"], n="{n}", part=k, parts=len(parts), **w), cols, rows,
                            spec["widths_cm"][:2] + [spec["widths_cm"][2]] * len(part),
                            numeric=set(range(2, 2 + len(part))), bold_rows={len(rows) - 1}, annex=True))

    spec = spec_all["rates"]
    rdefs = list(ds.outline.rates.itertuples())
    unit_rt = campaign.rates(ds, "unit", years=[last], cache=cache).set_index(["unit_code", "code"])["rate"]
    dist_rt = campaign.rates(ds, "district", years=[last], cache=cache).set_index("code")["rate"]
    parts = [rdefs[i:i + spec["per_table"]] for i in range(0, len(rdefs), spec["per_table"])]
    for k, part in enumerate(parts, 1):
        rows = [[str(i), unit_names[code]] + [rate_text(unit_rt.get((code, r.code)), layout) for r in part]
                for i, code in enumerate(order, 1)]
        rows.append(["", total_label] + [rate_text(dist_rt.get(r.code), layout) for r in part])
        cols = spec["columns"][:2] + [_fill(spec["columns"][2], rate=r.label) for r in part]
        tables.append(Table(_fill(spec["caption"], n="{n}", part=k, parts=len(parts), **w), cols, rows,
                            spec["widths_cm"][:2] + [spec["widths_cm"][2]] * len(part),
                            numeric=set(range(2, 2 + len(part))), bold_rows={len(rows) - 1}, annex=True))

    spec = spec_all["reviews"]
    rv = reviews.own_reviews(ds).set_index("unit_code")
    subs = ds.submissions[ds.submissions["is_current"].astype(bool)] if "is_current" in ds.submissions.columns \
        else ds.submissions
    version = dict(zip(subs["unit_code"], subs["outline_version"]))
    forms = {c["value"]: c["label"] for c in ds.outline.choices("review_form")} \
        if "review_form" in ds.outline.raw["choices"] else {}
    rows = []
    for i, code in enumerate(order, 1):
        r = rv.loc[code]
        sent = code in version
        count = lambda v: fmt_number(float(v)) if pd.notna(v) else MISSING  # noqa: E731
        if sent and r["reported"]:
            rows.append([str(i), unit_names[code], forms.get(r["review_form"], MISSING),
                         fmt_date(r["review_date"]) if r["review_date"] else MISSING, count(r["review_attendance"]),
                         count(r["own_awards_collective"]), count(r["own_awards_individual"]), str(version[code])])
        else:
            rows.append([str(i), unit_names[code], spec["not_reported"] if sent else MISSING] + [MISSING] * 4
                        + [str(version[code]) if sent else MISSING])
    tables.append(Table(_fill(spec["caption"], n="{n}", **w), spec["columns"], rows, spec["widths_cm"],
                        numeric={4, 5, 6}, centered={3, 7}, annex=True))

    tables.append(_scores_table(ds, cache, spec_all["scores"], w, order, unit_names))

    spec = spec_all["submissions"]
    tl = timeliness_table(ds, cache).set_index("unit_code")
    rows = []
    for i, code in enumerate(order, 1):
        t = tl.loc[code]
        sent = t["timeliness"] != "missing"
        rows.append([str(i), unit_names[code], fmt_date(t["first_received_date"]) if sent else MISSING,
                     labels.TIMELINESS_CELL[t["timeliness"]], str(int(t["days_late"])) if sent else MISSING,
                     str(int(t["n_versions"])) if sent else MISSING,
                     labels.SUBMISSION_CELL.get(t["latest_status"], MISSING) if sent else MISSING])
    tables.append(Table(_fill(spec["caption"], n="{n}", **w), spec["columns"], rows, spec["widths_cm"],
                        numeric={4, 5}, centered={2, 3}, annex=True))
    return tables


def _scores_table(ds, cache, spec: dict, w: dict, order: list[str], unit_names: dict) -> Table:
    """Per commune: its own score, the district's verified points over the contents scored, the score out of 100
    and the class (:func:`nrlib.analysis.scoring.unit_scores`), as the district report shows them; a commune not
    scored (it sent nothing accepted) has dashes."""
    table = load_scoring_table()
    us = scoring.unit_scores(ds, cache).set_index("unit_code")
    own = unit_self_status(scoring.content_scores(ds, cache))
    rows = []
    for i, code in enumerate(order, 1):
        if code not in us.index:
            rows.append([str(i), unit_names[code]] + [MISSING] * 5)
            continue
        r = us.loc[code]
        status = own.get(code, "not_asked")
        # a column keeps its decimals ("68,00" under "71,84"), as the district report's table does
        pts = lambda x: fmt_quantity(x, "điểm", with_unit=False)  # noqa: E731
        rows.append([str(i), unit_names[code], pts(r["self_points"]) if status == "scored" else self_cell(status, None),
                     pts(r["points"]), points_text(r["max_points"]), pts(r["score_100"]),
                     class_text(r["class_label"], bool(r["provisional"]))])
    council = [c.code for c in table.contents if c.by_council]
    note = _fill(spec["note"], unverified="" if table.verified else spec["unverified"],
                 council=_fill(spec["council"], contents=", ".join(council)) if council else ".",
                 blank=labels.cell(labels.SELF_SCORE_BLANK), not_asked=labels.cell(labels.NO_SELF_SCORE))
    return Table(_fill(spec["caption"], n="{n}", **w), spec["columns"], rows, spec["widths_cm"],
                 numeric={2, 3, 4, 5}, annex=True, note=note)


def _partial(tpl: dict, n: int, total: int) -> str:
    """`` (4/9 xã, thị trấn có số liệu)`` after a figure that fewer communes than sent data gave (a metric an earlier
    outline version did not ask for); nothing when every one did, or none."""
    return _fill(tpl["partial"], n=int(n), total=int(total)) if 0 < int(n) < int(total) else ""


def _short(label: str) -> str:
    """A metric's label without its parenthesised details, for a column header."""
    return str(label).split(" (")[0]


# ---------------------------------------------------------------------- what the communes wrote


def redact(text: str, names: list[str]) -> str:
    """``text`` with every personal name of ``names`` replaced by :data:`~nrlib.core.labels.PERSONAL_REDACTED`
    (matched after Unicode normalisation, ignoring case)."""
    out = unicodedata.normalize("NFC", text)
    for name in sorted(names, key=len, reverse=True):
        n = unicodedata.normalize("NFC", name).strip()
        if len(n) >= 2:
            out = re.sub(re.escape(n).replace(r"\ ", r"\s+"), labels.PERSONAL_REDACTED, out, flags=re.IGNORECASE)
    return out


def compiled_passages(ds, section_code: str, names: list[str] | None = None) -> list[tuple[str, str]]:
    """What each xã, thị trấn wrote for one DanhGia section: ``[(commune name, text)]`` in registry order,
    blank texts left out, cleaned (:func:`~nrlib.documents.layout.clean_text`) and with personal names
    (``names``, default :func:`~nrlib.analysis.ranking.personal_names`) redacted."""
    names = personal_names(ds) if names is None else names
    n = ds.narratives
    n = n[n["section_code"].astype(str) == str(section_code)]
    texts = dict(zip(n["unit_code"], n["text"]))
    out = []
    for code, name in zip(ds.units["unit_code"], ds.units["name"]):
        text = texts.get(code)
        if text is None or pd.isna(text) or not clean_text(text):
            continue
        out.append((str(name), redact(clean_text(text), names)))
    return out


# ---------------------------------------------------------------------- the document


def build_report(ds, settings: DocumentSettings, date: dt.date | None = None,
                 cache: dict | None = None) -> OfficialDocument:
    """The district's báo cáo sơ kết as an :class:`~nrlib.documents.layout.OfficialDocument`.

    Parameters
    ----------
    ds : Dataset
        One district (:func:`nrlib.store.load_dataset`), with at least one submission.
    settings : DocumentSettings
    date : date, optional
        The date in the date line; default blank, for the office to fill.
    cache : dict, optional
        Shares the analyses between calls (:mod:`nrlib.core.memo`).
    """
    cache = {} if cache is None else cache
    tpl = load_template()
    w = {**words(ds, settings, date)}
    front, nat = settings.front, settings.national
    doc_type = settings.document_type(KIND)
    sections = {s["code"]: s["title"] for s in ds.outline.sheet("DanhGia")["sections"]}
    names = personal_names(ds)
    tables = report_tables(ds, settings, cache)
    numbers = iter(range(1, 100))

    doc = OfficialDocument(settings.layout)
    subject = _fill(tpl["subject"], **w)
    notice = labels.sample_notice(ds.outline.sample_marker) if ds.is_sample else None
    doc.header(parent_lines=[front["parent"], w["district_caps"]], body=front["body"],
               number=f"Số:      /{w['doc_code']}", national=nat["title"], motto=nat["motto"],
               date_line=fmt_date_long(date, w["place"]), notice=notice)
    doc.title(doc_type["name"], subject)
    for line in settings.basis(KIND):
        doc.paragraph(line, italic=True)
    doc.paragraph(_fill(" ".join(tpl["opening"].split()), **w))

    def put_table(key: str) -> None:
        for t in tables[key]:
            t.caption = t.caption.format(n=next(numbers))
            doc.table(t)

    def section(code: str) -> None:
        doc.compiled(tpl["compiled_note"], compiled_passages(ds, code, names), tpl["nothing_compiled"])

    def say(sentences) -> None:
        for s in sentences:
            if s is not None:
                doc.paragraph(s.text)

    def figures(item: dict) -> None:
        """The item's flow metrics and rates as sentences (codes the outline lacks are skipped)."""
        known = set(ds.outline.metrics["code"])
        flows = [c for c in item.get("metrics", []) if c in known]
        if flows:
            say([narrative.flows_sentence(ds, flows, cache=cache, lead=tpl["flows_lead"])])
        if item.get("rates"):
            known_rates = set(ds.outline.rates["code"])
            say(narrative.rate_sentences(ds, [c for c in item["rates"] if c in known_rates], cache=cache))

    for part in tpl["parts"]:
        code = part.get("section")
        title = sections.get(code, "")
        doc.heading(_fill(part["heading"], section_title_caps=title.upper(), **w))
        if part.get("tables"):
            doc.paragraph(_fill(tpl["tables_intro"], **w))
            for key in part["tables"]:
                put_table(key)
        if code:
            section(code)
        for k, item in enumerate(part.get("items", []), 1):
            content = item.get("content")
            if content:
                wording = settings.raw["campaign_contents"].get(content, sections.get(content, ""))
                doc.heading(f"{k}. {' '.join(str(wording).split())}")
                if item.get("money"):
                    say([narrative.money_sentence(ds, cache=cache)])
                figures(item)
                section(content)
                continue
            doc.heading(_fill(item["heading"], **w))
            if item.get("reporting"):
                say([narrative.reporting_sentence(ds, cache=cache)])
                late_and_missing(doc, ds, tpl, cache)
            if item.get("reviews"):
                say([narrative.own_reviews_sentence(ds)])
            if item.get("criteria"):
                say(narrative.criteria_sentences(ds, cache=cache))
                say([narrative.maintenance_sentence(ds, cache=cache)])
                # which status is counted, when the coordination office's is in the data (none without it)
                say(partners.status_sentences(ds, who=narrative.units_phrase(ds), cache=cache))
            figures(item)
            for key in item.get("tables", []):
                put_table(key)
            if item.get("section"):
                section(item["section"])
            for sub in item.get("subitems", []):
                passages = compiled_passages(ds, sub["section"], names)
                if sub.get("optional") and not passages:
                    continue
                doc.heading(_fill(sub["heading"], **w))
                doc.compiled(tpl["compiled_note"], passages, tpl["nothing_compiled"])
    doc.paragraph(_fill(" ".join(tpl["closing"].split()), **w))
    doc.signature(recipients=settings.recipients(KIND), on_behalf=front["on_behalf"], title=front["signer_title"],
                  signer_name=str(settings.district.get("signer_name") or ""))
    a = tpl["annex"]
    doc.annex(a["heading"], a["subtitle"], _fill(a["attached"], **w))
    numbers = iter(range(1, 100))
    put_table("annex")
    doc.properties(title=f"{doc_type['name'].capitalize()} {subject[:1].lower()}{subject[1:]}", subject=subject,
                   comments=f"Lập bằng nrlib {__version__} từ kho dữ liệu, phiên bản dữ liệu "
                            f"{fmt_data_version(ds.data_version)}")
    return doc


def late_and_missing(doc: OfficialDocument, ds, tpl: dict, cache: dict) -> None:
    """Which xã, thị trấn sent late (and by how many days) and which sent nothing, by name."""
    tl = timeliness_table(ds, cache)
    late = [_fill(tpl["late_unit"], unit=r.name, days=int(r.days_late))
            for r in tl[tl["timeliness"] == "late"].itertuples()]
    missing = list(tl.loc[tl["timeliness"] == "missing", "name"])
    if late:
        doc.paragraph(_fill(tpl["late_units"], units="; ".join(late)))
    if missing:
        doc.paragraph(_fill(tpl["missing_units"], units="; ".join(missing)))
