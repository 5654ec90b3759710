"""Presentation shared by notebooks and reports: the chart theme, plotly figures, escaped HTML fragments
and Vietnamese sentences written from the analyses (partners: those on the partners' figures).

The HTML fragments (:mod:`nrlib.present.fragments`) are re-exported here, so a report notebook's
``from nrlib import present`` then ``present.show(...)`` reads as it always has.
"""

from nrlib.present.fragments import *  # noqa: F401,F403
from nrlib.present.fragments import __all__  # noqa: F401
