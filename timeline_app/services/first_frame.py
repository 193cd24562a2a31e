"""The catalog's reads for the first frame, answered before the database is open.

The window reads its events, pick lists and eras through the catalog. At start, on the usual
database (a SQLite file of ours, current, not large) those reads are answered from a snapshot
taken with the standard library (`store.first_frame`), so the window is on screen before
SQLAlchemy is even imported; the real `Catalog` replaces this one right after the first paint.
Nothing here writes, and the window takes no input while it reads from this one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from timeline_app import paths
from timeline_app.domain.columns import EventColumns
from timeline_app.domain.errors import TimelineError, quoted
from timeline_app.domain.model import CategoryRecord, EraRecord, EventFilter
from timeline_app.domain.progress import Progress
from timeline_app.store.first_frame import FirstFrame, read_first_frame

FIRST_FRAME_AT_MOST = 5_000
"""Events up to which the first frame is read this way (the window's own limit for reading on
the GUI thread); a larger database takes the normal path and reads in the background."""


class StillOpening(TimelineError):
    """Asked for something the snapshot does not hold while the database is still opening."""


@dataclasses.dataclass(frozen=True, slots=True)
class OpeningDatabase:
    """Stands for `Database` while it opens: what the window shows of it (its location)."""

    location: str
    read_only: bool = False

    def dispose(self) -> None:
        """Nothing is held open: the snapshot was read and closed."""


class FirstFrameCatalog:
    """The read-only subset of `Catalog` the window uses to build and paint its first frame."""

    def __init__(self, frame: FirstFrame) -> None:
        self.frame = frame
        location = str(frame.path)
        self.database = OpeningDatabase(location if location.isprintable() else quoted(location))

    def count_events(self) -> int:
        return len(self.frame.columns)

    def event_columns(
        self,
        where: EventFilter | None = None,
        *,
        with_actors: bool = True,
        ids: Sequence[str] | None = None,
        progress: Progress | None = None,
    ) -> EventColumns:
        if (where is not None and not where.is_empty) or ids is not None:
            raise StillOpening("the database is still opening")
        columns = self.frame.columns
        return columns if with_actors else dataclasses.replace(columns, actors=())

    def event_dates(self, ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
        dates = self.frame.dates
        return {event_id: dates[event_id] for event_id in ids if event_id in dates}

    def filtered_positions(self, columns: EventColumns, where: EventFilter | None) -> np.ndarray:
        if where is None or where.is_empty:
            return np.arange(len(columns), dtype=np.int64)
        if not where.linked.is_empty:
            raise StillOpening("the database is still opening")
        return np.flatnonzero(columns.matching(where)).astype(np.int64, copy=False)

    def categories(self) -> list[CategoryRecord]:
        return list(self.frame.categories)

    def actor_names(self) -> list[str]:
        return list(self.frame.actor_names)

    def tag_names(self) -> list[str]:
        return list(self.frame.tag_names)

    def eras(self) -> list[EraRecord]:
        return list(self.frame.eras)


def first_frame_catalog(target: str | None) -> FirstFrameCatalog | None:
    """The snapshot catalog for `target` (None = the default database file, or a file path);
    None when the database must be opened the normal way first."""
    if target is None:
        path = paths.default_database_path()
    elif "://" in target or not target.strip() or "\x00" in target:
        return None  # a URL, or something the normal path explains
    else:
        try:
            path = Path(target).expanduser().resolve()
        except (OSError, RuntimeError):
            return None
    frame = read_first_frame(path, at_most=FIRST_FRAME_AT_MOST)
    return None if frame is None else FirstFrameCatalog(frame)
