"""CSV for spreadsheets: one event a row; categories named in rows are created if new.

Header: id,title,start,end,category,importance,certainty,actors,tags,sources,description.
Actors and tags are separated by "; ". Sources are separated by " | ", each written
`Publisher: Title (published) <URL>` with publisher and date optional. ROW in error
messages is the line number in the file (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import re

from timeline_app.domain.errors import ImportFileError
from timeline_app.domain.model import SourceRef, stable_id
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    CategoryItem,
    Document,
    check_event_fields,
    check_unique_ids,
)
from timeline_app.services.interchange.text_file import decode_text

HEADER = (
    "id",
    "title",
    "start",
    "end",
    "category",
    "importance",
    "certainty",
    "actors",
    "tags",
    "sources",
    "description",
)
REQUIRED = ("title", "start", "category")
LIST_SEPARATOR = "; "
SOURCE_SEPARATOR = " | "
_SOURCE = re.compile(
    r"^(?:(?P<publisher>[^:<]*?):\s+)?(?P<title>.*?)(?:\s+\((?P<published>[0-9X?~%-]+)\))?"
    r"\s*<(?P<url>[^<>\s]+)>$"
)
csv.field_size_limit(1 << 24)


def _split(value: str) -> tuple[str, ...]:
    return tuple(filter(None, map(str.strip, value.split(";"))))


def _sources(path: str, row: int, value: str) -> tuple[SourceRef, ...]:
    refs = []
    for index, part in enumerate(value.split("|") if "|" in value else (value,)):
        text = part.strip()
        if not text:
            continue
        match = _SOURCE.match(text)
        if match is None:
            raise ImportFileError(
                path,
                row,
                f"sources[{index}]",
                f"{text[:60]!r} is not 'Publisher: Title (date) <URL>'",
            )
        publisher, title, published, url = match.group("publisher", "title", "published", "url")
        refs.append(SourceRef(title.strip() or url, url, (publisher or "").strip(), published))
    return tuple(refs)


def read_csv(path: str, raw: bytes) -> Document:
    """Parse and validate a whole CSV file; raise ImportFileError at the first problem."""
    text = decode_text(path, raw)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportFileError(path, 1, "header", "is missing") from None
    except csv.Error as error:
        raise ImportFileError(path, 1, "header", str(error)) from error
    unknown = [name for name in header if name not in HEADER]
    if unknown:
        raise ImportFileError(
            path, 1, unknown[0], f"is not a column of this format ({', '.join(HEADER)})"
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(path, 1, missing[0], "column is missing")
    if len(set(header)) != len(header):
        raise ImportFileError(path, 1, "header", "names a column twice")
    document = Document(path=path)
    categories: dict[str, None] = {}
    width = len(header)
    position = {name: header.index(name) if name in header else width for name in HEADER}
    # Columns the file lacks read as "" from the padding cell after the row's own cells.
    (
        id_at,
        title_at,
        start_at,
        end_at,
        category_at,
        importance_at,
        certainty_at,
        actors_at,
        tags_at,
        sources_at,
        description_at,
    ) = (position[name] for name in HEADER)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(path, reader.line_num, "row", str(error)) from error
        row = reader.line_num
        if len(values) != width or not values[title_at].strip():  # checked further only then
            if not any(value.strip() for value in values):
                continue  # a blank line
            if len(values) != width:
                raise ImportFileError(
                    path, row, "row", f"has {len(values)} fields; the header has {width}"
                )
        values.append("")
        importance_text = values[importance_at].strip() or "3"
        try:
            importance: int | str = int(importance_text)
        except ValueError:
            raise ImportFileError(
                path, row, "importance", f"{importance_text!r} is not a whole number"
            ) from None
        event_id = values[id_at].strip() or stable_id(
            f"event:{values[title_at].strip()}\n{values[start_at].strip()}"
        )
        if len(event_id) > 36:
            raise ImportFileError(path, row, "id", "is longer than 36 characters")
        actors = values[actors_at]
        tags = values[tags_at]
        sources = values[sources_at]
        item = check_event_fields(
            path,
            row,
            event_id,
            values[title_at],
            values[start_at],
            values[end_at].strip() or None,
            values[category_at],
            importance,
            values[certainty_at].strip() or "confirmed",
            values[description_at],
            None,
            _split(actors) if actors else (),
            _split(tags) if tags else (),
            _sources(path, row, sources) if sources else (),
        )
        document.events.append(item)
        categories[item.draft.category] = None
    check_unique_ids(document)
    document.categories = [CategoryItem(name) for name in categories]
    return document


def _source_text(ref: SourceRef) -> str:
    text = f"{ref.publisher}: {ref.title}" if ref.publisher else ref.title
    if ref.published:
        text += f" ({ref.published})"
    return f"{text} <{ref.url}>"


def dump_csv(catalog: Catalog) -> str:
    """Every event as CSV rows, ordered by start."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for record in catalog.events():
        writer.writerow(
            [
                record.id,
                record.title,
                record.start,
                record.end or "",
                record.category,
                record.importance,
                str(record.certainty),
                LIST_SEPARATOR.join(record.actors),
                LIST_SEPARATOR.join(record.tags),
                SOURCE_SEPARATOR.join(_source_text(ref) for ref in record.sources),
                record.description,
            ]
        )
    return out.getvalue()
