"""Vietnamese numbers, money, percentages, dates and sorting."""

import datetime as dt
import math

import pytest

from nrlib.core import vnformat as vf


@pytest.mark.parametrize("x, digits, expected", [
    (1234567.5, 1, "1.234.567,5"),
    (1234567, 0, "1.234.567"),
    (999, 0, "999"),
    (1000, 0, "1.000"),
    (0.5, 0, "1"),        # half up, not banker's rounding
    (2.5, 0, "3"),
    (-1234.56, 2, "-1.234,56"),
    (-0.01, 1, "0,0"),    # no negative zero
    (522.3, 1, "522,3"),
])
def test_fmt_number(x, digits, expected):
    assert vf.fmt_number(x, digits) == expected


def test_missing_values_print_as_dash():
    assert vf.fmt_number(None) == vf.MISSING
    assert vf.fmt_number(math.nan) == vf.MISSING
    assert vf.fmt_percent(float("nan")) == vf.MISSING


def test_percent_and_trim():
    assert vf.fmt_percent(89.96) == "89,96%"          # no space before the sign, as official texts print it
    assert vf.fmt_percent(90.0) == "90%"
    assert vf.fmt_percent(12.5, 2, trim=False) == "12,50%"


def test_money():
    assert vf.fmt_money_million(12300) == "12,3 tỷ đồng"
    assert vf.fmt_money_million(850.5) == "850,5 triệu đồng"
    assert vf.fmt_money_million(19365.884, digits=2) == "19,37 tỷ đồng"
    assert vf.fmt_dong(19_365_884_000) == "19.365.884.000 đồng"


def test_dates():
    d = dt.date(2021, 2, 18)
    assert vf.fmt_date(d) == "18/02/2021"
    assert vf.fmt_date("2021-02-08") == "08/02/2021"
    assert vf.fmt_date_long(d) == "ngày 18 tháng 02 năm 2021"
    assert vf.fmt_date_long(d, place="Thống Nhất") == "Thống Nhất, ngày 18 tháng 02 năm 2021"
    assert vf.fmt_datetime(dt.datetime(2021, 2, 18, 9, 5)) == "18/02/2021 09:05"


@pytest.mark.parametrize("day, text", [
    (dt.date(2021, 3, 5), "ngày 05 tháng 3 năm 2021"),      # day padded below 10, month 3..12 never
    (dt.date(2021, 1, 29), "ngày 29 tháng 01 năm 2021"),    # months 1 and 2 padded
    (dt.date(2020, 12, 31), "ngày 31 tháng 12 năm 2020"),
    (dt.date(2019, 6, 29), "ngày 29 tháng 6 năm 2019"),     # NĐ 30/2020, Phụ lục I's own example
])
def test_the_long_date_pads_as_decree_30_says(day, text):
    assert vf.fmt_date_long(day) == text
    assert vf.fmt_date_long(day.isoformat(), place="Thống Nhất") == f"Thống Nhất, {text}"


def test_the_long_date_left_blank_for_the_office():
    assert vf.fmt_date_long(None) == vf.DATE_LONG_BLANK
    assert vf.fmt_date_long(None, "Thống Nhất") == "Thống Nhất, " + vf.DATE_LONG_BLANK


def test_data_version_reads_as_a_vietnamese_date():
    assert vf.fmt_data_version("audit 12 · 2021-02-20T10:15:07.123456") == "số 12, lúc 20/02/2021 10:15"
    assert vf.fmt_data_version("audit 0") == "số 0"
    assert vf.fmt_data_version("") == vf.fmt_data_version(None) == vf.MISSING
    # anything else (a snapshot's label, an analyst's tag) is shown as it is, not guessed at
    assert vf.fmt_data_version("dv-123") == "dv-123"
    assert vf.fmt_data_version("audit 3 · not a date") == "audit 3 · not a date"


def test_vietnamese_sort_puts_d_stroke_after_d_and_base_letters_before_tones():
    words = ["Đồng Nai", "Dương", "Zalo", "An", "Ăn", "Ấn", "Bình"]
    assert vf.sort_vietnamese(words) == ["An", "Ăn", "Ấn", "Bình", "Dương", "Đồng Nai", "Zalo"]
    # Python's default puts Đ after Z
    assert sorted(words).index("Đồng Nai") > sorted(words).index("Zalo")
    # base letters first, tone only breaks ties: ba < bà < bác
    assert vf.sort_vietnamese(["bác", "bà", "ba"]) == ["ba", "bà", "bác"]
    assert vf.sort_vietnamese(["cá", "ca", "cả", "cà", "cạ", "cã"]) == ["ca", "cà", "cả", "cã", "cá", "cạ"]


