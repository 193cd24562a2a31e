"""A read-only database, a read-only folder and a full disk: each named for what it is.

The command ends with exit 2 and one line saying read-only / permission denied / disk full
(never "damaged" or "not a timeline database"); the database file is byte for byte as it was
and no `-wal`, `-shm`, `-journal` or `.partial` file is left where there was none. Reading
commands still work on a database that cannot be written.

Tests run as root here, and root ignores file permissions: the command then runs without the
two capabilities that let root do so (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), which keeps the
interpreter readable wherever it is installed and makes the permission bits count.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_process import Outcome, run_cli, running_as_root
from database_state import Seed, database_digest, sqlite_integrity
from generated_files import write_events_csv

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE = 1
CAP_DAC_READ_SEARCH = 2
READ_ONLY_WORDS = re.compile(
    r"read-only|read only|readonly|permission denied|not writable|cannot write", re.I
)
DISK_FULL_WORDS = re.compile(r"disk is full|disk full|no space|is full", re.I)
FILE_SIZE_WORDS = re.compile(r"disk is full|disk full|no space|is full|too large|file size", re.I)
WRONG_DIAGNOSES = re.compile(r"damaged|not a timeline|another program|corrupt|malformed", re.I)
VOLUME_BYTES = 2 * 1024 * 1024


def _without_permission_override() -> None:
    """preexec_fn: as root, give up the capabilities that bypass file permissions."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


