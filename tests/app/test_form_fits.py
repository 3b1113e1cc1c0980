"""Every form keeps Save in view on an 80x24 terminal (its fields scroll instead)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button

from psr_tui.app import PsrApp
from psr_tui.dialogs.form import FormDialog
from psr_tui.store import Store


@pytest.mark.parametrize(
    "keys",
    [
        ("r", "a"),  # add a risk: the longest form
        ("a", "n"),  # new round
        ("v", "n"),  # new development action
    ],
)
async def test_save_button_is_on_screen_at_80x24(demo_path: Path, keys: tuple[str, ...]) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, FormDialog), type(app.screen).__name__
        save = app.screen.query_one("#save", Button).region
        assert save.height > 0
        assert save.bottom <= 24
