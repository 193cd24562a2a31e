"""From a SQLite file of N events to the first painted timeline frame.

Builds the file with the bulk insert path (synthetic events, 12 categories, two actors
each), then times: reading EventColumns as the window does for lanes by category (actors
are read only for lanes by actor), handing them to the widget, and the first paint at
1600×900. The baseline, measured in the same run, reads the same rows as ORM objects,
which is what a naive loader would do. Then the whole window: opening it on the file, one
edit reaching both views (patched), and a full reload of both views for comparison.
Run: python tests/benchmarks/bench_load.py [N]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_timeline import rss_mb, synthetic
from PySide6 import QtWidgets
from sqlalchemy import select
from sqlalchemy.orm import Session

from timeline_app.domain.dates import PRECISION_ORDER
from timeline_app.services.catalog import Catalog
from timeline_app.store import queries
from timeline_app.store.database import open_database
from timeline_app.store.schema import Event
from timeline_app.timeline.view import TimelineWidget


def build(path: Path, count: int) -> None:
    columns = synthetic(count)
    catalog = Catalog(open_database(path))
    for name in columns.category_names:
        catalog.add_category(name)
    ids = {c.name: c.id for c in catalog.categories()}
    category_ids = [ids[name] for name in columns.category_names]
    rows = [
        {
            "id": f"{i:036d}",
            "title": str(columns.titles[i]),
            "description": "",
            "start": "2000",
            "end": None,
            "start_lo": float(columns.start[i]),
            "start_hi": float(columns.start[i]) + 86_400.0,
            "end_lo": None,
            "end_hi": float(columns.end[i]),
            "precision": PRECISION_ORDER[int(columns.precision[i])].value,
            "category_id": category_ids[int(columns.category[i])],
            "importance": int(columns.importance[i]),
            "certainty": "confirmed",
            "location": None,
            "created_at": "",
            "updated_at": "",
            "version": 1,
        }
        for i in range(count)
    ]
    with catalog.engine.begin() as connection:
        queries.insert_event_rows(connection, [tuple(row.values()) for row in rows])
        queries.write_links(
            connection,
            {row["id"]: ("Russia", "Iran") for row in rows},
            {},
            {},
            clear_existing=False,
        )
    catalog.database.dispose()


def first_paint(path: Path, app: QtWidgets.QApplication) -> tuple[float, float, float]:
    began = time.perf_counter()
    catalog = Catalog(open_database(path))
    columns = catalog.event_columns(with_actors=False)  # as the window's first paint
    loaded = time.perf_counter()
    widget = TimelineWidget()
    widget.resize(1600, 900)
    widget.show()
    widget.set_events(columns)
    widget.fit_all()
    app.processEvents()
    widget.grab()
    painted = time.perf_counter()
    widget.close()
    catalog.database.dispose()
    return loaded - began, painted - loaded, painted - began


def window_times(path: Path, app: QtWidgets.QApplication) -> tuple[float, float, float]:
    """Open the window, save one edit (patched into both views), then reload everything."""
    from dataclasses import replace

    from PySide6.QtCore import QSettings

    from timeline_app.ui.commands import EditEventCommand
    from timeline_app.ui.main_window import MainWindow

    began = time.perf_counter()
    catalog = Catalog(open_database(path))
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(catalog, settings=settings)
    window.resize(1500, 950)
    window.show()
    app.processEvents()
    window.grab()
    opened = time.perf_counter() - began
    middle = window.table.table_model.event_id(window.table.table_model.rowCount() // 2)
    record = catalog.event(middle)
    draft = replace(record.to_draft(), title="Edited in the benchmark", start="1999")
    began = time.perf_counter()
    window.workspace.run(EditEventCommand(window.workspace, middle, draft, record.version))
    app.processEvents()
    window.grab()
    edited = time.perf_counter() - began
    began = time.perf_counter()
    window.reload_events()
    app.processEvents()
    window.grab()
    reloaded = time.perf_counter() - began
    window.close()
    catalog.database.dispose()
    return opened, edited, reloaded


def orm_read(path: Path) -> float:
    database = open_database(path)
    began = time.perf_counter()
    with Session(database.engine) as session:
        events = session.scalars(select(Event).order_by(Event.start_lo)).all()
    elapsed = time.perf_counter() - began
    assert events
    database.dispose()
    return elapsed


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "events.sqlite"
        began = time.perf_counter()
        build(path, count)
        print(f"built {count:,} events in {time.perf_counter() - began:.1f} s")
        read, paint, total = first_paint(path, app)
        rss = rss_mb()
        baseline = orm_read(path)
        opened, edited, reloaded = window_times(path, app)
    print(f"{'case':<44}{'seconds':>9}")
    print(f"{'read EventColumns (lanes by category)':<44}{read:>9.2f}")
    print(f"{'hand to widget and first paint 1600×900':<44}{paint:>9.2f}")
    print(f"{'file to first paint':<44}{total:>9.2f}")
    print(f"{'baseline: ORM objects, read only':<44}{baseline:>9.2f}")
    print(f"{'window: open and first paint':<44}{opened:>9.2f}")
    print(f"{'window: one edit into both views':<44}{edited:>9.2f}")
    print(f"{'window: full reload of both views':<44}{reloaded:>9.2f}")
    print(f"RSS after first paint: {rss:.0f} MB")


if __name__ == "__main__":
    main()
