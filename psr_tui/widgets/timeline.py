"""An ASCII timeline: phases as bars across the width, due activities as markers, and the
as-at date as a vertical marker through them all."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from psr_tui import analysis
from psr_tui.formatting import format_date
from psr_tui.models import Activity, ActivityStatus, Phase

MIN_BAR_WIDTH = 10
AS_AT_GLYPH = "┃"
# Worst first: the marker of several activities due on one column takes the worst status.
SEVERITY = (
    ActivityStatus.BLOCKED,
    ActivityStatus.SLIPPED,
    ActivityStatus.IN_PROGRESS,
    ActivityStatus.NOT_STARTED,
    ActivityStatus.COMPLETE,
)


def month_span(phase: Phase) -> str:
    """'Mar–May 2016', or 'Sep 2015–Feb 2016' across a year end: short enough for a column."""
    if phase.start.year == phase.end.year:
        return f"{phase.start:%b}–{phase.end:%b %Y}"
    return f"{phase.start:%b %Y}–{phase.end:%b %Y}"


# What the timeline's marks mean, shown beneath it.
TIMELINE_KEY = (
    "◆ an activity due  2-9 that many due together  + ten or more  "
    "(coloured by the worst: blocked, slipped, complete)  ▲ the as-at date"
)


class Timeline(Widget):
    """Phases, due dates and the as-at date on one scale."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--label",
        "timeline--bar",
        "timeline--current",
        "timeline--past",
        "timeline--as-at",
        "timeline--due",
        "timeline--blocked",
        "timeline--slipped",
        "timeline--complete",
    }
    DEFAULT_CSS = """
    Timeline { height: auto; text-wrap: nowrap; text-overflow: clip; }
    Timeline > .timeline--label { text-style: bold; }
    Timeline > .timeline--bar { background: $primary 50%; color: $text; }
    Timeline > .timeline--current { background: $accent 70%; color: $text; text-style: bold; }
    Timeline > .timeline--past { background: $panel; color: $text-muted; }
    Timeline > .timeline--as-at { color: $warning; text-style: bold; }
    Timeline > .timeline--due { color: $primary; }
    Timeline > .timeline--blocked { color: $error; text-style: bold; }
    Timeline > .timeline--slipped { color: $warning; text-style: bold; }
    Timeline > .timeline--complete { color: $success; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.phases: list[Phase] = []
        self.activities: list[Activity] = []
        self.as_at = date.today()

    def show(self, phases: Sequence[Phase], activities: Sequence[Activity], as_at: date) -> None:
        self.phases, self.activities, self.as_at = list(phases), list(activities), as_at
        self.refresh(layout=True)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"timeline--{name}")

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return len(self.phases) + 2 if self.phases else 1

    def render(self) -> Text:
        return Text("\n").join(self.lines(self.size.width or 80))

    def lines(self, width: int) -> list[Text]:
        if not self.phases:
            return [Text("No phases yet: add one with n in the phase table.")]
        label_width = min(14, max(len(p.name) for p in self.phases)) + 1
        bar_width = max(MIN_BAR_WIDTH, width - label_width)
        dues = [a.due for a in self.activities if a.due]
        first = min([p.start for p in self.phases] + dues + [self.as_at])
        last = max([p.end for p in self.phases] + dues + [self.as_at])
        days = max((last - first).days, 1)

        def column(day: date) -> int:
            return round((day - first).days / days * (bar_width - 1))

        now = column(self.as_at)
        rows = [self._phase_line(p, column, bar_width) for p in self.phases]
        rows.append(self._due_line(column, bar_width))
        for row in rows:
            row.stylize(self._style("as-at"), now, now + 1)
        rows.append(self._as_at_line(now, bar_width))
        label = self._style("label")
        names = [p.name for p in self.phases] + ["Due", "As at"]
        return [
            Text(name[: label_width - 1].ljust(label_width), style=label) + row
            for name, row in zip(names, rows, strict=True)
        ]

    def _phase_line(self, phase: Phase, column: Callable[[date], int], width: int) -> Text:
        start, end = column(phase.start), column(phase.end)
        if phase.end < self.as_at:
            style = self._style("past")
        elif phase.start <= self.as_at:
            style = self._style("current")
        else:
            style = self._style("bar")
        cells = [" "] * width
        dates = analysis.phase_dates(phase)
        now = column(self.as_at)
        centred = start + (end - start + 1 - len(dates)) // 2
        # Inside the bar if it fits, else beside it; never over the as-at marker.
        candidates = [centred, now + 2, now - len(dates) - 1, end + 2, start - len(dates) - 1]
        inside = [c for c in candidates[:3] if start <= c and c + len(dates) <= end + 1]
        outside = [c for c in candidates[3:] if c >= 0 and c + len(dates) <= width]
        at = next(
            (c for c in inside + outside if not c <= now < c + len(dates)),
            (inside + outside + [0])[0],
        )
        for i, char in enumerate(dates):
            if at + i < width:
                cells[at + i] = char
        line = Text("".join(cells))
        line.stylize(style, start, end + 1)
        if line.plain[now] == " ":
            line = Text.assemble(line[:now], AS_AT_GLYPH, line[now + 1 :])
        return line

    def _due_line(self, column: Callable[[date], int], width: int) -> Text:
        by_column: dict[int, list[Activity]] = defaultdict(list)
        for activity in self.activities:
            if activity.due:
                by_column[column(activity.due)].append(activity)
        line = Text(" " * width)
        now = column(self.as_at)
        if now not in by_column:
            line = Text.assemble(line[:now], AS_AT_GLYPH, line[now + 1 :])
        for at, found in sorted(by_column.items()):
            worst = min(found, key=lambda a: SEVERITY.index(a.status)).status
            glyph = "◆" if len(found) == 1 else (str(len(found)) if len(found) < 10 else "+")
            style = {
                ActivityStatus.BLOCKED: "blocked",
                ActivityStatus.SLIPPED: "slipped",
                ActivityStatus.COMPLETE: "complete",
            }.get(worst, "due")
            line = Text.assemble(line[:at], (glyph, self._style(style)), line[at + 1 :])
        return line

    def _as_at_line(self, now: int, width: int) -> Text:
        text = f"▲ {format_date(self.as_at)}"
        if now + len(text) <= width:
            return Text(" " * now + text, style=self._style("as-at"))
        flipped = f"{format_date(self.as_at)} ▲"
        return Text(" " * max(0, now - len(flipped) + 1) + flipped, style=self._style("as-at"))
