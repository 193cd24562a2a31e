"""Partial, uncertain dates stored as EDTF text with derived UTC bounds.

Historians rarely know every day: an event may be known to the year, the month, or be
approximate. The stored form is EDTF (Extended Date/Time Format, ISO 8601-2); from it we
derive a lower bound (inclusive) and an upper bound (exclusive) in UTC seconds and a
precision, so drawing and sorting never re-parse text. Plain ISO dates take a fast path:
the `edtf` parser costs milliseconds per call.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from timeline_app.domain.errors import DateError, quoted

MIN_YEAR = 1
MAX_YEAR = 9999
DAY_SECONDS = 86_400


class Precision(StrEnum):
    """How finely a date is known, finest first."""

    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"


PRECISION_ORDER: tuple[Precision, ...] = tuple(Precision)

DATE_TEXT_MAX = 64
"""No EDTF date is longer; a longer text is refused before any parser sees it."""

_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?([?~%]?)")
"""Plain ISO dates, matched with `fullmatch`: `$` would also accept a trailing newline."""
_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9


@dataclass(frozen=True, slots=True)
class PartialDate:
    """One EDTF date with its derived bounds. `upper` is exclusive (start of the next unit)."""

    text: str
    lower: int
    upper: int
    precision: Precision
    uncertain: bool = False
    approximate: bool = False

    @property
    def qualified(self) -> bool:
        return self.uncertain or self.approximate


@dataclass(frozen=True, slots=True)
class DateSpan:
    """An event's time: a start and, for spans, an end that does not precede it."""

    start: PartialDate
    end: PartialDate | None = None

    @property
    def lower(self) -> int:
        return self.start.lower

    @property
    def upper(self) -> int:
        return self.end.upper if self.end is not None else self.start.upper

    @property
    def precision(self) -> Precision:
        """The coarser of the two ends: what the whole span can honestly claim."""
        if self.end is None:
            return self.start.precision
        return max(self.start.precision, self.end.precision, key=PRECISION_ORDER.index)

    @property
    def text(self) -> str:
        return self.start.text if self.end is None else f"{self.start.text}/{self.end.text}"


def utc_seconds(year: int, month: int = 1, day: int = 1) -> int:
    """Seconds since 1970-01-01 UTC of the start of a day (proleptic Gregorian)."""
    return calendar.timegm((year, month, day, 0, 0, 0, 0, 0, 0))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError("date", f"{quoted(text)}: year {year} is out of range")


def _flags(qualifier: str) -> tuple[bool, bool]:
    return qualifier in "?%" and qualifier != "", qualifier in "~%" and qualifier != ""


def _fast_iso(text: str) -> PartialDate | None:
    """Parse YYYY, YYYY-MM, YYYY-MM-DD with an optional ?, ~ or % qualifier, or None."""
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    year = int(match.group(1))
    _check_year(year, text)
    uncertain, approximate = _flags(match.group(4))
    if match.group(2) is None:
        lower = utc_seconds(year)
        upper = utc_seconds(year + 1) if year < MAX_YEAR else lower + 365 * DAY_SECONDS
        return PartialDate(text, lower, upper, Precision.YEAR, uncertain, approximate)
    month = int(match.group(2))
    if 21 <= month <= 24 and match.group(3) is None:
        return None  # an EDTF season: the full parser knows its months
    if not 1 <= month <= 12:
        raise DateError("date", f"{quoted(text)}: month {month} does not exist")
    if match.group(3) is None:
        lower = utc_seconds(year, month)
        next_year, next_month = _next_month(year, month)
        upper = utc_seconds(next_year, next_month)
        return PartialDate(text, lower, upper, Precision.MONTH, uncertain, approximate)
    day = int(match.group(3))
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise DateError("date", f"{quoted(text)}: day {day} does not exist in {year}-{month:02d}")
    lower = utc_seconds(year, month, day)
    return PartialDate(text, lower, lower + DAY_SECONDS, Precision.DAY, uncertain, approximate)


