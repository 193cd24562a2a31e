"""Typed links between events ("the 2007 S-300 contract led to the 2010 suspension").

Each writing function is one transaction that validates, writes, and records the change in
the history as the catalog's author. A link reads differently from each of its ends
(`LINK_WORDS`): `links_of_event` gives them as the inspector lists them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from timeline_app.domain.errors import NotFoundError, ValidationError
from timeline_app.domain.evidence import LINK_WORDS, EventLink, HistoryEntity, LinkKind
from timeline_app.domain.rules import check_text
from timeline_app.services.history_log import record_changes
from timeline_app.store import evidence_queries
from timeline_app.store.database import conflicts_reported
from timeline_app.store.queries import Connection, now_text

if TYPE_CHECKING:
    from timeline_app.services.catalog import Catalog

NOTE_MAX = 2000
"""Characters of a link's note: a sentence or two on why one event bears on the other."""
FOUND_AT_MOST = 50
"""Events a search for a link's other end offers at once."""


@dataclass(frozen=True, slots=True)
class LinkEnd:
    """A link as one of its events sees it: which way it points and who is at the other end."""

    link: EventLink
    outgoing: bool
    """The event looked at is the link's first one ("led to"), not its second ("followed from")."""
    other_id: str
    other_title: str
    other_start: str

    @property
    def words(self) -> str:
        """How the link reads from this end: "led to", "followed from"."""
        forward, backward = LINK_WORDS[self.link.kind]
        return forward if self.outgoing else backward

    @property
    def arrow(self) -> str:
        return "→" if self.outgoing else "←"


def kind_of(value: object) -> LinkKind:
    """The LinkKind named by `value` (its code, or its forward words); ValidationError else."""
    if isinstance(value, LinkKind):
        return value
    text = str(value).strip()
    for kind in LinkKind:
        if text in (kind.value, LINK_WORDS[kind][0]):
            return kind
    choices = ", ".join(LINK_WORDS[kind][0] for kind in LinkKind)
    raise ValidationError("kind", f"{value!r} is not a kind of link; choose one of {choices}")


def link_fields(link: EventLink) -> dict[str, object]:
    """The fields history compares and keeps of a link."""
    return {"from_id": link.from_id, "to_id": link.to_id, "kind": str(link.kind), "note": link.note}


def _check_note(note: str) -> str:
    return check_text("note", note, limit=NOTE_MAX, required=False)