def test_sort_is_case_and_normalisation_insensitive_and_numeric():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Đạt")
    assert vf.sort_key(nfd) == vf.sort_key("đạt")
    assert vf.sort_vietnamese(["Xã Gia Tân 10", "Xã Gia Tân 2", "Xã Gia Kiệm"]) == \
        ["Xã Gia Kiệm", "Xã Gia Tân 2", "Xã Gia Tân 10"]


def test_sort_vietnamese_with_key():
    rows = [{"n": "Đông"}, {"n": "Dung"}]
    assert [r["n"] for r in vf.sort_vietnamese(rows, key=lambda r: r["n"])] == ["Dung", "Đông"]


def test_sort_accepts_superscript_digits_in_units():
    # "m²" is a unit label of the outline: '²' is a digit to str.isdigit() but not a number
    assert vf.sort_vietnamese(["Diện tích (m²)", "Cây xanh (cây)"]) == ["Cây xanh (cây)", "Diện tích (m²)"]
    assert vf.sort_key("m²") != vf.sort_key("m2")


def test_infinite_and_huge_numbers_still_print():
    """A hostile or mistyped cell can hold 1e308 or inf; messages quoting it must not fail."""
    fmt_number = vf.fmt_number
    assert fmt_number(float("inf")) == "∞" and fmt_number(float("-inf"), 2) == "-∞"
    assert fmt_number(1e308, 6, trim=True) == "1 × 10^308"
    assert fmt_number(-1.5e20) == "-1,5 × 10^20"
    assert fmt_number(9.99996e20) == "1 × 10^21"
    assert fmt_number(999_999_999_999_999.9, 1) == "999.999.999.999.999,9"


@pytest.mark.parametrize("raw, expected", [
    ("15/02/2021", dt.date(2021, 2, 15)),
    ("5/2/2021", dt.date(2021, 2, 5)),
    ("15-02-2021", dt.date(2021, 2, 15)),
    ("15.02.2021", dt.date(2021, 2, 15)),
    ("15/02/21", dt.date(2021, 2, 15)),
    ("2021-02-15", dt.date(2021, 2, 15)),
    ("ngày 15 tháng 02 năm 2021", dt.date(2021, 2, 15)),
    (dt.datetime(2021, 2, 15, 8, 30), dt.date(2021, 2, 15)),
    (dt.date(2021, 2, 15), dt.date(2021, 2, 15)),
    (44242.0, dt.date(2021, 2, 15)),   # an unformatted Excel date serial
    (None, None),
    ("  ", None),
])
def test_parse_date(raw, expected):
    assert vf.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["ngày mai", "31/02/2021", "2021", 12.5, "15/13/2021"])
def test_parse_date_rejects(raw):
    with pytest.raises(ValueError):
        vf.parse_date(raw)


def test_a_unit_follows_its_number_the_official_way():
    from nrlib.core.vnformat import unit_suffix

    assert [unit_suffix(u) for u in ("%", " % ", "km", "triệu đồng", "", None)] == \
        ["%", "%", " km", " triệu đồng", "", ""]


@pytest.mark.parametrize("amount, words", [
    (0, "Không đồng"),
    (15, "Mười lăm đồng"),
    (21, "Hai mươi mốt đồng"),
    (105_000, "Một trăm lẻ năm nghìn đồng"),
    (1_001, "Một nghìn không trăm lẻ một đồng"),
    (1_015, "Một nghìn không trăm mười lăm đồng"),
    (2_010_005, "Hai triệu không trăm mười nghìn không trăm lẻ năm đồng"),
    (41_720_000, "Bốn mươi mốt triệu bảy trăm hai mươi nghìn đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (5_000_000_000_000, "Năm nghìn tỷ đồng"),
])
def test_amount_in_words_reads_as_an_accounting_document(amount, words):
    assert vf.amount_in_words(amount) == words
