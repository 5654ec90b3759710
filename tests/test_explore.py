"""nrlib.explore: the views and controls behind the notebooks, on a small hand-built Dataset.

The Dataset has four units of district 738 whose stories are known:
Gia Kiệm reached every criterion every year; Bàu Hàm 2 lost criterion 5 in
2018 and regained it in 2019, lost criterion 17 in 2020, left criterion 10
blank in 2017 and declared criterion 15 Đạt in 2020 with 15.1 below its
level; Dầu Giây (xã Xuân Thạnh until 2019) reached everything while a
commune and is outside the NTM criteria from 2019; Gia Tân 1 sent nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import pytest

import nrlib
from nrlib import explore
from nrlib.dataset import Dataset, empty_frame

YEARS = [2016, 2017, 2018, 2019, 2020]
GIA_KIEM, BAU_HAM_2, DAU_GIAY, GIA_TAN_1 = "26308", "26314", "26326", "26299"
HOUSEHOLDS = {GIA_KIEM: [4000, 4100, 4200, 4300, 4400], BAU_HAM_2: [3000, 3000, 3100, 3100, 3200],
              DAU_GIAY: [5000, 5100, 5200, 5300, 5400]}
POOR = {GIA_KIEM: [40, 30, 20, 10, 8], BAU_HAM_2: [60, 50, 40, 40, 32], DAU_GIAY: [50, 40, 30, 20, 10]}
MONEY = {GIA_KIEM: [100.0, 200.0, 300.0, 400.0, 500.0], BAU_HAM_2: [10.0, 20.0, 30.0, 40.0, 50.5],
         DAU_GIAY: [1000.0, 0.0, 0.0, 0.0, 2000.0]}


def _status(unit: str, year: int, no: int) -> str | None:
    if unit == DAU_GIAY and year >= 2019:
        return "not_applicable"
    if unit == BAU_HAM_2:
        if no == 5 and year == 2018:
            return "not_reached"
        if no == 17 and year == 2020:
            return "not_reached"
        if no == 10 and year == 2017:
            return None
    return "reached"


def make_dataset() -> Dataset:
    """The small Dataset of this module's docstring."""
    outline = nrlib.load_outline()
    criteria = nrlib.load_criteria()
    units = nrlib.load_units("738")
    units = units[units["unit_code"].isin([GIA_KIEM, BAU_HAM_2, DAU_GIAY, GIA_TAN_1])].reset_index(drop=True)
    uy = nrlib.unit_years(units, YEARS)
    reporting = [GIA_KIEM, BAU_HAM_2, DAU_GIAY]
    received = {GIA_KIEM: "2021-02-15", BAU_HAM_2: "2021-02-22", DAU_GIAY: "2021-02-18"}
    subs = pd.DataFrame([{
        "submission_id": i + 1, "unit_code": u, "version": 1, "file_name": f"{u}.xlsx", "sha256": "0" * 64,
        "size_bytes": 1000, "received_date": dt.date.fromisoformat(received[u]), "status": "accepted",
        "n_errors": 0, "n_warnings": 0, "is_sample": True, "outline_version": outline.version,
        "is_latest": True, "is_current": True} for i, u in enumerate(reporting)])
    sid = dict(zip(subs["unit_code"], subs["submission_id"]))
    status = [{"unit_code": u, "year": y, "criterion_no": no, "status": _status(u, y, no), "submission_id": sid[u]}
              for u in reporting for y in YEARS for no in range(1, 20)]
    values = []
    for u in reporting:
        for i, y in enumerate(YEARS):
            for code, series in (("VD11", HOUSEHOLDS), ("VD12", POOR), ("VD01", MONEY)):
                values.append({"unit_code": u, "year": y, "data_element": code, "value": float(series[u][i]),
                               "submission_id": sid[u]})
            health = 80.0 if (u == BAU_HAM_2 and y == 2020) else 92.0
            if not (u == DAU_GIAY and y >= 2019):
                values.append({"unit_code": u, "year": y, "data_element": "15.1", "value": health,
                               "submission_id": sid[u]})
    return Dataset(
        outline=outline, criteria=criteria, levels=nrlib.resolve_levels(["738", "75", "dnb"], YEARS),
        units=units, unit_years=uy, submissions=subs, values=pd.DataFrame(values),
        criteria_status=pd.DataFrame(status), problems=pd.DataFrame([{
            "submission_id": sid[BAU_HAM_2], "unit_code": BAU_HAM_2, "sheet": "VanDong", "cell": "D14",
            "rule": "W_OUTLIER", "severity": "warning", "message": "<b>VD12</b> khác xa các đơn vị khác", "value": 60}]),
        proposals=empty_frame("proposals"),
        narratives=empty_frame("narratives"), info=empty_frame("info"), deadline=outline.deadline,
        data_version="test")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return make_dataset()


