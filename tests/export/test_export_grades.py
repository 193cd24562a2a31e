"""Image exports can end each title with its event's best source grade; the legend then
explains the marks (and says nothing of grades otherwise)."""

from __future__ import annotations

import calendar
import xml.etree.ElementTree as ET
from pathlib import Path

from timeline_app.domain.columns import EventColumns
from timeline_app.timeline.export import GRADE_NOTE, ExportOptions, export_image


def svg_texts(path: Path) -> list[str]:
    tree = ET.parse(path)
    return [
        " ".join("".join(node.itertext()).split())
        for node in tree.iter("{http://www.w3.org/2000/svg}text")
    ]


def _year(value: int) -> float:
    return float(calendar.timegm((value, 1, 1, 0, 0, 0)))


def test_labels_carry_the_best_grade_and_the_legend_explains_it(tmp_path, qapp):
    rows = [
        ("a", "Bushehr contract", _year(1995), _year(1995) + 86_400, False, 5, 0, 5, 0),
        ("b", "S-300 delivery", _year(2016), _year(2016) + 86_400, False, 5, 0, 5, 0),
    ]
    columns = EventColumns.from_rows(rows, ("Nuclear file",), ("#336699",))
    out = tmp_path / "graded.svg"
    export_image(columns, [], ExportOptions(title="Graded", grades={"a": "B2"}), out)
    texts = " | ".join(svg_texts(out))
    assert "Bushehr contract [B2]" in texts
    assert "S-300 delivery" in texts and "S-300 delivery [" not in texts  # ungraded
    assert " ".join(GRADE_NOTE.split()) in texts

    export_image(columns, [], ExportOptions(title="Plain"), out)
    texts = " | ".join(svg_texts(out))
    assert "[B2]" not in texts and "best grade" not in texts
    assert "Bushehr contract" in texts


def test_the_export_dialog_offers_the_grades_of_the_open_catalog(qtbot, tmp_path):
    from dataclasses import replace

    from PySide6.QtCore import QSettings

    from timeline_app.domain.model import EventDraft, SourceRef
    from timeline_app.services.catalog import Catalog
    from timeline_app.store.database import open_database
    from timeline_app.timeline.view import TimelineWidget
    from timeline_app.ui.dialogs.export_image import ExportImageDialog

    catalog = Catalog(open_database(tmp_path / "graded.sqlite"))
    try:
        catalog.add_category("Nuclear file")
        draft = EventDraft("Bushehr contract", "1995-01-08", category="Nuclear file")
        wire = SourceRef("Contract signed", "", "TASS", reliability="B", credibility=2)
        graded = catalog.add_event(replace(draft, sources=(wire,)))
        catalog.add_event(replace(draft, title="Ungraded", start="1996"))
        timeline = TimelineWidget()
        qtbot.addWidget(timeline)
        timeline.set_events(catalog.event_columns())
        settings = QSettings(str(tmp_path / "export.ini"), QSettings.Format.IniFormat)
        dialog = ExportImageDialog(timeline, catalog, settings=settings)
        qtbot.addWidget(dialog)
        assert dialog.options().grades is None
        dialog.grades_check.setChecked(True)
        assert dialog.options().grades == {graded.id: "B2"}
        image = dialog.preview.pixmap()
        qtbot.waitUntil(lambda: dialog.preview.pixmap().cacheKey() != image.cacheKey())
        dialog.preview.pixmap().save("/tmp/h1-export-grades.png")
    finally:
        catalog.database.dispose()


def test_render_command_appends_grades_when_asked(tmp_path, qapp, capsys):
    from dataclasses import replace

    from timeline_app.cli import main
    from timeline_app.domain.model import EventDraft, SourceRef
    from timeline_app.services.catalog import Catalog
    from timeline_app.store.database import open_database

    path = tmp_path / "graded.sqlite"
    catalog = Catalog(open_database(path))
    catalog.add_category("Nuclear file")
    draft = EventDraft("Bushehr contract", "1995-01-08", category="Nuclear file")
    wire = SourceRef("Contract signed", "", "TASS", reliability="A", credibility=1)
    catalog.add_event(replace(draft, sources=(wire,)))
    catalog.database.dispose()
    out = tmp_path / "graded.svg"
    for flags, expected in (((), "Bushehr contract"), (("--grades",), "Bushehr contract [A1]")):
        assert main(["render", str(out), "--db", str(path), *flags]) == 0, capsys.readouterr()
        assert expected in svg_texts(out)
