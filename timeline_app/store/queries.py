"""SQL for the use-cases: bulk reads for drawing, records for editing, search, bulk writes.

Every function takes an open Connection inside the caller's transaction; none commits.
Core `select()`/`insert()` throughout: drawing a million events must not build ORM objects.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import chain

import numpy as np
from sqlalchemy import (
    BigInteger,
    Connection,
    case,
    cast,
    delete,
    func,
    select,
    text,
    update,
)

from timeline_app.domain import columns as shapes
from timeline_app.domain.columns import CERTAINTY_CODES, PRECISION_CODES, EventColumns, EventRow
from timeline_app.domain.errors import DatabaseFailure
from timeline_app.domain.model import (
    CERTAINTY_OF_VALUE,
    CategoryRecord,
    EraRecord,
    EventFilter,
    EventRecord,
    SourceRef,
)
from timeline_app.domain.palette import FALLBACK_COLOUR
from timeline_app.domain.progress import Progress
from timeline_app.store.schema import (
    actors,
    categories,
    eras,
    event_actors,
    event_sources,
    event_tags,
    events,
    sources,
    tags,
)
from timeline_app.store.search import search_condition

CHUNK = 900  # stays under SQLite's bound-parameter limit for IN lists
LARGE_BATCH = 5_000  # above this, one table scan is cheaper than many IN-list queries


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---- reading -------------------------------------------------------------------------------


def category_records(connection: Connection) -> list[CategoryRecord]:
    parent = categories.alias("parent")
    counts = (
        select(events.c.category_id, func.count().label("n"))
        .group_by(events.c.category_id)
        .subquery()
    )
    query = (
        select(
            categories.c.id,
            categories.c.name,
            categories.c.colour,
            parent.c.name,
            categories.c.sort_order,
            categories.c.description,
            func.coalesce(counts.c.n, 0),
        )
        .outerjoin(parent, parent.c.id == categories.c.parent_id)
        .outerjoin(counts, counts.c.category_id == categories.c.id)
        .order_by(categories.c.sort_order, categories.c.name)
    )
    return [CategoryRecord(*row) for row in connection.execute(query)]


def names(connection: Connection, table: object) -> list[str]:
    return list(connection.execute(select(table.c.name).order_by(table.c.name)).scalars())  # type: ignore[attr-defined]


def era_records(connection: Connection) -> list[EraRecord]:
    query = select(
        eras.c.id,
        eras.c.name,
        eras.c.start,
        eras.c.end,
        eras.c.colour,
        eras.c.group_name,
        eras.c.lower,
        eras.c.upper,
    ).order_by(eras.c.lower, eras.c.name)
    return [
        EraRecord(row[0], row[1], row[2], row[3], row[4], row[5], int(row[6]), int(row[7]))
        for row in connection.execute(query)
    ]


def _links(connection: Connection, ids: Sequence[str]) -> tuple[dict, dict, dict]:
    """Actor names, tag names and source refs of each event, in their stored order."""
    actor_map: dict[str, list[str]] = defaultdict(list)
    tag_map: dict[str, list[str]] = defaultdict(list)
    source_map: dict[str, list[SourceRef]] = defaultdict(list)
    actor_query = (
        select(event_actors.c.event_id, actors.c.name)
        .join(actors, actors.c.id == event_actors.c.actor_id)
        .order_by(event_actors.c.event_id, event_actors.c.position)
    )
    tag_query = (
        select(event_tags.c.event_id, tags.c.name)
        .join(tags, tags.c.id == event_tags.c.tag_id)
        .order_by(event_tags.c.event_id, event_tags.c.position)
    )
    source_query = (
        select(
            event_sources.c.event_id,
            sources.c.title,
            sources.c.url,
            sources.c.publisher,
            sources.c.published,
            event_sources.c.note,
            sources.c.id,
            sources.c.kind,
            sources.c.language,
            sources.c.reliability,
            event_sources.c.credibility,
            event_sources.c.excerpt,
        )
        .join(sources, sources.c.id == event_sources.c.source_id)
        .order_by(event_sources.c.event_id, event_sources.c.position)
    )
    for event_id, name in rows_for_ids(connection, actor_query, event_actors.c.event_id, ids):
        actor_map[event_id].append(name)
    for event_id, name in rows_for_ids(connection, tag_query, event_tags.c.event_id, ids):
        tag_map[event_id].append(name)
    for row in rows_for_ids(connection, source_query, event_sources.c.event_id, ids):
        source_map[row[0]].append(SourceRef(*row[1:]))
    return actor_map, tag_map, source_map


def event_records(connection: Connection, ids: Sequence[str] | None = None) -> list[EventRecord]:
    """Full records, with actors, tags and sources, ordered by start (all when ids is None)."""
    query = (
        select(
            events.c.id,
            events.c.title,
            events.c.start,
            events.c.end,
            categories.c.name,
            events.c.importance,
            events.c.certainty,
            events.c.description,
            events.c.location,
            events.c.start_lo,
            events.c.end_hi,
            events.c.precision,
            events.c.version,
            events.c.created_at,
            events.c.updated_at,
        )
        .join(categories, categories.c.id == events.c.category_id)
        .order_by(events.c.start_lo, events.c.title, events.c.id)
    )
    rows: list[tuple] = []
    if ids is None:
        rows = driver_rows(connection, query)
    else:
        rows = rows_for_ids(connection, query, events.c.id, ids)
        rows.sort(key=lambda row: (row[9], row[1], row[0]))
    actor_map, tag_map, source_map = _links(connection, [row[0] for row in rows])
    return [
        EventRecord(
            id=row[0],
            title=row[1],
            start=row[2],
            end=row[3],
            category=row[4],
            importance=row[5],
            certainty=CERTAINTY_OF_VALUE[row[6]],
            description=row[7],
            location=row[8],
            actors=tuple(actor_map[row[0]]),
            tags=tuple(tag_map[row[0]]),
            sources=tuple(source_map[row[0]]),
            lower=int(row[9]),
            upper=int(row[10]),
            precision=row[11],
            version=row[12],
            created_at=row[13],
            updated_at=row[14],
        )
        for row in rows
    ]


def _filter_conditions(connection: Connection, where: EventFilter | None) -> list:
    if where is None:
        return []
    conditions = []
    if where.text.strip():
        condition = search_condition(connection, where.text)
        if condition is not None:
            conditions.append(condition)
    if where.categories:
        conditions.append(  # a subquery, not a join: the bulk reads need no category column
            events.c.category_id.in_(
                select(categories.c.id).where(categories.c.name.in_(sorted(where.categories)))
            )
        )
    if where.certainties:
        conditions.append(events.c.certainty.in_(sorted(c.value for c in where.certainties)))
    if where.min_importance > 1:
        conditions.append(events.c.importance >= where.min_importance)
    if where.lower is not None:
        conditions.append(events.c.end_hi > where.lower)
    if where.upper is not None:
        conditions.append(events.c.start_lo < where.upper)
    if where.actors:
        conditions.append(
            events.c.id.in_(
                select(event_actors.c.event_id)
                .join(actors, actors.c.id == event_actors.c.actor_id)
                .where(actors.c.name.in_(sorted(where.actors)))
            )
        )
    if where.tags:
        conditions.append(
            events.c.id.in_(
                select(event_tags.c.event_id)
                .join(tags, tags.c.id == event_tags.c.tag_id)
                .where(tags.c.name.in_(sorted(where.tags)))
            )
        )
    if where.min_grade is not None:
        reliability, credibility = where.min_grade
        conditions.append(  # letters sort as the grades do: A is the most reliable
            events.c.id.in_(
                select(event_sources.c.event_id)
                .join(sources, sources.c.id == event_sources.c.source_id)
                .where(
                    sources.c.reliability <= reliability,
                    event_sources.c.credibility <= credibility,
                )
            )
        )
    if where.source_ids:
        conditions.append(
            events.c.id.in_(
                select(event_sources.c.event_id).where(
                    event_sources.c.source_id.in_(sorted(where.source_ids))
                )
            )
        )
    return conditions


def event_rows(
    connection: Connection, where: EventFilter | None = None, ids: Sequence[str] | None = None
) -> list[EventRow]:
    """Table rows of the (filtered) events by start, title; `ids` narrows them to those."""
    query = (
        select(
            events.c.id,
            events.c.title,
            events.c.start,
            events.c.end,
            events.c.start_lo,
            events.c.end_hi,
            categories.c.name,
            events.c.importance,
            events.c.certainty,
        )
        .join(categories, categories.c.id == events.c.category_id)
        .where(*_filter_conditions(connection, where))
        .order_by(events.c.start_lo, events.c.title)
    )
    if ids is None:
        return list(map(EventRow._make, driver_rows(connection, query)))
    rows = list(map(EventRow._make, rows_for_ids(connection, query, events.c.id, ids)))
    rows.sort(key=lambda row: (row.lower, row.title))
    return rows


def event_ids(connection: Connection, where: EventFilter | None = None) -> list[str]:
    query = select(events.c.id).where(*_filter_conditions(connection, where))
    return list(connection.execute(query).scalars())


def event_keys(
    connection: Connection, where: EventFilter | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(start bounds, ids) of the (filtered) events, in no particular order: the two cells
    that place each one in EventColumns, so a filter costs a fraction of a full read."""
    query = select(events.c.start_lo, events.c.id).where(*_filter_conditions(connection, where))
    with _driver_cursor(connection, query) as cursor:
        fetched = cursor.fetchall()
    count = len(fetched)
    starts = np.fromiter(map(operator.itemgetter(0), fetched), dtype=np.float64, count=count)
    ids = np.empty(count, dtype=object)
    ids[:] = list(map(operator.itemgetter(1), fetched))
    return starts, ids