def _heatmap_cells(ds, fig: go.Figure) -> dict[tuple[str, str], str]:
    """(row label, year) → status label of a traffic-light heatmap, read from its z codes."""
    h = fig.data[0]
    return {(y, x): explore.status_label(ds, explore.STATUS_ORDER[h.z[i][j]])
            for i, y in enumerate(h.y) for j, x in enumerate(h.x)}


# ----------------------------------------------------------------------------- options


def test_unit_options_sorted_vietnamese_with_former_name(ds):
    opts = explore.unit_options(ds)
    labels = [label for label, _ in opts]
    # Vietnamese order: B < D < G, and "Gia Kiệm" < "Gia Tân 1" (K before T)
    assert [code for _, code in opts] == [BAU_HAM_2, DAU_GIAY, GIA_KIEM, GIA_TAN_1]
    assert labels[1] == "Thị trấn Dầu Giây (trước đây: Xã Xuân Thạnh)"
    with_all = explore.unit_options(ds, include_all=True)
    assert with_all[0][1] == explore.ALL and with_all[1:] == opts


def test_metric_options_cover_outline_metrics_and_rates(ds):
    opts = explore.metric_options(ds)
    codes = [c for _, c in opts]
    assert set(codes) == set(ds.outline.metrics["code"]) | set(ds.outline.rates["code"])
    n_metrics = len(ds.outline.metrics)
    metric_labels = [label for label, _ in opts[:n_metrics]]
    assert metric_labels == nrlib.vnformat.sort_vietnamese(metric_labels)
    assert "Tổng số hộ dân cuối năm (hộ)" in metric_labels


def test_group_and_criterion_options(ds):
    groups = explore.group_options(ds)
    assert groups[0][1] == explore.ALL and [g for _, g in groups[1:]] == ["I", "II", "III", "IV", "V"]
    crit = explore.criterion_options(ds)
    assert [c for _, c in crit] == list(range(1, 20))
    assert crit[16][0].startswith("17. ")


# ----------------------------------------------------------------------------- criteria views


def test_scorecard_shows_unit_statuses_and_maintenance(ds):
    fig, table = explore.scorecard_view(ds, BAU_HAM_2, (2016, 2020))
    cells = _heatmap_cells(ds, fig)
    row5 = next(y for y in fig.data[0].y if y.startswith("5. "))
    row10 = next(y for y in fig.data[0].y if y.startswith("10. "))
    assert cells[(row5, "2018")] == "Chưa đạt" and cells[(row5, "2019")] == "Đạt"
    assert cells[(row10, "2017")] == "Thiếu số liệu"
    assert "Xã Bàu Hàm 2" in fig.layout.title.text
    assert fig.layout.separators == ",."
    assert fig.layout.xaxis.title.text == "Năm" and fig.layout.yaxis.title.text == "Tiêu chí"
    maint = dict(zip(table["Tiêu chí"], table.iloc[:, -1]))
    assert maint[row5] == "Mất rồi đạt lại"
    assert maint[next(k for k in maint if k.startswith("17. "))] == "Bị mất, chưa đạt lại"
    assert maint[next(k for k in maint if k.startswith("1. "))] == "Duy trì đạt"


def test_scorecard_colours_follow_the_traffic_lights(ds):
    fig, _ = explore.scorecard_view(ds, BAU_HAM_2)
    h = fig.data[0]
    n = len(explore.STATUS_ORDER)
    colour_of = {}  # status label -> colour at the middle of its band of the colour scale
    for i, s in enumerate(explore.STATUS_ORDER):
        colour_of[explore.status_label(ds, s)] = [c for pos, c in h.colorscale if pos <= (i + 0.5) / n][-1]
    assert colour_of == {"Đạt": "#2e7d32", "Chưa đạt": "#c62828", "Không áp dụng": "#90a4ae",
                         "Thiếu số liệu": "#ffffff"}
    legend = {tr.name: tr.marker.color for tr in fig.data[1:]}
    assert legend == colour_of  # one legend entry per status, in its colour
    # the z code of each cell is that of its status: the Chưa đạt cell of criterion 5 in 2018 is red
    row5 = [y.startswith("5. ") for y in h.y].index(True)
    assert explore.STATUS_ORDER[h.z[row5][list(h.x).index("2018")]] == "not_reached"
    assert h.text[row5][list(h.x).index("2018")] == "Chưa đạt"


