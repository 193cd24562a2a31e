"""`timeline-app render`: check every argument, then draw the timeline to an image, headless.

Everything a user can get wrong — an unknown category or actor, a bad date, an unsupported
extension, a folder that does not exist, a size out of range — is reported before anything
is drawn, so a mistake costs nothing and leaves no file behind.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from timeline_app.domain.dates import parse_date, read_user_date
from timeline_app.domain.errors import DateError, TimelineError
from timeline_app.domain.model import EventFilter

DEFAULT_SIZE = (1920, 1080)
DEFAULT_DPI = 150


def _bound(flag: str, text: str | None, *, upper: bool) -> float | None:
    """The first (or last) instant a user date can mean, in UTC seconds."""
    if text is None:
        return None
    try:
        date = parse_date(read_user_date(text))
    except DateError as error:
        raise TimelineError(f"{flag}: {error.message}") from None
    return float(date.upper if upper else date.lower)


def _check_names(flag: str, wanted: list[str], known: list[str]) -> frozenset[str]:
    """The names asked for, or TimelineError naming the first unknown one and the known ones."""
    unknown = [name for name in wanted if name not in known]
    if unknown:
        listed = ", ".join(repr(name) for name in known[:20])
        more = " …" if len(known) > 20 else ""
        raise TimelineError(f"{flag}: {unknown[0]!r} is not known; known: {listed or 'none'}{more}")
    return frozenset(wanted)


def describe_filter(categories: frozenset[str], actors: frozenset[str]) -> str:
    """A subtitle saying what was left out, so a filtered image does not pass for the whole."""
    parts = []
    if categories:
        parts.append(", ".join(sorted(categories)))
    if actors:
        parts.append("involving " + ", ".join(sorted(actors)))
    return " · ".join(parts)


def data_credit(catalog: Any) -> str:
    """The footer's credit: the bundled dataset's licence where it was loaded, otherwise the
    database the events come from (a user's own data must not carry our dataset's name)."""
    from timeline_app.services.dataset import dataset_loaded
    from timeline_app.timeline.export import DEFAULT_CREDIT

    location = str(catalog.database.location)
    name = Path(location).name if "://" not in location else location.rsplit("/", 1)[-1]
    if dataset_loaded(catalog):
        return DEFAULT_CREDIT
    return f"Data: {name or location} — sources cited per event"


def _grade_texts(catalog: Any, ids: Iterable[str]) -> dict[str, str]:
    """The best source grade ("B2") of each of these events that has a graded source."""
    from timeline_app.domain.evidence import grade_text
    from timeline_app.services.sources import best_grades

    return {event_id: grade_text(*grade) for event_id, grade in best_grades(catalog, ids).items()}


def _link_ends(catalog: Any, ids: Iterable[str]) -> tuple[tuple[str, str, str], ...]:
    """(from, to, kind) of the links whose two events are both drawn."""
    from timeline_app.services.links import arrow_ends

    drawn = set(ids)
    return tuple(ends for ends in arrow_ends(catalog) if ends[0] in drawn and ends[1] in drawn)


def render_from_arguments(args: argparse.Namespace, open_catalog: Callable[..., Any]) -> int:
    """Run the render command; TimelineError for any bad argument (the CLI exits 2)."""
    from timeline_app.timeline.export import (
        ExportOptions,
        check_writable,
        fitted_range,
        format_of,
    )

    fmt = format_of(args.out)
    check_writable(args.out)
    options = ExportOptions(
        width=DEFAULT_SIZE[0] if args.width is None else args.width,
        height=DEFAULT_SIZE[1] if args.height is None else args.height,
        dpi=DEFAULT_DPI if args.dpi is None else args.dpi,
        title=args.title or "",
        subtitle=args.subtitle or "",
        theme=args.theme,
        format=fmt,
    ).checked()
    lower = _bound("--from", args.start, upper=False)
    upper = _bound("--to", args.end, upper=True)
    if lower is not None and upper is not None and upper <= lower:
        raise TimelineError(f"--to: {args.end!r} is before --from {args.start!r}")

    catalog = open_catalog(args.db, load_dataset_if_new=True)
    try:
        categories = _check_names("--category", args.category or [], catalog.category_names())
        actors = _check_names("--actor", args.actor or [], catalog.actor_names())
        where = EventFilter(
            categories=categories,
            actors=actors,
            lower=None if lower is None else int(lower),
            upper=None if upper is None else int(upper),
        )
        columns = catalog.event_columns(where)
        eras = tuple(catalog.eras())
        if getattr(args, "grades", False):
            options = replace(options, grades=_grade_texts(catalog, columns.ids))
        links = _link_ends(catalog, columns.ids) if getattr(args, "links", False) else ()
        credit = data_credit(catalog)
        if args.title is None:
            options = replace(options, title=catalog.title())  # the timeline's own title
    finally:
        catalog.database.dispose()
    if lower is None or upper is None:
        first, last = fitted_range(columns)
        lower = first if lower is None else lower
        upper = last if upper is None else upper
    subtitle = (
        options.subtitle if args.subtitle is not None else describe_filter(categories, actors)
    )
    options = replace(options, x_range=(lower, upper), credit=credit, subtitle=subtitle)

    from PySide6.QtWidgets import QApplication

    from timeline_app.timeline.export import export_state, timeline_state

    app = QApplication.instance() or QApplication(sys.argv[:1])
    export_state(replace(timeline_state(columns, eras, options), links=links), options, args.out)
    del app
    print(f"{args.out}: {options.width}×{options.height} {fmt.upper()}, {len(columns)} events")
    return 0