def event_dates(connection: Connection, ids: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """The stored EDTF (start, end) texts of these events, by id (absent ids left out)."""
    query = select(events.c.id, events.c.start, events.c.end)
    return {row[0]: (row[1], row[2]) for row in rows_for_ids(connection, query, events.c.id, ids)}


def count_events(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(events)).scalar_one())


_PRECISION_BITS = 4
_DAY_CODE = PRECISION_CODES["day"]
"""What a precision the app does not know reads as."""
_CERTAINTY_BITS = 3
_IMPORTANCE_BITS = 3
_PRECISION_SHIFT = 1
_CERTAINTY_SHIFT = _PRECISION_SHIFT + _PRECISION_BITS
_IMPORTANCE_SHIFT = _CERTAINTY_SHIFT + _CERTAINTY_BITS
_SHAPE_SHIFT = _IMPORTANCE_SHIFT + _IMPORTANCE_BITS
_CATEGORY_SHIFT = _SHAPE_SHIFT + shapes.SHAPE_BITS
"""How `event_columns` packs is_span, precision, certainty, importance, shape and category id
into one integer cell: each fetched cell costs about 0.2 s per million events."""


def _shape_codes():
    """The SQL expression of an event's SHAPE_* flags, read off its stored EDTF texts (as
    `columns.shape_of` reads them): `[..a]` before, `[a..]` after, any other `[…]` one of;
    an end `..` open, an end "" unknown."""
    start, end = events.c.start, events.c.end
    # the first test settles almost every event in one comparison: a plain date starts with
    # a digit or a sign, and most events have no end
    return case(
        (func.substr(start, 1, 1) != "[", 0),
        (start.like("[..%"), shapes.SHAPE_BEFORE),
        (start.like("%..]"), shapes.SHAPE_AFTER),
        else_=shapes.SHAPE_ONE_OF,
    ) + case(
        (end.is_(None), 0),
        (end == "..", shapes.SHAPE_OPEN_END),
        (end == "", shapes.SHAPE_UNKNOWN_END),
        else_=0,
    )


