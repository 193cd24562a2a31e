"""The window's remembered state behind one typed facade over QSettings.

Tests and portable set-ups pass their own QSettings (an ini file); the app uses the
organisation/application scope "timeline-app".
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "timeline-app"
APPLICATION = "timeline-app"
RECENT_LIMIT = 8
THEMES = ("light", "dark")
LANE_MODES = ("category", "actor", "single")


class WindowSettings:
    """Typed reads and writes of what the main window remembers between runs."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings(ORGANISATION, APPLICATION)

    def _text(self, key: str, default: str = "") -> str:
        value = self.store.value(key, default)
        return value if isinstance(value, str) else default

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    # window layout
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def splitter(self) -> QByteArray | None:
        return self._bytes("window/splitter")

    def save_layout(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)
        self.store.setValue("window/splitter", splitter)

    # looks
    def theme(self) -> str:
        value = self._text("view/theme", "light")
        return value if value in THEMES else "light"

    def set_theme(self, theme: str) -> None:
        self.store.setValue("view/theme", theme)

    def lane_mode(self) -> str:
        value = self._text("view/lanes", "category")
        return value if value in LANE_MODES else "category"

    def set_lane_mode(self, mode: str) -> None:
        self.store.setValue("view/lanes", mode)

    def show_links(self) -> bool:
        """Whether the timeline draws the links between events (it does unless turned off)."""
        value = self.store.value("view/links", True)
        return value not in (False, "false", "0", 0)

    def set_show_links(self, shown: bool) -> None:
        self.store.setValue("view/links", bool(shown))

    def fit_to_filter(self) -> bool:
        """Whether applying a filter moves the timeline to its matches (it does unless
        turned off)."""
        value = self.store.value("view/fit_to_filter", True)
        return value not in (False, "false", "0", 0)

    def set_fit_to_filter(self, fit: bool) -> None:
        self.store.setValue("view/fit_to_filter", bool(fit))

    # files
    def recent_databases(self) -> list[str]:
        value = self.store.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [item for item in value or [] if isinstance(item, str) and item][:RECENT_LIMIT]

    def add_recent_database(self, location: str) -> None:
        recent = [item for item in self.recent_databases() if item != location]
        self.store.setValue("files/recent", [location, *recent][:RECENT_LIMIT])

    def last_folder(self) -> str:
        return self._text("files/folder", "")

    def set_last_folder(self, folder: str) -> None:
        self.store.setValue("files/folder", folder)

    # who changes are signed as
    def author(self) -> str:
        """The name changes and notes are recorded under; "" means the OS user's name."""
        return self._text("user/author", "").strip()

    def set_author(self, name: str) -> None:
        self.store.setValue("user/author", name.strip())

    def sync(self) -> None:
        self.store.sync()
