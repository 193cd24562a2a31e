"""GDELT event exports: 1.0 (57 columns, 58 with SOURCEURL in the daily files) and 2.0 (61).

Tab-separated rows without a header, one coded event a row. A row becomes an event dated to
its SQLDATE (day precision), titled `Russia → Iran: Consult (CAMEO 042)` (the CAMEO root's
name: the codebook's names of the 300 full codes are not carried), in the category of its
QuadClass (Verbal cooperation, Material cooperation, Verbal conflict, Material conflict),
with its two actors, its ActionGeo_FullName as location and its SOURCEURL as source.

Rows of the same day, actor pair (in its direction) and event code are one event cited by
several articles: they merge into one event whose id is the lowest GLOBALEVENTID of them,
its mentions summed, each article a source whose note keeps its row's GLOBALEVENTID and
NumMentions. A SOURCEURL that is not a link (GDELT writes e.g. "BBC Monitoring" there) is a
source without a URL, the name as its title and publisher. The description keeps the codes as
labelled lines that `dump` reads back; an export writes GDELT 2.0 rows, one per source (a
source without a URL gives its publisher or title as SOURCEURL, as GDELT wrote it).
"""

from __future__ import annotations

import hashlib
import re
import string
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

from timeline_app.domain.errors import ImportFileError, TimelineError, quoted
from timeline_app.domain.model import Certainty, EventDraft, EventRecord, SourceRef
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import NAME_MAX, TITLE_MAX
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    CategoryItem,
    Document,
    check_event,
    check_id,
)
from timeline_app.services.interchange.text_file import decode_text

_ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_EVENT_FIELDS = (
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
)


def _columns(geo_fields: tuple[str, ...]) -> tuple[str, ...]:
    return (
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        *(f"{side}{name}" for side in ("Actor1", "Actor2") for name in _ACTOR_FIELDS),
        *_EVENT_FIELDS,
        *(f"{who}Geo_{name}" for who in ("Actor1", "Actor2", "Action") for name in geo_fields),
        "DATEADDED",
    )


V1_COLUMNS = _columns(("Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID"))
"""GDELT 1.0, as in the back files up to March 2013."""
V1_DAILY_COLUMNS = (*V1_COLUMNS, "SOURCEURL")
"""GDELT 1.0 daily files from April 2013 on."""
V2_COLUMNS = (
    *_columns(
        ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
    ),
    "SOURCEURL",
)
"""GDELT 2.0: ADM2 codes added to each place; the layout `dump` writes."""
LAYOUTS = {len(columns): columns for columns in (V1_COLUMNS, V1_DAILY_COLUMNS, V2_COLUMNS)}

CAMEO_ROOTS = {
    "01": "Make public statement",
    "02": "Appeal",
    "03": "Express intent to cooperate",
    "04": "Consult",
    "05": "Engage in diplomatic cooperation",
    "06": "Engage in material cooperation",
    "07": "Provide aid",
    "08": "Yield",
    "09": "Investigate",
    "10": "Demand",
    "11": "Disapprove",
    "12": "Reject",
    "13": "Threaten",
    "14": "Protest",
    "15": "Exhibit force posture",
    "16": "Reduce relations",
    "17": "Coerce",
    "18": "Assault",
    "19": "Fight",
    "20": "Use unconventional mass violence",
}
QUAD_CLASSES = {
    "1": "Verbal cooperation",
    "2": "Material cooperation",
    "3": "Verbal conflict",
    "4": "Material conflict",
}
"""The category of an event: its QuadClass, four lanes rather than twenty CAMEO roots."""
_QUAD_OF_CATEGORY = {name: number for number, name in QUAD_CLASSES.items()}


def quad_class_of_root(root: str) -> str:
    """The QuadClass CAMEO's root codes fall in (01–05, 06–08, 09–13, 14–20)."""
    number = int(root)
    return "1" if number <= 5 else "2" if number <= 8 else "3" if number <= 13 else "4"


