"""Spreadsheets (xlsx, ods) and any CSV/TSV, read through a column mapping.

Other people's sheets name their columns in many ways ("Date", "Year"/"Month"/"Day",
"Headline", "Event"…). A `ColumnMapping` says which column feeds which field of an event;
`propose_mapping` guesses one from the header, so a recognisable sheet imports without one.
Workbooks are read with python-calamine (date cells arrive as dates); text files with the
csv module. Every row's dates go through the app's lenient reader (`read_user_date`, with the
file's order of day and month), times of day included; an end cell may also say "present" (an
open end); year/month/day(/time) columns combine into EDTF at the precision the cells give.
`preview_rows` is the dry run of each row (the date read, its precision, or the error) that
the column-mapping dialog shows.

`dump` writes xlsx, ods or tsv with the app's own CSV columns, so an export imports back as
it was. A CSV whose header is the app's own stays with `csv_format`; this module reads the rest.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache

from timeline_app.domain.dates import (
    MAX_YEAR,
    MIN_YEAR,
    MONTH_NUMBERS,
    days_in_month,
    file_date_cells,
    parse_span,
    read_user_date,
    read_user_end,
    read_user_span,
    year_text,
)
from timeline_app.domain.errors import (
    DateError,
    ImportFileError,
    TimelineError,
    ValidationError,
    quoted,
)
from timeline_app.domain.model import (
    IMPORTANCE_MAX,
    IMPORTANCE_MIN,
    EventRecord,
    SourceRef,
    stable_id,
)
from timeline_app.domain.palette import CATEGORY_COLOURS
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import EventChecker, parse_importance_text
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.csv_format import COLUMNS as CSV_COLUMNS
from timeline_app.services.interchange.csv_format import (
    FORMULA_STARTS,
    HEADER,
    LIST_SEPARATOR,
    SOURCE_SEPARATOR,
    guard_formula,
    source_text,
)
from timeline_app.services.interchange.csv_format import (
    _sources as read_sources_cell,  # the app's sources notation, read exactly as its CSV reads it
)
from timeline_app.services.interchange.document import (
    CategoryItem,
    Document,
    EraItem,
    EventItem,
    check_event_fields,
    check_id,
    check_unique_ids,
    field_label,
)
from timeline_app.services.interchange.edtf_parts import clock_text, read_clock
from timeline_app.services.interchange.text_file import decode_text

FORMATS = ("xlsx", "ods", "tsv", "csv")
"""The formats this module reads; `dump` writes the first three."""
PREVIEW_LIMIT = 200
DEFAULT_CATEGORY = "Imported"
"""The category of a row when the mapping has no category column, or its cell is empty."""
MAPPING_FORMAT = "timeline-app-column-mapping"
MAPPING_VERSION = 1
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
SHEET_TITLE = "Events"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system as it counts from day 61 on (its 1900-02-29 is fictional)."""
_EXCEL_SERIAL_MAX = 2_958_465  # 9999-12-31
_TITLE_FROM_TEXT = 120
"""A row without a title takes this many characters of its text as one."""


# ---- the mapping --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which column (by its header text) feeds each field of an event; None = no column.

    The date is one `date` cell, or `year`/`month`/`day` (+ `time`) cells; `start` is another
    name for a one-cell date. The end likewise: `end`, or `end_year`/`end_month`/`end_day`.
    `sources` reads the app's own notation (`Publisher: Title <URL> | …`); `source_url`,
    `source_title` and `source_publisher` make one source a row, any of them alone too (a
    source without a URL is named by its title or publisher). `kind` is TimelineJS's "Type":
    a `title` row names the timeline, an `era` row is an era. `html` strips tags from title and
    text (TimelineJS writes HTML there). `day_first` decides 03/04/2020 (None: from the file).
    """

    title: str | None = None
    date: str | None = None
    year: str | None = None
    month: str | None = None
    day: str | None = None
    time: str | None = None
    start: str | None = None
    end: str | None = None
    end_year: str | None = None
    end_month: str | None = None
    end_day: str | None = None
    end_time: str | None = None
    description: str | None = None
    category: str | None = None
    location: str | None = None
    actors: str | None = None
    tags: str | None = None
    importance: str | None = None
    certainty: str | None = None
    sources: str | None = None
    source_url: str | None = None
    source_title: str | None = None
    source_publisher: str | None = None
    id: str | None = None
    kind: str | None = None
    default_category: str = DEFAULT_CATEGORY
    html: bool = False
    day_first: bool | None = None
    no_year_zero: bool | None = None
    """True: year cells count as TimelineJS does, without a year 0: -44 is 44 BCE (EDTF
    `-0043`). False: astronomical, as EDTF and the lenient reader count: -55 is `-0055`.
    None: TimelineJS's count when the header is its template's, else astronomical."""

    def columns(self) -> dict[str, str]:
        """The mapped fields and their columns, in the order of TARGETS."""
        return {name: getattr(self, name) for name in TARGETS if getattr(self, name)}

    @property
    def start_column(self) -> str | None:
        return self.date or self.start

    @property
    def has_date(self) -> bool:
        return bool(self.start_column or self.year)


TARGETS: tuple[str, ...] = tuple(
    item.name
    for item in fields(ColumnMapping)
    if item.name not in ("default_category", "html", "day_first", "no_year_zero")
)
"""Every field a column can feed, in the order the dialog lists them."""
TARGET_LABELS: dict[str, str] = {
    "title": "Title",
    "date": "Date",
    "year": "Year",
    "month": "Month",
    "day": "Day",
    "time": "Time",
    "start": "Start",
    "end": "End",
    "end_year": "End year",
    "end_month": "End month",
    "end_day": "End day",
    "end_time": "End time",
    "description": "Description",
    "category": "Category",
    "location": "Location",
    "actors": "Actors",
    "tags": "Tags",
    "importance": "Importance",
    "certainty": "Certainty",
    "sources": "Sources (app notation)",
    "source_url": "Source URL",
    "source_title": "Source title",
    "source_publisher": "Source publisher",
    "id": "Id",
    "kind": "Row type (TimelineJS)",
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading", "event", "eventname", "name", "subject"),
    "date": ("date", "when", "eventdate", "day/date", "datetime", "timestamp"),
    "year": ("year", "startyear", "yyyy"),
    "month": ("month", "startmonth"),
    "day": ("day", "startday"),
    "time": ("time", "starttime"),
    "start": ("start", "startdate", "from", "begin", "begins", "datefrom", "fromdate"),
    "end": ("end", "enddate", "to", "until", "ends", "dateto", "todate", "finish"),
    "end_year": ("endyear",),
    "end_month": ("endmonth",),
    "end_day": ("endday",),
    "end_time": ("endtime",),
    "description": (
        "description",
        "text",
        "summary",
        "details",
        "detail",
        "notes",
        "note",
        "body",
        "content",
        "summarytext",
        "desc",
    ),
    "category": ("category", "group", "type", "theme", "topic", "kind", "categories"),
    "location": ("location", "place", "city", "country", "where", "venue"),
    "actors": ("actors", "actor", "participants", "parties", "people", "who", "persons"),
    "tags": ("tags", "tag", "keywords", "labels"),
    "importance": ("importance", "priority", "weight", "significance"),
    "certainty": ("certainty", "confidence"),
    "sources": ("sources",),
    "source_url": (
        "url",
        "link",
        "source",
        "sourceurl",
        "sourcelink",
        "href",
        "reference",
        "media",
    ),
    "source_title": ("sourcetitle", "sourcename", "linktitle", "mediacaption"),
    "source_publisher": ("publisher", "sourcepublisher", "outlet", "mediacredit", "credit"),
    "id": ("id", "uuid", "eventid", "uniqueid"),
}
"""Header words (lower case, without spaces, underscores or hyphens) for each field."""
_FIELD_OF_WORD = {word: name for name, words in _SYNONYMS.items() for word in words}
_TIMELINEJS_MARKS = frozenset(("headline", "year", "text", "displaydate", "endyear"))


def header_key(name: str) -> str:
    """A header cell as `propose_mapping` compares it: lower case, no spaces, _ or -."""
    return re.sub(r"[\s_\-]+", "", str(name)).casefold()


def looks_like_timelinejs(header: Sequence[str]) -> bool:
    """True for the TimelineJS template's columns (Headline, Year, Text, Display Date…)."""
    keys = {header_key(name) for name in header}
    return len(keys & _TIMELINEJS_MARKS) >= 3


