"""Exported images draw the links the timeline shows, and their legend says what the arrows
mean (or that too many were left out)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtWidgets

sys.path.insert(0, str(Path(__file__).parents[1] / "timeline"))
from timeline_builders import many_events, sample, utc

from timeline_app.timeline.export import ExportOptions, render_page_image
from timeline_app.timeline.link_arrows import MAX_ARROWS, links_in_range
from timeline_app.timeline.view import TimelineState

LINKS = (("a", "h", "led_to"), ("h", "i", "responded_to"), ("d", "g", "same_as"))
OPTIONS = ExportOptions(width=1280, height=720, title="Links")


@pytest.fixture
def state(qapp) -> TimelineState:
    return TimelineState(columns=sample(), x_range=(utc(2015), utc(2017)), links=LINKS)


def page(state: TimelineState) -> np.ndarray:
    image = render_page_image(state, OPTIONS)[0]
    image = image.convertToFormat(image.Format.Format_RGB32)
    pointer = image.constBits()
    return np.frombuffer(pointer, np.uint8).reshape(image.height(), image.bytesPerLine()).copy()


def test_the_page_draws_the_arrows_and_names_their_kinds(state, tmp_path) -> None:
    assert links_in_range(state) == (["led_to", "responded_to", "same_as"], 3)
    with_links = page(state)
    without = page(dataclasses.replace(state, links=()))
    assert with_links.shape == without.shape
    rows = np.flatnonzero((with_links != without).any(axis=1))
    chart_rows = rows[rows < 560]
    legend_rows = rows[rows >= 560]
    assert chart_rows.size and legend_rows.size  # arrows on the chart, a row in the legend
    render_page_image(state, OPTIONS)[0].save(str(tmp_path / "links.png"))


def test_links_out_of_range_or_filtered_out_are_not_in_the_legend(state) -> None:
    narrow = dataclasses.replace(state, x_range=(utc(2015), utc(2015, 12)))
    assert links_in_range(narrow) == (["led_to"], 1)  # sanctions relief, oil deal: 2016
    mask = np.ones(len(state.columns), dtype=bool)
    mask[state.columns.index_of("d")] = False
    assert links_in_range(dataclasses.replace(state, mask=mask))[1] == 2
    assert page(dataclasses.replace(state, links=(("a", "zz", "led_to"),))).shape


def test_too_many_links_are_left_out_and_the_legend_says_so(qapp) -> None:
    columns = many_events(400, categories=4)
    ids = columns.ids.tolist()
    links = tuple((ids[i], ids[i + 5], "led_to") for i in range(0, 390, 3))
    state = TimelineState(columns=columns, x_range=(utc(1991), utc(2025)), links=links)
    assert links_in_range(state)[1] > MAX_ARROWS
    assert (page(state) != page(dataclasses.replace(state, links=()))).any()
    QtWidgets.QApplication.processEvents()


def test_render_command_draws_links_when_asked(tmp_path, qapp, capsys):
    """`render --links` draws the arrows and names their kinds in the legend; without the
    flag, or for a link whose other end is filtered out, nothing of links appears."""
    import xml.etree.ElementTree as ET

    from timeline_app.cli import main
    from timeline_app.domain.evidence import LinkKind
    from timeline_app.domain.model import EventDraft
    from timeline_app.services import links as link_service
    from timeline_app.services.catalog import Catalog
    from timeline_app.store.database import open_database

    path = tmp_path / "linked.sqlite"
    catalog = Catalog(open_database(path))
    for name in ("Arms", "Friction"):
        catalog.add_category(name)
    contract = catalog.add_event(EventDraft("S-300 contract", "2007-12", category="Arms"))
    ban = catalog.add_event(EventDraft("S-300 ban", "2010-09-22", category="Friction"))
    link_service.add_link(catalog, contract.id, ban.id, LinkKind.LED_TO)
    catalog.database.dispose()

    def legend(*flags: str) -> list[str]:
        out = tmp_path / "linked.svg"
        assert main(["render", str(out), "--db", str(path), *flags]) == 0, capsys.readouterr()
        tree = ET.parse(out)
        return [
            " ".join("".join(node.itertext()).split())
            for node in tree.iter("{http://www.w3.org/2000/svg}text")
        ]

    assert "led to" in legend("--links")
    assert "led to" not in legend()
    assert "led to" not in legend("--links", "--category", "Arms")
