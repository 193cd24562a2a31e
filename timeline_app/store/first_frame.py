"""What the window draws first, read with the standard library's sqlite3 alone.

Importing SQLAlchemy costs a start about a sixth of a second before anything can be shown. The
usual start opens a SQLite file of ours at the current schema, so the events, categories,
names and eras of the first frame are read here with plain SQL, read-only, and the database is
opened as always right after that frame is on screen (see `app.py`). Whatever looks unusual —
not a file of ours, another schema revision, read-only, many events, any SQLite error — gives
None, and the caller takes the normal path. `tests/store/test_first_frame.py` holds the result
equal to what `queries.event_columns` and the catalog read from the same files.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from timeline_app.domain.columns import (
    CERTAINTY_CODES,
    PRECISION_CODES,
    SHAPE_AFTER,
    SHAPE_BEFORE,
    SHAPE_ONE_OF,
    SHAPE_OPEN_END,
    SHAPE_UNKNOWN_END,
    EventColumns,
)
from timeline_app.domain.model import CategoryRecord, EraRecord
from timeline_app.domain.palette import FALLBACK_COLOUR

SCHEMA_REVISION = "0004_search_location"
"""The schema revision whose tables this module reads; a database stamped with any other takes
the normal path (a test holds this equal to `database.SCHEMA_HEAD`, so a new revision makes
whoever adds it look at the SQL below)."""
APP_MARKER = "timeline-app"
"""The `meta` row that marks a database as ours (equal to `schema.APP_MARKER`, tested)."""
SQLITE_HEADER = b"SQLite format 3\x00"
_SHAPE_SQL = (
    f"(CASE WHEN substr(start, 1, 1) <> '[' THEN 0 WHEN start LIKE '[..%' THEN {SHAPE_BEFORE} "
    f"WHEN start LIKE '%..]' THEN {SHAPE_AFTER} ELSE {SHAPE_ONE_OF} END) + "
    f"""(CASE WHEN "end" IS NULL THEN 0 WHEN "end" = '..' THEN {SHAPE_OPEN_END} """
    f"""WHEN "end" = '' THEN {SHAPE_UNKNOWN_END} ELSE 0 END)"""
)
"""An event's SHAPE_* flags from its stored texts, as `queries.event_columns` works them out."""


@dataclass(frozen=True, slots=True)
class FirstFrame:
    """One read-only snapshot of what the window shows before the database is open."""

    path: Path
    columns: EventColumns
    """Every event, sorted by start then id, with actors."""
    dates: dict[str, tuple[str, str | None]]
    """The stored (start, end) EDTF texts by event id: the table's date column."""
    categories: list[CategoryRecord]
    actor_names: list[str]
    tag_names: list[str]
    eras: list[EraRecord]


def read_first_frame(path: Path, *, at_most: int) -> FirstFrame | None:
    """The snapshot of an existing, writable SQLite file of ours at `SCHEMA_REVISION` holding
    at most `at_most` events; None for anything else (the normal path then decides)."""
    if not _plain_writable_sqlite(path):
        return None
    journal = any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))
    # Without a journal nobody is writing: read the main file alone, leaving nothing beside it.
    uri = f"{path.as_uri()}?{'mode=ro' if journal else 'immutable=1'}"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=0)
    except sqlite3.Error:
        return None
    try:
        return _read(connection, path, at_most)
    except (sqlite3.Error, ValueError, TypeError, KeyError, IndexError):
        return None  # locked, damaged or odd: the normal path says what is wrong
    finally:
        connection.close()


