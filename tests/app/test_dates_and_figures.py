"""Dates to the month, figures rounded half up, numbers that refuse text: as an officer sees
them in the workbench (Pilot, the real screens)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from textual.widgets import Input, Label

from psr_tui.app import PsrApp
from psr_tui.development import actions
from psr_tui.dialogs.development_forms import EvidenceForm
from psr_tui.models import Response, Round
from psr_tui.store import Store
from tests.app.helpers import settle

SIZE = (160, 40)


def screen_lines(app: PsrApp) -> list[str]:
    """The screen as the terminal shows it, one string per line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def line_with(app: PsrApp, needle: str) -> str:
    return next(line for line in screen_lines(app) if needle in line)


async def test_seed_month_dates_show_as_months_and_are_not_overdue(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Seed 001 set R2 and R3 for "February 16": due by the end of February, so not
        # overdue at the 16 Feb 2016 Executive that set them.
        assert "Actions overdue: 0" in "\n".join(screen_lines(app))
        await pilot.press("r")
        await pilot.pause()
        r2 = line_with(app, " R2 ")
        assert "Feb 2016" in r2 and "1 Feb" not in r2 and "29 Feb" not in r2
        assert "!" not in r2
        assert "May 2016" in line_with(app, " R1 ")
        await pilot.press("enter", "j")  # R1's detail, then back and down to R2
        await pilot.press("escape", "j", "enter")
        await pilot.pause()
        detail = "\n".join(screen_lines(app))
        assert "Feb 2016" in detail and "overdue" not in detail.split("Action date")[1][:40]
        assert "Aug 2015" in detail  # identified "August 15"


async def test_a_file_an_older_psr_wrote_with_a_no_date_marker_opens(
    demo_path: Path, tmp_path: Path
) -> None:
    """31/12/9999 once crashed Home and every export for everybody using the file."""
    data = json.loads(demo_path.read_text())
    r5 = next(r for r in data["risks"].values() if r["ref"] == "R5")
    r5["action_date"] = r5["date_identified"] = "9999-12-31"
    r5["reviews"] = []
    next(iter(data["matrix"].values()))["bands"][0]["review_months"] = 100000
    path = tmp_path / "older.json"
    path.write_text(json.dumps(data))
    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Actions overdue" in "\n".join(screen_lines(app))
        await pilot.press("r")
        await pilot.pause()
        assert "31 Dec 9999" in line_with(app, " R5 ")
        assert app.is_running


async def test_evidence_refuses_a_number_written_as_a_word(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EvidenceForm)
        await pilot.press("tab", *"two")  # Sessions
        assert form.query_one("#sessions", Input).value == "two"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, with what was typed
        error = str(form.query_one("#error", Label).render())
        assert error == "Sessions: 'two' is not a whole number."
        form.query_one("#sessions", Input).value = "-3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Sessions: -3 is not between 0 and 1000000" in str(
            form.query_one("#error", Label).render()
        )
        form.query_one("#sessions", Input).value = "2"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    first = actions(Store(demo_path).snapshot())[0].model
    assert first.evidence.sessions == 2


async def test_the_summary_rounds_half_up(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "s")
        await pilot.pause()
        overall = line_with(app, "Overall")
        # Executive overall 1.625 (seed 000): half up, as the officers' spreadsheet shows it.
        assert "1.63" in overall and "1.62" not in overall


async def test_progress_between_rounds_keeps_two_places(demo_path: Path) -> None:
    store = Store(demo_path)
    with store.transaction() as tx:
        base = tx.round("Baseline, Feb 2016")
        assert base is not None
        later = Round(
            name="Review, Aug 2016", date=date(2016, 8, 16), framework=base.model.framework
        )
        tx.insert("rounds", later)
        # Executive Workforce moves from 1 (seed 000) to 2, 2, 2, 3: a mean of 2.25.
        for n, level in enumerate((2, 2, 2, 3), start=1):
            tx.insert(
                "responses",
                Response(
                    round=later.name,
                    name=f"Exec {n}",
                    group="Executive",
                    scores={"workforce": level},
                ),
            )
    app = PsrApp(store, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "2")
        await pilot.pause()
        workforce = line_with(app, "Workforce")
        assert "1 -> 2.25" in workforce  # was "1.0 -> 2.2"
