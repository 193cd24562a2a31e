"""Every write of the catalog leaves its change in the history: who, which fields, old and
new values, and the whole record, in the same transaction."""

from __future__ import annotations

from dataclasses import replace

import pytest

from timeline_app.domain.evidence import HistoryAction, HistoryEntity, HistoryEntry
from timeline_app.domain.model import Certainty, EventDraft
from timeline_app.services.catalog import Catalog, EventsChange
from timeline_app.store import evidence_queries


def _history(catalog, entity: HistoryEntity | None = None) -> list[HistoryEntry]:
    with catalog.engine.connect() as connection:
        entries = evidence_queries.all_history(connection)
    return [entry for entry in entries if entity is None or entry.entity is entity]


def _new_entries(catalog, before: int) -> list[HistoryEntry]:
    return _history(catalog)[before:]


DRAFT = EventDraft(
    "Bushehr contract",
    "1995-01-08",
    category="Nuclear file",
    importance=4,
    actors=("Russia", "Iran"),
    tags=("nuclear",),
)


def test_adding_editing_and_deleting_an_event_record_each_change_as_the_author(catalog):
    catalog.author = "anna"
    record = catalog.add_event(DRAFT)
    created = _history(catalog, HistoryEntity.EVENT)
    assert [(entry.action, entry.entity_id, entry.author) for entry in created] == [
        (HistoryAction.CREATE, record.id, "anna")
    ]
    assert created[0].changes["title"] == (None, "Bushehr contract")
    assert created[0].snapshot["actors"] == ["Russia", "Iran"]

    catalog.author = "boris"
    edited = catalog.update_event(
        record.id, replace(DRAFT, title="Bushehr deal", certainty="reported"), record.version
    )
    update = _history(catalog, HistoryEntity.EVENT)[-1]
    assert (update.action, update.author) == (HistoryAction.UPDATE, "boris")
    assert update.changes == {
        "title": ("Bushehr contract", "Bushehr deal"),
        "certainty": ("confirmed", "reported"),
    }
    assert update.snapshot["title"] == "Bushehr deal"

    catalog.delete_events([edited.id])
    deletion = _history(catalog, HistoryEntity.EVENT)[-1]
    assert deletion.action is HistoryAction.DELETE
    assert deletion.snapshot["title"] == "Bushehr deal"  # as it stood before the deletion
    assert deletion.changes["title"] == ("Bushehr deal", None)

    catalog.restore_events([edited])
    restored = _history(catalog, HistoryEntity.EVENT)[-1]
    assert (restored.action, restored.entity_id) == (HistoryAction.CREATE, edited.id)


def test_a_refused_edit_records_nothing(catalog):
    record = catalog.add_event(DRAFT)
    count = len(_history(catalog))
    with pytest.raises(Exception, match="version"):
        catalog.update_event(record.id, replace(DRAFT, title="Later"), record.version + 5)
    assert len(_history(catalog)) == count


def test_saving_an_unchanged_event_records_no_change_of_fields(catalog):
    record = catalog.add_event(DRAFT)
    count = len(_history(catalog))
    catalog.update_event(record.id, DRAFT, record.version)
    assert len(_history(catalog)) == count


def test_duplicate_records_the_copy_as_created(catalog):
    record = catalog.add_event(DRAFT)
    copy = catalog.duplicate_event(record.id)
    last = _history(catalog, HistoryEntity.EVENT)[-1]
    assert (last.action, last.entity_id) == (HistoryAction.CREATE, copy.id)
    assert last.snapshot["title"] == "Bushehr contract (copy)"


def test_bulk_edit_records_one_entry_per_changed_event_and_its_undo_records_back(catalog):
    ids = [catalog.add_event(replace(DRAFT, title=f"Event {n}")).id for n in range(3)]
    before = len(_history(catalog))
    edit = catalog.edit_events(
        EventsChange(certainty="alleged", add_tags=("sanctions",)), catalog.events(ids)
    )
    entries = _new_entries(catalog, before)
    assert sorted(entry.entity_id for entry in entries) == sorted(ids)
    assert {entry.action for entry in entries} == {HistoryAction.UPDATE}
    assert entries[0].changes == {
        "certainty": ("confirmed", "alleged"),
        "tags": (["nuclear"], ["nuclear", "sanctions"]),
    }
    catalog.rewrite_events(edit.after, edit.before)
    undone = _new_entries(catalog, before + 3)
    assert [entry.changes["certainty"] for entry in undone] == [("alleged", "confirmed")] * 3


