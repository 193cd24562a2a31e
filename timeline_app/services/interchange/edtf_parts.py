"""EDTF dates built from, and taken apart into, numbers: year, month, day and time of day.

Formats that write dates as numbers meet the app's EDTF text here: TimelineJS date objects and
vis-timeline ISO strings (`DateParts`, `edtf_text`, `parts_of`), the clock times of iCalendar
and The Timeline Project (`CivilTime`, `parse_time_text`). A date is written at exactly the
precision its numbers give, with astronomical years (`0000` is 1 BCE, `-0043` is 44 BCE) and
an optional time of day (`2013-03-30T11:16`, `…T11:16:05Z`). The calendar arithmetic behind
it (leap years, month lengths, UTC seconds) is the domain's, `domain.dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline_app.domain.dates import (
    MAX_YEAR,
    MIN_YEAR,
    days_in_month,
    utc_seconds,
    utc_time,
    year_text,
)
from timeline_app.domain.errors import ValidationError, quoted

QUALIFIERS = "?~%"
"""The EDTF marks of an uncertain (`?`), approximate (`~`) or both (`%`) date."""

_SIMPLE = re.compile(
    r"(-?[0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?([?~%]?)"
)


# ---- time texts ---------------------------------------------------------------------------


def zone_text(zone: str) -> str:
    """A time zone as EDTF writes it: "" (local), `Z` (UTC, also for "UTC", "GMT"), `+03:00`
    (also for `+0300`, `+03`)."""
    if not zone:
        return ""
    if zone.upper() in ("Z", "UTC", "GMT"):
        return "Z"
    digits = zone[1:].replace(":", "")
    return f"{zone[0]}{digits[:2]}:{digits[2:] or '00'}"


def clock_text(hour: int, minute: int, second: int | None = None, zone: str = "") -> str:
    """The time-of-day part of an EDTF date-time: `T11:16`, `T11:16:05`, `T11:16:05Z`; the
    seconds are written when given."""
    seconds = f":{second:02d}" if second is not None else ""
    return f"T{hour:02d}:{minute:02d}{seconds}{zone_text(zone)}"


_CLOCK = re.compile(
    r"([0-9]{1,2})(?:[:.]([0-9]{2})(?:[:.]([0-9]{2})(?:[.,][0-9]+)?)?)?\s*(?:([ap])\.?\s?m\.?)?"
    r"\s*(Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?",
    re.IGNORECASE,
)
_CLOCK_DIGITS = re.compile(r"([0-9]{1,2})([0-9]{2})")


@dataclass(frozen=True, slots=True)
class Clock:
    """A time of day as read from a file's time cell; `second` None when none was written."""

    hour: int
    minute: int
    second: int | None = None
    zone: str = ""

    @property
    def text(self) -> str:
        """The EDTF time-of-day part: `T11:16`, `T11:16:05Z`."""
        return clock_text(self.hour, self.minute, self.second, self.zone)


def read_clock(text: str) -> Clock:
    """A time of day as people and spreadsheets write it: "11:16", "11:16:05.250", "1116",
    "9" (9:00), "9 PM", "9:30 p.m.", "11:16 UTC", "11:16+03:00" (fractions of a second are dropped).
    Raises ValueError saying why, quoting the text."""
    cleaned = text.strip()
    digits = _CLOCK_DIGITS.fullmatch(cleaned)
    match = None if digits else _CLOCK.fullmatch(cleaned)
    if digits:
        hour, minute, second, period, zone = digits.group(1), digits.group(2), None, None, None
    elif match:
        hour, minute, second, period, zone = match.groups()
    else:
        raise ValueError(f"{quoted(text)} is not a time of day (write it like 11:16 or 9:30 PM)")
    hours = int(hour)
    if period:
        if not 1 <= hours <= 12:
            raise ValueError(f"{quoted(text)}: {hours} is not an hour of a 12-hour clock")
        hours = hours % 12 + (12 if period.lower() == "p" else 0)
    minutes = int(minute or 0)
    seconds = int(second) if second is not None else None
    if hours > 23 or minutes > 59 or (seconds is not None and seconds > 59):
        raise ValueError(f"{quoted(text)} is not a time of day")
    return Clock(hours, minutes, seconds, zone_text(zone or ""))


def zone_offset(zone: str) -> int:
    """Seconds east of UTC of a zone as `zone_text` writes it ("" and `Z`: 0)."""
    zone = zone_text(zone)
    if zone in ("", "Z"):
        return 0
    hours, minutes = int(zone[1:3]), int(zone[4:6])
    return (1 if zone[0] == "+" else -1) * (hours * 3600 + minutes * 60)


# ---- numbers into EDTF and back -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateParts:
    """A plain EDTF date (no season, set or unspecified digit) taken apart."""

    year: int
    """Astronomical: 0 is 1 BCE."""
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    zone: str = ""
    qualifier: str = ""


