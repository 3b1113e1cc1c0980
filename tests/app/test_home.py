"""The dashboard shows the demo's figures, computed the way the analysis computes them."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from psr_tui import analysis
from psr_tui.app import PsrApp
from psr_tui.audit_words import domain_names, record_words
from psr_tui.formatting import format_mean
from psr_tui.models import Risk, RiskStatus
from psr_tui.screens.home import DashboardPanel
from psr_tui.store import Store


def _panel_text(app: PsrApp, panel_id: str) -> str:
    return str(app.screen.query_one(f"#{panel_id}", Static).render())


async def test_dashboard_shows_level_risks_programme_and_changes(demo_store: Store) -> None:
    with demo_store.transaction() as tx:
        # R2 and R3 are due "February 16": by 1 Mar 2016 they are late.
        tx.set_meta(as_at=date(2016, 3, 1))
    snap = demo_store.snapshot()
    round_ = snap.latest_round()
    assert round_ is not None
    framework = snap.framework(round_.model.framework)
    assert framework is not None
    summary = analysis.summarise(
        framework, round_.model, [r.model for r in snap.responses(round_.model.name)]
    )
    level = summary.overall_level
    assert level is not None
    risks = [r.model for r in snap.risks()]
    overdue = sum(analysis.is_overdue(r, snap.as_at) for r in risks)
    assert overdue == 2
    matrix = snap.matrix()
    assert matrix is not None
    bands = analysis.band_counts(matrix, analysis.register_facts(matrix, risks, snap.as_at))

    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = _panel_text(app, "assessment-panel")
        assert round_.model.name in text
        # Seed 000's words: the level worked towards, having achieved the one below.
        expected = (
            f"Position: level {level + 1} '{framework.level_name(level + 1)}', having achieved "
            f"level {level} '{framework.level_name(level)}' (average "
        )
        assert expected + format_mean(summary.overall_combined) + ")" in text
        assert all(d.name in text for d in summary.lowest)
        assert "First round of this framework" in text

        text = _panel_text(app, "risks-panel")
        for band, count in bands.items():
            assert f"{band} {count}" in text
        assert f"Actions overdue: {overdue}" in text

        text = _panel_text(app, "programme-panel")
        overall = analysis.overall_progress([a.model for a in snap.activities()])
        assert f"({overall.complete} of {overall.activities})" in text
        assert "Due in 4 weeks" in text

        text = _panel_text(app, "history-panel")
        assert "edited the partnership's settings" in text  # the as-at date, above
        # The demo's history ends with its meetings: the newest change is named by its words.
        latest = demo_store.history(limit=6)[-1]
        assert record_words(latest, domain_names(snap), kind=False) in text


async def test_panel_enter_and_arrows_open_sections(demo_store: Store) -> None:
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, DashboardPanel)
        assert app.focused.id == "assessment-panel"
        await pilot.press("j")
        assert app.focused.id == "risks-panel"
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "risks"
        await pilot.press("d")
        await pilot.pause()
        app.screen.query_one("#history-panel").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "history"


async def test_a_save_updates_the_dashboard_and_user_text_is_literal(demo_store: Store) -> None:
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        before = _panel_text(app, "risks-panel")
        open_now = sum(r.model.status == RiskStatus.OPEN for r in demo_store.snapshot().risks())
        assert f"{open_now} open" in before
        risk = Risk(
            ref="[@click=app.quit]R9[/]",
            description="a [/] b",
            likelihood="High",
            impact="Critical",
        )
        app.save(lambda tx: tx.insert("risks", risk))
        app.flush_writes()
        await pilot.pause()
        await pilot.pause()
        assert f"{open_now + 1} open" in _panel_text(app, "risks-panel")
        assert "[@click=app.quit]R9[/]" in _panel_text(app, "history-panel")
        assert app.is_running
