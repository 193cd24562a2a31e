"""TimelineJS 3: its JSON (`{"title": …, "events": […], "eras": […]}`) and the columns of its
Google-spreadsheet template (Year, Month, Day, Time, …, Headline, Text, Media, …, Type,
Group), read from CSV here and from a spreadsheet by `events_from_template_rows`.

Mapping: a slide's `start_date`/`end_date` ({year, month, day, hour, minute, second}) is an
EDTF date at the precision of the parts given; headline and text are HTML, kept as plain text;
`group` is the category (slides without one go to `default_category`); `unique_id` is the
event's id; a media URL (http or https) with its caption and credit is kept as the event's
source, and a credit without such a URL (an embed code, a file name, no media) as a source
without a URL (the caption or the credit its title, the credit its publisher); the title
slide's headline is the document's title; eras are eras. An export writes the first source
that has a URL as the slide's media (TimelineJS needs one); sources without are not written.

Years: TimelineJS shows a negative year -N as "N BCE", so -44 is 44 BCE, which EDTF (with
astronomical years) writes `-0043`; year 0 does not exist in that count and is refused.
A date's `display_date` (or, in the template, the row's Display Date when the row has no
end date) is used when it reads as a date that starts where the numbers do and is at most as
precise ("c. 1500", "1990s", "2015?"); otherwise it is ignored (TimelineJS only shows it).
An open end (`..`) is not written: a slide has an end date or none.

ROW in messages: the slide's 1-based position in `events` (or in `eras`) for JSON, the line
for CSV, the spreadsheet row for the template reader.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from timeline_app.domain.dates import (
    Precision,
    describe_date,
    parse_date,
    read_user_date,
    utc_time,
)
from timeline_app.domain.errors import DateError, ImportFileError, ValidationError, quoted
from timeline_app.domain.model import EraRecord, EventDraft, EventRecord, SourceRef, stable_id
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import NAME_MAX, TITLE_MAX, check_span, check_text, check_url
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    ID_MAX,
    CategoryItem,
    Document,
    EraItem,
    EventItem,
    check_event,
    check_id,
)
from timeline_app.services.interchange.edtf_parts import edtf_text, parts_of, read_clock
from timeline_app.services.interchange.html_text import html_of, one_line, plain_text
from timeline_app.services.interchange.json_format import _parse as parse_json
from timeline_app.services.interchange.text_file import decode_text

DEFAULT_CATEGORY = "Uncategorised"
"""The category of slides without a group: every event of the app has one."""
ERA_COLOUR = "#999999"
"""TimelineJS eras have no colour; the app's eras need one."""
TEMPLATE_COLUMNS = (
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
)
DATE_KEYS = ("year", "month", "day", "hour", "minute", "second")
_SNIFF_BYTES = 65_536
_WHOLE = re.compile(r"-?[0-9]+(?:\.0+)?")
"""A whole number as a cell holds it; a spreadsheet saved as CSV may write 2015 as 2015.0."""
_JSON_FIELDS = {
    "title": "text.headline",
    "start": "start_date",
    "end": "end_date",
    "category": "group",
    "description": "text.text",
}
_TEMPLATE_FIELDS = {
    "title": "Headline",
    "start": "Year",
    "end": "End Year",
    "category": "Group",
    "description": "Text",
}


# ---- sniffing ---------------------------------------------------------------------------


def sniff(raw: bytes, name: str) -> bool:
    """True for TimelineJS JSON (an object whose `events` hold `start_date`s) and for a CSV
    whose header has the template's Year and Headline columns."""
    try:
        return _sniff(raw)
    except Exception:  # a sniffer answers, whatever the bytes
        return False


def _sniff(raw: bytes) -> bool:
    head = raw[:_SNIFF_BYTES].decode("utf-8-sig", errors="ignore").lstrip()
    if head.startswith("{"):
        if len(raw) <= _SNIFF_BYTES:
            try:
                data = json.loads(head)
            except ValueError:
                return False
            return _looks_like_timeline(data)
        return '"events"' in head and '"start_date"' in head
    first_line = head.split("\n", 1)[0]
    header = next(csv.reader([first_line]), [])
    names = {cell.strip().lower() for cell in header}
    return "year" in names and "headline" in names


def _looks_like_timeline(data: object) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        return False
    events = data["events"]
    return any(isinstance(event, dict) and "start_date" in event for event in events) or (
        not events and isinstance(data.get("title"), dict)
    )


