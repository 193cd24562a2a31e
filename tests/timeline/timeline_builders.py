"""Builders for the timeline tests: small, readable event sets and synthetic large ones."""

from __future__ import annotations

import calendar

import numpy as np

from timeline_app.domain.columns import (
    PRECISION_CODES,
    SHAPE_AFTER,
    SHAPE_BEFORE,
    SHAPE_ONE_OF,
    SHAPE_OPEN_END,
    SHAPE_UNKNOWN_END,
    EventColumns,
)
from timeline_app.domain.dates import OPEN_END_UPPER
from timeline_app.domain.palette import CATEGORY_COLOURS

DAY = 86_400.0
DAY_CODE = PRECISION_CODES["day"]
CATEGORIES = ("Diplomacy", "Military", "Nuclear", "Energy")


def utc(year: int, month: int = 1, day: int = 1) -> float:
    return float(calendar.timegm((year, month, day, 0, 0, 0, 0, 0, 0)))


def event_row(
    event_id: str,
    title: str,
    start: float,
    end: float | None = None,
    *,
    span: bool = False,
    precision: int = DAY_CODE,
    category: int = 0,
    importance: int = 3,
    certainty: int = 0,
    shape: int = 0,
) -> tuple:
    return (
        event_id,
        title,
        start,
        end if end is not None else start + DAY,
        span,
        precision,
        category,
        importance,
        certainty,
        shape,
    )


def columns_from(
    rows: list[tuple],
    actors: list[tuple[str, ...]] | None = None,
    categories: tuple[str, ...] = CATEGORIES,
) -> EventColumns:
    return EventColumns.from_rows(
        rows,
        categories,
        CATEGORY_COLOURS[: len(categories)],
        tuple(actors) if actors is not None else None,
    )


def many_events(count: int, seed: int = 1, categories: int = 12) -> EventColumns:
    """`count` synthetic events 1991–2025 over `categories` lanes, built straight as arrays."""
    rng = np.random.default_rng(seed)
    start = np.sort(np.floor(rng.uniform(utc(1991), utc(2025), count) / DAY) * DAY)
    is_span = rng.random(count) < 0.05
    end = np.where(is_span, start + rng.uniform(5, 200, count) * DAY, start + DAY)
    ids = np.empty(count, dtype=object)
    ids[:] = [f"e{i}" for i in range(count)]
    titles = np.empty(count, dtype=object)
    titles[:] = [f"Event {i}" for i in range(count)]
    names = tuple(f"Category {i + 1}" for i in range(categories))
    return EventColumns(
        start=start,
        end=end,
        is_span=is_span,
        precision=np.full(count, DAY_CODE, dtype=np.int8),
        category=rng.integers(0, categories, count).astype(np.int32),
        importance=rng.integers(1, 6, count).astype(np.int8),
        certainty=np.zeros(count, dtype=np.int8),
        ids=ids,
        titles=titles,
        category_names=names,
        category_colours=CATEGORY_COLOURS[:categories],
    )


def sample() -> EventColumns:
    """A dozen events over 2015–2016 in four categories, with actors, a span and a month."""
    rows = [
        event_row("a", "Moscow summit", utc(2015, 3, 2), category=0, importance=5),
        event_row("b", "Joint naval drill", utc(2015, 4, 10), category=1, importance=4),
        event_row(
            "c",
            "Reactor contract",
            utc(2015, 6, 1),
            utc(2015, 7, 1),
            precision=PRECISION_CODES["month"],
            category=2,
            importance=3,
            certainty=1,
        ),
        event_row("d", "Gas swap talks", utc(2015, 8, 20), category=3, importance=2, certainty=2),
        event_row(
            "e",
            "Air campaign",
            utc(2015, 9, 30),
            utc(2016, 3, 15),
            span=True,
            category=1,
            importance=5,
        ),
        event_row("f", "S-300 delivery", utc(2016, 4, 11), category=1, importance=4, certainty=3),
        event_row("g", "Oil-for-goods deal", utc(2016, 6, 5), category=3, importance=3),
        event_row("h", "Visit to Tehran", utc(2015, 11, 23), category=0, importance=4),
        event_row("i", "Sanctions relief", utc(2016, 1, 16), category=2, importance=5),
        event_row("j", "Trade forum", utc(2016, 9, 1), category=3, importance=1),
    ]
    actors = [
        ("Putin", "Khamenei"),
        ("Navy",),
        ("Rosatom",),
        ("Gazprom",),
        ("Russia",),
        ("Russia", "Iran"),
        ("Iran",),
        ("Putin",),
        ("Iran",),
        (),
    ]
    return columns_from(rows, actors)


SHAPES_NOW = utc(2026, 6, 1)
"""The clock of `shapes_sample` charts: their open ends reach it."""


def shapes_sample() -> EventColumns:
    """One event of each shape of date (and plain ones to compare), 1990–now."""
    year, month = PRECISION_CODES["year"], PRECISION_CODES["month"]
    rows = [
        event_row(
            "one-of",
            "Between 1990 and 1994",
            utc(1990),
            utc(1995),
            precision=year,
            category=0,
            importance=4,
            shape=SHAPE_ONE_OF,
        ),
        event_row(
            "before",
            "Before May 1992",
            utc(1992, 5),
            utc(1992, 6),
            precision=month,
            category=1,
            shape=SHAPE_BEFORE,
        ),
        event_row(
            "after",
            "After 2001",
            utc(2001),
            utc(2002),
            precision=year,
            category=2,
            importance=5,
            certainty=1,
            shape=SHAPE_AFTER,
        ),
        event_row(
            "open",
            "Ongoing since 2014",
            utc(2014, 2, 24),
            OPEN_END_UPPER,
            span=True,
            category=1,
            importance=5,
            shape=SHAPE_OPEN_END,
        ),
        event_row(
            "unknown",
            "Ended, nobody knows when",
            utc(2008, 3),
            OPEN_END_UPPER,
            span=True,
            precision=month,
            category=3,
            shape=SHAPE_UNKNOWN_END,
        ),
        event_row("span", "A plain span", utc(1996), utc(1999), span=True, category=3),
        event_row("year", "A plain year", utc(2005), utc(2006), precision=year, category=0),
        event_row(
            "before-open",
            "Before 2010, ongoing",
            utc(2010),
            OPEN_END_UPPER,
            span=True,
            precision=year,
            category=2,
            certainty=2,
            shape=SHAPE_BEFORE | SHAPE_OPEN_END,
        ),
        event_row(
            "reported-one-of",
            "Reported one of",
            utc(2016),
            utc(2019),
            precision=year,
            category=3,
            importance=2,
            certainty=1,
            shape=SHAPE_ONE_OF,
        ),
    ]
    return columns_from(rows)
