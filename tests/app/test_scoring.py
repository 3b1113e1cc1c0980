"""Scoring sessions typed by keys: the values that reach the database, undo, n/p,
other framework shapes, closed rounds and conflicts with another session."""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Label

from psr_tui.app import PsrApp
from psr_tui.dialogs.conflict import ConflictDialog
from psr_tui.models import Response, RoundStatus
from psr_tui.screens.scoring import ScoringScreen
from psr_tui.store import Store
from psr_tui.widgets.score_grid import ScoreGrid
from tests.app.helpers import settle
from tests.conftest import run_psr

ROUND = "Baseline, Feb 2016"


def stored(path: Path, name: str, round_name: str = ROUND) -> Response:
    responses = Store(path).snapshot().responses(round_name)
    return next(r.model for r in responses if r.model.name == name)


async def open_scoring(pilot: Pilot[None]) -> ScoringScreen:
    """From anywhere: the Assessment section, first round, first respondent, scoring."""
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("enter")  # round -> respondents
    await pilot.press("enter")  # respondent -> scoring
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ScoringScreen)
    return screen


async def test_typed_session_leaves_the_right_values(demo_path: Path) -> None:
    before = stored(demo_path, "Chief Executive")
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scoring(pilot)
        assert screen.sheet.response.name == "Chief Executive"
        # Leadership := 2 (cursor moves to Governance); j -> Culture := 3 (-> Resident
        # engagement); 0 clears Resident engagement; u undoes the clear.
        await pilot.press("2", "j", "3", "0", "u")
        # k back up to Resident engagement's row... cursor is there after undo; add evidence.
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+a", *"Minutes of 3 March [b]", "enter")
        await settle(app, pilot)
        assert "Saved" in str(screen.query_one("#save-state").render())
    after = stored(demo_path, "Chief Executive")
    assert after.scores["leadership"] == 2
    assert after.scores["governance"] == before.scores["governance"]
    assert after.scores["culture"] == 3
    assert after.scores["resident_engagement"] == before.scores["resident_engagement"]
    assert after.comments["resident_engagement"] == "Minutes of 3 March [b]"
    assert after.comments["information_and_it"] == before.comments["information_and_it"]


async def test_undo_restores_each_change_in_turn(demo_path: Path) -> None:
    before = stored(demo_path, "Chief Executive")
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_scoring(pilot)
        await pilot.press("5", "5", "5")
        await settle(app, pilot)
        assert stored(demo_path, "Chief Executive").scores["culture"] == 5
        await pilot.press("u", "u")
        await settle(app, pilot)
        middle = stored(demo_path, "Chief Executive")
        assert middle.scores["leadership"] == 5
        assert middle.scores["governance"] == before.scores["governance"]
        assert middle.scores["culture"] == before.scores["culture"]
        await pilot.press("u", "u")  # the last one finds nothing left to undo
        await settle(app, pilot)
    assert stored(demo_path, "Chief Executive").scores == before.scores


