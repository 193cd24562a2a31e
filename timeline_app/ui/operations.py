"""Run a read or a change over the catalog off the GUI thread, and bring its outcome home.

The shape of Anki's QueryOp/CollectionOp: a user action is a plain function
`work(progress) -> T`. `Operations.run` runs it on a worker thread and, back on the GUI
thread, hands the result to `on_done`, reports a failure in one line, or tells `on_cancelled`.
`Operations.change` does the same for work that writes and returns `Changes`: those go to the
workspace first, so every view refreshes through its one `changed` signal. Work that takes
longer than a moment gets a progress dialog whose Cancel makes the work's next `progress(...)`
call raise `Cancelled` (its transaction rolls back).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from timeline_app.domain.changes import Changes
from timeline_app.domain.errors import Cancelled, TimelineError
from timeline_app.domain.progress import Progress
from timeline_app.ui.progress_dialog import ProgressDialog
from timeline_app.ui.worker import Job

if TYPE_CHECKING:
    from timeline_app.ui.workspace import Workspace

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[Progress], T]

PROGRESS_DELAY_MS = 300
"""Work that ends sooner shows no dialog: a flash of one would be noise."""


class Operation(QObject, Generic[T]):
    """One piece of work on its way: its title, its progress so far, and how it ended."""

    progressed = Signal(int, int)  # (done, total) on the GUI thread; total 0 while unknown

    def __init__(self, title: str, work: Work[T], key: str | None, parent: QObject) -> None:
        super().__init__(parent)
        self.title = title
        self.key = key
        self.outcome: str | None = None
        """None while running; then "done", "failed", "cancelled" or "dropped" (superseded
        by a newer operation with the same key, or abandoned by `cancel_all_and_wait`)."""
        self.writes = False
        """The work writes the catalog (`change`, or `run(writes=True)`): one at a time."""
        self.done_count = 0
        self.total = 0
        self.dialog: ProgressDialog | None = None
        self.job = Job(lambda: work(self.job.progress), self)
        self.job.progressed.connect(self._on_progress)
        self._dropped = False

    @property
    def running(self) -> bool:
        return self.outcome is None

    @property
    def cancel_requested(self) -> bool:
        return self.job.stop_requested

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report; `on_cancelled` follows."""
        self.job.request_stop()

    def drop(self) -> None:
        """Stop the work and forget it: none of its callbacks will be called."""
        self._dropped = True
        self.job.request_stop()

    def _on_progress(self, done: int, total: int) -> None:
        self.done_count, self.total = done, total
        self.progressed.emit(done, total)


