"""The district's choices for judging the review: how days late are counted, the scoring table, the relative ranking.

Method: the defaults are ``data/reference/district_settings.yaml`` (each choice
explained there, with its source); a district's file
(:func:`nrlib.config.district_settings_path`: ``$NRLIB_DISTRICT_SETTINGS`` or
``data/local/district_settings.yaml``) replaces the keys it gives, at any depth,
and nothing else (:func:`merge_settings`). A key the defaults do not have is a
typing mistake and is refused, as is a value of another kind or a choice outside
its list, with one line naming the key.

:meth:`DistrictSettings.day_count` is how every days-late figure is counted
(``nrlib status``, the reports, the scoring table's deduction): calendar days,
or working days of :mod:`nrlib.reference.calendar`. Plain Python and PyYAML: the
command line reads it without pandas.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nrlib import config
from nrlib.core import labels
from nrlib.exceptions import ConfigError
from nrlib.reference.calendar import WorkCalendar, load_calendar
from nrlib.reference.files import reference_file

#: how days late are counted: every day, or working days only
COUNT_DAYS = ("calendar", "working")


@dataclass(frozen=True)
class DayCount:
    """How days late are counted: ``mode`` ``calendar`` or ``working`` (then with its :class:`WorkCalendar`)."""

    mode: str = "calendar"
    calendar: WorkCalendar | None = None

    def days_late(self, deadline: dt.date, received: dt.date) -> int:
        """Days late (0 when on time): calendar days after the deadline, or
        :meth:`nrlib.reference.calendar.WorkCalendar.days_late`."""
        if self.mode == "working" and self.calendar is not None:
            return self.calendar.days_late(deadline, received)
        return max((received - deadline).days, 0)

    @property
    def unit(self) -> str:
        """The word after a number of days late: ``ngày`` or ``ngày làm việc``."""
        return labels.DAYS_LATE_UNIT[self.mode]

    @property
    def key(self) -> tuple:
        """What tells two counts apart (a cache key)."""
        cal = self.calendar
        return (self.mode,) if cal is None else (self.mode, cal.name, cal.weekend, cal.days_off, cal.working_days)

    def method_text(self) -> str:
        """The rule in Vietnamese, for a methodology note."""
        if self.mode != "working" or self.calendar is None:
            return labels.DAYS_LATE_METHOD["calendar"]
        years = ", ".join(str(y) for y in self.calendar.years)
        return labels.DAYS_LATE_METHOD["working"].format(n=len(self.calendar.days_off), years=years)


#: calendar days: what nrlib counts when nothing says otherwise
CALENDAR_DAYS = DayCount()


@dataclass(frozen=True)
class DistrictSettings:
    """The merged settings (``raw``) and the files they came from."""

    raw: dict[str, Any]
    reference_path: Path
    local_path: Path | None

    @property
    def timeliness(self) -> dict:
        return self.raw["timeliness"]

    @property
    def scoring(self) -> dict:
        return self.raw["scoring"]

    def day_count(self) -> DayCount:
        """How days late are counted (:class:`DayCount`), the calendar loaded when working days are chosen."""
        t = self.timeliness
        if t["count_days"] == "calendar":
            return CALENDAR_DAYS
        return DayCount("working", load_calendar(str(t["calendar"]), weekend=t.get("weekend") or (6, 7)))

    @property
    def relative_ranking(self) -> bool:
        """Whether the relative (min-max) ranking is shown beside the points and classes."""
        return bool(self.scoring["relative_ranking"])

    def scoring_table_path(self) -> Path:
        """The scoring table: the file the settings name, in ``data/local/`` when there, else ``data/reference/``."""
        name = str(self.scoring["table"])
        own = config.local_dir() / name
        return own if own.is_file() else config.reference_dir() / name


def load_district_settings(local: str | Path | None = None) -> DistrictSettings:
    """The district's settings: the reference defaults with the district's file over them.

    Parameters
    ----------
    local : str or Path, optional
        The district's file; default :func:`nrlib.config.district_settings_path`.

    Raises
    ------
    ConfigError
        A file cannot be read or is not a mapping, the district's file names a key the defaults do not have or
        gives a value of another kind, or ``count_days`` is not one of :data:`COUNT_DAYS`.
    """
    ref = reference_file("district_settings")
    path = Path(local) if local else config.district_settings_path()
    if path is not None and not path.is_file():
        raise ConfigError(f"không tìm thấy tệp thiết lập của huyện {path} / district settings file not found: {path}")
    raw = _cached(str(ref), ref.stat().st_mtime, str(path) if path else None,
                  path.stat().st_mtime if path else None)
    return DistrictSettings(raw=copy.deepcopy(raw), reference_path=ref, local_path=path)


@functools.lru_cache(maxsize=8)
def _cached(ref: str, ref_mtime: float, local: str | None, local_mtime: float | None) -> dict:
    base = read_settings_yaml(Path(ref))
    if local is not None:
        base = merge_settings(base, read_settings_yaml(Path(local)), Path(local))
    count = base.get("timeliness", {}).get("count_days")
    if count not in COUNT_DAYS:
        raise ConfigError(f"timeliness.count_days = {count!r}: cần một trong {', '.join(COUNT_DAYS)} / must be one "
                          f"of {', '.join(COUNT_DAYS)}")
    return base


def day_count() -> DayCount:
    """How days late are counted under the district's settings in force (:meth:`DistrictSettings.day_count`)."""
    return load_district_settings().day_count()


def read_settings_yaml(path: Path) -> dict:
    """A settings file as a mapping (an empty file is ``{}``); :class:`ConfigError` naming the file otherwise."""
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            data = config.load_yaml(fh)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"không đọc được tệp thiết lập {path}: {exc} / cannot read {path}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"tệp thiết lập {path} không đúng cú pháp YAML: {str(exc).splitlines()[0]} / "
                          f"{path} is not valid YAML") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"tệp thiết lập {path} phải là các cặp khóa: giá trị / {path} must be a mapping")
    return data


def merge_settings(base: dict, own: dict, path: Path, where: str = "") -> dict:
    """``base`` with ``own``'s keys over it, at any depth, refusing keys ``base`` lacks and values of another kind."""
    out = copy.deepcopy(base)
    for key, value in own.items():
        name = f"{where}.{key}" if where else str(key)
        if key not in base:
            raise ConfigError(f"{path}: khóa “{name}” không có trong thiết lập mặc định / unknown key {name!r}")
        old = base[key]
        if isinstance(old, dict) and isinstance(value, dict):
            out[key] = merge_settings(old, value, path, name)
        elif old is not None and value is not None and not _same_kind(old, value):
            raise ConfigError(f"{path}: “{name}” cần {_kind(old)}, không phải {_kind(value)} / {name!r} must be "
                              f"a {type(old).__name__}")
        else:
            out[key] = copy.deepcopy(value)
    return out


def _same_kind(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return True
    return isinstance(b, type(a))


def _kind(x) -> str:
    if isinstance(x, bool):
        return "true hoặc false"
    return {dict: "các cặp khóa: giá trị", list: "một danh sách", str: "một đoạn chữ"}.get(type(x), "một số")
