"""Light and dark looks for the whole application: Fusion, a palette and a small stylesheet.

The stylesheets live in `resources/styles/<theme>.qss`; a missing file only loses polish.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from timeline_app import paths

ERROR_COLOUR = "#C62828"
ERROR_COLOUR_DARK = "#FF8A80"

_COLOURS = {
    "light": {
        QPalette.ColorRole.Window: "#F4F5F7",
        QPalette.ColorRole.WindowText: "#1F2328",
        QPalette.ColorRole.Base: "#FFFFFF",
        QPalette.ColorRole.AlternateBase: "#F6F8FA",
        QPalette.ColorRole.Text: "#1F2328",
        QPalette.ColorRole.Button: "#FBFBFC",
        QPalette.ColorRole.ButtonText: "#1F2328",
        QPalette.ColorRole.Highlight: "#2F6FD6",
        QPalette.ColorRole.HighlightedText: "#FFFFFF",
        QPalette.ColorRole.ToolTipBase: "#FFFFFF",
        QPalette.ColorRole.ToolTipText: "#1F2328",
        QPalette.ColorRole.PlaceholderText: "#8C959F",
        QPalette.ColorRole.Link: "#2F6FD6",
        QPalette.ColorRole.Mid: "#D0D7DE",
    },
    "dark": {
        QPalette.ColorRole.Window: "#1E2127",
        QPalette.ColorRole.WindowText: "#E6E8EB",
        QPalette.ColorRole.Base: "#16181D",
        QPalette.ColorRole.AlternateBase: "#1B1E24",
        QPalette.ColorRole.Text: "#E6E8EB",
        QPalette.ColorRole.Button: "#2A2E36",
        QPalette.ColorRole.ButtonText: "#E6E8EB",
        QPalette.ColorRole.Highlight: "#3D7BE0",
        QPalette.ColorRole.HighlightedText: "#FFFFFF",
        QPalette.ColorRole.ToolTipBase: "#2A2E36",
        QPalette.ColorRole.ToolTipText: "#E6E8EB",
        QPalette.ColorRole.PlaceholderText: "#7D8590",
        QPalette.ColorRole.Link: "#6CA4FF",
        QPalette.ColorRole.Mid: "#3A3F48",
    },
}


def palette_for(theme: str) -> QPalette:
    palette = QPalette()
    for role, colour in _COLOURS.get(theme, _COLOURS["light"]).items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#8C959F" if theme == "light" else "#5C636E")
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def stylesheet_for(theme: str) -> str:
    try:
        return (paths.resources_dir() / "styles" / f"{theme}.qss").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return ""


def error_colour(theme: str) -> str:
    return ERROR_COLOUR_DARK if theme == "dark" else ERROR_COLOUR


def apply_theme(app: QApplication, theme: str) -> None:
    """Give the whole application one look; called at start and when the user switches."""
    app.setStyle("Fusion")
    app.setPalette(palette_for(theme))
    app.setStyleSheet(stylesheet_for(theme))
    app.setProperty("timelineTheme", theme)


def current_theme() -> str:
    app = QApplication.instance()
    value = app.property("timelineTheme") if app is not None else None
    return value if value in ("light", "dark") else "light"
