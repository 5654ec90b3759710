"""The scores as a reader sees them: points, a content's cell, a class, the table of every unit's points.

One wording for the district report (:mod:`nrlib.reports.district`) and the
notebooks (:mod:`nrlib.explore.results`): points with the decimals of the unit
``điểm`` (:data:`nrlib.core.vnformat.DECIMALS`), a content the council has not
scored "Chưa chấm", one that does not apply "Không áp dụng", a provisional class
"Vững mạnh (tạm xếp loại)"; a unit's own score beside the district's, "Chưa tự chấm" where it left it blank.
"""

from __future__ import annotations

import pandas as pd

from nrlib.analysis import scoring
from nrlib.core import labels
from nrlib.core.vnformat import MISSING, fmt_quantity
from nrlib.core.vocab import is_missing


def points_text(x) -> str:
    """Points in Vietnamese format without the unit: ``14.25`` → ``14,25``, ``19.0`` → ``19``."""
    return MISSING if is_missing(x) else fmt_quantity(x, "điểm", with_unit=False, trim=True)


def content_cell(status: str, points) -> str:
    """A content's cell: its verified points, ``Chưa chấm`` (the council's), ``Không áp dụng``."""
    if status == "scored":
        return points_text(points)
    return labels.cell(labels.SCORING_STATUS[status])


def class_text(label, provisional: bool) -> str:
    """``Xuất sắc``, or ``Xuất sắc (tạm xếp loại)`` while contents wait for the council."""
    if not isinstance(label, str):
        return MISSING
    return f"{label} ({labels.PROVISIONAL})" if provisional else label


def self_cell(status: str, points) -> str:
    """A unit's own score of a content (or its sum): the points, ``Chưa tự chấm`` (its workbook asked, the cell was
    left blank), ``Không có số liệu`` (its workbook never asked: outline version 1)."""
    if status == "scored":
        return points_text(points)
    return labels.cell(labels.SELF_SCORE_BLANK if status == "blank" else labels.NO_SELF_SCORE)


def unit_self_status(cs: pd.DataFrame) -> dict[str, str]:
    """Per unit: ``scored`` when it scored itself on any content, else ``blank`` when asked, else ``not_asked``."""
    rank = {"scored": 2, "blank": 1, "not_asked": 0}
    best = cs.assign(_r=cs["self_status"].map(rank)).groupby("unit_code")["_r"].max()
    back = {v: k for k, v in rank.items()}
    return {u: back[int(r)] for u, r in best.items()}


def asks_self_scores(ds, cache: dict | None = None) -> bool:
    """Whether any scored unit's workbook has the self-score cells (outline version 2's TuCham)."""
    cs = scoring.content_scores(ds, cache)
    return bool((cs["self_status"] != "not_asked").any())



def _scores_and_headers(ds, cache, order) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The units' scores (in ``order`` of unit codes when given), the contents' scores, and a header per
    content (``II.1 (20)``: its code and maximum points) under ``c_<code>``."""
    us = scoring.unit_scores(ds, cache)
    cs = scoring.content_scores(ds, cache)
    contents = scoring.table_rows().drop_duplicates("content_code")
    headers = {f"c_{c}": f"{c} ({points_text(m)})" for c, m in zip(contents["content_code"],
                                                                   contents["content_max_points"])}
    if order is not None:
        pos = {c: i for i, c in enumerate(order)}
        us = us.sort_values("unit_code", key=lambda s: s.map(pos), kind="stable")
    return us, cs, headers

def self_vs_verified_frame(ds, cache: dict | None = None, order: list[str] | None = None) -> tuple[pd.DataFrame, dict]:
    """Each scored unit's own score beside the district's verified points, per content: ``18 / 17``
    (``tự chấm / thẩm định``), a blank self-score ``Chưa tự chấm / 17``, a content the council scores
    ``18 / Chưa chấm``.

    Returns
    -------
    (DataFrame, dict)
        Columns ``unit_code, name``, ``c_<content code>`` per content and ``total`` (the sums, the verified one
        over the contents scored); the dict maps each column but ``unit_code`` and ``name`` to its header.
    """
    us, cs, headers = _scores_and_headers(ds, cache, order)
    headers["total"] = f"{labels.SELF_SCORE} / {labels.VERIFIED_SCORE.lower()}"
    cell = {(u, c): f"{self_cell(ss, sp)} / {content_cell(st, vp)}" for u, c, ss, sp, st, vp in
            zip(cs["unit_code"], cs["content_code"], cs["self_status"], cs["self_points"], cs["status"],
                cs["verified_points"])}
    own = unit_self_status(cs)
    rows = []
    for r in us.itertuples():
        row = {"unit_code": r.unit_code, "name": r.name}
        row |= {k: cell.get((r.unit_code, k[2:]), MISSING) for k in headers if k.startswith("c_")}
        row["total"] = f"{self_cell(own.get(r.unit_code, 'not_asked'), r.self_points)} / {points_text(r.points)}"
        rows.append(row)
    return pd.DataFrame(rows, columns=["unit_code", "name", *headers]), headers


def scores_frame(ds, cache: dict | None = None, order: list[str] | None = None) -> tuple[pd.DataFrame, dict]:
    """Every scored unit's points per content, total, score out of 100 and class, as display text.

    Returns
    -------
    (DataFrame, dict)
        Columns ``unit_code, name``, ``c_<content code>`` per content of the
        table, ``self_points`` (the sum of the unit's self-scores, when any unit's workbook asked for them:
        :func:`self_cell`), ``total``
        (``points/max_points``), ``score_100``, ``class``; rows in ``order``
        (unit codes; default ``ds.units`` order). The dict maps each column
        but ``unit_code`` and ``name`` to its Vietnamese header
        (``II.1 (20)``: the content's code and its maximum points).
    """
    us, cs, headers = _scores_and_headers(ds, cache, order)
    # the self-score column shows once any workbook asked for it (outline 2's TuCham), "chưa tự chấm" where blank
    own = bool((cs["self_status"] != "not_asked").any()) or us["self_points"].notna().any()
    own_status = unit_self_status(cs)
    if own:
        headers["self_points"] = labels.SELF_SCORE
    headers |= {"total": "Điểm thẩm định / điểm chuẩn đã chấm", "score_100": "Thang 100", "class": "Xếp loại"}
    cell = {(u, c): content_cell(s, v) for u, c, s, v in
            zip(cs["unit_code"], cs["content_code"], cs["status"], cs["verified_points"])}
    rows = []
    for r in us.itertuples():
        row = {"unit_code": r.unit_code, "name": r.name}
        row |= {k: cell.get((r.unit_code, k[2:]), MISSING) for k in headers if k.startswith("c_")}
        if own:
            row["self_points"] = self_cell(own_status.get(r.unit_code, "not_asked"), r.self_points)
        # a table column keeps its decimals, so "71,00/80" aligns under "71,84/80" (vnformat.fmt_quantity)
        total = MISSING if is_missing(r.points) else fmt_quantity(r.points, "điểm", with_unit=False)
        row |= {"total": f"{total}/{points_text(r.max_points)}",
                "score_100": fmt_quantity(r.score_100, "điểm", with_unit=False),
                "class": class_text(r.class_label, r.provisional)}
        rows.append(row)
    return pd.DataFrame(rows, columns=["unit_code", "name", *headers]), headers
