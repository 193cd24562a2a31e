"""Notes on events, an event's history, restoring an earlier version and taking changes
back from the history."""

from __future__ import annotations

from dataclasses import replace

import pytest

from timeline_app.domain.errors import ConflictError, NotFoundError, ValidationError
from timeline_app.domain.evidence import HistoryAction, HistoryEntity
from timeline_app.domain.model import EventDraft
from timeline_app.services import history, notes
from timeline_app.services.catalog import EventsChange
from timeline_app.store import evidence_queries

DRAFT = EventDraft("S-300 contract", "2007-12", category="Diplomacy & treaties", tags=("arms",))


def test_a_note_is_added_edited_and_deleted_with_its_author_and_history(catalog):
    catalog.author = "anna"
    event_id = catalog.add_event(DRAFT).id
    note = notes.add_note(catalog, event_id, "  Contract value disputed: $800m or $1bn.  ")
    assert (note.author, note.text) == ("anna", "Contract value disputed: $800m or $1bn.")
    assert note.created_at
    assert notes.notes_of(catalog, event_id) == [note]
    with catalog.engine.connect() as connection:
        assert evidence_queries.notes_of(connection, [event_id]) == [note]  # stored for search

    before, after = notes.edit_note(catalog, note.id, "Contract value: $800m.")
    assert before == note and after.text == "Contract value: $800m."
    assert after.created_at == note.created_at
    removed = notes.delete_note(catalog, note.id)
    assert notes.notes_of(catalog, event_id) == []
    notes.restore_note(catalog, removed)
    assert notes.notes_of(catalog, event_id) == [after]

    with catalog.engine.connect() as connection:
        entries = evidence_queries.history_of(connection, HistoryEntity.NOTE, note.id)
    assert [entry.action for entry in entries] == [
        HistoryAction.CREATE,
        HistoryAction.UPDATE,
        HistoryAction.DELETE,
        HistoryAction.CREATE,
    ]
    assert entries[1].changes == {
        "text": ("Contract value disputed: $800m or $1bn.", "Contract value: $800m.")
    }
    assert {entry.author for entry in entries} == {"anna"}


def test_a_note_must_have_text_within_the_limit_and_an_event(catalog):
    event_id = catalog.add_event(DRAFT).id
    with pytest.raises(ValidationError, match=r"note.*must not be empty"):
        notes.add_note(catalog, event_id, "   ")
    with pytest.raises(ValidationError, match="limit is 10000"):
        notes.add_note(catalog, event_id, "x" * 10_001)
    with pytest.raises(NotFoundError, match="event nowhere does not exist"):
        notes.add_note(catalog, "nowhere", "text")
    with pytest.raises(NotFoundError, match="note gone does not exist"):
        notes.edit_note(catalog, "gone", "text")


def test_event_history_is_newest_first_and_an_old_version_is_restored_as_an_edit(catalog):
    record = catalog.add_event(DRAFT)
    catalog.author = "boris"
    edited = catalog.update_event(
        record.id, replace(DRAFT, title="S-300 deal", importance=5), record.version
    )
    entries = history.event_history(catalog, record.id)
    assert [entry.action for entry in entries] == [HistoryAction.UPDATE, HistoryAction.CREATE]

    restored = history.restore_version(catalog, entries[1], edited.version)
    assert (restored.title, restored.importance) == ("S-300 contract", 3)
    assert restored.version == edited.version + 1
    newest = history.event_history(catalog, record.id)[0]
    assert newest.changes == {"title": ("S-300 deal", "S-300 contract"), "importance": (5, 3)}
    assert newest.author == "boris"

    with pytest.raises(ConflictError):  # the version the user saw moved on
        history.restore_version(catalog, entries[0], edited.version)


