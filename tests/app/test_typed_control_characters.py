"""Control characters are refused where a person types them: every form and the text dialog.

A paste is how they arrive (keys never type an ESC): each test pastes into the focused
field as a terminal's bracketed paste does, then saves.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from psr_tui.app import PsrApp
from psr_tui.dialogs.risk_forms import RiskForm
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.screens.risks import RiskRegisterScreen
from psr_tui.store import Store
from tests.app.helpers import settle
from tests.helpers.hostile import CLEAR_SCREEN, WINDOW_TITLE, edit_first_risk

SIZE = (120, 40)


async def _paste(app: PsrApp, text: str) -> None:
    focused = app.focused
    assert isinstance(focused, Input)
    focused.post_message(events.Paste(text))


async def test_a_form_refuses_a_pasted_escape_and_shows_where_it_is(demo_path: Path) -> None:
    before = demo_path.read_bytes()
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RiskForm)
        await pilot.press(*"R9", "tab")
        await _paste(app, f"Estates{CLEAR_SCREEN} not ready")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form  # not saved
        assert str(form.query_one("#err-description").content) == (
            "Description contains control characters (␛): remove them and type the text again"
        )
        description = form.query_one("#description", Input)
        assert description.value == "Estates␛[2J not ready"
        assert app.focused is description
        assert demo_path.read_bytes() == before

        description.value = "Estates not ready"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RiskRegisterScreen)
    risk = Store(demo_path).snapshot().risk("R9")
    assert risk is not None and risk.model.description == "Estates not ready"


async def test_an_edit_form_opens_with_the_stored_escapes_drawn_as_symbols(
    demo_path: Path,
) -> None:
    edit_first_risk(demo_path, owner=f"Executive{WINDOW_TITLE}")
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RiskForm)
        assert form.query_one("#owner", Input).value == "Executive␛]0;pwned␇"
        # Drawing them as symbols is not typing: escape closes without asking.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RiskRegisterScreen)
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RiskRegisterScreen)
    # Saved as it was shown: the symbols, never the escape.
    risk = Store(demo_path).snapshot().risk("R1")
    assert risk is not None and risk.model.owner == "Executive␛]0;pwned␇"


async def test_the_text_dialog_refuses_a_pasted_escape(demo_path: Path) -> None:
    before = Store(demo_path).snapshot().responses("Baseline, Feb 2016")[0].model.comments
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "enter", "enter", "c")  # the first respondent's evidence note
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TextInputDialog)
        await pilot.press("ctrl+a", "backspace")
        await _paste(app, f"Minutes{WINDOW_TITLE}")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog
        assert str(dialog.query_one("#error").content) == (
            "The text contains control characters (␛ ␇): remove them and type the text again"
        )
        assert dialog.query_one("#value", Input).value == "Minutes␛]0;pwned␇"
    after = Store(demo_path).snapshot().responses("Baseline, Feb 2016")[0].model.comments
    assert after == before
