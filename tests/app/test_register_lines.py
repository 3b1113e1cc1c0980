"""Each line of the register shows what is true now: after the as-at date moves, after the
matrix changes, and at 80x24, where an overdue risk is still marked and nothing is cut."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from textual.widgets import Input

from psr_tui.app import PsrApp
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.store import Store
from psr_tui.widgets.footer import KeysFooter
from psr_tui.widgets.header import PsrHeader
from psr_tui.widgets.risk_table import RiskTable
from tests.app.test_risk_views_agree import screen_rows
from tests.conftest import run_psr

# The demo's action dates, to the month as seed 001 gives them: R2 and R3 Feb 2016, R4
# Jun 2016, the others May 2016 (each due by the end of its month).
LATE_ON_1_JUNE = {"R1", "R2", "R3", "R5", "R6", "R7", "R8"}


def _marked(table: RiskTable) -> set[str]:
    return {ref for ref, marks in screen_rows(table) if "!" in marks}


async def _set_as_at(app: PsrApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("t")
    await pilot.pause()
    assert isinstance(app.screen, TextInputDialog)
    app.screen.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_moving_the_as_at_date_moves_the_overdue_marks(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        before = _marked(table)
        assert before < LATE_ON_1_JUNE  # 16 Feb 2016: fewer are late
        await _set_as_at(app, pilot, "2016-06-01")
        r1 = table.render_line(1).text
        assert r1.startswith(" R1") and "! May 2016" in r1  # its action date is marked
        assert _marked(table) == LATE_ON_1_JUNE  # and so are the refs of the late ones
        await _set_as_at(app, pilot, "2016-02-16")
        assert _marked(table) == before


async def test_a_band_renamed_by_another_session_renames_the_rows(
    demo_path: Path, tmp_path: Path
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        assert "1 Low" in table.render_line(1).text  # R1
        matrix = Store(demo_path).snapshot().matrix()
        assert matrix is not None
        renamed = matrix.model_dump(mode="json", include={"name", "likelihood", "impact"})
        renamed["scores"] = matrix.scores
        renamed["bands"] = [
            # As short as the old name: the columns keep their widths.
            {**band.model_dump(mode="json"), "name": "Min" if band.name == "Low" else band.name}
            for band in matrix.bands
        ]
        matrix_file = tmp_path / "renamed.json"
        matrix_file.write_text(json.dumps(renamed))
        result = run_psr("import", "matrix", matrix_file, "--db", demo_path)
        assert result.returncode == 0, result.stderr
        app.reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        lines = [table.render_line(y).text for y in range(1, table.row_count + 1)]
        assert "1 Min" in lines[0] and all("3 Min" in line for line in lines[1:])
        assert not any("1 Low" in line or "3 Low" in line for line in lines)


async def test_at_80_by_24_overdue_risks_are_marked_and_nothing_is_cut(
    demo_path: Path,
) -> None:
    with Store(demo_path).transaction() as tx:
        tx.set_meta(as_at=date(2016, 3, 1))  # R2 and R3, due February 2016, are late
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        # The action date is off to the right; the ref, which never scrolls, is marked.
        assert "Action date" not in table.render_line(0).text
        assert _marked(table) == {"R2", "R3"}
        header = app.screen.query_one(PsrHeader).render()
        assert "as at 1 Mar 2016 (pinned)" in str(header)
        assert str(header).endswith("tester")
        assert header.cell_length <= 78
        footer = app.screen.query_one(KeysFooter)
        for _ in range(100):  # the footer fits its keys once they are laid out
            if footer.fitted_width == 80 and footer.children[0].region.width:
                break
            await pilot.pause()
        shown = [key for key in footer.children if key.display]
        assert [k.key for k in shown][-2:] == ["question_mark", "ctrl+p"]
        right = max(key.region.right for key in shown if key.key != "ctrl+p")
        palette = next(key for key in shown if key.key == "ctrl+p")
        assert right <= palette.region.x  # every key shown is whole, none under the palette's
