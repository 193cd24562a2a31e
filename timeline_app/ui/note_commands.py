"""Undoable edits of an event's notes, each a thin call into `services.notes`.

A note taken away by an undo comes back with its id, author and date, so a later command
that refers to it still finds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline_app.domain.evidence import EventNote
from timeline_app.domain.progress import Progress, no_progress
from timeline_app.ui.commands import ServiceCommand


def _notes():
    # The services reach the database (SQLAlchemy): imported on first use, not before the
    # window's first frame is painted.
    from timeline_app.services import notes

    return notes


if TYPE_CHECKING:
    from timeline_app.ui.workspace import Workspace


def _excerpt(text: str, limit: int = 30) -> str:
    line = " ".join(text.split())
    return f"“{line if len(line) <= limit else line[: limit - 1] + '…'}”"


class AddNoteCommand(ServiceCommand):
    def __init__(self, workspace: Workspace, event_id: str, text: str) -> None:
        super().__init__(workspace, f"Add note {_excerpt(text)}")
        self.event_id = event_id
        self.text_ = text
        self.note: EventNote | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        if self.note is None:
            self.note = _notes().add_note(self.catalog, self.event_id, self.text_)
        else:
            _notes().restore_note(self.catalog, self.note)
        return [self.event_id]

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.note is not None
        _notes().delete_note(self.catalog, self.note.id)
        return [self.event_id]


class EditNoteCommand(ServiceCommand):
    def __init__(self, workspace: Workspace, note: EventNote, text: str) -> None:
        super().__init__(workspace, f"Edit note {_excerpt(note.text)}")
        self.note = note
        self.text_ = text
        self.before: EventNote | None = None

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.before, _after = _notes().edit_note(self.catalog, self.note.id, self.text_)
        return [self.note.event_id]

    def revert(self, progress: Progress = no_progress) -> list[str]:
        assert self.before is not None
        _notes().edit_note(self.catalog, self.note.id, self.before.text)
        return [self.note.event_id]


class DeleteNoteCommand(ServiceCommand):
    def __init__(self, workspace: Workspace, note: EventNote) -> None:
        super().__init__(workspace, f"Delete note {_excerpt(note.text)}")
        self.note = note

    def apply(self, progress: Progress = no_progress) -> list[str]:
        self.note = _notes().delete_note(self.catalog, self.note.id)
        return [self.note.event_id]

    def revert(self, progress: Progress = no_progress) -> list[str]:
        _notes().restore_note(self.catalog, self.note)
        return [self.note.event_id]
