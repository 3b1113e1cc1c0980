"""Keys that arrive together (SSH bursts, pasting) apply in order, each to the widget focused
at that point: the whole sequence is posted at once, as the terminal driver posts it."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from textual import events
from textual.widgets import Input

from psr_tui.app import PsrApp
from psr_tui.dialogs.risk_forms import RiskForm
from psr_tui.screens.risks import RiskRegisterScreen
from psr_tui.screens.scoring import ScoringScreen
from psr_tui.store import Store
from tests.app.helpers import burst, settle
from tests.app.test_scoring import open_scoring

SIZE = (120, 40)
ROUND = "Baseline, Feb 2016"


def _scores(path: Path, name: str) -> list[int | None]:
    snapshot = Store(path).snapshot()
    response = next(r.model for r in snapshot.responses(ROUND) if r.model.name == name)
    framework = snapshot.framework(snapshot.round(ROUND).model.framework)  # type: ignore[union-attr]
    assert framework is not None
    return [response.scores.get(d.key) for d in framework.domains]


async def test_scoring_digits_typed_together_land_in_order(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_scoring(pilot)
        await burst(app, *"12345123")
        await settle(app, pilot)
    assert _scores(demo_path, "Chief Executive") == [1, 2, 3, 4, 5, 1, 2, 3]


async def test_keys_after_the_one_that_opens_a_screen_go_to_that_screen(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        # Home -> Assessment -> the round's respondents -> the first one's grid -> scores,
        # in one burst: each key waits for the screen the key before it opened.
        await burst(app, "a", "enter", "enter", *"54321", "n", *"12")
        assert isinstance(app.screen, ScoringScreen)
        assert app.screen.sheet.response.name == "Group Manager"
        await settle(app, pilot)
    assert _scores(demo_path, "Chief Executive")[:5] == [5, 4, 3, 2, 1]
    assert _scores(demo_path, "Group Manager")[:2] == [1, 2]


async def test_the_risk_form_typed_in_one_burst(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RiskRegisterScreen)
        await burst(
            app,
            "a",  # the form opens on Reference
            *"R10",
            "tab",
            *"Burst description",
            "tab",
            *"Finance",
            "tab",
            *"2016-03-01",  # replaces the date shown (the field's text is selected on focus)
            "tab",
            *"Weekly checks",
            "tab",
            *["enter", "down", "enter"],  # likelihood: Medium
            "tab",
            *["enter", "down", "down", "enter"],  # impact: Critical
            "tab",
            "tab",
            "tab",  # past the inherent rating
            *"Recruit",
            "tab",
            *"Head of Finance",
            "tab",
            *"2016-05-20",
            "ctrl+s",
        )
        await settle(app, pilot)
        assert isinstance(app.screen, RiskRegisterScreen)
    risk = Store(demo_path).snapshot().risk("R10").model
    assert (risk.ref, risk.description, risk.category) == ("R10", "Burst description", "Finance")
    assert risk.date_identified == date(2016, 3, 1)
    assert (risk.controls, risk.likelihood, risk.impact) == ("Weekly checks", "Medium", "Critical")
    assert (risk.actions, risk.owner) == ("Recruit", "Head of Finance")
    assert risk.action_date == date(2016, 5, 20)
    assert risk.inherent_likelihood is None


async def test_a_paste_goes_to_the_field_focused_when_its_turn_comes(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        # The paste arrives with the key that opens the form, before the form exists.
        await burst(app, "a", events.Paste("R11"), "tab", events.Paste("Pasted text"), "tab")
        form = app.screen
        assert isinstance(form, RiskForm)
        assert form.query_one("#ref", Input).value == "R11"
        assert form.query_one("#description", Input).value == "Pasted text"
        assert form.query_one("#category", Input).has_focus
        await burst(app, "ctrl+s")
        await settle(app, pilot)
    assert Store(demo_path).snapshot().risk("R11").model.description == "Pasted text"


async def test_a_key_arriving_while_the_one_before_is_released_waits_behind_it(
    demo_path: Path,
) -> None:
    """`c` waits for the App's own work (a callback that yields); while the App does that
    work, the line lets `c` go, and `o` already in the App's queue must not overtake it
    (tmux showed "oclleague" for "/colleague" under load)."""
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "/")
        await pilot.pause()
        box = app.screen.query_one("#filter", Input)
        assert box.has_focus

        async def the_apps_own_work() -> None:
            for _ in range(5):
                await asyncio.sleep(0)

        app.post_message(events.Key("c", "c"))
        app.call_later(the_apps_own_work)
        app.post_message(events.Key("o", "o"))
        await app.input_queue.wait_until_handled()
        await pilot.pause()
        assert box.value == "co"
