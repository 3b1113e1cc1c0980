"""The scoring grid's keys: the digits are one "1-9 Score" in the keys list; the cursor goes
to the first unscored domain after n/p, to the first and last rows on home/g and end/G."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from psr_tui.app import PsrApp
from psr_tui.screens.keys import KeysScreen
from psr_tui.store import Store
from psr_tui.widgets.score_grid import ScoreGrid
from tests.app.helpers import table_rows
from tests.app.test_scoring import ROUND, open_scoring


def _unscore(path: Path, name: str, *keys: str) -> None:
    with Store(path).transaction() as tx:
        record = next(r for r in tx.responses(ROUND) if r.model.name == name)
        scores = {k: v for k, v in record.model.scores.items() if k not in keys}
        tx.update("responses", record.doc_id, record.model.model_copy(update={"scores": scores}))


async def test_next_and_previous_start_on_the_first_unscored_domain(demo_path: Path) -> None:
    # Group Manager (2nd) lacks Culture and Workforce; the last respondent lacks Leadership.
    _unscore(demo_path, "Group Manager", "culture", "workforce")
    _unscore(demo_path, "Community Services Manager", "leadership")
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scoring(pilot)
        grid = screen.query_one(ScoreGrid)
        await pilot.press("j", "j", "j", "j", "j")
        assert grid.cursor_row == 5
        await pilot.press("n")
        assert screen.sheet.response.name == "Group Manager"
        assert grid.cursor_row == 2  # Culture
        await pilot.press("3")  # scores Culture, moves on; Workforce is now the first gap
        await pilot.press("n")  # Locality Director: every domain scored -> the first one
        assert screen.sheet.response.name == "Locality Director"
        assert grid.cursor_row == 0
        assert grid.cursor_col == screen.sheet.response.scores["leadership"] - 1
        await pilot.press("p")
        assert screen.sheet.response.name == "Group Manager"
        assert grid.cursor_row == 6  # Workforce
        await pilot.press("p", "p")  # Chief Executive, then round to the last respondent
        assert screen.sheet.response.name == "Community Services Manager"
        assert grid.cursor_row == 0


async def test_home_g_end_and_shift_g_go_to_the_first_and_last_rows(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scoring(pilot)
        grid = screen.query_one(ScoreGrid)
        last = len(screen.framework.domains) - 1
        await pilot.press("j", "j", "l")
        column = grid.cursor_col
        await pilot.press("end")
        assert (grid.cursor_row, grid.cursor_col) == (last, column)
        await pilot.press("home")
        assert (grid.cursor_row, grid.cursor_col) == (0, column)
        await pilot.press("G")
        assert grid.cursor_row == last
        assert screen.framework.domains[last].name in str(screen.query_one("#question").render())
        await pilot.press("g")
        assert grid.cursor_row == 0


async def test_the_keys_list_shows_the_digits_as_one_key(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scoring(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        table = app.screen.query_one("#here", DataTable)
        rows = table_rows(table)
        scores = [row for row in rows if row[1] == "Score"]
        assert [row[0] for row in scores] == ["1-9"]
        assert not [row for row in rows if row[0] in list("23456789")]
