"""The `.timeline` files of The Timeline Project's desktop app "Timeline": XML, Gregorian only.

Import reads any file version that app writes (the root `<timeline>` with `<version>`,
optional `<timetype>`, `<eras>`, then `<categories>`, `<events>`, `<view>`), parsed with
defusedxml (no entity expansion, no external references); ROW in messages is the line of
the element at fault. A timeline in any other calendar than `gregoriantime` is refused.

What becomes what:
- `<event>`: `<text>` → title, `<description>` → description, `<category>` (or the first of
  `<categories>`) → category, the other categories and the `<labels>` words → tags,
  `<hyperlink>` (several joined by ";") → sources when http(s), other links → a "Link:" line
  of the description. Events without a category go to `category` (default "Uncategorised").
- Times are local clock times. Both ends at 00:00:00 mean whole days: a day date, the end
  being the last day; any other time gives `YYYY-MM-DDThh:mm`. Equal ends give a point.
  `<fuzzy>` (both ends), `<fuzzy_start>`, `<fuzzy_end>` → `~`; a fuzzy end with a time of
  day is read as its day with `~`. `<ends_today>` → an open end (`..`).
- A milestone → a point at its start. A container (text `[id]name`) is not an event: its
  name becomes a tag of its subevents (text `(id)text`).
- `<category>` name, colour ("r,g,b" → #RRGGBB), parent; `<era>` → era (colour likewise).
- Ignored: progress, locked, alert, icon, default colours, the view, a container's own
  period and description.
Ids: the file has none; each event's is derived from its title and times (`stable_id`).

Export writes file version 2.5.0 (`EXPORT_VERSION`) in the element order that version
reads, with `<timetype>gregoriantime</timetype>`. Day, month and year dates become whole
days from their bounds (a month is its first to its last day), times of day their clock
time (a `Z` is dropped: the format has no zones), any qualifier (`?`, `~`, `%`) the fuzzy
flag of its end, tags the space-separated `<labels>` (spaces inside a tag become `_`),
sources their URLs in `<hyperlink>` (a source without a URL is not written). Location,
importance, certainty, actors, source titles and ids are not written: the format has no place
for them.
"""

from __future__ import annotations

import re
import xml.sax
import xml.sax.handler
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import defusedxml
import defusedxml.sax

from timeline_app.domain.errors import ImportFileError, TimelineError, ValidationError, quoted
from timeline_app.domain.model import EventDraft, EventRecord, SourceRef, stable_id
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import NAME_MAX, TITLE_MAX, check_span, check_text
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    CategoryItem,
    Document,
    EraItem,
    EventItem,
    check_event,
    check_unique_ids,
)
from timeline_app.services.interchange.edtf_parts import (
    QUALIFIERS,
    CivilTime,
    check_civil,
    day_of,
    parse_time_text,
)

EXPORT_VERSION = "2.5.0"
"""The file version `dump` writes: Timeline 2.5.0's, the first with `fuzzy_start`/`fuzzy_end`."""
GREGORIAN = "gregoriantime"
DEFAULT_CATEGORY = "Uncategorised"
"""Where events without a category go, unless `read(..., category=...)` names another."""
OPEN_END = ".."
_VERSION = re.compile(r"\s*([0-9]+)\.([0-9]+)\.([0-9]+)")
_TIME = re.compile(r"\s*(-?[0-9]+)-([0-9]+)-([0-9]+) ([0-9]+):([0-9]+):([0-9]+)\s*")
_COLOUR = re.compile(r"\s*([0-9]{1,3}),([0-9]{1,3}),([0-9]{1,3})\s*")
_CONTAINER = re.compile(r"\[(-?[0-9]+)\](.*)", re.DOTALL)
_SUBEVENT = re.compile(r"\((-?[0-9]+)\)(.*)", re.DOTALL)
_HTTP = re.compile(r"(?i:https?)://\S+\Z")
_SNIFF_BYTES = 4096


