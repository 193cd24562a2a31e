"""Guard for the Qt binding pin: many pyqtgraph TextItems repainted and destroyed must not
abort the interpreter (PySide6 6.12.0 with pyqtgraph 0.14 does; 6.11.x does not)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6 import QtWidgets


def test_a_thousand_text_items_paint_and_go_away(qtbot) -> None:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(800, 500)
    plot.show()
    qtbot.waitExposed(plot)
    items = []
    for index in range(1000):
        item = pg.TextItem(f"Event {index}", color="#333333")
        item.setPos(index % 100, index // 100)
        plot.addItem(item)
        items.append(item)
    for step in range(3):
        plot.setXRange(step * 5, 100 + step * 5, padding=0)
        image = plot.grab().toImage()
        assert not image.isNull()
    plot.clear()
    for item in items:
        item.deleteLater()
    items.clear()
    QtWidgets.QApplication.processEvents()
    assert plot.grab().width() == plot.width()
