"""Trends across rounds with arrows and a two-round comparison; the charts screen's keys."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Static

from psr_tui.app import PsrApp
from psr_tui.dialogs.pick import PickDialog
from psr_tui.models import Response, Round
from psr_tui.screens.assessment_charts import AssessmentChartsScreen
from psr_tui.screens.trends import TrendsScreen, change_text
from psr_tui.store import Store
from psr_tui.widgets.charts import Chart

ROUND = "Baseline, Feb 2016"
LATER = "Six months on"


def add_later_round(path: Path) -> None:
    """A second AQuA round: every Baseline respondent scores Leadership 3, Workforce 1."""
    store = Store(path)
    with store.transaction() as tx:
        tx.insert(
            "rounds",
            Round(name=LATER, date=date(2016, 8, 16), framework="AQuA System Integration"),
        )
        for record in tx.responses(ROUND):
            old = record.model
            scores = dict(old.scores) | {"leadership": 3, "workforce": 1}
            tx.insert(
                "responses",
                Response(
                    round=LATER,
                    name=old.name,
                    organisation=old.organisation,
                    group=old.group,
                    scores=scores,
                ),
            )


def cells(table: DataTable[object], key: str) -> list[str]:
    return [str(c) for c in table.get_row(key)]


async def test_trends_show_arrows_and_compare_two_rounds(demo_path: Path) -> None:
    add_later_round(demo_path)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        trend = screen.query_one("#trend", DataTable)
        headings = [str(c.label) for c in trend.columns.values()]
        assert headings == ["Domain", ROUND, LATER]
        assert cells(trend, "leadership") == ["Leadership", "2", "3 ↑"]
        assert cells(trend, "workforce") == ["Workforce", "1.6", "1 ↓"]
        assert cells(trend, "culture") == ["Culture", "2.3", "2.3 →"]
        compare = screen.query_one("#compare", DataTable)
        assert [str(c.label) for c in compare.columns.values()] == ["Domain", "Exec", "IG", "All"]
        assert cells(compare, "leadership")[1:] == [
            "2 → 3 (+1) ↑",
            "2 → 3 (+1) ↑",
            "2 → 3 (+1) ↑",
        ]
        assert cells(compare, "workforce")[2] == "2 → 1 (-1) ↓"

        # b picks the earlier round: comparing the later round with itself shows no change.
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, PickDialog)
        await pilot.press("k", "enter")  # newest first: up from Baseline to the later round
        await pilot.pause()
        assert screen.before == LATER
        assert cells(compare, "leadership")[3] == "3 → 3 (0) →"
        await pilot.press("f", "j", "enter")  # the later side becomes Baseline
        await pilot.pause()
        assert screen.after == ROUND
        assert cells(compare, "leadership")[3] == "3 → 2 (-1) ↓"


async def test_trends_with_one_round_say_there_is_nothing_to_compare(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(TrendsScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        assert cells(screen.query_one("#trend", DataTable), "leadership") == ["Leadership", "2"]
        assert "nothing to compare" in str(screen.query_one("#compare-title").render())
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is screen


def test_change_text() -> None:
    assert change_text(1.5, 2) == "1.5 → 2 (+0.5) ↑"
    assert change_text(None, 2) == "- → 2"
    assert change_text(2, 2) == "2 → 2 (0) →"


async def test_charts_mount_switch_and_follow_data(demo_path: Path) -> None:
    add_later_round(demo_path)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(AssessmentChartsScreen(ROUND))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AssessmentChartsScreen)
        chart = screen.query_one(Chart)

        def title() -> str:
            return str(screen.query_one("#chart-title", Static).render())

        def plotted() -> str:
            return chart.plt.build()

        assert "Domain means per group" in title()
        assert "Leadership" in plotted() and "Exec" in title()
        await pilot.press("2")
        await pilot.pause()
        assert "Combined mean of Leadership across 2 rounds" in title()
        assert "Six months on" in plotted()
        await pilot.press("3")
        await pilot.pause()
        assert "Respondents per level: Leadership (1/8" in title()
        assert "Commitment" in plotted()
        await pilot.press("j", "j")
        await pilot.pause()
        assert "Culture (3/8" in title()
        await pilot.press("k", "k", "k")
        await pilot.pause()
        assert "Service model design (8/8" in title()
        await pilot.press("tab")
        await pilot.pause()
        assert "Domain means per group" in title()

        # Another session deletes the round: the chart says so instead of failing.
        with Store(demo_path).transaction() as tx:
            for record in tx.responses(ROUND):
                tx.delete("responses", record.doc_id)
            found = tx.round(ROUND)
            assert found is not None
            tx.delete("rounds", found.doc_id)
        app.snapshot = app.store.snapshot()
        app._data_changed()
        await pilot.pause()
        assert "no round named" in title()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()


async def test_charts_keep_their_key_off_the_bars_and_count_whole_people(
    demo_path: Path,
) -> None:
    """Issue 14 item 16: the legend covered the first bar; the distribution's axis skipped
    levels and counted in fractions; eight trend lines could not be told apart."""
    add_later_round(demo_path)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(AssessmentChartsScreen(ROUND))
        await pilot.pause()
        screen = app.screen
        chart = screen.query_one(Chart)

        def title() -> str:
            return str(screen.query_one("#chart-title", Static).render())

        plot = chart.plt.build()
        assert "Exec" not in plot and "IG" not in plot  # the key is above, not on a bar
        assert title().splitlines()[1].split() == ["█", "Exec", "█", "IG"]
        await pilot.press("3")
        await pilot.pause()
        plot = chart.plt.build()
        for level in ("1 Commitment", "2 Enabling", "3 Implementation", "4 Embedding"):
            assert level in plot
        ticks = re.sub(r"\x1b\[[0-9;]*m", "", plot).splitlines()[-1].split()
        assert ticks == [str(n) for n in range(len(ticks))]  # 0 1 2 ...: whole people
        await pilot.press("2")
        await pilot.pause()
        assert "Combined mean of Leadership" in title()
        assert title().splitlines()[1].split() == ["█", "Leadership", "█", "Overall"]
        await pilot.press("j")
        await pilot.pause()
        assert "Combined mean of Governance" in title() and "(2/8" in title()
