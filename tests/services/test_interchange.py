"""Import and export: lossless JSON, CSV, validate-all-then-write, undo."""

from __future__ import annotations

import gc
import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_app.domain.errors import ImportFileError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
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
    title="Bushehr completion contract signed",
    start="1995-01-08",
    category="Nuclear file",
    importance=5,
    description="Russia agrees to finish the plant.",
    actors=("Russia", "Iran"),
    tags=("Bushehr",),
    sources=(SourceRef("Iran nuclear chronology", "https://www.nti.org/", "NTI", "2011", "p. 3"),),
)


def fill(catalog: Catalog) -> None:
    catalog.add_event(EVENT)
    catalog.add_event(
        replace(
            EVENT,
            title="Fuel delivered",
            start="2007-12?",
            end="2008-01",
            importance=4,
            certainty="reported",
            tags=(),
            location="Bushehr",
        )
    )
    catalog.add_era("JCPOA in force", "2016-01-16", "2025-10-18", "#E69F00", "Context")


def test_json_round_trip_is_identical(catalog, tmp_path):
    fill(catalog)
    first = export_text(catalog, "json")
    path = tmp_path / "out.json"
    path.write_text(first, encoding="utf-8")
    empty = Catalog(open_database(tmp_path / "empty.sqlite"))
    try:
        result = import_file(empty, path)
        assert len(result.added_ids) == 2
        assert export_text(empty, "json") == first
        again = import_file(empty, path)
        assert again.added_ids == () and again.replaced == ()
        assert export_text(empty, "json") == first
    finally:
        empty.database.dispose()


def test_csv_round_trip_and_new_categories(catalog, tmp_path):
    fill(catalog)
    text = export_text(catalog, "csv")
    assert text.splitlines()[0] == (
        "id,title,start,end,category,importance,certainty,location,actors,tags,sources,description,"
        "notes"
    )
    path = tmp_path / "out.csv"
    path.write_text(text, encoding="utf-8")
    empty = Catalog(open_database(tmp_path / "empty.sqlite"))
    try:
        import_file(empty, path)
        assert export_text(empty, "csv") == text
        assert empty.category_names() == ["Nuclear file"]
        record = empty.events()[0]
        assert record.sources[0].publisher == "NTI" and record.sources[0].published == "2011"
    finally:
        empty.database.dispose()


def test_changed_event_is_replaced_and_undo_restores(catalog, tmp_path):
    fill(catalog)
    data = json.loads(export_text(catalog, "json"))
    data["events"][0]["title"] = "Bushehr contract (corrected)"
    data["events"].append({**data["events"][1], "id": "new-1", "title": "A new one"})
    path = tmp_path / "edit.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = export_text(catalog, "json")
    document = read_file(path)
    plan = plan_import(catalog, document)
    assert [t for _, t in plan.added] == ["A new one"]
    assert [t for _, t in plan.changed] == ["Bushehr contract (corrected)"]
    result = apply_import(catalog, document)
    assert catalog.count_events() == 3
    undo_import(catalog, result)
    assert export_text(catalog, "json") == before


