"""The district report: what ``notebooks/report_district.ipynb`` shows, section by section.

Every unit side by side, district totals and rates, criteria most at risk,
points per content and the class of each unit by the scoring table (the
relative ranking only when the district's settings ask for it), timeliness and
data quality, proposals and methodology.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from nrlib.analysis import maintenance, results, urban
from nrlib.analysis.timeliness import reporting_rates
from nrlib.core import labels
from nrlib.core.vnformat import MISSING, fmt_date, fmt_number, fmt_percent, fmt_quantity
from nrlib.present import fragments as present
from nrlib.present import narrative, partners
from nrlib.present import theme
from nrlib.present.figures import base_layout, wrap, year_axis
from nrlib.reports.sections import KEY_METRICS, Report, metric_cell, metric_value, money_metrics, rate_cell, trend_rates


class DistrictReport(Report):
    """The district report: every unit side by side, totals, scores and classes, criteria at risk, timeliness."""

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
                 (f"Số {self.units}", f"{r['expected']}; đã nộp {r['received']}, đúng hạn {r['on_time']}")]
        facts += self._facts_common()
        # sample data: the page's own banner says so (nrlib.reports.html_export), the one sample notice
        return present.title_block(org=f"{self.district_name} – {self.province_name}",
                                   title=f"Báo cáo tổng hợp toàn {self.district_name[0].lower()}{self.district_name[1:]}",
                                   subtitle=self.outline.raw['title'], facts=facts, place=self.district_name,
                                   date=self.today)

    def key_figures(self) -> str:
        r = self.rates_summary
        cards = [(f"{self.units.capitalize()} đã nộp báo cáo", f"{r['received']}/{r['expected']}", f"tỷ lệ {fmt_percent(r['reporting_rate'], 1)}"),
                 ("Nộp đúng hạn", f"{r['on_time']}/{r['expected']}", f"trễ hạn {r['late']}, chưa nộp {r['missing']}")]
        ua = results.units_all_reached(self.ds, cache=self.cache).set_index("year")
        if self.last in ua.index:
            x = ua.loc[self.last]
            cards.append((f"Xã đạt đủ tiêu chí năm {self.last}",
                          f"{int(x['n_units_all_reached'])}/{int(x['n_units_applicable'])}",
                          f"{int(x['n_units_reporting'])} xã có báo cáo kết quả"))
        ur = self.urban_reached[self.urban_reached["year"] == self.last]
        if len(ur):
            kinds = ", ".join(dict.fromkeys(narrative.type_word(t) for t in ur["unit_type"]))
            unknown = int(ur["all_reached"].isna().sum())
            reached = int(ur["all_reached"].fillna(False).astype(bool).sum())
            # nothing known of any town: "chưa có số liệu", never "0/1" (which reads as a town that failed)
            value = labels.URBAN_MISSING if unknown == len(ur) else f"{reached}/{len(ur)}"
            sub = f"{len(ur)} {kinds}" if unknown == len(ur) else f"{unknown} chưa có đủ số liệu" if unknown else ""
            cards.append((f"{kinds.capitalize()} đạt chuẩn văn minh đô thị năm {self.last}", value, sub))
        at_risk = maintenance.criteria_at_risk(self.ds, cache=self.cache)
        cards.append(("Tiêu chí sụt chuẩn ở ít nhất một xã", str(int((at_risk["n_units_at_risk"] > 0).sum())), ""))
        tot = self.district_totals.set_index("code")
        for code in self._metric_order(money_metrics() + list(KEY_METRICS)):
            m = self.metrics.loc[code]
            cards.append((m["label"], metric_value(tot.loc[code, "value_period"], m["unit"], m["integer"]),
                          f"{int(tot.loc[code, 'n_units'])} {self.units}, {self.first}–{self.last}"))
        for code in trend_rates()[:1]:
            x = self.district_rates[self.district_rates["code"] == code].set_index("year")["rate"]
            if len(x):
                lab = self.district_rates.loc[self.district_rates["code"] == code, "label"].iloc[0]
                cards.append((lab, f"{fmt_percent(x.get(self.first), 2)} → {fmt_percent(x.get(self.last), 2)}",
                              f"{self.first} → {self.last}"))
        from nrlib.present.narrative import district_sentences

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
                   "timeliness": labels.late_text(tl["timeliness"], tl["days_late"], tl["days_counted"])}
            known = code in ms.index and ms.loc[code, "no_data"] < len(self.criteria)
            if code in r.index and r.loc[code, "n_applicable"] > 0:
                no_decl = r.loc[code, "n_missing"] == r.loc[code, "n_applicable"]
                row["criteria"] = MISSING if no_decl else \
                    f"{int(r.loc[code, 'n_reached'])}/{int(r.loc[code, 'n_applicable'])}"
            else:
                # a town's urban result beside the xã's counts, in words: never a count to add to theirs
                row["criteria"] = (self.urban_cell(code, self.last) or "Không áp dụng") if code in r.index else MISSING
            row["kept"] = int(ms.loc[code, "kept"]) if known else None
            row["lost"] = int(ms.loc[code, "lost"] + ms.loc[code, "lost_and_regained"]) if known else None
            for mc in self._metric_order(money_metrics()):
                v = tot[(tot["unit_code"] == code) & (tot["code"] == mc)]["value_period"]
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
        cols = {"unit_code": "Mã", "name": self.units.capitalize(), "timeliness": "Nộp báo cáo", "criteria": f"Tiêu chí đạt {self.last}",
                "kept": labels.MAINTENANCE["kept"], "lost": "Sụt chuẩn"}
        fmts = {"kept": present.number(0), "lost": present.number(0)}
        for mc in self._metric_order(money_metrics()):
            cols[mc] = f"{_short(self.metrics.loc[mc, 'label'])} (triệu đồng)"
            fmts[mc] = lambda v: metric_cell(v, "triệu đồng", False)
        for rc in trend_rates()[:1]:
            lab = self.outline.rates.set_index("code")["label"].get(rc, rc)
            cols[rc] = f"{lab} {self.last} (%)"
            fmts[rc] = rate_cell
        cols["money_per_household"] = "Kinh phí huy động bình quân/hộ (triệu đồng)"
        fmts["money_per_household"] = lambda v: metric_cell(v, "triệu đồng/hộ", False)
        numeric = [c for c in cols if c not in ("unit_code", "name", "timeliness")]
        # a town's "Văn minh đô thị: …" is words among numbers: it may wrap rather than widen the column
        words = {"criteria": lambda v: "words" if isinstance(v, str) and not v[:1].isdigit() else None}
        out = present.table(t, cols, formats=fmts, numeric=numeric + ["unit_code"], cell_class=words,
                            caption=f"Các {self.units} đặt cạnh nhau, {self.first}–{self.last}")
        return out + self.urban_table()

    def urban_table(self) -> str:
        """The towns' and wards' urban years, by their own standard: result per year, and what the data measure."""
        ur = self.urban_reached
        if ur.empty:
            return ""
        codes = [c for c in self.order if c in set(ur["unit_code"])]
        years = sorted(set(ur["year"]))
        rows = [{"name": self.unit_names[c],
                 **{y: (self.urban_cell(c, y) or "").split(": ", 1)[-1].capitalize() or "" for y in years}}
                for c in codes]
        out = present.paragraph(
            "Thị trấn, phường không thuộc diện áp dụng bộ tiêu chí xã nông thôn mới: kết quả theo tiêu chuẩn "
            "“Phường, thị trấn đạt chuẩn văn minh đô thị” được trình bày riêng, không cộng vào số tiêu chí của các xã.",
            "note")
        out += present.table(pd.DataFrame(rows), {"name": "Đơn vị"} | {y: str(y) for y in years},
                             numeric=years, caption="Tiêu chuẩn văn minh đô thị: số tiêu chuẩn đạt theo năm")
        if not urban.collects_for(self.ds, codes):
            out += present.paragraph(
                f"Biểu mẫu sơ kết (đề cương phiên bản "
                f"{', '.join(sorted(set(urban.submitted_versions(self.ds, codes).values())) or [self.outline.version])}"
                ") không có phần tự đánh giá các tiêu chuẩn "
                f"này, nên kết quả ghi \"{labels.URBAN_MISSING}\" trừ khi số liệu Cuộc vận động cho thấy chưa đạt.",
                "note")
        return out + self.urban_measures(codes)

    def units_figures(self) -> list[go.Figure]:
        """Horizontal bars, one per unit (names stay readable on a phone), first unit on top."""
        figs = []
        r = self.reached[(self.reached["year"] == self.last) & (self.reached["n_applicable"] > 0)
                         & (self.reached["n_missing"] < self.reached["n_applicable"])]
        r = r.assign(name=r["unit_code"].map(self.unit_names))
        r = r.sort_values("unit_code", ascending=False)
        colors = [theme.STATUS_COLORS["reached"] if pd.notna(a) and bool(a) else theme.STATUS_COLORS["not_reached"] for a in r["all_reached"]]
        fig = go.Figure(go.Bar(x=r["n_reached"], y=r["name"], orientation="h", marker_color=colors,
                               customdata=r["n_applicable"],
                               hovertemplate="%{y}: %{x}/%{customdata} tiêu chí<extra></extra>"))
        fig.update_xaxes(range=[0, len(self.criteria) + 0.5], dtick=2)
        figs.append(base_layout(fig, f"Số tiêu chí đạt năm {self.last} theo {self.units} (xanh: đạt đủ)", x_title="số tiêu chí",
                                legend=False, height=max(300, 80 + 30 * len(r))))
        codes = self._metric_order(money_metrics())
        if codes:
            fig = go.Figure()
            tot = self.unit_totals
            order = self.order[::-1]
            for code in codes:
                s = tot[tot["code"] == code].set_index("unit_code").reindex(order)
                fig.add_bar(x=s["value_period"], y=[self.unit_names[c] for c in order], orientation="h",
                            name=wrap(self.metrics.loc[code, "label"]),
                            hovertemplate="%{y}: %{x:,.1f} triệu đồng<extra></extra>")
            fig.update_layout(barmode="stack")
            figs.append(base_layout(fig, f"Kinh phí huy động {self.first}–{self.last} theo {self.units}", x_title="triệu đồng",
                                    height=max(340, 120 + 30 * len(order))))
        return figs

    def campaign_table(self) -> str:
        rows = []
        for r in self.district_totals.itertuples():
            m = self.metrics.loc[r.code]
            rows.append({"code": r.code, "label": r.label, "unit": r.unit,
                         "first": metric_cell(r.value_first_year, r.unit, m["integer"]),
                         "last": metric_cell(r.value_last_year, r.unit, m["integer"]),
                         "total": metric_cell(r.value_period, r.unit, m["integer"]) if r.kind == "flow" else "",
                         "n_units": r.n_units})
        out = present.table(pd.DataFrame(rows), {"code": "Mã", "label": "Nội dung", "unit": "Đơn vị tính",
                                                 "first": str(self.first), "last": str(self.last),
                                                 "total": f"Tổng {self.first}–{self.last}",
                                                 "n_units": f"Số {self.units} có số liệu"},
                            numeric=["first", "last", "total", "n_units"],
                            caption=f"Kết quả Cuộc vận động toàn huyện (tổng các {self.units}), {self.first}–{self.last}")
        rt = self.district_rates
        if len(rt):
            w = self.rates_wide(rt)
            cols = {"label": "Tỷ lệ (%)"} | {y: str(y) for y in self.years if y in w.columns}
            out += present.table(w, cols, formats={y: rate_cell for y in self.years},
                                 numeric=[y for y in self.years if y in w.columns],
                                 caption="Các tỷ lệ toàn huyện theo năm (tính lại từ tổng tử số và tổng mẫu số)")
        out += partners.culture_section(self.ds, None, self.units, self.hamlet, self.cache)
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
                                hovertemplate="%{x}: %{y:.2f}%<extra></extra>")
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
        out = present.table(risk, {"criterion": "Tiêu chí", "n_units_lost": "Số xã sụt chuẩn (chưa đạt lại)",
                                   "n_units_lost_and_regained": "Số xã sụt chuẩn rồi đạt lại", "years_lost": "Năm sụt chuẩn",
                                   "units": "Đơn vị"},
                            numeric=["n_units_lost", "n_units_lost_and_regained"],
                            caption="Tiêu chí có nguy cơ: đã sụt chuẩn ở ít nhất một xã trong giai đoạn",
                            empty="Không xã nào sụt chuẩn tiêu chí nào trong giai đoạn.")
        ms = maintenance.maintenance_summary(self.ds, cache=self.cache)
        ms = ms.assign(name=ms["unit_code"].map(self.unit_names)).sort_values(
            "unit_code", key=lambda s: s.map(self.order.index))
        cols = {"name": "Đơn vị"} | {c: labels.MAINTENANCE[c] for c in maintenance.CLASSES if ms[c].sum() > 0}
        out += present.table(ms, cols, numeric=[c for c in cols if c != "name"],
                             caption=f"Diễn biến duy trì 19 tiêu chí theo {self.units} (số tiêu chí)")
        out += partners.criteria_section(self.ds, None, self.units, self.cache)
        return out

    def scoring(self) -> str:
        """Points per content and the class of each unit by the scoring table, the table itself, its method; the
        relative ranking after them only when the district's settings ask for it, labelled as such."""
        from nrlib.analysis import scoring
        from nrlib.present.scoring import asks_self_scores, scores_frame, self_vs_verified_frame
        from nrlib.reference.district_settings import load_district_settings

        us = scoring.unit_scores(self.ds, cache=self.cache)
        wide, headers = scores_frame(self.ds, self.cache, self.order)
        cols = {"unit_code": "Mã", "name": self.units.capitalize()} | headers
        out = self._class_summary(us)
        out += present.table(wide, cols, numeric=[c for c in cols if c not in ("name", "class")],
                             caption=f"Điểm thẩm định theo từng nội dung của bảng điểm thi đua và xếp loại, theo mã "
                                     f"{self.units}",
                             empty=f"Chưa có {self.units} nào được chấm điểm (chưa có biểu mẫu được chấp nhận).")
        if asks_self_scores(self.ds, self.cache):
            own, own_headers = self_vs_verified_frame(self.ds, self.cache, self.order)
            own_cols = {"unit_code": "Mã", "name": self.units.capitalize()} | own_headers
            out += present.table(own, own_cols, numeric=[c for c in own_cols if c != "name"],
                                 caption=f"Điểm tự chấm và điểm thẩm định theo từng nội dung (tự chấm / thẩm định), "
                                         f"theo mã {self.units}; tổng tự chấm gồm cả nội dung Hội đồng Thi đua – Khen "
                                         "thưởng chưa chấm")
        out += self._scoring_table(scoring.table_rows())
        out += present.callout("Cách chấm điểm", body=scoring.scoring_method_text())
        if load_district_settings().relative_ranking:
            out += self._relative_ranking()
        return out

    def _class_summary(self, us: pd.DataFrame) -> str:
        if us.empty:
            return ""
        counts = us.groupby("class_label", sort=False).size()
        order = [c.label for c in self.scoring_table.classes] + [self.scoring_table.below.label]
        parts = [f"{int(counts[c])} {self.units} xếp loại {c}" for c in order if c in counts.index]
        text = f"Theo bảng điểm thi đua, {len(us)} {self.units} được chấm: " + ", ".join(parts) + "."
        if us["provisional"].any():
            text += (f" Đây là {labels.PROVISIONAL}: các nội dung chưa có số liệu trong biểu mẫu chờ Hội đồng Thi đua – "
                     "Khen thưởng chấm.")
        return present.paragraph(text)

    @property
    def scoring_table(self):
        from nrlib.reference.scoring import load_scoring_table

        return load_scoring_table()

    def _scoring_table(self, table: pd.DataFrame) -> str:
        from nrlib.present.scoring import points_text

        t = table.copy()
        t["content"] = [f"{c}. {n}" for c, n in zip(t["content_code"], t["content_name"])]
        t.loc[t["content_code"].duplicated(), "content"] = ""
        t["how"] = t["how"].fillna("")
        return present.details(
            "Bảng điểm thi đua: điểm chuẩn và cách cho điểm từng nội dung",
            present.table(t, {"content": "Nội dung", "rule_label": "Tiêu chí chấm", "rule_max_points": "Điểm chuẩn",
                              "how": "Cách cho điểm"},
                          formats={"rule_max_points": points_text},
                          numeric=["rule_max_points"], caption=self.scoring_table.title))

    def _relative_ranking(self) -> str:
        from nrlib.analysis.ranking import COMPONENTS, commendation_ranking, load_ranking_config, ranking_method_text

        rk = commendation_ranking(self.ds, cache=self.cache)
        cfg = load_ranking_config()["components"]
        cols = {"rank": "Hạng", "unit_code": "Mã", "name": self.units.capitalize(), "score": "Điểm tương đối (thang 100)"}
        fmts = {"rank": present.number(0), "score": lambda v: fmt_number(v, 1)}
        for c in COMPONENTS:
            cols[f"{c}_raw"] = cfg[c]["label"]
            fmts[f"{c}_raw"] = RANKING_RAW_FORMATS.get(c, lambda v: fmt_number(v, 2, trim=True))
        body = present.table(rk, cols, formats=fmts, numeric=[c for c in cols if c != "name"],
                             caption=f"{labels.RELATIVE_RANKING}: điểm min-max và giá trị gốc của từng thành phần",
                             empty=f"Chưa có {self.units} nào được xếp hạng (chưa có biểu mẫu được chấp nhận).")
        return present.heading(labels.RELATIVE_RANKING, level=3) + body + present.callout(
            f"Cách tính {labels.RELATIVE_RANKING[0].lower()}{labels.RELATIVE_RANKING[1:]}", body=ranking_method_text(None),
            kind="warn")

    def timeliness(self) -> str:
        t = self.timeliness_df.copy()
        t = t.sort_values("unit_code", key=lambda s: s.map(self.order.index))
        t["status"] = t["timeliness"].map(labels.TIMELINESS_CELL)
        days_unit = labels.DAYS_LATE_UNIT[t["days_counted"].iloc[0]] if len(t) else labels.DAYS_LATE_UNIT["calendar"]
        t["result"] = t["latest_status"].map(labels.SUBMISSION_CELL)
        r = self.rates_summary
        head = present.paragraph(
            f"Hạn nộp {fmt_date(self.ds.deadline)}: {r['expected']} {self.units} phải nộp, đã nộp {r['received']} "
            f"({fmt_percent(r['reporting_rate'], 1)}), đúng hạn {r['on_time']} ({fmt_percent(r['on_time_rate'], 1)}), "
            f"trễ hạn {r['late']}, chưa nộp {r['missing']}.")
        c = self.completeness.groupby("unit_code").agg(expected=("expected_cells", "sum"), filled=("filled_cells", "sum"))
        t["completeness"] = t["unit_code"].map(100 * c["filled"] / c["expected"].where(c["expected"] > 0))
        nf = self.flags.groupby("unit_code").size()
        t["n_flags"] = t["unit_code"].map(nf).fillna(0).astype(int)
        return head + present.table(
            t, {"unit_code": "Mã", "name": "Đơn vị", "status": "Tình trạng", "days_late": f"Số {days_unit} trễ",
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
                               marker_color=[theme.TIMELINESS_COLORS[s] for s in sent["timeliness"]],
                               hovertemplate="%{y}: %{x} ngày so với hạn nộp<extra></extra>"))
        missing = t[t["timeliness"] == "missing"]
        for name in missing["name"]:
            fig.add_annotation(x=0, y=name, text="chưa nộp", showarrow=False, xanchor="left",
                               font={"color": theme.TIMELINESS_COLORS["missing"]})
        fig.add_scatter(x=[0] * len(missing), y=missing["name"], mode="markers", showlegend=False,
                        marker={"color": theme.TIMELINESS_COLORS["missing"], "symbol": "x", "size": 10}, hoverinfo="skip")
        fig.add_vline(x=0, line={"color": "#333", "dash": "dash"})
        return base_layout(fig, f"Ngày nộp so với hạn {fmt_date(self.ds.deadline)} (âm: nộp sớm; dương: trễ)",
                           x_title="số ngày", legend=False, height=max(300, 60 + 28 * len(t)))

    def proposals(self) -> str:
        return self.proposals_section(None)

    def methodology(self) -> str:
        return self.methodology_common() + self.history_section(None) + self.levels_section(None)


def _short(label: str) -> str:
    """A label without its parenthesised details, for a column header: "Kinh phí xã hội hóa (doanh …)" → "Kinh phí xã hội hóa"."""
    return str(label).split(" (")[0]


#: how the raw value of each relative-ranking component is shown (nrlib.analysis.ranking.COMPONENTS)
RANKING_RAW_FORMATS = {
    "maintenance": lambda v: fmt_percent(100 * v, 1),
    "mobilisation_per_household": lambda v: fmt_quantity(v, "triệu đồng/hộ"),
    "poverty_reduction": lambda v: f"{fmt_number(v, 2, trim=True)} điểm %",
    "timeliness": lambda v: f"{fmt_number(v, 0)} ngày trễ",
}