def sniff(raw: bytes, name: str) -> bool:
    """True when the content opens with a `<timeline>` root that has a `<version>`."""
    try:
        head = raw[:_SNIFF_BYTES].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n")
        if not head.startswith("<"):
            return False
        root = re.search(r"<([A-Za-z_][\w.-]*)[\s/>]", re.sub(r"<[?!][^>]*>", "", head))
        return root is not None and root.group(1) == "timeline" and "<version>" in head
    except Exception:  # never raise: a sniffer only answers yes or no
        return False


@dataclass(slots=True)
class _Element:
    """An XML element as this format uses it: a name, its line, its text and children."""

    name: str
    line: int
    parts: list[str] = field(default_factory=list)
    children: list[_Element] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def child(self, name: str) -> _Element | None:
        for element in self.children:
            if element.name == name:
                return element
        return None

    def all(self, name: str) -> Iterator[_Element]:
        return (element for element in self.children if element.name == name)


class _TreeBuilder(xml.sax.handler.ContentHandler):
    """Builds `_Element`s with the line of each start tag (ElementTree keeps no lines)."""

    def __init__(self) -> None:
        super().__init__()
        self.root: _Element | None = None
        self._stack: list[_Element] = []
        self._locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:
        self._locator = locator

    def startElement(self, name: str, attrs: object) -> None:
        line = self._locator.getLineNumber() if self._locator is not None else 0
        element = _Element(name, line)
        if self._stack:
            self._stack[-1].children.append(element)
        else:
            self.root = element
        self._stack.append(element)

    def endElement(self, name: str) -> None:
        self._stack.pop()

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1].parts.append(content)


def _parse_xml(path: str, raw: bytes) -> _Element:
    if not raw.strip():
        raise ImportFileError(path, None, "file", "is empty")
    builder = _TreeBuilder()
    try:
        defusedxml.sax.parseString(raw, builder)
    except xml.sax.SAXParseException as error:
        raise ImportFileError(
            path, error.getLineNumber(), "xml", f"is not well-formed: {error.getMessage()}"
        ) from None
    except defusedxml.EntitiesForbidden:
        raise ImportFileError(
            path, None, "xml", "declares entities, which are refused (a timeline file has none)"
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise ImportFileError(path, None, "xml", f"is refused: {error}") from None
    except (xml.sax.SAXException, ValueError, LookupError) as error:
        raise ImportFileError(path, None, "xml", f"cannot be read: {error}") from None
    if builder.root is None:
        raise ImportFileError(path, None, "xml", "has no root element")
    return builder.root


@dataclass(frozen=True, slots=True)
class _Time:
    civil: CivilTime
    written: str


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, element: _Element, field_name: str, problem: str) -> ImportFileError:
        return ImportFileError(self.path, element.line, field_name, problem)

    def required(self, parent: _Element, name: str, field_name: str | None = None) -> _Element:
        element = parent.child(name)
        if element is None:
            raise self.fail(parent, field_name or name, f"<{parent.name}> has no <{name}>")
        return element

    def time(self, element: _Element, field_name: str) -> _Time:
        text = element.text
        match = _TIME.fullmatch(text)
        if match is None:
            raise self.fail(
                element, field_name, f"{quoted(text)} is not a time like 2013-03-30 11:16:00"
            )
        numbers = [int(value) for value in match.groups()]
        problem = check_civil(*numbers)
        if problem is not None:
            raise self.fail(element, field_name, f"{quoted(text)}: {problem}")
        year, month, day, hour, minute, second = numbers
        return _Time(CivilTime(year, month, day, hour, minute, second), text.strip())

    def flag(self, parent: _Element, name: str) -> bool:
        element = parent.child(name)
        if element is None:
            return False
        text = element.text.strip()
        if text not in ("True", "False"):
            raise self.fail(element, name, f"{quoted(text)} is neither True nor False")
        return text == "True"

    def colour(self, element: _Element, field_name: str) -> str:
        match = _COLOUR.fullmatch(element.text)
        if match is None or any(int(value) > 255 for value in match.groups()):
            raise self.fail(
                element, field_name, f"{quoted(element.text)} is not a colour like 255,128,0"
            )
        return "#" + "".join(f"{int(value):02X}" for value in match.groups())

    def name(self, element: _Element, field_name: str) -> str:
        try:
            return check_text(field_name, element.text, limit=NAME_MAX)
        except ValidationError as error:
            raise self.fail(element, error.field, error.message) from error


