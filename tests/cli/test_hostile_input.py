"""Hostile files through the real command: each ends in one line and exit code 2, within a
time and memory limit, and leaves the database byte-for-byte as it was."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MEMORY_LIMIT = 1 << 30
"""Address space for the child: ample for the app, far below what reading /dev/zero takes."""


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(*args: str, prefix: tuple[str, ...] = (), stdin: bytes | None = None, timeout: int = 60):
    return subprocess.run(
        [*prefix, sys.executable, "-m", "timeline_app", *args],
        capture_output=True,
        input=stdin,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        preexec_fn=limit_memory,
        timeout=timeout,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.decode("utf-8", "backslashreplace").strip().splitlines()
    assert result.returncode == 2, lines
    assert len(lines) == 1 and lines[0].startswith("timeline-app: error: "), lines
    return lines[0]


@pytest.fixture(scope="module")
def settled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("db")
    db = folder / "t.sqlite"
    seed = folder / "seed.csv"
    seed.write_text("title,start,category\nSeed event,2001-05,Energy\n", encoding="utf-8")
    assert run("import", str(seed), "--db", str(db)).returncode == 0
    return db


def test_importing_dev_zero_is_refused_at_once_without_eating_memory(settled_db):
    """Guards a crash: the file used to be read whole, growing until the system killed it."""
    before = digest(settled_db)
    result = run("import", "/dev/zero", "--format", "json", "--db", str(settled_db), timeout=30)
    assert (
        one_error_line(result)
        == "timeline-app: error: /dev/zero: file: is a device, not a file to import"
    )
    assert digest(settled_db) == before


def test_importing_a_named_pipe_does_not_wait_for_a_writer(settled_db, tmp_path):
    """Guards a hang: opening a FIFO for reading blocks until someone writes to it."""
    pipe = tmp_path / "events.json"
    os.mkfifo(pipe)
    result = run("import", str(pipe), "--db", str(settled_db), timeout=30)
    assert "is a named pipe (FIFO)" in one_error_line(result)


def test_a_sparse_file_past_the_limit_is_refused_by_its_size(settled_db, tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as stream:
        stream.truncate(600 * 1024 * 1024)  # 600 MB of holes: no disk used
    result = run("import", str(big), "--db", str(settled_db), timeout=30)
    assert one_error_line(result).endswith(
        "big.json: file: is larger than 512 MB; split it into smaller files"
    )


@pytest.mark.parametrize(
    ("name", "event", "words"),
    [
        ("surrogate.json", {"title": "Gas \ud800 deal"}, ":1: title: contains '\\ud800'"),
        ("nul.json", {"title": "Gas\x00deal"}, ":1: title: contains a NUL character"),
    ],
)
def test_hidden_characters_in_a_json_file_end_in_one_line(settled_db, tmp_path, name, event, words):
    """Guards a crash: a lone surrogate made the driver raise UnicodeEncodeError."""
    data = {
        "format": "timeline-app",
        "version": 1,
        "categories": [{"name": "Energy"}],
        "events": [
            {"id": "e1", "title": "Gas deal", "start": "2022", "category": "Energy", **event}
        ],
    }
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")  # ensure_ascii: \ud800 and \u0000 escapes
    before = digest(settled_db)
    line = one_error_line(run("import", str(path), "--db", str(settled_db)))
    assert line.startswith(f"timeline-app: error: {path}{words}"), line
    assert len(line) < 200 + len(str(path))
    assert digest(settled_db) == before


def test_hidden_characters_never_reach_postgresql(pg_target, tmp_path):
    """PostgreSQL refused a NUL with a raw driver error; now the rules refuse it first."""
    data = {
        "format": "timeline-app",
        "version": 1,
        "categories": [{"name": "Ener\u0000gy"}],
        "events": [],
    }
    path = tmp_path / "nul-category.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    line = one_error_line(run("import", str(path), "--db", pg_target))
    assert line == f"timeline-app: error: {path}:1: categories.name: contains a NUL character"


def test_export_to_dash_is_standard_output_whatever_the_format(settled_db, tmp_path):
    for fmt, first in (("csv", "id,title,start"), ("json", "{")):
        result = run("export", "-", "--format", fmt, "--db", str(settled_db))
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().startswith(first)
        assert "Seed event" in result.stdout.decode()
    assert not Path("-").exists()


def test_export_into_a_read_only_folder_names_the_reason(settled_db, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    # Root passes permission checks: drop that power from the child so the folder binds it too.
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv to drop the override")
        prefix = (setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner")
    try:
        result = run("export", str(folder / "out.json"), "--db", str(settled_db), prefix=prefix)
        line = one_error_line(result)
        assert (
            line == f"timeline-app: error: {folder / 'out.json'}: cannot write: permission denied"
        )
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)
