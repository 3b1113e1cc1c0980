"""The summary screen: seed 000's means on screen, targets set by keys, other shapes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label, Static

from psr_tui.app import PsrApp
from psr_tui.dialogs.conflict import ConflictDialog
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.models import Domain, Framework, Response, Round
from psr_tui.screens.summary import SummaryScreen
from psr_tui.store import Store
from tests.app.helpers import settle, table_rows

ROUND = "Baseline, Feb 2016"

SEED_000 = {
    "Leadership": ("2", "2"),
    "Governance": ("1.5", "2"),
    "Culture": ("2", "2.5"),
    "Resident engagement": ("2", "2"),
    "Financial and contractual mechanisms": ("1.5", "1.5"),
    "Information and IT": ("1", "2"),
    "Workforce": ("1", "2"),
    "Service model design": ("2", "2.5"),
}


def rows(screen: SummaryScreen) -> dict[str, list[str]]:
    """The domain table as text, by the first cell."""
    return {cells[0]: cells for cells in table_rows(screen.query_one("#domains", DataTable))}


def text_of(screen: SummaryScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_demo_summary_shows_seed_000(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        table = screen.query_one("#domains", DataTable)
        headings = [str(c.label) for c in table.columns.values()]
        assert headings[:4] == ["Domain", "Exec", "IG", "All"]
        shown = rows(screen)
        for name, (exec_mean, ig_mean) in SEED_000.items():
            assert shown[name][1:3] == [exec_mean, ig_mean], name
        assert shown["Governance"][3:5] == ["1.8", "1 Commitment"]
        assert shown["Leadership"][4] == "2 Enabling"
        assert shown["Information and IT"][5:7] == ["agreed (n=10)", "groups differ"]
        assert shown["Overall"][3] == "1.89"
        # Detail panel: the first domain's full current and progression text.
        detail = text_of(screen, "#detail")
        assert "Current level: 2 Enabling" in detail
        assert "Progression: 3 Implementation" in detail
        assert "win hearts and minds" in detail  # the end of the long progression text
        facts = text_of(screen, "#facts")
        assert "Highest: Culture, Service model design" in facts
        assert "Lowest: Financial and contractual mechanisms" in facts
        assert "DWP: 0 Exec, 1 IG" in facts
        assert "Every respondent scored every domain" in facts
        await pilot.press("j")
        assert text_of(screen, "#detail").startswith("Governance")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SummaryScreen)


async def test_setting_a_target_by_keys_stores_it_and_shows_the_gap(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(SummaryScreen(ROUND))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        await pilot.press("j", "g")  # Governance (combined 1.8)
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)
        await pilot.press("9", "enter")  # out of range: refused, dialog stays
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)
        assert "from 1 to 5" in str(app.screen.query_one("#error").render())
        await pilot.press("backspace", "3", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        shown = rows(screen)["Governance"]
        assert shown[7:9] == ["3", "1.2 to go"]
        assert "Target: 3 Implementation, gap 1.2 to go" in text_of(screen, "#detail")
        stored = Store(demo_path).snapshot().round(ROUND)
        assert stored is not None and stored.model.targets == {"governance": 3}

        await pilot.press("g", "ctrl+u", "enter")  # empty clears it
        await settle(app, pilot)
        assert rows(screen)["Governance"][7:9] == ["-", "-"]
    stored = Store(demo_path).snapshot().round(ROUND)
    assert stored is not None and stored.model.targets == {}


def _other_session_sets_targets(path: Path, **targets: int) -> None:
    with Store(path, user="vwillett").transaction() as tx:
        record = tx.round(ROUND)
        assert record is not None
        changed = record.model.model_copy(update={"targets": targets})
        tx.update("rounds", record.doc_id, changed, record.model.rev)


async def test_targets_of_other_domains_set_meanwhile_stay(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(SummaryScreen(ROUND))
        await pilot.pause()
        _other_session_sets_targets(demo_path, culture=4)  # after this screen read the round
        await pilot.press("g", "2", "enter")  # Leadership
        await settle(app, pilot)
        assert isinstance(app.screen, SummaryScreen)
    stored = Store(demo_path).snapshot().round(ROUND)
    assert stored is not None and stored.model.targets == {"culture": 4, "leadership": 2}


async def test_a_target_both_set_asks_with_both_values(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(SummaryScreen(ROUND))
        await pilot.pause()
        _other_session_sets_targets(demo_path, leadership=4, culture=3)
        await pilot.press("g", "2", "enter")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        clashes = [str(label.content) for label in dialog.query(".clash").results(Label)]
        assert clashes == ["Leadership target: theirs 4, yours 2"]
        await pilot.press("o")
        await settle(app, pilot)
    stored = Store(demo_path).snapshot().round(ROUND)
    assert stored is not None and stored.model.targets == {"leadership": 2, "culture": 3}


async def test_n_starts_a_development_action_for_the_domain(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psr_tui.screens.development as development

    calls: list[tuple[str, str]] = []
    monkeypatch.setattr(
        development,
        "new_action_for_domain",
        lambda app, key, round_name: calls.append((key, round_name)),
    )
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(SummaryScreen(ROUND))
        await pilot.pause()
        await pilot.press("j", "n")
        await pilot.pause()
        assert calls == [("governance", ROUND)]


def six_by_four(path: Path) -> None:
    store = Store(path)
    store.create("Test")
    framework = Framework(
        name="Six by four",
        levels=["Starting", "Developing", "Established", "Leading"],
        domains=[
            Domain(
                name=f"Area {n} [b]",
                question=f"How far is area {n}?",
                descriptors=[f"A{n} level {lv} [red]x[/red]" for lv in range(1, 5)],
            )
            for n in range(1, 7)
        ],
    )
    with store.transaction() as tx:
        tx.insert("frameworks", framework)
        tx.insert(
            "rounds",
            Round(name="Pilot", date=date(2016, 3, 1), framework="Six by four", groups=["Board"]),
        )
        scores = {d.key: 4 for d in framework.domains}
        scores[framework.domains[5].key] = None
        tx.insert("responses", Response(round="Pilot", name="Alex", group="Board", scores=scores))
        tx.insert(
            "responses",
            Response(round="Pilot", name="Sam", organisation="Police", group="Board", scores={}),
        )


async def test_a_six_by_four_round_summarises(tmp_path: Path) -> None:
    path = tmp_path / "six.json"
    six_by_four(path)
    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SummaryScreen("Pilot"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        shown = rows(screen)
        assert len(shown) == 7  # six areas and Overall
        # Alex scored it, Sam nothing: the Board's mean is from 1 of its 2.
        assert shown["Area 1 [b]"][1:4] == ["4 (1)", "4", "4 Leading"]
        assert shown["Area 6 [b]"][1:4] == ["-", "-", "-"]
        detail = text_of(screen, "#detail")
        assert "A1 level 4 [red]x[/red]" in detail
        assert "this is the top level" in detail
        facts = text_of(screen, "#facts")
        assert "Alex (no organisation): 5/6 scored" in facts
        assert "Sam (Police): 0/6 scored" in facts
        assert "Area 6 [b]: 2 unscored" in facts
        await pilot.press("g", "5", "enter")
        await pilot.pause()
        assert "from 1 to 4" in str(app.screen.query_one("#error").render())


async def test_r_switches_round(demo_path: Path) -> None:
    with Store(demo_path).transaction() as tx:
        tx.insert(
            "rounds",
            Round(
                name="Six months on", date=date(2016, 8, 16), framework="AQuA System Integration"
            ),
        )
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(SummaryScreen(ROUND))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("k", "enter")  # newest first: up from Baseline to "Six months on"
        await pilot.pause()
        assert screen.round_name == "Six months on"
        assert "no respondents yet" in str(screen.query_one("#summary-title").render())
        assert rows(screen)["Leadership"][1:4] == ["-", "-", "-"]


async def test_agreement_and_the_frameworks_rules_on_screen(demo_path: Path) -> None:
    """Issue 17 items 4, 5: the Agreement column and the detail's readings per group, by the
    framework's rules; a change of rule redraws every level."""
    from psr_tui.changes.assessment import set_framework_rules
    from psr_tui.models import AchievedRule

    store = Store(demo_path)
    with store.transaction() as tx:
        set_framework_rules(
            tx, "AQuA System Integration", achieved=AchievedRule.NEAREST, share=0.75
        )
    app = PsrApp(store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        headings = [str(c.label) for c in screen.query_one("#domains", DataTable).columns.values()]
        assert headings[4:7] == ["Level", "Agreement", "Flags"]
        shown = rows(screen)
        assert shown["Governance"][4] == "2 Enabling"  # 1.8, nearest
        assert shown["Overall"][4] == "2 Enabling"  # 1.89
        # Three quarters within a level: the IG's Culture (4 of 6) is divided, everyone not.
        assert shown["Culture"][5] == "agreed (n=10); IG divided"
        await pilot.press("j", "j")
        await pilot.pause()
        detail = " ".join(text_of(screen, "#detail").split())
        assert "Current level: 2 Enabling (combined mean 2.3)" in detail
        assert (
            "Agreement (agreed when at least three quarters of the ratings lie within 1 level of "
            "their median, divided otherwise; too few to say under 3 ratings):"
        ) in detail
        assert "Executive: agreed, n 4, median 2; 50% at it, 100% within 1" in detail
        assert "Implementation Group: divided, n 6, median 2.5; 67% at it, 67% within 1" in detail
        assert "All: agreed, n 10, median 2; 40% at it, 90% within 1" in detail


async def test_L_sets_the_frameworks_rules_from_the_summary(demo_path: Path) -> None:
    from psr_tui.dialogs.framework_rules import RulesDialog

    store = Store(demo_path)
    app = PsrApp(store, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert rows(screen)["Governance"][4] == "1 Commitment"
        await pilot.press("L")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RulesDialog)
        assert dialog.query_one("#share", Input).value == "2/3"
        # Nearest level; three quarters; a bad share first.
        await pilot.press("space", "tab", "tab", "ctrl+u", *"most", "ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        error = " ".join(str(w.render()) for w in dialog.query(".field-error.-shown"))
        assert "'most': give a fraction (2/3), a decimal (0.75) or 75%" in error
        await pilot.press("ctrl+u", *"3/4", "ctrl+s")
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.screen is screen
        framework = store.snapshot().framework("AQuA System Integration")
        assert framework is not None
        assert framework.achieved_level.value == "nearest" and framework.consensus.share == 0.75
        shown = rows(screen)
        assert shown["Governance"][4] == "2 Enabling"
        assert shown["Culture"][5] == "agreed (n=10); IG divided"


async def test_the_detail_compares_with_the_previous_round(demo_path: Path) -> None:
    """Issue 17 item 6's comparison as text: the selected domain (and the whole) against
    the previous round of the framework, beside its target."""
    from psr_tui.changes.assessment import copy_round, set_score

    store = Store(demo_path)
    with store.transaction() as tx:
        copy_round(tx, ROUND, "Review, Aug 2016", date(2016, 8, 1))
    people = store.snapshot().responses("Review, Aug 2016")
    with store.transaction() as tx:
        for record in people:
            set_score(tx, record.doc_id, record.model, "leadership", 3)
    app = PsrApp(store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        assert screen.round_name == "Review, Aug 2016"
        detail = text_of(screen, "#detail")
        assert f"In {ROUND}: 2, now 3 (↑ +1)" in detail
        await pilot.press("j")
        await pilot.pause()
        assert f"In {ROUND}: 1.8, now -" in text_of(screen, "#detail")
        await pilot.press(*"jjjjjjj")  # to the Overall row
        await pilot.pause()
        assert f"In {ROUND}: 1.89, now 3 (↑ +1.11)" in text_of(screen, "#detail")


async def test_t_sets_the_as_at_date_on_the_summary_too(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(SummaryScreen(ROUND))
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TextInputDialog)
        assert "View as at" in str(dialog.query_one(Label).render())
