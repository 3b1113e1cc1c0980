"""Two officers changing one theme or phase at once, through the keys of one and the named
changes of the other (as another psr session would): each keeps the other's edit, a rename
carries every activity, and a delete does what the user was told or asks again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.pilot import Pilot

from psr_tui.app import PsrApp
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.conflict import ConflictDialog
from psr_tui.dialogs.programme_forms import EditDialog
from psr_tui.models import Activity, Phase, Theme, Workstream
from psr_tui.screens.programme import ProgrammeScreen
from psr_tui.store import Store
from tests.app.helpers import settle
from tests.app.test_programme import open_programme

THEME = "Building Community Capacity"
SIZE = (120, 40)


def other_session(path: Path) -> Store:
    return Store(path, user="vwillett")


def theme(path: Path, name: str = THEME) -> Theme | None:
    return next((t.model for t in Store(path).snapshot().themes() if t.model.name == name), None)


def workstream(path: Path, name: str) -> Workstream:
    found = theme(path)
    assert found is not None
    return next(w for w in found.workstreams if w.name == name)


def activities(path: Path) -> list[Activity]:
    return [a.model for a in Store(path).snapshot().activities()]


async def fill(pilot: Pilot[None], text: str) -> None:
    await pilot.press("end", "ctrl+u", *text)


async def open_workstream_form(pilot: Pilot[None], index: int) -> None:
    """Tree view, first theme open, its workstreams open, the workstream at `index`, e."""
    await open_programme(pilot)
    await pilot.press("T", "enter", "j", "enter", *["j"] * (index + 1), "e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EditDialog)
    await pilot.press("tab")  # name -> lead


def their_theme_change(path: Path, change: Callable[[Theme], Theme]) -> None:
    """Another session saves its change to the theme."""
    with other_session(path).transaction() as tx:
        record = next(t for t in tx.themes() if t.model.name == THEME)
        tx.update("themes", record.doc_id, change(record.model))


def their_workstream_edit(path: Path, name: str, values: dict[str, object]) -> None:
    def change(theme: Theme) -> Theme:
        items = [w.model_copy(update=values) if w.name == name else w for w in theme.workstreams]
        return theme.model_copy(update={"workstreams": items})

    their_theme_change(path, change)


def their_new_activity(path: Path, phase: str = "Phase 1") -> None:
    with other_session(path).transaction() as tx:
        tx.insert("activities", Activity(title="Their new activity", theme=THEME, phase=phase))


async def test_two_officers_edit_different_workstreams_of_one_theme(demo_path: Path) -> None:
    # The old code saved the whole theme at the rev it read: the second save was refused.
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_workstream_form(pilot, 0)  # Community Engagement
        await fill(pilot, "Ann")
        their_workstream_edit(demo_path, "Community Capacity", {"lead": "Bob"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ProgrammeScreen)
    assert workstream(demo_path, "Community Engagement").lead == "Ann"
    assert workstream(demo_path, "Community Capacity").lead == "Bob"


async def test_an_edit_finds_its_workstream_after_another_session_deleted_one_above(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_workstream_form(pilot, 2)  # Community Befriending, third
        await fill(pilot, "Ann")
        their_theme_change(
            demo_path, lambda t: t.model_copy(update={"workstreams": t.workstreams[1:]})
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    found = theme(demo_path)
    assert found is not None
    assert [(w.name, w.lead) for w in found.workstreams] == [
        ("Community Capacity", ""),
        ("Community Befriending", "Ann"),
        ("Community Coproduction", ""),
    ]


async def test_the_same_workstream_field_changed_by_both_shows_both_values(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_workstream_form(pilot, 0)
        await fill(pilot, "Ann")
        await pilot.press("tab", "space")  # and funded off, which they left alone
        their_workstream_edit(demo_path, "Community Engagement", {"lead": "Bob"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        [clash] = app.screen.error.clashes
        assert clash.path == ("workstreams", "Community Engagement", "lead")
        assert (clash.base, clash.theirs, clash.mine) == ("", "Bob", "Ann")
        await pilot.press("o")
        await settle(app, pilot)
    mine = workstream(demo_path, "Community Engagement")
    assert (mine.lead, mine.funded) == ("Ann", False)


async def test_renaming_a_theme_carries_every_activity_and_keeps_their_lead(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_programme(pilot)
        await pilot.press("T", "e")
        await pilot.pause()
        await fill(pilot, "Community Capacity Building")
        # Meanwhile: a new lead, and a new activity in the theme under its old name.
        their_theme_change(demo_path, lambda t: t.model_copy(update={"lead": "Bob"}))
        their_new_activity(demo_path)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ProgrammeScreen)
    renamed = theme(demo_path, "Community Capacity Building")
    assert renamed is not None and renamed.lead == "Bob" and theme(demo_path) is None
    names = [a.theme for a in activities(demo_path)]
    assert THEME not in names and names.count("Community Capacity Building") == 8


async def test_renaming_a_phase_keeps_their_new_dates_and_carries_their_activity(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_programme(pilot)
        await pilot.press("G", "j", "e")  # Phase 1
        await pilot.pause()
        await fill(pilot, "Phase One")
        with other_session(demo_path).transaction() as tx:
            record = next(p for p in tx.phases() if p.model.name == "Phase 1")
            later = record.model.model_copy(update={"end": date(2016, 6, 15)})
            tx.update("phases", record.doc_id, later)
        their_new_activity(demo_path)
        await pilot.press("enter")
        await settle(app, pilot)
    phases = {p.model.name: p.model for p in Store(demo_path).snapshot().phases()}
    assert "Phase 1" not in phases and phases["Phase One"].end == date(2016, 6, 15)
    in_phase = [a.title for a in activities(demo_path) if a.phase == "Phase One"]
    assert len(in_phase) == 19 and "Their new activity" in in_phase


async def test_deleting_a_theme_says_what_goes_with_it_and_asks_again_if_that_changed(
    demo_path: Path,
) -> None:
    # The old code deleted the 7 activities it had counted and left the 8th naming a theme
    # that no longer existed.
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_programme(pilot)
        await pilot.press("T", "x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Its 7 activities are deleted with it" in app.screen.question
        their_new_activity(demo_path)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        assert "vwillett" in str(app.screen.error)
        await pilot.press("r")  # look again
        await settle(app, pilot)
        await settle(app, pilot)
        assert theme(demo_path) is not None and len(activities(demo_path)) == 59
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Its 8 activities are deleted with it" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
    assert theme(demo_path) is None
    assert THEME not in {a.theme for a in activities(demo_path)}
    assert len(activities(demo_path)) == 51


async def test_a_phase_given_an_activity_meanwhile_is_not_deleted(demo_path: Path) -> None:
    with Store(demo_path).transaction() as tx:
        tx.insert("phases", Phase(name="Phase 4", start=date(2017, 12, 1), end=date(2018, 2, 28)))
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_programme(pilot)
        await pilot.press("G", *["j"] * 5, "x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Phase 4" in app.screen.question
        their_new_activity(demo_path, "Phase 4")
        await pilot.press("y")
        await settle(app, pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("Phase 4 has 1 activity" in m for m in messages)
    assert "Phase 4" in {p.model.name for p in Store(demo_path).snapshot().phases()}
