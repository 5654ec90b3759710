"""Working days from the holiday calendar kept as data, and the district's choice of how days late are counted.

Worked by hand on the calendar of 2021 (data/reference/holidays.csv): Tết Tân Sửu ran Wednesday 10/02 to
Tuesday 16/02 (10, 11, 12 holidays; 13-14 the weekend; 15, 16 taken for mùng 2-3, which fell on it).

==================  ==================  ========  ==================================================
deadline            received            calendar  working days late
==================  ==================  ========  ==================================================
Tue 09/02           Wed 17/02           8         1: only 17/02 (10-16 off)
Fri 05/02           Thu 18/02           13        4: 08, 09, 17, 18
Thu 18/02           Wed 24/02           6         4: 19, 22, 23, 24
Fri 12/02 (mùng 1)  Wed 17/02           5         0: the deadline moves to 17/02 (BLDS 2015 Điều 148)
Thu 18/02           Sat 20/02           2         2: registered Mon 22/02, so 19 and 22
Thu 18/02           Thu 18/02, 10/02    0         0
==================  ==================  ========  ==================================================
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from nrlib.analysis.timeliness import timeliness, timeliness_rows
from nrlib.exceptions import ConfigError, ReferenceDataError
from nrlib.reference import district_settings
from nrlib.reference.calendar import load_calendar
from nrlib.reference.district_settings import CALENDAR_DAYS, DayCount, load_district_settings

D = dt.date
CASES = [  # deadline, received, calendar days late, working days late
    (D(2021, 2, 9), D(2021, 2, 17), 8, 1),
    (D(2021, 2, 5), D(2021, 2, 18), 13, 4),
    (D(2021, 2, 18), D(2021, 2, 24), 6, 4),
    (D(2021, 2, 12), D(2021, 2, 17), 5, 0),
    (D(2021, 2, 18), D(2021, 2, 20), 2, 2),
    (D(2021, 2, 18), D(2021, 2, 18), 0, 0),
    (D(2021, 2, 18), D(2021, 2, 10), 0, 0),
]


@pytest.fixture(scope="module")
def cal():
    return load_calendar("vn_public_service")


def test_tet_2021_is_in_the_reference_calendar(cal):
    tet = {D(2021, 2, d) for d in (10, 11, 12, 15, 16)}
    assert tet <= cal.days_off
    assert [cal.is_working_day(D(2021, 2, d)) for d in range(8, 20)] == \
        [True, True, False, False, False, False, False, False, False, True, True, True]
    assert cal.next_working_day(D(2021, 2, 10)) == D(2021, 2, 17)
    assert cal.years == (2021,) and cal.covers(D(2021, 2, 18)) and not cal.covers(D(2020, 2, 18))


@pytest.mark.parametrize("deadline,received,calendar_days,working_days", CASES)
def test_days_late_by_hand(cal, deadline, received, calendar_days, working_days):
    assert CALENDAR_DAYS.days_late(deadline, received) == calendar_days
    assert DayCount("working", cal).days_late(deadline, received) == working_days


def test_a_district_adds_a_working_saturday_and_a_day_off(tmp_path, cal):
    own = tmp_path / "holidays.csv"
    own.write_text("calendar,date,kind,name,source,confidence\n"
                   "vn_public_service,2021-02-20,working_day,Làm bù,test,V\n"
                   "vn_public_service,2021-02-23,holiday,Nghỉ riêng,test,V\n", encoding="utf-8")
    mine = load_calendar("vn_public_service", local=own)
    # Thu 18/02 → Wed 24/02: 19, 20 (worked), 22, 24 (23 off) = 4; the reference calendar gives 4 too (19, 22, 23, 24)
    assert mine.days_late(D(2021, 2, 18), D(2021, 2, 24)) == 4
    assert mine.days_late(D(2021, 2, 18), D(2021, 2, 22)) == 3 and cal.days_late(D(2021, 2, 18), D(2021, 2, 22)) == 2
    assert mine.is_working_day(D(2021, 2, 20)) and not mine.is_working_day(D(2021, 2, 23))


@pytest.mark.parametrize("text,match", [
    ("calendar,date,kind,name,source,confidence\nvn_public_service,18/02/2021,holiday,x,y,V\n", "yyyy-mm-dd"),
    ("calendar,date,kind,name,source,confidence\nvn_public_service,2021-02-18,vacation,x,y,V\n", "vacation"),
    ("calendar,date,name\nvn_public_service,2021-02-18,x\n", "missing columns"),
])
def test_bad_calendar_rows_are_refused(tmp_path, text, match):
    f = tmp_path / "h.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=match):
        load_calendar("vn_public_service", path=f)


def test_an_unknown_calendar_or_weekend_is_refused():
    with pytest.raises(ReferenceDataError, match="no row of calendar"):
        load_calendar("mars")
    with pytest.raises(ReferenceDataError, match="weekend"):
        load_calendar("vn_public_service", weekend=[8])


def _settings(tmp_path, text: str):
    f = tmp_path / "district_settings.yaml"
    f.write_text(text, encoding="utf-8")
    return f


def test_the_default_counts_calendar_days_and_a_district_chooses_working_days(tmp_path, monkeypatch):
    s = load_district_settings()
    assert s.day_count() is CALENDAR_DAYS and s.relative_ranking is False
    assert s.scoring_table_path().name == "scoring_2016_2020.yaml"
    f = _settings(tmp_path, "timeliness:\n  count_days: working\n")
    monkeypatch.setenv("NRLIB_DISTRICT_SETTINGS", str(f))
    count = district_settings.day_count()
    assert count.mode == "working" and count.calendar.name == "vn_public_service" and count.unit == "ngày làm việc"
    assert "Điều 148" in count.method_text() and "năm 2021" in count.method_text()
    assert load_district_settings().timeliness["weekend"] == [6, 7]       # the keys not given stay


@pytest.mark.parametrize("text,match", [
    ("timeliness:\n  count_day: working\n", "count_day"),
    ("timeliness:\n  count_days: sometimes\n", "count_days"),
    ("scoring:\n  relative_ranking: yes please\n", "relative_ranking"),
    ("- a list\n", "mapping"),
])
def test_bad_settings_are_refused_with_the_key(tmp_path, text, match):
    with pytest.raises(ConfigError, match=match):
        load_district_settings(_settings(tmp_path, text))


def test_frames_and_rows_count_working_days_alike(cal):
    count = DayCount("working", cal)
    units = pd.DataFrame({"unit_code": [f"u{i}" for i in range(len(CASES) + 1)],
                          "name": [f"Xã {i}" for i in range(len(CASES) + 1)]})
    deadline = D(2021, 2, 12)     # on mùng 1 Tết: it moves to Wed 17/02
    received = [c[1] for c in CASES]
    subs = pd.DataFrame({"unit_code": units["unit_code"][:-1], "version": 1, "received_date": received,
                         "status": "accepted", "n_errors": 0, "n_warnings": 0})
    frame = timeliness(units, subs, deadline, count)
    rows = timeliness_rows(units.to_dict("records"), subs.to_dict("records"), deadline, count)
    assert frame["days_late"].tolist()[:-1] == [r["days_late"] for r in rows][:-1]
    # received 17, 18, 24, 17, 20 (→ 22), 18, 10 February against 17/02
    assert frame["days_late"].tolist()[:-1] == [0, 1, 5, 0, 3, 1, 0]
    assert frame["timeliness"].tolist() == ["on_time", "late", "late", "on_time", "late", "late", "on_time",
                                            "missing"]
    assert set(frame["days_counted"]) == {"working"} and rows[0]["days_counted"] == "working"
    assert pd.isna(frame["days_late"].iloc[-1]) and rows[-1]["days_late"] is None
