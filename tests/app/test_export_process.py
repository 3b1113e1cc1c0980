"""A PDF export from the TUI runs in a child process (psr_tui.exports.job): the app keeps
answering while WeasyPrint lays the paper out, the corner box says which page it is on and
for how long, ctrl+x stops it, and a failure says why and leaves no file behind."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from pypdf import PdfReader
from textual.pilot import Pilot
from textual.widgets import Input, Label
from textual.worker import WorkerCancelled

from psr_tui.app import PsrApp
from psr_tui.screens.export import ExportProgress
from psr_tui.store import Store
from tests.helpers.store_worker import make_risk


def _messages(app: PsrApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _export(pilot: Pilot[None], kind: str, out: Path) -> None:
    """What an officer does: open the export dialog, type the file, ctrl+s."""
    app = pilot.app
    assert isinstance(app, PsrApp)
    app.action_export(kind)
    await pilot.pause()
    app.screen.query_one("#path", Input).value = str(out)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def _status_until(pilot: Pilot[None], words: str) -> str:
    """The progress line of the export's corner box, once it says `words` (the child
    reports each page it lays out)."""
    for _ in range(3000):
        boxes = pilot.app.screen.query(ExportProgress)
        if boxes:
            status = str(boxes.first().query_one("#status", Label).render())
            if words in status:
                return status
        await pilot.pause(0.02)
    raise AssertionError(f"the export never said {words!r}")


def _big_register(path: Path, count: int) -> None:
    with Store(path).transaction() as tx:
        for n in range(count):
            tx.insert("risks", make_risk(f"B{n}"))


async def test_the_export_runs_outside_the_app_and_shows_its_pages(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from psr_tui.exports import pdf

    def in_this_process(*args: object, **kwargs: object) -> Path:
        raise AssertionError("the TUI rendered the PDF in its own process")

    # Only the app's process sees this: the child renders with the real function.
    monkeypatch.setattr(pdf, "export_pdf", in_this_process)
    app = PsrApp(Store(demo_path), watch=False)
    out = tmp_path / "register.pdf"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _export(pilot, "risks", out)
        status = await _status_until(pilot, "laying out page")
        assert status.startswith("Risk register: laying out page ")
        assert "ctrl+x cancels" in status
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(m == f"Wrote {out}" for m in _messages(app)), _messages(app)
        assert not app.screen.query(ExportProgress)
    reader = PdfReader(out)
    assert "Draft v1 · exported" in reader.pages[0].extract_text()


async def test_ctrl_x_cancels_the_export_and_leaves_no_file(
    demo_path: Path, tmp_path: Path
) -> None:
    _big_register(demo_path, 120)
    app = PsrApp(Store(demo_path), watch=False)
    out_dir = tmp_path / "papers"
    out_dir.mkdir()
    out = out_dir / "register.pdf"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _export(pilot, "risks", out)
        await _status_until(pilot, "laying out page 2")
        await pilot.press("ctrl+x")
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("export was cancelled" in m for m in _messages(app)), _messages(app)
        assert not app.screen.query(ExportProgress)
    # Neither the PDF nor the temp file it is written to before the rename.
    assert list(out_dir.iterdir()) == []


async def test_a_failed_export_says_why_and_writes_nothing(demo_path: Path, tmp_path: Path) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    out = tmp_path / "register.pdf"
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        # The file is damaged after the app read it: the export reads it again, and says so.
        demo_path.write_text('{"meta": ')
        await _export(pilot, "risks", out)
        await app.workers.wait_for_complete()
        await pilot.pause()
        told = [m for m in _messages(app) if "was not exported" in m]
        assert told and str(demo_path) in told[-1], _messages(app)
        assert not app.screen.query(ExportProgress)
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".tmp")) == []
