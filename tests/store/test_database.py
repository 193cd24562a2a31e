from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from timeline_app.domain.errors import SchemaError
from timeline_app.store.database import known_revisions, open_database, schema_revision


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_sqlite_database_is_created_migrated_and_configured(tmp_path):
    path = tmp_path / "sub" / "new.sqlite"
    database = open_database(path)
    try:
        assert database.created and path.exists()
        assert schema_revision(database) == known_revisions()[1]
        with database.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    finally:
        database.dispose()
    again = open_database(path)
    assert not again.created
    again.dispose()


def test_default_database_lives_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_APP_DATA_DIR", str(tmp_path / "data"))
    database = open_database(None)
    assert database.location == str(tmp_path / "data" / "timeline.sqlite")
    database.dispose()


def test_text_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n")
    before = digest(path)
    with pytest.raises(SchemaError, match="not an SQLite file"):
        open_database(path)
    assert digest(path) == before


def test_foreign_sqlite_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(SchemaError, match="another program"):
        open_database(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_damaged_sqlite_file_is_refused_unchanged(tmp_path):
    good = tmp_path / "good.sqlite"
    open_database(good).dispose()
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(good.read_bytes()[:100] + b"\xff" * 3000)
    before = digest(damaged)
    with pytest.raises(SchemaError):
        open_database(damaged)
    assert digest(damaged) == before


def test_database_from_a_newer_version_is_refused_unchanged(tmp_path):
    path = tmp_path / "newer.sqlite"
    open_database(path).dispose()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = digest(path)
    with pytest.raises(SchemaError, match=r"newer version of timeline-app.*9999_future"):
        open_database(path)
    assert digest(path) == before


def test_bad_url_is_a_clear_error():
    with pytest.raises(SchemaError, match="nosuchdriver databases are not supported; use a SQLite"):
        open_database("nosuchdriver://x/y")


def test_both_backends_open_and_reopen(db_target):
    database = open_database(db_target)
    assert database.created
    database.dispose()
    database = open_database(db_target)
    assert not database.created
    database.dispose()


def test_foreign_postgresql_schema_is_refused(pg_target):
    from sqlalchemy import create_engine

    engine = create_engine(pg_target)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id int)"))
    engine.dispose()
    with pytest.raises(SchemaError, match="another program"):
        open_database(pg_target)


def test_the_head_the_app_names_is_the_head_of_its_migrations():
    """Opening a current database skips Alembic on the strength of SCHEMA_HEAD: a new
    migration must move it too."""
    from timeline_app.store.database import SCHEMA_HEAD

    assert known_revisions()[1] == SCHEMA_HEAD


def test_opening_a_current_database_does_not_import_alembic(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "current.sqlite"
    open_database(path).dispose()
    probe = (
        "import sys\n"
        "from timeline_app.store.database import open_database\n"
        f"open_database({str(path)!r}, write=False).dispose()\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
