"""vis-timeline data: a bare array of items, or `{"items": […], "groups": […]}`.

Mapping: an item's `content` (HTML) is the event's title and its `title` (the tooltip, HTML)
the description, both kept as plain text; `group` names the category (a group's `content` is
the category's name, `nestedGroups` its children, `order` its sort order, a `#RRGGBB` in its
`style` its colour); items without a group go to `default_category`; items of type
`background` are eras. `className`, `style`, `subgroup` and the rest are display settings the
app does not keep.

Dates: ISO text at any precision (`2014`, `2014-04`, `2014-04-20`, `2014-04-20T10:00:00Z`) or
a number of milliseconds since 1970 (UTC). vis-timeline ends a range at the instant `end`, so
an end given as a whole day, month or year is the first unit after the range: `end:
"2014-04-19"` closes a range on 18 April, and the writer writes the day after the last one.
Years before 1 are written with six digits and a sign (`-000055-03-15`), as ISO expands them;
an open end (`..`) is not written: the item becomes a box at its start.

ROW in messages: the 1-based position of the item in its list (of a group: in `groups`).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from timeline_app.domain.dates import (
    MAX_YEAR,
    MIN_YEAR,
    Precision,
    days_in_month,
    parse_date,
    utc_seconds,
    utc_time,
)
from timeline_app.domain.errors import DateError, ImportFileError, ValidationError, quoted
from timeline_app.domain.model import (
    CategoryRecord,
    EraRecord,
    EventDraft,
    EventRecord,
    stable_id,
)
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import NAME_MAX, check_span, check_text
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    CategoryItem,
    Document,
    EraItem,
    EventItem,
    check_event,
    check_id,
)
from timeline_app.services.interchange.edtf_parts import (
    DateParts,
    check_civil,
    edtf_text,
    parts_of,
    zone_offset,
)
from timeline_app.services.interchange.html_text import html_of, one_line, plain_text
from timeline_app.services.interchange.json_format import _parse as parse_json
from timeline_app.services.interchange.text_file import decode_text

DEFAULT_CATEGORY = "Uncategorised"
"""The category of items without a group: every event of the app has one."""
ERA_COLOUR = "#999999"
ITEM_TYPES = ("box", "point", "range", "background")
_SNIFF_BYTES = 65_536
_ISO = re.compile(
    r"([+-][0-9]{6}|-?[0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?\s*(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?"
)
_COLOUR = re.compile(r"#([0-9A-Fa-f]{6})(?:[0-9A-Fa-f]{2})?(?![0-9A-Fa-f])")
_FIELDS = {
    "title": "content",
    "start": "start",
    "end": "end",
    "category": "group",
    "description": "title",
}


def sniff(raw: bytes, name: str) -> bool:
    """True for an array of items (objects with `start` and `content`), bare or under
    `items`."""
    try:
        return _sniff(raw)
    except Exception:  # a sniffer answers, whatever the bytes
        return False


def _sniff(raw: bytes) -> bool:
    head = raw[:_SNIFF_BYTES].decode("utf-8-sig", errors="ignore").lstrip()
    if not head.startswith(("[", "{")):
        return False
    if len(raw) > _SNIFF_BYTES:
        keys = ('"start"', '"content"') + (('"items"',) if head.startswith("{") else ())
        return all(key in head for key in keys) and '"start_date"' not in head
    data = json.loads(head)
    items = data.get("items") if isinstance(data, dict) else data
    return (
        isinstance(items, list)
        and bool(items)
        and all(isinstance(item, dict) and "start" in item and "content" in item for item in items)
    )


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, row: int | None, field: str, problem: str) -> ImportFileError:
        return ImportFileError(self.path, row, field, problem)

    def text(self, value: object, row: int, field: str) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise self.fail(row, field, f"must be text, not {quoted(value)}")

    def plain(self, value: object, row: int, field: str, *, line: bool = False) -> str:
        markup = self.text(value, row, field)
        try:
            return one_line(field, markup) if line else plain_text(field, markup)
        except ValidationError as error:
            raise self.fail(row, error.field, error.message) from error

    def key(self, value: object, row: int, field: str) -> str | None:
        """An id or a group reference: text or a whole number, as text; None when absent."""
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(row, field, f"must be text or a number, not {quoted(value)}")
        if isinstance(value, float):
            if not value.is_integer():
                return repr(value)
            value = int(value)
        return str(value).strip() or None


# ---- dates ------------------------------------------------------------------------------


def edtf_of_value(value: object, *, end: bool = False, start: str = "") -> str:
    """The EDTF text of a vis-timeline date (ISO text or milliseconds since 1970), at the
    precision it is written with; an `end` given as a whole unit is the unit before it
    (vis-timeline ends ranges at the instant given), at least as fine as its `start`
    (June 2013 to "2014" ends in December 2013). Raises ValidationError("date", …)."""
    if isinstance(value, bool) or value is None:
        raise ValidationError("date", f"{quoted(value)} is not a date")
    if isinstance(value, (int, float)):
        return _edtf_of_milliseconds(value, end=end)
    if not isinstance(value, str):
        raise ValidationError("date", f"must be ISO text or a number, not {quoted(value)}")
    text = value.strip()
    match = _ISO.fullmatch(text)
    if match is None:
        if text.lstrip("-").isdigit() and len(text) > 6:
            return _edtf_of_milliseconds(int(text), end=end)
        raise ValidationError(
            "date", f"{quoted(value)} is not an ISO date (2014, 2014-04, 2014-04-20T10:00)"
        )
    year_part, month, day, hour, minute, second, zone = match.groups()
    year = int(year_part)
    numbers = [int(part) if part is not None else None for part in (month, day, hour, minute)]
    seconds = int(second) if second is not None else None
    if zone and zone != "Z":
        return _utc_text(text, year, numbers, seconds, zone)
    parts = DateParts(year, numbers[0], numbers[1], numbers[2], numbers[3], seconds, zone or "")
    if end and parts.hour is None:
        parts = _unit_before(_as_fine_as(parts, parts_of(start)))
    return _text(parts)


def _as_fine_as(parts: DateParts, other: DateParts | None) -> DateParts:
    """`parts` written down to the month or day when `other` has them (`2014` → `2014-01`)."""
    if other is None:
        return parts
    month = parts.month if parts.month is not None or other.month is None else 1
    day = parts.day if parts.day is not None or other.day is None or month is None else 1
    return DateParts(parts.year, month, day)


def _text(parts: DateParts) -> str:
    return edtf_text(
        parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second, parts.zone
    )


def _utc_text(
    text: str, year: int, numbers: list[int | None], second: int | None, zone: str
) -> str:
    """A local time with an offset, as the same instant in UTC."""
    month, day, hour, minute = numbers[0] or 1, numbers[1] or 1, numbers[2] or 0, numbers[3] or 0
    problem = check_civil(year, month, day, hour, minute, second or 0)
    if problem is not None:
        raise ValidationError("date", f"{quoted(text)}: {problem}")
    utc = utc_time(utc_seconds(year, month, day, hour, minute, second or 0) - zone_offset(zone))
    return edtf_text(
        utc.year,
        utc.month,
        utc.day,
        utc.hour,
        utc.minute,
        None if second is None else utc.second,
        "Z",
    )


_MILLISECONDS_MIN = utc_seconds(MIN_YEAR) * 1000
_MILLISECONDS_MAX = utc_seconds(MAX_YEAR + 1) * 1000


def _edtf_of_milliseconds(value: float, *, end: bool) -> str:
    if not math.isfinite(value) or not _MILLISECONDS_MIN <= value < _MILLISECONDS_MAX:
        raise ValidationError("date", f"{value} ms is outside the years {MIN_YEAR} to {MAX_YEAR}")
    instant = utc_time(value / 1000 if isinstance(value, float) else value // 1000)
    if value % 86_400_000 == 0:
        parts = DateParts(instant.year, instant.month, instant.day)
        return _text(_unit_before(parts) if end else parts)
    second = instant.second or None
    return edtf_text(
        instant.year, instant.month, instant.day, instant.hour, instant.minute, second, "Z"
    )


def _unit_before(parts: DateParts) -> DateParts:
    """The last whole unit before an exclusive end at the same precision."""
    if parts.month is None:
        return DateParts(parts.year - 1)
    if parts.day is None:
        if parts.month == 1:
            return DateParts(parts.year - 1, 12)
        return DateParts(parts.year, parts.month - 1)
    if parts.day > 1:
        return DateParts(parts.year, parts.month, parts.day - 1)
    year, month = (parts.year - 1, 12) if parts.month == 1 else (parts.year, parts.month - 1)
    return DateParts(year, month, days_in_month(year, month))


def _unit_after(parts: DateParts) -> DateParts:
    """The first whole unit after a date (an inclusive end made exclusive)."""
    if parts.month is None:
        return DateParts(parts.year + 1)
    if parts.day is None:
        if parts.month == 12:
            return DateParts(parts.year + 1, 1)
        return DateParts(parts.year, parts.month + 1)
    if parts.day < days_in_month(parts.year, parts.month):
        return DateParts(parts.year, parts.month, parts.day + 1)
    year, month = (parts.year + 1, 1) if parts.month == 12 else (parts.year, parts.month + 1)
    return DateParts(year, month, 1)


def iso_of_edtf(text: str, *, end: bool = False) -> str:
    """The vis-timeline text of an EDTF date, at its precision (qualifiers dropped); an
    `end` is made exclusive (the unit after it). Seasons, decades and sets are written as
    the first (or, for an end, the last) whole year or month they cover."""
    parts = parts_of(text)
    if parts is None:
        parts = _covering_parts(text, end=end)
    if end and parts.hour is None:
        parts = _unit_after(parts)
    return _iso(parts)


def _covering_parts(text: str, *, end: bool) -> DateParts:
    try:
        parsed = parse_date(text)
    except (DateError, ValueError):
        year = re.search(r"-?[0-9]{4}", text)
        return DateParts(int(year.group()) if year else 1)
    moment = utc_time(parsed.upper - 1 if end else parsed.lower)
    if parsed.precision in (Precision.SEASON, Precision.MONTH):
        return DateParts(moment.year, moment.month)
    if parsed.precision is Precision.DAY:
        return DateParts(moment.year, moment.month, moment.day)
    return DateParts(moment.year)


def _iso(parts: DateParts) -> str:
    year = f"{parts.year:04d}" if 0 <= parts.year <= 9999 else f"{parts.year:+07d}"
    text = year
    if parts.month is not None:
        text += f"-{parts.month:02d}"
    if parts.day is not None:
        text += f"-{parts.day:02d}"
    if parts.hour is not None:
        text += f"T{parts.hour:02d}:{parts.minute or 0:02d}"
        if parts.second is not None:
            text += f":{parts.second:02d}"
        text += parts.zone
    return text


# ---- reading ----------------------------------------------------------------------------


def read(
    path: str,
    raw: bytes,
    *,
    progress: Progress | None = None,
    default_category: str = DEFAULT_CATEGORY,
) -> Document:
    """Read and validate a whole vis-timeline JSON file; raise ImportFileError at the first
    problem."""
    reader = _Reader(path)
    if progress is not None:
        progress(0, 0)
    top = parse_json(path, decode_text(path, raw))
    groups: list = []
    if isinstance(top, dict):
        items = top.get("items")
        if not isinstance(items, list):
            raise reader.fail(None, "items", "must be a list of items")
        groups = top.get("groups") or []
        if not isinstance(groups, list):
            raise reader.fail(None, "groups", "must be a list of groups")
    elif isinstance(top, list):
        items = top
    else:
        raise reader.fail(None, "file", "must be a list of items or an object with items")
    names, categories = _read_groups(reader, groups)
    document = Document(path=path)
    used: dict[str, None] = {}
    seen: dict[str, int] = {}
    era_ids: dict[str, int] = {}
    tick = report_every(progress, len(items))
    tick(0)
    for row, value in enumerate(items, 1):
        if not isinstance(value, dict):
            raise reader.fail(row, "items", f"must be an object, not {quoted(value)}")
        group = reader.key(value.get("group"), row, "group")
        if group is not None and names and group not in names:
            raise reader.fail(row, "group", f"{quoted(group)} is not the id of any group")
        category = names.get(group, group) if group is not None else None
        kind = reader.text(value.get("type"), row, "type").strip()
        if kind and kind not in ITEM_TYPES:
            raise reader.fail(row, "type", f"{quoted(kind)} is not one of {', '.join(ITEM_TYPES)}")
        if kind == "background":
            era = _era(reader, row, value, category or "")
            if era.id in era_ids:
                raise reader.fail(
                    row, "id", f"{quoted(era.id)} is used again (first at row {era_ids[era.id]})"
                )
            era_ids[era.id] = row
            document.eras.append(era)
        else:
            item = _event(reader, row, value, category or default_category)
            if item.id in seen:
                problem = (
                    f"{quoted(item.id)} is used again (first at row {seen[item.id]})"
                    if value.get("id") is not None
                    else f"repeats the content and dates of row {seen[item.id]}; give one an id"
                )
                raise reader.fail(row, "id", problem)
            seen[item.id] = row
            document.events.append(item)
            used[item.draft.category] = None
        tick(row)
    known = {item.name for item in categories}
    document.categories = categories + [CategoryItem(name) for name in used if name not in known]
    return document


def _read_groups(reader: _Reader, groups: list) -> tuple[dict[str, str], list[CategoryItem]]:
    """Group ids → category names, and the categories, parents named by `nestedGroups`."""
    names: dict[str, str] = {}
    rows: dict[str, int] = {}
    values: list[tuple[int, str, dict]] = []
    for row, value in enumerate(groups, 1):
        if not isinstance(value, dict):
            raise reader.fail(row, "groups", f"must be an object, not {quoted(value)}")
        group_id = reader.key(value.get("id"), row, "groups.id")
        if group_id is None:
            raise reader.fail(row, "groups.id", "is missing")
        if group_id in rows:
            raise reader.fail(
                row,
                "groups.id",
                f"{quoted(group_id)} is used again (first at row {rows[group_id]})",
            )
        rows[group_id] = row
        name = reader.plain(value.get("content"), row, "groups.content", line=True) or group_id
        try:
            name = check_text("groups.content", name, limit=NAME_MAX)
        except ValidationError as error:
            raise reader.fail(row, error.field, error.message) from error
        if name in names.values():
            raise reader.fail(row, "groups.content", f"{quoted(name)} names two groups")
        names[group_id] = name
        values.append((row, group_id, value))
    parents: dict[str, str] = {}
    for row, group_id, value in values:
        nested = value.get("nestedGroups") or []
        if not isinstance(nested, list):
            raise reader.fail(row, "groups.nestedGroups", "must be a list of group ids")
        for child in nested:
            child_id = reader.key(child, row, "groups.nestedGroups")
            if child_id not in names:
                raise reader.fail(
                    row, "groups.nestedGroups", f"{quoted(child)} is not the id of any group"
                )
            if child_id == group_id or names[child_id] in parents:
                raise reader.fail(
                    row, "groups.nestedGroups", f"{quoted(child)} cannot be nested here"
                )
            parents[names[child_id]] = names[group_id]
    _refuse_cycles(reader, parents, rows, names)
    categories = []
    for row, group_id, value in values:
        order = value.get("order")
        if isinstance(order, bool) or not isinstance(order, int) or not -(2**31) <= order < 2**31:
            order = None
        colour = _colour(reader.text(value.get("style"), row, "groups.style"))
        name = names[group_id]
        categories.append(CategoryItem(name, colour, parents.get(name), order, row=row))
    return names, categories


def _refuse_cycles(
    reader: _Reader, parents: dict[str, str], rows: dict[str, int], names: dict[str, str]
) -> None:
    row_of = {names[group_id]: row for group_id, row in rows.items()}
    for start in parents:
        seen = [start]
        while seen[-1] in parents:
            following = parents[seen[-1]]
            if following in seen:
                raise reader.fail(
                    row_of[start], "groups.nestedGroups", f"{quoted(start)} is nested in itself"
                )
            seen.append(following)


def _colour(style: str) -> str | None:
    match = _COLOUR.search(style)
    return f"#{match.group(1).upper()}" if match else None


def _dates(reader: _Reader, row: int, value: dict) -> tuple[str, str | None]:
    if value.get("start") in (None, ""):
        raise reader.fail(row, "start", "is missing")
    try:
        start = edtf_of_value(value["start"])
    except ValidationError as error:
        raise reader.fail(row, "start", error.message) from error
    end = None
    if value.get("end") not in (None, ""):
        try:
            end = edtf_of_value(value["end"], end=True, start=start)
        except ValidationError as error:
            raise reader.fail(row, "end", error.message) from error
        if _ends_before(start, end):
            if value["end"] != value["start"]:
                raise reader.fail(
                    row,
                    "end",
                    f"{quoted(value['end'])} is before the start {quoted(value['start'])}",
                )
            end = None  # a range of no length: a point
        elif end == start:
            end = None  # a range of one whole unit: that unit
    return start, end


def _ends_before(start: str, end: str) -> bool:
    """True when a whole-unit end, made inclusive, falls before the start (a zero-length
    range `start == end` in the file)."""
    first, last = parts_of(start), parts_of(end)
    if first is None or last is None or first.hour is not None or last.hour is not None:
        return False
    key = (last.year, last.month or 12, last.day or 31)
    return key < (first.year, first.month or 1, first.day or 1)


def _event(reader: _Reader, row: int, value: dict, category: str) -> EventItem:
    title = reader.plain(value.get("content"), row, "content", line=True)
    start, end = _dates(reader, row, value)
    given = reader.key(value.get("id"), row, "id")
    event_id = (
        check_id(reader.path, row, "id", given)
        if given is not None
        else stable_id(f"vis:{start}\n{end or ''}\n{title}")
    )
    draft = EventDraft(
        title=title,
        start=start,
        end=end,
        category=category,
        description=reader.plain(value.get("title"), row, "title"),
    )
    try:
        return check_event(reader.path, row, event_id, draft)
    except ImportFileError as error:
        raise reader.fail(row, _FIELDS.get(error.field, error.field), error.message) from error


def _era(reader: _Reader, row: int, value: dict, group: str) -> EraItem:
    name = reader.plain(value.get("content"), row, "content", line=True)
    start, end = _dates(reader, row, value)
    try:
        clean = check_text("content", name, limit=NAME_MAX)
        span = check_span(start, end)
    except ValidationError as error:
        raise reader.fail(row, _FIELDS.get(error.field, error.field), error.message) from error
    given = reader.key(value.get("id"), row, "id")
    era_id = (
        check_id(reader.path, row, "id", given)
        if given is not None
        else stable_id(f"vis:era:{clean}\n{start}")
    )
    colour = _colour(reader.text(value.get("style"), row, "style")) or ERA_COLOUR
    return EraItem(
        era_id, clean, span.start.text, span.end.text if span.end else None, colour, group
    )


# ---- writing ----------------------------------------------------------------------------


def _item(record: EventRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": record.id,
        "content": html_of(record.title),
        "start": iso_of_edtf(record.start),
    }
    if record.end and record.end != "..":
        item["end"] = iso_of_edtf(record.end, end=True)
        item["type"] = "range"
    else:
        item["type"] = "box"
    item["group"] = record.category
    if record.description:
        item["title"] = html_of(record.description)
    return item


def _background(era: EraRecord) -> dict[str, Any]:
    return {
        "id": era.id,
        "content": html_of(era.name),
        "start": iso_of_edtf(era.start),
        "end": iso_of_edtf(era.end or era.start, end=True),
        "type": "background",
        "style": f"background-color: {era.colour}40",
    }


def _groups(categories: list[CategoryRecord]) -> list[dict[str, Any]]:
    children: dict[str, list[str]] = {}
    for category in categories:
        if category.parent:
            children.setdefault(category.parent, []).append(category.name)
    groups = []
    for category in categories:
        group: dict[str, Any] = {
            "id": category.name,
            "content": html_of(category.name),
            "order": category.sort_order,
            "style": f"background-color: {category.colour}",
        }
        if category.name in children:
            group["nestedGroups"] = children[category.name]
        groups.append(group)
    return groups


def export_items(catalog: Catalog, *, progress: Progress | None = None) -> dict[str, Any]:
    """Every event as a vis-timeline item, each era as a background item, each category
    as a group (its id is its name)."""
    records = catalog.events()
    tick = report_every(progress, len(records))
    tick(0)
    items = []
    for done, record in enumerate(records, 1):
        items.append(_item(record))
        tick(done)
    items.extend(_background(era) for era in catalog.eras())
    return {"items": items, "groups": _groups(catalog.categories())}


def dump(catalog: Catalog, *, progress: Progress | None = None) -> bytes:
    """Every event as vis-timeline JSON (`{"items": […], "groups": […]}`), UTF-8."""
    data = export_items(catalog, progress=progress)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
