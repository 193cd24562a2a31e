"""Editing several events at once: one transaction, an exact undo, no silent overwrite."""

from __future__ import annotations

import pytest

from timeline_app.domain.errors import ConflictError, ValidationError
from timeline_app.domain.model import Certainty, EventDraft
from timeline_app.services.catalog import Catalog, EventsChange
from timeline_app.store.database import open_database


def _three(catalog) -> list[str]:
    drafts = [
        EventDraft(
            "Bushehr contract",
            "1995-01-08",
            category="Nuclear file",
            importance=4,
            actors=("Russia", "Iran"),
            tags=("nuclear", "energy"),
        ),
        EventDraft(
            "Caspian summit", "2007-10-16", category="Diplomacy & treaties", tags=("Caspian",)
        ),
        EventDraft(
            "Gas swap talks",
            "2022-07",
            category="Energy",
            certainty=Certainty.REPORTED,
            importance=2,
            actors=("Gazprom",),
        ),
    ]
    return [catalog.add_event(draft).id for draft in drafts]


def test_one_edit_sets_fields_and_links_of_every_event_and_undo_restores_them(catalog) -> None:
    ids = _three(catalog)
    seen = catalog.events(ids)
    steps: list[tuple[int, int]] = []
    edit = catalog.edit_events(
        EventsChange(
            category="Energy",
            certainty="alleged",
            importance=5,
            add_tags=("sanctions",),
            remove_tags=("energy",),
            add_actors=("Rosatom",),
            remove_actors=("Iran",),
        ),
        seen,
        progress=lambda done, total: steps.append((done, total)),
    )
    after = {record.id: record for record in catalog.events(ids)}
    assert {record.category for record in after.values()} == {"Energy"}
    assert {record.importance for record in after.values()} == {5}
    assert {record.certainty for record in after.values()} == {Certainty.ALLEGED}
    assert after[ids[0]].tags == ("nuclear", "sanctions")
    assert after[ids[1]].tags == ("Caspian", "sanctions")
    assert after[ids[0]].actors == ("Russia", "Rosatom")
    assert after[ids[2]].actors == ("Gazprom", "Rosatom")
    assert all(after[event_id].version == seen[i].version + 1 for i, event_id in enumerate(ids))
    assert steps[0][0] == 0 and steps[-1][0] == steps[-1][1]

    catalog.rewrite_events(edit.after, edit.before)
    restored = {record.id: record for record in catalog.events(ids)}
    for record in seen:
        back = restored[record.id]
        assert back.to_draft() == record.to_draft()
        assert back.updated_at == record.updated_at


def test_an_event_already_as_wanted_is_left_alone(catalog) -> None:
    ids = _three(catalog)
    before = {record.id: record for record in catalog.events(ids)}
    catalog.add_tag_to(ids, "Caspian")
    after = {record.id: record for record in catalog.events(ids)}
    assert after[ids[1]].version == before[ids[1]].version  # it had the tag already
    assert after[ids[0]].tags == ("nuclear", "energy", "Caspian")


def test_single_field_helpers_undo_exactly(catalog) -> None:
    ids = _three(catalog)
    seen = catalog.events(ids)
    edits = [
        catalog.set_importance_of(ids, 1),
        catalog.set_certainty_of(ids, Certainty.DISPUTED),
        catalog.remove_tag_from(ids, "nuclear"),
        catalog.add_actor_to(ids, "Iran"),
        catalog.remove_actor_from(ids, "Russia"),
    ]
    assert {record.importance for record in catalog.events(ids)} == {1}
    assert [record.actors for record in catalog.events(ids)] == [
        ("Iran",),
        ("Iran",),
        ("Gazprom", "Iran"),
    ]
    for edit in reversed(edits):
        catalog.rewrite_events(edit.after, edit.before)
    assert [record.to_draft() for record in catalog.events(ids)] == [
        record.to_draft() for record in seen
    ]


def test_an_event_changed_elsewhere_is_reported_not_overwritten(catalog, db_target) -> None:
    ids = _three(catalog)
    seen = catalog.events(ids)
    colleague = Catalog(open_database(db_target))
    try:
        other = colleague.event(ids[1])
        colleague.update_event(ids[1], _retitled(other), other.version)
    finally:
        colleague.database.dispose()
    with pytest.raises(ConflictError, match=ids[1]):
        catalog.edit_events(EventsChange(importance=1), seen)
    # nothing was written: not even the events nobody else touched
    assert [record.importance for record in catalog.events(ids)] == [4, 3, 2]


def test_undo_refuses_when_an_event_changed_since(catalog) -> None:
    ids = _three(catalog)
    edit = catalog.set_importance_of(ids, 1)
    other = catalog.event(ids[0])
    catalog.update_event(ids[0], _retitled(other), other.version)
    with pytest.raises(ConflictError):
        catalog.rewrite_events(edit.after, edit.before)
    assert {record.importance for record in catalog.events(ids)} == {1}


def test_bad_values_are_refused_before_anything_is_written(catalog) -> None:
    ids = _three(catalog)
    seen = catalog.events(ids)
    with pytest.raises(ValidationError, match="importance"):
        catalog.edit_events(EventsChange(importance=9), seen)
    with pytest.raises(ValidationError, match="both added and removed"):
        catalog.edit_events(EventsChange(add_tags=("x",), remove_tags=("x",)), seen)
    with pytest.raises(ValidationError, match="category"):
        catalog.edit_events(EventsChange(category="Nowhere"), seen)
    assert [record.to_draft() for record in catalog.events(ids)] == [
        record.to_draft() for record in seen
    ]


def _retitled(record) -> EventDraft:
    from dataclasses import replace

    return replace(record.to_draft(), title=record.title + " (revised)")
