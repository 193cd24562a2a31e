"""The event table over twenty thousand events of a real SQLite file: rows served from the
drawn columns, sorted with numpy, and date texts read only for the rows that were shown."""

from __future__ import annotations

import calendar
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from timeline_app.domain.dates import describe_span, parse_span
from timeline_app.domain.model import EventDraft
from timeline_app.services.catalog import Catalog
from timeline_app.store import queries
from timeline_app.store.database import open_database
from timeline_app.ui.event_table import DATE, DATE_BLOCK, IMPORTANCE, TITLE, EventTableView

COUNT = 20_000
CATEGORIES = ("Diplomacy & treaties", "Nuclear file", "Energy")


def event_row(index: int, category_ids: list[int]) -> tuple:
    """Event `index`: 10,080 distinct days for 20,000 events, so many share a start."""
    year, month, day = 1990 + index % 30, 1 + index // 30 % 12, 1 + index // 360 % 28
    start = f"{year:04d}-{month:02d}-{day:02d}"
    lower = float(calendar.timegm((year, month, day, 0, 0, 0)))
    title = f"{'alpha' if index % 2 else 'Beta'} {(index * 7919) % COUNT:05d}"
    return (
        f"ev-{index:05d}",
        title,
        "",
        start,
        None,
        lower,
        lower + 86_400.0,
        None,
        lower + 86_400.0,
        "day",
        category_ids[index % 3],
        1 + index * 7 % 5,
        "confirmed",
        None,
        "",
        "",
        1,
    )


@pytest.fixture(scope="module")
def stocked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("table") / "events.sqlite"
    catalog = Catalog(open_database(path))
    for name in CATEGORIES:
        catalog.add_category(name)
    ids = [record.id for record in catalog.categories()]
    with catalog.engine.begin() as connection:
        queries.insert_event_rows(connection, [event_row(i, ids) for i in range(COUNT)])
    catalog.database.dispose()
    return path


@pytest.fixture
def catalog(stocked: Path):
    catalog = Catalog(open_database(stocked))
    yield catalog
    catalog.database.dispose()


@pytest.fixture
def asked() -> list[list[str]]:
    """The ids of each call to the date source, in order."""
    return []


@pytest.fixture
def view(qtbot, catalog, asked):
    table = EventTableView()
    qtbot.addWidget(table)

    def dates(ids):
        asked.append(list(ids))
        return catalog.event_dates(ids)

    table.set_date_source(dates)
    table.resize(900, 500)
    return table


def column_texts(table: EventTableView, column: int) -> list[str]:
    model = table.table_model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_rows_come_from_the_columns_in_date_order(view, catalog, asked, qtbot):
    columns = catalog.event_columns(with_actors=False)
    view.set_events(columns, None, catalog.categories())
    view.show()
    qtbot.waitExposed(view)
    model = view.table_model
    assert model.rowCount() == COUNT
    expected = sorted((row[5], row[0], row[1], row[3]) for row in map(_row, range(COUNT)))
    for row, (_lower, event_id, title, start) in enumerate(expected[:20]):
        assert model.event_id(row) == event_id
        assert model.index(row, TITLE).data() == title
        assert model.index(row, DATE).data() == describe_span(parse_span(start))
    qtbot.waitUntil(lambda: len(asked) > 0)
    assert all(len(ids) <= DATE_BLOCK for ids in asked)
    assert sum(map(len, asked)) <= 2 * DATE_BLOCK  # the rows on screen, not twenty thousand


