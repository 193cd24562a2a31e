"""Restoring an earlier version of an event as an ordinary undoable edit.

The restore goes through `services.history.restore_version` (the normal update path, so it
is recorded, versioned and refused when the event changed since it was shown); undo puts
back the version it replaced, redo the restored one again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline_app.domain.errors import NotFoundError
from timeline_app.domain.evidence import HistoryEntry
from timeline_app.domain.model import EventRecord
from timeline_app.domain.progress import Progress, no_progress
from timeline_app.ui.commands import ServiceCommand

if TYPE_CHECKING:
    from timeline_app.ui.workspace import Workspace


def when_text(at: str) -> str:
    """A recorded time as people read it, in local time: "30 Nov 2026 10:02"."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(at)
    except ValueError:
        return at
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.day} {moment:%b %Y %H:%M}"


def _history():
    from timeline_app.services import history  # reaches SQLAlchemy: not at start-up

    return history


class RestoreVersionCommand(ServiceCommand):
    """Make an event what one history entry recorded; `shown` is the event as the user saw
    it (None: deleted, recreated with its id)."""

    def __init__(
        self, workspace: Workspace, entry: HistoryEntry, shown: EventRecord | None
    ) -> None:
        title = str((entry.snapshot or {}).get("title", entry.entity_id))
        quoted = f"“{title if len(title) <= 40 else title[:39] + '…'}”"
        super().__init__(workspace, f"Restore {quoted} as of {when_text(entry.at)}")
        self.entry = entry
        self.shown = shown
        self.before: EventRecord | None = shown
        self.after: EventRecord | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.after is None:
            expected = None if self.shown is None else self.shown.version
            self.after = _history().restore_version(self.catalog, self.entry, expected)
        elif self.before is None:
            self.after = _history().restore_version(self.catalog, self.entry, None)
        else:
            self.after = self.catalog.update_event(
                self.after.id, self.after.to_draft(), self._stored_version(self.before)
            )
        return [self.entry.entity_id]

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.after is not None
        if self.before is None:
            self.catalog.delete_events([self.after.id])
        else:
            self.before = self.catalog.update_event(
                self.before.id, self.before.to_draft(), self._stored_version(self.after)
            )
        return [self.entry.entity_id]

    def _stored_version(self, expected: EventRecord) -> int:
        """The stored version when it still holds `expected`'s content (commands undone
        since moved the version on, which is no conflict); else `expected`'s, refused."""
        try:
            stored = self.catalog.event(expected.id)
        except NotFoundError:
            return expected.version
        return stored.version if stored.to_draft() == expected.to_draft() else expected.version
