"""Validation rules shared by the editor, the importers and the services.

Each rule raises ValidationError naming the field, so a form can mark the field and a
file import can report `FILE:ROW: field: problem`.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from timeline_app.domain.dates import DateSpan, parse_date, parse_span
from timeline_app.domain.errors import DateError, ValidationError
from timeline_app.domain.model import (
    IMPORTANCE_MAX,
    IMPORTANCE_MIN,
    Certainty,
    EventDraft,
    SourceRef,
    derived_source_id,
)
from timeline_app.domain.palette import is_colour

TITLE_MAX = 300
NAME_MAX = 120
DESCRIPTION_MAX = 20_000
URL_MAX = 2_000
_HTTP_URL = re.compile(r"(?i:https?)://[^/?#\s]+\S*\Z")
"""An http(s) URL with a host and no whitespace (a regex: imports check one per source)."""


def check_text(field: str, value: object, *, limit: int, required: bool = True) -> str:
    """A stripped string within `limit` characters; empty only when not required."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be text, not {type(value).__name__}")
    text = value.strip()
    if required and not text:
        raise ValidationError(field, "must not be empty")
    if len(text) > limit:
        raise ValidationError(field, f"is {len(text)} characters long; the limit is {limit}")
    if "\x00" in text:
        raise ValidationError(field, "contains a NUL character")
    return text


def check_url(field: str, value: object) -> str:
    """An absolute http(s) URL: the only kind the app will open in a browser."""
    url = check_text(field, value, limit=URL_MAX)
    if _HTTP_URL.match(url) is None:
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(field, f"{url!r} is not an http(s) URL")
        raise ValidationError(field, f"{url!r} has no valid host or contains a space")
    return url


def check_importance(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("importance", f"must be a whole number, not {value!r}")
    if not IMPORTANCE_MIN <= value <= IMPORTANCE_MAX:
        raise ValidationError(
            "importance", f"{value} is out of range {IMPORTANCE_MIN}–{IMPORTANCE_MAX}"
        )
    return value


def check_certainty(value: object) -> Certainty:
    try:
        return Certainty(value)
    except ValueError:
        allowed = ", ".join(c.value for c in Certainty)
        raise ValidationError("certainty", f"{value!r} is not one of {allowed}") from None


def check_colour(field: str, value: object) -> str:
    if not isinstance(value, str) or not is_colour(value):
        raise ValidationError(field, f"{value!r} is not a #RRGGBB colour")
    return value.upper()


def check_span(start: object, end: object) -> DateSpan:
    if not isinstance(start, str):
        raise ValidationError("start", f"must be a date text, not {start!r}")
    if end is not None and not isinstance(end, str):
        raise ValidationError("end", f"must be a date text, not {end!r}")
    return parse_span(start, end or None)


def check_source(field: str, source: SourceRef) -> SourceRef:
    """A cleaned source with its id; errors name `field`.title, `field`.url and so on."""
    try:
        title = check_text("title", source.title, limit=TITLE_MAX)
        url = check_url("url", source.url)
        publisher = check_text("publisher", source.publisher, limit=NAME_MAX, required=False)
        published = None
        if source.published:
            try:
                published = parse_date(source.published).text
            except DateError as error:
                raise ValidationError("published", error.message) from error
        note = check_text("note", source.note, limit=DESCRIPTION_MAX, required=False)
    except ValidationError as error:
        raise ValidationError(f"{field}.{error.field}", error.message) from error
    source_id = source.id or derived_source_id(url, title)
    return SourceRef(title, url, publisher, published, note, source_id)


_SOURCE_FIELDS = tuple(f"sources[{index}]" for index in range(32))


def _source_field(index: int) -> str:
    return _SOURCE_FIELDS[index] if index < len(_SOURCE_FIELDS) else f"sources[{index}]"


def check_names(field: str, names: object) -> tuple[str, ...]:
    if isinstance(names, str) or not isinstance(names, (list, tuple, set, frozenset)):
        raise ValidationError(field, f"must be a list of names, not {names!r}")
    cleaned: list[str] = []
    for name in names:
        text = check_text(field, name, limit=NAME_MAX)
        if text not in cleaned:
            cleaned.append(text)
    return tuple(cleaned)


def validate_event(
    draft: EventDraft, known_categories: Collection[str] | None = None
) -> tuple[EventDraft, DateSpan]:
    """Check every field of a draft; return the cleaned draft and its derived date span."""
    title = check_text("title", draft.title, limit=TITLE_MAX)
    span = check_span(draft.start, draft.end)
    category = check_text("category", draft.category, limit=NAME_MAX)
    if known_categories is not None and category not in known_categories:
        raise ValidationError("category", f"{category!r} is not a known category")
    importance = check_importance(draft.importance)
    certainty = check_certainty(draft.certainty)
    description = check_text(
        "description", draft.description, limit=DESCRIPTION_MAX, required=False
    )
    location = check_text("location", draft.location, limit=NAME_MAX, required=False) or None
    actors = check_names("actors", draft.actors)
    tags = check_names("tags", draft.tags)
    sources = tuple(
        check_source(_source_field(index), source) for index, source in enumerate(draft.sources)
    )
    cleaned = EventDraft(
        title=title,
        start=span.start.text,
        end=span.end.text if span.end is not None else None,
        category=category,
        importance=importance,
        certainty=certainty,
        description=description,
        location=location,
        actors=actors,
        tags=tags,
        sources=sources,
    )
    return cleaned, span
