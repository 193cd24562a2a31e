"""The bulk read the views share: EventColumns equal to a plain reading, and a filter placed
in them by position (SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select, text

from timeline_app.domain.columns import CERTAINTY_CODES, PRECISION_CODES, shape_of
from timeline_app.domain.model import Certainty, EventDraft, EventFilter
from timeline_app.store import queries

STARTS = (
    "2001",
    "2001-05",
    "2001-05-09",
    "2003",
    "2003~",
    "1999-12-31",
    "[2001..2002]",
    "[..2001-05]",
    "[2003..]",
    "2002/",
)
CATEGORIES = ("Diplomacy & treaties", "Nuclear file", "Energy")
CERTAINTIES = tuple(Certainty)


@pytest.fixture
def stocked(catalog):
    """Forty events, many sharing a start, of every category, certainty and importance, and
    of every shape of date (one of, before, after, an open or unknown end)."""
    for index in range(40):
        catalog.add_event(
            EventDraft(
                title=f"Event {index:02d}",
                start=STARTS[index % len(STARTS)],
                end=(
                    None
                    if "/" in STARTS[index % len(STARTS)]
                    else "2005"
                    if index % 5 == 0
                    else ".."
                    if index % 7 == 3
                    else None
                ),
                category=CATEGORIES[index % 3],
                importance=1 + index % 5,
                certainty=CERTAINTIES[index % len(CERTAINTIES)],
                actors=("Rosatom",) if index % 4 == 0 else ("Iran",),
                tags=("fuel",) if index % 6 == 1 else (),
            )
        )
    return catalog


def plain_reading(catalog, where: EventFilter | None = None) -> list[tuple]:
    """Each event's drawn values, one SQLAlchemy row at a time, sorted in Python."""
    events, categories = queries.events, queries.categories
    names = [record.name for record in catalog.categories()]
    query = select(
        events.c.id,
        events.c.title,
        events.c.start_lo,
        events.c.end_hi,
        events.c.end,
        events.c.precision,
        categories.c.name,
        events.c.importance,
        events.c.certainty,
        events.c.start,
    ).join(categories, categories.c.id == events.c.category_id)
    wanted = None if where is None else set(catalog.event_ids(where))
    with catalog.engine.connect() as connection:
        rows = [row for row in connection.execute(query) if wanted is None or row[0] in wanted]
    return sorted(
        (
            row[2],
            row[0],
            row[1],
            row[3],
            row[4] is not None,
            PRECISION_CODES[row[5]],
            names.index(row[6]),
            row[7],
            CERTAINTY_CODES[row[8]],
            shape_of(row[9], row[4]),
        )
        for row in rows
    )


def as_tuples(columns) -> list[tuple]:
    return list(
        zip(
            columns.start.tolist(),
            columns.ids.tolist(),
            columns.titles.tolist(),
            columns.end.tolist(),
            columns.is_span.tolist(),
            columns.precision.tolist(),
            columns.category.tolist(),
            columns.importance.tolist(),
            columns.certainty.tolist(),
            columns.shape.tolist(),
            strict=True,
        )
    )


FILTERS = [
    None,
    EventFilter(categories=frozenset({"Nuclear file"})),
    EventFilter(actors=frozenset({"Rosatom"})),
    EventFilter(certainties=frozenset({Certainty.ALLEGED, Certainty.DISPUTED})),
    EventFilter(min_importance=4),
    EventFilter(text="event"),
    EventFilter(lower=978_307_200.0, upper=1_041_379_200.0),  # 2001 to 2003
    EventFilter(lower=1_041_379_200),
    EventFilter(upper=978_307_200),
    EventFilter(tags=frozenset({"fuel"}), min_importance=2),
    EventFilter(text="event", categories=frozenset({"Energy", "Nuclear file"}), upper=1e9),
    EventFilter(actors=frozenset({"Rosatom"}), certainties=frozenset({Certainty.CONFIRMED})),
]


@pytest.mark.parametrize("where", FILTERS, ids=lambda where: f"filter{FILTERS.index(where)}")
def test_event_columns_equal_a_plain_reading(stocked, monkeypatch, where):
    """Read in blocks smaller than the table, so the joins between blocks are checked too."""
    monkeypatch.setattr(queries, "COLUMN_BLOCK", 7)
    expected = plain_reading(stocked, where)
    assert as_tuples(stocked.event_columns(where)) == expected
    some = [row[1] for row in expected[::3]]
    narrowed = stocked.event_columns(where, ids=some)
    assert as_tuples(narrowed) == [row for row in expected if row[1] in set(some)]


def test_filtered_positions_are_the_matches_in_the_drawn_columns(stocked):
    columns = stocked.event_columns(with_actors=False)
    assert stocked.filtered_positions(columns, None).tolist() == list(range(40))
    for where in FILTERS[1:]:
        positions = stocked.filtered_positions(columns, where)
        assert np.all(np.diff(positions) > 0), where
        assert columns.ids[positions].tolist() == stocked.event_columns(where).ids.tolist(), where
    nothing = stocked.filtered_positions(columns, EventFilter(text="nothing-matches-this"))
    assert nothing.tolist() == []


def test_event_dates_are_the_stored_texts(stocked):
    columns = stocked.event_columns(with_actors=False)
    first, second = columns.ids[0], columns.ids[1]
    dates = stocked.event_dates([first, second, "not-an-event"])
    assert set(dates) == {first, second}
    records = {record.id: record for record in stocked.events([first, second])}
    assert dates[first] == (records[first].start, records[first].end)


def test_equal_starts_are_in_python_id_order_on_every_backend(catalog):
    """PostgreSQL's collation may put "a" before "B"; the columns keep Python's order, which
    patching and placing a filter bisect by."""
    if catalog.engine.dialect.name == "postgresql":  # a database whose ids sort by language
        with catalog.engine.begin() as connection:
            connection.execute(
                text('ALTER TABLE events ALTER COLUMN id TYPE VARCHAR(36) COLLATE "und-x-icu"')
            )
    for event_id in ("b-2", "B-1", "a-3", "_-0"):
        catalog.add_event(
            EventDraft(title=event_id, start="2010", category="Energy"), event_id=event_id
        )
    columns = catalog.event_columns()
    assert columns.ids.tolist() == ["B-1", "_-0", "a-3", "b-2"]
    positions = catalog.filtered_positions(columns, EventFilter(text="a"))
    assert columns.ids[positions].tolist() == ["a-3"]
