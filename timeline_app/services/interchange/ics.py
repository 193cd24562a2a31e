"""iCalendar (`.ics`, RFC 5545) through the `icalendar` library: one VEVENT an event.

Import: ROW in messages is the line of the event's `BEGIN:VEVENT`.
- `DTSTART;VALUE=DATE` (whole days): `DTEND` is exclusive, so a one-day event is a point and
  a longer one a span ending the day before `DTEND`; no `DTEND` means one day, `DURATION`
  counts from the start.
- `DTSTART` with a time: a `TZID` (known to the time-zone database or defined by the file's
  VTIMEZONE) or `Z` time is turned into UTC (`2022-02-24T02:00:00Z`); a floating time (no
  zone) stays a local time of day (`2022-02-24T05:00`). No `DTEND` and no `DURATION`: a point.
- `SUMMARY` → title, `DESCRIPTION` → description (HTML some calendars put there is reduced
  to plain text), `LOCATION` → location (one longer than a location may be goes to the
  description), `CATEGORIES` → the first is the category (else `category`, default
  "Uncategorised"), the rest tags; `URL` and `ATTACH` http(s) links → sources (other links
  → a "Link:" line of the description); `UID` → id, through `stable_id` when it is longer
  than an id may be or not printable, or for an occurrence given with `RECURRENCE-ID`.
- A recurring event (`RRULE`, `RDATE`) is imported as its first occurrence and reported:
  `read_calendar` returns them beside the Document, so the preview can say which events
  repeat; `recurring_ids` names them for a file. Nothing is added to their descriptions.
- Ignored: alarms, attendees, organizer, status, transparency, other components (VTODO,
  VJOURNAL), exceptions (`EXDATE`).

Export: a VCALENDAR (`PRODID`, `VERSION:2.0`) with one VEVENT an event: `UID` = id,
`DTSTAMP` = the time of export, `SUMMARY`, `DESCRIPTION`, `LOCATION`, `CATEGORIES` (the
category, then the tags), the first source's URL as `URL` and the others as `ATTACH` (a
source without a URL is not written: both need one).
Dates without a time become all-day `DTSTART`/`DTEND;VALUE=DATE` over the event's bounds
(lower bound; exclusive upper bound): a month or a year becomes an all-day span of its days
and a qualifier (`?`, `~`) is dropped — the format has neither. Dates with a time of day
become `DATE-TIME`s, in UTC for a `Z` time. An open end (`..`) writes the start alone; a year
before 1 cannot be written (iCalendar's dates are years 1–9999) and stops the export naming the
event. Importance, certainty, actors and the sources' titles, publishers and dates are not
written.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

import icalendar
import nh3

from timeline_app.domain.dates import parse_date
from timeline_app.domain.errors import DateError, ImportFileError, TimelineError, quoted
from timeline_app.domain.model import EventDraft, EventRecord, SourceRef, stable_id
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import NAME_MAX, TITLE_MAX, character_problem
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    ID_MAX,
    CategoryItem,
    Document,
    EventItem,
    check_event,
    check_unique_ids,
)
from timeline_app.services.interchange.edtf_parts import CivilTime, day_of, parse_time_text
from timeline_app.services.interchange.text_file import decode_text

PRODID = "-//timeline-app//Timeline of events//EN"
DEFAULT_CATEGORY = "Uncategorised"
"""Where events without CATEGORIES go, unless `read(..., category=...)` names another."""
NO_TITLE = "(no title)"
"""The title of an event without SUMMARY."""
OPEN_END = ".."
ONE_DAY = dt.timedelta(days=1)
READ_PROPERTIES = frozenset(
    {
        "DTSTART",
        "DTEND",
        "DURATION",
        "SUMMARY",
        "DESCRIPTION",
        "LOCATION",
        "CATEGORIES",
        "URL",
        "ATTACH",
        "UID",
        "RRULE",
        "RDATE",
        "RECURRENCE-ID",
    }
)
"""The properties an event is read from: only their damage refuses a file."""
_HTTP = re.compile(r"(?i:https?)://\S+\Z")
_PROPERTY_NAME = re.compile(r"[^;:]*")
"""A content line's name: what comes before its parameters or its value."""
_COMPONENT_NAME = re.compile(r"[A-Z0-9-]+")
"""An iana-token or x-name (RFC 5545, 3.1), upper-cased."""
_HTML_MARK = re.compile(
    r"<br\s*/?>|</(?:a|b|i|u|p|div|span|em|strong|ul|ol|li|h[1-6]|font|table|tr|td|pre|code)>",
    re.IGNORECASE,
)
"""What tells HTML from plain text that merely has a `<`: a line break or a closing tag."""
_HTML_BREAK = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>|</li\s*>", re.IGNORECASE)


