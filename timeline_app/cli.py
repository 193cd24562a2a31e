"""The `timeline-app` command: the window by default, and headless info, import, export, render.

Every failure a user can cause ends in one line, `timeline-app: error: …`, and exit code 2;
the database is left as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

from timeline_app import __version__
from timeline_app.domain.errors import TimelineError
from timeline_app.domain.file_formats import FORMATS

PROG = "timeline-app"
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad command line; argparse's own messages are turned into this."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _add_db(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        default=None if top else argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: the file in your data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Curate dated, sourced events and explore them on a zoomable timeline. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _add_db(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    gui = commands.add_parser("gui", help="open the window (the default)")
    _add_db(gui, top=False)

    info = commands.add_parser("info", help="print the database location, schema and counts")
    _add_db(info, top=False)

    init = commands.add_parser("init", help="create the database (and load the bundled dataset)")
    _add_db(init, top=False)
    init.add_argument("--dataset", action="store_true", help="load the bundled Russia–Iran dataset")

    importer = commands.add_parser(
        "import", help="import events from a file (JSON, CSV, spreadsheets, calendars, …)"
    )
    _add_db(importer, top=False)
    importer.add_argument("file", metavar="FILE", help="file to import ('-' = standard input)")
    importer.add_argument("--format", choices=FORMATS, help="default: told from the content")
    importer.add_argument(
        "--dry-run", action="store_true", help="only report what would change; write nothing"
    )
    importer.add_argument(
        "--mapping",
        metavar="FILE|PRESET",
        help="a table's columns: a mapping file, or a preset (timelinejs, simple, app); "
        "default: the mapping proposed from the header, printed",
    )
    importer.add_argument(
        "--header", metavar="NAMES", help="comma-separated column names for a table without one"
    )
    importer.add_argument("--sheet", metavar="NAME", help="a workbook's sheet (default: the first)")
    order = importer.add_mutually_exclusive_group()
    order.add_argument(
        "--day-first",
        dest="day_first",
        action="store_const",
        const=True,
        help="read 03/04/2001 as 3 April",
    )
    order.add_argument(
        "--month-first",
        dest="day_first",
        action="store_const",
        const=False,
        help="read 03/04/2001 as March 4",
    )
    importer.add_argument(
        "--dyad",
        metavar="A,B",
        help="GDELT/ACLED: keep only events between these two countries (e.g. RUS,IRN)",
    )
    importer.add_argument(
        "--duplicates",
        choices=("skip", "merge", "keep"),
        default="skip",
        help="events that look like stored ones (same dates, similar title): skip them "
        "(default), merge them into the stored event, or keep them as new events",
    )

    exporter = commands.add_parser("export", help="export every event to a file")
    _add_db(exporter, top=False)
    exporter.add_argument("file", metavar="FILE", help="file to write ('-' = standard output)")
    exporter.add_argument("--format", choices=FORMATS, help="default: from the file name")

    _add_render_parser(commands)
    _add_maintenance_parsers(commands)
    return parser


def _add_render_parser(commands: argparse._SubParsersAction) -> None:
    render = commands.add_parser(
        "render", help="draw the timeline to a PNG, SVG or PDF image (no display needed)"
    )
    _add_db(render, top=False)
    render.add_argument("out", metavar="OUT", help="image file: .png, .svg or .pdf")
    render.add_argument("--from", dest="start", metavar="DATE", help="first date shown")
    render.add_argument("--to", dest="end", metavar="DATE", help="last date shown")
    render.add_argument(
        "--category", action="append", default=[], metavar="NAME", help="only this category"
    )
    render.add_argument(
        "--actor", action="append", default=[], metavar="NAME", help="only events with this actor"
    )
    render.add_argument("--width", type=int, metavar="PX", help="width in pixels (default 1920)")
    render.add_argument("--height", type=int, metavar="PX", help="height in pixels (default 1080)")
    render.add_argument("--dpi", type=int, metavar="N", help="resolution (default 150)")
    render.add_argument("--title", metavar="TEXT", help="title above the timeline")
    render.add_argument("--subtitle", metavar="TEXT", help="line under the title")
    render.add_argument("--theme", choices=("light", "dark"), default="light")
    render.add_argument(
        "--grades",
        action="store_true",
        help="end each title with its best source grade (e.g. [B2]), explained in the legend",
    )
    render.add_argument(
        "--links",
        action="store_true",
        help="draw the links between events (led to, responded to, …) as arrows, as the "
        "window does, named in the legend",
    )


def _add_maintenance_parsers(commands: argparse._SubParsersAction) -> None:
    backup = commands.add_parser(
        "backup", help="copy the database to a file (SQLite: a SQLite copy; server: JSON)"
    )
    _add_db(backup, top=False)
    backup.add_argument("out", metavar="OUT", help="file to write (.sqlite, or .json for a server)")
    backup.add_argument("--force", action="store_true", help="replace OUT if it exists")

    restore = commands.add_parser(
        "restore", help="replace the database with a backup (the current one is kept)"
    )
    _add_db(restore, top=False)
    restore.add_argument(
        "file", metavar="FILE", help="a backup: .sqlite copy, or JSON for a server"
    )
    restore.add_argument(
        "--force", action="store_true", help="replace a database that holds events"
    )

    check = commands.add_parser(
        "check", help="check the database for damage and drift (exit 1 when anything is wrong)"
    )
    _add_db(check, top=False)
    check.add_argument(
        "--repair",
        action="store_true",
        help="rebuild the full-text index and date bounds, drop orphaned links, then check again",
    )


def _open_catalog(
    target: str | None,
    *,
    load_dataset_if_new: bool = False,
    create: bool = False,
    write: bool = False,
):
    """Open the catalog for a command. Only `init` and a real `import` create a database;
    reading commands open an existing one (read-only where the file cannot be written) and
    otherwise say how to create it, leaving nothing behind."""
    from timeline_app.services.catalog import Catalog
    from timeline_app.services.databases import open_database
    from timeline_app.services.dataset import load_dataset

    database = open_database(target, create=create, write=write)
    catalog = Catalog(database)
    if database.created and load_dataset_if_new:
        load_dataset(catalog)
    return catalog


def _info(args: argparse.Namespace) -> int:
    from timeline_app.services.databases import schema_revision
    from timeline_app.services.dataset import dataset_loaded

    catalog = _open_catalog(args.db)
    try:
        database = catalog.database
        print(f"database:   {database.location}")
        access = " (opened read-only)" if database.read_only else ""
        print(f"backend:    {database.engine.dialect.name}{access}")
        print(f"schema:     {schema_revision(database)}")
        print(f"events:     {catalog.count_events()}")
        print(f"categories: {len(catalog.categories())}")
        print(f"actors:     {len(catalog.actor_names())}")
        print(f"sources:    {len(catalog.sources())}")
        print(f"eras:       {len(catalog.eras())}")
        counts = catalog.evidence_counts()
        print(f"links:      {counts['links']}")
        print(f"notes:      {counts['notes']}")
        print(f"changes:    {counts['history']} recorded")
        print(f"dataset:    {'loaded' if dataset_loaded(catalog) else 'not loaded'}")
    finally:
        catalog.database.dispose()
    return 0


def _init(args: argparse.Namespace) -> int:
    from timeline_app.services.dataset import load_dataset

    catalog = _open_catalog(args.db, create=True, write=True)
    try:
        print(f"database: {catalog.database.location}")
        if args.dataset:
            outcome = load_dataset(catalog)
            if outcome.loaded:
                print(f"loaded the bundled dataset: {outcome.events} events")
            else:
                print(f"dataset not loaded: {outcome.reason}")
    finally:
        catalog.database.dispose()
    return 0


class _ProgressLine:
    """`done` of `total` as a percentage on one line of standard error, redrawn in place at
    most ten times a second."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.shown = False
        self.drawn_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.drawn_at < 0.1 and done != total:
            return
        self.drawn_at = now
        amount = f"{done * 100 // total}%" if total else f"{done:,}"
        sys.stderr.write(f"\r{self.label} {amount}\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


@contextmanager
def _progress_line(label: str | None) -> Iterator[_ProgressLine | None]:
    """A progress line for long work, only when standard error is a terminal (a script or a
    log gets the command's usual output alone); it is wiped when the work ends."""
    if label is None or not sys.stderr.isatty():
        yield None
        return
    line = _ProgressLine(label)
    try:
        yield line
    finally:
        line.clear()


def _import(args: argparse.Namespace) -> int:
    from timeline_app.services.databases import MissingDatabaseError
    from timeline_app.services.interchange import apply_import, plan_import, read_file_as
    from timeline_app.services.interchange.duplicates import (
        Resolution,
        find_duplicates,
        resolve_duplicates,
    )

    applied: list[str] = []
    with _progress_line(f"{args.file}: reading") as progress:
        _fmt, document = read_file_as(
            args.file,
            args.format,
            progress=progress,
            on_mapping=applied.append,
            **_read_options(args),
        )
    if applied and not args.mapping:
        print(f"{args.file}: columns read as (give --mapping to choose otherwise):")
        print("\n".join(f"  {line}" for line in applied[0].splitlines()))
    for note in document.notes:
        print(f"{args.file}: {note}")
    writing = not args.dry_run
    new_database = ""
    try:
        catalog = _open_catalog(args.db, create=writing, write=writing)
    except MissingDatabaseError:
        if writing:
            raise
        # planned against an empty database in memory: what would go into a new one
        catalog = _open_catalog("sqlite://", create=True, write=True)
        new_database = " (into a new database)"
    try:
        duplicates = find_duplicates(catalog, document)
        if duplicates:
            chosen = Resolution(args.duplicates)
            document = resolve_duplicates(catalog, document, duplicates, {}, chosen)
            _report_duplicates(args.file, duplicates, chosen)
        with _progress_line(f"{args.file}: comparing") as progress:
            plan = plan_import(catalog, document, progress=progress)
        if args.dry_run:
            print(f"{args.file}: {plan.summary()}{new_database}")
            return 0
        with _progress_line(f"{args.file}: writing") as progress:
            result = apply_import(catalog, document, progress=progress)
        print(
            f"{args.file}: added {len(result.added_ids)}, changed {len(result.replaced)}, "
            f"unchanged {len(plan.unchanged)} events"
            + (plan.evidence.summary(done=True) if plan.evidence is not None else "")
        )
    finally:
        catalog.database.dispose()
    return 0


DUPLICATES_LISTED = 10


def _report_duplicates(name: str, duplicates: Sequence, chosen: object) -> None:
    verb = {"skip": "skipped", "merge": "merged into the stored events", "keep": "kept as new"}
    count = len(duplicates)
    noun = "event looks" if count == 1 else "events look"
    print(
        f"{name}: {count:,} {noun} like stored events: {verb[str(chosen)]} "
        "(--duplicates skip|merge|keep)"
    )
    for duplicate in duplicates[:DUPLICATES_LISTED]:
        print(f"  row {duplicate.row}: {duplicate.title!r} ~ {duplicate.stored_title!r}")
    if count > DUPLICATES_LISTED:
        print(f"  … and {count - DUPLICATES_LISTED:,} more")


def _read_options(args: argparse.Namespace) -> dict[str, object]:
    """The readers' options the command line gives (a table's mapping, header, sheet and
    day order; the GDELT/ACLED dyad)."""
    from timeline_app.services.interchange import spreadsheet

    options: dict[str, object] = {"day_first": args.day_first, "sheet": args.sheet}
    if args.header is not None:
        names = [name.strip() for name in args.header.split(",")]
        if not all(names):
            raise TimelineError("--header: give the column names separated by commas")
        options["header"] = names
    if args.mapping:
        if args.mapping in spreadsheet.PRESETS:
            options["mapping"] = spreadsheet.preset(args.mapping)
        else:
            text = _read_mapping_file(args.mapping)
            options["mapping"] = spreadsheet.mapping_from_json(text, args.mapping)
            given = spreadsheet.mapping_header_from_json(text, args.mapping)
            if given is not None and "header" not in options:
                options["header"] = given
    if args.dyad:
        pair = [code.strip().upper() for code in args.dyad.replace(" ", ",").split(",") if code]
        if len(pair) != 2:
            raise TimelineError(f"--dyad: {args.dyad!r} is not two country codes (e.g. RUS,IRN)")
        options["dyad"] = (pair[0], pair[1])
    return options


def _read_mapping_file(name: str) -> str:
    from timeline_app.services.interchange import spreadsheet

    try:
        with open(name, encoding="utf-8") as stream:
            return stream.read(1_000_000)
    except FileNotFoundError:
        presets = ", ".join(sorted(spreadsheet.PRESETS))
        raise TimelineError(
            f"--mapping: {name}: is neither a file nor a preset ({presets})"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise TimelineError(f"--mapping: {name}: cannot be read ({error})") from error


def _export(args: argparse.Namespace) -> int:
    from timeline_app.services.interchange import export_file, export_format

    if args.file != "-":
        export_format(args.file, args.format)  # refuse a bad name before opening anything
    catalog = _open_catalog(args.db)
    try:
        # not beside the text itself when it goes to the terminal
        label = f"{args.file}: writing" if args.file != "-" else None
        with _progress_line(label) as progress:
            count = export_file(catalog, args.file, args.format, progress=progress)
    finally:
        catalog.database.dispose()
    if args.file != "-":
        print(f"{args.file}: wrote {count} events")
    return 0


def _render(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from timeline_app.timeline.render_options import render_from_arguments

    return render_from_arguments(args, _open_catalog)


def _backup(args: argparse.Namespace) -> int:
    from timeline_app.services.maintenance import backup_database

    result = backup_database(args.db, args.out, force=args.force)
    what = (
        "a SQLite copy" if result.kind == "sqlite" else f"a JSON export of {result.events} events"
    )
    print(f"{result.path}: wrote {what}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from timeline_app.services.maintenance import restore_database

    result = restore_database(args.db, args.file, force=args.force)
    if result.events_added is not None:
        print(
            f"{result.location}: imported {args.file}: added {result.events_added}, "
            f"replaced {result.events_replaced} events"
        )
        return 0
    print(f"{result.location}: restored from {args.file}")
    if result.previous_copy is not None:
        print(f"the database it replaced is kept as {result.previous_copy}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from timeline_app.services.databases import open_database
    from timeline_app.services.maintenance import check, repair

    database = open_database(args.db, create=False, write=args.repair)
    try:
        if args.repair:
            outcome = repair(database)
            done = outcome.repairs
            if done is None:
                print("not repaired: the database file is damaged; restore a backup")
            else:
                print(
                    f"repaired: full-text index rebuilt ({done.full_text_rows} events), "
                    f"{done.date_bounds} date bounds, {done.link_rows} orphaned links deleted, "
                    f"{done.category_parents} dangling parents cleared"
                )
            report = outcome.after
        else:
            report = check(database)
    finally:
        database.dispose()
    for line in report.lines():
        print(line)
    return 0 if report.ok else 1


def _gui(args: argparse.Namespace) -> int:
    from timeline_app.app import run

    return run(args.db)


HANDLERS = {
    None: _gui,
    "gui": _gui,
    "info": _info,
    "init": _init,
    "import": _import,
    "export": _export,
    "render": _render,
    "backup": _backup,
    "restore": _restore,
    "check": _check,
}


def one_line(message: str) -> str:
    """A message as one printable line: a line break that slipped into it (from a value or a
    library's text) is shown escaped, never allowed to split the error in two."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def _run_command(args: argparse.Namespace) -> int:
    """Run a headless command; a warning of a failed automatic backup is printed only when the
    command succeeds, so a failing command still ends in its one error line (the copy is
    tried again at the next open)."""
    from timeline_app.services.maintenance import backup_warnings

    with backup_warnings() as warnings:
        code = HANDLERS[args.command](args)
    for warning in warnings:
        print(warning, file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command in (None, "gui"):
            return HANDLERS[args.command](args)
        return _run_command(args)
    except UsageError as error:
        print(f"{PROG}: error: {one_line(str(error))} (see {PROG} --help)", file=sys.stderr)
        return EXIT_USAGE
    except TimelineError as error:
        print(f"{PROG}: error: {one_line(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # a database failing after it was opened: locked, full, gone
        from timeline_app.services.databases import describe_database_error

        message = describe_database_error(error)
        if message is None:
            raise
        print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)
        return EXIT_USAGE
