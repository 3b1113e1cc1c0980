"""The scoring grid: domains as rows, levels as columns, descriptor text in the cells.

The grid only draws and moves its cursor; the screen decides what a key means for the
data and tells the grid the respondent's scores. Changing one score repaints the grid from
data it already holds: nothing is read from the store.
"""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from psr_tui.models import Framework

MAX_LINES_PER_ROW = 4
# The cursor's row gets at least this many lines, even if the other rows then scroll.
FOCUS_LINES = 3
MARK_WIDTH = 3  # the chosen level's number and an evidence mark, beside the domain name


class ScoreGrid(Widget, can_focus=True):
    """A framework's descriptors, one respondent's chosen levels, and a cell cursor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1, 0)", "Up", show=False, id="grid.up"),
        Binding("down,j", "move(1, 0)", "Down", show=False, id="grid.down"),
        Binding("left,h", "move(0, -1)", "Left", show=False, id="grid.left"),
        Binding("right,l", "move(0, 1)", "Right", show=False, id="grid.right"),
        Binding(
            "home,g", "first_row", "First", show=False, tooltip="The first domain", id="grid.first"
        ),
        Binding("end,G", "last_row", "Last", show=False, tooltip="The last domain", id="grid.last"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "score-grid--header",
        "score-grid--cell",
        "score-grid--chosen",
        "score-grid--cursor",
        "score-grid--domain",
        "score-grid--current-domain",
    }
    DEFAULT_CSS = """
    ScoreGrid { width: 1fr; height: 1fr; min-height: 4; }
    ScoreGrid > .score-grid--header { text-style: bold; color: $accent; }
    ScoreGrid > .score-grid--cell { color: $text-muted; }
    ScoreGrid > .score-grid--chosen { background: $success 40%; color: $text; text-style: bold; }
    ScoreGrid > .score-grid--cursor { background: $primary 30%; color: $text; }
    ScoreGrid > .score-grid--domain { color: $text; }
    ScoreGrid > .score-grid--current-domain { color: $accent; text-style: bold; }
    ScoreGrid:focus > .score-grid--cursor { background: $primary; color: $text; }
    """

    cursor_row: reactive[int] = reactive(0)
    cursor_col: reactive[int] = reactive(0)

    class CursorMoved(Message):
        """The selected cell changed: `row` is the domain's index, `col` the level's."""

        def __init__(self, grid: ScoreGrid, row: int, col: int) -> None:
            super().__init__()
            self.grid = grid
            self.row = row
            self.col = col

    def __init__(self, framework: Framework, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.framework = framework
        self.scores: dict[str, int | None] = {}
        self.comments: dict[str, str] = {}
        self._top = 0
        self._wrapped: dict[int, list[list[list[str]]]] = {}

    # --- data ------------------------------------------------------------------------

    def show(self, scores: dict[str, int | None], comments: dict[str, str]) -> None:
        """Show a respondent's levels and evidence marks."""
        self.scores = dict(scores)
        self.comments = dict(comments)
        self.refresh()

    def set_row(self, key: str, level: int | None, comment: str | None) -> None:
        """Change one domain's level and evidence (the per-key path: repaint only)."""
        self.scores[key] = level
        if comment:
            self.comments[key] = comment
        else:
            self.comments.pop(key, None)
        self.refresh()

    def move_to(self, row: int, col: int | None = None) -> None:
        self.cursor_row = max(0, min(row, len(self.framework.domains) - 1))
        if col is not None:
            self.cursor_col = max(0, min(col, self.framework.top_level - 1))

    def move_to_first_unscored(self) -> None:
        """The first domain without a level (the first domain if all have one), on its
        chosen level if it has one."""
        domains = self.framework.domains
        row = next((i for i, d in enumerate(domains) if self.scores.get(d.key) is None), 0)
        chosen = self.scores.get(domains[row].key)
        self.move_to(row, chosen - 1 if chosen is not None else None)

    def action_move(self, rows: int, cols: int) -> None:
        self.move_to(self.cursor_row + rows, self.cursor_col + cols)

    def action_first_row(self) -> None:
        self.move_to(0)

    def action_last_row(self) -> None:
        self.move_to(len(self.framework.domains) - 1)

    def watch_cursor_row(self) -> None:
        self._moved()

    def watch_cursor_col(self) -> None:
        self._moved()

    def _moved(self) -> None:
        self.post_message(self.CursorMoved(self, self.cursor_row, self.cursor_col))
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        cell = self._cell_at(event.x, event.y)
        if cell is not None:
            self.move_to(*cell)

    # --- layout ------------------------------------------------------------------------

    def _name_width(self) -> int:
        longest = max(len(d.name) for d in self.framework.domains)
        return max(8, min(longest + 1, 28, self.size.width // 5))

    def _level_width(self) -> int:
        levels = self.framework.top_level
        spare = self.size.width - self._name_width() - MARK_WIDTH - levels
        return max(3, spare // levels)

    def _row_heights(self) -> list[int]:
        """Lines per domain: the same for every row, and more for the cursor's row where
        the grid is short (8 domains in 11 lines give the others 1 line each and the
        cursor's row 4), so that its descriptors read as sentences, not one word each."""
        available = max(1, self.size.height - 1)
        count = len(self.framework.domains)
        base = max(1, min(MAX_LINES_PER_ROW, available // count))
        spare = available - (count - 1) * base
        focus = min(MAX_LINES_PER_ROW, available, max(base, spare, FOCUS_LINES))
        heights = [base] * count
        heights[self.cursor_row] = focus
        return heights

    def _visible(self, heights: list[int]) -> list[int]:
        """The rows drawn, from the top row on, scrolled so that the cursor's row is whole."""
        available = max(1, self.size.height - 1)
        self._top = min(self._top, self.cursor_row)
        while sum(heights[self._top : self.cursor_row + 1]) > available:
            self._top += 1
        rows: list[int] = []
        used = 0
        for row in range(self._top, len(heights)):
            if rows and used + heights[row] > available:
                break
            rows.append(row)
            used += heights[row]
        return rows

    def _cell_at(self, x: int, y: int) -> tuple[int, int] | None:
        if y < 1:
            return None
        heights = self._row_heights()
        line = 1
        start = self._name_width() + MARK_WIDTH
        for row in self._visible(heights):
            if line <= y < line + heights[row]:
                if x < start:
                    return None
                column = (x - start) // (self._level_width() + 1)
                return row, min(column, self.framework.top_level - 1)
            line += heights[row]
        return None

    def _descriptor_lines(self, width: int) -> list[list[list[str]]]:
        """Per domain, per level, the descriptor's lines wrapped to the cell width; cached
        per width."""
        cached = self._wrapped.get(width)
        if cached is not None:
            return cached
        text_width = max(1, width - 1)
        rows = [
            [_wrap(descriptor, text_width) for descriptor in domain.descriptors]
            for domain in self.framework.domains
        ]
        self._wrapped = {width: rows}
        return rows

    # --- drawing -----------------------------------------------------------------------

    def render(self) -> Text:
        framework = self.framework
        name_w, level_w = self._name_width(), self._level_width()
        heights = self._row_heights()
        style = self.get_component_rich_style
        header_style = style("score-grid--header")
        out = Text(no_wrap=True, overflow="crop")
        out.append_text(_fit("Domain", name_w + MARK_WIDTH, header_style))
        for number, level in enumerate(framework.levels, start=1):
            out.append(" ")
            out.append_text(_fit(f"{number} {level}", level_w, header_style))
        wrapped = self._descriptor_lines(level_w)
        for row in self._visible(heights):
            domain = framework.domains[row]
            chosen = self.scores.get(domain.key)
            current = row == self.cursor_row
            name_style = style("score-grid--current-domain" if current else "score-grid--domain")
            evidence = "✎" if self.comments.get(domain.key) else " "
            mark = f"{chosen if chosen is not None else '·':>2}{evidence}"
            for line in range(heights[row]):
                out.append("\n")
                out.append_text(_fit(domain.name if line == 0 else "", name_w, name_style))
                out.append(mark if line == 0 else " " * MARK_WIDTH, name_style)
                for col in range(framework.top_level):
                    out.append(" ")
                    lines = wrapped[row][col]
                    words = lines[line] if line < len(lines) else ""
                    if line == heights[row] - 1 and len(lines) > heights[row]:
                        words = words[: max(0, level_w - 2)].rstrip() + "…"
                    text = Text(" " + words)
                    text.truncate(level_w, overflow="ellipsis", pad=True)
                    text.stylize(
                        self._cell_style(current and col == self.cursor_col, chosen == col + 1)
                    )
                    out.append_text(text)
        return out

    def _cell_style(self, cursor: bool, chosen: bool) -> Style:
        style = self.get_component_rich_style
        result = style("score-grid--cell")
        if chosen:
            result += style("score-grid--chosen")
        if cursor:
            result += style("score-grid--cursor")
        return result


def _fit(text: str, width: int, style: Style) -> Text:
    fitted = Text(text, style=style)
    fitted.truncate(width, overflow="ellipsis", pad=True)
    return fitted


def _wrap(text: str, width: int) -> list[str]:
    # A word longer than the cell is cut with "…" when drawn, not broken across two lines.
    return textwrap.wrap(text, width, break_long_words=False) or [""]
