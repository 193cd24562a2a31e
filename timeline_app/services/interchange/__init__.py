"""Reading and writing whole timelines: JSON (lossless) and CSV (for spreadsheets).

Each importer reads the whole file and validates everything before anything is written.
"""

from __future__ import annotations

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
    chosen = guess_format(name, fmt) if name != "-" else (fmt or "json")
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except FileNotFoundError:
        raise ImportFileError(name, None, "file", "does not exist") from None
    except IsADirectoryError:
        raise ImportFileError(name, None, "file", "is a folder") from None
    except OSError as error:
        raise ImportFileError(name, None, "file", error.strerror or str(error)) from error
    with collector_paused():
        return read_json(name, raw) if chosen == "json" else read_csv(name, raw)


def import_file(catalog: Catalog, path: str | Path, fmt: str | None = None) -> ImportResult:
    """Read, validate and write a whole file; the file's objects are freed before the
    cycle collector resumes, so it never has to walk them."""
    with collector_paused():
        return apply_import(catalog, read_file(path, fmt))


def export_text(catalog: Catalog, fmt: str) -> str:
    return dump_json(catalog) if fmt == "json" else dump_csv(catalog)


def export_file(catalog: Catalog, path: str | Path, fmt: str | None = None) -> int:
    """Write every event to a file ('-' = standard output); returns the number of events.

    The file is written to a temporary name and renamed, so a failure leaves no half file.
    """
    name = str(path)
    chosen = guess_format(name, fmt) if name != "-" else (fmt or "json")
    text = export_text(catalog, chosen)
    if name == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        target = Path(name)
        temporary = target.with_name(f".{target.name}.partial")
        try:
            temporary.write_text(text, encoding="utf-8", newline="")
            temporary.replace(target)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise TimelineError(f"{name}: cannot write ({error.strerror or error})") from error
    return catalog.count_events()
