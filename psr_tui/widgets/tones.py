"""The TUI's palette for the tones of `analysis.Tone`: a theme variable for each.

Which tone a band's colour has is decided once, in `psr_tui.tone.colour_tone`; here each tone
only gets the theme variable that draws it, so the colours follow the theme (dark, light,
16-colour) instead of being fixed.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from psr_tui.tone import Tone

TONE_VARIABLES = {
    Tone.GOOD: "success",
    Tone.MILD: "warning",
    Tone.CAUTION: "warning",
    Tone.SERIOUS: "warning",
    Tone.DANGER: "error",
    Tone.INFO: "primary",
    Tone.SPECIAL: "accent",
    Tone.NEUTRAL: "foreground",
}


def tone_variable(tone: Tone) -> str:
    """The theme variable (without `$`) that draws `tone`."""
    return TONE_VARIABLES[tone]


def theme_colour(app: App[Any], variable: str) -> str:
    """A theme variable's current value, for Rich styles (which can't name variables)."""
    return app.theme_variables.get(variable) or app.theme_variables.get("foreground", "")
