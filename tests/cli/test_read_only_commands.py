"""Commands that only read never create or fill a database, and every refusal is one line.

Permission tests run the command without root's permission override (root reads and writes
any file): when the suite runs as root, the child drops CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH from its capability bounding set, so `chmod` means to it what it means to
a user.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from timeline_app.cli import main
from timeline_app.services.catalog import Catalog
from timeline_app.services.dataset import load_dataset
from timeline_app.store.database import open_database

PASSWORD = "s3cret"
ONE_EVENT = {
    "format": "timeline-app",
    "version": 1,
    "categories": [{"name": "Energy", "colour": "#332288"}],
    "events": [
        {"id": "e1", "title": "Gas memorandum", "start": "2022-07-19", "category": "Energy"}
    ],
}
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _drop_permission_override() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def run(
    *args: str,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", *args],
        capture_output=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        preexec_fn=preexec_fn,
        timeout=120,
    )


@dataclass
class Outcome:
    returncode: int
    stdout: bytes
    stderr: bytes


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `timeline-app` in this process (no interpreter start-up): a traceback would raise."""

    def run_main(*args: str, env: dict[str, str] | None = None) -> Outcome:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        code = main(list(args))
        captured = capsys.readouterr()
        return Outcome(code, captured.out.encode(), captured.err.encode())

    return run_main


