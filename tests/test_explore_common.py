"""nrlib.explore.common: the helpers every exploration view shares (the views test the rest)."""

from __future__ import annotations

import pandas as pd

from nrlib import explore


def test_table_html_escapes_submitted_text():
    html = explore.table_html(pd.DataFrame({"Lý do": ["<script>alert(1)</script>"]}))
    assert "<script>" not in html and "&lt;script&gt;" in html
