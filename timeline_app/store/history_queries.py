"""Reads that restoring and walking back the history need: one note, one change record,
the change before a given one. Each runs in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import Connection, select

from timeline_app.domain.evidence import EventNote, HistoryEntry
from timeline_app.store.evidence_queries import (
    HISTORY_COLUMNS,
    history_entries_of_rows,
    history_entry_of_row,
)
from timeline_app.store.schema import event_notes, history


def note(connection: Connection, note_id: str) -> EventNote | None:
    row = connection.execute(
        select(
            event_notes.c.id,
            event_notes.c.event_id,
            event_notes.c.author,
            event_notes.c.created_at,
            event_notes.c.text,
        ).where(event_notes.c.id == note_id)
    ).first()
    return None if row is None else EventNote(*row)


def history_entry(connection: Connection, entry_id: int) -> HistoryEntry | None:
    row = connection.execute(select(*HISTORY_COLUMNS).where(history.c.id == entry_id)).first()
    return None if row is None else history_entry_of_row(row)


def last_entry_up_to(connection: Connection, entry_id: int | None) -> HistoryEntry | None:
    """The most recent change numbered `entry_id` or lower (the most recent of all when
    None): where walking back the history goes next."""
    query = select(*HISTORY_COLUMNS).order_by(history.c.id.desc()).limit(1)
    if entry_id is not None:
        query = query.where(history.c.id <= entry_id)
    row = connection.execute(query).first()
    return None if row is None else history_entry_of_row(row)


def entry_key(connection: Connection, entry_id: int) -> tuple[str, str, str, str] | None:
    """(entity, action, author, at) of one change: what tells the entries of one write."""
    row = connection.execute(
        select(history.c.entity, history.c.action, history.c.author, history.c.at).where(
            history.c.id == entry_id
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2], row[3])


def entity_ids_between(
    connection: Connection, first_id: int, last_id: int
) -> list[tuple[int, str]]:
    """(number, record id) of the changes numbered `first_id` to `last_id`, newest first."""
    query = (
        select(history.c.id, history.c.entity_id)
        .where(history.c.id >= first_id, history.c.id <= last_id)
        .order_by(history.c.id.desc())
    )
    return [(row[0], row[1]) for row in connection.execute(query)]


def entries_between(connection: Connection, first_id: int, last_id: int) -> list[HistoryEntry]:
    """The changes numbered `first_id` to `last_id`, newest first."""
    query = (
        select(*HISTORY_COLUMNS)
        .where(history.c.id >= first_id, history.c.id <= last_id)
        .order_by(history.c.id.desc())
    )
    return history_entries_of_rows(connection.execute(query))


def last_entry_id(connection: Connection) -> int | None:
    """The number of the most recent change (None: nothing recorded yet)."""
    return connection.execute(select(history.c.id).order_by(history.c.id.desc()).limit(1)).scalar()
