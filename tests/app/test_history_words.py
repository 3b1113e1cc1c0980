"""History and Home say what changed in a person's words (issue 14 item 14): field by field
("Governance 2 → 3" for the respondent), domain names instead of keys, long texts that
differ late still reading differently."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from psr_tui.app import PsrApp
from psr_tui.changes import assessment as changes
from psr_tui.store import Store
from tests.app.helpers import table_rows

ROUND = "Baseline, Feb 2016"
LONG = "Risk of not having the right people in the room at the right time, " * 2


async def test_history_words_each_change_field_by_field(demo_path: Path) -> None:
    store = Store(demo_path, user="vwillett")
    snap = store.snapshot()
    chief = next(r for r in snap.responses(ROUND) if r.model.name == "Chief Executive")
    assert chief.model.scores["governance"] == 2
    with store.transaction() as tx:
        changes.set_score(tx, chief.doc_id, chief.model, "governance", 3)
        risk = tx.risk("R1")
        assert risk is not None
        edited = risk.model.model_copy(update={"description": LONG + "now", "owner": "PMO"})
        tx.merge("risks", risk.doc_id, risk.model, edited)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(160, 40)) as pilot:
        home = str(app.screen.query_one("#history-panel", Static).render())
        # Newest first; the development actions the demo added are named by their domain.
        assert "edited R1" in home and f"edited {ROUND}: Chief" in home
        assert "financial_and_contractual" not in home
        await pilot.press("y")
        await pilot.pause()
        table = app.screen.query_one("#log", DataTable)
        rows = [" | ".join(cells) for cells in table_rows(table)]
        assert f"respondent {ROUND}: Chief Exec" in rows[1]
        assert "Governance 2 → 3" in rows[1]
        assert "risk R1 | Description, Owner changed" in rows[0]
        assert not any("_and_" in row or "actions:" in row for row in rows)
        assert any("development action Financial and contrac" in r for r in rows)
        # The detail names every field, whole: the two descriptions differ at their end.
        table.move_cursor(row=0)
        await pilot.pause()
        detail = str(app.screen.query_one("#detail", Static).render())
        assert detail.startswith("risk R1\n")
        assert f"→ {LONG}now" in detail
        assert "Owner " in detail and " → PMO" in detail