def _plain_writable_sqlite(path: Path) -> bool:
    """A regular SQLite file this process may write, in a folder it may write (-wal, -shm)."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return False
        if os.statvfs(path.parent).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return False
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _is_ours_and_current(connection: sqlite3.Connection) -> bool:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if not {"meta", "alembic_version", "events", "categories"} <= tables:
        return False
    marker = connection.execute("SELECT value FROM meta WHERE key = 'app'").fetchall()
    if marker != [(APP_MARKER,)]:
        return False
    stamped = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return stamped == [(SCHEMA_REVISION,)]


def _read(connection: sqlite3.Connection, path: Path, at_most: int) -> FirstFrame | None:
    if not _is_ours_and_current(connection):
        return None
    (count,) = connection.execute("SELECT count(*) FROM events").fetchone()
    if count > at_most:
        return None  # a large read belongs to the background operation of the normal path
    columns, dates = _event_columns(connection)
    if columns is None:
        return None
    return FirstFrame(
        path=path,
        columns=columns,
        dates=dates,
        categories=_categories(connection),
        actor_names=_names(connection, "actors"),
        tag_names=_names(connection, "tags"),
        eras=_eras(connection),
    )


def _event_columns(
    connection: sqlite3.Connection,
) -> tuple[EventColumns | None, dict[str, tuple[str, str | None]]]:
    """The columns as `queries.event_columns` builds them (its order: start bound, then id)."""
    category_list = connection.execute(
        "SELECT id, name, colour FROM categories ORDER BY sort_order, name"
    ).fetchall()
    index_of_category = {row[0]: index for index, row in enumerate(category_list)}
    rows = connection.execute(
        'SELECT id, title, start_lo, end_hi, "end" IS NOT NULL, precision, certainty, '
        f'importance, category_id, start, "end", {_SHAPE_SQL} FROM events ORDER BY start_lo, id'
    ).fetchall()
    if any(row[8] not in index_of_category for row in rows):
        return None, {}  # a dangling category: `check` and the normal path deal with it
    count = len(rows)
    ids = np.empty(count, dtype=object)
    ids[:] = [row[0] for row in rows]
    titles = np.empty(count, dtype=object)
    titles[:] = [row[1] for row in rows]
    by_event: dict[str, list[str]] = {}
    for event_id, name in connection.execute(
        "SELECT event_actors.event_id, actors.name FROM event_actors "
        "JOIN actors ON actors.id = event_actors.actor_id "
        "ORDER BY event_actors.event_id, event_actors.position"
    ):
        by_event.setdefault(event_id, []).append(name)
    columns = EventColumns(
        start=np.array([row[2] for row in rows], dtype=np.float64),
        end=np.array([row[3] for row in rows], dtype=np.float64),
        is_span=np.array([bool(row[4]) for row in rows], dtype=np.bool_),
        precision=np.array([PRECISION_CODES.get(row[5], 0) for row in rows], dtype=np.int8),
        category=np.array([index_of_category[row[8]] for row in rows], dtype=np.int32),
        importance=np.array([row[7] for row in rows], dtype=np.int8),
        certainty=np.array([CERTAINTY_CODES.get(row[6], 0) for row in rows], dtype=np.int8),
        shape=np.array([row[11] for row in rows], dtype=np.int8),
        ids=ids,
        titles=titles,
        category_names=tuple(row[1] for row in category_list),
        category_colours=tuple(row[2] or FALLBACK_COLOUR for row in category_list),
        actors=tuple(tuple(by_event.get(row[0], ())) for row in rows),
    )
    return columns, {row[0]: (row[9], row[10]) for row in rows}


def _categories(connection: sqlite3.Connection) -> list[CategoryRecord]:
    """As `queries.category_records`: with the parent's name and the count of events."""
    query = (
        "SELECT c.id, c.name, c.colour, p.name, c.sort_order, c.description, coalesce(n.n, 0) "
        "FROM categories AS c LEFT JOIN categories AS p ON p.id = c.parent_id "
        "LEFT JOIN (SELECT category_id, count(*) AS n FROM events GROUP BY category_id) AS n "
        "ON n.category_id = c.id ORDER BY c.sort_order, c.name"
    )
    return [CategoryRecord(*row) for row in connection.execute(query)]


def _names(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[0] for row in connection.execute(f"SELECT name FROM {table} ORDER BY name")]


def _eras(connection: sqlite3.Connection) -> list[EraRecord]:
    query = (
        'SELECT id, name, start, "end", colour, group_name, lower, upper FROM eras '
        "ORDER BY lower, name"
    )
    return [
        EraRecord(row[0], row[1], row[2], row[3], row[4], row[5], int(row[6]), int(row[7]))
        for row in connection.execute(query)
    ]
