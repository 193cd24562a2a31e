"""CSV for spreadsheets: one event a row; categories named in rows are created if new.

Header (any order, any subset that has title, start and category):
id,title,start,end,category,importance,certainty,location,actors,tags,sources,description,notes
(`notes` is new in this release: files without it read as before).
A file changes only the fields it carries: a column absent from the header leaves that field
of a stored event as it is (a new event gets the default); an empty cell in a column that is
there clears the field. ROW in error messages is the line number (the header is line 1).

Actors and tags are separated by "; ". Sources are separated by " | ", each written
`Publisher: Title (published) <URL> [note: text]`: publisher, date, URL and note are optional
(a source without a URL is written without the `<…>`), and a source whose id is not the one
derived from its URL and title (publisher and title without a URL) adds `[id: …]`. A graded
citation adds its grade, `[B2]` (source reliability A–F, information credibility 1–6; read in
either case, with or without a space or hyphen between), and a source's kind, language and the
citation's excerpt, when not their defaults, add `[kind: wire]`, `[language: ru]` and
`[excerpt: text]`; the bracketed parts may come in any order. A source without them reads as
ungraded (F6, kind "other"). Inside a
sources cell a backslash makes the next character plain text: `\\|`, `\\:`, `\\<`, `\\>`,
`\\(`, `\\)`, `\\[`, `\\]` and `\\\\` (a backslash before any other character is itself). The
writer escapes every `|` and backslash, a publisher's colons, a title's colons when there is
no publisher, a title's closing bracket at its end (and, with neither URL nor date, its
closing angle or square bracket), a URL's angle brackets and a note's (or id's) square
brackets, so any text reads back as it was written.

Notes on the event are separated by " | " too, each written `Text [by: author] [at: time]`,
with `[id: …]` when its id is not the one derived from its event, time and text; the same
escapes apply. An import adds notes and changes those with a stored id; it never removes one.

Formulas: a text cell (id, title, category, location, actors, tags, sources, description) that
starts with `=`, `+`, `-`, `@`, a tab, a carriage return or `'` is written with a `'` in front,
so that a spreadsheet shows it as text instead of running it; the reader takes one leading `'`
off those cells. Dates, importance and certainty are written as they are.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import replace

from timeline_app.domain.dates import file_date_cells
from timeline_app.domain.errors import ImportFileError, ValidationError, quoted
from timeline_app.domain.evidence import (
    UNGRADED_CREDIBILITY,
    UNGRADED_RELIABILITY,
    EventNote,
    grade_text,
)
from timeline_app.domain.model import (
    IMPORTANCE_MAX,
    IMPORTANCE_MIN,
    SourceRef,
    derived_source_id,
    stable_id,
)
from timeline_app.domain.progress import Progress, report_every
from timeline_app.domain.rules import (
    NAME_MAX,
    EventChecker,
    check_credibility,
    check_language,
    check_reliability,
    check_source_kind,
    check_text,
    parse_importance_text,
    plain_source,
)
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.document import (
    DRAFT_FIELDS,
    CategoryItem,
    Document,
    NoteItem,
    check_event_fields,
    check_id,
    check_stamp,
    check_unique_ids,
    check_unique_note_ids,
    field_label,
    note_id_for,
)
from timeline_app.services.interchange.text_file import decode_text
from timeline_app.services.notes import NOTE_MAX as NOTE_TEXT_MAX
from timeline_app.store import evidence_queries

HEADER = (
    "id",
    "title",
    "start",
    "end",
    "category",
    "importance",
    "certainty",
    "location",
    "actors",
    "tags",
    "sources",
    "description",
)
COLUMNS = (*HEADER, "notes")
"""Every column this format reads and writes; `HEADER` is those a spreadsheet maps too."""
REQUIRED = ("title", "start", "category")
TEXT_COLUMNS = frozenset(
    ("id", "title", "category", "location", "actors", "tags", "sources", "description", "notes")
)
"""Columns whose cells get the formula guard: every one that holds free text."""
LIST_SEPARATOR = "; "
SOURCE_SEPARATOR = " | "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
"""First characters a spreadsheet would run as a formula (and the guard itself)."""
ESCAPABLE = frozenset("\\|:<>()[]")
_PUBLISHER_SPECIALS = "\\|:<"
_TITLE_SPECIALS = "\\|"
_LONE_TITLE_SPECIALS = "\\|:"
_URL_SPECIALS = "\\|<>"
_NOTE_SPECIALS = "\\|[]"
_PUBLISHED_CHARS = frozenset("0123456789Xxu?~%-^")
_SOURCE_SHAPE = "'Publisher: Title (date) <URL> [B2] [note: text]'"
_NOTE_SHAPE = "'Text [by: author] [at: time]'"
_SOURCE_KEYS = ("note", "id", "kind", "language", "excerpt")
_NOTE_KEYS = ("by", "at", "id")
_GRADE = re.compile(r"\s*([A-Za-z])\s*-?\s*([0-9])\s*")
"""A grade group's text, read leniently: "B2", "b2", "B 2", "B-2"."""
_IMPORTANCE_OF_TEXT = {str(value): value for value in range(IMPORTANCE_MIN, IMPORTANCE_MAX + 1)}
"""The importance cells of nearly every row, read without a parse."""
PROGRESS_STEP = 1000
"""Rows between two progress reports."""
csv.field_size_limit(1 << 24)


