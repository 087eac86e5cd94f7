import datetime as dt

import jdatetime
import pytest
from hypothesis import given, strategies as st

from chalicelib.domain.errors import InvalidValue
from chalicelib.domain.jalali import (
    MONTH_NAMES_FA,
    TEHRAN,
    format_date,
    format_month,
    is_leap,
    jalali_datetime_of,
    jalali_of,
    month_length,
    parse_dbf_date,
    parse_jalali_date,
    parse_jalali_month,
    today_jalali,
)
from chalicelib.domain.digits import to_persian_digits

UTC = dt.timezone.utc


def test_official_leap_years():
    # From the official table: 1395, 1399, 1403, 1408 are leap; 1402, 1404 are not.
    assert [y for y in range(1394, 1410) if is_leap(y)] == [1395, 1399, 1403, 1408]


def test_esfand_lengths():
    assert month_length(1403, 12) == 30
    assert month_length(1402, 12) == 29
    assert month_length(1404, 12) == 29


def test_month_lengths_by_season():
    assert [month_length(1402, m) for m in range(1, 13)] == [31] * 6 + [30] * 5 + [29]


def test_month_length_rejects_bad_month():
    with pytest.raises(InvalidValue):
        month_length(1402, 13)


@given(st.integers(1300, 1498))
def test_year_length_matches_calendar(year):
    days = sum(month_length(year, m) for m in range(1, 13))
    assert days == (366 if is_leap(year) else 365)
    # Esfand's last day is followed by 1 Farvardin of the next year.
    last = jdatetime.date(year, 12, month_length(year, 12))
    assert last + jdatetime.timedelta(days=1) == jdatetime.date(year + 1, 1, 1)


@pytest.mark.parametrize("raw", ["1403/05/30", "1403-05-30", "14030530", "۱۴۰۳/۰۵/۳۰", "١٤٠٣-٠٥-٣٠",
                                 " 1403/5/30 ", "\u200f۱۴۰۳/۰۵/۳۰"])
def test_parse_jalali_date_forms(raw):
    assert parse_jalali_date(raw) == jdatetime.date(1403, 5, 30)


def test_parse_jalali_date_leap_day():
    assert parse_jalali_date("1403/12/30") == jdatetime.date(1403, 12, 30)


@pytest.mark.parametrize("raw", ["1402/12/30", "1403/07/31", "1403/13/01", "1403/00/10", "1403/01/00",
                                 "03/05/30", "1403/05", "2024-08-20x", "", "tomorrow", "1403/05/30/1"])
def test_parse_jalali_date_rejects(raw):
    with pytest.raises(InvalidValue) as e:
        parse_jalali_date(raw)
    assert e.value.code == "invalid_jalali_date"


@pytest.mark.parametrize("raw", ["1403/05", "1403-5", "140305", "۱۴۰۳/۰۵"])
def test_parse_jalali_month_forms(raw):
    assert parse_jalali_month(raw) == (1403, 5)


@pytest.mark.parametrize("raw", ["1403/13", "1403/0", "14031", "1403", "03/05", "x"])
def test_parse_jalali_month_rejects(raw):
    with pytest.raises(InvalidValue) as e:
        parse_jalali_month(raw)
    assert e.value.code == "invalid_jalali_month"


def test_formatting():
    assert format_date(jdatetime.date(1403, 1, 5)) == "1403/01/05"
    assert format_month(1402, 1) == "1402/01"


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_format_parse_round_trip(gdate):
    j = jdatetime.date.fromgregorian(date=gdate)
    assert parse_jalali_date(format_date(j)) == j
    assert parse_jalali_date(to_persian_digits(format_date(j).replace("/", ""))) == j


def test_tehran_is_fixed_plus_0330():
    assert TEHRAN.utcoffset(None) == dt.timedelta(hours=3, minutes=30)


def test_nowruz_1404_boundary_in_tehran_time():
    # Nowruz 1404 began at local midnight of 2025-03-21 = 2025-03-20 20:30 UTC.
    before = dt.datetime(2025, 3, 20, 20, 29, tzinfo=UTC)
    after = dt.datetime(2025, 3, 20, 20, 30, tzinfo=UTC)
    assert jalali_of(before) == "1403/12/30"
    assert jalali_of(after) == "1404/01/01"
    assert jalali_datetime_of(before) == "1403/12/30 23:59"
    assert jalali_datetime_of(after) == "1404/01/01 00:00"
    assert today_jalali(after) == jdatetime.date(1404, 1, 1)


def test_non_utc_aware_and_naive_datetimes():
    other = dt.datetime(2024, 8, 20, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert jalali_datetime_of(other) == "1403/05/30 20:30"  # 17:00 UTC
    assert jalali_datetime_of(dt.datetime(2024, 8, 20, 17, 0)) == "1403/05/30 20:30"  # naive = UTC


def test_month_names():
    assert len(MONTH_NAMES_FA) == 12
    assert MONTH_NAMES_FA[0] == "فروردین" and MONTH_NAMES_FA[11] == "اسفند" and MONTH_NAMES_FA[4] == "مرداد"


@pytest.mark.parametrize("raw,expected", [
    ("14030530", jdatetime.date(1403, 5, 30)),
    ("030530", jdatetime.date(1403, 5, 30)),
    ("03/05/30", jdatetime.date(1403, 5, 30)),
    ("990101", jdatetime.date(1399, 1, 1)),
    ("50/01/01", jdatetime.date(1350, 1, 1)),
    ("49/01/01", jdatetime.date(1449, 1, 1)),
    ("1403/05/30", jdatetime.date(1403, 5, 30)),
    ("۰۳۰۵۳۰", jdatetime.date(1403, 5, 30)),
    (" 03/5/3 ", jdatetime.date(1403, 5, 3)),
])
def test_parse_dbf_date(raw, expected):
    assert parse_dbf_date(raw) == expected


@pytest.mark.parametrize("raw", ["0", "", "  ", None, "00000000", "000000"])
def test_parse_dbf_date_empty(raw):
    assert parse_dbf_date(raw) is None


@pytest.mark.parametrize("raw", ["021230", "1402/12/30", "abc", "3050"])
def test_parse_dbf_date_rejects(raw):
    with pytest.raises(InvalidValue):
        parse_dbf_date(raw)
