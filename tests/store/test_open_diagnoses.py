"""Opening a database says what is actually wrong, so nobody throws a good database away."""

from __future__ import annotations

import socket
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, inspect, text

from timeline_app.domain.errors import ImportFileError, SchemaError
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange import apply_import, read_file
from timeline_app.store import database as database_module
from timeline_app.store.database import (
    DEFAULT_POSTGRES_TIMEOUTS,
    MissingDatabaseError,
    PostgresTimeouts,
    describe_database_error,
    open_database,
    postgres_timeouts,
)

PASSWORD = "s3cret"


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("://", "'://' is not a database path or URL"),
        ("postgresql+psycopg://u@h:abc/db", "its port is not a number"),
        (f"postgresql+psycopg://user:{PASSWORD}@h:abc/db", "its port is not a number"),
        ("mysql://u@h/db", "mysql databases are not supported; use a SQLite file path"),
        ("postgresql+psycopg2://u@h/db", "the psycopg2 driver is not supported"),
        ("sqlite+aiosqlite:///x.sqlite", "the aiosqlite driver is not supported"),
        ("", "the database location is empty"),
        ("   ", "the database location is empty"),
    ],
)
def test_bad_locations_are_refused_in_one_line_with_the_password_masked(target, words):
    with pytest.raises(SchemaError) as caught:
        open_database(target, create=False)
    message = str(caught.value)
    assert words in message and "\n" not in message
    assert PASSWORD not in message


def test_refused_connection_names_the_server_and_hides_the_password():
    target = f"postgresql+psycopg://user:{PASSWORD}@127.0.0.1:1/db"
    with pytest.raises(SchemaError) as caught:
        open_database(target)
    assert str(caught.value).startswith("cannot connect to 127.0.0.1:1: ")
    assert PASSWORD not in str(caught.value)


def test_postgresql_url_without_a_driver_uses_psycopg(pg_target):
    database = open_database(pg_target.replace("postgresql+psycopg://", "postgresql://"))
    try:
        assert database.engine.dialect.driver == "psycopg" and database.created
    finally:
        database.dispose()


def test_reading_a_missing_file_creates_nothing_not_even_its_folders(tmp_path):
    target = tmp_path / "typo" / "deeper" / "timeline.sqlite"
    with pytest.raises(MissingDatabaseError) as caught:
        open_database(target, create=False)
    assert str(caught.value) == (
        f"{target} does not exist; create it with 'timeline-app init --db {target}'"
    )
    assert listing(tmp_path) == []


def test_reading_an_empty_postgresql_database_leaves_it_empty(pg_target):
    with pytest.raises(MissingDatabaseError, match="holds no timeline database; create it"):
        open_database(pg_target, create=False)
    engine = create_engine(pg_target)
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == []
    finally:
        engine.dispose()


def test_refused_foreign_wal_file_gets_no_wal_or_shm_beside_it(tmp_path):
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.commit()
    connection.close()
    assert listing(tmp_path) == ["other.sqlite"]
    with pytest.raises(SchemaError, match="belongs to another program"):
        open_database(path)
    assert listing(tmp_path) == ["other.sqlite"]


def test_damaged_file_is_called_damaged_and_gets_no_wal_or_shm(tmp_path):
    good = tmp_path / "good.sqlite"
    open_database(good).dispose()
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(good.read_bytes()[:100] + b"\xff" * 8000)
    before = listing(tmp_path)
    with pytest.raises(SchemaError, match=r"is a damaged SQLite file \(.*malformed"):
        open_database(damaged)
    assert listing(tmp_path) == before


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock is reported after 0.3 s instead of 5 s, so the test stays fast."""
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 300)


@pytest.fixture
def rollback_journal_database(tmp_path: Path) -> Path:
    """One of our databases switched back to a rollback journal, as a copy tool may leave it:
    there, a writer's exclusive lock keeps readers out too."""
    path = tmp_path / "timeline.sqlite"
    open_database(path).dispose()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode = DELETE").fetchone() == ("delete",)
    connection.close()
    return path


