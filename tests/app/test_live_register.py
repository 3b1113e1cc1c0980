"""A colleague's change reaches the open register without redoing the rows it did not
touch: each unchanged risk keeps its row (its facts and texts worked out once), the risk
they changed is drawn anew, and nothing the UI shows is stale."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from psr_tui.app import PsrApp
from psr_tui.screens.risks import RiskRegisterScreen
from psr_tui.store import Store, files
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


COLLEAGUE = """
import sys
from psr_tui.store import Store
from tests.helpers.store_worker import make_risk

path, action, ref = sys.argv[1:4]
with Store(path, user="colleague").transaction() as tx:
    record = tx.risk(ref)
    if action == "edit":
        assert record is not None
        update = {"owner": sys.argv[4]}
        tx.update("risks", record.doc_id, record.model.model_copy(update=update))
    elif action == "delete":
        assert record is not None
        tx.delete("risks", record.doc_id)
    else:
        tx.insert("risks", make_risk(ref, "High", "Critical"))
"""


def _colleague(path: Path, *args: str) -> None:
    """One change by another process, through its own Store, as a colleague's psr makes it."""
    done = subprocess.run(
        [sys.executable, "-c", COLLEAGUE, str(path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr


def _hand_edit(path: Path, ref: str, description: str) -> None:
    """The file edited in place by hand: a risk's text changed, its rev left as it was."""
    data = json.loads(path.read_text())
    (row,) = [row for row in data["risks"].values() if row["ref"] == ref]
    row["description"] = description
    path.write_text(json.dumps(data))


def _register_text(app: PsrApp) -> list[str]:
    """Every line of the register as drawn (not only those in sight), and the lines beside
    the filter."""
    screen = app.screen
    assert isinstance(screen, RiskRegisterScreen)
    table = screen.query_one(RiskTable)
    lines = [" ".join(cell.plain for cell in table.get_row(ref)) for ref in table.refs]
    return [*lines, str(screen.query_one("#filters").render())]


async def test_a_colleagues_edits_deletes_and_adds_reach_the_screen_as_a_fresh_open_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # However small the file, the changes come through the child reader; this process
    # never reads the file again after opening it.
    monkeypatch.setattr(Store, "CHILD_READS_FROM_BYTES", 0)
    path = new_database(tmp_path / "psr.json")
    with Store(path).transaction() as tx:
        tx.insert_many("risks", [make_risk(f"R{n}") for n in range(1, 41)])
    reads: list[Path] = []
    read_file = files.read_file

    def counted(path: Path) -> dict[str, Any]:
        reads.append(path)
        return read_file(path)

    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        monkeypatch.setattr(files, "read_file", counted)
        changes = [
            lambda: _colleague(path, "edit", "R3", "Owner Changed"),
            lambda: _colleague(path, "delete", "R5"),
            lambda: _colleague(path, "add", "R41"),
            lambda: _hand_edit(path, "R7", "Typed into the file by hand, rev unchanged"),
            lambda: _colleague(path, "edit", "R41", "Second Owner"),
            lambda: _colleague(path, "delete", "R1"),
        ]
        for change in changes:
            await asyncio.to_thread(change)
            app.reload()
            await app.workers.wait_for_complete()
            await pilot.pause()
        shown = _register_text(app)
        assert app.stored.rows("risks") == list(json.loads(path.read_text())["risks"].values())
    assert reads == []
    monkeypatch.setattr(files, "read_file", read_file)
    fresh = PsrApp(Store(path), watch=False)
    async with fresh.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert shown == _register_text(fresh)
    text = "\n".join(shown)
    assert "Owner Changed" in text and "Second Owner" in text
    assert "Typed into the file by hand, rev unchanged" in text
    refs = [line.split()[0] for line in shown[:-1]]
    assert "R5" not in refs and "R1" not in refs and "R41" in refs and len(refs) == 39