def _split(value: str) -> tuple[str, ...]:
    return tuple(filter(None, map(str.strip, value.split(";"))))


def guard_formula(text: str) -> str:
    """The cell a spreadsheet shows as text: a `'` before a formula's first character."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _escape(text: str, specials: str) -> str:
    if not any(char in text for char in specials):
        return text
    return "".join("\\" + char if char in specials else char for char in text)


def _unescape(cell: str) -> tuple[str, bytearray | None]:
    """The cell's text with escapes resolved, and which characters were escaped (None when
    none were: the common case costs one search)."""
    if "\\" not in cell:
        return cell, None
    out: list[str] = []
    plain = bytearray()
    index, length = 0, len(cell)
    while index < length:
        char = cell[index]
        if char == "\\" and index + 1 < length and cell[index + 1] in ESCAPABLE:
            out.append(cell[index + 1])
            plain.append(1)
            index += 2
        else:
            out.append(char)
            plain.append(0)
            index += 1
    return "".join(out), plain


class _SourceScanner:
    """Reads one sources cell in time linear in its length (no backtracking regex): it splits
    on the `|`s that are not escaped and takes each source apart from its end."""

    def __init__(self, path: str, row: int, cell: str) -> None:
        self.path = path
        self.row = row
        self.text, self.plain = _unescape(cell)

    def _marks(self, index: int) -> bool:
        """True when the character at `index` is syntax, not escaped text."""
        return self.plain is None or not self.plain[index]

    def _rfind(self, char: str, start: int, end: int) -> int:
        found = self.text.rfind(char, start, end)
        while found >= 0 and not self._marks(found):
            found = self.text.rfind(char, start, found)
        return found

    def _find(self, char: str, start: int, end: int) -> int:
        found = self.text.find(char, start, end)
        while found >= 0 and not self._marks(found):
            found = self.text.find(char, found + 1, end)
        return found

    def _strip(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def _ends_with(self, char: str, start: int, end: int) -> bool:
        return end > start and self.text[end - 1] == char and self._marks(end - 1)

    column = "sources"
    shape = _SOURCE_SHAPE

    def entries(self) -> list[tuple[int, int, int]]:
        """(index, start, end) of each entry between the unescaped `|`s, blanks left out."""
        found = []
        start, index, length = 0, 0, len(self.text)
        while start <= length:
            bar = self._find("|", start, length)
            end = length if bar < 0 else bar
            first, last = self._strip(start, end)
            if first < last:
                found.append((index, first, last))
                index += 1
            if bar < 0:
                break
            start = bar + 1
        return found

    def refs(self) -> tuple[SourceRef, ...]:
        return tuple(self._source(index, start, end) for index, start, end in self.entries())

    def _fail(self, index: int, start: int, end: int, problem: str) -> ImportFileError:
        return ImportFileError(
            self.path,
            self.row,
            f"{self.column}[{index}]",
            f"{quoted(self.text[start:end])} {problem}",
        )

    def _groups(
        self, index: int, start: int, end: int, keys: tuple[str, ...], *, grade: bool = False
    ) -> tuple[dict[str, str], int, int]:
        """The `[key: value]` groups (and with `grade` one `[B2]`, as key "grade") that end
        the entry at start…end, and the bounds of what precedes them."""
        text = self.text
        whole = (start, end)
        groups: dict[str, str] = {}
        while self._ends_with("]", start, end):
            opening = self._rfind("[", start, end - 1)
            inside = text[opening + 1 : end - 1]
            key, separator, value = inside.partition(": ")
            if opening >= 0 and not separator and grade and _GRADE.fullmatch(inside):
                key, value = "grade", inside
            elif opening < 0 or not separator or key not in keys:
                raise self._fail(index, *whole, f"is not {self.shape}")
            if key in groups:
                raise self._fail(index, *whole, f"gives [{key}…] twice")
            groups[key] = value.strip()
            start, end = self._strip(start, opening)
        return groups, start, end

    def _source(self, index: int, start: int, end: int) -> SourceRef:
        text = self.text
        whole = (start, end)
        notes, start, end = self._groups(index, start, end, _SOURCE_KEYS, grade=True)
        url = ""
        if self._ends_with(">", start, end):
            opening = self._rfind("<", start, end - 1)
            if opening < 0:
                raise self._fail(index, *whole, f"is not {_SOURCE_SHAPE}")
            url = text[opening + 1 : end - 1]
            start, end = self._strip(start, opening)
        published = None
        if self._ends_with(")", start, end):
            opening = self._rfind("(", start, end - 1)
            candidate = text[opening + 1 : end - 1]
            if (
                opening > start
                and text[opening - 1].isspace()
                and candidate
                and _PUBLISHED_CHARS.issuperset(candidate)
            ):
                published = candidate
                start, end = self._strip(start, opening)
        publisher = ""
        colon = self._find(":", start, end)
        if (
            colon >= 0
            and colon + 1 < end
            and text[colon + 1].isspace()
            and self._find("<", start, colon) < 0
        ):
            publisher = text[start:colon].strip()
            start, end = self._strip(colon + 1, end)
        source_id = notes.get("id")
        if source_id is not None:
            check_id(self.path, self.row, f"sources[{index}].id", source_id)
        ref = SourceRef(
            text[start:end] or url, url, publisher, published, notes.get("note", ""), source_id
        )
        if len(notes) > ("id" in notes) + ("note" in notes):
            return self._graded(index, ref, notes)
        return ref

    def _graded(self, index: int, ref: SourceRef, groups: dict[str, str]) -> SourceRef:
        """`ref` with the grade, kind, language and excerpt its groups give, checked here
        where the entry can be named."""
        reliability, credibility = UNGRADED_RELIABILITY, UNGRADED_CREDIBILITY
        field = f"sources[{index}]"
        try:
            grade = groups.get("grade")
            if grade is not None:
                letter, digit = _GRADE.fullmatch(grade).groups()  # type: ignore[union-attr]
                reliability = check_reliability(f"{field}.reliability", letter)
                credibility = check_credibility(f"{field}.credibility", int(digit))
            return replace(
                ref,
                kind=check_source_kind(f"{field}.kind", groups.get("kind", "other")),
                language=check_language(f"{field}.language", groups.get("language", "")),
                reliability=reliability,
                credibility=credibility,
                excerpt=groups.get("excerpt", ""),
            )
        except ValidationError as error:
            raise ImportFileError(self.path, self.row, error.field, error.message) from None


class _NoteScanner(_SourceScanner):
    """Reads one notes cell: notes between unescaped `|`s, each `Text [by: …] [at: …]`."""

    column = "notes"
    shape = _NOTE_SHAPE

    def notes(self, event_id: str) -> list[NoteItem]:
        found = []
        for index, start, end in self.entries():
            groups, start, end = self._groups(index, start, end, _NOTE_KEYS)
            field = f"notes[{index}]"
            try:
                text = check_text(f"{field}.text", self.text[start:end], limit=NOTE_TEXT_MAX)
                author = check_text(
                    f"{field}.by", groups.get("by", ""), limit=NAME_MAX, required=False
                )
            except ValidationError as error:
                raise ImportFileError(self.path, self.row, error.field, error.message) from None
            created_at = check_stamp(self.path, self.row, f"{field}.at", groups.get("at", ""))
            note_id = groups.get("id") or note_id_for(event_id, created_at, text)
            check_id(self.path, self.row, f"{field}.id", note_id)
            found.append(
                NoteItem(EventNote(note_id, event_id, author, created_at, text), self.row, index)
            )
        return found


def _plain_parts(value: str) -> tuple[str, str, str] | None:
    """(title, URL, publisher) of the common cell, one `Publisher: Title <URL>` without
    escapes, date or note, read with a few string searches (the title "" when the cell has
    none); None sends anything else to the scanner, which reads it the same."""
    text = value.strip()
    if not text.endswith(">") or "\\" in text or "[" in text or "|" in text:
        return None
    opening = text.rfind("<")
    if opening < 0:
        return None
    url = text[opening + 1 : -1]
    rest = text[:opening].rstrip()
    if rest.endswith(")"):
        return None
    colon = rest.find(":")
    if (
        colon >= 0
        and colon + 1 < len(rest)
        and rest[colon + 1].isspace()
        and "<" not in rest[:colon]
    ):
        return rest[colon + 1 :].strip(), url, rest[:colon].strip()
    return rest, url, ""


def _plain_source(value: str) -> SourceRef | None:
    """The common cell as a source (unchecked); None for any other cell."""
    parts = _plain_parts(value)
    if parts is None:
        return None
    title, url, publisher = parts
    return SourceRef(title or url, url, publisher)


def _checked_plain_source(value: str) -> SourceRef | None:
    """The common cell read and checked in one step: what `check_source` makes of what
    `_plain_source` reads, without the unchecked ref in between; None for any other cell
    (and for a plain one the quick check cannot pass), which goes the long way."""
    parts = _plain_parts(value)
    if parts is None:
        return None
    title, url, publisher = parts
    url = url.strip()
    return plain_source(title or url, url, publisher)


def _sources(path: str, row: int, value: str) -> tuple[SourceRef, ...]:
    plain = _plain_source(value)
    return (plain,) if plain is not None else _SourceScanner(path, row, value).refs()


def read_csv(path: str, raw: bytes, *, progress: Progress | None = None) -> Document:
    """Parse and validate a whole CSV file; raise ImportFileError at the first problem.

    `progress` hears (line, lines) every PROGRESS_STEP rows and once at the end.
    """
    text = decode_text(path, raw)
    lines = text.count("\n") + (not text.endswith("\n"))
    report_at = PROGRESS_STEP if progress is not None else sys.maxsize
    if progress is not None:
        progress(0, lines)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportFileError(path, 1, "header", "is missing") from None
    except csv.Error as error:
        raise ImportFileError(path, 1, "header", str(error)) from error
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ImportFileError(
            path,
            1,
            field_label(unknown[0]),
            f"is not a column of this format ({', '.join(COLUMNS)})",
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(path, 1, missing[0], "column is missing")
    if len(set(header)) != len(header):
        raise ImportFileError(path, 1, "header", "names a column twice")
    carried = frozenset(name for name in header if name in DRAFT_FIELDS)
    present = None if carried == frozenset(DRAFT_FIELDS) else carried
    document = Document(path=path)
    categories: dict[str, None] = {}
    checker = EventChecker()
    names_of: dict[str, tuple[str, ...]] = {}
    sources_of: dict[str, tuple[SourceRef, ...]] = {}  # cells a file repeats, read once
    checked_sources_of: dict[str, tuple[SourceRef, ...]] = {}  # … and those checked too
    width = len(header)
    position = {name: header.index(name) if name in header else width for name in COLUMNS}
    guarded = (
        [index for index, name in enumerate(header) if name in TEXT_COLUMNS] if "'" in text else []
    )  # a file without a "'" has no guarded cell to read back
    # Columns the file lacks read as "" from the padding cell after the row's own cells.
    (
        id_at,
        title_at,
        start_at,
        end_at,
        category_at,
        importance_at,
        certainty_at,
        location_at,
        actors_at,
        tags_at,
        sources_at,
        description_at,
        notes_at,
    ) = (position[name] for name in COLUMNS)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(path, reader.line_num, "row", str(error)) from error
        row = reader.line_num
        if row >= report_at:
            progress(min(row, lines), lines)  # type: ignore[misc]
            report_at = row + PROGRESS_STEP
        if len(values) != width or not values[title_at].strip():  # checked further only then
            if not any(value.strip() for value in values):
                continue  # a blank line
            if len(values) != width:
                raise ImportFileError(
                    path, row, "row", f"has {len(values)} fields; the header has {width}"
                )
        for index in guarded:
            if values[index].startswith("'"):
                values[index] = values[index][1:]
        values.append("")
        importance_text = values[importance_at].strip() or "3"
        importance = _IMPORTANCE_OF_TEXT.get(importance_text)
        if importance is None:  # not one of "1"…"5": say exactly what is wrong with it
            try:
                importance = parse_importance_text(importance_text)
            except ValidationError as error:
                raise ImportFileError(path, row, error.field, error.message) from None
        event_id = values[id_at].strip()
        if event_id:
            check_id(path, row, "id", event_id)
        else:
            event_id = stable_id(f"event:{values[title_at].strip()}\n{values[start_at].strip()}")
        actors = values[actors_at]
        tags = values[tags_at]
        sources = values[sources_at]
        refs: tuple[SourceRef, ...] | None = ()
        checked = True
        if sources:
            refs = checked_sources_of.get(sources)
            if refs is None:
                refs = sources_of.get(sources)
                if refs is None:
                    plain = _checked_plain_source(sources)
                    if plain is not None:
                        refs = checked_sources_of[sources] = (plain,)
                    else:
                        refs = sources_of[sources] = _sources(path, row, sources)
                        checked = False
                else:
                    checked = False
        item = check_event_fields(
            path,
            row,
            event_id,
            values[title_at],
            values[start_at],
            values[end_at].strip() or None,
            values[category_at],
            importance,
            values[certainty_at].strip() or "confirmed",
            values[description_at],
            values[location_at] or None,
            (names_of.get(actors) or names_of.setdefault(actors, _split(actors))) if actors else (),
            (names_of.get(tags) or names_of.setdefault(tags, _split(tags))) if tags else (),
            refs,
            present=present,
            checker=checker,
            sources_checked=checked,
        )
        document.events.append(item)
        categories[item.draft.category] = None
        if values[notes_at]:
            document.event_notes.extend(_NoteScanner(path, row, values[notes_at]).notes(event_id))
    check_unique_ids(document)
    check_unique_note_ids(document)
    document.categories = [CategoryItem(name) for name in categories]
    if progress is not None:
        progress(lines, lines)
    return document


def source_text(ref: SourceRef) -> str:
    """One source as the sources cell writes it (see the module's notation)."""
    publisher = _escape(ref.publisher, _PUBLISHER_SPECIALS)
    title = _escape(ref.title, _TITLE_SPECIALS if publisher else _LONE_TITLE_SPECIALS)
    if title.endswith(")") or (not ref.url and not ref.published and title.endswith((">", "]"))):
        title = title[:-1] + "\\" + title[-1]  # not read as a date, an address or a note
    text = f"{publisher}: {title}" if publisher else title
    if ref.published:
        text += f" ({ref.published})"
    if ref.url:
        text += f" <{_escape(ref.url, _URL_SPECIALS)}>"
    if (ref.reliability, ref.credibility) != (UNGRADED_RELIABILITY, UNGRADED_CREDIBILITY):
        text += f" [{grade_text(ref.reliability, ref.credibility)}]"
    if ref.kind != "other":
        text += f" [kind: {_escape(ref.kind, _NOTE_SPECIALS)}]"
    if ref.language:
        text += f" [language: {_escape(ref.language, _NOTE_SPECIALS)}]"
    if ref.id and ref.id != derived_source_id(ref.url, ref.title, ref.publisher):
        text += f" [id: {_escape(ref.id, _NOTE_SPECIALS)}]"
    if ref.note:
        text += f" [note: {_escape(ref.note, _NOTE_SPECIALS)}]"
    if ref.excerpt:
        text += f" [excerpt: {_escape(ref.excerpt, _NOTE_SPECIALS)}]"
    return text


def note_text(note: EventNote) -> str:
    """One note as the notes cell writes it (see the module's notation)."""
    text = _escape(note.text, _NOTE_SPECIALS)  # its brackets too: read as text, not groups
    text += f" [by: {_escape(note.author, _NOTE_SPECIALS)}] [at: {note.created_at}]"
    if note.id != note_id_for(note.event_id, note.created_at, note.text):
        text += f" [id: {_escape(note.id, _NOTE_SPECIALS)}]"
    return text


def dump_csv(catalog: Catalog, *, progress: Progress | None = None) -> str:
    """Every event as CSV rows, ordered by start; `progress` hears (events, total)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    records = catalog.events()
    with catalog.engine.connect() as connection:
        notes = evidence_queries.notes_of(connection)
    notes_of: dict[str, list[EventNote]] = {}
    for note in notes:
        notes_of.setdefault(note.event_id, []).append(note)
    tick = report_every(progress, len(records), PROGRESS_STEP)
    tick(0)
    for done, record in enumerate(records, 1):
        start, end = file_date_cells(record.start, record.end)
        writer.writerow(
            [
                guard_formula(record.id),
                guard_formula(record.title),
                start,
                end or "",
                guard_formula(record.category),
                record.importance,
                str(record.certainty),
                guard_formula(record.location or ""),
                guard_formula(LIST_SEPARATOR.join(record.actors)),
                guard_formula(LIST_SEPARATOR.join(record.tags)),
                guard_formula(SOURCE_SEPARATOR.join(source_text(ref) for ref in record.sources)),
                guard_formula(record.description),
                guard_formula(SOURCE_SEPARATOR.join(map(note_text, notes_of.get(record.id, ())))),
            ]
        )
        tick(done)
    return out.getvalue()
