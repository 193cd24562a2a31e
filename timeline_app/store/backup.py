"""Copies of a SQLite database: daily and before migrations at open, by hand, and restores.

Every copy goes through SQLite's online backup API into a temporary name in the target folder
and is renamed into place, so a crash never leaves a half copy under a real name. Copies are
single files (rollback journal, no `-wal` beside them), ready to be opened or restored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from timeline_app.domain.errors import SchemaError, TimelineError, quoted

BACKUP_FOLDER = "backups"
DAILY_COPIES_KEPT = 7
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
"""Files SQLite keeps beside a database; a stale one must never meet a replaced database."""
SQLITE_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
RESTORE_BUSY_TIMEOUT_S = 2.0

log = logging.getLogger(__name__)


class DatabaseBusyError(TimelineError):
    """Another program has the database open, so it cannot be replaced now."""


@dataclass(frozen=True, slots=True)
class OpenBackups:
    """What the backups at open did: the copies written and, when one failed, why."""

    written: tuple[Path, ...] = ()
    warning: str | None = None


def today() -> dt.date:
    """The local date that names a daily copy (a function, so tests can move the clock)."""
    return dt.date.today()


def backup_folder(database_path: Path) -> Path:
    return database_path.parent / BACKUP_FOLDER


def daily_copy_path(database_path: Path, day: dt.date) -> Path:
    return backup_folder(database_path) / f"{database_path.name}.{day.isoformat()}.sqlite"


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%dT%H%M%S")


def labelled_copy_path(database_path: Path, label: str) -> Path:
    """A copy that is never pruned: `timeline.sqlite.before-0001_initial-20261129T101500.sqlite`
    before a migration from 0001_initial, `….before-restore-….sqlite` before a restore."""
    return backup_folder(database_path) / f"{database_path.name}.before-{label}-{_stamp()}.sqlite"


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


@contextmanager
def _written_atomically(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it into place only when the block ends
    without an error, and remove it otherwise. The name is per process, so two windows opening
    the database at the same moment never write into one temporary file."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _online_copy(source: Path, target: Path) -> None:
    """Copy a live database page by page (readers and writers may carry on) into `target`,
    a new file, and switch the copy to a rollback journal so it is one self-contained file."""
    source_connection = sqlite3.connect(source, timeout=RESTORE_BUSY_TIMEOUT_S)
    try:
        copy_connection = sqlite3.connect(target)
        try:
            source_connection.backup(copy_connection)
            copy_connection.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy_connection.close()
    finally:
        source_connection.close()


def copy_database(source: Path, target: Path) -> None:
    """Write an online-backup copy of the database at `source` to `target`, or nothing.

    Raises OSError or sqlite3.Error; callers decide whether a failure is fatal.
    """
    with _written_atomically(target) as temporary:
        _online_copy(source, temporary)


def _stored_revisions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def prune_daily_copies(database_path: Path, keep: int = DAILY_COPIES_KEPT) -> list[Path]:
    """Delete all but the newest `keep` daily copies of this database; labelled copies stay."""
    pattern = re.compile(rf"{re.escape(database_path.name)}\.\d{{4}}-\d{{2}}-\d{{2}}\.sqlite")
    folder = backup_folder(database_path)
    daily = sorted(name for name in os.listdir(folder) if pattern.fullmatch(name))
    removed = []
    for name in daily[: max(len(daily) - keep, 0)]:
        (folder / name).unlink(missing_ok=True)
        removed.append(folder / name)
    return removed


def _copy_into_backup_folder(database_path: Path, copy: Path) -> None:
    """Copy into the backups folder, making it if needed; a failed copy takes back a folder it
    made, so a refused or failed open leaves nothing new beside the database."""
    folder = copy.parent
    made = not folder.exists()
    if not made and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"{folder.name} is a file, not a folder")
    try:
        folder.mkdir(exist_ok=True)
        copy_database(database_path, copy)
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def backups_at_open(engine: Engine, head: str, *, daily: bool = True) -> OpenBackups:
    """Back up an existing SQLite database before it is migrated to `head`, and once a day
    when `daily` (opens that may write; a reading command changes nothing worth a copy).

    A failed copy before a migration raises SchemaError (nothing is migrated without a copy);
    a failed daily copy is logged as a one-line warning and returned, and the open goes on.
    On other databases, nothing happens: PostgreSQL is backed up with its own tools.
    """
    if engine.dialect.name != "sqlite" or not engine.url.database:
        return OpenBackups()
    database_path = Path(engine.url.database)
    written: list[Path] = []
    stored = _stored_revisions(engine)
    if stored and stored[0] != head:
        copy = labelled_copy_path(database_path, stored[0])
        try:
            _copy_into_backup_folder(database_path, copy)
        except (OSError, sqlite3.Error) as error:
            raise SchemaError(
                f"cannot back up {database_path} before migrating it from schema {stored[0]} "
                f"to {head} ({_reason(error)}); not migrated, left unchanged"
            ) from error
        written.append(copy)
    if not daily:
        return OpenBackups(tuple(written))
    daily_copy = daily_copy_path(database_path, today())
    if daily_copy.exists():
        return OpenBackups(tuple(written))
    try:
        _copy_into_backup_folder(database_path, daily_copy)
        prune_daily_copies(database_path)
    except (OSError, sqlite3.Error) as error:
        warning = (
            f"timeline-app: warning: no daily backup of {database_path} in "
            f"{daily_copy.parent} ({_reason(error)}); the database is open without one"
        )
        log.warning(warning)
        return OpenBackups(tuple(written), warning)
    written.append(daily_copy)
    return OpenBackups(tuple(written))


def _is_busy(error: sqlite3.Error) -> bool:
    return getattr(error, "sqlite_errorcode", None) in SQLITE_BUSY_CODES


def verify_copy(path: Path, name: Path) -> None:
    """Raise SchemaError naming `name` unless SQLite's quick check finds `path` sound."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            findings = [row[0] for row in connection.execute("PRAGMA quick_check(3)")]
        finally:
            connection.close()
    except sqlite3.Error as error:
        findings = [str(error)]
    if findings != ["ok"]:
        summary = " ".join(" ".join(findings).replace("*", " ").split())
        raise SchemaError(f"{name} is a damaged SQLite file ({quoted(summary)}); not used")


