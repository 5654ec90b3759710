"""Synthetic sample submissions ("DỮ LIỆU MẪU") for any district, seeded and reproducible.

No real per-commune 2016-2020 dataset is public, so the demo, the tests and the
benchmarks run on synthetic workbooks written by the same code as the blank
templates (:func:`nrlib.workbooks.template.write_workbook`). Every sample workbook says
so: the ThongTin data note and the instructions sheet carry the outline's
``sample_marker`` ("DỮ LIỆU MẪU").

Method
------
Each unit draws from its own generator, ``numpy.random.default_rng([seed,
unit_code])``, so a unit's data do not depend on which other units exist.
Magnitudes follow ``shared/reference/README.md`` (a commune of 3.000-6.000
households growing 1-3 %/year, 8-15 hamlets, a poor-household rate falling
from about 2 % to about 0,3 %, money in triệu đồng, income per capita rising
from about 40 to about 62 triệu đồng/người, ...). The declared criterion
statuses are decided first; the indicator values are then drawn and pushed
to the right side of each level that applies (the unit's district, province
and region levels, falling back to the national ones), so that declarations
and values agree wherever a level is known. VanDong values obey the
outline's rules (integers, ``≤`` relations such as VD12 ≤ VD11).

Deliberate imperfections
------------------------
Units are chosen by position in the unit list sorted by code, so the same
units play the same parts for every seed, in any district. ``sample_roles``
returns the choice. Roles other than *missing* go to units where the NTM
criteria apply in every year, skipping the missing unit; with few units one
unit may play several parts.

1. **missing** - the second-to-last unit sends nothing: no workbook, no row
   in ``received.csv``.
2. **late** - the first eligible unit is received 3-7 days after the
   outline's deadline; it also types its report date as text
   ``"dd/mm/yyyy"`` (valid: readers must accept it). All others are received
   on or before the deadline.
3. **declared_below_level** - the second eligible unit declares "Đạt" for
   criterion 15 in the middle year while indicator 15.1 (health-insurance
   coverage) is 3-6 points below its known level (falls back to another
   typed indicator with a known level if 15.1 has none for the district).
   This is the only disagreement between declarations and values.
4. **lost_and_regained** - the third eligible unit reaches criterion 17 in
   the first years, not in the middle year, and again afterwards.
5. **lost** - the fourth eligible unit loses criterion 10 (income) in the
   last year: its income is below that year's level.
6. **gained** - the fifth eligible unit reaches criterion 14 only from the
   third year (its trained-labour share 14.3 is below the level before).
7. **wrong_unit** - the late unit (so the last one received, which ingest
   checks against every other unit) types its rural roads (VD05) of the
   middle year in metres instead of kilometres: a value a thousand times its
   own, which ingest and the district report both flag as an outlier
   (:mod:`nrlib.core.checks`), at the same cell.
8. **not applicable** - in every year where the NTM criteria do not apply to
   a unit (``unit_years(...).ntm_applies`` False, e.g. thị trấn Dầu Giây in
   2019-2020), all criteria are declared "Không áp dụng" and ChiTieu is left
   blank; VanDong is still filled. Where the outline has an urban sheet (version 2's VanMinhDoThi), such a
   unit declares the urban standard for those years: every criterion "Đạt" but VM1 in its first town year.
9. **self-scores** - with an outline that asks for them (version 2's TuCham), every unit scores itself
   60-100 % of each content's điểm chuẩn, leaving one content in ten blank; the late unit leaves them all
   blank ("chưa tự chấm").

Besides, each other unit has, with probability 0.35 (varying with the seed),
one criterion without a numeric indicator not reached in its first one or
two years. Everything else is reached.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nrlib.core import labels, vnformat
from nrlib.core.vocab import NOT_APPLICABLE, NOT_REACHED, REACHED
from nrlib.reference import Outline, load_criteria, load_outline, load_units, resolve_levels, unit_types, unit_years
from nrlib.reference.urban import load_urban_criteria
from nrlib.workbooks.layout import unit_scopes
from nrlib.workbooks.template import template_filename, write_workbook

MANIFEST_NAME = "received.csv"

#: the criteria and indicators the imperfections use (skipped when absent from the criteria set)
ROLE_CRITERIA = {"declared_below_level": "15.1", "lost_and_regained": 17, "lost": 10, "gained": 14}
#: the metric the wrong_unit imperfection types in metres instead of kilometres (skipped when absent)
ROLE_METRICS = {"wrong_unit": ("VD05", 1000)}
#: preferred indicator that explains a criterion not reached
CAUSE = {10: "10", 14: "14.3", 15: "15.1", 17: "17.6"}

# Trajectories of typed indicators: (2016 low, 2016 high, 2020 low, 2020 high).
_INDICATOR_MODEL = {
    "2.4": (70, 85, 85, 98), "4.2": (98.5, 99.5, 99.5, 100), "5": (75, 90, 88, 100),
    "10": (38, 44, 59.5, 65), "12": (90.5, 94, 93, 97), "14.2": (90.5, 95, 94, 99),
    "14.3": (46, 55, 60, 70), "15.1": (85.5, 88, 90, 96), "15.3": (11.5, 14, 7.5, 11),
    "17.7": (75, 88, 88, 97),
}
_MODEL_UP = (86, 97, 95, 100)     # other percentages that should be high
_MODEL_DOWN = (11, 15, 6, 11)     # other percentages that should be low (≤ levels)

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hoa", "Hùng", "Lan", "Liên", "Minh", "Nam", "Ngọc",
          "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Vân", "Yến"]
#: collectives proposed, and who they are (the outline's proposal_subject values)
_ORGS = [("Ban Công tác Mặt trận", "residential_area"), ("Chi hội Phụ nữ", "member_organisation"),
         ("Chi đoàn Thanh niên", "member_organisation"), ("Chi hội Nông dân", "member_organisation"),
         ("Chi hội Cựu chiến binh", "member_organisation")]
#: what a person proposed does, before where they live
_ROLES = ["Trưởng Ban Công tác Mặt trận", "Chi hội trưởng Chi hội Phụ nữ", "Tổ trưởng tổ tự quản", "Hội viên Hội Nông dân"]
_TITLES = ["Chủ tịch Ủy ban MTTQ", "Phó Chủ tịch Ủy ban MTTQ", "Cán bộ Văn phòng Ủy ban MTTQ"]
_ACHIEVEMENTS = [
    "Vận động nhân dân hiến {land} m² đất làm đường giao thông nông thôn",
    "Đóng góp {money} xây dựng nhà Đại đoàn kết cho hộ khó khăn",
    "Tích cực tham gia phong trào 'Ngày Chủ nhật xanh', giữ gìn đường làng sạch đẹp",
    "Vận động tặng {cards} thẻ bảo hiểm y tế cho hộ cận nghèo",
    "Xây dựng mô hình tự quản về an ninh trật tự ở khu dân cư",
    "Đi đầu trong phát triển kinh tế, giúp đỡ hộ nghèo thoát nghèo bền vững",
]

# A few sentences per DanhGia section; {placeholders} come from the unit's own sample values.
_NARRATIVES = {
    "DD.1": ["{unit_cap} có {hamlets} {hamlet}, {households} hộ dân; cấp ủy, chính quyền quan tâm lãnh đạo, chỉ đạo Cuộc vận động.",
             "Nhân dân đồng thuận, tích cực tham gia xây dựng nông thôn mới, đô thị văn minh; tình hình an ninh chính trị ổn định.",
             "Hệ thống giao thông được đầu tư, tạo điều kiện phát triển kinh tế - xã hội của địa phương.",
             "Đội ngũ cán bộ Mặt trận và Ban Công tác Mặt trận ở các {hamlet} nhiệt tình, gần dân.",
             "Doanh nghiệp, mạnh thường quân và con em xa quê quan tâm đóng góp cho quê hương."],
    "DD.2": ["Một bộ phận nhân dân có thu nhập thấp, việc huy động nguồn lực trong dân còn khó khăn.",
             "Năm 2020, dịch COVID-19 ảnh hưởng đến sản xuất, việc làm và việc tổ chức các hoạt động tập trung đông người.",
             "Giá nông sản không ổn định ảnh hưởng đến thu nhập của hộ sản xuất nông nghiệp.",
             "Dân cư nhập cư đông, biến động thường xuyên, khó nắm chắc tình hình ở một số {hamlet}.",
             "Kinh phí hoạt động của Mặt trận cơ sở còn hạn hẹp so với yêu cầu nhiệm vụ."],
    "LD.1": ["Ban Thường trực Ủy ban MTTQ {unit} đã xây dựng kế hoạch thực hiện Cuộc vận động hằng năm, phân công thành viên phụ trách từng {hamlet}.",
             "Cuộc vận động được đưa vào chương trình phối hợp và thống nhất hành động của Ủy ban MTTQ và các tổ chức thành viên.",
             "Định kỳ kiểm tra, đôn đốc các Ban Công tác Mặt trận thực hiện các nội dung của Cuộc vận động.",
             "Hằng năm tổ chức sơ kết, rút kinh nghiệm và biểu dương các mô hình, cách làm hay."],
    "LD.2": ["Phối hợp chặt chẽ với Ban Chỉ đạo phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa” và Văn phòng điều phối nông thôn mới trong bình xét gia đình văn hóa, khu dân cư văn hóa.",
             "Phối hợp với Ủy ban nhân dân {unit} tổ chức lấy ý kiến sự hài lòng của người dân về kết quả xây dựng nông thôn mới.",
             "Các tổ chức thành viên phát huy vai trò vận động hội viên, đoàn viên tham gia Cuộc vận động.",
             "Ký kết chương trình phối hợp với chính quyền về giám sát các công trình do nhân dân đóng góp."],
    "I": ["Ban Thường trực Ủy ban MTTQ {unit} đã phối hợp với các đoàn thể tuyên truyền Cuộc vận động tại {hamlets} {hamlet}.",
          "Nội dung Cuộc vận động được lồng ghép trong sinh hoạt khu dân cư, trên hệ thống loa truyền thanh và các nhóm Zalo của {hamlet}.",
          "Nhân dân hiểu rõ mục đích, ý nghĩa của Cuộc vận động và tự nguyện đóng góp công sức, tiền của.",
          "Ngày hội Đại đoàn kết toàn dân tộc được tổ chức hằng năm, là dịp biểu dương các gương điển hình."],
    "II.1": ["Giai đoạn {period}, nhân dân đóng góp {vd01} và vận động xã hội hóa được {vd02} để xây dựng nông thôn mới, đô thị văn minh.",
             "Số hộ nghèo giảm từ {poor_first} hộ ({poor_rate_first}) năm {y0} xuống còn {poor_last} hộ ({poor_rate_last}) năm {y1}.",
             "Thu nhập bình quân đầu người tăng từ {income_first} lên {income_last} triệu đồng/người.",
             "Nhiều mô hình sản xuất hiệu quả được nhân rộng như trồng cây ăn trái, chăn nuôi gà thả vườn, trồng nấm.",
             "Quỹ “Vì người nghèo” vận động được {vd28}, đã chi hỗ trợ {vd29} cho hộ nghèo, hộ khó khăn.",
             "Trong giai đoạn có {vd32} hộ thoát nghèo theo chuẩn quốc gia.",
             "Đã xây mới {vd08} căn và sửa chữa {vd09} căn nhà Đại đoàn kết cho hộ khó khăn về nhà ở."],
    "II.2": ["Năm {y1}, tỷ lệ hộ đạt danh hiệu Gia đình văn hóa là {cf_rate}; {vd17} trên {vd16} {hamlet} đạt danh hiệu văn hóa.",
             "Vận động tặng {vd14} thẻ bảo hiểm y tế cho hộ nghèo, cận nghèo và hộ có hoàn cảnh khó khăn.",
             "Công tác đền ơn đáp nghĩa, chăm lo gia đình chính sách, người có công được quan tâm thường xuyên.",
             "Phong trào khuyến học, khuyến tài được duy trì ở tất cả các {hamlet}."],
    "II.3": ["Nhân dân hiến {vd03} m² đất, góp {vd04} ngày công để làm mới, nâng cấp {vd05} km đường giao thông nông thôn.",
             "Lắp mới {vd06} km đèn chiếu sáng, hình thành {vd07} tuyến đường hoa, tuyến đường kiểu mẫu; trồng mới {vd21} cây xanh.",
             "Năm {y1}, tỷ lệ hộ sử dụng nước sạch đạt {water_rate}, tỷ lệ hộ được thu gom rác thải đạt {waste_rate}.",
             "Phong trào 'Ngày Chủ nhật xanh' được các {hamlet} hưởng ứng, dọn vệ sinh đường làng, ngõ xóm định kỳ."],
    "II.4": ["Các tổ hòa giải ở cơ sở hoạt động hiệu quả, nhiều vụ việc được hòa giải thành tại khu dân cư.",
             "Các tổ hòa giải đã hòa giải thành {vd42} trên {vd41} vụ việc trong giai đoạn {period}.",
             "Phong trào Toàn dân bảo vệ an ninh Tổ quốc được duy trì; an ninh chính trị, trật tự an toàn xã hội ổn định.",
             "Nhân dân chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước."],
    "II.5": ["Ủy ban MTTQ đã chủ trì {vd22} cuộc giám sát, phản biện xã hội trong giai đoạn {period}.",
             "Ủy ban MTTQ đã chủ trì {vd39} cuộc giám sát và {vd40} cuộc phản biện xã hội trong giai đoạn {period}.",
             "Ban Thanh tra nhân dân và Ban Giám sát đầu tư của cộng đồng hoạt động thường xuyên, đúng quy định.",
             "Duy trì {vd23} mô hình tự quản, mô hình 'Dân vận khéo' ở khu dân cư."],
    "III.1": ["Cuộc vận động nhận được sự đồng thuận cao của nhân dân; vai trò của Mặt trận và các đoàn thể được phát huy.",
              "Diện mạo nông thôn thay đổi rõ rệt, đời sống vật chất và tinh thần của nhân dân được nâng lên.",
              "Sự phối hợp giữa Mặt trận với chính quyền và các đoàn thể ngày càng chặt chẽ."],
    "III.2": ["Một số tiêu chí chưa bền vững, cần tiếp tục duy trì và nâng chất.",
              "Nguồn lực xã hội hóa còn hạn chế, chủ yếu tập trung vào giao thông.",
              "Việc tổng hợp số liệu ở một số {hamlet} còn chậm, chưa đầy đủ.",
              "Năm 2020, dịch COVID-19 ảnh hưởng đến thu nhập và việc làm của một bộ phận người dân."],
    "III.3": ["Một bộ phận nhân dân còn tư tưởng trông chờ, ỷ lại vào sự hỗ trợ của Nhà nước.",
              "Kinh phí hoạt động của Ban Công tác Mặt trận ở khu dân cư còn ít.",
              "Năng lực của một số cán bộ cơ sở còn hạn chế."],
    "III.3.1": ["Nguồn lực đầu tư của Nhà nước còn hạn chế so với nhu cầu.",
                "Dịch COVID-19 và giá nông sản biến động ảnh hưởng đến đời sống và khả năng đóng góp của nhân dân.",
                "Tốc độ đô thị hóa nhanh làm thay đổi cơ cấu dân cư, khó khăn trong vận động.",
                "Một số chính sách hỗ trợ của cấp trên chậm được triển khai."],
    "III.3.2": ["Một bộ phận nhân dân còn tư tưởng trông chờ, ỷ lại vào sự hỗ trợ của Nhà nước.",
                "Năng lực, kinh nghiệm vận động của một số cán bộ Mặt trận cơ sở còn hạn chế.",
                "Công tác phối hợp giữa các tổ chức thành viên có lúc chưa đồng bộ.",
                "Việc kiểm tra, giám sát thực hiện ở một số {hamlet} chưa thường xuyên."],
    "IV": ["Phải có sự lãnh đạo sát sao của cấp ủy, sự phối hợp chặt chẽ của chính quyền và các đoàn thể.",
           "Phát huy vai trò chủ thể của người dân theo phương châm 'dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng'.",
           "Kịp thời biểu dương, khen thưởng các tập thể, cá nhân tiêu biểu."],
    "V": ["Tiếp tục thực hiện Cuộc vận động gắn với xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu.",
          "Phấn đấu giảm tỷ lệ hộ nghèo, nâng tỷ lệ hộ sử dụng nước sạch và được thu gom rác thải.",
          "Nhân rộng các mô hình tự quản, khu dân cư kiểu mẫu."],
    "VI": ["Đề nghị cấp trên tiếp tục hỗ trợ kinh phí xây dựng nhà Đại đoàn kết cho hộ khó khăn.",
           "Đề nghị tổ chức tập huấn nghiệp vụ cho cán bộ Mặt trận cơ sở.",
           "Đề nghị quan tâm đầu tư hệ thống nước sạch cho các {hamlet} còn thiếu."],
}
_NARRATIVE_FALLBACK = ["Đơn vị đã triển khai nội dung này theo kế hoạch.",
                       "Kết quả đạt được cơ bản đáp ứng yêu cầu đề ra.",
                       "Cần tiếp tục theo dõi, đánh giá trong giai đoạn tới."]


@dataclass
class SampleResult:
    """What :func:`write_sample` wrote: the workbooks and the manifest of received dates."""

    paths: list[Path]
    manifest: Path


# --------------------------------------------------------------------------- plan


def sample_roles(units: pd.DataFrame, outline: Outline | None = None,
                 years_table: pd.DataFrame | None = None) -> dict[str, str | None]:
    """Which unit plays which deliberate imperfection (see the module docstring).

    ``years_table`` is :func:`nrlib.unit_years` of ``units`` when already at hand.
    Returns ``{"missing": code | None, "late": code, "declared_below_level": code,
    "lost_and_regained": code, "lost": code, "gained": code, "wrong_unit": code}`` (``wrong_unit``
    is the late unit: the last received).
    """
    outline = outline or load_outline()
    codes = sorted(units["unit_code"])
    missing = codes[-2] if len(codes) >= 3 else None
    uy = unit_years(units, outline.years) if years_table is None else years_table
    always = set(uy.groupby("unit_code")["ntm_applies"].all().loc[lambda s: s].index)
    eligible = [c for c in codes if c in always and c != missing] or [c for c in codes if c != missing]
    roles: dict[str, str | None] = {"missing": missing}
    for i, role in enumerate(["late", "declared_below_level", "lost_and_regained", "lost", "gained"]):
        roles[role] = eligible[i % len(eligible)]
    roles["wrong_unit"] = roles["late"]
    return roles


def _received_dates(units: pd.DataFrame, seed: int, roles: dict, outline: Outline) -> dict[str, dt.date]:
    """A received date per unit that sends: the late unit 3-7 days after the deadline, the others in the ten days
    before it, each on a working day (:meth:`Outline.is_working_day`: no weekend, no Tết break), drawn
    uniformly among the working days of its window."""
    deadline = outline.deadline
    on_time = _working_days(outline, deadline - dt.timedelta(days=10), deadline)
    late = _working_days(outline, deadline + dt.timedelta(days=3), deadline + dt.timedelta(days=7))
    out = {}
    rng = np.random.default_rng([seed, 0])
    for code in sorted(units["unit_code"]):
        if code == roles["missing"]:
            continue
        days = late if code == roles["late"] else on_time
        out[code] = days[int(rng.integers(0, len(days)))]
    return out


def _working_days(outline: Outline, first: dt.date, last: dt.date) -> list[dt.date]:
    """The working days from ``first`` to ``last``; the next working day after ``last`` when there are none."""
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    out = [d for d in days if outline.is_working_day(d)]
    while not out:
        last += dt.timedelta(days=1)
        out = [last] if outline.is_working_day(last) else []
    return out


def working_day_before(outline: Outline, day: dt.date, days_before: int) -> dt.date:
    """``days_before`` days before ``day``, moved back to a working day."""
    d = day - dt.timedelta(days=days_before)
    while not outline.is_working_day(d):
        d -= dt.timedelta(days=1)
    return d


# --------------------------------------------------------------------------- values


def _level_map(levels: pd.DataFrame) -> dict[tuple[str, int], tuple[str, float]]:
    return {(r.indicator_code, int(r.year)): (r.comparison, float(r.level)) for r in levels.itertuples()}


def _statuses(rng, outline: Outline, criteria: pd.DataFrame, ntm: dict[int, bool], roles_here: list[str],
              unmeasured: list[int]) -> dict[tuple[int, int], str]:
    years = outline.years
    n = len(years)
    nos = sorted(int(c) for c in criteria["criterion_no"].unique())
    status = {(c, y): REACHED for c in nos for y in years}
    if "lost_and_regained" in roles_here and ROLE_CRITERIA["lost_and_regained"] in nos and n >= 3:
        status[(ROLE_CRITERIA["lost_and_regained"], years[n // 2])] = NOT_REACHED
    if "lost" in roles_here and ROLE_CRITERIA["lost"] in nos and n >= 2:
        status[(ROLE_CRITERIA["lost"], years[-1])] = NOT_REACHED
    if "gained" in roles_here and ROLE_CRITERIA["gained"] in nos and n >= 3:
        for y in years[:2]:
            status[(ROLE_CRITERIA["gained"], y)] = NOT_REACHED
    if not roles_here and unmeasured and rng.random() < 0.35:
        c = int(rng.choice(unmeasured))
        for y in years[: int(rng.integers(1, 3))]:
            status[(c, y)] = NOT_REACHED
    for (c, y) in status:
        if not ntm[y]:
            status[(c, y)] = NOT_APPLICABLE
    return status


def _trajectory(rng, model: tuple, n: int, digits: int) -> list[float]:
    a, b = rng.uniform(model[0], model[1]), rng.uniform(model[2], model[3])
    return [round(float(a + (b - a) * i / max(n - 1, 1) + rng.normal(0, 0.25)), digits) for i in range(n)]


def _satisfy(rng, value: float, comp: str, level: float, hi: float | None) -> float:
    """Move ``value`` to the side of ``level`` that meets it (a margin of 0,1-1,5)."""
    if comp == "=":
        return level
    if comp == "≤":
        return round(float(max(0.0, min(value, level - rng.uniform(0.1, 1.5)))), 1)
    v = max(value, level + rng.uniform(0.1, 1.5))
    return round(float(min(v, hi) if hi is not None else v), 1)


def _miss(rng, value: float, comp: str, level: float, gap: tuple[float, float] = (1.0, 4.0)) -> float:
    """Move ``value`` to the side of ``level`` that misses it by ``gap``."""
    if comp == "≤":
        return round(float(max(value, level + rng.uniform(*gap))), 1)
    return round(float(max(0.0, min(value, level - rng.uniform(*gap)))), 1)


def _metric_values(rng, years: list[int], metrics: list[dict]) -> dict[str, list[float]]:
    """VanDong values, one list per metric over the years (rules applied later)."""
    n = len(years)
    hh = [rng.uniform(3000, 6000)]
    for _ in range(n - 1):
        hh.append(hh[-1] * (1 + rng.uniform(0.01, 0.03)))

    def rate(a, b, c, d, geometric=False):
        x, y = rng.uniform(a, b), rng.uniform(c, d)
        if geometric:
            return [x * (y / x) ** (i / max(n - 1, 1)) for i in range(n)]
        return [x + (y - x) * i / max(n - 1, 1) for i in range(n)]

    hamlets = [int(rng.integers(8, 16))] * n
    if rng.random() < 0.2:
        k = int(rng.integers(1, n))
        hamlets = hamlets[:k] + [hamlets[0] + 1] * (n - k)
    cultural = [h - int(rng.integers(0, 3)) for h in hamlets]
    model_areas = np.minimum(np.cumsum([int(rng.integers(0, 3))] + [int(rng.integers(0, 3)) for _ in range(n - 1)]),
                             cultural).tolist()
    new_houses = [int(rng.integers(1, 9)) for _ in range(n)]
    repaired = [int(rng.integers(0, 7)) for _ in range(n)]
    uni = lambda lo, hi, d=1: [round(float(rng.uniform(lo, hi)), d) for _ in range(n)]  # noqa: E731
    land_home, land_farm = uni(1000, 4000, 0), uni(3000, 10000, 0)
    supervision, criticism = uni(2, 9, 0), uni(1, 5, 0)
    mediation = uni(5, 30, 0)
    sessions = uni(20, 80, 0)
    # the satisfaction survey is held in the last year (and, for some units, once before)
    surveyed_years = {n - 1} | ({int(rng.integers(0, n - 1))} if n > 1 and rng.random() < 0.5 else set())
    surveyed = [h * rng.uniform(0.65, 0.85) if i in surveyed_years else None for i, h in enumerate(hh)]
    v = {
        "VD01": uni(500, 5000), "VD02": uni(300, 4000), "VD03": [a + b for a, b in zip(land_home, land_farm)],
        "VD24": land_home, "VD25": land_farm,
        "VD26": [round(float(a * rng.uniform(0.1, 0.3) + b * rng.uniform(0.02, 0.08)), 1)
                 for a, b in zip(land_home, land_farm)],
        "VD27": uni(3, 12, 0), "VD28": uni(100, 400), "VD30": uni(200, 800),
        "VD36": [h - int(rng.integers(0, 2)) for h in hamlets],
        "VD37": sessions, "VD38": [s * rng.uniform(40, 90) for s in sessions],
        "VD39": supervision, "VD40": criticism, "VD22": [a + b for a, b in zip(supervision, criticism)],
        "VD41": mediation, "VD42": [m * rng.uniform(0.7, 0.95) for m in mediation],
        "VD43": surveyed, "VD44": [s * rng.uniform(0.88, 0.98) if s is not None else None for s in surveyed],
        "VD04": uni(1000, 9000, 0), "VD05": uni(1, 10, 2), "VD06": uni(0.5, 6, 2),
        "VD07": uni(0, 5, 0), "VD08": new_houses, "VD09": repaired,
        "VD10": [round(float(a * rng.uniform(50, 65) + b * rng.uniform(20, 30)), 1) for a, b in zip(new_houses, repaired)],
        "VD11": hh,
        "VD12": [h * r / 100 for h, r in zip(hh, rate(1.2, 2.5, 0.15, 0.5, geometric=True))],
        "VD13": [h * r / 100 for h, r in zip(hh, rate(2.5, 4.0, 0.6, 1.5, geometric=True))],
        "VD14": uni(20, 200, 0),
        "VD15": [h * r / 100 for h, r in zip(hh, rate(90, 94, 93, 97))],
        "VD16": hamlets, "VD17": cultural, "VD18": model_areas,
        "VD19": [h * r / 100 for h, r in zip(hh, rate(85, 92, 93, 99))],
        "VD20": [h * r / 100 for h, r in zip(hh, rate(60, 80, 85, 97))],
        "VD21": uni(500, 5000, 0),
        "VD23": np.cumsum([int(rng.integers(2, 6))] + [int(rng.integers(0, 3)) for _ in range(n - 1)]).tolist(),
    }
    v["VD29"] = [x * rng.uniform(0.7, 1.0) for x in v["VD28"]]
    v["VD31"] = [p * rng.uniform(1.8, 2.5) for p in v["VD12"]]     # the province's standard counts more
    for m in metrics:  # metrics this model does not know: plausible small counts
        if m["code"] not in v:
            v[m["code"]] = [float(rng.integers(1, 100))] * n if m["kind"] == "stock" else uni(1, 100, 0)
    return v


def _poverty_flows(rng, values: dict[str, list]) -> None:
    """Households leaving poverty, newly poor and moving away each year (VD32, VD33, VD34), so that the poor
    households of each year (VD12) are last year's minus those who left plus the new ones (the outline's
    ``stock_flows`` check holds); the first year's flows have no earlier count to explain."""
    poor = values.get("VD12")
    if poor is None:
        return
    out, new, moved = [], [], []
    for i, p in enumerate(poor):
        prev = poor[i - 1] if i else round(p * rng.uniform(1.3, 1.6))
        # few move away: mostly none, so the outlier check has too few units with one to compare them
        n_new, n_moved = round(prev * rng.uniform(0.05, 0.15)), int(rng.random() < 0.15)
        n_out = prev + n_new - n_moved - p
        if n_out < 0:
            n_new, n_out = n_new - n_out, 0
        out.append(n_out)
        new.append(n_new)
        moved.append(n_moved)
    values["VD32"], values["VD33"], values["VD34"] = out, new, moved


