"""Undo that reaches past the window's opening, through the recorded history.

The undo stack starts empty whenever a database is opened. While it has nothing of its own
to take back (or the last thing on it is a step taken back from the history), Edit ▸ Undo
offers the most recent recorded write older than what was already walked back: "Undo edit
of event “…” (from history)". Each such step is an ordinary command on the stack, so
Edit ▸ Redo (or the History panel) applies the change again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from timeline_app.domain.changes import Changes
from timeline_app.domain.evidence import HistoryEntity
from timeline_app.domain.progress import Progress, no_progress
from timeline_app.ui.actions import menu_text
from timeline_app.ui.commands import BACKGROUND_THRESHOLD, _PublishingCommand

if TYPE_CHECKING:
    from timeline_app.services.history import HistoryStep
    from timeline_app.ui.main_window import MainWindow
    from timeline_app.ui.workspace import Workspace


def _history():
    from timeline_app.services import history  # reaches SQLAlchemy: not at start-up

    return history


class HistoryUndoCommand(_PublishingCommand):
    """Take back one recorded write (applied: its records as they were before it); the
    views hear exactly what it touched (an era's step redraws the eras only)."""

    def __init__(self, workspace: Workspace, step: HistoryStep) -> None:
        super().__init__(workspace, f"Undo {step.describe()} (from history)")
        self.step = step

    @property
    def runs_in_background(self) -> bool:
        return self.step.count >= BACKGROUND_THRESHOLD

    def changes_of(self, touched: list[str]) -> Changes:
        if self.step.entity is HistoryEntity.ERA:
            return Changes(eras=True)
        return super().changes_of(touched)

    def apply(self, progress: Progress = no_progress) -> list[str]:
        return _history().take_back(self.catalog, self.step)

    def revert(self, progress: Progress = no_progress) -> list[str]:
        return _history().do_again(self.catalog, self.step)


class HistoryWalk:
    """What Edit ▸ Undo and Redo do when the stack alone has nothing to offer."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.workspace = window.workspace
        self.opened_at: int | None = None
        """The newest change recorded when the database was opened: the walk starts there,
        so what this session did and took back is never offered again."""
        self._cache: dict[tuple[int, int], HistoryStep | None] = {}
        self.workspace.catalogReplaced.connect(self.mark_opening)
        self.mark_opening()

    def mark_opening(self) -> None:
        self._cache = {}
        catalog = self.workspace.catalog
        if not hasattr(catalog, "engine"):  # the first frame's snapshot: nothing to walk
            self.opened_at = None
            return
        self.opened_at = _history().last_entry_id(catalog) or 0

    # ---- what is offered -----------------------------------------------------------------

    def _top_step(self) -> HistoryUndoCommand | None:
        stack = self.workspace.undo_stack
        if not stack.canUndo():
            return None
        top = stack.command(stack.index() - 1)
        return top if isinstance(top, HistoryUndoCommand) else None

    def offered(self) -> HistoryStep | None:
        """The recorded write Undo would take back, None when the stack's own undo applies
        or there is nothing (or nothing restorable) left."""
        if self.opened_at is None:
            return None
        stack = self.workspace.undo_stack
        top = self._top_step()
        if top is not None:
            up_to = top.step.first_id - 1
        elif stack.canUndo():
            return None
        else:
            up_to = self.opened_at
        if up_to <= 0:
            return None
        key = (id(self.workspace.catalog), up_to)
        if key not in self._cache:
            self._cache[key] = _history().walk_back_step(self.workspace.catalog, up_to)
        step = self._cache[key]
        return step if step is not None and step.walkable else None

    def can_undo(self) -> bool:
        """A step on the stack taken from the history is not undone by Undo (that would
        redo the change): Undo walks on from it, or is done."""
        if self.offered() is not None:
            return True
        return self.workspace.undo_stack.canUndo() and self._top_step() is None

    def can_redo(self) -> bool:
        return self.workspace.undo_stack.canRedo() or self._top_step() is not None

    def undo_label(self) -> str:
        step = self.offered()
        if step is not None:
            return f"&Undo {menu_text(step.describe())} (from history)"
        text = menu_text(self.workspace.undo_stack.undoText())
        return f"&Undo {text}" if text and self._top_step() is None else "&Undo"

    def redo_label(self) -> str:
        stack = self.workspace.undo_stack
        if not stack.canRedo():
            top = self._top_step()
            if top is not None:
                return f"&Redo {menu_text(top.step.describe())}"
        text = menu_text(stack.redoText())
        return f"&Redo {text}" if text else "&Redo"

    # ---- doing it ------------------------------------------------------------------------

    def undo(self) -> None:
        step = self.offered()
        if step is None:
            if self._top_step() is None:
                self.workspace.undo()
            return
        if not self.window.inspector.confirm_leave():
            return
        self.window.editing.run(HistoryUndoCommand(self.workspace, step))

    def redo(self) -> None:
        """Redo; with nothing to redo after a step back through the history, apply that
        change again (the step is taken off the stack)."""
        if not self.workspace.undo_stack.canRedo() and self._top_step() is not None:
            self.workspace.undo()
            return
        self.workspace.redo()

    def name_actions(self) -> None:
        self.window.actions["undo"].setText(self.undo_label())
        self.window.actions["redo"].setText(self.redo_label())
