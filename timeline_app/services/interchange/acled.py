"""ACLED exports: CSV with a header row, one coded event a row.

A row becomes an event in the category of its event_type, titled
`Air/drone strike: Military Forces of Israel – Military Forces of Iran (Isfahan)`, with actor1
and actor2 as actors, "location, admin1, country" as location and the `tags` column as tags.
Its date follows time_precision: 1 is the day, 2 (the source gave a week; ACLED codes a day in
it) is that day marked approximate (`2022-03-15~`), 3 (the source gave a month) is the month.

ACLED names its sources without links ("IRNA; TASS"): each name becomes a source without a
URL, the name as its title and publisher. The notes and the other fields go to the description
as labelled lines (`Fatalities:`, `Source scale:` …) that `dump` reads back; `dump` names an
event's sources by their publishers (or titles), or, for an event imported before sources
could lack a URL, by the description's `Sources:` line.

Rows of the same day, actors, sub-event type and location are one event (ACLED's own rule for
a single event): they merge, their sources joined, the lowest event_id_cnty kept.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from timeline_app.domain.dates import MONTH_NUMBERS
from timeline_app.domain.errors import ImportFileError, TimelineError, quoted
from timeline_app.domain.model import Certainty, EventDraft, EventRecord, SourceRef
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import NAME_MAX, TITLE_MAX
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.country_names import countries_named, country_code
from timeline_app.services.interchange.document import (
    CategoryItem,
    Document,
    check_event,
    check_id,
    field_label,
)
from timeline_app.services.interchange.text_file import decode_text

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
"""The columns of an ACLED export since March 2023, in its order: what `dump` writes."""
REQUIRED = ("event_id_cnty", "event_date", "event_type", "actor1")
ACTOR_KINDS = {
    "1": "state forces",
    "2": "rebel group",
    "3": "political militia",
    "4": "identity militia",
    "5": "rioters",
    "6": "protesters",
    "7": "civilians",
    "8": "external/other forces",
}
"""ACLED's actor types (inter1, inter2), as the kind of an actor the app stores."""
_INTER_OF_KIND = {kind: code for code, kind in ACTOR_KINDS.items()}
_KIND_MAX = 40
PRECISIONS = {"1": "day", "2": "week", "3": "month"}
_SNIFF_BYTES = 8192
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_WORDED_DATE = re.compile(r"([0-9]{1,2})[ -]([A-Za-z]{3,9})\.?[ -]([0-9]{4})")
_DAY_FIRST_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_LIST = "; "
_FORMULA_STARTS = ("=", "+", "-", "@")
# The labelled lines of a description, in the order `read` writes them.
_LABELS = (
    ("disorder_type", "Disorder type: "),
    ("sub_event_type", "Sub-event type: "),
    ("assoc_actor_1", "Associated with actor 1: "),
    ("assoc_actor_2", "Associated with actor 2: "),
    ("fatalities", "Fatalities: "),
    ("source", "Sources: "),
    ("source_scale", "Source scale: "),
    ("coordinates", "Coordinates: "),
    ("merged", "Merged ACLED events: "),
)
_LABEL_OF = dict(_LABELS)


@dataclass(slots=True)
class AcledRow:
    """One row of a file, its fields checked."""

    row: int
    event_id: str
    start: str
    values: dict[str, str]
    fatalities: int | None
    ids: list[str] = field(default_factory=list)

    @property
    def merge_key(self) -> tuple[str, ...]:
        """ACLED's rule for one event: same day, actors, kind of event and place."""
        get = self.values.get
        return (
            self.start,
            get("actor1", ""),
            get("actor2", ""),
            get("sub_event_type", "") or get("event_type", ""),
            get("location", ""),
            get("admin1", ""),
            get("country", ""),
        )