def _edtf_date(text: str) -> PartialDate:
    """The slow, complete path through the `edtf` library (seasons, unspecified digits)."""
    import edtf  # imported lazily: most dates never need it

    try:
        parsed = edtf.parse_edtf(text)
    except Exception as error:  # the library raises several unrelated types
        # the library's own message repeats the raw text (line breaks and all): say it our way
        raise DateError(
            "date",
            f"{quoted(text)} is not a date (write it like 2015, 2015-03, 2015-03-02, 2015-03?, "
            "2015~ or 199X)",
        ) from error
    kind = type(parsed).__name__
    if kind not in {"Date", "UncertainOrApproximate", "Unspecified", "Season"}:
        raise DateError("date", f"{quoted(text)} is not a single date")
    try:
        low = parsed.lower_strict()
        high = parsed.upper_strict()
    except Exception as error:
        raise DateError("date", f"{quoted(text)} has no usable bounds ({error})") from error
    _check_year(low.tm_year, text)
    _check_year(high.tm_year, text)
    lower = utc_seconds(low.tm_year, low.tm_mon, low.tm_mday)
    upper = utc_seconds(high.tm_year, high.tm_mon, high.tm_mday) + DAY_SECONDS
    span_days = (upper - lower) // DAY_SECONDS
    if kind == "Season":
        precision = Precision.SEASON
    elif span_days <= 1:
        precision = Precision.DAY
    elif span_days <= 31:
        precision = Precision.MONTH
    elif span_days <= 366:
        precision = Precision.YEAR
    elif span_days <= 3660:
        precision = Precision.DECADE
    else:
        precision = Precision.CENTURY
    uncertain, approximate = _flags(text[-1] if text[-1] in "?~%" else "")
    return PartialDate(text, lower, upper, precision, uncertain, approximate)


def parse_date(text: str) -> PartialDate:
    """Read one EDTF date (not an interval); raise DateError naming the text when it is not."""
    if not isinstance(text, str):
        raise DateError("date", f"{quoted(text)} is not text")
    return _parse_date_text(text)


@lru_cache(maxsize=65_536)
def _parse_date_text(text: str) -> PartialDate:
    """Cached: an import repeats the same few thousand dates many times over."""
    if not isinstance(text, str):
        raise DateError("date", f"{quoted(text)} is not text")
    cleaned = text.strip()
    if not cleaned:
        raise DateError("date", "is empty")
    if len(cleaned) > DATE_TEXT_MAX:
        raise DateError("date", f"{quoted(text)} is not a date ({len(cleaned)} characters long)")
    if not cleaned.isascii():
        raise DateError("date", f"{quoted(text)} is not a date: {_non_ascii_problem(cleaned)}")
    if "/" in cleaned:
        raise DateError("date", f"{quoted(text)} is an interval; give its start and end separately")
    fast = _fast_iso(cleaned)
    if fast is not None:
        return fast
    return _edtf_date(cleaned)


def _non_ascii_problem(text: str) -> str:
    """Why a date text with a non-ASCII character is refused: EDTF is written in ASCII, and
    digits of other scripts ("٢٠٢٢") must not silently become a date."""
    for character in text:
        if not character.isascii():
            if character.isdigit():
                return f"{quoted(character)} is not one of the digits 0–9"
            return f"{quoted(character)} has no place in a date"
    return "it is not ASCII text"


def parse_span(start: str, end: str | None = None) -> DateSpan:
    """Read an event's start and optional end; `start` may itself be an EDTF interval `a/b`."""
    if end is None and isinstance(start, str) and "/" in start:
        first, _, second = start.strip().partition("/")
        if "/" in second:
            raise DateError("start", f"{quoted(start)} has more than one '/'")
        start, end = first, second
    try:
        first_date = parse_date(start)
    except DateError as error:
        raise DateError("start", error.message) from error
    if end is None or (isinstance(end, str) and not end.strip()):
        return DateSpan(first_date)
    try:
        last_date = parse_date(end)
    except DateError as error:
        raise DateError("end", error.message) from error
    if last_date.upper <= first_date.lower or last_date.lower < first_date.lower:
        raise DateError("end", f"{quoted(end)} is before the start {quoted(start)}")
    return DateSpan(first_date, last_date)


_FREE_QUALIFIER = re.compile(
    r"(?:(?P<approx>~|c\.|ca\.|circa|about|around)\s*)?(?P<body>.*?)(?P<mark>[?~%])?",
    re.IGNORECASE | re.ASCII,
)
# What people type, read in ASCII only: `\d` would also take Arabic-Indic or Persian digits,
# and `int()` would turn them into a date nobody wrote.
_FREE_ISO = re.compile(r"[0-9]{4}(-[0-9]{2}){0,2}")
_FREE_DECADE = re.compile(r"([0-9]{3})0'?s")
_FREE_SLASHED = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})[./]([0-9]{4})")
_FREE_MONTH_YEAR = re.compile(r"([a-z]+)\.? ([0-9]{4})")
_FREE_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2}) ([a-z]+)\.?,? ([0-9]{4})")
_FREE_MONTH_DAY_YEAR = re.compile(r"([a-z]+)\.? ([0-9]{1,2}),? ([0-9]{4})")


