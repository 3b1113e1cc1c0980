"""A colleague's change reaches the open register without redoing the rows it did not
touch: each unchanged risk keeps its row (its facts and texts worked out once), the risk
they changed is drawn anew, and nothing the UI shows is stale."""

from __future__ import annotations

import asyncio
from pathlib import Path

from psr_tui.app import PsrApp
from psr_tui.screens.risks import RiskRegisterScreen
from psr_tui.store import Store
from psr_tui.widgets.risk_table import RiskTable
from tests.conftest import run_psr
from tests.helpers.store_worker import make_risk, new_database


def _edit_owner(path: Path, ref: str, owner: str) -> None:
    with Store(path, user="colleague").transaction() as tx:
        record = tx.risk(ref)
        assert record is not None
        tx.update("risks", record.doc_id, record.model.model_copy(update={"owner": owner}))


def _line_of(table: RiskTable, ref: str) -> str:
    position = table.get_row_index(ref)
    assert position is not None
    return table.render_line(position + 1).text


async def test_a_colleagues_changes_redo_only_their_rows(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RiskRegisterScreen)
        first = {row.ref: row for row in screen.rows}
        done = await asyncio.to_thread(
            run_psr, "risk", "add", "--db", demo_path, "--ref", "R30",
            "--description", "Added elsewhere", "--likelihood", "High", "--impact", "Critical",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        await asyncio.to_thread(_edit_owner, demo_path, "R3", "Someone New")
        app.reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one(RiskTable)
        assert "Added elsewhere" in _line_of(table, "R30")
        assert "Someone New" in _line_of(table, "R3")
        now = {row.ref: row for row in screen.rows}
        assert set(now) == set(first) | {"R30"}
        assert now["R3"] is not first["R3"]
        assert all(now[ref] is first[ref] for ref in first if ref != "R3")


def _screen_lines(app: PsrApp) -> list[str]:
    """The screen as the terminal shows it, one string per line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _risk_line(app: PsrApp, ref: str) -> str | None:
    return next((line for line in _screen_lines(app) if line.split()[:1] == [ref]), None)


async def test_a_colleagues_change_shows_in_sight_and_out_of_it(tmp_path: Path) -> None:
    # A change to a risk out of sight leaves the screen as drawn; the one in sight is drawn
    # again, and the one out of sight shows its new value once scrolled to.
    path = new_database(tmp_path / "psr.json")
    with Store(path).transaction() as tx:
        tx.insert_many("risks", [make_risk(f"R{n}") for n in range(1, 81)])
    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert _risk_line(app, "R2") is not None and _risk_line(app, "R80") is None
        await asyncio.to_thread(_edit_owner, path, "R2", "Seen Now")
        await asyncio.to_thread(_edit_owner, path, "R80", "Seen Later")
        app.reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Seen Now" in (_risk_line(app, "R2") or "")
        await pilot.press("end")
        await pilot.pause()
        assert "Seen Later" in (_risk_line(app, "R80") or "")