def one_error_line(result: subprocess.CompletedProcess | Outcome) -> str:
    """The single `timeline-app: error:` line of a refused command (exit 2, no traceback)."""
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr.decode()
    assert lines[0].startswith("timeline-app: error: ")
    return lines[0].removeprefix("timeline-app: error: ")


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture(scope="module")
def dataset_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of ours holding the bundled dataset, to copy from."""
    path = tmp_path_factory.mktemp("dataset") / "dataset.sqlite"
    catalog = Catalog(open_database(path))
    load_dataset(catalog)
    catalog.database.dispose()
    return path


@pytest.fixture
def as_user() -> Callable[[], None] | None:
    """How to start a child that obeys file permissions (None when not root)."""
    if os.geteuid() != 0:
        return None
    probe = subprocess.run(
        [sys.executable, "-c", "open('/proc/self/status').read()"],
        preexec_fn=_drop_permission_override,
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("root here cannot give up its permission override (no CAP_SETPCAP)")
    return _drop_permission_override


@pytest.mark.parametrize(
    "command",
    [
        ["info"],
        ["export", "out.json"],
        ["render", "out.png"],
    ],
)
def test_reading_commands_on_a_mistyped_path_create_nothing(tmp_path, cli, command):
    target = tmp_path / "typo" / "timeline.sqlite"
    out = [str(tmp_path / name) if "." in name else name for name in command]
    assert one_error_line(cli(*out, "--db", str(target))) == (
        f"{target} does not exist; create it with 'timeline-app init --db {target}'"
    )
    assert listing(tmp_path) == []


def test_reading_commands_do_not_create_the_default_database(tmp_path, cli):
    data = tmp_path / "fresh"
    result = cli("info", env={"TIMELINE_APP_DATA_DIR": str(data)})
    assert one_error_line(result) == (
        f"{data / 'timeline.sqlite'} does not exist; create it with "
        "'timeline-app init --dataset' (or open the window once)"
    )
    assert not data.exists()


def test_dry_run_on_a_new_path_plans_against_an_empty_database_and_leaves_none(tmp_path, cli):
    source = tmp_path / "one.json"
    source.write_text(json.dumps(ONE_EVENT), encoding="utf-8")
    target = tmp_path / "new" / "timeline.sqlite"
    result = cli("import", str(source), "--dry-run", "--db", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().strip() == (
        f"{source}: would add 1, change 0, leave 0 unchanged (into a new database)"
    )
    assert listing(tmp_path) == ["one.json"]


def test_reading_commands_leave_an_empty_postgresql_database_empty(pg_target, tmp_path, cli):
    for command in (["info"], ["export", str(tmp_path / "out.json")]):
        message = one_error_line(cli(*command, "--db", pg_target))
        assert "holds no timeline database; create it with 'timeline-app init --db" in message
    engine = create_engine(pg_target)
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == []
    finally:
        engine.dispose()
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("://", "'://' is not a database path or URL (not a URL); use a SQLite file path"),
        ("mysql://u@h/db", "mysql databases are not supported; use a SQLite file path, "),
        ("", "the database location is empty; use a SQLite file path"),
        (f"postgresql+psycopg://user:{PASSWORD}@h:abc/db", "user:***@h:abc/db"),
        (f"postgresql://user:{PASSWORD}@127.0.0.1:1/db", "cannot connect to 127.0.0.1:1"),
    ],
)
def test_bad_db_values_are_one_line_without_the_password(target, words, cli):
    result = cli("info", "--db", target)
    assert words in one_error_line(result)
    assert PASSWORD.encode() not in result.stdout + result.stderr


def test_unreadable_file_and_unreachable_folder_say_permission_denied(
    tmp_path, dataset_file, as_user
):
    locked_file = tmp_path / "locked.sqlite"
    shutil.copy(dataset_file, locked_file)
    locked_file.chmod(0)
    closed = tmp_path / "closed"
    closed.mkdir()
    shutil.copy(dataset_file, closed / "timeline.sqlite")
    closed.chmod(0)
    try:
        before = listing(tmp_path)
        assert one_error_line(run("info", "--db", str(locked_file), preexec_fn=as_user)) == (
            f"cannot open {locked_file}: permission denied (no read permission on the file)"
        )
        for command, target in [
            ("info", closed / "timeline.sqlite"),
            ("init", closed / "sub" / "new.sqlite"),
        ]:
            assert one_error_line(run(command, "--db", str(target), preexec_fn=as_user)) == (
                f"cannot open {target}: permission denied (cannot enter the folder {closed})"
            )
        assert listing(tmp_path) == before
    finally:
        closed.chmod(0o755)
    assert listing(closed) == ["timeline.sqlite"]


def test_read_only_file_is_read_but_not_written(tmp_path, dataset_file, as_user):
    path = tmp_path / "timeline.sqlite"
    shutil.copy(dataset_file, path)
    path.chmod(0o444)
    source = tmp_path / "one.json"
    source.write_text(json.dumps(ONE_EVENT), encoding="utf-8")
    before = path.read_bytes()

    info = run("info", "--db", str(path), preexec_fn=as_user)
    assert info.returncode == 0, info.stderr
    assert "backend:    sqlite (opened read-only)" in info.stdout.decode()
    assert "events:     220" in info.stdout.decode()
    exported = run("export", str(tmp_path / "out.json"), "--db", str(path), preexec_fn=as_user)
    assert exported.returncode == 0, exported.stderr
    assert len(json.loads((tmp_path / "out.json").read_text())["events"]) == 220
    assert one_error_line(run("import", str(source), "--db", str(path), preexec_fn=as_user)) == (
        f"{path} is read-only (no write permission on the file); left unchanged"
    )
    assert listing(tmp_path) == ["one.json", "out.json", "timeline.sqlite"]
    assert path.read_bytes() == before


def test_database_in_a_read_only_folder_is_read_but_not_written(tmp_path, dataset_file, as_user):
    folder = tmp_path / "shelf"
    folder.mkdir()
    path = folder / "timeline.sqlite"
    shutil.copy(dataset_file, path)
    folder.chmod(0o555)
    source = tmp_path / "one.json"
    source.write_text(json.dumps(ONE_EVENT), encoding="utf-8")
    try:
        info = run("info", "--db", str(path), preexec_fn=as_user)
        assert info.returncode == 0, info.stderr
        assert "events:     220" in info.stdout.decode()
        message = one_error_line(run("import", str(source), "--db", str(path), preexec_fn=as_user))
        assert message.startswith(f"{path} is read-only (no write permission on its folder")
        new = folder / "new.sqlite"
        assert one_error_line(run("init", "--db", str(new), preexec_fn=as_user)) == (
            f"cannot create {new}: permission denied (no write permission on {folder})"
        )
        assert listing(folder) == ["timeline.sqlite"]
    finally:
        folder.chmod(0o755)


@pytest.fixture
def small_disk(tmp_path: Path) -> list[str]:
    """A command prefix giving its shell a private mount namespace, where the script mounts a
    400 KB file system at ./small; it disappears with the command."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    prefix = (
        ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--mount"]
    )
    (tmp_path / "small").mkdir()
    probe = subprocess.run(
        [*prefix, "sh", "-c", "mount -t tmpfs -o size=400k tmpfs small"],
        cwd=tmp_path,
        capture_output=True,
    )
    if probe.returncode != 0:
        pytest.skip("cannot mount a small file system here")
    return prefix


