"""Progress of the programme: per theme and per phase, the timeline, what is due soon and
what has slipped. The phase table is also where phases are added, edited and deleted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from psr_tui import analysis
from psr_tui.formatting import days_after, format_date, plural
from psr_tui.models import Activity, Phase, Record, Theme
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.text import literal, literal_text
from psr_tui.widgets.timeline import TIMELINE_KEY, Timeline

PROGRESS_COLUMNS = ("Activities", "Complete", "%", "Slipped", "Blocked")


class PhaseTable(NavTable):
    """The per-phase progress table, where phases are edited (the view focuses it by type)."""


def progress_cells(progress: analysis.Progress) -> list[str]:
    return [
        str(progress.activities),
        str(progress.complete),
        f"{progress.percent:g}%",
        str(progress.slipped),
        str(progress.blocked),
    ]


def activity_line(activity: Activity) -> Text:
    due = format_date(activity.due) if activity.due else "no date"
    return literal_text(f"{due:>12}  {activity.title}  ({activity.theme}; {activity.lead or '-'})")


class ProgressView(VerticalScroll):
    """Tables, timeline and lists, redrawn from the data by `show`."""

    def compose(self) -> ComposeResult:
        yield Label("", id="progress-title", classes="panel-title")
        yield Label("Per phase (e edit, n new, x delete the phase under the cursor)")
        yield PhaseTable(id="phase-progress")
        yield Label("Timeline", classes="panel-title")
        yield Timeline(id="timeline")
        yield Static(TIMELINE_KEY, id="timeline-key", classes="muted")
        yield Label("Per theme", classes="panel-title")
        yield DataTable(id="theme-progress", cursor_type="none", zebra_stripes=True)
        yield Label("", id="due-title", classes="panel-title")
        yield Static("", id="due-list")
        yield Label("Slipped or late", classes="panel-title")
        yield Static("", id="slipped-list")

    def on_mount(self) -> None:
        phases = self.query_one("#phase-progress", DataTable)
        phases.add_columns("Phase", "Dates", *PROGRESS_COLUMNS)
        themes = self.query_one("#theme-progress", DataTable)
        themes.add_columns("Theme", *PROGRESS_COLUMNS, "RAG")

    @property
    def phase_id(self) -> int | None:
        """The phase under the cursor in the phase table."""
        key = self.query_one(PhaseTable).selected_key()
        return int(key) if key is not None else None

    def show(
        self,
        phases: Sequence[Record[Phase]],
        themes: Sequence[Record[Theme]],
        activities: Sequence[Activity],
        as_at: date,
        weeks: int,
        only: str = "",
    ) -> None:
        """`only` names a filter the activities passed ("lead PMO"), for the title."""
        overall = analysis.overall_progress(activities)
        self.query_one("#progress-title", Label).update(
            literal(
                f"Programme as at {format_date(as_at)}{f' ({only} only)' if only else ''}: "
                f"{overall.complete} of {plural(overall.activities, 'activity', 'activities')} "
                f"complete ({overall.percent:g}%), {overall.slipped} slipped, "
                f"{overall.blocked} blocked"
            )
        )
        table = self.query_one("#phase-progress", DataTable)
        row = table.cursor_row
        table.clear()
        progress = analysis.phase_progress([p.model for p in phases], activities)
        for phase, item in zip(phases, progress, strict=True):
            table.add_row(
                literal_text(item.name),
                analysis.phase_dates(phase.model),
                *progress_cells(item),
                key=str(phase.doc_id),
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        themes_table = self.query_one("#theme-progress", DataTable)
        themes_table.clear()
        for record, item in zip(
            themes, analysis.theme_progress([t.model for t in themes], activities), strict=True
        ):
            own = [a for a in activities if a.theme == record.model.name]
            themes_table.add_row(
                literal_text(item.name), *progress_cells(item), analysis.rag(own, as_at)
            )
        self.query_one(Timeline).show([p.model for p in phases], activities, as_at)
        due = analysis.due_within(activities, as_at, weeks)
        self.query_one("#due-title", Label).update(
            f"Due in the next {plural(weeks, 'week')} "
            f"(to {format_date(days_after(as_at, 7 * weeks))}; +/- to change)"
        )
        self._list("#due-list", due, "Nothing due in that time.")
        self._list("#slipped-list", analysis.slipped(activities, as_at), "Nothing has slipped.")

    def _list(self, selector: str, activities: list[Activity], empty: str) -> None:
        lines = [activity_line(a) for a in activities]
        self.query_one(selector, Static).update(Text("\n").join(lines) if lines else literal(empty))