def propose_mapping(header: Sequence[str]) -> ColumnMapping:
    """The mapping a sheet's header suggests: each field takes the first column named by
    one of its words; the app's own CSV columns map to themselves."""
    timelinejs = looks_like_timelinejs(header)
    best: dict[str, tuple[int, int]] = {}  # target: (rank of its word, column position)
    for position, name in enumerate(header):
        key = header_key(name)
        target = "kind" if timelinejs and key == "type" else _FIELD_OF_WORD.get(key)
        if target is None:
            continue
        rank = _SYNONYMS[target].index(key) if target in _SYNONYMS else 0
        if target not in best or (rank, position) < best[target]:
            best[target] = (rank, position)
    chosen = {target: str(header[position]) for target, (_rank, position) in best.items()}
    if chosen.get("source_url") and header_key(chosen["source_url"]) == "media":
        # a Media column (TimelineJS's picture or video) is the source only when no other is
        others = [
            str(name)
            for name in header
            if _FIELD_OF_WORD.get(header_key(name)) == "source_url" and header_key(name) != "media"
        ]
        chosen["source_url"] = others[0] if others else chosen["source_url"]
    if "sources" in chosen and header_key(chosen.get("source_url") or "") == "source":
        del chosen["source_url"]  # "sources" holds them all, in the app's notation
    return ColumnMapping(**chosen, html=timelinejs, no_year_zero=True if timelinejs else None)


def fit_mapping(mapping: ColumnMapping, header: Sequence[str]) -> ColumnMapping:
    """The mapping with each column named as `header` spells it ("notes" for "Notes"), for a
    mapping remembered or written for the same columns spelt otherwise; columns the header
    lacks stay as they are (reading then names them)."""
    spelt = {}
    for name in header:
        spelt.setdefault(header_key(name), str(name))
    renamed = {
        target: column if column in header else spelt.get(header_key(column), column)
        for target, column in mapping.columns().items()
    }
    return replace(mapping, **renamed)


PRESETS: dict[str, ColumnMapping] = {
    "timelinejs": ColumnMapping(
        title="Headline",
        year="Year",
        month="Month",
        day="Day",
        time="Time",
        end_year="End Year",
        end_month="End Month",
        end_day="End Day",
        end_time="End Time",
        description="Text",
        category="Group",
        source_url="Media",
        source_title="Media Caption",
        source_publisher="Media Credit",
        kind="Type",
        html=True,
        no_year_zero=True,
    ),
    "simple": ColumnMapping(title="Title", date="Date", description="Description"),
    "app": ColumnMapping(**{name: name for name in HEADER}),
}
"""Named mappings the command line accepts (`--preset NAME`); "app" is the app's own CSV
columns, as `dump` writes them."""


def preset(name: str) -> ColumnMapping:
    """A named mapping; TimelineError listing the names for an unknown one."""
    try:
        return PRESETS[name]
    except KeyError:
        raise TimelineError(
            f"--preset: {name!r} is not one of {', '.join(sorted(PRESETS))}"
        ) from None


def mapping_to_json(mapping: ColumnMapping, header: Sequence[str] | None = None) -> str:
    """The mapping file the command line reads: the columns by field, and the options.

    `header` is written for a file without a header row of its own.
    """
    data: dict[str, object] = {
        "format": MAPPING_FORMAT,
        "version": MAPPING_VERSION,
        "columns": mapping.columns(),
        "default_category": mapping.default_category,
        "html": mapping.html,
        "day_first": mapping.day_first,
    }
    if mapping.no_year_zero is not None:
        data["no_year_zero"] = mapping.no_year_zero
    if header is not None:
        data["header"] = list(header)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def mapping_from_json(text: str, where: str = "mapping") -> ColumnMapping:
    """Read a mapping file; TimelineError `WHERE: key: problem` for anything wrong in it."""
    return _mapping_and_header(text, where)[0]


def mapping_header_from_json(text: str, where: str = "mapping") -> list[str] | None:
    """The header a mapping file gives a file that has none (None when it gives none)."""
    return _mapping_and_header(text, where)[1]


def _mapping_and_header(text: str, where: str) -> tuple[ColumnMapping, list[str] | None]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise TimelineError(f"{where}: is not JSON ({error})") from error
    if not isinstance(data, dict):
        raise TimelineError(f'{where}: must be a JSON object with a "columns" object')
    if data.get("format", MAPPING_FORMAT) != MAPPING_FORMAT:
        raise TimelineError(f"{where}: format: {quoted(data['format'])} is not {MAPPING_FORMAT}")
    if data.get("version", MAPPING_VERSION) != MAPPING_VERSION:
        raise TimelineError(f"{where}: version: {quoted(data['version'])} is not supported")
    columns = data.get("columns")
    if not isinstance(columns, dict):
        raise TimelineError(f"{where}: columns: must be an object of field: column name")
    values: dict[str, object] = {}
    for key, value in columns.items():
        if key not in TARGETS:
            raise TimelineError(
                f"{where}: columns.{key}: is not a field (one of {', '.join(TARGETS)})"
            )
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise TimelineError(f"{where}: columns.{key}: must be a column name")
        values[key] = value
    category = data.get("default_category", DEFAULT_CATEGORY)
    if not isinstance(category, str) or not category.strip():
        raise TimelineError(f"{where}: default_category: must be a category name")
    flag = data.get("html", False)
    if not isinstance(flag, bool):
        raise TimelineError(f"{where}: html: must be true or false")
    day_first = data.get("day_first")
    if day_first is not None and not isinstance(day_first, bool):
        raise TimelineError(f"{where}: day_first: must be true, false or null")
    no_year_zero = data.get("no_year_zero")
    if no_year_zero is not None and not isinstance(no_year_zero, bool):
        raise TimelineError(f"{where}: no_year_zero: must be true, false or null")
    header = data.get("header")
    if header is not None and (
        not isinstance(header, list) or not all(isinstance(name, str) for name in header)
    ):
        raise TimelineError(f"{where}: header: must be a list of column names")
    mapping = ColumnMapping(
        **values,  # type: ignore[arg-type]
        default_category=category.strip(),
        html=flag,
        day_first=day_first,
        no_year_zero=no_year_zero,
    )
    return mapping, header