_SNIFF_BYTES = 65_536
_ID_DIGITS = 20
_CODE = re.compile(r"[0-9]{2,4}")
_COUNTRY = re.compile(r"[A-Z]{3}")
_ACTOR_CODE = re.compile(r"[A-Z0-9]{1,40}")
_ACTOR_LINE = re.compile(
    r"Actor (?P<side>[12]): (?P<name>.*?)(?: ?\((?P<meta>(?:country|code) [^()]*)\))?"
)
_CAMEO_LINE = re.compile(r"CAMEO event (?P<code>[0-9]{2,4}) \(base (?P<base>[0-9]{2,4}), root")
_GOLDSTEIN_LINE = re.compile(r"Goldstein scale: (?P<value>-?[0-9]+(?:\.[0-9]+)?)")
_MENTIONS_LINE = re.compile(r"Mentions: (?P<value>[0-9]{1,12})")
_UNLINKED = "Sources without a link: "
_NOTE = re.compile(r"GLOBALEVENTID (?P<id>[0-9]{1,20})(?:; NumMentions (?P<mentions>[0-9]{1,12}))?")


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    country: str
    code: str

    @property
    def label(self) -> str:
        return self.name or self.country or self.code or "unnamed actor"


@dataclass(frozen=True, slots=True)
class GdeltRow:
    """One row of a file, its fields checked."""

    row: int
    event_id: str
    day: str
    actor1: Actor
    actor2: Actor
    event_code: str
    base_code: str
    root_code: str
    quad_class: str
    goldstein: str
    mentions: int
    location: str
    source: str

    @property
    def merge_key(self) -> tuple[str, ...]:
        """Rows with one key are one event: same day, same actors in order, same code."""
        return (
            self.day,
            self.actor1.name,
            self.actor1.country,
            self.actor2.name,
            self.actor2.country,
            self.event_code,
        )


