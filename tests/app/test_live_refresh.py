"""Another psr process changes the file: the open app shows it and says who did what."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from psr_tui.app import PsrApp
from psr_tui.store import Store
from tests.conftest import PSR

# Generous: the app polls every 0.5 s; this only bounds a failing test.
WAIT_SECONDS = 20


async def _other_user_adds_risk(path: Path, ref: str) -> None:
    env = {**os.environ, "PSR_USER": "vwillett"}
    process = await asyncio.create_subprocess_exec(
        str(PSR), "risk", "add", "--db", str(path), "--ref", ref,
        "--description", "Added [b]elsewhere[/b]", "--likelihood", "High",
        "--impact", "Critical", env=env,
    )  # fmt: skip
    assert await process.wait() == 0


def _notifications(app: PsrApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


async def test_home_updates_and_names_the_other_user(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#risks-panel", Static)
        before = str(panel.render())
        assert "8 open of 8 risks" in before
        await _other_user_adds_risk(demo_path, "R20")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        while "9 open of 9 risks" not in str(panel.render()) and loop.time() < deadline:
            await pilot.pause(0.1)
        assert "9 open of 9 risks" in str(panel.render())
        assert any("vwillett added risks R20" in n for n in _notifications(app))
        assert "R20" in str(app.screen.query_one("#history-panel", Static).render())


async def test_history_keeps_cursor_and_filter_in_progress(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        await pilot.pause()
        table = app.screen.query_one("#log", DataTable)
        await pilot.press("j", "j")
        selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        rows = table.row_count
        await pilot.press("slash", "r")  # half-typed filter: every record text with an r
        filtered = table.row_count
        await _other_user_adds_risk(demo_path, "R21")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WAIT_SECONDS
        while table.row_count == filtered and loop.time() < deadline:
            await pilot.pause(0.1)
        assert table.row_count == filtered + 1
        text_filter = app.screen.query_one("#text-filter", Input)
        assert text_filter.value == "r" and app.focused is text_filter
        await pilot.press("backspace")
        await pilot.pause()
        assert table.row_count == rows + 1
        assert "vwillett" in str(table.get_row_at(0)[1])
        # The same entry is still selected, one row lower now that a newer one is on top.
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key == selected
        assert any("vwillett added risks R21" in n for n in _notifications(app))


async def test_own_saves_are_not_announced(demo_path: Path) -> None:
    from psr_tui.models import Risk

    app = PsrApp(Store(demo_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.save(
            lambda tx: tx.insert(
                "risks", Risk(ref="R30", description="mine", likelihood="Low", impact="Critical")
            )
        )
        app.flush_writes()
        for _ in range(15):  # let several polls run
            await pilot.pause(0.1)
        assert not [n for n in _notifications(app) if "another session" in n]
        assert "9 open" in str(app.screen.query_one("#risks-panel", Static).render())
