"""Reading and writing whole timelines: JSON (lossless) and CSV (for spreadsheets).

Each importer reads the whole file and validates everything before anything is written.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from pathlib import Path

from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.services.bulk import collector_paused
from timeline_app.services.catalog import Catalog
from timeline_app.services.interchange.csv_format import dump_csv, read_csv
from timeline_app.services.interchange.document import (
    Document,
    ImportPlan,
    ImportResult,
    apply_import,
    plan_import,
    undo_import,
)
from timeline_app.services.interchange.json_format import dump_json, read_json
from timeline_app.services.interchange.text_file import (
    check_file_type,
    file_kind,
    read_limited,
    reason,
)

FORMATS = ("json", "csv")

__all__ = [
    "FORMATS",
    "Document",
    "ImportPlan",
    "ImportResult",
    "apply_import",
    "export_file",
    "export_text",
    "guess_format",
    "import_file",
    "plan_import",
    "read_file",
    "undo_import",
]


def guess_format(path: str | Path, fmt: str | None = None) -> str:
    """The format asked for, or the one the file name ends with."""
    if fmt:
        if fmt not in FORMATS:
            raise TimelineError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
        return fmt
    suffix = Path(str(path)).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise TimelineError(f"{path}: cannot tell the format from the name; give --format json|csv")


def read_file(path: str | Path, fmt: str | None = None) -> Document:
    """Read and validate a whole file ('-' = standard input) into a Document."""
    name = str(path)
    if name != "-":
        check_file_type(name)  # a folder or a device is named as such, whatever its name
    chosen = guess_format(name, fmt) if name != "-" else (fmt or "json")
    raw = read_limited(name)
    with collector_paused():
        try:
            document = read_json(name, raw) if chosen == "json" else read_csv(name, raw)
        except ValueError as error:
            # A parser's own refusal that a reader did not name, such as a JSON number of more
            # digits than Python converts: still one line, without the parser's advice.
            problem = str(error).split(";")[0].strip() or type(error).__name__
            raise ImportFileError(name, None, chosen, f"cannot be read: {problem}") from error
        return document


def import_file(catalog: Catalog, path: str | Path, fmt: str | None = None) -> ImportResult:
    """Read, validate and write a whole file; the file's objects are freed before the
    cycle collector resumes, so it never has to walk them."""
    with collector_paused():
        return apply_import(catalog, read_file(path, fmt))


def export_text(catalog: Catalog, fmt: str) -> str:
    return dump_json(catalog) if fmt == "json" else dump_csv(catalog)


def export_file(catalog: Catalog, path: str | Path, fmt: str | None = None) -> int:
    """Write every event to a file ('-' = standard output); returns the number of events.

    Only a regular file is replaced, never a link, a pipe, a device or a folder. The text goes
    to a new temporary file that is renamed over the target, so a failure leaves no half file.
    """
    name = str(path)
    chosen = guess_format(name, fmt) if name != "-" else (fmt or "json")
    if name == "-":
        sys.stdout.write(export_text(catalog, chosen))
        sys.stdout.flush()
        return catalog.count_events()
    target = Path(name)
    try:
        existing = os.lstat(target)
    except FileNotFoundError:
        existing = None
    except (OSError, ValueError) as error:
        raise TimelineError(f"{name}: cannot write: {reason(error)}") from error
    if existing is not None:
        kind = file_kind(existing.st_mode)
        if kind is not None:
            raise TimelineError(f"{name}: is {kind}; not replaced")
    data = export_text(catalog, chosen).encode("utf-8")
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else None
    _write_replacing(name, target, data, mode)
    return catalog.count_events()


def _write_replacing(name: str, target: Path, data: bytes, mode: int | None) -> None:
    """Write `data` to a new file beside `target` and rename it over `target`.

    The temporary name is created exclusively (never following a planted link), gets the
    replaced file's permissions, and is removed on any failure.
    """
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        descriptor = os.open(temporary, flags, 0o666)
    except OSError as error:
        raise TimelineError(f"{name}: cannot write: {reason(error)}") from error
    try:
        try:
            if mode is not None and os.chmod in os.supports_fd:
                os.chmod(descriptor, mode)
            view = memoryview(data)
            while view:
                written = os.write(descriptor, view)
                view = view[written:]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise TimelineError(f"{name}: cannot write: {reason(error)}") from error
