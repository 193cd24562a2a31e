"""Open a database by path or URL, check it is ours, and bring its schema up to date.

A file that is not SQLite, a SQLite or PostgreSQL database of another program, or one stamped
with a migration newer than this app knows is refused with one line and left untouched: the
checks read it without writing, and only an empty or recognised database is migrated.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

from timeline_app import paths
from timeline_app.domain.errors import SchemaError
from timeline_app.store.backup import backups_at_open
from timeline_app.store.schema import APP_MARKER, Meta

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5_000


@dataclass(frozen=True, slots=True)
class Database:
    """An open, checked, up-to-date database: the engine and what it is, for messages."""

    engine: Engine
    location: str
    created: bool

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


def describe_target(target: str | Path | None) -> str:
    """The database location as a person would recognise it (password hidden)."""
    if target is None:
        return str(paths.default_database_path())
    text_target = str(target)
    if "://" in text_target:
        try:
            return make_url(text_target).render_as_string(hide_password=True)
        except ArgumentError:
            return text_target
    return str(Path(text_target).expanduser().resolve())


def _sqlite_path(target: str | Path | None) -> Path | None:
    if target is None:
        return paths.default_database_path()
    text_target = str(target)
    if "://" not in text_target:
        return Path(text_target).expanduser().resolve()
    url = make_url(text_target)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).expanduser().resolve()
    return None


def _alembic_config(connection: object | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def known_revisions() -> tuple[set[str], str]:
    """Every revision this version ships, and its head."""
    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    assert head is not None, "the migrations folder has no head revision"
    return {revision.revision for revision in script.walk_revisions()}, head


def _check_sqlite_file(path: Path) -> bool:
    """Read-only look at a file; True when it is an empty or new database we may create.

    Raises SchemaError for anything that is not an empty database or one of ours.
    """
    if path.is_dir():
        raise SchemaError(f"{path} is a folder, not a database file")
    if not path.exists() or path.stat().st_size == 0:
        return True
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise SchemaError(f"{path} is not a timeline database (not an SQLite file); left unchanged")
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            _check_ours(str(path), tables, lambda sql: connection.execute(sql).fetchall())
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise SchemaError(f"{path} is a damaged SQLite file ({error}); left unchanged") from error
    return not tables


def _check_ours(location: str, tables: set[str], query: object) -> None:
    """Refuse foreign databases and ones stamped with a revision newer than ours."""
    if not tables:
        return
    if "meta" not in tables or "alembic_version" not in tables:
        raise SchemaError(
            f"{location} belongs to another program (no timeline tables); left unchanged"
        )
    rows = query("SELECT value FROM meta WHERE key = 'app'")  # type: ignore[operator]
    if not rows or rows[0][0] != APP_MARKER:
        raise SchemaError(f"{location} belongs to another program; left unchanged")
    stamped = [row[0] for row in query("SELECT version_num FROM alembic_version")]  # type: ignore[operator]
    revisions, _head = known_revisions()
    unknown = [revision for revision in stamped if revision not in revisions]
    if unknown:
        raise SchemaError(
            f"{location} was written by a newer version of timeline-app "
            f"(schema revision {unknown[0]}); upgrade the app to open it; left unchanged"
        )


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: bulk imports stay in memory
        cursor.close()


def _make_engine(target: str | Path | None, sqlite_path: Path | None) -> Engine:
    try:
        if sqlite_path is not None:
            engine = create_engine(f"sqlite:///{sqlite_path}")
            _configure_sqlite(engine)
            return engine
        return create_engine(str(target), pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as error:
        raise SchemaError(f"{target!s} is not a database path or URL ({error})") from error


def open_database(target: str | Path | None = None, *, create: bool = True) -> Database:
    """Open and check a database; create and migrate it when new (and `create` allows).

    `target` is None for the default file in the user data folder, a file path, or any
    SQLAlchemy URL (PostgreSQL included).
    """
    location = describe_target(target)
    sqlite_path = _sqlite_path(target)
    if sqlite_path is not None:
        is_new = _check_sqlite_file(sqlite_path)
        if is_new and not create:
            raise SchemaError(f"{location} does not exist")
        if is_new:
            try:
                sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise SchemaError(
                    f"cannot create {sqlite_path.parent}: {error.strerror}"
                ) from error
    engine = _make_engine(target, sqlite_path)
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            if sqlite_path is None:
                _check_ours(location, tables, lambda sql: connection.execute(text(sql)).fetchall())
            is_new = not tables
        if is_new and not create:
            raise SchemaError(f"{location} holds no timeline database")
        _upgrade(engine, is_new)
    except OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise SchemaError(f"cannot open {location}: {reason}") from error
    except SchemaError:
        engine.dispose()
        raise
    except SQLAlchemyError as error:
        engine.dispose()
        raise SchemaError(f"cannot open {location}: {error}") from error
    return Database(engine=engine, location=location, created=is_new)


def _upgrade(engine: Engine, is_new: bool) -> None:
    """Run migrations to head in one transaction; stamp a new database as ours."""
    if not is_new:
        backups_at_open(engine, known_revisions()[1])
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
        if is_new:
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            connection.execute(
                Meta.__table__.insert(),
                [{"key": "app", "value": APP_MARKER}, {"key": "created_at", "value": now}],
            )


def schema_revision(database: Database) -> str:
    with database.engine.connect() as connection:
        return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())


def meta_value(database: Database, key: str) -> str | None:
    with database.engine.connect() as connection:
        return connection.execute(select(Meta.value).where(Meta.key == key)).scalar()