# ---- the slides of either form ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slide:
    """One event slide as read, before the app's rules see it."""

    row: int
    unique_id: str
    headline: str
    text: str
    group: str
    start: str
    end: str | None
    media_url: str
    media_caption: str
    media_credit: str


class _Reader:
    """Reads a file's values, naming the file's own fields in its messages."""

    def __init__(self, path: str, fields: Mapping[str, str]) -> None:
        self.path = path
        self.fields = fields

    def fail(self, row: int | None, field: str, problem: str) -> ImportFileError:
        return ImportFileError(self.path, row, field, problem)

    def whole(self, value: object, row: int | None, field: str) -> int | None:
        """A whole number written as a number or as text ("2015", "1,500", "-44"); None when
        blank."""
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise self.fail(row, field, f"must be a whole number, not {quoted(value)}")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if value.is_integer():
                return int(value)
            raise self.fail(row, field, f"{quoted(value)} is not a whole number")
        if isinstance(value, str):
            cleaned = re.sub(r"[\s,]", "", value)
            if not cleaned:
                return None
            if _WHOLE.fullmatch(cleaned) and len(cleaned) <= 12:
                return int(cleaned.split(".")[0])
            raise self.fail(row, field, f"{quoted(value)} is not a whole number")
        raise self.fail(row, field, f"must be a whole number, not {type(value).__name__}")

    def text(self, value: object, row: int | None, field: str) -> str:
        """A text field as given (numbers as their digits); "" when absent."""
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            raise self.fail(row, field, f"must be text, not {quoted(value)}")
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else str(value)
        raise self.fail(row, field, f"must be text, not {type(value).__name__}")

    def plain(self, value: object, row: int | None, field: str, *, line: bool = False) -> str:
        markup = self.text(value, row, field)
        try:
            return one_line(field, markup) if line else plain_text(field, markup)
        except ValidationError as error:
            raise self.fail(row, error.field, error.message) from error

    def date(
        self,
        row: int | None,
        field: str,
        parts: Sequence[int | None],
        display: str = "",
    ) -> str:
        """The EDTF text of a TimelineJS date's parts (year first, as TimelineJS counts it)."""
        year = parts[0]
        if year is None:
            raise self.fail(row, f"{field}.year", "is missing")
        if year == 0:
            raise self.fail(row, f"{field}.year", "0 is not a year (TimelineJS counts 1 BCE as -1)")
        astronomical = year + 1 if year < 0 else year
        try:
            text = edtf_text(astronomical, *parts[1:])
        except ValidationError as error:
            problem = error.message
            if error.field == "year":  # said in the file's count, not the astronomical one
                problem = f"{year} is outside the years this app stores (-10000 to 9999)"
            raise self.fail(row, f"{field}.{error.field}", problem) from error
        return _with_display(text, display) if display else text


def _with_display(numeric: str, display: str) -> str:
    """The display text's date when it agrees with the numbers (same start, no finer)."""
    try:
        shown = parse_date(read_user_date(display))
        exact = parse_date(numeric)
    except (DateError, ValueError):
        return numeric
    if shown.lower == exact.lower and shown.upper >= exact.upper:
        return shown.text
    return numeric


def _time_parts(
    reader: _Reader, row: int, field: str, value: object
) -> tuple[int, int, int | None]:
    """A template's Time cell ("11:16", "11:16:05", "1116", "9 PM") as hour, minute, second."""
    if isinstance(value, dt.time):
        return value.hour, value.minute, value.second or None
    try:
        clock = read_clock(reader.text(value, row, field))
    except ValueError as error:
        raise reader.fail(row, field, str(error)) from None
    if clock.zone:
        raise reader.fail(row, field, f"{quoted(value)}: TimelineJS times have no time zone")
    return clock.hour, clock.minute, clock.second


# ---- JSON -------------------------------------------------------------------------------


def read(
    path: str,
    raw: bytes,
    *,
    progress: Progress | None = None,
    default_category: str = DEFAULT_CATEGORY,
) -> Document:
    """Read a TimelineJS JSON file or a CSV of its spreadsheet template (told apart by
    content); validate all of it; raise ImportFileError at the first problem."""
    text = decode_text(path, raw)
    if text.lstrip().startswith(("{", "[")):
        return _read_json(path, text, progress, default_category)
    return _read_template_csv(path, text, progress, default_category)