def sniff(raw: bytes, name: str) -> bool:
    """True when the content opens with `BEGIN:VCALENDAR`."""
    try:
        head = raw[:256].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
        return head[:15].upper() == "BEGIN:VCALENDAR"
    except Exception:  # never raise: a sniffer only answers yes or no
        return False


@dataclass(frozen=True, slots=True)
class RecurringEvent:
    """An event of the file that repeats; only its first occurrence was read."""

    id: str
    row: int | None
    rule: str
    """What makes it repeat, as the file wrote it (`RRULE:FREQ=YEARLY`, `RDATE:…`)."""


@dataclass(frozen=True, slots=True)
class CalendarImport:
    document: Document
    recurring: tuple[RecurringEvent, ...]


def read(
    path: str, raw: bytes, *, progress: Progress | None = None, category: str = DEFAULT_CATEGORY
) -> Document:
    """Parse and validate a whole iCalendar file (see `read_calendar`); the recurring events
    are named in the document's notes."""
    calendar = read_calendar(path, raw, progress=progress, category=category)
    document = calendar.document
    titles = {item.id: item.draft.title for item in document.events}
    for event in calendar.recurring:
        where = f"line {event.row}: " if event.row is not None else ""
        document.notes.append(
            f"{where}{titles.get(event.id, event.id)!r} repeats ({event.rule}): "
            "only its first occurrence is imported"
        )
    return document


def recurring_ids(path: str, raw: bytes) -> list[str]:
    """The ids of the file's recurring events, as `read` gives them."""
    return [event.id for event in read_calendar(path, raw).recurring]


def read_calendar(
    path: str, raw: bytes, *, progress: Progress | None = None, category: str = DEFAULT_CATEGORY
) -> CalendarImport:
    """The file's events as a Document, and which of them repeat; ImportFileError at the
    first problem. `progress` hears (events read, events) as they are checked."""
    text = decode_text(path, raw)
    begin_lines = _vevent_lines(path, text)
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except ValueError as error:
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ImportFileError(path, None, "ics", f"cannot be read: {problem}") from None
    except Exception as error:
        # The library's parser trusts the file's structure: it makes a time zone of whatever
        # component an END:VTIMEZONE closes, and of whatever its TZID holds, and fails with an
        # AttributeError or a TypeError when that is not one. `_vevent_lines` refuses the
        # damage we know of by its line; this names any other without a traceback.
        problem = str(error).splitlines()[0] if str(error) else ""
        raise ImportFileError(
            path, None, "ics", f"cannot be read: {type(error).__name__} {problem}".strip()
        ) from None
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    if len(events) != len(begin_lines):  # nested oddities: rows are then unknown
        begin_lines = [None] * len(events)
    document = Document(path=path, title=_calendar_name(path, calendars))
    reader = _Reader(path, category)
    tick = report_every(progress, len(events))
    tick(0)
    for done, (event, row) in enumerate(zip(events, begin_lines, strict=True), 1):
        document.events.append(reader.event(event, row))
        tick(done)
    check_unique_ids(document)
    categories: set[str] = set()
    for item in document.events:
        if item.draft.category not in categories:
            categories.add(item.draft.category)
            document.categories.append(CategoryItem(item.draft.category))
        for tag in item.draft.tags:
            if tag not in document.tags:
                document.tags.append(tag)
    return CalendarImport(document, tuple(reader.recurring))


