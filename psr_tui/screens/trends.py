"""Trends: how a framework's domains moved across rounds, and two rounds compared by group."""

from __future__ import annotations

from itertools import pairwise
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Label

from psr_tui import analysis
from psr_tui.dialogs.pick import PickDialog, round_choices
from psr_tui.formatting import abbreviate, format_change, format_mean, plural
from psr_tui.screens.base import SectionScreen
from psr_tui.store import Snapshot
from psr_tui.widgets.text import literal, literal_text

OVERALL = "__overall__"
# Marks a mean whose n (who scored the domain) differs from the round it is compared with.
N_DIFFERS = "*"


def framework_summaries(snap: Snapshot, round_name: str | None) -> list[analysis.AssessmentSummary]:
    """Summaries of every round sharing `round_name`'s framework, oldest first."""
    record = snap.round_or_latest(round_name)
    if record is None:
        return []
    framework = snap.framework(record.model.framework)
    if framework is None:
        return []
    return [
        analysis.summarise(framework, r.model, [x.model for x in snap.responses(r.model.name)])
        for r in snap.rounds()
        if r.model.framework == framework.name
    ]


def change_text(before: float | None, after: float | None) -> str:
    """'1.5 → 2 (+0.5) ↑'; a dash for a side with no scores."""
    delta = None if before is None or after is None else after - before
    text = f"{format_mean(before)} → {format_mean(after)}"
    if delta is not None:
        text += f" ({format_change(before, after)}) {analysis.arrow(delta)}"
    return text


class TrendsScreen(SectionScreen):
    """Pushed from the Assessment screen; follows the app's current round's framework."""

    SECTION = "Assessment › Trends"
    CSS_PATH = "trends.tcss"
    AUTO_FOCUS = "#trend"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "b",
            "pick('before')",
            "Before round",
            tooltip="Choose the earlier round of the comparison",
            id="trends.before",
        ),
        Binding(
            "f",
            "pick('after')",
            "After round",
            tooltip="Choose the later round of the comparison",
            id="trends.after",
        ),
        Binding("j", "cursor('down')", "Down", show=False, id="trends.down"),
        Binding("k", "cursor('up')", "Up", show=False, id="trends.up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[analysis.AssessmentSummary] = []
        self.before: str | None = None
        self.after: str | None = None

    def compose_body(self) -> ComposeResult:
        yield Label("", id="trend-title", classes="panel-title")
        yield DataTable(id="trend", cursor_type="row", zebra_stripes=True)
        yield Label("", id="compare-title", classes="panel-title")
        yield DataTable(id="compare", cursor_type="row", zebra_stripes=True)

    def refresh_data(self) -> None:
        self.summaries = framework_summaries(self.psr.snapshot, self.psr.round_name)
        names = [s.round for s in self.summaries]
        # Keep the chosen pair while both rounds exist; default to the last two.
        if self.before not in names or self.after not in names:
            self.before = names[-2] if len(names) >= 2 else None
            self.after = names[-1] if names else None
        self._fill_trend()
        self._fill_compare()

    def _fill_trend(self) -> None:
        table = self.query_one("#trend", DataTable)
        table.clear(columns=True)
        title = self.query_one("#trend-title", Label)
        if not self.summaries:
            title.update("No assessment rounds yet: create one on the Assessment screen (n).")
            return
        framework = self.summaries[-1].framework
        rows = analysis.trend(self.summaries)
        note = (
            f"; {N_DIFFERS} = scored by a different number of respondents than the round before"
            if any(row.n_changed(i) for row in rows for i in range(len(self.summaries)))
            else ""
        )
        title.update(
            literal(
                f"Combined means by round: {framework} "
                f"({plural(len(self.summaries), 'round')}){note}"
            )
        )
        table.add_column("Domain", key="domain")
        for summary in self.summaries:
            table.add_column(literal_text(summary.round), key=summary.round)
        for row in rows:
            cells = self._trend_cells(
                row.combined, [row.n_changed(i) for i in range(len(rows[0].combined))]
            )
            table.add_row(literal_text(row.name), *cells, key=row.key)
        overall = [s.overall_combined for s in self.summaries]
        totals = [s.respondent_counts.complete for s in self.summaries]
        changed = [i > 0 and totals[i] != totals[i - 1] for i in range(len(totals))]
        table.add_row(
            Text("Overall", style="bold"), *self._trend_cells(overall, changed), key=OVERALL
        )

    @staticmethod
    def _trend_cells(values: list[float | None], n_changed: list[bool]) -> list[str]:
        cells = [format_mean(values[0])]
        for (before, after), changed in zip(pairwise(values), n_changed[1:], strict=True):
            delta = None if before is None or after is None else after - before
            mark = N_DIFFERS if changed else ""
            cells.append(f"{format_mean(after)}{mark} {analysis.arrow(delta)}".rstrip())
        return cells

    def _fill_compare(self) -> None:
        table = self.query_one("#compare", DataTable)
        table.clear(columns=True)
        title = self.query_one("#compare-title", Label)
        by_name = {s.round: s for s in self.summaries}
        if self.before is None or self.after is None:
            title.update("Only one round of this framework: nothing to compare yet.")
            return
        earlier, later = by_name[self.before], by_name[self.after]
        title.update(literal(f"{earlier.round} → {later.round} (b and f choose the rounds)"))
        groups = list(dict.fromkeys([*earlier.groups, *later.groups]))
        table.add_column("Domain", key="domain")
        for group in groups:
            table.add_column(literal_text(abbreviate(group)), key=f"group:{group}")
        table.add_column("All", key="combined")
        changes = analysis.compare(earlier, later)
        for change in changes:
            combined = change_text(change.before, change.after)
            if change.n_differs:
                combined += f" {N_DIFFERS} n {change.before_n} → {change.after_n}"
            table.add_row(
                literal_text(change.name),
                *(
                    change_text(change.before_by_group.get(g), change.after_by_group.get(g))
                    for g in groups
                ),
                combined,
                key=change.key,
            )
        if any(c.n_differs for c in changes):
            title.update(
                literal(
                    f"{earlier.round} → {later.round} (b and f choose the rounds); "
                    f"{N_DIFFERS} scored by a different number of respondents"
                )
            )
        table.add_row(
            Text("Overall", style="bold"),
            *(
                change_text(earlier.overall_means.get(g), later.overall_means.get(g))
                for g in groups
            ),
            change_text(earlier.overall_combined, later.overall_combined),
            key=OVERALL,
        )

    def action_cursor(self, direction: str) -> None:
        focused = self.focused
        if isinstance(focused, DataTable):
            if direction == "down":
                focused.action_cursor_down()
            else:
                focused.action_cursor_up()

    def action_pick(self, side: str) -> None:
        if len(self.summaries) < 2:
            self.notify("Comparing needs two rounds of the same framework", severity="warning")
            return
        rounds = [
            record.model
            for record in reversed(self.psr.snapshot.rounds())
            if record.model.name in {s.round for s in self.summaries}
        ]
        current = self.before if side == "before" else self.after

        def chosen(name: str | None) -> None:
            if name is None:
                return
            if side == "before":
                self.before = name
            else:
                self.after = name
            self._fill_compare()

        prompt = "Compare from round:" if side == "before" else "Compare to round:"
        self.app.push_screen(PickDialog(prompt, round_choices(rounds), current), chosen)