def describe_mapping(mapping: ColumnMapping, header: Sequence[str] = ()) -> str:
    """The mapping in a few lines, as the command line prints the one it applied."""
    lines = [f"{TARGET_LABELS[name]:<24} ← {column}" for name, column in mapping.columns().items()]
    if not mapping.category:
        lines.append(f"{'Category':<24} = {mapping.default_category} (no column)")
    used = set(mapping.columns().values())
    ignored = [str(name) for name in header if str(name) not in used and str(name).strip()]
    if ignored:
        lines.append(f"{'(ignored)':<24}   {', '.join(ignored)}")
    if mapping.day_first is not None:
        lines.append(f"{'Dates like 03/04/2020':<24}   read {_order_word(mapping.day_first)}")
    return "\n".join(lines)


def _order_word(day_first: bool) -> str:
    return "day first" if day_first else "month first"


def settings_key(header: Sequence[str]) -> str:
    """A short key for a header, to remember a mapping by: the same columns (in any case or
    spacing) give the same key."""
    joined = "\x1f".join(header_key(name) for name in header)
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# ---- reading cells ------------------------------------------------------------------------

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


@dataclass(slots=True)
class Table:
    """A sheet's cells: the header and the data rows with their row numbers in the file."""

    path: str
    kind: str
    header: list[str]
    rows: list[list[Cell]]
    row_numbers: list[int]
    sheet_names: list[str] = field(default_factory=list)
    sheet: str = ""
    has_header: bool = True
    header_row: int | None = 1
    """The row number of the header in the file; None for a header given to the file."""
    typed: bool = False
    """True for workbooks: cells carry numbers and dates, not only text."""


_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97–2003 workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)


def _zip_kind(raw: bytes) -> str | None:
    """ "xlsx", "ods", "docx", "odt", "zip" for a zip archive, None for anything else."""
    if not raw.startswith(b"PK\x03\x04"):
        return None
    if raw[30:38] == b"mimetype":
        start = raw.find(b"application/", 38, 200)
        if raw[start:].startswith(ODS_MIMETYPE):
            return "ods"
        if raw[start:].startswith(b"application/vnd.oasis.opendocument.text"):
            return "odt"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return "xlsx"
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
                return "ods"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return "zip"
    return "zip"


_ZIP_NAMES = {
    "xlsx": "an Excel workbook",
    "ods": "an OpenDocument spreadsheet",
    "odt": "an OpenDocument text document",
    "docx": "a Word document",
    "zip": "a ZIP archive",
}


def content_kind(raw: bytes) -> str:
    """What the bytes are: "xlsx", "xls", "ods", "text", or a foreign kind's name."""
    kind = _zip_kind(raw)
    if kind is not None:
        return kind
    if raw.startswith(_SIGNATURES[0][0]):
        return "xls"
    for signature, _name in _SIGNATURES[1:]:
        if raw.startswith(signature):
            return "binary"
    return "text"


def foreign_kind_name(raw: bytes) -> str | None:
    """A user's name for bytes that are not text ("an Excel workbook"), None for text."""
    kind = _zip_kind(raw)
    if kind is not None:
        return _ZIP_NAMES[kind]
    for signature, name in _SIGNATURES:
        if raw.startswith(signature):
            return name
    return None


def sniff(raw: bytes, name: str = "") -> bool:
    """True for an xlsx or ods workbook, or for tab-separated text."""
    return sniff_format(raw, name) in ("xlsx", "ods", "tsv")


def sniff_format(raw: bytes, name: str = "") -> str | None:
    """ "xlsx", "ods" or "tsv" when the content is one; None otherwise. Never raises."""
    try:
        kind = _zip_kind(raw)
        if kind in ("xlsx", "ods"):
            return kind
        if kind is not None or foreign_kind_name(raw) is not None:
            return None
        return "tsv" if _splits_on_tabs(raw) else None
    except Exception:  # a sniffer answers no, it never fails an import by itself
        return None


def _splits_on_tabs(raw: bytes) -> bool:
    """The first records (up to five) each hold the same number (≥ 2) of tab-separated
    fields; a quoted field may span lines."""
    sample = raw[:8192]
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = sample[: error.start].decode("utf-8-sig", "ignore")
    if "\t" not in text:
        return False
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter="\t"):
            if any(cell.strip() for cell in record):
                records.append(record)
    except csv.Error:
        return False
    if len(raw) > len(sample) and len(records) > 1:
        records = records[:-1]  # the last record may be cut off
    counts = {len(record) for record in records[:5]}
    return len(counts) == 1 and counts.pop() >= 2


def _refuse_foreign(path: str, raw: bytes, fmt: str | None) -> str:
    """The kind to read the bytes as ("workbook" or "text"); an ImportFileError naming what
    the bytes are when they are neither, or when `fmt` names another kind."""
    kind = content_kind(raw)
    if kind in ("xlsx", "xls", "ods"):
        if (
            fmt in ("csv", "tsv")
            or (fmt == "ods" and kind != "ods")
            or (fmt == "xlsx" and kind == "ods")
        ):
            name = foreign_kind_name(raw) or kind
            hint = "ods" if kind == "ods" else "xlsx"
            raise ImportFileError(path, None, "file", f"is {name}: use --format {hint}")
        return "workbook"
    if kind != "text":
        name = foreign_kind_name(raw) or "a binary file"
        raise ImportFileError(path, None, "file", f"is {name}, not a spreadsheet or CSV/TSV")
    if fmt in ("xlsx", "ods"):
        word = "an Excel workbook" if fmt == "xlsx" else "an OpenDocument spreadsheet"
        raise ImportFileError(
            path, None, "file", f"is text, not {word}: use --format csv or --format tsv"
        )
    return "text"


