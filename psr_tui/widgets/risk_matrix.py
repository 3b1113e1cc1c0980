"""The risk matrix as a heat map: likelihood rows (highest at the top), impact columns.

Each cell shows its score in its band's colour and the number of open risks in it. Any
matrix shape works; the arrows (or h/j/k/l) move the cursor, enter chooses the cell.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from psr_tui import analysis
from psr_tui.models import RiskMatrix
from psr_tui.widgets.tones import tone_variable

GAP = 1
MIN_CELL_WIDTH = 12
# Small matrices get taller cells, so a 3x3 reads as a heat map and a 5x5 still fits 80x24.
TALL_CELL_ROWS = 4


class RiskMatrixGrid(Widget, can_focus=True):
    DEFAULT_CSS = """
    RiskMatrixGrid { height: auto; width: 1fr; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(1, 0)", "Up", show=False, id="matrix.up"),
        Binding("down,j", "move(-1, 0)", "Down", show=False, id="matrix.down"),
        Binding("left,h", "move(0, -1)", "Left", show=False, id="matrix.left"),
        Binding("right,l", "move(0, 1)", "Right", show=False, id="matrix.right"),
        Binding(
            "enter", "choose", "Risks here", tooltip="List this cell's risks", id="matrix.choose"
        ),
    ]

    # Indexes into the matrix's labels: likelihood 0 is the lowest (drawn at the bottom).
    likelihood_index: reactive[int] = reactive(0)
    impact_index: reactive[int] = reactive(0)

    class CellHighlighted(Message):
        def __init__(self, likelihood: str, impact: str) -> None:
            super().__init__()
            self.likelihood, self.impact = likelihood, impact

    class CellChosen(CellHighlighted):
        pass

    def __init__(self, matrix: RiskMatrix, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.matrix = matrix
        self.counts: dict[tuple[str, str], int] = {}

    def show(self, matrix: RiskMatrix, counts: dict[tuple[str, str], int]) -> None:
        """Draw a (possibly different) matrix with these counts, keeping the cursor if it fits."""
        self.matrix, self.counts = matrix, counts
        self.likelihood_index = min(self.likelihood_index, len(matrix.likelihood) - 1)
        self.impact_index = min(self.impact_index, len(matrix.impact) - 1)
        self.refresh(layout=True)

    @property
    def cell(self) -> tuple[str, str]:
        return (
            self.matrix.likelihood[self.likelihood_index],
            self.matrix.impact[self.impact_index],
        )

    def move_to(self, likelihood: str, impact: str) -> None:
        self.likelihood_index = self.matrix.likelihood.index(likelihood)
        self.impact_index = self.matrix.impact.index(impact)

    def action_move(self, rows: int, columns: int) -> None:
        self.likelihood_index = max(
            0, min(len(self.matrix.likelihood) - 1, self.likelihood_index + rows)
        )
        self.impact_index = max(0, min(len(self.matrix.impact) - 1, self.impact_index + columns))

    def action_choose(self) -> None:
        self.post_message(self.CellChosen(*self.cell))

    def watch_likelihood_index(self) -> None:
        self.post_message(self.CellHighlighted(*self.cell))

    def watch_impact_index(self) -> None:
        self.post_message(self.CellHighlighted(*self.cell))

    # --- geometry ----------------------------------------------------------------------

    @property
    def _label_width(self) -> int:
        return max(len(x) for x in [*self.matrix.likelihood, "Likelihood"]) + 2

    @property
    def _cell_width(self) -> int:
        return max(MIN_CELL_WIDTH, *(len(x) + 2 for x in self.matrix.impact))

    @property
    def _cell_height(self) -> int:
        return 3 if len(self.matrix.likelihood) <= TALL_CELL_ROWS else 2

    def on_click(self, event: events.Click) -> None:
        x = event.x - self.styles.padding.left - self._label_width
        y = event.y - 1
        if x < 0 or y < 0:
            return
        column, row = x // (self._cell_width + GAP), y // self._cell_height
        rows = len(self.matrix.likelihood)
        if column < len(self.matrix.impact) and row < rows:
            self.likelihood_index, self.impact_index = rows - 1 - row, column
            self.focus()
            if event.chain == 2:
                self.action_choose()

    # --- drawing -----------------------------------------------------------------------

    def render(self) -> Content:
        label_width, cell_width = self._label_width, self._cell_width
        lines: list[Content] = [
            Content.assemble(
                ("Likelihood".ljust(label_width), "bold"),
                *(
                    (label.center(cell_width)[:cell_width] + " " * GAP, "bold $accent")
                    for label in self.matrix.impact
                ),
            )
        ]
        for li in reversed(range(len(self.matrix.likelihood))):
            lines.extend(self._row_lines(li))
        lines.append(Content.styled("Impact →  ·  enter lists a cell's risks", "dim"))
        return Content("\n").join(lines)

    def _row_lines(self, li: int) -> list[Content]:
        likelihood = self.matrix.likelihood[li]
        height, width = self._cell_height, self._cell_width
        parts: list[list[Content | tuple[str, str]]] = [[] for _ in range(height)]
        for row, part in enumerate(parts):
            label = likelihood if row == height // 2 - (height == 2) else ""
            part.append((label.ljust(self._label_width)[: self._label_width], "bold $accent"))
        for ii, impact in enumerate(self.matrix.impact):
            score = self.matrix.scores[li][ii]
            count = self.counts.get((likelihood, impact), 0)
            chosen = (li, ii) == (self.likelihood_index, self.impact_index)
            variable = tone_variable(analysis.band_tone(self.matrix.band_for(score)))
            style = f"$text on ${variable}-muted" if variable != "foreground" else "$text on $panel"
            if chosen:
                style += " reverse" if self.has_focus else " underline"
            texts = [f"{score}", f"{count} open" if count else "·"]
            if height == 3:
                texts.insert(0, "")
            if chosen:
                texts[-2] = f"▶ {texts[-2]} ◀"
            for row, text in enumerate(texts):
                bold = " bold" if row == height - 2 else ""
                parts[row].append((text.center(width)[:width], style + bold))
                parts[row].append((" " * GAP, ""))
        return [Content.assemble(*part) for part in parts]

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