def read_user_date(text: str) -> str:
    """Turn what a person types ("March 2023", "~2015", "1990s", "2015-09-30") into EDTF text.

    Raises DateError naming the text when it cannot be understood.
    """
    raw = " ".join(text.split())  # any run of spaces (a pasted no-break space too) is one
    if not raw:
        raise DateError("date", "is empty")
    if len(raw) > DATE_TEXT_MAX:
        raise DateError("date", f"{quoted(text)} is not a date ({len(raw)} characters long)")
    if not raw.isascii():
        raise DateError("date", f"{quoted(text)} is not a date: {_non_ascii_problem(raw)}")
    match = _FREE_QUALIFIER.fullmatch(raw)
    assert match is not None  # the pattern accepts any text
    body = match.group("body").strip().rstrip(",")
    approximate = bool(match.group("approx")) or match.group("mark") in ("~", "%")
    uncertain = match.group("mark") in ("?", "%")
    qualifier = (
        "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""
    )
    edtf_body = _free_body(body)
    if edtf_body is None:
        # Let the full EDTF grammar have the last word (seasons, 19XX, ...).
        candidate = raw
        parse_date(candidate)
        return candidate
    candidate = edtf_body + qualifier
    parse_date(candidate)
    return candidate


def _free_body(body: str) -> str | None:
    lowered = body.lower()
    if _FREE_ISO.fullmatch(body):
        return body
    decade = _FREE_DECADE.fullmatch(lowered)
    if decade:
        return decade.group(1) + "X"
    slash = _FREE_SLASHED.fullmatch(body)
    if slash:
        day, month, year = (int(part) for part in slash.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    month_year = _FREE_MONTH_YEAR.fullmatch(lowered)
    if month_year and month_year.group(1) in _MONTH_NAMES:
        return f"{month_year.group(2)}-{_MONTH_NAMES[month_year.group(1)]:02d}"
    day_month_year = _FREE_DAY_MONTH_YEAR.fullmatch(lowered)
    if day_month_year and day_month_year.group(2) in _MONTH_NAMES:
        day = int(day_month_year.group(1))
        return f"{day_month_year.group(3)}-{_MONTH_NAMES[day_month_year.group(2)]:02d}-{day:02d}"
    month_day_year = _FREE_MONTH_DAY_YEAR.fullmatch(lowered)
    if month_day_year and month_day_year.group(1) in _MONTH_NAMES:
        day = int(month_day_year.group(2))
        return f"{month_day_year.group(3)}-{_MONTH_NAMES[month_day_year.group(1)]:02d}-{day:02d}"
    return None


def read_user_span(text: str) -> tuple[str, str | None]:
    """Read a typed date or interval (`2015-09-30/2024-12-08`, `1995 - 1997`) into EDTF texts."""
    raw = text.strip()
    for separator in ("/", " – ", " - ", "–", " to "):
        if separator in raw:
            first, _, second = raw.partition(separator)
            start = read_user_date(first)
            end = read_user_date(second)
            parse_span(start, end)
            return start, end
    return read_user_date(raw), None


def describe_date(date: PartialDate) -> str:
    """A reader's rendering: "12 March 2023", "March 2023", "2023", "1990s", with "c." or "?"."""
    import time

    parts = time.gmtime(date.lower)
    if date.precision is Precision.DAY:
        body = f"{parts.tm_mday} {calendar.month_name[parts.tm_mon]} {parts.tm_year}"
    elif date.precision is Precision.MONTH:
        body = f"{calendar.month_name[parts.tm_mon]} {parts.tm_year}"
    elif date.precision is Precision.YEAR:
        body = str(parts.tm_year)
    elif date.precision is Precision.DECADE:
        body = f"{parts.tm_year - parts.tm_year % 10}s"
    elif date.precision is Precision.SEASON:
        body = date.text.rstrip("?~%")
    else:
        body = f"{parts.tm_year}s"
    if date.approximate:
        body = "c. " + body
    if date.uncertain:
        body += "?"
    return body


def describe_span(span: DateSpan) -> str:
    """A reader's rendering of a point or a span ("March 2023", "1995 – 1997")."""
    if span.end is None:
        return describe_date(span.start)
    return f"{describe_date(span.start)} – {describe_date(span.end)}"