def test_set_and_restore_categories_of_record_the_moves(catalog):
    ids = [catalog.add_event(replace(DRAFT, title=f"Event {n}")).id for n in range(2)]
    before = len(_history(catalog))
    previous = catalog.set_category_of(ids, "Energy")
    moved = _new_entries(catalog, before)
    assert [entry.changes for entry in moved] == [{"category": ("Nuclear file", "Energy")}] * 2
    catalog.restore_categories_of(previous)
    back = _new_entries(catalog, before + 2)
    assert [entry.changes for entry in back] == [{"category": ("Energy", "Nuclear file")}] * 2


def test_importance_certainty_tag_and_actor_setters_record_their_changes(catalog):
    event_id = catalog.add_event(DRAFT).id
    before = len(_history(catalog))
    catalog.set_importance_of([event_id], 1)
    catalog.set_certainty_of([event_id], Certainty.DISPUTED)
    catalog.add_tag_to([event_id], "S-300")
    catalog.remove_actor_from([event_id], "Iran")
    changes = [entry.changes for entry in _new_entries(catalog, before)]
    assert changes == [
        {"importance": (4, 1)},
        {"certainty": ("confirmed", "disputed")},
        {"tags": (["nuclear"], ["nuclear", "S-300"])},
        {"actors": (["Russia", "Iran"], ["Russia"])},
    ]


def test_category_writes_record_the_category_and_the_events_they_move(catalog):
    catalog.author = "anna"
    catalog.add_category("Arms", "#aa3311")
    added = _history(catalog, HistoryEntity.CATEGORY)[-1]
    assert added.action is HistoryAction.CREATE
    assert added.changes["name"] == (None, "Arms")
    assert added.changes["colour"] == (None, "#AA3311")
    assert added.author == "anna"

    catalog.update_category("Arms", new_name="Arms trade", description="S-300, Su-35")
    renamed = _history(catalog, HistoryEntity.CATEGORY)[-1]
    assert renamed.changes == {
        "name": ("Arms", "Arms trade"),
        "description": ("", "S-300, Su-35"),
    }
    assert renamed.entity_id == added.entity_id

    catalog.reorder_categories(["Arms trade"])
    orders = {
        entry.snapshot["name"]: entry.changes["sort_order"]
        for entry in _history(catalog, HistoryEntity.CATEGORY)[-4:]
    }
    assert orders["Arms trade"] == (3, 0)

    event_id = catalog.add_event(replace(DRAFT, category="Arms trade")).id
    before = len(_history(catalog))
    result = catalog.merge_categories("Arms trade", "Energy")
    merged = _new_entries(catalog, before)
    assert [(entry.entity, entry.action) for entry in merged] == [
        (HistoryEntity.CATEGORY, HistoryAction.DELETE),
        (HistoryEntity.EVENT, HistoryAction.UPDATE),
    ]
    assert merged[1].changes == {"category": ("Arms trade", "Energy")}
    assert merged[1].entity_id == event_id

    catalog.unmerge_categories(result)
    unmerged = _new_entries(catalog, before + 2)
    assert [(entry.entity, entry.action) for entry in unmerged] == [
        (HistoryEntity.CATEGORY, HistoryAction.CREATE),
        (HistoryEntity.EVENT, HistoryAction.UPDATE),
    ]

    catalog.set_category_of([event_id], "Energy")
    catalog.delete_category("Arms trade")
    deleted = _history(catalog, HistoryEntity.CATEGORY)[-1]
    assert (deleted.action, deleted.snapshot["name"]) == (HistoryAction.DELETE, "Arms trade")


