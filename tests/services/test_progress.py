"""Long import and export work reports how far it got, and a `Cancelled` raised from its
progress callback stops it with nothing written: the database, or the target file, stays as
it was."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from timeline_app.domain.errors import Cancelled
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import (
    apply_import,
    export_file,
    export_text,
    import_file,
    plan_import,
    read_file,
    undo_import,
)

ROWS = 3_000
"""More than the bulk path's thresholds (full-text trigger, indexes set aside)."""

EVENT = EventDraft(
    title="Bushehr completion contract signed",
    start="1995-01-08",
    category="Nuclear file",
    importance=5,
    actors=("Russia", "Iran"),
    tags=("Bushehr",),
    sources=(SourceRef("Iran nuclear chronology", "https://www.nti.org/", "NTI", "2011", "p. 3"),),
)


def write_csv(path: Path, rows: int = ROWS, *, changed_title: str = "") -> Path:
    """`rows` events; the first one has the id of a stored event, with `changed_title`."""
    lines = ["id,title,start,category,actors,sources"]
    for index in range(rows):
        lines.append(
            f"event-{index},Event {index}{changed_title if index == 0 else ''},"
            f"{1990 + index % 30}-0{1 + index % 9},Energy,Russia; Iran,"
            f"Wire: Report {index % 50} <https://example.org/{index % 50}>"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def state(catalog: Catalog) -> tuple:
    """Everything a user can see of the database, with each event's version and stamps."""
    versions = [(r.id, r.version, r.created_at, r.updated_at) for r in catalog.events()]
    return export_text(catalog, "json"), versions


def sqlite_schema(location: str) -> list[tuple]:
    """Tables, indexes and triggers of a SQLite file: a bulk write sets some aside."""
    with sqlite3.connect(location) as connection:
        return connection.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()


class Recorder:
    """A progress callback that keeps every call and raises `Cancelled` once `done` reaches
    `stop_at(total)`."""

    def __init__(self, stop_at=None) -> None:
        self.calls: list[tuple[int, int]] = []
        self.stop_at = stop_at

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))
        if self.stop_at is not None and total and done >= self.stop_at(total):
            raise Cancelled("the import")

    def check_counts(self) -> None:
        dones = [done for done, _ in self.calls]
        assert dones == sorted(dones), "done went back"
        assert self.calls[-1][0] == self.calls[-1][1]
        assert all(done <= total for done, total in self.calls if total)


def stored(catalog: Catalog) -> None:
    catalog.add_event(EVENT, event_id="event-0")
    catalog.add_event(replace(EVENT, title="Fuel delivered", start="2007-12"))
    catalog.add_era("JCPOA in force", "2016-01-16", "2025-10-18", "#E69F00", "Context")


@pytest.mark.parametrize("where", ["half-way", "at the last step"])
def test_a_cancelled_import_leaves_the_database_as_it_was(catalog, db_target, tmp_path, where):
    stored(catalog)
    path = write_csv(tmp_path / "events.csv", changed_title=" (revised)")
    before = state(catalog)
    schema = sqlite_schema(db_target) if db_target.endswith(".sqlite") else None
    stop_at = (lambda total: total / 2) if where == "half-way" else (lambda total: total)
    cancel = Recorder(stop_at)
    with pytest.raises(Cancelled):
        import_file(catalog, path, progress=cancel)
    assert len(cancel.calls) > 3  # it did report along the way
    assert state(catalog) == before
    if schema is not None:
        assert sqlite_schema(db_target) == schema
    import_file(catalog, path)  # the lock and the indexes are free again
    assert catalog.count_events() == ROWS + 1


def test_import_reports_non_decreasing_counts_that_end_at_the_total(catalog, tmp_path):
    path = write_csv(tmp_path / "events.csv")
    watch = Recorder()
    result = import_file(catalog, path, progress=watch)
    watch.check_counts()
    assert len(result.added_ids) == ROWS
    assert 3 < len(watch.calls) < ROWS / 100  # now and then, not per row


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_each_stage_counts_up_to_its_total(catalog, tmp_path, suffix):
    csv_path = write_csv(tmp_path / "events.csv")
    path = csv_path
    if suffix == "json":
        import_file(catalog, csv_path)
        path = tmp_path / "events.json"
        path.write_text(export_text(catalog, "json"), encoding="utf-8")
    reading = Recorder()
    document = read_file(path, progress=reading)
    reading.check_counts()
    planning = Recorder()
    plan_import(catalog, document, progress=planning)
    planning.check_counts()
    assert planning.calls[-1] == (ROWS, ROWS)
    writing = Recorder()
    apply_import(catalog, document, progress=writing)
    writing.check_counts()


