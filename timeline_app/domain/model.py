"""Plain values the whole app speaks in: events, categories, actors, sources, eras."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

NAMESPACE = uuid.UUID("6f1c1e0a-2b7e-4d0c-9a51-0d7c1f3e9b21")
"""Namespace of the stable ids derived from content (sources, file rows without an id)."""
_NAMESPACE_BYTES = NAMESPACE.bytes


class Certainty(StrEnum):
    """How sure the record is that the event happened as described."""

    CONFIRMED = "confirmed"
    REPORTED = "reported"
    ALLEGED = "alleged"
    DISPUTED = "disputed"


CERTAINTY_ORDER: tuple[Certainty, ...] = tuple(Certainty)
CERTAINTY_OF_VALUE: dict[str, Certainty] = {certainty.value: certainty for certainty in Certainty}
"""A dict lookup: cheaper than `Certainty(value)` for the rows of an import or an export."""
IMPORTANCE_MIN = 1
IMPORTANCE_MAX = 5


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source as cited by one event: the shared source's fields plus what belongs to this
    citation (the event's note on it, the credibility of what it says here, an excerpt).

    `url` is "" for a source without an address (a printed report, an agency's wire).
    `kind`, `language` and `reliability` (A–F) belong to the shared source; `credibility`
    (1–6) and `excerpt` to the citation (see `domain.evidence`)."""

    title: str
    url: str
    publisher: str = ""
    published: str | None = None
    note: str = ""
    id: str | None = None
    kind: str = "other"
    language: str = ""
    reliability: str = "F"
    credibility: int = 6
    excerpt: str = ""


_VARIANT_DIGIT = {digit: "89ab"[int(digit, 16) & 0x3] for digit in "0123456789abcdef"}


def stable_id(name: str) -> str:
    """uuid5(NAMESPACE, name) as text, computed on the hex digest: imports derive one per row.

    A lone surrogate in `name` is passed through, so that the rules, not the id, refuse it.
    """
    digest = hashlib.sha1(_NAMESPACE_BYTES + name.encode("utf-8", "surrogatepass")).hexdigest()
    return (
        f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-"
        f"{_VARIANT_DIGIT[digest[16]]}{digest[17:20]}-{digest[20:32]}"
    )


def derived_source_id(url: str, title: str, publisher: str = "") -> str:
    """The stable id of a source that came without one: derived from its URL and title, or,
    without a URL, from its publisher and title (two agencies' wires may share a headline)."""
    if not url:
        return stable_id(f"source without url:{publisher}\n{title}")
    return stable_id(f"source:{url}\n{title}")


def citation(ref: SourceRef, source_id: str | None = None) -> tuple[str, str, int, str]:
    """What an event's citation of a source stores: (source id, note, credibility, excerpt)."""
    return (source_id or ref.id, ref.note, ref.credibility, ref.excerpt)  # type: ignore[return-value]


def source_id_for(ref: SourceRef) -> str:
    """A source's id: its own when it has one, else derived from URL and title (publisher
    and title when it has no URL)."""
    return ref.id or derived_source_id(ref.url, ref.title, ref.publisher)


@dataclass(frozen=True, slots=True)
class EventDraft:
    """What a user or a file supplies for an event, before validation and derivation."""

    title: str
    start: str
    end: str | None = None
    category: str = ""
    importance: int = 3
    certainty: Certainty | str = Certainty.CONFIRMED
    description: str = ""
    location: str | None = None
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True, slots=True)
class EventRecord:
    """A stored event as read back: the draft's fields plus identity, bounds and version."""

    id: str
    title: str
    start: str
    end: str | None
    category: str
    importance: int
    certainty: Certainty
    description: str
    location: str | None
    actors: tuple[str, ...]
    tags: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    lower: int
    upper: int
    precision: str
    version: int
    created_at: str = ""
    updated_at: str = ""

    def to_draft(self) -> EventDraft:
        return EventDraft(
            title=self.title,
            start=self.start,
            end=self.end,
            category=self.category,
            importance=self.importance,
            certainty=self.certainty,
            description=self.description,
            location=self.location,
            actors=self.actors,
            tags=self.tags,
            sources=self.sources,
        )


@dataclass(frozen=True, slots=True)
class CategoryRecord:
    id: int
    name: str
    colour: str
    parent: str | None = None
    sort_order: int = 0
    description: str = ""
    event_count: int = 0


@dataclass(frozen=True, slots=True)
class EraRecord:
    id: str
    name: str
    start: str
    end: str | None
    colour: str
    group: str
    lower: int = 0
    upper: int = 0


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What the user narrowed the view to; empty fields do not filter."""

    text: str = ""
    categories: frozenset[str] = field(default_factory=frozenset)
    actors: frozenset[str] = field(default_factory=frozenset)
    tags: frozenset[str] = field(default_factory=frozenset)
    certainties: frozenset[Certainty] = field(default_factory=frozenset)
    min_importance: int = IMPORTANCE_MIN
    lower: int | None = None
    upper: int | None = None
    min_grade: tuple[str, int] | None = None
    """(reliability, credibility): events citing a source graded at least this well on both
    counts (reliability A..letter and credibility 1..number); None: any or no grade."""
    source_ids: frozenset[str] = field(default_factory=frozenset)
    """Events citing one of these sources ("show citing events" of the sources manager)."""

    @property
    def is_empty(self) -> bool:
        return self == EventFilter()

    @property
    def linked(self) -> EventFilter:
        """The part only the store can answer (text, actors, tags, grades, sources); the rest
        is held in the drawn columns."""
        return EventFilter(
            text=self.text,
            actors=self.actors,
            tags=self.tags,
            min_grade=self.min_grade,
            source_ids=self.source_ids,
        )
