"""The report of one unit (xã, thị trấn): what ``notebooks/report_unit.ipynb`` shows, section by section.

Each method returns one section as escaped HTML (:mod:`nrlib.present.fragments`) or
plotly figures (``None`` or an empty list when the unit has nothing to
chart); the analyses run once in :class:`nrlib.reports.sections.Report`.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from nrlib.analysis import maintenance, urban
from nrlib.core import labels, vocab
from nrlib.core.vnformat import MISSING, fmt_date, fmt_number, fmt_percent
from nrlib.present import fragments as present
from nrlib.present import theme
from nrlib.present.figures import base_layout, wrap, year_axis
from nrlib.present.fragments import e
from nrlib.present import narrative, partners
from nrlib.reports.sections import (KEY_METRICS, Report, metric_cell, metric_value, money_metrics, num, rate_cell,
                                    trend_rates)


class UnitReport(Report):
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
        #: the unit's type as prose names it ("xã", "thị trấn"), and its hamlets ("ấp", "khu phố")
        self.unit_word = narrative.unit_word(ds, self.code)
        self.hamlet = narrative.hamlet_word(ds, self.code)
        self.unit_type = str(self.unit["unit_type"])
        uy = self._mine(ds.unit_years)
        #: the years the new-rural criteria apply to the unit (all of them for a xã; 2016-2018 for Dầu Giây)
        self.ntm_years = sorted(int(y) for y in uy.loc[uy["ntm_applies"].astype(bool), "year"]) \
            if len(uy) else list(self.years)
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
        facts = [(self.unit_word.capitalize(), f"{self.name} (mã {self.code})"),
                 ("Huyện, tỉnh", f"{self.district_name}, {self.province_name}"),
                 (f"Biểu mẫu của {self.unit_word}", data)] + self._facts_common()
        out = present.title_block(org=f"{self.district_name} – {self.province_name}", title=self.name,
                                  subtitle=self.outline.raw['title'], facts=facts, place=self.district_name, date=self.today)
        if self.submission is None:
            out += present.callout(f"{self.unit_word.capitalize()} chưa có số liệu", kind="bad",
                                   body=f"{self.name} chưa gửi biểu mẫu sơ kết, hoặc chưa có phiên bản nào được chấp "
                                        f"nhận: các mục dưới đây không có số liệu của {self.unit_word}.")
        story = narrative.history_text(self.ds, self.code)
        if story:
            both = 0 < len(self.ntm_years) < len(self.years)
            title = "Đơn vị được đánh giá theo hai bộ tiêu chí trong giai đoạn" if both else \
                "Đơn vị được đánh giá theo tiêu chuẩn văn minh đô thị"
            tail = (" Kết quả hai bộ tiêu chí được trình bày riêng, không cộng chung; các năm là thị trấn, phường không "
                    "tính là đạt hay sụt chuẩn tiêu chí nông thôn mới.") if both else ""
            out += present.callout(title, kind="info", body=story + tail)
        return out

    # ------------------------------------------------------------------ sections

    def _declared_nothing(self) -> bool:
        """True when the unit declared no criterion status at all (sent nothing, or left TieuChi blank)."""
        m = self._mine(self.matrix)
        return bool((m["status"] == vocab.MISSING).sum() == (m["status"] != vocab.NOT_APPLICABLE).sum())

    def key_figures(self) -> str:
        r = self._mine(self.reached).set_index("year")
        cards = []
        if self._declared_nothing():
            cards += [(f"Tiêu chí đạt năm {self.last}", MISSING, "chưa có số liệu"),
                      ("Số năm đạt đủ mọi tiêu chí", MISSING, ""), ("Tiêu chí bị mất trong kỳ", MISSING, "")]
        elif self.last in r.index and r.loc[self.last, "n_applicable"] > 0:
            cards.append((f"Tiêu chí đạt năm {self.last}",
                          f"{int(r.loc[self.last, 'n_reached'])}/{int(r.loc[self.last, 'n_applicable'])}",
                          f"{int(r.loc[self.last, 'n_missing'])} tiêu chí chưa khai" if r.loc[self.last, "n_missing"] else ""))
        cards += self._urban_cards()
        if not self._declared_nothing() and self.ntm_years:
            n_all = int(r["all_reached"].fillna(False).astype(bool).sum())
            cards.append(("Số năm đạt đủ mọi tiêu chí nông thôn mới", f"{n_all}/{len(self.ntm_years)}",
                          "" if len(self.ntm_years) == len(self.years) else
                          f"{present.year_ranges(self.ntm_years)}, {narrative.name_in(self.ds, self.code, self.ntm_years[-1])}"))
            cl = self._mine(self.classes)["maintenance_class"].value_counts()
            n_regained = int(cl.get("lost_and_regained", 0))
            cards.append(("Tiêu chí sụt chuẩn trong kỳ", str(int(cl.get("lost", 0)) + n_regained),
                          f"{n_regained} đã đạt lại" if n_regained else ""))
        tot = self._mine(self.unit_totals).set_index("code")
        for code in self._metric_order(money_metrics() + list(KEY_METRICS)):
            m = self.metrics.loc[code]
            cards.append((m["label"], metric_value(tot.loc[code, "value_period"], m["unit"], m["integer"]),
                          f"cả giai đoạn {self.first}–{self.last}"))
        rt = self._mine(self.unit_rates)
        for code in trend_rates()[:1]:
            x = rt[rt["code"] == code].set_index("year")["rate"]
            if len(x):
                lab = rt.loc[rt["code"] == code, "label"].iloc[0]
                cards.append((lab, f"{fmt_percent(x.get(self.first), 2)} → {fmt_percent(x.get(self.last), 2)}",
                              f"{self.first} → {self.last}"))
        tl = self.tl
        when = labels.late_text(tl["timeliness"], tl["days_late"], tl["days_counted"])
        cards.append(("Nộp báo cáo", when, fmt_date(tl["first_received_date"]) if tl["n_versions"] else ""))
        from nrlib.present.narrative import unit_sentences

        said = [x.text for x in unit_sentences(self.ds, self.code, cache=self.cache)]
        return present.cards(cards) + present.callout("Nhận định chính", said)

    def _urban_cards(self) -> list[tuple[str, str, str]]:
        """The town's last urban year against its standard: "3/5", or "Chưa có số liệu" (never 0)."""
        ur = self._mine(self.urban_reached)
        if ur.empty:
            return []
        r = ur.sort_values("year").iloc[-1]
        none = r["n_missing"] == r["n_criteria"]
        value = labels.URBAN_MISSING if none else f"{int(r['n_reached'])}/{int(r['n_criteria'])}"
        if none:
            sub = f"{int(r['n_criteria'])} tiêu chuẩn" + ("" if urban.collects_for(self.ds, self.code) else
                                                         "; biểu mẫu không có phần tự đánh giá")
        else:
            sub = f"{int(r['n_missing'])} tiêu chuẩn chưa có số liệu" if r["n_missing"] else ""
        return [(f"Tiêu chuẩn văn minh đô thị đạt năm {int(r['year'])}", value, sub)]

    def criteria_scorecard(self) -> str:
        """The new-rural scorecard over the unit's new-rural years, then (a town) its urban standard's scorecard."""
        return self._ntm_scorecard() + partners.criteria_section(self.ds, [self.code], self.unit_word, self.cache) \
            + self.urban_part()

    def urban_part(self) -> str:
        """A town's urban years: its standard's scorecard and the indicators the data measure; empty for a xã."""
        card = self.urban_scorecard(self.code)
        return card + self.urban_measures([self.code]) if card else ""

    def _ntm_scorecard(self) -> str:
        if not self.ntm_years:
            return ""
        if self._declared_nothing():
            return present.paragraph("Đơn vị chưa khai kết quả thực hiện các tiêu chí (trang TieuChi).", "muted")
        m = self._mine(self.matrix)
        m = m[m["year"].isin(self.ntm_years)]
        names = dict(zip(self.criteria["criterion_no"].astype(int), self.criteria["criterion_name"]))
        d = self._mine(self.dvm)
        marks = {(int(r.criterion_no), int(r.year)): "⚠" for r in d.itertuples()}
        years = self.ntm_years
        then = narrative.name_in(self.ds, self.code, years[-1])
        who = f" của {then}" if then != narrative.name_in(self.ds, self.code, self.last) else ""
        caption = f"Kết quả tự đánh giá {len(names)} tiêu chí xã nông thôn mới{who}, {present.year_ranges(years)}"
        if m["official_status"].notna().any():      # the coordination office's status is counted where it exists
            caption = labels.OFFICIAL_SCORECARD_CAPTION.format(n=len(names), who=who,
                                                               years=present.year_ranges(years))
        shown = {k: v for k, v in self.status_labels.items() if k != "missing"}
        if len(years) < len(self.years):   # the grey "Không áp dụng" is not shown: the other years have their own table
            shown.pop(vocab.NOT_APPLICABLE, None)
        out = present.status_legend(shown)
        out += present.scorecard(m, names, years, self.status_labels, marks=marks, caption=caption)
        if len(d):
            crit = self.ds.criteria.drop_duplicates("indicator_code").set_index("indicator_code")
            items = [f"Tiêu chí {int(r.criterion_no)} năm {int(r.year)}: chỉ tiêu {r.indicator_code} là "
                     f"{num(r.value)} {crit.loc[r.indicator_code, 'unit']}, chưa đạt mức {r.comparison} {num(r.level)} "
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
        r = self.reached
        others = r[(r["n_applicable"] > 0) & (r["n_missing"] < r["n_applicable"])]  # applies, and declared
        avg = others.groupby("year")["n_reached"].mean()
        fig = go.Figure()
        fig.add_bar(x=mine["year"], y=mine["n_reached"], name=self.name, marker_color=theme.SERIES["unit"],
                    hovertemplate="%{x}: %{y} tiêu chí<extra></extra>")
        fig.add_scatter(x=avg.index, y=avg.values, name=f"Bình quân các {self.units} trong huyện", mode="lines+markers",
                        line={"color": theme.SERIES["district"], "width": 3},
                        hovertemplate="%{x}: %{y:.1f} tiêu chí<extra></extra>")
        n_crit = len(self.criteria)
        fig.update_yaxes(range=[0, n_crit + 0.5], dtick=2)
        return year_axis(base_layout(fig, "Số tiêu chí đạt theo năm", y_title="số tiêu chí", height=340), self.years)

    def maintenance(self) -> str:
        cl = self._mine(self.classes).merge(self.criteria[["criterion_no", "criterion_name"]], on="criterion_no")
        counts = cl["maintenance_class"].value_counts()
        cards = [(labels.MAINTENANCE[c], str(int(counts.get(c, 0)))) for c in maintenance.CLASSES if counts.get(c, 0)]
        out = present.cards(cards)
        show = cl[cl["maintenance_class"].isin(["lost", "lost_and_regained", "gained", "never", "no_data"])].copy()
        show["class_label"] = show["maintenance_class"].map(labels.MAINTENANCE)
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
        for r in self._mine(self.urban_matrix).itertuples():
            if r.conflict:
                attention.append(f"Tiêu chuẩn {int(r.criterion_no)} ({r.criterion_name}) năm {int(r.year)} tự đánh giá "
                                 "Đạt nhưng số liệu chưa đạt mức của tiêu chuẩn: cần xác minh.")
            elif r.origin == "measured":
                attention.append(f"Tiêu chuẩn {int(r.criterion_no)} ({r.criterion_name}) năm {int(r.year)} chưa đạt "
                                 "theo số liệu Cuộc vận động (đơn vị chưa tự đánh giá): cần đơn vị xác nhận.")
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
            mine = r.value_period if flow else r.value_last_year
            d = dist.loc[r.code, "value_period"] if flow else dist.loc[r.code, "value_last_year"]
            share = 100 * mine / d if pd.notna(mine) and pd.notna(d) and d else None
            rows.append({"code": r.code, "label": narrative.for_unit_type(r.label, self.unit_type),
                         "unit": self.hamlet if r.unit == "ấp" else r.unit,
                         "first": metric_cell(r.value_first_year, r.unit, m["integer"]),
                         "last": metric_cell(r.value_last_year, r.unit, m["integer"]),
                         "total": metric_cell(r.value_period, r.unit, m["integer"]) if flow else "",
                         "district": metric_cell(d, r.unit, m["integer"]), "share": fmt_percent(share, 1, trim=False)})
        out = present.table(pd.DataFrame(rows),
                            {"code": "Mã", "label": "Nội dung", "unit": "Đơn vị tính", "first": str(self.first),
                             "last": str(self.last), "total": f"Tổng {self.first}–{self.last}",
                             "district": "Toàn huyện (tổng hoặc cuối kỳ)", "share": "Tỷ trọng trong huyện"},
                            numeric=["first", "last", "total", "district", "share"],
                            caption=f"Kết quả thực hiện Cuộc vận động, {self.first}–{self.last}",
                            empty="Đơn vị chưa có số liệu Cuộc vận động.")
        out += present.paragraph("Chỉ tiêu phát sinh (kinh phí, km đường, số nhà…) có cột tổng cả giai đoạn; chỉ tiêu "
                                 f"thời điểm (số hộ, số {self.hamlet}…) so sánh số cuối năm.", "note")
        out += partners.culture_section(self.ds, [self.code], self.unit_word, self.hamlet, self.cache)
        rt = self._mine(self.unit_rates)
        if len(rt):
            w = self.rates_wide(rt)
            w["label"] = [narrative.for_unit_type(x, self.unit_type) for x in w["label"]]
            drt = self.district_rates[self.district_rates["year"] == self.last].set_index("code")["rate"]
            w["district"] = w["code"].map(drt)
            cols = {"label": "Tỷ lệ (%)"} | {y: str(y) for y in self.years if y in w.columns} | \
                {"district": f"Toàn huyện {self.last}"}
            fmts = {c: rate_cell for c in cols if c != "label"}
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
                            line={"color": theme.SERIES["unit"], "width": 3}, hovertemplate="%{x}: %{y:.2f}%<extra></extra>")
            fig.add_scatter(x=dist["year"], y=dist["rate"], name=self.district_name, mode="lines+markers",
                            line={"color": theme.SERIES["district"], "width": 3, "dash": "dot"},
                            hovertemplate="%{x}: %{y:.2f}%<extra></extra>")
            figs.append(year_axis(base_layout(fig, f"{mine['label'].iloc[0]} theo năm", y_title="%", height=320),
                                  self.years))
        return figs

    def _per_household_compare(self) -> pd.DataFrame:
        """Values per household of the metrics the outline marks (money, land, working days) only."""
        marked = set(self.metrics.index[self.metrics["per_household"]])
        mine = self._mine(self.per_household)[["code", "label", "unit", "per_household"]]
        mine = mine[mine["code"].isin(marked)]
        dist = self._district_per_household()[["code", "per_household"]].rename(columns={"per_household": "district"})
        t = mine.merge(dist, on="code", how="left")
        t["index"] = 100 * t["per_household"] / t["district"].where(t["district"] > 0)
        return t

    def per_household_table(self) -> str:
        t = self._per_household_compare()
        t["unit_label"] = t["unit"] + "/hộ"
        # each row its own unit: the cells are formatted here, with that unit's decimals
        for col in ("per_household", "district"):
            t[f"{col}_text"] = [metric_cell(v, u, False) for v, u in zip(t[col], t["unit_label"])]
        return present.table(t, {"label": "Nội dung", "unit_label": "Đơn vị tính", "per_household_text": self.name,
                                 "district_text": "Toàn huyện", "index": "So với toàn huyện (%)"},
                             formats={"index": lambda v: fmt_number(v, 0)},
                             numeric=["per_household_text", "district_text", "index"],
                             caption=f"Bình quân trên một hộ (tổng {self.first}–{self.last} ÷ số hộ năm {self.last})",
                             empty="Không tính được: xã, thị trấn chưa có số hộ hoặc số liệu Cuộc vận động.")

    def per_household_figure(self) -> go.Figure | None:
        t = self._per_household_compare().dropna(subset=["index"]).iloc[::-1]
        if t.empty:
            return None
        colors = [theme.STATUS_COLORS["reached"] if x >= 100 else theme.TIMELINESS_COLORS["late"] for x in t["index"]]
        fig = go.Figure(go.Bar(x=t["index"], y=[wrap(x, 32) for x in t["label"]], orientation="h", marker_color=colors,
                               hovertemplate="%{y}: %{x:.0f}% mức bình quân toàn huyện<extra></extra>"))
        fig.add_vline(x=100, line={"color": theme.SERIES["district"], "dash": "dash"})
        fig.update_yaxes(automargin=True)
        height = max(300, 60 + 34 * len(t))
        return base_layout(fig, "Bình quân trên một hộ so với toàn huyện (toàn huyện = 100)", x_title="%",
                           height=height, legend=False)

    def data_quality(self) -> str:
        tl = self.tl
        facts = [("Tình trạng", labels.late_text(tl["timeliness"], tl["days_late"], tl["days_counted"])),
                 ("Số phiên bản đã gửi", str(int(tl["n_versions"])))]
        if tl["n_versions"]:
            facts += [("Ngày nhận phiên bản đầu", fmt_date(tl["first_received_date"])),
                      ("Ngày nhận phiên bản mới nhất", fmt_date(tl["latest_received_date"])),
                      ("Kết quả kiểm tra phiên bản mới nhất",
                       f"{labels.SUBMISSION_CELL.get(tl['latest_status'], tl['latest_status'])}: {int(tl['n_errors'])} lỗi, "
                       f"{int(tl['n_warnings'])} cảnh báo")]
        out = "<dl class=\"meta-list\">" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in facts) + "</dl>"
        c = self._mine(self.completeness)
        sheets = {s["name"]: s.get("title", s["name"]) for s in self.outline.raw["sheets"]}
        c = c.assign(sheet_title=c["sheet"].map(lambda s: f"{s} – {sheets.get(s, s).capitalize()}"))
        out += present.table(c, {"sheet_title": "Trang", "expected_cells": "Số ô cần điền", "filled_cells": "Đã điền",
                                 "completeness": "Mức đầy đủ (%)"},
                             formats={"completeness": lambda v: fmt_number(v, 1, trim=True)},
                             numeric=["expected_cells", "filled_cells", "completeness"], caption="Mức đầy đủ của số liệu")
        f = self._mine(self.flags).assign(flag_label=lambda d: d["flag"].map(labels.FLAGS))
        out += present.table(f, {"flag_label": "Loại cảnh báo", "reason": "Nội dung"},
                             caption="Số liệu cần xem lại (cảnh báo, không phải kết luận)",
                             empty="Không có số liệu nào bị đánh dấu cần xem lại.")
        p = self._mine(self.ds.problems)
        if len(p):
            p = p.assign(sev=p["severity"].map(labels.SEVERITY_CELL).fillna(p["severity"]),
                         where=[f"{s}!{c}" if c else str(s) for s, c in zip(p["sheet"], p["cell"])],
                         msg=p["message"].map(lambda x: present.short(x, 300)))
            out += present.table(p, {"sev": "Mức", "where": "Vị trí", "msg": "Nội dung"},
                                 caption="Kết quả kiểm tra biểu mẫu (phiên bản mới nhất)")
        return out

    def narrative(self) -> str:
        from nrlib.reference import find_outline

        n = self._mine(self.ds.narratives).set_index("section_code")["text"]
        if self.submission is None:
            return present.paragraph("Đơn vị chưa gửi phần đánh giá.", "muted")
        # the sections of the outline version the unit's workbook followed, numbered as its workbook shows them
        own = find_outline(str(self.submission.get("outline_version") or "")) or self.outline
        intro = present.paragraph(f"Nguyên văn phần đánh giá của {self.unit_word} (trang DanhGia), hiển thị dạng văn bản.", "note")
        return intro + present.narrative_html((s["number"], s["title"], n.get(s["code"])) for s in own.sections)

    def proposals(self) -> str:
        return self.proposals_section([self.code])

    def methodology(self) -> str:
        return self.methodology_common() + self.history_section([self.code]) + self.levels_section([self.code])
