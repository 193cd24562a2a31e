"""The dates real files contain: years before 1 AD and of 1–3 digits, times of day, one of a
few dates, before / after, open and unknown ends — stored as EDTF, read leniently, described."""

from __future__ import annotations

import numpy as np
import pytest

from timeline_app.domain import dates
from timeline_app.domain.dates import (
    OPEN_END_UPPER,
    PRECISION_ORDER,
    DateKind,
    Precision,
    describe_date,
    describe_instant,
    describe_span,
    parse_date,
    parse_span,
    read_user_date,
    read_user_end,
    read_user_span,
    utc_seconds,
    utc_time,
)
from timeline_app.domain.errors import DateError


def numpy_seconds(iso: str) -> int:
    """An independent clock: numpy's proleptic Gregorian datetime64, which takes years ≤ 0."""
    return int(np.datetime64(iso, "s").astype(np.int64))


@pytest.mark.parametrize(
    ("text", "kind", "precision", "lower", "upper"),
    [
        ("-0055", DateKind.EXACT, Precision.YEAR, "-0055-01-01", "-0054-01-01"),
        ("0000", DateKind.EXACT, Precision.YEAR, "0000-01-01", "0001-01-01"),
        ("-0043-03-15", DateKind.EXACT, Precision.DAY, "-0043-03-15", "-0043-03-16"),
        ("0000-02-29", DateKind.EXACT, Precision.DAY, "0000-02-29", "0000-03-01"),
        ("-9999", DateKind.EXACT, Precision.YEAR, "-9999-01-01", "-9998-01-01"),
        ("9999-12", DateKind.EXACT, Precision.MONTH, "9999-12-01", "10000-01-01"),
        ("0602", DateKind.EXACT, Precision.YEAR, "0602-01-01", "0603-01-01"),
        (
            "2013-03-30T11:16",
            DateKind.EXACT,
            Precision.MINUTE,
            "2013-03-30T11:16",
            "2013-03-30T11:17",
        ),
        (
            "2013-03-30T11:16:05",
            DateKind.EXACT,
            Precision.SECOND,
            "2013-03-30T11:16:05",
            "2013-03-30T11:16:06",
        ),
        (
            "2013-03-30T11:16Z",
            DateKind.EXACT,
            Precision.MINUTE,
            "2013-03-30T11:16",
            "2013-03-30T11:17",
        ),
        (
            "2013-03-30T01:16+03:00",
            DateKind.EXACT,
            Precision.MINUTE,
            "2013-03-29T22:16",
            "2013-03-29T22:17",
        ),
        (
            "2013-03-30T23:59:59-05:30",
            DateKind.EXACT,
            Precision.SECOND,
            "2013-03-31T05:29:59",
            "2013-03-31T05:30:00",
        ),
        ("[1990..1994]", DateKind.ONE_OF, Precision.YEAR, "1990-01-01", "1995-01-01"),
        ("[1990-03..1990-05-12]", DateKind.ONE_OF, Precision.MONTH, "1990-03-01", "1990-05-13"),
        ("[1667, 1668, 1670..1672]", DateKind.ONE_OF, Precision.YEAR, "1667-01-01", "1673-01-01"),
        ("[-0060..-0055]", DateKind.ONE_OF, Precision.YEAR, "-0060-01-01", "-0054-01-01"),
        ("[..1990]", DateKind.BEFORE, Precision.YEAR, "1990-01-01", "1991-01-01"),
        ("[1990-03..]", DateKind.AFTER, Precision.MONTH, "1990-03-01", "1990-04-01"),
    ],
)
def test_stored_forms_have_honest_bounds(text, kind, precision, lower, upper):
    date = parse_date(text)
    assert (date.kind, date.precision, date.text) == (kind, precision, text)
    assert (date.lower, date.upper) == (numpy_seconds(lower), numpy_seconds(upper))


