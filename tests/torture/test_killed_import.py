"""`kill -9` of a real `timeline-app import` at many points: all of the import or none of it.

A process killed outright runs no cleanup, so only the database's own transaction protects
the data. After each kill the database opens (on SQLite `PRAGMA integrity_check` is "ok"), it
holds exactly the events it had before or all of the file's, and a following import works.
Exact points are reached by a wrapper that kills the process from inside a function of the
import path; timed points by a kill from outside after a delay.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_process import cli_env, run_in_process
from database_state import event_count, sqlite_checkpoint, sqlite_integrity
from generated_files import write_events_csv

BASE_EVENTS = 12
EXACT_POINT_EVENTS = 2_100
"""Above the thresholds where SQLite sets indexes aside and bypasses the full-text trigger and
PostgreSQL writes through COPY, so the kills land in those paths too."""
TIMED_EVENTS = {"sqlite": 6_000, "postgresql": 3_000}
TIMED_FRACTIONS = (0.5, 0.85)
"""Kill delays as fractions of a whole import's run time (after one at 0.05 s)."""

KILLER = """
import contextlib, os, signal, sys
from timeline_app.store import database, queries

name, when, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
owner = database.Database if name == "dispose" else queries
original = getattr(owner, name)
calls = 0

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if name == "indexes_set_aside":
    @contextlib.contextmanager
    def patched(*args, **kwargs):
        with original(*args, **kwargs):
            yield
        die()
else:
    def patched(*args, **kwargs):
        global calls
        calls += 1
        if when == "before" and calls == nth:
            die()
        result = original(*args, **kwargs)
        if when == "after" and calls == nth:
            die()
        return result

setattr(owner, name, patched)
from timeline_app.cli import main
sys.exit(main(sys.argv[4:]))
"""

EXACT_POINTS = [
    # (function, before/after its call, which call, whether the import was committed)
    ("insert_event_rows", "before", 1, False),
    ("insert_event_rows", "after", 1, False),
    ("insert_tuples", "after", 3, False),
    ("write_links", "after", 1, False),
    ("indexes_set_aside", "after", 1, False),
    ("dispose", "before", 1, True),
]
POSTGRESQL_POINTS = {"insert_event_rows", "write_links", "dispose"}
"""Fewer on PostgreSQL, whose process costs more to start; COPY is inside insert_event_rows."""


class KillBench:
    """A database with a few events to start each kill from, and the files to import."""

    def __init__(
        self, backend: str, folder: Path, fresh: Callable[[], str], big_events: int
    ) -> None:
        self.backend = backend
        self.folder = folder
        self.data_dir = folder / "data"
        self.fresh = fresh
        self.base = write_events_csv(folder / "base.csv", BASE_EVENTS, prefix="base-")
        self.follow_up = write_events_csv(folder / "follow-up.csv", 5, prefix="next-")
        self.big_events = big_events
        self.big = write_events_csv(folder / "big.csv", big_events, prefix="big-")

    def start_database(self) -> str:
        target = self.fresh()
        run_in_process(["--db", target, "import", str(self.base)]).assert_ok()
        if self.backend == "sqlite":
            sqlite_checkpoint(Path(target))
        return target

    def check_after_kill(self, target: str, *, label: str) -> int:
        """The database is sound, holds all of the file or none, and takes a new import."""
        if self.backend == "sqlite":
            assert sqlite_integrity(Path(target)) == "ok", label
        count = event_count(target)
        assert count in (BASE_EVENTS, BASE_EVENTS + self.big_events), f"{label}: {count} events"
        follow_up = run_in_process(["--db", target, "import", str(self.follow_up)])
        follow_up.assert_ok()
        assert event_count(target) == count + 5, label
        if self.backend == "sqlite":
            assert sqlite_integrity(Path(target)) == "ok", label
        return count


def _bench(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, big_events: int
) -> KillBench:
    if backend == "sqlite":
        made = iter(range(1000))
        return KillBench(
            backend, tmp_path, lambda: str(tmp_path / f"db{next(made)}.sqlite"), big_events
        )
    return KillBench(backend, tmp_path, request.getfixturevalue("pg_schemas"), big_events)


def test_import_killed_at_exact_points_is_all_or_nothing(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    bench = _bench(backend, tmp_path, request, EXACT_POINT_EVENTS)
    tried = []
    for name, when, nth, committed in EXACT_POINTS:
        if backend == "postgresql" and name not in POSTGRESQL_POINTS:
            continue
        target = bench.start_database()
        label = f"killed {when} {name} (call {nth})"
        arguments = [name, when, str(nth), "--db", target, "import", str(bench.big)]
        process = subprocess.run(
            [sys.executable, "-c", KILLER, *arguments],
            capture_output=True,
            env=cli_env(bench.data_dir),
            timeout=120,
        )
        assert process.returncode == -signal.SIGKILL, (
            f"{label}: the kill point was not reached (exit {process.returncode}): "
            f"{process.stderr.decode(errors='replace')[-2000:]}"
        )
        count = bench.check_after_kill(target, label=label)
        expected = BASE_EVENTS + (bench.big_events if committed else 0)
        assert count == expected, f"{label}: {count} events, expected {expected}"
        tried.append(f"{label}: {count - BASE_EVENTS} of {bench.big_events} events kept")
    print(f"\nkill points tried ({backend}):\n  " + "\n  ".join(tried))


def test_import_killed_after_delays_is_all_or_nothing(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    bench = _bench(backend, tmp_path, request, TIMED_EVENTS[backend])
    command = [sys.executable, "-m", "timeline_app", "import", str(bench.big)]

    whole = bench.start_database()
    started = time.monotonic()
    subprocess.run(
        [*command, "--db", whole], env=cli_env(bench.data_dir), check=True, capture_output=True
    )
    duration = time.monotonic() - started
    assert event_count(whole) == BASE_EVENTS + bench.big_events

    tried = []
    for delay in (0.05, *(fraction * duration for fraction in TIMED_FRACTIONS)):
        target = bench.start_database()
        process = subprocess.Popen(
            [*command, "--db", target],
            env=cli_env(bench.data_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        code = process.wait(timeout=60)
        label = f"kill after {delay:.2f} s of {duration:.2f} s"
        count = bench.check_after_kill(target, label=label)
        state = "killed" if code == -signal.SIGKILL else f"had ended (exit {code})"
        tried.append(f"{label}: {state}, {count - BASE_EVENTS} of {bench.big_events} kept")
    print(f"\nkill delays tried ({backend}):\n  " + "\n  ".join(tried))
