"""How we know and what led to what: source grades, links between events, notes, history.

Grades follow the Admiralty (NATO) scale. A source's reliability (A–F) belongs to the
source; the credibility of what it says (1–6) belongs to one citation, since one outlet can
be right on one claim and wrong on another.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from timeline_app.domain.model import Certainty, SourceRef


class SourceKind(StrEnum):
    """What sort of publication a source is."""

    OFFICIAL = "official"
    WIRE = "wire"
    NEWSPAPER = "newspaper"
    BROADCASTER = "broadcaster"
    THINK_TANK = "think_tank"
    ENCYCLOPEDIA = "encyclopedia"
    SOCIAL_MEDIA = "social_media"
    OTHER = "other"


SOURCE_KIND_LABELS: dict[str, str] = {
    SourceKind.OFFICIAL: "Official document",
    SourceKind.WIRE: "Wire / agency",
    SourceKind.NEWSPAPER: "Newspaper",
    SourceKind.BROADCASTER: "Broadcaster",
    SourceKind.THINK_TANK: "Think tank / CRS",
    SourceKind.ENCYCLOPEDIA: "Encyclopedia",
    SourceKind.SOCIAL_MEDIA: "Social media",
    SourceKind.OTHER: "Other",
}

RELIABILITY_WORDS: dict[str, str] = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
"""Source reliability on the Admiralty scale; F, not E, is the default of an ungraded source."""

CREDIBILITY_WORDS: dict[int, str] = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}
"""Information credibility on the Admiralty scale; 6 is the default of an ungraded citation."""

UNGRADED_RELIABILITY = "F"
UNGRADED_CREDIBILITY = 6


def grade_text(reliability: str, credibility: int) -> str:
    """The grade as analysts write it: "B2"."""
    return f"{reliability}{credibility}"


def grade_words(reliability: str, credibility: int) -> str:
    """The grade in words, for tooltips: "B2 — usually reliable source, probably true"."""
    return (
        f"{grade_text(reliability, credibility)} — "
        f"{RELIABILITY_WORDS[reliability].lower()} source, "
        f"{CREDIBILITY_WORDS[credibility].lower()}"
    )


def supported_certainty(reliability: str, credibility: int) -> Certainty | None:
    """What one citation, graded so, can vouch for on its own (None: it says nothing).

    Confirmed information (1) from a source at least fairly reliable (A–C) confirms; probably
    true (2) from such a source, or confirmed information from a source that is not usually
    reliable or cannot be judged (D, F), is reported; anything possible or doubtful (3, 4),
    or from an unreliable source (E), is alleged; improbable (5) is disputed. Truth that
    cannot be judged (6) supports nothing.
    """
    if credibility == 6:
        return None
    if credibility == 5:
        return Certainty.DISPUTED
    if reliability == "E" or credibility >= 3:
        return Certainty.ALLEGED
    if reliability in "ABC":
        return Certainty.CONFIRMED if credibility == 1 else Certainty.REPORTED
    return Certainty.REPORTED if credibility == 1 else Certainty.ALLEGED


_SUPPORT_ORDER = {
    Certainty.CONFIRMED: 0,
    Certainty.REPORTED: 1,
    Certainty.ALLEGED: 2,
    Certainty.DISPUTED: 3,
    None: 4,
}


def grade_rank(reliability: str, credibility: int) -> tuple[int, int, int]:
    """Sort key of a grade, best first: what the citation can vouch for decides (so B2
    outranks F1), then the source's reliability, then the claim's credibility."""
    return (
        _SUPPORT_ORDER[supported_certainty(reliability, credibility)],
        "ABCDEF".index(reliability),
        credibility,
    )


def best_grade(grades: Iterable[tuple[str, int]]) -> tuple[str, int] | None:
    """The best of an event's (reliability, credibility) grades, None when it has none."""
    return min(grades, key=lambda grade: grade_rank(*grade), default=None)


def is_graded(grade: tuple[str, int]) -> bool:
    """Whether a (reliability, credibility) grade says anything: F6 is "not graded"."""
    return grade != (UNGRADED_RELIABILITY, UNGRADED_CREDIBILITY)


def best_citation_grade(refs: Iterable[SourceRef]) -> tuple[str, int] | None:
    """The best (reliability, credibility) of an event's citations; None when none is
    graded (an ungraded F6 citation says nothing about how well the event is sourced)."""
    return best_grade(
        grade for ref in refs if is_graded(grade := (ref.reliability, ref.credibility))
    )


def suggested_certainty(grades: Iterable[tuple[str, int]]) -> Certainty | None:
    """The certainty an event's graded sources support: the most any one citation vouches
    for (`supported_certainty`); None when no citation is graded.

    Only a suggestion: the user decides (the editor shows it, never applies it unasked).
    """
    best = best_grade(grade for grade in grades if is_graded(grade))
    return None if best is None else supported_certainty(*best)


class LinkKind(StrEnum):
    """How one event bears on another; read "FROM <kind> TO"."""

    LED_TO = "led_to"
    RESPONDED_TO = "responded_to"
    PART_OF = "part_of"
    CONTRADICTS = "contradicts"
    SAME_AS = "same_as"


LINK_WORDS: dict[str, tuple[str, str]] = {
    LinkKind.LED_TO: ("led to", "followed from"),
    LinkKind.RESPONDED_TO: ("responded to", "drew the response"),
    LinkKind.PART_OF: ("part of", "includes"),
    LinkKind.CONTRADICTS: ("contradicts", "contradicted by"),
    LinkKind.SAME_AS: ("same as", "same as"),
}
"""How a link reads from its first event and from its second."""


@dataclass(frozen=True, slots=True)
class EventLink:
    """A typed link from one event to another, with the analyst's optional note."""

    id: str
    from_id: str
    to_id: str
    kind: LinkKind
    note: str = ""
    created_at: str = ""


@dataclass(frozen=True, slots=True)
class EventNote:
    """An analyst's note on an event: who wrote it and when."""

    id: str
    event_id: str
    author: str
    created_at: str
    text: str


class HistoryEntity(StrEnum):
    """The kinds of record whose changes are kept."""

    EVENT = "event"
    CATEGORY = "category"
    SOURCE = "source"
    ERA = "era"
    LINK = "link"
    ACTOR = "actor"
    TAG = "tag"
    NOTE = "note"


class HistoryAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded change: who, when, which fields (old and new values), and the whole
    record as it stood after the change (before it, for a deletion), so any earlier
    version can be restored."""

    entity: HistoryEntity
    entity_id: str
    action: HistoryAction
    author: str
    at: str
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)
    snapshot: dict[str, object] | None = None
    id: int | None = None
