"""Vietnamese sentences written from the numbers, each traceable to the figures it states.

Every :class:`Sentence` carries the raw figures it states (``figures``: name →
unrounded value) and the function and table they come from (``source``), so
a reader — or a test — can check a sentence against its table. Numbers are
formatted by :mod:`nrlib.core.vnformat` only; metric and rate names come from the
outline, so the sentences follow the outline rather than repeating it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from nrlib.analysis.campaign import campaign_totals, per_household, rates
from nrlib.analysis.maintenance import classify_maintenance, criteria_at_risk
from nrlib.analysis.quality import quality_flags, timeliness_table
from nrlib.analysis.ranking import load_ranking_config
from nrlib.analysis.results import criteria_list, criteria_reached, units_all_reached
from nrlib.analysis.scoring import content_scores, unit_scores
from nrlib.analysis.reviews import own_reviews_summary
from nrlib.analysis.timeliness import reporting_rates
from nrlib.analysis.urban import collects_for, urban_checks, urban_reached
from nrlib.core import labels
from nrlib.core.memo import outline_table
from nrlib.core.vnformat import fmt_date, fmt_money_million, fmt_number, fmt_percent, fmt_quantity
from nrlib.reference.urban import load_urban_criteria

MONEY_UNIT = "triệu đồng"
_DISTRICT_TOTALS = "campaign.campaign_totals(level='district'), value_period"


@dataclass
class Sentence:
    """One generated sentence.

    Attributes
    ----------
    text : str
        The Vietnamese sentence.
    figures : dict
        Name → raw value of every number the sentence states.
    source : str
        The function (and table, level, codes) the figures come from.
    """

    text: str
    figures: dict = field(default_factory=dict)
    source: str = ""


def _lower_first(label: str) -> str:
    """``"Kinh phí ..."`` → ``"kinh phí ..."``, leaving acronyms (``"NTM"``) alone."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _amount(value: float, unit: str) -> str:
    if unit == MONEY_UNIT:
        return fmt_money_million(value)
    return fmt_quantity(value, unit, trim=True)


#: the order official texts name unit types in ("các xã, phường, thị trấn")
_TYPE_ORDER = ("xa", "phuong", "thi_tran")


def units_phrase(ds) -> str:
    """How prose names the district's communes together, from the types they have: ``"xã, thị trấn"``,
    ``"xã"``, ``"xã, phường, thị trấn"`` (the Front's terminology rather than "đơn vị"); labels from the unit
    types reference (``unit_types.csv``)."""
    from nrlib.reference.units import unit_types

    label = dict(zip(unit_types()["unit_type"], unit_types()["label"]))
    present = set(ds.units["unit_type"].dropna().astype(str))
    if len(ds.unit_years):
        present |= set(ds.unit_years["unit_type"].dropna().astype(str))
    kinds = [t for t in _TYPE_ORDER if t in present] + sorted(present - set(_TYPE_ORDER))
    return ", ".join(label.get(t, t) for t in kinds) or "xã"


def unit_word(ds, unit_code: str) -> str:
    """The unit's type as prose names it now (``"xã"``, ``"thị trấn"``)."""
    from nrlib.reference.units import unit_types

    label = dict(zip(unit_types()["unit_type"], unit_types()["label"]))
    t = ds.units.loc[ds.units["unit_code"] == str(unit_code), "unit_type"]
    return label.get(str(t.iloc[0]), "xã") if len(t) else "xã"


def type_word(unit_type: str, key: str = "label") -> str:
    """A unit type's word from the unit types reference (``unit_types.csv``): ``label`` ("thị trấn"),
    ``hamlet_label`` (what its hamlets are called: "ấp" for a xã, "khu phố" for a thị trấn, phường),
    ``standard_label`` ("thị trấn đạt chuẩn văn minh đô thị") or ``standard_basis`` (the rule that sets
    it); the xã's when the type is unknown."""
    from nrlib.reference.units import unit_types

    t = unit_types().set_index("unit_type")
    row = t.loc[unit_type] if unit_type in t.index else t.loc["xa"] if "xa" in t.index else t.iloc[0]
    return str(row.get(key, "")) or str(t.iloc[0].get(key, ""))


def hamlet_word(ds, unit_code: str) -> str:
    """What the unit's hamlets are called now: ``"ấp"`` (a xã), ``"khu phố"`` (a thị trấn, phường)."""
    t = ds.units.loc[ds.units["unit_code"] == str(unit_code), "unit_type"]
    return type_word(str(t.iloc[0]) if len(t) else "xa", "hamlet_label")


#: the outline's wording for "a xã's ấp or a town's khu phố" (VD16, VD17, R_CULTURAL_HAMLET)
_HAMLETS_GENERIC = "ấp, khu phố"


