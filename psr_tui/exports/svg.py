"""SVG charts drawn by our own code for the PDF reports (no screenshots, no plotting library).

Every label is escaped here: the SVG goes into the page inline, outside Jinja's autoescape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from psr_tui.formatting import format_mean

# Print-safe series colours: distinguishable in greyscale too (dark, mid, light).
SERIES_COLOURS = ("#1f3a5f", "#4f8fbf", "#a9c7e0", "#7a5c99", "#c98b2b", "#5a8f5a")
FONT = "DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    top: int,
    axis_labels: Sequence[str] = (),
    width: float = 640,
) -> Markup:
    """Horizontal grouped bars: one band per category, one bar per series, scale 0..top.

    Horizontal bars keep long domain names readable; `axis_labels` name the scale's
    whole numbers (e.g. the framework's levels) under the axis.
    """
    label_w, right_pad, bar_h, gap = 190.0, 44.0, 9.0, 10.0
    legend_h, axis_h = 22.0, 34.0 if axis_labels else 20.0
    band_h = bar_h * max(len(series), 1) + gap
    plot_w = width - label_w - right_pad
    height = legend_h + band_h * len(categories) + axis_h
    scale = plot_w / top if top else 0.0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" font-family="{FONT}" '
        'font-size="9">'
    ]
    x = label_w
    for index, item in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        out.append(f'<rect x="{x:.1f}" y="6" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{x + 14:.1f}" y="14.5">{escape(item.name)}</text>')
        x += 24 + 6.2 * len(item.name)
    plot_top = legend_h
    plot_bottom = plot_top + band_h * len(categories)
    for level in range(top + 1):
        gx = label_w + level * scale
        out.append(
            f'<line x1="{gx:.1f}" y1="{plot_top:.1f}" x2="{gx:.1f}" y2="{plot_bottom:.1f}" '
            f'stroke="{"#555" if level == 0 else "#d5d5d5"}" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{gx:.1f}" y="{plot_bottom + 11:.1f}" text-anchor="middle">{level}</text>'
        )
        if axis_labels and 1 <= level <= len(axis_labels):
            out.append(
                f'<text x="{gx:.1f}" y="{plot_bottom + 22:.1f}" text-anchor="middle" '
                f'font-size="7" fill="#555">{escape(axis_labels[level - 1])}</text>'
            )
    for row, category in enumerate(categories):
        y = plot_top + row * band_h + gap / 2
        mid = y + bar_h * len(series) / 2
        out.append(
            f'<text x="{label_w - 6:.1f}" y="{mid + 3:.1f}" text-anchor="end">'
            f"{escape(category)}</text>"
        )
        for index, item in enumerate(series):
            value = item.values[row] if row < len(item.values) else None
            by = y + index * bar_h
            if value is None:
                out.append(
                    f'<text x="{label_w + 3:.1f}" y="{by + bar_h - 2:.1f}" font-size="7" '
                    'fill="#777">no scores</text>'
                )
                continue
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            bw = max(value, 0) * scale
            out.append(
                f'<rect x="{label_w:.1f}" y="{by:.1f}" width="{bw:.1f}" height="{bar_h - 1:.1f}" '
                f'fill="{colour}"/>'
            )
            out.append(
                f'<text x="{label_w + bw + 3:.1f}" y="{by + bar_h - 2:.1f}" font-size="7">'
                f"{format_mean(value)}</text>"
            )
    out.append("</svg>")
    return Markup("".join(out))
