"""The Programme section through the keys: board, filters, tree, progress and timeline."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import DataTable, Label

from psr_tui import analysis
from psr_tui.app import PsrApp
from psr_tui.models import Activity, ActivityStatus
from psr_tui.screens.programme import ProgrammeScreen
from psr_tui.store import Store
from psr_tui.widgets.phase_board import PhaseBoard
from psr_tui.widgets.programme_tree import ProgrammeTree
from psr_tui.widgets.timeline import Timeline
from tests.app.helpers import settle


async def open_programme(pilot: Pilot[None]) -> ProgrammeScreen:
    await pilot.press("p")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ProgrammeScreen)
    return screen


def stored(path: Path, title: str) -> Activity:
    return next(r.model for r in Store(path).snapshot().activities() if r.model.title == title)


def widget_text(widget: object) -> str:
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in lines)


def shown(board: PhaseBoard) -> list[Activity]:
    return [a.model for row in board.rows for cell in row.cells for a in cell]


async def test_board_moves_and_sets_status_by_key(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        board = screen.query_one(PhaseBoard)
        assert board.current is not None
        assert board.current.model.title == "Specification developed and contract awarded"
        assert board.current_cell == ("Building Community Capacity", "Phase 1")
        await pilot.press("j")  # the next activity of the same cell
        title = "Commence delivery with small community conversation"
        assert board.current is not None and board.current.model.title == title
        await pilot.press("3")
        await settle(app, pilot)
        assert stored(demo_path, title).status == ActivityStatus.COMPLETE
        await pilot.press("l")  # Phase 2, the second activity there
        assert board.current_cell == ("Building Community Capacity", "Phase 2")
        other = board.current
        assert other is not None
        await pilot.press("5")
        await settle(app, pilot)
        assert stored(demo_path, other.model.title).status == ActivityStatus.BLOCKED
        # Down past the end of the cell goes on into the next theme.
        await pilot.press("j", "j")
        assert board.current_cell == ("Establish the Consistent Frontline", "Phase 2")
        detail = str(screen.query_one("#detail").render())
        assert board.current is not None and board.current.model.title in detail


async def test_filter_by_lead_and_by_status(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        board = screen.query_one(PhaseBoard)
        await pilot.press("f")
        await pilot.pause()
        # All leads, Executive, Implementation Group, PMO, Police/Primary Care, ...
        await pilot.press("down", "down", "down", "down", "enter")
        await pilot.pause()
        assert {a.lead for a in shown(board)} == {"Police/Primary Care"}
        assert len(shown(board)) == 10
        assert [r.theme for r in board.rows] == ["Enhanced Multi-disciplinary approaches"]
        line = str(screen.query_one("#filter-line", Label).render())
        assert "Lead: Police/Primary Care" in line and "10 of 58" in line
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("home", "enter")  # back to all leads
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # All, not started, in progress
        await pilot.pause()
        assert {a.status for a in shown(board)} == {ActivityStatus.IN_PROGRESS}
        assert len(shown(board)) == 5
        assert "Status: in progress" in str(screen.query_one("#filter-line", Label).render())


async def test_business_case_and_recommendations_are_on_the_board(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_programme(pilot)
        board = screen.query_one(PhaseBoard)
        groups = [row.group for row in board.rows]
        assert groups[0] == "Delivery and supporting themes"
        assert groups[-2:] == ["Business case workstreams", "Year One recommendations"]
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert board.current_cell is not None
        assert board.current_cell[0] == "Year One evaluation recommendations"
        assert "Year One recommendations" in widget_text(board)


async def test_tree_shows_themes_and_funded_workstreams(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        await pilot.press("T")
        await pilot.pause()
        tree = screen.query_one(ProgrammeTree)
        assert tree.has_focus
        # The cursor starts on the first theme: open it, then its workstreams.
        await pilot.press("enter", "j", "enter")
        await pilot.pause()
        text = widget_text(tree)
        assert "Building Community Capacity" in text and "PMO" in text
        assert "* Community Engagement" in text
        assert "Outline business case" in text
        await pilot.press("tab")  # on to the progress view
        assert screen.view == "progress"


async def test_tree_marks_unfunded_workstreams_without_a_star(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        await pilot.press("T", "j", "enter", "j", "enter")  # Consistent Frontline
        await pilot.pause()
        text = widget_text(screen.query_one(ProgrammeTree))
        assert "  Embed the Lancashire Wellbeing Service" in text
        assert "* Embed the Lancashire" not in text
        assert "* Standard Referrals Testbed" in text


async def test_progress_panel_matches_analysis(demo_path: Path) -> None:
    snap = Store(demo_path).snapshot()
    activities = [r.model for r in snap.activities()]
    expected = analysis.phase_progress([r.model for r in snap.phases()], activities)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        await pilot.press("G")
        await pilot.pause()
        table = screen.query_one("#phase-progress", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [(str(r[0]), r[2], r[3], r[4]) for r in rows] == [
            (p.name, str(p.activities), str(p.complete), f"{p.percent:g}%") for p in expected
        ]
        title = str(screen.query_one("#progress-title", Label).render())
        assert "2 of 58 activities complete" in title
        due = str(screen.query_one("#due-list").render())
        assert "Develop a more detailed action plan" in due
        assert "Executive members consider the framework" in due
        await pilot.press("minus", "minus", "minus")  # 4 -> 1 week
        due = str(screen.query_one("#due-list").render())
        assert "Executive members consider" not in due
        assert "next 1 week" in str(screen.query_one("#due-title", Label).render())


async def test_timeline_renders_the_as_at_marker(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        await pilot.press("G")
        await pilot.pause()
        lines = widget_text(screen.query_one(Timeline)).splitlines()
        assert lines[0].startswith("Foundation") and lines[4].startswith("Year Two")
        marker = lines[-1].index("▲")
        assert lines[-1][marker:].startswith("▲ 16 Feb 2016")
        # The as-at line runs through every phase at the same column.
        assert all(line[marker] == "┃" for line in lines[:5])
        assert "1 Mar–31 May 2016" in lines[1]
        assert "◆" in lines[5]


async def test_board_and_progress_fit_small_and_large_terminals(demo_path: Path) -> None:
    for size in ((80, 24), (160, 48)):
        app = PsrApp(Store(demo_path), watch=False)
        async with app.run_test(size=size) as pilot:
            screen = await open_programme(pilot)
            board = screen.query_one(PhaseBoard)
            await pilot.press("l", "l", "l", "j", "j", "j", "j", "j", "j", "j", "j")
            text = widget_text(board)
            assert "Theme" in text.splitlines()[0]
            assert board.current is not None or board.current_cell is not None
            assert screen.query_one("#detail").region.bottom <= size[1]
            await pilot.press("G")
            await pilot.pause()
            assert "▲ 16 Feb 2016" in widget_text(screen.query_one(Timeline))


async def test_the_lead_filter_holds_in_the_tree_and_the_progress_view(demo_path: Path) -> None:
    """Issue 14 item 4: the header said '10 of 58 shown' while the tree listed everyone's."""
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_programme(pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "enter")  # Police/Primary Care
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        tree = screen.query_one(ProgrammeTree)
        shown_themes = {
            str(node.label).split("  ")[0].lstrip("●○◐ ")
            for group in tree.root.children
            for node in group.children
        }
        assert len(shown_themes) == 1
        activities = [
            leaf
            for group in tree.root.children
            for theme in group.children
            for branch in theme.children
            if branch.data is not None and branch.data.kind == "activities"
            for leaf in branch.children
        ]
        assert len(activities) == 10
        assert all("Police/Primary Care" in str(leaf.label) for leaf in activities)

        await pilot.press("G")
        await pilot.pause()
        title = str(screen.query_one("#progress-title", Label).render())
        assert "(lead Police/Primary Care only)" in title and "of 10 activities" in title
        phases = screen.query_one("#phase-progress", DataTable)
        assert sum(int(str(phases.get_row_at(i)[2])) for i in range(phases.row_count)) == 10
