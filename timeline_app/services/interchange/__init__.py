"""Reading and writing whole timelines in every format the app knows (see `formats`).

JSON is the lossless format; the others carry what their format can. Each importer reads the
whole file and validates everything before anything is written.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.domain.progress import Progress
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
from timeline_app.services.interchange.formats import (
    BY_NAME,
    FILE_FORMATS,
    FORMATS,
    SPREADSHEET_FORMATS,
    check_archive,
    checked_name,
    detect_format,
    export_format,
    is_own_csv,
    load,
    looks_like_text,
    refuse_mismatch,
)
from timeline_app.services.interchange.json_format import dump_json, read_json
from timeline_app.services.interchange.stages import Stages
from timeline_app.services.interchange.text_file import (
    check_file_type,
    file_kind,
    read_limited,
    reason,
)

__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "Document",
    "ImportPlan",
    "ImportResult",
    "apply_import",
    "export_file",
    "export_format",
    "export_text",
    "import_file",
    "plan_import",
    "read_file",
    "read_file_as",
    "undo_import",
]


def read_file(
    path: str | Path,
    fmt: str | None = None,
    *,
    progress: Progress | None = None,
    **options: Any,
) -> Document:
    """Read and validate a whole file ('-' = standard input) into a Document.

    The format is `fmt`, or else told from the content. `options` go to the format's reader
    when given (a table's `mapping`, `day_first`, `header`, `sheet` and `on_mapping`, which
    hears the mapping applied; GDELT's and ACLED's `dyad`). `progress` hears the reader's
    counts (lines or events, with (0, 0) before a parse); a `Cancelled` it raises stops
    the reading.
    """
    return read_file_as(path, fmt, progress=progress, **options)[1]


def read_file_as(
    path: str | Path,
    fmt: str | None = None,
    *,
    progress: Progress | None = None,
    **options: Any,
) -> tuple[str, Document]:
    """`read_file`, with the format the file was read as (the one told from its content
    when `fmt` is None)."""
    name = str(path)
    if name != "-":
        check_file_type(name)  # a folder or a device is named as such, whatever its name
    raw = read_limited(name)
    if fmt:
        chosen = checked_name(fmt)
        refuse_mismatch(name, raw, chosen)
    else:
        chosen = detect_format(name, raw)
    on_format = options.pop("on_format", None)
    if on_format is not None:
        on_format(chosen)  # heard before the reading can fail: the dialog offers its choices
    given = {key: value for key, value in options.items() if value is not None}
    with collector_paused():
        try:
            return chosen, _read(name, raw, chosen, progress, given)
        except ValueError as error:
            # A parser's own refusal that a reader did not name, such as a JSON number of more
            # digits than Python converts: still one line, without the parser's advice.
            problem = str(error).split(";")[0].strip() or type(error).__name__
            raise ImportFileError(name, None, chosen, f"cannot be read: {problem}") from error


def _read(
    name: str, raw: bytes, fmt: str, progress: Progress | None, options: dict[str, Any]
) -> Document:
    if fmt == "csv" or fmt in SPREADSHEET_FORMATS:
        own_columns = "mapping" not in options and "header" not in options
        if fmt == "csv" and own_columns and (is_own_csv(raw) or not looks_like_text(raw)):
            return read_csv(name, raw, progress=progress)  # the app's own CSV: ISO dates only
        if raw.startswith(b"PK\x03\x04"):
            check_archive(name, raw)
        return _read_table(name, raw, fmt, progress, **options)
    options.pop("on_mapping", None)  # only a table has a mapping to tell
    for option in options:
        if option not in READER_OPTIONS.get(fmt, ()):
            flag = option.replace("_", "-")
            raise TimelineError(f"--{flag}: does not apply to {BY_NAME[fmt].what}")
    if fmt == "json":
        return read_json(name, raw, progress=progress)
    return load(BY_NAME[fmt]).read(name, raw, progress=progress, **options)


READER_OPTIONS: dict[str, tuple[str, ...]] = {"gdelt": ("dyad",), "acled": ("dyad",)}
"""The options a format's reader takes, beyond those of tables."""


