"""The sections of the two reports, built from a Dataset: what the report notebooks call.

:class:`UnitReport` (one unit) and :class:`DistrictReport` (a district) run
the analyses once (:mod:`nrlib.results`, :mod:`nrlib.maintenance`,
:mod:`nrlib.campaign`, :mod:`nrlib.thresholds`, :mod:`nrlib.quality`,
:mod:`nrlib.ranking`, :mod:`nrlib.narrative`) and return each section as
escaped HTML (:mod:`nrlib.present`) or as plotly figures
(:mod:`nrlib.figures`). The notebooks only call these methods in order, so
the reports' content is tested here without a kernel.

Method notes that belong to the presentation:

* the district comparison of a unit's criteria count is the **mean over the
  district's units to which the criteria apply that year** (a town is not
  counted as a unit with 0 criteria);
* a value per household of a group of units is recomputed from sums,
  ``Σ value_2016_2020 / Σ households_2020`` over units having both, like
  every rate (:mod:`nrlib.campaign`), never the mean of the units' ratios;
* the money mobilised and the poverty rate shown first are those of the
  commendation ranking's configuration (``data/reference/ranking.yaml``);
  the other key figures and trends use :data:`KEY_METRICS` and
  :data:`TREND_RATES` (report design, not data); codes absent from the
  outline are skipped.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

import pandas as pd
import plotly.graph_objects as go

from . import campaign, figures, maintenance, present, quality, results, thresholds
from .figures import COLORS, base_layout, wrap, year_axis
from .present import e
from .timeliness import reporting_rates
from .vnformat import MISSING, fmt_date, fmt_money_million, fmt_number, fmt_percent

#: flow metrics shown as key figures after the money mobilised (outline codes; skipped if absent)
KEY_METRICS = ("VD05", "VD08", "VD09")
#: rates charted per year, unit against district, after the ranking's poverty rate
TREND_RATES = ("R_CULTURAL_FAMILY",)


def money_metrics() -> list[str]:
    """The money mobilised: the metrics of the ranking's mobilisation component (``ranking.yaml``)."""
    from .ranking import load_ranking_config

    return list(load_ranking_config()["components"]["mobilisation_per_household"].get("metrics", []))


def trend_rates() -> list[str]:
    """Rates charted per year: the ranking's poverty rate (``ranking.yaml``), then :data:`TREND_RATES`."""
    from .ranking import load_ranking_config

    first = load_ranking_config()["components"]["poverty_reduction"].get("rate")
    return [first] + [r for r in TREND_RATES if r != first] if first else list(TREND_RATES)

#: user-facing labels of the reports (Vietnamese), beside the outline's own labels
MAINTENANCE_LABELS = {
    "kept": "Giữ vững", "gained": "Đạt mới", "lost": "Bị mất (chưa lấy lại)", "lost_and_regained": "Mất rồi đạt lại",
    "never": "Chưa đạt năm nào", "not_applicable": "Không áp dụng", "no_data": "Không có số liệu",
}
MISSING_STATUS_LABEL = "Chưa khai"
TIMELINESS_LABELS = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa nộp"}
SUBMISSION_LABELS = {"accepted": "Đã chấp nhận", "rejected": "Bị từ chối"}
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}
FLAG_LABELS = {"outlier": "Khác xa các đơn vị khác", "yoy": "Biến động bất thường so với năm trước",
               "declared_vs_measured": "Tự đánh giá Đạt nhưng số liệu chưa đạt"}
ORIGIN_LABELS = {"typed": "đơn vị nhập", "derived": "tính từ số liệu Cuộc vận động"}


def _num(v, digits: int = 2) -> str:
    return fmt_number(v, digits, trim=True)


def _metric_value(v, unit: str, integer: bool) -> str:
    if pd.isna(v):
        return MISSING
    if unit == "triệu đồng":
        return fmt_money_million(v)
    return f"{fmt_number(v, 0 if integer else 2, trim=True)} {unit}".strip()


def _status_labels(outline) -> dict[str, str]:
    labels = {c["value"]: c["label"] for c in outline.choices("criterion_status")}
    labels["missing"] = MISSING_STATUS_LABEL
    return labels


ANALYSES = ("matrix", "reached", "criteria", "classes", "values", "unit_totals", "district_totals", "unit_rates",
            "district_rates", "per_household", "checks", "dvm", "timeliness_df", "completeness", "flags")


