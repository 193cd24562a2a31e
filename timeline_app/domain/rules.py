"""Validation rules shared by the editor, the importers and the services.

Each rule raises ValidationError naming the field, so a form can mark the field and a
file import can report `FILE:ROW: field: problem`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from timeline_app.domain.dates import (
    DateSpan,
    parse_date,
    parse_span,
    read_user_date,
    read_user_end,
    read_user_span,
)
from timeline_app.domain.errors import DateError, ValidationError, quoted
from timeline_app.domain.evidence import (
    CREDIBILITY_WORDS,
    RELIABILITY_WORDS,
    UNGRADED_CREDIBILITY,
    UNGRADED_RELIABILITY,
    SourceKind,
)
from timeline_app.domain.model import (
    CERTAINTY_OF_VALUE,
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
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,9}")
"""Signed ASCII digits, short enough that `int()` never meets a huge number."""


def character_problem(text: str) -> str | None:
    """What makes `text` unstorable, or None: a NUL (PostgreSQL refuses it, SQLite keeps it
    silently) or a lone surrogate (half of a UTF-16 pair, e.g. from a JSON "\\ud800" escape,
    which no database driver can encode)."""
    if "\x00" in text:
        return "contains a NUL character"
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return (
            f"contains {quoted(text[error.start])}, half of a UTF-16 surrogate pair, "
            "which is not a character"
        )
    return None


def check_text(field: str, value: object, *, limit: int, required: bool = True) -> str:
    """A stripped string within `limit` characters, free of NULs and lone surrogates;
    empty only when not required."""
    if value.__class__ is not str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise ValidationError(field, f"must be text, not {type(value).__name__}")
    text = value.strip()  # type: ignore[union-attr]
    if text and len(text) <= limit and "\x00" not in text:
        if text.isascii():  # O(1) in CPython: ASCII text cannot hold a surrogate
            return text  # the common case, decided first: an import checks millions
        try:
            text.encode("utf-8")  # raises for a lone surrogate
        except UnicodeEncodeError:
            pass
        else:
            return text
    if not text:
        if required:
            raise ValidationError(field, "must not be empty")
        return text
    if len(text) > limit:
        raise ValidationError(field, f"is {len(text)} characters long; the limit is {limit}")
    raise ValidationError(field, character_problem(text) or "cannot be stored")


def check_url(field: str, value: object) -> str:
    """An absolute http(s) URL: the only kind the app will open in a browser."""
    url = check_text(field, value, limit=URL_MAX)
    if _HTTP_URL.match(url) is None:
        if not url.lower().startswith(("http://", "https://")):
            raise ValidationError(field, f"{quoted(url)} is not an http(s) URL")
        raise ValidationError(field, f"{quoted(url)} has no valid host or contains a space")
    return url


def check_importance(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("importance", f"must be a whole number, not {quoted(value)}")
    if not IMPORTANCE_MIN <= value <= IMPORTANCE_MAX:
        raise ValidationError(
            "importance", f"{value} is out of range {IMPORTANCE_MIN}–{IMPORTANCE_MAX}"
        )
    return value


def parse_importance_text(text: str) -> int:
    """An importance typed or read from a file as text: a whole number 1–5 in the digits 0–9.

    `int()` alone would read Arabic-Indic or Persian digits ("٣") and surrounding underscores
    ("1_0"); a file's importance must be what it looks like to every reader.
    """
    cleaned = text.strip()
    if _WHOLE_NUMBER.fullmatch(cleaned) is None:
        raise ValidationError(
            "importance", f"{quoted(cleaned)} is not a whole number written with the digits 0–9"
        )
    return check_importance(int(cleaned))


def check_certainty(value: object) -> Certainty:
    found = CERTAINTY_OF_VALUE.get(value) if isinstance(value, str) else None
    if found is None:
        allowed = ", ".join(CERTAINTY_OF_VALUE)
        raise ValidationError("certainty", f"{quoted(value)} is not one of {allowed}")
    return found


def check_colour(field: str, value: object) -> str:
    if not isinstance(value, str) or len(value) != 7 or not is_colour(value):
        raise ValidationError(field, f"{quoted(value)} is not a #RRGGBB colour")
    return value.upper()


def check_span(start: object, end: object) -> DateSpan:
    if not isinstance(start, str):
        raise ValidationError("start", f"must be a date text, not {quoted(start)}")
    if end is not None and not isinstance(end, str):
        raise ValidationError("end", f"must be a date text, not {quoted(end)}")
    try:
        return parse_span(start, end or None)
    except DateError:
        lenient = _read_leniently(start, end)
        if lenient is None:
            raise
        return lenient


def _read_leniently(start: str, end: str | None) -> DateSpan | None:
    """The editor's reading ("~2020", "c. 2015", "March 2023", "55 BC") of dates a file gives
    outside EDTF, so that an import takes what the editor takes, stored as EDTF; None when
    that reading fails too, needs a day order, or leaves the end unknown."""
    try:
        if end:
            start_text, end_text = read_user_date(start), read_user_end(end)
        else:
            start_text, end_text = read_user_span(start)
        if end_text == "":
            return None
        return parse_span(start_text, end_text or None)
    except DateError:
        return None


def check_optional_url(field: str, value: object) -> str:
    """`check_url` for a source's address, which may be absent: None or blank gives ""."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return check_url(field, value)


