"""The note to the Thường trực Huyện ủy: 1–2 pages in the official layout, written from the store's data.

Method. The wording is the template ``templates/documents/note.yaml``; the layout, the header blocks, the
placeholders (period, campaign, the district's names) and the list of late and missing xã, thị trấn are the
báo cáo's (:mod:`nrlib.documents.report`), the sentences the narrative module's
(:mod:`nrlib.present.narrative`: who reported and when, the money mobilised, the criteria reached and
maintained). The proposed form of the district's review is the settings' ``district.review_form``, the
addressee ``district.addressee.note``. The proposals are counted and costed by
:func:`nrlib.analysis.awards.award_budget` from the award table (``data/reference/awards.csv``): names of
award forms are filled from the registry, amounts in đồng, and the rates are said to need checking while
the table marks them unverified. Only counts of proposals are printed: no individual's name.

:func:`note_table` gives the table as data, so a test can compare it with the analysis.
"""

from __future__ import annotations

import datetime as dt

from nrlib import config
from nrlib.analysis.awards import award_budget, budget_total
from nrlib.core import labels
from nrlib.core.version import __version__
from nrlib.core.vnformat import fmt_data_version, fmt_date_long, fmt_dong, fmt_number
from nrlib.documents import report
from nrlib.documents.layout import OfficialDocument, Table
from nrlib.documents.settings import DocumentSettings
from nrlib.present import narrative
from nrlib.reference.awards import fill_award_text, load_awards

KIND = "note"
TEMPLATE = config.PACKAGE_DIR / "templates" / "documents" / "note.yaml"


def load_template() -> dict:
    """The note's template (wording), cached while the file is unchanged."""
    return report.load_template(TEMPLATE)


def words(ds, settings: DocumentSettings, date: dt.date | None = None) -> dict[str, str]:
    """The report's placeholders, this document's code, the addressee and the proposed form of review."""
    doc_type = settings.document_type(KIND)
    return {**report.words(ds, settings, date), "doc_code": f"{doc_type['code']}-{settings.front['body_code']}",
            "addressee": str((settings.district.get("addressee") or {}).get(KIND) or "").strip(),
            "review_form": " ".join(str(settings.district.get("review_form") or "").split())}


def _award_words(ds, settings: DocumentSettings) -> dict[str, str]:
    """``{district}`` and ``{province}`` of the award names, as prose writes them (registry names)."""
    names = report.district_words(ds, settings)
    return {"district": names["district_in_text"], "province": names["province_in_text"]}


def note_table(ds, settings: DocumentSettings, awards=None, proposals=None) -> tuple[Table, dict]:
    """The proposals by award form (rows of the award table, then forms typed outside it) with a total row.

    Returns
    -------
    (Table, dict)
        The table, caption without its number (``{n}``); and the figures the text says: ``n_collective``,
        ``n_individual``, ``total`` (đồng, the forms with a known rate), ``unknown`` (forms typed outside
        the award table) and ``verified`` (every rate used is verified).
    """
    awards = load_awards(outline=ds.outline) if awards is None else awards
    spec = load_template()["table"]
    budget = award_budget(ds, awards, proposals)
    names = dict(zip(awards["award_form"], awards["name"]))
    aw = _award_words(ds, settings)
    rows = []
    for i, r in enumerate(budget.itertuples(), 1):
        name = fill_award_text(names[r.award_form], aw) if r.known else str(r.award_form)
        amount = fmt_number(r.amount, 0) if r.known else spec["unknown_amount"]
        rows.append([str(i), name, str(r.n_collective), str(r.n_individual), amount])
    total = budget_total(budget)
    rows.append(["", spec["total_row"], str(int(budget["n_collective"].sum())), str(int(budget["n_individual"].sum())),
                 fmt_number(total, 0)])
    used = awards[awards["award_form"].isin(budget.loc[budget["n"] > 0, "award_form"])]
    verified = bool(used["verified"].all())
    salaries = "; ".join(fmt_dong(float(b)) for b in sorted(set(awards["base_salary"])))
    note = (spec["note_verified"] if verified else spec["note_unverified"]).format(base_salary=salaries)
    unknown = [str(f) for f in budget.loc[~budget["known"] & (budget["n"] > 0), "award_form"]]
    if unknown:
        note += " " + spec["unknown_forms"].format(forms="”, “".join(unknown))
    table = Table(spec["caption"], list(spec["columns"]), rows, list(spec["widths_cm"]), numeric={2, 3, 4},
                  note=" ".join(note.split()), bold_rows={len(rows) - 1})
    return table, {"n_collective": int(budget["n_collective"].sum()), "n_individual": int(budget["n_individual"].sum()),
                   "total": total, "unknown": unknown, "verified": verified}