def _titles(connection: Connection, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    return evidence_queries.link_ends(connection, ids)


def _check_ends(connection: Connection, from_id: str, to_id: str) -> dict[str, tuple[str, str]]:
    if from_id == to_id:
        raise ValidationError("to", "an event cannot be linked to itself; pick another event")
    found = _titles(connection, [from_id, to_id])
    for field, event_id in (("from", from_id), ("to", to_id)):
        if event_id not in found:
            raise NotFoundError(f"{field}: event {event_id} does not exist (deleted meanwhile?)")
    return found


def _check_unique(
    connection: Connection,
    link: EventLink,
    ends: dict[str, tuple[str, str]],
) -> None:
    existing = evidence_queries.link_with_ends(connection, link.from_id, link.to_id, link.kind)
    if existing is not None and existing.id != link.id:
        first, second = ends[link.from_id][0], ends[link.to_id][0]
        raise ValidationError(
            "kind", f"“{first}” already {LINK_WORDS[link.kind][0]} “{second}”: that link exists"
        )


def add_link(
    catalog: Catalog,
    from_id: str,
    to_id: str,
    kind: LinkKind | str,
    note: str = "",
    *,
    link_id: str | None = None,
) -> EventLink:
    """Link two existing, different events ("FROM <kind> TO"); refused when the same link
    (same ends, same kind) exists. A given id is kept (redo puts back the same link)."""
    link = EventLink(
        link_id or str(uuid.uuid4()), from_id, to_id, kind_of(kind), _check_note(note), now_text()
    )
    with conflicts_reported("the links"), catalog.engine.begin() as connection:
        ends = _check_ends(connection, from_id, to_id)
        _check_unique(connection, link, ends)
        evidence_queries.insert_links(connection, [link])
        record_changes(
            connection, HistoryEntity.LINK, {link.id: (None, link_fields(link))}, catalog.author
        )
    return link


def edit_link(
    catalog: Catalog,
    link_id: str,
    *,
    kind: LinkKind | str | None = None,
    note: str | None = None,
) -> tuple[EventLink, EventLink]:
    """Change a link's kind or note; returns it (before, after) so undo can put it back."""
    with conflicts_reported("the links"), catalog.engine.begin() as connection:
        before = evidence_queries.link(connection, link_id)
        if before is None:
            raise NotFoundError(f"link {link_id} does not exist (deleted meanwhile?)")
        after = EventLink(
            before.id,
            before.from_id,
            before.to_id,
            before.kind if kind is None else kind_of(kind),
            before.note if note is None else _check_note(note),
            before.created_at,
        )
        if after == before:
            return before, after
        if after.kind != before.kind:
            _check_unique(connection, after, _titles(connection, [after.from_id, after.to_id]))
        evidence_queries.update_link(connection, link_id, kind=after.kind, note=after.note)
        record_changes(
            connection,
            HistoryEntity.LINK,
            {link_id: (link_fields(before), link_fields(after))},
            catalog.author,
        )
    return before, after


def delete_links(catalog: Catalog, link_ids: Iterable[str]) -> list[EventLink]:
    """Remove links; returns them as they were (undo restores them with `restore_links`).
    Ids that no longer exist are passed over."""
    with conflicts_reported("the links"), catalog.engine.begin() as connection:
        return _delete(connection, list(dict.fromkeys(link_ids)), catalog.author)


def _delete(connection: Connection, link_ids: list[str], author: str) -> list[EventLink]:
    gone = [found for link_id in link_ids if (found := evidence_queries.link(connection, link_id))]
    evidence_queries.delete_links_by_id(connection, [link.id for link in gone])
    record_changes(
        connection,
        HistoryEntity.LINK,
        {link.id: (link_fields(link), None) for link in gone},
        author,
    )
    return gone


def delete_links_of_events(catalog: Catalog, event_ids: Sequence[str]) -> list[EventLink]:
    """Remove every link with an end among these events (before the events are deleted, so
    the history records each link's deletion); returns them for `restore_links`."""
    with conflicts_reported("the links"), catalog.engine.begin() as connection:
        found = evidence_queries.links_of(connection, event_ids)
        return _delete(connection, [link.id for link in found], catalog.author)


def restore_links(catalog: Catalog, links: Sequence[EventLink]) -> None:
    """Put links back as they were (ids, kinds, notes, creation times): undo of a deletion.
    NotFoundError when an end no longer exists; nothing is written then."""
    if not links:
        return
    with conflicts_reported("the links"), catalog.engine.begin() as connection:
        ends = _titles(
            connection, sorted({e for link in links for e in (link.from_id, link.to_id)})
        )
        for link in links:
            for event_id in (link.from_id, link.to_id):
                if event_id not in ends:
                    raise NotFoundError(f"event {event_id} of a link no longer exists")
            _check_unique(connection, link, ends)
        evidence_queries.insert_links(connection, links)
        record_changes(
            connection,
            HistoryEntity.LINK,
            {link.id: (None, link_fields(link)) for link in links},
            catalog.author,
        )


def put_link(catalog: Catalog, link: EventLink) -> None:
    """Overwrite a link's kind and note with `link`'s (undo and redo of an edit)."""
    edit_link(catalog, link.id, kind=link.kind, note=link.note)


# ---- reading -------------------------------------------------------------------------------


def all_links(catalog: Catalog) -> list[EventLink]:
    with catalog.engine.connect() as connection:
        return evidence_queries.all_links(connection)


def arrow_ends(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(from id, to id, kind) of every link: what the timeline and image exports draw."""
    return [(item.from_id, item.to_id, item.kind.value) for item in all_links(catalog)]


def link(catalog: Catalog, link_id: str) -> EventLink:
    with catalog.engine.connect() as connection:
        found = evidence_queries.link(connection, link_id)
    if found is None:
        raise NotFoundError(f"link {link_id} does not exist")
    return found


def titles_of(catalog: Catalog, event_ids: Sequence[str]) -> dict[str, str]:
    """The titles of these events that exist, by id (how a command names a link)."""
    with catalog.engine.connect() as connection:
        return {event_id: ends[0] for event_id, ends in _titles(connection, event_ids).items()}


def links_of_event(catalog: Catalog, event_id: str) -> list[LinkEnd]:
    """The event's links both ways, as it reads them, in the order of the other events'
    dates (ties by title)."""
    with catalog.engine.connect() as connection:
        found = evidence_queries.links_of(connection, [event_id])
        others = [link.to_id if link.from_id == event_id else link.from_id for link in found]
        titles = _titles(connection, others)
    ends = []
    for item, other in zip(found, others, strict=True):
        title, start = titles.get(other, ("(deleted event)", ""))
        ends.append(LinkEnd(item, item.from_id == event_id, other, title, start))
    ends.sort(key=lambda end: (end.other_start, end.other_title, end.link.kind))
    return ends


def find_events(
    catalog: Catalog, text: str, *, exclude: str | None = None, limit: int = FOUND_AT_MOST
) -> list[tuple[str, str, str]]:
    """(id, title, start) of events whose title contains `text`, earliest first; `exclude`
    (the event being linked from) is left out."""
    with catalog.engine.connect() as connection:
        return evidence_queries.events_titled(connection, text.strip(), limit, exclude)