def for_unit_type(text: str, unit_type: str) -> str:
    """An outline label said of one unit: its generic "ấp, khu phố" as that unit's type names its hamlets
    (``"Tỷ lệ ấp, khu phố văn hóa"`` → ``"Tỷ lệ khu phố văn hóa"`` for a thị trấn)."""
    word = type_word(unit_type, "hamlet_label")
    return str(text).replace(_HAMLETS_GENERIC, word).replace(_HAMLETS_GENERIC.capitalize(), word.capitalize())


def _year_name(ds, unit_code: str, year: int) -> tuple[str, str]:
    """The unit's name and type in ``year`` (``ds.unit_years``), else today's (``ds.units``)."""
    uy = ds.unit_years
    hit = uy[(uy["unit_code"] == str(unit_code)) & (uy["year"].astype(int) == int(year))]
    if len(hit):
        return str(hit["name"].iloc[0]), str(hit["unit_type"].iloc[0])
    row = ds.units[ds.units["unit_code"] == str(unit_code)].iloc[0]
    return str(row["name"]), str(row["unit_type"])


def name_in(ds, unit_code: str, year: int) -> str:
    """How a sentence names the unit in ``year``: as it was then, with today's name when that differs —
    ``"xã Xuân Thạnh (nay là thị trấn Dầu Giây)"`` for 26326 in 2018, ``"xã Gia Kiệm"`` otherwise."""
    then, _ = _year_name(ds, unit_code, year)
    now = str(ds.units.loc[ds.units["unit_code"] == str(unit_code), "name"].iloc[0])
    return _lower_first(then) if then == now else f"{_lower_first(then)} (nay là {_lower_first(now)})"


def unit_periods(ds, unit_code: str) -> list[dict]:
    """The unit's spans of years with one name and type, in order: ``first, last, name, unit_type,
    ntm_applies`` each (``ds.unit_years``; one span of today's name when it has no row)."""
    uy = ds.unit_years[ds.unit_years["unit_code"] == str(unit_code)].sort_values("year")
    spans: list[dict] = []
    for r in uy.itertuples():
        key = (str(r.name), str(r.unit_type), bool(r.ntm_applies) if pd.notna(r.ntm_applies) else True)
        if spans and (spans[-1]["name"], spans[-1]["unit_type"], spans[-1]["ntm_applies"]) == key \
                and spans[-1]["last"] == int(r.year) - 1:
            spans[-1]["last"] = int(r.year)
        else:
            spans.append({"first": int(r.year), "last": int(r.year), "name": key[0], "unit_type": key[1],
                          "ntm_applies": key[2]})
    return spans


def with_former_names(ds, unit_code: str) -> str:
    """Today's name, followed by the names the unit had in earlier years of the period where they differ —
    ``"Thị trấn Dầu Giây (các năm 2016–2018: xã Xuân Thạnh)"`` —, for a table whose row spans every year."""
    now = str(ds.units.loc[ds.units["unit_code"] == str(unit_code), "name"].iloc[0])
    former = [f"{_years_text(s['first'], s['last'])}: {_lower_first(s['name'])}"
              for s in unit_periods(ds, unit_code) if s["name"] != now]
    return f"{now} ({'; '.join(former)})" if former else now


def _years_text(first: int, last: int) -> str:
    return f"năm {first}" if first == last else f"các năm {first}–{last}"


def _standard(unit_type: str) -> str:
    """The standard's name as official texts quote it: ``"Thị trấn đạt chuẩn văn minh đô thị"``."""
    label = type_word(unit_type, "standard_label")
    return f"“{label[:1].upper()}{label[1:]}”"


def history_text(ds, unit_code: str) -> str | None:
    """The unit's story in the period, when it was not one unit judged by one standard throughout: each span
    named as the unit was then and the standard it was judged by — ``"Các năm 2016–2018, xã Xuân Thạnh (nay
    là thị trấn Dầu Giây) được đánh giá theo bộ tiêu chí xã nông thôn mới (Quyết định 1980/QĐ-TTg …); từ
    năm 2019, thị trấn Dầu Giây được đánh giá theo tiêu chuẩn “Thị trấn đạt chuẩn văn minh đô thị” (Thông
    tư 02/2013/TT-BVHTTDL …)."``; None for a xã that stayed a xã."""
    spans = unit_periods(ds, unit_code)
    if not spans or (len(spans) == 1 and spans[0]["ntm_applies"]):
        return None
    years = ds.outline.years
    parts = []
    for i, sp in enumerate(spans):
        when = _years_text(sp["first"], sp["last"])
        if sp["last"] == years[-1] and sp["first"] != years[0]:
            when = f"từ năm {sp['first']}"
        who = name_in(ds, unit_code, sp["last"])
        what = ("bộ tiêu chí xã nông thôn mới" if sp["ntm_applies"] else f"tiêu chuẩn {_standard(sp['unit_type'])}")
        parts.append(f"{when}, {who} được đánh giá theo {what} ({type_word(sp['unit_type'], 'standard_basis')})")
    text = "; ".join(parts) + "."
    return text[:1].upper() + text[1:]


