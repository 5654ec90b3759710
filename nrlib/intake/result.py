"""What validating a workbook finds: its content, its problems, and how a cell is quoted in their messages.

The shared vocabulary of the intake stage: the sheet readers
(:mod:`nrlib.intake.sheets`), the plausibility checks
(:mod:`nrlib.intake.plausibility`) and validation (:mod:`nrlib.intake.validate`)
add problems to a :class:`Result` with :meth:`Result.add`; ingest stores it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from nrlib.core import labels
from nrlib.core.textmatch import show_invisible
from nrlib.core.vnformat import fmt_date, fmt_number


def cell_text(v) -> str | None:
    """A cell as trimmed NFC text; whole floats without ``.0``; blanks None."""
    if v is None:
        return None
    if isinstance(v, bool):
        return str(v).upper()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:.15g}"
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    s = unicodedata.normalize("NFC", str(v)).strip()
    return s or None


def show_value(v) -> str:
    """A raw cell value as a user sees it, shortened for messages; characters that print as nothing are shown
    (``Đạt⟨U+200B⟩``), so a value that looks right and is refused says why."""
    if isinstance(v, float):
        return fmt_number(v, 6, trim=True)
    if isinstance(v, (dt.date, dt.datetime)):
        return fmt_date(v)
    if isinstance(v, str):
        s = show_invisible(unicodedata.normalize("NFC", v)).strip()
    else:
        s = cell_text(v) or ""
    return s if len(s) <= 60 else s[:57] + "…"


def show_number(x: float) -> str:
    """A number as messages show it: Vietnamese format, at most 6 decimals, no trailing zeros."""
    return fmt_number(x, 6, trim=True)


@dataclass(frozen=True)
class Problem:
    """One problem of a workbook: where (sheet, cell), which rule, how bad, what to do."""

    sheet: str
    cell: str
    rule: str
    severity: str
    message: str
    value: str | None = None

    @property
    def location(self) -> str:
        """``"VanDong!D14"``, or the sheet alone for a sheet-level problem."""
        if self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or "(tệp)"

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "cell": self.cell, "rule": self.rule, "severity": self.severity,
                "message": self.message, "value": self.value}


class ProblemCounts:
    """``n_errors`` and ``n_warnings`` of an object holding ``problems`` (a result, a file's outcome)."""

    problems: list[Problem]

    @property
    def n_errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def n_warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)


@dataclass
class Result(ProblemCounts):
    """What a workbook holds and what is wrong with it.

    ``unit_code`` is the unit the workbook names (ThongTin), when it is in the
    registry; ``values`` has one dict per outline row and year (``value`` None
    when blank); ``cells`` maps ``(data_element, year)`` and
    ``("criterion", no, year)`` to the cell they were read from.
    """

    unit_code: str | None = None
    outline_version: str | None = None
    is_sample: bool = False
    info: dict = field(default_factory=dict)
    values: list[dict] = field(default_factory=list)
    criteria_status: list[dict] = field(default_factory=list)
    #: the urban standard's criteria declared by a town (VanMinhDoThi): ``year, criterion_code, status``
    urban_status: list[dict] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    narratives: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cells: dict = field(default_factory=dict)
    #: a partner's workbook (:mod:`nrlib.intake.partner`): the partner's key, its district, and its rows by
    #: store table (``partner_criteria_status``, ``partner_recognitions``, ``partner_values``)
    partner_form: str | None = None
    partner: str | None = None
    district_code: str | None = None
    partner_tables: dict = field(default_factory=dict)


    @property
    def accepted(self) -> bool:
        return self.n_errors == 0

    def add(self, rule: str, sheet: str, cell: str = "", raw=None, /, **params) -> None:
        """Record a problem of rule ``rule`` at ``sheet!cell``; ``raw`` is the cell's value as read,
        ``params`` fill the rule's Vietnamese message (:mod:`nrlib.core.labels`)."""
        r = labels.rule(rule)
        self.problems.append(Problem(sheet=sheet, cell=cell, rule=rule, severity=r.severity,
                                     message=r.template.format(**params),
                                     value=None if raw is None else cell_text(raw)))

    def problems_frame(self) -> pd.DataFrame:
        cols = ["sheet", "cell", "rule", "severity", "message", "value"]
        return pd.DataFrame([p.as_dict() for p in self.problems], columns=cols)