def test_restoring_a_deleted_event_recreates_it_with_its_id(catalog):
    record = catalog.add_event(DRAFT)
    catalog.delete_events([record.id])
    deletion = history.event_history(catalog, record.id)[0]
    restored = history.restore_version(catalog, deletion, None)
    assert restored.id == record.id and restored.title == "S-300 contract"
    assert restored.tags == ("arms",)


def test_walking_back_takes_back_one_write_at_a_time_and_redo_applies_it_again(catalog):
    record = catalog.add_event(DRAFT)
    edited = catalog.update_event(record.id, replace(DRAFT, title="S-300 deal"), record.version)
    start = history.last_entry_id(catalog)

    step = history.walk_back_step(catalog, start)
    assert step is not None and step.describe() == "edit of event “S-300 deal”"
    history.take_back(catalog, step)
    assert catalog.event(record.id).title == "S-300 contract"
    history.do_again(catalog, step)
    assert catalog.event(record.id).title == "S-300 deal"
    history.take_back(catalog, step)

    earlier = history.walk_back_step(catalog, step.first_id - 1)
    assert earlier is not None and earlier.last.action is HistoryAction.CREATE
    history.take_back(catalog, earlier)
    with pytest.raises(NotFoundError):
        catalog.event(record.id)
    history.do_again(catalog, earlier)
    assert catalog.event(record.id).title == "S-300 contract"
    assert edited.id == record.id


def test_walking_back_a_deletion_and_a_bulk_edit_takes_them_back_whole(catalog):
    ids = [catalog.add_event(replace(DRAFT, title=f"Event {n}")).id for n in range(3)]
    catalog.edit_events(EventsChange(importance=5, add_tags=("S-300",)), catalog.events(ids))
    catalog.delete_events(ids[:2])

    deletion = history.walk_back_step(catalog, None)
    assert deletion is not None and deletion.count == 2
    assert deletion.describe() == "deletion of 2 events"
    history.take_back(catalog, deletion)
    assert {record.title for record in catalog.events(ids)} == {"Event 0", "Event 1", "Event 2"}

    bulk = history.walk_back_step(catalog, deletion.first_id - 1)
    assert bulk is not None and bulk.count == 3
    history.take_back(catalog, bulk)
    assert {(record.importance, record.tags) for record in catalog.events(ids)} == {(3, ("arms",))}


def test_walking_back_refuses_a_record_changed_since(catalog):
    record = catalog.add_event(DRAFT)
    edited = catalog.update_event(record.id, replace(DRAFT, title="S-300 deal"), record.version)
    step = history.walk_back_step(catalog, None)
    assert step is not None
    catalog.update_event(record.id, replace(DRAFT, title="Someone else's title"), edited.version)
    with pytest.raises(history.StaleHistoryError, match="was changed since"):
        history.take_back(catalog, step)
    assert catalog.event(record.id).title == "Someone else's title"


def test_walking_back_a_note(catalog):
    event_id = catalog.add_event(DRAFT).id
    note = notes.add_note(catalog, event_id, "First draft")
    notes.edit_note(catalog, note.id, "Second draft")
    step = history.walk_back_step(catalog, None)
    assert step is not None and step.entity is HistoryEntity.NOTE
    assert history.take_back(catalog, step) == [event_id]
    assert [item.text for item in notes.notes_of(catalog, event_id)] == ["First draft"]
    history.do_again(catalog, step)
    assert [item.text for item in notes.notes_of(catalog, event_id)] == ["Second draft"]


def test_deleting_an_event_records_its_notes_going_and_its_undo_brings_them_back(catalog):
    record = catalog.add_event(DRAFT)
    note = notes.add_note(catalog, record.id, "Signed in Moscow")
    records = catalog.delete_events([record.id])
    with catalog.engine.connect() as connection:
        entries = evidence_queries.history_of(connection, HistoryEntity.NOTE, note.id)
    assert entries[-1].action is HistoryAction.DELETE
    catalog.restore_events(records)
    assert notes.notes_of(catalog, record.id) == [note]


