"""HTML building blocks: everything escaped, statuses colour-coded, untrusted text shown as text."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from nrlib.core.vnformat import fmt_number
from nrlib.present import fragments as present

PAYLOADS = ['<script>window.__xss=1</script>', '<img src=x onerror="window.__xss=2">', '" onmouseover="x']


def test_table_escapes_every_value_and_header():
    df = pd.DataFrame({"name": PAYLOADS, "value": [1234.5, None, 3.0]})
    out = present.table(df, {"name": "Tên <b>", "value": "Giá trị"}, caption="<i>cap</i>",
                        formats={"value": lambda v: fmt_number(v, 1)}, numeric=["value"])
    assert "<script>" not in out and "<img" not in out and "<b>" not in out and "<i>" not in out
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in out
    assert "1.234,5" in out and "–" in out  # Vietnamese number; missing as an en dash
    assert out.count('class="num"') == 1 + 3
    assert '" onmouseover' not in out


def test_table_empty_says_so():
    out = present.table(pd.DataFrame({"a": []}), {"a": "A"}, caption="Đề xuất", empty="Không có đề xuất.")
    assert "Không có đề xuất." in out and "<table" not in out


def test_table_cell_class_cannot_inject_attributes():
    df = pd.DataFrame({"s": ["x"]})
    out = present.table(df, {"s": "S"}, cell_class={"s": lambda v: 'a" onclick="evil'})
    assert 'onclick="evil' not in out


def test_scorecard_colours_labels_and_missing_cells():
    matrix = pd.DataFrame({"criterion_no": [1, 1, 2], "year": [2016, 2017, 2016],
                           "status": ["reached", "not_reached", "not_applicable"]})
    labels = {"reached": "Đạt", "not_reached": "Chưa đạt", "not_applicable": "Không áp dụng"}
    out = present.scorecard(matrix, {1: "Quy hoạch", 2: "Giao thông <x>"}, [2016, 2017], labels,
                            marks={(1, 2016): "(*)"})
    assert out.count('class="st st-reached"') == 1
    assert out.count('class="st st-not_reached"') == 1
    assert out.count('class="st st-not_applicable"') == 1
    assert out.count('class="st st-missing"') == 1  # criterion 2, 2017: nothing declared
    assert "Đạt (*)" in out and "Giao thông &lt;x&gt;" in out
    assert out.index("1. Quy hoạch") < out.index("2. Giao thông")


def test_narrative_shows_untrusted_text_as_text():
    out = present.narrative_html([("I", "Tuyên truyền", "\n".join(PAYLOADS)), ("II.1", "Kinh tế", None)])
    assert "<script>" not in out and "<img" not in out
    assert "&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt;" in out
    assert "Đơn vị không viết nội dung mục này" in out


def test_cards_title_block_heading_callout():
    c = present.cards([("Tiêu chí đạt", "19/19", "năm 2020"), ("<b>", "1")])
    assert c.count('class="card"') == 2 and "&lt;b&gt;" in c
    t = present.title_block(org="Ủy ban MTTQ", title="Báo cáo", subtitle="Xã <A>", facts=[("Kỳ", "2016–2020")],
                            place="Thống Nhất", date=dt.date(2021, 2, 18))
    assert "Thống Nhất, ngày 18 tháng 02 năm 2021" in t and "Xã &lt;A&gt;" in t
    h = present.heading("3. Kết quả 19 tiêu chí")
    assert h == '<h2 id="3-ket-qua-19-tieu-chi">3. Kết quả 19 tiêu chí</h2>'
    w = present.callout("Cần chú ý", ["<u>x</u>"], kind="warn")
    assert 'class="callout warn"' in w and "&lt;u&gt;" in w
