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
from nrlib.analysis.ranking import commendation_ranking, load_ranking_config
from nrlib.analysis.results import criteria_list, criteria_reached, units_all_reached
from nrlib.analysis.reviews import own_reviews_summary
from nrlib.analysis.timeliness import reporting_rates
from nrlib.core.memo import outline_table
from nrlib.core.vnformat import fmt_date, fmt_money_million, fmt_number, fmt_percent, fmt_quantity

MONEY_UNIT = "triệu đồng"
_DISTRICT_TOTALS = "campaign.campaign_totals(level='district'), value_2016_2020"


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
    rows = {r["code"]: r for r in totals[["code", "label", "unit", "value_2016_2020"]].to_dict("records")}
    parts = [rows[m] for m in metrics if m in rows and pd.notna(rows[m]["value_2016_2020"])]
    if not parts:
        return None
    total = float(sum(r["value_2016_2020"] for r in parts))
    figures = {"total": total, **{r["code"]: float(r["value_2016_2020"]) for r in parts}}
    detail = "; ".join(f"{_lower_first(r['label'])} {_amount(r['value_2016_2020'], r['unit'])}" for r in parts)
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
    f = totals[(totals["kind"] == "flow") & ~totals["code"].isin(exclude) & totals["value_2016_2020"].notna()]
    if f.empty:
        return None
    parts = [f"{_lower_first(r.label)}: {_amount(r.value_2016_2020, r.unit)}"
             + (f" ({partial_note(r.n_units, n_units, words)})" if n_units and r.n_units < n_units else "")
             for r in f.itertuples()]
    return Sentence(f"{lead}: " + "; ".join(parts) + ".",
                    {r.code: float(r.value_2016_2020) for r in f.itertuples()}, source)


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
        out.append(Sentence(
            f"Năm {last} có {outside} thị trấn, phường không thuộc diện áp dụng bộ tiêu chí xã nông thôn mới; những "
            f"năm không áp dụng không được tính là sụt chuẩn.",
            {f"n_units_not_applicable_{last}": outside}, "results.criteria_reached (n_applicable = 0)"))
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
        The whole district (the ranking places the unit among the others).
    unit_code : str
    cache : dict, optional
        Shares intermediate tables between calls (:mod:`nrlib.core.memo`): with
        one cache for all units of a report, the tables are computed once.

    Returns
    -------
    list of Sentence
        In order: report received, money mobilised (total and per household),
        criteria reached, maintenance, rates, place in the commendation
        ranking.
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
    when += ", đúng hạn" if t["timeliness"] == "on_time" else f", chậm {int(t['days_late'])} ngày so với hạn"
    out.append(Sentence(when + ".", {"first_received_date": t["first_received_date"],
                                     "days_late": int(t["days_late"])}, "quality.timeliness_table"))

    totals = campaign_totals(ds, "unit", cache)
    ut = totals[totals["unit_code"] == unit_code]
    money = money_metric_codes()
    ph = per_household(ds, cache)
    hh = ph.loc[ph["unit_code"] == unit_code, "households_2020"]
    s = _money_sentence(ut, money, period, mid, "campaign.campaign_totals(level='unit'), value_2016_2020",
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
        if y == last:
            text = f"Năm {last}, {mid} đạt {n_r}/{n_a} tiêu chí xã nông thôn mới."
        else:
            text = (f"Năm {y} (năm cuối cùng áp dụng bộ tiêu chí xã nông thôn mới), {mid} đạt {n_r}/{n_a} tiêu chí; "
                    f"từ năm {y + 1}, {mid} không thuộc diện áp dụng.")
        out.append(Sentence(text, {"year": y, "n_reached": n_r, "n_applicable": n_a}, "results.criteria_reached"))
        cls = classify_maintenance(ds, cache)
        cls = cls[cls["unit_code"] == unit_code]
        counts = cls["maintenance_class"].value_counts()
        lost = [int(c) for c in cls.loc[cls["maintenance_class"] == "lost", "criterion_no"].sort_values()]
        figs = {k: int(counts.get(k, 0)) for k in ("kept", "gained", "lost", "lost_and_regained", "never")}
        text = (f"Trong giai đoạn, {mid} giữ vững {figs['kept']} tiêu chí, đạt thêm {figs['gained']} tiêu chí; "
                f"{figs['lost_and_regained']} tiêu chí sụt chuẩn rồi đạt lại; ")
        text += (f"{figs['lost']} tiêu chí sụt chuẩn và chưa đạt lại (tiêu chí " + ", ".join(map(str, lost)) + ")."
                 if lost else "không có tiêu chí nào sụt chuẩn mà chưa đạt lại.")
        out.append(Sentence(text, {**figs, "lost_criteria": lost}, "maintenance.classify_maintenance"))

    rt = rates(ds, by="unit", years=[first, last], cache=cache)
    rate_codes = list(outline_table(ds, cache, "rates")["code"])
    out += _rate_sentences(rt[rt["unit_code"] == unit_code], rate_codes, first, last,
                           "campaign.rates(by='unit')")

    rk = commendation_ranking(ds, cache=cache)
    me = rk[rk["unit_code"] == unit_code]
    if len(me) and pd.notna(me["rank"].iloc[0]):
        rank, score = int(me["rank"].iloc[0]), float(me["score"].iloc[0])
        out.append(Sentence(
            f"Theo bảng điểm thi đua (gợi ý), {mid} xếp thứ {rank}/{len(rk)} {units_phrase(ds)} với "
            f"{fmt_number(score, 1)} điểm.", {"rank": rank, "n_ranked": len(rk), "score": score},
            "ranking.commendation_ranking"))
    return out
