"""File ▸ Export image…: the timeline as PNG, SVG or PDF, with a live preview.

The dialog only gathers choices; drawing is `timeline.export`, the same code the command line
uses, so the file matches what `timeline-app render` would produce for the same choices.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from timeline_app.domain.errors import DatabaseFailure, TimelineError
from timeline_app.timeline.export import (
    DEFAULT_CREDIT,
    FORMATS,
    MAX_DPI,
    MAX_PIXELS,
    MIN_DPI,
    MIN_PIXELS,
    ExportOptions,
    export_state,
    fitted_range,
    render_state_image,
)
from timeline_app.timeline.render_options import data_credit
from timeline_app.timeline.view import TimelineState, TimelineWidget
from timeline_app.ui.settings import APPLICATION, ORGANISATION

PRESETS: tuple[tuple[str, int, int, int], ...] = (
    ("Slide 16:9 (1920 × 1080)", 1920, 1080, 150),
    ("Slide 4K (3840 × 2160)", 3840, 2160, 300),
    ("A4 landscape (297 × 210 mm, 300 dpi)", 3508, 2480, 300),
    ("Square social card (1080 × 1080)", 1080, 1080, 150),
    ("Custom", 0, 0, 0),
)
PREVIEW_WIDTH = 680
PREVIEW_RENDER_LIMIT = 1920  # previews of larger images are drawn at this width and scaled
SETTINGS_GROUP = "export"


def whole_range(state: TimelineState) -> tuple[float, float]:
    """All the events (or the filtered ones) with a little air each side."""
    if not len(state.columns):
        return state.x_range
    mask = state.mask if state.mask is not None and state.mask.any() else None
    return fitted_range(state.columns, mask)


def credit_of(catalog: Any | None) -> str:
    """The footer credit for the open catalog; the dataset credit when there is none."""
    if catalog is None:
        return DEFAULT_CREDIT
    try:
        return data_credit(catalog)
    except DatabaseFailure:  # a credit line is never worth failing an export for
        return DEFAULT_CREDIT


class ExportImageDialog(QDialog):
    """Choices for an image of the timeline, remembered between uses."""

    def __init__(
        self,
        timeline: TimelineWidget,
        catalog: Any | None = None,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export image")
        self.timeline = timeline
        self.catalog = catalog
        self.credit = credit_of(catalog)
        self.settings = settings if settings is not None else QSettings(ORGANISATION, APPLICATION)
        self.exported_path: str | None = None

        self.format_box = QComboBox(self)
        for fmt in FORMATS:
            self.format_box.addItem(fmt.upper(), fmt)
        self.format_box.setToolTip("PNG for slides and the web; SVG and PDF stay sharp at any size")
        self.preset_box = QComboBox(self)
        for name, *_ in PRESETS:
            self.preset_box.addItem(name)
        self.preset_box.setToolTip("Common sizes; choose Custom to type your own")
        self.width_box = self._spin(MIN_PIXELS, MAX_PIXELS, " px", "Width of the image")
        self.height_box = self._spin(MIN_PIXELS, MAX_PIXELS, " px", "Height of the image")
        self.dpi_box = self._spin(MIN_DPI, MAX_DPI, " dpi", "Resolution written into the file")
        self.theme_box = QComboBox(self)
        self.theme_box.addItem("Light (for print)", "light")
        self.theme_box.addItem("Dark", "dark")
        self.theme_box.setToolTip("Colours of the image")
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("Title above the timeline")
        self.title_edit.setToolTip("Shown in large type at the top")
        self.subtitle_edit = QLineEdit(self)
        self.subtitle_edit.setPlaceholderText("Optional line under the title")
        self.subtitle_edit.setToolTip("Shown under the title, before the date span")
        self.visible_radio = QRadioButton("Visible range", self)
        self.visible_radio.setToolTip("What the timeline shows now")
        self.whole_radio = QRadioButton("Whole timeline", self)
        self.whole_radio.setToolTip("From the first event to the last")
        self.range_group = QButtonGroup(self)
        self.range_group.addButton(self.visible_radio)
        self.range_group.addButton(self.whole_radio)
        self.filter_check = QCheckBox("Apply the current filter", self)
        self.filter_check.setToolTip("Only the events the filter bar lets through")
        self.grades_check = QCheckBox("Best source grade after titles", self)
        self.grades_check.setToolTip(
            "End each title with the best grade of its sources (e.g. [B2]); the legend "
            "explains the marks"
        )
        self.grades_check.setEnabled(catalog is not None)
        self._grades: dict[str, str] | None = None
        self.preview = QLabel(self)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW_WIDTH, round(PREVIEW_WIDTH * 9 / 16))
        self.preview.setStyleSheet("QLabel { border: 1px solid palette(mid); }")
        self.preview.setToolTip("A preview of the image")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)

        form = QFormLayout()
        form.addRow("Format", self.format_box)
        form.addRow("Size", self.preset_box)
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_box)
        size_row.addWidget(QLabel("×", self))
        size_row.addWidget(self.height_box)
        form.addRow("", size_row)
        form.addRow("Resolution", self.dpi_box)
        form.addRow("Theme", self.theme_box)
        form.addRow("Title", self.title_edit)
        form.addRow("Subtitle", self.subtitle_edit)
        range_row = QHBoxLayout()
        range_row.addWidget(self.visible_radio)
        range_row.addWidget(self.whole_radio)
        form.addRow("Range", range_row)
        form.addRow("", self.filter_check)
        form.addRow("", self.grades_check)

        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            "Export…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setToolTip("Choose where to save the image")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._export)
        self.buttons.rejected.connect(self.reject)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        choices = QVBoxLayout()
        choices.addLayout(form)
        choices.addStretch(1)  # the choices stay together at the top as the dialog grows
        columns.addLayout(choices, 0)
        right = QVBoxLayout()
        right.addWidget(self.preview, 1)
        right.addWidget(self.note)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh_preview)
        self._restore()
        self._connect()
        self._preset_chosen()
        self.refresh_preview()

    def _spin(self, low: int, high: int, suffix: str, tip: str) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(low, high)
        box.setSuffix(suffix)
        box.setToolTip(tip)
        return box

    def _connect(self) -> None:
        self.preset_box.currentIndexChanged.connect(self._preset_chosen)
        for box in (self.format_box, self.theme_box):
            box.currentIndexChanged.connect(self._schedule)
        for spin in (self.width_box, self.height_box, self.dpi_box):
            spin.valueChanged.connect(self._schedule)
        for edit in (self.title_edit, self.subtitle_edit):
            edit.textChanged.connect(self._schedule)
        self.visible_radio.toggled.connect(self._schedule)
        self.filter_check.toggled.connect(self._schedule)
        self.grades_check.toggled.connect(self._schedule)

    def _schedule(self) -> None:
        self._timer.start()

    def _preset_chosen(self) -> None:
        _name, width, height, dpi = PRESETS[self.preset_box.currentIndex()]
        custom = width == 0
        for box in (self.width_box, self.height_box):
            box.setEnabled(custom)
        if not custom:
            self.width_box.setValue(width)
            self.height_box.setValue(height)
            self.dpi_box.setValue(dpi)
        self._schedule()

    # ---- choices ----------------------------------------------------------------------------

    def options(self) -> ExportOptions:
        return ExportOptions(
            width=self.width_box.value(),
            height=self.height_box.value(),
            dpi=self.dpi_box.value(),
            title=self.title_edit.text().strip(),
            subtitle=self.subtitle_edit.text().strip(),
            theme=self.theme_box.currentData(),
            format=self.fmt(),
            credit=self.credit,
            grades=self.grades() if self.grades_check.isChecked() else None,
        )

    def grades(self) -> dict[str, str]:
        """The best source grade of each graded event ("B2"), read once per dialog."""
        if self._grades is None:
            from timeline_app.domain.evidence import grade_text
            from timeline_app.services.sources import best_grades

            found = best_grades(self.catalog) if self.catalog is not None else {}
            self._grades = {event_id: grade_text(*grade) for event_id, grade in found.items()}
        return self._grades

    def state(self) -> TimelineState:
        state = self.timeline.state()
        if not self.filter_check.isChecked():
            state = replace(state, mask=None)
        if self.whole_radio.isChecked():
            state = replace(state, x_range=whole_range(state))
        return replace(state, selected_ids=())

    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def refresh_preview(self) -> None:
        options = self.options()
        factor = min(1.0, PREVIEW_RENDER_LIMIT / options.width)
        if factor < 1.0:
            options = replace(
                options,
                width=max(MIN_PIXELS, round(options.width * factor)),
                height=max(MIN_PIXELS, round(options.height * factor)),
            )
        image = render_state_image(self.state(), options)
        pixmap = QPixmap.fromImage(image).scaled(
            self.preview.width() - 4,
            self.preview.height() - 4,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        self.preview.setPixmap(pixmap)
        chosen = self.options()
        note = f"{chosen.width} × {chosen.height} px at {chosen.dpi} dpi"
        if self.fmt() == "pdf":
            width_cm = chosen.width / chosen.dpi * 2.54
            height_cm = chosen.height / chosen.dpi * 2.54
            note += f" — a page of {width_cm:.1f} × {height_cm:.1f} cm"
        self.note.setText(note)

    # ---- remembering -----------------------------------------------------------------------

    def _restore(self) -> None:
        store = self.settings
        store.beginGroup(SETTINGS_GROUP)
        try:
            self.format_box.setCurrentIndex(
                max(0, self.format_box.findData(store.value("format", "png")))
            )
            self.preset_box.setCurrentIndex(min(int(store.value("preset", 0)), len(PRESETS) - 1))
            self.width_box.setValue(int(store.value("width", 1920)))
            self.height_box.setValue(int(store.value("height", 1080)))
            self.dpi_box.setValue(int(store.value("dpi", 150)))
            self.theme_box.setCurrentIndex(
                max(0, self.theme_box.findData(store.value("theme", "light")))
            )
            # the title typed last is kept for the same timeline; another one starts from its
            # own title (never from another dataset's)
            own = self._timeline_title()
            same = str(store.value("title_for", "")) == own and store.contains("title")
            self.title_edit.setText(str(store.value("title")) if same else own)
            self.subtitle_edit.setText(str(store.value("subtitle", "")))
            whole = str(store.value("range", "visible")) == "whole"
            (self.whole_radio if whole else self.visible_radio).setChecked(True)
            self.filter_check.setChecked(str(store.value("filter", "true")) == "true")
        except (TypeError, ValueError):
            self.visible_radio.setChecked(True)  # damaged settings: keep the defaults
        finally:
            store.endGroup()

    def _timeline_title(self) -> str:
        """The stored title of the timeline shown ("" for none or without a catalog)."""
        if self.catalog is None:
            return ""
        try:
            return str(self.catalog.title())
        except TimelineError:
            return ""  # a database that cannot say: the user types one

    def _remember(self, folder: str) -> None:
        store = self.settings
        store.beginGroup(SETTINGS_GROUP)
        for key, value in (
            ("format", self.fmt()),
            ("preset", self.preset_box.currentIndex()),
            ("width", self.width_box.value()),
            ("height", self.height_box.value()),
            ("dpi", self.dpi_box.value()),
            ("theme", self.theme_box.currentData()),
            ("title", self.title_edit.text()),
            ("title_for", self._timeline_title()),
            ("subtitle", self.subtitle_edit.text()),
            ("range", "whole" if self.whole_radio.isChecked() else "visible"),
            ("filter", "true" if self.filter_check.isChecked() else "false"),
            ("folder", folder),
        ):
            store.setValue(key, value)
        store.endGroup()

    # ---- exporting -------------------------------------------------------------------------

    def ask_path(self) -> str:
        fmt = self.fmt()
        folder = str(self.settings.value(f"{SETTINGS_GROUP}/folder", ""))
        suggestion = str(Path(folder) / f"timeline.{fmt}") if folder else f"timeline.{fmt}"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export image", suggestion, f"{fmt.upper()} image (*.{fmt})"
        )
        if path and not path.lower().endswith(f".{fmt}"):
            path += f".{fmt}"
        return path

    def _export(self) -> None:
        path = self.ask_path()
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> bool:
        """Write the image; a clear message and the dialog stays open when that fails."""
        self.setCursor(Qt.CursorShape.WaitCursor)
        try:
            export_state(self.state(), self.options(), path)
        except TimelineError as error:
            QMessageBox.warning(self, "Export image", str(error))
            return False
        finally:
            self.unsetCursor()
        self.exported_path = path
        self._remember(str(Path(path).parent))
        self.accept()
        return True


def copy_view_to_clipboard(timeline: TimelineWidget, catalog: Any | None = None) -> None:
    """The current view, at the widget's size and in its theme, onto the clipboard (with
    title space, legend and credit, so a pasted image still says what it shows)."""
    state = replace(timeline.state(), selected_ids=())
    size = timeline.size()
    options = ExportOptions(
        width=min(MAX_PIXELS, max(MIN_PIXELS, size.width())),
        height=min(MAX_PIXELS, max(MIN_PIXELS, size.height())),
        theme=state.theme,
        credit=credit_of(catalog),
    )
    QGuiApplication.clipboard().setImage(render_state_image(state, options))


def open_export_image_dialog(
    window: QMainWindow,
    timeline_widget: TimelineWidget,
    catalog: Any | None,
    settings: QSettings | None = None,
) -> ExportImageDialog:
    """File ▸ Export image…: the dialog, window-modal; the status bar says where it saved."""
    dialog = ExportImageDialog(timeline_widget, catalog, window, settings=settings)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.accepted.connect(
        lambda: window.statusBar().showMessage(f"Saved image {dialog.exported_path}", 8000)
    )
    dialog.open()
    return dialog


def copy_view_with_message(
    window: QMainWindow, timeline_widget: TimelineWidget, catalog: Any | None
) -> None:
    """Edit ▸ Copy view as image, confirmed in the status bar."""
    copy_view_to_clipboard(timeline_widget, catalog)
    window.statusBar().showMessage("Copied the timeline view to the clipboard", 5000)