def span_texts(
    start: CivilTime,
    end: CivilTime,
    *,
    fuzzy_start: bool = False,
    fuzzy_end: bool = False,
    ends_today: bool = False,
) -> tuple[str, str | None]:
    """The EDTF start and end (None for a point) of an event or era of the file.

    Both ends at midnight are whole days; otherwise both keep their time of day, except a
    fuzzy one, which is read as its day: EDTF qualifies dates, not times of day.
    """
    whole_days = not any((start.hour, start.minute, start.second, end.hour, end.minute, end.second))

    def text(time: CivilTime, fuzzy: bool) -> str:
        if fuzzy:
            return time.day_text + "~"
        if whole_days:
            return time.day_text
        return CivilTime(
            time.year, time.month, time.day, time.hour, time.minute, time.second, timed=True
        ).text

    first = text(start, fuzzy_start)
    if ends_today:
        return first, OPEN_END
    last = text(end, fuzzy_end)
    if last.rstrip("~") == first.rstrip("~"):
        return (first if first.endswith("~") else last), None
    return first, last


def read(
    path: str,
    raw: bytes,
    *,
    progress: Progress | None = None,
    category: str = DEFAULT_CATEGORY,
) -> Document:
    """Parse and validate a whole `.timeline` file; raise ImportFileError at the first problem.

    `progress` hears (events read, events) as they are checked.
    """
    reader = _Reader(path)
    root = _parse_xml(path, raw)
    if root.name != "timeline":
        raise reader.fail(
            root, "timeline", f"the root element is <{root.name[:40]}>, not <timeline>"
        )
    version = reader.required(root, "version")
    if _VERSION.match(version.text) is None:
        raise reader.fail(version, "version", f"{quoted(version.text)} is not a version number")
    timetype = root.child("timetype")
    if timetype is not None and timetype.text.strip() != GREGORIAN:
        raise reader.fail(
            timetype,
            "timetype",
            f"{quoted(timetype.text.strip())} is not the Gregorian calendar; "
            "only gregoriantime timelines can be imported",
        )
    document = Document(path=path)
    colours = _read_categories(reader, document, reader.required(root, "categories"))
    eras = root.child("eras")
    if eras is not None:
        _read_eras(reader, document, eras)
    _read_events(reader, document, reader.required(root, "events"), colours, category, progress)
    return document


def _read_categories(reader: _Reader, document: Document, parent: _Element) -> set[str]:
    """The file's categories, each parent before its children as the app writes them."""
    names: set[str] = set()
    for element in parent.all("category"):
        name = reader.name(reader.required(element, "name", "categories.name"), "categories.name")
        if name in names:
            continue  # the app itself keeps the first of two categories of one name
        colour = reader.colour(
            reader.required(element, "color", "categories.color"), "categories.color"
        )
        parent_element = element.child("parent")
        parent_name = None
        if parent_element is not None and parent_element.text.strip():
            parent_name = reader.name(parent_element, "categories.parent")
            if parent_name not in names:
                raise reader.fail(
                    parent_element,
                    "categories.parent",
                    f"{quoted(parent_name)} is not a category named before it",
                )
        names.add(name)
        document.categories.append(CategoryItem(name, colour, parent_name, row=element.line))
    return names