def plain_source(
    title: str, url: str, publisher: str = "", note: str = "", source_id: str | None = None
) -> SourceRef | None:
    """The checked source of stripped, undated parts when they are plain (ASCII, no NUL,
    within their limits, no URL or an http(s) one), exactly as `check_source` gives it; None
    when they are not, for `check_source` to clean or refuse. A file's common source costs
    one call."""
    joined = title + url + publisher + note
    if (
        title
        and len(title) <= TITLE_MAX
        and len(url) <= URL_MAX
        and len(publisher) <= NAME_MAX
        and len(note) <= DESCRIPTION_MAX
        and joined.isascii()
        and "\x00" not in joined
        and (not url or _HTTP_URL.match(url) is not None)
    ):
        return SourceRef(
            title,
            url,
            publisher,
            None,
            note,
            source_id or derived_source_id(url, title, publisher),
        )
    return None


def check_source(field: str, source: SourceRef) -> SourceRef:
    """A cleaned source with its id; errors name `field`.title, `field`.url and so on.

    The URL is optional (a printed report, a news agency's wire): None or blank is stored as
    "", and one that is given must be http(s)."""
    if source.published is None and _ungraded(source):  # the common source: plain text
        title, url, publisher, note = source.title, source.url, source.publisher, source.note
        if (
            title.__class__ is str
            and (url.__class__ is str or url is None)
            and publisher.__class__ is str
            and note.__class__ is str
        ):
            plain = plain_source(
                title.strip(), (url or "").strip(), publisher.strip(), note.strip(), source.id
            )
            if plain is not None:
                return plain
    try:
        title = check_text("title", source.title, limit=TITLE_MAX)
        url = check_optional_url("url", source.url)
        publisher = check_text("publisher", source.publisher, limit=NAME_MAX, required=False)
        published = None
        if source.published:
            try:
                published = parse_date(source.published).text
            except DateError as error:
                raise ValidationError("published", error.message) from error
        note = check_text("note", source.note, limit=DESCRIPTION_MAX, required=False)
        kind = check_source_kind("kind", source.kind)
        language = check_language("language", source.language)
        reliability = check_reliability("reliability", source.reliability)
        credibility = check_credibility("credibility", source.credibility)
        excerpt = check_text("excerpt", source.excerpt, limit=DESCRIPTION_MAX, required=False)
    except ValidationError as error:
        raise ValidationError(f"{field}.{error.field}", error.message) from error
    source_id = source.id or derived_source_id(url, title, publisher)
    return SourceRef(
        title,
        url,
        publisher,
        published,
        note,
        source_id,
        kind,
        language,
        reliability,
        credibility,
        excerpt,
    )


def _ungraded(source: SourceRef) -> bool:
    """Whether a source carries only the defaults of the evidence fields (what files of the
    first format version and most imports give): the fast path keeps those as they are."""
    return (
        source.kind == "other"
        and source.language == ""
        and source.reliability == UNGRADED_RELIABILITY
        and source.credibility == UNGRADED_CREDIBILITY
        and source.excerpt == ""
    )


_SOURCE_KINDS = tuple(kind.value for kind in SourceKind)
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})*")


