"""Home: the dashboard. One panel per section; enter (or the section's key) opens it.

Its panels are drawn from `psr_tui.home_figures`, which works out what each says."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Static

from psr_tui.formatting import clip, format_date, format_mean
from psr_tui.home_figures import (
    DUE_SOON_WEEKS,
    AssessmentFigures,
    ChangeLine,
    HomeFigures,
    Notice,
    ProgrammeFigures,
    RiskFigures,
)
from psr_tui.screens.base import SectionScreen
from psr_tui.widgets.text import literal
from psr_tui.widgets.tones import tone_variable

BAR_WIDTH = 10

# (title, section, key) of each panel, in order.
PANELS = [
    ("Assessment", "assessment", "a"),
    ("Risks", "risks", "r"),
    ("Programme", "programme", "p"),
    ("Recent changes", "history", "y"),
]


class DashboardPanel(Static):
    """A focusable summary of one section; enter opens the section."""

    can_focus = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open this section", id="home.open"),
    ]

    def __init__(
        self, title: str, section: str, key: str, *, id: str, content: Content | str = ""
    ) -> None:
        super().__init__(content, id=id, classes="panel")
        self.border_title = f"{title} ({key})"
        self.section = section

    async def action_open(self) -> None:
        await self.app.run_action(f"section('{self.section}')")


class HomeScreen(SectionScreen):
    SECTION = "Home"
    CSS_PATH = "home.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j,right,l", "app.focus_next", "Next panel", show=False, id="home.next"),
        Binding("up,k,left,h", "app.focus_previous", "Previous", show=False, id="home.previous"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(
            "enter or the key in brackets opens a panel  ·  ? keys  ·  ctrl+p all commands",
            id="welcome",
        )
        # Until the file is read (psr opens it in the background) each panel says so, or
        # shows the figures worked out ahead of the read, if they are there already.
        path = self.psr.opening_path
        waiting = literal(f"Opening {path}…") if path is not None and not self.psr.loaded else ""
        ahead = self.psr.figures_ahead_now()
        contents = panel_contents(ahead) if ahead is not None else {}
        with Grid(id="panels"):
            for title, section, key in PANELS:
                content = contents.get(section, waiting)
                yield DashboardPanel(title, section, key, id=f"{section}-panel", content=content)

    def refresh_data(self) -> None:
        from psr_tui import home_figures

        psr = self.psr
        self.show_figures(
            home_figures.work_out(
                psr.snapshot,
                psr.round_name,
                psr.as_at,
                # The app's kept facts: the register and the matrix reuse them, and a
                # colleague's change to one risk works out that risk's facts again, not 10,000.
                psr.register_facts,
                lambda: psr.store.history(limit=home_figures.RECENT_CHANGES),
            )
        )

    def show_figures(self, figures: HomeFigures) -> None:
        """Fill the panels: from this session's data, or from the figures `psr` worked out
        in a child while the file was still being read (`psr_tui.early_figures`)."""
        for section, content in panel_contents(figures).items():
            self.query_one(f"#{section}-panel", Static).update(content)


def panel_contents(figures: HomeFigures) -> dict[str, Content]:
    """What each panel shows, by section."""
    return {
        "assessment": assessment_panel(figures.assessment),
        "risks": risks_panel(figures.risks),
        "programme": programme_panel(figures.programme),
        "history": changes_panel(figures.changes),
    }


def _lines(*lines: Content | str) -> Content:
    return Content("\n").join(Content(line) if isinstance(line, str) else line for line in lines)


def _notice(notice: Notice) -> Content:
    return _lines(*(literal(line) for line in notice.lines))


# Beside a change between rounds that different numbers of respondents scored.
N_DIFFERS = "Scored by different numbers of people: see Trends"


def assessment_panel(figures: AssessmentFigures | Notice) -> Content:
    if isinstance(figures, Notice):
        return _notice(figures)
    lines: list[Content | str] = [
        Content.styled(figures.round_name, "bold"),
        Content.styled(figures.respondents, "" if figures.complete else "$warning"),
    ]
    if figures.position is None:
        lines.append("No scores yet.")
        return _lines(*lines)
    lines.append(
        Content.assemble(
            ("Position: ", "bold"),
            (figures.position, "bold $accent"),
            f" (average {figures.average})",
        )
    )
    lines.append(Content.assemble(("Lowest: ", "$warning"), figures.lowest or "none stands out"))
    change = figures.change
    if change is None:
        lines.append(Content.styled("First round of this framework", "$text-muted"))
        return _lines(*lines)
    style = {1: "$success", -1: "$error"}.get(change.direction, "")
    lines.append(
        Content.assemble(f"Since {change.since}: ", (f"{change.change} {change.arrow}", style))
    )
    if change.fell_most is not None:
        lines.append(
            Content.assemble("Fell most: ", change.fell_most[0], f" {change.fell_most[1]}")
        )
    if change.n_differs:
        lines.append(Content.styled(N_DIFFERS, "$warning"))
    return _lines(*lines)


def risks_panel(figures: RiskFigures | Notice) -> Content:
    if isinstance(figures, Notice):
        return _notice(figures)
    # Highest band first, each in its band's colour.
    band_parts: list[Content | tuple[str, str] | str] = []
    for name, count, tone in figures.bands:
        band_parts += [(f"{name} {count}", f"${tone_variable(tone)}"), "  "]
    overdue, review = figures.actions_overdue, figures.reviews_overdue
    return _lines(
        Content.assemble((f"{figures.open} open", "bold"), f" of {figures.total} risks"),
        Content.assemble(*band_parts),
        Content.assemble(
            "Actions overdue: ", (str(overdue), "bold $error" if overdue else "$success")
        ),
        Content.assemble(
            "Reviews overdue: ", (str(review), "bold $warning" if review else "$success")
        ),
    )


def programme_panel(figures: ProgrammeFigures | Notice) -> Content:
    if isinstance(figures, Notice):
        return _notice(figures)
    lines: list[Content | str] = [
        Content.assemble(
            (f"{figures.percent:g}% complete", "bold"),
            f" ({figures.complete} of {figures.activities})",
        ),
    ]
    for phase in figures.phases:
        filled = round(BAR_WIDTH * phase.percent / 100)
        lines.append(
            Content.assemble(
                f"{clip(phase.name, 12):<12} ",
                ("█" * filled, "$success"),
                ("░" * (BAR_WIDTH - filled), "$text-muted"),
                f" {format_mean(phase.percent, 0):>3}%",
            )
        )
    lines.append(
        Content.assemble(
            f"Due in {DUE_SOON_WEEKS} weeks: ",
            (str(figures.due_soon), "bold"),
            "  Late: ",
            (str(figures.late), "bold $error" if figures.late else "$success"),
        )
    )
    for due, title in figures.due_shown:
        lines.append(Content.assemble((f"{format_date(due)}  ", "$accent"), title))
    if figures.as_today:
        lines.append(Content.styled("Status as it stands today", "$text-muted"))
    return _lines(*lines)


def changes_panel(figures: tuple[ChangeLine, ...] | Notice) -> Content:
    if isinstance(figures, Notice):
        return _notice(figures)
    return _lines(
        *(
            Content.assemble(
                (f"{line.when:>6} ", "$text-muted"),
                (line.user, "bold"),
                f" {line.done} ",
                line.what,
            )
            for line in figures
        )
    )
