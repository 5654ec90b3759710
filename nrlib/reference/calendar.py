"""Working days: the weekly days off and a calendar of holidays kept as data (``data/reference/holidays.csv``).

Method: a day is a *working day* unless it is a weekly day off (``weekend``, ISO
weekday numbers, Saturday and Sunday by default) or a row of the calendar of kind
``holiday`` or ``compensatory`` (nghỉ bù); a row of kind ``working_day`` makes a
weekly day off a working day (ngày làm bù). Each row names its calendar
(``vn_public_service``: the days off of the civil service), so one file can hold
several; a district adds its own rows in ``data/local/holidays.csv``
(:func:`nrlib.config.local_holidays_path`), which win over the reference rows of
the same calendar and date.

:meth:`WorkCalendar.days_late` is the rule for a report received after a
deadline, counted in working days:

* a deadline on a day off moves to the next working day (Bộ luật Dân sự 2015,
  Điều 148 khoản 5);
* a report received on a day off counts as received on the next working day,
  when the office registers it;
* the days late are the working days after the (moved) deadline up to and
  including the (moved) day of receipt, so a report received on the first working
  day after the deadline is 1 working day late, and any report received after the
  deadline is at least 1 day late, as with calendar days.

Plain Python (``datetime`` and ``csv``): ``nrlib status`` counts with it without
pandas.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from nrlib import config
from nrlib.exceptions import ReferenceDataError
from nrlib.reference.files import read_csv_rows, reference_file

#: the columns of holidays.csv, in order
HOLIDAY_COLUMNS = ("calendar", "date", "kind", "name", "source", "confidence")
#: kinds of row: a day off on a working day, a day off in place of one on the weekend, a weekend day worked
HOLIDAY_KINDS = ("holiday", "compensatory", "working_day")
#: the weekly days off of the civil service (ISO weekdays: 6 Saturday, 7 Sunday)
DEFAULT_WEEKEND = (6, 7)
#: the most days a count walks through (a report more than two years late is a data error, not a count)
_MAX_DAYS = 800


@dataclass(frozen=True)
class WorkCalendar:
    """The days off of one calendar.

    Attributes
    ----------
    name : str
        The calendar's name (the ``calendar`` column of its rows).
    days_off : frozenset of date
        Holidays and compensatory days (rows of kind ``holiday`` or ``compensatory``).
    working_days : frozenset of date
        Weekly days off that are worked (rows of kind ``working_day``).
    weekend : tuple of int
        The weekly days off, ISO weekday numbers.
    years : tuple of int
        The years the calendar has rows for: outside them only the weekend is known.
    """

    name: str
    days_off: frozenset = field(default_factory=frozenset)
    working_days: frozenset = field(default_factory=frozenset)
    weekend: tuple = DEFAULT_WEEKEND
    years: tuple = ()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.working_days:
            return True
        return day.isoweekday() not in self.weekend and day not in self.days_off

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for _ in range(_MAX_DAYS):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ReferenceDataError(f"lịch {self.name}: không có ngày làm việc nào trong {_MAX_DAYS} ngày / "
                                 f"calendar {self.name} has no working day in {_MAX_DAYS} days")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days ``d`` with ``start < d <= end`` (0 when ``end <= start``)."""
        n, day = 0, start
        if (end - start).days > _MAX_DAYS:
            raise ValueError(f"khoảng ngày quá dài: {start} – {end} / more than {_MAX_DAYS} days")
        while day < end:
            day += dt.timedelta(days=1)
            n += self.is_working_day(day)
        return n

    def days_late(self, deadline: dt.date, received: dt.date) -> int:
        """Working days late of a report received on ``received`` against ``deadline`` (method: module docstring)."""
        return self.working_days_between(self.next_working_day(deadline), self.next_working_day(received))

    def covers(self, day: dt.date) -> bool:
        """Whether the calendar has rows for ``day``'s year (else its holidays are unknown)."""
        return day.year in self.years


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ReferenceDataError(f"{where}: ngày {text!r} không hợp lệ (cần yyyy-mm-dd) / bad date {text!r}") from None


def _rows(path: Path) -> list[dict]:
    try:
        rows = read_csv_rows(str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferenceDataError(f"không đọc được lịch ngày nghỉ {path}: {exc} / cannot read {path}") from None
    if rows and (missing := [c for c in HOLIDAY_COLUMNS if c not in rows[0]]):
        raise ReferenceDataError(f"{path}: thiếu cột {missing} / missing columns {missing}; expected "
                                 f"{list(HOLIDAY_COLUMNS)}")
    return [dict(r) for r in rows]


def load_calendar(name: str, weekend=DEFAULT_WEEKEND, path: str | Path | None = None,
                  local: str | Path | None = None) -> WorkCalendar:
    """The working-day calendar ``name`` from the holidays file and the district's own rows.

    Parameters
    ----------
    name : str
        The ``calendar`` column of the rows to use (``vn_public_service``).
    weekend : iterable of int
        ISO weekdays off (default Saturday, Sunday).
    path : str or Path, optional
        Default ``data/reference/holidays.csv``.
    local : str or Path, optional
        Default :func:`nrlib.config.local_holidays_path`; its rows win over the reference rows of the same date.

    Raises
    ------
    ReferenceDataError
        A file is missing or unreadable, lacks a column, holds a bad date or kind, or no row names the calendar.
    """
    weekend = tuple(sorted({int(d) for d in weekend}))
    if not weekend or any(d < 1 or d > 7 for d in weekend) or len(weekend) == 7:
        raise ReferenceDataError(f"ngày nghỉ hằng tuần không hợp lệ: {list(weekend)} (số 1–7, thứ Hai là 1) / "
                                 f"bad weekend {list(weekend)}")
    files = [Path(path) if path else reference_file("holidays")]
    own = Path(local) if local else config.local_holidays_path()
    if own is not None:
        files.append(own)
    kinds: dict[dt.date, str] = {}
    for f in files:
        if not f.is_file():
            raise ReferenceDataError(f"không tìm thấy lịch ngày nghỉ {f} / holidays file not found: {f}")
        for i, row in enumerate(_rows(f), start=2):
            if row["calendar"].strip() != name:
                continue
            where = f"{f}, dòng {i}"
            kind = row["kind"].strip()
            if kind not in HOLIDAY_KINDS:
                raise ReferenceDataError(f"{where}: loại ngày {kind!r} không có (cần một trong {list(HOLIDAY_KINDS)}) "
                                         f"/ unknown kind {kind!r}")
            kinds[_date(row["date"], where)] = kind
    if not kinds:
        raise ReferenceDataError(f"không có dòng nào của lịch {name!r} trong {', '.join(map(str, files))} / "
                                 f"no row of calendar {name!r}")
    return WorkCalendar(
        name=name, weekend=weekend, years=tuple(sorted({d.year for d in kinds})),
        days_off=frozenset(d for d, k in kinds.items() if k != "working_day"),
        working_days=frozenset(d for d, k in kinds.items() if k == "working_day"))
