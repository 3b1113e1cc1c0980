"""E on a meeting's screen writes its pack, X its minutes: the export dialog (file, document
control), the render in a worker, the file named at the end."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from textual.pilot import Pilot
from textual.widgets import Input

from psr_tui.app import PsrApp
from psr_tui.dialogs.export_form import ExportDialog
from psr_tui.screens.meeting import MeetingScreen
from psr_tui.store import Store
from tests.app.test_meetings import open_meeting


def _text(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


async def _dialog(app: PsrApp, pilot: Pilot[None]) -> ExportDialog:
    """The export dialog the key opens, once it is up (a loaded machine takes a few frames
    to push and mount it)."""
    for _ in range(100):
        if isinstance(app.screen, ExportDialog):
            return app.screen
        await pilot.pause()
    raise AssertionError(f"no export dialog; the screen is {type(app.screen).__name__}")


async def test_e_writes_the_meetings_pack_and_x_its_minutes(
    demo_path: Path, tmp_path: Path
) -> None:
    app = PsrApp(Store(demo_path), watch=False)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        screen = await open_meeting(app, pilot)
        assert screen.meeting.date.isoformat() == "2016-02-16"
        for key, kind, title in (
            ("E", "pack", "meeting pack of Executive 16 Feb 2016"),
            ("X", "minutes", "minutes of Executive 16 Feb 2016"),
        ):
            await pilot.press(key)
            dialog = await _dialog(app, pilot)
            field = dialog.query_one("#path", Input)
            assert field.value == (
                f"./chorley-public-service-reform-partnership-executive-{kind}-2016-02-16.pdf"
            )
            assert dialog.form_title == f"Export the {title} as PDF"
            out = tmp_path / f"{kind}.pdf"
            field.value = str(out)
            await pilot.press("ctrl+s")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, MeetingScreen)
            told = [str(n.message) for n in app._notifications]
            assert f"Wrote {out}" in told, told
    pack = _text(tmp_path / "pack.pdf")
    assert "You are invited to attend a meeting of the Executive" in pack[0]
    assert (
        "Minutes and Matters arising from Executive meeting on 19th January 2016 (Pages 2 -"
        in (pack[0])
    )
    assert "Minutes of the Executive, 19 January 2016" in pack[1]
    minutes = " ".join(_text(tmp_path / "minutes.pdf"))
    # 16 Feb's minutes: the matters arising it took from 19 Jan.
    assert "Minutes of the Executive, 16 February 2016" in minutes
    assert "Matters arising taken at the meeting" in minutes
    assert "19 Jan 2016 4.1 Develop a more detailed" in minutes