def sniff(raw: bytes, name: str) -> bool:
    """True for tab-separated rows of 57, 58 or 61 fields whose first field is a number and
    whose second is an 8-digit date; the name plays no part (GDELT files end in .CSV)."""
    try:
        head = raw[:_SNIFF_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n")
        lines = head.split(b"\n")[:3]
        # the first line, and the second when it is whole within the sample
        for line in lines[:2] if len(lines) == 3 else lines[:1]:
            fields = line.rstrip(b"\r").split(b"\t")
            if not (
                len(fields) in LAYOUTS
                and fields[0].isdigit()
                and len(fields[1]) == 8
                and fields[1].isdigit()
            ):
                return False
        return True
    except Exception:  # a sniffer answers, it never raises
        return False


def _check_dyad(dyad: object) -> tuple[str, str] | None:
    if dyad is None:
        return None
    if (
        not isinstance(dyad, (tuple, list))
        or len(dyad) != 2
        or not all(isinstance(code, str) and _COUNTRY.fullmatch(code.upper()) for code in dyad)
    ):
        raise TimelineError(f"dyad: {quoted(dyad)} is not a pair of 3-letter country codes")
    return dyad[0].upper(), dyad[1].upper()


@lru_cache(maxsize=65_536)
def tidy_name(name: str) -> str:
    """GDELT writes names in capitals ("VLADIMIR PUTIN"); the app shows "Vladimir Putin".
    A name written in mixed case is kept as it is."""
    name = " ".join(name.split())
    return string.capwords(name.lower()) if name.isupper() else name


def _day(path: str, row: int, text: str) -> str:
    day = _iso_day(text)
    if day is None:
        problem = "is not a date" if len(text) == 8 and text.isdigit() else "is not a date YYYYMMDD"
        raise ImportFileError(path, row, "SQLDATE", f"{quoted(text)} {problem}")
    return day


@lru_cache(maxsize=65_536)
def _iso_day(text: str) -> str | None:
    """YYYYMMDD as YYYY-MM-DD; None when it is no date. A file has few distinct days."""
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:
        return None


def _number(path: str, row: int, column: str, text: str, low: float, high: float) -> str:
    """A decimal within [low, high], as GDELT writes it; "" stays ""."""
    if not text:
        return ""
    try:
        value = float(text)
    except ValueError:
        raise ImportFileError(path, row, column, f"{quoted(text)} is not a number") from None
    if not low <= value <= high:
        raise ImportFileError(path, row, column, f"{quoted(text)} is outside {low:g}…{high:g}")
    return f"{value:g}"


def _count(path: str, row: int, column: str, text: str) -> int:
    if not text:
        return 0
    if not text.isdigit() or len(text) > 12:
        raise ImportFileError(path, row, column, f"{quoted(text)} is not a count")
    return int(text)


def _parse_row(path: str, row: int, fields: list[str], at: dict[str, int]) -> GdeltRow:
    event_id = fields[0].strip()
    if not event_id.isdigit() or len(event_id) > _ID_DIGITS:
        raise ImportFileError(path, row, "GLOBALEVENTID", f"{quoted(event_id)} is not a number")
    check_id(path, row, "GLOBALEVENTID", event_id)
    actors = []
    for side in ("Actor1", "Actor2"):
        country = fields[at[f"{side}CountryCode"]].strip()
        if country and not _COUNTRY.fullmatch(country):
            raise ImportFileError(
                path, row, f"{side}CountryCode", f"{quoted(country)} is not a 3-letter code"
            )
        code = fields[at[f"{side}Code"]].strip()
        if code and not _ACTOR_CODE.fullmatch(code):
            raise ImportFileError(path, row, f"{side}Code", f"{quoted(code)} is not a CAMEO code")
        actors.append(Actor(tidy_name(fields[at[f"{side}Name"]]), country, code))
    root = fields[at["EventRootCode"]].strip()
    if root not in CAMEO_ROOTS:
        raise ImportFileError(
            path, row, "EventRootCode", f"{quoted(root)} is not a CAMEO root code 01…20"
        )
    codes = []
    for column in ("EventCode", "EventBaseCode"):
        code = fields[at[column]].strip()
        if not _CODE.fullmatch(code):
            raise ImportFileError(path, row, column, f"{quoted(code)} is not a CAMEO event code")
        codes.append(code)
    quad = fields[at["QuadClass"]].strip()
    if quad and quad not in QUAD_CLASSES:
        raise ImportFileError(path, row, "QuadClass", f"{quoted(quad)} is not 1, 2, 3 or 4")
    source_at = at.get("SOURCEURL")
    return GdeltRow(
        row=row,
        event_id=event_id,
        day=_day(path, row, fields[1].strip()),
        actor1=actors[0],
        actor2=actors[1],
        event_code=codes[0],
        base_code=codes[1],
        root_code=root,
        quad_class=quad or quad_class_of_root(root),
        goldstein=_number(
            path, row, "GoldsteinScale", fields[at["GoldsteinScale"]].strip(), -10, 10
        ),
        mentions=_count(path, row, "NumMentions", fields[at["NumMentions"]].strip()),
        location=" ".join(fields[at["ActionGeo_FullName"]].split()),
        source=fields[source_at].strip() if source_at is not None else "",
    )


def _is_link(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def source_ref(url: str, event_id: str, mentions: int) -> SourceRef:
    """An article GDELT coded: GDELT gives no title, so the host and path stand for it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = host.removeprefix("www.")
    title = (host + parts.path.rstrip("/")) or url
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    return SourceRef(title, url, host, note=f"GLOBALEVENTID {event_id}; NumMentions {mentions}")


def named_source(name: str, event_id: str, mentions: int) -> SourceRef:
    """A source GDELT names without a link (a monitoring service, an agency): no URL."""
    title = name if len(name) <= TITLE_MAX else name[: TITLE_MAX - 1] + "…"
    publisher = name if len(name) <= NAME_MAX else ""
    return SourceRef(title, "", publisher, note=f"GLOBALEVENTID {event_id}; NumMentions {mentions}")


def _actor_line(side: int, actor: Actor) -> str | None:
    if not (actor.name or actor.country or actor.code):
        return None
    meta = ", ".join(
        part
        for part in (
            f"country {actor.country}" if actor.country else "",
            f"code {actor.code}" if actor.code else "",
        )
        if part
    )
    text = f"Actor {side}: {actor.name}"
    if not meta:
        return text
    return f"{text} ({meta})" if actor.name else f"{text}({meta})"


def _event(rows: list[GdeltRow]) -> tuple[str, EventDraft, int]:
    """The event of one group of rows: its id, its draft, and the row messages name."""
    rows = sorted(rows, key=lambda item: int(item.event_id))
    first = rows[0]
    mentions = sum(item.mentions for item in rows)
    sources: dict[str, SourceRef] = {}
    for item in rows:
        if _is_link(item.source):
            if item.source not in sources:
                sources[item.source] = source_ref(item.source, item.event_id, item.mentions)
        elif item.source:
            name = " ".join(item.source.split())
            if name not in sources:
                sources[name] = named_source(name, item.event_id, item.mentions)
    root_name = CAMEO_ROOTS[first.root_code]
    target = f" → {first.actor2.label}" if first.actor2.label != "unnamed actor" else ""
    title = f"{first.actor1.label}{target}: {root_name} (CAMEO {first.event_code})"
    lines = [
        _actor_line(1, first.actor1),
        _actor_line(2, first.actor2),
        f"CAMEO event {first.event_code} (base {first.base_code}, root {first.root_code}: "
        f"{root_name})",
        f"Quad class {first.quad_class}: {QUAD_CLASSES[first.quad_class]}",
        f"Goldstein scale: {first.goldstein}" if first.goldstein else None,
        f"Mentions: {mentions}",
    ]
    actors = tuple(dict.fromkeys(name for name in (first.actor1.name, first.actor2.name) if name))
    draft = EventDraft(
        title=title,
        start=first.day,
        category=QUAD_CLASSES[first.quad_class],
        certainty=Certainty.REPORTED,
        description="\n".join(line for line in lines if line),
        location=first.location or None,
        actors=actors,
        sources=tuple(sources.values()),
    )
    return first.event_id, draft, first.row


def read(
    path: str,
    raw: bytes,
    *,
    progress: Progress | None = None,
    dyad: tuple[str, str] | None = None,
) -> Document:
    """Check every row of a GDELT export and make its events.

    `dyad` ("RUS", "IRN") keeps the rows whose Actor1CountryCode and Actor2CountryCode are
    that pair, in either direction. ROW in messages is the line number.
    """
    pair = _check_dyad(dyad)
    text = decode_text(path, raw)
    lines = text.split("\n")
    total = len(lines)
    tick = report_every(progress, total)
    tick(0)
    layout: tuple[str, ...] | None = None
    at: dict[str, int] = {}
    groups: dict[tuple[str, ...], list[GdeltRow]] = {}
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        tick(number)
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if layout is None:
            layout = LAYOUTS.get(len(fields))
            if layout is None:
                raise ImportFileError(
                    path,
                    number,
                    "row",
                    f"has {len(fields)} fields; a GDELT 1.0 row has 57 (58 with SOURCEURL) "
                    "and a 2.0 row 61",
                )
            at = {name: index for index, name in enumerate(layout)}
        elif len(fields) != len(layout):
            raise ImportFileError(
                path, number, "row", f"has {len(fields)} fields; the first row has {len(layout)}"
            )
        item = _parse_row(path, number, fields, at)
        if item.event_id in seen:
            raise ImportFileError(
                path,
                number,
                "GLOBALEVENTID",
                f"{item.event_id} is used again (first at row {seen[item.event_id]})",
            )
        seen[item.event_id] = number
        if pair is not None and (item.actor1.country, item.actor2.country) not in (
            pair,
            pair[::-1],
        ):
            continue
        groups.setdefault(item.merge_key, []).append(item)
    if layout is None:
        raise ImportFileError(path, None, "file", "has no rows")
    document = Document(path=path)
    categories: dict[str, None] = {}
    for group in groups.values():
        event_id, draft, row = _event(group)
        document.events.append(check_event(path, row, event_id, draft))
        categories[draft.category] = None
    document.categories = [CategoryItem(name) for name in categories]
    if progress is not None:
        progress(total, total)
    return document


# Export


@dataclass(slots=True)
class _Described:
    """What an event's description says in the labelled lines `read` writes."""

    actors: dict[int, Actor]
    event_code: str = ""
    base_code: str = ""
    goldstein: str = ""
    mentions: int | None = None
    unlinked: list[str] = field(default_factory=list)


def _described(description: str) -> _Described:
    found = _Described({})
    for line in description.splitlines():
        line = line.strip()
        match = _ACTOR_LINE.fullmatch(line)
        if match:
            meta = dict(
                part.split(" ", 1)
                for part in (match.group("meta") or "").split(", ")
                if " " in part
            )
            country = meta.get("country", "")
            code = meta.get("code", "")
            found.actors[int(match.group("side"))] = Actor(
                match.group("name").strip(),
                country if _COUNTRY.fullmatch(country) else "",
                code if _ACTOR_CODE.fullmatch(code) else "",
            )
            continue
        match = _CAMEO_LINE.match(line)
        if match:
            found.event_code, found.base_code = match.group("code"), match.group("base")
            continue
        match = _GOLDSTEIN_LINE.fullmatch(line)
        if match:
            found.goldstein = match.group("value")
            continue
        match = _MENTIONS_LINE.fullmatch(line)
        if match:
            found.mentions = int(match.group("value"))
            continue
        if line.startswith(_UNLINKED):
            found.unlinked = [name.strip() for name in line[len(_UNLINKED) :].split(";")]
    return found


def numeric_id(event_id: str) -> str:
    """A GLOBALEVENTID for an event: its own id when that is a number (it came from GDELT),
    else a stable 15-digit number derived from it."""
    if event_id.isdigit() and len(event_id) <= _ID_DIGITS:
        return event_id
    return str(int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:12], 16))