async def test_next_and_previous_respondent(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scoring(pilot)
        await pilot.press("n")
        assert screen.sheet.response.name == "Group Manager"
        assert "Group Manager" in str(screen.query_one("#who").render())
        await pilot.press("4")
        await pilot.press("p")
        assert screen.sheet.response.name == "Chief Executive"
        await pilot.press("p")  # wraps round to the last respondent
        assert screen.sheet.response.name == "Community Services Manager"
        await pilot.press("n", "n", "u")  # undo goes back to Group Manager's change
        assert screen.sheet.response.name == "Group Manager"
        await settle(app, pilot)
    before = stored(Path(demo_path), "Group Manager")
    assert before.scores["leadership"] == 2


SIX_BY_FOUR = {
    "name": "Six by four",
    "levels": ["Starting", "Developing", "Established", "Leading"],
    "domains": [
        {
            "name": f"Domain {n}",
            "question": f"How far along is area {n}?",
            "descriptors": [f"D{n} level {lv} [red]text[/red]" for lv in range(1, 5)],
        }
        for n in range(1, 7)
    ],
}


async def test_a_six_by_four_framework_can_be_scored(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    framework = tmp_path / "six.json"
    framework.write_text(json.dumps(SIX_BY_FOUR))
    assert run_psr("init", "--name", "Test", "--db", path).returncode == 0
    result = run_psr("import", "framework", framework, "--db", path)
    assert result.returncode == 0, result.stderr
    csv = tmp_path / "people.csv"
    csv.write_text("name,organisation,group\nAlex,Council,Executive\n")
    result = run_psr(
        "import", "responses", csv, "--round", "Pilot", "--framework", "Six by four", "--db", path
    )
    assert result.returncode == 0, result.stderr

    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_scoring(pilot)
        grid = screen.query_one(ScoreGrid)
        await pilot.press("5")  # beyond the 4 levels: refused, cursor stays
        assert grid.cursor_row == 0
        assert any("1-4" in str(n.message) for n in app._notifications)
        await pilot.press("4", "1", "2", "3", "4", "1")
        await settle(app, pilot)
        # The whole grid fits 80x24 and shows the selected cell's text literally.
        assert "[red]text[/red]" in str(screen.query_one("#descriptor").render())
        assert grid.region.bottom <= screen.query_one("#details").region.y
    alex = stored(path, "Alex", "Pilot")
    typed = [4, 1, 2, 3, 4, 1]
    assert alex.scores == {f"domain_{n}": typed[n - 1] for n in range(1, 7)}


async def test_a_closed_round_refuses_scoring(demo_path: Path) -> None:
    with Store(demo_path).transaction() as tx:
        record = tx.round(ROUND)
        assert record is not None
        tx.update(
            "rounds", record.doc_id, record.model.model_copy(update={"status": RoundStatus.CLOSED})
        )
    before = demo_path.read_bytes()
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scoring(pilot)
        await pilot.press("1", "0", "c")
        await settle(app, pilot)
        assert "closed" in str(screen.query_one("#save-state").render())
        assert any("read-only" in str(n.message) for n in app._notifications)
    assert demo_path.read_bytes() == before


def _other_session_scores(path: Path, name: str, **scores: int) -> None:
    """vwillett, in another process's place, scores `name` after this screen read it."""
    with Store(path, user="vwillett").transaction() as tx:
        record = next(r for r in tx.responses(ROUND) if r.model.name == name)
        merged = {**record.model.scores, **scores}
        tx.update("responses", record.doc_id, record.model.model_copy(update={"scores": merged}))


def _state(app: PsrApp) -> str:
    """The scoring screen's save state, also while a dialog is over it."""
    screen = next(s for s in app.screen_stack if isinstance(s, ScoringScreen))
    return str(screen.query_one("#save-state").render())


async def test_two_officers_scoring_other_domains_of_one_respondent_keep_both(
    demo_path: Path,
) -> None:
    """Issue 12 item 1: Alice scores Governance, Bob Leadership, at the same moment."""
    alice = PsrApp(Store(demo_path, user="alice"), watch=False)
    bob = PsrApp(Store(demo_path, user="bob"), watch=False)
    async with alice.run_test(size=(120, 40)) as at_alice, bob.run_test(size=(120, 40)) as at_bob:
        await open_scoring(at_alice)
        await open_scoring(at_bob)  # both read Chief Executive before either typed
        await at_alice.press("j", "4")  # Governance 4
        await settle(alice, at_alice)
        await at_bob.press("1")  # Leadership 1, onto the record Alice has just changed
        await settle(bob, at_bob)
        await at_bob.press("o")  # what Bob pressed at the conflict: there is none now
        await settle(bob, at_bob)
        assert not isinstance(bob.screen, ConflictDialog)
        assert "Saved" in _state(bob)
        assert "Saved" in _state(alice)
        stored_now = stored(demo_path, "Chief Executive").scores
        assert (stored_now["governance"], stored_now["leadership"]) == (4, 1)
        alice.reload()  # Alice's screen catches up with Bob's score
        await alice.workers.wait_for_complete()
        await settle(alice, at_alice)
        grid = alice.screen.query_one(ScoreGrid)
        assert (grid.scores["governance"], grid.scores["leadership"]) == (4, 1)
    after = stored(demo_path, "Chief Executive").scores
    assert (after["governance"], after["leadership"]) == (4, 1)


async def test_a_clash_on_one_domain_asks_and_overwrite_keeps_their_other_domains(
    demo_path: Path,
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scoring(pilot)
        _other_session_scores(demo_path, "Chief Executive", leadership=5, governance=4)
        await pilot.press("2")  # Leadership: vwillett changed it too
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ConflictDialog)
        assert "vwillett" in str(dialog.query_one("#changed-by", Label).content)
        clashes = [str(label.content) for label in dialog.query(".clash").results(Label)]
        assert clashes == ["Leadership score: theirs 5, yours 2"]
        assert "Saved" not in _state(app)
        await pilot.press("o")
        await settle(app, pilot)
        assert app.screen is screen and screen.sheet.problem is None
        assert "Saved" in _state(app)
        assert screen.query_one(ScoreGrid).scores["governance"] == 4  # theirs, now shown
        await pilot.press("3")  # editing goes on (Governance, the next domain)
        await settle(app, pilot)
    after = stored(demo_path, "Chief Executive")
    assert (after.scores["leadership"], after.scores["governance"]) == (2, 3)


async def test_reload_at_a_clash_keeps_and_shows_theirs(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scoring(pilot)
        _other_session_scores(demo_path, "Chief Executive", leadership=5)
        await pilot.press("2")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen is screen and screen.sheet.problem is None
        assert screen.query_one(ScoreGrid).scores["leadership"] == 5
        assert "Saved" not in _state(app)
    assert stored(demo_path, "Chief Executive").scores["leadership"] == 5


async def test_keys_wait_while_a_clash_is_open_and_nothing_is_lost(demo_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_scoring(pilot)
        _other_session_scores(demo_path, "Chief Executive", leadership=5)
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.press("escape")  # the dialog's escape reloads: nothing silently kept
        await settle(app, pilot)
        await pilot.press("k", "4")  # back to Leadership, score it again on their version
        await settle(app, pilot)
        assert "Saved" in _state(app)
        assert screen.sheet.problem is None
    after = stored(demo_path, "Chief Executive")
    assert after.scores["leadership"] == 4