def test_walking_back_an_event_deletion_of_an_earlier_session_brings_its_notes_back(catalog):
    from timeline_app.services.catalog import Catalog

    record = catalog.add_event(DRAFT)
    note = notes.add_note(catalog, record.id, "Signed in Moscow")
    catalog.delete_events([record.id])
    reopened = Catalog(catalog.database)  # nothing kept from the session that deleted it
    deletion = history.walk_back_step(reopened, None)
    assert deletion is not None and deletion.entity is HistoryEntity.EVENT
    history.take_back(reopened, deletion)
    notes_gone = history.walk_back_step(reopened, deletion.first_id - 1)
    assert notes_gone is not None and notes_gone.entity is HistoryEntity.NOTE
    history.take_back(reopened, notes_gone)
    assert notes.notes_of(reopened, record.id) == [note]


def test_a_run_of_a_thousand_entries_is_one_step_found_without_reading_them(catalog):
    from timeline_app.domain.evidence import HistoryEntry
    from timeline_app.store.evidence_queries import record_history

    entry = HistoryEntry(
        HistoryEntity.EVENT, "", HistoryAction.CREATE, "anna", "2026-11-30T10:00:00+00:00"
    )
    with catalog.engine.begin() as connection:
        record_history(connection, [replace(entry, entity_id=f"e{n}") for n in range(1000)])
        record_history(connection, [replace(entry, entity_id="x", author="boris")])
    last = history.walk_back_step(catalog, None)
    assert last is not None and last.count == 1
    run = history.walk_back_step(catalog, last.first_id - 1)
    assert run is not None and run.count == 1000
    assert run.describe() == "adding of 1,000 events"


def test_a_restored_version_keeps_its_sources_grades(catalog):
    from timeline_app.domain.model import SourceRef

    graded = SourceRef(
        "Contract signed",
        "https://tass.ru/1",
        "TASS",
        kind="wire",
        reliability="B",
        credibility=2,
        excerpt="signed on Monday",
    )
    record = catalog.add_event(replace(DRAFT, sources=(graded,)))
    edited = catalog.update_event(record.id, replace(DRAFT, title="Other"), record.version)
    first = history.event_history(catalog, record.id)[-1]
    restored = history.restore_version(catalog, first, edited.version)
    (source,) = restored.sources
    assert (source.kind, source.reliability, source.credibility, source.excerpt) == (
        "wire",
        "B",
        2,
        "signed on Monday",
    )


def test_walking_back_an_eras_edit_and_adding(catalog):
    era = catalog.add_era("Sanctions years", "2006", "2015", "#334455", "UN")
    catalog.update_era(era.id, name="UN sanctions", colour="#112233")
    step = history.walk_back_step(catalog, None)
    assert step is not None and step.describe() == "edit of era “UN sanctions”"
    assert history.take_back(catalog, step) == []
    assert (catalog.era(era.id).name, catalog.era(era.id).colour) == ("Sanctions years", "#334455")
    adding = history.walk_back_step(catalog, step.first_id - 1)
    assert adding is not None
    history.take_back(catalog, adding)
    assert catalog.eras() == []
    history.do_again(catalog, adding)
    history.do_again(catalog, step)
    assert catalog.era(era.id).name == "UN sanctions"


def test_walking_back_a_write_of_several_events_titles_edits_each(catalog):
    records = [catalog.add_event(replace(DRAFT, title=f"Event {n}")) for n in range(2)]
    catalog.replace_events([replace(record, title=f"{record.title}!") for record in records])
    step = history.walk_back_step(catalog, None)
    assert step is not None and step.describe() == "edit of 2 events"
    history.take_back(catalog, step)
    assert sorted(record.title for record in catalog.events()) == ["Event 0", "Event 1"]
    history.do_again(catalog, step)
    assert sorted(record.title for record in catalog.events()) == ["Event 0!", "Event 1!"]
