"""Backups, restores and checks of a whole database, for the command line and the window.

SQLite files are copied with SQLite's online backup API; a PostgreSQL database is backed up
as the lossless JSON export and restored by importing it (`pg_dump` covers the server).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from timeline_app.domain.errors import SchemaError, TimelineError
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, export_file, read_file
from timeline_app.store import backup, integrity
from timeline_app.store.database import (
    SQLITE_HEADER,
    Database,
    describe_target,
    holds_no_database,
    open_database,
    sqlite_file_of,
)


@dataclass(frozen=True, slots=True)
class BackupResult:
    """Where a backup went and what it is: a SQLite copy or a JSON export."""

    path: Path
    kind: str
    events: int | None = None


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What a restore put in place, and where the replaced database was kept."""

    location: str
    previous_copy: Path | None = None
    events_added: int | None = None
    events_replaced: int | None = None


@dataclass(frozen=True, slots=True)
class CheckReport:
    findings: tuple[integrity.Finding, ...]

    @property
    def ok(self) -> bool:
        return all(finding.ok for finding in self.findings)

    def lines(self) -> list[str]:
        """One line per check that passed or does not apply, and one per kind of problem."""
        lines = []
        for finding in self.findings:
            if finding.not_applicable:
                lines.append(f"{finding.check}: n/a ({finding.not_applicable})")
            elif finding.not_checked:
                lines.append(f"{finding.check}: not checked ({finding.not_checked})")
            elif finding.ok:
                lines.append(f"{finding.check}: ok")
            for problem in finding.problems:
                examples = ", ".join(problem.examples)
                more = ", …" if problem.count > len(problem.examples) else ""
                lines.append(
                    f"{finding.check}: {problem.what}: {problem.count} (e.g. {examples}{more})"
                )
        return lines


@dataclass(frozen=True, slots=True)
class RepairReport:
    """What the repairs touched, and a check made after them."""

    repairs: integrity.Repairs | None
    after: CheckReport


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def backup_warnings() -> Iterator[list[str]]:
    """Collect the one-line warnings of failed automatic backups while a database is opened,
    for the window's status bar (without a collector they go to standard error)."""
    collector = _WarningCollector()
    logger = logging.getLogger(backup.__name__)
    logger.addHandler(collector)
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)


def _check_output(out: Path, force: bool) -> None:
    if out.is_dir():
        raise TimelineError(f"{out} is a folder; give a file name for the backup")
    if not out.parent.is_dir():
        raise TimelineError(f"{out}: the folder {out.parent} does not exist")
    if out.exists() and not force:
        raise TimelineError(f"{out} exists; give --force to replace it")


def _existing_sqlite(path: Path) -> None:
    """Refuse a missing, empty, foreign or newer-schema SQLite file (read-only look)."""
    if not path.exists():
        raise TimelineError(f"{path} does not exist")
    if holds_no_database(path):
        raise SchemaError(f"{path} holds no timeline database")


def backup_database(
    target: str | Path | None, out: str | Path, *, force: bool = False
) -> BackupResult:
    """Copy the database to `out`: a SQLite file as a SQLite file, any other as JSON."""
    out_path = Path(out).expanduser().absolute()
    _check_output(out_path, force)
    sqlite_path = sqlite_file_of(target)
    if sqlite_path is None:
        if out_path.suffix.lower() != ".json":
            raise TimelineError(
                f"{out_path}: a server database is backed up as JSON; name the file .json"
            )
        database = open_database(target, create=False, write=False)
        try:
            events = export_file(Catalog(database), out_path, "json")
        finally:
            database.dispose()
        return BackupResult(out_path, "json", events)
    _existing_sqlite(sqlite_path)
    if out_path.resolve() == sqlite_path:
        raise TimelineError(f"{out_path} is the database itself; choose another file")
    try:
        backup.copy_database(sqlite_path, out_path)
    except (OSError, sqlite3.Error) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise TimelineError(f"{out_path}: cannot write the backup ({reason})") from error
    return BackupResult(out_path, "sqlite")