def load_table(
    path: str,
    raw: bytes,
    *,
    header: Sequence[str] | None = None,
    sheet: str | int | None = None,
    delimiter: str | None = None,
    fmt: str | None = None,
) -> Table:
    """The cells of a workbook's sheet (the first one by default) or of a CSV/TSV text.

    `header` names the columns of a file without a header row: every row is then data.
    """
    if _refuse_foreign(path, raw, fmt) == "workbook":
        table = _workbook_table(path, raw, sheet)
    else:
        table = _text_table(path, raw, delimiter, fmt)
    return _with_header(table, header)


def _workbook_table(path: str, raw: bytes, sheet: str | int | None) -> Table:
    import python_calamine  # imported here: the CLI's other commands never pay for it

    kind = "ods" if content_kind(raw) == "ods" else "xlsx"
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(workbook.sheet_names)
    except Exception as error:  # calamine raises its own and plain errors for a bad archive
        raise ImportFileError(
            path, None, "file", f"cannot be read as a workbook: {error}"
        ) from error
    if not names:
        raise ImportFileError(path, None, "sheet", "the workbook has no sheet")
    if sheet is None or sheet == "":
        chosen = names[0]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise ImportFileError(
                path, None, "sheet", f"{sheet + 1} is not a sheet of {len(names)}"
            )
        chosen = names[sheet]
    elif sheet in names:
        chosen = sheet
    else:
        raise ImportFileError(
            path, None, "sheet", f"{quoted(sheet)} is not one of {', '.join(map(repr, names))}"
        )
    try:
        cells = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as error:
        raise ImportFileError(path, None, f"sheet {chosen}", f"cannot be read: {error}") from error
    finally:
        workbook.close()
    return _table_of_rows(path, kind, cells, list(range(1, len(cells) + 1)), names, chosen, True)


def _text_table(path: str, raw: bytes, delimiter: str | None, fmt: str | None) -> Table:
    text = decode_text(path, raw)
    if delimiter is None:
        delimiter = "\t" if fmt == "tsv" else _sniff_delimiter(text, fmt)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[Cell]] = []
    numbers: list[int] = []
    line = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(path, reader.line_num, "row", str(error)) from error
        rows.append(list(values))
        numbers.append(line)
        line = reader.line_num + 1
    kind = "tsv" if delimiter == "\t" else "csv"
    return _table_of_rows(path, kind, rows, numbers, [], "", False)


def _sniff_delimiter(text: str, fmt: str | None) -> str:
    """Tab, comma, semicolon or pipe: the one the first lines split on evenly."""
    sample = "\n".join(text[:65536].splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def _table_of_rows(
    path: str,
    kind: str,
    cells: list[list[Cell]],
    numbers: list[int],
    sheets: list[str],
    sheet: str,
    typed: bool,
) -> Table:
    first = next((index for index, row in enumerate(cells) if _filled(row)), None)
    if first is None:
        where = f"sheet {sheet}" if sheet else "file"
        raise ImportFileError(path, None, where, "is empty")
    header = [_header_text(cell) for cell in cells[first]]
    return Table(
        path,
        kind,
        header,
        cells[first + 1 :],
        numbers[first + 1 :],
        sheets,
        sheet,
        has_header=True,
        header_row=numbers[first],
        typed=typed,
    )


def _with_header(table: Table, header: Sequence[str] | None) -> Table:
    """The table with `header` given to it: its own header row becomes the first data row."""
    if header is None:
        return table
    first_number = table.header_row or 1
    rows = [list(table.header), *table.rows]
    numbers = [first_number, *table.row_numbers]
    table.rows, table.row_numbers = rows, numbers
    table.header = [str(name).strip() for name in header]
    table.has_header = False
    table.header_row = None
    return table


def app_csv_header(raw: bytes) -> bool:
    """True when the text's first line is a header of the app's own CSV (every cell one of
    its columns): such a file is `csv_format`'s; any other CSV is read here. Never raises."""
    try:
        line = raw[:65536].decode("utf-8-sig", "replace").splitlines()[0]
        cells = next(csv.reader([line]))
    except (IndexError, StopIteration, csv.Error):
        return False
    names = [cell.strip() for cell in cells]
    return bool(names) and all(name in CSV_COLUMNS for name in names)


def numbered_header(width: int) -> list[str]:
    """Names for the columns of a file without a header: "Column 1", "Column 2", …"""
    return [f"Column {index}" for index in range(1, width + 1)]


def _filled(row: Iterable[Cell]) -> bool:
    return any(not (cell is None or (isinstance(cell, str) and not cell.strip())) for cell in row)


def _header_text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


# ---- dates --------------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(r"\s*([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})\s*([?~%]?)\s*")
"""A numeric date (03/04/2020): the cells that tell, or leave open, the order of day and month."""
_NUMERIC_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{1,2})[./-]([0-9]{1,2})[./-][0-9]{4}(?![0-9])")
_SECOND_FRACTION = re.compile(
    r"(?<=:[0-9]{2})[.,][0-9]+(?=\s*(?:Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)?\s*$)", re.I
)
"""Fractions of a second, which a sheet's time stamps carry (`11:16:05.250`) and EDTF has not."""
_THOUSANDS = re.compile(r"^(\s*[+-]?[0-9]{1,3})[,\u00a0 ]([0-9]{3})(?=\s*[?~%]?\s*$)")
"""A year a spreadsheet formatted as a number with a thousands separator ("1,990")."""
_YEAR = re.compile(r"\s*([+-]?[0-9]{1,4})\s*([?~%]?)\s*")


@lru_cache(maxsize=65_536)
def _user_date(text: str, day_first: bool, end: bool = False) -> str:
    """`read_user_date` of a cell's text, numeric dates ordered by `day_first` (of an end
    cell `read_user_end`: "present" is an open end, "?" an unknown one); cached, as a sheet
    repeats its dates."""
    text = _SECOND_FRACTION.sub("", text)
    if end:
        return read_user_end(text, day_first=day_first)
    return read_user_date(text, day_first=day_first)


def excel_serial_date(serial: float) -> dt.date | dt.datetime:
    """An Excel serial day number (1900 system) as a date, or a datetime when it has a time."""
    if not 1 <= serial <= _EXCEL_SERIAL_MAX:
        raise ValueError(f"{serial} is not an Excel day number")
    whole = int(serial)
    if whole == 60:
        raise ValueError("60 is Excel's 1900-02-29, a day that did not exist")
    day = _EXCEL_EPOCH + dt.timedelta(days=whole if whole > 60 else whole + 1)
    seconds = round((serial - whole) * 86_400)
    if seconds == 0:
        return day
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)


