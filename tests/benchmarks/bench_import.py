"""Import 100,000 CSV rows: the bulk path against one ORM object per row, same machine, same run.

Run: python tests/benchmarks/bench_import.py [ROWS]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy.orm import Session

from timeline_app.domain.dates import parse_span
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import import_file, read_file
from timeline_app.store.database import open_database
from timeline_app.store.schema import Event

CATEGORIES = [f"Category {i}" for i in range(12)]


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


def bulk(path: Path, folder: Path) -> float:
    catalog = Catalog(open_database(folder / "bulk.sqlite"))
    began = time.perf_counter()
    result = import_file(catalog, path)
    elapsed = time.perf_counter() - began
    assert catalog.count_events() == len(result.added_ids)
    catalog.database.dispose()
    return elapsed


def orm_per_row(path: Path, folder: Path) -> float:
    """The naive path: parse every row, then one ORM object and one flush per event."""
    database = open_database(folder / "orm.sqlite")
    catalog = Catalog(database)
    for name in CATEGORIES:
        catalog.add_category(name)
    ids = {c.name: c.id for c in catalog.categories()}
    began = time.perf_counter()
    document = read_file(path)
    with Session(database.engine) as session, session.begin():
        for item in document.events:
            span = parse_span(item.draft.start, item.draft.end)
            session.add(
                Event(
                    id=item.id,
                    title=item.draft.title,
                    description=item.draft.description,
                    start=item.draft.start,
                    end=None,
                    start_lo=span.lower,
                    start_hi=span.start.upper,
                    end_lo=None,
                    end_hi=span.upper,
                    precision=span.precision.value,
                    category_id=ids[item.draft.category],
                    importance=item.draft.importance,
                    certainty=str(item.draft.certainty),
                    location=None,
                    created_at="",
                    updated_at="",
                    version=1,
                )
            )
            session.flush()
    elapsed = time.perf_counter() - began
    database.dispose()
    return elapsed


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "events.csv"
        write_csv(path, rows)
        fast = bulk(path, folder)
        slow = orm_per_row(path, folder)
    print(f"{'case':<40}{'seconds':>10}")
    print(f"{'bulk import (validate all, links)':<40}{fast:>10.2f}")
    print(f"{'baseline: one ORM object per row':<40}{slow:>10.2f}")
    print(f"rows: {rows}; the baseline writes no actors, tags or sources; ratio {slow / fast:.1f}x")


if __name__ == "__main__":
    main()
