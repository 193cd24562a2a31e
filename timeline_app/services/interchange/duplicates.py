"""Likely duplicates: events of a file that are probably stored already under another id.

A file without ids (a spreadsheet, a calendar, an export of another tool) gets ids derived
from its rows, so a second file telling the same event would add it twice. Before an import
writes, each event the file would add is compared with the stored events whose start falls
on the same dates: a similar title (fuzzy, word order ignored) makes it a likely duplicate.
The user then chooses, for each one, to skip it, merge it into the stored event, or keep it
as a new event; nothing is dropped or merged without that choice.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from rapidfuzz import fuzz, utils

from timeline_app.domain.columns import EventColumns
from timeline_app.domain.dates import DAY_SECONDS
from timeline_app.domain.model import EventDraft, EventRecord, SourceRef
from timeline_app.domain.progress import Progress, report_every
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    Document,
    EventItem,
    check_event,
    with_events,
)

SIMILAR_AT_LEAST = 85.0
"""The title similarity (0–100, rapidfuzz's token sort ratio) from which two events on the
same dates are shown as likely duplicates."""
_NUMBERS = re.compile(r"[0-9]+")
"""Numbers in titles tell events apart ("Resolution 1737" is not "Resolution 1747"): titles
whose numbers differ are never duplicates, however alike their words."""
PROGRESS_STEP = 2_000


class Resolution(StrEnum):
    """What to do with a file's event that looks like a stored one."""

    SKIP = "skip"
    """Leave the stored event alone and do not add the file's one."""
    MERGE = "merge"
    """Add to the stored event what the file's one has and it lacks (sources, actors, tags,
    a description or location it has none of); add no new event."""
    KEEP = "keep"
    """Add the file's event as a new event beside the stored one."""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A file's event (by id and row) and the stored event it most looks like."""

    item_id: str
    row: int
    title: str
    stored_id: str
    stored_title: str
    similarity: float


def find_duplicates(
    catalog: Catalog,
    document: Document,
    *,
    stored: EventColumns | None = None,
    progress: Progress | None = None,
) -> list[Duplicate]:
    """The file's new events (ids not stored) that look like stored events, in file order.

    Only stored events whose start overlaps the file event's start dates are compared, found
    by bisecting the stored starts, so a file of 100,000 rows against a large database costs
    a comparison of a few titles per row. `stored`: the columns of every stored event when
    the caller holds them already (the window draws them), instead of reading them again.
    """
    if not document.events:
        return []
    columns = stored if stored is not None else catalog.event_columns(with_actors=False)
    if len(columns) == 0:
        return []
    stored_ids = set(columns.ids.tolist())
    starts = columns.start
    # how far a stored start's own dates reach: a point's bounds, a span's first day
    reach = np.where(columns.is_span, starts + DAY_SECONDS, columns.end)
    longest = float((reach - starts).max()) if len(starts) else 0.0
    titles = columns.titles
    found: list[Duplicate] = []
    tick = report_every(progress, len(document.events), PROGRESS_STEP)
    tick(0)
    for done, item in enumerate(document.events, 1):
        if item.id not in stored_ids:
            match = _best_match(item, starts, reach, longest, titles)
            if match is not None:
                position, score = match
                found.append(
                    Duplicate(
                        item.id,
                        item.row,
                        item.draft.title,
                        str(columns.ids[position]),
                        str(titles[position]),
                        score,
                    )
                )
        tick(done)
    return found


def _best_match(
    item: EventItem,
    starts: np.ndarray,
    reach: np.ndarray,
    longest: float,
    titles: np.ndarray,
) -> tuple[int, float] | None:
    low, high = item.span.start.lower, item.span.start.upper
    first = int(np.searchsorted(starts, low - longest, side="left"))
    last = int(np.searchsorted(starts, high, side="left"))
    if first >= last:
        return None
    window = np.arange(first, last)
    overlapping = window[reach[first:last] > low]
    if overlapping.size == 0:
        return None
    wanted = utils.default_process(item.draft.title)
    numbers = sorted(_NUMBERS.findall(item.draft.title))
    best: tuple[int, float] | None = None
    for position in overlapping.tolist():
        title = str(titles[position])
        score = fuzz.token_sort_ratio(wanted, title, processor=utils.default_process)
        if (
            score >= SIMILAR_AT_LEAST
            and (best is None or score > best[1])
            and sorted(_NUMBERS.findall(title)) == numbers
        ):
            best = (position, score)
    return best


def resolve_duplicates(
    catalog: Catalog,
    document: Document,
    duplicates: list[Duplicate],
    choices: Mapping[str, Resolution],
    default: Resolution,
) -> Document:
    """The document to import once each likely duplicate is skipped, merged or kept.

    `choices` maps a file event's id to its resolution; the others take `default`. A merged
    event becomes a change of the stored event (its id, its version checked at write time),
    so the import's undo restores the stored event as it was.
    """
    resolution = {dup.item_id: choices.get(dup.item_id, default) for dup in duplicates}
    merge_into = {
        dup.item_id: dup.stored_id
        for dup in duplicates
        if resolution[dup.item_id] is Resolution.MERGE
    }
    stored = {record.id: record for record in catalog.events(sorted(set(merge_into.values())))}
    merged_targets: set[str] = set()
    events: list[EventItem] = []
    for item in document.events:
        chosen = resolution.get(item.id, Resolution.KEEP)
        if chosen is Resolution.SKIP:
            continue
        if chosen is Resolution.MERGE:
            target = merge_into[item.id]
            if target in merged_targets or target not in stored:
                continue  # a second file row for the same stored event: the first one merged
            merged_targets.add(target)
            record = stored[target]
            events.append(
                check_event(document.path, item.row, target, merged_draft(record, item.draft))
            )
            continue
        events.append(item)
    return with_events(document, events, merge_into)


def _same_source(ref: SourceRef) -> tuple[str, str, str]:
    """What makes two citations one source: URL and title, or, without a URL, publisher and
    title (two agencies' wires may share a headline)."""
    return (ref.url, ref.title, "" if ref.url else ref.publisher)


def merged_draft(record: EventRecord, incoming: EventDraft) -> EventDraft:
    """The stored event with what the file adds: its sources, actors and tags not yet cited,
    and a description or location where the stored event has none. Dates, title, category,
    importance and certainty stay as stored: the stored event is the curated one."""
    sources = record.sources + tuple(
        ref
        for ref in incoming.sources
        if all(_same_source(ref) != _same_source(have) for have in record.sources)
    )
    return replace(
        record.to_draft(),
        description=record.description or incoming.description,
        location=record.location or incoming.location,
        actors=record.actors + tuple(a for a in incoming.actors if a not in record.actors),
        tags=record.tags + tuple(t for t in incoming.tags if t not in record.tags),
        sources=sources,
    )