def _period(ds) -> tuple[int, int, str]:
    years = ds.outline.years
    return years[0], years[-1], f"{len(years)} năm ({years[0]} – {years[-1]})"


def _scope(ds, district_code: str | None, cache: dict | None):
    """The dataset restricted to one district (with the cache that fits it), and the word for it."""
    codes = ds.units["district_code"].dropna().unique()
    if district_code is None:
        if len(codes) > 1:
            raise ValueError(f"dữ liệu gồm {len(codes)} huyện: cần chọn một mã huyện / the dataset spans "
                             f"{len(codes)} districts: pass district_code")
        return ds, cache, "toàn huyện"
    if len(codes) == 1 and str(codes[0]) == str(district_code):
        return ds, cache, "toàn huyện"
    sub = ds.for_units(ds.units.loc[ds.units["district_code"] == str(district_code), "unit_code"])
    if sub.units.empty:
        raise ValueError(f"không có huyện mã {district_code!r} trong dữ liệu / no district {district_code!r}")
    return sub, None, "toàn huyện"


def _money_sentence(totals: pd.DataFrame, metrics: list[str], period: str, subject: str, source: str,
                    households: float | None = None) -> Sentence | None:
    rows = {r["code"]: r for r in totals[["code", "label", "unit", "value_period"]].to_dict("records")}
    parts = [rows[m] for m in metrics if m in rows and pd.notna(rows[m]["value_period"])]
    if not parts:
        return None
    total = float(sum(r["value_period"] for r in parts))
    figures = {"total": total, **{r["code"]: float(r["value_period"]) for r in parts}}
    detail = "; ".join(f"{_lower_first(r['label'])} {_amount(r['value_period'], r['unit'])}" for r in parts)
    text = f"Trong {period}, {subject} đã vận động được {fmt_money_million(total)}"
    if households and households > 0:
        figures["households"] = float(households)
        figures["per_household"] = total / households
        text += f", bình quân {fmt_quantity(total / households, MONEY_UNIT + '/hộ', with_unit=False, trim=True)} " \
                f"{MONEY_UNIT} mỗi hộ"
    text += f" (gồm: {detail})." if len(parts) > 1 else "."
    return Sentence(text, figures, source)


def _flows_sentence(totals: pd.DataFrame, exclude: list[str], source: str,
                    lead: str = "Các kết quả khác của cả giai đoạn", n_units: int | None = None,
                    words: str = "xã, thị trấn") -> Sentence | None:
    """``n_units``: the units with data; a figure that fewer of them gave (a metric an earlier outline version
    lacked) says how many it sums."""
    f = totals[(totals["kind"] == "flow") & ~totals["code"].isin(exclude) & totals["value_period"].notna()]
    if f.empty:
        return None
    parts = [f"{_lower_first(r.label)}: {_amount(r.value_period, r.unit)}"
             + (f" ({partial_note(r.n_units, n_units, words)})" if n_units and r.n_units < n_units else "")
             for r in f.itertuples()]
    return Sentence(f"{lead}: " + "; ".join(parts) + ".",
                    {r.code: float(r.value_period) for r in f.itertuples()}, source)


def _rate_sentences(rt: pd.DataFrame, order: list[str], first: int, last: int, source: str) -> list[Sentence]:
    rows = {(r["code"], r["year"]): r for r in rt[["code", "year", "label", "rate", "numerator", "denominator"]]
            .to_dict("records")}
    out = []
    for code in order:
        a, b = rows.get((code, first)), rows.get((code, last))
        if a is None or b is None or pd.isna(a["rate"]) or pd.isna(b["rate"]):
            continue
        r0, r1 = a["rate"], b["rate"]
        if round(r1, 2) == round(r0, 2):
            move = f"giữ ở mức {fmt_percent(r1)} từ năm {first} đến năm {last}"
        else:
            verb, prep = ("tăng", "lên") if r1 > r0 else ("giảm", "xuống")
            move = f"{verb} từ {fmt_percent(r0)} năm {first} {prep} {fmt_percent(r1)} năm {last}"
        out.append(Sentence(f"{b['label']} {move}.", {
            f"rate_{first}": float(r0), f"rate_{last}": float(r1),
            f"numerator_{first}": float(a["numerator"]), f"denominator_{first}": float(a["denominator"]),
            f"numerator_{last}": float(b["numerator"]), f"denominator_{last}": float(b["denominator"]),
        }, f"{source}, code={code}"))
    return out


