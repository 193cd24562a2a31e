"""Which file formats the app reads and writes, and how a file's format is recognised.

A format is one module of this package offering `sniff(raw, name)`, `read(path, raw, ...)` and
`dump(catalog, ...)`; it is imported only when a file of its kind is read or written, so the
window starts without any of them. A file's format is told by its content first (the bytes
decide, the name only breaks ties), so that a TimelineJS3 file named `.json` is not read as
the app's own JSON, and a workbook named `.csv` is named for what it is instead of failing to
decode as text.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.domain.file_formats import BY_NAME, FILE_FORMATS, FORMATS, FileFormat

__all__ = ["BY_NAME", "FILE_FORMATS", "FORMATS", "SPREADSHEET_FORMATS", "FileFormat"]


def load(entry: FileFormat) -> ModuleType:
    """The module that reads and writes a format, imported on first use."""
    return importlib.import_module(f"timeline_app.services.interchange.{entry.module}")


SPREADSHEET_FORMATS = frozenset({"tsv", "xlsx", "ods"})
"""Read through a column mapping (a CSV whose header is not the app's own is read so too)."""
_ADVICE = {
    "an SQLite database": "open it with File ▸ Open Database or --db",
    "a gzip archive": "unpack it first",
    "a 7-Zip archive": "unpack it first",
    "a RAR archive": "unpack it first",
}
"""What to do with a file the app cannot import, by what it is (the workbook reader's
names for the bytes it recognises)."""


UNPACKED_AT_MOST = 1024 * 1024 * 1024
"""A workbook whose parts unpack to more than this is refused before it is read: a few
kilobytes of zip can claim gigabytes (a "zip bomb")."""


def check_archive(path: str, raw: bytes) -> None:
    """Refuse a workbook whose parts would unpack to more than `UNPACKED_AT_MOST`."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        raise ImportFileError(
            path, None, "file", "is a damaged workbook (its zip cannot be read)"
        ) from None
    if unpacked > UNPACKED_AT_MOST:
        raise ImportFileError(
            path,
            None,
            "file",
            f"unpacks to {unpacked // (1024 * 1024):,} MB; the limit is "
            f"{UNPACKED_AT_MOST // (1024 * 1024):,} MB",
        )


def export_format(path: str | Path, fmt: str | None = None) -> str:
    """The format asked for, or the one an export's file name ends with."""
    if fmt:
        return checked_name(fmt)
    suffix = Path(str(path)).suffix.lower()
    for entry in FILE_FORMATS:
        if suffix in entry.suffixes:
            return entry.name
    raise TimelineError(
        f"{path}: cannot tell the format from the name; give --format ({', '.join(FORMATS)})"
    )


def checked_name(fmt: str) -> str:
    if fmt not in BY_NAME:
        raise TimelineError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    return fmt


def binary_kind(raw: bytes) -> tuple[str | None, str | None]:
    """(format, what it is) for a file that is not text: a workbook's format, or None and a
    word on a file the app cannot import; (None, None) for text."""
    from timeline_app.services.interchange.spreadsheet import content_kind, foreign_kind_name

    kind = content_kind(raw)
    if kind == "text":
        return None, None
    if kind in ("xlsx", "ods"):
        return kind, BY_NAME[kind].what
    if kind == "xls":  # the workbook reader takes the old format too
        return "xlsx", "an Excel 97–2003 workbook (.xls)"
    what = foreign_kind_name(raw) or "a binary file"
    advice = _ADVICE.get(what)
    return None, f"{what}: {advice}" if advice else what


def _sniffs(name: str, raw: bytes, path: str) -> bool:
    """Whether the format's module recognises the content; a module not installed or failing
    to look is not a match."""
    try:
        return bool(load(BY_NAME[name]).sniff(raw, path))
    except Exception:  # a sniffer must never be the reason a file cannot be read
        return False


def looks_like_text(raw: bytes) -> bool:
    """Whether the file starts as UTF-8 text with something in it (not only white space)."""
    start = _text_start(raw)
    if not start or b"\x00" in start or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        start.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(start) - 3  # only a character cut off at the sample's end
    return True


def _text_start(raw: bytes) -> bytes:
    head = raw[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip()


def detect_format(path: str, raw: bytes) -> str:
    """The format of a file to import, from its content (its name's ending breaks ties)."""
    kind, what = binary_kind(raw)
    if kind is not None:
        return kind
    if what is not None:
        raise ImportFileError(path, None, "file", f"is {what}, not a file to import")
    start = _text_start(raw)
    if not looks_like_text(raw):
        # empty, UTF-16 or UTF-32 text, or a binary file of no known kind: the reader its name
        # points to says what is wrong (the app reads UTF-8 text only)
        return "json" if Path(path).suffix.lower() == ".json" else "csv"
    if start[:1] in (b"{", b"["):
        if b'"timeline-app"' in raw[:4096]:
            return "json"
        for name in ("timelinejs", "vis"):
            if _sniffs(name, raw, path):
                return name
        return "json"  # its reader says what is wrong with it
    if start[:1] == b"<":
        if _sniffs("timeline", raw, path):
            return "timeline"
        raise ImportFileError(
            path, None, "file", "is an XML or HTML file that is not a .timeline file"
        )
    if start[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        return "ics"
    for name in ("acled", "gdelt", "timelinejs"):  # TimelineJS: its spreadsheet template
        if _sniffs(name, raw, path):
            return name
    if is_own_csv(raw):
        return "csv"
    if Path(path).suffix.lower() in (".tsv", ".tab") or _sniffs("tsv", raw, path):
        return "tsv"
    return "csv"


def is_own_csv(raw: bytes) -> bool:
    """A CSV whose header names only the app's own columns: `csv_format` reads it."""
    from timeline_app.services.interchange.spreadsheet import app_csv_header

    return app_csv_header(raw)


def refuse_mismatch(path: str, raw: bytes, fmt: str) -> None:
    """A format forced by name must still fit the bytes: a workbook read as CSV is named as a
    workbook (with the --format that reads it), not as "not valid UTF-8"."""
    kind, what = binary_kind(raw)
    if kind is not None and kind != fmt:
        raise ImportFileError(path, None, "file", f"is {what}: use --format {kind}")
    if kind is None and what is not None:
        raise ImportFileError(path, None, "file", f"is {what}, not a file to import")
    if fmt in ("xlsx", "ods") and kind is None:
        raise ImportFileError(
            path, None, "file", f"is not {BY_NAME[fmt].what} (a text file? try --format csv)"
        )