def test_qualifiers_inside_a_set_flag_the_set():
    date = parse_date("[1990~..1994]")
    assert date.approximate and not date.uncertain and date.kind is DateKind.ONE_OF


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-0000", "no year -0000"),
        ("602", "0602"),
        ("-55", "-0055"),
        ("[1994..1990]", "1994 is after 1990"),
        ("[..1990, 1995]", "may only stand alone"),
        ("[]", "lists no dates"),
        ("[1990, ]", "empty member"),
        ("[[1990]]", "cannot hold another set"),
        ("{1990, 1991}", "all happened"),
        ("..", "only ends an interval"),
        ("2013-03-30T24:00", "not a time of day"),
        ("2013-03-30T11:16+15:00", "not a time zone offset"),
        ("2013-03-30T11:16?", "cannot be marked ?"),
        ("2013-02-29T11:16", "day 29"),
    ],
)
def test_bad_stored_forms_name_the_text(text, words):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert words in caught.value.message
    assert repr(text) in caught.value.message


def test_an_open_end_runs_to_the_far_future_constant():
    span = parse_span("2022-02-24/..")
    assert span.open_end and not span.unknown_end
    assert span.end is not None and span.end.kind is DateKind.OPEN and span.end.text == ".."
    assert (span.end.lower, span.upper) == (span.start.lower, OPEN_END_UPPER)
    assert numpy_seconds("10000-01-01") == OPEN_END_UPPER
    assert span.text == "2022-02-24/.."
    assert parse_span("2022-02-24", "..") == span
    assert span.precision is Precision.DAY


def test_an_unknown_end_is_an_empty_end_and_no_end_is_none():
    span = parse_span("2022-02-24/")
    assert span.unknown_end and not span.open_end and span.text == "2022-02-24/"
    assert span.upper == OPEN_END_UPPER
    # stored apart, start and end read back as they were written
    assert parse_span(span.start.text, span.end.text) == span
    assert parse_span("2022-02-24", None).end is None


@pytest.mark.parametrize("text", ["../2022", "/2022"])
def test_an_interval_needs_a_known_start(text):
    with pytest.raises(DateError, match="needs a known start") as caught:
        parse_span(text)
    assert caught.value.field == "start"


def test_spans_of_the_new_forms():
    span = parse_span("-0054/-0043-03-15")
    assert span.lower == numpy_seconds("-0054-01-01")
    assert span.upper == numpy_seconds("-0043-03-16")
    timed = parse_span("2013-03-30T11:16/2013-03-30T12:00")
    assert timed.precision is Precision.MINUTE
    assert parse_span("[1990..1994]/2000").start.kind is DateKind.ONE_OF
    with pytest.raises(DateError, match="before the start"):
        parse_span("2013-03-30T11:16", "2013-03-30T11:15")


def test_precision_is_finest_first_and_fits_four_bits():
    assert PRECISION_ORDER[:3] == (Precision.SECOND, Precision.MINUTE, Precision.DAY)
    assert PRECISION_ORDER[-1] is Precision.CENTURY
    assert len(PRECISION_ORDER) <= 16


@pytest.mark.parametrize(
    "text",
    ["2013-03-30T11:16+03:00", "-0055-03", "[1667, 1668, 1670..1672]", "[..1990]", "0000"],
)
def test_the_new_forms_never_reach_the_slow_library(text, monkeypatch):
    def refuse(text: str) -> dates.PartialDate:
        raise AssertionError(f"{text} took the slow path")

    dates._parse_date_text.cache_clear()
    monkeypatch.setattr(dates, "_edtf_date", refuse)
    try:
        parse_date(text)
    finally:
        dates._parse_date_text.cache_clear()


def test_utc_seconds_and_utc_time_are_inverse_also_before_year_one():
    for iso in (
        "-9999-01-01T00:00:00",
        "-0001-12-31T23:59:59",
        "0000-02-29T12:00:00",
        "1969-12-31T23:59:59",
        "2024-02-29T06:07:08",
        "9999-12-31T23:59:59",
    ):
        seconds = numpy_seconds(iso)
        when = utc_time(seconds)
        assert utc_seconds(*when) == seconds
        assert np.datetime64(iso) == np.datetime64(
            f"{when.year:05d}-{when.month:02d}-{when.day:02d}T{when.hour:02d}:"
            f"{when.minute:02d}:{when.second:02d}"
        )