def _packed_codes():
    """The SQL expression of the packed integer (plain arithmetic: SQLite and PostgreSQL)."""
    assert len(PRECISION_CODES) <= 1 << _PRECISION_BITS
    assert len(CERTAINTY_CODES) <= 1 << _CERTAINTY_BITS
    return (
        case((events.c.end.is_(None), 0), else_=1)
        + case(PRECISION_CODES, value=events.c.precision, else_=PRECISION_CODES["day"])
        * (1 << _PRECISION_SHIFT)
        + case(CERTAINTY_CODES, value=events.c.certainty, else_=0) * (1 << _CERTAINTY_SHIFT)
        + events.c.importance * (1 << _IMPORTANCE_SHIFT)
        + _shape_codes() * (1 << _SHAPE_SHIFT)
        + cast(events.c.category_id, BigInteger) * (1 << _CATEGORY_SHIFT)
    )


def _field(packed: np.ndarray, shift: int, bits: int, dtype: type) -> np.ndarray:
    return ((packed >> shift) & ((1 << bits) - 1)).astype(dtype)


def driver_rows(connection: Connection, query: object) -> list[tuple]:
    """All rows of a Core select as the driver's plain tuples.

    A million rows through SQLAlchemy's Row objects cost a second more than the driver's
    own fetch; drawing needs only the values, so the compiled SQL goes straight to it.
    """
    with _driver_cursor(connection, query) as cursor:
        return cursor.fetchall()


@contextmanager
def _driver_cursor(connection: Connection, query: object) -> Iterator:
    """A driver cursor that has executed the compiled `query` (see `driver_rows`)."""
    compiled = query.compile(  # type: ignore[attr-defined]
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    arguments: object = (
        tuple(params[name] for name in compiled.positiontup) if compiled.positional else params
    )
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), arguments)
        yield cursor
    finally:
        cursor.close()


def rows_for_ids(
    connection: Connection, query: object, column: object, ids: Iterable[str]
) -> list[tuple]:
    """`driver_rows` of `query` narrowed to the rows whose `column` (its first) is in `ids`.

    Up to LARGE_BATCH ids go as IN-lists, a chunk at a time; beyond that one scan, kept to
    the wanted ids here, is far cheaper (a bulk import or an export asks for them all).
    """
    id_list = list(ids)
    if len(id_list) > LARGE_BATCH:
        wanted = set(id_list)
        return [row for row in driver_rows(connection, query) if row[0] in wanted]
    return [
        row
        for part in chunks(id_list)
        for row in driver_rows(connection, query.where(column.in_(part)))  # type: ignore[attr-defined]
    ]


