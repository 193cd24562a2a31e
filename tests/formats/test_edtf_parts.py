"""EDTF texts from numbers and back: the one converter TimelineJS, vis-timeline, iCalendar and
The Timeline Project share; its calendar arithmetic is the domain's."""

from __future__ import annotations

import calendar

import pytest

from timeline_app.domain.dates import parse_date
from timeline_app.domain.errors import ValidationError
from timeline_app.services.interchange.edtf_parts import (
    CivilTime,
    Clock,
    DateParts,
    check_civil,
    clock_text,
    day_of,
    edtf_text,
    parse_time_text,
    parts_of,
    read_clock,
    utc_clock,
    zone_text,
)


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        ((2015,), "2015"),
        ((-43, 3, 15), "-0043-03-15"),
        ((0,), "0000"),
        ((2013, 3, 30, 11, 16), "2013-03-30T11:16"),
        ((2013, 3, 30, 11, 16, 5, "Z"), "2013-03-30T11:16:05Z"),
        ((2013, 3, 30, 9), "2013-03-30T09:00"),
        ((-44, 2, 29), "-0044-02-29"),  # -44 (45 BCE) is a leap year of the proleptic calendar
    ],
)
def test_parts_become_edtf_the_model_reads(parts, text):
    assert edtf_text(*parts) == text
    assert parse_date(text).text == text


@pytest.mark.parametrize(
    ("parts", "field"),
    [((10_000,), "year"), ((2015, 13), "month"), ((-55, 2, 29), "day"), ((2015, None, 3), "day")],
)
def test_impossible_parts_name_the_part(parts, field):
    with pytest.raises(ValidationError) as raised:
        edtf_text(*parts)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("-0043-03-15?", DateParts(-43, 3, 15, qualifier="?")),
        ("2013-03-30T11:16:05Z", DateParts(2013, 3, 30, 11, 16, 5, "Z")),
        ("2013-03-30T11:16+0300", DateParts(2013, 3, 30, 11, 16, None, "+03:00")),
        ("2015-21", None),  # a season
        ("199X", None),
    ],
)
def test_edtf_is_taken_apart(text, parts):
    assert parts_of(text) == parts


@pytest.mark.parametrize(
    ("zone", "text"), [("", ""), ("Z", "Z"), ("utc", "Z"), ("GMT", "Z"), ("+0300", "+03:00")]
)
def test_zones_are_written_as_edtf_writes_them(zone, text):
    assert zone_text(zone) == text
    assert clock_text(7, 5, None, zone) == "T07:05" + text


def test_day_of_an_instant_matches_the_models_bounds():
    month = parse_date("2010-06")
    assert day_of(month.lower) == CivilTime(2010, 6, 1)
    assert day_of(month.upper - 1) == CivilTime(2010, 6, 30)
    assert calendar.timegm((2010, 6, 1, 0, 0, 0)) == CivilTime(2010, 6, 1).seconds
    before_christ = parse_date("-0055-03-15")
    assert day_of(before_christ.lower) == CivilTime(-55, 3, 15)
    assert CivilTime(-55, 3, 15).seconds == before_christ.lower


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
        ("-0043-03-15T10:00Z", CivilTime(-43, 3, 15, 10, 0, timed=True, utc=True)),
        ("2013-03-30", None),
        ("2013-03-30T25:00", None),
        ("2013-02-30T10:00", None),
    ],
)
def test_time_texts_are_read_back(text, expected):
    assert parse_time_text(text) == expected


def test_the_utc_clock_of_an_instant_before_year_one():
    seconds = parse_date("-0043-03-15T10:00:00Z").lower
    assert utc_clock(seconds) == CivilTime(-43, 3, 15, 10, 0, 0, timed=True, utc=True)


def test_impossible_days_and_times_are_named():
    assert check_civil(2001, 2, 29) == "day 29 does not exist in 2001-02"
    assert check_civil(2000, 2, 29) is None
    assert check_civil(2001, 13, 1) == "month 13 does not exist"
    assert check_civil(2001, 1, 1, 24, 0, 0) == "24:00:00 is not a time of day"
    assert check_civil(-10_000, 1, 1) == "year -10000 is out of range"


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("11:16", Clock(11, 16)),
        ("11:16:05.250", Clock(11, 16, 5)),
        ("1116", Clock(11, 16)),
        ("9", Clock(9, 0)),
        ("9 PM", Clock(21, 0)),
        ("9:30 p.m.", Clock(21, 30)),
        ("12 a.m.", Clock(0, 0)),
        ("12:05 PM", Clock(12, 5)),
        ("11:16 UTC", Clock(11, 16, None, "Z")),
        ("11:16:05+0330", Clock(11, 16, 5, "+03:30")),
    ],
)
def test_times_of_day_are_read_as_people_write_them(text, clock):
    assert read_clock(text) == clock


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("noon", "'noon' is not a time of day (write it like 11:16 or 9:30 PM)"),
        ("25:00", "'25:00' is not a time of day"),
        ("13 PM", "'13 PM': 13 is not an hour of a 12-hour clock"),
        ("11:60", "'11:60' is not a time of day"),
    ],
)
def test_a_bad_time_of_day_says_why(text, words):
    with pytest.raises(ValueError) as raised:
        read_clock(text)
    assert str(raised.value) == words


def test_a_clock_writes_its_edtf_part():
    assert Clock(9, 5).text == "T09:05"
    assert Clock(11, 16, 5, "Z").text == "T11:16:05Z"
