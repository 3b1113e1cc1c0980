"""The Meetings section through the keyboard: the agenda edited, minutes typed and saved as
they are typed, decisions and actions recorded, matters arising carried forward and closed,
the action log filtered; every change read back from the file."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static, TextArea

from psr_tui import meetings
from psr_tui.analysis.meetings import carried_forward
from psr_tui.app import PsrApp
from psr_tui.changes import meetings as changes
from psr_tui.dialogs.meeting_forms import PaperForm
from psr_tui.dialogs.programme_forms import EditDialog
from psr_tui.models import MeetingActionStatus, PaperKind
from psr_tui.screens.meeting import MeetingScreen
from psr_tui.screens.meetings import MeetingsScreen
from psr_tui.screens.minutes import MinutesScreen
from psr_tui.store import Store
from tests.app.helpers import burst, table_rows

SIZE = (120, 36)
HOSTILE = "[red]x[/] a [/] b [@click=app.quit]q[/]"


async def settle(app: PsrApp, pilot: Pilot[None]) -> None:
    await pilot.pause()
    app.flush_writes()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def agenda_titles(path: Path, day: str) -> list[tuple[str, bool]]:
    snap = Store(path).snapshot()
    from psr_tui.formatting import parse_date

    record = meetings.find_meeting(snap, parse_date(day))
    return [
        (n.item.title, n.item.below_the_line) for n in meetings.book(snap).agenda(record.model.key)
    ]


def item_record(path: Path, title: str):  # type: ignore[no-untyped-def]
    snap = Store(path).snapshot()
    return next(r for r in snap.records("agenda_items") if r.model.title == title)


def shown(table: DataTable[object]) -> str:
    return "\n".join(" | ".join(row) for row in table_rows(table))


async def open_meeting(app: PsrApp, pilot: Pilot[None], *downs: str) -> MeetingScreen:
    """The Meetings section (w), down to a meeting, enter."""
    await pilot.press("w")
    await pilot.pause()
    assert isinstance(app.screen, MeetingsScreen)
    await pilot.press(*downs, "enter")
    await pilot.pause()
    assert isinstance(app.screen, MeetingScreen)
    return app.screen


async def test_agenda_items_added_moved_put_below_the_line_and_given_a_paper(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        # The next meeting is first; 15 Mar (planned, the standard items) is the second.
        screen = await open_meeting(app, pilot, "j")
        assert screen.meeting.date.isoformat() == "2016-03-15"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        await burst(app, *HOSTILE, "tab", *"Programme Manager", "ctrl+s")
        await settle(app, pilot)
        # Added before any other business and the date of the next meeting.
        assert agenda_titles(demo_path, "15 Mar 2016") == [
            ("Welcome and apologies for absence", False),
            ("Minutes and matters arising", False),
            (HOSTILE, False),
            ("Any other business", False),
            ("Date of next meeting", False),
        ]
        assert HOSTILE in shown(screen.query_one("#agenda-table", DataTable))
        # The cursor is on the new item: K moves it up, J down again.
        await pilot.press("K")
        await settle(app, pilot)
        assert agenda_titles(demo_path, "15 Mar 2016")[1] == (HOSTILE, False)
        await pilot.press("J", "J")
        await settle(app, pilot)
        assert agenda_titles(demo_path, "15 Mar 2016")[3] == (HOSTILE, False)
        # b: below the line, last on the agenda.
        await pilot.press("b")
        await settle(app, pilot)
        assert agenda_titles(demo_path, "15 Mar 2016")[-1] == (HOSTILE, True)
        # P: a paper: the risk register (second in the list, the form starts on a text paper).
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, PaperForm)
        await pilot.press("enter", "up", "up", "up", "enter")
        await pilot.pause()
        assert app.screen.query_one("#kind", Select).value == "risks"
        await burst(app, "tab", "tab", *"Risk Register", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, MeetingScreen)
        paper = item_record(demo_path, HOSTILE).model.paper
        assert paper is not None
        assert (paper.kind, paper.title) == (PaperKind.RISKS, "Risk Register")
        assert "risk register: Risk Register" in shown(screen.query_one("#agenda-table", DataTable))


async def test_minutes_are_saved_as_they_are_typed_with_decisions_and_actions(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        # 16 Feb, item 4 (the programme plan): m opens the minutes on it.
        await open_meeting(app, pilot)
        await pilot.press("j", "j", "j", "m")
        await pilot.pause()
        minutes = app.screen
        assert isinstance(minutes, MinutesScreen)
        await pilot.press("enter")  # into the discussion
        text = f"The Executive agreed the plan {HOSTILE}."
        # A fast typist: the whole sentence as one burst of keys.
        await burst(app, *text)
        await settle(app, pilot)
        title = "Programme Plan for Integrated Locality"
        assert item_record(demo_path, title).model.discussion == text
        assert minutes.query_one("#discussion", TextArea).text == text
        assert "Saved" in str(minutes.query_one("#save-state", Static).render())
        # Typing on merges onto what was saved (a second save, nothing lost).
        await burst(app, "enter", *"Next steps follow.")
        await settle(app, pilot)
        assert item_record(demo_path, title).model.discussion == text + "\nNext steps follow."

        # escape leaves the text for the agenda; D records a decision, A an action.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        await burst(app, *"Agreed the programme plan", "enter")
        await settle(app, pilot)
        await pilot.press("A")
        await pilot.pause()
        await burst(app, *"Report progress", "tab", *"Programme Manager", "tab", *"Mar 2016")
        await burst(app, "enter")
        await settle(app, pilot)
        snap = Store(demo_path).snapshot()
        book = meetings.book(snap)
        item = item_record(demo_path, title).model
        assert [d.model.text for d in book.decisions(item.key)] == ["Agreed the programme plan"]
        (action,) = (a.model for a in book.actions(item.key))
        assert (action.description, action.owner, action.due.isoformat()) == (  # type: ignore[union-attr]
            "Report progress",
            "Programme Manager",
            "2016-03-31",
        )
        records = shown(minutes.query_one("#records", DataTable))
        assert "D1 | Agreed the programme plan" in records
        assert "A1 | Report progress | Mar 2016 | open | Programme Manager" in records
        # Another item's minutes start from its own text.
        await pilot.press("k")
        await pilot.pause()
        assert minutes.query_one("#discussion", TextArea).text == ""
        # Nothing is waiting: escape leaves the minutes.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)


async def test_another_sessions_minutes_of_another_item_are_kept(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_meeting(app, pilot)
        await pilot.press("j", "j", "j", "m")
        await pilot.pause()
        await pilot.press("enter")
        await burst(app, *"Ours")
        await settle(app, pilot)
        # Meanwhile another officer writes the minutes of item 5 and of this one's paper.
        other = Store(demo_path)
        with other.transaction() as tx:
            record = next(
                r for r in tx.records("agenda_items") if r.model.title.startswith("Moving toward")
            )
            changes.set_discussion(tx, record.doc_id, record.model, "Theirs")
        await burst(app, *" and more")
        await settle(app, pilot)
        assert item_record(
            demo_path, "Programme Plan for Integrated Locality"
        ).model.discussion == ("Ours and more")
        assert record.model.title.startswith("Moving toward")
        assert item_record(demo_path, record.model.title).model.discussion == "Theirs"


async def test_matters_arising_carry_open_actions_forward_and_close_them(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        # 15 Mar: the actions of 19 Jan still open, carried to their second meeting.
        screen = await open_meeting(app, pilot, "j")
        await pilot.press("2")
        await pilot.pause()
        table = screen.query_one("#arising-table", DataTable)
        rows = table_rows(table)
        assert len(rows) == 5
        assert rows[0][:4] == ["19 Jan 2016 4.1", "16 Feb 2016", "OVERDUE", "2"]
        assert rows[1][:4] == ["19 Jan 2016 4.2", "Jul 2016", "open", "2"]
        # c closes the highlighted one: done, with what was done.
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        await burst(app, "tab", *"Action plan agreed in February", "ctrl+s")
        await settle(app, pilot)
        snap = Store(demo_path).snapshot()
        book = meetings.book(snap)
        closed = next(
            a.model
            for a in snap.records("meeting_actions")
            if a.model.description.startswith("Develop")
        )
        assert (closed.status, closed.note) == (
            MeetingActionStatus.DONE,
            "Action plan agreed in February",
        )
        assert closed.closed is not None and closed.closed.isoformat() == "2016-02-16"
        # Closed before 15 Mar: no longer carried into it.
        march = meetings.find_meeting(snap, closed.closed.replace(month=3, day=15)).model
        assert len(carried_forward(book, march)) == 4
        assert len(table_rows(table)) == 4
        assert "Develop" not in shown(table)


async def test_action_log_filters_by_status_owner_and_meeting(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#actions-table", DataTable)
        line = screen.query_one("#actions-filter", Static)
        # Open actions first.
        assert len(table_rows(table)) == 7
        assert "7 open actions" in str(line.render())
        await pilot.press("s")  # done
        await pilot.pause()
        assert [r[0] for r in table_rows(table)] == ["15 Sep 2015 1.1"]
        await pilot.press("s", "s")  # dropped, then all
        await pilot.pause()
        assert len(table_rows(table)) == 8
        await pilot.press("f")
        await pilot.pause()
        await burst(app, *"implementation", "enter")
        await pilot.pause()
        owners = {r[3] for r in table_rows(table)}
        assert owners == {"Implementation Group"}
        assert "owner contains 'implementation'" in str(line.render())
        # M: the actions of one meeting (19 Jan is fifth, after "every meeting").
        await pilot.press("M")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "down", "enter")
        await pilot.pause()
        assert {r[0].split()[:3] == ["19", "Jan", "2016"] for r in table_rows(table)} == {True}
        assert "of Executive 19 Jan 2016" in str(line.render())


async def test_meetings_section_is_usable_at_80x24(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        table = screen.query_one("#arising-table", DataTable)
        # Set at, due and status are on screen; the description is what gets cut.
        assert table.region.right <= 80
        status_end = sum(c.get_render_width(table) for c in list(table.columns.values())[:3])
        assert status_end <= 80
        await pilot.press("1", "m")
        await pilot.pause()
        minutes = app.screen
        assert isinstance(minutes, MinutesScreen)
        area = minutes.query_one("#discussion", TextArea)
        assert area.region.width >= 40 and area.region.height >= 4
        assert minutes.query_one("#records", DataTable).region.bottom <= 23


async def test_every_meeting_screen_shows_hostile_text_literally(demo_path: Path) -> None:
    from tests.app.test_hostile_text import SIZE as TOUR_SIZE
    from tests.app.test_hostile_text import Tour
    from tests.helpers.hostile import make_hostile

    make_hostile(demo_path)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=TOUR_SIZE, notifications=True) as pilot:
        tour = Tour(app, pilot)
        visit = tour.visit
        await visit("meetings", ["w"], "MeetingsScreen")
        await visit("action log", ["2"], "MeetingsScreen")
        await visit("decision log", ["3"], "MeetingsScreen")
        await visit("meeting form", ["1", "e"], "EditDialog", within="#form")
        await visit("agenda", ["escape", "enter"], "MeetingScreen")
        await visit("item form", ["j", "j", "j", "e"], "EditDialog", within="#form")
        await visit("paper form", ["escape", "P"], "PaperForm", within="#form")
        await visit("matters arising", ["escape", "2"], "MeetingScreen")
        await visit("close form", ["c"], "EditDialog", within="#form")
        await visit("attendance", ["escape", "3"], "MeetingScreen", shows_markup=False)
        await visit("checks", ["4"], "MeetingScreen")
        await visit("changes", ["5"], "MeetingScreen", shows_markup=False)
        await visit("minutes", ["1", "j", "j", "j", "m"], "MinutesScreen")
    assert tour.problems == [], "\n".join(tour.problems)