def test_scorecard_town_years_are_not_applicable_and_year_range_filters(ds):
    fig, table = explore.scorecard_view(ds, DAU_GIAY, (2018, 2020), group="IV")
    assert list(fig.data[0].x) == ["2018", "2019", "2020"]
    assert [y.split(".")[0] for y in fig.data[0].y] == ["14", "15", "16", "17"]
    assert set(table["2019"]) == {"Không áp dụng"} and set(table["2018"]) == {"Đạt"}
    assert "nhóm IV" in fig.layout.title.text


def test_criterion_view_lists_every_unit(ds):
    fig, table = explore.criterion_view(ds, 5)
    cells = _heatmap_cells(ds, fig)
    assert cells[("Xã Bàu Hàm 2", "2018")] == "Chưa đạt"
    assert cells[("Xã Gia Tân 1", "2016")] == "Thiếu số liệu"
    assert cells[("Thị trấn Dầu Giây", "2020")] == "Không áp dụng"
    assert list(table["Đơn vị"]) == ["Xã Bàu Hàm 2", "Thị trấn Dầu Giây", "Xã Gia Kiệm", "Xã Gia Tân 1"]


def test_maintenance_and_risk_views(ds):
    fig, table = explore.maintenance_view(ds)
    row = table[table["Tiêu chí"].str.startswith("5. ")].iloc[0]
    assert row["Mất rồi đạt lại"] == "1" and row["Duy trì đạt"] == "2"
    assert sum(int(x) for x in row.iloc[1:]) == len(ds.units)
    rfig, rtable = explore.risk_view(ds, top=5)
    assert [t.split(".")[0] for t in rtable["Tiêu chí"]] == ["17", "5"]  # lost (not regained) first
    assert list(rtable["Năm bị mất"]) == ["2020", "2018"]
    assert "dễ bị mất" in rfig.layout.title.text
    _, only_group_v = explore.risk_view(ds, group="V")
    assert only_group_v.empty


# ----------------------------------------------------------------------------- results and campaign views


def test_overview_counts_reached_and_marks_towns(ds):
    fig, table = explore.overview_view(ds, (2016, 2020))
    t = table.set_index("Đơn vị")
    assert t.loc["Xã Gia Kiệm", "2016"] == "19/19"
    assert t.loc["Xã Bàu Hàm 2", "2018"] == "18/19"
    assert t.loc["Xã Bàu Hàm 2", "2017"] == "18/19, thiếu 1"  # criterion 10 blank: not counted as reached
    assert t.loc["Thị trấn Dầu Giây", "2020"] == "Không áp dụng"
    assert t.loc["Xã Gia Tân 1", "2016"] == "Thiếu số liệu"  # sent nothing: unknown, not 0/19
    assert t.loc["Số đơn vị đạt đủ các tiêu chí áp dụng", "2016"] == "3"
    assert t.loc["Số đơn vị đạt đủ các tiêu chí áp dụng", "2019"] == "2"
    z = dict(zip(fig.data[0].y, fig.data[0].z))
    assert z["Xã Gia Kiệm"][0] == 19
    for unit in ("Thị trấn Dầu Giây", "Xã Gia Tân 1"):  # no colour where nothing applies or nothing is known
        assert z[unit][-1] is None or math.isnan(z[unit][-1])


def test_campaign_view_sums_flows_and_recomputes_rates(ds):
    fig, table = explore.campaign_view(ds, "VD01", (2016, 2020))
    t = dict(zip(table["Đơn vị"], table.iloc[:, 1]))
    assert t["Xã Gia Kiệm"] == "1.500 triệu đồng"
    assert t["Xã Bàu Hàm 2"] == "150,5 triệu đồng"
    assert t["Toàn huyện"] == "4.650,5 triệu đồng"
    assert t["Xã Gia Tân 1"] == "–"
    assert "4.650,5" in fig.layout.title.text
    # the poor-household rate of the district is Σpoor / Σhouseholds of 2020, not a mean of unit rates
    _, rt = explore.campaign_view(ds, "R_POOR", (2016, 2020))
    district = dict(zip(rt["Đơn vị"], rt.iloc[:, 1]))["Toàn huyện"]
    expected = 100 * (8 + 32 + 10) / (4400 + 3200 + 5400)
    assert district == nrlib.vnformat.fmt_percent(expected, 2)


