"""Civil dates and times of day as calendar files write them, and the EDTF texts they become.

Calendar files (iCalendar, The Timeline Project's XML) write days and clock times; the app
stores EDTF text with bounds in UTC seconds. These converters produce the forms the model
reads: `YYYY-MM-DD` with astronomical years of any sign (`-0055`, year 0 being 1 BCE) and
`YYYY-MM-DDThh:mm`, with `:ss` when the seconds are not zero and `Z` for UTC. They also go
back from an event's text or bounds to civil dates, for any year, which Python's `datetime`
(years 1–9999) cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline_app.domain.dates import DAY_SECONDS

YEAR_LIMIT = 9999
"""EDTF writes four-digit years: -9999 … 9999."""
QUALIFIERS = "?~%"

_TIME_TEXT = re.compile(
    r"(-?[0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?"
)


@dataclass(frozen=True, slots=True)
class CivilTime:
    """A proleptic Gregorian day and, when `timed`, a clock time (in UTC when `utc`)."""

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
        """The EDTF text: the day, or the day and time of day."""
        if not self.timed:
            return self.day_text
        seconds = f":{self.second:02d}" if self.second or self.utc else ""
        zone = "Z" if self.utc else ""
        return f"{self.day_text}T{self.hour:02d}:{self.minute:02d}{seconds}{zone}"

    @property
    def seconds(self) -> int:
        """Seconds since 1970-01-01 00:00 of the same clock."""
        return (
            days_from_civil(self.year, self.month, self.day) * DAY_SECONDS
            + self.hour * 3600
            + self.minute * 60
            + self.second
        )


def year_text(year: int) -> str:
    """An astronomical year as EDTF writes it: `0055`, `0000` (1 BCE), `-0055` (56 BCE)."""
    if not -YEAR_LIMIT <= year <= YEAR_LIMIT:
        raise ValueError(f"year {year} has more than four digits")
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def check_civil(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> str | None:
    """Why these numbers are no day and time ("month 13 does not exist"), or None."""
    if not -YEAR_LIMIT <= year <= YEAR_LIMIT:
        return f"year {year} is out of range"
    if not 1 <= month <= 12:
        return f"month {month} does not exist"
    if not 1 <= day <= days_in_month(year, month):
        return f"day {day} does not exist in {year_text(year)}-{month:02d}"
    if hour > 23 or minute > 59 or second > 59:
        return f"{hour:02d}:{minute:02d}:{second:02d} is not a time of day"
    return None


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date of any year."""
    shifted = year - (month <= 2)
    era = shifted // 400
    year_of_era = shifted - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """The proleptic Gregorian (year, month, day) `days` after 1970-01-01."""
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
    return year_of_era + era * 400 + (month <= 2), month, day


def day_of(seconds: int) -> CivilTime:
    """The day that contains the instant `seconds` (UTC seconds since 1970)."""
    return CivilTime(*civil_from_days(seconds // DAY_SECONDS))


def parse_time_text(text: str) -> CivilTime | None:
    """An EDTF date with a time of day (`2013-03-30T11:16`, `…T11:16:05Z`, `…+03:00`) as a
    CivilTime (an offset is turned into UTC); None for a text without a time of day."""
    match = _TIME_TEXT.fullmatch(text.strip().rstrip(QUALIFIERS))
    if match is None:
        return None
    year, month, day, hour, minute = (int(match.group(index)) for index in range(1, 6))
    second = int(match.group(6) or 0)
    zone = match.group(7)
    if check_civil(year, month, day, hour, minute, second) is not None:
        return None
    if zone is None:
        return CivilTime(year, month, day, hour, minute, second, timed=True)
    offset = 0
    if zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = (int(digits[:2]) * 60 + int(digits[2:])) * 60 * (1 if zone[0] == "+" else -1)
    return utc_time(CivilTime(year, month, day, hour, minute, second).seconds - offset)


def utc_time(seconds: int) -> CivilTime:
    """The UTC clock time of an instant given in seconds since 1970-01-01 00:00 UTC."""
    days, rest = divmod(seconds, DAY_SECONDS)
    year, month, day = civil_from_days(days)
    return CivilTime(
        year, month, day, rest // 3600, rest % 3600 // 60, rest % 60, timed=True, utc=True
    )
