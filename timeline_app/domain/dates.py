"""Partial, uncertain dates stored as EDTF text with derived UTC bounds.

Historians rarely know every day: an event may be known to the year, the month, or be
approximate; it may be one of a few years, before or after a date, or still going on. The
stored form is EDTF (Extended Date/Time Format, ISO 8601-2); from it we derive a lower bound
(inclusive) and an upper bound (exclusive) in UTC seconds, a precision and a kind, so drawing
and sorting never re-parse text. Years use astronomical numbering (0000 is 1 BC, -0055 is
56 BC) on the proleptic Gregorian calendar. Plain ISO dates, date-times and EDTF sets take a
fast path of our own: the `edtf` parser costs milliseconds per call.

Derived bounds of the forms that are not a plain date:
- one of a set, `[1990..1994]`, `[1667, 1668, 1670..1672]`: from the lower bound of the earliest
  member to the upper bound of the latest — the date lies somewhere in there;
- before / after, `[..1990]` / `[1990..]` (EDTF: "1990 or earlier", "1990 or later"): the bounds
  of the anchor date itself, so the event sorts and filters at the one date anyone knows; the
  kind tells a view to draw the open side;
- an open end `a/..` (ongoing) or an unknown end `a/`: from the start's lower bound to
  OPEN_END_UPPER, a fixed far-future instant a view clamps to "now".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from timeline_app.domain.errors import DateError, quoted

MIN_YEAR = -9999
MAX_YEAR = 9999
DAY_SECONDS = 86_400


class Precision(StrEnum):
    """How finely a date is known, finest first (codes are positions in PRECISION_ORDER)."""

    SECOND = "second"
    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"


PRECISION_ORDER: tuple[Precision, ...] = tuple(Precision)


class DateKind(StrEnum):
    """What a date says about when: exactly this, one of these, no later or no earlier than
    this; OPEN and UNKNOWN occur only as the end of a span (`a/..`, `a/`)."""

    EXACT = "exact"
    ONE_OF = "one_of"
    BEFORE = "before"
    AFTER = "after"
    OPEN = "open"
    UNKNOWN = "unknown"


DATE_TEXT_MAX = 64
"""No EDTF date is longer; a longer text is refused before any parser sees it."""

OPEN_END = ".."
"""The EDTF text of an open (ongoing) end: `2022-02-24/..`."""
UNKNOWN_END = ""
"""The EDTF text of an unknown end: `2022-02-24/`."""

_ISO = re.compile(
    r"(-?)([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?)?)?([?~%]?)"
)
"""Plain ISO dates and date-times, matched with `fullmatch`: `$` would also accept a trailing
newline."""
_MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTH_NAMES["sept"] = 9


class UtcTime(NamedTuple):
    """A UTC instant in calendar terms (astronomical year: 0 is 1 BC)."""

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date, for any year (also ≤ 0)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def utc_seconds(
    year: int, month: int = 1, day: int = 1, hour: int = 0, minute: int = 0, second: int = 0
) -> int:
    """Seconds since 1970-01-01 UTC (proleptic Gregorian, astronomical years; `calendar.timegm`
    and `time.gmtime` are not portable before year 1)."""
    return _days_from_civil(year, month, day) * DAY_SECONDS + hour * 3600 + minute * 60 + second


def utc_time(seconds: float) -> UtcTime:
    """The calendar date and time of a UTC instant (floor to the second), any year."""
    whole = int(seconds // 1)
    days, rest = divmod(whole, DAY_SECONDS)
    days += 719_468
    era = days // 146_097
    day_of_era = days - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + (3 if shifted_month < 10 else -9)
    year = year_of_era + era * 400 + (month <= 2)
    return UtcTime(year, month, day, rest // 3600, rest // 60 % 60, rest % 60)


def is_leap_year(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


OPEN_END_UPPER = utc_seconds(MAX_YEAR + 1)
"""The upper bound of an open or unknown end: the start of year 10000, after every date. Views
clamp it to "now" (open) or fade it out (unknown)."""


def describe_year(year: int) -> str:
    """An astronomical year as readers write it: 2023, 602, 1 BC (year 0), 56 BC (-55)."""
    return str(year) if year > 0 else f"{1 - year} BC"


@dataclass(frozen=True, slots=True)
class PartialDate:
    """One EDTF date with its derived bounds. `upper` is exclusive (start of the next unit);
    `kind` says whether the date is exact, one of a set, a before/after bound or an open end."""

    text: str
    lower: int
    upper: int
    precision: Precision
    uncertain: bool = False
    approximate: bool = False
    kind: DateKind = DateKind.EXACT

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
    def open_end(self) -> bool:
        """Still going on (`a/..`): drawn to the present with an arrow."""
        return self.end is not None and self.end.kind is DateKind.OPEN

    @property
    def unknown_end(self) -> bool:
        """Ended at an unknown time (`a/`)."""
        return self.end is not None and self.end.kind is DateKind.UNKNOWN

    @property
    def text(self) -> str:
        return self.start.text if self.end is None else f"{self.start.text}/{self.end.text}"


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError("date", f"{quoted(text)}: year {year} is out of range")


def _flags(qualifier: str) -> tuple[bool, bool]:
    return qualifier in "?%" and qualifier != "", qualifier in "~%" and qualifier != ""


def _offset_seconds(offset: str | None, text: str) -> int:
    """Seconds east of UTC of a `Z`, `±hh`, `±hhmm` or `±hh:mm` suffix."""
    if not offset or offset == "Z":
        return 0
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise DateError("date", f"{quoted(text)}: {offset} is not a time zone offset")
    return (1 if offset[0] == "+" else -1) * (hours * 3600 + minutes * 60)


def _fast_iso(text: str) -> PartialDate | None:
    """Parse ±YYYY, YYYY-MM, YYYY-MM-DD with an optional ?, ~ or % qualifier, and
    YYYY-MM-DDThh:mm[:ss][Z|±hh:mm]; or None when the text has another shape."""
    match = _ISO.fullmatch(text)
    if match is None:
        return None
    sign, year_digits, month_text, day_text, hour_text, minute_text = match.group(1, 2, 3, 4, 5, 6)
    second_text, offset, qualifier = match.group(7, 8, 9)
    if sign and year_digits == "0000":
        raise DateError("date", f"{quoted(text)}: there is no year -0000 (write 0000 for 1 BC)")
    year = -int(year_digits) if sign else int(year_digits)
    _check_year(year, text)
    uncertain, approximate = _flags(qualifier)
    if month_text is None:
        lower = utc_seconds(year)
        return PartialDate(
            text, lower, utc_seconds(year + 1), Precision.YEAR, uncertain, approximate
        )
    month = int(month_text)
    if 21 <= month <= 24 and day_text is None:
        return None  # an EDTF season: the full parser knows its months
    if not 1 <= month <= 12:
        raise DateError("date", f"{quoted(text)}: month {month} does not exist")
    if day_text is None:
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        return PartialDate(
            text,
            utc_seconds(year, month),
            utc_seconds(next_year, next_month),
            Precision.MONTH,
            uncertain,
            approximate,
        )
    day = int(day_text)
    if not 1 <= day <= days_in_month(year, month):
        raise DateError("date", f"{quoted(text)}: day {day} does not exist in {year}-{month:02d}")
    if hour_text is None:
        lower = utc_seconds(year, month, day)
        return PartialDate(text, lower, lower + DAY_SECONDS, Precision.DAY, uncertain, approximate)
    if qualifier:
        raise DateError("date", f"{quoted(text)}: a time of day cannot be marked {qualifier}")
    hour, minute = int(hour_text), int(minute_text)
    second = int(second_text) if second_text is not None else 0
    if hour > 23 or minute > 59 or second > 59:
        raise DateError("date", f"{quoted(text)}: {text[11:19].rstrip('Z+-')} is not a time of day")
    lower = utc_seconds(year, month, day, hour, minute, second) - _offset_seconds(offset, text)
    if second_text is None:
        return PartialDate(text, lower, lower + 60, Precision.MINUTE)
    return PartialDate(text, lower, lower + 1, Precision.SECOND)


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


class _SetPart(NamedTuple):
    """One member of an EDTF set: a date, or a range `first..last` (either side may be open,
    written None)."""

    first: PartialDate | None
    last: PartialDate | None
    is_range: bool


def _set_parts(text: str) -> list[_SetPart]:
    """The members of `[a, b, c..d]`, `[..d]` or `[c..]`, each date read; raise DateError."""
    inner = text[1:-1]
    if not inner.strip():
        raise DateError("date", f"{quoted(text)} lists no dates")
    parts: list[_SetPart] = []
    for item in inner.split(","):
        item = item.strip()
        if not item or item == "..":
            raise DateError("date", f"{quoted(text)} has an empty member")
        if "[" in item or "]" in item or "{" in item:
            raise DateError("date", f"{quoted(text)}: a set cannot hold another set")
        if ".." in item:
            first_text, _, last_text = item.partition("..")
            first = _member(first_text, text) if first_text else None
            last = _member(last_text, text) if last_text else None
            if first is not None and last is not None and (
                last.lower < first.lower or last.upper < first.upper
            ):
                raise DateError("date", f"{quoted(text)}: {first_text} is after {last_text}")
            parts.append(_SetPart(first, last, True))
        else:
            member = _member(item, text)
            parts.append(_SetPart(member, member, False))
    if len(parts) > 1 and any(part.first is None or part.last is None for part in parts):
        raise DateError(
            "date", f"{quoted(text)}: an open range (..) may only stand alone, like [..1990]"
        )
    return parts


def _member(text: str, whole: str) -> PartialDate:
    member = _parse_date_text(text.strip())
    if member.kind is not DateKind.EXACT:
        raise DateError("date", f"{quoted(whole)}: a set cannot hold another set")
    return member


def _one_of(text: str) -> PartialDate:
    """An EDTF "one of" set: `[1990..1994]`, `[1667, 1668, 1670..1672]`, `[..1990]`, `[1990..]`."""
    parts = _set_parts(text)
    members = [date for part in parts for date in (part.first, part.last) if date is not None]
    precision = max((date.precision for date in members), key=PRECISION_ORDER.index)
    uncertain = any(date.uncertain for date in members)
    approximate = any(date.approximate for date in members)
    only = parts[0]
    if len(parts) == 1 and only.first is None:
        assert only.last is not None
        anchor = only.last
        kind = DateKind.BEFORE
        lower, upper = anchor.lower, anchor.upper
    elif len(parts) == 1 and only.last is None:
        assert only.first is not None
        anchor = only.first
        kind = DateKind.AFTER
        lower, upper = anchor.lower, anchor.upper
    else:
        kind = DateKind.ONE_OF
        lower = min(date.lower for date in members)
        upper = max(date.upper for date in members)
    return PartialDate(text, lower, upper, precision, uncertain, approximate, kind)


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
    if cleaned.startswith("[") and cleaned.endswith("]"):
        return _one_of(cleaned)
    if cleaned.startswith("{"):
        raise DateError("date", f"{quoted(text)} is a set of dates that all happened; give one")
    if cleaned == OPEN_END:
        raise DateError("date", f"{quoted(text)} only ends an interval, like 2022-02-24/..")
    if re.fullmatch(r"-?[0-9]{1,3}", cleaned):
        year = int(cleaned)
        raise DateError(
            "date", f"{quoted(text)} is not a date (write the year with four digits: {year:05d})"
            if year < 0
            else f"{quoted(text)} is not a date (write the year with four digits: {year:04d})",
        )
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


def _open_or_unknown_end(start: PartialDate, end_text: str) -> PartialDate:
    kind = DateKind.OPEN if end_text == OPEN_END else DateKind.UNKNOWN
    return PartialDate(
        end_text, start.lower, OPEN_END_UPPER, start.precision, start.uncertain, False, kind
    )


def parse_span(start: str, end: str | None = None) -> DateSpan:
    """Read an event's start and optional end; `start` may itself be an EDTF interval `a/b`.

    An end of `..` is open (ongoing). Written as one interval, `a/` has an unknown end; a
    separate end that is empty or None means there is no end (a point in time).
    """
    unknown_end_allowed = False
    if end is None and isinstance(start, str) and "/" in start:
        first, _, second = start.strip().partition("/")
        if "/" in second:
            raise DateError("start", f"{quoted(start)} has more than one '/'")
        if first.strip() in ("", OPEN_END):
            raise DateError("start", f"{quoted(start)}: an interval needs a known start")
        start, end = first, second.strip()
        unknown_end_allowed = True
    try:
        first_date = parse_date(start)
    except DateError as error:
        raise DateError("start", error.message) from error
    if isinstance(end, str) and end.strip() == OPEN_END:
        return DateSpan(first_date, _open_or_unknown_end(first_date, OPEN_END))
    if end is None or (isinstance(end, str) and not end.strip()):
        if unknown_end_allowed:
            return DateSpan(first_date, _open_or_unknown_end(first_date, UNKNOWN_END))
        return DateSpan(first_date)
    try:
        last_date = parse_date(end)
    except DateError as error:
        raise DateError("end", error.message) from error
    if last_date.upper <= first_date.lower or last_date.lower < first_date.lower:
        raise DateError("end", f"{quoted(end)} is before the start {quoted(start)}")
    return DateSpan(first_date, last_date)
