"""The shell: section keys, escape, the palette, ? keys, themes, and q with a save queued."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import DataTable

from psr_tui.app import SECTIONS, THEMES, PsrApp
from psr_tui.models import Risk
from psr_tui.screens.base import SectionScreen
from psr_tui.screens.history import HistoryScreen
from psr_tui.screens.keys import KeysScreen
from psr_tui.store import Store, Transaction
from tests.app.helpers import table_rows


def _table_text(table: DataTable[object]) -> str:
    return "\n".join(" ".join(cells) for cells in table_rows(table))


@pytest.mark.parametrize(("mode", "key", "label"), [(m, k, lbl) for m, k, lbl, _ in SECTIONS])
async def test_each_section_key_shows_its_screen_and_escape_goes_home(
    demo_store: Store, mode: str, key: str, label: str
) -> None:
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("d")  # from home, so escape has somewhere to go back to
        await pilot.press(key)
        await pilot.pause()
        assert app.current_mode == mode
        assert isinstance(app.screen, SectionScreen)
        shown = app.screen.SECTION
        assert shown == label
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "home"


async def test_palette_offers_sections_exports_rounds_theme_and_screen_keys(
    demo_store: Store,
) -> None:
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for _mode, _key, label, _tip in SECTIONS:
            assert any(t.startswith(f"Go to {label}") for t in titles)
        for report in ("Assessment report", "Risk register", "Programme plan", "Meeting pack"):
            assert f"Export {report} (PDF)" in titles
        assert "Switch round: Baseline, Feb 2016" in titles
        assert any(t.startswith("Next theme") for t in titles)
        assert any(t.startswith("Set the as-at date") for t in titles)

        # The palette itself: typing finds a key of the current screen (history's filter).
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"user")
        await pilot.pause(0.5)
        options = app.screen.query_one("CommandList")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("User (u)" in p for p in prompts), prompts
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.user is not None  # the palette ran the screen's own action


async def test_switch_round_sets_current_round(demo_store: Store) -> None:
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title.startswith("Switch round: B")
        )
        command.callback()
        await pilot.pause()
        assert app.current_round == "Baseline, Feb 2016"
        assert app.round_name == "Baseline, Feb 2016"


async def test_theme_cycle_uses_only_existing_themes(demo_store: Store) -> None:
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = set()
        for _ in range(len(THEMES)):
            app.action_next_theme()
            await pilot.pause()
            seen.add(app.theme)
        assert seen == {t for t in THEMES if t in app.available_themes}
        assert "textual-light" in seen and "ansi-dark" in seen


async def test_question_mark_lists_this_screens_keys_then_global_ones(demo_store: Store) -> None:
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        here = _table_text(app.screen.query_one("#here", DataTable))
        everywhere = _table_text(app.screen.query_one("#everywhere", DataTable))
        assert "Show one user's changes in turn" in here  # history's u, with its tooltip
        assert "User" in here and "u" in here
        assert "Quit" in everywhere and "Risks" in everywhere
        assert "Risks" not in here
        # The screen's own keys come before the focused table's cursor keys.
        assert here.index("Show one user's changes") < here.index("Cursor up")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, KeysScreen)
        assert app.current_mode == "history"


async def test_q_quits_after_a_queued_save_reaches_the_disk(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        risk = Risk(
            ref="R99", description="queued [red]then[/] quit", likelihood="Low", impact="Critical"
        )

        def slow_insert(tx: Transaction) -> int:
            # A save still running when q is pressed: quitting must wait for it.
            time.sleep(0.5)
            return tx.insert("risks", risk)

        app.save(slow_insert)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    found = Store(demo_path).snapshot().risk("R99")
    assert found is not None
    assert found.model.description == "queued [red]then[/] quit"


async def test_works_at_80x24(demo_store: Store) -> None:
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("y", "d"):
            await pilot.press(key)
            await pilot.pause()
        panels = app.screen.query("DashboardPanel")
        assert len(panels) == 4
        for panel in panels:
            assert panel.region.height >= 6 and panel.region.right <= 80
