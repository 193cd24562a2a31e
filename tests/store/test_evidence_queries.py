"""The evidence tables round-trip through their store functions on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from timeline_app.domain.evidence import (
    EventLink,
    EventNote,
    HistoryAction,
    HistoryEntity,
    HistoryEntry,
    LinkKind,
)
from timeline_app.domain.model import EventDraft
from timeline_app.store import evidence_queries as store


def two_events(catalog) -> tuple[str, str]:
    first = catalog.add_event(EventDraft("S-300 contract", "2007-12", category="Nuclear file"))
    second = catalog.add_event(EventDraft("S-300 suspended", "2010-09-22", category="Nuclear file"))
    return first.id, second.id


def test_links_notes_aliases_and_history_read_back(catalog):
    first, second = two_events(catalog)
    catalog.add_actor("Russia", "state")
    with catalog.engine.begin() as connection:
        store.insert_links(
            connection,
            [EventLink("l1", first, second, LinkKind.LED_TO, "contract suspended", "2026-11-30")],
        )
        store.insert_notes(
            connection, [EventNote("n1", first, "analyst", "2026-11-30T10:00:00Z", "Check date")]
        )
        actor_id = connection.exec_driver_sql(
            "SELECT id FROM actors WHERE name = 'Russia'"
        ).scalar()
        store.set_actor_aliases(connection, actor_id, ["Россия", "روسیه", "Россия", " "])
        store.record_history(
            connection,
            [
                HistoryEntry(
                    HistoryEntity.EVENT,
                    first,
                    HistoryAction.UPDATE,
                    "analyst",
                    "2026-11-30T10:00:01Z",
                    {"title": ("S-300", "S-300 contract")},
                    {"title": "S-300 contract", "importance": 3},
                )
            ],
        )
    with catalog.engine.connect() as connection:
        assert [link.note for link in store.links_of(connection, [second])] == [
            "contract suspended"
        ]
        assert store.all_links(connection)[0].kind is LinkKind.LED_TO
        assert [note.text for note in store.notes_of(connection, [first])] == ["Check date"]
        assert store.aliases_by_actor(connection) == {"Russia": ("Россия", "روسیه")}
        assert store.actors_named(connection, "روسیه") == ["Russia"]
        # The catalog recorded the event's creation first; the entry written here is last.
        entry = store.history_of(connection, HistoryEntity.EVENT, first)[-1]
        assert entry.author == "analyst"
        assert entry.changes == {"title": ("S-300", "S-300 contract")}
        assert entry.snapshot == {"title": "S-300 contract", "importance": 3}
        assert store.last_history_entry(connection) == entry
        recorded = store.all_history(connection)
    catalog.delete_events([first])
    with catalog.engine.connect() as connection:
        assert store.all_links(connection) == [] and store.notes_of(connection) == []
        assert store.all_history(connection)[: len(recorded)] == recorded  # it outlives them


def test_a_link_to_itself_or_of_an_unknown_kind_is_refused(catalog):
    first, second = two_events(catalog)
    for bad in (
        EventLink("l1", first, first, LinkKind.LED_TO),
        EventLink("l2", first, second, "caused"),  # type: ignore[arg-type]
    ):
        with pytest.raises(IntegrityError), catalog.engine.begin() as connection:
            store.insert_links(connection, [bad])
