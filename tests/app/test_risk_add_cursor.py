"""After adding a risk the cursor is on it, so e, R and c act on the new risk (issue 14
item 8): before, they acted on whichever risk the cursor had been on."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from psr_tui.app import PsrApp
from psr_tui.dialogs.risk_forms import RiskForm
from psr_tui.screens.risks import RiskRegisterScreen
from psr_tui.store import Store
from psr_tui.widgets.risk_table import RiskTable
from tests.app.helpers import settle


async def test_a_new_risk_has_the_cursor_so_e_edits_it(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        first = table.current_ref
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RiskForm)
        form.query_one("#ref", Input).value = "R9"
        form.query_one("#description", Input).value = "Estates not ready"
        form.query_one("#likelihood", Select).value = "High"
        form.query_one("#impact", Select).value = "Critical"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RiskRegisterScreen)
        assert table.current_ref == "R9" != first
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RiskForm)
        assert app.screen.form_title == "Edit R9"
