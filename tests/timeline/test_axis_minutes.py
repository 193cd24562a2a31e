"""The axis reaches minutes: an event's time of day (`2013-03-30T11:16`) is read off it."""

from __future__ import annotations

from timeline_app.domain.dates import utc_seconds
from timeline_app.timeline.axis import date_ticks
from timeline_app.timeline.view import MIN_RANGE


def test_forty_minutes_are_ticked_every_five_minutes_under_their_day():
    ticks = date_ticks(utc_seconds(2013, 3, 30, 11), utc_seconds(2013, 3, 30, 11, 40), 1200)
    assert (ticks.unit, ticks.step) == ("m", 5)
    assert [label for _, label in ticks.major[:4]] == ["11:00", "11:05", "11:10", "11:15"]
    assert [label for _, label in ticks.context] == ["Sat 30 March 2013"]
    assert ticks.minor  # every minute between


def test_a_few_minutes_are_ticked_every_minute():
    ticks = date_ticks(utc_seconds(2013, 3, 30, 11, 14), utc_seconds(2013, 3, 30, 11, 24), 1200)
    assert (ticks.unit, ticks.step) == ("m", 1)
    assert (utc_seconds(2013, 3, 30, 11, 16), "11:16") in ticks.major


def test_hours_still_read_as_hours_and_the_view_zooms_to_minutes():
    ticks = date_ticks(utc_seconds(2013, 3, 30), utc_seconds(2013, 3, 31), 1200)
    assert ticks.unit == "h" and ticks.major[0][1] == "00:00"
    assert MIN_RANGE <= 15 * 60
