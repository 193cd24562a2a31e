"""Open a database by path or URL, check it is ours, and bring its schema up to date.

A file that is not SQLite, a SQLite or PostgreSQL database of another program, or one stamped
with a migration newer than this app knows is refused with one line and left untouched: the
checks read it without writing (and leave no -wal or -shm file beside it), and only an empty
or recognised database is migrated. Every refusal says what is actually wrong — missing,
permission denied, read-only, locked, disk full, damaged — with any password masked, so that
nobody throws a good database away on a wrong diagnosis.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
import shlex
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from timeline_app import paths
from timeline_app.domain.errors import (
    DatabaseFailure,
    SchemaError,
    WriteConflict,
    quoted,
)
from timeline_app.store.backup import backups_at_open
from timeline_app.store.schema import APP_MARKER, meta

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5_000
SUPPORTED_LOCATIONS = (
    "a SQLite file path, sqlite:///FILE or postgresql+psycopg://USER@HOST/DATABASE"
)


class MissingDatabaseError(SchemaError):
    """Nothing to open (no file, an empty file or an empty PostgreSQL database) and the caller
    may not create one; nothing was created."""


@dataclass(frozen=True, slots=True)
class Database:
    """An open, checked, up-to-date database: the engine and what it is, for messages."""

    engine: Engine
    location: str
    created: bool
    read_only: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def dispose(self) -> None:
        self.engine.dispose()


# --- PostgreSQL timeouts --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PostgresTimeouts:
    """How long a PostgreSQL session waits before it gives up, in seconds (0 = no limit)."""

    connect: int
    lock: float
    statement: float


DEFAULT_POSTGRES_TIMEOUTS = PostgresTimeouts(connect=10, lock=10.0, statement=300.0)
"""A server that does not answer in 10 s is not going to; another session holding a table
for 10 s is busy with something the user should know about; 5 minutes leaves a million-row
import (one COPY statement) plenty of room while still ending a runaway query."""

LIBPQ_MINIMUM_CONNECT_TIMEOUT = 2


def postgres_timeouts(environ: Mapping[str, str] | None = None) -> PostgresTimeouts:
    """The timeouts in force: defaults, overridden by TIMELINE_PG_*_TIMEOUT (seconds)."""
    env = os.environ if environ is None else environ
    default = DEFAULT_POSTGRES_TIMEOUTS
    connect = _seconds(env, "TIMELINE_PG_CONNECT_TIMEOUT", default.connect, allow_zero=False)
    return PostgresTimeouts(
        connect=max(LIBPQ_MINIMUM_CONNECT_TIMEOUT, math.ceil(connect)),
        lock=_seconds(env, "TIMELINE_PG_LOCK_TIMEOUT", default.lock),
        statement=_seconds(env, "TIMELINE_PG_STATEMENT_TIMEOUT", default.statement),
    )


def _seconds(environ: Mapping[str, str], name: str, default: float, *, allow_zero=True) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SchemaError(f"{name}: {quoted(raw)} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        least = "0 (no limit)" if allow_zero else "more than 0"
        raise SchemaError(f"{name}: {quoted(raw)} must be {least} seconds or more")
    return value


def _milliseconds(seconds: float) -> int:
    return math.ceil(seconds * 1000)


def _format_seconds(seconds: float) -> str:
    return f"{seconds:g} s"


# --- where the database is ------------------------------------------------------------------

_URL_PASSWORD = re.compile(r"(://[^:/?#@\s]*:)\S*@")
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def mask_passwords(message: str) -> str:
    """`message` with the password of any URL or libpq `password=` setting replaced by ***."""
    return _KEYWORD_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", message))


@dataclass(frozen=True, slots=True)
class _Target:
    """A database location understood: a SQLite file, or a URL for an engine."""

    location: str
    sqlite_path: Path | None = None
    url: URL | None = None
    given: bool = True


def _shown(location: str) -> str:
    """A location as it goes into a one-line message: quoted when it holds a line break or
    another character that would not print as itself."""
    return location if location.isprintable() else quoted(location)


def _resolve(target: str | Path | None) -> _Target:
    if target is None:
        path = paths.default_database_path()
        return _Target(_shown(str(path)), sqlite_path=path, given=False)
    text_target = str(target)
    if not text_target.strip():
        raise SchemaError(f"the database location is empty; use {SUPPORTED_LOCATIONS}")
    if "\x00" in text_target:
        shown = quoted(mask_passwords(text_target))
        raise SchemaError(f"{shown} is not a database path or URL (it holds a NUL character)")
    if "://" not in text_target:
        try:
            path = Path(text_target).expanduser().resolve()
        except RuntimeError as error:  # ~nosuchuser
            raise SchemaError(f"{quoted(text_target)}: {error}") from None
        return _Target(_shown(str(path)), sqlite_path=path)
    return _resolve_url(text_target)


def _resolve_url(text_target: str) -> _Target:
    try:
        url = make_url(text_target)
    except (ArgumentError, ValueError) as error:
        reason = "its port is not a number" if "int()" in str(error) else "not a URL"
        shown = quoted(mask_passwords(text_target))
        raise SchemaError(
            f"{shown} is not a database path or URL ({reason}); use {SUPPORTED_LOCATIONS}"
        ) from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        url = url.set(drivername="postgresql+psycopg")  # psycopg 3 is the driver we ship
        return _Target(_shown(url.render_as_string(hide_password=True)), url=url)
    if backend == "sqlite" and driver in ("", "pysqlite"):
        if url.database in (None, "", ":memory:"):
            return _Target("a database in memory", url=url)
        path = Path(url.database).expanduser().resolve()
        return _Target(_shown(str(path)), sqlite_path=path)
    location = _shown(url.render_as_string(hide_password=True))
    if backend in ("postgresql", "postgres", "sqlite"):
        problem = f"the {driver} driver is not supported"
    else:
        problem = f"{backend} databases are not supported"
    raise SchemaError(f"{location}: {problem}; use {SUPPORTED_LOCATIONS}")


def describe_target(target: str | Path | None) -> str:
    """The database location as a person would recognise it (password hidden)."""
    try:
        return _resolve(target).location
    except SchemaError:
        return mask_passwords(str(target))


# --- migrations and the check that a database is ours ---------------------------------------


SCHEMA_HEAD = "0004_search_location"
"""The newest schema revision this version ships (a test holds it equal to the head of the
migrations in db/). Opening a database stamped with it needs no Alembic at all: importing
Alembic costs about 0.15 s of every start, and a current database is the usual case."""


def _alembic_config(connection: object | None = None):  # -> alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def known_revisions() -> tuple[frozenset[str], str]:
    """Every revision this version ships, and its head (read once, and only when a database
    is not at SCHEMA_HEAD)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    head = script.get_current_head()
    assert head is not None, "the migrations folder has no head revision"
    return frozenset(revision.revision for revision in script.walk_revisions()), head