def build_note(ds, settings: DocumentSettings, date: dt.date | None = None,
               cache: dict | None = None) -> OfficialDocument:
    """The note to the Thường trực Huyện ủy as an :class:`~nrlib.documents.layout.OfficialDocument`.

    Parameters
    ----------
    ds : Dataset
        One district, with at least one submission.
    settings : DocumentSettings
    date : date, optional
        The date in the date line; default blank.
    cache : dict, optional
        Shares the analyses with the other documents.
    """
    cache = {} if cache is None else cache
    tpl = load_template()
    w = words(ds, settings, date)
    front, nat = settings.front, settings.national
    doc_type = settings.document_type(KIND)

    def fill(key: str, **kw) -> str:
        return " ".join(str(tpl[key]).split()).format(**w, **kw)

    def say(sentences) -> None:
        for s in sentences:
            if s is not None:
                doc.paragraph(s.text)

    doc = OfficialDocument(settings.layout)
    subject = fill("subject")
    notice = labels.sample_notice(ds.outline.sample_marker) if ds.is_sample else None
    doc.header(parent_lines=[front["parent"], w["district_caps"]], body=front["body"],
               number=f"Số:      /{w['doc_code']}", national=nat["title"], motto=nat["motto"],
               date_line=fmt_date_long(date, w["place"]), notice=notice)
    doc.title(doc_type["name"], subject)
    doc.addressee(fill("addressee"))
    doc.paragraph(fill("opening"))

    heads = tpl["headings"]
    doc.heading(heads["received"])
    say([narrative.reporting_sentence(ds, cache=cache)])
    report.late_and_missing(doc, ds, report.load_template(), cache)

    doc.heading(heads["results"])
    say([narrative.money_sentence(ds, cache=cache)])
    say(narrative.criteria_sentences(ds, cache=cache))
    say([narrative.maintenance_sentence(ds, cache=cache)])

    doc.heading(heads["review"])
    doc.paragraph(fill("review"))

    doc.heading(heads["awards"])
    decided = cache.get("dossier")
    applied = decided is not None and decided.decisions_path is not None
    table, figures = note_table(ds, settings, proposals=decided.decided if applied else None)
    if figures["n_collective"] + figures["n_individual"]:
        doc.paragraph(fill("awards_sentence_decided" if applied else "awards_sentence",
                           n_collective=figures["n_collective"], n_individual=figures["n_individual"],
                           total=fmt_dong(figures["total"]), n=1,
                           n_proposed=len(decided.decided) if applied else 0))
        table.caption = table.caption.format(n=1)
        doc.table(table)
    else:
        doc.paragraph(fill("no_proposals"))
    doc.paragraph(fill("request"))
    doc.paragraph(fill("closing"))
    doc.signature(recipients=settings.recipients(KIND), on_behalf=front["on_behalf"], title=front["signer_title"],
                  signer_name=str(settings.district.get("signer_name") or ""))
    doc.properties(title=f"{doc_type['name'].capitalize()} {subject[:1].lower()}{subject[1:]}", subject=subject,
                   comments=f"Lập bằng nrlib {__version__} từ kho dữ liệu, phiên bản dữ liệu "
                            f"{fmt_data_version(ds.data_version)}")
    return doc
