"""The scoring table as data (nrlib.reference.scoring): the reference table, and tables refused at their key."""

from __future__ import annotations

import pytest

import nrlib
from nrlib.exceptions import ReferenceDataError
from nrlib.reference.scoring import MEASURE_KINDS, load_scoring_table


@pytest.fixture(scope="module")
def table():
    return load_scoring_table()


def test_the_reference_table_covers_the_outline_and_adds_up(table):
    outline = nrlib.load_outline()
    sections = [s["code"] for s in outline.sheet("DanhGia")["sections"]]
    answered = [c.section for c in table.contents if c.section]
    assert answered == ["I", "II.1", "II.2", "II.3", "II.4", "II.5"] and set(answered) <= set(sections)
    assert table.total_points == 100 and [c.code for c in table.contents][-2:] == ["NTM", "BC"]
    assert [c.code for c in table.contents if c.by_council] == ["I", "II.4"]
    assert not table.verified                                  # points and thresholds: nrlib's proposal
    metrics, rates = set(outline.metrics["code"]), set(outline.rates["code"])
    for c in table.contents:
        for r in c.rules:
            assert r.measure["kind"] in MEASURE_KINDS
            assert set(r.measure.get("metrics", [])) <= metrics, r.code
            assert r.measure.get("rate", "R_POOR") in rates, r.code
    assert [k.label for k in table.classes] == ["Xuất sắc", "Vững mạnh", "Khá", "Trung bình"]
    assert table.class_for(90).label == "Xuất sắc" and table.class_for(89.99).label == "Vững mạnh"
    assert table.class_for(10).label == "Yếu"


def test_rules_say_how_points_follow(table):
    rule = table.content("II.1").rules[0]
    assert rule.how_text() == ("≥ 5 triệu đồng/hộ: 10 điểm; ≥ 3 triệu đồng/hộ: 8 điểm; ≥ 2 triệu đồng/hộ: 6 điểm; "
                               "≥ 1 triệu đồng/hộ: 4 điểm; > 0 triệu đồng/hộ: 2 điểm; còn lại: 0 điểm")
    assert table.content("II.1").rules[1].how_text().startswith("≤ 1%: 5 điểm; ≤ 2%: 4 điểm")
    assert table.content("BC").rules[0].how_text() == "3 điểm, trừ 1 điểm mỗi ngày (thấp nhất 0)"
    assert table.content("NTM").rules[0].how_text() == "15 điểm × tỷ lệ đạt"


_RULE = """  - code: X
    name: Thử
    max_points: 10
    rules:
      - code: r
        label: r
        measure: {kind: days_late}
        max_points: 10
        points: {kind: deduction, per: 1}
"""
_CLASSES = "classes:\n  - {code: a, label: A, at_least: 80}\n  - {code: b, label: B, at_least: 50}\nbelow: {code: c, label: C}\n"


@pytest.mark.parametrize("contents,classes,match", [
    (_RULE.replace("days_late", "charm"), _CLASSES, "unknown measure"),
    (_RULE.replace("{kind: days_late}", "{kind: rate_last}"), _CLASSES, "needs"),
    (_RULE.replace("    max_points: 10\n    rules", "    max_points: 12\n    rules"), _CLASSES, "add up"),
    (_RULE.replace("{kind: deduction, per: 1}", "{kind: steps, steps: [{at_least: 1, points: 2}, "
                   "{at_least: 5, points: 1}]}"), _CLASSES, "best value down"),
    (_RULE.replace("{kind: deduction, per: 1}", "{kind: steps, steps: [{at_least: 1, points: 20}]}"), _CLASSES,
     "maximum"),
    (_RULE.replace("{kind: deduction, per: 1}", "{kind: bonus}"), _CLASSES, "unknown kind of points"),
    (_RULE, _CLASSES.replace("at_least: 50", "at_least: 90"), "highest down"),
    (_RULE, _CLASSES.replace("below: {code: c, label: C}\n", ""), "below"),
    (_RULE + _RULE, _CLASSES, "duplicate content"),
])
def test_a_table_that_cannot_be_applied_is_refused(tmp_path, contents, classes, match):
    f = tmp_path / "t.yaml"
    f.write_text("version: '1'\ncontents:\n" + contents + classes, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=match):
        load_scoring_table(f)


def test_a_missing_table_is_named(tmp_path):
    with pytest.raises(ReferenceDataError, match="not found"):
        load_scoring_table(tmp_path / "none.yaml")
