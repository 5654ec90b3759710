"""The partners' figures in the reports: the sentence that says which status is counted, and the tables of
what differs from the communes' reports (:mod:`nrlib.analysis.partners`).

Every function returns ``""`` (or no sentence) when the dataset holds no partner data, so a report without
them is exactly what it was. Text from the workbooks (decision numbers) is escaped by the fragments.
"""

from __future__ import annotations

import pandas as pd

from nrlib.analysis import partners as analysis
from nrlib.core import labels
from nrlib.core.vnformat import fmt_date, fmt_number, fmt_percent
from nrlib.present import fragments
from nrlib.present.narrative import Sentence
from nrlib.reference import load_partners

_SOURCE = "nrlib.analysis.partners"


def _submission(ds, partner: str) -> dict | None:
    return next((p for p in ds.meta.get("partners") or [] if p.get("partner") == partner), None)


def _partner_words(ds, partner: str) -> dict:
    sub = _submission(ds, partner) or {}
    received = sub.get("received_date")
    return {"partner": load_partners().partner(partner)["name"], "version": sub.get("version") or "–",
            "received": fmt_date(received.date() if hasattr(received, "date") else received) if received is not None
            else "–"}


def _unit_prefix(ds, code: str, one_unit: bool) -> str:
    return "" if one_unit else f"{dict(zip(ds.units['unit_code'], ds.units['name'])).get(code, code)}, "


def _status_label(ds, status: str) -> str:
    return ds.outline.choice_label("criterion_status", status)


def _restrict(df: pd.DataFrame, unit_codes) -> pd.DataFrame:
    return df if unit_codes is None else df[df["unit_code"].isin(set(unit_codes))]


def status_sentences(ds, unit_codes=None, who: str = "xã, thị trấn", cache: dict | None = None) -> list[Sentence]:
    """"Tình trạng tiêu chí theo số liệu của Văn phòng điều phối …; có n trường hợp khác với báo cáo của xã: …"."""
    if not analysis.has_official_status(ds):
        return []
    words = _partner_words(ds, "coordination") | {"who": who}
    diff = _restrict(analysis.status_differences(ds, cache), unit_codes)
    out = [Sentence(labels.OFFICIAL_STATUS_NOTE.format(**words), {}, _SOURCE + ".status_sources")]
    if not len(diff):
        out.append(Sentence(labels.OFFICIAL_STATUS_SAME.format(**words), {"n_differences": 0},
                            _SOURCE + ".status_differences"))
        return out
    one = unit_codes is not None and len(set(unit_codes)) == 1
    items = [labels.OFFICIAL_STATUS_ITEM.format(
        unit=_unit_prefix(ds, r.unit_code, one), criterion_no=int(r.criterion_no), year=int(r.year), who=who,
        declared=_status_label(ds, r.declared_status), official=_status_label(ds, r.official_status))
        for r in diff.head(labels.DIFFERENCES_IN_SENTENCE).itertuples()]
    shown = "; ".join(items) + (" …" if len(diff) > labels.DIFFERENCES_IN_SENTENCE else "")
    out.append(Sentence(labels.OFFICIAL_STATUS_DIFFERENT.format(n=len(diff), items=shown, who=who),
                        {"n_differences": len(diff)}, _SOURCE + ".status_differences"))
    return out


def _element_label(ds, code: str, hamlet: str) -> str:
    metrics = ds.outline.metrics.set_index("code")["label"]
    rates = ds.outline.rates.set_index("code")["label"]
    label = str(metrics.get(code, rates.get(code, code)))
    return label.replace("ấp, khu phố", hamlet) if hamlet else label


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _culture_value(code: str, v) -> str:
    """A rate with two decimals (``96,10%``), a count whole (``3.771``)."""
    return fmt_percent(v, 2, trim=False) if code.startswith("R_") else fmt_number(v, 0)