class Operations(QObject):
    """Starts operations, shows their progress and failures, and knows which still run."""

    busyChanged = Signal(bool)  # some operation is running (True) or none is (False)
    messagePosted = Signal(str)  # a one-line outcome for the status bar (a cancellation)

    def __init__(
        self,
        window: QWidget | None = None,
        workspace: Workspace | None = None,
        parent: QObject | None = None,
        *,
        delay_ms: int = PROGRESS_DELAY_MS,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self.window = window
        self.workspace = workspace
        self.delay_ms = delay_ms
        self._running: list[Operation[Any]] = []
        self._keyed: dict[str, Operation[Any]] = {}

    # ---- starting ------------------------------------------------------------------------

    def run(
        self,
        title: str,
        work: Work[T],
        *,
        on_done: Callable[[T], object] | None = None,
        on_failed: Callable[[Exception], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
        key: str | None = None,
        show_progress: bool = True,
        writes: bool = False,
    ) -> Operation[T]:
        """Run `work` off the GUI thread; call `on_done(result)` on the GUI thread.

        A failure goes to `on_failed` when given, else to a warning box titled `title`. With
        a `key`, a still-running operation of the same key is cancelled and its result
        dropped. `show_progress=False` leaves showing progress to the caller (`progressed`).
        `writes=True` marks work that writes the catalog (see `running_change`).
        """
        if key is not None:
            self.drop_key(key)
        operation: Operation[T] = Operation(title, work, key, self)
        operation.writes = writes
        if key is not None:
            self._keyed[key] = operation
        operation.job.finished.connect(
            lambda value: self._finish(operation, value, None, on_done, on_failed, on_cancelled)
        )
        operation.job.failed.connect(
            lambda error: self._finish(operation, None, error, on_done, on_failed, on_cancelled)
        )
        self._running.append(operation)
        if len(self._running) == 1:
            self.busyChanged.emit(True)
        if show_progress:
            QTimer.singleShot(self.delay_ms, operation, lambda: self._show_dialog(operation))
        operation.job.start()
        return operation

    def change(
        self,
        title: str,
        work: Work[Changes],
        *,
        on_done: Callable[[Changes], object] | None = None,
        on_failed: Callable[[Exception], object] | None = None,
        on_cancelled: Callable[[], object] | None = None,
        show_progress: bool = True,
    ) -> Operation[Changes]:
        """Run writing `work` like `run`; the `Changes` it returns reach the workspace (and
        so every view) before `on_done` is called."""

        def publish(changes: Changes) -> None:
            if not isinstance(changes, Changes):
                raise TypeError(f"{title}: the work returned {changes!r}, not Changes")
            if self.workspace is not None:
                self.workspace.publish(changes)
            if on_done is not None:
                on_done(changes)

        return self.run(
            title,
            work,
            on_done=publish,
            on_failed=on_failed,
            on_cancelled=on_cancelled,
            show_progress=show_progress,
            writes=True,
        )

    # ---- watching ------------------------------------------------------------------------

    def is_running(self, key: str | None = None) -> bool:
        """Whether some operation (of `key`, when given) has not yet been delivered."""
        if key is not None:
            return key in self._keyed
        return bool(self._running)

    def drop_key(self, key: str) -> None:
        """Forget a running operation of `key`: its result would be older than what the
        caller is about to show."""
        older = self._keyed.get(key)
        if older is not None and older.running:
            older.drop()
            self._close_dialog(older)

    @property
    def running(self) -> list[Operation[Any]]:
        return list(self._running)

    def running_change(self) -> Operation[Any] | None:
        """The change being written, if any: changes run one at a time, in order."""
        return next((operation for operation in self._running if operation.writes), None)

    def is_running_change(self) -> bool:
        return self.running_change() is not None

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Turn the event loop until every operation has been delivered; False on timeout.

        For tests and scripts: the GUI keeps working while it waits."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._running and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            QCoreApplication.sendPostedEvents()
            time.sleep(0.005)
        return not self._running

    def cancel_all_and_wait(self, timeout: float | None = None) -> bool:
        """Stop every operation and block until their threads have returned; their outcomes
        are dropped. Call before the database they use is disposed of. False only if
        `timeout` seconds passed with some work still running."""
        operations = list(self._running)
        for operation in operations:
            operation.drop()
        ended = all(operation.job.wait(timeout) for operation in operations)
        for operation in operations:
            if operation.running:
                self._settle(operation, "dropped")
        return ended

    def report_failure(self, title: str, error: BaseException) -> None:
        """Show what went wrong: our own errors as their one line, anything else as an
        unexpected problem (and in the log, with its traceback)."""
        if isinstance(error, TimelineError):
            text = str(error)
        else:
            log.error("%s failed", title, exc_info=error)
            text = f"unexpected problem: {error!r}"
        QMessageBox.warning(self.window, title, text)

    # ---- ending --------------------------------------------------------------------------

    def _finish(
        self,
        operation: Operation[Any],
        value: object,
        error: object,
        on_done: Callable[[Any], object] | None,
        on_failed: Callable[[Exception], object] | None,
        on_cancelled: Callable[[], object] | None,
    ) -> None:
        if not operation.running:
            return  # already settled by cancel_all_and_wait
        if operation._dropped:
            self._settle(operation, "dropped")
            return
        if isinstance(error, Cancelled):
            self._settle(operation, "cancelled")
            self.messagePosted.emit(f"{operation.title}: cancelled; nothing was changed")
            if on_cancelled is not None:
                on_cancelled()
            return
        if error is None:
            try:
                self._settle(operation, "done")
                if on_done is not None:
                    on_done(value)
            except Exception as problem:  # a bug in a callback: report, keep the app alive
                operation.outcome = "failed"
                self.report_failure(operation.title, problem)
            return
        assert isinstance(error, Exception)
        self._settle(operation, "failed")
        if on_failed is not None:
            on_failed(error)
        else:
            self.report_failure(operation.title, error)

    def _settle(self, operation: Operation[Any], outcome: str) -> None:
        operation.outcome = outcome
        self._close_dialog(operation)
        if operation in self._running:
            self._running.remove(operation)
            if not self._running:
                self.busyChanged.emit(False)
        if operation.key is not None and self._keyed.get(operation.key) is operation:
            del self._keyed[operation.key]
        if operation.job.wait(0.5):  # its thread is done with the Qt objects: free them
            operation.deleteLater()

    def _show_dialog(self, operation: Operation[Any]) -> None:
        if not operation.running or operation._dropped or operation.dialog is not None:
            return
        dialog = ProgressDialog(operation.title, self.window)
        dialog.show_progress(operation.done_count, operation.total)
        operation.progressed.connect(dialog.show_progress)
        dialog.cancelClicked.connect(operation.cancel)
        operation.dialog = dialog
        dialog.show()

    def _close_dialog(self, operation: Operation[Any]) -> None:
        if operation.dialog is not None:
            operation.dialog.end()
            operation.dialog = None