def _cell(text: object) -> str:
    """A field without tabs or line breaks: they would split the row."""
    return " ".join(str(text).split())


def _row_specs(record: EventRecord, unlinked: list[str]) -> list[tuple[str, str, int | None]]:
    """(GLOBALEVENTID, SOURCEURL, NumMentions or None) of each row an event becomes: one per
    linked source and per source named without a link, at least one. A source's note keeps
    the id and count of the row it came from; the event's own id goes to the first row
    without one, so a re-import merges the rows back under the same id."""
    own_id = numeric_id(record.id)
    specs: list[tuple[str | None, str, int | None]] = []
    for ref in record.sources:
        written = ref.url or ref.publisher or ref.title  # a source without a link by its name
        match = _NOTE.fullmatch(ref.note.strip())
        if match:
            mentions = match.group("mentions")
            specs.append((match.group("id"), written, int(mentions) if mentions else None))
        else:
            specs.append((None, written, None))
    # events imported before sources could lack a URL name them in the description
    specs.extend((None, name, None) for name in unlinked)
    if not specs:
        specs.append((None, "", None))
    used = {spec[0] for spec in specs}
    fresh = iter([] if own_id in used else [own_id])
    rows = []
    for index, (row_id, url, mentions) in enumerate(specs):
        rows.append((row_id or next(fresh, f"{own_id}{index:03d}"), url, mentions))
    return rows


