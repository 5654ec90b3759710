"""nrlib.explore.criteria: the views of notebook 02 (criteria maintenance), on the Dataset of explore_fixtures."""

from __future__ import annotations

import plotly.graph_objects as go
from explore_fixtures import BAU_HAM_2, DAU_GIAY, GIA_KIEM, ds  # noqa: F401 (ds is a fixture)

from nrlib import explore
from nrlib.core import labels


def _heatmap_cells(ds, fig: go.Figure) -> dict[tuple[str, str], str]:
    """(row label, year) → status label of a traffic-light heatmap, read from its z codes."""
    h = fig.data[0]
    return {(y, x): explore.status_label(ds, explore.STATUS_ORDER[h.z[i][j]])
            for i, y in enumerate(h.y) for j, x in enumerate(h.x)}


# ----------------------------------------------------------------------------- criteria views


def test_scorecard_shows_unit_statuses_and_maintenance(ds):
    fig, table = explore.scorecard_view(ds, BAU_HAM_2, (2016, 2020))
    cells = _heatmap_cells(ds, fig)
    row5 = next(y for y in fig.data[0].y if y.startswith("5. "))
    row10 = next(y for y in fig.data[0].y if y.startswith("10. "))
    assert cells[(row5, "2018")] == "Chưa đạt" and cells[(row5, "2019")] == "Đạt"
    assert cells[(row10, "2017")] == labels.STATUS_MISSING
    assert "Xã Bàu Hàm 2" in fig.layout.title.text
    assert fig.layout.separators == ",."
    assert fig.layout.xaxis.title.text == "Năm" and fig.layout.yaxis.title.text == "Tiêu chí"
    maint = dict(zip(table["Tiêu chí"], table.iloc[:, -1]))
    assert maint[row5] == labels.MAINTENANCE["lost_and_regained"]
    assert maint[next(k for k in maint if k.startswith("17. "))] == labels.MAINTENANCE["lost"]
    assert maint[next(k for k in maint if k.startswith("1. "))] == labels.MAINTENANCE["kept"]


def test_scorecard_colours_follow_the_traffic_lights(ds):
    fig, _ = explore.scorecard_view(ds, BAU_HAM_2)
    h = fig.data[0]
    n = len(explore.STATUS_ORDER)
    colour_of = {}  # status label -> colour at the middle of its band of the colour scale
    for i, s in enumerate(explore.STATUS_ORDER):
        colour_of[explore.status_label(ds, s)] = [c for pos, c in h.colorscale if pos <= (i + 0.5) / n][-1]
    assert colour_of == {"Đạt": "#2e7d32", "Chưa đạt": "#c62828", "Không áp dụng": "#90a4ae",
                         labels.STATUS_MISSING: "#ffffff"}
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
    assert cells[("Xã Gia Tân 1", "2016")] == labels.STATUS_MISSING
    assert cells[("Thị trấn Dầu Giây", "2020")] == "Không áp dụng"
    assert list(table["Đơn vị"]) == ["Xã Bàu Hàm 2", "Thị trấn Dầu Giây", "Xã Gia Kiệm", "Xã Gia Tân 1"]


def test_maintenance_and_risk_views(ds):
    fig, table = explore.maintenance_view(ds)
    row = table[table["Tiêu chí"].str.startswith("5. ")].iloc[0]
    assert row[labels.MAINTENANCE["lost_and_regained"]] == "1" and row[labels.MAINTENANCE["kept"]] == "2"
    assert sum(int(x) for x in row.iloc[1:]) == len(ds.units)
    rfig, rtable = explore.risk_view(ds, top=5)
    assert [t.split(".")[0] for t in rtable["Tiêu chí"]] == ["17", "5"]  # lost (not regained) first
    assert list(rtable["Năm bị mất"]) == ["2020", "2018"]
    assert "dễ bị mất" in rfig.layout.title.text
    _, only_group_v = explore.risk_view(ds, group="V")
    assert only_group_v.empty


def test_a_towns_scorecard_has_its_own_standard_beside_the_new_rural_criteria(ds):
    fig, table = explore.scorecard_view(ds, DAU_GIAY, (2016, 2020))
    rows = list(fig.data[0].y)
    assert rows[:19] == [r for r in rows if r[:1].isdigit()] and len(rows) == 19 + 5
    assert rows[19].startswith("VM1. ") and rows[-1].startswith("VM5. ")
    t = table.set_index("Tiêu chí")
    vm2 = next(r for r in t.index if r.startswith("VM2. "))
    # grey in the xã's years (not this standard), "chưa có số liệu" in the town's (outline 1.0 collects nothing)
    assert (t.loc[vm2, "2018"], t.loc[vm2, "2020"]) == ("Không áp dụng", labels.URBAN_MISSING)
    assert t.loc[rows[0], "2020"] == "Không áp dụng" and t.loc[rows[0], "2018"] == "Đạt"
    # a xã, or one group of the new-rural criteria: no urban rows
    assert not any(y.startswith("VM") for y in explore.scorecard_view(ds, GIA_KIEM)[0].data[0].y)
    assert not any(y.startswith("VM") for y in explore.scorecard_view(ds, DAU_GIAY, group="IV")[0].data[0].y)