def sniff(raw: bytes, name: str) -> bool:
    """True when the first line is a CSV header naming event_id_cnty and event_date."""
    try:
        head = raw[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
        line = head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8", "replace")
        cells = {cell.strip().strip('"').strip().lower() for cell in line.split(",")}
        return {"event_id_cnty", "event_date"} <= cells
    except Exception:  # a sniffer answers, it never raises
        return False


def _check_dyad(dyad: object) -> tuple[str, str] | None:
    if dyad is None:
        return None
    codes = (
        tuple(country_code(side) if isinstance(side, str) else None for side in dyad)
        if isinstance(dyad, (tuple, list)) and len(dyad) == 2
        else (None,)
    )
    if None in codes:
        raise TimelineError(f"dyad: {quoted(dyad)} is not a pair of countries (codes or names)")
    return codes[0], codes[1]  # type: ignore[return-value]


def event_day(path: str, row: int, text: str) -> date:
    """ACLED's event_date: `15 March 2022` (the download), `2022-03-15` (the API),
    `15-March-2022` or `15/03/2022` (older files: day first)."""
    text = text.strip()
    year = month = day = None
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    elif match := _WORDED_DATE.fullmatch(text):
        month = MONTH_NUMBERS.get(match.group(2).lower())
        day, year = int(match.group(1)), int(match.group(3))
    elif match := _DAY_FIRST_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    if year is None or month is None:
        raise ImportFileError(
            path, row, "event_date", f"{quoted(text)} is not a date like '15 March 2022'"
        )
    try:
        return date(year, month, day)  # type: ignore[arg-type]
    except ValueError:
        raise ImportFileError(path, row, "event_date", f"{quoted(text)} is not a date") from None


def edtf_of(day: date, precision: str) -> str:
    """The EDTF date of an ACLED date and time_precision: the day (1), the day approximate (2:
    ACLED codes a day within the week the source gave), the month (3)."""
    if precision == "3":
        return f"{day.year:04d}-{day.month:02d}"
    text = day.isoformat()
    return text + "~" if precision == "2" else text


def _number(path: str, row: int, column: str, text: str, limit: float) -> str:
    if not text:
        return ""
    try:
        value = float(text)
    except ValueError:
        raise ImportFileError(path, row, column, f"{quoted(text)} is not a number") from None
    if not -limit <= value <= limit:
        raise ImportFileError(path, row, column, f"{quoted(text)} is outside ±{limit:g}")
    return text


def _parse_row(path: str, row: int, values: dict[str, str]) -> AcledRow:
    event_id = values["event_id_cnty"]
    if not event_id:
        raise ImportFileError(path, row, "event_id_cnty", "is empty")
    check_id(path, row, "event_id_cnty", event_id)
    day = event_day(path, row, values["event_date"])
    year = values.get("year", "")
    if year and year != str(day.year):
        raise ImportFileError(
            path, row, "year", f"{quoted(year)} is not the year of {quoted(values['event_date'])}"
        )
    precision = values.get("time_precision", "") or "1"
    if precision not in PRECISIONS:
        raise ImportFileError(path, row, "time_precision", f"{quoted(precision)} is not 1, 2 or 3")
    fatalities_text = values.get("fatalities", "")
    fatalities = None
    if fatalities_text:
        if not fatalities_text.isdigit() or len(fatalities_text) > 9:
            raise ImportFileError(
                path, row, "fatalities", f"{quoted(fatalities_text)} is not a count"
            )
        fatalities = int(fatalities_text)
    _number(path, row, "latitude", values.get("latitude", ""), 90)
    _number(path, row, "longitude", values.get("longitude", ""), 180)
    if not values["event_type"]:
        raise ImportFileError(path, row, "event_type", "is empty")
    return AcledRow(row, event_id, edtf_of(day, precision), values, fatalities, [event_id])


def _id_order(event_id: str) -> tuple[str, int, str]:
    """IRN9 before IRN10: the country's letters, then the number."""
    letters = event_id.rstrip("0123456789")
    digits = event_id[len(letters) :]
    return letters, int(digits) if digits and len(digits) < 19 else -1, event_id


def _merge(rows: list[AcledRow]) -> AcledRow:
    rows = sorted(rows, key=lambda item: _id_order(item.event_id))
    first = rows[0]
    if len(rows) == 1:
        return first
    values = dict(first.values)
    for column in ("source", "source_scale", "assoc_actor_1", "assoc_actor_2", "tags"):
        names: dict[str, None] = {}
        for item in rows:
            names.update(dict.fromkeys(_split(item.values.get(column, ""))))
        values[column] = _LIST.join(names)
    notes = dict.fromkeys(item.values.get("notes", "") for item in rows if item.values.get("notes"))
    values["notes"] = "\n\n".join(notes)
    counts = [item.fatalities for item in rows if item.fatalities is not None]
    # Reports of one event: the highest count, not their sum.
    fatalities = max(counts) if counts else None
    return AcledRow(
        first.row, first.event_id, first.start, values, fatalities, [i.event_id for i in rows]
    )


def _actor_kind(inter: str) -> str:
    """The kind an ACLED actor type names: its number ("1") or, in some exports, its words."""
    if inter in ACTOR_KINDS:
        return ACTOR_KINDS[inter]
    kind = " ".join(inter.split()).lower()
    return kind if len(kind) <= _KIND_MAX and kind.isprintable() and not kind.isdigit() else ""


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _title(values: dict[str, str]) -> str:
    kind = values.get("sub_event_type") or values["event_type"]
    # an event another tool wrote may name no actor: ACLED's own rows always have actor1
    actors = " – ".join(name for name in (values["actor1"], values.get("actor2", "")) if name)
    place = values.get("location") or values.get("admin1") or values.get("country")
    title = (f"{kind}: {actors}" if actors else kind) + (f" ({place})" if place else "")
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def _description(item: AcledRow) -> str:
    values = item.values
    latitude, longitude = values.get("latitude", ""), values.get("longitude", "")
    labelled = {
        **values,
        "fatalities": "" if item.fatalities is None else str(item.fatalities),
        "coordinates": f"{latitude}, {longitude}" if latitude and longitude else "",
        "merged": ", ".join(item.ids[1:]),
    }
    lines = [
        label + labelled[name]
        for name, label in _LABELS
        if labelled.get(name) and name != "source"  # the sources are the event's sources
    ]
    return "\n\n".join(part for part in (values.get("notes", ""), "\n".join(lines)) if part)


def _draft(item: AcledRow) -> EventDraft:
    values = item.values
    place = (values.get(name, "") for name in ("location", "admin1", "country"))
    return EventDraft(
        title=_title(values),
        start=item.start,
        category=values["event_type"],
        certainty=Certainty.REPORTED,
        description=_description(item),
        location=", ".join(part for part in place if part) or None,
        actors=tuple(
            dict.fromkeys(values[name] for name in ("actor1", "actor2") if values.get(name))
        ),
        tags=tuple(dict.fromkeys(_split(values.get("tags", "")))),
        sources=tuple(map(_source, dict.fromkeys(_split(values.get("source", ""))))),
    )


def _source(name: str) -> SourceRef:
    """A source ACLED names (an agency, a newspaper, a monitoring group), which has no URL."""
    title = name if len(name) <= TITLE_MAX else name[: TITLE_MAX - 1] + "…"
    return SourceRef(title, "", name if len(name) <= NAME_MAX else "")


def _unguard(cell: str) -> str:
    """A cell as `dump` meant it: one `'` before a formula's first character is taken off."""
    cell = cell.strip()
    return cell[1:] if cell.startswith("'") and _is_formula(cell[1:]) else cell


def _header(path: str, row: list[str]) -> list[str]:
    header = [name.strip().lower() for name in row]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(path, 1, missing[0], "column is missing")
    for index, name in enumerate(header):
        if name in header[:index]:
            raise ImportFileError(path, 1, field_label(name), "is named twice in the header")
    return header


def read(
    path: str,
    raw: bytes,
    *,
    progress: Progress | None = None,
    dyad: tuple[str, str] | None = None,
) -> Document:
    """Check every row of an ACLED export and make its events.

    `dyad` (codes or names: ("RUS", "IRN"), ("Russia", "Iran")) keeps the rows whose actor1
    names one of the pair's countries and actor2 the other ("Military Forces of Russia
    (2000-)", "Civilians (Iran)"); the event's own country does not count, nor do associated
    actors. ROW in messages is the line number (the header is line 1).
    """
    pair = _check_dyad(dyad)
    text = decode_text(path, raw)
    lines = text.count("\n") + (not text.endswith("\n"))
    tick = report_every(progress, lines)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = _header(path, next(reader))
    except StopIteration:
        raise ImportFileError(path, 1, "header", "is missing") from None
    except csv.Error as error:
        raise ImportFileError(path, 1, "header", str(error)) from error
    width = len(header)
    groups: dict[tuple[str, ...], list[AcledRow]] = {}
    seen: dict[str, int] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(path, reader.line_num, "row", str(error)) from error
        row = reader.line_num
        tick(min(row, lines))
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            raise ImportFileError(
                path, row, "row", f"has {len(cells)} fields; the header has {width}"
            )
        item = _parse_row(path, row, dict(zip(header, map(_unguard, cells), strict=True)))
        if item.event_id in seen:
            raise ImportFileError(
                path,
                row,
                "event_id_cnty",
                f"{quoted(item.event_id)} is used again (first at row {seen[item.event_id]})",
            )
        seen[item.event_id] = row
        if pair is not None:
            first = countries_named(item.values["actor1"])
            second = countries_named(item.values.get("actor2", ""))
            if not (
                (pair[0] in first and pair[1] in second) or (pair[1] in first and pair[0] in second)
            ):
                continue
        groups.setdefault(item.merge_key, []).append(item)
    document = Document(path=path)
    categories: dict[str, None] = {}
    for group in groups.values():
        item = _merge(group)
        draft = _draft(item)
        document.events.append(check_event(path, item.row, item.event_id, draft))
        categories[draft.category] = None
        for actor, inter in (("actor1", "inter1"), ("actor2", "inter2")):
            kind = _actor_kind(item.values.get(inter, ""))
            if kind and item.values.get(actor):
                document.actors.setdefault(item.values[actor], kind)
    document.categories = [CategoryItem(name) for name in categories]
    if progress is not None:
        progress(lines, lines)
    return document


# Export


def _labelled(description: str) -> tuple[str, dict[str, str]]:
    """The notes and the labelled lines of a description `read` wrote; a description
    without them is all notes."""
    notes, _, block = description.rpartition("\n\n")
    if not block:
        return description, {}
    found: dict[str, str] = {}
    for line in block.splitlines():
        for name, label in _LABELS:
            if line.startswith(label):
                found[name] = line[len(label) :].strip()
                break
        else:
            return description, {}
    return notes, found


def _time_precision(record: EventRecord) -> str:
    if record.precision == "day":
        return "2" if record.start.endswith(("~", "%")) else "1"
    return "3"


def _place(location: str | None) -> tuple[str, str, str]:
    """(location, admin1, country) from "location, admin1, country" (or two or one part)."""
    parts = [part.strip() for part in (location or "").split(", ")]
    if len(parts) >= 3:
        return ", ".join(parts[:-2]), parts[-2], parts[-1]
    if len(parts) == 2:
        return parts[0], "", parts[1]
    return parts[0], "", ""


def _rows(record: EventRecord, kinds: dict[str, str]) -> Iterable[list[str]]:
    """The event's row, and one more for each ACLED event merged into it (the same fields
    under each id), so that a re-import merges them again."""
    notes, found = _labelled(record.description)
    day = time.gmtime(record.lower)
    location, admin1, country = _place(record.location)
    latitude, _, longitude = found.get("coordinates", "").partition(", ")
    sources = _LIST.join(
        dict.fromkeys(ref.publisher or ref.title for ref in record.sources)
    ) or found.get("source", "")
    actor1 = record.actors[0] if record.actors else ""
    actor2 = record.actors[1] if len(record.actors) > 1 else ""
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        event_id_cnty=record.id,
        event_date=f"{day.tm_year:04d}-{day.tm_mon:02d}-{day.tm_mday:02d}",
        year=f"{day.tm_year:04d}",
        time_precision=_time_precision(record),
        disorder_type=found.get("disorder_type", ""),
        event_type=record.category,
        sub_event_type=found.get("sub_event_type", ""),
        actor1=actor1,
        assoc_actor_1=found.get("assoc_actor_1", ""),
        inter1=_INTER_OF_KIND.get(kinds.get(actor1, ""), ""),
        actor2=actor2,
        assoc_actor_2=found.get("assoc_actor_2", ""),
        inter2=_INTER_OF_KIND.get(kinds.get(actor2, ""), ""),
        country=country,
        admin1=admin1,
        location=location,
        latitude=latitude,
        longitude=longitude,
        source=sources,
        source_scale=found.get("source_scale", ""),
        notes=notes,
        fatalities=found.get("fatalities", ""),
        tags=_LIST.join(record.tags),
    )
    merged = [part.strip() for part in found.get("merged", "").split(",") if part.strip()]
    for event_id in (record.id, *merged):
        values["event_id_cnty"] = event_id
        yield [values[name] for name in COLUMNS]


def _guard(cells: Iterable[str]) -> list[str]:
    """A spreadsheet runs a cell starting with = + - @ as a formula: such text gets a `'`
    that `read` takes off again (a negative latitude is a number, written as it is)."""
    return ["'" + cell if _is_formula(cell) else cell for cell in cells]


def _is_formula(cell: str) -> bool:
    return cell.startswith(_FORMULA_STARTS) and not (cell.startswith("-") and _is_number(cell))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def dump(catalog: Catalog, *, progress: Progress | None = None) -> bytes:
    """Every event as rows of ACLED's columns (those the app has no data for are empty)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    records = catalog.events()
    kinds = catalog.actor_kinds()
    tick = report_every(progress, len(records))
    tick(0)
    for done, record in enumerate(records, 1):
        writer.writerows(_guard(row) for row in _rows(record, kinds))
        tick(done)
    return out.getvalue().encode("utf-8")
