"""The first frame's snapshot (plain sqlite3) reads what the catalog reads (SQLAlchemy).

The fast path of the start must never show other events than the normal path: each story
builds a real SQLite file, reads it both ways and compares every column; and a file the
snapshot cannot vouch for takes the normal path (None).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np

from timeline_app.domain.columns import (
    SHAPE_AFTER,
    SHAPE_BEFORE,
    SHAPE_ONE_OF,
    SHAPE_OPEN_END,
    SHAPE_UNKNOWN_END,
    shape_of,
)
from timeline_app.domain.dates import OPEN_END_UPPER
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.dataset import load_dataset
from timeline_app.store import first_frame, schema
from timeline_app.store.database import SCHEMA_HEAD, open_database
from timeline_app.store.first_frame import FirstFrame, read_first_frame

COLUMN_FIELDS = (
    "start",
    "end",
    "is_span",
    "precision",
    "category",
    "importance",
    "certainty",
    "ids",
    "titles",
    "shape",
)


def make_catalog(path: Path) -> Catalog:
    return Catalog(open_database(path))


def snapshot_of(path: Path, at_most: int = 5_000) -> FirstFrame:
    frame = read_first_frame(path, at_most=at_most)
    assert frame is not None, f"{path.name} was not read by the fast path"
    return frame


def assert_same_as_catalog(path: Path) -> FirstFrame:
    """Read `path` both ways (the catalog after the snapshot, as the app does) and compare."""
    frame = snapshot_of(path)
    catalog = make_catalog(path)
    try:
        expected = catalog.event_columns(with_actors=True)
        got = frame.columns
        for name in COLUMN_FIELDS:
            mine, theirs = getattr(got, name), getattr(expected, name)
            assert mine.dtype == theirs.dtype, name
            assert np.array_equal(mine, theirs), name
        assert got.category_names == expected.category_names
        assert got.category_colours == expected.category_colours
        assert got.actors == expected.actors
        assert frame.categories == catalog.categories()
        assert frame.actor_names == catalog.actor_names()
        assert frame.tag_names == catalog.tag_names()
        assert frame.eras == catalog.eras()
        assert frame.dates == catalog.event_dates(list(expected.ids))
    finally:
        catalog.database.dispose()
    return frame


def test_the_revision_and_marker_it_reads_are_the_schemas():
    assert first_frame.SCHEMA_REVISION == SCHEMA_HEAD, (
        "a new schema revision: check the SQL of store/first_frame.py against it, then "
        "update SCHEMA_REVISION"
    )
    assert first_frame.APP_MARKER == schema.APP_MARKER


def test_bundled_dataset_reads_the_same_both_ways(tmp_path):
    path = tmp_path / "dataset.sqlite"
    catalog = make_catalog(path)
    assert load_dataset(catalog).loaded
    catalog.database.dispose()
    frame = assert_same_as_catalog(path)
    assert len(frame.columns) > 100


def test_empty_database_reads_the_same_both_ways(tmp_path):
    path = tmp_path / "empty.sqlite"
    make_catalog(path).database.dispose()
    frame = assert_same_as_catalog(path)
    assert len(frame.columns) == 0


def test_spans_equal_starts_and_odd_categories_read_the_same_both_ways(tmp_path):
    path = tmp_path / "odd.sqlite"
    catalog = make_catalog(path)
    # Names that sort differently by code point and by case; one without events; a child;
    # sort orders that tie (then by name).
    catalog.add_category("beta", "#112233", sort_order=1)
    catalog.add_category("Beta", "#445566", sort_order=1)
    catalog.add_category("Ωmega", "#778899", sort_order=0, parent="beta")
    catalog.add_category("unused", "#AABBCC", sort_order=5)
    catalog.add_actor("Zed")
    drafts = [
        EventDraft("a point", "2001-05-06", category="beta", importance=5, actors=("Iran",)),
        EventDraft("same day B", "2001-05-06", category="Beta", certainty="alleged"),
        EventDraft("a span", "1999-03", "2002?", category="Ωmega", tags=("t2", "T1")),
        EventDraft("open-ish", "1990~", "1991-12-31", category="beta", certainty="disputed"),
        EventDraft(
            "sourced",
            "2010-01-01%",
            category="Beta",
            importance=1,
            actors=("Russia", "Iran", "Zed"),
            sources=(SourceRef("A report", "https://example.org/a"),),
        ),
    ]
    for index, draft in enumerate(drafts):
        catalog.add_event(draft, event_id=f"00000000-0000-0000-0000-00000000000{9 - index}")
    catalog.add_era("An era", "1995", "2005", "#DDEEFF", "group")
    catalog.database.dispose()
    frame = assert_same_as_catalog(path)
    assert frame.columns.titles.tolist()[:2] == ["open-ish", "a span"]
    assert frame.columns.is_span.tolist().count(True) == 2


def test_one_of_before_after_and_open_ends_read_the_same_both_ways(tmp_path):
    """Each shape of date is told by the stored texts, in both reads alike (and as
    `shape_of` tells it in Python)."""
    path = tmp_path / "shapes.sqlite"
    catalog = make_catalog(path)
    catalog.add_category("general", "#336699")
    drafts = {
        "between": EventDraft("between", "[1990..1994]", category="general"),
        "listed": EventDraft("listed", "[1667, 1668, 1670..1672]", category="general"),
        "before": EventDraft("before", "[..1990-05]", category="general"),
        "after": EventDraft("after", "[2001-03..]", category="general"),
        "ongoing": EventDraft("ongoing", "2022-02-24", "..", category="general"),
        "unknown end": EventDraft("unknown end", "2014-03/", category="general"),
        "before, ongoing": EventDraft("before, ongoing", "[..2015]", "..", category="general"),
        "exact": EventDraft("exact", "2013-03-30T11:16", category="general"),
        "span": EventDraft("span", "1995", "1997", category="general"),
    }
    for draft in drafts.values():
        catalog.add_event(draft)
    catalog.database.dispose()
    frame = assert_same_as_catalog(path)
    columns = frame.columns
    shape = dict(zip(columns.titles.tolist(), columns.shape.tolist(), strict=True))
    assert shape == {
        "between": SHAPE_ONE_OF,
        "listed": SHAPE_ONE_OF,
        "before": SHAPE_BEFORE,
        "after": SHAPE_AFTER,
        "ongoing": SHAPE_OPEN_END,
        "unknown end": SHAPE_UNKNOWN_END,
        "before, ongoing": SHAPE_BEFORE | SHAPE_OPEN_END,
        "exact": 0,
        "span": 0,
    }
    for event_id, (start, end) in frame.dates.items():
        index = columns.index_of(event_id)
        assert shape_of(start, end) == columns.shape[index], (start, end)
    assert columns.end[columns.titles == "ongoing"].tolist() == [OPEN_END_UPPER]


def test_a_database_with_more_events_than_allowed_takes_the_normal_path(tmp_path):
    path = tmp_path / "many.sqlite"
    catalog = make_catalog(path)
    catalog.add_category("general", "#336699")
    for year in range(2001, 2004):
        catalog.add_event(EventDraft(f"in {year}", str(year), category="general"))
    catalog.database.dispose()
    assert read_first_frame(path, at_most=2) is None
    assert len(snapshot_of(path, at_most=3).columns) == 3


def test_files_it_cannot_vouch_for_take_the_normal_path(tmp_path):
    missing = tmp_path / "missing.sqlite"
    empty_file = tmp_path / "empty-file.sqlite"
    empty_file.write_bytes(b"")
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("not a database")
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE events (id TEXT)")
    connection.close()
    older = tmp_path / "older.sqlite"
    shutil.copy(Path(__file__).parent / "written_by_schema_0001.sqlite", older)
    damaged = tmp_path / "damaged.sqlite"
    make_catalog(damaged).database.dispose()
    raw = damaged.read_bytes()
    damaged.write_bytes(raw[:100] + b"\xff" * (len(raw) - 100))
    for path in (missing, empty_file, text_file, foreign, older, damaged):
        assert read_first_frame(path, at_most=5_000) is None, path.name
    assert not missing.exists()


def test_a_database_of_another_program_marked_so_takes_the_normal_path(tmp_path):
    path = tmp_path / "theirs.sqlite"
    make_catalog(path).database.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = 'another-app' WHERE key = 'app'")
    connection.close()
    assert read_first_frame(path, at_most=5_000) is None


def test_a_database_this_process_may_not_write_takes_the_normal_path(tmp_path, monkeypatch):
    """The normal path refuses it or opens it read-only, and says which. (Permissions are
    simulated: tests may run as root, who writes read-only files.)"""
    path = tmp_path / "read-only.sqlite"
    make_catalog(path).database.dispose()
    assert read_first_frame(path, at_most=5_000) is not None
    monkeypatch.setattr(first_frame.os, "access", lambda where, mode: Path(where) != path)
    assert read_first_frame(path, at_most=5_000) is None


def test_a_database_another_program_is_writing_is_read_as_committed(tmp_path):
    """A -wal file beside it: read through SQLite's locks, seeing only committed rows."""
    path = tmp_path / "busy.sqlite"
    catalog = make_catalog(path)
    catalog.add_category("general", "#336699")
    catalog.add_event(EventDraft("committed", "2001", category="general"))
    with sqlite3.connect(path) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE events SET title = 'not yet'")
        assert Path(f"{path}-wal").exists()
        frame = snapshot_of(path)
        writer.rollback()
    writer.close()
    assert frame.columns.titles.tolist() == ["committed"]
    catalog.database.dispose()
