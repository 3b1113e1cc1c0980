"""A table of risks: one row per risk, the score in its band's colour, overdue marked.

It is a virtual table (Textual's Line API): it holds the list of rows and a cursor index
and renders only the lines on screen, so showing 10,000 risks, or a filtered or sorted
list of them, costs a list assignment and a few dozen formatted lines, not 10,000
widget rows. Each row's facts (`analysis.RiskFacts`) and texts are worked out once per
snapshot and as-at date; a formatted line is cached by everything it is drawn from: its
texts, its look (band tone, overdue marks, open or closed), the column widths and theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import compress
from operator import attrgetter, is_not
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from psr_tui import analysis
from psr_tui.formatting import format_date
from psr_tui.models import Risk
from psr_tui.widgets.text import literal_text
from psr_tui.widgets.tones import theme_colour, tone_variable

DESCRIPTION = 1  # the flexible column: it takes the width the others leave
DESCRIPTION_MIN_WIDTH = 20
# Long text is cut to its column (the detail view shows it whole).
MAX_WIDTHS = {2: 13, 6: 13}  # category, owner
GAP = 1  # blank cells before each column: one keeps every column on a 120-wide screen
SORT_MARKS = (" ▲", " ▼")
# Up to this many rows replaced in place (a colleague's edits) are handled one by one.
FEW_CHANGED = 64
# In C: a Python function called for each of 10,000 rows costs more than the change.
FACTS = attrgetter("facts")
WIDTHS = attrgetter("widths")
REF = attrgetter("ref")
# A line is one terminal row: line breaks and tabs in user text become spaces.
ONE_LINE = str.maketrans("\n\r\t\v\f", "     ")
# What the direction of a sort means, by the kind of column.
DIRECTIONS = {
    "ref": ("in order", "reversed"),
    "text": ("A to Z", "Z to A"),
    "scale": ("lowest first", "highest first"),
    "date": ("earliest first", "latest first"),
    "status": ("open first", "closed first"),
}


@dataclass(frozen=True)
class Column:
    heading: str
    order: str  # a key of analysis.RISK_ORDERS
    kind: str  # a key of DIRECTIONS

    def direction(self, reverse: bool) -> str:
        return DIRECTIONS[self.kind][reverse]


# The table's columns, in order.
COLUMNS = [
    Column("Ref", "ref", "ref"),
    Column("Description", "description", "text"),
    Column("Risk category", "category", "text"),
    Column("Likelihood", "likelihood", "scale"),
    Column("Impact", "impact", "scale"),
    Column("Score/band", "score", "scale"),
    Column("Owner", "owner", "text"),
    Column("Action date", "action_date", "date"),
    Column("Next review", "next_review", "date"),
    Column("Status", "status", "status"),
]


def marks(facts: analysis.RiskFacts) -> str:
    """The overdue marks a risk's ref carries: ! overdue, ↻ review overdue."""
    return (analysis.OVERDUE_MARK if facts.overdue else "") + (
        analysis.REVIEW_OVERDUE_MARK if facts.review_overdue else ""
    )


def _marked(mark: str, text: str) -> str:
    return f"{mark} {text}"


# Everything a row's look depends on besides its text: band tone, overdue, review
# overdue, open.
Look = tuple[analysis.Tone, bool, bool, bool]


@dataclass(frozen=True, eq=False)
class RiskRow:
    """What the register shows for one risk: its facts, and their text once worked out."""

    facts: analysis.RiskFacts

    @cached_property
    def ref(self) -> str:
        return self.facts.risk.ref

    @property
    def risk(self) -> Risk:
        return self.facts.risk

    @cached_property
    def texts(self) -> tuple[str, ...]:
        """The plain text of each column (sizes the columns without styling every row)."""
        facts = self.facts
        risk = facts.risk
        action = format_date(risk.action_date)
        review = format_date(facts.next_review)
        flags = marks(facts)
        return (
            f"{risk.ref} {flags}" if flags else risk.ref,
            risk.description,
            risk.category,
            risk.likelihood,
            risk.impact,
            analysis.rating_text(facts.score, facts.band),
            risk.owner,
            _marked(analysis.OVERDUE_MARK, action) if facts.overdue else action,
            _marked(analysis.REVIEW_OVERDUE_MARK, review) if facts.review_overdue else review,
            risk.status.value,
        )

    @cached_property
    def search_text(self) -> str:
        """What the register's filter looks in (`analysis.risk_text`), worked out once."""
        return analysis.risk_text(self.facts.risk)

    @cached_property
    def widths(self) -> tuple[int, ...]:
        """The cells each column's text takes (measured once per row, not per redraw)."""
        return tuple(map(cell_len, self.texts))

    @property
    def look(self) -> Look:
        facts = self.facts
        return (facts.tone, facts.overdue, facts.review_overdue, facts.is_open)