def run_analyses(ds, cache: dict | None = None) -> dict:
    """Every analysis table the reports use, for ``ds`` (names: :data:`ANALYSES`).

    ``cache`` is the analyses' shared cache (:mod:`nrlib._memo`): pass the
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
    }


class _Report:
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
        for name, table in (analyses or run_analyses(ds)).items():
            setattr(self, name, table)
        first = ds.units.iloc[0]
        self.district_name = str(first["district_name"])
        self.province_name = str(first["province_name"])
        self.unit_names = dict(zip(ds.units["unit_code"], ds.units["name"]))

    # ------------------------------------------------------------------ helpers

    def _facts_common(self) -> list[tuple[str, str]]:
        return [
            ("Giai đoạn", f"{self.first}–{self.last}"),
            ("Hạn nộp báo cáo", fmt_date(self.ds.deadline)),
            ("Phiên bản dữ liệu", self.ds.data_version or MISSING),
            ("Ngày lập báo cáo", fmt_date(self.today)),
        ]

    def _district_per_household(self) -> pd.DataFrame:
        """Per flow metric: Σ value_2016_2020 / Σ households_2020 over units having both."""
        ph = self.per_household.dropna(subset=["value_2016_2020", "households_2020"])
        ph = ph[ph["households_2020"] > 0]
        g = ph.groupby(["code", "label", "unit"], sort=False)
        out = pd.DataFrame({"value": g["value_2016_2020"].sum(), "households": g["households_2020"].sum(),
                            "n_units": g.size()}).reset_index()
        out["per_household"] = out["value"] / out["households"]
        return out

    def _metric_order(self, codes: Iterable[str]) -> list[str]:
        known = list(self.metrics.index)
        return [c for c in codes if c in known]

    def methodology_common(self) -> str:
        checks = self.outline.checks
        z = checks.get("outlier_robust_z")
        items = [
            "Nguồn số liệu: biểu mẫu sơ kết các đơn vị gửi về (phiên bản mới nhất đã được chấp nhận của mỗi đơn vị); "
            f"phiên bản dữ liệu {self.ds.data_version or MISSING}.",
            "Kết quả tiêu chí là kết quả đơn vị tự đánh giá (Đạt / Chưa đạt / Không áp dụng). Năm đơn vị là thị trấn, "
            "phường (bộ tiêu chí xã nông thôn mới không áp dụng) được ghi \"Không áp dụng\" và không bao giờ tính là "
            "mất tiêu chí. Ô để trống được ghi \"Chưa khai\".",
            "Duy trì tiêu chí: xét các năm có kết quả Đạt/Chưa đạt theo thứ tự; \"Giữ vững\" là đạt mọi năm, \"Đạt mới\" là "
            "chưa đạt lúc đầu rồi đạt và không mất lại, \"Bị mất\" là đã đạt nhưng cuối kỳ chưa đạt, \"Mất rồi đạt lại\" "
            "là có năm bị mất nhưng cuối kỳ đạt lại.",
            "Kết quả Cuộc vận động: chỉ tiêu phát sinh (kinh phí, km đường…) cộng các năm; chỉ tiêu thời điểm (số hộ, "
            "số ấp…) lấy số cuối năm. Số toàn huyện là tổng các đơn vị. Tỷ lệ của một nhóm đơn vị được tính lại từ "
            "tổng tử số và tổng mẫu số, không lấy bình quân các tỷ lệ.",
            "Bình quân trên một hộ = tổng cả giai đoạn ÷ số hộ năm cuối kỳ; của toàn huyện = tổng các đơn vị ÷ tổng số "
            "hộ các đơn vị đó.",
            f"Đúng hạn: phiên bản đầu tiên nhận được trước hoặc đúng ngày {fmt_date(self.ds.deadline)}; số ngày trễ "
            "tính theo ngày lịch.",
            "Cảnh báo chất lượng số liệu (không phải kết luận): giá trị khác xa các đơn vị khác theo điểm z bền vững "
            f"(trung vị và độ lệch tuyệt đối trung vị; ngưỡng {_num(z, 1) if z is not None else MISSING}); biến động so "
            "với năm trước vượt biên độ của đề cương; tiêu chí tự đánh giá Đạt nhưng chỉ tiêu chưa đạt mức đã biết.",
        ]
        return present.bullet_list(items)

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
            t["level_text"] = [f"{c} {_num(v)} {u}".strip() for c, v, u in zip(t["comparison"], t["level"], t["unit"])]
            t = t.sort_values("indicator_code", key=lambda s: s.map(lambda c: [int(p) for p in str(c).split(".")]))
            known = present.table(t, {"indicator_code": "Chỉ tiêu", "name": "Nội dung", "level_text": "Mức đạt chuẩn",
                                      "year": "Năm áp dụng", "scope": "Phạm vi", "confidence": "Độ tin cậy nguồn"},
                                  caption="Mức đạt chuẩn dùng để đối chiếu số liệu")
        else:
            known = present.paragraph("Không có mức đạt chuẩn định lượng nào được biết cho các đơn vị này.", "muted")
        unk = thresholds.unknown_levels(self.ds, cache=self.cache)
        unk = unk.assign(origin=unk["origin"].map(ORIGIN_LABELS).fillna(unk["origin"]),
                         years=unk["years_without_level"].map(
                             lambda s: present.year_ranges(y for y in str(s).split(", ") if y)))
        unknown = present.table(unk, {"indicator_code": "Chỉ tiêu", "indicator_name": "Nội dung", "origin": "Nguồn số liệu",
                                      "years": "Năm chưa biết mức"},
                                caption="Chỉ tiêu chưa biết mức đạt chuẩn: chỉ dựa vào tự đánh giá của đơn vị",
                                empty="Mọi chỉ tiêu đều có mức đạt chuẩn đã biết.")
        note = present.paragraph(
            "Độ tin cậy nguồn: V – đã đối chiếu văn bản gốc; V* – đã đối chiếu trước đây; V-partial – văn bản nêu yêu cầu "
            "nhưng không ghi mức của vùng; U – chưa kiểm chứng (để trống, không suy đoán). Cán bộ có thể bổ sung mức "
            "của tỉnh trong tệp data/local/criteria_levels.csv.", "note")
        return known + unknown + note

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
        from .ranking import proposals_table

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


#: columns of :func:`nrlib.ranking.proposals_table` shown, with their headers
PROPOSAL_COLUMNS = {"unit_name": "Đơn vị đề xuất", "kind_label": "Loại", "name": "Tên tập thể / cá nhân",
                    "address": "Địa chỉ, đơn vị", "achievement": "Thành tích tóm tắt",
                    "award_form_label": "Hình thức đề nghị"}


class UnitReport(_Report):
    """The report of one unit (xã, thị trấn): what ``notebooks/report_unit.ipynb`` shows."""

    kind = "unit"

    def __init__(self, ds, params, analyses: dict | None = None) -> None:
        super().__init__(ds, params, analyses)
        self.code = params.unit_code
        row = ds.units[ds.units["unit_code"] == self.code]
        if row.empty:
            raise LookupError(f"unit {self.code} not in the dataset")
        self.unit = row.iloc[0]
        self.name = str(self.unit["name"])
        subs = ds.submissions[ds.submissions["unit_code"] == self.code]
        cur = subs[subs["is_current"]] if "is_current" in subs.columns else subs.tail(1)
        self.submission = cur.iloc[-1] if len(cur) else None
        self.tl = self.timeliness_df[self.timeliness_df["unit_code"] == self.code].iloc[0]
        self.title = f"{self.outline.raw.get('short_title', self.outline.raw['title'])} — {self.name}"

    def _mine(self, df: pd.DataFrame) -> pd.DataFrame:
        return df[df["unit_code"] == self.code]

    # ------------------------------------------------------------------ header

    def header(self) -> str:
        if self.submission is not None:
            s = self.submission
            data = f"phiên bản {int(s['version'])}, nhận ngày {fmt_date(s['received_date'])}"
        else:
            data = "chưa có biểu mẫu được chấp nhận"
        facts = [("Đơn vị", f"{self.name} (mã {self.code})"),
                 ("Huyện, tỉnh", f"{self.district_name}, {self.province_name}"),
                 ("Biểu mẫu của đơn vị", data)] + self._facts_common()
        out = present.title_block(org=f"{self.district_name} – {self.province_name}", title=self.name,
                                  subtitle=self.outline.raw['title'], facts=facts, place=self.district_name, date=self.today)
        out += present.sample_banner(self.ds)
        if self.submission is None:
            out += present.callout("Đơn vị chưa có số liệu", kind="bad",
                                   body=f"{self.name} chưa gửi biểu mẫu sơ kết, hoặc chưa có phiên bản nào được chấp "
                                        "nhận: các mục dưới đây không có số liệu của đơn vị.")
        uy = self._mine(self.ds.unit_years)
        na = uy[~uy["ntm_applies"].astype(bool)]
        if len(na):
            years = ", ".join(str(int(y)) for y in na["year"])
            names = "; ".join(f"{n} ({int(y)})" for n, y in na.groupby("name")["year"].min().items())
            out += present.callout("Bộ tiêu chí xã nông thôn mới không áp dụng một số năm", kind="info",
                                   body=f"Các năm {years} đơn vị là {names}: bộ tiêu chí xã nông thôn mới không áp "
                                        "dụng; các năm này không tính là đạt hay mất tiêu chí.")
        return out

    # ------------------------------------------------------------------ sections

    def key_figures(self) -> str:
        r = self._mine(self.reached).set_index("year")
        cards = []
        if self.last in r.index and r.loc[self.last, "n_applicable"] > 0:
            cards.append((f"Tiêu chí đạt năm {self.last}",
                          f"{int(r.loc[self.last, 'n_reached'])}/{int(r.loc[self.last, 'n_applicable'])}",
                          f"{int(r.loc[self.last, 'n_missing'])} tiêu chí chưa khai" if r.loc[self.last, "n_missing"] else ""))
        else:
            cards.append((f"Tiêu chí năm {self.last}", "Không áp dụng", ""))
        n_all = int(r["all_reached"].fillna(False).astype(bool).sum())
        cards.append(("Số năm đạt đủ mọi tiêu chí", f"{n_all}/{len(self.years)}", ""))
        cl = self._mine(self.classes)["maintenance_class"].value_counts()
        cards.append(("Tiêu chí bị mất trong kỳ", str(int(cl.get("lost", 0) + cl.get("lost_and_regained", 0))),
                      f"{int(cl.get('lost_and_regained', 0))} đã đạt lại" if cl.get("lost_and_regained", 0) else ""))
        tot = self._mine(self.unit_totals).set_index("code")
        for code in self._metric_order(money_metrics() + list(KEY_METRICS)):
            m = self.metrics.loc[code]
            cards.append((m["label"], _metric_value(tot.loc[code, "value_2016_2020"], m["unit"], m["integer"]),
                          f"cả giai đoạn {self.first}–{self.last}"))
        rt = self._mine(self.unit_rates)
        for code in trend_rates()[:1]:
            x = rt[rt["code"] == code].set_index("year")["rate"]
            if len(x):
                lab = rt.loc[rt["code"] == code, "label"].iloc[0]
                cards.append((lab, f"{fmt_percent(x.get(self.first), 2)} → {fmt_percent(x.get(self.last), 2)}",
                              f"{self.first} → {self.last}"))
        tl = self.tl
        when = TIMELINESS_LABELS[tl["timeliness"]]
        if tl["timeliness"] == "late":
            when += f" {int(tl['days_late'])} ngày"
        cards.append(("Nộp báo cáo", when, fmt_date(tl["first_received_date"]) if tl["n_versions"] else ""))
        from .narrative import unit_sentences

        said = [x.text for x in unit_sentences(self.ds, self.code, cache=self.cache)]
        return present.cards(cards) + present.callout("Nhận định chính", said)

    def criteria_scorecard(self) -> str:
        m = self._mine(self.matrix)
        names = dict(zip(self.criteria["criterion_no"].astype(int), self.criteria["criterion_name"]))
        d = self._mine(self.dvm)
        marks = {(int(r.criterion_no), int(r.year)): "⚠" for r in d.itertuples()}
        out = present.status_legend({k: v for k, v in self.status_labels.items() if k != "missing"})
        out += present.scorecard(m, names, self.years, self.status_labels, marks=marks,
                                 caption=f"Kết quả tự đánh giá 19 tiêu chí, {self.first}–{self.last}")
        if len(d):
            crit = self.ds.criteria.drop_duplicates("indicator_code").set_index("indicator_code")
            items = [f"Tiêu chí {int(r.criterion_no)} năm {int(r.year)}: chỉ tiêu {r.indicator_code} là "
                     f"{_num(r.value)} {crit.loc[r.indicator_code, 'unit']}, chưa đạt mức {r.comparison} {_num(r.level)} "
                     f"{crit.loc[r.indicator_code, 'unit']}" for r in d.itertuples()]
            out += present.callout("⚠ Tự đánh giá Đạt nhưng số liệu chưa đạt mức chuẩn đã biết (cần xác minh)",
                                   items, kind="warn")
        return out

    def criteria_trend_figure(self) -> go.Figure | None:
        """Criteria reached per year against the district mean; ``None`` when the unit declared nothing."""
        mine = self._mine(self.reached)
        mine = mine[(mine["n_applicable"] > 0) & (mine["n_missing"] < mine["n_applicable"])]
        if mine.empty:
            return None
        others = self.reached[self.reached["n_applicable"] > 0]
        avg = others.groupby("year")["n_reached"].mean()
        fig = go.Figure()
        fig.add_bar(x=mine["year"], y=mine["n_reached"], name=self.name, marker_color=COLORS["unit"],
                    hovertemplate="%{x}: %{y} tiêu chí<extra></extra>")
        fig.add_scatter(x=avg.index, y=avg.values, name="Bình quân các đơn vị trong huyện", mode="lines+markers",
                        line={"color": COLORS["district"], "width": 3},
                        hovertemplate="%{x}: %{y:.1f} tiêu chí<extra></extra>")
        n_crit = len(self.criteria)
        fig.update_yaxes(range=[0, n_crit + 0.5], dtick=2)
        return year_axis(base_layout(fig, "Số tiêu chí đạt theo năm", y_title="số tiêu chí", height=340), self.years)

    def maintenance(self) -> str:
        cl = self._mine(self.classes).merge(self.criteria[["criterion_no", "criterion_name"]], on="criterion_no")
        counts = cl["maintenance_class"].value_counts()
        cards = [(MAINTENANCE_LABELS[c], str(int(counts.get(c, 0)))) for c in maintenance.CLASSES if counts.get(c, 0)]
        out = present.cards(cards)
        show = cl[cl["maintenance_class"].isin(["lost", "lost_and_regained", "gained", "never", "no_data"])].copy()
        show["class_label"] = show["maintenance_class"].map(MAINTENANCE_LABELS)
        show["criterion"] = [f"{int(n)}. {t}" for n, t in zip(show["criterion_no"], show["criterion_name"])]
        yr = lambda v: str(int(v))  # noqa: E731
        out += present.table(show, {"criterion": "Tiêu chí", "class_label": "Diễn biến", "first_reached_year": "Năm đạt đầu tiên",
                                    "lost_year": "Năm bị mất", "regained_year": "Năm đạt lại",
                                    "n_years_missing": "Số năm chưa khai"},
                             formats={"first_reached_year": yr, "lost_year": yr, "regained_year": yr},
                             numeric=["first_reached_year", "lost_year", "regained_year", "n_years_missing"],
                             caption="Các tiêu chí không giữ vững suốt giai đoạn",
                             empty="Đơn vị giữ vững mọi tiêu chí áp dụng trong suốt giai đoạn.")
        attention = []
        for r in cl[cl["maintenance_class"] == "lost"].itertuples():
            attention.append(f"Tiêu chí {int(r.criterion_no)} ({r.criterion_name}) bị mất từ năm {int(r.lost_year)} "
                             f"và chưa đạt lại đến {self.last}.")
        for r in cl[cl["maintenance_class"] == "never"].itertuples():
            attention.append(f"Tiêu chí {int(r.criterion_no)} ({r.criterion_name}) chưa đạt năm nào.")
        for r in self._mine(self.dvm).itertuples():
            attention.append(f"Tiêu chí {int(r.criterion_no)} năm {int(r.year)} tự đánh giá Đạt nhưng chỉ tiêu "
                             f"{r.indicator_code} chưa đạt mức chuẩn: cần xác minh.")
        miss = self._mine(self.matrix)
        n_missing = int((miss["status"] == "missing").sum())
        if n_missing and self.submission is not None:
            attention.append(f"{n_missing} ô kết quả tiêu chí để trống (chưa khai).")
        out += present.callout("Những việc cần chú ý", attention, kind="warn") if attention else \
            present.callout("Những việc cần chú ý", body="Không có tiêu chí bị mất hay số liệu mâu thuẫn cần xác minh.")
        return out

    def campaign_table(self) -> str:
        tot = self._mine(self.unit_totals)
        dist = self.district_totals.set_index("code")
        rows = []
        for r in tot.itertuples():
            m = self.metrics.loc[r.code]
            flow = r.kind == "flow"
            mine = r.value_2016_2020 if flow else r.value_2020
            d = dist.loc[r.code, "value_2016_2020"] if flow else dist.loc[r.code, "value_2020"]
            share = 100 * mine / d if pd.notna(mine) and pd.notna(d) and d else None
            rows.append({"code": r.code, "label": r.label, "unit": r.unit,
                         "first": _metric_value(r.value_2016, "", m["integer"]),
                         "last": _metric_value(r.value_2020, "", m["integer"]),
                         "total": _metric_value(r.value_2016_2020, "", m["integer"]) if flow else "",
                         "district": _metric_value(d, "", m["integer"]), "share": fmt_percent(share, 1)})
        out = present.table(pd.DataFrame(rows),
                            {"code": "Mã", "label": "Nội dung", "unit": "Đơn vị tính", "first": str(self.first),
                             "last": str(self.last), "total": f"Tổng {self.first}–{self.last}",
                             "district": "Toàn huyện (tổng hoặc cuối kỳ)", "share": "Tỷ trọng trong huyện"},
                            numeric=["first", "last", "total", "district", "share"],
                            caption=f"Kết quả thực hiện Cuộc vận động, {self.first}–{self.last}",
                            empty="Đơn vị chưa có số liệu Cuộc vận động.")
        out += present.paragraph("Chỉ tiêu phát sinh (kinh phí, km đường, số nhà…) có cột tổng cả giai đoạn; chỉ tiêu "
                                 "thời điểm (số hộ, số ấp…) so sánh số cuối năm.", "note")
        rt = self._mine(self.unit_rates)
        if len(rt):
            w = self.rates_wide(rt)
            drt = self.district_rates[self.district_rates["year"] == self.last].set_index("code")["rate"]
            w["district"] = w["code"].map(drt)
            cols = {"label": "Tỷ lệ (%)"} | {y: str(y) for y in self.years if y in w.columns} | \
                {"district": f"Toàn huyện {self.last}"}
            fmts = {c: (lambda v: fmt_number(v, 2, trim=True)) for c in cols if c != "label"}
            out += present.table(w, cols, formats=fmts, numeric=[c for c in cols if c != "label"],
                                 caption="Các tỷ lệ theo năm (tính lại từ tử số và mẫu số)")
        return out

    def campaign_figures(self) -> list[go.Figure]:
        figs = []
        v = self.values[self.values["unit_code"] == self.code]
        codes = self._metric_order(money_metrics())
        if len(v) and codes:
            fig = go.Figure()
            for code in codes:
                s = v[v["code"] == code].sort_values("year")
                fig.add_bar(x=s["year"], y=s["value"], name=wrap(self.metrics.loc[code, "label"]),
                            hovertemplate="%{x}: %{y:,.1f} triệu đồng<extra></extra>")
            fig.update_layout(barmode="stack")
            figs.append(year_axis(base_layout(fig, "Kinh phí huy động theo năm", y_title="triệu đồng"), self.years))
        for code in trend_rates():
            mine = self._mine(self.unit_rates)
            mine = mine[mine["code"] == code]
            if mine.empty:
                continue
            dist = self.district_rates[self.district_rates["code"] == code]
            fig = go.Figure()
            fig.add_scatter(x=mine["year"], y=mine["rate"], name=self.name, mode="lines+markers",
                            line={"color": COLORS["unit"], "width": 3}, hovertemplate="%{x}: %{y:.2f} %<extra></extra>")
            fig.add_scatter(x=dist["year"], y=dist["rate"], name=self.district_name, mode="lines+markers",
                            line={"color": COLORS["district"], "width": 3, "dash": "dot"},
                            hovertemplate="%{x}: %{y:.2f} %<extra></extra>")
            figs.append(year_axis(base_layout(fig, f"{mine['label'].iloc[0]} theo năm", y_title="%", height=320),
                                  self.years))
        return figs

    def _per_household_compare(self) -> pd.DataFrame:
        mine = self._mine(self.per_household)[["code", "label", "unit", "per_household"]]
        dist = self._district_per_household()[["code", "per_household"]].rename(columns={"per_household": "district"})
        t = mine.merge(dist, on="code", how="left")
        t["index"] = 100 * t["per_household"] / t["district"].where(t["district"] > 0)
        return t

    def per_household_table(self) -> str:
        t = self._per_household_compare()
        t["unit_label"] = t["unit"] + "/hộ"
        return present.table(t, {"label": "Nội dung", "unit_label": "Đơn vị tính", "per_household": self.name,
                                 "district": "Toàn huyện", "index": "So với toàn huyện (%)"},
                             formats={"per_household": lambda v: _num(v, 3), "district": lambda v: _num(v, 3),
                                      "index": lambda v: fmt_number(v, 0)},
                             numeric=["per_household", "district", "index"],
                             caption=f"Bình quân trên một hộ (tổng {self.first}–{self.last} ÷ số hộ năm {self.last})",
                             empty="Không tính được: đơn vị chưa có số hộ hoặc số liệu Cuộc vận động.")

    def per_household_figure(self) -> go.Figure | None:
        t = self._per_household_compare().dropna(subset=["index"]).iloc[::-1]
        if t.empty:
            return None
        colors = [COLORS["reached"] if x >= 100 else COLORS["late"] for x in t["index"]]
        fig = go.Figure(go.Bar(x=t["index"], y=[wrap(x, 32) for x in t["label"]], orientation="h", marker_color=colors,
                               hovertemplate="%{y}: %{x:.0f} % mức bình quân toàn huyện<extra></extra>"))
        fig.add_vline(x=100, line={"color": COLORS["district"], "dash": "dash"})
        fig.update_yaxes(automargin=True)
        height = max(300, 60 + 34 * len(t))
        return base_layout(fig, "Bình quân trên một hộ so với toàn huyện (toàn huyện = 100)", x_title="%",
                           height=height, legend=False)

    def data_quality(self) -> str:
        tl = self.tl
        facts = [("Tình trạng", TIMELINESS_LABELS[tl["timeliness"]] +
                  (f" {int(tl['days_late'])} ngày" if tl["timeliness"] == "late" else "")),
                 ("Số phiên bản đã gửi", str(int(tl["n_versions"])))]
        if tl["n_versions"]:
            facts += [("Ngày nhận phiên bản đầu", fmt_date(tl["first_received_date"])),
                      ("Ngày nhận phiên bản mới nhất", fmt_date(tl["latest_received_date"])),
                      ("Kết quả kiểm tra phiên bản mới nhất",
                       f"{SUBMISSION_LABELS.get(tl['latest_status'], tl['latest_status'])}: {int(tl['n_errors'])} lỗi, "
                       f"{int(tl['n_warnings'])} cảnh báo")]
        out = "<dl class=\"meta-list\">" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts) + "</dl>"
        c = self._mine(self.completeness)
        sheets = {s["name"]: s.get("title", s["name"]) for s in self.outline.raw["sheets"]}
        c = c.assign(sheet_title=c["sheet"].map(lambda s: f"{s} – {sheets.get(s, s).capitalize()}"))
        out += present.table(c, {"sheet_title": "Trang", "expected_cells": "Số ô cần điền", "filled_cells": "Đã điền",
                                 "completeness": "Mức đầy đủ (%)"},
                             formats={"completeness": lambda v: fmt_number(v, 1, trim=True)},
                             numeric=["expected_cells", "filled_cells", "completeness"], caption="Mức đầy đủ của số liệu")
        f = self._mine(self.flags).assign(flag_label=lambda d: d["flag"].map(FLAG_LABELS))
        out += present.table(f, {"flag_label": "Loại cảnh báo", "reason": "Nội dung"},
                             caption="Số liệu cần xem lại (cảnh báo, không phải kết luận)",
                             empty="Không có số liệu nào bị đánh dấu cần xem lại.")
        p = self._mine(self.ds.problems)
        if len(p):
            p = p.assign(sev=p["severity"].map(SEVERITY_LABELS).fillna(p["severity"]),
                         where=[f"{s}!{c}" if c else str(s) for s, c in zip(p["sheet"], p["cell"])],
                         msg=p["message"].map(lambda x: present.short(x, 300)))
            out += present.table(p, {"sev": "Mức", "where": "Vị trí", "msg": "Nội dung"},
                                 caption="Kết quả kiểm tra biểu mẫu (phiên bản mới nhất)")
        return out

    def narrative(self) -> str:
        n = self._mine(self.ds.narratives).set_index("section_code")["text"]
        secs = self.outline.sheet("DanhGia")["sections"]
        if self.submission is None:
            return present.paragraph("Đơn vị chưa gửi phần đánh giá.", "muted")
        intro = present.paragraph("Nguyên văn phần đánh giá của đơn vị (trang DanhGia), hiển thị dạng văn bản.", "note")
        return intro + present.narrative((s["code"], s["title"], n.get(s["code"])) for s in secs)

    def proposals(self) -> str:
        return self.proposals_section([self.code])

    def methodology(self) -> str:
        return self.methodology_common() + self.levels_section([self.code])


class DistrictReport(_Report):
    """The district report: every unit side by side, totals, ranking, criteria at risk, timeliness."""

    kind = "district"

    def __init__(self, ds, params, analyses: dict | None = None) -> None:
        super().__init__(ds, params, analyses)
        self.code = params.district_code
        self.title = f"{self.outline.raw.get('short_title', self.outline.raw['title'])} — {self.district_name}"
        self.rates_summary = reporting_rates(self.timeliness_df)
        self.order = sorted(self.unit_names)  # GSO code order, as the registry and the outline list units

    def header(self) -> str:
        r = self.rates_summary
        facts = [("Huyện, tỉnh", f"{self.district_name} (mã {self.code}), {self.province_name}"),
                 ("Số đơn vị", f"{r['expected']} đơn vị; đã nộp {r['received']}, đúng hạn {r['on_time']}")]
        facts += self._facts_common()
        out = present.title_block(org=f"{self.district_name} – {self.province_name}",
                                  title=f"Báo cáo tổng hợp toàn {self.district_name[0].lower()}{self.district_name[1:]}",
                                  subtitle=self.outline.raw['title'], facts=facts, place=self.district_name, date=self.today)
        return out + present.sample_banner(self.ds)

    def key_figures(self) -> str:
        r = self.rates_summary
        cards = [("Đơn vị đã nộp báo cáo", f"{r['received']}/{r['expected']}", f"tỷ lệ {fmt_percent(r['reporting_rate'], 1)}"),
                 ("Nộp đúng hạn", f"{r['on_time']}/{r['expected']}", f"trễ hạn {r['late']}, chưa nộp {r['missing']}")]
        ua = results.units_all_reached(self.ds, cache=self.cache).set_index("year")
        if self.last in ua.index:
            x = ua.loc[self.last]
            cards.append((f"Đơn vị đạt đủ tiêu chí năm {self.last}",
                          f"{int(x['n_units_all_reached'])}/{int(x['n_units_applicable'])}",
                          f"{int(x['n_units_reporting'])} đơn vị có khai kết quả"))
        at_risk = maintenance.criteria_at_risk(self.ds, cache=self.cache)
        cards.append(("Tiêu chí bị mất ở ít nhất một đơn vị", str(int((at_risk["n_units_at_risk"] > 0).sum())), ""))
        tot = self.district_totals.set_index("code")
        for code in self._metric_order(money_metrics() + list(KEY_METRICS)):
            m = self.metrics.loc[code]
            cards.append((m["label"], _metric_value(tot.loc[code, "value_2016_2020"], m["unit"], m["integer"]),
                          f"{int(tot.loc[code, 'n_units'])} đơn vị, {self.first}–{self.last}"))
        for code in trend_rates()[:1]:
            x = self.district_rates[self.district_rates["code"] == code].set_index("year")["rate"]
            if len(x):
                lab = self.district_rates.loc[self.district_rates["code"] == code, "label"].iloc[0]
                cards.append((lab, f"{fmt_percent(x.get(self.first), 2)} → {fmt_percent(x.get(self.last), 2)}",
                              f"{self.first} → {self.last}"))
        from .narrative import district_sentences

        said = [x.text for x in district_sentences(self.ds, self.code, cache=self.cache)]
        return present.cards(cards) + present.callout("Nhận định chính", said)

    def units_frame(self) -> pd.DataFrame:
        """One row per unit: submission, criteria, maintenance, money, rates, per household."""
        t = self.timeliness_df.set_index("unit_code")
        r = self.reached[self.reached["year"] == self.last].set_index("unit_code")
        ms = maintenance.maintenance_summary(self.ds, cache=self.cache).set_index("unit_code")
        tot = self.unit_totals
        rt = self.unit_rates[self.unit_rates["year"] == self.last]
        ph = self.per_household
        rows = []
        for code in self.order:
            tl = t.loc[code]
            row = {"unit_code": code, "name": self.unit_names[code],
                   "timeliness": TIMELINESS_LABELS[tl["timeliness"]] +
                   (f" {int(tl['days_late'])} ngày" if tl["timeliness"] == "late" else "")}
            known = code in ms.index and ms.loc[code, "no_data"] < len(self.criteria)
            if code in r.index and r.loc[code, "n_applicable"] > 0:
                no_decl = r.loc[code, "n_missing"] == r.loc[code, "n_applicable"]
                row["criteria"] = MISSING if no_decl else \
                    f"{int(r.loc[code, 'n_reached'])}/{int(r.loc[code, 'n_applicable'])}"
            else:
                row["criteria"] = "Không áp dụng" if code in r.index else MISSING
            row["kept"] = int(ms.loc[code, "kept"]) if known else None
            row["lost"] = int(ms.loc[code, "lost"] + ms.loc[code, "lost_and_regained"]) if known else None
            for mc in self._metric_order(money_metrics()):
                v = tot[(tot["unit_code"] == code) & (tot["code"] == mc)]["value_2016_2020"]
                row[mc] = v.iloc[0] if len(v) else None
            for rc in trend_rates()[:1]:
                v = rt[(rt["unit_code"] == code) & (rt["code"] == rc)]["rate"]
                row[rc] = v.iloc[0] if len(v) else None
            money = ph[(ph["unit_code"] == code) & ph["code"].isin(self._metric_order(money_metrics()))]
            row["money_per_household"] = money["per_household"].sum(min_count=1)
            rows.append(row)
        return pd.DataFrame(rows)

    def units_table(self) -> str:
        t = self.units_frame()
        cols = {"unit_code": "Mã", "name": "Đơn vị", "timeliness": "Nộp báo cáo", "criteria": f"Tiêu chí đạt {self.last}",
                "kept": "Giữ vững", "lost": "Bị mất"}
        fmts = {"kept": present.number(0), "lost": present.number(0)}
        for mc in self._metric_order(money_metrics()):
            cols[mc] = f"{self.metrics.loc[mc, 'label']} (triệu đồng)"
            fmts[mc] = lambda v: fmt_number(v, 1, trim=True)
        for rc in trend_rates()[:1]:
            lab = self.outline.rates.set_index("code")["label"].get(rc, rc)
            cols[rc] = f"{lab} {self.last} (%)"
            fmts[rc] = lambda v: fmt_number(v, 2, trim=True)
        cols["money_per_household"] = "Kinh phí huy động bình quân/hộ (triệu đồng)"
        fmts["money_per_household"] = lambda v: fmt_number(v, 2, trim=True)
        numeric = [c for c in cols if c not in ("unit_code", "name", "timeliness")]
        return present.table(t, cols, formats=fmts, numeric=numeric + ["unit_code"],
                             caption=f"Các đơn vị đặt cạnh nhau, {self.first}–{self.last}")

    def units_figures(self) -> list[go.Figure]:
        """Horizontal bars, one per unit (names stay readable on a phone), first unit on top."""
        figs = []
        r = self.reached[(self.reached["year"] == self.last) & (self.reached["n_applicable"] > 0)
                         & (self.reached["n_missing"] < self.reached["n_applicable"])]
        r = r.assign(name=r["unit_code"].map(self.unit_names))
        r = r.sort_values("unit_code", ascending=False)
        colors = [COLORS["reached"] if pd.notna(a) and bool(a) else COLORS["not_reached"] for a in r["all_reached"]]
        fig = go.Figure(go.Bar(x=r["n_reached"], y=r["name"], orientation="h", marker_color=colors,
                               customdata=r["n_applicable"],
                               hovertemplate="%{y}: %{x}/%{customdata} tiêu chí<extra></extra>"))
        fig.update_xaxes(range=[0, len(self.criteria) + 0.5], dtick=2)
        figs.append(base_layout(fig, f"Số tiêu chí đạt năm {self.last} theo đơn vị (xanh: đạt đủ)", x_title="số tiêu chí",
                                legend=False, height=max(300, 80 + 30 * len(r))))
        codes = self._metric_order(money_metrics())
        if codes:
            fig = go.Figure()
            tot = self.unit_totals
            order = self.order[::-1]
            for code in codes:
                s = tot[tot["code"] == code].set_index("unit_code").reindex(order)
                fig.add_bar(x=s["value_2016_2020"], y=[self.unit_names[c] for c in order], orientation="h",
                            name=wrap(self.metrics.loc[code, "label"]),
                            hovertemplate="%{y}: %{x:,.1f} triệu đồng<extra></extra>")
            fig.update_layout(barmode="stack")
            figs.append(base_layout(fig, f"Kinh phí huy động {self.first}–{self.last} theo đơn vị", x_title="triệu đồng",
                                    height=max(340, 120 + 30 * len(order))))
        return figs

    def campaign_table(self) -> str:
        rows = []
        for r in self.district_totals.itertuples():
            m = self.metrics.loc[r.code]
            rows.append({"code": r.code, "label": r.label, "unit": r.unit,
                         "first": _metric_value(r.value_2016, "", m["integer"]),
                         "last": _metric_value(r.value_2020, "", m["integer"]),
                         "total": _metric_value(r.value_2016_2020, "", m["integer"]) if r.kind == "flow" else "",
                         "n_units": r.n_units})
        out = present.table(pd.DataFrame(rows), {"code": "Mã", "label": "Nội dung", "unit": "Đơn vị tính",
                                                 "first": str(self.first), "last": str(self.last),
                                                 "total": f"Tổng {self.first}–{self.last}",
                                                 "n_units": "Số đơn vị có số liệu"},
                            numeric=["first", "last", "total", "n_units"],
                            caption=f"Kết quả Cuộc vận động toàn huyện (tổng các đơn vị), {self.first}–{self.last}")
        rt = self.district_rates
        if len(rt):
            w = self.rates_wide(rt)
            cols = {"label": "Tỷ lệ (%)"} | {y: str(y) for y in self.years if y in w.columns}
            out += present.table(w, cols, formats={y: (lambda v: fmt_number(v, 2, trim=True)) for y in self.years},
                                 numeric=[y for y in self.years if y in w.columns],
                                 caption="Các tỷ lệ toàn huyện theo năm (tính lại từ tổng tử số và tổng mẫu số)")
        return out

    def campaign_figures(self) -> list[go.Figure]:
        figs = []
        codes = self._metric_order(money_metrics())
        if codes:
            v = self.values[self.values["code"].isin(codes)].groupby(["code", "year"])["value"].sum().reset_index()
            fig = go.Figure()
            for code in codes:
                s = v[v["code"] == code]
                fig.add_bar(x=s["year"], y=s["value"], name=wrap(self.metrics.loc[code, "label"]),
                            hovertemplate="%{x}: %{y:,.1f} triệu đồng<extra></extra>")
            fig.update_layout(barmode="stack")
            figs.append(year_axis(base_layout(fig, "Kinh phí huy động toàn huyện theo năm", y_title="triệu đồng"),
                                  self.years))
        rt = self.district_rates[self.district_rates["code"].isin(trend_rates())]
        if len(rt):
            fig = go.Figure()
            for code, s in rt.groupby("code", sort=False):
                fig.add_scatter(x=s["year"], y=s["rate"], name=wrap(s["label"].iloc[0]), mode="lines+markers",
                                hovertemplate="%{x}: %{y:.2f} %<extra></extra>")
            figs.append(year_axis(base_layout(fig, "Một số tỷ lệ toàn huyện theo năm", y_title="%", height=340),
                                  self.years))
        return figs

    def criteria_at_risk(self) -> str:
        risk = maintenance.criteria_at_risk(self.ds, cache=self.cache)
        risk = risk[risk["n_units_at_risk"] > 0].copy()
        cl = self.classes[self.classes["maintenance_class"].isin(["lost", "lost_and_regained"])]
        who = cl.groupby("criterion_no")["unit_code"].agg(
            lambda s: ", ".join(self.unit_names[c] for c in sorted(s, key=self.order.index)))
        risk["units"] = risk["criterion_no"].map(who)
        risk["criterion"] = [f"{int(n)}. {t}" for n, t in zip(risk["criterion_no"], risk["criterion_name"])]
        out = present.table(risk, {"criterion": "Tiêu chí", "n_units_lost": "Số đơn vị bị mất (chưa lấy lại)",
                                   "n_units_lost_and_regained": "Số đơn vị mất rồi đạt lại", "years_lost": "Năm bị mất",
                                   "units": "Đơn vị"},
                            numeric=["n_units_lost", "n_units_lost_and_regained"],
                            caption="Tiêu chí có nguy cơ: đã bị mất ở ít nhất một đơn vị trong giai đoạn",
                            empty="Không đơn vị nào bị mất tiêu chí trong giai đoạn.")
        ms = maintenance.maintenance_summary(self.ds, cache=self.cache)
        ms = ms.assign(name=ms["unit_code"].map(self.unit_names)).sort_values(
            "unit_code", key=lambda s: s.map(self.order.index))
        cols = {"name": "Đơn vị"} | {c: MAINTENANCE_LABELS[c] for c in maintenance.CLASSES if ms[c].sum() > 0}
        out += present.table(ms, cols, numeric=[c for c in cols if c != "name"],
                             caption="Diễn biến duy trì 19 tiêu chí theo đơn vị (số tiêu chí)")
        return out

    def ranking(self) -> str:
        from .ranking import COMPONENTS, commendation_ranking, load_ranking_config, ranking_method_text

        rk = commendation_ranking(self.ds, cache=self.cache)
        cfg = load_ranking_config()["components"]
        cols = {"rank": "Hạng", "unit_code": "Mã", "name": "Đơn vị", "score": "Điểm (thang 100)"}
        fmts = {"rank": present.number(0), "score": lambda v: fmt_number(v, 1)}
        for c in COMPONENTS:
            cols[f"{c}_raw"] = cfg[c]["label"]
            fmts[f"{c}_raw"] = RANKING_RAW_FORMATS.get(c, lambda v: fmt_number(v, 2, trim=True))
        out = present.table(rk, cols, formats=fmts, numeric=[c for c in cols if c != "name"],
                            caption="Bảng điểm thi đua (gợi ý): điểm và giá trị gốc của từng thành phần",
                            empty="Chưa có đơn vị nào được xếp hạng (chưa có biểu mẫu được chấp nhận).")
        return out + present.callout("Cách tính điểm", body=ranking_method_text(None))

    def timeliness(self) -> str:
        t = self.timeliness_df.copy()
        t = t.sort_values("unit_code", key=lambda s: s.map(self.order.index))
        t["status"] = t["timeliness"].map(TIMELINESS_LABELS)
        t["result"] = t["latest_status"].map(SUBMISSION_LABELS)
        r = self.rates_summary
        head = present.paragraph(
            f"Hạn nộp {fmt_date(self.ds.deadline)}: {r['expected']} đơn vị phải nộp, đã nộp {r['received']} "
            f"({fmt_percent(r['reporting_rate'], 1)}), đúng hạn {r['on_time']} ({fmt_percent(r['on_time_rate'], 1)}), "
            f"trễ hạn {r['late']}, chưa nộp {r['missing']}.")
        c = self.completeness.groupby("unit_code").agg(expected=("expected_cells", "sum"), filled=("filled_cells", "sum"))
        t["completeness"] = t["unit_code"].map(100 * c["filled"] / c["expected"].where(c["expected"] > 0))
        nf = self.flags.groupby("unit_code").size()
        t["n_flags"] = t["unit_code"].map(nf).fillna(0).astype(int)
        return head + present.table(
            t, {"unit_code": "Mã", "name": "Đơn vị", "status": "Tình trạng", "days_late": "Số ngày trễ",
                "first_received_date": "Ngày nhận lần đầu", "n_versions": "Số phiên bản", "result": "Kết quả kiểm tra",
                "n_errors": "Lỗi", "n_warnings": "Cảnh báo", "completeness": "Mức đầy đủ (%)",
                "n_flags": "Số liệu cần xem lại"},
            formats={"first_received_date": fmt_date, "completeness": lambda v: fmt_number(v, 1, trim=True)},
            numeric=["unit_code", "days_late", "n_versions", "n_errors", "n_warnings", "completeness", "n_flags"],
            caption="Tiến độ nộp báo cáo và chất lượng số liệu")

    def timeliness_figure(self) -> go.Figure:
        t = self.timeliness_df.copy()
        t = t.sort_values("unit_code", key=lambda s: s.map(self.order.index), ascending=False)
        deadline = pd.Timestamp(self.ds.deadline)
        days = [(pd.Timestamp(d) - deadline).days if d is not None and not pd.isna(d) else None
                for d in t["first_received_date"]]
        t["days"] = days
        sent = t[t["timeliness"] != "missing"]
        fig = go.Figure(go.Bar(x=sent["days"], y=sent["name"], orientation="h",
                               marker_color=[COLORS[s] for s in sent["timeliness"]],
                               hovertemplate="%{y}: %{x} ngày so với hạn nộp<extra></extra>"))
        missing = t[t["timeliness"] == "missing"]
        for name in missing["name"]:
            fig.add_annotation(x=0, y=name, text="chưa nộp", showarrow=False, xanchor="left",
                               font={"color": COLORS["missing"]})
        fig.add_scatter(x=[0] * len(missing), y=missing["name"], mode="markers", showlegend=False,
                        marker={"color": COLORS["missing"], "symbol": "x", "size": 10}, hoverinfo="skip")
        fig.add_vline(x=0, line={"color": "#333", "dash": "dash"})
        return base_layout(fig, f"Ngày nộp so với hạn {fmt_date(self.ds.deadline)} (âm: nộp sớm; dương: trễ)",
                           x_title="số ngày", legend=False, height=max(300, 60 + 28 * len(t)))

    def proposals(self) -> str:
        return self.proposals_section(None)

    def methodology(self) -> str:
        return self.methodology_common() + self.levels_section(None)


#: how the raw value of each ranking component is shown (nrlib.ranking.COMPONENTS)
RANKING_RAW_FORMATS = {
    "maintenance": lambda v: fmt_percent(100 * v, 1),
    "mobilisation_per_household": lambda v: f"{fmt_number(v, 2, trim=True)} triệu đồng/hộ",
    "poverty_reduction": lambda v: f"{fmt_number(v, 2, trim=True)} điểm %",
    "timeliness": lambda v: f"{fmt_number(v, 0)} ngày trễ",
}