def test_file_locked_by_another_program_is_locked_not_damaged(
    rollback_journal_database, short_busy_timeout
):
    holder = sqlite3.connect(rollback_journal_database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(SchemaError) as caught:
            open_database(rollback_journal_database)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    message = str(caught.value)
    assert "is locked by another program (waited 0.3 s)" in message
    assert "damaged" not in message


def test_import_blocked_by_a_writer_says_locked(sqlite_target, short_busy_timeout, tmp_path):
    catalog = Catalog(open_database(sqlite_target))
    catalog.add_category("Energy")
    source = tmp_path / "one.json"
    source.write_text(
        '{"format": "timeline-app", "version": 1, "events": '
        '[{"id": "e1", "title": "Talks", "start": "2020", "category": "Energy"}]}',
        encoding="utf-8",
    )
    document = read_file(source)
    catalog.database.dispose()  # fresh connections pick up the short busy timeout
    holder = sqlite3.connect(sqlite_target, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE meta SET value = value WHERE key = 'app'")
    try:
        with pytest.raises(
            ImportFileError, match=r"database: .*timeline\.sqlite is locked by another"
        ):
            apply_import(catalog, document)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert catalog.count_events() == 0
    catalog.database.dispose()


def test_full_disk_is_called_disk_full(tmp_path):
    catalog = Catalog(open_database(tmp_path / "timeline.sqlite"))
    engine = catalog.database.engine
    pages = sqlite3.connect(tmp_path / "timeline.sqlite").execute("PRAGMA page_count").fetchone()
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _no_room_to_grow(dbapi_connection, _record):  # what a full disk looks like to SQLite
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages[0]}")

    document = read_file(Path(__file__).parents[2] / "resources" / "data" / "russia_iran.json")
    try:
        with pytest.raises(ImportFileError) as caught:
            apply_import(catalog, document)
        where = tmp_path / "timeline.sqlite"
        assert f"database: disk full: cannot write {where}; nothing was written" in str(
            caught.value
        )
        assert catalog.count_events() == 0
    finally:
        catalog.database.dispose()


def test_errors_that_are_not_the_database_are_not_described():
    assert describe_database_error(ValueError("x")) is None
    error = sqlite3.connect(":memory:")
    try:
        error.execute("SELECT * FROM nowhere")
    except sqlite3.Error as raised:
        assert describe_database_error(raised) == "cannot open the database: no such table: nowhere"


def test_timeouts_have_defaults_and_read_the_environment():
    assert postgres_timeouts({}) == DEFAULT_POSTGRES_TIMEOUTS == PostgresTimeouts(10, 10.0, 300.0)
    assert postgres_timeouts(
        {
            "TIMELINE_PG_CONNECT_TIMEOUT": "1",  # libpq waits at least 2 s: say so, not 1
            "TIMELINE_PG_LOCK_TIMEOUT": "0.5",
            "TIMELINE_PG_STATEMENT_TIMEOUT": "0",
        }
    ) == PostgresTimeouts(2, 0.5, 0.0)
    for name, value in [
        ("TIMELINE_PG_LOCK_TIMEOUT", "ten"),
        ("TIMELINE_PG_STATEMENT_TIMEOUT", "-1"),
        ("TIMELINE_PG_CONNECT_TIMEOUT", "0"),
        ("TIMELINE_PG_LOCK_TIMEOUT", "nan"),
    ]:
        with pytest.raises(SchemaError, match=f"^{name}: '{value}' "):
            postgres_timeouts({name: value})


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port whose listener never accepts and never answers: a server that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_connect_to_a_silent_server_times_out(silent_server, monkeypatch):
    monkeypatch.setenv("TIMELINE_PG_CONNECT_TIMEOUT", "1")
    target = f"postgresql+psycopg://user:{PASSWORD}@127.0.0.1:{silent_server}/db"
    started = time.monotonic()
    with pytest.raises(SchemaError) as caught:
        open_database(target, create=False)
    assert time.monotonic() - started < 30
    assert str(caught.value) == (
        f"cannot connect to 127.0.0.1:{silent_server}: timed out after 2 s "
        "(TIMELINE_PG_CONNECT_TIMEOUT)"
    )


def test_postgresql_sessions_carry_the_lock_and_statement_timeouts(pg_target, monkeypatch):
    monkeypatch.setenv("TIMELINE_PG_LOCK_TIMEOUT", "1.5")
    monkeypatch.setenv("TIMELINE_PG_STATEMENT_TIMEOUT", "90")
    database = open_database(pg_target)
    try:
        with database.engine.connect() as connection:
            assert connection.execute(text("SHOW lock_timeout")).scalar() == "1500ms"
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "90s"
            # the URL's own options (here the test's schema) still apply
            assert connection.execute(text("SHOW search_path")).scalar().startswith("t_")
    finally:
        database.dispose()


def test_a_line_break_in_a_path_does_not_split_the_message():
    # A short folder: the message quotes a long path only in part, whatever runs the tests.
    with tempfile.TemporaryDirectory(prefix="t") as folder:
        target = Path(folder) / "two\nlines.sqlite"
        with pytest.raises(MissingDatabaseError) as caught:
            open_database(target, create=False)
    assert "\n" not in str(caught.value) and "two\\nlines.sqlite" in str(caught.value)


def test_unresolvable_host_is_a_connection_problem():
    with pytest.raises(SchemaError, match=r"^cannot connect to no-such-host\.invalid:5432: "):
        open_database(f"postgresql+psycopg://user:{PASSWORD}@no-such-host.invalid/db")