def test_a_cancelled_plan_raises_cancelled(catalog, tmp_path):
    document = read_file(write_csv(tmp_path / "events.csv"))
    with pytest.raises(Cancelled):
        plan_import(catalog, document, progress=Recorder(lambda total: total / 2))


def test_a_cancelled_reading_raises_cancelled(tmp_path):
    cancel = Recorder(lambda total: total / 2)
    with pytest.raises(Cancelled):
        read_file(write_csv(tmp_path / "events.csv"), progress=cancel)
    assert cancel.calls[-1][0] < ROWS


def test_a_cancelled_undo_leaves_the_import_in_place(catalog, tmp_path):
    stored(catalog)
    result = import_file(catalog, write_csv(tmp_path / "events.csv", changed_title=" (revised)"))
    after_import = state(catalog)
    with pytest.raises(Cancelled):
        undo_import(catalog, result, progress=Recorder(lambda total: total / 2))
    assert state(catalog) == after_import
    watch = Recorder()
    undo_import(catalog, result, progress=watch)
    watch.check_counts()
    assert catalog.count_events() == 2
    assert catalog.event("event-0").title == EVENT.title


@pytest.mark.parametrize("where", ["half-way", "at the last step"])
def test_a_cancelled_export_leaves_the_target_as_it_was_and_no_temporary_file(
    catalog, tmp_path, where
):
    import_file(catalog, write_csv(tmp_path / "events.csv"))
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "timeline.json"
    target.write_text("the earlier export\n", encoding="utf-8")
    stop_at = (lambda total: total / 2) if where == "half-way" else (lambda total: total)
    cancel = Recorder(stop_at)
    with pytest.raises(Cancelled):
        export_file(catalog, target, progress=cancel)
    assert target.read_text(encoding="utf-8") == "the earlier export\n"
    assert sorted(p.name for p in folder.iterdir()) == ["timeline.json"]


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_export_reports_non_decreasing_counts_that_end_at_the_total(catalog, tmp_path, suffix):
    import_file(catalog, write_csv(tmp_path / "events.csv"))
    watch = Recorder()
    assert export_file(catalog, tmp_path / f"out.{suffix}", progress=watch) == ROWS
    watch.check_counts()
    assert watch.calls[-1] == (ROWS, ROWS)


def _many_events(catalog: Catalog, tmp_path: Path) -> list[str]:
    import_file(catalog, write_csv(tmp_path / "events.csv", rows=1_200))
    return [record.id for record in catalog.events()]


@pytest.mark.parametrize("where", ["half-way", "at the last step"])
def test_a_cancelled_delete_or_move_leaves_every_event_in_place(catalog, tmp_path, where):
    ids = _many_events(catalog, tmp_path)
    before = state(catalog)
    stop_at = (lambda total: total / 2) if where == "half-way" else (lambda total: total)
    for step in (
        lambda progress: catalog.delete_events(ids, progress=progress),
        lambda progress: catalog.set_category_of(ids, "Nuclear file", progress=progress),
    ):
        cancel = Recorder(stop_at)
        with pytest.raises(Cancelled):
            step(cancel)
        assert state(catalog) == before


def test_undoing_a_delete_or_a_move_reports_and_can_be_cancelled(catalog, tmp_path):
    ids = _many_events(catalog, tmp_path)
    records = catalog.delete_events(ids)
    cancel = Recorder(lambda total: total)
    with pytest.raises(Cancelled):
        catalog.restore_events(records, progress=cancel)
    assert catalog.count_events() == 0
    counting = Recorder()
    catalog.restore_events(records, progress=counting)
    counting.check_counts()
    assert catalog.count_events() == len(ids)

    previous = catalog.set_category_of(ids, "Nuclear file")
    moved = state(catalog)
    cancel = Recorder(lambda total: total)
    with pytest.raises(Cancelled):
        catalog.restore_categories_of(previous, progress=cancel)
    assert state(catalog) == moved
    counting = Recorder()
    catalog.restore_categories_of(previous, progress=counting)
    counting.check_counts()
    assert {record.category for record in catalog.events()} != {"Nuclear file"}