def reporting_sentence(ds, district_code: str | None = None, cache: dict | None = None) -> Sentence:
    """How many xã, thị trấn reported, on time, late or not at all (:func:`nrlib.analysis.timeliness.reporting_rates`)."""
    ds, cache, _ = _scope(ds, district_code, cache)
    rr = reporting_rates(timeliness_table(ds, cache))
    text = (f"Đã nhận báo cáo của {rr['received']}/{rr['expected']} xã, thị trấn; {rr['on_time']} báo cáo gửi đúng "
            f"hạn (ngày {fmt_date(ds.deadline)})" + (f", {rr['late']} báo cáo gửi chậm" if rr["late"] else ""))
    text += f"; {rr['missing']} xã, thị trấn chưa gửi." if rr["missing"] else "."
    return Sentence(text, {k: rr[k] for k in ("expected", "received", "on_time", "late", "missing")},
                    "quality.timeliness_table + timeliness.reporting_rates")


def own_reviews_sentence(ds, district_code: str | None = None) -> Sentence | None:
    """How the xã, thị trấn held their own reviews (sheet SoKet, outline version 2:
    :func:`nrlib.analysis.reviews.own_reviews_summary`): by conference or written report, the delegates, what
    they commended themselves; None when no unit said (version 1 workbooks only)."""
    ds, _, _ = _scope(ds, district_code, None)
    s = own_reviews_summary(ds)
    if not s["n_reported"]:
        return None
    words = units_phrase(ds)
    parts = []
    if s["n_conference"]:
        part = f"{s['n_conference']} tổ chức hội nghị sơ kết"
        if s["attendance"] is not None:
            part += f" với {fmt_number(s['attendance'])} lượt đại biểu dự" + \
                (f" (số của {s['n_attendance']} hội nghị)" if s["n_attendance"] < s["n_conference"] else "")
        parts.append(part)
    if s["n_written_report"]:
        parts.append(f"{s['n_written_report']} xây dựng báo cáo bằng văn bản")
    text = f"Có {s['n_reported']} {words} báo cáo hình thức sơ kết: " + "; ".join(parts) + "."
    if s["n_own"]:
        own = [f"{fmt_number(s['own_collective'])} tập thể"] if s["own_collective"] is not None else []
        own += [f"{fmt_number(s['own_individual'])} cá nhân"] if s["own_individual"] is not None else []
        text += f" Các {words} đã khen thưởng " + " và ".join(own) + " có thành tích trong Cuộc vận động."
    return Sentence(text, {k: v for k, v in s.items() if v is not None}, "reviews.own_reviews_summary")


def money_metric_codes() -> list[str]:
    """The money mobilised: the metrics of the ranking's mobilisation component (``ranking.yaml``)."""
    return list(load_ranking_config()["components"]["mobilisation_per_household"]["metrics"])


def money_sentence(ds, district_code: str | None = None, cache: dict | None = None) -> Sentence | None:
    """The money the district mobilised over the period, in total and by source (:func:`money_metric_codes`)."""
    ds, cache, subject = _scope(ds, district_code, cache)
    _, _, period = _period(ds)
    return _money_sentence(campaign_totals(ds, "district", cache), money_metric_codes(), period, subject,
                           _DISTRICT_TOTALS)


def flows_sentence(ds, metrics: list[str] | None = None, district_code: str | None = None,
                   cache: dict | None = None, lead: str = "Các kết quả khác của cả giai đoạn") -> Sentence | None:
    """The period totals of flow metrics: ``metrics`` (outline codes), or every flow but the money mobilised.

    ``lead`` opens the sentence (``"Các kết quả khác của cả giai đoạn: …"``);
    ``None`` when none of the metrics has a value.
    """
    ds, cache, _ = _scope(ds, district_code, cache)
    totals = campaign_totals(ds, "district", cache)
    if metrics is None:
        exclude = money_metric_codes()
    else:
        order = {c: i for i, c in enumerate(metrics)}
        totals = totals[totals["code"].isin(metrics)].sort_values("code", key=lambda c: c.map(order), kind="stable")
        exclude = []
    return _flows_sentence(totals, exclude, _DISTRICT_TOTALS, lead, n_reporting(ds), units_phrase(ds))


def n_reporting(ds) -> int:
    """The units whose data the analyses have: those with a current (latest accepted) submission."""
    subs = ds.submissions
    if "is_current" in subs.columns:
        subs = subs[subs["is_current"].astype(bool)]
    return int(subs["unit_code"].nunique())


