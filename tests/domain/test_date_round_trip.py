"""Whatever the lenient reader accepts becomes EDTF text that reads back to the same date."""

from __future__ import annotations

import calendar

from hypothesis import example, given, settings
from hypothesis import strategies as st

from timeline_app.domain.dates import (
    DateKind,
    days_in_month,
    parse_date,
    parse_span,
    read_user_date,
    read_user_span,
    utc_seconds,
)
from timeline_app.domain.errors import DateError


def edtf_year(year: int) -> str:
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def year_in_words(year: int) -> str:
    """How a person writes an astronomical year: 55 BC, 66 AD, 1066."""
    if year <= 0:
        return f"{1 - year} BC"
    return f"{year} AD" if year < 100 else str(year)


@st.composite
def typed_dates(draw: st.DrawFn) -> tuple[str, bool | None, tuple[int, int, int] | None]:
    """(typed text, day_first, the day it names or None when it names no single day start)."""
    year = draw(st.integers(-9999, 9999))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, days_in_month(year, month)))
    day_first = draw(st.sampled_from([True, False, None]))
    name = draw(st.sampled_from([calendar.month_name[month], calendar.month_abbr[month]]))
    forms = {
        "iso year": (edtf_year(year), (year, 1, 1)),
        "iso month": (f"{edtf_year(year)}-{month:02d}", (year, month, 1)),
        "iso day": (f"{edtf_year(year)}-{month:02d}-{day:02d}", (year, month, day)),
        "year in words": (year_in_words(year), (year, 1, 1)),
        "month year": (f"{name} {year_in_words(year)}", (year, month, 1)),
        "day month year": (f"{day} {name} {year_in_words(year)}", (year, month, day)),
        "month day, year": (f"{name} {day}, {year_in_words(year)}", (year, month, day)),
    }
    if year >= 1000:
        first, second = (day, month) if day_first is not False else (month, day)
        separator = draw(st.sampled_from(["/", ".", "-"]))
        forms["numeric"] = (f"{first}{separator}{second}{separator}{year}", (year, month, day))
    form = draw(st.sampled_from(sorted(forms)))
    text, named = forms[form]
    qualifier = draw(st.sampled_from(["", "c. ", "?", "~", "circa "]))
    if qualifier in ("?", "~"):
        text += qualifier
    else:
        text = qualifier + text
    return text, day_first, named


@given(typed_dates())
@settings(max_examples=400, deadline=None)
def test_typed_dates_read_as_the_day_they_name_and_round_trip(case):
    text, day_first, (year, month, day) = case
    try:
        edtf = read_user_date(text, day_first=day_first)
    except DateError as error:
        # the only refusal allowed: a numeric date that reads both ways, no choice made
        assert day_first is None and "ambiguous" in error.message, (text, error)
        return
    date = parse_date(edtf)
    assert date.lower == utc_seconds(year, month, day), (text, edtf)
    assert_round_trip(edtf, day_first)


@st.composite
def typed_phrases(draw: st.DrawFn) -> str:
    """Compound phrases and clock times built from plain dates."""
    first = draw(st.integers(-9999, 9998))
    last = draw(st.integers(first, 9999))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, days_in_month(first, month)))
    hour, minute, second = draw(
        st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))
    )
    zone = draw(st.sampled_from(["", " UTC", "Z", " +03:00", " -0530", " +02"]))
    clock = draw(st.sampled_from([f"{hour}:{minute:02d}", f"{hour:02d}:{minute:02d}:{second:02d}"]))
    return draw(
        st.sampled_from(
            [
                f"between {year_in_words(first)} and {year_in_words(last)}",
                f"before {year_in_words(first)}",
                f"after {calendar.month_name[month]} {year_in_words(first)}",
                f"{year_in_words(first)} or earlier",
                f"{year_in_words(first)} or {year_in_words(last)}",
                f"{edtf_year(first)}-{month:02d}-{day:02d} {clock}{zone}",
                f"{day} {calendar.month_abbr[month]} {year_in_words(first)} {clock}",
                f"{first // 10 * 10}s" if first >= 1000 else "1990s",
            ]
        )
    )


@given(typed_phrases())
@settings(max_examples=300, deadline=None)
def test_typed_phrases_round_trip(text):
    edtf = read_user_date(text)
    assert_round_trip(edtf, None)


TOKENS = [
    "14",
    "3",
    "03",
    "13",
    "Oct",
    "October",
    "March",
    "Marchember",
    "1066",
    "2001",
    "602",
    "55",
    "0",
    "BC",
    "BCE",
    "AD",
    "c.",
    "circa",
    "between",
    "and",
    "before",
    "after",
    "or",
    "earlier",
    "later",
    "03/04/2001",
    "11:16",
    "25:00",
    "2013-03-30",
    "?",
    "~",
    "%",
    "1990s",
    "[1990..1994]",
    "[..1990]",
    "Spring",
    "UTC",
    "+03:00",
    "-0055",
    "99",
    "T",
    "-",
    "/",
    ",",
    "2022-02-24/..",
    "present",
    "since",
    "to",
    "–",
    "X",
    "19XX",
    "2001-21",
]
ALPHABET = "0123456789 -/.,:?~%[]XTZ+BCADOctMarch"


@given(
    st.one_of(
        st.lists(st.sampled_from(TOKENS), min_size=1, max_size=5).map(" ".join),
        st.text(ALPHABET, min_size=1, max_size=24),
    ),
    st.sampled_from([True, False, None]),
)
@settings(max_examples=600, deadline=None)
@example("55 BC", None)
@example("between 14 Oct 1066 and 1067", None)
@example("2013-03-30 11:16", None)
@example("03/04/2001", True)
def test_anything_the_reader_accepts_round_trips_through_edtf(text, day_first):
    try:
        edtf = read_user_date(text, day_first=day_first)
    except DateError:
        return
    assert_round_trip(edtf, day_first)


@given(
    st.one_of(
        st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map(" ".join),
        typed_phrases().map(lambda phrase: phrase + " – present"),
        st.tuples(typed_dates(), typed_dates()).map(lambda pair: f"{pair[0][0]} – {pair[1][0]}"),
    ),
    st.sampled_from([True, False, None]),
)
@settings(max_examples=600, deadline=None)
@example("2022-02-24 – present", None)
@example("2022-02-24/", None)
@example("55 BC - AD 14", None)
def test_any_span_the_reader_accepts_round_trips_through_edtf(text, day_first):
    try:
        start, end = read_user_span(text, day_first=day_first)
    except DateError:
        return
    span = parse_span(start, end) if end != "" else parse_span(start + "/")
    joined = span.text
    assert read_user_span(joined, day_first=day_first) == (start, end)
    again = parse_span(joined)
    assert (again.lower, again.upper, again.precision) == (span.lower, span.upper, span.precision)
    assert (again.open_end, again.unknown_end) == (end == "..", end == "")


def assert_round_trip(edtf: str, day_first: bool | None) -> None:
    """EDTF from the reader is stored truth: parse_span takes it, and reading it again (as a
    file of EDTF would be read) gives the same text and the same bounds."""
    assert " " not in edtf.replace(", ", ""), edtf
    date = parse_date(edtf)
    span = parse_span(edtf)
    assert (span.lower, span.upper) == (date.lower, date.upper)
    again = read_user_date(edtf, day_first=day_first)
    assert again == edtf
    reread = parse_date(again)
    assert (reread.lower, reread.upper, reread.precision, reread.kind) == (
        date.lower,
        date.upper,
        date.precision,
        date.kind,
    )
    assert date.lower < date.upper or date.kind is DateKind.EXACT