def test_era_writes_record_old_and_new_values(catalog):
    era = catalog.add_era("Sanctions years", "2006", "2015", "#334455", "UN")
    added = _history(catalog, HistoryEntity.ERA)[-1]
    assert (added.action, added.entity_id) == (HistoryAction.CREATE, era.id)
    catalog.update_era(era.id, name="UN sanctions")
    assert _history(catalog, HistoryEntity.ERA)[-1].changes == {
        "name": ("Sanctions years", "UN sanctions")
    }
    edited = catalog.era(era.id)
    catalog.restore_era(era)
    assert _history(catalog, HistoryEntity.ERA)[-1].changes == {
        "name": ("UN sanctions", "Sanctions years")
    }
    catalog.delete_era(era.id)
    deleted = _history(catalog, HistoryEntity.ERA)[-1]
    assert deleted.action is HistoryAction.DELETE
    assert deleted.snapshot["name"] == "Sanctions years"
    assert edited.name == "UN sanctions"


def test_tag_writes_record_the_tag_and_the_events_citing_it(catalog):
    event_id = catalog.add_event(replace(DRAFT, tags=("nuclear", "arms"))).id
    catalog.rename_tag("arms", "weapons")
    renamed = _history(catalog, HistoryEntity.TAG)[-1]
    assert renamed.changes == {"name": ("arms", "weapons")}

    before = len(_history(catalog))
    result = catalog.merge_tags("weapons", "nuclear")
    merged = _new_entries(catalog, before)
    assert [(entry.entity, entry.action) for entry in merged] == [
        (HistoryEntity.TAG, HistoryAction.DELETE),
        (HistoryEntity.EVENT, HistoryAction.UPDATE),
    ]
    assert merged[1].changes == {"tags": (["nuclear", "weapons"], ["nuclear"])}
    catalog.unmerge_tags(result)
    assert _history(catalog, HistoryEntity.EVENT)[-1].changes == {
        "tags": (["nuclear"], ["nuclear", "weapons"])
    }
    removed = catalog.delete_tag("weapons")
    assert _history(catalog, HistoryEntity.TAG)[-1].action is HistoryAction.DELETE
    catalog.undelete_tag(removed)
    assert _history(catalog, HistoryEntity.TAG)[-1].action is HistoryAction.CREATE
    assert _history(catalog, HistoryEntity.EVENT)[-1].entity_id == event_id


def test_adding_an_actor_records_it(catalog):
    catalog.add_actor("Rosatom", "company")
    entry = _history(catalog, HistoryEntity.ACTOR)[-1]
    assert entry.action is HistoryAction.CREATE
    assert entry.snapshot == {"name": "Rosatom", "kind": "company"}


def test_the_author_is_the_os_user_unless_the_catalog_is_given_one(catalog):
    named = Catalog(catalog.database, author="Dr. Karimi")
    named.add_category("Arms")
    assert _history(catalog, HistoryEntity.CATEGORY)[-1].author == "Dr. Karimi"
    assert catalog.author  # the OS user's name


def test_a_bulk_edit_records_its_history_in_a_few_statements_not_one_per_event(catalog):
    """Recording the history of a bulk edit must not make it slow: the events are read
    before in one query per chunk and the entries inserted in one statement per chunk, so
    the statements do not grow with the events (timing lives in the benchmarks)."""
    from sqlalchemy import event

    from timeline_app.domain.dates import parse_span
    from timeline_app.services.catalog import event_row
    from timeline_app.store import queries

    draft = EventDraft("Event", "2001-01-01", category="Energy")
    span = parse_span(draft.start, draft.end)
    with catalog.engine.begin() as connection:
        category_id = queries.category_ids(connection)["Energy"]
        rows = [
            event_row(f"e{n:05}", replace(draft, title=f"Event {n}"), span, category_id, "2026")
            for n in range(3_000)
        ]
        queries.insert_event_rows(connection, rows)
    seen = catalog.events()
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(catalog.engine, "before_cursor_execute", count)
    try:
        catalog.edit_events(EventsChange(importance=5), seen)
    finally:
        event.remove(catalog.engine, "before_cursor_execute", count)
    assert len(_history(catalog, HistoryEntity.EVENT)) == 3_000
    assert len(statements) < 30, statements[:40]
