"""Hostile user text on every screen: shown as typed, never markup, never an escape sequence.

The demo database with every piece of user text replaced by markup (`[@click=app.quit]x[/]`,
`a [/] b`, `[red]`) and terminal escapes (clear screen, window title, OSC 52), written to
the file directly. The tour visits every section screen, the screens under them, the
dialogs, the command palette and the notifications they raise, and checks what would be
written to the terminal: no control character in any drawn text, no live `@click`, the
markup shown as typed. A new screen or dialog that shows user text unguarded fails here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.segment import Segment
from textual.pilot import Pilot
from textual.widgets._toast import Toast

from psr_tui.app import PsrApp
from psr_tui.store import Store
from psr_tui.text import control_characters
from tests.app.helpers import settle
from tests.helpers.hostile import CLICK, make_hostile

SIZE = (160, 50)


def drawn(app: PsrApp) -> tuple[str, list[str]]:
    """The active screen's text as the terminal would get it, and what is wrong with it."""
    update = app.screen._compositor.render_update(full=True)
    problems: list[str] = []
    lines: list[str] = []
    for y, strips in enumerate(getattr(update, "strips", [])):
        line = ""
        for strip in strips:
            for segment in strip:
                for problem in _segment_problems(segment):
                    problems.append(f"{_widget_at(app, len(line), y)}: {problem}")
                line += segment.text
        lines.append(line)
    return "\n".join(lines), list(dict.fromkeys(problems))


def _widget_at(app: PsrApp, x: int, y: int) -> str:
    try:
        widget, _ = app.screen.get_widget_at(x, y)
    except Exception:
        return "?"
    return f"{type(widget).__name__}#{widget.id}"


def _segment_problems(segment: Segment) -> list[str]:
    problems = []
    if not segment.control and control_characters(segment.text):
        problems.append("control characters drawn")
    meta = segment.style.meta if segment.style else {}
    if "@click" in meta:
        problems.append(f"markup made a live action: {meta['@click']!r}")
    return problems


class Tour:
    """Visits screens by keys, collecting what is wrong on each instead of stopping."""

    def __init__(self, app: PsrApp, pilot: Pilot[None]) -> None:
        self.app = app
        self.pilot = pilot
        self.problems: list[str] = []

    async def visit(
        self,
        where: str,
        keys: Sequence[str],
        screen: str,
        *,
        within: str = "",
        shows_markup: bool = True,
        notifies: bool = False,
    ) -> str:
        """Press `keys`, expect `screen` on top, and check what it draws (the markup shown
        as typed `within` the widget that selector names, by default anywhere)."""
        self.app.clear_notifications()
        await self.pilot.press(*keys)
        await settle(self.app, self.pilot)
        await self.app.workers.wait_for_complete()
        await self.pilot.pause()
        if not self.app.is_running or type(self.app.screen).__name__ != screen:
            self.problems.append(f"{where}: expected {screen}, the app is on {self.app.screen}")
            raise AssertionError("\n".join(self.problems))
        text, problems = drawn(self.app)
        self.problems += [f"{where}: {p}" for p in problems]
        if within:
            region = self.app.screen.query_one(within).region
            rows = text.splitlines()[region.y : region.bottom]
            text = "\n".join(row[region.x : region.right] for row in rows)
        if shows_markup and CLICK not in text:
            self.problems.append(f"{where}: the markup is not shown as typed")
        toasts = [str(t.render()) for t in self.app.screen.query(Toast)]
        if notifies and not any(CLICK in t for t in toasts):
            self.problems.append(f"{where}: no notification quoting the text as typed {toasts}")
        return text


async def test_every_screen_shows_hostile_text_literally(demo_path: Path) -> None:
    make_hostile(demo_path)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        tour = Tour(app, pilot)
        visit = tour.visit
        await visit("home", [], "HomeScreen")
        # Assessment: rounds, respondents, scoring and its dialogs, summary, trends, charts.
        await visit("rounds", ["a"], "AssessmentScreen")
        await visit("respondents", ["enter"], "AssessmentScreen")
        await visit("respondent form", ["e"], "RespondentDialog", within="#form")
        await visit("scoring", ["escape", "enter"], "ScoringScreen")
        await visit("digit above the top level", ["9"], "ScoringScreen", notifies=True)
        await visit("evidence note", ["c"], "TextInputDialog", within="Vertical")
        await visit("summary", ["escape", "escape", "s"], "SummaryScreen")
        await visit("target dialog", ["g"], "TextInputDialog", within="Vertical")
        await visit("trends", ["escape", "escape", "T"], "TrendsScreen")
        await visit("charts", ["escape", "g"], "AssessmentChartsScreen")
        await visit("new round form", ["escape", "n"], "RoundDialog", within="#form")
        await visit("round closed", ["escape", "x"], "AssessmentScreen", notifies=True)
        # Risks: register, detail, matrix and a cell's risks, the forms.
        await visit("risk register", ["r"], "RiskRegisterScreen")
        await visit("risk detail", ["enter"], "RiskDetailScreen")
        await visit("risk matrix", ["escape", "m"], "RiskMatrixScreen")
        await visit("matrix cell", ["enter"], "RiskMatrixScreen")
        await visit("risk edit form", ["r", "e"], "RiskForm", within="#form")
        await visit("risk review form", ["escape", "R"], "ReviewForm", within="#form")
        await visit("risk add form", ["escape", "a"], "RiskForm", shows_markup=False)
        # Programme: board, tree, progress and their forms; a phase saved.
        await visit("programme board", ["escape", "p"], "ProgrammeScreen")
        await visit("activity form", ["e"], "EditDialog", within="#form")
        await visit("programme tree", ["escape", "T"], "ProgrammeScreen")
        await visit("theme form", ["e"], "EditDialog", within="#form")
        await visit("programme progress", ["escape", "G"], "ProgrammeScreen")
        await visit("phase form", ["e"], "EditDialog", within="#form")
        await visit("phase saved", ["ctrl+s"], "ProgrammeScreen", notifies=True)
        # Development, history, keys, as-at.
        await visit("development actions", ["v"], "DevelopmentScreen")
        await visit("action form", ["e"], "ActionForm", within="#form")
        await visit("evidence form", ["escape", "i"], "EvidenceForm", within="#form")
        await visit("development progress", ["escape", "2"], "DevelopmentScreen")
        await visit("development offers", ["3"], "DevelopmentScreen")
        await visit("history", ["y"], "HistoryScreen")
        await visit("keys", ["question_mark"], "KeysScreen", shows_markup=False)
        await visit("as at dialog", ["escape", "t"], "TextInputDialog", shows_markup=False)
        # The palette lists every round by its name; choosing one says so.
        palette = ["escape", "ctrl+p", *"switch round"]
        await visit("palette", palette, "CommandPalette", within="CommandList")
        await visit("round chosen", ["enter"], "HistoryScreen", notifies=True)
    assert tour.problems == [], "\n".join(tour.problems)
