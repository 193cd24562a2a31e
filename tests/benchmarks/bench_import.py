"""Import 100,000 CSV rows: the bulk path against one ORM object per row, same machine, same run.

Both write the same database content: events (with their full-text index), actor links,
sources and source links. The baseline is what a straightforward ORM importer does: it
reads the file with the same validating reader, then for each row adds an `Event`, its
link objects and any new `Source`, flushing row by row so links follow their event.

The bulk path runs RUNS times, each into a new database, and the fastest run is shown with
its two parts: reading and checking the file, then planning and writing it in one transaction
(other processes on the machine only ever slow a run down).

Run: python tests/benchmarks/bench_import.py [ROWS] [RUNS]
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
import uuid
from contextlib import closing
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from timeline_app.domain.dates import parse_span
from timeline_app.services.bulk import collector_paused
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import read_file
from timeline_app.services.interchange.document import apply_import
from timeline_app.store.database import open_database
from timeline_app.store.orm import Actor, Base, Event, EventSource, Source
from timeline_app.store.schema import event_actors

CATEGORIES = [f"Category {i}" for i in range(12)]
TARGET_SECONDS = 2.5
"""The goal for 100,000 CSV rows, read, checked and written (on a quiet machine)."""


class EventActorLink:
    """`event_actors` as an ORM class, for the baseline only (the app writes links in bulk)."""

    def __init__(self, event_id: str, actor_id: int, position: int) -> None:
        self.event_id = event_id
        self.actor_id = actor_id
        self.position = position


Base.registry.map_imperatively(EventActorLink, event_actors)


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(7)
    lines = ["id,title,start,end,category,importance,certainty,actors,tags,sources,description"]
    for i in range(rows):
        year = rng.randint(1991, 2025)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        start = rng.choice([f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"])
        lines.append(
            f"{uuid.UUID(int=i)},Event number {i},{start},,{rng.choice(CATEGORIES)},"
            f"{rng.randint(1, 5)},confirmed,Russia; Iran,,"
            f"Wire: Report {i} <https://example.org/{i}>,Synthetic event {i}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stored_counts(database_path: Path) -> dict[str, int]:
    """Rows per table, to show that both paths wrote the same content."""
    with closing(sqlite3.connect(database_path)) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in (
                "events",
                "events_fts",
                "actors",
                "event_actors",
                "sources",
                "event_sources",
            )
        }


def bulk(path: Path, database_path: Path) -> tuple[float, float]:
    """What `import_file` does, timed in its two parts: (read and check, plan and write)."""
    catalog = Catalog(open_database(database_path))
    with collector_paused():
        began = time.perf_counter()
        document = read_file(path)
        read = time.perf_counter() - began
        result = apply_import(catalog, document)
        written = time.perf_counter() - began - read
        del document
    assert catalog.count_events() == len(result.added_ids)
    catalog.database.dispose()
    return read, written


def orm_per_row(path: Path, folder: Path) -> float:
    """The naive path: validate the file, then ORM objects for each row, flushed row by row."""
    database = open_database(folder / "orm.sqlite")
    catalog = Catalog(database)
    for name in CATEGORIES:
        catalog.add_category(name)
    ids = {c.name: c.id for c in catalog.categories()}
    began = time.perf_counter()
    document = read_file(path)
    with Session(database.engine) as session, session.begin():
        actors: dict[str, Actor] = {}
        for item in document.events:
            draft = item.draft
            span = parse_span(draft.start, draft.end)
            session.add(
                Event(
                    id=item.id,
                    title=draft.title,
                    description=draft.description,
                    start=draft.start,
                    end=draft.end,
                    start_lo=span.start.lower,
                    start_hi=span.start.upper,
                    end_lo=span.end.lower if span.end is not None else None,
                    end_hi=span.upper,
                    precision=span.precision.value,
                    category_id=ids[draft.category],
                    importance=draft.importance,
                    certainty=str(draft.certainty),
                    location=draft.location,
                    created_at="",
                    updated_at="",
                    version=1,
                )
            )
            session.flush()  # the links below refer to the event
            for position, name in enumerate(draft.actors):
                actor = actors.get(name)
                if actor is None:
                    actor = session.scalars(select(Actor).where(Actor.name == name)).first()
                    if actor is None:
                        actor = Actor(name=name, kind="")
                        session.add(actor)
                        session.flush()
                    actors[name] = actor
                session.add(EventActorLink(item.id, actor.id, position))
            for position, ref in enumerate(draft.sources):
                if session.get(Source, ref.id) is None:
                    session.add(
                        Source(
                            id=ref.id,
                            title=ref.title,
                            url=ref.url,
                            publisher=ref.publisher,
                            published=ref.published,
                        )
                    )
                session.add(
                    EventSource(
                        event_id=item.id, source_id=ref.id, position=position, note=ref.note
                    )
                )
            session.flush()
    elapsed = time.perf_counter() - began
    database.dispose()
    return elapsed


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "events.csv"
        write_csv(path, rows)
        read, write = min(
            (bulk(path, folder / f"bulk{run}.sqlite") for run in range(runs)), key=sum
        )
        fast = read + write
        slow = orm_per_row(path, folder)
        written = stored_counts(folder / "bulk0.sqlite")
        if written != stored_counts(folder / "orm.sqlite"):
            raise SystemExit(f"the two paths stored different content: {written}")
    print(f"{'case':<44}{'seconds':>10}{'target':>10}")
    print(
        f"{'bulk import (validate all, links), best of ' + str(runs):<44}{fast:>10.2f}"
        f"{'<= ' + str(TARGET_SECONDS):>10}"
    )
    print(f"{'  of which: read and check the file':<44}{read:>10.2f}")
    print(f"{'  of which: plan and write, one transaction':<44}{write:>10.2f}")
    print(f"{'baseline: one ORM object per row':<44}{slow:>10.2f}")
    print(f"rows: {rows}; both stored the same rows: {written}")
    verdict = "within" if fast <= TARGET_SECONDS * rows / 100_000 else "over"
    print(
        f"ratio {slow / fast:.1f}x; {rows:,} CSV rows in {fast:.2f} s, {verdict} the target of "
        f"{TARGET_SECONDS} s per 100,000 rows (a quiet machine; compare the ratio on a busy one)"
    )


if __name__ == "__main__":
    main()
