"""The round's form keys, driven by Pilot: f writes the forms, F imports the returned ones
(a clash asks before replacing), w shows who has replied."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from textual.pilot import Pilot
from textual.widgets import Static

from psr_tui.app import PsrApp
from psr_tui.changes.assessment import add_respondent, copy_round, new_round, set_score
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.forms_out import FormsOutDialog
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.models import Response
from psr_tui.screens.assessment import AssessmentScreen
from psr_tui.screens.replies import RepliesScreen
from psr_tui.store import Store
from psr_tui.widgets.nav_table import NavTable
from tests.app.helpers import settle, table_rows
from tests.helpers.forms import fill_form

BASELINE = "Baseline, Feb 2016"
REVIEW = "Review, Aug 2016"


def _review(store: Store) -> None:
    with store.transaction() as tx:
        copy_round(tx, BASELINE, REVIEW, date(2016, 8, 1))


def _people(store: Store) -> dict[str, Response]:
    return {r.model.name: r.model for r in store.snapshot().responses(REVIEW)}


def _forms(folder: Path) -> dict[str, Path]:
    return {str(load_workbook(p)["Form"]["B6"].value): p for p in folder.glob("*.xlsx")}


def _recording(app: PsrApp) -> PsrApp:
    """The app, noting every notification it shows (a shown one may expire before a test
    on a loaded machine reads it)."""
    shown: list[str] = []
    notify = app.notify

    def noting(message: object, *args: Any, **kwargs: Any) -> None:
        shown.append(str(message))
        notify(message, *args, **kwargs)  # type: ignore[arg-type]

    app.notify = noting  # type: ignore[method-assign,assignment]
    app.shown_notes = shown  # type: ignore[attr-defined]
    return app


def _notes(app: PsrApp) -> str:
    return "\n".join(app.shown_notes)  # type: ignore[attr-defined]


async def _done(app: PsrApp, pilot: Pilot[None]) -> None:
    await app.workers.wait_for_complete()
    await settle(app, pilot)
    await app.workers.wait_for_complete()
    await settle(app, pilot)


async def _assessment(pilot: Pilot[None]) -> AssessmentScreen:
    await pilot.press("a")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AssessmentScreen)
    assert screen.selected_round() is not None
    assert screen.selected_round().model.name == REVIEW  # type: ignore[union-attr]
    return screen


async def _type_path(pilot: Pilot[None], path: Path) -> None:
    await pilot.press("ctrl+u", *str(path))


async def test_f_writes_the_forms_and_records_them_sent(demo_path: Path, tmp_path: Path) -> None:
    store = Store(demo_path)
    with store.transaction() as tx:  # two people: a PDF each is rendered too
        new_round(tx, REVIEW, date(2016, 8, 1), "AQuA System Integration")
        add_respondent(tx, REVIEW, "Ann [b]", "Chorley Council", "Executive")
        add_respondent(tx, REVIEW, "../Bob", "DWP", "Implementation Group")
    out = tmp_path / "forms out"
    app = _recording(PsrApp(store, watch=False))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await _assessment(pilot)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FormsOutDialog)
        await _type_path(pilot, out)
        await pilot.press("tab", "space", "ctrl+s")  # the PDF too
        await _done(app, pilot)
        assert isinstance(app.screen, AssessmentScreen)
        assert sorted(p.name for p in out.iterdir()) == [
            "review-aug-2016-ann-b-chorley-council.pdf",
            "review-aug-2016-ann-b-chorley-council.xlsx",
            "review-aug-2016-bob-dwp.pdf",
            "review-aug-2016-bob-dwp.xlsx",
        ]
        assert {p.form_sent for p in _people(store).values()} == {date(2016, 2, 16)}
        assert f"Wrote 4 forms for 2 respondents of {REVIEW!r} to {out}" in _notes(app)
        line = str(screen.query_one("#replies-line", Static).render())
        assert line == "Replies: 2 sent, not back; 2 to chase (w)"


async def test_F_imports_returned_forms_and_w_shows_who_replied(
    demo_path: Path, tmp_path: Path
) -> None:
    store = Store(demo_path)
    _review(store)
    out = tmp_path / "out"
    from psr_tui.changes.forms import send_forms

    send_forms(store, REVIEW, out)
    forms = _forms(out)
    fill_form(forms["Chief Executive"], {"Leadership": "2 Enabling", "Culture": "3 Implementation"})
    fill_form(forms["Station Manager"], {"Workforce": 1}, {"Workforce": "[red]ok[/] "})
    app = _recording(PsrApp(store, watch=False))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await _assessment(pilot)
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, TextInputDialog)
        await _type_path(pilot, out)
        await pilot.press("enter")
        await _done(app, pilot)
        people = _people(store)
        assert people["Chief Executive"].scores == {"leadership": 2, "culture": 3}
        assert people["Station Manager"].comments == {"workforce": "[red]ok[/]"}
        assert (
            f"Imported 2 forms into {REVIEW!r}: 2 respondents updated; left out 8 forms with "
            "no score filled in"
        ) in _notes(app)
        line = str(screen.query_one("#replies-line", Static).render())
        assert line == "Replies: 2 partial, 8 sent, not back; 10 to chase (w)"

        await pilot.press("w")
        await pilot.pause()
        replies = app.screen
        assert isinstance(replies, RepliesScreen)
        rows = table_rows(replies.query_one("#replies", NavTable))
        assert rows[0][:2] == ["Chief Executive", "partial (2 of 8), returned on 16 Feb 2016"]
        assert rows[1][:2] == ["Group Manager", "form sent on 16 Feb 2016"]
        chase = str(replies.query_one("#chase", Static).render())
        assert "Group Manager (Lancashire Fire and Rescue): form sent on 16 Feb 2016" in chase


async def test_bad_forms_are_refused_on_screen_naming_each(demo_path: Path, tmp_path: Path) -> None:
    store = Store(demo_path)
    _review(store)
    from psr_tui.changes.forms import send_forms

    send_forms(store, REVIEW, tmp_path)
    path = _forms(tmp_path)["Chief Executive"]
    fill_form(path, {"Leadership": "Six", "Governance": 0})
    before = demo_path.read_bytes()
    app = _recording(PsrApp(store, watch=False))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _assessment(pilot)
        await pilot.press("F")
        await pilot.pause()
        await _type_path(pilot, path)
        await pilot.press("enter")
        await _done(app, pilot)
        notes = _notes(app)
        assert "2 problems; nothing was imported:" in notes
        assert (
            f"{path.name}: Leadership: 'Six' is not a level of AQuA System Integration (1-5)"
            in notes
        )
        assert (
            f"{path.name}: Governance: 0 is not a level of AQuA System Integration (1-5)" in notes
        )
    assert demo_path.read_bytes() == before


async def test_a_clash_asks_before_replacing(demo_path: Path, tmp_path: Path) -> None:
    store = Store(demo_path)
    _review(store)
    from psr_tui.changes.forms import send_forms

    send_forms(store, REVIEW, tmp_path)
    path = _forms(tmp_path)["Group Manager"]
    fill_form(path, {"Leadership": "4 Embedding"})
    record = next(r for r in store.snapshot().responses(REVIEW) if r.model.name == "Group Manager")
    with store.transaction() as tx:
        set_score(tx, record.doc_id, record.model, "leadership", 1)
    app = _recording(PsrApp(store, watch=False))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _assessment(pilot)
        for answer, expected in (("n", 1), ("y", 4)):
            await pilot.press("F")
            await pilot.pause()
            await _type_path(pilot, path)
            await pilot.press("enter")
            await _done(app, pilot)
            dialog = app.screen
            assert isinstance(dialog, ConfirmDialog)
            assert "Leadership score 1 in psr, 4 on the form" in dialog.question
            await pilot.press(answer)
            await _done(app, pilot)
            assert isinstance(app.screen, AssessmentScreen)
            assert _people(store)["Group Manager"].scores == {"leadership": expected}
