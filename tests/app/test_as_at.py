"""Looking back with `t`: Home, the register, the matrix, the detail and the assessment
screens count only what existed on the date, and the header says what the date changes
(issue 14 item 3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static

from psr_tui.app import PsrApp
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.models import Response, Round
from psr_tui.store import Store
from psr_tui.widgets.header import PsrHeader
from psr_tui.widgets.risk_matrix import RiskMatrixGrid
from psr_tui.widgets.risk_table import RiskTable
from tests.app.helpers import table_rows

FRAMEWORK = "AQuA System Integration"
LATER_ROUND = "Re-run, Aug 2016"


def add_later_round(path: Path) -> None:
    """The demo with the Aug 2016 re-run scored by one respondent, as the issue saw it."""
    with Store(path).transaction() as tx:
        tx.insert("rounds", Round(name=LATER_ROUND, date=date(2016, 8, 16), framework=FRAMEWORK))
        tx.insert(
            "responses",
            Response(
                round=LATER_ROUND,
                name="A. Officer",
                organisation="Chorley Council",
                group="Executive",
                scores={"leadership": 3},
            ),
        )


async def look_back(app: PsrApp, pilot: Pilot[None], typed: str) -> None:
    """Press t, clear the date offered, type `typed` and enter, as an officer does."""
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, TextInputDialog)
    await pilot.press("ctrl+u", *typed, "enter")
    await pilot.pause()


def panel(app: PsrApp, section: str) -> str:
    return str(app.screen.query_one(f"#{section}-panel", Static).render())


def header(app: PsrApp) -> str:
    return app.screen.query_one(PsrHeader).render_line(0).text


async def test_home_as_at_1_oct_2015_shows_no_later_round_and_no_later_risk(
    demo_path: Path,
) -> None:
    add_later_round(demo_path)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert LATER_ROUND in panel(app, "assessment")
        assert "8 open of 8 risks" in panel(app, "risks")
        await look_back(app, pilot, "1 Oct 2015")
        assessment = panel(app, "assessment")
        assert LATER_ROUND not in assessment
        assert "No round was dated\non or before 1 Oct 2015." in assessment
        # R1-R4 were identified in Aug 2015; R5-R8 later.
        assert "4 open of 4 risks" in panel(app, "risks")
        assert "Status as it stands today" in panel(app, "programme")
        # Between the rounds: the baseline is the current round, the re-run not yet held.
        await look_back(app, pilot, "1 Mar 2016")
        assessment = panel(app, "assessment")
        assert "Baseline, Feb 2016" in assessment and LATER_ROUND not in assessment
        assert "8 open of 8 risks" in panel(app, "risks")
        # An empty date returns to the database's own date: everything again.
        await look_back(app, pilot, "")
        assert LATER_ROUND in panel(app, "assessment")


async def test_the_header_says_what_the_date_changes_at_80_columns(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "as at 16 Feb 2016 (pinned)" in header(app)
        await look_back(app, pilot, "1 Oct 2015")
        assert "as at 1 Oct 2015 (rounds, risks as then)" in header(app)
        await pilot.press("p")
        await pilot.pause()
        assert "as at 1 Oct 2015 (status as today)" in header(app)
        await pilot.press("r")
        await pilot.pause()
        line = header(app)
        assert "as at 1 Oct 2015 (rounds, risks as then)" in line and "tester" in line


def _row(table: RiskTable, ref: str) -> str:
    for y in range(1, table.row_count + 1):
        text = table.render_line(y).text
        if text.split()[:1] == [ref]:
            return text
    raise AssertionError(f"{ref} is not on screen")


async def test_the_register_and_matrix_rate_a_risk_as_its_review_then_left_it(
    demo_path: Path,
) -> None:
    """R3 and R7 were Medium / Significant at their review of 19 Jan 2016 and Low at the
    one of 5 Feb: as at 1 Feb 2016 they score 5 Medium, and the detail lists one review."""
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        assert "5 Medium" not in _row(table, "R3")
        await look_back(app, pilot, "1 Feb 2016")
        r3 = _row(table, "R3")
        assert "Medium" in r3 and "5 Medium" in r3
        assert "5 Medium" in _row(table, "R7")
        assert "3 Low" in _row(table, "R2")
        # The matrix: two open risks in Medium x Significant.
        await pilot.press("m")
        await pilot.pause()
        grid = app.screen.query_one(RiskMatrixGrid)
        assert grid.counts[("Medium", "Significant")] == 2
        assert grid.counts[("Low", "Significant")] == 5  # R2, R4, R5, R6, R8
        # The detail: only the review made by then, and its rating.
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        table.move_cursor(row=2)  # R3
        await pilot.press("enter")
        await pilot.pause()
        fields = str(app.screen.query_one("#fields", Static).render())
        assert "score 5, Medium band" in fields
        reviews = table_rows(app.screen.query_one("#history", DataTable))
        assert [row[0] for row in reviews] == ["19 Jan 2016"]


async def test_before_every_risk_the_register_says_so(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await look_back(app, pilot, "1 Jul 2015")
        assert app.screen.query_one(RiskTable).row_count == 0
        empty = str(app.screen.query_one("#empty", Static).render())
        assert "No risk had been identified by 1 Jul 2015" in empty
        await pilot.press("m")
        await pilot.pause()
        title = str(app.screen.query_one("#matrix-title", Label).render())
        assert "no risk had been identified by 1 Jul 2015" in title


async def test_the_assessment_screens_count_only_the_rounds_dated_by_then(
    demo_path: Path,
) -> None:
    add_later_round(demo_path)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await look_back(app, pilot, "1 Mar 2016")
        await pilot.press("a")
        await pilot.pause()
        rounds = table_rows(app.screen.query_one("#rounds", DataTable))
        assert [row[0] for row in rounds] == ["Baseline, Feb 2016"]
        assert app.round_name == "Baseline, Feb 2016"
        await look_back(app, pilot, "1 Oct 2015")
        assert app.screen.query_one("#rounds", DataTable).row_count == 0
        hint = str(app.screen.query_one("#hint", Static).render())
        assert "No round was dated on or before 1 Oct 2015" in hint


async def test_a_risk_closed_later_is_open_then_and_changes_act_on_it_as_stored(
    demo_path: Path,
) -> None:
    from psr_tui.changes.risks import close_risk

    store = Store(demo_path)
    with store.transaction() as tx:
        found = tx.risk("R1")
        assert found is not None
        close_risk(tx, found.doc_id, found.model, date(2016, 2, 10), "Structure agreed")
    app = PsrApp(store, watch=False)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        assert _row(table, "R1").rstrip().endswith("closed")
        await look_back(app, pilot, "1 Feb 2016")
        assert _row(table, "R1").rstrip().endswith("open")
        # Closing it again is refused: the change reads the risk as it is today.
        table.move_cursor(row=0)
        await pilot.press("c")
        await pilot.pause()
        assert not isinstance(app.screen, TextInputDialog)
        assert any("R1 is already closed" in str(n.message) for n in app._notifications)