@pytest.mark.parametrize(
    ("typed", "edtf"),
    [
        ("602", "0602"),
        ("55", "0055"),
        ("-55", "-0055"),
        ("55 BC", "-0054"),
        ("55 BCE", "-0054"),
        ("55 B.C.", "-0054"),
        ("1 BC", "0000"),
        ("AD 602", "0602"),
        ("602 AD", "0602"),
        ("602 CE", "0602"),
        ("15 March 44 BC", "-0043-03-15"),
        ("c. 1040", "1040~"),
        ("circa 1040?", "1040%"),
        ("14 Oct 1066", "1066-10-14"),
        ("14th of October 1066", "1066-10-14"),
        ("October 14th, 1066", "1066-10-14"),
        ("Dec 1192", "1192-12"),
        ("Dec. 1192", "1192-12"),
        ("Spring 2001", "2001-21"),
        ("2013-03-30 11:16", "2013-03-30T11:16"),
        ("2013-03-30T11:16", "2013-03-30T11:16"),
        ("2013-03-30 11:16:05", "2013-03-30T11:16:05"),
        ("2013-03-30 11:16 UTC", "2013-03-30T11:16Z"),
        ("2013-03-30 11:16 +0330", "2013-03-30T11:16+03:30"),
        ("30 March 2013 9:05", "2013-03-30T09:05"),
        ("between 1990 and 1994", "[1990..1994]"),
        ("between March 1990 and 12 May 1990", "[1990-03..1990-05-12]"),
        ("1990 or 1991", "[1990, 1991]"),
        ("before 1990", "[..1990]"),
        ("1990 or earlier", "[..1990]"),
        ("after March 2001", "[2001-03..]"),
        ("not before 55 BC", "[-0054..]"),
        ("1990s", "199X"),
        ("13/04/2001", "2001-04-13"),
        ("04/13/2001", "2001-04-13"),
        ("3.3.2001", "2001-03-03"),
        ("2001-04-03", "2001-04-03"),
        ("[1667, 1668, 1670..1672]", "[1667, 1668, 1670..1672]"),
        ("-0055", "-0055"),
        ("19XX", "19XX"),
    ],
)
def test_the_lenient_reader_reads_what_files_contain(typed, edtf):
    assert read_user_date(typed) == edtf
    parse_date(edtf)


@pytest.mark.parametrize(
    ("typed", "day_first", "edtf"),
    [
        ("03/04/2001", True, "2001-04-03"),
        ("03/04/2001", False, "2001-03-04"),
        ("13/04/2001", False, "2001-04-13"),
        ("04/13/2001", True, "2001-04-13"),
        ("03-04-2001", True, "2001-04-03"),
        ("2001-04-03", False, "2001-04-03"),
    ],
)
def test_day_first_or_month_first_is_the_callers_choice(typed, day_first, edtf):
    assert read_user_date(typed, day_first=day_first) == edtf


def test_an_ambiguous_numeric_date_is_refused_with_the_text_quoted():
    with pytest.raises(DateError) as caught:
        read_user_date("03/04/2001")
    assert caught.value.message.startswith("'03/04/2001' is ambiguous")
    assert "day first or month first" in caught.value.message


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("Marchember 2023", "'Marchember' is not a month"),
        ("March 5", "write the year in full"),
        ("30 Feb 2001", "February 2001 has no day 30"),
        ("29 Feb 1900", "February 1900 has no day 29"),
        ("0 BC", "no year 0 BC"),
        ("13/13/2001", "no month 1–12"),
        ("2013-03-30 25:16", "not a time of day"),
        ("March 2013 11:16", "needs a whole date"),
        ("c. 2013-03-30 11:16", "cannot be marked approximate"),
        ("2013-03-30 11:16?", "or uncertain"),
        ("between 1990 and Marchember", "'Marchember' is not a date"),
        ("hello", "'hello' is not a date"),
    ],
)
def test_reader_errors_quote_what_was_written(typed, words):
    with pytest.raises(DateError) as caught:
        read_user_date(typed)
    assert words in caught.value.message
    assert repr(typed) in caught.value.message


@pytest.mark.parametrize(
    ("typed", "pair"),
    [
        ("2022-02-24 – present", ("2022-02-24", "..")),
        ("2022-02-24 - ongoing", ("2022-02-24", "..")),
        ("since 24 Feb 2022", ("2022-02-24", "..")),
        ("from March 1990 onwards", ("1990-03", "..")),
        ("2022-02-24/..", ("2022-02-24", "..")),
        ("2022-02-24/", ("2022-02-24", "")),
        ("2022-02-24 – ?", ("2022-02-24", "")),
        ("55 BC – AD 14", ("-0054", "0014")),
        ("1995-1997", ("1995", "1997")),
        ("from 1990 to 1995", ("1990", "1995")),
        ("2013-03-30 11:16 – 2013-03-30 12:00", ("2013-03-30T11:16", "2013-03-30T12:00")),
        ("03/04/2001", ("2001-04-03", None)),
    ],
)
def test_typed_spans(typed, pair):
    assert read_user_span(typed, day_first=True) == pair


