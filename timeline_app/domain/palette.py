"""Colour-blind-safe category colours (Okabe & Ito 2008; Paul Tol's "muted" scheme)."""

from __future__ import annotations

import colorsys
import re

OKABE_ITO = ("#0072B2", "#D55E00", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442")
TOL_MUTED = (
    "#882255",
    "#332288",
    "#CC6677",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#DDCC77",
    "#117733",
    "#88CCEE",
)

# Twelve distinguishable colours, used in this order for new categories.
CATEGORY_COLOURS: tuple[str, ...] = (
    "#0072B2",
    "#D55E00",
    "#882255",
    "#E69F00",
    "#332288",
    "#009E73",
    "#56B4E9",
    "#CC6677",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#DDCC77",
)
FALLBACK_COLOUR = "#888888"
_HEX = re.compile(r"#[0-9A-Fa-f]{6}\Z")  # \Z, not $: "#AABBCC\n" is not a colour


def is_colour(text: str) -> bool:
    """True for a #RRGGBB colour, the only form the store and files accept."""
    return bool(_HEX.match(text or ""))


def next_colour(used: list[str] | tuple[str, ...]) -> str:
    """The first palette colour not yet used; once all twelve are taken, a colour of its
    own all the same (hues spread by the golden ratio, at the palette's middling strength),
    so that a thirteenth category is never drawn like another."""
    taken = {colour.upper() for colour in used}
    for colour in CATEGORY_COLOURS:
        if colour.upper() not in taken:
            return colour
    for step in range(1, 10_000):
        hue = (step * 0.618_033_988_75) % 1.0
        red, green, blue = colorsys.hsv_to_rgb(hue, 0.55 + 0.2 * (step % 2), 0.72)
        colour = f"#{round(red * 255):02X}{round(green * 255):02X}{round(blue * 255):02X}"
        if colour not in taken:
            return colour
    return CATEGORY_COLOURS[len(used) % len(CATEGORY_COLOURS)]


def rgb(colour: str) -> tuple[int, int, int]:
    """(r, g, b) of a #RRGGBB colour; the fallback grey for anything else."""
    value = colour if is_colour(colour) else FALLBACK_COLOUR
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)
