"""SVG charts drawn by our own code for the PDF reports (no screenshots, no plotting library).

The SVG goes into the page inline, outside Jinja's autoescape, so every label is escaped
here (and its control characters spelt out). Sizes are CSS pixels (0.75 pt) and the
chart is drawn at the width it is printed, never scaled: a 12 px label prints at 9 pt.
Every chart carries its figures as text in its <title>, which the tagged PDF gives its
Figure as alternate text; long names are wrapped or cut here, and printed whole in the
tables beside the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from psr_tui.exports.printing import printable
from psr_tui.formatting import format_mean

# Print-safe series colours, dark to light, so they stay apart in greyscale too.
SERIES_COLOURS = ("#1f3a5f", "#6f9fc8", "#c3d7ea", "#7a5c99", "#c98b2b", "#5a8f5a")
FONT = "DejaVu Sans, sans-serif"
# The content width of a portrait page (A4 less 17 mm margins each side), in CSS pixels.
PORTRAIT_WIDTH = 664.0
LABEL_PX, SMALL_PX = 12.0, 11.0
# DejaVu Sans is wide: no more than this many pixels per character, on average, per px of size.
CHAR_EM = 0.62


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    short: str = ""  # its name beside each bar, e.g. "Exec" (the name when empty)

    @property
    def label(self) -> str:
        return self.short or self.name


def _text(value: str) -> str:
    return str(escape(printable(value)))


def fit_lines(text: str, width: float, size: float, lines: int = 2) -> list[str]:
    """`text` in at most `lines` lines of `width` px at `size` px: words wrap, a word too
    long for a line is broken, and what does not fit ends in an ellipsis."""
    per_line = max(int(width / (size * CHAR_EM)), 4)
    words = [w[i : i + per_line] for w in text.split() for i in range(0, len(w), per_line)]
    out: list[str] = []
    for word in words:
        if out and len(out[-1]) + 1 + len(word) <= per_line:
            out[-1] += " " + word
        elif len(out) < lines:
            out.append(word)
        else:
            out[-1] = out[-1][: per_line - 1].rstrip() + "…"
            break
    return out or [""]


def chart_description(
    what: str, categories: Sequence[str], series: Sequence[Series], top: int
) -> str:
    """The chart's figures as one text: its alternate text in the tagged PDF."""
    parts = []
    for row, category in enumerate(categories):
        values = ", ".join(
            f"{item.name} {format_mean(item.values[row]) if row < len(item.values) else '-'}"
            for item in series
        )
        parts.append(f"{category}: {values}")
    return f"{what}, on a scale of 0 to {top}. " + "; ".join(parts) + "."


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    top: int,
    description: str,
    width: float = PORTRAIT_WIDTH,
) -> Markup:
    """Horizontal grouped bars: one band per category, one bar per series, scale 0..top.

    Horizontal bars keep long category names readable (two lines at most); each bar ends
    in its series' short name and value, so no meaning rests on the bar's shade alone.
    """
    label_w, right_pad, bar_h, gap = 230.0, 86.0, 15.0, 12.0
    axis_h = 22.0
    band_h = bar_h * max(len(series), 1) + gap
    plot_w = width - label_w - right_pad
    plot_top = 4.0
    height = plot_top + band_h * len(categories) + axis_h
    scale = plot_w / top if top else 0.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" font-family="{FONT}" '
        f'font-size="{LABEL_PX:.0f}">',
        f"<title>{_text(description)}</title>",
    ]
    plot_bottom = plot_top + band_h * len(categories)
    for level in range(top + 1):
        gx = label_w + level * scale
        out.append(
            f'<line x1="{gx:.1f}" y1="{plot_top:.1f}" x2="{gx:.1f}" y2="{plot_bottom:.1f}" '
            f'stroke="{"#555" if level == 0 else "#c8c8c8"}" stroke-width="0.8"/>'
        )
        out.append(
            f'<text x="{gx:.1f}" y="{plot_bottom + 15:.1f}" text-anchor="middle">{level}</text>'
        )
    for row, category in enumerate(categories):
        y = plot_top + row * band_h + gap / 2
        mid = y + bar_h * len(series) / 2
        lines = fit_lines(category, label_w - 10, LABEL_PX)
        first = mid + 4 - (len(lines) - 1) * 7
        for number, line in enumerate(lines):
            out.append(
                f'<text x="{label_w - 8:.1f}" y="{first + number * 14:.1f}" '
                f'text-anchor="end">{_text(line)}</text>'
            )
        for index, item in enumerate(series):
            value = item.values[row] if row < len(item.values) else None
            by = y + index * bar_h
            baseline = by + bar_h - 4
            short = _text(item.label[:6])
            if value is None:
                out.append(
                    f'<text x="{label_w + 4:.1f}" y="{baseline:.1f}" font-size="{SMALL_PX:.0f}" '
                    f'fill="#555">{short} no scores</text>'
                )
                continue
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            bw = max(value, 0) * scale
            out.append(
                f'<rect x="{label_w:.1f}" y="{by:.1f}" width="{bw:.1f}" height="{bar_h - 2:.1f}" '
                f'fill="{colour}" stroke="#1f3a5f" stroke-width="0.5"/>'
            )
            out.append(
                f'<text x="{label_w + bw + 4:.1f}" y="{baseline:.1f}" '
                f'font-size="{SMALL_PX:.0f}">{short} {format_mean(value)}</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))
