"""SQL of the sources manager: shared source records, their citations, and their grades.

A source row holds what every event citing it shares (title, publisher, URL, date,
language, kind, reliability); a citation row (`event_sources`) what belongs to one event
(position, note, credibility, excerpt). Every function runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import Connection, delete, func, insert, select, update

from timeline_app.store.queries import chunks, driver_rows, rows_for_ids
from timeline_app.store.schema import event_sources, sources

SOURCE_COLUMNS = (
    "id",
    "title",
    "publisher",
    "url",
    "published",
    "kind",
    "language",
    "reliability",
)
"""The order of the values in a source row (`source_rows`, `insert_source_row`)."""

CITATION_COLUMNS = ("event_id", "position", "note", "credibility", "excerpt")
"""The order of the values in a citation row (`citations_of`, `insert_citations`)."""


def _source_select():
    return select(*(sources.c[name] for name in SOURCE_COLUMNS))


def source_rows(connection: Connection, ids: Sequence[str] | None = None) -> list[tuple]:
    """Source rows (SOURCE_COLUMNS order) with how many events cite each, by title."""
    counts = (
        select(event_sources.c.source_id, func.count().label("n"))
        .group_by(event_sources.c.source_id)
        .subquery()
    )
    query = (
        _source_select()
        .add_columns(func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.source_id == sources.c.id)
        .order_by(sources.c.title, sources.c.id)
    )
    if ids is None:
        return [tuple(row) for row in connection.execute(query)]
    rows = [tuple(row) for row in rows_for_ids(connection, query, sources.c.id, ids)]
    return sorted(rows, key=lambda row: (row[1], row[0]))


def source_row(connection: Connection, source_id: str) -> tuple | None:
    """One source's row (SOURCE_COLUMNS order), None when there is no such source."""
    row = connection.execute(_source_select().where(sources.c.id == source_id)).first()
    return None if row is None else tuple(row)


def update_source_row(connection: Connection, source_id: str, values: Mapping[str, object]) -> bool:
    """Overwrite shared fields of one source; False when it no longer exists."""
    result = connection.execute(update(sources).where(sources.c.id == source_id).values(**values))
    return bool(result.rowcount)


def insert_source_row(connection: Connection, row: Sequence[object]) -> None:
    """Put a source back as it was (a row in SOURCE_COLUMNS order)."""
    connection.execute(insert(sources).values(dict(zip(SOURCE_COLUMNS, row, strict=True))))


def delete_source_row(connection: Connection, source_id: str) -> None:
    connection.execute(delete(sources).where(sources.c.id == source_id))


def citing_event_ids(connection: Connection, source_id: str) -> list[str]:
    query = (
        select(event_sources.c.event_id)
        .where(event_sources.c.source_id == source_id)
        .order_by(event_sources.c.event_id)
    )
    return list(connection.execute(query).scalars())


def citations_of(connection: Connection, source_id: str) -> list[tuple]:
    """Every citation of a source, by event (CITATION_COLUMNS order)."""
    query = (
        select(*(event_sources.c[name] for name in CITATION_COLUMNS))
        .where(event_sources.c.source_id == source_id)
        .order_by(event_sources.c.event_id)
    )
    return [tuple(row) for row in connection.execute(query)]


def delete_citations(connection: Connection, source_id: str, event_ids: Sequence[str]) -> None:
    for part in chunks(sorted(event_ids)):
        connection.execute(
            delete(event_sources).where(
                event_sources.c.source_id == source_id, event_sources.c.event_id.in_(part)
            )
        )


def repoint_citations(connection: Connection, old: str, new: str, event_ids: Sequence[str]) -> None:
    """These events' citations of `old` cite `new` instead (position, note, grade kept)."""
    for part in chunks(sorted(event_ids)):
        connection.execute(
            update(event_sources)
            .where(event_sources.c.source_id == old, event_sources.c.event_id.in_(part))
            .values(source_id=new)
        )


def insert_citations(connection: Connection, source_id: str, rows: Iterable[Sequence]) -> None:
    """Citations of `source_id` as they were (rows in CITATION_COLUMNS order)."""
    values = [
        {"source_id": source_id, **dict(zip(CITATION_COLUMNS, row, strict=True))} for row in rows
    ]
    for part in chunks(values):
        connection.execute(insert(event_sources), list(part))


def update_citation(connection: Connection, source_id: str, row: Sequence[object]) -> None:
    """Overwrite one citation's note, credibility and excerpt (a row in CITATION_COLUMNS
    order; its position is kept as given)."""
    values = dict(zip(CITATION_COLUMNS, row, strict=True))
    event_id = values.pop("event_id")
    connection.execute(
        update(event_sources)
        .where(event_sources.c.source_id == source_id, event_sources.c.event_id == event_id)
        .values(**values)
    )


def citation_grades(
    connection: Connection, event_ids: Sequence[str] | None = None
) -> list[tuple[str, str, int]]:
    """(event id, source reliability, citation credibility) of every citation (of these
    events): what the best grade of each event is worked out from."""
    query = select(
        event_sources.c.event_id, sources.c.reliability, event_sources.c.credibility
    ).join(sources, sources.c.id == event_sources.c.source_id)
    if event_ids is None:
        return driver_rows(connection, query)
    return rows_for_ids(connection, query, event_sources.c.event_id, event_ids)
