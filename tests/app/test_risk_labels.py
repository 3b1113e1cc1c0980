"""The register's row and a risk's page name what each rating is: the risk's own category,
the matrix's band, and every score on the history chart's axis."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from textual.widgets import Static

from psr_tui.app import PsrApp
from psr_tui.models import Review
from psr_tui.screens.risk_detail import RiskDetailScreen
from psr_tui.store import Store
from psr_tui.widgets.charts import Chart
from psr_tui.widgets.risk_table import RiskTable
from tests.conftest import run_psr

SIZE = (120, 40)
COLOUR_CODES = re.compile(r"\x1b\[[0-9;]*m")


def _reviews_at_every_score(path: Path, ref: str) -> list[tuple[int, str]]:
    """Give `ref` one review at each score its matrix can give (the latest the highest);
    returns each score with its band, lowest first."""
    store = Store(path)
    with store.transaction() as tx:
        matrix = tx.matrix()
        assert matrix is not None
        cells = {}
        for likelihood, row in zip(matrix.likelihood, matrix.scores, strict=True):
            for impact, score in zip(matrix.impact, row, strict=True):
                cells.setdefault(score, (likelihood, impact))
        first = date(2015, 9, 1)
        reviews = [
            Review(
                date=first + timedelta(days=30 * n),
                likelihood=likelihood,
                impact=impact,
                score=score,
                by="Programme Office",
            )
            for n, (score, (likelihood, impact)) in enumerate(sorted(cells.items()))
        ]
        record = tx.risk(ref)
        assert record is not None
        last = reviews[-1]
        tx.update(
            "risks",
            record.doc_id,
            record.model.model_copy(
                update={"reviews": reviews, "likelihood": last.likelihood, "impact": last.impact}
            ),
        )
    return [(score, matrix.band_for(score).name) for score in sorted(cells)]


def _axis_labels(chart: Chart) -> list[str]:
    """The y axis's labels, top to bottom: the text before each tick mark."""
    return [
        match.group(1).strip()
        for line in COLOUR_CODES.sub("", chart.plt.build()).splitlines()
        if (match := re.match(r"^\s*(.*?)\s*┤", line)) and match.group(1).strip()
    ]


async def _open_detail(app: PsrApp, pilot, ref: str) -> RiskDetailScreen:  # type: ignore[no-untyped-def]
    await pilot.press("r")
    await pilot.pause()
    table = app.screen.query_one(RiskTable)
    await pilot.press(*["j"] * table.refs.index(ref), "enter")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RiskDetailScreen)
    return screen


async def test_the_register_names_the_category_and_the_band(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        heading = table.render_line(0).text
        assert re.search(r"Risk category\s+Likelihood\s+Impact\s+Score/band", heading), heading
        # R3 is a Medium category risk in the Low band: both read as what they are.
        row = table.render_line(1 + table.refs.index("R3")).text
        assert re.search(r"R3 .*Medium\s+Low\s+Significant\s+3 Low", row), row

        screen = await _open_detail(app, pilot, "R3")
        fields = str(screen.query_one("#fields", Static).render())
        assert "Risk category: Medium" in fields
        assert "score 3, Low band" in fields


def test_the_cli_register_heads_the_band_with_the_score(demo_path: Path) -> None:
    result = run_psr("risks", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"L/I\s+Score/band\s+Owner", result.stdout), result.stdout


async def test_the_history_chart_labels_every_score_with_its_band(demo_path: Path) -> None:
    shown = _reviews_at_every_score(demo_path, "R2")
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_detail(app, pilot, "R2")
        labels = _axis_labels(screen.query_one(Chart))
    # Top to bottom: highest score first, each with its band, none dropped or repeated.
    assert labels == [f"{score} {band}" for score, band in reversed(shown)]


async def test_a_single_review_is_a_labelled_point(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_detail(app, pilot, "R1")  # one review: score 1, Low
        chart = screen.query_one(Chart)
        plotted = chart.plt.build()
        labels = _axis_labels(chart)
    assert "●" in plotted
    assert labels[-1] == "1 Low"
    assert labels[0].startswith("9 ")  # the matrix's top keeps the scale