def event_count(path: Path) -> int:
    """Events stored in a database file, read without writing (raises sqlite3.Error)."""
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        connection.close()


def _copy_as_is(path: Path, copy: Path) -> None:
    """Byte copy of a database (and any `-wal`/`-journal` beside it) that SQLite cannot read
    or that is locked by us, so nothing in it is lost when it is replaced."""
    with _written_atomically(copy) as temporary:
        shutil.copyfile(path, temporary)
    for suffix in ("-wal", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            shutil.copyfile(companion, copy.with_name(copy.name + suffix))


def _remove_companions(path: Path) -> None:
    for suffix in COMPANION_SUFFIXES:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def replace_database(
    replacement: Path, target: Path, *, busy_timeout: float = RESTORE_BUSY_TIMEOUT_S
) -> Path | None:
    """Put the database file `replacement` (in the target's folder) in place of `target`.

    A readable target is first switched to a rollback journal and locked exclusively, which
    fails when any other program has it open (DatabaseBusyError, nothing changed); while the
    lock is held it is copied to `backups/` and replaced in one rename. Returns that copy.
    """
    if not target.exists() or target.stat().st_size == 0:
        _remove_companions(target)
        os.replace(replacement, target)
        return None
    pre_restore = labelled_copy_path(target, "restore")
    pre_restore.parent.mkdir(exist_ok=True)
    connection = sqlite3.connect(target, timeout=busy_timeout, isolation_level=None)
    try:
        try:
            connection.execute("PRAGMA journal_mode = DELETE").fetchall()
            connection.execute("BEGIN EXCLUSIVE")
        except sqlite3.Error as error:
            if _is_busy(error):
                raise DatabaseBusyError(
                    f"{target} is in use by another program (a window or a command); "
                    "close it and try again; nothing was restored"
                ) from error
            # Damaged or not a database at all: the caller allowed replacing it as it is.
        _copy_as_is(target, pre_restore)
        _remove_companions(target)
        os.replace(replacement, target)
    finally:
        connection.close()
    return pre_restore
