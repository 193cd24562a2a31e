"""Run one piece of long work off the GUI thread and hear back on it.

The work gets no Qt objects; its result (or the exception it raised) is delivered to the
GUI thread through a queued signal. A database session used by the work is opened and
closed inside it, so it belongs to that thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Job(QObject):
    """A handle on work running in the global thread pool."""

    finished = Signal(object)  # the work's return value
    failed = Signal(object)  # the exception it raised

    def __init__(self, work: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self.cancelled = False
        self.running = False

    def start(self) -> None:
        self.running = True
        QThreadPool.globalInstance().start(_Runner(self))

    def cancel(self) -> None:
        """Ignore the result when it comes (work inside one transaction cannot be stopped)."""
        self.cancelled = True

    def _deliver(self, ok: bool, value: object) -> None:
        self.running = False
        if self.cancelled:
            return
        (self.finished if ok else self.failed).emit(value)


class _Carrier(QObject):
    done = Signal(bool, object)


class _Runner(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.carrier = _Carrier(job)  # owned by the job, so it dies in the GUI thread
        self.carrier.done.connect(job._deliver)

    def run(self) -> None:
        try:
            value = self.job._work()
        except Exception as error:  # delivered to the GUI, which reports it
            self.carrier.done.emit(False, error)
        else:
            self.carrier.done.emit(True, value)
