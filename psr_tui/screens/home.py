"""Home: the dashboard. One panel per section; enter (or the section's key) opens it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Static

from psr_tui.errors import StoreError
from psr_tui.formatting import clip, format_change, format_date, format_mean
from psr_tui.screens.base import SectionScreen, past_tense
from psr_tui.widgets.text import literal

# Home is `psr`'s first screen, drawn before the file is read: the analysis, the models and
# the store (pydantic, ~70 ms) are imported where the panels are filled, after the first frame.
if TYPE_CHECKING:
    from psr_tui import analysis
    from psr_tui.analysis import RiskFacts
    from psr_tui.models import AuditEntry
    from psr_tui.store import Snapshot

DUE_SOON_WEEKS = 4
RECENT_CHANGES = 6
DUE_SOON_SHOWN = 3
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
        # Until the file is read (psr opens it in the background) each panel says so.
        path = self.psr.opening_path
        waiting = literal(f"Opening {path}…") if path is not None and not self.psr.loaded else ""
        with Grid(id="panels"):
            for title, section, key in PANELS:
                yield DashboardPanel(title, section, key, id=f"{section}-panel", content=waiting)

    def refresh_data(self) -> None:
        snap = self.psr.snapshot
        as_at = self.psr.as_at
        self.query_one("#assessment-panel", Static).update(
            assessment_panel(snap, self.psr.round_name)
        )
        # The app's kept facts: the register and the matrix reuse them, and a colleague's
        # change to one risk works out that risk's facts again, not 10,000.
        risks = risks_panel(snap, self.psr.register_facts)
        self.query_one("#risks-panel", Static).update(risks)
        self.query_one("#programme-panel", Static).update(programme_panel(snap, as_at))
        try:
            from psr_tui.screens.audit_words import domain_names

            entries = self.psr.store.history(limit=RECENT_CHANGES)
            recent = changes_panel(entries, domain_names(snap))
        except StoreError as exc:  # the audit file cannot be read: say so, show the rest
            recent = literal(str(exc))
        self.query_one("#history-panel", Static).update(recent)


def _lines(*lines: Content | str) -> Content:
    return Content("\n").join(Content(line) if isinstance(line, str) else line for line in lines)


def _summary(snap: Snapshot, round_name: str) -> analysis.AssessmentSummary | None:
    from psr_tui import analysis

    record = snap.round(round_name)
    if record is None:
        return None
    framework = snap.framework(record.model.framework)
    if framework is None:
        return None
    responses = [r.model for r in snap.responses(record.model.name)]
    return analysis.summarise(framework, record.model, responses)


# Beside a change between rounds that different numbers of respondents scored.
N_DIFFERS = "Scored by different numbers of people: see Trends"


def assessment_panel(snap: Snapshot, round_name: str | None) -> Content:
    from psr_tui import analysis

    record = snap.round(round_name) if round_name else None
    summary = _summary(snap, round_name) if round_name else None
    if record is None or summary is None:
        from psr_tui.as_at import none_then

        then = none_then(snap, "rounds")
        if then is not None and not snap.rounds():
            return _lines(then[0], f"{then[1]}.", "t sets another date.")
        return _lines("No assessment rounds yet.", "Press a to start one.")
    framework = snap.framework(record.model.framework)
    assert framework is not None
    counts = summary.respondent_counts
    complete = counts.complete == counts.total
    lines: list[Content | str] = [
        Content.styled(record.model.name, "bold"),
        Content.styled(counts.text, "" if complete else "$warning"),
    ]
    level = summary.overall_level
    if level is None:
        lines.append("No scores yet.")
        return _lines(*lines)
    lines.append(
        Content.assemble(
            ("Position: ", "bold"),
            (analysis.position_text(framework, level), "bold $accent"),
            f" (average {format_mean(summary.overall_combined)})",
        )
    )
    lowest = ", ".join(f"{d.name} {format_mean(d.combined)}" for d in summary.lowest)
    lines.append(Content.assemble(("Lowest: ", "$warning"), lowest or "none stands out"))
    earlier = [
        r
        for r in snap.rounds()
        if r.model.framework == record.model.framework and r.model.date < record.model.date
    ]
    previous = _summary(snap, earlier[-1].model.name) if earlier else None
    if previous is None or previous.overall_combined is None:
        lines.append(Content.styled("First round of this framework", "$text-muted"))
    else:
        delta = summary.overall_combined - previous.overall_combined  # type: ignore[operator]
        style = "$success" if delta > 0 else "$error" if delta < 0 else ""
        lines.append(
            Content.assemble(
                f"Since {earlier[-1].model.name}: ",
                (
                    f"{format_change(previous.overall_combined, summary.overall_combined)} "
                    f"{analysis.arrow(delta)}",
                    style,
                ),
            )
        )
        changes = [c for c in analysis.compare(previous, summary) if c.delta is not None]
        if changes:
            worst = min(changes, key=lambda c: c.delta or 0.0)
            if (worst.delta or 0) < 0:
                lines.append(
                    Content.assemble(
                        "Fell most: ", worst.name, f" {format_change(worst.before, worst.after)}"
                    )
                )
        if any(c.n_differs for c in changes):
            lines.append(Content.styled(N_DIFFERS, "$warning"))
    return _lines(*lines)


def risks_panel(snap: Snapshot, register_facts: Callable[[], list[RiskFacts]]) -> Content:
    from psr_tui import analysis
    from psr_tui.widgets.tones import tone_variable

    matrix = snap.matrix()
    if matrix is None:
        return _lines("No risk matrix yet.", "Import one with `psr import matrix FILE`.")
    facts = register_facts()
    if not facts:
        from psr_tui.as_at import none_then

        then = none_then(snap, "risks")
        if then is not None:
            return _lines(then[0], f"{then[1]}.", "t sets another date.")
    counts = analysis.band_counts(matrix, facts)
    band_parts: list[Content | tuple[str, str] | str] = []
    # Highest band first, each in its band's colour.
    for band in reversed(matrix.bands):
        style = f"${tone_variable(analysis.band_tone(band))}"
        band_parts += [(f"{band.name} {counts[band.name]}", style), "  "]
    overdue = sum(f.overdue for f in facts)
    review = sum(f.review_overdue for f in facts)
    return _lines(
        Content.assemble(
            (f"{sum(f.is_open for f in facts)} open", "bold"), f" of {len(facts)} risks"
        ),
        Content.assemble(*band_parts),
        Content.assemble(
            "Actions overdue: ", (str(overdue), "bold $error" if overdue else "$success")
        ),
        Content.assemble(
            "Reviews overdue: ", (str(review), "bold $warning" if review else "$success")
        ),
    )


def programme_panel(snap: Snapshot, as_at: date) -> Content:
    from psr_tui import analysis

    activities = [a.model for a in snap.activities()]
    if not activities:
        return _lines("No programme activities yet.")
    overall = analysis.overall_progress(activities)
    phases = analysis.phase_progress([p.model for p in snap.phases()], activities)
    lines: list[Content | str] = [
        Content.assemble(
            (f"{overall.percent:g}% complete", "bold"),
            f" ({overall.complete} of {overall.activities})",
        ),
    ]
    for phase in phases:
        filled = round(BAR_WIDTH * phase.percent / 100)
        lines.append(
            Content.assemble(
                f"{clip(phase.name, 12):<12} ",
                ("█" * filled, "$success"),
                ("░" * (BAR_WIDTH - filled), "$text-muted"),
                f" {format_mean(phase.percent, 0):>3}%",
            )
        )
    due = analysis.due_within(activities, as_at, DUE_SOON_WEEKS)
    late = analysis.slipped(activities, as_at)
    lines.append(
        Content.assemble(
            f"Due in {DUE_SOON_WEEKS} weeks: ",
            (str(len(due)), "bold"),
            "  Late: ",
            (str(len(late)), "bold $error" if late else "$success"),
        )
    )
    for activity in due[:DUE_SOON_SHOWN]:
        lines.append(
            Content.assemble((f"{format_date(activity.due)}  ", "$accent"), activity.title)
        )
    from psr_tui.as_at import looked_back

    if looked_back(snap) is not None:
        lines.append(Content.styled("Status as it stands today", "$text-muted"))
    return _lines(*lines)


def changes_panel(entries: list[AuditEntry], domains: Mapping[str, str]) -> Content:
    from psr_tui.screens.audit_words import record_words

    if not entries:
        return _lines("No changes recorded yet.")
    today = datetime.now().astimezone().date()
    lines: list[Content | str] = []
    for entry in reversed(entries):
        local = entry.at.astimezone()
        when = local.strftime("%H:%M") if local.date() == today else f"{local:%d %b}"
        done = past_tense(entry.action)
        lines.append(
            Content.assemble(
                (f"{when:>6} ", "$text-muted"),
                (entry.user, "bold"),
                f" {done} ",
                record_words(entry, domains, kind=False),
            )
        )
    return _lines(*lines)
