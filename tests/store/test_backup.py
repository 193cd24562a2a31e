"""Automatic copies of a SQLite database at open: daily, before migrations, never half-written."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app import paths
from timeline_app.domain.errors import SchemaError
from timeline_app.services.maintenance import backup_warnings
from timeline_app.store import backup
from timeline_app.store import database as database_module
from timeline_app.store.database import open_database, schema_revision

SCRATCH_REVISION = '''"""A later schema: one more table.

Revision ID: 0005_scratch
Revises: 0004_search_location
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_scratch"
down_revision = "0004_search_location"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("scratch", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("scratch")
'''


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_database(path: Path) -> None:
    """An existing database with a marker row, so a copy can be told from its original."""
    database = open_database(path)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('marker', 'original')")
    database.dispose()


def marker(path: Path) -> str:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT value FROM meta WHERE key = 'marker'").fetchone()[0]
    finally:
        connection.close()


def reopen(path: Path) -> None:
    open_database(path).dispose()


def test_new_database_is_not_backed_up(tmp_path):
    make_database(tmp_path / "timeline.sqlite")
    assert not (tmp_path / "backups").exists()


def test_first_open_of_a_day_writes_one_self_contained_copy(tmp_path, monkeypatch):
    path = tmp_path / "timeline.sqlite"
    make_database(path)
    monkeypatch.setattr(backup, "today", lambda: dt.date(2026, 11, 29))
    reopen(path)
    copy = tmp_path / "backups" / "timeline.sqlite.2026-11-29.sqlite"
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [copy.name]
    assert marker(copy) == "original"
    assert copy.read_bytes()[18:20] == b"\x01\x01", "a copy must not need a -wal file"
    stamp = copy.stat().st_mtime_ns
    reopen(path)
    assert copy.stat().st_mtime_ns == stamp, "the second open of a day copies nothing"


def test_seven_daily_copies_are_kept_and_labelled_copies_never_pruned(tmp_path, monkeypatch):
    path = tmp_path / "timeline.sqlite"
    make_database(path)
    folder = tmp_path / "backups"
    folder.mkdir()
    labelled = folder / "timeline.sqlite.before-0001_initial-20200101T000000.sqlite"
    shutil.copyfile(path, labelled)
    other = folder / "other.sqlite.2020-01-01.sqlite"
    other.write_bytes(b"")
    for day in range(1, 11):
        monkeypatch.setattr(backup, "today", lambda day=day: dt.date(2026, 11, day))
        reopen(path)
    daily = sorted(p.name for p in folder.glob("timeline.sqlite.2026-*.sqlite"))
    assert daily == [f"timeline.sqlite.2026-11-{day:02d}.sqlite" for day in range(4, 11)]
    assert labelled.exists() and other.exists()


def test_failed_daily_copy_warns_in_one_line_and_the_database_opens(tmp_path):
    path = tmp_path / "timeline.sqlite"
    make_database(path)
    (tmp_path / "backups").write_text("a file where the folder should be\n")
    with backup_warnings() as warnings:
        database = open_database(path)
    database.dispose()
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert warnings[0].startswith("timeline-app: warning: no daily backup of")
    assert str(tmp_path / "backups") in warnings[0]
    assert "(backups is a file, not a folder)" in warnings[0]


def later_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The shipped migrations plus one more revision, as a newer app version would have."""
    migrations = tmp_path / "migrations"
    shutil.copytree(
        paths.migrations_dir(), migrations, ignore=shutil.ignore_patterns("__pycache__")
    )
    (migrations / "versions" / "0005_scratch.py").write_text(SCRATCH_REVISION)
    monkeypatch.setattr(paths, "migrations_dir", lambda: migrations)
    # the app reads its revisions once per process; this test changes them
    monkeypatch.setattr(
        database_module, "known_revisions", database_module.known_revisions.__wrapped__
    )
    monkeypatch.setattr(database_module, "SCHEMA_HEAD", "0005_scratch")
    return "0005_scratch"


def test_migration_of_an_existing_database_is_preceded_by_a_copy(tmp_path, monkeypatch):
    path = tmp_path / "data" / "timeline.sqlite"
    make_database(path)
    head = later_schema(tmp_path, monkeypatch)
    database = open_database(path)
    try:
        assert schema_revision(database) == head
    finally:
        database.dispose()
    copies = list(
        (path.parent / "backups").glob("timeline.sqlite.before-0004_search_location-*.sqlite")
    )
    assert len(copies) == 1
    connection = sqlite3.connect(copies[0])
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0004_search_location",
        )
    finally:
        connection.close()


def test_migration_is_refused_when_no_copy_can_be_made(tmp_path, monkeypatch):
    path = tmp_path / "timeline.sqlite"
    make_database(path)
    (tmp_path / "backups").write_text("a file where the folder should be\n")
    later_schema(tmp_path, monkeypatch)
    with pytest.raises(SchemaError, match=r"cannot back up .* not migrated, left unchanged"):
        open_database(path)
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "0004_search_location",
        )
    finally:
        connection.close()


def test_postgresql_database_gets_no_automatic_copy(pg_target):
    database = open_database(pg_target)
    try:
        assert backup.backups_at_open(database.engine, "0001_initial") == backup.OpenBackups()
    finally:
        database.dispose()


def test_failed_copy_leaves_no_file_under_any_name(tmp_path):
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("shopping list\n" * 100)
    target = tmp_path / "copy.sqlite"
    with pytest.raises(sqlite3.DatabaseError):
        backup.copy_database(not_a_database, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


HOLD_WRITE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE meta SET value = value")
print("locked", flush=True)
time.sleep(30)
"""


def test_database_held_by_another_process_is_not_replaced(tmp_path):
    target = tmp_path / "timeline.sqlite"
    make_database(target)
    replacement = tmp_path / ".replacement.sqlite"
    backup.copy_database(target, replacement)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_WRITE_LOCK, str(target)], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        with pytest.raises(backup.DatabaseBusyError, match="in use by another program"):
            backup.replace_database(replacement, target, busy_timeout=0.2)
    finally:
        holder.kill()
        holder.wait()
    assert replacement.exists(), "the caller's staged copy is left for it to remove"
    assert marker(target) == "original"
