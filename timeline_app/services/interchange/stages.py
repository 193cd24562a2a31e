"""One progress count over work done in stages (read a file, then write it).

Each stage reports its own (done, total); the caller's callback sees one count that never
goes back: a stage's share of a grand total fixed once the first stage knows its size.
"""

from __future__ import annotations

from timeline_app.domain.progress import Progress


class Stages:
    """Scales stage counts into one: the first stage reports its own numbers times `weight`
    as the grand total; later stages fill the rest in proportion to their own totals."""

    def __init__(self, progress: Progress, weight: int) -> None:
        self._progress = progress
        self._weight = weight
        self._grand = 0
        self._offset = 0
        self._span = 0
        self._last = 0

    def first(self) -> Progress:
        """The callback of the first stage: its total decides the grand total."""

        def report(done: int, total: int) -> None:
            self._grand = total * self._weight
            self._span = total
            self._emit(done)

        return report

    def rest(self) -> Progress:
        """The callback of the remaining work, after the first stage: the rest of the count."""
        self._offset += self._span
        self._span = self._grand - self._offset

        def report(done: int, total: int) -> None:
            self._emit(self._offset + (done * self._span // total if total else 0))

        return report

    def _emit(self, done: int) -> None:
        self._last = max(self._last, min(done, self._grand) if self._grand else done)
        self._progress(self._last, self._grand)