def event_columns(
    connection: Connection,
    where: EventFilter | None = None,
    *,
    with_actors: bool = True,
    ids: Sequence[str] | None = None,
    progress: Progress | None = None,
    expected: int = 0,
) -> EventColumns:
    """All (or the filtered) events as EventColumns, from one query plus one for actors;
    `ids` narrows them to those events (to patch columns already drawn). `progress` hears
    (rows read, `expected`) after each block; a `Cancelled` it raises stops the read.

    Rows arrive sorted by the indexed start bound, then id; five cells a row (the codes and
    the category id packed into one integer by the database), turned into arrays a column at
    a time, in blocks, so the driver's tuples never all live at once.
    """
    category_list = connection.execute(
        select(categories.c.id, categories.c.name, categories.c.colour).order_by(
            categories.c.sort_order, categories.c.name
        )
    ).all()
    query = (
        select(events.c.id, events.c.title, events.c.start_lo, events.c.end_hi, _packed_codes())
        .where(*_filter_conditions(connection, where))
        .order_by(events.c.start_lo, _in_code_point_order(connection, events.c.id))
    )
    if ids is None:
        blocks = _column_blocks(connection, query, progress, expected)
    else:
        fetched = rows_for_ids(connection, query, events.c.id, ids)
        fetched.sort(key=operator.itemgetter(2, 0))
        blocks = [_block_arrays(fetched)]
    id_array, titles, start, end, packed = (
        parts[0] if len(parts) == 1 else np.concatenate(parts)
        for parts in zip(*blocks, strict=True)
    )
    lookup = np.zeros(max((row[0] for row in category_list), default=0) + 1, dtype=np.int32)
    for index, row in enumerate(category_list):
        lookup[row[0]] = index
    actor_tuples: tuple[tuple[str, ...], ...] = ()
    if with_actors:
        actor_tuples = _actor_tuples(connection, id_array.tolist())
    return EventColumns(
        start=start,
        end=end,
        is_span=(packed & 1).astype(np.bool_),
        precision=_field(packed, _PRECISION_SHIFT, _PRECISION_BITS, np.int8),
        category=lookup[packed >> _CATEGORY_SHIFT],
        importance=_field(packed, _IMPORTANCE_SHIFT, _IMPORTANCE_BITS, np.int8),
        certainty=_field(packed, _CERTAINTY_SHIFT, _CERTAINTY_BITS, np.int8),
        shape=_field(packed, _SHAPE_SHIFT, shapes.SHAPE_BITS, np.int8),
        ids=id_array,
        titles=titles,
        category_names=tuple(row[1] for row in category_list),
        category_colours=tuple(row[2] or FALLBACK_COLOUR for row in category_list),
        actors=actor_tuples,
    )


def _in_code_point_order(connection: Connection, column: object) -> object:
    """`column` compared as Python compares str: PostgreSQL's collation may order "B" after
    "a"; EventColumns bisects its ids in their runs of equal starts with Python's order."""
    if connection.dialect.name == "postgresql":
        return column.collate("C")  # type: ignore[attr-defined]
    return column


COLUMN_BLOCK = 100_000
"""Rows fetched and converted at a time by `event_columns`."""


def _column_blocks(
    connection: Connection, query: object, progress: Progress | None, expected: int
) -> list[tuple[np.ndarray, ...]]:
    with _driver_cursor(connection, query) as cursor:
        blocks = [_block_arrays(cursor.fetchmany(COLUMN_BLOCK))]
        read = len(blocks[0][0])
        while fetched := cursor.fetchmany(COLUMN_BLOCK):
            if progress is not None:
                progress(read, max(expected, read))
            blocks.append(_block_arrays(fetched))
            read += len(fetched)
        return blocks


def _block_arrays(fetched: list[tuple]) -> tuple[np.ndarray, ...]:
    """(ids, titles, start, end, packed) arrays of fetched rows, one column at a time
    (several times cheaper than numpy's conversion of the rows as records)."""
    count = len(fetched)
    id_array = np.empty(count, dtype=object)
    id_array[:] = list(map(operator.itemgetter(0), fetched))
    titles = np.empty(count, dtype=object)
    titles[:] = list(map(operator.itemgetter(1), fetched))
    start = np.fromiter(map(operator.itemgetter(2), fetched), dtype=np.float64, count=count)
    end = np.fromiter(map(operator.itemgetter(3), fetched), dtype=np.float64, count=count)
    packed = np.fromiter(map(operator.itemgetter(4), fetched), dtype=np.int64, count=count)
    return id_array, titles, start, end, packed


