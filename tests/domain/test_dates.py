from __future__ import annotations

import calendar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline_app.domain.dates import (
    Precision,
    _edtf_date,
    describe_date,
    describe_span,
    parse_date,
    parse_span,
    read_user_date,
    read_user_span,
    utc_seconds,
)
from timeline_app.domain.errors import DateError


@pytest.mark.parametrize(
    ("text", "precision", "lower", "upper"),
    [
        ("2022", Precision.YEAR, (2022, 1, 1), (2023, 1, 1)),
        ("2023-03", Precision.MONTH, (2023, 3, 1), (2023, 4, 1)),
        ("2023-12", Precision.MONTH, (2023, 12, 1), (2024, 1, 1)),
        ("2015-09-30", Precision.DAY, (2015, 9, 30), (2015, 10, 1)),
        ("2024-02-29", Precision.DAY, (2024, 2, 29), (2024, 3, 1)),
        ("199X", Precision.DECADE, (1990, 1, 1), (2000, 1, 1)),
        ("2001-21", Precision.SEASON, (2001, 3, 1), (2001, 6, 1)),
    ],
)
def test_bounds_and_precision_in_utc(text, precision, lower, upper):
    date = parse_date(text)
    assert date.precision is precision
    assert date.lower == utc_seconds(*lower)
    assert date.upper == utc_seconds(*upper)


def test_qualifiers_are_kept_and_flagged():
    assert parse_date("2023-03?").uncertain and not parse_date("2023-03?").approximate
    assert parse_date("2015~").approximate and not parse_date("2015~").uncertain
    both = parse_date("2004-06-11%")
    assert both.uncertain and both.approximate and both.precision is Precision.DAY


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2001-13", "month 13"),
        ("2001-02-30", "day 30"),
        ("hello", "'hello'"),
        ("", "empty"),
        ("-0000", "-0000"),
        ("10000", "'10000'"),
        ("2001/2002", "interval"),
    ],
)
def test_bad_dates_name_the_text(text, words):
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert words in str(caught.value)


def test_spans_and_intervals():
    span = parse_span("2015-09-30/2024-12-08")
    assert span.start.text == "2015-09-30" and span.end is not None
    assert span.upper == utc_seconds(2024, 12, 9)
    assert parse_span("1995", "1997-06").precision is Precision.YEAR
    with pytest.raises(DateError, match="end: '2019' is before the start '2020'"):
        parse_span("2020", "2019")


@pytest.mark.parametrize(
    ("typed", "edtf"),
    [
        ("2022", "2022"),
        ("March 2023", "2023-03"),
        ("2023-03?", "2023-03?"),
        ("~2015", "2015~"),
        ("c. 2001-05", "2001-05~"),
        ("1990s", "199X"),
        ("12 March 2023", "2023-03-12"),
        ("March 5, 2020", "2020-03-05"),
        ("Sept 2001", "2001-09"),
    ],
)
def test_user_typing_becomes_edtf(typed, edtf):
    assert read_user_date(typed) == edtf


def test_user_interval_and_errors():
    assert read_user_span("2015-09-30/2024-12-08") == ("2015-09-30", "2024-12-08")
    assert read_user_span("1995 - 1997") == ("1995", "1997")
    with pytest.raises(DateError):
        read_user_date("Marchember 2023")


def test_descriptions_read_naturally():
    assert describe_date(parse_date("2023-03-12")) == "12 March 2023"
    assert describe_date(parse_date("2023-03")) == "March 2023"
    assert describe_date(parse_date("2015~")) == "c. 2015"
    assert describe_date(parse_date("2023-03?")) == "March 2023?"
    assert describe_date(parse_date("199X")) == "1990s"
    assert describe_span(parse_span("1995", "1997")) == "1995 – 1997"


days = st.dates(min_value=__import__("datetime").date(1, 1, 1))


@given(days, st.sampled_from(["day", "month", "year"]), st.sampled_from(["", "?", "~", "%"]))
def test_fast_path_agrees_with_the_edtf_library(day, unit, mark):
    text = {
        "day": f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
        "month": f"{day.year:04d}-{day.month:02d}",
        "year": f"{day.year:04d}",
    }[unit] + mark
    fast = parse_date(text)
    slow = _edtf_date(text)
    assert (fast.lower, fast.upper, fast.precision) == (slow.lower, slow.upper, slow.precision)
    assert (fast.uncertain, fast.approximate) == (slow.uncertain, slow.approximate)
    assert read_user_date(text) == text
    assert fast.lower == calendar.timegm((*day.timetuple()[:3], 0, 0, 0)) or unit != "day"


@pytest.mark.parametrize(
    "text",
    ["٢٠٢٢-٠٣", "۲۰۲۲", "２０２２", "2022-٠٣", "20२2", "2022-03-1٥"],
)
def test_digits_of_other_scripts_are_not_a_date(text):
    """`\\d` and `int()` accept Arabic-Indic, Persian, Devanagari and full-width digits; a date
    nobody wrote must not come of them, in the fast path, the EDTF path or the editor's reader."""
    with pytest.raises(DateError, match="is not one of the digits 0–9"):
        parse_date(text)
    with pytest.raises(DateError, match="is not one of the digits 0–9"):
        read_user_date(text)


@pytest.mark.parametrize("typed", ["March ٢٠٢٣", "~٢٠١٥", "١٩٩0s", "٣/٣/2022", "12 March ٢٠٢٣"])
def test_the_lenient_reader_takes_no_digits_of_other_scripts(typed):
    with pytest.raises(DateError, match="digits 0–9"):
        read_user_date(typed)


def test_a_pasted_no_break_space_is_still_a_space():
    assert read_user_date("12\u00a0March\u00a02023") == "2023-03-12"


@pytest.mark.parametrize("text", ["2022\ud800", "\udfff", "2022-03\x00"])
def test_a_date_with_a_surrogate_or_nul_is_a_date_error_not_a_crash(text):
    with pytest.raises(DateError) as caught:
        parse_span(text)
    assert caught.value.field == "start"
    with pytest.raises(DateError):
        read_user_date(text)


@pytest.mark.parametrize("text", ["9" * 100_000, "2022-" + "x" * 100_000, "/" * 100_000])
def test_a_huge_bad_date_gives_a_short_message(text):
    for read in (parse_date, parse_span, read_user_date, read_user_span):
        with pytest.raises(DateError) as caught:
            read(text)
        assert len(str(caught.value)) < 160, read.__name__


def test_a_date_with_a_line_break_is_refused_in_one_line():
    """Found by the import fuzzer: the date library's message repeated the raw text."""
    with pytest.raises(DateError) as refused:
        parse_date("a\nb")
    assert "\n" not in refused.value.message.replace("\\n", "")
    assert refused.value.message.startswith("'a\\nb' is not a date")