def _read_eras(reader: _Reader, document: Document, parent: _Element) -> None:
    seen: dict[str, int] = {}
    for element in parent.all("era"):
        name = reader.name(reader.required(element, "name", "eras.name"), "eras.name")
        start_element = reader.required(element, "start", "eras.start")
        end_element = reader.required(element, "end", "eras.end")
        start = reader.time(start_element, "eras.start")
        end = reader.time(end_element, "eras.end")
        colour = reader.colour(reader.required(element, "color", "eras.color"), "eras.color")
        start_text, end_text = span_texts(
            start.civil, end.civil, ends_today=reader.flag(element, "ends_today")
        )
        try:
            check_span(start_text, end_text)
        except ValidationError as error:
            raise reader.fail(element, f"eras.{error.field}", error.message) from error
        key = f"thetimeline-era:{name}\n{start.written}\n{end.written}"
        era_id = _numbered_id(key, seen)
        document.eras.append(EraItem(era_id, name, start_text, end_text, colour))


def _numbered_id(key: str, seen: dict[str, int]) -> str:
    """A stable id for `key`; the second of two equal keys gets `#2` added, and so on."""
    count = seen.get(key, 0) + 1
    seen[key] = count
    return stable_id(key if count == 1 else f"{key}\n#{count}")


@dataclass(frozen=True, slots=True)
class _Title:
    text: str
    container: int | None = None
    """The id of the container this text names (`[id]name`)."""
    subevent_of: int | None = None
    """The id of the container of a subevent (`(id)text`)."""


def _split_title(text: str) -> _Title:
    """The app's own markers: `[id]` opens a container's text, `(id)` a subevent's, and a
    plain text that starts with `(` or `[` is written with a space in front."""
    container = _CONTAINER.fullmatch(text)
    if container is not None:
        return _Title(container.group(2), container=int(container.group(1)))
    subevent = _SUBEVENT.fullmatch(text)
    if subevent is not None:
        return _Title(subevent.group(2), subevent_of=int(subevent.group(1)))
    if text[:2] in (" (", " ["):
        return _Title(text[1:])
    return _Title(text)


def _links(text: str) -> tuple[list[str], list[str]]:
    """A `<hyperlink>`'s URLs split into http(s) ones and others."""
    web: list[str] = []
    other: list[str] = []
    for part in text.split(";"):
        link = part.strip()
        if link:
            (web if _HTTP.match(link) else other).append(link)
    return web, other


def _read_events(
    reader: _Reader,
    document: Document,
    parent: _Element,
    categories: set[str],
    default_category: str,
    progress: Progress | None,
) -> None:
    elements = list(parent.all("event"))
    containers: dict[int, str] = {}
    for element in elements:
        text = reader.required(element, "text")
        title = _split_title(text.text)
        if title.container is not None:
            containers[title.container] = title.text.strip()
    tick = report_every(progress, len(elements))
    tick(0)
    seen: dict[str, int] = {}
    uses_default = False
    for done, element in enumerate(elements, 1):
        tick(done)
        title = _split_title(reader.required(element, "text").text)
        if title.container is not None:
            continue
        item, default_used = _read_event(
            reader, element, title, containers, categories, default_category, seen
        )
        uses_default = uses_default or default_used
        document.events.append(item)
        for tag in item.draft.tags:
            if tag not in document.tags:
                document.tags.append(tag)
    if uses_default and default_category not in categories:
        document.categories.append(CategoryItem(default_category))
    check_unique_ids(document)


