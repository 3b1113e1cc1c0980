"""A save that fails, whatever the reason (the audit log refusing, a full disk, a bug in
the change), is told with what was not saved and why; the edit stays on screen and the
app keeps running; a form whose save failed opens again with what was typed. Driven by
keys on the scoring grid and the risk forms, against real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select

from psr_tui.app import PsrApp
from psr_tui.demo import build_demo
from psr_tui.dialogs.risk_forms import RiskForm
from psr_tui.screens.scoring import ScoringScreen
from psr_tui.store import Store, Transaction
from psr_tui.store.audit import audit_path
from tests.app.helpers import settle
from tests.helpers.disks import fill, small_disk

ROUND = "Baseline, Feb 2016"


def messages(app: PsrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def score_first_domain(pilot: Pilot[None], level: str) -> tuple[ScoringScreen, str]:
    """Open the first respondent's grid and type `level` on the first domain."""
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("enter", "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ScoringScreen)
    key = screen.framework.domains[0].key
    assert screen.sheet.response.scores.get(key) != int(level)
    await pilot.press(level)
    return screen, key


async def still_running(app: PsrApp, pilot: Pilot[None]) -> None:
    """The app answers keys: Home, then the risk register."""
    await pilot.press("d")
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    assert app.is_running and app.current_mode == "risks"


async def refused_new_risk(app: PsrApp, pilot: Pilot[None], ref: str) -> RiskForm:
    """Add a risk `ref` ("Estates not ready") from the register, save it, and return the
    form the refused save opened again."""
    await pilot.press("r", "a")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, RiskForm)
    form.query_one("#ref", Input).value = ref
    form.query_one("#description", Input).value = "Estates not ready"
    form.query_one("#impact", Select).value = "Critical"
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    again = app.screen
    assert isinstance(again, RiskForm) and again is not form
    assert again.query_one("#ref", Input).value == ref
    assert again.query_one("#description", Input).value == "Estates not ready"
    assert again.query_one("#impact", Select).value == "Critical"
    return again


def stored_score(path: Path, key: str) -> int | None:
    response = Store(path).snapshot().responses(ROUND)[0].model
    return response.scores.get(key)


async def test_an_audit_log_that_cannot_be_written_fails_the_save_in_view(
    demo_path: Path,
) -> None:
    log = audit_path(demo_path)
    log.unlink()
    log.mkdir()
    before = demo_path.read_bytes()
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen, key = await score_first_domain(pilot, "4")
        await settle(app, pilot)
        told = [m for m in messages(app) if str(log) in m]
        assert told and "nothing was saved" in told[-1] and "edit responses" in told[-1]
        assert screen.sheet.response.scores[key] == 4  # the edit is still on screen
        assert "Not saved" in str(screen.query_one("#save-state").render())
        await still_running(app, pilot)
    assert demo_path.read_bytes() == before


