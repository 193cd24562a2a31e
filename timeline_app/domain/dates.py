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
MONTH_NUMBERS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
"""English month names and abbreviations (lower case) to their numbers, as dates in files
and in the editor write them. Spelled out rather than taken from `calendar`, whose names
follow the process's locale (which Qt sets from the environment)."""


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


def year_text(year: int) -> str:
    """An astronomical year as EDTF writes it: `2023`, `0055`, `0000` (1 BC), `-0055` (56 BC).
    Raises ValueError outside MIN_YEAR..MAX_YEAR: EDTF years here have four digits."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} is outside {MIN_YEAR}..{MAX_YEAR}")
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


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

    if any(character.isspace() for character in text):
        raise DateError("date", f"{quoted(text)} is not a date: EDTF has no spaces")
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
            if (
                first is not None
                and last is not None
                and (last.lower < first.lower or last.upper < first.upper)
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
    try:
        member = _parse_date_text(text.strip())
    except DateError as error:
        raise DateError("date", f"{quoted(whole)}: {error.message}") from error
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
        four_digits = year_text(int(cleaned))
        raise DateError(
            "date", f"{quoted(text)} is not a date (write the year with four digits: {four_digits})"
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
    return PartialDate(end_text, start.lower, OPEN_END_UPPER, start.precision, kind=kind)


def parse_span(start: str, end: str | None = None) -> DateSpan:
    """Read an event's start and optional end; `start` may itself be an EDTF interval `a/b`.

    End None: a point in time. End `..`: an open end (ongoing). End "" (or `a/` in one text):
    an unknown end, as EDTF writes it — so a stored start and end read back as they were
    written; a blank form field or file cell must be passed as None.
    """
    if end is None and isinstance(start, str) and "/" in start:
        first, _, second = start.strip().partition("/")
        if "/" in second:
            raise DateError("start", f"{quoted(start)} has more than one '/'")
        if first.strip() in ("", OPEN_END):
            raise DateError("start", f"{quoted(start)}: an interval needs a known start")
        start, end = first, second.strip()
    try:
        first_date = parse_date(start)
    except DateError as error:
        raise DateError("start", error.message) from error
    if end is None:
        return DateSpan(first_date)
    if isinstance(end, str) and end.strip() in (OPEN_END, UNKNOWN_END):
        return DateSpan(first_date, _open_or_unknown_end(first_date, end.strip()))
    try:
        last_date = parse_date(end)
    except DateError as error:
        raise DateError("end", error.message) from error
    if last_date.upper <= first_date.lower or last_date.lower < first_date.lower:
        raise DateError("end", f"{quoted(end)} is before the start {quoted(start)}")
    return DateSpan(first_date, last_date)


# --- Reading what people type and what files contain -------------------------------------
# Read in ASCII only: `\d` would also take Arabic-Indic or Persian digits, and `int()` would
# turn them into a date nobody wrote.

_READER_EXAMPLES = "write it like 1066, Oct 1066, 14 Oct 1066, c. 1040, 55 BC or 2015-03-02"
_APPROXIMATE_PREFIX = re.compile(
    r"(?:~|c\.|ca\.|circa\b|about\b|around\b|approx\.|approximately\b)\s*", re.IGNORECASE
)
_TIME_SUFFIX = re.compile(
    r"(?P<date>.+?)(?:\s+at\s+|,\s*|\s+|T)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2}))?\s*(?P<zone>Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?",
    re.IGNORECASE,
)
_ERA_SUFFIX = re.compile(
    r"(?P<body>.+?)\s*(?P<era>B\.?\s?C\.?\s?E\.?|B\.?\s?C\.?|C\.?\s?E\.?|A\.?\s?D\.?)",
    re.IGNORECASE,
)
_ERA_PREFIX = re.compile(r"(?P<era>A\.?\s?D\.?|C\.?\s?E\.?)\s*(?P<body>[0-9].*)", re.IGNORECASE)
_FREE_ISO = re.compile(r"(-?)([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_FREE_YEAR = re.compile(r"(-?)([0-9]{1,5})")
_FREE_DECADE = re.compile(r"([0-9]{3})0'?s", re.IGNORECASE)
_FREE_NUMERIC = re.compile(r"([0-9]{1,2})([./-])([0-9]{1,2})\2([0-9]{4})")
_FREE_MONTH_YEAR = re.compile(r"([a-z]+)\.?,? ([0-9]{1,5})", re.IGNORECASE)
_FREE_DAY_MONTH_YEAR = re.compile(
    r"([0-9]{1,2})(?:st|nd|rd|th)?(?: of)? ([a-z]+)\.?,? ([0-9]{1,5})", re.IGNORECASE
)
_FREE_MONTH_DAY_YEAR = re.compile(
    r"([a-z]+)\.? ([0-9]{1,2})(?:st|nd|rd|th)?,? ([0-9]{1,5})", re.IGNORECASE
)
_SEASON_CODES = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_SEASON_NAMES = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}
_BEFORE = re.compile(
    r"(?:before|no later than|not after)\s+(?P<a>.+)|(?P<b>.+?)\s+or (?:earlier|before)",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"(?:after|no earlier than|not before)\s+(?P<a>.+)|(?P<b>.+?)\s+or (?:later|after)",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"between\s+(?P<a>.+?)\s+(?:and|&)\s+(?P<b>.+)", re.IGNORECASE)
_EITHER = re.compile(r"(?:either\s+)?(?P<a>.+?)\s+or\s+(?P<b>.+)", re.IGNORECASE)
_SINCE = re.compile(r"since\s+(?P<a>.+)|(?:from\s+)?(?P<b>.+?)\s+onwards?", re.IGNORECASE)
_OPEN_END_WORDS = {"present", "ongoing", "now", "today", "open", OPEN_END}
_UNKNOWN_END_WORDS = {"?", "unknown"}
_SPAN_SEPARATORS = (" – ", " — ", " - ", "–", "—", " to ", " until ", " till ", "/")
_YEAR_DASH_YEAR = re.compile(r"([0-9]{3,4})-([0-9]{3,4})")
"""1995-1997: the one span written with a bare hyphen (ISO months use it too: 1995-12)."""
_EDTF_LIKE = re.compile(r"[-\[{]?[0-9][0-9X\-?~%\[\]{}.,:TZ+ ]*")


def _clean_typed(text: str) -> str:
    """One space for any run of white space (a pasted no-break space too); refused when empty,
    too long, or not ASCII."""
    if not isinstance(text, str):
        raise DateError("date", f"{quoted(text)} is not text")
    raw = " ".join(text.split())
    if not raw:
        raise DateError("date", "is empty")
    if len(raw) > DATE_TEXT_MAX:
        raise DateError("date", f"{quoted(text)} is not a date ({len(raw)} characters long)")
    if not raw.isascii():
        raise DateError("date", f"{quoted(text)} is not a date: {_non_ascii_problem(raw)}")
    return raw


def read_user_date(text: str, day_first: bool | None = None) -> str:
    """Turn what a person types or a file holds into EDTF text: "March 2023", "~2015", "1990s",
    "602", "55 BC", "AD 602", "c. 1040", "14 Oct 1066", "2013-03-30 11:16", "between 1990 and
    1994", "before 1990", "after March 2001", or EDTF as it is.

    Numeric dates like 03/04/2001 are read day first when `day_first` is True, month first when
    False, and refused as ambiguous when None (13/04/2001 reads either way). Raises DateError
    quoting the text when it cannot be understood.
    """
    raw = _clean_typed(text)
    candidate = _read_free(raw, text, day_first)
    if candidate is None:
        try:
            parse_date(raw)
        except DateError as error:
            if _EDTF_LIKE.fullmatch(raw) and (" " not in raw or raw.startswith("[")):
                raise  # EDTF as written: the parser's own words say what is wrong
            raise DateError("date", f"{quoted(text)} is not a date ({_READER_EXAMPLES})") from error
        return raw
    parse_date(candidate)
    return candidate


def _read_free(raw: str, text: str, day_first: bool | None) -> str | None:
    """The EDTF text of a typed date in words or numbers, or None when it has no shape we know."""
    if raw.startswith("["):
        return None
    between = _BETWEEN.fullmatch(raw)
    if between:
        first = _read_member(between.group("a"), text, day_first)
        last = _read_member(between.group("b"), text, day_first)
        return f"[{first}..{last}]"
    before = _BEFORE.fullmatch(raw)
    if before:
        return f"[..{_read_member(before.group('a') or before.group('b'), text, day_first)}]"
    after = _AFTER.fullmatch(raw)
    if after:
        return f"[{_read_member(after.group('a') or after.group('b'), text, day_first)}..]"
    either = _EITHER.fullmatch(raw)
    if either:
        first = _read_member(either.group("a"), text, day_first)
        last = _read_member(either.group("b"), text, day_first)
        return f"[{first}, {last}]"
    return _read_single(raw, text, day_first)


def _read_member(part: str, text: str, day_first: bool | None) -> str:
    """One date inside "between … and …", "before …": a single date, never a set."""
    member = _read_single(part.strip(), text, day_first)
    if member is None:
        if _fast_iso(part.strip()) is None:
            raise DateError("date", f"{quoted(text)}: {quoted(part)} is not a date")
        member = part.strip()
    parse_date(member)
    return member


def _read_single(body: str, text: str, day_first: bool | None) -> str | None:
    """One date with its qualifiers ("c. 1040", "2015?"), era and time of day, or None."""
    approximate = False
    prefix = _APPROXIMATE_PREFIX.match(body)
    if prefix and prefix.end() < len(body):
        approximate = True
        body = body[prefix.end() :]
    mark = body[-1] if body[-1] in "?~%" else ""
    body = body.rstrip("?~%").strip().rstrip(",").strip()
    if not body:
        return None
    approximate = approximate or mark in ("~", "%")
    uncertain = mark in ("?", "%")
    qualifier = (
        "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""
    )
    timed = _TIME_SUFFIX.fullmatch(body)
    if timed and not _FREE_NUMERIC.fullmatch(body):
        day_text = _read_calendar(timed.group("date"), text, day_first)
        if day_text is None:
            return None
        if not re.fullmatch(r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}", day_text):
            raise DateError("date", f"{quoted(text)}: a time of day needs a whole date before it")
        if qualifier:
            raise DateError(
                "date", f"{quoted(text)}: a time of day cannot be marked approximate or uncertain"
            )
        return day_text + _edtf_time(timed, text)
    day_text = _read_calendar(body, text, day_first)
    if day_text is None and qualifier and _EDTF_LIKE.fullmatch(body):
        try:  # EDTF the reader has no words for, qualified in words: "c. 19XX"
            if parse_date(body).kind is DateKind.EXACT and body[-1] not in "?~%":
                day_text = body
        except DateError:
            return None
    return None if day_text is None else day_text + qualifier


def _edtf_time(timed: re.Match[str], text: str) -> str:
    hour, minute = int(timed.group("hour")), int(timed.group("minute"))
    second = timed.group("second")
    if hour > 23 or minute > 59 or (second is not None and int(second) > 59):
        raise DateError(
            "date",
            f"{quoted(text)}: {timed.group('hour')}:{timed.group('minute')}"
            f"{':' + second if second else ''} is not a time of day",
        )
    clock = f"T{hour:02d}:{minute:02d}" + (f":{second}" if second is not None else "")
    zone = (timed.group("zone") or "").upper()
    if zone in ("Z", "UTC", "GMT"):
        return clock + "Z"
    if zone:
        digits = zone[1:].replace(":", "")
        return clock + f"{zone[0]}{digits[:2]}:{digits[2:] or '00'}"
    return clock


def _read_calendar(body: str, text: str, day_first: bool | None) -> str | None:
    """A calendar date without qualifiers: ISO, numeric, words, with an era; or None."""
    era = ""
    suffix = _ERA_SUFFIX.fullmatch(body)
    prefix = _ERA_PREFIX.fullmatch(body)
    if suffix and re.search(r"[0-9]$", suffix.group("body")):
        era, body = suffix.group("era"), suffix.group("body")
    elif prefix:
        era, body = prefix.group("era"), prefix.group("body")
    lowered = body.lower()

    iso = _FREE_ISO.fullmatch(body)
    if iso and not era:
        if iso.group(3) is not None and 21 <= int(iso.group(3)) <= 24 and iso.group(4) is None:
            return body  # an EDTF season
        year = int(iso.group(2)) * (-1 if iso.group(1) else 1)
        month = int(iso.group(3)) if iso.group(3) else None
        day = int(iso.group(4)) if iso.group(4) else None
        return _calendar_text(year, month, day, text)
    decade = _FREE_DECADE.fullmatch(body)
    if decade and not era:
        return decade.group(1) + "X"
    year_only = _FREE_YEAR.fullmatch(body)
    if year_only:
        if era and year_only.group(1):
            raise DateError("date", f"{quoted(text)}: a year with an era has no minus sign")
        return _calendar_text(
            _year(year_only.group(2), year_only.group(1), era, text), None, None, text
        )
    numeric = _FREE_NUMERIC.fullmatch(body)
    if numeric and not era:
        first, second, year = int(numeric.group(1)), int(numeric.group(3)), int(numeric.group(4))
        day, month = _day_and_month(first, second, day_first, text)
        return _calendar_text(year, month, day, text)
    month_year = _FREE_MONTH_YEAR.fullmatch(body)
    if month_year:
        name, year_digits = month_year.groups()
        if name.lower() in _SEASON_CODES:
            year = _year(year_digits, "", era, text, need_digits=3)
            return f"{_calendar_text(year, None, None, text)}-{_SEASON_CODES[name.lower()]}"
        month = _month(name, text)
        return _calendar_text(_year(year_digits, "", era, text, need_digits=3), month, None, text)
    day_month_year = _FREE_DAY_MONTH_YEAR.fullmatch(lowered)
    if day_month_year:
        day_text, name, year_digits = day_month_year.groups()
        year = _year(year_digits, "", era, text, need_digits=3)
        return _calendar_text(year, _month(name, text), int(day_text), text)
    month_day_year = _FREE_MONTH_DAY_YEAR.fullmatch(lowered)
    if month_day_year:
        name, day_text, year_digits = month_day_year.groups()
        year = _year(year_digits, "", era, text, need_digits=3)
        return _calendar_text(year, _month(name, text), int(day_text), text)
    return None


def _year(digits: str, sign: str, era: str, text: str, need_digits: int = 1) -> int:
    """An astronomical year from typed digits and an era: "55" with "BC" is -54."""
    if not era and len(digits) < need_digits:
        raise DateError(
            "date", f"{quoted(text)}: write the year in full ({digits} could be any century)"
        )
    number = int(digits)
    if era.upper().replace(".", "").replace(" ", "").startswith("B"):
        if number == 0:
            raise DateError("date", f"{quoted(text)}: there is no year 0 BC (1 BC is year 0000)")
        return 1 - number
    if era and number == 0:
        raise DateError("date", f"{quoted(text)}: there is no year 0 AD (1 BC is year 0000)")
    return -number if sign else number


def _month(name: str, text: str) -> int:
    number = MONTH_NUMBERS.get(name.lower())
    if number is None:
        raise DateError("date", f"{quoted(text)} is not a date: {quoted(name)} is not a month")
    return number


def _day_and_month(first: int, second: int, day_first: bool | None, text: str) -> tuple[int, int]:
    """Day and month of a numeric date; refused when both readings exist and none was chosen."""
    as_day_first = (first, second) if 1 <= second <= 12 and 1 <= first <= 31 else None
    as_month_first = (second, first) if 1 <= first <= 12 and 1 <= second <= 31 else None
    if as_day_first is None and as_month_first is None:
        raise DateError("date", f"{quoted(text)} has no month 1–12 in it")
    if as_day_first is None or as_month_first is None or first == second:
        return as_day_first or as_month_first  # type: ignore[return-value]
    if day_first is None:
        raise DateError(
            "date",
            f"{quoted(text)} is ambiguous: day {first} of month {second}, or month {first} "
            f"day {second}; choose day first or month first",
        )
    return as_day_first if day_first else as_month_first


def _calendar_text(year: int, month: int | None, day: int | None, text: str) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError("date", f"{quoted(text)}: year {year} is out of range")
    if month is None:
        return year_text(year)
    if not 1 <= month <= 12:
        raise DateError("date", f"{quoted(text)}: month {month} does not exist")
    if day is None:
        return f"{year_text(year)}-{month:02d}"
    if not 1 <= day <= days_in_month(year, month):
        raise DateError(
            "date",
            f"{quoted(text)}: {calendar.month_name[month]} {describe_year(year)} has no day {day}",
        )
    return f"{year_text(year)}-{month:02d}-{day:02d}"


def read_user_span(text: str, day_first: bool | None = None) -> tuple[str, str | None]:
    """Read a typed date or interval ("2015-09-30/2024-12-08", "1995 - 1997", "2022-02-24 –
    present", "since 2022") into EDTF (start, end) texts: end None for a point in time, `..`
    for an open end, "" for an unknown end ("2022-02-24 – ?", "2022-02-24/").

    Errors name the part at fault: field "start" or "end" ("date" when it is all one date).
    """
    if not isinstance(text, str):
        raise DateError("date", f"{quoted(text)} is not text")
    raw = " ".join(text.split())
    if not raw:
        raise DateError("date", "is empty")
    if len(raw) > 2 * DATE_TEXT_MAX + 8:
        raise DateError("date", f"{quoted(text)} is not a date ({len(raw)} characters long)")
    since = _SINCE.fullmatch(raw)
    if since:
        try:
            start = read_user_date(since.group("a") or since.group("b"), day_first)
        except DateError as error:
            raise DateError("start", error.message) from error
        return start, OPEN_END
    raw = re.sub(r"^from\s+", "", raw, flags=re.IGNORECASE)
    if "/" in raw:
        try:
            span = parse_span(raw)
        except DateError:
            pass
        else:
            return span.start.text, None if span.end is None else span.end.text
    try:
        return read_user_date(raw, day_first), None
    except DateError as whole_error:
        years = _YEAR_DASH_YEAR.fullmatch(raw)
        if years:
            return _read_typed_span(years.group(1), years.group(2), day_first)
        for separator in _SPAN_SEPARATORS:
            if separator not in raw:
                continue
            first, _, second = raw.partition(separator)
            if not first.strip() or not second.strip():
                continue
            return _read_typed_span(first, second, day_first)
        raise whole_error


def read_user_end(text: str, day_first: bool | None = None) -> str:
    """Read what is typed as the end of a span: a date as `read_user_date` reads it, or
    "present", "ongoing", "now", ".." (an open end, `..`), or "?", "unknown" (an unknown end,
    ""). Errors carry the field "end"."""
    word = " ".join(text.split()).lower() if isinstance(text, str) else ""
    if word in _OPEN_END_WORDS:
        return OPEN_END
    if word in _UNKNOWN_END_WORDS:
        return UNKNOWN_END
    try:
        return read_user_date(text, day_first)
    except DateError as error:
        raise DateError("end", error.message) from error


def _read_typed_span(first: str, second: str, day_first: bool | None) -> tuple[str, str | None]:
    try:
        start = read_user_date(first, day_first)
    except DateError as error:
        raise DateError("start", error.message) from error
    end = read_user_end(second, day_first)
    if end == UNKNOWN_END:
        parse_span(start + "/")
        return start, end
    try:
        parse_span(start, end)
    except DateError as error:
        if error.field != "end":
            raise
        raise DateError(
            "end", f"{quoted(second.strip())} is before the start {quoted(first.strip())}"
        ) from error
    return start, end


# --- Describing dates for readers ----------------------------------------------------------


def describe_instant(seconds: float, precision: Precision = Precision.DAY) -> str:
    """A UTC instant as precisely as `precision` says: "30 March 2013 11:16", "12 March 2023",
    "March 2023", "2023", "1990s", "55 BC"."""
    when = utc_time(seconds)
    year = describe_year(when.year)
    month = calendar.month_name[when.month]
    if precision is Precision.SECOND:
        clock = f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}"
        return f"{when.day} {month} {year} {clock}"
    if precision is Precision.MINUTE:
        return f"{when.day} {month} {year} {when.hour:02d}:{when.minute:02d}"
    if precision is Precision.DAY:
        return f"{when.day} {month} {year}"
    if precision in (Precision.MONTH, Precision.SEASON):
        return f"{month} {year}"
    if precision is Precision.YEAR or when.year <= 0:
        return year
    if precision is Precision.DECADE:
        return f"{when.year - when.year % 10}s"
    return f"{when.year - when.year % 100}s"


def describe_date(date: PartialDate) -> str:
    """A reader's rendering: "12 March 2023", "March 2023", "2023", "1990s", "55 BC", with "c."
    or "?"; "between 1990 and 1994", "before 1990", "after March 2001"; "ongoing"."""
    if date.kind is DateKind.OPEN:
        return "ongoing"
    if date.kind is DateKind.UNKNOWN:
        return "unknown"
    if date.kind is not DateKind.EXACT:
        return _describe_set(date)
    if date.precision in (Precision.SECOND, Precision.MINUTE):
        return _describe_written_time(date)
    if date.precision is Precision.SEASON:
        season = date.text.rstrip("?~%")
        code = int(season[-2:]) if season[-2:].isdigit() else 0
        when = utc_time(date.lower)
        body = (
            f"{_SEASON_NAMES[code]} {describe_year(when.year)}" if code in _SEASON_NAMES else season
        )
    else:
        body = describe_instant(date.lower, date.precision)
    if date.approximate:
        body = "c. " + body
    if date.uncertain:
        body += "?"
    return body


def _describe_written_time(date: PartialDate) -> str:
    """A date-time as written (its own clock and zone), not shifted to UTC."""
    match = _ISO.fullmatch(date.text.strip())
    assert match is not None
    sign, year, month, day, hour, minute, second, zone = match.group(1, 2, 3, 4, 5, 6, 7, 8)
    clock = f"{hour}:{minute}" + (f":{second}" if second is not None else "")
    where = "" if not zone else " UTC" if zone == "Z" else f" UTC{zone}"
    astronomical = -int(year) if sign else int(year)
    return (
        f"{int(day)} {calendar.month_name[int(month)]} {describe_year(astronomical)} {clock}{where}"
    )


def _describe_set(date: PartialDate) -> str:
    parts = _set_parts(date.text.strip())
    only = parts[0]
    if date.kind is DateKind.BEFORE and only.last is not None:
        return f"before {describe_date(only.last)}"
    if date.kind is DateKind.AFTER and only.first is not None:
        return f"after {describe_date(only.first)}"
    if len(parts) == 1 and only.is_range and only.first is not None and only.last is not None:
        return f"between {describe_date(only.first)} and {describe_date(only.last)}"
    members = [
        f"{describe_date(part.first)} – {describe_date(part.last)}"
        if part.is_range and part.first is not None and part.last is not None
        else describe_date(part.first)  # type: ignore[arg-type]
        for part in parts
    ]
    if len(members) == 1:
        return members[0]
    return ", ".join(members[:-1]) + " or " + members[-1]


def describe_span(span: DateSpan) -> str:
    """A reader's rendering of a point or a span ("March 2023", "1995 – 1997", "24 February
    2022 – ongoing")."""
    if span.end is None:
        return describe_date(span.start)
    return f"{describe_date(span.start)} – {describe_date(span.end)}"


def file_date_cells(start: str, end: str | None) -> tuple[str, str | None]:
    """An event's start and end as a file writes them: an unknown end (stored as "") goes
    into the start as the EDTF interval `a/`, since a file's empty end means "no end"."""
    if end == UNKNOWN_END:
        return f"{start}/", None
    return start, end
