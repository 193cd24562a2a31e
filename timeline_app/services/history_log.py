"""Building the change records every write leaves behind (who, when, what, before → after).

Writers describe a record as a plain dict of its fields (`*_fields` below); an entry keeps
the fields that differ, and the whole record as it stood after the change (before it, for a
deletion) so any earlier version can be restored.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping

from timeline_app.domain.evidence import HistoryAction, HistoryEntity, HistoryEntry
from timeline_app.domain.model import EventRecord
from timeline_app.store import evidence_queries
from timeline_app.store.queries import Connection, now_text


def default_author() -> str:
    """The OS user's name: who a change is recorded as unless the preferences say."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no passwd entry, no USER variable
        return os.environ.get("USERNAME", "") or "unknown"


def event_fields(record: EventRecord) -> dict[str, object]:
    """The fields of an event a user edits, as JSON-ready values (what history compares)."""
    return {
        "title": record.title,
        "start": record.start,
        "end": record.end,
        "category": record.category,
        "importance": record.importance,
        "certainty": str(record.certainty),
        "description": record.description,
        "location": record.location,
        "actors": list(record.actors),
        "tags": list(record.tags),
        "sources": [
            {
                "id": ref.id,
                "title": ref.title,
                "url": ref.url,
                "publisher": ref.publisher,
                "published": ref.published,
                "kind": ref.kind,
                "language": ref.language,
                "reliability": ref.reliability,
                "note": ref.note,
                "credibility": ref.credibility,
                "excerpt": ref.excerpt,
            }
            for ref in record.sources
        ],
    }


def change_entry(
    entity: HistoryEntity,
    entity_id: str,
    before: Mapping[str, object] | None,
    after: Mapping[str, object] | None,
    author: str,
    at: str | None = None,
) -> HistoryEntry | None:
    """The entry for a record going from `before` to `after` (None: it did not exist / no
    longer exists); None when nothing changed."""
    if before is None and after is None:
        return None
    if before is None:
        action = HistoryAction.CREATE
        changes = {name: (None, value) for name, value in after.items()}  # type: ignore[union-attr]
    elif after is None:
        action = HistoryAction.DELETE
        changes = {name: (value, None) for name, value in before.items()}
    else:
        action = HistoryAction.UPDATE
        changes = {
            name: (before.get(name), value)
            for name, value in after.items()
            if before.get(name) != value
        }
        if not changes:
            return None
    return HistoryEntry(
        entity=entity,
        entity_id=entity_id,
        action=action,
        author=author,
        at=at or now_text(),
        changes=changes,
        snapshot=dict(after if after is not None else before),  # type: ignore[arg-type]
    )


def record_changes(
    connection: Connection,
    entity: HistoryEntity,
    changes: Mapping[str, tuple[Mapping[str, object] | None, Mapping[str, object] | None]],
    author: str,
) -> None:
    """Record, in the writer's transaction, each record id → (before, after) that changed."""
    stamp = now_text()
    entries = [
        entry
        for entity_id, (before, after) in changes.items()
        if (entry := change_entry(entity, entity_id, before, after, author, stamp)) is not None
    ]
    evidence_queries.record_history(connection, entries)
