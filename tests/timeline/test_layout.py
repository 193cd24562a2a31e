"""Chart layout: era strips above, lanes below; title rows stay inside their lane."""

from __future__ import annotations

import itertools

import numpy as np

from timeline_app.timeline.layout import (
    ERA_ROW_HEIGHT,
    LARGEST_MARKER_HALF,
    MARKER_HALF,
    SPAN_BAR,
    chart_layout,
)


def test_lanes_share_the_height_under_the_era_strips() -> None:
    layout = chart_layout(1400, 800, np.zeros(10, dtype=int), era_rows=3, line_height=15)
    assert layout.lanes_top >= 3 * ERA_ROW_HEIGHT
    assert layout.lane_top[0] == layout.lanes_top
    assert abs(layout.lane_top[-1] + layout.lane_height - 800) < 1e-6
    assert layout.lane_at(layout.lanes_top + 1.5 * layout.lane_height) == 1
    assert layout.lane_at(1.0) == -1


def test_title_rows_stay_in_their_lane_and_clear_the_markers() -> None:
    layout = chart_layout(1400, 900, np.array([0, 3, 12, 1]), era_rows=0, line_height=15)
    for lane in range(layout.lane_count):
        top = layout.lane_top[lane]
        bottom = top + layout.lane_height
        rows = sorted(layout.label_rows[lane])
        for row in rows:
            assert top <= row and row + 15 <= bottom + 1e-6
            assert row + 15 <= layout.baseline[lane] - MARKER_HALF + 1e-6 or (
                row >= layout.baseline[lane] + MARKER_HALF - 1e-6
            )
        assert all(b - a >= 15 - 1e-6 for a, b in itertools.pairwise(rows))
        assert top <= layout.baseline[lane] <= bottom


def test_tiny_lanes_still_have_a_marker_line() -> None:
    layout = chart_layout(300, 60, np.zeros(6, dtype=int), era_rows=0, line_height=15)
    assert all(rows == () for rows in layout.label_rows)
    assert np.all(np.diff(layout.baseline) > 0)


def test_consecutive_terms_share_one_era_row() -> None:
    from timeline_app.domain.dates import parse_span
    from timeline_app.domain.model import EraRecord
    from timeline_app.timeline.eras import era_rows

    def era(name: str, start: str, end: str, group: str) -> EraRecord:
        span = parse_span(start, end)
        return EraRecord(name, name, start, end, "#888888", group, span.lower, span.upper)

    rows = era_rows(
        [
            era("Rafsanjani", "1989-08-03", "1997-08-03", "Iran"),
            era("Khatami", "1997-08-03", "2005-08-03", "Iran"),
            era("Yeltsin", "1991-12-25", "1999-12-31", "Russia"),
            era("Putin", "1999-12-31", "2008-05-07", "Russia"),
            era("Syria", "2015-09-30", "2024-12-08", "Context"),
            era("JCPOA", "2016-01-16", "2025-10-18", "Context"),
        ]
    )
    groups = [group for group, _ in rows.groups]
    assert groups == ["Iran", "Russia", "Context", "Context"]


def test_a_thin_lane_puts_one_row_of_small_titles_above_its_markers() -> None:
    # 12 lanes in 330 px: 27.5 px each, too thin for a row of 15 px titles above the markers.
    layout = chart_layout(
        830, 330, np.array([0, 1] * 6), era_rows=0, line_height=15, inline_line_height=13
    )
    assert all(layout.compact) and not any(layout.inline)
    assert layout.row_heights() == [13.0] * 12
    for lane in range(layout.lane_count):
        (row,) = layout.label_rows[lane]
        top, bottom = layout.lane_top[lane], layout.lane_top[lane] + layout.lane_height
        assert top <= row and row + 13 <= layout.baseline[lane] - 5.5 + 1  # clears importance 3
        assert layout.baseline[lane] + LARGEST_MARKER_HALF <= bottom
        # the spans' one track stays in the lane, under the markers
        assert layout.span_top[lane] + SPAN_BAR <= bottom + 1e-6


def test_a_lane_too_thin_even_for_that_puts_its_titles_on_the_marker_line() -> None:
    layout = chart_layout(
        830, 12 * 20, np.zeros(12, dtype=int), era_rows=0, line_height=15, inline_line_height=13
    )
    assert all(layout.inline)
    for lane in range(layout.lane_count):
        (row,) = layout.label_rows[lane]
        assert abs(row + 6.5 - layout.baseline[lane]) < 1e-6


def test_the_bundled_presidencies_take_one_row_per_country() -> None:
    from timeline_app.domain.dates import parse_span
    from timeline_app.domain.model import EraRecord
    from timeline_app.timeline.eras import era_rows

    terms = {
        "Iran": [
            ("Rafsanjani", "1989-08-03", "1997-08-03"),
            ("Khatami", "1997-08-03", "2005-08-03"),
            ("Ahmadinejad", "2005-08-03", "2013-08-03"),
            ("Rouhani", "2013-08-03", "2021-08-03"),
            ("Raisi", "2021-08-03", "2024-05-19"),
            ("Mokhber (acting)", "2024-05-20", "2024-07-28"),
            ("Pezeshkian", "2024-07-28", "2025-12-31"),
        ],
        "Russia": [
            ("Yeltsin", "1991-12-25", "1999-12-31"),
            ("Putin (1st and 2nd terms)", "1999-12-31", "2008-05-07"),
            ("Medvedev", "2008-05-07", "2012-05-07"),
            ("Putin (3rd term onwards)", "2012-05-07", "2025-12-31"),
        ],
    }
    eras = []
    for group, members in terms.items():
        for name, start, end in members:
            span = parse_span(start, end)
            eras.append(EraRecord(name, name, start, end, "#888888", group, span.lower, span.upper))
    groups = [group for group, _ in era_rows(eras).groups]
    assert groups.count("Iran") <= 1 and groups.count("Russia") <= 1
    assert ERA_ROW_HEIGHT <= 14  # compact strips: the lanes keep the height
