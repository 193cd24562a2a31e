"""Two `timeline-app import` processes changing the same events at the same moment.

No update may be lost: either both imports are stored one after the other (the `version` of
each event went up twice), or one of them is refused with one line naming the conflict and
the other's change is stored (the version went up once). Both processes wait at a start line
(a file that appears) after Python has loaded the app, so their imports overlap; in half the
rounds each also pauses after reading the stored versions, which makes the overlap certain.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_process import Outcome, cli_env, run_in_process
from database_state import connected
from generated_files import write_events_csv
from sqlalchemy import text

EVENTS = 40
ROUNDS = [
    # (what the two files change, whether each process pauses after reading versions)
    ("same field", True),
    ("different fields", True),
    ("same field", False),
]
CONFLICT_WORDS = re.compile(
    r"conflict|changed|version|concurrent|another|at the same time|locked|busy|try again", re.I
)

AT_THE_START_LINE = """
import os, sys, time
import psycopg, sqlite3
from timeline_app import cli
from timeline_app.services import interchange
from timeline_app.store import queries

ready, start_line, pause = sys.argv[1], sys.argv[2], float(sys.argv[3])
if pause:
    read_versions = queries.existing_event_versions

    def read_then_pause(*args, **kwargs):
        versions = read_versions(*args, **kwargs)
        time.sleep(pause)
        return versions

    queries.existing_event_versions = read_then_pause
open(ready, "w").close()
while not os.path.exists(start_line):
    time.sleep(0.002)
sys.exit(cli.main(sys.argv[4:]))
"""


def _rewrite(base: Path, target: Path, column: str, text: str) -> Path:
    """The base file with one column of every row replaced by `text` and the row number."""
    lines = base.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    position = header.index(column)
    rows = [lines[0]]
    for number, line in enumerate(lines[1:]):
        cells = line.split(",")
        cells[position] = f"{text} {number}"
        rows.append(",".join(cells))
    target.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return target


def _stored(target: str) -> dict[str, tuple[int, str, str]]:
    with connected(target) as connection:
        rows = connection.execute(
            text("SELECT id, version, title, description FROM events WHERE id LIKE :prefix"),
            {"prefix": "race-%"},
        ).all()
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def _run_pair(
    target: str, files: tuple[Path, Path], folder: Path, pause: float
) -> tuple[Outcome, Outcome]:
    """Both imports, started together once both processes have loaded the app."""
    start_line = folder / "go"
    start_line.unlink(missing_ok=True)
    ready = [folder / f"ready{number}" for number in range(len(files))]
    processes = []
    for path, ready_file in zip(files, ready, strict=True):
        ready_file.unlink(missing_ok=True)
        arguments = [str(ready_file), str(start_line), str(pause), "--db", target]
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", AT_THE_START_LINE, *arguments, "import", str(path)],
                env=cli_env(folder / "data"),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    deadline = time.monotonic() + 60
    while not all(file.exists() for file in ready) and time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            break
        time.sleep(0.01)
    start_line.touch()
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        outcomes.append(Outcome(process.returncode, out.decode(), err.decode(errors="replace")))
    return outcomes[0], outcomes[1]


def test_concurrent_imports_of_the_same_events_lose_no_update(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    target = (
        str(tmp_path / "race.sqlite")
        if backend == "sqlite"
        else request.getfixturevalue("pg_schemas")()
    )
    base = write_events_csv(tmp_path / "base.csv", EVENTS, prefix="race-")
    run_in_process(["--db", target, "import", str(base)]).assert_ok()
    report = []
    for number, (kind, paused) in enumerate(ROUNDS):
        first_column, second_column = (
            ("title", "title") if kind == "same field" else ("title", "description")
        )
        files = (
            _rewrite(base, tmp_path / f"first{number}.csv", first_column, f"First {number}"),
            _rewrite(base, tmp_path / f"second{number}.csv", second_column, f"Second {number}"),
        )
        # Each round starts from the base content, so each file changes every event.
        run_in_process(["--db", target, "import", str(base)]).assert_ok()
        before = _stored(target)
        first, second = _run_pair(target, files, tmp_path, 0.5 if paused else 0.0)
        after = _stored(target)
        label = f"round {number} ({kind}, {'paused' if paused else 'natural'})"
        outcomes = (first, second)
        for outcome in outcomes:
            assert outcome.code in (0, 2), f"{label}: exit {outcome.code}: {outcome.err[-2000:]}"
            if outcome.code == 2:
                message = outcome.assert_refused().replace(str(tmp_path), "")
                assert CONFLICT_WORDS.search(message), f"{label}: not a conflict message: {message}"
        stored_writes = [outcome.code == 0 for outcome in outcomes]
        assert any(stored_writes), f"{label}: both refused: {first.err} {second.err}"
        for event_id, (version, title, description) in after.items():
            old_version, old_title, old_description = before[event_id]
            row = int(event_id.removeprefix("race-"))
            first_state = (f"First {number} {row}", old_description)
            if kind == "same field":
                second_state = (f"Second {number} {row}", old_description)
                merged = second_state
            else:
                second_state = (old_title, f"Second {number} {row}")
                merged = (f"First {number} {row}", f"Second {number} {row}")
            allowed = {
                (True, True): {first_state, second_state, merged},
                (True, False): {first_state},
                (False, True): {second_state},
            }[tuple(stored_writes)]  # type: ignore[index]
            assert (title, description) in allowed, f"{label}: {event_id} holds {title!r}"
            assert version == old_version + sum(stored_writes), (
                f"{label}: {event_id} is at version {version} after {sum(stored_writes)} "
                f"stored imports from version {old_version}: an update was lost"
            )
        report.append(f"{label}: exits {first.code}, {second.code}")
    print(f"\nconcurrent imports ({backend}):\n  " + "\n  ".join(report))
