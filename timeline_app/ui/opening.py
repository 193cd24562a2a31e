"""Start-up in two steps: paint the window from a snapshot, then open the database.

`app.run` shows the window over a `FirstFrameCatalog` when it can; these two helpers make the
second step safe: `after_first_paint` runs the opening once the timeline has been painted (so
the frame is on screen first), and `InputHold` keeps the user's clicks and keys from the
window until the real catalog is in place, so nothing can be edited or asked of the snapshot.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

USER_INPUT = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.Shortcut,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.ContextMenu,
        QEvent.Type.HoverEnter,
        QEvent.Type.HoverMove,
        QEvent.Type.ToolTip,
        QEvent.Type.DragEnter,
        QEvent.Type.Drop,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
        QEvent.Type.Close,
    }
)
"""What a user can send the window; held back while it shows the snapshot. A close too: the
window closes once it is ready (the opening takes a fraction of a second)."""


class _FirstPaint(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then = then
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint:
            self._widget.removeEventFilter(self)
            # Posted now, it runs once this paint and the flush to the screen are done.
            QTimer.singleShot(0, self._then)
        return False


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Call `then` from the event loop right after `widget` is first painted."""
    _FirstPaint(widget, then)


class InputHold(QObject):
    """Drops user input to one window (and its dialogs and menus) until `release`."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.held = True
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in USER_INPUT:
            return False
        if kind == QEvent.Type.Shortcut:
            return True  # sent to an action, not a widget; the window is the app's only one
        if not isinstance(watched, QWidget):
            return False
        top = watched.window()
        return top is self._window or top.parentWidget() is self._window

    def release(self) -> None:
        """Let input through again (once the window reads from the real catalog)."""
        if self.held:
            self.held = False
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