def partial_note(n: int, total: int, words: str = "xã, thị trấn") -> str:
    """``"số liệu của 4/9 xã, thị trấn"``: a figure summing fewer units than have data (what an earlier outline
    version did not ask for is missing for them, never zero)."""
    return f"số liệu của {int(n)}/{int(total)} {words}"


def rate_sentences(ds, codes: list[str] | None = None, district_code: str | None = None,
                   cache: dict | None = None) -> list[Sentence]:
    """How each district rate moved from the first to the last year (``codes``: outline rate codes, default all)."""
    ds, cache, _ = _scope(ds, district_code, cache)
    first, last, _ = _period(ds)
    codes = list(outline_table(ds, cache, "rates")["code"]) if codes is None else list(codes)
    return _rate_sentences(rates(ds, by="district", years=[first, last], cache=cache), codes, first, last,
                           "campaign.rates(by='district')")


def criteria_sentences(ds, district_code: str | None = None, cache: dict | None = None) -> list[Sentence]:
    """How many xã reached every criterion in the first and last year; how many units the criteria did not apply to."""
    ds, cache, _ = _scope(ds, district_code, cache)
    first, last, _ = _period(ds)
    out = []
    reached = criteria_reached(ds, cache)
    uar = units_all_reached(ds, cache).set_index("year")
    n_crit = int(criteria_list(ds)["criterion_no"].nunique())
    if last in uar.index and uar.at[last, "n_units_applicable"] > 0:
        a, n = int(uar.at[last, "n_units_all_reached"]), int(uar.at[last, "n_units_applicable"])
        text = f"Năm {last}, {a}/{n} xã thuộc diện áp dụng bộ tiêu chí xã nông thôn mới đạt đủ {n_crit} tiêu chí"
        figs = {f"n_units_all_reached_{last}": a, f"n_units_applicable_{last}": n, "n_criteria": n_crit}
        if first in uar.index and uar.at[first, "n_units_applicable"] > 0:
            a0, n0 = int(uar.at[first, "n_units_all_reached"]), int(uar.at[first, "n_units_applicable"])
            text += f" (năm {first}: {a0}/{n0} xã)"
            figs.update({f"n_units_all_reached_{first}": a0, f"n_units_applicable_{first}": n0})
        out.append(Sentence(text + ".", figs, "results.units_all_reached"))
    outside = int(((reached["year"] == last) & (reached["n_applicable"] == 0)).sum())
    if outside:
        out.append(_urban_district_sentence(ds, last, outside, cache))
    return out


#: up to this many towns and wards are named in the district's sentence; more are counted
_NAMED_URBAN = 3


def _urban_district_sentence(ds, year: int, outside: int, cache: dict | None) -> Sentence:
    """The towns and wards of ``year``: judged by their own standard, apart from the xã's count, never a loss."""
    ur = urban_reached(ds, cache)
    ur = ur[ur["year"] == year]
    figs = {f"n_units_not_applicable_{year}": outside, f"n_urban_units_{year}": len(ur),
            f"n_urban_reached_{year}": int(ur["all_reached"].fillna(False).astype(bool).sum()),
            f"n_urban_unknown_{year}": int(ur["all_reached"].isna().sum())}
    kinds = ", ".join(dict.fromkeys(type_word(t) for t in ur["unit_type"])) or "thị trấn, phường"
    std = _standard(str(ur["unit_type"].iloc[0])) if len(ur) and ur["unit_type"].nunique() == 1 else \
        "“Phường, thị trấn đạt chuẩn văn minh đô thị”"
    lead = (f"Năm {year}, " + ", ".join(_lower_first(str(n)) for n in ur["name"])
            if 0 < len(ur) <= _NAMED_URBAN else f"Năm {year}, {len(ur) or outside} {kinds}")
    text = (f"{lead} được đánh giá theo tiêu chuẩn {std}, không theo bộ tiêu chí xã nông thôn mới (không tính vào "
            f"số xã ở trên; những năm này không bao giờ tính là sụt chuẩn)")
    if len(ur) and figs[f"n_urban_unknown_{year}"] == len(ur) and (ur["n_missing"] == ur["n_criteria"]).all():
        text += ": chưa có số liệu đánh giá" + ("" if collects_for(ds, ur["unit_code"]) else
                                               " (biểu mẫu sơ kết không có phần tự đánh giá các tiêu chuẩn này)")
    elif len(ur):
        text += f": {figs[f'n_urban_reached_{year}']}/{len(ur)} đạt chuẩn"
        if figs[f"n_urban_unknown_{year}"]:
            text += f", {figs[f'n_urban_unknown_{year}']} chưa đủ số liệu để kết luận"
    return Sentence(text + ".", figs, "results.criteria_reached (n_applicable = 0) + urban.urban_reached")


