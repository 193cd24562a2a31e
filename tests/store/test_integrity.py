"""Checks find damage done on purpose with raw SQL, and repairs undo what is derivable."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text

from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.dataset import load_dataset
from timeline_app.store import integrity
from timeline_app.store.database import open_database

TREATY = EventDraft(
    title="Treaty on comprehensive strategic partnership signed",
    start="2025-01-17",
    category="Diplomacy & treaties",
    description="Signed in Moscow by the two presidents.",
    actors=("Russia", "Iran"),
    tags=("treaty",),
    sources=(SourceRef("Treaty text", "http://kremlin.ru/supplement/6219", "Kremlin"),),
)
BUSHEHR = EventDraft(
    title="Bushehr contract", start="1995-01", end="1995-03~", category="Nuclear file"
)


def damage(catalog: Catalog, *statements: str) -> None:
    """Run raw SQL with foreign keys off, as a crash, a bug or another program could."""
    engine = catalog.engine
    if engine.dialect.name == "sqlite":
        connection = sqlite3.connect(engine.url.database)
        try:
            connection.execute("PRAGMA foreign_keys = OFF")
            for statement in statements:
                connection.execute(statement)
            connection.commit()
        finally:
            connection.close()
        return
    with engine.begin() as connection:
        connection.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for statement in statements:
            connection.exec_driver_sql(statement)


def findings(catalog: Catalog) -> dict[str, integrity.Finding]:
    with catalog.engine.connect() as connection:
        return {finding.check: finding for finding in integrity.check_all(connection)}


def problems(catalog: Catalog) -> dict[str, int]:
    """What is wrong, by description, with counts."""
    return {
        problem.what: problem.count
        for finding in findings(catalog).values()
        for problem in finding.problems
    }


def repair(catalog: Catalog) -> integrity.Repairs:
    with catalog.engine.begin() as connection:
        return integrity.repair_all(connection)


@pytest.fixture
def stocked(catalog: Catalog) -> tuple[Catalog, str, str]:
    treaty = catalog.add_event(TREATY)
    bushehr = catalog.add_event(BUSHEHR)
    return catalog, treaty.id, bushehr.id


def test_clean_database_passes_every_check(stocked):
    catalog, _treaty, _bushehr = stocked
    found = findings(catalog)
    assert all(finding.ok for finding in found.values())
    if catalog.database.is_sqlite:
        assert found["full-text index"].not_applicable is None
    else:
        assert "tsvector" in found["full-text index"].not_applicable
        assert found["database file"].not_applicable


def test_bundled_dataset_passes_every_check(sqlite_target):
    database = open_database(sqlite_target)
    try:
        catalog = Catalog(database)
        assert load_dataset(catalog).loaded
        assert problems(catalog) == {}
    finally:
        database.dispose()


def test_full_text_drift_is_found_and_rebuilt(sqlite_target):
    database = open_database(sqlite_target)
    try:
        catalog = Catalog(database)
        catalog.add_category("Diplomacy & treaties")
        catalog.add_category("Nuclear file")
        treaty = catalog.add_event(TREATY)
        catalog.add_event(BUSHEHR)
        damage(
            catalog,
            "DELETE FROM events_fts WHERE rowid = "
            f"(SELECT rowid FROM events WHERE id = '{treaty.id}')",
            "UPDATE events_fts SET title = 'Moon landing' WHERE title = 'Bushehr contract'",
            "INSERT INTO events_fts (rowid, title, description) VALUES (9999, 'ghost', '')",
        )
        assert catalog.search("partnership") == []  # in the title only (the tag finds it)
        found = findings(catalog)["full-text index"]
        assert {problem.what: problem.examples for problem in found.problems} == {
            "events missing from the full-text index": (treaty.id,),
            "full-text rows of no event (rowids)": ("9999",),
            "events whose full-text row is out of date": (catalog.search("Moon")[0],),
        }
        assert repair(catalog).full_text_rows == 2
        assert problems(catalog) == {}
        assert catalog.search("Treaty") == [treaty.id]
        assert catalog.search("Moon") == catalog.search("ghost") == []
    finally:
        database.dispose()


def test_wrong_date_bounds_are_found_and_derived_again(stocked):
    catalog, treaty, bushehr = stocked
    before = {record.id: record for record in catalog.events()}
    damage(
        catalog,
        f"UPDATE events SET start_lo = start_lo + 86400, precision = 'year' WHERE id = '{treaty}'",
        f"UPDATE events SET end_lo = NULL, end_hi = 0 WHERE id = '{bushehr}'",
    )
    found = findings(catalog)["date bounds"].problems
    assert [(problem.count, set(problem.examples)) for problem in found] == [(2, {treaty, bushehr})]
    assert repair(catalog).date_bounds == 2
    assert problems(catalog) == {}
    assert {record.id: record for record in catalog.events()} == before


def test_orphaned_link_rows_are_found_and_deleted(stocked):
    catalog, treaty, _bushehr = stocked
    damage(
        catalog,
        "INSERT INTO event_actors (event_id, actor_id, position) "
        "VALUES ('no-such-event', (SELECT min(id) FROM actors), 0)",
        f"INSERT INTO event_tags (event_id, tag_id, position) VALUES ('{treaty}', 9999, 1)",
        "INSERT INTO event_sources (event_id, source_id, position, note) "
        f"VALUES ('{treaty}', 'no-such-source', 1, '')",
        "INSERT INTO event_links (id, from_id, to_id, kind, note, created_at) "
        f"VALUES ('l1', '{treaty}', 'no-such-event', 'led_to', '', 'x')",
        "INSERT INTO event_notes (id, event_id, author, created_at, text) "
        "VALUES ('n1', 'no-such-event', 'a', 'x', 'lost note')",
        "INSERT INTO actor_aliases (actor_id, alias) VALUES (9999, 'Россия')",
    )
    assert problems(catalog) == {
        "event_actors rows pointing to a missing event or actor": 1,
        "event_tags rows pointing to a missing event or tag": 1,
        "event_sources rows pointing to a missing event or source": 1,
        "event_links rows pointing to a missing event": 1,
        "event_notes rows pointing to a missing event": 1,
        "actor_aliases rows pointing to a missing actor": 1,
    }
    assert repair(catalog).link_rows == 6
    assert problems(catalog) == {}
    record = catalog.event(treaty)
    assert record.actors == ("Russia", "Iran") and record.tags == ("treaty",)
    assert len(record.sources) == 1


def test_dangling_category_parent_is_found_and_cleared(stocked):
    catalog, _treaty, _bushehr = stocked
    damage(catalog, "UPDATE categories SET parent_id = 4242 WHERE name = 'Energy'")
    energy_id = next(c.id for c in catalog.categories() if c.name == "Energy")
    problem = findings(catalog)["categories"].problems[0]
    assert (problem.count, problem.examples, problem.repairable) == (1, (str(energy_id),), True)
    assert repair(catalog).category_parents == 1
    assert problems(catalog) == {}
    with catalog.engine.connect() as connection:
        parent = connection.execute(
            text("SELECT parent_id FROM categories WHERE name = 'Energy'")
        ).scalar_one()
    assert parent is None


def test_what_cannot_be_derived_is_reported_and_left_alone(stocked):
    catalog, treaty, bushehr = stocked
    damage(
        catalog,
        f"UPDATE events SET category_id = 4242 WHERE id = '{treaty}'",
        f"UPDATE events SET start = 'spring 95' WHERE id = '{bushehr}'",
    )
    unrepairable = {
        problem.what: problem.examples
        for finding in findings(catalog).values()
        for problem in finding.problems
        if not problem.repairable
    }
    assert unrepairable == {
        "events whose category is missing; give them one in the window": (treaty,),
        "events whose dates cannot be read; correct them in the window": (bushehr,),
    }
    repair(catalog)
    assert problems(catalog) == {what: 1 for what in unrepairable}


def test_repairs_are_one_transaction(stocked, monkeypatch):
    catalog, treaty, _bushehr = stocked
    damage(
        catalog,
        f"UPDATE events SET start_lo = 0 WHERE id = '{treaty}'",
        "UPDATE categories SET parent_id = 4242 WHERE name = 'Energy'",
    )

    def fail(_connection: object) -> int:
        raise RuntimeError("power cut")

    monkeypatch.setattr(integrity, "clear_dangling_parents", fail)
    with pytest.raises(RuntimeError):
        repair(catalog)
    assert sum(problems(catalog).values()) == 2, "the bounds repaired before the failure stay wrong"


def test_damaged_file_is_reported_by_sqlite_and_nothing_else_is_run(tmp_path):
    path = tmp_path / "timeline.sqlite"
    database = open_database(path)
    catalog = Catalog(database)
    assert load_dataset(catalog).loaded
    database.dispose()
    pages = path.stat().st_size // 4096
    with path.open("r+b") as handle:
        handle.seek(pages // 2 * 4096)
        handle.write(os.urandom(4096 * 3))
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            found = integrity.check_all(connection)
    finally:
        engine.dispose()
    assert found[0].check == "database file" and not found[0].ok
    assert not found[0].problems[0].repairable
    assert [finding.not_checked for finding in found[1:]] == ["the database file is damaged"] * 5


def test_damaged_history_rows_are_named_and_skipped_by_every_reader(stocked):
    from timeline_app.domain.evidence import HistoryEntity
    from timeline_app.services import history as history_service
    from timeline_app.store import evidence_queries

    catalog, treaty, _bushehr = stocked
    catalog.update_event(treaty, replace(catalog.event(treaty).to_draft(), importance=2), 1)
    with catalog.engine.connect() as connection:
        entries = evidence_queries.history_of(connection, HistoryEntity.EVENT, treaty)
    assert len(entries) == 2
    damage(
        catalog,
        f"UPDATE history SET changes = '{{not json' WHERE id = {entries[1].id}",
        "INSERT INTO history (entity, entity_id, action, author, at, changes) "
        "VALUES ('planet', 'x', 'create', 'a', 'x', '{}')",
    )
    assert problems(catalog) == {
        "recorded changes that cannot be read (history numbers; restore a backup)": 2
    }
    assert not findings(catalog)["history"].problems[0].repairable
    with catalog.engine.connect() as connection:
        assert evidence_queries.history_of(connection, HistoryEntity.EVENT, treaty) == entries[:1]
        assert evidence_queries.last_history_entry(connection).id < entries[1].id
    assert [entry.id for entry in history_service.event_history(catalog, treaty)] == [entries[0].id]