def check_source_kind(field: str, value: object) -> str:
    """One of the source kinds (`SourceKind`), by its value."""
    text = value.strip().lower() if isinstance(value, str) else value
    if text in _SOURCE_KINDS:
        return text  # type: ignore[return-value]
    raise ValidationError(field, f"{quoted(value)} is not one of {', '.join(_SOURCE_KINDS)}")


def check_language(field: str, value: object) -> str:
    """An ISO 639 language code ("en", "ru", "fa", "pt-br"), or "" when unknown."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be text, not {type(value).__name__}")
    text = value.strip().lower()
    if not text or (len(text) <= 16 and _LANGUAGE.fullmatch(text)):
        return text
    raise ValidationError(field, f"{quoted(value)} is not a language code such as en, ru or fa")


def check_reliability(field: str, value: object) -> str:
    """A source reliability grade on the Admiralty scale: a letter A–F."""
    text = value.strip().upper() if isinstance(value, str) else None
    if text in RELIABILITY_WORDS:
        return text  # type: ignore[return-value]
    raise ValidationError(field, f"{quoted(value)} is not a reliability grade A to F")


def check_credibility(field: str, value: object) -> int:
    """An information credibility grade on the Admiralty scale: a number 1–6."""
    number: object = value
    if isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number.__class__ is int and number in CREDIBILITY_WORDS:
        return number  # type: ignore[return-value]
    raise ValidationError(field, f"{quoted(value)} is not a credibility grade 1 to 6")


_SOURCE_FIELDS = tuple(f"sources[{index}]" for index in range(32))


def _source_field(index: int) -> str:
    return _SOURCE_FIELDS[index] if index < len(_SOURCE_FIELDS) else f"sources[{index}]"


def check_names(field: str, names: object) -> tuple[str, ...]:
    if isinstance(names, str) or not isinstance(names, (list, tuple, set, frozenset)):
        raise ValidationError(field, f"must be a list of names, not {quoted(names)}")
    if not names:
        return ()
    return tuple(dict.fromkeys([check_text(field, name, limit=NAME_MAX) for name in names]))


def validate_event(
    draft: EventDraft, known_categories: Collection[str] | None = None
) -> tuple[EventDraft, DateSpan]:
    """Check every field of a draft; return the cleaned draft and its derived date span."""
    return validate_event_fields(
        draft.title,
        draft.start,
        draft.end,
        draft.category,
        draft.importance,
        draft.certainty,
        draft.description,
        draft.location,
        draft.actors,
        draft.tags,
        draft.sources,
        known_categories,
    )


def validate_event_fields(
    title: object,
    start: object,
    end: object,
    category: object,
    importance: object,
    certainty: object,
    description: object,
    location: object,
    actors: object,
    tags: object,
    sources: Sequence[SourceRef],
    known_categories: Collection[str] | None = None,
) -> tuple[EventDraft, DateSpan]:
    """`validate_event` on separate values, in EventDraft's field order: a file reader
    validates 100,000 rows without building a draft of the raw values first."""
    clean_title = check_text("title", title, limit=TITLE_MAX)
    span = check_span(start, end)
    clean_category = check_text("category", category, limit=NAME_MAX)
    if known_categories is not None and clean_category not in known_categories:
        raise ValidationError("category", f"{quoted(clean_category)} is not a known category")
    cleaned = EventDraft(
        clean_title,
        span.start.text,
        span.end.text if span.end is not None else None,
        clean_category,
        check_importance(importance),
        check_certainty(certainty),
        check_text("description", description, limit=DESCRIPTION_MAX, required=False),
        check_text("location", location, limit=NAME_MAX, required=False) or None,
        check_names("actors", actors),
        check_names("tags", tags),
        (check_source("sources[0]", sources[0]),)
        if len(sources) == 1
        else tuple(check_source(_source_field(index), ref) for index, ref in enumerate(sources)),
    )
    return cleaned, span


class EventChecker:
    """`validate_event_fields` with a memory of what it has accepted, for a file's rows.

    A file repeats its dates, categories, certainties and actor or tag lists thousands of
    times; each distinct value is checked once and its cleaned form reused. Only accepted
    values are remembered, so a bad value is refused, with the same message, on every row
    that has it; and a value remembered as good cannot be the first error of a row, so the
    errors come in the order the plain function gives them.
    """

    __slots__ = ("_categories", "_names", "_open_spans", "_spans")

    def __init__(self) -> None:
        self._open_spans: dict[str, DateSpan] = {}
        """Spans of a start without an end, by the start's text: most rows, no key tuple."""
        self._spans: dict[tuple[str, str], DateSpan] = {}
        self._categories: dict[str, str] = {}
        self._names: dict[tuple[str, ...], tuple[str, ...]] = {}

    def check(
        self,
        title: object,
        start: object,
        end: object,
        category: object,
        importance: object,
        certainty: object,
        description: object,
        location: object,
        actors: object,
        tags: object,
        sources: Sequence[SourceRef],
        *,
        sources_checked: bool = False,
    ) -> tuple[EventDraft, DateSpan]:
        """What `validate_event_fields` returns (and raises) for the same values.

        `sources_checked`: the sources are what `check_source` returned for them (a reader
        that checked a repeated cell once), taken as they are.
        """
        clean_title = title.strip() if title.__class__ is str else None  # type: ignore[attr-defined]
        if not (
            clean_title
            and len(clean_title) <= TITLE_MAX
            and clean_title.isascii()
            and "\x00" not in clean_title
        ):
            clean_title = check_text("title", title, limit=TITLE_MAX)
        span = self._span(start, end)
        plain_category = category.__class__ is str
        clean_category = self._categories.get(category) if plain_category else None  # type: ignore[arg-type]
        if clean_category is None:
            clean_category = check_text("category", category, limit=NAME_MAX)
            if plain_category:
                self._categories[category] = clean_category  # type: ignore[index]
        if importance.__class__ is not int or not IMPORTANCE_MIN <= importance <= IMPORTANCE_MAX:  # type: ignore[operator]
            check_importance(importance)  # raises: it says what is wrong
        found = CERTAINTY_OF_VALUE.get(certainty) if certainty.__class__ is str else None  # type: ignore[call-overload]
        clean_certainty = found if found is not None else check_certainty(certainty)
        clean_description = description.strip() if description.__class__ is str else None  # type: ignore[attr-defined]
        if not (
            clean_description is not None
            and len(clean_description) <= DESCRIPTION_MAX
            and clean_description.isascii()
            and "\x00" not in clean_description
        ):
            clean_description = check_text(
                "description", description, limit=DESCRIPTION_MAX, required=False
            )
        clean_location = (
            check_text("location", location, limit=NAME_MAX, required=False) or None
            if location is not None
            else None
        )
        clean_actors = self._checked_names("actors", actors)
        clean_tags = self._checked_names("tags", tags)
        if sources_checked:
            clean_sources = tuple(sources)
        elif len(sources) == 1:
            clean_sources = (check_source("sources[0]", sources[0]),)
        else:
            clean_sources = tuple(
                check_source(_source_field(index), ref) for index, ref in enumerate(sources)
            )
        cleaned = EventDraft(
            clean_title,
            span.start.text,
            span.end.text if span.end is not None else None,
            clean_category,
            importance,  # type: ignore[arg-type]
            clean_certainty,
            clean_description,
            clean_location,
            clean_actors,
            clean_tags,
            clean_sources,
        )
        return cleaned, span

    def _span(self, start: object, end: object) -> DateSpan:
        """`check_span`, remembered for date texts."""
        if start.__class__ is not str:
            return check_span(start, end)
        if end is None:
            span = self._open_spans.get(start)  # type: ignore[call-overload]
            if span is None:
                span = self._open_spans[start] = check_span(start, end)  # type: ignore[index]
            return span
        if end.__class__ is not str:
            return check_span(start, end)
        key = (start, end)
        span = self._spans.get(key)  # type: ignore[arg-type]
        if span is None:
            span = self._spans[key] = check_span(start, end)  # type: ignore[index]
        return span

    def _checked_names(self, field: str, names: object) -> tuple[str, ...]:
        if names.__class__ is not tuple:
            return check_names(field, names)
        if not names:
            return ()
        try:
            checked = self._names.get(names)  # type: ignore[call-overload]
        except TypeError:  # a name that is not even hashable: the rule names the problem
            return check_names(field, names)
        if checked is None:
            checked = check_names(field, names)
            self._names[names] = checked  # type: ignore[index]
        return checked