def _read_json(path: str, text: str, progress: Progress | None, default_category: str) -> Document:
    reader = _Reader(path, _JSON_FIELDS)
    if progress is not None:
        progress(0, 0)
    top = parse_json(path, text)
    if not isinstance(top, dict):
        raise reader.fail(None, "file", f"must be a JSON object, not {type(top).__name__}")
    scale = top.get("scale")
    if scale not in (None, "", "human"):
        raise reader.fail(
            None, "scale", f"{quoted(scale)} is not supported; this app reads the human scale"
        )
    events = top.get("events")
    if not isinstance(events, list):
        raise reader.fail(None, "events", "must be a list of slides")
    title = ""
    if top.get("title") is not None:
        title_slide = _object(reader, top["title"], None, "title")
        title_text = _object(reader, title_slide.get("text"), None, "title.text", optional=True)
        title = reader.plain(title_text.get("headline"), None, "title.text.headline", line=True)
    slides = []
    tick = report_every(progress, len(events))
    tick(0)
    for row, value in enumerate(events, 1):
        slides.append(_json_slide(reader, row, value))
        tick(row)
    eras = [
        _json_era(reader, row, value)
        for row, value in enumerate(_list(reader, top.get("eras"), "eras"), 1)
    ]
    return _document(reader, title, slides, eras, default_category)


def _object(
    reader: _Reader, value: object, row: int | None, field: str, *, optional: bool = False
) -> dict:
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        raise reader.fail(row, field, f"must be an object, not {quoted(value)}")
    return value


