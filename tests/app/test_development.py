"""The Development section through the keyboard: actions, evidence, progress, offers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Select, Static, TextArea

from psr_tui.app import PsrApp
from psr_tui.development import actions
from psr_tui.dialogs.development_forms import ActionForm, EvidenceForm
from psr_tui.formatting import Month
from psr_tui.models import ActionStatus, DevelopmentAction, Response, Round
from psr_tui.screens.development import DevelopmentScreen, new_action_for_domain
from psr_tui.store import Store
from tests.app.helpers import fill, table_rows

FW = "AQuA System Integration"
SIZE = (120, 40)


async def settle(app: PsrApp, pilot: Pilot[None]) -> None:
    app.flush_writes()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: PsrApp) -> str:
    parts = [str(w.render()) for w in app.screen.query(Static)]
    for table in app.screen.query(DataTable):
        parts += [" | ".join(cells) for cells in table_rows(table)]
    return "\n".join(parts)


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[("space" if ch == " " else ch) for ch in text])


def stored(path: Path) -> list[DevelopmentAction]:
    return [r.model for r in actions(Store(path).snapshot())]


async def test_add_an_action_by_keys(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, DevelopmentScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        # Domain: open the list, move down to Workforce (7th), choose it.
        await pilot.press("enter", *["down"] * 7, "enter")
        await pilot.pause()
        assert app.screen.query_one("#domain", Select).value == "workforce"
        await pilot.press("tab", "tab")  # past the group, to the action text
        await fill(pilot, "MECC train the trainers")
        await pilot.press("tab", "tab")  # past the offer, to the owner
        await fill(pilot, "HR leads")
        await pilot.press("tab")
        await fill(pilot, "May 2016")
        await pilot.press("tab")
        await fill(pilot, "31/13/2016")
        await pilot.press("enter")
        await pilot.pause()
        # A bad date is named and nothing is lost or saved.
        error = str(app.screen.query_one("#error", Label).render())
        assert "Target date" in error and "31/13/2016" in error
        assert app.screen.query_one("#title", Input).value == "MECC train the trainers"
        await settle(app, pilot)
        assert len(stored(demo_path)) == 6
        assert app.screen.query_one("#target_date", Input).has_focus
        await fill(pilot, "31/07/2016")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DevelopmentScreen)
        added = [a for a in stored(demo_path) if a.title == "MECC train the trainers"]
        assert len(added) == 1
        action = added[0]
        assert (action.domain, action.owner, action.framework) == ("workforce", "HR leads", FW)
        # "May 2016" starts with the month; the target is a full date.
        assert (action.start, action.target_date) == (Month.first(2016, 5), date(2016, 7, 31))
        assert action.status == ActionStatus.PLANNED
        assert action.from_round == "Baseline, Feb 2016"
        assert "MECC train the trainers" in screen_text(app)


async def test_new_action_for_domain_opens_the_form_from_another_section(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.current_mode == "home"
        new_action_for_domain(app, "information_and_it", "Baseline, Feb 2016")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "development"
        form = app.screen
        assert isinstance(form, ActionForm)
        assert form.query_one("#domain", Select).value == "information_and_it"
        # Every form opens on its first field; Tab walks on past the group to the action.
        assert form.query_one("#domain", Select).has_focus
        await pilot.press("tab", "tab")
        assert form.query_one("#title", Input).has_focus
        await type_text(pilot, "[red]Share[/red] data a [/] b")
        await pilot.press("enter")
        await settle(app, pilot)
        added = [a for a in stored(demo_path) if a.title.startswith("[red]")]
        assert len(added) == 1
        assert added[0].domain == "information_and_it"
        assert added[0].from_round == "Baseline, Feb 2016"
        assert isinstance(app.screen, DevelopmentScreen)
        assert "[red]Share[/red] data a [/] b" in screen_text(app)


async def test_edit_status_evidence_and_delete(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        table = app.screen.query_one("#actions-table", DataTable)
        table.focus()
        # Row 5: Workforce's OD priorities (no start date, target 30 Jun 2016).
        await pilot.press(*["j"] * 4)
        await pilot.pause()
        first = stored(demo_path)[4]
        assert "organisational development priorities" in first.title
        # s moves the status on; twice makes it complete, dated as at the database's date.
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        mecc = next(a for a in stored(demo_path) if a.title == first.title)
        assert mecc.status == ActionStatus.COMPLETE
        assert mecc.completed == date(2016, 2, 16)

        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceForm)
        await type_text(pilot, "40")
        await pilot.press("tab")
        await type_text(pilot, "4")
        area = app.screen.query_one("#measures", TextArea)
        area.text = "92% agree it helped them (n=38)\nnonsense"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "line 2" in str(app.screen.query_one("#error", Label).render())
        area.text = "92% agree it helped them (n=38)\n80% would recommend it"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        mecc = next(a for a in stored(demo_path) if a.title == first.title)
        assert mecc.evidence.participants == 40
        assert mecc.evidence.sessions == 4
        assert [(m.percent, m.n) for m in mecc.evidence.measures] == [(92, 38), (80, None)]
        assert "40 participants, 4 sessions, 2 measures" in screen_text(app)

        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        owner = app.screen.query_one("#owner", Input)
        owner.value = "Workforce lead"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        mecc = next(a for a in stored(demo_path) if a.title == first.title)
        assert mecc.owner == "Workforce lead"
        assert mecc.evidence.participants == 40  # editing the action keeps its evidence

        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert all(a.title != first.title for a in stored(demo_path))
        assert len(stored(demo_path)) == 5


async def test_progress_between_two_rounds(demo_path: Path) -> None:
    store = Store(demo_path)
    review = "Re-assessment, Aug 2016"
    with store.transaction() as tx:
        tx.insert("rounds", Round(name=review, date=date(2016, 8, 16), framework=FW))
        for i, (group, level) in enumerate([("Executive", 2), ("Executive", 1)]):
            tx.insert(
                "responses",
                Response(round=review, name=f"p{i}", group=group, scores={"workforce": level}),
            )
    app = PsrApp(store, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "2")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#earlier", Select).value == "Baseline, Feb 2016"
        assert screen.query_one("#later", Select).value == review
        text = screen_text(app)
        assert "Workforce | 1 -> 1.5 | 2 -> - |" in text
        assert "2 actions planned" in text
        # n on the progress tab starts an action for the highlighted domain.
        table = screen.query_one("#progress-table", DataTable)
        table.move_cursor(row=6)
        await pilot.press("n")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert app.screen.query_one("#domain", Select).value == "workforce"


async def test_progress_needs_two_rounds_and_offers_show_their_figures(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v", "2")
        await pilot.pause()
        assert "needs two rounds" in screen_text(app)
        await pilot.press("3")
        await pilot.pause()
        table = app.screen.query_one("#offers-table", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=names.index("Positive Action Programme"))
        await pilot.pause()
        detail = str(app.screen.query_one("#offer-detail", Static).render())
        assert "92% of people felt confident" in detail
        assert "(n=15)" in detail
        assert "Over 330 participants to date." in detail


async def test_key_n_on_the_summary_starts_an_action_for_the_selected_domain(
    demo_path: Path,
) -> None:
    from psr_tui.screens.summary import SummaryScreen

    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        app.push_screen(SummaryScreen("Baseline, Feb 2016"))
        await pilot.pause()
        domains = app.screen.query_one("#domains", DataTable)
        domains.focus()
        # Workforce, one of seed 000's lowest domains, is the framework's 7th.
        await pilot.press(*["j"] * 6)
        await pilot.press("n")
        await pilot.pause()
        await pilot.pause()
        assert app.current_mode == "development"
        assert isinstance(app.screen, ActionForm)
        assert app.screen.query_one("#domain", Select).value == "workforce"
        await pilot.press("tab", "tab")  # from the domain, past the group, to the action
        await fill(pilot, "Workforce planning workshop")
        await pilot.press("enter")
        await settle(app, pilot)
        added = [a for a in stored(demo_path) if a.title == "Workforce planning workshop"]
        assert [(a.domain, a.from_round) for a in added] == [("workforce", "Baseline, Feb 2016")]


async def test_a_new_action_has_the_cursor_so_i_records_its_evidence(demo_path: Path) -> None:
    # Issue 14 item 8: the cursor stayed on the first row, so i opened another action.
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        app.screen.query_one("#actions-table", DataTable).focus()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter", *["down"] * 7, "enter", "tab", "tab")  # Workforce, title
        await type_text(pilot, "Coaching for ward leads")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DevelopmentScreen)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, EvidenceForm)
        assert app.screen.form_title == "Evidence: Coaching for ward leads"
        await type_text(pilot, "12")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    added = next(a for a in stored(demo_path) if a.title == "Coaching for ward leads")
    assert added.evidence.participants == 12
    others = [a for a in stored(demo_path) if a.title != added.title]
    assert all(a.evidence.participants != 12 for a in others)


async def test_evidence_and_another_sessions_status_are_both_kept(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        app.screen.query_one("#actions-table", DataTable).focus()
        title = stored(demo_path)[0].title
        await pilot.press("i")
        await pilot.pause()
        await type_text(pilot, "40")
        with Store(demo_path, user="vwillett").transaction() as tx:
            record = next(r for r in actions(tx) if r.model.title == title)
            moved = record.model.model_copy(update={"status": ActionStatus.IN_PROGRESS})
            tx.update("actions", record.doc_id, moved)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DevelopmentScreen)
    after = next(a for a in stored(demo_path) if a.title == title)
    assert (after.status, after.evidence.participants) == (ActionStatus.IN_PROGRESS, 40)


async def test_the_same_status_changed_by_both_asks_before_overwriting(demo_path: Path) -> None:
    from psr_tui.dialogs.conflict import ConflictDialog

    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        app.screen.query_one("#actions-table", DataTable).focus()
        first = stored(demo_path)[0]
        assert first.status == ActionStatus.PLANNED
        with Store(demo_path, user="vwillett").transaction() as tx:
            record = next(r for r in actions(tx) if r.model.title == first.title)
            dropped = record.model.model_copy(update={"status": ActionStatus.DROPPED})
            tx.update("actions", record.doc_id, dropped)
        await pilot.press("s")  # planned -> in progress, over their "dropped"
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        [clash] = app.screen.error.clashes
        assert (clash.path, clash.theirs, clash.mine) == (
            ("status",),
            ActionStatus.DROPPED,
            ActionStatus.IN_PROGRESS,
        )
        await pilot.press("r")
        await settle(app, pilot)
    assert next(a for a in stored(demo_path) if a.title == first.title).status == "dropped"
