"""Civil dates of any year and times of day, and the EDTF texts calendar formats turn them into."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from timeline_app.domain.dates import parse_date
from timeline_app.services.interchange.civil_dates import (
    CivilTime,
    check_civil,
    civil_from_days,
    day_of,
    days_from_civil,
    parse_time_text,
    year_text,
)


@pytest.mark.parametrize(
    ("year", "text"), [(2013, "2013"), (55, "0055"), (0, "0000"), (-55, "-0055"), (-9999, "-9999")]
)
def test_years_are_written_with_four_digits_and_a_sign(year, text):
    assert year_text(year) == text


def test_a_five_digit_year_is_refused():
    with pytest.raises(ValueError, match="more than four digits"):
        year_text(10_000)


@pytest.mark.parametrize(
    "day", [dt.date(1, 1, 1), dt.date(1970, 1, 1), dt.date(2000, 2, 29), dt.date(9999, 12, 31)]
)
def test_days_agree_with_python_where_python_has_them(day):
    days = (day - dt.date(1970, 1, 1)).days
    assert days_from_civil(day.year, day.month, day.day) == days
    assert civil_from_days(days) == (day.year, day.month, day.day)


def test_days_go_on_before_year_1():
    first = days_from_civil(1, 1, 1)
    assert civil_from_days(first - 1) == (0, 12, 31)
    assert civil_from_days(first - 366) == (0, 1, 1)  # year 0 (1 BCE) is a leap year
    assert civil_from_days(days_from_civil(-55, 3, 15)) == (-55, 3, 15)


def test_day_of_an_instant_matches_the_models_bounds():
    month = parse_date("2010-06")
    assert day_of(month.lower) == CivilTime(2010, 6, 1)
    assert day_of(month.upper - 1) == CivilTime(2010, 6, 30)
    assert calendar.timegm((2010, 6, 1, 0, 0, 0)) == CivilTime(2010, 6, 1).seconds


@pytest.mark.parametrize(
    ("time", "text"),
    [
        (CivilTime(2013, 3, 30), "2013-03-30"),
        (CivilTime(2013, 3, 30, 11, 16, timed=True), "2013-03-30T11:16"),
        (CivilTime(2013, 3, 30, 11, 16, 5, timed=True), "2013-03-30T11:16:05"),
        (CivilTime(2013, 3, 30, 11, 16, timed=True, utc=True), "2013-03-30T11:16:00Z"),
        (CivilTime(-55, 3, 15), "-0055-03-15"),
    ],
)
def test_edtf_texts(time, text):
    assert time.text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013-03-30T11:16", CivilTime(2013, 3, 30, 11, 16, timed=True)),
        ("2013-03-30T11:16:05Z", CivilTime(2013, 3, 30, 11, 16, 5, timed=True, utc=True)),
        ("2013-03-30T01:16:00+03:00", CivilTime(2013, 3, 29, 22, 16, timed=True, utc=True)),
        ("2013-03-30T23:00-0130", CivilTime(2013, 3, 31, 0, 30, timed=True, utc=True)),
        ("2013-03-30", None),
        ("2013-03-30T25:00", None),
        ("2013-02-30T10:00", None),
    ],
)
def test_time_texts_are_read_back(text, expected):
    assert parse_time_text(text) == expected


def test_impossible_days_and_times_are_named():
    assert check_civil(2001, 2, 29) == "day 29 does not exist in 2001-02"
    assert check_civil(2000, 2, 29) is None
    assert check_civil(2001, 13, 1) == "month 13 does not exist"
    assert check_civil(2001, 1, 1, 24, 0, 0) == "24:00:00 is not a time of day"
