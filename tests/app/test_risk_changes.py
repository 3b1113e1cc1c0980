"""Closing a risk with a date and a reason, deleting a review made by mistake, and two
officers reviewing the same risk: through the keys, checked in the file and its audit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Button, DataTable, Input

from psr_tui import analysis
from psr_tui.app import PsrApp
from psr_tui.dialogs.conflict import ConflictDialog
from psr_tui.screens.risk_detail import RiskDetailScreen
from psr_tui.screens.risks import RiskRegisterScreen
from psr_tui.store import Store
from psr_tui.widgets.risk_table import RiskTable
from tests.app.helpers import settle

SIZE = (120, 40)


async def _open_detail(pilot, ref: str) -> RiskDetailScreen:  # type: ignore[no-untyped-def]
    await pilot.press("r")
    await pilot.pause()
    table = pilot.app.screen.query_one(RiskTable)
    table.move_cursor(row=table.get_row_index(ref))
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RiskDetailScreen) and screen.ref == ref
    return screen


async def test_close_asks_date_and_reason_and_enter_confirms(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "j", "j", "c")  # R3
        await pilot.pause()
        form = app.screen
        buttons = [str(b.label) for b in form.query(Button).results(Button)]
        assert buttons == ["Close risk (enter)", "Cancel (escape)"]
        date_field = form.query_one("#closure_date", Input)
        assert (
            date_field.has_focus and date_field.value == "16 Feb 2016"
        )  # the as-at date, as dates are shown
        await pilot.press("enter")  # to the reason
        await pilot.pause()
        assert form.query_one("#reason", Input).has_focus
        await pilot.press("enter")  # no reason yet: asked for, not closed
        await pilot.pause()
        assert app.screen is form
        assert "Say why R3 is closed" in str(form.query_one("#err-reason").content)
        await pilot.press("shift+tab", "ctrl+a", "ctrl+k", *"29/02/2016", "tab", *"Funding agreed")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RiskRegisterScreen)
    r3 = Store(demo_path).snapshot().risk("R3")
    assert r3 is not None
    assert r3.model.status == "closed"
    closure = r3.model.reviews[-1]
    assert (closure.date, closure.note, closure.by) == (
        date(2016, 2, 29),
        "Closed: Funding agreed",
        "tester",
    )
    entry = Store(demo_path).history()[-1]
    assert (entry.action, entry.record, entry.after) == (
        "close",
        "R3",
        "closed 29 Feb 2016: Funding agreed",
    )


async def test_a_review_made_by_mistake_can_be_deleted_and_is_audited(demo_path: Path) -> None:
    before = Store(demo_path).snapshot().risk("R3")
    assert before is not None and len(before.model.reviews) == 2
    latest = max(before.model.reviews, key=lambda r: r.date)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_detail(pilot, "R3")
        await pilot.press("tab")
        assert screen.query_one("#history", DataTable).has_focus
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert screen.query_one("#history", DataTable).row_count == 1
    after = Store(demo_path).snapshot().risk("R3")
    assert after is not None
    assert latest not in after.model.reviews and len(after.model.reviews) == 1
    assert after.model.likelihood == before.model.likelihood
    entry = Store(demo_path).history()[-1]
    assert (entry.action, entry.record, entry.user) == ("delete review", "R3", "tester")
    assert entry.before.startswith(f"{latest.date.day} {latest.date:%b %Y}")


async def test_two_officers_reviewing_one_risk_keep_both_reviews(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "j", "j", "R")  # this session reviews R3...
        await pilot.pause()
        # ...while vwillett records a review of R3 that keeps its likelihood and impact.
        other = Store(demo_path, user="vwillett")
        read = other.snapshot().risk("R3")
        assert read is not None
        with other.transaction() as tx:
            matrix = tx.matrix()
            assert matrix is not None
            reviewed = analysis.with_review(
                matrix,
                read.model,
                date(2016, 2, 10),
                read.model.likelihood,
                read.model.impact,
                "theirs",
                "vwillett",
            )
            tx.update("risks", read.doc_id, reviewed)
        await pilot.press("tab", "tab", "tab", *"mine", "ctrl+s")  # date, likelihood, impact, note
        await settle(app, pilot)
        assert not isinstance(app.screen, ConflictDialog)
    r3 = Store(demo_path).snapshot().risk("R3")
    assert r3 is not None
    assert [(r.note, r.by) for r in r3.model.reviews[-2:]] == [
        ("theirs", "vwillett"),
        ("mine", "tester"),
    ]


async def test_register_reimport_in_the_tui_asks_before_overwriting(
    demo_path: Path, tmp_path: Path
) -> None:
    from psr_tui.dialogs.confirm import ConfirmDialog
    from psr_tui.exports.register_io import export_register

    export = tmp_path / "register.csv"
    export_register(Store(demo_path).snapshot(), export)
    with Store(demo_path, user="alice").transaction() as tx:
        r3 = tx.risk("R3")
        assert r3 is not None
        tx.update("risks", r3.doc_id, r3.model.model_copy(update={"owner": "Alice"}))
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("r", "I")
        await pilot.pause()
        app.screen.query_one(Input).value = str(export)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "R3 was changed by alice" in dialog.question
        assert "Owner theirs Alice, file Programme Manager" in dialog.question
        await pilot.press("n")  # leave it: nothing imported
        await settle(app, pilot)
        assert Store(demo_path).snapshot().risk("R3").model.owner == "Alice"  # type: ignore[union-attr]
        await pilot.press("I")
        await pilot.pause()
        app.screen.query_one(Input).value = str(export)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        messages = [str(n.message) for n in app._notifications]
        assert "Imported 8 risks (0 new, 1 updated, 7 unchanged)" in messages
    assert Store(demo_path).snapshot().risk("R3").model.owner == "Programme Manager"  # type: ignore[union-attr]
