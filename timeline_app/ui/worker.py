"""Run one piece of long work off the GUI thread and hear back on it.

The work gets no Qt objects; its result (or the exception it raised) and the progress it
reports are delivered to the GUI thread through queued signals. A database session used by
the work is opened and closed inside it, so it belongs to that thread. Work that reports
progress through `Job.progress` can be stopped: once a stop is requested, its next report
raises `Cancelled` inside the work, which rolls its transaction back.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from timeline_app.domain.errors import Cancelled


class Job(QObject):
    """A handle on work running in the global thread pool."""

    finished = Signal(object)  # the work's return value
    failed = Signal(object)  # the exception it raised (`Cancelled` when it was stopped)
    progressed = Signal(int, int)  # (done, total) as last reported; total 0 while unknown

    def __init__(self, work: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._stop = threading.Event()
        self._ended = threading.Event()
        # Work may report per row: only the latest report counts, and at most one signal
        # is on its way to the GUI thread, which reads the latest when it arrives.
        self._latest = (0, 0)
        self._report_queued = threading.Event()
        self._carrier = _Carrier(self)  # owned by the job, so it lives in the GUI thread
        self._carrier.done.connect(self._deliver)
        self._carrier.reported.connect(self._show_latest)
        self.cancelled = False
        self.running = False

    def start(self) -> None:
        self.running = True
        QThreadPool.globalInstance().start(_Runner(self))

    def cancel(self) -> None:
        """Ignore the result when it comes; work that reports progress is also stopped."""
        self.cancelled = True
        self._stop.set()

    def request_stop(self) -> None:
        """Make the work's next progress report raise `Cancelled`; its outcome is still
        delivered (as `failed` with `Cancelled`, or `finished` if it ended first)."""
        self._stop.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def progress(self, done: int, total: int) -> None:
        """The `Progress` callback to hand to the work; called on the worker thread."""
        if self._stop.is_set():
            raise Cancelled()
        self._latest = (done, total)  # before the check, so no report is ever left unshown
        if not self._report_queued.is_set():
            self._report_queued.set()
            try:
                self._carrier.reported.emit()
            except RuntimeError as error:  # the job was deleted with its window: stop
                raise Cancelled() from error

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has returned on its thread (its outcome may still be on its
        way to the GUI thread); False if `timeout` seconds passed first."""
        if not self.running and not self._ended.is_set():
            return True  # never started
        return self._ended.wait(timeout)

    def _show_latest(self) -> None:
        self._report_queued.clear()  # before reading, so a newer report queues a signal
        self.progressed.emit(*self._latest)

    def _deliver(self, ok: bool, value: object) -> None:
        self.running = False
        if self.cancelled:
            return
        (self.finished if ok else self.failed).emit(value)


class _Carrier(QObject):
    done = Signal(bool, object)
    reported = Signal()


class _Runner(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job

    def run(self) -> None:
        try:
            value = self.job._work()
        except Exception as error:  # delivered to the GUI, which reports it
            self._deliver(False, error)
        else:
            self._deliver(True, value)
        finally:
            self.job._ended.set()  # last: a waiter may dispose of what the work used

    def _deliver(self, ok: bool, value: object) -> None:
        # RuntimeError: the job was deleted (its window closed), so there is nobody to tell.
        with contextlib.suppress(RuntimeError):
            self.job._carrier.done.emit(ok, value)