def test_full_disk_is_reported_as_disk_full_and_nothing_is_written(tmp_path, small_disk):
    source = tmp_path / "dataset.json"
    source.write_bytes((Path(__file__).parents[2] / "resources/data/russia_iran.json").read_bytes())
    python = f"{sys.executable} -m timeline_app"
    script = (
        "mount -t tmpfs -o size=400k tmpfs small && "
        f"{python} init --db small/t.sqlite >/dev/null && "
        f"{{ {python} import dataset.json --db small/t.sqlite; echo exit=$?; }} && "
        f"{python} info --db small/t.sqlite"
    )
    result = subprocess.run(
        [*small_disk, "sh", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        timeout=240,
    )
    lines = result.stderr.decode().strip().splitlines()
    assert lines == [
        "timeline-app: error: dataset.json: database: disk full: cannot write "
        f"{tmp_path / 'small' / 't.sqlite'}; nothing was written"
    ]
    assert "exit=2" in result.stdout.decode() and "events:     0" in result.stdout.decode()


@pytest.fixture
def locked_events_table(pg_target: str) -> Iterator[str]:
    """A database of ours whose events table another session holds exclusively."""
    open_database(pg_target).dispose()
    engine = create_engine(pg_target)
    connection = engine.connect()
    connection.execute(text("LOCK TABLE events IN ACCESS EXCLUSIVE MODE"))
    try:
        yield pg_target
    finally:
        connection.rollback()
        connection.close()
        engine.dispose()


def test_postgresql_lock_held_elsewhere_times_out_in_one_line(locked_events_table, tmp_path, cli):
    source = tmp_path / "one.json"
    source.write_text(json.dumps(ONE_EVENT), encoding="utf-8")
    result = cli(
        "import", str(source), "--db", locked_events_table, env={"TIMELINE_PG_LOCK_TIMEOUT": "1"}
    )
    # the import first reads the stored events (likely duplicates): that read waits too
    assert one_error_line(result) == (
        "the database is locked by another session (waited 1 s); try again"
    )


def test_postgresql_statement_past_its_limit_is_cancelled_in_one_line(locked_events_table, cli):
    result = cli(
        "export",
        "-",
        "--db",
        locked_events_table,
        env={"TIMELINE_PG_LOCK_TIMEOUT": "0", "TIMELINE_PG_STATEMENT_TIMEOUT": "1"},
    )
    assert one_error_line(result).startswith("the database took longer than 1 s")
    assert "raise TIMELINE_PG_STATEMENT_TIMEOUT" in result.stderr.decode()


def test_silent_postgresql_server_times_out(cli):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    try:
        result = cli(
            "info",
            "--db",
            f"postgresql+psycopg://user:{PASSWORD}@127.0.0.1:{port}/db",
            env={"TIMELINE_PG_CONNECT_TIMEOUT": "2"},
        )
    finally:
        listener.close()
    assert one_error_line(result) == (
        f"cannot connect to 127.0.0.1:{port}: timed out after 2 s (TIMELINE_PG_CONNECT_TIMEOUT)"
    )
    assert PASSWORD.encode() not in result.stderr