class CellError(ValueError):
    """A cell's problem; the reader adds the file, the row and the column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def _cell_date(
    column: str, cell: Cell, day_first: bool, note: list[str], *, end: bool = False
) -> str | None:
    """One date cell as EDTF, with its time of day when it has one; None for an empty cell.
    An `end` cell may also say the span is ongoing (`..`) or ended at an unknown time ("")."""
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        if cell.time() == dt.time():
            return cell.date().isoformat()
        return cell.date().isoformat() + _clock(cell.time())
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, (dt.time, dt.timedelta)):
        raise CellError(column, f"{quoted(str(cell))} is a time of day without a date")
    if isinstance(cell, bool):
        raise CellError(column, f"{quoted(cell)} is not a date")
    if isinstance(cell, (int, float)):
        if float(cell).is_integer() and 1 <= cell <= 9999:
            return year_text(int(cell))
        try:
            serial = excel_serial_date(float(cell))
        except ValueError as error:
            raise CellError(column, f"{quoted(cell)} is not a date ({error})") from None
        note.append(f"{cell:g} read as an Excel day number")
        return _cell_date(column, serial, day_first, note)
    text = cell.strip()
    if not text:
        return None
    if text[0] == "'" and len(text) > 1:  # a spreadsheet's mark for "text, not a number"
        text = text[1:]
    _check_day_order(column, text, day_first)
    numeric = _NUMERIC_DATE.match(text)
    try:
        result = _user_date(text, day_first, end)
    except DateError as error:
        raise CellError(column, error.message) from None
    if numeric is not None:
        first, second = int(numeric.group(1)), int(numeric.group(2))
        if first <= 12 and second <= 12 and first != second:
            note.append(f"{text} read {_order_word(day_first)}")
    return result


def _check_day_order(column: str, text: str, day_first: bool) -> None:
    """The file's one order of day and month holds for every numeric date in it: a date that
    reads only the other way is a mixed-up file, named here, not silently read the other way."""
    for numeric in _NUMERIC_IN_TEXT.finditer(text):
        first, second = int(numeric.group(1)), int(numeric.group(2))
        month = second if day_first else first
        if month > 12:
            raise CellError(
                column,
                f"{quoted(text)} cannot be read {_order_word(day_first)}: "
                f"there is no month {month}",
            )


def _span_cell(column: str, cell: Cell, day_first: bool, note: list[str]) -> tuple[str, str | None]:
    """A start cell that may hold a whole span ("1995 - 1997", "2015-09-30/2016-01")."""
    try:
        return _cell_date(column, cell, day_first, note) or "", None
    except CellError:
        if not isinstance(cell, str):
            raise
        _check_day_order(column, cell, day_first)
        try:
            return read_user_span(_SECOND_FRACTION.sub("", cell), day_first=day_first)
        except DateError:
            pass
        raise


def _whole(cell: Cell) -> tuple[int | None, str]:
    """A cell as a whole number and a trailing qualifier (?, ~, %), or (None, "")."""
    if isinstance(cell, bool) or cell is None:
        return None, ""
    if isinstance(cell, int):
        return cell, ""
    if isinstance(cell, float):
        return (int(cell), "") if cell.is_integer() else (None, "")
    match = _YEAR.fullmatch(_THOUSANDS.sub(r"\1\2", str(cell)))
    if match is None:
        return None, ""
    return int(match.group(1)), match.group(2)


def date_from_parts(
    year: Cell,
    month: Cell = None,
    day: Cell = None,
    time: Cell = None,
    *,
    columns: tuple[str | None, ...] = ("year", "month", "day", "time"),
    no_year_zero: bool = False,
) -> str | None:
    """Year, month, day and time cells as one EDTF date at the precision they give
    (`2020`, `2020-03`, `2020-03-04`, `2020-03-04T11:16`, `-0055` for the year -55, or with
    `no_year_zero` `-0054`: 55 BCE); None when all are empty; CellError naming the column
    at fault."""
    year_column, month_column, day_column, time_column = (
        column or default
        for column, default in zip(columns, ("year", "month", "day", "time"), strict=True)
    )
    year_cell, month_cell, day_cell, time_cell = (
        None if _blank(cell) else cell for cell in (year, month, day, time)
    )
    if year_cell is None:
        for column, cell in ((month_column, month_cell), (day_column, day_cell)):
            if cell is not None:
                raise CellError(year_column, f"is empty, but {column} is not")
        return None
    if isinstance(year_cell, (dt.date, dt.datetime)):
        year_cell = year_cell.year
    number, qualifier = _whole(year_cell)
    if number is None:
        raise CellError(year_column, f"{quoted(year_cell)} is not a year")
    if no_year_zero and number == 0:
        raise CellError(year_column, "0 is not a year (1 BCE is -1 in this count)")
    written = number
    if no_year_zero and number < 0:
        number += 1
    if not MIN_YEAR <= number <= MAX_YEAR:
        raise CellError(year_column, f"{written} is out of range")
    text = year_text(number)
    if month_cell is None:
        if day_cell is not None:
            raise CellError(day_column, f"{quoted(day_cell)} is a day without a month")
        return text + qualifier
    month_number, mark = _whole(month_cell)
    if month_number is None and isinstance(month_cell, str):
        month_number = MONTH_NUMBERS.get(month_cell.strip().rstrip(".").casefold())
    if month_number is None or not 1 <= month_number <= 12:
        raise CellError(month_column, f"{quoted(month_cell)} is not a month")
    text += f"-{month_number:02d}"
    qualifier = mark or qualifier
    if day_cell is None:
        if time_cell is not None:
            raise CellError(time_column, "is a time of day without a day")
        return text + qualifier
    day_number, mark = _whole(day_cell)
    if day_number is None or not 1 <= day_number <= days_in_month(number, month_number):
        raise CellError(day_column, f"{quoted(day_cell)} is not a day of {text}")
    text += f"-{day_number:02d}"
    qualifier = mark or qualifier
    if time_cell is not None:
        if qualifier:
            raise CellError(
                time_column, f"a time of day cannot be marked {qualifier} (only a date can)"
            )
        text += _time_cell(time_column, time_cell)
    return text + qualifier


def _clock(time: dt.time) -> str:
    return clock_text(time.hour, time.minute, time.second or None)


def _time_cell(column: str, cell: Cell) -> str:
    """A time-of-day cell (a time, a fraction of a day, "11:16", "11:16:05 UTC") as `Thh:mm…`."""
    if isinstance(cell, dt.datetime):
        cell = cell.time()
    if isinstance(cell, dt.time):
        return _clock(cell)
    if isinstance(cell, float) and 0 <= cell < 1:
        seconds = round(cell * 86_400) % 86_400
        return clock_text(seconds // 3600, seconds // 60 % 60, seconds % 60 or None)
    try:
        return read_clock(str(cell)).text
    except ValueError as error:
        raise CellError(column, str(error)) from None


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# ---- rows into events ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowPreview:
    """How one row reads: its date (EDTF) and precision, or the error an import would give."""

    row: int
    title: str
    start: str | None
    end: str | None
    precision: str | None
    error: str | None
    note: str = ""
    kind: str = "event"
    """"event", "era" or "title" (TimelineJS rows)."""


def _text(cell: Cell) -> str:
    """A cell as text: whole numbers without ".0", dates in ISO."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.date, dt.datetime, dt.time)):
        return cell.isoformat()
    return str(cell)