def risk_rows(
    facts: Sequence[analysis.RiskFacts], earlier: Sequence[RiskRow] = ()
) -> list[RiskRow]:
    """A row for each risk's facts; facts shown `earlier` keep their row (and its texts)."""
    if len(facts) == len(earlier):
        # A colleague's edit in place: only the rows whose facts are new are made again.
        changed = list(compress(range(len(facts)), map(is_not, facts, map(FACTS, earlier))))
        if len(changed) <= FEW_CHANGED:
            rows = list(earlier)
            for index in changed:
                rows[index] = RiskRow(facts[index])
            return rows
    # By identity: the earlier rows hold their facts, so an id is not reused meanwhile.
    kept = {id(row.facts): row for row in earlier}
    return [
        row if (row := kept.get(id(fact))) is not None and row.facts is fact else RiskRow(fact)
        for fact in facts
    ]


def _position(rows: list[RiskRow], ref: str) -> int | None:
    """Where the risk `ref` is in `rows`: one scan in C, not an index of every row made
    for one look-up (a filter key at 10,000 risks)."""
    try:
        return list(map(REF, rows)).index(ref)
    except ValueError:
        return None


def sort_rows(rows: Iterable[RiskRow], column: int, *, reverse: bool = False) -> list[RiskRow]:
    return analysis.sort_risks(rows, COLUMNS[column].order, _facts, reverse=reverse)


def _facts(row: RiskRow) -> analysis.RiskFacts:
    return row.facts


def _cell_widths(rows: list[RiskRow]) -> list[int]:
    """The widest cell of each column (0 for none)."""
    if not rows:
        return [0] * len(COLUMNS)
    return [max(column) for column in zip(*map(WIDTHS, rows), strict=True)]


def _cell_widths_after(
    widths: list[int], gone: list[RiskRow], new: list[RiskRow], rows: list[RiskRow]
) -> list[int]:
    """`widths` (`_cell_widths` of the rows before) once the `gone` rows are replaced by
    the `new` ones, giving `rows`: a column is measured again only when the row that was
    its widest got narrower."""
    after = []
    for column, widest in enumerate(widths):
        top = max((row.widths[column] for row in new), default=0)
        if top < widest and any(row.widths[column] == widest for row in gone):
            widest = max((row.widths[column] for row in rows), default=0)
        after.append(max(widest, top))
    return after


def _natural_widths(cells: list[int], sort: tuple[int, bool] | None) -> list[int]:
    """Each column's width for its heading (with the sort mark) and its widest cell
    (`cells`); the description's is its minimum, as it takes whatever room is left."""
    widths = []
    for column, (spec, widest) in enumerate(zip(COLUMNS, cells, strict=True)):
        heading = spec.heading
        mark = cell_len(SORT_MARKS[0]) if sort is not None and sort[0] == column else 0
        if column == DESCRIPTION:
            widths.append(max(DESCRIPTION_MIN_WIDTH, cell_len(heading) + mark))
            continue
        width = max(cell_len(heading) + mark, widest)
        widths.append(min(width, MAX_WIDTHS.get(column, width)))
    return widths


