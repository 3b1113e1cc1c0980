"""Terminal charts. The only module that knows the chart backend (plotext via textual-plotext)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual_plotext import PlotextPlot

Draw = Callable[[Any], None]


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
    series: dict[str, Sequence[float]],
    *,
    title: str = "",
    ymax: float | None = None,
) -> Draw:
    def draw(plt: Any) -> None:
        plt.multiple_bar(list(labels), [list(v) for v in series.values()], labels=list(series))
        if title:
            plt.title(title)
        if ymax is not None:
            plt.ylim(0, ymax)

    return draw


def lines(
    x_labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    title: str = "",
    ymax: float | None = None,
) -> Draw:
    """One line per series over the x labels; None values are skipped."""

    def draw(plt: Any) -> None:
        xs = list(range(1, len(x_labels) + 1))
        for name, values in series.items():
            points = [(x, v) for x, v in zip(xs, values, strict=False) if v is not None]
            if points:
                plt.plot(
                    [p[0] for p in points], [p[1] for p in points], label=name, marker="braille"
                )
        plt.xticks(xs, list(x_labels))
        if title:
            plt.title(title)
        if ymax is not None:
            plt.ylim(0, ymax)

    return draw
