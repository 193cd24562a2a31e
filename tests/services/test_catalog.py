"""Curation use-cases on real databases (SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

from dataclasses import replace

import psycopg
import pytest
import sqlalchemy.exc

from timeline_app.domain.columns import PRECISION_CODES
from timeline_app.domain.errors import ConflictError, ValidationError
from timeline_app.domain.model import Certainty, EventDraft, EventFilter, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.store.database import open_database

TREATY = EventDraft(
    title="Treaty on comprehensive strategic partnership signed",
    start="2025-01-17",
    category="Diplomacy & treaties",
    importance=5,
    description="Signed in Moscow by the two presidents.",
    actors=("Russia", "Iran"),
    tags=("treaty",),
    sources=(
        SourceRef("Treaty text", "http://kremlin.ru/supplement/6219", "Kremlin", "2025-01-17"),
    ),
)


def test_add_then_read_back_everything(catalog):
    stored = catalog.add_event(TREATY)
    again = catalog.event(stored.id)
    assert again.title == TREATY.title and again.start == "2025-01-17"
    assert again.actors == ("Russia", "Iran") and again.tags == ("treaty",)
    assert again.sources[0].publisher == "Kremlin" and again.sources[0].id
    assert again.precision == "day" and again.version == 1
    assert catalog.count_events() == 1
    assert catalog.actor_names() == ["Iran", "Russia"]


def test_validation_names_the_field(catalog):
    with pytest.raises(ValidationError) as caught:
        catalog.add_event(replace(TREATY, category="Astrology"))
    assert caught.value.field == "category"
    with pytest.raises(ValidationError) as caught:
        catalog.add_event(replace(TREATY, start="2025-01-17", end="2024"))
    assert caught.value.field == "end"
    assert catalog.count_events() == 0


def test_edit_bumps_version_and_stale_edit_is_a_conflict(catalog, db_target):
    stored = catalog.add_event(TREATY)
    edited = catalog.update_event(stored.id, replace(TREATY, start="2025-01"), stored.version)
    assert edited.version == 2 and edited.precision == "month"
    colleague = Catalog(open_database(db_target))
    try:
        colleague.update_event(stored.id, replace(TREATY, importance=4), edited.version)
    finally:
        colleague.database.dispose()
    with pytest.raises(ConflictError, match="version 3"):
        catalog.update_event(stored.id, replace(TREATY, importance=2), edited.version)
    assert catalog.event(stored.id).importance == 4


def test_delete_and_restore_keep_ids_and_links(catalog):
    stored = catalog.add_event(TREATY)
    removed = catalog.delete_events([stored.id])
    assert catalog.count_events() == 0
    catalog.restore_events(removed)
    assert catalog.event(stored.id) == stored


def test_search_matches_words_and_prefixes(catalog):
    catalog.add_event(TREATY)
    catalog.add_event(
        replace(
            TREATY,
            title="Bushehr contract",
            category="Nuclear file",
            description="Completion of the reactor",
        )
    )
    assert len(catalog.search("strategic")) == 1
    assert len(catalog.search("react")) == 1
    assert len(catalog.search("signed moscow")) == 1
    assert catalog.search("nothing-like-this") == []
    assert catalog.search('"; DROP TABLE events; --') == []
    assert catalog.count_events() == 2


def test_filters_and_columns(catalog):
    catalog.add_event(TREATY)
    catalog.add_event(
        replace(
            TREATY,
            title="Fuel delivered",
            start="2007-12",
            category="Nuclear file",
            certainty=Certainty.REPORTED,
            actors=("Russia", "Rosatom"),
        )
    )
    rows = catalog.event_rows(EventFilter(categories=frozenset({"Nuclear file"})))
    assert [row.title for row in rows] == ["Fuel delivered"]
    assert [r.title for r in catalog.event_rows(EventFilter(actors=frozenset({"Rosatom"})))] == [
        "Fuel delivered"
    ]
    assert len(catalog.event_rows(EventFilter(min_importance=5))) == 2
    columns = catalog.event_columns()
    assert list(columns.titles) == ["Fuel delivered", TREATY.title]
    assert columns.category_names[:2] == ("Diplomacy & treaties", "Nuclear file")
    assert columns.actors[0] == ("Russia", "Rosatom")


def test_merge_categories_and_undo(catalog):
    moved = catalog.add_event(replace(TREATY, category="Energy"))
    result = catalog.merge_categories("Energy", "Nuclear file")
    assert catalog.event(moved.id).category == "Nuclear file"
    assert "Energy" not in catalog.category_names()
    catalog.unmerge_categories(result)
    assert catalog.event(moved.id).category == "Energy"
    assert catalog.category_names() == ["Diplomacy & treaties", "Nuclear file", "Energy"]


def test_category_delete_needs_a_destination_when_used(catalog):
    catalog.add_event(replace(TREATY, category="Energy"))
    with pytest.raises(ValidationError, match="still has 1 events"):
        catalog.delete_category("Energy")
    catalog.delete_category("Nuclear file")
    catalog.delete_category("Energy", move_to="Diplomacy & treaties")
    assert catalog.category_names() == ["Diplomacy & treaties"]


def test_rename_recolour_reorder(catalog):
    catalog.update_category("Energy", new_name="Oil & gas", colour="#112233")
    with pytest.raises(ValidationError, match="already exists"):
        catalog.update_category("Oil & gas", new_name="Nuclear file")
    with pytest.raises(ValidationError):
        catalog.update_category("Oil & gas", colour="red")
    catalog.reorder_categories(["Oil & gas"])
    names = catalog.category_names()
    assert names[0] == "Oil & gas"
    assert catalog.categories()[0].colour == "#112233"


def test_event_columns_match_the_rows_under_every_filter(catalog):
    catalog.add_event(TREATY)
    catalog.add_event(
        EventDraft(
            title="Fuel delivered to Bushehr",
            start="2007-12",
            end="2008-01",
            category="Nuclear file",
            importance=4,
            certainty=Certainty.ALLEGED,
            actors=("Rosatom",),
            tags=("fuel",),
        )
    )
    catalog.add_event(EventDraft(title="Gas talks", start="2001~", category="Energy", importance=2))
    filters = [
        None,
        EventFilter(categories=frozenset({"Nuclear file", "Energy"})),
        EventFilter(actors=frozenset({"Rosatom"})),
        EventFilter(tags=frozenset({"treaty", "fuel"})),
        EventFilter(certainties=frozenset({Certainty.ALLEGED})),
        EventFilter(text="bushehr"),
        EventFilter(min_importance=3),
        EventFilter(lower=978_307_200.0, upper=1_230_768_000.0),  # 2001 to 2009
    ]
    for where in filters:
        columns = catalog.event_columns(where)
        rows = catalog.event_rows(where)
        assert sorted(columns.ids.tolist()) == sorted(row.id for row in rows), where
    columns = catalog.event_columns()
    assert columns.titles.tolist() == ["Gas talks", "Fuel delivered to Bushehr", TREATY.title]
    codes = PRECISION_CODES
    assert columns.precision.tolist() == [codes["year"], codes["month"], codes["day"]]
    assert columns.certainty.tolist() == [0, 2, 0]  # confirmed, alleged, confirmed
    assert columns.is_span.tolist() == [False, True, False]
    assert columns.importance.tolist() == [2, 4, 5]
    assert [columns.category_names[i] for i in columns.category] == [
        "Energy",
        "Nuclear file",
        "Diplomacy & treaties",
    ]
    assert columns.ids.dtype == object and columns.start.flags["C_CONTIGUOUS"]
    empty = catalog.event_columns(EventFilter(text="nothing-matches-this"))
    assert len(empty) == 0 and empty.titles.dtype == object


def test_records_read_by_scan_equal_records_read_by_id_lists(catalog, monkeypatch):
    """Exports read every link table in one scan; small reads use IN-lists: same records."""
    from timeline_app.store import queries

    for index in range(12):
        catalog.add_event(
            replace(
                TREATY,
                title=f"Meeting {index}",
                start=f"2010-01-{index + 1:02d}",
                actors=("Iran", "Russia", f"Envoy {index % 3}")[: 1 + index % 3],
                tags=(f"round {index % 2}",) if index % 4 else (),
                sources=TREATY.sources if index % 2 else (),
            )
        )
    by_lists = catalog.events()
    monkeypatch.setattr(queries, "LARGE_BATCH", 3)
    by_scan = catalog.events()
    assert by_scan == by_lists
    some = [record.id for record in by_lists[::3]]
    assert catalog.events(some) == [record for record in by_lists if record.id in some]
    assert any(record.sources for record in by_scan) and any(record.tags for record in by_scan)


def test_bulk_rows_are_written_whole_or_not_at_all(catalog):
    """Large batches take the fast path (COPY on PostgreSQL); a bad row undoes the batch."""
    from timeline_app.store import queries

    count = queries.COPY_THRESHOLD + 500
    names = [(f"Actor {index}", "") for index in range(count)]
    with catalog.engine.begin() as connection:
        queries.insert_tuples(connection, queries.actors, ("name", "kind"), names)
    assert len(catalog.actor_names()) == count
    broken = [(f"Other {index}", "") for index in range(count)] + [("Actor 7", "")]  # not unique
    refusals = (sqlalchemy.exc.IntegrityError, psycopg.errors.UniqueViolation)
    with pytest.raises(refusals), catalog.engine.begin() as connection:
        queries.insert_tuples(connection, queries.actors, ("name", "kind"), broken)
    assert len(catalog.actor_names()) == count
