"""Light and dark looks for the timeline: one small value object every painter reads.

Kept as plain hex strings so the palette is readable at a glance and testable without Qt;
painters turn them into QColor once per theme change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Theme:
    """Colours of every surface the timeline paints; `#RRGGBB` or `#AARRGGBB`."""

    name: str
    background: str  # the widget around the chart
    plot: str  # the chart area
    stripe: str  # every other lane, a whisper darker or lighter than `plot`
    lane_rule: str  # the hairline between lanes
    grid: str  # vertical lines at major ticks
    grid_minor: str  # vertical lines at context boundaries (years under months, ...)
    text: str  # titles and lane names
    text_muted: str  # counts, axis context row, era group names
    axis_text: str
    today: str
    selection: str  # ring around selected events
    hover: str
    halo: str  # behind label text, so labels stay legible over bars and bands
    rubber_band: str
    neutral: str  # marks and density in lanes that are not categories
    overview_fill: str
    overview_window: str

    @property
    def is_dark(self) -> bool:
        return self.name == "dark"


LIGHT = Theme(
    name="light",
    background="#FFFFFF",
    plot="#FFFFFF",
    stripe="#F6F7F9",
    lane_rule="#E3E6EA",
    grid="#E6E8EC",
    grid_minor="#C9CED6",
    text="#1F2328",
    text_muted="#6A737D",
    axis_text="#3D444D",
    today="#D1242F",
    selection="#0969DA",
    hover="#1F2328",
    halo="#E6FFFFFF",
    rubber_band="#0969DA",
    neutral="#4A6FA5",
    overview_fill="#8C959F",
    overview_window="#0969DA",
)

DARK = Theme(
    name="dark",
    background="#16191D",
    plot="#1B1F24",
    stripe="#21262C",
    lane_rule="#2D333B",
    grid="#2A3038",
    grid_minor="#444C56",
    text="#E6EDF3",
    text_muted="#8B949E",
    axis_text="#C9D1D9",
    today="#FF7B72",
    selection="#58A6FF",
    hover="#F0F6FC",
    halo="#D91B1F24",
    rubber_band="#58A6FF",
    neutral="#7EA6E0",
    overview_fill="#6E7681",
    overview_window="#58A6FF",
)

THEMES: dict[str, Theme] = {LIGHT.name: LIGHT, DARK.name: DARK}


def theme_named(name: str) -> Theme:
    """The theme called `name`; a clear error for anything else rather than a silent default."""
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; expected one of {sorted(THEMES)}") from None


def _luminance(red: int, green: int, blue: int) -> float:
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) / 255.0


def mark_colour(theme: Theme, colour: str) -> str:
    """A category colour as drawn on this theme: deep colours (navy, wine) are lifted towards
    white on the dark background so every category stays visible; light theme unchanged."""
    if not theme.is_dark or len(colour) != 7 or not colour.startswith("#"):
        return colour
    try:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return colour
    lift = max(0.0, 0.45 - _luminance(red, green, blue)) * 1.1
    if lift <= 0:
        return colour
    red, green, blue = (round(c + (255 - c) * lift) for c in (red, green, blue))
    return f"#{red:02X}{green:02X}{blue:02X}"
