"""One read of the events for both views, at N events.

Times `event_columns` against the former reading of the same events (nine cells a row,
joined to categories, converted by numpy as records), a filter placed in the drawn columns
(`filtered_positions`) against reading the matching ids into a set and testing each drawn
id, and the table model filled from the columns and sorted. Baselines run in the same process.
Run: python tests/benchmarks/bench_one_read.py [N]   (or a SQLite file of events as N)
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
from bench_load import build
from bench_timeline import rss_mb
from PySide6 import QtWidgets
from PySide6.QtCore import Qt
from sqlalchemy import case, select

from timeline_app.domain.columns import CERTAINTY_CODES, PRECISION_CODES
from timeline_app.domain.model import EventFilter
from timeline_app.services.catalog import Catalog
from timeline_app.store import queries
from timeline_app.store.database import open_database
from timeline_app.ui.event_table import TITLE, EventTableModel

RECORD = np.dtype(
    [
        ("id", object),
        ("title", object),
        ("start", np.float64),
        ("end", np.float64),
        ("is_span", np.bool_),
        ("precision", np.int8),
        ("category_id", np.int64),
        ("importance", np.int8),
        ("certainty", np.int8),
    ]
)


def former_read(catalog: Catalog) -> np.ndarray:
    """The events as the former `event_columns` read them."""
    events, categories = queries.events, queries.categories
    query = (
        select(
            events.c.id,
            events.c.title,
            events.c.start_lo,
            events.c.end_hi,
            case((events.c.end.is_(None), 0), else_=1),
            case(PRECISION_CODES, value=events.c.precision, else_=0),
            events.c.category_id,
            events.c.importance,
            case(CERTAINTY_CODES, value=events.c.certainty, else_=0),
        )
        .join(categories, categories.c.id == events.c.category_id)
        .order_by(events.c.start_lo, events.c.id)
    )
    with catalog.engine.connect() as connection:
        return np.array(queries.driver_rows(connection, query), dtype=RECORD)


def ids_in_a_set(columns, ids: list[str]) -> np.ndarray:
    """The former way to a filter mask: the matching ids in a set, every drawn id tested."""
    wanted = set(ids)
    tested = map(wanted.__contains__, columns.ids.tolist())
    return np.fromiter(tested, dtype=np.bool_, count=len(columns))


def best(action: Callable[[], object], repeats: int = 3) -> float:
    """The fastest of a few runs: the machine is shared, the minimum is the least noisy."""
    times = []
    for _ in range(repeats):
        gc.collect()
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def run(path: Path) -> None:
    QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    catalog = Catalog(open_database(path))
    rows: list[tuple[str, float, float]] = []
    rows.append(
        (
            "read the events (event_columns)",
            best(lambda: catalog.event_columns(with_actors=False)),
            best(lambda: former_read(catalog)),
        )
    )
    columns = catalog.event_columns(with_actors=False)
    for name, where in (
        ("filter importance >= 2 to positions", EventFilter(min_importance=2)),
        ("filter by actor Iran to positions", EventFilter(actors=frozenset({"Iran"}))),
    ):
        rows.append(
            (
                name,
                best(lambda where=where: catalog.filtered_positions(columns, where)),
                best(lambda where=where: ids_in_a_set(columns, catalog.event_ids(where))),
            )
        )
    model = EventTableModel(date_texts=catalog.event_dates)
    categories = catalog.categories()
    set_events = best(lambda: model.set_events(columns, None, categories))
    by_title = best(lambda: model.sort(TITLE, Qt.SortOrder.AscendingOrder), repeats=1)
    print(f"{len(columns):,} events")
    print(f"{'case':<40}{'seconds':>9}{'baseline':>10}{'ratio':>8}")
    for name, seconds, baseline in rows:
        print(f"{name:<40}{seconds:>9.2f}{baseline:>10.2f}{baseline / seconds:>8.1f}")
    print(f"{'table: set_events, all events':<40}{set_events:>9.3f}")
    print(f"{'table: sort by title':<40}{by_title:>9.2f}")
    print(f"RSS holding the columns and the table model: {rss_mb():.0f} MB")
    catalog.database.dispose()


def main() -> None:
    argument = sys.argv[1] if len(sys.argv) > 1 else "1000000"
    if not argument.isdigit():
        run(Path(argument))
        return
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "events.sqlite"
        build(path, int(argument))
        run(path)


if __name__ == "__main__":
    main()
