"""Start the window: check there is a display, open the database, show the main window.

Without a usable display Qt would abort with a long platform-plugin dump; we say what is
missing in one line instead and exit non-zero.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

from timeline_app.domain.errors import TimelineError

EXIT_NO_DISPLAY = 3
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why Qt could not open a window here, or None when it can."""
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, a platform the user chose: trust it
    if not sys.platform.startswith("linux"):
        return None
    if not platform and env.get("WAYLAND_DISPLAY"):
        return None
    display = env.get("DISPLAY")
    if not display:
        return "no display available (DISPLAY is not set); run it on a desktop session"
    missing = [
        package for name, package in XCB_LIBRARIES.items() if not ctypes.util.find_library(name)
    ]
    if missing:
        return f"the X11 libraries Qt needs are missing; install: {' '.join(missing)}"
    return _x_server_problem(display)


def _x_server_problem(display: str) -> str | None:
    library = ctypes.util.find_library("xcb")
    if library is None:
        return "the X11 library libxcb1 is missing"
    xcb = ctypes.CDLL(library)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        if xcb.xcb_connection_has_error(connection):
            return f"cannot connect to the display {display!r}"
    finally:
        xcb.xcb_disconnect(connection)
    return None


def run(target: str | None) -> int:
    """Open the window on `target` (None = the default database) and run until it closes."""
    problem = display_problem()
    if problem:
        print(f"timeline-app: {problem}", file=sys.stderr)
        return EXIT_NO_DISPLAY

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from timeline_app import __version__, paths
    from timeline_app.services.catalog import Catalog
    from timeline_app.services.dataset import load_dataset
    from timeline_app.store.database import open_database

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("timeline-app")
    app.setApplicationName("timeline-app")
    app.setApplicationDisplayName("timeline_app")
    app.setApplicationVersion(__version__)
    if paths.icon_path().exists():
        app.setWindowIcon(QIcon(str(paths.icon_path())))
    try:
        database = open_database(target)
        catalog = Catalog(database)
        if database.created:
            load_dataset(catalog)
    except TimelineError as error:
        print(f"timeline-app: error: {error}", file=sys.stderr)
        QMessageBox.critical(None, "timeline_app", f"Cannot open the database.\n\n{error}")
        return 2

    from timeline_app.ui.main_window import MainWindow

    window = MainWindow(catalog)
    window.show()
    return app.exec()
