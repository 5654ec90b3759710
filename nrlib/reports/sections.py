"""What the two reports share: the analyses run once, labels, common sections.

:class:`nrlib.reports.unit.UnitReport` (one unit) and
:class:`nrlib.reports.district.DistrictReport` (a district) build on
:class:`Report`, which runs the analyses once (:mod:`nrlib.analysis.results`, :mod:`nrlib.analysis.maintenance`,
:mod:`nrlib.analysis.campaign`, :mod:`nrlib.analysis.thresholds`, :mod:`nrlib.analysis.quality`,
:mod:`nrlib.analysis.ranking`, :mod:`nrlib.present.narrative`) and return each section as
escaped HTML (:mod:`nrlib.present.fragments`) or as plotly figures
(:mod:`nrlib.present.figures`). The notebooks only call these methods in order, so
the reports' content is tested without a kernel.

Method notes that belong to the presentation:

* the district comparison of a unit's criteria count is the **mean over the
  district's units to which the criteria apply that year and that declared
  their results** (a town is not counted as a unit with 0 criteria, nor a
  unit that sent nothing);
* a value per household of a group of units is recomputed from sums,
  ``Σ value_period / Σ households_last_year`` over units having both, like
  every rate (:mod:`nrlib.analysis.campaign`), never the mean of the units' ratios;
* the money mobilised and the poverty rate shown first are those of the
  commendation ranking's configuration (``data/reference/ranking.yaml``);
  the other key figures and trends use :data:`KEY_METRICS` and
  :data:`TREND_RATES` (report design, not data); codes absent from the
  outline are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

import pandas as pd

from nrlib.analysis import campaign, maintenance, quality, results, thresholds, urban
from nrlib.core import checks, labels, vocab
from nrlib.core.vnformat import (MISSING, fmt_data_version, fmt_date, fmt_money_million, fmt_number, fmt_percent,
                                 fmt_quantity)
from nrlib.core.vocab import MISSING as MISSING_STATUS
from nrlib.present import fragments as present
from nrlib.present import narrative
from nrlib.reference.district_settings import day_count

#: flow metrics shown as key figures after the money mobilised (outline codes; skipped if absent)
KEY_METRICS = ("VD05", "VD08", "VD09")
#: rates charted per year, unit against district, after the ranking's poverty rate
TREND_RATES = ("R_CULTURAL_FAMILY",)


def money_metrics() -> list[str]:
    """The money mobilised: the metrics of the ranking's mobilisation component (``ranking.yaml``)."""
    from nrlib.analysis.ranking import load_ranking_config

    return list(load_ranking_config()["components"]["mobilisation_per_household"].get("metrics", []))


def trend_rates() -> list[str]:
    """Rates charted per year: the ranking's poverty rate (``ranking.yaml``), then :data:`TREND_RATES`."""
    from nrlib.analysis.ranking import load_ranking_config

    first = load_ranking_config()["components"]["poverty_reduction"].get("rate")
    return [first] + [r for r in TREND_RATES if r != first] if first else list(TREND_RATES)



def num(v, digits: int = 2) -> str:
    """A number as the reports print it: Vietnamese format, ``digits`` decimals at most."""
    return fmt_number(v, digits, trim=True)


def metric_value(v, unit: str, integer: bool) -> str:
    """A metric's value with its unit, as a card or a sentence shows it (money in triệu or tỷ đồng; other
    units with their decimals, :func:`nrlib.core.vnformat.fmt_quantity`); an en dash when missing."""
    if pd.isna(v):
        return MISSING
    if unit == "triệu đồng":
        return fmt_money_million(v)
    return fmt_quantity(v, unit, integer=integer, trim=True)


def metric_cell(v, unit: str, integer: bool) -> str:
    """A metric's value in a table cell (its unit in another column): the unit's decimals, kept to the last
    (:func:`nrlib.core.vnformat.fmt_quantity`), so a row of one metric aligns."""
    return fmt_quantity(v, unit, integer=integer, with_unit=False)


def rate_cell(v) -> str:
    """A rate (0–100) in a table cell under a "(%)" header: two decimals, kept."""
    return fmt_quantity(v, "%", with_unit=False)


def _urls(text: str) -> list[str]:
    """The web addresses a reference file's source cell cites."""
    return re.findall(r"https?://[^\s;,)\"]+", str(text))


def _status_labels(outline) -> dict[str, str]:
    """The outline's criterion-status labels, and the one for a status nobody declared."""
    out = {c["value"]: c["label"] for c in outline.choices("criterion_status")}
    out[MISSING_STATUS] = labels.STATUS_MISSING
    return out