def _unguard(text: str) -> str:
    """A text cell without the `'` a spreadsheet export puts before a formula's first character."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        return text[1:]
    return text


def _plain(text: str) -> str:
    """HTML as plain text: every tag dropped, entities resolved, paragraphs on their own lines."""
    import nh3

    if "<" not in text and "&" not in text:
        return text
    marked = re.sub(r"(?i)<\s*br\s*/?\s*>|</\s*p\s*>", "\n", text)
    return html.unescape(nh3.clean(marked, tags=set())).strip()


def _short_title(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    if len(line) <= _TITLE_FROM_TEXT:
        return line
    cut = line[:_TITLE_FROM_TEXT].rsplit(" ", 1)[0]
    return cut + "…"


def _names(cell: str, allow_commas: bool) -> tuple[str, ...]:
    separator = ";" if ";" in cell or not allow_commas else ","
    return tuple(filter(None, (name.strip() for name in cell.split(separator))))


class _RowReader:
    """Turns rows of a table into events with one mapping; shared by `read` and the preview."""

    def __init__(self, table: Table, mapping: ColumnMapping, day_first: bool) -> None:
        self.table = table
        self.mapping = mapping
        self.day_first = day_first
        self.checker = EventChecker()
        self.seen: dict[str, int] = {}
        self.eras = 0
        self.parts_read: dict[tuple, str] = {}
        self.no_year_zero = (
            mapping.no_year_zero
            if mapping.no_year_zero is not None
            else looks_like_timelinejs(table.header)
        )
        position = {}
        for index, name in enumerate(table.header):
            position.setdefault(name, index)
        folded = {}
        for index, name in enumerate(table.header):
            folded.setdefault(header_key(name), index)
        self.at: dict[str, int] = {}
        for target, column in mapping.columns().items():
            index = position.get(column)
            if index is None:
                index = folded.get(header_key(column))
            if index is None:
                raise ImportFileError(
                    table.path,
                    table.header_row,
                    f"column {field_label(column)}",
                    f"is not in the file's header ({', '.join(h for h in table.header if h)})"
                    f" (mapped to {TARGET_LABELS[target].lower()})",
                )
            self.at[target] = index
        if not mapping.has_date:
            raise ImportFileError(
                table.path,
                None,
                "mapping",
                "no column gives the date (map Date, Start or Year); "
                "give a mapping file or a preset",
            )
        if not (mapping.title or mapping.description):
            raise ImportFileError(
                table.path,
                None,
                "mapping",
                "no column gives the title (map Title or Headline); "
                "give a mapping file or a preset",
            )
        self.present = self._present()

    def _present(self) -> frozenset[str] | None:
        mapping = self.mapping
        carried = {"title", "start"}
        if mapping.end or mapping.end_year:
            carried.add("end")
        for name in (
            "category",
            "importance",
            "certainty",
            "description",
            "location",
            "actors",
            "tags",
        ):
            if getattr(mapping, name):
                carried.add(name)
        if (
            mapping.sources
            or mapping.source_url
            or mapping.source_title
            or mapping.source_publisher
        ):
            carried.add("sources")
        if len(carried) == 11:
            return None
        return frozenset(carried)

    def label(self, target: str) -> str:
        column = getattr(self.mapping, target)
        return f"column {field_label(column)}" if column else target

    def cell(self, values: list[Cell], target: str) -> Cell:
        index = self.at.get(target)
        if index is None or index >= len(values):
            return None
        return values[index]

    def text(self, values: list[Cell], target: str) -> str:
        index = self.at.get(target)
        if index is None or index >= len(values):
            return ""
        cell = values[index]
        if cell.__class__ is not str:
            return _text(cell).strip()
        text = cell.strip()  # type: ignore[union-attr]
        return text if self.table.typed or not text.startswith("'") else _unguard(text)

    def parts(
        self,
        columns: tuple[str | None, ...],
        targets: tuple[str, ...],
        values: list[Cell],
    ) -> str | None:
        """`date_from_parts` of the row's cells, each distinct set of cells read once."""
        cells = tuple(self.cell(values, name) for name in targets)
        key = (columns, cells, tuple(cell.__class__ for cell in cells))
        found = self.parts_read.get(key)
        if found is not None:
            return found
        text = date_from_parts(*cells, columns=columns, no_year_zero=self.no_year_zero)
        if text is not None:
            self.parts_read[key] = text
        return text

    def kind(self, values: list[Cell]) -> str:
        kind = self.text(values, "kind").casefold()
        return kind if kind in ("title", "era") else "event"

    def dates(self, values: list[Cell], note: list[str]) -> tuple[str, str | None]:
        """The row's start and end as EDTF; CellError for a bad or missing date."""
        mapping = self.mapping
        start: str | None = None
        end: str | None = None
        if mapping.start_column:
            target = "date" if mapping.date else "start"
            start, end = _span_cell(
                getattr(mapping, target), self.cell(values, target), self.day_first, note
            )
            start = start or None
        if start is None and mapping.year:
            start = self.parts(
                (mapping.year, mapping.month, mapping.day, mapping.time),
                ("year", "month", "day", "time"),
                values,
            )
        if start is None:
            column = mapping.start_column or mapping.year or "date"
            raise CellError(column, "is empty; every event needs a date")
        if mapping.end:
            end_cell = _cell_date(
                mapping.end, self.cell(values, "end"), self.day_first, note, end=True
            )
            end = end if end_cell is None else end_cell
        if mapping.end_year:
            end = (
                self.parts(
                    (mapping.end_year, mapping.end_month, mapping.end_day, mapping.end_time),
                    ("end_year", "end_month", "end_day", "end_time"),
                    values,
                )
                or end
            )
        # an unknown end travels in the start (`a/`): an empty end is "no end" to the checker
        return file_date_cells(start, end)

    def event(self, index: int) -> tuple[str, EventItem | EraItem | str, list[str]]:
        """Row `index` of the table as ("event", EventItem), ("era", EraItem) or ("title",
        text), with notes; ImportFileError `FILE:ROW: column NAME: problem` when it is wrong."""
        values = self.table.rows[index]
        row = self.table.row_numbers[index]
        path = self.table.path
        note: list[str] = []
        kind = self.kind(values) if self.mapping.kind else "event"
        title = self.text(values, "title")
        description = self.text(values, "description")
        if self.mapping.html:
            title, description = _plain(title), _plain(description)
        if kind == "title":
            return "title", title or _short_title(description), note
        try:
            start, end = self.dates(values, note)
        except CellError as error:
            raise ImportFileError(
                path, row, f"column {field_label(error.column)}", error.message
            ) from None
        if not title and description:
            title = _short_title(description)
            note.append("title taken from the text")
        category = self.text(values, "category") or self.mapping.default_category
        if kind == "era":
            if not title:
                raise ImportFileError(path, row, self.label("title"), "must not be empty")
            try:
                parse_span(start, end)
            except ValidationError as error:
                raise ImportFileError(
                    path, row, self._date_label(error.field), error.message
                ) from None
            colour = CATEGORY_COLOURS[self.eras % len(CATEGORY_COLOURS)]
            self.eras += 1
            era_id = stable_id(f"spreadsheet-era:{title}\n{start}\n{end or ''}")
            return "era", EraItem(era_id, title, start, end, colour, category), note
        event_id = self.text(values, "id")
        if event_id:
            check_id(path, row, self.label("id"), event_id)
        else:
            key = f"spreadsheet:{title}\n{start}\n{end or ''}"
            occurrence = self.seen.get(key, 0)
            self.seen[key] = occurrence + 1
            event_id = stable_id(key if occurrence == 0 else f"{key}\n{occurrence}")
        importance = self._importance(values, row)
        certainty = self.text(values, "certainty").casefold() or "confirmed"
        location = self.text(values, "location") or None
        actors = _names(self.text(values, "actors"), allow_commas=False)
        tags = _names(self.text(values, "tags"), allow_commas=True)
        sources = self._sources(values, row, title)
        try:
            item = check_event_fields(
                path,
                row,
                event_id,
                title,
                start,
                end,
                category,
                importance,
                certainty,
                description,
                location,
                actors,
                tags,
                sources,
                present=self.present,
                checker=self.checker,
            )
        except ImportFileError as error:
            raise ImportFileError(
                path, row, self._field_label(error.field), error.message
            ) from None
        return "event", item, note

    def _importance(self, values: list[Cell], row: int) -> int:
        cell = self.cell(values, "importance")
        if _blank(cell):
            return 3
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        if isinstance(cell, int) and not isinstance(cell, bool):
            if IMPORTANCE_MIN <= cell <= IMPORTANCE_MAX:
                return cell
            text = str(cell)
        else:
            text = _text(cell)
        try:
            return parse_importance_text(text)
        except ValidationError as error:
            raise ImportFileError(
                self.table.path, row, self.label("importance"), error.message
            ) from None

    def _sources(self, values: list[Cell], row: int, title: str) -> tuple[SourceRef, ...]:
        refs: tuple[SourceRef, ...] = ()
        notation = self.text(values, "sources")
        if notation:
            try:
                refs = read_sources_cell(self.table.path, row, notation)
            except ImportFileError as error:
                raise ImportFileError(
                    self.table.path, row, f"{self.label('sources')} {error.field}", error.message
                ) from None
        url = self.text(values, "source_url")
        if (
            url
            and "://" not in url
            and not url.lower().startswith("www.")
            and header_key(self.mapping.source_url or "") in ("source", "sources")
        ):
            # a column headed "Source" holding names ("Reuters"), not addresses: a source
            # without a URL, named so
            named = url
            url = ""
        else:
            named = ""
        source_title = self.text(values, "source_title") or named
        if self.mapping.html:
            source_title = _plain(source_title)
        publisher = self.text(values, "source_publisher")
        # A source without a URL is named by its title or publisher; a TimelineJS caption
        # alone describes a picture, not a source.
        captioned = header_key(self.mapping.source_url or "") == "media"
        if url or publisher or (source_title and not captioned):
            refs = (*refs, SourceRef(source_title or url or publisher, url, publisher))
        return refs

    def _date_label(self, name: str) -> str:
        mapping = self.mapping
        if name == "end":
            column = mapping.end or mapping.end_day or mapping.end_month or mapping.end_year
        else:
            column = mapping.start_column or mapping.day or mapping.month or mapping.year
        return f"column {field_label(column)}" if column else name

    def _field_label(self, name: str) -> str:
        root, dot, rest = name.partition(".")
        if root in ("start", "end"):
            return self._date_label(root)
        if root.startswith("sources["):
            part = {
                "url": "source_url",
                "title": "source_title",
                "publisher": "source_publisher",
            }.get(rest)
            if self.mapping.sources or part is None or not getattr(self.mapping, part):
                return f"{self.label('sources')} {name}" if self.mapping.sources else name
            return self.label(part)
        if root in TARGETS and getattr(self.mapping, root):
            return self.label(root) + (dot + rest if rest else "")
        return name


