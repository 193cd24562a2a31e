"""Running `timeline-app` as a user would: a real process, in-process for speed, as another user.

The subprocess finds the package from this checkout (PYTHONPATH) as well as where it is
installed, and never touches the real user data folder.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from timeline_app.cli import main

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
ERROR_PREFIX = "timeline-app: error:"
NOBODY = 65534


@dataclass(frozen=True, slots=True)
class Outcome:
    """Exit code and output of one command."""

    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        return self.err.strip().splitlines()

    def assert_refused(self) -> str:
        """Exit 2 with exactly one line `timeline-app: error: …`; returns that line."""
        assert self.code == 2, f"exit {self.code}, expected 2; stderr: {self.err[-2000:]}"
        lines = self.error_lines
        assert len(lines) == 1, f"{len(lines)} lines on stderr, expected one:\n{self.err[-3000:]}"
        assert lines[0].startswith(ERROR_PREFIX), lines[0]
        return lines[0]

    def assert_ok(self) -> None:
        assert self.code == 0, f"exit {self.code}; stderr: {self.err[-3000:]}"


def cli_env(data_dir: Path) -> dict[str, str]:
    """The environment of a CLI subprocess: this checkout first on the path, a tmp data dir."""
    path = os.pathsep.join(filter(None, [str(REPOSITORY_ROOT), os.environ.get("PYTHONPATH")]))
    return {
        **os.environ,
        "PYTHONPATH": path,
        "TIMELINE_APP_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def as_nobody() -> None:
    """preexec_fn: drop root to the unprivileged `nobody`, so file permissions apply."""
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def running_as_root() -> bool:
    return os.geteuid() == 0


def run_cli(
    args: Sequence[str],
    data_dir: Path,
    *,
    preexec_fn: Callable[[], None] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
) -> Outcome:
    """`python -m timeline_app ARGS` in a new process."""
    result = subprocess.run(
        [sys.executable, "-m", "timeline_app", *args],
        capture_output=True,
        env=cli_env(data_dir),
        preexec_fn=preexec_fn,
        cwd=cwd,
        timeout=timeout,
    )
    return Outcome(
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


def run_in_process(args: Sequence[str]) -> Outcome:
    """The CLI entry point in this process, its output captured (a crash propagates)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Outcome(code, out.getvalue(), err.getvalue())


_WHERE = re.compile(r"^timeline-app: error: (?:.*?:\d+: |.*?\.(?:json|csv): )?(?P<rest>.*)$")


def error_kind(line: str) -> str:
    """The field an error line names (`start`, `json`, `encoding`…), for outcome counts."""
    match = _WHERE.match(line)
    rest = match.group("rest") if match else line
    field = rest.split(":", 1)[0].strip()
    field = re.sub(r"\[\d+\]", "[]", field)
    return field[:40]
