"""From a SQLite file of N events to the window showing them, and edits at that scale.

Builds the file with the bulk insert path (synthetic events, 12 categories, two actors
each). Each case runs in a fresh process, so its memory is its own:
- the timeline alone: reading EventColumns as the window does (lanes by category), handing
  them to the widget, first paint at 1600×900;
- the whole window: constructing it until the events are drawn in both views (the read runs
  as a background operation), the process's RSS then, one edit reaching both views, a filter
  the store answers, and a full reload;
- baselines in the same run: a bare PySide6 window in a fresh process (its RSS is the floor
  of any Qt process), and the same rows read as ORM objects (what a naive loader would do).
Targets (1M events): window open ≤ 2.5 s, RSS ≤ 600 MB, an edit ≤ 0.3 s.
Run: python tests/benchmarks/bench_load.py [N] [--db FILE]   (--db keeps the built file)
"""

from __future__ import annotations

import json
import os
import subprocess
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
from timeline_app.store.orm import Event
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


def timeline_case(path: Path) -> dict[str, float]:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
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
    rss = rss_mb()
    widget.close()
    catalog.database.dispose()
    return {"read": loaded - began, "paint": painted - loaded, "total": painted - began, "rss": rss}


def window_case(path: Path) -> dict[str, float]:
    """Open the window until both views show the events, then one edit, a filter, a reload."""
    from dataclasses import replace

    from PySide6.QtCore import QSettings

    from timeline_app.domain.model import EventFilter
    from timeline_app.ui.commands import EditEventCommand
    from timeline_app.ui.main_window import MainWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    settings = QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat)
    began = time.perf_counter()
    catalog = Catalog(open_database(path, write=True))
    window = MainWindow(catalog, settings=settings)
    window.resize(1600, 900)
    window.show()
    operations = window.workspace.operations
    assert operations.wait(600_000)
    app.processEvents()
    window.grab()
    opened = time.perf_counter() - began
    rss = rss_mb()
    shown = window.table.table_model.rowCount()
    assert shown == catalog.count_events(), (shown, "rows in the table")

    middle = window.table.table_model.event_id(shown // 2)
    record = catalog.event(middle)
    draft = replace(record.to_draft(), title="Edited in the benchmark", start="1999")
    began = time.perf_counter()
    window.workspace.run(EditEventCommand(window.workspace, middle, draft, record.version))
    assert operations.wait(600_000)
    app.processEvents()
    window.grab()
    edited = time.perf_counter() - began
    assert window.table.table_model.row_of(middle) is not None

    began = time.perf_counter()
    window.views.set_filter(EventFilter(actors=frozenset({"Iran"}), min_importance=4))
    assert operations.wait(600_000)
    app.processEvents()
    window.grab()
    filtered = time.perf_counter() - began
    window.views.set_filter(EventFilter())
    assert operations.wait(600_000)

    began = time.perf_counter()
    window.views.reload_events()
    assert operations.wait(600_000)
    app.processEvents()
    window.grab()
    reloaded = time.perf_counter() - began
    window.close()
    return {
        "opened": opened,
        "rss": rss,
        "edited": edited,
        "filtered": filtered,
        "reloaded": reloaded,
    }


def bare_case(_path: Path) -> dict[str, float]:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    window = QtWidgets.QMainWindow()
    window.resize(1600, 900)
    window.show()
    app.processEvents()
    window.grab()
    rss = rss_mb()
    window.close()
    return {"rss": rss}


def orm_case(path: Path) -> dict[str, float]:
    database = open_database(path)
    began = time.perf_counter()
    with Session(database.engine) as session:
        events = session.scalars(select(Event).order_by(Event.start_lo)).all()
    elapsed = time.perf_counter() - began
    assert events
    database.dispose()
    return {"read": elapsed}


CASES = {"timeline": timeline_case, "window": window_case, "bare": bare_case, "orm": orm_case}


def in_fresh_process(case: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--case", case, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"case {case} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    arguments = sys.argv[1:]
    if arguments[:1] == ["--case"]:
        print(json.dumps(CASES[arguments[1]](Path(arguments[2]))))
        return
    keep = None
    if "--db" in arguments:
        at = arguments.index("--db")
        keep = Path(arguments[at + 1])
        del arguments[at : at + 2]
    count = int(arguments[0]) if arguments else 1_000_000
    with tempfile.TemporaryDirectory() as name:
        path = keep or Path(name) / "events.sqlite"
        if not path.exists():
            began = time.perf_counter()
            build(path, count)
            print(f"built {count:,} events in {time.perf_counter() - began:.1f} s")
        timeline = in_fresh_process("timeline", path)
        window = in_fresh_process("window", path)
        bare = in_fresh_process("bare", path)
        orm = in_fresh_process("orm", path)
    rows = [
        ("timeline: read EventColumns (lanes by category)", timeline["read"], ""),
        ("timeline: hand to widget, first paint 1600×900", timeline["paint"], ""),
        ("timeline: file to first paint", timeline["total"], ""),
        ("window: open until both views show the events", window["opened"], "≤ 2.5 s at 1M"),
        ("window: one edit into both views", window["edited"], "≤ 0.3 s at 1M"),
        ("window: filter by actor and importance", window["filtered"], ""),
        ("window: full reload of both views", window["reloaded"], ""),
        ("baseline: ORM objects, read only", orm["read"], ""),
    ]
    print(f"{count:,} events")
    print(f"{'case':<52}{'seconds':>9}  target")
    for label, seconds, target in rows:
        print(f"{label:<52}{seconds:>9.2f}  {target}")
    print(f"{'RSS, timeline alone after first paint':<52}{timeline['rss']:>9.0f}  MB")
    print(f"{'RSS, whole window showing the events':<52}{window['rss']:>9.0f}  MB  ≤ 600 at 1M")
    print(f"{'baseline: RSS of a bare PySide6 window':<52}{bare['rss']:>9.0f}  MB")


if __name__ == "__main__":
    main()