async def test_a_bug_in_a_change_is_logged_told_and_the_app_keeps_running(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PSR_STATE_DIR", str(tmp_path / "state"))

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("planted bug")

    monkeypatch.setattr(Transaction, "_checked", broken)
    before = demo_path.read_bytes()
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen, key = await score_first_domain(pilot, "4")
        await settle(app, pilot)
        log = tmp_path / "state" / "errors.log"
        told = [m for m in messages(app) if "ZeroDivisionError: planted bug" in m]
        assert told and str(log) in told[-1]
        assert screen.sheet.response.scores[key] == 4
        await still_running(app, pilot)
    assert demo_path.read_bytes() == before
    assert "Traceback" in log.read_text() and "planted bug" in log.read_text()


async def test_a_full_disk_fails_the_save_and_the_kept_edit_saves_once_there_is_room(
    tmp_path: Path,
) -> None:
    # Room for the demo, its history and the copy a save writes before the rename.
    with small_disk(tmp_path / "disk", "1m") as disk:
        path = disk / "psr.json"
        build_demo(Store(path))
        filler = fill(disk)
        before = path.read_bytes()
        app = PsrApp(Store(path), watch=False)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            screen, key = await score_first_domain(pilot, "4")
            await settle(app, pilot)
            assert any(f"cannot save {path} (No space left on device)" in m for m in messages(app))
            assert path.read_bytes() == before
            assert screen.sheet.response.scores[key] == 4

            filler.unlink()
            await pilot.press("o")  # overwrite with the edit kept on screen
            await settle(app, pilot)
            assert stored_score(path, key) == 4
            await still_running(app, pilot)


async def test_a_bug_in_an_export_is_logged_and_told_in_one_line(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The export renders in a child process: the bug is planted there, by the
    # sitecustomize every Python process imports at start-up.
    planted = tmp_path / "planted"
    planted.mkdir()
    (planted / "sitecustomize.py").write_text(
        "from psr_tui.exports import pdf\n"
        "def broken(*args, **kwargs):\n"
        "    raise ZeroDivisionError('planted bug')\n"
        "pdf.render_html = broken\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(planted))
    app = PsrApp(Store(demo_path), watch=False)
    out = tmp_path / "register.pdf"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.action_export("risks")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(out)
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        log = tmp_path / "state" / "errors.log"
        told = [m for m in messages(app) if "was not exported" in m]
        assert told and "ZeroDivisionError: planted bug" in told[-1] and str(log) in told[-1]
        await still_running(app, pilot)
    assert not out.exists()
    assert "planted bug" in log.read_text()


async def test_a_risk_form_whose_save_fails_opens_again_with_what_was_typed(
    demo_path: Path,
) -> None:
    log = audit_path(demo_path)
    log.rename(demo_path.with_name("kept-log"))
    log.mkdir()  # the audit log cannot be written: every save is refused
    before = demo_path.read_bytes()
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        again = await refused_new_risk(app, pilot, "R9")
        assert str(log) in str(again.query_one("#error", Label).render())
        assert demo_path.read_bytes() == before

        log.rmdir()
        demo_path.with_name("kept-log").rename(log)
        await pilot.press("ctrl+s")  # the same values, now that the log can be written
        await settle(app, pilot)
        assert not isinstance(app.screen, RiskForm)
        await pilot.press("e")  # on the new risk: an edit that fails opens again too
        await pilot.pause()
        log.rename(demo_path.with_name("kept-log"))
        log.mkdir()
        edit = app.screen
        assert isinstance(edit, RiskForm) and edit.form_title == "Edit R9"
        edit.query_one("#owner", Input).value = "Estates lead"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        reopened = app.screen
        assert isinstance(reopened, RiskForm) and reopened is not edit
        assert reopened.form_title == "Edit R9"
        assert reopened.query_one("#owner", Input).value == "Estates lead"
        assert reopened.query_one("#description", Input).value == "Estates not ready"
    stored = Store(demo_path).snapshot().risk("R9")
    assert stored is not None and stored.model.impact == "Critical"
    assert stored.model.owner == ""


async def test_a_long_reason_wraps_inside_the_form_at_80_columns(demo_path: Path) -> None:
    log = audit_path(demo_path)
    log.rename(demo_path.with_name("kept-log"))
    log.mkdir()  # every save is refused with a reason naming the log's (long) path
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        again = await refused_new_risk(app, pilot, "R9")
        error = again.query_one("#error", Label)
        box = again.query_one("#form").content_region
        reason = str(error.render())
        assert len(reason) > box.width  # the case: a reason longer than the form is wide
        assert error.region.right <= box.right
        assert error.size.height >= -(-len(reason) // box.width)  # every word on a line


async def test_a_ref_that_looks_like_one_taken_opens_the_form_again_saying_so(
    demo_path: Path,
) -> None:
    before = demo_path.read_bytes()
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        again = await refused_new_risk(app, pilot, "Ｒ１")  # full width: R1 on screen
        error = str(again.query_one("#error", Label).render())
        assert "there is already a risk that looks the same as 'Ｒ１'" in error
    assert demo_path.read_bytes() == before