def test_span_errors_name_the_side_at_fault():
    with pytest.raises(DateError) as start:
        read_user_span("Marchember 2022 – 2023")
    assert start.value.field == "start"
    with pytest.raises(DateError) as end:
        read_user_span("2022 – Marchember 2023")
    assert end.value.field == "end" and "'Marchember'" in end.value.message
    with pytest.raises(DateError, match="'1997' is before the start '1999'") as order:
        read_user_span("1999 - 1997")
    assert order.value.field == "end"


@pytest.mark.parametrize(
    ("edtf", "reading"),
    [
        ("-0054", "55 BC"),
        ("0000", "1 BC"),
        ("0602", "602"),
        ("-0043-03-15", "15 March 44 BC"),
        ("1040~", "c. 1040"),
        ("[1990..1994]", "between 1990 and 1994"),
        ("[1990-03..1990-05-12]", "between March 1990 and 12 May 1990"),
        ("[1667, 1668, 1670..1672]", "1667, 1668 or 1670 – 1672"),
        ("[..1990]", "before 1990"),
        ("[2001-03..]", "after March 2001"),
        ("2013-03-30T11:16", "30 March 2013 11:16"),
        ("2013-03-30T11:16:05Z", "30 March 2013 11:16:05 UTC"),
        ("2013-03-30T11:16+03:00", "30 March 2013 11:16 UTC+03:00"),
        ("2001-21", "Spring 2001"),
    ],
)
def test_descriptions_of_the_new_forms(edtf, reading):
    assert describe_date(parse_date(edtf)) == reading


def test_descriptions_of_open_and_unknown_ends():
    assert describe_span(parse_span("2022-02-24/..")) == "24 February 2022 – ongoing"
    assert describe_span(parse_span("2022-02-24/")) == "24 February 2022 – unknown"
    assert describe_span(parse_span("-0054/0014")) == "55 BC – 14"


def test_describe_instant_follows_the_precision():
    moment = utc_seconds(2013, 3, 30, 11, 16, 5)
    assert describe_instant(moment, Precision.SECOND) == "30 March 2013 11:16:05"
    assert describe_instant(moment, Precision.MINUTE) == "30 March 2013 11:16"
    assert describe_instant(moment) == "30 March 2013"
    assert describe_instant(utc_seconds(-54), Precision.YEAR) == "55 BC"
    assert describe_instant(utc_seconds(1994), Precision.DECADE) == "1990s"


def test_a_bad_member_of_a_set_is_named_with_the_whole_set():
    with pytest.raises(DateError) as caught:
        parse_date("[1990..1990-13]")
    assert caught.value.message.startswith("'[1990..1990-13]': '1990-13': month 13")


@pytest.mark.parametrize(
    ("typed", "edtf"),
    [
        ("present", ".."),
        ("Ongoing", ".."),
        ("..", ".."),
        ("?", ""),
        ("unknown", ""),
        ("Dec 1192", "1192-12"),
    ],
)
def test_the_end_field_reads_open_and_unknown_ends(typed, edtf):
    assert read_user_end(typed) == edtf


def test_a_bad_end_is_an_end_error():
    with pytest.raises(DateError) as caught:
        read_user_end("Marchember 2023")
    assert caught.value.field == "end"


@pytest.mark.parametrize(
    ("year", "text"),
    [(2023, "2023"), (55, "0055"), (0, "0000"), (-55, "-0055"), (-9999, "-9999"), (9999, "9999")],
)
def test_a_year_is_written_as_edtf_with_four_digits_and_a_sign(year, text):
    assert dates.year_text(year) == text
    assert parse_date(text).lower == utc_seconds(year)


@pytest.mark.parametrize("year", [10_000, -10_000])
def test_a_year_of_five_digits_has_no_edtf_text_here(year):
    with pytest.raises(ValueError, match=r"outside -9999\.\.9999"):
        dates.year_text(year)


def test_a_season_of_a_five_digit_year_is_a_date_error():
    with pytest.raises(DateError, match="out of range"):
        read_user_date("Spring 12000")
