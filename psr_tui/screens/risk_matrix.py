"""The risk matrix: a heat map of open risks, and the risks of the chosen cell below it.

Residual (after controls) by default; i switches to inherent (before controls), which
counts only the risks that record an inherent likelihood and impact.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label

from psr_tui import analysis
from psr_tui.as_at import none_then_text
from psr_tui.screens.risk_base import RiskScreen
from psr_tui.widgets.risk_matrix import RiskMatrixGrid
from psr_tui.widgets.risk_table import RiskTable, risk_rows
from psr_tui.widgets.text import literal

NO_INHERENT = (
    "No risk has an inherent rating (before controls) yet: edit a risk (e, in the register "
    "or in a cell's list) and choose its inherent likelihood and impact. i shows the "
    "residual view."
)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class RiskMatrixScreen(RiskScreen):
    SECTION = "Risks › Matrix"
    CSS_PATH = "risks.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "i",
            "inherent",
            "Inherent/residual",
            tooltip="Switch between before and after controls",
            id="matrix.inherent",
        ),
        Binding("tab", "switch_focus", "Cell/list", show=False, id="matrix.switch"),
        Binding(
            "E",
            "app.export('risks')",
            "PDF",
            tooltip="Export the risk register (matrix and register) as a PDF",
            id="matrix.export",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.inherent = False
        self.facts: list[analysis.RiskFacts] = []

    def compose_body(self) -> ComposeResult:
        yield Label("", id="matrix-title")
        matrix = self.psr.snapshot.matrix()
        if matrix is None:
            yield Label(
                "There is no risk matrix yet: psr import matrix FILE", classes="empty-state"
            )
            return
        yield RiskMatrixGrid(matrix, id="grid")
        yield Label("", id="cell-title")
        yield RiskTable(id="cell-risks")

    def on_mount(self) -> None:
        super().on_mount()
        grids = self.query(RiskMatrixGrid)
        if grids:
            grids.first().focus()

    def refresh_data(self) -> None:
        matrix = self.psr.snapshot.matrix()
        grids = self.query(RiskMatrixGrid)
        if matrix is None or not grids:
            return
        self.facts = self.psr.register_facts()
        open_count = sum(f.is_open for f in self.facts)
        if self.inherent:
            rated = sum(f.is_open and f.inherent_cell is not None for f in self.facts)
            view = f"inherent (before controls), {rated} of {open_count} open risks rated"
        else:
            view = f"residual (after controls), {_plural(open_count, 'open risk')}"
        then = none_then_text(self.psr.snapshot, "risks") if not self.facts else None
        if then is not None:
            view += f": {then[0].lower()}{then[1:]}"
        self.query_one("#matrix-title", Label).update(literal(f"{matrix.name}: {view}"))
        grids.first().show(
            matrix, analysis.matrix_counts(matrix, self.facts, inherent=self.inherent)
        )
        self._show_cell()

    def _show_cell(self) -> None:
        matrix = self.psr.snapshot.matrix()
        if matrix is None:
            return
        likelihood, impact = self.query_one(RiskMatrixGrid).cell
        in_cell = analysis.in_cell(self.facts, likelihood, impact, inherent=self.inherent)
        table = self.query_one(RiskTable)
        table.show(risk_rows(in_cell))
        score = matrix.score(likelihood, impact)
        title = self.query_one("#cell-title", Label)
        unrated = self.inherent and not any(f.is_open and f.inherent_cell for f in self.facts)
        table.display = not unrated
        if unrated:
            title.update(NO_INHERENT)
            return
        title.update(
            literal(
                f"Likelihood {likelihood} × impact {impact}: score {score} "
                f"({matrix.band_for(score).name}), {_plural(len(in_cell), 'open risk')}"
                + ("  (enter on a risk opens it)" if in_cell else "")
            )
        )

    def on_risk_matrix_grid_cell_highlighted(self, event: RiskMatrixGrid.CellHighlighted) -> None:
        self._show_cell()

    def on_risk_matrix_grid_cell_chosen(self, event: RiskMatrixGrid.CellChosen) -> None:
        table = self.query_one(RiskTable)
        if table.row_count:
            table.focus()
        else:
            self.notify("No open risks in this cell")

    def on_risk_table_row_selected(self, event: RiskTable.RowSelected) -> None:
        from psr_tui.screens.risk_detail import RiskDetailScreen

        self.app.push_screen(RiskDetailScreen(event.ref))

    def action_inherent(self) -> None:
        self.inherent = not self.inherent
        self.refresh_data()

    def action_switch_focus(self) -> None:
        grid, table = self.query_one(RiskMatrixGrid), self.query_one(RiskTable)
        (table if grid.has_focus else grid).focus()

    def selected_ref(self) -> str | None:
        return self.query_one(RiskTable).current_ref if self.query(RiskTable) else None
