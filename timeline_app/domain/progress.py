"""How long work reports how far it got, and how it hears that it should stop.

Services take a `Progress` callback and call it now and then with (done, total); a caller
that wants to stop the work raises `Cancelled` from inside the callback. The work is always
inside a transaction (or writes a temporary file) when it calls, so stopping there leaves
nothing half-written. `total` is 0 while it is not known yet.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]


def no_progress(_done: int, _total: int) -> None:
    """The callback of work nobody watches."""


def report_every(progress: Progress | None, total: int, step: int = 1000) -> Callable[[int], None]:
    """A per-item counter that calls `progress` every `step` items and at the end, so a
    loop over a million rows does not pay a call (or a signal) per row."""
    if progress is None:
        return lambda _done: None
    callback = progress

    def tick(done: int) -> None:
        if done % step == 0 or done == total:
            callback(done, total)

    return tick