def test_dates_are_read_a_block_at_a_time_for_the_rows_shown(view, catalog, asked):
    view.set_events(catalog.event_columns(with_actors=False), None, catalog.categories())
    model = view.table_model
    model.index(10_000, DATE).data()
    model.index(10_050, DATE).data()  # in the block already read: no second call
    assert len(asked) == 1 and len(asked[0]) == DATE_BLOCK
    assert model.event_id(10_000) in asked[0] and model.event_id(10_050) in asked[0]
    model.index(15_000, DATE).data()
    assert len(asked) == 2
    seen = set(asked[0]) | set(asked[1])
    assert len(seen) == 2 * DATE_BLOCK
    assert {model.event_id(row) for row in range(14_900, 15_100)} <= seen


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sort_by_title_ignores_case(view, catalog, order):
    view.set_events(catalog.event_columns(with_actors=False), None, catalog.categories())
    view.sortByColumn(TITLE, order)
    titles = column_texts(view, TITLE)
    folded = [title.casefold() for title in titles]
    assert folded == sorted(folded, reverse=order == Qt.SortOrder.DescendingOrder)
    assert titles[0] == ("alpha 00001" if order == Qt.SortOrder.AscendingOrder else "Beta 19998")


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sort_by_importance_keeps_dates_in_order_within(view, catalog, order):
    columns = catalog.event_columns(with_actors=False)
    view.set_events(columns, None, catalog.categories())
    view.sortByColumn(IMPORTANCE, order)
    model = view.table_model
    importance = columns.importance[model.positions()]
    step = np.diff(importance.astype(int))
    assert (step >= 0).all() if order == Qt.SortOrder.AscendingOrder else (step <= 0).all()
    assert importance[0] == (1 if order == Qt.SortOrder.AscendingOrder else 5)
    shown = "●○○○○" if order == Qt.SortOrder.AscendingOrder else "●●●●●"
    assert model.index(0, IMPORTANCE).data() == shown
    fives = np.diff(model.positions()[importance == 5])  # ties stay in date order
    assert (fives > 0).all() if order == Qt.SortOrder.AscendingOrder else (fives < 0).all()


def test_selection_stays_on_its_events_across_set_events(view, catalog):
    columns = catalog.event_columns(with_actors=False)
    view.set_events(columns, None, catalog.categories())
    view.sortByColumn(TITLE, Qt.SortOrder.AscendingOrder)
    view.select_ids(["ev-00004", "ev-12345"])
    assert sorted(view.selected_ids()) == ["ev-00004", "ev-12345"]
    fours = np.flatnonzero(columns.importance == 4)
    view.set_events(columns, fours, catalog.categories())
    model = view.table_model
    assert model.rowCount() == int((columns.importance == 4).sum())
    assert view.selected_ids() == ["ev-00004"]  # importance 4; ev-12345 has 1
    assert model.row_of("ev-12345") is None
    assert model.event_id(model.row_of("ev-00004")) == "ev-00004"
    titles = column_texts(view, TITLE)
    assert [t.casefold() for t in titles] == sorted(t.casefold() for t in titles)


def _row(index: int) -> tuple:
    return event_row(index, [0, 0, 0])


def test_one_of_before_after_and_open_ends_read_as_words(qtbot, tmp_path):
    """The date column says what each shape of date means, not its EDTF."""
    catalog = Catalog(open_database(tmp_path / "shapes.sqlite"))
    try:
        catalog.add_category("general")
        for title, start, end in (
            ("a", "[1990..1994]", None),
            ("b", "[..1980-05]", None),
            ("c", "[2001..]", None),
            ("d", "2022-02-24", ".."),
            ("e", "2014-03/", None),
            ("f", "[..1985]", ".."),
        ):
            catalog.add_event(EventDraft(title, start, end, category="general"))
        table = EventTableView()
        qtbot.addWidget(table)
        table.set_date_source(catalog.event_dates)
        table.set_events(catalog.event_columns(with_actors=False), None, catalog.categories())
        model = table.table_model
        shown = {
            model.index(row, TITLE).data(): model.index(row, DATE).data()
            for row in range(model.rowCount())
        }
    finally:
        catalog.database.dispose()
    assert shown == {
        "a": "between 1990 and 1994",
        "b": "before May 1980",
        "c": "after 2001",
        "d": "24 February 2022 – ongoing",
        "e": "March 2014 – unknown",
        "f": "before 1985 – ongoing",
    }
