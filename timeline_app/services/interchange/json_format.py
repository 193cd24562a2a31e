"""The app's own JSON format: versioned and lossless (export → import → export is identical).

Version 2 (written) carries the whole evidence model: graded sources and citations, actors'
aliases, events' notes, links between events and the history of changes; version 1 (read)
has none of them, and its sources read as ungraded (F6). Optional keys a file leaves out
take their defaults; the writer puts every key, in a stable order.

ROW in error messages is the 1-based position of the event (or era, source…) in its list;
`links[i]`, `history[i]` and an event's `sources[i]` and `notes[i]` count from 0.
An event object changes only the fields it has keys for: a missing key leaves a stored
event's field as it is (a new event gets the default), `null` or an empty text clears it.
The file's categories, actors, tags, sources and eras are held to the editor's rules before
anything is written, so both database backends take exactly what the reader accepts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from json.encoder import encode_basestring as json_string
from typing import Any

from timeline_app.domain.dates import file_date_cells
from timeline_app.domain.errors import ImportFileError, ValidationError, quoted
from timeline_app.domain.evidence import (
    UNGRADED_CREDIBILITY,
    UNGRADED_RELIABILITY,
    EventLink,
    EventNote,
    HistoryAction,
    HistoryEntity,
    HistoryEntry,
    LinkKind,
)
from timeline_app.domain.model import EventDraft, EventRecord, SourceRef, stable_id
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import (
    DESCRIPTION_MAX,
    NAME_MAX,
    character_problem,
    check_colour,
    check_credibility,
    check_language,
    check_reliability,
    check_source,
    check_source_kind,
    check_span,
    check_text,
)
from timeline_app.services.bulk import collector_paused
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    DRAFT_FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    READABLE_VERSIONS,
    CategoryItem,
    Document,
    EraItem,
    EventItem,
    LinkItem,
    NoteItem,
    check_event,
    check_id,
    check_stamp,
    check_unique_ids,
    check_unique_note_ids,
    field_label,
    link_id_for,
    note_id_for,
)
from timeline_app.services.interchange.text_file import decode_text
from timeline_app.services.links import NOTE_MAX as LINK_NOTE_MAX
from timeline_app.services.notes import NOTE_MAX as NOTE_TEXT_MAX
from timeline_app.store import evidence_queries

EVENT_KEYS = {"id", *DRAFT_FIELDS}
EVENT_KEYS_2 = EVENT_KEYS | {"notes"}
REQUIRED_EVENT_KEYS = ("title", "start", "category")
SOURCE_KEYS = {"id", "title", "publisher", "url", "published", "note"}
SOURCE_KEYS_2 = SOURCE_KEYS | {"kind", "language", "reliability", "credibility", "excerpt"}
TOP_KEYS = {
    "format",
    "version",
    "title",
    "categories",
    "actors",
    "tags",
    "sources",
    "eras",
    "events",
}
GRADE_KEYS = SOURCE_KEYS_2 - SOURCE_KEYS
TOP_KEYS_2 = TOP_KEYS | {"links", "history"}
ACTOR_KEYS = {"name", "kind"}
ACTOR_KEYS_2 = ACTOR_KEYS | {"aliases"}
LINK_KEYS = {"id", "from", "to", "kind", "note", "created_at"}
NOTE_KEYS = {"id", "author", "created_at", "text"}
HISTORY_KEYS = {"entity", "entity_id", "action", "author", "at", "changes", "snapshot"}
ENTITY_ID_MAX = 64
"""The length of `history.entity_id`."""
KIND_MAX = 40
"""The length of `actors.kind`."""
GROUP_MAX = 60
"""The length of `eras.group`."""
PUBLISHED_MAX = 40
"""The length of `sources.published`."""
SORT_ORDER_RANGE = range(-(2**31), 2**31)
"""A 32-bit integer column: what PostgreSQL stores (SQLite would take more)."""
NUMBER_DIGITS_MAX = 30
"""Longer whole numbers are refused as they are read; none of the format's numbers is near."""


class _NumberTooLong(Exception):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