def _list(reader: _Reader, value: object, field: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise reader.fail(None, field, f"must be a list, not {type(value).__name__}")
    return value


def _json_date(reader: _Reader, row: int, field: str, value: object) -> str | None:
    """The EDTF of a date object; None for an end date left blank (`{"year": ""}`)."""
    date = _object(reader, value, row, field)
    parts = [reader.whole(date.get(key), row, f"{field}.{key}") for key in DATE_KEYS]
    if field.endswith("end_date") and all(part is None for part in parts):
        return None
    display = reader.text(date.get("display_date"), row, f"{field}.display_date")
    return reader.date(row, field, parts, display)


def _json_slide(reader: _Reader, row: int, value: object) -> _Slide:
    slide = _object(reader, value, row, "events")
    if "start_date" not in slide:
        raise reader.fail(row, "start_date", "is missing")
    start = _json_date(reader, row, "start_date", slide["start_date"]) or ""
    end = None
    if slide.get("end_date") is not None:
        end = _json_date(reader, row, "end_date", slide["end_date"])
    text = _object(reader, slide.get("text"), row, "text", optional=True)
    media = _object(reader, slide.get("media"), row, "media", optional=True)
    return _Slide(
        row,
        reader.text(slide.get("unique_id"), row, "unique_id").strip(),
        reader.plain(text.get("headline"), row, "text.headline", line=True),
        reader.plain(text.get("text"), row, "text.text"),
        reader.plain(slide.get("group"), row, "group", line=True),
        start,
        None if end == start else end,
        reader.text(media.get("url"), row, "media.url").strip(),
        reader.plain(media.get("caption"), row, "media.caption", line=True),
        reader.plain(media.get("credit"), row, "media.credit", line=True),
    )


def _json_era(reader: _Reader, row: int, value: object) -> EraItem:
    era = _object(reader, value, row, "eras")
    if "start_date" not in era:
        raise reader.fail(row, "eras.start_date", "is missing")
    start = _json_date(reader, row, "eras.start_date", era["start_date"]) or ""
    end = None
    if era.get("end_date") is not None:
        end = _json_date(reader, row, "eras.end_date", era["end_date"])
    text = _object(reader, era.get("text"), row, "eras.text", optional=True)
    name = reader.plain(text.get("headline"), row, "eras.text.headline", line=True)
    unique_id = reader.text(era.get("unique_id"), row, "eras.unique_id").strip()
    return _era(reader, row, "eras.", unique_id, name, start, end)


def _era(
    reader: _Reader,
    row: int,
    prefix: str,
    unique_id: str,
    name: str,
    start: str,
    end: str | None,
) -> EraItem:
    field_of = {"name": f"{prefix}text.headline", "start": f"{prefix}start_date"}
    try:
        clean = check_text("name", name, limit=NAME_MAX)
        span = check_span(start, None if end == start else end)
    except ValidationError as error:
        field = field_of.get(error.field, f"{prefix}end_date")
        raise reader.fail(row, field, error.message) from error
    era_id = _event_id(reader, row, f"{prefix}unique_id", unique_id) or stable_id(
        f"timelinejs:era:{clean}\n{start}"
    )
    return EraItem(era_id, clean, span.start.text, span.end.text if span.end else None, ERA_COLOUR)


def _event_id(reader: _Reader, row: int, field: str, unique_id: str) -> str:
    """The file's id, or one derived from it when it is longer than the database holds (a
    slug made from a long headline); "" when the file has none."""
    if not unique_id:
        return ""
    if len(unique_id) > ID_MAX:
        return stable_id(f"timelinejs:id:{unique_id}")
    return check_id(reader.path, row, field, unique_id)


# ---- the spreadsheet template -----------------------------------------------------------


def _read_template_csv(
    path: str, text: str, progress: Progress | None, default_category: str
) -> Document:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    numbers: list[int] = []
    try:
        header = next(reader)
        line = reader.line_num
        for cells in reader:
            numbers.append(line + 1)
            rows.append(cells)
            line = reader.line_num
    except StopIteration:
        raise ImportFileError(path, 1, "header", "is missing") from None
    except csv.Error as error:
        raise ImportFileError(path, reader.line_num, "row", str(error)) from error
    return events_from_template_rows(
        path,
        header,
        rows,
        row_numbers=numbers,
        progress=progress,
        default_category=default_category,
    )


def events_from_template_rows(
    path: str,
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    row_numbers: Sequence[int] | None = None,
    progress: Progress | None = None,
    default_category: str = DEFAULT_CATEGORY,
) -> Document:
    """The document of a TimelineJS spreadsheet's cells: `header` is its first row, `rows`
    the others (text, numbers, or `datetime.time` in the time columns, as a spreadsheet
    reader gives them). `row_numbers` names each row in messages (default: 2, 3, …).

    A row of Type "title" gives the title, "era" an era, any other an event; blank rows are
    skipped; columns the template does not know are ignored.
    """
    reader = _Reader(path, _TEMPLATE_FIELDS)
    names = [str(name).strip().lower() if name is not None else "" for name in header]
    position: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in position and name:
            raise reader.fail(1, str(header[index]).strip(), "names a column twice")
        position[name] = index
    if "year" not in position:
        raise reader.fail(1, "Year", "column is missing (the template's first column)")
    row_list = list(rows)
    title = ""
    slides: list[_Slide] = []
    eras: list[EraItem] = []
    tick = report_every(progress, len(row_list))
    tick(0)
    for index, cells in enumerate(row_list):
        row = row_numbers[index] if row_numbers is not None else index + 2
        tick(index + 1)

        def cell(column: str, cells: Sequence[object] = cells) -> object:
            at = position.get(column.lower())
            if at is None or at >= len(cells):
                return None
            value = cells[at]
            return value.strip() if isinstance(value, str) else value

        if all(value is None or (isinstance(value, str) and not value.strip()) for value in cells):
            continue
        kind = reader.text(cell("Type"), row, "Type").strip().lower()
        headline = reader.plain(cell("Headline"), row, "Headline", line=True)
        if kind == "title" and not title:
            title = headline
            continue
        start = _template_date(reader, row, "", cell)
        end = None
        if cell("End Year") not in (None, ""):
            end = _template_date(reader, row, "End ", cell)
        elif any(cell(f"End {part}") not in (None, "") for part in ("Month", "Day", "Time")):
            raise reader.fail(row, "End Year", "is empty while another end column is filled")
        display = reader.text(cell("Display Date"), row, "Display Date").strip()
        if display and end is None:
            start = _with_display(start, display)
        if kind == "era":
            eras.append(_era(reader, row, "", "", headline, start, end))
            continue
        slides.append(
            _Slide(
                row,
                "",
                headline,
                reader.plain(cell("Text"), row, "Text"),
                reader.plain(cell("Group") or cell("Tag"), row, "Group", line=True),
                start,
                None if end == start else end,
                reader.text(cell("Media"), row, "Media").strip(),
                reader.plain(cell("Media Caption"), row, "Media Caption", line=True),
                reader.plain(cell("Media Credit"), row, "Media Credit", line=True),
            )
        )
    return _document(reader, title, slides, eras, default_category)


def _template_date(reader: _Reader, row: int, prefix: str, cell: Callable[[str], object]) -> str:
    parts: list[int | None] = [
        reader.whole(cell(f"{prefix}{name}"), row, f"{prefix}{name}")
        for name in ("Year", "Month", "Day")
    ]
    if parts[0] is None:
        raise reader.fail(row, f"{prefix}Year", "is empty")
    time_cell = cell(f"{prefix}Time")
    if time_cell not in (None, ""):
        parts.extend(_time_parts(reader, row, f"{prefix}Time", time_cell))
    field = f"{prefix}Year"
    try:
        return reader.date(row, "", parts)
    except ImportFileError as error:
        part = error.field.lstrip(".")
        column = f"{prefix}{part.capitalize()}" if part in ("month", "day") else field
        if part in ("hour", "minute", "second"):
            column = f"{prefix}Time"
        raise reader.fail(row, column, error.message) from error


# ---- the document -----------------------------------------------------------------------


def _document(
    reader: _Reader,
    title: str,
    slides: list[_Slide],
    eras: list[EraItem],
    default_category: str,
) -> Document:
    document = Document(path=reader.path, title=title)
    categories: dict[str, None] = {}
    seen: dict[str, int] = {}
    for slide in slides:
        item = _event(reader, slide, default_category)
        if item.id in seen:
            first = seen[item.id]
            if slide.unique_id:
                raise reader.fail(
                    slide.row,
                    "unique_id",
                    f"{quoted(slide.unique_id)} is used again (first at row {first})",
                )
            if reader.fields is _JSON_FIELDS:
                raise reader.fail(
                    slide.row,
                    "unique_id",
                    f"missing, and the headline and dates repeat row {first}'s; give one a "
                    "unique_id",
                )
            raise reader.fail(
                slide.row, "Headline", f"and the dates repeat row {first}'s: the same event twice"
            )
        seen[item.id] = slide.row
        document.events.append(item)
        categories[item.draft.category] = None
    era_rows: dict[str, EraItem] = {}
    for era in eras:
        if era.id not in era_rows:
            era_rows[era.id] = era
    document.eras = list(era_rows.values())
    document.categories = [CategoryItem(name) for name in categories]
    return document


def _title_of(reader: _Reader, slide: _Slide) -> str:
    """The headline, or for a slide without one its text's first line, or its caption."""
    if slide.headline:
        return slide.headline
    for candidate in (slide.text.strip().split("\n", 1)[0].strip(), slide.media_caption):
        if candidate:
            return _shortened(candidate, TITLE_MAX)
    raise reader.fail(
        slide.row,
        reader.fields["title"],
        "is empty, and the slide has no text or caption to take a title from",
    )


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _source(slide: _Slide) -> tuple[SourceRef, ...]:
    """The slide's media as a source: with its URL when that is a web address (embed code, a
    file name or a map query is not a source the app can open), else, when the media has a
    credit, as a source without a URL named by it."""
    url = ""
    if slide.media_url:
        try:
            url = check_url("url", slide.media_url)
        except ValidationError:
            url = ""
    if not url and not slide.media_credit:
        return ()
    title = slide.media_caption or slide.media_credit or url
    return (SourceRef(_shortened(title, TITLE_MAX), url, _shortened(slide.media_credit, NAME_MAX)),)


def _event(reader: _Reader, slide: _Slide, default_category: str) -> EventItem:
    title = _title_of(reader, slide)
    event_id = _event_id(reader, slide.row, "unique_id", slide.unique_id) or stable_id(
        f"timelinejs:{slide.start}\n{slide.end or ''}\n{title}"
    )
    draft = EventDraft(
        title=title,
        start=slide.start,
        end=slide.end,
        category=slide.group or default_category,
        description=slide.text,
        sources=_source(slide),
    )
    try:
        return check_event(reader.path, slide.row, event_id, draft)
    except ImportFileError as error:
        field = reader.fields.get(error.field, error.field)
        if error.field.startswith("sources["):
            field = "media" if reader.fields is _JSON_FIELDS else "Media"
        raise reader.fail(slide.row, field, error.message) from error


# ---- export -----------------------------------------------------------------------------


def date_object(text: str) -> dict[str, Any]:
    """A TimelineJS date object for an EDTF date: the parts its precision gives, and a
    `display_date` where the numbers alone would say more or less than the date (a
    qualifier, a decade, a season)."""
    parts = parts_of(text)
    if parts is not None:
        date: dict[str, Any] = {"year": _timelinejs_year(parts.year)}
        for key in ("month", "day", "hour", "minute", "second"):
            value = getattr(parts, key)
            if value is not None:
                date[key] = value
        if parts.qualifier:
            date["display_date"] = _display(text)
        return date
    return _approximate_object(text)


def _approximate_object(text: str) -> dict[str, Any]:
    """A season, a decade, a set of years…: its first day at the precision it has, shown as
    the date's own words."""
    try:
        parsed = parse_date(text)
    except (DateError, ValueError):
        year = re.search(r"-?[0-9]{4}", text)
        return {"year": _timelinejs_year(int(year.group())) if year else 1, "display_date": text}
    first = utc_time(parsed.lower)
    date: dict[str, Any] = {"year": _timelinejs_year(first.year)}
    if parsed.precision in (Precision.DAY, Precision.MONTH, Precision.SEASON):
        date["month"] = first.month
    if parsed.precision is Precision.DAY:
        date["day"] = first.day
    date["display_date"] = _display(text)
    return date


def _timelinejs_year(year: int) -> int:
    """An astronomical year in TimelineJS's count, which has no year 0: -43 is -44 (44 BCE)."""
    return year - 1 if year <= 0 else year


def _display(text: str) -> str:
    """How a reader would write the date, when it reads back to the same EDTF; else the EDTF."""
    try:
        words = describe_date(parse_date(text))
        if read_user_date(words) == text:
            return words
    except (DateError, ValueError, OverflowError, OSError):
        pass
    return text


def _slide(record: EventRecord) -> dict[str, Any]:
    slide: dict[str, Any] = {
        "unique_id": record.id,
        "start_date": date_object(record.start),
    }
    if record.end and record.end != "..":
        slide["end_date"] = date_object(record.end)
    slide["text"] = {"headline": html_of(record.title), "text": html_of(record.description)}
    slide["group"] = html_of(record.category)  # TimelineJS shows the group as markup's text
    first = next((ref for ref in record.sources if ref.url), None)
    if first is not None:  # a slide's media needs a URL
        slide["media"] = {
            "url": first.url,
            "caption": html_of(first.title),
            "credit": html_of(first.publisher),
        }
    return slide


def _era_object(era: EraRecord) -> dict[str, Any]:
    return {
        "unique_id": era.id,
        "start_date": date_object(era.start),
        "end_date": date_object(era.end or era.start),
        "text": {"headline": html_of(era.name)},
    }


def export_timeline(
    catalog: Catalog, *, progress: Progress | None = None, title: str = ""
) -> dict[str, Any]:
    """Every event as a TimelineJS 3 document; a title slide when `title` is given."""
    records = catalog.events()
    tick = report_every(progress, len(records))
    tick(0)
    data: dict[str, Any] = {}
    if title.strip():
        data["title"] = {"text": {"headline": html_of(title.strip()), "text": ""}}
    events = []
    for done, record in enumerate(records, 1):
        events.append(_slide(record))
        tick(done)
    data["events"] = events
    eras = [_era_object(era) for era in catalog.eras()]
    if eras:
        data["eras"] = eras
    return data


def dump(catalog: Catalog, *, progress: Progress | None = None, title: str = "") -> bytes:
    """Every event as TimelineJS 3 JSON, UTF-8."""
    data = export_timeline(catalog, progress=progress, title=title)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def edtf_of_date_object(date: Mapping[str, object]) -> str:
    """The EDTF text of one TimelineJS date object ({"year": -44, "month": 3, …}); raises
    ValidationError naming the part at fault."""
    reader = _Reader("", _JSON_FIELDS)
    try:
        return _json_date(reader, 1, "date", dict(date)) or ""
    except ImportFileError as error:
        raise ValidationError(error.field, error.message) from error


def edtf_of_template_cells(
    year: object, month: object = None, day: object = None, time: object = None
) -> str:
    """The EDTF text of a template row's Year, Month, Day and Time cells; raises
    ValidationError naming the column at fault."""
    cells = {"Year": year, "Month": month, "Day": day, "Time": time}
    reader = _Reader("", _TEMPLATE_FIELDS)
    try:
        return _template_date(reader, 1, "", cells.get)
    except ImportFileError as error:
        raise ValidationError(error.field, error.message) from error