def urban_sentences(ds, unit_code: str, cache: dict | None = None) -> list[Sentence]:
    """A town's (ward's) last urban year against its standard (:func:`nrlib.analysis.urban.urban_reached`), and
    what the campaign counts measure of it (:func:`nrlib.analysis.urban.urban_checks`); none for a xã.

    The unit is named as it was that year; "chưa có số liệu" when nothing was declared nor proven, never a
    count of 0.
    """
    ur = urban_reached(ds, cache)
    ur = ur[ur["unit_code"] == str(unit_code)]
    if ur.empty:
        return []
    r = ur.sort_values("year").iloc[-1]
    y, n = int(r["year"]), int(r["n_criteria"])
    std, who = _standard(str(r["unit_type"])), name_in(ds, unit_code, y)
    figs = {"year": y, **{k: int(r[k]) for k in ("n_reached", "n_not_reached", "n_missing", "n_criteria")}}
    if r["n_missing"] == n:
        text = f"Năm {y}, chưa có số liệu để đánh giá {who} theo {n} tiêu chuẩn {std}"
        text += "." if collects_for(ds, unit_code) else \
            " (biểu mẫu sơ kết không có phần tự đánh giá các tiêu chuẩn này)."
    elif r["n_reached"] == n:
        text = f"Năm {y}, {who} đạt đủ {n}/{n} tiêu chuẩn {std}."
    else:
        text = f"Năm {y}, {who} đạt {int(r['n_reached'])}/{n} tiêu chuẩn {std}"
        text += f"; {int(r['n_missing'])} tiêu chuẩn chưa có số liệu." if r["n_missing"] else "."
    out = [Sentence(text, figs, "urban.urban_reached")]

    chk = urban_checks(ds, cache)
    chk = chk[(chk["unit_code"] == str(unit_code)) & (chk["year"] == y) & chk["value"].notna()]
    if len(chk):
        crit = load_urban_criteria().set_index("indicator_code")
        rate_label = outline_table(ds, cache, "rates").set_index("code")["label"]
        open_parts, open_levels, proven, figs = [], [], [], {}
        for c in chk.itertuples():
            if c.measure in rate_label.index:       # a rate of the campaign counts: its label says "Tỷ lệ …"
                label = for_unit_type(rate_label[c.measure], str(r["unit_type"]))
                what = f"{_lower_first(label)} {fmt_percent(c.value)}"
            else:                                   # typed under the indicator's own code
                what = f"tỷ lệ {_lower_first(crit.loc[c.indicator_code, 'indicator_name'])} là {fmt_percent(c.value)}"
            level = f"{c.comparison} {fmt_percent(c.level, 0)}" if pd.notna(c.level) else None
            if level and pd.isna(c.meets):          # an upper bound at or above its floor: consistent, not proven
                open_parts.append(what)
                open_levels.append(level)
            else:
                proven.append(what + (f", {'đạt' if c.meets else 'chưa đạt'} mức {level}" if level else ""))
            figs[c.indicator_code] = float(c.value)
        parts = [", ".join(open_parts) + f" (mức của tiêu chuẩn: {', '.join(dict.fromkeys(open_levels))}, xét nhiều "
                 "năm liên tục, nên số liệu một năm chưa đủ để kết luận đạt)"] if open_parts else []
        out.append(Sentence(f"Số liệu năm {y}: " + "; ".join(parts + proven) + ".", figs, "urban.urban_checks"))
    return out


def maintenance_sentence(ds, district_code: str | None = None, cache: dict | None = None) -> Sentence:
    """Criteria lost over the period (sụt chuẩn), and the one lost most often (:func:`criteria_at_risk`)."""
    ds, cache, _ = _scope(ds, district_code, cache)
    _, last, _ = _period(ds)
    risk = criteria_at_risk(ds, cache)
    n_lost, n_lr = int(risk["n_units_lost"].sum()), int(risk["n_units_lost_and_regained"].sum())
    if n_lost + n_lr == 0:
        return Sentence("Trong giai đoạn, không xã nào bị sụt chuẩn tiêu chí đã đạt.",
                        {"n_lost": 0, "n_lost_and_regained": 0}, "maintenance.criteria_at_risk")
    top = risk.iloc[0]
    return Sentence(
        f"Trong giai đoạn, có {n_lost} lượt tiêu chí sụt chuẩn và chưa đạt lại vào năm {last}, {n_lr} lượt tiêu "
        f"chí sụt chuẩn rồi đạt lại; tiêu chí dễ sụt chuẩn nhất là tiêu chí {int(top['criterion_no'])} "
        f"({top['criterion_name']}), sụt chuẩn ở {int(top['n_units_at_risk'])} xã.",
        {"n_lost": n_lost, "n_lost_and_regained": n_lr, "top_criterion_no": int(top["criterion_no"]),
         "top_n_units_at_risk": int(top["n_units_at_risk"])}, "maintenance.criteria_at_risk")