def _apply_rules(values: dict[str, list[float]], metrics: list[dict]) -> None:
    """Integers, lower bounds, then ``le_metric`` relations (after every metric is an integer)."""
    def given(x) -> bool:
        return x is not None and not pd.isna(x)

    for m in metrics:
        vals = values[m["code"]]
        if m["integer"]:
            vals[:] = [None if x is None else int(round(x)) for x in vals]
        if given(m["gt"]):
            vals[:] = [None if x is None else max(x, m["gt"] + 1) for x in vals]
        elif given(m["ge"]):
            vals[:] = [None if x is None else max(x, m["ge"]) for x in vals]
    for m in metrics:
        if isinstance(m["le_metric"], str):
            values[m["code"]] = [None if a is None else min(a, b) if b is not None else a
                                 for a, b in zip(values[m["code"]], values[m["le_metric"]])]
    for m in metrics:       # a total nrlib computes is the sum of its parts, as typed
        parts = m.get("sum_of")
        if parts:
            values[m["code"]] = [sum(xs) for xs in zip(*(values[p] for p in parts))]


@dataclass
class _Model:
    """What every unit's generator needs from the reference data, read once."""

    outline: Outline
    criteria: pd.DataFrame
    crit_of: dict[str, int]
    typed: list[dict]
    derived: list[dict]
    metrics: list[dict]
    unmeasured: list[int]

    @classmethod
    def build(cls, outline: Outline) -> "_Model":
        criteria = load_criteria()
        crit_of = {k: int(v) for k, v in zip(criteria["indicator_code"], criteria["criterion_no"])}
        typed = outline.typed_indicators.to_dict("records")
        derived = outline.derived_indicators.to_dict("records")
        measured = {r["indicator_code"] for r in typed + derived}
        unmeasured = sorted({int(c) for c in criteria["criterion_no"]} - {crit_of[c] for c in measured})
        metrics = outline.metrics.to_dict("records")
        sums = outline.computed_metrics
        for m in metrics:
            m["sum_of"] = sums.get(m["code"])
        return cls(outline, criteria, crit_of, typed, derived, metrics, unmeasured)


