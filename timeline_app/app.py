"""Start the window: check there is a display, open the database, show the main window.

Without a usable display Qt would abort with a long platform-plugin dump; we say what is
missing in one line instead and exit non-zero.
"""

from __future__ import annotations

import sys

from timeline_app.display_check import display_problem
from timeline_app.domain.errors import TimelineError

EXIT_NO_DISPLAY = 3


def run(target: str | None) -> int:
    """Open the window on `target` (None = the default database) and run until it closes.

    Only the default database is created (with the bundled dataset) on first launch; a
    `--db` that names nothing is refused, so a typo never leaves a new database behind.
    """
    problem = display_problem()
    if problem:
        print(f"timeline-app: {problem}", file=sys.stderr)
        return EXIT_NO_DISPLAY

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from timeline_app import __version__, paths
    from timeline_app.services.catalog import Catalog
    from timeline_app.services.databases import open_database
    from timeline_app.services.maintenance import backup_warnings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("timeline-app")
    app.setApplicationName("timeline-app")
    app.setApplicationDisplayName("timeline_app")
    app.setApplicationVersion(__version__)
    if paths.icon_path().exists():
        app.setWindowIcon(QIcon(str(paths.icon_path())))
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
        return 2

    from timeline_app.ui.main_window import MainWindow

    splash = opening_splash(catalog.count_events())
    window = MainWindow(catalog)
    window.show()
    if splash is not None:
        splash.finish(window)
    for warning in warnings:  # a failed daily backup: said where the user looks, and on stderr
        print(warning, file=sys.stderr)
        window.statusBar().showMessage(warning.removeprefix("timeline-app: warning: "), 30_000)
    return app.exec()


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