UNPRIVILEGED = _without_permission_override if running_as_root() else None


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder outside pytest's private temp tree, so permissions are the test's own."""
    path = Path(tempfile.mkdtemp(prefix="timeline-storage-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for each in [path, *path.rglob("*")]:
            if each.is_dir():
                each.chmod(0o755)
        shutil.rmtree(path, ignore_errors=True)


def _new_events_file(folder: Path, count: int = 5) -> Path:
    return write_events_csv(folder / "new-events.csv", count, prefix="new-")


def _place_database(seed: Seed, home: Path) -> Path:
    home.mkdir(mode=0o755)
    database = seed.copy_to(home / "timeline.sqlite")
    database.chmod(0o644)
    return database


def _assert_refused_untouched(
    outcome: Outcome, database: Path, listing: set[str], file_hash: str, words: re.Pattern
) -> str:
    line = outcome.assert_refused()
    assert str(database) in line, f"the database at fault is not named: {line}"
    message = line.replace(str(database.parent), "")
    assert words.search(message), f"not the true diagnosis: {line}"
    assert not WRONG_DIAGNOSES.search(message), f"a wrong diagnosis: {line}"
    assert set(os.listdir(database.parent)) == listing, "files left behind"
    assert file_digest(database) == file_hash, "the database file changed"
    return line


def test_permissions_count_for_the_commands_run_here(folder: Path) -> None:
    """Guard: the read-only tests below mean something only if the command cannot write."""
    locked = folder / "locked.txt"
    locked.write_text("x")
    locked.chmod(0o444)
    result = subprocess.run(
        ["python3", "-c", f"open({str(locked)!r}, 'a').write('y')"],
        preexec_fn=UNPRIVILEGED,
        capture_output=True,
    )
    assert result.returncode != 0 and b"PermissionError" in result.stderr


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_import_into_a_read_only_database_says_so(seed: Seed, folder: Path, locked: str) -> None:
    database = _place_database(seed, folder / "home")
    new_events = _new_events_file(folder)
    if locked == "file":
        database.chmod(0o444)
        database.parent.chmod(0o777)
    else:
        database.chmod(0o666)
        database.parent.chmod(0o555)
    listing, file_hash = set(os.listdir(database.parent)), file_digest(database)
    outcome = run_cli(
        ["--db", str(database), "import", str(new_events)],
        folder / "data",
        preexec_fn=UNPRIVILEGED,
    )
    _assert_refused_untouched(outcome, database, listing, file_hash, READ_ONLY_WORDS)
    assert database_digest(str(database)) == database_digest(str(seed.database))


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_reading_commands_work_on_a_read_only_database(
    seed: Seed, folder: Path, locked: str
) -> None:
    database = _place_database(seed, folder / "home")
    out = folder / "out"
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    if locked == "file":
        database.chmod(0o444)
        database.parent.chmod(0o777)
    else:
        database.chmod(0o666)
        database.parent.chmod(0o555)
    listing, file_hash = set(os.listdir(database.parent)), file_digest(database)
    info = run_cli(["--db", str(database), "info"], folder / "data", preexec_fn=UNPRIVILEGED)
    info.assert_ok()
    assert "events:     220" in info.out
    export = run_cli(
        ["--db", str(database), "export", str(out / "all.json")],
        folder / "data",
        preexec_fn=UNPRIVILEGED,
    )
    export.assert_ok()
    assert (out / "all.json").read_text(encoding="utf-8") == seed.json_text
    assert set(os.listdir(database.parent)) == listing, "files left behind"
    assert file_digest(database) == file_hash


def test_export_into_a_read_only_folder_says_so(seed: Seed, folder: Path) -> None:
    database = _place_database(seed, folder / "home")
    out = folder / "out"
    out.mkdir()
    out.chmod(0o555)
    outcome = run_cli(
        ["--db", str(database), "export", str(out / "all.json")],
        folder / "data",
        preexec_fn=UNPRIVILEGED,
    )
    line = outcome.assert_refused()
    assert READ_ONLY_WORDS.search(line.replace(str(folder), "")), line
    assert os.listdir(out) == []


# --- a full disk -----------------------------------------------------------------------------


def _mount_small_volume(path: Path) -> bool:
    """A 2 MB tmpfs at `path` where the system allows mounting (root in most containers)."""
    if not running_as_root() or shutil.which("mount") is None:
        return False
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={VOLUME_BYTES}", "tmpfs", str(path)],
        capture_output=True,
    )
    return result.returncode == 0


def _fill(volume: Path, leave: int) -> Path:
    """A file taking all but `leave` bytes of the volume's free space."""
    stats = os.statvfs(volume)
    free = stats.f_bavail * stats.f_frsize
    filler = volume / "filler.bin"
    with filler.open("wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


def _file_size_limit(limit: int) -> Callable[[], None]:
    """preexec_fn: writes past `limit` bytes fail (EFBIG) instead of killing the process."""

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_file_size


@pytest.fixture
def full_disk(folder: Path) -> Iterator[tuple[Path, Callable[[], None] | None, re.Pattern]]:
    """A folder whose disk has almost no room: a tiny volume where one can be mounted, else a
    file-size limit on the command's process. Yields the folder, the preexec_fn and the words
    the message must contain."""
    volume = folder / "volume"
    volume.mkdir()
    if _mount_small_volume(volume):
        try:
            yield volume, None, DISK_FULL_WORDS
        finally:
            subprocess.run(["umount", str(volume)], check=False)
        return
    yield volume, _file_size_limit(1024 * 1024), FILE_SIZE_WORDS


def test_import_onto_a_full_disk_says_so_and_leaves_the_database_intact(
    seed: Seed, folder: Path, full_disk: tuple
) -> None:
    volume, limit, words = full_disk
    database = seed.copy_to(volume / "timeline.sqlite")
    many_events = write_events_csv(folder / "many.csv", 2_100, prefix="many-")
    filler = _fill(volume, leave=96 * 1024) if limit is None else None
    listing, file_hash = set(os.listdir(volume)), file_digest(database)

    outcome = run_cli(
        ["--db", str(database), "import", str(many_events)], folder / "data", preexec_fn=limit
    )
    _assert_refused_untouched(outcome, database, listing, file_hash, words)
    assert sqlite_integrity(database) == "ok"
    assert database_digest(str(database)) == database_digest(str(seed.database))

    if filler is not None:
        filler.unlink()
    room = run_cli(["--db", str(database), "import", str(_new_events_file(folder))], folder)
    room.assert_ok()
    assert sqlite_integrity(database) == "ok"


def test_export_onto_a_full_disk_says_so_and_leaves_no_partial_file(
    seed: Seed, folder: Path, full_disk: tuple
) -> None:
    volume, limit, words = full_disk
    database = seed.copy_to(folder / "timeline.sqlite")
    if limit is None:
        _fill(volume, leave=32 * 1024)
    else:
        limit = _file_size_limit(32 * 1024)
        # the database itself is larger than the limit: read it from where it is, write small
    listing = set(os.listdir(volume))
    outcome = run_cli(
        ["--db", str(database), "export", str(volume / "all.json")],
        folder / "data",
        preexec_fn=limit,
    )
    line = outcome.assert_refused()
    assert words.search(line.replace(str(folder), "")), line
    assert set(os.listdir(volume)) == listing, "a partial file was left"