def _vevent_lines(path: str, text: str) -> list[int | None]:
    """The line of each `BEGIN:VEVENT`, in order; a component begun and never ended (which
    the library would drop without a word), one ended by another's END, a component name that
    is not one (`VTIMEZONE ` with a space the library keeps), or a VTIMEZONE with two TZIDs
    is refused here, naming its line: the library would fail on them with an AttributeError
    when it makes a time zone of the component an END:VTIMEZONE closes."""
    stack: list[tuple[str, int]] = []
    lines: list[int | None] = []
    seen_calendar = False
    zone_ids = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line[:1] in (" ", "\t"):
            continue  # a folded continuation
        key = _PROPERTY_NAME.match(line).group().strip().upper()  # type: ignore[union-attr]
        if key == "TZID" and stack and stack[-1][0] == "VTIMEZONE":
            zone_ids += 1
            if zone_ids > 1:
                raise ImportFileError(path, number, "TZID", "is given more than once")
        if key not in ("BEGIN", "END"):
            continue
        value = line.partition(":")[2]
        name = value.upper()
        if _COMPONENT_NAME.fullmatch(name) is None:
            raise ImportFileError(
                path, number, key, f"{quoted(value)} is not the name of a component"
            )
        if key == "BEGIN":
            zone_ids = 0
            stack.append((name, number))
            if name == "VCALENDAR":
                seen_calendar = True
            elif name == "VEVENT":
                lines.append(number)
        elif key == "END":
            if not stack or stack[-1][0] != name:
                expected = f"END:{stack[-1][0]}" if stack else "no END here"
                raise ImportFileError(
                    path, number, "END", f"END:{value.strip()} where {expected} was due"
                )
            stack.pop()
    if stack:
        name, number = stack[-1]
        raise ImportFileError(path, number, "BEGIN", f"BEGIN:{name} is never ended")
    if not seen_calendar:
        raise ImportFileError(path, None, "ics", "has no BEGIN:VCALENDAR: not an iCalendar file")
    return lines


def _ical_text(prop: Any) -> str:
    """A property as the file wrote it: the library's `to_ical` gives bytes for most value
    types and a str for some (a DATE value it could not read stays text)."""
    written = prop.to_ical() if hasattr(prop, "to_ical") else prop
    return written.decode("utf-8", "replace") if isinstance(written, bytes) else str(written)


def _calendar_name(path: str, calendars: list) -> str:
    for calendar in calendars:
        for key in ("NAME", "X-WR-CALNAME"):
            value = calendar.get(key)
            if isinstance(value, str) and value.strip():
                name = value.strip()
                problem = character_problem(name)
                if problem is not None:
                    raise ImportFileError(path, None, key, problem)
                return name
    return ""


def plain_text(text: str) -> str:
    """A description as plain text: HTML that some calendars write there loses its tags
    (a line break or paragraph end becomes a new line) and its character references."""
    if _HTML_MARK.search(text) is None:
        return text
    broken = _HTML_BREAK.sub("\n", text)
    return html.unescape(nh3.clean(broken, tags=set())).strip()


def date_texts(start: dt.date, end: dt.date | None) -> tuple[str, str | None]:
    """EDTF start and end (None for a point) of all-day `DTSTART` and exclusive `DTEND`."""
    first = CivilTime(start.year, start.month, start.day).text
    if end is None or end <= start + ONE_DAY:
        return first, None
    last = end - ONE_DAY
    return first, CivilTime(last.year, last.month, last.day).text


