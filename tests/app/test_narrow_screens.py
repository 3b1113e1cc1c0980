"""At 80x24 every screen stays usable: whole words in the header, every phase on the board,
cut cells marked with "…", and descriptors that read as sentences on the scoring grid."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from psr_tui.app import PsrApp
from psr_tui.store import Store
from psr_tui.widgets.footer import KeysFooter
from psr_tui.widgets.header import PsrHeader, fit_section, fit_words
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.phase_board import PhaseBoard
from psr_tui.widgets.score_grid import ScoreGrid

NARROW = (80, 24)
NAME = "Chorley Public Service Reform Partnership"


def drawn(widget: Widget) -> list[str]:
    """The widget's lines as drawn on screen."""
    region = Region(0, 0, widget.size.width, widget.size.height)
    return [strip.text for strip in widget.render_lines(region)]


async def go(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize(
    ("keys", "section"),
    [
        ((), "Home"),
        (("r", "m"), "Risks › Matrix"),
        (("v",), "Development"),
        (("a", "s"), "Assessment › Summary"),
        (("a", "enter", "enter"), "Assessment › Scoring"),
    ],
)
async def test_the_header_cuts_the_name_between_words_and_keeps_the_section(
    demo_path: Path, keys: tuple[str, ...], section: str
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=NARROW) as pilot:
        await go(pilot, *keys)
        header = str(app.screen.query_one(PsrHeader).render())
        name, rest = header.split("  ›  ", 1)
        assert rest.startswith(section + "  ·  as at 16 Feb 2016 (pinned)  ·  tester")
        assert len(header) <= 78
        # The name is whole, or its first words and "…": never a word cut in the middle.
        assert name.endswith("…") and NAME.startswith(name[:-1] + " ")


def test_the_header_gives_way_a_word_then_a_step_at_a_time() -> None:
    assert fit_words(NAME, 25) == "Chorley Public Service…"
    assert fit_words(NAME, 9) == "Chorley…"
    assert fit_words(NAME, 4) == "Cho…"
    assert fit_section("Assessment › Scoring", 14) == "… › Scoring"
    assert fit_section("Assessment › Scoring", 8) == "Scoring"


async def test_the_board_shows_every_phase_at_80_columns(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=NARROW) as pilot:
        await go(pilot, "p", "B")
        board = app.screen.query_one(PhaseBoard)
        names, dates = drawn(board)[:2]
        for phase in ("Foundation", "Phase 1", "Phase 2", "Phase 3", "Year Two"):
            assert f" {phase}" in names
        assert "Sep 15–Feb 16 Mar–May 16" in dates and "Sep–Nov 16  Dec 16–Nov 17" in dates
        assert board.virtual_size.width <= board.scrollable_content_region.width
        # Theme names break between words ("Multi-" / "disciplinary"), never inside one.
        body = "\n".join(drawn(board))
        assert "disciplinary" in body


async def test_development_marks_a_cut_cell_with_an_ellipsis(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=NARROW) as pilot:
        await go(pilot, "v")
        table = app.screen.query_one("#actions-table", NavTable)
        lines = [table.render_line(y).text for y in range(1, table.row_count + 1)]
        financial = next(line for line in lines if line.startswith(" Financial"))
        # Was "Financial and" then blanks: the first wrapped line of a cut cell.
        assert "Financial and contrac…" in financial
        assert "Agree the set-up investment costs, incl…" in financial


async def test_the_scoring_grid_gives_the_cursor_row_sentences(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=NARROW) as pilot:
        await go(pilot, "a", "enter", "enter")
        grid = app.screen.query_one(ScoreGrid)
        lines = drawn(grid)
        assert lines[1].lstrip().startswith("Leadership")
        # The cursor's row (Leadership) reads over several lines: "Senior leaders have
        # agreed to…", not one word per cell; the other rows keep one line each.
        level_one = " ".join(line[20:32].strip() for line in lines[1:5])
        assert level_one.startswith("Senior leaders have")
        assert lines[5].lstrip().startswith("Governance")
        await go(pilot, "j")
        lines = drawn(grid)
        assert lines[2].lstrip().startswith("Governance")
        assert lines[3][:20].strip() == ""  # Governance now has the lines
        assert any(line.lstrip().startswith("Service model") for line in lines)
        # No word is broken over two lines of a cell ("co" / "ntinuously").
        assert not any(line.rstrip().endswith(" co") for line in lines)


@pytest.mark.parametrize(
    "keys",
    [
        (),
        ("a",),
        ("a", "enter", "enter"),
        ("a", "s"),
        ("a", "T"),
        ("a", "g"),
        ("r", "m"),
        ("p", "B"),
        ("p", "G"),
        ("v",),
        ("y",),
    ],
)
async def test_every_footer_shows_whole_keys_at_80_columns(
    demo_path: Path, keys: tuple[str, ...]
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=NARROW) as pilot:
        await go(pilot, *keys)
        footer = app.screen.query_one(KeysFooter)
        for _ in range(100):  # the footer fits its keys once they are laid out
            if footer.fitted_width == 80 and footer.children[0].region.width:
                break
            await pilot.pause()
        shown = [key for key in footer.children if isinstance(key, FooterKey) and key.display]
        assert [k.key for k in shown][-2:] == ["question_mark", "ctrl+p"]
        palette = shown[-1]
        assert max(key.region.right for key in shown[:-1]) <= palette.region.x


async def test_the_scoring_bar_keeps_who_how_far_and_the_round_at_80_columns(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=NARROW) as pilot:
        await go(pilot, "a", "enter", "enter")
        lines = [line.strip() for line in drawn(app.screen.query_one("#who"))]
    text = " ".join(lines)
    assert "…" not in text
    assert "Chief Executive · Chorley Council" in text
    assert "1 of 10 in Baseline, Feb 2016" in text
    assert not any(line.startswith("·") for line in lines)  # a wrap keeps "·" with its words
