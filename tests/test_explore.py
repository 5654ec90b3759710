"""nrlib.explore: the options and controls of the notebooks, Panel, opening the store; every view on any district.

The views themselves are tested per notebook in test_explore_results,
test_explore_criteria and test_explore_quality, on the Dataset of
``explore_fixtures``.
"""

from __future__ import annotations

import json
import math

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
import pytest
from explore_fixtures import BAU_HAM_2, DAU_GIAY, GIA_KIEM, GIA_TAN_1, ds  # noqa: F401 (ds is a fixture)

import nrlib
from nrlib import explore

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
    assert metric_labels == nrlib.core.vnformat.sort_vietnamese(metric_labels)
    assert "Tổng số hộ dân cuối năm (hộ)" in metric_labels


def test_group_and_criterion_options(ds):
    groups = explore.group_options(ds)
    assert groups[0][1] == explore.ALL and [g for _, g in groups[1:]] == ["I", "II", "III", "IV", "V"]
    crit = explore.criterion_options(ds)
    assert [c for _, c in crit] == list(range(1, 20))
    assert crit[16][0].startswith("17. ")


# ----------------------------------------------------------------------------- every view, every option


def test_every_view_and_option_draws_on_any_district():
    """Synthetic units of two districts (codes and names nrlib has never seen): every option of every control."""
    from nrlib.workbooks.synthetic import synthetic_dataset

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
    calls += [(explore.scoring_view, {"unit_code": u, "relative": r}) for u in [explore.ALL] + units[:3]
              for r in (False, True)]
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
    assert figure._config["showSendToCloud"] is False and figure._config["locale"] == "vi"   # no upload button
    assert "Xã Bàu Hàm 2" in figure.layout.title.text
    unit.value = GIA_KIEM
    assert panel.figure is figure  # the same widget, updated in place
    assert "Xã Gia Kiệm" in figure.layout.title.text
    assert "Chưa đạt" not in {t for row in figure.data[0].text for t in row}
    # the table below is Gia Kiệm's, not the first unit's (which shows the same criteria names)
    before = explore.table_html(explore.scorecard_view(ds, unit_code=unit.options[0][1])[1])
    assert panel.table.value == explore.table_html(explore.scorecard_view(ds, unit_code=GIA_KIEM)[1]) != before
    panel.controls["years"].value = (2019, 2020)
    assert list(figure.data[0].x) == ["2019", "2020"]


def test_the_widget_channel_opens_with_the_whole_figure(ds, monkeypatch):
    """The comm_open message carries the figure, its config and the view counter (issue 16: plotly's own
    FigureWidget opens with an empty figure and sends it after; a browser view rendered in between stayed
    empty for good)."""
    import ipywidgets.widgets.widget as widget_module

    opened = []

    class Comm:          # what the kernel's comm would send: the state of the comm_open message
        kernel = None
        comm_id = "test"

        def __init__(self, **kwargs):
            opened.append(kwargs["data"]["state"])

        def on_msg(self, callback):
            pass

        def send(self, *args, **kwargs):
            pass

        def close(self, *args, **kwargs):
            pass

    monkeypatch.setattr(widget_module.comm, "create_comm", lambda **kwargs: Comm(**kwargs))
    unit = explore.unit_dropdown(ds)
    panel = explore.Panel(explore.scorecard_view, ds, {"unit_code": unit})
    (state,) = [s for s in opened if "_widget_data" in s]      # the figure's channel, opened once
    fig, _ = explore.scorecard_view(ds, unit_code=unit.value)
    assert len(state["_widget_data"]) == len(fig.data) >= 1
    assert state["_widget_data"][0]["z"] and state["_widget_data"][0]["meta"]["unit_code"] == unit.value
    assert state["_widget_layout"]["title"]["text"] == fig.layout.title.text
    assert state["_config"]["showSendToCloud"] is False and state["_config"]["locale"] == "vi"
    assert state["_view_count"] == 0                            # views count themselves from the first one
    # plotly's own widget opens empty: the test would fail without the held comm
    opened.clear()
    go.FigureWidget(json.loads(fig.to_json()))
    assert [len(s["_widget_data"]) for s in opened if "_widget_data" in s] == [0]
    assert panel.figure.comm is not None


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
