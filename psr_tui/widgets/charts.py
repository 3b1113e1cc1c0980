"""Terminal charts. The only module that knows the chart backend (plotext via textual-plotext)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual.content import Content
from textual_plotext import PlotextPlot

from psr_tui.widgets.text import literal

Draw = Callable[[Any], None]
# One colour per series, in order: drawn in the chart and in its key (`series_key`), which
# sits beside the chart rather than inside it, where plotext's legend covered a bar.
SERIES_COLOURS: tuple[tuple[int, int, int], ...] = (
    (66, 135, 245),
    (245, 151, 66),
    (80, 200, 120),
    (200, 90, 200),
    (90, 200, 210),
    (230, 80, 80),
)


def _colours(count: int) -> list[tuple[int, int, int]]:
    return [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(count)]


def series_key(names: Sequence[str]) -> Content:
    """'█ Exec  █ IG', each block in its series' colour."""
    parts: list[Content] = []
    for name, (r, g, b) in zip(names, _colours(len(names)), strict=True):
        parts += [Content.styled("█ ", f"#{r:02x}{g:02x}{b:02x}"), literal(name), Content("  ")]
    return Content.assemble(*parts)


class Chart(PlotextPlot):
    """A chart drawn by a function of the plotext object.

    The draw function runs again on every render, so the chart follows resizes; call
    `show` with a new function when the data changes.
    """

    DEFAULT_CSS = """
    Chart { height: 1fr; min-height: 8; }
    """

    def __init__(self, draw: Draw | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._draw = draw

    def show(self, draw: Draw) -> None:
        self._draw = draw
        self.refresh()

    def render(self) -> Any:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if self._draw is not None:
            self._draw(plt)
        return super().render()


def grouped_bars(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str = "",
    ymax: float | None = None,
    horizontal: bool = False,
) -> Draw:
    """Bars side by side per label, one colour per series.

    Horizontal bars put long labels (domain names) on the left, where they have room.
    """

    def draw(plt: Any) -> None:
        names, values = list(labels), [list(v) for v in series.values()]
        if horizontal:
            # plotext stacks horizontal bars bottom-up; reversed, the first label is on top.
            names, values = names[::-1], [v[::-1] for v in values]
        plt.multiple_bar(
            names,
            values,
            color=_colours(len(values)),
            orientation="horizontal" if horizontal else "vertical",
        )
        if title:
            plt.title(title)
        if ymax is not None:
            (plt.xlim if horizontal else plt.ylim)(0, ymax)
            (plt.xticks if horizontal else plt.yticks)(list(range(int(ymax) + 1)))

    return draw


def stacked_bars(
    labels: Sequence[str], series: Mapping[str, Sequence[int]], *, title: str = ""
) -> Draw:
    """One bar per label made of one segment per series (respondents per group), across
    the width: every label has its own line, the first on top, and the scale counts whole
    people (0, 1, 2 ...)."""

    def draw(plt: Any) -> None:
        values = [list(v)[::-1] for v in series.values()]
        plt.stacked_bar(
            list(labels)[::-1], values, color=_colours(len(values)), orientation="horizontal"
        )
        most = max((sum(column) for column in zip(*values, strict=True)), default=0)
        step = max(1, -(-most // 10))  # at most about ten ticks, each a whole number
        plt.xticks(list(range(0, most + step, step)))
        plt.xlim(0, max(most, 1))
        if title:
            plt.title(title)

    return draw


def lines(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str = "",
    ymax: float | None = None,
    yticks: Sequence[tuple[float, str]] = (),
) -> Draw:
    """One line per series over the x labels; None values are skipped.

    `yticks` (value, label) replace the whole-number scale up to `ymax` with labels of
    their own at the values given.
    """

    def draw(plt: Any) -> None:
        xs = list(range(1, len(x_labels) + 1))
        for (_name, values), colour in zip(series.items(), _colours(len(series)), strict=True):
            points = [(x, v) for x, v in zip(xs, values, strict=False) if v is not None]
            if points:
                plt.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    color=colour,
                    # A single round is a point: drawn large enough to be seen.
                    marker="braille" if len(points) > 1 else "●",
                )
        plt.xticks(xs, list(x_labels))
        if title:
            plt.title(title)
        if yticks:
            at = [value for value, _ in yticks]
            # Half a step of room above and below, so no point sits on the frame.
            plt.ylim(min(at) - 0.5, max(at) + 0.5)
            plt.yticks(at, [label for _, label in yticks])
        elif ymax is not None:
            plt.ylim(0, ymax)
            plt.yticks(list(range(int(ymax) + 1)))

    return draw