def edtf_text(
    year: int,
    month: int | None = None,
    day: int | None = None,
    hour: int | None = None,
    minute: int | None = None,
    second: int | None = None,
    zone: str = "",
) -> str:
    """The EDTF text of the given parts, at the precision of the finest one given.

    Raises ValidationError naming the part ("year", "month", "day", "hour", "minute",
    "second") that is out of range or given without the coarser parts it needs.
    """
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            "year", f"{year} is outside the years this app stores ({MIN_YEAR} to {MAX_YEAR})"
        )
    text = year_text(year)
    if month is None:
        _none_after("month", day=day, hour=hour, minute=minute, second=second)
        return text
    if not 1 <= month <= 12:
        raise ValidationError("month", f"{month} is not a month (1–12)")
    text += f"-{month:02d}"
    if day is None:
        _none_after("day", hour=hour, minute=minute, second=second)
        return text
    if not 1 <= day <= days_in_month(year, month):
        raise ValidationError("day", f"day {day} does not exist in {text}")
    text += f"-{day:02d}"
    if hour is None:
        _none_after("hour", minute=minute, second=second)
        return text
    if not 0 <= hour <= 23:
        raise ValidationError("hour", f"{hour} is not an hour (0–23)")
    if minute is not None and not 0 <= minute <= 59:
        raise ValidationError("minute", f"{minute} is not a minute (0–59)")
    if second is not None:
        if minute is None:
            raise ValidationError("second", "is given without a minute")
        if not 0 <= second <= 59:
            raise ValidationError("second", f"{second} is not a second (0–59)")
    return text + clock_text(hour, minute or 0, second, zone)


def _none_after(missing: str, **finer: int | None) -> None:
    for name, value in finer.items():
        if value is not None:
            raise ValidationError(name, f"is given without a {missing}")


def parts_of(text: str) -> DateParts | None:
    """The parts of a plain EDTF date (`2015`, `-0043-03-15?`, `2013-03-30T11:16:05Z`);
    None for anything else (seasons, sets, unspecified digits, intervals)."""
    match = _SIMPLE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, zone, qualifier = match.groups()
    parts = DateParts(
        int(year),
        _number(month),
        _number(day),
        _number(hour),
        _number(minute),
        _number(second),
        zone_text(zone or ""),
        qualifier,
    )
    if parts.month is not None and not 1 <= parts.month <= 12:
        return None  # a season (21–24) or a sub-year grouping, not a month
    return parts


def _number(text: str | None) -> int | None:
    return int(text) if text is not None else None


# ---- civil days and clock times -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CivilTime:
    """A proleptic Gregorian day and, when `timed`, a clock time (in UTC when `utc`), as
    calendar files write them; any astronomical year, which Python's `datetime` has not."""

    year: int
    month: int
    day: int
    hour: int = 0
    minute: int = 0
    second: int = 0
    timed: bool = False
    utc: bool = False

    @property
    def day_text(self) -> str:
        return f"{year_text(self.year)}-{self.month:02d}-{self.day:02d}"

    @property
    def text(self) -> str:
        """The EDTF text: the day, or the day and time of day (seconds when not zero or in
        UTC)."""
        if not self.timed:
            return self.day_text
        second = self.second if self.second or self.utc else None
        return self.day_text + clock_text(self.hour, self.minute, second, "Z" if self.utc else "")

    @property
    def seconds(self) -> int:
        """Seconds since 1970-01-01 00:00 of the same clock."""
        return utc_seconds(self.year, self.month, self.day, self.hour, self.minute, self.second)


def check_civil(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> str | None:
    """Why these numbers are no day and time ("month 13 does not exist"), or None."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"year {year} is out of range"
    if not 1 <= month <= 12:
        return f"month {month} does not exist"
    if not 1 <= day <= days_in_month(year, month):
        return f"day {day} does not exist in {year_text(year)}-{month:02d}"
    if hour > 23 or minute > 59 or second > 59:
        return f"{hour:02d}:{minute:02d}:{second:02d} is not a time of day"
    return None


def day_of(seconds: int) -> CivilTime:
    """The day that contains the instant `seconds` (UTC seconds since 1970)."""
    when = utc_time(seconds)
    return CivilTime(when.year, when.month, when.day)


def utc_clock(seconds: int) -> CivilTime:
    """The UTC clock time of an instant given in seconds since 1970-01-01 00:00 UTC."""
    return CivilTime(*utc_time(seconds), timed=True, utc=True)


def parse_time_text(text: str) -> CivilTime | None:
    """An EDTF date with a time of day (`2013-03-30T11:16`, `…T11:16:05Z`, `…+03:00`) as a
    CivilTime (an offset is turned into UTC); None for a text without a time of day."""
    parts = parts_of(text.strip().rstrip(QUALIFIERS))
    if parts is None or parts.hour is None:
        return None
    assert parts.month is not None and parts.day is not None and parts.minute is not None
    second = parts.second or 0
    time = CivilTime(
        parts.year, parts.month, parts.day, parts.hour, parts.minute, second, timed=True
    )
    if check_civil(parts.year, parts.month, parts.day, parts.hour, parts.minute, second):
        return None
    if not parts.zone:
        return time
    return utc_clock(time.seconds - zone_offset(parts.zone))