def quality_sentence(ds, district_code: str | None = None, cache: dict | None = None) -> Sentence:
    """How many values the automatic checks flag for review (:func:`nrlib.analysis.quality.quality_flags`)."""
    ds, cache, _ = _scope(ds, district_code, cache)
    flags = quality_flags(ds, cache=cache)
    counts = flags["flag"].value_counts()
    n_o, n_y, n_d = (int(counts.get(k, 0)) for k in ("outlier", "yoy", "declared_vs_measured"))
    if not len(flags):
        return Sentence("Không có giá trị nào cần rà soát lại theo các phép kiểm tra tự động.",
                        {"n_flags": 0}, "quality.quality_flags")
    return Sentence(
        f"Có {len(flags)} giá trị cần rà soát lại: {n_o} giá trị khác xa các xã, thị trấn khác, {n_y} giá trị biến "
        f"động bất thường so với năm trước, {n_d} trường hợp tự đánh giá Đạt nhưng số liệu chưa đạt mức chuẩn.",
        {"n_flags": len(flags), "outlier": n_o, "yoy": n_y, "declared_vs_measured": n_d}, "quality.quality_flags")


def district_sentences(ds, district_code: str | None = None, cache: dict | None = None) -> list[Sentence]:
    """Sentences summing up a district's five years, for the district report.

    Parameters
    ----------
    ds : Dataset
    district_code : str, optional
        Needed when the dataset spans several districts.
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`); pass
        the same one to :func:`unit_sentences` for every unit of a report.

    Returns
    -------
    list of Sentence
        In order: reporting (:func:`reporting_sentence`), money mobilised
        (:func:`money_sentence`), other campaign results
        (:func:`flows_sentence`), rates (:func:`rate_sentences`), criteria
        reached (:func:`criteria_sentences`), criteria lost
        (:func:`maintenance_sentence`), flagged values
        (:func:`quality_sentence`). A sentence whose figures are all missing
        is left out rather than written with blanks.
    """
    ds, cache, _ = _scope(ds, district_code, cache)
    out: list[Sentence] = [reporting_sentence(ds, cache=cache)]
    out += [s for s in (money_sentence(ds, cache=cache), flows_sentence(ds, cache=cache)) if s]
    out += rate_sentences(ds, cache=cache)
    out += criteria_sentences(ds, cache=cache)
    out.append(maintenance_sentence(ds, cache=cache))
    out.append(quality_sentence(ds, cache=cache))
    return out


