"""History: the audit log newest first, filtered by text, user and date."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from psr_tui.app import PsrApp
from psr_tui.models import Risk
from psr_tui.store import Store
from tests.app.helpers import table_rows


def _rows(app: PsrApp) -> list[str]:
    return [" | ".join(cells) for cells in table_rows(app.screen.query_one("#log", DataTable))]


async def test_history_shows_an_edit_first_and_filters(demo_path: Path) -> None:
    other = Store(demo_path, user="vwillett")
    with other.transaction() as tx:
        record = tx.risk("R3")
        assert record is not None
        tx.update("risks", record.doc_id, record.model.model_copy(update={"owner": "[b]Jo[/b]"}))
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        await pilot.pause()
        rows = _rows(app)
        total = len(rows)
        assert "vwillett" in rows[0] and "risk R3" in rows[0] and "edited" in rows[0]
        assert "[b]Jo[/b]" in rows[0]  # literally, as typed

        # An edit in this session arrives on top.
        app.save(
            lambda tx: tx.insert(
                "risks", Risk(ref="R10", description="new", likelihood="Low", impact="Critical")
            )
        )
        app.flush_writes()
        await pilot.pause()
        await pilot.pause()
        rows = _rows(app)
        assert len(rows) == total + 1
        assert "tester" in rows[0] and "risk R10" in rows[0] and "added" in rows[0]

        # Text filter.
        await pilot.press("slash")
        await pilot.press(*"R10")
        await pilot.pause()
        assert [r for r in _rows(app)] == [rows[0]]
        await pilot.press("enter")  # back to the table
        assert isinstance(app.focused, DataTable)

        # User filter cycles through the users in the log.
        await pilot.press("c")
        await pilot.pause()
        assert len(_rows(app)) == total + 1
        users = sorted({r.split(" | ")[1] for r in rows})
        for _ in range(users.index("vwillett") + 1):
            await pilot.press("u")
        await pilot.pause()
        filtered = _rows(app)
        assert len(filtered) == 1 and "vwillett" in filtered[0]

        # Date filter: nothing is from the future.
        await pilot.press("c", "s")
        await pilot.press(*"1 Jan 2199")
        await pilot.pause()
        assert _rows(app) == []
        app.screen.query_one("#since-filter", Input).value = "1 Jan 2000"
        await pilot.pause()
        assert len(_rows(app)) == total + 1
        app.screen.query_one("#since-filter", Input).value = "not a date"
        await pilot.pause()
        assert "not a date" in str(app.screen.query_one("#filter-state").render())

        # escape leaves the filter box first, then goes back home.
        await pilot.press("escape")
        assert isinstance(app.focused, DataTable)
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "home"