def _unit_content(unit: dict, seed: int, model: _Model, ntm: dict[int, bool], roles_here: list[str],
                  received: dt.date | None, measured: dict, generating: dict) -> dict:
    rng = np.random.default_rng([seed, int(unit["unit_code"])])
    outline, crit_of = model.outline, model.crit_of
    years = outline.years
    n = len(years)
    typed_codes = [r["indicator_code"] for r in model.typed]
    status = _statuses(rng, outline, model.criteria, ntm, roles_here, model.unmeasured)

    # the indicator that explains each criterion not reached (preferred, else the first with a level)
    def cause(c: int, y: int) -> str | None:
        options = [CAUSE.get(c)] + [r["indicator_code"] for r in model.typed + model.derived
                                    if crit_of[r["indicator_code"]] == c]
        return next((k for k in options if k and (k, y) in generating), None)

    below = None
    if "declared_below_level" in roles_here:
        y = years[n // 2]
        options = [ROLE_CRITERIA["declared_below_level"]] + typed_codes
        code = next((k for k in options if k in typed_codes and (k, y) in measured
                     and status.get((crit_of[k], y)) == REACHED), None)
        if code:
            below = (code, y)

    values: dict[tuple[str, int], object] = {}
    for row in model.typed:
        code = row["indicator_code"]
        model_range = _INDICATOR_MODEL.get(code) or (_MODEL_DOWN if row["comparison"] == "≤" else _MODEL_UP)
        hi = None if pd.isna(row.get("max")) else float(row["max"])
        traj = [min(x, hi) if hi is not None else x for x in _trajectory(rng, model_range, n, 1)]
        for i, y in enumerate(years):
            st = status[(crit_of[code], y)]
            if st == NOT_APPLICABLE:
                continue
            v = max(0.0, traj[i])
            if below == (code, y):
                v = _miss(rng, v, *measured[(code, y)], gap=(3.0, 6.0))
            elif (code, y) in generating and st == REACHED:
                v = _satisfy(rng, v, *generating[(code, y)], hi)
            elif (code, y) in generating and cause(crit_of[code], y) == code:
                v = _miss(rng, v, *generating[(code, y)])
            values[(code, y)] = v

    metric = _metric_values(rng, outline.years, model.metrics)
    _apply_rules(metric, model.metrics)
    for d in model.derived:  # numerators on the right side of known levels
        if d.get("bound") == "lower":
            continue  # a lower-bound rate can only show a level met: nothing to keep consistent
        code, num_code = d["indicator_code"], d["numerator"]
        for i, y in enumerate(years):
            if (code, y) not in generating:
                continue
            comp, level = generating[(code, y)]
            need = level * metric[d["denominator"]][i] / d["scale"]
            missing_it = status[(crit_of[code], y)] == NOT_REACHED and cause(crit_of[code], y) == code
            num = metric[num_code][i]
            if (comp == "≥") != missing_it:
                metric[num_code][i] = max(num, math.ceil(need + 1e-9)) if comp == "≥" else min(num, math.floor(need))
            else:
                metric[num_code][i] = min(num, math.ceil(need) - 1) if comp == "≥" else max(num, math.floor(need) + 1)
    _apply_rules(metric, model.metrics)
    _poverty_flows(rng, metric)
    for code in outline.typed_metric_codes:  # the model may know metrics an outline dropped; computed ones have no row
        for y, v in zip(years, metric[code]):
            values[(code, y)] = v
    wrong, factor = ROLE_METRICS["wrong_unit"]
    if "wrong_unit" in roles_here and (wrong, years[n // 2]) in values:
        values[(wrong, years[n // 2])] = round(float(values[(wrong, years[n // 2])]) * factor, 1)

    worded = outline.for_unit_types([unit.get("unit_type")])
    # a stream of its own, so the sheets version 2 added leave every other figure as it was
    extra = np.random.default_rng([seed, int(unit["unit_code"]), 2])
    return {
        "info": _info(rng, unit, outline, received, "late" in roles_here) | _self_scores(extra, outline, roles_here),
        "urban": _urban_status(outline, ntm),
        "criteria": {k: v for k, v in status.items()},
        "criteria_notes": {},
        "values": values,
        "proposals": _proposals(rng, unit, worded, metric),
        "narratives": _narratives(rng, unit, worded, metric, values),
    }


# --------------------------------------------------------------------------- text


def _person(rng) -> str:
    middle = "Văn" if rng.random() < 0.5 else "Thị"
    return f"{rng.choice(_FAMILY)} {middle} {rng.choice(_GIVEN)} (mẫu)"


def _in_sentence(name: str) -> str:
    return name[:1].lower() + name[1:]


def _info(rng, unit: dict, outline: Outline, received: dt.date | None, text_date: bool) -> dict:
    report = working_day_before(outline, received or outline.deadline, int(rng.integers(0, 5)))
    info = {
        "preparer_name": _person(rng),
        "preparer_title": f"{rng.choice(_TITLES)} {unit.get('unit_type_label', '')}".strip(),
        "phone": f"0123 456 {int(rng.integers(0, 1000)):03d}",
        "report_date": vnformat.fmt_date(report) if text_date else report,
        "data_note": data_note(outline),
    }
    fields = {f["key"] for s in outline.raw["sheets"] if s["layout"] == "key_value" for f in s["fields"]}
    if "review_form" in fields:     # how the unit held its own review (outline version 2, sheet SoKet)
        conference = rng.random() < 0.7
        info.update({
            "review_form": "conference" if conference else "written_report",
            "review_date": working_day_before(outline, report, int(rng.integers(1, 8))),
            "review_attendance": int(rng.integers(60, 160)) if conference else None,
            "own_awards_collective": int(rng.integers(2, 9)),
            "own_awards_individual": int(rng.integers(5, 21)),
            "own_awards_forms": f"Giấy khen của Chủ tịch UBND {_in_sentence(unit['name'])}",
        })
    return {k: v for k, v in info.items() if k in fields}


def data_note(outline: Outline) -> str:
    """The note a sample workbook carries in ThongTin (the one sample notice, with the outline's marker)."""
    return labels.sample_notice(outline.sample_marker)


def _hamlet_word(unit: dict) -> str:
    """What the unit's hamlets are called (``unit_types.csv``): "ấp" in a xã, "khu phố" in a thị trấn."""
    types = unit_types().set_index("unit_type")
    utype = str(unit.get("unit_type", "xa"))
    return str(types.loc[utype, "hamlet_label"]) if utype in types.index and "hamlet_label" in types.columns else "ấp"


def _proposals(rng, unit: dict, outline: Outline, metric: dict) -> list[dict]:
    """2-5 proposals, a collective first; the columns the outline's KhenThuong has (version 2 adds đối tượng, năm
    sinh, giới tính and earlier awards; its address column is the person's position or residence)."""
    awards = [c["value"] for c in outline.choices("award_form")]
    kinds = [c["value"] for c in outline.choices("proposal_kind")]
    has = {c["key"] for c in outline.sheet("KhenThuong")["columns"]}
    hamlets = int(metric.get("VD16", [10])[-1])
    word = _hamlet_word(unit)
    out = []
    for i in range(int(rng.integers(2, 6))):
        kind = kinds[i] if i < len(kinds) else str(rng.choice(kinds))
        hamlet = int(rng.integers(1, hamlets + 1))
        collective = kind == kinds[0]
        achievement = str(rng.choice(_ACHIEVEMENTS)).format(
            land=vnformat.fmt_number(rng.integers(100, 2000)),
            money=vnformat.fmt_money_million(round(rng.uniform(5, 200), 1)),
            cards=int(rng.integers(5, 60)))
        place = f"{word.capitalize()} {hamlet}, {_in_sentence(unit['name'])}"
        rec = {"kind": kind, "achievement": achievement, "award_form": str(rng.choice(awards))}
        if collective:
            org, subject = _ORGS[int(rng.integers(0, len(_ORGS)))]
            rec.update(name=f"{org} {word} {hamlet}", address=unit["name"], subject=subject)
        else:
            name = _person(rng)
            rec.update(name=name, subject="person", birth_year=int(rng.integers(1955, 1996)),
                       gender="Nữ" if " Thị " in name else "Nam",
                       address=f"{rng.choice(_ROLES)}, {place}" if rng.random() < 0.5 else place)
        if rng.random() < 0.4:
            rec["earlier_awards"] = f"Giấy khen của Chủ tịch UBND huyện năm {int(rng.integers(2016, 2020))}"
        if "subject" not in has:        # version 1: the place only
            rec["address"] = unit["name"] if collective else place
        out.append({k: v for k, v in rec.items() if k in has})
    return out


def _narratives(rng, unit: dict, outline: Outline, metric: dict, values: dict) -> dict:
    years = outline.years
    fmt = vnformat
    total = lambda code: sum(metric.get(code, [0]))  # noqa: E731
    rate = lambda num, den, i: 100 * metric[num][i] / metric[den][i] if metric.get(den) and metric[den][i] else None  # noqa: E731
    income = [values[("10", y)] for y in years if ("10", y) in values]
    facts = {
        "unit": _in_sentence(unit["name"]), "unit_cap": unit["name"], "hamlet": _hamlet_word(unit),
        "households": fmt.fmt_number(metric["VD11"][-1]),
        "period": f"{years[0]} - {years[-1]}", "y0": years[0], "y1": years[-1],
        "hamlets": metric["VD16"][-1], "vd01": fmt.fmt_money_million(total("VD01")),
        "vd02": fmt.fmt_money_million(total("VD02")), "vd03": fmt.fmt_number(total("VD03")),
        "vd04": fmt.fmt_number(total("VD04")), "vd05": fmt.fmt_number(total("VD05"), 1, trim=True),
        "vd06": fmt.fmt_number(total("VD06"), 1, trim=True), "vd07": total("VD07"), "vd08": total("VD08"),
        "vd09": total("VD09"), "vd14": fmt.fmt_number(total("VD14")), "vd21": fmt.fmt_number(total("VD21")),
        "vd22": total("VD22"), "vd23": metric["VD23"][-1], "vd16": metric["VD16"][-1], "vd17": metric["VD17"][-1],
        "poor_first": metric["VD12"][0], "poor_last": metric["VD12"][-1],
        "poor_rate_first": fmt.fmt_percent(rate("VD12", "VD11", 0), 2),
        "poor_rate_last": fmt.fmt_percent(rate("VD12", "VD11", -1), 2),
        "cf_rate": fmt.fmt_percent(rate("VD15", "VD11", -1), 1),
        "vd28": fmt.fmt_money_million(total("VD28")), "vd29": fmt.fmt_money_million(total("VD29")),
        "vd32": fmt.fmt_number(total("VD32")), "vd39": total("VD39"), "vd40": total("VD40"),
        "vd41": total("VD41"), "vd42": total("VD42"),
        "water_rate": fmt.fmt_percent(rate("VD19", "VD11", -1), 1),
        "waste_rate": fmt.fmt_percent(rate("VD20", "VD11", -1), 1),
    }
    if income:
        facts["income_first"] = fmt.fmt_number(income[0], 1, trim=True)
        facts["income_last"] = fmt.fmt_number(income[-1], 1, trim=True)
    known = {c.lower() for c in outline.metrics["code"]}        # a sentence about a metric the outline lacks is left out
    facts = {k: v for k, v in facts.items() if not (k.startswith("vd") and k[2:].isdigit() and k not in known)}
    out = {}
    for s in outline.sheet("DanhGia")["sections"]:
        pool = []
        for sentence in _NARRATIVES.get(str(s["code"]), _NARRATIVE_FALLBACK):
            try:
                pool.append(sentence.format_map(facts))
            except KeyError:  # a fact this unit does not have
                continue
        k = min(len(pool), int(rng.integers(2, 4)))
        picked = sorted(rng.choice(len(pool), size=k, replace=False).tolist())
        out[str(s["code"])] = " ".join(pool[i] for i in picked)
    return out


# --------------------------------------------------------------------------- public


def _self_scores(rng, outline: Outline, roles_here: list[str]) -> dict:
    """The unit's own scores (TuCham, outline version 2): each content 60-100 % of its điểm chuẩn, by halves of a
    point, one in ten left blank; the late unit (imperfection 2) leaves the whole sheet blank."""
    fields = [f for f in outline.fields.values() if f.get("type") == "number" and (f.get("rules") or {}).get("le")]
    out = {}
    for f in fields:
        top = float(f["rules"]["le"])
        blank = "late" in roles_here or rng.random() < 0.1
        out[f["key"]] = None if blank else round(top * rng.uniform(0.6, 1.0) * 2) / 2
    return out


def _urban_status(outline: Outline, ntm: dict[int, bool]) -> dict:
    """A town's declaration of the urban standard (VanMinhDoThi) for its town years: every criterion reached but
    VM1 (planning and building) in its first town year; nothing for a xã's years (the template fills those)."""
    if not outline.urban_sheet:
        return {}
    codes = list(dict.fromkeys(load_urban_criteria().sort_values("criterion_no")["criterion_code"]))
    town = [y for y in outline.years if not ntm.get(y, True)]
    return {(c, y): NOT_REACHED if (c == codes[0] and y == town[0]) else REACHED for c in codes for y in town}


def sample_content(units: pd.DataFrame, seed: int, outline: Outline | None = None) -> dict[str, dict]:
    """Synthetic content of every unit's workbook (the format of :func:`nrlib.workbooks.template.write_workbook`).

    Pure and deterministic: the same units and seed give the same content.
    The missing unit (see :func:`sample_roles`) has content too; it is simply
    not written by :func:`write_sample`.
    """
    return generate(units, seed, outline or load_outline())[0]


def generate(units: pd.DataFrame, seed: int, outline: Outline) -> tuple[dict, dict, dict, dict]:
    """Contents, received dates, and the levels that apply, per scope (for the writer)."""
    model = _Model.build(outline)
    uy = unit_years(units, outline.years)
    roles = sample_roles(units, outline, uy)
    received = _received_dates(units, seed, roles, outline)
    levels: dict[tuple, pd.DataFrame] = {}
    maps: dict[tuple, tuple[dict, dict]] = {}
    out = {}
    for unit in units.sort_values("unit_code").to_dict("records"):
        code = unit["unit_code"]
        scopes = tuple(unit_scopes(unit))
        if scopes not in maps:
            # national levels are the last resort: rows resolved to them are not levels "that apply"
            every = resolve_levels(list(scopes) + ["national"], outline.years)
            levels[scopes] = every[every["scope"] != "national"].reset_index(drop=True)
            maps[scopes] = (_level_map(levels[scopes]), _level_map(every))
        mine = uy[uy["unit_code"] == code]
        ntm = dict(zip(mine["year"], mine["ntm_applies"]))
        here = [r for r, c in roles.items() if c == code and r != "missing"]
        out[code] = _unit_content(unit, seed, model, ntm, here, received.get(code), *maps[scopes])
    return out, received, {u["unit_code"]: levels[tuple(unit_scopes(u))] for u in units.to_dict("records")}, roles


def write_sample(out_dir: str | Path, district_code: str | int, seed: int = 2021,
                 outline: Outline | None = None) -> SampleResult:
    """Write the sample workbooks of a district and the manifest ``received.csv``.

    One workbook per unit that submits (``template_filename`` names), written
    by :func:`nrlib.workbooks.template.write_workbook`; the manifest has ``file_name,
    unit_code, received_date`` (ISO dates) in unit-code order. Files listed in
    an earlier manifest of ``out_dir`` are removed first, so a re-run leaves
    no stale workbook behind; nothing else in ``out_dir`` is touched.
    ``outline``: the outline the workbooks follow (default the one new templates follow; an earlier
    version's, :func:`nrlib.reference.load_outline` with ``version=``, writes what units sent before it).
    """
    outline = outline or load_outline()
    units = load_units(district_code)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = out_dir / MANIFEST_NAME
    if manifest.exists():
        with open(manifest, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                old = out_dir / Path(row.get("file_name") or "").name
                if old.suffix == ".xlsx" and old.is_file():
                    old.unlink()
    contents, received, levels, _ = generate(units, seed, outline)
    banner = data_note(outline)
    paths, rows = [], []
    for unit in units.to_dict("records"):
        code = unit["unit_code"]
        if code not in received:
            continue
        path = write_workbook(out_dir / template_filename(unit), unit, outline=outline, content=contents[code],
                              levels=levels[code], banner=banner)
        paths.append(path)
        rows.append({"file_name": path.name, "unit_code": code, "received_date": received[code].isoformat()})
    with open(manifest, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file_name", "unit_code", "received_date"])
        w.writeheader()
        w.writerows(rows)
    return SampleResult(paths=paths, manifest=manifest)