def _read_event(
    reader: _Reader,
    element: _Element,
    title: _Title,
    containers: dict[int, str],
    categories: set[str],
    default_category: str,
    seen: dict[str, int],
) -> tuple[EventItem, bool]:
    """One event and whether it took the default category."""
    start_element = reader.required(element, "start")
    end_element = reader.required(element, "end")
    start = reader.time(start_element, "start")
    end = reader.time(end_element, "end")
    if end.civil.seconds < start.civil.seconds:
        raise reader.fail(
            end_element, "end", f"{quoted(end.written)} is before the start {quoted(start.written)}"
        )
    fuzzy = reader.flag(element, "fuzzy")
    milestone = reader.flag(element, "milestone")
    start_text, end_text = span_texts(
        start.civil,
        start.civil if milestone else end.civil,
        fuzzy_start=fuzzy or reader.flag(element, "fuzzy_start"),
        fuzzy_end=fuzzy or reader.flag(element, "fuzzy_end"),
        ends_today=reader.flag(element, "ends_today") and not milestone,
    )
    named = list(
        dict.fromkeys(
            category.text.strip()
            for category in (element.child("category"), *_extra_categories(element))
            if category is not None and category.text.strip()
        )
    )
    for name in named:
        if name not in categories:
            raise reader.fail(
                element, "category", f"{quoted(name)} is not among the file's categories"
            )
    tags: list[str] = []
    if title.subevent_of is not None:
        if title.subevent_of not in containers:
            raise reader.fail(
                element,
                "text",
                f"names container {title.subevent_of}, which the file does not have",
            )
        if containers[title.subevent_of]:
            tags.append(containers[title.subevent_of])
    tags.extend(named[1:])
    labels = element.child("labels")
    if labels is not None:
        tags.extend(labels.text.split())
    description = element.child("description")
    description_text = description.text if description is not None else ""
    sources: list[SourceRef] = []
    hyperlink = element.child("hyperlink")
    if hyperlink is not None:
        web, other = _links(hyperlink.text)
        sources = [SourceRef(url[:TITLE_MAX], url) for url in dict.fromkeys(web)]
        if other:
            lines = "\n".join(f"Link: {link}" for link in other)
            description_text = f"{description_text.rstrip()}\n\n{lines}".lstrip("\n")
    key = f"thetimeline:{title.text}\n{start.written}\n{end.written}"
    draft = EventDraft(
        title=title.text,
        start=start_text,
        end=end_text,
        category=named[0] if named else default_category,
        description=description_text,
        tags=tuple(tags),
        sources=tuple(sources),
    )
    return check_event(reader.path, element.line, _numbered_id(key, seen), draft), not named


def _extra_categories(element: _Element) -> Iterator[_Element]:
    listed = element.child("categories")
    return listed.all("category") if listed is not None else iter(())


# Export


def _time_string(time: CivilTime) -> str:
    """A time as the app writes it: `2013-03-30 11:16:00`; a year before 1 with a minus."""
    return (
        f"{time.year}-{time.month:02d}-{time.day:02d} "
        f"{time.hour:02d}:{time.minute:02d}:{time.second:02d}"
    )


def _bound_times(
    label: str, start: str, end: str | None, lower: int, upper: int
) -> tuple[CivilTime, CivilTime, bool]:
    """The written start and end of a stored span, and whether it ends today (open end).

    A text with a time of day keeps its clock time; a date without one becomes whole days
    from the span's bounds (the end being the last day, at 00:00:00).
    """
    open_end = end is not None and end.strip() == OPEN_END
    start_time = parse_time_text(start) or day_of(lower)
    if end is None or open_end:
        last = parse_time_text(start) or day_of(max(lower, upper - 1))
        return start_time, (start_time if open_end else last), open_end
    end_time = parse_time_text(end) or day_of(max(lower, upper - 1))
    if end_time.seconds < start_time.seconds:
        raise TimelineError(f"{label}: its end is written before its start")
    return start_time, end_time, False


def _qualified(text: str | None) -> bool:
    return text is not None and text.strip()[-1:] in QUALIFIERS


def _tag(indent: int, name: str, value: str) -> str:
    return f"{' ' * indent}<{name}>{escape(value)}</{name}>\n"


def _colour_string(colour: str) -> str:
    value = colour.lstrip("#")
    return ",".join(str(int(value[index : index + 2], 16)) for index in (0, 2, 4))