def _actor_tuples(connection: Connection, ids: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """Each event's actor names, in the events' order (one scan, or IN-lists for a few)."""
    names_by_id = dict(connection.execute(select(actors.c.id, actors.c.name)).all())
    by_event: dict[str, list[str]] = defaultdict(list)
    query = select(event_actors.c.event_id, event_actors.c.actor_id, event_actors.c.position)
    links = rows_for_ids(connection, query, event_actors.c.event_id, ids)
    links.sort(key=operator.itemgetter(0, 2))
    for event_id, actor_id, _position in links:
        by_event[event_id].append(names_by_id[actor_id])
    empty: tuple[str, ...] = ()
    return tuple(tuple(by_event[event_id]) if event_id in by_event else empty for event_id in ids)


# ---- writing -------------------------------------------------------------------------------


COPY_THRESHOLD = 1_000
"""From this many rows on, PostgreSQL takes them through COPY: five times faster."""
PROGRESS_BATCH = 10_000
"""Rows written between two calls of a bulk write's `written` callback."""


def insert_tuples(
    connection: Connection,
    table: object,
    columns: Sequence[str],
    rows: list[tuple],
    *,
    written: Callable[[int], None] | None = None,
) -> None:
    """Insert many rows, tuples in the order of `columns`, in the caller's transaction.

    SQLite: the driver's executemany, skipping per-row SQL compilation (ten times faster
    than Core `insert()` with dicts at 100,000 rows), ROWS_PER_STATEMENT rows to each
    statement for a large batch. PostgreSQL through psycopg: COPY for
    large batches, which fires the same triggers and checks the same constraints.
    `written(rows so far)` is called every PROGRESS_BATCH rows and at the end; whatever it
    raises stops the write inside the transaction.
    """
    if not rows:
        return
    quote = connection.dialect.identifier_preparer.quote
    target = f"{quote(table.name)} ({', '.join(quote(c) for c in columns)})"  # type: ignore[attr-defined]
    if len(rows) >= COPY_THRESHOLD and connection.dialect.driver == "psycopg":
        driver = connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(f"COPY {target} FROM STDIN") as copy:  # type: ignore[union-attr]
            if written is None:
                for row in rows:
                    copy.write_row(row)
            else:
                for start in range(0, len(rows), PROGRESS_BATCH):
                    for row in rows[start : start + PROGRESS_BATCH]:
                        copy.write_row(row)
                    written(min(start + PROGRESS_BATCH, len(rows)))
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    one_row = f"({', '.join([marker] * len(columns))})"
    per_statement = (
        min(ROWS_PER_STATEMENT, MAX_PARAMETERS // len(columns))
        if connection.dialect.name == "sqlite" and len(rows) >= ROWS_PER_STATEMENT
        else 1
    )
    step = len(rows) if written is None else PROGRESS_BATCH
    for start in range(0, len(rows), step):
        batch = rows[start : start + step]
        if per_statement == 1:
            connection.exec_driver_sql(f"INSERT INTO {target} VALUES {one_row}", batch)
        else:
            _insert_many_per_statement(connection, target, one_row, per_statement, batch)
        if written is not None:
            written(min(start + step, len(rows)))


ROWS_PER_STATEMENT = 50
"""SQLite takes bulk rows this many to a statement: a fifth less time than one row each,
the cost of each step through the driver being shared."""
MAX_PARAMETERS = 999
"""The smallest bound-parameter limit of any SQLite build."""


def _insert_many_per_statement(
    connection: Connection, target: str, one_row: str, per_statement: int, rows: list[tuple]
) -> None:
    """`rows` through one executemany of `per_statement`-row INSERTs, and the rest."""
    whole = len(rows) - len(rows) % per_statement
    if whole:
        flat = chain.from_iterable
        connection.exec_driver_sql(
            f"INSERT INTO {target} VALUES {', '.join([one_row] * per_statement)}",
            [
                tuple(flat(rows[start : start + per_statement]))
                for start in range(0, whole, per_statement)
            ],
        )
    if whole < len(rows):
        connection.exec_driver_sql(f"INSERT INTO {target} VALUES {one_row}", rows[whole:])


def ensure_names(connection: Connection, table: object, wanted: Iterable[str]) -> dict[str, int]:
    """Ids of actors or tags by name, creating the missing ones."""
    wanted_list = sorted(set(wanted))
    found: dict[str, int] = {}
    for part in chunks(wanted_list):
        found.update(
            dict(
                connection.execute(
                    select(table.c.name, table.c.id).where(table.c.name.in_(part))  # type: ignore[attr-defined]
                ).all()
            )
        )
    missing = [name for name in wanted_list if name not in found]
    if missing:
        if table is actors:
            insert_tuples(connection, table, ("name", "kind"), [(name, "") for name in missing])
        else:
            insert_tuples(connection, table, ("name",), [(name,) for name in missing])
        for part in chunks(missing):
            found.update(
                dict(
                    connection.execute(
                        select(table.c.name, table.c.id).where(table.c.name.in_(part))  # type: ignore[attr-defined]
                    ).all()
                )
            )
    return found


def category_ids(connection: Connection) -> dict[str, int]:
    return dict(connection.execute(select(categories.c.name, categories.c.id)).all())


def write_links(
    connection: Connection,
    event_actor_names: Mapping[str, Sequence[str]],
    event_tag_names: Mapping[str, Sequence[str]],
    event_source_refs: Mapping[str, Sequence[tuple[str, str, int, str]]],
    *,
    clear_existing: bool = True,
) -> None:
    """Replace the actor, tag and source links of the given events (source refs: citations
    as `model.citation` gives them: id, note, credibility, excerpt); missing actors and tags
    are created.

    `clear_existing=False` is for events inserted in the same transaction: they have none.
    Rows go in key order, which keeps SQLite's B-tree inserts local.
    """
    if clear_existing:
        delete_links(
            connection, list(set(event_actor_names) | set(event_tag_names) | set(event_source_refs))
        )
    actor_rows = _name_link_rows(connection, actors, event_actor_names)
    tag_rows = _name_link_rows(connection, tags, event_tag_names)
    source_rows: list[tuple] = []
    append = source_rows.append
    for event_id in sorted(event_source_refs):
        refs = event_source_refs[event_id]
        if len(refs) == 1:
            source_id, note, credibility, excerpt = refs[0]
            append((event_id, source_id, 0, note, credibility, excerpt))
        elif refs:
            source_rows.extend(
                sorted(
                    (event_id, source_id, position, note, credibility, excerpt)
                    for position, (source_id, note, credibility, excerpt) in enumerate(refs)
                )
            )
    insert_tuples(connection, event_actors, ("event_id", "actor_id", "position"), actor_rows)
    insert_tuples(connection, event_tags, ("event_id", "tag_id", "position"), tag_rows)
    insert_tuples(
        connection,
        event_sources,
        ("event_id", "source_id", "position", "note", "credibility", "excerpt"),
        source_rows,
    )


def _name_link_rows(
    connection: Connection, table: object, names_of_event: Mapping[str, Sequence[str]]
) -> list[tuple[str, int, int]]:
    """(event id, actor or tag id, position) rows in key order, creating missing names.

    Events share their lists (a file repeats "Russia; Iran" on every row): each distinct list
    is resolved to its sorted (id, position) pairs once.
    """
    distinct = set(map(tuple, names_of_event.values()))
    distinct.discard(())
    if not distinct:
        return []
    ids = ensure_names(connection, table, {name for names in distinct for name in names})
    pairs_of = {
        names: sorted((ids[name], position) for position, name in enumerate(names))
        for names in distinct
    }
    rows: list[tuple[str, int, int]] = []
    append = rows.append
    for event_id in sorted(names_of_event):
        names = names_of_event[event_id]
        if names:
            for name_id, position in pairs_of[tuple(names)]:
                append((event_id, name_id, position))
    return rows


def upsert_sources(
    connection: Connection,
    refs: Iterable[SourceRef] | dict[str, SourceRef],
    existing: dict[str, tuple] | None = None,
) -> None:
    """Insert new sources and update changed ones, by id (every ref must carry an id; a
    dict is taken as the refs by their ids).

    `existing`: what `source_fields` gave for these ids in this transaction, when the
    caller has it already (an import reads it to plan).
    """
    wanted = refs if isinstance(refs, dict) else {ref.id: ref for ref in refs if ref.id}
    if existing is None:
        existing = source_fields(connection, wanted)
    new_rows = [
        (source_id, *source_values(ref))
        for source_id, ref in wanted.items()
        if source_id not in existing
    ]
    for source_id, values in existing.items():
        ref = wanted.get(source_id)
        if ref is not None and values != (given := source_values(ref)):
            connection.execute(
                update(sources)
                .where(sources.c.id == source_id)
                .values(dict(zip(SOURCE_VALUE_COLUMNS, given, strict=True)))
            )
    new_rows.sort(key=operator.itemgetter(0))  # ids are unique: no need to compare the rest
    insert_tuples(connection, sources, ("id", *SOURCE_VALUE_COLUMNS), new_rows)


FTS_INSERT_TRIGGER = (
    "CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
    "INSERT INTO events_fts (rowid, title, description, location) "
    "VALUES (new.rowid, new.title, new.description, new.location); END"
)
BULK_FTS_THRESHOLD = 2_000


EVENT_COLUMNS = (
    "id",
    "title",
    "description",
    "start",
    "end",
    "start_lo",
    "start_hi",
    "end_lo",
    "end_hi",
    "precision",
    "category_id",
    "importance",
    "certainty",
    "location",
    "created_at",
    "updated_at",
    "version",
)
"""The order of the tuples `insert_event_rows` takes."""


def insert_event_rows(
    connection: Connection, rows: list[tuple], *, written: Callable[[int], None] | None = None
) -> None:
    """Bulk insert of event rows, tuples in EVENT_COLUMNS order (one executemany);
    `written` as for `insert_tuples`.

    On SQLite a large batch bypasses the per-row full-text trigger and indexes the new rows
    in one statement afterwards: four times faster, and still inside the caller's transaction.
    """
    if not rows:
        return
    if connection.dialect.name != "sqlite" or len(rows) < BULK_FTS_THRESHOLD:
        insert_tuples(connection, events, EVENT_COLUMNS, rows, written=written)
        return
    last = connection.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM events").scalar()
    connection.exec_driver_sql("DROP TRIGGER events_fts_insert")
    insert_tuples(connection, events, EVENT_COLUMNS, rows, written=written)
    connection.exec_driver_sql(
        "INSERT INTO events_fts (rowid, title, description, location) "
        "SELECT rowid, title, description, location FROM events WHERE rowid > ?",
        (last,),
    )
    connection.exec_driver_sql(FTS_INSERT_TRIGGER)


LINKED_TABLES = ("events", "event_actors", "event_tags", "event_sources")


@contextmanager
def indexes_set_aside(connection: Connection, rows_to_add: int) -> Iterator[None]:
    """On SQLite, drop the secondary indexes of the event tables while a batch at least as
    large as what is stored goes in, and build them again after it.

    Building an index over the finished table (sorting with two threads) is cheaper than
    keeping it in order through a large import; the drop and the rebuild belong to the
    caller's transaction, so a failure brings the indexes back with the rollback. Elsewhere,
    and for small batches, nothing changes.
    """
    if (
        connection.dialect.name != "sqlite"
        or rows_to_add < BULK_FTS_THRESHOLD
        or rows_to_add < count_events(connection)
    ):
        yield
        return
    marks = ", ".join("?" * len(LINKED_TABLES))
    indexes = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name",
        LINKED_TABLES,
    ).all()
    connection.exec_driver_sql("PRAGMA threads = 2")
    for name, _sql in indexes:
        connection.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        connection.exec_driver_sql(sql)


FOREIGN_KEY_TABLES = ("events", "event_actors", "event_tags", "event_sources")
"""The tables whose references a bulk write with deferred foreign keys checks at its end."""


@contextmanager
def foreign_keys_deferred(connection: Connection, rows_to_add: int) -> Iterator[bool]:
    """On SQLite, for a batch at least as large as what is stored, turn the per-row
    foreign-key checks off around the caller's transaction; yield whether they are off.

    The caller then deletes links itself (no cascade runs) and calls `check_foreign_keys`
    before it commits: one pass over the link tables instead of two index look-ups per
    link row. SQLite changes the setting only outside a transaction, so this wraps
    `connection.begin()`; the setting is back on when the block ends, whatever happened.
    Elsewhere, and for small batches, nothing changes (yields False).
    """
    if connection.dialect.name != "sqlite" or rows_to_add < BULK_FTS_THRESHOLD:
        yield False
        return
    driver = connection.connection.driver_connection
    if driver is None or driver.in_transaction:  # type: ignore[attr-defined]
        yield False  # the setting would not change inside a transaction
        return
    stored = driver.execute("SELECT count(*) FROM events").fetchone()[0]  # type: ignore[attr-defined]
    if rows_to_add < stored:
        yield False
        return
    driver.execute("PRAGMA foreign_keys = OFF")  # type: ignore[attr-defined]
    try:
        yield True
    finally:
        driver.execute("PRAGMA foreign_keys = ON")  # type: ignore[attr-defined]


def check_foreign_keys(connection: Connection) -> None:
    """Raise DatabaseFailure when a row of the event tables refers to a missing row: the
    one check, before commit, of a write made with `foreign_keys_deferred`."""
    for table in FOREIGN_KEY_TABLES:
        broken = connection.exec_driver_sql(f"PRAGMA foreign_key_check({table})").fetchall()
        if broken:
            raise DatabaseFailure(
                f"{len(broken)} {table} row(s) refer to a missing {broken[0][2]} row; "
                "nothing was written"
            )


def delete_links(connection: Connection, event_ids: Sequence[str]) -> None:
    """Delete the actor, tag and source links of these events (what the cascade of their
    deletion does when foreign keys are on)."""
    for part in chunks(sorted(event_ids)):
        connection.execute(delete(event_actors).where(event_actors.c.event_id.in_(part)))
        connection.execute(delete(event_tags).where(event_tags.c.event_id.in_(part)))
        connection.execute(delete(event_sources).where(event_sources.c.event_id.in_(part)))


def update_event_row(
    connection: Connection, event_id: str, expected_version: int, values: dict
) -> bool:
    """Optimistic update: True when the row was at `expected_version` and is now updated."""
    result = connection.execute(
        update(events)
        .where(events.c.id == event_id, events.c.version == expected_version)
        .values(**values, version=events.c.version + 1)
    )
    return result.rowcount == 1


def event_version(connection: Connection, event_id: str) -> int | None:
    return connection.execute(select(events.c.version).where(events.c.id == event_id)).scalar()


def delete_event_rows(connection: Connection, ids: Sequence[str]) -> int:
    removed = 0
    for part in chunks(list(ids)):
        removed += connection.execute(delete(events).where(events.c.id.in_(part))).rowcount
    return removed


def existing_event_versions(
    connection: Connection, ids: Sequence[str], *, lock: bool = False
) -> dict[str, int]:
    """Versions of those of `ids` that are stored; `lock` holds their rows (PostgreSQL
    `FOR UPDATE`) to the end of the transaction, so no edit lands between a plan and its write."""
    query = select(events.c.id, events.c.version)
    if lock and connection.dialect.name == "postgresql":
        query = query.with_for_update()
    return dict(rows_for_ids(connection, query, events.c.id, ids))  # type: ignore[arg-type]


def lock_for_import(connection: Connection) -> None:
    """Make the caller's transaction the only import writing until it ends.

    SQLite: `BEGIN IMMEDIATE` takes the write lock before anything is read, so what an import
    plans against is what it writes over (it must be the transaction's first statement).
    PostgreSQL: a transaction-scoped advisory lock per schema serialises imports; rows an
    import changes are also locked as it reads them (`existing_event_versions(lock=True)`).
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "SELECT pg_advisory_xact_lock(hashtext('timeline-app import ' || current_schema()))"
            )
        )


SOURCE_VALUE_COLUMNS = ("title", "url", "publisher", "published", "kind", "language", "reliability")
"""A shared source's own fields, in the order `source_values` and `source_fields` give them."""


def source_values(ref: SourceRef) -> tuple:
    """A source's shared fields (not the citation's), as `source_fields` reads them back."""
    return (
        ref.title,
        ref.url,
        ref.publisher,
        ref.published,
        ref.kind,
        ref.language,
        ref.reliability,
    )


def source_fields(connection: Connection, ids: Iterable[str]) -> dict[str, tuple]:
    """Stored shared fields (`SOURCE_VALUE_COLUMNS`) of those of `ids` that exist."""
    query = select(sources.c.id, *(sources.c[name] for name in SOURCE_VALUE_COLUMNS))
    return {row[0]: tuple(row[1:]) for row in rows_for_ids(connection, query, sources.c.id, ids)}


def bump_events_citing(
    connection: Connection,
    source_ids: Sequence[str],
    stamp: str,
    *,
    except_ids: Sequence[str] = (),
) -> None:
    """Raise the version of every event citing one of `source_ids` (but `except_ids`, the
    events being saved): a source it shows has changed, so an editor open on the old version
    meets a conflict instead of overwriting."""
    for part in chunks(list(source_ids)):
        citing = select(event_sources.c.event_id).where(event_sources.c.source_id.in_(part))
        condition = events.c.id.in_(citing)
        if except_ids:
            condition = condition & events.c.id.not_in(list(except_ids))
        connection.execute(
            update(events).where(condition).values(version=events.c.version + 1, updated_at=stamp)
        )


# ---- bulk edit of several events -------------------------------------------------------------


def update_events_at_version(
    connection: Connection, ids: Sequence[str], version: int, values: Mapping[str, object]
) -> int:
    """Set `values` on those of `ids` still at `version`, raising their versions; returns how
    many rows changed, so the caller can refuse (roll back) when some had moved on."""
    changed = 0
    for part in chunks(list(ids)):
        changed += connection.execute(
            update(events)
            .where(events.c.id.in_(part), events.c.version == version)
            .values(**values, version=events.c.version + 1)
        ).rowcount
    return changed


def replace_name_links(
    connection: Connection, kind: str, names_of_event: Mapping[str, Sequence[str]]
) -> None:
    """Replace only the actor (`kind` "actors") or tag ("tags") links of these events, in the
    given order; their other links stay. Missing names are created."""
    table, link = (actors, event_actors) if kind == "actors" else (tags, event_tags)
    for part in chunks(sorted(names_of_event)):
        connection.execute(delete(link).where(link.c.event_id.in_(part)))
    rows = _name_link_rows(connection, table, names_of_event)
    insert_tuples(
        connection,
        link,
        ("event_id", "actor_id" if kind == "actors" else "tag_id", "position"),
        rows,
    )
