"""The Assessment screen driven by keys: rounds, respondents, CSV in and out."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from psr_tui.app import PsrApp
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.round_forms import RespondentDialog, RoundDialog
from psr_tui.formatting import Month
from psr_tui.models import Response, RoundStatus
from psr_tui.screens.assessment import AssessmentScreen
from psr_tui.screens.assessment_charts import AssessmentChartsScreen
from psr_tui.screens.scoring import ScoringScreen
from psr_tui.screens.summary import SummaryScreen
from psr_tui.screens.trends import TrendsScreen
from psr_tui.store import Store
from psr_tui.widgets.nav_table import NavTable
from tests.app.helpers import fill, settle, table_rows

ROUND = "Baseline, Feb 2016"


async def assessment(pilot: Pilot[None]) -> AssessmentScreen:
    await pilot.press("a")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AssessmentScreen)
    return screen


def cells(screen: AssessmentScreen, table_id: str) -> list[str]:
    return [cell for row in table_rows(screen.query_one(table_id, NavTable)) for cell in row]


def notes(app: PsrApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_create_a_round_and_add_a_respondent_by_keys(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await assessment(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RoundDialog)
        await pilot.press(*"Review [x]", "tab", "ctrl+u", *"Aug 2016", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AssessmentScreen)
        assert "Review [x]" in cells(screen, "#rounds")
        assert "Aug 2016" in cells(screen, "#rounds")  # typed to the month, shown so

        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, RespondentDialog)
        await pilot.press(*"Jo Bloggs", "tab", *"Chorley Council", "enter")
        await settle(app, pilot)
        assert "Jo Bloggs" in cells(screen, "#respondents")
        assert "0/8" in cells(screen, "#respondents")

        # The same person twice is refused with a message in the form.
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*"jo bloggs", "tab", *"chorley council", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RespondentDialog)
        assert "already in this round" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")

    snap = Store(demo_path).snapshot()
    record = snap.round("Review [x]")
    assert record is not None
    assert record.model.date == Month(2016, 8)
    assert record.model.framework == "AQuA System Integration"
    [jo] = [r.model for r in snap.responses("Review [x]")]
    assert (jo.name, jo.organisation, jo.group, jo.scores) == (
        "Jo Bloggs",
        "Chorley Council",
        "Executive",
        {},
    )


async def test_a_bad_date_or_a_taken_name_keeps_the_form_open(demo_path: Path) -> None:
    before = demo_path.read_bytes()
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await assessment(pilot)
        await pilot.press("n", *"Later", "tab", "ctrl+u", *"31/02/2016", "enter")
        await pilot.pause()
        assert "not a date" in str(app.screen.query_one("#error").render())
        await pilot.press("shift+tab", "ctrl+u", *ROUND.lower(), "enter")
        await pilot.pause()
        assert "already a round" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        await settle(app, pilot)
    assert demo_path.read_bytes() == before


async def test_new_round_from_an_earlier_one_carries_respondents_not_scores(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await assessment(pilot)
        await pilot.press("N", *"Review, Aug 2016", "enter")
        await settle(app, pilot)
        assert "Review, Aug 2016" in cells(screen, "#rounds")
    snap = Store(demo_path).snapshot()
    old = sorted((r.model.name, r.model.organisation, r.model.group) for r in snap.responses(ROUND))
    new = snap.responses("Review, Aug 2016")
    assert sorted((r.model.name, r.model.organisation, r.model.group) for r in new) == old
    assert all(r.model.scores == {} and r.model.comments == {} for r in new)


async def test_close_reopen_and_delete_a_round(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await assessment(pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert Store(demo_path).snapshot().round(ROUND).model.status == RoundStatus.CLOSED  # type: ignore[union-attr]
        assert "closed" in cells(screen, "#rounds")
        await pilot.press("plus")  # a closed round takes no new respondents
        await pilot.pause()
        assert isinstance(app.screen, AssessmentScreen)
        assert "reopen it with x" in notes(app)
        await pilot.press("x")
        await settle(app, pilot)
        assert Store(demo_path).snapshot().round(ROUND).model.status == RoundStatus.OPEN  # type: ignore[union-attr]

        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "10 responses" in app.screen.question
        await pilot.press("n")  # declined: nothing changes
        await settle(app, pilot)
        assert Store(demo_path).snapshot().round(ROUND) is not None
        await pilot.press("D", "y")
        await settle(app, pilot)
        assert "No rounds yet" in str(screen.query_one("#hint").render())
    snap = Store(demo_path).snapshot()
    assert snap.round(ROUND) is None
    assert snap.responses() == []


async def test_delete_round_deletes_what_the_dialog_said_or_nothing(demo_path: Path) -> None:
    """Issue 12 item 2: the dialog counted 10 responses; another session adds one."""
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await assessment(pilot)
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "its 10 responses" in app.screen.question
        with Store(demo_path, user="vwillett").transaction() as tx:
            tx.insert("responses", Response(round=ROUND, name="Late Reply", group="Executive"))
        await pilot.press("y")
        await settle(app, pilot)
        assert "another session added 1 response" in notes(app)
        assert "nothing was deleted" in notes(app)
        snap = Store(demo_path).snapshot()
        assert snap.round(ROUND) is not None and len(snap.responses(ROUND)) == 11
        app.reload()
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        await pilot.press("D")  # asked again, it counts what is there now
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "its 11 responses" in app.screen.question
        await pilot.press("y")
        await settle(app, pilot)
        assert "No rounds yet" in str(screen.query_one("#hint").render())
    snap = Store(demo_path).snapshot()
    assert snap.round(ROUND) is None and snap.responses() == []


async def test_edit_and_delete_a_respondent_and_open_scoring(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await assessment(pilot)
        await pilot.press("enter", "j")  # respondents; the second one
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, RespondentDialog)
        await pilot.press("ctrl+u", *"Area Manager", "enter")
        await settle(app, pilot)
        assert "Area Manager" in cells(screen, "#respondents")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScoringScreen)
        assert app.screen.sheet.response.name == "Area Manager"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert "Area Manager" not in cells(screen, "#respondents")
    names = {r.model.name for r in Store(demo_path).snapshot().responses(ROUND)}
    assert len(names) == 9
    assert "Area Manager" not in names and "Group Manager" not in names


async def test_import_and_export_csv_from_the_screen(demo_path: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("name,organisation,group,leadership\nNew Person,DWP,Executive,4\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,organisation,group,leadership\nA,B,Executive,9\n,B,Executive,1\n")
    out = tmp_path / "out.csv"
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await assessment(pilot)
        before = demo_path.read_bytes()
        await pilot.press("I")
        await fill(pilot, str(bad))
        await pilot.press("enter")
        await settle(app, pilot)
        assert "row 2, column leadership: score 9 is outside levels 1-5" in notes(app)
        assert "row 3, column name: the name is missing" in notes(app)
        assert demo_path.read_bytes() == before

        await pilot.press("I")
        await fill(pilot, str(good))
        await pilot.press("enter")
        await settle(app, pilot)
        assert "(1 new, 0 updated, 0 unchanged)" in notes(app)
        assert "New Person" in cells(screen, "#respondents")

        await pilot.press("X")
        await fill(pilot, str(out))
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"Wrote {out}" in notes(app)
    lines = out.read_text().splitlines()
    assert len(lines) == 12
    assert lines[-1].startswith("New Person,DWP,Executive,4,")


async def test_keys_open_summary_trends_and_charts_for_the_selected_round(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await assessment(pilot)
        for key, screen_class in (
            ("s", SummaryScreen),
            ("T", TrendsScreen),
            ("g", AssessmentChartsScreen),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_class)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, AssessmentScreen)
