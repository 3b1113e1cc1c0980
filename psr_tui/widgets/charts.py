"""Terminal charts. The only module that knows the chart backend (plotext via textual-plotext)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
            labels=list(series),
            orientation="horizontal" if horizontal else "vertical",
        )
        if horizontal:
            # Headroom above the first bar keeps the legend from covering it.
            plt.ylim(0.3, len(names) + 1.2)
        if title:
            plt.title(title)
        if ymax is not None:
            (plt.xlim if horizontal else plt.ylim)(0, ymax)
            (plt.xticks if horizontal else plt.yticks)(list(range(int(ymax) + 1)))

    return draw


def stacked_bars(
    labels: Sequence[str], series: Mapping[str, Sequence[float]], *, title: str = ""
) -> Draw:
    """One bar per label made of one segment per series (e.g. respondents per group)."""

    def draw(plt: Any) -> None:
        plt.stacked_bar(list(labels), [list(v) for v in series.values()], labels=list(series))
        if title:
            plt.title(title)

    return draw


def lines(
    x_labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
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
            plt.yticks(list(range(int(ymax) + 1)))

    return draw