def unit_sentences(ds, unit_code: str, cache: dict | None = None) -> list[Sentence]:
    """Sentences summing up one unit's five years, for its page of the report.

    Parameters
    ----------
    ds : Dataset
        The whole district (the unit's own figures score it; the district gives the context).
    unit_code : str
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`): with
        one cache for all units of a report, the tables are computed once.

    Returns
    -------
    list of Sentence
        In order: report received, money mobilised (total and per household),
        criteria reached, maintenance, rates, points and class by the scoring
        table.
    """
    unit_code = str(unit_code)
    row = ds.units[ds.units["unit_code"] == unit_code]
    if row.empty:
        raise ValueError(f"không có đơn vị mã {unit_code!r} trong dữ liệu / no unit {unit_code!r} in the dataset")
    name = str(row["name"].iloc[0])
    mid = _lower_first(name)  # "xã Gia Kiệm" inside a sentence
    first, last, period = _period(ds)
    out: list[Sentence] = []

    tl = timeliness_table(ds, cache)
    t = tl[tl["unit_code"] == unit_code].iloc[0]
    if t["timeliness"] == "missing":
        out.append(Sentence(f"{name} chưa gửi báo cáo.", {"timeliness": "missing"}, "quality.timeliness_table"))
        return out
    when = f"{name} gửi báo cáo ngày {fmt_date(t['first_received_date'])}"
    unit = labels.DAYS_LATE_UNIT[t["days_counted"]]
    when += ", đúng hạn" if t["timeliness"] == "on_time" else f", chậm {int(t['days_late'])} {unit} so với hạn"
    out.append(Sentence(when + ".", {"first_received_date": t["first_received_date"],
                                     "days_late": int(t["days_late"])}, "quality.timeliness_table"))

    totals = campaign_totals(ds, "unit", cache)
    ut = totals[totals["unit_code"] == unit_code]
    money = money_metric_codes()
    ph = per_household(ds, cache)
    hh = ph.loc[ph["unit_code"] == unit_code, "households_last_year"]
    s = _money_sentence(ut, money, period, mid, "campaign.campaign_totals(level='unit'), value_period",
                        households=float(hh.iloc[0]) if len(hh) and pd.notna(hh.iloc[0]) else None)
    if s:
        out.append(s)

    reached = criteria_reached(ds, cache)
    app = reached[(reached["unit_code"] == unit_code) & (reached["n_applicable"] > 0)]
    if app.empty:
        out.append(Sentence(f"{name} không thuộc diện áp dụng bộ tiêu chí xã nông thôn mới trong giai đoạn.",
                            {"n_years_applicable": 0}, "results.criteria_reached"))
    else:
        r = app.sort_values("year").iloc[-1]
        y, n_r, n_a = int(r["year"]), int(r["n_reached"]), int(r["n_applicable"])
        # the unit as it was in its new-rural years: xã Xuân Thạnh (nay là thị trấn Dầu Giây), not the town
        then = name_in(ds, unit_code, y)
        if y == last:
            text = f"Năm {last}, {then} đạt {n_r}/{n_a} tiêu chí xã nông thôn mới."
        else:
            _, utype = _year_name(ds, unit_code, y + 1)
            text = (f"Năm {y} (năm cuối cùng áp dụng bộ tiêu chí xã nông thôn mới), {then} đạt {n_r}/{n_a} tiêu "
                    f"chí; từ năm {y + 1}, {name_in(ds, unit_code, y + 1)} được đánh giá theo tiêu chuẩn "
                    f"{_standard(utype)}.")
        out.append(Sentence(text, {"year": y, "n_reached": n_r, "n_applicable": n_a}, "results.criteria_reached"))
        cls = classify_maintenance(ds, cache)
        cls = cls[cls["unit_code"] == unit_code]
        counts = cls["maintenance_class"].value_counts()
        lost = [int(c) for c in cls.loc[cls["maintenance_class"] == "lost", "criterion_no"].sort_values()]
        figs = {k: int(counts.get(k, 0)) for k in ("kept", "gained", "lost", "lost_and_regained", "never")}
        y0 = int(app["year"].min())
        span = "Trong giai đoạn" if (y0, y) == (first, last) else f"Trong {_years_text(y0, y)}"
        text = (f"{span}, {then} giữ vững {figs['kept']} tiêu chí, đạt thêm {figs['gained']} tiêu chí; "
                f"{figs['lost_and_regained']} tiêu chí sụt chuẩn rồi đạt lại; ")
        text += (f"{figs['lost']} tiêu chí sụt chuẩn và chưa đạt lại (tiêu chí " + ", ".join(map(str, lost)) + ")."
                 if lost else "không có tiêu chí nào sụt chuẩn mà chưa đạt lại.")
        out.append(Sentence(text, {**figs, "lost_criteria": lost}, "maintenance.classify_maintenance"))
    out += urban_sentences(ds, unit_code, cache)

    rt = rates(ds, by="unit", years=[first, last], cache=cache)
    rate_codes = list(outline_table(ds, cache, "rates")["code"])
    out += _rate_sentences(rt[rt["unit_code"] == unit_code], rate_codes, first, last,
                           "campaign.rates(by='unit')")

    s = scoring_sentence(ds, unit_code, mid, cache)
    if s:
        out.append(s)
    return out


def scoring_sentence(ds, unit_code: str, subject: str, cache: dict | None = None) -> Sentence | None:
    """A unit's points and class by the scoring table (:func:`nrlib.analysis.scoring.unit_scores`), None when the
    unit is not scored: the points of the contents scored from its figures, out of their maximum, the score out
    of 100, the class, and which contents wait for the council (the class is then provisional)."""
    us = unit_scores(ds, cache)
    me = us[us["unit_code"] == unit_code]
    if me.empty or pd.isna(me["score_100"].iloc[0]):
        return None
    r = me.iloc[0]
    cs = content_scores(ds, cache)
    council = cs.loc[(cs["unit_code"] == unit_code) & (cs["status"] == "council"), "content_code"].tolist()
    text = (f"Theo bảng điểm thi đua, {subject} được {fmt_quantity(r['points'], 'điểm', with_unit=False, trim=True)}"
            f"/{fmt_quantity(r['max_points'], 'điểm', trim=True)} ở các nội dung chấm từ số liệu (quy về thang 100: "
            f"{fmt_quantity(r['score_100'], 'điểm', trim=True)}), "
            + (f"{labels.PROVISIONAL} {r['class_label']}; nội dung {', '.join(council)} do Hội đồng Thi đua – Khen "
               "thưởng chấm." if council else f"xếp loại {r['class_label']}."))
    return Sentence(text, {"points": float(r["points"]), "max_points": float(r["max_points"]),
                           "score_100": float(r["score_100"]), "class_code": r["class_code"],
                           "provisional": bool(r["provisional"]), "council_contents": council},
                    "scoring.unit_scores + scoring.content_scores")