def instant_text(value: dt.datetime) -> str:
    """A DATE-TIME as EDTF: in UTC when it has a zone, a local time of day when floating."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(dt.UTC)
        utc = True
    else:
        utc = False
    return CivilTime(
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        timed=True,
        utc=utc,
    ).text


class _Reader:
    def __init__(self, path: str, default_category: str) -> None:
        self.path = path
        self.default_category = default_category
        self.recurring: list[RecurringEvent] = []
        self.seen: dict[str, int] = {}

    def fail(self, row: int | None, field_name: str, problem: str) -> ImportFileError:
        return ImportFileError(self.path, row, field_name, problem)

    def single(self, event: Any, name: str, row: int | None) -> Any:
        value = event.get(name)
        if isinstance(value, list):
            raise self.fail(row, name, "is given more than once")
        return value

    def text(self, event: Any, name: str, row: int | None) -> str:
        value = self.single(event, name, row)
        return str(value).strip() if value is not None else ""

    def moment(self, event: Any, name: str, row: int | None) -> dt.date | None:
        """A DTSTART or DTEND as a date or an aware or floating datetime."""
        prop = self.single(event, name, row)
        if prop is None:
            return None
        value = getattr(prop, "dt", None)
        if not isinstance(value, dt.date):
            raise self.fail(row, name, f"{quoted(_ical_text(prop))} is not a date or time")
        zone = prop.params.get("TZID") if hasattr(prop, "params") else None
        if isinstance(value, dt.datetime) and zone and value.tzinfo is None:
            raise self.fail(
                row,
                name,
                f"TZID {quoted(str(zone))} is neither a known time zone nor defined "
                "in the file (VTIMEZONE)",
            )
        return value

    def dates(self, event: Any, row: int | None) -> tuple[str, str | None]:
        start = self.moment(event, "DTSTART", row)
        if start is None:
            raise self.fail(row, "DTSTART", "is missing")
        end = self.moment(event, "DTEND", row)
        duration = self.single(event, "DURATION", row)
        if end is None and duration is not None:
            length = getattr(duration, "dt", None)
            if not isinstance(length, dt.timedelta):
                raise self.fail(row, "DURATION", "is not a duration")
            if length < dt.timedelta(0):
                raise self.fail(row, "DURATION", "is negative")
            try:
                end = start + length
            except OverflowError:
                raise self.fail(row, "DURATION", "ends after the year 9999") from None
        timed = isinstance(start, dt.datetime)
        if end is not None and isinstance(end, dt.datetime) != timed:
            raise self.fail(
                row, "DTEND", "is a date with a time and DTSTART a whole day, or the reverse"
            )
        try:
            if not timed:
                if end is not None and end < start:
                    raise self.fail(row, "DTEND", "is before DTSTART")
                return date_texts(start, end)
            first = instant_text(start)  # type: ignore[arg-type]
            if end is None or end == start:
                return first, None
            if end < start:  # type: ignore[operator]
                raise self.fail(row, "DTEND", "is before DTSTART")
            return first, instant_text(end)  # type: ignore[arg-type]
        except TypeError:
            raise self.fail(
                row, "DTEND", "has a time zone and DTSTART none, or the reverse"
            ) from None
        except (OverflowError, ValueError) as error:
            raise self.fail(row, "DTSTART", f"cannot be placed in UTC: {error}") from None

    def event_id(self, event: Any, row: int | None, title: str, start: str) -> str:
        uid = self.text(event, "UID", row)
        occurrence = self.single(event, "RECURRENCE-ID", row)
        if uid and occurrence is not None:
            return stable_id(f"ics:{uid}\n{_ical_text(occurrence)}")
        if uid:
            if len(uid) <= ID_MAX and uid.isprintable():
                return uid
            return stable_id(f"ics:{uid}")
        key = f"ics:{title}\n{start}"
        count = self.seen.get(key, 0) + 1
        self.seen[key] = count
        return stable_id(key if count == 1 else f"{key}\n#{count}")

    def links(self, event: Any, row: int | None) -> tuple[list[str], list[str]]:
        values: list[Any] = []
        url = self.single(event, "URL", row)
        if url is not None:
            values.append(url)
        attached = event.get("ATTACH")
        values.extend(attached if isinstance(attached, list) else [attached] if attached else [])
        web: list[str] = []
        other: list[str] = []
        for value in values:
            params = getattr(value, "params", {})
            if params.get("VALUE", "").upper() == "BINARY" or params.get("ENCODING"):
                continue  # an attached file, not a link
            link = str(value).strip()
            if link:
                (web if _HTTP.match(link) else other).append(link)
        return list(dict.fromkeys(web)), list(dict.fromkeys(other))

    def event(self, event: Any, row: int | None) -> EventItem:
        for name, problem in getattr(event, "errors", ()):
            if name is None:  # a line that is no property at all
                raise self.fail(row, "ics", f"cannot be read: {problem}")
            if name.upper() in READ_PROPERTIES:
                raise self.fail(row, name.upper(), f"cannot be read: {problem}")
        start, end = self.dates(event, row)
        title = self.text(event, "SUMMARY", row) or NO_TITLE
        description = plain_text(self.text(event, "DESCRIPTION", row))
        location = self.text(event, "LOCATION", row)
        extra: list[str] = []
        if len(location) > NAME_MAX:
            extra.append(f"Location: {location}")
            location = ""
        try:
            names = [str(name).strip() for name in event.categories]
        except Exception as error:  # the library raises several types for a bad list
            raise self.fail(row, "CATEGORIES", f"cannot be read: {error}") from None
        names = [name for name in names if name]
        web, other = self.links(event, row)
        extra.extend(f"Link: {link}" for link in other)
        if extra:
            description = f"{description.rstrip()}\n\n" + "\n".join(extra)
            description = description.lstrip("\n")
        event_id = self.event_id(event, row, title, start)
        rule = self._rule(event)
        if rule is not None:
            self.recurring.append(RecurringEvent(event_id, row, rule))
        draft = EventDraft(
            title=title,
            start=start,
            end=end,
            category=names[0] if names else self.default_category,
            description=description,
            location=location or None,
            tags=tuple(dict.fromkeys(names[1:])),
            sources=tuple(SourceRef(url[:TITLE_MAX], url) for url in web),
        )
        return check_event(self.path, row, event_id, draft)  # type: ignore[arg-type]

    @staticmethod
    def _rule(event: Any) -> str | None:
        for name in ("RRULE", "RDATE", "RECURRENCE-ID"):
            value = event.get(name)
            if value is None:
                continue
            first = value[0] if isinstance(value, list) else value
            try:
                return f"{name}:{_ical_text(first)}"
            except Exception:  # the rule is reported, whatever its shape
                return name
        return None


# Export


def _civil_date(time: CivilTime, label: str) -> dt.date:
    try:
        return dt.date(time.year, time.month, time.day)
    except ValueError:
        raise TimelineError(
            f"{label}: the year {time.year} cannot be written to iCalendar (years 1–9999)"
        ) from None


def _civil_datetime(time: CivilTime, utc: bool, label: str) -> dt.datetime:
    day = _civil_date(time, label)
    return dt.datetime(
        day.year,
        day.month,
        day.day,
        time.hour,
        time.minute,
        time.second,
        tzinfo=dt.UTC if utc else None,
    )


def ics_bounds(record: EventRecord) -> tuple[dt.date, dt.date | None]:
    """DTSTART and DTEND of a stored event (DTEND None: a moment, DTSTART alone)."""
    label = f"event {record.id} {quoted(record.title)}"
    lower, upper = record.lower, record.upper
    end_text = record.end
    if end_text is not None and end_text.strip() == OPEN_END:
        end_text = None  # an open end: the start alone is written
        try:
            own = parse_date(record.start)
            lower, upper = own.lower, own.upper
        except DateError:
            pass
    start_time = parse_time_text(record.start)
    end_time = parse_time_text(end_text) if end_text else None
    if start_time is None and end_time is None:
        return _civil_date(day_of(lower), label), _civil_date(day_of(upper), label)
    utc = any(time.utc for time in (start_time, end_time) if time is not None)
    first = _civil_datetime(start_time or day_of(lower), utc, label)
    if end_text is None:
        return first, None
    return first, _civil_datetime(end_time or day_of(upper), utc, label)


def dump(catalog: Catalog, *, progress: Progress | None = None) -> bytes:
    """Every event as one VEVENT of a VCALENDAR (see the module for what is written)."""
    records = catalog.events()
    tick = report_every(progress, len(records))
    tick(0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for done, record in enumerate(records, 1):
        calendar.add_component(_vevent(record, stamp))
        tick(done)
    return calendar.to_ical()


def _vevent(record: EventRecord, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", record.id)
    event.add("dtstamp", stamp)
    start, end = ics_bounds(record)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("summary", record.title)
    if record.description:
        event.add("description", record.description)
    if record.location:
        event.add("location", record.location)
    event.add("categories", [record.category, *record.tags])
    urls = [ref.url for ref in record.sources if ref.url]
    if urls:
        event.add("url", urls[0])
        for url in urls[1:]:
            event.add("attach", url)
    return event
