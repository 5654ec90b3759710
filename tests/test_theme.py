"""nrlib.present.theme: the notebooks and the reports draw with one template, one font and one set of colours."""

import plotly.graph_objects as go

from nrlib.core import vocab
from nrlib.explore import common
from nrlib.present import figures, theme


def test_a_report_chart_and_a_notebook_chart_share_the_theme(tmp_path):
    from fixtures_analysis import make_dataset

    report = figures.base_layout(go.Figure(go.Bar(x=[1], y=[2])), "R")
    notebook = common.style_figure(common.new_figure(go.Bar(x=[1], y=[2])), make_dataset(), "N", "x", "y")
    for fig in (report, notebook):
        assert fig.layout.separators == theme.SEPARATORS == ",."
        assert fig.layout.font.family == theme.FONT
        assert fig.layout.template.layout.plot_bgcolor == "white"
        assert list(fig.layout.template.layout.colorway) == theme.SEQUENCE
        assert fig.layout.template.layout.xaxis.gridcolor == theme.TEMPLATE["layout"]["xaxis"]["gridcolor"]


def test_every_status_and_class_has_a_colour():
    assert set(theme.STATUS_COLORS) == {*vocab.CRITERION_STATUSES, vocab.MISSING}
    assert set(theme.MAINTENANCE_COLORS) == set(vocab.MAINTENANCE_CLASSES)
    assert set(theme.TIMELINESS_COLORS) == set(vocab.TIMELINESS)