def test_campaign_view_per_household_and_year_range(ds):
    _, table = explore.campaign_view(ds, "VD01", (2019, 2020), per_household=True)
    t = dict(zip(table["Đơn vị"], table.iloc[:, 1]))
    assert t["Xã Gia Kiệm"] == nrlib.vnformat.fmt_number(900 / 4400, 3, trim=True) + " triệu đồng/hộ"
    assert "bình quân 1 hộ" in table.columns[1]
    # per household is meaningless for a rate: ignored, not applied twice
    _, rate_table = explore.campaign_view(ds, "R_POOR", (2020, 2020), per_household=True)
    assert "bình quân" not in rate_table.columns[1]


def test_trend_view_units_and_district(ds):
    fig, table = explore.trend_view(ds, "VD11", [GIA_KIEM, BAU_HAM_2], years=(2016, 2018))
    assert [tr.name for tr in fig.data] == ["Xã Bàu Hàm 2", "Xã Gia Kiệm"]
    assert list(fig.data[1].y) == [4000, 4100, 4200]
    assert table.iloc[1]["2018"] == "4.200 hộ"
    assert fig.layout.yaxis.title.text == "hộ"
    fig, table = explore.trend_view(ds, "R_POOR", [])
    assert [tr.name for tr in fig.data] == ["Toàn huyện"]
    assert fig.data[0].y[0] == pytest.approx(100 * (40 + 60 + 50) / (4000 + 3000 + 5000))
    assert "%{y:,.2f}" in fig.data[0].hovertemplate
    assert fig.layout.xaxis.type == "category"  # no "2.016,5" ticks between years


def test_unit_view(ds):
    fig, table = explore.unit_view(ds, BAU_HAM_2)
    by_name = {tr.name: list(tr.y) for tr in fig.data}
    assert by_name["Chưa đạt"] == [0, 0, 1, 0, 1]
    assert by_name["Thiếu số liệu"] == [0, 1, 0, 0, 0]
    households = table[table["Chỉ tiêu"].str.startswith("VD11")].iloc[0]
    assert households["2016"] == "3.000"


# ----------------------------------------------------------------------------- data quality views


def test_timeliness_view(ds):
    fig, table = explore.timeliness_view(ds)
    t = dict(zip(table["Đơn vị"], table["Thời hạn"]))
    assert t == {"Xã Bàu Hàm 2": "Trễ hạn 4 ngày", "Thị trấn Dầu Giây": "Đúng hạn", "Xã Gia Kiệm": "Đúng hạn",
                 "Xã Gia Tân 1": "Chưa nộp"}
    assert "18/02/2021" in fig.layout.title.text


def test_completeness_view(ds):
    fig, table = explore.completeness_view(ds)
    assert {tr.name for tr in fig.data} >= {"Trang VanDong", "Trang TieuChi"}
    row = table.set_index("Đơn vị").loc["Xã Gia Tân 1"]
    assert row["Trang TieuChi"].startswith("0 %")


def test_disagreements_and_flags(ds):
    fig, table = explore.disagreement_view(ds)
    assert list(table["Đơn vị"]) == ["Xã Bàu Hàm 2"] and list(table["Năm"]) == ["2020"]
    assert table.iloc[0]["Giá trị"] == "80 %" and table.iloc[0]["Mức đạt chuẩn"] == "≥ 85 %"
    _, none = explore.disagreement_view(ds, GIA_KIEM)
    assert none.empty
    ffig, ftable = explore.flags_view(ds, flag="declared_vs_measured")
    assert list(ftable["Đơn vị"]) == ["Xã Bàu Hàm 2"]
    assert "80" in ftable.iloc[0]["Lý do"]


def test_problems_view_points_to_the_cell(ds):
    fig, table = explore.problems_view(ds)
    assert table.to_dict("records") == [{"Đơn vị": "Xã Bàu Hàm 2", "Ô": "VanDong!D14", "Mức độ": "Cảnh báo",
                                         "Nội dung": "<b>VD12</b> khác xa các đơn vị khác"}]
    assert "&lt;b&gt;VD12" in explore.table_html(table)  # a message quoting a cell stays text
    warnings = next(tr for tr in fig.data if tr.name == "Cảnh báo")
    assert dict(zip(warnings.x, warnings.y))["Xã Bàu Hàm 2"] == 1
    assert explore.problems_view(ds, GIA_KIEM)[1].empty


