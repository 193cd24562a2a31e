"""Actors renamed, given kinds and aliases, merged and deleted, each undone exactly, with
versions raised and history recorded (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from timeline_app.domain.errors import ValidationError
from timeline_app.domain.evidence import HistoryAction, HistoryEntity
from timeline_app.domain.model import EventDraft
from timeline_app.services import actors as service
from timeline_app.store import actor_queries, evidence_queries

BASE = EventDraft(title="Event", start="2020-01-01", category="Energy")


def _add(catalog, title: str, actors: tuple[str, ...]) -> str:
    return catalog.add_event(replace(BASE, title=title, actors=actors)).id


def _actors_by_title(catalog) -> dict[str, tuple[str, ...]]:
    return {record.title: record.actors for record in catalog.events()}


def _links(catalog) -> dict[str, list[tuple[str, int]]]:
    """Every actor's exact link rows (event id, position), by actor name."""
    with catalog.engine.connect() as connection:
        return {
            name: actor_queries.actor_links(connection, actor_id)
            for actor_id, name, _kind, _n in actor_queries.actor_uses(connection)
        }


def _history(catalog, actor_id: int):
    with catalog.engine.connect() as connection:
        return evidence_queries.history_of(connection, HistoryEntity.ACTOR, str(actor_id))


@pytest.fixture
def cast(catalog):
    _add(catalog, "Russian only", ("Россия",))
    _add(catalog, "both, duplicate first", ("Россия", "Iran", "Russia"))
    _add(catalog, "both, kept first", ("Russia", "Россия"))
    _add(catalog, "Iran only", ("Iran",))
    catalog.add_actor("Rosatom", "company")
    return catalog


def test_actor_uses_list_kind_aliases_and_counts(cast):
    service.set_actor_aliases(cast, "Iran", ["Иран", " ایران ", "Иран", ""])
    uses = {use.name: use for use in service.actor_uses(cast)}
    assert [use.name for use in service.actor_uses(cast)] == ["Iran", "Rosatom", "Russia", "Россия"]
    assert uses["Iran"].aliases == ("Иран", "ایران")  # trimmed, blank and repeat dropped
    assert (uses["Iran"].event_count, uses["Россия"].event_count, uses["Rosatom"].event_count) == (
        2,
        3,
        0,
    )
    assert uses["Rosatom"].kind == "company"


def test_rename_bumps_citing_events_records_history_and_refuses_a_name_in_use(cast):
    versions = {record.title: record.version for record in cast.events()}
    ids = service.rename_actor(cast, "Iran", "Islamic Republic of Iran")
    assert len(ids) == 2
    after = {record.title: record for record in cast.events()}
    assert after["both, duplicate first"].actors == ("Россия", "Islamic Republic of Iran", "Russia")
    assert after["Iran only"].version == versions["Iran only"] + 1
    assert after["Russian only"].version == versions["Russian only"]
    use = service.actor_use(cast, "Islamic Republic of Iran")
    entry = _history(cast, use.id)[-1]
    assert entry.action == HistoryAction.UPDATE
    assert entry.changes == {"name": ("Iran", "Islamic Republic of Iran")}
    assert entry.author == cast.author

    with pytest.raises(ValidationError, match="an actor named “Russia” already exists; merge"):
        service.rename_actor(cast, "Россия", "russia")
    service.set_actor_aliases(cast, "Russia", ["Russian Federation"])
    with pytest.raises(ValidationError, match="“Russian Federation” is an alias of “Russia”"):
        service.rename_actor(cast, "Россия", "Russian Federation")


def test_aliases_take_any_script_and_may_not_be_another_actors_name(cast):
    before = service.set_actor_aliases(cast, "Russia", ["Россия Федерация", "روسیه"])
    assert before == ()
    assert service.actor_use(cast, "Russia").aliases == ("Россия Федерация", "روسیه")
    with pytest.raises(
        ValidationError, match="“iran” is the name of another actor; merge “Russia” and “Iran”"
    ):
        service.set_actor_aliases(cast, "Russia", ["روسیه", "iran"])
    assert service.actor_use(cast, "Russia").aliases == ("Россия Федерация", "روسیه")
    # the actor's own name is not an alias of itself
    service.set_actor_aliases(cast, "Russia", ["RUSSIA", "روسیه"])
    assert service.actor_use(cast, "Russia").aliases == ("روسیه",)


def test_set_kind_returns_the_old_kind(cast):
    assert service.set_actor_kind(cast, "Russia", " state ") == ""
    assert service.actor_use(cast, "Russia").kind == "state"
    assert service.set_actor_kind(cast, "Russia", "") == "state"


def test_merge_collapses_duplicates_keeps_positions_and_unmerge_restores_exactly(cast):
    service.set_actor_aliases(cast, "Россия", ["RF"])
    service.set_actor_aliases(cast, "Russia", ["Russian Federation"])
    service.set_actor_kind(cast, "Россия", "state")
    links_before = _links(cast)
    records_before = {record.title: record for record in cast.events()}
    duplicate_id = service.actor_use(cast, "Россия").id

    merge = service.merge_actors(cast, "Россия", "Russia")
    after = _actors_by_title(cast)
    assert after["Russian only"] == ("Russia",)
    assert after["both, duplicate first"] == ("Russia", "Iran")  # the earlier position kept
    assert after["both, kept first"] == ("Russia",)
    assert after["Iran only"] == ("Iran",)
    kept = service.actor_use(cast, "Russia")
    assert kept.aliases == ("RF", "Russian Federation", "Россия")
    assert kept.event_count == 3
    assert "Россия" not in cast.actor_names()
    versions = {record.title: record.version for record in cast.events()}
    assert versions["Iran only"] == records_before["Iran only"].version
    assert versions["Russian only"] == records_before["Russian only"].version + 1
    assert _history(cast, duplicate_id)[-1].action == HistoryAction.DELETE

    service.unmerge_actors(cast, merge)
    assert _links(cast) == links_before
    restored = {record.title: record for record in cast.events()}
    assert {t: r.actors for t, r in restored.items()} == {
        t: r.actors for t, r in records_before.items()
    }
    duplicate = service.actor_use(cast, "Россия")
    assert (duplicate.id, duplicate.kind, duplicate.aliases) == (duplicate_id, "state", ("RF",))
    assert service.actor_use(cast, "Russia").aliases == ("Russian Federation",)
    assert _history(cast, duplicate_id)[-1].action == HistoryAction.CREATE


def test_merge_into_itself_is_refused(cast):
    with pytest.raises(ValidationError, match="into itself"):
        service.merge_actors(cast, "Iran", "Iran")


def test_only_an_unused_actor_is_deleted_and_restored_with_its_aliases(cast):
    with pytest.raises(ValidationError, match="2 events cite “Iran”: merge it"):
        service.delete_unused_actor(cast, "Iran")
    service.set_actor_aliases(cast, "Rosatom", ["Росатом"])
    gone = service.delete_unused_actor(cast, "Rosatom")
    assert "Rosatom" not in cast.actor_names()
    service.restore_actor(cast, gone)
    assert service.actor_use(cast, "Rosatom") == gone
