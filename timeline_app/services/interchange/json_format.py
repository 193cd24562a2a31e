"""The app's own JSON format: versioned and lossless (export → import → export is identical).

ROW in error messages is the 1-based position of the event (or era, source…) in its list.
"""

from __future__ import annotations

import json
from typing import Any

from timeline_app.domain.errors import ImportFileError, ValidationError
from timeline_app.domain.model import EventDraft, SourceRef, stable_id
from timeline_app.domain.rules import check_colour, check_source, check_span
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    FORMAT_NAME,
    FORMAT_VERSION,
    CategoryItem,
    Document,
    EraItem,
    check_event,
    check_unique_ids,
)
from timeline_app.services.interchange.text_file import decode_text

EVENT_KEYS = {
    "id",
    "title",
    "start",
    "end",
    "category",
    "importance",
    "certainty",
    "description",
    "location",
    "tags",
    "actors",
    "sources",
}
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

    def keys(self, value: dict, allowed: set[str], row: int | None, field: str) -> None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(row, f"{field}{unknown[0]}", "is not a field of this format")

    def source(self, value: Any, row: int, field: str) -> SourceRef:
        data = self.object(value, row, field)
        self.keys(data, SOURCE_KEYS, row, f"{field}.")
        published = data.get("published")
        if published is not None and not isinstance(published, str):
            raise self.fail(row, f"{field}.published", "must be a date text")
        return SourceRef(
            title=self.string(data.get("title"), row, f"{field}.title"),
            url=self.string(data.get("url"), row, f"{field}.url"),
            publisher=self.string(data.get("publisher"), row, f"{field}.publisher", optional=True),
            published=published or None,
            note=self.string(data.get("note"), row, f"{field}.note", optional=True),
            id=self.string(data.get("id"), row, f"{field}.id", optional=True) or None,
        )