ANALYSES = ("matrix", "reached", "criteria", "classes", "values", "unit_totals", "district_totals", "unit_rates",
            "district_rates", "per_household", "checks", "dvm", "timeliness_df", "completeness", "flags",
            "urban_matrix", "urban_reached", "urban_checks")


#: {id(dataset): (dataset, analyses)}: analyses computed before any report asked, by a kernel template for the
#: dataset it preloaded (:func:`nrlib.reports.warmstart.preload_dataset`), for the kernels it forks
_PRECOMPUTED: dict[int, tuple[object, dict]] = {}


def precompute_analyses(ds) -> None:
    """Compute :func:`run_analyses` of ``ds`` now, for every :class:`Report` later built on this very object."""
    _PRECOMPUTED[id(ds)] = (ds, run_analyses(ds))


def precomputed_analyses(ds) -> dict | None:
    """The analyses :func:`precompute_analyses` computed for exactly this dataset object, or None."""
    hit = _PRECOMPUTED.get(id(ds))
    return hit[1] if hit is not None and hit[0] is ds else None


def run_analyses(ds, cache: dict | None = None) -> dict:
    """Every analysis table the reports use, for ``ds`` (names: :data:`ANALYSES`).

    ``cache`` is the analyses' shared cache (:mod:`nrlib.core.memo`): pass the
    same dict to build several reports from one dataset in one process.
    """
    cache = {} if cache is None else cache
    return {
        "cache": cache,
        "matrix": results.criteria_matrix(ds, cache=cache),
        "reached": results.criteria_reached(ds, cache=cache),
        "criteria": results.criteria_list(ds),
        "classes": maintenance.classify_maintenance(ds, cache=cache),
        "values": campaign.campaign_values(ds, cache=cache),
        "unit_totals": campaign.campaign_totals(ds, "unit", cache=cache),
        "district_totals": campaign.campaign_totals(ds, "district", cache=cache),
        "unit_rates": campaign.rates(ds, "unit", cache=cache),
        "district_rates": campaign.rates(ds, "district", cache=cache),
        "per_household": campaign.per_household(ds, cache=cache),
        "checks": thresholds.threshold_checks(ds, cache=cache),
        "dvm": thresholds.declared_vs_measured(ds, cache=cache),
        "timeliness_df": quality.timeliness_table(ds, cache=cache),
        "completeness": quality.completeness(ds, cache=cache),
        "flags": quality.quality_flags(ds, cache=cache),
        "urban_matrix": urban.urban_matrix(ds, cache=cache),
        "urban_reached": urban.urban_reached(ds, cache=cache),
        "urban_checks": urban.urban_checks(ds, cache=cache),
    }


