"""A file changes only the fields it carries: CSV and JSON round trips of the bundled dataset
lose nothing, absent columns and keys leave stored fields alone, empty ones clear them."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from timeline_app.domain.errors import ImportFileError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.dataset import load_dataset
from timeline_app.services.interchange import (
    apply_import,
    export_text,
    import_file,
    plan_import,
    read_file,
    undo_import,
)
from timeline_app.store.database import open_database

EVENT = EventDraft(
    title="Fuel delivered",
    start="2007-12",
    end="2008-01",
    category="Nuclear file",
    importance=4,
    certainty="reported",
    description="First fuel for Bushehr.",
    location="Bushehr",
    actors=("Russia", "Iran"),
    tags=("Bushehr",),
    sources=(SourceRef("Chronology", "https://www.nti.org/", "NTI", "2011", "p. 3"),),
)


@pytest.fixture
def dataset_catalog(db_target):
    catalog = Catalog(open_database(db_target))
    assert load_dataset(catalog).loaded
    yield catalog
    catalog.database.dispose()


def test_bundled_dataset_csv_export_reimported_changes_nothing(dataset_catalog, tmp_path):
    """The bug: 195 of 220 events 'changed', locations and source notes lost."""
    before = export_text(dataset_catalog, "json")
    path = tmp_path / "dataset.csv"
    path.write_text(export_text(dataset_catalog, "csv"), encoding="utf-8")
    plan = plan_import(dataset_catalog, read_file(path))
    assert (len(plan.added), len(plan.changed), len(plan.unchanged)) == (0, 0, 220)
    result = import_file(dataset_catalog, path)
    assert result.changed_count == 0
    assert export_text(dataset_catalog, "json") == before


def test_bundled_dataset_csv_into_an_empty_database_exports_the_same_csv(dataset_catalog, tmp_path):
    text = export_text(dataset_catalog, "csv")
    path = tmp_path / "dataset.csv"
    path.write_text(text, encoding="utf-8")
    empty = Catalog(open_database(tmp_path / "empty.sqlite"))
    try:
        import_file(empty, path)
        assert export_text(empty, "csv") == text
        located = [record for record in empty.events() if record.location]
        noted = [ref for record in empty.events() for ref in record.sources if ref.note]
        assert len(located) > 100 and len(noted) > 100
    finally:
        empty.database.dispose()


def _stored(catalog: Catalog) -> tuple[Catalog, str]:
    record = catalog.add_event(EVENT)
    return catalog, record.id


def test_csv_without_a_column_leaves_that_field_of_stored_events_alone(catalog, tmp_path):
    catalog, event_id = _stored(catalog)
    path = tmp_path / "titles.csv"
    path.write_text(
        f"id,title,start,category\n{event_id},Fuel delivered at last,2007-12,Nuclear file\n",
        encoding="utf-8",
    )
    plan = plan_import(catalog, read_file(path))
    assert [title for _, title in plan.changed] == ["Fuel delivered at last"]
    import_file(catalog, path)
    stored = catalog.event(event_id)
    assert stored.title == "Fuel delivered at last"
    assert replace(stored.to_draft(), title=EVENT.title) == replace(
        EVENT, sources=(replace(EVENT.sources[0], id=stored.sources[0].id),)
    )


def test_csv_empty_cell_in_a_present_column_clears_the_field(catalog, tmp_path):
    catalog, event_id = _stored(catalog)
    path = tmp_path / "clear.csv"
    path.write_text(
        f"id,title,start,category,description,location,sources\n"
        f"{event_id},Fuel delivered,2007-12,Nuclear file,,,\n",
        encoding="utf-8",
    )
    import_file(catalog, path)
    stored = catalog.event(event_id)
    assert (stored.description, stored.location, stored.sources) == ("", None, ())
    assert (stored.end, stored.actors, stored.importance) == ("2008-01", ("Russia", "Iran"), 4)


def test_new_event_from_a_partial_csv_gets_the_defaults(catalog, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("title,start,category\nTreaty,2001,Energy\n", encoding="utf-8")
    import_file(catalog, path)
    (record,) = catalog.events()
    assert (record.importance, str(record.certainty), record.description, record.location) == (
        3,
        "confirmed",
        "",
        None,
    )


def test_unchanged_rows_of_a_partial_csv_plan_as_unchanged(catalog, tmp_path):
    """The dry run and `_same` use the same merge as the write."""
    catalog, event_id = _stored(catalog)
    path = tmp_path / "same.csv"
    path.write_text(
        f"id,title,start,category,tags\n{event_id},Fuel delivered,2007-12,Nuclear file,Bushehr\n",
        encoding="utf-8",
    )
    plan = plan_import(catalog, read_file(path))
    assert (len(plan.changed), len(plan.unchanged)) == (0, 1)
    version = catalog.event(event_id).version
    assert import_file(catalog, path).changed_count == 0
    assert catalog.event(event_id).version == version


def test_new_start_after_the_stored_end_is_refused_at_its_row(catalog, tmp_path):
    catalog, event_id = _stored(catalog)
    before = export_text(catalog, "json")
    path = tmp_path / "late.csv"
    path.write_text(
        f"id,title,start,category\n{event_id},Fuel delivered,2010,Nuclear file\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError, match=r"late\.csv:2: end: .* is before the start"):
        import_file(catalog, path)
    assert export_text(catalog, "json") == before


def _json_file(tmp_path, events: list[dict]) -> object:
    path = tmp_path / "events.json"
    path.write_text(
        json.dumps({"format": "timeline-app", "version": 1, "events": events}), encoding="utf-8"
    )
    return path


def test_json_event_without_a_key_leaves_that_field_alone(catalog, tmp_path):
    catalog, event_id = _stored(catalog)
    path = _json_file(
        tmp_path,
        [{"id": event_id, "title": "Fuel", "start": "2007-12", "category": "Nuclear file"}],
    )
    import_file(catalog, path)
    stored = catalog.event(event_id)
    assert stored.title == "Fuel"
    assert (stored.description, stored.location, stored.tags) == (
        EVENT.description,
        "Bushehr",
        ("Bushehr",),
    )
    assert stored.sources[0].note == "p. 3"


def test_json_null_and_empty_values_clear_fields(catalog, tmp_path):
    catalog, event_id = _stored(catalog)
    path = _json_file(
        tmp_path,
        [
            {
                "id": event_id,
                "title": "Fuel delivered",
                "start": "2007-12",
                "end": None,
                "category": "Nuclear file",
                "description": None,
                "location": "",
                "actors": [],
                "importance": None,
            }
        ],
    )
    import_file(catalog, path)
    stored = catalog.event(event_id)
    assert (stored.end, stored.description, stored.location, stored.actors) == (None, "", None, ())
    assert (stored.importance, stored.tags) == (3, ("Bushehr",))


def test_undo_of_a_partial_import_restores_the_event(catalog, tmp_path):
    catalog, event_id = _stored(catalog)
    before = export_text(catalog, "json")
    path = tmp_path / "partial.csv"
    path.write_text(
        "id,title,start,category,location\n"
        f"{event_id},Fuel delivered,2007-12,Nuclear file,Moscow\n",
        encoding="utf-8",
    )
    result = apply_import(catalog, read_file(path))
    assert catalog.event(event_id).location == "Moscow"
    undo_import(catalog, result)
    assert export_text(catalog, "json") == before
