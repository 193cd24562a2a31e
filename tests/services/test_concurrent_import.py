"""Two imports at once: the second plans against what the first wrote, so no change is lost.

The race is made certain: the first import pauses between its plan and its write until the
second has started; before the fix the second wrote in that gap and the first overwrote it.
"""

from __future__ import annotations

import threading
import time

from timeline_app.domain.model import EventDraft
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import import_file
from timeline_app.store import queries
from timeline_app.store.database import open_database


def test_second_import_waits_and_neither_change_is_lost(db_target, tmp_path, monkeypatch):
    first = Catalog(open_database(db_target))
    second = Catalog(open_database(db_target))
    try:
        first.add_category("Energy")
        event = first.add_event(
            EventDraft("Pipeline talks", "2001", category="Energy", description="old")
        )
        described = tmp_path / "described.csv"
        described.write_text(
            f"id,title,start,category,description\n{event.id},Pipeline talks,2001,Energy,new\n",
            encoding="utf-8",
        )
        tagged = tmp_path / "tagged.csv"
        tagged.write_text(
            f"id,title,start,category,tags\n{event.id},Pipeline talks,2001,Energy,Gas\n",
            encoding="utf-8",
        )
        first_planned = threading.Event()
        second_started = threading.Event()
        delete_rows = queries.delete_event_rows

        def pausing_delete(connection, ids):
            if threading.current_thread().name == "first":
                first_planned.set()
                second_started.wait(10)
                time.sleep(0.5)  # the second import is now trying to write
            return delete_rows(connection, ids)

        monkeypatch.setattr(queries, "delete_event_rows", pausing_delete)
        errors: list[BaseException] = []

        def run(catalog: Catalog, path, wait: threading.Event | None) -> None:
            try:
                if wait is not None:
                    wait.wait(10)
                    second_started.set()
                import_file(catalog, path)
            except BaseException as error:  # reported by the assertion below
                errors.append(error)

        threads = [
            threading.Thread(target=run, args=(first, described, None), name="first"),
            threading.Thread(target=run, args=(second, tagged, first_planned), name="second"),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert errors == []
        stored = first.event(event.id)
        assert (stored.description, stored.tags) == ("new", ("Gas",))
        assert stored.version == event.version + 2  # two writes, neither over the other
    finally:
        first.database.dispose()
        second.database.dispose()
