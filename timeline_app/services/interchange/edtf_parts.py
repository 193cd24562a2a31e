"""EDTF dates built from, and taken apart into, numeric parts (year, month, day, time).

Formats that store dates as numbers (TimelineJS date objects, vis-timeline ISO strings) meet
the app's EDTF text here: a date is written at exactly the precision its parts give, with
astronomical years (`0000` is 1 BCE, `-0043` is 44 BCE) and an optional time of day
(`2013-03-30T11:16`, `…T11:16:05Z`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from timeline_app.domain.errors import ValidationError

YEAR_MIN = -9999
YEAR_MAX = 9999
"""The years EDTF writes with four digits (astronomical numbering)."""

_SIMPLE = re.compile(
    r"(-?[0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?([?~%]?)"
)


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


def year_text(year: int) -> str:
    """An astronomical year as EDTF writes it: four digits, a minus sign before BCE years."""
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def days_in_month(year: int, month: int) -> int:
    """Days of a month in the proleptic Gregorian calendar, for any astronomical year."""
    if month == 2 and calendar.isleap(year):
        return 29
    return (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


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
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(
            "year", f"{year} is outside the years this app stores ({YEAR_MIN} to {YEAR_MAX})"
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
    text += f"T{hour:02d}:{minute or 0:02d}"
    if second is not None:
        text += f":{second:02d}"
    return text + zone


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
        zone or "",
        qualifier,
    )
    if parts.month is not None and not 1 <= parts.month <= 12:
        return None  # a season (21–24) or a sub-year grouping, not a month
    return parts


def _number(text: str | None) -> int | None:
    return int(text) if text is not None else None
