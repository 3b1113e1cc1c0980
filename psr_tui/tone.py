"""How a colour reads, whichever renders it: a tone each for the TUI's theme variables and
the PDF's print colours. Apart from the analysis (and light) so that Home's figures,
handed over before pydantic is imported, can carry a band's tone."""

from __future__ import annotations

import colorsys
import re
from enum import StrEnum


class Tone(StrEnum):
    """How a band's colour reads, whichever renders it: the TUI gives each tone a theme
    variable, the PDF a print colour."""

    GOOD = "good"  # green
    MILD = "mild"  # yellow
    CAUTION = "caution"  # amber
    SERIOUS = "serious"  # orange
    DANGER = "danger"  # red
    INFO = "info"  # blue
    SPECIAL = "special"  # purple
    NEUTRAL = "neutral"  # grey, or a colour we can't place


COLOUR_TONES = {
    "green": Tone.GOOD,
    "yellow": Tone.MILD,
    "amber": Tone.CAUTION,
    "orange": Tone.SERIOUS,
    "red": Tone.DANGER,
    "blue": Tone.INFO,
    "purple": Tone.SPECIAL,
    "grey": Tone.NEUTRAL,
    "gray": Tone.NEUTRAL,
}
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# Upper hue bounds (degrees) of each tone, for a band coloured #rrggbb.
_HUES = (
    (15, Tone.DANGER),
    (40, Tone.SERIOUS),
    (52, Tone.CAUTION),
    (70, Tone.MILD),
    (170, Tone.GOOD),
    (260, Tone.INFO),
    (335, Tone.SPECIAL),
    (360, Tone.DANGER),
)


def colour_tone(colour: str) -> Tone:
    """The tone of a matrix's colour word (any case), or of a #rrggbb colour by its hue."""
    cleaned = colour.strip().lower()
    if cleaned in COLOUR_TONES:
        return COLOUR_TONES[cleaned]
    if not HEX_COLOUR.fullmatch(cleaned):
        return Tone.NEUTRAL
    red, green, blue = (int(cleaned[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.2 or not 0.1 < lightness < 0.95:
        return Tone.NEUTRAL
    degrees = hue * 360
    return next(tone for bound, tone in _HUES if degrees < bound)
