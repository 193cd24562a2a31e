"""The date axis: ticks adapt from decades to hours, with a context row, always in UTC."""

from __future__ import annotations

import pytest
from timeline_builders import DAY, utc

from timeline_app.domain.dates import Precision
from timeline_app.timeline.axis import date_ticks, format_instant, format_range


@pytest.mark.parametrize(
    ("lower", "upper", "unit", "first_label"),
    [
        (utc(1900), utc(2030), "Y", "1900"),
        (utc(1991), utc(2026), "Y", "1992"),
        (utc(2015), utc(2016), "M", "Jan"),
        (utc(2015, 9, 27), utc(2015, 10, 4), "h", "00:00"),
        (utc(2015, 9, 30), utc(2015, 9, 30) + 6 * 3600, "h", "00:00"),
    ],
)
def test_tick_unit_follows_the_zoom(lower, upper, unit, first_label) -> None:
    ticks = date_ticks(lower, upper, 1400)
    assert ticks.unit == unit
    assert ticks.major[0][1] == first_label or ticks.major[0][1].startswith(first_label)
    spacing = [b[0] - a[0] for a, b in zip(ticks.major, ticks.major[1:], strict=False)]
    assert min(spacing) * 1400 / (upper - lower) >= 30  # never crammed


def test_month_ticks_carry_the_year_underneath() -> None:
    ticks = date_ticks(utc(2015, 6), utc(2016, 6), 1400)
    assert ticks.unit == "M"
    assert [label for _, label in ticks.context] == ["2015", "2016"]
    assert ticks.context[1][0] == utc(2016)


def test_hour_ticks_carry_the_day_underneath() -> None:
    ticks = date_ticks(
        utc(
            2015,
            9,
            29,
        )
        + 20 * 3600,
        utc(2015, 9, 30) + 8 * 3600,
        1400,
    )
    assert ticks.unit == "h"
    assert ticks.context[-1] == (utc(2015, 9, 30), "Wed 30 September 2015")


def test_ticks_are_utc_midnights() -> None:
    ticks = date_ticks(utc(2020, 2, 1), utc(2020, 3, 15), 1400)
    assert all(x % DAY == 0 for x, _ in ticks.major)


def test_decade_ticks_land_on_round_years() -> None:
    ticks = date_ticks(utc(1500), utc(2030), 1400)
    years = [int(label) for _, label in ticks.major]
    step = years[1] - years[0]
    assert all(year % step == 0 for year in years)


def test_degenerate_ranges_give_no_ticks() -> None:
    assert date_ticks(10.0, 10.0, 1400).major == []
    assert date_ticks(0.0, 1e9, 0).major == []


def test_reader_dates() -> None:
    assert format_instant(utc(2023, 3, 12)) == "12 March 2023"
    assert format_instant(utc(2023, 3, 1), Precision.MONTH) == "March 2023"
    assert format_instant(utc(2023), Precision.YEAR) == "2023"
    assert format_range(utc(2023, 3, 3), utc(2023, 3, 10)) == "3–9 Mar 2023"
    assert format_range(utc(2019), utc(2022)) == "2019–2021"
