"""Editing the programme through the keys: phases, activities, themes and their lists,
with the refusals, warnings and conflicts a user meets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Label

from psr_tui.app import PsrApp
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.conflict import ConflictDialog
from psr_tui.dialogs.programme_forms import EditDialog
from psr_tui.models import Activity, ActivityStatus, Phase
from psr_tui.screens.programme import ProgrammeScreen
from psr_tui.store import Store
from psr_tui.widgets.phase_board import PhaseBoard
from tests.app.helpers import fill
from tests.app.test_programme import open_programme, settle, stored

SPEC = "Specification developed and contract awarded"


def form_error(app: PsrApp) -> str:
    assert isinstance(app.screen, EditDialog)
    return str(app.screen.query_one("#error", Label).render())


def phase(path: Path, name: str) -> Phase | None:
    return next((r.model for r in Store(path).snapshot().phases() if r.model.name == name), None)


def activities(path: Path) -> list[Activity]:
    return [r.model for r in Store(path).snapshot().activities()]


async def test_phase_ending_before_it_starts_is_refused(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_programme(pilot)
        await pilot.press("G", "j", "e")  # progress view, Phase 1, edit
        await pilot.pause()
        await pilot.press("tab", "tab")
        await fill(pilot, "2016-02-01")
        await pilot.press("enter")
        await pilot.pause()
        assert "before it starts" in form_error(app)
        assert "01 Feb 2016" in form_error(app)
        await pilot.press("escape")
        await settle(app, pilot)
    found = phase(demo_path, "Phase 1")
    assert found is not None and found.end == date(2016, 5, 31) and found.rev == 1


async def test_renaming_a_phase_carries_its_activities(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_programme(pilot)
        await pilot.press("G", "j", "e")
        await pilot.pause()
        await fill(pilot, "Phase One")
        await pilot.press("enter")
        await settle(app, pilot)
        board = app.screen.query_one(PhaseBoard)
        assert [name for name, _ in board.columns][1] == "Phase One"
    assert phase(demo_path, "Phase 1") is None and phase(demo_path, "Phase One") is not None
    phases = [a.phase for a in activities(demo_path)]
    assert phases.count("Phase One") == 18 and "Phase 1" not in phases


async def test_due_outside_its_phase_is_saved_with_a_warning(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        await pilot.press("enter")  # open the activity under the cursor
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        await pilot.press("tab", "tab", "tab", "tab")  # title, theme, phase, lead -> due
        await fill(pilot, "15/07/2016")
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, EditDialog)
        detail = str(screen.query_one("#detail").render())
        assert "due 15 Jul 2016 is outside Phase 1 (1 Mar–31 May 2016)" in detail
        board = screen.query_one(PhaseBoard)
        assert board.current is not None and board.current.doc_id in board.flagged
        messages = [str(n.message) for n in app._notifications]
        assert any("outside Phase 1" in m for m in messages)
    assert stored(demo_path, SPEC).due == date(2016, 7, 15)


async def test_bad_due_date_is_refused_in_the_form(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_programme(pilot)
        await pilot.press("e", "tab", "tab", "tab", "tab")
        await fill(pilot, "31 Smarch")
        await pilot.press("enter")
        await pilot.pause()
        assert "Due" in form_error(app) and "is not a date" in form_error(app)
        await pilot.press("escape")
    assert stored(demo_path, SPEC).due == date(2016, 3, 31)


async def test_unknown_phase_is_refused_and_the_form_kept(demo_path: Path) -> None:
    with Store(demo_path).transaction() as tx:
        tx.insert("phases", Phase(name="Phase 4", start=date(2017, 12, 1), end=date(2018, 2, 28)))
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        board = screen.query_one(PhaseBoard)
        await pilot.press("l", "l", "l", "l")
        assert board.current_cell == ("Building Community Capacity", "Phase 4")
        await pilot.press("n")
        await pilot.pause()
        # Meanwhile another session renames the (empty) phase.
        with Store(demo_path, user="vwillett").transaction() as tx:
            record = next(r for r in tx.phases() if r.model.name == "Phase 4")
            tx.update("phases", record.doc_id, record.model.model_copy(update={"name": "Later"}))
        await fill(pilot, "Plan the next phase")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.pause()
        assert "unknown phase 'Phase 4'" in form_error(app)
        assert app.screen.query_one("#title").value == "Plan the next phase"  # type: ignore[attr-defined]
    assert "Plan the next phase" not in [a.title for a in activities(demo_path)]


async def test_a_new_activity_has_the_cursor_so_the_keys_act_on_it(demo_path: Path) -> None:
    # Issue 14 item 8: the cursor stayed on the first activity, so x deleted that one.
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        await pilot.press("n")
        await pilot.pause()
        await fill(pilot, "Hold a launch event [b]")
        await pilot.press("enter")
        await settle(app, pilot)
        added = stored(demo_path, "Hold a launch event [b]")
        assert (added.theme, added.phase) == ("Building Community Capacity", "Phase 1")
        board = screen.query_one(PhaseBoard)
        assert board.current is not None and board.current.model.title == added.title
        await pilot.press("5")  # blocked: the new one, not the first of the cell
        await settle(app, pilot)
        assert stored(demo_path, added.title).status == ActivityStatus.BLOCKED
        assert stored(demo_path, SPEC).status == ActivityStatus.IN_PROGRESS
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert added.title in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
    titles = [a.title for a in activities(demo_path)]
    assert SPEC in titles and added.title not in titles
    assert len(titles) == 58


async def test_status_and_another_sessions_note_are_both_kept(demo_path: Path) -> None:
    # Another field changed meanwhile is no conflict: the old code refused the status.
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        with Store(demo_path, user="vwillett").transaction() as tx:
            record = next(r for r in tx.activities() if r.model.title == SPEC)
            tx.update(
                "activities", record.doc_id, record.model.model_copy(update={"note": "Theirs"})
            )
        await pilot.press("3")
        await settle(app, pilot)
        assert isinstance(app.screen, ProgrammeScreen)
        board = screen.query_one(PhaseBoard)
        assert board.current is not None and board.current.model.note == "Theirs"
    after = stored(demo_path, SPEC)
    assert after.status == ActivityStatus.COMPLETE and after.note == "Theirs"


async def _status_clash(demo_path: Path, pilot: Pilot[None], app: PsrApp) -> ConflictDialog:
    await open_programme(pilot)
    with Store(demo_path, user="vwillett").transaction() as tx:
        record = next(r for r in tx.activities() if r.model.title == SPEC)
        theirs = {"status": ActivityStatus.SLIPPED, "note": "Theirs"}
        tx.update("activities", record.doc_id, record.model.model_copy(update=theirs))
    await pilot.press("3")
    await settle(app, pilot)
    assert isinstance(app.screen, ConflictDialog)
    assert app.screen.error.by == "vwillett"
    [clash] = app.screen.error.clashes
    assert (clash.path, clash.theirs, clash.mine) == (
        ("status",),
        ActivityStatus.SLIPPED,
        ActivityStatus.COMPLETE,
    )
    return app.screen


async def test_the_same_field_changed_by_both_asks_and_overwrite_keeps_theirs_elsewhere(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _status_clash(demo_path, pilot, app)
        await pilot.press("o")
        await settle(app, pilot)
    after = stored(demo_path, SPEC)
    assert after.status == ActivityStatus.COMPLETE and after.note == "Theirs"


async def test_the_same_field_changed_by_both_reload_keeps_theirs(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _status_clash(demo_path, pilot, app)
        await pilot.press("r")
        await settle(app, pilot)
        await settle(app, pilot)
        board = app.screen.query_one(PhaseBoard)
        assert board.current is not None and board.current.model.status == ActivityStatus.SLIPPED
    assert stored(demo_path, SPEC).status == ActivityStatus.SLIPPED


async def test_tree_edits_theme_and_workstream(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_programme(pilot)
        await pilot.press("T", "e")  # the first theme
        await pilot.pause()
        await fill(pilot, "Community Capacity")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter", "j", "enter", "j", "e")  # open, workstreams, the first
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        await pilot.press("tab", "tab", "space", "ctrl+s")  # funded off
        await settle(app, pilot)
        await pilot.press("j", "x")  # delete the second workstream
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
    snap = Store(demo_path).snapshot()
    theme = next(t.model for t in snap.themes() if t.model.name == "Community Capacity")
    assert [w.name for w in theme.workstreams][:2] == [
        "Community Engagement",
        "Community Befriending",
    ]
    assert theme.workstreams[0].funded is False
    assert "Building Community Capacity" not in {a.model.theme for a in snap.activities()}
    assert sum(a.model.theme == "Community Capacity" for a in snap.activities()) == 7


async def test_tree_adds_an_objective_and_sets_a_deliverable_status(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_programme(pilot)
        await pilot.press("T", "enter", "j", "j", "n")  # theme, its objectives, new
        await pilot.pause()
        await fill(pilot, "To test a community hub")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("j", "enter", "j", "3")  # deliverables, the first: complete
        await settle(app, pilot)
    theme = Store(demo_path).snapshot().themes()[0].model
    assert theme.objectives[-1] == "To test a community hub"
    assert theme.deliverables[0].status == ActivityStatus.COMPLETE
