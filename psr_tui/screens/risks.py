"""The Risks section: the register, filtered and sorted as the user asks.

The rows are worked out once per snapshot; a filter keystroke or a sort only chooses and
orders those rows (a few milliseconds for 10,000) and hands the list to the table, which
draws only the lines on screen, so every key applies at once even with 10,000 risks.
"""

from __future__ import annotations

from operator import attrgetter
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Static

from psr_tui import analysis
from psr_tui.as_at import none_then_text
from psr_tui.dialogs.pick import PickDialog
from psr_tui.models import RiskStatus
from psr_tui.screens.risk_base import RiskScreen
from psr_tui.widgets.risk_table import (
    COLUMNS,
    SORT_MARKS,
    RiskRow,
    RiskTable,
    risk_rows,
    sort_rows,
)
from psr_tui.widgets.text import literal, show_in

STATUS_CYCLE = ("all", RiskStatus.OPEN.value, RiskStatus.CLOSED.value)
# The overdue filter's states: off, overdue actions, overdue reviews.
OVERDUE_CYCLE = ("", "overdue", "review overdue")
ALL = "\x00all"  # the "any owner" choice: a value no owner can have
# Counted over every risk on each change: in C, not a Python loop of 10,000.
OVERDUE = attrgetter("overdue")
REVIEW_OVERDUE = attrgetter("review_overdue")
SEARCH_TEXT = attrgetter("search_text")  # each row's, kept with it (RiskRow.search_text)