class Report:
    """Shared by the unit and the district report: analyses run once, common sections.

    ``analyses`` (from :func:`run_analyses`) may be passed when several
    reports are built from one dataset in one process.
    """

    kind = ""

    def __init__(self, ds, params, analyses: dict | None = None) -> None:
        self.ds = ds
        self.params = params
        self.outline = ds.outline
        self.years = list(ds.outline.years)
        self.first, self.last = self.years[0], self.years[-1]
        self.today = dt.date.today()
        self.status_labels = _status_labels(ds.outline)
        self.metrics = ds.outline.metrics.set_index("code")
        if analyses is None:   # a warm kernel's template ran them already (precompute_analyses)
            analyses = precomputed_analyses(ds) or run_analyses(ds)
        for name, table in analyses.items():
            setattr(self, name, table)
        first = ds.units.iloc[0]
        #: how prose names the communes together ("xã, thị trấn"), as Front documents do
        self.units = narrative.units_phrase(ds)
        self.district_name = str(first["district_name"])
        self.province_name = str(first["province_name"])
        self.unit_names = dict(zip(ds.units["unit_code"], ds.units["name"]))
        #: how prose names the units' hamlets (a unit report: that unit's word, "ấp" or "khu phố")
        self.hamlet = "ấp, khu phố"

    # ------------------------------------------------------------------ helpers

    def _facts_common(self) -> list[tuple[str, str]]:
        return [
            ("Giai đoạn", f"{self.first}–{self.last}"),
            ("Hạn nộp báo cáo", fmt_date(self.ds.deadline)),
            ("Ngày lập báo cáo", fmt_date(self.today)),
        ]

    def _district_per_household(self) -> pd.DataFrame:
        """Per flow metric: Σ value_period / Σ households_last_year over units having both."""
        ph = self.per_household.dropna(subset=["value_period", "households_last_year"])
        ph = ph[ph["households_last_year"] > 0]
        g = ph.groupby(["code", "label", "unit"], sort=False)
        out = pd.DataFrame({"value": g["value_period"].sum(), "households": g["households_last_year"].sum(),
                            "n_units": g.size()}).reset_index()
        out["per_household"] = out["value"] / out["households"]
        return out

    def _metric_order(self, codes: Iterable[str]) -> list[str]:
        known = list(self.metrics.index)
        return [c for c in codes if c in known]

    def methodology_common(self) -> str:
        rule = checks.OutlierRule.from_checks(self.outline.checks)
        m = labels.MAINTENANCE
        items = [
            f"Nguồn số liệu: biểu mẫu sơ kết các {self.units} gửi về (bản mới nhất đã được chấp nhận của mỗi "
            f"{self.units}).",
            f"Kết quả tiêu chí nông thôn mới là kết quả {self.units} tự đánh giá (Đạt / Chưa đạt). Ô để trống được ghi "
            f"\"{labels.STATUS_MISSING}\".",
            *self.urban_method_items(),
            f"Duy trì tiêu chí: xét các năm có kết quả Đạt/Chưa đạt theo thứ tự; \"{m['kept']}\" là đạt mọi năm, "
            f"\"{m['gained']}\" là chưa đạt lúc đầu rồi đạt và không mất lại, \"{m['lost']}\" là đã đạt nhưng cuối kỳ "
            f"chưa đạt, \"{m['lost_and_regained']}\" là có năm bị mất nhưng cuối kỳ đạt lại.",
            "Kết quả Cuộc vận động: chỉ tiêu phát sinh (kinh phí, km đường…) cộng các năm; chỉ tiêu thời điểm (số hộ, "
            f"số {self.hamlet}…) lấy số cuối năm. Số toàn huyện là tổng các {self.units}. Tỷ lệ của nhiều {self.units} được tính "
            "lại từ tổng tử số và tổng mẫu số, không lấy bình quân các tỷ lệ.",
            "Bình quân trên một hộ (chỉ cho kinh phí, đất hiến, ngày công) = tổng cả giai đoạn ÷ số hộ năm cuối kỳ; của "
            f"toàn huyện = tổng các {self.units} ÷ tổng số hộ của các {self.units} đó.",
            f"Đúng hạn: phiên bản đầu tiên nhận được trước hoặc đúng ngày {fmt_date(self.ds.deadline)}. "
            + day_count().method_text(),
            "Cảnh báo chất lượng số liệu (để rà soát, không phải kết luận; cũng là cảnh báo khi nhận biểu mẫu): giá "
            f"trị khác xa các {self.units} khác trong huyện (so trên số hộ, hoặc tỷ lệ so với tổng, khi cần): gấp "
            f"khoảng 8 lần trở lên, hoặc chỉ bằng khoảng 1/8 trở xuống, mức giữa của các {self.units} khác; biến "
            "động so với năm trước vượt biên độ của đề cương; tiêu chí tự đánh giá Đạt nhưng chỉ tiêu chưa đạt mức "
            "đã biết.",
        ]
        technical = [
            f"Phiên bản dữ liệu: {fmt_data_version(self.ds.data_version)}.",
            "Giá trị khác xa: điểm z bền vững của logarit (trung vị và độ lệch tuyệt đối trung vị của các "
            f"{self.units} khác, độ lệch tối thiểu {fmt_percent(100 * rule.mad_floor, 0)}; ngưỡng "
            f"{num(rule.z, 1) if rule.z is not None else MISSING}; cần ít nhất {rule.min_peers} {self.units} khác có "
            "số liệu).",
        ]
        return present.bullet_list(items) + present.details(labels.TECHNICAL_INFO, present.bullet_list(technical))

    def history_section(self, unit_codes: list[str] | None = None) -> str:
        """What the reference data does not know of the units' names and types in the period, said rather than
        guessed (:func:`nrlib.reference.units.history_unknown`); nothing when every unit-year is known."""
        from nrlib.reference.units import history_unknown, history_unknown_summary

        units = self.ds.units if unit_codes is None else self.ds.units[self.ds.units["unit_code"].isin(unit_codes)]
        years = list(self.outline.years)
        if unit_codes is None:
            text = history_unknown_summary(units, years)
        else:
            text = " ".join(history_unknown(units, years)["message"]) or None
        return present.paragraph(text, "note") if text else ""

    def levels_section(self, unit_codes: list[str] | None = None) -> str:
        """Levels used (with source confidence) and indicators without a known level."""
        lv = thresholds.unit_levels(self.ds, cache=self.cache)
        if unit_codes is not None:
            lv = lv[lv["unit_code"].isin(unit_codes)]
        crit = self.ds.criteria.drop_duplicates("indicator_code").set_index("indicator_code")
        if len(lv):
            t = (lv.groupby(["indicator_code", "comparison", "level", "scope", "confidence"], dropna=False)["year"]
                 .agg(present.year_ranges).reset_index())
            t["scope"] = t["scope"].map(self._scope_names()).fillna(t["scope"])
            t["name"] = t["indicator_code"].map(crit["indicator_name"])
            t["unit"] = t["indicator_code"].map(crit["unit"])
            t["level_text"] = [f"{c} {num(v)} {u}".strip() for c, v, u in zip(t["comparison"], t["level"], t["unit"])]
            t = t.sort_values("indicator_code", key=lambda s: s.map(lambda c: [int(p) for p in str(c).split(".")]))
            known = present.table(t, {"indicator_code": "Chỉ tiêu", "name": "Nội dung", "level_text": "Mức đạt chuẩn",
                                      "year": "Năm áp dụng", "scope": "Phạm vi", "confidence": "Độ tin cậy nguồn"},
                                  caption="Mức đạt chuẩn dùng để đối chiếu số liệu")
        else:
            known = present.paragraph("Không có mức đạt chuẩn định lượng nào được biết cho các đơn vị này.", "muted")
        unk = thresholds.unknown_levels(self.ds, cache=self.cache)
        unk = unk.assign(origin=unk["origin"].map(labels.ORIGINS).fillna(unk["origin"]),
                         years=unk["years_without_level"].map(
                             lambda s: present.year_ranges(y for y in str(s).split(", ") if y)))
        unknown = present.table(unk, {"indicator_code": "Chỉ tiêu", "indicator_name": "Nội dung", "origin": "Nguồn số liệu",
                                      "years": "Năm chưa biết mức"},
                                caption="Chỉ tiêu chưa biết mức đạt chuẩn: chỉ dựa vào tự đánh giá của đơn vị",
                                empty="Mọi chỉ tiêu đều có mức đạt chuẩn đã biết.")
        town = unit_codes is None or bool(set(unit_codes) & set(self.urban_matrix["unit_code"]))
        urban_note = ("; S – chỉ thấy trong bài báo tóm tắt văn bản, chưa đối chiếu văn bản gốc (tiêu chuẩn văn minh "
                      "đô thị)") if town and len(self.urban_matrix) else ""
        note = present.paragraph(
            "Độ tin cậy nguồn: V – đã đối chiếu văn bản gốc; V* – đã đối chiếu trước đây; V-partial – văn bản nêu yêu cầu "
            f"nhưng không ghi mức của vùng; U – chưa kiểm chứng (để trống, không suy đoán){urban_note}. Cán bộ có thể "
            "bổ sung mức của tỉnh trong tệp data/local/criteria_levels.csv"
            + (" (tiêu chuẩn văn minh đô thị: data/local/urban_levels.csv)." if urban_note else "."), "note")
        return known + unknown + note

    # ------------------------------------------------------------------ the urban standard (văn minh đô thị)

    def _urban_labels(self) -> dict[str, str]:
        """Status labels of the urban scorecard: the outline's Đạt / Chưa đạt, and "Chưa có số liệu"."""
        return {vocab.REACHED: self.status_labels[vocab.REACHED], vocab.NOT_REACHED: self.status_labels[vocab.NOT_REACHED],
                vocab.MISSING: labels.URBAN_MISSING}

    def urban_cell(self, code: str, year: int) -> str | None:
        """A town's (ward's) result in ``year`` for a table that sets it beside the xã's new-rural counts
        ("Văn minh đô thị: 3/5", "… chưa có số liệu"), never summed with them; None for a xã's year."""
        ur = self.urban_reached
        r = ur[(ur["unit_code"] == code) & (ur["year"] == int(year))]
        if r.empty:
            return None
        r = r.iloc[0]
        return labels.urban_cell(r["n_reached"], r["n_criteria"], r["n_missing"])

    def urban_scorecard(self, code: str) -> str:
        """One town's urban criteria × its urban years, coloured like the new-rural scorecard; ``*`` marks a status
        the campaign counts prove (nothing declared), ``⚠`` a declared Đạt they contradict. Empty for a xã."""
        m = self.urban_matrix[self.urban_matrix["unit_code"] == code]
        if m.empty:
            return ""
        years = sorted(set(m["year"]))
        names = dict(zip(m["criterion_no"].astype(int), m["criterion_name"]))
        marks = {(int(r.criterion_no), int(r.year)): "⚠" if r.conflict else "*"
                 for r in m.itertuples() if r.conflict or r.origin == "measured"}
        utype = str(m["unit_type"].iloc[-1])
        standard = narrative.type_word(utype, "standard_label")
        out = present.status_legend(self._urban_labels())
        out += present.scorecard(m, names, years, self._urban_labels(), marks=marks, row_label="Tiêu chuẩn",
                                 caption=f"Kết quả {len(names)} tiêu chuẩn {standard[:1].upper()}{standard[1:]}, "
                                         f"{present.year_ranges(years)}")
        notes = []
        if (m["origin"] == "measured").any():
            notes.append("* Chưa đạt theo số liệu Cuộc vận động (đơn vị chưa tự đánh giá tiêu chuẩn này).")
        if m["conflict"].any():
            notes.append("⚠ Tự đánh giá Đạt nhưng số liệu chưa đạt mức của tiêu chuẩn: cần xác minh.")
        if not urban.collects_for(self.ds, code) and m["declared_status"].isna().all():
            version = urban.submitted_versions(self.ds, code).get(code, self.outline.version)
            notes.append(f"Biểu mẫu sơ kết (đề cương phiên bản {version}) không có phần tự đánh giá các "
                         f"tiêu chuẩn này, nên kết quả ghi \"{labels.URBAN_MISSING}\" trừ khi số liệu Cuộc vận động "
                         "cho thấy chưa đạt mức của tiêu chuẩn.")
        return out + "".join(present.paragraph(n, "note") for n in notes)

    def urban_measures(self, codes: list[str]) -> str:
        """The urban indicators the data measure, per town and urban year, against the standard's levels."""
        chk = self.urban_checks[self.urban_checks["unit_code"].isin(codes)]
        if chk.empty:
            return ""
        crit = urban.load_urban_criteria().set_index("indicator_code")
        rate_label = self.outline.rates.set_index("code")["label"]
        utype = dict(zip(self.urban_matrix["unit_code"], self.urban_matrix["unit_type"]))
        years = sorted(set(chk["year"]))
        rows = []
        for (code, ind), g in chk.groupby(["unit_code", "indicator_code"], sort=False):
            c = g.iloc[0]
            row = {"unit": self.unit_names.get(code, code), "indicator": f"{ind}. {crit.loc[ind, 'indicator_name']}",
                   "level": f"{c['comparison']} {fmt_percent(c['level'], 0)}" if pd.notna(c["level"]) else MISSING}
            how = {"derived": narrative.for_unit_type(rate_label.get(c["measure"], c["measure"]),
                                                      utype.get(code, "thi_tran")),
                   "typed": labels.ORIGINS["typed"]}
            for r in g.itertuples():
                cell = fmt_percent(r.value, 2, trim=False) if pd.notna(r.value) else MISSING  # a column aligns
                if pd.notna(r.value) and not pd.isna(r.meets):
                    cell += " (đạt)" if r.meets else " (chưa đạt)"
                row[r.year] = cell
            origins = [how.get(o) for o in g["origin"] if isinstance(o, str)]
            row["how"] = origins[0] if origins else "Chưa có số liệu (không chỉ tiêu nào của biểu mẫu đo được)"
            rows.append(row)
        cols = ({"unit": "Đơn vị"} if len(set(chk["unit_code"])) > 1 else {}) | \
            {"indicator": "Chỉ tiêu", "level": "Mức của tiêu chuẩn"} | {y: str(y) for y in years} | \
            {"how": "Số liệu dùng để đo"}
        one = f" — {self.unit_names.get(codes[0], codes[0])}" if len(set(chk["unit_code"])) == 1 and self.kind != "unit" \
            else ""
        out = present.table(pd.DataFrame(rows), cols, numeric=years,
                            caption=f"Chỉ tiêu của tiêu chuẩn đo được từ số liệu, so với mức của tiêu chuẩn{one}")
        if (chk["bound"] == "upper").any():
            out += present.paragraph(
                "Tiêu chuẩn tính số năm liên tục (gia đình văn hóa 3 năm, tổ dân phố văn hóa 6 năm trở lên); số liệu "
                "Cuộc vận động chỉ cho tỷ lệ của từng năm, là mức cao nhất có thể của tỷ lệ cần đo: dưới mức của "
                "tiêu chuẩn là chưa đạt, từ mức đó trở lên chưa đủ để kết luận đạt.", "note")
        return out

    def urban_method_items(self) -> list[str]:
        """Methodology bullets on the urban standard (empty when no unit of the report is a town or ward)."""
        m = self.urban_matrix
        if self.kind == "unit":
            m = m[m["unit_code"] == self.params.unit_code]
        if m.empty:
            return []
        utypes = list(dict.fromkeys(m["unit_type"]))
        basis = "; ".join(dict.fromkeys(narrative.type_word(t, "standard_basis") for t in utypes))
        crit = urban.load_urban_criteria()
        sources = sorted({u for src in crit["source"] for u in _urls(src)})
        return [
            f"Năm là thị trấn, phường, bộ tiêu chí xã nông thôn mới không áp dụng: đơn vị được đánh giá theo tiêu chuẩn "
            f"\"Phường, thị trấn đạt chuẩn văn minh đô thị\" ({basis}), gồm {crit['criterion_code'].nunique()} tiêu "
            "chuẩn; kết quả đặt cạnh, không cộng chung với số tiêu chí nông thôn mới của các xã, và những năm đó không "
            "bao giờ tính là sụt chuẩn tiêu chí nông thôn mới.",
            "Kết quả mỗi tiêu chuẩn: theo tự đánh giá của đơn vị; nếu đơn vị chưa tự đánh giá mà số liệu Cuộc vận "
            "động cho thấy chưa đạt mức của tiêu chuẩn thì ghi Chưa đạt (đánh dấu *); còn lại ghi "
            f"\"{labels.URBAN_MISSING}\", không bao giờ tính là chưa đạt.",
            "Nội dung các tiêu chuẩn và các mức (từ 90%, 80% trở lên) lấy theo bài báo tóm tắt Thông tư, chưa đối "
            "chiếu văn bản gốc của Thông tư (độ tin cậy nguồn S); số, ngày, tên Thông tư theo quy định của tỉnh dẫn "
            "chiếu. Nguồn: " + ", ".join(sources) + ".",
        ]

    def _scope_names(self) -> dict[str, str]:
        """Level scopes (codes) as names: the region, province or district of the units, or national."""
        u = self.ds.units
        names = {"national": "Toàn quốc"}
        for code_col, name_col in (("region_code", "region_name"), ("province_code", "province_name"),
                                   ("district_code", "district_name")):
            if code_col in u.columns and name_col in u.columns:
                names.update({str(c): str(n) for c, n in zip(u[code_col], u[name_col]) if pd.notna(c)})
        return names

    def rates_wide(self, rates: pd.DataFrame) -> pd.DataFrame:
        """Rates as one row per rate (outline order) and one column per year."""
        w = rates.pivot_table(index=["code", "label"], columns="year", values="rate", aggfunc="last").reset_index()
        order = {c: i for i, c in enumerate(self.outline.rates["code"])}
        return w.sort_values("code", key=lambda s: s.map(order)).reset_index(drop=True)

    def proposals_section(self, unit_codes: list[str] | None = None) -> str:
        from nrlib.analysis.ranking import proposals_table

        tbl = proposals_table(self.ds, include_personal_data=self.params.include_personal_data)
        if unit_codes is not None and "unit_code" in tbl.columns:
            tbl = tbl[tbl["unit_code"].isin(unit_codes)]
        note = ("Họ tên cá nhân được hiển thị theo yêu cầu (include_personal_data=True): chỉ dùng nội bộ."
                if self.params.include_personal_data else
                "Họ tên cá nhân là dữ liệu cá nhân nên không hiển thị trong báo cáo này; "
                "danh sách đầy đủ dùng nội bộ khi xét khen thưởng.")
        cols = {c: lbl for c, lbl in PROPOSAL_COLUMNS.items() if c in tbl.columns}
        return present.table(tbl, cols, caption="Đề xuất khen thưởng", empty="Không có đề xuất khen thưởng.") + \
            present.paragraph(note, "note")


#: columns of :func:`nrlib.analysis.ranking.proposals_table` shown, with their headers
PROPOSAL_COLUMNS = {"unit_name": "Đơn vị đề xuất", "kind_label": "Loại", "name": "Tên tập thể / cá nhân",
                    "address": "Địa chỉ, đơn vị", "achievement": "Thành tích tóm tắt",
                    "award_form_label": "Hình thức đề nghị"}