def _read_table(
    name: str,
    raw: bytes,
    fmt: str,
    progress: Progress | None,
    *,
    mapping: Any = None,
    header: Sequence[str] | None = None,
    sheet: str | int | None = None,
    day_first: bool | None = None,
    on_mapping: Callable[[str], None] | None = None,
) -> Document:
    """A table read through `mapping`, or the one proposed from its header; `on_mapping`
    hears the mapping applied, in words (what the command line prints)."""
    from timeline_app.services.interchange import spreadsheet

    table = spreadsheet.load_table(name, raw, header=header, sheet=sheet, fmt=fmt)
    applied = mapping or spreadsheet.propose_mapping(table.header)
    if on_mapping is not None:
        on_mapping(spreadsheet.describe_mapping(applied, table.header))
    return spreadsheet.read_table(table, applied, day_first=day_first, progress=progress)


def import_file(
    catalog: Catalog,
    path: str | Path,
    fmt: str | None = None,
    *,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, validate and write a whole file; the file's objects are freed before the
    cycle collector resumes, so it never has to walk them.

    `progress` hears one count for both: reading is the first third of it, writing the
    rest; a `Cancelled` it raises, even at the last step, leaves the database as it was.
    """
    with collector_paused():
        if progress is None:
            return apply_import(catalog, read_file(path, fmt))
        stages = Stages(progress, weight=3)
        document = read_file(path, fmt, progress=stages.first())
        return apply_import(catalog, document, progress=stages.rest())


def export_text(catalog: Catalog, fmt: str, *, progress: Progress | None = None) -> str:
    """Every event in a text format `fmt`; `progress` hears (events laid out, events)."""
    return export_bytes(catalog, fmt, progress=progress).decode("utf-8")


def export_bytes(catalog: Catalog, fmt: str, *, progress: Progress | None = None) -> bytes:
    """Every event in the format `fmt`, as the file's bytes."""
    checked_name(fmt)
    if fmt == "json":
        return dump_json(catalog, progress=progress).encode("utf-8")
    if fmt == "csv":
        return dump_csv(catalog, progress=progress).encode("utf-8")
    module = load(BY_NAME[fmt])
    if fmt in SPREADSHEET_FORMATS:
        return module.dump(catalog, fmt, progress=progress)
    if fmt == "timelinejs":  # the title slide
        return module.dump(catalog, progress=progress, title=catalog.title())
    return module.dump(catalog, progress=progress)


def export_file(
    catalog: Catalog,
    path: str | Path,
    fmt: str | None = None,
    *,
    progress: Progress | None = None,
) -> int:
    """Write every event to a file ('-' = standard output); returns the number of events.

    Only a regular file is replaced, never a link, a pipe, a device or a folder. The text goes
    to a new temporary file that is renamed over the target, so a failure leaves no half file.
    `progress` hears (events laid out, events), the last time once the temporary file is
    written and before it replaces the target: a `Cancelled` it raises leaves the target
    as it was and no temporary file.
    """
    name = str(path)
    chosen = export_format(name, fmt) if name != "-" else checked_name(fmt or "json")
    if name == "-":
        data = export_bytes(catalog, chosen, progress=progress)
        stream = getattr(sys.stdout, "buffer", None)
        if stream is not None:  # the bytes as they are: a workbook is not text
            stream.write(data)
        else:
            sys.stdout.write(data.decode("utf-8", errors="replace"))
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
    last: list[tuple[int, int]] = [(0, 0)]

    def laid_out(done: int, total: int) -> None:
        last[0] = (done, total)
        if progress is not None and done < total:
            progress(done, total)  # the final count waits until the file is written

    data = export_bytes(catalog, chosen, progress=laid_out)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else None

    def written() -> None:
        if progress is not None:
            progress(last[0][1], last[0][1])

    _write_replacing(name, target, data, mode, written)
    return catalog.count_events()


def _write_replacing(
    name: str,
    target: Path,
    data: bytes,
    mode: int | None,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write `data` to a new file beside `target` and rename it over `target`.

    The temporary name is created exclusively (never following a planted link), gets the
    replaced file's permissions, and is removed on any failure, or when `before_replace`
    (called once the data is on disk) raises.
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
        if before_replace is not None:
            before_replace()
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise TimelineError(f"{name}: cannot write: {reason(error)}") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