def read_json(path: str, raw: bytes) -> Document:
    """Parse and validate a whole JSON file; raise ImportFileError at the first problem."""
    reader = _Reader(path)
    text = decode_text(path, raw)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(path, error.lineno, "json", error.msg) from error
    except RecursionError as error:
        raise ImportFileError(path, None, "json", "is nested too deeply") from error
    top = reader.object(data, None, "file")
    if top.get("format") != FORMAT_NAME:
        raise reader.fail(None, "format", f"must be {FORMAT_NAME!r}, not {top.get('format')!r}")
    if top.get("version") != FORMAT_VERSION:
        raise reader.fail(
            None, "version", f"{top.get('version')!r} is not supported (this app reads 1)"
        )
    reader.keys(top, TOP_KEYS, None, "")
    document = Document(
        path=path, title=reader.string(top.get("title"), None, "title", optional=True)
    )

    for row, value in enumerate(reader.array(top.get("categories"), None, "categories"), 1):
        item = reader.object(value, row, "categories")
        name = reader.string(item.get("name"), row, "categories.name").strip()
        if not name:
            raise reader.fail(row, "categories.name", "must not be empty")
        colour = item.get("colour")
        if colour is not None:
            try:
                colour = check_colour("categories.colour", colour)
            except ValidationError as error:
                raise reader.fail(row, error.field, error.message) from error
        order = item.get("sort_order")
        if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
            raise reader.fail(row, "categories.sort_order", "must be a whole number")
        parent = item.get("parent")
        document.categories.append(
            CategoryItem(
                name=name,
                colour=colour,
                parent=reader.string(parent, row, "categories.parent", optional=True) or None,
                sort_order=order,
                description=reader.string(
                    item.get("description"), row, "categories.description", optional=True
                ),
            )
        )
    for row, value in enumerate(reader.array(top.get("actors"), None, "actors"), 1):
        if isinstance(value, str):
            document.actors[value.strip()] = ""
            continue
        item = reader.object(value, row, "actors")
        name = reader.string(item.get("name"), row, "actors.name").strip()
        if not name:
            raise reader.fail(row, "actors.name", "must not be empty")
        document.actors[name] = reader.string(item.get("kind"), row, "actors.kind", optional=True)
    for row, value in enumerate(reader.array(top.get("tags"), None, "tags"), 1):
        name = reader.string(value, row, "tags").strip()
        if name:
            document.tags.append(name)
    for row, value in enumerate(reader.array(top.get("sources"), None, "sources"), 1):
        ref = reader.source(value, row, "sources")
        try:
            checked = check_source("sources", ref)
        except ValidationError as error:
            raise reader.fail(row, error.field, error.message) from error
        document.sources.append(checked)  # check_source has given it its id
    for row, value in enumerate(reader.array(top.get("eras"), None, "eras"), 1):
        item = reader.object(value, row, "eras")
        name = reader.string(item.get("name"), row, "eras.name").strip()
        try:
            span = check_span(item.get("start"), item.get("end"))
            colour = check_colour("eras.colour", item.get("colour") or "#999999")
        except ValidationError as error:
            raise reader.fail(
                row, f"eras.{error.field.removeprefix('eras.')}", error.message
            ) from error
        era_id = reader.string(item.get("id"), row, "eras.id", optional=True) or stable_id(
            f"era:{name}"
        )
        document.eras.append(
            EraItem(
                era_id,
                name,
                span.start.text,
                span.end.text if span.end else None,
                colour,
                reader.string(item.get("group"), row, "eras.group", optional=True),
            )
        )
    for row, value in enumerate(reader.array(top.get("events"), None, "events"), 1):
        item = reader.object(value, row, "events")
        reader.keys(item, EVENT_KEYS, row, "")
        event_id = reader.string(item.get("id"), row, "id", optional=True).strip()
        title = item.get("title")
        if not event_id:
            event_id = stable_id(f"event:{title}\n{item.get('start')}")
        elif len(event_id) > 36:
            raise reader.fail(row, "id", "is longer than 36 characters")
        sources = tuple(
            reader.source(source, row, f"sources[{index}]")
            for index, source in enumerate(reader.array(item.get("sources"), row, "sources"))
        )
        end = item.get("end")
        draft = EventDraft(
            title=title,  # type: ignore[arg-type]
            start=item.get("start"),  # type: ignore[arg-type]
            end=end,
            category=item.get("category"),  # type: ignore[arg-type]
            importance=item.get("importance", 3),
            certainty=item.get("certainty", "confirmed"),
            description=item.get("description") or "",
            location=item.get("location"),
            actors=tuple(reader.array(item.get("actors"), row, "actors")),
            tags=tuple(reader.array(item.get("tags"), row, "tags")),
            sources=sources,
        )
        document.events.append(check_event(path, row, event_id, draft))
    check_unique_ids(document)
    for item in document.events:
        for name in item.draft.actors:
            document.actors.setdefault(name, "")
        for name in item.draft.tags:
            if name not in document.tags:
                document.tags.append(name)
    return document


def _source_fields(ref: SourceRef) -> dict:
    return {
        "id": ref.id,
        "title": ref.title,
        "publisher": ref.publisher,
        "url": ref.url,
        "published": ref.published,
    }


def export_json(catalog: Catalog) -> dict:
    """Everything in the database as one JSON-ready dict, in a deterministic order."""
    records = catalog.events()
    actor_kinds = catalog.actor_kinds()
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
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
        "events": [
            {
                "id": record.id,
                "title": record.title,
                "start": record.start,
                "end": record.end,
                "category": record.category,
                "importance": record.importance,
                "certainty": str(record.certainty),
                "description": record.description,
                "location": record.location,
                "tags": list(record.tags),
                "actors": list(record.actors),
                "sources": [{**_source_fields(ref), "note": ref.note} for ref in record.sources],
            }
            for record in records
        ],
    }


def dump_json(catalog: Catalog) -> str:
    return json.dumps(export_json(catalog), ensure_ascii=False, indent=2) + "\n"
