"""A round with 5 of 10 respondents scored is reported as such (issue 14 item 2): the rounds
list, the summary, Home and `psr summary` say how many scored every domain, some or none;
a group mean made from fewer than the whole group shows its n; trends mark a change whose
n differs between the rounds."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from textual.widgets import DataTable, Label, Static

from psr_tui.app import PsrApp
from psr_tui.changes import assessment as changes
from psr_tui.store import Store
from tests.app.helpers import table_rows
from tests.conftest import run_psr

BASELINE = "Baseline, Feb 2016"
LATER = "Six months on, Aug 2016"


def half_scored_round(path: Path) -> None:
    """LATER: the baseline's 10 respondents, 5 of them (4 Executive, 1 IG) scored 3 in
    every domain, 1 IG respondent scored in one domain only, 4 not started."""
    store = Store(path)
    with store.transaction() as tx:
        tx.set_meta(as_at=date(2016, 8, 31))
        changes.copy_round(tx, BASELINE, LATER, date(2016, 8, 16))
    snap = store.snapshot()
    framework = snap.framework(snap.round(LATER).model.framework)  # type: ignore[union-attr]
    assert framework is not None
    records = snap.responses(LATER)
    executives = [r for r in records if r.model.group == "Executive"]
    others = [r for r in records if r.model.group != "Executive"]
    with store.transaction() as tx:
        for record in [*executives, others[0]]:
            scores = {d.key: 3 for d in framework.domains}
            changed = record.model.model_copy(update={"scores": scores})
            tx.merge("responses", record.doc_id, record.model, changed)
        partly = others[1]
        one = partly.model.model_copy(update={"scores": {framework.domains[0].key: 2}})
        tx.merge("responses", partly.doc_id, partly.model, one)


async def test_the_screens_say_how_many_scored(demo_path: Path) -> None:
    half_scored_round(demo_path)
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        home = str(app.screen.query_one("#assessment-panel", Static).render())
        assert "5/10 complete, 1 partial, 4 not started" in home
        # Leadership was scored by 7, Governance by 5: the change is marked as such.
        assert "Scored by different numbers of people" in home

        await pilot.press("a")
        await pilot.pause()
        table = app.screen.query_one("#rounds", DataTable)
        assert str(list(table.columns.values())[4].label) == "Complete"
        rounds = table_rows(table)
        assert rounds[0][0] == LATER and rounds[0][4] == "5/10"
        assert rounds[1][0] == BASELINE and rounds[1][4] == "10/10"

        await pilot.press("s")
        await pilot.pause()
        title = str(app.screen.query_one("#summary-title", Label).render())
        assert "5/10 complete, 1 partial, 4 not started (4 Executive, 6 Implementation" in title
        assert "(n) = how many of the group scored a domain" in title
        rows = {row[0]: row for row in table_rows(app.screen.query_one("#domains", DataTable))}
        # The IG mean of Governance comes from 1 of the 6: it says so; Leadership from 2.
        assert rows["Governance"][1:3] == ["3", "3 (1)"]
        assert rows["Leadership"][1:3] == ["3", "2.5 (2)"]

        await pilot.press("escape")
        await pilot.press("T")
        await pilot.pause()
        trend = {row[0]: row for row in table_rows(app.screen.query_one("#trend", DataTable))}
        assert trend["Governance"][2] == "3* ↑"  # 10 scored it in the baseline, 5 now
        compare = {row[0]: row for row in table_rows(app.screen.query_one("#compare", DataTable))}
        assert compare["Governance"][3].endswith("* n 10 → 5")
        assert "* scored by a different number" in str(
            app.screen.query_one("#compare-title", Label).render()
        )


def test_psr_summary_says_how_many_scored(demo_path: Path) -> None:
    half_scored_round(demo_path)
    result = run_psr("summary", "--db", demo_path, "--round", LATER)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == (
        f"{LATER} (AQuA System Integration): 5/10 complete, 1 partial, 4 not started "
        "(4 Executive, 6 Implementation Group)"
    )
    lines = {line.split("  ")[0].strip(): line for line in result.stdout.splitlines()}
    assert "3 (1)" in lines["Governance"]
    data = json.loads(run_psr("summary", "--json", "--db", demo_path, "--round", LATER).stdout)
    assert data["respondents"] == {"total": 10, "complete": 5, "partial": 1, "unscored": 4}
    governance = next(d for d in data["domains"] if d["key"] == "governance")
    assert governance["counts"] == {"Executive": 4, "Implementation Group": 1}