def _check_ours(
    location: str, tables: set[str], query: Callable[[str], list[Any]]
) -> frozenset[str]:
    """Refuse foreign databases and ones stamped with a revision newer than ours; return
    the revisions it is stamped with (none for an empty database)."""
    if not tables:
        return frozenset()
    if "meta" not in tables or "alembic_version" not in tables:
        raise SchemaError(
            f"{location} belongs to another program (no timeline tables); left unchanged"
        )
    rows = query("SELECT value FROM meta WHERE key = 'app'")
    if not rows or rows[0][0] != APP_MARKER:
        raise SchemaError(f"{location} belongs to another program; left unchanged")
    stamped = frozenset(row[0] for row in query("SELECT version_num FROM alembic_version"))
    if stamped == {SCHEMA_HEAD}:
        return stamped  # current: nothing to look up in the migrations
    revisions, _head = known_revisions()
    unknown = sorted(stamped - revisions)
    if unknown:
        raise SchemaError(
            f"{location} was written by a newer version of timeline-app "
            f"(schema revision {unknown[0]}); upgrade the app to open it; left unchanged"
        )
    return stamped


def _needs_upgrade(stamped: frozenset[str]) -> bool:
    return stamped != {SCHEMA_HEAD}


def _upgrade(engine: Engine, is_new: bool) -> None:
    """Run migrations to head in one transaction; stamp a new database as ours."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
        if is_new:
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            connection.execute(
                meta.insert(),
                [{"key": "app", "value": APP_MARKER}, {"key": "created_at", "value": now}],
            )


# --- SQLite files ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _SqliteFile:
    """What a read-only look found: whether a database is there, and its schema revisions."""

    holds_database: bool
    stamped: frozenset[str]


def _journal_present(path: Path) -> bool:
    """A -wal or -journal file beside the database: a program has it open, or crashed with it
    open, and the main file alone is not the whole truth."""
    return any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))


def _sqlite_uri(path: Path, *, immutable: bool) -> str:
    """A read-only SQLite URI. `immutable` reads the main file alone, with no lock and no
    -shm file: only right when no journal is present (nobody has the file open for writing)."""
    return f"{path.as_uri()}?{'immutable=1' if immutable else 'mode=ro'}"


def _unreachable_reason(path: Path) -> str:
    """Why `path` cannot be reached: the first folder on the way that cannot be entered."""
    for folder in reversed(path.parents):
        if folder.exists() and not os.access(folder, os.X_OK):
            return f"cannot enter the folder {_shown(str(folder))}"
    return "cannot reach the file"


def sqlite_file_of(target: str | Path | None) -> Path | None:
    """The SQLite file a location names; None for a server URL or an in-memory database."""
    return _resolve(target).sqlite_path


def holds_no_database(path: Path) -> bool:
    """Read-only look at a file: True when no database is there yet (missing, empty, or an
    empty database); SchemaError for anything that is not one of ours this version opens."""
    return not _inspect_sqlite_file(path).holds_database


def _inspect_sqlite_file(path: Path) -> _SqliteFile:
    """Read-only look at a file, leaving nothing beside it. Raises SchemaError for anything that
    is not a missing or empty file, an empty database, or one of ours this version can open."""
    name = _shown(str(path))
    try:
        status = path.stat()
    except FileNotFoundError:
        return _SqliteFile(holds_database=False, stamped=frozenset())
    except PermissionError:
        raise SchemaError(
            f"cannot open {name}: permission denied ({_unreachable_reason(path)})"
        ) from None
    except OSError as error:
        raise SchemaError(f"cannot open {name}: {error.strerror}") from None
    if stat.S_ISDIR(status.st_mode):
        raise SchemaError(f"{name} is a folder, not a database file")
    if status.st_size == 0:
        return _SqliteFile(holds_database=False, stamped=frozenset())
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError:
        raise SchemaError(
            f"cannot open {name}: permission denied (no read permission on the file)"
        ) from None
    except OSError as error:
        raise SchemaError(f"cannot open {name}: {error.strerror}") from None
    if header != SQLITE_HEADER:
        raise SchemaError(f"{name} is not a timeline database (not an SQLite file); left unchanged")
    uri = _sqlite_uri(path, immutable=not _journal_present(path))
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            stamped = _check_ours(name, tables, lambda sql: connection.execute(sql).fetchall())
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise SchemaError(f"{_sqlite_problem(error, name)}; left unchanged") from error
    return _SqliteFile(holds_database=bool(tables), stamped=stamped)


def _read_only_reason(path: Path) -> str | None:
    """Why this process cannot write an existing database file, or None when it can."""
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "on a read-only file system"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "no write permission on the file"
    if not os.access(folder, os.W_OK):
        return (
            f"no write permission on its folder {_shown(str(folder))}, "
            "where SQLite keeps the -wal and -shm files beside it"
        )
    return None


def _make_room(path: Path) -> None:
    """Create the folders for a new database file, or say why it cannot be created there."""
    name = _shown(str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SchemaError(f"cannot create {_shown(str(path.parent))}: {error.strerror}") from error
    if not os.access(path.parent, os.W_OK):
        raise SchemaError(
            f"cannot create {name}: permission denied "
            f"(no write permission on {_shown(str(path.parent))})"
        )


def _configure_sqlite(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: bulk imports stay in memory
        cursor.close()


def _sqlite_engine(path: Path, *, read_only: bool) -> Engine:
    if read_only:
        immutable = not _journal_present(path)
        query = {"immutable": "1"} if immutable else {"mode": "ro"}
        url = URL.create("sqlite", database=path.as_uri(), query={**query, "uri": "true"})
    else:
        url = URL.create("sqlite", database=str(path))
    engine = create_engine(url)
    _configure_sqlite(engine, read_only=read_only)
    return engine


def _missing(target: _Target, what: str) -> MissingDatabaseError:
    if target.given:
        hint = f"'timeline-app init --db {shlex.quote(target.location)}'"
    else:
        hint = "'timeline-app init --dataset' (or open the window once)"
    return MissingDatabaseError(f"{target.location} {what}; create it with {hint}")


def _open_sqlite(target: _Target, path: Path, *, create: bool, write: bool) -> Database:
    name = target.location
    found = _inspect_sqlite_file(path)
    read_only = False
    if not found.holds_database:
        if not create:
            raise _missing(target, "does not exist" if not path.exists() else "is empty")
        _make_room(path)
    else:
        reason = _read_only_reason(path)
        if reason is not None and write:
            raise SchemaError(f"{name} is read-only ({reason}); left unchanged")
        if reason is not None and _needs_upgrade(found.stamped):
            raise SchemaError(
                f"{name} is read-only ({reason}) and needs a schema upgrade to be read by this "
                "version; open it once with write permission; left unchanged"
            )
        read_only = reason is not None
    engine = _sqlite_engine(path, read_only=read_only)
    try:
        with engine.connect() as connection:  # runs the pragmas: a lock shows here, not later
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        if found.holds_database and not read_only:
            # a copy before any migration; the daily one only for opens that may write
            backups_at_open(engine, SCHEMA_HEAD, daily=write)
        if not found.holds_database or _needs_upgrade(found.stamped):
            _upgrade(engine, is_new=not found.holds_database)
    except DBAPIError as error:
        engine.dispose()
        raise SchemaError(_describe(error, subject=name)) from error
    return Database(
        engine=engine,
        location=target.location,
        created=not found.holds_database,
        read_only=read_only,
    )


# --- databases behind a URL (PostgreSQL, SQLite in memory) ----------------------------------


def _url_engine(url: URL) -> tuple[Engine, int | None]:
    """The engine, and the connect timeout in force (None where there is none)."""
    if url.get_backend_name() == "sqlite":
        return create_engine(url), None
    timeouts = postgres_timeouts()
    options = (
        f"-c lock_timeout={_milliseconds(timeouts.lock)} "
        f"-c statement_timeout={_milliseconds(timeouts.statement)}"
    )
    given = url.query.get("options")
    if given:  # the URL's own settings come last, so they win
        options = " ".join([options, *([given] if isinstance(given, str) else given)])
    connect_args: dict[str, Any] = {"options": options}
    connect_timeout = timeouts.connect
    if "connect_timeout" in url.query:
        try:
            connect_timeout = max(LIBPQ_MINIMUM_CONNECT_TIMEOUT, int(url.query["connect_timeout"]))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise SchemaError(
                f"{url.render_as_string(hide_password=True)}: connect_timeout is not a whole "
                "number of seconds"
            ) from None
    else:
        connect_args["connect_timeout"] = connect_timeout
    engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    return engine, connect_timeout


def _open_url(target: _Target, url: URL, *, create: bool) -> Database:
    try:
        engine, connect_timeout = _url_engine(url)
    except (ArgumentError, ImportError) as error:  # a driver missing from this installation
        raise SchemaError(f"cannot open {target.location}: {mask_passwords(str(error))}") from None
    try:
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            stamped = _check_ours(
                target.location, tables, lambda sql: connection.execute(text(sql)).fetchall()
            )
        is_new = not tables
        if is_new and not create:
            raise _missing(target, "holds no timeline database")
        if is_new or _needs_upgrade(stamped):
            _upgrade(engine, is_new)
    except SchemaError:
        engine.dispose()
        raise
    except DBAPIError as error:
        engine.dispose()
        raise SchemaError(
            _describe(error, subject=target.location, url=url, connect_timeout=connect_timeout)
        ) from error
    except SQLAlchemyError as error:
        engine.dispose()
        first_line = str(error).strip().splitlines()[0]
        raise SchemaError(mask_passwords(f"cannot open {target.location}: {first_line}")) from error
    return Database(engine=engine, location=target.location, created=is_new)


def open_database(
    target: str | Path | None = None, *, create: bool = True, write: bool = True
) -> Database:
    """Open and check a database; create and migrate it when new and `create` allows.

    `target` is None for the default file in the user data folder, a file path, or a URL
    (SQLite or PostgreSQL). Without `create`, a missing or empty database raises
    MissingDatabaseError and nothing is created, folders included. Without `write`, a SQLite
    file this process may not write is opened read-only (when its schema is current) instead of
    being refused. An existing database of ours is migrated either way: that is not creating.
    """
    resolved = _resolve(target)
    if resolved.sqlite_path is not None:
        return _open_sqlite(resolved, resolved.sqlite_path, create=create, write=write)
    assert resolved.url is not None
    return _open_url(resolved, resolved.url, create=create)


def schema_revision(database: Database) -> str:
    with database.engine.connect() as connection:
        return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())


def meta_value(database: Database, key: str) -> str | None:
    with database.engine.connect() as connection:
        return connection.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


# --- saying what went wrong -----------------------------------------------------------------

_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_AUTH, _SQLITE_NOTADB = 23, 26


def _sqlite_problem(error: sqlite3.Error, subject: str) -> str:
    """One line for a SQLite failure, by its result code rather than by a guess."""
    code = getattr(error, "sqlite_errorcode", -1) & 0xFF
    detail = str(error)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return (
            f"{subject} is locked by another program "
            f"(waited {_format_seconds(BUSY_TIMEOUT_MS / 1000)}); "
            "try again when it has finished"
        )
    if code == _SQLITE_READONLY:
        return f"{subject} is read-only ({detail})"
    if code == _SQLITE_FULL:
        return f"disk full: cannot write {subject}; nothing was written"
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return f"{subject} is a damaged SQLite file ({detail})"
    if code in (_SQLITE_PERM, _SQLITE_AUTH):
        return f"cannot open {subject}: permission denied ({detail})"
    if code == _SQLITE_IOERR:
        return f"cannot read or write {subject}: input/output error ({detail})"
    return f"cannot open {subject}: {detail}"


_POSTGRES_TABLE = re.compile(r"\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+\"?([A-Za-z_][\w.]*)\"?", re.I)
_POSTGRES_SERVER = re.compile(
    r'server (?:at "([^"]+)"(?: \([^)]*\))?, port (\d+)|on socket "([^"]+)")'
)


def _tables_named(statement: str | None) -> str:
    """' for events' (or ' for categories or events') from the SQL that failed, so a lock
    message says what it waited for; empty when the statement is not known."""
    tables = sorted(set(_POSTGRES_TABLE.findall(statement or "")))
    if not tables:
        return ""
    if len(tables) == 1:
        return f" for {tables[0]}"
    return f" for {', '.join(tables[:-1])} or {tables[-1]}"


def _postgres_problem(
    error: Exception,
    *,
    statement: str | None,
    subject: str,
    url: URL | None,
    connect_timeout: int | None,
) -> str:
    """One line for a psycopg failure, by SQLSTATE where the server gave one."""
    sqlstate = getattr(error, "sqlstate", None)
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    waited_for = _tables_named(statement)
    timeouts = postgres_timeouts()
    if sqlstate == "55P03":
        return (
            f"the database is locked by another session (waited "
            f"{_format_seconds(timeouts.lock)}{waited_for}); try again"
        )
    if sqlstate == "57014" and "statement timeout" in first_line:
        return (
            f"the database took longer than {_format_seconds(timeouts.statement)}{waited_for} "
            "and the statement was cancelled; try again, or raise TIMELINE_PG_STATEMENT_TIMEOUT"
        )
    if sqlstate in ("40P01", "40001"):
        return f"another session changed the same rows at the same time ({first_line}); try again"
    if sqlstate == "53100":
        return "disk full on the database server; nothing was written"
    if sqlstate == "25006":
        return f"{subject} is read-only ({first_line})"
    if sqlstate == "42501":
        return f"permission denied on {subject} ({first_line})"
    if sqlstate is None and (statement is None or first_line.startswith("connection")):
        return _connection_problem(error, first_line, url=url, connect_timeout=connect_timeout)
    return f"{subject}: {first_line}"


def _connection_problem(
    error: Exception, first_line: str, *, url: URL | None, connect_timeout: int | None
) -> str:
    where = "the database server"
    found = _POSTGRES_SERVER.search(str(error))
    if url is not None and url.host:
        where = f"{url.host}:{url.port or 5432}"
    elif found and found.group(1):
        where = f"{found.group(1)}:{found.group(2)}"
    elif found:
        where = f"the local server ({found.group(3)})"
    if "timeout expired" in first_line:
        waited = connect_timeout or postgres_timeouts().connect
        return (
            f"cannot connect to {where}: timed out after {waited} s (TIMELINE_PG_CONNECT_TIMEOUT)"
        )
    reason = first_line.rsplit("failed: ", 1)[-1].removeprefix("FATAL:").strip()
    return f"cannot connect to {where}: {reason}"


def _describe(
    error: BaseException,
    *,
    subject: str = "the database",
    url: URL | None = None,
    connect_timeout: int | None = None,
) -> str:
    original = error.orig if isinstance(error, DBAPIError) else error
    if isinstance(original, sqlite3.Error):
        message = _sqlite_problem(original, subject)
    elif _is_psycopg_error(original):
        statement = error.statement if isinstance(error, DBAPIError) else None
        message = _postgres_problem(
            original,  # type: ignore[arg-type]
            statement=statement,
            subject=subject,
            url=url,
            connect_timeout=connect_timeout,
        )
    else:
        lines = str(original).strip().splitlines()
        message = f"{subject}: {lines[0] if lines else type(original).__name__}"
    return mask_passwords(message)


def _is_psycopg_error(error: BaseException) -> bool:
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.Error)


def describe_database_error(error: BaseException, subject: str = "the database") -> str | None:
    """One line, password masked, for a database failure raised after opening (a lock held too
    long, a full disk, a lost connection), naming `subject` (the database's location, where
    known); None when `error` is not a database failure."""
    if not isinstance(error, (SQLAlchemyError, sqlite3.Error)) and not _is_psycopg_error(error):
        return None
    return _describe(error, subject=subject)


@contextmanager
def failures_reported(subject: str = "the database") -> Iterator[None]:
    """Turn a database failure inside the block into a DatabaseFailure saying, in one line,
    what went wrong with `subject`: callers above the store catch the app's own errors only."""
    try:
        yield
    except SQLAlchemyError as error:
        raise DatabaseFailure(_describe(error, subject=subject)) from error


@contextmanager
def conflicts_reported(subject: str = "the database") -> Iterator[None]:
    """Turn a write refused by a key or uniqueness constraint inside the block (a row another
    writer stored meanwhile) into a WriteConflict; other failures pass unchanged."""
    try:
        yield
    except IntegrityError as error:
        raise WriteConflict(_describe(error, subject=subject)) from error
