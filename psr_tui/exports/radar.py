"""A radar (spider) chart as SVG, drawn by our own code for the assessment PDF.

One spoke per domain, clockwise from the top; rings at each whole level; one closed line
per series. Series differ by colour, by dash and by marker, so the chart still reads in
greyscale. A domain a series has no value for breaks that series' line there (a gap, not
a fall to zero). Every label is escaped here: the SVG goes into the page inline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from psr_tui.exports.svg import FONT, SERIES_COLOURS, Series
from psr_tui.formatting import format_mean

DASHES = ("", "5 3", "1.5 2.5", "7 2 1.5 2")
MARKERS = ("circle", "square", "diamond", "triangle")
# Radar charts with fewer spokes than this draw no area: a line between two points is
# clearer than a flat polygon.
MIN_SPOKES = 3
_LABEL_CHARS = 22  # a spoke's label wraps at about this many characters a line


def _wrap(label: str) -> list[str]:
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= _LABEL_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    r = 2.6
    shapes = {
        "square": [(-r, -r), (r, -r), (r, r), (-r, r)],
        "diamond": [(0, -r - 0.6), (r + 0.6, 0), (0, r + 0.6), (-r - 0.6, 0)],
        "triangle": [(0, -r - 0.8), (r + 0.4, r), (-r - 0.4, r)],
    }
    if kind not in shapes:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"/>'
    points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in shapes[kind])
    return f'<polygon points="{points}" fill="{colour}"/>'


def _description(spokes: Sequence[str], series: Sequence[Series], top: int) -> str:
    lines = [
        f"{item.name}: "
        + ", ".join(
            f"{spoke} {format_mean(value)}"
            for spoke, value in zip(spokes, item.values, strict=False)
        )
        for item in series
    ]
    return f"Radar chart on a scale of 0 to {top}. " + "; ".join(lines) + "."


def radar(
    spokes: Sequence[str],
    series: Sequence[Series],
    *,
    top: int,
    level_names: Sequence[str] = (),
    size: float = 420,
) -> Markup:
    """A radar chart of `series` (values on 0..top, one per spoke) over the named spokes."""
    # The legend: an entry per series, wrapped onto more rows when the names are long.
    entries: list[tuple[float, float]] = []
    x, y = 8.0, 11.0
    for item in series:
        width = 34 + 5.4 * len(item.name)
        if x > 8.0 and x + width > size:
            x, y = 8.0, y + 14
        entries.append((x, y))
        x += width
    legend_h = y + 11
    label_room = 78.0  # beside the rings, for the spokes' labels
    radius = (size - 2 * label_room) / 2
    cx, cy = size / 2, legend_h + 26 + radius
    height = cy + radius + 34
    count = max(len(spokes), 1)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        length = radius * value / top if top else 0.0
        return cx + length * math.cos(angle), cy + length * math.sin(angle)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart radar" viewBox="0 0 {size:.0f} '
        f'{height:.0f}" width="{size:.0f}" height="{height:.0f}" font-family="{FONT}" '
        'font-size="8.5">',
        # Its figures as text: the tagged PDF gives the Figure this as alternate text.
        f"<title>{escape(_description(spokes, series, top))}</title>",
    ]
    for index, (item, (x, y)) in enumerate(zip(series, entries, strict=True)):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        dash = DASHES[index % len(DASHES)]
        out.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 18:.1f}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="1.8" stroke-dasharray="{dash}"/>'
        )
        out.append(_marker(MARKERS[index % len(MARKERS)], x + 9, y, colour))
        out.append(f'<text x="{x + 22:.1f}" y="{y + 3:.1f}">{escape(item.name)}</text>')
    for level in range(1, top + 1):
        ring = " ".join(f"{px:.1f},{py:.1f}" for px, py in (point(i, level) for i in range(count)))
        out.append(f'<polygon points="{ring}" fill="none" stroke="#d0d0d0" stroke-width="0.6"/>')
        lx, ly = point(0, level)
        name = f" {level_names[level - 1]}" if len(level_names) >= level else ""
        out.append(
            f'<text x="{lx + 3:.1f}" y="{ly - 2:.1f}" fill="#555">{level}{escape(name)}</text>'
        )
    for index, label in enumerate(spokes):
        ex, ey = point(index, top)
        out.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#999" '
            'stroke-width="0.6"/>'
        )
        lx, ly = point(index, top * 1.12)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        lines = _wrap(label)
        top_y = ly - (len(lines) - 1) * 5 + (3 if ly >= cy else -1)
        for row, text in enumerate(lines):
            out.append(
                f'<text x="{lx:.1f}" y="{top_y + row * 10:.1f}" text-anchor="{anchor}">'
                f"{escape(text)}</text>"
            )
    for index, item in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        dash = DASHES[index % len(DASHES)]
        marker = MARKERS[index % len(MARKERS)]
        values = list(item.values)[:count]
        values += [None] * (count - len(values))
        closed = all(v is not None for v in values) and count >= MIN_SPOKES
        points = [point(i, v) if v is not None else None for i, v in enumerate(values)]
        if closed:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)  # type: ignore[misc]
            out.append(
                f'<polygon points="{path}" fill="{colour}" fill-opacity="0.08" '
                f'stroke="{colour}" stroke-width="1.6" stroke-dasharray="{dash}"/>'
            )
        else:
            for i in range(count):
                a, b = points[i], points[(i + 1) % count]
                if a is not None and b is not None and (count > 2 or i == 0):
                    out.append(
                        f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
                        f'stroke="{colour}" stroke-width="1.6" stroke-dasharray="{dash}"/>'
                    )
        for found in points:
            if found is not None:
                out.append(_marker(marker, found[0], found[1], colour))
    out.append("</svg>")
    return Markup("".join(out))
