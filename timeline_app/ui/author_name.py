"""Who the window's changes and notes are signed as: the OS user's name unless the user
gives another in Edit ▸ Your Name…, remembered in the settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMessageBox

from timeline_app.domain.errors import ValidationError
from timeline_app.domain.rules import NAME_MAX, check_text

if TYPE_CHECKING:
    from timeline_app.ui.main_window import MainWindow


def default_author() -> str:
    from timeline_app.services.history_log import default_author  # not at start-up

    return default_author()


def author_of(window: MainWindow) -> str:
    return window.settings.author() or default_author()


def sign_catalog(window: MainWindow) -> None:
    """Give the window's catalog the author's name (at start and on opening another)."""
    catalog = window.workspace.catalog
    if hasattr(catalog, "author"):  # the first frame's snapshot writes nothing
        catalog.author = author_of(window)


def set_author_name(window: MainWindow, name: str) -> str:
    """Remember `name` ("" for the OS user's) and sign from now on with it; returns the
    name now in use. ValidationError for a name the history cannot hold."""
    clean = check_text("name", name, limit=NAME_MAX, required=False)
    window.settings.set_author(clean)
    sign_catalog(window)
    window.notes_section.reload()  # Edit and Delete follow whose notes are one's own
    return author_of(window)


def ask_author_name(window: MainWindow) -> None:
    """Edit ▸ Your Name…: ask for the name to sign with."""
    name, accepted = QInputDialog.getText(
        window,
        "Your Name",
        "Changes and notes are signed with this name.\n"
        f"Leave it empty to use your user name on this computer ({default_author()}).",
        text=window.settings.author(),
    )
    if not accepted:
        return
    try:
        used = set_author_name(window, name)
    except ValidationError as error:
        QMessageBox.warning(window, "timeline_app", f"Your name was not changed: {error}")
        return
    window.statusBar().showMessage(f"Changes are now signed as {used}", 5000)
