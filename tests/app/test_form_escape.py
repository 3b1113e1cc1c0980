"""Escape on a form: closes at once when nothing was typed, asks first when something was
(issue 14 item 11), on every kind of form: programme, risk, development, round, one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from psr_tui.app import PsrApp
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.form import FormDialog
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.screens.base import SectionScreen
from psr_tui.store import Store
from tests.app.helpers import settle

SPEC = "Specification developed and contract awarded"

# Keys that open a form from Home, on its first field (a text field in each).
FORMS = [
    pytest.param(("p", "e"), id="activity"),
    pytest.param(("r", "a"), id="risk"),
    pytest.param(("a", "n"), id="round"),
    pytest.param(("t",), id="as-at date"),
]


async def open_form(pilot: Pilot[None], keys: tuple[str, ...]) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    assert isinstance(pilot.app.screen, FormDialog | TextInputDialog)


def focused_input(app: PsrApp) -> Input:
    widget = app.focused
    assert isinstance(widget, Input), type(widget).__name__
    return widget


@pytest.mark.parametrize("keys", FORMS)
async def test_escape_without_changes_closes_at_once(
    demo_path: Path, keys: tuple[str, ...]
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot, keys)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen)


@pytest.mark.parametrize("keys", FORMS)
async def test_escape_after_typing_asks_and_n_keeps_the_typing(
    demo_path: Path, keys: tuple[str, ...]
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot, keys)
        form = app.screen
        field = focused_input(app)
        await pilot.press("end", "x", "y", "z")
        typed = field.value
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "lose what you typed" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and field.value == typed
        # Escape in the question also goes back to the form.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form and field.value == typed
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen)


async def test_discarding_an_activity_edit_saves_nothing(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot, ("p", "e"))
        await pilot.press("end", *" and more", "escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
    titles = [a.model.title for a in Store(demo_path).snapshot().activities()]
    assert SPEC in titles and f"{SPEC} and more" not in titles


async def test_typing_a_field_back_to_what_it_was_is_no_change(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot, ("p", "e"))
        await pilot.press("end", "x", "backspace", "escape")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen)


async def test_a_form_reopened_with_a_refused_save_asks_before_closing(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_form(pilot, ("p", "T", "e"))  # the first theme's form
        # Another theme's name: the store refuses it and the form opens again holding it.
        await pilot.press("end", "ctrl+u", *"Data and intelligence", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FormDialog)
        assert focused_input(app).value == "Data and intelligence"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
