"""The Risks section driven through the keyboard: register, matrix, forms, conflicts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from textual.widgets import Input, Label, Select, Static

from psr_tui.app import PsrApp
from psr_tui.dialogs.conflict import ConflictDialog
from psr_tui.dialogs.risk_forms import ReviewForm, RiskForm
from psr_tui.formatting import Month
from psr_tui.models import Risk, RiskMatrix
from psr_tui.screens.risk_detail import RiskDetailScreen
from psr_tui.screens.risk_matrix import RiskMatrixScreen
from psr_tui.screens.risks import RiskRegisterScreen
from psr_tui.store import Store
from psr_tui.widgets.risk_matrix import RiskMatrixGrid
from psr_tui.widgets.risk_table import RiskTable

SIZE = (120, 40)


def _refs(app: PsrApp) -> list[str]:
    return app.screen.query_one(RiskTable).refs


async def _settle(app: PsrApp, pilot) -> None:  # type: ignore[no-untyped-def]
    app.flush_writes()
    await pilot.pause()
    await pilot.pause()


async def test_register_filters_and_sorts(demo_path: Path) -> None:
    with Store(demo_path).transaction() as tx:
        tx.set_meta(as_at=date(2016, 3, 1))  # R2 and R3, due February 2016, are late
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RiskRegisterScreen)
        assert _refs(app) == [f"R{n}" for n in range(1, 9)]
        await pilot.press("slash", *"funding")
        await pilot.pause()
        assert _refs(app) == ["R3", "R8"]
        await pilot.press("escape")
        assert app.screen.query_one(RiskTable).has_focus
        await pilot.press("x", "O")
        assert _refs(app) == ["R2", "R3"]
        await pilot.press("x", "b", "b")  # Low, then Medium: none in the demo
        assert _refs(app) == []
        assert "x clears" in str(app.screen.query_one("#empty", Static).content)
        await pilot.press("x", "s")  # choose the column: Score is the sixth
        await pilot.pause()
        await pilot.press("j", "j", "j", "j", "j", "enter")
        await pilot.pause()
        refs = _refs(app)
        assert refs[0] == "R1"  # the only score-1 risk sorts first
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RiskDetailScreen)


async def test_matrix_cell_drill_down_and_inherent_toggle(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "m")
        await pilot.pause()
        assert isinstance(app.screen, RiskMatrixScreen)
        grid = app.screen.query_one(RiskMatrixGrid)
        assert grid.cell == ("Low", "Noticeable")
        assert grid.counts[("Low", "Significant")] == 7
        await pilot.press("l", "k", "j")
        assert grid.cell == ("Low", "Significant")
        await pilot.press("enter")
        await pilot.pause()
        assert _refs(app) == [f"R{n}" for n in range(2, 9)]
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RiskDetailScreen) and app.screen.ref == "R3"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("shift+tab")  # back to the grid
        app.screen.query_one(RiskMatrixGrid).focus()
        await pilot.press("i")
        await pilot.pause()
        assert sum(app.screen.query_one(RiskMatrixGrid).counts.values()) == 0


async def test_add_validates_on_the_field_then_saves(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RiskForm)
        await pilot.press(*"R1")
        form.query_one("#action_date", Input).value = "soon"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, RiskForm)
        assert "already in the register" in str(form.query_one("#err-ref").content)
        assert "This is needed" in str(form.query_one("#err-description").content)
        assert "'soon' is not a date" in str(form.query_one("#err-action_date").content)
        form.query_one("#ref", Input).value = "R9"
        form.query_one("#description", Input).value = "Estates not ready"
        form.query_one("#action_date", Input).value = "May 2016"
        form.query_one("#likelihood", Select).value = "High"
        form.query_one("#impact", Select).value = "Critical"
        await pilot.pause()
        assert "Score 9" in str(form.query_one("#score").content)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert isinstance(app.screen, RiskRegisterScreen)
        risk = Store(demo_path).snapshot().risk("R9").model
        assert (risk.likelihood, risk.impact) == ("High", "Critical")
        assert risk.action_date == Month(2016, 5)
        assert "R9" in _refs(app)


async def test_edit_review_and_close(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        await pilot.pause()
        app.screen.query_one("#owner", Input).value = "Head of Estates"
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert Store(demo_path).snapshot().risk("R1").model.owner == "Head of Estates"

        await pilot.press("j", "j", "R")  # R3
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ReviewForm)
        form.query_one("#likelihood", Select).value = "High"
        form.query_one("#impact", Select).value = "Critical"
        await pilot.press("tab", "tab", "tab", *"worse")  # past date, likelihood, impact to note
        await pilot.pause()
        assert "next review 16 Mar 2016" in str(form.query_one("#score").content)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        r3 = Store(demo_path).snapshot().risk("R3").model
        assert (r3.likelihood, r3.impact) == ("High", "Critical")
        assert [r.score for r in r3.reviews] == [5, 3, 9]
        assert (r3.reviews[-1].note, r3.reviews[-1].by) == ("worse", "tester")

        await pilot.press("enter")
        await pilot.pause()
        text = str(app.screen.query_one("#fields", Static).content)
        assert "Next review: 16 Mar 2016" in text
        assert "+6 (worse)" in text
        await pilot.press("c", "tab", *"Funding agreed", "enter")
        await _settle(app, pilot)
        r3 = Store(demo_path).snapshot().risk("R3").model
        assert r3.status == "closed" and len(r3.reviews) == 4
        assert r3.reviews[-1].note == "Closed: Funding agreed"


def _other_session_edits(path: Path, ref: str, **changes: object) -> None:
    other = Store(path, user="vwillett")
    with other.transaction() as tx:
        record = tx.risk(ref)
        assert record is not None
        tx.update("risks", record.doc_id, record.model.model_copy(update=changes))


async def test_a_clash_names_the_field_and_overwrite_keeps_their_other_changes(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        await pilot.pause()
        app.screen.query_one("#description", Input).value = "Mine"
        _other_session_edits(demo_path, "R1", description="Theirs", category="Estates")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert "vwillett" in str(dialog.query_one("#changed-by", Label).content)
        clashes = [str(label.content) for label in dialog.query(".clash").results(Label)]
        assert clashes == ["Description: theirs Theirs, yours Mine"]
        await pilot.press("o")
        await _settle(app, pilot)
        r1 = Store(demo_path).snapshot().risk("R1").model
        assert (r1.description, r1.category) == ("Mine", "Estates")


async def test_edits_of_different_fields_in_two_sessions_both_stay(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        await pilot.pause()
        app.screen.query_one("#description", Input).value = "Mine"
        _other_session_edits(demo_path, "R1", owner="Theirs")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert isinstance(app.screen, RiskRegisterScreen)  # no conflict to resolve
        r1 = Store(demo_path).snapshot().risk("R1").model
        assert (r1.description, r1.owner) == ("Mine", "Theirs")


async def test_conflict_reload_keeps_theirs_and_shows_it(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "e")
        await pilot.pause()
        app.screen.query_one("#description", Input).value = "Mine"
        _other_session_edits(demo_path, "R1", description="Theirs")
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await _settle(app, pilot)
        assert Store(demo_path).snapshot().risk("R1").model.description == "Theirs"
        assert isinstance(app.screen, RiskRegisterScreen)
        cell = app.screen.query_one(RiskTable).get_row("R1")[1]
        assert cell.plain == "Theirs"


async def test_other_sessions_changes_appear_keeping_cursor_and_filter(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "slash", *"programme", "enter", "j", "j")
        table = app.screen.query_one(RiskTable)
        ref = table.current_ref
        assert ref is not None and table.cursor_row == 2
        _other_session_edits(demo_path, ref, description="Programme changed elsewhere")
        app.reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.get_row(ref)[1].plain == "Programme changed elsewhere"
        assert table.current_ref == ref
        assert app.screen.query_one("#filter", Input).value == "programme"


async def test_five_by_five_matrix_from_a_file(tmp_path: Path) -> None:
    matrix = RiskMatrix(
        name="Five by five",
        likelihood=["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
        impact=["Minor", "Moderate", "Significant", "Major", "Severe"],
        scores=[[r * c for c in range(1, 6)] for r in range(1, 6)],
        bands=[
            {"name": "Low", "max": 4, "colour": "green"},
            {"name": "Medium", "max": 12, "colour": "amber"},
            {"name": "High", "max": 25, "colour": "red", "review_months": 1},
        ],
    )
    path = tmp_path / "five.json"
    store = Store(path)
    store.create("Five")
    matrix_file = tmp_path / "matrix.json"
    matrix_file.write_text(json.dumps(matrix.model_dump(mode="json")))
    from psr_tui.changes.imports import import_matrix

    import_matrix(store, matrix_file)
    with store.transaction() as tx:
        tx.insert(
            "risks",
            Risk(ref="F1", description="Flood", likelihood="Almost certain", impact="Severe"),
        )
    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "m")
        await pilot.pause()
        grid = app.screen.query_one(RiskMatrixGrid)
        assert len(grid.counts) == 25
        text = str(grid.render())
        assert "Almost certain" in text and "Severe" in text and "25" in text
        await pilot.press(*"kkkk", *"llll", "enter")
        await pilot.pause()
        assert grid.cell == ("Almost certain", "Severe")
        assert _refs(app) == ["F1"]


async def test_markup_in_user_text_is_shown_literally(demo_path: Path) -> None:
    texts = ["[red]x[/red]", "a [/] b", "[@click=app.quit]y[/]"]
    with Store(demo_path).transaction() as tx:
        for n, text in enumerate(texts, start=9):
            tx.insert(
                "risks",
                Risk(
                    ref=f"R{n}", description=text, owner=text, likelihood="Low", impact="Noticeable"
                ),
            )
        tx.insert(
            "risks", Risk(ref="[b]R12[/]", description="d", likelihood="Low", impact="Noticeable")
        )
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        assert [table.get_row(f"R{n}")[1].plain for n in (9, 10, 11)] == texts
        await pilot.press("G")  # not bound: nothing happens
        table.move_cursor(row=table.get_row_index("R11"))
        await pilot.press("enter")
        await pilot.pause()
        assert texts[2] in str(app.screen.query_one("#fields", Static).content)
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        table.move_cursor(row=table.get_row_index("[b]R12[/]"))
        await pilot.press("c", "tab", *"[/] done", "enter")
        await _settle(app, pilot)
        assert app.is_running
        assert any("Closed [b]R12[/]" in str(n.message) for n in app._notifications)
        await pilot.press("o")
        await pilot.pause()
        assert app.is_running


async def test_inherent_view_without_ratings_says_why_it_is_empty(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "m")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        title = str(app.screen.query_one("#matrix-title", Static).render())
        assert "inherent (before controls), 0 of 8 open risks rated" in title
        cell = str(app.screen.query_one("#cell-title", Static).render())
        assert "No risk has an inherent rating (before controls) yet" in cell
        assert "e" in cell and "inherent likelihood and impact" in cell
        assert not app.screen.query_one(RiskTable).display

        _other_session_edits(
            demo_path, "R4", inherent_likelihood="High", inherent_impact="Critical"
        )
        app.reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = str(app.screen.query_one("#matrix-title", Static).render())
        assert "1 of 8 open risks rated" in title
        assert app.screen.query_one(RiskMatrixGrid).counts[("High", "Critical")] == 1
        assert "No risk has" not in str(app.screen.query_one("#cell-title", Static).render())