class RiskTable(ScrollView, can_focus=True):
    """Risks, one per line under a header; the cursor is an index into the shown rows.

    The Ref column stays put while the rest scrolls sideways (left/right), so on a narrow
    terminal every column is reachable and each line still says which risk it is.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "select", "Open", tooltip="Open the risk", show=False, id="risk_table.open"
        ),
        Binding(
            "up", "cursor_up", "Up", tooltip="Previous risk", show=False, id="risk_table.cursor_up"
        ),
        Binding(
            "down",
            "cursor_down",
            "Down",
            tooltip="Next risk",
            show=False,
            id="risk_table.cursor_down",
        ),
        Binding("k", "cursor_up", "Up", tooltip="Previous risk", show=False, id="risk_table.up"),
        Binding("j", "cursor_down", "Down", tooltip="Next risk", show=False, id="risk_table.down"),
        Binding(
            "pageup",
            "page_up",
            "Page up",
            tooltip="A screenful up",
            show=False,
            id="risk_table.page_up",
        ),
        Binding(
            "pagedown",
            "page_down",
            "Page down",
            tooltip="A screenful down",
            show=False,
            id="risk_table.page_down",
        ),
        Binding(
            "home", "first", "First", tooltip="The first risk", show=False, id="risk_table.first"
        ),
        Binding("end", "last", "Last", tooltip="The last risk", show=False, id="risk_table.last"),
        Binding(
            "left",
            "scroll_left",
            "Left",
            tooltip="Scroll the columns left (Ref stays)",
            show=False,
            id="risk_table.left",
        ),
        Binding(
            "right",
            "scroll_right",
            "Right",
            tooltip="Scroll the columns right (Ref stays)",
            show=False,
            id="risk_table.right",
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "risk-table--header",
        "risk-table--cursor",
        "risk-table--even-row",
    }
    # DataTable's look, so the register matches the other tables.
    DEFAULT_CSS = """
    RiskTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;
        & > .risk-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .risk-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .risk-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .risk-table--even-row { background: $surface-darken-1 40%; }
        & > .risk-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .risk-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class RowSelected(Message):
        """Enter (or a click on the cursor's row) on a risk."""

        def __init__(self, table: RiskTable, ref: str) -> None:
            super().__init__()
            self.table = table
            self.ref = ref

        @property
        def control(self) -> RiskTable:
            return self.table

    class HeaderSelected(Message):
        """A click on a column heading."""

        def __init__(self, table: RiskTable, column: int) -> None:
            super().__init__()
            self.table = table
            self.column = column

        @property
        def control(self) -> RiskTable:
            return self.table

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows: list[RiskRow] = []
        self._index: dict[str, int] | None = None
        self._sort: tuple[int, bool] | None = None
        self._cell_widths = _cell_widths([])
        self._natural = _natural_widths(self._cell_widths, None)
        self._widths = tuple(self._natural)
        self._cursor = 0
        self._lines: LRUCache[tuple[Any, ...], Strip] = LRUCache(1024)
        self._palette: tuple[str, dict[str, str]] = ("", {})

    # --- contents -----------------------------------------------------------------------

    def show(self, rows: list[RiskRow], sort: tuple[int, bool] | None = None) -> None:
        """Show these rows (`sort`: the column and whether reversed, for the header mark),
        keeping the cursor on the same risk when it is still listed."""
        current = self.current_ref
        drawn = self._drawn()
        self._cell_widths = self._cell_widths_for(rows)
        self._rows = rows
        self._index = None
        self._sort = sort
        self._natural = _natural_widths(self._cell_widths, sort)
        self._layout(repaint=False)
        if current is not None and self._cursor < len(rows) and rows[self._cursor].ref == current:
            position: int | None = self._cursor  # still there: no index of every row needed
        else:
            position = _position(rows, current) if current is not None else None
        self._move(0 if position is None else position, repaint=False)
        # A colleague's change to a risk out of sight leaves every line as it was: the
        # screen is not drawn again for it.
        if self._drawn() != drawn:
            self.refresh()

    def _cell_widths_for(self, rows: list[RiskRow]) -> list[int]:
        """The widest cells of `rows`: when they are the rows shown with a few replaced (a
        colleague's edit), worked out from those few."""
        before = self._rows
        if len(rows) == len(before):
            changed = list(compress(range(len(rows)), map(is_not, rows, before)))
            if len(changed) <= FEW_CHANGED:
                gone = [before[index] for index in changed]
                new = [rows[index] for index in changed]
                return _cell_widths_after(self._cell_widths, gone, new, rows)
        return _cell_widths(rows)

    def _drawn(self) -> tuple[Any, ...]:
        """What the lines on screen are drawn from: the rows in sight (a row is made again
        when its risk changes), the widths, the sort, the cursor, the scroll."""
        top = int(self.scroll_y)
        in_sight = tuple(self._rows[top : top + self._page() + 1])
        return (in_sight, len(self._rows), self._widths, self._sort, self._cursor, top)

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def refs(self) -> list[str]:
        """The refs shown, top to bottom."""
        return [row.ref for row in self._rows]

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def current_ref(self) -> str | None:
        return self._rows[self._cursor].ref if self._rows else None

    def get_row_index(self, ref: str) -> int | None:
        """Where a risk is in the shown rows (None when it isn't shown)."""
        if self._index is None:
            self._index = {row.ref: position for position, row in enumerate(self._rows)}
        return self._index.get(ref)

    def get_row(self, ref: str) -> tuple[Text, ...]:
        """The cells a shown risk's line is drawn from."""
        position = self.get_row_index(ref)
        if position is None:
            raise KeyError(ref)
        row = self._rows[position]
        return self._cells(row.texts, row.look)

    def move_cursor(self, row: int) -> None:
        self._move(row)

    # --- keys and mouse -----------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self._move(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move(self._cursor + 1)

    def action_page_up(self) -> None:
        self._move(self._cursor - self._page())

    def action_page_down(self) -> None:
        self._move(self._cursor + self._page())

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(len(self._rows) - 1)

    def action_select(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self, self._rows[self._cursor].ref))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                self.post_message(self.HeaderSelected(self, column))
            return
        position = int(self.scroll_y) + offset.y - 1
        if position < len(self._rows):
            # As in DataTable: a click moves the cursor, a click on the cursor opens.
            if position == self._cursor:
                self.action_select()
            self._move(position)

    def on_resize(self, event: events.Resize) -> None:
        self._layout()

    # --- layout and drawing -------------------------------------------------------------

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _move(self, position: int, *, repaint: bool = True) -> None:
        self._cursor = max(0, min(position, len(self._rows) - 1))
        # Rows start under the header, so row n is at virtual line n + 1.
        page = self._page()
        if self._cursor < self.scroll_y:
            self.scroll_to(y=self._cursor, animate=False, force=True)
        elif self._cursor >= self.scroll_y + page:
            self.scroll_to(y=self._cursor - page + 1, animate=False, force=True)
        if repaint:
            self.refresh()

    def _layout(self, *, repaint: bool = True) -> None:
        """Give the description what the other columns leave (at least its minimum)."""
        widths = list(self._natural)
        others = sum(widths) - widths[DESCRIPTION] + GAP * len(widths)
        room = self.scrollable_content_region.width - others
        widths[DESCRIPTION] = max(widths[DESCRIPTION], room)
        self._widths = tuple(widths)
        total = sum(widths) + GAP * len(widths)
        self.virtual_size = Size(total, len(self._rows) + 1)
        if repaint:
            self.refresh()

    def _column_at(self, x: int) -> int | None:
        fixed = self._widths[0] + GAP
        if x < fixed:
            return 0
        x += int(self.scroll_x)
        start = 0
        for column, width in enumerate(self._widths):
            start += width + GAP
            if x < start:
                return column
        return None

    def _colours(self) -> dict[str, str]:
        """Theme colours by variable, read again when the theme changes."""
        if self._palette[0] != self.app.theme:
            self._palette = (self.app.theme, {})
        return self._palette[1]

    def _style(self, variable: str, extra: str = "") -> str:
        colours = self._colours()
        if variable not in colours:
            colours[variable] = theme_colour(self.app, variable)
        return f"{extra} {colours[variable]}".strip()

    def _cells(self, texts: tuple[str, ...], look: Look) -> tuple[Text, ...]:
        """The styled cells of a row: a function of its texts and look alone (what the
        line cache is keyed by), the theme and nothing else."""
        tone, overdue, review_overdue, is_open = look
        plain = [text.translate(ONE_LINE) for text in texts]
        base = "" if is_open else "dim"
        styles = [base] * len(plain)
        styles[5] = self._style(tone_variable(tone), "bold")
        if overdue:
            styles[7] = self._style("error", "bold")
        if review_overdue:
            styles[8] = self._style("warning", "bold")
        cells = [literal_text(text, style) for text, style in zip(plain, styles, strict=True)]
        ref = plain[0]
        flags: list[tuple[str, str]] = []
        if overdue:
            flags.append((analysis.OVERDUE_MARK, "error"))
        if review_overdue:
            flags.append((analysis.REVIEW_OVERDUE_MARK, "warning"))
        if flags:
            ref = ref[: len(ref) - sum(len(mark) for mark, _ in flags)]
        cells[0] = literal_text(ref, "bold")
        for mark, variable in flags:
            cells[0].append(mark, self._style(variable, "bold"))
        return tuple(cells)

    def _line(self, cells: Iterable[Text]) -> Strip:
        """One line of cells, each cut or padded to its column."""
        line = Text(no_wrap=True, end="")
        for cell, width in zip(cells, self._widths, strict=True):
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis", pad=True)
            line.append(" " * GAP)
            line.append_text(cell)
        segments: list[Segment] = list(line.render(self.app.console))
        return Strip(segments, line.cell_len)

    def _header(self) -> Strip:
        cells = []
        for column, spec in enumerate(COLUMNS):
            mark = ""
            if self._sort is not None and self._sort[0] == column:
                mark = SORT_MARKS[self._sort[1]]
            cells.append(Text(spec.heading + mark))
        return self._line(cells)

    def _row_line(self, row: RiskRow) -> Strip:
        # The key is everything the line is drawn from, so a line is never stale.
        key = (row.texts, row.look, self._widths, self.app.theme)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._line(self._cells(row.texts, row.look))
            self._lines[key] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            strip = self._header()
            style = self.get_component_rich_style("risk-table--header")
        else:
            position = int(self.scroll_y) + y - 1
            if position >= len(self._rows):
                return Strip.blank(width, self.rich_style)
            strip = self._row_line(self._rows[position])
            style = self.rich_style
            if position == self._cursor:
                style = self.get_component_rich_style("risk-table--cursor")
            elif position % 2:
                style = self.get_component_rich_style("risk-table--even-row")
        fixed = self._widths[0] + GAP
        scroll_x = int(self.scroll_x)
        if scroll_x:
            # A blank gap keeps the fixed Ref apart from a column cut by the scrolling.
            gap = Strip.blank(GAP)
            strip = Strip.join([strip.crop(0, fixed), gap, strip.crop(fixed + GAP + scroll_x)])
        return strip.crop(0, width).apply_style(style).extend_cell_length(width, style)