def culture_sentences(ds, unit_codes=None, who: str = "xã, thị trấn", hamlet: str = "ấp, khu phố",
                      cache: dict | None = None) -> list[Sentence]:
    """The culture committee's counts beside the communes' own, and which differ."""
    if not analysis.has_official_values(ds):
        return []
    words = _partner_words(ds, "culture") | {"who": who, "hamlet": hamlet}
    diff = _restrict(analysis.culture_differences(ds, cache), unit_codes)
    out = [Sentence(labels.CULTURE_NOTE.format(**words), {}, _SOURCE + ".culture_comparison")]
    if not len(diff):
        out.append(Sentence(labels.CULTURE_SAME.format(**words), {"n_differences": 0}, _SOURCE + ".culture_differences"))
        return out
    one = unit_codes is not None and len(set(unit_codes)) == 1
    items = [labels.CULTURE_ITEM.format(unit=_unit_prefix(ds, r.unit_code, one), year=int(r.year), who=who,
                                        element=_lower_first(_element_label(ds, r.element, hamlet)),
                                        declared=_culture_value(r.element, r.declared),
                                        official=_culture_value(r.element, r.official))
             for r in diff.head(labels.DIFFERENCES_IN_SENTENCE).itertuples()]
    shown = "; ".join(items) + (" …" if len(diff) > labels.DIFFERENCES_IN_SENTENCE else "")
    out.append(Sentence(labels.CULTURE_DIFFERENT.format(n=len(diff), items=shown, who=who),
                        {"n_differences": len(diff)}, _SOURCE + ".culture_differences"))
    return out


def status_difference_table(ds, unit_codes=None, cache: dict | None = None) -> pd.DataFrame:
    """The differences between the declared and the official status, for display: the columns of
    :data:`nrlib.core.labels.STATUS_DIFFERENCE_COLUMNS` (``criterion`` as "15. Y tế", statuses as their labels)."""
    diff = _restrict(analysis.status_differences(ds, cache), unit_codes)
    return diff.assign(
        criterion=[f"{int(n)}. {t}" for n, t in zip(diff["criterion_no"], diff["criterion_name"])],
        declared=[_status_label(ds, v) for v in diff["declared_status"]],
        official=[_status_label(ds, v) for v in diff["official_status"]])[list(labels.STATUS_DIFFERENCE_COLUMNS)]


def criteria_section(ds, unit_codes=None, who: str = "xã, thị trấn", cache: dict | None = None) -> str:
    """The criteria section's paragraph on the official status, the table of differences and, for the
    district, the recognitions; ``""`` without the coordination office's data."""
    sentences = status_sentences(ds, unit_codes, who, cache)
    if not sentences:
        return ""
    words = _partner_words(ds, "coordination") | {"who": who}
    out = fragments.paragraph(" ".join(s.text for s in sentences))
    table = status_difference_table(ds, unit_codes, cache)
    if len(table):
        out += fragments.table(table, labels.STATUS_DIFFERENCE_COLUMNS, numeric=["year"],
                               caption=labels.STATUS_DIFFERENCE_CAPTION.format(**words))
    rec = _restrict(analysis.recognitions(ds), unit_codes)
    if len(rec):
        partners = load_partners()
        titles = {c["value"]: c["label"] for c in partners.choices("recognition")}
        rec = rec.assign(title=rec["title"].map(titles).fillna(rec["title"]))
        out += fragments.table(rec, labels.RECOGNITION_COLUMNS, numeric=["year"],
                               formats={"decision_date": fmt_date},
                               caption=labels.RECOGNITION_CAPTION.format(**words))
    return out


def culture_section(ds, unit_codes=None, who: str = "xã, thị trấn", hamlet: str = "ấp, khu phố",
                    cache: dict | None = None) -> str:
    """The paragraph and the table of the culture committee's figures that differ; ``""`` without its data."""
    sentences = culture_sentences(ds, unit_codes, who, hamlet, cache)
    if not sentences:
        return ""
    words = _partner_words(ds, "culture") | {"who": who, "hamlet": hamlet}
    out = fragments.paragraph(" ".join(s.text for s in sentences))
    diff = _restrict(analysis.culture_differences(ds, cache), unit_codes)
    if len(diff):
        table = diff.assign(
            element=[_element_label(ds, c, hamlet) for c in diff["element"]],
            declared=[_culture_value(c, v) for c, v in zip(diff["element"], diff["declared"])],
            official=[_culture_value(c, v) for c, v in zip(diff["element"], diff["official"])],
            difference=[_culture_value(c, v) for c, v in zip(diff["element"], diff["difference"])])
        out += fragments.table(table, labels.CULTURE_DIFFERENCE_COLUMNS,
                               numeric=["year", "declared", "official", "difference"],
                               caption=labels.CULTURE_DIFFERENCE_CAPTION.format(**words))
    return out
