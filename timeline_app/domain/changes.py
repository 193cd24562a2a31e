"""What an operation changed, so each view refreshes only what it shows of it.

An edit, an import or an undo returns a `Changes`; the window hands it to every view. A
view that shows none of it does nothing; one that shows a few changed events patches them;
`everything` asks for a full reload (another database was opened, or too much changed to
patch).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Changes:
    """Which kinds of record an operation touched; `events` are the ids of changed,
    added or deleted events."""

    events: frozenset[str] = frozenset()
    categories: bool = False
    names: bool = False
    """Actors or tags were added or renamed (the pick lists change)."""
    eras: bool = False
    links: bool = False
    """Links between events were added, changed or removed (the arrows are redrawn)."""
    sources: bool = False
    """Shared source records changed (a source's grade or title shows on several events)."""
    everything: bool = False

    @classmethod
    def of_events(cls, ids: Iterable[str], *, categories: bool = False) -> Changes:
        return cls(events=frozenset(ids), categories=categories, names=True)

    @classmethod
    def all(cls) -> Changes:
        return cls(
            categories=True, names=True, eras=True, links=True, sources=True, everything=True
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.events
            or self.categories
            or self.names
            or self.eras
            or self.links
            or self.sources
            or self.everything
        )

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            events=self.events | other.events,
            categories=self.categories or other.categories,
            names=self.names or other.names,
            eras=self.eras or other.eras,
            links=self.links or other.links,
            sources=self.sources or other.sources,
            everything=self.everything or other.everything,
        )