def _escaped_title(title: str) -> str:
    """The app reads `[` and `(` at the start as container markers: it adds a space."""
    return f" {title}" if title[:1] in ("[", "(") else title


def _event_xml(record: EventRecord) -> str:
    label = f"event {record.id} {quoted(record.title)}"
    start, end, ends_today = _bound_times(
        label, record.start, record.end, record.lower, record.upper
    )
    fuzzy_start = _qualified(record.start)
    fuzzy_end = _qualified(record.end) if record.end is not None else fuzzy_start
    parts = [
        "    <event>\n",
        _tag(6, "start", _time_string(start)),
        _tag(6, "end", _time_string(end)),
        _tag(6, "text", _escaped_title(record.title)),
        _tag(6, "fuzzy", str(fuzzy_start and fuzzy_end)),
        _tag(6, "fuzzy_start", str(fuzzy_start)),
        _tag(6, "fuzzy_end", str(fuzzy_end)),
        _tag(6, "locked", "False"),
        _tag(6, "ends_today", str(ends_today)),
        _tag(6, "category", record.category),
    ]
    if record.description:
        parts.append(_tag(6, "description", record.description))
    if record.tags:
        parts.append(_tag(6, "labels", " ".join("_".join(tag.split()) for tag in record.tags)))
    links = ";".join(ref.url.replace(";", "%3B") for ref in record.sources if ref.url)
    if links:
        parts.append(_tag(6, "hyperlink", links))
    parts.append("    </event>\n")
    return "".join(parts)


def dump(catalog: Catalog, *, progress: Progress | None = None) -> bytes:
    """Every event, category and era as a `.timeline` file of version `EXPORT_VERSION`."""
    records = catalog.events()
    tick = report_every(progress, len(records))
    tick(0)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        "<timeline>\n",
        _tag(2, "version", EXPORT_VERSION),
        _tag(2, "timetype", GREGORIAN),
    ]
    eras = catalog.eras()
    if eras:
        parts.append("  <eras>\n")
        for era in eras:
            start, end, ends_today = _bound_times(
                f"era {quoted(era.name)}", era.start, era.end, era.lower, era.upper
            )
            parts += [
                "    <era>\n",
                _tag(6, "name", era.name),
                _tag(6, "start", _time_string(start)),
                _tag(6, "end", _time_string(end)),
                _tag(6, "color", _colour_string(era.colour)),
                _tag(6, "ends_today", str(ends_today)),
                "    </era>\n",
            ]
        parts.append("  </eras>\n")
    parts.append("  <categories>\n")
    for category in _parents_first(catalog):
        parts += [
            "    <category>\n",
            _tag(6, "name", category.name),
            _tag(6, "color", _colour_string(category.colour)),
            _tag(6, "font_color", "0,0,0"),
        ]
        if category.parent:
            parts.append(_tag(6, "parent", category.parent))
        parts.append("    </category>\n")
    parts.append("  </categories>\n  <events>\n")
    for done, record in enumerate(records, 1):
        parts.append(_event_xml(record))
        tick(done)
    parts.append("  </events>\n  <view>\n    <hidden_categories>\n    </hidden_categories>\n")
    parts.append("  </view>\n</timeline>\n")
    return "".join(parts).encode("utf-8")


def _parents_first(catalog: Catalog) -> list:
    """Categories in their order, each parent moved before its children: the app reads a
    parent only when it knows it already."""
    categories = catalog.categories()
    by_name = {category.name: category for category in categories}
    ordered: list = []
    placed: set[str] = set()

    def place(category, chain: tuple[str, ...] = ()) -> None:
        if category.name in placed or category.name in chain:
            return
        parent = by_name.get(category.parent) if category.parent else None
        if parent is not None:
            place(parent, (*chain, category.name))
        placed.add(category.name)
        ordered.append(category)

    for category in categories:
        place(category)
    return ordered
