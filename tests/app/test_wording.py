"""Words on screen (issue 14 item 17): plurals and no source references meant for the
developers."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from psr_tui.app import PsrApp
from psr_tui.formatting import every_months, plural
from psr_tui.store import Store
from tests.app.helpers import table_rows


async def test_the_summary_says_one_level_apart(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", "s")
        await pilot.pause()
        table = app.screen.query_one("#domains", DataTable)
        flags = {row[0]: row[6] for row in table_rows(table)}
        assert flags["Information and IT"] == "groups differ"
        table.move_cursor(row=5)  # Information and IT: Exec 1, IG 2
        await pilot.pause()
        detail = str(app.screen.query_one("#detail", Static).render())
        assert "The groups' means are 1 level apart (groups differ)" in detail  # not "1 levels"


async def test_offers_cite_their_source_without_seed_numbers(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("v", "3")
        await pilot.pause()
        table = app.screen.query_one("#offers-table", DataTable)
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.pause()
            detail = str(app.screen.query_one("#offer-detail", Static).render())
            assert "seed" not in detail.lower()
        assert "Source: " in detail and ", page " in detail


def test_plurals_and_review_periods() -> None:
    assert plural(1, "level") == "1 level" and plural(2, "level") == "2 levels"
    assert plural(1, "activity", "activities") == "1 activity"
    assert every_months(1) == "every month" and every_months(3) == "every 3 months"