def guess_day_first(table: Table, mapping: ColumnMapping) -> bool | None:
    """Whether the file writes dates day first (31/12/2020), month first (12/31/2020), or
    None when no date of it tells (every first and second number is 12 or less)."""
    columns = [
        index
        for target in ("date", "start", "end")
        if (column := getattr(mapping, target))
        for index, name in enumerate(table.header)
        if name == column or header_key(name) == header_key(column)
    ]
    if not columns:
        return None
    day_first = month_first = False
    for values in table.rows:
        for index in columns:
            if index >= len(values) or not isinstance(values[index], str):
                continue
            match = _NUMERIC_DATE.match(values[index])  # type: ignore[arg-type]
            if match is None:
                continue
            first, second = int(match.group(1)), int(match.group(2))
            day_first |= first > 12 >= second
            month_first |= second > 12 >= first
        if day_first and month_first:
            return None  # the file mixes both: the preview shows which rows fail
    if day_first != month_first:
        return day_first
    return None


def _day_first(table: Table, mapping: ColumnMapping, day_first: bool | None) -> bool:
    if day_first is not None:
        return day_first
    if mapping.day_first is not None:
        return mapping.day_first
    guessed = guess_day_first(table, mapping)
    return True if guessed is None else guessed


def preview_table(
    table: Table,
    mapping: ColumnMapping,
    day_first: bool | None = None,
    limit: int = PREVIEW_LIMIT,
) -> list[RowPreview]:
    """How each of the first `limit` rows reads with `mapping`: what the dialog shows.

    A mapping error (a column not in the file, no date column) is one row 0 with the error.
    """
    try:
        reader = _RowReader(table, mapping, _day_first(table, mapping, day_first))
    except ImportFileError as error:
        return [RowPreview(0, "", None, None, None, _short_error(error))]
    previews = []
    for index in range(len(table.rows)):
        if len(previews) >= limit:
            break
        values = table.rows[index]
        if not _filled(values):
            continue
        row = table.row_numbers[index]
        try:
            kind, item, note = reader.event(index)
        except ImportFileError as error:
            previews.append(
                RowPreview(row, reader.text(values, "title"), None, None, None, _short_error(error))
            )
            continue
        if isinstance(item, EventItem):
            previews.append(
                RowPreview(
                    row,
                    item.draft.title,
                    item.draft.start,
                    item.draft.end,
                    str(item.span.precision),
                    None,
                    "; ".join(note),
                )
            )
        elif isinstance(item, EraItem):
            span = parse_span(item.start, item.end)
            previews.append(
                RowPreview(
                    row,
                    item.name,
                    item.start,
                    item.end,
                    str(span.precision),
                    None,
                    "; ".join(note),
                    "era",
                )
            )
        else:
            previews.append(RowPreview(row, item, None, None, None, None, "timeline title", kind))
    return previews