def restore_database(
    target: str | Path | None, file: str | Path, *, force: bool = False
) -> RestoreResult:
    """Replace the database with a backup: a SQLite copy for a SQLite database (the current
    file is kept in `backups/` first), or an import of a JSON backup into any other."""
    source = Path(file).expanduser().absolute()
    if not source.exists():
        raise TimelineError(f"{source} does not exist")
    if source.is_dir():
        raise TimelineError(f"{source} is a folder, not a backup file")
    sqlite_path = sqlite_file_of(target)
    if sqlite_path is None:
        return _restore_by_import(target, source, force)
    return _restore_sqlite(sqlite_path, source, force)


def _check_replaceable(target: Path, force: bool) -> None:
    """A target holding events, or one that cannot be read, is replaced only with --force."""
    if not target.exists() or target.stat().st_size == 0:
        return
    try:
        if holds_no_database(target):
            return
        events = backup.event_count(target)
    except (SchemaError, sqlite3.Error) as error:
        if force:
            return
        raise TimelineError(
            f"{error}; give --force to replace it (a copy is kept in backups/)"
        ) from error
    if events and not force:
        raise TimelineError(
            f"{target} holds {events} events; give --force to replace it "
            "(a copy is kept in backups/)"
        )


def _restore_sqlite(target: Path, source: Path, force: bool) -> RestoreResult:
    if source.resolve() == target:
        raise TimelineError(f"{source} is the database itself; choose a backup file")
    if target.is_dir():
        raise TimelineError(f"{target} is a folder, not a database file; nothing was restored")
    _existing_sqlite(source)
    _check_replaceable(target, force)
    if not target.parent.is_dir():
        raise TimelineError(f"{target}: the folder {target.parent} does not exist")
    staged = target.with_name(f".{target.name}.restoring")
    try:
        try:
            backup.copy_database(source, staged)
        except (OSError, sqlite3.Error) as error:
            reason = error.strerror if isinstance(error, OSError) else str(error)
            raise TimelineError(f"{source}: cannot copy it beside {target} ({reason})") from error
        backup.verify_copy(staged, source)
        try:
            previous = backup.replace_database(staged, target)
        except OSError as error:
            raise TimelineError(
                f"{target}: cannot replace it ({error.strerror or error}); nothing was restored"
            ) from error
    finally:
        staged.unlink(missing_ok=True)
    return RestoreResult(str(target), previous_copy=previous)


def _restore_by_import(target: str | Path | None, source: Path, force: bool) -> RestoreResult:
    with source.open("rb") as handle:
        is_sqlite = handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    if is_sqlite:
        raise TimelineError(
            f"{source} is a SQLite copy; a server database is restored from a JSON backup "
            "(export one from the copy with: timeline-app export --db COPY FILE.json)"
        )
    document = read_file(source, "json")
    database = open_database(target)
    try:
        catalog = Catalog(database)
        events = catalog.count_events()
        if events and not force:
            raise TimelineError(
                f"{describe_target(target)} holds {events} events; restore into an empty "
                "database, or give --force to import the backup over them"
            )
        result = apply_import(catalog, document)
    finally:
        database.dispose()
    return RestoreResult(
        describe_target(target),
        events_added=len(result.added_ids),
        events_replaced=len(result.replaced),
    )


def check(database: Database) -> CheckReport:
    """Run every check; changes nothing."""
    return CheckReport(tuple(integrity.check_database(database.engine)))


def repair(database: Database) -> RepairReport:
    """Rebuild what is derivable in one transaction, then check again. A file SQLite finds
    damaged is left alone: rebuilding on damaged pages could spread the damage."""
    before = check(database)
    if not before.findings[0].ok:
        return RepairReport(None, before)
    repairs = integrity.repair_database(database.engine, database.location)
    return RepairReport(repairs, check(database))
