"""The app's own JSON format: versioned and lossless (export → import → export is identical).

ROW in error messages is the 1-based position of the event (or era, source…) in its list.
An event object changes only the fields it has keys for: a missing key leaves a stored
event's field as it is (a new event gets the default), `null` or an empty text clears it.
The file's categories, actors, tags, sources and eras are held to the editor's rules before
anything is written, so both database backends take exactly what the reader accepts.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from timeline_app.domain.dates import file_date_cells
from timeline_app.domain.errors import ImportFileError, ValidationError, quoted
from timeline_app.domain.model import EventDraft, EventRecord, SourceRef, stable_id
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import (
    DESCRIPTION_MAX,
    NAME_MAX,
    character_problem,
    check_colour,
    check_source,
    check_span,
    check_text,
)
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    DRAFT_FIELDS,
    FORMAT_NAME,
    FORMAT_VERSION,
    CategoryItem,
    Document,
    EraItem,
    EventItem,
    check_event,
    check_id,
    check_unique_ids,
    field_label,
)
from timeline_app.services.interchange.text_file import decode_text

EVENT_KEYS = {"id", *DRAFT_FIELDS}
REQUIRED_EVENT_KEYS = ("title", "start", "category")
SOURCE_KEYS = {"id", "title", "publisher", "url", "published", "note"}
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
    def __init__(self, path: str) -> None:
        self.path = path

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
        self.keys(data, SOURCE_KEYS, row, f"{field}.")
        published = self.date_text(data.get("published"), row, f"{field}.published", optional=True)
        if published is not None and len(published.strip()) > PUBLISHED_MAX:
            raise self.fail(row, f"{field}.published", f"is longer than {PUBLISHED_MAX} characters")
        return SourceRef(
            title=self.string(data.get("title"), row, f"{field}.title"),
            url=self.string(data.get("url"), row, f"{field}.url", optional=True),
            publisher=self.string(data.get("publisher"), row, f"{field}.publisher", optional=True),
            published=published or None,
            note=self.string(data.get("note"), row, f"{field}.note", optional=True),
            id=self.identifier(data.get("id"), row, f"{field}.id"),
        )


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
    reader = _Reader(path)
    if progress is not None:
        progress(0, 0)
    top = reader.object(_parse(path, decode_text(path, raw)), None, "file")
    if top.get("format") != FORMAT_NAME:
        raise reader.fail(
            None, "format", f"must be {FORMAT_NAME!r}, not {quoted(top.get('format'))}"
        )
    if top.get("version") != FORMAT_VERSION:
        raise reader.fail(
            None, "version", f"{quoted(top.get('version'))} is not supported (this app reads 1)"
        )
    reader.keys(top, TOP_KEYS, None, "")
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
        document.events.append(_read_event(reader, row, value))
        tick(row)
    check_unique_ids(document)
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
            reader.keys(item, {"name", "kind"}, row, "actors.")
            name = reader.text(item.get("name"), row, "actors.name", limit=NAME_MAX)
            kind = reader.text(item.get("kind"), row, "actors.kind", limit=KIND_MAX, required=False)
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
    reader.keys(item, EVENT_KEYS, row, "")
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
    carried = frozenset(key for key in item if key != "id")
    present = None if len(carried) == len(DRAFT_FIELDS) else carried
    return check_event(reader.path, row, event_id, draft, present)


def _source_fields(ref: SourceRef) -> dict:
    return {
        "id": ref.id,
        "title": ref.title,
        "publisher": ref.publisher,
        "url": ref.url,
        "published": ref.published,
    }


def export_json(catalog: Catalog, *, progress: Progress | None = None) -> dict:
    """Everything in the database as one JSON-ready dict, in a deterministic order;
    `progress` hears (events, total) as the events are laid out."""
    records = catalog.events()
    tick = report_every(progress, len(records))
    tick(0)
    actor_kinds = catalog.actor_kinds()
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        **({"title": title} if (title := catalog.title()) else {}),
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
        "actors": [{"name": name, "kind": kind} for name, kind in actor_kinds.items()],
        "tags": catalog.tag_names(),
        "sources": [
            _source_fields(ref)
            for ref in sorted(catalog.sources(), key=lambda ref: (ref.title, ref.id or ""))
        ],
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
        "events": [_event_fields(record, done, tick) for done, record in enumerate(records, 1)],
    }


def _event_fields(record: EventRecord, done: int, tick: Callable[[int], None]) -> dict:
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
        "sources": [{**_source_fields(ref), "note": ref.note} for ref in record.sources],
    }
    tick(done)
    return fields


def dump_json(catalog: Catalog, *, progress: Progress | None = None) -> str:
    return json.dumps(export_json(catalog, progress=progress), ensure_ascii=False, indent=2) + "\n"