class RiskRegisterScreen(RiskScreen):
    SECTION = "Risks"
    CSS_PATH = "risks.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "m", "matrix", "Matrix", tooltip="The risk matrix as a heat map", id="risks.matrix"
        ),
        Binding(
            "E",
            "app.export('risks')",
            "PDF",
            tooltip="Export the risk register as a landscape A4 PDF",
            id="risks.export",
        ),
        Binding(
            "slash", "find", "Filter", tooltip="Type to filter the register", id="risks.filter"
        ),
        Binding(
            "s",
            "sort",
            "Sort",
            tooltip="Choose the column to sort by (the sorted one again: reverse)",
            id="risks.sort",
        ),
        Binding(
            "S",
            "reverse",
            "Reverse",
            tooltip="Reverse the sort (highest or latest first)",
            id="risks.reverse",
        ),
        Binding("o", "owner", "Owner", tooltip="Show one owner's risks", id="risks.owner"),
        Binding("b", "band", "Band", tooltip="Cycle the band filter", id="risks.band"),
        Binding(
            "O",
            "overdue",
            "Overdue",
            tooltip="Cycle: overdue actions only, reviews overdue only, all",
            id="risks.overdue",
        ),
        Binding("C", "status", "Status", tooltip="Cycle all / open / closed", id="risks.status"),
        Binding(
            "x",
            "clear_filters",
            "Clear",
            tooltip="Clear every filter",
            id="risks.clear",
            show=False,
        ),
        Binding("escape", "leave", "Back", show=False, id="risks.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RiskRow] = []
        self.late = (0, 0)  # how many are overdue, and how many reviews are
        self.owner: str | None = None
        self.band: str | None = None
        self.status = STATUS_CYCLE[0]
        self.overdue = OVERDUE_CYCLE[0]
        self.sort_column = 0
        self.sort_reverse = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filter-bar"):
            yield Input(
                placeholder="/ filter: words in ref, description, owner, actions…", id="filter"
            )
            yield Static(id="filters")
        yield RiskTable(id="register")
        yield Static(id="empty", classes="empty-state")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RiskTable).focus()

    # --- data ---------------------------------------------------------------------------

    def refresh_data(self) -> None:
        facts = self.psr.register_facts()
        self.rows = risk_rows(facts, self.rows)
        self.late = (sum(map(OVERDUE, facts)), sum(map(REVIEW_OVERDUE, facts)))
        self.apply()

    def visible_rows(self) -> list[RiskRow]:
        """The rows the filters let through, sorted; each filter costs only when it is on."""
        rows = self.rows
        if self.owner is not None:
            rows = [row for row in rows if row.risk.owner == self.owner]
        if self.band is not None:
            rows = [row for row in rows if row.facts.band and row.facts.band.name == self.band]
        if self.status != "all":
            rows = [row for row in rows if row.risk.status.value == self.status]
        if self.overdue == "overdue":
            rows = [row for row in rows if row.facts.overdue]
        elif self.overdue == "review overdue":
            rows = [row for row in rows if row.facts.review_overdue]
        words = analysis.filter_words(self.query_one("#filter", Input).value)
        rows = analysis.with_words(rows, words, SEARCH_TEXT)
        return sort_rows(rows, self.sort_column, reverse=self.sort_reverse)

    def apply(self) -> None:
        rows = self.visible_rows()
        self.query_one(RiskTable).show(rows, sort=(self.sort_column, self.sort_reverse))
        self._show_filters(len(rows))
        if self.psr.snapshot.matrix() is None:
            message = "There is no risk matrix yet: psr import matrix FILE, then add risks (a)."
        elif not self.rows:
            then = none_then_text(self.psr.snapshot, "risks")
            message = (
                f"{then}: t sets another date."
                if then is not None
                else "The register is empty: press a to add a risk, or psr import risks FILE."
            )
        elif not rows:
            message = "No risk matches the filters: x clears them."
        else:
            message = ""
        empty = self.query_one("#empty", Static)
        show_in(empty, message)
        empty.display = bool(message)

    def _show_filters(self, shown: int) -> None:
        """Three short lines beside the filter: what is shown, what is overdue, the sort."""
        shown_line: list[Content | str | tuple[str, str]] = [
            (f"{shown} of {len(self.rows)} shown", "bold")
        ]
        if self.owner is not None:
            shown_line += ["  owner ", literal(self.owner, "$accent")]
        if self.band is not None:
            shown_line += ["  band ", literal(self.band, "$accent")]
        if self.status != "all":
            shown_line.append((f"  {self.status} only", "$accent"))
        if self.overdue:
            shown_line.append((f"  {self.overdue} only", "$error"))
        overdue, reviews = self.late
        late_line: list[Content | str | tuple[str, str]] = []
        if overdue:
            late_line.append((f"{analysis.OVERDUE_MARK} {overdue} overdue", "$error"))
        if reviews:
            late_line += [
                "  " if late_line else "",
                (f"{analysis.REVIEW_OVERDUE_MARK} {reviews} review overdue", "$warning"),
            ]
        if not late_line:
            late_line.append(("nothing overdue", "$success"))
        column = COLUMNS[self.sort_column]
        mark = SORT_MARKS[self.sort_reverse].strip()
        sort_line = f"sort {column.heading} {mark} {column.direction(self.sort_reverse)}"
        show_in(
            self.query_one("#filters", Static),
            Content("\n").join(
                [Content.assemble(*shown_line), Content.assemble(*late_line), Content(sort_line)]
            ),
        )

    def selected_ref(self) -> str | None:
        return self.query_one(RiskTable).current_ref

    # --- keys ---------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.apply()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(RiskTable).focus()

    def action_find(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_leave(self) -> None:
        if self.query_one("#filter", Input).has_focus:
            self.query_one(RiskTable).focus()
        else:
            self.psr.go_back()

    def action_sort(self) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.sort_by(int(value))

        choices = []
        for index, column in enumerate(COLUMNS):
            label = column.heading
            if index == self.sort_column:
                now = column.direction(self.sort_reverse)
                label += f"  (now, {now}: choose again to reverse)"
            choices.append((label, str(index)))
        self.app.push_screen(
            PickDialog("Sort the register by", choices, str(self.sort_column)), chosen
        )

    def sort_by(self, column: int) -> None:
        """Sort by `column`; the column already sorted by is reversed."""
        self.sort_reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column = column
        self.apply()

    def action_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.apply()

    def on_risk_table_header_selected(self, event: RiskTable.HeaderSelected) -> None:
        self.sort_by(event.column)

    def on_risk_table_row_selected(self, event: RiskTable.RowSelected) -> None:
        self.open_detail(event.ref)

    def open_detail(self, ref: str) -> None:
        from psr_tui.screens.risk_detail import RiskDetailScreen

        self.app.push_screen(RiskDetailScreen(ref))

    def action_matrix(self) -> None:
        from psr_tui.screens.risk_matrix import RiskMatrixScreen

        self.app.push_screen(RiskMatrixScreen())

    def action_owner(self) -> None:
        owners = sorted({row.risk.owner for row in self.rows if row.risk.owner}, key=str.lower)

        def chosen(owner: str | None) -> None:
            if owner is not None:
                self.owner = None if owner == ALL else owner
                self.apply()

        choices = [("Every owner", ALL), *((owner, owner) for owner in owners)]
        self.app.push_screen(PickDialog("Show the risks of", choices), chosen)

    def action_band(self) -> None:
        matrix = self.psr.snapshot.matrix()
        names: list[str | None] = [None, *(b.name for b in matrix.bands)] if matrix else [None]
        position = names.index(self.band) if self.band in names else 0
        self.band = names[(position + 1) % len(names)]
        self.apply()

    def action_status(self) -> None:
        self.status = STATUS_CYCLE[(STATUS_CYCLE.index(self.status) + 1) % len(STATUS_CYCLE)]
        self.apply()

    def action_overdue(self) -> None:
        self.overdue = OVERDUE_CYCLE[(OVERDUE_CYCLE.index(self.overdue) + 1) % len(OVERDUE_CYCLE)]
        self.apply()

    def action_clear_filters(self) -> None:
        self.owner = self.band = None
        self.status, self.overdue = STATUS_CYCLE[0], OVERDUE_CYCLE[0]
        self.query_one("#filter", Input).value = ""
        self.apply()