def test_table_html_escapes_submitted_text():
    html = explore.table_html(pd.DataFrame({"Lý do": ["<script>alert(1)</script>"]}))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_every_view_and_option_draws_on_any_district():
    """Synthetic units of two districts (codes and names nrlib has never seen): every option of every control."""
    from nrlib.synthetic import synthetic_dataset

    sd = synthetic_dataset(n_units=12, n_districts=2, seed=3)
    units = [c for _, c in explore.unit_options(sd)]
    calls = [(explore.overview_view, {"years": (2017, 2019)}), (explore.completeness_view, {}),
             (explore.timeliness_view, {})]
    calls += [(explore.unit_view, {"unit_code": u}) for u in units]
    calls += [(explore.scorecard_view, {"unit_code": units[0], "group": g}) for _, g in explore.group_options(sd)]
    calls += [(explore.criterion_view, {"criterion_no": c}) for _, c in explore.criterion_options(sd)]
    calls += [(v, {"group": g}) for v in (explore.maintenance_view, explore.risk_view)
              for _, g in explore.group_options(sd)]
    for _, m in explore.metric_options(sd):
        calls += [(explore.campaign_view, {"metric_code": m, "per_household": True}),
                  (explore.trend_view, {"metric_code": m, "unit_codes": units[:2]})]
    calls += [(v, {"unit_code": u}) for v in (explore.flags_view, explore.disagreement_view, explore.problems_view)
              for u in [explore.ALL] + units[:3]]
    calls += [(explore.flags_view, {"flag": f}) for _, f in explore.flag_options(sd)]
    for view, kwargs in calls:
        fig, table = view(sd, **kwargs)
        title = fig.layout.title.text
        assert title and fig.layout.separators == ",." and isinstance(table, pd.DataFrame), (view.__name__, kwargs)
        assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text, (view.__name__, kwargs)
        json.dumps(json.loads(fig.to_json()), allow_nan=False)


# ----------------------------------------------------------------------------- controls wired to views


def test_panel_redraws_in_place_when_a_control_changes(ds):
    unit = explore.unit_dropdown(ds)
    panel = explore.Panel(explore.scorecard_view, ds, {"unit_code": unit, "years": explore.year_slider(ds),
                                                       "group": explore.group_dropdown(ds)})
    figure = panel.figure
    assert isinstance(figure, go.FigureWidget)
    assert "Xã Bàu Hàm 2" in figure.layout.title.text
    unit.value = GIA_KIEM
    assert panel.figure is figure  # the same widget, updated in place
    assert "Xã Gia Kiệm" in figure.layout.title.text
    assert "Chưa đạt" not in {t for row in figure.data[0].text for t in row}
    assert "Xã Gia Kiệm" in panel.table.value or "1. Quy hoạch" in panel.table.value
    panel.controls["years"].value = (2019, 2020)
    assert list(figure.data[0].x) == ["2019", "2020"]


def test_panel_sends_missing_values_as_json_null(ds):
    # Gia Tân 1 sent nothing: its bar is NaN in the figure, and must reach the browser as null
    panel = explore.Panel(explore.campaign_view, ds, {"metric_code": explore.metric_dropdown(ds, "VD01")})
    y = list(panel.figure.data[0].y)
    assert None in y and not any(isinstance(v, float) and math.isnan(v) for v in y)
    json.dumps(panel.figure.to_plotly_json()["data"], allow_nan=False)


def test_panel_reports_a_failing_redraw_instead_of_hiding_it(ds):
    def view(ds, value):
        if value == "bad":
            raise nrlib.NrlibError("lựa chọn không hợp lệ")
        return go.Figure(), pd.DataFrame({"a": [value]})

    control = widgets.Dropdown(options=["good", "bad"], value="good")
    panel = explore.Panel(view, ds, {"value": control})
    control.value = "bad"
    assert "lựa chọn không hợp lệ" in panel.message.value


def test_per_household_toggle_follows_the_metric(ds):
    metric = explore.metric_dropdown(ds, "VD01")
    toggle = explore.per_household_toggle(ds, metric)
    assert not toggle.disabled
    metric.value = "R_POOR"
    assert toggle.disabled
    metric.value = "VD11"
    assert toggle.disabled


# ----------------------------------------------------------------------------- opening the store


def test_missing_store_stops_with_a_clear_message(tmp_path):
    missing = tmp_path / "khong-co.duckdb"
    with pytest.raises(explore.NoDataError) as info:
        explore.load_dataset_or_stop(missing)
    message = str(info.value)
    assert str(missing) in message and "nrlib ingest" in message and "make demo" in message
    rendered = info.value._render_traceback_()
    assert len(rendered) == 1 and "Traceback" not in rendered[0]


def test_store_without_accepted_workbooks_stops_too(tmp_path):
    from nrlib import store

    db = tmp_path / "rong.duckdb"
    store.open_store(db, read_only=False).close()  # a store created, nothing ingested yet
    for district in (None, "738"):
        with pytest.raises(explore.NoDataError) as info:
            explore.load_dataset_or_stop(db, district)
        assert "nrlib ingest" in str(info.value) and "make demo" in str(info.value)
