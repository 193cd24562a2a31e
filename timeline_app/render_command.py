"""`timeline-app render`: check every argument, then draw the timeline to an image, headless.

Everything a user can get wrong — an unknown category or actor, a bad date, an unsupported
extension, a folder that does not exist — is reported before anything is drawn.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from timeline_app.domain.dates import parse_date, read_user_date
from timeline_app.domain.errors import DateError, TimelineError
from timeline_app.domain.model import EventFilter

DEFAULT_SIZE = (1920, 1080)
DEFAULT_DPI = 150
FIT_MARGIN = 0.02


def _bound(flag: str, text: str | None, *, upper: bool) -> float | None:
    if text is None:
        return None
    try:
        date = parse_date(read_user_date(text))
    except DateError as error:
        raise TimelineError(f"{flag}: {error.message}") from None
    return float(date.upper if upper else date.lower)


def _check_names(flag: str, wanted: list[str], known: list[str]) -> frozenset[str]:
    unknown = [name for name in wanted if name not in known]
    if unknown:
        listed = ", ".join(repr(name) for name in known[:20])
        more = " …" if len(known) > 20 else ""
        raise TimelineError(f"{flag}: {unknown[0]!r} is not known; known: {listed}{more}")
    return frozenset(wanted)


def render_from_arguments(args: argparse.Namespace, open_catalog: Callable) -> int:
    """Run the render command; TimelineError for any bad argument (the CLI exits 2)."""
    from timeline_app.timeline.export import ExportOptions, check_writable, format_of

    fmt = format_of(args.out)
    check_writable(args.out)
    width = args.width or DEFAULT_SIZE[0]
    height = args.height or DEFAULT_SIZE[1]
    options = ExportOptions(
        width=width,
        height=height,
        dpi=args.dpi or DEFAULT_DPI,
        title=args.title if args.title is not None else "Russia–Iran relations",
        subtitle=args.subtitle or "",
        theme=args.theme,
    ).checked()
    lower = _bound("--from", args.start, upper=False)
    upper = _bound("--to", args.end, upper=True)
    if lower is not None and upper is not None and upper <= lower:
        raise TimelineError(f"--to: {args.end!r} is before --from {args.start!r}")

    catalog = open_catalog(args.db, load_dataset_if_new=True)
    try:
        categories = _check_names("--category", args.category, catalog.category_names())
        actors = _check_names("--actor", args.actor, catalog.actor_names())
        where = EventFilter(categories=categories, actors=actors, lower=lower, upper=upper)
        columns = catalog.event_columns(where)
        eras = tuple(catalog.eras())
        location = catalog.database.location
    finally:
        catalog.database.dispose()
    if lower is None or upper is None:
        if len(columns):
            first, last = float(columns.start.min()), float(columns.end.max())
        else:
            first, last = 631_152_000.0, 1_767_225_600.0  # 1990–2026
        margin = max(last - first, 86_400.0) * FIT_MARGIN
        lower = first - margin if lower is None else lower
        upper = last + margin if upper is None else upper

    from PySide6.QtWidgets import QApplication

    from timeline_app.timeline.export import export_image
    from timeline_app.timeline.view import TimelineState

    app = QApplication.instance() or QApplication(sys.argv[:1])
    state = TimelineState(columns=columns, x_range=(lower, upper), eras=eras, theme=args.theme)
    export_image(state, options, args.out)
    del app
    print(f"{args.out}: {width}×{height} {fmt.upper()}, {len(columns)} events from {location}")
    return 0
