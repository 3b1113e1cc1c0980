"""The phase board: themes as rows, phases as columns, activities listed in the cells.

Up/down (j/k) walk through the activities of a cell and on into the cell above or below;
left/right (h/l) move between phases. The two header lines (phase names and dates) stay put
while the body scrolls.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from psr_tui.models import Activity, ActivityStatus, Record

STATUS_GLYPHS: dict[ActivityStatus, str] = {
    ActivityStatus.NOT_STARTED: "○",
    ActivityStatus.IN_PROGRESS: "◐",
    ActivityStatus.COMPLETE: "✓",
    ActivityStatus.SLIPPED: "»",
    ActivityStatus.BLOCKED: "✗",
}
HEADER_LINES = 2
MIN_THEME_WIDTH = 12
MAX_THEME_WIDTH = 26
# Five phases and the themes fit in 80 columns; more phases scroll sideways.
MIN_COLUMN_WIDTH = 13


def fit_headings(texts: list[str], width: int) -> list[str]:
    """Column headings in `width` cells each, one form for all: after a space (in line with
    the cells' rule) as given, else with two-digit years ("Sep 15–Feb 16"), else without the
    space where one needs it; a heading that still does not fit, or that would run into
    the next one, is cut with "…"."""
    short = [re.sub(r"\b(?:19|20|21)(\d\d)\b", r"\1", text) for text in texts]
    for form in (texts, short):
        if all(cell_len(text) < width for text in form):
            return [f" {text}" for text in form]
    fitted = [f" {text}" if cell_len(text) < width else text for text in short]
    for i, text in enumerate(fitted):
        touches_next = i + 1 < len(fitted) and not fitted[i + 1].startswith(" ")
        room = width - 1 if touches_next else width
        if cell_len(text) > room:
            fitted[i] = set_cell_size(text, room - 1) + "…"
    return fitted


def status_class(status: ActivityStatus) -> str:
    """The component class (and CSS class) that colours a status."""
    return "phase-board--" + status.value.replace(" ", "-")


@dataclass(frozen=True)
class BoardRow:
    """One theme: its activities per phase column, in column order."""

    theme: str
    group: str
    cells: list[list[Record[Activity]]]


@dataclass
class _Layout:
    theme_width: int
    column_width: int
    lines: list[list[Segment]] = field(default_factory=list)
    # Content line of each (row, column, item); an empty cell has item 0.
    where: dict[tuple[int, int, int], int] = field(default_factory=dict)


class PhaseBoard(ScrollView, can_focus=True):
    """Activities by theme and phase; the cursor is on one activity (or an empty cell)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "Down", show=False, id="board.down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="board.up"),
        Binding("right,l", "column(1)", "Right", show=False, id="board.right"),
        Binding("left,h", "column(-1)", "Left", show=False, id="board.left"),
        Binding("pagedown", "row(1)", "Next theme", show=False, id="board.next_theme"),
        Binding("pageup", "row(-1)", "Previous theme", show=False, id="board.previous_theme"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "phase-board--header",
        "phase-board--group",
        "phase-board--theme",
        "phase-board--rule",
        "phase-board--cursor",
        "phase-board--warning",
        *(status_class(s) for s in ActivityStatus),
    }
    DEFAULT_CSS = """
    PhaseBoard { height: 1fr; background: $surface; }
    PhaseBoard > .phase-board--header { text-style: bold; color: $primary; }
    PhaseBoard > .phase-board--group { text-style: bold; color: $accent; }
    PhaseBoard > .phase-board--theme { text-style: bold; }
    PhaseBoard > .phase-board--rule { color: $text-muted; }
    PhaseBoard > .phase-board--cursor { background: $primary 30%; text-style: bold; }
    PhaseBoard:focus > .phase-board--cursor { background: $accent 60%; text-style: bold; }
    PhaseBoard > .phase-board--warning { color: $warning; text-style: bold; }
    PhaseBoard > .phase-board--not-started { color: $text-muted; }
    PhaseBoard > .phase-board--in-progress { color: $primary; }
    PhaseBoard > .phase-board--complete { color: $success; }
    PhaseBoard > .phase-board--slipped { color: $warning; }
    PhaseBoard > .phase-board--blocked { color: $error; text-style: bold; }
    """

    class Moved(Message):
        """The cursor moved (or the data under it changed)."""

        def __init__(self, board: PhaseBoard) -> None:
            super().__init__()
            self.board = board

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[tuple[str, str]] = []
        self.rows: list[BoardRow] = []
        self.flagged: set[int] = set()
        self.row = self.column = self.item = 0
        self._layout: _Layout | None = None

    # --- data --------------------------------------------------------------------------

    def show(self, columns: list[tuple[str, str]], rows: list[BoardRow], flagged: set[int]) -> None:
        """Columns are (phase, dates); `flagged` activity ids get a warning mark."""
        keep = self.current
        place = self.current_cell
        first = not self.rows
        self.columns, self.rows, self.flagged = columns, rows, flagged
        if first:
            self._first_activity()
        elif not self._find(keep.doc_id if keep else None, place):
            self.row = min(self.row, max(len(rows) - 1, 0))
            self.column = min(self.column, max(len(columns) - 1, 0))
            self.item = min(self.item, max(len(self._cell()) - 1, 0))
        self._redraw()
        self.post_message(self.Moved(self))

    def _first_activity(self) -> None:
        self.row = self.column = self.item = 0
        for r, row in enumerate(self.rows):
            for c, cell in enumerate(row.cells):
                if cell:
                    self.row, self.column = r, c
                    return

    def _find(self, doc_id: int | None, place: tuple[str, str] | None) -> bool:
        for r, row in enumerate(self.rows):
            for c, cell in enumerate(row.cells):
                for i, record in enumerate(cell):
                    if record.doc_id == doc_id:
                        self.row, self.column, self.item = r, c, i
                        return True
        if place is None:
            return False
        names = [name for name, _ in self.columns]
        rows = [row.theme for row in self.rows]
        if place[0] in rows and place[1] in names:
            self.row, self.column = rows.index(place[0]), names.index(place[1])
            self.item = min(self.item, max(len(self._cell()) - 1, 0))
            return True
        return False

    def select_activity(self, doc_id: int) -> bool:
        """Put the cursor on the activity, if the board shows it."""
        found = self._find(doc_id, None)
        if found:
            self._moved()
        return found

    def _cell(self) -> list[Record[Activity]]:
        if not self.rows or not self.columns:
            return []
        return self.rows[self.row].cells[self.column]

    @property
    def current(self) -> Record[Activity] | None:
        cell = self._cell()
        return cell[self.item] if self.item < len(cell) else None

    @property
    def current_cell(self) -> tuple[str, str] | None:
        """(theme, phase) under the cursor."""
        if not self.rows or not self.columns:
            return None
        return self.rows[self.row].theme, self.columns[self.column][0]

    # --- keys --------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if not self.rows:
            return
        cell = self._cell()
        target = self.item + step
        if 0 <= target < len(cell):
            self.item = target
        elif 0 <= self.row + step < len(self.rows):
            self.row += step
            self.item = 0 if step > 0 else max(len(self._cell()) - 1, 0)
        self._moved()

    def action_column(self, step: int) -> None:
        if self.columns:
            self.column = max(0, min(len(self.columns) - 1, self.column + step))
            self.item = min(self.item, max(len(self._cell()) - 1, 0))
            self._moved()

    def action_row(self, step: int) -> None:
        if self.rows:
            self.row = max(0, min(len(self.rows) - 1, self.row + step))
            self.item = 0
            self._moved()

    def _moved(self) -> None:
        self._redraw()
        self._scroll_to_cursor()
        self.post_message(self.Moved(self))

    def _scroll_to_cursor(self) -> None:
        layout = self._ensure_layout()
        line = layout.where.get((self.row, self.column, self.item))
        if line is None:
            return
        visible = max(self.scrollable_content_region.height - HEADER_LINES, 1)
        top = self.scroll_offset.y
        if line < top:
            top = line
        elif line >= top + visible:
            top = line - visible + 1
        left = layout.theme_width + self.column * layout.column_width
        x = self.scroll_offset.x
        width = self.scrollable_content_region.width
        if left < x + layout.theme_width:
            x = max(0, left - layout.theme_width)
        elif left + layout.column_width > x + width:
            x = left + layout.column_width - width
        self.scroll_to(x, top, animate=False)

    # --- drawing -------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._redraw()

    def _ensure_layout(self) -> _Layout:
        if self._layout is None:
            self._layout = self._build(self.scrollable_content_region.width or 80)
            width = self._layout.theme_width + len(self.columns) * self._layout.column_width
            self.virtual_size = Size(width, len(self._layout.lines) + HEADER_LINES)
        return self._layout

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"phase-board--{name}")

    def _build(self, width: int) -> _Layout:
        count = max(len(self.columns), 1)
        theme_width = max(MIN_THEME_WIDTH, min(MAX_THEME_WIDTH, width // (count + 2)))
        # Wide enough for the longest word of a theme's name while the phases still fit,
        # so that "Multi-disciplinary" is not broken inside a word.
        words = (w for row in self.rows for w in re.findall(r"[^\s-]+-?", row.theme))
        longest = max((cell_len(w) + 1 for w in words), default=0)
        spare = width - count * MIN_COLUMN_WIDTH
        theme_width = max(theme_width, min(longest, spare, MAX_THEME_WIDTH))
        column_width = max(MIN_COLUMN_WIDTH, (width - theme_width) // count)
        layout = _Layout(theme_width, column_width)
        total = theme_width + column_width * len(self.columns)
        rule = self._style("rule")
        group = None
        for r, row in enumerate(self.rows):
            if row.group != group:
                group = row.group
                layout.lines.append(
                    [Segment(set_cell_size(f"▸ {group}", total), self._style("group"))]
                )
            height = max([1, *(len(cell) for cell in row.cells)])
            names = textwrap.wrap(row.theme, theme_width - 1) or [""]
            for i in range(max(height, len(names))):
                segments = [
                    Segment(
                        set_cell_size(names[i] if i < len(names) else "", theme_width),
                        self._style("theme"),
                    )
                ]
                for c, cell in enumerate(row.cells):
                    segments.append(Segment("│", rule))
                    segments.extend(self._cell_line(r, c, i, cell, column_width - 1))
                    if i < len(cell) or (i == 0 and not cell):
                        layout.where[(r, c, i)] = len(layout.lines)
                layout.lines.append(segments)
            layout.lines.append([Segment("─" * total, rule)])
        return layout

    def _cell_line(
        self, r: int, c: int, i: int, cell: list[Record[Activity]], width: int
    ) -> list[Segment]:
        on_cursor = (r, c, i) == (self.row, self.column, self.item)
        cursor = self._style("cursor") if on_cursor else Style()
        if i >= len(cell):
            text = "·" if (i == 0 and on_cursor) else ""
            return [Segment(set_cell_size(text, width), cursor)]
        record = cell[i]
        activity = record.model
        status = self.get_component_rich_style(status_class(activity.status))
        mark = "!" if record.doc_id in self.flagged else ""
        title = set_cell_size(activity.title, width - 2 - len(mark))
        if cell_len(activity.title) > width - 2 - len(mark):
            title = title[:-1] + "…"
        segments = [Segment(f"{STATUS_GLYPHS[activity.status]} ", status + cursor)]
        segments.append(Segment(title, status + cursor))
        if mark:
            segments.append(Segment(mark, self._style("warning") + cursor))
        return segments

    def _header(self, line: int, layout: _Layout) -> list[Segment]:
        style = self._style("header")
        first = "Theme" if line == 0 else ""
        segments = [Segment(set_cell_size(first, layout.theme_width), style)]
        texts = [name if line == 0 else dates for name, dates in self.columns]
        for text in fit_headings(texts, layout.column_width):
            segments.append(Segment(set_cell_size(text, layout.column_width), style))
        return segments

    def render_line(self, y: int) -> Strip:
        layout = self._ensure_layout()
        width = self.scrollable_content_region.width
        x = self.scroll_offset.x
        if y < HEADER_LINES:
            segments = self._header(y, layout)
        else:
            index = y - HEADER_LINES + self.scroll_offset.y
            if index >= len(layout.lines):
                return Strip.blank(width, self.rich_style)
            segments = layout.lines[index]
        strip = Strip(segments)
        # The theme column stays put while the phases scroll sideways.
        if x:
            fixed = strip.crop(0, layout.theme_width)
            moving = strip.crop(layout.theme_width + x, layout.theme_width + x + width)
            strip = Strip.join([fixed, moving])
        return (
            strip.crop(0, width)
            .extend_cell_length(width, self.rich_style)
            .apply_style(self.rich_style)
        )

    def _redraw(self) -> None:
        # The cursor is drawn into the lines, so any move lays them out again (cheap).
        self._layout = None
        self._ensure_layout()
        self.refresh()