def _rows(record: EventRecord) -> Iterable[list[str]]:
    described = _described(record.description)
    actors = [
        described.actors.get(side)
        or Actor(record.actors[side - 1] if len(record.actors) >= side else "", "", "")
        for side in (1, 2)
    ]
    day = time.gmtime(record.lower)
    sql_date = f"{day.tm_year:04d}{day.tm_mon:02d}{day.tm_mday:02d}"
    days_in_year = date(day.tm_year, 12, 31).timetuple().tm_yday
    fraction = f"{day.tm_year + day.tm_yday / days_in_year:.4f}"
    code = described.event_code
    root = code[:2] if code[:2] in CAMEO_ROOTS else ""
    quad = _QUAD_OF_CATEGORY.get(record.category) or (quad_class_of_root(root) if root else "")
    specs = _row_specs(record, described.unlinked)
    rest = None
    if described.mentions is not None:
        rest = described.mentions - sum(spec[2] or 0 for spec in specs)
    for index, (row_id, url, mentions) in enumerate(specs):
        count = mentions
        if index == 0 and rest:
            count = (count or 0) + rest
        values = dict.fromkeys(V2_COLUMNS, "")
        values.update(
            GLOBALEVENTID=row_id,
            SQLDATE=sql_date,
            MonthYear=sql_date[:6],
            Year=sql_date[:4],
            FractionDate=fraction,
            EventCode=code,
            EventBaseCode=described.base_code or code,
            EventRootCode=root,
            QuadClass=quad,
            GoldsteinScale=described.goldstein,
            NumMentions="" if count is None else str(max(count, 0)),
            ActionGeo_FullName=record.location or "",
            SOURCEURL=url,
        )
        for side, actor in zip(("Actor1", "Actor2"), actors, strict=True):
            values[f"{side}Code"] = actor.code
            values[f"{side}Name"] = actor.name
            values[f"{side}CountryCode"] = actor.country
        yield [_cell(values[name]) for name in V2_COLUMNS]


def dump(catalog: Catalog, *, progress: Progress | None = None) -> bytes:
    """Every event as GDELT 2.0 rows (one per linked source, at least one), UTF-8."""
    records = catalog.events()
    tick = report_every(progress, len(records))
    tick(0)
    out: list[str] = []
    for done, record in enumerate(records, 1):
        out.extend("\t".join(values) for values in _rows(record))
        tick(done)
    return ("\n".join(out) + "\n" if out else "").encode("utf-8")
