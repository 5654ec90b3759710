"""The one look of every chart, in the notebooks and in the reports: colours, font, plotly template and config.

Colours are named by what they show (a criterion status, a maintenance
class, a timeliness, a series), so the same thing has the same colour in a
notebook, a report's chart and the report's stylesheet
(``nrlib/templates/nrlib_report/report.css`` uses the same values).
"""

from __future__ import annotations

FONT = "Segoe UI, Roboto, Noto Sans, DejaVu Sans, Arial, sans-serif"

#: a unit, and its district for comparison
SERIES = {"unit": "#0b5394", "district": "#9aa5b1", "self": "#f9a825"}  # self: a unit's own score
#: criterion statuses (traffic lights; nothing declared is white)
STATUS_COLORS = {"reached": "#2e7d32", "not_reached": "#c62828", "not_applicable": "#90a4ae", "missing": "#ffffff"}
#: maintenance classes, in the order bars are stacked
MAINTENANCE_COLORS = {"kept": "#2e7d32", "gained": "#66bb6a", "lost_and_regained": "#f9a825", "lost": "#c62828",
                      "never": "#8d6e63", "not_applicable": "#90a4ae", "no_data": "#eeeeee"}
#: a unit's report against the deadline
TIMELINESS_COLORS = {"on_time": "#2e7d32", "late": "#f9a825", "missing": "#c62828"}
#: a problem's severity
SEVERITY_COLORS = {"error": "#c62828", "warning": "#f9a825"}
#: other series, in order
SEQUENCE = ["#0b5394", "#e69138", "#6aa84f", "#a64d79", "#3d85c6", "#cc0000", "#674ea7", "#45818e",
            "#bf9000", "#999999"]

# A small template instead of "plotly_white": plotly writes the whole template into every figure, and
# plotly_white (defaults for ~40 trace types) would add ~7 KB per chart to a report, and ~0,1 s to every
# redraw of a notebook's chart.
_AXIS = {"gridcolor": "#e3e8ee", "linecolor": "#c8d0d9", "zerolinecolor": "#c8d0d9", "automargin": True,
         "ticks": "", "title": {"standoff": 8}, "separatethousands": True,
         "exponentformat": "none"}  # 30.000, not the English "30k"
TEMPLATE = {"layout": {"paper_bgcolor": "white", "plot_bgcolor": "white", "font": {"color": "#1d2327"},
                       "colorway": SEQUENCE, "xaxis": _AXIS, "yaxis": _AXIS, "hoverlabel": {"align": "left"},
                       "hovermode": "closest"}}
#: Vietnamese number format in every chart: decimal comma, thousands dot
SEPARATORS = ",."

#: plotly.js config of every chart. plotly.js 4 shows a "Share chart..." button by default that uploads the
#: chart's data to Plotly Cloud: never, for a report that must not send anything anywhere. (plotly.js 4 has no
#: "Edit in Chart Studio" option any more; plotly warned on each chart that it was given one.)
PLOT_CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "responsive": True,
    "locale": "vi",
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines",
                               "hoverCompareCartesian", "hoverClosestCartesian", "sendChartToCloud"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
