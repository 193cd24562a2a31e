"""Start the window: check there is a display, open the database, show the main window.

Without a usable display Qt would abort with a long platform-plugin dump; we say what is
missing in one line instead and exit non-zero. On the usual start the window is painted
before the database is opened (SQLAlchemy alone costs a sixth of a second): it is drawn from
a snapshot the store reads with plain sqlite3, and the database opens right after the paint.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from timeline_app.display_check import display_problem
from timeline_app.domain.errors import TimelineError

if TYPE_CHECKING:
    from timeline_app.services.catalog import Catalog
    from timeline_app.services.first_frame import FirstFrameCatalog
    from timeline_app.ui.main_window import MainWindow

EXIT_NO_DISPLAY = 3


def run(target: str | None) -> int:
    """Open the window on `target` (None = the default database) and run until it closes.

    Only the default database is created (with the bundled dataset) on first launch; a
    `--db` that names nothing is refused, so a typo never leaves a new database behind.
    The usual start (an existing SQLite file of ours, current, not large) paints the window
    from a snapshot read without SQLAlchemy and opens the database right after that paint;
    any other (new, to migrate, large, read-only, on a server, odd) is opened first, as now.
    """
    problem = display_problem()
    if problem:
        print(f"timeline-app: {problem}", file=sys.stderr)
        return EXIT_NO_DISPLAY

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from timeline_app import __version__, paths
    from timeline_app.services.first_frame import first_frame_catalog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("timeline-app")
    app.setApplicationName("timeline-app")
    app.setApplicationDisplayName("timeline_app")
    app.setApplicationVersion(__version__)
    if paths.icon_path().exists():
        app.setWindowIcon(QIcon(str(paths.icon_path())))
    snapshot = first_frame_catalog(target)
    if snapshot is not None:
        window = show_first_frame(snapshot, target, on_failure=lambda: app.exit(2))
        return app.exec()  # `window` stays referenced until the app ends

    opened = open_catalog(target)
    if opened is None:
        return 2
    catalog, warnings = opened
    from timeline_app.ui.main_window import MainWindow

    splash = opening_splash(catalog.count_events())
    window = MainWindow(catalog)
    window.show()
    if splash is not None:
        splash.finish(window)
    report_warnings(window, warnings)
    return app.exec()


def open_catalog(target: str | None) -> tuple[Catalog, list[str]] | None:
    """The catalog of `target` and the warnings of its opening (a failed daily backup);
    None when it cannot be opened, said on stderr and in a message box."""
    from PySide6.QtWidgets import QMessageBox

    from timeline_app.services.catalog import Catalog
    from timeline_app.services.databases import open_database
    from timeline_app.services.maintenance import backup_warnings

    try:
        with backup_warnings() as warnings:
            database = open_database(target, create=target is None)
        catalog = Catalog(database)
        if database.created:  # first launch only: the dataset reader is imported here
            from timeline_app.services.dataset import load_dataset

            load_dataset(catalog)
    except TimelineError as error:
        print(f"timeline-app: error: {error}", file=sys.stderr)
        QMessageBox.critical(None, "timeline_app", f"Cannot open the database.\n\n{error}")
        return None
    return catalog, warnings


def report_warnings(window: MainWindow, warnings: list[str]) -> None:
    """A failed daily backup: said where the user looks, and on stderr."""
    for warning in warnings:
        print(warning, file=sys.stderr)
        window.statusBar().showMessage(warning.removeprefix("timeline-app: warning: "), 30_000)


OPEN_ANYWAY_AFTER_MS = 2_000
"""When the timeline has not been painted by then (a minimised window), open all the same."""


def show_first_frame(
    snapshot: FirstFrameCatalog, target: str | None, *, on_failure: Callable[[], None]
) -> MainWindow:
    """Show the window over the snapshot; once its timeline is painted, open the database
    (its checks, the daily backup) and put its catalog in place, input held until then.
    A failure is reported as it would have been before the window (one line on stderr and a
    message box); the window is hidden, its layout left unsaved, and `on_failure` called
    (the app ends with exit code 2)."""
    from PySide6.QtCore import QTimer

    from timeline_app.ui.main_window import MainWindow
    from timeline_app.ui.opening import InputHold, after_first_paint

    window = MainWindow(snapshot)
    hold = InputHold(window)
    started: list[bool] = []

    def open_now() -> None:
        if started:
            return  # the paint and the fallback timer both call this; a message box may wait
        started.append(True)
        opened = open_catalog(target)
        hold.release()
        if opened is None:
            window.closed = True
            window.hide()
            on_failure()
            return
        catalog, warnings = opened
        window.show_catalog(catalog)
        report_warnings(window, warnings)

    after_first_paint(window.timeline.plot.viewport(), open_now)
    QTimer.singleShot(OPEN_ANYWAY_AFTER_MS, window, open_now)
    window.show()
    return window


SPLASH_FROM = 100_000
"""Events from which opening takes long enough (a second and more) to say so."""


def opening_splash(event_count: int):  # -> QSplashScreen | None
    """A small window saying what is being opened, shown while a large database loads."""
    if event_count < SPLASH_FROM:
        return None
    from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
    from PySide6.QtWidgets import QApplication, QSplashScreen

    from timeline_app import paths

    pixmap = QPixmap(440, 120)
    pixmap.fill(QColor("#FFFFFF"))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#C8C8C8"))
    painter.drawRect(0, 0, pixmap.width() - 1, pixmap.height() - 1)
    QIcon(str(paths.icon_path())).paint(painter, 24, 28, 64, 64)
    font = painter.font()
    base_size = font.pointSizeF()
    font.setPointSizeF(base_size * 1.3)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#222222"))
    painter.drawText(108, 54, "timeline_app")
    font.setPointSizeF(base_size)
    font.setBold(False)
    painter.setFont(font)
    painter.setPen(QColor("#555555"))
    painter.drawText(108, 80, f"Opening {event_count:,} events…")
    painter.end()
    splash = QSplashScreen(pixmap)
    splash.show()
    QApplication.processEvents()
    return splash
