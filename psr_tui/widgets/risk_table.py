"""A table of risks: one row per risk, the score in its band's colour, overdue marked.

`risk_rows` works out what each row shows once per snapshot; the table caches the cells
of each risk (by doc id and rev), so re-showing a filtered or sorted list costs only
the table's own work, not re-formatting 10,000 rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from psr_tui import analysis
from psr_tui.formatting import format_date
from psr_tui.models import Band, Risk, RiskMatrix, RiskStatus
from psr_tui.store import Record
from psr_tui.widgets.text import literal_text

DESCRIPTION_WIDTH = 30
OWNER_WIDTH = 16
OVERDUE_MARK = "! "

# Matrices name their band colours in words; each maps to a theme variable so the colours
# follow the theme (dark, light, 16-colour) instead of being fixed.
BAND_VARIABLES = {
    "green": "success",
    "amber": "warning",
    "orange": "warning",
    "yellow": "warning",
    "red": "error",
    "blue": "primary",
    "purple": "accent",
}


def band_variable(band: Band | None) -> str:
    """The theme variable for a band's colour ('foreground' for a colour we don't know)."""
    if band is None:
        return "foreground"
    return BAND_VARIABLES.get(band.colour.strip().lower(), "foreground")


def theme_colour(app: App[Any], variable: str) -> str:
    """A theme variable's current value, for Rich styles (which can't name variables)."""
    return app.theme_variables.get(variable) or app.theme_variables.get("foreground", "")


@dataclass(frozen=True)
class RiskRow:
    """What the register shows for one risk, worked out once per snapshot."""

    doc_id: int
    risk: Risk
    score: int | None
    band: Band | None
    next_review: date | None
    action_overdue: bool
    review_overdue: bool

    @property
    def ref(self) -> str:
        return self.risk.ref

    @property
    def overdue(self) -> bool:
        return self.action_overdue or self.review_overdue


def risk_rows(
    matrix: RiskMatrix | None, records: Iterable[Record[Risk]], as_at: date
) -> list[RiskRow]:
    rows = []
    for record in records:
        risk = record.model
        rows.append(
            RiskRow(
                doc_id=record.doc_id,
                risk=risk,
                score=analysis.risk_score(matrix, risk) if matrix else None,
                band=analysis.risk_band(matrix, risk) if matrix else None,
                next_review=analysis.next_review(matrix, risk) if matrix else None,
                action_overdue=analysis.is_overdue(risk, as_at),
                review_overdue=matrix is not None and analysis.review_overdue(matrix, risk, as_at),
            )
        )
    return rows


def _date_key(day: date | None) -> date:
    return day or date.max


# (column heading, sort key); the order is the table's column order.
COLUMNS: list[tuple[str, Callable[[RiskRow], Any]]] = [
    ("Ref", lambda r: analysis.ref_order(r.ref)),
    ("Description", lambda r: r.risk.description.lower()),
    ("Category", lambda r: r.risk.category.lower()),
    ("Likelihood", lambda r: r.risk.likelihood.lower()),
    ("Impact", lambda r: r.risk.impact.lower()),
    ("Score", lambda r: -1 if r.score is None else r.score),
    ("Owner", lambda r: r.risk.owner.lower()),
    ("Action date", lambda r: _date_key(r.risk.action_date)),
    ("Next review", lambda r: _date_key(r.next_review)),
    ("Status", lambda r: (r.risk.status.value, not r.overdue)),
]


class RiskTable(DataTable[Any]):
    """Risks, one per row, keyed by ref."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="risk_table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="risk_table.up"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._cells: dict[tuple[int, int], tuple[Text, ...]] = {}
        self._styles: dict[str, str] = {}

    def on_mount(self) -> None:
        for heading, _key in COLUMNS:
            # Long text is cut to its column (the detail view shows it whole).
            width = {"Description": DESCRIPTION_WIDTH, "Owner": OWNER_WIDTH, "Category": 10}.get(
                heading
            )
            self.add_column(heading, key=heading, width=width)

    def show(self, rows: list[RiskRow]) -> None:
        """Replace the rows, keeping the cursor on the same risk when it is still listed."""
        current = self.current_ref
        self._styles = {}
        self.clear()
        for row in rows:
            self.add_row(*self._row_cells(row), key=row.ref)
        if current is not None and current in self.rows:
            self.move_cursor(row=self.get_row_index(current), scroll=True)

    @property
    def current_ref(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None
        return key.value

    def _style(self, variable: str, extra: str = "") -> str:
        if variable not in self._styles:
            self._styles[variable] = theme_colour(self.app, variable)
        return f"{extra} {self._styles[variable]}".strip()

    def _row_cells(self, row: RiskRow) -> tuple[Text, ...]:
        key = (row.doc_id, row.risk.rev)
        cells = self._cells.get(key)
        if cells is None:
            cells = self._make_cells(row)
            self._cells[key] = cells
        return cells

    def _make_cells(self, row: RiskRow) -> tuple[Text, ...]:
        risk = row.risk
        closed = risk.status != RiskStatus.OPEN
        base = "dim" if closed else ""
        score = "-" if row.score is None else str(row.score)
        band = f" {row.band.name}" if row.band else ""
        action = format_date(risk.action_date)
        review = format_date(row.next_review)
        status = risk.status.value + (" !" if row.overdue else "")
        return (
            literal_text(risk.ref, "bold"),
            literal_text(risk.description, base),
            literal_text(risk.category, base),
            literal_text(risk.likelihood, base),
            literal_text(risk.impact, base),
            literal_text(score + band, self._style(band_variable(row.band), "bold")),
            literal_text(risk.owner, base),
            literal_text(OVERDUE_MARK + action, self._style("error", "bold"))
            if row.action_overdue
            else literal_text(action, base),
            literal_text(OVERDUE_MARK + review, self._style("warning", "bold"))
            if row.review_overdue
            else literal_text(review, base),
            literal_text(status, self._style("error") if row.overdue else base),
        )
