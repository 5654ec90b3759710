"""The scoring table of a review (``data/reference/scoring_2016_2020.yaml``): contents, points, rules, classes.

The table is data: per content its maximum points (điểm chuẩn) and the rules by
which the district's verified points (điểm thẩm định) follow from the unit's own
figures, the deductions, the cell of the unit's self-score (điểm tự chấm) where
the outline has one, and the classes with their thresholds. Its layout, each
measure and each kind of points are described in the file's header; this module
reads it and refuses, with the key at fault, a table that cannot be applied as
written: an unknown measure or kind of points, steps out of order or above the
rule's points, rules whose points do not add up to their content's, contents that
do not add up to the total, classes not in decreasing order or outside 0-100.
The points themselves are computed by :mod:`nrlib.analysis.scoring`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from nrlib import config
from nrlib.core.vnformat import fmt_number, unit_suffix
from nrlib.exceptions import ReferenceDataError

#: the measures a rule may use, with the parameters each requires (nrlib.analysis.scoring computes them)
MEASURE_KINDS = {
    "rate_last": ("rate",), "rate_fall": ("rate",), "per_household": ("metrics",), "metric_total": ("metrics",),
    "criteria_reached_share": (), "criteria_losses": (), "days_late": (), "completeness": (),
}
#: how points follow from a measure
POINTS_KINDS = ("steps", "proportional", "deduction")
#: the comparisons of a step, and their signs for a reader
STEP_OPS = {"at_least": "≥", "above": ">", "at_most": "≤", "below": "<"}
#: a rule applies to every scored unit, or only to one with a year where the new-rural criteria apply
APPLIES = ("all", "ntm_years")


@dataclass(frozen=True)
class Step:
    """One step: a value meeting ``op bound`` (``at_least 5``) earns ``points``."""

    op: str
    bound: float
    points: float


@dataclass(frozen=True)
class Rule:
    """How one figure of a unit gives points (the file's header describes each field)."""

    code: str
    label: str
    measure: dict
    unit: str
    max_points: float
    kind: str
    steps: tuple = ()
    otherwise: float = 0.0
    per: float = 1.0
    if_missing: float = 0.0
    applies: str = "all"

    def how_text(self, unit: str | None = None) -> str:
        """How the points follow, in Vietnamese: ``≥ 5 triệu đồng/hộ: 10 điểm; …; còn lại: 0 điểm``; ``unit``
        replaces the rule's own in a deduction (``ngày làm việc`` when working days are counted)."""
        if self.kind == "proportional":
            return f"{_pts(self.max_points)} điểm × tỷ lệ đạt"
        if self.kind == "deduction":
            return f"{_pts(self.max_points)} điểm, trừ {_pts(self.per)} điểm mỗi {unit or self.unit} (thấp nhất 0)"
        suffix = unit_suffix(self.unit)
        parts = [f"{STEP_OPS[s.op]} {fmt_number(s.bound, 2, trim=True)}{suffix}: {_pts(s.points)} điểm"
                 for s in self.steps]
        return "; ".join(parts + [f"còn lại: {_pts(self.otherwise)} điểm"])


@dataclass(frozen=True)
class Content:
    """One content of the table: its code, the outline's DanhGia section it answers, its points and rules."""

    code: str
    section: str | None
    name: str
    max_points: float
    self_score: str | None
    source: str
    rules: tuple

    @property
    def by_council(self) -> bool:
        """No figure of the outline scores it: the emulation council scores it from the unit's text."""
        return not self.rules


@dataclass(frozen=True)
class ScoreClass:
    """A class (xếp loại) and the score out of 100 from which it is given."""

    code: str
    label: str
    at_least: float


@dataclass(frozen=True)
class ScoringTable:
    """The whole table, as read from ``path``."""

    path: Path
    version: str
    title: str
    status: str
    contents: tuple
    classes: tuple
    below: ScoreClass

    @property
    def total_points(self) -> float:
        return float(sum(c.max_points for c in self.contents))

    @property
    def verified(self) -> bool:
        """Whether the table is marked as adopted (``status`` other than UNVERIFIED)."""
        return str(self.status).strip().upper() != "UNVERIFIED"

    def content(self, code: str) -> Content:
        for c in self.contents:
            if c.code == code:
                return c
        raise KeyError(code)

    def class_for(self, score_100: float) -> ScoreClass:
        """The class of a score out of 100: the first class whose threshold it reaches, else :attr:`below`."""
        for c in self.classes:
            if score_100 >= c.at_least:
                return c
        return self.below


def _pts(x: float) -> str:
    return fmt_number(x, 2, trim=True)


def _num(x, where: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise ReferenceDataError(f"{where}: cần một số, không phải {x!r} / must be a number")
    return float(x)


def parse_rule(raw: dict, where: str = "rule") -> Rule:
    """One rule of a content (the file header's layout), checked; ``where`` names it in an error."""
    for key in ("code", "label", "measure", "max_points", "points"):
        if key not in raw:
            raise ReferenceDataError(f"{where}: thiếu “{key}” / missing {key!r}")
    where = f"{where} ({raw['code']})"
    measure = dict(raw["measure"] or {})
    kind = measure.get("kind")
    if kind not in MEASURE_KINDS:
        raise ReferenceDataError(f"{where}: measure.kind {kind!r} không có; cần một trong {sorted(MEASURE_KINDS)} / "
                                 f"unknown measure")
    missing = [p for p in MEASURE_KINDS[kind] if not measure.get(p)]
    if missing:
        raise ReferenceDataError(f"{where}: measure {kind} cần {missing} / measure {kind} needs {missing}")
    if "metrics" in measure and isinstance(measure["metrics"], str):
        measure["metrics"] = [measure["metrics"]]
    max_points = _num(raw["max_points"], f"{where}.max_points")
    pts = dict(raw["points"] or {})
    pkind = pts.get("kind")
    if pkind not in POINTS_KINDS:
        raise ReferenceDataError(f"{where}: points.kind {pkind!r} không có; cần một trong {list(POINTS_KINDS)} / "
                                 f"unknown kind of points")
    steps = []
    for i, s in enumerate(pts.get("steps") or []):
        ops = [op for op in STEP_OPS if op in s]
        if len(ops) != 1 or "points" not in s:
            raise ReferenceDataError(f"{where}.steps[{i}]: cần đúng một trong {list(STEP_OPS)} và “points” / "
                                     f"needs one comparison and points")
        step = Step(ops[0], _num(s[ops[0]], f"{where}.steps[{i}]"), _num(s["points"], f"{where}.steps[{i}].points"))
        if not 0 <= step.points <= max_points:
            raise ReferenceDataError(f"{where}.steps[{i}]: {step.points} điểm vượt {max_points} / points above the "
                                     f"rule's maximum")
        steps.append(step)
    if pkind == "steps":
        if not steps:
            raise ReferenceDataError(f"{where}: points.kind steps cần “steps” / steps needed")
        if len({s.op in ("at_least", "above") for s in steps}) > 1:
            raise ReferenceDataError(f"{where}: các bậc phải cùng chiều (≥/> hoặc ≤/<) / steps must all go one way")
        up = steps[0].op in ("at_least", "above")
        bounds = [s.bound for s in steps]
        if bounds != sorted(bounds, reverse=up) or [s.points for s in steps] != sorted((s.points for s in steps),
                                                                                       reverse=True):
            raise ReferenceDataError(f"{where}: các bậc phải xếp từ mức cao nhất, điểm giảm dần / steps must go from "
                                     f"the best value down, points decreasing")
    applies = raw.get("applies", "all")
    if applies not in APPLIES:
        raise ReferenceDataError(f"{where}: applies {applies!r}; cần một trong {list(APPLIES)} / unknown applies")
    otherwise = _num(pts.get("otherwise", 0), f"{where}.otherwise")
    if_missing = _num(raw.get("if_missing", 0), f"{where}.if_missing")
    for name, x in (("otherwise", otherwise), ("if_missing", if_missing)):
        if not 0 <= x <= max_points:
            raise ReferenceDataError(f"{where}.{name}: {x} ngoài 0 – {max_points} / out of range")
    return Rule(code=str(raw["code"]), label=str(raw["label"]), measure=measure, unit=str(raw.get("unit") or ""),
                max_points=max_points, kind=pkind, steps=tuple(steps), otherwise=otherwise,
                per=_num(pts.get("per", 1), f"{where}.per"), if_missing=if_missing, applies=applies)


def _content(raw: dict, i: int, path: Path) -> Content:
    where = f"{path}: contents[{i}]"
    for key in ("code", "name", "max_points"):
        if key not in raw:
            raise ReferenceDataError(f"{where}: thiếu “{key}” / missing {key!r}")
    where = f"{path}: {raw['code']}"
    max_points = _num(raw["max_points"], f"{where}.max_points")
    if max_points <= 0:
        raise ReferenceDataError(f"{where}: max_points phải lớn hơn 0 / must be > 0")
    rules = tuple(parse_rule(r, f"{where}.rules[{k}]") for k, r in enumerate(raw.get("rules") or []))
    if rules and abs(sum(r.max_points for r in rules) - max_points) > 1e-9:
        raise ReferenceDataError(f"{where}: điểm các quy tắc cộng lại {sum(r.max_points for r in rules)}, khác "
                                 f"{max_points} điểm của nội dung / rules' points must add up to the content's")
    codes = [r.code for r in rules]
    if len(set(codes)) != len(codes):
        raise ReferenceDataError(f"{where}: mã quy tắc trùng / duplicate rule codes {codes}")
    return Content(code=str(raw["code"]), section=raw.get("section"), name=str(raw["name"]), max_points=max_points,
                   self_score=raw.get("self_score"), source=str(raw.get("source") or ""), rules=rules)


def load_scoring_table(path: str | Path | None = None) -> ScoringTable:
    """The scoring table at ``path`` (default: the one the district's settings name,
    :meth:`nrlib.reference.district_settings.DistrictSettings.scoring_table_path`).

    Raises
    ------
    ReferenceDataError
        The file is missing, unreadable or not a table that can be applied as written (module docstring).
    """
    if path is None:
        from nrlib.reference.district_settings import load_district_settings

        path = load_district_settings().scoring_table_path()
    p = Path(path)
    if not p.is_file():
        raise ReferenceDataError(f"không tìm thấy bảng điểm thi đua {p} / scoring table not found: {p}")
    return _load(str(p), p.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> ScoringTable:
    import yaml

    p = Path(path)
    try:
        with open(p, encoding="utf-8") as fh:
            raw = config.load_yaml(fh)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"không đọc được bảng điểm thi đua {p}: {str(exc).splitlines()[0]} / cannot read "
                                 f"{p}") from None
    if not isinstance(raw, dict) or not raw.get("contents"):
        raise ReferenceDataError(f"{p}: cần “contents” / a scoring table needs contents")
    contents = tuple(_content(c, i, p) for i, c in enumerate(raw["contents"]))
    codes = [c.code for c in contents]
    if len(set(codes)) != len(codes):
        raise ReferenceDataError(f"{p}: mã nội dung trùng / duplicate content codes {codes}")
    classes = []
    for i, c in enumerate(raw.get("classes") or []):
        if not {"code", "label", "at_least"} <= set(c):
            raise ReferenceDataError(f"{p}: classes[{i}] cần code, label, at_least / needs code, label, at_least")
        classes.append(ScoreClass(str(c["code"]), str(c["label"]), _num(c["at_least"], f"{p}: classes[{i}]")))
    thresholds = [c.at_least for c in classes]
    if not classes or thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != len(thresholds) \
            or not all(0 <= t <= 100 for t in thresholds):
        raise ReferenceDataError(f"{p}: classes phải có ngưỡng từ cao xuống thấp, trong khoảng 0 – 100 / classes "
                                 f"need thresholds from the highest down, within 0-100")
    below = raw.get("below") or {}
    if not {"code", "label"} <= set(below):
        raise ReferenceDataError(f"{p}: cần “below” (code, label): xếp loại dưới ngưỡng thấp nhất / below needed")
    return ScoringTable(path=p, version=str(raw.get("version", "")), title=str(raw.get("title", "")),
                        status=str(raw.get("status", "UNVERIFIED")), contents=contents, classes=tuple(classes),
                        below=ScoreClass(str(below["code"]), str(below["label"]), float("-inf")))
