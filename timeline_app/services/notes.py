"""Analysts' notes on events: written, corrected and removed one at a time, each change
recorded in the history as the catalog's author.

Each function is one transaction and returns plain records, so an undo command can put
back exactly what it took away (`restore_note`).
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from timeline_app.domain.errors import NotFoundError
from timeline_app.domain.evidence import EventNote, HistoryEntity
from timeline_app.domain.rules import check_text
from timeline_app.services.catalog import Catalog, note_fields
from timeline_app.services.history_log import record_changes
from timeline_app.store import evidence_queries, history_queries, queries
from timeline_app.store.database import conflicts_reported
from timeline_app.store.queries import Connection

NOTE_MAX = 10_000
"""Longest note, in characters: a note is a paragraph or two, not a document."""


def notes_of(catalog: Catalog, event_id: str) -> list[EventNote]:
    """An event's notes, oldest first."""
    with catalog.engine.connect() as connection:
        return evidence_queries.notes_of(connection, [event_id])


def _note(connection: Connection, note_id: str) -> EventNote:
    found = history_queries.note(connection, note_id)
    if found is None:
        raise NotFoundError(f"note {note_id} does not exist")
    return found


def _log(catalog: Catalog, connection: Connection, note_id: str, before, after) -> None:
    record_changes(
        connection,
        HistoryEntity.NOTE,
        {
            note_id: (
                None if before is None else note_fields(before),
                None if after is None else note_fields(after),
            )
        },
        catalog.author,
    )


def add_note(catalog: Catalog, event_id: str, text: str) -> EventNote:
    """Write a new note on an event, as the catalog's author, dated now."""
    clean = check_text("note", text, limit=NOTE_MAX)
    with conflicts_reported("the notes"), catalog.engine.begin() as connection:
        if queries.event_version(connection, event_id) is None:
            raise NotFoundError(f"event {event_id} does not exist")
        note = EventNote(
            id=str(uuid.uuid4()),
            event_id=event_id,
            author=catalog.author,
            created_at=queries.now_text(),
            text=clean,
        )
        evidence_queries.insert_notes(connection, [note])
        _log(catalog, connection, note.id, None, note)
    return note


def edit_note(catalog: Catalog, note_id: str, text: str) -> tuple[EventNote, EventNote]:
    """Correct a note's text (its author and date stay); returns it before and after."""
    clean = check_text("note", text, limit=NOTE_MAX)
    with conflicts_reported("the notes"), catalog.engine.begin() as connection:
        before = _note(connection, note_id)
        after = replace(before, text=clean)
        if after != before:
            evidence_queries.update_note_text(connection, note_id, clean)
            _log(catalog, connection, note_id, before, after)
    return before, after


def delete_note(catalog: Catalog, note_id: str) -> EventNote:
    """Remove a note; returns it as it was, for `restore_note`."""
    with conflicts_reported("the notes"), catalog.engine.begin() as connection:
        note = _note(connection, note_id)
        evidence_queries.delete_notes_by_id(connection, [note_id])
        _log(catalog, connection, note_id, note, None)
    return note


def restore_note(catalog: Catalog, note: EventNote) -> EventNote:
    """Put a removed note back exactly as it was (its id, author and date): undo of a
    delete, redo of an add."""
    with conflicts_reported("the notes"), catalog.engine.begin() as connection:
        if queries.event_version(connection, note.event_id) is None:
            raise NotFoundError(f"event {note.event_id} does not exist")
        evidence_queries.insert_notes(connection, [note])
        _log(catalog, connection, note.id, None, note)
    return note