class _Constant(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _whole_number(digits: str) -> int:
    """`int` for the JSON parser, refusing numbers no field can hold before Python's own
    4,300-digit limit (or a long conversion) is reached."""
    if len(digits) > NUMBER_DIGITS_MAX:
        raise _NumberTooLong(digits)
    return int(digits)


def _refuse_constant(name: str) -> float:
    raise _Constant(name)


def _line_of(text: str, fragment: str) -> int | None:
    offset = text.find(fragment)
    return text.count("\n", 0, offset) + 1 if offset >= 0 else None


class _Reader:
    def __init__(self, path: str, version: int = FORMAT_VERSION) -> None:
        self.path = path
        self.version = version
        self.source_keys = SOURCE_KEYS_2 if version >= 2 else SOURCE_KEYS

    def fail(self, row: int | None, field: str, message: str) -> ImportFileError:
        return ImportFileError(self.path, row, field, message)

    def object(self, value: Any, row: int | None, field: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(row, field, f"must be an object, not {type(value).__name__}")
        return value

    def array(self, value: Any, row: int | None, field: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(row, field, f"must be a list, not {type(value).__name__}")
        return value

    def string(self, value: Any, row: int | None, field: str, *, optional: bool = False) -> str:
        if value is None and optional:
            return ""
        if not isinstance(value, str):
            raise self.fail(row, field, f"must be text, not {type(value).__name__}")
        return value

    def text(
        self, value: Any, row: int | None, field: str, *, limit: int, required: bool = True
    ) -> str:
        """A stripped text within `limit`, by the editor's rule (`check_text`)."""
        try:
            return check_text(field, value, limit=limit, required=required)
        except ValidationError as error:
            raise self.fail(row, error.field, error.message) from error

    def colour(self, value: Any, row: int, field: str) -> str:
        if not isinstance(value, str) or len(value) > 7:
            raise self.fail(row, field, f"{quoted(value)} is not a #RRGGBB colour")
        try:
            return check_colour(field, value)
        except ValidationError as error:
            raise self.fail(row, error.field, error.message) from error

    def identifier(self, value: Any, row: int | None, field: str) -> str | None:
        """An id as given (None when there is none), refused when the database cannot hold it."""
        text = self.string(value, row, field, optional=True).strip()
        return check_id(self.path, row, field, text) if text else None

    def date_text(self, value: Any, row: int | None, field: str, *, optional: bool) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str):
            raise self.fail(row, field, f"must be a date text, not {quoted(value)}")
        return value

    def keys(self, value: dict, allowed: set[str], row: int | None, field: str) -> None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(
                row, f"{field}{field_label(unknown[0])}", "is not a field of this format"
            )

    def source(self, value: Any, row: int, field: str) -> SourceRef:
        data = self.object(value, row, field)
        self.keys(data, self.source_keys, row, f"{field}.")
        published = self.date_text(data.get("published"), row, f"{field}.published", optional=True)
        if published is not None and len(published.strip()) > PUBLISHED_MAX:
            raise self.fail(row, f"{field}.published", f"is longer than {PUBLISHED_MAX} characters")
        ref = SourceRef(
            title=self.string(data.get("title"), row, f"{field}.title"),
            url=self.string(data.get("url"), row, f"{field}.url", optional=True),
            publisher=self.string(data.get("publisher"), row, f"{field}.publisher", optional=True),
            published=published or None,
            note=self.string(data.get("note"), row, f"{field}.note", optional=True),
            id=self.identifier(data.get("id"), row, f"{field}.id"),
        )
        if data.keys().isdisjoint(GRADE_KEYS):  # every source of a version 1 file
            return ref
        try:  # the grades are checked here, where the field can be named
            return replace(
                ref,
                kind=check_source_kind(f"{field}.kind", data.get("kind") or "other"),
                language=check_language(f"{field}.language", data.get("language")),
                reliability=check_reliability(
                    f"{field}.reliability", data.get("reliability") or UNGRADED_RELIABILITY
                ),
                credibility=check_credibility(
                    f"{field}.credibility",
                    UNGRADED_CREDIBILITY
                    if data.get("credibility") is None
                    else data.get("credibility"),
                ),
                excerpt=self.string(data.get("excerpt"), row, f"{field}.excerpt", optional=True),
            )
        except ValidationError as error:
            raise self.fail(row, error.field, error.message) from error

    def stamp(self, value: Any, row: int | None, field: str) -> str:
        """A time stamp as stored ("" when none is given): ISO 8601 date and time."""
        return check_stamp(self.path, row, field, self.string(value, row, field, optional=True))


def _parse(path: str, text: str) -> Any:
    try:
        return json.loads(text, parse_int=_whole_number, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ImportFileError(path, error.lineno, "json", error.msg) from error
    except RecursionError as error:
        raise ImportFileError(path, None, "json", "is nested too deeply") from error
    except _NumberTooLong as error:
        raise ImportFileError(
            path,
            _line_of(text, error.digits),
            "json",
            f"a whole number of {len(error.digits):,} digits is longer than any field takes",
        ) from None
    except _Constant as error:
        raise ImportFileError(
            path,
            None,
            "json",
            f"{error.name} is not a number JSON allows; give a number or null",
        ) from None
    except ValueError as error:  # any other number the parser cannot convert
        raise ImportFileError(path, None, "json", str(error).splitlines()[0]) from None


def read_json(path: str, raw: bytes, *, progress: Progress | None = None) -> Document:
    """Parse and validate a whole JSON file; raise ImportFileError at the first problem.

    `progress` hears (0, 0) before the parse, then (events read, events) as they are checked.
    """
    if progress is not None:
        progress(0, 0)
    top = _Reader(path).object(_parse(path, decode_text(path, raw)), None, "file")
    if top.get("format") != FORMAT_NAME:
        raise ImportFileError(
            path, None, "format", f"must be {FORMAT_NAME!r}, not {quoted(top.get('format'))}"
        )
    version = top.get("version")
    if version.__class__ is not int or version not in READABLE_VERSIONS:
        readable = " and ".join(map(str, READABLE_VERSIONS))
        raise ImportFileError(
            path, None, "version", f"{quoted(version)} is not supported (this app reads {readable})"
        )
    reader = _Reader(path, version)
    reader.keys(top, TOP_KEYS_2 if version >= 2 else TOP_KEYS, None, "")
    title = reader.string(top.get("title"), None, "title", optional=True)
    problem = character_problem(title)
    if problem is not None:
        raise reader.fail(None, "title", problem)
    document = Document(path=path, title=title)
    _read_categories(reader, document, reader.array(top.get("categories"), None, "categories"))
    _read_actors(reader, document, reader.array(top.get("actors"), None, "actors"))
    for row, value in enumerate(reader.array(top.get("tags"), None, "tags"), 1):
        name = reader.text(value, row, "tags", limit=NAME_MAX)
        if name not in document.tags:
            document.tags.append(name)
    _read_sources(reader, document, reader.array(top.get("sources"), None, "sources"))
    _read_eras(reader, document, reader.array(top.get("eras"), None, "eras"))
    values = reader.array(top.get("events"), None, "events")
    tick = report_every(progress, len(values))
    tick(0)
    for row, value in enumerate(values, 1):
        item = _read_event(reader, row, value)
        document.events.append(item)
        if version >= 2 and value.get("notes"):
            _read_notes(reader, document, row, item.id, value["notes"])
        tick(row)
    check_unique_ids(document)
    if version >= 2:
        check_unique_note_ids(document)
        _read_links(reader, document, reader.array(top.get("links"), None, "links"))
        document.history = [
            _read_history_entry(reader, index, value)
            for index, value in enumerate(reader.array(top.get("history"), None, "history"))
        ]
    for item in document.events:
        for name in item.draft.actors:
            document.actors.setdefault(name, "")
        for name in item.draft.tags:
            if name not in document.tags:
                document.tags.append(name)
    return document


def _read_categories(reader: _Reader, document: Document, values: list) -> None:
    """Categories by the editor's rules: names, colours, parents that exist and form no cycle
    (a parent not in the file must be in the database: the plan checks that)."""
    first_at: dict[str, int] = {}
    for row, value in enumerate(values, 1):
        item = reader.object(value, row, "categories")
        reader.keys(
            item, {"name", "colour", "parent", "sort_order", "description"}, row, "categories."
        )
        name = reader.text(item.get("name"), row, "categories.name", limit=NAME_MAX)
        if name in first_at:
            raise reader.fail(
                row,
                "categories.name",
                f"{quoted(name)} is named again (first at row {first_at[name]})",
            )
        first_at[name] = row
        colour = item.get("colour")
        if colour is not None:
            colour = reader.colour(colour, row, "categories.colour")
        order = item.get("sort_order")
        if order is not None and (
            isinstance(order, bool) or not isinstance(order, int) or order not in SORT_ORDER_RANGE
        ):
            raise reader.fail(
                row, "categories.sort_order", f"must be a whole number, not {quoted(order)}"
            )
        parent = reader.text(
            item.get("parent"), row, "categories.parent", limit=NAME_MAX, required=False
        )
        if parent == name:
            raise reader.fail(row, "categories.parent", "a category cannot be its own parent")
        description = reader.string(
            item.get("description"), row, "categories.description", optional=True
        )
        reader.text(
            description, row, "categories.description", limit=DESCRIPTION_MAX, required=False
        )
        document.categories.append(
            CategoryItem(name, colour, parent or None, order, description, row)
        )
    parents = {item.name: item.parent for item in document.categories}
    settled: set[str] = set()
    for item in document.categories:
        path = [item.name]
        while parents.get(path[-1]) is not None and path[-1] not in settled:
            following = parents[path[-1]]
            if following in path:
                cycle = " → ".join(
                    quoted(name) for name in [*path[path.index(following) :], following]
                )
                raise reader.fail(item.row, "categories.parent", f"{cycle} is a cycle of parents")
            path.append(following)  # type: ignore[arg-type]
        settled.update(path)


def _read_actors(reader: _Reader, document: Document, values: list) -> None:
    for row, value in enumerate(values, 1):
        if isinstance(value, str):
            name, kind = reader.text(value, row, "actors.name", limit=NAME_MAX), ""
        else:
            item = reader.object(value, row, "actors")
            reader.keys(item, ACTOR_KEYS_2 if reader.version >= 2 else ACTOR_KEYS, row, "actors.")
            name = reader.text(item.get("name"), row, "actors.name", limit=NAME_MAX)
            kind = reader.text(item.get("kind"), row, "actors.kind", limit=KIND_MAX, required=False)
            aliases = [
                reader.text(alias, row, f"actors.aliases[{index}]", limit=NAME_MAX)
                for index, alias in enumerate(
                    reader.array(item.get("aliases"), row, "actors.aliases")
                )
            ]
            if aliases:
                document.aliases[name] = tuple(dict.fromkeys(aliases))
        if name in document.actors:
            raise reader.fail(row, "actors.name", f"{quoted(name)} is named twice")
        document.actors[name] = kind


def _read_sources(reader: _Reader, document: Document, values: list) -> None:
    given: dict[str, SourceRef] = {}
    for row, value in enumerate(values, 1):
        ref = reader.source(value, row, "sources")
        try:
            checked = check_source("sources", ref)  # it gives the source its id
        except ValidationError as error:
            raise reader.fail(row, error.field, error.message) from error
        earlier = given.get(checked.id)  # type: ignore[arg-type]
        if earlier is not None and earlier != checked:
            raise reader.fail(row, "sources.id", f"{checked.id} is given twice, differently")
        given[checked.id] = checked  # type: ignore[index]
    document.sources.extend(given.values())


def _read_eras(reader: _Reader, document: Document, values: list) -> None:
    first_at: dict[str, int] = {}
    for row, value in enumerate(values, 1):
        item = reader.object(value, row, "eras")
        reader.keys(item, {"id", "name", "start", "end", "colour", "group"}, row, "eras.")
        name = reader.text(item.get("name"), row, "eras.name", limit=NAME_MAX)
        start = reader.date_text(item.get("start"), row, "eras.start", optional=False)
        end = reader.date_text(item.get("end"), row, "eras.end", optional=True)
        try:
            span = check_span(start, end)
        except ValidationError as error:
            raise reader.fail(
                row, f"eras.{error.field.removeprefix('eras.')}", error.message
            ) from error
        colour = reader.colour(item.get("colour") or "#999999", row, "eras.colour")
        group = reader.string(item.get("group"), row, "eras.group", optional=True)
        reader.text(group, row, "eras.group", limit=GROUP_MAX, required=False)
        era_id = reader.identifier(item.get("id"), row, "eras.id") or stable_id(f"era:{name}")
        if era_id in first_at:
            raise reader.fail(
                row, "eras.id", f"{quoted(era_id)} is used again (first at row {first_at[era_id]})"
            )
        first_at[era_id] = row
        document.eras.append(
            EraItem(
                era_id,
                name,
                span.start.text,
                span.end.text if span.end else None,
                colour,
                group,
            )
        )


def _read_event(reader: _Reader, row: int, value: Any) -> EventItem:
    """One event object; the keys it lacks keep a stored event's fields (see the module)."""
    item = reader.object(value, row, "events")
    reader.keys(item, EVENT_KEYS_2 if reader.version >= 2 else EVENT_KEYS, row, "")
    for key in REQUIRED_EVENT_KEYS:
        if key not in item:
            raise reader.fail(row, key, "is missing")
    title = item["title"]
    start = reader.date_text(item["start"], row, "start", optional=False)
    event_id = reader.identifier(item.get("id"), row, "id") or stable_id(f"event:{title}\n{start}")
    importance = item.get("importance")
    if importance is None:
        importance = 3
    elif isinstance(importance, bool) or not isinstance(importance, int):
        raise reader.fail(row, "importance", f"must be a whole number, not {quoted(importance)}")
    certainty = reader.string(item.get("certainty"), row, "certainty", optional=True)
    sources = tuple(
        reader.source(source, row, f"sources[{index}]")
        for index, source in enumerate(reader.array(item.get("sources"), row, "sources"))
    )
    draft = EventDraft(
        title=title,
        start=start,  # type: ignore[arg-type]
        end=reader.date_text(item.get("end"), row, "end", optional=True),
        category=item["category"],
        importance=importance,
        certainty=certainty or "confirmed",
        description=reader.string(item.get("description"), row, "description", optional=True),
        location=reader.string(item.get("location"), row, "location", optional=True) or None,
        actors=tuple(reader.array(item.get("actors"), row, "actors")),
        tags=tuple(reader.array(item.get("tags"), row, "tags")),
        sources=sources,
    )
    carried = frozenset(key for key in item if key != "id" and key != "notes")
    present = None if len(carried) == len(DRAFT_FIELDS) else carried
    return check_event(reader.path, row, event_id, draft, present)


def _read_notes(reader: _Reader, document: Document, row: int, event_id: str, value: Any) -> None:
    """An event's notes; a note without an id gets one from its event, time and text."""
    for index, data in enumerate(reader.array(value, row, "notes")):
        field = f"notes[{index}]"
        item = reader.object(data, row, field)
        reader.keys(item, NOTE_KEYS, row, f"{field}.")
        text = reader.text(item.get("text"), row, f"{field}.text", limit=NOTE_TEXT_MAX)
        author = reader.text(
            item.get("author"), row, f"{field}.author", limit=NAME_MAX, required=False
        )
        created_at = reader.stamp(item.get("created_at"), row, f"{field}.created_at")
        note_id = reader.identifier(item.get("id"), row, f"{field}.id") or note_id_for(
            event_id, created_at, text
        )
        document.event_notes.append(
            NoteItem(EventNote(note_id, event_id, author, created_at, text), row, index)
        )


_LINK_KINDS = ", ".join(kind.value for kind in LinkKind)


def _read_links(reader: _Reader, document: Document, values: list) -> None:
    """Links between events, each once; whether their events exist is the plan's check."""
    by_id: dict[str, int] = {}
    by_ends: dict[tuple[str, str, str], int] = {}
    for index, value in enumerate(values):
        field = f"links[{index}]"
        item = reader.object(value, None, field)
        reader.keys(item, LINK_KEYS, None, f"{field}.")
        ends = []
        for name in ("from", "to"):
            if item.get(name) is None:
                raise reader.fail(None, f"{field}.{name}", "is missing")
            end = reader.identifier(item.get(name), None, f"{field}.{name}")
            if end is None:
                raise reader.fail(None, f"{field}.{name}", "must not be empty")
            ends.append(end)
        from_id, to_id = ends
        kind = item.get("kind")
        if kind not in _LINK_KIND_VALUES:
            raise reader.fail(None, f"{field}.kind", f"{quoted(kind)} is not one of {_LINK_KINDS}")
        if from_id == to_id:
            raise reader.fail(None, f"{field}.to", "a link cannot join an event to itself")
        note = reader.text(
            item.get("note"), None, f"{field}.note", limit=LINK_NOTE_MAX, required=False
        )
        created_at = reader.stamp(item.get("created_at"), None, f"{field}.created_at")
        link_id = reader.identifier(item.get("id"), None, f"{field}.id") or link_id_for(
            from_id, to_id, kind
        )
        if link_id in by_id:
            raise reader.fail(
                None,
                f"{field}.id",
                f"{quoted(link_id)} is used again (first at links[{by_id[link_id]}])",
            )
        if (from_id, to_id, kind) in by_ends:
            raise reader.fail(
                None,
                field,
                f"repeats links[{by_ends[from_id, to_id, kind]}] ({kind} between the same events)",
            )
        by_id[link_id] = by_ends[from_id, to_id, kind] = index
        document.links.append(
            LinkItem(EventLink(link_id, from_id, to_id, LinkKind(kind), note, created_at), index)
        )


_LINK_KIND_VALUES = frozenset(kind.value for kind in LinkKind)
_ENTITIES = {entity.value: entity for entity in HistoryEntity}
_ACTIONS = {action.value: action for action in HistoryAction}


def _read_history_entry(reader: _Reader, index: int, value: Any) -> HistoryEntry:
    """One recorded change, stored as given: its values must be what JSON and both
    databases hold (text without NUL or half surrogate pairs)."""
    field = f"history[{index}]"
    item = reader.object(value, None, field)
    reader.keys(item, HISTORY_KEYS, None, f"{field}.")
    entity = item.get("entity")
    if entity not in _ENTITIES:
        raise reader.fail(
            None, f"{field}.entity", f"{quoted(entity)} is not one of {', '.join(_ENTITIES)}"
        )
    action = item.get("action")
    if action not in _ACTIONS:
        raise reader.fail(
            None, f"{field}.action", f"{quoted(action)} is not one of {', '.join(_ACTIONS)}"
        )
    entity_id = reader.text(item.get("entity_id"), None, f"{field}.entity_id", limit=ENTITY_ID_MAX)
    author = reader.text(
        item.get("author"), None, f"{field}.author", limit=NAME_MAX, required=False
    )
    at = reader.stamp(item.get("at"), None, f"{field}.at")
    if not at:
        raise reader.fail(None, f"{field}.at", "is missing")
    changes = item.get("changes")
    changes = {} if changes is None else reader.object(changes, None, f"{field}.changes")
    pairs: dict[str, tuple[object, object]] = {}
    for name, pair in changes.items():
        where = f"{field}.changes.{field_label(name)}"
        if not isinstance(pair, list) or len(pair) != 2:
            raise reader.fail(None, where, "must be a list of the old and the new value")
        _check_stored_values(reader, where, pair)
        pairs[name] = (pair[0], pair[1])
    _check_stored_values(reader, f"{field}.changes", list(changes))
    snapshot = item.get("snapshot")
    if snapshot is not None:
        snapshot = reader.object(snapshot, None, f"{field}.snapshot")
        _check_stored_values(reader, f"{field}.snapshot", [*snapshot, *snapshot.values()])
    return HistoryEntry(_ENTITIES[entity], entity_id, _ACTIONS[action], author, at, pairs, snapshot)


def _check_stored_values(reader: _Reader, field: str, values: list) -> None:
    """Refuse text, anywhere in nested values, that a database cannot store."""
    pending = list(values)
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            problem = character_problem(value)
            if problem is not None:
                raise reader.fail(None, field, f"a value {problem}")
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, dict):
            pending.extend(value)
            pending.extend(value.values())


def _source_fields(ref: SourceRef) -> dict:
    return {
        "id": ref.id,
        "title": ref.title,
        "publisher": ref.publisher,
        "url": ref.url,
        "published": ref.published,
        "kind": ref.kind,
        "language": ref.language,
        "reliability": ref.reliability,
    }


def _citation_fields(ref: SourceRef) -> dict:
    return {
        **_source_fields(ref),
        "note": ref.note,
        "credibility": ref.credibility,
        "excerpt": ref.excerpt,
    }


def export_json(
    catalog: Catalog, *, progress: Progress | None = None, history: bool = True
) -> dict:
    """Everything in the database as one JSON-ready dict in format version 2, every key
    present, in a deterministic order (without `history` the history key is left out, for
    the writer to add); `progress` hears (events, total) as the events are laid out."""
    records = catalog.events()
    tick = report_every(progress, len(records))
    tick(0)
    actor_kinds = catalog.actor_kinds()
    with catalog.engine.connect() as connection:
        aliases = evidence_queries.aliases_by_actor(connection)
        links = evidence_queries.all_links(connection)
        notes = evidence_queries.notes_of(connection)
        entries = evidence_queries.all_history(connection) if history else []
    notes_of: dict[str, list[dict]] = {}
    for note in notes:
        notes_of.setdefault(note.event_id, []).append(
            {"id": note.id, "author": note.author, "created_at": note.created_at, "text": note.text}
        )
    data = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "title": catalog.title(),
        "categories": [
            {
                "name": category.name,
                "colour": category.colour,
                "parent": category.parent,
                "sort_order": category.sort_order,
                "description": category.description,
            }
            for category in catalog.categories()
        ],
        "tags": catalog.tag_names(),
        "eras": [
            {
                "id": era.id,
                "name": era.name,
                "start": era.start,
                "end": era.end,
                "colour": era.colour,
                "group": era.group,
            }
            for era in catalog.eras()
        ],
        "actors": [
            {"name": name, "kind": kind, "aliases": sorted(aliases.get(name, ()))}
            for name, kind in actor_kinds.items()
        ],
        "sources": [
            _source_fields(ref)
            for ref in sorted(catalog.sources(), key=lambda ref: (ref.title, ref.id or ""))
        ],
        "events": [
            _event_fields(record, notes_of, done, tick) for done, record in enumerate(records, 1)
        ],
        "links": [
            {
                "id": link.id,
                "from": link.from_id,
                "to": link.to_id,
                "kind": str(link.kind),
                "note": link.note,
                "created_at": link.created_at,
            }
            for link in sorted(links, key=_link_order)  # code points, whatever the collation
        ],
    }
    if history:
        data["history"] = [
            {
                "entity": str(entry.entity),
                "entity_id": entry.entity_id,
                "action": str(entry.action),
                "author": entry.author,
                "at": entry.at,
                "changes": {name: list(pair) for name, pair in entry.changes.items()},
                "snapshot": entry.snapshot,
            }
            for entry in entries
        ]
    return data


def _link_order(link: EventLink) -> tuple[str, str, str]:
    return link.from_id, link.to_id, str(link.kind)


def _event_fields(
    record: EventRecord, notes_of: dict[str, list[dict]], done: int, tick: Callable[[int], None]
) -> dict:
    start, end = file_date_cells(record.start, record.end)
    fields = {
        "id": record.id,
        "title": record.title,
        "start": start,
        "end": end,
        "category": record.category,
        "importance": record.importance,
        "certainty": str(record.certainty),
        "description": record.description,
        "location": record.location,
        "tags": list(record.tags),
        "actors": list(record.actors),
        "sources": [_citation_fields(ref) for ref in record.sources],
        "notes": notes_of.get(record.id, []),
    }
    tick(done)
    return fields


def dump_json(catalog: Catalog, *, progress: Progress | None = None) -> str:
    """The file's text; the collector waits while its million objects are made and written."""
    with collector_paused():
        text = json.dumps(export_json(catalog, progress=progress, history=False), **_LAYOUT)
        with catalog.engine.connect() as connection:
            entries = evidence_queries.history_texts(connection)
    if not entries:
        return text[:-2] + ',\n  "history": []\n}\n'
    lines = ",\n".join(map(_history_line, entries))
    return f'{text[:-2]},\n  "history": [\n{lines}\n  ]\n}}\n'


_LAYOUT = {"ensure_ascii": False, "indent": 2}
"""The file's layout: two spaces a level; each history entry on a line of its own, as
compact JSON (a history holds many times the text of the events it records)."""


def _history_line(row: tuple) -> str:
    """One stored entry as the file's line: its changes and snapshot as the database holds
    them (JSON text, keys sorted), not decoded and encoded again."""
    entity, entity_id, action, author, at, changes, snapshot = row
    quote = json_string
    return (
        f'    {{"entity": {quote(entity)}, "entity_id": {quote(entity_id)}, '
        f'"action": {quote(action)}, "author": {quote(author)}, "at": {quote(at)}, '
        f'"changes": {changes}, "snapshot": {"null" if snapshot is None else snapshot}}}'
    )