BAD_FILES = {
    "truncated.json": (b'{"format": "timeline-app", "version": 1, "events": [', "json"),
    "empty.json": (b"", "is empty"),
    "utf16.json": ('{"format": "timeline-app"}'.encode("utf-16"), "UTF-16"),
    "wrong-format.json": (b'{"format": "other", "version": 1}', "format"),
    "future.json": (b'{"format": "timeline-app", "version": 9}', "version"),
    "wrong-type.json": (
        b'{"format": "timeline-app", "version": 1, "events": {"a": 1}}',
        "events: must be a list",
    ),
    "bad-date.json": (
        b'{"format": "timeline-app", "version": 1, "categories": [{"name": "C"}], "events": ['
        b'{"id": "a", "title": "ok", "start": "2001", "category": "C"},'
        b'{"id": "b", "title": "bad", "start": "2001-13-01", "category": "C"}]}',
        ":2: start:",
    ),
    "duplicate-id.json": (
        b'{"format": "timeline-app", "version": 1, "categories": [{"name": "C"}], "events": ['
        b'{"id": "a", "title": "one", "start": "2001", "category": "C"},'
        b'{"id": "a", "title": "two", "start": "2002", "category": "C"}]}',
        ":2: id:",
    ),
    "unknown-field.json": (
        b'{"format": "timeline-app", "version": 1, "events": ['
        b'{"id": "a", "title": "one", "start": "2001", "category": "C", "colour": 1}]}',
        "colour: is not a field",
    ),
    "unknown-category.json": (
        b'{"format": "timeline-app", "version": 1, "events": ['
        b'{"id": "a", "title": "one", "start": "2001", "category": "Nowhere"}]}',
        ":1: category:",
    ),
    "huge-title.json": (
        b'{"format": "timeline-app", "version": 1, "categories": [{"name": "C"}], "events": ['
        b'{"id": "a", "title": "' + b"x" * 100_000 + b'", "start": "2001", "category": "C"}]}',
        "title: is 100000 characters",
    ),
    # a CSV in other columns is read through the proposed mapping: one without a date fails
    "no-date-column.csv": (b"id,title,category,colour\n1,a,C,red\n", "no column gives the date"),
    "bad-row.csv": (
        b"title,start,category\nfine,2001,C\nbroken,2001-02-30,C\n",
        ":3: start: '2001-02-30'",
    ),
    "bad-importance.csv": (b"title,start,category,importance\nx,2001,C,high\n", ":2: importance:"),
    "short-row.csv": (b"title,start,category\nx,2001\n", ":2: row:"),
    "long-row.csv": (b"title,start,category\nx,2001,C\n\ny,2002,C,extra\n", ":4: row: has 4"),
    "blank-title.csv": (b"title,start,category\n ,2001,C\n", ":2: title: must not be empty"),
    "bad-url.csv": (
        b"title,start,category,sources\nx,2001,C,Title <ftp://x.org/a>\n",
        ":2: sources[0].url:",
    ),
    "binary.csv": (b"title,start\x00,category\n", "NUL"),
    "latin1.csv": ("title,start,category\ncaf\xe9,2001,C\n".encode("latin-1"), "UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_are_refused_and_nothing_is_written(catalog, tmp_path, name):
    fill(catalog)
    before = export_text(catalog, "json")
    content, words = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        import_file(catalog, path)
    assert str(path) in str(caught.value)
    assert words in str(caught.value)
    assert export_text(catalog, "json") == before


def test_utf8_byte_order_mark_is_accepted(catalog, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufefftitle,start,category\nTreaty,2001-03-12,Energy\n".encode())
    import_file(catalog, path)
    assert catalog.events()[0].title == "Treaty"


def test_blank_csv_lines_are_skipped(catalog, tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_bytes(b"title,start,category\n\nTreaty,2001,Energy\n,,\n , , \nPact,2002,Energy\n")
    document = read_file(path)
    assert [(item.draft.title, item.row) for item in document.events] == [
        ("Treaty", 3),
        ("Pact", 6),
    ]


def test_reading_a_file_leaves_the_cycle_collector_as_it_was(tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(b"title,start,category\nTreaty,2001,Energy\n")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"title,start,category\nTreaty,2001-13,Energy\n")
    assert gc.isenabled()
    read_file(good)
    assert gc.isenabled()
    with pytest.raises(ImportFileError):
        read_file(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        read_file(good)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_bulk_import_is_one_transaction(catalog, tmp_path):
    lines = ["title,start,category"] + [
        f"event {i},2001-01-{1 + i % 28:02d},Energy" for i in range(2000)
    ]
    lines.append("last,not-a-date,Energy")
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=":2002: start:"):
        import_file(catalog, path)
    assert catalog.count_events() == 0
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    assert len(import_file(catalog, path).added_ids) == 2000
    assert catalog.count_events() == 2000
    assert len(catalog.search("event 1999")) == 1  # the bulk path indexed the new rows
    catalog.add_event(EventDraft(title="Afterwards", start="2002", category="Energy"))
    assert len(catalog.search("afterwards")) == 1  # and single inserts are indexed again


text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s.strip())
dates = st.dates().map(lambda d: d.isoformat()) | st.integers(1000, 2999).map(str)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    titles=st.lists(text_values, min_size=1, max_size=5, unique=True),
    start=dates,
    description=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=100
    ).map(str.strip),
    actor=text_values,
)
def test_json_round_trip_property(tmp_path_factory, titles, start, description, actor):
    folder = tmp_path_factory.mktemp("rt")
    source = Catalog(open_database(folder / "a.sqlite"))
    target = Catalog(open_database(folder / "b.sqlite"))
    try:
        source.add_category("C")
        for title in titles:
            source.add_event(
                EventDraft(
                    title=title, start=start, category="C", description=description, actors=(actor,)
                )
            )
        text = export_text(source, "json")
        path = folder / "x.json"
        path.write_text(text, encoding="utf-8")
        import_file(target, path)
        assert export_text(target, "json") == text
    finally:
        source.database.dispose()
        target.database.dispose()


def _index_sql(catalog: Catalog) -> list[tuple[str, str]]:
    with catalog.engine.connect() as connection:
        return connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        ).all()


def _many_rows_file(tmp_path, count: int):
    lines = ["title,start,category,actors,sources"] + [
        f"event {i},2001-01-{1 + i % 28:02d},Energy,Russia; Iran,Wire: Report {i} <https://x.org/{i}>"
        for i in range(count)
    ]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_large_import_rebuilds_the_indexes_it_set_aside(tmp_path):
    catalog = Catalog(open_database(tmp_path / "big.sqlite"))
    before = _index_sql(catalog)
    import_file(catalog, _many_rows_file(tmp_path, 3000))
    assert _index_sql(catalog) == before
    assert len(catalog.events()) == 3000 and catalog.events()[0].actors == ("Russia", "Iran")
    with catalog.engine.connect() as connection:
        plan = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM events WHERE start_lo > 0"
        ).all()
    assert "ix_events_start_lo" in str(plan)
    catalog.database.dispose()


def test_failed_large_import_leaves_indexes_and_rows_as_they_were(tmp_path, monkeypatch):
    from timeline_app.store import queries

    catalog = Catalog(open_database(tmp_path / "big.sqlite"))
    before = _index_sql(catalog)

    def refuse(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(queries, "write_links", refuse)
    with pytest.raises(ImportFileError, match="database: disk full"):
        import_file(catalog, _many_rows_file(tmp_path, 3000))
    assert catalog.count_events() == 0
    assert _index_sql(catalog) == before
    catalog.database.dispose()