def _short_error(error: ImportFileError) -> str:
    """The error without the file name (the dialog shows the file once)."""
    return f"{error.field}: {error.message}"


def preview_rows(
    path: str,
    raw: bytes,
    *,
    mapping: ColumnMapping | None = None,
    header: Sequence[str] | None = None,
    day_first: bool | None = None,
    sheet: str | int | None = None,
    limit: int = PREVIEW_LIMIT,
) -> list[RowPreview]:
    """`preview_table` of a file's bytes (the proposed mapping when none is given)."""
    table = load_table(path, raw, header=header, sheet=sheet)
    return preview_table(table, mapping or propose_mapping(table.header), day_first, limit)


def read(
    path: str,
    raw: bytes,
    *,
    progress: Progress | None = None,
    mapping: ColumnMapping | None = None,
    header: Sequence[str] | None = None,
    day_first: bool | None = None,
    sheet: str | int | None = None,
    delimiter: str | None = None,
    fmt: str | None = None,
) -> Document:
    """Read and validate a whole sheet into a Document with `mapping` (by default the one
    `propose_mapping` makes of the header); ImportFileError at the first bad row.

    `progress` hears (rows, rows of the sheet) every 1,000 rows.
    """
    table = load_table(path, raw, header=header, sheet=sheet, delimiter=delimiter, fmt=fmt)
    return read_table(table, mapping, day_first=day_first, progress=progress)


def read_table(
    table: Table,
    mapping: ColumnMapping | None = None,
    *,
    day_first: bool | None = None,
    progress: Progress | None = None,
) -> Document:
    """`read` of cells already loaded (the dialog loads them once for its preview)."""
    mapping = mapping or propose_mapping(table.header)
    order = _day_first(table, mapping, day_first)
    told = (
        day_first is not None
        or mapping.day_first is not None
        or guess_day_first(table, mapping) is not None
    )
    reader = _RowReader(table, mapping, order)
    document = Document(path=table.path)
    categories: dict[str, None] = {}
    total = len(table.rows)
    tick = report_every(progress, total)
    tick(0)
    either_way: list[int] = []  # rows whose numeric date reads both ways round
    for index in range(total):
        tick(index + 1)
        if not _filled(table.rows[index]):
            continue
        _kind, item, note = reader.event(index)
        if not told and any(_order_word(order) in line for line in note):
            either_way.append(table.row_numbers[index])
        if isinstance(item, EventItem):
            document.events.append(item)
            categories[item.draft.category] = None
        elif isinstance(item, EraItem):
            document.eras.append(item)
        elif not document.title:
            document.title = item
    if not document.events and not document.eras:
        raise ImportFileError(table.path, None, "file", "has no rows of events")
    check_unique_ids(document)
    document.categories = [CategoryItem(name) for name in categories]
    if either_way:
        rows = ", ".join(str(row) for row in either_way[:5])
        more = f" and {len(either_way) - 5:,} more" if len(either_way) > 5 else ""
        other = "--month-first" if order else "--day-first"
        document.notes.append(
            f"dates like 03/04/2001 were read {_order_word(order)} (rows {rows}{more}): "
            f"no date of the file tells; choose {other} if that is wrong"
        )
    return document


# ---- writing ------------------------------------------------------------------------------


def _record_cells(record: EventRecord) -> list[str | int]:
    """One event in the app's CSV columns (HEADER order), as cells of a typed sheet."""
    start, end = file_date_cells(record.start, record.end)
    return [
        record.id,
        record.title,
        start,
        end or "",
        record.category,
        record.importance,
        str(record.certainty),
        record.location or "",
        LIST_SEPARATOR.join(record.actors),
        LIST_SEPARATOR.join(record.tags),
        SOURCE_SEPARATOR.join(source_text(ref) for ref in record.sources),
        record.description,
    ]


def dump(catalog: Catalog, fmt: str = "xlsx", *, progress: Progress | None = None) -> bytes:
    """Every event as an xlsx or ods workbook, or as tab-separated text, in the app's CSV
    columns (so `read` with the proposed mapping takes it back as it was)."""
    records = catalog.events()
    tick = report_every(progress, len(records))
    tick(0)
    rows = (_record_cells(record) for record in records)
    if fmt == "xlsx":
        return _xlsx_bytes(rows, tick)
    if fmt == "ods":
        return _ods_bytes(rows, tick)
    if fmt == "tsv":
        return _tsv_bytes(rows, tick)
    raise TimelineError(f"--format: {fmt!r} is not one of xlsx, ods, tsv")


def _xlsx_bytes(rows: Iterable[list[str | int]], tick: Callable[[int], None]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append(list(HEADER))
    for done, values in enumerate(rows, 1):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            cells.append(cell)
        sheet.append(cells)
        tick(done)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _ods_bytes(rows: Iterable[list[str | int]], tick: Callable[[int], None]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableRow

    document = OpenDocumentSpreadsheet()
    table = OdsTable(name=SHEET_TITLE)
    table.addElement(_ods_row(list(HEADER), TableRow, TableCell))
    for done, values in enumerate(rows, 1):
        table.addElement(_ods_row(values, TableRow, TableCell))
        tick(done)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _ods_row(values: list[str | int], row_type: type, cell_type: type) -> object:
    from odf.text import P

    row = row_type()
    for value in values:
        if isinstance(value, int):
            cell = cell_type(valuetype="float", value=value)
        elif value == "":
            cell = cell_type()
        else:
            cell = cell_type(valuetype="string")
            for line in value.split("\n"):  # one paragraph a line: readers keep the breaks
                paragraph = P()
                _add_ods_text(paragraph, line)
                cell.addElement(paragraph)
        row.addElement(cell)
    return row


def _add_ods_text(paragraph: object, line: str) -> None:
    """A line of text into an ODF paragraph, runs of spaces kept as `text:s` (ODF collapses
    plain runs)."""
    from odf.text import S

    for index, part in enumerate(re.split(r"( {2,})", line)):
        if index % 2:
            paragraph.addText(" ")
            paragraph.addElement(S(c=len(part) - 1))
        elif part:
            paragraph.addText(part)


def _tsv_bytes(rows: Iterable[list[str | int]], tick: Callable[[int], None]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(HEADER)
    text_columns = [
        isinstance(name, str) and name not in ("start", "end", "importance", "certainty")
        for name in HEADER
    ]
    for done, values in enumerate(rows, 1):
        writer.writerow(
            [
                guard_formula(value) if guarded and isinstance(value, str) and value else value
                for value, guarded in zip(values, text_columns, strict=True)
            ]
        )
        tick(done)
    return out.getvalue().encode("utf-8")
